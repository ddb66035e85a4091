//! The device state machine: the same on the board and in the browser's virtual device.
//!
//! ```text
//!            load + start              soft start done
//!   Idle ─────────────────▶ Ramping ─────────────────▶ Running
//!    ▲  ◀──── soft stop done ─┘  ▲──────── stop ─────────┘
//!    │
//!    ├── clear ── EmergencyStopped ◀── emergency stop (from any state, always)
//!    └── clear ── Fault ◀── a contact in use turns open or short
//!   Off ◀── battery empty
//! ```
//!
//! Rules: a refused command changes nothing; an emergency stop is always accepted and
//! always wins; a change of a program's contacts or waveform drops its amplitude to zero;
//! every program set is validated again here, whatever the sender checked.
//!
//! Charge balance at the contacts, whatever is commanded when:
//! - stop, soft stop's end, a fault, loading a set and starting again all let **the pulse
//!   under way finish with its recharge**: a retired engine plays the rest of its period
//!   (as the *tail*) and the next engine starts only once the contacts are free;
//! - an emergency stop (and an empty battery) **cuts at once**: nothing more is driven,
//!   and the charge the pulse had delivered returns through a modelled passive discharge
//!   ([`Engine::halt`]), counted in [`Counters::discharged`].
//!
//! So the net charge of every contact is back to zero, to the femtocoulomb, at most one
//! period plus one discharge after any command.

use core::fmt;

use crate::battery::Battery;
use crate::contacts::Polarity;
use crate::engine::{Discharge, Engine, PhaseEvent};
use crate::error::SafetyError;
use crate::impedance::ImpedanceModel;
use crate::pattern::PhaseKind;
use crate::program::{ProgramSet, MAX_PROGRAMS};
use crate::safety::{validate, Limits};
use crate::units::{ChargeMeter, MicroAmps, Thousandths, TimeUs};

/// Where the device is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum State {
    /// Battery empty: nothing runs until it is recharged.
    Off,
    /// Ready; a program set may be loaded; no stimulation.
    Idle,
    /// Stimulating at the set amplitudes.
    Running,
    /// Stimulating while a soft start or soft stop ramps the amplitude.
    Ramping,
    /// Stopped by an emergency stop; needs a clear before it starts again.
    EmergencyStopped,
    /// Stopped because a contact in use turned faulty; needs a clear once it is mended.
    Fault,
}

impl fmt::Display for State {
    /// The state in words, as an engineer's console shows it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            State::Off => "off (battery empty)",
            State::Idle => "idle",
            State::Running => "running",
            State::Ramping => "ramping",
            State::EmergencyStopped => "emergency-stopped",
            State::Fault => "stopped by a fault",
        })
    }
}

/// Which programs of the set run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Selection {
    /// All programs, interleaved.
    All,
    /// Only this program (index from 0).
    One(u8),
}

impl fmt::Display for Selection {
    /// Programs counted from 1, as every message counts them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Selection::All => f.write_str("all programs"),
            Selection::One(p) => write!(f, "program {}", *p as u16 + 1),
        }
    }
}

/// What the device can be told to do.
// No allocator to box the program set into; a command is moved once, then dropped.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Command {
    /// Validate and load a program set (while running: changed programs drop to zero).
    LoadProgramSet(ProgramSet),
    /// Start stimulating, with the soft start.
    Start,
    /// Stop stimulating, with the soft stop.
    Stop,
    /// Set a program's amplitude, within its patient range.
    SetAmplitude {
        /// Program index.
        program: u8,
        /// The amplitude, µA.
        amplitude_ua: MicroAmps,
    },
    /// Choose which programs run.
    SelectProgram(Selection),
    /// Stop at once, from any state.
    EmergencyStop,
    /// Leave the emergency-stopped or fault state (to idle).
    ClearFault,
    /// Replace the clinician limits (the loaded set must still pass them).
    SetLimits(Limits),
}

/// Why a command was refused. The device is exactly as it was before.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum CommandError {
    /// The program set (or the limits) break a safety rule.
    Unsafe(SafetyError),
    /// No program set is loaded.
    NoProgramSet,
    /// The command is not possible in this state.
    NotNow {
        /// The state the device is in.
        state: State,
    },
    /// There is no program with this index.
    NoSuchProgram {
        /// The index asked for.
        program: u8,
        /// How many programs the set has.
        programs: u8,
    },
    /// The amplitude is outside the program's patient range.
    OutsidePatientRange {
        /// Program index.
        program: u8,
        /// The amplitude asked for.
        amplitude_ua: MicroAmps,
        /// Range minimum.
        min_ua: MicroAmps,
        /// Range maximum.
        max_ua: MicroAmps,
    },
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommandError::Unsafe(e) => e.fmt(f),
            CommandError::NoProgramSet => {
                f.write_str("No program is loaded yet: load a program first.")
            }
            CommandError::NotNow { state } => {
                let why = match state {
                    State::Off => "the battery is empty; recharge it first",
                    State::EmergencyStopped => {
                        "the device was emergency-stopped; clear the stop first"
                    }
                    State::Fault => "the device has a fault; clear it first",
                    _ => "the device is busy",
                };
                write!(f, "Not possible now: {why}.")
            }
            CommandError::NoSuchProgram { program, programs } => {
                write!(
                    f,
                    "There is no program {}; the set has {programs}.",
                    u16::from(*program) + 1
                )
            }
            CommandError::OutsidePatientRange {
                program,
                amplitude_ua,
                min_ua,
                max_ua,
            } => write!(
                f,
                "Program {}: {} mA is outside the allowed range of {} to {} mA.",
                u16::from(*program) + 1,
                Thousandths(*amplitude_ua as u64),
                Thousandths(*min_ua as u64),
                Thousandths(*max_ua as u64)
            ),
        }
    }
}

impl From<SafetyError> for CommandError {
    fn from(e: SafetyError) -> Self {
        CommandError::Unsafe(e)
    }
}

/// What the device has delivered since it was made.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Counters {
    /// Stimulating phases delivered.
    pub pulses: u64,
    /// All phases delivered.
    pub phases: u64,
    /// Charge of the stimulating phases (the cathodic side).
    pub delivered: ChargeMeter,
    /// Charge returned by passive discharges after emergency stops (the cathodic side).
    pub discharged: ChargeMeter,
}

/// A snapshot of the device for telemetry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Status {
    /// The state.
    pub state: State,
    /// Which programs run.
    pub selection: Selection,
    /// Programs in the loaded set (0: none).
    pub programs: u8,
    /// Amplitude each program delivers now, µA.
    pub amplitude_ua: [MicroAmps; MAX_PROGRAMS],
    /// Amplitude each program is set to (where a ramp ends), µA.
    pub target_ua: [MicroAmps; MAX_PROGRAMS],
    /// Battery state of charge, ‰.
    pub battery_permille: u16,
    /// Estimated battery time left at the present settings, tenths of an hour.
    pub battery_tenths_of_hours: u32,
    /// Delivery counters.
    pub counters: Counters,
}

/// The stimulator: state, program set, engine, models and counters.
#[derive(Clone, Debug)]
pub struct Device {
    state: State,
    limits: Limits,
    impedance: ImpedanceModel,
    battery: Battery,
    counters: Counters,
    engine: Option<Engine>,
    /// A retired engine finishing the period it had under way.
    tail: Option<Engine>,
    /// The passive discharge of an emergency stop, still to play.
    discharge: Discharge,
    selection: Selection,
    targets: [MicroAmps; MAX_PROGRAMS],
    fault: Option<SafetyError>,
    /// A soft stop is under way (Ramping towards idle, not towards running).
    stopping: bool,
    now: TimeUs,
}

impl Default for Device {
    fn default() -> Self {
        Device::new(
            Limits::default(),
            ImpedanceModel::default(),
            Battery::default(),
        )
    }
}

impl Device {
    /// An idle device with no program set.
    pub fn new(limits: Limits, impedance: ImpedanceModel, battery: Battery) -> Self {
        Device {
            state: State::Idle,
            limits,
            impedance,
            battery,
            counters: Counters::default(),
            engine: None,
            tail: None,
            discharge: Discharge::new(),
            selection: Selection::All,
            targets: [0; MAX_PROGRAMS],
            fault: None,
            stopping: false,
            now: 0,
        }
    }

    /// The state.
    pub fn state(&self) -> State {
        self.state
    }

    /// The loaded program set, if any.
    pub fn program_set(&self) -> Option<&ProgramSet> {
        self.engine.as_ref().map(|e| e.set().set())
    }

    /// The engine, for rendering what the device plays (oscilloscope).
    pub fn engine(&self) -> Option<&Engine> {
        self.engine.as_ref()
    }

    /// The clinician limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The impedance model.
    pub fn impedance(&self) -> &ImpedanceModel {
        &self.impedance
    }

    /// The fault that stopped the device, while in [`State::Fault`].
    pub fn fault(&self) -> Option<SafetyError> {
        self.fault
    }

    /// Carries out `command` at time `now`. On error nothing changed.
    ///
    /// Call [`Device::advance`] up to `now` first, so no event before `now` is skipped.
    /// A `now` before the device's time (a board plays ahead of its clock) counts as the
    /// device's time: a command never reaches into what was already played.
    pub fn handle(&mut self, now: TimeUs, command: Command) -> Result<(), CommandError> {
        let now = now.max(self.now);
        if command == Command::EmergencyStop {
            self.emergency_stop();
            return Ok(());
        }
        if self.state == State::Off {
            return Err(CommandError::NotNow { state: State::Off });
        }
        match command {
            Command::LoadProgramSet(set) => self.load(now, &set),
            Command::Start => self.start(now),
            Command::Stop => {
                self.stop(now);
                Ok(())
            }
            Command::SetAmplitude {
                program,
                amplitude_ua,
            } => self.set_amplitude(now, program, amplitude_ua),
            Command::SelectProgram(selection) => self.select(now, selection),
            Command::ClearFault => self.clear_fault(),
            Command::SetLimits(limits) => {
                if let Some(engine) = &self.engine {
                    validate(engine.set().set(), &limits, &self.impedance)?;
                }
                self.limits = limits;
                Ok(())
            }
            Command::EmergencyStop => unreachable!("handled first"),
        }
    }

    /// Stimulating, and not on the way out of it.
    fn stimulating(&self) -> bool {
        matches!(self.state, State::Running | State::Ramping) && !self.stopping
    }

    fn load(&mut self, now: TimeUs, set: &ProgramSet) -> Result<(), CommandError> {
        let valid = validate(set, &self.limits, &self.impedance)?;
        if self.stopping {
            // Loading during a soft stop finishes the stop: the user asked to stop.
            self.silence();
            self.state = State::Idle;
        }
        let mut targets = [0; MAX_PROGRAMS];
        for (index, program) in set.programs.iter().enumerate() {
            let old = self.program_set().and_then(|s| s.programs.get(index));
            let unchanged = old.is_some_and(|o| {
                o.electrodes == program.electrodes && o.waveform == program.waveform
            });
            targets[index] = if !self.stimulating() {
                program.amplitude_ua
            } else if unchanged {
                // Same contacts and waveform: keep what the patient had, within the new range.
                self.targets[index]
                    .clamp(program.patient_range.min_ua, program.patient_range.max_ua)
            } else {
                0
            };
        }
        let selection = match self.selection {
            Selection::One(p) if p as usize >= set.programs.len() => Selection::All,
            s => s,
        };
        let stimulating = self.stimulating();
        let origin = self.free_at(now);
        let mut engine = Engine::new(valid, origin);
        engine.set_running(mask(selection), origin);
        if stimulating {
            if let Some(old) = &self.engine {
                engine.continue_from(old, now);
            }
            for (program, target) in targets.iter().enumerate().take(set.programs.len()) {
                engine.set_level(program, *target, origin, 0);
            }
            self.state = ramping_or_running(&engine, origin);
        }
        self.retire(now);
        self.engine = Some(engine);
        self.targets = targets;
        self.selection = selection;
        Ok(())
    }

    /// When the contacts are free for a new engine: after the discharge, the tail, and
    /// the engine's period under way (which a retired engine still finishes).
    fn free_at(&self, now: TimeUs) -> TimeUs {
        let discharge = self.discharge.iter().map(PhaseEvent::end_us);
        let engines = [self.tail.as_ref(), self.engine.as_ref()];
        let busy = engines.into_iter().flatten().map(Engine::busy_until);
        discharge.chain(busy).fold(now, TimeUs::max)
    }

    /// Retires the engine: it finishes the period under way (as the tail) and plays
    /// nothing after it.
    fn retire(&mut self, now: TimeUs) {
        if let Some(mut old) = self.engine.take() {
            old.set_running(0, now);
            // An engine with a period under way started after the tail's end (its origin
            // waited for it), so that tail is done; one with nothing to play leaves it.
            if old.peek_start().is_some() {
                self.tail = Some(old);
            }
        }
    }

    fn start(&mut self, now: TimeUs) -> Result<(), CommandError> {
        match self.state {
            State::Idle => {}
            State::Running | State::Ramping if self.stopping => {
                // Start during a soft stop: back up from where the ramp down has got to.
                self.stopping = false;
                if let Some(engine) = self.engine.as_mut() {
                    for (program, target) in self.targets.iter().enumerate() {
                        engine.set_level(program, *target, now, 0);
                    }
                    self.state = ramping_or_running(engine, now);
                }
                return Ok(());
            }
            State::Running | State::Ramping => return Ok(()),
            state => return Err(CommandError::NotNow { state }),
        }
        let set = self
            .engine
            .as_ref()
            .ok_or(CommandError::NoProgramSet)?
            .set()
            .clone();
        // Contacts may have turned open or short since the set was loaded.
        validate(set.set(), &self.limits, &self.impedance)?;
        let origin = self.free_at(now);
        self.retire(now);
        let mut fresh = Engine::new(set, origin);
        self.stopping = false;
        fresh.set_running(mask(self.selection), origin);
        for (program, target) in self.targets.iter().enumerate() {
            // The engine ramps every rise over the set's soft start.
            fresh.set_level(program, *target, origin, 0);
        }
        self.state = ramping_or_running(&fresh, origin);
        self.engine = Some(fresh);
        Ok(())
    }

    fn stop(&mut self, now: TimeUs) {
        if !self.stimulating() {
            return;
        }
        let Some(engine) = self.engine.as_mut() else {
            return;
        };
        let ramp_us = engine.set().set().soft_stop_ms.saturating_mul(1_000);
        for program in 0..engine.set().patterns().len() {
            engine.set_level(program, 0, now, ramp_us);
        }
        self.state = if ramp_us > 0 {
            State::Ramping
        } else {
            State::Idle
        };
        self.stopping = ramp_us > 0;
    }

    fn set_amplitude(
        &mut self,
        now: TimeUs,
        program: u8,
        amplitude_ua: MicroAmps,
    ) -> Result<(), CommandError> {
        let set = self.program_set().ok_or(CommandError::NoProgramSet)?;
        let range = set
            .programs
            .get(program as usize)
            .ok_or(CommandError::NoSuchProgram {
                program,
                programs: set.programs.len() as u8,
            })?
            .patient_range;
        if !range.contains(amplitude_ua) {
            return Err(CommandError::OutsidePatientRange {
                program,
                amplitude_ua,
                min_ua: range.min_ua,
                max_ua: range.max_ua,
            });
        }
        // During a soft stop the new amplitude waits for the next start.
        self.targets[program as usize] = amplitude_ua;
        if self.stimulating() {
            if let Some(engine) = self.engine.as_mut() {
                // A rise follows the soft start's slope; a fall is at once.
                engine.set_level(program as usize, amplitude_ua, now, 0);
                self.state = ramping_or_running(engine, now);
            }
        }
        Ok(())
    }

    fn select(&mut self, now: TimeUs, selection: Selection) -> Result<(), CommandError> {
        let programs = self
            .program_set()
            .ok_or(CommandError::NoProgramSet)?
            .programs
            .len() as u8;
        if let Selection::One(program) = selection {
            if program >= programs {
                return Err(CommandError::NoSuchProgram { program, programs });
            }
        }
        let before = mask(self.selection);
        self.selection = selection;
        if let (true, Some(engine)) = (self.stimulating(), self.engine.as_mut()) {
            engine.set_running(mask(selection), now);
            for program in 0..programs as usize {
                if mask(selection) & !before & (1 << program) != 0 {
                    // A newly selected program starts from zero with the soft start.
                    engine.set_level(program, 0, now, 0);
                    engine.set_level(program, self.targets[program], now, 0);
                }
            }
            self.state = ramping_or_running(engine, now);
        }
        Ok(())
    }

    fn emergency_stop(&mut self) {
        if self.state == State::Off {
            return;
        }
        self.halt();
        self.stopping = false;
        // Restart from the clinician's amplitudes, never from where the patient was.
        let mut programmed = [0; MAX_PROGRAMS];
        if let Some(set) = self.program_set() {
            for (target, program) in programmed.iter_mut().zip(set.programs.iter()) {
                *target = program.amplitude_ua;
            }
        }
        self.targets = programmed;
        self.state = State::EmergencyStopped;
    }

    fn clear_fault(&mut self) -> Result<(), CommandError> {
        match self.state {
            State::EmergencyStopped => {}
            State::Fault => {
                if let Some(engine) = &self.engine {
                    validate(engine.set().set(), &self.limits, &self.impedance)?;
                }
                self.fault = None;
            }
            _ => return Ok(()),
        }
        self.state = State::Idle;
        Ok(())
    }

    /// Cuts every engine at once; the charge under way returns by passive discharge.
    fn halt(&mut self) {
        let now = self.now;
        for engine in [self.tail.as_mut(), self.engine.as_mut()]
            .into_iter()
            .flatten()
        {
            for event in engine.halt(now) {
                // At most one period is ever under way: within the capacity.
                let _ = self.discharge.push(event);
            }
        }
        self.tail = None;
    }

    /// All programs to zero from the next period; the pulse under way finishes.
    fn silence(&mut self) {
        if let Some(engine) = self.engine.as_mut() {
            let now = self.now;
            for program in 0..engine.set().patterns().len() {
                engine.set_level(program, 0, now, 0);
            }
            engine.set_running(0, now);
        }
    }

    /// Plays every event that starts before `now` into `sink`, counting charge and
    /// draining the battery; ends ramps that are done; turns off on an empty battery.
    ///
    /// Whatever the state, what the engines still owe plays: the rest of a pulse under way
    /// after a stop, and the discharge after an emergency stop.
    pub fn advance(&mut self, now: TimeUs, mut sink: impl FnMut(&PhaseEvent)) {
        let now = now.max(self.now);
        while let Some((event, discharged)) = self.next_event_before(now) {
            self.counters.phases += 1;
            let sourced = event.sourced_na() * event.duration_us as i64;
            match event.kind {
                PhaseKind::Stimulating => {
                    self.counters.pulses += 1;
                    self.counters.delivered.add(sourced);
                }
                PhaseKind::PassiveRecharge if discharged => self.counters.discharged.add(sourced),
                _ => {}
            }
            if event.kind.is_driven() {
                self.battery.draw(sourced);
            }
            sink(&event);
        }
        if self.tail.as_ref().is_some_and(|t| t.peek_start().is_none()) {
            self.tail = None;
        }
        if let (State::Ramping, Some(engine)) = (self.state, &self.engine) {
            if engine.ramps_done(now) {
                self.state = if self.stopping {
                    State::Idle
                } else {
                    State::Running
                };
                self.stopping = false;
            }
        }
        self.battery
            .idle((now - self.now).min(u32::MAX as u64) as u32);
        self.now = now;
        if self.battery.is_empty() && self.state != State::Off {
            // No power to drive a recharge: cut, and let the capacitors discharge.
            self.halt();
            self.stopping = false;
            self.state = State::Off;
        }
    }

    /// The earliest event that starts before `now` (the discharge, the tail, the engine),
    /// and whether it is an emergency discharge.
    fn next_event_before(&mut self, now: TimeUs) -> Option<(PhaseEvent, bool)> {
        let discharge = self.discharge.first().map(|e| e.start_us);
        let tail = self.tail.as_ref().and_then(Engine::peek_start);
        let engine = self.engine.as_ref().and_then(Engine::peek_start);
        let earliest = [discharge, tail, engine].into_iter().flatten().min()?;
        if earliest >= now {
            return None;
        }
        if discharge == Some(earliest) {
            Some((self.discharge.remove(0), true))
        } else if tail == Some(earliest) {
            Some((self.tail.as_mut()?.next()?, false))
        } else {
            Some((self.engine.as_mut()?.next()?, false))
        }
    }

    /// Sets the modelled impedance of `slot`. If a running program uses it and it now
    /// reads open or short, stimulation stops with a fault.
    ///
    /// # Panics
    /// If `slot` is not below [`crate::contacts::CONTACT_SLOTS`].
    pub fn set_impedance(&mut self, slot: usize, ohms: u32) {
        self.impedance.ohms[slot] = ohms;
        let in_use = self.program_set().is_some_and(|s| {
            s.programs
                .iter()
                .any(|p| p.electrodes.contacts[slot].polarity != Polarity::Off)
        });
        if in_use && matches!(self.state, State::Running | State::Ramping) {
            if let Some(engine) = &self.engine {
                if let Err(e) = validate(engine.set().set(), &self.limits, &self.impedance) {
                    self.silence();
                    self.stopping = false;
                    self.fault = Some(e);
                    self.state = State::Fault;
                }
            }
        }
    }

    /// Recharges the battery (the virtual device's charger); an empty device wakes idle.
    pub fn recharge_battery(&mut self) {
        self.battery.recharge();
        if self.state == State::Off {
            self.state = State::Idle;
        }
    }

    /// A snapshot for telemetry at the device's last advanced time.
    pub fn status(&self) -> Status {
        let mut amplitude_ua = [0; MAX_PROGRAMS];
        let mut target_ua = [0; MAX_PROGRAMS];
        let mut drain_na = 0u64;
        let programs = self.engine.as_ref().map_or(0, |e| e.set().patterns().len());
        if let Some(engine) = &self.engine {
            for program in 0..programs {
                let running = self.stimulating() && engine.running() & (1 << program) != 0;
                amplitude_ua[program] = if running {
                    engine.amplitude_at(program, self.now)
                } else {
                    0
                };
                target_ua[program] = self.targets[program];
                let pattern = &engine.set().patterns()[program];
                // µA × ‰·µs ÷ µs = nA, averaged over the period.
                drain_na += amplitude_ua[program] as u64
                    * pattern.driven_charge()
                    * pattern.period.den as u64
                    / pattern.period.num as u64;
            }
        }
        Status {
            state: self.state,
            selection: self.selection,
            programs: programs as u8,
            amplitude_ua,
            target_ua,
            battery_permille: self.battery.permille(),
            battery_tenths_of_hours: self.battery.tenths_of_hours_left(drain_na),
            counters: self.counters,
        }
    }
}

/// Ramping while an engine's ramp is under way at `now`, else running.
fn ramping_or_running(engine: &Engine, now: TimeUs) -> State {
    if engine.ramps_done(now) {
        State::Running
    } else {
        State::Ramping
    }
}

fn mask(selection: Selection) -> u8 {
    match selection {
        Selection::All => 0x0f,
        Selection::One(p) => 1 << p,
    }
}
