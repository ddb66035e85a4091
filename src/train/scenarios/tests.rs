//! Each scenario against the real field: a program a clinician would choose passes, and a
//! known bad one fails, for the reason the story gives. The fields are solved on the fine
//! grid (`Model::build(.., Resolution::FINE)`, the grid the page scores on), one per
//! placement, kept for the tests that share it; the virtual patient answers from it as on
//! the page, so a program the patient finds too strong fails here too.

use std::cell::RefCell;
use std::rc::Rc;

use spine_field::anatomy::Anatomy;
use spine_field::dermatomes::{dermatomes_of, Dermatome};
use spine_field::fibres::Probe;
use spine_field::membrane::recruitment::thresholds_ma;
use spine_field::membrane::Stimulus;
use spine_field::model::{Model, Resolution};
use stim_core::contacts::CASE;
use stim_core::pattern::Pattern;
use stim_core::safety::{validate, Limits};
use wasm_bindgen_test::wasm_bindgen_test;

use super::{score, Outcome, Pending, Score, SCENARIOS};
use crate::train::bench::Bench;
use crate::train::field_view::anatomical_fibres_for;
use crate::train::membrane::{stimulus_of, MAX_MA};
use crate::train::placement::Placement;
use crate::train::response::{body, Body};

/// A placement: the solve key.
type Key = Placement;
/// A program on a placement: the placement, the contact shares and what it plays.
type Program = (Key, Vec<f64>, Stimulus);

thread_local! {
    /// The probes solved so far, by placement.
    static PROBES: RefCell<Vec<(Key, Rc<Probe>)>> = const { RefCell::new(vec![]) };
    /// The membrane thresholds found so far, by placement, contact shares and stimulus.
    static THRESHOLDS: RefCell<Vec<(Program, Rc<Vec<f64>>)>> =
        const { RefCell::new(vec![]) };
}

/// The anatomical fibres of `bench`'s placement with its fine-grid field, as the page
/// probes them for the membrane model.
fn probe(bench: &Bench) -> Rc<Probe> {
    let key = bench.placement;
    if let Some(p) =
        PROBES.with_borrow(|p| p.iter().find(|(k, _)| *k == key).map(|(_, p)| p.clone()))
    {
        return p;
    }
    let leads = bench.placement.field_leads();
    let model = Model::build(Anatomy::default(), &leads, Resolution::FINE)
        .expect("the fine grid converges");
    let probe = Rc::new(Probe::new(
        &model,
        anatomical_fibres_for(&model.anatomy, &leads),
    ));
    PROBES.with_borrow_mut(|p| p.push((key, probe.clone())));
    probe
}

/// Area `area` of `bench`: each fibre's membrane threshold, mA (none fires in a program
/// stim-core does not compile).
fn thresholds(bench: &Bench, area: usize) -> Rc<Vec<f64>> {
    let probe = probe(bench);
    let Ok(pattern) = Pattern::compile(area, &bench.program_of(area)) else {
        return Rc::new(vec![f64::INFINITY; probe.fibres.len()]);
    };
    let key = (
        bench.placement,
        bench.fractions_of(area),
        stimulus_of(&pattern),
    );
    if let Some(t) =
        THRESHOLDS.with_borrow(|t| t.iter().find(|(k, _)| *k == key).map(|(_, t)| t.clone()))
    {
        return t;
    }
    let t = Rc::new(thresholds_ma(&probe, &key.1, &key.2, MAX_MA));
    THRESHOLDS.with_borrow_mut(|all| all.push((key, t.clone())));
    t
}

/// What `bench`'s program does with its fine field, judged as the page judges it once the
/// membrane model has answered.
fn body_of(bench: &Bench, refused: bool) -> Body {
    let probe = probe(bench);
    let areas: Vec<(Vec<f64>, f64)> = (0..bench.areas.len())
        .map(|i| {
            let thresholds = thresholds(bench, i).to_vec();
            (thresholds, bench.areas[i].amplitude_ua as f64 / 1_000.0)
        })
        .collect();
    body(&probe, &areas, bench.active, refused)
}

/// Where `bench`'s program would be felt if it ran.
fn felt(bench: &Bench) -> Vec<Dermatome> {
    body_of(bench, false).felt
}

/// Scenario `index`'s score of `bench`, as the page judges it: a refused program does
/// not run, and the patient complains in words of a program too strong.
fn judge(index: usize, bench: &Bench) -> Score {
    let scenario = &SCENARIOS[index];
    let refusal = validate(
        &bench.program_set(),
        &Limits::default(),
        &(scenario.impedance)(),
    )
    .err()
    .map(|e| e.to_string());
    let body = body_of(bench, refusal.is_some());
    let discomfort = body
        .patient
        .as_ref()
        .ok()
        .and_then(|p| p.complaint(&scenario.painful()));
    score(
        scenario,
        bench,
        &Outcome {
            felt: &body.felt,
            refusal: refusal.as_deref(),
            discomfort: discomfort.as_deref(),
            pending: None,
        },
    )
}

/// The scenario's starting bench with `change` made.
fn from_start(index: usize, change: impl FnOnce(&mut Bench)) -> Bench {
    let mut bench = (SCENARIOS[index].start)();
    change(&mut bench);
    bench
}

/// Sets the contacts: these cathodes and anodes, the rest off (as a trainee does, the
/// amplitude then goes back to zero and is raised to `amplitude_ua`).
fn contacts(bench: &mut Bench, cathodes: &[usize], anodes: &[usize], amplitude_ua: u32) {
    for slot in 0..bench.polarity.len() {
        let want = if cathodes.contains(&slot) {
            stim_core::contacts::Polarity::Cathode
        } else if anodes.contains(&slot) {
            stim_core::contacts::Polarity::Anode
        } else {
            stim_core::contacts::Polarity::Off
        };
        while bench.polarity[slot] != want {
            bench.cycle(slot);
        }
    }
    bench.amplitude_ua = amplitude_ua;
}

fn assert_passes(index: usize, bench: &Bench) {
    let score = judge(index, bench);
    assert!(
        score.passed,
        "{}: {:#?}",
        SCENARIOS[index].title, score.lines
    );
}

/// Asserts that `bench` fails scenario `index` with a line containing `why`.
fn assert_fails(index: usize, bench: &Bench, why: &str) {
    let score = judge(index, bench);
    assert!(!score.passed, "{} passed", SCENARIOS[index].title);
    assert!(
        score.lines.iter().any(|l| !l.ok && l.text.contains(why)),
        "{}: no failed line says {why:?}: {:#?}",
        SCENARIOS[index].title,
        score.lines
    );
}

fn covers_both_feet(felt: &[Dermatome]) -> bool {
    dermatomes_of(&["top of the foot and big toe", "sole and little toe"])
        .iter()
        .all(|d| felt.contains(d))
}

#[wasm_bindgen_test]
fn every_scenario_starts_from_a_bench_that_fails_it() {
    for (i, s) in SCENARIOS.iter().enumerate() {
        assert!(!judge(i, &(s.start)()).passed, "{}", s.title);
    }
}

#[wasm_bindgen_test]
fn feet_pass_with_the_lead_over_t10_and_over_t8_the_abdomen_fires_with_them() {
    let t10 = from_start(0, |b| {
        b.placement = b.placement.moved(0, 4, 0, 0);
        b.amplitude_ua = 2_500;
    });
    assert_passes(0, &t10);
    let t8 = from_start(0, |b| b.amplitude_ua = 4_000);
    assert!(covers_both_feet(&felt(&t8)));
    assert_fails(0, &t8, "right abdomen: tingling");
}

#[wasm_bindgen_test]
fn one_leg_passes_2_mm_right_fails_4_mm_right_in_the_abdomen_and_on_the_midline_in_both_legs() {
    let right = |mm| {
        from_start(1, |b| {
            b.placement = b.placement.moved(0, b.placement.first().level, 0, mm);
            b.amplitude_ua = 2_200;
        })
    };
    assert_passes(1, &right(2));
    // Holsheimer & Wesselink 1997: further out the roots come first.
    assert_fails(1, &right(4), "right abdomen: tingling");
    let midline = from_start(1, |b| b.amplitude_ua = 2_200);
    assert_fails(1, &midline, "left sole and little toe: tingling");
}

#[wasm_bindgen_test]
fn after_migrating_up_the_old_program_misses_the_feet_and_the_cathode_moved_down_covers_them() {
    // The story: over T11 the old program covered both feet; over T10 it misses them all.
    let old = from_start(2, |b| b.placement = b.placement.moved(0, 5, 0, 0));
    assert!(covers_both_feet(&felt(&old)), "the old program over T11");
    let now = (SCENARIOS[2].start)();
    let feet = dermatomes_of(&["top of the foot and big toe", "sole and little toe"]);
    assert!(
        felt(&now).iter().all(|d| !feet.contains(d)),
        "over T10 it misses every foot region"
    );
    assert_fails(2, &now, "left sole and little toe: not covered");
    // E8 − E7 +: the cathode back where E4 was before the lead moved (four contacts, 26 mm).
    let moved_down = from_start(2, |b| contacts(b, &[7], &[6], 2_000));
    assert_passes(2, &moved_down);
    let raised = from_start(2, |b| b.amplitude_ua = 2_500);
    assert_fails(2, &raised, "outside this scenario's 0–2 mA");
    let relocated = from_start(2, |b| b.placement = b.placement.moved(0, 5, 0, 0));
    assert_fails(
        2,
        &relocated,
        "A lead has been moved: the story fixes the lead over T10, on the midline.",
    );
}

#[wasm_bindgen_test]
fn a_lateral_lead_gives_an_abdominal_band_first_and_passes_back_on_the_midline_at_t10() {
    // Holsheimer & Wesselink 1997: off the midline the dorsal roots fire first.
    let lateral = from_start(3, |b| b.amplitude_ua = 2_000);
    assert_fails(3, &lateral, "right abdomen: tingling");
    assert!(!covers_both_feet(&felt(&lateral)));
    let midline = from_start(3, |b| {
        b.placement = b.placement.moved(0, 4, 0, 0);
        b.placement = b.placement.moved(0, b.placement.first().level, 0, 0);
        b.amplitude_ua = 2_500;
    });
    assert_passes(3, &midline);
}

#[wasm_bindgen_test]
fn an_open_contact_is_refused_in_words_and_its_neighbours_cover_the_feet() {
    let old = from_start(4, |b| b.amplitude_ua = 2_500);
    assert_fails(4, &old, "E4 measures 25000 Ω, which means an open circuit");
    let neighbours = from_start(4, |b| contacts(b, &[4], &[5], 2_500));
    assert_passes(4, &neighbours);
}

#[wasm_bindgen_test]
fn ten_khz_passes_across_the_t9_t10_disc_without_tingling_and_fails_over_t8() {
    let ten_khz = |b: &mut Bench, amplitude_ua| {
        b.set_waveform(2);
        b.amplitude_ua = amplitude_ua;
    };
    // Over T10 E2 and E3 lie either side of the T9–T10 disc.
    let good = from_start(5, |b| {
        b.placement = b.placement.moved(0, 4, 0, 0);
        contacts(b, &[1], &[2], 0);
        ten_khz(b, 2_000);
    });
    assert!(felt(&good).is_empty(), "30 µs at 2 mA is below paresthesia");
    assert_passes(5, &good);
    let t8 = from_start(5, |b| ten_khz(b, 2_000));
    assert_fails(5, &t8, "do not span the T9–T10 disc");
    let tonic = from_start(5, |b| {
        b.placement = b.placement.moved(0, 4, 0, 0);
        contacts(b, &[1], &[2], 2_000);
    });
    assert_fails(5, &tonic, "Not 10 kHz");
    let strong = from_start(5, |b| {
        b.placement = b.placement.moved(0, 4, 0, 0);
        contacts(b, &[1], &[2], 0);
        ten_khz(b, 6_000);
    });
    assert_fails(5, &strong, "outside this scenario's 1–5 mA");
}

#[wasm_bindgen_test]
fn burst_on_one_contact_pair_is_refused_for_charge_and_two_pairs_share_it() {
    let burst = |b: &mut Bench, amplitude_ua| {
        b.set_waveform(1);
        b.amplitude_ua = amplitude_ua;
    };
    let one_pair = from_start(6, |b| burst(b, 1_000));
    assert_fails(6, &one_pair, "charge density");
    let two_pairs = from_start(6, |b| {
        contacts(b, &[3, 4], &[2, 5], 0);
        burst(b, 1_000);
    });
    assert_passes(6, &two_pairs);
    let tonic = from_start(6, |b| contacts(b, &[3, 4], &[2, 5], 1_000));
    assert_fails(6, &tonic, "Not the classic burst");
}

#[wasm_bindgen_test]
fn the_caudal_contacts_over_thinner_csf_cover_the_feet_at_2_ma_and_a_guarded_cathode_does_not() {
    let caudal = from_start(7, |b| contacts(b, &[6], &[7], 2_000));
    assert_passes(7, &caudal);
    let lowered = from_start(7, |b| b.amplitude_ua = 2_000);
    assert_fails(7, &lowered, "left sole and little toe: not covered");
    // Struijk & Holsheimer 1996: guarding the cathode narrows the field, it saves no current.
    let guarded = from_start(7, |b| contacts(b, &[1], &[0, 2], 2_000));
    assert_fails(7, &guarded, "not covered");
}

#[wasm_bindgen_test]
fn a_program_refused_for_charge_passes_at_1_5_ma_or_with_shorter_pulses_and_is_too_strong_at_2_ma()
{
    let start = (SCENARIOS[8].start)();
    assert_fails(8, &start, "charge density");
    let at_3_ma = from_start(8, |b| b.amplitude_ua = 3_000);
    assert_fails(8, &at_3_ma, "Shannon");
    assert_passes(8, &from_start(8, |b| b.amplitude_ua = 1_500));
    // Long pulses fire at less current: 2 mA of 1 ms pulses is too strong.
    assert_fails(
        8,
        &from_start(8, |b| b.amplitude_ua = 2_000),
        "Too strong for the patient",
    );
    assert_passes(
        8,
        &from_start(8, |b| {
            b.width_us = 300;
            b.amplitude_ua = 2_500;
        }),
    );
    assert_eq!(start.polarity[CASE], stim_core::contacts::Polarity::Anode);
}

#[wasm_bindgen_test]
fn high_impedance_refuses_60_us_at_9_ma_for_compliance_and_300_us_passes() {
    let start = (SCENARIOS[9].start)();
    assert!(covers_both_feet(&felt(&start)), "it would cover the feet");
    assert_fails(9, &start, "this needs 25.2 V");
    let longer = from_start(9, |b| {
        b.width_us = 300;
        b.amplitude_ua = 2_500;
    });
    assert_passes(9, &longer);
}

#[wasm_bindgen_test]
fn discomfort_fails_a_program_that_otherwise_passes() {
    let bench = from_start(8, |b| b.amplitude_ua = 1_500);
    let felt = felt(&bench);
    let outcome = Outcome {
        felt: &felt,
        refusal: None,
        discomfort: Some("that's too strong"),
        pending: None,
    };
    let score = score(&SCENARIOS[8], &bench, &outcome);
    assert!(!score.passed);
    assert_eq!(
        score.lines[0].text,
        "Too strong for the patient: that's too strong"
    );
}

#[wasm_bindgen_test]
fn a_field_still_being_solved_or_thresholds_the_membrane_model_has_not_found_are_not_judged() {
    let bench = from_start(8, |b| b.amplitude_ua = 1_500);
    assert_passes(8, &bench);
    let felt = felt(&bench);
    for (pending, why, summary) in [
        (
            Pending::Field,
            "still being solved",
            "the field is being solved",
        ),
        (
            Pending::Membrane,
            "membrane model is still computing",
            "the membrane model is checking",
        ),
    ] {
        let outcome = Outcome {
            felt: &felt,
            pending: Some(pending),
            ..Outcome::default()
        };
        let score = score(&SCENARIOS[8], &bench, &outcome);
        assert!(!score.passed);
        assert!(score.lines[0].text.contains(why), "{:?}", score.lines[0]);
        assert!(score.summary().ends_with(summary), "{}", score.summary());
    }
}

#[wasm_bindgen_test]
fn two_staggered_leads_cover_both_feet_with_a_cathode_on_each_and_neither_one_lead_alone_nor_a_program_each_does(
) {
    let two_leads = super::by_id("two-leads").unwrap();
    // E8 (lead 1, left) beside E12 (lead 2, right), both at T10: both sides at once.
    let paired = from_start(two_leads, |b| contacts(b, &[7, 11], &[6, 10], 3_000));
    assert_passes(two_leads, &paired);
    // E8 alone: the left side first; the right foot needs more than the left can bear.
    let left_only = from_start(two_leads, |b| contacts(b, &[7], &[6], 2_600));
    assert_fails(two_leads, &left_only, "right top of the foot");
    let pushed = from_start(two_leads, |b| contacts(b, &[7], &[6], 3_400));
    assert!(covers_both_feet(&felt(&pushed)), "both feet at 3.4 mA");
    assert_fails(two_leads, &pushed, "Too strong for the patient");
    // A program for each lead, each at its own amplitude, taking turns in the period: E8
    // and E12 each reach their own side's abdomen (the roots) before their foot
    // (Holsheimer & Wesselink 1997), so each side's foot brings its abdomen.
    let two_programs = |right_ua| {
        from_start(two_leads, |b| {
            contacts(b, &[7], &[6], 2_600);
            b.add_area();
            contacts(b, &[11], &[10], right_ua);
        })
    };
    assert!(!covers_both_feet(&felt(&left_only)));
    assert!(covers_both_feet(&felt(&two_programs(2_600))));
    assert_fails(two_leads, &two_programs(2_600), "left abdomen: tingling");
    assert_fails(two_leads, &two_programs(2_600), "right abdomen: tingling");
    // The second program pushed to 3.2 mA is too strong, though the first is not.
    assert_fails(
        two_leads,
        &two_programs(3_200),
        "Too strong for the patient",
    );
}

#[wasm_bindgen_test]
fn a_shorted_pair_is_refused_in_words_and_the_caudal_pair_covers_the_feet() {
    let short = super::by_id("short").unwrap();
    let on_the_short = from_start(short, |b| contacts(b, &[4], &[5], 2_500));
    assert_fails(
        short,
        &on_the_short,
        "E5 measures 90 Ω, which means a short circuit",
    );
    let around = from_start(short, |b| contacts(b, &[6], &[7], 2_000));
    assert_passes(short, &around);
}
