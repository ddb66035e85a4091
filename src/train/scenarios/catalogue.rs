//! The exercises, simplest first. Each is a programming problem met in SCS trials and
//! follow-ups, with a lead placement, contacts and impedances from its story; the programs
//! that pass and fail each one are checked against the fine-grid field in `tests.rs`.

use stim_core::contacts::{Polarity, CASE, CONTACT_SLOTS};
use stim_core::impedance::ImpedanceModel;

use super::{Rule, Scenario, Target};
use crate::train::bench::Bench;
use crate::train::placement::{Kind, Placed, Placement};

/// Region names as spine-field's body map spells them (`dermatomes::REGIONS`): the one
/// place to change when they are renamed (a test checks each is on the map).
mod name {
    pub const CHEST_WALL: &str = "chest wall";
    pub const ABDOMEN: &str = "abdomen";
    pub const FRONT_OF_THIGH: &str = "front of the thigh";
    pub const KNEE: &str = "knee";
    pub const SHIN: &str = "inner lower leg";
    pub const FOOT_TOP: &str = "top of the foot and big toe";
    pub const SOLE: &str = "sole and little toe";
}
use name::*;

/// Every region name the scenarios use.
pub fn region_names() -> [&'static str; 7] {
    [
        CHEST_WALL,
        ABDOMEN,
        FRONT_OF_THIGH,
        KNEE,
        SHIN,
        FOOT_TOP,
        SOLE,
    ]
}

/// Levels by name (indices into spine-field's LEVELS, T6 = 0).
const T8: usize = 2;
const T9: usize = 3;
const T10: usize = 4;

/// Both feet: L5 (top of the foot and big toe) and S1 (sole and little toe), each side.
const FEET: &[Target] = &[Target::both(FOOT_TOP), Target::both(SOLE)];
/// The trunk, to spare.
const TRUNK: &[Target] = &[Target::both(CHEST_WALL), Target::both(ABDOMEN)];
/// Tonic amplitudes commonly used: up to 10 mA (DOMAIN.md: tonic 2–10 mA).
const TONIC: (u32, u32) = (0, 10_000);

/// A 1 × 8 lead's middle at `level`, `offset_mm` right of the midline, with these
/// cathodes and anodes (slot 0 = E1, [`CASE`] = the case) sharing evenly, at `amplitude_ua`.
fn lead(
    level: usize,
    offset_mm: i32,
    cathodes: &[usize],
    anodes: &[usize],
    amplitude_ua: u32,
) -> Bench {
    let mut bench = Bench {
        placement: Placement::default().moved(0, level, 0, offset_mm),
        ..Bench::default()
    };
    bench.amplitude_ua = amplitude_ua;
    bench.polarity = [Polarity::Off; CONTACT_SLOTS];
    for &slot in cathodes {
        bench.polarity[slot] = Polarity::Cathode;
    }
    for &slot in anodes {
        bench.polarity[slot] = Polarity::Anode;
    }
    bench.balance_shares();
    bench
}

/// Two 1 × 8 leads as a trial often places them for both feet: lead 1 (E1–E8) 3 mm left
/// of the midline over T9, lead 2 (E9–E16) 3 mm right over T10, a level lower (staggered),
/// with the implanter's test program E4 − E5 + at 0 mA.
fn staggered() -> Bench {
    let first = Placed::at(Kind::Percutaneous8, T9).moved(T9, 0, -3);
    let second = Placed::at(Kind::Percutaneous8, T10).moved(T10, 0, 3);
    Bench {
        placement: Placement::new(first, Some(second)).expect("two 1 × 8 leads are 16 contacts"),
        ..lead(T9, 0, &[3], &[4], 0)
    }
}

/// E4 measures an open circuit; the other contacts 800 Ω.
fn open_e4() -> ImpedanceModel {
    let mut model = ImpedanceModel::default();
    model.ohms[3] = 25_000;
    model
}

/// E5 and E6 shorted together: 90 Ω each (a damaged lead).
fn shorted_e5_e6() -> ImpedanceModel {
    let mut model = ImpedanceModel::default();
    model.ohms[4] = 90;
    model.ohms[5] = 90;
    model
}

/// Every lead contact at 1 400 Ω (scar tissue months after the implant; still normal).
fn scarred() -> ImpedanceModel {
    let mut model = ImpedanceModel::default();
    model.ohms[..CASE].fill(1_400);
    model
}

/// The scenarios.
pub const SCENARIOS: [Scenario; 12] = [
    Scenario {
        id: "feet",
        title: "Both feet in painful diabetic neuropathy",
        goal: "Cover both feet (top of the foot and big toe, sole and little toe; each side) without tingling in the chest wall or the abdomen. The trial lead went in on the midline over T8: program it, and move it if you must.",
        lesson: "Fibres enter the cord and then ascend, so the dorsal columns at a level carry only the segments that entered there and below: over T8 the abdomen's fibres (T11–T12) lie beside the legs' and fire with them; over T10, where L1 enters, they have not joined yet. The dorsal CSF is also thinner at T10 (4.2 mm against 5.2 mm at T8 in this model), and a thicker CSF layer raises the threshold (Holsheimer et al., AJNR 1994), so less current reaches the same fibres.",
        start: || lead(T8, 0, &[3], &[4], 0),
        locked: false,
        impedance: ImpedanceModel::default,
        target: FEET,
        avoid: TRUNK,
        amplitude_ua: TONIC,
        rule: Rule::Tingling,
        uncovered_hint: "raise the amplitude, or move the lead caudally, where the CSF is thinner",
        spill_hint: "move the lead caudally, below where the abdomen's fibres enter (T10)",
    },
    Scenario {
        id: "one-leg",
        title: "One leg, sparing the other and the abdomen",
        goal: "Cover the right leg (front of the thigh, knee, inner lower leg, top of the foot, sole) without tingling in the left leg or the abdomen. The lead lies on the midline over T10: place it and program it.",
        lesson: "Off the midline a cathode is nearer one side's dorsal columns, so that side fires first; the window between the sides is narrow (about a tenth of a mA at 2 mm in the membrane model). Further out the dorsal roots come first, with band-like tingling in one segment (at 3–4 mm the abdomen): a lateral lead recruits the dorsal roots before the dorsal columns (Holsheimer & Wesselink, Neurosurgery 1997).",
        start: || lead(T10, 0, &[3], &[4], 0),
        locked: false,
        impedance: ImpedanceModel::default,
        target: &[
            Target::right(FRONT_OF_THIGH),
            Target::right(KNEE),
            Target::right(SHIN),
            Target::right(FOOT_TOP),
            Target::right(SOLE),
        ],
        avoid: &[
            Target::left(FRONT_OF_THIGH),
            Target::left(KNEE),
            Target::left(SHIN),
            Target::left(FOOT_TOP),
            Target::left(SOLE),
            Target::both(ABDOMEN),
        ],
        amplitude_ua: TONIC,
        rule: Rule::Tingling,
        uncovered_hint: "move the lead a few millimetres to the right of the midline, or raise the amplitude",
        spill_hint: "about 2 mm right of the midline is enough (further out the abdomen's roots fire first), and lower the amplitude",
    },
    Scenario {
        id: "migrated",
        title: "A lead that migrated one level",
        goal: "Over T11 her program (E4 − E5 +, 2.0 mA) covered both feet. The lead has moved up one level to T10 and stays there: she now feels nothing in her feet. Reprogram it to cover both feet again without the abdomen, at no more than the 2 mA she is used to.",
        lesson: "A level is 26 mm: about four contacts of a 1 × 8 (7 mm apart). When a lead migrates, move the active contacts the other way along the lead by as much, so the cathode sits again where the old one was. Raising the amplitude on the old contacts reaches the feet only through thicker CSF (4.2 mm at T10 against 3.6 mm at T11), with more current and more charge.",
        start: || lead(T10, 0, &[3], &[4], 2_000),
        locked: true,
        impedance: ImpedanceModel::default,
        target: FEET,
        avoid: TRUNK,
        amplitude_ua: (0, 2_000),
        rule: Rule::Tingling,
        uncovered_hint: "the lead moved up, so move the cathode down the lead (towards E8)",
        spill_hint: "move the cathode down the lead, away from where the abdomen's fibres enter",
    },
    Scenario {
        id: "lateral",
        title: "A lateral lead: a band around the abdomen",
        goal: "The lead lies 6 mm right of the midline over T9. At the lowest amplitudes the patient feels a band around the right side of the abdomen and nothing in the feet. Reposition it and program it to cover both feet without the abdomen.",
        lesson: "Off the midline a lead comes close to the dorsal roots, which then fire before the dorsal columns (Holsheimer & Wesselink, Neurosurgery 1997). A root carries one segment, so the tingling is a band (here T11–T12, the abdomen). On the midline the dorsal columns, which carry the feet nearest the midline, come first.",
        start: || lead(T9, 6, &[3], &[4], 0),
        locked: false,
        impedance: ImpedanceModel::default,
        target: FEET,
        avoid: TRUNK,
        amplitude_ua: TONIC,
        rule: Rule::Tingling,
        uncovered_hint: "bring the lead to the midline, where the feet's fibres run",
        spill_hint: "bring the lead to the midline, away from the roots, and below T9",
    },
    Scenario {
        id: "open-contact",
        title: "An open contact",
        goal: "The impedance check shows E4 at 25 000 Ω, an open circuit (normal is 300–1 500 Ω); the other contacts measure 800 Ω. The lead stays over T10. Cover both feet without the abdomen, on contacts that work.",
        lesson: "An impedance above the normal range means a broken conductor or a contact out of touch with tissue: no current can be delivered through it, and stim-core refuses any program that uses it. Move the program to the neighbouring contacts: a 7 mm shift along the midline changes the field little.",
        start: || lead(T10, 0, &[3], &[4], 0),
        locked: true,
        impedance: open_e4,
        target: FEET,
        avoid: TRUNK,
        amplitude_ua: TONIC,
        rule: Rule::Tingling,
        uncovered_hint: "use working contacts next to E4, and raise the amplitude",
        spill_hint: "lower the amplitude",
    },
    Scenario {
        id: "10khz",
        title: "10 kHz without paresthesia mapping",
        goal: "10 kHz therapy is placed by anatomy, not by tingling: as in the 10 kHz trials, put a contact above and one below the T9–T10 disc and program 10 kHz (30 µs) at 1–5 mA. It is judged without tingling.",
        lesson: "30 µs pulses need far more current to fire a fibre than 300 µs ones (V_th = V_rh (1 + τ/PW), τ ≈ 200 µs: about 4.6 times more), so at 1–5 mA 10 kHz gives no paresthesia and there is nothing to map. The 10 kHz trials placed the leads anatomically over T8–T11 and programmed bipoles over the T9–T10 disc (Kapural et al., Anesthesiology 2015; Petersen et al., JAMA Neurology 2021, painful diabetic neuropathy).",
        start: || lead(T8, 0, &[3], &[4], 0),
        locked: false,
        impedance: ImpedanceModel::default,
        target: &[],
        avoid: &[],
        amplitude_ua: (1_000, 5_000),
        rule: Rule::TenKhz { level: T9 },
        uncovered_hint: "",
        spill_hint: "",
    },
    Scenario {
        id: "burst",
        title: "Burst programming",
        goal: "The lead stays over T10. Change this tonic program to the classic burst: bursts of 5 pulses of 1 ms at 500 Hz, 40 bursts a second, with passive recharge after each burst, at 1.0 mA or more and within the charge rules, without tingling in the abdomen.",
        lesson: "In a burst the five pulses come before one passive recharge, so a contact holds their charge together: 5 × 1 ms is one 5 ms phase. At 1 mA on one contact that is 5 µC, or 40.8 µC/cm² on a 0.1225 cm² contact, above the 30 µC/cm² limit; two cathodes and two anodes share it (2.5 µC each). Burst is given below the paresthesia threshold.",
        start: || lead(T10, 0, &[3], &[4], 2_500),
        locked: true,
        impedance: ImpedanceModel::default,
        target: &[],
        avoid: TRUNK,
        amplitude_ua: (1_000, 10_000),
        rule: Rule::Burst,
        uncovered_hint: "",
        spill_hint: "lower the amplitude",
    },
    Scenario {
        id: "lower-amplitude",
        title: "The same coverage at a lower amplitude",
        goal: "The lead stays over T10, and E2 − E3 + at 3.0 mA covers both feet. Cover them at 2 mA or less (less current and charge: a longer battery life), without the abdomen.",
        lesson: "The dorsal CSF thins caudally (4.2 mm at T10, 3.6 mm at T11 in this model), and a thicker CSF layer raises the threshold (Holsheimer et al., AJNR 1994): the caudal contacts reach the same fibres with less current. A guarded cathode (+ − +) narrows the field and raises the threshold (Struijk & Holsheimer 1996), so it does not save current. A longer pulse lowers the amplitude needed (strength–duration) but adds charge per pulse.",
        start: || lead(T10, 0, &[1], &[2], 3_000),
        locked: true,
        impedance: ImpedanceModel::default,
        target: FEET,
        avoid: TRUNK,
        amplitude_ua: (0, 2_000),
        rule: Rule::Tingling,
        uncovered_hint: "move the pair towards the caudal end of the lead (E7, E8), over thinner CSF",
        spill_hint: "lower the amplitude",
    },
    Scenario {
        id: "charge",
        title: "Fix a program refused for charge",
        goal: "The lead stays over T10. This program's 1 ms pulses at 4.0 mA (E4 −, case +) are refused by the safety rules. Make it acceptable and still cover both feet without the abdomen, at an amplitude the patient finds comfortable.",
        lesson: "Charge per phase is amplitude × pulse width: 1 ms pulses pass 30 µC/cm² above 3.7 mA on a 0.1225 cm² contact, and the Shannon limit (k = 1.85) near 2.9 mA. Lower the amplitude, share the cathodic current over two contacts, or choose shorter pulses (which need more current for the same fibres, but less charge). Long pulses fire the fibres at less current: with 1 ms pulses the membrane model's patient feels the feet from about 1.2 mA, so 2 mA is already too strong.",
        start: || {
            let mut bench = lead(T10, 0, &[3], &[CASE], 4_000);
            bench.width_us = 1_000;
            bench
        },
        locked: true,
        impedance: ImpedanceModel::default,
        target: FEET,
        avoid: TRUNK,
        amplitude_ua: TONIC,
        rule: Rule::Tingling,
        uncovered_hint: "raise the amplitude within the charge rules",
        spill_hint: "lower the amplitude",
    },
    Scenario {
        id: "impedance",
        title: "High impedance: out of voltage",
        goal: "Months after the implant every lead contact measures 1 400 Ω (scar tissue; still within 300–1 500 Ω). Her program of 60 µs pulses at 9.0 mA (E4 − E5 +) would cover both feet, but the stimulator cannot drive it: it has 12 V. The lead stays over T10. Make a program it can deliver that still covers both feet without the abdomen.",
        lesson: "The voltage needed is current × impedance through the cathode and the anode: 9.0 mA × (1 400 + 1 400) Ω = 25.2 V, above the 12 V compliance. Longer pulses fire the same fibres with less current (the strength–duration curve: I = I_rh (1 + chronaxie/PW), chronaxie a few hundred µs): in the membrane model the feet need about 8.3 mA at 60 µs and 2.1 mA at 300 µs, under 6 V. The case as anode (about 100 Ω) also lowers the voltage.",
        start: || {
            let mut bench = lead(T10, 0, &[3], &[4], 9_000);
            bench.width_us = 60;
            bench
        },
        locked: true,
        impedance: scarred,
        target: FEET,
        avoid: TRUNK,
        amplitude_ua: TONIC,
        rule: Rule::Tingling,
        uncovered_hint: "raise the amplitude within the compliance voltage, or lengthen the pulse",
        spill_hint: "lower the amplitude",
    },
    Scenario {
        id: "two-leads",
        title: "Both feet with two staggered leads",
        goal: "The trial placed two 1 × 8 leads, staggered, and they stay where they are: lead 1 (E1–E8) 3 mm left of the midline over T9, lead 2 (E9–E16) 3 mm right over T10. Cover both feet (top and sole, each side) without tingling in the chest wall or the abdomen, at an amplitude the patient finds comfortable everywhere.",
        lesson: "A cathode on one lead 3 mm off the midline is nearer its own side's dorsal columns: that side tingles first, and by the time the far foot does, the near side is past its comfortable range (perception to discomfort spans only about 1.6 times the amplitude: He et al., Pain 1994; Holsheimer, Neuromodulation 2002). A cathode on each lead at the same height, sharing the current, puts the field's centre on the midline, so both sides come in at one comfortable amplitude. A program of its own for each lead (an “area” on clinical programmers: the programs take turns in every period) does not help here: alone, each lead 3 mm off the midline reaches its own side's dorsal roots — a band round the abdomen — before its foot (Holsheimer & Wesselink, Neurosurgery 1997). The stagger lets the two leads span T8 to T11 between them, so the search along the cord needs no second operation.",
        start: staggered,
        locked: true,
        impedance: ImpedanceModel::default,
        target: FEET,
        avoid: TRUNK,
        amplitude_ua: TONIC,
        rule: Rule::Tingling,
        uncovered_hint: "pair a cathode on each lead at the same height (E8 beside E12), so the field's centre lies on the midline",
        spill_hint: "pair a cathode on each lead at the same height (E8 beside E12): each lead alone is off the midline and reaches its side's roots",
    },
    Scenario {
        id: "short",
        title: "A short circuit between two contacts",
        goal: "Her program (E4 − E5 +) has stopped. The impedance check shows E5 and E6 at 90 Ω (normal is 300–1 500 Ω): their conductors touch inside the lead. The lead stays over T10. Cover both feet without the abdomen on contacts that work.",
        lesson: "An impedance below the normal range means the current has a path that avoids the tissue — most often two conductors touching where the lead's insulation is damaged — so the field is not where the program puts it; stim-core refuses any program that uses a shorted contact. Program around the short (E7 − E8 + lies over thinner CSF at T10 and covers the feet at about 2 mA), and have the lead checked if coverage is lost.",
        start: || lead(T10, 0, &[3], &[4], 0),
        locked: true,
        impedance: shorted_e5_e6,
        target: FEET,
        avoid: TRUNK,
        amplitude_ua: TONIC,
        rule: Rule::Tingling,
        uncovered_hint: "use working contacts away from E5 and E6, and raise the amplitude",
        spill_hint: "lower the amplitude",
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use spine_field::dermatomes::REGIONS;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn every_region_the_scenarios_name_is_on_the_body_map() {
        for name in region_names() {
            assert!(
                REGIONS.iter().any(|r| r.name == name),
                "{name} is not a region of spine-field's body map"
            );
        }
        let used = SCENARIOS
            .iter()
            .flat_map(|s| s.target.iter().chain(s.avoid))
            .map(|a| a.region);
        for region in used {
            assert!(region_names().contains(&region), "{region}");
        }
    }
}
