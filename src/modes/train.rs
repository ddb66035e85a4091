//! Train mode: lead placement, contact programming, field and scenarios for clinicians.

use leptos::prelude::*;

/// The clinician's programming bench.
#[component]
pub fn TrainMode() -> impl IntoView {
    view! {
        <section class="mode" data-testid="mode-train" aria-labelledby="train-title">
            <h1 id="train-title">"Train"</h1>
            <p class="lead">"Place leads over T6–L1, program the contacts, see the field and the fibres it recruits."</p>
            <p>"The programming bench arrives here with the field model."</p>
        </section>
    }
}
