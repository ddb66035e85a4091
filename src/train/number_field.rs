//! A labelled box for a whole number that never loses a value: what is typed is taken only
//! if it is a whole number within the setting's range (stim-core then judges whether the
//! program may run); anything else — letters, a decimal, "5,5", an empty box, a number
//! out of range — says why in words, and the box shows the value kept again. A number the
//! bench takes otherwise than typed (a share it must keep within its sign's 100 %) is
//! said too, and the box shows what the bench holds.

use std::fmt::Display;
use std::str::FromStr;

use leptos::prelude::*;

/// A setting's box: its name in a refusal ("the rate"), its unit (" Hz"), and the lowest
/// and highest values it takes.
#[derive(Clone, Copy, Debug)]
pub struct Limits<'a> {
    /// The setting, as a refusal names it.
    pub what: &'a str,
    /// The unit after a value (" Hz", " %", or "").
    pub unit: &'a str,
    /// The lowest and highest values.
    pub range: (i64, i64),
}

/// `typed` as a whole number within `limits`, or why not: "“5,5” is not a whole number
/// (type digits only, like 40): the rate stays 50 Hz."; "“300” is outside 1–100: E4's
/// share stays 100 %." (`kept` is the setting's value).
pub fn whole<T: FromStr>(typed: &str, limits: Limits, kept: impl Display) -> Result<T, String> {
    let Limits { what, unit, range } = limits;
    let (min, max) = range;
    let typed = typed.trim();
    let stays = format!("{what} stays {kept}{unit}.");
    let Ok(number) = typed.parse::<i64>() else {
        let typed = if typed.is_empty() {
            "An empty box".to_string()
        } else {
            format!("“{typed}”")
        };
        let example = if min < 0 {
            "like 500 or -500"
        } else {
            "digits only, like 40"
        };
        return Err(format!(
            "{typed} is not a whole number ({example}): {stays}"
        ));
    };
    if !(min..=max).contains(&number) {
        return Err(format!("“{typed}” is outside {min}–{max}: {stays}"));
    }
    typed
        .parse()
        .map_err(|_| format!("“{typed}” cannot be taken: {stays}"))
}

/// `text` with its first letter capital. The messages are English: ASCII case rules
/// suffice, and spare the bundle Unicode's case tables.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| {
            core::iter::once(c.to_ascii_uppercase())
                .chain(chars)
                .collect()
        })
        .unwrap_or_default()
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
    /// The lowest and highest values the setting's type holds (stim-core judges whether
    /// the program may run within them, in its own words).
    range: (i64, i64),
    /// The value kept.
    #[prop(into)]
    value: Signal<T>,
    /// Called with a whole number typed within the range.
    on_value: Callback<T>,
    /// Why the bench may take a number otherwise than typed, said when it does.
    #[prop(optional)]
    taken_otherwise: &'static str,
    /// Called with the words of anything refused or taken otherwise.
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
        let read = what.with_value(|what| whole::<T>(&typed, Limits { what, unit, range }, &kept));
        let said = match read {
            Ok(v) => {
                on_value.run(v.clone());
                let now = value.get_untracked();
                (now.to_string() != v.to_string()).then(|| {
                    what.with_value(|what| {
                        format!(
                            "{} is {now}{unit}, not {v}{unit}: {taken_otherwise}",
                            capitalised(what)
                        )
                    })
                })
            }
            Err(why) => Some(why),
        };
        if let Some(words) = said {
            // Show what the bench holds (its signal may not have changed).
            if let Some(input) = ev.target() {
                let now = value.get_untracked().to_string();
                let _ = js_sys::Reflect::set(&input, &"value".into(), &now.into());
            }
            on_refuse.run(words);
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

    const RATE: Limits = Limits {
        what: "the rate",
        unit: " Hz",
        range: (1, 10_000),
    };

    #[wasm_bindgen_test]
    fn only_a_whole_number_in_range_is_taken_and_anything_else_says_what_is_kept() {
        assert_eq!(whole::<u16>(" 40 ", RATE, 50), Ok(40));
        let current = Limits {
            what: "stage 2's current",
            unit: " ‰",
            range: (-1_000, 1_000),
        };
        assert_eq!(whole::<i16>("-500", current, 1000), Ok(-500));
        assert_eq!(
            whole::<u16>("5,5", RATE, 50),
            Err("“5,5” is not a whole number (digits only, like 40): the rate stays 50 Hz.".into())
        );
        assert_eq!(
            whole::<i16>("abc", current, 1000),
            Err(
                "“abc” is not a whole number (like 500 or -500): stage 2's current stays 1000 ‰."
                    .into()
            )
        );
        for typed in ["3.5", "1e3", "99999999999999999999"] {
            let refused = whole::<u16>(typed, RATE, 50).unwrap_err();
            assert!(
                refused.contains(typed) && refused.ends_with("stays 50 Hz."),
                "{refused}"
            );
        }
        assert_eq!(
            whole::<u16>("-1", RATE, 50),
            Err("“-1” is outside 1–10000: the rate stays 50 Hz.".into())
        );
        assert_eq!(
            whole::<u16>("20000", RATE, 50),
            Err("“20000” is outside 1–10000: the rate stays 50 Hz.".into())
        );
        let share = Limits {
            what: "E4's share",
            unit: " %",
            range: (1, 100),
        };
        assert_eq!(
            whole::<u8>("", share, 50),
            Err(
                "An empty box is not a whole number (digits only, like 40): E4's share stays 50 %."
                    .into()
            )
        );
        assert_eq!(capitalised("the rate"), "The rate");
    }
}
