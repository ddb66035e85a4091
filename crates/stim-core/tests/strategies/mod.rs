//! Generators of program sets for the property tests: valid and invalid shares,
//! electrodes, every waveform (custom trains among them) and recharge.
// Each test file uses its own subset of these generators.
#![allow(dead_code)]

use proptest::prelude::*;
use stim_core::contacts::{Electrodes, Polarity, CASE};
use stim_core::lead::LeadKind;
use stim_core::program::{AmplitudeRange, Program, ProgramSet, Recharge, Stage, Waveform};

/// Shares that add to 100 % (or, one time in eight, do not).
pub fn shares(n: usize) -> impl Strategy<Value = Vec<u8>> {
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

pub fn electrodes() -> impl Strategy<Value = Electrodes> {
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
pub fn recharge(weight_us: u64) -> impl Strategy<Value = Recharge> {
    prop_oneof![
        3 => Just(Recharge::Active),
        2 => prop::sample::select(vec![250u16, 500, 1_000]).prop_map(move |permille| Recharge::Passive {
            width_us: (weight_us / permille as u64) as u32,
            amplitude_permille: permille,
        }),
        1 => (20u32..20_000, 1u16..=1_000).prop_map(|(width_us, amplitude_permille)| Recharge::Passive { width_us, amplitude_permille }),
    ]
}

pub fn waveform_and_recharge() -> impl Strategy<Value = (Waveform, Recharge)> {
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
        custom_train().prop_map(|w| (w, Recharge::Active)),
    ]
}

/// A custom train of up to six stages of either sign (often several of one sign back to
/// back: one long phase written in pieces), balanced by a last stage, with room to spare.
pub fn custom_train() -> impl Strategy<Value = Waveform> {
    let stage = (
        prop::sample::select(vec![-1_000i16, -500, -250, 0, 250, 500, 1_000]),
        1u32..=75,
    );
    (proptest::collection::vec(stage, 1..=6), 0u32..=20_000).prop_map(|(raw, slack)| {
        // Durations in steps of 4 µs keep Σ weight × duration a multiple of 1000 ‰·µs,
        // so one full-current stage can return it exactly.
        let mut stages: heapless::Vec<Stage, 16> = raw
            .iter()
            .map(|&(w, d)| Stage {
                duration_us: 4 * d,
                amplitude_permille: w,
            })
            .collect();
        let net: i64 = stages
            .iter()
            .map(|s| s.amplitude_permille as i64 * s.duration_us as i64)
            .sum();
        if net != 0 {
            let _ = stages.push(Stage {
                duration_us: (net.unsigned_abs() / 1_000) as u32,
                amplitude_permille: if net > 0 { -1_000 } else { 1_000 },
            });
        }
        let busy: u32 = stages.iter().map(|s| s.duration_us).sum();
        Waveform::Custom {
            period_us: (busy + slack).max(100),
            stages,
        }
    })
}

pub fn program() -> impl Strategy<Value = Program> {
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
pub fn program_set() -> impl Strategy<Value = ProgramSet> {
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
