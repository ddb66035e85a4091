//! Contacts and their polarity: which contacts are anodes, which cathodes, with what share.
//!
//! A lead has up to 16 contacts (E1–E16); slot 16 is the generator's case, which may serve
//! as the anode (monopolar stimulation). The shares of each sign add to 100 %.

use crate::units::MicroAmps;

/// Contacts on the longest lead.
pub const LEAD_CONTACTS: usize = 16;
/// The slot of the generator's case.
pub const CASE: usize = LEAD_CONTACTS;
/// Lead contacts plus the case.
pub const CONTACT_SLOTS: usize = LEAD_CONTACTS + 1;

/// What a contact does in a program.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Polarity {
    /// Not used.
    #[default]
    Off,
    /// + : current flows from this contact into the tissue in the stimulating phase.
    Anode,
    /// − : current flows from the tissue into this contact; excites nearby fibres.
    Cathode,
}

/// One contact's role: polarity and its share (0–100 %) of that polarity's current.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Contact {
    /// Anode, cathode or off.
    pub polarity: Polarity,
    /// Percentage of the programmed current this contact carries on its side.
    pub share_pct: u8,
}

/// The polarity and share of every contact slot (16 lead contacts and the case).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Electrodes {
    /// Slots 0–15 are lead contacts E1–E16, slot 16 ([`CASE`]) is the case.
    pub contacts: [Contact; CONTACT_SLOTS],
}

impl Electrodes {
    /// All contacts off.
    pub const fn off() -> Self {
        Electrodes {
            contacts: [Contact {
                polarity: Polarity::Off,
                share_pct: 0,
            }; CONTACT_SLOTS],
        }
    }

    /// The same electrodes with `slot` set to `polarity` at `share_pct` (a builder).
    ///
    /// # Panics
    /// If `slot` is not below [`CONTACT_SLOTS`].
    pub const fn with(mut self, slot: usize, polarity: Polarity, share_pct: u8) -> Self {
        self.contacts[slot] = Contact {
            polarity,
            share_pct,
        };
        self
    }

    /// Sum of the shares of the contacts of `polarity`, in %.
    pub fn share_sum(&self, polarity: Polarity) -> u16 {
        self.contacts
            .iter()
            .filter(|c| c.polarity == polarity)
            .map(|c| c.share_pct as u16)
            .sum()
    }

    /// Whether any contact has `polarity`.
    pub fn has(&self, polarity: Polarity) -> bool {
        self.contacts
            .iter()
            .any(|c| c.polarity == polarity && c.share_pct > 0)
    }

    /// The stimulating-phase current of each slot for `amplitude` (µA): + at anodes, − at
    /// cathodes. Each side adds up to exactly `amplitude` (largest-remainder rounding, ties
    /// to the lower slot), so the phase's currents sum to zero.
    ///
    /// Assumes each side's shares add to 100 % (the safety check enforces it).
    pub fn split(&self, amplitude: MicroAmps) -> [i32; CONTACT_SLOTS] {
        let mut out = [0i32; CONTACT_SLOTS];
        for (polarity, sign) in [(Polarity::Anode, 1i32), (Polarity::Cathode, -1i32)] {
            let mut remainders = [0u32; CONTACT_SLOTS];
            let mut assigned: u64 = 0;
            for (slot, contact) in self.contacts.iter().enumerate() {
                if contact.polarity == polarity {
                    let raw = amplitude as u64 * contact.share_pct as u64;
                    out[slot] = (raw / 100) as i32;
                    remainders[slot] = (raw % 100) as u32 + 1; // +1 marks membership
                    assigned += raw / 100;
                }
            }
            let mut leftover = (amplitude as u64).saturating_sub(assigned);
            while leftover > 0 {
                // The member with the largest remainder not yet topped up (lowest slot on ties).
                let Some((slot, _)) = remainders
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| **r > 0)
                    .max_by(|(ia, ra), (ib, rb)| ra.cmp(rb).then(ib.cmp(ia)))
                else {
                    break;
                };
                out[slot] += 1;
                remainders[slot] = 0;
                leftover -= 1;
            }
            for current in out.iter_mut().zip(self.contacts.iter()) {
                if current.1.polarity == polarity {
                    *current.0 *= sign;
                }
            }
        }
        out
    }
}

/// A contact's name as a clinician reads it: E1–E16, or "case".
pub struct ContactName(pub usize);

impl core::fmt::Display for ContactName {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        if self.0 == CASE {
            f.write_str("the case")
        } else {
            write!(f, "E{}", self.0 + 1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bipole_carries_the_whole_amplitude_each_way() {
        let e = Electrodes::off()
            .with(3, Polarity::Cathode, 100)
            .with(4, Polarity::Anode, 100);
        let i = e.split(2_500);
        assert_eq!((i[3], i[4]), (-2_500, 2_500));
        assert_eq!(i.iter().sum::<i32>(), 0);
    }

    #[test]
    fn uneven_shares_round_to_an_exact_total() {
        // 1001 µA over 33/33/34 %: 330.33, 330.33, 340.34 → 330 + 330 + 341 = 1001.
        let e = Electrodes::off()
            .with(0, Polarity::Cathode, 33)
            .with(1, Polarity::Cathode, 33)
            .with(2, Polarity::Cathode, 34)
            .with(CASE, Polarity::Anode, 100);
        let i = e.split(1_001);
        assert_eq!(&i[0..3], &[-330, -330, -341]);
        assert_eq!(i[CASE], 1_001);
        assert_eq!(i.iter().sum::<i32>(), 0);
    }

    #[test]
    fn ties_go_to_the_lower_contact() {
        let e = Electrodes::off()
            .with(5, Polarity::Cathode, 50)
            .with(6, Polarity::Cathode, 50)
            .with(CASE, Polarity::Anode, 100);
        assert_eq!(&e.split(3)[5..7], &[-2, -1]);
    }
}
