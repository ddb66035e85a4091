//! The steering pad: six presses that re-divide the contacts' shares (see
//! [`super::steering`]), each result checked by stim-core at the programmed amplitude
//! before it is taken; a refused press changes nothing and says why.

use leptos::prelude::*;
use stim_core::safety::{validate, Limits};

use super::bench::{Bench, Change};
use super::steering::Steer;

/// The presses, with their labels and what a screen reader hears.
const PRESSES: [(Steer, &str, &str); 6] = [
    (Steer::Up, "↑ Up", "Up: move the field towards the head"),
    (
        Steer::Down,
        "↓ Down",
        "Down: move the field towards the feet",
    ),
    (
        Steer::Left,
        "← Left",
        "Left: move the field to the patient's left",
    ),
    (
        Steer::Right,
        "→ Right",
        "Right: move the field to the patient's right",
    ),
    (Steer::Focus, "Focus", "Focus: narrow the field"),
    (Steer::Spread, "Spread", "Spread: widen the field"),
];

/// The bench after `press`, or why not: the steering's own refusal, or stim-core's.
pub fn steered(bench: &Bench, press: Steer) -> Result<Bench, String> {
    let mut next = bench.clone();
    next.steer(press).map_err(|r| r.0)?;
    validate(&next.program_set(), &Limits::default(), &Default::default())
        .map_err(|e| format!("Not steered: {e}"))?;
    Ok(next)
}

/// Six steering buttons; `edit` records a press, `held` shows why one was not taken.
#[component]
pub fn SteeringControls(
    /// The bench to steer.
    bench: RwSignal<Bench>,
    /// Records an edit of the bench (for undo).
    edit: impl Fn(Change) + Copy + Send + Sync + 'static,
    /// Where a refused press says why.
    held: WriteSignal<Option<String>>,
) -> impl IntoView {
    view! {
        <div class="steering" role="group" aria-label="Steer the field">
            {PRESSES.into_iter().map(|(press, label, words)| view! {
                <button class="button" data-testid=format!("steer-{press:?}").to_lowercase() aria-label=words title=words
                    on:click=move |_| match steered(&bench.get_untracked(), press) {
                        Ok(next) => edit(Box::new(move |b| *b = next)),
                        Err(why) => held.set(Some(why)),
                    }>{label}</button>
            }).collect_view()}
        </div>
    }
}
