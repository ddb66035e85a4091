//! The Train bench as plain data: the programmers' rules, steering, and the shareable URL.

use scs_studio::train::bench::{Bench, History, CUSTOM};
use stim_core::contacts::Polarity;
use stim_core::program::{Stage, Waveform, MAX_STAGES};
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
fn a_link_restores_every_setting_and_a_damaged_link_opens_the_default() {
    let mut bench = Bench {
        level: 5,
        offset_mm: -3,
        amplitude_ua: 3_400,
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
            level: 4,
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

#[wasm_bindgen_test]
fn a_1x16_back_to_a_1x8_drops_the_contacts_it_lacks_and_the_link_says_so() {
    let mut bench = Bench::default();
    bench.set_lead(16);
    bench.cycle(11); // E12 −
    bench.cycle(12); // E13 −, then +
    bench.cycle(12);
    bench.amplitude_ua = 1_500;
    bench.set_lead(8);
    assert_eq!(bench.contacts, 8);
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
    assert_eq!(Bench::from_query("lead=16&lead=8").contacts, 8);
    assert_eq!(Bench::from_query(&bench.to_query()), bench);
    // Choosing the lead already chosen changes nothing.
    let same = bench.clone();
    bench.set_lead(8);
    assert_eq!(bench, same);
}
