//! What a clinician programs: contacts, waveform, amplitude, recharge, patient range; and a
//! set of up to four programs that run interleaved in time.

use heapless::Vec;

use crate::contacts::Electrodes;
use crate::units::{DurationUs, MicroAmps, Permille};

/// Programs one set can interleave.
pub const MAX_PROGRAMS: usize = 4;
/// Stages in one custom pulse train.
pub const MAX_STAGES: usize = 16;

/// How the charge of the stimulating phase is returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Recharge {
    /// A mirrored phase of equal current and width, after the interphase gap.
    Active,
    /// A long, low phase of the opposite sign (modelling the coupling capacitors'
    /// discharge): its own width, and its current in ‰ of the programmed current.
    /// Charge balance requires width × ‰ = the stimulating phases' width × 1000.
    Passive {
        /// Duration of the recharge phase.
        width_us: DurationUs,
        /// Its current, in thousandths of the programmed amplitude.
        amplitude_permille: u16,
    },
}

impl Recharge {
    /// The passive recharge at `amplitude_permille` of the programmed current that returns
    /// the charge of `waveform`'s stimulating phases of one period (a burst's after the
    /// burst): width × ‰ = their width × 1000. `None` for a custom train (it carries its
    /// own recharge), a ‰ of 0, or a width beyond the µs type.
    pub fn passive_balancing(waveform: &Waveform, amplitude_permille: u16) -> Option<Recharge> {
        if amplitude_permille == 0 {
            return None;
        }
        let delivered_us = match waveform {
            Waveform::Tonic { width_us, .. } | Waveform::HighFrequency { width_us, .. } => {
                *width_us
            }
            Waveform::Burst {
                pulses, width_us, ..
            } => u32::from(*pulses).checked_mul(*width_us)?,
            Waveform::Custom { .. } => return None,
        };
        let width_us = u64::from(delivered_us) * 1_000 / u64::from(amplitude_permille);
        Some(Recharge::Passive {
            width_us: DurationUs::try_from(width_us).ok()?,
            amplitude_permille,
        })
    }
}

/// One stage of a custom pulse train (as Stimjim and Pulse Pal describe trains).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Stage {
    /// How long the stage lasts.
    pub duration_us: DurationUs,
    /// Current in ‰ of the programmed amplitude: + as programmed (cathodes −), − reversed,
    /// 0 a gap.
    pub amplitude_permille: Permille,
}

/// The shape of the pulses.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Waveform {
    /// Biphasic pulses at a constant rate (2–1200 Hz, 20–1000 µs): paresthesia-based SCS.
    Tonic {
        /// Pulses per second.
        rate_hz: u16,
        /// Width of the stimulating phase.
        width_us: DurationUs,
    },
    /// Bursts of pulses repeated at the burst rate; classic: 5 × 1 ms at 500 Hz, 40 Hz,
    /// passive recharge after the burst.
    Burst {
        /// Bursts per second.
        burst_rate_hz: u16,
        /// Pulses in one burst.
        pulses: u8,
        /// Pulse rate within a burst.
        intra_rate_hz: u16,
        /// Width of each pulse.
        width_us: DurationUs,
    },
    /// High-frequency therapy: 10 kHz, 30 µs (rate 1–10 kHz, width 20–100 µs allowed).
    HighFrequency {
        /// Pulses per second.
        rate_hz: u16,
        /// Width of the stimulating phase.
        width_us: DurationUs,
    },
    /// A list of stages repeated every period; the stages carry their own recharge.
    Custom {
        /// Repetition period of the train.
        period_us: DurationUs,
        /// The stages, back to back from the start of each period.
        stages: Vec<Stage, MAX_STAGES>,
    },
}

impl Waveform {
    /// The classic burst: 5 pulses of 1 ms at 500 Hz, 40 bursts a second.
    pub const fn classic_burst() -> Self {
        Waveform::Burst {
            burst_rate_hz: 40,
            pulses: 5,
            intra_rate_hz: 500,
            width_us: 1_000,
        }
    }

    /// 10 kHz therapy: 10 000 pulses a second, 30 µs.
    pub const fn ten_khz() -> Self {
        Waveform::HighFrequency {
            rate_hz: 10_000,
            width_us: 30,
        }
    }

    /// The width of the phase that stimulates (current as programmed, cathodes −): what a
    /// fibre's threshold depends on. A custom train's first stage with current as
    /// programmed (+‰); `None` for a train without one.
    pub fn stimulating_width_us(&self) -> Option<DurationUs> {
        match self {
            Waveform::Tonic { width_us, .. }
            | Waveform::Burst { width_us, .. }
            | Waveform::HighFrequency { width_us, .. } => Some(*width_us),
            Waveform::Custom { stages, .. } => stages
                .iter()
                .find(|s| s.amplitude_permille > 0)
                .map(|s| s.duration_us),
        }
    }
}

/// The amplitudes the patient's remote may choose between, set by the clinician.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AmplitudeRange {
    /// Lowest amplitude the patient may choose.
    pub min_ua: MicroAmps,
    /// Highest amplitude the patient may choose.
    pub max_ua: MicroAmps,
}

impl AmplitudeRange {
    /// Whether `amplitude` lies in the range (bounds included).
    pub fn contains(&self, amplitude: MicroAmps) -> bool {
        (self.min_ua..=self.max_ua).contains(&amplitude)
    }
}

/// One stimulation program: the contacts, the waveform and the dose.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Program {
    /// Polarity and share of each contact.
    pub electrodes: Electrodes,
    /// Pulse shape and timing.
    pub waveform: Waveform,
    /// Programmed amplitude of the stimulating phase (the current of each side).
    pub amplitude_ua: MicroAmps,
    /// Gap between the stimulating and the recharge phase (0–100 µs).
    pub interphase_gap_us: DurationUs,
    /// How charge is returned (custom trains carry their own and ignore this).
    pub recharge: Recharge,
    /// The patient's amplitude range for this program.
    pub patient_range: AmplitudeRange,
    /// Where this program's pulses start within the shared period (interleaving).
    pub offset_us: DurationUs,
}

/// Stimulation cycling: on for a while, off for a while, repeated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Cycling {
    /// Time with stimulation on, in ms.
    pub on_ms: u32,
    /// Time with stimulation off, in ms.
    pub off_ms: u32,
}

/// What a device runs: up to four programs interleaved, with cycling and soft ramps.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ProgramSet {
    /// The lead the contacts refer to.
    pub lead: crate::lead::LeadKind,
    /// The programs; all share one period and must not overlap in time.
    pub programs: Vec<Program, MAX_PROGRAMS>,
    /// Optional on/off cycling of the whole set.
    pub cycling: Option<Cycling>,
    /// Soft start: time to ramp from zero to the programmed amplitude (ms).
    pub soft_start_ms: u32,
    /// Soft stop: time to ramp down to zero (ms).
    pub soft_stop_ms: u32,
}

impl ProgramSet {
    /// A set of `programs` on `lead`, no cycling, no ramps.
    ///
    /// # Panics
    /// If there are more than [`MAX_PROGRAMS`] programs.
    pub fn new(lead: crate::lead::LeadKind, programs: &[Program]) -> Self {
        let programs = Vec::from_slice(programs).expect("at most MAX_PROGRAMS programs");
        ProgramSet {
            lead,
            programs,
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stimulating_width_is_the_first_phase_with_current_as_programmed() {
        assert_eq!(Waveform::ten_khz().stimulating_width_us(), Some(30));
        assert_eq!(
            Waveform::classic_burst().stimulating_width_us(),
            Some(1_000)
        );
        let stage = |duration_us, amplitude_permille| Stage {
            duration_us,
            amplitude_permille,
        };
        let train = |stages: &[Stage]| Waveform::Custom {
            period_us: 20_000,
            stages: Vec::from_slice(stages).unwrap(),
        };
        // A gap, then 150 µs as programmed, then a reversed recharge.
        let custom = train(&[stage(50, 0), stage(150, 1_000), stage(300, -500)]);
        assert_eq!(custom.stimulating_width_us(), Some(150));
        assert_eq!(train(&[stage(100, -1_000)]).stimulating_width_us(), None);
    }

    #[test]
    fn a_balancing_passive_recharge_returns_the_charge_of_the_stimulating_phases() {
        // The classic burst: 5 × 1 ms at half the current for 10 ms (the preset's own).
        assert_eq!(
            Recharge::passive_balancing(&Waveform::classic_burst(), 500),
            Some(Recharge::Passive {
                width_us: 10_000,
                amplitude_permille: 500
            })
        );
        let tonic = Waveform::Tonic {
            rate_hz: 50,
            width_us: 300,
        };
        assert_eq!(
            Recharge::passive_balancing(&tonic, 250),
            Some(Recharge::Passive {
                width_us: 1_200,
                amplitude_permille: 250
            })
        );
        assert_eq!(Recharge::passive_balancing(&tonic, 0), None);
        let custom = Waveform::Custom {
            period_us: 20_000,
            stages: Vec::new(),
        };
        assert_eq!(Recharge::passive_balancing(&custom, 500), None);
    }
}
