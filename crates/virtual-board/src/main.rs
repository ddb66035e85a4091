//! The virtual dev board: the board's Bluetooth app (stim-ble) and stimulator (stim-fw),
//! the same code the nRF52840-DK runs, built for the host and talking HCI (H4 over TCP) to
//! a virtual controller such as RootCanal. What only the chip has is replaced here: the
//! clock is the host's, bonds are files, the buttons are lines on stdin and the pins play
//! nowhere.
//!
//! `virtual-board --hci 127.0.0.1:6402 --bonds <dir>`
//! - stdin: `button1` (the emergency stop), `button2` (opens the pairing window); end of
//!   input stops the board, as pulling its power would;
//! - stdout: `ready`, then one line per thing the app did, with the board's time in ms.
#![forbid(unsafe_code)]

use std::cell::{Cell, RefCell};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use bt_hci::controller::ExternalController;
use bt_hci_serial::SerialTransport;
use embassy_sync::blocking_mutex::raw::NoopRawMutex;
use embedded_io_adapters::tokio_1::FromTokio;
use stim_ble::{Address, Board, BondStore, Note, StoreError, StoredBond};
use stim_core::engine::PhaseEvent;
use stim_core::units::TimeUs;
use stim_fw::access::PairingWindow;
use stim_fw::leds::Radio;
use stim_fw::stimulator::Stimulator;
use tokio::io::AsyncBufReadExt;
use tokio::net::TcpStream;
use tokio::sync::Notify;

/// The virtual board's static random address, C0:DE:5C:50:00:01 (least significant byte
/// first; the top two bits set, as a static random address has them).
const ADDRESS: [u8; 6] = [0x01, 0x00, 0x50, 0x5c, 0xde, 0xc0];

/// The board's state, shared by the Bluetooth app, the buttons and the pulse tick; all of
/// them run on one thread, and none holds a borrow across an await.
struct HostBoard {
    start: Instant,
    stimulator: RefCell<Stimulator>,
    pairing: RefCell<PairingWindow>,
    radio: Cell<Radio>,
    wake: Notify,
}

impl HostBoard {
    fn new() -> Self {
        HostBoard {
            start: Instant::now(),
            stimulator: RefCell::new(Stimulator::new(0, env!("CARGO_PKG_VERSION"))),
            pairing: RefCell::new(PairingWindow::default()),
            radio: Cell::new(Radio::Advertising),
            wake: Notify::new(),
        }
    }

    /// Prints a line of the log, stamped with the board's time.
    fn log(&self, line: impl std::fmt::Display) {
        println!("{:>9.3} s  {line}", self.now() as f64 / 1e6);
    }

    /// A line typed on stdin: a button pressed.
    fn press(&self, button: &str) {
        let now = self.now();
        match button {
            "button1" => {
                self.stimulator
                    .borrow_mut()
                    .emergency_stop(now, |_: &PhaseEvent| {});
                self.log("Button 1: emergency stop");
                self.wake.notify_one();
            }
            "button2" => {
                self.pairing.borrow_mut().open(now);
                self.log("Button 2: pairing window open");
                // A connected central may bond from now on: the app is told.
                self.wake.notify_one();
            }
            other => self.log(format_args!(
                "unknown input {other:?}: type button1 or button2"
            )),
        }
    }
}

impl Board for HostBoard {
    fn now(&self) -> TimeUs {
        self.start.elapsed().as_micros() as TimeUs
    }

    fn stimulator<R>(
        &self,
        f: impl FnOnce(&mut Stimulator, &mut dyn FnMut(&PhaseEvent)) -> R,
    ) -> R {
        f(&mut self.stimulator.borrow_mut(), &mut |_| {})
    }

    fn pairing_open(&self) -> bool {
        self.pairing.borrow().is_open(self.now())
    }

    fn close_pairing(&self) {
        self.pairing.borrow_mut().close();
    }

    fn set_radio(&self, radio: Radio) {
        self.radio.set(radio);
    }

    async fn wake(&self) {
        self.wake.notified().await;
    }

    fn note(&self, note: Note) {
        self.log(note);
    }
}

/// Bonds as files, one per slot, in a folder that outlives the process.
struct FileBonds {
    dir: PathBuf,
}

impl FileBonds {
    fn path(&self, slot: u8) -> PathBuf {
        self.dir.join(format!("bond-{slot}.postcard"))
    }
}

impl BondStore for FileBonds {
    async fn load(&mut self, slot: u8) -> Option<StoredBond> {
        let bytes = std::fs::read(self.path(slot)).ok()?;
        postcard::from_bytes(&bytes).ok()
    }

    async fn store(&mut self, slot: u8, bond: &StoredBond) -> Result<(), StoreError> {
        let bytes = postcard::to_stdvec(bond).map_err(|_| StoreError)?;
        // Written whole, then renamed: a board killed mid-write keeps the old bond.
        let partial = self.dir.join(format!("bond-{slot}.partial"));
        std::fs::write(&partial, bytes).map_err(|_| StoreError)?;
        std::fs::rename(partial, self.path(slot)).map_err(|_| StoreError)
    }
}

/// `--hci <addr>` and `--bonds <dir>`.
fn arguments() -> Result<(String, PathBuf), String> {
    let (mut hci, mut bonds) = (None, None);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--hci" => hci = args.next(),
            "--bonds" => bonds = args.next().map(PathBuf::from),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    match (hci, bonds) {
        (Some(hci), Some(bonds)) => Ok((hci, bonds)),
        _ => Err("usage: virtual-board --hci <host:port> --bonds <dir>".into()),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("off")).init();
    let (hci, dir) = match arguments() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("virtual-board: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("virtual-board: cannot keep bonds in {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    let stream = match TcpStream::connect(&hci).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("virtual-board: no virtual controller at {hci}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let _ = stream.set_nodelay(true);
    let (read, write) = stream.into_split();
    let transport: SerialTransport<NoopRawMutex, _, _> =
        SerialTransport::new(FromTokio::new(read), FromTokio::new(write));
    let controller: ExternalController<_, 10> = ExternalController::new(transport);

    let board = HostBoard::new();
    let mut bonds = FileBonds { dir };
    board.log(format_args!("ready: HCI at {hci}"));

    let app = stim_ble::run(
        controller,
        Address::random(ADDRESS),
        &board,
        &mut bonds,
        env!("CARGO_PKG_VERSION"),
    );
    let buttons = async {
        let mut lines = tokio::io::BufReader::new(tokio::io::stdin()).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            board.press(line.trim());
        }
    };
    // The board's pulse task plays the device ahead every millisecond; here nothing
    // listens to the pins, but the device's counters and ramps move on the same way.
    let pulses = async {
        let mut tick = tokio::time::interval(Duration::from_millis(1));
        loop {
            tick.tick().await;
            let now = board.now();
            board.stimulator.borrow_mut().advance(now, |_| {});
        }
    };
    tokio::select! {
        () = app => {}
        () = buttons => board.log("stdin closed: the board stops"),
        () = pulses => {}
    }
    ExitCode::SUCCESS
}
