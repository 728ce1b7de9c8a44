//! Support code for the crates the generator emits.
//!
//! Generated crates stay small and readable because the mechanics live here, written and
//! tested once instead of being emitted into every crate:
//!
//! - [`Timestamp`]: an RFC 3339 date-time that also accepts what real senders emit
//!   (no zone means UTC, up to nine fractional digits).
//! - [`object!`]: single-pass `Serialize`/`Deserialize` for a generated struct that keeps every
//!   field the spec does not name in an [`UnknownFields`] map, without the buffering that
//!   `#[serde(flatten)]` implies, so decoding then encoding reproduces the payload.
//! - [`open_enum!`]: a string enum with a catch-all variant, so a value the spec does not list
//!   never fails a whole message and re-encodes unchanged.
//! - [`one_of!`]: an enum with a variant per schema of a `oneOf`/`anyOf`, chosen by a tag or
//!   by looking at the value once ([`one_of::choose`]), never by trying variants in turn.
//! - [`Unknowns`]: lists, as JSON pointers, every value a decoded payload holds only in
//!   catch-alls: what the sender sent that the spec does not describe.
//! - [`Secret`]: a password, token or webhook secret that `Debug` never shows.
//! - [`webhook`]: receiving callbacks (AsyncAPI): verification, routing by payload, answers.
//! - [`api`]: typed HTTP API clients and servers (OpenAPI): validation of schema constraints,
//!   request building, Basic and Bearer credentials, routing, problem-details refusals, and
//!   (with features) an axum router, a reqwest client and paging as a `Stream`.
//! - [`testing`]: the assertion behind a generated crate's `tests/examples.rs`: each example
//!   of the spec decodes into its type and re-encodes to the same JSON.

pub mod api;
mod object;
pub mod one_of;
mod open_enum;
mod secret;
pub mod testing;
mod timestamp;
mod unknown_fields;
mod unknowns;
pub mod webhook;

/// The `http` crate the [`api`] module speaks (`Method`, `StatusCode`, `Request`, `Response`),
/// re-exported so generated crates and their users need no dependency of their own that could
/// drift to another version.
pub use http;
pub use indexmap::IndexMap;
pub use secret::Secret;
pub use serde_json::{Map, Value};
pub use timestamp::{Timestamp, TimestampError};
pub use unknown_fields::UnknownFields;
pub use unknowns::Unknowns;

#[doc(hidden)]
pub mod __private {
    pub use crate::object::{fill_optional, fill_required, push_segment, required, Key};
    pub use serde;
    pub use serde_json;
}
