//! Whether the examples a spec gives fit the types generated for them.
//!
//! Every example of a typed payload or body becomes a round-trip test of the generated crate.
//! An example that contradicts its own schema (Markdown text given for an object payload, a
//! required property left out) would make that test fail however right the generated code
//! is, so such an example is dropped with a warning instead.
//!
//! The check walks the IR type, not the JSON Schema: the JSON type of every value, required
//! properties, enum values, the items of arrays and the values of maps, and unions (some
//! variant must fit). It is not a validator: constraints (`minLength`, `pattern`, ...) are
//! left to the generated code, and a union's variants are only checked for fitting at all.

use serde_json::Value;

use crate::ir::{Api, Example, IntWidth, Ty, TypeDef, TypeId, TypeKind, Variant};
use crate::spec::{kind_of, push_segment};

/// The first place where a value does not fit its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// A JSON pointer inside the value; empty for the value itself.
    pub pointer: String,
    pub expected: String,
    pub found: String,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = if self.pointer.is_empty() { "/" } else { &self.pointer };
        write!(f, "at {at} expected {}, found {}", self.expected, self.found)
    }
}

/// Removes from `api` every example that contradicts its type, with a warning naming the
/// example and its first mismatch; returns how many were removed.
pub fn drop_contradicting(api: &mut Api) -> usize {
    let types = &api.types;
    let warnings = &mut api.warnings;
    let mut dropped = 0;
    for message in &mut api.messages {
        if let Some(ty) = &message.payload {
            dropped += retain_fitting(types, ty, &mut message.examples, warnings);
        }
    }
    for operation in &mut api.operations {
        let responses = operation.responses.iter_mut().filter_map(|response| response.body.as_mut());
        for body in operation.request_body.iter_mut().map(|request| &mut request.body).chain(responses) {
            dropped += retain_fitting(types, &body.ty, &mut body.examples, warnings);
        }
    }
    for index in 0..api.types.len() {
        let mut examples = std::mem::take(&mut api.types[index].examples);
        dropped += retain_fitting(&api.types, &Ty::Named(TypeId(index)), &mut examples, &mut api.warnings);
        api.types[index].examples = examples;
    }
    dropped
}

/// Keeps the examples that fit `ty`; warns about each other one.
fn retain_fitting(types: &[TypeDef], ty: &Ty, examples: &mut Vec<Example>, warnings: &mut Vec<String>) -> usize {
    let before = examples.len();
    examples.retain(|example| match check(types, ty, &example.payload) {
        Ok(()) => true,
        Err(mismatch) => {
            let warning = format!(
                "{}: the example contradicts its schema ({mismatch}); it gets no round-trip test",
                example.location
            );
            // An example shared by several bodies (a `$ref` to `components/examples`) is told once.
            if !warnings.contains(&warning) {
                warnings.push(warning);
            }
            false
        }
    });
    before - examples.len()
}

/// Whether `value` fits `ty`, whose named types are in `types`; the first mismatch if not.
pub fn check(types: &[TypeDef], ty: &Ty, value: &Value) -> Result<(), Mismatch> {
    let mut pointer = String::new();
    Checker { types }.value(ty, value, &mut pointer)
}

struct Checker<'a> {
    types: &'a [TypeDef],
}

impl Checker<'_> {
    /// Checks `value` at `pointer`, which is restored before returning.
    fn value(&self, ty: &Ty, value: &Value, pointer: &mut String) -> Result<(), Mismatch> {
        let fits = match ty {
            Ty::Any => true,
            Ty::String | Ty::Secret | Ty::DateTime => value.is_string(),
            Ty::Integer(width) => fits_integer(*width, value),
            Ty::Number => value.is_number(),
            Ty::Boolean => value.is_boolean(),
            Ty::FreeObject => value.is_object(),
            Ty::Nullable(inner) => return if value.is_null() { Ok(()) } else { self.value(inner, value, pointer) },
            Ty::Array(item) => return self.array(item, value, pointer),
            Ty::Map(item) => return self.map(item, value, pointer),
            Ty::Named(id) => return self.named(&self.types[id.0].kind, value, pointer),
        };
        if fits {
            Ok(())
        } else {
            Err(mismatch(pointer, expected(ty), value))
        }
    }

    fn array(&self, item: &Ty, value: &Value, pointer: &mut String) -> Result<(), Mismatch> {
        let Value::Array(items) = value else {
            return Err(mismatch(pointer, "an array".to_owned(), value));
        };
        for (index, element) in items.iter().enumerate() {
            self.child(pointer, &index.to_string(), |pointer| self.value(item, element, pointer))?;
        }
        Ok(())
    }

    fn map(&self, item: &Ty, value: &Value, pointer: &mut String) -> Result<(), Mismatch> {
        let Value::Object(entries) = value else {
            return Err(mismatch(pointer, "an object".to_owned(), value));
        };
        for (key, element) in entries {
            self.child(pointer, key, |pointer| self.value(item, element, pointer))?;
        }
        Ok(())
    }

    fn named(&self, kind: &TypeKind, value: &Value, pointer: &mut String) -> Result<(), Mismatch> {
        match kind {
            TypeKind::Alias(ty) => self.value(ty, value, pointer),
            TypeKind::Enum { values } => match value {
                Value::String(text) if values.contains(text) => Ok(()),
                _ => Err(mismatch(pointer, one_of(values), value)),
            },
            TypeKind::Struct { fields } => {
                let Value::Object(entries) = value else {
                    return Err(mismatch(pointer, "an object".to_owned(), value));
                };
                for field in fields {
                    match (entries.get(&field.wire), field.required) {
                        (None, true) => {
                            let expected = format!("the required property {:?}", field.wire);
                            return Err(Mismatch { pointer: pointer.clone(), expected, found: "none".to_owned() });
                        }
                        // An optional field sent as `null` is kept as it came.
                        (None, false) | (Some(Value::Null), false) => {}
                        (Some(element), _) => {
                            self.child(pointer, &field.wire, |pointer| self.value(&field.ty, element, pointer))?
                        }
                    }
                }
                Ok(())
            }
            TypeKind::Union { variants, tag } => self.union(variants, tag.as_deref(), value, pointer),
            TypeKind::Tuple { items, rest } => self.tuple(items, rest.as_ref(), value, pointer),
        }
    }

    /// Every position present and fitting; items after them fit `rest`, or there are none.
    fn tuple(&self, items: &[Ty], rest: Option<&Ty>, value: &Value, pointer: &mut String) -> Result<(), Mismatch> {
        let Value::Array(elements) = value else {
            return Err(mismatch(pointer, "an array".to_owned(), value));
        };
        let fits_length = elements.len() >= items.len() && (rest.is_some() || elements.len() == items.len());
        if !fits_length {
            let expected = match rest {
                Some(_) => format!("an array of at least {} items", items.len()),
                None => format!("an array of {} items", items.len()),
            };
            return Err(mismatch(pointer, expected, value));
        }
        for (index, element) in elements.iter().enumerate() {
            let Some(ty) = items.get(index).or(rest) else { continue };
            self.child(pointer, &index.to_string(), |pointer| self.value(ty, element, pointer))?;
        }
        Ok(())
    }

    /// Some variant must fit; when the value's tag picks one, that one, for a precise mismatch.
    fn union(
        &self,
        variants: &[Variant],
        tag: Option<&str>,
        value: &Value,
        pointer: &mut String,
    ) -> Result<(), Mismatch> {
        let tagged = tag.and_then(|tag| value.get(tag)?.as_str());
        let picked: Vec<&Variant> =
            variants.iter().filter(|variant| tagged.is_some_and(|t| variant.tags.iter().any(|tag| tag == t))).collect();
        if let [only] = picked.as_slice() {
            return self.value(&only.ty, value, pointer);
        }
        let tags: Vec<String> = variants.iter().flat_map(|variant| variant.tags.iter().cloned()).collect();
        if let (Some(tag), Some(tagged)) = (tag, tagged) {
            if picked.is_empty() && variants.iter().all(|variant| !variant.tags.is_empty()) {
                return self.child(pointer, tag, |pointer| Err(mismatch(pointer, one_of(&tags), &tagged.into())));
            }
        }
        // None fits: the variant that fits deepest into the value says best what is wrong.
        let mut closest: Option<Mismatch> = None;
        for variant in variants {
            match self.value(&variant.ty, value, &mut pointer.clone()) {
                Ok(()) => return Ok(()),
                Err(mismatch) if closest.as_ref().is_none_or(|c| depth(&mismatch.pointer) > depth(&c.pointer)) => {
                    closest = Some(mismatch)
                }
                Err(_) => {}
            }
        }
        match closest {
            Some(closest) if depth(&closest.pointer) > depth(pointer) => Err(closest),
            _ => Err(mismatch(pointer, format!("a value that fits one of its {} schemas", variants.len()), value)),
        }
    }

    /// Runs `check` with `segment` appended to `pointer`, and removes it again.
    fn child(
        &self,
        pointer: &mut String,
        segment: &str,
        check: impl FnOnce(&mut String) -> Result<(), Mismatch>,
    ) -> Result<(), Mismatch> {
        let length = pointer.len();
        push_segment(pointer, segment);
        let result = check(pointer);
        pointer.truncate(length);
        result
    }
}

/// How many segments a JSON pointer has.
fn depth(pointer: &str) -> usize {
    pointer.matches('/').count()
}

fn fits_integer(width: IntWidth, value: &Value) -> bool {
    let (min, max) = width.range();
    match value.as_i64().map(i128::from).or_else(|| value.as_u64().map(i128::from)) {
        Some(number) => (min..=max).contains(&number),
        // Beyond 64 bits `Value` holds a number as `f64`: only an `i128` can hold it.
        None => width == IntWidth::I128 && value.as_f64().is_some_and(|number| number.fract() == 0.0),
    }
}

/// What a value of a type without named parts must be.
fn expected(ty: &Ty) -> String {
    match ty {
        Ty::String | Ty::Secret => "a string",
        Ty::DateTime => "a date-time string",
        Ty::Integer(width) => return format!("an integer that fits `{}`", width.rust_name()),
        Ty::Number => "a number",
        Ty::Boolean => "a boolean",
        _ => "an object",
    }
    .to_owned()
}

fn one_of(values: &[String]) -> String {
    let listed: Vec<String> = values.iter().take(5).map(|value| format!("{value:?}")).collect();
    let more = if values.len() > listed.len() { ", ..." } else { "" };
    format!("one of {}{more}", listed.join(", "))
}

fn mismatch(pointer: &str, expected: String, value: &Value) -> Mismatch {
    let found = match value {
        Value::String(text) if text.chars().count() <= 40 => format!("{text:?}"),
        Value::Number(number) => number.to_string(),
        other => kind_of(other).to_owned(),
    };
    Mismatch { pointer: pointer.to_owned(), expected, found }
}

#[cfg(test)]
mod tests {
    use crate::{generate, CrateOptions, GeneratedCrate};

    fn generated(spec: &str) -> GeneratedCrate {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("spec.yaml");
        std::fs::write(&path, spec).unwrap();
        generate(&path, &CrateOptions::new("pets", "spec.yaml")).unwrap_or_else(|e| panic!("{e}"))
    }

    fn tests_of(krate: &GeneratedCrate) -> Vec<&str> {
        let file = krate.file("tests/examples.rs").unwrap_or_default();
        file.lines().filter_map(|line| line.strip_prefix("fn ")?.strip_suffix("() {")).collect()
    }

    #[test]
    fn message_examples_that_contradict_their_payload_get_a_warning_and_no_test() {
        let krate = generated(
            r#"
asyncapi: 2.6.0
info: {title: Pets, version: '1'}
channels:
  pets:
    subscribe:
      message: {$ref: '#/components/messages/PetBorn'}
components:
  messages:
    PetBorn:
      payload: {$ref: '#/components/schemas/Pet'}
      examples:
        - {name: good, payload: {id: 1, kind: cat, tags: [a], owner: null}}
        - {name: markdown, payload: "**Rex** was born"}
        - {name: no_id, payload: {kind: cat}}
        - {name: wrong_type, payload: {id: 1, tags: [a, 2]}}
        - {name: not_in_enum, payload: {id: 1, kind: dragon}}
        - {name: too_big, payload: {id: 3000000000}}
  schemas:
    Pet:
      type: object
      required: [id]
      properties:
        id: {type: integer, format: int32}
        kind: {type: string, enum: [cat, dog]}
        tags: {type: array, items: {type: string}}
        owner: {type: string}
"#,
        );
        assert_eq!(tests_of(&krate), ["pet_born_good"]);
        assert_eq!(krate.skipped_examples, 5);
        let warnings: Vec<&str> = krate.warnings.iter().map(String::as_str).collect();
        let at = |index: usize| format!("spec.yaml#/components/messages/PetBorn/examples/{index}/payload: ");
        let expected = [
            "at / expected an object, found \"**Rex** was born\"",
            "at / expected the required property \"id\", found none",
            "at /tags/1 expected a string, found 2",
            "at /kind expected one of \"cat\", \"dog\", found \"dragon\"",
            "at /id expected an integer that fits `i32`, found 3000000000",
        ];
        assert_eq!(warnings.len(), expected.len(), "{warnings:#?}");
        for (index, (warning, mismatch)) in warnings.iter().zip(expected).enumerate() {
            assert!(warning.ends_with(&format!("({mismatch}); it gets no round-trip test")), "{warning}");
            let file_and_pointer = warning.split_once("spec.yaml#").map(|(_, rest)| format!("spec.yaml#{rest}"));
            assert!(file_and_pointer.is_some_and(|w| w.starts_with(&at(index + 1))), "{warning}");
        }
    }

    #[test]
    fn body_and_schema_examples_are_checked_through_unions_maps_and_refs() {
        let krate = generated(
            r#"
openapi: 3.1.0
info: {title: Pets, version: '1'}
paths:
  /pets:
    post:
      operationId: addPet
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Animal'}
            examples:
              cat: {value: {kind: cat, lives: 9}}
              fish: {value: {kind: fish}}
              untagged: {value: {lives: 9}}
              shared: {$ref: '#/components/examples/BadDog'}
      responses:
        '204': {description: Added.}
    put:
      operationId: replacePet
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Animal'}
            examples:
              shared: {$ref: '#/components/examples/BadDog'}
      responses:
        '200':
          description: Counts.
          content:
            application/json:
              schema: {type: object, additionalProperties: {type: integer}}
              example: {a: 1, b: two}
components:
  examples:
    BadDog: {value: {kind: dog, barks: loud}}
  schemas:
    Animal:
      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
      discriminator: {propertyName: kind, mapping: {cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog'}}
    Cat:
      type: object
      required: [kind]
      properties: {kind: {type: string}, lives: {type: integer}}
    Dog:
      type: object
      required: [kind]
      properties: {kind: {type: string}, barks: {type: boolean}}
      example: {kind: dog, barks: true}
    Stamp: {type: string, format: date-time, examples: ['2024-01-01T00:00:00Z', 7]}
    Shape:
      oneOf:
        - {type: object, required: [circle], properties: {circle: {type: object, properties: {radius: {type: number}}}}}
        - {type: string}
      examples: [{circle: {radius: big}}]
"#,
        );
        assert_eq!(tests_of(&krate), ["add_pet_request_cat", "dog_example", "stamp_example"]);
        assert_eq!(krate.skipped_examples, 7, "{:#?}", krate.warnings);
        let joined = krate.warnings.join("\n");
        assert_eq!(joined.matches("BadDog").count(), 1, "an example shared by two bodies is told once:\n{joined}");
        for expected in [
            "spec.yaml#/paths/~1pets/post/requestBody/content/application~1json/examples/fish/value: the example contradicts its schema (at /kind expected one of \"cat\", \"dog\", found \"fish\")",
            "spec.yaml#/paths/~1pets/post/requestBody/content/application~1json/examples/untagged/value: the example contradicts its schema (at / expected a value that fits one of its 2 schemas, found a mapping)",
            "spec.yaml#/components/examples/BadDog/value: the example contradicts its schema (at /barks expected a boolean, found \"loud\")",
            "spec.yaml#/paths/~1pets/put/responses/200/content/application~1json/example: the example contradicts its schema (at /b expected an integer that fits `i64`, found \"two\")",
            "spec.yaml#/components/schemas/Shape/examples/0: the example contradicts its schema (at /circle/radius expected a number, found \"big\")",
            "spec.yaml#/components/schemas/Stamp/examples/1: the example contradicts its schema (at / expected a date-time string, found 7)",
        ] {
            assert!(joined.contains(expected), "missing {expected:?} in\n{joined}");
        }
    }

    #[test]
    fn tuple_positions_lengths_and_integer_widths_are_checked() {
        let krate = generated(
            r#"
openapi: 3.1.0
info: {title: Points, version: '1'}
paths: {}
components:
  schemas:
    Closed:
      type: array
      prefixItems: [{type: integer, format: uint8}, {type: string}]
      items: false
      examples: [[255, a], [256, a], [1], [1, a, extra]]
    Open:
      type: array
      prefixItems: [{type: integer}]
      items: {type: boolean}
      examples: [[1, true, false], [1, 2]]
    Huge: {type: integer, minimum: 0, maximum: 100000000000000000000000, examples: [18446744073709551616, 1.5]}
"#,
        );
        assert_eq!(tests_of(&krate), ["closed_example", "open_example", "huge_example"], "{:#?}", krate.warnings);
        let joined = krate.warnings.join("\n");
        for expected in [
            "Closed/examples/1: the example contradicts its schema (at /0 expected an integer that fits `u8`, found 256)",
            "Closed/examples/2: the example contradicts its schema (at / expected an array of 2 items, found a list)",
            "Closed/examples/3: the example contradicts its schema (at / expected an array of 2 items, found a list)",
            "Open/examples/1: the example contradicts its schema (at /1 expected a boolean, found 2)",
            "Huge/examples/1: the example contradicts its schema (at / expected an integer that fits `i128`, found 1.5)",
        ] {
            assert!(joined.contains(expected), "missing {expected:?} in\n{joined}");
        }
    }
}
