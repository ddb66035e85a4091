//! The client side: numbered requests out, replies matched to them.
//!
//! A client has at most one request outstanding (docs/protocol.md). A response answers it
//! when it carries its sequence number, or when it is a `Rejected` with sequence 0: the
//! device could not trust the number of a message it found broken before its checksum
//! verified, and the message it found broken is the one this client sent last. Chunks
//! left over from a damaged reply are skipped, and a reply that decodes but cannot be
//! true is [`WireError::Implausible`], so no reply can crash what formats it.

use stim_core::contacts::CONTACT_SLOTS;
use stim_core::device::{CommandError, Selection, Status};
use stim_core::error::SafetyError;
use stim_core::program::MAX_PROGRAMS;

use crate::fragment::{check_chunk_size, split, Chunk, Joiner, Strays, MAX_CHUNKS};
use crate::messages::{Event, Reply, Request, Response};
use crate::wire::{decode, encode, WireError};

/// What a chunk from the event characteristic completed.
// No allocator to box the response into; it is matched once and dropped.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Incoming {
    /// The response to the request in flight.
    Response(Response),
    /// An unsolicited event.
    Event(Event),
    /// A reply to an earlier request (it was given up on), or one that answers nothing
    /// outstanding; ignore it.
    Stale(u16),
}

/// Numbers requests and matches replies.
#[derive(Debug)]
pub struct Client {
    seq: u16,
    /// A request was sent and not answered yet.
    outstanding: bool,
    joiner: Joiner,
}

impl Default for Client {
    fn default() -> Self {
        Client {
            seq: 0,
            outstanding: false,
            joiner: Joiner::with_strays(Strays::Skip),
        }
    }
}

impl Client {
    /// A client whose first request is number 1.
    pub fn new() -> Self {
        Client::default()
    }

    /// The next request's chunks, `chunk_size` bytes each. It replaces any request still
    /// outstanding: that one's late answer is [`Incoming::Stale`].
    ///
    /// # Panics
    /// If `chunk_size` is outside [`crate::fragment::MIN_CHUNK`]..=[`crate::fragment::MAX_CHUNK`].
    pub fn request(
        &mut self,
        request: &Request,
        chunk_size: usize,
    ) -> Result<heapless::Vec<Chunk, MAX_CHUNKS>, WireError> {
        check_chunk_size(chunk_size);
        // 0 is reserved for events and transport-level rejections.
        self.seq = self.seq.wrapping_add(1).max(1);
        let message = encode(self.seq, request)?;
        self.outstanding = true;
        // Any message fits MAX_CHUNKS chunks at a checked size.
        Ok(split(&message, chunk_size).collect())
    }

    /// Takes a chunk from the event characteristic; returns what it completed, if anything.
    ///
    /// An error means the reply this chunk belonged to was damaged (or cannot be true);
    /// the chunks left of it are skipped, and the next reply is read normally.
    pub fn receive(&mut self, chunk: &[u8]) -> Result<Option<Incoming>, WireError> {
        let Some(message) = self.joiner.push(chunk)? else {
            return Ok(None);
        };
        let (seq, reply) = decode::<Reply>(message)?;
        if !plausible(&reply) {
            return Err(WireError::Implausible);
        }
        Ok(Some(match reply {
            Reply::Event(event) => Incoming::Event(event),
            Reply::Response(response) if self.answers_outstanding(seq, &response) => {
                self.outstanding = false;
                Incoming::Response(response)
            }
            Reply::Response(_) => Incoming::Stale(seq),
        }))
    }

    /// Whether a response with `seq` answers the request outstanding (the seq-0 rule).
    fn answers_outstanding(&self, seq: u16, response: &Response) -> bool {
        self.outstanding
            && (seq == self.seq || (seq == 0 && matches!(response, Response::Rejected(_))))
    }
}

/// Whether a decoded reply can be true: every count and index within what a device holds.
fn plausible(reply: &Reply) -> bool {
    match reply {
        Reply::Event(Event::StateChanged(status)) | Reply::Response(Response::Status(status)) => {
            plausible_status(status)
        }
        Reply::Response(Response::Telemetry(t)) => plausible_status(&t.status),
        Reply::Response(Response::Refused(e)) => plausible_refusal(e),
        Reply::Response(Response::Faults(Some(e))) => plausible_safety(e),
        Reply::Response(
            Response::Done
            | Response::Rejected(_)
            | Response::Identity(_)
            | Response::ProgramSet(_)
            | Response::Faults(None),
        ) => true,
    }
}

fn plausible_status(status: &Status) -> bool {
    let selected = match status.selection {
        Selection::All => true,
        Selection::One(p) => usize::from(p) < MAX_PROGRAMS,
    };
    usize::from(status.programs) <= MAX_PROGRAMS && selected && status.battery_permille <= 1_000
}

fn plausible_refusal(e: &CommandError) -> bool {
    match e {
        CommandError::Unsafe(e) => plausible_safety(e),
        CommandError::NoSuchProgram { programs, .. } => usize::from(*programs) <= MAX_PROGRAMS,
        CommandError::OutsidePatientRange { program, .. } => usize::from(*program) < MAX_PROGRAMS,
        CommandError::NoProgramSet | CommandError::NotNow { .. } => true,
    }
}

/// Program and contact indices within the arrays (a new variant must say what it holds).
fn plausible_safety(e: &SafetyError) -> bool {
    use SafetyError::*;
    let program = |p: &usize| *p < MAX_PROGRAMS;
    let contact = |c: &usize| *c < CONTACT_SLOTS;
    match e {
        NoProgram | SetOutOfRange { .. } => true,
        NoCathode { program: p }
        | NoAnode { program: p }
        | SharesDoNotAddUp { program: p, .. }
        | OutOfRange { program: p, .. }
        | AboveClinicianMaximum { program: p, .. }
        | PatientRangeEmpty { program: p }
        | OutsidePatientRange { program: p, .. }
        | PhasesExceedPeriod { program: p, .. }
        | PulsesOverlap { program: p }
        | TooManyPhases { program: p, .. }
        | ChargeImbalance { program: p, .. }
        | Compliance { program: p, .. }
        | RatesDiffer { program: p } => program(p),
        ContactNotOnLead {
            program: p,
            contact: c,
            ..
        }
        | ChargeDensity {
            program: p,
            contact: c,
            ..
        }
        | Shannon {
            program: p,
            contact: c,
            ..
        }
        | ContactImpedance {
            program: p,
            contact: c,
            ..
        } => program(p) && contact(c),
        Collision { first, second } => program(first) && program(second),
    }
}
