//! JSON Schema (as used by AsyncAPI and OpenAPI) → the IR's type space.
//!
//! Declared schemas (`components/schemas/X`, or any `$ref` target) become named types keyed
//! by their location, so a reference, a recursion or a second file all land on one type.
//! Inline objects and enums become types too; two inline definitions that are identical
//! (same fields, values and docs) are interned into one.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::LazyLock;

use serde_json::{Map, Value};

use super::documents::{Documents, Loc};
use super::text;
use crate::diagnostic::Result;
use crate::ir::{Constraints, Example, Field, IntWidth, NameHint, Ty, TypeDef, TypeId, TypeKind, Variant};

pub struct TypeSpace<'a> {
    docs: &'a Documents,
    types: Vec<TypeDef>,
    declared: HashMap<Loc, TypeId>,
    interned: HashMap<String, TypeId>,
    /// Inline `allOf`s being merged: one met again inside itself is a recursion with no
    /// declared type to refer to.
    merging: HashSet<Loc>,
    warnings: Vec<String>,
}

impl<'a> TypeSpace<'a> {
    pub fn new(docs: &'a Documents) -> Self {
        TypeSpace {
            docs,
            types: Vec::new(),
            declared: HashMap::new(),
            interned: HashMap::new(),
            merging: HashSet::new(),
            warnings: Vec::new(),
        }
    }

    pub fn finish(self) -> (Vec<TypeDef>, Vec<String>) {
        (self.types, self.warnings)
    }

    /// Declares the schema at `loc` as a type named `name` (a schema key).
    ///
    /// A declared schema that is only a `$ref` becomes an alias of the type it refers to.
    pub fn declare(&mut self, loc: &Loc, name: &str) -> Result<TypeId> {
        if let Some(id) = self.declared.get(loc) {
            return Ok(*id);
        }
        let id = TypeId(self.types.len());
        let hint = NameHint {
            path: vec![name.to_owned()],
            declared: true,
        };
        self.types.push(TypeDef {
            name: hint.clone(),
            doc: None,
            kind: TypeKind::Alias(Ty::Any),
            examples: Vec::new(),
        });
        self.declared.insert(loc.clone(), id);
        let schema = self.schema_at(loc)?;
        let doc = describe(schema);
        let kind = if schema.contains_key("$ref") {
            TypeKind::Alias(self.convert_schema(loc, schema, &hint.path)?)
        } else {
            match self.convert_body(loc, schema, &hint.path)? {
                Shape::Kind(kind) => kind,
                Shape::Ty(ty) => TypeKind::Alias(ty),
            }
        };
        self.types[id.0] = TypeDef {
            name: hint,
            doc,
            kind,
            examples: examples(schema),
        };
        Ok(id)
    }

    /// The type of the schema at `loc`; `path` names inline types found inside it.
    pub fn convert(&mut self, loc: &Loc, path: &[String]) -> Result<Ty> {
        let schema = self.schema_at(loc)?;
        self.convert_schema(loc, schema, path)
    }

    /// [`convert`](Self::convert) for a schema the caller has already read from `loc`.
    fn convert_schema(&mut self, loc: &Loc, schema: &Map<String, Value>, path: &[String]) -> Result<Ty> {
        let ty = if schema.contains_key("$ref") {
            Ty::Named(self.declare_target(loc)?)
        } else {
            match self.convert_body(loc, schema, path)? {
                Shape::Ty(ty) => ty,
                Shape::Kind(kind) => Ty::Named(self.intern(kind, schema, path)),
            }
        };
        Ok(if is_nullable(schema) { nullable(ty) } else { ty })
    }

    /// Declares the schema a `$ref` at `loc` leads to, named after its key (or file).
    fn declare_target(&mut self, loc: &Loc) -> Result<TypeId> {
        let target = self.docs.follow(loc)?;
        let name = match target.last_segment() {
            Some(segment) => segment,
            None => file_stem(self.docs.path(target.file)),
        };
        self.declare(&target, &name)
    }

    /// A type for an inline schema: the one already made for an identical definition (same
    /// kind and doc), or a new one named by `path`.
    fn intern(&mut self, kind: TypeKind, schema: &Map<String, Value>, path: &[String]) -> TypeId {
        let doc = describe(schema);
        let key = format!("{kind:?}{doc:?}");
        if let Some(id) = self.interned.get(&key) {
            return *id;
        }
        let id = TypeId(self.types.len());
        self.types.push(TypeDef {
            name: NameHint {
                path: path.to_vec(),
                declared: false,
            },
            doc,
            kind,
            examples: examples(schema),
        });
        self.interned.insert(key, id);
        id
    }

    /// The schema at `loc`: a mapping, or a boolean schema, which reads as an empty mapping.
    fn schema_at(&self, loc: &Loc) -> Result<&'a Map<String, Value>> {
        static EMPTY: LazyLock<Map<String, Value>> = LazyLock::new(Map::new);
        match self.docs.get(loc)? {
            Value::Object(map) => Ok(map),
            Value::Bool(_) => Ok(&EMPTY),
            other => Err(self
                .docs
                .error(loc, format!("a schema must be an object, found {}", kind_of(other)))
                .with_help("write the schema as a mapping, e.g. `type: string`")),
        }
    }

    fn convert_body(&mut self, loc: &Loc, schema: &Map<String, Value>, path: &[String]) -> Result<Shape> {
        if let Some(parts) = schema.get("allOf") {
            return self.convert_all_of(loc, schema, parts, path);
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(parts) = schema.get(keyword) {
                return self.convert_union(&loc.join(keyword), schema, parts, path);
            }
        }
        if let Some(Value::String(value)) = schema.get("const") {
            return Ok(Shape::Kind(TypeKind::Enum { values: vec![value.clone()] }));
        }
        if let Some(values) = schema.get("enum") {
            return self.convert_enum(loc, schema, values, path);
        }
        match self.single_type(loc, schema)?.as_deref() {
            Some("object") => self.convert_object(loc, schema, path),
            Some("array") => {
                let item_path = item_path(path);
                let items = match schema.get("items") {
                    Some(_) => self.convert(&loc.join("items"), &item_path)?,
                    None => Ty::Any,
                };
                Ok(Shape::Ty(Ty::Array(Box::new(items))))
            }
            Some("string") => Ok(Shape::Ty(match schema.get("format").and_then(Value::as_str) {
                Some("date-time") => Ty::DateTime,
                Some("password") => Ty::Secret,
                _ => Ty::String,
            })),
            Some("integer") => Ok(Shape::Ty(Ty::Integer(
                match schema.get("format").and_then(Value::as_str) {
                    Some("int32") => IntWidth::I32,
                    _ => IntWidth::I64,
                },
            ))),
            Some("number") => Ok(Shape::Ty(Ty::Number)),
            Some("boolean") => Ok(Shape::Ty(Ty::Boolean)),
            Some("null") | None => Ok(Shape::Ty(Ty::Any)),
            Some(other) => Err(self
                .docs
                .error(&loc.join("type"), format!("unknown type {other:?}"))
                .with_help("use one of object, array, string, integer, number, boolean, null")),
        }
    }

    /// The schema's one non-null `type`, inferred from `properties`/`items` when absent.
    fn single_type(&mut self, loc: &Loc, schema: &Map<String, Value>) -> Result<Option<String>> {
        match schema.get("type") {
            Some(Value::String(name)) => Ok(Some(name.clone())),
            Some(Value::Array(names)) => {
                let mut non_null = Vec::new();
                for name in names {
                    match name.as_str() {
                        Some("null") => {}
                        Some(name) => non_null.push(name.to_owned()),
                        None => return Err(self.type_error(loc)),
                    }
                }
                if non_null.len() > 1 {
                    self.warn(loc, "a value of several types is typed as serde_json::Value");
                    return Ok(None);
                }
                Ok(non_null.pop())
            }
            Some(_) => Err(self.type_error(loc)),
            None if schema.contains_key("properties") || schema.contains_key("additionalProperties") => {
                Ok(Some("object".to_owned()))
            }
            None if schema.contains_key("items") => Ok(Some("array".to_owned())),
            None => Ok(None),
        }
    }

    fn type_error(&self, loc: &Loc) -> crate::diagnostic::Diagnostic {
        self.docs
            .error(&loc.join("type"), "`type` must be a string or a list of strings")
            .with_help("write e.g. `type: string` or `type: [string, \"null\"]`")
    }

    fn convert_object(&mut self, loc: &Loc, schema: &Map<String, Value>, path: &[String]) -> Result<Shape> {
        let properties = match schema.get("properties") {
            None => None,
            Some(Value::Object(properties)) => Some(properties),
            Some(other) => {
                return Err(self
                    .docs
                    .error(&loc.join("properties"), format!("`properties` must be a mapping, found {}", kind_of(other)))
                    .with_help("list properties as `name: {schema}` pairs"))
            }
        };
        let Some(properties) = properties.filter(|p| !p.is_empty()) else {
            return Ok(Shape::Ty(self.convert_map(loc, schema, path)?));
        };
        let required = self.required_list(loc, schema)?;
        let mut fields = Vec::with_capacity(properties.len());
        for wire in properties.keys() {
            fields.push(self.field(&loc.join("properties").join(wire), wire, &required, path)?);
        }
        Ok(Shape::Kind(TypeKind::Struct { fields }))
    }

    /// An object without declared properties: a map when `additionalProperties` (or a
    /// single `patternProperties` entry) gives the values a schema, else any object.
    fn convert_map(&mut self, loc: &Loc, schema: &Map<String, Value>, path: &[String]) -> Result<Ty> {
        let value_path = [path, &["value".to_owned()]].concat();
        match schema.get("additionalProperties") {
            Some(Value::Object(_)) => {
                return Ok(Ty::Map(Box::new(self.convert(&loc.join("additionalProperties"), &value_path)?)));
            }
            None | Some(Value::Bool(_)) => {}
            Some(other) => {
                return Err(self
                    .docs
                    .error(
                        &loc.join("additionalProperties"),
                        format!("`additionalProperties` must be a boolean or a schema, found {}", kind_of(other)),
                    )
                    .with_help("write `additionalProperties: {type: string}`, or `true`/`false`"))
            }
        }
        match schema.get("patternProperties") {
            Some(Value::Object(patterns)) if patterns.len() == 1 => {
                let pattern = patterns.keys().next().map(String::as_str).unwrap_or_default();
                Ok(Ty::Map(Box::new(self.convert(&loc.join("patternProperties").join(pattern), &value_path)?)))
            }
            _ => Ok(Ty::FreeObject),
        }
    }

    /// `oneOf`/`anyOf` (at `loc`): a union of the non-null schemas, nullable when one of
    /// them is `null`; one non-null schema is just that schema.
    fn convert_union(&mut self, loc: &Loc, schema: &Map<String, Value>, parts: &Value, path: &[String]) -> Result<Shape> {
        let Some(parts) = parts.as_array().filter(|parts| !parts.is_empty()) else {
            return Err(self
                .docs
                .error(loc, "`oneOf`/`anyOf` must be a non-empty list of schemas")
                .with_help("write `oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]`"));
        };
        let mut variants = Vec::with_capacity(parts.len());
        let mut null = false;
        for index in 0..parts.len() {
            let part_loc = loc.join(&index.to_string());
            let target = self.docs.follow(&part_loc)?;
            let part = self.schema_at(&target)?;
            if part.get("type").and_then(Value::as_str) == Some("null") {
                null = true;
                continue;
            }
            let name = (target != part_loc).then(|| target.last_segment()).flatten().or_else(|| text(part, "title"));
            let variant_path = [path, &[name.clone().unwrap_or_else(|| format!("option{}", index + 1))]].concat();
            let ty = self.convert(&part_loc, &variant_path)?;
            variants.push((target, Variant { name, ty, tags: Vec::new() }));
        }
        let tag = self.tag_variants(loc, schema, &mut variants)?;
        let mut variants: Vec<Variant> = variants.into_iter().map(|(_, variant)| variant).collect();
        if variants.len() < 2 {
            let ty = variants.pop().map(|v| v.ty).unwrap_or(Ty::Any);
            return Ok(Shape::Ty(if null { nullable(ty) } else { ty }));
        }
        let union = TypeKind::Union { variants, tag };
        Ok(match null {
            false => Shape::Kind(union),
            true => Shape::Ty(nullable(Ty::Named(self.intern(union, schema, path)))),
        })
    }

    /// The union's tag property, with each variant's tag values filled in: the
    /// `discriminator` (its `mapping`, else the variants' schema keys), or else a property
    /// that every variant fixes to a different value with `const` or a one-value `enum`.
    fn tag_variants(&self, loc: &Loc, schema: &Map<String, Value>, variants: &mut [(Loc, Variant)]) -> Result<Option<String>> {
        if let Some(property) = schema.get("discriminator").and_then(|d| d.get("propertyName")).and_then(Value::as_str) {
            let parent = loc.parent();
            for (target, variant) in variants.iter_mut() {
                variant.tags = self.mapped_tags(&parent, schema, target)?;
                if variant.tags.is_empty() {
                    variant.tags.extend(self.fixed_values(target)?.remove(property));
                }
            }
            return Ok(Some(property.to_owned()));
        }
        let mut fixed = Vec::with_capacity(variants.len());
        for (target, _) in variants.iter() {
            fixed.push(self.fixed_values(target)?);
        }
        let Some(first) = fixed.first() else { return Ok(None) };
        let tag = first.keys().find(|property| {
            let values: Vec<Option<&String>> = fixed.iter().map(|f| f.get(*property)).collect();
            values.iter().all(Option::is_some) && values.iter().enumerate().all(|(i, v)| !values[..i].contains(v))
        });
        let Some(tag) = tag.cloned() else { return Ok(None) };
        for ((_, variant), values) in variants.iter_mut().zip(&mut fixed) {
            variant.tags.extend(values.remove(&tag));
        }
        Ok(Some(tag))
    }

    /// The `discriminator.mapping` values that lead to the schema at `target`; without a
    /// mapping entry for it, its schema key.
    fn mapped_tags(&self, parent: &Loc, schema: &Map<String, Value>, target: &Loc) -> Result<Vec<String>> {
        let mapping_loc = parent.join("discriminator").join("mapping");
        let mut tags = Vec::new();
        if let Some(Value::Object(mapping)) = schema.get("discriminator").and_then(|d| d.get("mapping")) {
            for (value, reference) in mapping {
                let Some(reference) = reference.as_str() else { continue };
                let reference = if reference.contains('#') || reference.contains('.') {
                    reference.to_owned()
                } else {
                    format!("#/components/schemas/{reference}")
                };
                if self.docs.follow(&self.docs.resolve(&mapping_loc.join(value), &reference)?)? == *target {
                    tags.push(value.clone());
                }
            }
        }
        if tags.is_empty() {
            tags.extend(target.last_segment().filter(|_| target.pointer.contains("/schemas/")));
        }
        Ok(tags)
    }

    /// Properties the schema at `loc` fixes to one string (`const`, or an `enum` of one),
    /// its own and those of its `allOf` parts.
    fn fixed_values(&self, loc: &Loc) -> Result<BTreeMap<String, String>> {
        let mut out = BTreeMap::new();
        let mut pending = vec![loc.clone()];
        while let Some(next) = pending.pop() {
            let at = self.docs.follow(&next)?;
            let part = self.schema_at(&at)?;
            if let Some(Value::Object(properties)) = part.get("properties") {
                for (name, property) in properties {
                    let fixed = match (property.get("const"), property.get("enum")) {
                        (Some(Value::String(value)), _) => Some(value.clone()),
                        (_, Some(Value::Array(values))) if values.len() == 1 => values[0].as_str().map(str::to_owned),
                        _ => None,
                    };
                    if let Some(value) = fixed {
                        out.entry(name.clone()).or_insert(value);
                    }
                }
            }
            if let Some(Value::Array(parts)) = part.get("allOf") {
                pending.extend((0..parts.len()).map(|i| at.join("allOf").join(&i.to_string())));
            }
        }
        Ok(out)
    }

    fn field(&mut self, loc: &Loc, wire: &str, required: &[String], path: &[String]) -> Result<Field> {
        let schema = self.schema_at(loc)?;
        let field_path = [path, &[wire.to_owned()]].concat();
        Ok(Field {
            wire: wire.to_owned(),
            doc: describe(schema),
            ty: self.convert_schema(loc, schema, &field_path)?,
            required: required.iter().any(|r| r == wire),
            constraints: constraints(schema),
            default: schema.get("default").cloned(),
        })
    }

    fn required_list(&self, loc: &Loc, schema: &Map<String, Value>) -> Result<Vec<String>> {
        let Some(required) = schema.get("required") else {
            return Ok(Vec::new());
        };
        let names = required.as_array().and_then(|items| {
            items.iter().map(|i| i.as_str().map(str::to_owned)).collect::<Option<Vec<_>>>()
        });
        names.ok_or_else(|| {
            self.docs
                .error(&loc.join("required"), "`required` must be a list of property names")
                .with_help("write e.g. `required: [id, name]`")
        })
    }

    fn convert_enum(&mut self, loc: &Loc, schema: &Map<String, Value>, values: &Value, path: &[String]) -> Result<Shape> {
        let Some(values) = values.as_array().filter(|v| !v.is_empty()) else {
            return Err(self
                .docs
                .error(&loc.join("enum"), "`enum` must be a non-empty list")
                .with_help("list the allowed values, e.g. `enum: [on, off]`"));
        };
        let declared_string = schema.get("type").and_then(Value::as_str) == Some("string");
        let strings: Option<Vec<String>> = values
            .iter()
            .map(|v| match v {
                Value::String(s) => Some(s.clone()),
                Value::Bool(_) | Value::Number(_) if declared_string => Some(v.to_string()),
                _ => None,
            })
            .collect();
        match strings {
            Some(mut values) => {
                let mut seen = std::collections::HashSet::new();
                values.retain(|v| seen.insert(v.clone()));
                Ok(Shape::Kind(TypeKind::Enum { values }))
            }
            None => {
                let mut without_enum = schema.clone();
                without_enum.remove("enum");
                self.convert_body(loc, &without_enum, path)
            }
        }
    }

    /// `allOf`: the properties and required lists of every part, merged into one object.
    fn convert_all_of(&mut self, loc: &Loc, schema: &Map<String, Value>, parts: &Value, path: &[String]) -> Result<Shape> {
        let Some(parts) = parts.as_array() else {
            return Err(self
                .docs
                .error(&loc.join("allOf"), "`allOf` must be a list of schemas")
                .with_help("write `allOf: [{$ref: ...}, {properties: ...}]`"));
        };
        let own_properties = schema.get("properties").is_some();
        if parts.len() == 1 && !own_properties {
            return Ok(Shape::Ty(self.convert(&loc.join("allOf").join("0"), path)?));
        }
        if !self.merging.insert(loc.clone()) {
            self.warn(loc, "this `allOf` contains itself without a declared schema to refer to; typed as serde_json::Value");
            return Ok(Shape::Ty(Ty::Any));
        }
        let merged = self.merge_all_of(loc, path);
        self.merging.remove(loc);
        merged
    }

    /// The properties and required lists of every part of the `allOf` at `loc`, each part
    /// (after following `$ref`s) read once, so parts that refer to each other end.
    fn merge_all_of(&mut self, loc: &Loc, path: &[String]) -> Result<Shape> {
        let mut property_locs: Vec<(String, Loc)> = Vec::new();
        let mut required = Vec::new();
        let mut pending = vec![loc.clone()];
        let mut seen = HashSet::new();
        while let Some(next) = pending.pop() {
            let at = self.docs.follow(&next)?;
            if !seen.insert(at.clone()) {
                continue;
            }
            let part = self.schema_at(&at)?;
            required.extend(self.required_list(&at, part)?);
            if let Some(Value::Object(properties)) = part.get("properties") {
                for wire in properties.keys() {
                    let prop_loc = at.join("properties").join(wire);
                    match property_locs.iter_mut().find(|(w, _)| w == wire) {
                        Some(existing) => existing.1 = prop_loc,
                        None => property_locs.push((wire.clone(), prop_loc)),
                    }
                }
            }
            if let Some(Value::Array(sub)) = part.get("allOf") {
                pending.extend((0..sub.len()).rev().map(|i| at.join("allOf").join(&i.to_string())));
            }
        }
        let mut fields = Vec::with_capacity(property_locs.len());
        for (wire, prop_loc) in &property_locs {
            fields.push(self.field(prop_loc, wire, &required, path)?);
        }
        Ok(Shape::Kind(TypeKind::Struct { fields }))
    }

    fn warn(&mut self, loc: &Loc, message: &str) {
        self.warnings.push(format!("{}: {message}", self.docs.describe(loc)));
    }
}

/// The schema's examples: OpenAPI's single `example`, then JSON Schema's `examples` list.
fn examples(schema: &Map<String, Value>) -> Vec<Example> {
    let listed = match schema.get("examples") {
        Some(Value::Array(values)) => values.as_slice(),
        _ => &[],
    };
    schema
        .get("example")
        .into_iter()
        .chain(listed)
        .map(|payload| Example {
            name: None,
            payload: payload.clone(),
        })
        .collect()
}

/// Whether the schema also admits `null`: OpenAPI 3.0's `nullable: true`, or `null` among
/// the `type`s.
fn is_nullable(schema: &Map<String, Value>) -> bool {
    schema.get("nullable") == Some(&Value::Bool(true))
        || matches!(schema.get("type"), Some(Value::Array(types)) if types.iter().any(|t| t == "null"))
}

fn nullable(ty: Ty) -> Ty {
    match ty {
        Ty::Nullable(_) | Ty::Any => ty,
        ty => Ty::Nullable(Box::new(ty)),
    }
}

/// What a schema converts to: a plain type, or a definition that needs a name.
enum Shape {
    Ty(Ty),
    Kind(TypeKind),
}

pub fn describe(schema: &Map<String, Value>) -> Option<String> {
    ["description", "title"]
        .iter()
        .find_map(|key| schema.get(*key).and_then(Value::as_str))
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_owned)
}

pub fn constraints(schema: &Map<String, Value>) -> Constraints {
    let unsigned = |key: &str| schema.get(key).and_then(Value::as_u64);
    let float = |key: &str| schema.get(key).and_then(Value::as_f64);
    Constraints {
        min_length: unsigned("minLength"),
        max_length: unsigned("maxLength"),
        minimum: float("minimum"),
        maximum: float("maximum"),
        min_items: unsigned("minItems"),
        max_items: unsigned("maxItems"),
        unique_items: schema.get("uniqueItems").and_then(Value::as_bool).unwrap_or(false),
        pattern: schema.get("pattern").and_then(Value::as_str).map(str::to_owned),
        format: schema
            .get("format")
            .and_then(Value::as_str)
            .filter(|f| !matches!(*f, "date-time" | "password" | "int32" | "int64"))
            .map(str::to_owned),
    }
}

/// The name path of an array's items: the array's own name, in the singular.
fn item_path(path: &[String]) -> Vec<String> {
    let mut item = path.to_vec();
    if let Some(last) = item.last_mut() {
        *last = crate::naming::singular(last);
    }
    item
}

fn file_stem(path: &std::path::Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("schema");
    name.split('.').next().unwrap_or(name).to_owned()
}

pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{Ty, TypeKind};
    use crate::spec::read_text;

    const HEAD: &str = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n";

    #[test]
    fn all_of_parts_that_refer_to_each_other_are_merged_once() {
        let api = read_text(&format!(
            "{HEAD}    A: {{allOf: [{{properties: {{a: {{type: string}}}}}}, {{$ref: '#/components/schemas/B'}}]}}\n    B: {{allOf: [{{properties: {{b: {{type: string}}}}}}, {{$ref: '#/components/schemas/A'}}]}}\n"
        ))
        .unwrap();
        let TypeKind::Struct { fields } = &api.types[0].kind else { panic!("A is a struct") };
        let wires: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
        assert_eq!(wires, ["a", "b"]);
    }

    #[test]
    fn an_inline_all_of_inside_itself_is_typed_loosely_with_a_warning() {
        let api = read_text(&format!(
            "{HEAD}    a: {{properties: {{a: {{allOf: [{{$ref: '#/components/schemas/a'}}, {{type: string}}]}}}}}}\n"
        ))
        .unwrap();
        assert!(api.warnings.iter().any(|w| w.contains("contains itself")), "{:?}", api.warnings);
        assert!(api.types.iter().any(|t| matches!(&t.kind, TypeKind::Struct { fields } if fields[0].ty == Ty::Any)));
    }
}
