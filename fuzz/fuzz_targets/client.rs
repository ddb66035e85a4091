//! Arbitrary chunk sequences into the client, as a broken or hostile device would send
//! them: joining, decoding, the plausibility check and formatting every reply in words
//! must never panic.
//!
//! Input: chunks, each preceded by its length byte. A length of 0xff sends a new request
//! instead (so replies meet a client with and without a request outstanding, and seqs
//! move); 0xfe seals the next `n` bytes (after a byte `n`) into a message with a valid
//! CRC-32C and feeds its chunks, so mutated fields reach the decoder, the plausibility
//! check and the formatting instead of stopping at the checksum.
#![no_main]

use core::fmt::{self, Write};

use crc::{Crc, CRC_32_ISCSI};
use libfuzzer_sys::fuzz_target;
use stim_proto::client::{Client, Incoming};
use stim_proto::fragment::{split, DEFAULT_CHUNK};
use stim_proto::messages::Request;
use stim_proto::wire::Message;

/// A `fmt::Write` that keeps nothing: formatting runs whole, without allocation.
struct Discard;

impl Write for Discard {
    fn write_str(&mut self, _: &str) -> fmt::Result {
        Ok(())
    }
}

/// Takes one chunk and formats whatever it completed.
fn receive(client: &mut Client, chunk: &[u8]) {
    let _ = match client.receive(chunk) {
        Ok(Some(Incoming::Response(response))) => write!(Discard, "{response}"),
        Ok(Some(Incoming::Event(event))) => write!(Discard, "{event}"),
        Ok(Some(Incoming::Stale(seq))) => write!(Discard, "{seq}"),
        Ok(None) => Ok(()),
        Err(e) => write!(Discard, "{e}"),
    };
}

fuzz_target!(|data: &[u8]| {
    let mut client = Client::new();
    let mut rest = data;
    while let Some((&len, tail)) = rest.split_first() {
        rest = match len {
            0xff => {
                let _ = client.request(&Request::GetStatus, DEFAULT_CHUNK);
                tail
            }
            0xfe => {
                let Some((&n, tail)) = tail.split_first() else {
                    return;
                };
                let (payload, tail) = tail.split_at((n as usize).min(tail.len()));
                let mut message = Message::from_slice(payload).unwrap_or_default();
                let crc = Crc::<u32>::new(&CRC_32_ISCSI).checksum(payload);
                let _ = message.extend_from_slice(&crc.to_le_bytes());
                for chunk in split(&message, DEFAULT_CHUNK) {
                    receive(&mut client, &chunk);
                }
                tail
            }
            _ => {
                let (chunk, tail) = tail.split_at((len as usize).min(tail.len()));
                receive(&mut client, chunk);
                tail
            }
        };
    }
});
