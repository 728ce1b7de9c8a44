//! `cargo xtask review`, and the summary `cargo xtask codegen` prints: what the specs'
//! changes since a git revision do to users of the generated crates, and the versions the
//! crates then need.
//!
//! The specs at the revision are read from git into a scratch folder (`git archive`), so
//! specs spread over several files compare whole; both sides go through the generator's
//! normal reading, and `hookwright::review` compares the two IRs.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};

use hookwright::project::{crate_name, manifest_version, Project};
use hookwright::review::{self, CrateReview, Version};

/// The reviews of the crates whose spec exists at the base, and notes on the others.
pub struct Reviews {
    pub base: String,
    pub crates: Vec<CrateReview>,
    pub notes: Vec<String>,
}

/// `origin/main` if the repository has it, else `HEAD`.
pub fn default_base(root: &Path) -> String {
    let origin = git(root, &["rev-parse", "--verify", "--quiet", "origin/main^{commit}"]);
    if origin.is_ok() { "origin/main" } else { "HEAD" }.to_owned()
}

/// Compares every spec of `project` with the same file at `base`, reading the old specs in
/// `scratch` (emptied first).
pub fn since(project: &Project, base: &str, scratch: &Path) -> Result<Reviews, String> {
    git(&project.root, &["rev-parse", "--verify", "--quiet", &format!("{base}^{{commit}}")])
        .map_err(|_| format!("`{base}` is not a commit of a git repository at {}", project.root.display()))?;
    extract_specs(&project.root, base, scratch)?;
    let specs = project.specs().map_err(|e| format!("cannot list {}: {e}", project.specs_dir().display()))?;
    let mut reviews = Reviews { base: base.to_owned(), crates: Vec::new(), notes: Vec::new() };
    for spec in specs {
        let name = crate_name(&spec);
        let Some(file) = spec.file_name() else { continue };
        let old_spec = scratch.join("specs").join(file);
        if !old_spec.exists() {
            reviews.notes.push(format!("`{name}` is new since {base}: nothing to compare"));
            continue;
        }
        let old = match hookwright::spec::read_within(&old_spec, Some(scratch), None) {
            Ok(api) => api,
            Err(e) => {
                reviews.notes.push(format!("`{name}`: the spec at {base} does not read with this generator: {e}"));
                continue;
            }
        };
        let new = hookwright::spec::read_within(&spec, Some(&project.root), project.fetch_remote.clone())
            .map_err(|e| e.to_string())?;
        let manifest = git(&project.root, &["show", &format!("{base}:generated/{name}/Cargo.toml")]);
        let base_version = match manifest.map(|text| manifest_version(&text)) {
            Ok(Ok(version)) => version,
            _ => Version::INITIAL,
        };
        reviews.crates.push(CrateReview { name, changes: review::compare(&old, &new), base_version });
    }
    Ok(reviews)
}

/// The versions the reviewed crates need raised: crate name → (committed, required), for
/// each crate whose version under `generated/` is lower than its changes require.
pub fn too_low(project: &Project, reviews: &Reviews) -> Result<BTreeMap<String, (Version, Version)>, String> {
    let mut low = BTreeMap::new();
    for krate in &reviews.crates {
        let required = krate.required_version();
        let committed = project.committed_version(&krate.name)?.unwrap_or(krate.base_version);
        if committed < required {
            low.insert(krate.name.clone(), (committed, required));
        }
    }
    Ok(low)
}

/// The message for a crate whose committed version is lower than its changes require.
pub fn too_low_message(name: &str, (committed, required): (Version, Version), base: &str) -> String {
    format!(
        "generated/{name}/Cargo.toml: version {committed} is too low: the API changes since {base} need {required} \
         under semver; run `cargo xtask codegen` to set it"
    )
}

/// The Markdown of every crate with changes, a line for those without, and the notes.
pub fn markdown(reviews: &Reviews) -> String {
    let mut out = format!("## API changes since `{}`\n\n", reviews.base);
    let (changed, unchanged): (Vec<_>, Vec<_>) = reviews.crates.iter().partition(|k| !k.changes.is_empty());
    for krate in changed {
        out.push_str(&krate.markdown());
        out.push('\n');
    }
    if !unchanged.is_empty() {
        let names: Vec<String> = unchanged.iter().map(|k| format!("`{}`", k.name)).collect();
        out.push_str(&format!("No change to the API of {}.\n\n", names.join(", ")));
    }
    for note in &reviews.notes {
        out.push_str(&format!("Note: {note}.\n\n"));
    }
    out
}

/// `git archive <rev> specs | tar -x -C <scratch>`.
fn extract_specs(root: &Path, rev: &str, scratch: &Path) -> Result<(), String> {
    if scratch.exists() {
        std::fs::remove_dir_all(scratch).map_err(|e| format!("cannot empty {}: {e}", scratch.display()))?;
    }
    std::fs::create_dir_all(scratch).map_err(|e| format!("cannot create {}: {e}", scratch.display()))?;
    let mut archive = Command::new("git")
        .args(["archive", "--format=tar", rev, "specs"])
        .current_dir(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let stdout = archive.stdout.take().ok_or("git archive gave no output")?;
    let untar = Command::new("tar").arg("-x").arg("-C").arg(scratch).stdin(stdout).status();
    let archived = archive.wait_with_output().map_err(|e| format!("git archive: {e}"))?;
    if !archived.status.success() {
        return Err(format!("`git archive {rev} specs` failed: {}", String::from_utf8_lossy(&archived.stderr).trim()));
    }
    match untar {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("tar -x into {} failed ({status})", scratch.display())),
        Err(e) => Err(format!("cannot run tar: {e}")),
    }
}

/// The standard output of `git <args>` run in `root`.
fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let output =
        Command::new("git").args(args).current_dir(root).output().map_err(|e| format!("cannot run git: {e}"))?;
    match output.status.success() {
        true => String::from_utf8(output.stdout).map_err(|_| format!("git {}: output is not UTF-8", args.join(" "))),
        false => Err(format!("git {}: {}", args.join(" "), String::from_utf8_lossy(&output.stderr).trim())),
    }
}
