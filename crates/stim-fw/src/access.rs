//! Who may do what over the link: a pure function of what the central asks, what its link
//! has proved, and whether someone at the board opened the pairing window.
//!
//! The rules (docs/protocol.md, "Security"):
//! - anyone may read the Device Information service;
//! - pairing (LE Secure Connections) only while the window opened by Button 2 is open:
//!   physical presence at the board;
//! - the command and event characteristics only over an encrypted link with a bonded
//!   central.

use stim_core::units::TimeUs;

/// How long Button 2 keeps the pairing window open, µs.
pub const PAIRING_WINDOW_US: TimeUs = 60_000_000;

/// What a central asks of the device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    /// Read the Device Information service.
    ReadDeviceInformation,
    /// Pair and bond.
    Pair,
    /// Write a chunk to the command characteristic.
    WriteCommand,
    /// Read the event characteristic, or subscribe to its notifications.
    ReadEvents,
}

/// What the central's link has proved.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkSecurity {
    /// The link is encrypted.
    pub encrypted: bool,
    /// The central is bonded (its keys are kept in flash).
    pub bonded: bool,
}

/// Why an operation was refused; each names what would let it through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Denial {
    /// Pairing outside the window: press Button 2 on the board first.
    PairingWindowClosed,
    /// The central is not bonded: pair it during the pairing window.
    NotBonded,
    /// The link is not encrypted (a bonded central re-encrypts with its keys).
    NotEncrypted,
}

/// The pairing window Button 2 opens.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PairingWindow {
    opened_at: Option<TimeUs>,
}

impl PairingWindow {
    /// Opens (or reopens) the window at `now`.
    pub fn open(&mut self, now: TimeUs) {
        self.opened_at = Some(now);
    }

    /// Closes it (a bond was made, or time ran out).
    pub fn close(&mut self) {
        self.opened_at = None;
    }

    /// Whether the window is open at `now`.
    pub fn is_open(&self, now: TimeUs) -> bool {
        self.opened_at
            .is_some_and(|at| now >= at && now - at < PAIRING_WINDOW_US)
    }
}

/// Whether `operation` is allowed on a link with `security` while the pairing window is
/// `window_open`.
pub fn decide(
    operation: Operation,
    security: LinkSecurity,
    window_open: bool,
) -> Result<(), Denial> {
    match operation {
        Operation::ReadDeviceInformation => Ok(()),
        Operation::Pair if window_open => Ok(()),
        Operation::Pair => Err(Denial::PairingWindowClosed),
        Operation::WriteCommand | Operation::ReadEvents => match security {
            LinkSecurity { bonded: false, .. } => Err(Denial::NotBonded),
            LinkSecurity {
                encrypted: false, ..
            } => Err(Denial::NotEncrypted),
            _ => Ok(()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPERATIONS: [Operation; 4] = [
        Operation::ReadDeviceInformation,
        Operation::Pair,
        Operation::WriteCommand,
        Operation::ReadEvents,
    ];

    fn every_link() -> impl Iterator<Item = (LinkSecurity, bool)> {
        (0..8).map(|bits| {
            let security = LinkSecurity {
                encrypted: bits & 1 != 0,
                bonded: bits & 2 != 0,
            };
            (security, bits & 4 != 0)
        })
    }

    #[test]
    fn device_information_is_open_to_every_central() {
        for (security, window) in every_link() {
            assert_eq!(
                decide(Operation::ReadDeviceInformation, security, window),
                Ok(())
            );
        }
    }

    #[test]
    fn commands_and_events_need_an_encrypted_bonded_link_whatever_the_window() {
        for operation in [Operation::WriteCommand, Operation::ReadEvents] {
            for (security, window) in every_link() {
                let allowed = decide(operation, security, window).is_ok();
                assert_eq!(
                    allowed,
                    security.encrypted && security.bonded,
                    "{operation:?} {security:?} window {window}"
                );
            }
        }
        let unbonded = LinkSecurity {
            encrypted: true,
            bonded: false,
        };
        assert_eq!(
            decide(Operation::WriteCommand, unbonded, true),
            Err(Denial::NotBonded)
        );
        let bonded_in_clear = LinkSecurity {
            encrypted: false,
            bonded: true,
        };
        assert_eq!(
            decide(Operation::WriteCommand, bonded_in_clear, false),
            Err(Denial::NotEncrypted)
        );
    }

    #[test]
    fn pairing_needs_the_window_and_nothing_else() {
        for (security, window) in every_link() {
            let expected = if window {
                Ok(())
            } else {
                Err(Denial::PairingWindowClosed)
            };
            assert_eq!(decide(Operation::Pair, security, window), expected);
        }
        // No operation other than pairing depends on the window.
        for operation in OPERATIONS.into_iter().filter(|&o| o != Operation::Pair) {
            for (security, _) in every_link() {
                assert_eq!(
                    decide(operation, security, true),
                    decide(operation, security, false)
                );
            }
        }
    }

    #[test]
    fn the_window_is_open_for_a_minute_after_button_2_then_shuts() {
        let mut window = PairingWindow::default();
        assert!(!window.is_open(0), "closed until the button is pressed");
        window.open(5_000_000);
        assert!(window.is_open(5_000_000));
        assert!(window.is_open(5_000_000 + PAIRING_WINDOW_US - 1));
        assert!(!window.is_open(5_000_000 + PAIRING_WINDOW_US));
        assert!(!window.is_open(4_999_999), "not before it opened");
        window.open(100_000_000);
        assert!(window.is_open(100_000_001), "a second press reopens it");
        window.close();
        assert!(!window.is_open(100_000_001));
    }
}
