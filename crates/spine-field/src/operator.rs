//! The finite-volume discretisation of ∇·(σ∇Φ) = −I on a tensor grid.
//!
//! Cell-centred unknowns; σ is a diagonal tensor per cell (the cord runs along z, so the
//! white matter's anisotropy is diagonal in grid axes). The conductance of a face is the
//! series combination of the two half cells (the harmonic mean of σ, exact for layered
//! media). The outer faces hold a Dirichlet value Φ_b. The system A Φ = b is symmetric
//! positive definite: a 7-point stencil stored as the diagonal and the couplings to the
//! +x, +y and +z neighbours.
//!
//! # References
//! - S. V. Patankar, *Numerical Heat Transfer and Fluid Flow*, Hemisphere, 1980, ch. 4
//!   (finite volumes, harmonic-mean interface conductivity).

use core::ops::{Add, AddAssign, Mul, Sub};

use crate::grid::Grid;

/// The floating-point types the solver computes in: f64 for the operator and CG, f32 for
/// the multigrid preconditioner's levels (half the memory traffic).
pub trait Real:
    Copy
    + Default
    + PartialEq
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + AddAssign
    + core::fmt::Debug
{
    /// Rounds an f64 to this type.
    fn of(v: f64) -> Self;
    /// Widens to f64.
    fn wide(self) -> f64;
}

impl Real for f64 {
    fn of(v: f64) -> f64 {
        v
    }
    fn wide(self) -> f64 {
        self
    }
}

impl Real for f32 {
    fn of(v: f64) -> f32 {
        v as f32
    }
    fn wide(self) -> f64 {
        self as f64
    }
}

/// Conductivity of a cell along x, y and z, S/m.
pub type Sigma = [f32; 3];

/// A face on the outer boundary: its cell, its conductance (S) and its centre (mm).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BoundaryFace {
    /// The cell behind the face.
    pub cell: usize,
    /// Conductance from the cell centre to the face, S.
    pub conductance: f64,
    /// Centre of the face, mm.
    pub at: [f64; 3],
}

/// The 7-point operator: `(A x)_i = diag_i x_i − Σ c (x_neighbour)`, its coefficients of
/// type `T` (f64 but in the multigrid's levels).
#[derive(Clone, Debug)]
pub struct Operator<T = f64> {
    /// Cells along x, y, z.
    pub dims: [usize; 3],
    /// Diagonal, S (sum of all face conductances of the cell, boundary faces included).
    pub diag: Vec<T>,
    /// Coupling to the +x, +y, +z neighbour, S (0 at the last cell of each line).
    pub coupling: [Vec<T>; 3],
    /// Cell widths along x, y and z, mm (the multigrid coarsens by them).
    pub widths: [Vec<f64>; 3],
    /// The outer faces, for the boundary values.
    pub boundary: Vec<BoundaryFace>,
}

/// mm → m for conductances: σ [S/m] · area [mm²] / length [mm] · 10⁻³ = S.
const MM: f64 = 1e-3;

impl Operator {
    /// Assembles the operator of `grid` with conductivity `sigma` (one per cell).
    ///
    /// # Panics
    /// If `sigma` does not have one entry per cell.
    pub fn assemble(grid: &Grid, sigma: &[Sigma]) -> Operator {
        assert_eq!(sigma.len(), grid.cells(), "one conductivity per cell");
        let dims = grid.dims();
        let n = grid.cells();
        let mut diag = vec![0.0; n];
        let mut coupling = [vec![0.0; n], vec![0.0; n], vec![0.0; n]];
        let mut boundary = vec![];
        let axes = [&grid.x, &grid.y, &grid.z];
        let strides = [1, dims[0], dims[0] * dims[1]];
        for k in 0..dims[2] {
            for j in 0..dims[1] {
                for i in 0..dims[0] {
                    let ijk = [i, j, k];
                    let c = grid.index(i, j, k);
                    for d in 0..3 {
                        let (a, b) = ((d + 1) % 3, (d + 2) % 3);
                        let area = axes[a].width(ijk[a]) * axes[b].width(ijk[b]);
                        // Half-cell resistance (× area) from the centre to a face along d.
                        let half = |cell: usize, at: usize| {
                            axes[d].width(at) / (2.0 * sigma[cell][d].max(1e-9) as f64)
                        };
                        let here = half(c, ijk[d]);
                        if ijk[d] + 1 < dims[d] {
                            let next = c + strides[d];
                            let g = MM * area / (here + half(next, ijk[d] + 1));
                            coupling[d][c] = g;
                            diag[c] += g;
                            diag[next] += g;
                        }
                        for (at_edge, edge) in
                            [(ijk[d] == 0, ijk[d]), (ijk[d] + 1 == dims[d], ijk[d] + 1)]
                        {
                            if at_edge {
                                let g = MM * area / here;
                                diag[c] += g;
                                let mut at = grid.center(i, j, k);
                                at[d] = axes[d].edges[edge];
                                boundary.push(BoundaryFace {
                                    cell: c,
                                    conductance: g,
                                    at,
                                });
                            }
                        }
                    }
                }
            }
        }
        Operator {
            dims,
            diag,
            coupling,
            widths: axes.map(|a| (0..a.len()).map(|i| a.width(i)).collect()),
            boundary,
        }
    }

    /// The right-hand side for injected currents `current` (A, per cell) and boundary
    /// potentials `phi_b(face centre)` (V).
    pub fn rhs(&self, current: &[f64], phi_b: impl Fn([f64; 3]) -> f64) -> Vec<f64> {
        let mut b = current.to_vec();
        for face in &self.boundary {
            b[face.cell] += face.conductance * phi_b(face.at);
        }
        b
    }
}

impl<T: Real> Operator<T> {
    /// Number of unknowns.
    pub fn len(&self) -> usize {
        self.diag.len()
    }

    /// Whether there are no unknowns.
    pub fn is_empty(&self) -> bool {
        self.diag.is_empty()
    }

    /// `y = A x` for each of `B` vectors (one block of `B` values per cell), so that one
    /// pass over the coefficients serves all of them.
    ///
    /// # Panics
    /// If `x` or `y` is not one block per cell.
    pub fn apply<const B: usize>(&self, x: &[[T; B]], y: &mut [[T; B]]) {
        assert!(
            x.len() == self.len() && y.len() == self.len(),
            "sizes of A, x and y differ"
        );
        for (c, (y, &d)) in y.iter_mut().zip(&self.diag).enumerate() {
            let mut sum = [T::default(); B];
            self.add_neighbours(c, x, &mut sum);
            for r in 0..B {
                y[r] = d * x[c][r] - sum[r];
            }
        }
    }

    /// `sum += Σ c x_neighbour` over the six neighbours of cell `c`, for each of `B` vectors.
    #[inline(always)]
    pub(crate) fn add_neighbours<const B: usize>(&self, c: usize, x: &[[T; B]], sum: &mut [T; B]) {
        self.add_lower_neighbours(c, x, sum);
        let [nx, ny, _] = self.dims;
        for (cpl, s) in self.coupling.iter().zip([1, nx, nx * ny]) {
            if c + s < x.len() {
                let (g, x) = (cpl[c], &x[c + s]);
                for r in 0..B {
                    sum[r] += g * x[r];
                }
            }
        }
    }

    /// `sum += Σ c x_neighbour` over the −x, −y and −z neighbours of cell `c`.
    #[inline(always)]
    pub(crate) fn add_lower_neighbours<const B: usize>(
        &self,
        c: usize,
        x: &[[T; B]],
        sum: &mut [T; B],
    ) {
        let [nx, ny, _] = self.dims;
        for (cpl, s) in self.coupling.iter().zip([1, nx, nx * ny]) {
            if c >= s {
                let (g, x) = (cpl[c - s], &x[c - s]);
                for r in 0..B {
                    sum[r] += g * x[r];
                }
            }
        }
    }

    /// Bytes held by the coefficients.
    pub fn bytes(&self) -> usize {
        let values = self.diag.len() + self.coupling.iter().map(Vec::len).sum::<usize>();
        values * core::mem::size_of::<T>()
    }

    /// The same operator with its coefficients rounded to `U`.
    pub fn to<U: Real>(&self) -> Operator<U> {
        let round = |v: &[T]| v.iter().map(|&v| U::of(v.wide())).collect();
        Operator {
            dims: self.dims,
            diag: round(&self.diag),
            coupling: [0, 1, 2].map(|d| round(&self.coupling[d])),
            widths: self.widths.clone(),
            boundary: self.boundary.clone(),
        }
    }
}
