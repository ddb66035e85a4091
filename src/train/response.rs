//! What the program on the bench does, computed once per change for every view: the
//! fibres it fires, where it is felt and the virtual patient's answer. A refused program
//! does not run (nothing fires, nothing is felt); a field still being solved for another
//! placement is not this placement's, so nothing is felt and the patient waits.

use leptos::prelude::*;
use spine_field::dermatomes::Dermatome;
use spine_field::fibres::fired_at;

use super::editing::Editor;
use super::fields::Fields;
use super::patient::{Patient, COMPUTING, REFUSED};

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
        // The program apart from its amplitude: a step of the amplitude costs no thresholds,
        // only a comparison per fibre.
        let program = Memo::new(move |_| bench.with(|b| (b.fractions(), b.pulse_width_us())));
        let thresholds = Memo::new(move |_| {
            let (fractions, pw_us) = program.get();
            fields
                .shown
                .get()
                .map(|f| f.thresholds(&fractions, pw_us))
                .unwrap_or_default()
        });
        let amplitude_ma = Memo::new(move |_| bench.with(|b| b.amplitude_ua as f64 / 1_000.0));
        let recruitment = Memo::new(move |_| {
            let fired = thresholds.with(|t| fired_at(t, amplitude_ma.get()));
            let felt = fields
                .shown
                .get()
                .map(|f| f.felt(&fired))
                .unwrap_or_default();
            (fired, felt)
        });
        let fired = Signal::derive(move || {
            if refusal.get().is_some() {
                vec![]
            } else {
                recruitment.with(|r| r.0.clone())
            }
        });
        let felt = Signal::derive(move || {
            if refusal.get().is_none() && fields.current() {
                recruitment.with(|r| r.1.clone())
            } else {
                vec![]
            }
        });
        let patient = Memo::new(move |_| {
            if refusal.get().is_some() {
                return Err(REFUSED);
            }
            if !fields.current() {
                return Err(COMPUTING);
            }
            let f = fields.shown.get().ok_or(COMPUTING)?;
            let by_dermatome = thresholds.with(|t| f.dermatome_thresholds(t));
            Ok(Patient::examine(&by_dermatome, amplitude_ma.get()))
        });
        Response {
            fired,
            felt,
            patient,
        }
    }

    /// What the body map shows: each region felt, at its intensity.
    pub fn sensations(self) -> Signal<Vec<super::patient::Sensation>> {
        let patient = self.patient;
        Signal::derive(move || {
            patient.with(|p| p.as_ref().map(|p| p.felt.clone()).unwrap_or_default())
        })
    }
}
