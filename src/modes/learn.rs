//! Learn mode: the patient's journey before an SCS trial, and the virtual remote.

use leptos::prelude::*;

/// The landing mode for patients.
#[component]
pub fn LearnMode() -> impl IntoView {
    view! {
        <section class="mode" data-testid="mode-learn" aria-labelledby="learn-title">
            <h1 id="learn-title">"Learn"</h1>
            <p class="lead">"What spinal cord stimulation is, and what happens at the trial."</p>
            <p>
                "A spinal cord stimulator sends mild electrical pulses to the spinal cord. Many people then feel a soft tingling instead of pain. The guided journey and the practice remote arrive here soon."
            </p>
        </section>
    }
}
