//! The device server: chunks in, chunks out, around stim-core's device state machine.
//!
//! The firmware and the browser's virtual device run this same code: it joins request
//! chunks, decodes them, drives [`Device`], and queues the reply's chunks for the event
//! characteristic. No stimulation logic lives here; it only translates.

use heapless::Deque;
use stim_core::device::{Command, Device};
use stim_core::engine::PhaseEvent;
use stim_core::units::TimeUs;

use crate::fragment::{split, Chunk, Joiner};
use crate::messages::{Event, Identity, Reply, Request, Response, Telemetry};
use crate::wire::{decode, encode, peek_seq, Message};

/// Replies and events that may wait to be read.
const OUTBOX: usize = 4;

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
    outbox: Deque<Message, OUTBOX>,
    /// Chunks of the message being sent, and which is next.
    sending: Option<(Message, usize)>,
    chunk_size: usize,
    started: TimeUs,
    clock: Clock,
    chunks_received: u64,
}

impl Server {
    /// A server for `device` that introduces itself as `identity`; replies are cut into
    /// chunks of `chunk_size` bytes (20 for the default MTU); `started` is the host time
    /// of its start (uptime counts from it).
    pub fn new(
        device: Device,
        identity: Identity,
        chunk_size: usize,
        clock: Clock,
        started: TimeUs,
    ) -> Self {
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
        }
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
        let reply = match self.joiner.push(chunk) {
            Ok(None) => return,
            Ok(Some(message)) => match decode::<Request>(message) {
                Ok((seq, request)) => (seq, self.handle(now, request)),
                Err(e) => (peek_seq(message).unwrap_or(0), Response::Rejected(e)),
            },
            Err(e) => (0, Response::Rejected(e)),
        };
        self.queue(reply.0, &Reply::Response(reply.1));
    }

    /// Queues an unsolicited event (sequence number 0).
    pub fn notify(&mut self, event: Event) {
        self.queue(0, &Reply::Event(event));
    }

    /// The next chunk for the event characteristic; None when nothing waits.
    pub fn next_chunk(&mut self) -> Option<Chunk> {
        if self.sending.is_none() {
            self.sending = self.outbox.pop_front().map(|m| (m, 0));
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
        // Every reply fits MAX_MESSAGE; a full outbox drops the oldest (a client that
        // never reads cannot wedge the device).
        if let Ok(message) = encode(seq, reply) {
            if self.outbox.is_full() {
                self.outbox.pop_front();
            }
            let _ = self.outbox.push_back(message);
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
