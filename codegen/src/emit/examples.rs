//! `tests/examples.rs`: one `#[test]` per example the spec gives for a typed payload or body
//! (AsyncAPI message examples; OpenAPI request and response body examples), each decoding the
//! example into its generated type and re-encoding it to the same JSON, with
//! `hookwright_runtime::testing::assert_round_trip`.

use std::collections::BTreeSet;

use heck::ToSnakeCase;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{ident, runtime_imports, source_file, CrateOptions, Space};
use crate::ir::{Example, Ty, TypeId};
use crate::naming::{self, field_ident, Scope};

/// One generated test: its function name, the type decoded, and the example.
struct Case<'a> {
    name: String,
    ty: Ty,
    example: &'a serde_json::Value,
}

/// `tests/examples.rs` and how many tests it holds.
pub struct ExampleTests {
    pub text: String,
    pub tests: usize,
}

/// The file, or `None` when the spec gives no example of a typed payload or body.
pub fn examples_rs(space: &Space, options: &CrateOptions, header: &str) -> Option<ExampleTests> {
    let cases = cases(space);
    if cases.is_empty() {
        return None;
    }
    let mut runtime = BTreeSet::new();
    let mut types = BTreeSet::new();
    for case in &cases {
        runtime_imports(&[&case.ty], &mut runtime);
        named_types(space, &case.ty, &mut types);
    }
    let krate = ident(&options.name.replace('-', "_"));
    let types: Vec<_> = types.iter().map(|name| ident(name)).collect();
    let types = (!types.is_empty()).then(|| quote!(use #krate::{#(#types),*};));
    let runtime: Vec<_> = runtime.iter().map(|name| ident(name)).collect();
    let runtime = (!runtime.is_empty()).then(|| quote!(use hookwright_runtime::{#(#runtime),*};));
    let tests = cases.iter().map(|case| {
        let name = ident(&case.name);
        let ty = space.rust_type(&case.ty, None);
        let json = raw_string(&serde_json::to_string_pretty(case.example).unwrap_or_default());
        quote! {
            #[test]
            fn #name() {
                let json = #json;
                assert_round_trip::<#ty>(json);
            }
        }
    });
    let doc = " The spec's examples: each decodes into its generated type and re-encodes to the same JSON.";
    let inner = quote! {
        #![doc = #doc]
        use hookwright_runtime::testing::assert_round_trip;
        #runtime
        #types
    };
    let text = source_file(header, inner, &super::format_spaced(quote!(#(#tests)*)));
    Some(ExampleTests { text, tests: cases.len() })
}

/// The examples in spec order: each message's, then each operation's request and responses',
/// then each named schema's.
fn cases<'a>(space: &Space<'a>) -> Vec<Case<'a>> {
    let api = space.api;
    let mut groups: Vec<(String, Ty, &'a [Example])> = Vec::new();
    for message in &api.messages {
        if let Some(ty) = &message.payload {
            groups.push((message.key.clone(), ty.clone(), &message.examples));
        }
    }
    for (op, name) in api.operations.iter().zip(space.names.operations.iter().map(|names| &names.module)) {
        let name = name.trim_start_matches("r#");
        if let Some(request) = &op.request_body {
            groups.push((format!("{name}_request"), request.body.ty.clone(), &request.body.examples));
        }
        for response in &op.responses {
            if let Some(body) = &response.body {
                groups.push((format!("{name}_response_{}", response.status), body.ty.clone(), &body.examples));
            }
        }
    }
    for (index, def) in api.types.iter().enumerate() {
        if !def.examples.is_empty() {
            groups.push((space.names.types[index].name.clone(), Ty::Named(TypeId(index)), &def.examples));
        }
    }
    let mut scope = Scope::new(&naming::EXAMPLE_TESTS_SCOPE, "_");
    let mut cases = Vec::new();
    for (owner, ty, examples) in groups {
        for (index, example) in examples.iter().enumerate() {
            let name = scope.name(field_ident(&case_name(&owner, example.name.as_deref(), index, examples.len())));
            cases.push(Case { name, ty: ty.clone(), example: &example.payload });
        }
    }
    cases
}

/// The words a test of the `index`th of `count` examples of `owner` (a type, a message, an
/// operation's body) is named by: the owner, then the example's name, or `example` (`example N`
/// when the owner has several) when it has none. The owner is said once when the example's
/// name starts with it: `IncomingSms` + `IncomingSmsSample` → `incoming_sms_sample`.
pub(super) fn case_name(owner: &str, example: Option<&str>, index: usize, count: usize) -> String {
    let part = match example {
        Some(name) => name.to_owned(),
        None if count == 1 => "example".to_owned(),
        None => format!("example {}", index + 1),
    };
    let (owner_words, part_words) = (owner.to_snake_case(), part.to_snake_case());
    let repeats = part_words == owner_words || part_words.starts_with(&format!("{owner_words}_"));
    if repeats {
        part
    } else {
        format!("{owner}_{part}")
    }
}

/// The names of the crate's types that `ty` mentions.
fn named_types(space: &Space, ty: &Ty, out: &mut BTreeSet<String>) {
    out.extend(ty.named_type().map(|id| space.names.types[id.0].name.clone()));
}

/// `text` as a raw string literal with just enough `#`s: one more than the longest run that
/// follows a `"` in it, none when it has no `"`. Rust allows at most 255 `#`s, and a raw
/// string shows a carriage return or a bidirectional control as it is (which rustc refuses),
/// so such a text becomes an ordinary literal with escapes.
pub(super) fn raw_string(text: &str) -> TokenStream {
    let longest =
        text.split('"').skip(1).map(|after| after.chars().take_while(|c| *c == '#').count() + 1).max().unwrap_or(0);
    if longest > 255 || text.chars().any(|c| c == '\r' || crate::bidi::is_bidi(c)) {
        let literal = Literal::string(text);
        return quote!(#literal);
    }
    let literal = format!("r{0}\"{text}\"{0}", "#".repeat(longest)).parse().unwrap_or_else(|_| Literal::string(text));
    quote!(#literal)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generate(spec: &str) -> Option<String> {
        let api = crate::spec::read_text(spec).unwrap_or_else(|e| panic!("{e}"));
        let names = crate::naming::resolve(&api);
        let options = CrateOptions::new("pet-store", "pets.yaml");
        let file = examples_rs(&Space::new(&api, &names), &options, "header")?;
        assert_eq!(file.tests, file.text.matches("#[test]").count(), "the count is the file's:\n{}", file.text);
        Some(file.text)
    }

    fn test_names(file: &str) -> Vec<&str> {
        file.lines().filter_map(|line| line.strip_prefix("fn ")?.strip_suffix("() {")).collect()
    }

    #[test]
    fn openapi_body_examples_become_one_test_each() {
        let file = generate(
            r##"
openapi: 3.0.3
info: {title: Pets, version: '1'}
paths:
  /pets:
    post:
      operationId: addPet
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
            example: {name: Rex, 'say"#': hi}
      responses:
        '200':
          description: Added.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
              examples:
                rex: {summary: Rex, value: {name: Rex}}
                shared: {$ref: '#/components/examples/Bo'}
                remote: {externalValue: 'https://example.com/pet.json'}
                Rex: {value: {name: Rex again}}
        default:
          description: Counts.
          content:
            application/xml:
              example: not JSON
            application/json:
              schema: {type: object, additionalProperties: {type: integer}}
              example: {a: 1}
components:
  examples:
    Bo: {value: {name: Bo}}
  schemas:
    Pet: {type: object, properties: {name: {type: string}}}
"##,
        )
        .expect("a file");
        assert_eq!(
            test_names(&file),
            [
                "add_pet_request_example",
                "add_pet_response_200_rex",
                "add_pet_response_200_shared",
                "add_pet_response_200_rex_2",
                "add_pet_response_default_example",
            ]
        );
        assert!(file.contains("use hookwright_runtime::IndexMap;\nuse pet_store::Pet;\n"), "{file}");
        assert!(file.contains("let json = r##\"{\n  \"name\": \"Rex\",\n  \"say\\\"#\": \"hi\"\n}\"##;\n"), "{file}");
        assert!(file.contains("assert_round_trip::<IndexMap<String, i64>>(json);"), "{file}");
        assert!(file.contains("\"name\": \"Bo\""), "a `$ref` to an example is followed:\n{file}");
        assert!(!file.contains("example.com") && !file.contains("not JSON"), "{file}");
    }

    #[test]
    fn message_examples_are_named_after_the_message() {
        let file = generate(
            r#"
asyncapi: 2.6.0
info: {title: Pets, version: '1'}
channels:
  pets:
    subscribe:
      message:
        oneOf:
          - $ref: '#/components/messages/PetBorn'
          - $ref: '#/components/messages/PetDied'
components:
  messages:
    PetBorn:
      payload: {type: object, properties: {name: {type: string}}}
      examples:
        - {name: PetBornSample, payload: {name: Rex}}
    PetDied:
      payload: {type: integer}
      examples:
        - {payload: 12}
        - {payload: 1.5e3}
"#,
        )
        .expect("a file");
        assert_eq!(test_names(&file), ["pet_born_sample", "pet_died_example_1", "pet_died_example_2"]);
        assert!(file.contains("let json = r\"12\";"), "no `#` is needed:\n{file}");
    }

    #[test]
    fn received_examples_are_named_by_the_round_trips_rule() {
        let dir = tempfile::tempdir().unwrap();
        let spec = dir.path().join("spec.yaml");
        let text = r#"
asyncapi: 2.6.0
info: {title: Pets, version: '1'}
channels:
  pets:
    publish:
      message:
        oneOf:
          - $ref: '#/components/messages/Pet'
          - $ref: '#/components/messages/Sms'
components:
  messages:
    Pet:
      payload: {type: object, required: [name], properties: {name: {type: string}}}
      examples: [{payload: {name: Rex}}]
    Sms:
      payload: {type: object, required: [body], properties: {body: {type: string}}}
      examples: [{name: Smsish, payload: {body: hi}}]
"#;
        std::fs::write(&spec, text).unwrap();
        let krate = crate::generate(&spec, &CrateOptions::new("pets", "spec.yaml")).unwrap_or_else(|e| panic!("{e}"));
        let file = krate.file("tests/examples.rs").expect("a file");
        let received = &file[file.find("mod received").expect("received tests")..];
        // One unnamed example is `example`, not `example 1`; `Smsish` does not start with `Sms`.
        let names: Vec<&str> =
            received.lines().filter_map(|line| line.trim().strip_prefix("fn ")?.strip_suffix("() {")).collect();
        assert_eq!(names, ["pet_example", "sms_smsish"], "{received}");
    }

    #[test]
    fn a_spec_without_examples_has_no_file() {
        let spec = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\n";
        assert_eq!(generate(spec), None);
    }

    #[test]
    fn a_raw_string_has_just_enough_hashes() {
        assert_eq!(raw_string("42").to_string(), "r\"42\"");
        assert_eq!(raw_string(r#"{"a": "b"}"#).to_string(), "r#\"{\"a\": \"b\"}\"#");
        assert_eq!(raw_string(r##"{"a": "x"#y"}"##).to_string(), "r##\"{\"a\": \"x\"#y\"}\"##");
        assert_eq!(raw_string(r###""##""###).to_string(), "r###\"\"##\"\"###");
    }

    #[test]
    fn a_text_no_raw_string_can_hold_is_an_escaped_literal() {
        let hashes = format!("\"{}\"", "#".repeat(300));
        assert_eq!(raw_string(&hashes).to_string(), format!("\"\\\"{}\\\"\"", "#".repeat(300)));
        assert_eq!(raw_string("a\u{202e}b").to_string(), r#""a\u{202e}b""#);
    }
}
