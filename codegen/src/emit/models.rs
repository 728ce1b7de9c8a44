//! `models.rs`: a struct per object schema, an alias per other declared schema.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use proc_macro2::{Ident, Literal, TokenStream, TokenTree};
use quote::quote;

use super::{docs, format_items, ident, runtime_imports, source_file, Space};
use crate::ir::{Field, Ty, TypeId, TypeKind, Variant};

pub fn models_rs(space: &Space, header: &str) -> String {
    let mut ids: Vec<TypeId> = (0..space.api.types.len()).map(TypeId).filter(|id| !space.is_enum(*id)).collect();
    ids.sort_by(|a, b| space.names.types[a.0].name.cmp(&space.names.types[b.0].name));

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
            TypeKind::Union { variants, .. } => {
                imports.insert("Value");
                variants.iter().map(|v| &v.ty).collect()
            }
            TypeKind::Tuple { items, rest } => items.iter().chain(rest).collect(),
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
    let runtime = (!runtime.is_empty()).then(|| quote!(use hookwright_runtime::{#(#runtime),*};));
    let enums = uses_enums.then(|| {
        quote!(
            use super::enums::*;
        )
    });
    source_file(header, quote!(#![doc = #doc] #runtime #enums), &body)
}

fn item(space: &Space, id: TypeId) -> String {
    let def = &space.api.types[id.0];
    let name = space.name(id);
    match &def.kind {
        TypeKind::Alias(ty) => {
            // An alias is transparent: the struct whose field closes a cycle boxes it.
            let doc = docs::attrs(&docs::type_doc(space, id));
            let ty = space.rust_type(ty, None);
            format_items(quote!(#doc pub type #name = #ty;))
        }
        TypeKind::Struct { fields } => {
            let field_names = &space.names.types[id.0].fields;
            let unknown = &space.names.types[id.0].unknown_field;
            let declaration = StructDeclaration::of(space, id, fields);
            let mut out = declaration.text();
            out.push_str(&object_macro(&declaration.name.to_string(), fields, field_names, unknown));
            out
        }
        TypeKind::Union { variants, tag } => union_item(space, id, variants, tag.as_deref()),
        TypeKind::Tuple { items, rest } => tuple_item(space, id, items, rest.as_ref()),
        TypeKind::Enum { .. } => String::new(),
    }
}

/// A tuple struct with a field per position of a tuple array, then (unless the schema allows
/// no more items) a `Vec` of the items after them, and the runtime's `tuple!`.
fn tuple_item(space: &Space, id: TypeId, items: &[Ty], rest: Option<&Ty>) -> String {
    let name = space.name(id);
    let mut doc = docs::type_doc(space, id);
    doc.push_str(match rest {
        Some(_) => {
            "\n\nAn array with a type per position; the items after the last position are kept in the last field."
        }
        None => "\n\nAn array with a type per position, and no more items than positions.",
    });
    let doc = docs::attrs(&doc);
    let positions = items.iter().map(|ty| space.rust_type(ty, Some(id)));
    let rest_field = rest.map(|ty| {
        let ty = space.rust_type(ty, None);
        quote!(pub Vec<#ty>)
    });
    let indices = (0..items.len()).map(Literal::usize_unsuffixed);
    let tail = match rest {
        Some(_) => {
            let index = Literal::usize_unsuffixed(items.len());
            quote!(rest #index)
        }
        None => quote!(closed),
    };
    format_items(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub struct #name(#(pub #positions,)* #rest_field);
        hookwright_runtime::tuple!(#name(#(#indices),*) #tail);
    })
}

/// An enum with a variant per schema of a `oneOf`/`anyOf`, and the runtime's `one_of!`.
fn union_item(space: &Space, id: TypeId, variants: &[Variant], tag: Option<&str>) -> String {
    let name = space.name(id);
    let mut doc = docs::type_doc(space, id);
    let rule = match tag {
        Some(tag) => format!("Told apart by the value of `{tag}`"),
        None => {
            "Told apart by their required properties, properties only one of them declares, or JSON type".to_owned()
        }
    };
    doc.push_str(&format!("\n\nOne of several schemas. {rule}; a value that fits none of them, or could be more than one, is kept as received."));
    let doc = docs::attrs(&doc);
    let variant_names: Vec<Ident> = space.names.types[id.0].variants.iter().map(|n| ident(n)).collect();
    let unknown = ident(&space.names.types[id.0].unknown_variant);
    let boxed = &space.boxed_variants[id.0];
    let declarations = variants.iter().zip(&variant_names).zip(boxed).map(|((variant, name), &boxed)| {
        let ty = space.rust_type(&variant.ty, Some(id));
        let ty = if boxed { quote!(Box<#ty>) } else { ty };
        let doc = variant.name.as_ref().map(|n| docs::attrs(&format!("`{n}` in the spec.")));
        quote!(#doc #name(#ty),)
    });
    let unknown_doc = " A value that fits no variant, or could be more than one: kept as received.";
    let mut out = format_items(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#declarations)*
            #[doc = #unknown_doc]
            #unknown(Value),
        }
    });
    out.push_str(&one_of_macro(space, &name.to_string(), variants, &variant_names, tag, &unknown.to_string()));
    out
}

/// `hookwright_runtime::one_of!(...)`, one variant per line: its tag values, or its shape.
fn one_of_macro(
    space: &Space,
    name: &str,
    variants: &[Variant],
    names: &[Ident],
    tag: Option<&str>,
    unknown: &str,
) -> String {
    let mut out = match tag {
        Some(tag) => format!("hookwright_runtime::one_of!({name} tagged {} {{\n", Literal::string(tag)),
        None => format!("hookwright_runtime::one_of!({name} {{\n"),
    };
    for (index, (variant, variant_name)) in variants.iter().zip(names).enumerate() {
        let selector = match tag {
            Some(_) => {
                let tags: Vec<String> = variant.tags.iter().map(|t| Literal::string(t).to_string()).collect();
                format!("[{}]", tags.join(", "))
            }
            None => shape(space, variants, index),
        };
        let _ = writeln!(out, "    {variant_name} = {selector},");
    }
    let _ = writeln!(out, "}} unknown {unknown});");
    out
}

/// The `one_of::Shape` of a variant, as Rust source.
fn shape(space: &Space, variants: &[Variant], index: usize) -> String {
    let strings = |names: &[&str]| names.iter().map(|n| Literal::string(n).to_string()).collect::<Vec<_>>().join(", ");
    match object_fields(space, &variants[index].ty) {
        Some(fields) => {
            let required: Vec<&str> = fields.iter().filter(|f| f.required).map(|f| f.wire.as_str()).collect();
            let others: Vec<&Field> = (0..variants.len())
                .filter(|&i| i != index)
                .flat_map(|i| object_fields(space, &variants[i].ty).unwrap_or_default())
                .collect();
            let distinct: Vec<&str> =
                fields.iter().filter(|f| !others.iter().any(|o| o.wire == f.wire)).map(|f| f.wire.as_str()).collect();
            format!(
                "hookwright_runtime::one_of::Shape::Object {{ required: &[{}], distinct: &[{}] }}",
                strings(&required),
                strings(&distinct)
            )
        }
        None => format!("hookwright_runtime::one_of::Shape::{}", json_kind(space, &variants[index].ty)),
    }
}

/// The fields of an object type, through aliases.
fn object_fields<'a>(space: &'a Space, ty: &Ty) -> Option<&'a [Field]> {
    match ty {
        Ty::Named(id) => match &space.api.types[id.0].kind {
            TypeKind::Struct { fields } => Some(fields),
            TypeKind::Alias(ty) => object_fields(space, ty),
            _ => None,
        },
        _ => None,
    }
}

/// The `one_of::Shape` variant for a value of a type that is not an object with fields.
fn json_kind(space: &Space, ty: &Ty) -> &'static str {
    match ty {
        Ty::String | Ty::DateTime | Ty::Secret => "String",
        Ty::Integer(_) => "Integer",
        Ty::Number => "Number",
        Ty::Boolean => "Boolean",
        Ty::Array(_) => "Array",
        Ty::FreeObject | Ty::Map(_) => "Object { required: &[], distinct: &[] }",
        Ty::Named(id) => match &space.api.types[id.0].kind {
            TypeKind::Enum { .. } => "String",
            TypeKind::Alias(ty) => json_kind(space, ty),
            _ => "Any",
        },
        Ty::Any | Ty::Nullable(_) => "Any",
    }
}

const UNKNOWN_DOC: &str = "Fields the spec does not name, kept so that encoding reproduces the input.";

/// The doc of a model's `new`, one `///` line each.
const NEW_DOC: [&str; 3] = [
    " `new` takes the required fields, in the spec's order; set optional ones on the result.",
    "",
    " The struct is `#[non_exhaustive]`, so that a field the spec adds is not a breaking change.",
];

/// Arguments a function may take before clippy's `too_many_arguments` warns.
pub(super) const MAX_ARGUMENTS: usize = 7;

/// A struct of the models: its doc, name, and fields.
struct StructDeclaration {
    doc: String,
    derives_default: bool,
    name: Ident,
    fields: Vec<FieldDeclaration>,
}

struct FieldDeclaration {
    doc: String,
    name: Ident,
    ty: TokenStream,
    init: Init,
}

/// What `new` sets a field to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Init {
    /// A required field: an argument of `new`.
    Argument,
    /// An optional field: `None`.
    None,
    /// The unknown fields: empty.
    Empty,
}

/// Lines no longer than this are printed by prettyplease as they are; longer ones it may
/// break (its margin is 89 columns).
const UNBROKEN_WIDTH: usize = 80;

impl StructDeclaration {
    fn of(space: &Space, id: TypeId, fields: &[Field]) -> Self {
        let field_names = &space.names.types[id.0].fields;
        let unknown = ident(&space.names.types[id.0].unknown_field);
        StructDeclaration {
            doc: docs::type_doc(space, id),
            derives_default: space.derives_default[id.0],
            name: space.name(id),
            fields: fields
                .iter()
                .zip(field_names)
                .map(|(field, name)| {
                    let ty = match (&field.ty, field.required) {
                        (ty, true) => space.rust_type(ty, Some(id)),
                        // An optional field is `None` when absent; an explicit `null` is kept
                        // with the unknown fields, so a nullable type needs no second `Option`.
                        (ty, false) => {
                            let inner = match ty {
                                Ty::Nullable(inner) => inner,
                                ty => ty,
                            };
                            let ty = space.rust_type(inner, Some(id));
                            quote!(Option<#ty>)
                        }
                    };
                    let init = if field.required { Init::Argument } else { Init::None };
                    FieldDeclaration { doc: field_doc(field), name: ident(name), ty, init }
                })
                .chain([FieldDeclaration {
                    doc: UNKNOWN_DOC.to_owned(),
                    name: unknown,
                    ty: quote!(UnknownFields),
                    init: Init::Empty,
                }])
                .collect(),
        }
    }

    fn arguments(&self) -> impl Iterator<Item = &FieldDeclaration> {
        self.fields.iter().filter(|field| field.init == Init::Argument)
    }

    /// The declaration and its `new`, as prettyplease prints them.
    ///
    /// Models are most of what a large spec generates, and building their tokens, parsing
    /// them back with syn and printing them took most of codegen's time (see BENCHMARKS.md);
    /// so a struct is written out directly, in the layout prettyplease gives it, unless a
    /// field's line is long enough that prettyplease might break it: then prettyplease
    /// prints it. A test checks that both ways give the same text.
    ///
    /// A hand-written fast path stays only for a gain over 10% of the operation; this one:
    /// printing every struct with prettyplease instead measured 1.47x the time of `generate`
    /// on sinch-conversation-webhooks, 2.3x at 10,000 schemas (codegen bench, issue 16).
    fn text(&self) -> String {
        let fields: Vec<(&FieldDeclaration, String, String)> =
            self.fields.iter().map(|field| (field, field.name.to_string(), type_text(&field.ty))).collect();
        let fits = fields.iter().all(|(_, name, ty)| "    pub : ,".len() + name.len() + ty.len() <= UNBROKEN_WIDTH);
        if !fits {
            return self.formatted();
        }
        let mut out = String::new();
        push_doc_lines(&mut out, "", &self.doc);
        let derives = if self.derives_default { "Debug, Clone, PartialEq, Default" } else { "Debug, Clone, PartialEq" };
        let _ = writeln!(out, "#[derive({derives})]\n#[non_exhaustive]\npub struct {} {{", self.name);
        for (field, name, ty) in &fields {
            push_doc_lines(&mut out, "    ", &field.doc);
            let _ = writeln!(out, "    pub {name}: {ty},");
        }
        out.push_str("}\n");

        // `new`: its arguments on one line when that line fits prettyplease's margin, else
        // one a line (each no longer than the field it sets).
        let _ = writeln!(out, "impl {} {{", self.name);
        for line in NEW_DOC {
            let _ = writeln!(out, "    ///{line}");
        }
        let arguments: Vec<String> = fields
            .iter()
            .filter(|(field, ..)| field.init == Init::Argument)
            .map(|(_, name, ty)| format!("{name}: {ty}"))
            .collect();
        if arguments.len() > MAX_ARGUMENTS {
            out.push_str("    #[allow(clippy::too_many_arguments)]\n");
        }
        if self.arguments().any(|field| is_placeholder(&field.name.to_string())) {
            out.push_str("    #[allow(clippy::disallowed_names)]\n");
        }
        let one_line = format!("    pub fn new({}) -> Self {{", arguments.join(", "));
        if one_line.len() <= SIGNATURE_WIDTH {
            out.push_str(&one_line);
            out.push('\n');
        } else {
            out.push_str("    pub fn new(\n");
            for argument in &arguments {
                let _ = writeln!(out, "        {argument},");
            }
            out.push_str("    ) -> Self {\n");
        }
        // A struct expression stays on one line only up to 34 columns; the unknown fields'
        // initializer alone is longer.
        out.push_str("        Self {\n");
        for (field, name, _) in &fields {
            let value = match field.init {
                Init::Argument => "",
                Init::None => ": None",
                Init::Empty => ": UnknownFields::new()",
            };
            let _ = writeln!(out, "            {name}{value},");
        }
        out.push_str("        }\n    }\n}\n");
        out
    }

    /// The declaration and its `new`, built as tokens and printed by prettyplease.
    fn formatted(&self) -> String {
        let doc = docs::attrs(&self.doc);
        let derives = if self.derives_default {
            quote!(#[derive(Debug, Clone, PartialEq, Default)])
        } else {
            quote!(#[derive(Debug, Clone, PartialEq)])
        };
        let name = &self.name;
        let fields = self.fields.iter().map(|FieldDeclaration { doc, name, ty, .. }| {
            let doc = docs::attrs(doc);
            quote!(#doc pub #name: #ty,)
        });
        let arguments: Vec<TokenStream> =
            self.arguments().map(|FieldDeclaration { name, ty, .. }| quote!(#name: #ty)).collect();
        let allow = (arguments.len() > MAX_ARGUMENTS).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        let placeholder = self
            .arguments()
            .any(|field| is_placeholder(&field.name.to_string()))
            .then(|| quote!(#[allow(clippy::disallowed_names)]));
        let new_doc = NEW_DOC;
        let inits = self.fields.iter().map(|FieldDeclaration { name, init, .. }| match init {
            Init::Argument => quote!(#name),
            Init::None => quote!(#name: None),
            Init::Empty => quote!(#name: UnknownFields::new()),
        });
        format_items(quote! {
            #doc
            #derives
            #[non_exhaustive]
            pub struct #name { #(#fields)* }

            impl #name {
                #(#[doc = #new_doc])*
                #allow
                #placeholder
                pub fn new(#(#arguments),*) -> Self {
                    Self { #(#inits),* }
                }
            }
        })
    }
}

/// The names clippy's `disallowed_names` reserves for placeholders (its default list).
const PLACEHOLDER_NAMES: [&str; 3] = ["foo", "baz", "quux"];

/// Whether clippy's `disallowed_names` lints a variable named `name` (a field of `new` or of
/// `object!`'s decoder). Such a name is the spec's, not a placeholder, so the lint is allowed
/// where it occurs: renaming the field would set it apart from its wire name for no reader's
/// gain, and silencing the lint crate-wide would hide real placeholders in hand-written code
/// that includes the module.
fn is_placeholder(name: &str) -> bool {
    PLACEHOLDER_NAMES.contains(&name)
}

/// A signature no longer than this is printed by prettyplease on one line.
const SIGNATURE_WIDTH: usize = 89;

/// Doc lines as prettyplease prints `#[doc]` attributes: `///` and the text, without
/// trailing spaces.
fn push_doc_lines(out: &mut String, indent: &str, doc: &str) {
    for line in docs::lines(doc) {
        let line = docs::pad(line);
        let _ = writeln!(out, "{indent}///{}", line.trim_end_matches(' '));
    }
}

/// A type's tokens as prettyplease prints a type: `Option<Vec<Box<Name>>>`.
fn type_text(tokens: &TokenStream) -> String {
    let mut out = String::new();
    for token in tokens.clone() {
        match token {
            TokenTree::Punct(punct) if punct.as_char() == ',' => out.push_str(", "),
            other => out.push_str(&other.to_string()),
        }
    }
    out
}

/// `hookwright_runtime::object!(...)`, one field per line.
fn object_macro(name: &str, fields: &[Field], field_names: &[String], unknown: &str) -> String {
    let placeholders: Vec<String> =
        field_names.iter().filter(|n| is_placeholder(n)).map(|n| format!("`{n}`")).collect();
    let mut out = if placeholders.is_empty() {
        format!("hookwright_runtime::object!({name} {{\n")
    } else {
        format!(
            "// {} is the spec's name for a field, not a placeholder.\n\
             hookwright_runtime::object!(#[allow(clippy::disallowed_names)] {name} {{\n",
            placeholders.join(", ")
        )
    };
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
        Ty::Array(inner) | Ty::Map(inner) | Ty::Nullable(inner) => mentions_enum(space, inner),
        _ => false,
    }
}

fn field_doc(field: &Field) -> String {
    let mut doc = field.doc.clone().unwrap_or_default();
    let rules = docs::constraint_text(&field.constraints);
    if !rules.is_empty() {
        if !doc.is_empty() {
            doc.push_str("\n\n");
        }
        doc.push_str(&format!("Constraints: {}.", rules.join(", ")));
    }
    if let Some(default) = &field.default {
        if !doc.is_empty() {
            doc.push_str("\n\n");
        }
        doc.push_str(&format!("Default when absent: `{default}`."));
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A struct with `fields`, optional where the type is an `Option`, and unknown fields.
    fn declaration(doc: &str, fields: &[(&str, &str, TokenStream)]) -> StructDeclaration {
        let unknown = FieldDeclaration {
            doc: UNKNOWN_DOC.to_owned(),
            name: ident("unknown_fields"),
            ty: quote!(UnknownFields),
            init: Init::Empty,
        };
        StructDeclaration {
            doc: doc.to_owned(),
            derives_default: doc.len().is_multiple_of(2),
            name: ident("Payload"),
            fields: fields
                .iter()
                .map(|(doc, name, ty)| FieldDeclaration {
                    doc: doc.to_string(),
                    name: ident(name),
                    ty: ty.clone(),
                    init: if ty.to_string().starts_with("Option") { Init::None } else { Init::Argument },
                })
                .chain([unknown])
                .collect(),
        }
    }

    #[test]
    fn structs_are_written_as_prettyplease_prints_them() {
        let docs = [
            "",
            "One line.",
            "First paragraph.\n\nSecond, with trailing spaces   \n- a list\n  continued",
            "/ starts with a slash\n```\n  indented code\n```",
            "Has <html> and [brackets] and https://example.com",
        ];
        let types = [
            quote!(String),
            quote!(Option<Vec<Box<Payload>>>),
            quote!(IndexMap<String, Value>),
            quote!(Option<Map<String, Value>>),
        ];
        for doc in docs {
            let fields: Vec<(&str, &str, TokenStream)> = types
                .iter()
                .zip(["r#type", "items", "by_channel", "extra"])
                .map(|(ty, name)| (doc, name, ty.clone()))
                .collect();
            let declaration = declaration(doc, &fields);
            assert_eq!(declaration.text(), declaration.formatted(), "doc {doc:?}");
        }
    }

    #[test]
    fn a_line_prettyplease_might_break_is_left_to_it() {
        let long = "a_field_name_long_enough_that_the_line_passes_the_margin";
        let declaration = declaration("Doc.", &[("", long, quote!(Option<IndexMap<String, Vec<SomeLongTypeName>>>))]);
        assert_eq!(declaration.text(), declaration.formatted());
    }

    #[test]
    fn constructors_of_any_width_are_written_as_prettyplease_prints_them() {
        // Signatures from well inside prettyplease's margin to well past it, with from none
        // to more arguments than clippy allows.
        for count in 0..=MAX_ARGUMENTS + 2 {
            // Every width: the first name grows one letter at a time, the others with it.
            for (length, extra) in (1..=40).flat_map(|length| (0..count.max(1)).map(move |extra| (length, extra))) {
                let names: Vec<String> = (0..count)
                    .map(|i| format!("f{i}_{}", "x".repeat(length + if i == 0 { extra } else { 0 })))
                    .collect();
                let fields: Vec<(&str, &str, TokenStream)> = names
                    .iter()
                    .enumerate()
                    .map(|(i, name)| {
                        ("", name.as_str(), if i % 3 == 2 { quote!(Option<i64>) } else { quote!(Vec<String>) })
                    })
                    .collect();
                let declaration = declaration("Doc.", &fields);
                assert_eq!(declaration.text(), declaration.formatted(), "{count} fields, names of {length} (+{extra})");
            }
        }
    }

    #[test]
    fn the_specs_models_are_written_as_prettyplease_prints_them() {
        let specs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
        for entry in std::fs::read_dir(specs).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "yaml") {
                continue;
            }
            let api = crate::spec::read(&path).unwrap();
            let names = crate::naming::resolve(&api);
            let space = Space::new(&api, &names);
            for id in (0..api.types.len()).map(TypeId) {
                let TypeKind::Struct { fields } = &api.types[id.0].kind else { continue };
                let declaration = StructDeclaration::of(&space, id, fields);
                assert_eq!(declaration.text(), declaration.formatted(), "{}", path.display());
            }
        }
    }
}
