//! The pulse-generation core of SCS Studio.
//!
//! One source for the firmware (thumbv7em), the browser (wasm32) and the host: `no_std`,
//! no allocation, integer time (µs) and current (µA). It knows nothing of browsers, radios
//! or clocks: it is handed time and returns what to do.
#![no_std]
#![forbid(unsafe_code)]

pub mod units;
