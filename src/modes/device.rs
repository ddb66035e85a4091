//! Device mode: connect the virtual device or a dev board, program it, watch telemetry.
//!
//! Every action goes through the protocol (stim-proto) to a device server, in the page or
//! on the board; refusals and link failures are shown in words, and nothing the user typed
//! or chose is lost when a request fails.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use stim_core::contacts::{ContactName, CONTACT_SLOTS};
use stim_core::device::{State, Status};
use stim_core::lead::LeadKind;
use stim_core::presets;
use stim_core::program::{Program, ProgramSet};
use stim_proto::messages::{DeviceKind, Identity, Request, Response, Telemetry};
use stim_proto::server::Clock;

use crate::transport::bluetooth::BluetoothLink;
use crate::transport::session::{describe_request, describe_response, describe_set, Session};
use crate::transport::virtual_device::VirtualLink;
use crate::transport::{sleep, Connection, LinkError};

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

/// How often telemetry is read while connected (not in stepped-clock mode), ms.
const POLL_MS: i32 = 1_000;
/// Reconnection attempts after a link loss, with their waits (ms).
const RECONNECT_WAITS_MS: [i32; 5] = [300, 1_000, 2_000, 4_000, 8_000];

/// Where the link stands.
#[derive(Clone, Copy, Debug, PartialEq)]
enum LinkState {
    Disconnected,
    Connected,
    Reconnecting,
}

/// A message for the user: an error (role alert) or information (role status).
#[derive(Clone, Debug, PartialEq)]
enum Notice {
    Error(String),
    Info(String),
}

/// The shared state of Device mode, handed to its event handlers.
#[derive(Clone, Copy)]
struct Console {
    connection: StoredValue<Option<Rc<Connection>>, LocalStorage>,
    link: RwSignal<LinkState>,
    identity: RwSignal<Option<Identity>>,
    status: RwSignal<Option<Status>>,
    telemetry: RwSignal<Option<Telemetry>>,
    loaded: RwSignal<Option<ProgramSet>>,
    log: RwSignal<Vec<String>>,
    notice: RwSignal<Option<Notice>>,
    /// Bumped on every connect and disconnect, so an old polling loop knows to stop.
    generation: RwSignal<u32>,
}

impl Console {
    fn new() -> Self {
        Console {
            connection: StoredValue::new_local(None),
            link: RwSignal::new(LinkState::Disconnected),
            identity: RwSignal::new(None),
            status: RwSignal::new(None),
            telemetry: RwSignal::new(None),
            loaded: RwSignal::new(None),
            log: RwSignal::new(vec![]),
            notice: RwSignal::new(None),
            generation: RwSignal::new(0),
        }
    }

    /// Sends `request`, logs both ways, shows refusals and failures in words.
    async fn send(self, request: Request) -> Option<Response> {
        let connection = self.connection.get_value()?;
        self.log
            .update(|l| l.push(format!("→ {}", describe_request(&request))));
        match connection.request(&request).await {
            Ok(response) => {
                self.log
                    .update(|l| l.push(format!("← {}", describe_response(&response))));
                match &response {
                    Response::Refused(e) => self.notice.set(Some(Notice::Error(e.to_string()))),
                    Response::Rejected(e) => self.notice.set(Some(Notice::Error(format!(
                        "The device could not read the request. {e}"
                    )))),
                    _ => {}
                }
                self.apply(&response);
                Some(response)
            }
            Err(e) => {
                self.log.update(|l| l.push(format!("✗ {e}")));
                self.failed(e);
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

    /// A command, then the status it left the device in.
    async fn command(self, request: Request) {
        if let Some(Response::Done) = self.send(request).await {
            self.notice.set(None);
            self.send(Request::GetStatus).await;
        }
    }

    fn failed(self, e: LinkError) {
        match (e, self.connection.get_value().as_deref()) {
            (LinkError::Lost, Some(Connection::Bluetooth(_))) => self.lost(),
            (e, _) => self.notice.set(Some(Notice::Error(e.to_string()))),
        }
    }

    /// The board dropped the link: try to reconnect; the board keeps its program.
    fn lost(self) {
        if self.link.get_untracked() != LinkState::Connected {
            return;
        }
        self.link.set(LinkState::Reconnecting);
        self.notice.set(Some(Notice::Error(
            "The connection to the board was lost. Reconnecting… The board keeps running its last confirmed program.".into(),
        )));
        spawn_local(async move {
            for wait in RECONNECT_WAITS_MS {
                sleep(wait).await;
                let Some(connection) = self.connection.get_value() else {
                    return;
                };
                let Connection::Bluetooth(session) = &*connection else {
                    return;
                };
                if session.link().reconnect().await.is_ok() {
                    self.link.set(LinkState::Connected);
                    self.log.update(|l| l.push("… reconnected".into()));
                    self.send(Request::GetStatus).await;
                    self.send(Request::GetProgramSet).await;
                    let program = self
                        .loaded
                        .get_untracked()
                        .map_or("no program".into(), |s| describe_set(&s));
                    let state = self
                        .status
                        .get_untracked()
                        .map_or("unknown".into(), |s| format!("{:?}", s.state));
                    self.notice.set(Some(Notice::Info(format!(
                        "Reconnected. The board kept its program ({program}); it is {state}."
                    ))));
                    return;
                }
            }
            self.link.set(LinkState::Disconnected);
            self.notice.set(Some(Notice::Error(
                "Could not reconnect to the board. It keeps running its last confirmed program; connect again when it is in range.".into(),
            )));
        });
    }

    /// A new connection: identify, read the state, and (on the page clock) poll telemetry.
    async fn connected(self, connection: Connection, poll: bool) {
        self.connection.set_value(Some(Rc::new(connection)));
        self.generation.update(|g| *g += 1);
        self.link.set(LinkState::Connected);
        self.notice.set(None);
        self.send(Request::Identify).await;
        self.send(Request::GetStatus).await;
        self.send(Request::GetProgramSet).await;
        if poll {
            let generation = self.generation.get_untracked();
            spawn_local(async move {
                loop {
                    sleep(POLL_MS).await;
                    if self.generation.get_untracked() != generation {
                        return;
                    }
                    if self.link.get_untracked() != LinkState::Connected {
                        continue;
                    }
                    // Not logged: the log keeps what the user did.
                    if let Some(connection) = self.connection.get_value() {
                        match connection.request(&Request::ReadTelemetry).await {
                            Ok(response) => self.apply(&response),
                            Err(e) => self.failed(e),
                        }
                    }
                }
            });
        }
    }

    fn disconnect(self) {
        self.generation.update(|g| *g += 1);
        self.connection.set_value(None);
        self.link.set(LinkState::Disconnected);
        self.identity.set(None);
        self.status.set(None);
        self.telemetry.set(None);
        self.loaded.set(None);
        self.notice.set(None);
    }
}

/// The engineer's console.
#[component]
pub fn DeviceMode() -> impl IntoView {
    let console = Console::new();
    // `?clock=step`: the virtual device's time moves 10 ms per chunk written, and nothing
    // polls, so a scripted session replays identically (the end-to-end tests use it).
    let stepped = use_query_map().with_untracked(|q| q.get("clock").as_deref() == Some("step"));
    let clock = if stepped { Clock::Stepped } else { Clock::Host };
    let bluetooth_available = BluetoothLink::available();

    let connect_virtual = move |_| {
        spawn_local(console.connected(
            Connection::Virtual(Session::new(VirtualLink::new(clock))),
            !stepped,
        ));
    };
    let connect_bluetooth = move |_| {
        spawn_local(async move {
            console.notice.set(Some(Notice::Info(
                "Choose your board in the browser's list…".into(),
            )));
            match BluetoothLink::choose_and_connect(move || console.lost()).await {
                Ok(link) => {
                    console
                        .log
                        .update(|l| l.push(format!("… connected to {}", link.name())));
                    console
                        .connected(Connection::Bluetooth(Session::new(link)), !stepped)
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
            <Show
                when=move || console.link.get() != LinkState::Disconnected
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
                <ConnectedPanels console=console/>
            </Show>
            <DeviceLog log=console.log/>
        </section>
    }
}

/// Identity, program, controls, status, telemetry and the emergency stop.
#[component]
fn ConnectedPanels(console: Console) -> impl IntoView {
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
        let amplitude_ua = (target() as i32 + delta).max(0) as u32;
        spawn_local(console.command(Request::SetAmplitude {
            program: 0,
            amplitude_ua,
        }));
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
    view! {
        <div class="panel">
            <p data-testid="identity">{identity}</p>
            <Show when=move || console.link.get() == LinkState::Reconnecting>
                <p class="note" data-testid="reconnecting">"Reconnecting…"</p>
            </Show>
            <button class="button" data-testid="disconnect" on:click=move |_| console.disconnect()>"Disconnect"</button>
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
            <p data-testid="loaded-program">{move || console.loaded.get().map_or("No program loaded.".into(), |s| describe_set(&s))}</p>
        </div>
        <div class="panel">
            <h2>"Stimulation"</h2>
            <div class="controls">
                <button class="button primary" data-testid="start" on:click=move |_| spawn_local(console.command(Request::Start))>"Start"</button>
                <button class="button" data-testid="stop" on:click=move |_| spawn_local(console.command(Request::Stop))>"Stop"</button>
                <div class="amplitude" role="group" aria-label="Amplitude">
                    <button class="button" data-testid="amp-down" aria-label="Amplitude down 0.1 mA" on:click=move |_| step(-100)>"−"</button>
                    <output data-testid="amplitude" aria-live="polite">{move || format!("{:.1} mA", target() as f64 / 1_000.0)}</output>
                    <button class="button" data-testid="amp-up" aria-label="Amplitude up 0.1 mA" on:click=move |_| step(100)>"+"</button>
                </div>
            </div>
        </div>
        <StatusPanel console=console/>
        <button class="button danger emergency" data-testid="emergency-stop" on:click=move |_| spawn_local(console.command(Request::EmergencyStop))>
            "Emergency stop"
        </button>
        <Show when=move || console.status.get().is_some_and(|s| matches!(s.state, State::EmergencyStopped | State::Fault))>
            <button class="button" data-testid="clear-fault" on:click=move |_| spawn_local(console.command(Request::ClearFaults))>"Clear the stop"</button>
        </Show>
    }
}

/// State, dose, battery, counters and impedances.
#[component]
fn StatusPanel(console: Console) -> impl IntoView {
    let line = move |f: fn(&Status) -> String| {
        move || console.status.get().map_or("—".into(), |s| f(&s))
    };
    view! {
        <div class="panel" data-testid="status">
            <h2>"Status"</h2>
            <dl class="readings">
                <dt>"State"</dt><dd data-testid="device-state">{line(|s| format!("{:?}", s.state))}</dd>
                <dt>"Amplitude now"</dt><dd>{line(|s| format!("{:.1} mA", s.amplitude_ua[0] as f64 / 1_000.0))}</dd>
                <dt>"Battery"</dt><dd data-testid="battery">{line(|s| format!("{:.1} % · {:.1} h left", s.battery_permille as f64 / 10.0, s.battery_tenths_of_hours as f64 / 10.0))}</dd>
                <dt>"Pulses"</dt><dd data-testid="pulses">{line(|s| s.counters.pulses.to_string())}</dd>
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
fn NoticeArea(notice: RwSignal<Option<Notice>>) -> impl IntoView {
    view! {
        <div class="notice-area" data-testid="device-message">
            {move || notice.get().map(|n| match n {
                Notice::Error(text) => view! { <p class="refusal" role="alert">{text}</p> }.into_any(),
                Notice::Info(text) => view! { <p class="info" role="status">{text}</p> }.into_any(),
            })}
        </div>
    }
}

/// Every request and response, in order.
#[component]
fn DeviceLog(log: RwSignal<Vec<String>>) -> impl IntoView {
    view! {
        <details class="panel log" open>
            <summary>"Protocol log"</summary>
            <ol data-testid="log">
                {move || log.get().into_iter().map(|line| view! { <li data-testid="log-line">{line}</li> }).collect_view()}
            </ol>
        </details>
    }
}
