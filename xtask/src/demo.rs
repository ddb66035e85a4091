//! `cargo xtask demo`: build the app in release mode and serve it with the virtual device.

use crate::{bundle, flag_value, serve};

const DEFAULT_PORT: &str = "8080";

/// Installs what is missing, builds the release bundle, serves it until Ctrl+C.
pub fn run(args: &[String]) -> Result<(), String> {
    let port = flag_value(args, "--port")?.unwrap_or(DEFAULT_PORT);
    port.parse::<u16>()
        .map_err(|_| format!("--port wants a number from 1 to 65535, not `{port}`"))?;
    let dist = bundle::build_release()?;
    let addr = serve::spawn(dist, &format!("127.0.0.1:{port}"))?;
    println!();
    println!("SCS Studio is running at http://{addr}/  (Ctrl+C to stop)");
    println!("Education and demo tool only: not a medical device.");
    loop {
        std::thread::park();
    }
}
