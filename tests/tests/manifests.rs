//! What the published manifests promise: each `rust-version` is the newest one among the
//! locked dependencies (so it is true, and no higher than it must be), and the generator writes
//! the runtime's version and Rust version into the crates it generates.

use std::collections::{HashMap, HashSet};
use std::process::Command;

use serde_json::Value;

fn metadata() -> Value {
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--locked", "--offline"])
        .current_dir(spec_tests::repository())
        .output()
        .expect("cargo metadata runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON")
}

fn version(text: &str) -> Vec<u32> {
    text.split('.').map(|part| part.parse().unwrap_or(0)).collect()
}

/// `(declared rust-version, newest rust-version among its normal and build dependencies, and
/// the dependency that has it)` of the package `name`.
fn rust_versions(metadata: &Value, name: &str) -> (String, String, String) {
    let packages: HashMap<&str, &Value> =
        metadata["packages"].as_array().unwrap().iter().map(|p| (p["id"].as_str().unwrap(), p)).collect();
    let nodes: HashMap<&str, &Value> =
        metadata["resolve"]["nodes"].as_array().unwrap().iter().map(|n| (n["id"].as_str().unwrap(), n)).collect();
    let root = packages.iter().find(|(_, p)| p["name"] == name).map(|(id, _)| *id).expect(name);
    let (mut seen, mut pending) = (HashSet::new(), vec![root]);
    while let Some(id) = pending.pop() {
        if !seen.insert(id) {
            continue;
        }
        for dep in nodes[id]["deps"].as_array().unwrap() {
            let kinds = dep["dep_kinds"].as_array().unwrap();
            if kinds.iter().any(|k| k["kind"].is_null() || k["kind"] == "build") {
                pending.push(dep["pkg"].as_str().unwrap());
            }
        }
    }
    seen.remove(root);
    let rust_version = |id: &str| packages[id]["rust_version"].as_str().unwrap_or("0").to_owned();
    let newest = seen.iter().max_by_key(|id| version(&rust_version(id))).expect("dependencies");
    (rust_version(root), rust_version(newest), packages[newest]["name"].as_str().unwrap().to_owned())
}

#[test]
fn every_published_rust_version_is_what_the_locked_dependencies_need() {
    let metadata = metadata();
    for name in ["hookwright-runtime", "hookwright", "cargo-hookwright", "sinch-sms-webhooks", "sinch-provisioning"] {
        let (declared, needed, by) = rust_versions(&metadata, name);
        assert_eq!(declared, needed, "{name} declares rust-version {declared}, but {by} needs {needed}: update it");
    }
}

#[test]
fn generated_crates_ask_for_the_runtime_as_it_is() {
    let (runtime_rust, _, _) = rust_versions(&metadata(), "hookwright-runtime");
    assert_eq!(hookwright::RUST_VERSION, runtime_rust, "hookwright::RUST_VERSION is not the runtime's rust-version");
    assert_eq!(hookwright::RUNTIME_VERSION, hookwright_runtime::COMPATIBLE_VERSION);
}
