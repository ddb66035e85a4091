//! The patient's journey before an SCS trial: short steps in plain words (English and
//! Spanish), each with a picture.

use leptos::prelude::*;

use crate::i18n::{t, tr, Text};

/// What a step's picture shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Picture {
    /// Pain travelling from the foot up the spinal cord to the brain.
    Pathway,
    /// Leads, generator and remote.
    Parts,
    /// Soft waves: tingling.
    Tingling,
    /// Lying face down, a needle, X-ray.
    Trial,
    /// Seven days and a check mark.
    Decision,
    /// The three places for the generator.
    Implant,
    /// Weeks of recovery.
    Recovery,
    /// Questions.
    Questions,
}

/// One step: title, a few short sentences, a picture.
pub struct Step {
    /// The title.
    pub title: Text,
    /// Short sentences, each its own line.
    pub lines: &'static [Text],
    /// The picture.
    pub picture: Picture,
}

/// The journey, in order.
pub const STEPS: [Step; 9] = [
    Step {
        title: t("Why your feet hurt", "Por qué le duelen los pies"),
        lines: &[
            t("Diabetes can harm the nerves in your feet and legs.", "La diabetes puede dañar los nervios de los pies y las piernas."),
            t("Harmed nerves send pain signals.", "Los nervios dañados envían señales de dolor."),
            t("Thin fibers carry them: A-beta, A-delta and C fibers.", "Unas fibras finas las llevan: fibras A-beta, A-delta y C."),
            t("The signals go up your spinal cord to your brain.", "Las señales suben por la médula espinal hasta el cerebro."),
        ],
        picture: Picture::Pathway,
    },
    Step {
        title: t("How a stimulator helps", "Cómo ayuda un estimulador"),
        lines: &[
            t("A spinal cord stimulator sends mild pulses to your spinal cord.", "Un estimulador de médula espinal envía pulsos suaves a la médula."),
            t("The pulses calm the pain signals.", "Los pulsos calman las señales de dolor."),
            t("Many people feel a soft tingling instead of pain.", "Muchas personas sienten un hormigueo suave en lugar de dolor."),
        ],
        picture: Picture::Tingling,
    },
    Step {
        title: t("The parts", "Las partes"),
        lines: &[
            t("Thin leads with small metal contacts lie near your spinal cord.", "Unos cables finos con contactos de metal quedan cerca de la médula."),
            t("A small generator gives them power. It looks like a pacemaker.", "Un generador pequeño les da energía. Se parece a un marcapasos."),
            t("A remote lets you pick a program and turn it up or down.", "Con un control remoto usted elige un programa y lo sube o lo baja."),
        ],
        picture: Picture::Parts,
    },
    Step {
        title: t("The trial: placing the leads", "La prueba: colocar los cables"),
        lines: &[
            t("First you try it for about a week.", "Primero lo prueba durante una semana, más o menos."),
            t("You lie face down. The doctor numbs a small spot on your back.", "Usted se acuesta boca abajo. El médico adormece un punto de la espalda."),
            t("A hollow needle guides the leads into place. The doctor watches on X-ray.", "Una aguja hueca guía los cables a su lugar. El médico mira con rayos X."),
        ],
        picture: Picture::Trial,
    },
    Step {
        title: t("The trial: finding the tingling", "La prueba: buscar el hormigueo"),
        lines: &[
            t("The team turns the stimulator on.", "El equipo enciende el estimulador."),
            t("They change it until the tingling covers your pain.", "Lo ajustan hasta que el hormigueo cubre su dolor."),
            t("You learn to use the remote.", "Usted aprende a usar el control remoto."),
            t("You go home the same day with a stimulator outside your body.", "Vuelve a casa el mismo día con un estimulador por fuera del cuerpo."),
        ],
        picture: Picture::Tingling,
    },
    Step {
        title: t("Deciding", "La decisión"),
        lines: &[
            t("After about 7 days, you and your doctor decide.", "Después de unos 7 días, usted y su médico deciden."),
            t("The usual rule: at least half of your pain is gone.", "La regla común: al menos la mitad del dolor se ha ido."),
            t("If you stop, the leads are taken out.", "Si no sigue, le quitan los cables."),
        ],
        picture: Picture::Decision,
    },
    Step {
        title: t("The implant", "El implante"),
        lines: &[
            t("If you go on, the leads are placed again and held in place.", "Si sigue, le colocan los cables otra vez y los fijan."),
            t("You get medicine to help you relax.", "Le dan medicina para que se relaje."),
            t("The generator goes under the skin of your belly, upper buttock or upper chest.", "El generador va bajo la piel del vientre, la parte alta de la nalga o la parte alta del pecho."),
        ],
        picture: Picture::Implant,
    },
    Step {
        title: t("Getting better", "La recuperación"),
        lines: &[
            t("The cuts may be sore for a while. That is normal.", "Las heridas pueden doler un tiempo. Es normal."),
            t("Sometimes the stimulator stays off until the swelling goes down.", "A veces el estimulador queda apagado hasta que baja la hinchazón."),
            t("You can do more after 2 to 3 weeks.", "Puede hacer más cosas después de 2 o 3 semanas."),
            t("Getting fully active can take up to 8 weeks.", "Volver a toda su actividad puede tomar hasta 8 semanas."),
        ],
        picture: Picture::Recovery,
    },
    Step {
        title: t("Questions to ask your doctor", "Preguntas para su médico"),
        lines: &[
            t("Where will the leads go?", "¿Dónde van a ir los cables?"),
            t("How will we know if the trial worked?", "¿Cómo sabremos si la prueba funcionó?"),
            t("What should I not do during the trial?", "¿Qué no debo hacer durante la prueba?"),
            t("Who do I call if something feels wrong?", "¿A quién llamo si algo no se siente bien?"),
            t("How long does the battery last?", "¿Cuánto dura la batería?"),
        ],
        picture: Picture::Questions,
    },
];

const STEP_OF: Text = t("Step", "Paso");
const OF: Text = t("of", "de");
const BACK: Text = t("Back", "Atrás");
const NEXT: Text = t("Next", "Siguiente");

/// The journey, one step at a time, with Back and Next.
#[component]
pub fn Journey() -> impl IntoView {
    let (step, set_step) = signal(0usize);
    let (step_of, of, back, next) = (tr(STEP_OF), tr(OF), tr(BACK), tr(NEXT));
    let lang = crate::i18n::use_language();
    view! {
        <section class="journey panel" aria-labelledby="journey-title" data-testid="journey">
            <p class="progress" data-testid="journey-progress">{move || format!("{} {} {} {}", step_of(), step.get() + 1, of(), STEPS.len())}</p>
            <div class="journey-step" aria-live="polite">
                <JourneyPicture picture=Signal::derive(move || STEPS[step.get()].picture)/>
                <div>
                    <h2 id="journey-title" data-testid="journey-title">{move || STEPS[step.get()].title.get(lang.get())}</h2>
                    <ul class="plain" data-testid="journey-text">
                        {move || STEPS[step.get()].lines.iter().map(|line| view! { <li>{line.get(lang.get())}</li> }).collect_view()}
                    </ul>
                </div>
            </div>
            <div class="controls">
                <button class="button" data-testid="journey-back" disabled=move || step.get() == 0 on:click=move |_| set_step.update(|s| *s = s.saturating_sub(1))>{back}</button>
                <button class="button primary" data-testid="journey-next" disabled=move || step.get() + 1 == STEPS.len() on:click=move |_| set_step.update(|s| *s = (*s + 1).min(STEPS.len() - 1))>{next}</button>
            </div>
        </section>
    }
}

/// A simple drawing for each step (decorative: the text says it all).
#[component]
fn JourneyPicture(picture: Signal<Picture>) -> impl IntoView {
    view! {
        <svg class="journey-picture" viewBox="0 0 160 160" aria-hidden="true">
            {move || match picture.get() {
                Picture::Pathway => view! {
                    <g>
                        <circle cx="80" cy="22" r="14" class="ink-soft"/>
                        <rect x="76" y="38" width="8" height="70" rx="4" class="ink-cord"/>
                        <path d="M80 108 C 70 130, 50 140, 30 150" class="ink-nerve"/>
                        <circle cx="30" cy="150" r="6" class="ink-pain"/>
                        <circle class="pulse-dot" cx="30" cy="150" r="4"/>
                    </g>
                }.into_any(),
                Picture::Parts => view! {
                    <g>
                        <rect x="70" y="10" width="10" height="100" rx="5" class="ink-cord"/>
                        <rect x="84" y="20" width="5" height="60" rx="2" class="ink-lead"/>
                        <rect x="110" y="100" width="34" height="24" rx="8" class="ink-device"/>
                        <path d="M86 80 C 90 110, 100 112, 110 112" class="ink-wire"/>
                        <rect x="20" y="110" width="26" height="40" rx="6" class="ink-device"/>
                        <circle cx="33" cy="124" r="5" class="ink-soft"/>
                    </g>
                }.into_any(),
                Picture::Tingling => view! {
                    <g>
                        <path d="M20 60 q 15 -15 30 0 t 30 0 t 30 0 t 30 0" class="ink-wave"/>
                        <path d="M20 90 q 15 -15 30 0 t 30 0 t 30 0 t 30 0" class="ink-wave"/>
                        <path d="M20 120 q 15 -15 30 0 t 30 0 t 30 0 t 30 0" class="ink-wave"/>
                    </g>
                }.into_any(),
                Picture::Trial => view! {
                    <g>
                        <rect x="10" y="100" width="140" height="12" rx="4" class="ink-soft"/>
                        <circle cx="135" cy="88" r="10" class="ink-soft"/>
                        <rect x="30" y="82" width="95" height="18" rx="8" class="ink-soft"/>
                        <path d="M70 30 L 78 80" class="ink-needle"/>
                        <rect x="55" y="10" width="40" height="20" rx="3" class="ink-device"/>
                    </g>
                }.into_any(),
                Picture::Decision => view! {
                    <g>
                        <rect x="20" y="30" width="120" height="100" rx="8" class="ink-soft"/>
                        {(0..7).map(|d| view! { <rect x={28 + d * 16} y="60" width="12" height="12" rx="2" class="ink-day"/> }).collect_view()}
                        <path d="M55 100 l 15 15 l 35 -35" class="ink-check"/>
                    </g>
                }.into_any(),
                Picture::Implant => view! {
                    <g>
                        <circle cx="80" cy="20" r="14" class="ink-soft"/>
                        <rect x="55" y="36" width="50" height="80" rx="14" class="ink-soft"/>
                        <rect x="88" y="48" width="12" height="8" rx="3" class="ink-device"/>
                        <rect x="74" y="86" width="12" height="8" rx="3" class="ink-device"/>
                        <rect x="60" y="108" width="12" height="8" rx="3" class="ink-device"/>
                    </g>
                }.into_any(),
                Picture::Recovery => view! {
                    <g>
                        {(0..8).map(|w| view! { <rect x={12 + w * 18} y={130 - w * 12} width="14" height={20 + w * 12} rx="2" class="ink-day"/> }).collect_view()}
                    </g>
                }.into_any(),
                Picture::Questions => view! {
                    <g>
                        <path d="M20 30 h 120 v 70 h -70 l -25 25 v -25 h -25 z" class="ink-soft"/>
                        <text x="80" y="80" text-anchor="middle" class="ink-text">"?"</text>
                    </g>
                }.into_any(),
            }}
        </svg>
    }
}
