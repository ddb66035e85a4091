//! Integer units of the core: time in µs, current in µA, charge in nC.
//!
//! Charge per phase = amplitude × pulse width: 1 mA × 100 µs = 100 nC = 0.1 µC.

/// Current in microamperes.
pub type MicroAmps = u32;
/// Duration or instant in microseconds.
pub type Micros = u32;
/// Charge in nanocoulombs.
pub type NanoCoulombs = u64;

/// The charge one phase of `amplitude` lasting `width` delivers (µA × µs = pC; ÷ 1000 → nC, exact in pC).
pub const fn charge_nc(amplitude: MicroAmps, width: Micros) -> NanoCoulombs {
    (amplitude as u64 * width as u64) / 1000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_milliamp_for_100_us_is_a_tenth_of_a_microcoulomb() {
        assert_eq!(charge_nc(1_000, 100), 100);
        assert_eq!(charge_nc(25_500, 1_000), 25_500);
    }
}
