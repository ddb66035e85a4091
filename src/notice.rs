//! The first-visit notice: SCS Studio is an education and demo tool, not a medical device.

use leptos::prelude::*;

use crate::storage;

/// Local-storage key that remembers the visitor has read the notice.
pub const ACKNOWLEDGED_KEY: &str = "scs-studio.notice-acknowledged";

/// Shown until the visitor acknowledges it; the acknowledgement is remembered in this browser.
#[component]
pub fn FirstVisitNotice() -> impl IntoView {
    let (acknowledged, set_acknowledged) = signal(storage::get(ACKNOWLEDGED_KEY).is_some());
    let acknowledge = move |_| {
        // If storage is unavailable the notice simply shows again next visit.
        storage::set(ACKNOWLEDGED_KEY, "1");
        set_acknowledged.set(true);
    };
    view! {
        <Show when=move || !acknowledged.get()>
            <section class="notice" role="region" aria-labelledby="notice-title" data-testid="first-visit-notice">
                <h2 id="notice-title">"Before you start"</h2>
                <p>
                    "SCS Studio is an education and demo tool. It is "
                    <strong>"not a medical device"</strong>
                    ". It does not diagnose, treat or give medical advice. The dev board it can control drives lights and test pins only, never a person. Ask your care team about your own treatment."
                </p>
                <button class="button primary" on:click=acknowledge data-testid="notice-ok">
                    "I understand"
                </button>
            </section>
        </Show>
    }
}
