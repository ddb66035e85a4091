//! The impedance check a clinician runs before programming: each lead contact's impedance
//! in the story being worked, and stim-core's verdict on it (normal, or a short or an open
//! circuit that no program may use), with the verdict in one line always in view.

use leptos::prelude::*;
use stim_core::contacts::ContactName;
use stim_core::error::ImpedanceFault;
use stim_core::impedance::ImpedanceModel;

use super::placement::Placement;

/// One contact's reading.
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    /// The contact's slot.
    pub slot: usize,
    /// Its impedance, Ω.
    pub ohms: u32,
    /// stim-core's verdict: none when normal.
    pub fault: Option<ImpedanceFault>,
}

/// Ohms with a thin space between thousands: "25 000 Ω".
fn ohms(value: u32) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{2009}');
        }
        out.push(d);
    }
    format!("{out} Ω")
}

/// The readings of every lead contact of `placement`.
pub fn readings(placement: &Placement, model: &ImpedanceModel) -> Vec<Reading> {
    (0..placement.contacts())
        .map(|slot| Reading {
            slot,
            ohms: model.ohms[slot],
            fault: model.fault(slot),
        })
        .collect()
}

/// A reading's verdict in words: "normal", "open circuit: do not use it".
fn verdict(fault: Option<ImpedanceFault>) -> &'static str {
    match fault {
        None => "normal",
        Some(ImpedanceFault::Open) => "open circuit: do not use it",
        Some(ImpedanceFault::Short) => "short circuit: do not use it",
    }
}

/// The check in one line: "All 8 contacts normal (300–1 500 Ω)." or the faults by name.
pub fn summary(readings: &[Reading], model: &ImpedanceModel) -> String {
    let faults: Vec<String> = readings
        .iter()
        .filter_map(|r| {
            let kind = match r.fault? {
                ImpedanceFault::Open => "open circuit",
                ImpedanceFault::Short => "short circuit",
            };
            Some(format!("{} {kind} ({})", ContactName(r.slot), ohms(r.ohms)))
        })
        .collect();
    if faults.is_empty() {
        format!(
            "All {} contacts normal ({}–{}).",
            readings.len(),
            ohms(model.short_below).trim_end_matches(" Ω"),
            ohms(model.open_above)
        )
    } else {
        format!(
            "Out of range: {}. Programs cannot use {}.",
            faults.join(", "),
            if faults.len() == 1 { "it" } else { "them" }
        )
    }
}

/// The impedance check of the leads in `placement`, in the story's `impedance`.
#[component]
pub fn ImpedanceCheck(
    /// The leads.
    #[prop(into)]
    placement: Signal<Placement>,
    /// The contacts' impedances (the scenario's story).
    #[prop(into)]
    impedance: Signal<ImpedanceModel>,
) -> impl IntoView {
    let read = move || readings(&placement.get(), &impedance.get());
    view! {
        <details class="impedances" data-testid="impedances">
            <summary>"Impedance check: " <span data-testid="impedance-summary">{move || summary(&read(), &impedance.get())}</span></summary>
            <ul class="impedance-list">
                {move || read().into_iter().map(|r| view! {
                    <li class=if r.fault.is_some() { "fault" } else { "" } data-testid=format!("impedance-{}", r.slot)>
                        {format!("{}: {}, {}", ContactName(r.slot), ohms(r.ohms), verdict(r.fault))}
                    </li>
                }).collect_view()}
            </ul>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::train::placement::{Kind, Placed};
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn every_lead_contact_is_read_and_stim_core_s_faults_are_named() {
        let mut model = ImpedanceModel::default();
        let one = Placement::default();
        assert_eq!(readings(&one, &model).len(), 8);
        assert_eq!(
            summary(&readings(&one, &model), &model),
            "All 8 contacts normal (300–1\u{2009}500 Ω)."
        );
        model.ohms[3] = 25_000;
        model.ohms[9] = 120;
        let two = Placement::new(
            Placed::at(Kind::Percutaneous8, 2),
            Some(Placed::at(Kind::Percutaneous8, 3)),
        )
        .unwrap();
        let read = readings(&two, &model);
        assert_eq!(read.len(), 16);
        assert_eq!(read[3].fault, Some(ImpedanceFault::Open));
        assert_eq!(read[9].fault, Some(ImpedanceFault::Short));
        assert_eq!(
            summary(&read, &model),
            "Out of range: E4 open circuit (25\u{2009}000 Ω), E10 short circuit (120 Ω). Programs cannot use them."
        );
        assert_eq!(verdict(read[0].fault), "normal");
    }
}
