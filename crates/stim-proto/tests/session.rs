//! The protocol end to end in memory: a client and the device server in one test.

use proptest::prelude::*;
use stim_core::device::{CommandError, Device, Selection, State, Status};
use stim_core::error::SafetyError;
use stim_core::lead::LeadKind;
use stim_core::presets;
use stim_core::program::{ProgramSet, Stage, Waveform, MAX_STAGES};
use stim_proto::client::{Client, Incoming};
use stim_proto::fragment::{split, Joiner, DEFAULT_CHUNK, MAX_CHUNK, MIN_CHUNK};
use stim_proto::messages::{DeviceKind, Event, Identity, Reply, Request, Response};
use stim_proto::server::{Clock, Server, OUTBOX};
use stim_proto::wire::{decode, encode, Message, WireError, MAX_MESSAGE};

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
        (stim_proto::PROTOCOL_VERSION, DeviceKind::Virtual)
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
}

/// Everything the server queued, as the client sees it.
fn drain(client: &mut Client, server: &mut Server) -> Vec<Result<Incoming, WireError>> {
    let mut seen = vec![];
    while let Some(chunk) = server.next_chunk() {
        if let Some(incoming) = client.receive(&chunk).transpose() {
            seen.push(incoming);
        }
    }
    seen
}

#[test]
fn every_broken_request_is_answered_once_to_the_client_that_sent_it() {
    let rejected = |e| vec![Ok(Incoming::Response(Response::Rejected(e)))];
    // A request of four chunks, and what each way of breaking it is answered with.
    let load = Request::LoadProgramSet(ProgramSet::new(
        LeadKind::Percutaneous8,
        &[presets::tonic_bipole()],
    ));
    type Breaker = fn(&mut Vec<Vec<u8>>);
    let cases: [(Breaker, WireError); 5] = [
        (
            |chunks| drop(chunks.remove(1)),
            WireError::OutOfOrder {
                expected: 1,
                got: 2,
            },
        ),
        (|chunks| chunks.insert(2, vec![]), WireError::EmptyChunk),
        (|chunks| chunks[1][5] ^= 0x10, WireError::BadChecksum),
        (
            // Cut after the first chunk's header and three bytes, marked last.
            |chunks| *chunks = vec![vec![0x80, 1, 1, 4]],
            WireError::Truncated,
        ),
        (
            // 60 chunks of 19 bytes: over 1 024 bytes at chunk 54; the rest are ignored.
            |chunks| *chunks = (0..60u8).map(|i| [&[i][..], &[7; 19]].concat()).collect(),
            WireError::TooLong,
        ),
    ];
    for (break_it, error) in cases {
        let (mut client, mut server) = (Client::new(), server());
        let mut chunks: Vec<Vec<u8>> = client
            .request(&load, DEFAULT_CHUNK)
            .unwrap()
            .iter()
            .map(|c| c.to_vec())
            .collect();
        assert_eq!(chunks.len(), 4);
        break_it(&mut chunks);
        for chunk in &chunks {
            server.receive(0, chunk);
        }
        assert_eq!(drain(&mut client, &mut server), rejected(error));
        assert_eq!(
            server.device().program_set(),
            None,
            "{error:?} changed nothing"
        );
    }
}

#[test]
fn a_seq_0_rejection_with_nothing_outstanding_is_stale() {
    let (mut client, mut server) = (Client::new(), server());
    server.receive(0, &[0x81, 1, 2, 3]);
    assert_eq!(drain(&mut client, &mut server), [Ok(Incoming::Stale(0))]);
    // Once a request is answered, a second answer is stale too.
    assert_eq!(
        exchange(&mut client, &mut server, 0, &Request::Stop),
        Response::Done
    );
    server.receive(0, &[0x81, 1, 2, 3]);
    assert_eq!(drain(&mut client, &mut server), [Ok(Incoming::Stale(0))]);
}

#[test]
fn events_never_push_a_response_out_of_a_full_outbox() {
    let (mut client, mut server) = (Client::new(), server());
    for chunk in client.request(&Request::GetStatus, DEFAULT_CHUNK).unwrap() {
        server.receive(0, &chunk);
    }
    let status = |programs| Status {
        programs,
        ..Device::default().status()
    };
    for programs in 0..=OUTBOX as u8 {
        server.notify(Event::StateChanged(status(programs)));
    }
    let seen = drain(&mut client, &mut server);
    assert!(
        matches!(seen[0], Ok(Incoming::Response(Response::Status(_)))),
        "{seen:?}"
    );
    // The oldest events made room; the newest states remain, in order.
    let events = seen[1..].to_vec();
    let kept = (OUTBOX as u8 - 2)..=OUTBOX as u8;
    assert_eq!(
        events,
        kept.map(|p| Ok(Incoming::Event(Event::StateChanged(status(p)))))
            .collect::<Vec<_>>()
    );
}

#[test]
fn leftover_chunks_do_not_fail_the_next_command_but_a_gap_fails_its_reply() {
    let (mut client, mut server) = (Client::new(), server());
    // The tail of a reply whose start was lost.
    assert_eq!(client.receive(&[0x02, 9, 9]), Ok(None));
    assert_eq!(client.receive(&[0x83, 9, 9]), Ok(None));
    assert_eq!(
        exchange(&mut client, &mut server, 0, &Request::Stop),
        Response::Done
    );
    // A reply of two chunks (Status) whose second chunk is lost: that reply fails...
    for chunk in client.request(&Request::GetStatus, DEFAULT_CHUNK).unwrap() {
        server.receive(0, &chunk);
    }
    let first = server.next_chunk().unwrap();
    assert_eq!(client.receive(&first), Ok(None));
    assert_eq!(
        client.receive(&first),
        Ok(None),
        "a restart is not an error"
    );
    assert_eq!(
        client.receive(&[0x82, 0]),
        Err(WireError::OutOfOrder {
            expected: 1,
            got: 2
        })
    );
    // ...its real last chunk is skipped, and the next command works.
    assert_eq!(client.receive(&server.next_chunk().unwrap()), Ok(None));
    assert_eq!(
        exchange(&mut client, &mut server, 0, &Request::Start),
        Response::Refused(CommandError::NoProgramSet)
    );
}

#[test]
fn a_reply_that_cannot_be_true_is_an_error_not_a_crash() {
    let impossible = [
        Reply::Response(Response::Status(Status {
            programs: 200,
            ..Device::default().status()
        })),
        Reply::Event(Event::StateChanged(Status {
            selection: Selection::One(4),
            ..Device::default().status()
        })),
        Reply::Response(Response::Faults(Some(SafetyError::NoCathode {
            program: usize::MAX,
        }))),
        Reply::Response(Response::Refused(CommandError::Unsafe(
            SafetyError::ChargeDensity {
                program: 0,
                contact: 17,
                amplitude_ua: 1,
                charge_nc: 1,
                density_nc_per_cm2: 1,
                limit_nc_per_cm2: 1,
            },
        ))),
    ];
    for reply in impossible {
        let mut client = Client::new();
        client.request(&Request::GetStatus, DEFAULT_CHUNK).unwrap();
        let message = encode(1, &reply).unwrap();
        let results: Vec<_> = split(&message, DEFAULT_CHUNK)
            .map(|chunk| client.receive(&chunk))
            .collect();
        assert_eq!(
            results.last(),
            Some(&Err(WireError::Implausible)),
            "{reply:?}"
        );
    }
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
    fn any_message_survives_any_chunk_size(len in 1usize..=MAX_MESSAGE, size in MIN_CHUNK..=MAX_CHUNK) {
        let message: Message = (0..len).map(|i| (i * 7) as u8).collect();
        let mut joiner = Joiner::new();
        let mut joined = None;
        for chunk in split(&message, size) {
            joined = joiner.push(&chunk).unwrap().map(|m| m.to_vec());
        }
        prop_assert_eq!(joined, Some(message.to_vec()));
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
