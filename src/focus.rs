//! Keeping the keyboard where the user left it: a control drawn anew after a change (a
//! contact on the spine picture, a contact button) gets the focus back, so a key pressed
//! again acts on the same control.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Puts the keyboard on the element marked `data-testid=testid` once the page is drawn
/// anew (an HTML control or an SVG one).
pub fn refocus(testid: String) {
    request_animation_frame(move || {
        let Some(element) = document()
            .query_selector(&format!("[data-testid=\"{testid}\"]"))
            .ok()
            .flatten()
        else {
            return;
        };
        if let Some(html) = element.dyn_ref::<web_sys::HtmlElement>() {
            let _ = html.focus();
        } else if let Some(svg) = element.dyn_ref::<web_sys::SvgElement>() {
            let _ = svg.focus();
        }
    });
}
