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
//!   medial leg, L5 top of the foot and big toe, S1 sole and little toe.

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

/// A region of the body outline and the segments whose dermatomes make it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Region {
    /// Its name for people.
    pub name: &'static str,
    /// Lowest and highest segment (inclusive).
    pub segments: (Segment, Segment),
}

/// The regions of the body map, head to foot.
pub const REGIONS: [Region; 10] = [
    Region {
        name: "chest wall",
        segments: (Segment::thoracic(3), Segment::thoracic(7)),
    },
    Region {
        name: "abdomen",
        segments: (Segment::thoracic(8), Segment::thoracic(12)),
    },
    Region {
        name: "groin",
        segments: (Segment::lumbar(1), Segment::lumbar(1)),
    },
    Region {
        name: "front of the thigh",
        segments: (Segment::lumbar(2), Segment::lumbar(2)),
    },
    Region {
        name: "knee",
        segments: (Segment::lumbar(3), Segment::lumbar(3)),
    },
    Region {
        name: "inner lower leg",
        segments: (Segment::lumbar(4), Segment::lumbar(4)),
    },
    Region {
        name: "top of the foot and big toe",
        segments: (Segment::lumbar(5), Segment::lumbar(5)),
    },
    Region {
        name: "sole and little toe",
        segments: (Segment::sacral(1), Segment::sacral(1)),
    },
    Region {
        name: "back of the thigh",
        segments: (Segment::sacral(2), Segment::sacral(2)),
    },
    Region {
        name: "buttock and saddle",
        segments: (Segment::sacral(3), Segment::sacral(5)),
    },
];

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
}
