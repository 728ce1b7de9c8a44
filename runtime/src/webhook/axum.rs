//! A ready axum [`Router`] for a [`Dispatcher`], and [`serve`] to run it.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
pub use axum::Router;

use super::{Deliver, Dispatcher, Rejection};
use crate::serve::{closing, declares_too_much, read_body, BodyError};

/// Serves `dispatcher`: a `POST` to `/` is decoded by payload (the single-URL setup), a `POST`
/// to a channel address by channel. Other paths answer 404, other methods 405. The body is
/// read up to the receiver's limit within the server's body timeout, and each request is
/// answered with the status that [`Dispatcher::dispatch`] gives. A body declared or found
/// over the limit is 413, one not sent in time 408, one broken off 400; each of these closes
/// the connection, as the rest of the body is never read.
pub fn router<D, H>(dispatcher: Dispatcher<D, H>) -> Router
where
    D: Deliver<H>,
    H: Send + Sync + 'static,
{
    Router::new().fallback(answer::<D, H>).with_state(Arc::new(dispatcher))
}

async fn answer<D, H>(State(dispatcher): State<Arc<Dispatcher<D, H>>>, request: Request) -> Response
where
    D: Deliver<H>,
    H: Send + Sync + 'static,
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
    let too_large = || closing(dispatcher.refuse(path, Rejection::TooLarge { limit }).into_response());
    if declares_too_much(&parts.headers, limit) {
        return too_large();
    }
    match read_body(&parts.extensions, body, limit).await {
        Ok(bytes) => dispatcher.dispatch(path, &parts.headers, &bytes).await.into_response(),
        Err(BodyError::TooLarge) => too_large(),
        Err(error) => {
            tracing::warn!(path, status = error.status().as_u16(), "refused a request: {error}");
            closing(error.status().into_response())
        }
    }
}

/// The server for the router: hyper's HTTP/1 with timeouts and a bound on connections (see
/// [`crate::serve`]), named here too because generated crates re-export it from here.
pub use crate::serve::{serve, serve_on};
