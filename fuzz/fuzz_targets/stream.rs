//! Arbitrary bytes into the stream deframer and the message decoder: never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stim_proto::messages::{Reply, Request};
use stim_proto::stream::Deframer;
use stim_proto::wire::decode;

fuzz_target!(|data: &[u8]| {
    let _ = decode::<Request>(data);
    let _ = decode::<Reply>(data);
    let mut deframer = Deframer::new();
    for &byte in data {
        if let Some(Ok(message)) = deframer.push(byte) {
            let _ = decode::<Request>(message);
        }
    }
});
