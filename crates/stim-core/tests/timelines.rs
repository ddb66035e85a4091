//! The engine against timelines computed by hand from the programs' parameters.

use stim_core::engine::{Engine, PhaseEvent};
use stim_core::lead::LeadKind;
use stim_core::pattern::PhaseKind::{
    self, ActiveRecharge, Interphase, PassiveRecharge, Stimulating,
};
use stim_core::presets;
use stim_core::program::{Cycling, ProgramSet};
use stim_core::safety::{validate, Limits};

fn engine_for(set: &ProgramSet) -> Engine {
    let valid = validate(set, &Limits::default(), &Default::default()).expect("the set is valid");
    let mut engine = Engine::new(valid, 0);
    for (program, p) in set.programs.iter().enumerate() {
        engine.set_level(program, p.amplitude_ua, 0, 0);
    }
    engine
}

/// (start µs, duration µs, kind, program)
fn timeline(events: impl Iterator<Item = PhaseEvent>) -> Vec<(u64, u32, PhaseKind, u8)> {
    events
        .map(|e| (e.start_us, e.duration_us, e.kind, e.program))
        .collect()
}

#[test]
fn tonic_50_hz_200_us_repeats_every_20_ms() {
    let set = ProgramSet::new(LeadKind::Percutaneous8, &[presets::tonic_bipole()]);
    let events: Vec<_> = engine_for(&set).take(6).collect();
    assert_eq!(
        timeline(events.iter().copied()),
        [
            (0, 200, Stimulating, 0),
            (200, 20, Interphase, 0),
            (220, 200, ActiveRecharge, 0),
            (20_000, 200, Stimulating, 0),
            (20_200, 20, Interphase, 0),
            (20_220, 200, ActiveRecharge, 0),
        ]
    );
    // 2 mA: E4 draws −2 mA, E5 gives +2 mA; the recharge mirrors it; the gap carries none.
    assert_eq!(
        (events[0].currents_na[3], events[0].currents_na[4]),
        (-2_000_000, 2_000_000)
    );
    assert_eq!(
        (events[2].currents_na[3], events[2].currents_na[4]),
        (2_000_000, -2_000_000)
    );
    assert!(events[1].currents_na.iter().all(|c| *c == 0));
}

#[test]
fn classic_burst_is_five_pulses_at_500_hz_then_passive_recharge_every_25_ms() {
    let set = ProgramSet::new(LeadKind::Percutaneous8, &[presets::classic_burst()]);
    let events: Vec<_> = engine_for(&set).take(14).collect();
    let mut expected = vec![];
    for burst in [0u64, 25_000] {
        for pulse in 0..5u64 {
            expected.push((burst + pulse * 2_000, 1_000, Stimulating, 0));
        }
        expected.push((burst + 9_000, 100, Interphase, 0));
        expected.push((burst + 9_100, 10_000, PassiveRecharge, 0));
    }
    assert_eq!(timeline(events.into_iter()), expected);
}

#[test]
fn ten_khz_pulses_every_100_us() {
    let set = ProgramSet::new(LeadKind::Percutaneous8, &[presets::ten_khz()]);
    let stimulating: Vec<u64> = engine_for(&set)
        .filter(|e| e.kind == Stimulating)
        .take(5)
        .map(|e| e.start_us)
        .collect();
    assert_eq!(stimulating, [0, 100, 200, 300, 400]);
}

#[test]
fn one_second_of_10_khz_is_exactly_10000_pulses() {
    let set = ProgramSet::new(LeadKind::Percutaneous8, &[presets::ten_khz()]);
    let pulses = engine_for(&set)
        .take_while(|e| e.start_us < 1_000_000)
        .filter(|e| e.kind == Stimulating)
        .count();
    assert_eq!(pulses, 10_000);
}

#[test]
fn custom_train_plays_its_stages_back_to_back() {
    let set = ProgramSet::new(LeadKind::Percutaneous8, &[presets::custom_asymmetric()]);
    let events: Vec<_> = engine_for(&set).take(4).collect();
    assert_eq!(
        timeline(events.iter().copied()),
        [
            (0, 200, Stimulating, 0),
            (200, 50, Interphase, 0),
            (250, 400, ActiveRecharge, 0),
            (20_000, 200, Stimulating, 0)
        ]
    );
    // The reversed stage runs at half the current: E4 gets +1 mA for 400 µs.
    assert_eq!(events[2].currents_na[3], 1_000_000);
}

#[test]
fn interleaved_programs_alternate_at_their_offsets() {
    let upper = presets::tonic_bipole();
    let lower = presets::lower_monopolar();
    let set = ProgramSet::new(LeadKind::Percutaneous8, &[upper, lower]);
    let starts: Vec<_> = engine_for(&set)
        .filter(|e| e.kind == Stimulating)
        .take(4)
        .map(|e| (e.start_us, e.program))
        .collect();
    assert_eq!(starts, [(0, 0), (10_000, 1), (20_000, 0), (30_000, 1)]);
}

#[test]
fn cycling_skips_the_off_time() {
    // 50 Hz, on 1 s then off 1 s: pulses at 0…980 ms, none in 1–2 s, again from 2 s.
    let mut set = ProgramSet::new(LeadKind::Percutaneous8, &[presets::tonic_bipole()]);
    set.cycling = Some(Cycling {
        on_ms: 1_000,
        off_ms: 1_000,
    });
    let starts: Vec<_> = engine_for(&set)
        .filter(|e| e.kind == Stimulating)
        .take(51)
        .map(|e| e.start_us)
        .collect();
    assert_eq!(starts[49], 980_000);
    assert_eq!(starts[50], 2_000_000);
}

#[test]
fn a_soft_start_ramps_pulse_by_pulse_and_every_pulse_stays_balanced() {
    let set = ProgramSet::new(LeadKind::Percutaneous8, &[presets::tonic_bipole()]);
    let valid = validate(&set, &Limits::default(), &Default::default()).unwrap();
    let mut engine = Engine::new(valid, 0);
    // 0 → 2 mA over 100 ms: the amplitude is sampled at each pulse's start.
    engine.set_level(0, 2_000, 0, 100_000);
    let stimulating: Vec<i32> = engine
        .clone()
        .filter(|e| e.kind == Stimulating)
        .take(7)
        .map(|e| -e.currents_na[3] / 1_000)
        .collect();
    // At t = 20, 40, 60, 80, 100, 120 ms: 400, 800, 1200, 1600, 2000, 2000 µA (t = 0 is silent).
    assert_eq!(stimulating, [400, 800, 1_200, 1_600, 2_000, 2_000, 2_000]);
    for pulse in engine.take(30).collect::<Vec<_>>().chunks(3) {
        let net: i64 = pulse.iter().map(|e| e.charge_fc(3)).sum();
        assert_eq!(net, 0, "pulse at {} µs", pulse[0].start_us);
    }
}

#[test]
fn render_fills_a_window_without_moving_the_engine() {
    let set = ProgramSet::new(LeadKind::Percutaneous8, &[presets::tonic_bipole()]);
    let engine = engine_for(&set);
    let mut window = [engine.clone().next().unwrap(); 8];
    // 39.9 ms … 60.3 ms: the pulse at 40 ms (3 phases) and the stimulating phase at 60 ms.
    let n = engine.render(39_900, 60_300, &mut window);
    assert_eq!(
        timeline(window[..n].iter().copied())
            .iter()
            .map(|e| e.0)
            .collect::<Vec<_>>(),
        [40_000, 40_200, 40_220, 60_000, 60_200, 60_220]
    );
    // A window that starts inside a phase includes that phase.
    let n = engine.render(40_100, 40_150, &mut window);
    assert_eq!((n, window[0].start_us), (1, 40_000));
    assert_eq!(
        engine.peek_start(),
        Some(0),
        "rendering does not advance the engine"
    );
}
