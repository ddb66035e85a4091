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
//! Events: `StateChanged`. Layers: [`messages`] (types) → [`wire`] (envelope, CRC) →
//! [`fragment`] (BLE chunks) or [`stream`] (COBS frames); [`server`] and [`client`] are
//! the two ends; [`gatt`] the Bluetooth layout.
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
