//! Device mode's logic, apart from its view (`modes/device.rs`): plain modules that the
//! wasm tests exercise without mounting anything.

pub mod amplitude;
pub mod connection;
pub mod log;
pub mod outcome;
