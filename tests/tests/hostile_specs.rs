//! Specs written by an attacker, beyond the refused corpus under `tests/hostile/` (run by
//! `broken_specs.rs`): what needs a file system set up at run time (a symlink out of the
//! root, a device inside a wider root), and the specs under `tests/hostile/compiles/`,
//! whose descriptions and values hold characters rustc refuses in comments and literals,
//! which must generate crates that `cargo check` accepts.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use hookwright::{CrateOptions, Diagnostic, GeneratedCrate, GeneratedFile, Runtime};

const COMPILES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/hostile/compiles");

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: Orders, version: '1'}\npaths: {}\n";

/// Writes `spec` as `spec.yaml` in `dir` and generates it with `root` (the default when `None`).
fn generate_in(dir: &Path, spec: &str, root: Option<&Path>) -> Result<GeneratedCrate, Diagnostic> {
    let path = dir.join("spec.yaml");
    fs::write(&path, spec).unwrap();
    let options = CrateOptions { root: root.map(Path::to_path_buf), ..CrateOptions::new("orders", "spec.yaml") };
    hookwright::generate(&path, &options)
}

fn refusal(result: Result<GeneratedCrate, Diagnostic>) -> String {
    match result {
        Ok(krate) => panic!("generated {} instead of refusing", krate.name),
        Err(error) => {
            assert!(error.line_col.is_some(), "no line:column: {error}");
            assert!(error.help.is_some(), "no help: {error}");
            error.to_string()
        }
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_repository_is_refused_and_one_inside_is_followed() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    fs::create_dir_all(repo.join(".git")).unwrap();
    fs::create_dir_all(repo.join("specs")).unwrap();
    let part = "type: object\nproperties: {secret: {type: string}}\n";
    fs::write(dir.path().join("outside.yaml"), part).unwrap();
    fs::write(repo.join("part.yaml"), part).unwrap();
    std::os::unix::fs::symlink(dir.path().join("outside.yaml"), repo.join("specs/escape.yaml")).unwrap();
    std::os::unix::fs::symlink(repo.join("part.yaml"), repo.join("specs/inside.yaml")).unwrap();
    let spec = |target: &str| format!("{HEAD}components:\n  schemas:\n    Order: {{$ref: '{target}'}}\n");

    let text = refusal(generate_in(&repo.join("specs"), &spec("escape.yaml"), None));
    assert!(text.contains("is outside the spec's root") && text.contains("/components/schemas/Order"), "{text}");
    assert!(text.contains("spec.yaml:6:12:"), "{text}");
    // Through `..`, a file in the repository but outside the spec's folder is allowed.
    for inside in ["inside.yaml", "../part.yaml"] {
        let krate = generate_in(&repo.join("specs"), &spec(inside), None).unwrap_or_else(|e| panic!("{inside}: {e}"));
        let models = krate.file("src/models.rs").unwrap();
        assert!(models.contains("pub secret: Option<String>"), "{inside}: {models}");
    }
}

#[test]
fn without_a_repository_the_spec_folder_is_the_root_unless_a_wider_one_is_named() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("specs")).unwrap();
    fs::write(dir.path().join("part.yaml"), "type: string\n").unwrap();
    let spec = format!("{HEAD}components:\n  schemas:\n    Name: {{$ref: '../part.yaml'}}\n");
    // The temporary folder may lie in a repository of its own; then that is the root.
    let inside_a_repository = dir.path().ancestors().any(|a| a.join(".git").exists());
    if !inside_a_repository {
        let text = refusal(generate_in(&dir.path().join("specs"), &spec, None));
        assert!(text.contains("is outside the spec's root"), "{text}");
    }
    generate_in(&dir.path().join("specs"), &spec, Some(dir.path())).unwrap_or_else(|e| panic!("{e}"));
    let text = refusal(generate_in(&dir.path().join("specs"), &spec, Some(&dir.path().join("specs"))));
    assert!(text.contains("is outside the spec's root"), "{text}");
}

#[cfg(unix)]
#[test]
fn a_device_or_a_folder_inside_the_root_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    for target in ["/dev/zero", "/dev/null", "/tmp"] {
        let spec = format!("{HEAD}components:\n  schemas:\n    Name: {{$ref: '{target}'}}\n");
        let text = refusal(generate_in(dir.path(), &spec, Some(Path::new("/"))));
        assert!(text.contains("is not a regular file"), "{target}: {text}");
    }
    let fifo = dir.path().join("fifo.yaml");
    let made = Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success());
    if made {
        let spec = format!("{HEAD}x-codegen:\n  examples:\n    - {{name: fifo, path: fifo.yaml}}\n");
        let text = refusal(generate_in(dir.path(), &spec, None));
        assert!(text.contains("is not a regular file") && text.contains("/x-codegen/examples/0/path"), "{text}");
    }
}

#[test]
fn the_library_refuses_a_crate_name_cargo_would_refuse_instead_of_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spec.yaml");
    fs::write(&path, HEAD).unwrap();
    for name in ["a b", "x\ny", "self", "std", "../x", "a\"b", ""] {
        let error = hookwright::generate(&path, &CrateOptions::new(name, "spec.yaml")).expect_err(name);
        assert!(error.message.contains("not a valid crate name"), "{name:?}: {error}");
    }
}

/// Generates each spec under `tests/hostile/compiles/` into one scratch workspace.
fn generate_compiles(workspace: &Path) -> Vec<GeneratedCrate> {
    let runtime = spec_tests::repository().join("runtime");
    let mut specs: Vec<PathBuf> = fs::read_dir(COMPILES).unwrap().map(|e| e.unwrap().path()).collect();
    specs.sort();
    let mut crates = Vec::new();
    for spec in specs {
        // `characters.openapi.yaml` → `openapi`.
        let kind = spec.file_name().unwrap().to_string_lossy().split('.').nth(1).unwrap_or_default().to_owned();
        let options = CrateOptions {
            runtime: Runtime::Path(runtime.display().to_string()),
            workspace_member: true,
            // The spec's path reaches every file's first line.
            ..CrateOptions::new(format!("hostile-{kind}"), format!("hostile/compiles/\r\u{202e}{kind}.yaml"))
        };
        let krate = hookwright::generate(&spec, &options).unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
        hookwright::output::write_crate(&workspace.join(&krate.name), &krate).unwrap();
        crates.push(krate);
    }
    crates
}

#[test]
fn no_generated_file_holds_a_carriage_return_or_a_bidi_control() {
    let dir = tempfile::tempdir().unwrap();
    let crates = generate_compiles(dir.path());
    assert_eq!(crates.len(), 2);
    for krate in &crates {
        for GeneratedFile { path, contents: text } in &krate.files {
            let bad =
                text.chars().find(|c| *c == '\r' || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'));
            assert_eq!(bad, None, "{} {path} holds {bad:?}", krate.name);
        }
        let manifest = krate.file("Cargo.toml").unwrap();
        assert!(manifest.starts_with("# Generated by"), "{manifest}");
        assert_eq!(manifest.lines().filter(|l| l.starts_with("[package]")).count(), 1, "{manifest}");
    }
}

/// Builds both crates with `cargo check --all-targets` (their tests hold the spec's examples,
/// one needing more `#`s than a raw string allows), offline, at the versions this repository
/// locks, in a target folder of their own that later runs reuse.
#[test]
fn crates_from_hostile_characters_pass_cargo_check() {
    let dir = tempfile::tempdir().unwrap();
    let crates = generate_compiles(dir.path());
    let members: Vec<String> = crates.iter().map(|k| format!("{:?}", k.name)).collect();
    let manifest = format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", "));
    fs::write(dir.path().join("Cargo.toml"), manifest).unwrap();
    fs::copy(spec_tests::repository().join("Cargo.lock"), dir.path().join("Cargo.lock")).unwrap();
    let output = Command::new(env!("CARGO"))
        .args(["check", "--offline", "--workspace", "--all-targets", "--message-format", "short"])
        .env("CARGO_TARGET_DIR", Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile-check"))
        .current_dir(dir.path())
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "cargo check of the hostile crates failed:\n{stderr}");
    assert!(!stderr.contains("warning: text_direction") && !stderr.contains("bare CR"), "{stderr}");
}
