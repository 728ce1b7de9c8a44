//! A ready axum [`Router`] for a [`Server`]; serve it with [`crate::serve`].

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
pub use axum::Router;

use super::server::{Routes, Server};
use crate::serve::{closing, read_body, BodyError};

/// Serves `server` for every path and method (as a fallback, so it merges into a larger
/// router). Length, routing, credentials and content type are checked before the body is
/// read, and a declared `Content-Length` over [`Server::body_limit`] is answered 413 at once.
/// The body is then read up to the limit (413 past it) within the server's body timeout
/// (408), and the request answered by the operation. A 408, 413 or unreadable body (400)
/// closes the connection, as the rest of the body is never read.
pub fn router<R: Routes<S>, S: Send + Sync + 'static>(server: Server<R, S>) -> Router {
    Router::new().fallback(answer::<R, S>).with_state(Arc::new(server))
}

async fn answer<R: Routes<S>, S: Send + Sync + 'static>(
    State(server): State<Arc<Server<R, S>>>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let query = parts.uri.query();
    let admitted = match server.admit(&parts.method, parts.uri.path(), query, &parts.headers) {
        Ok(admitted) => admitted,
        Err(refusal) => return refusal.into_response().map(Body::from),
    };
    let response = match read_body(&parts, body, server.body_limit()).await {
        Ok(bytes) => server.respond(admitted, query, &parts.headers, &bytes).await,
        Err(error) => closing(match error {
            BodyError::TooLarge => server.too_large(&admitted),
            BodyError::TimedOut => server.timed_out(&admitted),
            BodyError::Unreadable => server.unreadable(&admitted),
        }),
    };
    response.map(Body::from)
}

/// Over real HTTP on 127.0.0.1, with the reqwest client on the other end.
#[cfg(all(test, feature = "reqwest"))]
mod tests {
    use http::{Method, StatusCode};
    use serde_json::{json, Value};

    use super::router;
    use crate::api::client::{decode_body, json_response, ClientError, Credentials, RequestBuilder, Scheme};
    use crate::api::reqwest::HttpClient;
    use crate::api::server::{json_body, required_param, Caller, PathParams, Query, Route, Routes, Server};
    use crate::api::validate::Violations;
    use crate::serve::{run, Limits};

    const SECRET: &str = "zz-very-secret-7f3a";

    struct Api;
    struct Echo;

    impl Routes<Echo> for Api {
        const ROUTES: &'static [Route] = &[
            Route {
                method: Method::GET,
                template: "/v1/things/{id}",
                operation: "GetThing",
                security: &[&[Scheme::Bearer]],
            },
            Route { method: Method::POST, template: "/v1/things", operation: "CreateThing", security: &[] },
        ];

        async fn call(
            _: &Echo,
            route: usize,
            _: Caller,
            params: PathParams,
            _: Query,
            _: &http::HeaderMap,
            body: &[u8],
        ) -> Result<http::Response<Vec<u8>>, Violations> {
            let mut out = Vec::new();
            let echo = if route == 0 {
                let id: Option<String> = required_param(params.get("id"), "path.id", &mut out);
                json!({ "id": id })
            } else {
                json_body::<Value>(body, &mut out).unwrap_or_default()
            };
            Violations::result(out)?;
            Ok(json_response(StatusCode::OK, &echo))
        }
    }

    async fn serve() -> String {
        let server = Server::<Api, Echo>::new(Echo)
            .authorize(|presented| matches!(presented, [Credentials::Bearer { token }] if token.expose() == SECRET))
            .max_body_bytes(64);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move { run(listener, router(server), &Limits::default()).await });
        format!("http://{address}/")
    }

    async fn status_of(client: &HttpClient, request: http::Request<Vec<u8>>) -> StatusCode {
        client.send(request).await.unwrap().status()
    }

    #[tokio::test]
    async fn a_typed_round_trip_with_credentials() {
        let client = HttpClient::new(serve().await).with_credentials(Credentials::bearer(SECRET));
        let request = RequestBuilder::new(Method::GET, client.base_url(), "/v1/things/{id}")
            .path_param("id", &"a+b c?ü")
            .build()
            .unwrap();
        let response = client.send(request).await.unwrap();
        let body: Value = decode_body(response.status(), response.body()).unwrap();
        assert_eq!((response.status(), body), (StatusCode::OK, json!({"id": "a+b c?ü"})));
        // A `/` would make the id address something else: refused, not decoded.
        let request = RequestBuilder::new(Method::GET, client.base_url(), "/v1/things/{id}")
            .path_param("id", &"a/b")
            .build()
            .unwrap();
        assert_eq!(status_of(&client, request).await, StatusCode::BAD_REQUEST);
    }

    #[tokio::test]
    async fn refusals_over_http() {
        let base = serve().await;
        let stranger = HttpClient::new(base.clone()).with_credentials(Credentials::bearer("wrong"));
        let get = || RequestBuilder::new(Method::GET, &base, "/v1/things/{id}").path_param("id", &1).build().unwrap();
        assert_eq!(status_of(&stranger, get()).await, StatusCode::UNAUTHORIZED);
        assert_eq!(status_of(&HttpClient::new(base.clone()), get()).await, StatusCode::UNAUTHORIZED);
        let anyone = HttpClient::new(base.clone());
        let nowhere = RequestBuilder::new(Method::GET, &base, "/v2").build().unwrap();
        assert_eq!(status_of(&anyone, nowhere).await, StatusCode::NOT_FOUND);
        let delete = RequestBuilder::new(Method::DELETE, &base, "/v1/things").build().unwrap();
        assert_eq!(status_of(&anyone, delete).await, StatusCode::METHOD_NOT_ALLOWED);
        let big = RequestBuilder::new(Method::POST, &base, "/v1/things").json(&"x".repeat(100)).build().unwrap();
        assert_eq!(status_of(&anyone, big).await, StatusCode::PAYLOAD_TOO_LARGE);
        let small = RequestBuilder::new(Method::POST, &base, "/v1/things").json(&json!({"a": 1})).build().unwrap();
        let response = anyone.send(small).await.unwrap();
        assert_eq!((response.status(), response.body().as_slice()), (StatusCode::OK, &br#"{"a":1}"#[..]));
        let mut not_json = RequestBuilder::new(Method::POST, &base, "/v1/things").build().unwrap();
        *not_json.body_mut() = b"nope".to_vec();
        let response = anyone.send(not_json).await.unwrap();
        assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let mut broken = RequestBuilder::new(Method::POST, &base, "/v1/things").json(&json!({})).build().unwrap();
        *broken.body_mut() = b"nope".to_vec();
        let response = anyone.send(broken).await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(response.headers()[http::header::CONTENT_TYPE], "application/problem+json");
    }

    #[tokio::test]
    async fn an_undeclared_status_can_be_turned_into_an_error() {
        let client = HttpClient::new(serve().await);
        let request = RequestBuilder::new(Method::GET, client.base_url(), "/nope").build().unwrap();
        let response = client.send(request).await.unwrap();
        let error = ClientError::Unexpected { status: response.status(), body: response.into_body() };
        assert!(error.to_string().starts_with("the API answered 404 Not Found"), "{error}");
    }
}
