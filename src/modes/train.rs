//! Train mode: lead placement, contact programming, field and scenarios for clinicians.

use leptos::prelude::*;
use stim_core::contacts::{ContactName, Polarity, CONTACT_SLOTS};
use stim_core::lead::LeadKind;
use stim_core::presets;
use stim_core::program::{Program, ProgramSet};

use crate::oscilloscope::Oscilloscope;

/// The therapies a trainee can start from: (label, program).
pub fn therapies() -> [(&'static str, Program); 5] {
    [
        ("Tonic 50 Hz, bipole", presets::tonic_bipole()),
        ("Tonic, guarded cathode (+ − +)", presets::guarded_cathode()),
        (
            "Burst (5 × 1 ms at 500 Hz, 40 Hz)",
            presets::classic_burst(),
        ),
        ("10 kHz, 30 µs", presets::ten_khz()),
        ("Custom train (asymmetric)", presets::custom_asymmetric()),
    ]
}

/// The clinician's programming bench.
#[component]
pub fn TrainMode() -> impl IntoView {
    let (therapy, set_therapy) = signal(0usize);
    let program = Memo::new(move |_| therapies()[therapy.get()].1.clone());
    let set = Signal::derive(move || ProgramSet::new(LeadKind::Percutaneous8, &[program.get()]));
    let contacts = move || {
        let p = program.get();
        (0..CONTACT_SLOTS)
            .filter(|&slot| p.electrodes.contacts[slot].polarity != Polarity::Off)
            .collect::<Vec<_>>()
    };
    // Probe the first cathode: where the fibres are excited.
    let (probe, set_probe) = signal(None::<usize>);
    let contact = Signal::derive(move || {
        probe.get().unwrap_or_else(|| {
            let p = program.get();
            (0..CONTACT_SLOTS)
                .find(|&s| p.electrodes.contacts[s].polarity == Polarity::Cathode)
                .unwrap_or(0)
        })
    });
    view! {
        <section class="mode" data-testid="mode-train" aria-labelledby="train-title">
            <h1 id="train-title">"Train"</h1>
            <p class="lead">"Place leads over T6–L1, program the contacts, see the field and the fibres it recruits."</p>
            <div class="controls">
                <label>
                    "Therapy "
                    <select data-testid="therapy" on:change=move |ev| {
                        set_probe.set(None);
                        set_therapy.set(event_target_value(&ev).parse().unwrap_or(0));
                    }>
                        {therapies().into_iter().enumerate().map(|(i, (label, _))| view! { <option value=i.to_string()>{label}</option> }).collect_view()}
                    </select>
                </label>
                <label>
                    "Contact "
                    <select data-testid="probe" on:change=move |ev| set_probe.set(event_target_value(&ev).parse().ok())>
                        {move || contacts().into_iter().map(|slot| view! {
                            <option value=slot.to_string() selected=move || contact.get() == slot>{ContactName(slot).to_string()}</option>
                        }).collect_view()}
                    </select>
                </label>
            </div>
            <Oscilloscope set=set contact=contact/>
        </section>
    }
}
