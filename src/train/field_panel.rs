//! The field in detail and where it is felt: what is being done about the field, a section
//! of it (axial, sagittal or coronal), the body map with the painful area, and the virtual
//! patient's answer with the thresholds it comes from, the criterion that found them, and
//! the first fibre's strength–duration curve.

use leptos::prelude::*;
use spine_field::dermatomes::Side;
use spine_field::slice::Plane;

use super::bench::Bench;
use super::field_view::FieldView;
use super::fields::Fields;
use super::link::{section_code, section_named, SECTIONS};
use super::membrane::criterion_words;
use super::patient::Patient;
use super::response::Response;
use super::strength_duration::StrengthDuration;
use crate::body_map::BodyMap;

/// The field's section, the body map and the patient.
#[component]
pub fn FieldPanel(
    /// The bench shown.
    bench: RwSignal<Bench>,
    /// The field shown.
    fields: Fields,
    /// What the program does.
    response: Response,
    /// The section shown (a link restores it).
    plane: RwSignal<Plane>,
    /// The painful area (a scenario's target), as body-map regions.
    painful: Signal<Vec<(usize, Side)>>,
) -> impl IntoView {
    let patient = response.patient;
    view! {
        <h2>"Field"</h2>
        <p class="note" role="status" data-testid="field-status">{move || fields.status()}</p>
        <label class="field">"Section"
            <select data-testid="field-plane" prop:value=move || section_code(plane.get())
                on:change=move |ev| plane.set(section_named(&event_target_value(&ev)))>
                {SECTIONS.into_iter().map(|(_, code, words)| view! { <option value=code>{words}</option> }).collect_view()}
            </select>
        </label>
        <FieldView plane=plane.read_only() field=fields.shown bench=bench fired=response.fired/>
        <h2>"Where it is felt"</h2>
        <BodyMap felt=response.sensations() painful=painful/>
        <p class="patient-says" data-testid="patient-says" aria-live="polite">{move || patient.with(|p| match p {
            Ok(p) => format!("Patient: “{}”", p.says(&painful.get())),
            Err(message) => message.to_string(),
        })}</p>
        <p class="note" data-testid="patient-thresholds">{move || patient.with(|p| p.as_ref().map(Patient::thresholds).unwrap_or_default())}</p>
        <p class="note" data-testid="threshold-criterion" data-criterion=move || format!("{:?}", response.criterion.get()).to_ascii_lowercase()>
            {move || criterion_words(response.membrane.with(|m| m.as_ref().map(|m| (m.perception_ma, m.discomfort_ma))))}
        </p>
        <StrengthDuration curve=Signal::derive(move || response.membrane.with(|m| m.as_ref().map(|m| m.curve.clone()).unwrap_or_default()))/>
    }
}
