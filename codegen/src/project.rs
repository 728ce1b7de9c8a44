//! A repository that commits its generated crates: every `specs/<name>.<kind>.yaml` becomes
//! `generated/<name>/`, a member of the repository's workspace.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::review::Version;
use crate::{generate, CrateOptions, Diagnostic, Fetch, GeneratedCrate, Runtime};

/// The command that regenerates a repository's crates, named in every generated file.
pub const COMMAND: &str = "cargo xtask codegen";

/// The license of the repository's generated crates: the repository's own.
const LICENSE: &str = "MIT OR Apache-2.0";

/// The layout of a repository.
#[derive(Debug, Clone)]
pub struct Project {
    pub root: PathBuf,
    /// Fetches what remote `$ref`s name into each spec's cache folder (see
    /// [`CrateOptions::fetch_remote`]); `None`: only cached copies are read.
    pub fetch_remote: Option<Arc<dyn Fetch>>,
    /// Crate versions decided by the caller (by crate name), e.g. bumped for a breaking spec
    /// change; any other crate keeps the version its `generated/<name>/Cargo.toml` has, so
    /// the committed version is the authority and regenerating never changes it by itself.
    pub versions: BTreeMap<String, Version>,
}

impl Project {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Project { root: root.into(), fetch_remote: None, versions: BTreeMap::new() }
    }

    pub fn specs_dir(&self) -> PathBuf {
        self.root.join("specs")
    }

    pub fn generated_dir(&self) -> PathBuf {
        self.root.join("generated")
    }

    /// The version in the crate's `Cargo.toml` under `generated/`; `None` for a crate not
    /// generated yet.
    pub fn committed_version(&self, name: &str) -> Result<Option<Version>, String> {
        let manifest = self.generated_dir().join(name).join("Cargo.toml");
        match std::fs::read_to_string(&manifest) {
            Ok(text) => manifest_version(&text).map(Some).map_err(|e| format!("{}: {e}", manifest.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("cannot read {}: {e}", manifest.display())),
        }
    }

    /// Every spec file, sorted by name.
    pub fn specs(&self) -> std::io::Result<Vec<PathBuf>> {
        let mut specs: Vec<PathBuf> = std::fs::read_dir(self.specs_dir())?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")))
            .collect();
        specs.sort();
        Ok(specs)
    }

    /// Generates every spec's crate in memory; all the specs' errors if any fails.
    pub fn generate_all(&self) -> Result<Vec<GeneratedCrate>, Vec<Diagnostic>> {
        let specs =
            self.specs().map_err(|e| vec![Diagnostic::new(self.specs_dir(), format!("cannot list the specs: {e}"))])?;
        let mut crates = Vec::new();
        let mut errors = Vec::new();
        for spec in specs {
            match generate(&spec, &self.options(&spec)) {
                Ok(krate) => crates.push(krate),
                Err(error) => errors.push(error),
            }
        }
        if errors.is_empty() {
            Ok(crates)
        } else {
            Err(errors)
        }
    }

    /// Regenerates every crate under `generated/`, or, when any spec fails, writes nothing
    /// and returns every spec's error.
    pub fn regenerate(&self) -> Result<Vec<GeneratedCrate>, Failure> {
        let crates = self.generate_all().map_err(Failure::Specs)?;
        crate::output::write_all(&self.generated_dir(), &crates).map_err(Failure::Write)?;
        Ok(crates)
    }

    /// How the crate of `spec` is named and wired inside the repository.
    pub fn options(&self, spec: &Path) -> CrateOptions {
        let relative = spec.strip_prefix(&self.root).unwrap_or(spec);
        let name = crate_name(spec);
        // An unreadable committed version is regenerated as the initial one, which `--check`
        // then shows as a diff of the `Cargo.toml`.
        let committed = || self.committed_version(&name).ok().flatten();
        let version = self.versions.get(&name).copied().or_else(committed).unwrap_or(Version::INITIAL);
        CrateOptions {
            command: COMMAND.to_owned(),
            runtime: Runtime::Path("../../runtime".to_owned()),
            workspace_member: true,
            license: Some(LICENSE.to_owned()),
            root: Some(self.root.clone()),
            fetch_remote: self.fetch_remote.clone(),
            version,
            ..CrateOptions::new(name, relative.to_string_lossy().replace('\\', "/"))
        }
    }
}

/// Why [`Project::regenerate`] wrote nothing (or could not finish writing).
#[derive(Debug)]
pub enum Failure {
    /// At least one spec has an error; nothing was written.
    Specs(Vec<Diagnostic>),
    /// Writing failed or was refused; crates already swapped in are complete, the rest untouched.
    Write(crate::output::WriteError),
}

/// The `[package] version` of a `Cargo.toml`.
pub fn manifest_version(text: &str) -> Result<Version, String> {
    let manifest: toml_edit::DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| e.message().to_owned())?;
    let version = manifest.get("package").and_then(|package| package.get("version")).and_then(|v| v.as_str());
    version.ok_or_else(|| "no `[package] version` string".to_owned())?.parse()
}

/// `specs/sinch-sms-webhooks.asyncapi.yaml` → `sinch-sms-webhooks`.
pub fn crate_name(spec: &Path) -> String {
    let file = spec.file_name().and_then(|n| n.to_str()).unwrap_or("generated");
    let stem = file.split('.').next().unwrap_or(file);
    let mut name: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c.to_ascii_lowercase() } else { '-' })
        .take(64)
        .collect();
    if validate_crate_name(&name).is_err() {
        name = format!("spec-{name}");
        name.truncate(64); // ASCII only, so at a character boundary
    }
    name
}

/// Checks `name` against cargo's rules for a package that can be published: 1 to 64 ASCII
/// letters, digits, `-` and `_`, starting with a letter, and neither a Rust keyword, a name
/// the standard library uses (`std`, `core`, `test`, ...) nor a reserved Windows file name.
pub fn validate_crate_name(name: &str) -> Result<(), String> {
    const RESERVED: [&str; 6] = ["std", "core", "alloc", "test", "proc_macro", "proc-macro"];
    const WINDOWS: [&str; 4] = ["con", "prn", "aux", "nul"];
    let shown = format!("{name:?}");
    let lower = name.to_ascii_lowercase();
    let windows = WINDOWS.contains(&lower.as_str())
        || (lower.len() == 4
            && (lower.starts_with("com") || lower.starts_with("lpt"))
            && lower.ends_with(|c: char| c.is_ascii_digit()));
    let reason = if name.is_empty() || name.len() > 64 {
        "a crate name has 1 to 64 characters"
    } else if let Some(c) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')) {
        return Err(format!(
            "{shown} is not a valid crate name: {c:?} is not allowed (use ASCII letters, digits, `-` and `_`)"
        ));
    } else if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        "a crate name starts with an ASCII letter"
    } else if crate::naming::is_keyword(name) || RESERVED.contains(&name) {
        "it is a Rust keyword or the name of a standard crate"
    } else if windows {
        "it is a reserved file name on Windows"
    } else {
        return Ok(());
    };
    Err(format!("{shown} is not a valid crate name: {reason}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names_follow_cargo() {
        for good in ["sinch-sms-webhooks", "a", "orders_v2", "spec-3d"] {
            assert_eq!(validate_crate_name(good), Ok(()), "{good}");
        }
        for bad in [
            "",
            "a\"b",
            "a\nb",
            "a b",
            "..",
            "../x",
            "self",
            "core",
            "test",
            "std",
            "fn",
            "1x",
            "-x",
            "nul",
            "COM1",
            "é",
            &"x".repeat(65),
        ] {
            assert!(validate_crate_name(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn names_taken_from_spec_files_are_valid() {
        let long = format!("{}.yaml", "a".repeat(70));
        for file in
            ["specs/sinch-sms-webhooks.asyncapi.yaml", "3d.yaml", "self.yaml", "Ärger.json", ".yaml", "a b.yaml", &long]
        {
            let name = crate_name(Path::new(file));
            assert_eq!(validate_crate_name(&name), Ok(()), "{file} gave {name}");
        }
    }
}
