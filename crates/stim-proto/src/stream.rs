//! Framing for byte streams (a serial port): each message COBS-encoded and ended by a
//! zero byte, so a receiver that joins mid-stream resynchronises at the next zero.

use crate::wire::{WireError, MAX_MESSAGE};

/// Room for a COBS-encoded message and its terminator.
pub const MAX_FRAME: usize = MAX_MESSAGE + MAX_MESSAGE / 254 + 2;

/// `message` as one frame: COBS bytes and a terminating 0.
pub fn frame(message: &[u8]) -> heapless::Vec<u8, MAX_FRAME> {
    let mut out = [0u8; MAX_FRAME];
    let n = cobs::encode(message, &mut out);
    out[n] = 0;
    // n + 1 ≤ MAX_FRAME for any message up to MAX_MESSAGE.
    heapless::Vec::from_slice(&out[..n + 1]).unwrap_or_default()
}

/// Collects stream bytes into messages.
#[derive(Debug, Default)]
pub struct Deframer {
    buffer: heapless::Vec<u8, MAX_FRAME>,
    decoded: heapless::Vec<u8, MAX_MESSAGE>,
    overflowed: bool,
}

impl Deframer {
    /// An empty deframer.
    pub fn new() -> Self {
        Deframer::default()
    }

    /// Takes one byte; at a frame's end returns its message, or why it is not one.
    pub fn push(&mut self, byte: u8) -> Option<Result<&[u8], WireError>> {
        if byte != 0 {
            if self.buffer.push(byte).is_err() {
                self.overflowed = true;
            }
            return None;
        }
        let result = if core::mem::take(&mut self.overflowed) {
            Err(WireError::TooLong)
        } else {
            let mut out = [0u8; MAX_FRAME];
            match cobs::decode(&self.buffer, &mut out) {
                Ok(report) => {
                    self.decoded.clear();
                    // The decoded frame is never longer than the encoded one.
                    let _ = self.decoded.extend_from_slice(&out[..report.frame_size()]);
                    Ok(&self.decoded[..])
                }
                Err(_) => Err(WireError::Malformed),
            }
        };
        self.buffer.clear();
        Some(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_survive_zeros_in_the_message_and_garbage_before_them() {
        let message = [1u8, 0, 2, 0, 0, 3];
        let mut stream = heapless::Vec::<u8, 64>::from_slice(&[9, 9, 0]).unwrap(); // noise, then a 0
        stream.extend_from_slice(&frame(&message)).unwrap();
        let mut deframer = Deframer::new();
        let mut messages = heapless::Vec::<heapless::Vec<u8, 16>, 4>::new();
        for &byte in &stream {
            if let Some(Ok(m)) = deframer.push(byte) {
                messages
                    .push(heapless::Vec::from_slice(m).unwrap())
                    .unwrap();
            }
        }
        assert_eq!(messages.last().map(|m| &m[..]), Some(&message[..]));
    }
}
