//! What the program on the bench does, computed once per change for every view: the
//! fibres it fires, where it is felt and the virtual patient's answer. At once from the
//! activating function's thresholds (the preview, on the preview's fibres); and, once the
//! lead's fine field is shown and the program has rested a moment, from the membrane
//! model's thresholds on the anatomical fibres (in the field workers,
//! [`crate::field_solve::membrane_thresholds`]), which then replace the preview's
//! everywhere, with the first fibre's strength–duration curve. A refused program does not
//! run (nothing fires, nothing is felt); a field still being solved for another placement
//! is not this placement's, so nothing is felt and the patient waits. [`body`] is the one
//! judgement: the page and the scenario tests both ask it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use spine_field::dermatomes::Dermatome;
use spine_field::fibres::{fired_at, Probe};
use spine_field::membrane::recruitment::drives;
use spine_field::membrane::Stimulus;
use stim_core::pattern::Pattern;

use super::editing::Editor;
use super::fields::Fields;
use super::membrane::{stimulus_of, Criterion, CURVE_WIDTHS_US, MAX_MA};
use super::patient::{Patient, Sensation, COMPUTING, REFUSED, USAGE_RANGE};
use crate::field_solve;
use crate::transport::sleep;

/// How long a program rests before its membrane thresholds are computed, ms (each step of
/// a held button would otherwise start one).
const PROGRAM_REST_MS: i32 = 300;

/// A program apart from its amplitudes: each area's signed contact shares and what it
/// plays (`None` where stim-core does not compile it), and the preview's pulse width.
type Program = (Vec<(Vec<f64>, Option<Stimulus>)>, f64);

/// Membrane thresholds and area `edited`'s first fibre's strength–duration curve (empty
/// until it follows them), for one field and one program.
#[derive(Clone, Debug, PartialEq)]
struct Membrane {
    field: u64,
    program: Program,
    edited: usize,
    thresholds: Vec<Vec<f64>>,
    curve: Vec<(f64, f64)>,
}

/// What a program does to the body.
#[derive(Clone, Debug, PartialEq)]
pub struct Body {
    /// The fibres that fire (indices into the probe's fibres).
    pub fired: Vec<usize>,
    /// Where it is felt.
    pub felt: Vec<Dermatome>,
    /// The virtual patient, or why there is no answer.
    pub patient: Result<Patient, &'static str>,
}

/// What a program's areas do, each given as its fibres' thresholds (mA, one per fibre of
/// `probe`) and its amplitude (mA): a fibre fires when any area fires it, and the patient
/// answers for all of them with area `edited`'s thresholds (see
/// [`Patient::examine_areas`]). A `refused` program does not run: nothing fires, nothing
/// is felt, and the patient says so.
pub fn body(probe: &Probe, areas: &[(Vec<f64>, f64)], edited: usize, refused: bool) -> Body {
    if refused {
        return Body {
            fired: vec![],
            felt: vec![],
            patient: Err(REFUSED),
        };
    }
    let mut fired: Vec<usize> = areas
        .iter()
        .flat_map(|(thresholds, ma)| fired_at(thresholds, *ma))
        .collect();
    fired.sort_unstable();
    fired.dedup();
    let by_dermatome: Vec<_> = areas
        .iter()
        .map(|(thresholds, ma)| (probe.lowest_by_dermatome(thresholds), *ma))
        .collect();
    Body {
        felt: probe.felt(&fired),
        fired,
        patient: Ok(Patient::examine_areas(&by_dermatome, edited)),
    }
}

/// The fibres that fire, as indices into the fibres of the population the criterion
/// reads (`Field::fired_fibres`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fired {
    /// Which criterion, and so which population.
    pub criterion: Criterion,
    /// The fibres.
    pub fibres: Vec<usize>,
}

/// The program's effect on the body (a `Copy` handle).
#[derive(Clone, Copy)]
pub struct Response {
    /// The fibres that fire in the shown field.
    pub fired: Signal<Fired>,
    /// Where it is felt.
    pub felt: Signal<Vec<Dermatome>>,
    /// The virtual patient, or why there is no answer.
    pub patient: Memo<Result<Patient, &'static str>>,
    /// Whether the membrane model has answered for the field and program on screen (and
    /// so whether `fired`, `felt` and `patient` are its).
    pub criterion: Signal<Criterion>,
    /// What it answered, for the area being edited.
    pub membrane: Signal<Option<MembraneThresholds>>,
}

/// The membrane model's thresholds for the area being edited.
#[derive(Clone, Debug, PartialEq)]
pub struct MembraneThresholds {
    /// The first fibre's threshold, mA (infinite if none fires within the stimulator's).
    pub perception_ma: f64,
    /// The model patient's discomfort threshold: the usage range × perception, mA.
    pub discomfort_ma: f64,
    /// The first fibre's strength–duration curve (pulse width µs, threshold mA).
    pub curve: Vec<(f64, f64)>,
}

/// `program`'s membrane thresholds on `probe`, each area's (none fires in an area stim-core
/// does not compile, as the scenario tests take it); `None` when `stale` turns true or the
/// workers cannot.
async fn thresholds_of(
    probe: &Probe,
    program: &Program,
    stale: &dyn Fn() -> bool,
) -> Option<Vec<Vec<f64>>> {
    let mut thresholds = vec![];
    for (fractions, stimulus) in &program.0 {
        let Some(stimulus) = stimulus.as_ref() else {
            thresholds.push(vec![f64::INFINITY; probe.fibres.len()]);
            continue;
        };
        let fibres = drives(probe, fractions, stimulus);
        thresholds.push(field_solve::membrane_thresholds(&fibres, stimulus, MAX_MA, stale).await?);
    }
    Some(thresholds)
}

/// The strength–duration curve of fibre `first` of `probe` with contact shares
/// `fractions`: its membrane threshold for a biphasic pulse of each width.
async fn curve_of(
    probe: &Probe,
    fractions: &[f64],
    first: usize,
    stale: &dyn Fn() -> bool,
) -> Option<Vec<(f64, f64)>> {
    let mut curve = vec![];
    for width in CURVE_WIDTHS_US {
        let pulse = Stimulus::biphasic(width);
        let fibre = drives(probe, fractions, &pulse).swap_remove(first);
        let t = field_solve::membrane_thresholds(&[fibre], &pulse, MAX_MA, stale).await?;
        curve.push((width, t[0]));
    }
    Some(curve)
}

impl Response {
    /// The response to `editor`'s bench in the field `fields` shows.
    pub fn of(editor: Editor, fields: Fields) -> Response {
        let (bench, refusal) = (editor.bench, editor.refusal);
        // The program apart from its amplitudes: a step of an amplitude costs no
        // thresholds, only a comparison per fibre.
        let program = Memo::new(move |_| -> Program {
            bench.with(|b| {
                let areas = (0..b.areas.len()).map(|i| {
                    let played = Pattern::compile(i, &b.program_of(i)).ok();
                    (b.fractions_of(i), played.as_ref().map(stimulus_of))
                });
                (areas.collect(), b.pulse_width_us())
            })
        });
        // Which field is shown: `shown` is re-derived on every change of the bench, but a
        // new amplitude shows the same field.
        let field_id = Memo::new(move |_| fields.shown.with(|f| f.as_ref().map(|f| f.serial)));
        let found = RwSignal::new(None::<Membrane>);
        // The membrane model once the lead's fine field is shown and the program rests; a
        // newer field or program makes it stale.
        Effect::new(move |_| {
            let (id, wanted) = (field_id.get(), program.get());
            let edited = bench.with(|b| b.active);
            let resting = fields.final_for_placement() && fields.preview.dragging.get().is_none();
            let (Some(id), true) = (id, resting) else {
                return;
            };
            if found.with_untracked(|m| {
                m.as_ref()
                    .is_some_and(|m| m.field == id && m.program == wanted && m.edited == edited)
            }) {
                return;
            }
            let asked = (id, wanted.clone());
            // (Not `field_solve::wanted()`: the atlas's solves wait for the workers too, and
            // would starve it; a new placement changes the field shown, which is enough.)
            let stale = move || {
                field_id.try_get_untracked().flatten() != Some(asked.0)
                    || program
                        .try_with_untracked(|p| *p != asked.1)
                        .unwrap_or(true)
            };
            spawn_local(async move {
                sleep(PROGRAM_REST_MS).await;
                if stale() {
                    return;
                }
                let Some(probe) = fields.shown.with_untracked(|f| {
                    f.as_ref()
                        .filter(|f| f.serial == id)
                        .and_then(|f| f.anatomical_probe().cloned())
                }) else {
                    return;
                };
                // The thresholds first (what the page reports), then the curve.
                let Some(thresholds) = thresholds_of(&probe, &wanted, &stale).await else {
                    return;
                };
                if stale() {
                    return;
                }
                let first = thresholds.get(edited).and_then(|t| {
                    (0..t.len())
                        .filter(|&f| t[f].is_finite())
                        .min_by(|&a, &b| t[a].total_cmp(&t[b]))
                });
                let fractions = wanted
                    .0
                    .get(edited)
                    .map(|a| a.0.clone())
                    .unwrap_or_default();
                found.set(Some(Membrane {
                    field: id,
                    program: wanted,
                    edited,
                    thresholds,
                    curve: vec![],
                }));
                let Some(first) = first else {
                    return;
                };
                if let Some(curve) = curve_of(&probe, &fractions, first, &stale).await {
                    if !stale() {
                        found.update(|m| {
                            if let Some(m) = m {
                                m.curve = curve;
                            }
                        });
                    }
                }
            });
        });
        // The membrane's thresholds for the field and program on screen, if found.
        let membrane_thresholds = Memo::new(move |_| {
            let (id, program) = (field_id.get(), program.get());
            found.with(|m| {
                m.as_ref()
                    .filter(|m| Some(m.field) == id && m.program == program)
                    .map(|m| m.thresholds.clone())
            })
        });
        // Each area's preview thresholds, tagged with the field they were computed on.
        let thresholds = Memo::new(move |_| {
            let (areas, pw_us) = program.get();
            let id = field_id.get();
            let t = fields.shown.with_untracked(|f| {
                f.as_ref().filter(|f| Some(f.serial) == id).map(|f| {
                    let probe = f.probe();
                    let each = areas.iter().map(|(x, _)| probe.thresholds_ma(x, pw_us));
                    each.collect::<Vec<_>>()
                })
            });
            (id, t.unwrap_or_default())
        });
        // Each area's amplitude, mA, and the area being edited.
        let amplitudes = Memo::new(move |_| {
            bench.with(|b| {
                let ma = b.areas.iter().map(|a| a.amplitude_ua as f64 / 1_000.0);
                (ma.collect::<Vec<_>>(), b.active)
            })
        });
        // The membrane's thresholds once found, else the preview's; the thresholds' own
        // field judges (the shown field may be newer for a moment).
        let judged = Memo::new(move |_| {
            let refused = refusal.with(Option::is_some);
            let (amplitudes, edited) = amplitudes.get();
            let by_membrane = membrane_thresholds.with(|t| {
                let t = t.as_ref().filter(|t| t.len() == amplitudes.len())?;
                fields.shown.with_untracked(|f| {
                    let probe = f.as_ref()?.anatomical_probe()?;
                    let areas: Vec<(Vec<f64>, f64)> =
                        t.iter().cloned().zip(amplitudes.iter().copied()).collect();
                    Some((Criterion::Membrane, body(probe, &areas, edited, refused)))
                })
            });
            if by_membrane.is_some() {
                return by_membrane;
            }
            thresholds.with(|(id, t)| {
                fields.shown.with_untracked(|f| {
                    let f = f.as_ref().filter(|f| Some(f.serial) == *id)?;
                    // Thresholds of as many areas as there are amplitudes (a removed area's
                    // thresholds are recomputed in the same turn).
                    (t.len() == amplitudes.len()).then(|| {
                        let areas: Vec<(Vec<f64>, f64)> =
                            t.iter().cloned().zip(amplitudes).collect();
                        (Criterion::Preview, body(f.probe(), &areas, edited, refused))
                    })
                })
            })
        });
        let fired = Signal::derive(move || {
            judged.with(|j| {
                j.as_ref()
                    .map(|(criterion, b)| Fired {
                        criterion: *criterion,
                        fibres: b.fired.clone(),
                    })
                    .unwrap_or_default()
            })
        });
        let felt = Signal::derive(move || match fields.current() {
            true => judged.with(|j| j.as_ref().map(|j| j.1.felt.clone()).unwrap_or_default()),
            false => vec![],
        });
        let patient = Memo::new(move |_| {
            if refusal.with(Option::is_some) {
                return Err(REFUSED);
            }
            if !fields.current() {
                return Err(COMPUTING);
            }
            judged.with(|j| j.as_ref().map_or(Err(COMPUTING), |j| j.1.patient.clone()))
        });
        // The membrane's results for the area being edited.
        let membrane = Memo::new(move |_| {
            let edited = bench.with(|b| b.active);
            let perception_ma = membrane_thresholds.with(|t| {
                let t = t.as_ref()?.get(edited)?;
                Some(t.iter().copied().fold(f64::INFINITY, f64::min))
            })?;
            Some(MembraneThresholds {
                perception_ma,
                discomfort_ma: perception_ma * USAGE_RANGE,
                // The curve is the area's it was drawn for (another's until it follows).
                curve: found.with(|m| {
                    m.as_ref()
                        .filter(|m| m.edited == edited)
                        .map(|m| m.curve.clone())
                        .unwrap_or_default()
                }),
            })
        });
        let criterion =
            Signal::derive(move || judged.with(|j| j.as_ref().map_or(Criterion::Preview, |j| j.0)));
        Response {
            fired,
            felt,
            patient,
            criterion,
            membrane: membrane.into(),
        }
    }

    /// What the body map shows: each region felt, at its intensity.
    pub fn sensations(self) -> Signal<Vec<Sensation>> {
        let patient = self.patient;
        Signal::derive(move || {
            patient.with(|p| p.as_ref().map(|p| p.felt.clone()).unwrap_or_default())
        })
    }
}
