//! The frame around every mode: skip link, header with the mode navigation, footer.

use leptos::prelude::*;

use crate::i18n::{t, tr, use_language, Text};
use crate::route::{Page, Route};

/// The three modes, in navigation order: (page, test name, label, one-line purpose).
pub const MODES: [(Page, &str, Text, Text); 3] = [
    (
        Page::Learn,
        "learn",
        t("Learn", "Aprender"),
        t(
            "For patients before an SCS trial",
            "Para pacientes antes de una prueba de estimulación",
        ),
    ),
    (
        Page::Train,
        "train",
        t("Train", "Formación"),
        t(
            "For clinicians learning to program leads (in English)",
            "Para personal clínico que aprende a programar (en inglés)",
        ),
    ),
    (
        Page::Device,
        "device",
        t("Device", "Dispositivo"),
        t(
            "For engineers with a test board (in English)",
            "Para ingenieros con una placa de prueba (en inglés)",
        ),
    ),
];

const SKIP: Text = t("Skip to content", "Saltar al contenido");
const NAV: Text = t("Modes", "Modos");
const FOOTER: Text = t(
    "SCS Studio is for learning only. It is not a medical device and gives no medical advice.",
    "SCS Studio es solo para aprender. No es un dispositivo médico y no da consejos médicos.",
);

/// A link that lets keyboard users jump over the navigation to the content.
#[component]
pub fn SkipLink() -> impl IntoView {
    view! { <a class="skip-link" href="#main">{tr(SKIP)}</a> }
}

/// The product name and the navigation between modes, the current one marked.
#[component]
pub fn Header() -> impl IntoView {
    let route = Route::get();
    let lang = use_language();
    view! {
        <header class="header">
            <a class="brand" href=Page::Learn.path() on:click=move |ev| route.follow(Page::Learn, &ev)>
                <span class="brand-mark" aria-hidden="true">"⚡"</span>
                "SCS Studio"
            </a>
            <nav class="mode-nav" aria-label=tr(NAV)>
                <ul>
                    {MODES
                        .iter()
                        .map(|&(page, name, label, purpose)| {
                            view! {
                                <li>
                                    <a href=page.path() title=move || purpose.get(lang.get()) data-testid=format!("nav-{name}")
                                        aria-current=move || (route.page() == page).then_some("page")
                                        on:click=move |ev| route.follow(page, &ev)>
                                        {move || label.get(lang.get())}
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
        </header>
    }
}

/// The footer repeats the one thing nobody may miss: this is not a medical device.
#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="footer">
            <p>{tr(FOOTER)}</p>
        </footer>
    }
}
