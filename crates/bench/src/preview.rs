//! Drag-preview workloads: one level of the atlas solved from scratch, and one drag step
//! (a 1 × 8 or a 1 × 16 moved to a new level and offset: the fibres' unit potentials from
//! the atlas, which fire, where they are felt, and the drawn axial section).

use spine_field::anatomy::Anatomy;
use spine_field::atlas::{Atlas, Level};
use spine_field::fibres::population;
use spine_field::lead::{Lead, LeadKind};
use spine_field::slice::{slice_of, Plane, Quantity};

/// The levels a lead at T9 needs (a 1 × 16's contacts reach the levels either side, and
/// each contact blends the two levels around it).
const LEVELS: [usize; 5] = [1, 2, 3, 4, 5];

/// Solves one level of the atlas (T9) from scratch; returns the most CG iterations.
///
/// # Panics
/// If a solve does not converge.
pub fn atlas_level() -> usize {
    let level = Level::solve(&Anatomy::default(), 3).expect("the level solves");
    level.iterations.iter().copied().max().unwrap_or(0)
}

/// An atlas holding the levels a lead at T9 needs.
pub struct Drag {
    atlas: Atlas,
    anatomy: Anatomy,
}

impl Drag {
    /// Solves the levels (slow; not timed).
    ///
    /// # Panics
    /// If a solve does not converge.
    pub fn new() -> Drag {
        let anatomy = Anatomy::default();
        let mut atlas = Atlas::default();
        for level in LEVELS {
            atlas.insert(Level::solve(&anatomy, level).expect("the level solves"));
        }
        Drag { atlas, anatomy }
    }

    /// Bytes of the atlas's fields per level.
    pub fn bytes_per_level(&self) -> usize {
        self.atlas.bytes() / LEVELS.len()
    }

    /// One drag step: a `contacts`-contact lead moved to T9, `offset` mm from the midline,
    /// programmed E2 − E3 + at 3 mA and 300 µs; returns the fibres that fire.
    pub fn step(&self, contacts: usize, offset: f64) -> usize {
        let kind = if contacts == 16 {
            LeadKind::PERCUTANEOUS_16
        } else {
            LeadKind::PERCUTANEOUS_8
        };
        let lead = Lead {
            offset,
            ..Lead::at(kind, 3)
        };
        let shapes = lead.contacts(&self.anatomy);
        let (z, span) = (lead.middle_z(), lead.half_span() + 10.0);
        let fibres = population(&self.anatomy, z + span, z - span);
        let mut fractions = vec![0.0; contacts];
        fractions[1] = -1.0;
        fractions[2] = 1.0;
        let probe = self
            .atlas
            .probe(&shapes, &fractions, fibres)
            .expect("the levels are solved");
        let fired = probe.recruited(&fractions, 3.0, 300.0);
        let felt = probe.felt(&fired);
        let currents: Vec<f64> = fractions.iter().map(|f| f * 3.0).collect();
        let through = [offset, 2.0, shapes[1].center[2]];
        let potential = self
            .atlas
            .potential(&shapes, &currents)
            .expect("the levels are solved");
        let section = slice_of(
            &potential,
            Plane::Axial,
            through,
            [-10.0, -5.0, 10.0, 13.0],
            [40, 36],
            Quantity::Potential,
        );
        std::hint::black_box((felt, section));
        fired.len()
    }
}

impl Default for Drag {
    fn default() -> Self {
        Drag::new()
    }
}
