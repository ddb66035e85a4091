//! The lateral (sagittal) view beside the AP picture, on the same scale along the cord:
//! the vertebral bodies, the posterior elements, the canal with the dural sac and its
//! dorsal CSF (thicker or thinner level by level, from the anatomy), the cord, and the
//! leads' contacts at their depth in the dorsal epidural space (two leads side by side
//! overlap from the side; staggered ones show their stagger).

use leptos::prelude::*;
use spine_field::anatomy::{level_at, level_z, Anatomy, LEVELS};
use spine_field::lead::Lead;

use super::placement::Placement;

use super::spine_view::{HEIGHT, Z_TOP};

/// The window across, mm of y (dorsal +, drawn to the right): ventral of the bodies to the
/// spinous processes.
const Y0: f64 = -34.0;
const Y_WIDTH: f64 = 56.0;
/// Depth of a vertebral body, mm.
const BODY_DEPTH: f64 = 26.0;
/// Lamina thickness, mm.
const LAMINA: f64 = 5.0;

/// The dural sac's outline from the side: its dorsal surface (which follows the dorsal CSF
/// level by level) down the cord, then its ventral surface back up, as SVG points (y, −z).
fn sac_outline(anatomy: &Anatomy) -> String {
    let zs: Vec<f64> = (0..=HEIGHT as usize / 2)
        .map(|i| Z_TOP - 2.0 * i as f64)
        .collect();
    let edge = |z: f64, dorsal: bool| {
        let (yc, _, b) = anatomy.sac(z);
        let y = if dorsal { yc + b } else { yc - b };
        format!("{y:.2},{:.1} ", -z)
    };
    let dorsal = zs.iter().map(|&z| edge(z, true));
    let ventral = zs.iter().rev().map(|&z| edge(z, false));
    dorsal.chain(ventral).collect()
}

/// The bones from the side, level by level: the body ventral of the canal, the lamina and
/// the spinous process dorsal of it, sloping caudally.
fn bones(anatomy: &Anatomy) -> impl IntoView {
    (0..LEVELS.len())
        .map(|i| {
            let z = level_z(i);
            let (yc, _, b) = anatomy.sac(z);
            let (front, back) = (yc - b - 0.5, yc + b + anatomy.dorsal_fat);
            let y = -z;
            let spinous = format!(
                "M{back:.1} {} L{:.1} {} L22 {} L22 {} L{:.1} {} L{back:.1} {}Z",
                y - 9.0,
                back + LAMINA,
                y - 9.0,
                y + 3.0,
                y + 11.0,
                back + LAMINA,
                y + 4.0,
                y + 4.0
            );
            view! {
                <rect x=front - BODY_DEPTH y=y - 10.5 width=BODY_DEPTH height="21" rx="3" fill="url(#bone)" class="bone vertebral-body"/>
                <path d=spinous class="bone spinous"/>
            }
        })
        .collect_view()
}

/// One lead from the side: its body, its contacts, and the dorsal CSF under its middle.
fn lead_from_the_side(lead: &Lead) -> impl IntoView {
    let anatomy = Anatomy::default();
    let contacts = lead.contacts(&anatomy);
    let body: String = contacts
        .iter()
        .map(|c| format!("{:.2},{:.1} ", c.center[1], -c.center[2]))
        .chain(
            contacts
                .last()
                .map(|c| format!("{:.2},{HEIGHT}", c.center[1])),
        )
        .collect();
    let z = lead.middle_z();
    let csf = anatomy.dorsal_csf_at(z);
    let dorsal = anatomy.cord_surface(0.0).unwrap_or(3.0);
    let contacts = contacts
        .iter()
        .map(|c| view! { <rect x=c.center[1] - c.radius y=-c.center[2] - c.half_length width=2.0 * c.radius height=2.0 * c.half_length class="lead-contact"/> })
        .collect_view();
    view! {
        <polyline points=body class="lead-line"/>
        {contacts}
        // The dorsal CSF under the lead's middle: a bracket from the cord to the dura.
        <line x1=dorsal y1=-z x2=dorsal + csf y2=-z class="csf-bracket"/>
        <text x=dorsal + csf + 1.0 y=-z - 2.0 class="csf-label">{format!("CSF {csf:.1} mm")}</text>
    }
}

/// The lateral view of the leads of `placement`.
#[component]
pub fn LateralView(
    /// The leads shown (also while one is dragged).
    #[prop(into)]
    placement: Signal<Placement>,
) -> impl IntoView {
    let anatomy = Anatomy::default();
    let (half_depth, outline, still) = (
        anatomy.cord[1] / 2.0,
        sac_outline(&anatomy),
        bones(&anatomy),
    );
    let drawn = move || {
        placement
            .get()
            .field_leads()
            .iter()
            .map(lead_from_the_side)
            .collect_view()
    };
    let label = move || {
        let leads = placement.get().field_leads();
        let each = leads
            .iter()
            .enumerate()
            .map(|(i, lead)| {
                let z = lead.middle_z();
                let name = if leads.len() > 1 {
                    format!("lead {} ", i + 1)
                } else {
                    String::new()
                };
                format!(
                    "{name}at {} over {:.1} mm of dorsal CSF",
                    LEVELS[level_at(z)],
                    Anatomy::default().dorsal_csf_at(z)
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        if leads.len() > 1 {
            format!(
                "Side view: the leads lie on the dorsal dura, {each}, between them and the cord."
            )
        } else {
            format!("Side view: the lead lies on the dorsal dura {each}, between it and the cord.")
        }
    };
    view! {
        <svg viewBox=format!("{Y0} {} {Y_WIDTH} {HEIGHT}", -Z_TOP) class="lateral-svg" role="img" aria-label=label data-testid="lateral-view">
            <rect x=Y0 y=-Z_TOP width=Y_WIDTH height=HEIGHT fill="url(#film)"/>
            {still}
            <polygon points=outline class="sac"/>
            <rect x=-half_depth y=-Z_TOP width=2.0 * half_depth height=HEIGHT class="cord"/>
            {drawn}
            <text x=Y0 + 1.0 y=-Z_TOP + 5.0 class="level-label">"ventral"</text>
            <text x=Y0 + Y_WIDTH - 1.0 y=-Z_TOP + 5.0 class="level-label end">"dorsal"</text>
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_sac_s_dorsal_edge_follows_the_dorsal_csf_level_by_level() {
        let anatomy = Anatomy::default();
        let points: Vec<(f64, f64)> = sac_outline(&anatomy)
            .split_whitespace()
            .map(|p| {
                let (y, z) = p.split_once(',').unwrap();
                (y.parse().unwrap(), -z.parse::<f64>().unwrap())
            })
            .collect();
        // At T8's centre the dorsal edge is cord (3) + CSF (5.2) + dura (0.3) dorsal.
        let t8 = points
            .iter()
            .find(|p| (p.1 - level_z(2)).abs() < 1e-9)
            .unwrap();
        assert!((t8.0 - 8.5).abs() < 0.01, "{t8:?}");
        let l1 = points
            .iter()
            .find(|p| (p.1 - level_z(7)).abs() < 1e-9)
            .unwrap();
        assert!(
            (l1.0 - (3.0 + 2.6 + 0.3)).abs() < 0.01,
            "thinner at L1: {l1:?}"
        );
    }
}
