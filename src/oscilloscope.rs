//! The oscilloscope: the real pulse train from stim-core at one contact, over a window.
//!
//! Nothing here computes a pulse: the program set is validated by stim-core's safety rules
//! and played by its engine; this module only draws what comes out.

use leptos::prelude::*;
use stim_core::audit::Audit;
use stim_core::contacts::{ContactName, Polarity, CONTACT_SLOTS};
use stim_core::engine::{Engine, PhaseEvent};
use stim_core::program::ProgramSet;
use stim_core::safety::{validate, Limits};

/// Events drawn for one window: 200 ms of 10 kHz is 6 000 phases.
const MAX_EVENTS: usize = 32_768;
/// Window lengths offered, µs.
const WINDOWS: [u64; 4] = [2_000, 10_000, 50_000, 200_000];
/// The furthest a window may start, µs.
const MAX_START: u64 = 800_000;
const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 200.0;
/// Height of one contact's channel on the screen.
const CHANNEL: f64 = 70.0;

/// What the scope shows for a program set: the trace, or why stim-core refused it.
#[derive(Clone, Debug, PartialEq)]
pub struct Trace {
    /// The contact slot traced.
    pub contact: usize,
    /// SVG path of the current at the contact (x: time, y: current; 0 mA in the middle).
    pub path: String,
    /// The largest |current| in the window, µA (the scale's top).
    pub peak_ua: u32,
    /// The most charge the contact receives before it is returned (a run of one sign, as
    /// the safety rules count it: a burst's pulses before their recharge are one), nC.
    pub run_charge_nc: f64,
    /// Net charge at the contact over whole periods from the start, nC (0 when balanced).
    pub net_charge_nc: f64,
}

/// Plays `set` from its start, as a device would (up the soft-start ramp to the programmed
/// amplitudes), and traces `contact` over `from_us .. from_us + window_us`: [`traces`] of
/// one contact.
pub fn trace(
    set: &ProgramSet,
    contact: usize,
    from_us: u64,
    window_us: u64,
) -> Result<Trace, String> {
    traces(set, &[contact], from_us, window_us).map(|mut t| t.remove(0))
}

/// Plays `set` once from its start and traces each of `contacts` over
/// `from_us .. from_us + window_us`, all on one full scale (a contact with a 30 % share
/// reads 30 % of one with all of it). The charges are counted by stim-core's [`Audit`]
/// over the whole periods the window reaches, so a window that cuts a pulse reads true.
pub fn traces(
    set: &ProgramSet,
    contacts: &[usize],
    from_us: u64,
    window_us: u64,
) -> Result<Vec<Trace>, String> {
    let valid =
        validate(set, &Limits::default(), &Default::default()).map_err(|e| e.to_string())?;
    // Programs share one period; play from the start of the one the window begins in, so
    // only whole periods are counted and a late window costs no more than an early one.
    let period = valid.patterns()[0].period;
    let first = period.start(period.index_at(from_us));
    let mut engine = Engine::new(valid, 0);
    let ramp_us = set.soft_start_ms.saturating_mul(1_000);
    for (program, p) in set.programs.iter().enumerate() {
        engine.set_level(program, p.amplitude_ua, 0, ramp_us);
    }
    engine.seek(first);
    let end = from_us + window_us;
    let mut played: Vec<PhaseEvent> = vec![];
    let mut play_until = |engine: &mut Engine, t: u64| {
        while engine.peek_start().is_some_and(|s| s < t) && played.len() < MAX_EVENTS {
            played.extend(engine.next());
        }
    };
    play_until(&mut engine, end);
    // The periods under way at the window's end finish, so whole periods are counted.
    let finish = engine.busy_until();
    play_until(&mut engine, finish);
    if played.is_empty() {
        return Err("the program emits no pulse".into());
    }
    if played.len() >= MAX_EVENTS {
        // A verdict on part of a period would be false: say so instead.
        return Err("Too many phases to draw in this window: choose a shorter window.".into());
    }
    let events: Vec<&PhaseEvent> = played
        .iter()
        .filter(|e| e.end_us() > from_us && e.start_us < end)
        .collect();
    let peak_ua = events
        .iter()
        .flat_map(|e| {
            contacts
                .iter()
                .map(|&c| e.currents_na[c].unsigned_abs() / 1_000)
        })
        .max()
        .unwrap_or(0)
        .max(1);
    let x =
        |t: u64| t.clamp(from_us, end).saturating_sub(from_us) as f64 / window_us as f64 * WIDTH;
    let y = |na: i32| HEIGHT / 2.0 - na as f64 / 1_000.0 / peak_ua as f64 * (HEIGHT / 2.0 - 4.0);
    // One audit of what was played serves every channel.
    let audit = audit(&played);
    Ok(contacts
        .iter()
        .map(|&contact| {
            let mut path = format!("M0 {:.1}", HEIGHT / 2.0);
            for event in &events {
                let level = y(event.currents_na[contact]);
                path += &format!(
                    " L{:.1} {:.1} L{:.1} {level:.1} L{:.1} {level:.1} L{:.1} {:.1}",
                    x(event.start_us),
                    HEIGHT / 2.0,
                    x(event.start_us),
                    x(event.end_us()),
                    x(event.end_us()),
                    HEIGHT / 2.0
                );
            }
            path += &format!(" L{WIDTH} {:.1}", HEIGHT / 2.0);
            let (run_charge_nc, net_charge_nc) = charges(&audit, contact);
            Trace {
                contact,
                path,
                peak_ua,
                run_charge_nc,
                net_charge_nc,
            }
        })
        .collect())
}

/// The contact slots `set` uses (lead contacts in order, the case last): the channels.
pub fn active_contacts(set: &ProgramSet) -> Vec<usize> {
    (0..CONTACT_SLOTS)
        .filter(|&s| {
            set.programs
                .iter()
                .any(|p| p.electrodes.contacts[s].polarity != Polarity::Off)
        })
        .collect()
}

/// The verdict over every channel, in words: balanced only if every contact is.
pub fn verdict_all(traces: &[Trace]) -> String {
    let left: Vec<String> = traces
        .iter()
        .filter(|t| t.net_charge_nc != 0.0)
        .map(|t| format!("{} {:.1} nC", ContactName(t.contact), t.net_charge_nc))
        .collect();
    if left.is_empty() {
        "charge-balanced at every contact.".into()
    } else {
        format!("not balanced: {} left.", left.join(", "))
    }
}

/// What the contacts received from `played`, as stim-core's audit counts it.
pub fn audit(played: &[PhaseEvent]) -> Audit {
    let mut audit = Audit::default();
    played.iter().for_each(|e| audit.record(e));
    audit
}

/// The largest run and the net charge at `contact` in `audit`, nC.
pub fn charges(audit: &Audit, contact: usize) -> (f64, f64) {
    (
        audit.peak_run_fc(contact) as f64 / 1e6,
        audit.net_fc(contact) as f64 / 1e6,
    )
}

/// A charge as a clinician reads it: whole nC from 100 up, one decimal below.
fn nanocoulombs(nc: f64) -> String {
    if nc >= 100.0 {
        format!("{nc:.0}")
    } else {
        format!("{nc:.1}")
    }
}

/// The window that opens on `set`'s pulses: the shortest that holds two of its periods
/// (the longest for slower programs); `None` for a program stim-core refuses.
pub fn fit_window(set: &ProgramSet) -> Option<u64> {
    let valid = validate(set, &Limits::default(), &Default::default()).ok()?;
    let two_periods = valid.patterns()[0].period.start(2);
    Some(
        WINDOWS
            .into_iter()
            .find(|&w| w >= two_periods)
            .unwrap_or(WINDOWS[WINDOWS.len() - 1]),
    )
}

/// Draws the pulse train of `set` at every contact it uses, one channel each on one
/// full scale, or stim-core's refusal in words: nothing is played.
#[component]
pub fn Oscilloscope(
    /// The program set to play.
    #[prop(into)]
    set: Signal<ProgramSet>,
    /// The page's own refusal of the set (stim-core's, against the contacts' impedances of
    /// the story, which the scope does not know): while there is one, nothing plays.
    #[prop(optional, into)]
    refused: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let (window, set_window) = signal(set.with_untracked(fit_window).unwrap_or(50_000));
    let (start, set_start) = signal(0u64);
    // The window follows the program's rate (a 10 kHz train in 50 ms is a solid block)
    // until the user chooses one.
    let chosen = StoredValue::new(false);
    let fitted = Memo::new(move |_| set.with(fit_window));
    Effect::new(move |_| {
        if let (Some(w), false) = (fitted.get(), chosen.get_value()) {
            set_window.set(w);
            set_start.set(0);
        }
    });
    let contacts = Memo::new(move |_| set.with(active_contacts));
    let result = Memo::new(move |_| match refused.and_then(|r| r.get()) {
        Some(refusal) => Err(refusal),
        None => set.with(|s| traces(s, &contacts.get(), start.get(), window.get())),
    });
    let pan = move |forward: bool| {
        let step = window.get_untracked() / 2;
        set_start.update(|s| {
            *s = if forward {
                (*s + step).min(MAX_START)
            } else {
                s.saturating_sub(step)
            }
        });
    };
    view! {
        <figure class="scope" data-testid="oscilloscope">
            <div class="controls">
                <label>"Window "
                    <select data-testid="scope-window" prop:value=move || window.get().to_string()
                        on:change=move |ev| {
                            chosen.set_value(true);
                            set_window.set(event_target_value(&ev).parse().unwrap_or(50_000));
                        }>
                        {WINDOWS.iter().map(|w| view! { <option value=w.to_string()>{format!("{} ms", w / 1_000)}</option> }).collect_view()}
                    </select>
                </label>
                <button class="button" data-testid="scope-earlier" aria-label="Earlier" disabled=move || start.get() == 0 on:click=move |_| pan(false)>"◀"</button>
                <button class="button" data-testid="scope-later" aria-label="Later" disabled={move || start.get() >= MAX_START} on:click=move |_| pan(true)>"▶"</button>
                <span data-testid="scope-from">{move || format!("from {:.1} ms", start.get() as f64 / 1_000.0)}</span>
            </div>
            {move || match result.get() {
                Ok(traces) => {
                    let height = CHANNEL * traces.len() as f64;
                    let ms = window.get() / 1_000;
                    let names: Vec<String> = traces.iter().map(|t| ContactName(t.contact).to_string()).collect();
                    // The first cathode's charge is what the safety rules weigh first.
                    let cathode = set.with(|s| (0..CONTACT_SLOTS).find(|&c| s.programs.iter().any(|p| p.electrodes.contacts[c].polarity == Polarity::Cathode)));
                    let probe = traces.iter().find(|t| Some(t.contact) == cathode).or(traces.first()).cloned();
                    let scale = traces.first().map_or(0, |t| t.peak_ua);
                    view! {
                        <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" class="scope-screen"
                            aria-label=format!("Current at {} over {ms} ms", names.join(", "))>
                            {traces.iter().enumerate().map(|(k, t)| view! {
                                <g transform=format!("translate(0 {}) scale(1 {})", k as f64 * CHANNEL, CHANNEL / HEIGHT)>
                                    <line class="scope-zero" x1="0" x2=WIDTH y1=HEIGHT / 2.0 y2=HEIGHT / 2.0/>
                                    <path class="scope-trace" d=t.path.clone()/>
                                </g>
                                <text class="scope-label" x="4" y=k as f64 * CHANNEL + 14.0>{names[k].clone()}</text>
                            }).collect_view()}
                        </svg>
                        <figcaption>
                            <span>{format!("{}: ±{:.1} mA full scale, {ms} ms window. ", names.join(", "), scale as f64 / 1_000.0)}</span>
                            <span data-testid="scope-ramp">{move || set.with(|s| (s.soft_start_ms > 0).then(|| format!("Soft start: the amplitude ramps up from zero over {} ms. ", s.soft_start_ms)))}</span>
                            <span data-testid="scope-charge">{probe.map(|t| format!("Charge before recharge {} nC at {}; ", nanocoulombs(t.run_charge_nc), ContactName(t.contact)))}</span>
                            <span data-testid="scope-balance">{verdict_all(&traces)}</span>
                        </figcaption>
                    }.into_any()
                }
                Err(refusal) => view! {
                    <p class="refusal" data-testid="scope-refusal">{format!("Nothing is played: {refusal}")}</p>
                }.into_any(),
            }}
        </figure>
    }
}
