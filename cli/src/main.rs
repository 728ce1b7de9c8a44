//! `cargo hookwright generate SPEC --out DIR`: cargo runs this binary as
//! `cargo-hookwright hookwright generate ...`; run directly, the `hookwright` is optional.

use std::process::ExitCode;

use clap::Parser;
use hookwright_cli::Generate;

#[derive(Parser)]
#[command(name = "cargo hookwright", bin_name = "cargo hookwright", version)]
#[command(about = "Turns AsyncAPI 2.x/3.0 and OpenAPI 3.0/3.1 documents into Rust crates.")]
enum Command {
    /// Generate a crate from a spec (see `cargo hookwright generate --help`).
    Generate(Generate),
}

fn main() -> ExitCode {
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|arg| arg == "hookwright") {
        args.remove(1);
    }
    match Command::parse_from(args) {
        Command::Generate(generate) => generate.run("cargo hookwright generate"),
    }
}
