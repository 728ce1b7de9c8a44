//! Bad specs give an error naming the file, the place and the fix; never a panic, and
//! never a half-written `generated/`.

use std::fs;
use std::path::Path;

use hookwright::project::{Failure, Project};

/// Generates `spec` (plus any extra files) in a temporary directory; returns the error text.
fn error_of(spec: &str, extra: &[(&str, &str)]) -> String {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in extra {
        fs::write(dir.path().join(path), text).unwrap();
    }
    let path = dir.path().join("broken.yaml");
    fs::write(&path, spec).unwrap();
    let options = Project::new(dir.path()).options(&path);
    match hookwright::generate(&path, &options) {
        Ok(_) => panic!("generated, but must fail:\n{spec}"),
        Err(error) => {
            let text = error.to_string();
            assert!(text.contains("broken.yaml"), "no file name in {text:?}");
            assert!(error.help.is_some(), "no help in {text:?}");
            text
        }
    }
}

fn assert_contains(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "{part:?} not in:\n{text}");
    }
}

const HEAD: &str = "asyncapi: 2.6.0\ninfo: {title: T, version: '1'}\nchannels: {}\n";

#[test]
fn invalid_yaml_points_at_line_and_column() {
    let text = error_of("asyncapi: 2.6.0\ninfo:\n  title: [unclosed\n", &[]);
    assert_contains(&text, &["broken.yaml:", "invalid YAML"]);
    assert!(text.contains(":3:") || text.contains(":4:"), "no line in {text}");
}

#[test]
fn an_empty_document_is_refused() {
    assert_contains(&error_of("", &[]), &["the document is empty"]);
    assert_contains(&error_of("# only a comment\n", &[]), &["the document is empty"]);
}

#[test]
fn unknown_versions_and_formats_are_named() {
    assert_contains(&error_of("asyncapi: 4.0.0\ninfo: {title: T}\n", &[]), &["AsyncAPI 4.0.0 is not supported", ":1:"]);
    assert_contains(&error_of("openapi: 4.0.0\ninfo: {title: T}\n", &[]), &["OpenAPI 4.0.0 is not supported"]);
    assert_contains(&error_of("swagger: '2.0'\n", &[]), &["Swagger 2.0 is not supported"]);
    assert_contains(&error_of("title: nothing\n", &[]), &["no `asyncapi` or `openapi` version field"]);
    assert_contains(&error_of("- a list\n", &[]), &["not a mapping"]);
}

#[test]
fn a_missing_title_is_named() {
    assert_contains(
        &error_of("asyncapi: 2.6.0\ninfo: {version: '1'}\n", &[]),
        &["`info.title` is missing", "(at /info)"],
    );
}

#[test]
fn an_unresolved_ref_points_at_the_ref() {
    let spec = format!("{HEAD}components:\n  schemas:\n    A:\n      $ref: '#/components/schemas/Missing'\n");
    let text = error_of(&spec, &[]);
    assert_contains(
        &text,
        &["broken.yaml:7:", "unresolved `$ref` \"#/components/schemas/Missing\"", "(at /components/schemas/A)"],
    );
}

#[test]
fn a_cyclic_ref_chain_names_every_step() {
    let spec = format!("{HEAD}components:\n  schemas:\n    A: {{$ref: '#/components/schemas/B'}}\n    B: {{$ref: '#/components/schemas/A'}}\n");
    assert_contains(
        &error_of(&spec, &[]),
        &["cyclic `$ref` chain", "/components/schemas/A -> ", "/components/schemas/B"],
    );
}

#[test]
fn a_ref_to_a_missing_file_names_it() {
    let spec = format!("{HEAD}components:\n  schemas:\n    A: {{$ref: './nowhere.yaml#/A'}}\n");
    assert_contains(&error_of(&spec, &[]), &["\"./nowhere.yaml#/A\" cannot be loaded", "nowhere.yaml"]);
}

#[test]
fn a_ref_into_a_broken_file_names_the_referring_place() {
    let spec = format!("{HEAD}components:\n  schemas:\n    A: {{$ref: './other.yaml#/A'}}\n");
    let text = error_of(&spec, &[("other.yaml", "A: [\n")]);
    assert_contains(&text, &["cannot be loaded: invalid YAML", "(at /components/schemas/A)"]);
}

#[test]
fn a_remote_ref_is_reported_clearly() {
    let spec = format!("{HEAD}components:\n  schemas:\n    A: {{$ref: 'https://example.com/a.yaml'}}\n");
    assert_contains(
        &error_of(&spec, &[]),
        &["remote `$ref`", "has no cached copy in", "broken.yaml.refs", "--fetch-remote"],
    );
}

#[test]
fn keywords_of_the_wrong_type_are_named() {
    let schema = |body: &str| format!("{HEAD}components:\n  schemas:\n    A:\n{body}");
    assert_contains(
        &error_of(&schema("      type: object\n      properties: [a, b]\n"), &[]),
        &["`properties` must be a mapping", "/components/schemas/A/properties"],
    );
    assert_contains(
        &error_of(&schema("      type: object\n      required: yes\n      properties: {a: {}}\n"), &[]),
        &["`required` must be a list"],
    );
    assert_contains(&error_of(&schema("      type: 5\n"), &[]), &["`type` must be a string", ":7:"]);
    assert_contains(&error_of(&schema("      type: strnig\n"), &[]), &["unknown type \"strnig\""]);
    assert_contains(&error_of(&schema("      enum: []\n"), &[]), &["`enum` must be a non-empty list"]);
    assert_contains(&error_of(&schema("      - not a schema\n"), &[]), &["a schema must be an object, found a list"]);
}

/// Real specs repeat operationIds, so a duplicate is generated (suffixed in order of
/// appearance) with a warning that names both places, not refused.
#[test]
fn a_duplicate_operation_id_is_a_warning_naming_both_places() {
    let spec = "asyncapi: 2.6.0\ninfo: {title: T}\nchannels:\n  /a: {publish: {operationId: same}}\n  /b: {publish: {operationId: same}}\n";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("twice.yaml");
    fs::write(&path, spec).unwrap();
    let krate = hookwright::generate(&path, &Project::new(dir.path()).options(&path)).unwrap();
    assert_eq!(krate.warnings.len(), 1, "{:?}", krate.warnings);
    assert_contains(
        &krate.warnings[0],
        &[
            "duplicate operationId \"same\"",
            "twice.yaml#/channels/~1b/publish",
            "twice.yaml#/channels/~1a/publish",
            "`same_2`",
        ],
    );
}

#[test]
fn a_shipped_example_that_cannot_be_read_or_named_is_refused() {
    let spec = |entry: &str| format!("{HEAD}x-codegen:\n  examples:\n    - {entry}\n");
    let text = error_of(&spec("{name: stand_in, path: nowhere/stand_in.rs}"), &[]);
    assert_contains(&text, &["/x-codegen/examples/0/path", "cannot read", "relative to the spec"]);
    let text = error_of(&spec("{name: 'Stand In', path: x.rs}"), &[("x.rs", "fn main() {}")]);
    assert_contains(&text, &["is not an example name"]);
    let text = error_of(&spec("{name: a, path: x.rs, required-features: axum}"), &[("x.rs", "fn main() {}")]);
    assert_contains(&text, &["required-features", "must be a list of strings"]);
    let twice =
        format!("{HEAD}x-codegen:\n  examples:\n    - {{name: a, path: x.rs}}\n    - {{name: a, path: x.rs}}\n");
    assert_contains(&error_of(&twice, &[("x.rs", "fn main() {}")]), &["a second example named `a`"]);
}

#[test]
fn duplicate_yaml_keys_are_refused() {
    assert_contains(
        &error_of("asyncapi: 2.6.0\ninfo: {title: T}\ninfo: {title: U}\n", &[]),
        &["invalid YAML", "uplicate"],
    );
}

#[test]
fn deeply_nested_schemas_do_not_crash() {
    let mut schema = String::from("{type: string}");
    for _ in 0..200 {
        schema = format!("{{type: object, properties: {{inner: {schema}}}}}");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deep.yaml");
    fs::write(&path, format!("{HEAD}components:\n  schemas:\n    Deep: {schema}\n")).unwrap();
    let options = Project::new(dir.path()).options(&path);
    match hookwright::generate(&path, &options) {
        Ok(krate) => assert!(krate.types >= 200),
        Err(error) => assert!(error.to_string().contains("deep.yaml"), "{error}"),
    }
}

#[test]
fn a_bad_spec_leaves_generated_exactly_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let project = Project::new(dir.path());
    fs::create_dir_all(project.specs_dir()).unwrap();
    fs::write(project.specs_dir().join("good.asyncapi.yaml"), HEAD).unwrap();
    project.regenerate().unwrap();
    let before = snapshot(&project.generated_dir());
    assert!(before.contains("good/src/models.rs"));

    fs::write(
        project.specs_dir().join("good.asyncapi.yaml"),
        format!("{HEAD}components: {{schemas: {{A: {{type: object, properties: {{a: {{}}}}}}}}}}\n"),
    )
    .unwrap();
    fs::write(project.specs_dir().join("bad.asyncapi.yaml"), "asyncapi: 2.6.0\ninfo: [\n").unwrap();
    match project.regenerate() {
        Err(Failure::Specs(errors)) => assert_eq!(errors.len(), 1, "{errors:?}"),
        other => panic!("expected a spec error, got {other:?}"),
    }
    assert_eq!(snapshot(&project.generated_dir()), before);
}

/// Every file under `dir` with its contents, for comparing directory trees.
fn snapshot(dir: &Path) -> String {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in fs::read_dir(next).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap().display().to_string();
                out.push(format!("{name}\n{}", fs::read_to_string(&path).unwrap()));
            }
        }
    }
    out.sort();
    out.join("\n")
}
