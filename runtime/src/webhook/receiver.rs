//! From an HTTP request to a handler's outcome, and the status that answers it.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;

use http::{HeaderMap, StatusCode};
use serde::Serialize;

use super::{AuthError, HmacScheme, MalformedBody, Verifier};

/// A decoded callback, as the HTTP glue and the example receiver see it.
pub trait Callback: Serialize + Send + 'static {
    /// The message's key in the spec, or `None` for a callback that fits no message.
    fn message(&self) -> Option<&'static str>;
    /// The operation's id, when the channel or the payload tells it.
    fn operation(&self) -> Option<&'static str>;
    /// A key that is the same for retries of one callback (senders retry, so duplicates are
    /// normal), when the payload has one.
    fn dedup_key(&self) -> Option<String>;
    /// For a callback that fits no message, why.
    fn unknown_reason(&self) -> Option<&str>;
}

/// What a generated crate knows about its messages: implemented by generated code.
pub trait Decode: Send + Sync + 'static {
    type Callback: Callback;
    /// The channel addresses callbacks can be posted to, each decoded by channel.
    const CHANNELS: &'static [&'static str];
    /// The spec's HMAC signature scheme, if it has one.
    const HMAC: Option<HmacScheme>;

    /// Decodes a body by payload alone: the single-URL setup.
    fn decode(body: &[u8]) -> Result<Self::Callback, MalformedBody>;
    /// Decodes a body posted to `CHANNELS[channel]`.
    fn decode_channel(channel: usize, body: &[u8]) -> Result<Self::Callback, MalformedBody>;
}

/// Hands a decoded callback to the handler method for its operation: implemented by
/// generated code for every type implementing the crate's `Handler` trait.
pub trait Deliver<H>: Decode {
    fn deliver(callback: Self::Callback, handler: &H) -> impl Future<Output = Outcome> + Send;
}

/// What a handler decided about a callback. Each outcome is answered with the status the
/// sender's retry contract gives it:
///
/// | Outcome | Status | The sender |
/// |---|---|---|
/// | [`Accept`](Outcome::Accept) | 200 | is done |
/// | [`RetryLater`](Outcome::RetryLater) | 503 | retries later, with backoff |
/// | [`SlowDown`](Outcome::SlowDown) | 429 | retries, and lowers its rate |
/// | [`Reject`](Outcome::Reject) | 400 | never retries |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Outcome {
    #[default]
    Accept,
    RetryLater,
    SlowDown,
    Reject,
}

impl Outcome {
    pub const fn status(self) -> StatusCode {
        match self {
            Outcome::Accept => StatusCode::OK,
            Outcome::RetryLater => StatusCode::SERVICE_UNAVAILABLE,
            Outcome::SlowDown => StatusCode::TOO_MANY_REQUESTS,
            Outcome::Reject => StatusCode::BAD_REQUEST,
        }
    }
}

/// Why a request was refused before it reached a handler.
#[derive(Debug)]
#[non_exhaustive]
pub enum Rejection {
    /// The sender could not be verified: 401.
    Unauthorized(AuthError),
    /// The body is not JSON: 400.
    Malformed(MalformedBody),
    /// The body is larger than the receiver accepts: 413.
    TooLarge { limit: usize },
    /// The path is neither the root nor a channel of the spec: 404.
    UnknownChannel(String),
}

impl Rejection {
    pub fn status(&self) -> StatusCode {
        match self {
            Rejection::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Rejection::Malformed(_) => StatusCode::BAD_REQUEST,
            Rejection::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Rejection::UnknownChannel(_) => StatusCode::NOT_FOUND,
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::Unauthorized(error) => write!(f, "unauthorized: {error}"),
            Rejection::Malformed(error) => error.fmt(f),
            Rejection::TooLarge { limit } => write!(f, "the body is larger than the limit of {limit} bytes"),
            Rejection::UnknownChannel(path) => write!(f, "`{path}` is not a channel of this API"),
        }
    }
}

impl std::error::Error for Rejection {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Rejection::Unauthorized(error) => Some(error),
            Rejection::Malformed(error) => Some(error),
            _ => None,
        }
    }
}

/// Verifies and decodes callbacks of the API `D`, without I/O: the caller reads the request.
pub struct Receiver<D> {
    verifier: Verifier,
    max_body_bytes: usize,
    api: PhantomData<fn() -> D>,
}

impl<D> Clone for Receiver<D> {
    fn clone(&self) -> Self {
        Receiver { verifier: self.verifier.clone(), max_body_bytes: self.max_body_bytes, api: PhantomData }
    }
}

impl<D> fmt::Debug for Receiver<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("verifier", &self.verifier)
            .field("max_body_bytes", &self.max_body_bytes)
            .finish()
    }
}

impl<D: Decode> Receiver<D> {
    /// Callbacks are small; a larger body is refused before it is verified or parsed.
    pub const DEFAULT_MAX_BODY_BYTES: usize = 1 << 20;

    pub fn new(verifier: Verifier) -> Self {
        Receiver { verifier, max_body_bytes: Self::DEFAULT_MAX_BODY_BYTES, api: PhantomData }
    }

    /// The largest body accepted.
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    pub fn body_limit(&self) -> usize {
        self.max_body_bytes
    }

    pub fn verifier(&self) -> &Verifier {
        &self.verifier
    }

    /// Checks the size, verifies the sender over the raw `body`, then decodes it: by payload
    /// when `channel` is `None`, else as a callback posted to that channel address.
    pub fn receive(&self, channel: Option<&str>, headers: &HeaderMap, body: &[u8]) -> Result<D::Callback, Rejection> {
        let channel = match channel {
            Some(path) => Some(channel_index::<D>(path)?),
            None => None,
        };
        if body.len() > self.max_body_bytes {
            return Err(Rejection::TooLarge { limit: self.max_body_bytes });
        }
        self.verifier.verify(headers, body).map_err(Rejection::Unauthorized)?;
        match channel {
            Some(index) => D::decode_channel(index, body),
            None => D::decode(body),
        }
        .map_err(Rejection::Malformed)
    }
}

fn channel_index<D: Decode>(path: &str) -> Result<usize, Rejection> {
    D::CHANNELS.iter().position(|address| *address == path).ok_or_else(|| Rejection::UnknownChannel(path.to_owned()))
}

/// What happened to one request, for logging.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record<'a> {
    pub path: &'a str,
    pub status: StatusCode,
    pub message: Option<&'static str>,
    pub operation: Option<&'static str>,
    /// The decoded callback encoded as JSON again.
    pub payload: Option<String>,
    /// Why the request was refused.
    pub error: Option<String>,
    /// Why a callback that was accepted fits no message.
    pub unknown: Option<String>,
}

type Inspector = Arc<dyn Fn(&Record<'_>) + Send + Sync>;

/// A [`Receiver`] and a handler: turns a request into the status to answer it with.
pub struct Dispatcher<D, H> {
    receiver: Receiver<D>,
    handler: H,
    inspect: Option<Inspector>,
}

impl<D: Deliver<H>, H: Send + Sync + 'static> Dispatcher<D, H> {
    pub fn new(receiver: Receiver<D>, handler: H) -> Self {
        Dispatcher { receiver, handler, inspect: None }
    }

    /// Calls `inspect` once per request with what happened. The payload is encoded for it
    /// before the handler takes the callback, so only set this when you use it.
    pub fn inspect(mut self, inspect: impl Fn(&Record<'_>) + Send + Sync + 'static) -> Self {
        self.inspect = Some(Arc::new(inspect));
        self
    }

    pub fn receiver(&self) -> &Receiver<D> {
        &self.receiver
    }

    pub fn handler(&self) -> &H {
        &self.handler
    }

    /// Whether `path` is served: `/` (decoded by payload) or a channel address.
    pub fn serves(&self, path: &str) -> bool {
        path == "/" || D::CHANNELS.contains(&path)
    }

    /// Handles a request to `path`: `/` is decoded by payload, a channel address by channel.
    pub async fn dispatch(&self, path: &str, headers: &HeaderMap, body: &[u8]) -> StatusCode {
        let channel = (path != "/" || D::CHANNELS.contains(&path)).then_some(path);
        let mut record = Record {
            path,
            status: StatusCode::OK,
            message: None,
            operation: None,
            payload: None,
            error: None,
            unknown: None,
        };
        match self.receiver.receive(channel, headers, body) {
            Ok(callback) => {
                record.message = callback.message();
                record.operation = callback.operation();
                record.unknown = callback.unknown_reason().map(str::to_owned);
                if self.inspect.is_some() {
                    record.payload = serde_json::to_string(&callback).ok();
                }
                record.status = D::deliver(callback, &self.handler).await.status();
            }
            Err(rejection) => {
                record.status = rejection.status();
                record.error = Some(rejection.to_string());
            }
        }
        self.record(&record);
        record.status
    }

    /// Answers a request refused before its body could be read (a body over the limit).
    pub fn refuse(&self, path: &str, rejection: Rejection) -> StatusCode {
        let status = rejection.status();
        let error = Some(rejection.to_string());
        self.record(&Record { path, status, message: None, operation: None, payload: None, error, unknown: None });
        status
    }

    /// Logs what a receiver operator must see (a callback kept as unknown, a refusal) and
    /// calls the inspector.
    fn record(&self, record: &Record<'_>) {
        match (&record.error, record.message) {
            (Some(error), _) => {
                tracing::warn!(path = record.path, status = record.status.as_u16(), "refused a callback: {error}")
            }
            (None, None) => tracing::warn!(
                path = record.path,
                status = record.status.as_u16(),
                "a callback fits no message of the spec ({}); kept whole and handed to Handler::unknown",
                record.unknown.as_deref().unwrap_or("no reason given")
            ),
            (None, Some(message)) => {
                tracing::debug!(path = record.path, status = record.status.as_u16(), message, "callback")
            }
        }
        if let Some(inspect) = &self.inspect {
            inspect(record);
        }
    }
}
