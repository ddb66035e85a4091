//! The client side: numbered requests out, replies matched to them.

use crate::fragment::{split, Chunk, Joiner};
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
    /// A reply to an earlier request (it was given up on); ignore it.
    Stale(u16),
}

/// Numbers requests and matches replies.
#[derive(Debug, Default)]
pub struct Client {
    seq: u16,
    joiner: Joiner,
}

impl Client {
    /// A client whose first request is number 1.
    pub fn new() -> Self {
        Client::default()
    }

    /// The next request's chunks, `chunk_size` bytes each.
    pub fn request(
        &mut self,
        request: &Request,
        chunk_size: usize,
    ) -> Result<heapless::Vec<Chunk, 128>, WireError> {
        // 0 is reserved for events.
        self.seq = self.seq.wrapping_add(1).max(1);
        let message = encode(self.seq, request)?;
        Ok(split(&message, chunk_size).collect())
    }

    /// Takes a chunk from the event characteristic; returns what it completed, if anything.
    pub fn receive(&mut self, chunk: &[u8]) -> Result<Option<Incoming>, WireError> {
        let Some(message) = self.joiner.push(chunk)? else {
            return Ok(None);
        };
        let (seq, reply) = decode::<Reply>(message)?;
        Ok(Some(match reply {
            Reply::Event(event) => Incoming::Event(event),
            Reply::Response(response) if seq == self.seq => Incoming::Response(response),
            Reply::Response(_) => Incoming::Stale(seq),
        }))
    }
}
