//! The wire protocol between SCS Studio and a stimulator (the dev board or the virtual
//! device), and the device server both of them run.
//!
//! This crate is the interface document both ends depend on: no other crate defines a
//! wire type. See docs/protocol.md for the byte-level reference.
//!
//! | request | response |
//! |---|---|
//! | `Identify` | `Identity` |
//! | `GetStatus` | `Status` |
//! | `GetProgramSet` | `ProgramSet` |
//! | `LoadProgramSet`, `Start`, `Stop`, `SetAmplitude`, `SelectProgram`, `ClearFaults`, `SetClinicianLimits` | `Done` or `Refused` |
//! | `EmergencyStop` | `Done` (always) |
//! | `ReadTelemetry` | `Telemetry` |
//! | `ReadFaults` | `Faults` |
//! | anything unreadable | `Rejected` |
//!
//! Events: `StateChanged`. Layers: [`messages`] (types, and each in words for a log) →
//! [`wire`] (envelope, CRC) → [`fragment`] (BLE chunks) or [`stream`] (COBS frames);
//! [`server`] and [`client`] are the two ends; [`gatt`] the Bluetooth layout.
//!
//! The rules both ends keep (docs/protocol.md states them for other clients):
//! - a `Response` carries the sequence number of the request it answers, or 0 when the
//!   device rejected a message before its checksum verified; a client with a request
//!   outstanding takes a `Rejected` with 0 as that request's answer;
//! - a broken message is answered once: after a chunk error the rest of it is dropped
//!   silently, up to the next index-0 chunk; a message has at most 128 chunks;
//! - the client skips leftover chunks between replies and refuses replies that cannot be
//!   true ([`wire::WireError::Implausible`]), so no reply crashes what formats it;
//! - the device's outbox drops events before responses when full.
//!
//! `tests/golden.rs` pins the bytes of every message (and the page's copy of them);
//! `tests/second_client.rs` is a client written from the page alone.
#![no_std]
#![forbid(unsafe_code)]

pub mod client;
pub mod fragment;
pub mod gatt;
pub mod messages;
pub mod server;
pub mod stream;
pub mod wire;

pub use wire::PROTOCOL_VERSION;
