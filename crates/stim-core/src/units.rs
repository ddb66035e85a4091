//! Integer units of the core, so the board, the browser and the host compute the same numbers.
//!
//! Programs are set in µA and µs. A phase's current is the programmed current scaled by a
//! weight in per-mille (‰), so per-contact phase currents are in nA (µA × ‰), always exact
//! integers; charge is then nA × µs = fC, also exact. That exactness is what lets every
//! pulse be charge-balanced to the last femtocoulomb at any amplitude, ramps included.

/// An instant in microseconds since the engine's origin.
pub type TimeUs = u64;
/// A duration in microseconds.
pub type DurationUs = u32;
/// A programmed current in microamperes (always ≥ 0; the contact says the sign).
pub type MicroAmps = u32;
/// A phase current at one contact in nanoamperes: + anodic (into the tissue), − cathodic.
pub type NanoAmps = i32;
/// A weight in thousandths of the programmed current: +1000 is the stimulating phase as
/// programmed, −1000 its mirror, 0 a gap.
pub type Permille = i16;
/// A charge in femtocoulombs (nA × µs), signed like the current.
pub type FemtoCoulombs = i64;

/// Femtocoulombs in one nanocoulomb.
pub const FC_PER_NC: i64 = 1_000_000;

/// The charge of a constant current over a duration.
pub const fn charge_fc(current: NanoAmps, duration: DurationUs) -> FemtoCoulombs {
    current as i64 * duration as i64
}

/// An accumulating charge meter in whole nC that loses no femtocoulomb to rounding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ChargeMeter {
    nanocoulombs: u64,
    femtocoulombs: u32,
}

impl ChargeMeter {
    /// Adds the magnitude of `charge`.
    pub fn add(&mut self, charge: FemtoCoulombs) {
        let total = self.femtocoulombs as u64 + charge.unsigned_abs();
        self.nanocoulombs += total / FC_PER_NC as u64;
        self.femtocoulombs = (total % FC_PER_NC as u64) as u32;
    }

    /// The whole nanocoulombs counted so far.
    pub fn nanocoulombs(&self) -> u64 {
        self.nanocoulombs
    }
}

/// Writes `value` thousandths as a decimal with one digit after the point (2550 → "2.5").
pub(crate) struct Thousandths(pub u64);

impl core::fmt::Display for Thousandths {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}.{}", self.0 / 1000, (self.0 % 1000) / 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_milliamp_for_100_us_is_a_tenth_of_a_microcoulomb() {
        // 1 mA = 1 000 000 nA; × 100 µs = 1e8 fC = 100 nC = 0.1 µC.
        assert_eq!(charge_fc(1_000_000, 100), 100 * FC_PER_NC);
    }

    #[test]
    fn the_meter_carries_fractions_of_a_nanocoulomb() {
        let mut meter = ChargeMeter::default();
        for _ in 0..3 {
            meter.add(-400_000); // 0.4 nC each, sign ignored
        }
        assert_eq!(meter.nanocoulombs(), 1);
        meter.add(800_000);
        assert_eq!(meter.nanocoulombs(), 2);
    }

    #[test]
    fn thousandths_print_one_decimal() {
        extern crate std;
        use std::string::ToString;
        assert_eq!(Thousandths(2550).to_string(), "2.5");
        assert_eq!(Thousandths(30_000).to_string(), "30.0");
    }
}
