//! The loader against a model of the board's hardware, over 10 simulated seconds per
//! preset: a free-running 1 MHz timer whose 32-bit count wraps during the run; compare
//! registers that set and clear the pins (PPI) at their exact count, and raise the timer
//! interrupt on each falling edge; the interrupt handler entered after a random latency;
//! the 1 ms pulse task waking every 1007 µs (embassy's RTC rounding) plus a random delay;
//! a refill that takes a few µs to write the compares; and Button 1, which clears the pins
//! and disables the SET channels in hardware and latches a stop until the next run.
//!
//! The pins' edges are compared with stim-core's own timeline: the phase events the
//! device played, turned into pin intervals here (independently of the plan). They must
//! be equal to the µs, with no pulse dropped.

use stim_core::device::{Command, Device};
use stim_core::engine::PhaseEvent;
use stim_core::lead::LeadKind;
use stim_core::pattern::PhaseKind;
use stim_core::presets;
use stim_core::program::{Program, ProgramSet, Waveform};
use stim_fw::loader::{Compares, Drops, Feed, Loader, MAX_SLOTS};
use stim_fw::pins::{Pair, Pin};

/// The board's slots per pin (firmware/board/src/pulses.rs): two compare pairs each.
const BOARD_SLOTS: [usize; 3] = [2, 2, 2];
/// The pulse task's look-ahead (firmware/board/src/main.rs).
const LOOKAHEAD_US: u64 = 5_000;
/// The pulse task's period: 1 ms, rounded by embassy to RTC ticks (33 × 1/32768 s).
const TICK_US: u64 = 1_007;
/// Simulated time per run.
const RUN_US: u64 = 10_000_000;
/// The run starts 4 s before the 32-bit count wraps.
const T0: u64 = (1 << 32) - 4_000_000;

const PINS: [Pin; 3] = [Pin::Cathodic, Pin::Anodic, Pin::Trigger];

/// How the hardware and the software around the loader behave.
#[derive(Clone, Copy, Debug)]
struct Timing {
    /// Compare pairs per pin.
    slots: [usize; 3],
    /// The compare interrupt refills (false: only the pulse task does, as before).
    interrupt: bool,
    /// Interrupt latency, µs: uniform in this range.
    latency_us: (u64, u64),
    /// The pulse task wakes this much after its tick at most, µs (uniform).
    tick_delay_us: u64,
    /// From reading the count to the last compare written, µs.
    write_us: u64,
}

impl Timing {
    /// The board as built: two slots, refilled from the interrupt; latency up to 60 µs
    /// (the radio's interrupts run first); the task up to 2 ms late (a command handled).
    const BOARD: Timing = Timing {
        slots: BOARD_SLOTS,
        interrupt: true,
        latency_us: (2, 60),
        tick_delay_us: 2_000,
        write_us: 5,
    };
    /// The loader before this one: one pulse per pin, loaded by the 1 ms task only.
    const BEFORE: Timing = Timing {
        slots: [1, 1, 1],
        interrupt: false,
        latency_us: (0, 0),
        tick_delay_us: 50,
        write_us: 5,
    };
}

/// A small deterministic generator (xorshift64).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        if n == 0 {
            0
        } else {
            self.0 % n
        }
    }

    fn within(&mut self, (lo, hi): (u64, u64)) -> u64 {
        lo + self.below(hi - lo + 1)
    }
}

/// One compare pair: when its set and clear compares fire next (absolute µs), if ever.
#[derive(Clone, Copy, Debug, Default)]
struct Pair2 {
    set: Option<u64>,
    clear: Option<u64>,
    values: (u32, u32),
}

/// The model of the timer, its compares and the pins.
struct Hw {
    now: u64,
    write_us: u64,
    slots: [usize; 3],
    cc: [[Option<Pair2>; MAX_SLOTS]; 3],
    /// Compares written after their count had passed (they would fire a wrap later).
    late_writes: u32,
    /// Button 1's latch: slots are not enabled (the board's `arm` checks it).
    stopped: bool,
}

impl Hw {
    /// When a compare written at `written` with `value` fires: the next time the count
    /// becomes `value` (a wrap later if it is `value` already).
    fn fires(written: u64, value: u32) -> u64 {
        let d = value.wrapping_sub(written as u32);
        written + if d == 0 { 1 << 32 } else { u64::from(d) }
    }
}

impl Compares for Hw {
    fn slots(&self, pin: Pin) -> usize {
        self.slots[pin as usize]
    }

    fn now(&self) -> u64 {
        self.now
    }

    fn arm(&mut self, pin: Pin, slot: usize, set: u32, clear: u32) {
        if self.stopped {
            self.cc[pin as usize][slot] = None;
            return;
        }
        let written = self.now + self.write_us;
        let old = self.cc[pin as usize][slot];
        // Rewriting a set compare with its own value (a pulse grown longer) leaves it as
        // it was: fired or still to fire.
        let set_at = match old {
            Some(o) if o.values.0 == set => o.set,
            _ => {
                let at = Hw::fires(written, set);
                if at - written > 1 << 31 {
                    self.late_writes += 1;
                    None
                } else {
                    Some(at)
                }
            }
        };
        let clear_at = Hw::fires(written, clear);
        if clear_at - written > 1 << 31 {
            self.late_writes += 1;
        }
        self.cc[pin as usize][slot] = Some(Pair2 {
            set: set_at,
            clear: Some(clear_at),
            values: (set, clear),
        });
    }

    fn park(&mut self, pin: Pin, slot: usize) {
        self.cc[pin as usize][slot] = None;
    }
}

/// What a run produced.
struct Outcome {
    /// Every phase the device played.
    events: Vec<PhaseEvent>,
    /// Each pin's high intervals, as the model's pins showed them.
    pins: [Vec<(u64, u64)>; 3],
    drops: Drops,
    late_writes: u32,
    /// A pin was set while high (two pulses merged).
    merged: u32,
    /// The pair the polarity pins watch.
    pair: Pair,
}

/// Plays `set` on the model: loaded at the start, `Start` at `start_us` after it, and
/// each later command in `script` (µs after the start of the run).
fn run(set: &ProgramSet, timing: Timing, seed: u64, script: &[(u64, Command)]) -> Outcome {
    let mut rng = Rng(seed | 1);
    let mut device = Device::default();
    let mut feed = Feed::default();
    let mut loader = Loader::new();
    let mut hw = Hw {
        now: T0,
        write_us: timing.write_us,
        slots: timing.slots,
        cc: [[None; MAX_SLOTS]; 3],
        late_writes: 0,
        stopped: false,
    };
    loader.halt(&mut hw);
    device.advance(T0, |_| {});
    device
        .handle(T0, Command::LoadProgramSet(set.clone()))
        .unwrap();
    let mut events = vec![];
    let mut pins: [Vec<(u64, u64)>; 3] = Default::default();
    let mut high: [Option<u64>; 3] = [None; 3];
    let mut merged = 0;
    let mut next_tick = T0 + rng.below(TICK_US);
    let mut interrupt: Option<u64> = None;
    // Button 1's task, after the hardware stop.
    let mut emergency: Option<u64> = None;
    let mut script = script.iter().map(|(t, c)| (T0 + t, c.clone())).peekable();
    let end = T0 + RUN_US;
    loop {
        // The earliest compare to fire.
        let mut compare: Option<(u64, usize, usize, bool)> = None;
        for (p, slots) in hw.cc.iter().enumerate() {
            for (s, cc) in slots.iter().enumerate() {
                let Some(cc) = cc else { continue };
                for (at, rise) in [(cc.set, true), (cc.clear, false)] {
                    if let Some(at) = at {
                        // At one count, a set before a clear (they are never one pin's).
                        if compare.is_none_or(|(t, _, _, r)| (at, !rise) < (t, !r)) {
                            compare = Some((at, p, s, rise));
                        }
                    }
                }
            }
        }
        let command_at = script.peek().map(|(t, _)| *t);
        let t = [
            compare.map(|c| c.0),
            command_at,
            emergency,
            interrupt,
            Some(next_tick),
        ]
        .into_iter()
        .flatten()
        .min()
        .unwrap();
        if t >= end {
            break;
        }
        hw.now = t;
        if let Some((at, p, s, rise)) = compare.filter(|c| c.0 == t) {
            let cc = hw.cc[p][s].as_mut().unwrap();
            if rise {
                cc.set = None;
                if high[p].is_some() {
                    merged += 1;
                }
                high[p] = Some(at);
            } else {
                cc.clear = None;
                if let Some(from) = high[p].take() {
                    pins[p].push((from, at));
                }
                if timing.interrupt {
                    let entered = at + rng.within(timing.latency_us);
                    interrupt = Some(interrupt.map_or(entered, |i| i.min(entered)));
                }
            }
            continue;
        }
        let mut sink = |e: &PhaseEvent, feed: &mut Feed, loader: &mut Loader, hw: &mut Hw| {
            events.push(*e);
            feed.push(e, |p| loader.queue(p, hw));
        };
        if command_at == Some(t) {
            let (_, command) = script.next().unwrap();
            if command == Command::EmergencyStop {
                // Button 1 (PPI): the pins cleared, the SET channels disabled, the latch
                // set; its task runs 300 µs later.
                for (p, high) in high.iter_mut().enumerate() {
                    if let Some(from) = high.take() {
                        pins[p].push((from, t));
                    }
                }
                for cc in hw.cc.iter_mut().flatten().flatten() {
                    cc.set = None;
                }
                hw.stopped = true;
                emergency = Some(t + 300);
            } else {
                // A command over the link (stimulator.write): played up to now, then
                // handled.
                device.advance(t, |e| sink(e, &mut feed, &mut loader, &mut hw));
                device.handle(t, command).unwrap();
            }
        } else if emergency == Some(t) {
            emergency = None;
            device.advance(t, |e| sink(e, &mut feed, &mut loader, &mut hw));
            device.handle(t, Command::EmergencyStop).unwrap();
            feed.reset();
            loader.halt(&mut hw);
        } else if interrupt == Some(t) {
            interrupt = None;
            loader.refill(&mut hw);
        } else {
            // The pulse task.
            if feed.follow(&device, |p| loader.queue(p, &mut hw)) {
                hw.stopped = false;
            }
            let horizon = t + LOOKAHEAD_US;
            device.advance(horizon, |e| sink(e, &mut feed, &mut loader, &mut hw));
            feed.release(horizon, |p| loader.queue(p, &mut hw));
            loader.refill(&mut hw);
            next_tick = t + TICK_US + rng.below(timing.tick_delay_us + 1);
        }
    }
    Outcome {
        events,
        pins,
        drops: loader.drops(),
        late_writes: hw.late_writes,
        merged,
        pair: Pair::of(set).unwrap(),
    }
}

impl Outcome {
    /// Each pin's intervals as stim-core's timeline says: the phases that drive it high,
    /// touching ones joined.
    fn expected(&self) -> [Vec<(u64, u64)>; 3] {
        let mut out: [Vec<(u64, u64)>; 3] = Default::default();
        let mut events = self.events.clone();
        events.sort_by_key(|e| e.start_us);
        for e in events.iter().filter(|e| e.duration_us > 0) {
            let (c, a) = (
                e.currents_na[self.pair.cathode],
                e.currents_na[self.pair.anode],
            );
            let highs = [
                c < 0 && a > 0,
                c > 0 && a < 0,
                e.kind == PhaseKind::Stimulating,
            ];
            for (pin, high) in out.iter_mut().zip(highs) {
                if !high {
                    continue;
                }
                match pin.last_mut() {
                    Some(last) if last.1 == e.start_us => last.1 = e.end_us(),
                    _ => pin.push((e.start_us, e.end_us())),
                }
            }
        }
        out
    }

    /// Checks the pins against the timeline up to 20 ms before the end of the run (later
    /// pulses may still be under way), and returns how many pulses it compared.
    fn check(&self, name: &str) -> usize {
        assert_eq!(self.merged, 0, "{name}: a pin set while high");
        assert_eq!(self.late_writes, 0, "{name}: compares written too late");
        let cut = T0 + RUN_US - 20_000;
        let mut compared = 0;
        for ((pin, expected), actual) in PINS.iter().zip(self.expected()).zip(&self.pins) {
            let expected: Vec<_> = expected.into_iter().filter(|p| p.1 < cut).collect();
            let actual: Vec<_> = actual.iter().copied().filter(|p| p.1 < cut).collect();
            if let Some(i) =
                (0..expected.len().max(actual.len())).find(|&i| expected.get(i) != actual.get(i))
            {
                panic!(
                    "{name}, {pin:?} pin: pulse {i} should be {:?} but the pins showed {:?} \
                     ({} expected, {} shown, drops {:?})",
                    expected.get(i),
                    actual.get(i),
                    expected.len(),
                    actual.len(),
                    self.drops
                );
            }
            compared += expected.len();
        }
        assert_eq!(self.drops, Drops::default(), "{name}");
        compared
    }

    /// The cathodic and anodic pins of each biphasic pulse come from one period: after a
    /// cathodic pulse the next anodic one is the recharge of the same stimulating phase.
    fn check_pairs(&self, name: &str) {
        let [cathodic, anodic, _] = &self.pins;
        let expected = self.expected();
        let after = |pulses: &[(u64, u64)], from: u64| {
            pulses.get(pulses.partition_point(|a| a.0 <= from)).copied()
        };
        for c in cathodic {
            let played = after(anodic, c.0);
            let recharge = after(&expected[Pin::Anodic as usize], c.0);
            if played.is_some() || recharge.is_some_and(|r| r.1 < T0 + RUN_US - 20_000) {
                assert_eq!(
                    played, recharge,
                    "{name}: the cathodic pulse at {} is recharged from another period",
                    c.0
                );
            }
        }
    }

    fn first_pulse(&self) -> Option<u64> {
        self.pins[Pin::Cathodic as usize].first().map(|p| p.0)
    }
}

fn set_of(programs: &[Program]) -> ProgramSet {
    ProgramSet::new(LeadKind::Percutaneous8, programs)
}

/// Tonic at `rate_hz` (the bipole's contacts, 2 mA, active recharge).
fn tonic(rate_hz: u16, width_us: u32) -> Program {
    let mut program = presets::tonic_bipole();
    program.waveform = Waveform::Tonic { rate_hz, width_us };
    program
}

/// Every preset, and tonic at its top rate, with a name.
fn programs() -> Vec<(&'static str, ProgramSet)> {
    vec![
        ("tonic 50 Hz", set_of(&[presets::tonic_bipole()])),
        ("guarded cathode", set_of(&[presets::guarded_cathode()])),
        ("lower monopolar", set_of(&[presets::lower_monopolar()])),
        ("classic burst", set_of(&[presets::classic_burst()])),
        ("10 kHz", set_of(&[presets::ten_khz()])),
        ("custom asymmetric", set_of(&[presets::custom_asymmetric()])),
        (
            "interleaved bipole + monopolar",
            set_of(&[presets::tonic_bipole(), presets::lower_monopolar()]),
        ),
        ("tonic 1200 Hz", set_of(&[tonic(1200, 100)])),
        ("tonic 2 Hz, 400 µs", set_of(&[tonic(2, 400)])),
    ]
}

/// Start 1.234 s in, a stop at 6 s and a start again 300 µs later (then a full run).
fn start_stop_start() -> Vec<(u64, Command)> {
    vec![
        (1_234_567, Command::Start),
        (6_000_000, Command::Stop),
        (6_000_300, Command::Start),
    ]
}

#[test]
fn every_preset_plays_every_pulse_to_the_microsecond() {
    for (name, set) in programs() {
        for seed in [1, 0x5eed] {
            let outcome = run(&set, Timing::BOARD, seed, &start_stop_start());
            let compared = outcome.check(name);
            outcome.check_pairs(name);
            assert!(compared > 20, "{name}: only {compared} pulses");
        }
    }
}

#[test]
fn the_first_pulse_after_start_is_played() {
    for (name, set) in programs() {
        let outcome = run(&set, Timing::BOARD, 7, &[(500_123, Command::Start)]);
        let first_phase = outcome
            .events
            .iter()
            .filter(|e| e.kind == PhaseKind::Stimulating)
            .map(|e| e.start_us)
            .min()
            .unwrap();
        let first_pulse = outcome.pins[Pin::Trigger as usize].first().unwrap().0;
        assert_eq!(first_pulse, first_phase, "{name}");
        assert!(outcome.first_pulse().is_some(), "{name}");
    }
}

#[test]
fn the_first_pulse_after_a_restart_is_played() {
    for (name, set) in programs() {
        let script = [
            (100_000, Command::Start),
            (2_000_000, Command::Stop),
            (3_000_456, Command::Start),
        ];
        let outcome = run(&set, Timing::BOARD, 5, &script);
        outcome.check(name);
        let restart = T0 + 3_000_456;
        let first_phase = outcome
            .events
            .iter()
            .filter(|e| e.kind == PhaseKind::Stimulating && e.start_us >= restart)
            .map(|e| e.start_us)
            .min()
            .unwrap();
        let trigger = &outcome.pins[Pin::Trigger as usize];
        let first_pulse = trigger.iter().find(|p| p.0 >= restart).unwrap().0;
        assert_eq!(first_pulse, first_phase, "{name}");
    }
}

#[test]
fn button_1_stops_the_pins_at_once_and_a_new_run_plays_whole() {
    let set = set_of(&[presets::ten_khz()]);
    let press = 2_000_017;
    let script = [
        (1_000, Command::Start),
        (press, Command::EmergencyStop),
        (2_500_000, Command::ClearFault),
        (3_000_000, Command::Start),
    ];
    let outcome = run(&set, Timing::BOARD, 13, &script);
    let (press, restart) = (T0 + press, T0 + 3_000_000);
    let expected = outcome.expected();
    for ((pin, expected), shown) in PINS.iter().zip(&expected).zip(&outcome.pins) {
        for pulse in shown {
            assert!(
                pulse.0 < press || pulse.0 >= restart,
                "{pin:?} rose at {} after Button 1",
                pulse.0
            );
            if pulse.1 < press {
                assert!(expected.binary_search(pulse).is_ok(), "{pulse:?}");
            }
        }
        // After the restart: every pulse, on time.
        let cut = T0 + RUN_US - 20_000;
        let after = |p: &&(u64, u64)| p.0 >= restart && p.1 < cut;
        let want: Vec<_> = expected.iter().filter(after).collect();
        let got: Vec<_> = shown.iter().filter(after).collect();
        assert_eq!(got, want, "{pin:?} after the restart");
        assert!(!want.is_empty());
    }
    assert_eq!(outcome.merged, 0);
    assert_eq!(outcome.late_writes, 0);
}

#[test]
fn a_grown_pulse_moves_its_falling_edge() {
    // Burst's passive recharge (10 ms) is longer than the 5 ms look-ahead: it is armed
    // before its end is known.
    let set = set_of(&[presets::classic_burst()]);
    let outcome = run(&set, Timing::BOARD, 3, &[(1_000, Command::Start)]);
    outcome.check("classic burst");
    let longest = outcome.pins[Pin::Anodic as usize]
        .iter()
        .map(|p| p.1 - p.0)
        .max();
    assert_eq!(longest, Some(10_000));
}

#[test]
fn the_loader_before_this_one_fails_these_checks() {
    // One pulse per pin, loaded by the 1 ms task only: 10 kHz loses most pulses, and the
    // cathodic and anodic pins take pulses from different periods.
    let set = set_of(&[presets::ten_khz()]);
    let outcome = run(&set, Timing::BEFORE, 1, &[(1_000, Command::Start)]);
    let shown = outcome.pins[Pin::Cathodic as usize].len();
    let expected = outcome.expected()[Pin::Cathodic as usize].len();
    assert!(
        shown * 5 < expected,
        "{shown} of {expected} cathodic pulses played"
    );
    assert!(outcome.drops.total() > 0);
    let panicked = std::panic::catch_unwind(|| outcome.check_pairs("10 kHz"));
    assert!(
        panicked.is_err(),
        "pairs should come from different periods"
    );
}

#[test]
fn drops_are_counted_never_played_late() {
    // An interrupt that comes 150 µs late (longer than a 10 kHz period) drops pulses: each
    // one is counted, and what plays is still exactly on time.
    let set = set_of(&[presets::ten_khz()]);
    let slow = Timing {
        latency_us: (150, 250),
        ..Timing::BOARD
    };
    let outcome = run(&set, slow, 9, &[(1_000, Command::Start)]);
    assert!(outcome.drops.total() > 0);
    assert_eq!(outcome.merged, 0);
    assert_eq!(outcome.late_writes, 0);
    for (expected, shown) in outcome.expected().iter().zip(&outcome.pins) {
        for pulse in shown {
            assert!(
                expected.binary_search(pulse).is_ok(),
                "{pulse:?} is not in the timeline"
            );
        }
    }
    let cut = T0 + RUN_US - 20_000;
    let missing: usize = outcome
        .expected()
        .iter()
        .zip(&outcome.pins)
        .map(|(e, s)| {
            e.iter()
                .filter(|p| p.1 < cut && s.binary_search(p).is_err())
                .count()
        })
        .sum();
    assert!(missing as u32 <= outcome.drops.total(), "{missing} missing");
}

#[test]
#[ignore = "a measurement: cargo test -p stim-fw --test loader -- --ignored --nocapture"]
fn measure() {
    for (name, set) in programs() {
        let outcome = run(&set, Timing::BOARD, 1, &start_stop_start());
        let compared = outcome.check(name);
        eprintln!("{name}: {compared} pulses, drops {:?}", outcome.drops);
    }
    for latency in [60, 80, 100, 120, 140, 160, 180] {
        for (name, set) in programs() {
            let timing = Timing {
                latency_us: (latency, latency),
                ..Timing::BOARD
            };
            let outcome = run(&set, timing, 1, &start_stop_start());
            if outcome.drops.total() > 0 {
                eprintln!("latency {latency} µs: {name} drops {:?}", outcome.drops);
            }
        }
    }
}

#[test]
fn every_preset_bears_an_interrupt_140_us_late() {
    // Two slots per pin: a slot's next pulse may start up to two periods after the one
    // that freed it (200 µs at 10 kHz), less the 30 µs pulse and the margin.
    let late = Timing {
        latency_us: (140, 140),
        ..Timing::BOARD
    };
    for (name, set) in programs() {
        run(&set, late, 11, &start_stop_start()).check(name);
    }
}
