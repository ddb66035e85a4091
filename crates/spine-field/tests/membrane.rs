//! The membrane thresholds (the MRG axon, `membrane::recruitment`) against published
//! clinical and modelling results, on the fine grid the app shows as final. Each test names
//! its source; the numbers compared are in docs/science.md ("Fibres with membranes"),
//! misses included. Every program is charge-balanced and searched up to the stimulator's
//! 25.5 mA ceiling.
//!
//! Programs are shared between tests (each placement solved once, each program's
//! thresholds computed once, whichever test asks first), so the file runs in about a
//! minute on two cores.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use spine_field::anatomy::{level_z, Anatomy, LEVELS};
use spine_field::dermatomes::{region_named, region_thresholds, Side, REGIONS};
use spine_field::fibres::{anatomical_population, FibreKind, Probe};
use spine_field::lead::{Lead, LeadKind};
use spine_field::membrane::mrg::Mrg;
use spine_field::membrane::recruitment::{self, between_nodes, window};
use spine_field::membrane::{threshold_ma, Axon, Phase, Stimulus};
use spine_field::model::{Model, Resolution};
use spine_field::posture::Posture;

/// The stimulator's hardware ceiling, mA.
const MAX_MA: f64 = 25.5;
const T8: usize = 2;
const T10: usize = 4;
const T11: usize = 5;
const T12: usize = 6;
/// Lateral offset of the "lateral" leads, mm (patient's right).
const LATERAL_MM: f64 = 3.5;
/// The comfortable level, × the perception threshold: (1 + UR) / 2 with the usage range
/// UR = 1.6 of docs/science.md (the virtual patient's). Where a paresthesia map is read.
const COMFORTABLE: f64 = 1.3;

// ---------------------------------------------------------------------------------------
// Placements and programs, each computed once.

/// A 1 × 8 at `level`, `offset` mm from the midline, in `anatomy` (dorsal CSF `csf` mm at
/// every level, or the default profile), the patient in `posture`.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Placement {
    level: usize,
    offset: f64,
    csf: Option<f64>,
    posture: Posture,
}

const fn at(level: usize, offset: f64) -> Placement {
    Placement {
        level,
        offset,
        csf: None,
        posture: Posture::Supine,
    }
}

fn key(x: impl std::fmt::Debug) -> String {
    format!("{x:?}")
}

/// Values by key, each computed once.
type Cache<T> = OnceLock<Mutex<HashMap<String, Arc<OnceLock<T>>>>>;

/// One value per key, computed once by whichever caller asks first (the others wait).
fn once<T: Send + Sync + 'static>(
    cache: &'static Cache<T>,
    key: String,
    make: impl FnOnce() -> T,
) -> Arc<OnceLock<T>> {
    let cell = cache
        .get_or_init(Default::default)
        .lock()
        .unwrap()
        .entry(key)
        .or_default()
        .clone();
    cell.get_or_init(make);
    cell
}

/// The fibres of a placement: the anatomical population over the lead ± 30 mm, sampled in the fine
/// solve (as `tests/literature.rs` builds them).
fn probe(p: Placement) -> Arc<OnceLock<Probe>> {
    static CACHE: Cache<Probe> = OnceLock::new();
    once(&CACHE, key(p), || {
        let anatomy = match p.csf {
            Some(csf) => Anatomy {
                dorsal_csf: [csf; 8],
                ..Anatomy::default()
            },
            None => Anatomy::default(),
        }
        .in_posture(p.posture);
        let lead = Lead {
            offset: p.offset,
            ..Lead::at(LeadKind::PERCUTANEOUS_8, p.level)
        };
        let model = Model::build(anatomy, &[lead], Resolution::FINE).expect("solves");
        let z = lead.middle_z();
        Probe::new(
            &model,
            anatomical_population(&model.anatomy, z + 30.0, z - 30.0),
        )
    })
}

/// The contacts' fractions of the amplitude (cathodes −) on a 1 × 8.
fn fractions(pairs: &[(usize, f64)]) -> Vec<f64> {
    let mut f = vec![0.0; 8];
    for &(c, v) in pairs {
        f[c] = v;
    }
    f
}

/// E4 − E5 +: the bipole in the middle of the lead.
fn bipole() -> Vec<f64> {
    fractions(&[(3, -1.0), (4, 1.0)])
}

/// Every fibre's membrane threshold (mA, infinite beyond 25.5 mA) for a program.
fn membrane(p: Placement, f: &[f64], stimulus: &Stimulus) -> Arc<OnceLock<Vec<f64>>> {
    static CACHE: Cache<Vec<f64>> = OnceLock::new();
    let probe = probe(p);
    once(&CACHE, key((p, f, stimulus)), || {
        recruitment::thresholds_ma(probe.get().unwrap(), f, stimulus, MAX_MA)
    })
}

/// The first fibre: its index and threshold (mA).
fn first(t: &[f64]) -> (usize, f64) {
    (0..t.len()).fold((0, f64::INFINITY), |best, f| {
        if t[f] < best.1 {
            (f, t[f])
        } else {
            best
        }
    })
}

/// The lowest threshold (mA) among the fibres that `keep` accepts.
fn lowest(t: &[f64], keep: impl Fn(usize) -> bool) -> f64 {
    (0..t.len())
        .filter(|&f| keep(f))
        .map(|f| t[f])
        .fold(f64::INFINITY, f64::min)
}

fn is_column(probe: &Probe, f: usize) -> bool {
    probe.fibres[f].kind == FibreKind::DorsalColumn
}

/// A fibre's description for the output.
fn describe(probe: &Probe, f: usize) -> String {
    let fibre = &probe.fibres[f];
    let kind = match fibre.kind {
        FibreKind::DorsalColumn => "dorsal column".to_string(),
        FibreKind::DorsalRoot { level } => format!("dorsal root entering at {}", LEVELS[level]),
    };
    format!(
        "{kind}, {} µm, {} {:?}",
        fibre.diameter_um,
        fibre.dermatome.segment.name(),
        fibre.dermatome.side
    )
}

/// Where fibre `f`'s action potential starts at `amplitude_ma`: the node (index into the
/// fibre's nodes) whose membrane crosses −20 mV first, and whether it is at a sealed end
/// of the simulated stretch (the fibre's own end, or where the window cuts it) or next to
/// one.
fn origin(
    probe: &Probe,
    fractions: &[f64],
    stimulus: &Stimulus,
    f: usize,
    amplitude_ma: f64,
) -> Option<(usize, bool)> {
    let ve = probe.ve_mv(f, fractions);
    let cut = window(&ve);
    let drive = recruitment::Drive {
        diameter_um: probe.fibres[f].diameter_um,
        ve_mv: ve,
        preview_ma: f64::NAN,
    };
    let (axon, ve_at) = drive.axon();
    let times = axon.crossing_times_us(&ve_at, stimulus, amplitude_ma);
    let k = (0..times.len())
        .filter(|&k| times[k].is_some())
        .min_by(|&a, &b| times[a].unwrap().total_cmp(&times[b].unwrap()))?;
    // The end nodes are passive: an end excitation would start next to them.
    Some((cut.start + k, k <= 1 || k + 2 >= times.len()))
}

/// Fibre `f` fires at `amplitude_ma`, its action potential starting away from a sealed
/// end (where the model cuts the fibre, an end no real fibre has: see the ignored test).
fn assert_inside(
    probe: &Probe,
    fractions: &[f64],
    stimulus: &Stimulus,
    f: usize,
    amplitude_ma: f64,
) {
    let (node, at_end) = origin(probe, fractions, stimulus, f, amplitude_ma).expect("fires");
    assert!(
        !at_end,
        "{} starts at node {node}, a sealed end",
        describe(probe, f)
    );
}

// ---------------------------------------------------------------------------------------
// Stimuli.

/// 10 kHz therapy: 30 µs cathodic, 20 µs gap, 30 µs anodic, every 100 µs; 5 ms of it
/// (a train of 100 periods gives the same first-fibre threshold at T8).
fn ten_khz() -> Stimulus {
    Stimulus {
        phases: vec![
            Phase {
                start_us: 0.0,
                duration_us: 30.0,
                weight: 1.0,
            },
            Phase {
                start_us: 50.0,
                duration_us: 30.0,
                weight: -1.0,
            },
        ],
        period_us: 100.0,
        periods: 50,
    }
}

/// Burst (DOMAIN.md): 5 pulses of 1 ms at 500 Hz, then a passive recharge after the
/// burst, modelled as a low, long reversed phase returning the burst's charge: half the
/// amplitude for 10 ms (it ends before the next burst, 25 ms on at 40 Hz). One burst.
fn burst() -> Stimulus {
    let mut phases: Vec<Phase> = (0..5)
        .map(|k| Phase {
            start_us: 2000.0 * k as f64,
            duration_us: 1000.0,
            weight: 1.0,
        })
        .collect();
    phases.push(Phase {
        start_us: 9000.0,
        duration_us: 10_000.0,
        weight: -0.5,
    });
    Stimulus {
        phases,
        period_us: 25_000.0,
        periods: 1,
    }
}

// ---------------------------------------------------------------------------------------
// Fits.

/// Lapicque's exponential strength–duration curve, I = I_rh / (1 − e^(−PW/τ)), fitted by
/// least squares on log I: (chronaxie τ ln 2 in µs, rheobase in mA, rms relative error).
fn lapicque(points: &[(f64, f64)]) -> (f64, f64, f64) {
    fit(points, |pw, tau| 1.0 / (1.0 - (-pw / tau).exp()), 2f64.ln())
}

/// Weiss's linear charge–duration curve, I = I_rh (1 + c/PW), fitted the same way:
/// (chronaxie c in µs, rheobase in mA, rms relative error).
fn weiss(points: &[(f64, f64)]) -> (f64, f64, f64) {
    fit(points, |pw, c| 1.0 + c / pw, 1.0)
}

/// The time constant (searched over 10 µs–10 ms in 0.1 % steps) minimising the squared
/// error of log I, with log I_rh in closed form (the mean of the residuals).
fn fit(
    points: &[(f64, f64)],
    shape: impl Fn(f64, f64) -> f64,
    to_chronaxie: f64,
) -> (f64, f64, f64) {
    let n = points.len() as f64;
    let mut best = (f64::INFINITY, 0.0, 0.0);
    let mut tau = 10.0;
    while tau < 10_000.0 {
        let residual: Vec<f64> = points
            .iter()
            .map(|&(pw, ma)| ma.ln() - shape(pw, tau).ln())
            .collect();
        let log_rh = residual.iter().sum::<f64>() / n;
        let error = residual.iter().map(|r| (r - log_rh).powi(2)).sum::<f64>();
        if error < best.0 {
            best = (error, tau, log_rh.exp());
        }
        tau *= 1.001;
    }
    (best.1 * to_chronaxie, best.2, (best.0 / n).sqrt())
}

// ---------------------------------------------------------------------------------------
// (a) Perception threshold of tonic SCS.

/// The perception threshold of conventional tonic SCS (a midline bipole, 300 µs,
/// charge-balanced biphasic) lies in the range patients report.
///
/// No primary paper in reach gives perception thresholds in mA (He et al., Pain 59:55,
/// 1994 and Abejón et al. 2007/2016 measured them; their values were not readable). The
/// range asserted, 1.3–8.5 mA: at least the lowest clinical rheobase of Yearwood et al.
/// (Pain Physician 13:321, 2010: 2.5 (1.3–3.3) mA; no threshold falls below the
/// rheobase), at most the top of the amplitudes of paresthesia-based programs (3.5–8.5 mA,
/// a review, PMC8229652; the perception threshold lies below the programmed amplitude).
/// Yearwood's medians also put a typical threshold at 300 µs (≈ their chronaxie, so
/// ≈ 2 × rheobase) near 5 mA: printed for comparison, not asserted.
#[test]
fn tonic_perception_threshold_is_in_the_clinical_range_yearwood_2010() {
    let pulse = Stimulus::biphasic(300.0);
    for level in [T8, T10] {
        let probe = probe(at(level, 0.0));
        let probe = probe.get().unwrap();
        let t = membrane(at(level, 0.0), &bipole(), &pulse);
        let (f, ma) = first(t.get().unwrap());
        println!(
            "midline E4−E5+ at {}, 300 µs: perception threshold {ma:.2} mA (expected 1.3–8.5 mA; \
             ≈ 5 mA from Yearwood's medians), first fibre {}",
            LEVELS[level],
            describe(probe, f)
        );
        assert!(
            (1.3..=8.5).contains(&ma),
            "{}: {ma:.2} mA outside 1.3–8.5 mA",
            LEVELS[level]
        );
        assert!(
            is_column(probe, f),
            "a midline bipole: a dorsal column fibre first"
        );
        assert_inside(probe, &bipole(), &pulse, f, ma);
    }
}

// ---------------------------------------------------------------------------------------
// (b) Strength–duration.

/// The chronaxie and rheobase that emerge from the perception thresholds (first fibre of
/// the midline bipole at T8) at 60–1000 µs, against the clinical strength–duration of
/// Yearwood et al. (Pain Physician 13:321, 2010; 50–1000 µs in 19 patients): chronaxie
/// 295 (242–326) µs, rheobase 2.5 (1.3–3.3) mA. How they were read off the thresholds is
/// not in the abstract, and the chronaxie depends on it, so three readings are made:
/// Lapicque's exponential and Weiss's linear-charge equation fitted, and the app's
/// (Train's chart: rheobase = the 1 ms threshold, chronaxie = the width at twice it).
///
/// Result, charge-balanced biphasic pulse (the app's tonic pulse): the rheobase is in
/// Yearwood's range by every reading; the chronaxie is in it by the app's reading
/// (≈ 267 µs) and MISSES it by Lapicque's (≈ 340 µs, above 326 µs) and Weiss's
/// (≈ 745 µs; Weiss fits worse). A monophasic pulse gives ≈ 225 µs by Lapicque's and the
/// app's readings (below 242 µs): the mirrored phase 20 µs after the first cuts short
/// pulses most, which lengthens the chronaxie. Asserted: the rheobases in 1.3–3.3 mA, the
/// biphasic pulse's app-reading chronaxie in 242–326 µs, and the model's other
/// chronaxies within 10 % of what it gives now (not Yearwood's interval).
#[test]
fn strength_duration_chronaxie_and_rheobase_against_yearwood_2010() {
    let widths = [60.0, 90.0, 120.0, 210.0, 300.0, 450.0, 600.0, 1000.0];
    let place = at(T8, 0.0);
    let mut rows = vec![];
    for (shape, pulse) in [
        ("biphasic", Stimulus::biphasic as fn(f64) -> Stimulus),
        ("monophasic", Stimulus::monophasic),
    ] {
        let points: Vec<(f64, f64)> = widths
            .iter()
            .map(|&w| {
                let (f, ma) = first(membrane(place, &bipole(), &pulse(w)).get().unwrap());
                assert_inside(probe(place).get().unwrap(), &bipole(), &pulse(w), f, ma);
                (w, ma)
            })
            .collect();
        let lapicque = lapicque(&points);
        let weiss = weiss(&points);
        let app = twice_the_longest(&points);
        let at_w = |w: f64| points.iter().find(|p| p.0 == w).unwrap().1;
        let ratio = at_w(210.0) / at_w(450.0);
        println!("{shape}: thresholds (µs, mA) {points:.3?}");
        for (name, (chronaxie, rheobase, rms)) in [
            ("Lapicque fit", lapicque),
            ("Weiss fit", weiss),
            ("app's reading (1 ms)", app),
        ] {
            let fit = if rms > 0.0 {
                format!(", rms {:.1} %", 100.0 * rms)
            } else {
                String::new()
            };
            println!(
                "  {name}: chronaxie {chronaxie:.0} µs (expected 242–326), rheobase \
                 {rheobase:.2} mA (expected 1.3–3.3){fit}"
            );
        }
        println!("  threshold 210 µs ÷ 450 µs {ratio:.3}");
        for (_, rheobase, _) in [lapicque, app] {
            assert!((1.3..=3.3).contains(&rheobase), "rheobase {rheobase:.2} mA");
        }
        assert!(lapicque.2 < 0.04, "Lapicque fits within 4 %");
        rows.push((lapicque.0, app.0));
    }
    let ((bi_lapicque, bi_app), (mono_lapicque, mono_app)) = (rows[0], rows[1]);
    assert!(
        (242.0..=326.0).contains(&bi_app),
        "biphasic, the app's reading: {bi_app:.0} µs"
    );
    // The model's own values (MISSES against 242–326 µs): within 10 %.
    for (value, now, what) in [
        (bi_lapicque, 340.0, "biphasic, Lapicque"),
        (mono_lapicque, 225.0, "monophasic, Lapicque"),
        (mono_app, 227.0, "monophasic, the app's reading"),
    ] {
        assert!(
            (value / now - 1.0).abs() < 0.1,
            "{what}: chronaxie {value:.0} µs (was {now})"
        );
    }
}

/// The app's reading of a strength–duration curve (Train's chart): the rheobase is the
/// threshold at the longest width, the chronaxie the width (interpolated on a log axis)
/// where the threshold is twice it: (chronaxie µs, rheobase mA, 0).
fn twice_the_longest(points: &[(f64, f64)]) -> (f64, f64, f64) {
    let rheobase = points[points.len() - 1].1;
    let twice = 2.0 * rheobase;
    let i = points
        .windows(2)
        .position(|w| w[0].1 >= twice && w[1].1 < twice)
        .expect("twice the rheobase within the widths");
    let ((w0, t0), (w1, t1)) = (points[i], points[i + 1]);
    let f = (t0 - twice) / (t0 - t1);
    ((w0.ln() + f * (w1.ln() - w0.ln())).exp(), rheobase, 0.0)
}

// ---------------------------------------------------------------------------------------
// (c) Dorsal CSF thickness.

/// Thicker dorsal CSF raises the perception threshold: Holsheimer, den Boer, Struijk &
/// Rozeboom (AJNR 15:951, 1994: 2.0–6.0 mm at T11 supine, more than twofold between
/// subjects) and He, Barolat, Holsheimer & Struijk (Pain 59:55, 1994: "differences in
/// perception threshold at various vertebral levels are mainly due to varying depths of
/// the dorsal CSF layer"; no slope readable). A midline bipole at T8 with 3, 4.5 and 6 mm
/// at every level: the threshold rises at each step, by more than half from 3 to 6 mm.
#[test]
fn lying_prone_raises_the_perception_threshold_at_t11_holsheimer_1994_cameron_alo_1998() {
    // Holsheimer et al. 1994: prone, the dorsal CSF at T11 is about 2.2 mm thicker
    // (`spine_field::posture`). Patients feel it: most adjust the amplitude when they
    // change posture, and in 20 of 23 thresholds were lowest lying (Cameron & Alo 1998).
    let pulse = Stimulus::biphasic(300.0);
    let [supine, prone] = Posture::ALL.map(|posture| {
        let place = Placement {
            posture,
            ..at(T11, 0.0)
        };
        let (f, ma) = first(membrane(place, &bipole(), &pulse).get().unwrap());
        println!(
            "T11, {}: perception threshold {ma:.2} mA ({})",
            posture.name(),
            describe(probe(place).get().unwrap(), f)
        );
        ma
    });
    println!(
        "expected: higher prone; prone ÷ supine = {:.2}",
        prone / supine
    );
    assert!(
        prone > 1.2 * supine,
        "supine {supine:.2} mA, prone {prone:.2} mA"
    );
}

#[test]
fn thicker_dorsal_csf_raises_the_perception_threshold_holsheimer_1994_he_1994() {
    let pulse = Stimulus::biphasic(300.0);
    let thresholds: Vec<f64> = [3.0, 4.5, 6.0]
        .iter()
        .map(|&csf| {
            let place = Placement {
                csf: Some(csf),
                ..at(T8, 0.0)
            };
            let t = membrane(place, &bipole(), &pulse);
            let (f, ma) = first(t.get().unwrap());
            println!(
                "dorsal CSF {csf} mm: perception threshold {ma:.2} mA ({})",
                describe(probe(place).get().unwrap(), f)
            );
            assert_inside(probe(place).get().unwrap(), &bipole(), &pulse, f, ma);
            ma
        })
        .collect();
    println!(
        "expected: rising with the CSF; 6 mm ÷ 3 mm = {:.2}",
        thresholds[2] / thresholds[0]
    );
    assert!(
        thresholds.windows(2).all(|w| w[1] > w[0]),
        "{thresholds:.2?}"
    );
    assert!(thresholds[2] > 1.5 * thresholds[0], "{thresholds:.2?}");
}

// ---------------------------------------------------------------------------------------
// (d) Lateral leads: dorsal roots first, on their side.

/// Holsheimer & Wesselink (Neurosurgery 41:654, 1997): a lead over the midline recruits
/// the dorsal columns; a lateral one gives unilateral, segmental paresthesia (dorsal
/// roots). Struijk, Holsheimer & Boom (IEEE TBME 40:632, 1993): dorsal root fibres have
/// low thresholds, and are excited near their entry into the cord. A 1 × 8 (E4−E5+,
/// 300 µs) at T10 on the midline and 3.5 mm right: the midline lead's first fibre is a
/// dorsal column fibre, the lateral lead's a dorsal root fibre on the right, the first
/// left fibre comes later, and the root's action potential starts within 3 mm of where
/// it enters the cord (not at a sealed end).
#[test]
fn a_lateral_lead_recruits_dorsal_roots_first_on_its_side_holsheimer_1997_struijk_1993() {
    let pulse = Stimulus::biphasic(300.0);
    let ratios = [0.0, LATERAL_MM].map(|offset| {
        let place = at(T10, offset);
        let probe = probe(place);
        let probe = probe.get().unwrap();
        let t = membrane(place, &bipole(), &pulse);
        let t = t.get().unwrap();
        let (f, ma) = first(t);
        let dc = lowest(t, |f| is_column(probe, f));
        let dr = lowest(t, |f| !is_column(probe, f));
        let side = |s: Side| lowest(t, |f| probe.fibres[f].dermatome.side == s);
        let (right, left) = (side(Side::Right), side(Side::Left));
        println!(
            "T10, {offset} mm right: columns {dc:.2} mA, roots {dr:.2} mA, right side {right:.2}, \
             left side {left:.2}; first {ma:.2} mA: {}",
            describe(probe, f)
        );
        if offset == 0.0 {
            assert!(is_column(probe, f), "midline: a dorsal column fibre first");
        } else {
            let FibreKind::DorsalRoot { level } = probe.fibres[f].kind else {
                panic!("lateral: a dorsal root fibre first");
            };
            assert_eq!(probe.fibres[f].dermatome.side, Side::Right, "on the lead's side");
            assert!(left > 1.1 * right, "the other side later: {left:.2} vs {right:.2} mA");
            // Where it starts: near the entry zone (x = ±2.6 mm, at the root's level ± 4 mm).
            let (node, at_end) = origin(probe, &bipole(), &pulse, f, ma).expect("fires");
            let p = probe.fibres[f].nodes[node];
            let entry_y = Anatomy::default().cord_surface(2.6).unwrap() + 0.1;
            let to_entry = [-4.0, 0.0, 4.0]
                .iter()
                .map(|dz| {
                    let e = [2.6, entry_y, level_z(level) + dz];
                    (0..3).map(|d| (p[d] - e[d]).powi(2)).sum::<f64>().sqrt()
                })
                .fold(f64::INFINITY, f64::min);
            println!(
                "  the root's action potential starts at ({:.1}, {:.1}, {:.1}) mm, {to_entry:.1} mm \
                 from its entry into the cord (expected near it, Struijk 1993)",
                p[0], p[1], p[2]
            );
            assert!(!at_end && to_entry < 3.0, "{to_entry:.1} mm from the entry");
        }
        dr / dc
    });
    assert!(
        ratios[0] > 1.0 && ratios[1] < 1.0,
        "roots ÷ columns: {ratios:.2?}"
    );
}

// ---------------------------------------------------------------------------------------
// (e) Dermatomes.

/// The regions (names and sides) felt at `amplitude_ma`, from the fibres' thresholds.
fn felt(probe: &Probe, t: &[f64], amplitude_ma: f64) -> Vec<(&'static str, Side)> {
    region_thresholds(&probe.lowest_by_dermatome(t))
        .into_iter()
        .filter(|r| r.2 <= amplitude_ma)
        .map(|(r, side, _)| (REGIONS[r].name, side))
        .collect()
}

/// The first fibre (index) of region `name` on `side` if it fires at `amplitude_ma`.
fn felt_by(probe: &Probe, t: &[f64], name: &str, side: Side, amplitude_ma: f64) -> Option<usize> {
    let (low, high) = REGIONS[region_named(name).expect("a region")].segments;
    (0..t.len())
        .filter(|&f| {
            let d = probe.fibres[f].dermatome;
            d.side == side && (low..=high).contains(&d.segment) && t[f] <= amplitude_ma
        })
        .min_by(|&a, &b| t[a].total_cmp(&t[b]))
}

/// Barolat's maps of the sensations evoked by epidural stimulation (Barolat et al.,
/// J. Neurosurg. 78:233, 1993; the level-by-level analysis, Stereotact. Funct. Neurosurg.
/// 61:146): at T10 midline, the anterior and posterior thigh, leg, knee, ankle and foot;
/// at T10 lateral, the abdomen, anterior leg, knee and anterior thigh. A 1 × 8 (E4−E5+,
/// 300 µs) at T10, read at the comfortable level (1.3 × the perception threshold):
/// midline, both feet, calves, knees and backs of the thighs, no abdomen or chest wall
/// (the groin and low back, L1, come in at 1.14 ×); 3.5 mm right, the abdomen, front of
/// the thigh, knee and inner lower leg on the right, nothing on the left. Each region's
/// first fibre fires away from a sealed end.
#[test]
fn t10_midline_reaches_the_legs_and_feet_and_lateral_the_abdomen_and_thigh_barolat_1993() {
    let pulse = Stimulus::biphasic(300.0);
    for offset in [0.0, LATERAL_MM] {
        let place = at(T10, offset);
        let probe = probe(place);
        let probe = probe.get().unwrap();
        let t = membrane(place, &bipole(), &pulse);
        let t = t.get().unwrap();
        let perception = first(t).1;
        let amplitude = COMFORTABLE * perception;
        println!(
            "T10, {offset} mm right, at {amplitude:.2} mA (1.3 × {perception:.2}): {:?}",
            felt(probe, t, amplitude)
        );
        let (wanted, absent, sides): (&[&str], &[&str], &[Side]) = if offset == 0.0 {
            (
                &[
                    "top of the foot and big toe",
                    "sole and little toe",
                    "calf",
                    "knee",
                    "back of the thigh",
                ],
                &["abdomen", "chest wall"],
                &[Side::Right, Side::Left],
            )
        } else {
            (
                &["abdomen", "front of the thigh", "knee", "inner lower leg"],
                &["chest wall"],
                &[Side::Right],
            )
        };
        for &side in sides {
            for region in wanted {
                let f = felt_by(probe, t, region, side, amplitude);
                let f = f.unwrap_or_else(|| panic!("{offset} mm: {region} {side:?} not felt"));
                assert_inside(probe, &bipole(), &pulse, f, t[f]);
            }
        }
        for side in [Side::Right, Side::Left] {
            for region in absent {
                assert!(
                    felt_by(probe, t, region, side, amplitude).is_none(),
                    "{offset} mm: {region} {side:?} felt"
                );
            }
        }
        if offset != 0.0 {
            assert!(
                felt(probe, t, amplitude)
                    .iter()
                    .all(|&(_, side)| side == Side::Right),
                "lateral: nothing on the left"
            );
        }
    }
}

/// Falowski ("Spinal cord stimulation for practitioners", after Barolat's database):
/// "lateral placement at T11–12 will cover the anterior thigh"; DOMAIN.md: roots pass
/// down the canal to their foramina, so a lateral lead at T10–T12 reaches the abdomen,
/// groin and front of the thigh. A 1 × 8 3.5 mm right at T11 and at T12 (E4−E5+, 300 µs),
/// at the comfortable level: the groin (L1) and the knee (L3, the lower anterior thigh)
/// on the right, the groin through a root entering above the lead (passing it on its way
/// to its foramen), and nothing on the left.
///
/// MISS: the region "front of the thigh" (L2) is not reached at either level, up to
/// 25.5 mA: the model has dorsal root fibres for one segment per level (T10 → L1,
/// T11 → L3), none for L2, and the dorsal columns at T11–T12 carry only the segments
/// entering at or below them (L3 and lower).
#[test]
fn a_lateral_lead_at_t11_t12_reaches_groin_and_knee_through_passing_roots_falowski() {
    let pulse = Stimulus::biphasic(300.0);
    for level in [T11, T12] {
        let place = at(level, LATERAL_MM);
        let probe = probe(place);
        let probe = probe.get().unwrap();
        let t = membrane(place, &bipole(), &pulse);
        let t = t.get().unwrap();
        let perception = first(t).1;
        let amplitude = COMFORTABLE * perception;
        let map = felt(probe, t, amplitude);
        println!(
            "{} 3.5 mm right, at {amplitude:.2} mA (1.3 × {perception:.2}): {map:?}",
            LEVELS[level]
        );
        let thigh = felt_by(probe, t, "front of the thigh", Side::Right, MAX_MA);
        println!(
            "  front of the thigh (L2): {} (MISS: expected with the groin and knee)",
            thigh.map_or("not reached up to 25.5 mA".into(), |f| format!(
                "from {:.2} mA",
                t[f]
            ))
        );
        let first_of = |region: &str| {
            let f = felt_by(probe, t, region, Side::Right, amplitude);
            let f = f.unwrap_or_else(|| panic!("{}: {region} not felt", LEVELS[level]));
            assert_inside(probe, &bipole(), &pulse, f, t[f]);
            println!("  {region}: first {} at {:.2} mA", describe(probe, f), t[f]);
            f
        };
        let groin = first_of("groin");
        first_of("knee");
        assert!(
            map.iter().all(|&(_, side)| side == Side::Right),
            "nothing on the left"
        );
        // The groin's fibre: a root entering above the lead's level, passing it.
        assert!(
            matches!(probe.fibres[groin].kind, FibreKind::DorsalRoot { level: l } if l < level),
            "a passing root: {}",
            describe(probe, groin)
        );
    }
}

// ---------------------------------------------------------------------------------------
// (f) 10 kHz and burst.

/// Lempka, McIntyre, Kilgore & Machado (Anesthesiology 122:1362, 2015): direct excitation
/// of large dorsal column or dorsal root fibres by 10 kHz SCS needs "amplitudes at the
/// upper end or outside of the range used in clinical KHFSCS (i.e., 0.5 to 5 mA)",
/// consistent with paresthesia-free 10 kHz therapy (Kapural et al., Anesthesiology
/// 123:851, 2015). 30 µs phases at 10 kHz for 5 ms, a midline bipole at T8 and at T11
/// (thinner CSF): the first fibre fires at 4 mA or more (the upper end; printed whether
/// outside).
#[test]
fn ten_khz_excites_only_at_the_upper_end_of_its_clinical_range_or_beyond_lempka_2015() {
    for level in [T8, T11] {
        let place = at(level, 0.0);
        let probe = probe(place);
        let probe = probe.get().unwrap();
        let t = membrane(place, &bipole(), &ten_khz());
        let (f, ma) = first(t.get().unwrap());
        let tonic = first(
            membrane(place, &bipole(), &Stimulus::biphasic(300.0))
                .get()
                .unwrap(),
        )
        .1;
        println!(
            "10 kHz, midline at {}: first fibre {ma:.2} mA (expected ≥ 4, the clinical range \
             0.5–5 mA; {}), {}; tonic 300 µs {tonic:.2} mA (× {:.1})",
            LEVELS[level],
            if ma > 5.0 { "outside it" } else { "inside it" },
            describe(probe, f),
            ma / tonic
        );
        assert!(ma >= 4.0, "{ma:.2} mA");
        assert_inside(probe, &bipole(), &ten_khz(), f, ma);
    }
}

/// Burst (5 × 1 ms at 500 Hz, passive recharge): most patients feel no paresthesia at
/// their programmed amplitude (Courtney et al., Neuromodulation 18:361, 2015: 16 of 22
/// none, 5 less; Tjepkema-Cloostermans et al., Neuromodulation 19:492, 2016). The burst
/// amplitude rule (De Ridder 2010) was not in reach, so this is a comparison, not a
/// validation: the model's burst perception threshold (midline bipole at T8) is below
/// tonic's at 300 µs, near a single 1 ms pulse's: a paresthesia-free burst must run below
/// about 0.6 × the tonic perception threshold. Asserted: what the model gives now (burst
/// ÷ tonic 300 µs 0.58, ÷ 1 ms pulse 1.04), within 10 %.
#[test]
fn burst_perception_threshold_against_tonic_comparison_courtney_2015() {
    let place = at(T8, 0.0);
    let probe = probe(place);
    let probe = probe.get().unwrap();
    let t = membrane(place, &bipole(), &burst());
    let (f, ma) = first(t.get().unwrap());
    let tonic = first(
        membrane(place, &bipole(), &Stimulus::biphasic(300.0))
            .get()
            .unwrap(),
    )
    .1;
    let long = first(
        membrane(place, &bipole(), &Stimulus::biphasic(1000.0))
            .get()
            .unwrap(),
    )
    .1;
    println!(
        "burst at T8: first fibre {ma:.2} mA ({}); tonic 300 µs {tonic:.2} mA (burst ÷ tonic \
         {:.2}); one 1 ms biphasic pulse {long:.2} mA (burst ÷ it {:.2})",
        describe(probe, f),
        ma / tonic,
        ma / long
    );
    assert!(
        ((ma / tonic) / 0.58 - 1.0).abs() < 0.1,
        "burst ÷ tonic {:.2}",
        ma / tonic
    );
    assert!(
        ((ma / long) / 1.04 - 1.0).abs() < 0.1,
        "burst ÷ 1 ms {:.2}",
        ma / long
    );
    assert_inside(probe, &bipole(), &burst(), f, ma);
}

// ---------------------------------------------------------------------------------------
// The preview against the membrane; the integration step.

/// How far the drag preview's activating-function threshold (`Probe::threshold_ma`,
/// rheobase 2 mV, chronaxie 200 µs) is from the membrane's, for bipolar and guarded
/// programs at 60–1000 µs, midline and lateral, thin and default CSF. The first fibre's
/// membrane ÷ preview lies within 0.75–1.8 (measured 0.79–1.74); every other fibre's
/// within 0.55–2.0 (measured 0.58–1.86) unless it fires at a sealed end (down to 0.23:
/// see the ignored test below), which is checked for each fibre outside the bound.
#[test]
fn the_preview_is_within_a_factor_of_two_of_the_membrane_for_the_first_fibre() {
    let guarded = fractions(&[(2, 0.5), (3, -1.0), (4, 0.5)]);
    let thin = Placement {
        csf: Some(3.0),
        ..at(T8, 0.0)
    };
    let programs: Vec<(Placement, Vec<f64>, f64)> = vec![
        (at(T8, 0.0), bipole(), 60.0),
        (at(T8, 0.0), bipole(), 300.0),
        (at(T8, 0.0), bipole(), 1000.0),
        (at(T8, 0.0), guarded.clone(), 60.0),
        (at(T8, 0.0), guarded, 300.0),
        (thin, bipole(), 300.0),
        (at(T10, 0.0), bipole(), 300.0),
        (at(T10, LATERAL_MM), bipole(), 300.0),
    ];
    let (mut lo, mut hi) = (f64::INFINITY, 0.0f64);
    let (mut every_lo, mut every_hi) = (f64::INFINITY, 0.0f64);
    for (place, f, w) in programs {
        let probe = probe(place);
        let probe = probe.get().unwrap();
        let pulse = Stimulus::biphasic(w);
        let t = membrane(place, &f, &pulse);
        let t = t.get().unwrap();
        let preview = probe.thresholds_ma(&f, w);
        let ratio = first(t).1 / first(&preview).1;
        let (mut inside, mut sealed) = ((f64::INFINITY, 0.0f64), vec![]);
        for i in (0..t.len()).filter(|&i| t[i].is_finite()) {
            let r = t[i] / preview[i];
            if (0.55..=2.0).contains(&r) {
                inside = (inside.0.min(r), inside.1.max(r));
            } else {
                let (_, at_end) = origin(probe, &f, &pulse, i, t[i]).expect("fires");
                assert!(
                    at_end,
                    "{}: ratio {r:.2}, not at an end",
                    describe(probe, i)
                );
                sealed.push(format!("{r:.2}"));
            }
        }
        println!(
            "{place:?} {f:?} {w} µs: first fibre membrane {:.2} mA, preview {:.2} mA, ratio \
             {ratio:.2}; every fibre {:.2}–{:.2}, and fired at a sealed end {sealed:?}",
            first(t).1,
            first(&preview).1,
            inside.0,
            inside.1
        );
        lo = lo.min(ratio);
        hi = hi.max(ratio);
        every_lo = every_lo.min(inside.0);
        every_hi = every_hi.max(inside.1);
    }
    println!(
        "membrane ÷ preview: first fibre {lo:.2}–{hi:.2} (bound 0.75–1.8), every fibre not \
         fired at a sealed end {every_lo:.2}–{every_hi:.2} (bound 0.55–2.0)"
    );
    assert!(lo > 0.75 && hi < 1.8, "{lo:.2}–{hi:.2}");
}

/// What halving the app's 5 µs step changes (`recruitment::STEP_US`; backward Euler is
/// first order and errs high): the first fibre of the midline bipole at T8 at 60 and
/// 300 µs and at 10 kHz (30 µs phases), thresholds to 0.2 %, at 5, 2.5 and 1 µs. Halving
/// lowers them by 0.6–1.2 %; 1 µs by 1.1–2.0 % (measured). Bound: halving within 2 %.
#[test]
fn halving_the_integration_step_changes_thresholds_by_about_a_percent() {
    let place = at(T8, 0.0);
    let probe = probe(place);
    let probe = probe.get().unwrap();
    for (name, stimulus) in [
        ("60 µs", Stimulus::biphasic(60.0)),
        ("300 µs", Stimulus::biphasic(300.0)),
        ("10 kHz", ten_khz()),
    ] {
        let (f, ma) = first(membrane(place, &bipole(), &stimulus).get().unwrap());
        let ve = probe.ve_mv(f, &bipole());
        let nodes = &ve[window(&ve)];
        let at_step = |step: f64| {
            let axon =
                Mrg::new(probe.fibres[f].diameter_um, nodes.len().max(2)).with_max_step_us(step);
            let ve = between_nodes(nodes, axon.internode_mm(), &axon.sample_points());
            threshold_ma(&axon, &ve, &stimulus, ma, 100.0, 0.002).expect("fires")
        };
        assert_eq!(recruitment::STEP_US, 5.0);
        let (five, half, one) = (at_step(5.0), at_step(2.5), at_step(1.0));
        println!(
            "{name}: {five:.3} mA at 5 µs, {half:.3} at 2.5 µs ({:+.1} %), {one:.3} at 1 µs ({:+.1} %)",
            100.0 * (half / five - 1.0),
            100.0 * (one / five - 1.0)
        );
        assert!(
            half <= five * 1.001 && half > five * 0.98,
            "{five} → {half}"
        );
    }
}

/// An action potential does not start at a sealed end where the model cuts a fibre (a
/// root's end just outside its foramen, or any fibre's end at the edge of the span, 30 mm
/// from the lead's middle); real fibres go on into the nerve and along the cord. Before
/// the end nodes were made passive (as PyFibers makes them), a monopole (E4 −, the case
/// as anode) at T8, 300 µs biphasic, fired nearly every fibre first at an end in the
/// reversed phase: a T6 root at its end outside the foramen at 1.13 mA, where the dorsal
/// columns under the cathode fire at 2.63 mA; a lateral bipole at T10 fired a T9 root at
/// its foramen end at 6.4 mA, 0.23 × its preview.
#[test]
fn no_action_potential_starts_at_a_cut_fibre_end() {
    let monopole = fractions(&[(3, -1.0)]);
    let pulse = Stimulus::biphasic(300.0);
    let mut sealed = 0;
    for (place, f) in [(at(T8, 0.0), monopole), (at(T10, LATERAL_MM), bipole())] {
        let probe = probe(place);
        let probe = probe.get().unwrap();
        let t = membrane(place, &f, &pulse);
        let t = t.get().unwrap();
        let mut order: Vec<usize> = (0..t.len()).filter(|&i| t[i].is_finite()).collect();
        order.sort_by(|&a, &b| t[a].total_cmp(&t[b]));
        let at_ends: Vec<String> = order
            .into_iter()
            .filter_map(|i| match origin(probe, &f, &pulse, i, t[i]) {
                Some((node, true)) => Some(format!(
                    "{} at {:.2} mA, node {node} of {}",
                    describe(probe, i),
                    t[i],
                    probe.fibres[i].nodes.len()
                )),
                _ => None,
            })
            .collect();
        println!(
            "{place:?} {f:?}: {} fibres fire first at a sealed end, the lowest: {:#?}",
            at_ends.len(),
            &at_ends[..at_ends.len().min(5)]
        );
        sealed += at_ends.len();
    }
    assert_eq!(sealed, 0, "fibres fired at a sealed end");
}
