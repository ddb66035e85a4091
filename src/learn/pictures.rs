//! The journey's pictures, drawn by the app as SVG like the figures of a patient leaflet:
//! each labelled in the reader's language, each with a text alternative in both.

use std::fmt::Write;

use leptos::prelude::*;

use crate::i18n::{t, Lang, Text};

/// What a step's picture shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Picture {
    /// A nerve from the foot to the spinal cord and up to the brain; thick and thin fibres.
    Nerves,
    /// The spine from behind, opened: vertebrae, the epidural space, the cord, a lead on it.
    Spine,
    /// The whole system: lead, thin wire, IPG, remote.
    Parts,
    /// The trial in three steps: face down under X-ray, the needle, home.
    Trial,
    /// The body with tingling over both feet.
    Tingling,
    /// Two slices of the spine: lying on the back the cord sinks towards the lead, lying
    /// face down away from it.
    Posture,
    /// Seven days, then the decision.
    Decision,
    /// Where the IPG can sit: upper chest, belly, upper buttock.
    Implant,
    /// Recovery on a line of weeks.
    Recovery,
    /// Questions for the care team.
    Questions,
}

impl Picture {
    /// Every picture, in journey order.
    pub const ALL: [Picture; 10] = [
        Picture::Nerves,
        Picture::Spine,
        Picture::Parts,
        Picture::Trial,
        Picture::Tingling,
        Picture::Posture,
        Picture::Decision,
        Picture::Implant,
        Picture::Recovery,
        Picture::Questions,
    ];

    /// The text alternative: what the picture shows, for those who cannot see it.
    pub fn alt(self) -> Text {
        match self {
            Picture::Nerves => t(
                "Picture: a nerve runs from the foot to the spinal cord, and the cord goes up to the brain. Beside it, a thick A‑beta fiber and thin A‑delta and C fibers.",
                "Dibujo: un nervio va del pie a la médula espinal, y la médula sube hasta el cerebro. Al lado, una fibra gruesa A‑beta y fibras finas A‑delta y C.",
            ),
            Picture::Spine => t(
                "Picture: the spine seen from behind and opened. Around the spinal cord is the epidural space. A lead with metal contacts lies in it, along the middle of the cord.",
                "Dibujo: la columna vista desde atrás y abierta. Alrededor de la médula está el espacio epidural. Un cable con contactos de metal va dentro, por el centro de la médula.",
            ),
            Picture::Parts => t(
                "Picture: the lead near the spine, a thin wire from it to the IPG, and a remote beside them.",
                "Dibujo: el cable junto a la columna, un alambre fino que va al generador (IPG), y un control remoto al lado.",
            ),
            Picture::Trial => t(
                "Picture in three steps: 1, you lie face down under the X-ray machine. 2, a needle goes into the epidural space and the lead passes through it. 3, you go home with a stimulator outside your body.",
                "Dibujo en tres pasos: 1, usted está boca abajo bajo la máquina de rayos X. 2, una aguja entra al espacio epidural y el cable pasa por ella. 3, usted va a casa con un estimulador por fuera del cuerpo.",
            ),
            Picture::Tingling => t(
                "Picture: a body with tingling drawn over both feet, where the pain is.",
                "Dibujo: un cuerpo con hormigueo dibujado sobre los dos pies, donde está el dolor.",
            ),
            Picture::Posture => t(
                "Picture: two slices through the spine. Lying on your back, the spinal cord sinks toward the lead at your back: the tingling is stronger. Lying face down, the cord sinks away from the lead: the tingling is weaker.",
                "Dibujo: dos cortes de la columna. Boca arriba, la médula baja hacia el cable que está en la espalda: el hormigueo es más fuerte. Boca abajo, la médula se aleja del cable: el hormigueo es más suave.",
            ),
            Picture::Decision => t(
                "Picture: seven days on a calendar, then a check mark: the day you decide.",
                "Dibujo: siete días en un calendario y luego una marca: el día en que decide.",
            ),
            Picture::Implant => t(
                "Picture: a body from the front and from behind. The IPG can sit in the upper chest, the belly (abdomen) or the upper buttock.",
                "Dibujo: un cuerpo de frente y de espaldas. El generador (IPG) puede ir en la parte alta del pecho, el vientre (abdomen) o la parte alta de la nalga.",
            ),
            Picture::Recovery => t(
                "Picture: a line of 8 weeks. Sore at first; more activity after 2 to 3 weeks; fully active by about 8 weeks.",
                "Dibujo: una línea de 8 semanas. Dolor al principio; más actividad después de 2 a 3 semanas; actividad completa hacia las 8 semanas.",
            ),
            Picture::Questions => t(
                "Picture: question bubbles about the battery, MRI scans, driving and travel.",
                "Dibujo: globos de preguntas sobre la batería, la resonancia, manejar y viajar.",
            ),
        }
    }
}

const BRAIN: Text = t("Brain", "Cerebro");
const CORD: Text = t("Spinal cord", "Médula espinal");
const FOOT: Text = t("Foot", "Pie");
const NERVE: Text = t("Nerve", "Nervio");
const FIBRES: Text = t("Nerve fibers", "Fibras nerviosas");
const THICK: Text = t("A‑beta: thick", "A‑beta: gruesa");
const THIN_D: Text = t("A‑delta: thin", "A‑delta: fina");
const THIN_C: Text = t("C: thin", "C: fina");
const BONE: Text = t("Bone (vertebra)", "Hueso (vértebra)");
const EPIDURAL: Text = t("Epidural space", "Espacio epidural");
const LEAD: Text = t("Lead", "Cable (electrodo)");
const CONTACTS: Text = t("Metal contacts", "Contactos de metal");
const FROM_BEHIND: Text = t("Seen from behind", "Vista desde atrás");
const WIRE: Text = t("Thin wire", "Alambre fino");
const IPG: Text = t("IPG (battery)", "IPG (batería)");
const REMOTE: Text = t("Remote", "Control remoto");
const FACE_DOWN: Text = t("Face down", "Boca abajo");
const XRAY: Text = t("X-ray", "Rayos X");
const NEEDLE: Text = t("Needle", "Aguja");
const HOME: Text = t("Home", "En casa");
const OUTSIDE: Text = t("External stimulator", "Estimulador externo");
const TINGLE: Text = t("Tingling", "Hormigueo");
const DAYS_7: Text = t("About 7 days", "Unos 7 días");
const ON_BACK: Text = t("On your back", "Boca arriba");
const STRONGER: Text = t("Stronger", "Más fuerte");
const WEAKER: Text = t("Weaker", "Más suave");
const DECIDE: Text = t("Decide", "Decidir");
const FRONT: Text = t("Front", "Frente");
const BACK: Text = t("Back", "Espalda");
const SITES: [Text; 3] = [
    t("Upper chest", "Parte alta del pecho"),
    t("Belly (abdomen)", "Vientre (abdomen)"),
    t("Upper buttock", "Parte alta de la nalga"),
];
const WEEKS: Text = t("Weeks", "Semanas");
const SORE: Text = t("Sore", "Molestias");
const MORE: Text = t("Do more", "Más actividad");
const FULL: Text = t("Fully active", "Actividad completa");
const ASK: [Text; 4] = [
    t("Battery?", "¿Batería?"),
    t("MRI?", "¿Resonancia?"),
    t("Driving?", "¿Manejar?"),
    t("Travel?", "¿Viajar?"),
];

/// Every word drawn in the pictures (for the tests that read all patient text).
pub const LABELS: [Text; 40] = [
    BRAIN,
    CORD,
    FOOT,
    NERVE,
    FIBRES,
    THICK,
    THIN_D,
    THIN_C,
    BONE,
    EPIDURAL,
    LEAD,
    CONTACTS,
    FROM_BEHIND,
    WIRE,
    IPG,
    REMOTE,
    FACE_DOWN,
    XRAY,
    NEEDLE,
    HOME,
    OUTSIDE,
    TINGLE,
    ON_BACK,
    STRONGER,
    WEAKER,
    DAYS_7,
    DECIDE,
    FRONT,
    BACK,
    SITES[0],
    SITES[1],
    SITES[2],
    WEEKS,
    SORE,
    MORE,
    FULL,
    ASK[0],
    ASK[1],
    ASK[2],
    ASK[3],
];

/// One part of a picture, drawn in its place in the list (later parts over earlier ones).
enum Part {
    /// SVG markup, drawn as it is.
    Shape(&'static str),
    /// A label with its baseline at (x, y), anchored at its start, middle or end.
    Label(f64, f64, &'static str, Text),
    /// A smaller label, centred on x.
    Small(f64, f64, Text),
    /// A label at (x, y) with a line to what it names, at (x2, y2).
    Pointer(f64, f64, f64, f64, Text),
    /// A person standing, seen from the front or from behind, 147 units tall at size 1:
    /// centred on x, head at y, then the size.
    Person(f64, f64, f64),
    /// The spine opened from behind: vertebrae in a column centred on x, from y down
    /// `height` units, the epidural space, the cord, and a lead with 8 contacts.
    OpenSpine(f64, f64, f64),
    /// A question bubble with its top left corner at (x, y).
    Bubble(f64, f64, Text),
    /// The calendar's seven numbered days.
    Days,
    /// The line of weeks' ticks, numbered 0 to 8.
    Weeks,
}

/// The arrowhead the pictures' arrows end in.
const DEFS: &str = r#"<defs><marker id="pic-arrow" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" class="pic-arrowhead"/></marker></defs>"#;

const NERVES: &[Part] = &[
    Part::Shape(r#"<ellipse cx="190" cy="28" rx="34" ry="22" class="pic-brain"/>"#),
    Part::Label(190.0, 32.0, "middle", BRAIN),
    Part::Shape(r#"<rect x="184" y="50" width="12" height="100" rx="6" class="pic-cord"/>"#),
    Part::Label(178.0, 100.0, "end", CORD),
    Part::Shape(concat!(
        r#"<path d="M190 145 L 190 58" class="pic-signal" marker-end="url(#pic-arrow)"/>"#,
        r#"<path d="M14 168 q 0 -14 10 -16 l 14 -2 l 0 -22 l 14 0 l 0 28 q 26 2 30 10 q 0 4 -6 4 z" class="pic-skin"/>"#,
    )),
    Part::Label(30.0, 124.0, "middle", FOOT),
    Part::Shape(r#"<path d="M60 152 C 110 150, 150 150, 184 142" class="pic-nerve"/>"#),
    Part::Label(120.0, 143.0, "middle", NERVE),
    Part::Label(12.0, 16.0, "start", FIBRES),
    Part::Shape(r#"<line x1="12" y1="30" x2="60" y2="30" class="fibre" stroke-width="7"/>"#),
    Part::Label(66.0, 34.0, "start", THICK),
    Part::Shape(r#"<line x1="12" y1="50" x2="60" y2="50" class="fibre" stroke-width="3"/>"#),
    Part::Label(66.0, 54.0, "start", THIN_D),
    Part::Shape(r#"<line x1="12" y1="70" x2="60" y2="70" class="fibre" stroke-width="1.5"/>"#),
    Part::Label(66.0, 74.0, "start", THIN_C),
];

const SPINE: &[Part] = &[
    Part::Label(6.0, 12.0, "start", FROM_BEHIND),
    Part::OpenSpine(62.0, 24.0, 148.0),
    Part::Pointer(112.0, 42.0, 98.0, 40.0, BONE),
    Part::Pointer(112.0, 78.0, 73.0, 80.0, EPIDURAL),
    Part::Pointer(112.0, 112.0, 67.0, 112.0, CORD),
    Part::Pointer(112.0, 146.0, 63.0, 146.0, LEAD),
    Part::Pointer(112.0, 166.0, 64.0, 125.0, CONTACTS),
];

const PARTS: &[Part] = &[
    Part::OpenSpine(44.0, 10.0, 144.0),
    Part::Shape(r#"<path d="M44 150 C 44 172, 100 170, 128 150" class="pic-wire"/>"#),
    Part::Pointer(64.0, 186.0, 76.0, 166.0, WIRE),
    Part::Pointer(90.0, 30.0, 46.0, 40.0, LEAD),
    Part::Shape(r#"<rect x="128" y="130" width="44" height="32" rx="14" class="pic-ipg"/>"#),
    Part::Label(150.0, 178.0, "middle", IPG),
    Part::Shape(concat!(
        r#"<rect x="196" y="34" width="38" height="74" rx="10" class="pic-remote"/>"#,
        r#"<rect x="202" y="42" width="26" height="16" rx="3" class="pic-screen"/>"#,
        r#"<circle cx="215" cy="72" r="6" class="pic-key"/>"#,
        r#"<rect x="203" y="86" width="10" height="10" rx="3" class="pic-key"/>"#,
        r#"<rect x="217" y="86" width="10" height="10" rx="3" class="pic-key"/>"#,
    )),
    Part::Label(215.0, 26.0, "middle", REMOTE),
    Part::Shape(r#"<path d="M192 112 q -4 10 -14 16 M200 116 q -6 16 -20 22" class="pic-waves"/>"#),
];

const TRIAL: &[Part] = &[
    // 1: face down under the X-ray.
    Part::Shape(r#"<path d="M8 40 q 32 -34 64 0" class="pic-xray"/>"#),
    Part::Label(40.0, 16.0, "middle", XRAY),
    Part::Shape(concat!(
        r#"<rect x="6" y="102" width="70" height="6" class="pic-table"/>"#,
        r#"<circle cx="16" cy="92" r="8" class="pic-skin"/>"#,
        r#"<rect x="24" y="86" width="50" height="16" rx="7" class="pic-skin"/>"#,
        r#"<path d="M40 48 L 42 84" class="pic-beam"/>"#,
        r#"<circle cx="12" cy="132" r="9" class="pic-step"/>"#,
        r#"<text x="12" y="136" text-anchor="middle" class="pic-step-number">1</text>"#,
    )),
    Part::Label(40.0, 160.0, "middle", FACE_DOWN),
    // 2: the needle into the epidural space, the lead through it.
    Part::Shape(concat!(
        r#"<rect x="84" y="40" width="72" height="10" class="pic-skin"/>"#,
        r#"<rect x="84" y="78" width="72" height="16" class="pic-epidural"/>"#,
        r#"<rect x="84" y="94" width="72" height="20" class="pic-cord"/>"#,
        r#"<path d="M96 24 L 126 84" class="pic-needle"/>"#,
        r#"<path d="M126 84 L 154 86" class="pic-lead-line"/>"#,
    )),
    Part::Label(100.0, 20.0, "start", NEEDLE),
    Part::Shape(concat!(
        r#"<circle cx="93" cy="132" r="9" class="pic-step"/>"#,
        r#"<text x="93" y="136" text-anchor="middle" class="pic-step-number">2</text>"#,
    )),
    Part::Label(120.0, 160.0, "middle", EPIDURAL),
    // 3: home, with the stimulator outside the body.
    Part::Shape(r#"<path d="M166 60 L 202 30 L 238 60 L 238 120 L 166 120 Z" class="pic-house"/>"#),
    Part::Person(202.0, 58.0, 0.38),
    Part::Shape(concat!(
        r#"<rect x="205" y="84" width="8" height="6" rx="1.5" class="pic-ipg"/>"#,
        r#"<circle cx="174" cy="132" r="9" class="pic-step"/>"#,
        r#"<text x="174" y="136" text-anchor="middle" class="pic-step-number">3</text>"#,
    )),
    Part::Label(202.0, 160.0, "middle", HOME),
    Part::Small(202.0, 174.0, OUTSIDE),
];

const TINGLING: &[Part] = &[
    Part::Person(64.0, 6.0, 1.1),
    Part::Shape(concat!(
        r#"<rect x="72" y="92" width="14" height="10" rx="2" class="pic-ipg"/>"#,
        r#"<path d="M44 168 q 6 -6 12 0 t 12 0 M72 168 q 6 -6 12 0 t 12 0 M42 176 q 6 -6 12 0 t 12 0 M72 176 q 6 -6 12 0 t 12 0" class="pic-tingle"/>"#,
    )),
    Part::Pointer(116.0, 150.0, 86.0, 166.0, TINGLE),
    Part::Pointer(116.0, 82.0, 86.0, 96.0, OUTSIDE),
];

/// Each slice: the bone's ring, the fluid-filled sac, the cord fallen to the low side, the
/// lead on the back's side (below on the back, above face down), and the tingling's waves.
const POSTURE: &[Part] = &[
    Part::Label(60.0, 18.0, "middle", ON_BACK),
    Part::Label(180.0, 18.0, "middle", FACE_DOWN),
    Part::Shape(concat!(
        r#"<circle cx="60" cy="92" r="46" class="pic-bone"/><circle cx="60" cy="92" r="34" class="pic-epidural"/>"#,
        r#"<circle cx="60" cy="100" r="15" class="pic-cord"/><rect x="52" y="117" width="16" height="6" rx="3" class="pic-lead"/>"#,
        r#"<path d="M34 150 q 6 -6 12 0 t 12 0 t 12 0 t 12 0 M34 158 q 6 -6 12 0 t 12 0 t 12 0 t 12 0" class="pic-tingle"/>"#,
        r#"<circle cx="180" cy="92" r="46" class="pic-bone"/><circle cx="180" cy="92" r="34" class="pic-epidural"/>"#,
        r#"<circle cx="180" cy="108" r="15" class="pic-cord"/><rect x="172" y="61" width="16" height="6" rx="3" class="pic-lead"/>"#,
        r#"<path d="M166 154 q 7 -3 14 0 t 14 0" class="pic-tingle"/>"#,
    )),
    Part::Label(60.0, 178.0, "middle", STRONGER),
    Part::Label(180.0, 178.0, "middle", WEAKER),
];

const DECISION: &[Part] = &[
    Part::Shape(r#"<rect x="10" y="30" width="220" height="100" rx="8" class="pic-calendar"/>"#),
    Part::Label(120.0, 22.0, "middle", DAYS_7),
    Part::Days,
    Part::Shape(r#"<path d="M96 100 l 12 12 l 28 -28" class="pic-check"/>"#),
    Part::Label(120.0, 150.0, "middle", DECIDE),
];

const IMPLANT: &[Part] = &[
    Part::Person(36.0, 10.0, 1.0),
    Part::Person(204.0, 10.0, 1.0),
    Part::Label(36.0, 176.0, "middle", FRONT),
    Part::Label(204.0, 176.0, "middle", BACK),
    Part::Shape(concat!(
        r#"<rect x="40" y="48" width="14" height="9" rx="4" class="pic-ipg"/>"#,
        r#"<rect x="30" y="76" width="14" height="9" rx="4" class="pic-ipg"/>"#,
        r#"<rect x="186" y="86" width="14" height="9" rx="4" class="pic-ipg"/>"#,
    )),
    Part::Label(120.0, 40.0, "middle", SITES[0]),
    Part::Shape(r#"<line x1="90" y1="44" x2="54" y2="52" class="leader"/>"#),
    Part::Label(120.0, 74.0, "middle", SITES[1]),
    Part::Shape(r#"<line x1="80" y1="78" x2="44" y2="80" class="leader"/>"#),
    Part::Label(120.0, 112.0, "middle", SITES[2]),
    Part::Shape(r#"<line x1="160" y1="106" x2="186" y2="92" class="leader"/>"#),
];

const RECOVERY: &[Part] = &[
    Part::Shape(concat!(
        r#"<rect x="20" y="60" width="25" height="30" class="pic-sore"/>"#,
        r#"<line x1="20" y1="90" x2="220" y2="90" class="pic-timeline"/>"#,
    )),
    Part::Weeks,
    Part::Label(120.0, 130.0, "middle", WEEKS),
    Part::Label(22.0, 52.0, "start", SORE),
    Part::Shape(r#"<rect x="70" y="70" width="25" height="20" class="pic-more"/>"#),
    Part::Label(82.0, 40.0, "middle", MORE),
    Part::Shape(concat!(
        r#"<line x1="82" y1="44" x2="82" y2="68" class="leader"/>"#,
        r#"<path d="M214 80 l 6 8 l 10 -16" class="pic-check small"/>"#,
    )),
    Part::Label(220.0, 150.0, "end", FULL),
    Part::Shape(r#"<line x1="218" y1="140" x2="220" y2="98" class="leader"/>"#),
];

const QUESTIONS: &[Part] = &[
    Part::Bubble(10.0, 20.0, ASK[0]),
    Part::Bubble(124.0, 20.0, ASK[1]),
    Part::Bubble(10.0, 100.0, ASK[2]),
    Part::Bubble(124.0, 100.0, ASK[3]),
];

impl Part {
    /// Writes the part's SVG markup, its words in `lang`, to `svg`.
    fn write(&self, svg: &mut String, lang: Lang) {
        // Writing to a String cannot fail.
        let _ = match *self {
            Part::Shape(markup) => write!(svg, "{markup}"),
            Part::Label(x, y, anchor, text) => label(svg, x, y, anchor, "pic-label", text, lang),
            Part::Small(x, y, text) => label(svg, x, y, "middle", "pic-label small", text, lang),
            Part::Pointer(x, y, x2, y2, text) => {
                let _ = write!(
                    svg,
                    r#"<line x1="{}" y1="{}" x2="{x2}" y2="{y2}" class="leader"/>"#,
                    x - 2.0,
                    y - 3.5
                );
                label(svg, x, y, "start", "pic-label", text, lang)
            }
            Part::Person(x, y, size) => write!(
                svg,
                r#"<g class="pic-body" transform="translate({x} {y}) scale({size})"><circle cx="0" cy="11" r="11"/><path d="M0 25 q 22 0 24 12 l 4 50 l -9 0 l -3 -38 l -2 0 l 0 40 l 2 70 l -11 0 l -5 -62 l -5 62 l -11 0 l 2 -70 l 0 -40 l -2 0 l -3 38 l -9 0 l 4 -50 q 2 -12 24 -12 z"/></g>"#
            ),
            Part::OpenSpine(x, y, height) => {
                for i in 0..(height / 36.0) as u8 {
                    let _ = write!(
                        svg,
                        r#"<rect x="{}" y="{}" width="80" height="31" rx="8" class="pic-bone"/>"#,
                        x - 40.0,
                        y + f64::from(i) * 36.0
                    );
                }
                let _ = write!(
                    svg,
                    r#"<rect x="{}" y="{}" width="28" height="{}" rx="6" class="pic-epidural"/><rect x="{}" y="{1}" width="16" height="{2}" rx="6" class="pic-cord"/><rect x="{}" y="{}" width="5" height="{}" rx="2.5" class="pic-lead"/>"#,
                    x - 14.0,
                    y - 4.0,
                    height + 4.0,
                    x - 8.0,
                    x - 2.5,
                    y + 14.0,
                    height - 20.0
                );
                for i in 0..8 {
                    let _ = write!(
                        svg,
                        r#"<rect x="{}" y="{}" width="5" height="5" class="pic-contact"/>"#,
                        x - 2.5,
                        y + 20.0 + f64::from(i) * 9.0
                    );
                }
                Ok(())
            }
            Part::Bubble(x, y, text) => {
                let _ = write!(
                    svg,
                    r#"<path d="M{x} {y} h 106 v 50 h -66 l -16 16 v -16 h -24 z" class="pic-bubble"/>"#
                );
                label(svg, x + 53.0, y + 30.0, "middle", "pic-label", text, lang)
            }
            Part::Days => (1..=7).try_for_each(|d| {
                write!(
                    svg,
                    r#"<rect x="{}" y="50" width="24" height="24" rx="3" class="pic-day"/><text x="{}" y="67" text-anchor="middle" class="pic-label">{d}</text>"#,
                    d * 30 - 12,
                    d * 30
                )
            }),
            Part::Weeks => (0..=8).try_for_each(|w| {
                write!(
                    svg,
                    r#"<line x1="{x}" y1="86" x2="{x}" y2="96" class="pic-timeline"/><text x="{x}" y="110" text-anchor="middle" class="pic-label">{w}</text>"#,
                    x = 20 + w * 25
                )
            }),
        };
    }
}

/// Writes a label: `text` in `lang`, escaped for XML.
fn label(
    svg: &mut String,
    x: f64,
    y: f64,
    anchor: &str,
    class: &str,
    text: Text,
    lang: Lang,
) -> std::fmt::Result {
    write!(
        svg,
        r#"<text x="{x}" y="{y}" text-anchor="{anchor}" class="{class}">"#
    )?;
    for c in text.get(lang).chars() {
        match c {
            '&' => svg.push_str("&amp;"),
            '<' => svg.push_str("&lt;"),
            '>' => svg.push_str("&gt;"),
            c => svg.push(c),
        }
    }
    write!(svg, "</text>")
}

impl Picture {
    /// What the picture is made of, in drawing order.
    fn parts(self) -> &'static [Part] {
        match self {
            Picture::Nerves => NERVES,
            Picture::Spine => SPINE,
            Picture::Parts => PARTS,
            Picture::Trial => TRIAL,
            Picture::Tingling => TINGLING,
            Picture::Posture => POSTURE,
            Picture::Decision => DECISION,
            Picture::Implant => IMPLANT,
            Picture::Recovery => RECOVERY,
            Picture::Questions => QUESTIONS,
        }
    }

    /// The picture's SVG markup (what goes inside its `<svg>`), its words in `lang`.
    pub fn markup(self, lang: Lang) -> String {
        let mut svg = String::from(DEFS);
        for part in self.parts() {
            part.write(&mut svg, lang);
        }
        svg
    }
}

/// One step's picture, labelled in `lang`, with its text alternative. Its markup is set
/// as one string: one element for the app to build instead of a hundred.
pub fn draw(picture: Picture, lang: Lang) -> impl IntoView {
    view! {
        <svg class="journey-picture" viewBox="0 0 240 190" role="img" aria-label=picture.alt().get(lang)
            data-testid="journey-picture" inner_html=picture.markup(lang)></svg>
    }
}
