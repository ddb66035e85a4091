//! Learn mode: the patient's journey before an SCS trial, the practice remote and the
//! trial diary, in English or Spanish.

use leptos::prelude::*;

use crate::i18n::{tr, LanguageSwitch, Text};
use crate::learn::diary::Diary;
use crate::learn::journey::{AboutGuide, Journey};
use crate::learn::pathway::{PainPathway, Stimulation};
use crate::learn::remote::Remote;

const TITLE: Text = Text {
    en: "Learn",
    es: "Aprender",
};
const LEAD: Text = Text {
    en: "What spinal cord stimulation is, and what happens at the trial.",
    es: "Qué es la estimulación de la médula espinal y qué pasa en la prueba.",
};

/// The landing mode for patients.
#[component]
pub fn LearnMode() -> impl IntoView {
    let (stimulating, set_stimulating) = signal(Stimulation::Off);
    let (title, lead) = (tr(TITLE), tr(LEAD));
    view! {
        <section class="mode learn" data-testid="mode-learn" aria-labelledby="learn-title">
            <div class="mode-head">
                <h1 id="learn-title">{title}</h1>
                <LanguageSwitch/>
            </div>
            <p class="lead">{lead}</p>
            <Journey/>
            <PainPathway state=stimulating/>
            <Remote on_change=set_stimulating/>
            <Diary/>
            <AboutGuide/>
        </section>
    }
}
