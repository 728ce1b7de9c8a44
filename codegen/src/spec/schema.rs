//! JSON Schema (as used by AsyncAPI and OpenAPI) → the IR's type space.
//!
//! Declared schemas (`components/schemas/X`, or any `$ref` target) become named types keyed
//! by their location, so a reference, a recursion or a second file all land on one type.
//! Inline objects and enums become types too; two inline definitions that are identical
//! (same fields, values and docs) are interned into one.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::LazyLock;

use serde_json::{Map, Value};

use super::documents::{Documents, Loc, Place};
use super::keywords::Keywords;
use super::text;
use crate::diagnostic::Result;
use crate::ir::{integer_bound, Constraints, Field, IntWidth, NameHint, Ty, TypeDef, TypeId, TypeKind, Variant};

pub struct TypeSpace<'a> {
    docs: &'a Documents,
    types: Vec<TypeDef>,
    declared: HashMap<Loc, TypeId>,
    /// Inline definitions made so far, by [`shape_hash`].
    interned: HashMap<u64, Vec<TypeId>>,
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
        let hint = NameHint { path: vec![name.to_owned()], declared: true };
        self.types.push(TypeDef {
            name: hint.clone(),
            doc: None,
            kind: TypeKind::Alias(Ty::Any),
            examples: Vec::new(),
        });
        self.declared.insert(loc.clone(), id);
        let keywords = Keywords::of(self.schema_at(loc)?);
        let (at, path) = (Place::At(loc), NamePath::Root(&hint.path));
        let kind = if keywords.reference.is_some() {
            TypeKind::Alias(self.convert_schema(&at, &keywords, &path)?)
        } else {
            match self.convert_body(&at, &keywords, &path)? {
                Shape::Kind(kind) => kind,
                Shape::Ty(ty) => TypeKind::Alias(ty),
            }
        };
        let examples = keywords.examples(|| self.docs.describe(loc));
        self.types[id.0] = TypeDef { name: hint, doc: keywords.doc(), kind, examples };
        Ok(id)
    }

    /// The type of the schema at `loc`; `path` names inline types found inside it.
    pub fn convert(&mut self, loc: &Loc, path: &[String]) -> Result<Ty> {
        let schema = self.schema_at(loc)?;
        self.convert_schema(&Place::At(loc), &Keywords::of(schema), &NamePath::Root(path))
    }

    /// [`convert`](Self::convert) for a schema the caller has already read: `value`, at `at`.
    fn convert_value(&mut self, at: &Place, value: &'a Value, path: &NamePath) -> Result<Ty> {
        let schema = self.schema_of(at, value)?;
        self.convert_schema(at, &Keywords::of(schema), path)
    }

    fn convert_schema(&mut self, at: &Place, keywords: &Keywords<'a>, path: &NamePath) -> Result<Ty> {
        let ty = match keywords.reference {
            Some(reference) => Ty::Named(self.declare_target(at, reference)?),
            None => match self.convert_body(at, keywords, path)? {
                Shape::Ty(ty) => ty,
                Shape::Kind(kind) => Ty::Named(self.intern(at, kind, keywords, path)),
            },
        };
        Ok(if keywords.is_nullable() { nullable(ty) } else { ty })
    }

    /// Declares the schema that the `$ref` at `at`, `reference`, leads to, named after its key
    /// (or file).
    fn declare_target(&mut self, at: &Place, reference: &Value) -> Result<TypeId> {
        let target = self.docs.follow_reference(&at.loc(), reference)?;
        if let Some(id) = self.declared.get(&target) {
            return Ok(*id);
        }
        let name = match target.last_segment() {
            Some(segment) => segment,
            None => file_stem(self.docs.path(target.file)),
        };
        self.declare(&target, &name)
    }

    /// A type for an inline schema: the one already made for an identical definition (same
    /// kind and doc), or a new one named by `path`.
    fn intern(&mut self, at: &Place, kind: TypeKind, keywords: &Keywords, path: &NamePath) -> TypeId {
        let doc = keywords.doc();
        let made = self.interned.entry(shape_hash(&kind, &doc)).or_default();
        if let Some(id) = made.iter().find(|id| is_definition(&self.types[id.0], &kind, &doc)) {
            return *id;
        }
        let id = TypeId(self.types.len());
        made.push(id);
        self.types.push(TypeDef {
            name: NameHint { path: path.to_vec(), declared: false },
            doc,
            kind,
            examples: keywords.examples(|| self.docs.describe(&at.loc())),
        });
        id
    }

    /// The schema at `loc`.
    fn schema_at(&self, loc: &Loc) -> Result<&'a Map<String, Value>> {
        self.schema_of(&Place::At(loc), self.docs.get(loc)?)
    }

    /// `value`, the schema at `at`: a mapping, or a boolean schema, which reads as an empty
    /// mapping.
    fn schema_of(&self, at: &Place, value: &'a Value) -> Result<&'a Map<String, Value>> {
        static EMPTY: LazyLock<Map<String, Value>> = LazyLock::new(Map::new);
        match value {
            Value::Object(map) => Ok(map),
            Value::Bool(_) => Ok(&EMPTY),
            other => Err(self
                .docs
                .error(&at.loc(), format!("a schema must be an object, found {}", kind_of(other)))
                .with_help("write the schema as a mapping, e.g. `type: string`")),
        }
    }

    fn convert_body(&mut self, at: &Place, keywords: &Keywords<'a>, path: &NamePath) -> Result<Shape> {
        if let Some(parts) = keywords.all_of {
            return self.convert_all_of(at, keywords, parts, path);
        }
        for (keyword, parts) in [("oneOf", keywords.one_of), ("anyOf", keywords.any_of)] {
            if let Some(parts) = parts {
                return self.convert_union(at, keyword, keywords, parts, path);
            }
        }
        if let Some(Value::String(value)) = keywords.r#const {
            return Ok(Shape::Kind(TypeKind::Enum { values: vec![value.clone()] }));
        }
        if let Some(values) = keywords.r#enum {
            return self.convert_enum(at, keywords, values, path);
        }
        match self.single_type(at, keywords)? {
            Some("object") => self.convert_object(at, keywords, path),
            Some("array") => self.convert_array(at, keywords, path),
            Some("string") => Ok(Shape::Ty(match keywords.format() {
                Some("date-time") => Ty::DateTime,
                Some("password") => Ty::Secret,
                _ => Ty::String,
            })),
            Some("integer") => Ok(Shape::Ty(self.integer(at, keywords))),
            Some("number") => Ok(Shape::Ty(Ty::Number)),
            Some("boolean") => Ok(Shape::Ty(Ty::Boolean)),
            Some("null") | None => Ok(Shape::Ty(Ty::Any)),
            Some(other) => Err(self
                .docs
                .error(&at.child("type").loc(), format!("unknown type {other:?}"))
                .with_help("use one of object, array, string, integer, number, boolean, null")),
        }
    }

    /// An array: a `Vec` of its `items`, or a tuple when positions have types of their own
    /// (`prefixItems`, or draft 4-7's `items: [A, B]`, whose extra items `additionalItems`
    /// describes). A tuple takes no more items when the schema says so (`false`) or when
    /// `maxItems` leaves no room beyond its positions.
    fn convert_array(&mut self, at: &Place, keywords: &Keywords<'a>, path: &NamePath) -> Result<Shape> {
        let (positions, keyword, rest, rest_keyword) = match (keywords.prefix_items, keywords.items) {
            (Some(Value::Array(positions)), rest) => (positions, "prefixItems", rest, "items"),
            (None, Some(Value::Array(positions))) => (positions, "items", keywords.additional_items, "additionalItems"),
            (Some(other), _) => {
                return Err(self
                    .docs
                    .error(
                        &at.child("prefixItems").loc(),
                        format!("`prefixItems` must be a list of schemas, found {}", kind_of(other)),
                    )
                    .with_help("write `prefixItems: [{type: string}, {type: integer}]`"))
            }
            (None, items) => {
                let items = match items {
                    Some(items) => self.convert_value(&at.child("items"), items, &NamePath::Item(path))?,
                    None => Ty::Any,
                };
                return Ok(Shape::Ty(Ty::Array(Box::new(items))));
            }
        };
        let at_most = keywords.max_items.and_then(Value::as_u64);
        let rest = match rest {
            Some(Value::Bool(false)) => None,
            _ if at_most.is_some_and(|max| max <= positions.len() as u64) => None,
            Some(schema) => Some(self.convert_value(&at.child(rest_keyword), schema, &path.child("rest"))?),
            None => Some(Ty::Any),
        };
        if positions.is_empty() {
            return Ok(Shape::Ty(Ty::Array(Box::new(rest.unwrap_or(Ty::Any)))));
        }
        let positions_at = at.child(keyword);
        let mut items = Vec::with_capacity(positions.len());
        for (index, schema) in positions.iter().enumerate() {
            let segment = format!("item{}", index + 1);
            items.push(self.convert_value(&positions_at.child(&index.to_string()), schema, &path.child(&segment))?);
        }
        Ok(Shape::Kind(TypeKind::Tuple { items, rest }))
    }

    /// The type of an `integer` schema: the one its `format` names (else `i64`), widened to
    /// `i64`, `u64` or `i128`, the first that holds its `minimum`..`maximum`. A range beyond
    /// 128 bits is typed `f64`, with a warning.
    fn integer(&mut self, at: &Place, keywords: &Keywords<'a>) -> Ty {
        let named = keywords.format().and_then(IntWidth::of_format).unwrap_or(IntWidth::I64);
        let bound = |value: Option<&Value>, up: bool| match value {
            Some(Value::Number(n)) => integer_bound(n, up).map(Some).ok_or(()),
            _ => Ok(None),
        };
        let (Ok(min), Ok(max)) = (bound(keywords.minimum, true), bound(keywords.maximum, false)) else {
            self.warn(&at.loc(), "an integer range beyond 128 bits is typed f64");
            return Ty::Number;
        };
        let holds = |width: IntWidth| {
            let (low, high) = width.range();
            min.is_none_or(|min| min >= low) && max.is_none_or(|max| max <= high)
        };
        let width = [named, IntWidth::I64, IntWidth::U64, IntWidth::I128].into_iter().find(|w| holds(*w));
        Ty::Integer(width.unwrap_or(IntWidth::I128))
    }

    /// The schema's one non-null `type`, inferred from `properties`/`items` when absent.
    fn single_type(&mut self, at: &Place, keywords: &Keywords<'a>) -> Result<Option<&'a str>> {
        match keywords.r#type {
            Some(Value::String(name)) => Ok(Some(name)),
            Some(Value::Array(names)) => {
                let mut non_null = Vec::new();
                for name in names {
                    match name.as_str() {
                        Some("null") => {}
                        Some(name) => non_null.push(name),
                        None => return Err(self.type_error(at)),
                    }
                }
                if non_null.len() > 1 {
                    self.warn(&at.loc(), "a value of several types is typed as serde_json::Value");
                    return Ok(None);
                }
                Ok(non_null.pop())
            }
            Some(_) => Err(self.type_error(at)),
            None if keywords.properties.is_some() || keywords.additional_properties.is_some() => Ok(Some("object")),
            None if keywords.items.is_some() || keywords.prefix_items.is_some() => Ok(Some("array")),
            None => Ok(None),
        }
    }

    fn type_error(&self, at: &Place) -> crate::diagnostic::Diagnostic {
        self.docs
            .error(&at.child("type").loc(), "`type` must be a string or a list of strings")
            .with_help("write e.g. `type: string` or `type: [string, \"null\"]`")
    }

    fn convert_object(&mut self, at: &Place, keywords: &Keywords<'a>, path: &NamePath) -> Result<Shape> {
        let properties = match keywords.properties {
            None => None,
            Some(Value::Object(properties)) => Some(properties),
            Some(other) => {
                return Err(self
                    .docs
                    .error(
                        &at.child("properties").loc(),
                        format!("`properties` must be a mapping, found {}", kind_of(other)),
                    )
                    .with_help("list properties as `name: {schema}` pairs"))
            }
        };
        let Some(properties) = properties.filter(|p| !p.is_empty()) else {
            return Ok(Shape::Ty(self.convert_map(at, keywords, path)?));
        };
        let required = self.required_list(at, keywords)?;
        let properties_at = at.child("properties");
        let mut fields = Vec::with_capacity(properties.len());
        for (wire, schema) in properties {
            fields.push(self.field(&properties_at.child(wire), wire, schema, &required, path)?);
        }
        Ok(Shape::Kind(TypeKind::Struct { fields }))
    }

    /// An object without declared properties: a map when `additionalProperties` (or a
    /// single `patternProperties` entry) gives the values a schema, else any object.
    fn convert_map(&mut self, at: &Place, keywords: &Keywords<'a>, path: &NamePath) -> Result<Ty> {
        let value_path = path.child("value");
        match keywords.additional_properties {
            Some(schema @ Value::Object(_)) => {
                return Ok(Ty::Map(Box::new(self.convert_value(
                    &at.child("additionalProperties"),
                    schema,
                    &value_path,
                )?)));
            }
            None | Some(Value::Bool(_)) => {}
            Some(other) => {
                return Err(self
                    .docs
                    .error(
                        &at.child("additionalProperties").loc(),
                        format!("`additionalProperties` must be a boolean or a schema, found {}", kind_of(other)),
                    )
                    .with_help("write `additionalProperties: {type: string}`, or `true`/`false`"))
            }
        }
        match keywords.pattern_properties {
            Some(Value::Object(patterns)) if patterns.len() == 1 => {
                let (pattern, schema) = patterns.iter().next().expect("one pattern");
                let pattern_at = at.child("patternProperties");
                Ok(Ty::Map(Box::new(self.convert_value(&pattern_at.child(pattern), schema, &value_path)?)))
            }
            _ => Ok(Ty::FreeObject),
        }
    }

    /// `oneOf`/`anyOf` (`keyword`, in the schema at `at`): a union of the non-null schemas,
    /// nullable when one of them is `null`; one non-null schema is just that schema.
    fn convert_union(
        &mut self,
        at: &Place,
        keyword: &str,
        keywords: &Keywords<'a>,
        parts: &'a Value,
        path: &NamePath,
    ) -> Result<Shape> {
        let loc = at.child(keyword).loc();
        let Some(parts) = parts.as_array().filter(|parts| !parts.is_empty()) else {
            return Err(self
                .docs
                .error(&loc, "`oneOf`/`anyOf` must be a non-empty list of schemas")
                .with_help("write `oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]`"));
        };
        let mut variants = Vec::with_capacity(parts.len());
        let mut null = false;
        for (index, value) in parts.iter().enumerate() {
            let part_loc = loc.join(&index.to_string());
            let target = self.docs.follow(&part_loc)?;
            let part = self.schema_at(&target)?;
            if part.get("type").and_then(Value::as_str) == Some("null") {
                null = true;
                continue;
            }
            let name = (target != part_loc).then(|| target.last_segment()).flatten().or_else(|| text(part, "title"));
            let segment = name.clone().unwrap_or_else(|| format!("option{}", index + 1));
            let ty = self.convert_value(&Place::At(&part_loc), value, &path.child(&segment))?;
            variants.push((target, Variant { name, ty, tags: Vec::new() }));
        }
        let tag = self.tag_variants(at, keywords, &mut variants)?;
        let mut variants: Vec<Variant> = variants.into_iter().map(|(_, variant)| variant).collect();
        if variants.len() < 2 {
            let ty = variants.pop().map(|v| v.ty).unwrap_or(Ty::Any);
            return Ok(Shape::Ty(if null { nullable(ty) } else { ty }));
        }
        let union = TypeKind::Union { variants, tag };
        Ok(match null {
            false => Shape::Kind(union),
            true => Shape::Ty(nullable(Ty::Named(self.intern(at, union, keywords, path)))),
        })
    }

    /// The union's tag property, with each variant's tag values filled in: the
    /// `discriminator` (its `mapping`, else the variants' schema keys), or else a property
    /// that every variant fixes to a different value with `const` or a one-value `enum`.
    fn tag_variants(&self, at: &Place, keywords: &Keywords, variants: &mut [(Loc, Variant)]) -> Result<Option<String>> {
        if let Some(property) = keywords.discriminator.and_then(|d| d.get("propertyName")).and_then(Value::as_str) {
            let loc = at.loc();
            for (target, variant) in variants.iter_mut() {
                variant.tags = self.mapped_tags(&loc, keywords, target)?;
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

    /// The `discriminator.mapping` values, of the schema at `loc`, that lead to the schema at
    /// `target`; without a mapping entry for it, its schema key.
    fn mapped_tags(&self, loc: &Loc, keywords: &Keywords, target: &Loc) -> Result<Vec<String>> {
        let mapping_loc = loc.join("discriminator").join("mapping");
        let mut tags = Vec::new();
        if let Some(Value::Object(mapping)) = keywords.discriminator.and_then(|d| d.get("mapping")) {
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
    /// its own and those of its `allOf` parts. A part reached twice (an `allOf` cycle, which
    /// conversion reports on its own) is read once.
    fn fixed_values(&self, loc: &Loc) -> Result<BTreeMap<String, String>> {
        let mut out = BTreeMap::new();
        let mut pending = vec![loc.clone()];
        let mut seen = Vec::new();
        while let Some(next) = pending.pop() {
            let at = self.docs.follow(&next)?;
            if seen.contains(&at) {
                continue;
            }
            seen.push(at.clone());
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

    fn field(&mut self, at: &Place, wire: &str, value: &'a Value, required: &[&str], path: &NamePath) -> Result<Field> {
        let keywords = Keywords::of(self.schema_of(at, value)?);
        Ok(Field {
            wire: wire.to_owned(),
            doc: keywords.doc(),
            ty: self.convert_schema(at, &keywords, &path.child(wire))?,
            required: required.contains(&wire),
            constraints: keywords.constraints(),
            default: keywords.default.cloned(),
        })
    }

    fn required_list(&self, at: &Place, keywords: &Keywords<'a>) -> Result<Vec<&'a str>> {
        let Some(required) = keywords.required else {
            return Ok(Vec::new());
        };
        let names = required.as_array().and_then(|items| items.iter().map(Value::as_str).collect::<Option<Vec<_>>>());
        names.ok_or_else(|| {
            self.docs
                .error(&at.child("required").loc(), "`required` must be a list of property names")
                .with_help("write e.g. `required: [id, name]`")
        })
    }

    fn convert_enum(&mut self, at: &Place, keywords: &Keywords<'a>, values: &Value, path: &NamePath) -> Result<Shape> {
        let Some(values) = values.as_array().filter(|v| !v.is_empty()) else {
            return Err(self
                .docs
                .error(&at.child("enum").loc(), "`enum` must be a non-empty list")
                .with_help("list the allowed values, e.g. `enum: [on, off]`"));
        };
        let declared_string = keywords.r#type.and_then(Value::as_str) == Some("string");
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
                let without_enum = Keywords { r#enum: None, ..keywords.clone() };
                self.convert_body(at, &without_enum, path)
            }
        }
    }

    /// `allOf`: the properties and required lists of every part, merged into one object.
    fn convert_all_of(
        &mut self,
        at: &Place,
        keywords: &Keywords<'a>,
        parts: &'a Value,
        path: &NamePath,
    ) -> Result<Shape> {
        let Some(parts) = parts.as_array() else {
            return Err(self
                .docs
                .error(&at.child("allOf").loc(), "`allOf` must be a list of schemas")
                .with_help("write `allOf: [{$ref: ...}, {properties: ...}]`"));
        };
        let own_properties = keywords.properties.is_some();
        if parts.len() == 1 && !own_properties {
            let all_of_at = at.child("allOf");
            return Ok(Shape::Ty(self.convert_value(&all_of_at.child("0"), &parts[0], path)?));
        }
        let loc = at.loc();
        if !self.merging.insert(loc.clone()) {
            self.warn(
                &loc,
                "this `allOf` contains itself without a declared schema to refer to; typed as serde_json::Value",
            );
            return Ok(Shape::Ty(Ty::Any));
        }
        let merged = self.merge_all_of(&loc, path);
        self.merging.remove(&loc);
        merged
    }

    /// The properties and required lists of every part of the `allOf` at `loc`, each part
    /// (after following `$ref`s) read once, so parts that refer to each other end.
    fn merge_all_of(&mut self, loc: &Loc, path: &NamePath) -> Result<Shape> {
        // The parts read, and each property's name, schema and part: the last part to declare it.
        let mut parts: Vec<Loc> = Vec::new();
        let mut properties: Vec<(&'a str, &'a Value, usize)> = Vec::new();
        let mut required = Vec::new();
        let mut pending = vec![loc.clone()];
        let mut seen = HashSet::new();
        while let Some(next) = pending.pop() {
            let at = self.docs.follow(&next)?;
            if !seen.insert(at.clone()) {
                continue;
            }
            let keywords = Keywords::of(self.schema_at(&at)?);
            required.extend(self.required_list(&Place::At(&at), &keywords)?);
            if let Some(Value::Object(declared)) = keywords.properties {
                for (wire, schema) in declared {
                    let property = (wire.as_str(), schema, parts.len());
                    match properties.iter_mut().find(|(w, ..)| w == wire) {
                        Some(existing) => *existing = property,
                        None => properties.push(property),
                    }
                }
            }
            if let Some(Value::Array(sub)) = keywords.all_of {
                pending.extend((0..sub.len()).rev().map(|i| at.join("allOf").join(&i.to_string())));
            }
            parts.push(at);
        }
        let mut fields = Vec::with_capacity(properties.len());
        for (wire, schema, part) in properties {
            let part_at = Place::At(&parts[part]);
            let properties_at = part_at.child("properties");
            fields.push(self.field(&properties_at.child(wire), wire, schema, &required, path)?);
        }
        Ok(Shape::Kind(TypeKind::Struct { fields }))
    }

    fn warn(&mut self, loc: &Loc, message: &str) {
        self.warnings.push(format!("{}: {message}", self.docs.describe(loc)));
    }
}

/// The path that names an inline type (a [`NameHint`]'s), built as conversion descends and
/// copied out only for a type that gets a name: most properties never need theirs.
#[derive(Clone, Copy)]
enum NamePath<'p> {
    /// The path the reader gave.
    Root(&'p [String]),
    /// `parent`'s path, then one more segment.
    Child(&'p NamePath<'p>, &'p str),
    /// An array's items: `parent`'s path, its last segment in the singular.
    Item(&'p NamePath<'p>),
}

impl NamePath<'_> {
    fn child<'c>(&'c self, segment: &'c str) -> NamePath<'c> {
        NamePath::Child(self, segment)
    }

    fn to_vec(self) -> Vec<String> {
        match self {
            NamePath::Root(segments) => segments.to_vec(),
            NamePath::Child(parent, segment) => {
                let mut path = parent.to_vec();
                path.push(segment.to_owned());
                path
            }
            NamePath::Item(parent) => {
                let mut path = parent.to_vec();
                if let Some(last) = path.last_mut() {
                    *last = crate::case::singular(last);
                }
                path
            }
        }
    }
}

/// A hash of what tells inline definitions apart, for [`TypeSpace::intern`]: the names, docs
/// and types, leaving constraints and defaults to [`is_definition`].
///
/// Keying every inline type by its `Debug` text took a quarter of schema conversion, and
/// most inline types are unlike any other; the text is now written only to confirm a match.
fn shape_hash(kind: &TypeKind, doc: &Option<String>) -> u64 {
    let mut hasher = DefaultHasher::new();
    doc.hash(&mut hasher);
    std::mem::discriminant(kind).hash(&mut hasher);
    match kind {
        TypeKind::Struct { fields } => {
            for field in fields {
                (&field.wire, &field.doc, &field.ty, field.required).hash(&mut hasher);
            }
        }
        TypeKind::Enum { values } => values.hash(&mut hasher),
        TypeKind::Alias(ty) => ty.hash(&mut hasher),
        TypeKind::Tuple { items, rest } => (items, rest).hash(&mut hasher),
        TypeKind::Union { variants, tag } => {
            for variant in variants {
                (&variant.name, &variant.ty, &variant.tags).hash(&mut hasher);
            }
            tag.hash(&mut hasher);
        }
    }
    hasher.finish()
}

/// Whether `def` is the definition `kind` documented by `doc`, to the letter: `==`, and for a
/// struct also the same `Debug` text, since its fields' constraints and defaults hold numbers
/// and objects that `==` equates although they are written differently (`0.0` and `-0.0`,
/// keys in another order).
fn is_definition(def: &TypeDef, kind: &TypeKind, doc: &Option<String>) -> bool {
    let equal = def.kind == *kind && def.doc == *doc;
    match kind {
        TypeKind::Struct { .. } => equal && format!("{:?}", def.kind) == format!("{kind:?}"),
        TypeKind::Enum { .. } | TypeKind::Alias(_) | TypeKind::Union { .. } | TypeKind::Tuple { .. } => equal,
    }
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

/// The documentation of a schema or other object: its `description`, else its `title`.
pub fn describe(object: &Map<String, Value>) -> Option<String> {
    Keywords::of(object).doc()
}

pub fn constraints(schema: &Map<String, Value>) -> Constraints {
    Keywords::of(schema).constraints()
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

    #[test]
    fn integers_get_the_type_their_format_names_widened_to_hold_their_range() {
        let api = read_text(&format!(
            "{HEAD}    N:\n      properties:\n        a: {{type: integer, format: uint8}}\n        b: {{type: integer, format: int16}}\n        c: {{type: integer, format: uint}}\n        d: {{type: integer, minimum: 0, maximum: 18446744073709551615}}\n        e: {{type: integer, minimum: -1, maximum: 9223372036854775808}}\n        f: {{type: integer, format: int32, maximum: 4294967295}}\n        g: {{type: integer, maximum: 1.0e+40}}\n        h: {{type: integer}}\n"
        ))
        .unwrap();
        let TypeKind::Struct { fields } = &api.types[0].kind else { panic!("N is a struct") };
        let types: Vec<&Ty> = fields.iter().map(|f| &f.ty).collect();
        use crate::ir::IntWidth::*;
        let expected = [U8, I16, U64, U64, I128, I64].map(Ty::Integer);
        assert_eq!(types[..6], expected.iter().collect::<Vec<_>>()[..]);
        assert_eq!((types[6], types[7]), (&Ty::Number, &Ty::Integer(I64)));
        assert!(api.warnings.iter().any(|w| w.contains("beyond 128 bits")), "{:?}", api.warnings);
    }

    #[test]
    fn tuple_arrays_keep_their_extra_items_unless_the_schema_allows_none() {
        let api = read_text(&format!(
            "{HEAD}    T:\n      properties:\n        draft: {{type: array, items: [{{type: string}}, {{type: integer}}]}}\n        closed: {{items: [{{type: string}}], additionalItems: false}}\n        typed: {{prefixItems: [{{type: boolean}}], items: {{type: string}}}}\n        none: {{prefixItems: [{{type: boolean}}], items: false}}\n        full: {{prefixItems: [{{type: string}}], maxItems: 1}}\n"
        ))
        .unwrap();
        let TypeKind::Struct { fields } = &api.types[0].kind else { panic!("T is a struct") };
        let tuples: Vec<&TypeKind> = fields
            .iter()
            .map(|f| match &f.ty {
                Ty::Named(id) => &api.types[id.0].kind,
                other => panic!("{other:?} is not a tuple"),
            })
            .collect();
        let tuple = |items: Vec<Ty>, rest: Option<Ty>| TypeKind::Tuple { items, rest };
        let integer = Ty::Integer(crate::ir::IntWidth::I64);
        assert_eq!(tuples[0], &tuple(vec![Ty::String, integer], Some(Ty::Any)));
        assert_eq!(tuples[1], &tuple(vec![Ty::String], None));
        assert_eq!(tuples[2], &tuple(vec![Ty::Boolean], Some(Ty::String)));
        assert_eq!(tuples[3], &tuple(vec![Ty::Boolean], None));
        assert_eq!(tuples[4], &tuple(vec![Ty::String], None), "maxItems leaves no room");
    }

    /// Found by `prop_specs`: looking for the tags of a union's variants followed the cycle
    /// forever.
    #[test]
    fn a_union_variant_whose_all_of_is_a_cycle_is_read_once() {
        let api = read_text(&format!(
            "{HEAD}    U: {{oneOf: [{{$ref: '#/components/schemas/A'}}, {{type: boolean}}]}}\n    A: {{properties: {{kind: {{const: a}}}}, allOf: [{{$ref: '#/components/schemas/B'}}]}}\n    B: {{$ref: '#/components/schemas/A'}}\n"
        ))
        .unwrap();
        assert!(api.types.iter().any(|t| matches!(t.kind, TypeKind::Union { .. })), "{:?}", api.types);
    }
}
