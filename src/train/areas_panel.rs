//! The bench's programs (areas): one button per program to edit it, with its amplitude,
//! and adding or removing one. The contacts, shares, amplitude and field below are the
//! edited program's; the waveform is every program's.

use leptos::prelude::*;
use stim_core::program::MAX_PROGRAMS;

use super::editing::Editor;
use crate::focus::refocus;

/// The programs and which one is edited.
#[component]
pub fn AreasPanel(
    /// The bench's editor.
    editor: Editor,
) -> impl IntoView {
    let bench = editor.bench;
    // Redrawn only when an amplitude or the edited program changes.
    let areas = Memo::new(move |_| {
        bench.with(|b| {
            let amplitudes: Vec<u32> = b.areas.iter().map(|a| a.amplitude_ua).collect();
            (amplitudes, b.active)
        })
    });
    let count = move || areas.with(|a| a.0.len());
    let buttons = move || {
        let (amplitudes, active) = areas.get();
        amplitudes
            .into_iter()
            .enumerate()
            .map(|(i, ua)| {
                let testid = format!("area-{}", i + 1);
                let focus = testid.clone();
                view! {
                    <button class="button area" aria-pressed=(i == active).to_string() data-testid=testid
                        on:click=move |_| {
                            editor.edit(|b| b.choose_area(i));
                            refocus(focus.clone());
                        }>
                        {format!("Program {} · {:.1} mA", i + 1, ua as f64 / 1_000.0)}
                    </button>
                }
            })
            .collect_view()
    };
    let add = move |_: web_sys::MouseEvent| {
        editor.checked(|b| b.add_area(), |why| format!("No program added: {why}"));
    };
    let remove = move |_: web_sys::MouseEvent| editor.edit(|b| b.remove_area());
    view! {
        <h2>"Programs"</h2>
        <div class="controls" role="group" aria-label="Programs">
            {buttons}
        </div>
        <div class="controls">
            <button class="button" data-testid="area-add" disabled={move || count() >= MAX_PROGRAMS} on:click=add>"Add a program"</button>
            <button class="button" data-testid="area-remove" disabled={move || count() <= 1} on:click=remove>
                {move || format!("Remove program {}", areas.with(|a| a.1) + 1)}
            </button>
        </div>
        <p class="note" data-testid="areas-note">{move || if count() >= MAX_PROGRAMS {
            format!("The stimulator runs at most {MAX_PROGRAMS} programs at once.")
        } else {
            "Each program has its own contacts and amplitude, so each can cover its own area at its own strength. They share the waveform and take turns in every period. The contacts, amplitude and field shown are the chosen program's.".into()
        }}</p>
    }
}
