//! The board's stimulator: stim-proto's device server over stim-core's device (the same
//! code as the browser's virtual device), behind the access policy, with the rules that
//! only a real board needs: the hardware emergency stop and what a lost link does.
//!
//! Link loss keeps the last confirmed program running and reverts a test setting. The
//! confirmed program is the set as loaded (validated again here by stim-core, whatever the
//! app checked) with its programmed amplitudes; an amplitude changed over the link since
//! then is a test setting, and goes back to the programmed one when the link is lost, so a
//! central that vanishes mid-test leaves the patient's confirmed settings.

use stim_core::contacts::CONTACT_SLOTS;
use stim_core::device::{Device, Status};
use stim_core::engine::PhaseEvent;
use stim_core::units::TimeUs;
use stim_proto::fragment::Chunk;
use stim_proto::messages::{DeviceKind, Event, Identity, Request};
use stim_proto::server::{Clock, Server};
use stim_proto::PROTOCOL_VERSION;

use crate::access::{decide, Denial, LinkSecurity, Operation};

/// Bytes per chunk on the event characteristic (the default ATT MTU's payload).
pub const CHUNK: usize = 20;

/// The stimulator a board runs.
pub struct Stimulator {
    server: Server,
    /// An event was queued that no write asked for: the central must be told to read.
    doorbell: bool,
}

impl Stimulator {
    /// An idle stimulator with no program, started at `now`; `firmware` is its version.
    pub fn new(now: TimeUs, firmware: &str) -> Self {
        let identity = Identity {
            protocol_version: PROTOCOL_VERSION,
            firmware: firmware.try_into().unwrap_or_default(),
            kind: DeviceKind::DevBoard,
            contact_slots: CONTACT_SLOTS as u8,
        };
        Stimulator {
            server: Server::new(Device::default(), identity, CHUNK, Clock::Host, now),
            doorbell: false,
        }
    }

    /// A chunk written to the command characteristic over a link with `security`. Refused
    /// chunks never reach the server. What plays up to `now` goes to `sink` first (the pin
    /// plan), so a command between two pulse ticks loses no phase.
    ///
    /// # Errors
    /// Why the link may not command the device.
    pub fn write(
        &mut self,
        now: TimeUs,
        security: LinkSecurity,
        chunk: &[u8],
        sink: impl FnMut(&PhaseEvent),
    ) -> Result<(), Denial> {
        decide(Operation::WriteCommand, security, false)?;
        self.server.advance(now, sink);
        self.server.receive(now, chunk);
        Ok(())
    }

    /// The next chunk for the event characteristic, for a link with `security`.
    ///
    /// # Errors
    /// Why the link may not read the device's replies.
    pub fn read(&mut self, security: LinkSecurity) -> Result<Option<Chunk>, Denial> {
        decide(Operation::ReadEvents, security, false)?;
        Ok(self.server.next_chunk())
    }

    /// Button 1: stops at once, whatever the link is doing, and tells a connected central.
    /// What played up to `now` goes to `sink` first.
    pub fn emergency_stop(&mut self, now: TimeUs, sink: impl FnMut(&PhaseEvent)) {
        self.server.advance(now, sink);
        self.server.handle(now, Request::EmergencyStop);
        let status = self.status();
        self.server.notify(Event::StateChanged(status));
        self.doorbell = true;
    }

    /// Whether an event waits that the central has not been told of (once per event): the
    /// board then notifies on the event characteristic, as it does after each write.
    pub fn take_doorbell(&mut self) -> bool {
        core::mem::take(&mut self.doorbell)
    }

    /// The link is gone: replies nobody will read are dropped, and test settings revert
    /// to the confirmed program, which keeps running. What played up to `now` goes to
    /// `sink` first.
    pub fn link_lost(&mut self, now: TimeUs, sink: impl FnMut(&PhaseEvent)) {
        self.server.advance(now, sink);
        while self.server.next_chunk().is_some() {}
        let status = self.server.device().status();
        let programmed = self.server.device().program_set().map(|set| {
            let mut amplitudes = [0; stim_core::program::MAX_PROGRAMS];
            for (a, p) in amplitudes.iter_mut().zip(&set.programs) {
                *a = p.amplitude_ua;
            }
            amplitudes
        });
        let Some(programmed) = programmed else {
            return;
        };
        for (program, (&target, &confirmed)) in status
            .target_ua
            .iter()
            .zip(&programmed)
            .take(status.programs as usize)
            .enumerate()
        {
            if target != confirmed {
                self.server.handle(
                    now,
                    Request::SetAmplitude {
                        program: program as u8,
                        amplitude_ua: confirmed,
                    },
                );
            }
        }
    }

    /// Plays the device up to `now`, handing each phase to `sink` (the pin plan).
    pub fn advance(&mut self, now: TimeUs, sink: impl FnMut(&PhaseEvent)) {
        self.server.advance(now, sink);
    }

    /// The pulses the pin loader has dropped since start-up, reported in Telemetry.
    pub fn report_dropped_pulses(&mut self, count: u32) {
        self.server.report_dropped_pulses(count);
    }

    /// The device's status.
    pub fn status(&self) -> Status {
        self.server.device().status()
    }

    /// The device, to read (its program set, for the pin plan).
    pub fn device(&self) -> &Device {
        self.server.device()
    }
}
