//! Aggregation multigrid with K-cycles for the 7-point operator, used as the preconditioner
//! of flexible conjugate gradients ([`crate::cg`]), for one right-hand side or a batch of
//! `B` of them that share the operator.
//!
//! **Why this method.** The spine's grid is a tensor grid whose cells grow by 1.3× per cell
//! towards the boundary (aspect ratios up to 20 where a fine axis meets a coarse one), and
//! its conductivities jump 85-fold between CSF and bone, with 7-fold anisotropy in the
//! white matter. Three things follow from the literature:
//! - *Jumps*: the coarse operators must be Galerkin products PᵀAP (Alcouffe et al. 1981);
//!   piecewise-constant aggregation keeps them 7-point stencils — a coarse face is the sum
//!   of the fine faces between two aggregates — and exact at every jump.
//! - *Stretched cells*: a point smoother only smooths along strong couplings, so the
//!   coarsening must follow them (semi-coarsening, Mulder 1989; Trottenberg et al. 2001,
//!   §5.1). On a tensor grid the strength of a coupling along an axis is set by the cell
//!   widths, which factor by axis, so each axis is coarsened on its own: two neighbouring
//!   cells of an axis are merged only while their joint width stays below 2 × the level's
//!   target width (twice the finest cell, doubling with every level, also where a narrow
//!   cell found no partner). Narrow (strongly coupled) directions coarsen first; wide
//!   cells wait until the rest have grown to their size. Aggregates are tensor products of
//!   these 1-D pairs (1 to 8 cells), so every level is again a 7-point operator on a
//!   tensor grid.
//! - *Mesh independence*: a V-cycle of unsmoothed aggregation is not mesh-independent — its
//!   coarse correction is too small by a factor that grows with the number of levels
//!   (Braess 1995). The K-cycle (Notay & Vassilevski 2008) fixes this without a tuned
//!   over-correction: on every coarse level, two steps of a Krylov method preconditioned by
//!   the next level's cycle choose the best combination of two coarse corrections. Level
//!   l is visited 2^l times, which stays bounded while each level has well under half its
//!   parent's cells: on the fine grid of a 1 × 16 the levels shrink about fourfold
//!   (454 720, 107 892, 29 400, 7 440, 1 216, 160 cells; the stretched outer cells join
//!   later), and all coarse levels together cost about 0.9 of the finest. The
//!   preconditioner is then not a fixed linear operator, so the outer iteration is
//!   flexible CG.
//!
//! Smoothing: one forward Gauss–Seidel sweep before the coarse correction, one backward
//! after (a symmetric pair). The coarsest level (at most [`COARSEST`] cells) is solved
//! exactly by a banded Cholesky factorisation.
//!
//! Precision: the Galerkin products are formed in f64, then every level's coefficients
//! and vectors are kept in f32 (dot products summed in f64); CG around the cycle stays in
//! f64, so the solution reaches the same residual. This halves the cycle's memory traffic
//! and doubles the lanes per wasm SIMD instruction: the unit fields of a 1 × 16 took 20 %
//! less time in wasm than with an f64 cycle, at the same iterations (Göddeke et al. 2007
//! for mixed-precision multigrid as a preconditioner).
//!
//! # References
//! - R. E. Alcouffe, A. Brandt, J. E. Dendy, J. W. Painter, "The multi-grid method for the
//!   diffusion equation with strongly discontinuous coefficients", SIAM J. Sci. Stat.
//!   Comput. 2(4):430–454, 1981.
//! - W. A. Mulder, "A new multigrid approach to convection problems", J. Comput. Phys.
//!   83:303–323, 1989 (semi-coarsening along the strongly coupled directions).
//! - U. Trottenberg, C. W. Oosterlee, A. Schüller, *Multigrid*, Academic Press, 2001, §5.1
//!   (anisotropic and stretched grids).
//! - D. Braess, "Towards algebraic multigrid for elliptic problems of second order",
//!   Computing 55:379–393, 1995 (piecewise-constant aggregation).
//! - Y. Notay, P. S. Vassilevski, "Recursive Krylov-based multigrid cycles", Numer. Linear
//!   Algebra Appl. 15:473–487, 2008 (the K-cycle).
//! - Y. Notay, "An aggregation-based algebraic multigrid method", Electron. Trans. Numer.
//!   Anal. 37:123–146, 2010 (aggregates of about 8 cells with K-cycles, AGMG).
//! - D. Göddeke, R. Strzodka, S. Turek, "Performance and accuracy of hardware-oriented
//!   native-, emulated- and mixed-precision solvers in FEM simulations", Int. J. Parallel
//!   Emergent Distrib. Syst. 22(4):221–256, 2007.
//!
//! Departures from the textbook: the aggregates come from the geometry (cell widths), not
//! from the matrix entries as in AGMG; the conductivity's own anisotropy (7-fold in white
//! matter, 3-fold in couplings after the cell shape) is left to the K-cycle. The K-cycle
//! always takes its two inner steps (Notay & Vassilevski skip the second when the first
//! reduced the residual enough), so that every right-hand side of a batch follows the
//! same path and a batched solve equals the one-at-a-time solves.
//!
//! # Example
//! ```
//! use spine_field::grid::{Axis, Grid};
//! use spine_field::multigrid::Multigrid;
//! use spine_field::operator::Operator;
//!
//! let axis = Axis::graded(0.0, 0.5, 3.0, 20.0, 1.3);
//! let grid = Grid { x: axis.clone(), y: axis.clone(), z: axis };
//! let op = Operator::assemble(&grid, &vec![[1.0, 1.0, 1.0]; grid.cells()]);
//! let mg = Multigrid::new(&op);
//! assert!(mg.depth() > 2);
//! // A rough solution and its right-hand side; one cycle from zero cuts the error's
//! // energy norm ‖e‖_A tenfold (0.11 measured).
//! let want: Vec<[f64; 1]> = (0..op.len()).map(|c| [(c % 11) as f64]).collect();
//! let mut b = vec![[0.0]; op.len()];
//! op.apply(&want, &mut b);
//! let mut x = vec![[0.0]; op.len()];
//! mg.precondition(&b, &mut x, &mut mg.workspace());
//! let energy = |e: &[[f64; 1]]| {
//!     let mut ae = vec![[0.0]; e.len()];
//!     op.apply(e, &mut ae);
//!     e.iter().zip(&ae).map(|(e, a)| e[0] * a[0]).sum::<f64>().sqrt()
//! };
//! let error: Vec<[f64; 1]> = x.iter().zip(&want).map(|(x, w)| [w[0] - x[0]]).collect();
//! assert!(energy(&error) < 0.2 * energy(&want));
//! ```

use crate::operator::{Operator, Real};

/// The precision of the levels' coefficients and vectors: the preconditioner only needs to
/// be close to A⁻¹, and f32 halves its memory traffic; CG around it stays in f64.
type Low = f32;

/// Stop coarsening at or below this many cells; the coarsest level is solved exactly.
pub const COARSEST: usize = 1000;
/// Two neighbours along an axis merge while their joint width is at most this many times
/// the level's target width.
const MERGE: f64 = 2.0;

/// One level above the coarsest: its operator, the reciprocal of its diagonal, and the
/// aggregate of each of its cells along each axis.
#[derive(Clone, Debug)]
struct Level {
    op: Operator<Low>,
    inv_diag: Vec<Low>,
    to_coarse: [Vec<usize>; 3],
}

/// The multigrid hierarchy of an operator.
#[derive(Clone, Debug)]
pub struct Multigrid {
    levels: Vec<Level>,
    coarsest: BandCholesky,
}

/// Scratch vectors of one level's cycle, `B` values per cell: the next level's
/// right-hand side and K-cycle vectors.
#[derive(Clone, Debug)]
struct LevelWork<const B: usize> {
    rc: Vec<[Low; B]>,
    c1: Vec<[Low; B]>,
    v1: Vec<[Low; B]>,
    r2: Vec<[Low; B]>,
    c2: Vec<[Low; B]>,
    v2: Vec<[Low; B]>,
}

/// The scratch space of a cycle for `B` right-hand sides, made by [`Multigrid::workspace`]:
/// the finest level's right-hand side and solution in the levels' precision, and each
/// level's scratch vectors.
#[derive(Clone, Debug)]
pub struct Work<const B: usize> {
    b: Vec<[Low; B]>,
    x: Vec<[Low; B]>,
    levels: Vec<LevelWork<B>>,
}

impl<const B: usize> Work<B> {
    /// Bytes held by the scratch vectors.
    pub fn bytes(&self) -> usize {
        let levels: usize = self
            .levels
            .iter()
            .map(|l| {
                [&l.rc, &l.c1, &l.v1, &l.r2, &l.c2, &l.v2]
                    .map(Vec::len)
                    .iter()
                    .sum::<usize>()
            })
            .sum();
        (self.b.len() + self.x.len() + levels) * size_of::<[Low; B]>()
    }
}

impl Multigrid {
    /// Builds the hierarchy of `op` (copies it as the finest level).
    ///
    /// # Panics
    /// If `op` carries no cell widths for its dimensions.
    pub fn new(op: &Operator) -> Multigrid {
        assert!(
            (0..3).all(|d| op.widths[d].len() == op.dims[d]),
            "the operator's cell widths do not match its dimensions"
        );
        let mut levels = vec![];
        let mut op = op.clone();
        // The width the aggregates of the next level aim at: twice the narrowest cell of
        // the finest level, doubling with every level.
        let mut target = 2.0
            * op.widths
                .iter()
                .flatten()
                .fold(f64::INFINITY, |a, &w| a.min(w));
        while op.len() > COARSEST {
            let to_coarse = op.widths.clone().map(|w| pair(&w, MERGE * target));
            target *= 2.0;
            let coarse = galerkin(&op, &to_coarse);
            levels.push(Level {
                inv_diag: op.diag.iter().map(|d| Low::of(1.0 / d)).collect(),
                op: op.to(),
                to_coarse,
            });
            op = coarse;
        }
        Multigrid {
            levels,
            coarsest: BandCholesky::new(&op),
        }
    }

    /// Number of levels, the coarsest included.
    pub fn depth(&self) -> usize {
        self.levels.len() + 1
    }

    /// Bytes held by the hierarchy: every level's coefficients, reciprocal diagonal and
    /// aggregate maps, and the coarsest level's factor.
    pub fn bytes(&self) -> usize {
        let levels: usize = self
            .levels
            .iter()
            .map(|l| {
                let maps: usize = l.to_coarse.iter().map(Vec::len).sum();
                l.op.bytes() + l.inv_diag.len() * size_of::<Low>() + maps * size_of::<usize>()
            })
            .sum();
        levels + self.coarsest.l.len() * size_of::<f64>()
    }

    /// Scratch space for cycles on `B` right-hand sides at once.
    pub fn workspace<const B: usize>(&self) -> Work<B> {
        let n = self.levels.first().map_or(self.coarsest.n, |l| l.op.len());
        Work {
            b: vec![[0.0; B]; n],
            x: vec![[0.0; B]; n],
            levels: (0..self.levels.len())
                .map(|l| {
                    let coarse = self
                        .levels
                        .get(l + 1)
                        .map_or(self.coarsest.n, |c| c.op.len());
                    let v = |n: usize| vec![[0.0; B]; n];
                    LevelWork {
                        rc: v(coarse),
                        c1: v(coarse),
                        v1: v(coarse),
                        r2: v(coarse),
                        c2: v(coarse),
                        v2: v(coarse),
                    }
                })
                .collect(),
        }
    }

    /// z = M⁻¹ r for each of the `B` right-hand sides: one K-cycle from a zero guess.
    ///
    /// # Panics
    /// If `r` or `z` is not one block per cell, or `work` was made for another hierarchy.
    pub fn precondition<const B: usize>(
        &self,
        r: &[[f64; B]],
        z: &mut [[f64; B]],
        work: &mut Work<B>,
    ) {
        assert!(
            work.levels.len() == self.levels.len() && work.b.len() == r.len(),
            "workspace of another hierarchy"
        );
        for (low, r) in work.b.iter_mut().zip(r) {
            *low = r.map(Low::of);
        }
        self.cycle(0, &work.b, &mut work.x, &mut work.levels);
        for (z, low) in z.iter_mut().zip(&work.x) {
            *z = low.map(Low::wide);
        }
    }

    /// x ≈ A_l⁻¹ b on level `l`.
    fn cycle<const B: usize>(
        &self,
        l: usize,
        b: &[[Low; B]],
        x: &mut [[Low; B]],
        work: &mut [LevelWork<B>],
    ) {
        let Some(level) = self.levels.get(l) else {
            x.copy_from_slice(b);
            self.coarsest.solve(x);
            return;
        };
        let (here, below) = work.split_first_mut().expect("one workspace per level");
        level.sweep_from_zero(b, x);
        here.rc.iter_mut().for_each(|v| *v = [0.0; B]);
        level.for_each_aggregate(|fine, agg| {
            // The residual b − A x of the cell, added to its aggregate's.
            let mut r = b[fine];
            level.op.add_neighbours(fine, x, &mut r);
            let d = level.op.diag[fine];
            for (rc, (r, x)) in here.rc[agg].iter_mut().zip(r.iter().zip(&x[fine])) {
                *rc += r - d * x;
            }
        });
        self.coarse_correction(l + 1, here, below);
        level.for_each_aggregate(|fine, agg| add(&mut x[fine], &here.c1[agg]));
        level.sweep(b, x, false);
    }

    /// Solves level `l`'s system for `here.rc` into `here.c1`: exactly on the coarsest
    /// level, else by two steps of flexible CG preconditioned by level `l`'s cycle (the
    /// K-cycle of Notay & Vassilevski 2008, alg. 2.1 with both steps always taken).
    fn coarse_correction<const B: usize>(
        &self,
        l: usize,
        here: &mut LevelWork<B>,
        below: &mut [LevelWork<B>],
    ) {
        let Some(level) = self.levels.get(l) else {
            here.c1.copy_from_slice(&here.rc);
            self.coarsest.solve(&mut here.c1);
            return;
        };
        let a = &level.op;
        self.cycle(l, &here.rc, &mut here.c1, below);
        a.apply(&here.c1, &mut here.v1);
        let rho1 = dot(&here.c1, &here.v1);
        let alpha1 = dot(&here.c1, &here.rc);
        let s1 = ratio(alpha1, rho1);
        let s1_low = s1.map(Low::of);
        for ((r2, rc), v1) in here.r2.iter_mut().zip(&here.rc).zip(&here.v1) {
            for i in 0..B {
                r2[i] = rc[i] - s1_low[i] * v1[i];
            }
        }
        self.cycle(l, &here.r2, &mut here.c2, below);
        a.apply(&here.c2, &mut here.v2);
        let gamma = dot(&here.c2, &here.v1);
        let beta = dot(&here.c2, &here.v2);
        let alpha2 = dot(&here.c2, &here.r2);
        let (mut w1, mut w2) = ([0.0; B], [0.0; B]);
        for i in 0..B {
            let rho2 = beta[i] - gamma[i] * ratio([gamma[i]], [rho1[i]])[0];
            w2[i] = ratio([alpha2[i]], [rho2])[0];
            w1[i] = s1[i] - ratio([gamma[i]], [rho1[i]])[0] * w2[i];
        }
        let (w1, w2) = (w1.map(Low::of), w2.map(Low::of));
        for (c1, c2) in here.c1.iter_mut().zip(&here.c2) {
            for i in 0..B {
                c1[i] = w1[i] * c1[i] + w2[i] * c2[i];
            }
        }
    }
}

impl Level {
    /// A forward Gauss–Seidel sweep from x = 0: only the neighbours already visited count.
    fn sweep_from_zero<const B: usize>(&self, b: &[[Low; B]], x: &mut [[Low; B]]) {
        for c in 0..x.len() {
            let mut sum = b[c];
            self.op.add_lower_neighbours(c, x, &mut sum);
            let w = self.inv_diag[c];
            x[c] = sum.map(|s| s * w);
        }
    }

    /// One Gauss–Seidel sweep on every right-hand side, forward or backward.
    fn sweep<const B: usize>(&self, b: &[[Low; B]], x: &mut [[Low; B]], forward: bool) {
        let n = x.len();
        let mut relax = |c: usize| {
            let mut sum = b[c];
            self.op.add_neighbours(c, x, &mut sum);
            let w = self.inv_diag[c];
            x[c] = sum.map(|s| s * w);
        };
        if forward {
            (0..n).for_each(&mut relax);
        } else {
            (0..n).rev().for_each(&mut relax);
        }
    }

    /// Calls `f(fine cell, its aggregate)` for every cell of the level.
    fn for_each_aggregate(&self, mut f: impl FnMut(usize, usize)) {
        let [nx, ny, _] = self.op.dims;
        let [mx, my, mz] = &self.to_coarse;
        let (cx, cy) = (mx[nx - 1] + 1, my[ny - 1] + 1);
        let mut c = 0;
        for &k in mz {
            for &j in my {
                let row = cx * (j + cy * k);
                for &i in mx {
                    f(c, row + i);
                    c += 1;
                }
            }
        }
    }
}

fn add<const B: usize>(a: &mut [Low; B], b: &[Low; B]) {
    for i in 0..B {
        a[i] += b[i];
    }
}

/// The dot product of each lane, summed in f64.
pub(crate) fn dot<T: Real, const B: usize>(a: &[[T; B]], b: &[[T; B]]) -> [f64; B] {
    let mut s = [0.0; B];
    for (a, b) in a.iter().zip(b) {
        for i in 0..B {
            s[i] += (a[i] * b[i]).wide();
        }
    }
    s
}

/// `a / b` lane by lane, 0 where `b` is 0 (a lane whose right-hand side is zero).
pub(crate) fn ratio<const B: usize>(a: [f64; B], b: [f64; B]) -> [f64; B] {
    let mut q = [0.0; B];
    for i in 0..B {
        if b[i] != 0.0 {
            q[i] = a[i] / b[i];
        }
    }
    q
}

/// Pairs neighbouring cells of one axis whose joint width is at most `limit`: the
/// aggregate of each cell.
fn pair(widths: &[f64], limit: f64) -> Vec<usize> {
    let mut to_coarse = Vec::with_capacity(widths.len());
    let mut i = 0;
    while i < widths.len() {
        let g = to_coarse.last().map_or(0, |&g: &usize| g + 1);
        to_coarse.push(g);
        if i + 1 < widths.len() && widths[i] + widths[i + 1] <= limit * (1.0 + 1e-9) {
            to_coarse.push(g);
            i += 1;
        }
        i += 1;
    }
    to_coarse
}

/// The Galerkin operator PᵀAP of the tensor-product aggregation `to_coarse`.
fn galerkin(op: &Operator, to_coarse: &[Vec<usize>; 3]) -> Operator {
    let coarse_dims = to_coarse.clone().map(|m| m.last().map_or(0, |&g| g + 1));
    let n = coarse_dims.iter().product();
    let mut diag = vec![0.0; n];
    let mut coupling = [vec![0.0; n], vec![0.0; n], vec![0.0; n]];
    let mut widths = [vec![], vec![], vec![]];
    for d in 0..3 {
        widths[d] = vec![0.0; coarse_dims[d]];
        for (w, &g) in op.widths[d].iter().zip(&to_coarse[d]) {
            widths[d][g] += w;
        }
    }
    let [cx, cy, _] = coarse_dims;
    let mut c = 0;
    for k in 0..op.dims[2] {
        for j in 0..op.dims[1] {
            for i in 0..op.dims[0] {
                let ijk = [i, j, k];
                let g = [to_coarse[0][i], to_coarse[1][j], to_coarse[2][k]];
                let agg = g[0] + cx * (g[1] + cy * g[2]);
                diag[agg] += op.diag[c];
                for d in 0..3 {
                    let cpl = op.coupling[d][c];
                    if cpl == 0.0 || ijk[d] + 1 == op.dims[d] {
                        continue;
                    }
                    if to_coarse[d][ijk[d] + 1] == g[d] {
                        // Both cells in one aggregate: the pair cancels in PᵀAP.
                        diag[agg] -= 2.0 * cpl;
                    } else {
                        coupling[d][agg] += cpl;
                    }
                }
                c += 1;
            }
        }
    }
    Operator {
        dims: coarse_dims,
        diag,
        coupling,
        widths,
        boundary: vec![],
    }
}

/// The Cholesky factor L of a banded symmetric positive definite matrix, row by row: row
/// `i` holds L[i][i − w ..= i] (w the bandwidth, the 7-point operator's largest stride).
#[derive(Clone, Debug)]
struct BandCholesky {
    n: usize,
    w: usize,
    l: Vec<f64>,
}

impl BandCholesky {
    fn new(op: &Operator) -> BandCholesky {
        let n = op.len();
        let strides = [1, op.dims[0], op.dims[0] * op.dims[1]];
        let w = if n > 1 {
            strides[2].min(n - 1).max(1)
        } else {
            1
        };
        let row = w + 1;
        // A in the same band layout: entry (i, j ≤ i) at i·row + w − (i − j).
        let mut l = vec![0.0; n * row];
        for i in 0..n {
            l[i * row + w] = op.diag[i];
            for (d, &s) in strides.iter().enumerate() {
                if i >= s && s <= w {
                    l[i * row + w - s] = -op.coupling[d][i - s];
                }
            }
        }
        for i in 0..n {
            for j in i.saturating_sub(w)..=i {
                let mut s = l[i * row + w - (i - j)];
                for k in i.saturating_sub(w)..j {
                    s -= l[i * row + w - (i - k)] * l[j * row + w - (j - k)];
                }
                l[i * row + w - (i - j)] = if i == j { s.sqrt() } else { s / l[j * row + w] };
            }
        }
        BandCholesky { n, w, l }
    }

    /// Solves A x = b in place for every lane of `x`: L y = b, then Lᵀ x = y.
    fn solve<T: Real, const B: usize>(&self, x: &mut [[T; B]]) {
        let (w, row) = (self.w, self.w + 1);
        let mut y: Vec<[f64; B]> = x.iter().map(|v| v.map(T::wide)).collect();
        for i in 0..self.n {
            let start = i.saturating_sub(w);
            let (before, rest) = y.split_at_mut(i);
            let l = &self.l[i * row + w - (i - start)..=i * row + w];
            let mut s = rest[0];
            for (lik, yk) in l.iter().zip(&before[start..]) {
                for (s, yk) in s.iter_mut().zip(yk) {
                    *s -= lik * yk;
                }
            }
            rest[0] = s.map(|s| s / l[i - start]);
        }
        for i in (0..self.n).rev() {
            let start = i.saturating_sub(w);
            let (before, rest) = y.split_at_mut(i);
            let l = &self.l[i * row + w - (i - start)..=i * row + w];
            let yi = rest[0].map(|v| v / l[i - start]);
            rest[0] = yi;
            for (lik, yk) in l.iter().zip(&mut before[start..]) {
                for (yk, yi) in yk.iter_mut().zip(yi) {
                    *yk -= lik * yi;
                }
            }
        }
        for (x, y) in x.iter_mut().zip(&y) {
            *x = y.map(T::of);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::{Axis, Grid};

    #[test]
    fn pairing_merges_narrow_neighbours_and_leaves_wide_cells_alone() {
        assert_eq!(
            pair(&[4.0, 1.0, 1.0, 1.0, 1.5, 4.0], 3.0),
            [0, 1, 1, 2, 2, 3]
        );
    }

    #[test]
    fn the_coarsest_solve_is_exact() {
        let grid = Grid {
            x: Axis::graded(0.0, 1.0, 2.0, 6.0, 1.5),
            y: Axis::uniform(0.0, 1.0, 5),
            z: Axis::uniform(0.0, 2.0, 4),
        };
        let sigma: Vec<_> = (0..grid.cells())
            .map(|c| {
                if c % 3 == 0 {
                    [1.7; 3]
                } else {
                    [0.02, 0.02, 0.1]
                }
            })
            .collect();
        let op = Operator::assemble(&grid, &sigma);
        let x: Vec<[f64; 2]> = (0..op.len()).map(|c| [c as f64, 1.0]).collect();
        let mut b = vec![[0.0; 2]; op.len()];
        op.apply(&x, &mut b);
        BandCholesky::new(&op).solve(&mut b);
        for (got, want) in b.iter().zip(&x) {
            for r in 0..2 {
                assert!((got[r] - want[r]).abs() < 1e-9 * (1.0 + want[r].abs()));
            }
        }
    }
}
