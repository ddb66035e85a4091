//! A program compiled into the phases of one period: what the engine repeats.
//!
//! Compiling checks structure only (the phases fit their period, the pulses of a burst do
//! not overlap); ranges and charge limits are the safety module's.

use heapless::Vec;

use crate::error::SafetyError;
use crate::program::{Program, Recharge, Waveform};
use crate::units::{DurationUs, Permille, TimeUs};

/// Phases in one period: a burst of 10 biphasic pulses with gaps, or 16 custom stages.
pub const MAX_PHASES: usize = 32;

/// What a phase does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum PhaseKind {
    /// Delivers the programmed current (cathodes draw current): this excites fibres.
    Stimulating,
    /// No current, between the stimulating and the recharge phase.
    Interphase,
    /// Returns the charge of the stimulating phase(s) with driven current (a mirrored
    /// phase, or a reversed stage of a custom train).
    ActiveRecharge,
    /// Returns the charge by letting the coupling capacitors discharge: nothing is driven
    /// (the current shown is the modelled average).
    PassiveRecharge,
}

impl PhaseKind {
    /// Whether the stimulator drives this phase's current (and the battery supplies it).
    pub fn is_driven(self) -> bool {
        matches!(self, PhaseKind::Stimulating | PhaseKind::ActiveRecharge)
    }
}

/// One phase within a period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PhaseTemplate {
    /// Start, from the start of the program's slot in the period.
    pub offset_us: DurationUs,
    /// Duration.
    pub duration_us: DurationUs,
    /// Stimulating, interphase or recharge.
    pub kind: PhaseKind,
    /// Current in ‰ of the programmed amplitude (sign: + as programmed).
    pub weight: Permille,
}

/// The repetition period as an exact fraction of µs (1 000 000 / rate), so that the n-th
/// period starts at ⌊n · num / den⌋ µs and no rate drifts, however long it runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    /// Numerator, µs.
    pub num: u32,
    /// Denominator.
    pub den: u32,
}

impl Period {
    /// `num / den` µs, reduced, so equal periods compare equal (1e6/40 = 25000/1).
    pub const fn new(num: u32, den: u32) -> Period {
        let (mut a, mut b) = (num, den);
        while b != 0 {
            (a, b) = (b, a % b);
        }
        Period {
            num: num / a,
            den: den / a,
        }
    }

    /// Start of period `n`, in µs from the origin. Exact for 584 000 years of periods of
    /// up to 1 s (n · num stays below 2⁶⁴).
    pub fn start(&self, n: u64) -> TimeUs {
        n * self.num as u64 / self.den as u64
    }

    /// The shortest actual period (⌊num / den⌋ µs).
    pub fn shortest_us(&self) -> DurationUs {
        self.num / self.den
    }

    /// The index of the period that contains `t` (µs from the origin).
    pub fn index_at(&self, t: TimeUs) -> u64 {
        // Largest n with start(n) <= t.
        let n = t * self.den as u64 / self.num as u64;
        if self.start(n + 1) <= t {
            n + 1
        } else {
            n
        }
    }
}

/// A program's phases in one period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    /// The phases, in time order, not overlapping.
    pub phases: Vec<PhaseTemplate, MAX_PHASES>,
    /// How often the phases repeat.
    pub period: Period,
}

impl Pattern {
    /// Compiles `program` (program number `index`, for errors).
    pub fn compile(index: usize, program: &Program) -> Result<Pattern, SafetyError> {
        let mut builder = Builder {
            index,
            phases: Vec::new(),
        };
        let period = match &program.waveform {
            Waveform::Tonic { rate_hz, width_us }
            | Waveform::HighFrequency { rate_hz, width_us } => {
                builder.pulse(0, *width_us, program.interphase_gap_us, program.recharge)?;
                Period::new(1_000_000, *rate_hz as u32)
            }
            Waveform::Burst {
                burst_rate_hz,
                pulses,
                intra_rate_hz,
                width_us,
            } => {
                let intra = Period::new(1_000_000, *intra_rate_hz as u32);
                for j in 0..*pulses as u64 {
                    let start = intra.start(j) as DurationUs;
                    if start < builder.end() {
                        return Err(SafetyError::PulsesOverlap { program: index });
                    }
                    match program.recharge {
                        Recharge::Active => builder.pulse(
                            start,
                            *width_us,
                            program.interphase_gap_us,
                            Recharge::Active,
                        )?,
                        Recharge::Passive { .. } => {
                            builder.push(start, *width_us, PhaseKind::Stimulating, 1000)?
                        }
                    }
                }
                if let Recharge::Passive {
                    width_us,
                    amplitude_permille,
                } = program.recharge
                {
                    // Passive recharge after the whole burst.
                    builder.gap_and_recharge(
                        program.interphase_gap_us,
                        width_us,
                        amplitude_permille,
                        PhaseKind::PassiveRecharge,
                    )?;
                }
                Period::new(1_000_000, *burst_rate_hz as u32)
            }
            Waveform::Custom { period_us, stages } => {
                for stage in stages {
                    let kind = match stage.amplitude_permille {
                        0 => PhaseKind::Interphase,
                        w if w > 0 => PhaseKind::Stimulating,
                        _ => PhaseKind::ActiveRecharge,
                    };
                    builder.push(
                        builder.end(),
                        stage.duration_us,
                        kind,
                        stage.amplitude_permille,
                    )?;
                }
                Period::new(*period_us, 1)
            }
        };
        let pattern = Pattern {
            phases: builder.phases,
            period,
        };
        if pattern.busy_us() > period.shortest_us() {
            return Err(SafetyError::PhasesExceedPeriod {
                program: index,
                busy_us: pattern.busy_us(),
                period_us: period.shortest_us(),
            });
        }
        Ok(pattern)
    }

    /// Time from the slot's start to the end of its last phase.
    pub fn busy_us(&self) -> DurationUs {
        self.phases
            .last()
            .map_or(0, |p| p.offset_us + p.duration_us)
    }

    /// Σ weight × duration over the stimulating phases (‰·µs): the charge they carry at 1 µA.
    pub fn stimulating_weight(&self) -> u64 {
        self.phases
            .iter()
            .filter(|p| p.weight > 0)
            .map(|p| p.weight as u64 * p.duration_us as u64)
            .sum()
    }

    /// Σ |weight| × duration over the returning phases (‰·µs).
    pub fn returning_weight(&self) -> u64 {
        self.phases
            .iter()
            .filter(|p| p.weight < 0)
            .map(|p| p.weight.unsigned_abs() as u64 * p.duration_us as u64)
            .sum()
    }

    /// The largest |weight| of any driven phase (‰): the peak current relative to the amplitude.
    pub fn peak_weight(&self) -> u16 {
        self.driven()
            .map(|p| p.weight.unsigned_abs())
            .max()
            .unwrap_or(0)
    }

    /// The most charge one *run* injects before any of it is returned (‰·µs, relative to
    /// the amplitude): what the charge limits are checked on.
    ///
    /// A run is what the contact sees, not how the phases were written: current of one sign
    /// from its start until current of the other sign flows or the net charge is back to
    /// zero. Phases of one sign back to back (eight 125 µs stages are one 1000 µs phase),
    /// or apart only by gaps without current (a burst before its passive recharge), are one
    /// run, because a gap returns no charge. Every period is balanced, so the net charge
    /// is zero at each period's start and runs never cross periods.
    pub fn peak_run_charge(&self) -> u64 {
        let (mut peak, mut run, mut net) = (0u64, 0i64, 0i64);
        for phase in &self.phases {
            let charge = phase.weight as i64 * phase.duration_us as i64;
            if charge != 0 {
                peak = peak.max(crate::audit::extend_run(&mut run, &mut net, charge));
            }
        }
        peak
    }

    /// Σ |weight| × duration over the driven phases (‰·µs): what the battery supplies per
    /// period, relative to the amplitude.
    pub fn driven_charge(&self) -> u64 {
        self.driven()
            .map(|p| p.weight.unsigned_abs() as u64 * p.duration_us as u64)
            .sum()
    }

    fn driven(&self) -> impl Iterator<Item = &PhaseTemplate> {
        self.phases.iter().filter(|p| p.kind.is_driven())
    }
}

/// Appends phases back to back, refusing more than [`MAX_PHASES`].
struct Builder {
    index: usize,
    phases: Vec<PhaseTemplate, MAX_PHASES>,
}

impl Builder {
    fn end(&self) -> DurationUs {
        self.phases
            .last()
            .map_or(0, |p| p.offset_us + p.duration_us)
    }

    fn push(
        &mut self,
        offset_us: DurationUs,
        duration_us: DurationUs,
        kind: PhaseKind,
        weight: Permille,
    ) -> Result<(), SafetyError> {
        self.phases
            .push(PhaseTemplate {
                offset_us,
                duration_us,
                kind,
                weight,
            })
            .map_err(|_| SafetyError::TooManyPhases {
                program: self.index,
                max: MAX_PHASES,
            })
    }

    /// A stimulating phase at `start`, then its gap and recharge.
    fn pulse(
        &mut self,
        start: DurationUs,
        width_us: DurationUs,
        gap_us: DurationUs,
        recharge: Recharge,
    ) -> Result<(), SafetyError> {
        self.push(start, width_us, PhaseKind::Stimulating, 1000)?;
        match recharge {
            Recharge::Active => {
                self.gap_and_recharge(gap_us, width_us, 1000, PhaseKind::ActiveRecharge)
            }
            Recharge::Passive {
                width_us,
                amplitude_permille,
            } => self.gap_and_recharge(
                gap_us,
                width_us,
                amplitude_permille,
                PhaseKind::PassiveRecharge,
            ),
        }
    }

    fn gap_and_recharge(
        &mut self,
        gap_us: DurationUs,
        width_us: DurationUs,
        permille: u16,
        kind: PhaseKind,
    ) -> Result<(), SafetyError> {
        if gap_us > 0 {
            self.push(self.end(), gap_us, PhaseKind::Interphase, 0)?;
        }
        // Permille is range-checked (≤ 1000) before compiling, so it fits an i16.
        self.push(self.end(), width_us, kind, -(permille.min(1000) as i16))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets as examples;

    #[test]
    fn tonic_is_stimulating_gap_mirror() {
        let p = Pattern::compile(0, &examples::tonic_bipole()).unwrap();
        let shape: std::vec::Vec<_> = p
            .phases
            .iter()
            .map(|p| (p.offset_us, p.duration_us, p.kind, p.weight))
            .collect();
        assert_eq!(
            shape,
            [
                (0, 200, PhaseKind::Stimulating, 1000),
                (200, 20, PhaseKind::Interphase, 0),
                (220, 200, PhaseKind::ActiveRecharge, -1000)
            ]
        );
        assert_eq!(
            p.period,
            Period {
                num: 20_000,
                den: 1
            }
        );
        assert_eq!(Period::new(25_000, 1), Period::new(1_000_000, 40));
    }

    #[test]
    fn classic_burst_recharges_passively_after_the_fifth_pulse() {
        let p = Pattern::compile(0, &examples::classic_burst()).unwrap();
        let starts: std::vec::Vec<_> = p
            .phases
            .iter()
            .filter(|p| p.kind == PhaseKind::Stimulating)
            .map(|p| p.offset_us)
            .collect();
        assert_eq!(starts, [0, 2_000, 4_000, 6_000, 8_000]);
        let last = p.phases.last().unwrap();
        // After the 5th pulse (ends at 9 ms) and a 100 µs gap: 10 ms at half the current.
        assert_eq!(
            (last.offset_us, last.duration_us, last.weight),
            (9_100, 10_000, -500)
        );
        assert_eq!(p.stimulating_weight(), p.returning_weight());
    }

    #[test]
    fn periods_do_not_drift() {
        let p = Period {
            num: 1_000_000,
            den: 60,
        };
        assert_eq!(
            p.start(60 * 3_600),
            3_600_000_000,
            "an hour of 60 Hz ends exactly on the hour"
        );
        assert_eq!(p.start(1), 16_666);
        assert_eq!(p.index_at(16_665), 0);
        assert_eq!(p.index_at(16_666), 1);
    }

    #[test]
    fn phases_longer_than_the_period_are_refused() {
        let mut program = examples::tonic_bipole();
        program.waveform = Waveform::Tonic {
            rate_hz: 1_200,
            width_us: 500,
        }; // 1020 µs busy > 833 µs
        assert_eq!(
            Pattern::compile(2, &program),
            Err(SafetyError::PhasesExceedPeriod {
                program: 2,
                busy_us: 1_020,
                period_us: 833
            })
        );
    }
}
