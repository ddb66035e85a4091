//! What the contacts actually receive, counted from the phase events that were played:
//! each contact's net charge, and the largest charge of one run of one sign.
//!
//! The safety rules check a program before it runs ([`crate::safety`]); the audit checks
//! what came out, whatever the commands were. A run is counted as the validator counts it
//! ([`crate::pattern::Pattern::peak_run_charge`]): current of one sign from its start until
//! current of the other sign flows or the contact's net charge is back to zero; a gap
//! without current does not end it. The oscilloscope's balance verdict and the property
//! tests read it.
//!
//! # Example
//! ```
//! use stim_core::{audit::Audit, engine::Engine, lead::LeadKind, presets, program::ProgramSet, safety};
//! let set = ProgramSet::new(LeadKind::Percutaneous8, &[presets::tonic_bipole()]);
//! let valid = safety::validate(&set, &Default::default(), &Default::default()).unwrap();
//! let mut engine = Engine::new(valid, 0);
//! engine.set_level(0, 2_000, 0, 0);
//! let mut audit = Audit::default();
//! engine.by_ref().take(3).for_each(|e| audit.record(&e)); // one whole pulse
//! assert!(audit.is_neutral());
//! assert_eq!(audit.peak_run_fc(3), 2_000_000 * 200); // 2 mA × 200 µs = 400 nC at E4
//! ```

use crate::contacts::CONTACT_SLOTS;
use crate::engine::PhaseEvent;
use crate::units::FemtoCoulombs;

/// Net charge and runs per contact, from the events played so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Audit {
    net_fc: [FemtoCoulombs; CONTACT_SLOTS],
    run_fc: [FemtoCoulombs; CONTACT_SLOTS],
    peak_run_fc: [u64; CONTACT_SLOTS],
}

impl Audit {
    /// Counts one played event.
    pub fn record(&mut self, event: &PhaseEvent) {
        for slot in 0..CONTACT_SLOTS {
            let charge = event.charge_fc(slot);
            if charge == 0 {
                continue;
            }
            let run = extend_run(&mut self.run_fc[slot], &mut self.net_fc[slot], charge);
            self.peak_run_fc[slot] = self.peak_run_fc[slot].max(run);
        }
    }

    /// The net charge left on `slot` (fC): 0 when every pulse was returned.
    pub fn net_fc(&self, slot: usize) -> FemtoCoulombs {
        self.net_fc[slot]
    }

    /// Whether every contact's net charge is zero, to the femtocoulomb.
    pub fn is_neutral(&self) -> bool {
        self.net_fc.iter().all(|&q| q == 0)
    }

    /// The largest charge one run of one sign put through `slot` (fC).
    pub fn peak_run_fc(&self, slot: usize) -> u64 {
        self.peak_run_fc[slot]
    }
}

/// Adds `charge` to a contact's `run` and `net`; returns the run's size. The one place
/// that says what a run is: a new one starts when the sign turns or the contact was
/// neutral; charge of the same sign, even after a gap, extends it.
pub(crate) fn extend_run(run: &mut i64, net: &mut i64, charge: i64) -> u64 {
    if *run == 0 || run.signum() != charge.signum() || *net == 0 {
        *run = 0;
    }
    *run += charge;
    *net += charge;
    run.unsigned_abs()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::PhaseKind;

    fn event(start_us: u64, duration_us: u32, e4_na: i32) -> PhaseEvent {
        let mut currents_na = [0; CONTACT_SLOTS];
        currents_na[3] = e4_na;
        currents_na[4] = -e4_na;
        PhaseEvent {
            start_us,
            duration_us,
            program: 0,
            kind: PhaseKind::Stimulating,
            currents_na,
        }
    }

    #[test]
    fn stages_of_one_sign_are_one_run_even_across_a_gap() {
        let mut audit = Audit::default();
        // Eight 125 µs stages at −1 mA, a gap, then one more: 1125 µs of one sign.
        for k in 0..8 {
            audit.record(&event(k * 125, 125, -1_000_000));
        }
        audit.record(&event(2_000, 125, -1_000_000));
        assert_eq!(audit.peak_run_fc(3), 1_125 * 1_000_000);
        assert_eq!(audit.net_fc(3), -1_125_000_000);
        audit.record(&event(3_000, 1_125, 1_000_000));
        assert!(audit.is_neutral());
    }

    #[test]
    fn a_run_ends_when_the_sign_turns_or_the_contact_is_neutral() {
        let mut audit = Audit::default();
        // +50, −100, +50 (net 0), then +50 again: the runs are 50, 100, 50, 50.
        for (start, na) in [(0, 500), (100, -1_000), (200, 500), (300, 500)] {
            audit.record(&event(start, 100, na));
        }
        assert_eq!(audit.peak_run_fc(3), 100_000);
        assert_eq!(audit.net_fc(3), 50_000);
    }
}
