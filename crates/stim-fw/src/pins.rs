//! The pin plan: stim-core's phase events, in time order, become pulses on three logic
//! pins that a hardware timer plays with microsecond timing.
//!
//! - the **cathodic** pin is high while current flows from the pair's anode to its
//!   cathode (the stimulating phase as programmed);
//! - the **anodic** pin is high while it flows back (active or passive recharge);
//! - the **trigger** pin is high during every stimulating phase, on any contact, for an
//!   oscilloscope to trigger on.
//!
//! The board gives each pin two timer compares (set, clear), so a pin's pulses must not
//! touch: phases back to back on one pin (stages of one sign in a custom train) are
//! joined into one pulse. A pulse is therefore held until the next phase shows it cannot
//! grow, or until the board's look-ahead horizon passes its end.

use stim_core::contacts::{Polarity, CONTACT_SLOTS};
use stim_core::engine::PhaseEvent;
use stim_core::pattern::PhaseKind;
use stim_core::program::ProgramSet;
use stim_core::units::TimeUs;

/// The logic pins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pin {
    /// Current from the pair's anode to its cathode.
    Cathodic = 0,
    /// Current back, from the cathode to the anode.
    Anodic = 1,
    /// Any stimulating phase.
    Trigger = 2,
}

const PINS: [Pin; 3] = [Pin::Cathodic, Pin::Anodic, Pin::Trigger];

/// One high interval of one pin, µs on the device's time base.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pulse {
    /// The pin.
    pub pin: Pin,
    /// Rising edge.
    pub from_us: TimeUs,
    /// Falling edge (after the rising one).
    pub to_us: TimeUs,
}

/// The contact pair the polarity pins watch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pair {
    /// Slot of the watched cathode.
    pub cathode: usize,
    /// Slot of the watched anode (16 is the case).
    pub anode: usize,
}

impl Pair {
    /// The first program's first cathode and first anode.
    pub fn of(set: &ProgramSet) -> Option<Pair> {
        let electrodes = &set.programs.first()?.electrodes;
        let first =
            |polarity| (0..CONTACT_SLOTS).find(|&s| electrodes.contacts[s].polarity == polarity);
        Some(Pair {
            cathode: first(Polarity::Cathode)?,
            anode: first(Polarity::Anode)?,
        })
    }

    /// Which pins a phase drives high.
    fn pins(&self, event: &PhaseEvent) -> [bool; 3] {
        let (c, a) = (
            event.currents_na[self.cathode],
            event.currents_na[self.anode],
        );
        [
            c < 0 && a > 0,
            c > 0 && a < 0,
            event.kind == PhaseKind::Stimulating,
        ]
    }
}

/// Turns phase events into pin pulses.
#[derive(Clone, Debug)]
pub struct Plan {
    pair: Pair,
    /// Each pin's pulse that may still grow: (from, to).
    held: [Option<(TimeUs, TimeUs)>; 3],
}

impl Plan {
    /// A plan that watches `pair`.
    pub fn new(pair: Pair) -> Self {
        Plan {
            pair,
            held: [None; 3],
        }
    }

    /// Takes the next phase (in time order) and hands `out` the pulses it completes.
    pub fn push(&mut self, event: &PhaseEvent, mut out: impl FnMut(Pulse)) {
        if event.duration_us == 0 {
            return;
        }
        for (pin, high) in PINS.into_iter().zip(self.pair.pins(event)) {
            let held = &mut self.held[pin as usize];
            match held {
                Some((_, to)) if high && *to == event.start_us => *to = event.end_us(),
                _ if high => {
                    if let Some((from_us, to_us)) = held.replace((event.start_us, event.end_us())) {
                        out(Pulse {
                            pin,
                            from_us,
                            to_us,
                        });
                    }
                }
                _ => {}
            }
        }
    }

    /// The pulses still held (the next phase may extend them), as they stand now.
    pub fn held(&self) -> impl Iterator<Item = Pulse> + '_ {
        PINS.into_iter().zip(&self.held).filter_map(|(pin, held)| {
            held.map(|(from_us, to_us)| Pulse {
                pin,
                from_us,
                to_us,
            })
        })
    }

    /// Hands `out` the held pulses that end before `horizon`: every phase up to the
    /// horizon has been pushed, so nothing can join them any more.
    pub fn release(&mut self, horizon: TimeUs, mut out: impl FnMut(Pulse)) {
        for pin in PINS {
            if let Some((from_us, to_us)) = self.held[pin as usize] {
                if to_us < horizon {
                    self.held[pin as usize] = None;
                    out(Pulse {
                        pin,
                        from_us,
                        to_us,
                    });
                }
            }
        }
    }
}
