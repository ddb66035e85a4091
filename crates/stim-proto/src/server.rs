//! The device server: chunks in, chunks out, around stim-core's device state machine.
//!
//! The firmware and the browser's virtual device run this same code: it joins request
//! chunks, decodes them, drives [`Device`], and queues the reply's chunks for the event
//! characteristic. No stimulation logic lives here; it only translates.
//!
//! Every broken request is answered once, with `Rejected`: with the request's sequence
//! number when its checksum verified, else with 0 (docs/protocol.md, "Sequence numbers").
//! The outbox holds [`OUTBOX`] messages; when it is full, the oldest *event* makes room
//! (a newer `StateChanged` supersedes it), and a response is dropped only when the outbox
//! holds nothing else, so a client's answer is never pushed out by events.

use heapless::Deque;
use stim_core::device::{Command, Device};
use stim_core::engine::PhaseEvent;
use stim_core::units::TimeUs;

use crate::fragment::{check_chunk_size, split, Chunk, Joiner};
use crate::messages::{Event, Identity, Reply, Request, Response, Telemetry};
use crate::wire::{decode_answerable, encode, Message};

/// Replies and events that may wait to be read.
pub const OUTBOX: usize = 4;

/// A queued message, and whether it is an event (evicted first when the outbox is full).
struct Queued {
    message: Message,
    event: bool,
}

/// How far the stepped clock moves for each chunk written.
pub const STEP_PER_CHUNK_US: TimeUs = 10_000;

/// Where the server's time comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// The host's clock, passed to [`Server::receive`] (the board's timer, the page's).
    Host,
    /// Each chunk written moves time on by [`STEP_PER_CHUNK_US`]: two servers fed the same
    /// chunks answer identically, whatever their hosts' clocks (for replayable sessions).
    Stepped,
}

/// The server side of the protocol.
pub struct Server {
    device: Device,
    identity: Identity,
    joiner: Joiner,
    outbox: Deque<Queued, OUTBOX>,
    /// Chunks of the message being sent, and which is next.
    sending: Option<(Message, usize)>,
    chunk_size: usize,
    started: TimeUs,
    clock: Clock,
    chunks_received: u64,
    /// What the board's pin loader reported it dropped (see [`Telemetry::dropped_pulses`]).
    dropped_pulses: u32,
}

impl Server {
    /// A server for `device` that introduces itself as `identity`; replies are cut into
    /// chunks of `chunk_size` bytes (20 for the default MTU); `started` is the host time
    /// of its start (uptime counts from it).
    ///
    /// # Panics
    /// If `chunk_size` is outside [`crate::fragment::MIN_CHUNK`]..=[`crate::fragment::MAX_CHUNK`].
    pub fn new(
        device: Device,
        identity: Identity,
        chunk_size: usize,
        clock: Clock,
        started: TimeUs,
    ) -> Self {
        check_chunk_size(chunk_size);
        Server {
            device,
            identity,
            joiner: Joiner::new(),
            outbox: Deque::new(),
            sending: None,
            chunk_size,
            started: if clock == Clock::Host { started } else { 0 },
            clock,
            chunks_received: 0,
            dropped_pulses: 0,
        }
    }

    /// The pulses the board's pin loader has dropped since it started, for Telemetry.
    pub fn report_dropped_pulses(&mut self, count: u32) {
        self.dropped_pulses = count;
    }

    /// The device, to read.
    pub fn device(&self) -> &Device {
        &self.device
    }

    /// Plays the device up to `now` (see [`Device::advance`]).
    pub fn advance(&mut self, now: TimeUs, sink: impl FnMut(&PhaseEvent)) {
        self.device.advance(now, sink);
    }

    /// Takes a chunk written to the command characteristic at host time `now`. When it
    /// completes a request, the request is carried out and its reply queued.
    pub fn receive(&mut self, now: TimeUs, chunk: &[u8]) {
        self.chunks_received += 1;
        let now = match self.clock {
            Clock::Host => now,
            Clock::Stepped => self.chunks_received * STEP_PER_CHUNK_US,
        };
        let (seq, response) = match self.joiner.push(chunk) {
            Ok(None) => return,
            Ok(Some(message)) => match decode_answerable::<Request>(message) {
                Ok((seq, request)) => (seq, self.handle(now, request)),
                Err((seq, e)) => (seq, Response::Rejected(e)),
            },
            // Chunk errors come before any checksum: no trustworthy seq.
            Err(e) => (0, Response::Rejected(e)),
        };
        self.queue(seq, &Reply::Response(response));
    }

    /// Queues an unsolicited event (sequence number 0).
    pub fn notify(&mut self, event: Event) {
        self.queue(0, &Reply::Event(event));
    }

    /// The next chunk for the event characteristic; None when nothing waits.
    pub fn next_chunk(&mut self) -> Option<Chunk> {
        if self.sending.is_none() {
            self.sending = self.outbox.pop_front().map(|q| (q.message, 0));
        }
        let (message, index) = self.sending.as_mut()?;
        let chunk = split(message, self.chunk_size).nth(*index);
        *index += 1;
        if split(message, self.chunk_size).count() == *index {
            self.sending = None;
        }
        chunk
    }

    fn queue(&mut self, seq: u16, reply: &Reply) {
        // Every reply fits MAX_MESSAGE.
        let Ok(message) = encode(seq, reply) else {
            return;
        };
        if self.outbox.is_full() {
            self.evict();
        }
        let event = matches!(reply, Reply::Event(_));
        let _ = self.outbox.push_back(Queued { message, event });
    }

    /// Drops the oldest event, or the oldest response when only responses wait: a client
    /// that never reads cannot wedge the device, and events never push a response out.
    fn evict(&mut self) {
        let Some(oldest_event) = self.outbox.iter().position(|q| q.event) else {
            self.outbox.pop_front();
            return;
        };
        // Rotate once through the queue, leaving the oldest event out; order is kept.
        for i in 0..self.outbox.len() {
            if let Some(queued) = self.outbox.pop_front() {
                if i != oldest_event {
                    let _ = self.outbox.push_back(queued);
                }
            }
        }
    }

    /// Carries out one decoded request at `now`.
    pub fn handle(&mut self, now: TimeUs, request: Request) -> Response {
        self.device.advance(now, |_| {});
        let command = match request {
            Request::Identify => return Response::Identity(self.identity.clone()),
            Request::GetStatus => return Response::Status(self.device.status()),
            Request::GetProgramSet => {
                return Response::ProgramSet(self.device.program_set().cloned())
            }
            Request::ReadTelemetry => {
                return Response::Telemetry(Telemetry {
                    status: self.device.status(),
                    impedance_ohms: self.device.impedance().ohms,
                    uptime_ms: now.saturating_sub(self.started) / 1_000,
                    dropped_pulses: self.dropped_pulses,
                })
            }
            Request::ReadFaults => return Response::Faults(self.device.fault()),
            Request::LoadProgramSet(set) => Command::LoadProgramSet(set),
            Request::Start => Command::Start,
            Request::Stop => Command::Stop,
            Request::SetAmplitude {
                program,
                amplitude_ua,
            } => Command::SetAmplitude {
                program,
                amplitude_ua,
            },
            Request::SelectProgram(selection) => Command::SelectProgram(selection),
            Request::EmergencyStop => Command::EmergencyStop,
            Request::ClearFaults => Command::ClearFault,
            Request::SetClinicianLimits(limits) => Command::SetLimits(limits),
        };
        match self.device.handle(now, command) {
            Ok(()) => Response::Done,
            Err(e) => Response::Refused(e),
        }
    }
}
