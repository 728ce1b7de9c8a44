//! `cargo hookwright generate` as a user runs it: what it refuses (exit 2, nothing touched),
//! and `--check`.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

const SPEC: &str = r#"
asyncapi: 2.0.0
info: {title: Minimal, version: '0.1'}
channels:
  ping:
    subscribe:
      message:
        payload:
          type: object
          properties: {sent_at: {type: string, format: date-time}}
"#;

fn generate(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-hookwright"))
        .args(["hookwright", "generate", "minimal.asyncapi.yaml"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the CLI runs")
}

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("minimal.asyncapi.yaml"), SPEC).unwrap();
    dir
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(snapshot(&path));
        } else {
            out.push((path.display().to_string(), fs::read(&path).unwrap()));
        }
    }
    out.sort();
    out
}

#[test]
fn a_foreign_directory_or_a_file_is_refused_and_left_byte_identical() {
    let dir = setup();
    let repo = dir.path().join("repo");
    fs::create_dir_all(repo.join(".git")).unwrap();
    fs::write(repo.join("NOTES.md"), "my notes").unwrap();
    fs::write(repo.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    fs::write(dir.path().join("file"), "data").unwrap();
    let before = snapshot(dir.path());

    for out in ["repo", "file"] {
        let output = generate(dir.path(), &["--out", out]);
        assert_eq!(output.status.code(), Some(2), "{out}: {}", stderr(&output));
        assert!(stderr(&output).contains("refusing to write"), "{}", stderr(&output));
    }
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn check_passes_on_an_up_to_date_output_and_fails_with_a_diff_on_a_stale_one() {
    let dir = setup();
    let output = generate(dir.path(), &["--out", "minimal"]);
    assert!(output.status.success(), "{}", stderr(&output));
    fs::write(dir.path().join("minimal/NOTES.md"), "mine").unwrap();

    let output = generate(dir.path(), &["--out", "minimal", "--check"]);
    assert!(output.status.success(), "{}", stderr(&output));

    let models = dir.path().join("minimal/src/models.rs");
    let edited = fs::read_to_string(&models).unwrap().replace("pub struct", "pub(crate) struct");
    fs::write(&models, &edited).unwrap();
    let output = generate(dir.path(), &["--out", "minimal", "--check"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stdout).contains("-pub(crate) struct"));
    assert_eq!(fs::read_to_string(&models).unwrap(), edited, "--check wrote");

    let output = generate(dir.path(), &["--out", "minimal"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_ne!(fs::read_to_string(&models).unwrap(), edited);
    assert_eq!(fs::read_to_string(dir.path().join("minimal/NOTES.md")).unwrap(), "mine");
}

#[test]
fn the_runtime_comes_from_the_registry_unless_a_path_is_given() {
    let dir = setup();
    assert!(generate(dir.path(), &["--out", "a"]).status.success());
    let manifest = fs::read_to_string(dir.path().join("a/Cargo.toml")).unwrap();
    assert!(manifest.contains("\nhookwright-runtime = \"0.1\"\n"), "{manifest}");
    assert!(manifest.contains("\n[workspace]\n"), "{manifest}");

    let args = ["--out", "crates/b", "--runtime", "path=vendor/runtime", "--workspace-member"];
    assert!(generate(dir.path(), &args).status.success());
    let manifest = fs::read_to_string(dir.path().join("crates/b/Cargo.toml")).unwrap();
    assert!(
        manifest.contains(r#"hookwright-runtime = { version = "0.1", path = "../../vendor/runtime" }"#),
        "{manifest}"
    );
    assert!(!manifest.contains("[workspace]"), "{manifest}");
}

#[test]
fn bad_crate_names_are_refused_with_a_reason() {
    let dir = setup();
    for name in ["a\"b", "a\nb", "a b", "..", "../x", "self", "core", "test", "std", "alloc"] {
        let output = generate(dir.path(), &["--out", "x", "--crate-name", name]);
        assert_eq!(output.status.code(), Some(2), "{name:?}: {}", stderr(&output));
        assert!(stderr(&output).contains("not a valid crate name"), "{}", stderr(&output));
    }
    assert!(!dir.path().join("x").exists());
}

/// A spec in `repo/` (which holds `.git`) that refers to `target`.
fn spec_referring_to(dir: &Path, target: &str) -> std::path::PathBuf {
    let repo = dir.join("repo");
    fs::create_dir_all(repo.join(".git")).unwrap();
    let spec = format!("openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    Shared:\n      $ref: '{target}'\n");
    fs::write(repo.join("minimal.asyncapi.yaml"), spec).unwrap();
    repo
}

#[test]
fn a_file_outside_the_repository_is_refused_with_the_ref_location_unless_root_names_a_wider_folder() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("shared.yaml"), "type: string\n").unwrap();
    let repo = spec_referring_to(dir.path(), "../shared.yaml");
    let output = generate(&repo, &["--out", "x"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let text = stderr(&output);
    assert!(text.contains("minimal.asyncapi.yaml:7:7:") && text.contains("(at /components/schemas/Shared)"), "{text}");
    assert!(text.contains("is outside the spec's root") && text.contains("--root DIR"), "{text}");
    assert!(!repo.join("x").exists());

    let root = dir.path().to_str().unwrap();
    let output = generate(&repo, &["--out", "x", "--root", root]);
    assert!(output.status.success(), "{}", stderr(&output));
    let output = generate(&repo, &["--out", "y", "--root", "/nowhere/at/all"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
}

#[cfg(unix)]
#[test]
fn a_device_is_refused_even_inside_the_root() {
    let dir = tempfile::tempdir().unwrap();
    let repo = spec_referring_to(dir.path(), "/dev/zero");
    let output = generate(&repo, &["--out", "x", "--root", "/"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("/dev/zero is not a regular file"), "{}", stderr(&output));
}

/// A warning quotes the spec (here a repeated operationId holding an escape sequence that
/// would recolour the terminal): its control characters are printed escaped.
#[test]
fn warnings_print_control_characters_escaped() {
    let dir = setup();
    let spec = "asyncapi: 2.6.0\ninfo: {title: Minimal, version: '0.1'}\nchannels:\n  a:\n    subscribe:\n      operationId: \"x\\e[31my\"\n      message: {payload: {type: string}}\n  b:\n    subscribe:\n      operationId: \"x\\e[31my\"\n      message: {payload: {type: string}}\n";
    fs::write(dir.path().join("minimal.asyncapi.yaml"), spec).unwrap();
    let output = generate(dir.path(), &["--out", "out"]);
    let stderr = stderr(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("warning: ") && stderr.contains("x\\u{1b}[31my"), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "a raw escape reached the terminal: {stderr:?}");
}
