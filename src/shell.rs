//! The frame around every mode: skip link, header with the mode navigation, footer.

use leptos::prelude::*;

use crate::route::{Page, Route};

/// The three modes, in navigation order: (page, label, one-line purpose).
pub const MODES: [(Page, &str, &str); 3] = [
    (Page::Learn, "Learn", "For patients before an SCS trial"),
    (
        Page::Train,
        "Train",
        "For clinicians learning to program leads",
    ),
    (Page::Device, "Device", "For engineers with a dev board"),
];

/// A link that lets keyboard users jump over the navigation to the content.
#[component]
pub fn SkipLink() -> impl IntoView {
    view! { <a class="skip-link" href="#main">"Skip to content"</a> }
}

/// The product name and the navigation between modes, the current one marked.
#[component]
pub fn Header() -> impl IntoView {
    let route = Route::get();
    view! {
        <header class="header">
            <a class="brand" href=Page::Learn.path() on:click=move |ev| route.follow(Page::Learn, &ev)>
                <span class="brand-mark" aria-hidden="true">"⚡"</span>
                "SCS Studio"
            </a>
            <nav class="mode-nav" aria-label="Modes">
                <ul>
                    {MODES
                        .iter()
                        .map(|&(page, label, purpose)| {
                            view! {
                                <li>
                                    <a href=page.path() title=purpose data-testid=format!("nav-{}", label.to_lowercase())
                                        aria-current=move || (route.page() == page).then_some("page")
                                        on:click=move |ev| route.follow(page, &ev)>
                                        {label}
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
            <p>
                "SCS Studio is an education and demo tool. It is not a medical device and gives no medical advice."
            </p>
        </footer>
    }
}
