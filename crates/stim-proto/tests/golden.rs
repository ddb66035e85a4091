//! Golden bytes: the exact encoding of one example of every request, response and event.
//!
//! The matches below are exhaustive (no `_` arm), so a new variant does not compile until
//! it has golden bytes; a change to any type that travels (stim-core's `Status`,
//! `SafetyError`, …) changes some bytes and fails here until the change is made on
//! purpose. docs/protocol.md ("Every message, byte by byte") shows the same rows, and a
//! test checks the page against them, so the reference cannot drift; another checks the
//! page's variant numbers of `SafetyError`, `CommandError` and `WireError`.
//!
//! To accept a deliberate change: run `cargo test -p stim-proto --test golden`; the
//! failure lists every changed row as it must now read. Paste the hex into the matches
//! below and the rows into docs/protocol.md (and raise `PROTOCOL_VERSION` when an older
//! peer would misread the new bytes).

use std::fmt::Write;

use stim_core::contacts::{Electrodes, Polarity};
use stim_core::device::{CommandError, Counters, Selection, State, Status};
use stim_core::error::{ImpedanceFault, Parameter, SafetyError};
use stim_core::lead::LeadKind;
use stim_core::program::{AmplitudeRange, Program, ProgramSet, Recharge, Waveform};
use stim_core::safety::Limits;
use stim_proto::fragment::{split, DEFAULT_CHUNK};
use stim_proto::messages::{DeviceKind, Event, Identity, Reply, Request, Response, Telemetry};
use stim_proto::wire::{encode, Message, WireBody, WireError};

/// The examples' sequence number (events always carry 0).
const SEQ: u16 = 1;

fn program() -> Program {
    Program {
        electrodes: Electrodes::off()
            .with(3, Polarity::Cathode, 100)
            .with(4, Polarity::Anode, 100),
        waveform: Waveform::Tonic {
            rate_hz: 50,
            width_us: 200,
        },
        amplitude_ua: 2_000,
        interphase_gap_us: 20,
        recharge: Recharge::Active,
        patient_range: AmplitudeRange {
            min_ua: 0,
            max_ua: 6_000,
        },
        offset_us: 0,
    }
}

fn status() -> Status {
    Status {
        state: State::Running,
        selection: Selection::All,
        programs: 1,
        amplitude_ua: [2_000, 0, 0, 0],
        target_ua: [2_000, 0, 0, 0],
        battery_permille: 987,
        battery_tenths_of_hours: 1_234,
        counters: Counters {
            pulses: 50,
            phases: 100,
            ..Counters::default()
        },
    }
}

fn requests() -> Vec<(&'static str, Request)> {
    vec![
        ("`Identify`", Request::Identify),
        ("`GetStatus`", Request::GetStatus),
        ("`GetProgramSet`", Request::GetProgramSet),
        (
            "`LoadProgramSet`: one tonic program (below)",
            Request::LoadProgramSet(ProgramSet::new(LeadKind::Percutaneous8, &[program()])),
        ),
        ("`Start`", Request::Start),
        ("`Stop`", Request::Stop),
        (
            "`SetAmplitude { program: 2, amplitude_ua: 3100 }`",
            Request::SetAmplitude {
                program: 2,
                amplitude_ua: 3_100,
            },
        ),
        (
            "`SelectProgram(One(1))`",
            Request::SelectProgram(Selection::One(1)),
        ),
        ("`EmergencyStop`", Request::EmergencyStop),
        ("`ReadTelemetry`", Request::ReadTelemetry),
        ("`ReadFaults`", Request::ReadFaults),
        ("`ClearFaults`", Request::ClearFaults),
        (
            "`SetClinicianLimits`: the defaults (below)",
            Request::SetClinicianLimits(Limits {
                max_amplitude_ua: 25_500,
                shannon_k_x100: 185,
                max_density_nc_per_cm2: 30_000,
                compliance_mv: 12_000,
            }),
        ),
    ]
}

fn responses() -> Vec<(&'static str, Response)> {
    vec![
        ("`Done`", Response::Done),
        (
            "`Refused(NoSuchProgram { program: 5, programs: 2 })`",
            Response::Refused(CommandError::NoSuchProgram {
                program: 5,
                programs: 2,
            }),
        ),
        (
            "`Rejected(OutOfOrder { expected: 1, got: 2 })`",
            Response::Rejected(WireError::OutOfOrder {
                expected: 1,
                got: 2,
            }),
        ),
        (
            "`Identity`: virtual, firmware \"0.1.0\", 17 slots",
            Response::Identity(Identity {
                protocol_version: 2,
                firmware: heapless::String::try_from("0.1.0").unwrap(),
                kind: DeviceKind::Virtual,
                contact_slots: 17,
            }),
        ),
        ("`Status`: the status below", Response::Status(status())),
        ("`ProgramSet(None)`", Response::ProgramSet(None)),
        (
            "`Telemetry`: the status below, 1 000 Ω everywhere, up 1 s, 3 pulses dropped",
            Response::Telemetry(Telemetry {
                status: status(),
                impedance_ohms: [1_000; 17],
                uptime_ms: 1_000,
                dropped_pulses: 3,
            }),
        ),
        (
            "`Faults(Some(NoCathode { program: 0 }))`",
            Response::Faults(Some(SafetyError::NoCathode { program: 0 })),
        ),
    ]
}

fn events() -> Vec<(&'static str, Event)> {
    vec![(
        "`StateChanged`: the status below",
        Event::StateChanged(status()),
    )]
}

fn request_golden(request: &Request) -> &'static str {
    match request {
        Request::Identify => "02 01 00 00 69 a9 3c",
        Request::GetStatus => "02 01 01 03 ea c2 ce",
        Request::GetProgramSet => "02 01 02 f7 19 92 dd",
        Request::LoadProgramSet(_) => "02 01 03 00 01 00 00 00 00 00 00 02 64 01 64 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 32 c8 01 d0 0f 14 00 00 f0 2e 00 00 00 00 23 16 b1 98",
        Request::Start => "02 01 04 1f fe 33 fb",
        Request::Stop => "02 01 05 1c 7d 58 09",
        Request::SetAmplitude { .. } => "02 01 06 02 9c 18 26 c5 82 b2",
        Request::SelectProgram(_) => "02 01 07 01 01 c8 7c 2c 7d",
        Request::EmergencyStop => "02 01 08 cf 31 70 b6",
        Request::ReadTelemetry => "02 01 09 cc b2 1b 44",
        Request::ReadFaults => "02 01 0a 38 41 4b 57",
        Request::ClearFaults => "02 01 0b 3b c2 20 a5",
        Request::SetClinicianLimits(_) => "02 01 0c 9c c7 01 b9 01 b0 ea 01 e0 5d de 2f 0f 4d",
    }
}

fn response_golden(response: &Response) -> &'static str {
    match response {
        Response::Done => "02 01 00 00 38 fa 41 52",
        Response::Refused(_) => "02 01 00 01 03 05 02 73 bb 70 0f",
        Response::Rejected(_) => "02 01 00 02 06 01 02 f2 65 47 18",
        Response::Identity(_) => "02 01 00 03 02 05 30 2e 31 2e 30 00 11 d3 22 cf 26",
        Response::Status(_) => "02 01 00 04 02 00 01 d0 0f 00 00 00 d0 0f 00 00 00 db 07 d2 09 32 64 00 00 00 00 02 4c 05 44",
        Response::ProgramSet(_) => "02 01 00 05 00 7e fa 3d b5",
        Response::Telemetry(_) => "02 01 00 06 02 00 01 d0 0f 00 00 00 d0 0f 00 00 00 db 07 d2 09 32 64 00 00 00 00 e8 07 e8 07 e8 07 e8 07 e8 07 e8 07 e8 07 e8 07 e8 07 e8 07 e8 07 e8 07 e8 07 e8 07 e8 07 e8 07 e8 07 e8 07 03 51 54 6d ac",
        Response::Faults(_) => "02 01 00 07 01 01 00 27 ea eb 2b",
    }
}

fn event_golden(event: &Event) -> &'static str {
    match event {
        Event::StateChanged(_) => {
            "02 00 01 00 02 00 01 d0 0f 00 00 00 d0 0f 00 00 00 db 07 d2 09 32 64 00 00 00 00 4a e4 78 a5"
        }
    }
}

/// One encoded example: its documentation row, and its golden hex.
struct Row {
    label: &'static str,
    message: Message,
    golden: &'static str,
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::new();
    for (i, b) in bytes.iter().enumerate() {
        let space = if i > 0 { " " } else { "" };
        write!(out, "{space}{b:02x}").unwrap();
    }
    out
}

impl Row {
    /// The row as docs/protocol.md shows it: label, bytes, 20-byte chunks, hex.
    fn doc_line(&self) -> String {
        format!(
            "| {} | {} | {} | `{}` |",
            self.label,
            self.message.len(),
            split(&self.message, DEFAULT_CHUNK).count(),
            hex(&self.message)
        )
    }
}

fn rows() -> Vec<Row> {
    let requests = requests().into_iter().map(|(label, r)| Row {
        label,
        golden: request_golden(&r),
        message: encode(SEQ, &r).unwrap(),
    });
    let responses = responses().into_iter().map(|(label, r)| Row {
        label,
        golden: response_golden(&r),
        message: encode(SEQ, &Reply::Response(r)).unwrap(),
    });
    let events = events().into_iter().map(|(label, e)| Row {
        label,
        golden: event_golden(&e),
        message: encode(0, &Reply::Event(e)).unwrap(),
    });
    requests.chain(responses).chain(events).collect()
}

#[test]
fn every_message_encodes_to_its_golden_bytes() {
    let changed: Vec<String> = rows()
        .iter()
        .filter(|row| hex(&row.message) != row.golden)
        .map(|row| format!("{}\n    now: \"{}\"", row.label, hex(&row.message)))
        .collect();
    assert!(
        changed.is_empty(),
        "the encoding changed (see this file's header to accept it):\n{}",
        changed.join("\n")
    );
}

#[test]
fn the_examples_cover_every_variant_once() {
    // The exhaustive matches make a new variant name its golden bytes; this makes it
    // bring an example too. The variant index follows version and seq (one byte each).
    let indices =
        |examples: Vec<Message>, at: usize| -> Vec<u8> { examples.iter().map(|m| m[at]).collect() };
    let requests = requests()
        .into_iter()
        .map(|(_, r)| encode(SEQ, &r).unwrap())
        .collect();
    assert_eq!(
        indices(requests, 2),
        (0..Request::VARIANTS as u8).collect::<Vec<_>>()
    );
    let responses = responses()
        .into_iter()
        .map(|(_, r)| encode(SEQ, &Reply::Response(r)).unwrap())
        .collect();
    // Response has no variant count of its own; the last variant is Faults (7).
    assert_eq!(indices(responses, 3), (0..=7).collect::<Vec<_>>());
    assert_eq!(events().len(), 1);
}

#[test]
fn the_protocol_page_shows_the_golden_bytes() {
    let page = include_str!("../../../docs/protocol.md");
    let missing: Vec<String> = rows()
        .iter()
        .map(Row::doc_line)
        .filter(|line| !page.lines().any(|l| l == line))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/protocol.md lacks these rows (or shows them otherwise):\n{}",
        missing.join("\n")
    );
}

/// One of every error variant and its name, as docs/protocol.md's tables number them.
/// The matches are exhaustive: a new variant needs a name here, and an example above it.
fn error_rows() -> Vec<(&'static str, u8, &'static str)> {
    use SafetyError::*;
    let safety = [
        NoProgram,
        NoCathode { program: 0 },
        NoAnode { program: 0 },
        SharesDoNotAddUp {
            program: 0,
            polarity: Polarity::Anode,
            sum_pct: 90,
        },
        ContactNotOnLead {
            program: 0,
            contact: 9,
            lead_contacts: 8,
        },
        OutOfRange {
            program: 0,
            parameter: Parameter::Rate,
            value: 0,
            min: 2,
            max: 1_200,
        },
        SetOutOfRange {
            parameter: Parameter::Ramp,
            value: 0,
            min: 0,
            max: 0,
        },
        AboveClinicianMaximum {
            program: 0,
            amplitude_ua: 0,
            max_ua: 0,
        },
        PatientRangeEmpty { program: 0 },
        OutsidePatientRange {
            program: 0,
            amplitude_ua: 0,
            min_ua: 0,
            max_ua: 0,
        },
        PhasesExceedPeriod {
            program: 0,
            busy_us: 0,
            period_us: 0,
        },
        PulsesOverlap { program: 0 },
        TooManyPhases { program: 0, max: 0 },
        ChargeImbalance {
            program: 0,
            delivered: 0,
            returned: 0,
        },
        ChargeDensity {
            program: 0,
            contact: 0,
            amplitude_ua: 0,
            charge_nc: 0,
            density_nc_per_cm2: 0,
            limit_nc_per_cm2: 0,
        },
        Shannon {
            program: 0,
            contact: 0,
            amplitude_ua: 0,
            charge_nc: 0,
            k_x100: 0,
            limit_x100: 0,
        },
        Compliance {
            program: 0,
            required_mv: 0,
            limit_mv: 0,
        },
        ContactImpedance {
            program: 0,
            contact: 0,
            ohms: 0,
            fault: ImpedanceFault::Open,
        },
        RatesDiffer { program: 0 },
        Collision {
            first: 0,
            second: 1,
        },
    ];
    let safety_name = |e: &SafetyError| match e {
        NoProgram => "NoProgram",
        NoCathode { .. } => "NoCathode",
        NoAnode { .. } => "NoAnode",
        SharesDoNotAddUp { .. } => "SharesDoNotAddUp",
        ContactNotOnLead { .. } => "ContactNotOnLead",
        OutOfRange { .. } => "OutOfRange",
        SetOutOfRange { .. } => "SetOutOfRange",
        AboveClinicianMaximum { .. } => "AboveClinicianMaximum",
        PatientRangeEmpty { .. } => "PatientRangeEmpty",
        OutsidePatientRange { .. } => "OutsidePatientRange",
        PhasesExceedPeriod { .. } => "PhasesExceedPeriod",
        PulsesOverlap { .. } => "PulsesOverlap",
        TooManyPhases { .. } => "TooManyPhases",
        ChargeImbalance { .. } => "ChargeImbalance",
        ChargeDensity { .. } => "ChargeDensity",
        Shannon { .. } => "Shannon",
        Compliance { .. } => "Compliance",
        ContactImpedance { .. } => "ContactImpedance",
        RatesDiffer { .. } => "RatesDiffer",
        Collision { .. } => "Collision",
    };
    let command = [
        CommandError::Unsafe(NoProgram),
        CommandError::NoProgramSet,
        CommandError::NotNow {
            state: State::Fault,
        },
        CommandError::NoSuchProgram {
            program: 0,
            programs: 0,
        },
        CommandError::OutsidePatientRange {
            program: 0,
            amplitude_ua: 0,
            min_ua: 0,
            max_ua: 0,
        },
    ];
    let command_name = |e: &CommandError| match e {
        CommandError::Unsafe(_) => "Unsafe",
        CommandError::NoProgramSet => "NoProgramSet",
        CommandError::NotNow { .. } => "NotNow",
        CommandError::NoSuchProgram { .. } => "NoSuchProgram",
        CommandError::OutsidePatientRange { .. } => "OutsidePatientRange",
    };
    let wire = [
        WireError::Truncated,
        WireError::BadChecksum,
        WireError::UnknownVersion {
            got: 2,
            supported: 1,
        },
        WireError::Unsupported,
        WireError::Malformed,
        WireError::TooLong,
        WireError::OutOfOrder {
            expected: 0,
            got: 1,
        },
        WireError::EmptyChunk,
        WireError::Implausible,
    ];
    let wire_name = |e: &WireError| match e {
        WireError::Truncated => "Truncated",
        WireError::BadChecksum => "BadChecksum",
        WireError::UnknownVersion { .. } => "UnknownVersion",
        WireError::Unsupported => "Unsupported",
        WireError::Malformed => "Malformed",
        WireError::TooLong => "TooLong",
        WireError::OutOfOrder { .. } => "OutOfOrder",
        WireError::EmptyChunk => "EmptyChunk",
        WireError::Implausible => "Implausible",
    };
    let mut rows = vec![];
    rows.extend(
        safety
            .iter()
            .map(|e| ("SafetyError", variant_number(e), safety_name(e))),
    );
    rows.extend(
        command
            .iter()
            .map(|e| ("CommandError", variant_number(e), command_name(e))),
    );
    rows.extend(
        wire.iter()
            .map(|e| ("WireError", variant_number(e), wire_name(e))),
    );
    rows
}

/// An enum value's variant number: its first byte (every table has fewer than 128).
fn variant_number<T: serde::Serialize>(value: &T) -> u8 {
    postcard::to_slice(value, &mut [0u8; 64]).unwrap()[0]
}

#[test]
fn the_protocol_page_numbers_every_error_variant_as_the_code_does() {
    let page = include_str!("../../../docs/protocol.md");
    // Each table, from its heading to the next.
    let table = |name: &str| -> Vec<&str> {
        let heading = match name {
            "WireError" => "Transport errors (`WireError`)",
            "CommandError" => "Endpoint errors (`CommandError`)",
            _ => "`SafetyError`, one variant per safety rule",
        };
        let start = page.find(heading).expect("the table's heading");
        page[start..]
            .lines()
            .skip_while(|l| !l.starts_with("| #"))
            .take_while(|l| l.starts_with('|'))
            .filter(|l| l.starts_with("| ") && l.as_bytes()[2].is_ascii_digit())
            .collect()
    };
    let rows = error_rows();
    for name in ["SafetyError", "CommandError", "WireError"] {
        let expected: Vec<String> = rows
            .iter()
            .filter(|(t, ..)| *t == name)
            .map(|(_, n, variant)| format!("| {n} | `{variant}` |"))
            .collect();
        let shown: Vec<String> = table(name)
            .iter()
            .map(|l| l.splitn(4, '|').take(3).collect::<Vec<_>>().join("|") + "|")
            .collect();
        assert_eq!(shown, expected, "the {name} table in docs/protocol.md");
    }
}
