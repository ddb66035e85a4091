//! Where a recruited fibre is felt: spinal segments, their dermatomes on the body, and
//! how well a paresthesia map covers a target and spares what to avoid.
//!
//! - Below T6 the cord's segments lie above their vertebrae: the roots entering at a
//!   vertebral level belong to a segment about two lower in mid-thoracic levels, and the
//!   lumbar and sacral segments crowd into T10–L1 (the conus at L1). [`root_segment`]
//!   tabulates this approximation (after Gray's Anatomy, 42nd ed., 2020).
//! - In the dorsal columns the fibres of the lowest segments lie nearest the midline, and
//!   each segment above adds its fibres laterally (Smith & Deacon, Brain 107:671–698, 1984),
//!   so at T8–T11 the medial columns carry the legs and feet. [`dorsal_column_dermatome`]
//!   maps the distance from the midline linearly onto that order.
//! - Dermatome landmarks (DOMAIN.md): T4 nipple, T10 umbilicus, L1 groin, L3 knee, L4
//!   medial leg, L5 top of the foot and big toe, S1 sole and little toe; the body map's
//!   [`REGIONS`] follow the evidence-based map of Lee, McPhee & Stringer (Clin. Anat.
//!   21:363–373, 2008).

use crate::anatomy::{level_at, Anatomy};

/// A spinal segment: 0–11 are T1–T12, 12–16 L1–L5, 17–21 S1–S5.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Segment(pub u8);

impl Segment {
    /// T1–T12 as `thoracic(1..=12)`.
    pub const fn thoracic(n: u8) -> Segment {
        Segment(n - 1)
    }
    /// L1–L5.
    pub const fn lumbar(n: u8) -> Segment {
        Segment(11 + n)
    }
    /// S1–S5.
    pub const fn sacral(n: u8) -> Segment {
        Segment(16 + n)
    }

    /// The segment's name, "T10", "L5", "S1".
    pub fn name(self) -> String {
        match self.0 {
            0..=11 => format!("T{}", self.0 + 1),
            12..=16 => format!("L{}", self.0 - 11),
            _ => format!("S{}", self.0 - 16),
        }
    }
}

/// Left or right.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    /// The patient's left.
    Left,
    /// The patient's right.
    Right,
}

/// A dermatome: a segment's skin on one side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Dermatome {
    /// The segment.
    pub segment: Segment,
    /// The side.
    pub side: Side,
}

/// The segment whose roots enter the cord at vertebral level `level` (0 = T6 … 7 = L1).
pub fn root_segment(level: usize) -> Segment {
    const TABLE: [Segment; 8] = [
        Segment::thoracic(8),
        Segment::thoracic(9),
        Segment::thoracic(11),
        Segment::thoracic(12),
        Segment::lumbar(1),
        Segment::lumbar(3),
        Segment::lumbar(5),
        Segment::sacral(2),
    ];
    TABLE[level.min(TABLE.len() - 1)]
}

/// Half-width of the dorsal columns, mm.
const COLUMNS_HALF_WIDTH: f64 = 1.3;

/// The dermatome of a dorsal column fibre at lateral position `x` (mm), at height `z`:
/// sacral medially, then each segment up to the one entering here, laterally.
pub fn dorsal_column_dermatome(_anatomy: &Anatomy, x: f64, z: f64) -> Dermatome {
    let entering = root_segment(level_at(z)).0;
    let lowest = Segment::sacral(2).0;
    // Medial to lateral: S2, S1, L5, …, down to the segment entering here.
    let count = (lowest - entering.min(lowest) + 1) as f64;
    let band = ((x.abs() / COLUMNS_HALF_WIDTH).min(0.999) * count).floor() as u8;
    Dermatome {
        segment: Segment(lowest - band),
        side: if x >= 0.0 { Side::Right } else { Side::Left },
    }
}

/// A region of the body map and the segments whose dermatomes make it.
///
/// The segments follow the evidence-based dermatome map of Lee, McPhee & Stringer
/// (Clin. Anat. 21:363–373, 2008), where its consistent areas reach the region, and the
/// landmarks of DOMAIN.md. Dermatomes overlap and a band wraps the body, so one segment
/// can make several regions: T10–T12 reach both the abdomen and the low back, S1 the sole
/// and the calf, S2 the back of the thigh, the calf and the buttock.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Region {
    /// Its name for people.
    pub name: &'static str,
    /// Lowest and highest segment (inclusive).
    pub segments: (Segment, Segment),
    /// On the back of the body (seen from behind), not the front.
    pub back: bool,
}

const fn front(name: &'static str, lowest: Segment, highest: Segment) -> Region {
    Region {
        name,
        segments: (lowest, highest),
        back: false,
    }
}

const fn back(name: &'static str, lowest: Segment, highest: Segment) -> Region {
    Region {
        back: true,
        ..front(name, lowest, highest)
    }
}

/// The regions of the body map: the front of the body head to foot, then the back.
pub const REGIONS: [Region; 12] = [
    // Front: T4 at the nipples, the lower ribs T7–T8; T10 at the umbilicus; L1 the groin.
    front("chest wall", Segment::thoracic(3), Segment::thoracic(8)),
    front("abdomen", Segment::thoracic(9), Segment::thoracic(12)),
    front("groin", Segment::lumbar(1), Segment::lumbar(1)),
    front("front of the thigh", Segment::lumbar(2), Segment::lumbar(2)),
    front("knee", Segment::lumbar(3), Segment::lumbar(3)),
    // L4: the medial leg and shin down to the medial malleolus.
    front("inner lower leg", Segment::lumbar(4), Segment::lumbar(4)),
    front(
        "top of the foot and big toe",
        Segment::lumbar(5),
        Segment::lumbar(5),
    ),
    // Back: the lower thoracic bands and L1 over the loin, above the iliac crest.
    back("low back", Segment::thoracic(10), Segment::lumbar(1)),
    // S2 runs up the back of the thigh onto the buttock, S3 medially on it.
    back("buttock", Segment::sacral(2), Segment::sacral(3)),
    back("back of the thigh", Segment::sacral(2), Segment::sacral(2)),
    // S1 posterolaterally, S2 the upper calf and the popliteal fossa.
    back("calf", Segment::sacral(1), Segment::sacral(2)),
    back(
        "sole and little toe",
        Segment::sacral(1),
        Segment::sacral(1),
    ),
];

/// The index in [`REGIONS`] of the region called `name`.
pub fn region_named(name: &str) -> Option<usize> {
    REGIONS.iter().position(|r| r.name == name)
}

/// Whether `dermatome` is part of region `region` (an index into [`REGIONS`]).
fn in_region(region: usize, dermatome: Dermatome) -> bool {
    let (lowest, highest) = REGIONS[region].segments;
    (lowest..=highest).contains(&dermatome.segment)
}

/// The lowest threshold (mA) of each region and side reached by `by_dermatome` (each
/// dermatome's lowest threshold, as [`crate::fibres::Probe::dermatome_thresholds`] gives
/// it), in the order of [`REGIONS`], right before left: a region is felt once any of its
/// dermatomes is.
pub fn region_thresholds(by_dermatome: &[(Dermatome, f64)]) -> Vec<(usize, Side, f64)> {
    let mut out = vec![];
    for region in 0..REGIONS.len() {
        for side in [Side::Right, Side::Left] {
            let lowest = by_dermatome
                .iter()
                .filter(|(d, _)| d.side == side && in_region(region, *d))
                .map(|&(_, ma)| ma)
                .fold(f64::INFINITY, f64::min);
            if lowest.is_finite() {
                out.push((region, side, lowest));
            }
        }
    }
    out
}

/// The regions and sides made wholly of `dermatomes` (a painful area given as
/// dermatomes): the feet's L5 and S1 give the top of the foot and the sole, not the calf
/// (which S2 makes too).
pub fn regions_within(dermatomes: &[Dermatome]) -> Vec<(usize, Side)> {
    let mut out = vec![];
    for (r, region) in REGIONS.iter().enumerate() {
        for side in [Side::Right, Side::Left] {
            if (region.segments.0 .0..=region.segments.1 .0).all(|s| {
                dermatomes.contains(&Dermatome {
                    segment: Segment(s),
                    side,
                })
            }) {
                out.push((r, side));
            }
        }
    }
    out
}

/// The dermatomes of the named regions, both sides.
pub fn dermatomes_of(names: &[&str]) -> Vec<Dermatome> {
    let mut out = vec![];
    for region in REGIONS.iter().filter(|r| names.contains(&r.name)) {
        for s in region.segments.0 .0..=region.segments.1 .0 {
            for side in [Side::Left, Side::Right] {
                out.push(Dermatome {
                    segment: Segment(s),
                    side,
                });
            }
        }
    }
    out
}

/// The share (0–1) of `wanted` dermatomes found in `felt`.
pub fn share_covered(felt: &[Dermatome], wanted: &[Dermatome]) -> f64 {
    if wanted.is_empty() {
        return 0.0;
    }
    wanted.iter().filter(|d| felt.contains(d)).count() as f64 / wanted.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::anatomy::level_z;

    #[test]
    fn the_feet_lie_medially_in_the_dorsal_columns_at_t8() {
        let anatomy = Anatomy::default();
        let medial = dorsal_column_dermatome(&anatomy, 0.1, level_z(2));
        let lateral = dorsal_column_dermatome(&anatomy, -1.25, level_z(2));
        assert_eq!(
            (medial.segment.name(), medial.side),
            ("S2".into(), Side::Right)
        );
        assert_eq!(
            (lateral.segment.name(), lateral.side),
            ("T11".into(), Side::Left)
        );
        assert_eq!(root_segment(4).name(), "L1");
    }

    #[test]
    fn coverage_counts_both_sides() {
        let feet = dermatomes_of(&["top of the foot and big toe", "sole and little toe"]);
        assert_eq!(feet.len(), 4);
        let felt = [
            Dermatome {
                segment: Segment::lumbar(5),
                side: Side::Left,
            },
            Dermatome {
                segment: Segment::sacral(1),
                side: Side::Left,
            },
        ];
        assert_eq!(share_covered(&felt, &feet), 0.5);
    }

    #[test]
    fn every_region_has_a_unique_name_and_the_front_comes_before_the_back() {
        for (i, r) in REGIONS.iter().enumerate() {
            assert_eq!(region_named(r.name), Some(i));
            assert!(r.segments.0 <= r.segments.1, "{}", r.name);
        }
        let first_back = REGIONS.iter().position(|r| r.back).unwrap();
        assert!(REGIONS[first_back..].iter().all(|r| r.back));
        assert_eq!(REGIONS[first_back].name, "low back");
    }

    /// Lee, McPhee & Stringer 2008 and DOMAIN.md: T10 at the umbilicus (abdomen, and the
    /// low back behind it), L1 the groin, L3 the knee, L4 the medial leg, L5 the top of the
    /// foot, S1 the sole and the calf, S2 the back of the thigh.
    #[test]
    fn landmark_dermatomes_fall_in_their_regions_after_lee_2008() {
        let regions_of = |segment: Segment| -> Vec<&str> {
            let d = Dermatome {
                segment,
                side: Side::Left,
            };
            (0..REGIONS.len())
                .filter(|&r| in_region(r, d))
                .map(|r| REGIONS[r].name)
                .collect()
        };
        assert_eq!(regions_of(Segment::thoracic(4)), ["chest wall"]);
        assert_eq!(regions_of(Segment::thoracic(10)), ["abdomen", "low back"]);
        assert_eq!(regions_of(Segment::lumbar(1)), ["groin", "low back"]);
        assert_eq!(regions_of(Segment::lumbar(3)), ["knee"]);
        assert_eq!(regions_of(Segment::lumbar(4)), ["inner lower leg"]);
        assert_eq!(
            regions_of(Segment::lumbar(5)),
            ["top of the foot and big toe"]
        );
        assert_eq!(
            regions_of(Segment::sacral(1)),
            ["calf", "sole and little toe"]
        );
        assert_eq!(
            regions_of(Segment::sacral(2)),
            ["buttock", "back of the thigh", "calf"]
        );
    }

    #[test]
    fn a_region_is_felt_from_its_lowest_threshold_on_its_own_side() {
        let d = |segment, side| Dermatome { segment, side };
        let by_dermatome = [
            (d(Segment::sacral(1), Side::Left), 3.0),
            (d(Segment::sacral(2), Side::Left), 2.5),
            (d(Segment::lumbar(5), Side::Right), 4.0),
        ];
        let thresholds = region_thresholds(&by_dermatome);
        let of = |name, side| {
            thresholds
                .iter()
                .find(|&&(r, s, _)| REGIONS[r].name == name && s == side)
                .map(|t| t.2)
        };
        assert_eq!(of("sole and little toe", Side::Left), Some(3.0));
        assert_eq!(
            of("calf", Side::Left),
            Some(2.5),
            "S2 reaches the calf first"
        );
        assert_eq!(of("top of the foot and big toe", Side::Right), Some(4.0));
        assert_eq!(of("sole and little toe", Side::Right), None);
        assert_eq!(thresholds.len(), 5);
    }

    #[test]
    fn the_feet_as_a_painful_area_are_the_top_of_the_foot_and_the_sole_not_the_calf() {
        let feet = dermatomes_of(&["top of the foot and big toe", "sole and little toe"]);
        let names: Vec<_> = regions_within(&feet)
            .into_iter()
            .map(|(r, side)| (REGIONS[r].name, side))
            .collect();
        assert_eq!(
            names,
            [
                ("top of the foot and big toe", Side::Right),
                ("top of the foot and big toe", Side::Left),
                ("sole and little toe", Side::Right),
                ("sole and little toe", Side::Left),
            ]
        );
    }
}
