//! Train mode: place a lead, program its contacts, see the field, the fibres it fires and
//! where the patient would feel it, under stim-core's safety rules; work through scored
//! scenarios. Undo/redo, and a URL that restores the bench.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use spine_field::anatomy::LEVELS;
use spine_field::model::Resolution;
use spine_field::slice::Plane;
use stim_core::contacts::{ContactName, Polarity, CASE};
use stim_core::impedance::ImpedanceModel;
use stim_core::program::MAX_STAGES;
use stim_core::safety::{validate, Limits};

use crate::body_map::BodyMap;
use crate::field_solve;
use crate::oscilloscope::Oscilloscope;
use crate::train::bench::{waveforms, Bench, Change, History, CUSTOM};
use crate::train::field_view::{Field, FieldView, Quality};
use crate::train::leads_panel::LeadsPanel;
use crate::train::patient::{Patient, COMPUTING, REFUSED};
use crate::train::placement::Placement;
use crate::train::preview::Preview;
use crate::train::scenarios::{score, Outcome, Score, SCENARIOS};
use crate::train::solving::{Next, Solves};
use crate::train::spine_view::SpineView;
use crate::train::steering_controls::SteeringControls;
use crate::transport::sleep;

/// Why no field came, in words.
fn unsolved() -> String {
    if field_solve::unavailable() {
        "This browser could not start the background workers that compute the field: no field, fibres or body map. Programming and its safety checks still work.".into()
    } else {
        "The field could not be solved for this placement.".into()
    }
}

/// How long a lead rests before the fine grid is solved, ms.
const REST_MS: i32 = 500;

/// The clinician's programming bench.
#[component]
pub fn TrainMode() -> impl IntoView {
    let bench = RwSignal::new(Bench::from_query(&crate::route::query()));
    let history = StoredValue::new(History::default());
    let (can, set_can) = signal((false, false));
    let field = RwSignal::new_local(None::<Rc<Field>>);
    let preview = Preview::default();
    let (status, set_status) = signal(String::new());
    let (scenario, set_scenario) = signal(None::<usize>);
    let (debrief, set_debrief) = signal(None::<Score>);
    let (plane, set_plane) = signal(Plane::Axial);
    // Why the last step up was not taken (cleared by the next edit).
    let (held, set_held) = signal(None::<String>);

    // The URL mirrors the bench, so a copied address restores it.
    Effect::new(move |_| {
        let query = bench.get().to_query();
        if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = h.replace_state_with_url(
                &wasm_bindgen::JsValue::NULL,
                "",
                Some(&format!("/train?{query}")),
            );
        }
    });
    // A new placement needs a new solve (values only change the weighted sum): coarse
    // first (unless the drag preview covers it), then, once the lead has rested a moment,
    // the fine grid. `train::solving` decides; a newer placement makes both stale.
    let solves = StoredValue::new_local(Solves::<Placement, Field>::default());
    Effect::new(move |_| {
        let b = bench.get();
        let key = b.placement;
        let shown_fine = field.with_untracked(|f| {
            f.as_ref()
                .is_some_and(|f| f.key == key && f.quality == Quality::Fine)
        });
        match solves.try_update_value(|s| s.next(&key, shown_fine)) {
            Some(Next::Solve) => {}
            Some(Next::Show(kept)) => {
                field.set(Some(kept));
                set_status.set(String::new());
                return;
            }
            _ => return,
        }
        // Stale too once the page has left Train (the solves are gone).
        let stale = move || solves.try_with_value(|s| s.stale(&key)).unwrap_or(true);
        let failed = move || {
            if !stale() {
                solves.update_value(|s| s.failed(&key));
                set_status.set(unsolved());
            }
        };
        spawn_local(async move {
            set_status.set("Solving the field for this placement…".into());
            // Let the message show first.
            sleep(30).await;
            // The coarse grid reads thresholds ~30 % off; once the atlas covers the
            // placement its preview (within 10 %) stands in instead.
            if !preview.covers(&b) {
                match Field::solve(key, Resolution::COARSE, stale, |_, _| {}).await {
                    Some(coarse) => field.set(Some(Rc::new(coarse))),
                    None => return failed(),
                }
            }
            sleep(REST_MS).await;
            if stale() {
                return;
            }
            let progress = move |done, all| {
                set_status.set(format!(
                    "Refining the field: {done} of {all} contacts solved…"
                ));
            };
            let Some(fine) = Field::solve(key, Resolution::FINE, stale, progress).await else {
                return failed();
            };
            if let Some(fine) = solves.try_update_value(|s| s.solved(key, fine)).flatten() {
                field.set(Some(fine));
                preview.solve_atlas(key.first().level);
                set_status.set(String::new());
            }
        });
    });

    // An edit that changes nothing (choosing the lead already chosen) is not an undo step.
    let edit = move |change: Change| {
        let before = bench.get_untracked();
        let mut after = before.clone();
        change(&mut after);
        if after == before {
            return;
        }
        history.update_value(|h| h.record(before));
        bench.set(after);
        set_held.set(None);
        set_can.set(history.with_value(|h| h.can()));
        set_debrief.set(None);
    };
    let undo = move |_| {
        if let Some(previous) = history
            .try_update_value(|h| h.undo(bench.get_untracked()))
            .flatten()
        {
            bench.set(previous);
        }
        set_can.set(history.with_value(|h| h.can()));
    };
    let redo = move |_| {
        if let Some(next) = history
            .try_update_value(|h| h.redo(bench.get_untracked()))
            .flatten()
        {
            bench.set(next);
        }
        set_can.set(history.with_value(|h| h.can()));
    };

    // A scenario's story sets the contacts' impedances and may fix the lead.
    let impedance = move || {
        scenario
            .get()
            .map_or_else(ImpedanceModel::default, |s| (SCENARIOS[s].impedance)())
    };
    let locked = Signal::derive(move || scenario.get().is_some_and(|s| SCENARIOS[s].locked));
    let refusal = Memo::new(move |_| {
        validate(&bench.get().program_set(), &Limits::default(), &impedance())
            .err()
            .map(|e| e.to_string())
    });
    // Which fibres fire, computed once per change for the field view and the body map.
    // While the lead is dragged, and after it is let go until its field is solved, the
    // preview stands in for the solved field.
    let shown = Signal::derive_local(move || {
        bench.with(|b| {
            preview.field(b).or_else(|| {
                let solved = field.get().filter(|f| f.key == b.placement);
                solved
                    .or_else(|| preview.resting(b))
                    .or_else(|| field.get())
            })
        })
    });
    let recruitment = Memo::new(move |_| {
        let (Some(f), b) = (shown.get(), bench.get()) else {
            return (vec![], vec![], false);
        };
        let (fired, felt) = f.recruited(&b);
        (
            fired,
            felt,
            f.key == b.placement || f.quality == Quality::Preview,
        )
    });
    // A refused program does not run: no fibre fires.
    let fired = Signal::derive(move || {
        if refusal.get().is_some() {
            vec![]
        } else {
            recruitment.with(|r| r.0.clone())
        }
    });
    let felt = Signal::derive(move || {
        // A refused program does not run; a field still being solved is not this placement.
        recruitment.with(|(_, felt, current)| {
            if *current && refusal.get().is_none() {
                felt.clone()
            } else {
                vec![]
            }
        })
    });
    // The virtual patient for the program on screen: nothing while it is refused, and no
    // answer while the field shown is another placement's.
    let patient = Memo::new(move |_| {
        if refusal.get().is_some() {
            return Err(REFUSED);
        }
        let b = bench.get();
        match shown.get() {
            Some(f) if f.key == b.placement || f.quality == Quality::Preview => Ok(
                Patient::examine(&f.dermatome_thresholds(&b), b.amplitude_ua as f64 / 1_000.0),
            ),
            _ => Err(COMPUTING),
        }
    });
    let sensations = Signal::derive(move || {
        patient.with(|p| p.as_ref().map(|p| p.felt.clone()).unwrap_or_default())
    });
    // The scenario's painful area, as body map regions.
    let painful = Signal::derive(move || {
        scenario
            .get()
            .map(|s| {
                SCENARIOS[s]
                    .target
                    .iter()
                    .flat_map(|a| a.regions())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let live_score = move || {
        scenario.get().map(|s| {
            let (felt, refusal) = (felt.get(), refusal.get());
            // Only the placement's fine field is judged (a coarse one reads ~25 % low).
            let solving = !shown.get().is_some_and(|f| {
                f.quality == Quality::Fine && bench.with(|b| f.key == b.placement)
            });
            // The virtual patient's "too strong" fails the goal, in the patient's words.
            let discomfort = patient.with(|p| {
                p.as_ref()
                    .ok()
                    .filter(|p| p.too_strong())
                    .map(|p| p.says(&painful.get()))
            });
            let outcome = Outcome {
                felt: &felt,
                refusal: refusal.as_deref(),
                discomfort: discomfort.as_deref(),
                solving,
            };
            score(&SCENARIOS[s], &bench.get(), &outcome)
        })
    };
    let program_set = Signal::derive(move || bench.get().program_set());
    let share = move || {
        format!(
            "{}/train?{}",
            web_sys::window()
                .and_then(|w| w.location().origin().ok())
                .unwrap_or_default(),
            bench.get().to_query()
        )
    };

    view! {
        <section class="mode train" data-testid="mode-train" aria-labelledby="train-title">
            <h1 id="train-title">"Train"</h1>
            <p class="lead">"Place a lead over T6–L1, program its contacts, and see the field, the fibres it fires and where the patient would feel it."</p>

            <div class="panel">
                <h2>"Scenario"</h2>
                <label class="field">"Exercise"
                    <select data-testid="scenario" on:change=move |ev| {
                        let choice = event_target_value(&ev).parse::<usize>().ok();
                        set_scenario.set(choice);
                        set_debrief.set(None);
                        // A scenario starts afresh: undo cannot take its lead elsewhere.
                        if let Some(s) = choice {
                            bench.set((SCENARIOS[s].start)());
                            history.set_value(History::default());
                            set_can.set((false, false));
                            set_held.set(None);
                        }
                    }>
                        <option value="free">"Free practice"</option>
                        {SCENARIOS.iter().enumerate().map(|(i, s)| view! { <option value=i.to_string()>{s.title}</option> }).collect_view()}
                    </select>
                </label>
                {move || scenario.get().map(|s| view! {
                    <p data-testid="scenario-goal">{SCENARIOS[s].goal}</p>
                    <p class="score" data-testid="scenario-score" aria-live="polite">{move || live_score().map(|sc| sc.summary())}</p>
                    <button class="button primary" data-testid="scenario-finish" on:click=move |_| set_debrief.set(live_score())>"Finish"</button>
                })}
                <div class="debrief" data-testid="scenario-debrief" role="status">{move || debrief.get().zip(scenario.get()).map(|(sc, s)| view! {
                    <p><strong>{if sc.passed { "Goal met." } else { "Not yet: the goal is not met." }}</strong></p>
                    <ul class="debrief-lines">{sc.lines.into_iter().map(|l| view! {
                        <li class=if l.ok { "met" } else { "missed" }><span aria-hidden="true">{if l.ok { "✓ " } else { "✗ " }}</span>{l.text}</li>
                    }).collect_view()}</ul>
                    <p data-testid="scenario-lesson">{SCENARIOS[s].lesson}</p>
                })}</div>
            </div>

            <div class="train-grid">
                <div class="panel spine-panel">
                    <h2>"Spine and field"</h2>
                    <SpineView bench=bench dragging=preview.dragging locked=locked on_place=Callback::new(move |p: Placement| edit(Box::new(move |b| b.set_placement(p))))  on_cycle=Callback::new(move |slot| edit(Box::new(move |b| b.cycle(slot)))) field=shown fired=fired/>
                    <p class="note" data-testid="preview-ready">{move || {
                        let (ready, all) = preview.progress();
                        if ready == all {
                            "Drag the lead: the field follows your hand at every level.".to_string()
                        } else {
                            format!("Preparing the live preview for dragging: {ready} of {all} levels ready.")
                        }
                    }}</p>
                </div>
                <div class="panel">
                    <h2>"Lead"</h2>
                    {move || locked.get().then(|| {
                        let start = scenario.get().map(|s| (SCENARIOS[s].start)()).unwrap_or_default().placement.first();
                        view! { <p class="note" data-testid="lead-locked">{format!(
                            "The story fixes the lead over {}, {} mm from the midline: it cannot be moved. Program its contacts.", LEVELS[start.level], start.offset_mm
                        )}</p> }
                    })}
                    // A fieldset's `disabled` disables every control in it: a lead the story fixes.
                    <fieldset class="plain" disabled=locked>
                        <LeadsPanel placement=Signal::derive(move || bench.get().placement)
                            on_place=Callback::new(move |p: Placement| edit(Box::new(move |b| b.set_placement(p))))
                            on_refuse=Callback::new(move |why: String| set_held.set(Some(why)))/>
                    </fieldset>
                    <h2>"Contacts"</h2>
                    <p class="note">"Press a contact to cycle it: off → − (cathode) → + (anode). Changing contacts sets the amplitude back to zero."</p>
                    <div class="contacts" role="group" aria-label="Contacts">
                        {move || {
                            let b = bench.get();
                            let button = |slot: usize| {
                                let (mark, word) = match b.polarity[slot] {
                                    Polarity::Off => ("·", "off"),
                                    Polarity::Cathode => ("−", "cathode"),
                                    Polarity::Anode => ("+", "anode"),
                                };
                                let name = ContactName(slot).to_string();
                                view! {
                                    <button class=format!("contact-button {word}") data-testid=format!("contact-{slot}") aria-label=format!("{name}: {word}")
                                        on:click=move |_| edit(Box::new(move |b| b.cycle(slot)))>
                                        <span aria-hidden="true">{format!("{} {mark}", if slot == CASE { "Case".to_string() } else { name.clone() })}</span>
                                    </button>
                                }
                            };
                            // One group per lead, numbered on from the first (E9–E16 on a second 1 × 8).
                            let groups = b.placement.leads().enumerate().map(|(i, _)| {
                                let slots = b.placement.slots(i);
                                let label = format!("Lead {}: {}–{}", i + 1, ContactName(slots.start), ContactName(slots.end - 1));
                                let name = label.clone();
                                view! {
                                    <div class="contact-lead" role="group" aria-label=name data-testid=format!("contacts-lead-{}", i + 1)>
                                        <span class="contact-lead-name" aria-hidden="true">{label}</span>
                                        {slots.map(button).collect_view()}
                                    </div>
                                }
                            }).collect_view();
                            (groups, button(CASE))
                        }}
                    </div>
                    <div class="shares" data-testid="shares">
                        {move || {
                            let b = bench.get();
                            (0..17).filter(|&s| b.polarity[s] != Polarity::Off).map(|slot| {
                                let name = if slot == CASE { "Case".to_string() } else { ContactName(slot).to_string() };
                                let sign = if b.polarity[slot] == Polarity::Cathode { "−" } else { "+" };
                                view! {
                                    <label class="share">{format!("{name} {sign} share %")}
                                        <input type="number" min="1" max="100" step="1" data-testid=format!("share-{slot}") prop:value=b.share[slot].to_string()
                                            on:change=move |ev| { let v = event_target_value(&ev).parse::<u8>().unwrap_or(0); edit(Box::new(move |b| b.set_share(slot, v))); }/>
                                    </label>
                                }
                            }).collect_view()
                        }}
                    </div>
                    <p class="note">"Shares move in 1 % steps; the others of the same sign follow, so each sign keeps 100 %. Steering re-divides them and keeps the amplitude."</p>
                    <SteeringControls bench=bench edit=edit held=set_held/>
                    <h2>"Waveform and amplitude"</h2>
                    <div class="controls">
                        <label>"Waveform"
                            <select data-testid="waveform" prop:value=move || bench.get().waveform.to_string()
                                on:change=move |ev| { let w = event_target_value(&ev).parse().unwrap_or(0); edit(Box::new(move |b| b.set_waveform(w))); }>
                                {waveforms().into_iter().enumerate().map(|(i, (label, _, _))| view! { <option value=i.to_string()>{label}</option> }).collect_view()}
                            </select>
                        </label>
                        <label>{move || match bench.get().waveform { 1 => "Bursts per second (Hz)", CUSTOM => "Trains per second (Hz)", _ => "Rate (Hz)" }}
                            <input type="number" min="1" max="10000" data-testid="wave-rate" prop:value=move || bench.get().rate_hz.to_string()
                                on:change=move |ev| { let v = event_target_value(&ev).parse().unwrap_or(50); edit(Box::new(move |b| b.rate_hz = v)); }/>
                        </label>
                        <Show when=move || bench.get().waveform != CUSTOM>
                            <label>"Pulse width (µs)"
                                <input type="number" min="20" max="1000" step="10" data-testid="wave-width" prop:value=move || bench.get().width_us.to_string()
                                    on:change=move |ev| { let v = event_target_value(&ev).parse().unwrap_or(300); edit(Box::new(move |b| b.width_us = v)); }/>
                            </label>
                        </Show>
                        <Show when=move || bench.get().waveform == 1>
                            <label>"Pulses per burst"
                                <input type="number" min="1" max="10" data-testid="burst-pulses" prop:value=move || bench.get().burst_pulses.to_string()
                                    on:change=move |ev| { let v = event_target_value(&ev).parse().unwrap_or(5); edit(Box::new(move |b| b.burst_pulses = v)); }/>
                            </label>
                            <label>"Rate within a burst (Hz)"
                                <input type="number" min="100" max="1000" data-testid="burst-intra" prop:value=move || bench.get().intra_rate_hz.to_string()
                                    on:change=move |ev| { let v = event_target_value(&ev).parse().unwrap_or(500); edit(Box::new(move |b| b.intra_rate_hz = v)); }/>
                            </label>
                        </Show>
                        <Show when=move || bench.get().waveform == CUSTOM>
                            <StageEditor bench=bench edit=edit/>
                        </Show>
                        <label>"Soft start (ms)"
                            <input type="number" min="0" max="30000" step="100" data-testid="soft-start" prop:value=move || bench.get().soft_start_ms.to_string()
                                on:change=move |ev| { let v = event_target_value(&ev).parse().unwrap_or(0); edit(Box::new(move |b| b.soft_start_ms = v)); }/>
                        </label>
                        <div class="amplitude" role="group" aria-label="Amplitude">
                            <button class="button" data-testid="train-amp-down" aria-label="Amplitude down 0.1 mA" on:click=move |_| edit(Box::new(|b| b.amplitude_ua = b.amplitude_ua.saturating_sub(100)))>"−"</button>
                            <output data-testid="train-amplitude" aria-live="polite">{move || format!("{:.1} mA", bench.get().amplitude_ua as f64 / 1_000.0)}</output>
                            <button class="button" data-testid="train-amp-up" aria-label="Amplitude up 0.1 mA" on:click=move |_| {
                                // As a programmer does, a step up that stim-core would refuse is
                                // not taken: the amplitude stays where it was safe, and says why.
                                let mut up = bench.get_untracked();
                                up.amplitude_ua = (up.amplitude_ua + 100).min(25_500);
                                let was_safe = refusal.get_untracked().is_none();
                                match validate(&up.program_set(), &Limits::default(), &impedance()) {
                                    Err(e) if was_safe => set_held.set(Some(format!(
                                        "Not raised to {:.1} mA: {e}", up.amplitude_ua as f64 / 1_000.0
                                    ))),
                                    _ => edit(Box::new(move |b| *b = up)),
                                }
                            }>"+"</button>
                        </div>
                    </div>
                    <p class="refusal" role="alert" data-testid="train-refusal">{move || refusal.get().or_else(|| held.get())}</p>
                    <div class="controls">
                        <button class="button" data-testid="undo" disabled=move || !can.get().0 on:click=undo>"Undo"</button>
                        <button class="button" data-testid="redo" disabled=move || !can.get().1 on:click=redo>"Redo"</button>
                    </div>
                    <label class="field wide">"Link to this bench"
                        <input type="text" readonly data-testid="share-link" prop:value=share/>
                    </label>
                </div>
                <div class="panel">
                    <h2>"Field"</h2>
                    <p class="note" role="status" data-testid="field-status">{move || {
                        let (ready, all) = preview.progress();
                        match preview.dragging.get() {
                            Some(_) if shown.get().is_some_and(|f| f.quality == Quality::Preview) =>
                                "Preview while you drag: let go to solve the field for this placement.".to_string(),
                            Some(_) => format!("The live preview is not ready for this level yet ({ready} of {all} levels): the field is solved when you let go."),
                            None => status.get(),
                        }
                    }}</p>
                    <label class="field">"Section"
                        <select data-testid="field-plane" on:change=move |ev| set_plane.set(match event_target_value(&ev).as_str() {
                            "sagittal" => Plane::Sagittal,
                            "coronal" => Plane::Coronal,
                            _ => Plane::Axial,
                        })>
                            <option value="axial">"Axial (cross-section)"</option>
                            <option value="sagittal">"Sagittal (side view)"</option>
                            <option value="coronal">"Coronal (from behind)"</option>
                        </select>
                    </label>
                    <FieldView plane=plane field=shown bench=bench fired=fired/>
                    <h2>"Where it is felt"</h2>
                    <BodyMap felt=sensations painful=painful/>
                    <p class="patient-says" data-testid="patient-says" aria-live="polite">{move || patient.with(|p| match p {
                        Ok(p) => format!("Patient: “{}”", p.says(&painful.get())),
                        Err(message) => message.to_string(),
                    })}</p>
                    <p class="note" data-testid="patient-thresholds">{move || patient.with(|p| p.as_ref().map(Patient::thresholds).unwrap_or_default())}</p>
                </div>
            </div>
            <div class="panel">
                <h2>"Pulses"</h2>
                <Oscilloscope set=program_set/>
            </div>
        </section>
    }
}

/// The custom train's stages: each one's duration and current (‰ of the amplitude, −
/// reversed, 0 a gap), added and removed; stim-core checks the whole train.
#[component]
fn StageEditor(
    bench: RwSignal<Bench>,
    edit: impl Fn(Change) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <fieldset class="stages" data-testid="stages">
            <legend>"Stages of the train"</legend>
            <p class="note">"Each stage follows the last. Current is in ‰ of the amplitude: 1000 as programmed, negative reversed (recharge), 0 a gap. The charges must balance."</p>
            {move || (0..bench.get().stages.len()).map(|i| {
                let stage = bench.get().stages[i];
                view! {
                    <div class="stage" role="group" aria-label=format!("Stage {}", i + 1)>
                        <label>{format!("Stage {}: µs", i + 1)}
                            <input type="number" min="1" max="100000" data-testid=format!("stage-{i}-duration") prop:value=stage.duration_us.to_string()
                                on:change=move |ev| { let v = event_target_value(&ev).parse().unwrap_or(stage.duration_us); edit(Box::new(move |b| if let Some(s) = b.stages.get_mut(i) { s.duration_us = v })); }/>
                        </label>
                        <label>"‰"
                            <input type="number" min="-1000" max="1000" step="50" data-testid=format!("stage-{i}-current") prop:value=stage.amplitude_permille.to_string()
                                on:change=move |ev| { let v = event_target_value(&ev).parse().unwrap_or(stage.amplitude_permille); edit(Box::new(move |b| if let Some(s) = b.stages.get_mut(i) { s.amplitude_permille = v })); }/>
                        </label>
                        <button class="button" data-testid=format!("stage-{i}-remove") aria-label=format!("Remove stage {}", i + 1)
                            disabled=move || bench.get().stages.len() == 1 on:click=move |_| edit(Box::new(move |b| b.remove_stage(i)))>"Remove"</button>
                    </div>
                }
            }).collect_view()}
            <button class="button" data-testid="stage-add" disabled={move || bench.get().stages.len() >= MAX_STAGES}
                on:click=move |_| edit(Box::new(Bench::add_stage))>"Add stage"</button>
        </fieldset>
    }
}
