//! Browser tests of the app shell: navigation between modes and the first-visit notice.

use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::task::tick;
use scs_studio::{notice, shell, App};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element in the page to mount into, with the address reset to `/`.
fn fresh_root() -> HtmlElement {
    let window = web_sys::window().unwrap();
    window
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/"))
        .unwrap();
    let document = document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    root.unchecked_into()
}

/// Lets the page run for `ms` milliseconds (timers, router transitions, effects).
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Waits (at most 2 s) until `test_id` is present in `root`, and returns it.
async fn until_present(root: &HtmlElement, test_id: &str) -> Option<HtmlElement> {
    for _ in 0..200 {
        tick().await;
        if let Some(found) = find(root, test_id) {
            return Some(found);
        }
        sleep(10).await;
    }
    None
}

fn find(root: &HtmlElement, test_id: &str) -> Option<HtmlElement> {
    root.query_selector(&format!("[data-testid='{test_id}']"))
        .unwrap()
        .map(|e| e.unchecked_into())
}

#[wasm_bindgen_test]
async fn navigation_switches_mode_and_marks_the_current_link() {
    let root = fresh_root();
    let _dispose = mount_to(root.clone(), App);
    assert!(
        until_present(&root, "mode-learn").await.is_some(),
        "/ opens Learn"
    );
    let path = web_sys::window().unwrap().location().pathname().unwrap();
    assert_eq!(path, "/learn", "/ redirects to Learn's own URL");

    for mode in ["train", "device", "learn"] {
        find(&root, &format!("nav-{mode}")).unwrap().click();
        assert!(
            until_present(&root, &format!("mode-{mode}"))
                .await
                .is_some(),
            "{mode} is shown"
        );
        let path = web_sys::window().unwrap().location().pathname().unwrap();
        assert_eq!(path, format!("/{mode}"), "each mode has its own URL");
        let current = root
            .query_selector("a[aria-current='page']")
            .unwrap()
            .unwrap();
        assert_eq!(
            current.get_attribute("data-testid").unwrap(),
            format!("nav-{mode}")
        );
        let others = ["learn", "train", "device"]
            .into_iter()
            .filter(|m| *m != mode);
        for other in others {
            assert!(
                find(&root, &format!("mode-{other}")).is_none(),
                "{other} is hidden"
            );
        }
    }
}

#[wasm_bindgen_test]
async fn notice_shows_until_acknowledged_and_is_remembered() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.remove_item(notice::ACKNOWLEDGED_KEY).unwrap();

    // The notice and footer are mounted without the router: a disposed Router leaves its
    // window click handler behind, so each test page mounts the whole App only once.
    let shell_parts = || view! { <notice::FirstVisitNotice/> <shell::Footer/> };
    let root = fresh_root();
    let dispose = mount_to(root.clone(), shell_parts);
    until_present(&root, "notice-ok")
        .await
        .expect("first visit shows the notice")
        .click();
    tick().await;
    assert!(
        find(&root, "first-visit-notice").is_none(),
        "acknowledging hides it"
    );
    assert_eq!(
        storage
            .get_item(notice::ACKNOWLEDGED_KEY)
            .unwrap()
            .as_deref(),
        Some("1")
    );
    drop(dispose);

    let again = fresh_root();
    let _dispose = mount_to(again.clone(), shell_parts);
    tick().await;
    assert!(
        find(&again, "first-visit-notice").is_none(),
        "a later visit does not show it"
    );
    assert!(
        again
            .text_content()
            .unwrap()
            .contains("not a medical device"),
        "the footer always says it"
    );
}
