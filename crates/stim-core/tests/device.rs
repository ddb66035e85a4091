//! The device state machine: transitions, and the rules of DOMAIN.md.

use stim_core::battery::Battery;
use stim_core::contacts::{Electrodes, Polarity, CASE};
use stim_core::device::{Command, CommandError, Device, Selection, State};
use stim_core::engine::PhaseEvent;
use stim_core::error::SafetyError;
use stim_core::lead::LeadKind;
use stim_core::pattern::PhaseKind;
use stim_core::presets;
use stim_core::program::{Program, ProgramSet};
use stim_core::safety::Limits;

const MS: u64 = 1_000;
const SECOND: u64 = 1_000_000;

fn set_of(programs: &[Program]) -> ProgramSet {
    ProgramSet::new(LeadKind::Percutaneous8, programs)
}

/// A device with `set` loaded, started at t = 0.
fn running(set: ProgramSet) -> Device {
    let mut device = Device::default();
    device.handle(0, Command::LoadProgramSet(set)).unwrap();
    device.handle(0, Command::Start).unwrap();
    device
}

/// Advances to `until` and returns what was played.
fn play(device: &mut Device, until: u64) -> Vec<PhaseEvent> {
    let mut events = vec![];
    device.advance(until, |e| events.push(*e));
    events
}

fn stimulating(events: &[PhaseEvent]) -> Vec<&PhaseEvent> {
    events
        .iter()
        .filter(|e| e.kind == PhaseKind::Stimulating)
        .collect()
}

#[test]
fn one_second_of_tonic_counts_50_pulses_and_20_uc() {
    let mut device = running(set_of(&[presets::tonic_bipole()]));
    assert_eq!(device.state(), State::Running);
    play(&mut device, SECOND);
    let status = device.status();
    // 50 Hz for 1 s = 50 pulses; each 2 mA × 200 µs = 0.4 µC → 20 µC.
    assert_eq!(status.counters.pulses, 50);
    assert_eq!(status.counters.phases, 150);
    assert_eq!(status.counters.delivered.nanocoulombs(), 20_000);
    assert_eq!(status.amplitude_ua[0], 2_000);
}

#[test]
fn soft_start_ramps_then_runs_and_soft_stop_ramps_to_idle() {
    let mut set = set_of(&[presets::tonic_bipole()]);
    set.soft_start_ms = 2_000;
    set.soft_stop_ms = 1_000;
    let mut device = running(set);
    assert_eq!(device.state(), State::Ramping);
    play(&mut device, SECOND);
    assert_eq!(
        device.status().amplitude_ua[0],
        1_000,
        "halfway through a 2 s ramp to 2 mA"
    );
    play(&mut device, 2 * SECOND + MS);
    assert_eq!(device.state(), State::Running);

    device.handle(2 * SECOND + MS, Command::Stop).unwrap();
    assert_eq!(device.state(), State::Ramping);
    let events = play(&mut device, 3 * SECOND + 2 * MS);
    let amplitudes: Vec<i32> = stimulating(&events)
        .iter()
        .map(|e| -e.currents_na[3] / 1_000)
        .collect();
    assert!(
        amplitudes.windows(2).all(|w| w[1] <= w[0]),
        "the soft stop only goes down: {amplitudes:?}"
    );
    assert_eq!(device.state(), State::Idle);
    assert!(
        play(&mut device, 4 * SECOND).is_empty(),
        "idle plays nothing"
    );
}

#[test]
fn emergency_stop_always_wins_and_needs_a_clear() {
    let mut set = set_of(&[presets::tonic_bipole()]);
    set.soft_start_ms = 5_000;
    let mut device = running(set);
    play(&mut device, SECOND);
    device.handle(SECOND, Command::EmergencyStop).unwrap();
    assert_eq!(device.state(), State::EmergencyStopped);
    assert!(
        play(&mut device, 2 * SECOND).is_empty(),
        "nothing after an emergency stop, mid-ramp"
    );
    assert_eq!(
        device.handle(2 * SECOND, Command::Start),
        Err(CommandError::NotNow {
            state: State::EmergencyStopped
        })
    );
    // Accepted again in every state.
    device.handle(2 * SECOND, Command::EmergencyStop).unwrap();
    device.handle(2 * SECOND, Command::ClearFault).unwrap();
    assert_eq!(device.state(), State::Idle);
    device.handle(2 * SECOND, Command::EmergencyStop).unwrap();
    assert_eq!(device.state(), State::EmergencyStopped);
}

#[test]
fn a_refused_command_changes_nothing() {
    let mut device = running(set_of(&[presets::tonic_bipole()]));
    play(&mut device, 100 * MS);
    let before = device.status();
    let program_before = device.program_set().cloned();

    // Outside the patient range (0–6 mA).
    let refused = device.handle(
        100 * MS,
        Command::SetAmplitude {
            program: 0,
            amplitude_ua: 7_000,
        },
    );
    assert_eq!(
        refused,
        Err(CommandError::OutsidePatientRange {
            program: 0,
            amplitude_ua: 7_000,
            min_ua: 0,
            max_ua: 6_000
        })
    );
    // An unsafe program set while running.
    let no_anode = Program {
        electrodes: Electrodes::off().with(3, Polarity::Cathode, 100),
        ..presets::tonic_bipole()
    };
    let refused = device.handle(100 * MS, Command::LoadProgramSet(set_of(&[no_anode])));
    assert_eq!(
        refused,
        Err(CommandError::Unsafe(SafetyError::NoAnode { program: 0 }))
    );
    // Limits the loaded set would break.
    let strict = Limits {
        max_amplitude_ua: 1_000,
        ..Limits::default()
    };
    assert!(matches!(
        device.handle(100 * MS, Command::SetLimits(strict)),
        Err(CommandError::Unsafe(_))
    ));
    assert_eq!(
        device.handle(100 * MS, Command::SelectProgram(Selection::One(3))),
        Err(CommandError::NoSuchProgram {
            program: 3,
            programs: 1
        })
    );

    assert_eq!(device.status(), before);
    assert_eq!(device.program_set().cloned(), program_before);
    assert_eq!(*device.limits(), Limits::default());
    // The last good program keeps running at its amplitude.
    let events = play(&mut device, 200 * MS);
    assert_eq!(stimulating(&events).len(), 5);
    assert!(stimulating(&events)
        .iter()
        .all(|e| e.currents_na[3] == -2_000_000));
}

#[test]
fn changing_contacts_drops_the_amplitude_to_zero_but_unchanged_programs_keep_theirs() {
    let upper = presets::tonic_bipole();
    let lower = presets::lower_monopolar();
    let mut device = running(set_of(&[upper.clone(), lower.clone()]));
    device
        .handle(
            0,
            Command::SetAmplitude {
                program: 0,
                amplitude_ua: 3_000,
            },
        )
        .unwrap();
    play(&mut device, 100 * MS);

    let moved = Program {
        electrodes: Electrodes::off().with(5, Polarity::Cathode, 100).with(
            CASE,
            Polarity::Anode,
            100,
        ),
        ..lower
    };
    device
        .handle(100 * MS, Command::LoadProgramSet(set_of(&[upper, moved])))
        .unwrap();
    let status = device.status();
    assert_eq!(
        status.target_ua,
        [3_000, 0, 0, 0],
        "program 1 kept 3 mA; program 2's contacts changed"
    );
    let events = play(&mut device, 200 * MS);
    assert!(
        stimulating(&events).iter().all(|e| e.program == 0),
        "program 2 is silent until raised again"
    );
}

#[test]
fn selecting_one_program_runs_only_that_one() {
    let upper = presets::tonic_bipole();
    let lower = Program {
        offset_us: 10_000,
        ..presets::tonic_bipole()
    };
    let mut device = running(set_of(&[upper, lower]));
    device
        .handle(0, Command::SelectProgram(Selection::One(1)))
        .unwrap();
    let events = play(&mut device, 100 * MS);
    let programs: Vec<u8> = stimulating(&events).iter().map(|e| e.program).collect();
    assert_eq!(programs, [1, 1, 1, 1, 1]);
}

#[test]
fn a_contact_that_opens_while_running_faults_the_device_until_mended() {
    let mut device = running(set_of(&[presets::tonic_bipole()]));
    play(&mut device, 50 * MS);
    device.set_impedance(3, 20_000);
    assert_eq!(device.state(), State::Fault);
    assert!(matches!(
        device.fault(),
        Some(SafetyError::ContactImpedance { contact: 3, .. })
    ));
    assert!(play(&mut device, 100 * MS).is_empty());
    assert!(matches!(
        device.handle(100 * MS, Command::ClearFault),
        Err(CommandError::Unsafe(_))
    ));
    assert_eq!(device.state(), State::Fault);
    device.set_impedance(3, 900);
    device.handle(100 * MS, Command::ClearFault).unwrap();
    assert_eq!(device.state(), State::Idle);
}

#[test]
fn an_empty_battery_turns_the_device_off() {
    // 1 mAh at a 1 mA quiescent current lasts exactly one hour.
    let mut device = Device::new(
        Limits::default(),
        Default::default(),
        Battery::new(1, 1_000_000),
    );
    device
        .handle(
            0,
            Command::LoadProgramSet(set_of(&[presets::tonic_bipole()])),
        )
        .unwrap();
    device.advance(3_599 * SECOND, |_| {});
    assert_eq!(device.state(), State::Idle);
    device.advance(3_600 * SECOND, |_| {});
    assert_eq!(device.state(), State::Off);
    assert_eq!(
        device.handle(3_600 * SECOND, Command::Start),
        Err(CommandError::NotNow { state: State::Off })
    );
    device.recharge_battery();
    assert_eq!(device.state(), State::Idle);
}

#[test]
fn the_battery_estimate_counts_the_stimulation() {
    let idle = Device::default().status().battery_tenths_of_hours;
    // Read at the start, before anything is drawn.
    let stimulating = running(set_of(&[presets::tonic_bipole()]))
        .status()
        .battery_tenths_of_hours;
    // Drain: 20 µA at rest + 2 mA × 400 µs × 50 Hz = 40 µA → a third of the idle time.
    assert_eq!(idle, 150_000);
    assert_eq!(stimulating, 50_000);
}

#[test]
fn commands_before_a_program_is_loaded_say_so() {
    let mut device = Device::default();
    assert_eq!(
        device.handle(0, Command::Start),
        Err(CommandError::NoProgramSet)
    );
    assert_eq!(
        device.handle(
            0,
            Command::SetAmplitude {
                program: 0,
                amplitude_ua: 1_000
            }
        ),
        Err(CommandError::NoProgramSet)
    );
    assert_eq!(
        CommandError::NoProgramSet.to_string(),
        "No program is loaded yet: load a program first."
    );
}

#[test]
fn a_refusal_for_program_255_reads_without_overflow() {
    // Found by the client fuzz target: messages count from 1, and 255 + 1 overflowed a u8.
    let e = stim_core::device::CommandError::NoSuchProgram {
        program: 255,
        programs: 1,
    };
    assert_eq!(e.to_string(), "There is no program 256; the set has 1.");
}
