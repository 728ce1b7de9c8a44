//! `validate.rs`: a `Validate` impl per type, checking the constraints the spec gives
//! (lengths, ranges, item counts and uniqueness, formats), for crates that send and serve
//! HTTP requests: a client checks before sending and on receipt, a server before its
//! handler runs.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::{format_spaced, ident, source_file, Space};
use crate::ir::{Constraints, Ty, TypeId, TypeKind};

pub fn validate_rs(space: &Space, header: &str) -> String {
    let checked = has_checks(space);
    let impls: Vec<TokenStream> =
        (0..space.api.types.len()).map(|index| validate_impl(space, &checked, TypeId(index))).collect();
    let doc = " What the spec constrains, checked: see [`codegen_runtime::api::validate`].";
    let module = checked.iter().any(|c| *c).then(|| quote!(use codegen_runtime::api::validate;));
    let kinds = (0..space.api.types.len()).map(|index| space.is_enum(TypeId(index)));
    let (enums, models) = kinds.fold((false, false), |(e, m), is_enum| (e || is_enum, m || !is_enum));
    let enums = enums.then(|| quote!(use super::enums::*;));
    let models = models.then(|| quote!(use super::models::*;));
    let inner = quote! {
        #![doc = #doc]
        use codegen_runtime::api::validate::{Validate, Violation};
        #module
        #enums
        #models
    };
    source_file(header, inner, &format_spaced(quote!(#(#impls)*)))
}

/// Whether each type has anything to check, itself or in what it holds.
pub(super) fn has_checks(space: &Space) -> Vec<bool> {
    let types = &space.api.types;
    let mut checked = vec![false; types.len()];
    loop {
        let mut changed = false;
        for (index, def) in types.iter().enumerate() {
            let now = match &def.kind {
                TypeKind::Struct { fields } => fields.iter().any(|f| needs_check(&f.ty, &f.constraints, &checked)),
                TypeKind::Alias(ty) => needs_check(ty, &Constraints::default(), &checked),
                TypeKind::Enum { .. } => false,
            };
            if now && !checked[index] {
                checked[index] = true;
                changed = true;
            }
        }
        if !changed {
            return checked;
        }
    }
}

fn needs_check(ty: &Ty, constraints: &Constraints, checked: &[bool]) -> bool {
    has_rules(ty, constraints) || holds_checked(ty, checked)
}

fn holds_checked(ty: &Ty, checked: &[bool]) -> bool {
    match ty {
        Ty::Named(id) => checked[id.0],
        Ty::Array(inner) | Ty::Map(inner) => holds_checked(inner, checked),
        _ => false,
    }
}

/// Whether `constraints` say anything the runtime checks for a value of `ty`.
fn has_rules(ty: &Ty, c: &Constraints) -> bool {
    match ty {
        Ty::String | Ty::Secret => c.min_length.is_some() || c.max_length.is_some() || c.format.is_some(),
        Ty::Integer(_) | Ty::Number => c.minimum.is_some() || c.maximum.is_some(),
        Ty::Array(_) => c.min_items.is_some() || c.max_items.is_some() || c.unique_items,
        _ => false,
    }
}

fn validate_impl(space: &Space, checked: &[bool], id: TypeId) -> TokenStream {
    let name = space.name(id);
    let body = match &space.api.types[id.0].kind {
        TypeKind::Struct { fields } if checked[id.0] => {
            let statements = fields.iter().zip(&space.names.fields[id.0]).filter_map(|(f, rust)| {
                field_check(&f.wire, &ident(rust), &f.ty, &f.constraints, f.required, checked)
            });
            quote!(#(#statements)*)
        }
        TypeKind::Alias(ty) if checked[id.0] => {
            value_check(ty, &Constraints::default(), checked, quote!(self)).unwrap_or_default()
        }
        _ => return quote!(impl Validate for #name { fn validate_into(&self, _: &mut String, _: &mut Vec<Violation>) {} }),
    };
    quote! {
        impl Validate for #name {
            fn validate_into(&self, at: &mut String, out: &mut Vec<Violation>) {
                #body
            }
        }
    }
}

/// The check of `self.<name>`, reported under `wire`, or `None` when there is nothing to check.
pub(super) fn field_check(
    wire: &str,
    name: &Ident,
    ty: &Ty,
    constraints: &Constraints,
    required: bool,
    checked: &[bool],
) -> Option<TokenStream> {
    let check = value_check(ty, constraints, checked, quote!(value))?;
    let bind = if required {
        quote!(let value = &self.#name;)
    } else {
        quote!(let Some(value) = &self.#name else { return };)
    };
    Some(quote!(validate::field(at, #wire, |at| { #bind #check });))
}

/// Statements checking `value` (a reference) at `at`, or `None` when there is nothing to check.
fn value_check(ty: &Ty, c: &Constraints, checked: &[bool], value: TokenStream) -> Option<TokenStream> {
    let rules = has_rules(ty, c).then(|| rules(c));
    let own = rules.map(|rules| match ty {
        Ty::Secret => quote!(validate::check_str(at, #value.expose(), &#rules, out);),
        Ty::String => quote!(validate::check_str(at, #value, &#rules, out);),
        Ty::Number => quote!(validate::check_number(at, *#value, &#rules, out);),
        Ty::Integer(_) => quote!(validate::check_number(at, *#value as f64, &#rules, out);),
        _ => quote!(validate::check_items(at, #value, &#rules, out);),
    });
    let nested = holds_checked(ty, checked).then(|| quote!(#value.validate_into(at, out);));
    (own.is_some() || nested.is_some()).then(|| quote!(#own #nested))
}

/// `Rules { .. }` with the constraints given, the rest from `Rules::NONE`.
fn rules(c: &Constraints) -> TokenStream {
    let count = |n: Option<u64>| n.map(Literal::u64_unsuffixed).map(|n| quote!(Some(#n)));
    let number = |n: Option<f64>| n.map(Literal::f64_unsuffixed).map(|n| quote!(Some(#n)));
    let entries = [
        ("min_length", count(c.min_length)),
        ("max_length", count(c.max_length)),
        ("minimum", number(c.minimum)),
        ("maximum", number(c.maximum)),
        ("min_items", count(c.min_items)),
        ("max_items", count(c.max_items)),
        ("unique_items", c.unique_items.then(|| quote!(true))),
        ("format", c.format.as_deref().map(|f| quote!(Some(#f)))),
    ];
    let set = entries.into_iter().filter_map(|(name, value)| {
        let name = ident(name);
        value.map(|value| quote!(#name: #value,))
    });
    quote!(validate::Rules { #(#set)* ..validate::Rules::NONE })
}
