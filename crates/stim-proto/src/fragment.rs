//! Splitting a message into BLE-sized chunks, and joining them again.
//!
//! Each chunk starts with one header byte: bit 7 marks the last chunk, bits 0–6 are its
//! index (0–127). Chunks of [`DEFAULT_CHUNK`] bytes fit the default ATT MTU (23) of any
//! link; a client that knows a larger MTU may use larger chunks: the joiner takes any size.

use crate::wire::{WireError, MAX_MESSAGE};

/// A chunk that fits the default ATT MTU: 23 − 3 bytes of ATT header.
pub const DEFAULT_CHUNK: usize = 20;
/// The largest chunk (a 247-byte MTU with data length extension).
pub const MAX_CHUNK: usize = 244;
const LAST: u8 = 0x80;
const INDEX: u8 = 0x7f;

/// One chunk: header byte and payload.
pub type Chunk = heapless::Vec<u8, MAX_CHUNK>;

/// The chunks of `message`, each at most `chunk_size` bytes (header included).
///
/// # Panics
/// If `chunk_size` is not in 2..=[`MAX_CHUNK`], or the message needs more than 128 chunks.
pub fn split(message: &[u8], chunk_size: usize) -> impl Iterator<Item = Chunk> + '_ {
    assert!(
        (2..=MAX_CHUNK).contains(&chunk_size),
        "chunk size {chunk_size} outside 2..={MAX_CHUNK}"
    );
    let payload = chunk_size - 1;
    let count = message.len().div_ceil(payload).max(1);
    assert!(
        count <= 128,
        "a message of {} bytes needs {count} chunks of {chunk_size}",
        message.len()
    );
    (0..count).map(move |i| {
        let part = &message[i * payload..((i + 1) * payload).min(message.len())];
        let mut chunk = Chunk::new();
        let last = if i + 1 == count { LAST } else { 0 };
        // Fits: 1 + payload ≤ chunk_size ≤ MAX_CHUNK.
        let _ = chunk.push(last | i as u8);
        let _ = chunk.extend_from_slice(part);
        chunk
    })
}

/// Joins chunks back into messages.
#[derive(Debug, Default)]
pub struct Joiner {
    buffer: heapless::Vec<u8, MAX_MESSAGE>,
    next: u8,
}

impl Joiner {
    /// An empty joiner.
    pub fn new() -> Self {
        Joiner::default()
    }

    /// Takes one chunk; returns the whole message when this chunk completes one.
    ///
    /// A chunk with index 0 always starts a new message (a sender that gave up half-way
    /// starts over); any other gap drops the partial message and is an error.
    pub fn push(&mut self, chunk: &[u8]) -> Result<Option<&[u8]>, WireError> {
        let (&header, payload) = chunk.split_first().ok_or(WireError::EmptyChunk)?;
        let index = header & INDEX;
        if index == 0 {
            self.buffer.clear();
            self.next = 0;
        }
        if index != self.next {
            let expected = self.next;
            self.reset();
            return Err(WireError::OutOfOrder {
                expected,
                got: index,
            });
        }
        if self.buffer.extend_from_slice(payload).is_err() {
            self.reset();
            return Err(WireError::TooLong);
        }
        self.next = self.next.wrapping_add(1);
        if header & LAST != 0 {
            self.next = 0;
            Ok(Some(&self.buffer))
        } else {
            Ok(None)
        }
    }

    fn reset(&mut self) {
        self.buffer.clear();
        self.next = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_splits_into_20_byte_chunks_and_joins_back() {
        let message: heapless::Vec<u8, 100> = (0..45u8).collect();
        let chunks: heapless::Vec<Chunk, 8> = split(&message, DEFAULT_CHUNK).collect();
        // 45 bytes at 19 a chunk: 19 + 19 + 7.
        assert_eq!(
            chunks
                .iter()
                .map(|c| c.len())
                .collect::<heapless::Vec<_, 8>>(),
            [20, 20, 8]
        );
        assert_eq!(
            (chunks[0][0], chunks[1][0], chunks[2][0]),
            (0x00, 0x01, 0x82)
        );
        let mut joiner = Joiner::new();
        assert_eq!(joiner.push(&chunks[0]), Ok(None));
        assert_eq!(joiner.push(&chunks[1]), Ok(None));
        assert_eq!(joiner.push(&chunks[2]), Ok(Some(&message[..])));
    }

    #[test]
    fn a_missing_chunk_drops_the_message_and_a_new_start_recovers() {
        let message = [7u8; 30];
        let chunks: heapless::Vec<Chunk, 4> = split(&message, DEFAULT_CHUNK).collect();
        let mut joiner = Joiner::new();
        assert_eq!(
            joiner.push(&[0x81, 1]),
            Err(WireError::OutOfOrder {
                expected: 0,
                got: 1
            })
        );
        assert_eq!(joiner.push(&[]), Err(WireError::EmptyChunk));
        joiner.push(&chunks[0]).unwrap();
        // Chunk 0 again: the sender started over.
        joiner.push(&chunks[0]).unwrap();
        assert_eq!(joiner.push(&chunks[1]), Ok(Some(&message[..])));
    }
}
