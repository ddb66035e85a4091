//! The impedance model: one value per contact, and what it says about the contact.

use crate::contacts::{CASE, CONTACT_SLOTS};
use crate::error::ImpedanceFault;

/// Per-contact electrode impedance (Ω) with the range that counts as normal.
///
/// Typical lead contacts measure 300–1500 Ω; below flags a short, above an open circuit.
/// The case is large and low-impedance and is never flagged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ImpedanceModel {
    /// Impedance of each slot, Ω (slot 16 is the case).
    pub ohms: [u32; CONTACT_SLOTS],
    /// Below this a contact is flagged as shorted.
    pub short_below: u32,
    /// Above this a contact is flagged as open.
    pub open_above: u32,
}

impl Default for ImpedanceModel {
    fn default() -> Self {
        let mut ohms = [800; CONTACT_SLOTS];
        ohms[CASE] = 100;
        ImpedanceModel {
            ohms,
            short_below: 300,
            open_above: 1_500,
        }
    }
}

impl ImpedanceModel {
    /// Whether the contact in `slot` is shorted or open; None when normal (or the case).
    pub fn fault(&self, slot: usize) -> Option<ImpedanceFault> {
        let ohms = self.ohms[slot];
        if slot == CASE {
            None
        } else if ohms < self.short_below {
            Some(ImpedanceFault::Short)
        } else if ohms > self.open_above {
            Some(ImpedanceFault::Open)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_range_flags_short_or_open_but_never_the_case() {
        let mut model = ImpedanceModel::default();
        assert_eq!(model.fault(0), None);
        model.ohms[0] = 120;
        model.ohms[1] = 40_000;
        model.ohms[CASE] = 5;
        assert_eq!(model.fault(0), Some(ImpedanceFault::Short));
        assert_eq!(model.fault(1), Some(ImpedanceFault::Open));
        assert_eq!(model.fault(CASE), None);
    }
}
