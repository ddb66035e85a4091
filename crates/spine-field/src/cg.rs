//! Preconditioned conjugate gradients for the symmetric positive definite field equations.
//!
//! # References
//! - Y. Saad, *Iterative Methods for Sparse Linear Systems*, 2nd ed., SIAM, 2003, alg. 9.1.

use crate::multigrid::Multigrid;
use crate::operator::Operator;

/// Why a solve stopped without converging; carries the numbers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NotConverged {
    /// Iterations done.
    pub iterations: usize,
    /// Relative residual ‖b − Ax‖ / ‖b‖ reached.
    pub residual: f64,
}

/// How a solve went.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Solved {
    /// Iterations done.
    pub iterations: usize,
    /// Relative residual reached.
    pub residual: f64,
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
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
    let mut cg = Cg::start(a, mg, b, x);
    cg.advance(a, mg, x, tol, max_iterations);
    cg.outcome(tol)
}

/// A solve that can stop after any iteration and go on later: a caller on a single thread
/// (a browser tab) runs a few iterations at a time and keeps its page responsive.
pub struct Cg {
    r: Vec<f64>,
    z: Vec<f64>,
    p: Vec<f64>,
    ap: Vec<f64>,
    rz: f64,
    norm_b: f64,
    residual: f64,
    iterations: usize,
}

impl Cg {
    /// Starts solving `A x = b` from `x` (zero when `b` is).
    ///
    /// # Panics
    /// If the lengths of `b`, `x` and the operator differ.
    pub fn start(a: &Operator, mg: &Multigrid, b: &[f64], x: &mut [f64]) -> Cg {
        assert!(
            b.len() == a.len() && x.len() == a.len(),
            "sizes of A, b and x differ"
        );
        let n = b.len();
        let norm_b = dot(b, b).sqrt();
        if norm_b == 0.0 {
            x.iter_mut().for_each(|v| *v = 0.0);
        }
        let mut r = vec![0.0; n];
        a.apply(x, &mut r);
        r.iter_mut().zip(b).for_each(|(r, b)| *r = b - *r);
        let mut z = vec![0.0; n];
        mg.precondition(&r, &mut z);
        let rz = dot(&r, &z);
        let residual = if norm_b == 0.0 {
            0.0
        } else {
            dot(&r, &r).sqrt() / norm_b
        };
        Cg {
            p: z.clone(),
            r,
            z,
            ap: vec![0.0; n],
            rz,
            norm_b,
            residual,
            iterations: 0,
        }
    }

    /// Runs up to `iterations` more iterations on `x` (the same `x` as at the start) and
    /// says whether the residual reached `tol`.
    pub fn advance(
        &mut self,
        a: &Operator,
        mg: &Multigrid,
        x: &mut [f64],
        tol: f64,
        iterations: usize,
    ) -> bool {
        for _ in 0..iterations {
            if self.residual <= tol {
                break;
            }
            a.apply(&self.p, &mut self.ap);
            let alpha = self.rz / dot(&self.p, &self.ap);
            let steps = self.p.iter().zip(&self.ap);
            for ((x, r), (p, ap)) in x.iter_mut().zip(&mut self.r).zip(steps) {
                *x += alpha * p;
                *r -= alpha * ap;
            }
            self.residual = dot(&self.r, &self.r).sqrt() / self.norm_b;
            mg.precondition(&self.r, &mut self.z);
            let rz_next = dot(&self.r, &self.z);
            let beta = rz_next / self.rz;
            self.rz = rz_next;
            self.p
                .iter_mut()
                .zip(&self.z)
                .for_each(|(p, z)| *p = z + beta * *p);
            self.iterations += 1;
        }
        self.residual <= tol
    }

    /// Iterations done so far.
    pub fn iterations(&self) -> usize {
        self.iterations
    }

    /// How the solve stands against `tol`.
    pub fn outcome(&self, tol: f64) -> Result<Solved, NotConverged> {
        if self.residual <= tol {
            Ok(Solved {
                iterations: self.iterations,
                residual: self.residual,
            })
        } else {
            Err(NotConverged {
                iterations: self.iterations,
                residual: self.residual,
            })
        }
    }
}
