//! After a command failed (no reply, a damaged reply, a rejection), the app reads the
//! status again and says whether the command took effect: these are the words.

use stim_core::device::{State, Status};
use stim_proto::messages::Request;

/// The command as the subject of a sentence ("The amplitude change"), or None for a
/// request that changes nothing (a read).
pub fn subject(request: &Request) -> Option<&'static str> {
    Some(match request {
        Request::LoadProgramSet(_) => "The program load",
        Request::Start => "The start",
        Request::Stop => "The stop",
        Request::SetAmplitude { .. } => "The amplitude change",
        Request::SelectProgram(_) => "The program selection",
        Request::EmergencyStop => "The emergency stop",
        Request::ClearFaults => "Clearing the stop",
        Request::SetClinicianLimits(_) => "The new clinician limits",
        Request::Identify
        | Request::GetStatus
        | Request::GetProgramSet
        | Request::ReadTelemetry
        | Request::ReadFaults => return None,
    })
}

/// An amplitude in mA with one decimal.
pub fn milliamps(ua: u32) -> String {
    format!("{:.1} mA", f64::from(ua) / 1_000.0)
}

/// Whether `request` took effect, judged from the `status` read after it failed, and
/// `before`, the last status seen before it. None for a read.
pub fn verdict(request: &Request, before: Option<&Status>, status: &Status) -> Option<String> {
    let subject = subject(request)?;
    let state = status.state;
    let took = |yes: bool, still: String| {
        if yes {
            format!("{subject} reached the board: {still}.")
        } else {
            format!("{subject} did not reach the board; {still}.")
        }
    };
    Some(match request {
        Request::SetAmplitude {
            program,
            amplitude_ua,
        } => {
            let p = usize::from(*program);
            let target = status.target_ua.get(p).copied().unwrap_or(0);
            if p >= usize::from(status.programs) {
                format!(
                    "{subject} did not reach the board; it has no program {}.",
                    p + 1
                )
            } else if target == *amplitude_ua {
                format!(
                    "{subject} reached the board: program {} is set to {}.",
                    p + 1,
                    milliamps(target)
                )
            } else {
                format!(
                    "{subject} did not reach the board; the board still runs {}.",
                    milliamps(target)
                )
            }
        }
        Request::Start => took(
            matches!(state, State::Running | State::Ramping),
            format!("the board is {state}"),
        ),
        Request::Stop => took(
            !matches!(state, State::Running),
            format!("the board is {state}"),
        ),
        Request::EmergencyStop => took(
            state == State::EmergencyStopped,
            format!("the board is {state}"),
        ),
        Request::ClearFaults => took(
            !matches!(state, State::EmergencyStopped | State::Fault),
            format!("the board is {state}"),
        ),
        Request::SelectProgram(selection) => took(
            status.selection == *selection,
            format!("the board runs {}", status.selection),
        ),
        Request::LoadProgramSet(set) => {
            // The status shows the set's size, not its contents: a change of size (or a
            // stop of a running device) is the evidence; else say what is known.
            let changed = before.is_some_and(|b| b.programs != status.programs);
            if changed || usize::from(status.programs) == set.programs.len() {
                format!(
                    "{subject} may have reached the board: it now holds {} program(s); the program panel shows what it reports.",
                    status.programs
                )
            } else {
                format!(
                    "{subject} did not reach the board; it still holds {} program(s).",
                    status.programs
                )
            }
        }
        Request::SetClinicianLimits(_) => format!(
            "It is not known whether {} reached the board (limits cannot be read back); the board is {state}.",
            subject.to_ascii_lowercase()
        ),
        _ => return None,
    })
}

/// When the status cannot be read either.
pub fn unknown(request: &Request) -> Option<String> {
    subject(request).map(|s| {
        format!(
            "It is not known whether {} reached the board: it does not answer. The last state it reported stays on screen.",
            s.to_ascii_lowercase()
        )
    })
}
