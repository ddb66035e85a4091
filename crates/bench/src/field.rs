//! Field workloads: one contact's solve, and a program update (weighted sum of the unit
//! fields, fibre activation, paresthesia map), on the fine grid of a 1 × 8 at T8.

use spine_field::anatomy::{level_z, Anatomy};
use spine_field::cg::solve;
use spine_field::dermatomes::{dermatomes_of, share_covered};
use spine_field::fibres::{population, Probe};
use spine_field::lead::{Lead, LeadKind};
use spine_field::model::{self, Model, Resolution, TOLERANCE};
use spine_field::multigrid::Multigrid;
use spine_field::operator::Operator;
use spine_field::sources;

/// The placement every field workload uses: a midline 1 × 8 centred on T8.
pub fn placement() -> (Anatomy, Lead) {
    (Anatomy::default(), Lead::at(LeadKind::PERCUTANEOUS_8, 2))
}

/// The system of one contact's solve: the operator and its right-hand side (E4, 1 mA).
pub fn contact_system() -> (Operator, Vec<f64>) {
    let (anatomy, lead) = placement();
    let grid = model::grid_for(&lead, Resolution::FINE);
    let op = Operator::assemble(&grid, &model::conductivity(&grid, &anatomy, &lead));
    let shape = lead.contacts(&anatomy)[3];
    let current = sources::to_cells(&grid, &sources::contact(&grid, &shape, 1e-3));
    let b = op.rhs(&current, |_| 0.0);
    (op, b)
}

/// Solves one contact from scratch, the multigrid set-up included (as pyamg's time
/// includes its set-up); returns the CG iterations.
///
/// # Panics
/// If the solve does not converge (a regression this benchmark should shout about).
pub fn solve_contact(op: &Operator, b: &[f64]) -> usize {
    let mg = Multigrid::new(op);
    let mut x = vec![0.0; b.len()];
    solve(op, &mg, b, &mut x, TOLERANCE, 500)
        .expect("the benchmark solve converges")
        .iterations
}

/// A solved model and its fibres, ready for program updates.
pub struct Updates {
    model: Model,
    probe: Probe,
    field: Vec<f32>,
}

impl Updates {
    /// Solves all eight contacts (not timed: a lead placement is solved once).
    ///
    /// # Panics
    /// If a solve does not converge.
    pub fn new() -> Updates {
        let (anatomy, lead) = placement();
        let model =
            Model::build(anatomy, lead, Resolution::FINE).expect("the benchmark model solves");
        let z = level_z(2);
        let probe = Probe::new(&model, population(&model.anatomy, z + 30.0, z - 30.0));
        let field = vec![0.0; model.grid.cells()];
        Updates {
            model,
            probe,
            field,
        }
    }

    /// Cells in the grid.
    pub fn cells(&self) -> usize {
        self.model.grid.cells()
    }

    /// One program update at `amplitude_ma`: the volume potential by superposition, which
    /// fibres fire, where they are felt and how much of both feet that covers.
    pub fn update(&mut self, amplitude_ma: f64) -> f64 {
        let fractions = [0.0, 0.0, 0.5, -1.0, 0.5, 0.0, 0.0, 0.0];
        let currents: Vec<f64> = fractions.iter().map(|f| f * amplitude_ma).collect();
        self.model.potential_into(&currents, &mut self.field);
        let recruited = self.probe.recruited(&fractions, amplitude_ma, 300.0);
        let felt = self.probe.felt(&recruited);
        share_covered(
            &felt,
            &dermatomes_of(&["top of the foot and big toe", "sole and little toe"]),
        )
    }
}

impl Default for Updates {
    fn default() -> Self {
        Updates::new()
    }
}
