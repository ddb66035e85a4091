//! Nerve fibres and whether the field excites them: dorsal column fibres along the cord,
//! and dorsal root fibres entering it at each level.
//!
//! Two populations: [`population`], the drag preview's, which the body map, the patient
//! and the scenarios read with the criterion below; and [`anatomical_population`], the
//! anatomy's (Feirabend's fibre classes at MRG node spacing, roots that bend into the cord
//! and pass down the canal to their foramina), which the membrane model reads
//! ([`crate::membrane`]).
//!
//! A myelinated fibre is excited where the field depolarises a node of Ranvier enough.
//! With nodes Δx = 100 · diameter apart, the drive at node n is the second difference of
//! the extracellular potential, Ve(n−1) − 2 Ve(n) + Ve(n+1) (the activating function × Δx²),
//! and the fibre fires when the largest drive exceeds a threshold that falls with pulse
//! width as the strength–duration relation says: V_th(PW) = V_rh · (1 + τ / PW). Larger
//! fibres span more of the field between nodes, so they fire at lower amplitude.
//!
//! # References
//! - F. Rattay, "Analysis of models for external stimulation of axons", IEEE Trans. Biomed.
//!   Eng. 33(10):974–977, 1986 (the activating function).
//! - E. N. Warman, W. M. Grill, D. Durand, "Modeling the effects of electric fields on
//!   nerve fibers: determination of excitation thresholds", IEEE Trans. Biomed. Eng.
//!   39(12):1244–1254, 1992 (thresholds from the second difference of Ve).
//! - D. Lee, B. Hershey, K. Bradley, T. Yearwood, "Predicted effects of pulse width
//!   programming in spinal cord stimulation: a mathematical modeling study", Med. Biol.
//!   Eng. Comput. 49:765–774, 2011 (strength–duration of dorsal column fibres, chronaxie
//!   ≈ 0.2 ms).
//!
//! The rheobase drive [`RHEOBASE_MV`] is calibrated, not derived: it puts the first dorsal
//! column fibres of a midline bipole at T8 at 3.4 mA at 300 µs on the fine grid, inside
//! the 2–10 mA of tonic SCS (DOMAIN.md). Thresholds are to be read relative to each other.

use crate::anatomy::{level_z, Anatomy, LEVELS, LEVEL_HEIGHT as LEVEL_HEIGHT_MM};
use crate::dermatomes::{dorsal_column_dermatome, root_segment, Dermatome, Side};
use crate::membrane::mrg::Geometry;
use crate::model::Model;

/// Depths of the modelled dorsal column fibres below the cord's surface, mm: the largest
/// fibres are excited only to about 0.25 mm (Feirabend et al. 2002), so deeper rows only
/// show how little is reached there.
const DC_DEPTHS_MM: [f64; 4] = [0.2, 0.4, 0.7, 1.0];
/// Diameters of the modelled dorsal column fibres, µm, one for each class of the large
/// fibres in the superficial columns at T10–T11 (Feirabend et al. 2002): the few over
/// 10.7 µm (0.5 % of all) and those of 7.1–10.7 µm. Smaller fibres are not modelled:
/// SCS at clinical amplitudes does not reach them.
const DC_DIAMETERS_UM: [f64; 2] = [8.7, 11.5];
/// Diameter of the modelled dorsal root fibres, µm.
const ROOT_DIAMETER_UM: f64 = 12.0;

/// Second-difference drive at rheobase (long pulses), mV.
pub const RHEOBASE_MV: f64 = 2.0;
/// Spinal segments a fibre can serve: T1 to S5.
const SEGMENTS: usize = 22;
/// Chronaxie of large myelinated fibres, µs.
pub const CHRONAXIE_US: f64 = 200.0;

/// Which population a fibre belongs to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FibreKind {
    /// A dorsal column fibre, running along the cord.
    DorsalColumn,
    /// A dorsal root fibre, entering the cord at level `level` (index into LEVELS).
    DorsalRoot {
        /// Level of entry.
        level: usize,
    },
}

/// One fibre: its nodes of Ranvier and the dermatome it serves.
#[derive(Clone, Debug, PartialEq)]
pub struct Fibre {
    /// Dorsal column or dorsal root.
    pub kind: FibreKind,
    /// Diameter, µm.
    pub diameter_um: f64,
    /// The nodes, mm.
    pub nodes: Vec<[f64; 3]>,
    /// Where the patient would feel it.
    pub dermatome: Dermatome,
}

/// The threshold drive for pulse width `pw_us`, mV.
pub fn threshold_mv(pw_us: f64) -> f64 {
    RHEOBASE_MV * (1.0 + CHRONAXIE_US / pw_us)
}

/// Nodes along the polyline `path`, `spacing` mm apart, the first `phase` (0–1) of a
/// spacing in (so fibres do not all line their nodes up with the contacts).
fn nodes_along(path: &[[f64; 3]], spacing: f64, phase: f64) -> Vec<[f64; 3]> {
    let mut nodes = vec![];
    let mut s = phase * spacing; // arc length of the next node from the segment's start
    for w in path.windows(2) {
        let (from, to) = (w[0], w[1]);
        let length = (0..3)
            .map(|d| (to[d] - from[d]).powi(2))
            .sum::<f64>()
            .sqrt();
        while s <= length {
            let t = s / length;
            nodes.push([
                from[0] + t * (to[0] - from[0]),
                from[1] + t * (to[1] - from[1]),
                from[2] + t * (to[2] - from[2]),
            ]);
            s += spacing;
        }
        s -= length;
    }
    nodes
}

/// The node spacing of an MRG fibre of `diameter_um`, mm.
fn mrg_spacing(diameter_um: f64) -> f64 {
    Geometry::of(diameter_um).internode_um * 1e-3
}

/// Where the root of `segment` leaves the canal, z (mm): below the pedicle of the vertebra
/// of its number (thoracic and lumbar roots exit under their own vertebra); lower roots
/// leave the modelled span below L1.
fn exit_z(segment: crate::dermatomes::Segment) -> f64 {
    // Vertebrae counted from T6 (index 0): T1–T12 are segments 0–11, L1 follows T12.
    let vertebra = segment.0 as f64 - 5.0;
    level_z(0) - vertebra * LEVEL_HEIGHT_MM - LEVEL_HEIGHT_MM * 0.4
}

/// The drag preview's fibres over `z_from ..= z_to` (mm, z_from > z_to), which the body
/// map, the patient and the scenarios read: a lattice over the dorsal columns of 8 and
/// 12 µm fibres with nodes 100 × diameter apart, and at each level three straight dorsal
/// root fibres a side from the entry zone towards the root sleeve. The activating
/// function's calibration and the scenarios' stories were set on them; the membrane
/// model reads [`anatomical_population`].
pub fn population(anatomy: &Anatomy, z_from: f64, z_to: f64) -> Vec<Fibre> {
    let mut fibres = vec![];
    // Dorsal columns: a lattice over the columns' cross-section, two diameters each.
    let z_mid = (z_from + z_to) / 2.0;
    let mut n = 0;
    for yi in 0..8 {
        // Finer across than the lamination's bands (≈ 0.16 mm), so every segment has fibres.
        for xi in -11i32..=10 {
            // Off the midline by half a step, so every fibre has a side.
            let (x, y) = (xi as f64 * 0.125 + 0.0625, 0.9 + yi as f64 * 0.3);
            if !anatomy.in_dorsal_columns(x, y)
                || anatomy.cord_surface(x).is_none_or(|s| y > s - 0.1)
            {
                continue;
            }
            for diameter_um in [8.0, 12.0] {
                n += 1;
                let phase = (n as f64 * 0.618_034).fract();
                fibres.push(Fibre {
                    kind: FibreKind::DorsalColumn,
                    diameter_um,
                    nodes: nodes_along(&[[x, y, z_from], [x, y, z_to]], diameter_um * 0.1, phase),
                    dermatome: dorsal_column_dermatome(anatomy, x, z_mid),
                });
            }
        }
    }
    // Dorsal roots: at each level in range, each side, from the dorsal root entry zone
    // through the dorsolateral CSF, laterally and caudally towards the root sleeve (in
    // the lower thoracic spine the roots run caudally close to the dorsolateral dura).
    for (level, _) in LEVELS.iter().enumerate() {
        let z = level_z(level);
        if z > z_from || z < z_to {
            continue;
        }
        for side in [Side::Left, Side::Right] {
            let s = if side == Side::Right { 1.0 } else { -1.0 };
            let entry_y = anatomy.cord_surface(2.6).unwrap_or(2.0) + 0.1;
            for (r, dz) in [-4.0, 0.0, 4.0].iter().enumerate() {
                let from = [s * 2.6, entry_y, z + dz];
                let to = [s * 6.5, 3.0, z + dz - 15.0];
                fibres.push(Fibre {
                    kind: FibreKind::DorsalRoot { level },
                    diameter_um: 12.0,
                    nodes: nodes_along(&[from, to], 1.2, 0.3 * r as f64),
                    dermatome: Dermatome {
                        segment: root_segment(level),
                        side,
                    },
                });
            }
        }
    }
    fibres
}

/// The fibres of the anatomy over `z_from ..= z_to` (mm, z_from > z_to), for the membrane
/// model: dorsal column fibres of Feirabend's large classes at MRG node spacing, and
/// dorsal root fibres that bend into the cord and pass down the canal to their foramen.
pub fn anatomical_population(anatomy: &Anatomy, z_from: f64, z_to: f64) -> Vec<Fibre> {
    let mut fibres = vec![];
    // Dorsal columns: a lattice over the columns' superficial layers (Feirabend et al.
    // 2002: SCS reaches a fraction of a millimetre deep), three diameters at each point.
    let z_mid = (z_from + z_to) / 2.0;
    let mut n = 0;
    for depth in DC_DEPTHS_MM {
        // Finer across than the lamination's bands (≈ 0.16 mm), so every segment has fibres.
        for xi in -11i32..=10 {
            // Off the midline by half a step, so every fibre has a side.
            let x = xi as f64 * 0.125 + 0.0625;
            let Some(y) = anatomy.cord_surface(x).map(|s| s - depth) else {
                continue;
            };
            if !anatomy.in_dorsal_columns(x, y) {
                continue;
            }
            for diameter_um in DC_DIAMETERS_UM {
                n += 1;
                let phase = (n as f64 * 0.618_034).fract();
                fibres.push(Fibre {
                    kind: FibreKind::DorsalColumn,
                    diameter_um,
                    nodes: nodes_along(
                        &[[x, y, z_from], [x, y, z_to]],
                        mrg_spacing(diameter_um),
                        phase,
                    ),
                    dermatome: dorsal_column_dermatome(anatomy, x, z_mid),
                });
            }
        }
    }
    // Dorsal roots (Struijk, Holsheimer & Boom 1993: a root fibre bends from the root
    // into the cord and on as an ascending dorsal column branch; most excitable near its
    // entry). Each one: the branch up the dorsal column (to the end of the span, so that
    // it does not end where the field is strong), the entry zone, out through the
    // dorsolateral CSF, then caudally along the canal to its exit foramen, and out.
    // Roots entering above a level pass it laterally on their way down (Gray's
    // Anatomy): a lateral lead at T10–T12 meets the roots of the segments above.
    for (level, _) in LEVELS.iter().enumerate() {
        let z = level_z(level);
        let segment = root_segment(level);
        let exit = exit_z(segment);
        if z + 14.0 < z_to || exit.min(z - 12.0) - 6.0 > z_from {
            continue;
        }
        for side in [Side::Left, Side::Right] {
            let s = if side == Side::Right { 1.0 } else { -1.0 };
            let entry_y = anatomy.cord_surface(2.6).unwrap_or(2.0) + 0.1;
            for (r, dz) in [-4.0, 0.0, 4.0].iter().enumerate() {
                let z = z + dz;
                let path = [
                    [s * 1.0, 2.2, z_from.max(z + 10.0)],
                    [s * 2.6, entry_y, z],
                    [s * 6.0, 3.0, z - 12.0],
                    [s * 6.0, 3.0, exit.min(z - 12.0)],
                    [s * 9.5, 2.0, exit.min(z - 12.0) - 6.0],
                ];
                let nodes: Vec<[f64; 3]> =
                    nodes_along(&path, mrg_spacing(ROOT_DIAMETER_UM), 0.3 * r as f64)
                        .into_iter()
                        .filter(|n| n[2] <= z_from && n[2] >= z_to)
                        .collect();
                if nodes.len() < 3 {
                    continue;
                }
                fibres.push(Fibre {
                    kind: FibreKind::DorsalRoot { level },
                    diameter_um: ROOT_DIAMETER_UM,
                    nodes,
                    dermatome: Dermatome { segment, side },
                });
            }
        }
    }
    fibres
}

/// Each fibre's unit potentials: Ve at each node for 1 mA at each contact, so that a
/// program's Ve at the nodes is a weighted sum (no 3-D field needed).
#[derive(Clone, Debug)]
pub struct Probe {
    /// The fibres.
    pub fibres: Vec<Fibre>,
    /// `ve[f][n * contacts + c]`: V at node n of fibre f for 1 mA at contact c (one
    /// allocation per fibre, not per node: a drag preview builds a probe every frame).
    ve: Vec<Vec<f32>>,
    contacts: usize,
}

impl Probe {
    /// Samples `model`'s unit fields at the nodes of `fibres`.
    pub fn new(model: &Model, fibres: Vec<Fibre>) -> Probe {
        let contacts = model.fields.len();
        Probe::sample(fibres, contacts, &|c, p| {
            model.grid.interpolate(&model.fields[c], p)
        })
    }

    /// Samples `unit(c, p)` (V at `p` for 1 mA at contact c, for each of `contacts`) at
    /// the nodes of `fibres`: a solved model's fields, or an atlas's preview (`dyn`, so
    /// the page's bundle holds one copy of the loop).
    pub fn sample(
        fibres: Vec<Fibre>,
        contacts: usize,
        unit: &dyn Fn(usize, [f64; 3]) -> f64,
    ) -> Probe {
        let ve = fibres
            .iter()
            .map(|f| {
                f.nodes
                    .iter()
                    .flat_map(|&p| (0..contacts).map(move |c| (c, p)))
                    .map(|(c, p)| unit(c, p) as f32)
                    .collect()
            })
            .collect();
        Probe {
            fibres,
            ve,
            contacts,
        }
    }

    /// The largest depolarising drive (mV) along fibre `f` for `currents_ma` at the
    /// contacts during the stimulating phase.
    pub fn drive_mv(&self, f: usize, currents_ma: &[f64]) -> f64 {
        self.ve_mv(f, currents_ma)
            .windows(3)
            .map(|w| w[0] - 2.0 * w[1] + w[2])
            .fold(0.0, f64::max)
    }

    /// The extracellular potential (mV) at each node of fibre `f` for `currents_ma` at
    /// the contacts: what drives a membrane model.
    pub fn ve_mv(&self, f: usize, currents_ma: &[f64]) -> Vec<f64> {
        self.ve[f]
            .chunks_exact(self.contacts.max(1))
            .map(|node| {
                node.iter()
                    .zip(currents_ma)
                    .map(|(&v, &i)| v as f64 * i * 1e3)
                    .sum()
            })
            .collect()
    }

    /// The amplitude (mA) at which fibre `f` fires for a program whose contacts carry
    /// `fractions` of the amplitude (signed, cathodes −), at pulse width `pw_us`; by
    /// linearity, threshold drive ÷ drive per mA. Infinite if it never fires.
    pub fn threshold_ma(&self, f: usize, fractions: &[f64], pw_us: f64) -> f64 {
        let per_ma = self.drive_mv(f, fractions);
        if per_ma <= 0.0 {
            f64::INFINITY
        } else {
            threshold_mv(pw_us) / per_ma
        }
    }

    /// The dermatomes of the fibres in `recruited`, each once: the paresthesia map.
    pub fn felt(&self, recruited: &[usize]) -> Vec<Dermatome> {
        let mut felt: Vec<Dermatome> = recruited
            .iter()
            .map(|&f| self.fibres[f].dermatome)
            .collect();
        felt.sort();
        felt.dedup();
        felt
    }

    /// Each dermatome's lowest fibre threshold (mA) for a program of `fractions` at
    /// `pw_us`, sorted by dermatome; dermatomes no fibre of which ever fires are left out.
    /// The first of them all is the perception threshold; a region's lowest is where the
    /// patient starts to feel it there (see [`crate::dermatomes::region_thresholds`]).
    pub fn dermatome_thresholds(&self, fractions: &[f64], pw_us: f64) -> Vec<(Dermatome, f64)> {
        self.lowest_by_dermatome(&self.thresholds_ma(fractions, pw_us))
    }

    /// Each fibre's threshold (mA) for a program of `fractions` at `pw_us`, in fibre order
    /// (infinite for a fibre that never fires). A page computes these once per program and
    /// answers every amplitude from them.
    pub fn thresholds_ma(&self, fractions: &[f64], pw_us: f64) -> Vec<f64> {
        (0..self.fibres.len())
            .map(|f| self.threshold_ma(f, fractions, pw_us))
            .collect()
    }

    /// [`Probe::dermatome_thresholds`] from the fibres' `thresholds` ([`Probe::thresholds_ma`]).
    pub fn lowest_by_dermatome(&self, thresholds: &[f64]) -> Vec<(Dermatome, f64)> {
        // One slot per segment and side, in the dermatomes' order (no sort: the page's
        // bundle would carry one).
        let slot = |d: Dermatome| d.segment.0 as usize * 2 + (d.side == Side::Right) as usize;
        let mut lowest: Vec<Option<(Dermatome, f64)>> = vec![None; SEGMENTS * 2];
        for (f, &ma) in thresholds.iter().enumerate() {
            let dermatome = self.fibres[f].dermatome;
            let entry = &mut lowest[slot(dermatome)];
            if ma.is_finite() && entry.is_none_or(|(_, low)| ma < low) {
                *entry = Some((dermatome, ma));
            }
        }
        lowest.into_iter().flatten().collect()
    }

    /// Which fibres fire at `amplitude_ma` with `fractions` and `pw_us`.
    pub fn recruited(&self, fractions: &[f64], amplitude_ma: f64, pw_us: f64) -> Vec<usize> {
        fired_at(&self.thresholds_ma(fractions, pw_us), amplitude_ma)
    }
}

/// The fibres whose `thresholds` (mA, one per fibre) `amplitude_ma` reaches.
pub fn fired_at(thresholds: &[f64], amplitude_ma: f64) -> Vec<usize> {
    (0..thresholds.len())
        .filter(|&f| thresholds[f] <= amplitude_ma)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A probe of the real fibre population over T8 in the potential of a point cathode
    /// 3 mm dorsal of the cord's midline (Φ = I / (4πσr), σ = 1.7 S/m): no solve needed.
    fn point_cathode_probe() -> Probe {
        let anatomy = Anatomy::default();
        let z = level_z(2);
        let source = [0.4, 6.0, z];
        let unit = |_: usize, p: [f64; 3]| {
            let r = (0..3)
                .map(|d| (p[d] - source[d]).powi(2))
                .sum::<f64>()
                .sqrt();
            // V for 1 mA, r in mm.
            1e-3 / (4.0 * std::f64::consts::PI * 1.7 * r.max(0.1) * 1e-3)
        };
        Probe::sample(population(&anatomy, z + 20.0, z - 20.0), 1, &unit)
    }

    #[test]
    fn a_dermatome_is_felt_exactly_from_its_lowest_fibre_threshold() {
        let probe = point_cathode_probe();
        let fractions = [-1.0];
        let thresholds = probe.dermatome_thresholds(&fractions, 300.0);
        assert!(thresholds.len() > 3, "{thresholds:?}");
        assert!(
            thresholds.windows(2).all(|w| w[0].0 < w[1].0),
            "sorted, each once"
        );
        let first = thresholds.iter().map(|t| t.1).fold(f64::INFINITY, f64::min);
        assert!(probe.recruited(&fractions, first * 0.999, 300.0).is_empty());
        for &(dermatome, ma) in &thresholds {
            let felt_at = |a| probe.felt(&probe.recruited(&fractions, a, 300.0));
            assert!(felt_at(ma).contains(&dermatome), "{dermatome:?} at {ma} mA");
            assert!(
                !felt_at(ma * 0.999).contains(&dermatome),
                "{dermatome:?} below {ma} mA"
            );
        }
    }

    #[test]
    fn thresholds_fall_with_a_longer_pulse_as_strength_duration_says() {
        let probe = point_cathode_probe();
        let short = probe.dermatome_thresholds(&[-1.0], 100.0);
        let long = probe.dermatome_thresholds(&[-1.0], 500.0);
        // V_th ∝ 1 + τ/PW: (1 + 2) / (1 + 0.4).
        let ratio = short[0].1 / long[0].1;
        assert!((ratio - 3.0 / 1.4).abs() < 1e-9, "{ratio}");
    }
}
