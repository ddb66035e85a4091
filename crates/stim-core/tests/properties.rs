//! Properties of every program the safety rules accept: the engine's output is
//! charge-balanced, never exceeds the limits and never overlaps phases — at any amplitude
//! in the patient range, during ramps too.

use proptest::prelude::*;
use stim_core::contacts::CASE;
use stim_core::engine::Engine;
use stim_core::safety::{validate, Limits};

mod strategies;
use strategies::program_set;

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
