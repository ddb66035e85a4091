//! Field solves for the page. A fine solve takes seconds: it runs in Web Workers, one per
//! core, each solving a share of the contacts ([`pool`]), so the page's own thread only
//! receives the fields and keeps drawing and answering. Where workers cannot be made (no
//! Worker support, or the worker's script does not load), the page solves on its own
//! thread in slices of CG iterations, yielding to the browser between slices.
//!
//! A newer placement makes an older solve stale (its `stale` closure turns true). A worker
//! in the middle of a solve runs Rust to the end of its job and reads no messages until
//! then, so it cannot be asked to stop; and there is no memory shared with it to raise a
//! flag in (stable Rust's wasm has no shared memory). So the page *terminates* the workers
//! still busy with a stale solve and starts fresh ones in their place: the new placement's
//! solve never waits for the stale one to end, only for the fresh workers to load (about
//! 0.1 s here) and to run their first job in freshly compiled code (the end-to-end test logs
//! it: about twice a warm coarse solve). In-page, a stale solve stops at its next slice.
//!
//! How solves run shows on the page's root element, for the end-to-end tests and the
//! curious: `data-field-solving` names the placement of the latest solve begun and
//! `data-field-solved` that of the latest delivered (`"<level> <offset mm> <cell mm
//! across>"`, so `"4 0.0 0.50"` is T10, midline, fine grid); `data-field-solve` says which way
//! that one ran (`"workers"` or `"page"`); `data-field-workers` counts the workers and
//! `data-field-cancelled` the solves whose workers were ended.

mod pool;

use spine_field::anatomy::Anatomy;
use spine_field::lead::Lead;
use spine_field::model::{grid_for, Build, Model, Resolution, Solver, Step};

use crate::transport::sleep;

/// Longest run between yields in the page, ms (a few frames).
const SLICE_MS: f64 = 40.0;

/// Solves `lead` at `resolution`, telling `progress` (contacts solved, of all) as it goes.
/// `None` when `stale` turns true (then never a field) or a contact does not converge.
pub async fn solve(
    lead: Lead,
    resolution: Resolution,
    stale: impl Fn() -> bool,
    progress: impl Fn(usize, usize),
) -> Option<Model> {
    // One copy of the solve's code for every caller: the bundle is near its budget.
    solve_with(lead, resolution, &stale, &progress).await
}

async fn solve_with(
    lead: Lead,
    resolution: Resolution,
    stale: &dyn Fn() -> bool,
    progress: &dyn Fn(usize, usize),
) -> Option<Model> {
    // Fixed decimals, as elsewhere in the app: `{}` of an f64 would add its own formatter.
    let placement = format!("{} {:.1} {:.2}", lead.level, lead.offset, resolution.across);
    pool::mark("data-field-solving", &placement);
    let (model, path) = match pool::solve(lead, resolution, stale, progress).await {
        Ok(model) => (model?, "workers"),
        Err(pool::Unavailable) => (in_page(lead, resolution, stale, progress).await?, "page"),
    };
    pool::mark("data-field-solve", path);
    pool::mark("data-field-solved", &placement);
    Some(model)
}

/// The solve on the page's own thread, in slices that yield to the browser.
async fn in_page(
    lead: Lead,
    resolution: Resolution,
    stale: &dyn Fn() -> bool,
    progress: &dyn Fn(usize, usize),
) -> Option<Model> {
    let anatomy = Anatomy::default();
    let grid = grid_for(&lead, resolution);
    let contacts = lead.contacts(&anatomy);
    let solver = Solver::new(&grid, &anatomy, &lead);
    let mut build = Build::start(&solver, &grid, &contacts, None);
    loop {
        let began = js_sys::Date::now();
        while js_sys::Date::now() - began < SLICE_MS {
            match build.advance(1).ok()? {
                Step::Done(solved) => {
                    return Some(Model {
                        anatomy,
                        lead,
                        grid,
                        contacts,
                        fields: solved.fields,
                        iterations: solved.iterations,
                    })
                }
                Step::Running(more) => build = more,
            }
        }
        let (done, all) = build.progress();
        progress(done, all);
        sleep(0).await;
        if stale() {
            return None;
        }
    }
}
