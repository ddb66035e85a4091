//! The pain pathway, animated: signals run from the foot up the spinal cord to the brain;
//! with the stimulator on they are damped and tingling shows at the foot.

use leptos::prelude::*;

use crate::i18n::{tr, Text};

const CAPTION_OFF: Text = Text {
    en: "Stimulator off: pain signals travel from the foot up the spinal cord to the brain.",
    es: "Estimulador apagado: las señales de dolor suben del pie por la médula hasta el cerebro.",
};
const CAPTION_ON: Text = Text {
    en: "Stimulator on: the pulses calm the pain signals in the spinal cord. You feel tingling instead.",
    es: "Estimulador encendido: los pulsos calman las señales en la médula. Usted siente hormigueo.",
};

/// The pathway; `on` says whether stimulation runs.
#[component]
pub fn PainPathway(
    /// Whether the stimulator is on.
    #[prop(into)]
    on: Signal<bool>,
) -> impl IntoView {
    let (off_text, on_text) = (tr(CAPTION_OFF), tr(CAPTION_ON));
    view! {
        <figure class="pathway panel" data-testid="pathway" class:damped=on>
            <svg viewBox="0 0 300 120" aria-hidden="true">
                <circle cx="270" cy="30" r="22" class="ink-soft"/>
                <path d="M20 100 C 80 100, 120 60, 180 60 L 260 40" class="pathway-line"/>
                <rect x="170" y="50" width="14" height="22" rx="4" class="ink-cord"/>
                {(0..4).map(|i| view! { <circle class=format!("signal signal-{i}") cx="20" cy="100" r="5"/> }).collect_view()}
                <path d="M10 80 q 8 -8 16 0 t 16 0" class="tingle"/>
                <path d="M10 90 q 8 -8 16 0 t 16 0" class="tingle"/>
            </svg>
            <figcaption data-testid="pathway-caption" aria-live="polite">{move || if on.get() { on_text() } else { off_text() }}</figcaption>
        </figure>
    }
}
