//! The electric field of spinal cord stimulation leads, the fibres it excites, and where
//! the patient feels it. Pure Rust, native and wasm32.
#![forbid(unsafe_code)]

pub mod analytic;
pub mod cg;
pub mod grid;
pub mod multigrid;
pub mod operator;
pub mod sources;
