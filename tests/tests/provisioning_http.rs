//! The generated Sinch Provisioning client against the spec's stand-in server, over real HTTP
//! on 127.0.0.1.
//!
//! The stand-in (`specs/sinch-provisioning/stand_in.rs`, copied by `cargo xtask codegen` to the
//! generated crate's `examples/`) is included here as a module and served in-process with the
//! generated `router`; a middleware counts the HTTP requests that reach it, so that a request
//! the client refuses to send can be shown never to have arrived.
//!
//! What is checked: every row of the published API's table (list, register, get, replace,
//! update, delete: the success status and each error code, raw and through the client's typed
//! `Response` variants), every error in the `WebhookPapiErrorDto` shape with a resolution; the
//! 15-webhook limit per project (424); targets unique per project (409 on POST and PUT);
//! paging with `list_webhooks_pages`; get, replace, partial update and delete; every constraint
//! of the spec refused by the client before sending, and by the server (every violation in
//! `validationErrors`) when sent anyway; Basic and Bearer credentials; that secrets never show
//! in `Debug`, error text or answers; that an undeclared status is kept as received; that
//! hostile requests (a body that is not JSON, a path that smuggles `/`, `..` or NUL into a
//! parameter, an overlong path) are refused in the API's error shape and never reach another
//! project's webhooks. Slow clients: `slow_clients.rs`.

#[allow(dead_code)] // The example's `main` and command line are not used here.
#[rustfmt::skip]
#[path = "../../generated/sinch-provisioning/examples/stand_in.rs"]
mod stand_in;

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::{from_fn_with_state, Next};
use hookwright_runtime::api::reqwest::{HttpClient, StreamExt, TryStreamExt};
use hookwright_runtime::api::{ClientError, Credentials, RequestError, Violations};
use hookwright_runtime::http::{self, StatusCode};
use hookwright_runtime::{serve, Secret};
use serde_json::{json, Value};
use sinch_provisioning::operations::{
    create_webhook, delete_webhook, get_webhook, list_webhooks, replace_webhook, router, update_webhook, Client,
};
use sinch_provisioning::{
    CreateWebhookRequest, ListWebhooksResponse, UpdateWebhookRequest, WebhookPapiErrorCode as ErrorCode,
    WebhookPapiErrorDto, WebhookWebhookDto, WebhookWebhookTriggers as Trigger,
};
use stand_in::StandIn;

const TOKEN: &str = "any-token";
const SECRET: &str = "s3cr3t-VALUE-xyz";

// ---------------------------------------------------------------------------------------------
// The stand-in, served
// ---------------------------------------------------------------------------------------------

/// A stand-in listening on 127.0.0.1: its base URL, its store and how many HTTP requests
/// reached it.
struct Running {
    base: String,
    store: StandIn,
    hits: Arc<AtomicUsize>,
}

impl Running {
    fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }

    /// The generated client, sending `credentials` (none when `None`).
    fn client_with(&self, credentials: Option<Credentials>) -> Client {
        let http = HttpClient::new(self.base.clone());
        Client::new(match credentials {
            Some(credentials) => http.with_credentials(credentials),
            None => http,
        })
    }

    /// The generated client with a Bearer token (any is accepted unless restricted).
    fn client(&self) -> Client {
        self.client_with(Some(Credentials::bearer(TOKEN)))
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

async fn count_hits(State(hits): State<Arc<AtomicUsize>>, request: Request, next: Next) -> axum::response::Response {
    hits.fetch_add(1, Ordering::SeqCst);
    next.run(request).await
}

/// Starts the stand-in on a free port, accepting only `basic` and `bearer` when either is given.
async fn start(basic: Option<(&str, &str)>, bearer: Option<&str>) -> Running {
    let store = StandIn::new();
    let server =
        store.clone().server(basic.map(|(user, pass)| (user.to_owned(), Secret::new(pass))), bearer.map(Secret::new));
    let hits = Arc::new(AtomicUsize::new(0));
    let app = router(server).layer(from_fn_with_state(hits.clone(), count_hits));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { serve::run(listener, app, &serve::Limits::default()).await });
    Running { base: format!("http://{address}"), store, hits }
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

fn triggers(names: &[&str]) -> Vec<Trigger> {
    names.iter().map(|name| Trigger::from(*name)).collect()
}

fn new_webhook(project: &str, target: &str, secret: &str, names: &[&str]) -> create_webhook::Request {
    let body = CreateWebhookRequest::new(target.to_owned(), Secret::new(secret), triggers(names));
    create_webhook::Request::new(project.to_owned(), body)
}

fn list(project: &str, page_size: Option<i64>) -> list_webhooks::Request {
    let mut request = list_webhooks::Request::new(project.to_owned());
    request.page_size = page_size;
    request
}

fn get(project: &str, id: &str) -> get_webhook::Request {
    get_webhook::Request::new(project.to_owned(), id.to_owned())
}

fn delete(project: &str, id: &str) -> delete_webhook::Request {
    delete_webhook::Request::new(project.to_owned(), id.to_owned())
}

fn update(project: &str, id: &str, body: UpdateWebhookRequest) -> update_webhook::Request {
    update_webhook::Request::new(project.to_owned(), id.to_owned(), body)
}

/// A partial update: what `set` sets, nothing else.
fn patch(set: impl FnOnce(&mut UpdateWebhookRequest)) -> UpdateWebhookRequest {
    let mut body = UpdateWebhookRequest::new();
    set(&mut body);
    body
}

/// Registers `count` webhooks in `project`, each with its own target; their ids, in order.
async fn register(client: &Client, project: &str, count: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for index in 0..count {
        let target = format!("https://hooks.example.com/{project}/{index}");
        let request = new_webhook(project, &target, SECRET, &["ALL"]);
        match client.create_webhook(&request).await.unwrap() {
            create_webhook::Response::Created(created) => {
                assert_eq!((created.project_id.as_str(), created.target.as_str()), (project, target.as_str()));
                assert_eq!(created.triggers, [Trigger::All]);
                ids.push(created.id);
            }
            other => panic!("registering webhook {index} of {project}: {other:?}"),
        }
    }
    ids
}

async fn list_page(client: &Client, request: &list_webhooks::Request) -> ListWebhooksResponse {
    match client.list_webhooks(request).await.unwrap() {
        list_webhooks::Response::Ok(page) => page,
        other => panic!("listing {}: {other:?}", request.project_id),
    }
}

async fn get_ok(client: &Client, project: &str, id: &str) -> WebhookWebhookDto {
    match client.get_webhook(&get(project, id)).await.unwrap() {
        get_webhook::Response::Ok(webhook) => webhook,
        other => panic!("getting {id}: {other:?}"),
    }
}

async fn update_ok(client: &Client, request: &update_webhook::Request) -> WebhookWebhookDto {
    match client.update_webhook(request).await.unwrap() {
        update_webhook::Response::Ok(webhook) => webhook,
        other => panic!("updating {}: {other:?}", request.webhook_id),
    }
}

fn ids(webhooks: &[WebhookWebhookDto]) -> Vec<String> {
    webhooks.iter().map(|webhook| webhook.id.clone()).collect()
}

// ---------------------------------------------------------------------------------------------
// The API's behaviour
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_project_holds_at_most_15_webhooks() {
    let running = start(None, None).await;
    let client = running.client();
    let first = register(&client, "p1", 15).await;
    let distinct: HashSet<&String> = first.iter().collect();
    assert_eq!(distinct.len(), 15, "{first:?}");
    for id in &first {
        assert!(
            id.len() == 26 && id.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()),
            "not a ULID-like id: {id}"
        );
    }

    let sixteenth = new_webhook("p1", "https://hooks.example.com/16", SECRET, &["ALL"]);
    match client.create_webhook(&sixteenth).await.unwrap() {
        create_webhook::Response::FailedDependency(error) => {
            assert_eq!(error.error_code, ErrorCode::WebhookLimitReached);
            assert_eq!(error.message, "Number of webhooks has reached the limit.");
            assert!(error.resolution.unwrap_or_default().contains("Delete a webhook"));
        }
        other => panic!("the 16th webhook was not refused: {other:?}"),
    }
    assert_eq!(list_page(&client, &list("p1", None)).await.total_size, 15);

    // Another project has its own 15.
    let second = register(&client, "p2", 15).await;
    assert!(second.iter().all(|id| !distinct.contains(id)));
    let page = list_page(&client, &list("p2", None)).await;
    assert_eq!((page.total_size, ids(&page.webhooks)), (15, second));
    assert!(page.webhooks.iter().all(|webhook| webhook.project_id == "p2"));
    assert_eq!(list_page(&client, &list("p1", None)).await.total_size, 15);
}

#[tokio::test]
async fn pages_walk_every_webhook_once_in_id_order() {
    let running = start(None, None).await;
    let client = running.client();
    let mut registered = register(&client, "p", 15).await;
    registered.sort();

    let pages: Vec<ListWebhooksResponse> = client.list_webhooks_pages(list("p", Some(4))).try_collect().await.unwrap();
    let sizes: Vec<usize> = pages.iter().map(|page| page.webhooks.len()).collect();
    assert_eq!(sizes, [4, 4, 4, 3]);
    for (index, page) in pages.iter().enumerate() {
        assert_eq!((page.total_size, page.page_size), (15, 4), "page {index}");
        assert_eq!(page.next_page_token.is_some(), index < 3, "page {index}");
    }
    let walked: Vec<String> = pages.iter().flat_map(|page| ids(&page.webhooks)).collect();
    assert_eq!(walked, registered, "every webhook once, in alphabetical order of id");
    // Stopping early is the caller's choice: the stream is lazy.
    let two: Vec<_> = client.list_webhooks_pages(list("p", Some(4))).take(2).collect().await;
    assert_eq!(two.len(), 2);

    let all = list_page(&client, &list("p", None)).await;
    assert_eq!(ids(&all.webhooks), registered);
    assert_eq!((all.total_size, all.page_size, all.next_page_token), (15, 15, None));

    // A token the server did not issue is refused, naming the parameter.
    let mut garbled = list("p", Some(4));
    garbled.page_token = Some("not-a-token".to_owned());
    match client.list_webhooks(&garbled).await.unwrap() {
        list_webhooks::Response::BadRequest(error) => {
            assert_eq!(error.error_code, ErrorCode::InvalidPageToken);
            assert_eq!(fields(&error), ["query.pageToken"]);
        }
        other => panic!("a garbled page token was accepted: {other:?}"),
    }
    // An empty project lists nothing.
    let empty = list_page(&client, &list("nobody", None)).await;
    assert_eq!((empty.total_size, empty.webhooks.len(), empty.next_page_token), (0, 0, None));
}

#[tokio::test]
async fn get_update_and_delete_one_webhook() {
    let running = start(None, None).await;
    let client = running.client();
    let request = new_webhook("p", "https://a.example.com/hook", "first-secret", &["ALL"]);
    let created = match client.create_webhook(&request).await.unwrap() {
        create_webhook::Response::Created(created) => created,
        other => panic!("{other:?}"),
    };
    let id = created.id.clone();
    assert_eq!(get_ok(&client, "p", &id).await, created);
    assert_eq!(get_ok(&client, "p", &id).await.target, "https://a.example.com/hook");

    let templates = ["WHATSAPP_TEMPLATE_APPROVED", "WHATSAPP_TEMPLATE_REJECTED"];
    let only_triggers = patch(|body| body.triggers = Some(triggers(&templates)));
    let updated = update_ok(&client, &update("p", &id, only_triggers)).await;
    assert_eq!(updated.triggers, triggers(&templates));
    assert_eq!(updated.target, "https://a.example.com/hook");
    assert_eq!(get_ok(&client, "p", &id).await, updated);

    let only_target = patch(|body| body.target = Some("https://b.example.com/hook".to_owned()));
    let updated = update_ok(&client, &update("p", &id, only_target)).await;
    assert_eq!(updated.target, "https://b.example.com/hook");
    assert_eq!(updated.triggers, triggers(&templates));
    assert_eq!(get_ok(&client, "p", &id).await, updated);
    let secret = |store: &StandIn| store.secret_of("p", &id).map(|s| s.expose().to_owned());
    assert_eq!(secret(&running.store).as_deref(), Some("first-secret"));

    let only_secret = patch(|body| body.secret = Some(Secret::new("second-secret")));
    assert_eq!(update_ok(&client, &update("p", &id, only_secret)).await, updated);
    assert_eq!(secret(&running.store).as_deref(), Some("second-secret"));

    assert_eq!(client.delete_webhook(&delete("p", &id)).await.unwrap(), delete_webhook::Response::NoContent);
    match client.get_webhook(&get("p", &id)).await.unwrap() {
        get_webhook::Response::NotFound(error) => {
            assert_eq!(error.error_code, ErrorCode::WebhookNotFound);
            assert!(error.message.contains(&id), "{error:?}");
        }
        other => panic!("a deleted webhook was found: {other:?}"),
    }
    assert!(matches!(client.delete_webhook(&delete("p", &id)).await.unwrap(), delete_webhook::Response::NotFound(_)));
    let too_late = update("p", &id, UpdateWebhookRequest::default());
    assert!(matches!(client.update_webhook(&too_late).await.unwrap(), update_webhook::Response::NotFound(_)));
    // Ids belong to their project.
    let other = register(&client, "q", 1).await;
    assert!(matches!(client.get_webhook(&get("p", &other[0])).await.unwrap(), get_webhook::Response::NotFound(_)));
}

/// A replacement of webhook `id` with the full body of a registration.
fn replace(project: &str, id: &str, target: &str, secret: &str, names: &[&str]) -> replace_webhook::Request {
    let body = CreateWebhookRequest::new(target.to_owned(), Secret::new(secret), triggers(names));
    replace_webhook::Request::new(project.to_owned(), id.to_owned(), body)
}

/// An id of the stand-in's format that it never issued.
const UNKNOWN_ID: &str = "00000000000000000000000000";

#[tokio::test]
async fn put_replaces_every_field() {
    let running = start(None, None).await;
    let client = running.client();
    let id = register(&client, "p", 1).await.remove(0);

    let templates = ["WHATSAPP_TEMPLATE_APPROVED"];
    let request = replace("p", &id, "https://b.example.com/hook", "second-secret", &templates);
    let replaced = match client.replace_webhook(&request).await.unwrap() {
        replace_webhook::Response::Ok(webhook) => webhook,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        (replaced.id.as_str(), replaced.project_id.as_str(), replaced.target.as_str()),
        (id.as_str(), "p", "https://b.example.com/hook")
    );
    assert_eq!(replaced.triggers, triggers(&templates));
    assert_eq!(get_ok(&client, "p", &id).await, replaced);
    let secret = running.store.secret_of("p", &id).map(|s| s.expose().to_owned());
    assert_eq!(secret.as_deref(), Some("second-secret"));

    // The body must hold every field: a PATCH-like body is refused, naming what is missing.
    let one = running.url(&format!("/v1/projects/p/webhooks/{id}"));
    let (status, json, _) =
        send_raw(http::Method::PUT, &one, &json!({"target": "https://c.example.com/"}).to_string()).await;
    assert_invalid(status, &json, "invalid_payload", "body", "PUT without secret and triggers");
    let reason = json["additionalInformation"]["validationErrors"][0].as_str().unwrap_or_default();
    assert!(reason.contains("missing field"), "{reason}");
    let sent = json!({"target": "not a url", "secret": SECRET, "triggers": ["ALL"]});
    let (status, json, text) = send_raw(http::Method::PUT, &one, &sent.to_string()).await;
    assert_invalid(status, &json, "invalid_input", "body.target", "PUT with a target that is not a URL");
    assert!(!text.contains(SECRET), "{text}");
    // The client refuses the same before sending.
    let violations = refused(client.replace_webhook(&replace("p", &id, "", SECRET, &["ALL"])).await);
    assert_violates(&violations, "body.target", "at least 1 character");
    assert_eq!(get_ok(&client, "p", &id).await, replaced, "a refused PUT changed the webhook");

    match client.replace_webhook(&replace("p", UNKNOWN_ID, "https://d.example.com/", SECRET, &["ALL"])).await.unwrap() {
        replace_webhook::Response::NotFound(error) => assert_eq!(error.error_code, ErrorCode::WebhookNotFound),
        other => panic!("{other:?}"),
    }
    match client.replace_webhook(&replace("p", "not-an-id", "https://d.example.com/", SECRET, &["ALL"])).await.unwrap()
    {
        replace_webhook::Response::BadRequest(error) => assert_eq!(error.error_code, ErrorCode::InvalidIdFormat),
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Constraints: refused by the client, and by the server when sent anyway
// ---------------------------------------------------------------------------------------------

/// A target of exactly `length` characters that is a valid absolute URL.
fn target_of_length(length: usize) -> String {
    let prefix = "https://hooks.example.com/";
    format!("{prefix}{}", "a".repeat(length - prefix.len()))
}

/// The violations of a call the client refused to send.
fn refused<T: std::fmt::Debug>(result: Result<T, ClientError>) -> Violations {
    match result {
        Err(ClientError::Request(RequestError::Invalid(violations))) => violations,
        other => panic!("expected a client-side refusal, got {other:?}"),
    }
}

/// Violations of `field` only, one of them with a rule containing `rule` (an empty target is
/// both too short and not a URL).
fn assert_violates(violations: &Violations, field: &str, rule: &str) {
    let found: Vec<(&str, &str)> = violations.iter().map(|v| (v.field.as_str(), v.rule.as_str())).collect();
    assert!(
        !found.is_empty()
            && found.iter().all(|(name, _)| *name == field)
            && found.iter().any(|(_, text)| text.contains(rule)),
        "expected violations of {field} ({rule}), got {found:?}"
    );
}

#[tokio::test]
async fn the_client_refuses_every_constraint_before_sending() {
    let running = start(None, None).await;
    let client = running.client();
    let kept = register(&client, "p", 1).await;
    let hits = running.hits();
    assert_eq!(hits, 1, "the middleware counts what reaches the server");

    let url = "https://hooks.example.com/x";
    let create_cases: [(create_webhook::Request, &str, &str); 7] = [
        (new_webhook("p", "", SECRET, &["ALL"]), "body.target", "at least 1 character"),
        (new_webhook("p", &target_of_length(743), SECRET, &["ALL"]), "body.target", "at most 742 characters"),
        (new_webhook("p", "not a url", SECRET, &["ALL"]), "body.target", "valid absolute URL"),
        (new_webhook("p", url, "", &["ALL"]), "body.secret", "at least 1 character"),
        (new_webhook("p", url, &"s".repeat(129), &["ALL"]), "body.secret", "at most 128 characters"),
        (new_webhook("p", url, SECRET, &[]), "body.triggers", "at least 1 item"),
        (new_webhook("p", url, SECRET, &["ALL", "ALL"]), "body.triggers", "must not repeat"),
    ];
    for (request, field, rule) in create_cases {
        assert_violates(&refused(client.create_webhook(&request).await), field, rule);
    }
    // A target of exactly 742 characters is fine (checked without sending).
    assert!(new_webhook("p", &target_of_length(742), SECRET, &["ALL"]).to_http(&running.base).is_ok());

    for (size, rule) in [(0, "at least 1"), (16, "at most 15")] {
        let violations = refused(client.list_webhooks(&list("p", Some(size))).await);
        assert_violates(&violations, "query.pageSize", rule);
        let pages: Vec<_> = client.list_webhooks_pages(list("p", Some(size))).collect().await;
        assert_eq!(pages.len(), 1, "paging stops at the refusal");
        assert_violates(&refused(pages.into_iter().next().unwrap()), "query.pageSize", rule);
    }

    // The same rules hold for a partial update, for the fields it has.
    let update_cases = [
        (patch(|body| body.target = Some(String::new())), "body.target"),
        (patch(|body| body.secret = Some(Secret::new("s".repeat(129)))), "body.secret"),
        (patch(|body| body.triggers = Some(Vec::new())), "body.triggers"),
    ];
    for (body, field) in update_cases {
        let violations = refused(client.update_webhook(&update("p", &kept[0], body)).await);
        assert_violates(&violations, field, "");
    }

    assert_eq!(running.hits(), hits, "a refused request reached the server");
    let page = list_page(&client, &list("p", None)).await;
    assert_eq!(ids(&page.webhooks), kept, "the store changed");
}

/// The field each of an API error's `additionalInformation.validationErrors` names (each is
/// `field: rule`).
fn fields(error: &WebhookPapiErrorDto) -> Vec<String> {
    let errors = error.additional_information.as_ref().and_then(|information| information.validation_errors.as_ref());
    errors.into_iter().flatten().map(|text| text.split(": ").next().unwrap_or_default().to_owned()).collect()
}

/// Sends `body` (raw bytes, JSON content type) with a valid Bearer token; the status and the
/// body decoded as JSON.
async fn send_raw(method: http::Method, url: &str, body: &str) -> (StatusCode, Value, String) {
    let response = reqwest::Client::new()
        .request(method, url)
        .header("authorization", format!("Bearer {TOKEN}"))
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = response.status();
    let content_type = response.headers().get("content-type").map(|value| value.to_str().unwrap().to_owned());
    let text = response.text().await.unwrap();
    if status == StatusCode::BAD_REQUEST {
        assert_eq!(content_type.as_deref(), Some("application/json"), "{text}");
    }
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    (status, json, text)
}

/// A 400 in the API's own error shape, with `code`, a resolution, and validation errors that
/// name `field` (and nothing else), each with its rule.
fn assert_invalid(status: StatusCode, body: &Value, code: &str, field: &str, what: &str) {
    assert_eq!(status, StatusCode::BAD_REQUEST, "{what}: {body}");
    let error: WebhookPapiErrorDto =
        serde_json::from_value(body.clone()).unwrap_or_else(|e| panic!("{what}: {e}: {body}"));
    assert_eq!(error.error_code.as_str(), code, "{what}: {body}");
    assert!(error.resolution.as_ref().is_some_and(|text| text.ends_with('.')), "{what}: {body}");
    let named = fields(&error);
    assert!(!named.is_empty() && named.iter().all(|name| name == field), "{what}: {body}");
    let rule = body["additionalInformation"]["validationErrors"][0].as_str().unwrap_or_default();
    assert!(rule.len() > field.len() + 2, "{what}: no rule: {body}");
}

#[tokio::test]
async fn the_server_refuses_the_same_violations_in_the_apis_error_shape() {
    let running = start(None, None).await;
    let client = running.client();
    let kept = register(&client, "p", 1).await;
    let webhooks = running.url("/v1/projects/p/webhooks");
    let long_secret = format!("{SECRET}{}", "x".repeat(129 - SECRET.len()));

    let body = |target: &str, secret: &str, triggers: Value| {
        json!({"target": target, "secret": secret, "triggers": triggers}).to_string()
    };
    let url = "https://hooks.example.com/x";
    let (input, payload) = ("invalid_input", "invalid_payload");
    let cases = [
        ("empty target", body("", SECRET, json!(["ALL"])), input, "body.target"),
        ("743-char target", body(&target_of_length(743), SECRET, json!(["ALL"])), input, "body.target"),
        ("target not a URL", body("not a url", SECRET, json!(["ALL"])), input, "body.target"),
        ("empty secret", body(url, "", json!(["ALL"])), input, "body.secret"),
        ("129-char secret", body(url, &long_secret, json!(["ALL"])), input, "body.secret"),
        ("no triggers", body(url, SECRET, json!([])), input, "body.triggers"),
        ("repeated trigger", body(url, SECRET, json!(["ALL", "ALL"])), input, "body.triggers"),
        ("undocumented trigger", body(url, SECRET, json!(["ALL", "NOPE"])), input, "body.triggers[1]"),
        ("not JSON", "target=x".to_owned(), payload, "body"),
        ("triggers not a list", body(url, SECRET, json!("ALL")), payload, "body.triggers"),
        ("no secret", json!({"target": url, "triggers": ["ALL"]}).to_string(), payload, "body"),
        ("no body", String::new(), payload, "body"),
    ];
    for (what, sent, code, field) in &cases {
        let (status, json, text) = send_raw(http::Method::POST, &webhooks, sent).await;
        assert_invalid(status, &json, code, field, what);
        assert!(!text.contains(SECRET), "{what}: the answer shows the secret: {text}");
    }
    let (_, json, _) = send_raw(http::Method::POST, &webhooks, &cases[9].1).await;
    let reason = json["additionalInformation"]["validationErrors"][0].as_str().unwrap_or_default();
    assert!(reason.contains("expected a sequence"), "{reason}");

    // Every violation is listed, not only the first; none quotes the secret.
    let (status, json, text) = send_raw(http::Method::POST, &webhooks, &body("", &long_secret, json!([]))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{json}");
    let error: WebhookPapiErrorDto = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(error.error_code, ErrorCode::InvalidInput);
    let mut named = fields(&error);
    named.dedup();
    assert_eq!(named, ["body.target", "body.secret", "body.triggers"], "{json}");
    assert!(!text.contains(&long_secret), "{text}");

    for (query, what) in
        [("pageSize=0", "page size 0"), ("pageSize=16", "page size 16"), ("pageSize=four", "page size not a number")]
    {
        let (status, json, _) = send_raw(http::Method::GET, &format!("{webhooks}?{query}"), "").await;
        assert_invalid(status, &json, "invalid_page_size", "query.pageSize", what);
    }
    let (status, json, _) = send_raw(http::Method::GET, &format!("{webhooks}?pageToken=Zm9v"), "").await;
    assert_invalid(status, &json, "invalid_page_token", "query.pageToken", "garbled page token");

    let one = running.url(&format!("/v1/projects/p/webhooks/{}", kept[0]));
    for (sent, field) in [
        (json!({"target": ""}), "body.target"),
        (json!({"secret": long_secret}), "body.secret"),
        (json!({"triggers": []}), "body.triggers"),
        (json!({"triggers": ["NOPE"]}), "body.triggers[0]"),
    ] {
        let (status, json, text) = send_raw(http::Method::PATCH, &one, &sent.to_string()).await;
        assert_invalid(status, &json, "invalid_input", field, &format!("PATCH {sent}"));
        assert!(!text.contains(SECRET), "the answer shows the secret: {text}");
    }

    let page = list_page(&client, &list("p", None)).await;
    assert_eq!(page.webhooks.len(), 1, "a refused request changed the store");
    assert_eq!(get_ok(&client, "p", &kept[0]).await.target, "https://hooks.example.com/p/0");
}

#[tokio::test]
async fn targets_are_unique_per_project() {
    let running = start(None, None).await;
    let client = running.client();
    let [a, b]: [String; 2] = register(&client, "p", 2).await.try_into().unwrap();
    let target_a = "https://hooks.example.com/p/0";

    let again = new_webhook("p", target_a, "other-secret", &["BUNDLE_DONE"]);
    match client.create_webhook(&again).await.unwrap() {
        create_webhook::Response::Conflict(error) => {
            assert_eq!(error.error_code, ErrorCode::WebhookExists);
            assert_eq!(error.message, "Webhook with the provided target already exists.");
            assert!(error.resolution.is_some_and(|text| text.ends_with('.')));
        }
        other => panic!("a second webhook with the same target: {other:?}"),
    }
    assert_eq!(list_page(&client, &list("p", None)).await.total_size, 2);
    // Another project may have the same target.
    assert_eq!(register_target(&client, "q", target_a).await.target, target_a);

    // PUT: another webhook's target is a conflict, the webhook's own is not.
    let before = get_ok(&client, "p", &b).await;
    match client.replace_webhook(&replace("p", &b, target_a, SECRET, &["ALL"])).await.unwrap() {
        replace_webhook::Response::Conflict(error) => assert_eq!(error.error_code, ErrorCode::WebhookExists),
        other => panic!("PUT to another webhook's target: {other:?}"),
    }
    assert_eq!(get_ok(&client, "p", &b).await, before);
    match client.replace_webhook(&replace("p", &a, target_a, SECRET, &["BUNDLE_DONE"])).await.unwrap() {
        replace_webhook::Response::Ok(webhook) => assert_eq!(webhook.triggers, triggers(&["BUNDLE_DONE"])),
        other => panic!("PUT keeping its own target: {other:?}"),
    }
    // PATCH, for which the API declares no 409: a failed validation of the target.
    match client.update_webhook(&update("p", &b, patch(|body| body.target = Some(target_a.to_owned())))).await.unwrap()
    {
        update_webhook::Response::BadRequest(error) => {
            assert_eq!(error.error_code, ErrorCode::InvalidInput);
            assert_eq!(fields(&error), ["body.target"]);
        }
        other => panic!("PATCH to another webhook's target: {other:?}"),
    }
    assert_eq!(get_ok(&client, "p", &b).await, before);

    // Raw: 409 in the API's error shape.
    let sent = json!({"target": target_a, "secret": SECRET, "triggers": ["ALL"]}).to_string();
    let (status, json, _) = send_raw(http::Method::POST, &running.url("/v1/projects/p/webhooks"), &sent).await;
    assert_error_shape(status.as_u16(), &json, 409, "webhook_exists", "POST of a taken target");

    // A deleted webhook's target is free again.
    assert_eq!(client.delete_webhook(&delete("p", &a)).await.unwrap(), delete_webhook::Response::NoContent);
    assert_eq!(register_target(&client, "p", target_a).await.target, target_a);
}

/// Registers one webhook with `target`.
async fn register_target(client: &Client, project: &str, target: &str) -> WebhookWebhookDto {
    match client.create_webhook(&new_webhook(project, target, SECRET, &["ALL"])).await.unwrap() {
        create_webhook::Response::Created(created) => created,
        other => panic!("registering {target} in {project}: {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// The published table: every operation's success status and error codes
// ---------------------------------------------------------------------------------------------

/// The response of a generated client call, or a panic naming the variant expected.
macro_rules! expect {
    ($call:expr, $variant:path) => {
        match $call.await.unwrap() {
            $variant(value) => value,
            other => panic!("expected {}, got {other:?}", stringify!($variant)),
        }
    };
}

/// Sends `body` (when not empty, as JSON) with a Bearer token when `authorized`: the status and
/// the body as JSON (`Null` when empty).
async fn send(method: &str, url: &str, body: &str, authorized: bool) -> (u16, Value) {
    let mut request = reqwest::Client::new().request(method.parse().unwrap(), url);
    if authorized {
        request = request.header("authorization", format!("Bearer {TOKEN}"));
    }
    if !body.is_empty() {
        request = request.header("content-type", "application/json").body(body.to_owned());
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, serde_json::from_str(&response.text().await.unwrap()).unwrap_or(Value::Null))
}

/// A request and its answer: method, path, body, whether credentials are sent, the status, and
/// the `errorCode` (`None` for a success).
type Row = (&'static str, String, String, bool, u16, Option<&'static str>);

#[tokio::test]
async fn every_row_of_the_published_table_raw() {
    let running = start(None, None).await;
    let client = running.client();
    let [id, other]: [String; 2] = register(&client, "p", 2).await.try_into().unwrap();
    register(&client, "full", 15).await;
    let taken = "https://hooks.example.com/p/1";
    let webhook = |target: &str| json!({"target": target, "secret": SECRET, "triggers": ["ALL"]}).to_string();
    let (collection, one) = ("/v1/projects/p/webhooks".to_owned(), format!("/v1/projects/p/webhooks/{id}"));
    let (unknown, malformed) = (format!("{collection}/{UNKNOWN_ID}"), format!("{collection}/not-an-id"));
    let fresh = webhook("https://hooks.example.com/fresh");
    // In order: the last one deletes.
    let rows: Vec<Row> = vec![
        ("GET", collection.clone(), String::new(), true, 200, None),
        ("GET", format!("{collection}?pageSize=0"), String::new(), true, 400, Some("invalid_page_size")),
        ("GET", format!("{collection}?pageToken=Zm9v"), String::new(), true, 400, Some("invalid_page_token")),
        ("GET", collection.clone(), String::new(), false, 401, Some("unauthorized_error")),
        ("POST", collection.clone(), fresh.clone(), true, 201, None),
        ("POST", collection.clone(), webhook("not a url"), true, 400, Some("invalid_input")),
        ("POST", collection.clone(), "{\"target\":".to_owned(), true, 400, Some("invalid_payload")),
        ("POST", collection.clone(), webhook("https://x.example.com/"), false, 401, Some("unauthorized_error")),
        ("POST", collection.clone(), webhook(taken), true, 409, Some("webhook_exists")),
        ("POST", "/v1/projects/full/webhooks".to_owned(), fresh.clone(), true, 424, Some("webhook_limit_reached")),
        ("GET", one.clone(), String::new(), true, 200, None),
        ("GET", malformed.clone(), String::new(), true, 400, Some("invalid_id_format")),
        ("GET", one.clone(), String::new(), false, 401, Some("unauthorized_error")),
        ("GET", unknown.clone(), String::new(), true, 404, Some("webhook_not_found")),
        ("PUT", one.clone(), webhook("https://hooks.example.com/replaced"), true, 200, None),
        ("PUT", one.clone(), webhook(""), true, 400, Some("invalid_input")),
        ("PUT", malformed.clone(), webhook("https://x.example.com/"), true, 400, Some("invalid_id_format")),
        ("PUT", one.clone(), webhook("https://x.example.com/"), false, 401, Some("unauthorized_error")),
        ("PUT", unknown.clone(), webhook("https://x.example.com/"), true, 404, Some("webhook_not_found")),
        ("PUT", one.clone(), webhook(taken), true, 409, Some("webhook_exists")),
        ("PATCH", one.clone(), json!({"triggers": ["BUNDLE_DONE"]}).to_string(), true, 200, None),
        ("PATCH", one.clone(), json!({"triggers": []}).to_string(), true, 400, Some("invalid_input")),
        ("PATCH", one.clone(), "[]".to_owned(), true, 400, Some("invalid_payload")),
        ("PATCH", one.clone(), "{}".to_owned(), false, 401, Some("unauthorized_error")),
        ("PATCH", unknown.clone(), "{}".to_owned(), true, 404, Some("webhook_not_found")),
        ("DELETE", malformed, String::new(), true, 400, Some("invalid_id_format")),
        ("DELETE", one.clone(), String::new(), false, 401, Some("unauthorized_error")),
        ("DELETE", unknown, String::new(), true, 404, Some("webhook_not_found")),
        ("DELETE", collection.clone(), String::new(), true, 405, Some("method_not_allowed")),
        ("DELETE", one.clone(), String::new(), true, 204, None),
    ];
    for (method, path, body, authorized, status, code) in &rows {
        let what = format!("{method} {path} {body} (authorized: {authorized})");
        let (got, json) = send(method, &running.url(path), body, *authorized).await;
        match code {
            Some(code) => assert_error_shape(got, &json, *status, code, &what),
            None if *status == 204 => assert_eq!((got, &json), (204, &Value::Null), "{what}"),
            None => {
                assert_eq!(got, *status, "{what}: {json}");
                let decoded = if json.get("webhooks").is_some() {
                    serde_json::from_value::<ListWebhooksResponse>(json.clone()).err()
                } else {
                    serde_json::from_value::<WebhookWebhookDto>(json.clone()).err()
                };
                assert!(decoded.is_none(), "{what}: {json}");
            }
        }
        if let Some("invalid_input" | "invalid_payload" | "invalid_page_size" | "invalid_page_token") = code {
            let errors = json["additionalInformation"]["validationErrors"].as_array().cloned().unwrap_or_default();
            assert!(!errors.is_empty() && errors.iter().all(Value::is_string), "{what}: {json}");
        }
        assert!(!json.to_string().contains(SECRET), "{what}: {json}");
    }
    let left = list_page(&client, &list("p", None)).await;
    assert_eq!(ids(&left.webhooks).len(), 2, "{left:?}");
    assert!(ids(&left.webhooks).contains(&other) && !ids(&left.webhooks).contains(&id));
}

#[tokio::test]
async fn every_row_of_the_published_table_through_the_client() {
    let running = start(None, None).await;
    let client = running.client();
    let stranger = running.client_with(None);
    let [id, _]: [String; 2] = register(&client, "p", 2).await.try_into().unwrap();
    register(&client, "full", 15).await;
    let taken = "https://hooks.example.com/p/1";
    let code = |error: WebhookPapiErrorDto| {
        assert!(error.resolution.as_ref().is_some_and(|text| !text.is_empty()), "{error:?}");
        error.error_code
    };

    // list
    assert_eq!(expect!(client.list_webhooks(&list("p", None)), list_webhooks::Response::Ok).total_size, 2);
    let mut garbled = list("p", None);
    garbled.page_token = Some("Zm9v".to_owned());
    let error = expect!(client.list_webhooks(&garbled), list_webhooks::Response::BadRequest);
    assert_eq!(code(error), ErrorCode::InvalidPageToken);
    let error = expect!(stranger.list_webhooks(&list("p", None)), list_webhooks::Response::Unauthorized);
    assert_eq!(code(error), ErrorCode::UnauthorizedError);

    // register
    let fresh = new_webhook("p", "https://hooks.example.com/fresh", SECRET, &["ALL"]);
    let created = expect!(client.create_webhook(&fresh), create_webhook::Response::Created);
    assert_eq!(created.target, "https://hooks.example.com/fresh");
    let undocumented = new_webhook("p", "https://x.example.com/", SECRET, &["NOPE"]);
    let error = expect!(client.create_webhook(&undocumented), create_webhook::Response::BadRequest);
    assert_eq!(fields(&error), ["body.triggers[0]"]);
    assert_eq!(code(error), ErrorCode::InvalidInput);
    let error = expect!(stranger.create_webhook(&fresh), create_webhook::Response::Unauthorized);
    assert_eq!(code(error), ErrorCode::UnauthorizedError);
    let error = expect!(client.create_webhook(&fresh), create_webhook::Response::Conflict);
    assert_eq!(code(error), ErrorCode::WebhookExists);
    let sixteenth = new_webhook("full", "https://hooks.example.com/16", SECRET, &["ALL"]);
    let error = expect!(client.create_webhook(&sixteenth), create_webhook::Response::FailedDependency);
    assert_eq!(code(error), ErrorCode::WebhookLimitReached);

    // get
    assert_eq!(expect!(client.get_webhook(&get("p", &id)), get_webhook::Response::Ok).id, id);
    let error = expect!(client.get_webhook(&get("p", "not-an-id")), get_webhook::Response::BadRequest);
    assert_eq!(code(error), ErrorCode::InvalidIdFormat);
    let error = expect!(stranger.get_webhook(&get("p", &id)), get_webhook::Response::Unauthorized);
    assert_eq!(code(error), ErrorCode::UnauthorizedError);
    let error = expect!(client.get_webhook(&get("p", UNKNOWN_ID)), get_webhook::Response::NotFound);
    assert_eq!(code(error), ErrorCode::WebhookNotFound);

    // replace
    let whole = replace("p", &id, "https://hooks.example.com/replaced", SECRET, &["BUNDLE_DONE"]);
    let replaced = expect!(client.replace_webhook(&whole), replace_webhook::Response::Ok);
    assert_eq!(replaced.triggers, triggers(&["BUNDLE_DONE"]));
    let undocumented = replace("p", &id, "https://x.example.com/", SECRET, &["NOPE"]);
    let error = expect!(client.replace_webhook(&undocumented), replace_webhook::Response::BadRequest);
    assert_eq!(code(error), ErrorCode::InvalidInput);
    let error = expect!(stranger.replace_webhook(&whole), replace_webhook::Response::Unauthorized);
    assert_eq!(code(error), ErrorCode::UnauthorizedError);
    let nowhere = replace("p", UNKNOWN_ID, "https://x.example.com/", SECRET, &["ALL"]);
    let error = expect!(client.replace_webhook(&nowhere), replace_webhook::Response::NotFound);
    assert_eq!(code(error), ErrorCode::WebhookNotFound);
    let clash = replace("p", &id, taken, SECRET, &["ALL"]);
    let error = expect!(client.replace_webhook(&clash), replace_webhook::Response::Conflict);
    assert_eq!(code(error), ErrorCode::WebhookExists);

    // update
    let only_triggers = update("p", &id, patch(|body| body.triggers = Some(triggers(&["ALL"]))));
    let updated = expect!(client.update_webhook(&only_triggers), update_webhook::Response::Ok);
    assert_eq!(
        (updated.target.as_str(), updated.triggers.clone()),
        ("https://hooks.example.com/replaced", triggers(&["ALL"]))
    );
    let undocumented = update("p", &id, patch(|body| body.triggers = Some(triggers(&["NOPE"]))));
    let error = expect!(client.update_webhook(&undocumented), update_webhook::Response::BadRequest);
    assert_eq!(code(error), ErrorCode::InvalidInput);
    let error = expect!(stranger.update_webhook(&only_triggers), update_webhook::Response::Unauthorized);
    assert_eq!(code(error), ErrorCode::UnauthorizedError);
    let nowhere = update("p", UNKNOWN_ID, UpdateWebhookRequest::new());
    let error = expect!(client.update_webhook(&nowhere), update_webhook::Response::NotFound);
    assert_eq!(code(error), ErrorCode::WebhookNotFound);

    // delete
    let error = expect!(client.delete_webhook(&delete("p", "not-an-id")), delete_webhook::Response::BadRequest);
    assert_eq!(code(error), ErrorCode::InvalidIdFormat);
    let error = expect!(stranger.delete_webhook(&delete("p", &id)), delete_webhook::Response::Unauthorized);
    assert_eq!(code(error), ErrorCode::UnauthorizedError);
    let error = expect!(client.delete_webhook(&delete("p", UNKNOWN_ID)), delete_webhook::Response::NotFound);
    assert_eq!(code(error), ErrorCode::WebhookNotFound);
    assert_eq!(client.delete_webhook(&delete("p", &id)).await.unwrap(), delete_webhook::Response::NoContent);
}

/// The stand-in never fails, so a 500 is checked where the client decodes it: each operation
/// declares 500 with the error body, and an `internal_error` is its typed variant.
#[test]
fn every_operation_decodes_a_500_as_internal_server_error() {
    let body = json!({"errorCode": "internal_error", "message": "Internal error.", "resolution": "Retry later."});
    let response = || {
        let bytes = serde_json::to_vec(&body).unwrap();
        http::Response::builder().status(500).header("content-type", "application/json").body(bytes).unwrap()
    };
    let expected = serde_json::from_value::<WebhookPapiErrorDto>(body.clone()).unwrap();
    assert_eq!(expected.error_code, ErrorCode::InternalError);
    use list_webhooks::Response as List;
    assert!(matches!(List::from_http(response()).unwrap(), List::InternalServerError(e) if e == expected));
    use create_webhook::Response as Create;
    assert!(matches!(Create::from_http(response()).unwrap(), Create::InternalServerError(e) if e == expected));
    use get_webhook::Response as Get;
    assert!(matches!(Get::from_http(response()).unwrap(), Get::InternalServerError(e) if e == expected));
    use replace_webhook::Response as Replace;
    assert!(matches!(Replace::from_http(response()).unwrap(), Replace::InternalServerError(e) if e == expected));
    use update_webhook::Response as Update;
    assert!(matches!(Update::from_http(response()).unwrap(), Update::InternalServerError(e) if e == expected));
    use delete_webhook::Response as Delete;
    assert!(matches!(Delete::from_http(response()).unwrap(), Delete::InternalServerError(e) if e == expected));
    // And a server sends it as declared.
    let sent = Create::InternalServerError(expected.clone()).into_http();
    assert_eq!(sent.status().as_u16(), 500);
    assert_eq!(serde_json::from_slice::<Value>(sent.body()).unwrap(), body);
}

// ---------------------------------------------------------------------------------------------
// Credentials
// ---------------------------------------------------------------------------------------------

/// The status of a list call with `credentials` sent as they are (or none).
async fn status_with(running: &Running, authorization: Option<&Credentials>) -> StatusCode {
    let mut request = reqwest::Client::new().get(running.url("/v1/projects/p/webhooks"));
    if let Some(credentials) = authorization {
        request = request.header("authorization", credentials.header_value());
    }
    request.send().await.unwrap().status()
}

#[tokio::test]
async fn credentials_are_required_and_can_be_restricted() {
    let open = start(None, None).await;
    let response = reqwest::Client::new().get(open.url("/v1/projects/p/webhooks")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let challenges: Vec<&str> =
        response.headers().get_all("www-authenticate").iter().map(|value| value.to_str().unwrap()).collect();
    let challenges = challenges.join(", ");
    assert!(challenges.contains("Basic realm="), "{challenges}");
    assert!(challenges.contains("Bearer"), "{challenges}");
    assert_eq!(status_with(&open, Some(&Credentials::basic("anyone", "x"))).await, StatusCode::OK);
    assert_eq!(status_with(&open, Some(&Credentials::bearer("x"))).await, StatusCode::OK);

    // The generated client without credentials: the stand-in answers 401 in the spec's
    // `WebhookPapiErrorDto` shape (`Server::on_refused`), so the client decodes it as declared.
    match open.client_with(None).list_webhooks(&list("p", None)).await {
        Ok(list_webhooks::Response::Unauthorized(error)) => {
            assert_eq!(error.error_code, ErrorCode::UnauthorizedError, "{error:?}");
        }
        other => panic!("expected Unauthorized(Error), got {other:?}"),
    }

    let basic = start(Some(("u", "p")), None).await;
    for (credentials, expected) in [
        (None, StatusCode::UNAUTHORIZED),
        (Some(Credentials::basic("u", "wrong")), StatusCode::UNAUTHORIZED),
        (Some(Credentials::basic("v", "p")), StatusCode::UNAUTHORIZED),
        (Some(Credentials::bearer("p")), StatusCode::UNAUTHORIZED),
        (Some(Credentials::basic("u", "p")), StatusCode::OK),
    ] {
        assert_eq!(status_with(&basic, credentials.as_ref()).await, expected, "{credentials:?}");
    }
    let page = list_page(&basic.client_with(Some(Credentials::basic("u", "p"))), &list("p", None)).await;
    assert_eq!(page.total_size, 0);

    let bearer = start(None, Some("tok")).await;
    for (credentials, expected) in [
        (None, StatusCode::UNAUTHORIZED),
        (Some(Credentials::bearer("wrong")), StatusCode::UNAUTHORIZED),
        (Some(Credentials::bearer("tokk")), StatusCode::UNAUTHORIZED),
        (Some(Credentials::basic("u", "tok")), StatusCode::UNAUTHORIZED),
        (Some(Credentials::bearer("tok")), StatusCode::OK),
    ] {
        assert_eq!(status_with(&bearer, credentials.as_ref()).await, expected, "{credentials:?}");
    }

    let both = start(Some(("u", "p")), Some("tok")).await;
    assert_eq!(status_with(&both, Some(&Credentials::basic("u", "p"))).await, StatusCode::OK);
    assert_eq!(status_with(&both, Some(&Credentials::bearer("tok"))).await, StatusCode::OK);
    assert_eq!(status_with(&both, Some(&Credentials::bearer("p"))).await, StatusCode::UNAUTHORIZED);
}

// ---------------------------------------------------------------------------------------------
// Secrets and undeclared statuses
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn secrets_never_show() {
    let request = new_webhook("p", "https://hooks.example.com/x", SECRET, &["ALL"]);
    let shown = format!("{request:?} {request:#?}");
    assert!(!shown.contains(SECRET), "{shown}");
    assert!(shown.contains("Secret(***)"), "{shown}");
    let patch = update("p", "w", patch(|body| body.secret = Some(Secret::new(SECRET))));
    assert!(!format!("{patch:?}").contains(SECRET));

    for credentials in [Credentials::basic("ann", SECRET), Credentials::bearer(SECRET)] {
        let http = HttpClient::new("http://127.0.0.1:9").with_credentials(credentials.clone());
        let client = Client::new(http.clone());
        let shown = format!("{credentials:?} {http:?} {client:?} {client:#?}");
        assert!(!shown.contains(SECRET), "{shown}");
    }

    // A too-long secret is refused on the client side without quoting it.
    let long = SECRET.repeat(9);
    let client = Client::new(HttpClient::new("http://127.0.0.1:9").with_credentials(Credentials::bearer(SECRET)));
    let error =
        client.create_webhook(&new_webhook("p", "https://hooks.example.com/x", &long, &["ALL"])).await.unwrap_err();
    let violations = match &error {
        ClientError::Request(RequestError::Invalid(violations)) => violations.clone(),
        other => panic!("{other:?}"),
    };
    assert_violates(&violations, "body.secret", "at most 128 characters long (is 144)");
    for shown in [error.to_string(), format!("{error:?}"), violations.to_string(), violations.0[0].to_string()] {
        assert!(!shown.contains(SECRET), "{shown}");
    }
}

#[test]
fn an_undeclared_status_is_kept() {
    let response = http::Response::builder().status(418).body(b"teapot".to_vec()).unwrap();
    match list_webhooks::Response::from_http(response).unwrap() {
        list_webhooks::Response::Undeclared { status, body } => {
            assert_eq!(status, StatusCode::IM_A_TEAPOT);
            assert_eq!(body, b"teapot");
        }
        other => panic!("{other:?}"),
    }
    // And sent on unchanged by a server.
    let again =
        list_webhooks::Response::Undeclared { status: StatusCode::IM_A_TEAPOT, body: b"teapot".to_vec() }.into_http();
    assert_eq!((again.status().as_u16(), again.body().as_slice()), (418, &b"teapot"[..]));
}

// ---------------------------------------------------------------------------------------------
// Hostile requests
// ---------------------------------------------------------------------------------------------

/// Sends `method target` as written (no client normalises its `..`) with a Bearer token, and
/// reads until the server closes: the status and the body as JSON.
async fn send_verbatim(running: &Running, method: &str, target: &str) -> (u16, Value) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = running.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let request =
        format!("{method} {target} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut received = Vec::new();
    let read = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read_to_end(&mut received));
    assert!(matches!(read.await, Ok(Ok(_))), "{method} {target}: no complete answer");
    let text = String::from_utf8_lossy(&received);
    let status = text.get(9..12).and_then(|code| code.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map_or("", |(_, body)| body);
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

/// An answer of status `expected` in the API's error shape, with `code`, a message and a
/// resolution.
fn assert_error_shape(status: u16, body: &Value, expected: u16, code: &str, what: &str) {
    assert_eq!(status, expected, "{what}: {body}");
    let error: WebhookPapiErrorDto =
        serde_json::from_value(body.clone()).unwrap_or_else(|e| panic!("{what}: {e}: {body}"));
    assert_eq!(error.error_code.as_str(), code, "{what}: {body}");
    assert!(!error.message.is_empty(), "{what}: {body}");
    assert!(error.resolution.is_some_and(|text| !text.is_empty()), "{what}: {body}");
}

#[tokio::test]
async fn a_body_that_is_not_json_is_415_and_creates_nothing() {
    let running = start(None, None).await;
    let sent = json!({"target": "https://hooks.example.com/x", "secret": SECRET, "triggers": ["ALL"]});
    let webhooks = running.url("/v1/projects/p/webhooks");
    for content_type in [Some("text/plain"), Some("application/x-www-form-urlencoded"), None] {
        let mut request = reqwest::Client::new()
            .post(&webhooks)
            .header("authorization", format!("Bearer {TOKEN}"))
            .body(sent.to_string());
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let body = serde_json::from_str(&response.text().await.unwrap()).unwrap_or(Value::Null);
        assert_error_shape(status, &body, 415, "unsupported_media_type", &format!("{content_type:?}"));
    }
    let (status, body, _) = send_raw(http::Method::POST, &webhooks, &sent.to_string()).await;
    assert_eq!(status, StatusCode::CREATED, "the same body as JSON: {body}");
    assert_eq!(list_page(&running.client(), &list("p", None)).await.total_size, 1);
}

#[tokio::test]
async fn encoded_path_tricks_never_reach_another_projects_webhooks() {
    let running = start(None, None).await;
    let client = running.client();
    let victim = register(&client, "victim", 1).await.remove(0);
    let refused = [
        ("GET", "/v1/projects/x%2F..%2Fvictim/webhooks".to_owned(), 400),
        ("GET", "/v1/projects/..%2fvictim/webhooks".to_owned(), 400),
        ("GET", "/v1/projects/victim%00/webhooks".to_owned(), 400),
        ("GET", "/v1/projects/victim%5C/webhooks".to_owned(), 400),
        ("GET", "/v1/projects/%2E%2E/webhooks".to_owned(), 400),
        ("GET", "/v1/projects/../webhooks".to_owned(), 400),
        ("GET", "/v1/projects/x/../victim/webhooks".to_owned(), 404),
        ("GET", "/v1/projects/x/webhooks/..%2F..%2Fvictim%2Fwebhooks".to_owned(), 400),
        ("GET", format!("/v1/projects/x%2F..%2Fvictim/webhooks/{victim}"), 400),
        ("DELETE", format!("/v1/projects/x%2F..%2Fvictim/webhooks/{victim}"), 400),
        ("DELETE", format!("/v1/projects/victim/webhooks/{victim}%00"), 400),
    ];
    for (method, target, expected) in &refused {
        let (status, body) = send_verbatim(&running, method, target).await;
        let name = if *expected == 400 { "invalid_id_format" } else { "not_found" };
        assert_error_shape(status, &body, *expected, name, &format!("{method} {target}"));
        assert!(!body.to_string().contains(&victim), "{method} {target}: {body}");
    }
    assert_eq!(get_ok(&client, "victim", &victim).await.id, victim);
    // The victim's own path still works, written the same way.
    let (status, body) = send_verbatim(&running, "GET", &format!("/v1/projects/victim/webhooks/{victim}")).await;
    assert_eq!((status, &body["id"]), (200, &json!(victim)));
}

#[tokio::test]
async fn an_overlong_path_is_414_in_the_apis_error_shape() {
    let running = start(None, None).await;
    for target in [
        format!("/v1/projects/{}/webhooks", "p".repeat(9000)),
        format!("/v1/projects/p/webhooks?pageToken={}", "a".repeat(9000)),
    ] {
        let (status, body) = send_verbatim(&running, "GET", &target).await;
        assert_error_shape(status, &body, 414, "uri_too_long", &target[..40]);
    }
    assert_eq!(running.hits(), 2, "both reached the server, which refused them itself");
}
