//! The evoked compound action potential (ECAP): what a lead's non-stimulating contacts
//! record of the fibres a pulse fires, as closed-loop stimulators measure it.
//!
//! - **Reciprocity** (Helmholtz): a membrane current I at a point x contributes I · Φ_r(x)
//!   to the potential of contact r, where Φ_r is the potential at x per unit current
//!   injected at r: the contact's unit field, which the model already holds for every
//!   contact ([`Probe::ve_mv`] with r's share 1). Current in nA × Φ in mV per mA (Ω)
//!   gives nV.
//! - **The currents** are the MRG model's own ([`Mrg::outward_currents`]): the current
//!   leaving the fibre through each compartment of an internode as an action potential
//!   passes, recorded once per diameter on a long fibre far from its ends ([`Wave`]),
//!   with the conduction velocity measured on the same run. A fibre that fires carries
//!   that wave both ways from where its action potential started, at its velocity: the
//!   currents at each internode are the wave's, delayed by the distance from the origin.
//!   Near the origin the wave is still forming; the model treats it as formed.
//! - **How many fibres** a model fibre stands for: Feirabend et al. (Brain 125:1137,
//!   2002) counted the large dorsal column fibres (over 10.7 µm) of the superficial
//!   0.3 mm at T10–T11: 2.4 per 0.1 mm of width, i.e. 80 per mm², which
//!   [`represented`] spreads over the model's lattice. They give no density for the
//!   7.1–10.7 µm class in the abstract within reach, and root fibres are not counted:
//!   those model fibres stand for none, so the ECAP is the large dorsal column fibres'
//!   alone, a lower bound.
//!
//! The stimulus artefact, amplifier and blanking are not modelled here.

use super::mrg::{Mrg, PER_INTERNODE};
use super::recruitment::{window, Drive};
use super::{threshold_ma, Axon, Stimulus};
use crate::anatomy::Anatomy;
use crate::fibres::{Fibre, FibreKind, Probe};

/// Large dorsal column fibres (over 10.7 µm) per mm² of the superficial columns at
/// T10–T11: Feirabend et al. 2002's 2.4 per 0.1 mm of width over 0.3 mm of depth.
pub const LARGE_DC_PER_MM2: f64 = 2.4 / (0.1 * 0.3);
/// The smallest diameter counted as large, µm (Feirabend et al. 2002).
pub const LARGE_DC_UM: f64 = 10.7;
/// The model's lattice of dorsal column fibres: across, mm, and the depth each row of
/// `fibres::anatomical_population` stands for (from halfway to the row above, or the
/// cord's surface, to halfway to the row below), mm. Feirabend's density of the top
/// 0.3 mm is taken for the deeper rows too (none was published for them), which matters
/// little: they seldom fire.
const LATTICE_ACROSS_MM: f64 = 0.125;
const ROW_DEPTHS_MM: [(f64, f64); 4] = [(0.2, 0.3), (0.4, 0.25), (0.7, 0.3), (1.0, 0.3)];

/// How many real fibres the model fibre `fibre` stands for in the ECAP (see the module
/// documentation): large dorsal column fibres only.
pub fn represented(anatomy: &Anatomy, fibre: &Fibre) -> f64 {
    if fibre.kind != FibreKind::DorsalColumn || fibre.diameter_um < LARGE_DC_UM {
        return 0.0;
    }
    let [x, y, _] = fibre.nodes[0];
    let depth = anatomy.cord_surface(x).map_or(f64::INFINITY, |s| s - y);
    ROW_DEPTHS_MM
        .iter()
        .find(|(row, _)| (row - depth).abs() < 0.05)
        .map_or(0.0, |(_, band)| LARGE_DC_PER_MM2 * LATTICE_ACROSS_MM * band)
}

/// An action potential travelling along an MRG fibre of one diameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Wave {
    /// The fibre's diameter, µm.
    pub diameter_um: f64,
    /// Conduction velocity, m/s (= mm/ms).
    pub cv_m_per_s: f64,
    /// Where each compartment of an internode lies from its first node, mm.
    pub offsets_mm: [f64; PER_INTERNODE],
    /// Time of the first sample from the moment the wave crosses the internode's first
    /// node (−20 mV), µs.
    pub first_us: f64,
    /// Time between samples, µs.
    pub step_us: f64,
    /// Outward current of each compartment at each sample, nA.
    pub currents_na: Vec<[f64; PER_INTERNODE]>,
}

/// How long before and after it crosses a node a wave's currents are kept, µs: from its
/// electrotonic lead (a few internodes ahead, 0.1 ms at 60 m/s) to the end of the
/// afterpotential's currents.
const WAVE_BEFORE_US: f64 = 200.0;
const WAVE_AFTER_US: f64 = 800.0;
/// Nodes of the fibre a wave is recorded on, the stimulated node and the recorded one.
const WAVE_NODES: usize = 61;
const WAVE_STIMULATED: usize = 10;
const WAVE_RECORDED: usize = 40;

impl Wave {
    /// The wave of an MRG fibre of `diameter_um`: a 61-node fibre fired at twice its
    /// threshold by a point cathode 2 mm over node 10 (100 µs), recorded at node 40's
    /// internode; the velocity from the crossing times at nodes 30 and 50.
    pub fn of(diameter_um: f64) -> Wave {
        let axon = Mrg::new(diameter_um, WAVE_NODES);
        let points = axon.sample_points();
        let at_mm = WAVE_STIMULATED as f64 * axon.internode_mm();
        // −ρ / (4πr) for 1 mA in 500 Ω·cm: mV.
        let ve: Vec<f64> = points
            .iter()
            .map(|&s| {
                let r_cm = 0.1 * ((s - at_mm).powi(2) + 4.0).sqrt();
                -500.0 / (4.0 * std::f64::consts::PI * r_cm)
            })
            .collect();
        let pulse = Stimulus::monophasic(100.0);
        let threshold = threshold_ma(&axon, &ve, &pulse, 1.0, 100.0, 0.01)
            .expect("a cathode 2 mm away fires a fibre below 100 mA");
        let amplitude = 2.0 * threshold;
        let crossings = axon.crossing_times_us(&ve, &pulse, amplitude);
        let time = |node: usize| crossings[node].expect("the action potential travels");
        let cv_m_per_s = 20.0 * axon.internode_mm() / (time(50) - time(30)) * 1e3;
        let first = WAVE_RECORDED * PER_INTERNODE;
        let recorded = axon.outward_currents(&ve, &pulse, amplitude, first..first + PER_INTERNODE);
        let arrival = time(WAVE_RECORDED);
        let currents_na: Vec<[f64; PER_INTERNODE]> = recorded
            .currents_na
            .iter()
            .map(|row| std::array::from_fn(|j| row[j]))
            .collect();
        let times = &recorded.times_us;
        // The wave alone: from WAVE_BEFORE_US before it crosses the node to WAVE_AFTER_US
        // after (earlier, node 40 still carries the stimulus's passive spread). The run's
        // steps are equal there, after the stimulus.
        let kept = |t: &f64| (-WAVE_BEFORE_US..=WAVE_AFTER_US).contains(&(t - arrival));
        let from = times.iter().position(kept).expect("the wave is recorded");
        let to = times.iter().rposition(kept).expect("the wave is recorded");
        Wave {
            diameter_um,
            cv_m_per_s,
            offsets_mm: std::array::from_fn(|j| points[first + j] - points[first]),
            first_us: times[from] - arrival,
            step_us: times[from + 1] - times[from],
            currents_na: currents_na[from..=to].to_vec(),
        }
    }

    /// Compartment `j`'s outward current `t_us` after the wave crossed its node, nA
    /// (linear between samples, 0 outside them).
    pub fn current_na(&self, j: usize, t_us: f64) -> f64 {
        let x = (t_us - self.first_us) / self.step_us;
        if x < 0.0 || x >= (self.currents_na.len() - 1) as f64 {
            return 0.0;
        }
        let (i, f) = (x as usize, x.fract());
        self.currents_na[i][j] * (1.0 - f) + self.currents_na[i + 1][j] * f
    }
}

/// Where and when a fired fibre's action potential started.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Origin {
    /// The node (an index into the probe fibre's nodes).
    pub node: usize,
    /// When it crossed −20 mV there, µs from the start of the stimulus.
    pub start_us: f64,
}

/// Where the action potential of the fibre driven as `drive` starts for `stimulus` at
/// `amplitude_ma`: the node that crosses first. `None` if none crosses.
pub fn origin(drive: &Drive, stimulus: &Stimulus, amplitude_ma: f64) -> Option<Origin> {
    let (axon, ve) = drive.axon();
    let from = window(&drive.ve_mv).start;
    let crossings = axon.crossing_times_us(&ve, stimulus, amplitude_ma);
    let (node, start_us) = crossings
        .iter()
        .enumerate()
        .filter_map(|(j, t)| t.map(|t| (j, t)))
        .min_by(|a, b| a.1.total_cmp(&b.1))?;
    Some(Origin {
        node: from + node,
        start_us,
    })
}

/// The fibres of `probe` that fire at `amplitude_ma` (by their `thresholds`, mA) and that
/// the ECAP counts (`weight` > 0), each with where and when its action potential starts
/// (`drives`: every fibre as the program drives it).
pub fn fired(
    probe: &Probe,
    drives: &[Drive],
    thresholds: &[f64],
    stimulus: &Stimulus,
    amplitude_ma: f64,
    weight: &dyn Fn(&Fibre) -> f64,
) -> Vec<(usize, Origin)> {
    (0..probe.fibres.len())
        .filter(|&f| thresholds[f] <= amplitude_ma && weight(&probe.fibres[f]) > 0.0)
        .filter_map(|f| Some((f, origin(&drives[f], stimulus, amplitude_ma)?)))
        .collect()
}

/// What a closed-loop system reads off an ECAP.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Features {
    /// N1, the most negative point after the blanking (the first negative peak of a
    /// triphasic response): when, µs.
    pub n1_us: f64,
    /// Its potential, µV.
    pub n1_uv: f64,
    /// The amplitude: the largest positive peak after N1 (P2) minus N1, µV.
    pub p2_n1_uv: f64,
}

/// The features of an ECAP (`uv` at `times_us`) after the blanking ends at `blank_us`.
/// `None` if nothing is recorded after it.
pub fn features(times_us: &[f64], uv: &[f64], blank_us: f64) -> Option<Features> {
    let from = times_us.iter().position(|&t| t >= blank_us)?;
    let n1 = (from..uv.len()).min_by(|&a, &b| uv[a].total_cmp(&uv[b]))?;
    let p2 = uv[n1..].iter().copied().fold(f64::MIN, f64::max);
    Some(Features {
        n1_us: times_us[n1],
        n1_uv: uv[n1],
        p2_n1_uv: p2 - uv[n1],
    })
}

/// The growth curve: the ECAP's amplitude (P2 − N1 after `blank_us`, µV) on `at` at each
/// of `amplitudes_ma` for a program of `fractions` and `stimulus` on `probe`, whose fibres'
/// thresholds are `thresholds` (mA); recorded every 5 µs for 3 ms.
#[allow(clippy::too_many_arguments)]
pub fn growth_curve(
    probe: &Probe,
    fractions: &[f64],
    stimulus: &Stimulus,
    thresholds: &[f64],
    at: Recording,
    weight: &dyn Fn(&Fibre) -> f64,
    blank_us: f64,
    amplitudes_ma: &[f64],
) -> Vec<(f64, f64)> {
    let all = super::recruitment::drives(probe, fractions, stimulus);
    let times: Vec<f64> = (0..600).map(|i| i as f64 * 5.0).collect();
    let mut waves: Vec<Wave> = vec![];
    amplitudes_ma
        .iter()
        .map(|&ma| {
            let fired = fired(probe, &all, thresholds, stimulus, ma, weight);
            for &(f, _) in &fired {
                let d = probe.fibres[f].diameter_um;
                if !waves.iter().any(|w| w.diameter_um == d) {
                    waves.push(Wave::of(d));
                }
            }
            let wave = |d: f64| {
                waves
                    .iter()
                    .find(|w| w.diameter_um == d)
                    .cloned()
                    .unwrap_or_else(|| Wave::of(d))
            };
            let uv = ecap_uv(probe, at, &fired, &wave, weight, &times);
            let amplitude = features(&times, &uv, blank_us).map_or(0.0, |f| f.p2_n1_uv);
            (ma, amplitude)
        })
        .collect()
}

/// A recording contact: its index among the leads' contacts and its centre (mm).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Recording {
    /// Which contact.
    pub contact: usize,
    /// Where its centre lies, mm.
    pub centre_mm: [f64; 3],
}

/// The ECAP recorded on `at` at `times_us` (µs from the start of the stimulus), µV: every
/// fired fibre (`fired`: its index in `probe` and its origin) carries its diameter's wave
/// (`wave`) both ways from its origin, weighted by the real fibres it stands for
/// (`weight`).
///
/// Two things keep the model's limits out of the recording. The fibres go on beyond the
/// span the model samples, straight on, with the contact's lead field falling as
/// 1 / distance from its last sampled value (a far field), so a wave does not vanish at a
/// cut end within the recording. And at each instant a fibre's currents sum to nothing
/// (Kirchhoff: no electrode feeds it): what two half waves born at the origin do not yet
/// balance is returned at the origin.
pub fn ecap_uv(
    probe: &Probe,
    at: Recording,
    fired: &[(usize, Origin)],
    wave: &dyn Fn(f64) -> Wave,
    weight: &dyn Fn(&Fibre) -> f64,
    times_us: &[f64],
) -> Vec<f64> {
    let mut unit = vec![0.0; at.contact + 1];
    unit[at.contact] = 1.0;
    let mut nv = vec![0.0; times_us.len()];
    let mut waves: Vec<Wave> = vec![];
    let last_us = times_us.iter().copied().fold(0.0, f64::max);
    for &(f, origin) in fired {
        let fibre = &probe.fibres[f];
        let w = weight(fibre);
        if w == 0.0 || fibre.nodes.len() < 2 {
            continue;
        }
        if !waves.iter().any(|v| v.diameter_um == fibre.diameter_um) {
            waves.push(wave(fibre.diameter_um));
        }
        let wave = waves
            .iter()
            .find(|v| v.diameter_um == fibre.diameter_um)
            .expect("just made");
        let mut phi = probe.ve_mv(f, &unit);
        phi.resize(fibre.nodes.len(), 0.0);
        let path = Path::of(&fibre.nodes, &phi, at.centre_mm);
        let speed_mm_per_us = wave.cv_m_per_s * 1e-3;
        let o = origin.node.min(fibre.nodes.len() - 1);
        let s_o = path.arc[o];
        // As far as a wave gets within the recording, each way.
        let reach_mm = (last_us - origin.start_us - wave.first_us).max(0.0) * speed_mm_per_us;
        let spacing = path.spacing_mm;
        let steps = (reach_mm / spacing).ceil() as usize + 1;
        let mut net = vec![0.0; times_us.len()];
        for dir in [1.0, -1.0] {
            for step in 0..steps {
                let s_n = s_o + dir * step as f64 * spacing;
                let arrival = origin.start_us + step as f64 * spacing / speed_mm_per_us;
                // The origin's own node is counted once, with the forward wave.
                let skip_node = dir < 0.0 && step == 0;
                for j in usize::from(skip_node)..PER_INTERNODE {
                    let gain = w * path.phi(s_n + dir * wave.offsets_mm[j]);
                    for ((v, n), &t) in nv.iter_mut().zip(net.iter_mut()).zip(times_us) {
                        let i = wave.current_na(j, t - arrival);
                        *v += gain * i;
                        *n += w * i;
                    }
                }
            }
        }
        let at_origin = path.phi(s_o);
        for (v, n) in nv.iter_mut().zip(&net) {
            *v -= n * at_origin;
        }
    }
    nv.into_iter().map(|v| v * 1e-3).collect()
}

/// A fibre's nodes as a path, with a contact's lead field along it (mV per mA).
struct Path {
    /// Arc length of each node, mm.
    arc: Vec<f64>,
    /// The lead field at each node.
    phi: Vec<f64>,
    /// The mean node spacing, mm.
    spacing_mm: f64,
    /// Each end's node and the direction the fibre goes on in beyond it.
    ends: [([f64; 3], [f64; 3]); 2],
    /// The recording contact's centre, mm.
    contact: [f64; 3],
}

impl Path {
    fn of(nodes: &[[f64; 3]], phi: &[f64], contact: [f64; 3]) -> Path {
        let arc = arc_lengths(nodes);
        let n = nodes.len();
        let direction = |from: [f64; 3], to: [f64; 3]| {
            let d = [to[0] - from[0], to[1] - from[1], to[2] - from[2]];
            let len = (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt().max(1e-12);
            d.map(|c| c / len)
        };
        Path {
            spacing_mm: arc[n - 1] / (n - 1) as f64,
            ends: [
                (nodes[0], direction(nodes[1], nodes[0])),
                (nodes[n - 1], direction(nodes[n - 2], nodes[n - 1])),
            ],
            arc,
            phi: phi.to_vec(),
            contact,
        }
    }

    /// The lead field at arc length `s` (beyond either end, straight on: a far field
    /// falling as 1 / distance from the contact).
    fn phi(&self, s: f64) -> f64 {
        let (first, last) = (self.arc[0], self.arc[self.arc.len() - 1]);
        let beyond = |end: usize, by: f64, value: f64| {
            let (node, dir) = self.ends[end];
            let point = [0, 1, 2].map(|i| node[i] + by * dir[i]);
            value * distance(node, self.contact) / distance(point, self.contact)
        };
        if s < first {
            beyond(0, first - s, self.phi[0])
        } else if s > last {
            beyond(1, s - last, self.phi[self.phi.len() - 1])
        } else {
            interpolate(&self.arc, &self.phi, s)
        }
    }
}

fn distance(a: [f64; 3], b: [f64; 3]) -> f64 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2))
        .sqrt()
        .max(1e-9)
}

/// The arc length of each node from the first, mm.
fn arc_lengths(nodes: &[[f64; 3]]) -> Vec<f64> {
    let mut s = 0.0;
    let mut out = vec![0.0];
    for w in nodes.windows(2) {
        s += ((w[1][0] - w[0][0]).powi(2)
            + (w[1][1] - w[0][1]).powi(2)
            + (w[1][2] - w[0][2]).powi(2))
        .sqrt();
        out.push(s);
    }
    out
}

/// `values` (one per arc length of `arc`, increasing) at arc length `s`, linear between,
/// 0 beyond the ends.
fn interpolate(arc: &[f64], values: &[f64], s: f64) -> f64 {
    if s < arc[0] || s > arc[arc.len() - 1] {
        return 0.0;
    }
    let i = arc.partition_point(|&a| a <= s).clamp(1, arc.len() - 1);
    let (a, b) = (arc[i - 1], arc[i]);
    let f = if b > a { (s - a) / (b - a) } else { 0.0 };
    values[i - 1] * (1.0 - f) + values[i] * f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_currents_leaving_a_fibre_sum_to_nothing_kirchhoff() {
        // No electrode feeds a fibre: what leaves it through its membranes, and past its
        // cut ends, sums to nothing at every step (the discrete currents of the backward
        // Euler step, capacitive ones included), during the stimulus too.
        let axon = Mrg::new(11.5, 41);
        let points = axon.sample_points();
        let at_mm = 20.0 * axon.internode_mm();
        let ve: Vec<f64> = points
            .iter()
            .map(|&s| {
                -500.0 / (4.0 * std::f64::consts::PI * 0.1 * ((s - at_mm).powi(2) + 4.0).sqrt())
            })
            .collect();
        let pulse = Stimulus::monophasic(100.0);
        let currents = axon.outward_currents(&ve, &pulse, 5.0, 0..points.len());
        let mut largest = 0.0f64;
        let mut worst = 0.0f64;
        for (row, ends) in currents.currents_na.iter().zip(&currents.beyond_ends_na) {
            largest = row.iter().fold(largest, |m, i| m.max(i.abs()));
            worst = worst.max((row.iter().sum::<f64>() + ends[0] + ends[1]).abs());
        }
        assert!(largest > 1.0, "an action potential: {largest} nA");
        assert!(worst < 1e-9 * largest, "net {worst} nA of {largest} nA");
    }

    #[test]
    fn a_wave_crosses_its_node_at_its_peak_inward_current() {
        let wave = Wave::of(11.5);
        // The node's inward (sodium) current peaks just after the crossing of −20 mV.
        let (i, _) = wave
            .currents_na
            .iter()
            .enumerate()
            .min_by(|a, b| a.1[0].total_cmp(&b.1[0]))
            .unwrap();
        let t = wave.first_us + i as f64 * wave.step_us;
        assert!(
            (0.0..50.0).contains(&t),
            "peak inward current {t} µs after the crossing"
        );
        assert!(wave.offsets_mm[PER_INTERNODE - 1] < 1.25 && wave.offsets_mm[1] > 0.0);
    }
}
