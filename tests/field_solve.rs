//! Field solves where no worker can load: the test runner serves no field worker, so the
//! pool gives up and says so, and the page does not solve on its own (the solver lives
//! only in the worker's bundle). The workers themselves are tested end to end
//! (tests/e2e/field-workers.test.mjs).

use scs_studio::field_solve::{solve, unavailable};
use spine_field::lead::{Lead, LeadKind};
use spine_field::model::Resolution;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn without_a_worker_script_no_field_comes_and_the_page_can_say_why() {
    let lead = Lead::at(LeadKind::PERCUTANEOUS_8, 2);
    let outcome = solve(vec![lead], Resolution::COARSE, || false, |_, _| {}).await;
    assert!(outcome.is_none());
    assert!(unavailable(), "the page knows the workers cannot run here");
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .unwrap();
    assert_eq!(
        root.get_attribute("data-field-solve").as_deref(),
        Some("unavailable")
    );
}
