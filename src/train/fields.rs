//! The field shown for the bench: solved per placement in the field workers (coarse first
//! unless the drag preview covers it, then the fine grid once the lead has rested a
//! moment; [`super::solving`] decides and keeps what was solved), previewed from the atlas
//! while a lead is dragged, and what the page says about it meanwhile.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use spine_field::model::Resolution;

use super::bench::Bench;
use super::field_view::{Field, Quality};
use super::placement::Placement;
use super::preview::Preview;
use super::solving::{Next, Solves};
use crate::field_solve;
use crate::transport::sleep;

/// How long a lead rests before the fine grid is solved, ms.
const REST_MS: i32 = 500;

/// Why no field came, in words.
fn unsolved() -> String {
    if field_solve::unavailable() {
        "This browser could not start the background workers that compute the field: no field, fibres or body map. Programming and its safety checks still work.".into()
    } else {
        "The field could not be solved for this placement.".into()
    }
}

/// The field for the bench on screen (a `Copy` handle).
#[derive(Clone, Copy)]
pub struct Fields {
    /// The drag preview and its atlas.
    pub preview: Preview,
    /// The field shown: the placement's, its preview while dragged or solved, or (dimmed
    /// and labelled by the views) the last one while a new one is solved.
    pub shown: Signal<Option<Rc<Field>>, LocalStorage>,
    status: ReadSignal<String>,
    bench: RwSignal<Bench>,
}

impl Fields {
    /// Solves the field of every placement `bench` takes, from now on.
    pub fn follow(bench: RwSignal<Bench>) -> Fields {
        let field = RwSignal::new_local(None::<Rc<Field>>);
        let preview = Preview::default();
        let (status, set_status) = signal(String::new());
        let solves = StoredValue::new_local(Solves::<Placement, Field>::default());
        // A new placement needs a new solve (values only change the weighted sum); a newer
        // placement makes the older solve stale.
        Effect::new(move |_| {
            let b = bench.get();
            let key = b.placement;
            let shown_fine = field.with_untracked(|f| {
                f.as_ref()
                    .is_some_and(|f| f.key == key && f.quality == Quality::Fine)
            });
            match solves.try_update_value(|s| s.next(&key, shown_fine)) {
                Some(Next::Solve) => {}
                Some(Next::Show(kept)) => {
                    field.set(Some(kept));
                    set_status.set(String::new());
                    return;
                }
                _ => return,
            }
            // Stale too once the page has left Train (the solves are gone).
            let stale = move || solves.try_with_value(|s| s.stale(&key)).unwrap_or(true);
            let failed = move || {
                if !stale() {
                    solves.update_value(|s| s.failed(&key));
                    set_status.set(unsolved());
                }
            };
            spawn_local(async move {
                set_status.set("Solving the field for this placement…".into());
                // Let the message show first.
                sleep(30).await;
                // The coarse grid reads thresholds ~30 % off; once the atlas covers the
                // placement its preview (within 10 %) stands in instead.
                if !preview.covers(&b) {
                    match Field::solve(key, Resolution::COARSE, stale, |_, _| {}).await {
                        Some(coarse) => field.set(Some(Rc::new(coarse))),
                        None => return failed(),
                    }
                }
                sleep(REST_MS).await;
                if stale() {
                    return;
                }
                let progress = move |done, all| {
                    set_status.set(format!(
                        "Refining the field: {done} of {all} contacts solved…"
                    ));
                };
                let Some(fine) = Field::solve(key, Resolution::FINE, stale, progress).await else {
                    return failed();
                };
                if let Some(fine) = solves.try_update_value(|s| s.solved(key, fine)).flatten() {
                    field.set(Some(fine));
                    preview.solve_atlas(key.first().level);
                    set_status.set(String::new());
                }
            });
        });
        // While a lead is dragged, and after it is let go until its field is solved, the
        // preview stands in for the solved field.
        let shown = Signal::derive_local(move || {
            bench.with(|b| {
                preview.field(b).or_else(|| {
                    let solved = field.get().filter(|f| f.key == b.placement);
                    solved
                        .or_else(|| preview.resting(b))
                        .or_else(|| field.get())
                })
            })
        });
        Fields {
            preview,
            shown,
            status,
            bench,
        }
    }

    /// Whether the field shown is the one of the placement on screen (its preview counts).
    pub fn current(self) -> bool {
        let (shown, placement) = (self.shown.get(), self.bench.with(|b| b.placement));
        shown.is_some_and(|f| f.key == placement || f.quality == Quality::Preview)
    }

    /// Whether the field shown is the placement's fine-grid one (what scenarios judge).
    pub fn final_for_placement(self) -> bool {
        let placement = self.bench.with(|b| b.placement);
        self.shown
            .get()
            .is_some_and(|f| f.quality == Quality::Fine && f.key == placement)
    }

    /// What is being done about the field, in words (empty once it is solved).
    pub fn status(self) -> String {
        let (ready, all) = self.preview.progress();
        match self.preview.dragging.get() {
            Some(_) if self.shown.get().is_some_and(|f| f.quality == Quality::Preview) => {
                "Preview while you drag: let go to solve the field for this placement.".into()
            }
            Some(_) => format!("The live preview is not ready for this level yet ({ready} of {all} levels): the field is solved when you let go."),
            None => self.status.get(),
        }
    }

    /// How ready the drag preview is, in words.
    pub fn preview_readiness(self) -> String {
        let (ready, all) = self.preview.progress();
        if ready == all {
            "Drag a lead: the field follows your hand at every level.".into()
        } else {
            format!("Preparing the live preview for dragging: {ready} of {all} levels ready.")
        }
    }
}
