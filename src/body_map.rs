//! The paresthesia map: a human outline from the front and from behind, with the regions
//! where the patient feels tingling drawn as dermatome bands clipped to the outline, each
//! at its intensity (fill strength, pattern and words: colour is never the only carrier),
//! and, when given, the painful area outlined with its coverage as figures.

use leptos::prelude::*;
use spine_field::dermatomes::{Side, REGIONS};

use crate::i18n::{use_language, Lang, Text};
use crate::train::patient::{Intensity, Sensation};

/// The body's outline (head, neck, trunk, arms, legs, feet) in a 120 × 280 drawing (the
/// view's name below the feet): one smooth path, the same from the front and from behind.
const OUTLINE: &str = "M60 4C57.7 4 54.8 4.7 53 6C51.2 7.3 49.8 9.7 49 12C48.2 14.3 47.8 17.2 48 20C48.2 22.8 49 26.5 50 29C51 31.5 53.2 33 54 35C54.8 37 55.7 39.3 55 41C54.3 42.7 52.2 44 50 45C47.8 46 44.5 46.2 42 47C39.5 47.8 37 48.7 35 50C33 51.3 31.2 52.8 30 55C28.8 57.2 28.7 58.8 28 63C27.3 67.2 26.7 73.8 26 80C25.3 86.2 24.7 93.7 24 100C23.3 106.3 22.5 112.7 22 118C21.5 123.3 21.5 128.3 21 132C20.5 135.7 19.2 137.3 19 140C18.8 142.7 19.2 146 20 148C20.8 150 22.7 152 24 152C25.3 152 27.2 150.2 28 148C28.8 145.8 28.7 142 29 139C29.3 136 29.5 134.5 30 130C30.5 125.5 31.3 117.7 32 112C32.7 106.3 33.3 101.3 34 96C34.7 90.7 35.3 84.7 36 80C36.7 75.3 37.5 68 38 68C38.5 68 38.5 75.3 39 80C39.5 84.7 40.8 91.3 41 96C41.2 100.7 40.7 103.7 40 108C39.3 112.3 37.7 117.3 37 122C36.3 126.7 36 131 36 136C36 141 36.5 146.3 37 152C37.5 157.7 38.3 164.3 39 170C39.7 175.7 40.8 181.3 41 186C41.2 190.7 40.2 193.7 40 198C39.8 202.3 39.7 206.7 40 212C40.3 217.3 41.2 224.7 42 230C42.8 235.3 44.8 240.3 45 244C45.2 247.7 43.5 249.7 43 252C42.5 254.3 41.5 256.3 42 258C42.5 259.7 44.2 261.3 46 262C47.8 262.7 51.5 263 53 262C54.5 261 54.8 258.7 55 256C55.2 253.3 54 250 54 246C54 242 54.7 237.3 55 232C55.3 226.7 55.8 219.7 56 214C56.2 208.3 55.8 202.7 56 198C56.2 193.3 56.7 191.3 57 186C57.3 180.7 57.7 171.7 58 166C58.3 160.3 58.7 155.7 59 152C59.3 148.3 59.7 144 60 144C60.3 144 60.7 148.3 61 152C61.3 155.7 61.7 160.3 62 166C62.3 171.7 62.7 180.7 63 186C63.3 191.3 63.8 193.3 64 198C64.2 202.7 63.8 208.3 64 214C64.2 219.7 64.7 226.7 65 232C65.3 237.3 66 242 66 246C66 250 64.8 253.3 65 256C65.2 258.7 65.5 261 67 262C68.5 263 72.2 262.7 74 262C75.8 261.3 77.5 259.7 78 258C78.5 256.3 77.5 254.3 77 252C76.5 249.7 74.8 247.7 75 244C75.2 240.3 77.2 235.3 78 230C78.8 224.7 79.7 217.3 80 212C80.3 206.7 80.2 202.3 80 198C79.8 193.7 78.8 190.7 79 186C79.2 181.3 80.3 175.7 81 170C81.7 164.3 82.5 157.7 83 152C83.5 146.3 84 141 84 136C84 131 83.7 126.7 83 122C82.3 117.3 80.7 112.3 80 108C79.3 103.7 78.8 100.7 79 96C79.2 91.3 80.5 84.7 81 80C81.5 75.3 81.5 68 82 68C82.5 68 83.3 75.3 84 80C84.7 84.7 85.3 90.7 86 96C86.7 101.3 87.3 106.3 88 112C88.7 117.7 89.5 125.5 90 130C90.5 134.5 90.7 136 91 139C91.3 142 91.2 145.8 92 148C92.8 150.2 94.7 152 96 152C97.3 152 99.2 150 100 148C100.8 146 101.2 142.7 101 140C100.8 137.3 99.5 135.7 99 132C98.5 128.3 98.5 123.3 98 118C97.5 112.7 96.7 106.3 96 100C95.3 93.7 94.7 86.2 94 80C93.3 73.8 92.7 67.2 92 63C91.3 58.8 91.2 57.2 90 55C88.8 52.8 87 51.3 85 50C83 48.7 80.5 47.8 78 47C75.5 46.2 72.2 46 70 45C67.8 44 65.7 42.7 65 41C64.3 39.3 65.2 37 66 35C66.8 33 69 31.5 70 29C71 26.5 71.8 22.8 72 20C72.2 17.2 71.8 14.3 71 12C70.2 9.7 68.8 7.3 67 6C65.2 4.7 62.3 4 60 4Z";

/// Each region's band on the half of the drawing at the viewer's left (x ≤ 60), as a
/// polygon (x, y); the other side is its mirror. Bands may reach past the body: the
/// outline clips them. In the order of `REGIONS`.
const BANDS: [&[(u16, u16)]; REGIONS.len()] = [
    &[(60, 52), (37, 52), (37, 96), (60, 84)],     // chest wall
    &[(60, 84), (37, 96), (34, 118), (60, 134)],   // abdomen
    &[(34, 118), (60, 134), (60, 150), (34, 130)], // groin
    &[(34, 130), (60, 150), (60, 172), (34, 168)], // front of the thigh
    &[(34, 168), (60, 172), (60, 204), (34, 200)], // knee
    &[(34, 202), (60, 202), (60, 244), (34, 244)], // inner lower leg (the shin)
    &[(34, 244), (60, 244), (60, 270), (34, 270)], // top of the foot and big toe
    &[(60, 88), (37, 88), (34, 120), (60, 124)],   // low back
    &[(34, 120), (60, 124), (60, 148), (34, 148)], // buttock
    &[(43, 148), (59, 148), (57, 198), (46, 198)], // back of the thigh
    &[(34, 198), (60, 198), (60, 242), (34, 242)], // calf
    &[(34, 242), (60, 242), (60, 270), (34, 270)], // sole and little toe
];

/// The regions' names in Spanish, in the order of `REGIONS`.
const NAMES_ES: [&str; REGIONS.len()] = [
    "pared del pecho",
    "abdomen",
    "ingle",
    "parte delantera del muslo",
    "rodilla",
    "parte interna de la pierna",
    "empeine y dedo gordo",
    "zona lumbar",
    "nalga",
    "parte trasera del muslo",
    "pantorrilla",
    "planta y dedo pequeño",
];

/// The polygon of `region` on `side` in its view, as SVG points. Front view: the
/// patient's right is on the viewer's left; from behind, on the viewer's right.
pub fn band_points(region: usize, side: Side) -> String {
    let mirrored = (side == Side::Right) == REGIONS[region].back;
    BANDS[region]
        .iter()
        .map(|&(x, y)| {
            let x = if mirrored { 120 - x } else { x };
            format!("{x},{y}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A region's name in `lang`.
pub fn region_name(region: usize, lang: Lang) -> &'static str {
    match lang {
        Lang::En => REGIONS[region].name,
        Lang::Es => NAMES_ES[region],
    }
}

/// A side in `lang`.
fn side_word(side: Side, lang: Lang) -> &'static str {
    match (side, lang) {
        (Side::Left, Lang::En) => "left",
        (Side::Right, Lang::En) => "right",
        (Side::Left, Lang::Es) => "izquierda",
        (Side::Right, Lang::Es) => "derecha",
    }
}

/// A region's name in `lang`, with its side and, if given, a word after it: "sole and
/// little toe (left, mild)".
pub fn region_label(region: usize, side: Side, lang: Lang, word: Option<Text>) -> String {
    let (name, side) = (region_name(region, lang), side_word(side, lang));
    match word {
        Some(w) => format!("{name} ({side}, {})", w.get(lang)),
        None => format!("{name} ({side})"),
    }
}

/// An intensity in words.
fn intensity_word(intensity: Intensity) -> Text {
    match intensity {
        Intensity::Mild => MILD,
        Intensity::Strong => STRONG,
        Intensity::TooStrong => TOO_STRONG,
    }
}

/// The CSS class (fill and pattern) of an intensity.
fn intensity_class(intensity: Intensity) -> &'static str {
    match intensity {
        Intensity::Mild => "felt mild",
        Intensity::Strong => "felt strong",
        Intensity::TooStrong => "felt too-strong",
    }
}

/// The painful area's coverage: (painful regions felt, painful regions, regions felt
/// outside it, regions felt).
pub fn coverage(felt: &[Sensation], painful: &[(usize, Side)]) -> (usize, usize, usize, usize) {
    let is_felt = |&(r, side): &(usize, Side)| felt.iter().any(|s| (s.region, s.side) == (r, side));
    let covered = painful.iter().filter(|p| is_felt(p)).count();
    let outside = felt
        .iter()
        .filter(|s| !painful.contains(&(s.region, s.side)))
        .count();
    (covered, painful.len(), outside, felt.len())
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
const MILD: Text = Text {
    en: "mild",
    es: "leve",
};
const STRONG: Text = Text {
    en: "strong",
    es: "fuerte",
};
const TOO_STRONG: Text = Text {
    en: "too strong",
    es: "demasiado fuerte",
};
const BOTH: Text = Text {
    en: "both sides",
    es: "ambos lados",
};
const PAINFUL: Text = Text {
    en: "painful area",
    es: "zona dolorosa",
};

/// Front and back outlines with the regions `felt` at their intensities, and the
/// `painful` area, if any, outlined with its coverage in figures.
#[component]
pub fn BodyMap(
    /// The regions felt, each at its intensity.
    #[prop(into)]
    felt: Signal<Vec<Sensation>>,
    /// The regions that hurt (the target), drawn as a dashed outline; none by default.
    #[prop(optional, into)]
    painful: Option<Signal<Vec<(usize, Side)>>>,
) -> impl IntoView {
    let lang = use_language();
    let painful = move || painful.map(|p| p.get()).unwrap_or_default();
    let figure = move |back: bool| {
        let title = if back { BACK } else { FRONT };
        let v = back as u8;
        let clip = format!("url(#body-clip-{v})");
        let bands = move |painful_only: bool| {
            let shown: Vec<(usize, Side, Option<Intensity>)> = if painful_only {
                painful().into_iter().map(|(r, s)| (r, s, None)).collect()
            } else {
                felt.get()
                    .into_iter()
                    .map(|s| (s.region, s.side, Some(s.intensity)))
                    .collect()
            };
            shown.into_iter().filter(|(r, _, _)| REGIONS[*r].back == back).map(|(r, side, intensity)| {
                let class = intensity.map_or("painful", intensity_class);
                let fill = match intensity {
                    Some(Intensity::Strong) => format!("url(#felt-strong-{v})"),
                    Some(Intensity::TooStrong) => format!("url(#felt-too-strong-{v})"),
                    _ => String::new(),
                };
                let word = move || region_label(r, side, lang.get(), Some(intensity.map_or(PAINFUL, intensity_word)));
                view! { <polygon points=band_points(r, side) class=class fill=(!fill.is_empty()).then_some(fill)><title>{word}</title></polygon> }
            }).collect_view()
        };
        view! {
            <svg class="body" viewBox="0 0 120 280" role="img" aria-label=move || title.get(lang.get())>
                <defs>
                    <clipPath id=format!("body-clip-{v}")><path d=OUTLINE/></clipPath>
                    <pattern id=format!("felt-strong-{v}") width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                        <rect width="4" height="4" class="felt-fill"/>
                        <line x1="0" y1="0" x2="0" y2="4" class="felt-hatch"/>
                    </pattern>
                    <pattern id=format!("felt-too-strong-{v}") width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                        <rect width="4" height="4" class="felt-fill-too"/>
                        <line x1="0" y1="0" x2="0" y2="4" class="felt-cross"/>
                        <line x1="0" y1="2" x2="4" y2="2" class="felt-cross"/>
                    </pattern>
                </defs>
                <path d=OUTLINE class="body-fill"/>
                {(!back).then(|| view! { <circle cx="60" cy="112" r="1" class="body-detail"/> })}
                {back.then(|| view! { <path d="M60 46V124" class="body-detail"/> })}
                <g clip-path=clip.clone() data-testid="body-clipped">{move || bands(false)}</g>
                <g clip-path=clip data-testid="body-clipped">{move || bands(true)}</g>
                <path d=OUTLINE class="body-edge"/>
                <text x="60" y="278" text-anchor="middle" class="body-caption">{move || title.get(lang.get())}</text>
            </svg>
        }
    };
    view! {
        <figure class="body-map" data-testid="body-map">
            <div class="body-figures">{figure(false)}{figure(true)}</div>
            <p class="body-key" aria-hidden="true">
                <span class="swatch mild"></span>{move || MILD.get(lang.get())}
                <span class="swatch strong"></span>{move || STRONG.get(lang.get())}
                <span class="swatch too-strong"></span>{move || TOO_STRONG.get(lang.get())}
                {move || (!painful().is_empty()).then(|| view! { <span class="swatch painful"></span>{PAINFUL.get(lang.get())} })}
            </p>
            <figcaption data-testid="felt-regions" aria-live="polite">
                {move || {
                    let felt = felt.get();
                    if felt.is_empty() {
                        NONE.get(lang.get()).to_string()
                    } else {
                        // A region felt alike on both sides is named once.
                        let names: Vec<String> = felt.iter().enumerate().filter_map(|(i, s)| {
                            let pair = |o: &Sensation| o.region == s.region && o.intensity == s.intensity && o.side != s.side;
                            let both = felt.iter().any(pair);
                            if both && felt[..i].iter().any(pair) {
                                return None;
                            }
                            let word = intensity_word(s.intensity).get(lang.get());
                            Some(if both {
                                format!("{} ({}, {word})", region_name(s.region, lang.get()), BOTH.get(lang.get()))
                            } else {
                                region_label(s.region, s.side, lang.get(), Some(intensity_word(s.intensity)))
                            })
                        }).collect();
                        format!("{} {}", TINGLING_IN.get(lang.get()), names.join(", "))
                    }
                }}
            </figcaption>
            {move || {
                let painful = painful();
                (!painful.is_empty()).then(|| {
                    let (covered, all, outside, felt) = coverage(&felt.get(), &painful);
                    let share = covered * 100 / all;
                    view! { <p class="body-coverage" data-testid="body-coverage">{match lang.get() {
                        Lang::En => format!("Painful area covered {share} % ({covered} of {all} regions); tingling outside it: {outside} of {felt} regions felt."),
                        Lang::Es => format!("Zona dolorosa cubierta {share} % ({covered} de {all} regiones); hormigueo fuera de ella: {outside} de {felt} regiones."),
                    }}</p> }
                })
            }}
        </figure>
    }
}
