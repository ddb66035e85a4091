//! What the app draws: a 2-D slice of the potential, of the field's magnitude or of the
//! activating function along the cord, through a point, sagittal, axial or coronal, on a
//! regular raster; and its isolines.

use crate::grid::Grid;

/// The plane of a slice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plane {
    /// x = const: (z, y) — a side view.
    Sagittal,
    /// z = const: (x, y) — a cross-section.
    Axial,
    /// y = const: (x, z) — the view from behind, as on X-ray.
    Coronal,
}

/// A raster of values over a rectangle of the plane.
#[derive(Clone, Debug, PartialEq)]
pub struct Slice {
    /// Columns and rows.
    pub size: [usize; 2],
    /// The rectangle, mm: (u0, v0) to (u1, v1); u across the columns, v down the rows.
    pub extent: [f64; 4],
    /// Row-major values (V, V/m or V/m², as [`Quantity`] says).
    pub values: Vec<f32>,
}

/// What a slice shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantity {
    /// The potential, V.
    Potential,
    /// The field's magnitude |∇Φ|, V/m.
    FieldMagnitude,
    /// The activating function of a fibre along the cord, ∂²Φ/∂z², V/m²: positive where
    /// a fibre running along z is depolarised (Rattay, IEEE TBME 33:974, 1986), the
    /// continuous form of the second difference at the nodes that the fibres use.
    ActivatingFunction,
}

/// The step of the finite differences, mm (far below the raster's and the grid's cells).
const H: f64 = 0.1;

/// The 3-D point of (u, v) on `plane` through `through`.
fn point(plane: Plane, through: [f64; 3], u: f64, v: f64) -> [f64; 3] {
    match plane {
        Plane::Sagittal => [through[0], v, u],
        Plane::Axial => [u, v, through[2]],
        Plane::Coronal => [u, through[1], v],
    }
}

/// Samples `field` (cell-centred, V) on `plane` through `through`, over `extent`
/// (u0, v0, u1, v1 in mm) at `size` (columns, rows).
pub fn slice(
    grid: &Grid,
    field: &[f32],
    plane: Plane,
    through: [f64; 3],
    extent: [f64; 4],
    size: [usize; 2],
    quantity: Quantity,
) -> Slice {
    slice_of(
        &|p| grid.interpolate(field, p),
        plane,
        through,
        extent,
        size,
        quantity,
    )
}

/// Like [`slice`], for a potential given as a function of the point (V at a point, mm;
/// `dyn`, so the page's bundle holds one copy of the sampling loop).
pub fn slice_of(
    potential: &dyn Fn([f64; 3]) -> f64,
    plane: Plane,
    through: [f64; 3],
    extent: [f64; 4],
    size: [usize; 2],
    quantity: Quantity,
) -> Slice {
    let [cols, rows] = size;
    let mut values = Vec::with_capacity(cols * rows);
    let step = |a: f64, b: f64, n: usize, i: usize| a + (b - a) * (i as f64 + 0.5) / n as f64;
    for r in 0..rows {
        for c in 0..cols {
            let (u, v) = (
                step(extent[0], extent[2], cols, c),
                step(extent[1], extent[3], rows, r),
            );
            let p = point(plane, through, u, v);
            let value = match quantity {
                Quantity::Potential => potential(p),
                Quantity::FieldMagnitude => {
                    // Central differences; mm → m for V/m.
                    let g: f64 = (0..3)
                        .map(|d| {
                            let (mut a, mut b) = (p, p);
                            a[d] -= H;
                            b[d] += H;
                            ((potential(b) - potential(a)) / (2.0 * H * 1e-3)).powi(2)
                        })
                        .sum();
                    g.sqrt()
                }
                Quantity::ActivatingFunction => {
                    // The second central difference along z; mm² → m² for V/m².
                    let along = |dz: f64| potential([p[0], p[1], p[2] + dz]);
                    (along(-H) - 2.0 * potential(p) + along(H)) / (H * 1e-3).powi(2)
                }
            };
            values.push(value as f32);
        }
    }
    Slice {
        size,
        extent,
        values,
    }
}

/// A line segment of an isoline, in the slice's (u, v) millimetres.
pub type Segment2 = [[f64; 2]; 2];

/// The isolines of `slice` at `level` (marching squares, between raster centres).
pub fn isolines(slice: &Slice, level: f32) -> Vec<Segment2> {
    let [cols, rows] = slice.size;
    let at = |c: usize, r: usize| slice.values[r * cols + c];
    let (du, dv) = (
        (slice.extent[2] - slice.extent[0]) / cols as f64,
        (slice.extent[3] - slice.extent[1]) / rows as f64,
    );
    let uv = |c: f64, r: f64| {
        [
            slice.extent[0] + (c + 0.5) * du,
            slice.extent[1] + (r + 0.5) * dv,
        ]
    };
    let mut segments = vec![];
    for r in 0..rows.saturating_sub(1) {
        for c in 0..cols.saturating_sub(1) {
            // Corners counter-clockwise; an edge is cut where the level lies between its ends.
            let corners = [(c, r), (c + 1, r), (c + 1, r + 1), (c, r + 1)];
            let mut cuts = vec![];
            for e in 0..4 {
                let (a, b) = (corners[e], corners[(e + 1) % 4]);
                let (va, vb) = (at(a.0, a.1), at(b.0, b.1));
                if (va < level) != (vb < level) {
                    let t = ((level - va) / (vb - va)) as f64;
                    cuts.push(uv(
                        a.0 as f64 + t * (b.0 as f64 - a.0 as f64),
                        a.1 as f64 + t * (b.1 as f64 - a.1 as f64),
                    ));
                }
            }
            // Two cuts: one segment; four (a saddle): two.
            for pair in cuts.chunks_exact(2) {
                segments.push([pair[0], pair[1]]);
            }
        }
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::Axis;

    #[test]
    fn the_isoline_of_a_radial_field_is_a_circle() {
        let size = [81, 81];
        let extent = [-4.05, -4.05, 4.05, 4.05]; // 81 samples 0.1 mm apart
        let mut values = vec![];
        for r in 0..81 {
            for c in 0..81 {
                let (u, v) = (
                    -4.05 + (c as f64 + 0.5) * 0.1,
                    -4.05 + (r as f64 + 0.5) * 0.1,
                );
                values.push((u * u + v * v).sqrt() as f32);
            }
        }
        let segments = isolines(
            &Slice {
                size,
                extent,
                values,
            },
            2.0,
        );
        assert!(segments.len() > 50);
        for s in &segments {
            for p in s {
                assert!(
                    ((p[0] * p[0] + p[1] * p[1]).sqrt() - 2.0).abs() < 0.02,
                    "{p:?}"
                );
            }
        }
    }

    #[test]
    fn a_slice_samples_the_field_and_its_gradient() {
        let axis = Axis::uniform(-5.0, 1.0, 10);
        let grid = Grid {
            x: axis.clone(),
            y: axis.clone(),
            z: axis,
        };
        // Φ = 2 x (V, x in mm): |∇Φ| = 2 V/mm = 2000 V/m.
        let field: Vec<f32> = (0..grid.cells())
            .map(|c| 2.0 * grid.x.center(c % 10) as f32)
            .collect();
        let s = slice(
            &grid,
            &field,
            Plane::Axial,
            [0.0; 3],
            [-2.0, -2.0, 2.0, 2.0],
            [4, 4],
            Quantity::Potential,
        );
        assert!((s.values[0] - 2.0 * -1.5).abs() < 1e-5);
        let m = slice(
            &grid,
            &field,
            Plane::Axial,
            [0.0; 3],
            [-2.0, -2.0, 2.0, 2.0],
            [4, 4],
            Quantity::FieldMagnitude,
        );
        assert!((m.values[5] - 2000.0).abs() < 1.0);
    }

    /// A point source's quantities at (u, v) of an axial slice 2 mm from the source
    /// (so the finite differences see a smooth field), against the closed forms.
    fn point_source_slice(quantity: Quantity) -> Slice {
        let (i, sigma) = (1e-3, 1.7);
        let phi = |p: [f64; 3]| {
            let r = (p[0] * p[0] + p[1] * p[1] + p[2] * p[2]).sqrt() * 1e-3;
            crate::analytic::point_source_potential(i, sigma, r)
        };
        slice_of(
            &phi,
            Plane::Axial,
            [0.0, 0.0, 2.0],
            [-4.0, -4.0, 4.0, 4.0],
            [4, 4],
            quantity,
        )
    }

    #[test]
    fn a_point_source_gives_phi_i_over_4_pi_sigma_r_and_its_field_i_over_4_pi_sigma_r_squared() {
        use core::f64::consts::PI;
        let (i, sigma) = (1e-3, 1.7);
        // Raster centre (c = 1, r = 1): (u, v) = (−1, −1) mm, z = 2 mm from the source.
        let r = (1.0f64 + 1.0 + 4.0).sqrt() * 1e-3;
        let phi = point_source_slice(Quantity::Potential).values[5] as f64;
        assert!((phi / (i / (4.0 * PI * sigma * r)) - 1.0).abs() < 1e-6);
        let e = point_source_slice(Quantity::FieldMagnitude).values[5] as f64;
        let expected = i / (4.0 * PI * sigma * r * r);
        assert!(
            (e / expected - 1.0).abs() < 1e-3,
            "{e} V/m against {expected}"
        );
    }

    #[test]
    fn a_point_source_s_activating_function_is_i_over_4_pi_sigma_times_3z2_minus_r2_over_r5() {
        use core::f64::consts::PI;
        let (i, sigma) = (1e-3, 1.7);
        // ∂²/∂z² (k / r) = k (3z² − r²) / r⁵, k = I / (4πσ): for a positive (anodic)
        // source, negative beside it (the fibre's nearest nodes hyperpolarise), positive
        // within 54.7° of the fibre's axis.
        let k = i / (4.0 * PI * sigma);
        let s = point_source_slice(Quantity::ActivatingFunction);
        for (cell, (u, v)) in [(5, (-1.0, -1.0)), (0, (-3.0, -3.0))] {
            let (z, r) = (2e-3, (u * u + v * v + 4.0f64).sqrt() * 1e-3);
            let expected = k * (3.0 * z * z - r * r) / r.powi(5);
            let got = s.values[cell] as f64;
            assert!(
                (got / expected - 1.0).abs() < 1e-3,
                "{got} V/m² against {expected}"
            );
        }
        assert!(
            s.values[5] > 0.0 && s.values[0] < 0.0,
            "the sign changes off axis"
        );
    }
}
