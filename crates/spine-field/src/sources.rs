//! Current sources on the grid: a current spread over the cells a shape covers, each cell
//! weighted by the fraction of its volume inside the shape (sampled 4 × 4 × 4).

use crate::grid::Grid;

/// Sub-samples per cell and axis.
const SAMPLES: usize = 4;

/// `current` (A) spread over the volume where `inside(point)` holds, within the box
/// `lo..hi` (mm) that bounds the shape. Returns (cell, current) pairs.
pub fn spread(
    grid: &Grid,
    lo: [f64; 3],
    hi: [f64; 3],
    current: f64,
    inside: impl Fn([f64; 3]) -> bool,
) -> Vec<(usize, f64)> {
    let range = |axis: &crate::grid::Axis, a: f64, b: f64| {
        let first = axis.edges.partition_point(|&e| e <= a).saturating_sub(1);
        let last = axis.edges.partition_point(|&e| e < b).min(axis.len());
        first..last
    };
    let mut weights = vec![];
    for k in range(&grid.z, lo[2], hi[2]) {
        for j in range(&grid.y, lo[1], hi[1]) {
            for i in range(&grid.x, lo[0], hi[0]) {
                let mut hits = 0;
                for sk in 0..SAMPLES {
                    for sj in 0..SAMPLES {
                        for si in 0..SAMPLES {
                            let at = |axis: &crate::grid::Axis, c: usize, s: usize| {
                                axis.edges[c] + axis.width(c) * (s as f64 + 0.5) / SAMPLES as f64
                            };
                            if inside([at(&grid.x, i, si), at(&grid.y, j, sj), at(&grid.z, k, sk)])
                            {
                                hits += 1;
                            }
                        }
                    }
                }
                if hits > 0 {
                    let volume = grid.x.width(i) * grid.y.width(j) * grid.z.width(k);
                    weights.push((grid.index(i, j, k), volume * hits as f64));
                }
            }
        }
    }
    let total: f64 = weights.iter().map(|w| w.1).sum();
    weights
        .into_iter()
        .map(|(c, w)| (c, current * w / total))
        .collect()
}

/// A point-like source: `current` spread over a sphere of `radius` mm around `p`, whose
/// potential outside the sphere is a point's (Newton's shell theorem).
pub fn sphere(grid: &Grid, p: [f64; 3], radius: f64, current: f64) -> Vec<(usize, f64)> {
    let lo = [p[0] - radius, p[1] - radius, p[2] - radius];
    let hi = [p[0] + radius, p[1] + radius, p[2] + radius];
    spread(grid, lo, hi, current, |q| {
        (0..3).map(|d| (q[d] - p[d]).powi(2)).sum::<f64>() <= radius * radius
    })
}

/// `current` (A) spread over a contact's metal.
pub fn contact(grid: &Grid, shape: &crate::lead::ContactShape, current: f64) -> Vec<(usize, f64)> {
    // Every contact fits a 6 mm box around its centre.
    let lo = [
        shape.center[0] - 3.0,
        shape.center[1] - 3.0,
        shape.center[2] - 3.0,
    ];
    let hi = [
        shape.center[0] + 3.0,
        shape.center[1] + 3.0,
        shape.center[2] + 3.0,
    ];
    spread(grid, lo, hi, current, |p| shape.contains(p))
}

/// Per-cell currents (A) from (cell, current) pairs.
pub fn to_cells(grid: &Grid, sources: &[(usize, f64)]) -> Vec<f64> {
    let mut current = vec![0.0; grid.cells()];
    for &(c, i) in sources {
        current[c] += i;
    }
    current
}
