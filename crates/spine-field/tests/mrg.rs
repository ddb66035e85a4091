//! The MRG double-cable model against published results. Each test names its source.
//!
//! What could not be compared: the conduction velocities, strength–duration and
//! current–distance figures of McIntyre, Richardson & Grill (2002) themselves (the paper's
//! text was not available to read); the tests below use the sources that were.

use spine_field::membrane::mrg::Mrg;
use spine_field::membrane::{Axon, Phase, Stimulus};

/// Ve (mV per mA) of a point cathode `depth_mm` from the fibre above arc length `at_mm`,
/// in a homogeneous medium of `rho_ohm_cm`: −ρ/(4πr) (Ω·cm · mA / cm = mV).
fn point_cathode(fibre: &Mrg, at_mm: f64, depth_mm: f64, rho_ohm_cm: f64) -> Vec<f64> {
    fibre
        .sample_points()
        .iter()
        .map(|&s| {
            let r_cm = 0.1 * ((s - at_mm).powi(2) + depth_mm.powi(2)).sqrt();
            -rho_ohm_cm / (4.0 * std::f64::consts::PI * r_cm)
        })
        .collect()
}

/// The lowest amplitude (mA) that fires, to 0.1 %, searched up from `lo` (which must
/// not fire; far above threshold a close cathode blocks its own action potential).
fn threshold(fibre: &Mrg, ve: &[f64], stimulus: &Stimulus, lo: f64) -> f64 {
    assert!(!fibre.fires(ve, stimulus, lo), "{lo} mA already fires");
    spine_field::membrane::threshold_ma(fibre, ve, stimulus, lo, 100.0, 0.001)
        .expect("no threshold below 100 mA")
}

const DIAMETERS: [f64; 9] = [5.7, 7.3, 8.7, 10.0, 11.5, 12.8, 14.0, 15.0, 16.0];

/// Source: PyFibers (D. P. Marshall, E. S. Farah, E. D. Musselman, N. A. Pelot,
/// W. M. Grill, PLoS Comput. Biol. 21:e1013764, 2025), its regression test
/// `tests/integration/test_extra_thresholds.py::test_mrg_discrete`: NEURON with the
/// published MRG mechanisms, a 5.7 µm MRG_DISCRETE fibre of 13 nodes at 37 °C, a point
/// source 100 µm from its middle node in 10 S/m, 200 µs cathodic then 200 µs anodic, no
/// gap, dt 1 µs: threshold 0.2691015625 mA.
///
/// Differences: PyFibers makes the end nodes passive and nearly disconnected (ours are
/// passive and joined to a mirror compartment at rest), and steps 1 µs (ours 2.5 µs, which puts thresholds about 0.5 %
/// high at these widths). Tolerance 1.5 %; at 1 µs steps, 0.5 %.
#[test]
fn mrg_matches_pyfibers_discrete_threshold_5_7_um_point_source_100_um() {
    let published = 0.269_101_562_5;
    let pulse = Stimulus {
        phases: vec![
            Phase {
                start_us: 0.0,
                duration_us: 200.0,
                weight: 1.0,
            },
            Phase {
                start_us: 200.0,
                duration_us: 200.0,
                weight: -1.0,
            },
        ],
        period_us: 400.0,
        periods: 1,
    };
    let fibre = Mrg::new(5.7, 13);
    // 10 S/m = 10 Ω·cm.
    let ve = point_cathode(&fibre, 6.0 * fibre.internode_mm(), 0.1, 10.0);
    let ours = threshold(&fibre, &ve, &pulse, 0.1);
    assert!(
        (ours / published - 1.0).abs() < 0.015,
        "{ours} mA vs {published} mA"
    );
    let fine = fibre.with_max_step_us(1.0);
    let ours_fine = threshold(&fine, &ve, &pulse, 0.1);
    assert!(
        (ours_fine / published - 1.0).abs() < 0.005,
        "{ours_fine} mA (1 µs) vs {published} mA"
    );
}

/// Conduction velocity in m/s: a 41-node fibre excited at node 5 (point source 1 mm away,
/// twice threshold), timed between nodes 15 and 35.
fn conduction_velocity(diameter_um: f64) -> f64 {
    let fibre = Mrg::new(diameter_um, 41);
    let ve = point_cathode(&fibre, 5.0 * fibre.internode_mm(), 1.0, 500.0);
    let pulse = Stimulus::monophasic(100.0);
    let amplitude = 2.0 * threshold(&fibre, &ve, &pulse, 0.02);
    let t = fibre.crossing_times_us(&ve, &pulse, amplitude);
    let at = |j: usize| t[j].unwrap_or_else(|| panic!("{diameter_um} µm: node {j} silent"));
    // Saltatory conduction at a steady speed: equal delays from node to node, ±5 %.
    let delays: Vec<f64> = (15..35).map(|j| at(j + 1) - at(j)).collect();
    let mean = delays.iter().sum::<f64>() / delays.len() as f64;
    assert!(
        delays.iter().all(|d| (d / mean - 1.0).abs() < 0.05),
        "{diameter_um} µm: delays {delays:?} µs"
    );
    20.0 * fibre.internode_mm() / (at(35) - at(15)) * 1e3 // mm/µs × 1e3 = m/s
}

/// Source: the scaling factors of Boyd & Kalu (J. Physiol. 289:277–297, 1979) between
/// conduction velocity and fibre diameter, about 4.6 m/s per µm for the smaller fibres and
/// 5.7 for the larger, which the MRG model's velocities follow (as stated, for McIntyre
/// 2002, in golgi's validation script `paper_figs/validate_fiber.py`, CellularSyntax/golgi;
/// the paper's own figure was not available); Hursh's (1939) rule of about 6 m/s per µm.
///
/// Measured: 24.5 m/s at 5.7 µm (4.3 per µm), 53.8 at 10 µm (5.4), 89.6 at 16 µm (5.6).
/// Asserted: velocity rising with diameter; the ratio within 10 % of 4.6 for the 5.7 µm
/// fibre and of 5.7 for the 16 µm fibre, and between 4.1 and 6.0 throughout.
#[test]
fn mrg_conduction_velocity_follows_boyd_and_kalu_scaling() {
    let cv: Vec<f64> = DIAMETERS.iter().map(|&d| conduction_velocity(d)).collect();
    let per_um: Vec<f64> = cv.iter().zip(DIAMETERS).map(|(v, d)| v / d).collect();
    assert!(cv.windows(2).all(|w| w[1] > w[0]), "{cv:?}");
    assert!((per_um[0] / 4.6 - 1.0).abs() < 0.1, "5.7 µm: {per_um:?}");
    assert!((per_um[8] / 5.7 - 1.0).abs() < 0.1, "16 µm: {per_um:?}");
    assert!(per_um.iter().all(|r| (4.1..6.0).contains(r)), "{per_um:?}");
}

/// Source: the activating function (F. Rattay, IEEE Trans. Biomed. Eng. 33:974–977,
/// 1986; also McNeal 1976): a fibre with nodes farther apart sees a larger second
/// difference of the same potential, so larger MRG fibres fire at lower currents.
/// Point source 1 mm away in 500 Ω·cm, 100 µs monophasic cathodic.
///
/// Measured: 0.207 mA at 5.7 µm, 0.121 at 10 µm, 0.100 at 16 µm. Asserted: strictly
/// falling, the 5.7 µm threshold 1.5–3 × the 16 µm one.
#[test]
fn mrg_threshold_falls_with_fibre_diameter() {
    let pulse = Stimulus::monophasic(100.0);
    let t: Vec<f64> = DIAMETERS
        .iter()
        .map(|&d| {
            let fibre = Mrg::new(d, 31);
            let ve = point_cathode(&fibre, 15.0 * fibre.internode_mm(), 1.0, 500.0);
            threshold(&fibre, &ve, &pulse, 0.02)
        })
        .collect();
    assert!(t.windows(2).all(|w| w[1] < w[0]), "{t:?}");
    assert!((1.5..3.0).contains(&(t[0] / t[8])), "{t:?}");
}

/// Source: a point source in a homogeneous medium (Ve = ρI/4πr, ρ = 500 Ω·cm) and the
/// activating function (Rattay 1986): the potential falls as 1/r and its second
/// difference along the fibre, far away, as 1/r³, so doubling the distance multiplies the
/// threshold by between 2 and 8, the more the farther (the current–distance relation
/// steepening from linear towards the far field).
///
/// Measured, 10 µm, 100 µs: 0.019, 0.045, 0.121, 0.380, 1.405 mA at 0.25, 0.5, 1, 2, 4 mm.
#[test]
fn mrg_threshold_rises_with_distance_between_linear_and_cubic() {
    let fibre = Mrg::new(10.0, 41);
    let pulse = Stimulus::monophasic(100.0);
    let t: Vec<f64> = [0.25, 0.5, 1.0, 2.0, 4.0]
        .iter()
        .map(|&depth| {
            let ve = point_cathode(&fibre, 20.0 * fibre.internode_mm(), depth, 500.0);
            threshold(&fibre, &ve, &pulse, 0.005)
        })
        .collect();
    let ratios: Vec<f64> = t.windows(2).map(|w| w[1] / w[0]).collect();
    assert!(ratios.iter().all(|r| (2.0..8.0).contains(r)), "{t:?}");
    assert!(ratios.windows(2).all(|w| w[1] > w[0]), "{ratios:?}");
}

/// Source: the chronaxie of myelinated axons, 30–200 µs (Wikipedia, "Chronaxie", after
/// Ranck's review of 1975). Lapicque's definition: the pulse width at which the threshold
/// is twice the rheobase, the rheobase being the threshold of a 5 ms pulse. Point source
/// 1 mm from a 10 µm fibre, 500 Ω·cm, monophasic cathodic pulses.
///
/// Measured: rheobase 0.0485 mA, chronaxie 147 µs (5.7 µm: 207 µs; 16 µm: 130 µs).
#[test]
fn mrg_strength_duration_chronaxie_is_that_of_myelinated_axons() {
    let fibre = Mrg::new(10.0, 41);
    let ve = point_cathode(&fibre, 20.0 * fibre.internode_mm(), 1.0, 500.0);
    let widths = [20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0];
    let t: Vec<f64> = widths
        .iter()
        .map(|&w| threshold(&fibre, &ve, &Stimulus::monophasic(w), 0.02))
        .collect();
    assert!(t.windows(2).all(|p| p[1] <= p[0]), "{t:?}");
    let rheobase = t[7];
    assert!(
        t[6] / rheobase < 1.01,
        "the 2 ms threshold is the rheobase: {t:?}"
    );
    // Interpolate log-log where the threshold crosses twice the rheobase.
    let i = t
        .iter()
        .position(|&x| x < 2.0 * rheobase)
        .expect("a crossing");
    let f = (t[i - 1] / (2.0 * rheobase)).ln() / (t[i - 1] / t[i]).ln();
    let chronaxie = widths[i - 1] * (widths[i] / widths[i - 1]).powf(f);
    assert!(
        (30.0..200.0).contains(&chronaxie),
        "chronaxie {chronaxie} µs: {t:?}"
    );
}
