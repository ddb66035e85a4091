//! Which field solve Train needs, apart from the view: a placement on screen is either
//! solved already (kept among the last few fine fields, so undo or a return costs
//! nothing), being solved, or to be solved; a newer placement makes an older solve stale,
//! and a stale solve never delivers. Generic over the placement key and the field, so the
//! rules are tested without solving anything.

use std::rc::Rc;

/// Fine fields kept for a return to their placement (a 1 × 16's take ~30 MB).
pub const KEPT_FIELDS: usize = 3;

/// What to do for the placement on screen.
#[derive(Debug, PartialEq)]
pub enum Next<F> {
    /// Nothing: its fine field is shown, or its solve is under way.
    Wait,
    /// Show this kept fine field; no solve.
    Show(Rc<F>),
    /// Solve it (the solve under way, if any, is stale from now on).
    Solve,
}

/// The solves of one Train page.
#[derive(Debug)]
pub struct Solves<K, F> {
    /// The placement being solved, if any.
    solving: Option<K>,
    /// The last fine fields, newest first, with their placements.
    kept: Vec<(K, Rc<F>)>,
}

impl<K, F> Default for Solves<K, F> {
    /// Nothing solved, nothing under way.
    fn default() -> Self {
        Solves {
            solving: None,
            kept: vec![],
        }
    }
}

impl<K: PartialEq + Clone, F> Solves<K, F> {
    /// What placement `key` needs; `shown_fine` tells whether its fine field is on screen.
    pub fn next(&mut self, key: &K, shown_fine: bool) -> Next<F> {
        if shown_fine || self.solving.as_ref() == Some(key) {
            return Next::Wait;
        }
        if let Some((_, kept)) = self.kept.iter().find(|(k, _)| k == key) {
            self.solving = None;
            return Next::Show(kept.clone());
        }
        self.solving = Some(key.clone());
        Next::Solve
    }

    /// Whether a solve of `key` should stop: a newer placement was asked for (or the page
    /// forgot it).
    pub fn stale(&self, key: &K) -> bool {
        self.solving.as_ref() != Some(key)
    }

    /// The fine field of `key` has come: kept (the oldest beyond [`KEPT_FIELDS`] dropped).
    /// Returns it to show, or `None` when the solve turned stale meanwhile (still kept:
    /// a return to that placement will find it).
    pub fn solved(&mut self, key: K, field: F) -> Option<Rc<F>> {
        let field = Rc::new(field);
        let current = !self.stale(&key);
        self.kept.retain(|(k, _)| *k != key);
        self.kept.insert(0, (key, field.clone()));
        self.kept.truncate(KEPT_FIELDS);
        if current {
            self.solving = None;
        }
        current.then_some(field)
    }

    /// The solve of `key` failed: nothing is under way for it any more, so asking again
    /// tries again.
    pub fn failed(&mut self, key: &K) {
        if !self.stale(key) {
            self.solving = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn a_placement_is_solved_once_and_a_return_to_it_costs_nothing() {
        let mut solves = Solves::<u8, &str>::default();
        assert_eq!(solves.next(&1, false), Next::Solve);
        assert_eq!(solves.next(&1, false), Next::Wait, "under way");
        assert_eq!(solves.solved(1, "T8").as_deref(), Some(&"T8"));
        assert_eq!(solves.next(&1, true), Next::Wait, "shown");
        assert_eq!(solves.next(&2, false), Next::Solve);
        solves.solved(2, "T9");
        assert_eq!(
            solves.next(&1, false),
            Next::Show(Rc::new("T8")),
            "undo is instant"
        );
    }

    #[wasm_bindgen_test]
    fn a_newer_placement_makes_the_older_solve_stale_and_it_never_shows() {
        let mut solves = Solves::<u8, &str>::default();
        assert_eq!(solves.next(&1, false), Next::Solve);
        assert_eq!(solves.next(&2, false), Next::Solve);
        assert!(solves.stale(&1) && !solves.stale(&2));
        assert_eq!(
            solves.solved(1, "late"),
            None,
            "a stale solve does not show"
        );
        assert!(!solves.stale(&2), "and does not end the current one");
        assert_eq!(
            solves.next(&1, false),
            Next::Show(Rc::new("late")),
            "but is kept"
        );
    }

    #[wasm_bindgen_test]
    fn only_the_last_few_fields_are_kept_and_a_failure_can_be_tried_again() {
        let mut solves = Solves::<u8, u8>::default();
        for k in 0..=KEPT_FIELDS as u8 {
            solves.next(&k, false);
            solves.solved(k, k);
        }
        assert_eq!(
            solves.next(&0, false),
            Next::Solve,
            "the oldest was dropped"
        );
        solves.failed(&0);
        assert_eq!(solves.next(&0, false), Next::Solve, "tried again");
        assert_eq!(solves.next(&1, false), Next::Show(Rc::new(1)));
    }
}
