//! Membrane thresholds for the program on the bench, apart from the view: what a program
//! plays as a membrane model's stimulus, which criterion decides the thresholds shown (the
//! activating function's preview while a lead moves or a program changes, the MRG
//! membrane model once both rest: `spine_field::membrane`), and the strength–duration
//! curve of the first fibre, whose rheobase and chronaxie emerge from the model.

use spine_field::membrane::{Phase, Stimulus};
use stim_core::pattern::Pattern;
use stim_core::safety::HARDWARE_MAX_UA;

/// The train a membrane threshold is stated for: the program's first 5 ms (at least one
/// period: a tonic pulse, a burst, fifty 10 kHz pulses).
pub const TRAIN_US: f64 = 5_000.0;

/// The highest amplitude a threshold is looked for, mA: the stimulator's.
pub const MAX_MA: f64 = HARDWARE_MAX_UA as f64 / 1_000.0;

/// Pulse widths of the strength–duration curve, µs.
pub const CURVE_WIDTHS_US: [f64; 7] = [30.0, 60.0, 100.0, 200.0, 300.0, 500.0, 1_000.0];

/// Which criterion has answered for the program on screen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Criterion {
    /// Only the activating function at the nodes against a strength–duration rule: instant,
    /// while a lead moves or the program has just changed.
    #[default]
    Preview,
    /// The MRG membrane model driven by the field too: once the lead and the program rest.
    Membrane,
}

/// What the page says about the thresholds: which criterion found the ones shown, given
/// the membrane model's perception and discomfort thresholds once it has answered.
pub fn criterion_words(membrane: Option<(f64, f64)>) -> String {
    let model = "Membrane model (each fibre an MRG myelinated axon, McIntyre, Richardson & Grill 2002): the body map, the patient and the scenario score come from it.";
    match membrane {
        None => "Quick preview (the activating function at the nodes): the body map and the patient are estimates. The membrane model follows once the lead and the program rest, and the scenario is scored on it.".into(),
        Some((perception, _)) if !perception.is_finite() => format!("{model} No fibre fires within the stimulator's 25.5 mA."),
        Some((perception, discomfort)) => format!("{model} Perception {perception:.2} mA, discomfort {discomfort:.2} mA."),
    }
}

/// What a program of the core plays, as the membrane model's stimulus: its phases of one
/// period (weights in multiples of the amplitude, passive recharge as its modelled
/// current), repeated over [`TRAIN_US`].
pub fn stimulus_of(pattern: &Pattern) -> Stimulus {
    let period_us = pattern.period.num as f64 / pattern.period.den as f64;
    Stimulus {
        phases: pattern
            .phases
            .iter()
            .map(|p| Phase {
                start_us: p.offset_us as f64,
                duration_us: p.duration_us as f64,
                weight: p.weight as f64 / 1_000.0,
            })
            .collect(),
        period_us,
        periods: (TRAIN_US / period_us).ceil().max(1.0) as u32,
    }
}

/// A strength–duration curve's rheobase (mA: the threshold of the longest pulse, where
/// the curve has flattened) and chronaxie (µs: where the threshold is twice that,
/// interpolated log-linearly between the widths around it), from `(width µs, threshold
/// mA)` in order of width. `None` when the curve has no finite threshold at its longest
/// width or never reaches twice it.
pub fn rheobase_and_chronaxie(curve: &[(f64, f64)]) -> Option<(f64, f64)> {
    let rheobase = curve.last()?.1;
    if !rheobase.is_finite() {
        return None;
    }
    let twice = 2.0 * rheobase;
    let i = curve
        .windows(2)
        .rposition(|w| w[0].1 >= twice && w[1].1 < twice)?;
    let ((w0, t0), (w1, t1)) = (curve[i], curve[i + 1]);
    if !t0.is_finite() {
        return Some((rheobase, w1));
    }
    let f = (t0 - twice) / (t0 - t1);
    Some((rheobase, (w0.ln() + f * (w1.ln() - w0.ln())).exp()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use stim_core::presets;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn a_tonic_program_plays_one_biphasic_pulse_and_10_khz_a_train_of_fifty() {
        let tonic = Pattern::compile(0, &presets::tonic_bipole()).expect("compiles");
        let s = stimulus_of(&tonic);
        assert_eq!(s.periods, 1);
        assert!(s.phases[0].weight > 0.0 && s.phases.last().unwrap().weight < 0.0);
        let charge: f64 = s.phases.iter().map(|p| p.weight * p.duration_us).sum();
        assert!(charge.abs() < 1e-9, "charge balanced: {charge}");
        let hf = Pattern::compile(0, &presets::ten_khz()).expect("compiles");
        let s = stimulus_of(&hf);
        assert_eq!((s.period_us, s.periods), (100.0, 50));
        assert_eq!(s.phases[0].duration_us, 30.0);
    }

    #[wasm_bindgen_test]
    fn the_words_say_which_criterion_answered_and_what_the_membrane_found() {
        assert!(criterion_words(None).starts_with("Quick preview"));
        assert!(criterion_words(Some((2.345, 3.752)))
            .ends_with("Perception 2.35 mA, discomfort 3.75 mA."));
        assert!(criterion_words(Some((f64::INFINITY, f64::INFINITY))).contains("No fibre fires"));
    }

    #[wasm_bindgen_test]
    fn rheobase_and_chronaxie_emerge_from_a_lapicque_curve() {
        // Lapicque: I = Irh (1 + c / w), rheobase 2 mA, chronaxie 250 µs, read at 10 ms
        // as the flat end.
        let mut curve: Vec<(f64, f64)> = CURVE_WIDTHS_US
            .iter()
            .map(|&w| (w, 2.0 * (1.0 + 250.0 / w)))
            .collect();
        curve.push((10_000.0, 2.0 * (1.0 + 250.0 / 10_000.0)));
        let (rh, c) = rheobase_and_chronaxie(&curve).unwrap();
        assert!((rh - 2.05).abs() < 1e-9);
        // Twice 2.05 mA is reached at 250 / 1.05 = 238 µs.
        assert!((c - 238.0).abs() < 10.0, "{c} µs");
        // A fibre that never fires at the longest pulse has no rheobase.
        assert_eq!(
            rheobase_and_chronaxie(&[(30.0, f64::INFINITY), (1000.0, f64::INFINITY)]),
            None
        );
        // Beyond the stimulator at short pulses: the chronaxie lies after them.
        let (_, c) =
            rheobase_and_chronaxie(&[(30.0, f64::INFINITY), (100.0, 3.0), (1000.0, 1.0)]).unwrap();
        assert!((100.0..1000.0).contains(&c));
    }
}
