//! Arbitrary chunk sequences into the device server, as a hostile BLE client would write
//! them: the joiner, the decoder, the safety rules and the engine must never panic.
//!
//! Input: chunks, each preceded by its length byte; a length of 0xff advances the clock
//! 10 ms and plays the device (so decoded programs also run).
#![no_main]

use libfuzzer_sys::fuzz_target;
use stim_core::device::Device;
use stim_proto::client::Client;
use stim_proto::fragment::DEFAULT_CHUNK;
use stim_proto::messages::{DeviceKind, Identity};
use stim_proto::server::{Clock, Server};

fuzz_target!(|data: &[u8]| {
    let identity = Identity {
        protocol_version: 1,
        firmware: Default::default(),
        kind: DeviceKind::Virtual,
        contact_slots: 17,
    };
    let mut server = Server::new(Device::default(), identity, DEFAULT_CHUNK, Clock::Host, 0);
    let mut client = Client::new();
    let mut now = 0;
    let mut rest = data;
    while let Some((&len, tail)) = rest.split_first() {
        if len == 0xff {
            now += 10_000;
            server.advance(now, |_| {});
            rest = tail;
            continue;
        }
        let take = (len as usize).min(tail.len());
        server.receive(now, &tail[..take]);
        rest = &tail[take..];
        // Whatever comes back must decode on the client side.
        while let Some(chunk) = server.next_chunk() {
            let _ = client.receive(&chunk);
        }
    }
});
