//! Closed-loop amplitude: hold the spinal cord's measured response to each pulse (the
//! evoked compound action potential, ECAP) at a clinician-set target, as the newest
//! implants do (Saluda Evoke: Mekhail et al., Lancet Neurol. 19:123–134, 2020), inside the
//! limits the program set was validated at.
//!
//! - **Law**: integral control. After each measured pulse the amplitude moves by the gain
//!   times the error (target − measured). Above its threshold an ECAP grows about linearly
//!   with the amplitude (slope s, µV per mA: tens to a few hundred in patients), so the
//!   loop settles on the amplitude whose ECAP is the target, without overshoot when
//!   gain × s ≤ 1 and still converging below 2 (each step leaves 1 − gain × s of the error).
//! - **Rate limits**: a rise is at most [`LoopSettings::max_rise_ua`] per sample and a fall
//!   at most [`LoopSettings::max_fall_ua`]; falls may be quicker, since a cough or a turn
//!   that brings the cord nearer the lead is felt at once.
//! - **Bounds**: every amplitude lies in the program's patient range, whose top is the
//!   ceiling the set was validated at ([`ValidatedSet::ceiling`]): nothing the loop does
//!   can leave the validated limits, whatever it measures.
//! - **Loss of signal**: a sample that is missing, or beyond [`MAX_ECAP_NV`] (an artefact,
//!   not a response), holds the amplitude. After [`LoopSettings::lost_after`] in a row the
//!   loop falls back to open loop: the amplitude falls, at the fall rate, to the programmed
//!   (open-loop) amplitude if it is above it, and never rises while the signal is lost. The
//!   next valid sample resumes the loop from where the amplitude is.
//! - **What it cannot tell**: a recording channel that reads a flat zero (rather than
//!   nothing) looks like a cord that has moved away, and the loop climbs, within the
//!   patient range the clinician set. A device checks its channel on the stimulus
//!   artefact, which is not modelled here. One valid sample ends a loss: artefacts with a
//!   plausible reading between them hold the amplitude, never raise it, but may keep the
//!   loop from falling back.
//!
//! Integer throughout: ECAPs in nV, currents in µA, the gain in nA per µV.

use crate::safety::ValidatedSet;
use crate::units::MicroAmps;

/// The largest ECAP taken as a response, nV: human ECAPs on SCS leads reach a few hundred
/// µV; more is the stimulus artefact or a broken recording.
pub const MAX_ECAP_NV: u32 = 2_000_000;
/// The largest gain accepted, nA per µV (1 mA per µV: with the shallowest growth curves,
/// a few µV per mA, a gain of 1 / slope is a few hundred µA per µV).
pub const MAX_GAIN_NA_PER_UV: u32 = 1_000_000;

/// What the clinician sets for the loop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LoopSettings {
    /// The ECAP to hold, nV (1 – [`MAX_ECAP_NV`]).
    pub target_nv: u32,
    /// The change of amplitude per µV of error, nA (1 – [`MAX_GAIN_NA_PER_UV`]).
    pub gain_na_per_uv: u32,
    /// The largest rise per sample, µA (at least 1).
    pub max_rise_ua: MicroAmps,
    /// The largest fall per sample, µA (at least 1).
    pub max_fall_ua: MicroAmps,
    /// Invalid samples in a row after which the loop falls back to open loop (at least 1).
    pub lost_after: u16,
}

/// Why the loop cannot run as set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum LoopError {
    /// The set has no such program.
    NoSuchProgram,
    /// The target is 0 or above [`MAX_ECAP_NV`].
    Target,
    /// The gain is 0 or above [`MAX_GAIN_NA_PER_UV`].
    Gain,
    /// A rate limit is 0: the loop could not move.
    RateLimit,
    /// `lost_after` is 0: the loop would fall back at the first sample.
    LostAfter,
}

impl core::fmt::Display for LoopError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            LoopError::NoSuchProgram => "the program set has no such program",
            LoopError::Target => "the ECAP target must be above 0 and at most 2000 µV",
            LoopError::Gain => "the loop gain must be above 0 and at most 1 mA per µV",
            LoopError::RateLimit => "the loop's rise and fall limits must each be at least 1 µA",
            LoopError::LostAfter => {
                "the loop needs a number of missing samples in a row (1 or more) after which it falls back"
            }
        })
    }
}

/// What the loop is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum LoopState {
    /// Following the ECAP.
    Tracking,
    /// Samples are missing: the amplitude holds.
    Holding {
        /// Invalid samples in a row so far.
        missing: u16,
    },
    /// The signal is lost: back to open loop until a valid sample comes.
    OpenLoop,
}

/// One program's closed loop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClosedLoop {
    settings: LoopSettings,
    floor_ua: MicroAmps,
    ceiling_ua: MicroAmps,
    open_loop_ua: MicroAmps,
    amplitude_ua: MicroAmps,
    state: LoopState,
}

impl ClosedLoop {
    /// A loop on `program` of `set`, starting at its programmed amplitude, bounded by its
    /// patient range and the ceiling it was validated at.
    pub fn new(
        set: &ValidatedSet,
        program: usize,
        settings: LoopSettings,
    ) -> Result<ClosedLoop, LoopError> {
        let p = set
            .set()
            .programs
            .get(program)
            .ok_or(LoopError::NoSuchProgram)?;
        if settings.target_nv == 0 || settings.target_nv > MAX_ECAP_NV {
            return Err(LoopError::Target);
        }
        if settings.gain_na_per_uv == 0 || settings.gain_na_per_uv > MAX_GAIN_NA_PER_UV {
            return Err(LoopError::Gain);
        }
        if settings.max_rise_ua == 0 || settings.max_fall_ua == 0 {
            return Err(LoopError::RateLimit);
        }
        if settings.lost_after == 0 {
            return Err(LoopError::LostAfter);
        }
        let ceiling_ua = set.ceiling(program).min(p.patient_range.max_ua);
        let floor_ua = p.patient_range.min_ua.min(ceiling_ua);
        let open_loop_ua = p.amplitude_ua.clamp(floor_ua, ceiling_ua);
        Ok(ClosedLoop {
            settings,
            floor_ua,
            ceiling_ua,
            open_loop_ua,
            amplitude_ua: open_loop_ua,
            state: LoopState::Tracking,
        })
    }

    /// The amplitude to play now, µA.
    pub fn amplitude_ua(&self) -> MicroAmps {
        self.amplitude_ua
    }

    /// What the loop is doing.
    pub fn state(&self) -> LoopState {
        self.state
    }

    /// Its settings.
    pub fn settings(&self) -> LoopSettings {
        self.settings
    }

    /// The amplitudes it may choose between (the patient range up to the validated
    /// ceiling), µA.
    pub fn bounds_ua(&self) -> (MicroAmps, MicroAmps) {
        (self.floor_ua, self.ceiling_ua)
    }

    /// Takes the ECAP measured after the last pulse (nV; `None` when none was measured)
    /// and returns the amplitude for the next, µA.
    pub fn sample(&mut self, ecap_nv: Option<u32>) -> MicroAmps {
        let valid = ecap_nv.filter(|&e| e <= MAX_ECAP_NV);
        let now = self.amplitude_ua;
        let wanted = match valid {
            Some(ecap) => {
                self.state = LoopState::Tracking;
                // nA per µV × nV = pA; ÷ 10⁶ = µA.
                let error_nv = self.settings.target_nv as i64 - ecap as i64;
                let step = self.settings.gain_na_per_uv as i64 * error_nv / 1_000_000;
                (now as i64 + step).clamp(0, u32::MAX as i64) as MicroAmps
            }
            None => {
                let missing = match self.state {
                    LoopState::Holding { missing } => missing.saturating_add(1),
                    LoopState::OpenLoop => self.settings.lost_after,
                    LoopState::Tracking => 1,
                };
                if missing >= self.settings.lost_after {
                    self.state = LoopState::OpenLoop;
                    now.min(self.open_loop_ua)
                } else {
                    self.state = LoopState::Holding { missing };
                    now
                }
            }
        };
        let limited = wanted.clamp(
            now.saturating_sub(self.settings.max_fall_ua),
            now.saturating_add(self.settings.max_rise_ua),
        );
        self.amplitude_ua = limited.clamp(self.floor_ua, self.ceiling_ua);
        self.amplitude_ua
    }
}
