//! The protocol log: one line per message that travelled (both directions, with its raw
//! chunks in hex), per event, per chunk passed over and per failure, each with the time.

use stim_proto::messages::Event;

use crate::transport::session::Traffic;

/// The most lines kept (the oldest go first): about an hour of background polls.
pub const MAX_LINES: usize = 5_000;

/// What a line records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A request, written.
    Sent,
    /// A response, read.
    Received,
    /// An event the device sent unasked.
    Event,
    /// Chunks passed over (stray, stale, damaged).
    Skipped,
    /// A request that failed.
    Failed,
    /// What the app did (connected, reconnected).
    Note,
}

impl Kind {
    /// The mark at the start of the line.
    pub fn mark(self) -> &'static str {
        match self {
            Kind::Sent => "→",
            Kind::Received => "←",
            Kind::Event => "⚑",
            Kind::Skipped => "⤼",
            Kind::Failed => "✗",
            Kind::Note => "…",
        }
    }

    /// A CSS class for the line.
    pub fn class(self) -> &'static str {
        match self {
            Kind::Sent => "sent",
            Kind::Received => "received",
            Kind::Event => "event",
            Kind::Skipped => "skipped",
            Kind::Failed => "failed",
            Kind::Note => "note",
        }
    }
}

/// One line of the log.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// Its number (a key for the view).
    pub id: u64,
    /// When, as "HH:MM:SS.mmm".
    pub time: String,
    /// What it records.
    pub kind: Kind,
    /// The message in words.
    pub text: String,
    /// The chunks as they travelled, in hex ("00 81 0a …"), one per chunk.
    pub hex: Vec<String>,
    /// Part of a background poll.
    pub poll: bool,
}

impl Line {
    /// The line as text (for the export): time, mark, words, then the chunks.
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "{} {} {}{}",
            self.time,
            self.kind.mark(),
            self.text,
            if self.poll { " (poll)" } else { "" }
        );
        for chunk in &self.hex {
            out.push_str("\n    ");
            out.push_str(chunk);
        }
        out
    }
}

/// A chunk in hex, bytes apart.
pub fn hex(chunk: &[u8]) -> String {
    chunk
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// An event in words, for the user: what happened at the board.
pub fn event_text(event: &Event) -> String {
    let Event::StateChanged(status) = event;
    match status.state {
        stim_core::device::State::EmergencyStopped => {
            "Button 1 pressed on the board: stimulation stopped (emergency-stopped).".into()
        }
        state => format!("The board changed state by itself: it is now {state}."),
    }
}

/// What to log for `traffic`, given the line's number and time.
pub fn line(id: u64, time: String, traffic: &Traffic) -> Line {
    let chunks = |c: &[Vec<u8>]| c.iter().map(|c| hex(c)).collect();
    let (kind, text, hex, poll) = match traffic {
        Traffic::Sent {
            request,
            chunks: c,
            poll,
        } => (Kind::Sent, request.to_string(), chunks(c), *poll),
        Traffic::Received {
            response,
            chunks: c,
            poll,
        } => (Kind::Received, response.to_string(), chunks(c), *poll),
        Traffic::Event { event, chunks: c } => (
            Kind::Event,
            format!("{} ({})", event_text(event), event),
            chunks(c),
            false,
        ),
        Traffic::Skipped { chunks: c, why } => (
            Kind::Skipped,
            format!("Passed over: {why}"),
            chunks(c),
            false,
        ),
        Traffic::Failed {
            request,
            error,
            poll,
        } => (Kind::Failed, format!("{request}: {error}"), vec![], *poll),
    };
    Line {
        id,
        time,
        kind,
        text,
        hex,
        poll,
    }
}

/// The whole log as text, for the download.
pub fn export(lines: &[Line]) -> String {
    let mut out = String::from("SCS Studio protocol log\n");
    for line in lines {
        out.push_str(&line.to_text());
        out.push('\n');
    }
    out
}

/// Appends `line`, dropping the oldest beyond [`MAX_LINES`].
pub fn push(lines: &mut Vec<Line>, line: Line) {
    if lines.len() >= MAX_LINES {
        lines.drain(..lines.len() + 1 - MAX_LINES);
    }
    lines.push(line);
}
