//! The spine as a clinician sees it: an anteroposterior, fluoroscopy-style picture of
//! T6–L1 drawn from spine-field's anatomy (vertebral bodies with their cortical rim,
//! pedicles, spinous processes, discs, the canal, the dural sac and the cord), the lead as
//! it shows on an X-ray (a thin body, radio-opaque numbered contacts), the program's field
//! over it ([`super::overlay`]), and the lateral view beside it
//! ([`super::lateral_view`]). It is shown as the surgeon sees the prone patient, the
//! patient's left on the left (marked L and R, as a radiographer marks a film), so a lead
//! offset to the patient's right lies right of the midline. Drag either lead with a pointer, or move it with the arrow
//! keys (up/down a level, left/right a millimetre; the lead whose contact has the keyboard,
//! else the first); click, tap or press Enter on a contact to cycle it off → − → +. A press
//! that moves less than [`TAP_SLOP_PX`] is a tap, not a drag.

use std::rc::Rc;

use leptos::prelude::*;
use spine_field::anatomy::{level_z, Anatomy, LEVELS, LEVEL_HEIGHT};
use spine_field::lead::{contacts_of, ContactShape, Lead, LeadKind};
use stim_core::contacts::{ContactName, Polarity};
use wasm_bindgen::JsCast;

use super::bench::{Bench, LEVEL_COUNT};
use super::field_view::Field;
use super::lateral_view::LateralView;
use super::overlay::{Overlay, QUANTITIES};
use super::placement::{Placement, MAX_OFFSET_MM};
use super::response::Fired;
use super::steering;
use crate::focus::refocus;

/// The drawing's window, mm: x −20…20, z from above T6 to below L1 (drawn downwards).
const X0: f64 = -20.0;
const WIDTH: f64 = 40.0;
/// The top of the window above T6's centre, and its height, mm (shared by the lateral view).
pub const Z_TOP: f64 = 20.0;
/// See [`Z_TOP`].
pub const HEIGHT: f64 = 235.0;
/// How far (CSS pixels) a press may move and still be a tap on a contact, not a drag.
pub const TAP_SLOP_PX: f64 = 5.0;

/// The point (x, z) in mm at fraction (fx, fy) of the drawing.
fn point_at(fx: f64, fy: f64) -> (f64, f64) {
    (X0 + fx * WIDTH, Z_TOP - fy * HEIGHT)
}

/// Where a lead's middle at (x, z) mm puts it: (level, offset), snapped.
fn placement_at(x: f64, z: f64) -> (usize, i32) {
    let level = (-z / LEVEL_HEIGHT)
        .round()
        .clamp(0.0, (LEVEL_COUNT - 1) as f64) as usize;
    (
        level,
        (x.round() as i32).clamp(-MAX_OFFSET_MM, MAX_OFFSET_MM),
    )
}

/// Whether a press at (x, z) mm takes hold of `lead` (within 3 mm of its body), so a tap
/// elsewhere on the spine does not move it.
fn grabs(lead: &Lead, x: f64, z: f64) -> bool {
    (x - lead.offset).abs() <= 3.0 && (z - lead.middle_z()).abs() <= lead.half_span() + 3.0
}

/// Whether a press that has moved (dx, dy) CSS pixels is a drag (else, when let go, a tap).
fn is_drag(dx: f64, dy: f64) -> bool {
    dx.hypot(dy) >= TAP_SLOP_PX
}

/// The target a contact answers to, (x, y, width, height) in the picture (y = −z): the
/// grip's width across (3 mm either side, as [`grabs`]) and, along the lead, the contact
/// and half the gap to each neighbour (`pitch` centre to centre), so targets tile the lead.
fn contact_target(contact: &ContactShape, pitch: f64) -> (f64, f64, f64, f64) {
    let [x, _, z] = contact.center;
    (x - 3.0, -z - pitch / 2.0, 6.0, pitch)
}

/// Centre-to-centre spacing of `lead`'s contacts along it, mm.
fn pitch(lead: &Lead) -> f64 {
    match lead.kind {
        LeadKind::Percutaneous { pitch, .. } => pitch,
        LeadKind::Paddle { .. } => 5.0,
    }
}

/// The lead a press at (x, z) mm takes hold of: the nearest across of those it grabs.
fn lead_under(placement: &Placement, x: f64, z: f64) -> Option<usize> {
    placement
        .leads()
        .map(|l| l.lead())
        .enumerate()
        .filter(|(_, lead)| grabs(lead, x, z))
        .min_by(|a, b| (x - a.1.offset).abs().total_cmp(&(x - b.1.offset).abs()))
        .map(|(index, _)| index)
}

/// `placement` with lead `index` moved by an arrow `key` (a level up or down, a millimetre
/// left or right; its stagger kept); `None` for another key.
fn moved_by_key(placement: &Placement, index: usize, key: &str) -> Option<Placement> {
    let lead = placement.lead(index)?;
    let (level, offset) = match key {
        "ArrowUp" => (lead.level.saturating_sub(1), lead.offset_mm),
        "ArrowDown" => ((lead.level + 1).min(LEVEL_COUNT - 1), lead.offset_mm),
        "ArrowLeft" => (lead.level, lead.offset_mm - 1),
        "ArrowRight" => (lead.level, lead.offset_mm + 1),
        _ => return None,
    };
    Some(placement.moved(index, level, lead.shift_mm, offset))
}

/// A contact's words: "E4: cathode, 50 %".
fn contact_label(bench: &Bench, slot: usize) -> String {
    let name = ContactName(slot);
    match bench.polarity[slot] {
        Polarity::Off => format!("{name}: off"),
        Polarity::Cathode => format!("{name}: cathode, {} %", bench.share[slot]),
        Polarity::Anode => format!("{name}: anode, {} %", bench.share[slot]),
    }
}

/// One lead as it shows on an X-ray: a thin grey body running caudally out of the picture
/// (towards its entry), and its contacts (bench slots `first..`), radio-opaque, numbered,
/// each with its sign and share, each a button that cycles it.
fn lead_picture(
    index: usize,
    lead: &Lead,
    first: usize,
    bench: &Bench,
    on_cycle: Callback<usize>,
    dragged: StoredValue<bool>,
) -> impl IntoView {
    let contacts = lead.contacts(&Anatomy::default());
    let (top, pitch) = (lead.middle_z() + lead.half_span(), pitch(lead));
    let width = match lead.kind {
        LeadKind::Percutaneous { .. } => 1.3,
        LeadKind::Paddle { columns, .. } => columns as f64 * 3.0 + 2.0,
    };
    let body = view! {
        <rect x=lead.offset - width / 2.0 y=-top - 1.0 width=width height=top + 1.0 + HEIGHT - Z_TOP rx=width / 2.0 class="lead-body"/>
    };
    let contacts = contacts
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let slot = first + i;
            let (mark, class) = match bench.polarity[slot] {
                Polarity::Cathode => ("−", "lead-contact cathode"),
                Polarity::Anode => ("+", "lead-contact anode"),
                Polarity::Off => ("", "lead-contact"),
            };
            let share = (!mark.is_empty()).then(|| format!("{mark}{}%", bench.share[slot]));
            let [x, _, z] = c.center;
            let (tx, ty, tw, th) = contact_target(&c, pitch);
            let cycle = move || {
                if dragged.get_value() {
                    dragged.set_value(false);
                } else {
                    on_cycle.run(slot);
                }
            };
            view! {
                <g class="contact-target" role="button" tabindex="0" aria-label=contact_label(bench, slot)
                    data-testid=format!("spine-contact-{slot}")
                    on:click=move |_| cycle()
                    on:keydown=move |ev: web_sys::KeyboardEvent| if matches!(ev.key().as_str(), "Enter" | " ") {
                        ev.prevent_default();
                        on_cycle.run(slot);
                        refocus(format!("spine-contact-{slot}"));
                    }>
                    <rect x=tx y=ty width=tw height=th class="contact-hit"/>
                    <rect x=x - c.radius y=-z - c.half_length width=2.0 * c.radius height=2.0 * c.half_length class=class/>
                </g>
                // The words on the picture (the button's name says them too).
                <g class="contact-words" aria-hidden="true">
                    <text x=x + 2.2 y=-z + 1.1 class="contact-number">{ContactName(slot).to_string()}</text>
                    {share.map(|s| view! { <text x=x - 2.2 y=-z + 1.1 class="contact-share">{s}</text> })}
                </g>
            }
        })
        .collect_view();
    view! { <g class="lead" data-lead=index data-testid=format!("spine-lead-{}", index + 1)>{body}{contacts}</g> }
}

/// The bones of the AP picture, level by level: the vertebral body (a rounded rectangle
/// with its brighter cortical rim), the pedicles (rings at the body's upper lateral
/// corners), the spinous process (a teardrop on the midline); the discs are the dark gaps.
fn bones() -> impl IntoView {
    let canal = Anatomy::default().canal_width;
    LEVELS
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let y = -level_z(i);
            // Bodies widen caudally (about 26 mm at T6 to 36 mm at L1); a 5 mm disc.
            let half = 13.0 + 0.7 * i as f64;
            let pedicle = canal / 2.0 + 2.2 + 0.2 * i as f64;
            let spinous = format!(
                "M0 {} C3.2 {} 3.2 {} 0 {} C-3.2 {} -3.2 {} 0 {}Z",
                y - 5.0,
                y - 1.0,
                y + 7.0,
                y + 9.0,
                y + 7.0,
                y - 1.0,
                y - 5.0
            );
            view! {
                <rect x=-half y=y - 10.5 width=2.0 * half height="21" rx="3" fill="url(#bone)" class="bone vertebral-body"/>
                <ellipse cx=-pedicle cy=y - 5.0 rx="2.2" ry="3.4" class="bone pedicle"/>
                <ellipse cx=pedicle cy=y - 5.0 rx="2.2" ry="3.4" class="bone pedicle"/>
                <path d=spinous class="bone spinous"/>
                <text x=-19.5 y=y + 1.5 class="level-label">{*name}</text>
            }
        })
        .collect_view()
}

/// The soft tissue in the canal, from above: the canal's edges, the dural sac and the cord
/// (their widths from the anatomy).
fn canal() -> impl IntoView {
    let anatomy = Anatomy::default();
    let (_, sac, _) = anatomy.sac(0.0);
    let (cord, canal) = (anatomy.cord[0] / 2.0, anatomy.canal_width / 2.0);
    view! {
        <rect x=-sac y=-Z_TOP width=2.0 * sac height=HEIGHT class="sac"/>
        <rect x=-cord y=-Z_TOP width=2.0 * cord height=HEIGHT class="cord"/>
        <line x1=-canal y1=-Z_TOP x2=-canal y2=HEIGHT - Z_TOP class="canal-edge"/>
        <line x1=canal y1=-Z_TOP x2=canal y2=HEIGHT - Z_TOP class="canal-edge"/>
    }
}

/// The AP picture with the leads and the field, and the lateral view beside it.
#[component]
pub fn SpineView(
    /// The bench to draw.
    bench: RwSignal<Bench>,
    /// Where the leads are while one is dragged (the page previews the field there).
    dragging: RwSignal<Option<Placement>>,
    /// Called with the new placement when a lead is dropped or moved by key.
    on_place: Callback<Placement>,
    /// Whether the leads are fixed where they lie (a scenario's story): no drag, no keys.
    locked: Signal<bool>,
    /// Called with a contact's slot when it is clicked, tapped or pressed on the picture.
    on_cycle: Callback<usize>,
    /// The field shown (solved, or previewed while a lead is dragged).
    #[prop(into)]
    field: Signal<Option<Rc<Field>>, LocalStorage>,
    /// The fibres that fire.
    fired: Signal<Fired>,
) -> impl IntoView {
    let (preview, set_preview) = (dragging.read_only(), dragging.write_only());
    // The leads where they are shown: where dragged, else where they lie.
    let shown = Memo::new(move |_| preview.get().unwrap_or_else(|| bench.with(|b| b.placement)));
    let (quantity, set_quantity) = signal(0usize);
    let overlay = Memo::new(move |_| {
        let f = field.get()?;
        Some(bench.with(|b| Overlay::of(&f, b, quantity.get(), &fired.get())))
    });
    // A press on a lead: which lead, where it started (client px), and where the pointer
    // took hold of the lead relative to its middle (mm), so the lead follows the hand
    // without jumping its middle under the pointer. It becomes a drag past the slop.
    let press = StoredValue::new(None::<(usize, (f64, f64), (f64, f64))>);
    // Whether the last press was a drag (so the click that ends it does not cycle).
    let dragged = StoredValue::new(false);
    let at_pointer = move |ev: &web_sys::PointerEvent| {
        let svg = ev.current_target()?.dyn_into::<web_sys::Element>().ok()?;
        let r = svg.get_bounding_client_rect();
        Some(point_at(
            (ev.client_x() - r.left()) / r.width(),
            (ev.client_y() - r.top()) / r.height(),
        ))
    };
    let on_down = move |ev: web_sys::PointerEvent| {
        if locked.get_untracked() {
            return;
        }
        dragged.set_value(false);
        let Some((x, z)) = at_pointer(&ev) else {
            return;
        };
        let placement = bench.with_untracked(|b| b.placement);
        let Some(index) = lead_under(&placement, x, z) else {
            return;
        };
        let Some(lead) = placement.lead(index).map(|l| l.lead()) else {
            return;
        };
        ev.prevent_default();
        let start = (ev.client_x(), ev.client_y());
        press.set_value(Some((index, start, (x - lead.offset, z - lead.middle_z()))));
    };
    let on_move = move |ev: web_sys::PointerEvent| {
        let Some((index, (sx, sy), (gx, gz))) = press.get_value() else {
            return;
        };
        if !dragged.get_value() {
            if !is_drag(ev.client_x() - sx, ev.client_y() - sy) {
                return;
            }
            dragged.set_value(true);
            if let Some(svg) = ev
                .current_target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            {
                let _ = svg.set_pointer_capture(ev.pointer_id());
            }
        }
        let Some((x, z)) = at_pointer(&ev) else {
            return;
        };
        let (level, offset) = placement_at(x - gx, z - gz);
        let moved = bench.with_untracked(|b| {
            let shift = b.placement.lead(index).map_or(0, |l| l.shift_mm);
            b.placement.moved(index, level, shift, offset)
        });
        if preview.get_untracked() != Some(moved) {
            set_preview.set(Some(moved));
        }
    };
    let on_up = move |_| {
        press.set_value(None);
        if let Some(p) = preview.get_untracked() {
            set_preview.set(None);
            on_place.run(p);
        }
    };
    // Arrow keys move the lead whose contact has the keyboard (the picture itself: the first).
    let on_key = move |ev: web_sys::KeyboardEvent| {
        if locked.get_untracked() {
            return;
        }
        let index = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("[data-lead]").ok().flatten())
            .and_then(|g| g.get_attribute("data-lead"))
            .and_then(|i| i.parse().ok())
            .unwrap_or(0);
        let moved = bench.with_untracked(|b| moved_by_key(&b.placement, index, &ev.key()));
        if let Some(p) = moved {
            ev.prevent_default();
            // The lead is drawn anew: the contact that had the keyboard gets it back.
            let focused = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|e| e.get_attribute("data-testid"))
                .filter(|id| id.starts_with("spine-contact-"));
            on_place.run(p);
            if let Some(id) = focused {
                refocus(id);
            }
        }
    };
    // The stimulation centroid: the cathodic shares' weighted mean of the contacts, where
    // the field's strongest pull is (it moves as steering re-divides the shares).
    let centroid = move || {
        let centres: Vec<[f64; 3]> = contacts_of(&shown.get().field_leads(), &Anatomy::default())
            .iter()
            .map(|c| c.center)
            .collect();
        bench.with(|b| {
            steering::centroid(&b.electrodes(), &centres).map(|[x, _, z]| {
                view! {
                    <g class="centroid" data-testid="spine-centroid" aria-hidden="true">
                        <circle cx=x cy=-z r="2.2"/>
                        <line x1=x - 3.5 y1=-z x2=x + 3.5 y2=-z/>
                        <line x1=x y1=-z - 3.5 x2=x y2=-z + 3.5/>
                    </g>
                }
            })
        })
    };
    // Each lead where it is shown, the second's contacts numbered on from the first's.
    let leads_drawn = move || {
        let placement = shown.get();
        bench.with(|b| {
            placement
                .leads()
                .enumerate()
                .map(|(i, l)| {
                    lead_picture(i, &l.lead(), placement.slots(i).start, b, on_cycle, dragged)
                })
                .collect_view()
        })
    };
    let words = move || shown.get().words("at");
    view! {
        <figure class="spine" data-testid="spine-view">
            <label class="field">"Field shown"
                <select data-testid="spine-quantity" on:change=move |ev| set_quantity.set(event_target_value(&ev).parse().unwrap_or(0))>
                    {QUANTITIES.iter().enumerate().map(|(i, q)| view! { <option value=i.to_string()>{q.1}</option> }).collect_view()}
                </select>
            </label>
            <div class="spine-pictures">
                <svg viewBox=format!("{X0} {} {WIDTH} {HEIGHT}", -Z_TOP) class="spine-svg" tabindex="0" role="group"
                    aria-label=move || format!("Spine on an AP X-ray, shown as the surgeon sees the patient lying face down (the patient's left on the left), T6 to L1: {}. Drag a lead, or use the arrow keys (on a contact they move its lead); press a contact to cycle it.", words())
                    data-testid="spine-lead" on:pointerdown=on_down on:pointermove=on_move on:pointerup=on_up on:pointercancel=on_up on:keydown=on_key>
                    <defs>
                        <radialGradient id="film" cx="50%" cy="50%" r="75%">
                            <stop offset="0" stop-color="#262d35"/>
                            <stop offset="1" stop-color="#07090c"/>
                        </radialGradient>
                        <linearGradient id="bone">
                            <stop offset="0" stop-color="#a7afb8"/>
                            <stop offset="0.18" stop-color="#6f7884"/>
                            <stop offset="0.5" stop-color="#5d6671"/>
                            <stop offset="0.82" stop-color="#6f7884"/>
                            <stop offset="1" stop-color="#a7afb8"/>
                        </linearGradient>
                        <pattern id="hatch" width="1.2" height="1.2" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                            <line x1="0" y1="0" x2="0" y2="1.2" class="hatch-line"/>
                        </pattern>
                        // Dark (low) colours turn transparent, bright (high) ones opaque.
                        <filter id="glow">
                            <feColorMatrix type="matrix" values="1 0 0 0 0 0 1 0 0 0 0 0 1 0 0 0.2 1.2 0 0 -0.05"/>
                        </filter>
                    </defs>
                    <rect x=X0 y=-Z_TOP width=WIDTH height=HEIGHT fill="url(#film)"/>
                    {bones()}
                    {canal()}
                    // The radiographer's side markers: seen from behind, the patient's left is left.
                    <text x=X0 + WIDTH - 1.5 y=-Z_TOP + 6.0 class="level-label end side-marker" aria-hidden="true">"R"</text>
                    <text x=X0 + 9.0 y=-Z_TOP + 6.0 class="level-label side-marker" aria-hidden="true">"L"</text>
                    {move || overlay.get().map(|o| o.view())}
                    {leads_drawn}
                    {centroid}
                </svg>
                <LateralView placement=shown/>
            </div>
            <p class="legend" data-testid="spine-legend">
                <span class="scale" aria-hidden="true"></span>
                " " {move || overlay.get().map_or_else(|| "No field yet for this placement.".to_string(), |o| o.legend())}
            </p>
            <figcaption data-testid="spine-caption">{move || format!("Middle of {}.", words())}</figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_pointer_maps_to_the_nearest_level_and_millimetre() {
        // The middle of the drawing's width is the midline; T8's centre is 52 mm below T6.
        let fy_t8 = (Z_TOP + 52.0) / HEIGHT;
        assert_eq!(point_at(0.5, fy_t8), (0.0, -52.0));
        assert_eq!(placement_at(0.0, -52.0), (2, 0));
        assert_eq!(placement_at(3.2, -60.0), (2, 3));
        let (x, z) = point_at(0.0, 1.0);
        assert_eq!(placement_at(x, z), (LEVEL_COUNT - 1, -MAX_OFFSET_MM));
    }

    #[wasm_bindgen_test]
    fn only_a_press_on_the_lead_takes_hold_of_it() {
        let lead = Lead::at(LeadKind::PERCUTANEOUS_8, 2);
        assert!(grabs(&lead, 0.5, -52.0 + 20.0), "on its upper contacts");
        assert!(!grabs(&lead, 6.0, -52.0), "beside it");
        assert!(!grabs(&lead, 0.0, -52.0 - 40.0), "below its end");
    }

    #[wasm_bindgen_test]
    fn a_press_takes_the_nearest_of_two_leads_and_keys_move_the_one_named() {
        use super::super::placement::{Kind, Placed};
        let first = Placed::at(Kind::Percutaneous8, 2);
        let second = Placed {
            offset_mm: 4,
            shift_mm: -10,
            ..first
        };
        let two = Placement::new(first, Some(second)).unwrap();
        let z = first.lead().middle_z();
        assert_eq!(lead_under(&two, 0.5, z), Some(0));
        assert_eq!(
            lead_under(&two, 2.5, z - 10.0),
            Some(1),
            "nearer the second"
        );
        assert_eq!(
            lead_under(&two, 2.5, z + 25.0),
            Some(0),
            "above the staggered second's top"
        );
        assert_eq!(lead_under(&two, -6.0, z), None);
        let down = moved_by_key(&two, 1, "ArrowDown").unwrap();
        assert_eq!(
            down.lead(1),
            Some(Placed { level: 3, ..second }),
            "its stagger kept"
        );
        assert_eq!(down.first(), first, "the other lead stays");
        let right = moved_by_key(&two, 0, "ArrowRight").unwrap();
        assert_eq!(right.first().offset_mm, 1);
        assert_eq!(moved_by_key(&two, 0, "a"), None);
        assert_eq!(
            down.words("at"),
            "lead 1 at T8, on the midline; lead 2 at T9, 4 mm right of the midline"
        );
    }

    #[wasm_bindgen_test]
    fn a_press_that_moves_less_than_the_slop_is_a_tap() {
        assert!(!is_drag(0.0, 0.0));
        assert!(!is_drag(3.0, 3.9), "4.9 px: still a tap");
        assert!(is_drag(3.0, 4.0), "5 px: a drag");
        assert!(is_drag(0.0, -12.0));
    }

    #[wasm_bindgen_test]
    fn each_contact_s_target_holds_it_and_the_targets_tile_the_lead() {
        for kind in [LeadKind::PERCUTANEOUS_8, LeadKind::PERCUTANEOUS_16] {
            let lead = Lead {
                offset: 3.0,
                ..Lead::at(kind, 4)
            };
            let contacts = lead.contacts(&Anatomy::default());
            let targets: Vec<_> = contacts
                .iter()
                .map(|c| contact_target(c, pitch(&lead)))
                .collect();
            for (c, &(x, y, w, h)) in contacts.iter().zip(&targets) {
                let [cx, _, cz] = c.center;
                assert!(x < cx - c.radius && cx + c.radius < x + w, "across");
                assert!(
                    y < -cz - c.half_length && -cz + c.half_length < y + h,
                    "along"
                );
                assert!(
                    grabs(&lead, x, -y) && grabs(&lead, x + w, -(y + h)),
                    "a press on it holds the lead"
                );
            }
            for pair in targets.windows(2) {
                assert!(
                    (pair[0].1 + pair[0].3 - pair[1].1).abs() < 1e-9,
                    "E(n)'s target ends where E(n+1)'s begins"
                );
            }
        }
    }

    #[wasm_bindgen_test]
    fn a_contact_says_its_polarity_and_share() {
        let mut bench = Bench {
            areas: vec![super::super::bench::Area {
                polarity: [Polarity::Off; stim_core::contacts::CONTACT_SLOTS],
                ..Default::default()
            }],
            ..Bench::default()
        };
        assert_eq!(contact_label(&bench, 3), "E4: off");
        bench.cycle(3);
        bench.cycle(4);
        assert_eq!(contact_label(&bench, 3), "E4: cathode, 50 %");
        assert_eq!(contact_label(&bench, 4), "E5: cathode, 50 %");
        bench.cycle(4);
        assert_eq!(contact_label(&bench, 3), "E4: cathode, 100 %");
        assert_eq!(contact_label(&bench, 4), "E5: anode, 100 %");
    }
}
