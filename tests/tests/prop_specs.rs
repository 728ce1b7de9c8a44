//! Property tests: random specs never make the generator panic.
//!
//! Strategies build plausible AsyncAPI 2.6 and OpenAPI 3.1 documents as JSON values: random
//! `components/schemas` under odd names (dots, slashes, spaces, leading digits, non-ASCII,
//! Rust keywords, names that collide once converted), schema trees of objects, arrays, enums
//! with odd values, `allOf`, `oneOf`/`anyOf`, `$ref`s to declared schemas (themselves
//! included), nullable types, formats and maps; channels, messages and operations that use
//! them. Each document is written as block YAML or as JSON. A second strategy takes such a
//! document and breaks it: a key deleted, a value of another JSON type, a `$ref` to nowhere,
//! a cycle of `$ref`s, garbage in the text.
//!
//! Whatever the input, `hookwright::generate` returns: an error names the file, a line:column
//! or JSON pointer, and a fix; a crate's Rust files parse, and generating the same document
//! again (in another directory) gives the same files byte for byte.
//!
//! Each case runs in a child process (this test binary, see [`child_process`]) so that a
//! panic, a stack overflow or a hang (over 60 s) fails that case, and shrinks, instead of
//! taking the whole test run down. While shrinking, only failures of the kind first found
//! count, so the minimal input shows that bug.
//!
//! 64 cases per property by default; `PROPTEST_CASES=1000` runs more.

mod common;

use std::any::Any;
use std::fmt;
use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use hookwright::project::Project;
use hookwright::{Diagnostic, GeneratedCrate, GeneratedFile};
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::strategy::BoxedStrategy;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};
use serde_json::{json, Map, Value};

/// The shared configuration, with shrinking bounded in time.
fn config() -> Config {
    let mut config = common::proptest_config();
    if config.max_shrink_time == 0 {
        // A hang costs the whole timeout per attempt: bound the time spent shrinking.
        config.max_shrink_time = 120_000;
    }
    config
}

// ---------------------------------------------------------------------------------------------
// Names and schemas.
// ---------------------------------------------------------------------------------------------

/// Names that stress naming: keywords, reserved type names, odd characters, and spellings
/// that collide once converted to `UpperCamelCase` or `snake_case`.
const ODD_NAMES: &[&str] = &[
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "fn",
    "match",
    "async",
    "r#type",
    "_",
    "__",
    "",
    "String",
    "Option",
    "Result",
    "Value",
    "Vec",
    "Box",
    "Map",
    "Timestamp",
    "UnknownFields",
    "unknown_fields",
    "Unknown",
    "UnknownValue",
    "Secret",
    "Payload",
    "item",
    "items",
    "value",
    "a.b",
    "a/b",
    "a b",
    "~x",
    "a~1b",
    "%41",
    "#",
    "$ref",
    "-",
    "..",
    "1st",
    "123",
    "0",
    "日本語",
    "Ünïcödé",
    "émoji😀",
    "Ä-b",
    "foo_bar",
    "FooBar",
    "foo-bar",
    "fooBar",
    "FOO_BAR",
    "foo bar",
    "null",
    "true",
    "on",
    "off",
    "yes",
    "no",
    "statuses",
    "data",
    "Status",
];

fn name() -> BoxedStrategy<String> {
    prop_oneof![
        4 => "[a-z][a-zA-Z0-9]{0,7}",
        3 => select(ODD_NAMES).prop_map(str::to_owned),
        1 => "\\PC{0,6}",
    ]
    .boxed()
}

/// Values of string enums: odd ones included.
fn enum_value() -> BoxedStrategy<Value> {
    prop_oneof![
        3 => "[A-Z_]{1,8}".prop_map(Value::String),
        2 => select(ODD_NAMES).prop_map(Value::from),
        1 => "\\PC{0,6}".prop_map(Value::String),
    ]
    .boxed()
}

/// A `$ref` to the declared schema with this index (modulo the count), resolved once the
/// document's schemas are known (see [`resolve_refs`]).
fn schema_ref(index: usize) -> Value {
    json!({"$ref": format!("@schema:{index}")})
}

fn leaf_schema() -> BoxedStrategy<Value> {
    let scalar = select(vec!["string", "integer", "number", "boolean", "object", "array"]);
    prop_oneof![
        3 => Just(json!({"type": "string"})),
        2 => select(vec!["date-time", "int32", "int64", "password", "uri", "email", "uuid", "byte", "date"])
            .prop_map(|format| json!({"type": "string", "format": format})),
        2 => (select(vec![None, Some("int32"), Some("int64")]), prop::option::of(-5i64..5), prop::option::of(0i64..1000))
            .prop_map(|(format, min, max)| {
                let mut schema = json!({"type": "integer"});
                if let Some(format) = format {
                    schema["format"] = json!(format);
                }
                if let Some(min) = min {
                    schema["minimum"] = json!(min);
                }
                if let Some(max) = max {
                    schema["maximum"] = json!(max);
                }
                schema
            }),
        1 => Just(json!({"type": "number"})),
        1 => Just(json!({"type": "boolean"})),
        1 => Just(json!({})),
        1 => Just(json!(true)),
        1 => Just(json!({"type": "null"})),
        1 => Just(json!({"type": "object"})),
        1 => any::<bool>().prop_map(|b| json!({"type": "object", "additionalProperties": b})),
        2 => (prop::collection::vec(enum_value(), 1..5), any::<bool>()).prop_map(|(values, typed)| {
            if typed {
                json!({"type": "string", "enum": values})
            } else {
                json!({"enum": values})
            }
        }),
        1 => Just(json!({"enum": [1, "a", null, true]})),
        1 => Just(json!({"type": "string", "enum": [1, true, "x"]})),
        3 => any::<usize>().prop_map(schema_ref),
        2 => scalar.clone().prop_map(|t| json!({"type": [t, "null"]})),
        1 => (scalar.clone(), scalar).prop_map(|(a, b)| json!({"type": [a, b]})),
    ]
    .boxed()
}

/// A schema tree, a few levels deep.
fn schema() -> BoxedStrategy<Value> {
    leaf_schema()
        .prop_recursive(3, 32, 5, |inner| {
            let properties = prop::collection::vec((name(), inner.clone(), any::<bool>()), 0..5);
            prop_oneof![
                4 => (properties, prop::option::of(name()), prop::option::of(inner.clone()), any::<bool>())
                    .prop_map(|(properties, extra_required, additional, typed)| object_schema(properties, extra_required, additional, typed)),
                2 => (inner.clone(), any::<bool>()).prop_map(|(items, typed)| {
                    if typed {
                        json!({"type": "array", "items": items})
                    } else {
                        json!({"items": items})
                    }
                }),
                2 => prop::collection::vec(inner.clone(), 1..4).prop_map(|parts| json!({"allOf": parts})),
                1 => (prop::collection::vec(inner.clone(), 1..3), prop::collection::vec((name(), inner.clone(), any::<bool>()), 1..3))
                    .prop_map(|(parts, own)| {
                        let mut schema = object_schema(own, None, None, true);
                        schema["allOf"] = json!(parts);
                        schema
                    }),
                1 => (select(vec!["oneOf", "anyOf"]), prop::collection::vec(inner.clone(), 1..4))
                    .prop_map(|(union, parts)| json!({union: parts})),
                2 => inner.clone().prop_map(|value| json!({"type": "object", "additionalProperties": value})),
                1 => inner.clone().prop_map(|mut schema| {
                    if let Value::Object(map) = &mut schema {
                        map.insert("nullable".to_owned(), json!(true));
                    }
                    schema
                }),
                1 => (inner, "\\PC{0,12}").prop_map(|(mut schema, text)| {
                    if let Value::Object(map) = &mut schema {
                        map.insert("description".to_owned(), json!(text));
                    }
                    schema
                }),
            ]
        })
        .boxed()
}

fn object_schema(
    properties: Vec<(String, Value, bool)>,
    extra_required: Option<String>,
    additional: Option<Value>,
    typed: bool,
) -> Value {
    let mut schema = Map::new();
    if typed {
        schema.insert("type".to_owned(), json!("object"));
    }
    let mut required: Vec<String> = properties.iter().filter(|(_, _, r)| *r).map(|(n, _, _)| n.clone()).collect();
    required.extend(extra_required);
    required.dedup();
    let properties: Map<String, Value> = properties.into_iter().map(|(n, s, _)| (n, s)).collect();
    schema.insert("properties".to_owned(), Value::Object(properties));
    if !required.is_empty() {
        schema.insert("required".to_owned(), json!(required));
    }
    if let Some(additional) = additional {
        schema.insert("additionalProperties".to_owned(), additional);
    }
    Value::Object(schema)
}

/// `components/schemas`: up to six schemas under random names, some only a `$ref`.
fn component_schemas() -> BoxedStrategy<Map<String, Value>> {
    prop::collection::vec((name(), prop_oneof![8 => schema(), 1 => any::<usize>().prop_map(schema_ref)]), 0..6)
        .prop_map(|schemas| schemas.into_iter().collect())
        .boxed()
}

// ---------------------------------------------------------------------------------------------
// Documents.
// ---------------------------------------------------------------------------------------------

fn info() -> BoxedStrategy<Value> {
    (prop_oneof![3 => "[A-Z][a-z]{0,8}( [A-Z][a-z]{0,8})?", 1 => "\\PC{1,10}"], prop::option::of("\\PC{0,20}"))
        .prop_map(|(title, description)| {
            let mut info = json!({"title": title, "version": "1.0.0"});
            if let Some(description) = description {
                info["description"] = json!(description);
            }
            info
        })
        .boxed()
}

/// A message: a `$ref` to a component message, or an inline one.
fn message_ref(index: usize) -> Value {
    json!({"$ref": format!("@message:{index}")})
}

/// A message under `components/messages` (or inline in an operation).
fn message() -> BoxedStrategy<Value> {
    let payload = prop_oneof![2 => any::<usize>().prop_map(schema_ref), 2 => schema()];
    (
        payload,
        prop::option::of(name()),
        prop::option::of(name()),
        prop::option::of(select(vec!["application/json", "text/plain"])),
        prop::option::weighted(0.1, name()),
    )
        .prop_map(|(payload, message_name, title, content_type, dedup)| {
            let mut message = json!({"payload": payload});
            if let Some(n) = message_name {
                message["name"] = json!(n);
            }
            if let Some(t) = title {
                message["title"] = json!(t);
            }
            if let Some(c) = content_type {
                message["contentType"] = json!(c);
            }
            if let Some(d) = dedup {
                message["x-dedup-key"] = json!([format!("/{d}")]);
            }
            message
        })
        .boxed()
}

fn channel_operation() -> BoxedStrategy<Value> {
    let message = prop_oneof![
        3 => any::<usize>().prop_map(message_ref),
        1 => prop::collection::vec(any::<usize>().prop_map(message_ref), 1..3).prop_map(|refs| json!({"oneOf": refs})),
        1 => message(),
    ];
    (prop::option::of(name()), message, prop::option::of("\\PC{0,12}"))
        .prop_map(|(id, message, summary)| {
            let mut operation = json!({"message": message});
            if let Some(id) = id {
                operation["operationId"] = json!(id);
            }
            if let Some(summary) = summary {
                operation["summary"] = json!(summary);
            }
            operation
        })
        .boxed()
}

fn security_schemes() -> BoxedStrategy<Map<String, Value>> {
    let scheme = select(vec![
        json!({"type": "httpApiKey", "in": "header", "name": "X-Signature"}),
        json!({"type": "apiKey", "in": "header", "name": "X-Key"}),
        json!({"type": "http", "scheme": "basic"}),
        json!({"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}),
        json!({"type": "userPassword"}),
        json!({"type": "oauth2", "flows": {}}),
    ]);
    prop::collection::vec((name(), scheme), 0..3).prop_map(|s| s.into_iter().collect()).boxed()
}

fn asyncapi() -> BoxedStrategy<Value> {
    let channel = (
        prop_oneof!["[a-z]{1,6}(/[a-z]{1,6}){0,2}", "/[a-z]{1,5}/\\{[a-z]{1,4}\\}", name()],
        prop::option::of(channel_operation()),
        prop::option::of(channel_operation()),
    );
    (
        info(),
        component_schemas(),
        prop::collection::vec((name(), message()), 0..4),
        prop::collection::vec(channel, 0..4),
        security_schemes(),
    )
        .prop_map(|(info, schemas, messages, channels, schemes)| {
            let mut channel_map = Map::new();
            for (address, publish, subscribe) in channels {
                let mut channel = Map::new();
                if let Some(op) = publish {
                    channel.insert("publish".to_owned(), op);
                }
                if let Some(op) = subscribe {
                    channel.insert("subscribe".to_owned(), op);
                }
                channel_map.insert(address, Value::Object(channel));
            }
            let mut components = json!({"schemas": schemas, "messages": messages.into_iter().collect::<Map<_, _>>()});
            if !schemes.is_empty() {
                components["securitySchemes"] = json!(schemes);
            }
            let mut doc = json!({"asyncapi": "2.6.0", "info": info, "channels": channel_map, "components": components});
            resolve_refs(&mut doc);
            doc
        })
        .boxed()
}

fn parameter() -> BoxedStrategy<(String, Value)> {
    (name(), select(vec!["path", "query", "header", "cookie"]), any::<bool>(), prop::option::of(schema()))
        .prop_map(|(name, location, required, schema)| {
            let mut parameter = json!({"name": name, "in": location});
            if required || location == "path" {
                parameter["required"] = json!(true);
            }
            if let Some(schema) = schema {
                parameter["schema"] = schema;
            }
            (name, parameter)
        })
        .boxed()
}

fn openapi_operation() -> BoxedStrategy<(Vec<String>, Value)> {
    let body = |schema: Value, media: &str| json!({"content": {media: {"schema": schema}}});
    let media = select(vec!["application/json", "application/problem+json", "text/plain"]);
    let response = (
        select(vec!["200", "201", "204", "400", "404", "4XX", "default"]),
        prop::option::of((schema(), media.clone())),
    );
    (
        prop::option::of(name()),
        prop::collection::vec(parameter(), 0..3),
        prop::option::of((schema(), media)),
        prop::collection::vec(response, 0..3),
    )
        .prop_map(move |(id, parameters, request, responses)| {
            let path_parameters =
                parameters.iter().filter(|(_, p)| p["in"] == "path").map(|(n, _)| n.clone()).collect();
            let mut operation = json!({"parameters": parameters.into_iter().map(|(_, p)| p).collect::<Vec<_>>()});
            if let Some(id) = id {
                operation["operationId"] = json!(id);
            }
            if let Some((schema, media)) = request {
                operation["requestBody"] = body(schema, media);
            }
            let mut response_map = Map::new();
            for (status, schema) in responses {
                let mut response = match schema {
                    Some((schema, media)) => body(schema, media),
                    None => json!({}),
                };
                response["description"] = json!("a response");
                response_map.insert(status.to_owned(), response);
            }
            operation["responses"] = Value::Object(response_map);
            (path_parameters, operation)
        })
        .boxed()
}

fn openapi() -> BoxedStrategy<Value> {
    let path = (
        prop_oneof!["(/[a-z]{1,6}){1,3}", name().prop_map(|n| format!("/{n}"))],
        prop::collection::vec((select(vec!["get", "put", "post", "delete", "patch"]), openapi_operation()), 1..3),
    );
    (
        select(vec!["3.1.0", "3.0.3"]),
        info(),
        component_schemas(),
        prop::collection::vec(path, 0..4),
        security_schemes(),
        any::<bool>(),
    )
        .prop_map(|(version, info, schemas, paths, schemes, secured)| {
            let mut path_map = Map::new();
            for (base, operations) in paths {
                let mut item = Map::new();
                let mut template = base;
                for (method, (path_parameters, operation)) in operations {
                    for parameter in path_parameters {
                        if !template.contains(&format!("{{{parameter}}}")) {
                            template.push_str(&format!("/{{{parameter}}}"));
                        }
                    }
                    item.insert(method.to_owned(), operation);
                }
                path_map.insert(template, Value::Object(item));
            }
            let mut doc =
                json!({"openapi": version, "info": info, "paths": path_map, "components": {"schemas": schemas}});
            if let Some(first) = schemes.keys().next().filter(|_| secured) {
                doc["security"] = json!([{ first.clone(): [] }]);
            }
            if !schemes.is_empty() {
                doc["components"]["securitySchemes"] = json!(schemes);
            }
            resolve_refs(&mut doc);
            doc
        })
        .boxed()
}

/// A valid-looking document of either kind.
fn document() -> BoxedStrategy<Value> {
    prop_oneof![asyncapi(), openapi()].boxed()
}

/// Replaces the `@schema:N` and `@message:N` placeholders with references to the document's
/// declared schemas and messages (an inline schema or message when there are none).
fn resolve_refs(doc: &mut Value) {
    let keys = |section: &str| -> Vec<String> {
        doc.pointer(&format!("/components/{section}"))
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    };
    let (schemas, messages) = (keys("schemas"), keys("messages"));
    fn walk(value: &mut Value, schemas: &[String], messages: &[String]) {
        match value {
            Value::Object(map) => {
                let placeholder =
                    map.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('@')).map(str::to_owned);
                if let Some(placeholder) = placeholder {
                    let (section, index) = placeholder.split_once(':').unwrap_or_default();
                    let index: usize = index.parse().unwrap_or_default();
                    let names = if section == "schema" { schemas } else { messages };
                    *value = match names.get(index % names.len().max(1)) {
                        Some(name) => json!({"$ref": reference(&format!("{section}s"), name)}),
                        None if section == "schema" => json!({"type": "string"}),
                        None => json!({"payload": {"type": "string"}}),
                    };
                    return;
                }
                map.values_mut().for_each(|v| walk(v, schemas, messages));
            }
            Value::Array(items) => items.iter_mut().for_each(|v| walk(v, schemas, messages)),
            _ => {}
        }
    }
    walk(doc, &schemas, &messages);
}

/// `#/components/<section>/<name>`, the name escaped as a JSON pointer and then as a URI
/// fragment.
fn reference(section: &str, name: &str) -> String {
    let escaped = name.replace('~', "~0").replace('/', "~1");
    let mut fragment = String::new();
    for byte in escaped.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => fragment.push(byte as char),
            _ => fragment.push_str(&format!("%{byte:02X}")),
        }
    }
    format!("#/components/{section}/{fragment}")
}

// ---------------------------------------------------------------------------------------------
// Writing documents as text.
// ---------------------------------------------------------------------------------------------

/// A document as written to disk.
#[derive(Clone)]
struct SpecFile {
    extension: &'static str,
    bytes: Vec<u8>,
}

impl fmt::Debug for SpecFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "spec.{}:\n{}", self.extension, String::from_utf8_lossy(&self.bytes))
    }
}

#[derive(Debug, Clone, Copy)]
enum Style {
    Yaml,
    Json,
    PrettyJson,
}

fn write(doc: &Value, style: Style) -> SpecFile {
    match style {
        Style::Yaml => {
            let mut out = String::new();
            yaml_block(doc, 0, &mut out);
            SpecFile { extension: "yaml", bytes: out.into_bytes() }
        }
        Style::Json => SpecFile { extension: "json", bytes: doc.to_string().into_bytes() },
        Style::PrettyJson => {
            SpecFile { extension: "yml", bytes: serde_json::to_string_pretty(doc).unwrap_or_default().into_bytes() }
        }
    }
}

fn style() -> impl Strategy<Value = Style> {
    prop_oneof![3 => Just(Style::Yaml), 1 => Just(Style::Json), 1 => Just(Style::PrettyJson)]
}

/// Block-style YAML: mappings and lists one entry a line, scalars plain where that reads
/// back as the same string, double-quoted otherwise.
fn yaml_block(value: &Value, indent: usize, out: &mut String) {
    let entries: Vec<(Option<&str>, &Value)> = match value {
        Value::Object(map) => map.iter().map(|(k, v)| (Some(k.as_str()), v)).collect(),
        Value::Array(items) => items.iter().map(|v| (None, v)).collect(),
        _ => Vec::new(),
    };
    for (key, child) in entries {
        out.push_str(&" ".repeat(indent));
        match key {
            Some(key) => {
                out.push_str(&yaml_string(key));
                out.push(':');
            }
            None => out.push('-'),
        }
        match child {
            Value::Object(m) if !m.is_empty() => {
                out.push('\n');
                yaml_block(child, indent + 2, out);
            }
            Value::Array(a) if !a.is_empty() => {
                out.push('\n');
                yaml_block(child, indent + 2, out);
            }
            _ => {
                out.push(' ');
                out.push_str(&yaml_scalar(child));
                out.push('\n');
            }
        }
    }
}

fn yaml_scalar(value: &Value) -> String {
    match value {
        Value::String(s) => yaml_string(s),
        Value::Object(_) => "{}".to_owned(),
        Value::Array(_) => "[]".to_owned(),
        other => other.to_string(),
    }
}

fn yaml_string(s: &str) -> String {
    let plain = s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !["null", "true", "false"].contains(&s.to_ascii_lowercase().as_str());
    if plain {
        return s.to_owned();
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}' => out.push_str(&format!("\\u{:04X}", c as u32)),
            c if c as u32 >= 0xA0 => out.push(c),
            c if (c as u32) <= 0xFFFF => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}

// ---------------------------------------------------------------------------------------------
// Breaking documents.
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Mutation {
    /// Removes the key or item at the chosen place.
    Delete(Index),
    /// Replaces the chosen value with one of another JSON type.
    Retype(Index, Value),
    /// Points a `$ref` (or, with none, adds one) at something that does not exist.
    BreakRef(Index, String),
    /// Adds schemas that refer to each other in a cycle, and a reference to the cycle.
    Cycle(usize, Index),
}

fn mutation() -> BoxedStrategy<Mutation> {
    let replacement = select(vec![
        json!(null),
        json!(true),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(""),
        json!("object"),
        json!([]),
        json!({}),
        json!(["a"]),
        json!({"a": 1}),
        json!({"$ref": "#/components/schemas"}),
    ]);
    let target = select(vec![
        "#/components/schemas/Missing",
        "#/nowhere",
        "#components/schemas",
        "#/components/schemas/%FF",
        "./missing.yaml#/A",
        "spec.yaml#/components",
        "#",
        "https://example.invalid/a.yaml",
        "",
    ]);
    prop_oneof![
        3 => any::<Index>().prop_map(Mutation::Delete),
        3 => (any::<Index>(), replacement).prop_map(|(at, value)| Mutation::Retype(at, value)),
        2 => (any::<Index>(), target).prop_map(|(at, target)| Mutation::BreakRef(at, target.to_owned())),
        2 => (1usize..4, any::<Index>()).prop_map(|(length, at)| Mutation::Cycle(length, at)),
    ]
    .boxed()
}

/// JSON pointers of every value in `value` but the root, in document order.
fn pointers(value: &Value, at: &str, out: &mut Vec<String>) {
    let children: Vec<(String, &Value)> = match value {
        Value::Object(map) => map.iter().map(|(k, v)| (k.replace('~', "~0").replace('/', "~1"), v)).collect(),
        Value::Array(items) => items.iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect(),
        _ => Vec::new(),
    };
    for (segment, child) in children {
        let pointer = format!("{at}/{segment}");
        out.push(pointer.clone());
        pointers(child, &pointer, out);
    }
}

fn pick(doc: &Value, at: &Index, keep: impl Fn(&Value) -> bool) -> Option<String> {
    let mut all = Vec::new();
    pointers(doc, "", &mut all);
    all.retain(|p| doc.pointer(p).is_some_and(&keep));
    (!all.is_empty()).then(|| all[at.index(all.len())].clone())
}

fn parent_and_key(pointer: &str) -> (&str, String) {
    let (parent, last) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    (parent, last.replace("~1", "/").replace("~0", "~"))
}

fn apply(doc: &mut Value, mutation: &Mutation) {
    match mutation {
        Mutation::Delete(at) => {
            if let Some(pointer) = pick(doc, at, |_| true) {
                let (parent, key) = parent_and_key(&pointer);
                match doc.pointer_mut(parent) {
                    Some(Value::Object(map)) => {
                        map.shift_remove(&key);
                    }
                    Some(Value::Array(items)) => {
                        if let Ok(index) = key.parse::<usize>() {
                            items.remove(index);
                        }
                    }
                    _ => {}
                }
            }
        }
        Mutation::Retype(at, value) => {
            if let Some(target) = pick(doc, at, |_| true).and_then(|p| doc.pointer_mut(&p)) {
                *target = value.clone();
            }
        }
        Mutation::BreakRef(at, target) => {
            let found = pick(doc, at, |v| v.get("$ref").is_some()).or_else(|| pick(doc, at, Value::is_object));
            if let Some(Value::Object(map)) = found.and_then(|p| doc.pointer_mut(&p)) {
                map.insert("$ref".to_owned(), json!(target));
            }
        }
        Mutation::Cycle(length, at) => {
            let names: Vec<String> = (0..*length).map(|i| format!("Cycle{i}")).collect();
            if !doc["components"].is_object() {
                doc["components"] = json!({});
            }
            if !doc["components"]["schemas"].is_object() {
                doc["components"]["schemas"] = json!({});
            }
            for (index, name) in names.iter().enumerate() {
                let next = &names[(index + 1) % names.len()];
                doc["components"]["schemas"][name] = json!({"$ref": reference("schemas", next)});
            }
            let place = pick(doc, at, |v| v.get("$ref").is_some() || v.get("type").is_some());
            if let Some(Value::Object(map)) = place.and_then(|p| doc.pointer_mut(&p)) {
                map.insert("$ref".to_owned(), json!(reference("schemas", &names[0])));
            }
        }
    }
}

/// Text that breaks YAML or JSON in most places.
fn garbage() -> BoxedStrategy<Vec<u8>> {
    prop_oneof![
        3 => select(vec![
            ":", ": [", "]", "{", "}", "- ", "\t", "&a ", "*a", "*nowhere", "!!binary ", "!Custom ", "? ", "---\n",
            "...\n", "'", "\"", "# ", "\n  x: y\n", "\n- z\n", "\u{feff}", "\0", "%YAML 1.2\n", "<<: *x\n",
            "é", "\r", "key: value\nkey: value\n", "[[[[[[[[[[[[[[[[", "|\n", ">-\n",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        1 => "\\PC{1,8}".prop_map(String::into_bytes),
        1 => prop::collection::vec(any::<u8>(), 1..4),
    ]
    .boxed()
}

/// A valid-looking document broken by one to three mutations, and sometimes by garbage
/// inserted into its text.
fn broken() -> BoxedStrategy<SpecFile> {
    (
        document(),
        prop::collection::vec(mutation(), 1..4),
        style(),
        prop::option::weighted(0.4, (any::<Index>(), garbage())),
    )
        .prop_map(|(mut doc, mutations, style, garbage)| {
            for mutation in &mutations {
                apply(&mut doc, mutation);
            }
            let mut file = write(&doc, style);
            if let Some((at, garbage)) = garbage {
                let offset = at.index(file.bytes.len() + 1);
                file.bytes.splice(offset..offset, garbage);
            }
            file
        })
        .boxed()
}

// ---------------------------------------------------------------------------------------------
// The property.
// ---------------------------------------------------------------------------------------------

/// Set, in a child process, to the spec that [`child_process`] checks.
const CHILD_SPEC: &str = "PROP_SPECS_CHILD_SPEC";

/// How long one check (two generations and parsing) may take before it counts as a hang.
/// A case takes milliseconds; the margin is for a debug build on a loaded CI machine, so
/// that only a real hang (an endless loop, runaway memory) trips it.
const TIMEOUT: Duration = Duration::from_secs(60);

/// How a check ended.
enum Outcome {
    Generated,
    Refused,
}

/// Checks `file` in a child process (this test binary, running [`child_process`]), so that a
/// hang, a stack overflow or runaway memory fails the case instead of the whole test run.
fn check_in_child(file: &SpecFile) -> Result<Outcome, TestCaseError> {
    let fail = |message: String| TestCaseError::fail(message);
    let dir = tempfile::tempdir().map_err(|e| fail(format!("no temporary directory: {e}")))?;
    let spec = dir.path().join(format!("spec.{}", file.extension));
    fs::write(&spec, &file.bytes).map_err(|e| fail(format!("cannot write the spec: {e}")))?;
    let stderr = dir.path().join("stderr.txt");
    let exe = std::env::current_exe().map_err(|e| fail(format!("no test binary: {e}")))?;
    let mut child = Command::new(exe)
        .args(["--exact", "child_process", "--nocapture", "--test-threads", "1"])
        .env(CHILD_SPEC, &spec)
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(fs::File::create(&stderr).map_err(|e| fail(format!("cannot create {}: {e}", stderr.display())))?)
        .spawn()
        .map_err(|e| fail(format!("cannot start the child process: {e}")))?;
    let started = Instant::now();
    let status = loop {
        match child.try_wait().map_err(|e| fail(format!("cannot wait for the child process: {e}")))? {
            Some(status) => break status,
            None if started.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(fail(format!("the generator did not return within {} s", TIMEOUT.as_secs())));
            }
            None => std::thread::sleep(Duration::from_millis(2)),
        }
    };
    match fs::read_to_string(spec.with_extension("result")).as_deref() {
        Ok("generated") => Ok(Outcome::Generated),
        Ok("refused") => Ok(Outcome::Refused),
        Ok(failure) => Err(fail(failure.to_owned())),
        Err(_) => {
            let output = fs::read_to_string(&stderr).unwrap_or_default();
            let tail: Vec<&str> = output.lines().rev().take(12).collect::<Vec<_>>().into_iter().rev().collect();
            Err(fail(format!("the generator crashed ({status}):\n{}", tail.join("\n"))))
        }
    }
}

/// The child side of [`check_in_child`]: checks the spec named by `PROP_SPECS_CHILD_SPEC` on a
/// thread with a main thread's stack, and writes the outcome next to it. Does nothing in a
/// normal test run.
#[test]
fn child_process() {
    let Some(spec) = std::env::var_os(CHILD_SPEC).map(PathBuf::from) else {
        return;
    };
    std::panic::set_hook(Box::new(|info| {
        let place = info.location().map(ToString::to_string).unwrap_or_default();
        *PANIC_AT.lock().unwrap_or_else(|e| e.into_inner()) = Some(place);
        eprintln!("{info}");
    }));
    let checked = {
        let spec = spec.clone();
        std::thread::Builder::new().stack_size(8 << 20).spawn(move || check(&spec)).expect("a thread").join()
    };
    let outcome = match checked {
        Ok(Ok(Outcome::Generated)) => "generated".to_owned(),
        Ok(Ok(Outcome::Refused)) => "refused".to_owned(),
        Ok(Err(failure)) => failure,
        Err(panic) => format!("the check panicked: {}", panic_text(&*panic)),
    };
    fs::write(spec.with_extension("result"), outcome).expect("the outcome is written");
}

/// Where the last panic of the child process happened.
static PANIC_AT: Mutex<Option<String>> = Mutex::new(None);

/// `at <file:line:column>: <message>` of a caught panic.
fn panic_text(panic: &(dyn Any + Send)) -> String {
    let message = panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "a panic without a message".to_owned());
    let place = PANIC_AT.lock().unwrap_or_else(|e| e.into_inner()).take().unwrap_or_default();
    format!("at {place}: {message}")
}

/// Generates the spec at `spec` (options as `cargo xtask codegen` gives them), catching a
/// panic.
fn generate(spec: &Path) -> Result<Result<GeneratedCrate, Diagnostic>, String> {
    let root = spec.parent().unwrap_or(Path::new("."));
    let options = Project::new(root).options(spec);
    catch_unwind(AssertUnwindSafe(|| hookwright::generate(spec, &options)))
        .map_err(|panic| format!("the generator panicked: {}", panic_text(&*panic)))
}

/// The generator returns for `spec`: an error names the spec's directory, a location and a
/// fix; a crate's Rust files parse, and generating a copy of the spec in another directory
/// gives the same files.
fn check(spec: &Path) -> Result<Outcome, String> {
    let dir = spec.parent().unwrap_or(Path::new("."));
    match generate(spec)? {
        Err(diagnostic) => {
            if !diagnostic.file.starts_with(dir) {
                return Err(format!("the error names {} instead of the spec: {diagnostic}", diagnostic.file.display()));
            }
            if diagnostic.line_col.is_none() && diagnostic.pointer.is_none() {
                return Err(format!("the error has no location: {diagnostic}"));
            }
            if diagnostic.help.is_none() {
                return Err(format!("the error has no help: {diagnostic}"));
            }
            Ok(Outcome::Refused)
        }
        Ok(krate) => {
            for GeneratedFile { path, contents: text } in krate.files.iter().filter(|file| file.path.ends_with(".rs")) {
                if let Err(error) = syn::parse_file(text) {
                    return Err(format!("generated {path} does not parse: {error}\n{text}"));
                }
            }
            let other = tempfile::tempdir().map_err(|e| format!("no temporary directory: {e}"))?;
            let copy = other.path().join(spec.file_name().unwrap_or_default());
            fs::copy(spec, &copy).map_err(|e| format!("cannot copy the spec: {e}"))?;
            let again = generate(&copy)?.map_err(|e| format!("generated once, refused the second time: {e}"))?;
            let paths = |k: &GeneratedCrate| k.files.iter().map(|file| file.path.clone()).collect::<Vec<_>>();
            if paths(&krate) != paths(&again) {
                return Err(format!("a second run writes other files: {:?}, then {:?}", paths(&krate), paths(&again)));
            }
            for (GeneratedFile { path, contents: first }, second) in krate.files.iter().zip(&again.files) {
                let second = &second.contents;
                if first != second {
                    let line = first.lines().zip(second.lines()).position(|(a, b)| a != b).unwrap_or(0);
                    return Err(format!(
                        "a second run writes {path} differently, from line {}:\n{}\nthen\n{}",
                        line + 1,
                        first.lines().nth(line).unwrap_or_default(),
                        second.lines().nth(line).unwrap_or_default()
                    ));
                }
            }
            Ok(Outcome::Generated)
        }
    }
}

/// What kind of failure `message` reports: shrinking keeps to the kind first found.
fn failure_kind(message: &str) -> String {
    let kinds = [
        "did not return",
        "overflowed its stack",
        "panicked",
        "crashed",
        "no location",
        "no help",
        "instead of the spec",
        "does not parse",
        "second",
    ];
    let kind = kinds.iter().find(|k| message.contains(*k)).copied().unwrap_or("other");
    match kind {
        // A panic is kept to its place in the generator's source.
        "panicked" => match message.split_once("panicked: at ") {
            Some((_, rest)) => format!("panicked at {}", rest.split(": ").next().unwrap_or_default()),
            None => kind.to_owned(),
        },
        _ => kind.to_owned(),
    }
}

fn run(property: &str, strategy: BoxedStrategy<SpecFile>) {
    let (generated, refused) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let first_failure: Mutex<Option<String>> = Mutex::new(None);
    let mut runner = TestRunner::new(config());
    let result = runner.run(&strategy, |file| {
        match check_in_child(&file) {
            Ok(Outcome::Generated) => generated.fetch_add(1, Ordering::Relaxed),
            Ok(Outcome::Refused) => refused.fetch_add(1, Ordering::Relaxed),
            Err(failure) => {
                // While shrinking, a failure of another kind does not count: the minimal
                // input shows the bug first found.
                let kind = failure_kind(&failure.to_string());
                let mut first = first_failure.lock().unwrap_or_else(|e| e.into_inner());
                if first.get_or_insert_with(|| kind.clone()) == &kind {
                    return Err(failure);
                }
                0
            }
        };
        Ok(())
    });
    eprintln!(
        "{property}: {} generated, {} refused (shrinking included)",
        generated.load(Ordering::Relaxed),
        refused.load(Ordering::Relaxed)
    );
    match result {
        Ok(()) => {}
        Err(TestError::Fail(reason, file)) => panic!("{property}: {reason}\nminimal input: {file:?}"),
        Err(TestError::Abort(reason)) => panic!("{property}: aborted: {reason}"),
    }
}

#[test]
fn random_asyncapi_documents_generate_or_fail_cleanly() {
    run("asyncapi", (asyncapi(), style()).prop_map(|(doc, style)| write(&doc, style)).boxed());
}

#[test]
fn random_openapi_documents_generate_or_fail_cleanly() {
    run("openapi", (openapi(), style()).prop_map(|(doc, style)| write(&doc, style)).boxed());
}

#[test]
fn broken_documents_fail_cleanly() {
    run("broken", broken());
}

#[test]
fn the_yaml_writer_writes_strings_that_read_back_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.yaml");
    let odd = [
        "null",
        "True",
        "on",
        "a b",
        "#x",
        "- y",
        "\"\\",
        "日本",
        "é\u{7f}\u{85}\u{feff}",
        "\u{1}\t\n",
        "😀",
        "",
        "1.5",
        "~",
    ];
    for text in ODD_NAMES.iter().chain(&odd) {
        let doc = json!({"asyncapi": "2.6.0", "info": {"title": text, "version": text}, "channels": {}});
        let mut yaml = String::new();
        yaml_block(&doc, 0, &mut yaml);
        std::fs::write(&path, &yaml).unwrap();
        let api = hookwright::spec::read(Path::new(&path)).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
        assert_eq!((api.title.as_str(), api.version.as_str()), (*text, *text), "{yaml}");
    }
}
