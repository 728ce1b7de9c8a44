//! `webhooks.rs`: the dispatcher of an API that receives callbacks: operations, the `Event`
//! enum, the `Handler` trait, and the tables that route a body to its message.
//!
//! The mechanics (verifying, scanning a body, HTTP statuses) are in the runtime crate's
//! `webhook` module; what is emitted here is only what differs between specs.

use std::fmt::Write as _;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::examples::{case_name, raw_string};
use super::{docs, format_spaced, ident, source_file, Space};
use crate::ir::{Operation, SignatureEncoding, SignatureRule, SignedPart, Ty, TypeKind};
use crate::naming;
use crate::routing::{operation_list, Choice, Routing};

/// Where a decoded group lands: an operation's variant, or (when the payload cannot tell
/// the operation) a variant of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    Operation { operation: usize, group: usize },
    Shared(usize),
}

/// Every name of the module, resolved once.
pub struct Plan<'a> {
    space: &'a Space<'a>,
    routing: &'a Routing,
    /// Operations that receive at least one payload, with their groups.
    operations: Vec<(usize, Vec<usize>)>,
    /// Groups received by several operations.
    shared: Vec<usize>,
    /// The names beside the types', by operation and by group.
    names: naming::WebhookNames,
    routes: Vec<Route>,
    /// The constants that number `routes` for the runtime's tables, in the same order.
    route_names: Vec<String>,
}

impl<'a> Plan<'a> {
    pub fn new(space: &'a Space<'a>, routing: &'a Routing) -> Self {
        let api = space.api;
        let names = naming::webhooks(api, routing, space.names);
        let mut plan = Plan {
            space,
            routing,
            operations: routing.receiving(api),
            shared: routing.shared_groups(),
            names,
            routes: Vec::new(),
            route_names: Vec::new(),
        };
        plan.routes = plan.all_routes();
        plan.route_names = plan.all_route_names();
        plan
    }

    /// Every route any discriminator can pick, each once.
    fn all_routes(&self) -> Vec<Route> {
        let mut routes = Vec::new();
        let mut add = |route: Route| {
            if !routes.contains(&route) {
                routes.push(route);
            }
        };
        for g in 0..self.routing.groups.len() {
            add(self.payload_route(g));
        }
        for channel in &self.routing.channels {
            for g in choice_groups(&channel.choice) {
                add(self.channel_route(&channel.operations, g));
            }
        }
        routes
    }

    /// A constant's name for each route (see [`naming::route_constants`]).
    fn all_route_names(&self) -> Vec<String> {
        let routes = self.routes.iter().map(|route| match *route {
            Route::Operation { operation, group } => (group, Some(operation)),
            Route::Shared(group) => (group, None),
        });
        naming::route_constants(self.space.api, self.routing, routes)
    }

    fn payload_route(&self, group: usize) -> Route {
        match self.routing.groups[group].operations.as_slice() {
            [operation] => Route::Operation { operation: *operation, group },
            _ => Route::Shared(group),
        }
    }

    fn channel_route(&self, operations: &[usize], group: usize) -> Route {
        let receiving: Vec<usize> =
            self.routing.groups[group].operations.iter().copied().filter(|o| operations.contains(o)).collect();
        match receiving.as_slice() {
            [operation] => Route::Operation { operation: *operation, group },
            _ => Route::Shared(group),
        }
    }

    /// `message::NAME`, the constant that numbers `route`.
    fn route_constant(&self, route: Route) -> TokenStream {
        let index = self.routes.iter().position(|r| *r == route).unwrap_or_default();
        let name = ident(&self.route_names[index]);
        quote!(message::#name)
    }

    fn shared_variant(&self, group: usize) -> &str {
        self.names.shared_variants[group].as_deref().unwrap_or_default()
    }

    fn shared_method(&self, group: usize) -> &str {
        self.names.shared_methods[group].as_deref().unwrap_or_default()
    }
}

fn choice_groups(choice: &Choice) -> Vec<usize> {
    let mut groups: Vec<usize> = match choice {
        Choice::Single(group) => group.iter().copied().collect(),
        Choice::Tag { values, .. } => values.iter().map(|(_, g)| *g).collect(),
        Choice::Keys { keys, fallback } => {
            keys.iter().map(|(_, g)| *g).chain(fallback.iter().map(|(g, _)| *g)).collect()
        }
    };
    groups.sort_unstable();
    groups.dedup();
    groups
}

pub fn webhooks_rs(plan: &Plan, header: &str) -> String {
    let module_doc = docs::inner_attrs(&module_doc(plan));
    let items = [
        security_consts(plan),
        operation_enum(plan),
        event_enum(plan),
        message_enums(plan),
        handler_trait(plan),
        decoding(plan),
    ];
    let body: Vec<String> = items.into_iter().map(format_spaced).collect();
    let inner = quote! {
        #module_doc
        use std::future::Future;

        use hookwright_runtime::__private::serde::{de, Deserialize, Deserializer, Serialize, Serializer};
        use hookwright_runtime::webhook::{self, Outcome, UnknownEvent};
        use hookwright_runtime::Unknowns;
        /// How a callback arrived (operation, dedup key, headers, raw body): given to every
        /// [`Handler`] method.
        pub use hookwright_runtime::webhook::Context;
    };
    source_file(header, inner, &body.join("\n"))
}

/// The tests of `tests/examples.rs` that hand each example of a received message to the
/// receiver: at each address of an operation that receives it and, when the payload alone
/// tells every message apart (no routing notes), to the single URL. Each test expects the
/// message and operation the routing gives that route. `None` when no such message has an
/// example; else a `mod received` and how many tests it holds.
pub fn received_examples(plan: &Plan, krate: &str) -> Option<(String, usize)> {
    let (api, routing) = (plan.space.api, plan.routing);
    let mut scope = naming::Scope::new(&naming::RECEIVED_TESTS_SCOPE, "_");
    let mut tests = Vec::new();
    for (operation, groups) in &plan.operations {
        for &group in groups {
            let checks = received_checks(plan, *operation, group);
            for &message in &routing.groups[group].messages {
                let message = &api.messages[message.0];
                for (index, example) in message.examples.iter().enumerate() {
                    let words = case_name(&message.key, example.name.as_deref(), index, message.examples.len());
                    let name = ident(&scope.name(naming::field_ident(&words)));
                    let json = raw_string(&serde_json::to_string_pretty(&example.payload).unwrap_or_default());
                    tests.push(quote! {
                        #[test]
                        fn #name() {
                            let json = #json;
                            #(#checks)*
                        }
                    });
                }
            }
        }
    }
    if tests.is_empty() {
        return None;
    }
    let count = tests.len();
    let krate = ident(&krate.replace('-', "_"));
    let module = quote! {
        /// The examples of received messages, handed to the receiver: each is accepted as its
        /// message and re-encodes to the same JSON.
        mod received {
            use hookwright_runtime::testing::assert_received;
            use #krate::webhooks::Webhooks;

            #[track_caller]
            fn received(address: Option<&str>, json: &str, message: &str, operation: Option<&str>) {
                assert_received::<Webhooks>(address, json, message, operation);
            }

            #(#tests)*
        }
    };
    Some((format_spaced(module), count))
}

/// The `received(..)` calls of a test of `group`'s examples as `operation` receives them: at
/// the operation's address and, without routing notes, at the single URL; each expecting the
/// group's label and the operation its route gives (none for a shared one).
fn received_checks(plan: &Plan, operation: usize, group: usize) -> Vec<TokenStream> {
    let (api, routing) = (plan.space.api, plan.routing);
    let channel = routing.channels.iter().find(|c| c.operations.contains(&operation));
    let mut routes: Vec<(Option<&str>, Route)> = channel
        .map(|channel| {
            (Some(api.operations[operation].address.as_str()), plan.channel_route(&channel.operations, group))
        })
        .into_iter()
        .collect();
    if routing.notes.is_empty() {
        routes.push((None, plan.payload_route(group)));
    }
    let message = routing.label(api, group);
    routes
        .into_iter()
        .map(|(address, route)| {
            let address = match address {
                Some(address) => quote!(Some(#address)),
                None => quote!(None),
            };
            let operation = match route {
                Route::Operation { operation, .. } => {
                    let id = &api.operations[operation].id;
                    quote!(Some(#id))
                }
                Route::Shared(_) => quote!(None),
            };
            quote!(received(#address, json, #message, #operation);)
        })
        .collect()
}

/// The first `Handler` method, its parameter and the parameter's type as named from the
/// crate root (which re-exports the models and enums), for the crate's quick start.
pub fn quick_start_handler(plan: &Plan) -> Option<QuickStart> {
    let (operation, groups) = plan.operations.first()?;
    let method = plan.names.methods[*operation].clone()?;
    let ty = match (&plan.names.message_enums[*operation], &plan.routing.groups[groups[0]].payload) {
        (Some(name), _) => format!("webhooks::{name}"),
        (None, Ty::Named(id)) => plan.space.names.types[id.0].name.clone(),
        (None, _) => return None,
    };
    Some(QuickStart { method, parameter: handler_parameter(plan, *operation, groups).to_string(), ty })
}

/// The parameter of the `Handler` method of `operation`: `message` when it takes a message
/// enum, else named for the payload of its (first) group.
fn handler_parameter(plan: &Plan, operation: usize, groups: &[usize]) -> Ident {
    match plan.names.message_enums[operation] {
        Some(_) => ident("message"),
        None => parameter(plan.space, &plan.routing.groups[groups[0]]),
    }
}

/// What the crate's quick start shows of a `Handler` method, named as the trait names it.
pub struct QuickStart {
    pub method: String,
    /// Spelled as in code (`r#type` for a keyword).
    pub parameter: String,
    pub ty: String,
}

fn payload_type(space: &Space, group: &crate::routing::Group) -> TokenStream {
    match &group.payload {
        Ty::Named(id) if space.is_enum(*id) => {
            let name = space.name(*id);
            quote!(super::enums::#name)
        }
        Ty::Named(id) => {
            let name = space.name(*id);
            quote!(super::models::#name)
        }
        _ => quote!(hookwright_runtime::Value),
    }
}

fn module_doc(plan: &Plan) -> Vec<String> {
    let mut doc = String::from(
        "Receiving this API's callbacks: verify, decode, hand to a [`Handler`], answer.\n\n\
         A [`Receiver`] verifies a request over its raw body and decodes it into an [`Event`], \
         in one pass and without I/O. A [`Dispatcher`] also calls your [`Handler`] and gives the \
         HTTP status to answer with; with the `axum` feature, `router` serves it.\n\n\
         ## Decoding\n\n\
         - **By channel**: a body posted to a channel address is decoded as that channel's messages.\n",
    );
    if plan.routing.channels.iter().any(|channel| channel.address.contains('{')) {
        doc.push_str(
            "  An address with parameters (`{name}`) is served at every value of them (not empty, \
             without `/`), and [`Context::parameter`] gives a value.\n",
        );
    }
    let _ =
        writeln!(doc, "- **By payload** (one URL for everything): {}", describe_choice(plan, &plan.routing.by_payload));
    doc.push_str(
        "- A body that fits no message is not an error: it becomes [`Event::Unknown`], which keeps \
         the body as received and is answered 200. Only a body that is not JSON is refused.\n",
    );
    if !plan.routing.notes.is_empty() {
        doc.push_str("\n### What the payload cannot tell\n\n");
        for note in &plan.routing.notes {
            let _ = writeln!(doc, "- {}", capitalise(note));
        }
    }
    doc.push_str(
        "\n## Answers\n\n\
         | Situation | Status | The sender |\n|---|---|---|\n\
         | [`Outcome::Accept`] | 200 | is done |\n\
         | [`Outcome::RetryLater`] | 503 | retries later, with backoff |\n\
         | [`Outcome::SlowDown`] | 429 | retries, and lowers its rate |\n\
         | [`Outcome::Reject`] | 400 | never retries |\n\
         | authentication fails | 401 | |\n\
         | the body is not JSON | 400 | never retries |\n\
         | the body is over the receiver's limit | 413 | |\n\
         | [`Event::Unknown`] | 200, unless [`Handler::unknown`] says otherwise | |\n\
         | its nonce or dedup key was accepted within the window | 200, not delivered again | is done |\n\
         | the same callback is being handled now | 503 | retries later |\n\n\
         The sender delivers at least once; the [`Dispatcher`] hands each callback to the [`Handler`] at \
         most once per window (see `hookwright_runtime::webhook::Dispatcher`). Only accepted callbacks \
         are remembered, so a retry after a 503, 429 or 400 is delivered.\n",
    );
    security_doc(plan, &mut doc);
    doc.trim_end().lines().map(str::to_owned).collect()
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn describe_choice(plan: &Plan, choice: &Choice) -> String {
    let label = |g: usize| format!("`{}`", plan.routing.label(plan.space.api, g));
    match choice {
        Choice::Single(Some(group)) => format!("every body is decoded as {}.", label(*group)),
        Choice::Single(None) => "no message has a payload, so every body is an unknown event.".to_owned(),
        Choice::Tag { property, values } => {
            let pairs: Vec<String> = values.iter().map(|(v, g)| format!("`{v}` → {}", label(*g))).collect();
            format!("the value of `{property}` names the message: {}.", pairs.join(", "))
        }
        Choice::Keys { keys, fallback } => {
            let mut by_group: Vec<(usize, Vec<&str>)> = Vec::new();
            for (key, g) in keys {
                match by_group.iter_mut().find(|(group, _)| group == g) {
                    Some((_, list)) => list.push(key),
                    None => by_group.push((*g, vec![key])),
                }
            }
            let pairs: Vec<String> = by_group
                .iter()
                .map(|(g, keys)| {
                    let keys: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
                    format!("{} → {}", keys.join(" or "), label(*g))
                })
                .collect();
            let mut text = format!("a property only one message has names it: {}.", pairs.join("; "));
            for (g, _) in fallback {
                let _ = write!(
                    text,
                    " Without any of those, a body whose keys all belong to {} is that message.",
                    label(*g)
                );
            }
            text
        }
    }
}

fn security_doc(plan: &Plan, doc: &mut String) {
    let schemes = &plan.space.api.security_schemes;
    if schemes.is_empty() {
        return;
    }
    doc.push_str("\n## Authentication\n\nBuild the [`Receiver`] with the [`Verifier`](webhook::Verifier) for the scheme your sender uses:\n\n");
    for (scheme, constant) in schemes.iter().zip(&plan.space.names.security_consts) {
        match (constant, &scheme.kind) {
            (Some(constant), _) => {
                let _ = writeln!(doc, "- `{}`: `Verifier::hmac({constant}, secret)`, see [`{constant}`].", scheme.key);
            }
            (None, crate::ir::SecurityKind::HttpBasic) => {
                let _ = writeln!(doc, "- `{}`: `Verifier::basic(user, password)`.", scheme.key);
            }
            (None, _) => {
                let _ = writeln!(doc, "- `{}`: not checked by the receiver; check it in your HTTP layer.", scheme.key);
            }
        }
    }
    doc.push_str("- none: `Verifier::none()`.\n");
}

fn security_consts(plan: &Plan) -> TokenStream {
    let schemes = plan.space.api.security_schemes.iter().zip(&plan.space.names.security_consts);
    let items = schemes.filter_map(|(scheme, constant)| {
        let signature = scheme.signature.as_ref()?;
        let name = ident(constant.as_deref()?);
        let doc = docs::attrs(&format!(
            "How the `{}` scheme signs a callback: HMAC-SHA256 in `{}`.{}",
            scheme.key,
            signature.header,
            scheme.description.as_deref().map(|d| format!("\n\n{d}")).unwrap_or_default()
        ));
        let header = &signature.header;
        let signature = match &signature.rule {
            SignatureRule::Preset(preset) => {
                let preset = ident(preset.constant());
                return Some(quote!(#doc pub const #name: webhook::HmacScheme = webhook::HmacScheme::#preset;));
            }
            SignatureRule::Custom(custom) => custom,
        };
        let algorithm = &signature.algorithm;
        let option = |value: &Option<String>| match value {
            Some(value) => quote!(Some(#value)),
            None => quote!(None),
        };
        let algorithm_header = option(&signature.algorithm_header);
        let nonce_header = option(&signature.nonce_header);
        let timestamp_header = option(&signature.timestamp_header);
        let encoding = match signature.encoding {
            SignatureEncoding::Base64 => quote!(Base64),
            SignatureEncoding::Hex => quote!(Hex),
        };
        let signed = signature.signed.iter().map(|part| match part {
            SignedPart::Body => quote!(webhook::Signed::Body),
            SignedPart::Literal(text) => quote!(webhook::Signed::Literal(#text)),
            SignedPart::Header(name) => quote!(webhook::Signed::Header(#name)),
        });
        Some(quote! {
            #doc
            pub const #name: webhook::HmacScheme = webhook::HmacScheme {
                signature_header: #header,
                encoding: webhook::Encoding::#encoding,
                signature_prefix: "",
                several_signatures: false,
                secret: webhook::SecretFormat::Utf8,
                algorithm_header: #algorithm_header,
                algorithm: #algorithm,
                nonce_header: #nonce_header,
                timestamp_header: #timestamp_header,
                signed: &[#(#signed),*],
            };
        })
    });
    quote!(#(#items)*)
}

fn operation_doc(op: &Operation) -> String {
    let mut doc = format!("`{}` on `{}`", op.id, op.address);
    if let Some(summary) = &op.summary {
        let _ = write!(doc, ": {}", docs::one_line(summary));
    }
    if let Some(description) = &op.description {
        let _ = write!(doc, "\n\n{description}");
    }
    doc
}

fn operation_enum(plan: &Plan) -> TokenStream {
    let api = plan.space.api;
    // An operation without messages receives nothing (an OpenAPI path operation, say).
    let receiving: Vec<usize> = (0..api.operations.len()).filter(|&o| !api.operations[o].messages.is_empty()).collect();
    let variants: Vec<_> =
        receiving.iter().map(|&o| ident(plan.names.operation_variants[o].as_deref().unwrap_or_default())).collect();
    let docs = receiving.iter().map(|&o| docs::attrs(&operation_doc(&api.operations[o])));
    let ids = receiving.iter().map(|&o| &api.operations[o].id);
    let addresses = receiving.iter().map(|&o| &api.operations[o].address);
    let count = Literal::usize_unsuffixed(variants.len());
    let (v1, v2, v3) = (&variants, &variants, &variants);
    quote! {
        /// The operations of the spec.
        ///
        /// Non-exhaustive, so that an operation the spec adds is not a breaking change: outside
        /// this crate, a `match` on it needs a `_` arm.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Operation {
            #(#docs #v1,)*
        }

        impl Operation {
            pub const ALL: [Operation; #count] = [#(Operation::#v2),*];

            /// The `operationId`.
            pub const fn id(self) -> &'static str {
                match self {
                    #(Operation::#v3 => #ids,)*
                }
            }

            /// The channel address.
            pub const fn address(self) -> &'static str {
                match self {
                    #(Operation::#variants => #addresses,)*
                }
            }
        }
    }
}

/// The doc of a group's variant: its messages' titles and summaries.
fn group_doc(plan: &Plan, group: usize) -> String {
    let api = plan.space.api;
    let mut lines = Vec::new();
    for message in &plan.routing.groups[group].messages {
        let message = &api.messages[message.0];
        let title = message.title.as_deref().or(message.name.as_deref()).unwrap_or(&message.key);
        let mut line = format!("Message `{}`: {}", message.key, docs::one_line(title));
        if let Some(summary) = &message.summary {
            let _ = write!(line, ". {}", docs::one_line(summary));
        }
        lines.push(line);
    }
    lines.join("\n\n")
}

fn event_enum(plan: &Plan) -> TokenStream {
    let api = plan.space.api;
    let mut variants = Vec::new();
    let mut message_arms = Vec::new();
    let mut operation_arms = Vec::new();
    let mut dedup_arms = Vec::new();
    let mut names = Vec::new();
    for (o, groups) in &plan.operations {
        let variant = ident(plan.names.event_variants[*o].as_deref().unwrap_or_default());
        let operation = ident(plan.names.operation_variants[*o].as_deref().unwrap_or_default());
        let doc = docs::attrs(&operation_doc(&api.operations[*o]));
        let inner = match &plan.names.message_enums[*o] {
            Some(name) => {
                let name = ident(name);
                message_arms.push(quote!(Event::#variant(message) => Some(message.message()),));
                dedup_arms.push(quote!(Event::#variant(message) => message.dedup_key(),));
                quote!(#name)
            }
            None => {
                let group = groups[0];
                let label = plan.routing.label(api, group);
                message_arms.push(quote!(Event::#variant(_) => Some(#label),));
                dedup_arms.push(dedup_arm(plan, quote!(Event::#variant), group));
                payload_type(plan.space, &plan.routing.groups[group])
            }
        };
        operation_arms.push(quote!(Event::#variant(_) => Some(Operation::#operation),));
        names.push(variant.clone());
        variants.push(quote!(#doc #variant(Box<#inner>),));
    }
    for &group in &plan.shared {
        let variant = ident(plan.shared_variant(group));
        let label = plan.routing.label(api, group);
        let doc = docs::attrs(&format!(
            "{}\n\nDecoded by payload: the spec receives it on {}, and the payload does not tell which.",
            group_doc(plan, group),
            operation_list(api, &plan.routing.groups[group].operations)
        ));
        let ty = payload_type(plan.space, &plan.routing.groups[group]);
        message_arms.push(quote!(Event::#variant(_) => Some(#label),));
        operation_arms.push(quote!(Event::#variant(_) => None,));
        dedup_arms.push(dedup_arm(plan, quote!(Event::#variant), group));
        names.push(variant.clone());
        variants.push(quote!(#doc #variant(Box<#ty>),));
    }
    quote! {
        /// One received callback.
        ///
        /// Non-exhaustive, so that a message or trigger the spec adds is not a breaking change:
        /// outside this crate, a `match` on it needs a `_` arm.
        // Payloads are boxed: the largest is kilobytes, and an event is returned through
        // several calls before it reaches a handler; copying it each time cost more than
        // decoding a small callback (measured), one allocation costs less.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum Event {
            #(#variants)*
            /// A callback that fits no message of the spec (a trigger added since, say), kept as
            /// received.
            Unknown(UnknownEvent),
        }

        impl Event {
            /// The message's key in the spec; `None` for [`Event::Unknown`].
            pub fn message(&self) -> Option<&'static str> {
                match self {
                    #(#message_arms)*
                    Event::Unknown(_) => None,
                }
            }

            /// The operation, when the channel or the payload tells it.
            pub fn operation(&self) -> Option<Operation> {
                match self {
                    #(#operation_arms)*
                    Event::Unknown(_) => None,
                }
            }

            /// A key that is the same for the sender's retries of this callback, when the
            /// spec names one (`x-dedup-key`).
            pub fn dedup_key(&self) -> Option<String> {
                match self {
                    #(#dedup_arms)*
                    Event::Unknown(_) => None,
                }
            }
        }

        impl Serialize for Event {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(Event::#names(payload) => payload.serialize(serializer),)*
                    Event::Unknown(event) => event.serialize(serializer),
                }
            }
        }

        /// Every value held only in a catch-all; the whole body for [`Event::Unknown`].
        impl Unknowns for Event {
            fn collect_unknowns(&self, at: &mut String, out: &mut Vec<String>) {
                match self {
                    #(Event::#names(payload) => payload.collect_unknowns(at, out),)*
                    Event::Unknown(_) => out.push(at.clone()),
                }
            }
        }

        impl webhook::Callback for Event {
            fn message(&self) -> Option<&'static str> {
                Event::message(self)
            }

            fn operation(&self) -> Option<&'static str> {
                Event::operation(self).map(Operation::id)
            }

            fn dedup_key(&self) -> Option<String> {
                Event::dedup_key(self)
            }

            fn unknown_reason(&self) -> Option<&str> {
                match self {
                    Event::Unknown(event) => Some(event.reason()),
                    _ => None,
                }
            }
        }
    }
}

/// `Variant(payload) => <key of payload>`, or `None` when the group's messages name no key.
fn dedup_arm(plan: &Plan, pattern: TokenStream, group: usize) -> TokenStream {
    match dedup_expression(plan, group) {
        Some(expression) => quote!(#pattern(payload) => #expression,),
        None => quote!(#pattern(_) => None,),
    }
}

fn dedup_expression(plan: &Plan, group_index: usize) -> Option<TokenStream> {
    let api = plan.space.api;
    let group = &plan.routing.groups[group_index];
    let first = &api.messages[group.messages[0].0].dedup_key;
    if first.is_empty() || group.messages.iter().any(|m| &api.messages[m.0].dedup_key != first) {
        return None;
    }
    let parts = first.iter().map(|pointer| {
        let steps = api.resolve_pointer(&group.payload, pointer).unwrap_or_default();
        // `payload.a.b`, and whether an optional field on the way makes it an `Option`.
        let mut expression = quote!(payload);
        let mut optional = false;
        for (ty, field) in steps {
            let TypeKind::Struct { fields } = &api.types[ty].kind else {
                continue;
            };
            let name = ident(&plan.space.names.types[ty].fields[field]);
            expression = match (optional, fields[field].required) {
                (false, true) => quote!(#expression.#name),
                (false, false) => quote!(#expression.#name.as_ref()),
                (true, true) => quote!(#expression.map(|value| &value.#name)),
                (true, false) => quote!(#expression.and_then(|value| value.#name.as_ref())),
            };
            optional |= !fields[field].required;
        }
        if optional {
            quote!(#expression.map(ToString::to_string))
        } else {
            quote!(Some(#expression.to_string()))
        }
    });
    let message = plan.routing.label(api, group_index);
    Some(quote!(webhook::dedup_key(#message, &[#(#parts),*])))
}

fn message_enums(plan: &Plan) -> TokenStream {
    let api = plan.space.api;
    let items = plan.operations.iter().filter_map(|(o, groups)| {
        let name = ident(plan.names.message_enums[*o].as_deref()?);
        let doc = format!(" The messages of operation `{}`.", api.operations[*o].id);
        let variants: Vec<_> = groups.iter().map(|&g| ident(&plan.names.group_variants[g])).collect();
        let docs = groups.iter().map(|&g| docs::attrs(&group_doc(plan, g)));
        let types = groups.iter().map(|&g| payload_type(plan.space, &plan.routing.groups[g]));
        let labels = groups.iter().map(|&g| plan.routing.label(api, g));
        let dedup = groups.iter().zip(&variants).map(|(&g, v)| dedup_arm(plan, quote!(#name::#v), g));
        let (v1, v2, v3, v4) = (&variants, &variants, &variants, &variants);
        Some(quote! {
            #[doc = #doc]
            #[allow(clippy::large_enum_variant)]
            #[derive(Debug, Clone, PartialEq)]
            pub enum #name {
                #(#docs #v1(#types),)*
            }

            impl #name {
                /// The message's key in the spec.
                pub fn message(&self) -> &'static str {
                    match self {
                        #(#name::#v2(_) => #labels,)*
                    }
                }

                /// A key that is the same for the sender's retries of this callback, when the
                /// spec names one (`x-dedup-key`).
                pub fn dedup_key(&self) -> Option<String> {
                    match self {
                        #(#dedup)*
                    }
                }
            }

            impl Serialize for #name {
                fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    match self {
                        #(#name::#v3(payload) => payload.serialize(serializer),)*
                    }
                }
            }

            impl Unknowns for #name {
                fn collect_unknowns(&self, at: &mut String, out: &mut Vec<String>) {
                    match self {
                        #(#name::#v4(payload) => payload.collect_unknowns(at, out),)*
                    }
                }
            }
        })
    });
    quote!(#(#items)*)
}

fn handler_trait(plan: &Plan) -> TokenStream {
    let api = plan.space.api;
    let mut methods = Vec::new();
    for (o, groups) in &plan.operations {
        let method = ident(plan.names.methods[*o].as_deref().unwrap_or_default());
        let parameter = handler_parameter(plan, *o, groups);
        let ty = match &plan.names.message_enums[*o] {
            Some(name) => {
                let name = ident(name);
                quote!(#name)
            }
            None => payload_type(plan.space, &plan.routing.groups[groups[0]]),
        };
        let doc = docs::attrs(&format!("{}\n\nDefault: accept.", operation_doc(&api.operations[*o])));
        methods.push(handler_method(doc, method, parameter, ty));
    }
    for &group in &plan.shared {
        let method = ident(plan.shared_method(group));
        let doc = docs::attrs(&format!(
            "{}\n\nCalled for a body decoded by payload, which does not tell the operation; decoded by channel, \
             the operation's own method is called instead. Default: accept.",
            group_doc(plan, group)
        ));
        let group = &plan.routing.groups[group];
        methods.push(handler_method(doc, method, parameter(plan.space, group), payload_type(plan.space, group)));
    }
    quote! {
        /// What to do with each callback: one method per operation, each accepting by default,
        /// so an implementation overrides only what it handles. Each method also gets the
        /// callback's [`Context`]: the channel it was posted to (and its parameters), its
        /// operation, dedup key, headers and raw body.
        ///
        /// Return [`Outcome::RetryLater`] when the callback cannot be stored now (the sender
        /// retries), never accept what you have not kept. A callback accepted once is not
        /// delivered again within the window, however often it is replayed or retried.
        pub trait Handler: Send + Sync + 'static {
            #(#methods)*

            /// A callback that fits no message of the spec, kept whole. Default: accept, so that
            /// the sender does not retry what no newer handler would understand either.
            fn unknown(&self, event: UnknownEvent, context: Context<'_>) -> impl Future<Output = Outcome> + Send {
                let _ = (event, context);
                std::future::ready(Outcome::Accept)
            }
        }
    }
}

/// A handler's parameter for a group's payload, named for its type: an operation with several
/// messages names its parameter `message` instead, for its message enum.
fn parameter(space: &Space, group: &crate::routing::Group) -> Ident {
    match &group.payload {
        Ty::Named(id) => ident(&naming::parameter(&space.names.types[id.0].name)),
        _ => ident("payload"),
    }
}

fn handler_method(
    doc: TokenStream,
    method: proc_macro2::Ident,
    parameter: proc_macro2::Ident,
    ty: TokenStream,
) -> TokenStream {
    quote! {
        #doc
        fn #method(&self, #parameter: #ty, context: Context<'_>) -> impl Future<Output = Outcome> + Send {
            let _ = (#parameter, context);
            std::future::ready(Outcome::Accept)
        }
    }
}

/// Decodes a route's payload and wraps it, step by step, into its `Event`.
fn route_decoder(plan: &Plan, route: Route) -> TokenStream {
    let (variant, message_enum) = match route {
        Route::Operation { operation, group } => {
            let variant = ident(plan.names.event_variants[operation].as_deref().unwrap_or_default());
            let message_enum = plan.names.message_enums[operation].as_deref().map(|name| {
                let (name, inner) = (ident(name), ident(&plan.names.group_variants[group]));
                quote!(.map(#name::#inner))
            });
            (variant, message_enum)
        }
        Route::Shared(group) => (ident(plan.shared_variant(group)), None),
    };
    quote!(Deserialize::deserialize(deserializer) #message_enum .map(Box::new).map(Event::#variant))
}

fn discriminator(plan: &Plan, choice: &Choice, route: impl Fn(usize) -> Route) -> TokenStream {
    let index = |g: usize| plan.route_constant(route(g));
    match choice {
        Choice::Single(Some(group)) => {
            let index = index(*group);
            quote!(Discriminator::Single(#index))
        }
        Choice::Single(None) => quote!(Discriminator::Keys { keys: &[], fallback: &[] }),
        Choice::Tag { property, values } => {
            let pairs = values.iter().map(|(value, g)| {
                let index = index(*g);
                quote!((#value, #index))
            });
            quote!(Discriminator::Tag { property: #property, values: &[#(#pairs),*] })
        }
        Choice::Keys { keys, fallback } => {
            let pairs = keys.iter().map(|(key, g)| {
                let index = index(*g);
                quote!((#key, #index))
            });
            let fallback = fallback.iter().map(|(g, declared)| {
                let index = index(*g);
                quote!((#index, &[#(#declared),*]))
            });
            quote!(Discriminator::Keys { keys: &[#(#pairs),*], fallback: &[#(#fallback),*] })
        }
    }
}

fn decoding(plan: &Plan) -> TokenStream {
    let api = plan.space.api;
    let by_payload = discriminator(plan, &plan.routing.by_payload, |g| plan.payload_route(g));
    let channels: Vec<TokenStream> = plan
        .routing
        .channels
        .iter()
        .map(|channel| discriminator(plan, &channel.choice, |g| plan.channel_route(&channel.operations, g)))
        .collect();
    let addresses = plan.routing.channels.iter().map(|c| &c.address);
    let channel_count = Literal::usize_unsuffixed(channels.len());
    let hmac = match plan.space.names.security_consts.iter().flatten().next() {
        Some(constant) => {
            let name = ident(constant);
            quote!(Some(#name))
        }
        None => quote!(None),
    };
    let names = plan.routes.iter().map(|route| match route {
        Route::Operation { group, .. } | Route::Shared(group) => plan.routing.label(api, *group),
    });
    let route_names: Vec<_> = plan.route_names.iter().map(|name| ident(name)).collect();
    let numbers = (0..route_names.len()).map(Literal::usize_unsuffixed);
    let route_count = Literal::usize_unsuffixed(route_names.len());
    let arms = plan.routes.iter().zip(&route_names).map(|(route, name)| {
        let decoder = route_decoder(plan, *route);
        quote!(message::#name => #decoder,)
    });
    let deliver_arms = deliver_arms(plan);
    quote! {
        /// This API's callbacks, for the runtime's [`Receiver`](webhook::Receiver) and
        /// [`Dispatcher`](webhook::Dispatcher).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct Webhooks;

        /// Verifies and decodes callbacks, without I/O.
        pub type Receiver = webhook::Receiver<Webhooks>;

        /// A [`Receiver`] with a [`Handler`]: turns a request into the status to answer, and
        /// remembers accepted callbacks in `S` (this process's memory unless you name a store).
        pub type Dispatcher<H, S = webhook::MemoryStore> = webhook::Dispatcher<Webhooks, H, S>;

        /// The messages a body can be, numbered for the runtime's tables (`BY_PAYLOAD`,
        /// `BY_CHANNEL`); `NAMES` holds their keys in the same order.
        mod message {
            #(pub const #route_names: usize = #numbers;)*

            pub const NAMES: [&str; #route_count] = [#(#names),*];
        }

        /// How a body posted to the single URL is matched to its message.
        const BY_PAYLOAD: webhook::Discriminator = {
            use webhook::Discriminator;
            #by_payload
        };

        /// How a body posted to each channel is matched to its message.
        const BY_CHANNEL: [webhook::Discriminator; #channel_count] = {
            use webhook::Discriminator;
            [#(#channels),*]
        };

        impl webhook::Decode for Webhooks {
            type Callback = Event;
            const CHANNELS: &'static [&'static str] = &[#(#addresses),*];
            const HMAC: Option<webhook::HmacScheme> = #hmac;

            fn decode(body: &[u8]) -> Result<Event, webhook::MalformedBody> {
                webhook::decode(body, &BY_PAYLOAD)
            }

            fn decode_channel(channel: usize, body: &[u8]) -> Result<Event, webhook::MalformedBody> {
                let discriminator = BY_CHANNEL.get(channel).unwrap_or(&BY_PAYLOAD);
                webhook::decode(body, discriminator)
            }
        }

        impl webhook::Messages for Event {
            const NAMES: &'static [&'static str] = &message::NAMES;

            fn decode<'de, D: Deserializer<'de>>(index: usize, deserializer: D) -> Result<Self, D::Error> {
                match index {
                    #(#arms)*
                    _ => Err(de::Error::custom("no such message")),
                }
            }

            fn unknown(event: UnknownEvent) -> Self {
                Event::Unknown(event)
            }
        }

        impl<H: Handler> webhook::Deliver<H> for Webhooks {
            fn deliver(event: Event, handler: &H, context: Context<'_>) -> impl Future<Output = Outcome> + Send {
                deliver(event, handler, context)
            }
        }

        async fn deliver<H: Handler>(event: Event, handler: &H, context: Context<'_>) -> Outcome {
            match event {
                #(#deliver_arms)*
                Event::Unknown(event) => handler.unknown(event, context).await,
            }
        }

        /// Serves a [`Dispatcher`] over HTTP: `POST /` decoded by payload, `POST <channel>` by
        /// channel.
        #[cfg(feature = "axum")]
        #[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
        pub fn router<H: Handler>(receiver: Receiver, handler: H) -> webhook::axum::Router {
            webhook::axum::router(Dispatcher::new(receiver, handler))
        }
    }
}

fn deliver_arms(plan: &Plan) -> Vec<TokenStream> {
    let mut arms = Vec::new();
    for (o, _) in &plan.operations {
        let variant = ident(plan.names.event_variants[*o].as_deref().unwrap_or_default());
        let method = ident(plan.names.methods[*o].as_deref().unwrap_or_default());
        arms.push(quote!(Event::#variant(payload) => handler.#method(*payload, context).await,));
    }
    for &group in &plan.shared {
        let variant = ident(plan.shared_variant(group));
        let method = ident(plan.shared_method(group));
        arms.push(quote!(Event::#variant(payload) => handler.#method(*payload, context).await,));
    }
    arms
}

#[cfg(test)]
mod tests {
    use crate::{generate, CrateOptions};

    fn webhooks_rs(address: &str) -> String {
        let dir = tempfile::tempdir().unwrap();
        let spec = dir.path().join("spec.yaml");
        let text = format!(
            "asyncapi: 2.6.0\ninfo: {{title: Rooms, version: '1'}}\nchannels:\n  '{address}':\n    publish:\n      \
             message: {{payload: {{type: object}}}}\n"
        );
        std::fs::write(&spec, text).unwrap();
        let krate = generate(&spec, &CrateOptions::new("rooms", "spec.yaml")).unwrap_or_else(|e| panic!("{e}"));
        krate.file("src/webhooks.rs").expect("a webhooks module").to_owned()
    }

    #[test]
    fn the_module_doc_says_how_channel_parameters_are_served() {
        let file = webhooks_rs("/rooms/{roomId}/notes");
        assert!(file.contains(r#"&["/rooms/{roomId}/notes"]"#), "{file}");
        assert!(file.contains("[`Context::parameter`] gives a value"), "{file}");
        assert!(!webhooks_rs("/notes").contains("Context::parameter"), "only where an address has parameters");
    }
}
