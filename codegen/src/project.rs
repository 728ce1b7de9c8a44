//! A repository that commits its generated crates: every `specs/<name>.<kind>.yaml` becomes
//! `generated/<name>/`, a member of the repository's workspace.

use std::path::{Path, PathBuf};

use crate::{generate, CrateOptions, Diagnostic, GeneratedCrate};

/// The command that regenerates a repository's crates, named in every generated file.
pub const COMMAND: &str = "cargo xtask codegen";

/// The layout of a repository.
#[derive(Debug, Clone)]
pub struct Project {
    pub root: PathBuf,
}

impl Project {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Project { root: root.into() }
    }

    pub fn specs_dir(&self) -> PathBuf {
        self.root.join("specs")
    }

    pub fn generated_dir(&self) -> PathBuf {
        self.root.join("generated")
    }

    /// Every spec file, sorted by name.
    pub fn specs(&self) -> std::io::Result<Vec<PathBuf>> {
        let mut specs: Vec<PathBuf> = std::fs::read_dir(self.specs_dir())?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| {
                matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json"))
            })
            .collect();
        specs.sort();
        Ok(specs)
    }

    /// Generates every spec's crate in memory; all the specs' errors if any fails.
    pub fn generate_all(&self) -> Result<Vec<GeneratedCrate>, Vec<Diagnostic>> {
        let specs = self.specs().map_err(|e| {
            vec![Diagnostic::new(self.specs_dir(), format!("cannot list the specs: {e}"))]
        })?;
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
        crate::output::write_all(&self.generated_dir(), &crates).map_err(|e| Failure::Write(self.generated_dir(), e))?;
        Ok(crates)
    }

    /// How the crate of `spec` is named and wired inside the repository.
    pub fn options(&self, spec: &Path) -> CrateOptions {
        let relative = spec.strip_prefix(&self.root).unwrap_or(spec);
        CrateOptions {
            name: crate_name(spec),
            spec: relative.to_string_lossy().replace('\\', "/"),
            command: COMMAND.to_owned(),
            runtime_dependency: r#"{ path = "../../runtime" }"#.to_owned(),
            standalone: false,
        }
    }
}

/// Why [`Project::regenerate`] wrote nothing (or could not finish writing).
#[derive(Debug)]
pub enum Failure {
    /// At least one spec has an error; nothing was written.
    Specs(Vec<Diagnostic>),
    /// Writing failed; crates already swapped in are complete, the rest untouched.
    Write(PathBuf, std::io::Error),
}

/// `specs/sinch-sms-webhooks.asyncapi.yaml` → `sinch-sms-webhooks`.
pub fn crate_name(spec: &Path) -> String {
    let file = spec.file_name().and_then(|n| n.to_str()).unwrap_or("generated");
    let stem = file.split('.').next().unwrap_or(file);
    let name: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c.to_ascii_lowercase() } else { '-' })
        .collect();
    match name.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => name,
        _ => format!("spec-{name}"),
    }
}
