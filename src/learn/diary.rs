//! The trial diary: a pain score (0–10) and a note for each of the 7 days, against the
//! pain before the trial, with a chart and the ≥ 50 % relief line. Kept in this browser's
//! local storage only; nothing leaves the browser. Printable.

use leptos::prelude::*;

use crate::i18n::{t, tr, use_language, Text};
use crate::storage;

/// Days of the trial.
pub const DAYS: usize = 7;
const PREFIX: &str = "scs-studio.diary";

const TITLE: Text = t("Your trial diary", "Su diario de la prueba");
const PRIVATE: Text = t(
    "Saved only in this browser. Nothing is sent anywhere.",
    "Se guarda solo en este navegador. No se envía a ningún lado.",
);
const BEFORE: Text = t(
    "Pain before the trial (0–10)",
    "Dolor antes de la prueba (0–10)",
);
const DAY: Text = t("Day", "Día");
const PAIN: Text = t("Pain (0–10)", "Dolor (0–10)");
const NOTE: Text = t("What I did", "Lo que hice");
const PRINT: Text = t("Print or save as PDF", "Imprimir o guardar como PDF");
const GOAL: Text = t(
    "The usual goal is at least half less pain (the dashed line).",
    "La meta común es al menos la mitad de dolor (la línea de puntos).",
);

/// One day's entry: a score if given, and a note.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Entry {
    /// Pain 0–10, if entered.
    pub pain: Option<u8>,
    /// What the patient did.
    pub note: String,
}

/// A pain score from what was typed: a whole number 0–10, or nothing.
pub fn parse_pain(text: &str) -> Option<u8> {
    text.trim().parse::<u8>().ok().filter(|p| *p <= 10)
}

/// The average relief against `baseline` over the days with a score, in % (None before
/// any day is scored or without a baseline).
pub fn relief_percent(baseline: Option<u8>, entries: &[Entry]) -> Option<f64> {
    let baseline = baseline.filter(|b| *b > 0)? as f64;
    let scores: Vec<f64> = entries
        .iter()
        .filter_map(|e| e.pain)
        .map(f64::from)
        .collect();
    if scores.is_empty() {
        return None;
    }
    let mean = scores.iter().sum::<f64>() / scores.len() as f64;
    Some((baseline - mean) / baseline * 100.0)
}

fn load() -> (Option<u8>, Vec<Entry>) {
    let baseline = storage::get(&format!("{PREFIX}.baseline")).and_then(|s| parse_pain(&s));
    let entries = (1..=DAYS)
        .map(|d| Entry {
            pain: storage::get(&format!("{PREFIX}.day{d}.pain")).and_then(|s| parse_pain(&s)),
            note: storage::get(&format!("{PREFIX}.day{d}.note")).unwrap_or_default(),
        })
        .collect();
    (baseline, entries)
}

/// The diary with its chart.
#[component]
pub fn Diary() -> impl IntoView {
    let lang = use_language();
    let (saved_baseline, saved_entries) = load();
    let (baseline, set_baseline) = signal(saved_baseline);
    let (entries, set_entries) = signal(saved_entries);
    // One effect keeps storage in step with what is on screen (storage may be missing:
    // then the diary still works for this visit).
    Effect::new(move |_| {
        storage::set(
            &format!("{PREFIX}.baseline"),
            &baseline.get().map_or(String::new(), |b| b.to_string()),
        );
        for (d, e) in entries.get().iter().enumerate() {
            storage::set(
                &format!("{PREFIX}.day{}.pain", d + 1),
                &e.pain.map_or(String::new(), |p| p.to_string()),
            );
            storage::set(&format!("{PREFIX}.day{}.note", d + 1), &e.note);
        }
    });
    let (title, private, before, day, pain, note, print, goal) = (
        tr(TITLE),
        tr(PRIVATE),
        tr(BEFORE),
        tr(DAY),
        tr(PAIN),
        tr(NOTE),
        tr(PRINT),
        tr(GOAL),
    );
    let print_page = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <section class="diary panel" aria-labelledby="diary-title" data-testid="diary">
            <h2 id="diary-title">{title}</h2>
            <p class="note">{private}</p>
            <label class="field">
                {before}
                <input type="number" min="0" max="10" inputmode="numeric" data-testid="diary-baseline"
                    prop:value=move || baseline.get().map_or(String::new(), |b| b.to_string())
                    on:change=move |ev| set_baseline.set(parse_pain(&event_target_value(&ev)))/>
            </label>
            <table class="diary-table">
                <thead><tr><th scope="col">{day}</th><th scope="col">{pain}</th><th scope="col">{note}</th></tr></thead>
                <tbody>
                    {(0..DAYS).map(|d| view! {
                        <tr>
                            <th scope="row">{d + 1}</th>
                            <td><input type="number" min="0" max="10" inputmode="numeric" data-testid=format!("diary-pain-{}", d + 1)
                                aria-label=move || format!("{} {} — {}", day(), d + 1, pain())
                                prop:value=move || entries.with(|e| e[d].pain.map_or(String::new(), |p| p.to_string()))
                                on:change=move |ev| { let v = parse_pain(&event_target_value(&ev)); set_entries.update(|e| e[d].pain = v); }/></td>
                            <td><input type="text" data-testid=format!("diary-note-{}", d + 1)
                                aria-label=move || format!("{} {} — {}", day(), d + 1, note())
                                prop:value=move || entries.with(|e| e[d].note.clone())
                                on:change=move |ev| { let v = event_target_value(&ev); set_entries.update(|e| e[d].note = v); }/></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <DiaryChart baseline=baseline entries=entries/>
            <p data-testid="diary-relief" aria-live="polite">
                {move || match (relief_percent(baseline.get(), &entries.get()), lang.get()) {
                    (Some(r), crate::i18n::Lang::En) => format!("Pain relief so far: {r:.0} %."),
                    (Some(r), crate::i18n::Lang::Es) => format!("Alivio del dolor hasta ahora: {r:.0} %."),
                    (None, _) => String::new(),
                }}
                " " {goal}
            </p>
            <button class="button no-print" data-testid="diary-print" on:click=print_page>{print}</button>
        </section>
    }
}

/// Pain per day against the baseline (solid) and the 50 % relief line (dashed).
#[component]
fn DiaryChart(baseline: ReadSignal<Option<u8>>, entries: ReadSignal<Vec<Entry>>) -> impl IntoView {
    let x = |d: usize| 30.0 + d as f64 * 40.0;
    let y = |p: f64| 110.0 - p * 10.0;
    view! {
        <svg class="diary-chart" viewBox="0 0 300 130" role="img" aria-label="Pain by day" data-testid="diary-chart">
            <line x1="30" y1="110" x2="270" y2="110" class="axis"/>
            <line x1="30" y1="10" x2="30" y2="110" class="axis"/>
            {(0..DAYS).map(|d| view! { <text x=x(d) y="124" text-anchor="middle" class="tick">{d + 1}</text> }).collect_view()}
            {move || baseline.get().map(|b| view! {
                <line x1="30" x2="270" y1=y(b as f64) y2=y(b as f64) class="baseline"/>
                <line x1="30" x2="270" y1=y(b as f64 / 2.0) y2=y(b as f64 / 2.0) class="goal-line"/>
            })}
            {move || {
                let points: Vec<String> = entries.get().iter().enumerate().filter_map(|(d, e)| e.pain.map(|p| format!("{:.0},{:.0}", x(d), y(p as f64)))).collect();
                view! { <polyline points=points.join(" ") class="pain-line"/> }
            }}
        </svg>
    }
}
