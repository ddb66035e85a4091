//! Train mode: place the leads, program their contacts, see the field, the fibres it fires
//! and where the patient would feel it, under stim-core's safety rules; work through scored
//! scenarios. The page owns the state and lays out the panels (`crate::train`); a URL
//! restores the bench, the scenario and the section.

use leptos::prelude::*;
use stim_core::impedance::ImpedanceModel;

use crate::oscilloscope::Oscilloscope;
use crate::train::areas_panel::AreasPanel;
use crate::train::contacts_panel::ContactsPanel;
use crate::train::editing::Editor;
use crate::train::field_panel::FieldPanel;
use crate::train::fields::Fields;
use crate::train::impedance_panel::ImpedanceCheck;
use crate::train::leads_panel::LeadsPanel;
use crate::train::link::Link;
use crate::train::placement::Placement;
use crate::train::pulse_panel::PulsePanel;
use crate::train::response::Response;
use crate::train::scenario_panel::ScenarioPanel;
use crate::train::scenarios::SCENARIOS;
use crate::train::spine_view::SpineView;

/// The clinician's programming bench.
#[component]
pub fn TrainMode() -> impl IntoView {
    let opened = Link::from_query(&crate::route::query());
    let scenario = RwSignal::new(opened.scenario);
    let plane = RwSignal::new(opened.plane);
    // A scenario's story sets the contacts' impedances and may fix the leads.
    let impedance = Signal::derive(move || {
        scenario
            .get()
            .map_or_else(ImpedanceModel::default, |s| (SCENARIOS[s].impedance)())
    });
    let editor = Editor::new(opened.bench, impedance);
    let bench = editor.bench;
    let fields = Fields::follow(bench);
    let response = Response::of(editor, fields);
    let locked = Signal::derive(move || scenario.get().is_some_and(|s| SCENARIOS[s].locked));
    // The scenario's painful area, as body map regions.
    let painful = Signal::derive(move || {
        scenario
            .get()
            .map(|s| SCENARIOS[s].painful())
            .unwrap_or_default()
    });
    let query = move || {
        Link {
            bench: bench.get(),
            scenario: scenario.get(),
            plane: plane.get(),
        }
        .to_query()
    };
    // The URL mirrors the screen, so a copied address restores it.
    Effect::new(move |_| {
        let url = format!("/train?{}", query());
        if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    });
    let share = move || {
        let origin = web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default();
        format!("{origin}/train?{}", query())
    };
    let place = Callback::new(move |p: Placement| editor.edit(|b| b.set_placement(p)));

    view! {
        <section class="mode train" data-testid="mode-train" aria-labelledby="train-title">
            <h1 id="train-title">"Train"</h1>
            <p class="lead">"Place the leads over T6–L1, program their contacts, and see the field, the fibres it fires and where the patient would feel it."</p>
            <div class="panel">
                <ScenarioPanel editor=editor scenario=scenario fields=fields response=response painful=painful/>
            </div>
            <div class="train-grid">
                <div class="panel spine-panel">
                    <h2>"Spine and field"</h2>
                    <SpineView bench=bench dragging=fields.preview.dragging locked=locked on_place=place
                        on_cycle=Callback::new(move |slot| editor.edit(|b| b.cycle(slot))) field=fields.shown fired=response.fired/>
                    <p class="note" data-testid="preview-ready">{move || fields.preview_readiness()}</p>
                </div>
                <div class="panel">
                    <h2>"Leads"</h2>
                    {move || scenario.get().and_then(|s| SCENARIOS[s].fixed_words()).map(|words| view! { <p class="note" data-testid="lead-locked">{words}</p> })}
                    // A fieldset's `disabled` disables every control in it: leads the story fixes.
                    <fieldset class="plain" disabled=locked>
                        <LeadsPanel placement=Signal::derive(move || bench.with(|b| b.placement)) on_place=place
                            on_refuse=Callback::new(move |why: String| editor.hold(why))/>
                    </fieldset>
                    <ImpedanceCheck placement=Signal::derive(move || bench.with(|b| b.placement)) impedance=impedance/>
                    <AreasPanel editor=editor/>
                    <ContactsPanel editor=editor/>
                    <PulsePanel editor=editor/>
                    <label class="field wide">"Link to this bench"
                        <input type="text" readonly data-testid="share-link" prop:value=share/>
                    </label>
                </div>
                <div class="panel">
                    <FieldPanel bench=bench fields=fields response=response plane=plane painful=painful/>
                </div>
            </div>
            <div class="panel">
                <h2>"Pulses"</h2>
                <Oscilloscope set=Signal::derive(move || bench.with(|b| b.program_set())) refused=editor.refusal/>
            </div>
        </section>
    }
}
