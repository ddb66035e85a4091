//! Every message that travels, as Rust types: requests (`<Verb><Noun>`), their responses,
//! and unsolicited events. Endpoint errors (a refused command) are typed responses here;
//! transport errors (a malformed message) are [`crate::wire::WireError`]s.

use heapless::String;
use serde::{Deserialize, Serialize};
use stim_core::contacts::CONTACT_SLOTS;
use stim_core::device::{CommandError, Selection, Status};
use stim_core::error::SafetyError;
use stim_core::program::ProgramSet;
use stim_core::safety::Limits;
use stim_core::units::MicroAmps;

use crate::wire::{WireBody, WireError};

impl WireBody for Request {
    const VARIANTS: u32 = 13;
}

impl WireBody for Reply {
    const VARIANTS: u32 = 2;
}

/// What a client asks.
// No allocator to box the program set into; a request is decoded, handled and dropped.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Request {
    /// Who are you? → [`Response::Identity`].
    Identify,
    /// The state and dose now → [`Response::Status`].
    GetStatus,
    /// The loaded program set → [`Response::ProgramSet`].
    GetProgramSet,
    /// Validate and load a program set → [`Response::Done`] or [`Response::Refused`].
    LoadProgramSet(ProgramSet),
    /// Start with the soft start → Done or Refused.
    Start,
    /// Stop with the soft stop → Done.
    Stop,
    /// A program's amplitude within its patient range → Done or Refused.
    SetAmplitude {
        /// Program index (from 0).
        program: u8,
        /// Amplitude, µA.
        amplitude_ua: MicroAmps,
    },
    /// Which programs run → Done or Refused.
    SelectProgram(Selection),
    /// Stop at once; always accepted → Done.
    EmergencyStop,
    /// Status plus the models → [`Response::Telemetry`].
    ReadTelemetry,
    /// The fault that stopped the device, if any → [`Response::Faults`].
    ReadFaults,
    /// Leave the emergency-stopped or fault state → Done or Refused.
    ClearFaults,
    /// New clinician limits (the loaded set must pass them) → Done or Refused.
    SetClinicianLimits(Limits),
}

/// What the device answers, one per request.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Response {
    /// The command was carried out.
    Done,
    /// The command was refused; the device is unchanged.
    Refused(CommandError),
    /// The request could not be read; nothing was done.
    Rejected(WireError),
    /// Who the device is.
    Identity(Identity),
    /// The state and dose now.
    Status(Status),
    /// The loaded program set, if any.
    ProgramSet(Option<ProgramSet>),
    /// Status and models.
    Telemetry(Telemetry),
    /// The fault that stopped the device, if any.
    Faults(Option<SafetyError>),
}

/// What the device says unasked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    /// The state changed (for example by the board's emergency-stop button).
    StateChanged(Status),
}

/// What travels on the event characteristic: a response to request `seq`, or an event.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reply {
    /// The answer to the request with this envelope's sequence number.
    Response(Response),
    /// An unsolicited event (sequence number 0).
    Event(Event),
}

/// A stimulator's identity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// The protocol version it speaks.
    pub protocol_version: u8,
    /// Its firmware (or app) version, "major.minor.patch".
    pub firmware: String<16>,
    /// A board or the virtual device.
    pub kind: DeviceKind,
    /// Contact slots it drives (16 lead contacts and the case).
    pub contact_slots: u8,
}

/// Which kind of stimulator answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeviceKind {
    /// The device server running in the browser.
    Virtual,
    /// An nRF52840-DK running the SCS Studio firmware (LEDs and logic pins only).
    DevBoard,
}

/// Status plus the device's models.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Telemetry {
    /// The state and dose.
    pub status: Status,
    /// Modelled impedance of each contact slot, Ω.
    pub impedance_ohms: [u32; CONTACT_SLOTS],
    /// Time since the device started, ms.
    pub uptime_ms: u64,
}
