//! `cargo xtask semver-agreement`: checks the review's verdict on each case of
//! [`review_cases`] against `cargo-semver-checks`, which compares the
//! public API of the two crates generated from the case's specs.
//!
//! The new crate is given the version one compatible step up (0.1.1), so the tool fails
//! exactly when it finds a breaking change; that must be when the review calls the case
//! breaking, except where the break is one the tool cannot see (listed below, with why).

use std::path::{Path, PathBuf};
use std::process::Command;

use hookwright::review::{Class, Version};
use hookwright::{CrateOptions, Runtime};

use crate::review_cases::{self, CASES};

/// Cases the review calls breaking although the Rust signatures the tool compares do not
/// change, and why each breaks users anyway.
const TOOL_BLIND: &[(&str, &str)] = &[
    (
        "field_type_changed",
        "an optional field's type changes (`Option<i64>` to `Option<String>`) while `new` keeps its \
         signature; cargo-semver-checks does not compare field types, but code reading the field no \
         longer compiles",
    ),
    (
        "security_scheme_changed",
        "only the header the receiver reads the signature from changes: no signature changes, but a \
         receiver built with the new crate refuses what the old sender sends",
    ),
];

pub fn run(root: &Path, target: &Path) -> Result<(), String> {
    let version = Command::new("cargo").args(["semver-checks", "--version"]).output();
    if !version.is_ok_and(|output| output.status.success()) {
        return Err("cargo-semver-checks is not installed: `.ci/semver` installs it, or run \
                    `cargo install --locked cargo-semver-checks`"
            .to_owned());
    }
    let scratch = target.join("semver-agreement");
    if scratch.exists() {
        std::fs::remove_dir_all(&scratch).map_err(|e| format!("cannot empty {}: {e}", scratch.display()))?;
    }
    let runtime = std::path::absolute(root.join("runtime")).map_err(|e| format!("runtime path: {e}"))?;
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    // Every case starts from the same base spec: its crate is generated once, and is the
    // baseline of every comparison.
    let base = scratch.join("base");
    review_cases::write_base(&base)?;
    let old = Crates { dir: &base, runtime: &runtime, lock: &lock }.generate("old", Version::INITIAL)?;
    let mut disagreements = Vec::new();
    println!("| case | review | cargo-semver-checks |\n|---|---|---|");
    for case in CASES {
        let dir = scratch.join(case.name);
        let review = case.review(&dir)?;
        let crates = Crates { dir: &dir, runtime: &runtime, lock: &lock };
        let new = crates.generate("new", Version::INITIAL.bump(Class::Additive))?;
        let report = semver_checks(&old, &new, target)?;
        let tool_breaking = report.is_some();
        let blind = TOOL_BLIND.iter().any(|(name, _)| *name == case.name);
        let verdict = if tool_breaking { "breaking" } else { "no breaking change" };
        println!("| {} | {} | {verdict} |", case.name, review.class().label());
        // A case listed as invisible to the tool must be one it does not see, or the list is stale.
        if tool_breaking != (review.class() == Class::Breaking && !blind) {
            disagreements.push(format!(
                "{}: the review says {}, cargo-semver-checks says {verdict}{}{}",
                case.name,
                review.class().label(),
                if blind { " (the case is listed as one the tool cannot see)" } else { "" },
                report.map(|r| format!(":\n{r}")).unwrap_or_default()
            ));
        }
    }
    for (name, why) in TOOL_BLIND {
        println!("\n`{name}`: breaking although cargo-semver-checks sees no change: {why}.");
    }
    if disagreements.is_empty() {
        return Ok(());
    }
    Err(format!("the review and cargo-semver-checks disagree:\n{}", disagreements.join("\n")))
}

/// Where a case's crates are generated, and what they are built with.
struct Crates<'a> {
    dir: &'a Path,
    runtime: &'a Path,
    /// The repository's `Cargo.lock`, so the crates build with the dependencies already built.
    lock: &'a str,
}

impl Crates<'_> {
    /// Generates the crate of the case's `side` spec, as `version`; its directory.
    fn generate(&self, side: &str, version: Version) -> Result<PathBuf, String> {
        let spec = self.dir.join(side).join("orders.asyncapi.yaml");
        let options = CrateOptions {
            runtime: Runtime::Path(self.runtime.display().to_string()),
            root: Some(self.dir.to_path_buf()),
            version,
            ..CrateOptions::new("orders", format!("{side}/orders.asyncapi.yaml"))
        };
        let krate = hookwright::generate(&spec, &options).map_err(|e| e.to_string())?;
        let crate_dir = self.dir.join(format!("{side}-crate"));
        hookwright::output::write_crate(&crate_dir, &krate).map_err(|e| e.to_string())?;
        let lock = crate_dir.join("Cargo.lock");
        std::fs::write(&lock, self.lock).map_err(|e| format!("cannot write {}: {e}", lock.display()))?;
        Ok(crate_dir)
    }
}

/// `None` if cargo-semver-checks finds no breaking change from `old` to `new`, else its report;
/// an error if it could not compare them (a crate that does not build).
fn semver_checks(old: &Path, new: &Path, target: &Path) -> Result<Option<String>, String> {
    let output = Command::new("cargo")
        .args(["semver-checks", "check-release", "--baseline-root"])
        .arg(old)
        .arg("--manifest-path")
        .arg(new.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target.join("semver-agreement-build"))
        .output()
        .map_err(|e| format!("cannot run cargo semver-checks: {e}"))?;
    let report = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    match (output.status.success(), report.contains("semver requires new")) {
        (true, _) => Ok(None),
        (false, true) => Ok(Some(report)),
        (false, false) => Err(format!("cargo semver-checks could not check {}:\n{report}", new.display())),
    }
}
