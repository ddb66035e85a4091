//! The steering pad: six presses that re-divide the contacts' shares (see
//! [`super::steering`]), each result checked by stim-core at the programmed amplitude
//! before it is taken; a refused press changes nothing and says why.

use leptos::prelude::*;

use super::editing::Editor;
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

/// Six steering buttons; a press stim-core would refuse changes nothing and says why.
#[component]
pub fn SteeringControls(
    /// The bench's editor.
    editor: Editor,
) -> impl IntoView {
    let press = move |press: Steer| {
        let mut steered = editor.bench.get_untracked();
        match steered.steer(press) {
            Ok(()) => editor.checked(move |b| *b = steered, |e| format!("Not steered: {e}")),
            Err(refusal) => editor.hold(refusal.0),
        }
    };
    view! {
        <div class="steering" role="group" aria-label="Steer the field">
            {PRESSES.into_iter().map(|(steer, label, words)| view! {
                <button class="button" data-testid=format!("steer-{steer:?}").to_ascii_lowercase() aria-label=words title=words
                    on:click=move |_| press(steer)>{label}</button>
            }).collect_view()}
        </div>
    }
}
