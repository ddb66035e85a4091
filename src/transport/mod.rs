//! How the app talks to a stimulator: a [`Link`] moves protocol chunks (the virtual device
//! in the page, or a board over Web Bluetooth) and a [`session::Session`] speaks the
//! protocol over either, so both paths run the same client code.

use std::fmt;
use std::future::Future;

use futures::future::{select, Either};
use stim_proto::wire::WireError;

pub mod bluetooth;
pub mod session;
pub mod turns;
pub mod virtual_device;

/// A carrier of protocol chunks: the command characteristic one way, the event
/// characteristic the other.
// The app is single-threaded wasm: no caller needs the futures to be Send.
#[allow(async_fn_in_trait)]
pub trait Link {
    /// Writes one chunk (write with response).
    async fn write(&self, chunk: &[u8]) -> Result<(), LinkError>;
    /// Reads the next chunk; empty when nothing waits yet.
    async fn read(&self) -> Result<Vec<u8>, LinkError>;
}

/// One step of an exchange, named in messages about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Writing a chunk of the request.
    Write,
    /// Reading a chunk of the reply.
    Read,
    /// Waiting for the whole reply.
    Reply,
    /// Connecting, discovering the service and subscribing.
    Connect,
}

/// Why talking to the stimulator failed, in words a user can act on.
#[derive(Clone, Debug, PartialEq)]
pub enum LinkError {
    /// This browser has no Web Bluetooth.
    NoWebBluetooth,
    /// The user closed the device chooser.
    Cancelled,
    /// The connection dropped.
    Lost,
    /// The board refused an unbonded link (ATT "insufficient authentication").
    NotPaired,
    /// A Bluetooth operation failed (the browser's words).
    Bluetooth(String),
    /// What came back was not a valid reply.
    Protocol(WireError),
    /// A step got no answer within its time limit (ms).
    Timeout(Step, u32),
    /// Given up (or never sent): an emergency stop went first.
    Preempted,
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::NoWebBluetooth => f.write_str(
                "This browser cannot use Bluetooth devices (Web Bluetooth). Use Chrome or Edge on a computer or on Android, or try the virtual device.",
            ),
            LinkError::Cancelled => f.write_str("No device was chosen."),
            LinkError::Lost => f.write_str("The connection to the board was lost."),
            LinkError::NotPaired => f.write_str(
                "Not paired: press Button 2 on the board, then connect again.",
            ),
            LinkError::Bluetooth(why) => write!(f, "Bluetooth said: {why}"),
            LinkError::Protocol(e) => write!(f, "The device's reply could not be read. {e}"),
            LinkError::Timeout(step, ms) => {
                let seconds = *ms as f64 / 1_000.0;
                match step {
                    Step::Write => write!(
                        f,
                        "The device did not confirm a write within {seconds:.1} s: the link may have dropped."
                    ),
                    Step::Read => write!(
                        f,
                        "The device did not answer a read within {seconds:.1} s: the link may have dropped."
                    ),
                    Step::Reply => write!(
                        f,
                        "The device sent no reply within {seconds:.1} s."
                    ),
                    Step::Connect => write!(
                        f,
                        "The board did not complete the connection within {seconds:.1} s: is it in range and powered?"
                    ),
                }
            }
            LinkError::Preempted => f.write_str("Given up: the emergency stop went first."),
        }
    }
}

impl From<WireError> for LinkError {
    fn from(e: WireError) -> Self {
        LinkError::Protocol(e)
    }
}

/// Waits `ms` milliseconds (the browser's timer).
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// `operation`, or [`LinkError::Timeout`] once `ms` have passed without an answer.
pub async fn within<T>(
    ms: u32,
    step: Step,
    operation: impl Future<Output = Result<T, LinkError>>,
) -> Result<T, LinkError> {
    let operation = std::pin::pin!(operation);
    let timer = std::pin::pin!(sleep(ms as i32));
    match select(operation, timer).await {
        Either::Left((result, _)) => result,
        Either::Right(_) => Err(LinkError::Timeout(step, ms)),
    }
}

/// The stimulator the app is connected to, of either kind.
pub enum Connection {
    /// The device server in the page.
    Virtual(session::Session<virtual_device::VirtualLink>),
    /// A board over Web Bluetooth.
    Bluetooth(session::Session<bluetooth::BluetoothLink>),
}

impl Connection {
    /// Sends `request` over whichever link this is; `poll` marks a background poll.
    pub async fn request(
        &self,
        request: &stim_proto::messages::Request,
        poll: bool,
    ) -> Result<stim_proto::messages::Response, LinkError> {
        match self {
            Connection::Virtual(session) => session.request(request, poll).await,
            Connection::Bluetooth(session) => session.request(request, poll).await,
        }
    }

    /// Reads whatever waits on the event characteristic (on a doorbell).
    pub async fn drain(&self) -> Result<(), LinkError> {
        match self {
            Connection::Virtual(session) => session.drain().await,
            Connection::Bluetooth(session) => session.drain().await,
        }
    }

    /// Closes the link: a board is disconnected and its listeners removed.
    pub fn close(&self) {
        if let Connection::Bluetooth(session) = self {
            session.link().close();
        }
    }
}
