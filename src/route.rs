//! The app's addresses: one path per mode (`/learn`, `/train`, `/device`), kept in the
//! address bar with the History API, so a mode's URL can be shared, reloaded and reached
//! with Back and Forward. Three fixed paths need no router crate: leptos_router cost the
//! main bundle 41 KB gzip (409.4 → 368.4 KB when it was dropped, `cargo xtask test --only
//! bundle`), a tenth of the budget.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

/// What an address shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    /// The patient's journey and remote (also `/`).
    Learn,
    /// The clinician's bench.
    Train,
    /// The engineer's console.
    Device,
    /// Any other address.
    NotFound,
}

impl Page {
    /// The page at `path` (`/` is Learn; a trailing slash is the same page).
    pub fn of(path: &str) -> Page {
        match path.trim_end_matches('/') {
            "" | "/learn" => Page::Learn,
            "/train" => Page::Train,
            "/device" => Page::Device,
            _ => Page::NotFound,
        }
    }

    /// The page's own path.
    pub fn path(self) -> &'static str {
        match self {
            Page::Learn => "/learn",
            Page::Train => "/train",
            Page::Device => "/device",
            Page::NotFound => "/",
        }
    }
}

/// The page shown, in context (see [`provide_route`]).
#[derive(Clone, Copy)]
pub struct Route(RwSignal<Page>);

/// The window's address bar, if there is a window.
fn location() -> Option<web_sys::Location> {
    web_sys::window().map(|w| w.location())
}

/// Reads the address, gives `/` Learn's own URL, follows Back and Forward, and puts the
/// route in context.
pub fn provide_route() -> Route {
    let path = location()
        .and_then(|l| l.pathname().ok())
        .unwrap_or_default();
    let page = Page::of(&path);
    if page == Page::Learn && path != Page::Learn.path() {
        replace(Page::Learn.path());
    }
    let route = Route(RwSignal::new(page));
    let listener = window_event_listener(ev::popstate, move |_| {
        let path = location()
            .and_then(|l| l.pathname().ok())
            .unwrap_or_default();
        route.0.set(Page::of(&path));
    });
    on_cleanup(move || listener.remove());
    provide_context(route);
    route
}

/// Replaces the address without a new history entry.
fn replace(url: &str) {
    if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(url));
    }
}

impl Route {
    /// The route in context.
    ///
    /// # Panics
    /// Outside the app (no [`provide_route`] above).
    pub fn get() -> Route {
        expect_context()
    }

    /// The page shown (tracked).
    pub fn page(self) -> Page {
        self.0.get()
    }

    /// Shows `page` and adds it to the history (Back returns).
    pub fn go(self, page: Page) {
        if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = h.push_state_with_url(&JsValue::NULL, "", Some(page.path()));
        }
        self.0.set(page);
    }

    /// A link's click: shown here unless the user asked for a new tab or window.
    pub fn follow(self, page: Page, click: &web_sys::MouseEvent) {
        let elsewhere =
            click.ctrl_key() || click.meta_key() || click.shift_key() || click.alt_key();
        if !elsewhere && click.button() == 0 {
            click.prevent_default();
            self.go(page);
        }
    }
}

/// The value of `name` in the address's query string, as written (`?clock=step`).
pub fn query_param(name: &str) -> Option<String> {
    query()
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.split_once('=').filter(|(k, _)| *k == name))
        .map(|(_, v)| v.to_string())
}

/// The address's query string, with its `?` (empty without one).
pub fn query() -> String {
    location().and_then(|l| l.search().ok()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn each_mode_has_one_path_and_anything_else_is_not_found() {
        for page in [Page::Learn, Page::Train, Page::Device] {
            assert_eq!(Page::of(page.path()), page);
            assert_eq!(Page::of(&format!("{}/", page.path())), page);
        }
        assert_eq!(Page::of("/"), Page::Learn);
        assert_eq!(Page::of(""), Page::Learn);
        assert_eq!(Page::of("/trains"), Page::NotFound);
        assert_eq!(Page::of("/train/x"), Page::NotFound);
    }
}
