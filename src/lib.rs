//! SCS Studio, the browser app: a shell with three modes (Learn, Train, Device).
//!
//! Everything lives behind this library so that browser tests can mount any component;
//! `main.rs` only mounts [`App`].

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;

pub mod body_map;
pub mod device;
pub mod field_solve;
pub mod i18n;
pub mod learn;
pub mod modes;
pub mod notice;
pub mod oscilloscope;
pub mod shell;
pub mod storage;
pub mod train;
pub mod transport;

/// The whole app: header and navigation, the first-visit notice, one route per mode, footer.
#[component]
pub fn App() -> impl IntoView {
    i18n::provide_language();
    view! {
        <Router>
            <shell::SkipLink/>
            <shell::Header/>
            <notice::FirstVisitNotice/>
            <main id="main" class="main" tabindex="-1">
                <Routes fallback=modes::NotFound>
                    <Route path=path!("/") view=|| view! { <Redirect path="/learn"/> }/>
                    <Route path=path!("/learn") view=modes::learn::LearnMode/>
                    <Route path=path!("/train") view=modes::train::TrainMode/>
                    <Route path=path!("/device") view=modes::device::DeviceMode/>
                </Routes>
            </main>
            <shell::Footer/>
        </Router>
    }
}
