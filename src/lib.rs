//! SCS Studio, the browser app: a shell with three modes (Learn, Train, Device).
//!
//! Everything lives behind this library so that browser tests can mount any component;
//! `main.rs` only mounts [`App`].

use leptos::prelude::*;

use route::Page;

pub mod body_map;
pub mod device;
pub mod field_solve;
pub mod focus;
pub mod i18n;
pub mod learn;
pub mod modes;
pub mod notice;
pub mod oscilloscope;
pub mod route;
pub mod shell;
pub mod storage;
pub mod train;
pub mod transport;

/// The whole app: header and navigation, the first-visit notice, the page of the address,
/// footer.
#[component]
pub fn App() -> impl IntoView {
    i18n::provide_language();
    let route = route::provide_route();
    view! {
        <shell::SkipLink/>
        <shell::Header/>
        <notice::FirstVisitNotice/>
        <main id="main" class="main" tabindex="-1">
            {move || match route.page() {
                Page::Learn => view! { <modes::learn::LearnMode/> }.into_any(),
                Page::Train => view! { <modes::train::TrainMode/> }.into_any(),
                Page::Device => view! { <modes::device::DeviceMode/> }.into_any(),
                Page::NotFound => view! { <modes::NotFound/> }.into_any(),
            }}
        </main>
        <shell::Footer/>
    }
}
