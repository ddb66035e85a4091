//! Field solves in the page: sliced between yields, equal to a solve in one call, and
//! dropped when a newer placement makes them stale. The test runner serves no field
//! worker, so these are the fallback the app takes where workers cannot load (the
//! workers themselves are tested end to end: tests/e2e/field-workers.test.mjs).

use std::cell::Cell;
use std::rc::Rc;

use scs_studio::field_solve::solve;
use spine_field::anatomy::Anatomy;
use spine_field::lead::{Lead, LeadKind};
use spine_field::model::{Model, Resolution};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn lead() -> Lead {
    Lead::at(LeadKind::PERCUTANEOUS_8, 2)
}

#[wasm_bindgen_test]
async fn a_sliced_solve_yields_to_the_page_and_equals_a_solve_in_one_call() {
    let slices = Rc::new(Cell::new(0));
    let counted = slices.clone();
    let sliced = solve(
        lead(),
        Resolution::COARSE,
        || false,
        move |_, _| counted.set(counted.get() + 1),
    )
    .await
    .expect("solves");
    let whole = Model::build(Anatomy::default(), lead(), Resolution::COARSE).unwrap();
    assert!(slices.get() > 1, "yielded {} times", slices.get());
    assert_eq!(sliced.fields, whole.fields);
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .unwrap();
    assert_eq!(
        root.get_attribute("data-field-solve").as_deref(),
        Some("page"),
        "no worker script here: solved in the page"
    );
}

#[wasm_bindgen_test]
async fn a_stale_solve_stops_at_the_next_slice() {
    let slices = Rc::new(Cell::new(0));
    let counted = slices.clone();
    let stale = move || slices.get() >= 1;
    let outcome = solve(lead(), Resolution::COARSE, stale, move |_, _| {
        counted.set(counted.get() + 1)
    })
    .await;
    assert!(outcome.is_none());
}
