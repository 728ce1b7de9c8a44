//! From an HTTP request to a handler's outcome, and the status that answers it.

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http::{HeaderMap, StatusCode};
use serde::Serialize;

use super::replay::{Claim, MemoryStore, ReplayStore, DEFAULT_WINDOW};
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

/// Hands a decoded callback and its [`Context`] to the handler method for its operation:
/// implemented by generated code for every type implementing the crate's `Handler` trait.
pub trait Deliver<H>: Decode {
    fn deliver(callback: Self::Callback, handler: &H, context: Context<'_>) -> impl Future<Output = Outcome> + Send;
}

/// How a callback arrived, for the handler: what it may need besides the payload (a header of
/// its own, the raw body to archive, the dedup key to store beside the data).
///
/// `Debug` shows the header names and the body's length, never their values: headers carry
/// signatures and credentials.
#[derive(Clone, Copy)]
#[non_exhaustive]
pub struct Context<'a> {
    /// The path the callback was posted to, as sent: `/`, or a channel's address (with a
    /// leading `/`, and the parameters' values in place of `{name}`).
    pub path: &'a str,
    /// The address of the channel posted to, as the spec writes it (`/rooms/{roomId}`);
    /// `None` for a callback decoded by payload at `/`.
    pub channel: Option<&'static str>,
    /// The operation's id, when the channel or the payload tells it.
    pub operation: Option<&'static str>,
    /// The message's key in the spec; `None` for a callback that fits no message.
    pub message: Option<&'static str>,
    /// The key that is the same for the sender's retries of this callback, when the spec
    /// names one (`x-dedup-key`).
    pub dedup_key: Option<&'a str>,
    /// The request's headers, as received.
    pub headers: &'a HeaderMap,
    /// The request's body, byte for byte as received (and as signed).
    pub body: &'a [u8],
}

impl<'a> Context<'a> {
    /// A context with no operation, message or dedup key (set the fields you need), e.g. to
    /// call a handler in a test.
    pub fn new(path: &'a str, headers: &'a HeaderMap, body: &'a [u8]) -> Self {
        Context { path, channel: None, operation: None, message: None, dedup_key: None, headers, body }
    }

    /// The value of the channel parameter `name` (`roomId` of `/rooms/{roomId}`) in the path,
    /// percent-decoded; `None` when the channel has no such parameter. A value that would
    /// name more than one resource once decoded (`.`, `..`, or holding `/`, `\`, a control
    /// character or invalid UTF-8) fits no channel: such a request is answered 404.
    pub fn parameter(&self, name: &str) -> Option<Cow<'a, str>> {
        super::channel::parameter(self.channel?, self.path, name)
    }
}

impl fmt::Debug for Context<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.keys().map(|name| name.as_str()).collect();
        f.debug_struct("Context")
            .field("path", &self.path)
            .field("channel", &self.channel)
            .field("operation", &self.operation)
            .field("message", &self.message)
            .field("dedup_key", &self.dedup_key)
            .field("header_names", &header_names)
            .field("body_len", &self.body.len())
            .finish()
    }
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
    /// The name logs give it: `accept`, `retry_later`, `slow_down`, `reject`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Outcome::Accept => "accept",
            Outcome::RetryLater => "retry_later",
            Outcome::SlowDown => "slow_down",
            Outcome::Reject => "reject",
        }
    }

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
    /// The body was not all sent within the server's body timeout: 408.
    TimedOut,
    /// The body was broken off or malformed (bad chunked encoding): 400.
    Unreadable,
    /// The path is neither the root nor a channel of the spec: 404.
    UnknownChannel(String),
}

impl Rejection {
    pub fn status(&self) -> StatusCode {
        match self {
            Rejection::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Rejection::Malformed(_) => StatusCode::BAD_REQUEST,
            Rejection::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Rejection::TimedOut => StatusCode::REQUEST_TIMEOUT,
            Rejection::Unreadable => StatusCode::BAD_REQUEST,
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
            Rejection::TimedOut => f.write_str("the body was not sent within the body timeout"),
            Rejection::Unreadable => f.write_str("the body could not be read (broken off or malformed)"),
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
        let channel = channel.map(channel_index::<D>).transpose()?;
        self.receive_at(channel, headers, body)
    }

    /// [`receive`](Receiver::receive) with the channel already found: `CHANNELS[channel]`.
    fn receive_at(&self, channel: Option<usize>, headers: &HeaderMap, body: &[u8]) -> Result<D::Callback, Rejection> {
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
    super::channel::find(D::CHANNELS, path).ok_or_else(|| Rejection::UnknownChannel(path.to_owned()))
}

/// The channel a request to `path` is decoded by: `None` at `/`, decoded by payload (unless
/// `/` is itself a channel's address).
fn channel_at<D: Decode>(path: &str) -> Result<Option<usize>, Rejection> {
    if path == "/" && !D::CHANNELS.contains(&"/") {
        return Ok(None);
    }
    channel_index::<D>(path).map(Some)
}

/// What was done with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Disposition {
    /// The handler got the callback and decided.
    Delivered(Outcome),
    /// Its nonce or dedup key was accepted within the window: answered 200, not delivered again.
    Duplicate,
    /// A request with the same nonce or dedup key is being handled now: answered 503, so the
    /// sender retries (and is then answered 200, or delivers it if that one was not accepted).
    InFlight,
    /// Refused before it reached the handler; [`Record::error`] says why.
    Refused,
    /// The [`ReplayStore`] failed, so it could not be told whether this is a duplicate:
    /// answered 503, so the sender retries.
    StoreFailed,
}

impl Disposition {
    /// The name logs give it: the outcome's name when delivered, else `duplicate`,
    /// `in_flight`, `refused` or `store_failed`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Disposition::Delivered(outcome) => outcome.as_str(),
            Disposition::Duplicate => "duplicate",
            Disposition::InFlight => "in_flight",
            Disposition::Refused => "refused",
            Disposition::StoreFailed => "store_failed",
        }
    }
}

/// What happened to one request, for logging: each request gives exactly one record.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Record<'a> {
    pub path: &'a str,
    pub status: StatusCode,
    pub outcome: Disposition,
    pub message: Option<&'static str>,
    pub operation: Option<&'static str>,
    pub dedup_key: Option<String>,
    /// From the body read to the answer, the handler included; zero for a request refused
    /// before its body was read.
    pub duration: Duration,
    /// The decoded callback encoded as JSON again.
    pub payload: Option<String>,
    /// Why the request was refused, or what went wrong with the replay store.
    pub error: Option<String>,
    /// Why a callback that was accepted fits no message.
    pub unknown: Option<String>,
}

impl<'a> Record<'a> {
    fn refused(path: &'a str, rejection: &Rejection) -> Self {
        Record {
            path,
            status: rejection.status(),
            outcome: Disposition::Refused,
            message: None,
            operation: None,
            dedup_key: None,
            duration: Duration::ZERO,
            payload: None,
            error: Some(rejection.to_string()),
            unknown: None,
        }
    }
}

type Inspector = Arc<dyn Fn(&Record<'_>) + Send + Sync>;

/// A [`Receiver`] and a handler: turns a request into the status to answer it with.
///
/// **Duplicates.** Senders deliver at least once; the dispatcher hands each callback to the
/// handler at most once per window. A request whose signature nonce, or whose dedup key
/// (`x-dedup-key`), was accepted within the window is answered 200 without a handler call.
/// Only accepted requests are remembered: after a 503, 429 or 400 the keys are let go, so
/// the sender's retry is delivered. While a request is being handled its keys are claimed,
/// and an identical request arriving meanwhile is answered 503 (the sender retries later).
/// Keys are kept in a [`MemoryStore`] unless [`replay_store`](Dispatcher::replay_store) names
/// a shared one, for the window [`replay_window`](Dispatcher::replay_window) describes.
///
/// A dispatch dropped before it finishes (the axum router runs each one to the end), or whose
/// handler panics, leaves its keys claimed until the window passes; until then, retries are
/// answered 503.
pub struct Dispatcher<D, H, S = MemoryStore> {
    receiver: Receiver<D>,
    handler: H,
    inspect: Option<Inspector>,
    store: S,
    window: Duration,
}

impl<D: Deliver<H>, H: Send + Sync + 'static> Dispatcher<D, H> {
    pub fn new(receiver: Receiver<D>, handler: H) -> Self {
        let window = default_window(receiver.verifier());
        Dispatcher { receiver, handler, inspect: None, store: MemoryStore::default(), window }
    }
}

impl<D: Deliver<H>, H: Send + Sync + 'static, S: ReplayStore> Dispatcher<D, H, S> {
    /// Calls `inspect` once per request with what happened. The payload is encoded for it
    /// before the handler takes the callback, so only set this when you use it.
    pub fn inspect(mut self, inspect: impl Fn(&Record<'_>) + Send + Sync + 'static) -> Self {
        self.inspect = Some(Arc::new(inspect));
        self
    }

    /// Keeps the keys of accepted callbacks in `store` instead of this process's memory: a
    /// store shared by every instance of the receiver.
    pub fn replay_store<T: ReplayStore>(self, store: T) -> Dispatcher<D, H, T> {
        let Dispatcher { receiver, handler, inspect, window, .. } = self;
        Dispatcher { receiver, handler, inspect, store, window }
    }

    /// How long the key of an accepted callback is remembered. Default: [`DEFAULT_WINDOW`], or
    /// longer when the verifier would still accept a replay of a signed timestamp later
    /// ([`Verifier::replay_horizon`]), so that no replay the verifier lets through is
    /// delivered twice. A shorter window lets such replays through.
    /// `Duration::ZERO` remembers nothing and claims nothing: every request is delivered.
    pub fn replay_window(mut self, window: Duration) -> Self {
        self.window = window;
        self
    }

    pub fn receiver(&self) -> &Receiver<D> {
        &self.receiver
    }

    pub fn handler(&self) -> &H {
        &self.handler
    }

    /// Whether `path` is served: `/` (decoded by payload) or a channel's address, with a
    /// value for each of its parameters.
    pub fn serves(&self, path: &str) -> bool {
        channel_at::<D>(path).is_ok()
    }

    /// Handles a request to `path`: `/` is decoded by payload, a channel address by channel.
    pub async fn dispatch(&self, path: &str, headers: &HeaderMap, body: &[u8]) -> StatusCode {
        let started = Instant::now();
        let received =
            channel_at::<D>(path).and_then(|channel| Ok((channel, self.receiver.receive_at(channel, headers, body)?)));
        let mut record = match received {
            Ok((channel, callback)) => {
                let channel = channel.map(|index| D::CHANNELS[index]);
                self.handle(callback, path, channel, headers, body).await
            }
            Err(rejection) => Record::refused(path, &rejection),
        };
        record.duration = started.elapsed();
        self.record(&record);
        record.status
    }

    /// Answers a request refused before its body could be read (over the limit, not sent in
    /// time, broken off).
    pub fn refuse(&self, path: &str, rejection: Rejection) -> StatusCode {
        let record = Record::refused(path, &rejection);
        self.record(&record);
        record.status
    }

    /// Delivers a decoded callback, posted to `path` (the address of `channel`), unless it is a
    /// duplicate, and says what was done.
    async fn handle<'a>(
        &self,
        callback: D::Callback,
        path: &'a str,
        channel: Option<&'static str>,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Record<'a> {
        let mut record = Record {
            path,
            status: StatusCode::OK,
            outcome: Disposition::Duplicate, // decided below
            message: callback.message(),
            operation: callback.operation(),
            dedup_key: callback.dedup_key(),
            duration: Duration::ZERO,
            payload: self.inspect.as_ref().and_then(|_| serde_json::to_string(&callback).ok()),
            error: None,
            unknown: callback.unknown_reason().map(str::to_owned),
        };
        let keys =
            if self.window.is_zero() { Vec::new() } else { replay_keys(D::HMAC, headers, record.dedup_key.as_deref()) };
        record.outcome = match self.claim(&keys).await {
            Ok(Claim::Claimed) => {
                let context = Context {
                    path,
                    channel,
                    operation: record.operation,
                    message: record.message,
                    dedup_key: record.dedup_key.as_deref(),
                    headers,
                    body,
                };
                let outcome = D::deliver(callback, &self.handler, context).await;
                record.error = self.settle(&keys, outcome).await;
                Disposition::Delivered(outcome)
            }
            Ok(Claim::Accepted) => Disposition::Duplicate,
            Ok(Claim::InFlight) => Disposition::InFlight,
            Err(error) => {
                record.error = Some(format!("the replay store failed: {error}"));
                Disposition::StoreFailed
            }
        };
        record.status = match record.outcome {
            Disposition::Delivered(outcome) => outcome.status(),
            Disposition::Duplicate => StatusCode::OK,
            _ => StatusCode::SERVICE_UNAVAILABLE,
        };
        record
    }

    /// Claims every key of a request: `Claimed` only when all were free. Otherwise the keys
    /// claimed so far are let go and the first answer that was not `Claimed` is given.
    async fn claim(&self, keys: &[String]) -> Result<Claim, super::replay::StoreError> {
        for (index, key) in keys.iter().enumerate() {
            let claim = self.store.claim(key, self.window).await;
            if !matches!(claim, Ok(Claim::Claimed)) {
                for held in &keys[..index] {
                    // A failed release only delays the retry: the claim lapses with the window.
                    let _ = self.store.release(held).await;
                }
                return claim;
            }
        }
        Ok(Claim::Claimed)
    }

    /// Keeps the keys of an accepted callback and lets go of the others. A store failure is
    /// returned for the record: the answer stands (the handler decided), but a replay of an
    /// accepted callback may then be delivered again.
    async fn settle(&self, keys: &[String], outcome: Outcome) -> Option<String> {
        let mut failure = None;
        for key in keys {
            let result = match outcome {
                Outcome::Accept => self.store.accept(key, self.window).await,
                _ => self.store.release(key).await,
            };
            if let Err(error) = result {
                failure = Some(format!("the replay store could not record the outcome: {error}"));
            }
        }
        failure
    }

    /// Logs one structured line per request and calls the inspector.
    ///
    /// The fields avoid the names tracing and its JSON formatter use themselves (`message`,
    /// `level`, `target`, `timestamp`, `fields`, `span`): the spec's message is `spec_message`.
    /// Headers, and so signatures and credentials, are never logged.
    fn record(&self, record: &Record<'_>) {
        macro_rules! log {
            ($level:expr, $text:literal) => {
                tracing::event!(
                    $level,
                    path = record.path,
                    status = record.status.as_u16(),
                    outcome = record.outcome.as_str(),
                    spec_message = record.message,
                    operation = record.operation,
                    dedup_key = record.dedup_key.as_deref(),
                    duration_us = u64::try_from(record.duration.as_micros()).unwrap_or(u64::MAX),
                    error = record.error.as_deref(),
                    unknown = record.unknown.as_deref(),
                    $text
                )
            };
        }
        match (record.outcome, &record.error, record.message) {
            (Disposition::Refused, ..) => log!(tracing::Level::WARN, "callback refused"),
            (_, Some(_), _) => log!(tracing::Level::WARN, "the replay store failed"),
            (_, None, None) => {
                log!(tracing::Level::WARN, "callback fits no message of the spec; kept whole for Handler::unknown")
            }
            (_, None, Some(_)) => log!(tracing::Level::INFO, "callback"),
        }
        if let Some(inspect) = &self.inspect {
            inspect(record);
        }
    }
}

/// The keys a request is remembered by: its signature nonce (when the spec's HMAC scheme has
/// one and the request carries it) and its payload's dedup key.
///
/// The nonce is written with non-ASCII bytes escaped, so that two different nonces never
/// give one key.
fn replay_keys(scheme: Option<HmacScheme>, headers: &HeaderMap, dedup_key: Option<&str>) -> Vec<String> {
    let nonce = scheme.and_then(|scheme| scheme.nonce_header).and_then(|name| headers.get(name));
    let nonce = nonce.map(|value| format!("nonce:{}", value.as_bytes().escape_ascii()));
    nonce.into_iter().chain(dedup_key.map(|key| format!("dedup:{key}"))).collect()
}

/// The replay window that covers every replay `verifier` would accept, and at least
/// [`DEFAULT_WINDOW`] for nonces and dedup keys that do not age.
fn default_window(verifier: &Verifier) -> Duration {
    verifier.replay_horizon().map_or(DEFAULT_WINDOW, |horizon| horizon.max(DEFAULT_WINDOW))
}

/// For tests of what receives callbacks: a crate of one message, `Note`, whose payload is any
/// `T`, posted to `/` or to a room's channel.
#[cfg(test)]
pub(crate) mod fixture {
    use std::marker::PhantomData;

    use serde::de::DeserializeOwned;
    use serde::Serialize;

    use super::{Callback, Decode};
    use crate::webhook::{HmacScheme, MalformedBody};

    pub(crate) struct Rooms<T>(PhantomData<T>);

    pub(crate) struct Note<T>(pub T);

    impl<T: Serialize> Serialize for Note<T> {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            self.0.serialize(serializer)
        }
    }

    impl<T: Serialize + Send + 'static> Callback for Note<T> {
        fn message(&self) -> Option<&'static str> {
            Some("Note")
        }
        fn operation(&self) -> Option<&'static str> {
            None
        }
        fn dedup_key(&self) -> Option<String> {
            None
        }
        fn unknown_reason(&self) -> Option<&str> {
            None
        }
    }

    impl<T: DeserializeOwned + Serialize + Send + Sync + 'static> Decode for Rooms<T> {
        type Callback = Note<T>;
        const CHANNELS: &'static [&'static str] = &["/rooms/{roomId}/notes", "/rooms/lobby/notes"];
        const HMAC: Option<HmacScheme> = None;

        fn decode(body: &[u8]) -> Result<Note<T>, MalformedBody> {
            Ok(Note(serde_json::from_slice(body).expect("the tests post what they decode")))
        }
        fn decode_channel(_: usize, body: &[u8]) -> Result<Note<T>, MalformedBody> {
            Self::decode(body)
        }
    }
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::fixture::{Note, Rooms};
    use super::*;
    use crate::webhook::Signed;

    const SCHEME: HmacScheme = HmacScheme {
        signature_header: "x-signature",
        encoding: crate::webhook::Encoding::Hex,
        signature_prefix: "",
        several_signatures: false,
        secret: crate::webhook::SecretFormat::Utf8,
        algorithm_header: None,
        algorithm: "HmacSHA256",
        nonce_header: Some("x-nonce"),
        timestamp_header: None,
        signed: &[Signed::Body, Signed::Header("x-nonce")],
    };

    fn with_nonce(nonce: &[u8]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-nonce", HeaderValue::from_bytes(nonce).unwrap());
        headers
    }

    #[test]
    fn the_default_window_outlasts_every_replay_the_verifier_accepts() {
        let timestamped = HmacScheme { timestamp_header: Some("x-timestamp"), ..SCHEME };
        let minutes = |m: u64| Duration::from_secs(60 * m);
        let window = |verifier: Verifier| default_window(&verifier);
        // A timestamp 5 minutes ahead is accepted until 5 minutes after it: 10 minutes, and a
        // second for the whole-second check.
        assert_eq!(window(Verifier::hmac(timestamped, "s")), minutes(10) + Duration::from_secs(1));
        assert_eq!(
            window(Verifier::hmac(timestamped, "s").max_age(Some(minutes(30)))),
            minutes(60) + Duration::from_secs(1)
        );
        assert_eq!(window(Verifier::hmac(timestamped, "s").max_age(Some(Duration::ZERO))), DEFAULT_WINDOW);
        assert_eq!(window(Verifier::hmac(timestamped, "s").max_age(None)), DEFAULT_WINDOW);
        assert_eq!(window(Verifier::hmac(SCHEME, "s")), DEFAULT_WINDOW, "no timestamp: nonces are kept the default");
        assert_eq!(window(Verifier::none()), DEFAULT_WINDOW);
    }

    #[test]
    fn replay_keys_are_the_nonce_and_the_dedup_key() {
        let headers = with_nonce(b"n-1");
        assert_eq!(replay_keys(Some(SCHEME), &headers, Some("Sms:1")), ["nonce:n-1", "dedup:Sms:1"]);
        assert_eq!(replay_keys(Some(SCHEME), &HeaderMap::new(), Some("Sms:1")), ["dedup:Sms:1"]);
        assert_eq!(replay_keys(None, &headers, None), Vec::<String>::new(), "no scheme names a nonce header");
    }

    #[test]
    fn nonces_that_are_not_utf8_keep_apart() {
        let keys: Vec<Vec<String>> = [&b"caf\xe9"[..], b"caf\xef", b"caf\\xe9"]
            .iter()
            .map(|nonce| replay_keys(Some(SCHEME), &with_nonce(nonce), None))
            .collect();
        assert_ne!(keys[0], keys[1]);
        assert_ne!(keys[0], keys[2], "an escaped byte is not the text of its escape");
    }

    /// What the handler saw of each delivery: the channel and its `roomId`.
    type Seen = std::sync::Mutex<Vec<(Option<&'static str>, Option<String>)>>;

    impl Deliver<Seen> for Rooms<serde_json::Value> {
        async fn deliver(_: Note<serde_json::Value>, seen: &Seen, context: Context<'_>) -> Outcome {
            seen.lock().unwrap().push((context.channel, context.parameter("roomId").map(String::from)));
            Outcome::Accept
        }
    }

    #[tokio::test]
    async fn a_channel_with_parameters_is_served_at_every_value() {
        let dispatcher = Dispatcher::new(Receiver::<Rooms<serde_json::Value>>::new(Verifier::none()), Seen::default());
        for path in ["/rooms/42/notes", "/rooms/lobby/notes", "/", "/rooms/a%20b/notes"] {
            assert!(dispatcher.serves(path), "{path}");
            assert_eq!(dispatcher.dispatch(path, &HeaderMap::new(), b"{}").await, StatusCode::OK, "{path}");
        }
        for path in ["/rooms//notes", "/rooms/1/2/notes", "/rooms/42", "/rooms/..%2Fx/notes"] {
            assert!(!dispatcher.serves(path), "{path}");
            assert_eq!(dispatcher.dispatch(path, &HeaderMap::new(), b"{}").await, StatusCode::NOT_FOUND, "{path}");
        }
        let seen = dispatcher.handler().lock().unwrap().clone();
        let room = |channel: &'static str, id: Option<&str>| (Some(channel), id.map(str::to_owned));
        assert_eq!(
            seen,
            [
                room("/rooms/{roomId}/notes", Some("42")),
                room("/rooms/lobby/notes", None),
                (None, None),
                room("/rooms/{roomId}/notes", Some("a b")),
            ]
        );
    }

    #[test]
    fn context_debug_shows_header_names_only() {
        let mut headers = with_nonce(b"secret-nonce");
        headers.insert("authorization", HeaderValue::from_static("Basic c2VjcmV0"));
        let context = Context::new("/", &headers, b"{\"a\":1}");
        let debug = format!("{context:?}");
        assert!(debug.contains("x-nonce") && debug.contains("authorization"), "{debug}");
        assert!(!debug.contains("secret-nonce") && !debug.contains("c2VjcmV0") && !debug.contains("\"a\""), "{debug}");
    }

    #[test]
    fn outcomes_and_dispositions_have_log_names() {
        let names: Vec<&str> = [
            Disposition::Delivered(Outcome::Accept),
            Disposition::Delivered(Outcome::RetryLater),
            Disposition::Delivered(Outcome::SlowDown),
            Disposition::Delivered(Outcome::Reject),
            Disposition::Duplicate,
            Disposition::InFlight,
            Disposition::Refused,
            Disposition::StoreFailed,
        ]
        .iter()
        .map(|disposition| disposition.as_str())
        .collect();
        assert_eq!(
            names,
            ["accept", "retry_later", "slow_down", "reject", "duplicate", "in_flight", "refused", "store_failed"]
        );
    }
}
