//! The board's Bluetooth app, written against trouble-host's [`Controller`] and knowing no
//! chip, in the trouble way: the board hands it a controller, a [`Board`] (clock,
//! stimulator, buttons, LEDs) and a [`BondStore`], and calls [`run`].
//!
//! The nRF52840-DK wires the SoftDevice Controller and its flash to it; the virtual board
//! (`crates/virtual-board`) wires a virtual controller over HCI and a file, so the same
//! GATT server, security rules and bond handling are tested in CI by a real central.
//! - `gatt`: the GATT table of docs/protocol.md;
//! - [`bonds`]: which flash slot a new bond takes, so none overwrites another;
//! - [`app`]: advertising, one connection at a time, each request checked by stim-fw's
//!   access policy.
#![no_std]
#![forbid(unsafe_code)]

pub mod app;
pub mod bonds;
mod gatt;

use core::fmt;

use stim_core::engine::PhaseEvent;
use stim_core::units::TimeUs;
use stim_fw::access::{Denial, Operation};
use stim_fw::leds::Radio;
use stim_fw::stimulator::Stimulator;

pub use app::run;
pub use bonds::StoredBond;
pub use trouble_host::prelude::{Address, Controller};

/// What the app needs of the board it runs on. Every method is quick and never waits,
/// except [`Board::wake`].
// The app runs on a single-threaded executor (embassy on the chip, a current-thread tokio
// runtime on the host): its futures need not be `Send`.
#[allow(async_fn_in_trait)]
pub trait Board {
    /// µs since start-up, on the clock the stimulator plays against.
    fn now(&self) -> TimeUs;
    /// Runs `f` on the stimulator, with where its phase events go (the pins, on a board).
    fn stimulator<R>(&self, f: impl FnOnce(&mut Stimulator, &mut dyn FnMut(&PhaseEvent)) -> R)
        -> R;
    /// Whether the pairing window opened by Button 2 is open now.
    fn pairing_open(&self) -> bool;
    /// Closes the pairing window (a bond was made).
    fn close_pairing(&self);
    /// What the radio does, for the LEDs.
    fn set_radio(&self, radio: Radio);
    /// Resolves when something happened at the board that a connected central may need to
    /// hear of without asking (Button 1): the app then checks the stimulator's doorbell.
    async fn wake(&self);
    /// What the app did, for the log.
    fn note(&self, note: Note);
}

/// Where bonds are kept across restarts (flash on a board, a file on the host), one per
/// slot, `BONDS` slots.
#[allow(async_fn_in_trait)]
pub trait BondStore {
    /// The bond kept in `slot`, if any.
    async fn load(&mut self, slot: u8) -> Option<StoredBond>;
    /// Keeps `bond` in `slot`, replacing what was there.
    ///
    /// # Errors
    /// The store could not keep it (the bond then lasts until the next restart only).
    async fn store(&mut self, slot: u8, bond: &StoredBond) -> Result<(), StoreError>;
}

/// A bond store that could not keep a bond.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoreError;

/// Bonds kept (and restored at start-up).
pub const BONDS: usize = 4;

/// What the app did, for the board's log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Note {
    /// A bond kept in `slot` was restored at start-up.
    BondRestored {
        /// The slot.
        slot: u8,
    },
    /// Advertising, waiting for a central.
    Advertising,
    /// Advertising failed (it is retried after a second).
    AdvertisingFailed,
    /// A central connected; it may bond if the pairing window is open.
    Connected {
        /// Whether the pairing window was open.
        bondable: bool,
    },
    /// Pairing finished (LE Secure Connections: the stack does no legacy pairing), the
    /// bond kept in `slot` (`None`: not bonded, or the store could not keep it).
    Paired {
        /// The bond's slot.
        slot: Option<u8>,
    },
    /// Bonded, but the store could not keep the bond: it lasts until the next restart.
    BondNotKept,
    /// Pairing failed.
    PairingFailed,
    /// The pairing window opened or closed during a connection: the central may bond now,
    /// or no longer.
    Bondable {
        /// Whether it may.
        bondable: bool,
    },
    /// A command chunk longer than a chunk may be was refused before the stimulator saw it.
    ChunkTooLong,
    /// The Bluetooth host stopped with an error; it is started again after a second.
    HostStopped,
    /// A request refused by the access policy, with the reason.
    Refused(Operation, Denial),
    /// A command chunk of `bytes` bytes was written and handed to the stimulator.
    Command {
        /// Its length.
        bytes: usize,
    },
    /// The central was told an event waits (a notification on the event characteristic).
    Notified,
    /// The central left: the confirmed program keeps running.
    Disconnected,
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::BondRestored { slot } => write!(f, "bond restored from slot {slot}"),
            Note::Advertising => write!(f, "advertising"),
            Note::AdvertisingFailed => write!(f, "advertising failed; retrying in 1 s"),
            Note::Connected { bondable: true } => {
                write!(f, "connected (pairing window open: may bond)")
            }
            Note::Connected { bondable: false } => {
                write!(f, "connected (pairing window closed: may not bond)")
            }
            Note::Paired { slot: Some(slot) } => write!(f, "paired, bond kept in slot {slot}"),
            Note::Paired { slot: None } => write!(f, "paired, not bonded"),
            Note::BondNotKept => write!(f, "bonded, but the bond could not be kept"),
            Note::PairingFailed => write!(f, "pairing failed"),
            Note::Bondable { bondable: true } => write!(f, "pairing window open: may bond"),
            Note::Bondable { bondable: false } => {
                write!(f, "pairing window closed: may not bond")
            }
            Note::ChunkTooLong => write!(f, "refused a command chunk longer than 20 bytes"),
            Note::HostStopped => write!(f, "the Bluetooth host stopped; restarting in 1 s"),
            Note::Refused(operation, denial) => write!(f, "refused {operation:?}: {denial:?}"),
            Note::Command { bytes } => write!(f, "command chunk of {bytes} bytes"),
            Note::Notified => write!(f, "notified: an event waits"),
            Note::Disconnected => write!(f, "disconnected: the confirmed program keeps running"),
        }
    }
}
