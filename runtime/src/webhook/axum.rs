//! A ready axum [`Router`] for a [`Dispatcher`], and [`serve`] to run it.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
pub use axum::Router;

use super::{Deliver, Dispatcher, Rejection, ReplayStore};
use crate::serve::{closing, read_body, BodyError};

/// Serves `dispatcher`: a `POST` to `/` is decoded by payload (the single-URL setup), a `POST`
/// to a channel address (a `{parameter}` taking any value) by channel. Other paths answer
/// 404, other methods 405. The body is
/// read up to the receiver's limit within the server's body timeout, and each request is
/// answered with the status that [`Dispatcher::dispatch`] gives. A body declared or found
/// over the limit is 413, one not sent in time 408, one broken off 400; each of these closes
/// the connection, as the rest of the body is never read.
pub fn router<D, H, S>(dispatcher: Dispatcher<D, H, S>) -> Router
where
    D: Deliver<H>,
    H: Send + Sync + 'static,
    S: ReplayStore,
{
    Router::new().fallback(answer::<D, H, S>).with_state(Arc::new(dispatcher))
}

async fn answer<D, H, S>(State(dispatcher): State<Arc<Dispatcher<D, H, S>>>, request: Request) -> Response
where
    D: Deliver<H>,
    H: Send + Sync + 'static,
    S: ReplayStore,
{
    if request.method() != Method::POST {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let (parts, body) = request.into_parts();
    if !dispatcher.serves(parts.uri.path()) {
        let path = parts.uri.path();
        return dispatcher.refuse(path, Rejection::UnknownChannel(path.to_owned())).into_response();
    }
    let path = parts.uri.path();
    let limit = dispatcher.receiver().body_limit();
    match read_body(&parts, body, limit).await {
        Ok(bytes) => {
            dispatch_to_the_end(dispatcher.clone(), path.to_owned(), parts.headers, bytes).await.into_response()
        }
        Err(error) => {
            let rejection = match error {
                BodyError::TooLarge => Rejection::TooLarge { limit },
                BodyError::TimedOut => Rejection::TimedOut,
                BodyError::Unreadable => Rejection::Unreadable,
            };
            closing(dispatcher.refuse(path, rejection).into_response())
        }
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

/// The server for the router: hyper's HTTP/1 with timeouts and a bound on connections (see
/// [`crate::serve`]), named here too because generated crates re-export it from here.
pub use crate::serve::{serve, serve_on};
