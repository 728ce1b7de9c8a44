//! `cargo xtask compile-times`: how long each generated crate takes to build from a warm
//! dependency cache, next to how much code it is, as a markdown table to keep in review.
//!
//! Everything is built once first, so each timed build compiles only the crate itself (its
//! dependencies, the runtime included, are cached). Each crate is then cleaned with
//! `cargo clean -p` and built again, timed. The cargo target directory is cargo's own choice
//! (`CARGO_TARGET_DIR` is respected), so this reuses, and leaves warm, the usual cache.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use hookwright::project::Project;

/// A crate under `generated/` and what it holds.
struct Crate {
    name: String,
    lines: usize,
    types: usize,
}

/// Prints the table; `release` adds a column for `--release` builds.
pub fn run(root: &Path, release: bool) -> Result<(), String> {
    let crates = generated_crates(root)?;
    let profiles: &[bool] = if release { &[false, true] } else { &[false] };
    let mut times: Vec<Vec<Duration>> = Vec::new();
    for &release in profiles {
        let names: Vec<&str> = crates.iter().map(|c| c.name.as_str()).collect();
        eprintln!("warming the {} dependency cache ...", profile(release));
        cargo(root, "build", &names, release)?;
        let mut column = Vec::new();
        for krate in &crates {
            cargo(root, "clean", &[&krate.name], release)?;
            let started = Instant::now();
            cargo(root, "build", &[&krate.name], release)?;
            column.push(started.elapsed());
            eprintln!("{}: {} built in {:.1} s", krate.name, profile(release), started.elapsed().as_secs_f64());
        }
        times.push(column);
    }
    print_table(&crates, profiles, &times);
    Ok(())
}

fn profile(release: bool) -> &'static str {
    if release {
        "release"
    } else {
        "debug"
    }
}

fn print_table(crates: &[Crate], profiles: &[bool], times: &[Vec<Duration>]) {
    let columns: Vec<String> = profiles.iter().map(|&r| format!("build ({}) | ", profile(r))).collect();
    println!("| crate | lines emitted | types | {}", columns.concat().trim_end());
    println!("|---|---:|---:|{}", "---:|".repeat(profiles.len()));
    for (index, krate) in crates.iter().enumerate() {
        let cells: Vec<String> = times.iter().map(|column| format!("{:.1} s", column[index].as_secs_f64())).collect();
        println!("| {} | {} | {} | {} |", krate.name, krate.lines, krate.types, cells.join(" | "));
    }
}

/// Runs `cargo <command> -p <crate>...` in `root`, its output going to the terminal.
fn cargo(root: &Path, command: &str, crates: &[&str], release: bool) -> Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root).arg(command).arg("--quiet");
    for krate in crates {
        cmd.args(["-p", krate]);
    }
    if release {
        cmd.arg("--release");
    }
    let status = cmd.status().map_err(|e| format!("cannot run cargo {command}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo {command} -p {} failed ({status})", crates.join(" -p ")))
    }
}

/// Every crate under `generated/`, sorted by name, with the lines and types the generator
/// reports for it (as `cargo xtask codegen` prints them).
fn generated_crates(root: &Path) -> Result<Vec<Crate>, String> {
    let generated = Project::new(root)
        .generate_all()
        .map_err(|errors| errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))?;
    let mut crates: Vec<Crate> =
        generated.iter().map(|k| Crate { name: k.name.clone(), lines: k.lines(), types: k.types }).collect();
    crates.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(crates)
}
