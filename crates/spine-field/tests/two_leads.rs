//! Two leads in one volume conductor (side by side or staggered, as in most trials for
//! painful diabetic neuropathy): the grid covers both, their contacts follow each other
//! in E-order, and a contact of the second lead fires the fibres at the same threshold on
//! the two-lead grid as on its own lead's grid (a percutaneous lead's body is not an
//! insulator here, so the other lead changes only where the grid's cells fall).

use spine_field::anatomy::Anatomy;
use spine_field::fibres::{population, Probe};
use spine_field::lead::{contacts_of, Lead, LeadKind};
use spine_field::model::{grid_for, Build, Model, Resolution, Solver};

const PW: f64 = 300.0;

/// A 1 × 8 2 mm left of the midline at T8, and one 3 mm right at T9 shifted 6 mm down.
fn staggered() -> [Lead; 2] {
    [
        Lead {
            offset: -2.0,
            ..Lead::at(LeadKind::PERCUTANEOUS_8, 2)
        },
        Lead {
            shift: -6.0,
            offset: 3.0,
            ..Lead::at(LeadKind::PERCUTANEOUS_8, 3)
        },
    ]
}

/// The fine-grid model of `leads` with only contacts `which` solved (the others are not
/// needed for the check, and each costs a solve).
fn partial(leads: &[Lead], which: std::ops::Range<usize>) -> Model {
    let anatomy = Anatomy::default();
    let grid = grid_for(leads, Resolution::FINE);
    let contacts = contacts_of(leads, &anatomy)[which].to_vec();
    let solver = Solver::new(&grid, &anatomy, leads);
    let solved = Build::start(&solver, &grid, &contacts, None)
        .finish()
        .expect("solves");
    Model {
        anatomy,
        leads: leads.to_vec(),
        grid,
        contacts,
        fields: solved.fields,
        iterations: solved.iterations,
    }
}

#[test]
fn the_grid_of_two_leads_covers_both_and_numbers_the_second_leads_contacts_next() {
    let leads = staggered();
    let grid = grid_for(&leads, Resolution::FINE);
    let contacts = contacts_of(&leads, &Anatomy::default());
    assert_eq!(contacts.len(), 16);
    assert_eq!(
        contacts[8],
        leads[1].contacts(&Anatomy::default())[0],
        "E9 is lead 2's first"
    );
    let (nx, nz) = (grid.x.len(), grid.z.len());
    let fine = |axis: &spine_field::grid::Axis, at: f64, h: f64| {
        let (i, _) = axis.locate(at);
        (axis.width(i) - h).abs() < 1e-9
    };
    for c in &contacts {
        assert!(
            fine(&grid.x, c.center[0], 0.5),
            "fine across at {:?}",
            c.center
        );
        assert!(
            fine(&grid.z, c.center[2], 0.75),
            "fine along at {:?}",
            c.center
        );
    }
    // One lead's grid is what it was: the two-lead hull reduces to it.
    let one = grid_for(&leads[1..], Resolution::FINE);
    assert!(one.x.len() < nx && one.z.len() < nz);
}

#[test]
fn a_contact_of_the_second_lead_has_the_threshold_it_has_on_its_own_leads_grid() {
    let leads = staggered();
    // E12 (lead 2's 4th contact) as a monopolar cathode.
    let both = partial(&leads, 11..12);
    let alone = partial(&leads[1..], 3..4);
    let z = leads[1].middle_z();
    let fibres = population(&Anatomy::default(), z + 30.0, z - 30.0);
    let (both, alone) = (
        Probe::new(&both, fibres.clone()),
        Probe::new(&alone, fibres),
    );
    let lowest = |probe: &Probe| {
        (0..probe.fibres.len())
            .map(|f| probe.threshold_ma(f, &[-1.0], PW))
            .fold(f64::INFINITY, f64::min)
    };
    let (a, b) = (lowest(&both), lowest(&alone));
    let change = (a - b).abs() / b;
    println!(
        "E12 on two leads {a:.3} mA, alone {b:.3} mA: {:.1} %",
        100.0 * change
    );
    assert!(change < 0.03, "two leads {a:.3} mA against one {b:.3} mA");
}
