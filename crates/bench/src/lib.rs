//! Workloads for `cargo xtask bench`: the same code timed natively (`src/main.rs`) and as
//! wasm under Node (`run.mjs`), so the two can be compared as a ratio from one run.

use core::hint::black_box;

pub mod field;
pub mod preview;

use stim_core::contacts::{Electrodes, Polarity};
use stim_core::engine::Engine;
use stim_core::lead::LeadKind;
use stim_core::presets;
use stim_core::program::{AmplitudeRange, Program, ProgramSet, Waveform};
use stim_core::safety::validate;

/// The engine workloads: (name, description).
pub const ENGINE_CASES: [(&str, &str); 3] = [
    ("tonic-8", "tonic 50 Hz, 200 µs, 8 contacts"),
    ("10khz-16", "10 kHz, 30 µs, 16 contacts"),
    ("interleaved-4", "4 interleaved tonic programs"),
];

/// `n` alternating cathodes and anodes from E1, each side sharing the current evenly.
fn alternating(n: usize) -> Electrodes {
    let side = n / 2;
    let mut e = Electrodes::off();
    for slot in 0..n {
        let polarity = if slot % 2 == 0 {
            Polarity::Cathode
        } else {
            Polarity::Anode
        };
        // Even shares, the remainder on the first contacts of each side.
        let share = 100 / side + usize::from(slot / 2 < 100 % side);
        e = e.with(slot, polarity, share as u8);
    }
    e
}

fn program_set(case: usize) -> ProgramSet {
    let tonic = Program {
        electrodes: alternating(8),
        patient_range: AmplitudeRange {
            min_ua: 0,
            max_ua: 2_000,
        },
        ..presets::tonic_bipole()
    };
    match case {
        0 => ProgramSet::new(LeadKind::Percutaneous8, &[tonic]),
        1 => ProgramSet::new(
            LeadKind::Percutaneous16,
            &[Program {
                electrodes: alternating(16),
                ..presets::ten_khz()
            }],
        ),
        _ => {
            let programs: Vec<Program> = (0..4u32)
                .map(|i| Program {
                    electrodes: Electrodes::off()
                        .with(2 * i as usize, Polarity::Cathode, 100)
                        .with(2 * i as usize + 1, Polarity::Anode, 100),
                    waveform: Waveform::Tonic {
                        rate_hz: 50,
                        width_us: 200,
                    },
                    offset_us: i * 5_000,
                    ..tonic.clone()
                })
                .collect();
            ProgramSet::new(LeadKind::Percutaneous8, &programs)
        }
    }
}

/// Plays `events` phase events of engine case `case` (an index into [`ENGINE_CASES`]);
/// returns the simulated time they cover, µs.
///
/// The consumer reads every current of every event (as the field model does) into a
/// checksum that escapes through `black_box`, so no work is optimised away.
///
/// # Panics
/// If a workload's program set is refused (a bug in this file).
pub fn run_engine(case: usize, events: u32) -> f64 {
    let set = program_set(case);
    let valid = validate(&set, &Default::default(), &Default::default())
        .expect("benchmark programs are valid");
    let mut engine = Engine::new(valid, 0);
    for (program, p) in set.programs.iter().enumerate() {
        engine.set_level(program, p.amplitude_ua, 0, 0);
    }
    let (mut end, mut checksum) = (0, 0i64);
    for event in engine.by_ref().take(events as usize) {
        end = event.end_us();
        checksum = checksum
            .wrapping_add(event.currents_na.iter().map(|&c| c as i64).sum::<i64>() ^ end as i64);
    }
    black_box(checksum);
    end as f64
}

/// The wasm entry points for `run.mjs`.
#[cfg(target_arch = "wasm32")]
mod wasm {
    use wasm_bindgen::prelude::wasm_bindgen;

    /// See [`crate::run_engine`].
    #[wasm_bindgen]
    pub fn run_engine_case(case: usize, events: u32) -> f64 {
        crate::run_engine(case, events)
    }

    /// One contact's system, assembled (not timed), to solve (timed).
    #[wasm_bindgen]
    pub struct FieldSolve(spine_field::operator::Operator, Vec<f64>);

    #[wasm_bindgen]
    impl FieldSolve {
        /// Assembles the system.
        #[wasm_bindgen(constructor)]
        pub fn new() -> FieldSolve {
            let (op, b) = crate::field::reference_system();
            FieldSolve(op, b)
        }

        /// Multigrid set-up and CG solve; returns the iterations.
        pub fn solve(&self) -> usize {
            crate::field::solve_contact(&self.0, &self.1)
        }

        /// Unknowns of the system.
        pub fn cells(&self) -> usize {
            self.0.len()
        }
    }

    /// The unit fields of a whole 1 × 16 on the fine grid; returns the most iterations
    /// of any contact.
    #[wasm_bindgen]
    pub fn unit_fields_16() -> usize {
        crate::field::unit_fields_16()
    }

    /// See [`crate::field::unit_fields_16_share`]: contacts `first..end`.
    #[wasm_bindgen]
    pub fn unit_fields_16_share(first: usize, end: usize) -> usize {
        crate::field::unit_fields_16_share(first..end)
    }

    /// How the app shares a 1 × 16 among `workers`: `[first, end]` of each share.
    #[wasm_bindgen]
    pub fn shares_16(workers: usize) -> Vec<u32> {
        field_worker::shares(16, workers)
            .into_iter()
            .flat_map(|share| [share.start as u32, share.end as u32])
            .collect()
    }

    /// See [`crate::field::unit_fields_16_one_at_a_time`].
    #[wasm_bindgen]
    pub fn unit_fields_16_one_at_a_time() -> usize {
        crate::field::unit_fields_16_one_at_a_time()
    }

    /// See [`crate::field::setup_16`].
    #[wasm_bindgen]
    pub fn setup_16() -> usize {
        crate::field::setup_16()
    }

    /// See [`crate::preview::atlas_level`].
    #[wasm_bindgen]
    pub fn atlas_level() -> usize {
        crate::preview::atlas_level()
    }

    /// The atlas of a drag, for timing drag steps.
    #[wasm_bindgen]
    pub struct DragPreview(crate::preview::Drag);

    #[wasm_bindgen]
    impl DragPreview {
        /// Solves the atlas's levels (slow; not timed).
        #[wasm_bindgen(constructor)]
        pub fn new() -> DragPreview {
            DragPreview(crate::preview::Drag::new())
        }

        /// See [`crate::preview::Drag::step`].
        pub fn step(&self, contacts: usize, offset: f64) -> usize {
            self.0.step(contacts, offset)
        }
    }

    /// The solved model, for timing program updates.
    #[wasm_bindgen]
    pub struct FieldUpdates(crate::field::Updates);

    #[wasm_bindgen]
    impl FieldUpdates {
        /// Solves the model (slow; not timed).
        #[wasm_bindgen(constructor)]
        pub fn new() -> FieldUpdates {
            FieldUpdates(crate::field::Updates::new())
        }

        /// One program update; returns the feet's coverage.
        pub fn update(&mut self, amplitude_ma: f64) -> f64 {
            self.0.update(amplitude_ma)
        }

        /// Cells of the model's grid.
        pub fn cells(&self) -> usize {
            self.0.cells()
        }

        /// Every fibre's membrane threshold for the update's program at 300 µs, on one
        /// thread; returns the simulations run.
        pub fn membrane(&self) -> usize {
            let (fibres, stimulus) = self.0.membrane_drives();
            crate::field::Updates::membrane(&fibres, &stimulus)
        }

        /// The ECAP growth curve (amplitudes and ECAPs interleaved).
        pub fn growth(&self) -> Vec<f64> {
            self.0
                .growth()
                .into_iter()
                .flat_map(|(a, b)| [a, b])
                .collect()
        }
    }

    /// One simulated second of closed loop on a growth curve (amplitudes and ECAPs
    /// interleaved); the amplitude it ends at, µA.
    #[wasm_bindgen]
    pub fn closed_loop_second(growth: &[f64]) -> u32 {
        let pairs: Vec<(f64, f64)> = growth.chunks_exact(2).map(|p| (p[0], p[1])).collect();
        crate::field::closed_loop_second(&pairs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_workload_runs_and_covers_the_expected_time() {
        // 30 000 events of 10 kHz (3 phases a pulse) cover one second.
        assert_eq!(run_engine(1, 30_000), 1_000_000.0 - 100.0 + 80.0);
        for case in 0..ENGINE_CASES.len() {
            assert!(run_engine(case, 1_000) > 0.0);
        }
    }
}
