//! The virtual patient: what a trial patient on the table would feel, and say, for the
//! program on the bench, from the model's fibre thresholds.
//!
//! - The **perception threshold** is the amplitude at which the first fibre fires.
//! - Each region is felt from its own lowest threshold, and grows with the amplitude
//!   relative to it: mild just above it, strong past the comfortable level, too strong at
//!   the discomfort level.
//! - The **discomfort threshold** is the perception threshold times the usage range
//!   [`USAGE_RANGE`]: about 1.4–2 for tonic stimulation that recruits the dorsal columns
//!   first (Holsheimer, Neuromodulation 5:25–31, 2002; He, Barolat, Holsheimer & Struijk,
//!   Pain 59:55–63, 1994). A region reaches it when the amplitude is `USAGE_RANGE` times
//!   *its* threshold, so the region felt first is the first to become too strong, at the
//!   discomfort threshold; discomfort anywhere makes the whole program too strong.
//! - The **comfortable level** lies halfway between the two.
//!
//! A model patient, not a person: thresholds are the model's (docs/science.md).

use spine_field::dermatomes::{region_thresholds, Dermatome, Side, REGIONS};
use stim_core::safety::HARDWARE_MAX_UA;

/// Discomfort threshold ÷ perception threshold (the "usage range") of tonic dorsal column
/// stimulation: typically 1.4–2 (Holsheimer 2002); the model patient's is 1.6.
pub const USAGE_RANGE: f64 = 1.6;

/// What the patient answers while the program is refused: it does not run.
pub const REFUSED: &str =
    "Patient: “I feel nothing.” (The stimulator refused this program, so it does not run.)";
/// What stands for the answer while the field on screen is another placement's.
pub const COMPUTING: &str =
    "The field for this placement is being computed: the patient's answer follows.";

/// How strongly a region is felt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Intensity {
    /// Just above its threshold: a light tingling.
    Mild,
    /// Past the comfortable level.
    Strong,
    /// At or past the discomfort threshold.
    TooStrong,
}

impl Intensity {
    /// Of an amplitude `ratio` times the region's own threshold, for `usage_range`; `None`
    /// below the threshold.
    pub fn of(ratio: f64, usage_range: f64) -> Option<Intensity> {
        if ratio < 1.0 {
            None
        } else if ratio < (1.0 + usage_range) / 2.0 {
            Some(Intensity::Mild)
        } else if ratio < usage_range {
            Some(Intensity::Strong)
        } else {
            Some(Intensity::TooStrong)
        }
    }
}

/// One region felt, on one side.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sensation {
    /// The region (an index into `REGIONS`).
    pub region: usize,
    /// The side.
    pub side: Side,
    /// How strongly.
    pub intensity: Intensity,
}

/// The patient's thresholds for a program, and what they feel at its amplitude.
#[derive(Clone, Debug, PartialEq)]
pub struct Patient {
    /// The first fibre's threshold, mA (infinite when no fibre ever fires).
    pub perception_ma: f64,
    /// Halfway between perception and discomfort, mA.
    pub comfortable_ma: f64,
    /// Where the first region becomes too strong, mA.
    pub discomfort_ma: f64,
    /// The regions felt, in the order of `REGIONS`.
    pub felt: Vec<Sensation>,
}

impl Patient {
    /// The patient for a program whose dermatomes' lowest thresholds are `by_dermatome`
    /// (mA, from `Probe::dermatome_thresholds`), run at `amplitude_ma`.
    pub fn examine(by_dermatome: &[(Dermatome, f64)], amplitude_ma: f64) -> Patient {
        let regions = region_thresholds(by_dermatome);
        let perception_ma = by_dermatome
            .iter()
            .map(|t| t.1)
            .fold(f64::INFINITY, f64::min);
        let felt = regions
            .into_iter()
            .filter_map(|(region, side, ma)| {
                let intensity = Intensity::of(amplitude_ma / ma, USAGE_RANGE)?;
                Some(Sensation {
                    region,
                    side,
                    intensity,
                })
            })
            .collect();
        Patient {
            perception_ma,
            comfortable_ma: perception_ma * (1.0 + USAGE_RANGE) / 2.0,
            discomfort_ma: perception_ma * USAGE_RANGE,
            felt,
        }
    }

    /// The patient for several areas (each one's dermatome thresholds and amplitude, as
    /// for [`Patient::examine`]), which take turns in every period: each region is felt
    /// as strongly as the area that drives it most (a model's simplification: it does not
    /// add the areas' pulse rates); the thresholds said are area `edited`'s, since each
    /// area is titrated on its own.
    ///
    /// # Panics
    /// If there is no area `edited`.
    pub fn examine_areas(areas: &[(Vec<(Dermatome, f64)>, f64)], edited: usize) -> Patient {
        let each: Vec<Patient> = areas
            .iter()
            .map(|(t, ma)| Patient::examine(t, *ma))
            .collect();
        let mut felt = vec![];
        for region in 0..REGIONS.len() {
            for side in [Side::Right, Side::Left] {
                let strongest = each
                    .iter()
                    .flat_map(|p| &p.felt)
                    .filter(|s| (s.region, s.side) == (region, side))
                    .map(|s| s.intensity)
                    .max();
                if let Some(intensity) = strongest {
                    felt.push(Sensation {
                        region,
                        side,
                        intensity,
                    });
                }
            }
        }
        Patient {
            felt,
            ..each[edited].clone()
        }
    }

    /// Whether any region is felt too strongly: the program is over the patient's ceiling.
    pub fn too_strong(&self) -> bool {
        self.felt
            .iter()
            .any(|s| s.intensity == Intensity::TooStrong)
    }

    /// What the patient says when the program is too strong somewhere (`painful`: the
    /// places that hurt, which the answer names); `None` when it is not.
    pub fn complaint(&self, painful: &[(usize, Side)]) -> Option<String> {
        self.too_strong().then(|| self.says(painful))
    }

    /// The three thresholds in words.
    pub fn thresholds(&self) -> String {
        if !self.perception_ma.is_finite() {
            return "This program fires no fibre at any amplitude: no perception threshold.".into();
        }
        let beyond = if self.perception_ma * 1_000.0 > HARDWARE_MAX_UA as f64 {
            " (beyond the stimulator's 25.5 mA)"
        } else {
            ""
        };
        format!(
            "Perception {:.1} mA · comfortable {:.1} mA · discomfort {:.1} mA{beyond}",
            self.perception_ma, self.comfortable_ma, self.discomfort_ma
        )
    }

    /// What the patient says, as on the table during a trial, given the regions that hurt
    /// (`painful`, possibly none).
    pub fn says(&self, painful: &[(usize, Side)]) -> String {
        // Each place once, at the strongest of its regions; in broad words ("both legs")
        // when the tingling is widespread, as a patient would put it.
        // The trunk's middle has no sides in speech: both count as one place.
        let place = |words: &[Word; REGIONS.len()], s: &Sensation| {
            let word = words[s.region];
            (
                word,
                if word.1.is_empty() {
                    Side::Right
                } else {
                    s.side
                },
            )
        };
        let mut fine: Vec<(Word, Side)> = vec![];
        for s in &self.felt {
            let p = place(&WORDS, s);
            if !fine.contains(&p) {
                fine.push(p);
            }
        }
        let words = if fine.len() > 4 { &BROAD } else { &WORDS };
        let mut felt: Vec<(Word, Side, Intensity)> = vec![];
        for s in &self.felt {
            let (word, side) = place(words, s);
            match felt.iter_mut().find(|f| (f.0, f.1) == (word, side)) {
                Some(f) => f.2 = f.2.max(s.intensity),
                None => felt.push((word, side, s.intensity)),
            }
        }
        let at = |level: Intensity| -> Vec<(Word, Side)> {
            let felt = felt.iter().filter(|f| f.2 == level);
            felt.map(|f| (f.0, f.1)).collect()
        };
        let too_strong = at(Intensity::TooStrong);
        if !too_strong.is_empty() {
            return format!(
                "That's strong in {} — too strong, please turn it down.",
                places(&too_strong, true)
            );
        }
        let (strong, mild) = (at(Intensity::Strong), at(Intensity::Mild));
        let mut said = match (strong.is_empty(), mild.is_empty()) {
            (true, true) => return "Nothing yet.".into(),
            (true, false) => format!("I feel a light tingling in {}", places(&mild, true)),
            (false, true) => format!("I feel a strong tingling in {}", places(&strong, true)),
            (false, false) => format!(
                "I feel a strong tingling in {}, and a light one in {}",
                places(&strong, true),
                places(&mild, true)
            ),
        };
        let unfelt =
            |&(r, side): &(usize, Side)| !self.felt.iter().any(|s| (s.region, s.side) == (r, side));
        let also_missed = |r: usize, side: Side| painful.contains(&(r, side)) && unfelt(&(r, side));
        // The top of a foot missed with its sole is the foot: "not in my feet".
        let missing: Vec<(Word, Side)> = painful
            .iter()
            .filter(|p| unfelt(p))
            .filter(|&&(r, side)| !(r == SOLE && also_missed(TOP_OF_FOOT, side)))
            .map(|&(r, side)| match r {
                TOP_OF_FOOT if also_missed(SOLE, side) => (("foot", "feet"), side),
                _ => (WORDS[r], side),
            })
            .collect();
        if !missing.is_empty() {
            said += &format!(", not in {}", places(&missing, false));
        } else if !painful.is_empty() {
            said += ": that's where it hurts";
        }
        said + "."
    }
}

/// A place in the patient's words: singular and plural ("" for the trunk's middle, which
/// has no sides in speech).
type Word = (&'static str, &'static str);

/// The patient's word for each region, in the order of `REGIONS`.
const WORDS: [Word; REGIONS.len()] = [
    ("chest", ""),
    ("belly", ""),
    ("groin", ""),
    ("thigh", "thighs"),
    ("knee", "knees"),
    ("shin", "shins"),
    ("instep", "insteps"),
    ("low back", ""),
    ("buttock", "buttocks"),
    ("thigh", "thighs"),
    ("calf", "calves"),
    ("sole", "soles"),
];

/// The same, broadly: the legs and the feet.
const BROAD: [Word; REGIONS.len()] = [
    ("chest", ""),
    ("belly", ""),
    ("groin", ""),
    ("leg", "legs"),
    ("leg", "legs"),
    ("leg", "legs"),
    ("foot", "feet"),
    ("low back", ""),
    ("buttock", "buttocks"),
    ("leg", "legs"),
    ("leg", "legs"),
    ("foot", "feet"),
];

/// The top of the foot's and the sole's places in `REGIONS` (and `WORDS`).
const TOP_OF_FOOT: usize = 6;
const SOLE: usize = 11;

/// `regions` (places in the patient's words), each once: "my belly", "my left foot", "both
/// feet" joined with commas and "and"; or, when not `both` (to say where it is not felt),
/// "my feet" joined with "or".
fn places(regions: &[(Word, Side)], both: bool) -> String {
    let mut words: Vec<(&str, &str, Vec<Side>)> = vec![];
    for &((one, many), side) in regions {
        match words.iter_mut().find(|w| w.0 == one) {
            Some(w) if !w.2.contains(&side) => w.2.push(side),
            Some(_) => {}
            None => words.push((one, many, vec![side])),
        }
    }
    let phrases: Vec<String> = words
        .into_iter()
        .map(|(one, many, sides)| match (many, sides.as_slice()) {
            ("", _) => format!("my {one}"),
            (_, [_, _]) if both => format!("both {many}"),
            (_, [_, _]) => format!("my {many}"),
            (_, [Side::Left]) => format!("my left {one}"),
            _ => format!("my right {one}"),
        })
        .collect();
    match phrases.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => {
            let and = if both { "and" } else { "or" };
            format!("{} {and} {last}", init.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spine_field::dermatomes::{dermatomes_of, region_named, regions_within, Segment};
    use wasm_bindgen_test::wasm_bindgen_test;

    fn d(segment: Segment, side: Side) -> Dermatome {
        Dermatome { segment, side }
    }

    /// The left S1 (sole) fibres fire first at 2 mA, the left L2 (front of the thigh) at
    /// 2.6 mA, the right S1 at 3 mA.
    fn thresholds() -> Vec<(Dermatome, f64)> {
        vec![
            (d(Segment::lumbar(2), Side::Left), 2.6),
            (d(Segment::sacral(1), Side::Right), 3.0),
            (d(Segment::sacral(1), Side::Left), 2.0),
        ]
    }

    fn feet() -> Vec<(usize, Side)> {
        regions_within(&dermatomes_of(&[
            "top of the foot and big toe",
            "sole and little toe",
        ]))
    }

    fn intensity(p: &Patient, name: &str, side: Side) -> Option<Intensity> {
        let r = region_named(name).unwrap();
        p.felt
            .iter()
            .find(|s| s.region == r && s.side == side)
            .map(|s| s.intensity)
    }

    #[wasm_bindgen_test]
    fn the_patient_s_words_follow_the_regions() {
        assert_eq!(REGIONS[TOP_OF_FOOT].name, "top of the foot and big toe");
        assert_eq!(REGIONS[SOLE].name, "sole and little toe");
        assert_eq!(WORDS[region_named("abdomen").unwrap()].0, "belly");
        assert_eq!(WORDS[region_named("back of the thigh").unwrap()].0, "thigh");
        assert_eq!(BROAD[region_named("calf").unwrap()].0, "leg");
    }

    #[wasm_bindgen_test]
    fn nothing_is_felt_below_the_perception_threshold() {
        let p = Patient::examine(&thresholds(), 1.99);
        assert_eq!(p.perception_ma, 2.0);
        assert!(p.felt.is_empty());
        assert_eq!(p.says(&feet()), "Nothing yet.");
        assert!(!p.too_strong());
        let none = Patient::examine(&[], 5.0);
        assert!(none.felt.is_empty());
        assert!(none.thresholds().contains("no fibre"));
    }

    #[wasm_bindgen_test]
    fn a_region_s_intensity_rises_with_the_amplitude_relative_to_its_own_threshold() {
        let sole = |ma| {
            intensity(
                &Patient::examine(&thresholds(), ma),
                "sole and little toe",
                Side::Left,
            )
        };
        let thigh = |ma| {
            intensity(
                &Patient::examine(&thresholds(), ma),
                "front of the thigh",
                Side::Left,
            )
        };
        // Comfortable at 1.3 × 2.0 mA, discomfort at 1.6 × 2.0 mA.
        assert_eq!(sole(2.0), Some(Intensity::Mild));
        assert_eq!(sole(2.7), Some(Intensity::Strong));
        assert_eq!(sole(3.2), Some(Intensity::TooStrong));
        // The thigh starts later and is still light where the sole is strong.
        assert_eq!(thigh(2.3), None);
        assert_eq!(thigh(2.7), Some(Intensity::Mild));
        let p = Patient::examine(&thresholds(), 2.7);
        assert_eq!((p.comfortable_ma, p.discomfort_ma), (2.6, 3.2));
        assert_eq!(
            p.thresholds(),
            "Perception 2.0 mA · comfortable 2.6 mA · discomfort 3.2 mA"
        );
    }

    #[wasm_bindgen_test]
    fn areas_each_cover_their_own_side_at_their_own_amplitude_and_the_edited_one_sets_the_thresholds(
    ) {
        // Area 1 drives the left sole (2.0 mA threshold), area 2 the right (3.0 mA).
        let right = vec![(d(Segment::sacral(1), Side::Right), 3.0)];
        let left = vec![(d(Segment::sacral(1), Side::Left), 2.0)];
        // One program for both: the right sole's 3.0 mA is past the left's discomfort.
        let one = Patient::examine(&thresholds(), 3.2);
        assert!(one.too_strong());
        // Two: each at its own comfortable amplitude, both feet felt, neither too strong.
        let two = Patient::examine_areas(&[(left.clone(), 2.2), (right, 3.3)], 1);
        assert_eq!(
            intensity(&two, "sole and little toe", Side::Left),
            Some(Intensity::Mild)
        );
        assert_eq!(
            intensity(&two, "sole and little toe", Side::Right),
            Some(Intensity::Mild)
        );
        assert!(!two.too_strong());
        assert_eq!(two.perception_ma, 3.0, "the edited area's");
        // A region two areas drive is felt as strongly as the stronger makes it.
        let both = Patient::examine_areas(&[(left.clone(), 2.2), (left.clone(), 3.0)], 0);
        assert_eq!(
            intensity(&both, "sole and little toe", Side::Left),
            Some(Intensity::Strong)
        );
        assert_eq!(both.perception_ma, 2.0);
        let left_alone = Patient::examine(&left, 3.0);
        assert_eq!(both.felt.len(), left_alone.felt.len(), "each region once");
    }

    /// Holsheimer 2002: the usage range of tonic dorsal column stimulation is about 1.4–2.
    #[wasm_bindgen_test]
    fn discomfort_anywhere_makes_the_program_too_strong_at_the_usage_range_holsheimer_2002() {
        assert!((1.4..=2.0).contains(&USAGE_RANGE));
        let below = Patient::examine(&thresholds(), 2.0 * USAGE_RANGE - 0.01);
        assert!(!below.too_strong());
        let at = Patient::examine(&thresholds(), 2.0 * USAGE_RANGE);
        assert!(at.too_strong(), "the sole reaches discomfort first");
        assert_eq!(
            intensity(&at, "front of the thigh", Side::Left),
            Some(Intensity::Mild),
            "while the thigh is still light"
        );
        assert_eq!(
            at.says(&feet()),
            "That's strong in my left leg and my left foot — too strong, please turn it down."
        );
    }

    #[wasm_bindgen_test]
    fn the_patient_says_where_it_is_felt_and_which_painful_places_it_misses() {
        let thigh_only = [(d(Segment::lumbar(2), Side::Left), 2.0)];
        assert_eq!(
            Patient::examine(&thigh_only, 2.1).says(&feet()),
            "I feel a light tingling in my left thigh, not in my feet."
        );
        assert_eq!(
            Patient::examine(&thresholds(), 2.1).says(&feet()),
            "I feel a light tingling in my left calf and my left sole, not in my right foot or my left instep."
        );
        // At 3.1 mA: the left S1 strong (1.55 ×), the left L2 and the right S1 light; five
        // places, said broadly.
        assert_eq!(
            Patient::examine(&thresholds(), 3.1).says(&feet()),
            "I feel a strong tingling in my left leg and my left foot, and a light one in my \
             right leg and my right foot, not in my insteps."
        );
        let everywhere: Vec<_> = [Segment::lumbar(5), Segment::sacral(1)]
            .into_iter()
            .flat_map(|s| [(d(s, Side::Left), 2.0), (d(s, Side::Right), 2.0)])
            .collect();
        assert_eq!(
            Patient::examine(&everywhere, 2.1).says(&feet()),
            "I feel a light tingling in both feet and both legs: that's where it hurts."
        );
        let belly = [
            (d(Segment::thoracic(10), Side::Right), 2.0),
            (d(Segment::thoracic(10), Side::Left), 2.5),
        ];
        assert_eq!(
            Patient::examine(&belly, 3.0).says(&[]),
            "I feel a strong tingling in my belly and my low back.",
            "the belly's sides are one place, at the stronger"
        );
        assert_eq!(
            Patient::examine(&belly, 3.3).says(&[]),
            "That's strong in my belly and my low back — too strong, please turn it down."
        );
    }
}
