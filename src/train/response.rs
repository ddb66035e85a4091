//! What the program on the bench does, computed once per change for every view: the
//! fibres it fires, where it is felt and the virtual patient's answer. A refused program
//! does not run (nothing fires, nothing is felt); a field still being solved for another
//! placement is not this placement's, so nothing is felt and the patient waits.

use leptos::prelude::*;
use spine_field::dermatomes::Dermatome;

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
        let recruitment = Memo::new(move |_| match fields.shown.get() {
            Some(f) => bench.with(|b| f.recruited(b)),
            None => (vec![], vec![]),
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
            Ok(bench.with(|b| {
                Patient::examine(&f.dermatome_thresholds(b), b.amplitude_ua as f64 / 1_000.0)
            }))
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
