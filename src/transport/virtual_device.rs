//! The virtual device: stim-proto's device server, the firmware's own, running in the page.
//!
//! (Named `virtual_device` because `virtual` is a reserved word in Rust.)

use std::cell::RefCell;

use stim_core::device::Device;
use stim_proto::fragment::DEFAULT_CHUNK;
use stim_proto::messages::{DeviceKind, Event, Identity, Request};
use stim_proto::server::{Clock, Server};
use stim_proto::PROTOCOL_VERSION;

use super::session::page_time_us;
use super::{Link, LinkError};

/// The device server behind a chunk link, on the page's clock (or the stepped clock).
pub struct VirtualLink {
    /// Boxed: the server holds its outbox inline (about 10 KB).
    server: RefCell<Box<Server>>,
}

impl VirtualLink {
    /// A fresh virtual device: idle, full battery, typical impedances.
    pub fn new(clock: Clock) -> Self {
        let identity = Identity {
            protocol_version: PROTOCOL_VERSION,
            firmware: env!("CARGO_PKG_VERSION").try_into().unwrap_or_default(),
            kind: DeviceKind::Virtual,
            contact_slots: stim_core::contacts::CONTACT_SLOTS as u8,
        };
        let server = Server::new(
            Device::default(),
            identity,
            DEFAULT_CHUNK,
            clock,
            page_time_us(),
        );
        VirtualLink {
            server: RefCell::new(Box::new(server)),
        }
    }
}

impl VirtualLink {
    /// The board's Button 1, as on the dev board: an emergency stop at once, and an event
    /// that tells the app (read on the next doorbell or poll).
    pub fn press_button_1(&self) {
        let mut server = self.server.borrow_mut();
        server.handle(page_time_us(), Request::EmergencyStop);
        let status = server.device().status();
        server.notify(Event::StateChanged(status));
    }
}

impl Link for VirtualLink {
    async fn write(&self, chunk: &[u8]) -> Result<(), LinkError> {
        self.server.borrow_mut().receive(page_time_us(), chunk);
        Ok(())
    }

    async fn read(&self) -> Result<Vec<u8>, LinkError> {
        Ok(self
            .server
            .borrow_mut()
            .next_chunk()
            .map(|c| c.to_vec())
            .unwrap_or_default())
    }
}
