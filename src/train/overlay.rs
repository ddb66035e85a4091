//! The field over the spine picture: a coronal section through the dorsal columns of the
//! potential, the field strength or the activating function, semi-transparent over the
//! bones, with its isolines, its colour scale in units, the band of dorsal columns that
//! fire and the roots that fire, all in the picture's millimetres (x across, y = −z down).

use leptos::prelude::*;
use spine_field::fibres::FibreKind;
use spine_field::slice::{isolines, Plane, Quantity, Segment2, Slice};

use super::bench::Bench;
use super::field_view::{currents_ma, raster_image, Field, Quality};
use super::response::Fired;

/// The section's depth: the dorsal columns, 2 mm dorsal of the cord's centre.
const DEPTH_MM: f64 = 2.0;
/// The section's half width (the canal and a little beyond), mm.
const HALF_WIDTH_MM: f64 = 10.0;
/// How far beyond the lead's ends the section runs, mm.
const BEYOND_MM: f64 = 12.0;
/// Columns × rows of the raster (1 mm across; 1.6–1.8 mm along the cord).
const RASTER: [usize; 2] = [20, 48];

/// The quantities offered, with their names and display units: (quantity, name, unit,
/// the unit's size in the slice's SI unit).
pub const QUANTITIES: [(Quantity, &str, &str, f64); 3] = [
    (Quantity::Potential, "Potential", "mV", 1e-3),
    (Quantity::FieldMagnitude, "Field strength", "V/m", 1.0),
    // 1 mV/mm² = 1 000 V/m².
    (
        Quantity::ActivatingFunction,
        "Activating function",
        "mV/mm²",
        1e3,
    ),
];

/// Values scaled to 0–1 for the colour scale and the peak in the slice's unit: the
/// potential's magnitude (cathodic fields are negative), the field strength, and the
/// activating function's depolarising (positive) part, where fibres fire.
fn normalised(values: &[f32], quantity: Quantity) -> (Vec<f32>, f32) {
    let shown = |v: f32| match quantity {
        Quantity::Potential => v.abs(),
        Quantity::FieldMagnitude => v,
        Quantity::ActivatingFunction => v.max(0.0),
    };
    let peak = values.iter().fold(0f32, |m, &v| m.max(shown(v)));
    let scaled = values.iter().map(|&v| shown(v) / peak.max(1e-12)).collect();
    (scaled, peak)
}

/// The field drawn over the spine: the section, its isolines and what fires.
#[derive(Clone, Debug, PartialEq)]
pub struct Overlay {
    /// The coloured section as a data URL, and its rectangle (x0, z0, x1, z1), mm.
    image: String,
    extent: [f64; 4],
    /// Isolines at 25, 50 and 75 % of the peak, in (x, z) mm.
    lines: Vec<Segment2>,
    /// The peak, in the display unit, and which quantity.
    peak: f64,
    quantity: usize,
    /// The band (x0, x1, z0, z1) of the dorsal-column fibres that fire, if any.
    columns: Option<[f64; 4]>,
    /// The fired roots, each as its nodes' (x, z).
    roots: Vec<Vec<(f64, f64)>>,
    /// Whether it is the previous placement's field, shown (dimmed) while this one is solved.
    previous: bool,
    /// The program whose field it is, when the bench has several (the fibres that fire are
    /// every program's).
    program: Option<usize>,
}

impl Overlay {
    /// The overlay of `bench`'s program on `field`, showing `QUANTITIES[quantity]`, with the
    /// fibres `fired`.
    pub fn of(field: &Field, bench: &Bench, quantity: usize, fired: &Fired) -> Overlay {
        let (q, _, _, unit) = QUANTITIES[quantity];
        let lead = field.lead();
        let (z, half) = (lead.middle_z(), lead.half_span() + BEYOND_MM);
        let extent = [-HALF_WIDTH_MM, z - half, HALF_WIDTH_MM, z + half];
        let raster = field.section(
            &currents_ma(bench),
            Plane::Coronal,
            [0.0, DEPTH_MM, 0.0],
            extent,
            RASTER,
            q,
        );
        let (values, peak) = normalised(&raster.values, q);
        let shown = Slice { values, ..raster };
        let lines = [0.25f32, 0.5, 0.75]
            .iter()
            .flat_map(|&level| isolines(&shown, level))
            .collect();
        let mut columns: Option<[f64; 4]> = None;
        let mut roots = vec![];
        for fibre in field.fired_fibres(fired).unwrap_or_default() {
            let nodes = &fibre.nodes;
            match fibre.kind {
                FibreKind::DorsalColumn => {
                    let (x, z0, z1) = (nodes[0][0], nodes[nodes.len() - 1][2], nodes[0][2]);
                    let band = columns.get_or_insert([x, x, z0, z1]);
                    *band = [
                        band[0].min(x),
                        band[1].max(x),
                        band[2].min(z0),
                        band[3].max(z1),
                    ];
                }
                FibreKind::DorsalRoot { .. } => {
                    roots.push(nodes.iter().map(|n| (n[0], n[2])).collect());
                }
            }
        }
        Overlay {
            image: raster_image(&shown),
            extent,
            lines,
            peak: peak as f64 / unit,
            quantity,
            columns,
            roots,
            previous: field.key != bench.placement && field.quality != Quality::Preview,
            program: (bench.areas.len() > 1).then_some(bench.active),
        }
    }

    /// The drawing, in the spine picture's coordinates (x, −z).
    pub fn view(&self) -> impl IntoView {
        let [x0, z0, x1, z1] = self.extent;
        let lines = self
            .lines
            .iter()
            .map(|[a, b]| view! { <line x1=a[0] y1=-a[1] x2=b[0] y2=-b[1] class="isoline"/> })
            .collect_view();
        // The fibres are 0.125 mm apart: the band reaches half a step beyond its outer ones.
        let columns = self.columns.map(|[a, b, lo, hi]| {
            view! { <rect x=a - 0.0625 y=-hi width=b - a + 0.125 height=hi - lo class="fired-columns" data-testid="fired-columns"/> }
        });
        let roots = self
            .roots
            .iter()
            .map(|nodes| {
                let points: String = nodes
                    .iter()
                    .map(|(x, z)| format!("{x:.1},{:.1} ", -z))
                    .collect();
                view! { <polyline points=points class="fired-root"/> }
            })
            .collect_view();
        view! {
            <image href=self.image.clone() x=x0 y=-z1 width=x1 - x0 height=z1 - z0 preserveAspectRatio="none" filter="url(#glow)" class=if self.previous { "field-overlay previous" } else { "field-overlay" }/>
            {lines}
            {columns}
            {roots}
        }
    }

    /// The colour scale's words: what, from 0 to the peak, in units, and what fires.
    pub fn legend(&self) -> String {
        let (_, name, unit, _) = QUANTITIES[self.quantity];
        let what = if self.quantity == 2 {
            " (depolarising part)"
        } else {
            ""
        };
        let fired = match (self.columns.is_some(), self.roots.len()) {
            (false, 0) => "No fibre fires.".to_string(),
            (columns, roots) => format!(
                "Firing{}:{}{}.",
                if self.program.is_some() {
                    " (all programs)"
                } else {
                    ""
                },
                if columns {
                    " dorsal columns (hatched band)"
                } else {
                    ""
                },
                if roots > 0 {
                    format!(" {roots} root fibres (pink lines)")
                } else {
                    String::new()
                }
            ),
        };
        let digits = if self.peak < 10.0 { 1 } else { 0 };
        let previous = if self.previous {
            " This is the previous placement's field (dimmed); this one is being solved."
        } else {
            ""
        };
        let of = self
            .program
            .map_or(String::new(), |p| format!(" of program {}", p + 1));
        format!(
            "{name}{what}{of} at the dorsal columns: 0 – {:.*} {unit}; isolines at 25, 50, 75 %. {fired}{previous}",
            digits, self.peak
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_scale_shows_the_potential_s_magnitude_and_the_depolarising_activating_function() {
        let values = [-0.4f32, 0.1, 0.2];
        let (potential, peak) = normalised(&values, Quantity::Potential);
        assert_eq!((potential, peak), (vec![1.0, 0.25, 0.5], 0.4));
        let (activating, peak) = normalised(&values, Quantity::ActivatingFunction);
        assert_eq!((activating, peak), (vec![0.0, 0.5, 1.0], 0.2));
        let (zero, peak) = normalised(&[0.0, 0.0], Quantity::FieldMagnitude);
        assert_eq!(
            (zero, peak),
            (vec![0.0, 0.0], 0.0),
            "no current: nothing drawn"
        );
    }
}
