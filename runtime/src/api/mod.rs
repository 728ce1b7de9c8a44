//! Typed HTTP API clients and servers: the generic half of what the generator emits for an
//! OpenAPI spec.
//!
//! For each operation a generated crate has a `Request` struct, a `Response` enum (one variant
//! per declared status, plus `Undeclared`), [`Validate`] impls for its schema types, a `Service`
//! trait and a [`Routes`] impl. Everything that does not depend on the spec lives here, written
//! and tested once:
//!
//! - [`validate`]: schema constraints (`minLength`, `maximum`, `uniqueItems`, `format`, ...),
//!   collecting every [`Violation`] with its field and rule, never the value.
//! - [`client`]: [`RequestBuilder`] (path templates, percent-encoding, query, JSON body),
//!   headers and cookies, [`Credentials`] for Basic, Bearer and API keys, [`decode_body`], and the error types. No I/O.
//! - [`server`]: [`Server`] routes a request to its operation, checks credentials and size,
//!   and answers refusals (404, 405, 401, 413, 400) with RFC 9457 problem details. No I/O.
//! - With the `axum` feature, `axum::router` serves a [`Server`] over HTTP.
//! - With the `reqwest` feature, `reqwest::HttpClient` sends requests, and
//!   `reqwest::pages` walks a paginated list as a `Stream`.

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod axum;
pub mod client;
mod json;
#[cfg(feature = "reqwest")]
#[cfg_attr(docsrs, doc(cfg(feature = "reqwest")))]
pub mod reqwest;
pub mod server;
pub mod validate;

pub use client::{
    decode_body, empty_response, json_response, raw_response, ClientError, Credentials, KeyLocation, RequestBuilder,
    RequestError, ResponseError, Scheme,
};
pub use server::{
    cookie, header, json_body, optional_json_body, optional_param, required_param, Caller, PathParams, Query, Refusal,
    Route, Routes, Server,
};
pub use validate::{Rules, Validate, Violation, Violations};
