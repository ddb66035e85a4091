//! The oscilloscope draws stim-core's pulses and shows its refusals in words.

use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::task::tick;
use scs_studio::oscilloscope::{
    audit, charges, fit_window, trace, traces, verdict_all, Oscilloscope, Trace,
};
use stim_core::contacts::{Electrodes, Polarity};
use stim_core::lead::LeadKind;
use stim_core::presets;
use stim_core::program::{Program, ProgramSet};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn set_of(program: Program) -> ProgramSet {
    ProgramSet::new(LeadKind::Percutaneous8, &[program])
}

#[wasm_bindgen_test]
fn tonic_trace_has_the_programmed_charge_and_balances() {
    // 2 mA × 200 µs = 400 nC per phase at the cathode E4 (slot 3).
    let t = trace(&set_of(presets::tonic_bipole()), 3, 0, 50_000).unwrap();
    assert_eq!(t.peak_ua, 2_000);
    assert_eq!(t.run_charge_nc, 400.0);
    assert_eq!(t.net_charge_nc, 0.0);
    // 3 pulses in 50 ms at 50 Hz, 3 phases each: 9 steps of 4 points plus the ends.
    assert_eq!(t.path.matches('L').count(), 9 * 4 + 1);
}

#[wasm_bindgen_test]
fn a_burst_with_passive_recharge_balances_over_its_period() {
    // 0.6 mA shared by E4 and E5: 0.3 mA × five 1 ms pulses before the recharge = 1500 nC.
    let t = trace(&set_of(presets::classic_burst()), 3, 0, 50_000).unwrap();
    assert_eq!(t.run_charge_nc, 1_500.0);
    assert_eq!(t.net_charge_nc, 0.0);
}

#[wasm_bindgen_test]
fn an_unbalanced_train_reads_not_balanced_wherever_the_window_is() {
    // The engine plays only balanced sets, so the verdict is checked on a tonic train with
    // one recharge missing: 400 nC stay at E4, whether the window is early or late.
    let valid = stim_core::safety::validate(
        &set_of(presets::tonic_bipole()),
        &Default::default(),
        &Default::default(),
    )
    .unwrap();
    let mut engine = stim_core::engine::Engine::new(valid, 0);
    engine.set_level(0, 2_000, 0, 0);
    let mut played: Vec<_> = engine.take(30).collect(); // ten whole pulses
    played.remove(3 * 7 + 2); // the 8th pulse's recharge
    let at = |played: &[_], contact| {
        let (run_charge_nc, net_charge_nc) = charges(&audit(played), contact);
        Trace {
            contact,
            path: String::new(),
            peak_ua: 0,
            run_charge_nc,
            net_charge_nc,
        }
    };
    assert_eq!(at(&played, 3).net_charge_nc, -400.0);
    assert_eq!(
        verdict_all(&[at(&played, 3), at(&played, 4)]),
        "not balanced: E4 -400.0 nC, E5 400.0 nC left."
    );
    assert_eq!(
        verdict_all(&[at(&played[..9], 3), at(&played[..9], 4)]),
        "charge-balanced at every contact."
    );
}

#[wasm_bindgen_test]
fn a_late_window_still_counts_whole_periods_from_the_start() {
    // 700–750 ms of tonic: the old count compared periods with the window's length and
    // counted nothing this late; the whole periods the window reaches are balanced.
    let t = trace(&set_of(presets::tonic_bipole()), 3, 700_000, 50_000).unwrap();
    assert_eq!(t.net_charge_nc, 0.0);
    assert_eq!(t.run_charge_nc, 400.0);
}

#[wasm_bindgen_test]
fn a_soft_start_ramps_the_pulses_up_from_zero_and_each_stays_balanced() {
    // 2 mA tonic at 50 Hz with a 1 s soft start: the engine samples the ramp at each
    // period's start, so the pulse at 40 ms carries 2000 µA × 40/1000 = 80 µA.
    let set = ProgramSet {
        soft_start_ms: 1_000,
        ..set_of(presets::tonic_bipole())
    };
    let t = trace(&set, 3, 0, 50_000).unwrap();
    assert_eq!(t.peak_ua, 80);
    assert_eq!(t.run_charge_nc, 80.0 * 200.0 / 1_000.0);
    assert_eq!(t.net_charge_nc, 0.0);
}

#[wasm_bindgen_test]
fn a_window_that_cuts_a_pulse_still_reads_balanced_and_shows_only_its_span() {
    // 25–35 ms of 50 Hz tonic: no pulse inside (they come at 20 and 40 ms).
    let quiet = trace(&set_of(presets::tonic_bipole()), 3, 25_000, 10_000).unwrap();
    assert_eq!(quiet.path.matches('L').count(), 1, "no pulse drawn");
    // 40.1–42.1 ms starts inside the stimulating phase at 40 ms.
    let cut = trace(&set_of(presets::tonic_bipole()), 3, 40_100, 2_000).unwrap();
    assert_eq!(cut.net_charge_nc, 0.0);
    assert!(
        cut.path.starts_with("M0 100.0 L0.0 100.0 L0.0 "),
        "{}",
        &cut.path[..40]
    );
}

#[wasm_bindgen_test]
async fn the_scope_shows_the_refusal_in_words() {
    let document = document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let no_anode = Program {
        electrodes: Electrodes::off().with(3, Polarity::Cathode, 100),
        ..presets::tonic_bipole()
    };
    let (set, set_set) = signal(set_of(no_anode));
    let _dispose = mount_to(
        root.clone().unchecked_into(),
        move || view! { <Oscilloscope set=set/> },
    );
    tick().await;
    let text = root.text_content().unwrap();
    assert!(
        text.contains("Program 1: set at least one contact (or the case) to + (anode)"),
        "{text}"
    );

    set_set.set(set_of(presets::tonic_bipole()));
    tick().await;
    let text = root.text_content().unwrap();
    assert!(text.contains("charge-balanced"), "{text}");
    assert!(root.query_selector("path.scope-trace").unwrap().is_some());
}

#[wasm_bindgen_test]
fn the_window_opens_on_two_periods_of_the_program() {
    // 50 Hz: two periods are 40 ms, in the 50 ms window; 10 kHz: 200 µs, in the 2 ms one
    // (not a solid block in 50 ms); a 40 Hz burst: 50 ms.
    assert_eq!(fit_window(&set_of(presets::tonic_bipole())), Some(50_000));
    assert_eq!(fit_window(&set_of(presets::ten_khz())), Some(2_000));
    assert_eq!(fit_window(&set_of(presets::classic_burst())), Some(50_000));
    let mut slow = presets::tonic_bipole();
    slow.waveform = stim_core::program::Waveform::Tonic {
        rate_hz: 2,
        width_us: 200,
    };
    assert_eq!(
        fit_window(&set_of(slow)),
        Some(200_000),
        "the longest window"
    );
}

#[wasm_bindgen_test]
fn every_active_contact_has_a_channel_on_one_scale_and_shares_read_true() {
    // E4 − 100 %, E5 + 70 %, E6 + 30 % at 2 mA: the anodes carry 1.4 and 0.6 mA.
    let program = Program {
        electrodes: Electrodes::off()
            .with(3, Polarity::Cathode, 100)
            .with(4, Polarity::Anode, 70)
            .with(5, Polarity::Anode, 30),
        ..presets::tonic_bipole()
    };
    let set = set_of(program);
    assert_eq!(
        scs_studio::oscilloscope::active_contacts(&set),
        vec![3, 4, 5]
    );
    let t = traces(&set, &[3, 4, 5], 0, 50_000).unwrap();
    assert!(t.iter().all(|t| t.peak_ua == 2_000), "one full scale");
    let runs: Vec<f64> = t.iter().map(|t| t.run_charge_nc).collect();
    assert_eq!(runs, vec![400.0, 280.0, 120.0]);
    assert!(t.iter().all(|t| t.net_charge_nc == 0.0));
    assert_eq!(verdict_all(&t), "charge-balanced at every contact.");
    assert_ne!(t[1].path, t[2].path, "70 % and 30 % are drawn apart");
}
