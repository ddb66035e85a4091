//! Messages in words for the log (programs counted from 1, states in words).
//!
//! Interim: stim-proto is gaining `Display` for its messages (branch `proto`); once it
//! lands these become `to_string()` calls and this module goes.

use stim_core::contacts::{ContactName, Polarity, CONTACT_SLOTS};
use stim_core::device::Status;
use stim_core::program::{ProgramSet, Waveform};
use stim_proto::messages::{DeviceKind, Event, Request, Response};

fn ma(ua: u32) -> String {
    format!("{:.1} mA", f64::from(ua) / 1_000.0)
}

/// A request in words.
pub fn request(request: &Request) -> String {
    match request {
        Request::LoadProgramSet(set) => format!("LoadProgramSet: {}", program_set(set)),
        Request::SetAmplitude {
            program,
            amplitude_ua,
        } => format!(
            "SetAmplitude: program {} to {}",
            u16::from(*program) + 1,
            ma(*amplitude_ua)
        ),
        Request::SelectProgram(selection) => format!("SelectProgram: {selection}"),
        other => format!("{other:?}"),
    }
}

/// A response in words.
pub fn response(response: &Response) -> String {
    match response {
        Response::Done => "Done".into(),
        Response::Refused(e) => format!("Refused: {e}"),
        Response::Rejected(e) => format!("Rejected: {e}"),
        Response::Identity(i) => format!(
            "Identity: {}, protocol {}, firmware {}, {} contact slots",
            match i.kind {
                DeviceKind::Virtual => "virtual device",
                DeviceKind::DevBoard => "dev board",
            },
            i.protocol_version,
            i.firmware,
            i.contact_slots
        ),
        Response::Status(s) => format!("Status: {}", status(s)),
        Response::ProgramSet(Some(set)) => format!("ProgramSet: {}", program_set(set)),
        Response::ProgramSet(None) => "ProgramSet: none loaded".into(),
        Response::Telemetry(t) => format!(
            "Telemetry: {}; uptime {} ms",
            status(&t.status),
            t.uptime_ms
        ),
        Response::Faults(Some(e)) => format!("Faults: {e}"),
        Response::Faults(None) => "Faults: none".into(),
    }
}

/// An event in words.
pub fn event(event: &Event) -> String {
    let Event::StateChanged(s) = event;
    format!("StateChanged: {}", status(s))
}

/// A status in one line.
pub fn status(s: &Status) -> String {
    let mut out = format!("{}, {} selected", s.state, s.selection);
    let programs = usize::from(s.programs).min(s.amplitude_ua.len());
    for i in 0..programs {
        out.push_str(&format!(
            "; program {}: {} now, {} target",
            i + 1,
            ma(s.amplitude_ua[i]),
            ma(s.target_ua[i])
        ));
    }
    out.push_str(&format!(
        "; battery {:.1} %; {} pulses, {} nC delivered",
        f64::from(s.battery_permille) / 10.0,
        s.counters.pulses,
        s.counters.delivered.nanocoulombs()
    ));
    out
}

/// A program set in one line: each program's waveform, contacts and amplitude.
pub fn program_set(set: &ProgramSet) -> String {
    if set.programs.is_empty() {
        return "no programs".into();
    }
    let mut out = String::new();
    for (i, p) in set.programs.iter().enumerate() {
        let waveform = match &p.waveform {
            Waveform::Tonic { rate_hz, width_us } => format!("tonic {rate_hz} Hz {width_us} µs"),
            Waveform::Burst {
                burst_rate_hz,
                pulses,
                intra_rate_hz,
                width_us,
            } => {
                format!("burst {pulses}×{width_us} µs at {intra_rate_hz} Hz, {burst_rate_hz} Hz")
            }
            Waveform::HighFrequency { rate_hz, width_us } => format!("{rate_hz} Hz {width_us} µs"),
            Waveform::Custom { period_us, stages } => {
                format!("custom {} stages / {period_us} µs", stages.len())
            }
        };
        let contacts: Vec<String> = (0..CONTACT_SLOTS)
            .filter_map(|s| match p.electrodes.contacts[s].polarity {
                Polarity::Off => None,
                Polarity::Anode => Some(format!("{}+", ContactName(s))),
                Polarity::Cathode => Some(format!("{}−", ContactName(s))),
            })
            .collect();
        out.push_str(&format!(
            "{}program {}: {waveform} [{}] {} programmed",
            if i > 0 { "; " } else { "" },
            i + 1,
            contacts.join(" "),
            ma(p.amplitude_ua)
        ));
    }
    out
}
