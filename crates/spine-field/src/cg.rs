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
    assert!(
        b.len() == a.len() && x.len() == a.len(),
        "sizes of A, b and x differ"
    );
    let norm_b = dot(b, b).sqrt();
    if norm_b == 0.0 {
        x.iter_mut().for_each(|v| *v = 0.0);
        return Ok(Solved {
            iterations: 0,
            residual: 0.0,
        });
    }
    let n = b.len();
    let mut r = vec![0.0; n];
    a.apply(x, &mut r);
    r.iter_mut().zip(b).for_each(|(r, b)| *r = b - *r);
    let mut z = vec![0.0; n];
    mg.precondition(&r, &mut z);
    let mut p = z.clone();
    let mut rz = dot(&r, &z);
    let mut ap = vec![0.0; n];
    let mut residual = dot(&r, &r).sqrt() / norm_b;
    for iteration in 0..max_iterations {
        if residual <= tol {
            return Ok(Solved {
                iterations: iteration,
                residual,
            });
        }
        a.apply(&p, &mut ap);
        let alpha = rz / dot(&p, &ap);
        for i in 0..n {
            x[i] += alpha * p[i];
            r[i] -= alpha * ap[i];
        }
        residual = dot(&r, &r).sqrt() / norm_b;
        mg.precondition(&r, &mut z);
        let rz_next = dot(&r, &z);
        let beta = rz_next / rz;
        rz = rz_next;
        p.iter_mut().zip(&z).for_each(|(p, z)| *p = z + beta * *p);
    }
    if residual <= tol {
        Ok(Solved {
            iterations: max_iterations,
            residual,
        })
    } else {
        Err(NotConverged {
            iterations: max_iterations,
            residual,
        })
    }
}
