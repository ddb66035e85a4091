//! The model against the qualitative results of the computational SCS literature, and
//! superposition against a direct solve, on the fine grid (0.5 mm across, 0.75 mm along)
//! that the app shows as final; and the fine grid's thresholds against a twice finer one.

use spine_field::anatomy::{level_z, Anatomy};
use spine_field::fibres::{population, FibreKind, Probe};
use spine_field::lead::{Lead, LeadKind};
use spine_field::model::{Model, Resolution, Solver};

const T8: usize = 2;
const PW: f64 = 300.0;

fn probe(anatomy: Anatomy, lead: Lead) -> Probe {
    probe_at(anatomy, lead, Resolution::FINE)
}

fn probe_at(anatomy: Anatomy, lead: Lead, resolution: Resolution) -> Probe {
    let model = Model::build(anatomy, &[lead], resolution).expect("solves");
    let z = level_z(T8) + lead.shift;
    Probe::new(&model, population(&model.anatomy, z + 30.0, z - 30.0))
}

/// Fractions of the amplitude per contact of a 1 × 8: cathodes −, anodes + (the case,
/// as anode, is the far ground).
fn fractions(pairs: &[(usize, f64)]) -> Vec<f64> {
    let mut f = vec![0.0; 8];
    for &(c, v) in pairs {
        f[c] = v;
    }
    f
}

/// The lowest threshold (mA) among fibres of `kind`.
fn lowest(probe: &Probe, fractions: &[f64], dorsal_column: bool) -> f64 {
    (0..probe.fibres.len())
        .filter(|&f| matches!(probe.fibres[f].kind, FibreKind::DorsalColumn) == dorsal_column)
        .map(|f| probe.threshold_ma(f, fractions, PW))
        .fold(f64::INFINITY, f64::min)
}

#[test]
fn thicker_dorsal_csf_raises_the_dorsal_column_threshold_holsheimer_1994() {
    // Holsheimer, den Boer, Struijk, Rozeboom, AJNR 15:951–959, 1994: the dorsal CSF
    // layer's thickness is the main factor in the stimulation threshold.
    let bipole = fractions(&[(3, -1.0), (4, 1.0)]);
    let lead = Lead::at(LeadKind::PERCUTANEOUS_8, T8);
    let thin = lowest(
        &probe(
            Anatomy {
                dorsal_csf: [3.0; 8],
                ..Anatomy::default()
            },
            lead,
        ),
        &bipole,
        true,
    );
    let thick = lowest(
        &probe(
            Anatomy {
                dorsal_csf: [6.0; 8],
                ..Anatomy::default()
            },
            lead,
        ),
        &bipole,
        true,
    );
    println!("dorsal column threshold, 3 mm CSF: {thin:.2} mA, 6 mm: {thick:.2} mA");
    assert!(
        thick > 1.5 * thin,
        "3 mm CSF: {thin:.2} mA, 6 mm: {thick:.2} mA"
    );
}

#[test]
fn a_lateral_lead_recruits_dorsal_roots_before_dorsal_columns_holsheimer_1997() {
    // Holsheimer & Wesselink, Neurosurgery 41:654–660, 1997: lateral contacts recruit
    // dorsal roots (segmental paresthesia) first; midline contacts the dorsal columns.
    // On the fine grid (and the twice finer one) the order turns between 4 and 6 mm from
    // the midline (about equal at 5 mm); the coarse grid turned it before 4 mm.
    let bipole = fractions(&[(3, -1.0), (4, 1.0)]);
    let ratios = [0.0, 4.0, 6.0].map(|offset| {
        let probe = probe(
            Anatomy::default(),
            Lead {
                offset,
                ..Lead::at(LeadKind::PERCUTANEOUS_8, T8)
            },
        );
        let (dc, dr) = (
            lowest(&probe, &bipole, true),
            lowest(&probe, &bipole, false),
        );
        println!("{offset} mm lateral: columns {dc:.2} mA, roots {dr:.2} mA");
        dr / dc
    });
    assert!(ratios[0] > 1.0, "midline: dorsal columns first");
    assert!(
        ratios[0] > ratios[1] && ratios[1] > ratios[2],
        "roots ÷ columns falls as the lead moves out: {ratios:?}"
    );
    assert!(ratios[2] < 1.0, "6 mm lateral: dorsal roots first");
}

#[test]
fn a_guarded_cathode_narrows_the_recruited_region_against_a_single_cathode() {
    // Struijk & Holsheimer, Med. Biol. Eng. Comput. 34:273–279, 1996; Holsheimer 1998:
    // anodes on both sides of the cathode shield, confining the field.
    let model = probe(Anatomy::default(), Lead::at(LeadKind::PERCUTANEOUS_8, T8));
    let single = fractions(&[(3, -1.0)]);
    let guarded = fractions(&[(2, 0.5), (3, -1.0), (4, 0.5)]);
    // At 1.5 × each configuration's first dorsal column threshold: how wide is what fires?
    let spread = |f: &[f64]| {
        let amplitude = 1.5 * lowest(&model, f, true);
        let fired = model.recruited(f, amplitude, PW);
        let lateral = fired
            .iter()
            .map(|&i| model.fibres[i].nodes[0][0].abs())
            .fold(0.0, f64::max);
        (fired.len(), lateral)
    };
    let (single_count, single_width) = spread(&single);
    let (guarded_count, guarded_width) = spread(&guarded);
    println!("at 1.5 × threshold: single cathode {single_count} fibres to {single_width} mm, guarded {guarded_count} to {guarded_width} mm");
    assert!(
        guarded_count < single_count,
        "fibres fired: guarded {guarded_count}, single {single_count}"
    );
    assert!(
        guarded_width <= single_width,
        "lateral reach: guarded {guarded_width} mm, single {single_width} mm"
    );
}

#[test]
fn the_fine_grid_s_first_fibre_thresholds_are_within_a_few_percent_of_a_twice_finer_grid() {
    // A midline bipole (E4 −, E5 +) at T8. Halving the cells of the fine region in each
    // direction moves the first dorsal column fibre's threshold by 2.3 % and the first
    // dorsal root fibre's by 7.7 % (the coarse grid reads the columns 25 % low).
    let lead = Lead::at(LeadKind::PERCUTANEOUS_8, T8);
    let bipole = fractions(&[(3, -1.0), (4, 1.0)]);
    let finer = Resolution {
        across: Resolution::FINE.across / 2.0,
        along: Resolution::FINE.along / 2.0,
    };
    let fine = probe(Anatomy::default(), lead);
    let finer = probe_at(Anatomy::default(), lead, finer);
    for (dorsal_column, within) in [(true, 0.05), (false, 0.10)] {
        let (a, b) = (
            lowest(&fine, &bipole, dorsal_column),
            lowest(&finer, &bipole, dorsal_column),
        );
        let change = (b - a) / a;
        println!(
            "first {} fibre: fine {a:.3} mA, finer {b:.3} mA ({:+.1} %)",
            if dorsal_column {
                "dorsal column"
            } else {
                "dorsal root"
            },
            100.0 * change
        );
        assert!(
            change.abs() < within,
            "fine {a:.3} mA against finer {b:.3} mA"
        );
    }
}

#[test]
fn superposition_equals_a_direct_solve_with_all_contacts_active() {
    let model = Model::build(
        Anatomy::default(),
        &[Lead::at(LeadKind::PERCUTANEOUS_8, T8)],
        Resolution::FINE,
    )
    .unwrap();
    let currents = [0.0, 0.5, -2.0, 1.0, 0.25, 0.0, 0.0, -0.5];
    let mut summed = vec![0f32; model.grid.cells()];
    model.potential_into(&currents, &mut summed);
    let mut direct = vec![0.0; model.grid.cells()];
    Solver::new(&model.grid, &model.anatomy, &model.leads)
        .solve(&model.grid, &model.contacts, &currents, &mut direct)
        .unwrap();
    let peak = direct.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let worst = summed
        .iter()
        .zip(&direct)
        .map(|(s, d)| (*s as f64 - d).abs())
        .fold(0.0, f64::max);
    println!("superposition vs direct: {:.2e} of the peak", worst / peak);
    assert!(
        worst / peak < 1e-4,
        "largest difference {:.2e} of the peak",
        worst / peak
    );
}

#[test]
fn a_small_move_of_the_lead_warm_starts_from_the_previous_fields() {
    let anatomy = Anatomy::default();
    let before = Model::build(
        anatomy.clone(),
        &[Lead::at(LeadKind::PERCUTANEOUS_8, T8)],
        Resolution::FINE,
    )
    .unwrap();
    let moved = [Lead {
        shift: 0.5,
        ..before.leads[0]
    }];
    let cold = Model::build(anatomy.clone(), &moved, Resolution::FINE).unwrap();
    let warm = Model::build_from(anatomy, &moved, Resolution::FINE, Some(&before)).unwrap();
    let (cold_iterations, warm_iterations): (usize, usize) =
        (cold.iterations.iter().sum(), warm.iterations.iter().sum());
    println!("warm start: {warm_iterations} iterations, cold: {cold_iterations}");
    assert!(
        warm_iterations < cold_iterations,
        "warm {warm_iterations} vs cold {cold_iterations} iterations"
    );
}
