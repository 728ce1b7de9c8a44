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

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use diagnostic::Diagnostic;
pub use emit::{CrateOptions, Runtime, RUNTIME_VERSION, RUST_VERSION};
pub use spec::Fetch;

/// A crate generated in memory. Only [`generate`] makes one, so later releases can report
/// more about it without breaking callers.
#[derive(Debug, Clone)]
#[non_exhaustive]
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
    /// The files the spec was read from: the spec, the local files its `$ref`s and
    /// `x-codegen.examples` name, and `<spec>.refs/` when remote documents came from it.
    pub inputs: Vec<PathBuf>,
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

/// For a build script: generates the modules of the spec at `spec` as one Rust source file,
/// writes it to `$OUT_DIR/<file>`, and tells cargo to run the build script again when the spec
/// or any file it reads changes (a `cargo::rerun-if-changed` line for each of
/// [`GeneratedCrate::inputs`], so a `$ref`d file counts too). Include the file in a module of
/// your crate, which depends on `hookwright-runtime` (with its `axum` feature, and a feature
/// `axum` of your own, for the receiver's router):
///
/// ```no_run
/// // build.rs
/// fn main() -> Result<(), hookwright::Diagnostic> {
///     hookwright::build_module("specs/orders.asyncapi.yaml", "orders.rs")
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
/// Warnings (parts typed more loosely than written) are dropped: use [`generate`] to see them.
pub fn build_module(spec: impl AsRef<Path>, file: &str) -> Result<(), Diagnostic> {
    let spec = spec.as_ref();
    let generated = generate(spec, &module_options(spec, "hookwright::build_module"))?;
    let mut rerun = String::new();
    for input in &generated.inputs {
        rerun.push_str(&format!("cargo::rerun-if-changed={}\n", cargo_path(input)?));
    }
    let out_dir = std::env::var_os("OUT_DIR").ok_or_else(|| {
        Diagnostic::new(spec, "OUT_DIR is not set").with_help("call `build_module` from a build script (`build.rs`)")
    })?;
    let path = Path::new(&out_dir).join(file);
    std::fs::write(&path, emit::module_file(&generated.files))
        .map_err(|e| Diagnostic::new(&path, format!("cannot write the generated module: {e}")))?;
    print!("{rerun}");
    Ok(())
}

/// `path` as a build script may print it to cargo, which reads one instruction per line: a
/// name with a line break (possible on Unix) would smuggle in instructions of its own, and one
/// that is not UTF-8 would name another file.
fn cargo_path(path: &Path) -> Result<&str, Diagnostic> {
    match path.to_str() {
        Some(text) if !text.contains(['\n', '\r']) => Ok(text),
        _ => Err(Diagnostic::new(
            path,
            "cargo cannot be told about this file: its name is not UTF-8 or holds a line break",
        )
        .with_help("rename the file")),
    }
}

/// Reads the spec at `spec` and generates its modules as one Rust source file, for a build
/// script that writes it itself: no `Cargo.toml`, no `lib.rs`. [`build_module`] does the
/// writing, and tells cargo about every file read; with this function, print a
/// `cargo::rerun-if-changed` line for the spec and for each file its `$ref`s name.
pub fn generate_module(spec: &Path) -> Result<String, Diagnostic> {
    Ok(emit::module_file(&generate(spec, &module_options(spec, "hookwright::generate_module"))?.files))
}

/// The options of a module generated for a build script, its header naming `command`.
fn module_options(spec: &Path, command: &str) -> CrateOptions {
    CrateOptions {
        command: command.to_owned(),
        ..CrateOptions::new(project::crate_name(spec), spec.display().to_string().replace('\\', "/"))
    }
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
        inputs: api.sources,
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    /// Serves one fixed document for any URL.
    #[derive(Debug)]
    struct OneDocument(&'static str);

    impl Fetch for OneDocument {
        fn fetch(&self, _url: &str, _limit: u64) -> Result<Vec<u8>, String> {
            Ok(self.0.as_bytes().to_vec())
        }
    }

    const HEAD: &str = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\n";

    #[test]
    fn inputs_are_every_file_the_spec_was_read_from() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("schemas")).unwrap();
        std::fs::write(dir.path().join("schemas/a.yaml"), "A: {$ref: 'b.yaml#/B'}").unwrap();
        std::fs::write(dir.path().join("schemas/b.yaml"), "B: {type: string}").unwrap();
        std::fs::write(dir.path().join("stand_in.rs"), "fn main() {}\n").unwrap();
        let spec = dir.path().join("spec.yaml");
        let text = format!(
            "{HEAD}x-codegen:\n  examples:\n    - {{name: stand_in, path: stand_in.rs}}\ncomponents:\n  schemas:\n    \
             A: {{$ref: 'schemas/a.yaml#/A'}}\n"
        );
        std::fs::write(&spec, text).unwrap();
        let generated = generate(&spec, &CrateOptions::new("t", "spec.yaml")).unwrap_or_else(|e| panic!("{e}"));
        let schemas = dir.path().join("schemas");
        let expected = [spec.clone(), schemas.join("a.yaml"), schemas.join("b.yaml"), dir.path().join("stand_in.rs")];
        assert_eq!(generated.inputs, expected);
    }

    #[test]
    fn remote_documents_are_inputs_through_their_cache_folder() {
        let dir = tempfile::tempdir().unwrap();
        let spec = dir.path().join("spec.yaml");
        std::fs::write(
            &spec,
            format!("{HEAD}components:\n  schemas:\n    A: {{$ref: 'https://example.com/a.yaml#/A'}}\n"),
        )
        .unwrap();
        let fetch: Arc<dyn Fetch> = Arc::new(OneDocument("A: {type: string}"));
        let options = CrateOptions { fetch_remote: Some(fetch), ..CrateOptions::new("t", "spec.yaml") };
        let generated = generate(&spec, &options).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(generated.inputs, [spec.clone(), dir.path().join("spec.yaml.refs")]);
    }

    #[test]
    fn cargo_is_told_of_no_file_whose_name_would_break_its_lines() {
        assert_eq!(cargo_path(Path::new("specs/a.yaml")).ok(), Some("specs/a.yaml"));
        let error = cargo_path(Path::new("specs/a\ncargo::rustc-link-arg=-evil.yaml")).unwrap_err();
        assert!(error.to_string().contains("holds a line break"), "{error}");
        assert!(cargo_path(Path::new("a\r.yaml")).is_err());
    }
}
