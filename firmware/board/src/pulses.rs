//! Plays stim-fw's pin plan on the logic pins with microsecond timing, in hardware.
//!
//! TIMER3 counts µs and is the device's clock. Each pin has a GPIOTE channel and two
//! compare registers, one wired by PPI to the pin's SET task and one to its CLR task:
//! once a pulse is loaded, its edges happen at the exact count, whatever the CPU or the
//! radio is doing. The trigger pin's compares are on TIMER4, started beside TIMER3.
//!
//! Button 1 is wired by PPI too: its falling edge clears all three pins and disables the
//! channels that set them, within a clock cycle and without software, before the
//! emergency stop reaches stim-core.

use core::sync::atomic::{AtomicU32, Ordering};

use embassy_nrf::gpiote::{InputChannel, OutputChannel};
use embassy_nrf::ppi::{Ppi, PpiGroup};
use embassy_nrf::timer::Timer;
use heapless::Deque;
use stim_core::units::TimeUs;
use stim_fw::pins::{Pin, Plan, Pulse};

/// How far ahead the device is played into the queues, µs.
pub const LOOKAHEAD_US: TimeUs = 5_000;
/// A pulse is loaded only if its rising edge is at least this far ahead, µs; one that is
/// not is dropped (counted), never played late or half.
const MARGIN_US: TimeUs = 20;
/// Pulses waiting per pin: a look-ahead of tonic or burst; at 10 kHz (200 pulses in the
/// look-ahead) the surplus is dropped and counted as late.
const QUEUE: usize = 64;

/// The device's µs clock: TIMER3's 32-bit count, extended to 64 bits.
pub struct Clock {
    timer: Timer<'static>,
    high: AtomicU32,
    last: AtomicU32,
}

impl Clock {
    /// Starts the clock on `timer` (1 MHz).
    pub fn new(timer: Timer<'static>) -> Self {
        timer.set_frequency(embassy_nrf::timer::Frequency::F1MHz);
        timer.clear();
        timer.start();
        Clock {
            timer,
            high: AtomicU32::new(0),
            last: AtomicU32::new(0),
        }
    }

    /// Now, µs since the clock started. Must be called at least once per 71 minutes (the
    /// pulse task calls it every millisecond).
    pub fn now(&self) -> TimeUs {
        critical_section::with(|_| {
            let count = self.timer.cc(CAPTURE).capture();
            if count < self.last.load(Ordering::Relaxed) {
                self.high.fetch_add(1, Ordering::Relaxed);
            }
            self.last.store(count, Ordering::Relaxed);
            (u64::from(self.high.load(Ordering::Relaxed)) << 32) | u64::from(count)
        })
    }

    fn timer(&self) -> &Timer<'static> {
        &self.timer
    }
}

/// The compare register TIMER3 captures the time into.
const CAPTURE: usize = 5;

/// One pin's queue and the pulse loaded into its compares.
struct Lane {
    queue: Deque<Pulse, QUEUE>,
    loaded: Option<Pulse>,
}

/// The player: the plan, the queues, and the hardware they load.
pub struct Player {
    plan: Option<Plan>,
    lanes: [Lane; 3],
    trigger_timer: Timer<'static>,
    set_group: PpiGroup<'static, embassy_nrf::peripherals::PPI_GROUP0>,
    /// Pulses dropped because they came too late to load.
    pub late: u32,
}

/// The PPI wiring that the player owns for the rest of the program.
pub struct Wiring {
    /// GPIOTE channels of the cathodic, anodic and trigger pins.
    pub outputs: [OutputChannel<'static>; 3],
    /// GPIOTE channel of Button 1.
    pub button: InputChannel<'static>,
}

impl Player {
    /// Wires the compares of `clock`'s TIMER3 and of `trigger_timer` to the pins, and
    /// Button 1 to the pins' CLR tasks and the SET channels' group.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        clock: &Clock,
        trigger_timer: Timer<'static>,
        wiring: &Wiring,
        mut set_group: PpiGroup<'static, embassy_nrf::peripherals::PPI_GROUP0>,
        ppi: [embassy_nrf::Peri<'static, embassy_nrf::ppi::AnyConfigurableChannel>; 8],
    ) -> Self {
        trigger_timer.set_frequency(embassy_nrf::timer::Frequency::F1MHz);
        trigger_timer.clear();
        trigger_timer.start();
        let [p0, p1, p2, p3, p4, p5, p6, p7] = ppi;
        let t3 = clock.timer();
        let [cathodic, anodic, trigger] = &wiring.outputs;
        // SET channels, in a group Button 1 can disable.
        let set = [
            Ppi::new_one_to_one(p0, t3.cc(0).event_compare(), cathodic.task_set()),
            Ppi::new_one_to_one(p1, t3.cc(2).event_compare(), anodic.task_set()),
            Ppi::new_one_to_one(p2, trigger_timer.cc(0).event_compare(), trigger.task_set()),
        ];
        let clear = [
            Ppi::new_one_to_one(p3, t3.cc(1).event_compare(), cathodic.task_clr()),
            Ppi::new_one_to_one(p4, t3.cc(3).event_compare(), anodic.task_clr()),
            Ppi::new_one_to_one(p5, trigger_timer.cc(1).event_compare(), trigger.task_clr()),
        ];
        let stop = [
            Ppi::new_one_to_two(
                p6,
                wiring.button.event_in(),
                cathodic.task_clr(),
                anodic.task_clr(),
            ),
            Ppi::new_one_to_two(
                p7,
                wiring.button.event_in(),
                trigger.task_clr(),
                set_group.task_disable_all(),
            ),
        ];
        for mut channel in set {
            set_group.add_channel(&channel);
            channel.enable();
            core::mem::forget(channel); // wired for the rest of the program
        }
        for mut channel in clear.into_iter() {
            channel.enable();
            core::mem::forget(channel);
        }
        for mut channel in stop {
            channel.enable();
            core::mem::forget(channel);
        }
        Player {
            plan: None,
            lanes: [const {
                Lane {
                    queue: Deque::new(),
                    loaded: None,
                }
            }; 3],
            trigger_timer,
            set_group,
            late: 0,
        }
    }

    /// Follows the contact pair of a newly loaded program set.
    pub fn watch(&mut self, plan: Option<Plan>) {
        self.plan = plan;
    }

    /// A phase from the device, in time order.
    pub fn push(&mut self, event: &stim_core::engine::PhaseEvent) {
        let lanes = &mut self.lanes;
        let late = &mut self.late;
        if let Some(plan) = self.plan.as_mut() {
            plan.push(event, |p| queue(lanes, late, p));
        }
    }

    /// Every phase up to `horizon` has been pushed.
    pub fn release(&mut self, horizon: TimeUs) {
        let lanes = &mut self.lanes;
        let late = &mut self.late;
        if let Some(plan) = self.plan.as_mut() {
            plan.release(horizon, |p| queue(lanes, late, p));
        }
    }

    /// Loads each free pin's next pulse into its compares (`now` from the clock).
    pub fn load(&mut self, clock: &Clock, now: TimeUs) {
        for (i, lane) in self.lanes.iter_mut().enumerate() {
            if lane.loaded.is_some_and(|p| p.to_us > now) {
                continue;
            }
            lane.loaded = None;
            while let Some(pulse) = lane.queue.pop_front() {
                if pulse.from_us < now + MARGIN_US {
                    self.late += 1;
                    continue;
                }
                let timer = if i == Pin::Trigger as usize {
                    &self.trigger_timer
                } else {
                    clock.timer()
                };
                let first = if i == Pin::Trigger as usize { 0 } else { 2 * i };
                timer.cc(first).write(pulse.from_us as u32);
                timer.cc(first + 1).write(pulse.to_us as u32);
                lane.loaded = Some(pulse);
                break;
            }
        }
    }

    /// Stops everything: queues emptied, the SET channels disabled (Button 1 did that in
    /// hardware already when it was the cause).
    pub fn halt(&mut self) {
        self.set_group.disable_all();
        for lane in &mut self.lanes {
            lane.queue.clear();
            lane.loaded = None;
        }
        if let Some(plan) = self.plan.as_mut() {
            plan.release(TimeUs::MAX, |_| {});
        }
    }

    /// Lets the SET channels raise pins again (the device runs).
    pub fn arm(&mut self) {
        self.set_group.enable_all();
    }
}

fn queue(lanes: &mut [Lane; 3], late: &mut u32, pulse: Pulse) {
    if lanes[pulse.pin as usize].queue.push_back(pulse).is_err() {
        *late += 1;
    }
}
