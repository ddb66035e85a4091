//! The paresthesia map: front and back body outlines with the regions where the patient
//! would feel tingling, in words as well as colour and hatching (for colour-blind readers
//! and screen readers).

use leptos::prelude::*;
use spine_field::dermatomes::{Dermatome, Side, REGIONS};

use crate::i18n::{use_language, Lang, Text};

/// Where each region is drawn: (view, top, bottom) with the view 0 = front, 1 = back;
/// `limb` regions are drawn per leg, the others per half of the trunk.
const SHAPES: [(usize, f64, f64, bool); 10] = [
    (0, 45.0, 85.0, false),   // chest wall
    (0, 85.0, 120.0, false),  // abdomen
    (0, 120.0, 135.0, false), // groin
    (0, 135.0, 185.0, true),  // front of the thigh
    (0, 185.0, 200.0, true),  // knee
    (0, 200.0, 245.0, true),  // inner lower leg
    (0, 245.0, 258.0, true),  // top of the foot and big toe
    (1, 245.0, 258.0, true),  // sole and little toe
    (1, 140.0, 190.0, true),  // back of the thigh
    (1, 115.0, 140.0, false), // buttock and saddle
];

/// The regions' names in Spanish, in the order of `REGIONS`.
const NAMES_ES: [&str; 10] = [
    "pared del pecho",
    "abdomen",
    "ingle",
    "parte delantera del muslo",
    "rodilla",
    "parte interna de la pierna",
    "empeine y dedo gordo",
    "planta y dedo pequeño",
    "parte trasera del muslo",
    "nalga",
];

/// The (region index, side) pairs that `felt` lights.
pub fn lit_regions(felt: &[Dermatome]) -> Vec<(usize, Side)> {
    let mut lit = vec![];
    for (r, region) in REGIONS.iter().enumerate() {
        for side in [Side::Right, Side::Left] {
            if felt.iter().any(|d| {
                d.side == side && (region.segments.0..=region.segments.1).contains(&d.segment)
            }) {
                lit.push((r, side));
            }
        }
    }
    lit
}

/// A region's name in `lang`, with its side.
pub fn region_label(region: usize, side: Side, lang: Lang) -> String {
    let (name, side) = match lang {
        Lang::En => (
            REGIONS[region].name,
            if side == Side::Left { "left" } else { "right" },
        ),
        Lang::Es => (
            NAMES_ES[region],
            if side == Side::Left {
                "izquierda"
            } else {
                "derecha"
            },
        ),
    };
    format!("{name} ({side})")
}

const FRONT: Text = Text {
    en: "Front",
    es: "Frente",
};
const BACK: Text = Text {
    en: "Back",
    es: "Espalda",
};
const NONE: Text = Text {
    en: "No tingling.",
    es: "Sin hormigueo.",
};
const TINGLING_IN: Text = Text {
    en: "Tingling in:",
    es: "Hormigueo en:",
};

/// Front and back outlines with `felt` dermatomes lit.
#[component]
pub fn BodyMap(
    /// The dermatomes where tingling is felt.
    #[prop(into)]
    felt: Signal<Vec<Dermatome>>,
) -> impl IntoView {
    let lang = use_language();
    let lit = Memo::new(move |_| lit_regions(&felt.get()));
    let figure = move |view_index: usize| {
        let title = if view_index == 0 { FRONT } else { BACK };
        view! {
            <svg class="body" viewBox="0 0 120 270" role="img" aria-label=move || title.get(lang.get())>
                <defs>
                    <pattern id=format!("hatch-{view_index}") width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                        <rect width="4" height="4" class="felt-fill"/>
                        <line x1="0" y1="0" x2="0" y2="4" class="felt-hatch"/>
                    </pattern>
                </defs>
                <circle cx="60" cy="22" r="16" class="body-outline"/>
                <rect x="35" y="40" width="50" height="95" rx="12" class="body-outline"/>
                <rect x="20" y="44" width="13" height="80" rx="6" class="body-outline"/>
                <rect x="87" y="44" width="13" height="80" rx="6" class="body-outline"/>
                <rect x="37" y="130" width="21" height="128" rx="8" class="body-outline"/>
                <rect x="62" y="130" width="21" height="128" rx="8" class="body-outline"/>
                {move || lit.get().into_iter().filter(|(r, _)| SHAPES[*r].0 == view_index).map(|(r, side)| {
                    let (_, top, bottom, limb) = SHAPES[r];
                    // Front view: the patient's right is on the viewer's left; back view: the right.
                    let viewer_left = (side == Side::Right) == (view_index == 0);
                    let (x, width) = match (limb, viewer_left) {
                        (true, true) => (37.0, 21.0),
                        (true, false) => (62.0, 21.0),
                        (false, true) => (35.0, 25.0),
                        (false, false) => (60.0, 25.0),
                    };
                    view! { <rect x=x y=top width=width height=bottom - top class="felt" fill=format!("url(#hatch-{view_index})")/> }
                }).collect_view()}
                <text x="60" y="268" text-anchor="middle" class="body-caption">{move || title.get(lang.get())}</text>
            </svg>
        }
    };
    view! {
        <figure class="body-map" data-testid="body-map">
            <div class="body-figures">{figure(0)}{figure(1)}</div>
            <figcaption data-testid="felt-regions" aria-live="polite">
                {move || {
                    let lit = lit.get();
                    if lit.is_empty() {
                        NONE.get(lang.get()).to_string()
                    } else {
                        let names: Vec<String> = lit.iter().map(|&(r, s)| region_label(r, s, lang.get())).collect();
                        format!("{} {}", TINGLING_IN.get(lang.get()), names.join(", "))
                    }
                }}
            </figcaption>
        </figure>
    }
}
