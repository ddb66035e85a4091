//! The electric field of spinal cord stimulation leads, the fibres it excites, and where
//! the patient feels it. Pure Rust, native and wasm32.
//!
//! The flow: [`anatomy`] and [`lead`] → [`model`] (a [`grid`], the finite-volume
//! [`operator`], [`sources`], solved by [`cg`] with a [`multigrid`] preconditioner, one
//! unit field per contact) → [`fibres`] (which fire, and at what amplitude) →
//! [`dermatomes`] (where it is felt) → [`slice`] (what to draw). [`analytic`] holds the
//! closed forms the solver is validated against. [`atlas`] holds precomputed contact fields
//! for a preview while a lead is dragged. [`posture`] changes the anatomy with the
//! patient's position. The science: docs/science.md.
#![forbid(unsafe_code)]

pub mod analytic;
pub mod anatomy;
pub mod atlas;
pub mod cg;
pub mod dermatomes;
pub mod fibres;
pub mod grid;
pub mod lead;
pub mod membrane;
pub mod model;
pub mod multigrid;
pub mod operator;
pub mod posture;
pub mod slice;
pub mod sources;
