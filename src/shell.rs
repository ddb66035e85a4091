//! The frame around every mode: skip link, header with the mode navigation, footer.

use leptos::prelude::*;
use leptos_router::components::A;

/// The three modes, in navigation order: (path, label, one-line purpose).
pub const MODES: [(&str, &str, &str); 3] = [
    ("/learn", "Learn", "For patients before an SCS trial"),
    (
        "/train",
        "Train",
        "For clinicians learning to program leads",
    ),
    ("/device", "Device", "For engineers with a dev board"),
];

/// A link that lets keyboard users jump over the navigation to the content.
#[component]
pub fn SkipLink() -> impl IntoView {
    view! { <a class="skip-link" href="#main">"Skip to content"</a> }
}

/// The product name and the navigation between modes; the router marks the current one.
#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="header">
            <a class="brand" href="/learn">
                <span class="brand-mark" aria-hidden="true">"⚡"</span>
                "SCS Studio"
            </a>
            <nav class="mode-nav" aria-label="Modes">
                <ul>
                    {MODES
                        .iter()
                        .map(|&(href, label, purpose)| {
                            view! {
                                <li>
                                    <A href=href attr:title=purpose attr:data-testid=format!("nav-{}", label.to_lowercase())>
                                        {label}
                                    </A>
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
