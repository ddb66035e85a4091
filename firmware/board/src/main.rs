//! SCS Studio on the nRF52840-DK: the same stim-core and stim-proto as the browser, behind a
//! Bluetooth LE service, driving LEDs and logic pins only — never a person.
//!
//! This crate only wires peripherals; every decision is taken by stim-fw (host-tested):
//! - `ble`: stim-ble's Bluetooth app (the GATT service of docs/protocol.md, the access
//!   policy, the bond slots) wired to the SoftDevice Controller and to flash;
//! - `pulses`: stim-fw's loader wired to TIMER2–4, PPI and GPIOTE, refilled from the
//!   timers' compare interrupt;
//! - here: start-up, the buttons, the LEDs and the watchdog.
#![no_std]
#![no_main]

mod ble;
mod pulses;

use core::cell::RefCell;

use defmt::{info, unwrap, warn};
use embassy_executor::Spawner;
use embassy_nrf::gpio::{Input, Level, Output, OutputDrive, Pull};
use embassy_nrf::gpiote::{
    InputChannel, InputChannelPolarity, OutputChannel, OutputChannelPolarity,
};
use embassy_nrf::ppi::PpiGroup;
use embassy_nrf::timer::Timer;
use embassy_nrf::wdt::{self, Watchdog};
use embassy_nrf::{bind_interrupts, peripherals, rng};
use embassy_sync::blocking_mutex::raw::ThreadModeRawMutex;
use embassy_sync::blocking_mutex::Mutex;
use embassy_time::{Duration, Ticker};
use nrf_sdc::mpsl::MultiprotocolServiceLayer;
use nrf_sdc::{self as sdc, mpsl};
use static_cell::StaticCell;
use stim_fw::access::PairingWindow;
use stim_fw::leds::{leds, Radio};
use stim_fw::loader::{Drops, Feed};
use stim_fw::stimulator::Stimulator;
use {defmt_rtt as _, panic_probe as _};

use crate::pulses::{Clock, CompareHandler, Wiring, LOOKAHEAD_US};

bind_interrupts!(struct Irqs {
    RNG => rng::InterruptHandler<peripherals::RNG>;
    EGU0_SWI0 => mpsl::LowPrioInterruptHandler;
    CLOCK_POWER => mpsl::ClockInterruptHandler;
    RADIO => mpsl::HighPrioInterruptHandler;
    TIMER0 => mpsl::HighPrioInterruptHandler;
    RTC0 => mpsl::HighPrioInterruptHandler;
    TIMER3 => CompareHandler;
    TIMER4 => CompareHandler;
});

/// Everything the tasks share: the stimulator, the pin plan's feed, the radio's state and
/// the pairing window. One lock, taken briefly, never across an await; the tasks all run
/// in thread mode, so it masks no interrupt (the compare interrupt's refill never waits
/// for a command being handled).
pub struct Board {
    pub stimulator: Stimulator,
    pub feed: Feed,
    pub radio: Radio,
    pub pairing: PairingWindow,
}

/// The board, reached through a lock. Its storage is a `StaticCell` (zeroed RAM), not the
/// lock's initialiser, which would put ~28 KB into flash as `.data`.
pub static BOARD: Mutex<ThreadModeRawMutex, RefCell<Option<&'static mut Board>>> =
    Mutex::new(RefCell::new(None));
static BOARD_CELL: StaticCell<Board> = StaticCell::new();
static CLOCK: StaticCell<Clock> = StaticCell::new();

/// Runs `f` on the board (set up before any task starts).
pub fn with_board<R>(f: impl FnOnce(&mut Board) -> R) -> R {
    BOARD.lock(|b| {
        f(b.borrow_mut()
            .as_mut()
            .expect("the board is set up before the tasks"))
    })
}

#[embassy_executor::main]
async fn main(spawner: Spawner) {
    let p = embassy_nrf::init(Default::default());
    info!("SCS Studio board {}", env!("CARGO_PKG_VERSION"));

    // A hang resets the chip, and a reset always starts stopped with no program.
    let mut config = wdt::Config::default();
    config.timeout_ticks = 32_768 * 2; // 2 s
    let (_wdt, [watchdog]) = match Watchdog::try_new(p.WDT, config) {
        Ok(w) => w,
        Err(_) => panic!("the watchdog runs with another configuration"),
    };

    let clock: &'static Clock = CLOCK.init(Clock::new(Timer::new(p.TIMER2)));
    let wiring = Wiring {
        outputs: [
            OutputChannel::new(
                p.GPIOTE_CH0,
                p.P1_01,
                Level::Low,
                OutputDrive::Standard,
                OutputChannelPolarity::Toggle,
            ),
            OutputChannel::new(
                p.GPIOTE_CH1,
                p.P1_02,
                Level::Low,
                OutputDrive::Standard,
                OutputChannelPolarity::Toggle,
            ),
            OutputChannel::new(
                p.GPIOTE_CH2,
                p.P1_03,
                Level::Low,
                OutputDrive::Standard,
                OutputChannelPolarity::Toggle,
            ),
        ],
        button: InputChannel::new(
            p.GPIOTE_CH3,
            p.P0_11,
            Pull::Up,
            InputChannelPolarity::HiToLo,
        ),
    };
    pulses::start(
        clock,
        [Timer::new(p.TIMER3), Timer::new(p.TIMER4)],
        &wiring,
        p.EGU1,
        PpiGroup::new(p.PPI_GROUP0),
        [
            p.PPI_CH0.into(),
            p.PPI_CH1.into(),
            p.PPI_CH2.into(),
            p.PPI_CH3.into(),
            p.PPI_CH4.into(),
            p.PPI_CH5.into(),
            p.PPI_CH6.into(),
            p.PPI_CH7.into(),
            p.PPI_CH8.into(),
            p.PPI_CH9.into(),
            p.PPI_CH10.into(),
            p.PPI_CH11.into(),
            p.PPI_CH12.into(),
            p.PPI_CH13.into(),
            p.PPI_CH14.into(),
            p.PPI_CH15.into(),
            p.PPI_CH16.into(),
        ],
        Irqs,
    );
    let board = BOARD_CELL.init(Board {
        stimulator: Stimulator::new(clock.now(), env!("CARGO_PKG_VERSION")),
        feed: Feed::default(),
        radio: Radio::Advertising,
        pairing: PairingWindow::default(),
    });
    BOARD.lock(|b| b.replace(Some(board)));

    // LED1–LED4, active low.
    let leds_out = [
        Output::new(p.P0_13, Level::High, OutputDrive::Standard),
        Output::new(p.P0_14, Level::High, OutputDrive::Standard),
        Output::new(p.P0_15, Level::High, OutputDrive::Standard),
        Output::new(p.P0_16, Level::High, OutputDrive::Standard),
    ];
    spawner.spawn(unwrap!(pulse_task(clock)));
    spawner.spawn(unwrap!(emergency_stop_task(wiring, clock)));
    spawner.spawn(unwrap!(pairing_task(Input::new(p.P0_12, Pull::Up), clock)));
    spawner.spawn(unwrap!(status_task(leds_out, watchdog, clock)));

    // The radio: MPSL, the SoftDevice Controller, then the host.
    let mpsl_p =
        mpsl::Peripherals::new(p.RTC0, p.TIMER0, p.TEMP, p.PPI_CH19, p.PPI_CH30, p.PPI_CH31);
    let lfclk = mpsl::raw::mpsl_clock_lfclk_cfg_t {
        source: mpsl::raw::MPSL_CLOCK_LF_SRC_RC as u8,
        rc_ctiv: mpsl::raw::MPSL_RECOMMENDED_RC_CTIV as u8,
        rc_temp_ctiv: mpsl::raw::MPSL_RECOMMENDED_RC_TEMP_CTIV as u8,
        accuracy_ppm: mpsl::raw::MPSL_DEFAULT_CLOCK_ACCURACY_PPM as u16,
        skip_wait_lfclk_started: mpsl::raw::MPSL_DEFAULT_SKIP_WAIT_LFCLK_STARTED != 0,
    };
    static MPSL: StaticCell<MultiprotocolServiceLayer> = StaticCell::new();
    let mpsl = MPSL.init(unwrap!(MultiprotocolServiceLayer::new(mpsl_p, Irqs, lfclk)));
    spawner.spawn(unwrap!(mpsl_task(mpsl)));

    let sdc_p = sdc::Peripherals::new(
        p.PPI_CH17, p.PPI_CH18, p.PPI_CH20, p.PPI_CH21, p.PPI_CH22, p.PPI_CH23, p.PPI_CH24,
        p.PPI_CH25, p.PPI_CH26, p.PPI_CH27, p.PPI_CH28, p.PPI_CH29,
    );
    static RNG: StaticCell<rng::Rng<'static, embassy_nrf::mode::Async>> = StaticCell::new();
    let rng = RNG.init(rng::Rng::new(p.RNG, Irqs));
    static SDC_MEM: StaticCell<sdc::Mem<{ ble::SDC_MEMORY }>> = StaticCell::new();
    let sdc = unwrap!(ble::controller(
        sdc_p,
        rng,
        mpsl,
        SDC_MEM.init(sdc::Mem::new())
    ));
    let flash = mpsl::Flash::take(mpsl, p.NVMC);
    ble::run(sdc, flash, clock).await;
}

#[embassy_executor::task]
async fn mpsl_task(mpsl: &'static MultiprotocolServiceLayer<'static>) -> ! {
    mpsl.run().await
}

/// Plays the device ahead, plans its pins and queues the pulses, every millisecond; the
/// compare interrupt arms them as slots free up.
#[embassy_executor::task]
async fn pulse_task(clock: &'static Clock) {
    let mut ticker = Ticker::every(Duration::from_millis(1));
    loop {
        let horizon = clock.now() + LOOKAHEAD_US;
        with_board(|b| {
            let Board {
                stimulator, feed, ..
            } = b;
            if feed.follow(stimulator.device(), pulses::queue) {
                pulses::resume();
            }
            stimulator.advance(horizon, |e| feed.push(e, pulses::queue));
            feed.release(horizon, pulses::queue);
        });
        pulses::refill();
        ticker.next().await;
    }
}

/// Button 1: the pins are already cleared in hardware (PPI); this stops stim-core.
#[embassy_executor::task]
async fn emergency_stop_task(mut wiring: Wiring, clock: &'static Clock) {
    loop {
        wiring.button.wait().await;
        let now = clock.now();
        with_board(|b| {
            let Board {
                stimulator, feed, ..
            } = b;
            stimulator.emergency_stop(now, |e| feed.push(e, pulses::queue));
            feed.reset();
        });
        pulses::halt();
        // The Bluetooth app notifies a connected central (the stimulator's doorbell).
        ble::WAKE.signal(());
        info!("emergency stop (Button 1)");
    }
}

/// Button 2: opens the pairing window (physical presence).
#[embassy_executor::task]
async fn pairing_task(mut button: Input<'static>, clock: &'static Clock) {
    loop {
        button.wait_for_falling_edge().await;
        let now = clock.now();
        with_board(|b| b.pairing.open(now));
        // A connected central may bond from now on: the Bluetooth app is told.
        ble::WAKE.signal(());
        info!("pairing window open (Button 2)");
    }
}

/// The LEDs, and the watchdog: fed only while the executor still runs this task.
#[embassy_executor::task]
async fn status_task(
    mut out: [Output<'static>; 4],
    mut watchdog: wdt::WatchdogHandle,
    clock: &'static Clock,
) {
    let mut ticker = Ticker::every(Duration::from_millis(50));
    let mut dropped = Drops::default();
    loop {
        let now = clock.now();
        // Dropped pulses go to Telemetry and to the log.
        let drops = pulses::drops();
        if drops != dropped {
            dropped = drops;
            with_board(|b| b.stimulator.report_dropped_pulses(drops.total()));
            warn!(
                "pulses dropped: {} late, {} on a full queue",
                drops.late, drops.overflow
            );
        }
        let shown = with_board(|b| {
            leds(
                b.radio,
                b.pairing.is_open(now),
                b.stimulator.status().state,
                now,
            )
        });
        for (led, on) in out.iter_mut().zip(shown.0) {
            led.set_level(if on { Level::Low } else { Level::High });
        }
        watchdog.pet();
        ticker.next().await;
    }
}
