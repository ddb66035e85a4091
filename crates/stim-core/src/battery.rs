//! The battery model: charge drawn by the pulses and by the electronics at rest.
//!
//! The battery supplies the current of actively driven phases (stimulating and active
//! recharge); a passive recharge returns charge stored on the coupling capacitors and
//! draws nothing. The electronics draw a quiescent current all the time. Both are
//! settings, with typical values for a rechargeable generator as defaults.

use crate::units::{ChargeMeter, DurationUs, FemtoCoulombs};

/// Nanocoulombs in one mAh (3.6 C).
const NC_PER_MAH: u64 = 3_600_000_000;

/// A battery that drains by the charge drawn from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Battery {
    /// Capacity when full, mAh.
    pub capacity_mah: u32,
    /// Current the electronics draw at rest, nA.
    pub quiescent_na: u32,
    drawn: ChargeMeter,
}

impl Default for Battery {
    fn default() -> Self {
        Battery::new(300, 20_000)
    }
}

impl Battery {
    /// A full battery of `capacity_mah` whose electronics draw `quiescent_na` at rest.
    pub fn new(capacity_mah: u32, quiescent_na: u32) -> Self {
        Battery {
            capacity_mah,
            quiescent_na,
            drawn: ChargeMeter::default(),
        }
    }

    /// Draws the charge of a phase (its sourced current × duration).
    pub fn draw(&mut self, charge: FemtoCoulombs) {
        self.drawn.add(charge);
    }

    /// Draws the quiescent current for `elapsed`.
    pub fn idle(&mut self, elapsed: DurationUs) {
        self.drawn.add(self.quiescent_na as i64 * elapsed as i64);
    }

    /// Charge left, nC.
    pub fn remaining_nc(&self) -> u64 {
        (self.capacity_mah as u64 * NC_PER_MAH).saturating_sub(self.drawn.nanocoulombs())
    }

    /// State of charge, ‰ of capacity.
    pub fn permille(&self) -> u16 {
        let capacity = self.capacity_mah as u64 * NC_PER_MAH;
        (self.remaining_nc() * 1_000 / capacity.max(1)) as u16
    }

    /// Whether the battery is empty.
    pub fn is_empty(&self) -> bool {
        self.remaining_nc() == 0
    }

    /// Hours left at an average stimulation current of `stimulation_na` (plus the
    /// quiescent current), in tenths of an hour.
    pub fn tenths_of_hours_left(&self, stimulation_na: u64) -> u32 {
        let drain_na = stimulation_na + self.quiescent_na as u64;
        // nC ÷ nA = s; × 10 ÷ 3600 = tenths of an hour.
        (self.remaining_nc() * 10 / drain_na.max(1) / 3_600).min(u32::MAX as u64) as u32
    }

    /// Recharges to full (the virtual device's charger).
    pub fn recharge(&mut self) {
        self.drawn = ChargeMeter::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_300_mah_battery_at_20_ua_rest_lasts_15000_hours() {
        // 300 mAh / 0.020 mA = 15 000 h (analytic).
        assert_eq!(Battery::default().tenths_of_hours_left(0), 150_000);
    }

    #[test]
    fn drawing_a_tenth_of_capacity_leaves_900_permille() {
        let mut battery = Battery::new(1, 0);
        // 0.1 mAh = 0.36 C = 3.6e14 fC, in pulses of 1 µC.
        for _ in 0..360_000 {
            battery.draw(1_000_000_000);
        }
        assert_eq!(battery.permille(), 900);
        battery.idle(1);
        assert!(!battery.is_empty());
    }
}
