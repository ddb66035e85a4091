//! Field workloads: one contact's solve (1 × 8, and a 1 × 16 on three grids), the unit
//! fields of a whole 1 × 16 (on one thread, and a share of it as one field worker solves
//! it), a program update (weighted sum of the unit fields, fibre
//! activation, paresthesia map), and every fibre's membrane threshold for a program, on
//! the fine grid at T8.

use std::ops::Range;

use spine_field::anatomy::{level_z, Anatomy};
use spine_field::cg::{solve, Cg};
use spine_field::dermatomes::{dermatomes_of, share_covered};
use spine_field::fibres::{anatomical_population, population, Probe};
use spine_field::lead::{Lead, LeadKind};
use spine_field::membrane::ecap::{growth_curve, represented, Recording};
use spine_field::membrane::recruitment::{self, Drive};
use spine_field::membrane::Stimulus;
use spine_field::model::{self, Model, Resolution, BATCH, TOLERANCE};
use spine_field::multigrid::Multigrid;
use spine_field::operator::Operator;
use spine_field::sources;

/// The finer grid of the refinement study: the fine grid's cells halved in each direction.
pub const FINER: Resolution = Resolution {
    across: Resolution::FINE.across / 2.0,
    along: Resolution::FINE.along / 2.0,
};

/// The system of one contact's solve: the operator and its right-hand side (1 mA at
/// `contact` of a midline lead of `kind` at T8, on the grid of `resolution`).
pub fn contact_system(
    kind: LeadKind,
    resolution: Resolution,
    contact: usize,
) -> (Operator, Vec<f64>) {
    let (anatomy, lead) = (Anatomy::default(), Lead::at(kind, 2));
    let grid = model::grid_for(&[lead], resolution);
    let op = Operator::assemble(&grid, &model::conductivity(&grid, &anatomy, &[lead]));
    let shape = lead.contacts(&anatomy)[contact];
    let current = sources::to_cells(&grid, &sources::contact(&grid, &shape, 1e-3));
    let b = op.rhs(&current, |_| 0.0);
    (op, b)
}

/// The system the reference solver also solves: E4 of the 1 × 8 on the fine grid.
pub fn reference_system() -> (Operator, Vec<f64>) {
    contact_system(LeadKind::PERCUTANEOUS_8, Resolution::FINE, 3)
}

/// The set-up of a 1 × 16's solves on the fine grid: conductivities, assembly and the
/// multigrid hierarchy (what each worker would repeat); returns the hierarchy's depth.
pub fn setup_16() -> usize {
    let (anatomy, lead) = (Anatomy::default(), Lead::at(LeadKind::PERCUTANEOUS_16, 2));
    let grid = model::grid_for(&[lead], Resolution::FINE);
    let op = Operator::assemble(&grid, &model::conductivity(&grid, &anatomy, &[lead]));
    Multigrid::new(&op).depth()
}

/// Bytes a batch's solve of a 1 × 16 on the fine grid holds besides the unit fields:
/// the operator, the multigrid hierarchy, CG's vectors and the cycle's scratch space, and
/// the batch's right-hand sides and solutions.
pub fn solve_bytes_16() -> usize {
    let (anatomy, lead) = (Anatomy::default(), Lead::at(LeadKind::PERCUTANEOUS_16, 2));
    let grid = model::grid_for(&[lead], Resolution::FINE);
    let op = Operator::assemble(&grid, &model::conductivity(&grid, &anatomy, &[lead]));
    let mg = Multigrid::new(&op);
    let b = vec![[0.0; BATCH]; op.len()];
    let mut x = b.clone();
    let cg = Cg::start(&op, &mg, &b, &mut x);
    op.bytes() + mg.bytes() + cg.bytes() + 2 * b.len() * size_of::<[f64; BATCH]>()
}

/// The unit fields of every contact of a midline 1 × 16 at T8 on the fine grid, from
/// scratch (assembly and multigrid set-up included), as the app builds them; returns
/// the most CG iterations of any contact.
///
/// # Panics
/// If a solve does not converge.
pub fn unit_fields_16() -> usize {
    let lead = Lead::at(LeadKind::PERCUTANEOUS_16, 2);
    let model =
        Model::build(Anatomy::default(), &[lead], Resolution::FINE).expect("the 1 × 16 solves");
    model.iterations.iter().copied().max().unwrap_or(0)
}

/// What one field worker does with contacts `share` of the 1 × 16 of [`unit_fields_16`]:
/// assembly, multigrid set-up (every worker repeats them) and the share's batches;
/// returns the most CG iterations of its contacts. [`field_worker::shares`] splits the
/// lead as the app does.
///
/// # Panics
/// If a solve does not converge, or `share` is not within the lead's 16 contacts.
pub fn unit_fields_16_share(share: Range<usize>) -> usize {
    let (anatomy, lead) = (Anatomy::default(), Lead::at(LeadKind::PERCUTANEOUS_16, 2));
    let grid = model::grid_for(&[lead], Resolution::FINE);
    let solver = model::Solver::new(&grid, &anatomy, &[lead]);
    let contacts = lead.contacts(&anatomy);
    let solved = model::Build::start(&solver, &grid, &contacts[share], None)
        .finish()
        .expect("the share solves");
    solved.iterations.into_iter().max().unwrap_or(0)
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

/// The same unit fields as [`unit_fields_16`], one contact at a time (batches of one):
/// what batching saves; returns the most CG iterations of any contact.
///
/// # Panics
/// If a solve does not converge.
pub fn unit_fields_16_one_at_a_time() -> usize {
    let (anatomy, lead) = (Anatomy::default(), Lead::at(LeadKind::PERCUTANEOUS_16, 2));
    let grid = model::grid_for(&[lead], Resolution::FINE);
    let op = Operator::assemble(&grid, &model::conductivity(&grid, &anatomy, &[lead]));
    let mg = Multigrid::new(&op);
    let mut most = 0;
    for shape in lead.contacts(&anatomy) {
        let current = sources::to_cells(&grid, &sources::contact(&grid, &shape, 1e-3));
        let b = op.rhs(&current, |_| 0.0);
        let mut x = vec![0.0; b.len()];
        let solved = solve(&op, &mg, &b, &mut x, TOLERANCE, 500).expect("the contact solves");
        most = most.max(solved.iterations);
    }
    most
}

/// A solved model and its fibres, ready for program updates.
pub struct Updates {
    model: Model,
    probe: Probe,
    /// The anatomical fibres, which the membrane model reads.
    anatomical: Probe,
    field: Vec<f32>,
}

impl Updates {
    /// Solves all eight contacts (not timed: a lead placement is solved once).
    ///
    /// # Panics
    /// If a solve does not converge.
    pub fn new() -> Updates {
        let (anatomy, lead) = (Anatomy::default(), Lead::at(LeadKind::PERCUTANEOUS_8, 2));
        let model =
            Model::build(anatomy, &[lead], Resolution::FINE).expect("the benchmark model solves");
        let z = level_z(2);
        let probe = Probe::new(&model, population(&model.anatomy, z + 30.0, z - 30.0));
        let anatomical = Probe::new(
            &model,
            anatomical_population(&model.anatomy, z + 30.0, z - 30.0),
        );
        let field = vec![0.0; model.grid.cells()];
        Updates {
            model,
            probe,
            anatomical,
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

impl Updates {
    /// The midline guarded cathode of [`Updates::update`] as a 300 µs biphasic pulse, as
    /// the membrane model sees it: every fibre's drive.
    pub fn membrane_drives(&self) -> (Vec<Drive>, Stimulus) {
        let fractions = [0.0, 0.0, 0.5, -1.0, 0.5, 0.0, 0.0, 0.0];
        let stimulus = Stimulus::biphasic(300.0);
        (
            recruitment::drives(&self.anatomical, &fractions, &stimulus),
            stimulus,
        )
    }

    /// The membrane thresholds of `fibres` for `stimulus` up to the stimulator's 25.5 mA,
    /// as a field worker finds them; returns the simulations run.
    pub fn membrane(fibres: &[Drive], stimulus: &Stimulus) -> usize {
        recruitment::thresholds(fibres, stimulus, 25.5)
            .iter()
            .map(|t| t.1)
            .sum()
    }
}

/// The amplitudes of the growth curve, mA: 1–7 mA in 0.5 mA steps.
pub const GROWTH_MA: [f64; 13] = [
    1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5, 7.0,
];

impl Updates {
    /// The ECAP growth curve of the update's program (300 µs) recorded on E8, four
    /// contacts from the cathode, at [`GROWTH_MA`]: every fibre's membrane threshold, then
    /// the ECAP at each amplitude (each fired fibre simulated once more for where its
    /// action potential starts). What a closed loop's patient is made of, per posture.
    pub fn growth(&self) -> Vec<(f64, f64)> {
        let fractions = [0.0, 0.0, 0.5, -1.0, 0.5, 0.0, 0.0, 0.0];
        let stimulus = Stimulus::biphasic(300.0);
        let thresholds = recruitment::thresholds_ma(&self.anatomical, &fractions, &stimulus, 25.5);
        let at = Recording {
            contact: 7,
            centre_mm: self.model.contacts[7].center,
        };
        let weight = |f: &_| represented(&self.model.anatomy, f);
        growth_curve(
            &self.anatomical,
            &fractions,
            &stimulus,
            &thresholds,
            at,
            &weight,
            620.0,
            &GROWTH_MA,
        )
    }
}

/// One simulated second of closed loop (50 measured pulses) on a patient whose ECAP
/// follows `growth` (mA, µV): stim-core's loop, from 3 mA, holding the ECAP the curve gives
/// at 4 mA; returns the amplitude it ends at, µA.
pub fn closed_loop_second(growth: &[(f64, f64)]) -> u32 {
    use stim_core::closed_loop::{ClosedLoop, LoopSettings};
    let ecap = |ma: f64| {
        let i = growth
            .partition_point(|p| p.0 <= ma)
            .clamp(1, growth.len() - 1);
        let (a, b) = (growth[i - 1], growth[i]);
        a.1 + (ma - a.0) / (b.0 - a.0) * (b.1 - a.1)
    };
    let mut program = stim_core::presets::tonic_bipole();
    program.amplitude_ua = 3_000;
    program.patient_range = stim_core::program::AmplitudeRange {
        min_ua: 0,
        max_ua: 7_000,
    };
    let set =
        stim_core::program::ProgramSet::new(stim_core::lead::LeadKind::Percutaneous8, &[program]);
    let valid = stim_core::safety::validate(&set, &Default::default(), &Default::default())
        .expect("a tonic bipole is valid");
    let settings = LoopSettings {
        target_nv: (ecap(4.0) * 1e3).round().max(1.0) as u32,
        gain_na_per_uv: 100_000,
        max_rise_ua: 50,
        max_fall_ua: 200,
        lost_after: 5,
    };
    let mut closed = ClosedLoop::new(&valid, 0, settings).expect("valid settings");
    for _ in 0..50 {
        let measured = ecap(closed.amplitude_ua() as f64 / 1e3);
        closed.sample(Some((measured * 1e3).round() as u32));
    }
    closed.amplitude_ua()
}

impl Default for Updates {
    fn default() -> Self {
        Updates::new()
    }
}
