//! Field solves in the page. A fine solve takes seconds, and a tab has one thread: the
//! build runs a slice of CG iterations at a time and yields to the browser between
//! slices, so the page keeps drawing and answering, and a solve made stale by a newer
//! placement stops at the next slice.

use spine_field::anatomy::Anatomy;
use spine_field::lead::Lead;
use spine_field::model::{grid_for, Build, Model, Resolution, Solver, Step};

use crate::transport::sleep;

/// Longest run between yields, ms (a few frames).
const SLICE_MS: f64 = 40.0;

/// Solves `lead` at `resolution`, telling `progress` (contacts solved, of all) after each
/// slice. `None` when `stale` turns true or a contact does not converge.
pub async fn solve(
    lead: Lead,
    resolution: Resolution,
    stale: impl Fn() -> bool,
    progress: impl Fn(usize, usize),
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
