//! `operations.rs`: for every HTTP operation a module with its `Request` (path, query, header
//! and cookie parameters, body: optional unless `requestBody.required`) and `Response` (one variant per declared status, the rest kept with
//! status and body); then the `Service` trait a server implements, its `Routes`, and, with
//! the `reqwest` feature, a `Client`.
//!
//! The core does no I/O: a `Request` becomes an `http::Request` and an `http::Response`
//! becomes a `Response`, each validated against the spec's constraints on the way
//! (see `validate.rs`); the runtime's `api` module does the rest, written once.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use heck::{ToShoutySnakeCase, ToSnakeCase};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::validate::{field_check, Checks};
use super::{docs, format_spaced, ident, runtime_imports, source_file, Space};
use crate::ir::{Constraints, Operation, Parameter, ParameterLocation, SecurityKind, Status, Ty, TypeKind};

/// The HTTP operations of an API: those at a path (OpenAPI `webhooks` are received, not called).
pub fn http_operations(space: &Space) -> Vec<usize> {
    let api = space.api;
    if !api.is_openapi() {
        return Vec::new();
    }
    // Webhooks and callbacks receive messages: they are the `webhooks` module's.
    (0..api.operations.len())
        .filter(|i| api.operations[*i].messages.is_empty() && api.operations[*i].address.starts_with('/'))
        .collect()
}

/// What emission needs to know about one operation, names resolved.
struct Op<'a> {
    op: &'a Operation,
    module: Ident,
    /// The `Client` method streaming pages, for a paged list.
    pages: Ident,
    /// Each parameter the `Request` holds, with its field.
    params: Vec<(&'a Parameter, Ident)>,
    /// Per parameter in `params`: its local in `from_parts`.
    bindings: Vec<Ident>,
    body: Option<&'a Ty>,
    /// Whether the body must be sent (`requestBody.required`); `Request::body` is an `Option`
    /// otherwise.
    body_required: bool,
    responses: Vec<Reply<'a>>,
    paging: Option<Paging>,
}

/// One declared response.
struct Reply<'a> {
    status: Status,
    variant: Ident,
    body: Option<&'a Ty>,
    doc: String,
}

/// An AIP-158 style paged list: a `pageToken` query parameter and a `nextPageToken` field.
struct Paging {
    token_param: Ident,
    token_required: bool,
    next_field: Ident,
    next_required: bool,
    page: TokenStream,
    /// The response variant carrying a page.
    ok: Ident,
}

pub fn operations_rs(space: &Space, header: &str) -> String {
    let checks = Checks::new(space.api);
    let ops: Vec<Op> = http_operations(space).into_iter().map(|index| plan(space, index)).collect();
    let operations: Vec<TokenStream> = ops.iter().map(|op| operation_module(space, &checks, op)).collect();
    let service = service_trait(&ops);
    let routes = routes_impl(&ops);
    let client = client(&ops);
    let doc = " The API's operations: typed requests and responses, a `Service` trait for servers and, with the `reqwest` feature, a `Client`.";
    // The models' own imports are private to `models`: what a parameter or body spells with a
    // runtime type (`Timestamp`, `IndexMap<String, i32>`) is imported here.
    // The crate's types are spelled by path (`models::Service`): the modules are imported, not
    // their items, which could be named like this file's own (`Service`, `Client`).
    let (mut imports, mut modules) = (BTreeSet::new(), BTreeSet::new());
    for op in &ops {
        let params = op.params.iter().map(|(param, _)| param_ty(space, param));
        let bodies = op.body.into_iter().chain(op.responses.iter().filter_map(|reply| reply.body));
        let tys = params.chain(bodies).collect::<Vec<&Ty>>();
        runtime_imports(&tys, &mut imports);
        space.type_modules(&tys, &mut modules);
    }
    let runtime: Vec<Ident> = imports.iter().map(|name| ident(name)).collect();
    let runtime = (!runtime.is_empty()).then(|| quote!(use hookwright_runtime::{#(#runtime),*};));
    let modules: Vec<Ident> = modules.iter().map(|name| ident(name)).collect();
    let modules = (!modules.is_empty()).then(|| quote!(use super::{#(#modules),*};));
    let inner = quote! {
        #![doc = #doc]
        use std::future::Future;

        use hookwright_runtime::api::validate::Validate;
        use hookwright_runtime::api::{client, server, validate};
        use hookwright_runtime::http::{self, Method, StatusCode};
        #runtime

        #modules
    };
    let body = format_spaced(quote!(#(#operations)* #service #routes #client));
    source_file(header, inner, &body)
}

fn plan<'a>(space: &'a Space, index: usize) -> Op<'a> {
    let op = &space.api.operations[index];
    let names = &space.names.operations[index];
    let (params, bindings): (Vec<_>, Vec<_>) = (op.parameters.iter().enumerate())
        .map(|(i, p)| ((p, ident(&names.fields[i])), ident(&names.bindings[i])))
        .unzip();
    let responses: Vec<Reply> =
        op.responses.iter().zip(&names.responses).map(|(r, variant)| reply(r, variant)).collect();
    let paging = paging(space, &params, &responses);
    Op {
        op,
        module: ident(&names.module),
        pages: ident(&names.pages),
        params,
        bindings,
        body: op.request_body.as_ref().map(|request| &request.body.ty),
        body_required: op.request_body.as_ref().is_some_and(|request| request.required),
        responses,
        paging,
    }
}

fn reply<'a>(response: &'a crate::ir::Response, variant: &str) -> Reply<'a> {
    let status = response.status;
    let mut doc = format!("`{}`", response.status);
    if let Some(text) = &response.doc {
        let _ = write!(doc, ": {}", docs::one_line(text));
    }
    Reply { status, variant: ident(variant), body: response.body.as_ref().map(|body| &body.ty), doc }
}

fn paging(space: &Space, params: &[(&Parameter, Ident)], responses: &[Reply]) -> Option<Paging> {
    let (token, token_param) = params
        .iter()
        .find(|(p, _)| p.location == ParameterLocation::Query && p.name.to_snake_case() == "page_token")?;
    let ok = responses.iter().find(|r| matches!(r.status, Status::Code(200..=299)))?;
    let Some(Ty::Named(id)) = ok.body else { return None };
    let TypeKind::Struct { fields } = &space.api.types[id.0].kind else { return None };
    let index = fields.iter().position(|f| f.wire.to_snake_case() == "next_page_token" && f.ty == Ty::String)?;
    Some(Paging {
        token_param: token_param.clone(),
        token_required: token.required,
        next_field: ident(&space.names.types[id.0].fields[index]),
        next_required: fields[index].required,
        page: space.path_type(&Ty::Named(*id)),
        ok: ok.variant.clone(),
    })
}

/// A parameter's type as the request holds it: what a query string cannot carry as a value
/// travels as text.
fn param_ty<'a>(space: &Space, param: &'a Parameter) -> &'a Ty {
    if space.api.is_scalar(&param.ty) {
        &param.ty
    } else {
        &Ty::String
    }
}

/// A parameter's Rust type.
fn param_type(space: &Space, param: &Parameter) -> TokenStream {
    let ty = space.path_type(param_ty(space, param));
    if param.required {
        ty
    } else {
        quote!(Option<#ty>)
    }
}

fn operation_module(space: &Space, checks: &Checks, op: &Op) -> TokenStream {
    let module = &op.module;
    let doc = docs::attrs(&operation_doc(op.op));
    let request = request_struct(space, checks, op);
    let response = response_enum(space, op);
    quote! {
        #doc
        pub mod #module {
            use super::*;

            #request
            #response
        }
    }
}

fn operation_doc(op: &Operation) -> String {
    let mut doc = format!("`{}`: `{} {}`", op.id, op.action.as_str(), op.address);
    if let Some(summary) = &op.summary {
        let _ = write!(doc, ", {}", docs::one_line(summary));
    }
    if let Some(description) = &op.description {
        let _ = write!(doc, "\n\n{description}");
    }
    doc
}

fn request_struct(space: &Space, checks: &Checks, op: &Op) -> TokenStream {
    let fields = op.params.iter().map(|(param, name)| {
        let doc = docs::attrs(&param_doc(param));
        let ty = param_type(space, param);
        quote!(#doc pub #name: #ty,)
    });
    let body_field = op.body.map(|ty| {
        let ty = space.path_type(ty);
        if op.body_required {
            quote!(#[doc = " The request body."] pub body: #ty,)
        } else {
            quote!(#[doc = " The request body, which may be left out."] pub body: Option<#ty>,)
        }
    });
    let method = ident(op.op.action.as_str());
    let security = security(space, op.op);
    let path = &op.op.address;
    let validate = request_validate(space, checks, op);
    let (new, arguments) = request_new(space, op);
    // With nothing to pass, `new()` is what `Default` would be, and clippy asks for both.
    let derives = if arguments == 0 {
        quote!(#[derive(Debug, Clone, PartialEq, Default)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq)])
    };
    let to_http = request_to_http(op);
    let from_parts = request_from_parts(op);
    quote! {
        /// The parameters and body of a call.
        #derives
        #[non_exhaustive]
        pub struct Request {
            #(#fields)*
            #body_field
        }

        impl Request {
            /// The HTTP method.
            pub const METHOD: Method = Method::#method;
            /// The path, with `{name}` for each path parameter.
            pub const PATH: &'static str = #path;
            /// The spec's `security`: a caller authenticates with every scheme of one of these
            /// sets. Empty when the operation needs none; an empty set allows anonymous calls.
            pub const SECURITY: &'static [&'static [client::Scheme]] = &[#(#security),*];

            #new
            #to_http
            #from_parts
        }

        #validate
    }
}

/// `Request::new`, which takes the required parameters in the spec's order, then the body;
/// and how many arguments it takes.
fn request_new(space: &Space, op: &Op) -> (TokenStream, usize) {
    let required = op.params.iter().filter(|(param, _)| param.required);
    let mut arguments: Vec<TokenStream> = required
        .map(|(param, name)| {
            let ty = param_type(space, param);
            quote!(#name: #ty)
        })
        .collect();
    arguments.extend(op.body.filter(|_| op.body_required).map(|ty| {
        let ty = space.path_type(ty);
        quote!(body: #ty)
    }));
    let inits = op.params.iter().map(|(param, name)| if param.required { quote!(#name) } else { quote!(#name: None) });
    let body = op.body.map(|_| if op.body_required { quote!(body) } else { quote!(body: None) });
    let allow = (arguments.len() > super::models::MAX_ARGUMENTS).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let takes = if op.body.is_some() && op.body_required {
        "the required parameters, in the spec's order, then the body"
    } else {
        "the required parameters, in the spec's order"
    };
    let doc = format!(" `new` takes {takes}; set optional ones on the result.");
    let new = quote! {
        #[doc = #doc]
        ///
        /// The struct is `#[non_exhaustive]`, so that a parameter the spec adds is not a
        /// breaking change.
        #allow
        pub fn new(#(#arguments),*) -> Self {
            Self { #(#inits,)* #body }
        }
    };
    (new, arguments.len())
}

fn param_doc(param: &Parameter) -> String {
    let mut doc = format!("`{}` ({}).", param.name, param.location.as_str());
    if let Some(text) = &param.doc {
        let _ = write!(doc, " {text}");
    }
    let rules = super::docs::constraint_text(&param.constraints);
    if !rules.is_empty() {
        let _ = write!(doc, "\n\nConstraints: {}.", rules.join(", "));
    }
    doc
}

fn request_validate(space: &Space, checks: &Checks, op: &Op) -> TokenStream {
    let params = op.params.iter().filter_map(|(param, name)| {
        let wire = format!("{}.{}", param.location.as_str(), param.name);
        // A parameter held as text is not checked against the constraints of what it encodes.
        let ty = param_ty(space, param);
        let constraints = if *ty == param.ty { param.constraints.clone() } else { Constraints::default() };
        field_check(&wire, name, ty, &constraints, param.required, checks)
    });
    let body = op
        .body
        .and_then(|ty| field_check("body", &ident("body"), ty, &Constraints::default(), op.body_required, checks));
    let statements: Vec<TokenStream> = params.chain(body).collect();
    if statements.is_empty() {
        return quote! {
            impl Validate for Request {
                fn validate_into(&self, _: &mut String, _: &mut Vec<validate::Violation>) {}
            }
        };
    }
    quote! {
        impl Validate for Request {
            fn validate_into(&self, at: &mut String, out: &mut Vec<validate::Violation>) {
                #(#statements)*
            }
        }
    }
}

fn request_to_http(op: &Op) -> TokenStream {
    let steps = op.params.iter().map(|(param, name)| {
        let wire = &param.name;
        let (required, optional) = match param.location {
            ParameterLocation::Path => return quote!(.path_param(#wire, &self.#name)),
            ParameterLocation::Query => (quote!(query), quote!(query_opt)),
            ParameterLocation::Header => (quote!(header), quote!(header_opt)),
            ParameterLocation::Cookie => (quote!(cookie), quote!(cookie_opt)),
        };
        if param.required {
            quote!(.#required(#wire, &self.#name))
        } else {
            quote!(.#optional(#wire, self.#name.as_ref()))
        }
    });
    let body =
        op.body
            .map(|_| if op.body_required { quote!(.json(&self.body)) } else { quote!(.json_opt(self.body.as_ref())) });
    quote! {
        /// The HTTP request to send to the server at `base_url`, after checking the
        /// spec's constraints.
        pub fn to_http(&self, base_url: &str) -> Result<http::Request<Vec<u8>>, client::RequestError> {
            self.validate("").map_err(client::RequestError::Invalid)?;
            client::RequestBuilder::new(Self::METHOD, base_url, Self::PATH)
                #(#steps)*
                #body
                .build()
        }
    }
}

/// `Request::from_parts`. Each parameter is read into its binding, a local that cannot hide
/// the arguments (`query`) or `out`, then moved into its field.
fn request_from_parts(op: &Op) -> TokenStream {
    let reads = op.params.iter().zip(&op.bindings).map(|((param, _), binding)| {
        let wire = &param.name;
        let field = format!("{}.{}", param.location.as_str(), param.name);
        let value = match param.location {
            ParameterLocation::Path => quote!(path.get(#wire)),
            ParameterLocation::Query => quote!(query.get(#wire)),
            ParameterLocation::Header => quote!(server::header(headers, #wire).as_deref()),
            ParameterLocation::Cookie => quote!(server::cookie(headers, #wire)),
        };
        let read = if param.required { quote!(required_param) } else { quote!(optional_param) };
        quote!(let #binding = server::#read(#value, #field, &mut out);)
    });
    let read_body = if op.body_required { quote!(json_body) } else { quote!(optional_json_body) };
    let body_read = op.body.map(|_| quote!(let body = server::#read_body(body, &mut out);));
    let body_ident = ident("body");
    let params = op.params.iter().zip(&op.bindings);
    let required = params.clone().filter(|((p, _), _)| p.required).map(|(_, binding)| binding);
    let required: Vec<&Ident> = required.chain(op.body.filter(|_| op.body_required).map(|_| &body_ident)).collect();
    let unwrap = match required.as_slice() {
        [] => quote!(),
        [one] => quote!(let Some(#one) = #one else { return Err(validate::Violations(out)) };),
        many => quote!(let (#(Some(#many)),*) = (#(#many),*) else { return Err(validate::Violations(out)) };),
    };
    let fields =
        params.map(|((_, field), binding)| if field == binding { quote!(#field) } else { quote!(#field: #binding) });
    let fields = fields.chain(op.body.map(|_| quote!(body)));
    let body_param = if op.body.is_some() { quote!(body) } else { quote!(_body) };
    let uses = |locations: &[ParameterLocation]| op.params.iter().any(|(p, _)| locations.contains(&p.location));
    let path_param = if uses(&[ParameterLocation::Path]) { quote!(path) } else { quote!(_path) };
    let query_param = if uses(&[ParameterLocation::Query]) { quote!(query) } else { quote!(_query) };
    let headers_param =
        if uses(&[ParameterLocation::Header, ParameterLocation::Cookie]) { quote!(headers) } else { quote!(_headers) };
    // Problems are only collected while something is read.
    let read = (!op.params.is_empty() || op.body.is_some()).then(|| {
        quote! {
            let mut out = Vec::new();
            #(#reads)*
            #body_read
            #unwrap
            if !out.is_empty() {
                return Err(validate::Violations(out));
            }
        }
    });
    quote! {
        /// The request a server received, parsed and checked against the spec: every
        /// problem found, each naming its field.
        pub fn from_parts(#path_param: &server::PathParams, #query_param: &server::Query, #headers_param: &http::HeaderMap, #body_param: &[u8]) -> Result<Self, validate::Violations> {
            #read
            let request = Self { #(#fields),* };
            request.validate("")?;
            Ok(request)
        }
    }
}

fn response_enum(space: &Space, op: &Op) -> TokenStream {
    let has_default = op.responses.iter().any(|r| matches!(r.status, Status::Default));
    let variants = op.responses.iter().map(|reply| {
        let doc = docs::attrs(&reply.doc);
        let variant = &reply.variant;
        let body = reply.body.map(|ty| space.path_type(ty));
        match (reply.status, body) {
            (Status::Code(_), Some(body)) => quote!(#doc #variant(#body),),
            (Status::Code(_), None) => quote!(#doc #variant,),
            (_, Some(body)) => quote!(#doc #variant { status: StatusCode, body: #body },),
            (_, None) => quote!(#doc #variant { status: StatusCode },),
        }
    });
    let undeclared = (!has_default).then(|| {
        quote! {
            /// A status the spec does not declare, with the body as received.
            Undeclared { status: StatusCode, body: Vec<u8> },
        }
    });
    // Exact statuses before classes before `default`, whatever the spec's order, as OpenAPI
    // ranks them (and so that no arm is unreachable); a lone catch-all needs no `match`.
    let mut replies: Vec<&Reply> = op.responses.iter().collect();
    replies.sort_by_key(|reply| match reply.status {
        Status::Code(_) => 0,
        Status::Range(_) => 1,
        Status::Default => 2,
    });
    let mut arms: Vec<(TokenStream, TokenStream)> = replies.into_iter().map(from_http_arm).collect();
    if !has_default {
        arms.push((quote!(_), quote!(Self::Undeclared { status, body })));
    }
    let decode = match arms.as_slice() {
        [(_, value)] => quote!(#value),
        _ => {
            let arms = arms.iter().map(|(pattern, value)| quote!(#pattern => #value,));
            quote!(match status.as_u16() { #(#arms)* })
        }
    };
    let into_arms = op.responses.iter().map(into_http_arm);
    let undeclared_into =
        (!has_default).then(|| quote!(Self::Undeclared { status, body } => client::raw_response(status, body),));
    let status_arms = op.responses.iter().map(status_arm);
    let undeclared_status = (!has_default).then(|| quote!(Self::Undeclared { status, .. } => *status,));
    // The body is read when a declared response has one, or kept when the status is undeclared.
    let parts = if !has_default || op.responses.iter().any(|r| r.body.is_some()) {
        quote!(let (parts, body) = response.into_parts(); let status = parts.status;)
    } else {
        quote!(let status = response.status();)
    };
    // Bodies are held inline, as declared: a response is built once per call, and boxing one
    // would only make it harder to build and match.
    let allow = op
        .responses
        .iter()
        .any(|r| r.body.is_some())
        .then(|| quote!(#[allow(clippy::large_enum_variant, reason = "a response is built once per call")]));
    quote! {
        /// The answer to a call: one variant per status the spec declares.
        #[derive(Debug, Clone, PartialEq)]
        #allow
        pub enum Response {
            #(#variants)*
            #undeclared
        }

        impl Response {
            /// Decodes a response; a declared body is checked against the spec's constraints.
            pub fn from_http(response: http::Response<Vec<u8>>) -> Result<Self, client::ResponseError> {
                #parts
                Ok(#decode)
            }

            /// The HTTP response a server sends.
            pub fn into_http(self) -> http::Response<Vec<u8>> {
                match self {
                    #(#into_arms)*
                    #undeclared_into
                }
            }

            /// The HTTP status.
            pub fn status(&self) -> StatusCode {
                match self {
                    #(#status_arms)*
                    #undeclared_status
                }
            }
        }
    }
}

/// `StatusCode::NOT_FOUND` for a status with a canonical reason, else parsed from its number.
fn status_const(code: u16) -> TokenStream {
    match http::StatusCode::from_u16(code).ok().and_then(|s| s.canonical_reason()) {
        Some(reason) => {
            let name = ident(&reason.replace('\'', "").to_shouty_snake_case());
            quote!(StatusCode::#name)
        }
        None => {
            let code = Literal::u16_unsuffixed(code);
            quote!(StatusCode::from_u16(#code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        }
    }
}

/// The `(pattern, value)` of the arm that decodes `reply`.
fn from_http_arm(reply: &Reply) -> (TokenStream, TokenStream) {
    let variant = &reply.variant;
    let decode = quote!(client::decode_body(status, &body)?);
    let pattern = match reply.status {
        Status::Code(code) => {
            let code = Literal::u16_unsuffixed(code);
            quote!(#code)
        }
        Status::Range(class) => {
            let (low, high) = (Literal::u16_unsuffixed(class * 100), Literal::u16_unsuffixed(class * 100 + 99));
            quote!(#low..=#high)
        }
        Status::Default => quote!(_),
    };
    let value = match (reply.status, reply.body) {
        (Status::Code(_), Some(_)) => quote!(Self::#variant(#decode)),
        (Status::Code(_), None) => quote!(Self::#variant),
        (_, Some(_)) => quote!(Self::#variant { status, body: #decode }),
        (_, None) => quote!(Self::#variant { status }),
    };
    (pattern, value)
}

fn into_http_arm(reply: &Reply) -> TokenStream {
    let variant = &reply.variant;
    match (reply.status, reply.body) {
        (Status::Code(code), Some(_)) => {
            let status = status_const(code);
            quote!(Self::#variant(body) => client::json_response(#status, &body),)
        }
        (Status::Code(code), None) => {
            let status = status_const(code);
            quote!(Self::#variant => client::empty_response(#status),)
        }
        (_, Some(_)) => quote!(Self::#variant { status, body } => client::json_response(status, &body),),
        (_, None) => quote!(Self::#variant { status } => client::empty_response(status),),
    }
}

fn status_arm(reply: &Reply) -> TokenStream {
    let variant = &reply.variant;
    match (reply.status, reply.body) {
        (Status::Code(code), Some(_)) => {
            let status = status_const(code);
            quote!(Self::#variant(_) => #status,)
        }
        (Status::Code(code), None) => {
            let status = status_const(code);
            quote!(Self::#variant => #status,)
        }
        _ => quote!(Self::#variant { status, .. } => *status,),
    }
}

fn service_trait(ops: &[Op]) -> TokenStream {
    let methods = ops.iter().map(|op| {
        let doc = docs::attrs(&operation_doc(op.op));
        let module = &op.module;
        quote! {
            #doc
            fn #module(&self, request: #module::Request, caller: server::Caller) -> impl Future<Output = #module::Response> + Send;
        }
    });
    quote! {
        /// A server of this API: one method per operation, each given a request already
        /// parsed and checked against the spec, and the [`server::Caller`]: the credentials
        /// that let it in (authentication is checked by the [`Server`]).
        pub trait Service: Send + Sync + 'static {
            #(#methods)*
        }
    }
}

fn routes_impl(ops: &[Op]) -> TokenStream {
    let routes = ops.iter().map(|op| {
        let module = &op.module;
        let id = &op.op.id;
        quote!(server::Route { method: #module::Request::METHOD, template: #module::Request::PATH, operation: #id, security: #module::Request::SECURITY },)
    });
    let arms = ops.iter().enumerate().map(|(index, op)| {
        let module = &op.module;
        let index = Literal::usize_unsuffixed(index);
        quote! {
            #index => {
                let request = #module::Request::from_parts(&path, &query, headers, body)?;
                Ok(service.#module(request, caller).await.into_http())
            }
        }
    });
    quote! {
        /// Which [`Service`] method serves each method and path.
        pub struct Routes;

        impl<S: Service> server::Routes<S> for Routes {
            const ROUTES: &'static [server::Route] = &[#(#routes)*];

            async fn call(service: &S, route: usize, caller: server::Caller, path: server::PathParams, query: server::Query, headers: &http::HeaderMap, body: &[u8]) -> Result<http::Response<Vec<u8>>, validate::Violations> {
                match route {
                    #(#arms)*
                    _ => unreachable!("route {route} is not in Routes::ROUTES"),
                }
            }
        }

        /// A server of this API: routes requests to `S`, checking credentials and the spec's constraints first.
        pub type Server<S> = server::Server<Routes, S>;

        /// An axum `Router` serving `server`.
        #[cfg(feature = "axum")]
        #[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
        pub fn router<S: Service>(server: Server<S>) -> hookwright_runtime::api::axum::Router {
            hookwright_runtime::api::axum::router(server)
        }
    }
}

/// The requirement sets of an operation's `security`, each `&[scheme, ...]`, in the spec's
/// order (a set listed twice, once). A scheme the runtime cannot read is listed as
/// `Unsupported`, so that its set is never met and the operation never served without its
/// declared security (the reader warns about it).
fn security(space: &Space, op: &Operation) -> Vec<TokenStream> {
    let mut out: Vec<TokenStream> = Vec::new();
    for set in &op.security {
        let mut schemes: Vec<TokenStream> = Vec::new();
        for key in set {
            push_new(&mut schemes, scheme(space, key));
        }
        push_new(&mut out, quote!(&[#(#schemes),*]));
    }
    out
}

/// Adds `tokens` to `list` unless it holds them already: two scheme keys can name the same
/// runtime scheme (two bearer schemes), and a spec can list a set twice.
fn push_new(list: &mut Vec<TokenStream>, tokens: TokenStream) {
    if !list.iter().any(|seen| seen.to_string() == tokens.to_string()) {
        list.push(tokens);
    }
}

/// The runtime's `client::Scheme` for the security scheme `key`.
fn scheme(space: &Space, key: &str) -> TokenStream {
    let scheme = space.api.security_schemes.iter().find(|s| s.key == key);
    let unsupported = quote!(client::Scheme::Unsupported { name: #key });
    match scheme.map(|s| &s.kind) {
        Some(SecurityKind::HttpBasic) => quote!(client::Scheme::Basic),
        Some(SecurityKind::HttpBearer { .. }) => quote!(client::Scheme::Bearer),
        Some(kind @ SecurityKind::ApiKey { name, .. }) => {
            let key = |location: TokenStream| quote!(client::Scheme::ApiKey { location: client::KeyLocation::#location, name: #name });
            match kind.api_key_location() {
                Some(ParameterLocation::Header) => key(quote!(Header)),
                Some(ParameterLocation::Query) => key(quote!(Query)),
                Some(ParameterLocation::Cookie) => key(quote!(Cookie)),
                Some(ParameterLocation::Path) | None => unsupported,
            }
        }
        Some(kind) if kind.is_oauth() => quote!(client::Scheme::OAuth2),
        // Another type, or a requirement naming no declared scheme.
        Some(SecurityKind::Other(_)) | None => unsupported,
    }
}

fn client(ops: &[Op]) -> TokenStream {
    let methods = ops.iter().map(|op| {
        let doc = docs::attrs(&operation_doc(op.op));
        let module = &op.module;
        let pages = op.paging.as_ref().map(|paging| pages_method(op, paging));
        quote! {
            #doc
            pub async fn #module(&self, request: &#module::Request) -> Result<#module::Response, client::ClientError> {
                let response = self.http.send_as(request.to_http(self.http.base_url())?, #module::Request::SECURITY).await?;
                Ok(#module::Response::from_http(response)?)
            }

            #pages
        }
    });
    quote! {
        /// A client of this API over HTTP, with the credentials given to its [`HttpClient`](hookwright_runtime::api::reqwest::HttpClient).
        #[cfg(feature = "reqwest")]
        #[cfg_attr(docsrs, doc(cfg(feature = "reqwest")))]
        #[derive(Debug, Clone)]
        pub struct Client {
            http: hookwright_runtime::api::reqwest::HttpClient,
        }

        #[cfg(feature = "reqwest")]
        impl Client {
            /// A client sending through `http`.
            pub fn new(http: hookwright_runtime::api::reqwest::HttpClient) -> Self {
                Self { http }
            }

            #(#methods)*
        }
    }
}

fn pages_method(op: &Op, paging: &Paging) -> TokenStream {
    let module = &op.module;
    let name = &op.pages;
    let page = &paging.page;
    let next = &paging.next_field;
    let token = &paging.token_param;
    let ok = &paging.ok;
    let next_token = if paging.next_required { quote!(Some(page.#next.clone())) } else { quote!(page.#next.clone()) };
    let set_token =
        if paging.token_required { quote!(request.#token = token) } else { quote!(request.#token = Some(token)) };
    let doc =
        format!(" Every page of [`Client::{module}`], from `request`'s on, following each page's next-page token.");
    quote! {
        #[doc = #doc]
        pub fn #name(&self, request: #module::Request) -> impl hookwright_runtime::api::reqwest::Stream<Item = Result<#page, client::ClientError>> + Send {
            let this = self.clone();
            let fetch = move |request: #module::Request| {
                let this = this.clone();
                async move {
                    match this.#module(&request).await? {
                        #module::Response::#ok(page) => Ok(page),
                        other => {
                            let response = other.into_http();
                            Err(client::ClientError::Unexpected { status: response.status(), body: response.into_body() })
                        }
                    }
                }
            };
            hookwright_runtime::api::reqwest::pages(
                request,
                fetch,
                |page: &#page| #next_token,
                |request: &mut #module::Request, token: String| #set_token,
            )
        }
    }
}
