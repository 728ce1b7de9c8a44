//! Rust names for everything in the IR, resolved once, deterministically.
//!
//! Type names come from [`NameHint`]s: a declared schema keeps its key; an inline type takes
//! the last segment of its path (`ChannelIdentity`) and is qualified with its parents only
//! where two would collide (`MessageChannelIdentity`). What still collides gets a numeric
//! suffix, declared types first, in spec order. Any spelling gives a valid identifier:
//! non-ASCII is transliterated, keywords become raw identifiers or get a suffix, and leading
//! digits get a prefix. Security schemes that sign callbacks get a `SHOUTY_CASE` constant
//! each, made unique the same way (`ORDER_SIGNATURE`, `ORDER_SIGNATURE_2`).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

use heck::ToSnakeCase;

use crate::case;
use crate::ir::{Api, NameHint, Ty, TypeDef, TypeKind, Variant};

/// Names the generated code uses unqualified; a type may not take one of them.
const RESERVED_TYPE_NAMES: [&str; 16] = [
    "Box",
    "Err",
    "IndexMap",
    "Map",
    "None",
    "Ok",
    "Option",
    "Result",
    "Secret",
    "Self",
    "Some",
    "String",
    "Timestamp",
    "UnknownFields",
    "Value",
    "Vec",
];

/// Constants `webhooks.rs` defines beside the security schemes' constants.
const RESERVED_CONSTANTS: [&str; 2] = ["BY_PAYLOAD", "BY_CHANNEL"];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: [&str; 5] = ["crate", "self", "super", "Self", "_"];

const KEYWORDS: [&str; 53] = [
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield", "_",
];

/// Whether `name` is a Rust keyword, reserved or not.
pub(crate) fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Every Rust name of one API.
#[derive(Debug, Clone, PartialEq)]
pub struct Names {
    /// Per type, by `TypeId`.
    pub types: Vec<String>,
    /// Per struct type: one identifier per field (raw identifiers spelled `r#type`).
    pub fields: Vec<Vec<String>>,
    /// Per struct type: the field that keeps unknown fields.
    pub unknown_field: Vec<String>,
    /// Per enum type: one variant per value.
    pub variants: Vec<Vec<String>>,
    /// Per enum type: the variant that keeps values the spec does not list.
    pub unknown_variant: Vec<String>,
    /// Per operation: a `snake_case` identifier (the module and method of an HTTP operation).
    pub operations: Vec<String>,
    /// Per security scheme: the `SHOUTY_CASE` constant of a scheme that signs callbacks
    /// (`x-signature`), `None` for the others.
    pub security_consts: Vec<Option<String>>,
}

pub fn resolve(api: &Api) -> Names {
    let types = type_names(&api.types);
    let mut names = Names {
        types,
        fields: Vec::new(),
        unknown_field: Vec::new(),
        variants: Vec::new(),
        unknown_variant: Vec::new(),
        operations: operation_names(api),
        security_consts: security_const_names(api),
    };
    // Names already given within one type; one set, emptied for each, saves allocating one
    // per type.
    let mut taken = HashSet::new();
    for def in &api.types {
        let (fields, unknown_field) = match &def.kind {
            TypeKind::Struct { fields } => {
                taken.clear();
                let idents = fields.iter().map(|f| unique(field_ident(&f.wire), &mut taken, "_")).collect();
                (idents, unique("unknown_fields".to_owned(), &mut taken, "_"))
            }
            _ => (Vec::new(), String::new()),
        };
        let variant_names: Vec<String> = match &def.kind {
            TypeKind::Enum { values } => values.iter().map(|v| pascal(v)).collect(),
            TypeKind::Union { variants, .. } => variants.iter().map(|v| variant_name(v, &names.types)).collect(),
            _ => Vec::new(),
        };
        let (variants, unknown_variant) = match &def.kind {
            TypeKind::Enum { .. } | TypeKind::Union { .. } => {
                taken.clear();
                let variants = variant_names.into_iter().map(|v| unique(v, &mut taken, "")).collect();
                let unknown = ["Unknown", "UnknownValue"].into_iter().find(|n| !taken.contains(*n));
                let unknown =
                    unknown.map(str::to_owned).unwrap_or_else(|| unique("UnknownValue".to_owned(), &mut taken, ""));
                (variants, unknown)
            }
            _ => (Vec::new(), String::new()),
        };
        names.fields.push(fields);
        names.unknown_field.push(unknown_field);
        names.variants.push(variants);
        names.unknown_variant.push(unknown_variant);
    }
    names
}

/// A union variant's name: what the spec calls its schema, else its type's name or kind.
fn variant_name(variant: &Variant, type_names: &[String]) -> String {
    if let Some(name) = &variant.name {
        return pascal(name);
    }
    let kind = match &variant.ty {
        Ty::Named(id) => return type_names[id.0].clone(),
        Ty::String | Ty::Secret => "String",
        Ty::Integer(_) => "Integer",
        Ty::Number => "Number",
        Ty::Boolean => "Boolean",
        Ty::DateTime => "DateTime",
        Ty::Array(_) => "List",
        Ty::Map(_) | Ty::FreeObject => "Object",
        Ty::Any | Ty::Nullable(_) => "Value",
    };
    kind.to_owned()
}

/// Operation ids in snake case, without a `Service_` style prefix that every id shares
/// (`WebhookService_ListWebhooks` → `list_webhooks`), made unique.
fn operation_names(api: &Api) -> Vec<String> {
    let ids: Vec<&str> = api.operations.iter().map(|op| op.id.as_str()).collect();
    let prefix = shared_prefix(&ids);
    let mut taken = HashSet::new();
    ids.iter().map(|id| unique(field_ident(&id[prefix.len()..].to_snake_case()), &mut taken, "_")).collect()
}

/// The constants of the signing security schemes, in spec order, made unique.
fn security_const_names(api: &Api) -> Vec<Option<String>> {
    let mut taken: HashSet<String> = RESERVED_CONSTANTS.iter().map(|n| n.to_string()).collect();
    api.security_schemes
        .iter()
        .map(|scheme| scheme.signature.as_ref().map(|_| unique(shouty(&scheme.key), &mut taken, "_")))
        .collect()
}

/// The text up to and including the first `_` when every id (of two or more) has the same,
/// followed by more.
fn shared_prefix<'a>(ids: &[&'a str]) -> &'a str {
    let Some((first, rest)) = ids.split_first() else { return "" };
    let Some(end) = first.find('_') else { return "" };
    let prefix = &first[..=end];
    let shared = !rest.is_empty() && ids.iter().all(|id| id.len() > prefix.len() && id.starts_with(prefix));
    if shared {
        prefix
    } else {
        ""
    }
}

fn type_names(types: &[TypeDef]) -> Vec<String> {
    let mut level = vec![0usize; types.len()];
    // Each type's name at its level, made again only for the types whose level rises.
    let mut candidates: Vec<String> = types.iter().map(|def| candidate(&def.name, 0)).collect();
    loop {
        let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (index, name) in candidates.iter().enumerate() {
            groups.entry(name).or_default().push(index);
        }
        let mut qualified = Vec::new();
        for (name, members) in &groups {
            if members.len() < 2 && !RESERVED_TYPE_NAMES.contains(name) {
                continue;
            }
            qualified.extend(members.iter().copied().filter(|&index| {
                let hint = &types[index].name;
                !hint.declared && level[index] + 1 < hint.path.len()
            }));
        }
        if qualified.is_empty() {
            break;
        }
        for index in qualified {
            level[index] += 1;
            candidates[index] = candidate(&types[index].name, level[index]);
        }
    }
    let mut taken: HashSet<String> = RESERVED_TYPE_NAMES.iter().map(|n| n.to_string()).collect();
    let mut names = vec![String::new(); types.len()];
    let declared_first = (0..types.len())
        .filter(|i| types[*i].name.declared)
        .chain((0..types.len()).filter(|i| !types[*i].name.declared));
    for index in declared_first {
        names[index] = unique(std::mem::take(&mut candidates[index]), &mut taken, "");
    }
    names
}

/// The name from the last `level + 1` segments of the path.
fn candidate(hint: &NameHint, level: usize) -> String {
    let start = hint.path.len().saturating_sub(level + 1);
    pascal(&hint.path[start..].join("_"))
}

/// `base`, or `base{separator}2`, `base{separator}3`, ... whichever is free first.
pub(crate) fn unique(base: String, taken: &mut HashSet<String>, separator: &str) -> String {
    if taken.insert(base.clone()) {
        return base;
    }
    let mut n = 2;
    loop {
        let name = format!("{base}{separator}{n}");
        if taken.insert(name.clone()) {
            return name;
        }
        n += 1;
    }
}

/// `text` transliterated to ASCII; itself, not a copy, when it is ASCII already.
fn ascii(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(deunicode::deunicode(text))
    }
}

/// An `UpperCamelCase` identifier for any string.
pub fn pascal(text: &str) -> String {
    let name = case::upper_camel(&ascii(text));
    let name = if name.is_empty() { "Empty".to_owned() } else { name };
    match name.chars().next() {
        Some(c) if c.is_ascii_digit() => format!("N{name}"),
        _ if name == "Self" => "SelfValue".to_owned(),
        _ => name,
    }
}

/// A `SHOUTY_SNAKE_CASE` constant name for any string (never a keyword: those are lower case).
pub fn shouty(text: &str) -> String {
    let name = case::shouty_snake(&ascii(text));
    let name = if name.is_empty() { "SCHEME".to_owned() } else { name };
    match name.chars().next() {
        Some(c) if c.is_ascii_digit() => format!("N{name}"),
        _ => name,
    }
}

/// A `snake_case` field identifier for any property name.
pub fn field_ident(wire: &str) -> String {
    let name = case::snake(&ascii(wire));
    let name = if name.is_empty() { "field".to_owned() } else { name };
    match name.chars().next() {
        Some(c) if c.is_ascii_digit() => format!("_{name}"),
        _ if NOT_RAW.contains(&name.as_str()) => format!("{name}_"),
        _ if KEYWORDS.contains(&name.as_str()) => format!("r#{name}"),
        _ => name,
    }
}

/// A handler's parameter for a payload of type `type_name`: the type's name in snake case,
/// less the `Payload` schema names often end with (`IncomingSmsPayload` → `incoming_sms`), so
/// that a handler reads as what it receives. `payload` when that leaves nothing or `context`,
/// the handler's other parameter.
pub fn parameter(type_name: &str) -> String {
    match field_ident(type_name.strip_suffix("Payload").unwrap_or(type_name)) {
        name if name == "context" || type_name == "Payload" => "payload".to_owned(),
        name => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handler_parameters_are_named_for_their_type() {
        for (ty, parameter_name) in [
            ("IncomingSmsPayload", "incoming_sms"),
            ("ContactEvent", "contact_event"),
            ("Payload", "payload"),
            ("ContextPayload", "payload"),
            ("TypePayload", "r#type"),
        ] {
            assert_eq!(parameter(ty), parameter_name, "{ty}");
        }
    }

    #[test]
    fn odd_wire_names_become_valid_field_identifiers() {
        for (wire, ident) in [
            ("type", "r#type"),
            ("ref", "r#ref"),
            ("self", "self_"),
            ("1st", "_1st"),
            ("a-b", "a_b"),
            ("Ä", "a"),
            ("projectId", "project_id"),
            ("", "field"),
            ("$ref", "r#ref"),
        ] {
            assert_eq!(field_ident(wire), ident, "{wire}");
        }
    }

    #[test]
    fn odd_values_become_valid_type_and_variant_names() {
        for (value, name) in [
            ("QUEUED_ON_CHANNEL", "QueuedOnChannel"),
            ("mo_text", "MoText"),
            ("1st", "N1st"),
            ("self", "SelfValue"),
            ("Ä-b", "AB"),
            ("", "Empty"),
            ("application/json", "ApplicationJson"),
        ] {
            assert_eq!(pascal(value), name, "{value}");
        }
    }

    #[test]
    fn odd_scheme_keys_become_valid_constant_names() {
        for (key, name) in [
            ("orderSignature", "ORDER_SIGNATURE"),
            ("order-signature", "ORDER_SIGNATURE"),
            ("2fa-signature", "N2FA_SIGNATURE"),
            ("", "SCHEME"),
            ("--", "SCHEME"),
            ("_", "SCHEME"),
            ("Ä-sig", "A_SIG"),
            ("self", "SELF"),
        ] {
            assert_eq!(shouty(key), name, "{key:?}");
            assert!(syn::parse_str::<syn::Ident>(&shouty(key)).is_ok(), "{key:?}");
        }
    }

    #[test]
    fn security_scheme_constants_that_collide_get_a_suffix() {
        let signed = r#"
      x-signature: {digest: hmac-sha256, signedData: '{body}'}"#;
        let spec = format!(
            "asyncapi: 2.6.0\ninfo: {{title: T, version: '1'}}\nchannels: {{}}\ncomponents:\n  securitySchemes:
    orderSignature:
      type: httpApiKey
      in: header
      name: x-signature{signed}
    basic:
      type: userPassword
    order-signature:
      type: httpApiKey
      in: header
      name: x-order-signature{signed}
    2fa-signature:
      type: httpApiKey
      in: header
      name: x-2fa{signed}
    byPayload:
      type: httpApiKey
      in: header
      name: x-by-payload{signed}
"
        );
        let api = crate::spec::read_text(&spec).expect("the spec is read");
        let names = resolve(&api);
        let expected =
            [Some("ORDER_SIGNATURE"), None, Some("ORDER_SIGNATURE_2"), Some("N2FA_SIGNATURE"), Some("BY_PAYLOAD_2")];
        assert_eq!(names.security_consts, expected.map(|n| n.map(str::to_owned)));
    }

    #[test]
    fn a_prefix_every_operation_id_shares_is_dropped() {
        assert_eq!(shared_prefix(&["WebhookService_ListWebhooks", "WebhookService_GetWebhook"]), "WebhookService_");
        assert_eq!(shared_prefix(&["WebhookService_ListWebhooks"]), "", "one id keeps its prefix");
        assert_eq!(shared_prefix(&["A_list", "B_get"]), "");
        assert_eq!(shared_prefix(&["A_list", "A_"]), "", "nothing would be left");
        assert_eq!(shared_prefix(&["listPets", "getPet"]), "");
    }
}
