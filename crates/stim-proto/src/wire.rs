//! One message on the wire: an envelope (protocol version, sequence number, body) in
//! postcard, followed by a CRC-32 of everything before it.
//!
//! ```text
//! | version: u8 | seq: varint u16 | body: postcard | crc32: u32 LE |
//! ```
//!
//! Decoding never panics: every malformed, truncated, corrupted, unknown-version or
//! unsupported message is a [`WireError`] that says which.

use core::fmt;

use crc::{Crc, CRC_32_ISCSI};
use serde::{de::DeserializeOwned, Deserialize, Serialize};

/// The protocol version every message carries.
pub const PROTOCOL_VERSION: u8 = 2;
/// The largest encoded message, bytes (a set of four programs of 16 custom stages fits).
pub const MAX_MESSAGE: usize = 1_024;
/// Bytes of the integrity check.
const CRC_LEN: usize = 4;
/// CRC-32C (Castagnoli): good error detection for short messages.
const CRC32: Crc<u32> = Crc::<u32>::new(&CRC_32_ISCSI);

/// An encoded message.
pub type Message = heapless::Vec<u8, MAX_MESSAGE>;

/// Why bytes are not a message. Every variant is reported to the other end in words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WireError {
    /// Fewer bytes than the smallest message.
    Truncated,
    /// The integrity check does not match: the bytes were corrupted.
    BadChecksum,
    /// A protocol version this end does not speak.
    UnknownVersion {
        /// The version the message carries.
        got: u8,
        /// The version this end speaks.
        supported: u8,
    },
    /// A message kind this end does not know (a newer peer?).
    Unsupported,
    /// The body does not decode (wrong field values or layout).
    Malformed,
    /// Longer than [`MAX_MESSAGE`] bytes, or than 128 chunks.
    TooLong,
    /// A chunk arrived out of order (index `got`, expected `expected`).
    OutOfOrder {
        /// The chunk index expected next.
        expected: u8,
        /// The chunk index that came.
        got: u8,
    },
    /// An empty chunk, which carries no header.
    EmptyChunk,
    /// A reply that decodes but cannot be true (more programs than a set holds, a program
    /// or contact index beyond them). Found by the client; a device never sends it.
    Implausible,
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WireError::Truncated => f.write_str("The message was cut short."),
            WireError::BadChecksum => f.write_str("The message was corrupted on the way (its checksum does not match)."),
            WireError::UnknownVersion { got, supported } => write!(
                f,
                "The other end speaks protocol version {got}; this one speaks version {supported}. Update the older side."
            ),
            WireError::Unsupported => f.write_str("The other end sent a kind of message this version does not know."),
            WireError::Malformed => f.write_str("The message is malformed: its fields do not decode."),
            WireError::TooLong => write!(f, "The message is longer than the {MAX_MESSAGE} bytes (128 chunks) allowed; it was dropped."),
            WireError::OutOfOrder { expected, got } => {
                write!(f, "Part {got} of a message arrived where part {expected} was expected; the message was dropped.")
            }
            WireError::EmptyChunk => f.write_str("An empty packet arrived; it was ignored."),
            WireError::Implausible => f.write_str("The device's reply carries values that cannot be true (a program or contact that does not exist); it was ignored."),
        }
    }
}

/// A body type: an enum whose variants a newer peer may extend.
pub trait WireBody: DeserializeOwned {
    /// How many variants this version knows; an index past them is [`WireError::Unsupported`].
    const VARIANTS: u32;
}

/// The envelope around every body.
#[derive(Serialize, Deserialize)]
struct Envelope<T> {
    version: u8,
    seq: u16,
    body: T,
}

/// Encodes `body` with sequence number `seq`.
pub fn encode<T: Serialize>(seq: u16, body: &T) -> Result<Message, WireError> {
    let mut buf = [0u8; MAX_MESSAGE];
    let used = postcard::to_slice(
        &Envelope {
            version: PROTOCOL_VERSION,
            seq,
            body,
        },
        &mut buf[..MAX_MESSAGE - CRC_LEN],
    )
    .map_err(|_| WireError::TooLong)?
    .len();
    let crc = CRC32.checksum(&buf[..used]).to_le_bytes();
    buf[used..used + CRC_LEN].copy_from_slice(&crc);
    Message::from_slice(&buf[..used + CRC_LEN]).map_err(|_| WireError::TooLong)
}

/// Decodes a message into its sequence number and body.
pub fn decode<T: WireBody>(bytes: &[u8]) -> Result<(u16, T), WireError> {
    decode_answerable(bytes).map_err(|(_, e)| e)
}

/// Decodes a message; on failure also gives the sequence number to answer it with: the
/// message's own once its checksum verified, 0 before (a corrupted or cut message has no
/// trustworthy number: docs/protocol.md, "Sequence numbers").
pub fn decode_answerable<T: WireBody>(bytes: &[u8]) -> Result<(u16, T), (u16, WireError)> {
    let payload = verified(bytes).map_err(|e| (0, e))?;
    // Every version starts with its version byte and a varint seq, so the number reads
    // even when the version or the body does not.
    let seq = postcard::take_from_bytes::<u16>(&payload[1..]).map_or(0, |(seq, _)| seq);
    // The version comes first and is one byte, so it is read before the body.
    if payload[0] != PROTOCOL_VERSION {
        return Err((
            seq,
            WireError::UnknownVersion {
                got: payload[0],
                supported: PROTOCOL_VERSION,
            },
        ));
    }
    match postcard::take_from_bytes::<Envelope<T>>(payload) {
        Ok((envelope, [])) => Ok((envelope.seq, envelope.body)),
        Ok(_) => Err((seq, WireError::Malformed)),
        Err(postcard::Error::DeserializeUnexpectedEnd) => Err((seq, WireError::Truncated)),
        Err(_) if variant(payload).is_some_and(|v| v >= T::VARIANTS) => {
            Err((seq, WireError::Unsupported))
        }
        Err(_) => Err((seq, WireError::Malformed)),
    }
}

/// The bytes before the checksum, once their length and checksum are right.
fn verified(bytes: &[u8]) -> Result<&[u8], WireError> {
    if bytes.len() > MAX_MESSAGE {
        return Err(WireError::TooLong);
    }
    // version + seq + a one-byte body at the least.
    if bytes.len() < 3 + CRC_LEN {
        return Err(WireError::Truncated);
    }
    let (payload, crc) = bytes.split_at(bytes.len() - CRC_LEN);
    if CRC32.checksum(payload).to_le_bytes() != crc {
        return Err(WireError::BadChecksum);
    }
    Ok(payload)
}

/// The body's variant index: the varint after the version and the sequence number.
fn variant(payload: &[u8]) -> Option<u32> {
    let (_version, rest) = postcard::take_from_bytes::<u8>(payload).ok()?;
    let (_seq, rest) = postcard::take_from_bytes::<u16>(rest).ok()?;
    postcard::take_from_bytes::<u32>(rest).ok().map(|(v, _)| v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::{Event, Reply, Request};
    use stim_core::device::Device;

    #[test]
    fn a_request_round_trips_and_every_corruption_is_named() {
        let message = encode(7, &Request::Start).unwrap();
        assert_eq!(decode::<Request>(&message), Ok((7, Request::Start)));

        let mut flipped = message.clone();
        flipped[2] ^= 0x40;
        // A corrupted message's seq is not trusted: the answer carries 0.
        assert_eq!(
            decode_answerable::<Request>(&flipped),
            Err((0, WireError::BadChecksum))
        );
        assert_eq!(
            decode_answerable::<Request>(&message[..4]),
            Err((0, WireError::Truncated))
        );

        // A message of another version (the next) with a valid checksum.
        let mut v2 = message.clone();
        v2[0] = PROTOCOL_VERSION + 1;
        let n = v2.len() - 4;
        let crc = CRC32.checksum(&v2[..n]).to_le_bytes();
        v2[n..].copy_from_slice(&crc);
        assert_eq!(
            decode_answerable::<Request>(&v2),
            Err((
                7,
                WireError::UnknownVersion {
                    got: PROTOCOL_VERSION + 1,
                    supported: PROTOCOL_VERSION
                }
            ))
        );
    }

    #[test]
    fn variant_counts_match_the_last_variant() {
        // Encoding the last variant shows its index; VARIANTS must be one more.
        let last = encode(1, &Request::SetClinicianLimits(Default::default())).unwrap();
        assert_eq!(
            variant(&last[..last.len() - 4]),
            Some(Request::VARIANTS - 1)
        );
        let last = encode(
            1,
            &Reply::Event(Event::StateChanged(Device::default().status())),
        )
        .unwrap();
        assert_eq!(variant(&last[..last.len() - 4]), Some(Reply::VARIANTS - 1));
    }

    #[test]
    fn an_unknown_request_kind_is_unsupported_not_malformed() {
        // Variant 200 does not exist.
        let mut raw = heapless::Vec::<u8, 16>::from_slice(&[PROTOCOL_VERSION, 1, 200, 1]).unwrap();
        let crc = CRC32.checksum(&raw).to_le_bytes();
        raw.extend_from_slice(&crc).unwrap();
        // The checksum verified, so the answer carries the request's own number.
        assert_eq!(
            decode_answerable::<Request>(&raw),
            Err((1, WireError::Unsupported))
        );
    }
}

#[cfg(test)]
mod varints {
    use super::*;
    use crate::messages::Request;

    /// `payload` with its CRC, as a peer would send it.
    fn sealed(payload: &[u8]) -> Message {
        let mut message = Message::from_slice(payload).unwrap();
        let crc = CRC32.checksum(payload).to_le_bytes();
        message.extend_from_slice(&crc).unwrap();
        message
    }

    #[test]
    fn over_long_varints_decode_up_to_the_widths_limit() {
        let request = Request::SetAmplitude {
            program: 2,
            amplitude_ua: 3_100,
        };
        // The shortest form: seq 1, amplitude 3 100 = 9c 18.
        assert_eq!(
            decode(&sealed(&[PROTOCOL_VERSION, 0x01, 6, 2, 0x9c, 0x18])),
            Ok((1, request.clone()))
        );
        // Padded with continuation bytes, within the width's limit (u16: 3 bytes, u32: 5).
        assert_eq!(
            decode(&sealed(&[
                PROTOCOL_VERSION,
                0x81,
                0x80,
                0x00,
                6,
                2,
                0x9c,
                0x98,
                0x80,
                0x80,
                0x00
            ])),
            Ok((1, request))
        );
        // A value past the type (seq 131 071 in three bytes) or bytes past the limit: refused.
        assert_eq!(
            decode::<Request>(&sealed(&[
                PROTOCOL_VERSION,
                0xff,
                0xff,
                0x07,
                6,
                2,
                0x9c,
                0x18
            ])),
            Err(WireError::Malformed)
        );
        assert_eq!(
            decode::<Request>(&sealed(&[
                PROTOCOL_VERSION,
                0x81,
                0x80,
                0x80,
                0x00,
                6,
                2,
                0x9c,
                0x18
            ])),
            Err(WireError::Malformed)
        );
        assert_eq!(
            decode::<Request>(&sealed(&[
                PROTOCOL_VERSION,
                1,
                6,
                2,
                0x9c,
                0x98,
                0x80,
                0x80,
                0x80,
                0x00
            ])),
            Err(WireError::Malformed)
        );
    }
}
