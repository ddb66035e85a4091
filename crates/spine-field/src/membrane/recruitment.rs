//! Every fibre's membrane threshold for a program: the activating function guesses, the
//! membrane model decides.

use std::cell::Cell;

use super::mrg::Mrg;
use super::{threshold_ma, Axon, Stimulus};
use crate::fibres::Probe;

/// Relative precision of a membrane threshold.
pub const PRECISION: f64 = 0.02;

/// How far beyond the largest amplitude a fibre's preview may lie and still be simulated
/// (the preview is within this factor of the membrane on the app's grids:
/// docs/science.md).
pub const PREVIEW_MARGIN: f64 = 3.0;

/// The extracellular potential at `points` (arc lengths, mm) from its values `at_nodes`
/// every `spacing_mm`, linear between nodes (the field changes little within an
/// internode at the cord, a few mm from the contacts).
pub fn between_nodes(at_nodes: &[f64], spacing_mm: f64, points: &[f64]) -> Vec<f64> {
    let last = at_nodes.len() - 1;
    points
        .iter()
        .map(|&s| {
            let x = (s / spacing_mm).clamp(0.0, last as f64);
            let i = (x as usize).min(last.saturating_sub(1));
            let f = x - i as f64;
            at_nodes[i] + f * (at_nodes[(i + 1).min(last)] - at_nodes[i])
        })
        .collect()
}

/// The integration step, µs: the published code's (see `tests/membrane.rs` for what
/// halving it changes).
pub const STEP_US: f64 = 5.0;

/// Nodes simulated beyond the last where the field drives the membrane noticeably.
pub const MARGIN_NODES: usize = 6;
/// What "noticeably" means: a second difference of Ve this fraction of the largest.
pub const NOTICEABLE: f64 = 0.02;

/// The nodes of `ve_at_nodes` worth simulating: from [`MARGIN_NODES`] before the first
/// node whose drive (second difference, either sign) reaches [`NOTICEABLE`] of the
/// largest to as many after the last. Far from the contacts a fibre only carries the
/// action potential on; cutting it there (a sealed end where the field is nearly flat)
/// saves most of the work on a long fibre.
pub fn window(ve_at_nodes: &[f64]) -> std::ops::Range<usize> {
    let n = ve_at_nodes.len();
    let drive: Vec<f64> = (1..n.saturating_sub(1))
        .map(|i| (ve_at_nodes[i - 1] - 2.0 * ve_at_nodes[i] + ve_at_nodes[i + 1]).abs())
        .collect();
    let largest = drive.iter().copied().fold(0.0, f64::max);
    let noticeable = |d: &f64| *d >= NOTICEABLE * largest && largest > 0.0;
    match (
        drive.iter().position(noticeable),
        drive.iter().rposition(noticeable),
    ) {
        (Some(first), Some(last)) => {
            // drive[i] is node i + 1's.
            (first + 1).saturating_sub(MARGIN_NODES)..(last + 2 + MARGIN_NODES).min(n)
        }
        _ => 0..n,
    }
}

/// One fibre as a program drives it: what the membrane model needs, and what can travel
/// to a worker.
#[derive(Clone, Debug, PartialEq)]
pub struct Drive {
    /// Fibre diameter, µm.
    pub diameter_um: f64,
    /// Ve at its nodes (mV per mA of the program's amplitude), spaced as an MRG fibre of
    /// that diameter spaces them.
    pub ve_mv: Vec<f64>,
    /// The activating function's threshold, mA (infinite if it never fires).
    pub preview_ma: f64,
}

impl Drive {
    /// The membrane model over the [`window`] of the nodes that the field drives, and its
    /// Ve (mV per mA) at the model's compartments.
    pub fn axon(&self) -> (Mrg, Vec<f64>) {
        let nodes = &self.ve_mv[window(&self.ve_mv)];
        let axon = Mrg::new(self.diameter_um, nodes.len().max(2)).with_max_step_us(STEP_US);
        let ve = between_nodes(nodes, axon.internode_mm(), &axon.sample_points());
        (axon, ve)
    }

    /// The fibre's threshold (mA, infinite beyond `max_ma`) for `stimulus`, the search
    /// starting at `guess_ma`, and how many simulations it took.
    pub fn threshold(&self, stimulus: &Stimulus, guess_ma: f64, max_ma: f64) -> (f64, usize) {
        let (axon, ve) = self.axon();
        let counted = Counted(&axon, Cell::new(0));
        let t = threshold_ma(&counted, &ve, stimulus, guess_ma, max_ma, PRECISION);
        (t.unwrap_or(f64::INFINITY), counted.1.get())
    }
}

/// An axon that counts its simulations.
struct Counted<'a>(&'a dyn Axon, Cell<usize>);

impl Axon for Counted<'_> {
    fn sample_points(&self) -> Vec<f64> {
        self.0.sample_points()
    }

    fn fires(&self, ve_mv_per_ma: &[f64], stimulus: &Stimulus, amplitude_ma: f64) -> bool {
        self.1.set(self.1.get() + 1);
        self.0.fires(ve_mv_per_ma, stimulus, amplitude_ma)
    }
}

/// The width of the first stimulating phase, µs: the preview's pulse width.
pub fn stimulating_width_us(stimulus: &Stimulus) -> f64 {
    stimulus
        .phases
        .iter()
        .find(|p| p.weight > 0.0)
        .map_or(100.0, |p| p.duration_us)
}

/// Every fibre of `probe` as a program of `fractions` (cathodes −) and `stimulus` drives it.
pub fn drives(probe: &Probe, fractions: &[f64], stimulus: &Stimulus) -> Vec<Drive> {
    let preview = probe.thresholds_ma(fractions, stimulating_width_us(stimulus));
    (0..probe.fibres.len())
        .map(|f| Drive {
            diameter_um: probe.fibres[f].diameter_um,
            ve_mv: probe.ve_mv(f, fractions),
            preview_ma: preview[f],
        })
        .collect()
}

/// Each fibre's threshold (mA, infinite beyond `max_ma`) for `stimulus`, in the order of
/// `drives`, with the simulations each took.
///
/// Fibres are taken from the lowest preview threshold up, each search starting from its
/// preview times the ratio (membrane ÷ preview) of the fibre before, so that after the
/// first a threshold costs about four simulations, and one beyond `max_ma` one. A fibre
/// whose preview lies beyond [`PREVIEW_MARGIN`] × `max_ma` is not simulated.
pub fn thresholds(drives: &[Drive], stimulus: &Stimulus, max_ma: f64) -> Vec<(f64, usize)> {
    let mut order: Vec<usize> = (0..drives.len()).collect();
    order.sort_by(|&a, &b| drives[a].preview_ma.total_cmp(&drives[b].preview_ma));
    let mut out = vec![(f64::INFINITY, 0); drives.len()];
    let mut ratio = 1.0;
    for f in order {
        let preview = drives[f].preview_ma;
        if preview.is_nan() || preview > PREVIEW_MARGIN * max_ma {
            break; // sorted: all the rest lie beyond too (NaN sorts last)
        }
        out[f] = drives[f].threshold(stimulus, preview * ratio, max_ma);
        if out[f].0.is_finite() {
            ratio = out[f].0 / preview;
        }
    }
    out
}

/// Each fibre's threshold (mA, infinite beyond `max_ma`) for a program whose contacts carry
/// `fractions` of the amplitude with the time course `stimulus`, in fibre order.
pub fn thresholds_ma(
    probe: &Probe,
    fractions: &[f64],
    stimulus: &Stimulus,
    max_ma: f64,
) -> Vec<f64> {
    thresholds(&drives(probe, fractions, stimulus), stimulus, max_ma)
        .into_iter()
        .map(|t| t.0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_covers_the_driven_nodes_and_a_margin() {
        // A point cathode 3 mm over node 40 of 101 nodes 1 mm apart.
        let ve: Vec<f64> = (0..101)
            .map(|i| -1.0 / ((i as f64 - 40.0).powi(2) + 9.0).sqrt())
            .collect();
        let w = window(&ve);
        assert!(w.len() < 50, "{w:?}: the far ends are cut");
        assert!(w.contains(&(40 - MARGIN_NODES - 3)) && w.contains(&(40 + MARGIN_NODES + 3)));
        // A flat potential drives nothing: all of it.
        assert_eq!(window(&[1.0; 7]), 0..7);
    }

    #[test]
    fn between_nodes_is_linear_and_exact_at_the_nodes() {
        let at_nodes = [0.0, 10.0, 4.0];
        let got = between_nodes(&at_nodes, 2.0, &[0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(got, vec![0.0, 5.0, 10.0, 7.0, 4.0, 4.0]);
    }
}
