//! The pulse loader: which planned pulse goes into which compare register, and when.
//!
//! The board plays each pin's pulses with a free-running 1 MHz timer: a pin has one or
//! more *slots*, each a pair of compare registers wired by PPI to the pin's SET and CLR
//! tasks. Once a slot is armed with a pulse, its edges happen at the exact count, whatever
//! the CPU or the radio is doing. This module decides what to arm and when; the board
//! implements [`Compares`] on its timers, and the host tests implement it on a model of
//! them (`tests/loader.rs`).
//!
//! # Refilled from the compare interrupt, not played from PWM sequences
//! A slot is refilled as soon as its pulse ends: each slot's CLR compare raises the
//! timer's interrupt, whose handler calls [`Loader::refill`]; the 1 ms pulse task calls it
//! too, after queueing what the device played ahead. With two slots per pin the next pulse
//! is armed before the one playing ends, so the handler has until the pulse after next
//! (200 µs at 10 kHz, less the pulse and [`MARGIN_US`]) to run, not the gap between two
//! pulses; the host tests show every preset whole with the interrupt 140 µs late.
//!
//! The nRF52840's PWM with EasyDMA sequences was the other way. It was not taken because
//! a PWM channel has one free edge per PWM period (the other sits on the period's start),
//! so µs-exact pulses on three pins at unrelated times need a period per edge: a sequence
//! entry (8 bytes, `Waveform` mode) for every edge of every pin, 40 000 a second at
//! 10 kHz, double-buffered in RAM; and its time base would be a second clock beside the
//! TIMER that already is the device's clock and that Button 1's PPI stop acts on. The
//! compare registers keep one time base and a fixed, small RAM cost; their risk, the
//! interrupt latency, is bounded and measured by the host tests.
//!
//! # Rules
//! - A pulse is armed whole (both edges) and only if its rising edge is at least
//!   [`MARGIN_US`] ahead; one that is not is dropped and counted, never played late or
//!   cut short. A full queue drops and counts too.
//! - A slot is reused only once the count has reached its falling edge; a slot with nothing to play
//!   is parked (its PPI channels disabled), so a stale compare never fires again when the
//!   32-bit count wraps 71 minutes later.
//! - One pin's pulses never touch (the plan joins touching phases), so two slots of one
//!   pin never set and clear at the same count.

use heapless::Deque;
use stim_core::device::{Device, State};
use stim_core::engine::PhaseEvent;
use stim_core::units::TimeUs;

use crate::pins::{Pair, Pin, Plan, Pulse};

/// Compare pairs a pin may have.
pub const MAX_SLOTS: usize = 2;
/// Pulses waiting per pin: 5 ms of look-ahead at 10 kHz is 50.
pub const QUEUE: usize = 64;
/// A pulse is armed only if its rising edge is at least this far ahead of the count read
/// at the start of a refill, µs: the time a refill takes to write the compares.
pub const MARGIN_US: TimeUs = 10;
/// Pulses are armed at most this far ahead, so a 32-bit compare value is never ambiguous.
const REACH_US: TimeUs = 1 << 31;

/// The board's timer and compare registers, as the loader sees them.
pub trait Compares {
    /// Slots wired to `pin` (at most [`MAX_SLOTS`]).
    fn slots(&self, pin: Pin) -> usize;
    /// The timer's count now, µs, extended to 64 bits.
    fn now(&self) -> TimeUs;
    /// Arms `slot` of `pin`: the pin rises when the count reaches `set` and falls when it
    /// reaches `clear` (the low 32 bits of the pulse's edges), then enables its channels.
    fn arm(&mut self, pin: Pin, slot: usize, set: u32, clear: u32);
    /// Disables `slot` of `pin`: its compares no longer move the pin.
    fn park(&mut self, pin: Pin, slot: usize);
}

/// What a slot holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    /// Disabled.
    Parked,
    /// Armed with a pulse, which may have ended.
    Armed(Pulse),
}

/// Drop counts, by cause.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Drops {
    /// Pulses whose rising edge was too near or past when a slot was free for them.
    pub late: u32,
    /// Pulses that found their pin's queue full.
    pub overflow: u32,
}

impl Drops {
    /// All dropped pulses.
    pub fn total(&self) -> u32 {
        self.late + self.overflow
    }
}

/// The pins' queues and slots.
pub struct Loader {
    queues: [Deque<Pulse, QUEUE>; 3],
    slots: [[Slot; MAX_SLOTS]; 3],
    drops: Drops,
}

impl Default for Loader {
    fn default() -> Self {
        Self::new()
    }
}

impl Loader {
    /// Empty queues; every slot taken as parked (call [`Loader::halt`] once to make it so).
    pub const fn new() -> Self {
        Loader {
            queues: [const { Deque::new() }; 3],
            slots: [[Slot::Parked; MAX_SLOTS]; 3],
            drops: Drops {
                late: 0,
                overflow: 0,
            },
        }
    }

    /// A planned pulse, in time order for its pin. A pulse with the rising edge of the
    /// pin's latest one is that pulse grown longer (the plan still held it): the queued
    /// pulse, or the armed slot's falling edge, moves later. An armed pulse whose falling
    /// edge is too near to move has been cut short, and is counted as dropped.
    pub fn queue(&mut self, pulse: Pulse, hw: &mut impl Compares) {
        let pin = pulse.pin as usize;
        if let Some(last) = self.queues[pin].back_mut() {
            if last.from_us == pulse.from_us {
                last.to_us = last.to_us.max(pulse.to_us);
                return;
            }
        } else if let Some((index, armed)) = self.slots[pin]
            .iter_mut()
            .enumerate()
            .filter_map(|(i, s)| match s {
                Slot::Armed(p) => Some((i, p)),
                Slot::Parked => None,
            })
            .find(|(_, p)| p.from_us == pulse.from_us)
        {
            if pulse.to_us > armed.to_us {
                if armed.to_us >= hw.now() + MARGIN_US {
                    armed.to_us = pulse.to_us;
                    hw.arm(pulse.pin, index, pulse.from_us as u32, pulse.to_us as u32);
                } else {
                    self.drops.late += 1;
                }
            }
            return;
        }
        if self.queues[pin].push_back(pulse).is_err() {
            self.drops.overflow += 1;
        }
    }

    /// Arms every free slot with its pin's next pulse and parks the free slots left over.
    /// Called from the compare interrupt (a slot's pulse ended) and from the pulse task
    /// (new pulses queued).
    pub fn refill(&mut self, hw: &mut impl Compares) {
        let now = hw.now();
        for pin in [Pin::Cathodic, Pin::Anodic, Pin::Trigger] {
            let queue = &mut self.queues[pin as usize];
            let slots = &mut self.slots[pin as usize];
            for (index, slot) in slots.iter_mut().enumerate().take(hw.slots(pin)) {
                if let Slot::Armed(pulse) = slot {
                    // The falling edge's compare fires as the count reaches it.
                    if pulse.to_us > now {
                        continue; // still to play, or playing
                    }
                }
                let next = loop {
                    match queue.front() {
                        Some(p) if p.from_us < now + MARGIN_US => {
                            queue.pop_front();
                            self.drops.late += 1;
                        }
                        Some(p) if p.from_us < now + REACH_US => break queue.pop_front(),
                        _ => break None,
                    }
                };
                match next {
                    Some(pulse) => {
                        hw.arm(pin, index, pulse.from_us as u32, pulse.to_us as u32);
                        *slot = Slot::Armed(pulse);
                    }
                    None if *slot != Slot::Parked => {
                        hw.park(pin, index);
                        *slot = Slot::Parked;
                    }
                    None => {}
                }
            }
        }
    }

    /// Stops: queues emptied, every slot parked (Button 1 has already cleared the pins).
    pub fn halt(&mut self, hw: &mut impl Compares) {
        for (pin, slots) in [Pin::Cathodic, Pin::Anodic, Pin::Trigger]
            .into_iter()
            .zip(&mut self.slots)
        {
            self.queues[pin as usize].clear();
            for (index, slot) in slots.iter_mut().enumerate().take(hw.slots(pin)) {
                hw.park(pin, index);
                *slot = Slot::Parked;
            }
        }
    }

    /// Pulses dropped so far.
    pub fn drops(&self) -> Drops {
        self.drops
    }
}

/// The pulse task's side: follows the device's runs and plans their pins. The plan lives
/// with the device (the task), the loader with the compare interrupt.
#[derive(Clone, Debug, Default)]
pub struct Feed {
    plan: Option<Plan>,
    playing: bool,
}

impl Feed {
    /// Before the device is played further: a run that starts gets a plan for its set's
    /// contact pair (what the last plan still held goes to `out` first). A run that ends
    /// keeps its plan, so the rest of a pulse under way and the ramp down still play.
    /// Whether a run started.
    pub fn follow(&mut self, device: &Device, mut out: impl FnMut(Pulse)) -> bool {
        let running = matches!(device.state(), State::Running | State::Ramping);
        let started = running && !self.playing;
        if started {
            if let Some(plan) = self.plan.as_mut() {
                plan.release(TimeUs::MAX, &mut out);
            }
            self.plan = device.program_set().and_then(Pair::of).map(Plan::new);
        }
        self.playing = running;
        started
    }

    /// A phase the device played, in time order.
    pub fn push(&mut self, event: &PhaseEvent, out: impl FnMut(Pulse)) {
        if let Some(plan) = self.plan.as_mut() {
            plan.push(event, out);
        }
    }

    /// Every phase up to `horizon` has been pushed: `out` gets the pulses that are now
    /// whole, then those that may still grow, as they stand (a pulse longer than the
    /// look-ahead, like burst's 10 ms passive recharge, is armed before its end is known;
    /// the loader moves its falling edge when it grows).
    pub fn release(&mut self, horizon: TimeUs, mut out: impl FnMut(Pulse)) {
        if let Some(plan) = self.plan.as_mut() {
            plan.release(horizon, &mut out);
            plan.held().for_each(out);
        }
    }

    /// After an emergency stop: nothing held is played; the next run starts a new plan.
    pub fn reset(&mut self) {
        *self = Feed::default();
    }
}
