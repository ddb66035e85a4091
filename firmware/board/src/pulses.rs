//! Plays stim-fw's pulses on the logic pins with microsecond timing, in hardware: the
//! wiring behind stim-fw's `loader::Compares`.
//!
//! TIMER2, TIMER3 and TIMER4 count µs; one EGU event starts all three (PPI), so their
//! counts are equal. TIMER2 is the device's clock (its CC0 captures the time). Each pin
//! has a GPIOTE channel and two slots, each a pair of compares wired by PPI to the pin's
//! SET and CLR tasks: the cathodic pin on TIMER3 CC0–CC3, the anodic pin on TIMER4
//! CC0–CC3, the trigger pin on CC4–CC5 of both. Once a slot is armed, its edges happen
//! at the exact count, whatever the CPU or the radio is doing. Each CLR compare raises
//! its timer's interrupt, whose handler refills the slots (stim-fw decides what with).
//!
//! Button 1 is wired by PPI too: its falling edge clears all three pins, disables the
//! channels that set them and latches an EGU event, within a clock cycle and without
//! software, before the emergency stop reaches stim-core. While the latch is set no slot
//! is enabled again, so the compare interrupt cannot raise a pin after the button.

use core::cell::RefCell;
use core::sync::atomic::{AtomicU32, Ordering};

use embassy_nrf::egu::{Egu, TriggerNumber};
use embassy_nrf::gpiote::{InputChannel, OutputChannel};
use embassy_nrf::interrupt::typelevel::{Binding, Handler, Interrupt, TIMER3, TIMER4};
use embassy_nrf::interrupt::Priority;
use embassy_nrf::peripherals::{EGU1, PPI_GROUP0};
use embassy_nrf::ppi::{AnyConfigurableChannel, Event, Ppi, PpiGroup};
use embassy_nrf::timer::{Frequency, Timer};
use embassy_nrf::{pac, Peri};
use embassy_sync::blocking_mutex::raw::CriticalSectionRawMutex;
use embassy_sync::blocking_mutex::Mutex;
use static_cell::StaticCell;
use stim_core::units::TimeUs;
use stim_fw::loader::{Compares, Drops, Loader};
use stim_fw::pins::{Pin, Pulse};

/// How far ahead the device is played into the loader's queues, µs.
pub const LOOKAHEAD_US: TimeUs = 5_000;
/// Compare pairs per pin.
const SLOTS: usize = 2;
/// Where each pin's slots are: (TIMER3 or TIMER4, the SET compare; CLR is the next one).
const LAYOUT: [[(usize, usize); SLOTS]; 3] = [[(0, 0), (0, 2)], [(1, 0), (1, 2)], [(0, 4), (1, 4)]];
/// The compares whose events interrupt: every slot's CLR.
const CLEARS: [usize; 3] = [1, 3, 5];
/// PPI channels the pulses use: 12 for the slots, 3 for Button 1, 2 to start the timers.
pub const PPI_CHANNELS: usize = 17;

/// The device's µs clock: TIMER2's 32-bit count, extended to 64 bits.
pub struct Clock {
    timer: Timer<'static>,
    high: AtomicU32,
    last: AtomicU32,
}

impl Clock {
    /// The clock on `timer` (1 MHz), stopped at 0 until [`start`] starts it with the
    /// pin timers.
    pub fn new(timer: Timer<'static>) -> Self {
        timer.set_frequency(Frequency::F1MHz);
        timer.clear();
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
            let count = self.timer.cc(0).capture();
            if count < self.last.load(Ordering::Relaxed) {
                self.high.fetch_add(1, Ordering::Relaxed);
            }
            self.last.store(count, Ordering::Relaxed);
            (u64::from(self.high.load(Ordering::Relaxed)) << 32) | u64::from(count)
        })
    }
}

type Channel = Ppi<'static, AnyConfigurableChannel, 1, 1>;

/// The compares, their PPI channels and Button 1's latch, as stim-fw's loader sees them.
pub struct Hardware {
    clock: &'static Clock,
    timers: [Timer<'static>; 2],
    /// Per pin and slot: the SET and CLR channels.
    channels: [[[Channel; 2]; SLOTS]; 3],
    /// Button 1 fired since the last run started.
    stopped: Event<'static>,
}

impl Compares for Hardware {
    fn slots(&self, _: Pin) -> usize {
        SLOTS
    }

    fn now(&self) -> TimeUs {
        self.clock.now()
    }

    fn arm(&mut self, pin: Pin, slot: usize, set: u32, clear: u32) {
        let (timer, cc) = LAYOUT[pin as usize][slot];
        // The falling edge first: a refill held up past the rising edge (the radio's
        // interrupts are not masked by the critical section) then misses the pulse
        // rather than leaving the pin high.
        self.timers[timer].cc(cc + 1).write(clear);
        self.timers[timer].cc(cc).write(set);
        if !self.stopped.is_triggered() {
            for channel in &mut self.channels[pin as usize][slot] {
                channel.enable();
            }
            // Button 1 between the check and the enable: take it back.
            if self.stopped.is_triggered() {
                self.park(pin, slot);
            }
        }
    }

    fn park(&mut self, pin: Pin, slot: usize) {
        for channel in &mut self.channels[pin as usize][slot] {
            channel.disable();
        }
    }
}

/// The loader and the hardware it drives.
pub struct Pulses {
    loader: Loader,
    hardware: Hardware,
}

/// The pulses, shared by the pulse task and the compare interrupt. The lock is a
/// critical section, held for a refill (a few µs), never across the device's work.
static PULSES: Mutex<CriticalSectionRawMutex, RefCell<Option<&'static mut Pulses>>> =
    Mutex::new(RefCell::new(None));
static PULSES_CELL: StaticCell<Pulses> = StaticCell::new();

fn with_pulses<R>(f: impl FnOnce(&mut Pulses) -> R) -> Option<R> {
    PULSES.lock(|p| p.borrow_mut().as_mut().map(|p| f(p)))
}

/// A pulse planned by the pulse task (or a command's sink).
pub fn queue(pulse: Pulse) {
    with_pulses(|p| p.loader.queue(pulse, &mut p.hardware));
}

/// Arms the free slots with the queued pulses.
pub fn refill() {
    with_pulses(|p| p.loader.refill(&mut p.hardware));
}

/// A run starts: Button 1's latch, if set, is cleared so slots are enabled again.
pub fn resume() {
    with_pulses(|p| p.hardware.stopped.clear());
}

/// After Button 1: the queues emptied and every slot disabled.
pub fn halt() {
    with_pulses(|p| p.loader.halt(&mut p.hardware));
}

/// Pulses dropped since start-up.
pub fn drops() -> Drops {
    with_pulses(|p| p.loader.drops()).unwrap_or_default()
}

/// The timers' interrupt: a slot's pulse ended; refill.
pub struct CompareHandler;

impl Handler<TIMER3> for CompareHandler {
    unsafe fn on_interrupt() {
        for n in CLEARS {
            pac::TIMER3.events_compare(n).write_value(0);
        }
        // Read back, so the cleared event cannot pend the interrupt again on exit.
        let _ = pac::TIMER3.events_compare(CLEARS[0]).read();
        refill();
    }
}

impl Handler<TIMER4> for CompareHandler {
    unsafe fn on_interrupt() {
        for n in CLEARS {
            pac::TIMER4.events_compare(n).write_value(0);
        }
        // Read back, so the cleared event cannot pend the interrupt again on exit.
        let _ = pac::TIMER4.events_compare(CLEARS[0]).read();
        refill();
    }
}

/// GPIOTE channels of the pins and of Button 1.
pub struct Wiring {
    /// GPIOTE channels of the cathodic, anodic and trigger pins.
    pub outputs: [OutputChannel<'static>; 3],
    /// GPIOTE channel of Button 1.
    pub button: InputChannel<'static>,
}

/// Wires the slots and Button 1 by PPI, starts TIMER2–4 with one EGU event, and lets the
/// compare interrupt refill.
#[allow(clippy::too_many_arguments)]
pub fn start(
    clock: &'static Clock,
    timers: [Timer<'static>; 2],
    wiring: &Wiring,
    egu: Peri<'static, EGU1>,
    mut set_group: PpiGroup<'static, PPI_GROUP0>,
    ppi: [Peri<'static, AnyConfigurableChannel>; PPI_CHANNELS],
    _irqs: impl Binding<TIMER3, CompareHandler> + Binding<TIMER4, CompareHandler> + 'static,
) {
    let mut ppi = ppi.into_iter();
    let mut next = move || ppi.next().expect("PPI_CHANNELS channels");
    let mut egu = Egu::new(egu);
    let start_timers = egu.trigger(TriggerNumber::Trigger0);
    let button_latch = egu.trigger(TriggerNumber::Trigger1);
    for timer in &timers {
        timer.set_frequency(Frequency::F1MHz);
        timer.clear();
    }
    let [cathodic, anodic, trigger] = &wiring.outputs;
    let channels: [[[Channel; 2]; SLOTS]; 3] = core::array::from_fn(|pin| {
        let output = &wiring.outputs[pin];
        core::array::from_fn(|slot| {
            let (timer, cc) = LAYOUT[pin][slot];
            let timer = &timers[timer];
            let set = Ppi::new_one_to_one(next(), timer.cc(cc).event_compare(), output.task_set());
            let clear =
                Ppi::new_one_to_one(next(), timer.cc(cc + 1).event_compare(), output.task_clr());
            set_group.add_channel(&set);
            [set, clear]
        })
    });
    // Button 1: pins cleared, SET channels disabled, the latch set; the channels are
    // wired for the rest of the program.
    let stop = [
        Ppi::new_one_to_two(
            next(),
            wiring.button.event_in(),
            cathodic.task_clr(),
            anodic.task_clr(),
        ),
        Ppi::new_one_to_two(
            next(),
            wiring.button.event_in(),
            trigger.task_clr(),
            set_group.task_disable_all(),
        ),
    ];
    for mut channel in stop {
        channel.enable();
        channel.persist();
    }
    let mut latch = Ppi::new_one_to_one(next(), wiring.button.event_in(), button_latch.task());
    latch.enable();
    latch.persist();
    // One event starts all three timers in the same clock cycle.
    let mut pin_timers = Ppi::new_one_to_two(
        next(),
        start_timers.event(),
        timers[0].task_start(),
        timers[1].task_start(),
    );
    let mut clock_timer =
        Ppi::new_one_to_one(next(), start_timers.event(), clock.timer.task_start());
    pin_timers.enable();
    pin_timers.persist();
    clock_timer.enable();
    clock_timer.persist();
    set_group.persist();
    for regs in [pac::TIMER3, pac::TIMER4] {
        regs.intenset().write(|w| {
            for n in CLEARS {
                w.set_compare(n, true);
            }
        });
    }
    let pulses = PULSES_CELL.init(Pulses {
        loader: Loader::new(),
        hardware: Hardware {
            clock,
            timers,
            channels,
            stopped: button_latch.event(),
        },
    });
    pulses.loader.halt(&mut pulses.hardware);
    PULSES.lock(|p| p.replace(Some(pulses)));
    // Below the radio (P0, P1 belong to MPSL), above the executor's tasks.
    TIMER3::set_priority(Priority::P2);
    TIMER4::set_priority(Priority::P2);
    TIMER3::unpend();
    TIMER4::unpend();
    // SAFETY: the handlers are bound (`_irqs`) and share state only through `PULSES`.
    unsafe {
        TIMER3::enable();
        TIMER4::enable();
    }
    let mut start = start_timers.task();
    start.trigger();
}
