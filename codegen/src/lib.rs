//! Turns AsyncAPI 2.x/3.0 and OpenAPI 3.0/3.1 documents into Rust crates.
//!
//! The pipeline, one module per stage:
//! [`spec`] loads YAML, resolves `$ref`s and reads the document into the [`ir`];
//! [`naming`] resolves every Rust name once; `emit` writes the crate's files as a pure
//! function of both; [`output`] writes crates to disk atomically or compares them with
//! what is there.
//!
//! ```no_run
//! let options = hookwright::CrateOptions::new("orders-webhooks", "specs/orders.asyncapi.yaml");
//! let krate = hookwright::generate("specs/orders.asyncapi.yaml".as_ref(), &options)?;
//! println!("{}: {} types, {} lines", krate.name, krate.types, krate.lines());
//! # Ok::<(), hookwright::Diagnostic>(())
//! ```

mod analysis;
mod bidi;
mod case;
mod conformance;
pub mod diagnostic;
mod emit;
pub mod ir;
pub mod naming;
pub mod output;
pub mod project;
pub mod review;
pub mod routing;
pub mod spec;
mod toml_text;

use std::path::Path;
use std::time::{Duration, Instant};

pub use diagnostic::Diagnostic;
pub use emit::{CrateOptions, Runtime, RUNTIME_VERSION, RUST_VERSION};
pub use spec::Fetch;

/// A crate generated in memory.
#[derive(Debug, Clone)]
pub struct GeneratedCrate {
    pub name: String,
    pub files: Vec<GeneratedFile>,
    /// Named types emitted (structs, enums, aliases).
    pub types: usize,
    /// Messages the spec declares (AsyncAPI), received by an operation or not.
    pub messages: usize,
    /// Operations the spec declares: AsyncAPI channel operations, OpenAPI HTTP operations.
    pub operations: usize,
    /// Tests in `tests/examples.rs`, one per example the spec gives of a typed payload or
    /// body that fits its schema; 0 when there is none, and the crate then has no such file.
    pub example_tests: usize,
    /// Examples left without a test because they contradict their schema (each has a warning).
    pub skipped_examples: usize,
    /// Parts of the spec that were typed more loosely than written.
    pub warnings: Vec<String>,
    /// What the generated receiver cannot tell apart by payload (see [`routing`]).
    pub notes: Vec<String>,
    /// How long reading the spec and generating took.
    pub duration: Duration,
}

impl GeneratedCrate {
    /// Lines across all files.
    pub fn lines(&self) -> usize {
        self.files.iter().map(|file| file.contents.lines().count()).sum()
    }

    /// The contents of the file at `path` (relative to the crate directory), if generated.
    pub fn file(&self, path: &str) -> Option<&str> {
        self.files.iter().find(|file| file.path == path).map(|file| file.contents.as_str())
    }
}

/// A file of a generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Relative to the crate directory, `/`-separated: `src/models.rs`.
    pub path: String,
    pub contents: String,
}

impl GeneratedFile {
    pub fn new(path: impl Into<String>, contents: impl Into<String>) -> Self {
        GeneratedFile { path: path.into(), contents: contents.into() }
    }
}

/// Reads the spec at `spec` and generates its modules as one Rust source file, for a build
/// script: no `Cargo.toml`, no `lib.rs`. Include it in a module of your crate, which depends
/// on `hookwright-runtime` (with its `axum` feature, and a feature `axum` of your own, for
/// the receiver's router):
///
/// ```no_run
/// // build.rs
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
///     let spec = "specs/orders.asyncapi.yaml";
///     println!("cargo::rerun-if-changed={spec}");
///     let source = hookwright::generate_module(spec.as_ref())?;
///     std::fs::write(std::path::Path::new(&std::env::var("OUT_DIR")?).join("orders.rs"), source)?;
///     Ok(())
/// }
/// ```
///
/// ```ignore
/// // src/lib.rs
/// pub mod orders {
///     include!(concat!(env!("OUT_DIR"), "/orders.rs"));
/// }
/// ```
///
/// A `$ref` to another file is followed as for [`generate`]; tell cargo about those files
/// too. Warnings (parts typed more loosely than written) are dropped: use [`generate`] to
/// see them.
pub fn generate_module(spec: &Path) -> Result<String, Diagnostic> {
    let options = CrateOptions {
        command: "hookwright::generate_module".to_owned(),
        ..CrateOptions::new(project::crate_name(spec), spec.display().to_string().replace('\\', "/"))
    };
    Ok(emit::module_file(&generate(spec, &options)?.files))
}

/// Reads the spec at `spec` and generates a crate from it.
pub fn generate(spec: &Path, options: &CrateOptions) -> Result<GeneratedCrate, Diagnostic> {
    let started = Instant::now();
    if let Err(reason) = project::validate_crate_name(&options.name) {
        return Err(Diagnostic::new(spec, reason)
            .with_help("name the crate with ASCII letters, digits, `-` and `_`, e.g. `orders-webhooks`"));
    }
    let mut api = spec::read_within(spec, options.root.as_deref(), options.fetch_remote.clone())?;
    let skipped_examples = conformance::drop_contradicting(&mut api);
    let names = naming::resolve(&api);
    let routing = (!api.messages.is_empty()).then(|| routing::analyse(&api));
    let emitted = emit::emit(&api, &names, routing.as_ref(), options);
    Ok(GeneratedCrate {
        name: options.name.clone(),
        files: emitted.files,
        types: api.types.len(),
        messages: api.messages.len(),
        operations: api.operations.len(),
        example_tests: emitted.example_tests,
        skipped_examples,
        warnings: api.warnings,
        notes: routing.map(|r| r.notes).unwrap_or_default(),
        duration: started.elapsed(),
    })
}
