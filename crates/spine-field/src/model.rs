//! The volume conductor of one lead placement: the grid, the conductivities, and one solve
//! per contact. The field of any program is the sum of the contacts' unit fields weighted
//! by their currents (superposition), so a change of amplitude or polarity costs a
//! weighted sum, not a new solve.
//!
//! The far boundary is grounded about 45 mm from the cord and 80 mm beyond the lead's
//! ends; the generator's case, as anode, is that ground (monopolar stimulation).

use crate::anatomy::{Anatomy, Tissue};
use crate::cg::{solve, Cg, NotConverged};
use crate::grid::{Axis, Grid};
use crate::lead::{ContactShape, Lead};
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

/// A solved lead placement.
#[derive(Clone, Debug)]
pub struct Model {
    /// The anatomy.
    pub anatomy: Anatomy,
    /// The lead.
    pub lead: Lead,
    /// The grid around them.
    pub grid: Grid,
    /// The contacts' shapes.
    pub contacts: Vec<ContactShape>,
    /// Each contact's unit field: Φ (V) for 1 mA into the tissue at that contact.
    pub fields: Vec<Vec<f32>>,
    /// CG iterations of each contact's solve.
    pub iterations: Vec<usize>,
    op: Operator,
    mg: Multigrid,
}

/// The grid for a placement: fine over the cord and the lead, coarser outwards.
pub fn grid_for(lead: &Lead, resolution: Resolution) -> Grid {
    let span = lead.half_span();
    Grid {
        x: Axis::graded(
            lead.offset / 2.0,
            resolution.across,
            9.0 + lead.offset.abs() / 2.0,
            45.0,
            GROWTH,
        ),
        y: Axis::graded(1.5, resolution.across, 8.5, 45.0, GROWTH),
        z: Axis::graded(
            lead.middle_z(),
            resolution.along,
            span + 12.0,
            span + 80.0,
            GROWTH,
        ),
    }
}

/// The conductivity of every cell (the tissue at its centre).
pub fn conductivity(grid: &Grid, anatomy: &Anatomy, lead: &Lead) -> Vec<Sigma> {
    let [nx, ny, nz] = grid.dims();
    let mut sigma = Vec::with_capacity(grid.cells());
    for k in 0..nz {
        for j in 0..ny {
            for i in 0..nx {
                let p = grid.center(i, j, k);
                let tissue = if lead.insulates(anatomy, p) {
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
    /// Builds and solves the placement of `lead` in `anatomy`.
    pub fn build(
        anatomy: Anatomy,
        lead: Lead,
        resolution: Resolution,
    ) -> Result<Model, NotConverged> {
        Model::build_from(anatomy, lead, resolution, None)
    }

    /// Like [`Model::build`], starting each solve from `previous`'s fields when its grid
    /// has the same shape (a lead moved a little): fewer iterations.
    pub fn build_from(
        anatomy: Anatomy,
        lead: Lead,
        resolution: Resolution,
        previous: Option<&Model>,
    ) -> Result<Model, NotConverged> {
        let mut build = Build::start(anatomy, lead, resolution, previous);
        loop {
            match build.advance(MAX_ITERATIONS)? {
                Step::Done(model) => return Ok(model),
                Step::Running(more) => build = more,
            }
        }
    }

    /// The right-hand side for `currents_ma` at the contacts.
    fn rhs(&self, currents_ma: &[f64]) -> Vec<f64> {
        let mut current = vec![0.0; self.grid.cells()];
        for (shape, &ma) in self.contacts.iter().zip(currents_ma) {
            if ma != 0.0 {
                for (cell, i) in sources::contact(&self.grid, shape, ma * 1e-3) {
                    current[cell] += i;
                }
            }
        }
        self.op.rhs(&current, |_| 0.0)
    }

    /// Solves directly for `currents_ma` at all contacts at once (into `x`, a start guess);
    /// returns the iterations. Superposition makes this unnecessary except as a check.
    pub fn solve(&self, currents_ma: &[f64], x: &mut [f64]) -> Result<usize, NotConverged> {
        let b = self.rhs(currents_ma);
        solve(&self.op, &self.mg, &b, x, TOLERANCE, MAX_ITERATIONS).map(|s| s.iterations)
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

/// A placement being solved a few iterations at a time, [`BATCH`] contacts at once, so
/// that a single-threaded caller (a browser tab) can draw between steps or drop a build
/// that a newer placement made stale.
pub struct Build<'a> {
    model: Model,
    warm: Option<&'a Model>,
    /// The batch being solved: its solver and its solutions so far.
    current: Option<Box<(Cg<BATCH>, Vec<[f64; BATCH]>)>>,
}

impl<'a> Build<'a> {
    /// Assembles the operator and the multigrid of the placement (the one step that cannot
    /// be split) and prepares the first batch's solve.
    pub fn start(
        anatomy: Anatomy,
        lead: Lead,
        resolution: Resolution,
        previous: Option<&'a Model>,
    ) -> Build<'a> {
        let grid = grid_for(&lead, resolution);
        let op = Operator::assemble(&grid, &conductivity(&grid, &anatomy, &lead));
        let mg = Multigrid::new(&op);
        let contacts = lead.contacts(&anatomy);
        let model = Model {
            anatomy,
            lead,
            grid,
            contacts,
            fields: vec![],
            iterations: vec![],
            op,
            mg,
        };
        let warm = previous.filter(|p| {
            p.grid.dims() == model.grid.dims() && p.fields.len() == model.contacts.len()
        });
        Build {
            model,
            warm,
            current: None,
        }
    }

    /// Contacts solved so far, of all.
    pub fn progress(&self) -> (usize, usize) {
        (self.model.fields.len(), self.model.contacts.len())
    }

    /// Runs at most `budget` CG iterations (each serves a whole batch): the model once
    /// every contact is solved, or the build to go on with.
    ///
    /// # Errors
    /// A batch whose solve has not converged after its iteration limit.
    pub fn advance(mut self, mut budget: usize) -> Result<Step<'a>, NotConverged> {
        let model = &mut self.model;
        while model.fields.len() < model.contacts.len() && budget > 0 {
            let first = model.fields.len();
            let lanes = BATCH.min(model.contacts.len() - first);
            let (cg, x) = &mut **self.current.get_or_insert_with(|| {
                let mut b = vec![[0.0; BATCH]; model.grid.cells()];
                let mut x = vec![[0.0; BATCH]; model.grid.cells()];
                for lane in 0..lanes {
                    let mut currents = vec![0.0; model.contacts.len()];
                    currents[first + lane] = 1.0;
                    for (b, v) in b.iter_mut().zip(model.rhs(&currents)) {
                        b[lane] = v;
                    }
                    if let Some(previous) = self.warm {
                        for (x, &v) in x.iter_mut().zip(&previous.fields[first + lane]) {
                            x[lane] = v as f64;
                        }
                    }
                }
                Box::new((Cg::start(&model.op, &model.mg, &b, &mut x), x))
            });
            let before = cg.iterations();
            let converged = cg.advance(
                &model.op,
                &model.mg,
                x,
                TOLERANCE,
                budget.min(MAX_ITERATIONS - before),
            );
            budget -= cg.iterations() - before;
            if converged || cg.iterations() >= MAX_ITERATIONS {
                cg.outcome(TOLERANCE)?;
                model
                    .iterations
                    .extend_from_slice(&cg.lane_iterations()[..lanes]);
                for lane in 0..lanes {
                    model
                        .fields
                        .push(x.iter().map(|v| v[lane] as f32).collect());
                }
                self.current = None;
            }
        }
        Ok(if model.fields.len() == model.contacts.len() {
            Step::Done(self.model)
        } else {
            Step::Running(self)
        })
    }
}

/// Where a [`Build`] stands after a step.
pub enum Step<'a> {
    /// Every contact is solved.
    Done(Model),
    /// More iterations to go.
    Running(Build<'a>),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lead::LeadKind;

    #[test]
    fn a_build_in_small_steps_gives_the_same_fields_as_one_in_a_single_call() {
        let lead = Lead::at(LeadKind::PERCUTANEOUS_8, 2);
        let whole = Model::build(Anatomy::default(), lead, Resolution::COARSE).unwrap();
        let mut build = Build::start(Anatomy::default(), lead, Resolution::COARSE, None);
        let (mut steps, mut last) = (0, 0);
        let stepped = loop {
            match build.advance(2).unwrap() {
                Step::Done(model) => break model,
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
}
