//! Where the link to a stimulator stands and what each happening on it means: the
//! connection's state machine, apart from the view (`modes/device.rs` only carries out what
//! it decides). Disconnected → Connecting (identity not read yet) → Connected; a lost
//! Bluetooth link goes Reconnecting, and back to Connected or, after the last attempt,
//! Disconnected. Every connect and disconnect starts a new *generation*, so a loop of an
//! older connection (a poll, a reconnection) knows to stop. A command the link dropped
//! under is remembered with the status before it and judged once the board answers again.

use stim_core::device::Status;
use stim_core::program::ProgramSet;
use stim_proto::messages::{Request, SetInWords};

use super::outcome::{unknown, verdict};
use crate::transport::LinkError;

/// Reconnection attempts after a link loss, with their waits (ms).
pub const RECONNECT_WAITS_MS: [i32; 5] = [300, 1_000, 2_000, 4_000, 8_000];
/// How a failed background read begins (so a later good one can say it is over).
const POLL_FAILED: &str = "The background status read failed:";

/// Where the link stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkState {
    /// No device.
    Disconnected,
    /// Connected, identity not read yet: the console is not shown.
    Connecting,
    /// Identified: commands go through.
    Connected,
    /// The Bluetooth link dropped; the app is trying to get it back.
    Reconnecting,
}

/// A message for the user: an error (role alert) or information (role status).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// Something failed or was refused.
    Error(String),
    /// Something the user should know.
    Info(String),
}

/// What to do after a request failed on the link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterFailure {
    /// Nothing: the emergency stop that pre-empted it reports for itself.
    Nothing,
    /// The board refused an unbonded link: disconnect and say so.
    NotPaired,
    /// The link dropped under it: reconnect; the command is judged once reconnected.
    Reconnect,
    /// Read the status again and say whether it took effect.
    Explain,
}

/// The connection's state machine.
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    state: LinkState,
    generation: u32,
    /// A command the link dropped under, with the status before it.
    unresolved: Option<(Request, Option<Status>)>,
}

impl Default for Link {
    /// Disconnected, generation 0.
    fn default() -> Link {
        Link {
            state: LinkState::Disconnected,
            generation: 0,
            unresolved: None,
        }
    }
}

impl Link {
    /// Where the link stands.
    pub fn state(&self) -> LinkState {
        self.state
    }

    /// Whether the console (commands, status) is shown: connected, or reconnecting with
    /// the last state on screen.
    pub fn shows_console(&self) -> bool {
        matches!(self.state, LinkState::Connected | LinkState::Reconnecting)
    }

    /// The current generation (see the module doc).
    pub fn generation(&self) -> u32 {
        self.generation
    }

    /// A new connection begins: a new generation, identity still to read.
    pub fn connecting(&mut self) -> u32 {
        self.generation += 1;
        self.state = LinkState::Connecting;
        self.unresolved = None;
        self.generation
    }

    /// The device said who it is.
    pub fn identified(&mut self) {
        self.state = LinkState::Connected;
    }

    /// Closed by the user or after a refusal: a new generation, nothing left to judge.
    pub fn disconnected(&mut self) {
        self.generation += 1;
        self.state = LinkState::Disconnected;
        self.unresolved = None;
    }

    /// What a failure of `request` on the link means. `bluetooth`: the link is a board's
    /// (the virtual device never drops); `before`: the status shown before the request.
    pub fn failed(
        &mut self,
        bluetooth: bool,
        error: &LinkError,
        request: &Request,
        before: Option<Status>,
    ) -> AfterFailure {
        let dropped = *error == LinkError::Lost && self.state == LinkState::Connected
            || self.state == LinkState::Reconnecting;
        match error {
            LinkError::Preempted => AfterFailure::Nothing,
            LinkError::NotPaired => AfterFailure::NotPaired,
            _ if bluetooth && dropped => {
                if super::outcome::subject(request).is_some() {
                    self.unresolved = Some((request.clone(), before));
                }
                AfterFailure::Reconnect
            }
            _ => AfterFailure::Explain,
        }
    }

    /// The board dropped the link: start reconnecting, with the words to show; `None`
    /// when the link was not up (already reconnecting, or closed).
    pub fn lost(&mut self) -> Option<Notice> {
        if self.state != LinkState::Connected {
            return None;
        }
        self.state = LinkState::Reconnecting;
        let pending = self
            .unresolved
            .as_ref()
            .and_then(|(r, _)| unknown(r))
            .map_or(String::new(), |u| format!(" {u}"));
        Some(Notice::Error(format!(
            "The connection to the board was lost. Reconnecting… The board keeps running its last confirmed program.{pending}"
        )))
    }

    /// The link is back; `program` and `now` are what the board then reports. Says what
    /// it kept, and whether a command the link dropped under took effect.
    pub fn reconnected(&mut self, program: Option<&ProgramSet>, now: Option<Status>) -> Notice {
        self.state = LinkState::Connected;
        let program = program.map_or("no program".into(), |s| SetInWords(s).to_string());
        let state = now.map_or("in an unknown state".into(), |s| s.state.to_string());
        let judged = match (self.unresolved.take(), now) {
            (Some((request, before)), Some(now)) => {
                verdict(&request, before.as_ref(), &now).map(|v| format!(" {v}"))
            }
            _ => None,
        };
        Notice::Info(format!(
            "Reconnected. The board kept its program ({program}); it is {state}.{}",
            judged.unwrap_or_default()
        ))
    }

    /// The last reconnection attempt failed.
    pub fn gave_up(&mut self) -> Notice {
        self.state = LinkState::Disconnected;
        self.unresolved = None;
        Notice::Error(
            "Could not reconnect to the board. It keeps running its last confirmed program; connect again when it is in range.".into(),
        )
    }
}

/// The notice after a background read: a failure says so (the last state stays on
/// screen), a success after a failure says it is over; otherwise the notice stays.
pub fn after_poll(shown: Option<&Notice>, result: Result<(), &LinkError>) -> Option<Notice> {
    match result {
        Ok(()) => shown
            .is_some_and(|n| matches!(n, Notice::Error(t) if t.starts_with(POLL_FAILED)))
            .then(|| Notice::Info("The device answers again.".into())),
        Err(LinkError::Lost | LinkError::Preempted) => None,
        Err(e) => Some(Notice::Error(format!(
            "{POLL_FAILED} {e} The last state the device reported stays on screen."
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stim_core::device::{Counters, Selection, State, Status};
    use wasm_bindgen_test::wasm_bindgen_test;

    fn running(amplitude_ua: u32) -> Status {
        Status {
            state: State::Running,
            selection: Selection::All,
            programs: 1,
            amplitude_ua: [amplitude_ua, 0, 0, 0],
            target_ua: [amplitude_ua, 0, 0, 0],
            battery_permille: 900,
            battery_tenths_of_hours: 100,
            counters: Counters::default(),
        }
    }

    fn connected() -> Link {
        let mut link = Link::default();
        link.connecting();
        link.identified();
        link
    }

    #[wasm_bindgen_test]
    fn a_connection_is_shown_only_once_identified_and_each_one_is_a_new_generation() {
        let mut link = Link::default();
        let first = link.connecting();
        assert!(!link.shows_console(), "identity not read yet");
        link.identified();
        assert!(link.shows_console());
        link.disconnected();
        assert_eq!(link.state(), LinkState::Disconnected);
        assert!(
            link.connecting() > first,
            "an old poll loop sees it is stale"
        );
    }

    #[wasm_bindgen_test]
    fn a_command_the_board_dropped_under_is_judged_once_reconnected() {
        let mut link = connected();
        let request = Request::SetAmplitude {
            program: 0,
            amplitude_ua: 2_500,
        };
        let before = Some(running(2_000));
        assert_eq!(
            link.failed(true, &LinkError::Lost, &request, before),
            AfterFailure::Reconnect
        );
        let Some(Notice::Error(lost)) = link.lost() else {
            panic!("a lost link says so");
        };
        assert!(
            lost.contains("keeps running its last confirmed program"),
            "{lost}"
        );
        assert_eq!(link.lost(), None, "said once");
        assert!(link.shows_console(), "the last state stays on screen");
        let Notice::Info(back) = link.reconnected(None, Some(running(2_000))) else {
            panic!("reconnecting is good news");
        };
        assert!(
            back.starts_with("Reconnected. The board kept its program (no program)"),
            "{back}"
        );
        assert!(
            back.contains("2.0 mA"),
            "the dropped change is judged: {back}"
        );
        assert_eq!(link.state(), LinkState::Connected);
    }

    #[wasm_bindgen_test]
    fn failures_that_are_not_a_lost_board_are_explained_or_passed_over() {
        let mut link = connected();
        let read = Request::GetStatus;
        assert_eq!(
            link.failed(true, &LinkError::Preempted, &read, None),
            AfterFailure::Nothing
        );
        assert_eq!(
            link.failed(true, &LinkError::NotPaired, &read, None),
            AfterFailure::NotPaired
        );
        assert_eq!(
            link.failed(false, &LinkError::Lost, &read, None),
            AfterFailure::Explain,
            "the virtual device does not reconnect"
        );
        let Notice::Error(words) = link.gave_up() else {
            panic!("giving up is an error");
        };
        assert!(words.starts_with("Could not reconnect"), "{words}");
        assert_eq!(link.state(), LinkState::Disconnected);
    }

    #[wasm_bindgen_test]
    fn a_good_poll_after_a_failed_one_says_the_device_answers_again() {
        let failed = after_poll(
            None,
            Err(&LinkError::Timeout(crate::transport::Step::Read, 2_000)),
        );
        let Some(Notice::Error(words)) = &failed else {
            panic!("a failed poll says so");
        };
        assert!(words.contains("stays on screen"), "{words}");
        assert_eq!(
            after_poll(failed.as_ref(), Ok(())),
            Some(Notice::Info("The device answers again.".into()))
        );
        assert_eq!(after_poll(None, Ok(())), None, "nothing to say");
        assert_eq!(
            after_poll(None, Err(&LinkError::Lost)),
            None,
            "reconnection speaks"
        );
    }
}
