//! The pin plan against pulse trains computed by hand from the programs, and its
//! invariants over every preset: one pin's pulses never touch or overlap, and each pin is
//! high exactly as long as the phases that drive it.

use stim_core::device::{Command, Device};
use stim_core::lead::LeadKind;
use stim_core::pattern::PhaseKind;
use stim_core::presets;
use stim_core::program::{Program, ProgramSet, Stage, Waveform};
use stim_fw::pins::{Pair, Pin, Plan, Pulse};

fn set_of(program: Program) -> ProgramSet {
    ProgramSet::new(LeadKind::Percutaneous8, &[program])
}

/// Plays `set` from 0 to `until_us` and plans its pins, releasing at the end.
fn plan(set: &ProgramSet, until_us: u64) -> Vec<Pulse> {
    let mut device = Device::default();
    device
        .handle(0, Command::LoadProgramSet(set.clone()))
        .unwrap();
    device.handle(0, Command::Start).unwrap();
    let mut plan = Plan::new(Pair::of(set).unwrap());
    let mut pulses = vec![];
    device.advance(until_us, |e| plan.push(e, |p| pulses.push(p)));
    plan.release(u64::MAX, |p| pulses.push(p));
    pulses.sort_by_key(|p| (p.from_us, p.pin as u8));
    pulses
}

#[test]
fn tonic_gives_a_cathodic_pulse_a_gap_then_the_anodic_recharge_each_period() {
    // 2 mA, 200 µs, 20 µs interphase gap, active recharge, 50 Hz (period 20 ms).
    let pulses = plan(&set_of(presets::tonic_bipole()), 40_000);
    let first_period: Vec<_> = pulses.iter().filter(|p| p.from_us < 20_000).collect();
    assert_eq!(
        first_period,
        [
            &Pulse {
                pin: Pin::Cathodic,
                from_us: 0,
                to_us: 200
            },
            &Pulse {
                pin: Pin::Trigger,
                from_us: 0,
                to_us: 200
            },
            &Pulse {
                pin: Pin::Anodic,
                from_us: 220,
                to_us: 420
            },
        ]
    );
    assert!(pulses.contains(&Pulse {
        pin: Pin::Cathodic,
        from_us: 20_000,
        to_us: 20_200
    }));
}

#[test]
fn back_to_back_stages_of_one_sign_join_into_one_pulse() {
    let mut program = presets::tonic_bipole();
    program.waveform = Waveform::Custom {
        period_us: 10_000,
        stages: [(100, 1000), (150, 500), (350, -500)]
            .into_iter()
            .map(|(duration_us, amplitude_permille)| Stage {
                duration_us,
                amplitude_permille,
            })
            .collect(),
    };
    let pulses = plan(&set_of(program), 10_000);
    let cathodic: Vec<_> = pulses.iter().filter(|p| p.pin == Pin::Cathodic).collect();
    assert_eq!(
        cathodic,
        [&Pulse {
            pin: Pin::Cathodic,
            from_us: 0,
            to_us: 250
        }]
    );
    let anodic: Vec<_> = pulses.iter().filter(|p| p.pin == Pin::Anodic).collect();
    assert_eq!(
        anodic,
        [&Pulse {
            pin: Pin::Anodic,
            from_us: 250,
            to_us: 600
        }]
    );
}

#[test]
fn a_pulse_is_held_until_the_horizon_passes_its_end() {
    let set = set_of(presets::tonic_bipole());
    let mut device = Device::default();
    device
        .handle(0, Command::LoadProgramSet(set.clone()))
        .unwrap();
    device.handle(0, Command::Start).unwrap();
    let mut plan = Plan::new(Pair::of(&set).unwrap());
    let mut pulses = vec![];
    device.advance(100, |e| plan.push(e, |p| pulses.push(p)));
    assert!(pulses.is_empty(), "the first phase could still grow");
    plan.release(200, |p| pulses.push(p));
    assert!(
        pulses.is_empty(),
        "a phase starting at 200 µs would join it"
    );
    plan.release(201, |p| pulses.push(p));
    assert_eq!(pulses.len(), 2, "cathodic and trigger pulses, 0–200 µs");
}

#[test]
fn every_preset_keeps_pins_apart_and_high_exactly_as_long_as_its_phases() {
    for program in [
        presets::tonic_bipole(),
        presets::guarded_cathode(),
        presets::lower_monopolar(),
        presets::classic_burst(),
        presets::ten_khz(),
        presets::custom_asymmetric(),
    ] {
        let set = set_of(program);
        let pair = Pair::of(&set).unwrap();
        let pulses = plan(&set, 100_000);
        for pin in [Pin::Cathodic, Pin::Anodic, Pin::Trigger] {
            let own: Vec<_> = pulses.iter().filter(|p| p.pin == pin).collect();
            assert!(!own.is_empty(), "{pin:?} never rises");
            for w in own.windows(2) {
                assert!(w[0].to_us < w[1].from_us, "{pin:?} pulses touch: {w:?}");
            }
            assert!(own.iter().all(|p| p.from_us < p.to_us));
            // High time against the phases that drive the pin.
            let mut device = Device::default();
            device
                .handle(0, Command::LoadProgramSet(set.clone()))
                .unwrap();
            device.handle(0, Command::Start).unwrap();
            let mut expected = 0;
            device.advance(100_000, |e| {
                let (c, a) = (e.currents_na[pair.cathode], e.currents_na[pair.anode]);
                let high = match pin {
                    Pin::Cathodic => c < 0 && a > 0,
                    Pin::Anodic => c > 0 && a < 0,
                    Pin::Trigger => e.kind == PhaseKind::Stimulating,
                };
                if high {
                    expected += e.duration_us as u64;
                }
            });
            let high: u64 = own.iter().map(|p| p.to_us - p.from_us).sum();
            assert_eq!(high, expected, "{pin:?}");
        }
    }
}
