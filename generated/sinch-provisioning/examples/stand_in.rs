// Copied by `cargo xtask codegen` from specs/sinch-provisioning/stand_in.rs (named in specs/sinch-provisioning.openapi.yaml's `x-codegen.examples`). Edit that file, not this one.
//! A stand-in for the Sinch Provisioning webhooks API: the six webhook operations served from
//! memory, behaving as the API's documentation describes, for trying a client without an
//! account.
//!
//! ```text
//! cargo run -p sinch-provisioning --example stand_in --features axum -- --listen 127.0.0.1:8081 [--basic USER:PASS] [--bearer TOKEN]
//! ```
//!
//! - Every request needs Basic or Bearer credentials (401 otherwise). Without `--basic` and
//!   `--bearer` any well-formed ones are let in; with either, only those given are.
//! - Projects (`projectId`) are separate, and each holds at most 15 webhooks: registering
//!   answers 201, registering a 16th 424 `webhook_limit_reached`. Targets are unique per
//!   project: registering one the project has, or replacing (`PUT`) a webhook's with another
//!   webhook's, is 409 `webhook_exists`; `PATCH`, for which the API declares no 409, answers
//!   400 `invalid_input` instead.
//! - A new webhook gets a 26-character id (Crockford base32, like a ULID) that sorts in the
//!   order of registration. Its secret is kept and never returned.
//! - Listing returns a project's webhooks in alphabetical order of id, `pageSize` at a time
//!   (all of them when absent); `nextPageToken` is present only while more remain, and is the
//!   only `pageToken` accepted.
//! - `PUT` replaces every field (the body holds them all, as when registering); `PATCH`
//!   changes only the fields the body holds; `DELETE` answers 204; an unknown webhook is a 404.
//! - Every error has the published `WebhookPapiErrorDto` shape: `{"errorCode": "...",
//!   "message": "...", "resolution": "...", "additionalInformation": {"validationErrors": [...]}}`,
//!   `resolution` saying what to do. A request that breaks the spec is a 400 listing every
//!   violation in `validationErrors` (its field and rule, never a value): `invalid_page_size`,
//!   `invalid_page_token`, `invalid_payload` (not JSON of the expected shape) or `invalid_input`.
//!   A `webhookId` that is not 26 characters of Crockford base32 is 400 `invalid_id_format`;
//!   missing credentials 401 `unauthorized_error`; an unknown webhook 404 `webhook_not_found`.
//!   Refusals the published API gives no code for have codes of their own: `not_found` (a path
//!   it does not serve), `method_not_allowed`, `request_timeout`, `payload_too_large`,
//!   `uri_too_long`, `unsupported_media_type`.
//! - Refused before an operation runs, by the runtime's `Server`: a body that is not
//!   `application/json` (415), a path and query over 8 KiB (414), a path parameter that is `.`
//!   or `..` or, percent-decoded, holds `/`, `\`, NUL or another control character (400: so
//!   `a%2F..%2Fb` can never name another project), a body over 1 MiB (413, at once when its
//!   `Content-Length` says so).
//! - Served with the runtime's limits (`hookwright_runtime::serve`): headers within 10 s (also
//!   the idle keep-alive time), a body within 30 s (408), at most 512 connections at once.
//!
//! Prints `listening on http://ADDR` when ready, then one line per request on stderr (method,
//! path, status). Passwords and tokens given on the command line are never printed.
//!
//! The end-to-end test `tests/tests/provisioning_http.rs` includes this file as a module and
//! runs [`StandIn`] in-process.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::ops::Bound;
use std::process::ExitCode;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use clap::Parser;
use hookwright_runtime::api::{json_response, Caller, Credentials, Violation, Violations};
use hookwright_runtime::http::StatusCode;
use hookwright_runtime::{serve, Secret};
use sinch_provisioning::operations::{
    create_webhook, delete_webhook, get_webhook, list_webhooks, replace_webhook, router, update_webhook, Server,
    Service,
};
use sinch_provisioning::{
    AdditionalInformation, ListWebhooksResponse, WebhookPapiErrorCode as ErrorCode, WebhookPapiErrorDto,
    WebhookWebhookDto, WebhookWebhookTriggers,
};

/// The most webhooks one project may have, and so the largest page.
pub const MAX_WEBHOOKS: usize = 15;

/// The API's webhooks, in memory. Clones share the same store.
#[derive(Clone)]
pub struct StandIn {
    state: Arc<Mutex<State>>,
}

/// Every project's webhooks, and what the next id is made of.
struct State {
    /// Milliseconds since the Unix epoch when the stand-in started: the ids' time part.
    started_ms: u64,
    /// Webhooks registered so far (in every project): the ids' counter part.
    registered: u64,
    /// Project id → webhook id → webhook. A `BTreeMap`, so ids come out in alphabetical order.
    projects: HashMap<String, BTreeMap<String, Stored>>,
}

/// One webhook as the stand-in keeps it.
struct Stored {
    target: String,
    secret: Secret,
    triggers: Vec<WebhookWebhookTriggers>,
}

impl Default for StandIn {
    fn default() -> Self {
        Self::new()
    }
}

impl StandIn {
    /// An empty store: no project has a webhook yet.
    pub fn new() -> Self {
        let started_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX));
        StandIn { state: Arc::new(Mutex::new(State { started_ms, registered: 0, projects: HashMap::new() })) }
    }

    /// A server of this store: any well-formed Basic or Bearer credentials when both are
    /// `None`, otherwise only the Basic user and password and the Bearer token given. Requests
    /// that break the spec, and refusals (400, 401, 404, 405, 408, 413, 414, 415), are answered
    /// with the API's own `WebhookPapiErrorDto` body, so that its clients can decode them.
    pub fn server(self, basic: Option<(String, Secret)>, bearer: Option<Secret>) -> Server<StandIn> {
        let server = Server::new(self)
            .on_invalid(|_, violations| json_response(StatusCode::BAD_REQUEST, &invalid(violations)))
            .on_refused(|status, detail| json_response(status, &refused(status, detail)));
        if basic.is_none() && bearer.is_none() {
            return server;
        }
        // Every operation requires Basic or Bearer credentials alone: one at a time.
        server.authorize(move |presented| match presented {
            [Credentials::Basic { username, password }] => {
                basic.as_ref().is_some_and(|(user, pass)| {
                    // Both compared, whatever the first gives, so timing tells nothing.
                    let user_ok = same(username, user);
                    let pass_ok = same(password.expose(), pass.expose());
                    user_ok & pass_ok
                })
            }
            [Credentials::Bearer { token }] => {
                bearer.as_ref().is_some_and(|expected| same(token.expose(), expected.expose()))
            }
            _ => false,
        })
    }

    /// The secret webhook `webhook_id` of `project_id` signs its callbacks with: what the API
    /// never returns, so that a test can tell that `PUT` or `PATCH` changed (or kept) it.
    #[allow(dead_code, reason = "read by the end-to-end test, not by `main`")]
    pub fn secret_of(&self, project_id: &str, webhook_id: &str) -> Option<Secret> {
        let state = self.lock();
        let webhook = state.projects.get(project_id)?.get(webhook_id)?;
        Some(webhook.secret.clone())
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves the maps consistent (each change is one
        // insert or remove), so the store stays usable.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl State {
    /// A new id: the start time and a counter, 26 characters of Crockford base32 (as a ULID
    /// is), so later ids sort after earlier ones.
    fn next_id(&mut self) -> String {
        self.registered += 1;
        let value = (u128::from(self.started_ms) << 80) | u128::from(self.registered);
        (0..26)
            .rev()
            .map(|position| {
                let digit = (value >> (5 * position)) & 31;
                char::from(CROCKFORD[digit as usize])
            })
            .collect()
    }
}

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

impl Service for StandIn {
    async fn list_webhooks(&self, request: list_webhooks::Request, _: Caller) -> list_webhooks::Response {
        let after = match request.page_token.as_deref().filter(|token| !token.is_empty()) {
            None => None,
            Some(token) => match decode_page_token(token) {
                Some(id) => Some(id),
                None => {
                    return list_webhooks::Response::BadRequest(invalid(&Violations(vec![Violation::new(
                        "query.pageToken",
                        "is not a page token this API issued; pass a nextPageToken unchanged",
                    )])))
                }
            },
        };
        // `from_parts` has checked 1..=15.
        let page_size = request.page_size.and_then(|size| usize::try_from(size).ok()).unwrap_or(MAX_WEBHOOKS);
        let state = self.lock();
        let empty = BTreeMap::new();
        let webhooks = state.projects.get(&request.project_id).unwrap_or(&empty);
        let start = after.map_or(Bound::Unbounded, Bound::Excluded);
        let mut rest = webhooks.range::<String, _>((start, Bound::Unbounded));
        let page: Vec<WebhookWebhookDto> =
            rest.by_ref().take(page_size).map(|(id, webhook)| dto(&request.project_id, id, webhook)).collect();
        let next_page_token = match (rest.next(), page.last()) {
            (Some(_), Some(last)) => Some(encode_page_token(&last.id)),
            _ => None,
        };
        let mut response = ListWebhooksResponse::new(count(webhooks.len()), count(page_size), page);
        response.next_page_token = next_page_token;
        list_webhooks::Response::Ok(response)
    }

    async fn create_webhook(&self, request: create_webhook::Request, _: Caller) -> create_webhook::Response {
        let body = request.body;
        if let Some(error) = unknown_triggers(&body.triggers) {
            return create_webhook::Response::BadRequest(error);
        }
        let mut state = self.lock();
        let webhooks = state.projects.get(&request.project_id);
        if webhooks.is_some_and(|webhooks| holds_target(webhooks, &body.target, None)) {
            return create_webhook::Response::Conflict(webhook_exists());
        }
        if webhooks.is_some_and(|webhooks| webhooks.len() >= MAX_WEBHOOKS) {
            return create_webhook::Response::FailedDependency(papi_error(
                ErrorCode::WebhookLimitReached,
                "Number of webhooks has reached the limit.",
                "Delete a webhook of this project (it may have 15) before registering another.",
            ));
        }
        let id = state.next_id();
        let stored = Stored { target: body.target, secret: body.secret, triggers: body.triggers };
        let created = dto(&request.project_id, &id, &stored);
        state.projects.entry(request.project_id).or_default().insert(id, stored);
        create_webhook::Response::Created(created)
    }

    async fn get_webhook(&self, request: get_webhook::Request, _: Caller) -> get_webhook::Response {
        if let Err(error) = check_id(&request.webhook_id) {
            return get_webhook::Response::BadRequest(error);
        }
        let state = self.lock();
        match state.projects.get(&request.project_id).and_then(|webhooks| webhooks.get(&request.webhook_id)) {
            Some(webhook) => get_webhook::Response::Ok(dto(&request.project_id, &request.webhook_id, webhook)),
            None => get_webhook::Response::NotFound(not_found(&request.project_id, &request.webhook_id)),
        }
    }

    async fn delete_webhook(&self, request: delete_webhook::Request, _: Caller) -> delete_webhook::Response {
        if let Err(error) = check_id(&request.webhook_id) {
            return delete_webhook::Response::BadRequest(error);
        }
        let mut state = self.lock();
        match state.projects.get_mut(&request.project_id).and_then(|webhooks| webhooks.remove(&request.webhook_id)) {
            Some(_) => delete_webhook::Response::NoContent,
            None => delete_webhook::Response::NotFound(not_found(&request.project_id, &request.webhook_id)),
        }
    }

    async fn replace_webhook(&self, request: replace_webhook::Request, _: Caller) -> replace_webhook::Response {
        if let Err(error) = check_id(&request.webhook_id) {
            return replace_webhook::Response::BadRequest(error);
        }
        let body = request.body;
        if let Some(error) = unknown_triggers(&body.triggers) {
            return replace_webhook::Response::BadRequest(error);
        }
        let mut state = self.lock();
        let project = state.projects.get_mut(&request.project_id);
        let Some(webhooks) = project.filter(|webhooks| webhooks.contains_key(&request.webhook_id)) else {
            return replace_webhook::Response::NotFound(not_found(&request.project_id, &request.webhook_id));
        };
        if holds_target(webhooks, &body.target, Some(&request.webhook_id)) {
            return replace_webhook::Response::Conflict(webhook_exists());
        }
        let stored = Stored { target: body.target, secret: body.secret, triggers: body.triggers };
        let replaced = dto(&request.project_id, &request.webhook_id, &stored);
        webhooks.insert(request.webhook_id, stored);
        replace_webhook::Response::Ok(replaced)
    }

    async fn update_webhook(&self, request: update_webhook::Request, _: Caller) -> update_webhook::Response {
        if let Err(error) = check_id(&request.webhook_id) {
            return update_webhook::Response::BadRequest(error);
        }
        let body = request.body;
        if let Some(error) = body.triggers.as_deref().and_then(unknown_triggers) {
            return update_webhook::Response::BadRequest(error);
        }
        let mut state = self.lock();
        let Some(webhooks) = state.projects.get_mut(&request.project_id) else {
            return update_webhook::Response::NotFound(not_found(&request.project_id, &request.webhook_id));
        };
        // The published API declares no 409 for PATCH; a taken target is a failed validation.
        let taken =
            body.target.as_ref().is_some_and(|target| holds_target(webhooks, target, Some(&request.webhook_id)));
        let Some(webhook) = webhooks.get_mut(&request.webhook_id) else {
            return update_webhook::Response::NotFound(not_found(&request.project_id, &request.webhook_id));
        };
        if taken {
            let violation = Violation::new("body.target", "must not be the target of another webhook of this project");
            return update_webhook::Response::BadRequest(invalid(&Violations(vec![violation])));
        }
        if let Some(target) = body.target {
            webhook.target = target;
        }
        if let Some(secret) = body.secret {
            webhook.secret = secret;
        }
        if let Some(triggers) = body.triggers {
            webhook.triggers = triggers;
        }
        update_webhook::Response::Ok(dto(&request.project_id, &request.webhook_id, webhook))
    }
}

/// What the API answers for a webhook: everything but its secret.
fn dto(project_id: &str, id: &str, webhook: &Stored) -> WebhookWebhookDto {
    WebhookWebhookDto::new(id.to_owned(), webhook.target.clone(), project_id.to_owned(), webhook.triggers.clone())
}

/// The generated enum keeps values the spec does not list; the API refuses them.
fn unknown_triggers(triggers: &[WebhookWebhookTriggers]) -> Option<WebhookPapiErrorDto> {
    let found: Vec<Violation> = triggers
        .iter()
        .enumerate()
        .filter(|(_, trigger)| !trigger.is_known())
        .map(|(index, _)| Violation::new(format!("body.triggers[{index}]"), "must be one of the documented triggers"))
        .collect();
    Violations::result(found).err().map(|violations| invalid(&violations))
}

/// The API's error body: a code, what went wrong and what to do about it.
fn papi_error(code: ErrorCode, message: impl Into<String>, resolution: &str) -> WebhookPapiErrorDto {
    let mut error = WebhookPapiErrorDto::new(code, message.into());
    error.resolution = Some(resolution.to_owned());
    error
}

/// The API's 400 for `violations`: a code for what kind of mistake it is, and every violation
/// (its field and rule, never a value) in `additionalInformation.validationErrors`.
fn invalid(violations: &Violations) -> WebhookPapiErrorDto {
    let names = |field: &str| violations.iter().any(|violation| violation.field == field);
    // `json_body`'s violations: the body is missing, is not JSON, or not of the declared shape.
    let undecodable =
        violations.iter().any(|violation| violation.field == "body" || violation.rule.starts_with("must be JSON"));
    let (code, message, resolution) = if names("query.pageSize") {
        (
            ErrorCode::InvalidPageSize,
            "The page size is not valid.",
            "Pass a pageSize from 1 to 15, or none for every webhook.",
        )
    } else if names("query.pageToken") {
        (
            ErrorCode::InvalidPageToken,
            "The page token is not valid.",
            "Pass the nextPageToken of the previous page unchanged, or none for the first page.",
        )
    } else if undecodable {
        (
            ErrorCode::InvalidPayload,
            "The body is not JSON of the expected shape.",
            "Send a JSON object with the operation's documented fields and types.",
        )
    } else {
        (
            ErrorCode::InvalidInput,
            "The request failed validation.",
            "Correct every field listed in validationErrors and send the request again.",
        )
    };
    let mut error = papi_error(code, message, resolution);
    let mut information = AdditionalInformation::new();
    information.validation_errors = Some(violations.iter().map(Violation::to_string).collect());
    error.additional_information = Some(information);
    error
}

/// Whether a webhook of `webhooks` other than `except` has `target`: targets are unique per
/// project.
fn holds_target(webhooks: &BTreeMap<String, Stored>, target: &str, except: Option<&str>) -> bool {
    webhooks.iter().any(|(id, webhook)| webhook.target == target && Some(id.as_str()) != except)
}

fn webhook_exists() -> WebhookPapiErrorDto {
    papi_error(
        ErrorCode::WebhookExists,
        "Webhook with the provided target already exists.",
        "Use a target no other webhook of this project has, or change that webhook instead.",
    )
}

fn not_found(project_id: &str, webhook_id: &str) -> WebhookPapiErrorDto {
    papi_error(
        ErrorCode::WebhookNotFound,
        format!("Project {project_id} has no webhook {webhook_id}."),
        "List the project's webhooks for their ids; a deleted webhook is gone.",
    )
}

/// 400 `invalid_id_format` unless `webhook_id` could be an id this stand-in issued (26
/// characters of Crockford base32).
fn check_id(webhook_id: &str) -> Result<(), WebhookPapiErrorDto> {
    if webhook_id.len() == 26 && webhook_id.bytes().all(|byte| CROCKFORD.contains(&byte)) {
        return Ok(());
    }
    Err(papi_error(
        ErrorCode::InvalidIdFormat,
        "The webhookId is not a webhook id.",
        "Use the 26-character id the API returned when the webhook was registered.",
    ))
}

/// A refusal of the runtime's `Server` in the API's shape. Statuses the published API gives
/// no code for (404 for a path it does not serve, 405, 408, 413, 414, 415) get codes of their
/// own, which clients keep in `ErrorCode::Unknown`.
fn refused(status: StatusCode, detail: &str) -> WebhookPapiErrorDto {
    let (code, resolution) = match status {
        StatusCode::BAD_REQUEST if detail.starts_with("path parameter") => (
            ErrorCode::InvalidIdFormat,
            "Use ids as the API returned them; they never hold `/`, `\\`, control characters or dots alone.",
        ),
        StatusCode::BAD_REQUEST => (ErrorCode::InvalidPayload, "Send the whole body, as JSON, in one request."),
        StatusCode::UNAUTHORIZED => (
            ErrorCode::UnauthorizedError,
            "Send Basic credentials (key id and key secret) or a Bearer token accepted for the project.",
        ),
        StatusCode::NOT_FOUND => (
            ErrorCode::from("not_found"),
            "Use a path of the webhooks API: /v1/projects/{projectId}/webhooks[/{webhookId}].",
        ),
        StatusCode::METHOD_NOT_ALLOWED => {
            (ErrorCode::from("method_not_allowed"), "Use a method the Allow header lists.")
        }
        StatusCode::REQUEST_TIMEOUT => {
            (ErrorCode::from("request_timeout"), "Send the body without pausing, within 30 seconds.")
        }
        StatusCode::PAYLOAD_TOO_LARGE => (ErrorCode::from("payload_too_large"), "Send a body of at most 1 MiB."),
        StatusCode::URI_TOO_LONG => (ErrorCode::from("uri_too_long"), "Keep the path and query within 8 KiB."),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            (ErrorCode::from("unsupported_media_type"), "Send the body as JSON with `Content-Type: application/json`.")
        }
        _ => (ErrorCode::InternalError, "Retry later."),
    };
    papi_error(code, detail, resolution)
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A page token: the last id of the page before, hex-encoded (opaque to clients).
fn encode_page_token(last_id: &str) -> String {
    last_id.bytes().map(|byte| format!("{byte:02x}")).collect()
}

/// The id a page token holds, if it is one this stand-in issued.
fn decode_page_token(token: &str) -> Option<String> {
    if token.len() != 52 {
        return None;
    }
    let bytes = token
        .as_bytes()
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
        .collect::<Option<Vec<u8>>>()?;
    let id = String::from_utf8(bytes).ok()?;
    id.bytes().all(|byte| CROCKFORD.contains(&byte)).then_some(id)
}

/// Compares without stopping at the first difference (the length is not hidden).
fn same(given: &str, expected: &str) -> bool {
    given.len() == expected.len() && given.bytes().zip(expected.bytes()).fold(0, |differ, (a, b)| differ | (a ^ b)) == 0
}

/// A stand-in for the Sinch Provisioning webhooks API, in memory.
#[derive(Parser)]
#[command(about)]
struct Cli {
    /// The address to listen on (port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:8081")]
    listen: SocketAddr,
    /// Accept Basic credentials with this user name and password (and no others, unless
    /// `--bearer` is given too).
    #[arg(long, value_name = "USER:PASS")]
    basic: Option<String>,
    /// Accept this Bearer token (and no other, unless `--basic` is given too).
    #[arg(long, value_name = "TOKEN")]
    bearer: Option<String>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    // Split by hand: clap's own error for a bad value would quote it, password included.
    let basic = match cli.basic.map(|text| {
        text.split_once(':')
            .filter(|(user, _)| !user.is_empty())
            .map(|(user, pass)| (user.to_owned(), Secret::new(pass)))
    }) {
        Some(None) => {
            eprintln!("error: --basic takes USER:PASS, a user name and a password separated by `:`");
            return ExitCode::from(2);
        }
        Some(Some(pair)) => Some(pair),
        None => None,
    };
    let bearer = cli.bearer.map(Secret::new);
    let accepted = match (&basic, &bearer) {
        (None, None) => "any Basic or Bearer credentials".to_owned(),
        (Some((user, _)), None) => format!("Basic credentials of user `{user}`"),
        (None, Some(_)) => "the Bearer token given".to_owned(),
        (Some((user, _)), Some(_)) => {
            format!("Basic credentials of user `{user}` and the Bearer token given")
        }
    };
    let listener = match tokio::net::TcpListener::bind(cli.listen).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("error: cannot listen on {}: {error}", cli.listen);
            return ExitCode::FAILURE;
        }
    };
    let address = listener.local_addr().unwrap_or(cli.listen);
    println!("listening on http://{address}");
    eprintln!("accepting {accepted}");
    let app = router(StandIn::new().server(basic, bearer)).layer(axum::middleware::from_fn(log));
    serve::run(listener, app, &serve::Limits::default()).await;
    ExitCode::SUCCESS
}

/// One line per request on stderr: method, path and status (never headers, query or body).
async fn log(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let line = format!("{} {}", request.method(), request.uri().path());
    let response = next.run(request).await;
    eprintln!("{line} -> {}", response.status().as_u16());
    response
}
