//! The solver on the real anatomy (T6–L1, 85-fold jumps, graded cells, anisotropic white
//! matter, a paddle's insulating body): iterations that do not grow with the grid, and batched contacts that equal
//! their one-at-a-time solves.

use spine_field::anatomy::Anatomy;
use spine_field::cg::{solve, Cg};
use spine_field::lead::{Lead, LeadKind};
use spine_field::model::{self, Resolution, TOLERANCE};
use spine_field::multigrid::Multigrid;
use spine_field::operator::Operator;
use spine_field::sources;

/// A midline lead of `kind` at T8 on the grid of `resolution`: the operator and the
/// right-hand side of each of `contacts` (1 mA).
fn system(kind: LeadKind, resolution: Resolution, contacts: &[usize]) -> (Operator, Vec<Vec<f64>>) {
    let (anatomy, lead) = (Anatomy::default(), Lead::at(kind, 2));
    let grid = model::grid_for(&[lead], resolution);
    let op = Operator::assemble(&grid, &model::conductivity(&grid, &anatomy, &[lead]));
    let shapes = lead.contacts(&anatomy);
    let b = contacts
        .iter()
        .map(|&c| {
            let current = sources::to_cells(&grid, &sources::contact(&grid, &shapes[c], 1e-3));
            op.rhs(&current, |_| 0.0)
        })
        .collect();
    (op, b)
}

fn iterations(kind: LeadKind, resolution: Resolution) -> usize {
    let (op, b) = system(kind, resolution, &[7]);
    let mut x = vec![0.0; op.len()];
    solve(&op, &Multigrid::new(&op), &b[0], &mut x, TOLERANCE, 100)
        .expect("converges")
        .iterations
}

#[test]
fn iterations_stay_within_20_percent_as_the_grid_is_refined_twice() {
    // Coarse (1 mm across), fine (0.5 mm) and finer (0.25 mm): halving the cells twice in
    // each direction of the fine region; a 1 × 16 (101 088, 454 720 and 2 515 200 cells),
    // and a paddle, whose insulating body adds a million-fold jump. The V-cycle of
    // 2 × 2 × 2 aggregation this replaced needed 34, 72 and 135 on the 1 × 16.
    let finer = Resolution {
        across: Resolution::FINE.across / 2.0,
        along: Resolution::FINE.along / 2.0,
    };
    for kind in [LeadKind::PERCUTANEOUS_16, LeadKind::PADDLE_16] {
        let counts = [Resolution::COARSE, Resolution::FINE, finer].map(|r| iterations(kind, r));
        println!("iterations coarse, fine, finer: {counts:?}");
        let first = counts[0] as f64;
        assert!(
            counts
                .iter()
                .all(|&n| (n as f64 - first).abs() <= 0.2 * first),
            "iterations {counts:?} vary by more than 20 % under refinement"
        );
    }
}

#[test]
fn a_batch_of_contacts_equals_their_solves_one_at_a_time() {
    let contacts = [0, 5, 7, 15];
    let (op, b) = system(LeadKind::PERCUTANEOUS_16, Resolution::COARSE, &contacts);
    let mg = Multigrid::new(&op);
    let n = op.len();
    let mut block = vec![[0.0; 4]; n];
    for (lane, b) in b.iter().enumerate() {
        block.iter_mut().zip(b).for_each(|(v, b)| v[lane] = *b);
    }
    let mut x = vec![[0.0; 4]; n];
    let mut cg = Cg::start(&op, &mg, &block, &mut x);
    assert!(
        cg.advance(&op, &mg, &mut x, TOLERANCE, 100),
        "the batch converges"
    );
    for (lane, b) in b.iter().enumerate() {
        let mut alone = vec![0.0; n];
        let solved = solve(&op, &mg, b, &mut alone, TOLERANCE, 100).expect("converges");
        assert_eq!(solved.iterations, cg.lane_iterations()[lane]);
        let peak = alone.iter().fold(0.0, |m: f64, v| m.max(v.abs()));
        let worst = x
            .iter()
            .zip(&alone)
            .fold(0.0, |m: f64, (x, a)| m.max((x[lane] - a).abs()));
        assert!(
            worst <= 1e-9 * peak,
            "contact {}: batched and alone differ by {worst:e} of a peak {peak:e}",
            contacts[lane]
        );
    }
}
