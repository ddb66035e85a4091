//! The trial diary: a pain score (0–10) and a note for each of the 7 days, against the
//! pain before the trial, with a chart and the 50 % relief line. Kept in this browser's
//! local storage only; nothing leaves the browser. Printable as a dated page.
//!
//! A score is a whole number from 0 to 10, as on the pain scale clinics use. Anything else
//! typed (11, −1, 3.5, "5,5", letters) is refused with a message in words, and the score
//! saved before stays saved: [`parse_pain`] decides, the view only shows its answer.

use leptos::prelude::*;

use crate::i18n::{t, tr, use_language, Lang, Text};
use crate::storage;

/// Days of the trial.
pub const DAYS: usize = 7;
const PREFIX: &str = "scs-studio.diary";

const TITLE: Text = t("Your trial diary", "Su diario de la prueba");
const PRIVATE: Text = t(
    "Saved only in this browser. Nothing is sent anywhere.",
    "Se guarda solo en este navegador. No se envía a ningún lado.",
);
const SCALE: Text = t(
    "Pain goes from 0 (no pain) to 10 (the worst pain you can think of).",
    "El dolor va de 0 (nada de dolor) a 10 (el peor dolor que pueda imaginar).",
);
const BEFORE: Text = t(
    "Pain before the trial (0–10)",
    "Dolor antes de la prueba (0–10)",
);
const DAY: Text = t("Day", "Día");
const PAIN: Text = t("Pain (0–10)", "Dolor (0–10)");
const NOTE: Text = t("What I did, how I felt", "Lo que hice, cómo me sentí");
const PRINT: Text = t("Print or save as PDF", "Imprimir o guardar como PDF");
const PRINTED: Text = t("Printed on", "Impreso el");
const GOAL: Text = t(
    "The usual goal of a trial: your pain drops by half or more. That is the green dashed line.",
    "La meta común de la prueba: que su dolor baje a la mitad o menos. Es la línea verde de rayas.",
);
const RELIEF_HOW: Text = t(
    "Relief compares your average pain on the trial days with your pain before.",
    "El alivio compara su dolor promedio en los días de prueba con su dolor de antes.",
);
const CHART: Text = t("Pain by day", "Dolor por día");
const KEY_PAIN: Text = t("your pain each day", "su dolor cada día");
const KEY_BEFORE: Text = t("pain before the trial", "dolor antes de la prueba");
const KEY_GOAL: Text = t("half of that: the goal", "la mitad: la meta");
const BEFORE_SAID: Text = t("Before the trial", "Antes de la prueba");
const NO_SCORE: Text = t("no score", "sin puntuación");
/// The diary's sentences (for the test of the reading level).
pub const SENTENCES: [Text; 4] = [PRIVATE, SCALE, GOAL, RELIEF_HOW];

/// Why a typed pain score was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PainError {
    /// Not a number at all (letters, symbols).
    NotANumber(String),
    /// A number outside 0–10.
    OutOfRange,
    /// A number with a fraction (3.5 or "5,5"): the whole numbers either side.
    Fraction(u8, u8),
}

impl PainError {
    /// The refusal in words, saying what is kept (`saved`, the score saved before).
    pub fn message(&self, saved: Option<u8>, lang: Lang) -> String {
        let why = match (self, lang) {
            (PainError::NotANumber(s), Lang::En) => {
                format!("“{s}” is not a number. Type a whole number from 0 to 10.")
            }
            (PainError::NotANumber(s), Lang::Es) => {
                format!("«{s}» no es un número. Escriba un número entero del 0 al 10.")
            }
            (PainError::OutOfRange, Lang::En) => {
                "The scale goes from 0 (no pain) to 10 (worst pain).".to_string()
            }
            (PainError::OutOfRange, Lang::Es) => {
                "La escala va del 0 (nada de dolor) al 10 (el peor dolor).".to_string()
            }
            (PainError::Fraction(a, b), Lang::En) => {
                format!("Please use a whole number, such as {a} or {b}.")
            }
            (PainError::Fraction(a, b), Lang::Es) => {
                format!("Use un número entero, como {a} o {b}.")
            }
        };
        let kept = match (saved, lang) {
            (Some(p), Lang::En) => format!("Not saved: your score stays {p}."),
            (Some(p), Lang::Es) => format!("No se guardó: su puntuación sigue siendo {p}."),
            (None, Lang::En) => "Not saved.".to_string(),
            (None, Lang::Es) => "No se guardó.".to_string(),
        };
        format!("{why} {kept}")
    }
}

/// A pain score from what was typed: `Ok(None)` for an empty field (the score is cleared),
/// `Ok(Some(p))` for a whole number 0–10 (a zero fraction such as "5.0" or "5,0" is
/// whole), else why not. A comma works as a decimal point, and "−" as a minus. Read
/// digit by digit, exactly: the standard `f64` parser would add 14 KB gzip to the bundle
/// for a score from 0 to 10.
pub fn parse_pain(text: &str) -> Result<Option<u8>, PainError> {
    let typed = text.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    let not_a_number = || PainError::NotANumber(typed.to_string());
    let number = typed.replace(',', ".").replace('−', "-");
    let (negative, unsigned) = match number.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, number.strip_prefix('+').unwrap_or(&number)),
    };
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |s: &str| s.bytes().all(|c| c.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
        return Err(not_a_number());
    }
    let whole = whole.trim_start_matches('0');
    let has_fraction = !fraction.trim_end_matches('0').is_empty();
    if negative && (!whole.is_empty() || has_fraction) {
        return Err(PainError::OutOfRange);
    }
    let value = match whole.len() {
        0..=2 => whole.bytes().fold(0, |n, c| n * 10 + (c - b'0')),
        _ => return Err(PainError::OutOfRange),
    };
    match value {
        10 if has_fraction => Err(PainError::OutOfRange),
        0..=10 if has_fraction => Err(PainError::Fraction(value, value + 1)),
        0..=10 => Ok(Some(value)),
        _ => Err(PainError::OutOfRange),
    }
}

/// One day's entry: a score if given, and a note.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Entry {
    /// Pain 0–10, if entered.
    pub pain: Option<u8>,
    /// What the patient did, as many lines as they like.
    pub note: String,
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

/// A stored score; a value that is not a whole 0–10 (edited by hand) counts as none.
fn stored_pain(key: &str) -> Option<u8> {
    storage::get(key).and_then(|s| parse_pain(&s).ok().flatten())
}

fn load() -> (Option<u8>, Vec<Entry>) {
    let baseline = stored_pain(&format!("{PREFIX}.baseline"));
    let entries = (1..=DAYS)
        .map(|d| Entry {
            pain: stored_pain(&format!("{PREFIX}.day{d}.pain")),
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
    let (title, private, scale, before, day, note, print, goal, relief_how, printed) = (
        tr(TITLE),
        tr(PRIVATE),
        tr(SCALE),
        tr(BEFORE),
        tr(DAY),
        tr(NOTE),
        tr(PRINT),
        tr(GOAL),
        tr(RELIEF_HOW),
        tr(PRINTED),
    );
    let print_page = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    // Today's date in the reader's language, for the printed page.
    let today = move || {
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"long".into());
        String::from(js_sys::Date::new_0().to_locale_date_string(lang.get().code(), &options))
    };
    view! {
        <section class="diary panel" aria-labelledby="diary-title" data-testid="diary">
            <h2 id="diary-title">{title}</h2>
            <p class="print-only" data-testid="diary-printed">{move || format!("{} {}", printed(), today())}</p>
            <p class="note">{private}</p>
            <p>{scale}</p>
            <PainField id="diary-baseline".to_string() label=Signal::derive(move || before().to_string())
                value=Signal::derive(move || baseline.get()) on_save=Callback::new(move |p| set_baseline.set(p))/>
            <ol class="diary-days plain">
                {(0..DAYS).map(|d| view! {
                    <li class="diary-day">
                        <h3>{move || format!("{} {}", day(), d + 1)}</h3>
                        <PainField id=format!("diary-pain-{}", d + 1)
                            label=Signal::derive(move || PAIN.get(lang.get()).to_string())
                            day=Signal::derive(move || format!("{} {}: ", day(), d + 1))
                            value=Signal::derive(move || entries.with(|e| e[d].pain))
                            on_save=Callback::new(move |p| set_entries.update(|e| e[d].pain = p))/>
                        <label class="field wide">
                            <span><span class="sr-only">{move || format!("{} {}: ", day(), d + 1)}</span>{note}</span>
                            <textarea rows="3" data-testid=format!("diary-note-{}", d + 1)
                                prop:value=move || entries.with(|e| e[d].note.clone())
                                // Saved as it is typed: a closed tab loses no word.
                                on:input=move |ev| { let v = event_target_value(&ev); set_entries.update(|e| e[d].note = v); }></textarea>
                        </label>
                        <p class="print-only diary-note-print">{move || entries.with(|e| e[d].note.clone())}</p>
                    </li>
                }).collect_view()}
            </ol>
            <DiaryChart baseline=baseline entries=entries/>
            <p data-testid="diary-relief" aria-live="polite">
                {move || match (relief_percent(baseline.get(), &entries.get()), lang.get()) {
                    (Some(r), Lang::En) => format!("Pain relief so far: {r:.0} %. "),
                    (Some(r), Lang::Es) => format!("Alivio del dolor hasta ahora: {r:.0} %. "),
                    (None, _) => String::new(),
                }}
                {relief_how}
            </p>
            <p>{goal}</p>
            <button class="button no-print" data-testid="diary-print" on:click=print_page>{print}</button>
        </section>
    }
}

/// A pain score field: saved when a good score is typed; anything else is refused in
/// words beside it, and the saved score stays.
#[component]
fn PainField(
    /// The field's test id, also its element id.
    id: String,
    /// Its label.
    label: Signal<String>,
    /// The day, said before the label to screen readers (the heading shows it).
    #[prop(optional)]
    day: Option<Signal<String>>,
    /// The saved score.
    value: Signal<Option<u8>>,
    /// Saves a good score (or none, for an emptied field).
    on_save: Callback<Option<u8>>,
) -> impl IntoView {
    let lang = use_language();
    let (error, set_error) = signal(None::<PainError>);
    let message_id = format!("{id}-message");
    let message_test_id = message_id.clone();
    view! {
        <label class="field pain-field">
            <span><span class="sr-only">{day}</span>{label}</span>
            // Text, not a number input: a number input hides letters and "5,5" as an empty
            // value, which would look like a cleared score.
            <input type="text" inputmode="numeric" autocomplete="off" data-testid=id.clone() id=id
                aria-invalid=move || error.with(Option::is_some).to_string()
                aria-describedby=message_id.clone()
                prop:value=move || value.get().map_or(String::new(), |b| b.to_string())
                on:change=move |ev| match parse_pain(&event_target_value(&ev)) {
                    Ok(p) => { set_error.set(None); on_save.run(p); }
                    Err(e) => set_error.set(Some(e)),
                }/>
        </label>
        <p class="refusal" id=message_id data-testid=message_test_id role="alert" hidden=move || error.with(Option::is_none)>
            {move || error.get().map(|e| e.message(value.get_untracked(), lang.get()))}
        </p>
    }
}

/// Pain per day on a 0–10 scale, against the pain before the trial (solid) and half of it,
/// the goal (dashed), with a key; its text alternative reads the scores out.
#[component]
fn DiaryChart(baseline: ReadSignal<Option<u8>>, entries: ReadSignal<Vec<Entry>>) -> impl IntoView {
    let lang = use_language();
    let x = |d: usize| 40.0 + d as f64 * 40.0;
    let y = |p: f64| 110.0 - p * 10.0;
    let described = move || {
        let l = lang.get();
        let days: Vec<String> = entries.with(|e| {
            e.iter()
                .enumerate()
                .map(|(d, e)| {
                    let score = e
                        .pain
                        .map_or(NO_SCORE.get(l).to_string(), |p| p.to_string());
                    format!("{} {}: {score}", DAY.get(l), d + 1)
                })
                .collect()
        });
        let before = baseline
            .get()
            .map_or(String::new(), |b| format!("{}: {b}. ", BEFORE_SAID.get(l)));
        format!("{}. {before}{}.", CHART.get(l), days.join(", "))
    };
    view! {
        <figure class="diary-chart-figure">
            <svg class="diary-chart" viewBox="0 0 320 150" role="img" aria-label=described data-testid="diary-chart">
                {[0u8, 2, 4, 6, 8, 10].into_iter().map(|p| view! {
                    <line x1="40" x2="290" y1=y(p as f64) y2=y(p as f64) class="grid"/>
                    <text x="32" y=y(p as f64) + 3.5 text-anchor="end" class="tick">{p}</text>
                }).collect_view()}
                <line x1="40" y1="110" x2="290" y2="110" class="axis"/>
                <line x1="40" y1="10" x2="40" y2="110" class="axis"/>
                {(0..DAYS).map(|d| view! { <text x=x(d) y="124" text-anchor="middle" class="tick">{d + 1}</text> }).collect_view()}
                <text x="165" y="140" text-anchor="middle" class="tick">{move || DAY.get(lang.get())}</text>
                <text x="10" y="60" text-anchor="middle" class="tick" transform="rotate(-90 10 60)">{move || PAIN.get(lang.get())}</text>
                {move || baseline.get().map(|b| view! {
                    <line x1="40" x2="290" y1=y(b as f64) y2=y(b as f64) class="baseline"/>
                    <line x1="40" x2="290" y1=y(b as f64 / 2.0) y2=y(b as f64 / 2.0) class="goal-line"/>
                })}
                {move || {
                    let points: Vec<(f64, f64)> = entries.get().iter().enumerate().filter_map(|(d, e)| e.pain.map(|p| (x(d), y(p as f64)))).collect();
                    let line: Vec<String> = points.iter().map(|(a, b)| format!("{a:.0},{b:.0}")).collect();
                    view! {
                        <polyline points=line.join(" ") class="pain-line"/>
                        {points.into_iter().map(|(a, b)| view! { <circle cx=a cy=b r="3.5" class="pain-dot"/> }).collect_view()}
                    }
                }}
            </svg>
            <figcaption class="chart-key" aria-hidden="true">
                <span><span class="key-line pain"></span>{move || KEY_PAIN.get(lang.get())}</span>
                <span><span class="key-line before"></span>{move || KEY_BEFORE.get(lang.get())}</span>
                <span><span class="key-line goal"></span>{move || KEY_GOAL.get(lang.get())}</span>
            </figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn whole_scores_from_0_to_10_are_taken() {
        assert_eq!(parse_pain("0"), Ok(Some(0)));
        assert_eq!(parse_pain(" 7 "), Ok(Some(7)));
        assert_eq!(parse_pain("10"), Ok(Some(10)));
        assert_eq!(parse_pain("5,0"), Ok(Some(5)));
        assert_eq!(
            parse_pain(""),
            Ok(None),
            "an emptied field clears the score"
        );
    }

    #[wasm_bindgen_test]
    fn every_bad_score_is_refused_with_its_reason() {
        assert_eq!(parse_pain("11"), Err(PainError::OutOfRange));
        assert_eq!(parse_pain("-1"), Err(PainError::OutOfRange));
        assert_eq!(parse_pain("−1"), Err(PainError::OutOfRange));
        assert_eq!(parse_pain("3.5"), Err(PainError::Fraction(3, 4)));
        assert_eq!(parse_pain("5,5"), Err(PainError::Fraction(5, 6)));
        assert_eq!(parse_pain("abc"), Err(PainError::NotANumber("abc".into())));
        assert_eq!(parse_pain("NaN"), Err(PainError::NotANumber("NaN".into())));
    }

    #[wasm_bindgen_test]
    fn scores_are_read_digit_by_digit_with_a_sign_and_one_point() {
        for (typed, score) in [
            ("5.", 5),
            ("05", 5),
            ("+3", 3),
            ("-0", 0),
            ("0.0", 0),
            ("10.00", 10),
        ] {
            assert_eq!(parse_pain(typed), Ok(Some(score)), "{typed}");
        }
        assert_eq!(parse_pain(".5"), Err(PainError::Fraction(0, 1)));
        assert_eq!(parse_pain("9.99"), Err(PainError::Fraction(9, 10)));
        assert_eq!(parse_pain("0.000001"), Err(PainError::Fraction(0, 1)));
        assert_eq!(parse_pain("10.01"), Err(PainError::OutOfRange));
        assert_eq!(parse_pain("100"), Err(PainError::OutOfRange));
        assert_eq!(
            parse_pain("99999999999999999999"),
            Err(PainError::OutOfRange)
        );
        assert_eq!(parse_pain("-0.5"), Err(PainError::OutOfRange));
        for typed in [
            "inf",
            "-infinity",
            ".",
            "-",
            "1e1",
            "1.2.3",
            "1 0",
            "e5",
            "5-",
            "٣",
        ] {
            assert_eq!(
                parse_pain(typed),
                Err(PainError::NotANumber(typed.into())),
                "{typed}"
            );
        }
    }

    #[wasm_bindgen_test]
    fn a_refusal_says_why_and_what_is_kept_in_both_languages() {
        let m = PainError::Fraction(5, 6).message(Some(6), Lang::En);
        assert_eq!(
            m,
            "Please use a whole number, such as 5 or 6. Not saved: your score stays 6."
        );
        let m = PainError::OutOfRange.message(None, Lang::Es);
        assert_eq!(
            m,
            "La escala va del 0 (nada de dolor) al 10 (el peor dolor). No se guardó."
        );
    }

    #[wasm_bindgen_test]
    fn relief_is_the_mean_score_against_the_baseline() {
        let day = |p| Entry {
            pain: Some(p),
            note: String::new(),
        };
        assert_eq!(
            relief_percent(Some(8), &[day(6), day(4), day(2)]),
            Some(50.0)
        );
        assert_eq!(relief_percent(Some(8), &[Entry::default()]), None);
        assert_eq!(relief_percent(Some(0), &[day(2)]), None);
    }
}
