//! Changes to the spec's schemas: types, their fields, enum values and union variants.
//!
//! Types are matched by their Rust name, which is what code using the crate refers to: a
//! schema whose type is renamed is a type removed and one added.

use std::collections::BTreeMap;

use super::rust::RustNames;
use super::{pointer_segment, ApiChange, Class, Delta, Element, Site};
use crate::ir::{Field, Ty, TypeDef, TypeId, TypeKind};

pub fn compare(old: &RustNames, new: &RustNames) -> Vec<ApiChange> {
    let (old_types, new_types) = (by_name(old), by_name(new));
    let mut changes = Vec::new();
    for (name, &id) in &old_types {
        match new_types.get(name) {
            Some(&new_id) => changes.extend(compare_type(Side { names: old, id }, Side { names: new, id: new_id })),
            None => changes.push(type_site(Side { names: old, id }).change(Delta::Removed, "", Class::Breaking)),
        }
    }
    for (name, &id) in &new_types {
        if !old_types.contains_key(name) {
            changes.push(type_site(Side { names: new, id }).change(Delta::Added, "", Class::Additive));
        }
    }
    changes
}

fn by_name<'n>(names: &'n RustNames) -> BTreeMap<&'n str, TypeId> {
    (0..names.api.types.len()).map(|i| (names.type_name(TypeId(i)), TypeId(i))).collect()
}

/// A type of one of the two APIs.
#[derive(Clone, Copy)]
struct Side<'n, 'a> {
    names: &'n RustNames<'a>,
    id: TypeId,
}

impl Side<'_, '_> {
    fn def(&self) -> &TypeDef {
        &self.names.api.types[self.id.0]
    }

    /// The schema as the spec names it: its key, or the property path to an inline schema.
    fn spec_name(&self) -> String {
        self.def().name.path.join(".")
    }

    /// Where the schema is: `components/schemas/X` for a declared one, else its property path.
    fn location(&self) -> String {
        let hint = &self.def().name;
        match hint.declared {
            true => format!("components/schemas/{}", hint.path.join("/")),
            false => hint.path.join("."),
        }
    }

    /// A property or enum value of the schema: `components/schemas/X/properties/y`.
    fn member_location(&self, keyword: &str, member: &str) -> String {
        format!("{}/{keyword}/{}", self.location(), pointer_segment(member))
    }
}

fn type_site(side: Side) -> Site {
    Site {
        element: Element::Type,
        subject: side.spec_name(),
        location: side.location(),
        rust: vec![side.names.type_path(side.id)],
    }
}

fn compare_type(old: Side, new: Side) -> Vec<ApiChange> {
    let mut changes = Vec::new();
    if old.def().doc != new.def().doc {
        changes.push(type_site(new).change(Delta::Changed, "description changed", Class::None));
    }
    match (&old.def().kind, &new.def().kind) {
        (TypeKind::Struct { fields: before }, TypeKind::Struct { fields: after }) => {
            changes.extend(compare_fields(old, before, new, after));
        }
        (TypeKind::Enum { values: before }, TypeKind::Enum { values: after }) => {
            changes.extend(compare_values(old, before, new, after));
        }
        (TypeKind::Union { variants: before, tag: old_tag }, TypeKind::Union { variants: after, tag: new_tag }) => {
            let shape = |side: Side, variants: &[crate::ir::Variant]| -> Vec<(String, String)> {
                let names = (0..variants.len()).map(|i| side.names.variant_path(side.id, i));
                names.zip(variants.iter().map(|v| side.names.ty(&v.ty))).collect()
            };
            changes.extend(compare_variants(old, &shape(old, before), new, &shape(new, after)));
            if old_tag != new_tag {
                let detail = format!("told apart by {} instead of {}", tag_text(new_tag), tag_text(old_tag));
                changes.push(type_site(new).change(Delta::Changed, &detail, Class::Breaking));
            }
        }
        (TypeKind::Alias(before), TypeKind::Alias(after)) => {
            let (before, after) = (old.names.ty(before), new.names.ty(after));
            if before != after {
                let detail = format!("`{before}` became `{after}`");
                changes.push(type_site(new).change(Delta::Changed, &detail, Class::Breaking));
            }
        }
        (TypeKind::Tuple { items: before, rest: old_rest }, TypeKind::Tuple { items: after, rest: new_rest }) => {
            let (before, after) = (tuple_text(old, before, old_rest), tuple_text(new, after, new_rest));
            if before != after {
                let detail = format!("`{before}` became `{after}`");
                changes.push(type_site(new).change(Delta::Changed, &detail, Class::Breaking));
            }
        }
        (before, after) => {
            let detail = format!("was {}, is {}", kind_text(before), kind_text(after));
            changes.push(type_site(new).change(Delta::Changed, &detail, Class::Breaking));
        }
    }
    changes
}

/// A tuple's positions as Rust writes them, the trailing items last: `(i64, String, ..Vec<f64>)`.
fn tuple_text(side: Side, items: &[Ty], rest: &Option<Ty>) -> String {
    let mut parts: Vec<String> = items.iter().map(|item| side.names.ty(item)).collect();
    parts.extend(rest.iter().map(|rest| format!("..Vec<{}>", side.names.ty(rest))));
    format!("({})", parts.join(", "))
}

fn kind_text(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct { .. } => "a struct",
        TypeKind::Enum { .. } => "a string enum",
        TypeKind::Alias(_) => "an alias",
        TypeKind::Union { .. } => "a union",
        TypeKind::Tuple { .. } => "a tuple",
    }
}

fn tag_text(tag: &Option<String>) -> String {
    tag.as_ref().map_or_else(|| "shape".to_owned(), |tag| format!("`{tag}`"))
}

fn field_site(side: Side, index: usize, field: &Field) -> Site {
    Site {
        element: Element::Field,
        subject: format!("{}.{}", side.spec_name(), field.wire),
        location: side.member_location("properties", &field.wire),
        rust: vec![side.names.field_path(side.id, index)],
    }
}

/// Fields by wire name. Structs are `#[non_exhaustive]` and built with `new(required
/// fields)`, so only a new required field changes what users write.
fn compare_fields(old: Side, before: &[Field], new: Side, after: &[Field]) -> Vec<ApiChange> {
    let mut changes = Vec::new();
    for (index, field) in before.iter().enumerate() {
        if !after.iter().any(|f| f.wire == field.wire) {
            changes.push(field_site(old, index, field).change(Delta::Removed, "", Class::Breaking));
        }
    }
    for (index, field) in after.iter().enumerate() {
        let Some(previous) = before.iter().find(|f| f.wire == field.wire) else {
            let change = match field.required {
                true => field_site(new, index, field).change(Delta::Added, "required: `new` takes it", Class::Breaking),
                false => field_site(new, index, field).change(Delta::Added, "optional", Class::Additive),
            };
            changes.push(change);
            continue;
        };
        let (was, is) = (old.names.ty(&previous.ty), new.names.ty(&field.ty));
        let mut change =
            |detail: &str, class| changes.push(field_site(new, index, field).change(Delta::Changed, detail, class));
        match (previous.required, field.required) {
            (false, true) => change(&format!("became required: `Option<{is}>` became `{is}`"), Class::Breaking),
            (true, false) => change(&format!("became optional: `{is}` became `Option<{is}>`"), Class::Breaking),
            _ => {}
        }
        if was != is {
            change(&format!("type `{was}` became `{is}`"), Class::Breaking);
        }
        if previous.doc != field.doc || previous.default != field.default {
            change("description changed", Class::None);
        }
        if previous.constraints != field.constraints {
            change("constraints changed", Class::None);
        }
    }
    changes
}

/// String enums have a variant per value and are exhaustive: a `match` without `_` stops
/// compiling when a value is added, and the value no longer arrives as `Unknown`.
fn compare_values(old: Side, before: &[String], new: Side, after: &[String]) -> Vec<ApiChange> {
    let change = |side: Side, index: usize, value: &String, delta| {
        let site = Site {
            element: Element::EnumValue,
            subject: format!("{}: {value}", side.spec_name()),
            location: side.member_location("enum", &index.to_string()),
            rust: vec![side.names.variant_path(side.id, index)],
        };
        site.change(delta, "", Class::Breaking)
    };
    let removed =
        before.iter().enumerate().filter(|(_, v)| !after.contains(v)).map(|(i, v)| change(old, i, v, Delta::Removed));
    let added =
        after.iter().enumerate().filter(|(_, v)| !before.contains(v)).map(|(i, v)| change(new, i, v, Delta::Added));
    removed.chain(added).collect()
}

/// Union variants by Rust path, each with its type: the enum is exhaustive, so any variant
/// added, removed or retyped breaks a `match` or a constructor.
fn compare_variants(old: Side, before: &[(String, String)], new: Side, after: &[(String, String)]) -> Vec<ApiChange> {
    let change = |side: Side, path: &str, delta, detail: String| {
        let site = Site {
            element: Element::UnionVariant,
            subject: format!("{}: {}", side.spec_name(), path.rsplit("::").next().unwrap_or(path)),
            location: side.location(),
            rust: vec![path.to_owned()],
        };
        site.change(delta, detail, Class::Breaking)
    };
    let mut changes = Vec::new();
    for (path, ty) in before {
        match after.iter().find(|(p, _)| p == path) {
            None => changes.push(change(old, path, Delta::Removed, String::new())),
            Some((_, new_ty)) if new_ty != ty => {
                changes.push(change(new, path, Delta::Changed, format!("holds `{new_ty}` instead of `{ty}`")))
            }
            Some(_) => {}
        }
    }
    for (path, ty) in after {
        if !before.iter().any(|(p, _)| p == path) {
            changes.push(change(new, path, Delta::Added, format!("holds `{ty}`")));
        }
    }
    changes
}
