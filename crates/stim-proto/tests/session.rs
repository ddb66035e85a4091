//! The protocol end to end in memory: a client and the device server in one test.

use proptest::prelude::*;
use stim_core::device::{CommandError, Device, Selection, State};
use stim_core::lead::LeadKind;
use stim_core::presets;
use stim_core::program::{ProgramSet, Stage, Waveform, MAX_STAGES};
use stim_proto::client::{Client, Incoming};
use stim_proto::fragment::{split, Joiner, DEFAULT_CHUNK};
use stim_proto::messages::{DeviceKind, Identity, Reply, Request, Response};
use stim_proto::server::{Clock, Server};
use stim_proto::wire::{decode, encode, WireError, MAX_MESSAGE};

const MS: u64 = 1_000;

fn server() -> Server {
    let identity = Identity {
        protocol_version: stim_proto::PROTOCOL_VERSION,
        firmware: heapless::String::try_from("0.1.0").unwrap(),
        kind: DeviceKind::Virtual,
        contact_slots: 17,
    };
    Server::new(Device::default(), identity, DEFAULT_CHUNK, Clock::Host, 0)
}

/// Sends `request` through chunks and returns the response, as a BLE client would.
fn exchange(client: &mut Client, server: &mut Server, now: u64, request: &Request) -> Response {
    for chunk in client.request(request, DEFAULT_CHUNK).unwrap() {
        assert!(chunk.len() <= DEFAULT_CHUNK);
        server.receive(now, &chunk);
    }
    while let Some(chunk) = server.next_chunk() {
        if let Some(Incoming::Response(response)) = client.receive(&chunk).unwrap() {
            return response;
        }
    }
    panic!("no response to {request:?}");
}

fn the_largest_set() -> ProgramSet {
    // Four programs of sixteen custom stages each: the longest message there is.
    let stages: heapless::Vec<Stage, MAX_STAGES> = (0..MAX_STAGES)
        .map(|i| Stage {
            duration_us: 100 + i as u32,
            amplitude_permille: if i % 2 == 0 { 500 } else { -500 },
        })
        .collect();
    let program = stim_core::program::Program {
        waveform: Waveform::Custom {
            period_us: 20_000,
            stages,
        },
        ..presets::tonic_bipole()
    };
    ProgramSet::new(
        LeadKind::Percutaneous16,
        &[program.clone(), program.clone(), program.clone(), program],
    )
}

#[test]
fn every_request_and_response_round_trips() {
    let device = Device::default();
    let requests = [
        Request::Identify,
        Request::GetStatus,
        Request::GetProgramSet,
        Request::LoadProgramSet(the_largest_set()),
        Request::Start,
        Request::Stop,
        Request::SetAmplitude {
            program: 2,
            amplitude_ua: 3_100,
        },
        Request::SelectProgram(Selection::One(1)),
        Request::EmergencyStop,
        Request::ReadTelemetry,
        Request::ReadFaults,
        Request::ClearFaults,
        Request::SetClinicianLimits(Default::default()),
    ];
    for (seq, request) in requests.into_iter().enumerate() {
        let message = encode(seq as u16, &request).unwrap();
        assert_eq!(decode::<Request>(&message), Ok((seq as u16, request)));
    }
    let responses = [
        Response::Done,
        Response::Refused(CommandError::NoProgramSet),
        Response::Rejected(WireError::BadChecksum),
        Response::Status(device.status()),
        Response::ProgramSet(Some(the_largest_set())),
        Response::Faults(None),
    ];
    for response in responses {
        let message = encode(9, &Reply::Response(response.clone())).unwrap();
        assert_eq!(
            decode::<Reply>(&message),
            Ok((9, Reply::Response(response)))
        );
    }
}

#[test]
fn the_largest_program_set_fits_one_message() {
    let message = encode(1, &Request::LoadProgramSet(the_largest_set())).unwrap();
    assert!(message.len() <= MAX_MESSAGE);
    assert!(split(&message, DEFAULT_CHUNK).count() <= 128);
}

#[test]
fn a_scripted_session_runs_the_device_through_the_protocol() {
    let (mut client, mut server) = (Client::new(), server());
    let Response::Identity(identity) = exchange(&mut client, &mut server, 0, &Request::Identify)
    else {
        panic!()
    };
    assert_eq!(
        (identity.protocol_version, identity.kind),
        (1, DeviceKind::Virtual)
    );

    let set = ProgramSet::new(LeadKind::Percutaneous8, &[presets::tonic_bipole()]);
    assert_eq!(
        exchange(
            &mut client,
            &mut server,
            0,
            &Request::LoadProgramSet(set.clone())
        ),
        Response::Done
    );
    assert_eq!(
        exchange(&mut client, &mut server, 0, &Request::Start),
        Response::Done
    );
    assert_eq!(
        exchange(
            &mut client,
            &mut server,
            MS,
            &Request::SetAmplitude {
                program: 0,
                amplitude_ua: 3_000
            }
        ),
        Response::Done
    );
    // Outside the patient range: refused in a typed response, the device unchanged.
    assert_eq!(
        exchange(
            &mut client,
            &mut server,
            2 * MS,
            &Request::SetAmplitude {
                program: 0,
                amplitude_ua: 9_000
            }
        ),
        Response::Refused(CommandError::OutsidePatientRange {
            program: 0,
            amplitude_ua: 9_000,
            min_ua: 0,
            max_ua: 6_000
        })
    );
    let Response::Telemetry(t) = exchange(
        &mut client,
        &mut server,
        1_000 * MS,
        &Request::ReadTelemetry,
    ) else {
        panic!()
    };
    assert_eq!(
        (t.status.state, t.status.amplitude_ua[0]),
        (State::Running, 3_000)
    );
    assert_eq!(t.status.counters.pulses, 50, "one second at 50 Hz");
    assert_eq!(t.uptime_ms, 1_000);
    assert_eq!(
        exchange(
            &mut client,
            &mut server,
            1_000 * MS,
            &Request::GetProgramSet
        ),
        Response::ProgramSet(Some(set))
    );

    assert_eq!(
        exchange(
            &mut client,
            &mut server,
            1_001 * MS,
            &Request::EmergencyStop
        ),
        Response::Done
    );
    let Response::Status(status) =
        exchange(&mut client, &mut server, 1_002 * MS, &Request::GetStatus)
    else {
        panic!()
    };
    assert_eq!(status.state, State::EmergencyStopped);
}

#[test]
fn corrupted_requests_are_rejected_in_a_reply_and_change_nothing() {
    let (mut client, mut server) = (Client::new(), server());
    let mut chunks = client.request(&Request::Start, DEFAULT_CHUNK).unwrap();
    chunks[0][3] ^= 0xff;
    for chunk in &chunks {
        server.receive(0, chunk);
    }
    let chunk = server.next_chunk().unwrap();
    assert_eq!(
        client.receive(&chunk),
        Ok(Some(Incoming::Response(Response::Rejected(
            WireError::BadChecksum
        ))))
    );
    assert_eq!(server.device().state(), State::Idle);

    // A second chunk without the first.
    server.receive(0, &[0x81, 1, 2, 3]);
    let mut joiner = Joiner::new();
    let reply = loop {
        if let Some(m) = joiner.push(&server.next_chunk().unwrap()).unwrap() {
            break decode::<Reply>(m).unwrap();
        }
    };
    assert_eq!(
        reply,
        (
            0,
            Reply::Response(Response::Rejected(WireError::OutOfOrder {
                expected: 0,
                got: 1
            }))
        )
    );
}

#[test]
fn a_stale_reply_is_not_taken_for_the_current_one() {
    let (mut client, mut server) = (Client::new(), server());
    for chunk in client.request(&Request::GetStatus, DEFAULT_CHUNK).unwrap() {
        server.receive(0, &chunk);
    }
    // The client gives up on request 1 and sends request 2 before reading.
    for chunk in client.request(&Request::Identify, DEFAULT_CHUNK).unwrap() {
        server.receive(0, &chunk);
    }
    let mut seen = vec![];
    while let Some(chunk) = server.next_chunk() {
        if let Some(incoming) = client.receive(&chunk).unwrap() {
            seen.push(matches!(incoming, Incoming::Stale(1)));
        }
    }
    assert_eq!(seen, [true, false]);
}

proptest! {
    #[test]
    fn no_bytes_make_the_decoder_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = decode::<Request>(&bytes);
        let _ = decode::<Reply>(&bytes);
    }

    #[test]
    fn any_message_survives_any_chunk_size(len in 1usize..MAX_MESSAGE, size in 2usize..244) {
        prop_assume!(len.div_ceil(size - 1) <= 128);
        let message: Vec<u8> = (0..len).map(|i| (i * 7) as u8).collect();
        let mut joiner = Joiner::new();
        let mut joined = None;
        for chunk in split(&message, size) {
            joined = joiner.push(&chunk).unwrap().map(|m| m.to_vec());
        }
        prop_assert_eq!(joined, Some(message));
    }
}

#[test]
fn stepped_servers_answer_identically_whatever_their_hosts_clocks() {
    let identity = |kind| Identity {
        protocol_version: 1,
        firmware: Default::default(),
        kind,
        contact_slots: 17,
    };
    let mut a = Server::new(
        Device::default(),
        identity(DeviceKind::Virtual),
        DEFAULT_CHUNK,
        Clock::Stepped,
        5,
    );
    let mut b = Server::new(
        Device::default(),
        identity(DeviceKind::Virtual),
        DEFAULT_CHUNK,
        Clock::Stepped,
        999,
    );
    let (mut ca, mut cb) = (Client::new(), Client::new());
    let set = ProgramSet::new(LeadKind::Percutaneous8, &[presets::tonic_bipole()]);
    let script = [
        Request::LoadProgramSet(set),
        Request::Start,
        Request::ReadTelemetry,
        Request::ReadTelemetry,
    ];
    let mut transcripts = (vec![], vec![]);
    for (i, request) in script.iter().enumerate() {
        transcripts
            .0
            .push(exchange(&mut ca, &mut a, i as u64 * 1_000, request));
        transcripts
            .1
            .push(exchange(&mut cb, &mut b, i as u64 * 777_777, request));
    }
    assert_eq!(transcripts.0, transcripts.1);
    let Response::Telemetry(t) = &transcripts.0[3] else {
        panic!()
    };
    assert!(
        t.status.counters.pulses > 0,
        "the stepped clock moves: {t:?}"
    );
}
