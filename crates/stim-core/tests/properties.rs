//! Properties of every program the safety rules accept: the engine's output is
//! charge-balanced, never exceeds the limits and never overlaps phases — at any amplitude
//! in the patient range, during ramps too.

use proptest::prelude::*;
use stim_core::contacts::{Electrodes, Polarity, CASE};
use stim_core::engine::Engine;
use stim_core::lead::LeadKind;
use stim_core::program::{AmplitudeRange, Program, ProgramSet, Recharge, Stage, Waveform};
use stim_core::safety::{validate, Limits};

/// Shares that add to 100 % (or, one time in eight, do not).
fn shares(n: usize) -> impl Strategy<Value = Vec<u8>> {
    (proptest::collection::vec(1u8..=100, n), 0u8..8).prop_map(|(mut raw, broken)| {
        let total: u32 = raw.iter().map(|&s| s as u32).sum();
        let mut assigned = 0u32;
        for share in raw.iter_mut() {
            *share = (*share as u32 * 100 / total) as u8;
            assigned += *share as u32;
        }
        raw[0] += (100 - assigned) as u8;
        if broken == 0 {
            raw[0] = raw[0].saturating_sub(1);
        }
        raw
    })
}

fn electrodes() -> impl Strategy<Value = Electrodes> {
    let shuffled = Just(()).prop_perturb(|_, mut rng| {
        let mut slots: Vec<usize> = (0..8).collect();
        for i in (1..slots.len()).rev() {
            slots.swap(i, rng.random_range(0..=i));
        }
        slots
    });
    // 0 anodes on the lead: the case is the anode (monopolar).
    (shuffled, 1usize..=3, 0usize..=2)
        .prop_flat_map(|(slots, cathodes, anodes)| {
            (
                Just(slots),
                shares(cathodes),
                shares(anodes.max(1)),
                Just(anodes),
            )
        })
        .prop_map(|(slots, cathode_shares, anode_shares, anodes)| {
            let mut e = Electrodes::off();
            for (slot, share) in slots.iter().zip(&cathode_shares) {
                e = e.with(*slot, Polarity::Cathode, *share);
            }
            if anodes == 0 {
                e = e.with(CASE, Polarity::Anode, anode_shares[0]);
            }
            for (slot, share) in slots
                .iter()
                .skip(cathode_shares.len())
                .take(anodes)
                .zip(&anode_shares)
            {
                e = e.with(*slot, Polarity::Anode, *share);
            }
            e
        })
}

/// A recharge that balances a stimulating charge of `weight_us` (‰·µs), or not.
fn recharge(weight_us: u64) -> impl Strategy<Value = Recharge> {
    prop_oneof![
        3 => Just(Recharge::Active),
        2 => prop::sample::select(vec![250u16, 500, 1_000]).prop_map(move |permille| Recharge::Passive {
            width_us: (weight_us / permille as u64) as u32,
            amplitude_permille: permille,
        }),
        1 => (20u32..20_000, 1u16..=1_000).prop_map(|(width_us, amplitude_permille)| Recharge::Passive { width_us, amplitude_permille }),
    ]
}

fn waveform_and_recharge() -> impl Strategy<Value = (Waveform, Recharge)> {
    prop_oneof![
        (1u16..=1_300, 10u32..=1_100).prop_flat_map(|(rate_hz, width_us)| {
            (
                Just(Waveform::Tonic { rate_hz, width_us }),
                recharge(width_us as u64 * 1_000),
            )
        }),
        (1_000u16..=10_000, 20u32..=60).prop_flat_map(|(rate_hz, width_us)| {
            (
                Just(Waveform::HighFrequency { rate_hz, width_us }),
                recharge(width_us as u64 * 1_000),
            )
        }),
        (20u16..=60, 1u8..=6, 200u16..=1_000, 20u32..=1_000).prop_flat_map(
            |(burst_rate_hz, pulses, intra_rate_hz, width_us)| {
                let w = Waveform::Burst {
                    burst_rate_hz,
                    pulses,
                    intra_rate_hz,
                    width_us,
                };
                (Just(w), recharge(width_us as u64 * 1_000 * pulses as u64))
            }
        ),
        (1_000u32..=50_000, 20u32..=500, 1i16..=500, 0u32..=100).prop_map(
            |(period_us, d, w, gap)| {
                // A stage, a gap, and its return at half the current for twice as long.
                let stages = heapless::Vec::from_slice(&[
                    Stage {
                        duration_us: d,
                        amplitude_permille: 2 * w,
                    },
                    Stage {
                        duration_us: gap.max(1),
                        amplitude_permille: 0,
                    },
                    Stage {
                        duration_us: 2 * d,
                        amplitude_permille: -w,
                    },
                ])
                .unwrap();
                (Waveform::Custom { period_us, stages }, Recharge::Active)
            }
        ),
    ]
}

fn program() -> impl Strategy<Value = Program> {
    (
        electrodes(),
        waveform_and_recharge(),
        0u32..=8_000,
        0u32..=3_000,
        0u32..=3_000,
        0u32..=120,
    )
        .prop_map(
            |(electrodes, (waveform, recharge), amplitude_ua, below, above, interphase_gap_us)| {
                Program {
                    electrodes,
                    waveform,
                    amplitude_ua,
                    interphase_gap_us,
                    recharge,
                    patient_range: AmplitudeRange {
                        min_ua: amplitude_ua.saturating_sub(below),
                        max_ua: amplitude_ua + above,
                    },
                    offset_us: 0,
                }
            },
        )
}

/// One program, or two interleaved: the second a copy with other contacts and an offset.
fn program_set() -> impl Strategy<Value = ProgramSet> {
    (
        program(),
        proptest::option::of((electrodes(), 0u32..20_000)),
    )
        .prop_map(|(first, second)| {
            let mut programs = vec![first.clone()];
            if let Some((electrodes, offset_us)) = second {
                programs.push(Program {
                    electrodes,
                    offset_us,
                    ..first
                });
            }
            ProgramSet::new(LeadKind::Percutaneous8, &programs)
        })
}

/// Amplitude changes within the patient range: (when, program, fraction of the range, ramp).
fn changes() -> impl Strategy<Value = Vec<(u64, usize, u32, u32)>> {
    proptest::collection::vec(
        (
            0u64..200_000,
            0usize..2,
            0u32..=100,
            prop::sample::select(vec![0u32, 1_000, 50_000]),
        ),
        0..4,
    )
}

proptest! {
    // 512 accepted programs; proptest fails the test if too few are accepted.
    #![proptest_config(ProptestConfig { cases: 512, max_global_rejects: 4_096, ..ProptestConfig::default() })]

    #[test]
    fn accepted_programs_are_balanced_within_limits_and_never_overlap(set in program_set(), mut changes in changes()) {
        let limits = Limits::default();
        let valid = validate(&set, &limits, &Default::default());
        prop_assume!(valid.is_ok(), "refused programs are the safety tests' business");
        let valid = valid.unwrap();
        let area_mm2_x100 = set.lead.contact_area_mm2_x100() as i64;
        let mut engine = Engine::new(valid.clone(), 0);
        for (program, p) in set.programs.iter().enumerate() {
            engine.set_level(program, p.amplitude_ua, 0, 0);
        }
        changes.sort();
        let mut changes = changes.into_iter().peekable();
        let mut last_end = 0;
        let mut open = vec![(0usize, [0i64; 17]); set.programs.len()];
        for _ in 0..400 {
            // Apply amplitude changes due before the next event, as the device would.
            let Some(next) = engine.peek_start() else { break };
            while let Some(&(at, program, fraction, ramp)) = changes.peek() {
                if at > next { break }
                changes.next();
                let program = program % set.programs.len();
                let range = set.programs[program].patient_range;
                let to = range.min_ua + (range.max_ua - range.min_ua) * fraction / 100;
                engine.set_level(program, to, at.max(last_end), ramp);
            }
            let Some(event) = engine.next() else { break };
            let program = event.program as usize;
            let ceiling = set.programs[program].amplitude_ua.max(set.programs[program].patient_range.max_ua);

            prop_assert!(event.start_us >= last_end, "phases overlap at {} µs", event.start_us);
            last_end = event.end_us();
            prop_assert_eq!(event.currents_na.iter().map(|&c| c as i64).sum::<i64>(), 0, "currents sum to zero");
            for (slot, &current) in event.currents_na.iter().enumerate() {
                prop_assert!(current.unsigned_abs() <= ceiling * 1_000, "{} nA above the ceiling", current);
                if event.kind.is_driven() && slot != CASE {
                    // nA × µs = fC; ÷ (100 × area in 10⁻⁴ cm²) = nC/cm².
                    let density = event.charge_fc(slot).abs() / (100 * area_mm2_x100);
                    prop_assert!(density <= limits.max_density_nc_per_cm2 as i64);
                }
            }
            // Balance: each period's phases return every contact's charge.
            let phases = valid.patterns()[program].phases.len();
            let (count, net) = &mut open[program];
            for (slot, total) in net.iter_mut().enumerate() {
                *total += event.charge_fc(slot);
            }
            *count += 1;
            if *count == phases {
                prop_assert_eq!(*net, [0i64; 17], "a period of program {} ending at {} µs is unbalanced", program, last_end);
                *count = 0;
            }
        }
    }
}
