//! The oscilloscope draws stim-core's pulses and shows its refusals in words.

use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::task::tick;
use scs_studio::oscilloscope::{trace, Oscilloscope};
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
    assert_eq!(t.phase_charge_nc, 400.0);
    assert_eq!(t.net_charge_nc, 0.0);
    // 3 pulses in 50 ms at 50 Hz, 3 phases each: 9 steps of 4 points plus the ends.
    assert_eq!(t.path.matches('L').count(), 9 * 4 + 1);
}

#[wasm_bindgen_test]
fn a_burst_with_passive_recharge_balances_over_its_period() {
    let t = trace(&set_of(presets::classic_burst()), 3, 0, 50_000).unwrap();
    assert_eq!(t.phase_charge_nc, 1_000.0);
    assert_eq!(t.net_charge_nc, 0.0);
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
    assert_eq!(t.phase_charge_nc, 80.0 * 200.0 / 1_000.0);
    assert_eq!(t.net_charge_nc, 0.0);
}

#[wasm_bindgen_test]
fn a_window_that_cuts_a_pulse_still_reads_balanced_and_shows_only_its_span() {
    // 25–35 ms of 50 Hz tonic: no pulse inside (they come at 20 and 40 ms).
    let quiet = trace(&set_of(presets::tonic_bipole()), 3, 25_000, 10_000).unwrap();
    assert_eq!(quiet.phase_charge_nc, 0.0);
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
        move || view! { <Oscilloscope set=set contact=3usize/> },
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
