//! A fibre's threshold amplitude, by bisection on the simulated response.

use super::{Axon, Stimulus};

/// The widest step of the bracket search: far above threshold a close cathode blocks its
/// own action potential (at about 8–10 ×), so the search must not leap past the threshold.
const MAX_STEP: f64 = 1.5;

/// The lowest amplitude (mA) at which `axon` fires for `stimulus` with `ve_mv_per_ma` at
/// its sample points, to a relative tolerance `rel_tol`; `None` if it does not fire at
/// `max_ma`. `guess_ma` (> 0) starts the search: a bracket of ±5 % around it, its width
/// squared (up to 1.5 ×) while it does not hold (so a good guess, the activating function's, costs a
/// few simulations and a poor one a few more), then geometric bisection. The upper end is
/// returned: an amplitude seen to fire.
pub fn threshold_ma(
    axon: &dyn Axon,
    ve_mv_per_ma: &[f64],
    stimulus: &Stimulus,
    guess_ma: f64,
    max_ma: f64,
    rel_tol: f64,
) -> Option<f64> {
    let fires = |a: f64| axon.fires(ve_mv_per_ma, stimulus, a);
    let floor = max_ma * 1e-4;
    let guess = guess_ma.clamp(floor, max_ma);
    let mut step: f64 = 1.05;
    let (mut lo, mut hi);
    if fires(guess) {
        hi = guess;
        loop {
            lo = hi / step;
            if lo < floor {
                return Some(hi);
            }
            if !fires(lo) {
                break;
            }
            hi = lo;
            step = (step * step).min(MAX_STEP);
        }
    } else {
        lo = guess;
        loop {
            if lo >= max_ma {
                return None;
            }
            hi = (lo * step).min(max_ma);
            if fires(hi) {
                break;
            }
            lo = hi;
            step = (step * step).min(MAX_STEP);
        }
    }
    while hi / lo > 1.0 + rel_tol {
        let mid = (lo * hi).sqrt();
        if fires(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An axon that fires above a known amplitude.
    struct Step(f64);
    impl Axon for Step {
        fn sample_points(&self) -> Vec<f64> {
            vec![0.0]
        }
        fn fires(&self, _: &[f64], _: &Stimulus, amplitude_ma: f64) -> bool {
            amplitude_ma >= self.0
        }
    }

    #[test]
    fn bisection_finds_the_step_from_either_side_and_refuses_beyond_the_maximum() {
        let pulse = Stimulus::monophasic(100.0);
        for guess in [0.01, 1.0, 3.0, 20.0] {
            let t = threshold_ma(&Step(2.5), &[0.0], &pulse, guess, 25.0, 0.005).unwrap();
            assert!((2.5..2.5 * 1.005).contains(&t), "guess {guess}: {t}");
        }
        assert_eq!(
            threshold_ma(&Step(30.0), &[0.0], &pulse, 5.0, 25.0, 0.01),
            None
        );
        assert_eq!(
            threshold_ma(&Step(25.0), &[0.0], &pulse, 5.0, 25.0, 0.01),
            Some(25.0)
        );
    }
}
