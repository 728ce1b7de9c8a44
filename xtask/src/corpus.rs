//! `cargo xtask corpus [DIR]`: the generator against a corpus of public specs.
//!
//! Every spec of the corpus (the rows of `DIR/MANIFEST.tsv` that are not fragments, or else
//! every YAML/JSON file with a top-level `asyncapi`/`openapi` key) becomes a crate in one
//! scratch workspace, `<target>/corpus/` (CARGO_TARGET_DIR is respected), so dependencies
//! compile once and reruns are incremental. Files are only rewritten when their text changes.
//!
//! Then, in that workspace, with its own target directory `<target>/corpus/target`:
//! 1. `cargo clippy --workspace --all-targets --all-features --keep-going -- -D warnings`,
//!    whose JSON messages attribute each error to its crate;
//! 2. `cargo test --no-run --keep-going -p <crate>... --test examples` for the crates that
//!    have `tests/examples.rs`, then each test binary is run and its libtest summary read.
//!
//! Prints a markdown table (one row per spec), then the first lines of every failure's
//! output; fails unless every row passes.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use hookwright::{CrateOptions, GeneratedCrate, GeneratedFile, Runtime};
use serde_json::Value;

/// Lines of each failure's output shown after the table.
const LOG_LINES: usize = 30;

/// The integration test the generator writes with one `#[test]` per example of the spec.
const EXAMPLES_TEST: &str = "tests/examples.rs";

/// What to run.
pub struct Options {
    /// The corpus directory.
    pub dir: PathBuf,
    /// Only the specs whose manifest path contains this.
    pub only: Option<String>,
    /// Pass `--offline` to cargo.
    pub offline: bool,
}

/// A spec of the corpus and what became of it.
struct Row {
    /// The path in the manifest (relative to the corpus directory).
    path: String,
    crate_name: String,
    /// The generated crate, or why it could not be generated.
    generated: Result<Generated, String>,
    compile: Outcome,
    examples: Examples,
}

struct Generated {
    types: usize,
    messages: usize,
    operations: usize,
    warnings: usize,
    /// Tests in `tests/examples.rs` (0: the crate has no such file).
    example_tests: usize,
    /// Examples given no test because they contradict their schema.
    skipped_examples: usize,
}

#[derive(Default)]
enum Outcome {
    #[default]
    NotRun,
    Ok,
    /// The first error, and the output to show.
    Failed(String, Vec<String>),
}

#[derive(Default)]
enum Examples {
    /// No `tests/examples.rs`, or nothing was run.
    #[default]
    None,
    Passed(usize),
    /// Passed, total, first error, output.
    Failed(usize, usize, String, Vec<String>),
}

impl Row {
    fn passed(&self) -> bool {
        self.generated.is_ok() && matches!(self.compile, Outcome::Ok) && !matches!(self.examples, Examples::Failed(..))
    }
}

/// Runs the corpus in `target/corpus/`; `Ok(true)` when every row passes.
pub fn run(root: &Path, target: &Path, options: &Options) -> Result<bool, String> {
    let started = Instant::now();
    let dir = options.dir.canonicalize().map_err(|e| format!("{}: {e}", options.dir.display()))?;
    if !dir.is_dir() {
        return Err(format!("{} is not a directory", dir.display()));
    }
    let root = std::path::absolute(root).map_err(|e| format!("{}: {e}", root.display()))?;
    let mut specs = list_specs(&dir)?;
    if let Some(only) = &options.only {
        specs.retain(|path| path.contains(only.as_str()));
    }
    if specs.is_empty() {
        return Err(format!("no spec in {} (filter: {:?})", dir.display(), options.only));
    }
    let workspace = target.join("corpus");
    let workspace = std::path::absolute(&workspace).map_err(|e| format!("{}: {e}", workspace.display()))?;
    let runtime = root.join("runtime");

    // Generate every crate.
    let names = crate_names(&specs);
    let mut rows = Vec::new();
    let mut crates = Vec::new();
    for (path, crate_name) in specs.iter().zip(names) {
        let options = CrateOptions {
            command: "cargo xtask corpus".to_owned(),
            runtime: Runtime::Path(runtime.display().to_string()),
            // A member of the scratch workspace, not a workspace of its own.
            workspace_member: true,
            // The corpus is one collection: a spec may refer to files beside other specs.
            root: Some(dir.clone()),
            ..CrateOptions::new(crate_name.clone(), format!("corpus/{path}"))
        };
        let generated = generate(&dir, path, &options).map(|(generated, krate)| {
            crates.push(krate);
            generated
        });
        if let Err(error) = &generated {
            eprintln!("corpus: cannot generate {}", shorten(&first_line(error), &dir));
        }
        rows.push(Row {
            path: path.clone(),
            crate_name,
            generated,
            compile: Outcome::NotRun,
            examples: Examples::None,
        });
    }

    // Write the workspace, leaving out crates whose manifest cargo cannot load.
    write_workspace(&workspace, &root, &crates)?;
    let mut members: Vec<String> = crates.iter().map(|k| k.name.clone()).collect();
    write_root_manifest(&workspace, &members)?;
    if let Err(error) = metadata(&workspace) {
        eprintln!("corpus: the workspace does not load, checking each manifest alone:\n{error}");
        let mut valid = Vec::new();
        for name in &members {
            write_root_manifest(&workspace, std::slice::from_ref(name))?;
            match metadata(&workspace) {
                Ok(()) => valid.push(name.clone()),
                Err(error) => {
                    let first = format!("Cargo.toml does not load: {}", first_line(&error));
                    set_compile(&mut rows, name, failed(&first, &error));
                }
            }
        }
        members = valid;
        write_root_manifest(&workspace, &members)?;
    }

    if !members.is_empty() {
        clippy(&workspace, options.offline, &members, &mut rows)?;
        examples(&workspace, options.offline, &members, &mut rows)?;
    }

    print_table(&rows, &dir);
    print_failures(&rows, &dir);
    let passed = rows.iter().filter(|r| r.passed()).count();
    let skipped: usize = rows.iter().filter_map(|r| r.generated.as_ref().ok()).map(|g| g.skipped_examples).sum();
    println!();
    println!(
        "{passed}/{} specs pass; {skipped} examples skipped as contradicting their schema; workspace {}; {:.0} s",
        rows.len(),
        workspace.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(passed == rows.len())
}

/// The specs of the corpus, as paths relative to `dir` with `/` separators, sorted.
fn list_specs(dir: &Path) -> Result<Vec<String>, String> {
    let manifest = dir.join("MANIFEST.tsv");
    let mut specs = if manifest.is_file() {
        let text = std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
        manifest_specs(&text).map_err(|e| format!("{}: {e}", manifest.display()))?
    } else {
        let mut found = Vec::new();
        find_specs(dir, dir, &mut found);
        found
    };
    specs.sort();
    specs.dedup();
    for spec in &specs {
        if !dir.join(spec).is_file() {
            return Err(format!("{} names {spec}, which is not in {}", manifest.display(), dir.display()));
        }
    }
    Ok(specs)
}

/// The `local_path` of every row whose `spec_version` does not start with "fragment".
fn manifest_specs(text: &str) -> Result<Vec<String>, String> {
    let mut lines = text.lines().filter(|line| !line.trim().is_empty());
    let header: Vec<&str> = lines.next().ok_or("empty manifest")?.split('\t').map(str::trim).collect();
    let column = |name: &str| header.iter().position(|c| *c == name);
    let path = column("local_path").ok_or("no `local_path` column")?;
    let version = column("spec_version");
    Ok(lines
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
            let is_fragment = version.and_then(|v| cells.get(v)).is_some_and(|v| v.starts_with("fragment"));
            cells.get(path).filter(|p| !p.is_empty() && !is_fragment).map(|p| (*p).to_owned())
        })
        .collect())
}

/// Every YAML/JSON file under `dir` with a top-level `asyncapi` or `openapi` key.
fn find_specs(base: &Path, dir: &Path, found: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            find_specs(base, &path, found);
            continue;
        }
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
        if !matches!(extension, "yaml" | "yml" | "json") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let is_spec = if extension == "json" {
            serde_json::from_str::<Value>(&text)
                .is_ok_and(|v| v.get("asyncapi").is_some() || v.get("openapi").is_some())
        } else {
            text.lines().any(|line| line.starts_with("asyncapi:") || line.starts_with("openapi:"))
        };
        if is_spec {
            if let Ok(relative) = path.strip_prefix(base) {
                found.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
}

/// The longest crate name cargo accepts.
const MAX_CRATE_NAME: usize = 64;

/// A unique crate name for each spec, from its path: `social-media/backend/asyncapi.yaml`
/// → `corpus-social-media-backend` (a file named after its format adds nothing), cut to
/// [`MAX_CRATE_NAME`] characters.
fn crate_names(specs: &[String]) -> Vec<String> {
    let mut taken = BTreeSet::new();
    specs
        .iter()
        .map(|path| {
            let mut parts: Vec<&str> = path.split('/').collect();
            let file = parts.pop().unwrap_or_default();
            let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
            if parts.is_empty() || !matches!(stem.to_ascii_lowercase().as_str(), "asyncapi" | "openapi") {
                parts.push(stem);
            }
            let mut name = String::from("corpus-");
            for c in parts.join("-").chars() {
                let c = if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' };
                if c != '-' || !name.ends_with('-') {
                    name.push(c);
                }
            }
            let mut unique = cut(&name, "");
            let mut n = 2;
            while !taken.insert(unique.clone()) {
                unique = cut(&name, &format!("-{n}"));
                n += 1;
            }
            unique
        })
        .collect()
}

/// `name` (ASCII) cut to fit cargo's 64 characters with `suffix`, without a trailing `-`.
fn cut(name: &str, suffix: &str) -> String {
    let kept = &name[..name.len().min(MAX_CRATE_NAME - suffix.len())];
    format!("{}{suffix}", kept.trim_end_matches('-'))
}

/// Generates the crate of one spec; a panic of the generator is a failure like any other.
fn generate(dir: &Path, path: &str, options: &CrateOptions) -> Result<(Generated, GeneratedCrate), String> {
    let spec = dir.join(path);
    let result = catch_unwind(AssertUnwindSafe(|| hookwright::generate(&spec, options).map_err(|e| e.to_string())));
    let krate = match result {
        Ok(result) => result?,
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            return Err(format!("the generator panicked: {message}"));
        }
    };
    let generated = Generated {
        types: krate.types,
        messages: krate.messages,
        operations: krate.operations,
        warnings: krate.warnings.len(),
        example_tests: krate.example_tests,
        skipped_examples: krate.skipped_examples,
    };
    Ok((generated, krate))
}

/// Writes the crates under `workspace/crates/`, rewriting only files whose text changed (so
/// cargo's fingerprints stay fresh) and removing everything else but `target/`.
fn write_workspace(workspace: &Path, root: &Path, crates: &[GeneratedCrate]) -> Result<(), String> {
    let crates_dir = workspace.join("crates");
    std::fs::create_dir_all(&crates_dir).map_err(io_error(&crates_dir))?;
    for entry in std::fs::read_dir(workspace).map_err(io_error(workspace))?.flatten() {
        let name = entry.file_name();
        if name != "target" && name != "crates" && name != "Cargo.lock" && name != "Cargo.toml" {
            remove(&entry.path())?;
        }
    }
    let names: BTreeSet<&str> = crates.iter().map(|k| k.name.as_str()).collect();
    for entry in std::fs::read_dir(&crates_dir).map_err(io_error(&crates_dir))?.flatten() {
        if !entry.file_name().to_str().is_some_and(|name| names.contains(name)) {
            remove(&entry.path())?;
        }
    }
    for krate in crates {
        let dir = crates_dir.join(&krate.name);
        let wanted: BTreeSet<PathBuf> = krate.files.iter().map(|file| dir.join(&file.path)).collect();
        let mut existing = Vec::new();
        list_files(&dir, &mut existing);
        for file in existing.iter().filter(|file| !wanted.contains(*file)) {
            remove(file)?;
        }
        for GeneratedFile { path, contents } in &krate.files {
            let path = dir.join(path);
            if std::fs::read(&path).is_ok_and(|old| old == contents.as_bytes()) {
                continue;
            }
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(io_error(parent))?;
            }
            std::fs::write(&path, contents).map_err(io_error(&path))?;
        }
    }
    // The repository's lock file: the same dependency versions, nothing new to resolve.
    let lock = workspace.join("Cargo.lock");
    let wanted = std::fs::read(root.join("Cargo.lock")).map_err(io_error(&root.join("Cargo.lock")))?;
    if std::fs::read(&lock).ok().as_ref() != Some(&wanted) {
        std::fs::write(&lock, wanted).map_err(io_error(&lock))?;
    }
    Ok(())
}

/// An I/O error with the path it is about.
fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> String + '_ {
    move |e| format!("{}: {e}", path.display())
}

fn list_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            list_files(&path, files);
        } else {
            files.push(path);
        }
    }
}

fn remove(path: &Path) -> Result<(), String> {
    let result = if path.is_dir() { std::fs::remove_dir_all(path) } else { std::fs::remove_file(path) };
    result.map_err(|e| format!("cannot remove {}: {e}", path.display()))
}

fn write_root_manifest(workspace: &Path, members: &[String]) -> Result<(), String> {
    let mut text = String::from(
        "# Written by `cargo xtask corpus`: one crate per spec of the public corpus.\n[workspace]\nresolver = \"2\"\nmembers = [\n",
    );
    for member in members {
        let _ = writeln!(text, "    \"crates/{member}\",");
    }
    text.push_str("]\n");
    let path = workspace.join("Cargo.toml");
    if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// `cargo metadata --no-deps`: whether every manifest of the workspace loads.
fn metadata(workspace: &Path) -> Result<(), String> {
    let output = cargo(workspace)
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// `cargo` in the scratch workspace, with its own target directory.
fn cargo(workspace: &Path) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(workspace).arg("--color=never");
    command
}

/// The arguments every build command takes (`keep_going`: `--keep-going` or, for `cargo test`,
/// `--no-fail-fast`).
fn build_args(workspace: &Path, offline: bool, keep_going: &str) -> Vec<String> {
    let mut args = vec![
        "--manifest-path".to_owned(),
        workspace.join("Cargo.toml").display().to_string(),
        "--target-dir".to_owned(),
        workspace.join("target").display().to_string(),
        keep_going.to_owned(),
        "--message-format=json".to_owned(),
    ];
    if offline {
        args.push("--offline".to_owned());
    }
    args
}

/// What a cargo build said about each crate of the workspace.
#[derive(Default)]
struct Build {
    success: bool,
    /// Error messages (rendered) by crate directory.
    errors: BTreeMap<PathBuf, Vec<String>>,
    /// Crate directories with at least one artifact built.
    built: BTreeSet<PathBuf>,
    /// Test executables by crate directory.
    executables: BTreeMap<PathBuf, PathBuf>,
    /// Errors of packages outside the workspace, and cargo's own stderr.
    other: Vec<String>,
}

/// Runs a cargo build command with JSON messages, echoing cargo's progress (stderr).
fn build(mut command: Command) -> Result<Build, String> {
    let mut child =
        command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().map_err(|e| format!("cannot run cargo: {e}"))?;
    let stderr = child.stderr.take().ok_or("no stderr")?;
    let echo = std::thread::spawn(move || {
        let mut lines = Vec::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("{line}");
            lines.push(line);
        }
        lines
    });
    let mut build = Build::default();
    let stdout = child.stdout.take().ok_or("no stdout")?;
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|e| format!("reading cargo's output: {e}"))?;
        let Ok(message) = serde_json::from_str::<Value>(&line) else { continue };
        let dir = message["manifest_path"].as_str().and_then(|p| Path::new(p).parent()).map(Path::to_path_buf);
        match message["reason"].as_str() {
            Some("compiler-message") if message["message"]["level"] == "error" => {
                let rendered = message["message"]["rendered"].as_str().unwrap_or_default().to_owned();
                // A library is checked twice with `--all-targets` (as itself and as a test).
                let errors = match dir {
                    Some(dir) => build.errors.entry(dir).or_default(),
                    None => &mut build.other,
                };
                if !errors.contains(&rendered) {
                    errors.push(rendered);
                }
            }
            Some("compiler-artifact") => {
                if let Some(dir) = dir {
                    if let Some(executable) = message["executable"].as_str() {
                        if message["target"]["name"] == "examples" {
                            build.executables.insert(dir.clone(), PathBuf::from(executable));
                        }
                    }
                    build.built.insert(dir);
                }
            }
            _ => {}
        }
    }
    let status = child.wait().map_err(|e| format!("waiting for cargo: {e}"))?;
    build.success = status.success();
    build.other.extend(echo.join().unwrap_or_default());
    Ok(build)
}

/// `cargo clippy --workspace --all-targets --all-features -- -D warnings`, attributed to crates.
fn clippy(workspace: &Path, offline: bool, members: &[String], rows: &mut [Row]) -> Result<(), String> {
    eprintln!("corpus: cargo clippy over {} crates, warnings denied ...", members.len());
    let mut command = cargo(workspace);
    command.arg("clippy").args(build_args(workspace, offline, "--keep-going"));
    command.args(["--workspace", "--all-targets", "--all-features", "--", "-D", "warnings"]);
    let build = build(command)?;
    for name in members {
        let dir = workspace.join("crates").join(name);
        let outcome = match build.errors.get(&dir) {
            Some(errors) => {
                let log: Vec<String> = errors.iter().flat_map(|e| e.lines().map(str::to_owned)).collect();
                let first = errors.first().map(|e| first_line(e)).unwrap_or_default();
                Outcome::Failed(first, log)
            }
            None if build.built.contains(&dir) => Outcome::Ok,
            None => failed("not checked: cargo clippy failed before this crate", &build.other.join("\n")),
        };
        set_compile(rows, name, outcome);
    }
    Ok(())
}

/// Builds `tests/examples.rs` of every crate that has it, then runs each test binary.
fn examples(workspace: &Path, offline: bool, members: &[String], rows: &mut [Row]) -> Result<(), String> {
    let with_tests: Vec<&String> = members
        .iter()
        .filter(|name| {
            rows.iter().any(|r| &r.crate_name == *name && r.generated.as_ref().is_ok_and(|g| g.example_tests > 0))
        })
        .collect();
    if with_tests.is_empty() {
        eprintln!("corpus: no crate has {EXAMPLES_TEST}");
        return Ok(());
    }
    eprintln!("corpus: cargo test --no-run --test examples for {} crates ...", with_tests.len());
    let mut command = cargo(workspace);
    command
        .args(["test", "--no-run"])
        .args(build_args(workspace, offline, "--no-fail-fast"))
        .args(["--test", "examples"]);
    for name in &with_tests {
        command.args(["-p", name.as_str()]);
    }
    let build = build(command)?;
    for name in with_tests {
        let dir = workspace.join("crates").join(name);
        let Some(row) = rows.iter_mut().find(|r| &r.crate_name == name) else { continue };
        let total = row.generated.as_ref().map_or(0, |g| g.example_tests);
        row.examples = match (build.executables.get(&dir), build.errors.get(&dir)) {
            (Some(executable), _) => run_tests(&dir, executable, total)?,
            (None, errors) => {
                let log: Vec<String> = match errors {
                    Some(errors) => errors.iter().flat_map(|e| e.lines().map(str::to_owned)).collect(),
                    None => build.other.clone(),
                };
                let first = errors.and_then(|e| e.first()).map(|e| first_line(e));
                let first = first.unwrap_or_else(|| "the test did not build".to_owned());
                Examples::Failed(0, total, format!("build: {first}"), log)
            }
        };
    }
    Ok(())
}

/// Runs one libtest binary the way `cargo test` does and reads its summary.
fn run_tests(dir: &Path, executable: &Path, expected: usize) -> Result<Examples, String> {
    let output = Command::new(executable)
        .current_dir(dir)
        .env("CARGO_MANIFEST_DIR", dir)
        // The failure and its message, not a backtrace, in the lines shown.
        .env("RUST_BACKTRACE", "0")
        .output()
        .map_err(|e| format!("cannot run {}: {e}", executable.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let summary = stdout.lines().find_map(|line| line.strip_prefix("test result: "));
    let count = |summary: &str, what: &str| {
        summary.split(['.', ';']).find_map(|part| part.trim().strip_suffix(what)?.trim().parse::<usize>().ok())
    };
    let (passed, failed, ignored) = match summary {
        Some(s) => (count(s, "passed"), count(s, "failed"), count(s, "ignored")),
        None => (None, None, None),
    };
    let total = passed.unwrap_or(0) + failed.unwrap_or(0) + ignored.unwrap_or(0);
    let failures: Vec<&str> =
        stdout.lines().filter_map(|line| line.strip_prefix("test ")?.strip_suffix(" ... FAILED")).collect();
    if output.status.success() && failed == Some(0) && passed.is_some() {
        return Ok(Examples::Passed(total));
    }
    // From the first failure's output on: why, not the list of tests that passed.
    let lines: Vec<String> = stdout.lines().chain(stderr.lines()).map(str::to_owned).collect();
    let start = lines.iter().position(|line| line.starts_with("failures:")).unwrap_or(0);
    let first = if failures.is_empty() {
        format!("the test binary failed ({})", output.status)
    } else {
        format!("{} failed: {}", failures.len(), failures.join(", "))
    };
    Ok(Examples::Failed(passed.unwrap_or(0), total.max(expected), first, lines[start..].to_vec()))
}

fn set_compile(rows: &mut [Row], name: &str, outcome: Outcome) {
    if let Some(row) = rows.iter_mut().find(|r| r.crate_name == name) {
        row.compile = outcome;
    }
}

fn failed(first: &str, log: &str) -> Outcome {
    Outcome::Failed(first.to_owned(), log.lines().map(str::to_owned).collect())
}

fn first_line(text: &str) -> String {
    text.lines().find(|line| !line.trim().is_empty()).unwrap_or_default().trim().to_owned()
}

fn print_table(rows: &[Row], dir: &Path) {
    println!("| spec | crate | types | msgs / ops | warnings | compile | examples | first error |");
    println!("|---|---|---:|---:|---:|---|---|---|");
    for row in rows {
        let (types, counts, warnings) = match &row.generated {
            Ok(g) => (g.types.to_string(), format!("{} msg / {} op", g.messages, g.operations), g.warnings.to_string()),
            Err(_) => ("—".to_owned(), "—".to_owned(), "—".to_owned()),
        };
        let compile = match (&row.generated, &row.compile) {
            (Err(_), _) => "FAILED (generate)",
            (_, Outcome::Ok) => "ok",
            (_, Outcome::Failed(..)) => "FAILED",
            (_, Outcome::NotRun) => "—",
        };
        let examples = match &row.examples {
            Examples::None => "—".to_owned(),
            Examples::Passed(n) => format!("{n}/{n}"),
            Examples::Failed(passed, total, ..) => format!("FAILED {passed}/{total}"),
        };
        let examples = match row.generated.as_ref().map_or(0, |g| g.skipped_examples) {
            0 => examples,
            skipped => format!("{examples} ({skipped} skipped: contradict their schema)"),
        };
        let error = match (&row.generated, &row.compile, &row.examples) {
            (Err(error), ..) => first_line(error),
            (_, Outcome::Failed(first, _), _) => first.clone(),
            (.., Examples::Failed(_, _, first, _)) => first.clone(),
            _ => String::new(),
        };
        let error = cell(&shorten(&error, dir));
        println!(
            "| {} | {} | {types} | {counts} | {warnings} | {compile} | {examples} | {error} |",
            cell(&row.path),
            row.crate_name
        );
    }
}

fn print_failures(rows: &[Row], dir: &Path) {
    for row in rows.iter().filter(|r| !r.passed()) {
        let mut sections: Vec<(&str, Vec<String>)> = Vec::new();
        if let Err(error) = &row.generated {
            sections.push(("generate", error.lines().map(|l| shorten(l, dir)).collect()));
        }
        if let Outcome::Failed(_, log) = &row.compile {
            sections.push(("cargo clippy -- -D warnings", log.clone()));
        }
        if let Examples::Failed(_, _, _, log) = &row.examples {
            sections.push(("cargo test --test examples", log.clone()));
        }
        for (what, log) in sections {
            println!();
            println!("### {} ({}): {what}", row.path, row.crate_name);
            println!();
            println!("```text");
            for line in log.iter().take(LOG_LINES) {
                println!("{line}");
            }
            if log.len() > LOG_LINES {
                println!("... ({} more lines)", log.len() - LOG_LINES);
            }
            println!("```");
        }
    }
}

/// Paths inside the corpus, relative to it.
fn shorten(text: &str, dir: &Path) -> String {
    text.replace(&format!("{}/", dir.display()), "")
}

/// Text safe inside a markdown table cell.
fn cell(text: &str) -> String {
    let text = text.replace('|', "\\|");
    match text.char_indices().nth(160) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_short() {
        let specs = [
            "asyncapi2/social-media/backend/asyncapi.yaml".to_owned(),
            "asyncapi2/streetlights-kafka.yaml".to_owned(),
            "asyncapi3/streetlights-kafka.yaml".to_owned(),
            "a/b_c.yaml".to_owned(),
            "a/b-c.yml".to_owned(),
            "openapi.yaml".to_owned(),
            format!("{}/x.yaml", "long-".repeat(12)),
            format!("{}/y.yaml", "long-".repeat(12)),
        ];
        assert_eq!(
            crate_names(&specs),
            [
                "corpus-asyncapi2-social-media-backend",
                "corpus-asyncapi2-streetlights-kafka",
                "corpus-asyncapi3-streetlights-kafka",
                "corpus-a-b-c",
                "corpus-a-b-c-2",
                "corpus-openapi",
                "corpus-long-long-long-long-long-long-long-long-long-long-long-lo",
                "corpus-long-long-long-long-long-long-long-long-long-long-long-2",
            ]
        );
        assert!(crate_names(&specs).iter().all(|name| name.len() <= MAX_CRATE_NAME));
    }

    #[test]
    fn manifest_rows_skip_fragments() {
        let text = "local_path\trepo\tspec_version\na.yaml\tr\tasyncapi 2.6.0\nc/m.yaml\tr\tfragment (x)\n";
        assert_eq!(manifest_specs(text).unwrap(), ["a.yaml"]);
    }
}
