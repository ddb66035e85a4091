//! What the program on the bench does, computed once per change for every view: the
//! fibres it fires, where it is felt and the virtual patient's answer. A refused program
//! does not run (nothing fires, nothing is felt); a field still being solved for another
//! placement is not this placement's, so nothing is felt and the patient waits. [`body`]
//! is the one judgement: the page and the scenario tests both ask it.

use leptos::prelude::*;
use spine_field::dermatomes::Dermatome;
use spine_field::fibres::{fired_at, Probe};

use super::editing::Editor;
use super::fields::Fields;
use super::patient::{Patient, Sensation, COMPUTING, REFUSED};

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

/// The program's effect on the body (a `Copy` handle).
#[derive(Clone, Copy)]
pub struct Response {
    /// The fibres that fire (indices into the shown field's fibres).
    pub fired: Signal<Vec<usize>>,
    /// Where it is felt.
    pub felt: Signal<Vec<Dermatome>>,
    /// The virtual patient, or why there is no answer.
    pub patient: Memo<Result<Patient, &'static str>>,
}

impl Response {
    /// The response to `editor`'s bench in the field `fields` shows.
    pub fn of(editor: Editor, fields: Fields) -> Response {
        let (bench, refusal) = (editor.bench, editor.refusal);
        // The program apart from its amplitudes: a step of an amplitude costs no
        // thresholds, only a comparison per fibre.
        let program = Memo::new(move |_| {
            bench.with(|b| {
                let fractions: Vec<Vec<f64>> =
                    (0..b.areas.len()).map(|i| b.fractions_of(i)).collect();
                (fractions, b.pulse_width_us())
            })
        });
        // Which field is shown: `shown` is re-derived on every change of the bench, but a
        // new amplitude shows the same field.
        let field_id = Memo::new(move |_| fields.shown.with(|f| f.as_ref().map(|f| f.serial)));
        // Each area's fibre thresholds, tagged with the field they were computed on.
        let thresholds = Memo::new(move |_| {
            let (fractions, pw_us) = program.get();
            let id = field_id.get();
            let t = fields.shown.with_untracked(|f| {
                f.as_ref().filter(|f| Some(f.serial) == id).map(|f| {
                    let probe = f.probe();
                    let each = fractions.iter().map(|x| probe.thresholds_ma(x, pw_us));
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
        // The thresholds' own field judges (the shown field may be newer for a moment).
        let judged = Memo::new(move |_| {
            let refused = refusal.with(Option::is_some);
            let (amplitudes, edited) = amplitudes.get();
            thresholds.with(|(id, t)| {
                fields.shown.with_untracked(|f| {
                    let f = f.as_ref().filter(|f| Some(f.serial) == *id)?;
                    // Thresholds of as many areas as there are amplitudes (a removed area's
                    // thresholds are recomputed in the same turn).
                    (t.len() == amplitudes.len()).then(|| {
                        let areas: Vec<(Vec<f64>, f64)> =
                            t.iter().cloned().zip(amplitudes).collect();
                        body(f.probe(), &areas, edited, refused)
                    })
                })
            })
        });
        let fired = Signal::derive(move || {
            judged.with(|b| b.as_ref().map(|b| b.fired.clone()).unwrap_or_default())
        });
        let felt = Signal::derive(move || match fields.current() {
            true => judged.with(|b| b.as_ref().map(|b| b.felt.clone()).unwrap_or_default()),
            false => vec![],
        });
        let patient = Memo::new(move |_| {
            if refusal.with(Option::is_some) {
                return Err(REFUSED);
            }
            if !fields.current() {
                return Err(COMPUTING);
            }
            judged.with(|b| b.as_ref().map_or(Err(COMPUTING), |b| b.patient.clone()))
        });
        Response {
            fired,
            felt,
            patient,
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
