//! Receiving webhook callbacks: authentication, routing a body to its message, and the
//! HTTP status each outcome is answered with.
//!
//! A generated crate implements [`Decode`] (which messages exist and how a body becomes
//! one) and [`Deliver`] (which handler method each message goes to); everything else lives
//! here, written once:
//!
//! - [`Receiver`] checks the size, verifies the sender ([`Verifier`]) over the raw bytes, then
//!   decodes by channel or by payload. It does no I/O.
//! - [`Dispatcher`] adds a handler and answers each request with the status the sender's
//!   retry contract expects (see [`Outcome`] and [`Rejection`]). It hands each callback to
//!   the handler at most once per window, whatever the sender replays or retries (see
//!   [`ReplayStore`]), with a [`Context`], and logs one structured line per request.
//! - With the `axum` feature, [`router`](axum::router) serves a dispatcher over HTTP.

mod auth;
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod axum;
mod channel;
#[cfg(feature = "example")]
#[cfg_attr(docsrs, doc(cfg(feature = "example")))]
pub mod example;
mod payload;
mod receiver;
mod replay;

/// The crate's [`Secret`], named here too because verifiers are built from one.
pub use crate::Secret;
pub use auth::{AuthError, Encoding, HmacScheme, SecretFormat, Signed, Verifier};
pub use payload::{decode, dedup_key, Discriminator, MalformedBody, Messages, UnknownEvent};
#[cfg(all(test, feature = "testing"))]
pub(crate) use receiver::fixture;
pub use receiver::{Callback, Context, Decode, Deliver, Dispatcher, Disposition, Outcome, Receiver, Record, Rejection};
pub use replay::{Claim, MemoryStore, ReplayStore, StoreError, DEFAULT_WINDOW};
