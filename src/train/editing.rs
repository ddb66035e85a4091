//! Editing the bench, the one way it changes: every change is an undo step (one that
//! changes nothing is not); a checked change that stim-core would refuse is not made and
//! says why, as a programmer does; the reason shows until the next change. stim-core
//! judges every program against the contacts' impedances of the story being worked.

use leptos::prelude::*;
use stim_core::error::{Parameter, SafetyError};
use stim_core::impedance::ImpedanceModel;
use stim_core::safety::{validate, Limits};

use super::bench::{Bench, History};

/// The bench and its history: a handle that panels share (it is `Copy`).
#[derive(Clone, Copy)]
pub struct Editor {
    /// The bench being edited.
    pub bench: RwSignal<Bench>,
    history: StoredValue<History>,
    can: RwSignal<(bool, bool)>,
    /// Why the last change asked for was not made (cleared by the next change).
    held: RwSignal<Option<String>>,
    /// stim-core's refusal of the bench's program, in words (none: it runs).
    pub refusal: Memo<Option<String>>,
    impedance: Signal<ImpedanceModel>,
}

/// stim-core's refusal of `bench`'s program with the contacts at `impedance`, in words.
/// The bench offsets its programs itself (they take turns in each period), so two that
/// collide are explained by what the user can change.
fn refusal_of(bench: &Bench, impedance: &ImpedanceModel) -> Option<String> {
    validate(&bench.program_set(), &Limits::default(), impedance)
        .err()
        .map(|e| {
            let no_room = |who: String| format!("{who}: the programs take turns in each period, and at this rate and pulse width they do not fit. Lower the rate, shorten the pulses or remove a program.");
            match e {
                SafetyError::Collision { first, second } => {
                    no_room(format!("Programs {} and {} overlap in time", first + 1, second + 1))
                }
                SafetyError::OutOfRange {
                    program,
                    parameter: Parameter::Offset,
                    ..
                } => no_room(format!("Program {} finds no room in the period", program + 1)),
                e => e.to_string(),
            }
        })
}

impl Editor {
    /// An editor of `bench`, whose programs stim-core checks against `impedance`.
    pub fn new(bench: Bench, impedance: Signal<ImpedanceModel>) -> Editor {
        let bench = RwSignal::new(bench);
        Editor {
            bench,
            history: StoredValue::new(History::default()),
            can: RwSignal::new((false, false)),
            held: RwSignal::new(None),
            refusal: Memo::new(move |_| bench.with(|b| refusal_of(b, &impedance.get()))),
            impedance,
        }
    }

    /// Makes `change` an undo step (unless it changes nothing).
    pub fn edit(self, change: impl FnOnce(&mut Bench)) {
        let before = self.bench.get_untracked();
        let mut after = before.clone();
        change(&mut after);
        if after == before {
            return;
        }
        self.history.update_value(|h| h.record(before));
        self.bench.set(after);
        self.held.set(None);
        self.can.set(self.history.with_value(History::can));
    }

    /// Makes `change` unless stim-core would refuse the program it leads to; then nothing
    /// changes and the refusal shows, in the words `why` puts it in.
    pub fn checked(self, change: impl FnOnce(&mut Bench), why: impl FnOnce(String) -> String) {
        let mut next = self.bench.get_untracked();
        change(&mut next);
        match refusal_of(&next, &self.impedance.get_untracked()) {
            Some(refusal) => self.hold(why(refusal)),
            None => self.edit(move |b| *b = next),
        }
    }

    /// Shows why something asked for was not done (nothing changes).
    pub fn hold(self, why: String) {
        self.held.set(Some(why));
    }

    /// What the page says about the program: why the last change asked for was not made
    /// (first: it answers what the user just did), and stim-core's refusal of the program
    /// as it stands.
    pub fn words(self) -> Option<String> {
        match (self.held.get(), self.refusal.get()) {
            (Some(held), Some(refusal)) if !held.contains(&refusal) => Some(format!(
                "{held} The program as it stands is refused too: {refusal}"
            )),
            (Some(held), _) => Some(held),
            (None, refusal) => refusal,
        }
    }

    /// Starts afresh from `bench` (a scenario's start): nothing to undo.
    pub fn restart(self, bench: Bench) {
        self.bench.set(bench);
        self.history.set_value(History::default());
        self.can.set((false, false));
        self.held.set(None);
    }

    /// Goes back one change.
    pub fn undo(self) {
        let current = self.bench.get_untracked();
        if let Some(previous) = self.history.try_update_value(|h| h.undo(current)).flatten() {
            self.bench.set(previous);
            self.held.set(None);
        }
        self.can.set(self.history.with_value(History::can));
    }

    /// Goes forward one undone change.
    pub fn redo(self) {
        let current = self.bench.get_untracked();
        if let Some(next) = self.history.try_update_value(|h| h.redo(current)).flatten() {
            self.bench.set(next);
            self.held.set(None);
        }
        self.can.set(self.history.with_value(History::can));
    }

    /// Whether there is a change to undo, and one to redo.
    pub fn can(self) -> (bool, bool) {
        self.can.get()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stim_core::contacts::CASE;
    use wasm_bindgen_test::wasm_bindgen_test;

    /// An editor of the default bench with `impedance`, inside a reactive owner.
    fn with_editor(impedance: ImpedanceModel, test: impl FnOnce(Editor)) {
        let owner = Owner::new();
        owner.with(|| test(Editor::new(Bench::default(), Signal::stored(impedance))));
    }

    #[wasm_bindgen_test]
    fn a_change_that_changes_nothing_is_no_undo_step_and_undo_redo_walk_the_changes() {
        with_editor(ImpedanceModel::default(), |editor| {
            editor.edit(|_| {});
            assert_eq!(editor.can(), (false, false));
            let start = editor.bench.get_untracked();
            editor.edit(|b| b.amplitude_ua = 1_000);
            editor.edit(|b| b.amplitude_ua = 1_500);
            assert_eq!(editor.can(), (true, false));
            editor.undo();
            assert_eq!(editor.bench.get_untracked().amplitude_ua, 1_000);
            editor.undo();
            assert_eq!(editor.bench.get_untracked(), start);
            assert_eq!(editor.can(), (false, true));
            editor.redo();
            assert_eq!(editor.bench.get_untracked().amplitude_ua, 1_000);
            editor.restart(start.clone());
            assert_eq!(editor.can(), (false, false));
        });
    }

    #[wasm_bindgen_test]
    fn a_checked_change_stim_core_refuses_changes_nothing_and_says_why_until_the_next_change() {
        // Scarred contacts (1 400 Ω): 6 mA through cathode and anode needs 16.8 V of 12.
        let mut scarred = ImpedanceModel::default();
        scarred.ohms[..CASE].fill(1_400);
        with_editor(scarred, |editor| {
            let before = editor.bench.get_untracked();
            assert_eq!(editor.words(), None, "the bench runs");
            editor.checked(|b| b.amplitude_ua = 6_000, |e| format!("Not raised: {e}"));
            assert_eq!(editor.bench.get_untracked(), before, "nothing changed");
            assert_eq!(editor.can(), (false, false), "no undo step");
            let words = editor.words().expect("the reason shows");
            assert!(
                words.starts_with("Not raised: ") && words.contains("V"),
                "{words}"
            );
            editor.edit(|b| b.rate_hz = 40);
            assert_eq!(editor.words(), None, "a change clears it");
        });
        with_editor(ImpedanceModel::default(), |editor| {
            editor.checked(|b| b.amplitude_ua = 1_000, |e| e);
            assert_eq!(editor.bench.get_untracked().amplitude_ua, 1_000, "taken");
        });
    }

    #[wasm_bindgen_test]
    fn a_program_that_does_not_fit_the_period_is_not_added_and_the_refusal_says_what_to_change() {
        with_editor(ImpedanceModel::default(), |editor| {
            // 10 kHz: a 100 µs period; two programs' 80 µs pulses cannot take turns in it.
            editor.edit(|b| b.set_waveform(2));
            editor.checked(|b| b.add_area(), |e| format!("No program added: {e}"));
            assert_eq!(editor.bench.get_untracked().areas.len(), 1);
            let words = editor.words().expect("the reason shows");
            assert!(
                words.starts_with("No program added: Program 2 finds no room in the period")
                    && words.contains("Lower the rate, shorten the pulses or remove a program"),
                "{words}"
            );
            // Tonic 50 Hz: two programs take turns 10 ms apart.
            editor.edit(|b| b.set_waveform(0));
            editor.checked(|b| b.add_area(), |e| e);
            assert_eq!(editor.bench.get_untracked().areas.len(), 2);
            assert_eq!(editor.words(), None);
        });
    }
}
