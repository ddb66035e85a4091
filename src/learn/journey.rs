//! The patient's journey before an SCS trial: short steps in plain words (English and
//! Spanish), each with a picture.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::{t, tr, Text};
use crate::learn::pictures::{draw, Picture};

/// One step: title, a few short sentences, a picture.
pub struct Step {
    /// The title.
    pub title: Text,
    /// Short sentences, each its own line.
    pub lines: &'static [Text],
    /// The picture.
    pub picture: Picture,
}

/// The journey, in order. Every fact of the clinic's page is here, in both languages
/// (the tests list them).
pub const STEPS: [Step; 10] = [
    Step {
        title: t("Why your feet hurt", "Por qué le duelen los pies"),
        lines: &[
            t("Diabetes can harm the nerves in your feet, legs, hands and arms.", "La diabetes puede dañar los nervios de los pies, las piernas, las manos y los brazos."),
            t("Nerve fibers carry signals to your spinal cord. Some are thick: the A‑beta fibers. Some are thin: the A‑delta and C fibers.", "Las fibras nerviosas llevan señales a la médula espinal. Unas son gruesas: las fibras A‑beta. Otras son finas: las fibras A‑delta y C."),
            t("From there, the signals go up to your brain.", "De ahí, las señales suben al cerebro."),
            t("Harmed nerves can send pain even when there is no injury.", "Los nervios dañados pueden mandar dolor aunque no haya ninguna herida."),
        ],
        picture: Picture::Nerves,
    },
    Step {
        title: t("How a stimulator helps", "Cómo ayuda un estimulador"),
        lines: &[
            t("A spinal cord stimulator sends mild electric pulses to your spinal cord.", "Un estimulador de la médula espinal manda pulsos eléctricos suaves a la médula."),
            t("The pulses go through thin leads. The leads lie in the epidural space, near the cord.", "Los pulsos pasan por unos cables finos. Los cables van en el espacio epidural, cerca de la médula."),
            t("The pulses block pain signals on their way to the brain.", "Los pulsos frenan las señales de dolor en su camino al cerebro."),
            t("Many people feel a mild tingling instead of pain.", "Muchas personas sienten un hormigueo suave en lugar de dolor."),
        ],
        picture: Picture::Spine,
    },
    Step {
        title: t("The parts", "Las partes"),
        lines: &[
            t("The leads have small metal contacts that send the pulses.", "Los cables tienen pequeños contactos de metal que mandan los pulsos."),
            t("Thin wires join the leads to a small battery unit: the implantable pulse generator, or IPG.", "Unos alambres finos unen los cables a una pequeña batería: el generador de pulsos implantable, o IPG."),
            t("It is like a heart pacemaker, but it is made for the spine and for pain.", "Es como un marcapasos del corazón, pero está hecho para la columna y el dolor."),
            t("With a remote, you can change where you feel it, the pattern and the strength.", "Con un control remoto, usted puede cambiar dónde lo siente, el patrón y la fuerza."),
            t("Your care team sets the limits.", "Su equipo médico pone los límites."),
        ],
        picture: Picture::Parts,
    },
    Step {
        title: t("The trial: placing the leads", "La prueba: colocar los cables"),
        lines: &[
            t("It does not help everyone. That is why you try it first, in a trial.", "No ayuda a todos. Por eso primero se hace una prueba."),
            t("You lie face down. The doctor numbs a spot on your back with a local anesthetic.", "Usted se acuesta boca abajo. El médico adormece un punto de la espalda con anestesia local."),
            t("The doctor makes a small cut, called an incision.", "El médico hace un corte pequeño, llamado incisión."),
            t("A hollow needle goes into the epidural space. The doctor guides it with X-ray.", "Una aguja hueca entra al espacio epidural. El médico la guía con rayos X."),
            t("The leads pass through the needle. Then the needle comes out.", "Los cables pasan por la aguja. Luego sacan la aguja."),
        ],
        picture: Picture::Trial,
    },
    Step {
        title: t("The trial: finding the tingling", "La prueba: buscar el hormigueo"),
        lines: &[
            t("The team turns the stimulator on.", "El equipo enciende el estimulador."),
            t("You tell them if the tingling covers the places that hurt. They change the settings until it does.", "Usted les dice si el hormigueo cubre los lugares que duelen. Ellos ajustan el aparato hasta lograrlo."),
            t("You get a short lesson on the remote.", "Le dan una clase corta sobre el control remoto."),
            t("You go home the same day with an external stimulator. It stays outside your body.", "Vuelve a casa el mismo día con un estimulador externo. Queda por fuera del cuerpo."),
        ],
        picture: Picture::Tingling,
    },
    Step {
        title: t("When you move, the feeling can change", "Al moverse, la sensación puede cambiar"),
        lines: &[
            t("Your spinal cord floats in fluid inside the spine. When you move, it moves a little too.", "La médula espinal flota en un líquido dentro de la columna. Cuando usted se mueve, ella también se mueve un poco."),
            t("Lying on your back, the cord comes closer to the lead: the tingling can feel stronger. Sitting, standing or face down, it can feel weaker.", "Boca arriba, la médula se acerca al cable: el hormigueo puede sentirse más fuerte. Sentado, de pie o boca abajo, puede sentirse más suave."),
            t("This is normal. You can change the strength with the remote.", "Es normal. Puede cambiar la fuerza con el control remoto."),
            t("Some newer stimulators check how your cord answers each pulse and adjust the strength by themselves. This is called closed loop.", "Algunos estimuladores nuevos miden cómo responde la médula a cada pulso y ajustan la fuerza solos. Esto se llama circuito cerrado."),
        ],
        picture: Picture::Posture,
    },
    Step {
        title: t("Deciding", "La decisión"),
        lines: &[
            t("After about 7 days, you and your doctor decide.", "Después de unos 7 días, usted y su médico deciden."),
            t("The usual rule: your pain drops by half or more.", "La regla común: su dolor baja a la mitad o menos."),
            t("If the trial did not help, the leads are taken out.", "Si la prueba no ayudó, le quitan los cables."),
        ],
        picture: Picture::Decision,
    },
    Step {
        title: t("The implant", "El implante"),
        lines: &[
            t("You get the implant only if the trial helped.", "Solo recibe el implante si la prueba le ayudó."),
            t("The leads are placed the same way as in the trial.", "Le colocan los cables igual que en la prueba."),
            t("You get medicine to relax you and make you sleepy. This is called sedation.", "Le dan medicina para que se relaje y tenga sueño. Esto se llama sedación."),
            t("The doctor makes a small cut for the IPG. It goes in your belly (abdomen), upper buttock or upper chest.", "El médico hace un corte pequeño para el IPG. Va en el vientre (abdomen), la parte alta de la nalga o la parte alta del pecho."),
            t("You go home the same day.", "Vuelve a casa el mismo día."),
        ],
        picture: Picture::Implant,
    },
    Step {
        title: t("Getting better", "La recuperación"),
        lines: &[
            t("The cuts, and the spot where the IPG sits, may hurt for a while. That is normal.", "Las heridas y el lugar del IPG pueden doler un tiempo. Es normal."),
            t("You may be told to keep the stimulator off until the swelling goes down.", "Tal vez le pidan dejar el estimulador apagado hasta que baje la hinchazón."),
            t("You can do more after 2 to 3 weeks.", "Puede hacer más cosas después de 2 o 3 semanas."),
            t("Full recovery can take up to 8 weeks.", "Recuperarse del todo puede tomar hasta 8 semanas."),
            t("Some things stay off limits for longer, so the leads do not move.", "Algunas cosas siguen prohibidas por más tiempo, para que los cables no se muevan."),
        ],
        picture: Picture::Recovery,
    },
    Step {
        title: t("Questions to ask your care team", "Preguntas para su equipo médico"),
        lines: &[
            t("How long does the battery last? How do I charge it?", "¿Cuánto dura la batería? ¿Cómo la cargo?"),
            t("Can I have an MRI scan?", "¿Me pueden hacer una resonancia magnética?"),
            t("Can I drive with it on?", "¿Puedo manejar con el aparato encendido?"),
            t("Can I travel? What about airport security?", "¿Puedo viajar? ¿Y los controles del aeropuerto?"),
            t("How will we know if the trial worked?", "¿Cómo sabremos si la prueba funcionó?"),
            t("Who do I call if something feels wrong?", "¿A quién llamo si algo no se siente bien?"),
        ],
        picture: Picture::Questions,
    },
];

const STEP_OF: Text = t("Step", "Paso");
const OF: Text = t("of", "de");
const BACK: Text = t("Back", "Atrás");
const NEXT: Text = t("Next", "Siguiente");
const TO_REMOTE: Text = t("Try the practice remote", "Pruebe el control de práctica");
const AGAIN: Text = t("Start again", "Empezar de nuevo");
/// When the guide's text was last checked against its sources.
pub const REVIEWED: Text = t(
    "Last reviewed: December 4, 2026.",
    "Última revisión: 4 de diciembre de 2026.",
);
/// Where the guide's facts come from.
pub const SOURCES: Text = t(
    "Sources: the patient page on spinal cord stimulation for diabetic nerve pain of the Los Angeles pain clinic this guide was made from; the usual trial rule used in stimulation studies (pain drops by at least half); on moving: MRI of where the cord lies lying on the back and face down (Holsheimer and colleagues, 1994) and patients' thresholds by posture (Cameron and Alo, 1998).",
    "Fuentes: la página para pacientes sobre estimulación de la médula para el dolor de nervios por diabetes de la clínica del dolor de Los Ángeles de la que salió esta guía; la regla común de la prueba en los estudios de estimulación (que el dolor baje al menos a la mitad); sobre el movimiento: resonancias de dónde queda la médula boca arriba y boca abajo (Holsheimer y colegas, 1994) y los umbrales de los pacientes según la postura (Cameron y Alo, 1998).",
);

/// The journey, one step at a time, with Back and Next; the last step leads on to the
/// practice remote.
#[component]
pub fn Journey() -> impl IntoView {
    let (step, set_step) = signal(0usize);
    let (step_of, of, back, next, to_remote, again) = (
        tr(STEP_OF),
        tr(OF),
        tr(BACK),
        tr(NEXT),
        tr(TO_REMOTE),
        tr(AGAIN),
    );
    let lang = crate::i18n::use_language();
    let last = move || step.get() + 1 == STEPS.len();
    // Next, or on the last step the way on: the same button, so the keyboard stays on it.
    let forward = move |_| {
        if last() {
            if let Some(remote) = document().get_element_by_id("remote") {
                remote.scroll_into_view();
                let _ = remote.unchecked_into::<web_sys::HtmlElement>().focus();
            }
        } else {
            set_step.update(|s| *s += 1);
        }
    };
    view! {
        <section class="journey panel" aria-labelledby="journey-title" data-testid="journey">
            <p class="progress" data-testid="journey-progress">{move || format!("{} {} {} {}", step_of(), step.get() + 1, of(), STEPS.len())}</p>
            <div class="journey-step" aria-live="polite">
                <div>
                    <h2 id="journey-title" data-testid="journey-title">{move || STEPS[step.get()].title.get(lang.get())}</h2>
                    <ul class="plain" data-testid="journey-text">
                        {move || STEPS[step.get()].lines.iter().map(|line| view! { <li>{line.get(lang.get())}</li> }).collect_view()}
                    </ul>
                </div>
                {move || draw(STEPS[step.get()].picture, lang.get())}
            </div>
            <div class="controls journey-controls">
                <button class="button" data-testid="journey-back" disabled=move || step.get() == 0 on:click=move |_| set_step.update(|s| *s = s.saturating_sub(1))>{back}</button>
                <button class="button primary" data-testid="journey-next" on:click=forward>{move || if last() { to_remote() } else { next() }}</button>
                <button class="button" data-testid="journey-again" hidden=move || !last() on:click=move |_| set_step.set(0)>{again}</button>
            </div>
        </section>
    }
}

/// When the guide was last reviewed, and its sources.
#[component]
pub fn AboutGuide() -> impl IntoView {
    let (reviewed, sources) = (tr(REVIEWED), tr(SOURCES));
    view! {
        <footer class="about-guide" data-testid="about-guide">
            <p>{reviewed}</p>
            <p>{sources}</p>
        </footer>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use wasm_bindgen_test::wasm_bindgen_test;

    /// The facts of the clinic's page, each as the words that carry it in English and in
    /// Spanish: every one must be in the journey (its text or its pictures).
    const FACTS: [(&str, &[&str], &[&str]); 31] = [
        (
            "nerves harmed",
            &["nerves in your feet, legs, hands and arms"],
            &["nervios de los pies, las piernas, las manos y los brazos"],
        ),
        (
            "the fibres",
            &["thick: the a-beta", "thin: the a-delta and c fibers"],
            &[
                "gruesas: las fibras a-beta",
                "finas: las fibras a-delta y c",
            ],
        ),
        (
            "to the cord and the brain",
            &["signals to your spinal cord", "up to your brain"],
            &["señales a la médula espinal", "suben al cerebro"],
        ),
        (
            "pain without injury",
            &["pain even when there is no injury"],
            &["dolor aunque no haya ninguna herida"],
        ),
        (
            "mild pulses",
            &["mild electric pulses"],
            &["pulsos eléctricos suaves"],
        ),
        (
            "leads in the epidural space",
            &["leads lie in the epidural space"],
            &["cables van en el espacio epidural"],
        ),
        (
            "the IPG",
            &[
                "thin wires join the leads",
                "implantable pulse generator, or ipg",
            ],
            &[
                "alambres finos unen los cables",
                "generador de pulsos implantable, o ipg",
            ],
        ),
        (
            "like a pacemaker",
            &["pacemaker, but it is made for the spine and for pain"],
            &["marcapasos del corazón, pero está hecho para la columna y el dolor"],
        ),
        (
            "pulses interrupt pain",
            &["block pain signals"],
            &["frenan las señales de dolor"],
        ),
        (
            "tingling instead",
            &["tingling instead of pain"],
            &["hormigueo suave en lugar de dolor"],
        ),
        (
            "the remote",
            &[
                "remote, you can change where you feel it, the pattern and the strength",
                "care team sets the limits",
            ],
            &[
                "control remoto, usted puede cambiar dónde lo siente, el patrón y la fuerza",
                "equipo médico pone los límites",
            ],
        ),
        (
            "not everyone: a trial",
            &["does not help everyone", "in a trial"],
            &["no ayuda a todos", "se hace una prueba"],
        ),
        (
            "face down, local anaesthetic",
            &["face down", "local anesthetic"],
            &["boca abajo", "anestesia local"],
        ),
        (
            "small incision",
            &["small cut, called an incision"],
            &["corte pequeño, llamado incisión"],
        ),
        (
            "needle under X-ray",
            &["hollow needle goes into the epidural space", "x-ray"],
            &["aguja hueca entra al espacio epidural", "rayos x"],
        ),
        (
            "leads through the needle",
            &["leads pass through the needle"],
            &["cables pasan por la aguja"],
        ),
        (
            "adjusted to cover the pain",
            &[
                "turns the stimulator on",
                "tingling covers the places that hurt",
            ],
            &[
                "enciende el estimulador",
                "hormigueo cubre los lugares que duelen",
            ],
        ),
        (
            "lesson on the remote",
            &["short lesson on the remote"],
            &["clase corta sobre el control remoto"],
        ),
        (
            "home with an external stimulator",
            &["home the same day with an external stimulator"],
            &["casa el mismo día con un estimulador externo"],
        ),
        (
            "about 7 days, then decide",
            &["after about 7 days, you and your doctor decide"],
            &["después de unos 7 días, usted y su médico deciden"],
        ),
        (
            "leads removed",
            &["leads are taken out"],
            &["le quitan los cables"],
        ),
        (
            "implant only after a good trial",
            &["implant only if the trial helped"],
            &["solo recibe el implante si la prueba le ayudó"],
        ),
        (
            "same lead placement",
            &["placed the same way as in the trial"],
            &["igual que en la prueba"],
        ),
        ("sedation", &["sedation"], &["sedación"]),
        (
            "where the IPG sits",
            &["belly (abdomen)", "upper buttock", "upper chest"],
            &[
                "vientre (abdomen)",
                "parte alta de la nalga",
                "parte alta del pecho",
            ],
        ),
        (
            "outpatient",
            &["cut for the ipg", "you go home the same day"],
            &["corte pequeño para el ipg", "vuelve a casa el mismo día"],
        ),
        (
            "sore incisions are normal",
            &["where the ipg sits, may hurt", "that is normal"],
            &["lugar del ipg pueden doler", "es normal"],
        ),
        (
            "off until the swelling goes down",
            &["off until the swelling goes down"],
            &["apagado hasta que baje la hinchazón"],
        ),
        (
            "more activity after 2–3 weeks",
            &["more after 2 to 3 weeks"],
            &["después de 2 o 3 semanas"],
        ),
        (
            "full recovery up to 8 weeks, some limits longer",
            &[
                "up to 8 weeks",
                "off limits for longer, so the leads do not move",
            ],
            &[
                "hasta 8 semanas",
                "prohibidas por más tiempo, para que los cables no se muevan",
            ],
        ),
        (
            "questions: battery, MRI, driving, travel",
            &["battery last", "charge it", "mri scan", "drive", "travel"],
            &[
                "dura la batería",
                "cómo la cargo",
                "resonancia magnética",
                "manejar",
                "viajar",
            ],
        ),
    ];

    /// Everything the journey says in `lang`: titles, lines, the pictures' words and their
    /// text alternatives; lower case, with the non-breaking hyphen as a plain one.
    fn corpus(lang: Lang) -> String {
        let steps = STEPS
            .iter()
            .flat_map(|s| std::iter::once(&s.title).chain(s.lines));
        let alts: Vec<Text> = Picture::ALL.iter().map(|p| p.alt()).collect();
        let texts: Vec<&str> = steps
            .chain(crate::learn::pictures::LABELS.iter())
            .chain(alts.iter())
            .map(|t| t.get(lang))
            .collect();
        texts.join("\n").to_lowercase().replace('\u{2011}', "-")
    }

    #[wasm_bindgen_test]
    fn every_fact_of_the_clinic_page_is_told_in_both_languages() {
        let (en, es) = (corpus(Lang::En), corpus(Lang::Es));
        let mut missing = vec![];
        for (fact, english, spanish) in FACTS {
            missing.extend(
                english
                    .iter()
                    .filter(|w| !en.contains(*w))
                    .map(|w| format!("{fact} (en): {w}")),
            );
            missing.extend(
                spanish
                    .iter()
                    .filter(|w| !es.contains(*w))
                    .map(|w| format!("{fact} (es): {w}")),
            );
        }
        assert!(missing.is_empty(), "missing: {missing:#?}");
    }

    #[wasm_bindgen_test]
    fn every_step_has_its_own_picture_and_every_picture_a_text_in_both_languages() {
        let pictures: Vec<Picture> = STEPS.iter().map(|s| s.picture).collect();
        assert_eq!(pictures, Picture::ALL);
        for p in Picture::ALL {
            let alt = p.alt();
            assert!(
                alt.en.starts_with("Picture") && alt.es.starts_with("Dibujo"),
                "{p:?}"
            );
        }
    }
}
