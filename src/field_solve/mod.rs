//! Field solves for the page. A fine solve takes seconds: it runs in Web Workers, one per
//! core, each solving a share of the contacts ([`pool`]), so the page's own thread only
//! receives the fields and keeps drawing and answering. The page itself never solves: the
//! solver (operator, multigrid, CG) lives only in the worker's bundle, which keeps the
//! page's bundle within its budget. Where workers cannot be made, [`unavailable`] says so
//! and the page tells the user in words; everything but the field keeps working.
//!
//! A newer placement makes an older solve stale (its `stale` closure turns true). A worker
//! in the middle of a solve runs Rust to the end of its job and reads no messages until
//! then, so it cannot be asked to stop; and there is no memory shared with it to raise a
//! flag in (stable Rust's wasm has no shared memory). So the page *terminates* the workers
//! still busy with a stale solve and starts fresh ones in their place: the new placement's
//! solve never waits for the stale one to end, only for the fresh workers to load (about
//! 0.1 s here) and to run their first job in freshly compiled code (the end-to-end test logs
//! it: about twice a warm coarse solve). The drag preview's atlas is solved level by level
//! in the same workers, and gives way ([`wanted`]) whenever a placement is waiting.
//!
//! How solves run shows on the page's root element, for the end-to-end tests and the
//! curious: `data-field-solving` names the placement of the latest solve begun and
//! `data-field-solved` that of the latest delivered (`"<level> <offset mm> <cell mm
//! across>"`, so `"4 0.0 0.50"` is T10, midline, fine grid; a second lead adds
//! `" + <level> <offset mm>"`); `data-field-solve` says
//! `"workers"`, or `"unavailable"` where they cannot run; `data-field-workers` counts the
//! workers and `data-field-cancelled` the solves whose workers were ended.

mod pool;

use std::ops::Range;

use field_worker::Job;
use spine_field::anatomy::Anatomy;
use spine_field::atlas::{entry_box, Level, MAX_OFFSET_MM};
use spine_field::lead::{contacts_of, Lead};
use spine_field::membrane::recruitment::Drive;
use spine_field::membrane::Stimulus;
use spine_field::model::{grid_for, Model, Resolution};

pub use pool::{unavailable, wanted};

/// Solves the placement of `leads` (one or two, their contacts in E-order) at
/// `resolution`, telling `progress` (contacts solved, of all) as it goes. `None` when
/// `stale` turns true (then never a field), a contact does not converge, or there are no
/// workers ([`unavailable`]).
pub async fn solve(
    leads: Vec<Lead>,
    resolution: Resolution,
    stale: impl Fn() -> bool,
    progress: impl Fn(usize, usize),
) -> Option<Model> {
    // One copy of the solve's code for every caller: the bundle is near its budget.
    solve_with(leads, resolution, &stale, &progress).await
}

async fn solve_with(
    leads: Vec<Lead>,
    resolution: Resolution,
    stale: &dyn Fn() -> bool,
    progress: &dyn Fn(usize, usize),
) -> Option<Model> {
    // Fixed decimals, as elsewhere in the app: `{}` of an f64 would add its own formatter.
    let placement = leads
        .iter()
        .enumerate()
        .map(|(i, l)| match i {
            0 => format!("{} {:.1} {:.2}", l.level, l.offset, resolution.across),
            _ => format!(" + {} {:.1}", l.level, l.offset),
        })
        .collect::<String>();
    pool::mark("data-field-solving", &placement);
    let anatomy = Anatomy::default();
    let grid = grid_for(&leads, resolution);
    let contacts = contacts_of(&leads, &anatomy);
    let job = |share| Job::UnitFields {
        anatomy: anatomy.clone(),
        leads: leads.clone(),
        resolution,
        share,
    };
    let (fields, iterations) =
        ran(pool::run(contacts.len(), grid.cells(), &job, stale, progress).await)?;
    pool::mark("data-field-solved", &placement);
    Some(Model {
        anatomy,
        leads,
        grid,
        contacts,
        fields,
        iterations,
    })
}

/// Solves one level of the drag preview's atlas, its offsets shared among the workers.
/// `None` when `stale` turns true, a solve fails, or there are no workers.
pub async fn solve_level(level: usize, stale: &dyn Fn() -> bool) -> Option<Level> {
    let offsets = MAX_OFFSET_MM + 1;
    let job = |share| Job::AtlasLevel {
        anatomy: Anatomy::default(),
        level,
        share,
    };
    let cells = entry_box().cells();
    let (fields, iterations) = ran(pool::run(offsets, cells, &job, stale, &|_, _| {}).await)?;
    Some(Level {
        level,
        fields,
        iterations,
    })
}

/// Each fibre's membrane threshold (mA, infinite beyond `max_ma`; see
/// `spine_field::membrane::recruitment`) for `stimulus`, the fibres shared among the
/// workers. `None` when `stale` turns true, a worker fails, or there are no workers.
pub async fn membrane_thresholds(
    fibres: &[Drive],
    stimulus: &Stimulus,
    max_ma: f64,
    stale: &dyn Fn() -> bool,
) -> Option<Vec<f64>> {
    // Dealt so that every worker's share spans the range of thresholds (the low ones cost
    // most): the shares are runs of the list, so alternate ranks go to alternate halves.
    let mut order: Vec<usize> = (0..fibres.len()).collect();
    order.sort_by(|&a, &b| fibres[a].preview_ma.total_cmp(&fibres[b].preview_ma));
    let dealt: Vec<usize> = order
        .iter()
        .step_by(2)
        .chain(order.iter().skip(1).step_by(2))
        .copied()
        .collect();
    let job = |share: Range<usize>| Job::Thresholds {
        stimulus: stimulus.clone(),
        max_ma,
        fibres: dealt[share].iter().map(|&f| fibres[f].clone()).collect(),
    };
    let (values, _) = ran(pool::run(fibres.len(), 1, &job, stale, &|_, _| {}).await)?;
    let mut thresholds = vec![f64::INFINITY; fibres.len()];
    for (&f, value) in dealt.iter().zip(&values) {
        thresholds[f] = value.first().map_or(f64::INFINITY, |&t| t as f64);
    }
    Some(thresholds)
}

/// A run's fields, marking on the page whether workers ran.
fn ran(outcome: Result<Option<pool::Fields>, pool::Unavailable>) -> Option<pool::Fields> {
    match outcome {
        Ok(fields) => {
            pool::mark("data-field-solve", "workers");
            fields
        }
        Err(pool::Unavailable) => {
            pool::mark("data-field-solve", "unavailable");
            None
        }
    }
}
