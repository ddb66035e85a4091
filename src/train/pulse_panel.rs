//! The pulses: the waveform and its timing (rate, pulse width, bursts, a custom train's
//! stages), soft start and the amplitude, stim-core's verdict on the program in words, and
//! undo and redo. A step up the amplitude that stim-core would refuse is not taken.

use leptos::prelude::*;
use stim_core::program::MAX_STAGES;
use stim_core::safety::HARDWARE_MAX_UA;

use super::bench::{waveforms, Bench, BURST, CUSTOM};
use super::editing::Editor;
use super::number_field::NumberField;

/// The amplitude's step, µA.
const STEP_UA: u32 = 100;

/// A setting's box: its label, its name in a refusal, its unit, its test id and the
/// values its type holds (the clinical limits are stim-core's, and it says them).
struct Setting {
    label: Signal<String>,
    what: &'static str,
    unit: &'static str,
    testid: &'static str,
    range: (i64, i64),
}

impl Setting {
    /// The setting with a label that does not change.
    fn fixed(
        label: &'static str,
        what: &'static str,
        unit: &'static str,
        testid: &'static str,
        range: (i64, i64),
    ) -> Setting {
        Setting {
            label: Signal::derive(move || label.to_string()),
            what,
            unit,
            testid,
            range,
        }
    }

    /// Its number box on `editor`'s bench: `get` reads the value, `set` writes it.
    fn view<T>(self, editor: Editor, get: fn(&Bench) -> T, set: fn(&mut Bench, T)) -> impl IntoView
    where
        T: std::str::FromStr + std::fmt::Display + Clone + Send + Sync + 'static,
    {
        view! {
            <NumberField label=self.label what=self.what unit=self.unit testid=self.testid.to_string() range=self.range
                value=Signal::derive(move || editor.bench.with(get))
                on_value=Callback::new(move |v: T| editor.edit(|b| set(b, v)))
                on_refuse=Callback::new(move |why| editor.hold(why))/>
        }
    }
}

/// The waveform, its timing, the amplitude and undo/redo.
#[component]
pub fn PulsePanel(
    /// The bench's editor.
    editor: Editor,
) -> impl IntoView {
    let bench = editor.bench;
    let waveform = move || bench.with(|b| b.waveform);
    let rate_label = Signal::derive(move || {
        match waveform() {
            BURST => "Bursts per second (Hz)",
            CUSTOM => "Trains per second (Hz)",
            _ => "Rate (Hz)",
        }
        .to_string()
    });
    let up = move |_| {
        // As a programmer does: a step stim-core would refuse is not taken, and says why.
        editor.checked(
            |b| b.amplitude_ua = (b.amplitude_ua + STEP_UA).min(HARDWARE_MAX_UA),
            move |e| {
                let next = (bench.get_untracked().amplitude_ua + STEP_UA).min(HARDWARE_MAX_UA);
                format!("Not raised to {:.1} mA: {e}", next as f64 / 1_000.0)
            },
        )
    };
    view! {
        <h2>"Waveform and amplitude"</h2>
        <div class="controls">
            <label>"Waveform"
                <select data-testid="waveform" prop:value=move || waveform().to_string()
                    on:change=move |ev| if let Ok(w) = event_target_value(&ev).parse() { editor.edit(move |b| b.set_waveform(w)) }>
                    {waveforms().into_iter().enumerate().map(|(i, (label, _, _))| view! { <option value=i.to_string()>{label}</option> }).collect_view()}
                </select>
            </label>
            {Setting { label: rate_label, ..Setting::fixed("", "the rate", " Hz", "wave-rate", (1, u16::MAX as i64)) }
                .view(editor, |b| b.rate_hz, |b, v| b.rate_hz = v)}
            <Show when=move || waveform() != CUSTOM>
                {Setting::fixed("Pulse width (µs)", "the pulse width", " µs", "wave-width", (1, 100_000)).view(editor, |b| b.width_us, |b, v| b.width_us = v)}
            </Show>
            <Show when=move || waveform() == BURST>
                {Setting::fixed("Pulses per burst", "the pulses per burst", "", "burst-pulses", (1, u8::MAX as i64)).view(editor, |b| b.burst_pulses, |b, v| b.burst_pulses = v)}
                {Setting::fixed("Rate within a burst (Hz)", "the rate within a burst", " Hz", "burst-intra", (1, u16::MAX as i64)).view(editor, |b| b.intra_rate_hz, |b, v| b.intra_rate_hz = v)}
            </Show>
            <Show when=move || waveform() == CUSTOM>
                <StageEditor editor=editor/>
            </Show>
            {Setting::fixed("Soft start (ms)", "the soft start", " ms", "soft-start", (0, 600_000)).view(editor, |b| b.soft_start_ms, |b, v| b.soft_start_ms = v)}
            <div class="amplitude" role="group" aria-label=move || bench.with(|b| match b.areas.len() {
                1 => "Amplitude".to_string(),
                _ => format!("Amplitude of program {}", b.active + 1),
            })>
                <button class="button" data-testid="train-amp-down" aria-label="Amplitude down 0.1 mA"
                    on:click=move |_| editor.edit(|b| b.amplitude_ua = b.amplitude_ua.saturating_sub(STEP_UA))>"−"</button>
                <output data-testid="train-amplitude" aria-live="polite">{move || format!("{:.1} mA", bench.with(|b| b.amplitude_ua) as f64 / 1_000.0)}</output>
                <button class="button" data-testid="train-amp-up" aria-label="Amplitude up 0.1 mA" on:click=up>"+"</button>
            </div>
        </div>
        <p class="refusal" role="alert" data-testid="train-refusal">{move || editor.words()}</p>
        <div class="controls">
            <button class="button" data-testid="undo" disabled=move || !editor.can().0 on:click=move |_| editor.undo()>"Undo"</button>
            <button class="button" data-testid="redo" disabled=move || !editor.can().1 on:click=move |_| editor.redo()>"Redo"</button>
        </div>
    }
}

/// The custom train's stages: each one's duration and current (‰ of the amplitude, −
/// reversed, 0 a gap), added and removed; stim-core checks the whole train.
#[component]
fn StageEditor(
    /// The bench's editor.
    editor: Editor,
) -> impl IntoView {
    let bench = editor.bench;
    let count = move || bench.with(|b| b.stages.len());
    let stage = move |i: usize| {
        let label = move |what: &str| format!("Stage {}: {what}", i + 1);
        view! {
            <div class="stage" role="group" aria-label=format!("Stage {}", i + 1)>
                <NumberField label=label("µs") what=format!("stage {}'s duration", i + 1) unit=" µs"
                    testid=format!("stage-{i}-duration") range=(1, 1_000_000)
                    value=Signal::derive(move || bench.with(|b| b.stages.get(i).map_or(0, |s| s.duration_us)))
                    on_value=Callback::new(move |v| editor.edit(|b| if let Some(s) = b.stages.get_mut(i) { s.duration_us = v }))
                    on_refuse=Callback::new(move |why| editor.hold(why))/>
                <NumberField label=label("‰") what=format!("stage {}'s current", i + 1) unit=" ‰"
                    testid=format!("stage-{i}-current") range=(-1_000, 1_000)
                    value=Signal::derive(move || bench.with(|b| b.stages.get(i).map_or(0, |s| s.amplitude_permille)))
                    on_value=Callback::new(move |v| editor.edit(|b| if let Some(s) = b.stages.get_mut(i) { s.amplitude_permille = v }))
                    on_refuse=Callback::new(move |why| editor.hold(why))/>
                <button class="button" data-testid=format!("stage-{i}-remove") aria-label=format!("Remove stage {}", i + 1)
                    disabled=move || count() == 1 on:click=move |_| editor.edit(|b| b.remove_stage(i))>"Remove"</button>
            </div>
        }
    };
    view! {
        <fieldset class="stages" data-testid="stages">
            <legend>"Stages of the train"</legend>
            <p class="note">"Each stage follows the last. Current is in ‰ of the amplitude: 1000 as programmed, negative reversed (recharge), 0 a gap. The charges must balance."</p>
            {move || (0..count()).map(stage).collect_view()}
            <button class="button" data-testid="stage-add" disabled={move || count() >= MAX_STAGES}
                on:click=move |_| editor.edit(Bench::add_stage)>"Add stage"</button>
        </fieldset>
    }
}
