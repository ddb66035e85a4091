//! How the app talks to a stimulator: a [`Link`] moves protocol chunks (the virtual device
//! in the page, or a board over Web Bluetooth) and a [`session::Session`] speaks the
//! protocol over either, so both paths run the same client code.

use std::fmt;

use stim_proto::wire::WireError;

pub mod bluetooth;
pub mod session;
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

/// Why talking to the stimulator failed, in words a user can act on.
#[derive(Clone, Debug, PartialEq)]
pub enum LinkError {
    /// This browser has no Web Bluetooth.
    NoWebBluetooth,
    /// The user closed the device chooser.
    Cancelled,
    /// The connection dropped.
    Lost,
    /// A Bluetooth operation failed (the browser's words).
    Bluetooth(String),
    /// What came back was not a valid reply.
    Protocol(WireError),
    /// No reply came in time.
    NoReply,
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::NoWebBluetooth => f.write_str(
                "This browser cannot use Bluetooth devices (Web Bluetooth). Use Chrome or Edge on a computer or on Android, or try the virtual device.",
            ),
            LinkError::Cancelled => f.write_str("No device was chosen."),
            LinkError::Lost => f.write_str("The connection to the board was lost."),
            LinkError::Bluetooth(why) => write!(f, "Bluetooth said: {why}"),
            LinkError::Protocol(e) => write!(f, "The device's reply could not be read. {e}"),
            LinkError::NoReply => f.write_str("The device did not answer in time."),
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

/// The stimulator the app is connected to, of either kind.
pub enum Connection {
    /// The device server in the page.
    Virtual(session::Session<virtual_device::VirtualLink>),
    /// A board over Web Bluetooth.
    Bluetooth(session::Session<bluetooth::BluetoothLink>),
}

impl Connection {
    /// Sends `request` over whichever link this is.
    pub async fn request(
        &self,
        request: &stim_proto::messages::Request,
    ) -> Result<stim_proto::messages::Response, LinkError> {
        match self {
            Connection::Virtual(session) => session.request(request).await,
            Connection::Bluetooth(session) => session.request(request).await,
        }
    }
}
