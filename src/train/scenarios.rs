//! Training scenarios: a starting bench, a goal, a live score, and a debrief.

use spine_field::dermatomes::{dermatomes_of, share_covered, Dermatome, Side};
use stim_core::contacts::{Polarity, CASE};

use super::bench::Bench;
use super::placement::Placement;

/// The feet, both sides.
const FEET: [&str; 2] = ["top of the foot and big toe", "sole and little toe"];
/// The trunk, to spare.
const TRUNK: [&str; 2] = ["chest wall", "abdomen"];

/// One exercise.
pub struct Scenario {
    /// Its name.
    pub title: &'static str,
    /// What to achieve, in one or two sentences.
    pub goal: &'static str,
    /// What the trainee should take away.
    pub debrief: &'static str,
    /// The bench it starts from.
    pub start: fn() -> Bench,
    /// Dermatomes to cover.
    pub target: fn() -> Vec<Dermatome>,
    /// Dermatomes to spare.
    pub avoid: fn() -> Vec<Dermatome>,
    /// The highest amplitude a passing program may use, µA.
    pub max_amplitude_ua: u32,
}

fn feet() -> Vec<Dermatome> {
    dermatomes_of(&FEET)
}

fn trunk() -> Vec<Dermatome> {
    dermatomes_of(&TRUNK)
}

fn right_leg() -> Vec<Dermatome> {
    dermatomes_of(&[
        "front of the thigh",
        "knee",
        "inner lower leg",
        "top of the foot and big toe",
        "sole and little toe",
    ])
    .into_iter()
    .filter(|d| d.side == Side::Right)
    .collect()
}

fn left_leg_and_trunk() -> Vec<Dermatome> {
    let mut avoid = trunk();
    avoid.extend(
        dermatomes_of(&["knee", "inner lower leg", "top of the foot and big toe"])
            .into_iter()
            .filter(|d| d.side == Side::Left),
    );
    avoid
}

fn zero_amplitude(mut bench: Bench) -> Bench {
    bench.amplitude_ua = 0;
    bench
}

/// The scenarios, simplest first.
pub const SCENARIOS: [Scenario; 5] = [
    Scenario {
        title: "Both feet in painful diabetic neuropathy",
        goal: "Cover both feet (L5, S1) with tingling, without the chest wall or the abdomen. The lead lies on the midline over T8.",
        debrief: "At T8–T11 the fibres from the feet run nearest the midline of the dorsal columns, so a midline cathode reaches them first; raising the amplitude spreads the tingling up the legs before it reaches the trunk.",
        start: || zero_amplitude(Bench::default()),
        target: feet,
        avoid: trunk,
        max_amplitude_ua: 10_000,
    },
    Scenario {
        title: "One leg, sparing the abdomen",
        goal: "Cover the right leg from thigh to foot, without the left leg or the trunk.",
        debrief: "A lead off the midline (or a cathode steered to one side) favours that side's dorsal columns and roots; the dorsal roots near a lateral cathode give band-like, one-sided tingling.",
        start: || zero_amplitude(Bench::default()),
        target: right_leg,
        avoid: left_leg_and_trunk,
        max_amplitude_ua: 10_000,
    },
    Scenario {
        title: "The same coverage at a lower amplitude",
        goal: "Cover both feet at 3.0 mA or less (less charge: longer battery, less spill).",
        debrief: "Placing the cathode where the field reaches the target fibres most directly, and narrowing it with anodes on both sides, lowers the amplitude needed; so does a longer pulse, at the cost of more charge per pulse.",
        start: || Bench { amplitude_ua: 4_000, ..Bench::default() },
        target: feet,
        avoid: trunk,
        max_amplitude_ua: 3_000,
    },
    Scenario {
        title: "Fix a program refused for charge",
        goal: "This program's 1 ms pulses are refused by the safety rules. Make it acceptable and still cover both feet.",
        debrief: "Charge per phase is amplitude × pulse width: 1 ms pulses pass 30 µC/cm² above 3.7 mA on a 0.1225 cm² contact, and the Shannon limit (k = 1.85) near 2.9 mA. Lower the amplitude, share the cathodic current over two contacts, or choose shorter pulses. In a burst the pulses before the passive recharge count together: five 1 ms pulses are one 5 ms phase.",
        start: || {
            let mut bench = Bench {
                width_us: 1_000,
                amplitude_ua: 4_000,
                ..Bench::default()
            };
            bench.polarity[4] = Polarity::Off;
            bench.polarity[CASE] = Polarity::Anode;
            bench.balance_shares();
            bench
        },
        target: feet,
        avoid: trunk,
        max_amplitude_ua: 10_000,
    },
    Scenario {
        title: "A lead that migrated one level",
        goal: "The lead moved up to T7 and the old program (E4 − E5 +) no longer reaches the feet. Reprogram it to cover both feet again.",
        debrief: "When a lead migrates, move the active contacts the other way along the lead (here towards its caudal end) rather than raising the amplitude, which only spreads the tingling over the trunk.",
        start: || Bench {
            placement: Placement::default().moved(0, 1, 0, 0),
            ..Bench::default()
        },
        target: feet,
        avoid: trunk,
        max_amplitude_ua: 10_000,
    },
];

/// How a bench does on a scenario.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Score {
    /// Share of the target felt (0–1).
    pub coverage: f64,
    /// Share of the areas to spare that are felt (0–1).
    pub spill: f64,
    /// 0–100: coverage less twice the spill, zero for a refused program or too much current.
    pub points: u32,
    /// Whether the goal is met: at least 75 % coverage, no spill, accepted, within the amplitude.
    pub passed: bool,
}

/// Scores `felt` for `scenario`, given whether stim-core accepted the program and its amplitude.
pub fn score(scenario: &Scenario, felt: &[Dermatome], accepted: bool, amplitude_ua: u32) -> Score {
    let coverage = share_covered(felt, &(scenario.target)());
    let spill = share_covered(felt, &(scenario.avoid)());
    let allowed = accepted && amplitude_ua <= scenario.max_amplitude_ua;
    let points = if allowed {
        ((coverage - 2.0 * spill).max(0.0) * 100.0).round() as u32
    } else {
        0
    };
    Score {
        coverage,
        spill,
        points,
        passed: allowed && coverage >= 0.75 && spill == 0.0,
    }
}
