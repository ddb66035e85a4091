//! The pain pathway, animated and labelled: signals run from the foot up the spinal cord to
//! the brain. Its caption follows the practice remote and the body map: the signals are
//! calmed, and tingling shows at the foot, only when the body map shows tingling.

use leptos::prelude::*;

use crate::i18n::{t, use_language, Text};

/// The practice stimulator as the pathway shows it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Stimulation {
    /// Off: pain signals pass.
    #[default]
    Off,
    /// On, while the map of where it is felt is still worked out (or cannot be drawn).
    On,
    /// On, but too soft to feel: no tingling on the map, the signals still pass.
    Unfelt,
    /// On and felt: tingling on the map, the signals calmed.
    Felt,
}

impl Stimulation {
    /// The state from the remote: whether it runs, and whether the body map shows
    /// tingling (`None` while the map is not known).
    pub fn of(running: bool, felt: Option<bool>) -> Stimulation {
        match (running, felt) {
            (false, _) => Stimulation::Off,
            (true, None) => Stimulation::On,
            (true, Some(false)) => Stimulation::Unfelt,
            (true, Some(true)) => Stimulation::Felt,
        }
    }

    /// The caption under the picture.
    pub fn caption(self) -> Text {
        match self {
            Stimulation::Off => t(
                "Stimulator off: pain signals travel from the foot up the spinal cord to the brain.",
                "Estimulador apagado: las señales de dolor suben del pie por la médula espinal hasta el cerebro.",
            ),
            Stimulation::On => t(
                "Stimulator on: pulses reach the spinal cord. The body map will show where you would feel them.",
                "Estimulador encendido: los pulsos llegan a la médula. El mapa del cuerpo mostrará dónde los sentiría.",
            ),
            Stimulation::Unfelt => t(
                "Stimulator on, but too soft to feel: no tingling yet, and the pain signals still pass. Press Stronger.",
                "Estimulador encendido, pero muy suave para sentirlo: aún no hay hormigueo y las señales de dolor siguen pasando. Pulse Más fuerte.",
            ),
            Stimulation::Felt => t(
                "Stimulator on: you feel tingling, and the pulses calm the pain signals in the spinal cord.",
                "Estimulador encendido: usted siente hormigueo y los pulsos calman las señales de dolor en la médula.",
            ),
        }
    }
}

const FOOT: Text = t("Foot", "Pie");
const CORD: Text = t("Spinal cord", "Médula espinal");
const BRAIN: Text = t("Brain", "Cerebro");
/// The words drawn in the picture (for the tests that read all patient text).
pub const LABELS: [Text; 3] = [FOOT, CORD, BRAIN];

/// The pathway; `state` is what the practice remote is doing.
#[component]
pub fn PainPathway(
    /// The practice stimulator's state.
    #[prop(into)]
    state: Signal<Stimulation>,
) -> impl IntoView {
    let lang = use_language();
    let word = move |text: Text| move || text.get(lang.get());
    view! {
        <figure class="pathway panel" data-testid="pathway" class:damped=move || state.get() == Stimulation::Felt>
            <svg viewBox="0 0 300 150" aria-hidden="true" data-testid="pathway-picture">
                <ellipse cx="236" cy="30" rx="40" ry="24" class="pic-brain"/>
                <text x="236" y="34" text-anchor="middle" class="pic-label">{word(BRAIN)}</text>
                <rect x="230" y="52" width="12" height="84" rx="6" class="pic-cord"/>
                <text x="222" y="96" text-anchor="end" class="pic-label">{word(CORD)}</text>
                <path d="M20 142 q 0 -12 9 -14 l 12 -2 l 0 -20 l 13 0 l 0 25 q 24 2 28 9 q 0 4 -6 4 z" class="pic-skin"/>
                <text x="36" y="96" text-anchor="middle" class="pic-label">{word(FOOT)}</text>
                <path d="M48 122 C 110 122, 170 134, 236 128 L 236 52" class="pathway-line"/>
                {(0..4).map(|i| view! { <circle class=format!("signal signal-{i}") cx="0" cy="0" r="5" data-testid="pathway-signal"/> }).collect_view()}
                <path d="M14 104 q 6 -6 12 0 t 12 0 t 12 0 M14 112 q 6 -6 12 0 t 12 0 t 12 0" class="tingle"/>
            </svg>
            <figcaption data-testid="pathway-caption" aria-live="polite">{move || state.get().caption().get(lang.get())}</figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_caption_claims_tingling_only_when_the_map_shows_it() {
        assert_eq!(Stimulation::of(false, Some(true)), Stimulation::Off);
        assert_eq!(Stimulation::of(true, None), Stimulation::On);
        assert_eq!(Stimulation::of(true, Some(false)), Stimulation::Unfelt);
        assert_eq!(Stimulation::of(true, Some(true)), Stimulation::Felt);
        for s in [Stimulation::Off, Stimulation::On, Stimulation::Unfelt] {
            assert!(!s.caption().en.contains("you feel tingling"), "{s:?}");
        }
        assert!(Stimulation::Felt.caption().en.contains("you feel tingling"));
    }
}
