//! Judging a bench against a scenario, region by region: every target region must be felt
//! on each side it names, no side-effect region may be felt, and the program must be
//! accepted by stim-core, within the scenario's amplitudes, on the lead where the story put
//! it, and not too strong for the patient. Each finding is a line in words.

use spine_field::anatomy::{level_z, Anatomy, LEVELS};
use spine_field::dermatomes::{dermatomes_of, Dermatome, Side};
use stim_core::contacts::Polarity;
use stim_core::program::{Recharge, Waveform};

use super::{Rule, Scenario, Target};
use crate::train::bench::Bench;

/// What the bench's program does, as the page found it.
#[derive(Clone, Copy, Debug, Default)]
pub struct Outcome<'a> {
    /// The dermatomes felt (empty while the placement's field is not solved).
    pub felt: &'a [Dermatome],
    /// stim-core's refusal of the program, in words.
    pub refusal: Option<&'a str>,
    /// The patient's words when the program is too strong (discomfort), if so.
    pub discomfort: Option<&'a str>,
    /// Why `felt` is provisional, if it is.
    pub pending: Option<Pending>,
}

/// What a verdict waits for: a scenario is judged on the placement's fine field by the
/// membrane model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pending {
    /// The placement's fine field is still being solved.
    Field,
    /// The membrane model is still computing the program's thresholds.
    Membrane,
}

/// One finding of the score.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// Whether this finding is as the goal wants it.
    pub ok: bool,
    /// The finding in words ("left sole and little toe: covered").
    pub text: String,
}

/// How a bench does on a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Score {
    /// Target regions felt, counting each side.
    pub covered: usize,
    /// Target regions, counting each side.
    pub targets: usize,
    /// Side-effect regions felt, counting each side.
    pub side_effects: usize,
    /// The findings, the program's first, then region by region.
    pub lines: Vec<Line>,
    /// Whether the goal is met: every line is ok.
    pub passed: bool,
    /// What the verdict waits for, if anything.
    pub pending: Option<Pending>,
}

impl Score {
    /// The live summary: "Target regions 3 of 4 · side effects: none".
    pub fn summary(&self) -> String {
        let effects = match self.side_effects {
            0 => "none".to_string(),
            n => n.to_string(),
        };
        let met = match (self.passed, self.pending) {
            (true, _) => " · goal met",
            (false, Some(Pending::Field)) => " · the field is being solved",
            (false, Some(Pending::Membrane)) => " · the membrane model is checking",
            (false, None) => "",
        };
        if self.targets == 0 {
            format!("Side effects: {effects}{met}")
        } else {
            format!(
                "Target regions {} of {} · side effects: {effects}{met}",
                self.covered, self.targets
            )
        }
    }
}

/// The sides an area names.
fn sides(area: &Target) -> Vec<Side> {
    area.side.map_or(vec![Side::Left, Side::Right], |s| vec![s])
}

/// Whether any dermatome of `region` on `side` is felt.
fn felt_in(felt: &[Dermatome], region: &str, side: Side) -> bool {
    dermatomes_of(&[region])
        .iter()
        .any(|d| d.side == side && felt.contains(d))
}

/// "left" or "right".
fn side_word(side: Side) -> &'static str {
    match side {
        Side::Left => "left",
        Side::Right => "right",
    }
}

/// Amplitude in mA, one decimal.
fn ma(ua: u32) -> String {
    format!("{:.1} mA", ua as f64 / 1_000.0)
}

/// Whether the bench's active lead contacts lie on both sides of the disc below `level`.
fn spans_disc_below(bench: &Bench, level: usize) -> bool {
    let disc = (level_z(level) + level_z(level + 1)) / 2.0;
    let z: Vec<f64> =
        spine_field::lead::contacts_of(&bench.placement.field_leads(), &Anatomy::default())
            .iter()
            .enumerate()
            .filter(|&(slot, _)| bench.polarity[slot] != Polarity::Off)
            .map(|(_, c)| c.center[2])
            .collect();
    z.iter().any(|&z| z > disc) && z.iter().any(|&z| z < disc)
}

/// Scores `bench` on `scenario`, given what its program does.
pub fn score(scenario: &Scenario, bench: &Bench, outcome: &Outcome) -> Score {
    let mut lines = vec![];
    let mut check = |ok: bool, text: String| lines.push(Line { ok, text });

    if let Some(refusal) = outcome.refusal {
        check(
            false,
            format!("stim-core refuses this program, so it cannot run: {refusal}"),
        );
    }
    match outcome.pending {
        Some(Pending::Field) => check(
            false,
            "The field of this placement is still being solved: finish again in a moment.".into(),
        ),
        Some(Pending::Membrane) => check(
            false,
            "The membrane model is still computing this program's thresholds: finish again in a moment.".into(),
        ),
        None => {}
    }
    if let Some(words) = outcome.discomfort {
        check(false, format!("Too strong for the patient: {words}"));
    }
    let start = (scenario.start)();
    if scenario.locked && bench.placement != start.placement {
        check(
            false,
            format!(
                "A lead has been moved: the story fixes {}.",
                start.placement.words("over")
            ),
        );
    }
    let (low, high) = scenario.amplitude_ua;
    if bench.amplitude_ua < low || bench.amplitude_ua > high {
        check(
            false,
            format!(
                "{} is outside this scenario's {}–{} mA.",
                ma(bench.amplitude_ua),
                low / 1_000,
                high / 1_000
            ),
        );
    }
    match scenario.rule {
        Rule::Tingling => {}
        Rule::TenKhz { level } => {
            let program = bench.program();
            let ten_khz = program.waveform == Waveform::ten_khz();
            check(
                ten_khz,
                if ten_khz {
                    "10 kHz at 30 µs: yes.".into()
                } else {
                    "Not 10 kHz at 30 µs: choose the 10 kHz waveform and keep its rate and width."
                        .into()
                },
            );
            let disc = format!("{}–{}", LEVELS[level], LEVELS[level + 1]);
            check(
                spans_disc_below(bench, level),
                if spans_disc_below(bench, level) {
                    format!("Active contacts on both sides of the {disc} disc: yes.")
                } else {
                    format!("The active contacts do not span the {disc} disc: place the lead over it and use a contact above it and one below.")
                },
            );
            if !outcome.felt.is_empty() {
                check(false, "Tingling is felt: 10 kHz therapy is given below the paresthesia threshold; lower the amplitude.".into());
            }
        }
        Rule::Burst => {
            let program = bench.program();
            let burst = program.waveform == Waveform::classic_burst()
                && matches!(program.recharge, Recharge::Passive { .. });
            check(
                burst,
                if burst {
                    "Classic burst (5 × 1 ms at 500 Hz, 40 bursts a second, passive recharge): yes."
                        .into()
                } else {
                    "Not the classic burst: 5 pulses of 1 ms at 500 Hz, 40 bursts a second, with passive recharge.".into()
                },
            );
        }
    }

    let mut covered = 0;
    let mut targets = 0;
    for area in scenario.target {
        for side in sides(area) {
            targets += 1;
            let name = format!("{} {}", side_word(side), area.region);
            if felt_in(outcome.felt, area.region, side) {
                covered += 1;
                check(true, format!("{name}: covered."));
            } else {
                check(
                    false,
                    format!("{name}: not covered — {}.", scenario.uncovered_hint),
                );
            }
        }
    }
    let mut side_effects = 0;
    for area in scenario.avoid {
        let lit: Vec<Side> = sides(area)
            .into_iter()
            .filter(|&s| felt_in(outcome.felt, area.region, s))
            .collect();
        side_effects += lit.len();
        if lit.is_empty() {
            check(true, format!("{}: spared.", area.region));
        }
        for side in lit {
            check(
                false,
                format!(
                    "{} {}: tingling, a side effect — {}.",
                    side_word(side),
                    area.region,
                    scenario.spill_hint
                ),
            );
        }
    }
    let passed = lines.iter().all(|l| l.ok);
    Score {
        covered,
        targets,
        side_effects,
        lines,
        passed,
        pending: outcome.pending,
    }
}
