//! The first-visit notice: SCS Studio is for learning, not a medical device, in the
//! reader's language and in plain words (the dev board is named only on the Device page).

use leptos::prelude::*;

use crate::i18n::{t, tr, Text};
use crate::route::{Page, Route};
use crate::storage;

const TITLE: Text = t("Before you start", "Antes de empezar");
const NOT: Text = t(
    "SCS Studio is for learning only. It is ",
    "SCS Studio es solo para aprender. ",
);
const DEVICE: Text = t("not a medical device", "No es un dispositivo médico");
const ADVICE: Text = t(
    ". It cannot tell what is wrong with you or treat you, and it gives no medical advice. Ask your care team about your own treatment.",
    ". No puede decir qué le pasa ni tratarle, y no da consejos médicos. Pregunte a su equipo médico sobre su tratamiento.",
);
const BOARD: Text = t(
    "The dev board it can control drives lights and test pins only, never a person.",
    "La placa de desarrollo que puede controlar solo mueve luces y pines de prueba, nunca a una persona.",
);
const OK: Text = t("I understand", "Entendido");

/// Local-storage key that remembers the visitor has read the notice.
pub const ACKNOWLEDGED_KEY: &str = "scs-studio.notice-acknowledged";

/// Shown until the visitor acknowledges it; the acknowledgement is remembered in this browser.
#[component]
pub fn FirstVisitNotice() -> impl IntoView {
    let (acknowledged, set_acknowledged) = signal(storage::get(ACKNOWLEDGED_KEY).is_some());
    // Tests may mount the notice without a route: then it is no Device page.
    let route = use_context::<Route>();
    let on_device = move || route.is_some_and(|r| r.page() == Page::Device);
    let acknowledge = move |_| {
        // If storage is unavailable the notice simply shows again next visit.
        storage::set(ACKNOWLEDGED_KEY, "1");
        set_acknowledged.set(true);
    };
    view! {
        <Show when=move || !acknowledged.get()>
            <section class="notice" role="region" aria-labelledby="notice-title" data-testid="first-visit-notice">
                <h2 id="notice-title">{tr(TITLE)}</h2>
                <p>{tr(NOT)}<strong>{tr(DEVICE)}</strong>{tr(ADVICE)}</p>
                <p hidden=move || !on_device()>{tr(BOARD)}</p>
                <button class="button primary" on:click=acknowledge data-testid="notice-ok">
                    {tr(OK)}
                </button>
            </section>
        </Show>
    }
}
