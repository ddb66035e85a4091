//! Splitting a message into BLE-sized chunks, and joining them again.
//!
//! Each chunk starts with one header byte: bit 7 marks the last chunk, bits 0–6 are its
//! index (0–127), so a message has at most 128 chunks. Chunks of [`DEFAULT_CHUNK`] bytes
//! fit the default ATT MTU (23) of any link; a client that knows a larger MTU may use
//! larger chunks: the joiner takes any size.
//!
//! The joiner reports one error per broken message: after a chunk-level error it drops
//! chunks silently until the next index-0 chunk, so the rest of a broken message does not
//! bury the first, meaningful error under a flood of `OutOfOrder`.

use crate::wire::{Message, WireError, MAX_MESSAGE};

/// A chunk that fits the default ATT MTU: 23 − 3 bytes of ATT header.
pub const DEFAULT_CHUNK: usize = 20;
/// The largest chunk (a 247-byte MTU with data length extension).
pub const MAX_CHUNK: usize = 244;
/// Most chunks in one message: the header's 7 index bits.
pub const MAX_CHUNKS: usize = 128;
/// The smallest chunk size at which every message fits [`MAX_CHUNKS`] chunks (1 + 8 bytes).
pub const MIN_CHUNK: usize = 1 + MAX_MESSAGE.div_ceil(MAX_CHUNKS);
const LAST: u8 = 0x80;
const INDEX: u8 = 0x7f;

/// One chunk: header byte and payload.
pub type Chunk = heapless::Vec<u8, MAX_CHUNK>;

/// The chunks of `message`, each at most `chunk_size` bytes (header included). Any
/// [`Message`] fits [`MAX_CHUNKS`] chunks at any size from [`MIN_CHUNK`], so the index
/// never wraps.
///
/// # Panics
/// If `chunk_size` is not in [`MIN_CHUNK`]..=[`MAX_CHUNK`] (a constant of the caller's).
pub fn split(message: &Message, chunk_size: usize) -> impl Iterator<Item = Chunk> + '_ {
    check_chunk_size(chunk_size);
    let payload = chunk_size - 1;
    let count = message.len().div_ceil(payload).max(1);
    (0..count).map(move |i| {
        let part = &message[i * payload..((i + 1) * payload).min(message.len())];
        let mut chunk = Chunk::new();
        let last = if i + 1 == count { LAST } else { 0 };
        // Fits: i < 128 (see MIN_CHUNK) and 1 + payload ≤ chunk_size ≤ MAX_CHUNK.
        let _ = chunk.push(last | i as u8);
        let _ = chunk.extend_from_slice(part);
        chunk
    })
}

/// Panics unless `chunk_size` is one [`split`] accepts.
pub(crate) fn check_chunk_size(chunk_size: usize) {
    assert!(
        (MIN_CHUNK..=MAX_CHUNK).contains(&chunk_size),
        "chunk size {chunk_size} outside {MIN_CHUNK}..={MAX_CHUNK}"
    );
}

/// What a joiner does with a chunk whose index is not 0 while no message is being joined.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Strays {
    /// Report it as [`WireError::OutOfOrder`] (the server: every broken request is answered).
    #[default]
    Report,
    /// Drop it silently (the client: a leftover of a damaged reply must not fail the next
    /// request).
    Skip,
}

/// Where the joiner is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Joining {
    /// Between messages.
    #[default]
    Idle,
    /// In a message; the chunk index expected next.
    At(u8),
    /// After an error in this message: its remaining chunks are dropped unreported.
    Discarding,
}

/// Joins chunks back into messages.
#[derive(Debug, Default)]
pub struct Joiner {
    buffer: Message,
    state: Joining,
    strays: Strays,
}

impl Joiner {
    /// An empty joiner that reports stray chunks (the server's).
    pub fn new() -> Self {
        Joiner::default()
    }

    /// An empty joiner that handles stray chunks as `strays` says.
    pub fn with_strays(strays: Strays) -> Self {
        Joiner {
            strays,
            ..Joiner::default()
        }
    }

    /// Takes one chunk; returns the whole message when this chunk completes one.
    ///
    /// A chunk with index 0 always starts a new message (a sender that gave up half-way
    /// starts over). An error (an empty chunk, a gap, over [`MAX_MESSAGE`] bytes, a
    /// non-last chunk 127) drops the partial message and is reported once: the message's
    /// later chunks are dropped silently, up to the next index-0 chunk.
    pub fn push(&mut self, chunk: &[u8]) -> Result<Option<&[u8]>, WireError> {
        let Some((&header, payload)) = chunk.split_first() else {
            return self.fail(WireError::EmptyChunk);
        };
        let index = header & INDEX;
        let last = header & LAST != 0;
        if index == 0 {
            self.buffer.clear();
            self.state = Joining::At(0);
        }
        match self.state {
            Joining::At(expected) if expected == index => {}
            Joining::At(expected) => {
                return self.fail(WireError::OutOfOrder {
                    expected,
                    got: index,
                })
            }
            Joining::Idle if self.strays == Strays::Skip => return Ok(None),
            // A stray, or the rest of a broken message (which `fail` keeps quiet).
            Joining::Idle | Joining::Discarding => {
                return self.fail(WireError::OutOfOrder {
                    expected: 0,
                    got: index,
                })
            }
        }
        // A 129th chunk would need index 128, which the header cannot carry.
        if (index == INDEX && !last) || self.buffer.extend_from_slice(payload).is_err() {
            return self.fail(WireError::TooLong);
        }
        if last {
            self.state = Joining::Idle;
            Ok(Some(&self.buffer))
        } else {
            self.state = Joining::At(index + 1);
            Ok(None)
        }
    }

    /// Reports `error` unless this message already had one, and drops the rest of it.
    fn fail(&mut self, error: WireError) -> Result<Option<&[u8]>, WireError> {
        let reported = self.state == Joining::Discarding;
        self.buffer.clear();
        self.state = Joining::Discarding;
        if reported {
            Ok(None)
        } else {
            Err(error)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(len: usize) -> Message {
        (0..len).map(|i| i as u8).collect()
    }

    #[test]
    fn a_message_splits_into_20_byte_chunks_and_joins_back() {
        let message = message(45);
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
        let message = message(30);
        let chunks: heapless::Vec<Chunk, 4> = split(&message, DEFAULT_CHUNK).collect();
        let mut joiner = Joiner::new();
        assert_eq!(
            joiner.push(&[0x81, 1]),
            Err(WireError::OutOfOrder {
                expected: 0,
                got: 1
            })
        );
        joiner.push(&chunks[0]).unwrap();
        // Chunk 0 again: the sender started over.
        joiner.push(&chunks[0]).unwrap();
        assert_eq!(joiner.push(&chunks[1]), Ok(Some(&message[..])));
        assert_eq!(joiner.push(&[]), Err(WireError::EmptyChunk));
    }

    #[test]
    fn a_broken_message_is_reported_once_and_the_next_one_joins() {
        let mut joiner = Joiner::new();
        joiner.push(&[0x00, 1]).unwrap();
        assert_eq!(
            joiner.push(&[0x02, 3]),
            Err(WireError::OutOfOrder {
                expected: 1,
                got: 2
            })
        );
        // The rest of the broken message: silent.
        for chunk in [&[0x03, 4][..], &[], &[0x84, 5]] {
            assert_eq!(joiner.push(chunk), Ok(None));
        }
        assert_eq!(joiner.push(&[0x80, 9]), Ok(Some(&[9][..])));
    }

    #[test]
    fn a_129th_chunk_is_too_long_never_a_restart() {
        let mut joiner = Joiner::new();
        for index in 0..127u8 {
            assert_eq!(joiner.push(&[index, index]), Ok(None));
        }
        assert_eq!(joiner.push(&[127, 127]), Err(WireError::TooLong));
        // The wrapped "chunk 0" of the same sender starts afresh; nothing of before is kept.
        assert_eq!(joiner.push(&[0x80, 1]), Ok(Some(&[1][..])));
        // A last chunk 127 completes a message of exactly 128 chunks.
        for index in 0..127u8 {
            joiner.push(&[index, 0]).unwrap();
        }
        assert_eq!(
            joiner.push(&[0x80 | 127, 0]).map(|m| m.map(<[u8]>::len)),
            Ok(Some(128))
        );
    }

    #[test]
    fn a_skipping_joiner_drops_strays_but_reports_a_gap_inside_a_message() {
        let mut joiner = Joiner::with_strays(Strays::Skip);
        assert_eq!(joiner.push(&[0x03, 1]), Ok(None));
        assert_eq!(joiner.push(&[0x84, 1]), Ok(None));
        joiner.push(&[0x00, 1]).unwrap();
        assert_eq!(
            joiner.push(&[0x82, 1]),
            Err(WireError::OutOfOrder {
                expected: 1,
                got: 2
            })
        );
    }

    #[test]
    fn every_message_fits_128_chunks_at_the_smallest_chunk_size() {
        let longest = message(MAX_MESSAGE);
        assert_eq!(split(&longest, MIN_CHUNK).count(), MAX_CHUNKS);
        assert_eq!(split(&longest, MIN_CHUNK).last().unwrap()[0], 0x80 | 127);
    }

    #[test]
    #[should_panic(expected = "chunk size 8 outside 9..=244")]
    fn a_chunk_size_too_small_for_the_longest_message_is_a_contract_violation() {
        let _ = split(&message(1), MIN_CHUNK - 1);
    }
}
