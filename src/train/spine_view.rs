//! The spine from behind (T6–L1) with the lead where it lies: drag it with a pointer, or
//! move it with the arrow keys (up/down a level, left/right a millimetre).

use leptos::prelude::*;
use spine_field::anatomy::{level_z, Anatomy, LEVELS, LEVEL_HEIGHT};
use spine_field::lead::{contacts_of, Lead};
use stim_core::contacts::Polarity;
use wasm_bindgen::JsCast;

use super::bench::{Bench, LEVEL_COUNT};

/// The drawing's window, mm: x −20…20, z from above T6 to below L1 (drawn downwards).
const X0: f64 = -20.0;
const WIDTH: f64 = 40.0;
const Z_TOP: f64 = 20.0;
const HEIGHT: f64 = 235.0;
/// How far the lead may go from the midline, mm.
pub const MAX_OFFSET: i32 = 8;

/// The point (x, z) in mm at fraction (fx, fy) of the drawing.
fn point_at(fx: f64, fy: f64) -> (f64, f64) {
    (X0 + fx * WIDTH, Z_TOP - fy * HEIGHT)
}

/// Where the lead's middle at (x, z) mm puts it: (level, offset), snapped.
fn placement_at(x: f64, z: f64) -> (usize, i32) {
    let level = (-z / LEVEL_HEIGHT)
        .round()
        .clamp(0.0, (LEVEL_COUNT - 1) as f64) as usize;
    (level, (x.round() as i32).clamp(-MAX_OFFSET, MAX_OFFSET))
}

/// Whether a press at (x, z) mm takes hold of `lead` (within 3 mm of its body), so a tap
/// elsewhere on the spine does not move it.
fn grabs(lead: &Lead, x: f64, z: f64) -> bool {
    (x - lead.offset).abs() <= 3.0 && (z - lead.middle_z()).abs() <= lead.half_span() + 3.0
}

/// `bench`'s first lead in spine-field's terms, at `(level, offset)` if given (where it is
/// dragged to), and that (level, offset).
fn lead_of(bench: &Bench, at: Option<(usize, i32)>) -> (Lead, (usize, i32)) {
    let first = bench.placement.first();
    let (level, offset) = at.unwrap_or((first.level, first.offset_mm));
    (
        first.moved(level, first.shift_mm, offset).lead(),
        (level, offset),
    )
}

/// The dorsal view; `on_place(level, offset)` commits a move.
#[component]
pub fn SpineView(
    /// The bench to draw.
    bench: RwSignal<Bench>,
    /// Where the lead is while it is dragged (the page previews the field there).
    dragging: RwSignal<Option<(usize, i32)>>,
    /// Called with the new (level, offset) when the lead is dropped or moved by key.
    on_place: Callback<(usize, i32)>,
    /// Whether the lead is fixed where it lies (a scenario's story): no drag, no keys.
    locked: Signal<bool>,
) -> impl IntoView {
    let (preview, set_preview) = (dragging.read_only(), dragging.write_only());
    let shown = move || {
        preview
            .get()
            .unwrap_or_else(|| lead_of(&bench.get(), None).1)
    };
    // Where the pointer took hold of the lead, relative to the lead's middle (mm), so the
    // lead follows the hand without jumping its middle under the pointer.
    let grip = StoredValue::new(None::<(f64, f64)>);
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
        let Some((x, z)) = at_pointer(&ev) else {
            return;
        };
        let b = bench.get_untracked();
        let (lead, at) = lead_of(&b, None);
        if !grabs(&lead, x, z) {
            return;
        }
        if let Some(svg) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        {
            let _ = svg.set_pointer_capture(ev.pointer_id());
        }
        ev.prevent_default();
        grip.set_value(Some((x - lead.offset, z - lead.middle_z())));
        set_preview.set(Some(at));
    };
    let on_move = move |ev: web_sys::PointerEvent| {
        if let (Some((gx, gz)), Some((x, z))) = (grip.get_value(), at_pointer(&ev)) {
            let moved = placement_at(x - gx, z - gz);
            if preview.get_untracked() != Some(moved) {
                set_preview.set(Some(moved));
            }
        }
    };
    let on_up = move |_| {
        grip.set_value(None);
        if let Some(p) = preview.get_untracked() {
            set_preview.set(None);
            on_place.run(p);
        }
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        if locked.get_untracked() {
            return;
        }
        let (level, offset) = lead_of(&bench.get_untracked(), None).1;
        let moved = match ev.key().as_str() {
            "ArrowUp" => Some((level.saturating_sub(1), offset)),
            "ArrowDown" => Some(((level + 1).min(LEVEL_COUNT - 1), offset)),
            "ArrowLeft" => Some((level, (offset - 1).max(-MAX_OFFSET))),
            "ArrowRight" => Some((level, (offset + 1).min(MAX_OFFSET))),
            _ => None,
        };
        if let Some(p) = moved {
            ev.prevent_default();
            on_place.run(p);
        }
    };
    let contacts = move || {
        let b = bench.get();
        // The first lead where it is shown (dragged), a second one where it lies; their
        // contacts in E-order, as the polarities are.
        let mut leads = vec![lead_of(&b, Some(shown())).0];
        leads.extend(b.placement.lead(1).map(|l| l.lead()));
        contacts_of(&leads, &Anatomy::default())
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                let class = match b.polarity[i] {
                    Polarity::Cathode => "lead-contact cathode",
                    Polarity::Anode => "lead-contact anode",
                    Polarity::Off => "lead-contact",
                };
                view! { <rect x=c.center[0] - 0.65 y=-c.center[2] - 1.5 width="1.3" height="3" class=class/> }
            })
            .collect_view()
    };
    view! {
        <figure class="spine" data-testid="spine-view">
            <svg viewBox=format!("{X0} {} {WIDTH} {HEIGHT}", -Z_TOP) class="spine-svg" tabindex="0" role="group"
                aria-label=move || { let (l, o) = shown(); format!("Lead over {}, {} mm from the midline. Drag it, or use the arrow keys.", LEVELS[l], o) }
                data-testid="spine-lead" on:pointerdown=on_down on:pointermove=on_move on:pointerup=on_up on:pointercancel=on_up on:keydown=on_key>
                {LEVELS.iter().enumerate().map(|(i, name)| {
                    let y = -level_z(i);
                    view! {
                        <rect x="-11" y=y - 10.0 width="22" height="20" rx="3" class="vertebra"/>
                        <text x="-19" y=y + 1.5 class="level-label">{*name}</text>
                    }
                }).collect_view()}
                <rect x="-4" y=-Z_TOP width="8" height=HEIGHT class="cord-strip"/>
                {contacts}
            </svg>
            <figcaption data-testid="spine-caption">{move || { let (l, o) = shown(); format!("Middle of the lead at {}, {o} mm from the midline.", LEVELS[l]) }}</figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spine_field::lead::LeadKind;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_pointer_maps_to_the_nearest_level_and_millimetre() {
        // The middle of the drawing's width is the midline; T8's centre is 52 mm below T6.
        let fy_t8 = (Z_TOP + 52.0) / HEIGHT;
        assert_eq!(point_at(0.5, fy_t8), (0.0, -52.0));
        assert_eq!(placement_at(0.0, -52.0), (2, 0));
        assert_eq!(placement_at(3.2, -60.0), (2, 3));
        let (x, z) = point_at(0.0, 1.0);
        assert_eq!(placement_at(x, z), (LEVEL_COUNT - 1, -MAX_OFFSET));
    }

    #[wasm_bindgen_test]
    fn only_a_press_on_the_lead_takes_hold_of_it() {
        let lead = Lead::at(LeadKind::PERCUTANEOUS_8, 2);
        assert!(grabs(&lead, 0.5, -52.0 + 20.0), "on its upper contacts");
        assert!(!grabs(&lead, 6.0, -52.0), "beside it");
        assert!(!grabs(&lead, 0.0, -52.0 - 40.0), "below its end");
    }
}
