//! The leads' controls: the first lead's kind, a second lead (none, 1 × 8 or 1 × 16), and
//! each lead's level, offset from the midline and stagger along the cord. Every control
//! works from the keyboard (a select, or a slider moved by the arrow keys). A pair the
//! stimulator cannot drive is refused in words and nothing changes.

use leptos::prelude::*;
use spine_field::anatomy::LEVELS;

use super::placement::{Kind, Placement, MAX_OFFSET_MM, MAX_SHIFT_MM};

/// Sets a select back to `value` (after a refused choice, whose signal did not change).
fn restore(ev: &web_sys::Event, value: &str) {
    if let Some(target) = ev.target() {
        let _ = js_sys::Reflect::set(&target, &"value".into(), &value.into());
    }
}

/// The controls of the leads in `placement`.
#[component]
pub fn LeadsPanel(
    /// Where the leads lie.
    #[prop(into)]
    placement: Signal<Placement>,
    /// Called with a new placement the user chose.
    on_place: Callback<Placement>,
    /// Called with the words of a refused choice.
    on_refuse: Callback<String>,
) -> impl IntoView {
    let choose = move |ev: web_sys::Event, index: usize| {
        let kind = Kind::from_code(&event_target_value(&ev));
        let now = placement.get_untracked();
        match now.with_kind(index, kind) {
            Ok(p) => on_place.run(p),
            Err(refusal) => {
                let code = now.lead(index).map_or("none", |l| l.kind.code());
                restore(&ev, code);
                on_refuse.run(refusal.to_string());
            }
        }
    };
    let lead = move |index: usize| {
        let number = index + 1;
        // Lead 1's test ids are those of the one-lead page ("lead-level"); lead 2's "lead-2-level".
        let id = if index == 0 { "lead" } else { "lead-2" };
        let at = move || placement.get().lead(index);
        let place = move |level: Option<usize>, shift: Option<i32>, offset: Option<i32>| {
            let now = placement.get_untracked();
            if let Some(l) = now.lead(index) {
                on_place.run(now.moved(
                    index,
                    level.unwrap_or(l.level),
                    shift.unwrap_or(l.shift_mm),
                    offset.unwrap_or(l.offset_mm),
                ));
            }
        };
        let mm = |ev: &web_sys::Event| event_target_value(ev).parse::<i32>().ok();
        view! {
            <Show when=move || at().is_some()>
                <fieldset class="lead-place" data-testid=format!("{id}-place")>
                    <legend>{format!("Lead {number}")}</legend>
                    <label>"Middle at"
                        <select data-testid=format!("{id}-level") prop:value=move || at().map_or(0, |l| l.level).to_string()
                            on:change=move |ev| place(event_target_value(&ev).parse().ok(), None, None)>
                            {LEVELS.iter().enumerate().map(|(i, name)| view! { <option value=i.to_string()>{*name}</option> }).collect_view()}
                        </select>
                    </label>
                    <label>{move || format!("Offset from the midline: {} mm", at().map_or(0, |l| l.offset_mm))}
                        <input type="range" min=-MAX_OFFSET_MM max=MAX_OFFSET_MM step="1" data-testid=format!("{id}-offset")
                            prop:value=move || at().map_or(0, |l| l.offset_mm).to_string()
                            on:change=move |ev| place(None, None, mm(&ev))/>
                    </label>
                    <label>{move || format!("Stagger along the cord: {} mm", at().map_or(0, |l| l.shift_mm))}
                        <input type="range" min=-MAX_SHIFT_MM max=MAX_SHIFT_MM step="1" data-testid=format!("{id}-shift")
                            prop:value=move || at().map_or(0, |l| l.shift_mm).to_string()
                            on:change=move |ev| place(None, mm(&ev), None)/>
                    </label>
                </fieldset>
            </Show>
        }
    };
    view! {
        <div class="controls">
            <label>"Lead 1"
                <select data-testid="lead-kind" prop:value=move || placement.get().first().kind.code()
                    on:change=move |ev| choose(ev, 0)>
                    {Kind::ALL.map(|k| view! { <option value=k.code()>{k.label()}</option> }).collect_view()}
                </select>
            </label>
            <label>"Second lead"
                <select data-testid="lead-2-kind" prop:value=move || placement.get().lead(1).map_or("none", |l| l.kind.code())
                    on:change=move |ev| choose(ev, 1)>
                    <option value="none">"None"</option>
                    {[Kind::Percutaneous8, Kind::Percutaneous16].map(|k| view! { <option value=k.code()>{k.label()}</option> }).collect_view()}
                </select>
            </label>
        </div>
        {lead(0)}
        {lead(1)}
    }
}
