//! The pulse-generation core of SCS Studio.
//!
//! One source for the firmware (thumbv7em), the browser (wasm32) and the host: `no_std`,
//! no allocation, integer time (µs) and current (µA, nA in phases). It knows nothing of
//! browsers, radios or clocks: it is handed time and returns what to do.
//!
//! - [`program`]: what a clinician programs; [`presets`]: the domain's therapies.
//! - [`safety`]: the rules a program set must pass; [`error`]: why it may not run.
//! - [`pattern`]: a program compiled into the phases of one period.
//! - [`engine`]: the phase events in time, for pins, oscilloscope and field.
//! - [`audit`]: what the contacts received, counted from the events played.
//! - [`device`]: the state machine the board and the virtual device share, with the
//!   [`battery`] and [`impedance`] models.
//! - [`closed_loop`]: the amplitude that holds a measured ECAP at a target, within the
//!   validated limits.
#![no_std]
#![forbid(unsafe_code)]

#[cfg(test)]
extern crate std;

pub mod audit;
pub mod battery;
pub mod closed_loop;
pub mod contacts;
pub mod device;
pub mod engine;
pub mod error;
pub mod impedance;
pub mod lead;
pub mod pattern;
pub mod presets;
pub mod program;
pub mod safety;
pub mod units;
