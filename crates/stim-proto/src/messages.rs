//! Every message that travels, as Rust types: requests (`<Verb><Noun>`), their responses,
//! and unsolicited events. Endpoint errors (a refused command) are typed responses here;
//! transport errors (a malformed message) are [`crate::wire::WireError`]s.
//!
//! Every message has a `Display` for an engineer's log: states in words, amplitudes in mA
//! with one decimal and what they are (programmed, target, now), programs counted from 1
//! as in stim-core's refusals; [`StatusInWords`] and [`SetInWords`] do the same for
//! stim-core's `Status` and `ProgramSet`. Formatting never panics and never allocates.

use core::fmt;

use heapless::String;
use serde::{Deserialize, Serialize};
use stim_core::contacts::{ContactName, Polarity, CONTACT_SLOTS};
use stim_core::device::{CommandError, Selection, Status};
use stim_core::error::SafetyError;
use stim_core::program::{ProgramSet, Waveform, MAX_PROGRAMS};
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
    /// Pulses the board's pin loader could not play on time since it started: each is
    /// dropped whole, never played late or cut. Always 0 on the virtual device, which has
    /// no pins.
    pub dropped_pulses: u32,
}

// ---- In words, for an engineer's log: states in words, amplitudes in mA with what they
// are, programs counted from 1 (as stim-core's messages count them). No allocation. ----

/// Writes an amplitude in µA as mA with one decimal (truncated, as stim-core's messages).
struct MilliAmps(MicroAmps);

impl fmt::Display for MilliAmps {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{} mA", self.0 / 1_000, self.0 % 1_000 / 100)
    }
}

/// A [`Status`] in one line: state, selection, each program's amplitude now and its
/// target, battery, delivery.
pub struct StatusInWords<'a>(pub &'a Status);

impl fmt::Display for StatusInWords<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0;
        let plural = if s.programs == 1 { "" } else { "s" };
        write!(
            f,
            "{}, {} program{plural} loaded, {} selected",
            s.state, s.programs, s.selection
        )?;
        // Bounded by the arrays, whatever the count says (formatting never panics).
        let programs = usize::from(s.programs).min(MAX_PROGRAMS);
        for (i, (now, target)) in s.amplitude_ua[..programs]
            .iter()
            .zip(&s.target_ua)
            .enumerate()
        {
            write!(
                f,
                "; program {}: {} now, {} target",
                i + 1,
                MilliAmps(*now),
                MilliAmps(*target)
            )?;
        }
        write!(
            f,
            "; battery {}.{} %, {}.{} h left; {} pulses, {} nC delivered",
            s.battery_permille / 10,
            s.battery_permille % 10,
            s.battery_tenths_of_hours / 10,
            s.battery_tenths_of_hours % 10,
            s.counters.pulses,
            s.counters.delivered.nanocoulombs()
        )
    }
}

/// A [`ProgramSet`] in one line: each program's waveform, contacts and programmed amplitude.
pub struct SetInWords<'a>(pub &'a ProgramSet);

impl fmt::Display for SetInWords<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.programs.is_empty() {
            return f.write_str("no programs");
        }
        for (i, p) in self.0.programs.iter().enumerate() {
            let separator = if i > 0 { "; " } else { "" };
            write!(f, "{separator}program {}: ", i + 1)?;
            match &p.waveform {
                Waveform::Tonic { rate_hz, width_us } => {
                    write!(f, "tonic {rate_hz} Hz {width_us} µs")?
                }
                Waveform::Burst {
                    burst_rate_hz,
                    pulses,
                    intra_rate_hz,
                    width_us,
                } => write!(
                    f,
                    "burst {pulses}×{width_us} µs at {intra_rate_hz} Hz, {burst_rate_hz} Hz"
                )?,
                Waveform::HighFrequency { rate_hz, width_us } => {
                    write!(f, "{rate_hz} Hz {width_us} µs")?
                }
                Waveform::Custom { period_us, stages } => {
                    write!(f, "custom {} stages / {period_us} µs", stages.len())?
                }
            }
            f.write_str(" [")?;
            let mut first = true;
            for (slot, contact) in p.electrodes.contacts.iter().enumerate() {
                let sign = match contact.polarity {
                    Polarity::Off => continue,
                    Polarity::Anode => '+',
                    Polarity::Cathode => '−',
                };
                let space = if first { "" } else { " " };
                write!(f, "{space}{}{sign}", ContactName(slot))?;
                first = false;
            }
            write!(f, "] {} programmed", MilliAmps(p.amplitude_ua))?;
        }
        Ok(())
    }
}

impl fmt::Display for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Request::Identify => f.write_str("Identify"),
            Request::GetStatus => f.write_str("GetStatus"),
            Request::GetProgramSet => f.write_str("GetProgramSet"),
            Request::LoadProgramSet(set) => write!(f, "LoadProgramSet: {}", SetInWords(set)),
            Request::Start => f.write_str("Start"),
            Request::Stop => f.write_str("Stop"),
            Request::SetAmplitude {
                program,
                amplitude_ua,
            } => write!(
                f,
                "SetAmplitude: program {} to {}",
                u16::from(*program) + 1,
                MilliAmps(*amplitude_ua)
            ),
            Request::SelectProgram(selection) => write!(f, "SelectProgram: {selection}"),
            Request::EmergencyStop => f.write_str("EmergencyStop"),
            Request::ReadTelemetry => f.write_str("ReadTelemetry"),
            Request::ReadFaults => f.write_str("ReadFaults"),
            Request::ClearFaults => f.write_str("ClearFaults"),
            Request::SetClinicianLimits(l) => write!(
                f,
                "SetClinicianLimits: at most {}, Shannon k {}.{:02}, {} nC/cm² per phase, compliance {} mV",
                MilliAmps(l.max_amplitude_ua),
                l.shannon_k_x100 / 100,
                l.shannon_k_x100 % 100,
                l.max_density_nc_per_cm2,
                l.compliance_mv
            ),
        }
    }
}

impl fmt::Display for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Response::Done => f.write_str("Done"),
            Response::Refused(e) => write!(f, "Refused: {e}"),
            Response::Rejected(e) => write!(f, "Rejected: {e}"),
            Response::Identity(identity) => write!(f, "Identity: {identity}"),
            Response::Status(status) => write!(f, "Status: {}", StatusInWords(status)),
            Response::ProgramSet(None) => f.write_str("ProgramSet: none loaded"),
            Response::ProgramSet(Some(set)) => write!(f, "ProgramSet: {}", SetInWords(set)),
            Response::Telemetry(t) => write!(f, "Telemetry: {t}"),
            Response::Faults(None) => f.write_str("Faults: none"),
            Response::Faults(Some(e)) => write!(f, "Faults: {e}"),
        }
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::StateChanged(status) => write!(f, "StateChanged: {}", StatusInWords(status)),
        }
    }
}

impl fmt::Display for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            DeviceKind::Virtual => "the virtual device",
            DeviceKind::DevBoard => "an nRF52840-DK",
        };
        write!(
            f,
            "{kind}, firmware {}, protocol version {}, {} contact slots",
            self.firmware, self.protocol_version, self.contact_slots
        )
    }
}

impl fmt::Display for Telemetry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}; impedance", StatusInWords(&self.status))?;
        for (slot, ohms) in self.impedance_ohms.iter().enumerate() {
            write!(f, " {}: {ohms} Ω", ContactName(slot))?;
            if slot + 1 < CONTACT_SLOTS {
                f.write_str(",")?;
            }
        }
        write!(f, "; up {} ms", self.uptime_ms)?;
        match self.dropped_pulses {
            0 => f.write_str("; no pulse dropped"),
            1 => f.write_str("; 1 pulse dropped"),
            n => write!(f, "; {n} pulses dropped"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::fmt::Write;
    use stim_core::device::{Device, State};
    use stim_core::lead::LeadKind;
    use stim_core::presets;

    /// `value` formatted into a fixed buffer (no allocation, as on the board).
    fn words(value: &dyn fmt::Display) -> String<600> {
        let mut out = String::new();
        write!(out, "{value}").unwrap();
        out
    }

    fn running_status() -> Status {
        let mut status = Device::default().status();
        status.state = State::Running;
        status.programs = 2;
        status.selection = Selection::One(1);
        status.amplitude_ua = [2_550, 3_000, 0, 0];
        status.target_ua = [3_100, 3_000, 0, 0];
        status.battery_permille = 875;
        status.battery_tenths_of_hours = 123;
        status
    }

    #[test]
    fn requests_read_in_words_with_programs_from_1() {
        let set = ProgramSet::new(LeadKind::Percutaneous8, &[presets::tonic_bipole()]);
        assert_eq!(
            words(&Request::SetAmplitude {
                program: 0,
                amplitude_ua: 3_150
            }),
            "SetAmplitude: program 1 to 3.1 mA"
        );
        assert_eq!(
            words(&Request::SelectProgram(Selection::One(255))),
            "SelectProgram: program 256"
        );
        assert_eq!(
            words(&Request::LoadProgramSet(set)),
            "LoadProgramSet: program 1: tonic 50 Hz 200 µs [E4− E5+] 2.0 mA programmed"
        );
        assert_eq!(
            words(&Request::SetClinicianLimits(Limits::default())),
            "SetClinicianLimits: at most 25.5 mA, Shannon k 1.85, 30000 nC/cm² per phase, compliance 12000 mV"
        );
    }

    #[test]
    fn responses_and_events_read_in_words() {
        assert_eq!(
            words(&Response::Status(running_status())),
            "Status: running, 2 programs loaded, program 2 selected; \
             program 1: 2.5 mA now, 3.1 mA target; program 2: 3.0 mA now, 3.0 mA target; \
             battery 87.5 %, 12.3 h left; 0 pulses, 0 nC delivered"
        );
        assert_eq!(
            words(&Response::Refused(CommandError::NoProgramSet)),
            "Refused: No program is loaded yet: load a program first."
        );
        assert_eq!(
            words(&Response::Identity(Identity {
                protocol_version: 1,
                firmware: String::try_from("0.1.0").unwrap(),
                kind: DeviceKind::DevBoard,
                contact_slots: 17
            })),
            "Identity: an nRF52840-DK, firmware 0.1.0, protocol version 1, 17 contact slots"
        );
        assert_eq!(
            words(&Response::ProgramSet(None)),
            "ProgramSet: none loaded"
        );
        let telemetry = words(&Response::Telemetry(Telemetry {
            status: running_status(),
            impedance_ohms: [1_000; CONTACT_SLOTS],
            uptime_ms: 42,
            dropped_pulses: 2,
        }));
        assert!(
            telemetry.ends_with("E16: 1000 Ω, the case: 1000 Ω; up 42 ms; 2 pulses dropped"),
            "{telemetry}"
        );
        assert!(words(&Event::StateChanged(running_status()))
            .starts_with("StateChanged: running, 2 programs loaded"));
    }

    #[test]
    fn formatting_values_no_device_sends_does_not_panic() {
        let mut status = running_status();
        status.programs = u8::MAX;
        assert!(words(&StatusInWords(&status)).contains("program 4: 0.0 mA now"));
    }
}
