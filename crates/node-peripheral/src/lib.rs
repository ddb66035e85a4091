//! The device server compiled for Node, so the end-to-end tests' emulated Bluetooth board
//! answers with the very code the firmware and the virtual device run. The test relays
//! each GATT write and read between Chromium's Bluetooth emulation and a [`Peripheral`].

use stim_core::device::Device;
use stim_proto::fragment::DEFAULT_CHUNK;
use stim_proto::messages::{DeviceKind, Event, Identity, Request};
use stim_proto::server::{Clock, Server};
use wasm_bindgen::prelude::wasm_bindgen;

/// An emulated dev board.
#[wasm_bindgen]
pub struct Peripheral {
    server: Box<Server>,
}

#[wasm_bindgen]
impl Peripheral {
    /// A fresh board; `stepped` selects the stepped clock (the same as `?clock=step` in
    /// the page), so its answers can be compared with the virtual device's.
    #[wasm_bindgen(constructor)]
    pub fn new(stepped: bool) -> Peripheral {
        let identity = Identity {
            protocol_version: stim_proto::PROTOCOL_VERSION,
            firmware: env!("CARGO_PKG_VERSION").try_into().unwrap_or_default(),
            kind: DeviceKind::DevBoard,
            contact_slots: stim_core::contacts::CONTACT_SLOTS as u8,
        };
        let clock = if stepped { Clock::Stepped } else { Clock::Host };
        Peripheral {
            server: Box::new(Server::new(
                Device::default(),
                identity,
                DEFAULT_CHUNK,
                clock,
                0,
            )),
        }
    }

    /// A chunk written to the command characteristic at `now_ms` (host clock).
    pub fn write(&mut self, chunk: &[u8], now_ms: f64) {
        self.server.receive((now_ms * 1_000.0) as u64, chunk);
    }

    /// Button 1 at `now_ms`, as the firmware handles it (stim-fw's `emergency_stop`): an
    /// emergency stop at once, and an event queued for the app.
    pub fn press_button_1(&mut self, now_ms: f64) {
        self.server
            .handle((now_ms * 1_000.0) as u64, Request::EmergencyStop);
        let status = self.server.device().status();
        self.server.notify(Event::StateChanged(status));
    }

    /// The board's pin loader dropped `count` pulses since start-up (reported in
    /// Telemetry, as the firmware reports its loader's count).
    pub fn report_dropped_pulses(&mut self, count: u32) {
        self.server.report_dropped_pulses(count);
    }

    /// What the board holds as `program`'s target amplitude, µA (0 without one).
    pub fn target_ua(&self, program: usize) -> u32 {
        let status = self.server.device().status();
        status.target_ua.get(program).copied().unwrap_or(0)
    }

    /// The board's state in words (stim-core's `Display`).
    pub fn state(&self) -> String {
        self.server.device().status().state.to_string()
    }

    /// The value a read of the event characteristic returns: the next chunk, or nothing.
    pub fn read(&mut self) -> Vec<u8> {
        self.server
            .next_chunk()
            .map(|c| c.to_vec())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stim_proto::client::{Client, Incoming};
    use stim_proto::messages::{Request, Response};

    #[test]
    fn the_peripheral_identifies_as_a_dev_board() {
        let mut board = Peripheral::new(true);
        let mut client = Client::new();
        for chunk in client.request(&Request::Identify, DEFAULT_CHUNK).unwrap() {
            board.write(&chunk, 0.0);
        }
        let reply = loop {
            if let Some(incoming) = client.receive(&board.read()).unwrap() {
                break incoming;
            }
        };
        let Incoming::Response(Response::Identity(identity)) = reply else {
            panic!("{reply:?}")
        };
        assert_eq!(identity.kind, DeviceKind::DevBoard);
    }

    #[test]
    fn button_1_stops_the_board_and_queues_an_event_for_the_app() {
        let mut board = Peripheral::new(false);
        let mut client = Client::new();
        board.press_button_1(5.0);
        assert_eq!(board.state(), "emergency-stopped");
        let event = loop {
            if let Some(incoming) = client.receive(&board.read()).unwrap() {
                break incoming;
            }
        };
        let Incoming::Event(Event::StateChanged(status)) = event else {
            panic!("{event:?}")
        };
        assert_eq!(status.state, stim_core::device::State::EmergencyStopped);
        assert!(board.read().is_empty(), "one event, nothing else");
    }
}
