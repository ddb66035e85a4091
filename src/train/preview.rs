//! The field while a lead is dragged: the atlas of precomputed contact fields
//! (spine_field::atlas), solved level by level in the field workers once the first field
//! has arrived, nearest levels first, giving way to any placement's solve; and the preview
//! of a dragged placement from it.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use spine_field::anatomy::LEVELS;
use spine_field::atlas::{Atlas, Level};

use super::bench::Bench;
use super::field_view::Field;
use super::placement::Placement;
use crate::field_solve;
use crate::transport::sleep;

/// The levels in the order to solve them: nearest to `level` first.
fn nearest_first(level: usize) -> Vec<usize> {
    let mut levels: Vec<usize> = (0..LEVELS.len()).collect();
    levels.sort_by_key(|&l| l.abs_diff(level));
    levels
}

/// Failed solves of a level before the atlas stops (a solve given up for a waiting
/// placement does not count).
const TRIES: usize = 3;

/// Solves atlas `level` in the workers, giving way to any placement that waits for them
/// (its solve is what the user looks at) and trying again once it is served. `None` when
/// the page has gone, the workers cannot run, or the level fails [`TRIES`] times.
async fn solve_level_giving_way(level: usize, gone: impl Fn() -> bool) -> Option<Level> {
    let mut failed = 0;
    while failed < TRIES {
        while field_solve::wanted() {
            sleep(GIVE_WAY_MS).await;
        }
        if gone() || field_solve::unavailable() {
            return None;
        }
        let yielding = || gone() || field_solve::wanted();
        if let Some(solved) = field_solve::solve_level(level, &yielding).await {
            return Some(solved);
        }
        if !field_solve::wanted() {
            failed += 1;
        }
    }
    None
}

/// How often a waiting atlas level looks whether the workers are free again, ms.
const GIVE_WAY_MS: i32 = 100;

/// What a preview is made from: the placement, the contacts' signed shares, the atlas
/// levels ready.
type PreviewKey = (Placement, Vec<f64>, usize);

/// The drag preview's state: the atlas so far, and the placement being dragged.
#[derive(Clone, Copy)]
pub struct Preview {
    /// The levels solved so far (a copy with one more level shares the others).
    pub atlas: RwSignal<Atlas, LocalStorage>,
    /// Where the leads are while one is dragged.
    pub dragging: RwSignal<Option<Placement>>,
    started: StoredValue<bool>,
    /// The last preview made, for what it was made from (the placement, the contacts'
    /// shares, the atlas levels ready): the field view, the fibres and the status all ask
    /// for it on each change, and a new amplitude is the same preview.
    last: StoredValue<Option<(PreviewKey, Rc<Field>)>, LocalStorage>,
}

impl Default for Preview {
    /// An empty atlas, nothing dragged.
    fn default() -> Preview {
        Preview {
            atlas: RwSignal::new_local(Atlas::default()),
            dragging: RwSignal::new(None),
            started: StoredValue::new(false),
            last: StoredValue::new_local(None),
        }
    }
}

impl Preview {
    /// Starts solving the atlas (once), nearest `level` first. It stops when the page
    /// leaves Train (its signals are gone).
    pub fn solve_atlas(self, level: usize) {
        if self.started.get_value() {
            return;
        }
        self.started.set_value(true);
        let gone = move || self.atlas.try_with_untracked(|_| ()).is_none();
        spawn_local(async move {
            for l in nearest_first(level) {
                let Some(solved) = solve_level_giving_way(l, gone).await else {
                    return;
                };
                if self.atlas.try_update(|a| a.insert(solved)).is_none() {
                    return;
                }
            }
        });
    }

    /// Levels ready, of all.
    pub fn progress(self) -> (usize, usize) {
        self.atlas.with(Atlas::progress)
    }

    /// The preview of `bench` with its leads where they are dragged; `None` when nothing
    /// is dragged or the atlas lacks a level it needs.
    pub fn field(self, bench: &Bench) -> Option<Rc<Field>> {
        let dragged = Bench {
            placement: self.dragging.get()?,
            ..bench.clone()
        };
        self.resting(&dragged)
    }

    /// The preview of `bench` where its lead lies (while its field is solved).
    pub fn resting(self, bench: &Bench) -> Option<Rc<Field>> {
        let ready = self.atlas.with(|atlas| atlas.progress().0);
        let key = (bench.placement, bench.in_use(), ready);
        let kept = self.last.with_value(|last| {
            last.as_ref()
                .filter(|(made_of, _)| *made_of == key)
                .map(|(_, field)| field.clone())
        });
        if kept.is_some() {
            return kept;
        }
        let made = self
            .atlas
            .with_untracked(|atlas| Field::preview(bench, atlas))
            .map(Rc::new);
        if let Some(field) = &made {
            self.last.set_value(Some((key, field.clone())));
        }
        made
    }

    /// Whether the atlas holds every level `bench`'s placement needs.
    pub fn covers(self, bench: &Bench) -> bool {
        // The preview is kept, so the page showing it next costs nothing more.
        untrack(|| self.resting(bench)).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_atlas_is_solved_nearest_level_first() {
        assert_eq!(nearest_first(2), vec![2, 1, 3, 0, 4, 5, 6, 7]);
        assert_eq!(nearest_first(7)[..3], [7, 6, 5]);
    }
}
