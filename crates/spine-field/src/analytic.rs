//! Closed-form potentials that the numerical solver is validated against.

use core::f64::consts::PI;

/// Potential (V) at distance `r` (m) from a point source of current `i` (A) in an
/// infinite homogeneous medium of conductivity `sigma` (S/m): Φ = I / (4πσr).
///
/// # Example
/// ```
/// // 1 mA in CSF (1.7 S/m), 1 mm away: about 46.8 mV.
/// let phi = spine_field::analytic::point_source_potential(1e-3, 1.7, 1e-3);
/// assert!((phi - 0.0468).abs() < 1e-4);
/// ```
pub fn point_source_potential(i: f64, sigma: f64, r: f64) -> f64 {
    i / (4.0 * PI * sigma * r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn potential_falls_as_one_over_r() {
        let near = point_source_potential(1e-3, 0.6, 1e-3);
        let far = point_source_potential(1e-3, 0.6, 2e-3);
        assert!((near / far - 2.0).abs() < 1e-12);
    }
}
