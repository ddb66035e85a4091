//! The volume conductor of a placement of one lead or several (two leads side by side or
//! staggered): the grid over all of them, the conductivities (with a paddle's insulating
//! body), and one solve per contact, the leads' contacts one after the other. The field of any program is the sum of the contacts' unit fields weighted
//! by their currents (superposition), so a change of amplitude or polarity costs a
//! weighted sum, not a new solve.
//!
//! The far boundary is grounded about 45 mm from the cord and 80 mm beyond the lead's
//! ends; the generator's case, as anode, is that ground (monopolar stimulation).

use crate::anatomy::{Anatomy, Tissue};
use crate::cg::{solve, Cg, NotConverged};
use crate::grid::{Axis, Grid};
use crate::lead::{contacts_of, ContactShape, Lead};
use crate::multigrid::Multigrid;
use crate::operator::{Operator, Sigma};
use crate::sources;

/// Relative residual each contact solve reaches.
pub const TOLERANCE: f64 = 1e-6;
const MAX_ITERATIONS: usize = 200;
/// Contacts solved together: one pass over the operator and the multigrid serves all of
/// them (docs/benchmarks.md compares this with one contact at a time). Four f32 lanes
/// fill one wasm SIMD register in the multigrid's loops.
pub const BATCH: usize = 4;
/// Growth of cell widths outside the fine region.
const GROWTH: f64 = 1.3;

/// Cell sizes in the fine region, mm.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Resolution {
    /// Across the cord (x and y).
    pub across: f64,
    /// Along the cord (z).
    pub along: f64,
}

impl Resolution {
    /// For drawing and scoring: 0.5 mm across, 0.75 mm along (≈ 400 000 cells for a 1 × 8).
    pub const FINE: Resolution = Resolution {
        across: 0.5,
        along: 0.75,
    };
    /// While a lead is dragged, and in quick tests: 1 mm across, 1.5 mm along.
    pub const COARSE: Resolution = Resolution {
        across: 1.0,
        along: 1.5,
    };
}

/// A solved placement.
#[derive(Clone, Debug)]
pub struct Model {
    /// The anatomy.
    pub anatomy: Anatomy,
    /// The leads, in the order their contacts are numbered.
    pub leads: Vec<Lead>,
    /// The grid around them.
    pub grid: Grid,
    /// The contacts' shapes: the first lead's, then the next lead's.
    pub contacts: Vec<ContactShape>,
    /// Each contact's unit field: Φ (V) for 1 mA into the tissue at that contact.
    pub fields: Vec<Vec<f32>>,
    /// CG iterations of each contact's solve.
    pub iterations: Vec<usize>,
}

/// The grid for a placement: fine over the cord and every lead (from the midline to the
/// furthest offset, from the most rostral contact to the most caudal), coarser outwards.
///
/// # Panics
/// If `leads` is empty.
pub fn grid_for(leads: &[Lead], resolution: Resolution) -> Grid {
    assert!(!leads.is_empty(), "a placement has a lead");
    let (mut left, mut right) = (0f64, 0f64);
    for lead in leads {
        (left, right) = (left.min(lead.offset), right.max(lead.offset));
    }
    // Along the cord: one lead's middle and half span exactly, or the hull of several.
    let (middle, span) = match leads {
        [lead] => (lead.middle_z(), lead.half_span()),
        _ => {
            let top = leads.iter().map(|l| l.middle_z() + l.half_span());
            let bottom = leads.iter().map(|l| l.middle_z() - l.half_span());
            let (top, bottom) = (
                top.fold(f64::MIN, f64::max),
                bottom.fold(f64::MAX, f64::min),
            );
            ((top + bottom) / 2.0, (top - bottom) / 2.0)
        }
    };
    Grid {
        x: Axis::graded(
            (left + right) / 2.0,
            resolution.across,
            9.0 + (right - left) / 2.0,
            45.0,
            GROWTH,
        ),
        y: Axis::graded(1.5, resolution.across, 8.5, 45.0, GROWTH),
        z: Axis::graded(middle, resolution.along, span + 12.0, span + 80.0, GROWTH),
    }
}

/// The conductivity of every cell (the tissue at its centre, or a paddle's insulator).
pub fn conductivity(grid: &Grid, anatomy: &Anatomy, leads: &[Lead]) -> Vec<Sigma> {
    let [nx, ny, nz] = grid.dims();
    let mut sigma = Vec::with_capacity(grid.cells());
    for k in 0..nz {
        for j in 0..ny {
            for i in 0..nx {
                let p = grid.center(i, j, k);
                let tissue = if leads.iter().any(|l| l.insulates(anatomy, p)) {
                    Tissue::Insulator
                } else {
                    anatomy.tissue_at(p)
                };
                sigma.push(tissue.sigma());
            }
        }
    }
    sigma
}

impl Model {
    /// Builds and solves the placement of `leads` in `anatomy`.
    pub fn build(
        anatomy: Anatomy,
        leads: &[Lead],
        resolution: Resolution,
    ) -> Result<Model, NotConverged> {
        Model::build_from(anatomy, leads, resolution, None)
    }

    /// Like [`Model::build`], starting each solve from `previous`'s fields when its grid
    /// has the same shape (a lead moved a little): fewer iterations.
    pub fn build_from(
        anatomy: Anatomy,
        leads: &[Lead],
        resolution: Resolution,
        previous: Option<&Model>,
    ) -> Result<Model, NotConverged> {
        let grid = grid_for(leads, resolution);
        let contacts = contacts_of(leads, &anatomy);
        let warm = previous
            .filter(|p| p.grid.dims() == grid.dims() && p.fields.len() == contacts.len())
            .map(|p| p.fields.as_slice());
        let solver = Solver::new(&grid, &anatomy, leads);
        let solved = Build::start(&solver, &grid, &contacts, warm).finish()?;
        Ok(Model {
            anatomy,
            leads: leads.to_vec(),
            grid,
            contacts,
            fields: solved.fields,
            iterations: solved.iterations,
        })
    }

    /// The potential (V) of a program: `currents_ma[c]` mA at contact c (+ anodic,
    /// − cathodic), as the weighted sum of the unit fields, into `out`.
    ///
    /// # Panics
    /// If `out` is not one value per cell.
    pub fn potential_into(&self, currents_ma: &[f64], out: &mut [f32]) {
        assert_eq!(out.len(), self.grid.cells(), "one value per cell");
        out.iter_mut().for_each(|v| *v = 0.0);
        for (field, &ma) in self.fields.iter().zip(currents_ma) {
            if ma != 0.0 {
                let w = ma as f32;
                out.iter_mut().zip(field).for_each(|(o, f)| *o += w * f);
            }
        }
    }

    /// Bytes held by the unit fields.
    pub fn field_bytes(&self) -> usize {
        self.fields
            .iter()
            .map(|f| f.len() * std::mem::size_of::<f32>())
            .sum()
    }
}

/// The operator of a grid and its multigrid: what every solve on that grid shares. It is
/// the memory-hungry part of a solve, so a [`Model`] does not keep it.
pub struct Solver {
    op: Operator,
    mg: Multigrid,
}

impl Solver {
    /// Assembles the operator of `anatomy` (with the insulating body of any paddle among
    /// `leads`) on `grid` and its multigrid: the one step of a solve that cannot be split.
    pub fn new(grid: &Grid, anatomy: &Anatomy, leads: &[Lead]) -> Solver {
        let op = Operator::assemble(grid, &conductivity(grid, anatomy, leads));
        let mg = Multigrid::new(&op);
        Solver { op, mg }
    }

    /// The right-hand side for `currents_ma` at `contacts`.
    fn rhs(&self, grid: &Grid, contacts: &[ContactShape], currents_ma: &[f64]) -> Vec<f64> {
        let mut current = vec![0.0; grid.cells()];
        for (shape, &ma) in contacts.iter().zip(currents_ma) {
            if ma != 0.0 {
                for (cell, i) in sources::contact(grid, shape, ma * 1e-3) {
                    current[cell] += i;
                }
            }
        }
        self.op.rhs(&current, |_| 0.0)
    }

    /// Solves directly for `currents_ma` at `contacts` all at once (into `x`, a start
    /// guess); returns the iterations. Superposition makes this unnecessary except as a
    /// check.
    pub fn solve(
        &self,
        grid: &Grid,
        contacts: &[ContactShape],
        currents_ma: &[f64],
        x: &mut [f64],
    ) -> Result<usize, NotConverged> {
        let b = self.rhs(grid, contacts, currents_ma);
        solve(&self.op, &self.mg, &b, x, TOLERANCE, MAX_ITERATIONS).map(|s| s.iterations)
    }
}

/// Unit fields being solved a few iterations at a time, [`BATCH`] sources at once, so
/// that a single-threaded caller (a browser tab) can draw between steps or drop a build
/// that a newer placement made stale. The sources are a lead's contacts, or any part of
/// them (a worker's share).
pub struct Build<'a> {
    solver: &'a Solver,
    grid: &'a Grid,
    sources: &'a [ContactShape],
    warm: Option<&'a [Vec<f32>]>,
    solved: Solved,
    /// The batch being solved: its solver and its solutions so far.
    current: Option<Box<(Cg<BATCH>, Vec<[f64; BATCH]>)>>,
}

/// Unit fields: one per source, with the CG iterations each took.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Solved {
    /// Φ (V) for 1 mA at each source.
    pub fields: Vec<Vec<f32>>,
    /// CG iterations of each source's solve.
    pub iterations: Vec<usize>,
}

impl<'a> Build<'a> {
    /// Prepares the solves of `sources`' unit fields on `grid`, each starting from its
    /// field in `warm` if given (a lead moved a little: fewer iterations).
    pub fn start(
        solver: &'a Solver,
        grid: &'a Grid,
        sources: &'a [ContactShape],
        warm: Option<&'a [Vec<f32>]>,
    ) -> Build<'a> {
        Build {
            solver,
            grid,
            sources,
            warm: warm.filter(|w| w.len() == sources.len()),
            solved: Solved::default(),
            current: None,
        }
    }

    /// Sources solved so far, of all.
    pub fn progress(&self) -> (usize, usize) {
        (self.solved.fields.len(), self.sources.len())
    }

    /// Runs the build to the end.
    ///
    /// # Errors
    /// A batch whose solve has not converged after its iteration limit.
    pub fn finish(mut self) -> Result<Solved, NotConverged> {
        loop {
            match self.advance(MAX_ITERATIONS)? {
                Step::Done(solved) => return Ok(solved),
                Step::Running(more) => self = more,
            }
        }
    }

    /// Runs at most `budget` CG iterations (each serves a whole batch): the fields once
    /// every source is solved, or the build to go on with.
    ///
    /// # Errors
    /// A batch whose solve has not converged after its iteration limit.
    pub fn advance(mut self, mut budget: usize) -> Result<Step<'a>, NotConverged> {
        let (solver, grid, sources, warm) = (self.solver, self.grid, self.sources, self.warm);
        let solved = &mut self.solved;
        while solved.fields.len() < sources.len() && budget > 0 {
            let first = solved.fields.len();
            let lanes = BATCH.min(sources.len() - first);
            let (cg, x) = &mut **self.current.get_or_insert_with(|| {
                let mut b = vec![[0.0; BATCH]; grid.cells()];
                let mut x = vec![[0.0; BATCH]; grid.cells()];
                for lane in 0..lanes {
                    let source = &sources[first + lane..=first + lane];
                    for (b, v) in b.iter_mut().zip(solver.rhs(grid, source, &[1.0])) {
                        b[lane] = v;
                    }
                    if let Some(previous) = warm {
                        for (x, &v) in x.iter_mut().zip(&previous[first + lane]) {
                            x[lane] = v as f64;
                        }
                    }
                }
                Box::new((Cg::start(&solver.op, &solver.mg, &b, &mut x), x))
            });
            let before = cg.iterations();
            let converged = cg.advance(
                &solver.op,
                &solver.mg,
                x,
                TOLERANCE,
                budget.min(MAX_ITERATIONS - before),
            );
            budget -= cg.iterations() - before;
            if converged || cg.iterations() >= MAX_ITERATIONS {
                cg.outcome(TOLERANCE)?;
                solved
                    .iterations
                    .extend_from_slice(&cg.lane_iterations()[..lanes]);
                for lane in 0..lanes {
                    solved
                        .fields
                        .push(x.iter().map(|v| v[lane] as f32).collect());
                }
                self.current = None;
            }
        }
        Ok(if solved.fields.len() == sources.len() {
            Step::Done(std::mem::take(&mut self.solved))
        } else {
            Step::Running(self)
        })
    }
}

/// Where a [`Build`] stands after a step.
pub enum Step<'a> {
    /// Every source is solved.
    Done(Solved),
    /// More iterations to go.
    Running(Build<'a>),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lead::LeadKind;

    #[test]
    fn a_build_in_small_steps_gives_the_same_fields_as_one_in_a_single_call() {
        let (anatomy, lead) = (Anatomy::default(), Lead::at(LeadKind::PERCUTANEOUS_8, 2));
        let whole = Model::build(anatomy.clone(), &[lead], Resolution::COARSE).unwrap();
        let grid = grid_for(&[lead], Resolution::COARSE);
        let solver = Solver::new(&grid, &anatomy, &[lead]);
        let contacts = lead.contacts(&anatomy);
        let mut build = Build::start(&solver, &grid, &contacts, None);
        let (mut steps, mut last) = (0, 0);
        let stepped = loop {
            match build.advance(2).unwrap() {
                Step::Done(solved) => break solved,
                Step::Running(more) => {
                    let (done, all) = more.progress();
                    assert!(done >= last && done < all, "progress runs forward");
                    last = done;
                    steps += 1;
                    build = more;
                }
            }
        };
        // Two batches of four contacts, about ten iterations each.
        assert!(
            steps > 4,
            "stopped between iterations, not only between batches: {steps} steps"
        );
        assert_eq!(stepped.iterations, whole.iterations);
        assert_eq!(stepped.fields, whole.fields);
    }

    #[test]
    fn a_share_of_the_contacts_solved_apart_gives_those_contacts_fields() {
        // What a worker does: its share of the contacts on the placement's own grid.
        let (anatomy, lead) = (Anatomy::default(), Lead::at(LeadKind::PERCUTANEOUS_8, 4));
        let whole = Model::build(anatomy.clone(), &[lead], Resolution::COARSE).unwrap();
        let grid = grid_for(&[lead], Resolution::COARSE);
        let solver = Solver::new(&grid, &anatomy, &[lead]);
        let share = &lead.contacts(&anatomy)[4..8];
        let part = Build::start(&solver, &grid, share, None).finish().unwrap();
        assert_eq!(part.fields, whole.fields[4..8]);
        assert_eq!(part.iterations, whole.iterations[4..8]);
    }
}
