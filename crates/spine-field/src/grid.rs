//! A cell-centred tensor grid: three axes of cell edges, fine where the field changes
//! fast (near the cord and the contacts) and geometrically coarser towards the boundary.
//! Lengths in millimetres.

/// One axis: the edges of its cells, increasing.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// Cell edges; cell `i` spans `edges[i]..edges[i + 1]`.
    pub edges: Vec<f64>,
}

impl Axis {
    /// `n` cells of width `h` from `start`.
    pub fn uniform(start: f64, h: f64, n: usize) -> Axis {
        Axis {
            edges: (0..=n).map(|i| start + i as f64 * h).collect(),
        }
    }

    /// Cells of width `h` over `center ± fine`, then cells growing by `growth` each step
    /// outwards until `center ± outer` is reached (the last cell is cut to fit).
    ///
    /// # Panics
    /// If `fine` ≥ `outer`, or `h` or `growth − 1` is not positive.
    pub fn graded(center: f64, h: f64, fine: f64, outer: f64, growth: f64) -> Axis {
        assert!(
            h > 0.0 && growth > 1.0 && fine < outer,
            "graded axis needs h > 0, growth > 1, fine < outer"
        );
        let n_fine = (fine / h).round().max(1.0) as usize;
        let fine = n_fine as f64 * h;
        let mut upper = vec![];
        let (mut x, mut w) = (fine, h);
        while x < outer - 1e-9 {
            w *= growth;
            x = (x + w).min(outer);
            upper.push(x);
        }
        let mut edges: Vec<f64> = upper.iter().rev().map(|u| center - u).collect();
        edges.extend((0..=2 * n_fine).map(|i| center - fine + i as f64 * h));
        edges.extend(upper.iter().map(|u| center + u));
        Axis { edges }
    }

    /// Number of cells.
    pub fn len(&self) -> usize {
        self.edges.len() - 1
    }

    /// Whether the axis has no cells.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Width of cell `i`.
    pub fn width(&self, i: usize) -> f64 {
        self.edges[i + 1] - self.edges[i]
    }

    /// Centre of cell `i`.
    pub fn center(&self, i: usize) -> f64 {
        0.5 * (self.edges[i] + self.edges[i + 1])
    }

    /// For interpolation between cell centres: the cell `i` whose centre is at or below
    /// `x` (clamped) and the fraction of the way to the next centre.
    pub fn locate(&self, x: f64) -> (usize, f64) {
        let n = self.len();
        if n < 2 || x <= self.center(0) {
            return (0, 0.0);
        }
        if x >= self.center(n - 1) {
            return (n - 2, 1.0);
        }
        // Binary search over the centres.
        let (mut lo, mut hi) = (0, n - 1);
        while hi - lo > 1 {
            let mid = (lo + hi) / 2;
            if self.center(mid) <= x {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let (a, b) = (self.center(lo), self.center(lo + 1));
        (lo, (x - a) / (b - a))
    }
}

/// Three axes: x lateral (right +), y dorsoventral (dorsal +), z along the cord (rostral +).
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    /// Lateral axis.
    pub x: Axis,
    /// Dorsoventral axis.
    pub y: Axis,
    /// Rostrocaudal axis.
    pub z: Axis,
}

impl Grid {
    /// Cells along each axis.
    pub fn dims(&self) -> [usize; 3] {
        [self.x.len(), self.y.len(), self.z.len()]
    }

    /// Number of cells.
    pub fn cells(&self) -> usize {
        self.x.len() * self.y.len() * self.z.len()
    }

    /// Index of cell (i, j, k); x varies fastest.
    pub fn index(&self, i: usize, j: usize, k: usize) -> usize {
        i + self.x.len() * (j + self.y.len() * k)
    }

    /// Centre of cell (i, j, k).
    pub fn center(&self, i: usize, j: usize, k: usize) -> [f64; 3] {
        [self.x.center(i), self.y.center(j), self.z.center(k)]
    }

    /// Trilinear interpolation of a cell-centred `field` at point `p` (clamped to the
    /// outermost centres).
    pub fn interpolate(&self, field: &[f32], p: [f64; 3]) -> f64 {
        let (i, fx) = self.x.locate(p[0]);
        let (j, fy) = self.y.locate(p[1]);
        let (k, fz) = self.z.locate(p[2]);
        let mut value = 0.0;
        for (dk, wz) in [(0, 1.0 - fz), (1, fz)] {
            for (dj, wy) in [(0, 1.0 - fy), (1, fy)] {
                for (di, wx) in [(0, 1.0 - fx), (1, fx)] {
                    let w = wx * wy * wz;
                    if w != 0.0 {
                        value += w * field[self.index(i + di, j + dj, k + dk)] as f64;
                    }
                }
            }
        }
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_graded_axis_is_fine_in_the_middle_and_reaches_the_boundary() {
        let axis = Axis::graded(0.0, 0.5, 5.0, 40.0, 1.3);
        assert_eq!(*axis.edges.first().unwrap(), -40.0);
        assert_eq!(*axis.edges.last().unwrap(), 40.0);
        let middle = axis.locate(0.1).0;
        assert!((axis.width(middle) - 0.5).abs() < 1e-12);
        assert!(
            axis.width(0) > 4.0,
            "coarse at the boundary: {}",
            axis.width(0)
        );
        assert!(axis.edges.windows(2).all(|w| w[1] > w[0]));
    }

    #[test]
    fn interpolation_is_exact_for_a_linear_field() {
        let grid = Grid {
            x: Axis::graded(0.0, 1.0, 3.0, 9.0, 1.5),
            y: Axis::uniform(-2.0, 1.0, 4),
            z: Axis::uniform(0.0, 2.0, 3),
        };
        let mut field = vec![0f32; grid.cells()];
        for k in 0..3 {
            for j in 0..4 {
                for i in 0..grid.x.len() {
                    let [x, y, z] = grid.center(i, j, k);
                    field[grid.index(i, j, k)] = (2.0 * x - y + 0.5 * z) as f32;
                }
            }
        }
        let p = [0.7, -0.2, 2.4];
        assert!((grid.interpolate(&field, p) - (1.4 + 0.2 + 1.2)).abs() < 1e-5);
    }
}
