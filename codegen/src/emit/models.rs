//! `models.rs`: a struct per object schema, an alias per other declared schema.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use proc_macro2::Literal;
use quote::quote;

use super::{docs, format_items, ident, runtime_imports, source_file, Space};
use crate::ir::{Constraints, Field, Ty, TypeId, TypeKind};

pub fn models_rs(space: &Space, header: &str) -> String {
    let mut ids: Vec<TypeId> = (0..space.api.types.len())
        .map(TypeId)
        .filter(|id| !space.is_enum(*id))
        .collect();
    ids.sort_by(|a, b| space.names.types[a.0].cmp(&space.names.types[b.0]));

    let mut body = String::new();
    let mut imports = BTreeSet::new();
    let mut uses_enums = false;
    for id in &ids {
        let def = &space.api.types[id.0];
        let tys: Vec<&Ty> = match &def.kind {
            TypeKind::Struct { fields } => {
                imports.insert("UnknownFields");
                fields.iter().map(|f| &f.ty).collect()
            }
            TypeKind::Alias(ty) => vec![ty],
            TypeKind::Enum { .. } => Vec::new(),
        };
        runtime_imports(&tys, &mut imports);
        uses_enums |= tys.iter().any(|ty| mentions_enum(space, ty));
        if !body.is_empty() {
            body.push('\n');
        }
        body.push_str(&item(space, *id));
    }

    let doc = " Object schemas of the spec, as structs that keep what they do not name.";
    let runtime: Vec<_> = imports.iter().map(|name| ident(name)).collect();
    let runtime = (!runtime.is_empty()).then(|| quote!(use codegen_runtime::{#(#runtime),*};));
    let enums = uses_enums.then(|| quote!(use super::enums::*;));
    source_file(header, quote!(#![doc = #doc] #runtime #enums), &body)
}

fn item(space: &Space, id: TypeId) -> String {
    let def = &space.api.types[id.0];
    let name = space.name(id);
    let doc = docs::attrs(&type_doc(space, id));
    match &def.kind {
        TypeKind::Alias(ty) => {
            // An alias is transparent: the struct whose field closes a cycle boxes it.
            let ty = space.rust_type(ty, None);
            format_items(quote!(#doc pub type #name = #ty;))
        }
        TypeKind::Struct { fields } => {
            let field_names = &space.names.fields[id.0];
            let unknown = ident(&space.names.unknown_field[id.0]);
            let field_tokens = fields.iter().zip(field_names).map(|(field, name)| {
                let doc = docs::attrs(&field_doc(field));
                let name = ident(name);
                let ty = space.rust_type(&field.ty, Some(id));
                let ty = if field.required { ty } else { quote!(Option<#ty>) };
                quote!(#doc pub #name: #ty,)
            });
            let derives = if space.derives_default[id.0] {
                quote!(#[derive(Debug, Clone, PartialEq, Default)])
            } else {
                quote!(#[derive(Debug, Clone, PartialEq)])
            };
            let unknown_doc = " Fields the spec does not name, kept so that encoding reproduces the input.";
            let mut out = format_items(quote! {
                #doc
                #derives
                pub struct #name {
                    #(#field_tokens)*
                    #[doc = #unknown_doc]
                    pub #unknown: UnknownFields,
                }
            });
            out.push_str(&object_macro(&name.to_string(), fields, field_names, &unknown.to_string()));
            out
        }
        TypeKind::Enum { .. } => String::new(),
    }
}

/// `codegen_runtime::object!(...)`, one field per line.
fn object_macro(name: &str, fields: &[Field], field_names: &[String], unknown: &str) -> String {
    let mut out = format!("codegen_runtime::object!({name} {{\n");
    for (field, field_name) in fields.iter().zip(field_names) {
        let kind = if field.required { "required" } else { "optional" };
        let wire = Literal::string(&field.wire);
        let _ = writeln!(out, "    {wire} => {field_name}: {kind},");
    }
    let _ = writeln!(out, "}} unknown {unknown});");
    out
}

fn mentions_enum(space: &Space, ty: &Ty) -> bool {
    match ty {
        Ty::Named(id) => space.is_enum(*id),
        Ty::Array(inner) | Ty::Map(inner) => mentions_enum(space, inner),
        _ => false,
    }
}

/// The spec's description; else, for a message payload, the message it carries; else
/// where the schema sits in the spec.
pub(super) fn type_doc(space: &Space, id: TypeId) -> String {
    let def = &space.api.types[id.0];
    if let Some(doc) = &def.doc {
        return doc.clone();
    }
    let carried: Vec<String> = space
        .api
        .messages
        .iter()
        .filter(|m| m.payload == Some(Ty::Named(id)))
        .map(|m| match m.summary.as_deref().or(m.title.as_deref()) {
            Some(summary) => format!("- `{}`: {}", m.key, summary.trim()),
            None => format!("- `{}`", m.key),
        })
        .collect();
    match carried.as_slice() {
        [] => format!("`{}` in the spec.", def.name.path.join(".")),
        [one] => format!("Payload of the message {}", one.trim_start_matches("- ")),
        many => format!("Payload of the messages:\n\n{}", many.join("\n")),
    }
}

fn field_doc(field: &Field) -> String {
    let mut doc = field.doc.clone().unwrap_or_default();
    let rules = constraint_text(&field.constraints);
    if !rules.is_empty() {
        if !doc.is_empty() {
            doc.push_str("\n\n");
        }
        doc.push_str(&format!("Constraints: {}.", rules.join(", ")));
    }
    doc
}

/// Constraints in words, for docs.
pub fn constraint_text(c: &Constraints) -> Vec<String> {
    let range = |what: &str, min: Option<String>, max: Option<String>| match (min, max) {
        (None, None) => None,
        (Some(min), None) => Some(format!("{what} at least {min}")),
        (None, Some(max)) => Some(format!("{what} at most {max}")),
        (Some(min), Some(max)) => Some(format!("{what} {min}..={max}")),
    };
    let number = |n: Option<f64>| n.map(|n| n.to_string());
    let count = |n: Option<u64>| n.map(|n| n.to_string());
    [
        range("length", count(c.min_length), count(c.max_length)),
        range("value", number(c.minimum), number(c.maximum)),
        range("items", count(c.min_items), count(c.max_items)),
        c.unique_items.then(|| "unique items".to_owned()),
        c.format.as_ref().map(|f| format!("format `{f}`")),
        c.pattern.as_ref().map(|p| format!("pattern `{p}`")),
    ]
    .into_iter()
    .flatten()
    .collect()
}
