//! The field worker: a Web Worker that solves the unit fields of a share of a placement's
//! contacts (one lead or two), or of a level of the drag preview's atlas, or finds the
//! membrane thresholds of a share of a program's fibres, and posts them back to the page
//! (the page's side is `src/field_solve/pool.rs`).
//!
//! It says [`Report::Ready`] once it listens, then takes one [`Job`] at a time and runs it
//! to its end without yielding: nothing else runs on this thread, and the page cancels a
//! job by terminating the worker, not by asking it. It reports progress after each batch
//! of contacts, and sends the fields as transferred `Float32Array`s beside the report's
//! header (see the library's module doc).
//!
//! Built for wasm32 only, by Trunk (`index.html`, `data-type="worker"`); a native build
//! (the workspace's tests build every target) is an empty program.

#![forbid(unsafe_code)]

#[cfg(target_arch = "wasm32")]
fn main() {
    worker::listen();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the field worker runs in a browser's Web Worker: build it for wasm32 (Trunk does)");
}

#[cfg(target_arch = "wasm32")]
mod worker {
    use field_worker::{Job, Report};
    use js_sys::{Array, Float32Array, Float64Array};
    use spine_field::atlas::Level;
    use spine_field::grid::Grid;
    use spine_field::lead::{contacts_of, ContactShape};
    use spine_field::membrane::recruitment::thresholds;
    use spine_field::model::{grid_for, Build, Solved, Solver, Step};
    use wasm_bindgen::prelude::*;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    /// CG iterations between looks at the progress (each serves a batch of contacts).
    const ITERATIONS: usize = 8;

    fn scope() -> DedicatedWorkerGlobalScope {
        js_sys::global().unchecked_into()
    }

    /// Answers every job message, then tells the page it listens.
    pub fn listen() {
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(|event: MessageEvent| {
            let header = Float64Array::new(&event.data()).to_vec();
            match Job::decode(&header) {
                Ok(job) => run(job),
                Err(_) => post(&Report::Failed, Vec::new()),
            }
        });
        scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // The handler lives as long as the worker.
        on_message.forget();
        post(&Report::Ready, Vec::new());
    }

    /// Runs `job` and posts its fields, or that it failed.
    fn run(job: Job) {
        match answer(job) {
            Some(solved) => post(
                &Report::UnitFields {
                    iterations: solved.iterations,
                },
                solved.fields,
            ),
            None => post(&Report::Failed, Vec::new()),
        }
    }

    /// The fields `job` asks for; `None` for a share that does not exist or a solve that
    /// does not converge.
    fn answer(job: Job) -> Option<Solved> {
        match job {
            Job::UnitFields {
                anatomy,
                leads,
                resolution,
                share,
            } => {
                if leads.is_empty() {
                    return None;
                }
                let grid = grid_for(&leads, resolution);
                let contacts = contacts_of(&leads, &anatomy);
                let sources = contacts.get(share)?;
                let solver = Solver::new(&grid, &anatomy, &leads);
                solve(&solver, &grid, sources)
            }
            Job::AtlasLevel {
                anatomy,
                level,
                share,
            } => {
                let setup = Level::setup(&anatomy, level);
                let sources = setup.contacts.get(share)?;
                let solver = Solver::new(&setup.grid, &anatomy, &[setup.lead]);
                let boxed =
                    Level::from_solved(level, &setup, solve(&solver, &setup.grid, sources)?);
                Some(Solved {
                    fields: boxed.fields,
                    iterations: boxed.iterations,
                })
            }
            Job::Thresholds {
                stimulus,
                max_ma,
                fibres,
            } => {
                let found = thresholds(&fibres, &stimulus, max_ma);
                Some(Solved {
                    fields: found.iter().map(|t| vec![t.0 as f32]).collect(),
                    iterations: found.iter().map(|t| t.1).collect(),
                })
            }
        }
    }

    /// Solves `sources` on `grid`, reporting progress after each batch; `None` if a solve
    /// does not converge.
    fn solve(solver: &Solver, grid: &Grid, sources: &[ContactShape]) -> Option<Solved> {
        let mut build = Build::start(solver, grid, sources, None);
        let mut told = 0;
        loop {
            match build.advance(ITERATIONS).ok()? {
                Step::Done(solved) => return Some(solved),
                Step::Running(more) => {
                    let (done, all) = more.progress();
                    if done > told {
                        post(&Report::Progress { done, all }, Vec::new());
                        told = done;
                    }
                    build = more;
                }
            }
        }
    }

    /// Posts `report`, its header first, then `fields` (each copied once out of the
    /// worker's memory, then transferred).
    fn post(report: &Report, fields: Vec<Vec<f32>>) {
        let message = Array::of1(&Float64Array::from(report.encode().as_slice()));
        let transfer = Array::new();
        for field in fields {
            let array = Float32Array::from(field.as_slice());
            transfer.push(&array.buffer());
            message.push(&array);
        }
        // Posting to the page cannot fail for typed arrays and their buffers.
        let _ = scope().post_message_with_transfer(&message, &transfer);
    }
}
