//! The leads on the bench and where they lie: one lead, or two percutaneous leads side by
//! side or staggered (as in most trials for painful diabetic neuropathy), each of a kind
//! (1 × 8, 1 × 16, paddle 2 × 8) at a level, shifted along the cord and offset from the
//! midline. The one place that maps a lead kind to stim-core's (contact count and area,
//! for the safety rules) and to spine-field's (contacts in space, for the field); a
//! [`Placement`] is also the key of its field's solve.
//!
//! The stimulator's 16 lead contacts are shared as commercial programmers number them: the
//! first lead's contacts are E1…, the second's continue (E9–E16 after a 1 × 8). A
//! combination that needs more contacts than the stimulator drives is refused in words.

use std::fmt;
use std::ops::Range;

use spine_field::anatomy::LEVELS;
use spine_field::lead::{Lead, LeadKind as FieldKind};
use stim_core::contacts::CASE;
use stim_core::lead::LeadKind as CoreKind;

/// How far a lead may lie from the midline, mm.
pub const MAX_OFFSET_MM: i32 = 8;
/// How far a lead may be shifted along the cord from its level's centre, mm (half a level:
/// further is the next level).
pub const MAX_SHIFT_MM: i32 = 13;

/// A kind of lead the bench offers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Percutaneous, 8 contacts.
    #[default]
    Percutaneous8,
    /// Percutaneous, 16 contacts.
    Percutaneous16,
    /// Paddle, 2 columns × 8 rows.
    Paddle,
}

impl Kind {
    /// Every kind, in the order offered.
    pub const ALL: [Kind; 3] = [Kind::Percutaneous8, Kind::Percutaneous16, Kind::Paddle];

    /// The kind in stim-core's terms (one lead alone).
    fn core(self) -> CoreKind {
        match self {
            Kind::Percutaneous8 => CoreKind::Percutaneous8,
            Kind::Percutaneous16 => CoreKind::Percutaneous16,
            Kind::Paddle => CoreKind::Paddle16,
        }
    }

    /// The kind in spine-field's terms.
    pub fn field(self) -> FieldKind {
        match self {
            Kind::Percutaneous8 => FieldKind::PERCUTANEOUS_8,
            Kind::Percutaneous16 => FieldKind::PERCUTANEOUS_16,
            Kind::Paddle => FieldKind::PADDLE_16,
        }
    }

    /// Contacts on the lead (stim-core's count).
    pub fn contacts(self) -> usize {
        self.core().contacts()
    }

    /// Its name in a link and in the page's choices.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Percutaneous8 => "8",
            Kind::Percutaneous16 => "16",
            Kind::Paddle => "paddle",
        }
    }

    /// The kind named `code` ([`Kind::code`]).
    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Its name in words.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Percutaneous8 => "1 × 8 percutaneous",
            Kind::Percutaneous16 => "1 × 16 percutaneous",
            Kind::Paddle => "2 × 8 paddle",
        }
    }
}

/// One lead and where it lies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Placed {
    /// What lead.
    pub kind: Kind,
    /// The level of its middle (index into spine-field's `LEVELS`, 0 = T6).
    pub level: usize,
    /// Shift along the cord from the level's centre, mm (rostral +): the stagger.
    pub shift_mm: i32,
    /// Offset from the midline, mm (patient's right +).
    pub offset_mm: i32,
}

/// An offset across the cord in words: "on the midline", "3 mm right of the midline"
/// (the patient's right, as on the picture seen from behind).
pub fn across(offset_mm: i32) -> String {
    match offset_mm {
        0 => "on the midline".into(),
        o if o > 0 => format!("{o} mm right of the midline"),
        o => format!("{} mm left of the midline", -o),
    }
}

impl Placed {
    /// Where it lies, in words: "T10, 3 mm right of the midline".
    pub fn words(self) -> String {
        format!("{}, {}", LEVELS[self.level], across(self.offset_mm))
    }

    /// A lead of `kind` with its middle at the centre of `level`, on the midline.
    pub fn at(kind: Kind, level: usize) -> Placed {
        Placed {
            kind,
            level,
            shift_mm: 0,
            offset_mm: 0,
        }
    }

    /// The same lead moved to `level`, `shift_mm` and `offset_mm`, each held to its range.
    pub fn moved(self, level: usize, shift_mm: i32, offset_mm: i32) -> Placed {
        Placed {
            level: level.min(LEVELS.len() - 1),
            shift_mm: shift_mm.clamp(-MAX_SHIFT_MM, MAX_SHIFT_MM),
            offset_mm: offset_mm.clamp(-MAX_OFFSET_MM, MAX_OFFSET_MM),
            ..self
        }
    }

    /// The lead in spine-field's terms.
    pub fn lead(self) -> Lead {
        Lead {
            shift: self.shift_mm as f64,
            offset: self.offset_mm as f64,
            ..Lead::at(self.kind.field(), self.level)
        }
    }
}

/// Why two leads cannot be placed together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Together they have more contacts than the stimulator drives.
    TooManyContacts {
        /// The first lead.
        first: Kind,
        /// The second lead.
        second: Kind,
    },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::TooManyContacts { first, second } => write!(
                f,
                "A {} and a {} have {} contacts together; the stimulator drives {CASE} (E1–E{CASE}). Use two 1 × 8 leads, or one lead.",
                first.label(),
                second.label(),
                first.contacts() + second.contacts()
            ),
        }
    }
}

/// The bench's leads: one, or two whose contacts the stimulator can drive together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Placement {
    first: Placed,
    second: Option<Placed>,
}

impl Default for Placement {
    /// A 1 × 8 on the midline over T8.
    fn default() -> Self {
        Placement::single(Placed::at(Kind::Percutaneous8, 2))
    }
}

impl Placement {
    /// One lead.
    pub fn single(lead: Placed) -> Placement {
        Placement {
            first: lead,
            second: None,
        }
    }

    /// `first` and, if given, `second`.
    ///
    /// # Errors
    /// A pair the stimulator cannot drive together, in words.
    pub fn new(first: Placed, second: Option<Placed>) -> Result<Placement, Refusal> {
        let placement = Placement { first, second };
        match second {
            // Every pair of the kinds offered that stim-core has no lead for exceeds its
            // contacts (a paddle alone takes all 16).
            Some(s) if placement.core_kind().is_none() => Err(Refusal::TooManyContacts {
                first: first.kind,
                second: s.kind,
            }),
            _ => Ok(placement),
        }
    }

    /// The first lead (E1…).
    pub fn first(&self) -> Placed {
        self.first
    }

    /// Lead `index` (0 or 1), if there is one.
    pub fn lead(&self, index: usize) -> Option<Placed> {
        match index {
            0 => Some(self.first),
            1 => self.second,
            _ => None,
        }
    }

    /// The leads, first to second.
    pub fn leads(&self) -> impl Iterator<Item = Placed> {
        std::iter::once(self.first).chain(self.second)
    }

    /// This placement with lead `index` replaced by `lead` (or the second removed, for
    /// `None`; the first always stays).
    ///
    /// # Errors
    /// A pair the stimulator cannot drive together, in words: nothing changes.
    pub fn with(&self, index: usize, lead: Option<Placed>) -> Result<Placement, Refusal> {
        match (index, lead) {
            (0, Some(first)) => Placement::new(first, self.second),
            (0, None) => Ok(*self),
            (_, second) => Placement::new(self.first, second),
        }
    }

    /// This placement with lead `index` of `kind` where it was (`None`: no second lead); a
    /// new second lead lies beside the first, 4 mm to its right (left near the edge).
    ///
    /// # Errors
    /// A pair the stimulator cannot drive together, in words: nothing changes.
    pub fn with_kind(&self, index: usize, kind: Option<Kind>) -> Result<Placement, Refusal> {
        let first = self.first;
        let lead = kind.map(|kind| match self.lead(index) {
            Some(lead) => Placed { kind, ..lead },
            None => {
                let side = if first.offset_mm + 4 <= MAX_OFFSET_MM {
                    4
                } else {
                    -4
                };
                Placed { kind, ..first }.moved(first.level, first.shift_mm, first.offset_mm + side)
            }
        });
        self.with(index, lead)
    }

    /// This placement with lead `index` moved to `level`, `shift_mm` and `offset_mm` (each
    /// held to its range); unchanged if there is no such lead.
    pub fn moved(&self, index: usize, level: usize, shift_mm: i32, offset_mm: i32) -> Placement {
        let lead = self
            .lead(index)
            .map(|l| l.moved(level, shift_mm, offset_mm));
        match (index, lead) {
            (0, Some(first)) => Placement { first, ..*self },
            (_, Some(second)) => Placement {
                second: Some(second),
                ..*self
            },
            (_, None) => *self,
        }
    }

    /// Where the leads lie, in words, each `preposition` its level: "the lead at T8, on the
    /// midline", or "lead 1 over T9, 3 mm left of the midline; lead 2 over T10, 3 mm right
    /// of the midline".
    pub fn words(&self, preposition: &str) -> String {
        let two = self.second.is_some();
        self.leads()
            .enumerate()
            .map(|(i, l)| {
                let lead = if two {
                    format!("lead {}", i + 1)
                } else {
                    "the lead".into()
                };
                format!("{lead} {preposition} {}", l.words())
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Lead contacts in all.
    pub fn contacts(&self) -> usize {
        self.leads().map(|l| l.kind.contacts()).sum()
    }

    /// The stimulator's contact slots of lead `index`: E1… for the first, the next ones
    /// for the second. Empty for a lead that is not there.
    pub fn slots(&self, index: usize) -> Range<usize> {
        let first = self.first.kind.contacts();
        match (index, self.second) {
            (0, _) => 0..first,
            (1, Some(s)) => first..first + s.kind.contacts(),
            _ => first..first,
        }
    }

    /// The contact slots in columns along the cord, each rostral first, ordered from the
    /// patient's left to right: one column per percutaneous lead, two for a paddle (whose
    /// contacts go row by row, its left column first). Current steering moves the field
    /// along and across them.
    pub fn columns(&self) -> Vec<Vec<usize>> {
        let mut columns: Vec<((i32, usize), Vec<usize>)> = vec![];
        for (index, lead) in self.leads().enumerate() {
            let across = match lead.kind.field() {
                FieldKind::Paddle { columns, .. } => columns,
                FieldKind::Percutaneous { .. } => 1,
            };
            for column in 0..across {
                let slots = self.slots(index).skip(column).step_by(across).collect();
                columns.push(((lead.offset_mm, column), slots));
            }
        }
        // Stable: leads at one offset keep their E-order.
        columns.sort_by_key(|(at, _)| *at);
        columns.into_iter().map(|(_, slots)| slots).collect()
    }

    /// The lead in stim-core's terms: the kind with the placement's contact count and
    /// contact area (two 1 × 8 leads are 16 percutaneous contacts), if stim-core has one.
    fn core_kind(&self) -> Option<CoreKind> {
        let area = self.first.kind.core().contact_area_mm2_x100();
        let same_size = self
            .leads()
            .all(|l| l.kind.core().contact_area_mm2_x100() == area);
        [
            CoreKind::Percutaneous8,
            CoreKind::Percutaneous16,
            CoreKind::Paddle16,
        ]
        .into_iter()
        .find(|k| same_size && k.contacts() == self.contacts() && k.contact_area_mm2_x100() == area)
    }

    /// The lead for stim-core's program set (contact count and area).
    pub fn core(&self) -> CoreKind {
        // `new` refuses any placement without one.
        self.core_kind().unwrap_or_default()
    }

    /// The leads in spine-field's terms, in E-order.
    pub fn field_leads(&self) -> Vec<Lead> {
        self.leads().map(Placed::lead).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn steering_sees_one_column_per_lead_left_to_right_and_two_on_a_paddle() {
        let right = Placed::at(Kind::Percutaneous8, 3).moved(3, 0, 4);
        let left = Placed::at(Kind::Percutaneous8, 3).moved(3, 0, -4);
        let pair = Placement::new(right, Some(left)).unwrap();
        let columns = pair.columns();
        assert_eq!(columns, vec![(8..16).collect::<Vec<_>>(), (0..8).collect()]);
        let paddle = Placement::single(Placed::at(Kind::Paddle, 3)).columns();
        assert_eq!(paddle[0][..3], [0, 2, 4], "the left column, row by row");
        assert_eq!(paddle[1][..3], [1, 3, 5]);
    }

    #[wasm_bindgen_test]
    fn each_kind_maps_to_the_same_contacts_in_stim_core_and_spine_field() {
        for kind in Kind::ALL {
            assert_eq!(kind.contacts(), kind.field().contacts(), "{kind:?}");
            assert_eq!(Kind::from_code(kind.code()), Some(kind));
            let one = Placement::single(Placed::at(kind, 3));
            assert_eq!(one.core().contacts(), kind.contacts());
            assert_eq!(one.field_leads(), vec![Lead::at(kind.field(), 3)]);
        }
        assert_eq!(Placement::default().core(), CoreKind::Percutaneous8);
        assert_eq!(Kind::from_code("24"), None);
    }

    #[wasm_bindgen_test]
    fn two_1x8_leads_are_16_percutaneous_contacts_numbered_on_from_the_first() {
        let first = Placed::at(Kind::Percutaneous8, 2).moved(2, 0, -2);
        let second = Placed::at(Kind::Percutaneous8, 3).moved(3, -6, 2);
        let two = Placement::new(first, Some(second)).unwrap();
        assert_eq!(two.contacts(), 16);
        assert_eq!((two.slots(0), two.slots(1)), (0..8, 8..16));
        let core = two.core();
        assert_eq!(core.contacts(), 16);
        assert_eq!(
            core.contact_area_mm2_x100(),
            CoreKind::Percutaneous8.contact_area_mm2_x100(),
            "each contact keeps a percutaneous contact's area"
        );
        let leads = two.field_leads();
        assert_eq!((leads[1].shift, leads[1].offset), (-6.0, 2.0));
        assert!(Placement::default().slots(1).is_empty());
    }

    #[wasm_bindgen_test]
    fn a_pair_beyond_the_stimulators_16_contacts_is_refused_in_words() {
        let at = |kind| Placed::at(kind, 2);
        let refused = Placement::new(at(Kind::Percutaneous16), Some(at(Kind::Percutaneous8)));
        assert_eq!(
            refused,
            Err(Refusal::TooManyContacts {
                first: Kind::Percutaneous16,
                second: Kind::Percutaneous8
            })
        );
        assert!(refused.unwrap_err().to_string().contains("24 contacts"));
        let paddle = Placement::single(at(Kind::Paddle));
        assert!(paddle.with(1, Some(at(Kind::Percutaneous8))).is_err());
        // Removing the second lead is always possible; the first stays.
        let two = Placement::new(at(Kind::Percutaneous8), Some(at(Kind::Percutaneous8))).unwrap();
        assert_eq!(
            two.with(1, None),
            Ok(Placement::single(at(Kind::Percutaneous8)))
        );
        assert_eq!(two.with(0, None), Ok(two));
        assert!(two.with(0, Some(at(Kind::Percutaneous16))).is_err());
    }

    #[wasm_bindgen_test]
    fn a_placement_is_its_solve_key() {
        use std::collections::HashSet;
        let a = Placement::default();
        let moved = a.with(0, Some(a.first.moved(2, 0, 1))).unwrap();
        let keys: HashSet<Placement> = [a, moved, a].into_iter().collect();
        assert_eq!(keys.len(), 2);
        assert_eq!(
            Placed::at(Kind::Paddle, 9).moved(9, 40, -20),
            Placed {
                kind: Kind::Paddle,
                level: LEVELS.len() - 1,
                shift_mm: MAX_SHIFT_MM,
                offset_mm: -MAX_OFFSET_MM
            },
            "held to its ranges"
        );
    }
}
