//! The board's command handling, through the same chunks a central writes: the access
//! policy in front, stim-core's checks again on the device, the emergency stop button and
//! the link-loss rule.

use proptest::prelude::*;
use stim_core::audit::Audit;
use stim_core::device::State;
use stim_core::error::SafetyError;
use stim_core::lead::LeadKind;
use stim_core::presets;
use stim_core::program::{Program, ProgramSet};
use stim_fw::access::{Denial, LinkSecurity};
use stim_fw::stimulator::{Stimulator, CHUNK};
use stim_proto::client::{Client, Incoming};
use stim_proto::messages::{Event, Request, Response};

const BONDED: LinkSecurity = LinkSecurity {
    encrypted: true,
    bonded: true,
};

/// A central on a link with `security`, talking to the board as the app does.
struct Central {
    client: Client,
    security: LinkSecurity,
}

impl Central {
    fn new(security: LinkSecurity) -> Self {
        Central {
            client: Client::new(),
            security,
        }
    }

    fn ask(&mut self, board: &mut Stimulator, now: u64, request: &Request) -> Response {
        self.ask_playing(board, now, request, &mut Audit::default())
    }

    /// Asks, with what the board plays meanwhile counted in `audit`.
    fn ask_playing(
        &mut self,
        board: &mut Stimulator,
        now: u64,
        request: &Request,
        audit: &mut Audit,
    ) -> Response {
        for chunk in self.client.request(request, CHUNK).unwrap() {
            board
                .write(now, self.security, &chunk, |e| audit.record(e))
                .unwrap();
        }
        loop {
            let chunk = board.read(self.security).unwrap().expect("a reply waits");
            if let Some(Incoming::Response(r)) = self.client.receive(&chunk).unwrap() {
                return r;
            }
        }
    }
}

fn set_of(program: Program) -> ProgramSet {
    ProgramSet::new(LeadKind::Percutaneous8, &[program])
}

/// A board running the tonic preset at 2 mA, loaded by a bonded central.
fn running_board() -> (Stimulator, Central) {
    let mut board = Stimulator::new(0, "0.1.0");
    let mut central = Central::new(BONDED);
    let load = Request::LoadProgramSet(set_of(presets::tonic_bipole()));
    assert_eq!(central.ask(&mut board, 1_000, &load), Response::Done);
    assert_eq!(
        central.ask(&mut board, 2_000, &Request::Start),
        Response::Done
    );
    assert_eq!(board.status().state, State::Running);
    (board, central)
}

#[test]
fn an_unbonded_or_unencrypted_central_cannot_command_or_read_replies() {
    let mut board = Stimulator::new(0, "0.1.0");
    let mut stranger = Client::new();
    for (security, denial) in [
        (LinkSecurity::default(), Denial::NotBonded),
        (
            LinkSecurity {
                encrypted: false,
                bonded: true,
            },
            Denial::NotEncrypted,
        ),
    ] {
        for chunk in stranger.request(&Request::Start, CHUNK).unwrap() {
            assert_eq!(board.write(0, security, &chunk, |_| {}), Err(denial));
        }
        assert_eq!(board.read(security), Err(denial));
    }
    // Nothing reached the device: a bonded central finds no reply waiting.
    assert_eq!(board.read(BONDED), Ok(None));
    assert_eq!(board.status().state, State::Idle);
}

#[test]
fn the_board_validates_every_program_set_again_and_keeps_the_running_one() {
    let (mut board, mut central) = running_board();
    // A set no app would send: 6 mA for 1 ms is over the charge density limit.
    let mut unsafe_program = presets::tonic_bipole();
    unsafe_program.amplitude_ua = 6_000;
    unsafe_program.waveform = stim_core::program::Waveform::Tonic {
        rate_hz: 50,
        width_us: 1_000,
    };
    let refused = central.ask(
        &mut board,
        3_000,
        &Request::LoadProgramSet(set_of(unsafe_program)),
    );
    match refused {
        Response::Refused(stim_core::device::CommandError::Unsafe(e)) => assert!(
            matches!(
                e,
                SafetyError::ChargeDensity { .. } | SafetyError::Shannon { .. }
            ),
            "{e:?}"
        ),
        other => panic!("refused expected, got {other:?}"),
    }
    assert_eq!(board.status().state, State::Running);
    assert_eq!(
        board.device().program_set(),
        Some(&set_of(presets::tonic_bipole())),
        "the last good program stays"
    );
}

#[test]
fn button_1_stops_at_once_and_tells_the_central() {
    let (mut board, mut central) = running_board();
    assert!(
        !board.take_doorbell(),
        "replies to writes ring with the write"
    );
    board.emergency_stop(5_000, |_| {});
    assert_eq!(board.status().state, State::EmergencyStopped);
    assert!(
        board.take_doorbell(),
        "the button's event rings the doorbell"
    );
    assert!(!board.take_doorbell(), "once");
    let chunk = board.read(BONDED).unwrap().expect("an event waits");
    let mut event = central.client.receive(&chunk).unwrap();
    while event.is_none() {
        let chunk = board.read(BONDED).unwrap().unwrap();
        event = central.client.receive(&chunk).unwrap();
    }
    match event {
        Some(Incoming::Event(Event::StateChanged(status))) => {
            assert_eq!(status.state, State::EmergencyStopped)
        }
        other => panic!("a state event expected, got {other:?}"),
    }
    // Nothing plays after the stop.
    let mut phases = 0;
    board.advance(1_000_000, |_| phases += 1);
    assert_eq!(phases, 0);
}

#[test]
fn a_lost_link_keeps_the_program_running_and_reverts_a_test_amplitude() {
    let (mut board, mut central) = running_board();
    let test = Request::SetAmplitude {
        program: 0,
        amplitude_ua: 3_000,
    };
    assert_eq!(central.ask(&mut board, 10_000, &test), Response::Done);
    assert_eq!(board.status().target_ua[0], 3_000);
    // A request half-written when the link dropped, and a reply nobody read.
    let pending = central.client.request(&Request::GetStatus, CHUNK).unwrap();
    board.write(11_000, BONDED, &pending[0], |_| {}).unwrap();
    board.link_lost(12_000, |_| {});
    let status = board.status();
    assert_eq!(status.state, State::Running, "the program keeps running");
    assert_eq!(status.target_ua[0], 2_000, "back to the programmed 2 mA");
    assert_eq!(
        board.read(BONDED),
        Ok(None),
        "no stale reply for the next central"
    );
    // The next central starts clean.
    let mut next = Central::new(BONDED);
    match next.ask(&mut board, 20_000, &Request::GetStatus) {
        Response::Status(s) => assert_eq!(s.target_ua[0], 2_000),
        other => panic!("status expected, got {other:?}"),
    }
}

#[test]
fn a_lost_link_without_a_test_setting_changes_nothing() {
    let (mut board, _) = running_board();
    let before = board.status();
    board.link_lost(12_000, |_| {});
    assert_eq!(board.status().target_ua, before.target_ua);
    assert_eq!(board.status().state, State::Running);
}

/// What a session with a board can bring, for the property below.
#[derive(Clone, Debug)]
enum Happening {
    Request(Box<Request>),
    Button1,
    LinkLost,
}

fn happening() -> impl Strategy<Value = Happening> {
    let sets: Vec<ProgramSet> = [
        presets::tonic_bipole(),
        presets::classic_burst(),
        presets::ten_khz(),
        presets::custom_asymmetric(),
    ]
    .into_iter()
    .map(|p| {
        let mut set = set_of(p);
        set.soft_start_ms = 300;
        set
    })
    .collect();
    prop_oneof![
        2 => prop::sample::select(sets).prop_map(|s| Happening::Request(Box::new(Request::LoadProgramSet(s)))),
        3 => Just(Happening::Request(Box::new(Request::Start))),
        2 => Just(Happening::Request(Box::new(Request::Stop))),
        4 => (0u32..=6_000).prop_map(|a| Happening::Request(Box::new(Request::SetAmplitude { program: 0, amplitude_ua: a }))),
        1 => Just(Happening::Request(Box::new(Request::EmergencyStop))),
        1 => Just(Happening::Request(Box::new(Request::ClearFaults))),
        1 => Just(Happening::Button1),
        2 => Just(Happening::LinkLost),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Whatever a central asks, whenever Button 1 is pressed or the link drops, the board
    /// ends every pulse balanced: after a last stop, within one period (50 ms here) plus
    /// one discharge, every contact's net charge is zero to the femtocoulomb.
    #[test]
    fn the_board_leaves_every_contact_neutral_whatever_happens(
        session in proptest::collection::vec((0u64..30_000, happening()), 1..25),
        last in prop::sample::select(vec![Happening::Request(Box::new(Request::Stop)), Happening::Button1]),
    ) {
        let mut board = Stimulator::new(0, "0.1.0");
        let mut central = Central::new(BONDED);
        let mut audit = Audit::default();
        let mut now = 1_000;
        for (dt, happening) in session.iter().chain([(5_000, last)].iter()) {
            // The pulse tick and the link each move time: a command may come before or
            // after the tick, so the board is advanced only now and then.
            now += dt;
            if dt % 2 == 0 {
                board.advance(now, |e| audit.record(e));
            }
            match happening {
                Happening::Request(request) => {
                    central.ask_playing(&mut board, now, request, &mut audit);
                }
                Happening::Button1 => board.emergency_stop(now, |e| audit.record(e)),
                Happening::LinkLost => {
                    board.link_lost(now, |e| audit.record(e));
                    central = Central::new(BONDED);
                }
            }
        }
        // The slowest preset's period is 25 ms (burst, 40 Hz); its largest discharge is
        // 5 ms of charge at 10 %: 50 ms. A soft stop is not programmed.
        board.advance(now + 100_000, |e| audit.record(e));
        prop_assert!(audit.is_neutral(), "net charge left: {:?}", (0..17).map(|s| audit.net_fc(s)).collect::<Vec<_>>());
    }
}

#[test]
fn a_status_read_between_two_pulse_ticks_loses_no_phase() {
    // The pulse tick played the stimulating phase and the gap (2000–2220 µs); a status
    // read comes at 2500 µs, before the next tick: the recharge at 2220 µs still reaches
    // the pins.
    let (mut board, mut central) = running_board();
    let mut audit = Audit::default();
    board.advance(2_210, |e| audit.record(e));
    central.ask_playing(&mut board, 2_500, &Request::GetStatus, &mut audit);
    board.advance(1_000_000, |e| audit.record(e));
    assert!(audit.is_neutral(), "E4 keeps {} fC", audit.net_fc(3));
}
