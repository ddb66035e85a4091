//! The virtual dev board: `cargo xtask board` runs it for a person, and the test stage
//! `board` drives it through tests/virtual-board/scenarios.py. Both take RootCanal (the
//! virtual controller) and bumble (the central) from PyPI, pinned, and build
//! crates/virtual-board (the firmware's own Bluetooth app, on the host).

use std::path::PathBuf;
use std::process::{Child, Stdio};

use crate::shell::{cmd, project_root, run};
use crate::tools;

/// RootCanal's ports for `cargo xtask board`: its defaults (test, HCI, classic and LE link).
const PORTS: [u16; 4] = [6401, 6402, 6403, 6404];

/// What the board and its bench need: (python with bumble, rootcanal, the board binary).
pub fn bench() -> Result<(PathBuf, PathBuf, PathBuf), String> {
    let (python, rootcanal) = tools::virtual_radio()?;
    run(&mut cmd("cargo", &["build", "-p", "virtual-board"]))?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| project_root().join("target"));
    Ok((python, rootcanal, target.join("debug/virtual-board")))
}

/// The test stage: every scenario, each against its own RootCanal.
pub fn scenarios() -> Result<(), String> {
    let (python, rootcanal, board) = bench()?;
    let dir = project_root().join("tests/virtual-board");
    run(cmd(&python.to_string_lossy(), &["scenarios.py"])
        .current_dir(dir)
        .env("VIRTUAL_BOARD", board)
        .env("ROOTCANAL", rootcanal))
}

/// Kills RootCanal when the board stops, however it stops.
struct Controller(Child);

impl Drop for Controller {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `cargo xtask board`: RootCanal on its default ports and the virtual board on it, with
/// trouble's log; the buttons are typed on the terminal.
pub fn run_command(_args: &[String]) -> Result<(), String> {
    let (python, rootcanal, board) = bench()?;
    let [test, hci, link, ble] = PORTS;
    let _controller = Controller(
        cmd(
            &rootcanal.to_string_lossy(),
            &[
                &format!("-test_port={test}"),
                &format!("-hci_port={hci}"),
                &format!("-link_port={link}"),
                &format!("-link_ble_port={ble}"),
            ],
        )
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("RootCanal did not start: {e}"))?,
    );
    std::thread::sleep(std::time::Duration::from_millis(500));
    let bumble = python.with_file_name("bumble-console");
    println!(
        "xtask: the virtual dev board on RootCanal (HCI on 127.0.0.1:{hci}).\n\
         Connect a central to the same virtual radio, e.g. in another terminal:\n  \
         {} tcp-client:127.0.0.1:{hci}\n\
         Type button1 (emergency stop) or button2 (pairing window) and Enter here; \
         Ctrl-D stops the board.",
        bumble.display()
    );
    let bonds = project_root().join("target/virtual-board-bonds");
    let mut board = cmd(
        &board.to_string_lossy(),
        &[
            "--hci",
            &format!("127.0.0.1:{hci}"),
            "--bonds",
            &bonds.to_string_lossy(),
        ],
    );
    if std::env::var_os("RUST_LOG").is_none() {
        board.env("RUST_LOG", "trouble_host=debug");
    }
    run(&mut board)
}
