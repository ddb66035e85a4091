//! The wire protocol between SCS Studio and a stimulator (the dev board or the virtual device).
//!
//! This crate is the interface document both ends depend on: no other crate defines a
//! wire type. See docs/protocol.md.
#![no_std]
#![forbid(unsafe_code)]

/// The protocol version every message carries; a peer with another version is refused in words.
pub const PROTOCOL_VERSION: u8 = 1;
