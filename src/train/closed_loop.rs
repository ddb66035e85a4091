//! Open and closed loop side by side while the patient moves: the same program, once at a
//! fixed amplitude and once with stim-core's [`ClosedLoop`] adjusting it after every
//! measured pulse, through a timeline of postures. The patient is two ECAP growth curves
//! (supine and prone: `spine_field::membrane::ecap::growth_curve` on each posture's
//! field), blended while they turn; the figures are the share of time within the
//! therapeutic window (perception to discomfort, the usage range above the perception
//! threshold of the posture of the moment) and the mean deviation of the ECAP from the
//! target.

use spine_field::posture::Posture;
use stim_core::closed_loop::{ClosedLoop, LoopError, LoopSettings, MAX_GAIN_NA_PER_UV};
use stim_core::safety::ValidatedSet;

use super::patient::USAGE_RANGE;

/// Measured pulses per second (Medtronic's Inceptiv senses about 50 times a second).
pub const SAMPLES_PER_S: f64 = 50.0;

/// An ECAP growth curve: (amplitude mA, ECAP µV), in order of amplitude.
#[derive(Clone, Debug, PartialEq)]
pub struct Growth(pub Vec<(f64, f64)>);

impl Growth {
    /// The ECAP at `ma`, µV: linear between points, flat beyond them.
    pub fn at(&self, ma: f64) -> f64 {
        let p = &self.0;
        match p.iter().position(|q| q.0 > ma) {
            None => p.last().map_or(0.0, |q| q.1),
            Some(0) => p[0].1,
            Some(i) => {
                let (a, b) = (p[i - 1], p[i]);
                a.1 + (ma - a.0) / (b.0 - a.0) * (b.1 - a.1)
            }
        }
    }

    /// The ECAP threshold, taken as the perception threshold (Pilitsis et al. 2021): the
    /// last amplitude of the curve without an ECAP before the first with one, mA (so up to
    /// one step low); infinite if none has one.
    pub fn threshold_ma(&self) -> f64 {
        let p = &self.0;
        (1..p.len())
            .find(|&i| p[i].1 > 0.0)
            .map_or(f64::INFINITY, |i| p[i - 1].0)
    }

    /// The slope near `ma`, µV per mA (over the two points around it; 0 for a curve of
    /// fewer than two points).
    fn slope(&self, ma: f64) -> f64 {
        let p = &self.0;
        if p.len() < 2 {
            return 0.0;
        }
        let i = p.partition_point(|q| q.0 <= ma).clamp(1, p.len() - 1);
        (p[i].1 - p[i - 1].1) / (p[i].0 - p[i - 1].0)
    }
}

/// The patient: the growth curve lying on the back and face down.
#[derive(Clone, Debug, PartialEq)]
pub struct Patient {
    /// Supine.
    pub supine: Growth,
    /// Prone.
    pub prone: Growth,
}

/// Where the patient lies over time: each move's start (s) and the posture reached after
/// [`TURN_S`]; the patient starts supine.
#[derive(Clone, Debug, PartialEq)]
pub struct Timeline {
    /// The moves, in order of time.
    pub moves: Vec<(f64, Posture)>,
    /// How long it lasts, s.
    pub length_s: f64,
}

/// How long turning over takes, s.
pub const TURN_S: f64 = 1.0;

impl Timeline {
    /// How prone the patient is at `t_s`: 0 on the back, 1 face down, between while
    /// turning.
    pub fn prone_share(&self, t_s: f64) -> f64 {
        let mut share = 0.0;
        for &(at, posture) in &self.moves {
            let to = if posture == Posture::Prone { 1.0 } else { 0.0 };
            if t_s >= at {
                let f = ((t_s - at) / TURN_S).min(1.0);
                share += (to - share) * f;
            }
        }
        share
    }
}

/// One run: at each sample, the time (s), the amplitude (mA) and the ECAP (µV).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trace {
    /// Times, s.
    pub t_s: Vec<f64>,
    /// Amplitudes, mA.
    pub amplitude_ma: Vec<f64>,
    /// ECAPs, µV.
    pub ecap_uv: Vec<f64>,
    /// Whether the amplitude lay in the therapeutic window of the posture then.
    pub within: Vec<bool>,
}

impl Trace {
    /// The share of samples within the therapeutic window.
    pub fn time_within(&self) -> f64 {
        let n = self.within.len().max(1) as f64;
        self.within.iter().filter(|&&w| w).count() as f64 / n
    }

    /// The mean distance of the ECAP from `target_uv`, µV.
    pub fn mean_deviation_uv(&self, target_uv: f64) -> f64 {
        let n = self.ecap_uv.len().max(1) as f64;
        self.ecap_uv
            .iter()
            .map(|e| (e - target_uv).abs())
            .sum::<f64>()
            / n
    }
}

/// Both runs, and the target they are judged against.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// The ECAP the clinician set (the supine ECAP at the programmed amplitude), µV.
    pub target_uv: f64,
    /// At the programmed amplitude.
    pub open: Trace,
    /// With the loop.
    pub closed: Trace,
}

/// The loop's settings for `patient` and the program of `set` (its first): the target is
/// the supine ECAP at the programmed amplitude; the gain half the inverse of the supine
/// growth curve's slope there (each sample takes half the error supine: no overshoot
/// there; where a posture's curve is more than twice as steep it would overshoot), at
/// most stim-core's largest; rises 0.05 mA a sample (2.5 mA/s), falls 0.2 mA (10 mA/s: too
/// strong is corrected faster than too weak); open loop after 5 missing samples. A
/// program below the ECAP threshold gets a target of 1 nV: set it above.
pub fn settings_for(patient: &Patient, programmed_ma: f64) -> LoopSettings {
    let target_uv = patient.supine.at(programmed_ma);
    let slope = patient.supine.slope(programmed_ma);
    // nA per µV: 0.5 / slope mA per µV.
    let gain = if slope > 0.0 {
        0.5 / slope * 1e6
    } else {
        f64::INFINITY
    };
    LoopSettings {
        target_nv: (target_uv * 1e3).round().max(1.0) as u32,
        gain_na_per_uv: gain.min(MAX_GAIN_NA_PER_UV as f64).round() as u32,
        max_rise_ua: 50,
        max_fall_ua: 200,
        lost_after: 5,
    }
}

/// Runs `timeline` once open loop (the first program of `set` at its programmed amplitude)
/// and once closed loop with `settings`.
pub fn compare(
    set: &ValidatedSet,
    settings: LoopSettings,
    patient: &Patient,
    timeline: &Timeline,
) -> Result<Comparison, LoopError> {
    let mut closed_loop = ClosedLoop::new(set, 0, settings)?;
    let open_ua = closed_loop.amplitude_ua();
    // Between the postures by the share prone (an infinite threshold stays infinite: no
    // 0 × ∞ at either end).
    let blend = |w: f64, supine: f64, prone: f64| match w {
        0.0 => supine,
        1.0 => prone,
        _ => (1.0 - w) * supine + w * prone,
    };
    let ecap = |t: f64, ma: f64| {
        let w = timeline.prone_share(t);
        blend(w, patient.supine.at(ma), patient.prone.at(ma))
    };
    let window = |t: f64, ma: f64| {
        let w = timeline.prone_share(t);
        let pt = blend(
            w,
            patient.supine.threshold_ma(),
            patient.prone.threshold_ma(),
        );
        (pt..=USAGE_RANGE * pt).contains(&ma)
    };
    let (mut open, mut closed) = (Trace::default(), Trace::default());
    let samples = (timeline.length_s * SAMPLES_PER_S).round() as usize;
    for k in 0..samples {
        let t = k as f64 / SAMPLES_PER_S;
        for (trace, ua) in [
            (&mut open, open_ua),
            (&mut closed, closed_loop.amplitude_ua()),
        ] {
            let ma = ua as f64 / 1e3;
            trace.t_s.push(t);
            trace.amplitude_ma.push(ma);
            trace.ecap_uv.push(ecap(t, ma));
            trace.within.push(window(t, ma));
        }
        let measured = closed.ecap_uv[k];
        closed_loop.sample(Some((measured * 1e3).round() as u32));
    }
    Ok(Comparison {
        target_uv: settings.target_nv as f64 / 1e3,
        open,
        closed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use stim_core::lead::LeadKind;
    use stim_core::presets;
    use stim_core::program::{AmplitudeRange, ProgramSet};
    use stim_core::safety::{validate, Limits};
    use wasm_bindgen_test::wasm_bindgen_test;

    /// Linear growth from `threshold_ma` at `slope` µV per mA, to 10 mA.
    fn linear(threshold_ma: f64, slope: f64) -> Growth {
        Growth(
            (0..=40)
                .map(|i| {
                    let ma = i as f64 * 0.25;
                    (ma, (ma - threshold_ma).max(0.0) * slope)
                })
                .collect(),
        )
    }

    fn tonic(amplitude_ua: u32) -> ValidatedSet {
        let mut p = presets::tonic_bipole();
        p.amplitude_ua = amplitude_ua;
        p.patient_range = AmplitudeRange {
            min_ua: 0,
            max_ua: 6_000,
        };
        let set = ProgramSet::new(LeadKind::Percutaneous8, &[p]);
        validate(&set, &Limits::default(), &Default::default()).unwrap()
    }

    /// Supine 10 s, prone 10 s, supine 10 s.
    fn turn_and_back() -> Timeline {
        Timeline {
            moves: vec![(10.0, Posture::Prone), (20.0, Posture::Supine)],
            length_s: 30.0,
        }
    }

    #[wasm_bindgen_test]
    fn through_a_turn_prone_and_back_closed_loop_holds_the_ecap_and_the_window_and_open_loop_does_not(
    ) {
        // Threshold 2 mA supine, 4 mA prone (the membrane model's T11: 2.07 and 4.29 mA).
        let patient = Patient {
            supine: linear(2.0, 20.0),
            prone: linear(4.0, 20.0),
        };
        let set = tonic(2_600);
        let settings = settings_for(&patient, 2.6);
        assert_eq!(settings.target_nv, 12_000);
        let c = compare(&set, settings, &patient, &turn_and_back()).unwrap();
        let (open_dev, closed_dev) = (
            c.open.mean_deviation_uv(c.target_uv),
            c.closed.mean_deviation_uv(c.target_uv),
        );
        // Open loop: nothing prone for 10 of 30 s.
        assert!((open_dev - 4.0).abs() < 0.5, "open {open_dev:.2} µV");
        assert!(closed_dev < 0.25 * open_dev, "closed {closed_dev:.2} µV");
        assert!(
            c.open.time_within() < 0.7,
            "open {:.2}",
            c.open.time_within()
        );
        assert!(
            c.closed.time_within() > 0.9,
            "closed {:.2}",
            c.closed.time_within()
        );
        // Prone, the loop found the prone amplitude: 4.6 mA gives 12 µV.
        let prone_end = 19.0 * SAMPLES_PER_S;
        let ma = c.closed.amplitude_ma[prone_end as usize];
        assert!((ma - 4.6).abs() < 0.05, "{ma} mA");
    }

    #[wasm_bindgen_test]
    fn a_posture_without_an_ecap_leaves_the_other_postures_window_whole() {
        // Face down this lead reaches nothing: supine time is still judged.
        let patient = Patient {
            supine: linear(2.0, 20.0),
            prone: Growth(vec![(0.0, 0.0), (10.0, 0.0)]),
        };
        let set = tonic(2_600);
        let c = compare(
            &set,
            settings_for(&patient, 2.6),
            &patient,
            &turn_and_back(),
        )
        .unwrap();
        let open = c.open.time_within();
        assert!((0.6..0.7).contains(&open), "open {open:.2}");
        // The flat-line channel: the loop climbs to the patient range's top, and stays
        // out of the window (stim-core's documented limit).
        let top = c.closed.amplitude_ma[(19.0 * SAMPLES_PER_S) as usize];
        assert!((top - 6.0).abs() < 1e-9, "{top} mA");
    }

    #[wasm_bindgen_test]
    fn a_turn_blends_the_postures_over_a_second() {
        let t = turn_and_back();
        assert_eq!(t.prone_share(5.0), 0.0);
        assert!((t.prone_share(10.5) - 0.5).abs() < 1e-9);
        assert_eq!(t.prone_share(15.0), 1.0);
        assert!((t.prone_share(20.25) - 0.75).abs() < 1e-9);
        assert_eq!(t.prone_share(25.0), 0.0);
    }

    #[wasm_bindgen_test]
    fn a_growth_curve_reads_between_its_points_and_says_its_threshold() {
        let g = linear(2.0, 20.0);
        assert_eq!(g.at(1.0), 0.0);
        assert!((g.at(2.6) - 12.0).abs() < 1e-9);
        assert_eq!(g.at(50.0), 160.0);
        assert_eq!(g.threshold_ma(), 2.0);
        assert_eq!(
            Growth(vec![(0.0, 0.0), (1.0, 0.0)]).threshold_ma(),
            f64::INFINITY
        );
    }
}
