//! Device mode: connect the virtual device or a dev board, program it, watch telemetry.

use leptos::prelude::*;

/// The engineer's console.
#[component]
pub fn DeviceMode() -> impl IntoView {
    view! {
        <section class="mode" data-testid="mode-device" aria-labelledby="device-title">
            <h1 id="device-title">"Device"</h1>
            <p class="lead">"Control the virtual device, or an nRF52840-DK over Web Bluetooth from Chrome."</p>
            <p>"The console arrives here with the protocol."</p>
        </section>
    }
}
