//! The three modes of the app, one module each, and the page for an unknown address.

use leptos::prelude::*;

pub mod device;
pub mod learn;
pub mod train;

/// Shown for an address that is no mode.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="mode" data-testid="not-found">
            <h1>"Page not found"</h1>
            <p>"This address is not part of SCS Studio. Choose Learn, Train or Device above."</p>
        </section>
    }
}
