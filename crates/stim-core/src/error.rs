//! Why a program set is refused: one variant per safety rule, with the numbers a clear
//! message needs. `Display` says it in words a clinician reads.

use core::fmt;

use crate::contacts::{ContactName, Polarity};
use crate::units::{DurationUs, MicroAmps, Thousandths};

/// A parameter with a permitted range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Parameter {
    /// Pulse rate (Hz).
    Rate,
    /// Width of the stimulating phase (µs).
    PulseWidth,
    /// Interphase gap (µs).
    InterphaseGap,
    /// Pulses in one burst.
    PulsesPerBurst,
    /// Pulse rate within a burst (Hz).
    IntraBurstRate,
    /// Bursts per second (Hz).
    BurstRate,
    /// Width of the passive recharge phase (µs).
    RechargeWidth,
    /// Current of the passive recharge phase (‰ of the amplitude).
    RechargeAmplitude,
    /// Stages in a custom train.
    Stages,
    /// Duration of a custom stage (µs).
    StageDuration,
    /// Current of a custom stage (‰ of the amplitude, either sign).
    StageAmplitude,
    /// Period of a custom train (µs).
    TrainPeriod,
    /// Start of a program's slot within the period (µs).
    Offset,
    /// Cycling's on time (ms).
    CyclingOn,
    /// Cycling's off time (ms).
    CyclingOff,
    /// Soft start or soft stop ramp (ms).
    Ramp,
}

impl Parameter {
    fn describe(self) -> (&'static str, &'static str) {
        match self {
            Parameter::Rate => ("rate", "Hz"),
            Parameter::PulseWidth => ("pulse width", "µs"),
            Parameter::InterphaseGap => ("interphase gap", "µs"),
            Parameter::PulsesPerBurst => ("pulses per burst", ""),
            Parameter::IntraBurstRate => ("rate within a burst", "Hz"),
            Parameter::BurstRate => ("burst rate", "Hz"),
            Parameter::RechargeWidth => ("passive recharge width", "µs"),
            Parameter::RechargeAmplitude => ("passive recharge current", "‰ of the amplitude"),
            Parameter::Stages => ("number of stages", ""),
            Parameter::StageDuration => ("stage duration", "µs"),
            Parameter::StageAmplitude => ("stage current", "‰ of the amplitude"),
            Parameter::TrainPeriod => ("train period", "µs"),
            Parameter::Offset => ("start offset", "µs"),
            Parameter::CyclingOn => ("cycling on time", "ms"),
            Parameter::CyclingOff => ("cycling off time", "ms"),
            Parameter::Ramp => ("soft start or stop", "ms"),
        }
    }
}

/// An impedance that says the contact is not usable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum ImpedanceFault {
    /// Too low: a short circuit.
    Short,
    /// Too high: an open circuit (a broken wire or a lost contact).
    Open,
}

/// Why a program set may not run. `program` counts from 0; messages count from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum SafetyError {
    /// The set has no program.
    NoProgram,
    /// A program has no cathode: nothing would be stimulated.
    NoCathode {
        /// Program index.
        program: usize,
    },
    /// A program has no anode: the current would have no return path.
    NoAnode {
        /// Program index.
        program: usize,
    },
    /// The shares of one polarity do not add up to 100 %.
    SharesDoNotAddUp {
        /// Program index.
        program: usize,
        /// The side whose shares are wrong.
        polarity: Polarity,
        /// What they add up to.
        sum_pct: u16,
    },
    /// A contact is used that the lead does not have.
    ContactNotOnLead {
        /// Program index.
        program: usize,
        /// Slot of the contact.
        contact: usize,
        /// Contacts the lead has.
        lead_contacts: usize,
    },
    /// A parameter is outside its permitted range.
    OutOfRange {
        /// Program index.
        program: usize,
        /// Which parameter.
        parameter: Parameter,
        /// Its value.
        value: u32,
        /// Lowest permitted.
        min: u32,
        /// Highest permitted.
        max: u32,
    },
    /// A setting of the whole set (cycling, ramps) is outside its permitted range.
    SetOutOfRange {
        /// Which parameter.
        parameter: Parameter,
        /// Its value.
        value: u32,
        /// Lowest permitted.
        min: u32,
        /// Highest permitted.
        max: u32,
    },
    /// An amplitude above what the clinician allows (or the hardware can make).
    AboveClinicianMaximum {
        /// Program index.
        program: usize,
        /// The amplitude asked for (or the top of the patient range).
        amplitude_ua: MicroAmps,
        /// The maximum.
        max_ua: MicroAmps,
    },
    /// The patient range is empty (min above max).
    PatientRangeEmpty {
        /// Program index.
        program: usize,
    },
    /// The programmed amplitude lies outside the patient range.
    OutsidePatientRange {
        /// Program index.
        program: usize,
        /// The amplitude.
        amplitude_ua: MicroAmps,
        /// Range minimum.
        min_ua: MicroAmps,
        /// Range maximum.
        max_ua: MicroAmps,
    },
    /// The phases of one period last longer than the period.
    PhasesExceedPeriod {
        /// Program index.
        program: usize,
        /// Time the phases take.
        busy_us: DurationUs,
        /// The period.
        period_us: DurationUs,
    },
    /// The pulses of a burst overlap (too fast an intra-burst rate for the width).
    PulsesOverlap {
        /// Program index.
        program: usize,
    },
    /// More phases in a period than the engine holds.
    TooManyPhases {
        /// Program index.
        program: usize,
        /// The maximum.
        max: usize,
    },
    /// The recharge does not return exactly the charge the stimulating phases deliver.
    ChargeImbalance {
        /// Program index.
        program: usize,
        /// Stimulating charge per period, in ‰·µs (nC at 1 mA ÷ 1000).
        delivered: u64,
        /// Returned charge per period, same unit.
        returned: u64,
    },
    /// Charge density at a contact above the limit (µC/cm² per phase), at the top of the
    /// patient range.
    ChargeDensity {
        /// Program index.
        program: usize,
        /// Contact slot.
        contact: usize,
        /// The amplitude it was checked at: the top of the patient range, µA.
        amplitude_ua: MicroAmps,
        /// The charge of the largest run of one sign at that contact, nC.
        charge_nc: u32,
        /// The density, nC/cm².
        density_nc_per_cm2: u32,
        /// The limit, nC/cm².
        limit_nc_per_cm2: u32,
    },
    /// Shannon's k at a contact above the limit, at the top of the patient range.
    Shannon {
        /// Program index.
        program: usize,
        /// Contact slot.
        contact: usize,
        /// The amplitude it was checked at: the top of the patient range, µA.
        amplitude_ua: MicroAmps,
        /// The charge of the largest run of one sign at that contact, nC.
        charge_nc: u32,
        /// log10(D) + log10(Q), × 100.
        k_x100: i32,
        /// The limit, × 100.
        limit_x100: u16,
    },
    /// The voltage needed (amplitude × impedance) exceeds the compliance voltage.
    Compliance {
        /// Program index.
        program: usize,
        /// Voltage needed, mV.
        required_mv: u32,
        /// Compliance, mV.
        limit_mv: u32,
    },
    /// A contact in use has an impedance that flags a short or an open circuit.
    ContactImpedance {
        /// Program index.
        program: usize,
        /// Contact slot.
        contact: usize,
        /// Its impedance, Ω.
        ohms: u32,
        /// Short or open.
        fault: ImpedanceFault,
    },
    /// Interleaved programs must share one rate (one period).
    RatesDiffer {
        /// Program index.
        program: usize,
    },
    /// Two interleaved programs' pulses overlap in time.
    Collision {
        /// The earlier program.
        first: usize,
        /// The later program.
        second: usize,
    },
}

impl fmt::Display for SafetyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use SafetyError::*;
        let p = |program: &usize| program + 1;
        match self {
            NoProgram => f.write_str("The program set is empty: add a program."),
            NoCathode { program } => write!(f, "Program {}: set at least one contact to − (cathode); without one nothing is stimulated.", p(program)),
            NoAnode { program } => write!(f, "Program {}: set at least one contact (or the case) to + (anode), so the current has a way back.", p(program)),
            SharesDoNotAddUp { program, polarity, sum_pct } => {
                let side = if *polarity == Polarity::Anode { "anode (+)" } else { "cathode (−)" };
                write!(f, "Program {}: the {side} shares add up to {sum_pct} %; they must add up to 100 %.", p(program))
            }
            ContactNotOnLead { program, contact, lead_contacts } => write!(
                f,
                "Program {}: contact {} is not on this lead, which has {lead_contacts} contacts.",
                p(program),
                ContactName(*contact)
            ),
            OutOfRange { program, parameter, value, min, max } => {
                let (name, unit) = parameter.describe();
                write!(f, "Program {}: the {name} is {value} {unit}; it must be from {min} to {max} {unit}.", p(program))
            }
            SetOutOfRange { parameter, value, min, max } => {
                let (name, unit) = parameter.describe();
                write!(f, "The {name} is {value} {unit}; it must be from {min} to {max} {unit}.")
            }
            AboveClinicianMaximum { program, amplitude_ua, max_ua } => write!(
                f,
                "Program {}: {} mA is above the maximum of {} mA.",
                p(program),
                Thousandths(*amplitude_ua as u64),
                Thousandths(*max_ua as u64)
            ),
            PatientRangeEmpty { program } => write!(f, "Program {}: the patient range's lowest amplitude is above its highest.", p(program)),
            OutsidePatientRange { program, amplitude_ua, min_ua, max_ua } => write!(
                f,
                "Program {}: {} mA is outside the patient's range of {} to {} mA.",
                p(program),
                Thousandths(*amplitude_ua as u64),
                Thousandths(*min_ua as u64),
                Thousandths(*max_ua as u64)
            ),
            PhasesExceedPeriod { program, busy_us, period_us } => write!(
                f,
                "Program {}: one pulse takes {busy_us} µs but the rate leaves only {period_us} µs; lower the rate or shorten the pulse.",
                p(program)
            ),
            PulsesOverlap { program } => write!(f, "Program {}: the pulses of a burst overlap; lower the rate within the burst or shorten the pulses.", p(program)),
            TooManyPhases { program, max } => write!(f, "Program {}: more than {max} phases in one period.", p(program)),
            ChargeImbalance { program, delivered, returned } => write!(
                f,
                "Program {}: the recharge returns {} nC per mA but the pulses deliver {} nC per mA; they must be equal (charge balance).",
                p(program),
                Thousandths(*returned),
                Thousandths(*delivered)
            ),
            ChargeDensity { program, contact, amplitude_ua, charge_nc, density_nc_per_cm2, limit_nc_per_cm2 } => {
                write!(f, "Program {}: ", p(program))?;
                at_the_top(f, *amplitude_ua, *contact, *charge_nc)?;
                write!(
                    f,
                    ", a charge density of {} µC/cm², above the limit of {} µC/cm²; {LOWER}",
                    Hundredths(*density_nc_per_cm2),
                    Thousandths(*limit_nc_per_cm2 as u64)
                )
            }
            Shannon { program, contact, amplitude_ua, charge_nc, k_x100, limit_x100 } => {
                write!(f, "Program {}: ", p(program))?;
                at_the_top(f, *amplitude_ua, *contact, *charge_nc)?;
                write!(
                    f,
                    ", which reaches Shannon k = {}.{:02}, above the limit k = {}.{:02}; {LOWER}",
                    k_x100 / 100,
                    k_x100.rem_euclid(100),
                    limit_x100 / 100,
                    limit_x100 % 100
                )
            }
            Compliance { program, required_mv, limit_mv } => write!(
                f,
                "Program {}: this needs {} V (amplitude × impedance) but the stimulator can drive at most {} V.",
                p(program),
                Thousandths(*required_mv as u64),
                Thousandths(*limit_mv as u64)
            ),
            ContactImpedance { program, contact, ohms, fault } => {
                let what = match fault {
                    ImpedanceFault::Short => "a short circuit",
                    ImpedanceFault::Open => "an open circuit",
                };
                write!(f, "Program {}: {} measures {ohms} Ω, which means {what}; do not use it.", p(program), ContactName(*contact))
            }
            RatesDiffer { program } => write!(f, "Program {}: interleaved programs must share the rate of program 1.", p(program)),
            Collision { first, second } => write!(f, "Programs {} and {} overlap in time; move one program's start offset.", p(first), p(second)),
        }
    }
}

/// What a clinician can change when a charge limit is broken.
const LOWER: &str =
    "lower the top of the patient range, the pulse width or the pulses before the recharge.";

/// "at the patient range's top of 6.0 mA, E4 would receive 1.20 µC before the recharge":
/// charges are checked where the patient's remote can take the amplitude, which a user at
/// 2 mA must be told; and a burst's pulses before their recharge count together.
fn at_the_top(
    f: &mut fmt::Formatter<'_>,
    amplitude_ua: MicroAmps,
    contact: usize,
    charge_nc: u32,
) -> fmt::Result {
    write!(
        f,
        "at the patient range's top of {} mA, {} would receive {} µC before the recharge",
        Thousandths(amplitude_ua as u64),
        ContactName(contact),
        Hundredths(charge_nc)
    )
}

/// Thousandths written with two decimals, rounded up so an excess never reads as the
/// limit (9 801 nC → "9.81").
struct Hundredths(u32);

impl fmt::Display for Hundredths {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hundredths = (self.0 as u64).div_ceil(10);
        write!(f, "{}.{:02}", hundredths / 100, hundredths % 100)
    }
}
