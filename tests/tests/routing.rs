//! How the generator works out, from a spec alone, which message a callback body is.

use hookwright::routing::{analyse, Choice, Routing};

/// Reads an inline AsyncAPI document (channels given as YAML) into its routing.
fn routing(channels: &str, schemas: &str) -> (hookwright::ir::Api, Routing) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spec.asyncapi.yaml");
    let text = format!(
        "asyncapi: 2.6.0\ninfo: {{title: T, version: '1'}}\nchannels:\n{channels}\ncomponents:\n  schemas:\n{schemas}"
    );
    std::fs::write(&path, text).unwrap();
    let api = hookwright::spec::read(&path).unwrap_or_else(|e| panic!("{e}"));
    let routing = analyse(&api);
    (api, routing)
}

fn label(api: &hookwright::ir::Api, routing: &Routing, group: usize) -> String {
    routing.label(api, group)
}

const TAGGED: &str = r#"
    Text:
      type: object
      properties:
        type: {type: string, enum: [mo_text]}
        body: {type: string}
    Binary:
      type: object
      properties:
        type: {type: string, enum: [mo_binary, mo_binary_v2]}
        body: {type: string}
"#;

#[test]
fn a_property_with_disjoint_enum_values_is_a_tag() {
    let (api, routing) = routing(
        "  /in:\n    publish:\n      operationId: receive\n      message:\n        oneOf:\n          - payload: {$ref: '#/components/schemas/Text'}\n          - payload: {$ref: '#/components/schemas/Binary'}\n",
        TAGGED,
    );
    let Choice::Tag { property, values } = &routing.by_payload else {
        panic!("expected a tag, got {:?}", routing.by_payload);
    };
    assert_eq!(property, "type");
    let named: Vec<(String, String)> = values.iter().map(|(v, g)| (v.clone(), label(&api, &routing, *g))).collect();
    assert_eq!(
        named,
        [
            ("mo_text".into(), "ReceiveMessage1".into()),
            ("mo_binary".into(), "ReceiveMessage2".into()),
            ("mo_binary_v2".into(), "ReceiveMessage2".into())
        ]
    );
    assert_eq!(routing.channels[0].choice, routing.by_payload, "one channel holds both messages");
    assert!(routing.notes.is_empty(), "{:?}", routing.notes);
}

#[test]
fn overlapping_enum_values_are_no_tag_so_keys_decide() {
    let schemas = r#"
    A:
      type: object
      properties:
        kind: {type: string, enum: [x, y]}
        a_only: {type: string}
    B:
      type: object
      properties:
        kind: {type: string, enum: [y, z]}
        b_only: {type: string}
"#;
    let (api, routing) = routing(
        "  /a:\n    publish:\n      message: {payload: {$ref: '#/components/schemas/A'}}\n  /b:\n    publish:\n      message: {payload: {$ref: '#/components/schemas/B'}}\n",
        schemas,
    );
    let Choice::Keys { keys, fallback } = &routing.by_payload else {
        panic!("expected keys, got {:?}", routing.by_payload);
    };
    let named: Vec<(String, String)> = keys.iter().map(|(k, g)| (k.clone(), label(&api, &routing, *g))).collect();
    assert_eq!(named, [("a_only".into(), "PublishAMessage".into()), ("b_only".into(), "PublishBMessage".into())]);
    assert!(fallback.is_empty());
    assert_eq!(routing.channels[0].choice, Choice::Single(Some(0)), "by channel there is nothing to choose");
}

#[test]
fn a_message_without_keys_of_its_own_is_a_fallback_and_said_so() {
    let schemas = r#"
    Small:
      type: object
      properties:
        id: {type: string}
    Large:
      type: object
      properties:
        id: {type: string}
        extra: {type: string}
"#;
    let (api, routing) = routing(
        "  /s:\n    publish:\n      message: {payload: {$ref: '#/components/schemas/Small'}}\n  /l:\n    publish:\n      message: {payload: {$ref: '#/components/schemas/Large'}}\n",
        schemas,
    );
    let Choice::Keys { keys, fallback } = &routing.by_payload else {
        panic!("expected keys, got {:?}", routing.by_payload);
    };
    assert_eq!(keys, &[("extra".to_owned(), 1)]);
    assert_eq!(fallback, &[(0, vec!["id".to_owned()])]);
    assert_eq!(label(&api, &routing, 0), "PublishSMessage");
    assert_eq!(routing.notes.len(), 1, "{:?}", routing.notes);
    assert!(routing.notes[0].contains("no property that other messages lack"), "{}", routing.notes[0]);
}

#[test]
fn two_messages_with_one_payload_schema_are_indistinguishable_and_said_so() {
    let schemas = r#"
    Report:
      type: object
      properties:
        type: {type: string, enum: [report_sms, report_mms]}
"#;
    let (api, routing) = routing(
        "  /r:\n    publish:\n      message:\n        oneOf:\n          - {name: sms, payload: {$ref: '#/components/schemas/Report'}}\n          - {name: mms, payload: {$ref: '#/components/schemas/Report'}}\n",
        schemas,
    );
    assert_eq!(routing.groups.len(), 1, "one payload type, one group");
    assert_eq!(routing.groups[0].messages.len(), 2);
    assert_eq!(routing.by_payload, Choice::Single(Some(0)));
    assert_eq!(label(&api, &routing, 0), "PublishRMessage1 or PublishRMessage2");
    assert!(
        routing.notes.iter().any(|n| n.contains("same payload schema") && n.contains("`PublishRMessage1`")),
        "{:?}",
        routing.notes
    );
}

#[test]
fn one_message_on_several_channels_is_exact_by_channel_and_has_no_operation_by_payload() {
    let (api, routing) = routing(
        "  /created:\n    publish:\n      operationId: created\n      message: {$ref: '#/components/messages/Contact'}\n  /deleted:\n    publish:\n      operationId: deleted\n      message: {$ref: '#/components/messages/Contact'}\n",
        "    Contact: {type: object, properties: {contact: {type: object}}}\n  messages:\n    Contact:\n      payload: {$ref: '#/components/schemas/Contact'}\n",
    );
    assert_eq!(routing.groups.len(), 1);
    assert_eq!(routing.groups[0].operations, [0, 1]);
    assert_eq!(routing.channels.len(), 2);
    assert!(routing.channels.iter().all(|c| c.choice == Choice::Single(Some(0))));
    assert!(
        routing.notes.iter().any(|n| n.contains("`created`, `deleted`") && n.contains("without an operation")),
        "{:?}",
        routing.notes
    );
    assert_eq!(api.operations[routing.channels[1].operations[0]].id, "deleted");
}
