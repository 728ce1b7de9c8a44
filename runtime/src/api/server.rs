//! Serving a generated API: routing a request to its operation, checking credentials and size,
//! and answering refusals with RFC 9457 problem details, without I/O.
//!
//! A generated crate implements [`Routes`] for its `Service` trait: a table of [`Route`]s and a
//! `call` that parses one operation's parameters and body (with [`required_param`],
//! [`optional_param`], [`header`], [`cookie`], [`json_body`] and
//! [`Validate`](super::validate::Validate)), calls the
//! service and encodes its response. [`Server`] does the rest, the same for every API:
//!
//! | the request | the answer |
//! |---|---|
//! | path and query longer than the limit (8 KiB by default) | 414 |
//! | no path template matches | 404 |
//! | a template matches, not the method | 405 with `Allow` |
//! | a path parameter that is `.` or `..`, or holds `/`, `\`, a control character (NUL included) or invalid UTF-8, once percent-decoded | 400 |
//! | a route with security, and no requirement set of it (every scheme of the set) met by well-formed credentials that [`authorize`](Server::authorize) accepts (an OAuth2 token while the server has no `authorize` check: refused); a set that is empty lets anyone in | 401 with `WWW-Authenticate` naming every scheme |
//! | a body whose `Content-Type` is not JSON (`application/json` or `…+json`) | 415 |
//! | a body over the limit (1 MiB by default) | 413 |
//! | a body not sent in time, or broken off (HTTP glue: see `api::axum`) | 408, 400 |
//! | parameters or body break the spec | 400 listing every violation |
//!
//! Path parameters are refused rather than normalised: `a%2Fb` or `%2E%2E` in a segment would
//! otherwise become a value that addresses something else wherever the service builds a path,
//! key or URL from it, and no id of a real API looks like that.
//!
//! Refusals are `application/problem+json` with a `detail` that says what was wrong (or the
//! API's own shape, see [`Server::on_refused`]), and are logged with `tracing`: client
//! mistakes (404, 405, 400, 414, 415) at debug, 401, 408 and 413 (a misconfigured client, or
//! someone probing) at warn. Credentials and bodies are never logged.

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::str::FromStr;

use http::header::{
    HeaderValue, ALLOW, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, TRANSFER_ENCODING, WWW_AUTHENTICATE,
};
use http::{HeaderMap, Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use super::client::{raw_response, with_content_type, Credentials, KeyLocation, Scheme};
use super::json;
use super::validate::{Violation, Violations};
use crate::path_template;

type Response = http::Response<Vec<u8>>;
type Authorize = Box<dyn Fn(&[Credentials]) -> bool + Send + Sync>;
type RenderInvalid = Box<dyn Fn(&Route, &Violations) -> Response + Send + Sync>;
type RenderRefused = Box<dyn Fn(StatusCode, &str) -> Response + Send + Sync>;
/// Path parameters as sent (still percent-encoded), by name.
type RawParams<'p> = Vec<(&'static str, &'p str)>;

const PROBLEM_JSON: &str = "application/problem+json";

/// One operation of the API: generated crates list them in [`Routes::ROUTES`].
///
/// Not `Copy`: `http::Method` is not (it can hold an extension method's name). The `Method`
/// constants are `const`, so a `const` or `static` table of routes still works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub method: Method,
    /// The spec's path, like `/v1/projects/{projectId}/webhooks`; a `{name}` must be a whole
    /// segment.
    pub template: &'static str,
    /// The spec's `operationId`, for logs.
    pub operation: &'static str,
    /// The spec's `security`: requirement sets, of which a request must meet one, presenting
    /// credentials for every scheme of it. Empty for an operation without security; an empty
    /// set (`{}` in the spec) lets in a request without credentials.
    pub security: &'static [&'static [Scheme]],
}

/// The values of a matched route's `{name}` segments, percent-decoded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathParams(Vec<(&'static str, String)>);

impl PathParams {
    /// Path parameters from `(name, decoded value)` pairs: for calling [`Routes::call`] directly.
    pub fn new(pairs: impl IntoIterator<Item = (&'static str, String)>) -> Self {
        PathParams(pairs.into_iter().collect())
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(key, _)| *key == name).map(|(_, value)| value.as_str())
    }
}

/// A request's query string, form-urlencoded, decoded once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query(Vec<(String, String)>);

impl Query {
    pub fn parse(query: Option<&str>) -> Self {
        let pairs = form_urlencoded::parse(query.unwrap_or_default().as_bytes());
        Query(pairs.into_owned().collect())
    }

    /// The first value of `name`: a repeated scalar parameter takes its first occurrence.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// Every value of `name`, in order: for array parameters (`?id=a&id=b`).
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0.iter().filter(move |(key, _)| key == name).map(|(_, value)| value.as_str())
    }
}

/// Parses a required parameter; a missing one is `is required`, an unparsable one names the
/// expected type (`must be an integer`). Violations are collected so that one 400 lists them all.
pub fn required_param<T: FromStr>(value: Option<&str>, field: &str, out: &mut Vec<Violation>) -> Option<T> {
    if value.is_none() {
        out.push(Violation::new(field, "is required"));
    }
    optional_param(value, field, out)
}

/// Parses a parameter that may be absent: `None` when absent or unparsable (then recorded).
pub fn optional_param<T: FromStr>(value: Option<&str>, field: &str, out: &mut Vec<Violation>) -> Option<T> {
    let parsed = value?.parse().ok();
    if parsed.is_none() {
        out.push(Violation::new(field, expected::<T>()));
    }
    parsed
}

/// The value of the header `name`, for a header parameter: the first, if repeated. Bytes that
/// are not UTF-8 become U+FFFD, so a typed parameter fails to parse rather than vanish.
pub fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<Cow<'h, str>> {
    headers.get(name).map(|value| String::from_utf8_lossy(value.as_bytes()))
}

/// The value of the cookie `name` in the request's `Cookie` headers (`a=1; b=2`), for a
/// cookie parameter: the first, if repeated.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    let pairs = headers.get_all(COOKIE).iter().filter_map(|value| value.to_str().ok()).flat_map(|text| text.split(';'));
    pairs.filter_map(|pair| pair.trim().split_once('=')).find(|(key, _)| *key == name).map(|(_, value)| value)
}

/// What a value of `T` must be, in words, from `T`'s name (the value itself is never quoted).
fn expected<T>() -> String {
    let name = std::any::type_name::<T>();
    let name = name.split('<').next().unwrap_or(name);
    match name.rsplit("::").next().unwrap_or(name) {
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "must be an integer".to_owned(),
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "must be a non-negative integer".to_owned(),
        "f32" | "f64" => "must be a number".to_owned(),
        "bool" => "must be a boolean (true or false)".to_owned(),
        "Timestamp" => "must be a valid RFC 3339 date-time".to_owned(),
        other => format!("must be a valid {other}"),
    }
}

/// Decodes a JSON request body. An empty body is `body: is required` (call this only when the
/// operation has a body and the request sent one, for an optional body); a decode error is a
/// violation on `body` with serde_json's reason and position, its quoted values redacted.
pub fn json_body<T: DeserializeOwned>(body: &[u8], out: &mut Vec<Violation>) -> Option<T> {
    if body.iter().all(u8::is_ascii_whitespace) {
        out.push(Violation::new("body", "is required"));
        return None;
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    // The path says which field broke the shape: `body.triggers`, not just `body`.
    let decoded = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|e| (e.path().to_string(), e.into_inner()))
        .and_then(|value| deserializer.end().map(|()| value).map_err(|e| (".".to_owned(), e)));
    match decoded {
        Ok(value) => Some(value),
        Err((path, error)) => {
            // A syntax error is the body's, wherever the parser stopped.
            let field = match path.as_str() {
                "." => "body".to_owned(),
                _ if !error.is_data() => "body".to_owned(),
                path => format!("body.{path}"),
            };
            let reason = json::describe(&error);
            out.push(Violation::new(field, format!("must be JSON of the declared shape: {reason}")));
            None
        }
    }
}

/// Decodes an optional JSON request body: `None`, and no violation, when none was sent.
pub fn optional_json_body<T: DeserializeOwned>(body: &[u8], out: &mut Vec<Violation>) -> Option<T> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    json_body(body, out)
}

/// The operations of an API served by `S`: implemented by generated code for its `Service`
/// trait (`impl<S: Service> Routes<S> for Api`).
pub trait Routes<S>: Send + Sync + 'static {
    const ROUTES: &'static [Route];

    /// Parses and validates the request for `ROUTES[route]` (its header and cookie parameters
    /// from `headers`), calls the service, encodes its response. `Err` lists every violation of
    /// the parameters and body; the server answers 400.
    fn call(
        service: &S,
        route: usize,
        caller: Caller,
        params: PathParams,
        query: Query,
        headers: &HeaderMap,
        body: &[u8],
    ) -> impl Future<Output = Result<http::Response<Vec<u8>>, Violations>> + Send;
}

/// A request refused before its operation ran (404, 405, 401): the answer, ready to send.
///
/// Boxed, because a response is large and refusals are the rare path.
#[derive(Debug)]
pub struct Refusal(Box<Response>);

impl Refusal {
    pub fn status(&self) -> StatusCode {
        self.0.status()
    }

    pub fn into_response(self) -> Response {
        *self.0
    }
}

impl From<Response> for Refusal {
    fn from(response: Response) -> Self {
        Refusal(Box::new(response))
    }
}

/// A request that passed routing and authentication: what [`Server::respond`] needs.
#[derive(Debug)]
pub struct Admitted {
    index: usize,
    route: &'static Route,
    params: PathParams,
    caller: Caller,
}

impl Admitted {
    pub fn route(&self) -> &'static Route {
        self.route
    }

    pub fn params(&self) -> &PathParams {
        &self.params
    }

    pub fn caller(&self) -> &Caller {
        &self.caller
    }
}

/// Who a request came from, as far as the server checked: the credentials of the requirement
/// set it met (one for each scheme of the set, in its order; one for most operations), which
/// [`authorize`](Server::authorize) accepted. Each operation of a [`Routes`]' service gets it,
/// to tell its callers apart.
///
/// It is empty for an operation without security, and for one that allows anonymous calls
/// (`{}`) when the request met none of its other sets; credentials it did meet, and that
/// `authorize` accepted, are given. `Debug` never shows a secret.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Caller {
    pub credentials: Vec<Credentials>,
}

impl Caller {
    /// No credentials: an anonymous caller.
    pub fn anonymous() -> Self {
        Caller::default()
    }

    /// The credentials of a met requirement set.
    pub fn new(credentials: Vec<Credentials>) -> Self {
        Caller { credentials }
    }

    pub fn is_anonymous(&self) -> bool {
        self.credentials.is_empty()
    }
}

/// Serves the API `R` with the service `S`, without I/O: the caller reads the request (see
/// `api::axum::router` for axum).
pub struct Server<R, S> {
    service: S,
    authorize: Option<Authorize>,
    on_invalid: Option<RenderInvalid>,
    on_refused: Option<RenderRefused>,
    max_body_bytes: usize,
    max_uri_bytes: usize,
    routes: PhantomData<fn() -> R>,
}

impl<R, S> fmt::Debug for Server<R, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Server")
            .field("authorize", &self.authorize.is_some())
            .field("on_invalid", &self.on_invalid.is_some())
            .field("on_refused", &self.on_refused.is_some())
            .field("max_body_bytes", &self.max_body_bytes)
            .field("max_uri_bytes", &self.max_uri_bytes)
            .finish_non_exhaustive()
    }
}

impl<R: Routes<S>, S: Send + Sync + 'static> Server<R, S> {
    /// API bodies are small; a larger one is refused before it is parsed.
    pub const DEFAULT_MAX_BODY_BYTES: usize = 1 << 20;
    /// The request-target limit most servers and proxies apply (nginx's 8 KiB buffers); API
    /// paths and queries are a few hundred bytes.
    pub const DEFAULT_MAX_URI_BYTES: usize = 8 << 10;

    /// A server that lets in any well-formed Basic or Bearer credentials or API keys that meet
    /// a requirement set of the route: only the format is checked until
    /// [`authorize`](Server::authorize) says who. An OAuth2 token is refused until then: only a validator can tell one apart
    /// from any string.
    pub fn new(service: S) -> Self {
        Server {
            service,
            authorize: None,
            on_invalid: None,
            on_refused: None,
            max_body_bytes: Self::DEFAULT_MAX_BODY_BYTES,
            max_uri_bytes: Self::DEFAULT_MAX_URI_BYTES,
            routes: PhantomData,
        }
    }

    /// Narrows who is let in: `check` sees the credentials a request presents for one
    /// requirement set of its route, one for each scheme of the set in the set's order (so one
    /// for most operations, two for an app id and key required together), and answers whether
    /// to serve it. It sees them all at once because credentials required together often must
    /// belong together (this app's key). A request meeting several sets is let in if `check`
    /// accepts any of them; a route whose security allows anonymous access (`{}`) lets every
    /// request in without asking.
    ///
    /// Compare secrets in constant time ([`Credentials::matches`]); an API key says which
    /// header, query parameter or cookie it came in; an OAuth2 or OpenID Connect access token
    /// arrives as [`Credentials::Bearer`], for `check` to validate with its issuer.
    ///
    /// ```
    /// # use hookwright_runtime::api::Credentials;
    /// let expected = Credentials::bearer("token");
    /// let check = move |presented: &[Credentials]| matches!(presented, [one] if one.matches(&expected));
    /// # assert!(check(&[Credentials::bearer("token")]) && !check(&[Credentials::bearer("other")]));
    /// ```
    pub fn authorize(mut self, check: impl Fn(&[Credentials]) -> bool + Send + Sync + 'static) -> Self {
        self.authorize = Some(Box::new(check));
        self
    }

    /// Replaces the default 400 answer ([`bad_request`]), e.g. to match an API's own error body.
    pub fn on_invalid(mut self, render: impl Fn(&Route, &Violations) -> Response + Send + Sync + 'static) -> Self {
        self.on_invalid = Some(Box::new(render));
        self
    }

    /// Replaces the default body of a refusal (401, 404, 405, 413: [`problem`]), e.g. with an
    /// API's own error body so that its clients can decode it; `render` gets the status and
    /// the reason. Headers such as `WWW-Authenticate` and `Allow` are kept.
    pub fn on_refused(mut self, render: impl Fn(StatusCode, &str) -> Response + Send + Sync + 'static) -> Self {
        self.on_refused = Some(Box::new(render));
        self
    }

    /// A refusal's answer: `default`, or what [`on_refused`](Server::on_refused) renders with
    /// `default`'s headers.
    fn refusal(&self, default: Response) -> Response {
        let Some(render) = &self.on_refused else {
            return default;
        };
        let detail = serde_json::from_slice::<Value>(default.body())
            .ok()
            .and_then(|problem| problem.get("detail")?.as_str().map(str::to_owned))
            .unwrap_or_default();
        let mut custom = render(default.status(), &detail);
        for (name, value) in default.headers() {
            let body_header = name == http::header::CONTENT_TYPE || name == http::header::CONTENT_LENGTH;
            if !body_header && !custom.headers().contains_key(name) {
                custom.headers_mut().insert(name.clone(), value.clone());
            }
        }
        custom
    }

    /// The largest body accepted.
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    pub fn body_limit(&self) -> usize {
        self.max_body_bytes
    }

    /// The longest path and query (together) accepted; a longer one is 414.
    pub fn max_uri_bytes(mut self, limit: usize) -> Self {
        self.max_uri_bytes = limit;
        self
    }

    pub fn service(&self) -> &S {
        &self.service
    }

    /// Answers one request: length, routing, credentials, content type, size, then the
    /// operation.
    pub async fn handle(
        &self,
        method: &Method,
        path: &str,
        query: Option<&str>,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Response {
        match self.admit(method, path, query, headers) {
            Ok(admitted) => self.respond(admitted, query, headers, body).await,
            Err(refusal) => refusal.into_response(),
        }
    }

    /// Checks a request's length, route, path parameters, credentials and content type, before
    /// its body is read: HTTP glue calls this first so that an unknown path, a stranger or a
    /// body that could not be served costs no body read.
    pub fn admit(
        &self,
        method: &Method,
        path: &str,
        query: Option<&str>,
        headers: &HeaderMap,
    ) -> Result<Admitted, Refusal> {
        let refuse = |refusal: Refusal| Refusal::from(self.refusal(refusal.into_response()));
        let length = path.len() + query.map_or(0, |query| query.len() + 1);
        if length > self.max_uri_bytes {
            let detail = format!("the path and query are longer than the limit of {} bytes", self.max_uri_bytes);
            // Not the path itself: it is long, and may be long to flood the log.
            tracing::debug!(%method, length, status = 414, "refused a request: {detail}");
            return Err(refuse(problem(StatusCode::URI_TOO_LONG, &detail).into()));
        }
        let mut admitted = find_route::<R, S>(method, path).map_err(refuse)?;
        admitted.caller = self.check_credentials(admitted.route, path, query, headers).map_err(refuse)?;
        check_content_type(admitted.route, path, headers).map_err(refuse)?;
        Ok(admitted)
    }

    /// Runs an admitted request's operation, refusing a body over the limit first.
    pub async fn respond(&self, admitted: Admitted, query: Option<&str>, headers: &HeaderMap, body: &[u8]) -> Response {
        if body.len() > self.max_body_bytes {
            return self.too_large(&admitted);
        }
        let route = admitted.route;
        let (index, caller, params) = (admitted.index, admitted.caller, admitted.params);
        match R::call(&self.service, index, caller, params, Query::parse(query), headers, body).await {
            Ok(response) => {
                tracing::debug!(operation = route.operation, status = response.status().as_u16(), "served a request");
                response
            }
            Err(violations) => {
                tracing::debug!(operation = route.operation, status = 400, "refused a request: {violations}");
                match &self.on_invalid {
                    Some(render) => render(route, &violations),
                    None => bad_request(&violations),
                }
            }
        }
    }

    /// The 413 answer, for glue that stops reading a body at the limit.
    pub fn too_large(&self, admitted: &Admitted) -> Response {
        let detail = format!("the body is larger than the limit of {} bytes", self.max_body_bytes);
        tracing::warn!(operation = admitted.route.operation, status = 413, "refused a request: {detail}");
        self.refusal(problem(StatusCode::PAYLOAD_TOO_LARGE, &detail))
    }

    /// The 408 answer, for glue whose client did not send the body within its timeout.
    pub fn timed_out(&self, admitted: &Admitted) -> Response {
        let detail = "the body was not sent in time";
        tracing::warn!(operation = admitted.route.operation, status = 408, "refused a request: {detail}");
        self.refusal(problem(StatusCode::REQUEST_TIMEOUT, detail))
    }

    /// The 400 answer, for glue that could not read the body (broken off, or malformed
    /// chunked encoding).
    pub fn unreadable(&self, admitted: &Admitted) -> Response {
        let detail = "the body could not be read";
        tracing::debug!(operation = admitted.route.operation, status = 400, "refused a request: {detail}");
        self.refusal(problem(StatusCode::BAD_REQUEST, detail))
    }

    /// The [`Caller`]: the credentials of a requirement set of the route that the request
    /// meets in full and [`authorize`](Server::authorize) accepts. 401 unless there is one,
    /// the route needs no credentials, or it allows anonymous access (then an anonymous caller).
    fn check_credentials(
        &self,
        route: &Route,
        path: &str,
        query: Option<&str>,
        headers: &HeaderMap,
    ) -> Result<Caller, Refusal> {
        if route.security.is_empty() {
            return Ok(Caller::anonymous());
        }
        // Parsed once: every Basic, Bearer and OAuth2 scheme of every set reads this one header.
        let authorization = Credentials::from_headers(headers);
        // Why the request was refused: a set it presented in full says more than one it did not.
        let (mut refused, mut missing) = (None, None);
        for set in route.security.iter().filter(|set| !set.is_empty()) {
            match presented(set, query, headers, authorization.as_ref()) {
                Ok(credentials) => match self.refuses(set, &credentials) {
                    None => return Ok(Caller::new(credentials)),
                    Some(reason) => refused = refused.or(Some(reason.to_owned())),
                },
                Err(reason) => missing = missing.or(Some(reason)),
            }
        }
        if route.security.iter().any(|set| set.is_empty()) {
            return Ok(Caller::anonymous());
        }
        let reason = refused.or(missing).unwrap_or_default();
        Err(Refusal(Box::new(unauthorized(route, path, &reason))))
    }

    /// Why credentials presented for every scheme of `set` are refused; `None` lets them in.
    fn refuses(&self, set: &[Scheme], credentials: &[Credentials]) -> Option<&'static str> {
        match &self.authorize {
            // Any string looks like a token: only a validator can tell a real one.
            None if set.contains(&Scheme::OAuth2) => {
                Some("OAuth2 tokens are refused: the server was built without an `authorize` check to validate them")
            }
            None => None,
            Some(check) if check(credentials) => None,
            Some(_) => Some("the credentials are not accepted"),
        }
    }
}

/// The credentials a request presents for each scheme of `set`, in order. `Err` says what the
/// first scheme it does not meet is missing.
fn presented(
    set: &[Scheme],
    query: Option<&str>,
    headers: &HeaderMap,
    authorization: Option<&Credentials>,
) -> Result<Vec<Credentials>, String> {
    set.iter().map(|scheme| read(*scheme, query, headers, authorization)).collect()
}

/// The credentials a request presents for `scheme`: an API key where the scheme puts it (named
/// as the scheme names it), else `authorization` (the `Authorization` header's), if of the
/// scheme's kind.
fn read(
    scheme: Scheme,
    query: Option<&str>,
    headers: &HeaderMap,
    authorization: Option<&Credentials>,
) -> Result<Credentials, String> {
    if let Scheme::ApiKey { location, name } = scheme {
        let key = api_key(location, name, query, headers).filter(|key| !key.is_empty());
        return key
            .map(|key| Credentials::api_key(name, key))
            .ok_or_else(|| format!("the request has no API key `{name}`"));
    }
    if let Scheme::Unsupported { .. } = scheme {
        return Err("this server cannot check the credentials the operation requires".to_owned());
    }
    let credentials = match authorization {
        None if headers.contains_key(AUTHORIZATION) => {
            return Err("the Authorization header does not hold well-formed credentials".to_owned())
        }
        None => return Err("the request has no Authorization header".to_owned()),
        Some(credentials) => credentials,
    };
    if !scheme.fits(credentials) {
        return Err(format!("{} credentials are not accepted here", credentials.name()));
    }
    Ok(credentials.clone())
}

/// The API key named `name` in the request's headers, query or cookies.
fn api_key(location: KeyLocation, name: &str, query: Option<&str>, headers: &HeaderMap) -> Option<String> {
    match location {
        KeyLocation::Header => headers.get(name)?.to_str().ok().map(str::to_owned),
        KeyLocation::Query => Query::parse(query).get(name).map(str::to_owned),
        KeyLocation::Cookie => cookie(headers, name).map(str::to_owned),
    }
}

/// The route for `method` among those whose template `path` fits best (most literal
/// segments; the first declared on a tie), as OpenAPI matches concrete paths before templated
/// ones. `Err` is the 404 or 405 answer.
fn find_route<R: Routes<S>, S>(method: &Method, path: &str) -> Result<Admitted, Refusal> {
    let templates = R::ROUTES.iter().map(|route| route.template);
    let best = path.starts_with('/').then(|| path_template::best(templates, path, |_| true)).flatten();
    let Some((best, fit)) = best else {
        return Err(Refusal::from(refused(
            StatusCode::NOT_FOUND,
            method,
            path,
            "no operation of this API has this path",
        )));
    };
    let template = R::ROUTES[best].template;
    let same_path = || R::ROUTES.iter().enumerate().filter(move |(_, route)| route.template == template);
    match same_path().find(|(_, route)| route.method == *method) {
        Some((index, route)) => {
            let params = decode_params(method, path, fit.values)?;
            Ok(Admitted { index, route, params, caller: Caller::anonymous() })
        }
        None => Err(Refusal::from(method_not_allowed(method, path, same_path().map(|(_, route)| &route.method)))),
    }
}

/// Percent-decodes path parameters, refusing (400) a value that could address something
/// other than one resource ([`path_template::decode`]).
fn decode_params(method: &Method, path: &str, raw: RawParams<'_>) -> Result<PathParams, Refusal> {
    let mut params = Vec::with_capacity(raw.len());
    for (name, segment) in raw {
        let Some(value) = path_template::decode(segment) else {
            let detail = format!(
                "path parameter {name} must not be `.` or `..`, nor hold `/`, `\\`, control \
                 characters or invalid UTF-8 once percent-decoded"
            );
            return Err(refused(StatusCode::BAD_REQUEST, method, path, &detail).into());
        };
        params.push((name, value.into_owned()));
    }
    Ok(PathParams(params))
}

/// 415 when the request declares a body (a `Content-Length` above 0, or a `Transfer-Encoding`)
/// whose `Content-Type` is not JSON: every body a generated API decodes is JSON, and another
/// type says the client meant something else.
fn check_content_type(route: &Route, path: &str, headers: &HeaderMap) -> Result<(), Refusal> {
    let declares_body = headers.contains_key(TRANSFER_ENCODING)
        || headers.get(CONTENT_LENGTH).is_some_and(|length| length.as_bytes() != b"0");
    if !declares_body || headers.get(CONTENT_TYPE).is_some_and(is_json) {
        return Ok(());
    }
    let detail = "the body must be JSON, sent with `Content-Type: application/json`";
    Err(refused(StatusCode::UNSUPPORTED_MEDIA_TYPE, &route.method, path, detail).into())
}

/// `application/json`, or a `+json` type such as `application/merge-patch+json`, with any
/// parameters (`; charset=utf-8`).
fn is_json(content_type: &HeaderValue) -> bool {
    let Ok(text) = content_type.to_str() else {
        return false;
    };
    let essence = text.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// An RFC 9457 problem: `type` `about:blank`, the status's reason as `title`, and `detail`.
pub fn problem(status: StatusCode, detail: &str) -> Response {
    problem_with(status, detail, None)
}

/// The default 400 answer: a problem whose `invalid-params` lists each violation's field
/// (`name`) and rule (`reason`), as RFC 9457's example does.
pub fn bad_request(violations: &Violations) -> Response {
    let params: Vec<Value> = violations.iter().map(|v| json!({"name": v.field, "reason": v.rule})).collect();
    problem_with(StatusCode::BAD_REQUEST, &violations.to_string(), Some(Value::Array(params)))
}

fn problem_with(status: StatusCode, detail: &str, invalid_params: Option<Value>) -> Response {
    let mut body = json!({
        "type": "about:blank",
        "title": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
        "detail": detail,
    });
    if let (Some(params), Some(object)) = (invalid_params, body.as_object_mut()) {
        object.insert("invalid-params".to_owned(), params);
    }
    let bytes = serde_json::to_vec(&body).unwrap_or_default();
    with_content_type(raw_response(status, bytes), PROBLEM_JSON)
}

/// A client's mistake (404, 405, 400, 415) as a problem, logged at debug.
fn refused(status: StatusCode, method: &Method, path: &str, detail: &str) -> Response {
    tracing::debug!(%method, path, status = status.as_u16(), "refused a request: {detail}");
    problem(status, detail)
}

fn method_not_allowed<'a>(method: &Method, path: &str, allowed: impl Iterator<Item = &'a Method>) -> Response {
    let allow = allowed.map(Method::as_str).collect::<Vec<_>>().join(", ");
    let detail = format!("{method} is not an operation of this path; it allows {allow}");
    let mut response = refused(StatusCode::METHOD_NOT_ALLOWED, method, path, &detail);
    if let Ok(value) = HeaderValue::from_str(&allow) {
        response.headers_mut().insert(ALLOW, value);
    }
    response
}

/// A 401 naming the requirement sets in its detail and every scheme of them in
/// `WWW-Authenticate`, logged at warn.
fn unauthorized(route: &Route, path: &str, reason: &str) -> Response {
    let sets =
        unique(route.security.iter().map(|set| unique(set.iter().map(|scheme| described(*scheme))).join(" and ")));
    let detail = format!("{}; {} requires {} credentials", reason, route.operation, sets.join(" or "));
    tracing::warn!(operation = route.operation, path, status = 401, "refused a request: {detail}");
    let challenges = unique(route.security.iter().flat_map(|set| set.iter()).filter_map(|scheme| scheme.challenge()));
    let mut response = problem(StatusCode::UNAUTHORIZED, &detail);
    // An API key has no challenge of its own; a 401 still needs one.
    let challenges = if challenges.is_empty() { "ApiKey".to_owned() } else { challenges.join(", ") };
    if let Ok(value) = HeaderValue::from_str(&challenges) {
        response.headers_mut().insert(WWW_AUTHENTICATE, value);
    }
    response
}

/// A scheme as a 401 names it: an API key with the name it travels by, for a client to see
/// which key of two it left out.
fn described(scheme: Scheme) -> String {
    match scheme {
        Scheme::ApiKey { name, .. } => format!("API key `{name}`"),
        other => other.name().to_owned(),
    }
}

/// Each of `items` once, in order: OAuth2 and Bearer share a name and a challenge.
fn unique<T: PartialEq>(items: impl Iterator<Item = T>) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::client::json_response;
    use crate::api::validate::{check_number, check_str, Rules};
    use http::header::CONTENT_TYPE;
    use std::sync::atomic::{AtomicUsize, Ordering};

    const SECRET: &str = "zz-very-secret-7f3a";
    const BOTH: &[&[Scheme]] = &[&[Scheme::Basic], &[Scheme::Bearer]];
    const HEADER_KEY: Scheme = Scheme::ApiKey { location: KeyLocation::Header, name: "X-Api-Key" };
    const KEYS: &[&[Scheme]] = &[
        &[HEADER_KEY],
        &[Scheme::ApiKey { location: KeyLocation::Query, name: "api_key" }],
        &[Scheme::ApiKey { location: KeyLocation::Cookie, name: "key" }],
    ];
    const APP_ID: Scheme = Scheme::ApiKey { location: KeyLocation::Header, name: "X-App-Id" };

    /// A hand-written stand-in for a generated API: five operations, three paths.
    struct Api;

    #[derive(Default)]
    struct Store {
        calls: AtomicUsize,
    }

    impl Routes<Store> for Api {
        const ROUTES: &'static [Route] = &[
            Route {
                method: Method::GET,
                template: "/v1/projects/{projectId}/webhooks",
                operation: "List",
                security: BOTH,
            },
            Route {
                method: Method::POST,
                template: "/v1/projects/{projectId}/webhooks",
                operation: "Create",
                security: BOTH,
            },
            Route {
                method: Method::GET,
                template: "/v1/projects/{projectId}/webhooks/{webhookId}",
                operation: "Get",
                security: &[&[Scheme::Bearer]],
            },
            Route {
                method: Method::DELETE,
                template: "/v1/projects/{projectId}/webhooks/{webhookId}",
                operation: "Delete",
                security: BOTH,
            },
            Route {
                method: Method::GET,
                template: "/v1/projects/{projectId}/webhooks/special",
                operation: "Special",
                security: &[],
            },
            Route { method: Method::GET, template: "/v1/keys", operation: "Keys", security: KEYS },
            Route { method: Method::GET, template: "/v1/oauth", operation: "OAuth", security: &[&[Scheme::OAuth2]] },
            Route {
                method: Method::GET,
                template: "/v1/digest",
                operation: "Digest",
                security: &[&[Scheme::Unsupported { name: "digestAuth" }]],
            },
            Route {
                method: Method::GET,
                template: "/v1/apps",
                operation: "Apps",
                security: &[&[APP_ID, HEADER_KEY], &[Scheme::Bearer]],
            },
            Route {
                method: Method::GET,
                template: "/v1/public",
                operation: "Public",
                security: &[&[APP_ID, HEADER_KEY], &[]],
            },
            Route { method: Method::GET, template: "/v1/files/{name}.json", operation: "File", security: &[] },
        ];

        async fn call(
            service: &Store,
            route: usize,
            caller: Caller,
            params: PathParams,
            query: Query,
            _: &HeaderMap,
            body: &[u8],
        ) -> Result<Response, Violations> {
            service.calls.fetch_add(1, Ordering::Relaxed);
            if route >= 5 {
                // Who the server let in: each credential by its kind, an API key by its name.
                let caller: Vec<&str> = caller
                    .credentials
                    .iter()
                    .map(|credentials| match credentials {
                        Credentials::ApiKey { name, .. } => name.as_str(),
                        other => other.name(),
                    })
                    .collect();
                let operation = Self::ROUTES[route].operation;
                return Ok(json_response(StatusCode::OK, &json!({"operation": operation, "caller": caller})));
            }
            let mut out = Vec::new();
            let project: Option<String> = required_param(params.get("projectId"), "path.projectId", &mut out);
            let echo = match route {
                0 => {
                    const SIZE: Rules = Rules { minimum: Some(1.0), maximum: Some(15.0), ..Rules::NONE };
                    let size: Option<i64> = optional_param(query.get("pageSize"), "query.pageSize", &mut out);
                    if let Some(size) = size {
                        check_number("query.pageSize", size as f64, &SIZE, &mut out);
                    }
                    json!({"operation": "List", "project": project, "pageSize": size})
                }
                1 => {
                    const SECRET_RULES: Rules = Rules { max_length: Some(8), ..Rules::NONE };
                    let body: Option<Value> = json_body(body, &mut out);
                    if let Some(secret) = body.as_ref().and_then(|b| b["secret"].as_str()) {
                        check_str("body.secret", secret, &SECRET_RULES, &mut out);
                    }
                    json!({"operation": "Create", "project": project})
                }
                _ => {
                    json!({"operation": Self::ROUTES[route].operation, "project": project, "webhook": params.get("webhookId")})
                }
            };
            Violations::result(out)?;
            Ok(json_response(StatusCode::OK, &echo))
        }
    }

    fn server() -> Server<Api, Store> {
        Server::new(Store::default())
    }

    fn bearer(token: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, Credentials::bearer(token).header_value());
        headers
    }

    fn basic(user: &str, password: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, Credentials::basic(user, password).header_value());
        headers
    }

    fn run<F: Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(future)
    }

    fn send(
        server: &Server<Api, Store>,
        method: Method,
        path: &str,
        query: Option<&str>,
        headers: &HeaderMap,
        body: &[u8],
    ) -> (StatusCode, Value, Response) {
        let response = run(server.handle(&method, path, query, headers, body));
        let json = serde_json::from_slice(response.body()).unwrap_or(Value::Null);
        (response.status(), json, response)
    }

    #[test]
    fn serves_a_matched_route_with_decoded_params() {
        let (status, body, _) =
            send(&server(), Method::GET, "/v1/projects/a%3Fb%20c/webhooks/w%C3%BC", None, &bearer("t"), b"");
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, json!({"operation": "Get", "project": "a?b c", "webhook": "wü"}));
    }

    #[test]
    fn path_parameters_that_could_address_something_else_are_400() {
        let server = server();
        for path in [
            "/v1/projects/a%2Fwebhooks%2Fb/webhooks",
            "/v1/projects/a%2fb/webhooks",
            "/v1/projects/a%5Cb/webhooks",
            "/v1/projects/../webhooks",
            "/v1/projects/./webhooks",
            "/v1/projects/%2E%2E/webhooks",
            "/v1/projects/p/webhooks/%2e",
            "/v1/projects/p%00/webhooks",
            "/v1/projects/p%0Ax/webhooks",
            "/v1/projects/p%FF/webhooks",
        ] {
            let (status, body, response) = send(&server, Method::GET, path, None, &bearer("t"), b"");
            assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
            assert_eq!(response.headers()[CONTENT_TYPE], PROBLEM_JSON, "{path}");
            let detail = body["detail"].as_str().unwrap_or_default();
            assert!(detail.starts_with("path parameter "), "{path}: {detail}");
        }
        // A `..` that is a segment of its own, not a parameter, leaves no template matching.
        let (status, _, _) = send(&server, Method::GET, "/v1/projects/a/../b/webhooks", None, &bearer("t"), b"");
        assert_eq!(status, StatusCode::NOT_FOUND);
        // `.` and `..` inside a value, and `%` that escapes nothing, are ordinary characters.
        let (status, body, _) = send(&server, Method::GET, "/v1/projects/a..b/webhooks/.x%", None, &bearer("t"), b"");
        assert_eq!((status, &body["project"], &body["webhook"]), (StatusCode::OK, &json!("a..b"), &json!(".x%")));
        assert_eq!(server.service().calls.load(Ordering::Relaxed), 1);
    }

    #[test]
    fn a_target_over_the_limit_is_414_before_routing() {
        let server = server().max_uri_bytes(64);
        let long = format!("/v1/projects/{}/webhooks", "p".repeat(50));
        let (status, body, _) = send(&server, Method::GET, &long, None, &HeaderMap::new(), b"");
        assert_eq!(status, StatusCode::URI_TOO_LONG);
        assert_eq!(body["detail"], "the path and query are longer than the limit of 64 bytes");
        let query = "a".repeat(50);
        let (status, _, _) = send(&server, Method::GET, "/v1/projects/p/webhooks", Some(&query), &bearer("t"), b"");
        assert_eq!(status, StatusCode::URI_TOO_LONG);
        let (status, _, _) = send(&server, Method::GET, "/v1/projects/p/webhooks", None, &bearer("t"), b"");
        assert_eq!(status, StatusCode::OK);
        assert_eq!(Server::<Api, Store>::new(Store::default()).max_uri_bytes, 8192);
    }

    #[test]
    fn a_body_that_is_not_json_is_415() {
        let server = server();
        let path = "/v1/projects/p/webhooks";
        let with = |pairs: &[(http::HeaderName, &'static str)]| {
            let mut headers = bearer("t");
            for (name, value) in pairs {
                headers.insert(name.clone(), HeaderValue::from_static(value));
            }
            headers
        };
        for refused in [
            with(&[(CONTENT_LENGTH, "2")]),
            with(&[(CONTENT_LENGTH, "2"), (CONTENT_TYPE, "text/plain")]),
            with(&[(TRANSFER_ENCODING, "chunked"), (CONTENT_TYPE, "application/x-www-form-urlencoded")]),
            with(&[(CONTENT_LENGTH, "2"), (CONTENT_TYPE, "application/jsonp")]),
        ] {
            let (status, body, _) = send(&server, Method::POST, path, None, &refused, b"{}");
            assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{refused:?}");
            assert_eq!(body["detail"], "the body must be JSON, sent with `Content-Type: application/json`");
        }
        for accepted in [
            with(&[(CONTENT_LENGTH, "2"), (CONTENT_TYPE, "application/json")]),
            with(&[(CONTENT_LENGTH, "2"), (CONTENT_TYPE, "Application/JSON; charset=utf-8")]),
            with(&[(CONTENT_LENGTH, "2"), (CONTENT_TYPE, "application/merge-patch+json")]),
            with(&[(CONTENT_LENGTH, "0")]),
            bearer("t"),
        ] {
            let (status, _, _) = send(&server, Method::POST, path, None, &accepted, b"{}");
            assert_eq!(status, StatusCode::OK, "{accepted:?}");
        }
        // Credentials are checked first: a stranger learns nothing about the body's type.
        let (status, _, _) = send(&server, Method::POST, path, None, &HeaderMap::new(), b"{}");
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }

    #[test]
    fn query_parameters_are_parsed_and_checked() {
        let server = server();
        let (status, body, _) =
            send(&server, Method::GET, "/v1/projects/p/webhooks", Some("pageSize=15&pageSize=2"), &bearer("t"), b"");
        assert_eq!((status, &body["pageSize"]), (StatusCode::OK, &json!(15)));
        let (status, body, response) =
            send(&server, Method::GET, "/v1/projects/p/webhooks", Some("pageSize=0"), &bearer("t"), b"");
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(response.headers()[CONTENT_TYPE], PROBLEM_JSON);
        assert_eq!(
            body,
            json!({
                "type": "about:blank",
                "title": "Bad Request",
                "status": 400,
                "detail": "invalid: query.pageSize: must be at least 1 (is 0)",
                "invalid-params": [{"name": "query.pageSize", "reason": "must be at least 1 (is 0)"}],
            })
        );
        let (_, body, _) =
            send(&server, Method::GET, "/v1/projects/p/webhooks", Some("pageSize=ten"), &bearer("t"), b"");
        assert_eq!(body["detail"], "invalid: query.pageSize: must be an integer");
    }

    #[test]
    fn literal_segments_win_over_parameters() {
        let (status, body, _) =
            send(&server(), Method::GET, "/v1/projects/p/webhooks/special", None, &HeaderMap::new(), b"");
        assert_eq!((status, &body["operation"]), (StatusCode::OK, &json!("Special")));
        let (status, body, _) = send(&server(), Method::GET, "/v1/projects/p/webhooks/other", None, &bearer("t"), b"");
        assert_eq!((status, &body["operation"]), (StatusCode::OK, &json!("Get")));
    }

    #[test]
    fn the_service_is_told_which_credentials_let_a_request_in() {
        let caller = |server: &Server<Api, Store>, path: &str, headers: &HeaderMap| {
            let (status, body, _) = send(server, Method::GET, path, None, headers, b"");
            (status, body["caller"].clone())
        };
        let accepting = server().authorize(|_| true);
        let refusing = server().authorize(|_| false);
        assert_eq!(
            caller(&accepting, "/v1/apps", &keys("app-1", SECRET)),
            (StatusCode::OK, json!(["X-App-Id", "X-Api-Key"]))
        );
        assert_eq!(caller(&accepting, "/v1/apps", &bearer(SECRET)).1, json!(["Bearer"]), "one scheme, one credential");
        assert_eq!(caller(&accepting, "/v1/public", &HeaderMap::new()), (StatusCode::OK, json!([])), "anonymous");
        assert_eq!(caller(&accepting, "/v1/public", &keys("app-1", SECRET)).1, json!(["X-App-Id", "X-Api-Key"]));
        // On a route that lets anyone in, credentials `authorize` refuses leave the caller anonymous.
        assert_eq!(caller(&refusing, "/v1/public", &keys("app-1", SECRET)), (StatusCode::OK, json!([])));
        assert_eq!(caller(&accepting, "/v1/files/a.json", &bearer(SECRET)).1, json!([]), "no security, nothing read");
    }

    #[test]
    fn a_parameter_may_sit_inside_a_segment() {
        let (status, body, _) = send(&server(), Method::GET, "/v1/files/report.json", None, &HeaderMap::new(), b"");
        assert_eq!((status, &body["operation"]), (StatusCode::OK, &json!("File")));
        for path in ["/v1/files/report", "/v1/files/.json"] {
            assert_eq!(
                send(&server(), Method::GET, path, None, &HeaderMap::new(), b"").0,
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
        let (status, _, _) = send(&server(), Method::GET, "/v1/files/..%2Fx.json", None, &HeaderMap::new(), b"");
        assert_eq!(status, StatusCode::BAD_REQUEST, "a value that names another resource");
    }

    #[test]
    fn unknown_paths_are_404() {
        let server = server();
        for path in [
            "/",
            "/v1/projects/p",
            "/v1/projects//webhooks",
            "/v1/projects/p/webhooks/",
            "/v1/projects/p/webhooks/w/x",
            "v1/projects/p/webhooks",
        ] {
            let (status, body, response) = send(&server, Method::GET, path, None, &bearer("t"), b"");
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
            assert_eq!(response.headers()[CONTENT_TYPE], PROBLEM_JSON);
            assert_eq!(body["detail"], "no operation of this API has this path");
        }
        assert_eq!(server.service().calls.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn other_methods_are_405_with_allow() {
        let (status, body, response) = send(&server(), Method::PUT, "/v1/projects/p/webhooks", None, &bearer("t"), b"");
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(response.headers()[ALLOW], "GET, POST");
        assert_eq!(body["detail"], "PUT is not an operation of this path; it allows GET, POST");
        // The literal template wins, so DELETE of `special` is not the parameterised DELETE.
        let (status, _, response) =
            send(&server(), Method::DELETE, "/v1/projects/p/webhooks/special", None, &bearer("t"), b"");
        assert_eq!(
            (status, &response.headers()[ALLOW]),
            (StatusCode::METHOD_NOT_ALLOWED, &HeaderValue::from_static("GET"))
        );
    }

    #[test]
    fn missing_or_malformed_credentials_are_401_naming_the_schemes() {
        let server = server();
        let mut garbled = HeaderMap::new();
        garbled.insert(AUTHORIZATION, HeaderValue::from_static("Basic !!!"));
        for (headers, reason) in [
            (HeaderMap::new(), "the request has no Authorization header"),
            (garbled, "the Authorization header does not hold well-formed credentials"),
        ] {
            let (status, body, response) = send(&server, Method::GET, "/v1/projects/p/webhooks", None, &headers, b"");
            assert_eq!(status, StatusCode::UNAUTHORIZED);
            assert_eq!(response.headers()[WWW_AUTHENTICATE], "Basic realm=\"api\", Bearer");
            assert_eq!(body["detail"], format!("{reason}; List requires Basic or Bearer credentials"));
        }
        assert_eq!(server.service().calls.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn a_body_of_the_wrong_shape_names_the_field_that_broke_it() {
        let mut out = Vec::new();
        let body: Option<std::collections::BTreeMap<String, Vec<u32>>> =
            json_body(br#"{"a":[1,2],"b":[3,"x"]}"#, &mut out);
        assert!(body.is_none());
        assert_eq!(out[0].field, "body.b[1]", "{out:?}");
        out.clear();
        let body: Option<Vec<u32>> = json_body(b"[1] trailing", &mut out);
        assert!(body.is_none());
        assert_eq!(out[0].field, "body", "{out:?}");
    }

    #[test]
    fn on_refused_renders_refusals_in_the_apis_shape_keeping_their_headers() {
        let server = server().on_refused(|status, detail| {
            json_response(status, &json!({"error": {"code": status.as_u16(), "message": detail}}))
        });
        let (status, body, response) =
            send(&server, Method::GET, "/v1/projects/p/webhooks", None, &HeaderMap::new(), b"");
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["error"]["code"], 401);
        assert!(body["error"]["message"].as_str().unwrap().contains("no Authorization header"), "{body}");
        assert_eq!(response.headers()[WWW_AUTHENTICATE], "Basic realm=\"api\", Bearer");
        assert_eq!(response.headers()[CONTENT_TYPE], "application/json");

        let (status, body, _) = send(&server, Method::GET, "/nowhere", None, &bearer(SECRET), b"");
        assert_eq!((status, body["error"]["code"].as_u64()), (StatusCode::NOT_FOUND, Some(404)));
        let (status, _, response) = send(&server, Method::PUT, "/v1/projects/p/webhooks", None, &bearer(SECRET), b"");
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
        assert!(response.headers().contains_key(http::header::ALLOW));
    }

    #[test]
    fn a_scheme_the_route_does_not_accept_is_401() {
        let (status, body, response) =
            send(&server(), Method::GET, "/v1/projects/p/webhooks/w", None, &basic("u", SECRET), b"");
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(response.headers()[WWW_AUTHENTICATE], "Bearer");
        assert_eq!(body["detail"], "Basic credentials are not accepted here; Get requires Bearer credentials");
    }

    #[test]
    fn authorize_narrows_who_is_let_in() {
        let server = server().authorize(|presented| match presented {
            [Credentials::Basic { username, password }] => username == "ann" && password.expose() == SECRET,
            [Credentials::Bearer { token }] => token.expose() == SECRET,
            _ => false,
        });
        let path = "/v1/projects/p/webhooks";
        assert_eq!(send(&server, Method::GET, path, None, &basic("ann", SECRET), b"").0, StatusCode::OK);
        assert_eq!(send(&server, Method::GET, path, None, &bearer(SECRET), b"").0, StatusCode::OK);
        let (status, body, _) = send(&server, Method::GET, path, None, &basic("ann", "wrong"), b"");
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["detail"], "the credentials are not accepted; List requires Basic or Bearer credentials");
        assert_eq!(send(&server, Method::GET, path, None, &bearer("wrong"), b"").0, StatusCode::UNAUTHORIZED);
        // A route without schemes needs no credentials.
        assert_eq!(
            send(&server, Method::GET, "/v1/projects/p/webhooks/special", None, &HeaderMap::new(), b"").0,
            StatusCode::OK
        );
    }

    fn one_header(name: http::HeaderName, value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn api_keys_are_read_where_their_scheme_says_and_checked() {
        let server = server().authorize(|presented| match presented {
            [Credentials::ApiKey { key, .. }] => key.expose() == SECRET,
            _ => false,
        });
        let cookie = one_header(http::header::COOKIE, &format!("other=1; key={SECRET}"));
        let header = one_header(http::HeaderName::from_static("x-api-key"), SECRET);
        let query = format!("api_key={SECRET}");
        for (query, headers) in [(None, &header), (Some(query.as_str()), &HeaderMap::new()), (None, &cookie)] {
            let (status, body, _) = send(&server, Method::GET, "/v1/keys", query, headers, b"");
            assert_eq!((status, &body["operation"]), (StatusCode::OK, &json!("Keys")), "{query:?} {headers:?}");
        }
        let wrong = one_header(http::HeaderName::from_static("x-api-key"), "zz-very-secret-7f3b");
        let (status, body, response) = send(&server, Method::GET, "/v1/keys", None, &wrong, b"");
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            body["detail"],
            "the credentials are not accepted; Keys requires API key `X-Api-Key` or API key `api_key` or API key \
             `key` credentials"
        );
        assert_eq!(response.headers()[WWW_AUTHENTICATE], "ApiKey");
        let (status, body, _) = send(&server, Method::GET, "/v1/keys", Some("api_key="), &bearer(SECRET), b"");
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(body["detail"].as_str().unwrap().starts_with("the request has no API key `X-Api-Key`; "), "{body}");
        // Without an `authorize` check, any key is let in, as any Basic or Bearer credentials are.
        assert_eq!(send(&self::server(), Method::GET, "/v1/keys", None, &wrong, b"").0, StatusCode::OK);
    }

    #[test]
    fn oauth2_tokens_need_a_validator() {
        let (status, body, response) = send(&server(), Method::GET, "/v1/oauth", None, &bearer(SECRET), b"");
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(response.headers()[WWW_AUTHENTICATE], "Bearer");
        let detail = body["detail"].as_str().unwrap();
        assert!(detail.starts_with("OAuth2 tokens are refused: the server was built without"), "{detail}");
        let validated =
            server().authorize(|presented| matches!(presented, [token] if token.matches(&Credentials::bearer(SECRET))));
        assert_eq!(send(&validated, Method::GET, "/v1/oauth", None, &bearer(SECRET), b"").0, StatusCode::OK);
        assert_eq!(send(&validated, Method::GET, "/v1/oauth", None, &bearer("t"), b"").0, StatusCode::UNAUTHORIZED);
        let (status, body, _) = send(&validated, Method::GET, "/v1/oauth", None, &basic("ann", SECRET), b"");
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["detail"], "Basic credentials are not accepted here; OAuth requires Bearer credentials");
    }

    fn keys(app: &str, key: &str) -> HeaderMap {
        let mut headers = one_header(http::HeaderName::from_static("x-app-id"), app);
        headers.insert("x-api-key", HeaderValue::from_str(key).unwrap());
        headers
    }

    #[test]
    fn schemes_required_together_are_all_needed() {
        let server = server().authorize(|presented| match presented {
            // The app's id and its key, told apart by the names they came by.
            [app, key] => {
                app.matches(&Credentials::api_key("X-App-Id", "app-1"))
                    & key.matches(&Credentials::api_key("X-Api-Key", SECRET))
            }
            [token] => token.matches(&Credentials::bearer(SECRET)),
            _ => false,
        });
        let key_alone = one_header(http::HeaderName::from_static("x-api-key"), SECRET);
        let (status, body, response) = send(&server, Method::GET, "/v1/apps", None, &key_alone, b"");
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            body["detail"],
            "the request has no API key `X-App-Id`; Apps requires API key `X-App-Id` and API key `X-Api-Key` or \
             Bearer credentials"
        );
        assert_eq!(response.headers()[WWW_AUTHENTICATE], "Bearer");
        let app_alone = one_header(http::HeaderName::from_static("x-app-id"), "app-1");
        assert_eq!(send(&server, Method::GET, "/v1/apps", None, &app_alone, b"").0, StatusCode::UNAUTHORIZED);
        assert_eq!(send(&server, Method::GET, "/v1/apps", None, &keys("app-1", SECRET), b"").0, StatusCode::OK);
        let (status, body, _) = send(&server, Method::GET, "/v1/apps", None, &keys("app-2", SECRET), b"");
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(body["detail"].as_str().unwrap().starts_with("the credentials are not accepted; "), "{body}");
        // The other set is an alternative.
        assert_eq!(send(&server, Method::GET, "/v1/apps", None, &bearer(SECRET), b"").0, StatusCode::OK);
        assert_eq!(send(&server, Method::GET, "/v1/apps", None, &bearer("t"), b"").0, StatusCode::UNAUTHORIZED);
        // Without an `authorize` check only the format is checked, but of every scheme of a set.
        assert_eq!(send(&self::server(), Method::GET, "/v1/apps", None, &key_alone, b"").0, StatusCode::UNAUTHORIZED);
        assert_eq!(send(&self::server(), Method::GET, "/v1/apps", None, &keys("a", "k"), b"").0, StatusCode::OK);
    }

    #[test]
    fn an_empty_requirement_set_lets_anyone_in() {
        let server = server().authorize(|_| false);
        for headers in [HeaderMap::new(), keys("app-1", SECRET), bearer("t")] {
            let (status, body, _) = send(&server, Method::GET, "/v1/public", None, &headers, b"");
            assert_eq!((status, &body["operation"]), (StatusCode::OK, &json!("Public")), "{headers:?}");
        }
    }

    #[test]
    fn a_scheme_the_server_cannot_check_lets_nobody_in() {
        let server = server().authorize(|_| true);
        let (status, body, _) = send(&server, Method::GET, "/v1/digest", None, &bearer(SECRET), b"");
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            body["detail"],
            "this server cannot check the credentials the operation requires; Digest requires digestAuth credentials"
        );
    }

    #[test]
    fn header_and_cookie_parameters_are_read() {
        let mut headers = one_header(http::header::COOKIE, "a=1; session=x=y");
        headers.append(http::header::COOKIE, HeaderValue::from_static("b=2"));
        headers.insert("x-request-id", HeaderValue::from_bytes(b"r\xff1").unwrap());
        assert_eq!(cookie(&headers, "session"), Some("x=y"));
        assert_eq!(cookie(&headers, "b"), Some("2"));
        assert_eq!(cookie(&headers, "c"), None);
        assert_eq!(header(&headers, "X-Request-Id").as_deref(), Some("r\u{fffd}1"));
        assert_eq!(header(&headers, "x-other"), None);
        let mut out = Vec::new();
        assert_eq!(optional_json_body::<Value>(b" ", &mut out), None);
        assert_eq!(optional_json_body::<Value>(b"[1]", &mut out), Some(json!([1])));
        assert_eq!(optional_json_body::<Value>(b"[", &mut out), None);
        assert_eq!(out.len(), 1, "{out:?}");
    }

    #[test]
    fn bodies_over_the_limit_are_413() {
        let server = server().max_body_bytes(8);
        assert_eq!(server.body_limit(), 8);
        let (status, body, _) =
            send(&server, Method::POST, "/v1/projects/p/webhooks", None, &bearer("t"), b"{\"a\": 123456}");
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(body["detail"], "the body is larger than the limit of 8 bytes");
        assert_eq!(send(&server, Method::POST, "/v1/projects/p/webhooks", None, &bearer("t"), b"{}").0, StatusCode::OK);
        assert_eq!(Server::<Api, Store>::new(Store::default()).body_limit(), 1 << 20);
    }

    #[test]
    fn invalid_bodies_are_400_without_their_values() {
        let server = server();
        let path = "/v1/projects/p/webhooks";
        let (status, body, _) =
            send(&server, Method::POST, path, None, &bearer("t"), format!(r#"{{"secret": "{SECRET}"}}"#).as_bytes());
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            body["invalid-params"],
            json!([{"name": "body.secret", "reason": "must be at most 8 characters long (is 19)"}])
        );
        let (_, body, _) = send(&server, Method::POST, path, None, &bearer("t"), b"");
        assert_eq!(body["detail"], "invalid: body: is required");
        let (_, body, response) =
            send(&server, Method::POST, path, None, &bearer("t"), format!(r#"{{"secret": "{SECRET}"#).as_bytes());
        assert_eq!(
            body["detail"],
            "invalid: body: must be JSON of the declared shape: EOF while parsing a string at line 1 column 31"
        );
        assert!(!String::from_utf8_lossy(response.body()).contains(SECRET));
    }

    #[test]
    fn on_invalid_replaces_the_400_body() {
        let server = server().on_invalid(|route, violations| {
            raw_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("{} {}", route.operation, violations.0.len()).into_bytes(),
            )
        });
        let response =
            run(server.handle(&Method::GET, "/v1/projects/p/webhooks", Some("pageSize=99"), &bearer("t"), b""));
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(response.body(), b"List 1");
    }

    #[test]
    fn admit_refuses_before_the_body_is_read() {
        let server = server();
        assert_eq!(
            server.admit(&Method::GET, "/nope", None, &HeaderMap::new()).unwrap_err().status(),
            StatusCode::NOT_FOUND
        );
        let admitted = server.admit(&Method::GET, "/v1/projects/p/webhooks/w", None, &bearer("t")).unwrap();
        assert_eq!(admitted.route().operation, "Get");
        assert_eq!(admitted.params().get("webhookId"), Some("w"));
        assert_eq!(server.too_large(&admitted).status(), StatusCode::PAYLOAD_TOO_LARGE);
    }

    #[test]
    fn params_parse_collecting_violations() {
        let mut out = Vec::new();
        assert_eq!(required_param::<i64>(Some("12"), "query.a", &mut out), Some(12));
        assert_eq!(required_param::<i64>(None, "query.b", &mut out), None);
        assert_eq!(required_param::<i32>(Some(SECRET), "query.c", &mut out), None);
        assert_eq!(optional_param::<u32>(Some("-1"), "query.d", &mut out), None);
        assert_eq!(optional_param::<f64>(Some("x"), "query.e", &mut out), None);
        assert_eq!(optional_param::<bool>(Some("yes"), "query.f", &mut out), None);
        assert_eq!(optional_param::<crate::Timestamp>(Some("x"), "query.g", &mut out), None);
        assert_eq!(optional_param::<std::net::IpAddr>(Some("x"), "query.h", &mut out), None);
        assert_eq!(optional_param::<bool>(None, "query.i", &mut out), None);
        assert_eq!(required_param::<String>(Some(""), "query.j", &mut out).as_deref(), Some(""));
        let text: Vec<String> = out.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "query.b: is required",
                "query.c: must be an integer",
                "query.d: must be a non-negative integer",
                "query.e: must be a number",
                "query.f: must be a boolean (true or false)",
                "query.g: must be a valid RFC 3339 date-time",
                "query.h: must be a valid IpAddr",
            ]
        );
    }

    #[test]
    fn query_takes_the_first_value_and_decodes() {
        let query = Query::parse(Some("a=1&b=x+y%26z&a=2"));
        assert_eq!(query.get("a"), Some("1"));
        assert_eq!(query.get_all("a").collect::<Vec<_>>(), ["1", "2"]);
        assert_eq!(query.get("b"), Some("x y&z"));
        assert_eq!(query.get("c"), None);
        assert_eq!(Query::parse(None), Query::default());
    }

    #[test]
    fn server_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>(_: &T) {}
        let server = server();
        assert_send_sync(&server);
        fn assert_send<T: Send>(_: T) {}
        assert_send(server.handle(&Method::GET, "/", None, &HeaderMap::new(), b""));
    }
}
