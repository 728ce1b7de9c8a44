//! Building requests and reading responses for a generated API client, without I/O.
//!
//! A generated operation turns its `Request` into an `http::Request` with [`RequestBuilder`]
//! (path parameters substituted and percent-encoded, query encoded, body as JSON), hands it to a
//! transport (the `reqwest` feature's `reqwest::HttpClient`, or any other),
//! and reads a declared status's body with [`decode_body`]. Keeping the transport out means the
//! same generated client runs on any HTTP stack and is tested without a network.
//!
//! The server side uses the response helpers here too ([`json_response`], [`empty_response`],
//! [`raw_response`]) to encode a `Response` variant, so both ends share one encoding.

use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use http::header::{HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, COOKIE};
use http::{HeaderMap, Method, StatusCode};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::de::DeserializeOwned;
use serde::Serialize;
use subtle::ConstantTimeEq;

use super::json;
use super::validate::{Validate, Violation, Violations};
use crate::Secret;

const JSON: &str = "application/json";

/// Everything but RFC 3986's unreserved characters: a path parameter's value always stays one
/// segment, whatever it holds (`/`, `?`, `#`, `{`, spaces).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// HTTP credentials for an API: what a client sends and what a server reads back.
///
/// `Debug` shows the username but never the password, token or key (they are [`Secret`]s).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// HTTP Basic (RFC 7617). A username cannot contain `:`; the password may.
    Basic { username: String, password: Secret },
    /// A bearer token (RFC 6750); OAuth2 and OpenID Connect access tokens travel as one.
    Bearer { token: Secret },
    /// An API key (OpenAPI `apiKey`), with the `name` of the header, query parameter or cookie
    /// it travels in (the scheme's `name` in the spec): what tells two keys apart when an
    /// operation requires both.
    ApiKey { name: String, key: Secret },
}

/// The authentication schemes a route may accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    Basic,
    Bearer,
    /// An API key in the header, query parameter or cookie `name`.
    ApiKey {
        location: KeyLocation,
        name: &'static str,
    },
    /// An OAuth2 or OpenID Connect access token, sent as a bearer token. Only the issuer can
    /// say whether one is valid, so a server refuses every token until it is given a
    /// validator ([`Server::authorize`](super::server::Server::authorize)).
    OAuth2,
    /// A scheme the server cannot check (HTTP Digest, mutual TLS, an API key outside HTTP,
    /// ...), by its key in the spec: no request gets in by it.
    Unsupported {
        name: &'static str,
    },
}

/// Where an API key travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyLocation {
    Header,
    Query,
    Cookie,
}

impl Scheme {
    /// The scheme's name, for messages: as the `Authorization` header writes it, or `API key`.
    pub const fn name(self) -> &'static str {
        match self {
            Scheme::Basic => "Basic",
            Scheme::Bearer | Scheme::OAuth2 => "Bearer",
            Scheme::ApiKey { .. } => "API key",
            Scheme::Unsupported { name } => name,
        }
    }

    /// The challenge a 401 answers with in `WWW-Authenticate` (Basic requires a realm); an
    /// API key has none.
    pub const fn challenge(self) -> Option<&'static str> {
        match self {
            Scheme::Basic => Some("Basic realm=\"api\""),
            Scheme::Bearer | Scheme::OAuth2 => Some("Bearer"),
            Scheme::ApiKey { .. } | Scheme::Unsupported { .. } => None,
        }
    }

    /// Whether `credentials` are what this scheme carries: Basic for Basic, a bearer token for
    /// Bearer and OAuth2, the API key of this scheme's name (a header's in any case) for an API
    /// key. Nothing fits an unsupported scheme.
    pub fn fits(self, credentials: &Credentials) -> bool {
        match (self, credentials) {
            (Scheme::Basic, Credentials::Basic { .. })
            | (Scheme::Bearer | Scheme::OAuth2, Credentials::Bearer { .. }) => true,
            (Scheme::ApiKey { location: KeyLocation::Header, name }, Credentials::ApiKey { name: given, .. }) => {
                name.eq_ignore_ascii_case(given)
            }
            (Scheme::ApiKey { name, .. }, Credentials::ApiKey { name: given, .. }) => name == given,
            _ => false,
        }
    }
}

impl Credentials {
    pub fn basic(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Credentials::Basic { username: username.into(), password: password.into() }
    }

    pub fn bearer(token: impl Into<Secret>) -> Self {
        Credentials::Bearer { token: token.into() }
    }

    /// The API key `key`, sent in the header, query parameter or cookie `name` (as the spec's
    /// scheme names it, e.g. `X-Api-Key`).
    pub fn api_key(name: impl Into<String>, key: impl Into<Secret>) -> Self {
        Credentials::ApiKey { name: name.into(), key: key.into() }
    }

    /// `Basic`, `Bearer` or `API key`, for messages.
    pub fn name(&self) -> &'static str {
        match self {
            Credentials::Basic { .. } => "Basic",
            Credentials::Bearer { .. } => "Bearer",
            Credentials::ApiKey { .. } => "API key",
        }
    }

    /// Whether these are the `expected` credentials, comparing every secret byte in constant
    /// time: what a server's [`authorize`](super::server::Server::authorize) check needs. API
    /// keys must have the same name too: a server names a key it read as the spec's scheme
    /// does (`X-Api-Key`), whatever case the request gave a header in.
    pub fn matches(&self, expected: &Credentials) -> bool {
        let same = |a: &str, b: &str| bool::from(a.as_bytes().ct_eq(b.as_bytes()));
        match (self, expected) {
            (Credentials::Basic { username, password }, Credentials::Basic { username: u, password: p }) => {
                // Both compared, whatever the first gives, so timing tells nothing.
                same(username, u) & same(password.expose(), p.expose())
            }
            (Credentials::Bearer { token }, Credentials::Bearer { token: expected }) => {
                same(token.expose(), expected.expose())
            }
            (Credentials::ApiKey { name, key }, Credentials::ApiKey { name: n, key: k }) => {
                (name == n) & same(key.expose(), k.expose())
            }
            _ => false,
        }
    }

    /// The header value these credentials travel as: `Basic base64(user:pass)` or `Bearer
    /// token` for `Authorization`, the key itself for an API key's header. Marked sensitive
    /// so that `http`'s own `Debug` and HTTP/2 header compression leave it out.
    ///
    /// Control characters, which no header can carry, are dropped rather than panicking: a
    /// token holding one was never valid, and the server answers 401.
    pub fn header_value(&self) -> HeaderValue {
        let text = match self {
            Credentials::Basic { username, password } => {
                format!("Basic {}", STANDARD.encode(format!("{username}:{}", password.expose())))
            }
            Credentials::Bearer { token } => format!("Bearer {}", token.expose()),
            Credentials::ApiKey { key, .. } => key.expose().to_owned(),
        };
        sensitive(text)
    }

    /// Reads the `Authorization` header (scheme name in any case); `None` when it is absent or
    /// not well-formed Basic or Bearer credentials.
    pub fn from_headers(headers: &HeaderMap) -> Option<Credentials> {
        let text = headers.get(AUTHORIZATION)?.to_str().ok()?.trim();
        let (scheme, rest) = text.split_once(' ')?;
        let rest = rest.trim();
        if scheme.eq_ignore_ascii_case("Basic") {
            parse_basic(rest)
        } else if scheme.eq_ignore_ascii_case("Bearer") && !rest.is_empty() && !rest.contains(' ') {
            Some(Credentials::bearer(rest))
        } else {
            None
        }
    }

    /// Adds these credentials, which fit `scheme`, to `request` where it says: an API key in
    /// its header, query parameter or cookie, Basic or a bearer token in `Authorization`
    /// (unless the request has one).
    fn add_to(&self, scheme: Scheme, request: &mut http::Request<Vec<u8>>) {
        match (scheme, self) {
            (Scheme::ApiKey { location, name }, Credentials::ApiKey { key, .. }) => {
                add_api_key(request, location, name, key)
            }
            _ => self.add_authorization(request),
        }
    }

    /// Puts these credentials in `Authorization`, unless the request has that header already.
    fn add_authorization(&self, request: &mut http::Request<Vec<u8>>) {
        request.headers_mut().entry(AUTHORIZATION).or_insert_with(|| self.header_value());
    }
}

/// Adds to `request` the credentials of the first requirement set of `security` (one set must
/// be met, every scheme of it) that `held` meets in full, each where its scheme says. An empty
/// set (anonymous access allowed) is passed over, so that credentials are sent when held.
///
/// When no set is met (an operation without security, or credentials for none of its sets),
/// held Basic or Bearer credentials still go in `Authorization`: a spec that leaves its
/// security out still gets them, and a server that wants others answers 401 rather than the
/// client sending nothing. An API key never goes anywhere its scheme does not say.
pub fn add_credentials(request: &mut http::Request<Vec<u8>>, security: &[&[Scheme]], held: &[Credentials]) {
    let fitting = |scheme: &Scheme| held.iter().find(|credentials| scheme.fits(credentials)).map(|c| (*scheme, c));
    // Each scheme of the first set met in full, with the credentials that fit it.
    let met = security
        .iter()
        .filter(|set| !set.is_empty())
        .find_map(|set| set.iter().map(fitting).collect::<Option<Vec<_>>>());
    match met {
        Some(pairs) => {
            for (scheme, credentials) in pairs {
                credentials.add_to(scheme, request);
            }
        }
        None => {
            if let Some(credentials) =
                held.iter().find(|credentials| !matches!(credentials, Credentials::ApiKey { .. }))
            {
                credentials.add_authorization(request);
            }
        }
    }
}

/// A header value holding a secret, marked sensitive, control characters dropped.
fn sensitive(text: String) -> HeaderValue {
    let bytes: Vec<u8> = text.into_bytes().into_iter().filter(|&b| b == b'\t' || (b >= 0x20 && b != 0x7f)).collect();
    let mut value = HeaderValue::from_bytes(&bytes).unwrap_or_else(|_| HeaderValue::from_static(""));
    value.set_sensitive(true);
    value
}

/// Puts `key` where an API key scheme says: a header, a query parameter (appended to the
/// URI) or a cookie (appended to the request's `Cookie` header).
fn add_api_key(request: &mut http::Request<Vec<u8>>, location: KeyLocation, name: &'static str, key: &Secret) {
    match location {
        KeyLocation::Header => {
            if let Ok(header) = HeaderName::from_bytes(name.as_bytes()) {
                request.headers_mut().insert(header, sensitive(key.expose().to_owned()));
            }
        }
        KeyLocation::Query => {
            let pair = form_urlencoded::Serializer::new(String::new()).append_pair(name, key.expose()).finish();
            let uri = request.uri().to_string();
            let separator = if request.uri().query().is_some() { '&' } else { '?' };
            if let Ok(uri) = format!("{uri}{separator}{pair}").parse() {
                *request.uri_mut() = uri;
            }
        }
        KeyLocation::Cookie => {
            let pair = format!("{name}={}", key.expose());
            let cookie = match request.headers().get(COOKIE).and_then(|value| value.to_str().ok()) {
                Some(existing) => format!("{existing}; {pair}"),
                None => pair,
            };
            request.headers_mut().insert(COOKIE, sensitive(cookie));
        }
    }
}

/// `base64(username:password)`, split at the first colon.
fn parse_basic(encoded: &str) -> Option<Credentials> {
    let decoded = String::from_utf8(STANDARD.decode(encoded).ok()?).ok()?;
    let (username, password) = decoded.split_once(':')?;
    Some(Credentials::basic(username, password))
}

/// Builds one `http::Request` of an operation from its path template, parameters and body.
///
/// Errors are kept until [`build`](RequestBuilder::build), so generated code chains calls and
/// checks once.
pub struct RequestBuilder {
    method: Method,
    base_url: String,
    template: &'static str,
    path: String,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    cookies: Vec<String>,
    body: Option<Vec<u8>>,
    violations: Vec<Violation>,
    error: Option<RequestError>,
}

impl RequestBuilder {
    /// `template` like `/v1/projects/{projectId}/webhooks`; `base_url` like `https://host` or
    /// `http://127.0.0.1:8081/prefix` (a trailing slash is tolerated).
    pub fn new(method: Method, base_url: &str, template: &'static str) -> Self {
        RequestBuilder {
            method,
            base_url: base_url.trim_end_matches('/').to_owned(),
            template,
            path: template.to_owned(),
            query: Vec::new(),
            headers: HeaderMap::new(),
            cookies: Vec::new(),
            body: None,
            violations: Vec::new(),
            error: None,
        }
    }

    /// Substitutes `{name}` with `value`, percent-encoded as one path segment. An empty value
    /// would change which route the path names, so it is an error (`path.<name>`).
    pub fn path_param(mut self, name: &str, value: &dyn fmt::Display) -> Self {
        let placeholder = format!("{{{name}}}");
        let value = value.to_string();
        if value.is_empty() {
            self.violations.push(Violation::new(format!("path.{name}"), "must not be empty"));
        } else if self.path.contains(&placeholder) {
            self.path = self.path.replace(&placeholder, &encode_segment(&value));
        } else {
            self.fail(RequestError::Uri(format!("`{}` has no parameter `{name}`", self.template)));
        }
        self
    }

    /// Appends `name=value`, form-urlencoded.
    pub fn query(mut self, name: &str, value: &dyn fmt::Display) -> Self {
        self.query.push((name.to_owned(), value.to_string()));
        self
    }

    /// Appends `name=value` when there is a value; an absent optional parameter is left out.
    pub fn query_opt<T: fmt::Display>(self, name: &str, value: Option<&T>) -> Self {
        match value {
            Some(value) => self.query(name, value),
            None => self,
        }
    }

    /// Adds the header `name: value`. A value a header cannot carry (anything but visible
    /// ASCII, spaces and tabs) is a violation on `header.<name>`, never sent.
    pub fn header(mut self, name: &str, value: &dyn fmt::Display) -> Self {
        let field = format!("header.{name}");
        let Ok(header) = HeaderName::from_bytes(name.as_bytes()) else {
            self.violations.push(Violation::new(field, "is not a valid HTTP header name"));
            return self;
        };
        match HeaderValue::from_str(&value.to_string()) {
            Ok(value) => {
                self.headers.append(header, value);
            }
            Err(_) => self.violations.push(Violation::new(field, "must be visible ASCII, spaces and tabs")),
        }
        self
    }

    /// Adds the header when there is a value; an absent optional parameter is left out.
    pub fn header_opt<T: fmt::Display>(self, name: &str, value: Option<&T>) -> Self {
        match value {
            Some(value) => self.header(name, value),
            None => self,
        }
    }

    /// Adds `name=value` to the request's one `Cookie` header. A value a cookie cannot carry
    /// (RFC 6265: no spaces, controls, `"`, `,`, `;` or `\\`) is a violation on `cookie.<name>`.
    pub fn cookie(mut self, name: &str, value: &dyn fmt::Display) -> Self {
        let value = value.to_string();
        let octet = |b: u8| b.is_ascii_graphic() && !matches!(b, b'"' | b',' | b';' | b'\\');
        if value.bytes().all(octet) {
            self.cookies.push(format!("{name}={value}"));
        } else {
            self.violations.push(Violation::new(
                format!("cookie.{name}"),
                "must be visible ASCII without spaces, `\"`, `,`, `;` or `\\`",
            ));
        }
        self
    }

    /// Adds the cookie when there is a value; an absent optional parameter is left out.
    pub fn cookie_opt<T: fmt::Display>(self, name: &str, value: Option<&T>) -> Self {
        match value {
            Some(value) => self.cookie(name, value),
            None => self,
        }
    }

    /// Sets a JSON body when there is one: an optional body left out sends none.
    pub fn json_opt<T: Serialize>(self, body: Option<&T>) -> Self {
        match body {
            Some(body) => self.json(body),
            None => self,
        }
    }

    /// Sets a JSON body and `content-type: application/json`. An encoding error is reported by
    /// [`build`](RequestBuilder::build).
    pub fn json<T: Serialize>(mut self, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(bytes),
            Err(error) => self.fail(RequestError::Encode(error.to_string())),
        }
        self
    }

    /// Validates `value` with `root` as its field prefix (`"body"`); violations make
    /// [`build`](RequestBuilder::build) fail with [`RequestError::Invalid`], listing them all
    /// together with those of other parts, so nothing invalid is sent.
    pub fn validate<T: Validate + ?Sized>(mut self, value: &T, root: &str) -> Self {
        value.validate_into(&mut root.to_owned(), &mut self.violations);
        self
    }

    /// The request, with `accept: application/json`.
    pub fn build(mut self) -> Result<http::Request<Vec<u8>>, RequestError> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        Violations::result(std::mem::take(&mut self.violations)).map_err(RequestError::Invalid)?;
        let uri = self.uri()?;
        let mut builder = http::Request::builder().method(self.method).uri(uri).header(ACCEPT, JSON);
        if self.body.is_some() {
            builder = builder.header(CONTENT_TYPE, JSON);
        }
        if let Some(headers) = builder.headers_mut() {
            headers.extend(std::mem::take(&mut self.headers));
            if !self.cookies.is_empty() {
                // Checked by `cookie`: only visible ASCII, `=` and `; `.
                if let Ok(cookie) = HeaderValue::from_str(&self.cookies.join("; ")) {
                    headers.insert(COOKIE, cookie);
                }
            }
        }
        builder.body(self.body.unwrap_or_default()).map_err(|error| RequestError::Uri(error.to_string()))
    }

    fn uri(&mut self) -> Result<http::Uri, RequestError> {
        if let Some(start) = self.path.find('{') {
            let rest = self.path.get(start..).unwrap_or_default();
            return Err(RequestError::Uri(format!("the path parameter in `{rest}` was not set")));
        }
        let mut text = format!("{}{}", self.base_url, self.path);
        if !self.query.is_empty() {
            text.push('?');
            text.push_str(&form_urlencoded::Serializer::new(String::new()).extend_pairs(&self.query).finish());
        }
        let uri: http::Uri = text.parse().map_err(|error| {
            RequestError::Uri(format!("the base URL joined with `{}` is not a valid URI: {error}", self.template))
        })?;
        if uri.scheme().is_none() || uri.authority().is_none() {
            return Err(RequestError::Uri("the base URL must be absolute, like https://host".to_owned()));
        }
        Ok(uri)
    }

    fn fail(&mut self, error: RequestError) {
        self.error.get_or_insert(error);
    }
}

/// Shows the operation and the body's size, never the body (it may hold a secret) nor the base
/// URL (it may hold user information).
impl fmt::Debug for RequestBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestBuilder")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("body_bytes", &self.body.as_ref().map(Vec::len))
            .field("violations", &self.violations)
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

/// Percent-encodes `value` as one path segment. `.` and `..` are unreserved but would be read
/// as "this" and "parent" segments, so their dots are encoded too.
fn encode_segment(value: &str) -> String {
    if value == "." || value == ".." {
        return value.replace('.', "%2E");
    }
    utf8_percent_encode(value, SEGMENT).to_string()
}

/// Why a request could not be built. Never holds a parameter's value or a secret.
#[derive(Debug)]
pub enum RequestError {
    /// The request breaks the API's constraints; it was not sent.
    Invalid(Violations),
    /// The body could not be encoded as JSON.
    Encode(String),
    /// The URI could not be formed: a bad base URL, or a path parameter left unset.
    Uri(String),
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestError::Invalid(violations) => write!(f, "the request is {violations}"),
            RequestError::Encode(error) => {
                write!(f, "could not encode the request body as JSON: {error}")
            }
            RequestError::Uri(error) => write!(f, "could not build the request URI: {error}"),
        }
    }
}

impl std::error::Error for RequestError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RequestError::Invalid(violations) => Some(violations),
            _ => None,
        }
    }
}

impl From<Violations> for RequestError {
    fn from(violations: Violations) -> Self {
        RequestError::Invalid(violations)
    }
}

/// A response with a declared status whose body is not what the API declares for it.
#[derive(Debug)]
pub enum ResponseError {
    /// Not JSON of the declared shape; `error` quotes no values.
    Decode { status: StatusCode, error: String },
    /// Decoded, but breaks the declared constraints.
    Invalid { status: StatusCode, violations: Violations },
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResponseError::Decode { status, error } => {
                write!(f, "the {status} response body is not what the API declares: {error}")
            }
            ResponseError::Invalid { status, violations } => {
                write!(f, "the {status} response body is {violations}")
            }
        }
    }
}

impl std::error::Error for ResponseError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ResponseError::Invalid { violations, .. } => Some(violations),
            ResponseError::Decode { .. } => None,
        }
    }
}

/// Decodes a declared response body and validates it (field root `body`), so a client never
/// hands its caller a value that breaks the API's own contract without saying so.
pub fn decode_body<T: DeserializeOwned + Validate>(status: StatusCode, body: &[u8]) -> Result<T, ResponseError> {
    let value: T = serde_json::from_slice(body)
        .map_err(|error| ResponseError::Decode { status, error: json::describe(&error) })?;
    value.validate("body").map_err(|violations| ResponseError::Invalid { status, violations })?;
    Ok(value)
}

/// A response with a JSON body and `content-type: application/json`: the server side of a
/// declared variant. A body that cannot be encoded (a map with non-string keys; generated
/// types never are) is answered 500 rather than sent half-written.
pub fn json_response<T: Serialize>(status: StatusCode, body: &T) -> http::Response<Vec<u8>> {
    match serde_json::to_vec(body) {
        Ok(bytes) => with_content_type(raw_response(status, bytes), JSON),
        Err(error) => {
            tracing::error!(status = status.as_u16(), "could not encode a response body as JSON: {error}");
            raw_response(StatusCode::INTERNAL_SERVER_ERROR, Vec::new())
        }
    }
}

/// A response without a body.
pub fn empty_response(status: StatusCode) -> http::Response<Vec<u8>> {
    raw_response(status, Vec::new())
}

/// A response with `body` as it is and no content type: for undeclared statuses passed on.
pub fn raw_response(status: StatusCode, body: Vec<u8>) -> http::Response<Vec<u8>> {
    let mut response = http::Response::new(body);
    *response.status_mut() = status;
    response
}

pub(crate) fn with_content_type(
    mut response: http::Response<Vec<u8>>,
    content_type: &'static str,
) -> http::Response<Vec<u8>> {
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// Why an operation's call failed.
#[derive(Debug)]
pub enum ClientError {
    /// The request could not be built; nothing was sent.
    Request(RequestError),
    /// The request could not be sent or its response read.
    Transport(Box<dyn std::error::Error + Send + Sync>),
    /// A declared status came with a body that is not what the API declares.
    Response(ResponseError),
    /// A status the operation does not declare, for callers that treat it as an error.
    Unexpected { status: StatusCode, body: Vec<u8> },
    /// Paging stopped because page `page` (1-based) gave a next-page token already followed:
    /// following it would loop forever.
    RepeatedPageToken { page: usize },
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Request(error) => error.fmt(f),
            ClientError::Transport(error) => write!(f, "the request failed: {error}"),
            ClientError::Response(error) => error.fmt(f),
            ClientError::Unexpected { status, body } => {
                write!(
                    f,
                    "the API answered {status}, which the operation does not declare ({} bytes of body)",
                    body.len()
                )
            }
            ClientError::RepeatedPageToken { page } => {
                write!(
                    f,
                    "page {page} points back to a page already fetched (its next-page token repeats); paging stopped"
                )
            }
        }
    }
}

impl std::error::Error for ClientError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ClientError::Request(error) => Some(error),
            ClientError::Transport(error) => Some(error.as_ref()),
            ClientError::Response(error) => Some(error),
            ClientError::Unexpected { .. } | ClientError::RepeatedPageToken { .. } => None,
        }
    }
}

impl From<RequestError> for ClientError {
    fn from(error: RequestError) -> Self {
        ClientError::Request(error)
    }
}

impl From<ResponseError> for ClientError {
    fn from(error: ResponseError) -> Self {
        ClientError::Response(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::validate::{check_str, field, Rules};

    const SECRET: &str = "zz-very-secret-7f3a";
    const WEBHOOKS: &str = "/v1/projects/{projectId}/webhooks";
    const WEBHOOK: &str = "/v1/projects/{projectId}/webhooks/{webhookId}";

    fn headers_with(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn basic_round_trips_through_the_header() {
        let credentials = Credentials::basic("ann", format!("{SECRET}:with:colons"));
        let value = credentials.header_value();
        assert!(value.is_sensitive());
        assert_eq!(value.to_str().unwrap(), format!("Basic {}", STANDARD.encode(format!("ann:{SECRET}:with:colons"))));
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, value);
        assert_eq!(Credentials::from_headers(&headers), Some(credentials));
    }

    #[test]
    fn bearer_round_trips_through_the_header() {
        let credentials = Credentials::bearer(SECRET);
        assert_eq!(credentials.header_value().to_str().unwrap(), format!("Bearer {SECRET}"));
        assert_eq!(credentials.name(), "Bearer");
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, credentials.header_value());
        assert_eq!(Credentials::from_headers(&headers), Some(credentials));
    }

    #[test]
    fn scheme_names_are_case_insensitive() {
        let basic = format!("bAsIc {}", STANDARD.encode("u:p"));
        assert_eq!(Credentials::from_headers(&headers_with(&basic)), Some(Credentials::basic("u", "p")));
        assert_eq!(Credentials::from_headers(&headers_with("BEARER  t")), Some(Credentials::bearer("t")));
    }

    #[test]
    fn malformed_authorization_is_none() {
        assert_eq!(Credentials::from_headers(&HeaderMap::new()), None);
        for bad in [
            "Basic",
            "Basic !!!",
            &format!("Basic {}", STANDARD.encode("no-colon")),
            "Bearer",
            "Bearer a b",
            "Digest x",
            "token",
        ] {
            assert_eq!(Credentials::from_headers(&headers_with(bad)), None, "{bad}");
        }
        let not_utf8 = format!("Basic {}", STANDARD.encode([0xff, b':', b'p']));
        assert_eq!(Credentials::from_headers(&headers_with(&not_utf8)), None);
    }

    #[test]
    fn control_characters_are_dropped_from_the_header() {
        let value = Credentials::bearer("a\nb\r\0c").header_value();
        assert_eq!(value.to_str().unwrap(), "Bearer abc");
    }

    #[test]
    fn credentials_debug_hides_secrets() {
        let basic = format!("{:?}", Credentials::basic("ann", SECRET));
        assert_eq!(basic, "Basic { username: \"ann\", password: Secret(***) }");
        let bearer = format!("{:#?}", Credentials::bearer(SECRET));
        assert!(!bearer.contains(SECRET), "{bearer}");
        let key = format!("{:?}", Credentials::api_key("X-Api-Key", SECRET));
        assert_eq!(key, "ApiKey { name: \"X-Api-Key\", key: Secret(***) }");
        assert!(!format!("{:?}", Credentials::basic("ann", SECRET).header_value()).contains(SECRET));
    }

    #[test]
    fn schemes_and_challenges() {
        assert_eq!(Credentials::basic("u", "p").name(), "Basic");
        assert_eq!(Scheme::Basic.name(), "Basic");
        assert_eq!(Scheme::Basic.challenge(), Some("Basic realm=\"api\""));
        assert_eq!(Scheme::Bearer.challenge(), Some("Bearer"));
        assert_eq!(Scheme::OAuth2.challenge(), Some("Bearer"));
        assert_eq!(Scheme::ApiKey { location: KeyLocation::Header, name: "X-Key" }.challenge(), None);
    }

    #[test]
    fn matches_compares_like_for_like() {
        let key = Credentials::api_key("X-Key", SECRET);
        assert!(key.matches(&Credentials::api_key("X-Key", SECRET)));
        assert!(!key.matches(&Credentials::api_key("X-Key", "zz-very-secret-7f3b")));
        assert!(!key.matches(&Credentials::api_key("X-Other", SECRET)));
        assert!(!key.matches(&Credentials::bearer(SECRET)));
        assert!(Credentials::basic("ann", SECRET).matches(&Credentials::basic("ann", SECRET)));
        assert!(!Credentials::basic("ann", SECRET).matches(&Credentials::basic("bob", SECRET)));
        assert!(!Credentials::basic("ann", "x").matches(&Credentials::basic("ann", SECRET)));
    }

    fn request() -> http::Request<Vec<u8>> {
        RequestBuilder::new(Method::GET, "https://host/", "/a").query("q", &1).build().unwrap()
    }

    /// `request` with `held` added as `security` says: its headers and query.
    fn sent(security: &[&[Scheme]], held: &[Credentials]) -> (HeaderMap, Option<String>) {
        let mut sent = request();
        add_credentials(&mut sent, security, held);
        (sent.headers().clone(), sent.uri().query().map(str::to_owned))
    }

    #[test]
    fn credentials_are_applied_where_the_scheme_says() {
        let header = Scheme::ApiKey { location: KeyLocation::Header, name: "X-Api-Key" };
        let query = Scheme::ApiKey { location: KeyLocation::Query, name: "api key" };
        let cookie = Scheme::ApiKey { location: KeyLocation::Cookie, name: "key" };
        // A header's name is matched in any case, a query parameter's or cookie's exactly.
        let (headers, _) = sent(&[&[header]], &[Credentials::api_key("x-api-key", SECRET)]);
        assert_eq!(headers["x-api-key"], SECRET);
        assert!(headers["x-api-key"].is_sensitive());
        let (_, sent_query) = sent(&[&[Scheme::Bearer], &[query]], &[Credentials::api_key("api key", SECRET)]);
        assert_eq!(sent_query.as_deref(), Some(format!("q=1&api+key={SECRET}").as_str()));
        let mut with_cookie = RequestBuilder::new(Method::GET, "https://host", "/a").cookie("a", &"b").build().unwrap();
        add_credentials(&mut with_cookie, &[&[cookie]], &[Credentials::api_key("key", SECRET)]);
        assert_eq!(with_cookie.headers()[COOKIE], format!("a=b; key={SECRET}").as_str());
        // A key with no scheme of its name to say where it goes is not sent; Basic and Bearer
        // always are.
        let (headers, sent_query) = sent(&[&[Scheme::Bearer], &[cookie]], &[Credentials::api_key("KEY", SECRET)]);
        assert_eq!((headers.len(), sent_query.as_deref()), (1, Some("q=1")), "{headers:?}");
        let (headers, _) = sent(&[&[cookie]], &[Credentials::bearer(SECRET)]);
        assert_eq!(headers[AUTHORIZATION], format!("Bearer {SECRET}").as_str());
        let (headers, _) = sent(&[], &[Credentials::basic("ann", SECRET)]);
        assert!(headers[AUTHORIZATION].to_str().unwrap().starts_with("Basic "));
    }

    #[test]
    fn the_first_requirement_set_met_in_full_is_sent() {
        let app = Scheme::ApiKey { location: KeyLocation::Header, name: "X-App-Id" };
        let key = Scheme::ApiKey { location: KeyLocation::Header, name: "X-Api-Key" };
        let both = [Credentials::api_key("X-App-Id", "app-1"), Credentials::api_key("X-Api-Key", SECRET)];
        let (headers, _) = sent(&[&[app, key]], &both);
        assert_eq!(
            (&headers["x-app-id"], &headers["x-api-key"]),
            (&"app-1".parse().unwrap(), &SECRET.parse().unwrap())
        );
        // A set the client cannot meet in full is passed over for the next: one key alone is
        // never sent for a set requiring two.
        let (headers, _) = sent(&[&[app, key], &[Scheme::Bearer]], &[both[1].clone(), Credentials::bearer("t")]);
        assert_eq!(headers[AUTHORIZATION], "Bearer t");
        assert!(!headers.contains_key("x-api-key"), "{headers:?}");
        // Anonymous access allowed (`{}`) still sends credentials the client holds.
        let (headers, _) = sent(&[&[], &[app, key]], &both);
        assert_eq!(headers.len(), 3, "{headers:?}");
        let (headers, _) = sent(&[&[], &[app, key]], &both[..1]);
        assert_eq!(headers.len(), 1, "{headers:?}");
    }

    #[test]
    fn headers_and_cookies_are_sent_or_refused() {
        let request = RequestBuilder::new(Method::GET, "https://host", "/a")
            .header("X-Request-Id", &"r 1")
            .header_opt::<i64>("X-Absent", None)
            .cookie("session", &"abc")
            .cookie_opt("theme", Some(&"dark"))
            .json_opt::<i64>(None)
            .build()
            .unwrap();
        assert_eq!(request.headers()["x-request-id"], "r 1");
        assert_eq!(request.headers()[COOKIE], "session=abc; theme=dark");
        assert!(!request.headers().contains_key("x-absent") && !request.headers().contains_key(CONTENT_TYPE));
        let error = RequestBuilder::new(Method::GET, "https://host", "/a")
            .header("X-Id", &"a\nb")
            .cookie("session", &"a;b")
            .header("bad name", &1)
            .build()
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "the request is invalid: header.X-Id: must be visible ASCII, spaces and tabs; cookie.session: must be \
             visible ASCII without spaces, `\"`, `,`, `;` or `\\`; header.bad name: is not a valid HTTP header name"
        );
    }

    #[test]
    fn path_params_are_encoded_as_one_segment() {
        let request = RequestBuilder::new(Method::GET, "https://host", WEBHOOK)
            .path_param("projectId", &"a/b c")
            .path_param("webhookId", &"ü?#{x}%")
            .build()
            .unwrap();
        assert_eq!(request.uri(), "https://host/v1/projects/a%2Fb%20c/webhooks/%C3%BC%3F%23%7Bx%7D%25");
        assert_eq!(request.method(), Method::GET);
        assert_eq!(request.headers()[ACCEPT], JSON);
        assert!(request.headers().get(CONTENT_TYPE).is_none());
        assert!(request.body().is_empty());
    }

    #[test]
    fn dot_segments_are_encoded() {
        let build = |id: &str| {
            RequestBuilder::new(Method::GET, "https://host", WEBHOOKS)
                .path_param("projectId", &id)
                .build()
                .unwrap()
                .uri()
                .to_string()
        };
        assert_eq!(build(".."), "https://host/v1/projects/%2E%2E/webhooks");
        assert_eq!(build("."), "https://host/v1/projects/%2E/webhooks");
        assert_eq!(build("a.b-c_d~e"), "https://host/v1/projects/a.b-c_d~e/webhooks");
    }

    #[test]
    fn base_url_prefix_and_trailing_slash() {
        let request = RequestBuilder::new(Method::GET, "http://127.0.0.1:8081/prefix/", WEBHOOKS)
            .path_param("projectId", &42)
            .build()
            .unwrap();
        assert_eq!(request.uri(), "http://127.0.0.1:8081/prefix/v1/projects/42/webhooks");
    }

    #[test]
    fn query_is_form_urlencoded_and_optional_values_are_left_out() {
        let token = String::from("a b&c=d/é");
        let request = RequestBuilder::new(Method::GET, "https://host", WEBHOOKS)
            .path_param("projectId", &"p")
            .query_opt("pageToken", Some(&token))
            .query_opt::<u32>("pageSize", None)
            .query("pageSize", &15)
            .build()
            .unwrap();
        assert_eq!(request.uri(), "https://host/v1/projects/p/webhooks?pageToken=a+b%26c%3Dd%2F%C3%A9&pageSize=15");
        let request = RequestBuilder::new(Method::GET, "https://host", WEBHOOKS)
            .path_param("projectId", &"p")
            .query_opt::<u32>("pageSize", None)
            .build()
            .unwrap();
        assert_eq!(request.uri(), "https://host/v1/projects/p/webhooks");
    }

    #[test]
    fn json_body_sets_the_content_type() {
        let request = RequestBuilder::new(Method::POST, "https://host", WEBHOOKS)
            .path_param("projectId", &"p")
            .json(&serde_json::json!({"target": "https://x"}))
            .build()
            .unwrap();
        assert_eq!(request.headers()[CONTENT_TYPE], JSON);
        assert_eq!(request.body(), br#"{"target":"https://x"}"#);
    }

    #[test]
    fn builder_debug_hides_the_body() {
        let builder = RequestBuilder::new(Method::POST, "https://host", "/x").json(&SECRET);
        let text = format!("{builder:?}");
        assert!(text.contains("body_bytes: Some(21)") && !text.contains(SECRET), "{text}");
    }

    #[test]
    fn encode_errors_are_reported_by_build() {
        let map = std::collections::BTreeMap::from([((1, 2), 3)]);
        let error = RequestBuilder::new(Method::POST, "https://host", "/x").json(&map).build().unwrap_err();
        assert!(matches!(error, RequestError::Encode(_)), "{error}");
    }

    #[test]
    fn unset_unknown_and_empty_path_params_fail() {
        let error = RequestBuilder::new(Method::GET, "https://host", WEBHOOK)
            .path_param("projectId", &"p")
            .build()
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "could not build the request URI: the path parameter in `{webhookId}` was not set"
        );
        let error =
            RequestBuilder::new(Method::GET, "https://host", WEBHOOKS).path_param("nope", &"p").build().unwrap_err();
        assert!(error.to_string().contains("has no parameter `nope`"), "{error}");
        let error = RequestBuilder::new(Method::GET, "https://host", WEBHOOKS)
            .path_param("projectId", &"")
            .build()
            .unwrap_err();
        assert_eq!(error.to_string(), "the request is invalid: path.projectId: must not be empty");
    }

    #[test]
    fn relative_or_broken_base_urls_fail() {
        for base in ["", "host", "/path", "http://exa mple"] {
            let error = RequestBuilder::new(Method::GET, base, "/x").build().unwrap_err();
            assert!(matches!(error, RequestError::Uri(_)), "{base}: {error}");
        }
    }

    struct Body {
        secret: Secret,
    }

    impl Validate for Body {
        fn validate_into(&self, path: &mut String, out: &mut Vec<Violation>) {
            const SECRET_RULES: Rules = Rules { max_length: Some(4), ..Rules::NONE };
            field(path, "secret", |path| check_str(path, self.secret.expose(), &SECRET_RULES, out));
        }
    }

    #[test]
    fn invalid_requests_are_not_built_and_their_errors_hold_no_secret() {
        let body = Body { secret: Secret::new(SECRET) };
        let error = RequestBuilder::new(Method::POST, "https://host", WEBHOOKS)
            .path_param("projectId", &"")
            .validate(&body, "body")
            .build()
            .unwrap_err();
        let text = error.to_string();
        assert_eq!(text, "the request is invalid: path.projectId: must not be empty; body.secret: must be at most 4 characters long (is 19)");
        assert!(!format!("{error:?}").contains(SECRET));
        let client_error = ClientError::from(error);
        assert!(!client_error.to_string().contains(SECRET) && !format!("{client_error:?}").contains(SECRET));
    }

    #[test]
    fn decode_body_decodes_and_validates() {
        let ok: Vec<String> = decode_body(StatusCode::OK, br#"["a"]"#).unwrap();
        assert_eq!(ok, ["a"]);
        let error = decode_body::<Vec<u32>>(StatusCode::OK, format!(r#"["{SECRET}"]"#).as_bytes()).unwrap_err();
        assert_eq!(
            error.to_string(),
            r#"the 200 OK response body is not what the API declares: invalid type: string "…", expected u32 at line 1 column 22"#
        );
        assert!(!format!("{error:?}").contains(SECRET));
    }

    #[test]
    fn decode_body_reports_violations() {
        struct Checked(String);
        impl<'de> serde::Deserialize<'de> for Checked {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Checked)
            }
        }
        impl Validate for Checked {
            fn validate_into(&self, path: &mut String, out: &mut Vec<Violation>) {
                check_str(path, &self.0, &Rules { format: Some("uri"), ..Rules::NONE }, out);
            }
        }
        let error = decode_body::<Checked>(StatusCode::CREATED, format!(r#""{SECRET}""#).as_bytes()).err().unwrap();
        assert_eq!(error.to_string(), "the 201 Created response body is invalid: body: must be a valid absolute URL");
        assert!(matches!(error, ResponseError::Invalid { status: StatusCode::CREATED, .. }));
    }

    #[test]
    fn responses() {
        let response = json_response(StatusCode::CREATED, &serde_json::json!({"id": "w"}));
        assert_eq!(response.status(), StatusCode::CREATED);
        assert_eq!(response.headers()[CONTENT_TYPE], JSON);
        assert_eq!(response.body(), br#"{"id":"w"}"#);
        let failed = json_response(StatusCode::OK, &std::collections::BTreeMap::from([((1, 2), 3)]));
        assert_eq!(failed.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let empty = empty_response(StatusCode::NO_CONTENT);
        assert!(empty.body().is_empty() && empty.headers().is_empty());
        let raw = raw_response(StatusCode::IM_A_TEAPOT, b"tea".to_vec());
        assert_eq!((raw.status(), raw.body().as_slice()), (StatusCode::IM_A_TEAPOT, &b"tea"[..]));
    }

    #[test]
    fn client_errors_display_without_bodies() {
        let unexpected = ClientError::Unexpected { status: StatusCode::BAD_GATEWAY, body: SECRET.into() };
        assert_eq!(
            unexpected.to_string(),
            "the API answered 502 Bad Gateway, which the operation does not declare (19 bytes of body)"
        );
        let transport = ClientError::Transport("connection refused".into());
        assert_eq!(transport.to_string(), "the request failed: connection refused");
        let response = ClientError::from(ResponseError::Decode { status: StatusCode::OK, error: "x".into() });
        assert!(std::error::Error::source(&response).is_some());
        assert!(ClientError::RepeatedPageToken { page: 3 }.to_string().starts_with("page 3 points back"));
    }
}
