//! `enums.rs`: an open enum per string enum schema.

use std::fmt::Write as _;

use proc_macro2::Literal;
use quote::quote;

use super::{docs, format_items, ident, source_file, Space};
use crate::ir::{TypeId, TypeKind};

pub fn enums_rs(space: &Space, header: &str) -> String {
    let mut ids: Vec<TypeId> = (0..space.api.types.len()).map(TypeId).filter(|id| space.is_enum(*id)).collect();
    ids.sort_by(|a, b| space.names.types[a.0].name.cmp(&space.names.types[b.0].name));

    let mut body = String::new();
    for id in ids {
        if !body.is_empty() {
            body.push('\n');
        }
        body.push_str(&item(space, id));
    }
    let doc = " String enums of the spec. Each keeps a value the spec does not list in its \
               catch-all variant, so a new value never fails a whole message.";
    source_file(header, quote!(#![doc = #doc]), &body)
}

fn item(space: &Space, id: TypeId) -> String {
    let def = &space.api.types[id.0];
    let TypeKind::Enum { values } = &def.kind else {
        return String::new();
    };
    let name = space.name(id);
    let doc = docs::attrs(&docs::type_doc(space, id));
    let variants = &space.names.types[id.0].variants;
    let unknown = ident(&space.names.types[id.0].unknown_variant);
    let variant_tokens = values.iter().zip(variants).map(|(value, variant)| {
        let doc = match value.as_str() {
            "" => " The empty string.".to_owned(),
            value => format!(" `{}`", docs::visible(&value.replace('`', "'"))),
        };
        let variant = ident(variant);
        quote!(#[doc = #doc] #variant,)
    });
    let unknown_doc = " A value the spec does not list, kept as received.";
    let mut out = format_items(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variant_tokens)*
            #[doc = #unknown_doc]
            #unknown(String),
        }
    });
    let _ = writeln!(out, "hookwright_runtime::open_enum!({name} {{");
    for (value, variant) in values.iter().zip(variants) {
        let _ = writeln!(out, "    {variant} = {},", Literal::string(value));
    }
    let _ = writeln!(out, "}} unknown {unknown});");
    out
}
