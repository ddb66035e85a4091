//! The pulse engine: from a validated program set and a time, the phase events in order.
//!
//! The engine is an [`Iterator`] of [`PhaseEvent`]s that never allocates and never ends
//! while a program has a non-zero amplitude. Interleaved programs are merged in time (the
//! validator guarantees they do not overlap). The amplitude of a program is sampled once
//! at the start of each period, so all phases of a pulse (or of a burst and its passive
//! recharge) use the same current: every period is charge-balanced exactly, even during a
//! soft start or stop.
//!
//! The engine is the last line of defence: it never plays more than the amplitude its set
//! was validated at (the top of each patient range), and it never raises an amplitude
//! faster than the set's soft start would (a rise to `to` takes at least its share of the
//! soft start, `(to − from) / to` of it), whoever asks.
//!
//! # Example
//! ```
//! use stim_core::{engine::Engine, lead::LeadKind, presets, program::ProgramSet, safety};
//! let set = ProgramSet::new(LeadKind::Percutaneous8, &[presets::tonic_bipole()]);
//! let valid = safety::validate(&set, &Default::default(), &Default::default()).unwrap();
//! let mut engine = Engine::new(valid, 0);
//! engine.set_level(0, 2_000, 0, 0);
//! let first = engine.next().unwrap();
//! assert_eq!((first.start_us, first.duration_us), (0, 200));
//! assert_eq!(first.currents_na[3], -2_000_000); // E4 is the cathode: −2 mA
//! let second = engine.next().unwrap();
//! assert_eq!(second.start_us, 200); // the interphase gap
//! ```

use crate::contacts::CONTACT_SLOTS;
use crate::pattern::{PhaseKind, PhaseTemplate};
use crate::program::{Cycling, MAX_PROGRAMS};
use crate::safety::ValidatedSet;
use crate::units::{charge_fc, DurationUs, FemtoCoulombs, MicroAmps, NanoAmps, TimeUs};

/// One phase on the contacts: when, how long, which program, what kind, what current.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PhaseEvent {
    /// Start, µs from the engine's time base.
    pub start_us: TimeUs,
    /// Duration, µs.
    pub duration_us: DurationUs,
    /// Index of the program that made it.
    pub program: u8,
    /// Stimulating, interphase or recharge.
    pub kind: PhaseKind,
    /// Current at each slot, nA: + anodic, − cathodic; they sum to zero.
    pub currents_na: [NanoAmps; CONTACT_SLOTS],
}

impl PhaseEvent {
    /// When the phase ends.
    pub fn end_us(&self) -> TimeUs {
        self.start_us + self.duration_us as TimeUs
    }

    /// The charge through `slot` during this phase.
    pub fn charge_fc(&self, slot: usize) -> FemtoCoulombs {
        charge_fc(self.currents_na[slot], self.duration_us)
    }

    /// The current the stimulator sources in this phase (sum of the anodic currents), nA.
    pub fn sourced_na(&self) -> i64 {
        self.currents_na
            .iter()
            .filter(|c| **c > 0)
            .map(|c| *c as i64)
            .sum()
    }
}

/// A program's amplitude over time: a linear ramp from `from` to `to`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Level {
    from: MicroAmps,
    to: MicroAmps,
    start: TimeUs,
    ramp_us: u32,
}

impl Level {
    fn at(&self, t: TimeUs) -> MicroAmps {
        let elapsed = t.saturating_sub(self.start);
        if elapsed >= self.ramp_us as u64 {
            return self.to;
        }
        let span = self.to as i64 - self.from as i64;
        (self.from as i64 + span * elapsed as i64 / self.ramp_us as i64) as MicroAmps
    }

    /// Steady at zero: nothing more to emit until the level changes.
    fn is_silent_after(&self, t: TimeUs) -> bool {
        self.to == 0 && t >= self.start + self.ramp_us as u64
    }
}

/// Where a program is in its stream: the period being played and its next phase.
#[derive(Clone, Copy, Debug, Default)]
struct Cursor {
    /// Period index (from the time base); None when the program emits nothing.
    period: Option<u64>,
    /// Next phase within the period.
    phase: usize,
    /// When this period's slot starts (origin + period start + offset), µs.
    start: TimeUs,
    /// The amplitude of this period (µA) and each slot's share of it: kept across
    /// periods, so a steady amplitude is split once, not every period.
    amplitude: MicroAmps,
    /// Stimulating-phase current of each slot at `amplitude` (µA).
    split: [i32; CONTACT_SLOTS],
}

/// The pulse engine. Cloning it is cheap enough to render a window ahead of time.
#[derive(Clone, Debug)]
pub struct Engine {
    set: ValidatedSet,
    origin: TimeUs,
    running: u8,
    levels: [Level; MAX_PROGRAMS],
    cursors: [Cursor; MAX_PROGRAMS],
    /// When the last event emitted ends.
    last_end: TimeUs,
}

/// Current of the modelled passive discharge after a halt, ‰ of the amplitude: the
/// coupling capacitors return the charge low and long, as a passive recharge does.
pub const DISCHARGE_PERMILLE: u16 = 100;

/// The events of one halt: per program, a discharge and its last-µs remainder.
pub type Discharge = heapless::Vec<PhaseEvent, { 2 * MAX_PROGRAMS }>;

impl Engine {
    /// An engine for `set` whose periods count from `origin`; all programs run, at zero
    /// amplitude until [`Engine::set_level`] raises them.
    pub fn new(set: ValidatedSet, origin: TimeUs) -> Self {
        let running = (1u8 << set.patterns().len()) - 1;
        Engine {
            set,
            origin,
            running,
            levels: [Level::default(); MAX_PROGRAMS],
            cursors: [Cursor::default(); MAX_PROGRAMS],
            last_end: origin,
        }
    }

    /// The validated set the engine plays.
    pub fn set(&self) -> &ValidatedSet {
        &self.set
    }

    /// The time base: period 0 of every program starts here (plus its offset).
    pub fn origin(&self) -> TimeUs {
        self.origin
    }

    /// Which programs run (bit i = program i).
    pub fn running(&self) -> u8 {
        self.running
    }

    /// Runs only the programs in `mask` from the first period after `now`.
    pub fn set_running(&mut self, mask: u8, now: TimeUs) {
        self.running = mask & ((1u8 << self.set.patterns().len()) - 1);
        for program in 0..self.set.patterns().len() {
            self.rearm(program, now);
        }
    }

    /// Ramps `program` from its amplitude at `now` to `to` µA over `ramp_us`. A period
    /// already started keeps its amplitude (so it stays balanced); the change shows from
    /// the next period.
    ///
    /// `to` is clamped to the program's validated ceiling, and a rise takes at least its
    /// share of the soft start; a program the set does not have stays silent.
    pub fn set_level(&mut self, program: usize, to: MicroAmps, now: TimeUs, ramp_us: u32) {
        if program >= self.set.patterns().len() {
            return;
        }
        let from = self.levels[program].at(now);
        let to = to.min(self.set.ceiling(program));
        let soft_start_us = self.set.set().soft_start_ms as u64 * 1_000;
        // ≤ 30 s × 25.5 mA: no overflow; the quotient is at most the soft start.
        let rise_us = if to > from {
            ((to - from) as u64 * soft_start_us).div_ceil(to as u64) as u32
        } else {
            0
        };
        self.levels[program] = Level {
            from,
            to,
            start: now,
            ramp_us: ramp_us.max(rise_us),
        };
        self.rearm(program, now);
    }

    /// Carries each program's amplitude at `now` over from `old`, where the program has
    /// the same contacts and waveform in both sets and plays in both (a re-load that
    /// changed neither keeps what the patient had, without a new soft start); clamped to
    /// the new ceiling. A program `old` did not play starts from zero.
    pub fn continue_from(&mut self, old: &Engine, now: TimeUs) {
        let shared = self.set.patterns().len().min(old.set.patterns().len());
        let playing = self.running & old.running;
        for program in (0..shared).filter(|p| playing & (1 << p) != 0) {
            let (new, was) = (
                &self.set.set().programs[program],
                &old.set.set().programs[program],
            );
            if new.electrodes == was.electrodes && new.waveform == was.waveform {
                let amplitude = old
                    .amplitude_at(program, now)
                    .min(self.set.ceiling(program));
                self.levels[program] = Level {
                    from: amplitude,
                    to: amplitude,
                    start: now,
                    ramp_us: 0,
                };
                self.rearm(program, now);
            }
        }
    }

    /// When the contacts are free: the end of the last phase emitted and of every period
    /// under way (whose remaining phases will still play).
    pub fn busy_until(&self) -> TimeUs {
        (0..self.set.patterns().len())
            .filter(|&p| self.cursors[p].phase > 0)
            .map(|p| self.cursors[p].start + self.set.patterns()[p].busy_us() as TimeUs)
            .fold(self.last_end, TimeUs::max)
    }

    /// Stops at once, mid-pulse if need be (an emergency stop): nothing more is driven,
    /// and the charge that the periods under way had delivered comes back as a modelled
    /// passive discharge from `now` (or the end of the phase being played): exact to the
    /// femtocoulomb, at [`DISCHARGE_PERMILLE`] of the period's current.
    pub fn halt(&mut self, now: TimeUs) -> Discharge {
        let mut discharge = Discharge::new();
        let start_us = now.max(self.last_end);
        for program in 0..self.set.patterns().len() {
            let cursor = self.cursors[program];
            let played = &self.set.patterns()[program].phases[..cursor.phase];
            // Σ weight × duration of what was played: the charge left at 1 µA (‰·µs).
            let left: i64 = played
                .iter()
                .map(|p| p.weight as i64 * p.duration_us as i64)
                .sum();
            if cursor.period.is_none() || left == 0 {
                continue;
            }
            // Played as phases of the period's split: one at the discharge current, then
            // the remainder for 1 µs, so the charge returns exactly.
            let sign = -left.signum() as i16;
            let full = DISCHARGE_PERMILLE as i64;
            let parts = [
                (left.abs() / full, DISCHARGE_PERMILLE as i16),
                (1, (left.abs() % full) as i16),
            ];
            let mut at = start_us;
            for (duration, permille) in parts {
                if duration == 0 || permille == 0 {
                    continue;
                }
                let phase = PhaseTemplate {
                    offset_us: 0,
                    duration_us: duration as DurationUs,
                    kind: PhaseKind::PassiveRecharge,
                    weight: sign * permille,
                };
                let event = self.emit(program, at, &phase);
                at = event.end_us();
                // Two events per program: within the capacity.
                let _ = discharge.push(event);
            }
        }
        self.running = 0;
        self.levels = [Level::default(); MAX_PROGRAMS];
        self.cursors = [Cursor::default(); MAX_PROGRAMS];
        discharge
    }

    /// The amplitude of `program` at `t` (µA); 0 for a program the set does not have.
    pub fn amplitude_at(&self, program: usize, t: TimeUs) -> MicroAmps {
        self.levels.get(program).map_or(0, |l| l.at(t))
    }

    /// The level `program` is ramping to (µA), or its current one.
    pub fn target(&self, program: usize) -> MicroAmps {
        self.levels.get(program).map_or(0, |l| l.to)
    }

    /// Whether every program has reached its target at `t`.
    pub fn ramps_done(&self, t: TimeUs) -> bool {
        self.levels.iter().all(|l| t >= l.start + l.ramp_us as u64)
    }

    /// Positions the engine so the next event is the first that ends after `t`. For a
    /// copy that renders (see [`Engine::render`]): a period under way in a live engine
    /// would be left unfinished.
    pub fn seek(&mut self, t: TimeUs) {
        for program in 0..self.set.patterns().len() {
            let base = self.origin + self.set.set().programs[program].offset_us as TimeUs;
            let period = self.set.patterns()[program]
                .period
                .index_at(t.saturating_sub(base));
            self.prepare(program, period);
            while let Some(next) = self.peek(program) {
                let duration =
                    self.set.patterns()[program].phases[self.cursors[program].phase].duration_us;
                if next + duration as TimeUs > t {
                    break;
                }
                self.advance(program);
            }
        }
    }

    /// Fills `out` with the events that overlap `from .. to`, in time order; returns how
    /// many. The engine itself does not move (this plays a copy).
    pub fn render(&self, from: TimeUs, to: TimeUs, out: &mut [PhaseEvent]) -> usize {
        let mut copy = self.clone();
        copy.seek(from);
        let mut count = 0;
        for (slot, event) in out.iter_mut().zip(copy.take_while(|e| e.start_us < to)) {
            *slot = event;
            count += 1;
        }
        count
    }

    /// Start of the next event, if any program will emit one.
    pub fn peek_start(&self) -> Option<TimeUs> {
        (0..self.set.patterns().len())
            .filter_map(|p| self.peek(p))
            .min()
    }

    fn peek(&self, program: usize) -> Option<TimeUs> {
        let cursor = &self.cursors[program];
        cursor.period?;
        Some(cursor.start + self.set.patterns()[program].phases[cursor.phase].offset_us as TimeUs)
    }

    /// Points `program`'s cursor at the first period starting at or after `now`.
    fn rearm(&mut self, program: usize, now: TimeUs) {
        let pattern = &self.set.patterns()[program];
        let base = self.origin + self.set.set().programs[program].offset_us as TimeUs;
        let period = if now <= base {
            0
        } else {
            let index = pattern.period.index_at(now - base);
            index + u64::from(base + pattern.period.start(index) < now)
        };
        // A period already under way keeps playing, whatever `now` the caller's clock
        // says (a board plays ahead of its clock): its cursor is past phase 0.
        if self.cursors[program].phase > 0 {
            return;
        }
        self.prepare(program, period);
    }

    /// Loads period `n` of `program`, skipping silent periods (off by cycling, not running,
    /// zero amplitude) up to the next that plays.
    fn prepare(&mut self, program: usize, mut n: u64) {
        let pattern = &self.set.patterns()[program];
        let offset = self.set.set().programs[program].offset_us as TimeUs;
        let cycling = self.set.set().cycling;
        let soft_start_us = self.set.set().soft_start_ms as u64 * 1_000;
        let level = self.levels[program];
        // Updated in place: the cursor is ~100 bytes, and wasm copies that size slowly.
        let cursor = &mut self.cursors[program];
        cursor.period = None;
        cursor.phase = 0;
        if self.running & (1 << program) == 0 {
            return;
        }
        loop {
            let start = self.origin + pattern.period.start(n) + offset;
            if let Some(next_on) = cycling.and_then(|c| off_until(c, start - self.origin)) {
                n = pattern.period.index_at(next_on.saturating_sub(offset));
                if pattern.period.start(n) + offset < next_on {
                    n += 1;
                }
                continue;
            }
            let amplitude =
                on_edge_ramp(cycling, soft_start_us, start - self.origin, level.at(start));
            if amplitude > 0 {
                if amplitude != cursor.amplitude {
                    cursor.split = self.set.set().programs[program].electrodes.split(amplitude);
                    cursor.amplitude = amplitude;
                }
                cursor.period = Some(n);
                cursor.start = start;
                return;
            }
            if level.is_silent_after(start) {
                return;
            }
            n += 1;
        }
    }

    fn advance(&mut self, program: usize) {
        let phases = self.set.patterns()[program].phases.len();
        let cursor = &mut self.cursors[program];
        cursor.phase += 1;
        if cursor.phase == phases {
            let next = cursor.period.map_or(0, |p| p + 1);
            self.prepare(program, next);
        }
    }

    fn emit(&self, program: usize, start_us: TimeUs, phase: &PhaseTemplate) -> PhaseEvent {
        let split = &self.cursors[program].split;
        let mut currents_na = [0; CONTACT_SLOTS];
        for (out, ua) in currents_na.iter_mut().zip(split) {
            // µA × ‰ = nA, exactly.
            *out = ua * phase.weight as i32;
        }
        PhaseEvent {
            start_us,
            duration_us: phase.duration_us,
            program: program as u8,
            kind: phase.kind,
            currents_na,
        }
    }
}

/// `amplitude` at `t` (µs from the origin), ramped up from zero over the soft start at the
/// start of each cycling on time after the first (whose ramp is the start's own).
fn on_edge_ramp(
    cycling: Option<Cycling>,
    soft_start_us: u64,
    t: TimeUs,
    amplitude: MicroAmps,
) -> MicroAmps {
    let Some(cycling) = cycling.filter(|c| c.off_ms > 0 && soft_start_us > 0) else {
        return amplitude;
    };
    let cycle = (cycling.on_ms as u64 + cycling.off_ms as u64) * 1_000;
    let since_on = t % cycle;
    if t < cycle || since_on >= soft_start_us {
        return amplitude;
    }
    (amplitude as u64 * since_on / soft_start_us) as MicroAmps
}

/// If `t` (µs from the origin) falls in an off time of `cycling`, when the next on time starts.
fn off_until(cycling: Cycling, t: TimeUs) -> Option<TimeUs> {
    let (on, off) = (cycling.on_ms as u64 * 1_000, cycling.off_ms as u64 * 1_000);
    if off == 0 || on == 0 {
        return None;
    }
    let cycle = on + off;
    let within = t % cycle;
    (within >= on).then(|| t - within + cycle)
}

impl Iterator for Engine {
    type Item = PhaseEvent;

    fn next(&mut self) -> Option<PhaseEvent> {
        // The earliest next phase; on a tie the lower program (min_by_key keeps the first).
        let (program, start) = (0..self.set.patterns().len())
            .filter_map(|p| self.peek(p).map(|t| (p, t)))
            .min_by_key(|&(_, t)| t)?;
        let phase = self.set.patterns()[program].phases[self.cursors[program].phase];
        let event = self.emit(program, start, &phase);
        self.advance(program);
        self.last_end = self.last_end.max(event.end_us());
        Some(event)
    }
}
