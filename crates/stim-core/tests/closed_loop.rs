//! The closed loop (`stim_core::closed_loop`): whatever it measures, what the device plays
//! stays within the validated limits; when the signal is lost it falls back to open loop
//! and never rises; against a linear ECAP growth curve it settles where the analytic
//! solution says, and holds the ECAP through a posture change that open loop does not.

use proptest::option;
use proptest::prelude::*;
use stim_core::closed_loop::{
    ClosedLoop, LoopError, LoopSettings, LoopState, MAX_ECAP_NV, MAX_GAIN_NA_PER_UV,
};
use stim_core::device::{Command, Device};
use stim_core::lead::LeadKind;
use stim_core::presets;
use stim_core::program::{AmplitudeRange, ProgramSet};
use stim_core::safety::{validate, Limits, ValidatedSet};

mod strategies;
use strategies::program_set;

/// The loop samples every 20 ms (Medtronic's Inceptiv senses about 50 times a second).
const SAMPLE_US: u64 = 20_000;

fn settings() -> impl Strategy<Value = LoopSettings> {
    (
        1u32..=MAX_ECAP_NV,
        1u32..=MAX_GAIN_NA_PER_UV,
        1u32..2_000,
        1u32..5_000,
        1u16..20,
    )
        .prop_map(
            |(target_nv, gain_na_per_uv, max_rise_ua, max_fall_ua, lost_after)| LoopSettings {
                target_nv,
                gain_na_per_uv,
                max_rise_ua,
                max_fall_ua,
                lost_after,
            },
        )
}

/// ECAPs as measured: anything from nothing to beyond the plausible (an artefact), or none.
fn samples() -> impl Strategy<Value = Vec<Option<u32>>> {
    proptest::collection::vec(option::weighted(0.8, 0u32..3_000_000), 1..200)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, max_global_rejects: 4_096, ..ProptestConfig::default() })]

    #[test]
    fn whatever_it_measures_the_device_plays_only_within_the_validated_limits(
        set in program_set(),
        settings in settings(),
        samples in samples(),
    ) {
        let valid = validate(&set, &Limits::default(), &Default::default());
        prop_assume!(valid.is_ok(), "refused programs are the safety tests' business");
        let valid = valid.unwrap();
        let mut device = Device::default();
        device.handle(0, Command::LoadProgramSet(set.clone())).unwrap();
        device.handle(0, Command::Start).unwrap();
        let mut loop_ = ClosedLoop::new(&valid, 0, settings).unwrap();
        let range = set.programs[0].patient_range;
        let (lo, hi) = loop_.bounds_ua();
        prop_assert!(range.min_ua <= lo && hi <= range.max_ua && hi <= valid.ceiling(0));
        let mut now = 0;
        for sample in samples {
            let before = loop_.amplitude_ua();
            let after = loop_.sample(sample);
            prop_assert!((lo..=hi).contains(&after), "{} µA outside {}–{} µA", after, lo, hi);
            prop_assert!(after <= before + settings.max_rise_ua, "rose {} → {} µA", before, after);
            prop_assert!(after + settings.max_fall_ua >= before, "fell {} → {} µA", before, after);
            if sample.is_none_or(|e| e > MAX_ECAP_NV) {
                prop_assert!(after <= before, "rose on a lost signal: {} → {} µA", before, after);
            }
            // The device takes every amplitude the loop chooses, and plays no more.
            let taken = device.handle(now, Command::SetAmplitude { program: 0, amplitude_ua: after });
            prop_assert!(taken.is_ok(), "{:?}", taken);
            now += SAMPLE_US;
            let mut above = None;
            device.advance(now, |e| {
                let ceiling = valid.ceiling(e.program as usize) as u64 * 1_000;
                if e.currents_na.iter().any(|&c| c.unsigned_abs() as u64 > ceiling) {
                    above = Some(*e);
                }
            });
            prop_assert!(above.is_none(), "played above the ceiling: {:?}", above);
        }
    }

    #[test]
    fn once_the_signal_is_lost_it_falls_to_open_loop_and_never_rises(
        settings in settings(),
        measured in proptest::collection::vec(0u32..400_000, 0..50),
        lost in 1usize..60,
    ) {
        let valid = tonic(2_500, 6_000);
        let mut loop_ = ClosedLoop::new(&valid, 0, settings).unwrap();
        for ecap in measured {
            loop_.sample(Some(ecap));
        }
        let mut before = loop_.amplitude_ua();
        for n in 1..=lost {
            let after = loop_.sample(if n % 2 == 0 { None } else { Some(MAX_ECAP_NV + 1) });
            prop_assert!(after <= before);
            let expected = if n >= settings.lost_after as usize {
                LoopState::OpenLoop
            } else {
                LoopState::Holding { missing: n as u16 }
            };
            prop_assert_eq!(loop_.state(), expected);
            if n < settings.lost_after as usize {
                prop_assert_eq!(after, before, "holds while samples are missing");
            }
            before = after;
        }
        // Given time, it falls to the open-loop amplitude from above, or stays where the
        // signal was lost below it (therapy stays on).
        let lost_at = before;
        for _ in 0..10_000 {
            loop_.sample(None);
        }
        prop_assert_eq!(loop_.amplitude_ua(), lost_at.min(2_500));
        // A valid sample resumes the loop.
        loop_.sample(Some(settings.target_nv));
        prop_assert_eq!(loop_.state(), LoopState::Tracking);
    }
}

/// A validated tonic bipole at `amplitude_ua` with the patient range 0 – `max_ua`.
fn tonic(amplitude_ua: u32, max_ua: u32) -> ValidatedSet {
    let mut program = presets::tonic_bipole();
    program.amplitude_ua = amplitude_ua;
    program.patient_range = AmplitudeRange { min_ua: 0, max_ua };
    let set = ProgramSet::new(LeadKind::Percutaneous8, &[program]);
    validate(&set, &Limits::default(), &Default::default()).expect("a tonic bipole is valid")
}

/// A linear ECAP growth curve: nothing below `threshold_ua`, then `slope` nV per µA
/// (µV per mA) above it.
fn growth(amplitude_ua: u32, threshold_ua: u32, slope: u32) -> u32 {
    amplitude_ua.saturating_sub(threshold_ua) * slope
}

/// Settings with loop gain `k` (gain × slope) on a curve of `slope` µV per mA.
fn with_loop_gain(k: f64, slope: u32, target_nv: u32) -> LoopSettings {
    LoopSettings {
        target_nv,
        // k = gain (nA/µV) / 1000 × slope (µV per mA / 1000) … in µA: k = gain × slope / 10⁶.
        gain_na_per_uv: (k * 1e6 / slope as f64).round() as u32,
        max_rise_ua: 100,
        max_fall_ua: 200,
        lost_after: 3,
    }
}

#[test]
fn on_a_linear_growth_curve_it_settles_at_threshold_plus_target_over_slope() {
    // The analytic fixed point of integral control on ECAP = s (I − I_th): I* = I_th + T / s.
    let (threshold_ua, slope, target_nv) = (2_000, 20, 30_000);
    let settled_ua = threshold_ua + target_nv / slope; // 3 500 µA
    for k in [0.3, 0.5, 1.0, 1.5] {
        let valid = tonic(2_500, 6_000);
        // The law alone: rate limits out of its way.
        let settings = LoopSettings {
            max_rise_ua: 10_000,
            max_fall_ua: 10_000,
            ..with_loop_gain(k, slope, target_nv)
        };
        let mut loop_ = ClosedLoop::new(&valid, 0, settings).unwrap();
        let mut amplitudes = vec![];
        for _ in 0..200 {
            let ecap = growth(loop_.amplitude_ua(), threshold_ua, slope);
            amplitudes.push(loop_.sample(Some(ecap)));
        }
        let last = *amplitudes.last().unwrap();
        // Integer steps leave a dead band of under 10⁶ / gain nV of error.
        let dead_band_ua = 1_000_000 / (settings.gain_na_per_uv * slope) + 1;
        assert!(
            last.abs_diff(settled_ua) <= dead_band_ua,
            "k = {k}: settled at {last} µA, expected {settled_ua} ± {dead_band_ua}"
        );
        if k <= 1.0 {
            assert!(
                amplitudes.iter().all(|&a| a <= settled_ua),
                "k = {k} overshoots: {amplitudes:?}"
            );
        } else {
            assert!(
                amplitudes.iter().any(|&a| a > settled_ua),
                "k = {k} should overshoot"
            );
        }
    }
}

#[test]
fn through_a_posture_change_closed_loop_holds_the_ecap_and_open_loop_does_not() {
    // Supine to prone thickens the dorsal CSF by about 2–3 mm at T11–T12 (Holsheimer et
    // al. 1994): the threshold rises. Here from 2.0 to 3.0 mA at sample 100, and back at 200.
    let (slope, target_nv) = (20, 30_000);
    let threshold = |n: usize| {
        if (100..200).contains(&n) {
            3_000
        } else {
            2_000
        }
    };
    let valid = tonic(3_500, 6_000);
    let mut closed = ClosedLoop::new(&valid, 0, with_loop_gain(0.5, slope, target_nv)).unwrap();
    let open_ua = 3_500;
    let (mut closed_error, mut open_error, mut settled_within) = (0u64, 0u64, None);
    for n in 0..300 {
        let ecap = growth(closed.amplitude_ua(), threshold(n), slope);
        closed.sample(Some(ecap));
        closed_error += ecap.abs_diff(target_nv) as u64;
        open_error += growth(open_ua, threshold(n), slope).abs_diff(target_nv) as u64;
        if n >= 100 && settled_within.is_none() && ecap.abs_diff(target_nv) <= target_nv / 20 {
            settled_within = Some(n - 100);
        }
    }
    // Open loop keeps 3.5 mA, 0.5 mA above the new threshold: 10 µV of the 30. Closed loop
    // climbs towards 4.5 mA at its 0.1 mA a sample while half the error is more (to
    // 4.3 mA, then 4.4 and 4.45 mA): within 5 % (4.425 mA) 10 samples after the turn.
    assert_eq!(settled_within, Some(10));
    assert!(
        closed_error * 3 < open_error,
        "closed {closed_error} nV·samples, open {open_error}"
    );
}

#[test]
fn settings_that_could_not_work_are_refused_in_words() {
    let valid = tonic(2_500, 6_000);
    let good = with_loop_gain(0.5, 20, 30_000);
    let refused = |change: fn(&mut LoopSettings)| {
        let mut s = good;
        change(&mut s);
        ClosedLoop::new(&valid, 0, s).unwrap_err()
    };
    assert_eq!(refused(|s| s.target_nv = 0), LoopError::Target);
    assert_eq!(
        refused(|s| s.target_nv = MAX_ECAP_NV + 1),
        LoopError::Target
    );
    assert_eq!(refused(|s| s.gain_na_per_uv = 0), LoopError::Gain);
    assert_eq!(refused(|s| s.max_fall_ua = 0), LoopError::RateLimit);
    assert_eq!(refused(|s| s.lost_after = 0), LoopError::LostAfter);
    assert_eq!(
        ClosedLoop::new(&valid, 1, good).unwrap_err(),
        LoopError::NoSuchProgram
    );
    assert_eq!(
        LoopError::Gain.to_string(),
        "the loop gain must be above 0 and at most 1 mA per µV"
    );
}
