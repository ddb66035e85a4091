//! The protocol over a [`Link`]: one request at a time, replies matched, every exchange
//! written to a log in readable form.

use std::cell::RefCell;
use std::fmt::Write as _;

use futures::lock::Mutex;
use stim_core::contacts::{Polarity, CONTACT_SLOTS};
use stim_core::device::Status;
use stim_core::program::{ProgramSet, Waveform};
use stim_core::units::TimeUs;
use stim_proto::client::{Client, Incoming};
use stim_proto::fragment::DEFAULT_CHUNK;
use stim_proto::messages::{Event, Request, Response};

use super::{sleep, Link, LinkError};

/// Empty reads before giving up on a reply (each after a short wait): about 3 s.
const MAX_EMPTY_READS: u32 = 150;

/// A protocol session over `L`.
pub struct Session<L> {
    link: L,
    client: RefCell<Client>,
    /// One GATT operation at a time: Chrome refuses a second ("operation already in progress").
    in_flight: Mutex<()>,
    events: RefCell<Vec<Event>>,
}

impl<L: Link> Session<L> {
    /// A session over `link`.
    pub fn new(link: L) -> Self {
        Session {
            link,
            client: RefCell::new(Client::new()),
            in_flight: Mutex::new(()),
            events: RefCell::new(vec![]),
        }
    }

    /// The link underneath.
    pub fn link(&self) -> &L {
        &self.link
    }

    /// Sends `request` and waits for its response. Requests from several callers queue.
    pub async fn request(&self, request: &Request) -> Result<Response, LinkError> {
        let _turn = self.in_flight.lock().await;
        let chunks = self.client.borrow_mut().request(request, DEFAULT_CHUNK)?;
        for chunk in &chunks {
            self.link.write(chunk).await?;
        }
        let mut empty = 0;
        loop {
            let chunk = self.link.read().await?;
            if chunk.is_empty() {
                empty += 1;
                if empty > MAX_EMPTY_READS {
                    return Err(LinkError::NoReply);
                }
                sleep(20).await;
                continue;
            }
            match self.client.borrow_mut().receive(&chunk)? {
                Some(Incoming::Response(response)) => return Ok(response),
                Some(Incoming::Event(event)) => self.events.borrow_mut().push(event),
                Some(Incoming::Stale(_)) | None => {}
            }
        }
    }

    /// The events that arrived since the last call.
    pub fn take_events(&self) -> Vec<Event> {
        std::mem::take(&mut self.events.borrow_mut())
    }
}

/// A request as the log shows it.
pub fn describe_request(request: &Request) -> String {
    match request {
        Request::LoadProgramSet(set) => format!("LoadProgramSet({})", describe_set(set)),
        other => format!("{other:?}"),
    }
}

/// A response as the log shows it: refusals and rejections in words.
pub fn describe_response(response: &Response) -> String {
    match response {
        Response::Refused(e) => format!("Refused: {e}"),
        Response::Rejected(e) => format!("Rejected: {e}"),
        Response::ProgramSet(Some(set)) => format!("ProgramSet({})", describe_set(set)),
        Response::Status(status) => format!("Status {{ {} }}", describe_status(status)),
        Response::Telemetry(t) => format!(
            "Telemetry {{ {}, uptime: {} ms }}",
            describe_status(&t.status),
            t.uptime_ms
        ),
        other => format!("{other:?}"),
    }
}

/// The status fields that matter, in one line.
fn describe_status(s: &Status) -> String {
    let programs = s.programs as usize;
    format!(
        "state: {:?}, amplitude: {:?} µA, target: {:?} µA, pulses: {}, delivered: {} nC, battery: {}‰",
        s.state,
        &s.amplitude_ua[..programs],
        &s.target_ua[..programs],
        s.counters.pulses,
        s.counters.delivered.nanocoulombs(),
        s.battery_permille
    )
}

/// A program set in one line: each program's waveform, contacts and amplitude.
pub fn describe_set(set: &ProgramSet) -> String {
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
        let contacts: String = (0..CONTACT_SLOTS)
            .filter_map(|s| match p.electrodes.contacts[s].polarity {
                Polarity::Off => None,
                Polarity::Anode => Some(format!("{}+", stim_core::contacts::ContactName(s))),
                Polarity::Cathode => Some(format!("{}−", stim_core::contacts::ContactName(s))),
            })
            .collect::<Vec<_>>()
            .join(" ");
        let _ = write!(
            out,
            "{}{} [{contacts}] {:.1} mA",
            if i > 0 { "; " } else { "" },
            waveform,
            p.amplitude_ua as f64 / 1_000.0
        );
    }
    out
}

/// Microseconds of page time (the virtual device's host clock).
pub fn page_time_us() -> TimeUs {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0, |p| (p.now() * 1_000.0) as TimeUs)
}
