//! Device mode: connect the virtual device or a dev board, program it, watch telemetry.
//!
//! Every action goes through the protocol (stim-proto) to a device server, in the page or
//! on the board. The logic lives in plain modules: `transport::session` (turns, time
//! limits, the emergency stop first), `device::amplitude` (presses never lost),
//! `device::outcome` (did a failed command take effect?) and `device::log`. This view
//! wires them to the page: refusals and link failures are shown in words, and nothing
//! the user chose is lost when a request fails; the last good state stays on screen.

use std::rc::Rc;

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use stim_core::contacts::{ContactName, CONTACT_SLOTS};
use stim_core::device::{State, Status};
use stim_core::lead::LeadKind;
use stim_core::presets;
use stim_core::program::{Program, ProgramSet};
use stim_proto::messages::{DeviceKind, Identity, Request, Response, SetInWords, Telemetry};
use stim_proto::server::Clock;
use wasm_bindgen::JsCast;

use crate::device::amplitude::Dial;
use crate::device::connection::{
    after_poll, AfterFailure, Link, LinkState, Notice, RECONNECT_WAITS_MS,
};
use crate::device::log::{self, Kind, Line};
use crate::device::outcome::{milliamps, unknown, verdict};
use crate::transport::bluetooth::{BluetoothLink, CONNECT_MS};
use crate::transport::session::{Observer, Session, Traffic};
use crate::transport::virtual_device::VirtualLink;
use crate::transport::{sleep, within, Connection, LinkError, Step};

/// The therapies the console can load: (label, program).
pub fn therapies() -> [(&'static str, Program); 5] {
    [
        ("Tonic 50 Hz, bipole", presets::tonic_bipole()),
        ("Tonic, guarded cathode (+ − +)", presets::guarded_cathode()),
        (
            "Burst (5 × 1 ms at 500 Hz, 40 Hz)",
            presets::classic_burst(),
        ),
        ("10 kHz, 30 µs", presets::ten_khz()),
        ("Custom train (asymmetric)", presets::custom_asymmetric()),
    ]
}

/// How often telemetry (and any waiting event) is read while connected, ms (not with
/// the stepped clock).
const POLL_MS: i32 = 1_000;

/// A state in words, capitalised for a label ("Emergency-stopped").
fn state_words(state: State) -> String {
    let words = state.to_string();
    let mut chars = words.chars();
    chars.next().map_or(String::new(), |c| {
        // English words: ASCII case rules (Unicode's case tables cost the bundle).
        c.to_ascii_uppercase().to_string() + chars.as_str()
    })
}

/// The wall-clock time, "HH:MM:SS.mmm".
fn clock_time() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        d.get_hours(),
        d.get_minutes(),
        d.get_seconds(),
        d.get_milliseconds()
    )
}

/// The shared state of Device mode, handed to its event handlers.
#[derive(Clone, Copy)]
struct Console {
    connection: StoredValue<Option<Rc<Connection>>, LocalStorage>,
    /// The connection's state machine (`device::connection`).
    link: RwSignal<Link>,
    identity: RwSignal<Option<Identity>>,
    status: RwSignal<Option<Status>>,
    telemetry: RwSignal<Option<Telemetry>>,
    loaded: RwSignal<Option<ProgramSet>>,
    log: RwSignal<Vec<Line>>,
    next_line: StoredValue<u64>,
    /// What the board did unasked, newest last: (time, words).
    events: RwSignal<Vec<(String, String)>>,
    notice: RwSignal<Option<Notice>>,
    dial: RwSignal<Dial>,
}

impl Console {
    fn new() -> Self {
        Console {
            connection: StoredValue::new_local(None),
            link: RwSignal::new(Link::default()),
            identity: RwSignal::new(None),
            status: RwSignal::new(None),
            telemetry: RwSignal::new(None),
            loaded: RwSignal::new(None),
            log: RwSignal::new(vec![]),
            next_line: StoredValue::new(0),
            events: RwSignal::new(vec![]),
            notice: RwSignal::new(None),
            dial: RwSignal::new(Dial::default()),
        }
    }

    /// The session's observer: every message into the log, every event onto the screen.
    /// (Tolerant of a console already gone: a late reply must not throw.)
    fn observer(self) -> Observer {
        Rc::new(move |traffic: Traffic| {
            let Some(id) = self.next_line.try_update_value(|n| {
                *n += 1;
                *n
            }) else {
                return;
            };
            let line = log::line(id, clock_time(), &traffic);
            self.log.try_update(|l| log::push(l, line));
            if let Traffic::Event { event, .. } = &traffic {
                let stim_proto::messages::Event::StateChanged(status) = event;
                self.status.try_set(Some(*status));
                self.events
                    .try_update(|e| e.push((clock_time(), log::event_text(event))));
            }
        })
    }

    fn note(self, text: String) {
        let Some(id) = self.next_line.try_update_value(|n| {
            *n += 1;
            *n
        }) else {
            return;
        };
        self.log.try_update(|l| {
            log::push(
                l,
                Line {
                    id,
                    time: clock_time(),
                    kind: Kind::Note,
                    text,
                    hex: vec![],
                    poll: false,
                },
            )
        });
    }

    /// Sends `request`; shows refusals and failures in words. After a failed command it
    /// reads the status again and says whether the command took effect.
    async fn send(self, request: Request) -> Option<Response> {
        let connection = self.connection.try_get_value().flatten()?;
        match connection.request(&request, false).await {
            Ok(response) => {
                self.apply(&response);
                match &response {
                    Response::Refused(e) => self.notice.set(Some(Notice::Error(e.to_string()))),
                    Response::Rejected(e) => {
                        let after = self.after_failure(&connection, &request).await;
                        self.notice.set(Some(Notice::Error(format!(
                            "The device could not read the request. {e} {after}"
                        ))));
                    }
                    _ => {}
                }
                Some(response)
            }
            Err(e) => {
                self.failed(&connection, &request, e).await;
                None
            }
        }
    }

    /// Keeps the panels in step with what the device said.
    fn apply(self, response: &Response) {
        match response {
            Response::Identity(identity) => self.identity.set(Some(identity.clone())),
            Response::Status(status) => self.status.set(Some(*status)),
            Response::Telemetry(t) => {
                self.status.set(Some(t.status));
                self.telemetry.set(Some(*t));
            }
            Response::ProgramSet(set) => self.loaded.set(set.clone()),
            _ => {}
        }
    }

    /// A command, then the status it left the device in. True when it was carried out.
    async fn command(self, request: Request) -> bool {
        let done = matches!(self.send(request).await, Some(Response::Done));
        if done {
            self.notice.set(None);
            self.send(Request::GetStatus).await;
        }
        done
    }

    /// What a failed command left: reads the status again and says whether it took
    /// effect (empty for a read).
    async fn after_failure(self, connection: &Connection, request: &Request) -> String {
        if crate::device::outcome::subject(request).is_none() {
            return String::new();
        }
        let before = self.status.get_untracked();
        match connection.request(&Request::GetStatus, false).await {
            Ok(Response::Status(status)) => {
                self.status.set(Some(status));
                verdict(request, before.as_ref(), &status).unwrap_or_default()
            }
            _ => unknown(request).unwrap_or_default(),
        }
    }

    /// A request failed on the link.
    async fn failed(self, connection: &Connection, request: &Request, e: LinkError) {
        let bluetooth = matches!(connection, Connection::Bluetooth(_));
        let before = self.status.get_untracked();
        let mut then = AfterFailure::Nothing;
        self.link
            .update(|l| then = l.failed(bluetooth, &e, request, before));
        match then {
            AfterFailure::Nothing => {}
            AfterFailure::NotPaired => self.not_paired(),
            AfterFailure::Reconnect => self.lost(),
            AfterFailure::Explain => {
                let after = self.after_failure(connection, request).await;
                self.notice.set(Some(Notice::Error(
                    format!("{e} {after}").trim().to_string(),
                )));
            }
        }
    }

    /// The board refused an unbonded link: back to the connect buttons, saying why.
    fn not_paired(self) {
        self.disconnect();
        self.notice
            .set(Some(Notice::Error(LinkError::NotPaired.to_string())));
    }

    /// The board dropped the link: try to reconnect; the board keeps its program.
    fn lost(self) {
        let Some(Some(notice)) = self.link.try_update(Link::lost) else {
            return;
        };
        self.note("link lost".into());
        self.notice.set(Some(notice));
        let generation = self.link.with_untracked(Link::generation);
        spawn_local(async move {
            for wait in RECONNECT_WAITS_MS {
                sleep(wait).await;
                if self.link.try_with_untracked(Link::generation) != Some(generation) {
                    return;
                }
                let Some(Some(connection)) = self.connection.try_get_value() else {
                    return;
                };
                let Connection::Bluetooth(session) = &*connection else {
                    return;
                };
                let attempt = within(CONNECT_MS, Step::Connect, session.link().reconnect());
                if attempt.await.is_ok() {
                    self.note("reconnected".into());
                    self.send(Request::GetStatus).await;
                    self.send(Request::GetProgramSet).await;
                    let (program, now) = (self.loaded.get_untracked(), self.status.get_untracked());
                    let notice = self
                        .link
                        .try_update(|l| l.reconnected(program.as_ref(), now));
                    self.notice.set(notice);
                    return;
                }
            }
            self.notice.set(self.link.try_update(Link::gave_up));
        });
    }

    /// A new connection: identify first (an unpaired board fails here), read the state,
    /// and (on the page clock) poll telemetry and events in the background.
    async fn connected(self, connection: Connection, poll: bool) {
        self.connection.set_value(Some(Rc::new(connection)));
        let generation = self.link.try_update(Link::connecting).unwrap_or_default();
        self.notice.set(None);
        if let Err(why) = self.identify().await {
            self.disconnect();
            self.notice.set(Some(Notice::Error(why)));
            return;
        }
        self.link.update(Link::identified);
        self.send(Request::GetStatus).await;
        self.send(Request::GetProgramSet).await;
        if poll {
            spawn_local(async move {
                loop {
                    sleep(POLL_MS).await;
                    match self
                        .link
                        .try_with_untracked(|l| (l.generation(), l.state()))
                    {
                        Some((g, _)) if g != generation => return,
                        None => return,
                        Some((_, LinkState::Connected)) => {}
                        Some(_) => continue,
                    }
                    let Some(Some(connection)) = self.connection.try_get_value() else {
                        return;
                    };
                    let result = connection.request(&Request::ReadTelemetry, true).await;
                    if let Ok(response) = &result {
                        self.apply(response);
                    }
                    let outcome = result.as_ref().map(|_| ());
                    if let Some(notice) = self
                        .notice
                        .with_untracked(|n| after_poll(n.as_ref(), outcome))
                    {
                        self.notice.set(Some(notice));
                    }
                    if let Err(LinkError::Lost) = result {
                        self.lost();
                    }
                }
            });
        }
    }

    /// The first request of a connection. A board refuses an unbonded central's writes
    /// (ATT "insufficient authentication"); browsers word that differently (Chromium's
    /// emulation: "GATT operation failed for unknown reason"), so any Bluetooth refusal
    /// of this first write, on a link that is up, reads as not paired, with the
    /// browser's words.
    async fn identify(self) -> Result<(), String> {
        let Some(connection) = self.connection.get_value() else {
            return Err(LinkError::Lost.to_string());
        };
        match connection.request(&Request::Identify, false).await {
            Ok(response @ Response::Identity(_)) => {
                self.apply(&response);
                Ok(())
            }
            Ok(other) => Err(format!(
                "The device did not say who it is; it answered: {other}"
            )),
            Err(LinkError::NotPaired) => Err(LinkError::NotPaired.to_string()),
            Err(LinkError::Bluetooth(why)) => {
                Err(format!("{} (Bluetooth said: {why})", LinkError::NotPaired))
            }
            Err(e) => Err(e.to_string()),
        }
    }

    /// The doorbell rang: read what waits (events).
    fn doorbell(self) {
        spawn_local(async move {
            if let Some(Some(connection)) = self.connection.try_get_value() {
                if let Err(LinkError::Lost) = connection.drain().await {
                    self.lost();
                }
            }
        });
    }

    /// Closes the link (a board is really disconnected) and clears the panels.
    fn disconnect(self) {
        self.link.update(Link::disconnected);
        if let Some(connection) = self.connection.get_value() {
            connection.close();
        }
        self.connection.set_value(None);
        self.identity.set(None);
        self.status.set(None);
        self.telemetry.set(None);
        self.loaded.set(None);
        self.notice.set(None);
        self.dial.set(Dial::default());
        self.note("disconnected".into());
    }
}

/// The engineer's console.
#[component]
pub fn DeviceMode() -> impl IntoView {
    let console = Console::new();
    // `?clock=step`: the virtual device's time moves 10 ms per chunk written, and nothing
    // polls, so a scripted session replays identically (the end-to-end tests use it).
    let stepped = crate::route::query_param("clock").as_deref() == Some("step");
    let clock = if stepped { Clock::Stepped } else { Clock::Host };
    let bluetooth_available = BluetoothLink::available();
    // Leaving Device mode closes the link, so no listener outlives the page's console.
    on_cleanup(move || {
        if let Some(Some(connection)) = console.connection.try_get_value() {
            connection.close();
        }
    });

    let connect_virtual = move |_| {
        spawn_local(console.connected(
            Connection::Virtual(Session::new(VirtualLink::new(clock), console.observer())),
            !stepped,
        ));
    };
    let connect_bluetooth = move |_| {
        spawn_local(async move {
            console.notice.set(Some(Notice::Info(
                "Choose your board in the browser's list…".into(),
            )));
            match BluetoothLink::choose_and_connect(
                move || console.lost(),
                move || console.doorbell(),
            )
            .await
            {
                Ok(link) => {
                    console.note(format!("connected to {}", link.name()));
                    console
                        .connected(
                            Connection::Bluetooth(Session::new(link, console.observer())),
                            !stepped,
                        )
                        .await;
                }
                Err(e) => console.notice.set(Some(Notice::Error(e.to_string()))),
            }
        });
    };

    view! {
        <section class="mode device" data-testid="mode-device" aria-labelledby="device-title">
            <h1 id="device-title">"Device"</h1>
            <p class="lead">"Control the virtual device, or an nRF52840-DK over Web Bluetooth from Chrome. Both answer the same protocol."</p>
            <NoticeArea notice=console.notice/>
            <EventList events=console.events/>
            <div class="device-grid">
            <div class="device-console">
            <Show
                when=move || console.link.with(Link::shows_console)
                fallback=move || view! {
                    <div class="panel connect">
                        <button class="button primary" data-testid="connect-virtual" on:click=connect_virtual>"Use the virtual device"</button>
                        <button class="button" data-testid="connect-bluetooth" on:click=connect_bluetooth disabled=!bluetooth_available>
                            "Connect a dev board (Bluetooth)"
                        </button>
                        {(!bluetooth_available).then(|| view! {
                            <p class="note" data-testid="no-bluetooth">{LinkError::NoWebBluetooth.to_string()}</p>
                        })}
                    </div>
                }
            >
                <ConnectedPanels console=console stepped=stepped/>
            </Show>
            </div>
            <DeviceLog log=console.log/>
            </div>
        </section>
    }
}

/// Identity, program, controls, status, telemetry and the emergency stop.
#[component]
fn ConnectedPanels(
    /// The console's state.
    console: Console,
    /// The stepped clock (no virtual Button 1: it would move the device's clock).
    stepped: bool,
) -> impl IntoView {
    let (preset, set_preset) = signal(0usize);
    let load = move |_| {
        let program = therapies()[preset.get_untracked()].1.clone();
        spawn_local(async move {
            let set = ProgramSet::new(LeadKind::Percutaneous8, &[program]);
            if let Some(Response::Done) = console.send(Request::LoadProgramSet(set)).await {
                console.notice.set(None);
                console.send(Request::GetProgramSet).await;
                console.send(Request::GetStatus).await;
            }
        });
    };
    let target = move || console.status.get().map_or(0, |s| s.target_ua[0]);
    let step = move |delta: i32| {
        let device_target = console.status.get_untracked().map_or(0, |s| s.target_ua[0]);
        let mut amplitude_ua = 0;
        console
            .dial
            .update(|d| amplitude_ua = d.press(delta, device_target));
        spawn_local(async move {
            let accepted = console
                .command(Request::SetAmplitude {
                    program: 0,
                    amplitude_ua,
                })
                .await;
            console.dial.try_update(|d| d.answered(accepted));
        });
    };
    let shown = move || console.dial.get().shown(target());
    let detail = move || {
        let status = console.status.get();
        let programmed = console
            .loaded
            .get()
            .and_then(|s| s.programs.first().map(|p| p.amplitude_ua));
        let mut parts = vec![];
        if let Some(p) = programmed {
            parts.push(format!("programmed {}", milliamps(p)));
        }
        if let Some(s) = status {
            parts.push(format!("target {}", milliamps(s.target_ua[0])));
            parts.push(format!("now {}", milliamps(s.amplitude_ua[0])));
        }
        if console.dial.get().pending() {
            parts.push(format!("sending {}", milliamps(shown())));
        }
        format!("Program 1: {}", parts.join(" · "))
    };
    let identity = move || {
        console.identity.get().map(|i| {
            let kind = match i.kind {
                DeviceKind::Virtual => "Virtual device",
                DeviceKind::DevBoard => "Dev board",
            };
            format!(
                "{kind} · protocol {} · firmware {}",
                i.protocol_version, i.firmware
            )
        })
    };
    let is_virtual = console
        .connection
        .with_value(|c| matches!(c.as_deref(), Some(Connection::Virtual(_))));
    let press_button_1 = move |_| {
        if let Some(connection) = console.connection.get_value() {
            if let Connection::Virtual(session) = &*connection {
                session.link().press_button_1();
                console.doorbell();
            }
        }
    };
    view! {
        <div class="panel">
            <p data-testid="identity">{identity}</p>
            <Show when=move || console.link.with(Link::state) == LinkState::Reconnecting>
                <p class="note" data-testid="reconnecting">"Reconnecting…"</p>
            </Show>
            <div class="controls">
                <button class="button" data-testid="disconnect" on:click=move |_| console.disconnect()>"Disconnect"</button>
                {(is_virtual && !stepped).then(|| view! {
                    <button class="button" data-testid="virtual-button-1" on:click=press_button_1
                        title="As the dev board's Button 1: an emergency stop at the device, which tells the app by an event">
                        "Press the board's Button 1"
                    </button>
                })}
            </div>
        </div>
        <div class="panel">
            <h2>"Program"</h2>
            <div class="controls">
                <label>
                    "Therapy "
                    <select data-testid="device-preset" on:change=move |ev| set_preset.set(event_target_value(&ev).parse().unwrap_or(0))>
                        {therapies().into_iter().enumerate().map(|(i, (label, _))| view! { <option value=i.to_string()>{label}</option> }).collect_view()}
                    </select>
                </label>
                <button class="button primary" data-testid="load" on:click=load>"Load"</button>
            </div>
            <p data-testid="loaded-program">{move || console.loaded.get().map_or("No program loaded.".into(), |s| SetInWords(&s).to_string())}</p>
        </div>
        <div class="panel">
            <h2>"Stimulation"</h2>
            <div class="controls">
                <button class="button primary" data-testid="start" on:click=move |_| spawn_local(async move { console.command(Request::Start).await; })>"Start"</button>
                <button class="button" data-testid="stop" on:click=move |_| spawn_local(async move { console.command(Request::Stop).await; })>"Stop"</button>
                <Show when=move || console.status.get().is_some_and(|s| matches!(s.state, State::EmergencyStopped | State::Fault))>
                    <button class="button" data-testid="clear-fault" on:click=move |_| spawn_local(async move { console.command(Request::ClearFaults).await; })>"Clear the stop"</button>
                </Show>
                <div class="amplitude" role="group" aria-label="Amplitude of program 1">
                    <button class="button" data-testid="amp-down" aria-label="Amplitude down 0.1 mA" on:click=move |_| step(-100)>"−"</button>
                    <output data-testid="amplitude" aria-live="polite">{move || milliamps(shown())}</output>
                    <button class="button" data-testid="amp-up" aria-label="Amplitude up 0.1 mA" on:click=move |_| step(100)>"+"</button>
                </div>
            </div>
            <p class="note" data-testid="amplitude-detail">{detail}</p>
        </div>
        <StatusPanel console=console/>
        <button class="button danger emergency" data-testid="emergency-stop" on:click=move |_| spawn_local(async move { console.command(Request::EmergencyStop).await; })>
            "Emergency stop"
        </button>
    }
}

/// The pulses the board's pin loader dropped, in words (from Telemetry).
fn dropped_words(count: u32) -> String {
    match count {
        0 => "none".into(),
        n => format!("{n} (each dropped whole by the board's pin loader, never played late)"),
    }
}

/// State, dose, battery, counters and impedances.
#[component]
fn StatusPanel(
    /// The console's state.
    console: Console,
) -> impl IntoView {
    let line = move |f: fn(&Status) -> String| {
        move || console.status.get().map_or("—".into(), |s| f(&s))
    };
    view! {
        <div class="panel" data-testid="status">
            <h2>"Status"</h2>
            <dl class="readings">
                <dt>"State"</dt><dd data-testid="device-state">{line(|s| state_words(s.state))}</dd>
                <dt>"Programs"</dt><dd>{line(|s| format!("{} loaded, {} selected", s.programs, s.selection))}</dd>
                <dt>"Amplitude now"</dt><dd>{line(|s| milliamps(s.amplitude_ua[0]))}</dd>
                <dt>"Battery"</dt><dd data-testid="battery">{line(|s| format!("{:.1} % · {:.1} h left", s.battery_permille as f64 / 10.0, s.battery_tenths_of_hours as f64 / 10.0))}</dd>
                <dt>"Pulses"</dt><dd data-testid="pulses">{line(|s| s.counters.pulses.to_string())}</dd>
                <dt>"Pulses dropped"</dt><dd data-testid="dropped-pulses">{move || console.telemetry.get().map_or("—".into(), |t| dropped_words(t.dropped_pulses))}</dd>
                <dt>"Charge delivered"</dt><dd>{line(|s| format!("{:.1} µC", s.counters.delivered.nanocoulombs() as f64 / 1_000.0))}</dd>
            </dl>
            <button class="button" data-testid="read-telemetry" on:click=move |_| { spawn_local(async move { console.send(Request::ReadTelemetry).await; }); }>
                "Read telemetry"
            </button>
            <Show when=move || console.telemetry.get().is_some()>
                <table class="impedance" data-testid="impedance">
                    <caption>"Contact impedance (model)"</caption>
                    <thead><tr><th scope="col">"Contact"</th><th scope="col">"Ω"</th></tr></thead>
                    <tbody>
                        {move || console.telemetry.get().map(|t| (0..CONTACT_SLOTS).filter(|&s| s < 8 || s == CONTACT_SLOTS - 1).map(|s| view! {
                            <tr><th scope="row">{ContactName(s).to_string()}</th><td>{t.impedance_ohms[s]}</td></tr>
                        }).collect_view())}
                    </tbody>
                </table>
            </Show>
        </div>
    }
}

/// The message area: errors interrupt (alert), information waits its turn (status).
#[component]
fn NoticeArea(
    /// The message shown, if any.
    notice: RwSignal<Option<Notice>>,
) -> impl IntoView {
    view! {
        <div class="notice-area" data-testid="device-message">
            {move || notice.get().map(|n| match n {
                Notice::Error(text) => view! { <p class="refusal" role="alert">{text}</p> }.into_any(),
                Notice::Info(text) => view! { <p class="info" role="status">{text}</p> }.into_any(),
            })}
        </div>
    }
}

/// What the board did unasked (events), newest first.
#[component]
fn EventList(
    /// (time, words), oldest first.
    events: RwSignal<Vec<(String, String)>>,
) -> impl IntoView {
    view! {
        <Show when=move || !events.get().is_empty()>
            <div class="panel events" role="status" data-testid="device-events">
                <h2>"Events from the device"</h2>
                <ul>
                    {move || events.get().into_iter().rev().take(5).map(|(time, text)| view! {
                        <li data-testid="device-event"><time>{time}</time>" "{text}</li>
                    }).collect_view()}
                </ul>
            </div>
        </Show>
    }
}

/// Saves `text` as a file through the browser's download.
fn download(name: &str, text: &str) -> Option<()> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/plain;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let anchor: web_sys::HtmlAnchorElement =
        document().create_element("a").ok()?.dyn_into().ok()?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Some(())
}

/// Every message both ways with its time and raw chunks; background polls hidden unless
/// asked for; follows the newest line unless the reader scrolled up; downloadable.
#[component]
fn DeviceLog(
    /// The lines, oldest first.
    log: RwSignal<Vec<Line>>,
) -> impl IntoView {
    let (show_polls, set_show_polls) = signal(false);
    let (show_hex, set_show_hex) = signal(true);
    let list = NodeRef::<html::Ol>::new();
    // Whether the reader is at the newest line (then new lines scroll into view).
    let following = StoredValue::new(true);
    let on_scroll = move |_| {
        if let Some(ol) = list.get_untracked() {
            let at_end = ol.scroll_top() + f64::from(ol.client_height())
                >= f64::from(ol.scroll_height()) - 8.0;
            following.set_value(at_end);
        }
    };
    Effect::new(move |_| {
        log.track();
        show_polls.track();
        if following.get_value() {
            request_animation_frame(move || {
                if let Some(ol) = list.get_untracked() {
                    ol.set_scroll_top(f64::from(ol.scroll_height()));
                }
            });
        }
    });
    let visible = move || {
        let polls = show_polls.get();
        log.get()
            .into_iter()
            .filter(|l| polls || !l.poll)
            .collect::<Vec<_>>()
    };
    let hidden = move || log.with(|l| l.iter().filter(|l| l.poll).count());
    let save = move |_| {
        let text = log.with_untracked(|l| log::export(l));
        let name = format!(
            "scs-studio-log-{}.txt",
            clock_time().replace([':', '.'], "-")
        );
        let _ = download(&name, &text);
    };
    view! {
        <details class="panel log" open>
            <summary>"Protocol log"</summary>
            <div class="log-tools controls">
                <label>
                    <input type="checkbox" data-testid="log-show-polls" prop:checked=show_polls
                        on:change=move |ev| set_show_polls.set(event_target_checked(&ev))/>
                    {move || format!(" Background polls ({})", hidden())}
                </label>
                <label>
                    <input type="checkbox" data-testid="log-show-hex" prop:checked=show_hex
                        on:change=move |ev| set_show_hex.set(event_target_checked(&ev))/>
                    " Raw chunks (hex)"
                </label>
                <button class="button" data-testid="log-download" on:click=save>"Download log"</button>
            </div>
            <ol data-testid="log" node_ref=list on:scroll=on_scroll tabindex="0" aria-label="Protocol log lines">
                <For each=visible key=|l| l.id let:line>
                    <li data-testid="log-line" class=format!("log-line {}", line.kind.class())>
                        <time class="log-time">{line.time.clone()}</time>" "
                        <span class="log-mark" aria-hidden="true">{line.kind.mark()}</span>" "
                        <span class="log-text" data-testid="log-text">{line.text.clone()}</span>
                        {line.poll.then(|| view! { <span class="log-poll">" (poll)"</span> })}
                        {(!line.hex.is_empty()).then(|| {
                            let chunks = line.hex.clone();
                            view! {
                                <Show when=move || show_hex.get()>
                                    <code class="log-hex" data-testid="log-hex">
                                        {chunks.iter().map(|c| view! { <span class="chunk">{c.clone()}</span> }).collect_view()}
                                    </code>
                                </Show>
                            }
                        })}
                    </li>
                </For>
            </ol>
        </details>
    }
}
