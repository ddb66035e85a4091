//! Precomputed fields for a preview while a lead is dragged: one percutaneous contact's
//! unit field, solved once at the centre of each level and at each whole millimetre from
//! the midline (0–8 mm; the anatomy is symmetric, so the left mirrors the right), kept on
//! a box around the contact.
//!
//! A dragged lead's contact takes the field of the entries either side of it, translated
//! along the cord to where the contact lies and blended linearly between the two levels
//! (and the two offsets). Translation is nearly exact because the cross-section changes
//! slowly along the cord: only the dorsal CSF varies, by at most 0.6 mm per 26 mm level,
//! and blending the levels either side follows that change to first order. The preview
//! costs a few interpolations per fibre node and per drawn pixel, so it fits in a frame;
//! `tests/preview.rs` bounds its error against the full solve of the placement.
//!
//! Percutaneous leads only: a paddle's insulating body changes the field of every
//! contact, so it has no atlas.

use std::sync::Arc;

use crate::anatomy::{level_z, Anatomy, LEVELS, LEVEL_HEIGHT};
use crate::cg::NotConverged;
use crate::fibres::{Fibre, Probe};
use crate::grid::{Axis, Grid};
use crate::lead::{percutaneous_contact, ContactShape, Lead, LeadKind};
use crate::model::{Build, Resolution, Solved, Solver};

/// Entries per level: 0, 1, …, `MAX_OFFSET_MM` mm from the midline.
pub const MAX_OFFSET_MM: usize = 8;
/// How far along the cord an entry's box reaches either side of its contact, mm. Beyond
/// it the field goes on decaying geometrically at the rate of the box's last cells, so
/// its slope has no kink there (a kink would be a second difference, that is a drive,
/// that no real field has).
pub const REACH_MM: f64 = 32.0;

/// The box every entry is kept on: x −10…10 mm and y −5…13 mm (the drawn sections'
/// window) in the fine grid's cells (0.5 mm, on the same lattice as the solve, so the
/// box copies cells and does not smooth them), z ± [`REACH_MM`] about the contact at
/// 0.75 mm.
pub fn entry_box() -> Grid {
    let (h, dz) = (Resolution::FINE.across, Resolution::FINE.along);
    let nz = 2 * (REACH_MM / dz).ceil() as usize;
    Grid {
        x: Axis::uniform(-10.0, h, 40),
        y: Axis::uniform(-5.0, h, 36),
        z: Axis::uniform(-(nz as f64) * dz / 2.0, dz, nz),
    }
}

/// One level's entries: the unit field of a contact at the level's centre, at each offset.
#[derive(Clone, Debug, PartialEq)]
pub struct Level {
    /// Which level (index into [`LEVELS`]).
    pub level: usize,
    /// `fields[o]`: V for 1 mA at a contact `o` mm right of the midline, on [`entry_box`]
    /// with z relative to the contact.
    pub fields: Vec<Vec<f32>>,
    /// The CG iterations of each entry's solve.
    pub iterations: Vec<usize>,
}

/// What one level's solve needs: its grid, the lead whose anatomy it assembles (a
/// percutaneous lead insulates nothing), and the contacts at each offset.
pub struct LevelSolve {
    /// The solve's grid: fine over the cord, every offset and the box's reach.
    pub grid: Grid,
    /// A percutaneous lead at the level (for [`Solver::new`]).
    pub lead: Lead,
    /// One contact per offset, 0…[`MAX_OFFSET_MM`] mm.
    pub contacts: Vec<ContactShape>,
}

impl Level {
    /// The grid and sources of `level`'s solve.
    pub fn setup(anatomy: &Anatomy, level: usize) -> LevelSolve {
        let (h, dz) = (Resolution::FINE.across, Resolution::FINE.along);
        let half_offsets = MAX_OFFSET_MM as f64 / 2.0;
        let z = level_z(level);
        LevelSolve {
            grid: Grid {
                x: Axis::graded(half_offsets, h, half_offsets + 10.0, 45.0, 1.3),
                y: Axis::graded(1.5, h, 8.5, 45.0, 1.3),
                z: Axis::graded(z, dz, REACH_MM, REACH_MM + 80.0, 1.3),
            },
            lead: Lead::at(LeadKind::PERCUTANEOUS_8, level),
            contacts: (0..=MAX_OFFSET_MM)
                .map(|o| percutaneous_contact(anatomy, o as f64, z))
                .collect(),
        }
    }

    /// `level`'s entries from their solve on `setup`'s grid, resampled onto the box.
    pub fn from_solved(level: usize, setup: &LevelSolve, solved: Solved) -> Level {
        let cells = entry_box();
        let z = level_z(level);
        let fields = solved
            .fields
            .iter()
            .map(|field| {
                let [nx, ny, nz] = cells.dims();
                let mut boxed = Vec::with_capacity(cells.cells());
                for k in 0..nz {
                    for j in 0..ny {
                        for i in 0..nx {
                            let [x, y, dz] = cells.center(i, j, k);
                            boxed.push(setup.grid.interpolate(field, [x, y, z + dz]) as f32);
                        }
                    }
                }
                boxed
            })
            .collect();
        Level {
            level,
            fields,
            iterations: solved.iterations,
        }
    }

    /// Solves `level`'s entries in one call.
    ///
    /// # Errors
    /// A solve that has not converged.
    pub fn solve(anatomy: &Anatomy, level: usize) -> Result<Level, NotConverged> {
        let setup = Level::setup(anatomy, level);
        let solver = Solver::new(&setup.grid, anatomy, &[setup.lead]);
        let solved = Build::start(&solver, &setup.grid, &setup.contacts, None).finish()?;
        Ok(Level::from_solved(level, &setup, solved))
    }
}

/// The levels solved so far.
#[derive(Clone, Debug)]
pub struct Atlas {
    cells: Grid,
    /// Shared, so that a copy of the atlas with one more level costs no copy of the others.
    levels: Vec<Option<Arc<Level>>>,
}

impl Default for Atlas {
    fn default() -> Self {
        Atlas {
            cells: entry_box(),
            levels: vec![None; LEVELS.len()],
        }
    }
}

impl Atlas {
    /// Adds a solved level.
    pub fn insert(&mut self, level: Level) {
        let index = level.level;
        self.levels[index] = Some(Arc::new(level));
    }

    /// Levels solved, of all.
    pub fn progress(&self) -> (usize, usize) {
        (
            self.levels.iter().filter(|l| l.is_some()).count(),
            self.levels.len(),
        )
    }

    /// The levels whose entries a contact at `z` blends (one or two).
    fn levels_at(z: f64) -> [(usize, f64); 2] {
        let t = (-z / LEVEL_HEIGHT).clamp(0.0, (LEVELS.len() - 1) as f64);
        let below = (t.floor() as usize).min(LEVELS.len() - 2);
        let f = t - below as f64;
        [(below, 1.0 - f), (below + 1, f)]
    }

    /// The levels `lead`'s contacts need, each once.
    pub fn levels_for(lead: &Lead, anatomy: &Anatomy) -> Vec<usize> {
        let mut levels: Vec<usize> = lead
            .contacts(anatomy)
            .iter()
            .flat_map(|c| Atlas::levels_at(c.center[2]))
            .filter(|&(_, w)| w > 0.0)
            .map(|(l, _)| l)
            .collect();
        levels.sort_unstable();
        levels.dedup();
        levels
    }

    /// Whether every level `lead` needs is solved (and the lead is percutaneous, on the
    /// cord's axis).
    pub fn covers(&self, lead: &Lead, anatomy: &Anatomy) -> bool {
        matches!(lead.kind, LeadKind::Percutaneous { .. })
            && lead.angle == 0.0
            && Atlas::levels_for(lead, anatomy)
                .iter()
                .all(|&l| self.levels[l].is_some())
    }

    /// How a contact centred at `contact` reads the atlas: the entries either side of it
    /// and their weights; `None` if a level it needs is not solved yet.
    fn blend(&self, contact: [f64; 3]) -> Option<Blend<'_>> {
        // Left of the midline mirrors right.
        let mirror = contact[0] < 0.0;
        let o = contact[0].abs().min(MAX_OFFSET_MM as f64);
        let left = (o.floor() as usize).min(MAX_OFFSET_MM - 1);
        let fo = o - left as f64;
        let mut parts = [None, None, None, None];
        for (i, (level, wl)) in Atlas::levels_at(contact[2]).into_iter().enumerate() {
            for (j, (offset, wo)) in [(left, 1.0 - fo), (left + 1, fo)].into_iter().enumerate() {
                let w = wl * wo;
                if w > 0.0 {
                    let field = &self.levels[level].as_ref()?.fields[offset];
                    parts[2 * i + j] = Some((field.as_slice(), w));
                }
            }
        }
        Some(Blend {
            z: contact[2],
            mirror,
            parts,
        })
    }

    /// The unit potential (V for 1 mA) at `p` of a percutaneous contact centred at
    /// `contact`; `None` if a level it needs is not solved yet.
    pub fn unit(&self, contact: [f64; 3], p: [f64; 3]) -> Option<f64> {
        Some(self.value(&self.blend(contact)?, p))
    }

    /// A blended contact's unit potential at `p`.
    fn value(&self, blend: &Blend, p: [f64; 3]) -> f64 {
        let at = [
            if blend.mirror { -p[0] } else { p[0] },
            p[1],
            p[2] - blend.z,
        ];
        let mut value = 0.0;
        for (field, w) in blend.parts.iter().flatten() {
            value += w * self.along(field, at);
        }
        value
    }

    /// The potential (V) of `currents_ma` at percutaneous `contacts`, as a function of
    /// the point (each contact's entries looked up once, not at every point); `None` if a
    /// level they need is not solved yet.
    pub fn potential<'a>(
        &'a self,
        contacts: &[ContactShape],
        currents_ma: &[f64],
    ) -> Option<impl Fn([f64; 3]) -> f64 + 'a> {
        let blends = contacts
            .iter()
            .zip(currents_ma)
            .filter(|(_, &ma)| ma != 0.0)
            .map(|(c, &ma)| Some((self.blend(c.center)?, ma)))
            .collect::<Option<Vec<_>>>()?;
        Some(move |p| blends.iter().map(|(b, ma)| ma * self.value(b, p)).sum())
    }

    /// The preview's probe of `fibres` for a program whose contacts carry `fractions` of
    /// the amplitude: the unit potentials at their nodes, sampled for the contacts that
    /// carry current (the others' stay zero: a drag does not change the program, and
    /// sampling only these keeps a step within a frame). `None` if a level they need is
    /// not solved yet.
    pub fn probe(
        &self,
        contacts: &[ContactShape],
        fractions: &[f64],
        fibres: Vec<Fibre>,
    ) -> Option<Probe> {
        let blends = contacts
            .iter()
            .zip(fractions)
            .map(|(c, &f)| match f {
                0.0 => Some(None),
                _ => self.blend(c.center).map(Some),
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Probe::sample(fibres, contacts.len(), &|c, p| {
            blends[c].as_ref().map_or(0.0, |b| self.value(b, p))
        }))
    }

    /// An entry's `field` at `at` (z relative to the contact): interpolated in the box,
    /// and beyond its ends continued by the geometric decay of its last two planes.
    fn along(&self, field: &[f32], at: [f64; 3]) -> f64 {
        let nz = self.cells.z.len();
        let (first, last) = (self.cells.z.center(0), self.cells.z.center(nz - 1));
        let dz = self.cells.z.width(0);
        let (edge, inner) = if at[2] > last {
            (last, last - dz)
        } else if at[2] < first {
            (first, first + dz)
        } else {
            return self.in_box(field, at);
        };
        let v_edge = self.in_box(field, [at[0], at[1], edge]);
        let v_inner = self.in_box(field, [at[0], at[1], inner]);
        let ratio = v_edge / v_inner;
        if !(0.0..1.0).contains(&ratio) {
            return v_edge;
        }
        // ratio^(cells beyond), linear between whole cells (no `powf`: it would cost the
        // page's bundle a libm routine).
        let beyond = (at[2] - edge).abs() / dz;
        let whole = beyond.floor();
        let f = beyond - whole;
        v_edge * ratio.powi(whole as i32) * (1.0 - f + f * ratio)
    }

    /// Trilinear interpolation in the box (uniform cells: the cell is found by arithmetic,
    /// not a search), clamped to its outermost centres as [`Grid::interpolate`] is.
    fn in_box(&self, field: &[f32], at: [f64; 3]) -> f64 {
        let dims = self.cells.dims();
        let axes = [&self.cells.x, &self.cells.y, &self.cells.z];
        let mut base = [0usize; 3];
        let mut frac = [0.0f64; 3];
        for d in 0..3 {
            let (c0, h) = (axes[d].center(0), axes[d].width(0));
            let t = ((at[d] - c0) / h).clamp(0.0, (dims[d] - 1) as f64);
            let i = (t as usize).min(dims[d] - 2);
            base[d] = i;
            frac[d] = t - i as f64;
        }
        let (sy, sz) = (dims[0], dims[0] * dims[1]);
        let origin = base[0] + sy * base[1] + sz * base[2];
        let mut value = 0.0;
        for (dk, wz) in [(0, 1.0 - frac[2]), (sz, frac[2])] {
            for (dj, wy) in [(0, 1.0 - frac[1]), (sy, frac[1])] {
                for (di, wx) in [(0, 1.0 - frac[0]), (1, frac[0])] {
                    value += wx * wy * wz * field[origin + di + dj + dk] as f64;
                }
            }
        }
        value
    }

    /// Bytes held by the solved levels' fields.
    pub fn bytes(&self) -> usize {
        self.levels
            .iter()
            .flatten()
            .flat_map(|l| &l.fields)
            .map(|f| f.len() * std::mem::size_of::<f32>())
            .sum()
    }
}

/// A contact's reading of the atlas: up to four entries (two levels × two offsets) with
/// their weights, the contact's z, and whether it lies left of the midline (mirrored).
struct Blend<'a> {
    z: f64,
    mirror: bool,
    parts: [Option<(&'a [f32], f64)>; 4],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contact_between_levels_blends_the_two_levels_either_side() {
        let [(a, wa), (b, wb)] = Atlas::levels_at(level_z(3) - LEVEL_HEIGHT / 4.0);
        assert_eq!((a, b), (3, 4));
        assert!((wa - 0.75).abs() < 1e-12 && (wb - 0.25).abs() < 1e-12);
        // Beyond the first and last level's centres, that level alone.
        assert_eq!(Atlas::levels_at(10.0), [(0, 1.0), (1, 0.0)]);
        assert_eq!(Atlas::levels_at(level_z(9)), [(6, 0.0), (7, 1.0)]);
    }

    #[test]
    fn the_box_reaches_its_stated_window_at_the_fine_spacing() {
        let cells = entry_box();
        let [nx, ny, nz] = cells.dims();
        assert_eq!(cells.center(0, 0, 0)[..2], [-9.75, -4.75]);
        assert_eq!(cells.center(nx - 1, ny - 1, 0)[..2], [9.75, 12.75]);
        let reach = cells.center(0, 0, nz - 1)[2];
        assert!(reach + Resolution::FINE.along / 2.0 >= REACH_MM);
        assert!(
            (cells.center(0, 0, 0)[2] + reach).abs() < 1e-9,
            "centred on the contact"
        );
    }

    #[test]
    fn a_mirrored_contact_reads_the_mirrored_field() {
        // A made-up level whose entries are x itself: the unit of a contact left of the
        // midline at x is the entry's value at −x.
        let cells = entry_box();
        let linear: Vec<f32> = (0..cells.cells())
            .map(|c| {
                let [nx, ny, _] = cells.dims();
                cells.center(c % nx, (c / nx) % ny, c / (nx * ny))[0] as f32
            })
            .collect();
        let mut atlas = Atlas::default();
        for level in 0..LEVELS.len() {
            atlas.insert(Level {
                level,
                fields: vec![linear.clone(); MAX_OFFSET_MM + 1],
                iterations: vec![0; MAX_OFFSET_MM + 1],
            });
        }
        let right = atlas.unit([3.0, 9.0, -60.0], [2.0, 1.0, -58.0]).unwrap();
        let left = atlas.unit([-3.0, 9.0, -60.0], [-2.0, 1.0, -58.0]).unwrap();
        assert!((right - 2.0).abs() < 1e-6 && (left - 2.0).abs() < 1e-6);
        assert_eq!(Atlas::default().unit([0.0, 9.0, -60.0], [0.0; 3]), None);
    }
}
