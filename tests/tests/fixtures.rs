//! Recorded payloads under `tests/fixtures/<crate>/` decode into their generated types and
//! re-encode to an equal document; broken ones fail with an error naming the problem.
//!
//! A fixture is named `<Message>.json` or `<Message>.<case>.json`, where `<Message>` is the
//! message key (AsyncAPI) or schema key (OpenAPI). Cases named `unknown-*` must report
//! what the spec does not describe; every other valid fixture must be fully typed.
//! `invalid/<Message>.<case>.json` must fail with the text of its `.expect` file.

use std::fs;
use std::path::{Path, PathBuf};

use spec_tests::{differences, json_files, payloads, repository, Payload};

const CRATES: [&str; 3] = ["sinch-conversation-webhooks", "sinch-sms-webhooks", "sinch-provisioning"];

fn fixtures(crate_name: &str, sub: &str) -> Vec<PathBuf> {
    let dir = repository().join("tests/fixtures").join(crate_name).join(sub);
    json_files(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

fn payload_for(crate_name: &str, file: &Path) -> &'static Payload {
    let name = file.file_name().unwrap().to_str().unwrap();
    let key = name.split('.').next().unwrap();
    payloads(crate_name)
        .iter()
        .find(|p| p.key == key)
        .unwrap_or_else(|| panic!("{}: no message or schema {key:?} in {crate_name}", file.display()))
}

#[test]
fn every_valid_fixture_round_trips() {
    let mut checked = 0;
    for crate_name in CRATES {
        for file in fixtures(crate_name, "") {
            let payload = payload_for(crate_name, &file);
            let bytes = fs::read(&file).unwrap();
            let decoded =
                (payload.decode)(&bytes).unwrap_or_else(|e| panic!("{} as {}: {e}", file.display(), payload.type_name));
            let original: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            let diffs = differences(&original, &decoded.reencoded);
            assert!(diffs.is_empty(), "{}: re-encoded differs at {diffs:?}", file.display());

            let expects_unknowns = file.to_string_lossy().contains(".unknown-");
            assert_eq!(
                !decoded.unknowns.is_empty(),
                expects_unknowns,
                "{}: values not described by the spec: {:?}",
                file.display(),
                decoded.unknowns
            );
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} fixtures found");
}

#[test]
fn every_invalid_fixture_fails_naming_the_problem() {
    let mut checked = 0;
    for crate_name in CRATES {
        for file in fixtures(crate_name, "invalid") {
            let payload = payload_for(crate_name, &file);
            let expected = fs::read_to_string(file.with_extension("expect"))
                .unwrap_or_else(|e| panic!("{}: missing .expect file: {e}", file.display()));
            let error = (payload.decode)(&fs::read(&file).unwrap())
                .err()
                .unwrap_or_else(|| panic!("{} decoded but must not", file.display()));
            assert!(
                error.to_string().contains(expected.trim()),
                "{}: error {error:?} does not mention {expected:?}",
                file.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 4, "only {checked} invalid fixtures found");
}

#[test]
fn every_message_and_schema_has_a_decoder_and_a_fixture() {
    for crate_name in CRATES {
        let spec = fs::read_dir(repository().join("specs"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().unwrap().to_str().unwrap().starts_with(&format!("{crate_name}.")))
            .unwrap();
        let api = hookwright::spec::read(&spec).unwrap();
        let keys: Vec<String> = if api.messages.is_empty() {
            api.types
                .iter()
                .filter(|t| t.name.declared && matches!(t.kind, hookwright::ir::TypeKind::Struct { .. }))
                .map(|t| t.name.path[0].clone())
                .collect()
        } else {
            api.messages.iter().map(|m| m.key.clone()).collect()
        };
        let files: Vec<String> = fixtures(crate_name, "")
            .iter()
            .map(|f| f.file_name().unwrap().to_str().unwrap().split('.').next().unwrap().to_owned())
            .collect();
        for key in &keys {
            assert!(payloads(crate_name).iter().any(|p| p.key == key), "{crate_name}: no decoder for {key}");
            assert!(files.contains(key), "{crate_name}: no fixture for {key}");
        }
        assert_eq!(payloads(crate_name).len(), keys.len(), "{crate_name}: decoders for keys the spec lacks");
    }
}

#[test]
fn message_examples_in_the_specs_round_trip() {
    for crate_name in CRATES {
        let spec = repository().join("specs").join(format!("{crate_name}.asyncapi.yaml"));
        let Ok(api) = hookwright::spec::read(&spec) else { continue };
        for message in &api.messages {
            let payload = payloads(crate_name).iter().find(|p| p.key == message.key).unwrap();
            for example in &message.examples {
                let bytes = serde_json::to_vec(&example.payload).unwrap();
                let decoded = (payload.decode)(&bytes).unwrap_or_else(|e| panic!("{}: {e}", message.key));
                assert_eq!(differences(&example.payload, &decoded.reencoded), Vec::<String>::new());
                assert_eq!(decoded.unknowns, Vec::<String>::new(), "{} example", message.key);
            }
        }
    }
}

#[test]
fn an_explicit_null_for_an_optional_field_survives() {
    let json = br#"{"app_id":null,"project_id":"p1","contact_create_notification":{}}"#;
    let contact: sinch_conversation_webhooks::ContactEventPayload = serde_json::from_slice(json).unwrap();
    assert_eq!(contact.app_id, None);
    assert_eq!(
        serde_json::to_vec(&contact).unwrap(),
        br#"{"project_id":"p1","contact_create_notification":{},"app_id":null}"#
    );
    assert!(hookwright_runtime::Unknowns::unknowns(&contact).is_empty());
}

#[test]
fn a_duplicate_key_is_an_error() {
    let json = br#"{"project_id":"p1","project_id":"p2","contact_create_notification":{}}"#;
    let error = serde_json::from_slice::<sinch_conversation_webhooks::ContactEventPayload>(json).unwrap_err();
    assert!(error.to_string().contains("duplicate field `project_id`"), "{error}");
}
