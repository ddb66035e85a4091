//! A labelled number box that never loses a value: what is typed is taken only if it is a
//! whole number (stim-core then judges whether the program may run); anything else —
//! letters, a decimal, "5,5", an empty box — says why in words, and the box shows the
//! value kept again.

use std::fmt::Display;
use std::str::FromStr;

use leptos::prelude::*;

/// `typed` as a whole number, or why not: "“5,5” is not a whole number (…): the rate
/// stays 50 Hz." (`what` names the setting, `kept` is its value, `unit` follows it).
pub fn whole<T: FromStr>(
    typed: &str,
    what: &str,
    kept: impl Display,
    unit: &str,
) -> Result<T, String> {
    let typed = typed.trim();
    typed.parse().map_err(|_| {
        let typed = if typed.is_empty() {
            "An empty box".to_string()
        } else {
            format!("“{typed}”")
        };
        not_whole(&typed, what, kept, unit)
    })
}

/// Why `typed` (in words) was not taken, and what is kept.
fn not_whole(typed: &str, what: &str, kept: impl Display, unit: &str) -> String {
    format!("{typed} is not a whole number (type digits only, like 40): {what} stays {kept}{unit}.")
}

/// Whether the browser could not read what was typed in `input` as a number at all
/// ("5,5" in a number box): its value is then empty, though the box is not.
fn unreadable(input: &wasm_bindgen::JsValue) -> bool {
    js_sys::Reflect::get(input, &"validity".into())
        .and_then(|v| js_sys::Reflect::get(&v, &"badInput".into()))
        .is_ok_and(|bad| bad.is_truthy())
}

/// A number box for a setting of the bench.
#[component]
pub fn NumberField<T>(
    /// The label's words.
    #[prop(into)]
    label: Signal<String>,
    /// The setting in a refusal ("the rate").
    #[prop(into)]
    what: String,
    /// The unit after a value (" Hz", " %").
    unit: &'static str,
    /// `data-testid` of the input.
    testid: String,
    /// The HTML limits and step of the box (what the spinner offers).
    range: (i64, i64, i64),
    /// The value kept.
    #[prop(into)]
    value: Signal<T>,
    /// Called with a whole number typed.
    on_value: Callback<T>,
    /// Called with the words of anything else typed.
    on_refuse: Callback<String>,
) -> impl IntoView
where
    T: FromStr + Display + Clone + Send + Sync + 'static,
{
    let (min, max, step) = range;
    view! {
        <label>{label}
            <input type="number" min=min max=max step=step data-testid=testid prop:value=move || value.get().to_string()
                on:change=move |ev| {
                    let typed = event_target_value(&ev);
                    let kept = value.get_untracked();
                    let read = match ev.target() {
                        Some(input) if unreadable(&input) => Err(not_whole("What was typed", &what, &kept, unit)),
                        _ => whole::<T>(&typed, &what, &kept, unit),
                    };
                    match read {
                        Ok(v) => on_value.run(v),
                        Err(why) => {
                            // Show the kept value again (the signal did not change).
                            if let Some(target) = ev.target() {
                                let kept = value.get_untracked().to_string();
                                let _ = js_sys::Reflect::set(&target, &"value".into(), &kept.into());
                            }
                            on_refuse.run(why);
                        }
                    }
                }/>
        </label>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn only_a_whole_number_is_taken_and_anything_else_says_what_is_kept() {
        assert_eq!(whole::<u32>(" 40 ", "the rate", 50, " Hz"), Ok(40));
        assert_eq!(whole::<i16>("-500", "the current", 1000, " ‰"), Ok(-500));
        assert_eq!(
            whole::<u32>("5,5", "the rate", 50, " Hz"),
            Err(
                "“5,5” is not a whole number (type digits only, like 40): the rate stays 50 Hz."
                    .into()
            )
        );
        for typed in ["3.5", "abc", "-1", "1e3", "99999999999"] {
            let refused = whole::<u32>(typed, "the rate", 50, " Hz").unwrap_err();
            assert!(
                refused.contains(typed) && refused.ends_with("stays 50 Hz."),
                "{refused}"
            );
        }
        assert_eq!(
            whole::<u8>("", "E4's share", 50, " %"),
            Err("An empty box is not a whole number (type digits only, like 40): E4's share stays 50 %.".into())
        );
    }
}
