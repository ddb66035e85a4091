//! The board-independent part of the SCS Studio firmware, tested on the host.
//!
//! The board crate (`firmware/board`) only wires peripherals: the radio, the buttons, the
//! LEDs, the pulse timer. Every decision it takes comes from here:
//! - [`access`]: who may do what over the link (bonding, encryption, the pairing window);
//! - [`stimulator`]: the device server of stim-proto over stim-core, behind that policy,
//!   with the link-loss rule and the hardware emergency stop;
//! - [`pins`]: the plan that turns stim-core's phase events into logic-pin edges;
//! - [`loader`]: which pulse goes into which timer compare register, and when;
//! - [`leds`]: what the four LEDs show.
#![no_std]
#![forbid(unsafe_code)]

pub mod access;
pub mod leds;
pub mod loader;
pub mod pins;
pub mod stimulator;
