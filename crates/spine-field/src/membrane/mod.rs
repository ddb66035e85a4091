//! Fibres with membranes: whether a myelinated axon fires, simulated in time from the
//! extracellular potential along it, and its threshold amplitude found by bisection.
//!
//! The axon is the double-cable model of McIntyre, Richardson & Grill (2002) ([`mrg`]),
//! the field's standard for SCS; [`recruitment`] finds every fibre's threshold for a
//! program, the activating function's estimate guessing where to start. The potential
//! scales with the amplitude (the tissue is linear), so a fibre is described once by its
//! Ve per mA at the model's sample points, and a program by a [`Stimulus`]: the time
//! course of its current in multiples of the amplitude. [`ecap`] is what the lead's
//! other contacts record of the fibres that fire.

pub mod ecap;
pub mod mrg;
pub mod recruitment;
mod threshold;

pub use threshold::threshold_ma;

/// One phase of the current: from `start_us` for `duration_us`, at `weight` × the
/// amplitude (+ as programmed, cathodes drawing current; − reversed; 0 none).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Phase {
    /// Start, µs from the start of the period.
    pub start_us: f64,
    /// Duration, µs.
    pub duration_us: f64,
    /// Current in multiples of the programmed amplitude.
    pub weight: f64,
}

/// A program's current over time: its phases, repeated every `period_us` for `periods`
/// periods (the train a threshold is stated for).
#[derive(Clone, Debug, PartialEq)]
pub struct Stimulus {
    /// The phases of one period, in time order, not overlapping.
    pub phases: Vec<Phase>,
    /// The repetition period, µs.
    pub period_us: f64,
    /// How many periods are simulated.
    pub periods: u32,
}

impl Stimulus {
    /// One charge-balanced biphasic pulse: `width_us` as programmed, a 20 µs gap, the
    /// mirrored phase (a tonic program's pulse, and the pulse of the classic
    /// strength–duration measurements).
    pub fn biphasic(width_us: f64) -> Stimulus {
        Stimulus {
            phases: vec![
                Phase {
                    start_us: 0.0,
                    duration_us: width_us,
                    weight: 1.0,
                },
                Phase {
                    start_us: width_us + 20.0,
                    duration_us: width_us,
                    weight: -1.0,
                },
            ],
            period_us: 2.0 * width_us + 20.0,
            periods: 1,
        }
    }

    /// One monophasic pulse of `width_us` (the pulse of the models' own papers).
    pub fn monophasic(width_us: f64) -> Stimulus {
        Stimulus {
            phases: vec![Phase {
                start_us: 0.0,
                duration_us: width_us,
                weight: 1.0,
            }],
            period_us: width_us,
            periods: 1,
        }
    }

    /// How long the train lasts, µs.
    pub fn duration_us(&self) -> f64 {
        self.period_us * self.periods as f64
    }

    /// When the last current of the train ends, µs (a tonic period is mostly silence).
    pub fn end_us(&self) -> f64 {
        let last = self
            .phases
            .iter()
            .filter(|p| p.weight != 0.0)
            .map(|p| p.start_us + p.duration_us)
            .fold(0.0, f64::max);
        self.period_us * self.periods.saturating_sub(1) as f64 + last
    }

    /// The current at time `t_us`, in multiples of the amplitude.
    pub fn level(&self, t_us: f64) -> f64 {
        if t_us < 0.0 || t_us >= self.duration_us() {
            return 0.0;
        }
        let t = t_us % self.period_us;
        self.phases
            .iter()
            .find(|p| t >= p.start_us && t < p.start_us + p.duration_us)
            .map_or(0.0, |p| p.weight)
    }

    /// The times (µs) at which the current changes, over the whole train, in order:
    /// integrators step exactly onto them.
    pub fn edges_us(&self) -> Vec<f64> {
        let mut edges = vec![];
        for k in 0..self.periods {
            let base = k as f64 * self.period_us;
            for p in &self.phases {
                edges.push(base + p.start_us);
                edges.push(base + p.start_us + p.duration_us);
            }
        }
        edges.sort_by(f64::total_cmp);
        edges.dedup();
        edges
    }
}

/// A membrane model of one myelinated axon, straight or bent, driven by the extracellular
/// potential along it.
pub trait Axon {
    /// Where the model needs the extracellular potential: arc length along the fibre
    /// (mm from its first node), one per compartment, in order.
    fn sample_points(&self) -> Vec<f64>;

    /// Whether an action potential propagates along the fibre when the extracellular
    /// potential at the sample points is `ve_mv_per_ma` × `amplitude_ma` ×
    /// `stimulus.level(t)` (mV).
    fn fires(&self, ve_mv_per_ma: &[f64], stimulus: &Stimulus, amplitude_ma: f64) -> bool;
}

/// How far (internodes) an action potential must travel to count.
pub const TRAVEL_NODES: usize = 5;
/// The membrane potential an action potential crosses, mV from rest (−20 mV).
pub const AP_MV: f64 = 60.0;

/// Whether an action potential has travelled: the membrane (mV from rest, one value per
/// node) is above [`AP_MV`] at a node [`TRAVEL_NODES`] from `origin`, or at the fibre's
/// end on a side shorter than that. Where it starts, the stimulus itself can hold a node
/// that high; only a propagating action potential gets that high that far away.
pub fn travelled(v_at_nodes: &[f64], origin: usize) -> bool {
    let last = v_at_nodes.len() - 1;
    let down = origin.saturating_sub(TRAVEL_NODES);
    let up = (origin + TRAVEL_NODES).min(last);
    (down != origin && v_at_nodes[down] > AP_MV) || (up != origin && v_at_nodes[up] > AP_MV)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_action_potential_is_not_counted_where_it_starts() {
        let v = [0.0, 0.0, 90.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
        assert!(!travelled(&v, 2));
        let mut far = v;
        far[7] = 70.0;
        assert!(travelled(&far, 2));
    }

    #[test]
    fn a_train_repeats_its_phases_and_lists_each_edge_once() {
        let mut train = Stimulus::biphasic(100.0);
        train.periods = 3;
        assert_eq!(train.duration_us(), 660.0);
        assert_eq!(train.level(50.0), 1.0);
        assert_eq!(train.level(110.0), 0.0);
        assert_eq!(train.level(220.0 + 150.0), -1.0);
        assert_eq!(train.level(660.0), 0.0);
        assert_eq!(train.end_us(), 660.0);
        let edges = train.edges_us();
        assert_eq!(edges.len(), 10, "{edges:?}"); // 4 per period, shared ends merged
        assert!(edges.windows(2).all(|w| w[0] < w[1]));
        train.period_us = 1000.0;
        assert_eq!(
            train.end_us(),
            2220.0,
            "the silence after the last pulse is not the train's"
        );
    }
}
