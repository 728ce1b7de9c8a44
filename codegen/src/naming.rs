//! Every Rust name a generated crate contains, chosen here and nowhere else.
//!
//! A name is chosen in a *scope*: the set of names one generated module already uses. Each
//! scope starts with what its module defines or imports itself (the lists below), so a name
//! from the spec can never shadow or be shadowed by one of them: a collision gets a suffix
//! instead, by construction. The crate contains, module by module:
//!
//! - **`models.rs`, `enums.rs`, `validate.rs` and the crate root** share one type scope
//!   ([`TYPE_SCOPE`]): the runtime types they import (`Timestamp`, `Value`, ...), the prelude
//!   names the code spells unqualified (`String`, `Option`, ...), the root's re-exports
//!   (`Outcome`, `Verifier`) and `validate.rs`'s traits (`Validate`, `Violation`). Models and
//!   enums glob-import each other and are re-exported from the root, which is safe because
//!   every type name comes from this one scope. A declared schema keeps its key; an inline
//!   type takes the last segment of its path (`ChannelIdentity`) and is qualified with its
//!   parents only where two would collide (`MessageChannelIdentity`). What still collides gets
//!   a numeric suffix, declared types first, in spec order ([`TypeNames::name`]).
//! - **Inside each struct**: its fields, then `unknown_fields` ([`TypeNames::fields`]); inside
//!   each enum or union: its variants, then `Unknown` ([`TypeNames::variants`]).
//! - **`operations.rs`** ([`OPERATIONS_SCOPE`]): one module per operation, named for its
//!   `operationId` in snake case ([`OperationNames::module`]), which is also its `Service`
//!   and `Client` method; a `Client` method streaming pages ([`OperationNames::pages`]).
//!   The file's own items (`Service`, `Routes`, `Server`, `Client`) and imports are fixed;
//!   models are referred to by path (`models::Service`), so they cannot clash with them.
//! - **Each operation's module** defines `Request` and `Response`; models again by path. The
//!   `Request`'s fields are its parameters ([`OperationNames::fields`], `body` reserved for
//!   the body); `Request::from_parts` binds each to a local ([`OperationNames::bindings`])
//!   from a scope holding its arguments and locals ([`FROM_PARTS_LOCALS`]), so a parameter
//!   named `query` cannot hide the query string. `Response`'s variants
//!   ([`OperationNames::responses`]) are named for their status, not for anything the spec
//!   names (`Ok`, `NotFound`, `Status599`, `Status4xx`, `Default`), from a scope holding
//!   `Undeclared`, the variant for the rest.
//! - **`webhooks.rs`** ([`webhooks`]): the `Operation` enum, one variant per operation; the
//!   `Event` enum and the message enums (`{Operation}Message`, one per operation receiving
//!   several messages), named from [`WEBHOOKS_SCOPE`] (what the file defines or imports:
//!   `Event`, `Handler`, `Receiver`, `Context`, ...); a message enum's variants, one per
//!   message group; the `Handler` trait's methods, from [`HANDLER_METHODS_SCOPE`]; and the
//!   `message` module's route constants ([`route_constants`]). Payload types are referred to
//!   by path (`super::models::Event`). A handler method's payload parameter is [`parameter`]
//!   (`message` for a message enum); the crate's quick start uses the same.
//! - **The crate root** (`lib.rs`) holds only fixed names beside the re-exported types: the
//!   modules, `runtime`, `Secret`, and for callbacks `Outcome`, `Verifier`, `axum`, `serve`.
//! - **Security schemes** that sign callbacks get a `SHOUTY_CASE` constant each in
//!   `webhooks.rs`, beside [`RESERVED_CONSTANTS`] (`ORDER_SIGNATURE`, `ORDER_SIGNATURE_2`).
//! - **`tests/examples.rs`**: one test per example, named for its owner and the example,
//!   from [`EXAMPLE_TESTS_SCOPE`] (`emit::examples`); the types it imports from the crate root
//!   are from [`TYPE_SCOPE`]. Its `mod received` (a crate that receives callbacks) holds one
//!   test per example of a received message, from [`RECEIVED_TESTS_SCOPE`].
//!
//! Any spelling gives a valid identifier: non-ASCII is transliterated, keywords become raw
//! identifiers or get a suffix, and leading digits get a prefix.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::case;
use crate::ir::{Api, NameHint, Operation, Status, Ty, TypeDef, TypeId, TypeKind, Variant};
use crate::routing::Routing;

/// Names that `models.rs`, `enums.rs`, `validate.rs`, `tests/examples.rs` and the crate root
/// use unqualified beside the types: a type may not take one of them.
pub const TYPE_SCOPE: [&str; 20] = [
    "Box",
    "Err",
    "IndexMap",
    "Map",
    "None",
    "Ok",
    "Option",
    "Outcome",
    "Result",
    "Secret",
    "Self",
    "Some",
    "String",
    "Timestamp",
    "UnknownFields",
    "Validate",
    "Value",
    "Vec",
    "Verifier",
    "Violation",
];

/// What `operations.rs` defines or imports in snake case beside the operations' modules,
/// and what `Client` defines beside their methods (`new`).
pub const OPERATIONS_SCOPE: [&str; 14] = [
    "alloc",
    "client",
    "core",
    "enums",
    "hookwright_runtime",
    "http",
    "models",
    "new",
    "router",
    "self_",
    "server",
    "std",
    "super_",
    "validate",
];

/// The arguments and locals of an operation's `Request::from_parts`, which its parameters'
/// bindings may not hide.
pub const FROM_PARTS_LOCALS: [&str; 10] =
    ["_body", "_headers", "_path", "_query", "body", "headers", "out", "path", "query", "request"];

/// What `webhooks.rs` defines or imports in `UpperCamelCase`, beside the `Event` variants and
/// message enums it names from the spec.
pub const WEBHOOKS_SCOPE: [&str; 18] = [
    "Context",
    "Deserialize",
    "Deserializer",
    "Dispatcher",
    "Event",
    "Future",
    "Handler",
    "Operation",
    "Option",
    "Outcome",
    "Receiver",
    "Result",
    "Serialize",
    "Serializer",
    "Unknown",
    "UnknownEvent",
    "Unknowns",
    "Webhooks",
];

/// The `Handler` trait's own method, beside one per operation or shared message.
pub const HANDLER_METHODS_SCOPE: [&str; 1] = ["unknown"];

/// The module the type `id` is emitted in: `enums` for a string enum, `models` for the rest.
pub fn module_of(api: &Api, id: TypeId) -> &'static str {
    match api.types[id.0].kind {
        TypeKind::Enum { .. } => "enums",
        _ => "models",
    }
}

/// The constant `webhooks.rs`'s `message` module defines beside one per route.
pub const ROUTE_CONSTANTS_SCOPE: [&str; 1] = ["NAMES"];

/// What `tests/examples.rs` defines or imports in snake case beside its tests.
pub const EXAMPLE_TESTS_SCOPE: [&str; 2] = ["assert_round_trip", "main"];

/// What `tests/examples.rs`'s `mod received` (the examples handed to the receiver, one test
/// each, from `emit::webhooks`) defines or imports beside its tests.
pub const RECEIVED_TESTS_SCOPE: [&str; 3] = ["assert_received", "received", "Webhooks"];

/// Constants `webhooks.rs` defines beside the security schemes' constants.
pub const RESERVED_CONSTANTS: [&str; 2] = ["BY_PAYLOAD", "BY_CHANNEL"];

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

/// The names one generated module (or item) already uses; each new name is made unique in it.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    taken: HashSet<String>,
    /// Between a name and the number that makes it unique (`""`: `Name2`, `"_"`: `name_2`).
    separator: &'static str,
}

impl Scope {
    /// A scope holding `reserved` already.
    pub fn new(reserved: &[&str], separator: &'static str) -> Self {
        Scope { taken: reserved.iter().map(|name| (*name).to_owned()).collect(), separator }
    }

    /// `base`, or `base2`, `base3`, ... (with the separator) whichever is free first, now taken.
    pub fn name(&mut self, base: String) -> String {
        unique(base, &mut self.taken, self.separator)
    }
}

/// Every Rust name of one API.
#[derive(Debug, Clone, PartialEq)]
pub struct Names {
    /// Per type, by `TypeId`.
    pub types: Vec<TypeNames>,
    /// Per operation, by index.
    pub operations: Vec<OperationNames>,
    /// Per security scheme: the `SHOUTY_CASE` constant of a scheme that signs callbacks
    /// (`x-signature`), `None` for the others.
    pub security_consts: Vec<Option<String>>,
}

/// The names of one type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TypeNames {
    /// The type's `UpperCamelCase` name, from [`TYPE_SCOPE`].
    pub name: String,
    /// A struct's fields, one per field (raw identifiers spelled `r#type`); empty otherwise.
    pub fields: Vec<String>,
    /// A struct's field that keeps unknown fields; empty otherwise.
    pub unknown_field: String,
    /// An enum's variants, one per value, or a union's, one per variant; empty otherwise.
    pub variants: Vec<String>,
    /// An enum's or union's variant keeping values the spec does not list; empty otherwise.
    pub unknown_variant: String,
}

/// The names of one operation.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationNames {
    /// A `snake_case` identifier, from [`OPERATIONS_SCOPE`]: the module of an HTTP operation
    /// and its `Service` and `Client` methods.
    pub module: String,
    /// The `Client` method that streams every page of a paged list (`{module}_pages`).
    pub pages: String,
    /// Per parameter: its field in the operation's `Request` (`body` is the body's).
    pub fields: Vec<String>,
    /// Per parameter: its local in `Request::from_parts`, from [`FROM_PARTS_LOCALS`].
    pub bindings: Vec<String>,
    /// Per declared response: its `Response` variant, named for its status.
    pub responses: Vec<String>,
}

pub fn resolve(api: &Api) -> Names {
    let type_names = type_names(&api.types);
    let types = api.types.iter().zip(&type_names).map(|(def, name)| members(def, name.clone(), &type_names)).collect();
    Names { types, operations: operation_names(api), security_consts: security_const_names(api) }
}

/// A type's name with its fields or variants.
fn members(def: &TypeDef, name: String, type_names: &[String]) -> TypeNames {
    match &def.kind {
        TypeKind::Struct { fields } => {
            let mut scope = Scope::new(&[], "_");
            let fields = fields.iter().map(|f| scope.name(field_ident(&f.wire))).collect();
            TypeNames { name, fields, unknown_field: scope.name("unknown_fields".to_owned()), ..TypeNames::default() }
        }
        TypeKind::Enum { values } => variant_names(name, values.iter().map(|v| pascal(v))),
        TypeKind::Union { variants, .. } => variant_names(name, variants.iter().map(|v| variant_name(v, type_names))),
        _ => TypeNames { name, ..TypeNames::default() },
    }
}

/// An enum's or a union's name with its variants, made unique from `bases`, and the variant
/// for values it does not know: `Unknown`, or `UnknownValue` when a variant has that name.
fn variant_names(name: String, bases: impl Iterator<Item = String>) -> TypeNames {
    let mut scope = Scope::new(&[], "");
    let variants: Vec<String> = bases.map(|v| scope.name(v)).collect();
    let unknown = ["Unknown", "UnknownValue"].into_iter().find(|n| !variants.iter().any(|v| v == n));
    let unknown_variant = unknown.map(str::to_owned).unwrap_or_else(|| scope.name("UnknownValue".to_owned()));
    TypeNames { name, variants, unknown_variant, ..TypeNames::default() }
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
/// (`WebhookService_ListWebhooks` → `list_webhooks`), made unique; then the pages methods.
fn operation_names(api: &Api) -> Vec<OperationNames> {
    let ids: Vec<&str> = api.operations.iter().map(|op| op.id.as_str()).collect();
    let prefix = shared_prefix(&ids);
    let mut scope = Scope::new(&OPERATIONS_SCOPE, "_");
    let modules: Vec<String> =
        ids.iter().map(|id| scope.name(field_ident(&id[prefix.len()..].to_snake_case()))).collect();
    let pages: Vec<String> =
        modules.iter().map(|module| scope.name(format!("{}_pages", module.trim_start_matches("r#")))).collect();
    let operations = api.operations.iter().zip(modules).zip(pages);
    operations.map(|((op, module), pages)| parameter_names(op, module, pages)).collect()
}

/// An operation's names with its parameters' fields and bindings.
fn parameter_names(op: &Operation, module: String, pages: String) -> OperationNames {
    let mut fields = Scope::new(&["body"], "_");
    let mut bindings = Scope::new(&FROM_PARTS_LOCALS, "_");
    let fields: Vec<String> = op.parameters.iter().map(|p| fields.name(field_ident(&p.name))).collect();
    let bindings = fields.iter().map(|field| bindings.name(field.clone())).collect();
    let mut variants = Scope::new(&["Undeclared"], "");
    let responses = op.responses.iter().map(|response| variants.name(response_variant(response.status))).collect();
    OperationNames { module, pages, fields, bindings, responses }
}

/// A `Response` variant: the status's reason (`NotFound`), else its number or class.
fn response_variant(status: Status) -> String {
    match status {
        Status::Code(code) => match http::StatusCode::from_u16(code).ok().and_then(|s| s.canonical_reason()) {
            Some(reason) => reason.replace('\'', "").to_upper_camel_case(),
            None => format!("Status{code}"),
        },
        Status::Range(class) => format!("Status{class}xx"),
        Status::Default => "Default".to_owned(),
    }
}

/// The names `webhooks.rs` gives beside the types', by operation and by routing group.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookNames {
    /// `Operation` enum variants of the operations that receive messages, by operation (a
    /// scope of their own: an HTTP operation, which is not in that enum, takes no name there).
    pub operation_variants: Vec<Option<String>>,
    /// `Event` variants of the operations that receive a payload, from [`WEBHOOKS_SCOPE`].
    pub event_variants: Vec<Option<String>>,
    /// `Event` variants of the groups several operations receive, by group, from the same.
    pub shared_variants: Vec<Option<String>>,
    /// `{Operation}Message` enums of the operations with several groups, from the same.
    pub message_enums: Vec<Option<String>>,
    /// By group: its variant in the message enums of the operations receiving it, from one
    /// scope for all groups (a message key and a payload type's name may be spelled alike).
    pub group_variants: Vec<String>,
    /// `Handler` methods, by operation, from [`HANDLER_METHODS_SCOPE`].
    pub methods: Vec<Option<String>>,
    /// `Handler` methods of the shared groups, by group, from the same.
    pub shared_methods: Vec<Option<String>>,
}

/// The names of an API's `webhooks.rs`; `names` are its types'.
pub fn webhooks(api: &Api, routing: &Routing, names: &Names) -> WebhookNames {
    let count = api.operations.len();
    let receiving = routing.receiving(api);
    let shared = routing.shared_groups();
    let mut group_scope = Scope::new(&[], "");
    let group_variants: Vec<String> =
        (0..routing.groups.len()).map(|g| group_scope.name(group_name(api, routing, g, names))).collect();
    let mut operation_scope = Scope::new(&[], "");
    let operation_variants = api
        .operations
        .iter()
        .map(|op| (!op.messages.is_empty()).then(|| operation_scope.name(pascal(&op.id))))
        .collect();
    let mut scope = Scope::new(&WEBHOOKS_SCOPE, "");
    let mut event_variants = vec![None; count];
    for (o, _) in &receiving {
        event_variants[*o] = Some(scope.name(pascal(&api.operations[*o].id)));
    }
    let mut shared_variants = vec![None; routing.groups.len()];
    for &g in &shared {
        shared_variants[g] = Some(scope.name(group_variants[g].clone()));
    }
    let mut message_enums = vec![None; count];
    for (o, groups) in &receiving {
        if groups.len() > 1 {
            message_enums[*o] = Some(scope.name(format!("{}Message", pascal(&api.operations[*o].id))));
        }
    }
    let mut method_scope = Scope::new(&HANDLER_METHODS_SCOPE, "");
    let mut methods = vec![None; count];
    for (o, _) in &receiving {
        methods[*o] = Some(method_scope.name(field_ident(&api.operations[*o].id.to_snake_case())));
    }
    let mut shared_methods = vec![None; routing.groups.len()];
    for &g in &shared {
        shared_methods[g] = Some(method_scope.name(field_ident(&group_variants[g].to_snake_case())));
    }
    WebhookNames {
        operation_variants,
        event_variants,
        shared_variants,
        message_enums,
        group_variants,
        methods,
        shared_methods,
    }
}

/// A group's name: its message's key, or its payload type's name when messages share it.
fn group_name(api: &Api, routing: &Routing, group: usize, names: &Names) -> String {
    let group = &routing.groups[group];
    match (group.messages.as_slice(), &group.payload) {
        ([message], _) => pascal(&api.messages[message.0].key),
        (_, Ty::Named(id)) => names.types[id.0].name.clone(),
        _ => pascal(&api.messages[group.messages[0].0].key),
    }
}

/// The constants of `webhooks.rs`'s `message` module that number its routes, from
/// [`ROUTE_CONSTANTS_SCOPE`]: each route (a group, with the operation when the group has a
/// route of its own for each operation that receives it) is named for its message, and the
/// operation too when it has one.
pub fn route_constants(
    api: &Api,
    routing: &Routing,
    routes: impl Iterator<Item = (usize, Option<usize>)>,
) -> Vec<String> {
    let mut scope = Scope::new(&ROUTE_CONSTANTS_SCOPE, "_");
    routes
        .map(|(group, operation)| match operation {
            Some(operation) if routing.groups[group].operations.len() > 1 => {
                shouty(&format!("{} {}", routing.label(api, group), api.operations[operation].id))
            }
            _ => shouty(&routing.label(api, group)),
        })
        .map(|name| scope.name(name))
        .collect()
}

/// The constants of the signing security schemes, in spec order, made unique.
fn security_const_names(api: &Api) -> Vec<Option<String>> {
    let mut scope = Scope::new(&RESERVED_CONSTANTS, "_");
    api.security_schemes
        .iter()
        .map(|scheme| scheme.signature.as_ref().map(|_| scope.name(shouty(&scheme.key))))
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
            if members.len() < 2 && !TYPE_SCOPE.contains(name) {
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
    let mut scope = Scope::new(&TYPE_SCOPE, "");
    let mut names = vec![String::new(); types.len()];
    let declared_first = (0..types.len())
        .filter(|i| types[*i].name.declared)
        .chain((0..types.len()).filter(|i| !types[*i].name.declared));
    for index in declared_first {
        names[index] = scope.name(std::mem::take(&mut candidates[index]));
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
    fn operations_and_parameters_avoid_the_names_their_modules_use() {
        let spec = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:
  /a/{path}:
    get:
      operationId: models
      parameters:
        - {name: path, in: path, required: true, schema: {type: string}}
        - {name: query, in: query, schema: {type: string}}
        - {name: body, in: query, schema: {type: string}}
        - {name: limit, in: query, schema: {type: string}}
      responses: {'204': {description: x}}
  /b:
    get:
      operationId: models_pages
      responses: {'204': {description: x}}
components:
  schemas:
    Service: {type: object}
    Value: {type: object}
";
        let names = resolve(&crate::spec::read_text(spec).expect("the spec is read"));
        let [first, second] = &names.operations[..] else { panic!("{:?}", names.operations) };
        assert_eq!((first.module.as_str(), first.pages.as_str()), ("models_2", "models_2_pages"));
        assert_eq!(second.module, "models_pages");
        assert_eq!(first.fields, ["path", "query", "body_2", "limit"]);
        assert_eq!(first.bindings, ["path_2", "query_2", "body_2", "limit"]);
        let types: Vec<&str> = names.types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(types, ["Service", "Value2"], "a model may share a name with an operation item, not with an import");
    }

    #[test]
    fn only_receiving_operations_take_operation_variant_names() {
        let spec = "openapi: 3.1.0\ninfo: {title: T, version: '1'}
paths:
  /pets:
    post:
      operationId: pet_added
      responses: {'204': {description: x}}
webhooks:
  petAdded:
    post:
      operationId: petAdded
      requestBody:
        content: {application/json: {schema: {type: object}}}
      responses: {'204': {description: x}}
";
        let api = crate::spec::read_text(spec).expect("the spec is read");
        let (routing, names) = (crate::routing::analyse(&api), resolve(&api));
        let ids: Vec<&str> = api.operations.iter().map(|op| op.id.as_str()).collect();
        assert_eq!(ids, ["pet_added", "petAdded"], "the HTTP operation comes first");
        let webhooks = webhooks(&api, &routing, &names);
        assert_eq!(webhooks.operation_variants, [None, Some("PetAdded".to_owned())]);
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
