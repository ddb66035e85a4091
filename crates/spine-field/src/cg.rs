//! Flexible preconditioned conjugate gradients for the symmetric positive definite field
//! equations, for one right-hand side or a batch of `B` that share the operator.
//!
//! The multigrid K-cycle ([`crate::multigrid`]) is not a fixed linear operator, so the
//! search directions are A-orthogonalised against the previous one explicitly
//! (β = −⟨z, Ap⟩ / ⟨p, Ap⟩), flexible CG truncated to one direction. In a batch, every
//! right-hand side has its own α, β and residual; one pass over the operator and the
//! multigrid serves all of them, and a right-hand side that has converged stops changing
//! (its α is zero), so each one's solution equals its solve on its own.
//!
//! # References
//! - Y. Saad, *Iterative Methods for Sparse Linear Systems*, 2nd ed., SIAM, 2003, alg. 9.1.
//! - Y. Notay, "Flexible conjugate gradients", SIAM J. Sci. Comput. 22(4):1444–1460, 2000.
//!
//! # Example
//! ```
//! use spine_field::cg::solve;
//! use spine_field::grid::{Axis, Grid};
//! use spine_field::multigrid::Multigrid;
//! use spine_field::operator::Operator;
//!
//! let axis = Axis::uniform(0.0, 1.0, 12);
//! let grid = Grid { x: axis.clone(), y: axis.clone(), z: axis };
//! let op = Operator::assemble(&grid, &vec![[1.0; 3]; grid.cells()]);
//! let want: Vec<f64> = (0..op.len()).map(|c| (c % 7) as f64).collect();
//! let mut b = vec![0.0; op.len()];
//! op.apply(want.as_chunks::<1>().0, b.as_chunks_mut::<1>().0);
//! let mut x = vec![0.0; op.len()];
//! solve(&op, &Multigrid::new(&op), &b, &mut x, 1e-10, 50).unwrap();
//! assert!(x.iter().zip(&want).all(|(x, w)| (x - w).abs() < 1e-6));
//! ```

use crate::multigrid::{dot, ratio, Multigrid, Work};
use crate::operator::Operator;

/// Why a solve stopped without converging; carries the numbers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NotConverged {
    /// Iterations done.
    pub iterations: usize,
    /// Relative residual ‖b − Ax‖ / ‖b‖ reached (the worst of a batch).
    pub residual: f64,
}

/// How a solve went.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Solved {
    /// Iterations done.
    pub iterations: usize,
    /// Relative residual reached (the worst of a batch).
    pub residual: f64,
}

/// Solves `A x = b` to relative residual `tol`, starting from `x` (a warm start when it
/// holds a previous solution), preconditioned by `mg`.
///
/// # Panics
/// If the lengths of `b`, `x` and the operator differ.
pub fn solve(
    a: &Operator,
    mg: &Multigrid,
    b: &[f64],
    x: &mut [f64],
    tol: f64,
    max_iterations: usize,
) -> Result<Solved, NotConverged> {
    let (b, x) = (b.as_chunks::<1>().0, x.as_chunks_mut::<1>().0);
    let mut cg = Cg::start(a, mg, b, x);
    cg.advance(a, mg, x, tol, max_iterations);
    cg.outcome(tol)
}

/// A solve of `B` systems `A x = b` that can stop after any iteration and go on later: a
/// caller on a single thread (a browser tab) runs a few iterations at a time and keeps its
/// page responsive. Vectors hold one block of `B` values per cell.
pub struct Cg<const B: usize> {
    r: Vec<[f64; B]>,
    z: Vec<[f64; B]>,
    p: Vec<[f64; B]>,
    ap: Vec<[f64; B]>,
    work: Work<B>,
    norm_b: [f64; B],
    residual: [f64; B],
    iterations: [usize; B],
}

impl<const B: usize> Cg<B> {
    /// Starts solving `A x = b` from `x` (zero for a lane whose `b` is).
    ///
    /// # Panics
    /// If the lengths of `b`, `x` and the operator differ.
    pub fn start(a: &Operator, mg: &Multigrid, b: &[[f64; B]], x: &mut [[f64; B]]) -> Cg<B> {
        assert!(
            b.len() == a.len() && x.len() == a.len(),
            "sizes of A, b and x differ"
        );
        let n = b.len();
        let norm_b = dot(b, b).map(f64::sqrt);
        for x in x.iter_mut() {
            for i in 0..B {
                if norm_b[i] == 0.0 {
                    x[i] = 0.0;
                }
            }
        }
        let mut r = vec![[0.0; B]; n];
        a.apply(x, &mut r);
        for (r, b) in r.iter_mut().zip(b) {
            for i in 0..B {
                r[i] = b[i] - r[i];
            }
        }
        let mut work = mg.workspace();
        let mut z = vec![[0.0; B]; n];
        mg.precondition(&r, &mut z, &mut work);
        let residual = ratio(dot(&r, &r).map(f64::sqrt), norm_b);
        Cg {
            p: z.clone(),
            r,
            z,
            ap: vec![[0.0; B]; n],
            work,
            norm_b,
            residual,
            iterations: [0; B],
        }
    }

    /// Runs up to `iterations` more iterations on `x` (the same `x` as at the start) and
    /// says whether every residual reached `tol`.
    pub fn advance(
        &mut self,
        a: &Operator,
        mg: &Multigrid,
        x: &mut [[f64; B]],
        tol: f64,
        iterations: usize,
    ) -> bool {
        for _ in 0..iterations {
            let active = self.residual.map(|r| r > tol);
            if !active.contains(&true) {
                break;
            }
            a.apply(&self.p, &mut self.ap);
            let (mut p_ap, mut p_r) = ([0.0; B], [0.0; B]);
            for ((p, ap), r) in self.p.iter().zip(&self.ap).zip(&self.r) {
                for i in 0..B {
                    p_ap[i] += p[i] * ap[i];
                    p_r[i] += p[i] * r[i];
                }
            }
            let mut alpha = ratio(p_r, p_ap);
            for i in 0..B {
                if !active[i] {
                    alpha[i] = 0.0;
                }
            }
            let mut rr = [0.0; B];
            let steps = self.p.iter().zip(&self.ap);
            for ((x, r), (p, ap)) in x.iter_mut().zip(&mut self.r).zip(steps) {
                for i in 0..B {
                    x[i] += alpha[i] * p[i];
                    r[i] -= alpha[i] * ap[i];
                    rr[i] += r[i] * r[i];
                }
            }
            for i in 0..B {
                if active[i] {
                    self.residual[i] = ratio([rr[i].sqrt()], [self.norm_b[i]])[0];
                    self.iterations[i] += 1;
                }
            }
            mg.precondition(&self.r, &mut self.z, &mut self.work);
            let beta = ratio(dot(&self.z, &self.ap), p_ap);
            for (p, z) in self.p.iter_mut().zip(&self.z) {
                for i in 0..B {
                    p[i] = z[i] - beta[i] * p[i];
                }
            }
        }
        self.residual.iter().all(|&r| r <= tol)
    }

    /// Bytes held by the solver's vectors and its multigrid scratch space (not `x`).
    pub fn bytes(&self) -> usize {
        let vectors = [&self.r, &self.z, &self.p, &self.ap].map(Vec::len);
        vectors.iter().sum::<usize>() * size_of::<[f64; B]>() + self.work.bytes()
    }

    /// Iterations done so far: the most of any lane.
    pub fn iterations(&self) -> usize {
        self.iterations.iter().copied().max().unwrap_or(0)
    }

    /// Iterations each lane took to converge (or has taken so far).
    pub fn lane_iterations(&self) -> [usize; B] {
        self.iterations
    }

    /// How the solve stands against `tol`, by the worst lane.
    pub fn outcome(&self, tol: f64) -> Result<Solved, NotConverged> {
        let residual = self.residual.iter().copied().fold(0.0, f64::max);
        let iterations = self.iterations();
        if residual <= tol {
            Ok(Solved {
                iterations,
                residual,
            })
        } else {
            Err(NotConverged {
                iterations,
                residual,
            })
        }
    }
}
