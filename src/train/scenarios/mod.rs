//! Training scenarios drawn from real programming problems: a starting bench (with the lead
//! fixed where the story puts it), a goal judged region by region, and a debrief that says
//! what each region got and why.
//!
//! `catalogue` holds the exercises, `scoring` judges a bench against one of them, and
//! `tests` checks every exercise against the fine-grid field.

mod catalogue;
mod scoring;
#[cfg(test)]
mod tests;

pub use catalogue::{region_names, SCENARIOS};

/// The index of the scenario whose [`Scenario::id`] is `id`.
pub fn by_id(id: &str) -> Option<usize> {
    SCENARIOS.iter().position(|s| s.id == id)
}
pub use scoring::{score, Line, Outcome, Pending, Score};

use spine_field::dermatomes::Side;
use stim_core::impedance::ImpedanceModel;

use super::bench::Bench;

/// A body-map region on one side, or on both (`side: None`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Target {
    /// The region's name, as spine-field's `dermatomes::REGIONS` spells it.
    pub region: &'static str,
    /// The side, or both.
    pub side: Option<Side>,
}

impl Target {
    /// The region on both sides.
    pub const fn both(region: &'static str) -> Target {
        Target { region, side: None }
    }

    /// The region on the patient's right.
    pub const fn right(region: &'static str) -> Target {
        Target {
            region,
            side: Some(Side::Right),
        }
    }

    /// The region on the patient's left.
    pub const fn left(region: &'static str) -> Target {
        Target {
            region,
            side: Some(Side::Left),
        }
    }

    /// The body map's (region index, side) pairs this area names.
    pub fn regions(&self) -> impl Iterator<Item = (usize, Side)> + '_ {
        let region = spine_field::dermatomes::region_named(self.region);
        [Side::Right, Side::Left]
            .into_iter()
            .filter(move |&s| self.side.is_none_or(|only| only == s))
            .filter_map(move |s| region.map(|r| (r, s)))
    }
}

impl Scenario {
    /// The painful area (the target), as body-map regions.
    pub fn painful(&self) -> Vec<(usize, Side)> {
        self.target.iter().flat_map(Target::regions).collect()
    }

    /// Why the leads cannot be moved, in words; `None` when the story lets them move.
    pub fn fixed_words(&self) -> Option<String> {
        let placement = (self.start)().placement;
        let (them, their) = if placement.lead(1).is_some() {
            ("they", "their")
        } else {
            ("it", "its")
        };
        self.locked.then(|| {
            format!(
                "The story fixes {}: {them} cannot be moved. Program {their} contacts.",
                placement.words("over")
            )
        })
    }
}

/// How a scenario's program is judged beyond the regions.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Rule {
    /// Tonic paresthesia: the regions say it all.
    Tingling,
    /// 10 kHz therapy placed by anatomy: stim-core's 10 kHz waveform (10 000 Hz, 30 µs),
    /// active contacts on both sides of the disc below `level` (an index into
    /// spine-field's LEVELS), and no tingling anywhere.
    TenKhz {
        /// The level whose lower disc the contacts must span.
        level: usize,
    },
    /// stim-core's classic burst with passive recharge after each burst.
    Burst,
}

/// One exercise.
pub struct Scenario {
    /// Its name in a link (`scenario=`): short, stable, unique.
    pub id: &'static str,
    /// Its name.
    pub title: &'static str,
    /// The story and what to achieve.
    pub goal: &'static str,
    /// The physics the trainee should take away, with its sources.
    pub lesson: &'static str,
    /// The bench it starts from.
    pub start: fn() -> Bench,
    /// Whether the story fixes the lead where `start` puts it (it cannot be moved).
    pub locked: bool,
    /// The contacts' impedances in this story (stim-core checks every program against them).
    pub impedance: fn() -> ImpedanceModel,
    /// Regions that must each be felt.
    pub target: &'static [Target],
    /// Regions that must not be felt (side effects).
    pub avoid: &'static [Target],
    /// The amplitudes a passing program may use, µA (inclusive).
    pub amplitude_ua: (u32, u32),
    /// What else is judged.
    pub rule: Rule,
    /// What to do about a target region not felt.
    pub uncovered_hint: &'static str,
    /// What to do about a side effect.
    pub spill_hint: &'static str,
}
