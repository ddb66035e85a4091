//! The electric field of spinal cord stimulation leads, the fibres it excites, and where
//! the patient feels it. Pure Rust, native and wasm32.
#![forbid(unsafe_code)]

pub mod analytic;
