//! The link never hangs and never lies: the session (turns, time limits, the emergency
//! stop first, stray chunks, events) against the real device server behind a link whose
//! faults the test chooses; and the words Device mode says after a failure.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use scs_studio::device::amplitude::Dial;
use scs_studio::device::log;
use scs_studio::device::outcome::verdict;
use scs_studio::transport::bluetooth::classify;
use scs_studio::transport::session::{Session, Timeouts, Traffic};
use scs_studio::transport::{sleep, Link, LinkError, Step};
use stim_core::device::{Device, State};
use stim_core::lead::LeadKind;
use stim_core::presets;
use stim_core::program::ProgramSet;
use stim_proto::fragment::DEFAULT_CHUNK;
use stim_proto::messages::{DeviceKind, Event, Identity, Request, Response};
use stim_proto::server::{Clock, Server};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The device server behind a link with faults on demand.
struct Faults {
    server: RefCell<Server>,
    /// Writes from now on never answer (a dropped link).
    hang_writes: Cell<bool>,
    /// The next this-many writes never answer; later ones do.
    hang_next_writes: Cell<u32>,
    /// Read chunks to lose on the way: the count of reads to pass first.
    lose_read_after: Cell<Option<u32>>,
    /// Chunks the device sends before anything else (strays).
    strays: RefCell<Vec<Vec<u8>>>,
    /// Every chunk that reached the device.
    written: RefCell<Vec<Vec<u8>>>,
}

/// A shared handle on [`Faults`]: the session holds one, the test another.
#[derive(Clone)]
struct FaultyLink(Rc<Faults>);

impl std::ops::Deref for FaultyLink {
    type Target = Faults;
    fn deref(&self) -> &Faults {
        &self.0
    }
}

impl FaultyLink {
    fn new() -> Self {
        let identity = Identity {
            protocol_version: stim_proto::PROTOCOL_VERSION,
            firmware: "test".try_into().unwrap(),
            kind: DeviceKind::DevBoard,
            contact_slots: 17,
        };
        FaultyLink(Rc::new(Faults {
            server: RefCell::new(Server::new(
                Device::default(),
                identity,
                DEFAULT_CHUNK,
                Clock::Stepped,
                0,
            )),
            hang_writes: Cell::new(false),
            hang_next_writes: Cell::new(0),
            lose_read_after: Cell::new(None),
            strays: RefCell::new(vec![]),
            written: RefCell::new(vec![]),
        }))
    }
}

impl Link for FaultyLink {
    async fn write(&self, chunk: &[u8]) -> Result<(), LinkError> {
        if self.hang_writes.get() || self.hang_next_writes.get() > 0 {
            self.hang_next_writes
                .set(self.hang_next_writes.get().saturating_sub(1));
            std::future::pending::<()>().await;
        }
        self.written.borrow_mut().push(chunk.to_vec());
        self.server.borrow_mut().receive(0, chunk);
        Ok(())
    }

    async fn read(&self) -> Result<Vec<u8>, LinkError> {
        if let Some(stray) = self.strays.borrow_mut().pop() {
            return Ok(stray);
        }
        let mut chunk = self.server.borrow_mut().next_chunk().map(|c| c.to_vec());
        if let Some(n) = self.lose_read_after.get() {
            if n == 0 {
                self.lose_read_after.set(None);
                chunk = self.server.borrow_mut().next_chunk().map(|c| c.to_vec());
            } else {
                self.lose_read_after.set(Some(n - 1));
            }
        }
        Ok(chunk.unwrap_or_default())
    }
}

/// A session over `link` with short time limits; its traffic lands in the returned log.
fn session(
    link: &FaultyLink,
    operation_ms: u32,
) -> (Rc<Session<FaultyLink>>, Rc<RefCell<Vec<Traffic>>>) {
    let traffic = Rc::new(RefCell::new(vec![]));
    let sink = Rc::clone(&traffic);
    let session = Session::with_timeouts(
        link.clone(),
        Rc::new(move |t| sink.borrow_mut().push(t)),
        Timeouts {
            operation_ms,
            reply_ms: 500,
            retry_ms: 5,
        },
    );
    (Rc::new(session), traffic)
}

fn tonic() -> Request {
    Request::LoadProgramSet(ProgramSet::new(
        LeadKind::Percutaneous8,
        &[presets::tonic_bipole()],
    ))
}

/// Starts `request` in the background; its result lands in the returned cell.
fn spawn(
    session: &Rc<Session<FaultyLink>>,
    request: Request,
) -> Rc<RefCell<Option<Result<Response, LinkError>>>> {
    let out = Rc::new(RefCell::new(None));
    let (session, result) = (Rc::clone(session), Rc::clone(&out));
    wasm_bindgen_futures::spawn_local(async move {
        let r = session.request(&request, false).await;
        *result.borrow_mut() = Some(r);
    });
    out
}

fn sent(traffic: &[Traffic]) -> Vec<Request> {
    traffic
        .iter()
        .filter_map(|t| match t {
            Traffic::Sent { request, .. } => Some(request.clone()),
            _ => None,
        })
        .collect()
}

#[wasm_bindgen_test]
async fn a_write_left_unanswered_ends_in_words_within_its_time_limit() {
    let link = FaultyLink::new();
    let (session, traffic) = session(&link, 150);
    link.hang_writes.set(true);
    let started = js_sys::Date::now();
    let result = session.request(&Request::Start, false).await;
    assert_eq!(result, Err(LinkError::Timeout(Step::Write, 150)));
    assert!(js_sys::Date::now() - started < 1_000.0);
    let words = result.unwrap_err().to_string();
    assert!(
        words.contains("did not confirm a write within 0.2 s")
            || words.contains("did not confirm a write within 0.1 s"),
        "{words}"
    );
    // Never logged as sent: it was not.
    assert!(sent(&traffic.borrow()).is_empty());
    assert!(matches!(traffic.borrow()[0], Traffic::Failed { .. }));
}

#[wasm_bindgen_test]
async fn an_emergency_stop_goes_first_and_does_not_wait_behind_a_hung_write() {
    let link = FaultyLink::new();
    let (session, traffic) = session(&link, 5_000);
    session.request(&tonic(), false).await.unwrap();
    session.request(&Request::Start, false).await.unwrap();
    // The next write hangs (the amplitude change); a status read queues behind it.
    link.hang_next_writes.set(1);
    let amplitude = spawn(
        &session,
        Request::SetAmplitude {
            program: 0,
            amplitude_ua: 2_100,
        },
    );
    let status = spawn(&session, Request::GetStatus);
    sleep(20).await;
    let started = js_sys::Date::now();
    let stop = session.request(&Request::EmergencyStop, false).await;
    assert_eq!(stop, Ok(Response::Done));
    assert!(
        js_sys::Date::now() - started < 1_000.0,
        "the stop waited for the hung write's time limit"
    );
    sleep(20).await;
    assert_eq!(*amplitude.borrow(), Some(Err(LinkError::Preempted)));
    assert_eq!(*status.borrow(), Some(Err(LinkError::Preempted)));
    assert_eq!(
        link.server.borrow().device().status().state,
        State::EmergencyStopped
    );
    // Logged once sent, and nothing else after the start was.
    let sent = sent(&traffic.borrow());
    assert_eq!(sent.last(), Some(&Request::EmergencyStop));
    assert_eq!(sent.len(), 3, "{sent:?}");
}

#[wasm_bindgen_test]
async fn an_emergency_stop_that_cannot_be_written_is_never_logged_as_sent() {
    let link = FaultyLink::new();
    let (session, traffic) = session(&link, 100);
    link.hang_writes.set(true);
    let stop = session.request(&Request::EmergencyStop, false).await;
    assert_eq!(stop, Err(LinkError::Timeout(Step::Write, 100)));
    assert!(sent(&traffic.borrow()).is_empty());
}

#[wasm_bindgen_test]
async fn requests_reach_the_device_in_the_order_they_were_made() {
    let link = FaultyLink::new();
    let (session, _) = session(&link, 1_000);
    session.request(&tonic(), false).await.unwrap();
    let results: Vec<_> = (1..=5)
        .map(|i| {
            spawn(
                &session,
                Request::SetAmplitude {
                    program: 0,
                    amplitude_ua: 2_000 + i * 100,
                },
            )
        })
        .collect();
    for _ in 0..100 {
        if results.iter().all(|r| r.borrow().is_some()) {
            break;
        }
        sleep(10).await;
    }
    assert!(results
        .iter()
        .all(|r| *r.borrow() == Some(Ok(Response::Done))));
    assert_eq!(link.server.borrow().device().status().target_ua[0], 2_500);
}

#[wasm_bindgen_test]
async fn stray_chunks_are_passed_over_while_waiting_for_a_reply() {
    let link = FaultyLink::new();
    let (session, traffic) = session(&link, 1_000);
    // The tail of some message nobody is joining.
    link.strays.borrow_mut().push(vec![0x82, 1, 2, 3]);
    let reply = session.request(&Request::GetStatus, false).await;
    assert!(matches!(reply, Ok(Response::Status(_))), "{reply:?}");
    assert!(traffic
        .borrow()
        .iter()
        .any(|t| matches!(t, Traffic::Skipped { .. })));
}

#[wasm_bindgen_test]
async fn a_damaged_reply_fails_its_command_in_words_and_not_the_next() {
    let link = FaultyLink::new();
    let (session, _) = session(&link, 1_000);
    // Telemetry comes in 4 chunks: lose the second.
    link.lose_read_after.set(Some(1));
    let damaged = session.request(&Request::ReadTelemetry, false).await;
    assert!(
        matches!(damaged, Err(LinkError::Protocol(_))),
        "{damaged:?}"
    );
    let next = session.request(&Request::EmergencyStop, false).await;
    assert_eq!(next, Ok(Response::Done));
}

#[wasm_bindgen_test]
async fn events_are_reported_from_a_doorbell_drain_and_from_a_request() {
    let link = FaultyLink::new();
    let (session, traffic) = session(&link, 1_000);
    let status = link.server.borrow().device().status();
    link.server.borrow_mut().notify(Event::StateChanged(status));
    session.drain().await.unwrap();
    link.server.borrow_mut().notify(Event::StateChanged(status));
    let reply = session.request(&Request::GetStatus, false).await;
    assert!(matches!(reply, Ok(Response::Status(_))));
    let events = traffic
        .borrow()
        .iter()
        .filter(|t| matches!(t, Traffic::Event { .. }))
        .count();
    assert_eq!(events, 2);
}

#[wasm_bindgen_test]
fn after_a_failed_amplitude_change_the_app_says_whether_it_took_effect() {
    let mut device = Device::default();
    device
        .handle(
            0,
            stim_core::device::Command::LoadProgramSet(ProgramSet::new(
                LeadKind::Percutaneous8,
                &[presets::tonic_bipole()],
            )),
        )
        .unwrap();
    let status = device.status();
    let change = Request::SetAmplitude {
        program: 0,
        amplitude_ua: 2_100,
    };
    assert_eq!(
        verdict(&change, Some(&status), &status).unwrap(),
        "The amplitude change did not reach the board; the board still runs 2.0 mA."
    );
    let mut after = status;
    after.target_ua[0] = 2_100;
    assert_eq!(
        verdict(&change, Some(&status), &after).unwrap(),
        "The amplitude change reached the board: program 1 is set to 2.1 mA."
    );
    assert_eq!(
        verdict(&Request::Start, None, &status).unwrap(),
        "The start did not reach the board; the board is idle."
    );
    assert_eq!(verdict(&Request::GetStatus, None, &status), None);
}

#[wasm_bindgen_test]
fn quick_presses_count_from_each_other() {
    let mut dial = Dial::default();
    let asked: Vec<u32> = (0..5).map(|_| dial.press(100, 2_000)).collect();
    assert_eq!(asked, [2_100, 2_200, 2_300, 2_400, 2_500]);
    assert_eq!(dial.shown(2_000), 2_500);
    for _ in 0..4 {
        dial.answered(true);
    }
    assert!(dial.pending());
    dial.answered(true);
    assert!(!dial.pending());
    assert_eq!(dial.shown(2_500), 2_500);
    // A refusal: the next press counts from what the device holds.
    dial.press(100, 6_000);
    dial.answered(false);
    assert_eq!(dial.press(100, 6_000), 6_100);
}

#[wasm_bindgen_test]
fn an_unbonded_board_reads_as_not_paired() {
    for (name, message) in [
        (
            "NetworkError",
            "GATT operation failed due to insufficient authentication.",
        ),
        ("SecurityError", "GATT operation not authorized."),
        ("NotSupportedError", "GATT Error: Not paired."),
    ] {
        assert_eq!(classify(name, message), LinkError::NotPaired, "{message}");
    }
    assert_eq!(
        LinkError::NotPaired.to_string(),
        "Not paired: press Button 2 on the board, then connect again."
    );
    assert_eq!(
        classify(
            "NetworkError",
            "GATT Server is disconnected. Cannot perform GATT operations."
        ),
        LinkError::Lost
    );
}

#[wasm_bindgen_test]
fn the_log_keeps_raw_chunks_and_exports_as_text() {
    let line = log::line(
        1,
        "12:00:00.000".into(),
        &Traffic::Sent {
            request: Request::SetAmplitude {
                program: 0,
                amplitude_ua: 2_100,
            },
            chunks: vec![vec![0x80, 0x01, 0xab]],
            poll: false,
        },
    );
    assert_eq!(line.text, "SetAmplitude: program 1 to 2.1 mA");
    assert_eq!(line.hex, ["80 01 ab"]);
    assert_eq!(
        log::export(&[line]),
        "SCS Studio protocol log\n12:00:00.000 → SetAmplitude: program 1 to 2.1 mA\n    80 01 ab\n"
    );
}
