//! A labelled box for a whole number that never loses a value: what is typed is taken only if it is a
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
        format!(
            "{typed} is not a whole number (type digits only, like 40): {what} stays {kept}{unit}."
        )
    })
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
    /// The lowest and highest values the setting takes (said to screen readers; stim-core
    /// judges whether the program may run).
    range: (i64, i64),
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
    let (min, max) = range;
    let what = StoredValue::new(what);
    // A text box, not `type=number`: Chromium drops a typed comma from a number box ("5,5"
    // becomes 55) and hides letters from the page, so a typo would pass as another number.
    // Here the page sees what was typed and can say why it is refused.
    let mode = if min < 0 { "text" } else { "numeric" };
    let take = move |ev: web_sys::Event| {
        let typed = event_target_value(&ev);
        let kept = value.get_untracked();
        match what.with_value(|w| whole::<T>(&typed, w, &kept, unit)) {
            Ok(v) => on_value.run(v),
            Err(why) => {
                if let Some(input) = ev.target() {
                    let _ = js_sys::Reflect::set(&input, &"value".into(), &kept.to_string().into());
                }
                on_refuse.run(why);
            }
        }
    };
    view! {
        <label>{label}
            <input type="text" inputmode=mode autocomplete="off" data-testid=testid title=format!("A whole number from {min} to {max}")
                prop:value=move || value.get().to_string() on:change=take/>
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
