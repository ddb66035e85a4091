//! The practice remote, as a patient would hold it: choose a program, turn the tingling up
//! or down, switch it on and off, see the battery. Every press goes to the virtual device
//! (stim-core behind the protocol); the body map shows where the field model says the
//! tingling would be.
//!
//! The remote answers at once: the virtual device exists from the first frame, and the
//! field of the patient's lead is solved in the background from the moment the page
//! opens, once for the page's lifetime. Until it is ready, a pressed remote says it is
//! working out where the tingling would be felt; then the map shows the latest state.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use spine_field::anatomy::level_z;
use spine_field::dermatomes::{region_named, Side};
use spine_field::fibres::{population, Probe};
use spine_field::lead::{Lead, LeadKind};
use spine_field::model::Resolution;
use stim_core::device::{CommandError, Selection, State, Status};
use stim_core::lead::LeadKind as CoreLead;
use stim_core::presets;
use stim_core::program::{AmplitudeRange, Program, ProgramSet};
use stim_proto::messages::{Request, Response};
use stim_proto::server::Clock;

use crate::body_map::{region_label, region_name, BodyMap};
use crate::field_solve;
use crate::i18n::{t, tr, use_language, Lang, Text};
use crate::learn::pathway::Stimulation;
use crate::train::bench::{signed_fractions, stimulating_width_us};
use crate::train::patient::{Patient, Sensation};
use crate::transport::session::Session;
use crate::transport::virtual_device::VirtualLink;
use crate::transport::{sleep, Connection};

const TITLE: Text = t("Try the remote", "Pruebe el control remoto");
const INTRO: Text = t(
    "This is practice only. Nothing here touches your body.",
    "Es solo para practicar. Nada de esto toca su cuerpo.",
);
const TURN_ON: Text = t("Turn on", "Encender");
const TURN_OFF: Text = t("Turn off", "Apagar");
const WORKING_OUT: Text = t(
    "Working out where you would feel the tingling…",
    "Calculando dónde sentiría el hormigueo…",
);
const NO_MAP: Text = t(
    "This browser cannot draw where you would feel it. The remote still works.",
    "Este navegador no puede dibujar dónde lo sentiría. El control sigue funcionando.",
);
const UP: Text = t("Stronger", "Más fuerte");
const DOWN: Text = t("Softer", "Más suave");
const PROGRAM: Text = t("Program", "Programa");
const TOP: Text = t(
    "That is as strong as your care team allows.",
    "Es lo más fuerte que permite su equipo médico.",
);
const BOTTOM: Text = t(
    "It is already at the lowest setting.",
    "Ya está en lo más bajo.",
);
const IS_ON: Text = t("On", "Encendido");
const OFF_HINT: Text = t(
    "Turn it on to change the strength.",
    "Enciéndalo para cambiar la fuerza.",
);
const BOTH_SIDES: Text = t("both sides", "ambos lados");
/// One press of Stronger or Softer, in µA.
const STEP_UA: u32 = 500;
const IS_OFF: Text = t("Off", "Apagado");
/// The remote's sentences (for the test of the reading level).
pub const SENTENCES: [Text; 6] = [INTRO, WORKING_OUT, NO_MAP, TOP, BOTTOM, OFF_HINT];

/// The patient's two programs: (name, program).
fn programs() -> [(Text, Program); 2] {
    [
        (t("1 · Feet", "1 · Pies"), presets::tonic_bipole()),
        (
            t("2 · Legs and feet", "2 · Piernas y pies"),
            Program {
                offset_us: 10_000,
                ..presets::guarded_cathode()
            },
        ),
    ]
}

/// The strength as a patient counts it: (level, levels), in presses of [`STEP_UA`] from
/// the bottom of the care team's range to its top.
pub fn strength(amplitude_ua: u32, range: AmplitudeRange) -> (u32, u32) {
    let level = amplitude_ua.saturating_sub(range.min_ua).div_ceil(STEP_UA);
    (level, (range.max_ua - range.min_ua).div_ceil(STEP_UA))
}

/// Where the patient of Learn hurts: both feet, on top and underneath.
fn painful_feet() -> Vec<(usize, Side)> {
    ["top of the foot and big toe", "sole and little toe"]
        .into_iter()
        .filter_map(region_named)
        .flat_map(|r| [(r, Side::Left), (r, Side::Right)])
        .collect()
}

/// The places felt that do not hurt, where the tingling spreads beyond the painful area:
/// each region once, with its side, or `None` for both sides.
pub fn beyond(felt: &[Sensation], painful: &[(usize, Side)]) -> Vec<(usize, Option<Side>)> {
    let outside: Vec<(usize, Side)> = felt
        .iter()
        .map(|s| (s.region, s.side))
        .filter(|p| !painful.contains(p))
        .collect();
    let mut places: Vec<(usize, Option<Side>)> = vec![];
    for &(region, side) in &outside {
        if places.iter().any(|(r, _)| *r == region) {
            continue;
        }
        let both = outside.iter().filter(|(r, _)| *r == region).count() > 1;
        places.push((region, (!both).then_some(side)));
    }
    places
}

/// A place of [`beyond`] in words: "calf (both sides)", "groin (left)".
fn place_words(region: usize, side: Option<Side>, lang: Lang) -> String {
    match side {
        Some(side) => region_label(region, side, lang, None),
        None => format!("{} ({})", region_name(region, lang), BOTH_SIDES.get(lang)),
    }
}

/// A lead over T9–T10 on the midline, where trial leads for painful feet usually lie.
fn patient_lead() -> Lead {
    Lead {
        shift: -13.0,
        ..Lead::at(LeadKind::PERCUTANEOUS_8, 3)
    }
}

/// The solved field of the patient's lead and its fibres.
struct Simulation {
    probe: Probe,
}

impl Simulation {
    /// Solves the patient's lead, unless `gone` (the page has left the remote) first.
    /// `None` too when the solve does not converge.
    async fn build(gone: impl Fn() -> bool) -> Option<Simulation> {
        let lead = patient_lead();
        let model = field_solve::solve(vec![lead], Resolution::COARSE, gone, |_, _| {}).await?;
        let z = level_z(lead.level) + lead.shift;
        let probe = Probe::new(&model, population(&model.anatomy, z + 30.0, z - 30.0));
        Some(Simulation { probe })
    }

    /// Where, and how strongly, a program at `amplitude_ua` is felt.
    fn felt(&self, program: &Program, amplitude_ua: u32) -> Vec<Sensation> {
        let fractions = signed_fractions(&program.electrodes, 8);
        let width = stimulating_width_us(program);
        let thresholds = self.probe.dermatome_thresholds(&fractions, width);
        Patient::examine(&thresholds, amplitude_ua as f64 / 1_000.0).felt
    }
}

/// The practice remote and its body map.
#[component]
pub fn Remote(
    /// Told what stimulation does: off, on, felt or not on the body map (the pain
    /// pathway listens).
    on_change: WriteSignal<Stimulation>,
) -> impl IntoView {
    let lang = use_language();
    // The virtual device is ready at once: nothing in it waits for the field.
    let connection = StoredValue::new_local(Rc::new(Connection::Virtual(Session::new(
        VirtualLink::new(Clock::Host),
        // The practice remote keeps no protocol log.
        Rc::new(|_| {}),
    ))));
    let simulation = StoredValue::new_local(None::<Rc<Simulation>>);
    // Whether the field solve has ended (with a model in `simulation`, or none if it failed).
    let (solved, set_solved) = signal(false);
    let (status, set_status) = signal(None::<Status>);
    let (program, set_program) = signal(0u8);
    let (message, set_message) = signal(None::<Text>);

    // A request and then a fresh status. `None` once the page has left (a disposed owner).
    let send = move |request: Request| async move {
        let c = connection.try_get_value()?;
        let response = c.request(&request, false).await.ok()?;
        if let Ok(Response::Status(s)) = c.request(&Request::GetStatus, false).await {
            set_status.try_set(Some(s));
        }
        Some(response)
    };
    // The patient's programs go in first; the session keeps requests in order, so any
    // press comes after them.
    spawn_local(async move {
        let programs: Vec<Program> = programs().into_iter().map(|(_, p)| p).collect();
        send(Request::LoadProgramSet(ProgramSet::new(
            CoreLead::Percutaneous8,
            &programs,
        )))
        .await;
        send(Request::SelectProgram(Selection::One(
            program.get_untracked(),
        )))
        .await;
    });
    // The field is solved once, as the page opens, in slices that leave the page free to
    // answer presses; a page left mid-solve makes it stale.
    spawn_local(async move {
        sleep(0).await; // let the page draw first
        let gone = move || simulation.try_with_value(|_| ()).is_none();
        let built = Simulation::build(gone).await;
        if gone() {
            return;
        }
        simulation.set_value(built.map(Rc::new));
        set_solved.try_set(true);
    });
    let running = move || {
        status
            .get()
            .is_some_and(|s| matches!(s.state, State::Running | State::Ramping))
    };
    let toggle = move |_| {
        spawn_local(async move {
            set_message.set(None);
            send(if running() {
                Request::Stop
            } else {
                Request::Start
            })
            .await;
        });
    };
    let choose = move |p: u8| {
        set_program.set(p);
        spawn_local(async move {
            set_message.set(None);
            send(Request::SelectProgram(Selection::One(p))).await;
        });
    };
    let step = move |delta: i32| {
        spawn_local(async move {
            let p = program.get_untracked();
            let now = status
                .get_untracked()
                .map_or(0, |s| s.target_ua[p as usize]) as i32;
            let amplitude_ua = (now + delta).max(0) as u32;
            match send(Request::SetAmplitude {
                program: p,
                amplitude_ua,
            })
            .await
            {
                Some(Response::Refused(CommandError::OutsidePatientRange { .. })) => {
                    set_message.set(Some(if delta > 0 { TOP } else { BOTTOM }))
                }
                _ => set_message.set(None),
            }
        });
    };
    // Stimulating, and the field not solved yet.
    let working_out = move || running() && !solved.get();
    // Stimulating, and the field could not be solved (no workers in this browser).
    let no_map = move || running() && solved.get() && simulation.with_value(Option::is_none);
    let felt = Signal::derive(move || {
        solved.track();
        let (Some(sim), Some(s)) = (simulation.get_value(), status.get()) else {
            return vec![];
        };
        if !matches!(s.state, State::Running | State::Ramping) {
            return vec![];
        }
        let p = program.get() as usize;
        sim.felt(&programs()[p].1, s.target_ua[p])
    });
    // The pathway follows the body map: tingling is claimed only where the map shows it.
    Effect::new(move |_| {
        let known = !working_out() && !no_map();
        on_change.set(Stimulation::of(
            running(),
            known.then(|| !felt.with(Vec::is_empty)),
        ));
    });
    let (title, intro, working, up, down, program_label) = (
        tr(TITLE),
        tr(INTRO),
        tr(WORKING_OUT),
        tr(UP),
        tr(DOWN),
        tr(PROGRAM),
    );
    view! {
        <section class="remote panel" id="remote" tabindex="-1" aria-labelledby="remote-title" data-testid="remote">
            <h2 id="remote-title">{title}</h2>
            <p>{intro}</p>
            <div class="remote-body">
                <div class="remote-device">
                    <p class="remote-screen" data-testid="remote-screen" aria-live="polite">
                        {move || match status.get() {
                            Some(s) => {
                                let (p, l) = (program.get() as usize, lang.get());
                                let (name, range) = (programs()[p].0, programs()[p].1.patient_range);
                                let (level, levels) = strength(s.target_ua[p], range);
                                let ma = s.target_ua[p] as f64 / 1_000.0;
                                let on = if running() { IS_ON } else { IS_OFF };
                                let battery = s.battery_permille as f64 / 10.0;
                                match l {
                                    Lang::En => format!("{} · {}\nStrength {level} of {levels} ({ma:.1} mA) · Battery {battery:.0} %", on.en, name.en),
                                    Lang::Es => format!("{} · {}\nFuerza {level} de {levels} ({ma:.1} mA) · Batería {battery:.0} %", on.es, name.es),
                                }
                            }
                            None => IS_OFF.get(lang.get()).to_string(),
                        }}
                    </p>
                    <button class="button primary remote-power" data-testid="remote-power" on:click=toggle>
                        {move || if running() { TURN_OFF.get(lang.get()) } else { TURN_ON.get(lang.get()) }}
                    </button>
                    <div class="remote-row" role="group" aria-label=program_label>
                        {programs().into_iter().enumerate().map(|(i, (name, _))| view! {
                            <button class="button" data-testid=format!("remote-program-{}", i + 1) aria-pressed=move || (program.get() as usize == i).to_string() on:click=move |_| choose(i as u8)>
                                {move || name.get(lang.get())}
                            </button>
                        }).collect_view()}
                    </div>
                    <div class="remote-row">
                        <button class="button" data-testid="remote-down" disabled=move || !running() on:click=move |_| step(-(STEP_UA as i32))>{down}</button>
                        <button class="button" data-testid="remote-up" disabled=move || !running() on:click=move |_| step(STEP_UA as i32)>{up}</button>
                    </div>
                    <p class="note" data-testid="remote-off-hint" hidden=running>{move || OFF_HINT.get(lang.get())}</p>
                    <p class="refusal" role="alert" data-testid="remote-message">{move || message.get().map(|m| m.get(lang.get()))}</p>
                </div>
                <div class="remote-map">
                    <p class="remote-working" data-testid="remote-working" role="status" hidden=move || !working_out()>
                        {working}
                    </p>
                    <p class="remote-working" data-testid="remote-no-map" role="status" hidden=move || !no_map()>
                        {move || NO_MAP.get(lang.get())}
                    </p>
                    // Hidden rather than unmounted, so its "No tingling." is not read
                    // while the stimulator is on and the field still being solved.
                    <div hidden=move || working_out() || no_map()>
                        <BodyMap felt=felt painful=Signal::derive(painful_feet)/>
                        <p class="info" data-testid="remote-beyond" aria-live="polite" hidden=move || felt.with(|f| beyond(f, &painful_feet()).is_empty())>
                            {move || {
                                let l = lang.get();
                                let places: Vec<String> = felt.with(|f| beyond(f, &painful_feet())).into_iter().map(|(r, side)| place_words(r, side, l)).collect();
                                match l {
                                    Lang::En => format!("The tingling now reaches places that do not hurt: {}. If it bothers you, press Softer.", places.join(", ")),
                                    Lang::Es => format!("El hormigueo ya llega a lugares que no duelen: {}. Si le molesta, pulse Más suave.", places.join(", ")),
                                }
                            }}
                        </p>
                    </div>
                </div>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::train::patient::Intensity;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_strength_counts_presses_within_the_care_team_s_range() {
        let range = programs()[0].1.patient_range;
        assert_eq!(strength(0, range), (0, 12));
        assert_eq!(strength(2_000, range), (4, 12));
        assert_eq!(strength(6_000, range), (12, 12));
        let narrow = AmplitudeRange {
            min_ua: 1_000,
            max_ua: 3_200,
        };
        assert_eq!(strength(1_000, narrow), (0, 5));
        assert_eq!(strength(3_200, narrow), (5, 5));
    }

    #[wasm_bindgen_test]
    fn tingling_beyond_the_feet_is_named_and_the_feet_are_not() {
        let feet = painful_feet();
        assert_eq!(feet.len(), 4, "both feet, on top and underneath");
        let sole = region_named("sole and little toe").unwrap();
        let calf = region_named("calf").unwrap();
        let felt = |region, side| Sensation {
            region,
            side,
            intensity: Intensity::Mild,
        };
        assert!(beyond(&[felt(sole, Side::Left), felt(sole, Side::Right)], &feet).is_empty());
        assert_eq!(
            beyond(&[felt(sole, Side::Left), felt(calf, Side::Right)], &feet),
            vec![(calf, Some(Side::Right))]
        );
        let both = [
            felt(calf, Side::Left),
            felt(sole, Side::Left),
            felt(calf, Side::Right),
        ];
        assert_eq!(beyond(&both, &feet), vec![(calf, None)]);
        assert_eq!(
            place_words(calf, None, Lang::Es),
            "pantorrilla (ambos lados)"
        );
    }
}
