//! The Train bench as plain data: the programmers' rules, steering, and the shareable URL.

use scs_studio::train::bench::{Area, Bench, History, CUSTOM};
use scs_studio::train::placement::{Kind, Placed, Placement};
use stim_core::contacts::Polarity;
use stim_core::program::{Stage, Waveform, MAX_STAGES};
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
fn a_link_restores_every_setting_and_a_damaged_link_opens_the_default() {
    let mut bench = Bench {
        placement: Placement::default().moved(0, 5, 0, -3),
        rate_hz: 60,
        width_us: 250,
        ..Bench::default()
    };
    bench.cycle(2); // E3 becomes a second cathode
    bench.set_share(2, 30);
    bench.set_share(3, 70);
    bench.amplitude_ua = 3_400;
    assert_eq!(Bench::from_query(&bench.to_query()), bench);
    assert_eq!(
        Bench::from_query("level=x&contacts=short&junk"),
        Bench::default()
    );
}

#[wasm_bindgen_test]
fn a_change_of_contacts_resets_the_amplitude_and_rebalances_the_side() {
    let mut bench = Bench::default();
    assert_eq!(bench.amplitude_ua, 2_000);
    bench.cycle(2);
    assert_eq!(
        (bench.polarity[2], bench.amplitude_ua),
        (Polarity::Cathode, 0)
    );
    assert_eq!((bench.share[2], bench.share[3]), (50, 50));
    // Steering keeps the amplitude.
    bench.amplitude_ua = 1_000;
    bench.set_share(2, 40);
    assert_eq!(bench.amplitude_ua, 1_000);
    assert_eq!(
        (bench.share[2], bench.share[3]),
        (40, 60),
        "the other cathode follows, so the side keeps 100 %"
    );
}

#[wasm_bindgen_test]
fn undo_and_redo_walk_the_history() {
    let (first, second) = (
        Bench::default(),
        Bench {
            placement: Placement::default().moved(0, 4, 0, 0),
            ..Bench::default()
        },
    );
    let mut history = History::default();
    history.record(first.clone());
    assert_eq!(history.undo(second.clone()), Some(first.clone()));
    assert_eq!(history.redo(first), Some(second));
    assert_eq!(history.can(), (true, false));
}

#[wasm_bindgen_test]
fn the_custom_train_is_edited_stage_by_stage_and_travels_in_the_link() {
    let mut bench = Bench::default();
    bench.set_waveform(CUSTOM);
    assert_eq!(bench.stages.len(), 3, "starts from the asymmetric preset");
    bench.add_stage();
    bench.stages[3] = Stage {
        duration_us: 150,
        amplitude_permille: 250,
    };
    bench.remove_stage(0);
    bench.soft_start_ms = 2_500;
    assert_eq!(bench.stages.len(), 3);
    let restored = Bench::from_query(&bench.to_query());
    assert_eq!(restored, bench);
    match restored.program().waveform {
        Waveform::Custom { period_us, stages } => {
            assert_eq!(period_us, 20_000, "50 trains a second");
            assert_eq!(stages.as_slice(), bench.stages.as_slice());
        }
        other => panic!("custom expected, got {other:?}"),
    }
    assert_eq!(restored.program_set().soft_start_ms, 2_500);
    // One stage always stays; the limit of stages holds.
    (0..5).for_each(|_| bench.remove_stage(0));
    assert_eq!(bench.stages.len(), 1);
    (0..20).for_each(|_| bench.add_stage());
    assert_eq!(bench.stages.len(), MAX_STAGES);
}

/// Chooses the kind of lead `index` (`None`: no second lead), as the page does.
fn choose(bench: &mut Bench, index: usize, kind: Option<Kind>) {
    let placement = bench
        .placement
        .with_kind(index, kind)
        .expect("a pair the core drives");
    bench.set_placement(placement);
}

#[wasm_bindgen_test]
fn a_1x16_back_to_a_1x8_drops_the_contacts_it_lacks_and_the_link_says_so() {
    let mut bench = Bench::default();
    choose(&mut bench, 0, Some(Kind::Percutaneous16));
    assert_eq!(bench.placement.contacts(), 16);
    bench.cycle(11); // E12 −
    bench.cycle(12); // E13 −, then +
    bench.cycle(12);
    bench.amplitude_ua = 1_500;
    choose(&mut bench, 0, Some(Kind::Percutaneous8));
    assert_eq!(bench.placement.contacts(), 8);
    assert!(bench.polarity[8..16].iter().all(|&p| p == Polarity::Off));
    assert_eq!(
        bench.amplitude_ua, 0,
        "contacts were lost: the amplitude restarts"
    );
    assert_eq!(
        (bench.share[3], bench.share[4]),
        (100, 100),
        "E4 − E5 + keep all"
    );
    // The link keeps the last lead given (a link once gained a second `lead=`).
    assert_eq!(Bench::from_query("lead=16&lead=8").placement.contacts(), 8);
    assert_eq!(Bench::from_query(&bench.to_query()), bench);
    // Choosing the lead already chosen changes nothing.
    let same = bench.clone();
    choose(&mut bench, 0, Some(Kind::Percutaneous8));
    assert_eq!(bench, same);
}

#[wasm_bindgen_test]
fn switching_kinds_back_and_forth_keeps_only_contacts_that_exist_and_restarts_the_amplitude() {
    let mut bench = Bench::default();
    for kind in [
        Kind::Percutaneous16,
        Kind::Percutaneous8,
        Kind::Paddle,
        Kind::Percutaneous16,
        Kind::Percutaneous8,
    ] {
        bench.cycle(3); // E4 − → +
        bench.cycle(3); // → off
        bench.cycle(3); // → −
        bench.amplitude_ua = 1_200;
        choose(&mut bench, 0, Some(kind));
        assert_eq!(bench.placement.first().kind, kind);
        assert_eq!(
            bench.amplitude_ua, 0,
            "a new lead is a change of contacts: {kind:?}"
        );
        let contacts = bench.placement.contacts();
        assert!(
            bench.polarity[contacts..16]
                .iter()
                .all(|&p| p == Polarity::Off),
            "no contact beyond the {contacts} of a {kind:?}"
        );
        assert_eq!(bench.fractions().len(), contacts);
        assert_eq!(bench.program_set().lead.contacts(), contacts);
    }
    // Moving a lead is not a change of contacts: the program stays.
    bench.amplitude_ua = 1_200;
    bench.set_placement(bench.placement.moved(0, 4, 3, -2));
    assert_eq!(bench.amplitude_ua, 1_200);
}

#[wasm_bindgen_test]
fn a_second_1x8_takes_e9_to_e16_and_the_link_restores_both_leads() {
    let mut bench = Bench::default();
    choose(&mut bench, 1, Some(Kind::Percutaneous8));
    let second = bench.placement.lead(1).expect("a second lead");
    assert_eq!((second.level, second.offset_mm), (2, 4), "beside the first");
    bench.set_placement(bench.placement.moved(1, 3, -7, 3));
    bench.cycle(8); // E9 −
    bench.cycle(11); // E12 −, then +
    bench.cycle(11);
    bench.amplitude_ua = 2_500;
    assert_eq!(bench.placement.contacts(), 16);
    assert_eq!(
        bench.fractions()[8],
        -0.5,
        "E9 shares the cathodic current with E4"
    );
    assert_eq!(
        bench.program_set().lead,
        stim_core::lead::LeadKind::Percutaneous16,
        "16 percutaneous contacts for stim-core's rules"
    );
    let link = bench.to_query();
    assert!(
        link.contains("lead2=8&level2=3&offset2=3&shift2=-7"),
        "{link}"
    );
    assert_eq!(Bench::from_query(&link), bench);
    // Removing the second lead drops its contacts.
    choose(&mut bench, 1, None);
    assert_eq!(bench.placement.lead(1), None);
    assert!(bench.polarity[8..16].iter().all(|&p| p == Polarity::Off));
    assert_eq!(bench.amplitude_ua, 0);
}

#[wasm_bindgen_test]
fn a_pair_beyond_16_contacts_is_refused_and_a_link_asking_for_one_keeps_the_first_lead() {
    let mut bench = Bench::default();
    choose(&mut bench, 0, Some(Kind::Percutaneous16));
    let refused = bench.placement.with_kind(1, Some(Kind::Percutaneous8));
    assert!(refused.unwrap_err().to_string().contains("24 contacts"));
    choose(&mut bench, 0, Some(Kind::Paddle));
    assert!(bench
        .placement
        .with_kind(1, Some(Kind::Percutaneous8))
        .is_err());
    let opened = Bench::from_query("lead=16&level=4&lead2=8&level2=5");
    assert_eq!(
        opened.placement,
        Placement::single(Placed::at(Kind::Percutaneous16, 4))
    );
}

#[wasm_bindgen_test]
fn a_link_from_before_two_leads_opens_the_same_bench() {
    // Written by the one-lead page: lead, level and offset, no shift, no second lead.
    let old = "lead=16&level=5&offset=-3&contacts=000c00000000a0000&shares=0.0.0.100.0.0.0.0.0.0.0.0.100.0.0.0.0&amp=1500&wave=0&rate=50&width=300&pulses=5&intra=500&stages=100:1000.100:-500.100:-500&soft=0";
    let bench = Bench::from_query(old);
    assert_eq!(
        bench.placement,
        Placement::single(Placed::at(Kind::Percutaneous16, 5).moved(5, 0, -3))
    );
    assert_eq!(bench.polarity[12], Polarity::Anode);
    assert_eq!(bench.amplitude_ua, 1_500);
    assert_eq!(Bench::from_query(&bench.to_query()), bench);
}

#[wasm_bindgen_test]
fn areas_are_programs_of_their_own_interleaved_in_one_period_and_travel_in_the_link() {
    let mut bench = Bench::default(); // area 1: E4 − E5 + at 2.0 mA
    bench.add_area();
    assert_eq!((bench.areas.len(), bench.active), (2, 1));
    assert_eq!(bench.amplitude_ua, 0, "a new area starts at zero");
    assert_eq!(
        bench.polarity, bench.areas[0].polarity,
        "on the same contacts"
    );
    // The new area is edited: its own contacts and amplitude; area 1 keeps its own.
    bench.cycle(3); // E4 − → +
    bench.cycle(5); // E6 −
    bench.amplitude_ua = 1_800;
    assert_eq!(bench.areas[0].amplitude_ua, 2_000);
    assert_eq!(bench.areas[0].polarity[3], Polarity::Cathode);
    let set = bench.program_set();
    assert_eq!(set.programs.len(), 2);
    assert_eq!(set.programs[0].amplitude_ua, 2_000);
    assert_eq!(set.programs[1].amplitude_ua, 1_800);
    assert_eq!(
        (set.programs[0].offset_us, set.programs[1].offset_us),
        (0, 10_000),
        "turns half a 50 Hz period apart"
    );
    assert!(
        stim_core::safety::validate(&set, &Default::default(), &Default::default()).is_ok(),
        "stim-core takes both"
    );
    let link = bench.to_query();
    assert!(
        link.contains("&area2=") && link.contains("&area=2"),
        "{link}"
    );
    assert_eq!(Bench::from_query(&link), bench);
    // Up to stim-core's four; removing one edits the one before.
    (0..5).for_each(|_| bench.add_area());
    assert_eq!(bench.areas.len(), stim_core::program::MAX_PROGRAMS);
    bench.choose_area(1);
    bench.remove_area();
    assert_eq!((bench.areas.len(), bench.active), (3, 0));
    (0..5).for_each(|_| bench.remove_area());
    assert_eq!(bench.areas.len(), 1, "one area always stays");
    // A new waveform is every area's: all restart at zero.
    bench.add_area();
    bench.areas[0].amplitude_ua = 1_000;
    bench.amplitude_ua = 1_000;
    bench.set_waveform(CUSTOM);
    assert!(bench.areas.iter().all(|a| a.amplitude_ua == 0));
    // Contacts a new lead lacks leave every area.
    let mut bench = Bench::default();
    choose(&mut bench, 0, Some(Kind::Percutaneous16));
    bench.add_area();
    bench.cycle(11); // E12 − in area 2
    bench.amplitude_ua = 1_000;
    choose(&mut bench, 0, Some(Kind::Percutaneous8));
    assert_eq!(bench.polarity[11], Polarity::Off);
    assert_eq!(bench.amplitude_ua, 0);
    assert_eq!(
        bench.areas[0],
        Area {
            amplitude_ua: 0,
            ..Area::default()
        }
    );
}
