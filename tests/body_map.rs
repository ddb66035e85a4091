//! Browser tests of the body map: nothing is drawn outside the body's outline, and each
//! region's intensity and the painful area's coverage read in words and figures.

use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::task::tick;
use scs_studio::body_map::BodyMap;
use scs_studio::train::patient::{Intensity, Sensation};
use spine_field::dermatomes::{region_named, Side, REGIONS};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn fresh_root() -> HtmlElement {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    root.unchecked_into()
}

/// The elements under `root` that match `selector` (querySelectorAll, called through
/// js-sys: the app's web-sys has no NodeList).
fn all(root: &HtmlElement, selector: &str) -> Vec<Element> {
    let query: js_sys::Function = js_sys::Reflect::get(root, &"querySelectorAll".into())
        .unwrap()
        .unchecked_into();
    let found = query.call1(root, &selector.into()).unwrap();
    js_sys::Array::from(&found)
        .iter()
        .map(|e| e.unchecked_into())
        .collect()
}

fn text(root: &HtmlElement, test_id: &str) -> String {
    root.query_selector(&format!("[data-testid={test_id}]"))
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn every_region_band_is_clipped_to_the_outline_of_its_own_view() {
    let root = fresh_root();
    // Every region on both sides, at every intensity, and the feet as the painful area.
    let intensities = [Intensity::Mild, Intensity::Strong, Intensity::TooStrong];
    let felt: Vec<Sensation> = (0..REGIONS.len())
        .flat_map(|region| [Side::Right, Side::Left].map(move |side| (region, side)))
        .enumerate()
        .map(|(i, (region, side))| Sensation {
            region,
            side,
            intensity: intensities[i % 3],
        })
        .collect();
    let painful: Vec<(usize, Side)> = ["top of the foot and big toe", "sole and little toe"]
        .iter()
        .flat_map(|n| [Side::Right, Side::Left].map(|s| (region_named(n).unwrap(), s)))
        .collect();
    let count = felt.len() + painful.len();
    let _dispose = mount_to(root.clone(), move || {
        view! { <BodyMap felt=Signal::stored(felt.clone()) painful=Signal::stored(painful.clone())/> }
    });
    tick().await;

    let polygons = all(&root, "polygon");
    assert_eq!(polygons.len(), count, "one band per region felt or painful");
    for polygon in polygons {
        let group = polygon
            .closest("g[clip-path]")
            .unwrap()
            .expect("inside a clipped group");
        let clip = group.get_attribute("clip-path").unwrap();
        let id = clip
            .strip_prefix("url(#")
            .and_then(|c| c.strip_suffix(')'))
            .expect("clipped by reference");
        let svg = polygon.closest("svg").unwrap().unwrap();
        let clip_path = svg
            .query_selector(&format!("clipPath#{id} path"))
            .unwrap()
            .expect("the clip path is in the same drawing");
        let outline = svg.query_selector("path.body-fill").unwrap().unwrap();
        assert_eq!(
            clip_path.get_attribute("d"),
            outline.get_attribute("d"),
            "clipped by the body's own outline"
        );
    }
    // Two views, each with its own clip path.
    assert_eq!(all(&root, "clipPath").len(), 2);

    let caption = text(&root, "felt-regions");
    assert!(caption.starts_with("Tingling in: chest wall (right, mild), chest wall (left, strong), abdomen (right, too strong)"), "{caption}");
    assert_eq!(
        text(&root, "body-coverage"),
        "Painful area covered 100 % (4 of 4 regions); tingling outside it: 20 of 24 regions felt."
    );
}

#[wasm_bindgen_test]
async fn without_a_painful_area_there_is_no_coverage_line() {
    let root = fresh_root();
    let _dispose = mount_to(root.clone(), || {
        view! { <BodyMap felt=Signal::stored(vec![])/> }
    });
    tick().await;
    assert_eq!(text(&root, "felt-regions"), "No tingling.");
    assert!(all(&root, "[data-testid=body-coverage]").is_empty());
    assert!(all(&root, "polygon").is_empty());
}
