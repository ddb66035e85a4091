//! The safety rules a program set must pass before it runs (in the app and again on the
//! device): ranges, polarity, charge balance, charge density, Shannon, compliance.
//!
//! # References
//! - R. V. Shannon, "A model of safe levels for electrical stimulation", IEEE Trans.
//!   Biomed. Eng. 39(4):424–426, 1992: log10(D) = k − log10(Q), D in µC/cm² per phase,
//!   Q in µC per phase; k = 1.85 is the usual limit.
//! - Device manuals warn above 30 µC/cm² per phase for platinum-iridium contacts.
//!
//! Every charge is checked at the highest amplitude the program can reach (the larger of
//! the programmed amplitude and the top of the patient range), so no remote press can
//! leave the validated envelope.

use heapless::Vec;

use crate::contacts::{Polarity, CASE, CONTACT_SLOTS};
use crate::error::{Parameter, SafetyError};
use crate::impedance::ImpedanceModel;
use crate::lead::CASE_AREA_MM2_X100;
use crate::pattern::Pattern;
use crate::program::{Program, ProgramSet, Recharge, Waveform, MAX_PROGRAMS};
use crate::units::MicroAmps;

/// The most current the stimulator's hardware can make (25.5 mA).
pub const HARDWARE_MAX_UA: MicroAmps = 25_500;

/// The clinician's limits (settings, with the usual values as defaults).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Limits {
    /// Highest amplitude any program may reach.
    pub max_amplitude_ua: MicroAmps,
    /// Shannon's k × 100 (185 → k = 1.85; 150 is a conservative choice).
    pub shannon_k_x100: u16,
    /// Charge density limit, nC/cm² per phase (30 000 = 30 µC/cm²).
    pub max_density_nc_per_cm2: u32,
    /// Compliance voltage, mV: amplitude × impedance above it cannot be delivered.
    pub compliance_mv: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_amplitude_ua: HARDWARE_MAX_UA,
            shannon_k_x100: 185,
            max_density_nc_per_cm2: 30_000,
            compliance_mv: 12_000,
        }
    }
}

/// A program set that passed every rule, with its compiled patterns. Only [`validate`]
/// makes one, so holding one is proof of the check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidatedSet {
    set: ProgramSet,
    patterns: Vec<Pattern, MAX_PROGRAMS>,
    ceilings: [MicroAmps; MAX_PROGRAMS],
}

impl ValidatedSet {
    /// The program set as loaded.
    pub fn set(&self) -> &ProgramSet {
        &self.set
    }

    /// The compiled pattern of each program.
    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// The highest amplitude `program` was validated at (µA): the top of its patient
    /// range. Nothing may play more; 0 for a program the set does not have.
    pub fn ceiling(&self, program: usize) -> MicroAmps {
        self.ceilings.get(program).copied().unwrap_or(0)
    }
}

/// Checks `set` against every rule; the first broken rule is the error.
pub fn validate(
    set: &ProgramSet,
    limits: &Limits,
    impedance: &ImpedanceModel,
) -> Result<ValidatedSet, SafetyError> {
    if set.programs.is_empty() {
        return Err(SafetyError::NoProgram);
    }
    check_set_settings(set)?;
    let mut patterns = Vec::new();
    let mut ceilings = [0; MAX_PROGRAMS];
    for (index, program) in set.programs.iter().enumerate() {
        check_electrodes(index, program, set.lead.contacts())?;
        check_ranges(index, program)?;
        let ceiling = check_amplitude(index, program, limits)?;
        ceilings[index] = ceiling;
        let pattern = Pattern::compile(index, program)?;
        let (delivered, returned) = (pattern.stimulating_weight(), pattern.returning_weight());
        if delivered != returned {
            return Err(SafetyError::ChargeImbalance {
                program: index,
                delivered,
                returned,
            });
        }
        check_charge(
            index,
            program,
            &pattern,
            ceiling,
            set.lead.contact_area_mm2_x100(),
            limits,
        )?;
        check_impedance(index, program, &pattern, ceiling, limits, impedance)?;
        // Capacity is MAX_PROGRAMS, the same as the programs' own vector.
        let _ = patterns.push(pattern);
    }
    check_interleaving(set, &patterns)?;
    check_cycling_on_time(set, &patterns)?;
    Ok(ValidatedSet {
        set: set.clone(),
        patterns,
        ceilings,
    })
}

/// Cycling and ramps: a day at most; cycling needs an on time (1 ms or more).
fn check_set_settings(set: &ProgramSet) -> Result<(), SafetyError> {
    const DAY_MS: u32 = 86_400_000;
    let r = |parameter, value, min, max| {
        if (min..=max).contains(&value) {
            Ok(())
        } else {
            Err(SafetyError::SetOutOfRange {
                parameter,
                value,
                min,
                max,
            })
        }
    };
    if let Some(cycling) = set.cycling {
        r(Parameter::CyclingOn, cycling.on_ms, 1, DAY_MS)?;
        r(Parameter::CyclingOff, cycling.off_ms, 0, DAY_MS)?;
    }
    r(Parameter::Ramp, set.soft_start_ms, 0, 30_000)?;
    r(Parameter::Ramp, set.soft_stop_ms, 0, 30_000)
}

fn check_electrodes(
    index: usize,
    program: &Program,
    lead_contacts: usize,
) -> Result<(), SafetyError> {
    let e = &program.electrodes;
    if !e.has(Polarity::Cathode) {
        return Err(SafetyError::NoCathode { program: index });
    }
    if !e.has(Polarity::Anode) {
        return Err(SafetyError::NoAnode { program: index });
    }
    for polarity in [Polarity::Cathode, Polarity::Anode] {
        let sum_pct = e.share_sum(polarity);
        if sum_pct != 100 {
            return Err(SafetyError::SharesDoNotAddUp {
                program: index,
                polarity,
                sum_pct,
            });
        }
    }
    let beyond_lead = e.contacts[lead_contacts..CASE]
        .iter()
        .position(|c| c.polarity != Polarity::Off);
    if let Some(offset) = beyond_lead {
        return Err(SafetyError::ContactNotOnLead {
            program: index,
            contact: lead_contacts + offset,
            lead_contacts,
        });
    }
    Ok(())
}

fn in_range(
    index: usize,
    parameter: Parameter,
    value: u32,
    min: u32,
    max: u32,
) -> Result<(), SafetyError> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(SafetyError::OutOfRange {
            program: index,
            parameter,
            value,
            min,
            max,
        })
    }
}

fn check_ranges(index: usize, program: &Program) -> Result<(), SafetyError> {
    let r = |parameter, value, min, max| in_range(index, parameter, value, min, max);
    match &program.waveform {
        Waveform::Tonic { rate_hz, width_us } => {
            r(Parameter::Rate, *rate_hz as u32, 2, 1_200)?;
            r(Parameter::PulseWidth, *width_us, 20, 1_000)?;
        }
        Waveform::HighFrequency { rate_hz, width_us } => {
            r(Parameter::Rate, *rate_hz as u32, 1_000, 10_000)?;
            r(Parameter::PulseWidth, *width_us, 20, 100)?;
        }
        Waveform::Burst {
            burst_rate_hz,
            pulses,
            intra_rate_hz,
            width_us,
        } => {
            r(Parameter::BurstRate, *burst_rate_hz as u32, 1, 100)?;
            r(Parameter::PulsesPerBurst, *pulses as u32, 1, 10)?;
            r(Parameter::IntraBurstRate, *intra_rate_hz as u32, 100, 1_000)?;
            r(Parameter::PulseWidth, *width_us, 20, 1_000)?;
        }
        Waveform::Custom { period_us, stages } => {
            r(Parameter::TrainPeriod, *period_us, 100, 1_000_000)?;
            r(
                Parameter::Stages,
                stages.len() as u32,
                1,
                crate::program::MAX_STAGES as u32,
            )?;
            for stage in stages {
                r(Parameter::StageDuration, stage.duration_us, 1, 100_000)?;
                // Compared as an offset from −1000 so the range stays unsigned.
                in_range(
                    index,
                    Parameter::StageAmplitude,
                    (stage.amplitude_permille as i32 + 1_000) as u32,
                    0,
                    2_000,
                )
                .map_err(|_| SafetyError::OutOfRange {
                    program: index,
                    parameter: Parameter::StageAmplitude,
                    value: stage.amplitude_permille.unsigned_abs() as u32,
                    min: 0,
                    max: 1_000,
                })?;
            }
        }
    }
    r(Parameter::InterphaseGap, program.interphase_gap_us, 0, 100)?;
    if let Recharge::Passive {
        width_us,
        amplitude_permille,
    } = program.recharge
    {
        r(Parameter::RechargeWidth, width_us, 20, 50_000)?;
        r(
            Parameter::RechargeAmplitude,
            amplitude_permille as u32,
            1,
            1_000,
        )?;
    }
    Ok(())
}

/// Checks the amplitude rules; returns the highest amplitude the program can reach.
fn check_amplitude(
    index: usize,
    program: &Program,
    limits: &Limits,
) -> Result<MicroAmps, SafetyError> {
    let range = program.patient_range;
    if range.min_ua > range.max_ua {
        return Err(SafetyError::PatientRangeEmpty { program: index });
    }
    let ceiling = program.amplitude_ua.max(range.max_ua);
    let max_ua = limits.max_amplitude_ua.min(HARDWARE_MAX_UA);
    if ceiling > max_ua {
        return Err(SafetyError::AboveClinicianMaximum {
            program: index,
            amplitude_ua: ceiling,
            max_ua,
        });
    }
    if !range.contains(program.amplitude_ua) {
        return Err(SafetyError::OutsidePatientRange {
            program: index,
            amplitude_ua: program.amplitude_ua,
            min_ua: range.min_ua,
            max_ua: range.max_ua,
        });
    }
    Ok(ceiling)
}

/// Charge density and Shannon's k at each contact, for the run of one sign with the most
/// charge (as device manuals rate a phase: amplitude × pulse width), at the ceiling. A run
/// is what the engine plays as one phase (see [`Pattern::peak_run_charge`]): stages of one
/// sign back to back are one phase, so no train of short stages slips past the limits.
fn check_charge(
    index: usize,
    program: &Program,
    pattern: &Pattern,
    ceiling: MicroAmps,
    lead_area: u32,
    limits: &Limits,
) -> Result<(), SafetyError> {
    let peak_run = pattern.peak_run_charge();
    let currents = program.electrodes.split(ceiling);
    for (contact, current) in currents.iter().enumerate() {
        // µA × ‰·µs = fC.
        let charge_fc = current.unsigned_abs() as u64 * peak_run;
        if charge_fc == 0 {
            continue;
        }
        let area = if contact == CASE {
            CASE_AREA_MM2_X100
        } else {
            lead_area
        };
        // fC / (area × 10⁻⁴ cm²) → nC/cm²: ÷ 10⁶ (fC→nC) × 10⁴ (per 10⁻⁴ cm²).
        let density = charge_fc / (100 * area as u64);
        let charge_nc = charge_fc.div_ceil(1_000_000).min(u32::MAX as u64) as u32;
        if density > limits.max_density_nc_per_cm2 as u64 {
            return Err(SafetyError::ChargeDensity {
                program: index,
                contact,
                amplitude_ua: ceiling,
                charge_nc,
                density_nc_per_cm2: density.min(u32::MAX as u64) as u32,
                limit_nc_per_cm2: limits.max_density_nc_per_cm2,
            });
        }
        let q_uc = charge_fc as f64 * 1e-9;
        let d_uc_per_cm2 = q_uc / (area as f64 * 1e-4);
        let k = libm::log10(d_uc_per_cm2) + libm::log10(q_uc);
        if k * 100.0 > limits.shannon_k_x100 as f64 {
            // Rounded up for the message, so it never reads as equal to the limit.
            let k_x100 = libm::ceil(k * 100.0) as i32;
            return Err(SafetyError::Shannon {
                program: index,
                contact,
                amplitude_ua: ceiling,
                charge_nc,
                k_x100,
                limit_x100: limits.shannon_k_x100,
            });
        }
    }
    Ok(())
}

/// Contacts in use must have a normal impedance, and amplitude × impedance must stay
/// within the compliance voltage: the worst cathode plus the worst anode.
fn check_impedance(
    index: usize,
    program: &Program,
    pattern: &Pattern,
    ceiling: MicroAmps,
    limits: &Limits,
    impedance: &ImpedanceModel,
) -> Result<(), SafetyError> {
    let currents = program.electrodes.split(ceiling);
    let (mut cathode_uv, mut anode_uv) = (0u64, 0u64);
    for (contact, current) in currents.iter().enumerate().take(CONTACT_SLOTS) {
        if program.electrodes.contacts[contact].polarity == Polarity::Off {
            continue;
        }
        if let Some(fault) = impedance.fault(contact) {
            return Err(SafetyError::ContactImpedance {
                program: index,
                contact,
                ohms: impedance.ohms[contact],
                fault,
            });
        }
        // µA × Ω = µV, at the phase with the highest current.
        let uv = current.unsigned_abs() as u64
            * impedance.ohms[contact] as u64
            * pattern.peak_weight() as u64
            / 1_000;
        if *current < 0 {
            cathode_uv = cathode_uv.max(uv);
        } else {
            anode_uv = anode_uv.max(uv);
        }
    }
    let required_mv = ((cathode_uv + anode_uv) / 1_000).min(u32::MAX as u64) as u32;
    if required_mv > limits.compliance_mv {
        return Err(SafetyError::Compliance {
            program: index,
            required_mv,
            limit_mv: limits.compliance_mv,
        });
    }
    Ok(())
}

/// Cycling's on time must hold a whole period, so every on time starts a pulse whatever
/// the offsets (a shorter one could fall between the slots forever and never play).
fn check_cycling_on_time(set: &ProgramSet, patterns: &[Pattern]) -> Result<(), SafetyError> {
    let Some(cycling) = set.cycling.filter(|c| c.off_ms > 0) else {
        return Ok(());
    };
    let min = (patterns[0].period.shortest_us() + 1).div_ceil(1_000);
    if cycling.on_ms < min {
        return Err(SafetyError::SetOutOfRange {
            parameter: Parameter::CyclingOn,
            value: cycling.on_ms,
            min,
            max: 86_400_000,
        });
    }
    Ok(())
}

/// Interleaved programs share one period, and their slots (offset … offset + busy) are
/// disjoint within it.
fn check_interleaving(set: &ProgramSet, patterns: &[Pattern]) -> Result<(), SafetyError> {
    let period = patterns[0].period;
    for (index, (program, pattern)) in set.programs.iter().zip(patterns).enumerate() {
        if pattern.period != period {
            return Err(SafetyError::RatesDiffer { program: index });
        }
        let room = period.shortest_us() - pattern.busy_us();
        in_range(index, Parameter::Offset, program.offset_us, 0, room)?;
    }
    for (first, a) in set.programs.iter().enumerate() {
        for (second, b) in set.programs.iter().enumerate().skip(first + 1) {
            let a_end = a.offset_us + patterns[first].busy_us();
            let b_end = b.offset_us + patterns[second].busy_us();
            if a.offset_us < b_end && b.offset_us < a_end {
                return Err(SafetyError::Collision { first, second });
            }
        }
    }
    Ok(())
}
