//! A placement's field (solved or previewed) and its detail view: an axial slice of the
//! potential through the active cathode, a colour-blind-safe colour scale (viridis) with
//! units, isolines, the dura, the cord and its grey matter drawn from the anatomy, the
//! lead's contact, and the dorsal column fibres that fire.

use std::sync::atomic::{AtomicU64, Ordering};

use leptos::prelude::*;
use spine_field::anatomy::{Anatomy, Tissue};
use spine_field::atlas::Atlas;
use spine_field::fibres::{anatomical_population, population, Fibre, FibreKind, Probe};
use spine_field::lead::{contacts_of, ContactShape, Lead};
use spine_field::model::{Model, Resolution};
use spine_field::slice::{isolines, slice_of, Plane, Quantity, Segment2, Slice};

use super::bench::Bench;
use super::membrane::Criterion;
use super::placement::{Kind, Placement};
use super::response::Fired;
use crate::field_solve;

/// How a [`Field`] was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quality {
    /// Solved on the coarse grid (the fine one follows when the lead rests).
    Coarse,
    /// Solved on the fine grid: the final field.
    Fine,
    /// Translated from the atlas while the lead is dragged (spine_field::atlas).
    Preview,
}

/// Where a field's values come from.
enum Source {
    /// A solve of this placement.
    Solved(Model),
    /// The drag preview's atlas.
    Atlas(Atlas),
}

/// A placement's field and its fibres, solved or previewed.
pub struct Field {
    /// Which field this is: each one made has its own (what is computed from a field is
    /// kept while the same field is shown).
    pub serial: u64,
    /// The placement it is for (a new placement needs a new solve).
    pub key: Placement,
    /// Solved (coarse or fine) or previewed.
    pub quality: Quality,
    anatomy: Anatomy,
    /// The first lead (where a section passes when no contact is a cathode).
    lead: Lead,
    /// Every lead's contacts, in E-order.
    contacts: Vec<ContactShape>,
    source: Source,
    probe: Probe,
    /// The anatomical fibres, for the membrane model: a solved fine field's only.
    anatomical: Option<Probe>,
}

/// The next field's [`Field::serial`].
fn next_serial() -> u64 {
    static SERIAL: AtomicU64 = AtomicU64::new(0);
    SERIAL.fetch_add(1, Ordering::Relaxed)
}

/// The span a field of `leads` is probed over: from 10 mm above the highest contact to
/// 10 mm below the lowest of any lead (mm, top first).
fn span(leads: &[Lead]) -> (f64, f64) {
    let top = leads.iter().map(|l| l.middle_z() + l.half_span());
    let bottom = leads.iter().map(|l| l.middle_z() - l.half_span());
    (
        top.fold(f64::MIN, f64::max) + 10.0,
        bottom.fold(f64::MAX, f64::min) - 10.0,
    )
}

/// The fibres a field of `leads` is probed on (the preview's: see `fibres::population`).
pub(crate) fn fibres_for(anatomy: &Anatomy, leads: &[Lead]) -> Vec<spine_field::fibres::Fibre> {
    let (top, bottom) = span(leads);
    population(anatomy, top, bottom)
}

/// The fibres the membrane model reads in a field of `leads`: see
/// `fibres::anatomical_population`.
pub(crate) fn anatomical_fibres_for(
    anatomy: &Anatomy,
    leads: &[Lead],
) -> Vec<spine_field::fibres::Fibre> {
    let (top, bottom) = span(leads);
    anatomical_population(anatomy, top, bottom)
}

impl Field {
    /// Solves `placement` at `resolution` in the field workers (see
    /// [`crate::field_solve`]); `None` when `stale` turns true or the solve fails.
    pub async fn solve(
        placement: Placement,
        resolution: Resolution,
        stale: impl Fn() -> bool,
        progress: impl Fn(usize, usize),
    ) -> Option<Field> {
        let leads = placement.field_leads();
        let model = field_solve::solve(leads.clone(), resolution, stale, progress).await?;
        let probe = Probe::new(&model, fibres_for(&model.anatomy, &leads));
        let fine = resolution == Resolution::FINE;
        let anatomical =
            fine.then(|| Probe::new(&model, anatomical_fibres_for(&model.anatomy, &leads)));
        Some(Field {
            serial: next_serial(),
            key: placement,
            quality: if fine { Quality::Fine } else { Quality::Coarse },
            anatomy: model.anatomy.clone(),
            lead: leads[0],
            contacts: model.contacts.clone(),
            source: Source::Solved(model),
            probe,
            anatomical,
        })
    }

    /// The preview of `bench`'s placement from `atlas`, if it holds the levels every lead
    /// needs (each contact of either lead reads the atlas translated to where it lies).
    /// `None` for a paddle: its insulating body changes every contact's field, so it has no
    /// atlas and is solved.
    pub fn preview(bench: &Bench, atlas: &Atlas) -> Option<Field> {
        let (anatomy, leads) = (Anatomy::default(), bench.placement.field_leads());
        // (The levels are checked by `probe`; the atlas's own coverage check would cost
        // the page's bundle more.)
        if bench.placement.leads().any(|l| l.kind == Kind::Paddle) {
            return None;
        }
        let contacts = contacts_of(&leads, &anatomy);
        // Every area's contacts are sampled: the response weighs each area's fibres.
        let probe = atlas.probe(&contacts, &bench.in_use(), fibres_for(&anatomy, &leads))?;
        Some(Field {
            serial: next_serial(),
            key: bench.placement,
            quality: Quality::Preview,
            anatomy,
            lead: leads[0],
            contacts,
            source: Source::Atlas(atlas.clone()),
            probe,
            anatomical: None,
        })
    }

    /// The lead this field is of (where it lies, also while it is dragged).
    pub fn lead(&self) -> &Lead {
        &self.lead
    }

    /// The fibres it is probed on.
    pub fn fibres(&self) -> &[Fibre] {
        &self.probe.fibres
    }

    /// Its fibres and their share of the field (what thresholds are computed from).
    pub fn probe(&self) -> &Probe {
        &self.probe
    }

    /// The anatomical fibres the membrane model reads (a solved fine field's only).
    pub fn anatomical_probe(&self) -> Option<&Probe> {
        self.anatomical.as_ref()
    }

    /// The fibres fired by `fired`: `None` where an index lies beyond this field's fibres
    /// (the judgement's field is checked upstream: `Response` judges only the field shown).
    pub fn fired_fibres<'a>(&'a self, fired: &'a Fired) -> Option<Vec<&'a Fibre>> {
        let fibres = match fired.criterion {
            Criterion::Preview => self.fibres(),
            Criterion::Membrane => &self.anatomical_probe()?.fibres,
        };
        fired.fibres.iter().map(|&i| fibres.get(i)).collect()
    }

    /// A `quantity` of the field of `currents_ma` at the contacts on a section, at `size`
    /// (columns, rows).
    pub fn section(
        &self,
        currents_ma: &[f64],
        plane: Plane,
        through: [f64; 3],
        extent: [f64; 4],
        size: [usize; 2],
        quantity: Quantity,
    ) -> Slice {
        match &self.source {
            Source::Solved(model) => {
                // Interpolation is linear: the sum of the contacts' interpolated fields at
                // each drawn point, not the program's whole grid (two views redraw it).
                let active: Vec<(f64, &Vec<f32>)> = currents_ma
                    .iter()
                    .zip(&model.fields)
                    .filter(|(i, _)| **i != 0.0)
                    .map(|(&i, f)| (i, f))
                    .collect();
                let at = |p| {
                    active
                        .iter()
                        .map(|(i, f)| i * model.grid.interpolate(f, p))
                        .sum()
                };
                slice_of(&at, plane, through, extent, size, quantity)
            }
            Source::Atlas(atlas) => {
                // A preview exists only where its program's levels are solved.
                let potential = atlas.potential(&self.contacts, currents_ma);
                let at = |p| potential.as_ref().map_or(0.0, |f| f(p));
                slice_of(&at, plane, through, extent, size, quantity)
            }
        }
    }
}

/// Each contact's current for `bench`'s program, mA (cathodes −).
pub fn currents_ma(bench: &Bench) -> Vec<f64> {
    let amplitude_ma = bench.amplitude_ua as f64 / 1_000.0;
    bench.fractions().iter().map(|x| x * amplitude_ma).collect()
}

/// Viridis at five stops (perceptually uniform, readable with colour-vision deficiency).
const VIRIDIS: [[f64; 3]; 5] = [
    [68.0, 1.0, 84.0],
    [59.0, 82.0, 139.0],
    [33.0, 145.0, 140.0],
    [94.0, 201.0, 98.0],
    [253.0, 231.0, 37.0],
];

fn colour(t: f64) -> [u8; 3] {
    let t = t.clamp(0.0, 1.0) * 4.0;
    let (i, f) = ((t.floor() as usize).min(3), t - t.floor().min(3.0));
    [0, 1, 2].map(|k| (VIRIDIS[i][k] + (VIRIDIS[i + 1][k] - VIRIDIS[i][k]) * f) as u8)
}

/// The raster (values 0–1, row 0 at the bottom) coloured, as a 24-bit BMP data URL: one
/// image element instead of a rectangle per cell, because a drag redraws it every frame
/// (1 440 elements cost the browser ~20 ms a frame); the browser scales it smoothly.
pub fn raster_image(raster: &Slice) -> String {
    // btoa takes a string of byte-valued characters.
    let bytes: String = raster_bmp(&raster.values, raster.size)
        .iter()
        .map(|&b| b as char)
        .collect();
    let encoded = web_sys::window()
        .and_then(|w| w.btoa(&bytes).ok())
        .unwrap_or_default();
    format!("data:image/bmp;base64,{encoded}")
}

/// The raster coloured, as the bytes of a 24-bit BMP file.
fn raster_bmp(values: &[f32], [w, h]: [usize; 2]) -> Vec<u8> {
    let row = (w * 3).div_ceil(4) * 4;
    let size = 54 + row * h;
    let mut bmp = Vec::with_capacity(size);
    bmp.extend(b"BM");
    bmp.extend((size as u32).to_le_bytes());
    bmp.extend([0; 4]);
    bmp.extend(54u32.to_le_bytes());
    bmp.extend(40u32.to_le_bytes()); // BITMAPINFOHEADER
    bmp.extend((w as i32).to_le_bytes());
    bmp.extend((h as i32).to_le_bytes()); // positive: rows bottom-up, as the raster's
    bmp.extend(1u16.to_le_bytes());
    bmp.extend(24u16.to_le_bytes());
    bmp.extend([0; 24]); // no compression, default resolution and palette
    for r in 0..h {
        for &v in &values[r * w..(r + 1) * w] {
            let [red, green, blue] = colour(v as f64);
            bmp.extend([blue, green, red]);
        }
        bmp.resize(bmp.len() + row - w * 3, 0);
    }
    bmp
}

/// The slice's window: x −10…10 mm, y −5…13 mm (dorsal up), at this raster.
const EXTENT: [f64; 4] = [-10.0, -5.0, 10.0, 13.0];
const RASTER: [usize; 2] = [40, 36];
const W: f64 = 200.0;
const H: f64 = 180.0;

fn to_svg(u: f64, v: f64) -> (f64, f64) {
    (
        (u - EXTENT[0]) / (EXTENT[2] - EXTENT[0]) * W,
        (EXTENT[3] - v) / (EXTENT[3] - EXTENT[1]) * H,
    )
}

/// The outlines of the dural sac, the cord and its grey matter on the axial section at
/// `z`, each with its drawing class: isolines of each tissue set sampled from the
/// anatomy, so the drawing is the model's cross-section.
fn tissue_outlines(anatomy: &Anatomy, z: f64) -> Vec<(Segment2, &'static str)> {
    let sets: [(&[Tissue], &'static str); 3] = [
        (
            &[
                Tissue::Dura,
                Tissue::Csf,
                Tissue::WhiteMatter,
                Tissue::GreyMatter,
            ],
            "outline dura",
        ),
        (&[Tissue::WhiteMatter, Tissue::GreyMatter], "outline cord"),
        (&[Tissue::GreyMatter], "outline grey"),
    ];
    sets.into_iter()
        .flat_map(|(set, class)| {
            let inside = |p: [f64; 3]| f64::from(u8::from(set.contains(&anatomy.tissue_at(p))));
            let raster = slice_of(
                &inside,
                Plane::Axial,
                [0.0, 0.0, z],
                EXTENT,
                OUTLINE_RASTER,
                Quantity::Potential,
            );
            isolines(&raster, 0.5).into_iter().map(move |s| (s, class))
        })
        .collect()
}

/// The raster the tissue outlines are traced on (0.4 mm: a drag redraws them every frame).
const OUTLINE_RASTER: [usize; 2] = [50, 45];

/// The section shown: its window (u0, v0, u1, v1, mm) around the cathode at `c`, and a
/// name. Sagittal and coronal windows run 20 mm either way along the cord.
fn section(plane: Plane, c: [f64; 3]) -> ([f64; 4], &'static str) {
    match plane {
        Plane::Axial => (EXTENT, "Axial section through the cathode"),
        Plane::Sagittal => (
            [c[2] - 20.0, -5.0, c[2] + 20.0, 13.0],
            "Sagittal section through the cathode (rostral to the right)",
        ),
        Plane::Coronal => (
            [-10.0, c[2] - 20.0, 10.0, c[2] + 20.0],
            "Coronal section through the dorsal columns (rostral up)",
        ),
    }
}

/// A section of `field` for `bench`: axial, sagittal or coronal.
#[component]
pub fn FieldView(
    /// Which section to draw.
    plane: ReadSignal<Plane>,
    /// The placement's field: solved, or previewed while the lead is dragged.
    #[prop(into)]
    field: Signal<Option<std::rc::Rc<Field>>, LocalStorage>,
    /// What is programmed on it.
    bench: RwSignal<Bench>,
    /// The fibres that fire (computed once, by the caller, for this view and the body map).
    fired: Signal<Fired>,
) -> impl IntoView {
    let drawing = move || {
        let (f, b) = (field.get()?, bench.get());
        // The slice passes through the first cathode (or the lead's middle).
        // (A field still shown for the previous lead may have fewer contacts.)
        let cathode =
            (0..b.placement.contacts().min(f.contacts.len())).find(|&c| b.fractions()[c] < 0.0);
        let z = cathode.map_or(f.lead.middle_z(), |c| f.contacts[c].center[2]);
        let x = cathode.map_or(f.lead.offset, |c| f.contacts[c].center[0]);
        let plane = plane.get();
        // Coronal sections pass through the dorsal columns (2 mm dorsal of the cord's centre).
        let (extent, name) = section(plane, [x, 2.0, z]);
        let raster = f.section(
            &currents_ma(&b),
            plane,
            [x, 2.0, z],
            extent,
            RASTER,
            Quantity::Potential,
        );
        // Raster (u, v) → drawing: u across, v up.
        let place = |u: f64, v: f64| {
            (
                (u - extent[0]) / (extent[2] - extent[0]) * W,
                (extent[3] - v) / (extent[3] - extent[1]) * H,
            )
        };
        let peak = raster
            .values
            .iter()
            .fold(0f32, |m, v| m.max(v.abs()))
            .max(1e-6);
        let magnitude = spine_field::slice::Slice {
            values: raster.values.iter().map(|v| v.abs() / peak).collect(),
            ..raster.clone()
        };
        let fired = fired.get();
        let fired = f.fired_fibres(&fired).unwrap_or_default();
        let image = raster_image(&magnitude);
        let lines = [0.25f32, 0.5, 0.75]
            .iter()
            .flat_map(|&level| isolines(&magnitude, level))
            .map(|[a, b]| {
                let ((x1, y1), (x2, y2)) = (place(a[0], a[1]), place(b[0], b[1]));
                view! { <line x1=x1 y1=y1 x2=x2 y2=y2 class="isoline"/> }
            })
            .collect_view();
        let scale = W / (EXTENT[2] - EXTENT[0]);
        let axial = plane == Plane::Axial;
        let fibres = fired
            .iter()
            .filter(|fibre| axial && fibre.kind == FibreKind::DorsalColumn)
            .map(|fibre| {
                let n = fibre.nodes[0];
                let (x, y) = to_svg(n[0], n[1]);
                view! { <circle cx=x cy=y r="1.6" class="fibre-fired"/> }
            })
            .collect_view();
        // The cathode's contact (or the lead's middle one) on the axial section.
        let drawn = cathode.unwrap_or(f.contacts.len() / 2);
        let contact = Some(drawn).filter(|_| axial).map(|c| {
            let p = f.contacts[c].center;
            let (x, y) = to_svg(p[0], p[1]);
            view! { <circle cx=x cy=y r=0.65 * scale class="contact"/> }
        });
        let count = fired.len();
        Some(view! {
            <svg viewBox=format!("0 0 {W} {H}") class="field-view" role="img"
                aria-label=format!("{name}: potential up to {:.0} mV; {count} fibres fire", peak * 1_000.0)>
                <image href=image x="0" y="0" width=W height=H preserveAspectRatio="none"/>
                {lines}
                {axial.then(|| tissue_outlines(&f.anatomy, z).into_iter().map(|([a, b], class)| {
                    let ((x1, y1), (x2, y2)) = (to_svg(a[0], a[1]), to_svg(b[0], b[1]));
                    view! { <line x1=x1 y1=y1 x2=x2 y2=y2 class=class/> }
                }).collect_view())}
                {fibres}
                {contact}
            </svg>
            <p class="legend" data-testid="field-legend">
                <span class="scale" aria-hidden="true"></span>
                {format!(" |potential| 0 – {:.0} mV (isolines at 25, 50, 75 %). {count} fibres fire. {}{}", peak * 1_000.0,
                    match f.quality {
                        Quality::Fine => "Fine grid (0.5 mm).",
                        Quality::Coarse => "Coarse grid (1 mm); the fine one follows when the lead rests.",
                        Quality::Preview => "Preview from precomputed fields (thresholds within 10 % of the full solve); the full field follows when the lead rests.",
                    },
                    if f.key != b.placement && f.quality != Quality::Preview { " This is the previous placement's field; this one is being solved." } else { "" })}
            </p>
        })
    };
    view! { <figure class="field" data-testid="field-view">{drawing}</figure> }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_raster_is_a_bmp_of_its_size_with_viridis_colours_bottom_row_first() {
        let mut values = vec![0.0f32; RASTER[0] * RASTER[1]];
        values[0] = 1.0; // bottom-left: the top of the scale, yellow
        let bytes = raster_bmp(&values, RASTER);
        assert_eq!(&bytes[..2], b"BM");
        assert_eq!(bytes.len(), 54 + 120 * 36);
        assert_eq!(i32::from_le_bytes(bytes[18..22].try_into().unwrap()), 40);
        assert_eq!(i32::from_le_bytes(bytes[22..26].try_into().unwrap()), 36);
        assert_eq!(bytes[54..57], [37, 231, 253], "BGR of viridis' top");
        assert_eq!(bytes[57..60], [84, 1, 68], "BGR of viridis' bottom");
    }
}
