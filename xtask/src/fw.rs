//! `cargo xtask fw [--flash]`: builds the nRF52840-DK firmware (release, its own workspace
//! in firmware/), prints its flash and RAM use against the budget, and with `--flash`
//! flashes it with probe-rs.

use crate::shell::{cmd, output, project_root, run};
use crate::tools;

/// Flash the image may take (code and initialised data), bytes.
const FLASH_BUDGET: u64 = 256 * 1024;
/// RAM its statics may take (initialised and zeroed data), bytes; the rest is stack.
const RAM_BUDGET: u64 = 64 * 1024;
const CHIP: &str = "nRF52840_xxAA";

pub fn run_command(args: &[String]) -> Result<(), String> {
    let elf = build_and_check()?;
    if args.iter().any(|a| a == "--flash") {
        if output(&mut cmd("probe-rs", &["--version"])).is_none() {
            return Err("probe-rs is not installed: see README, \"The dev board\"".into());
        }
        println!("xtask: flashing {elf} (probe-rs, {CHIP}); defmt logs follow, Ctrl-C to leave");
        run(&mut cmd("probe-rs", &["run", "--chip", CHIP, &elf]))?;
    }
    Ok(())
}

/// Builds the release image and checks its sizes; returns the ELF's path.
pub fn build_and_check() -> Result<String, String> {
    tools::firmware_build()?;
    let dir = project_root().join("firmware");
    run(cmd("cargo", &["build", "--release"]).current_dir(&dir))?;
    let elf = dir.join("target/thumbv7em-none-eabihf/release/scs-board");
    let elf = elf.to_string_lossy().into_owned();
    let sizes = output(&mut cmd("arm-none-eabi-size", &[&elf]))
        .ok_or("arm-none-eabi-size could not read the image")?;
    // Berkeley format: a header line, then "text data bss dec hex filename".
    let numbers: Vec<u64> = sizes
        .lines()
        .nth(1)
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .filter_map(|n| n.parse().ok())
        .collect();
    let [text, data, bss] = numbers[..] else {
        return Err(format!("unexpected arm-none-eabi-size output: {sizes}"));
    };
    let (flash, ram) = (text + data, data + bss);
    let kb = |b: u64| b as f64 / 1024.0;
    println!(
        "firmware: flash {:.1} KB of {} KB, RAM (statics) {:.1} KB of {} KB",
        kb(flash),
        FLASH_BUDGET / 1024,
        kb(ram),
        RAM_BUDGET / 1024
    );
    if flash > FLASH_BUDGET || ram > RAM_BUDGET {
        return Err("the firmware is over its size budget".into());
    }
    Ok(elf)
}
