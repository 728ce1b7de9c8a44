//! The HTTP server that generated receivers and API servers run on: hyper's HTTP/1 connection
//! handling behind an accept loop that bounds what a slow or idle client can hold.
//!
//! A server on the internet meets clients that send headers a byte at a time, open connections
//! and say nothing, declare a large body and never send it, or ask for a large answer and never
//! read it. Each of those would otherwise hold a connection, and so a file descriptor, for as
//! long as the client likes, until the process runs out of descriptors and nobody is served.
//! [`Limits`] bounds each of them:
//!
//! | what | default | past it |
//! |---|---|---|
//! | [`request_head`](Limits::request_head): from when a connection is ready for a request (accepted, or its last response sent) to the end of the request's headers | 10 s | the connection is closed |
//! | [`request_body`](Limits::request_body): from the end of the headers to the end of the body | 30 s | 408, and the connection is closed |
//! | [`response_stall`](Limits::response_stall): how long writing a response may make no progress, as the client reads none of it | 30 s | the connection is closed |
//! | [`max_connections`](Limits::max_connections): connections served at once | 512 | no more are accepted until one closes |
//!
//! The head timeout is also the idle keep-alive time, as hyper starts it as soon as a
//! connection waits for its next request: an idle connection is closed after 10 s. A body
//! whose declared `Content-Length` is over the router's limit is answered 413 at once, without
//! reading it, and the connection is closed (the routers of `webhook::axum` and `api::axum` do
//! this, as they know the limit).
//!
//! At [`max_connections`](Limits::max_connections) the loop stops accepting: new connections
//! wait in the kernel's backlog, holding no descriptor of this process, and are accepted in
//! order as slots free. A slot held by an idle client frees within the head timeout, and one
//! held by a slow client within the head and body timeouts of its request or the stall
//! timeout of its response, so queued clients are served rather than refused. Accept errors
//! (out of descriptors: `EMFILE`) are logged and retried after a pause, never fatal and never
//! a busy loop.
//!
//! The response's limit is on a stall, not on the whole response: an answer that fits in the
//! kernel's socket buffers is written at once whoever reads it, and a large one (an API's list
//! can be megabytes) takes as long as the client's link needs, which no whole-response limit
//! could guess without cutting off honest clients on slow links. What holds a connection
//! forever is a client that reads nothing (a zero TCP window, which the kernel keeps open as
//! long as the client answers its probes), and a stall limit ends that however large the answer.
//!
//! Left to the handler: how long it takes to answer. Left unbounded: a client that reads just
//! enough of a large answer, once per stall timeout, to keep it moving, which holds its
//! connection for as long as the answer lasts at that pace. Requests hyper cannot parse (a
//! malformed request line, headers over about 400 KB, a URI over 64 KiB) are answered by hyper
//! itself, with an empty 400, 431 or 414, before any router sees them.

mod write_stall;

use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Response};
use axum::{Extension, Router};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use write_stall::WriteStall;

/// How long a pause after a failed accept: long enough not to spin while descriptors are out,
/// short enough to resume soon after a connection closes.
const ACCEPT_PAUSE: Duration = Duration::from_millis(100);

/// How long clients may take to send and to read, and how many may be connected at once. The
/// defaults are safe for a server on the internet; a test sets short timeouts to see them act.
///
/// ```
/// use std::time::Duration;
/// use hookwright_runtime::serve::Limits;
///
/// let limits = Limits::default()
///     .request_head(Duration::from_secs(5))
///     .response_stall(Duration::from_secs(60))
///     .max_connections(2048); // after raising `ulimit -n` above it
/// assert_eq!(limits.request_body, Duration::from_secs(30));
/// assert_eq!(limits.response_stall, Duration::from_secs(60));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// See [`Limits::request_head`].
    pub request_head: Duration,
    /// See [`Limits::request_body`].
    pub request_body: Duration,
    /// See [`Limits::response_stall`].
    pub response_stall: Duration,
    /// See [`Limits::max_connections`].
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            request_head: Self::DEFAULT_REQUEST_HEAD,
            request_body: Self::DEFAULT_REQUEST_BODY,
            response_stall: Self::DEFAULT_RESPONSE_STALL,
            max_connections: Self::DEFAULT_MAX_CONNECTIONS,
        }
    }
}

impl Limits {
    /// Headers are a few hundred bytes: any client sends them in well under a second.
    pub const DEFAULT_REQUEST_HEAD: Duration = Duration::from_secs(10);
    /// A body at the default 1 MiB limit in 30 s is 35 KB/s, slower than any real sender.
    pub const DEFAULT_REQUEST_BODY: Duration = Duration::from_secs(30);
    /// A client that takes nothing of its answer for 30 s is not reading it: a live one, even
    /// on a slow link, takes some of it far sooner.
    pub const DEFAULT_RESPONSE_STALL: Duration = Duration::from_secs(30);
    /// Half the usual soft limit of 1024 descriptors (`ulimit -n`), leaving the rest to the
    /// listener, logs, and the handler's own files and connections.
    pub const DEFAULT_MAX_CONNECTIONS: usize = 512;

    /// How long a client may take to send a request's line and headers, counted from when its
    /// connection is ready for a request: this is also how long an idle connection is kept.
    pub fn request_head(mut self, timeout: Duration) -> Self {
        self.request_head = timeout;
        self
    }

    /// How long a client may take to send a request's body once its headers are read.
    pub fn request_body(mut self, timeout: Duration) -> Self {
        self.request_body = timeout;
        self
    }

    /// How long writing a response may make no progress before the connection is closed: the
    /// count starts when a write has to wait for the client to read (the socket's buffers are
    /// full) and starts again whenever it reads some, so a slow but live client of a large
    /// answer receives all of it, while one that reads nothing gives its connection back.
    pub fn response_stall(mut self, timeout: Duration) -> Self {
        self.response_stall = timeout;
        self
    }

    /// How many connections are served at once (at least 1); keep it below the process's
    /// descriptor limit.
    pub fn max_connections(mut self, count: usize) -> Self {
        self.max_connections = count.max(1);
        self
    }
}

/// Serves `router` on `address` with the default [`Limits`] until the process is stopped, on a
/// Tokio runtime of its own: the whole `main` of a receiver, with no async runtime to set up.
///
/// ```no_run
/// # fn app() -> hookwright_runtime::axum::Router { unimplemented!() }
/// fn main() -> std::io::Result<()> {
///     hookwright_runtime::serve::serve("0.0.0.0:8080", app())
/// }
/// ```
pub fn serve(address: impl std::net::ToSocketAddrs, router: Router) -> io::Result<()> {
    serve_on(std::net::TcpListener::bind(address)?, router)
}

/// Serves `router` with the default [`Limits`] on a listener already bound (to print its
/// address, or to bind port 0), on a Tokio runtime of its own.
pub fn serve_on(listener: std::net::TcpListener, router: Router) -> io::Result<()> {
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        run(TcpListener::from_std(listener)?, router, &Limits::default()).await;
        Ok(())
    })
}

/// Serves `router` on `listener` within limits, on the current Tokio runtime, until the
/// process is stopped (or the task is dropped).
pub async fn run(listener: TcpListener, router: Router, limits: &Limits) {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let service = TowerToHyperService::new(router.layer(Extension(BodyTimeout(limits.request_body))));
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.request_head);
    loop {
        // The semaphore is never closed, so this waits for a slot and never fails.
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(error) => {
                pause_after(&error).await;
                continue;
            }
        };
        let stream = WriteStall::new(stream, limits.response_stall);
        let connection = http.serve_connection(TokioIo::new(stream), service.clone());
        tokio::spawn(async move {
            // A client that breaks off or times out ends its connection, and gives back its slot
            // as the connection (its stream with it) is dropped; nothing to report.
            let _ = connection.await;
            drop(slot);
        });
    }
}

/// A connection the client gave up on before it was accepted is retried at once; anything else
/// (out of descriptors or memory) is logged and retried after [`ACCEPT_PAUSE`].
async fn pause_after(error: &io::Error) {
    let gone = matches!(error.kind(), io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset);
    if !gone {
        tracing::warn!(%error, "cannot accept a connection; retrying shortly");
        tokio::time::sleep(ACCEPT_PAUSE).await;
    }
}

/// The body timeout of the server a request came through, as a request extension for the
/// routers; a router served some other way uses [`Limits::DEFAULT_REQUEST_BODY`].
#[derive(Debug, Clone, Copy)]
struct BodyTimeout(Duration);

/// Why a body was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyError {
    /// Larger than the limit, declared or found (413).
    TooLarge,
    /// Not all sent within the body timeout (408).
    TimedOut,
    /// Broken off or malformed, e.g. bad chunked encoding (400).
    Unreadable,
}

/// Whether the request declares a `Content-Length` over `limit`: such a body is refused before
/// a byte of it is read. An unparsable length is left to hyper, which refuses it itself.
fn declares_too_much(headers: &HeaderMap, limit: usize) -> bool {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok()?.parse::<u64>().ok())
        .is_some_and(|length| length > u64::try_from(limit).unwrap_or(u64::MAX))
}

/// Reads a body of at most `limit` bytes within the server's body timeout; one whose declared
/// `Content-Length` is over the limit is refused before any of it is read.
pub(crate) async fn read_body(parts: &Parts, body: Body, limit: usize) -> Result<Bytes, BodyError> {
    if declares_too_much(&parts.headers, limit) {
        return Err(BodyError::TooLarge);
    }
    let timeout = parts.extensions.get::<BodyTimeout>().map_or(Limits::DEFAULT_REQUEST_BODY, |timeout| timeout.0);
    match tokio::time::timeout(timeout, axum::body::to_bytes(body, limit)).await {
        Err(_) => Err(BodyError::TimedOut),
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(error)) if is_length_limit(&error) => Err(BodyError::TooLarge),
        Ok(Err(_)) => Err(BodyError::Unreadable),
    }
}

/// Whether reading failed at the length limit rather than on the connection.
fn is_length_limit(error: &axum::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(error) = cause {
        if error.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        cause = error.source();
    }
    false
}

/// `response` with `Connection: close`: for answers given without reading the whole body, so
/// the rest of it is never read as a next request.
pub(crate) fn closing<B>(mut response: Response<B>) -> Response<B> {
    response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}
