//! What the contacts actually receive, from the events the engine and the device play:
//! every run of one sign within the charge limits at the top of the patient range, the
//! net charge back to zero after any sequence of commands, and every rise of amplitude no
//! steeper than the soft start.

use proptest::prelude::*;
use stim_core::audit::Audit;
use stim_core::contacts::{Electrodes, Polarity, CASE, CONTACT_SLOTS};
use stim_core::device::{Command, Device, Selection, State};
use stim_core::engine::{Engine, PhaseEvent, DISCHARGE_PERMILLE};
use stim_core::error::SafetyError;
use stim_core::lead::{LeadKind, CASE_AREA_MM2_X100};
use stim_core::pattern::PhaseKind;
use stim_core::presets;
use stim_core::program::{AmplitudeRange, Program, ProgramSet, Stage, Waveform};
use stim_core::safety::{validate, Limits, ValidatedSet};

mod strategies;
use strategies::program_set;

/// Whether a run of `charge_fc` through a contact of `area_mm2_x100` is within the
/// density limit and Shannon's (computed here from the paper's formula, not the crate's).
fn within_limits(charge_fc: u64, area_mm2_x100: u32, limits: &Limits) -> Result<(), String> {
    let q_uc = charge_fc as f64 * 1e-9;
    let area_cm2 = area_mm2_x100 as f64 * 1e-4;
    let density = q_uc / area_cm2;
    if density * 1_000.0 > limits.max_density_nc_per_cm2 as f64 + 1.0 {
        return Err(format!("{density:.3} µC/cm² per run"));
    }
    // Shannon (1992): log10(D) + log10(Q) ≤ k.
    let k = density.log10() + q_uc.log10();
    if q_uc > 0.0 && k > limits.shannon_k_x100 as f64 / 100.0 + 1e-9 {
        return Err(format!("Shannon k = {k:.4} for {q_uc:.4} µC"));
    }
    Ok(())
}

fn area(lead: LeadKind, slot: usize) -> u32 {
    if slot == CASE {
        CASE_AREA_MM2_X100
    } else {
        lead.contact_area_mm2_x100()
    }
}

/// Every contact's largest run, against the limits.
fn audit_within_limits(audit: &Audit, lead: LeadKind, limits: &Limits) -> Result<(), String> {
    for slot in 0..CONTACT_SLOTS {
        within_limits(audit.peak_run_fc(slot), area(lead, slot), limits)
            .map_err(|why| format!("slot {slot}: {why}"))?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, max_global_rejects: 8_192, ..ProptestConfig::default() })]

    /// Every accepted program (every waveform, custom trains of stages of one sign back to
    /// back among them), played at the top of each patient range: the largest charge any
    /// run of one sign puts through any contact is within both limits.
    #[test]
    fn every_run_played_at_the_patient_top_is_within_the_limits(set in program_set()) {
        let limits = Limits::default();
        let valid = validate(&set, &limits, &Default::default());
        prop_assume!(valid.is_ok());
        let valid = valid.unwrap();
        let mut engine = Engine::new(valid.clone(), 0);
        for program in 0..set.programs.len() {
            engine.set_level(program, valid.ceiling(program), 0, 0);
        }
        let mut audit = Audit::default();
        // Three periods of every program.
        let phases: usize = valid.patterns().iter().map(|p| p.phases.len()).sum();
        for event in engine.take(3 * phases) {
            audit.record(&event);
        }
        prop_assert!(audit.is_neutral(), "whole periods are balanced");
        if let Err(why) = audit_within_limits(&audit, set.lead, &limits) {
            prop_assert!(false, "{}", why);
        }
    }
}

fn bipole_with(waveform: Waveform) -> ProgramSet {
    ProgramSet::new(
        LeadKind::Percutaneous8,
        &[Program {
            waveform,
            ..presets::tonic_bipole()
        }],
    )
}

fn stages(list: &[(u32, i16)]) -> heapless::Vec<Stage, 16> {
    list.iter()
        .map(|&(duration_us, amplitude_permille)| Stage {
            duration_us,
            amplitude_permille,
        })
        .collect()
}

#[test]
fn a_long_phase_written_as_eight_short_stages_is_refused_as_the_long_phase() {
    // 8 × 125 µs at full current, then the 1000 µs recharge: the contact sees one
    // 1000 µs phase. At the patient top of 6 mA that is 6 µC at E4: 49 µC/cm², above 30.
    let mut train: Vec<(u32, i16)> = vec![(125, 1_000); 8];
    train.push((1_000, -1_000));
    let set = bipole_with(Waveform::Custom {
        period_us: 20_000,
        stages: stages(&train),
    });
    let refusal = validate(&set, &Limits::default(), &Default::default());
    assert_eq!(
        refusal,
        Err(SafetyError::ChargeDensity {
            program: 0,
            contact: 3,
            amplitude_ua: 6_000,
            charge_nc: 6_000,
            density_nc_per_cm2: 48_979,
            limit_nc_per_cm2: 30_000
        })
    );
    // One 125 µs stage and its return (0.75 µC) is within the limits: the refusal above
    // comes from joining the stages, as the engine plays them.
    let single = bipole_with(Waveform::Custom {
        period_us: 20_000,
        stages: stages(&[(125, 1_000), (125, -1_000)]),
    });
    assert!(validate(&single, &Limits::default(), &Default::default()).is_ok());
}

#[test]
fn the_engine_never_plays_above_the_validated_ceiling() {
    let set = ProgramSet::new(LeadKind::Percutaneous8, &[presets::tonic_bipole()]);
    let valid = validate(&set, &Limits::default(), &Default::default()).unwrap();
    let mut engine = Engine::new(valid, 0);
    // No caller can ask for more than the patient top (6 mA), nor overflow the nA.
    engine.set_level(0, u32::MAX, 0, 0);
    engine.set_level(3, 5_000, 0, 0); // a program the set does not have: silent
    let first = engine.next().unwrap();
    assert_eq!(first.currents_na[3], -6_000_000);
    assert_eq!(first.program, 0);
}

/// What a user or a link can do to a device, for the state-machine properties.
#[derive(Clone, Debug)]
enum Act {
    Load(usize),
    Start,
    Stop,
    Amplitude(u8, u32),
    Select(Option<u8>),
    Impedance(usize, u32),
    EmergencyStop,
    Clear,
}

fn act() -> impl Strategy<Value = Act> {
    prop_oneof![
        2 => (0usize..3).prop_map(Act::Load),
        3 => Just(Act::Start),
        2 => Just(Act::Stop),
        4 => (0u8..3, 0u32..=100).prop_map(|(p, f)| Act::Amplitude(p, f)),
        1 => proptest::option::of(0u8..3).prop_map(Act::Select),
        1 => (0usize..8, prop::sample::select(vec![800u32, 1_200, 9_000, 20])).prop_map(|(s, o)| Act::Impedance(s, o)),
        1 => Just(Act::EmergencyStop),
        1 => Just(Act::Clear),
    ]
}

/// Three sets a session moves between: `first`, the same contacts and waveform with
/// another range (a re-load that keeps the amplitude), and `second`.
fn session_sets(first: ProgramSet, second: ProgramSet, ramps: (u32, u32)) -> Vec<ProgramSet> {
    let mut same_contacts = first.clone();
    for program in same_contacts.programs.iter_mut() {
        program.patient_range.max_ua = program.amplitude_ua + 200;
    }
    let mut sets = vec![first, same_contacts, second];
    for set in sets.iter_mut() {
        (set.soft_start_ms, set.soft_stop_ms) = ramps;
    }
    sets
}

fn accepted_set() -> impl Strategy<Value = ProgramSet> {
    program_set().prop_filter("accepted by the safety rules", |set| {
        validate(set, &Limits::default(), &Default::default()).is_ok()
    })
}

/// Carries out `act` at `now`, as the board or the virtual device would.
fn apply(device: &mut Device, sets: &[ProgramSet], now: u64, act: &Act) {
    let command = match act {
        Act::Load(i) => Command::LoadProgramSet(sets[*i].clone()),
        Act::Start => Command::Start,
        Act::Stop => Command::Stop,
        Act::Amplitude(program, fraction) => {
            let Some(set) = device.program_set() else {
                return;
            };
            let Some(p) = set.programs.get(*program as usize) else {
                return;
            };
            let range = p.patient_range;
            Command::SetAmplitude {
                program: *program,
                amplitude_ua: range.min_ua + (range.max_ua - range.min_ua) * fraction / 100,
            }
        }
        Act::Select(one) => Command::SelectProgram(one.map_or(Selection::All, Selection::One)),
        Act::Impedance(slot, ohms) => {
            device.set_impedance(*slot, *ohms);
            return;
        }
        Act::EmergencyStop => Command::EmergencyStop,
        Act::Clear => Command::ClearFault,
    };
    // A refusal changes nothing; it is the safety tests' business.
    let _ = device.handle(now, command);
}

/// The longest a pulse under way and an emergency discharge can take, over `sets`: the
/// bound within which the contacts are neutral again.
fn settle_us(sets: &[ValidatedSet]) -> u64 {
    sets.iter()
        .flat_map(|v| v.patterns().iter())
        .map(|p| {
            p.period.shortest_us() as u64
                + 1
                + p.stimulating_weight() / DISCHARGE_PERMILLE as u64
                + 1
        })
        .max()
        .unwrap_or(0)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, max_global_rejects: 8_192, ..ProptestConfig::default() })]

    /// Random commands at random times (load, start, stop, amplitude, select, impedance
    /// faults, emergency stops, clears), then a stop or an emergency stop: within one
    /// period plus one discharge every contact's net charge is zero to the femtocoulomb,
    /// and no run ever played leaves the limits.
    #[test]
    fn any_command_sequence_leaves_every_contact_neutral(
        first in accepted_set(),
        second in accepted_set(),
        ramps in (prop::sample::select(vec![0u32, 200, 1_000]), prop::sample::select(vec![0u32, 300])),
        acts in proptest::collection::vec((0u64..40_000, act()), 1..30),
        last in prop::sample::select(vec![Act::Stop, Act::EmergencyStop]),
    ) {
        let sets = session_sets(first, second, ramps);
        let valid: Vec<ValidatedSet> = sets
            .iter()
            .filter_map(|s| validate(s, &Limits::default(), &Default::default()).ok())
            .collect();
        let mut device = Device::default();
        let mut audit = Audit::default();
        let mut last_end = 0;
        let mut overlap = None;
        let mut record = |event: &PhaseEvent| {
            if event.start_us < last_end && overlap.is_none() {
                overlap = Some(event.start_us);
            }
            last_end = last_end.max(event.end_us());
            audit.record(event);
        };
        let mut now = 0;
        for (dt, act) in acts.iter().chain([(7_000, last.clone())].iter()) {
            now += dt;
            device.advance(now, &mut record);
            apply(&mut device, &sets, now, act);
        }
        // A soft stop takes its ramp; then the pulse under way, or the discharge, ends.
        let settle = settle_us(&valid) + ramps.1 as u64 * 1_000;
        device.advance(now + settle, &mut record);
        prop_assert!(overlap.is_none(), "two phases overlap at {:?} µs", overlap);
        prop_assert!(
            matches!(device.state(), State::Idle | State::EmergencyStopped | State::Fault),
            "stopped, not {:?}", device.state()
        );
        for slot in 0..CONTACT_SLOTS {
            prop_assert_eq!(audit.net_fc(slot), 0, "net charge left at slot {} {} µs after the last command", slot, settle);
        }
        if let Err(why) = audit_within_limits(&audit, LeadKind::Percutaneous8, &Limits::default()) {
            prop_assert!(false, "{}", why);
        }
    }

    /// However the amplitude comes to rise (the soft start, a remote press, a re-load with
    /// the same contacts, the first amplitude after a contact change, a newly selected
    /// program), no pulse is higher than the one before it by more than the soft start's
    /// slope allows: the patient top × the time between them ÷ the soft start.
    #[test]
    fn every_rise_follows_the_soft_start(
        first in accepted_set(),
        second in accepted_set(),
        soft_start_ms in prop::sample::select(vec![100u32, 1_000, 4_000]),
        acts in proptest::collection::vec((0u64..60_000, act()), 1..30),
    ) {
        // The amplitude of a pulse is read from its stimulating phase, which is at full
        // weight (1000 ‰) for every waveform but custom trains.
        let not_custom = |s: &ProgramSet| s.programs.iter().all(|p| !matches!(p.waveform, Waveform::Custom { .. }));
        prop_assume!(not_custom(&first) && not_custom(&second));
        let sets = session_sets(first, second, (soft_start_ms, 0));
        let top: Vec<u64> = (0..4)
            .map(|p| sets.iter().filter_map(|s| s.programs.get(p)).map(|p| p.patient_range.max_ua as u64).max().unwrap_or(0))
            .collect();
        let soft_start_us = soft_start_ms as u64 * 1_000;
        let longest_period = sets
            .iter()
            .filter_map(|s| validate(s, &Limits::default(), &Default::default()).ok())
            .flat_map(|v| v.patterns().iter().map(|p| p.period.shortest_us() as u64 + 1).collect::<Vec<_>>())
            .max()
            .unwrap_or(0);
        let mut device = Device::default();
        // Per program: the last pulse's time, and since when (and at what) it has held.
        let mut seen: [Option<(u64, u64, u64)>; 4] = [None; 4];
        let mut steep = None;
        let mut record = |event: &PhaseEvent| {
            if event.kind != PhaseKind::Stimulating {
                return;
            }
            let program = event.program as usize;
            let amplitude = event.sourced_na() as u64 / 1_000;
            let t = event.start_us;
            // After silence (no pulse for over two periods — a re-load may wait out the
            // pulse under way and the new slot's offset — or none yet) a program comes
            // back from zero: its first pulse is at most one period up the ramp. Else it
            // is compared with the first pulse at the previous amplitude (the amplitude
            // is sampled once a period; a burst's later pulses repeat it).
            let (from, since) = match seen[program] {
                Some((last, since, before)) if t - last <= 2 * longest_period + 1_000 => {
                    (before, since)
                }
                _ => (0, t.saturating_sub(longest_period)),
            };
            let allowed = (top[program] * (t - since)).div_ceil(soft_start_us) + 1;
            if amplitude > from + allowed && steep.is_none() {
                steep = Some((t, from, amplitude, allowed));
            }
            let since = if amplitude == from { since } else { t };
            seen[program] = Some((t, since, amplitude));
        };
        let mut now = 0;
        for (dt, act) in &acts {
            now += dt;
            device.advance(now, &mut record);
            apply(&mut device, &sets, now, act);
        }
        device.advance(now + 200_000, &mut record);
        prop_assert!(steep.is_none(), "at {:?} (µs, from µA, to µA, allowed step µA)", steep);
    }
}

/// The tonic preset at 2 mA, `command` at 210 µs (between its stimulating phase and its
/// recharge), and what played until 100 ms.
fn mid_pulse(command: Command) -> (Device, Vec<PhaseEvent>) {
    let mut device = running_tonic(0);
    let mut events = vec![];
    device.advance(210, |e| events.push(*e));
    device.handle(210, command).unwrap();
    device.advance(100_000, |e| events.push(*e));
    (device, events)
}

#[test]
fn an_emergency_stop_mid_pulse_discharges_what_the_pulse_delivered() {
    // Tonic 200 µs at 2 mA (E4 −, E5 +), stopped at 210 µs: after the stimulating phase
    // (0–200 µs), before its recharge (220 µs).
    let (device, events) = mid_pulse(Command::EmergencyStop);
    // The stimulating phase, the gap, then 400 nC at E4 returned at 10 % of 2 mA: 2 ms.
    let discharge = events.last().unwrap();
    assert_eq!(discharge.kind, PhaseKind::PassiveRecharge);
    assert_eq!(
        (discharge.start_us, discharge.duration_us),
        (220, 2_000),
        "from the end of the gap being played"
    );
    assert_eq!(discharge.currents_na[3], 200_000);
    let mut audit = Audit::default();
    events.iter().for_each(|e| audit.record(e));
    assert!(audit.is_neutral());
    assert_eq!(device.status().counters.discharged.nanocoulombs(), 400);
    assert_eq!(device.state(), State::EmergencyStopped);
}

#[test]
fn a_stop_mid_pulse_lets_the_recharge_play() {
    let (device, events) = mid_pulse(Command::Stop);
    assert_eq!(device.state(), State::Idle);
    // Stimulating, gap, and the mirrored recharge at 220 µs — nothing after it.
    let shape: Vec<_> = events
        .iter()
        .map(|e| (e.start_us, e.kind, e.currents_na[3]))
        .collect();
    assert_eq!(
        shape,
        [
            (0, PhaseKind::Stimulating, -2_000_000),
            (200, PhaseKind::Interphase, 0),
            (220, PhaseKind::ActiveRecharge, 2_000_000)
        ]
    );
}

#[test]
fn a_remote_press_up_ramps_when_a_soft_start_is_programmed() {
    // 1 s soft start, 2 mA running; the patient presses up to 5 mA. The patient top is
    // 6 mA, so the rise of 3 mA takes (5 − 2) / 5 of the soft start: 600 ms.
    let mut device = running_tonic(1_000);
    device.advance(2_000_000, |_| {});
    assert_eq!(device.state(), State::Running);
    let set_amplitude = Command::SetAmplitude {
        program: 0,
        amplitude_ua: 5_000,
    };
    device.handle(2_000_000, set_amplitude).unwrap();
    assert_eq!(device.state(), State::Ramping);
    device.advance(2_300_000, |_| {});
    assert_eq!(device.status().amplitude_ua[0], 3_500, "half way at 300 ms");
    device.advance(2_600_000, |_| {});
    assert_eq!(device.state(), State::Running);
    assert_eq!(device.status().amplitude_ua[0], 5_000);
}

#[test]
fn a_reload_with_the_same_contacts_keeps_the_amplitude_without_a_step() {
    let mut set = ProgramSet::new(LeadKind::Percutaneous8, &[presets::tonic_bipole()]);
    set.soft_start_ms = 1_000;
    let mut device = Device::default();
    device
        .handle(0, Command::LoadProgramSet(set.clone()))
        .unwrap();
    device.handle(0, Command::Start).unwrap();
    device.advance(1_500_000, |_| {});
    // The same contacts and waveform, a new range: the patient's 2 mA carries on.
    set.programs[0].patient_range = AmplitudeRange {
        min_ua: 0,
        max_ua: 4_000,
    };
    device
        .handle(1_500_000, Command::LoadProgramSet(set))
        .unwrap();
    let mut amplitudes = vec![];
    device.advance(1_600_000, |e| {
        if e.kind == PhaseKind::Stimulating {
            amplitudes.push(-e.currents_na[3] / 1_000);
        }
    });
    assert!(amplitudes.iter().all(|&a| a == 2_000), "{amplitudes:?}");
    // Changed contacts start from zero.
    let mut moved = ProgramSet::new(LeadKind::Percutaneous8, &[presets::tonic_bipole()]);
    moved.programs[0].electrodes =
        Electrodes::off()
            .with(5, Polarity::Cathode, 100)
            .with(6, Polarity::Anode, 100);
    device
        .handle(1_600_000, Command::LoadProgramSet(moved))
        .unwrap();
    assert_eq!(device.status().target_ua[0], 0);
}

/// A device running the tonic preset at 2 mA from time 0, with `soft_start_ms`.
fn running_tonic(soft_start_ms: u32) -> Device {
    let mut set = ProgramSet::new(LeadKind::Percutaneous8, &[presets::tonic_bipole()]);
    set.soft_start_ms = soft_start_ms;
    let mut device = Device::default();
    device.handle(0, Command::LoadProgramSet(set)).unwrap();
    device.handle(0, Command::Start).unwrap();
    device
}

#[test]
fn a_command_stamped_before_the_device_time_still_lets_the_pulse_finish() {
    // A board plays ahead of its clock: the device is at 210 µs (stimulating phase and gap
    // played) when a command stamped 0 µs arrives. The recharge must still come.
    let mut device = running_tonic(0);
    let mut audit = Audit::default();
    device.advance(210, |e| audit.record(e));
    let set_amplitude = Command::SetAmplitude {
        program: 0,
        amplitude_ua: 1_000,
    };
    device.handle(0, set_amplitude).unwrap();
    device.handle(0, Command::Stop).unwrap();
    device.advance(100_000, |e| audit.record(e));
    assert!(audit.is_neutral(), "E4 keeps {} fC", audit.net_fc(3));
}

#[test]
fn a_program_brought_back_by_a_reload_ramps_up_again() {
    // Two programs at 2 mA with a 4 s soft start; program 1 alone is selected, then a set
    // with program 0 alone (same contacts and waveform) is loaded: program 0 was silent,
    // so it starts from zero, not at its old 2 mA.
    let mut set = ProgramSet::new(
        LeadKind::Percutaneous8,
        &[presets::tonic_bipole(), presets::lower_monopolar()],
    );
    set.soft_start_ms = 4_000;
    let mut device = Device::default();
    device
        .handle(0, Command::LoadProgramSet(set.clone()))
        .unwrap();
    device.handle(0, Command::Start).unwrap();
    device.advance(5_000_000, |_| {});
    device
        .handle(5_000_000, Command::SelectProgram(Selection::One(1)))
        .unwrap();
    device.advance(6_000_000, |_| {});
    set.programs.truncate(1);
    device
        .handle(6_000_000, Command::LoadProgramSet(set))
        .unwrap();
    let mut first = None;
    device.advance(6_100_000, |e| {
        if e.kind == PhaseKind::Stimulating && first.is_none() {
            first = Some(-e.currents_na[3] / 1_000);
        }
    });
    // 20 ms into a 4 s ramp to 2 mA: 10 µA, far from 2 mA.
    assert!(first.unwrap() <= 20, "{first:?} µA");
}

#[test]
fn start_during_a_soft_stop_ramps_back_up() {
    let mut set = ProgramSet::new(LeadKind::Percutaneous8, &[presets::tonic_bipole()]);
    set.soft_stop_ms = 1_000;
    let mut device = Device::default();
    device.handle(0, Command::LoadProgramSet(set)).unwrap();
    device.handle(0, Command::Start).unwrap();
    device.advance(1_000_000, |_| {});
    device.handle(1_000_000, Command::Stop).unwrap();
    device.advance(1_100_000, |_| {});
    device.handle(1_100_000, Command::Start).unwrap();
    device.advance(3_000_000, |_| {});
    assert_eq!(device.state(), State::Running);
    assert_eq!(device.status().amplitude_ua[0], 2_000);
}

#[test]
fn a_contact_that_shorted_while_idle_is_refused_at_start() {
    let set = ProgramSet::new(LeadKind::Percutaneous8, &[presets::tonic_bipole()]);
    let mut device = Device::default();
    device.handle(0, Command::LoadProgramSet(set)).unwrap();
    device.set_impedance(3, 20);
    assert!(matches!(
        device.handle(0, Command::Start),
        Err(stim_core::device::CommandError::Unsafe(
            SafetyError::ContactImpedance { contact: 3, .. }
        ))
    ));
    let mut phases = 0;
    device.advance(1_000_000, |_| phases += 1);
    assert_eq!(phases, 0);
}

#[test]
fn cycling_whose_on_time_falls_between_the_pulses_is_refused() {
    // 50 Hz starting 12 ms into each 20 ms period, on 10 ms / off 10 ms: every pulse would
    // fall in an off time, and the engine would look for one forever.
    let mut set = ProgramSet::new(
        LeadKind::Percutaneous8,
        &[Program {
            offset_us: 12_000,
            ..presets::tonic_bipole()
        }],
    );
    set.cycling = Some(stim_core::program::Cycling {
        on_ms: 10,
        off_ms: 10,
    });
    assert_eq!(
        validate(&set, &Limits::default(), &Default::default()).map(|_| ()),
        Err(SafetyError::SetOutOfRange {
            parameter: stim_core::error::Parameter::CyclingOn,
            value: 10,
            min: 21,
            max: 86_400_000
        })
    );
}

#[test]
fn each_cycling_on_time_starts_with_the_soft_start() {
    // 2 mA, 4 s soft start, on 10 s / off 10 s: the first pulse of the second on time (at
    // 20 s) is not 2 mA at once; it ramps up again.
    let mut set = ProgramSet::new(LeadKind::Percutaneous8, &[presets::tonic_bipole()]);
    set.soft_start_ms = 4_000;
    set.cycling = Some(stim_core::program::Cycling {
        on_ms: 10_000,
        off_ms: 10_000,
    });
    let mut device = Device::default();
    device.handle(0, Command::LoadProgramSet(set)).unwrap();
    device.handle(0, Command::Start).unwrap();
    let mut after_off = vec![];
    device.advance(22_000_000, |e| {
        if e.kind == PhaseKind::Stimulating && e.start_us >= 20_000_000 {
            after_off.push(-e.currents_na[3] / 1_000);
        }
    });
    // The slot at 20 s is at zero and silent; the next, 20 ms into the 4 s ramp, carries
    // 2000 µA × 20 / 4000 = 10 µA.
    assert_eq!(after_off[0], 10);
    assert!(after_off.windows(2).all(|w| w[1] >= w[0]));
}
