//! `validate.rs`: a `Validate` impl per struct, enum and union, checking the constraints the spec
//! gives (lengths, ranges, item counts and uniqueness, formats), for crates that send and
//! serve HTTP requests: a client checks before sending and on receipt, a server before its
//! handler runs.
//!
//! An alias (`pub type Email = String;`) gets no impl of its own: it is its target type, which
//! the runtime or this file already implements `Validate` for. Constraints on a value of an
//! alias are checked where it is used, as constraints on its target; the IR keeps none for
//! the alias itself.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::{format_spaced, ident, source_file, Space};
use crate::ir::{integer_bound, Api, Constraints, IntWidth, Ty, TypeId, TypeKind};

pub fn validate_rs(space: &Space, header: &str) -> String {
    let checks = Checks::new(space.api);
    let impls: Vec<TokenStream> =
        (0..space.api.types.len()).filter_map(|index| validate_impl(space, &checks, TypeId(index))).collect();
    let doc = " What the spec constrains, checked: see [`hookwright_runtime::api::validate`].";
    let module = checks.checked.iter().any(|c| *c).then(|| {
        quote!(
            use hookwright_runtime::api::validate;
        )
    });
    let kinds = space.api.types.iter().map(|def| &def.kind);
    let (enums, models) = kinds.fold((false, false), |(e, m), kind| {
        (
            e || matches!(kind, TypeKind::Enum { .. }),
            m || matches!(kind, TypeKind::Struct { .. } | TypeKind::Union { .. } | TypeKind::Tuple { .. }),
        )
    });
    let traits = (enums || models).then(|| {
        quote!(
            use hookwright_runtime::api::validate::{Validate, Violation};
        )
    });
    let enums = enums.then(|| {
        quote!(
            use super::enums::*;
        )
    });
    let models = models.then(|| {
        quote!(
            use super::models::*;
        )
    });
    let inner = quote! {
        #![doc = #doc]
        #traits
        #module
        #enums
        #models
    };
    source_file(header, inner, &format_spaced(quote!(#(#impls)*)))
}

/// Which types have anything to check, itself or in what it holds, and what aliases stand for.
pub(super) struct Checks<'a> {
    api: &'a Api,
    /// By type.
    checked: Vec<bool>,
}

impl<'a> Checks<'a> {
    pub(super) fn new(api: &'a Api) -> Self {
        let types = &api.types;
        let mut checked = vec![false; types.len()];
        loop {
            let mut changed = false;
            for (index, def) in types.iter().enumerate() {
                let now = match &def.kind {
                    TypeKind::Struct { fields } => fields.iter().any(|f| needs_check(&f.ty, &f.constraints, &checked)),
                    TypeKind::Alias(ty) => needs_check(ty, &Constraints::default(), &checked),
                    TypeKind::Union { variants, .. } => variants.iter().any(|v| holds_checked(&v.ty, &checked)),
                    TypeKind::Tuple { items, rest } => items.iter().chain(rest).any(|ty| holds_checked(ty, &checked)),
                    TypeKind::Enum { .. } => false,
                };
                if now && !checked[index] {
                    checked[index] = true;
                    changed = true;
                }
            }
            if !changed {
                return Checks { api, checked };
            }
        }
    }

    /// The type a value of `ty` has in Rust once aliases are seen through.
    fn target<'t>(&'t self, mut ty: &'t Ty) -> &'t Ty {
        // An alias chain is at most as long as the list of types (a `$ref` cycle is an error).
        for _ in 0..self.api.types.len() {
            match ty {
                Ty::Named(id) => match &self.api.types[id.0].kind {
                    TypeKind::Alias(target) => ty = target,
                    _ => break,
                },
                _ => break,
            }
        }
        ty
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

/// The impl for a struct, enum or union; `None` for an alias, which is not a type of this crate.
fn validate_impl(space: &Space, checks: &Checks, id: TypeId) -> Option<TokenStream> {
    let name = space.name(id);
    let body = match &space.api.types[id.0].kind {
        TypeKind::Struct { fields } if checks.checked[id.0] => {
            let statements = fields
                .iter()
                .zip(&space.names.types[id.0].fields)
                .filter_map(|(f, rust)| field_check(&f.wire, &ident(rust), &f.ty, &f.constraints, f.required, checks));
            quote!(#(#statements)*)
        }
        TypeKind::Union { variants, .. } if checks.checked[id.0] => {
            let arms = variants.iter().zip(&space.names.types[id.0].variants).map(|(variant, rust)| {
                let rust = ident(rust);
                if holds_checked(&variant.ty, &checks.checked) {
                    quote!(Self::#rust(value) => value.validate_into(at, out),)
                } else {
                    quote!(Self::#rust(_) => {})
                }
            });
            let unknown = ident(&space.names.types[id.0].unknown_variant);
            quote!(match self { #(#arms)* Self::#unknown(_) => {} })
        }
        TypeKind::Tuple { items, rest } if checks.checked[id.0] => {
            let positions =
                items.iter().enumerate().filter(|(_, ty)| holds_checked(ty, &checks.checked)).map(|(index, _)| {
                    let (wire, index) = (index.to_string(), syn::Index::from(index));
                    quote!(validate::field(at, #wire, |at| self.#index.validate_into(at, out));)
                });
            let rest = rest.as_ref().filter(|ty| holds_checked(ty, &checks.checked)).map(|_| {
                let (first, index) = (items.len(), syn::Index::from(items.len()));
                quote! {
                    for (offset, item) in self.#index.iter().enumerate() {
                        validate::field(at, &(#first + offset).to_string(), |at| item.validate_into(at, out));
                    }
                }
            });
            quote!(#(#positions)* #rest)
        }
        TypeKind::Struct { .. } | TypeKind::Enum { .. } | TypeKind::Union { .. } | TypeKind::Tuple { .. } => {
            return Some(
                quote!(impl Validate for #name { fn validate_into(&self, _: &mut String, _: &mut Vec<Violation>) {} }),
            )
        }
        _ => return None,
    };
    Some(quote! {
        impl Validate for #name {
            fn validate_into(&self, at: &mut String, out: &mut Vec<Violation>) {
                #body
            }
        }
    })
}

/// The check of `self.<name>`, reported under `wire`, or `None` when there is nothing to check.
pub(super) fn field_check(
    wire: &str,
    name: &Ident,
    ty: &Ty,
    constraints: &Constraints,
    required: bool,
    checks: &Checks,
) -> Option<TokenStream> {
    let check = value_check(ty, constraints, checks, quote!(value))?;
    let bind = if required {
        quote!(let value = &self.#name;)
    } else {
        quote!(let Some(value) = &self.#name else { return };)
    };
    Some(quote!(validate::field(at, #wire, |at| { #bind #check });))
}

/// Statements checking `value` (a reference) at `at`, or `None` when there is nothing to check.
/// The rules apply to what `ty` is once aliases are seen through (`&Email` is a `&String`).
fn value_check(ty: &Ty, c: &Constraints, checks: &Checks, value: TokenStream) -> Option<TokenStream> {
    let target = checks.target(ty);
    let rules = has_rules(target, c).then(|| rules(c));
    let own = rules.map(|rules| match target {
        Ty::Secret => quote!(validate::check_str(at, #value.expose(), &#rules, out);),
        Ty::String => quote!(validate::check_str(at, #value, &#rules, out);),
        Ty::Number => quote!(validate::check_number(at, *#value, &#rules, out);),
        Ty::Integer(width) => match integer_bounds(c) {
            Some((minimum, maximum)) => {
                let value = match width {
                    IntWidth::I128 => quote!(*#value),
                    _ => quote!(i128::from(*#value)),
                };
                quote!(validate::check_integer(at, #value, #minimum, #maximum, out);)
            }
            None => quote!(validate::check_number(at, *#value as f64, &#rules, out);),
        },
        _ => quote!(validate::check_items(at, #value, &#rules, out);),
    });
    let nested = holds_checked(ty, &checks.checked).then(|| quote!(#value.validate_into(at, out);));
    (own.is_some() || nested.is_some()).then(|| quote!(#own #nested))
}

/// `minimum` and `maximum` as `Option<i128>` expressions, compared exactly (an `f64` holds
/// neither every `i64` nor every `u64`); `None` when a bound lies beyond `i128`.
fn integer_bounds(c: &Constraints) -> Option<(TokenStream, TokenStream)> {
    let bound = |n: &Option<serde_json::Number>, up: bool| match n {
        None => Some(quote!(None)),
        Some(n) => integer_bound(n, up).map(Literal::i128_unsuffixed).map(|n| quote!(Some(#n))),
    };
    Some((bound(&c.minimum, true)?, bound(&c.maximum, false)?))
}

/// `Rules { .. }` with the constraints given, the rest from `Rules::NONE`.
fn rules(c: &Constraints) -> TokenStream {
    let count = |n: Option<u64>| n.map(Literal::u64_unsuffixed).map(|n| quote!(Some(#n)));
    let number = |n: &Option<serde_json::Number>| {
        n.as_ref().and_then(serde_json::Number::as_f64).map(Literal::f64_unsuffixed).map(|n| quote!(Some(#n)))
    };
    let entries = [
        ("min_length", count(c.min_length)),
        ("max_length", count(c.max_length)),
        ("minimum", number(&c.minimum)),
        ("maximum", number(&c.maximum)),
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
