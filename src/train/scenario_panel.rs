//! The exercise being worked: the choice of scenario (a scenario starts afresh from its
//! story's bench, with nothing to undo), its goal, the live score, and the debrief region
//! by region once the trainee finishes. A debrief belongs to the program it judged: after
//! a change it is gone until Finish is pressed again.

use leptos::prelude::*;
use spine_field::dermatomes::Side;

use super::bench::Bench;
use super::editing::Editor;
use super::fields::Fields;
use super::membrane::Criterion;
use super::response::Response;
use super::scenarios::{by_id, score, Outcome, Pending, Score, SCENARIOS};

/// The scenario choice, goal, score and debrief.
#[component]
pub fn ScenarioPanel(
    /// The bench's editor.
    editor: Editor,
    /// The scenario being worked (an index into `SCENARIOS`), or free practice.
    scenario: RwSignal<Option<usize>>,
    /// The field shown (only the placement's fine field is judged).
    fields: Fields,
    /// What the program does.
    response: Response,
    /// The painful area, as body-map regions (the patient names what it misses).
    painful: Signal<Vec<(usize, Side)>>,
) -> impl IntoView {
    let bench = editor.bench;
    let live_score = move || {
        scenario.get().map(|s| {
            let (felt, refusal) = (response.felt.get(), editor.refusal.get());
            // The virtual patient's "too strong" fails the goal, in the patient's words.
            let discomfort = response
                .patient
                .with(|p| p.as_ref().ok().and_then(|p| p.complaint(&painful.get())));
            let outcome = Outcome {
                felt: &felt,
                refusal: refusal.as_deref(),
                discomfort: discomfort.as_deref(),
                // Only the placement's fine field is judged (a coarse one reads ~25 % low),
                // by the membrane model.
                pending: if !fields.final_for_placement() {
                    Some(Pending::Field)
                } else if response.criterion.get() == Criterion::Preview && refusal.is_none() {
                    Some(Pending::Membrane)
                } else {
                    None
                },
            };
            bench.with(|b| score(&SCENARIOS[s], b, &outcome))
        })
    };
    let debrief = RwSignal::new(None::<(Bench, Score)>);
    let finish = move |_| debrief.set(live_score().map(|sc| (bench.get_untracked(), sc)));
    let choose = move |ev: web_sys::Event| {
        let choice = by_id(&event_target_value(&ev));
        scenario.set(choice);
        debrief.set(None);
        if let Some(s) = choice {
            editor.restart((SCENARIOS[s].start)());
        }
    };
    let shown_debrief = move || {
        let (judged, sc) = debrief.get()?;
        let s = scenario.get()?;
        (bench.with(|b| *b == judged)).then(|| view! {
            <p><strong>{if sc.passed { "Goal met." } else { "Not yet: the goal is not met." }}</strong></p>
            <ul class="debrief-lines">{sc.lines.into_iter().map(|l| view! {
                <li class=if l.ok { "met" } else { "missed" }><span aria-hidden="true">{if l.ok { "✓ " } else { "✗ " }}</span>{l.text}</li>
            }).collect_view()}</ul>
            <p data-testid="scenario-lesson">{SCENARIOS[s].lesson}</p>
        })
    };
    view! {
        <h2>"Scenario"</h2>
        <label class="field">"Exercise"
            <select data-testid="scenario" prop:value=move || scenario.get().map_or("free", |s| SCENARIOS[s].id) on:change=choose>
                <option value="free">"Free practice"</option>
                {SCENARIOS.iter().map(|s| view! { <option value=s.id>{s.title}</option> }).collect_view()}
            </select>
        </label>
        {move || scenario.get().map(|s| view! {
            <p data-testid="scenario-goal">{SCENARIOS[s].goal}</p>
            <p class="score" data-testid="scenario-score" aria-live="polite">{move || live_score().map(|sc| sc.summary())}</p>
            <button class="button primary" data-testid="scenario-finish" on:click=finish>"Finish"</button>
        })}
        <div class="debrief" data-testid="scenario-debrief" role="status">{shown_debrief}</div>
    }
}
