//! A ready axum [`Router`] for a [`Dispatcher`], and [`serve`] to run it.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
pub use axum::Router;

use super::{Deliver, Dispatcher, Rejection, ReplayStore};

/// Serves `dispatcher`: a `POST` to `/` is decoded by payload (the single-URL setup), a `POST`
/// to a channel address by channel. Other paths answer 404, other methods 405. The body is
/// read up to the receiver's limit, and each request is answered with the status that
/// [`Dispatcher::dispatch`] gives.
pub fn router<D, H, S>(dispatcher: Dispatcher<D, H, S>) -> Router
where
    D: Deliver<H>,
    H: Send + Sync + 'static,
    S: ReplayStore,
{
    Router::new().fallback(answer::<D, H, S>).with_state(Arc::new(dispatcher))
}

async fn answer<D, H, S>(State(dispatcher): State<Arc<Dispatcher<D, H, S>>>, request: Request) -> StatusCode
where
    D: Deliver<H>,
    H: Send + Sync + 'static,
    S: ReplayStore,
{
    if request.method() != Method::POST {
        return StatusCode::METHOD_NOT_ALLOWED;
    }
    let (parts, body) = request.into_parts();
    if !dispatcher.serves(parts.uri.path()) {
        let path = parts.uri.path();
        return dispatcher.refuse(path, Rejection::UnknownChannel(path.to_owned()));
    }
    let limit = dispatcher.receiver().body_limit();
    match axum::body::to_bytes(Body::new(body), limit).await {
        Ok(bytes) => dispatch_to_the_end(dispatcher, parts.uri.path().to_owned(), parts.headers, bytes).await,
        Err(_) => dispatcher.refuse(parts.uri.path(), Rejection::TooLarge { limit }),
    }
}

/// Dispatches on a task of its own, so that a client hanging up does not cancel a handler
/// half-way and leave the callback's replay keys claimed (its retries answered 503) until the
/// window passes. A handler that panics is answered 500.
async fn dispatch_to_the_end<D, H, S>(
    dispatcher: Arc<Dispatcher<D, H, S>>,
    path: String,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode
where
    D: Deliver<H>,
    H: Send + Sync + 'static,
    S: ReplayStore,
{
    let task = tokio::spawn(async move { dispatcher.dispatch(&path, &headers, &body).await });
    task.await.unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// Serves `router` on `address` until the process is stopped, on a Tokio runtime of its own:
/// the whole `main` of a receiver, with no async runtime to set up.
///
/// ```no_run
/// # fn app() -> hookwright_runtime::webhook::axum::Router { unimplemented!() }
/// fn main() -> std::io::Result<()> {
///     hookwright_runtime::webhook::axum::serve("0.0.0.0:8080", app())
/// }
/// ```
pub fn serve(address: impl std::net::ToSocketAddrs, router: Router) -> std::io::Result<()> {
    serve_on(std::net::TcpListener::bind(address)?, router)
}

/// Serves `router` on a listener already bound (to print its address, or to bind port 0).
pub fn serve_on(listener: std::net::TcpListener, router: Router) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        axum::serve(listener, router).await
    })
}
