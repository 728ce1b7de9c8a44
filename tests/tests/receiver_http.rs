//! The generated receivers end to end, over real HTTP: a server on 127.0.0.1, requests sent
//! with `reqwest`, and a recording handler that keeps every call it gets.
//!
//! What is checked: every recorded fixture reaches the handler method the spec gives it and
//! re-encodes to what was sent; HMAC and Basic authentication refuse what they must; bodies
//! that are not JSON, too large, or fit no message get the documented answer; the handler's
//! outcome decides the status; `dedup_key()` follows the spec's `x-dedup-key`; a callback
//! accepted once (by nonce or dedup key) is not delivered again, concurrent duplicates
//! included, while one answered 503 is; handlers see the request's context; one structured
//! log line per request, without secrets; 500 signed requests at concurrency 50.
//!
//! Expectations come from the specs (read with `hookwright::spec::read`), not from the generated
//! code: which operations receive a message, their channel addresses, the dedup pointers.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hookwright_runtime::webhook::{
    Claim, Context, Deliver, Dispatcher, Disposition, HmacScheme, MemoryStore, Outcome, Receiver, Record, ReplayStore,
    Secret, StoreError, UnknownEvent, Verifier,
};
use http::header::{HeaderName, HeaderValue, AUTHORIZATION};
use http::{HeaderMap, StatusCode};
use serde::Serialize;
use serde_json::Value;
use sinch_conversation_webhooks::models;
use sinch_conversation_webhooks::webhooks as conversation;
use sinch_sms_webhooks::webhooks as sms;
use snapshot_rail::{self as rail_models, webhooks as rail};
use snapshot_shared::{self as shared_models, webhooks as shared};
use spec_tests::{differences, json_files, repository};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// A crate the snapshot tests generate, with two operations that receive one message.
#[rustfmt::skip]
#[path = "../snapshots/shared/lib.rs"]
pub mod snapshot_shared;

/// A crate the snapshot tests generate from an OpenAPI 3.1 spec with `webhooks`, signed.
#[rustfmt::skip]
#[path = "../snapshots/rail/lib.rs"]
pub mod snapshot_rail;

const SMS: &str = "sinch-sms-webhooks";
const CONVERSATION: &str = "sinch-conversation-webhooks";

// ---------------------------------------------------------------------------------------------
// The recording handler
// ---------------------------------------------------------------------------------------------

/// One handler call: the method, and the payload it got encoded as JSON again.
#[derive(Debug, Clone)]
struct Call {
    method: &'static str,
    json: String,
    /// For `unknown`: the body as the receiver kept it (`UnknownEvent::body`).
    raw: Option<String>,
    context: SeenContext,
}

/// What the handler's [`Context`] held, kept past the call.
#[derive(Debug, Clone)]
struct SeenContext {
    path: String,
    operation: Option<&'static str>,
    message: Option<&'static str>,
    dedup_key: Option<String>,
    headers: HeaderMap,
    body: Vec<u8>,
    debug: String,
}

impl SeenContext {
    fn of(context: &Context<'_>) -> Self {
        SeenContext {
            path: context.path.to_owned(),
            operation: context.operation,
            message: context.message,
            dedup_key: context.dedup_key.map(str::to_owned),
            headers: context.headers.clone(),
            body: context.body.to_vec(),
            debug: format!("{context:?}"),
        }
    }
}

impl Call {
    fn value(&self) -> Value {
        serde_json::from_str(&self.json).unwrap_or_else(|e| panic!("{} re-encoded invalid JSON: {e}", self.method))
    }
}

/// Implements both crates' `Handler`, overriding every method: records the call and answers
/// with the current outcome, after waiting at the gate when there is one.
#[derive(Clone)]
struct Recorder {
    calls: Arc<Mutex<Vec<Call>>>,
    outcome: Arc<Mutex<Outcome>>,
    gate: Option<Gate>,
}

/// Holds handler calls until the test lets them go: each call adds a permit to `entered`,
/// then takes one from `release`.
#[derive(Clone)]
struct Gate {
    entered: Arc<Semaphore>,
    release: Arc<Semaphore>,
}

impl Gate {
    fn new() -> Self {
        Gate { entered: Arc::new(Semaphore::new(0)), release: Arc::new(Semaphore::new(0)) }
    }

    /// Waits until a handler call is inside the gate.
    async fn wait_for_a_call(&self) {
        self.entered.acquire().await.expect("the gate is open").forget();
    }

    fn let_one_go(&self) {
        self.release.add_permits(1);
    }
}

impl Recorder {
    async fn record(
        &self,
        method: &'static str,
        payload: &impl Serialize,
        raw: Option<String>,
        context: &Context<'_>,
    ) -> Outcome {
        let json = serde_json::to_string(payload).unwrap_or_else(|e| panic!("{method}: cannot re-encode: {e}"));
        let context = SeenContext::of(context);
        self.calls.lock().unwrap().push(Call { method, json, raw, context });
        if let Some(gate) = &self.gate {
            gate.entered.add_permits(1);
            gate.release.acquire().await.expect("the gate is open").forget();
        }
        *self.outcome.lock().unwrap()
    }

    async fn unknown_event(&self, event: &UnknownEvent, context: &Context<'_>) -> Outcome {
        self.record("unknown", event, Some(event.body().get().to_owned()), context).await
    }
}

/// `async fn <method>(&self, payload: <type>, context: Context<'_>) -> Outcome` recording `<method>`.
macro_rules! recording {
    ($($method:ident($ty:ty)),* $(,)?) => {
        $(async fn $method(&self, payload: $ty, context: Context<'_>) -> Outcome {
            self.record(stringify!($method), &payload, None, &context).await
        })*
    };
}

impl sms::Handler for Recorder {
    recording! {
        receive_delivery_report(sms::ReceiveDeliveryReportMessage),
        receive_incoming_sms(sms::ReceiveIncomingSmsMessage),
    }

    async fn unknown(&self, event: UnknownEvent, context: Context<'_>) -> Outcome {
        self.unknown_event(&event, &context).await
    }
}

impl rail::Handler for Recorder {
    recording! {
        new_booking(rail_models::Booking),
        payment_event(rail_models::PaymentEventRequest),
    }

    async fn unknown(&self, event: UnknownEvent, context: Context<'_>) -> Outcome {
        self.unknown_event(&event, &context).await
    }
}

impl shared::Handler for Recorder {
    recording! {
        contact_created(shared_models::ContactChangedPayload),
        contact_deleted(shared_models::ContactChangedPayload),
        order_placed(shared_models::OrderPlacedMessagePayload),
        contact_changed(shared_models::ContactChangedPayload),
    }

    async fn unknown(&self, event: UnknownEvent, context: Context<'_>) -> Outcome {
        self.unknown_event(&event, &context).await
    }
}

impl conversation::Handler for Recorder {
    recording! {
        receive_inbound_message(models::MessageInboundPayload),
        receive_message_delivery(models::MessageDeliveryPayload),
        receive_inbound_event(models::EventInboundPayload),
        receive_contact_create(models::ContactEventPayload),
        receive_contact_update(models::ContactUpdateEventPayload),
        receive_contact_delete(models::ContactDeleteEventPayload),
        receive_contact_merge(models::ContactMergeEventPayload),
        receive_conversation_start(models::ConversationEventPayload),
        receive_conversation_stop(models::ConversationStopEventPayload),
        receive_channel_event(models::ChannelEventPayload),
        receive_capability_result(models::CapabilityEventPayload),
        receive_opt_in(models::OptEventPayload),
        receive_opt_out(models::OptOutEventPayload),
        receive_smart_conversation_result(models::SmartConversationPayload),
        receive_message_submit(models::MessageSubmitPayload),
        receive_event_delivery(models::EventDeliveryPayload),
        receive_conversation_delete(models::ConversationDeleteEventPayload),
        receive_contact_identities_duplication(models::ContactIdentitiesDuplicationEventPayload),
        receive_inbound_message_redaction(models::MessageRedactionPayload),
        receive_record_notification(models::RecordNotificationPayload),
        receive_unsupported_callback(models::UnsupportedCallbackPayload),
    }

    async fn unknown(&self, event: UnknownEvent, context: Context<'_>) -> Outcome {
        self.unknown_event(&event, &context).await
    }
}

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

/// What the dispatcher reported about one request (its `inspect` record).
#[derive(Debug, Clone)]
struct Seen {
    status: StatusCode,
    outcome: Disposition,
    message: Option<&'static str>,
    operation: Option<&'static str>,
    dedup_key: Option<String>,
    error: Option<String>,
}

/// A running receiver and a client for it.
struct Server {
    url: String,
    client: reqwest::Client,
    calls: Arc<Mutex<Vec<Call>>>,
    seen: Arc<Mutex<Vec<Seen>>>,
    /// What the handler answers from now on.
    outcome: Arc<Mutex<Outcome>>,
}

/// Serves `receiver` with a [`Recorder`] answering `outcome`, on a free port of 127.0.0.1.
///
/// It remembers nothing (a replay window of zero): these tests post one fixture several
/// times and check every delivery. [`serve_remembering`] serves with the defaults.
async fn serve<D: Deliver<Recorder>>(receiver: Receiver<D>, outcome: Outcome) -> Server {
    serve_with(receiver, outcome, Some(Duration::ZERO), None, MemoryStore::default()).await
}

/// Serves `receiver` with the dispatcher's default replay protection.
async fn serve_remembering<D: Deliver<Recorder>>(
    receiver: Receiver<D>,
    outcome: Outcome,
    gate: Option<Gate>,
) -> Server {
    serve_with(receiver, outcome, None, gate, MemoryStore::default()).await
}

/// Serves `receiver` with a [`Recorder`] answering `outcome` and waiting at `gate`, remembering
/// accepted callbacks in `store` for `window` (the default when `None`).
async fn serve_with<D: Deliver<Recorder>, S: ReplayStore>(
    receiver: Receiver<D>,
    outcome: Outcome,
    window: Option<Duration>,
    gate: Option<Gate>,
    store: S,
) -> Server {
    install_log_router();
    let calls = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let outcome = Arc::new(Mutex::new(outcome));
    let log = Arc::clone(&seen);
    let recorder = Recorder { calls: Arc::clone(&calls), outcome: Arc::clone(&outcome), gate };
    let mut dispatcher = Dispatcher::new(receiver, recorder).replay_store(store).inspect(move |record: &Record<'_>| {
        log.lock().unwrap().push(Seen {
            status: record.status,
            outcome: record.outcome,
            message: record.message,
            operation: record.operation,
            dedup_key: record.dedup_key.clone(),
            error: record.error.clone(),
        })
    });
    if let Some(window) = window {
        dispatcher = dispatcher.replay_window(window);
    }
    let url = start(dispatcher).await;
    let client = reqwest::Client::builder().no_proxy().pool_max_idle_per_host(0).build().expect("an HTTP client");
    Server { url, client, calls, seen, outcome }
}

impl Server {
    async fn post(&self, path: &str, headers: &HeaderMap, body: &[u8]) -> StatusCode {
        let url = format!("{}{path}", self.url);
        let response = self.client.post(&url).headers(headers.clone()).body(body.to_vec()).send().await;
        response.unwrap_or_else(|e| panic!("POST {url}: {e}")).status()
    }

    async fn get(&self, path: &str) -> StatusCode {
        let url = format!("{}{path}", self.url);
        self.client.get(&url).send().await.unwrap_or_else(|e| panic!("GET {url}: {e}")).status()
    }

    /// The handler calls since the last look.
    fn calls(&self) -> Vec<Call> {
        std::mem::take(&mut *self.calls.lock().unwrap())
    }

    /// The one handler call since the last look.
    fn single_call(&self, context: &str) -> Call {
        let mut calls = self.calls();
        assert_eq!(calls.len(), 1, "{context}: expected exactly one handler call, got {calls:?}");
        calls.remove(0)
    }

    /// The dispatcher's record of the one request since the last look.
    fn single_seen(&self, context: &str) -> Seen {
        let mut seen = std::mem::take(&mut *self.seen.lock().unwrap());
        assert_eq!(seen.len(), 1, "{context}: expected one dispatcher record, got {seen:?}");
        seen.remove(0)
    }

    /// Posts, expects `status`, and returns the dispatcher's record. Handler calls are left
    /// for the caller to inspect.
    async fn expect(&self, context: &str, path: &str, headers: &HeaderMap, body: &[u8], status: u16) -> Seen {
        let answered = self.post(path, headers, body).await;
        let seen = self.single_seen(context);
        assert_eq!(answered.as_u16(), status, "{context}: POST {path} answered {answered}; dispatcher saw {seen:?}");
        assert_eq!(seen.status, answered, "{context}: the dispatcher's record disagrees with the answer");
        seen
    }

    /// Posts and expects a 401 with no handler call; returns the reason the dispatcher gave.
    async fn expect_unauthorized(&self, context: &str, path: &str, headers: &HeaderMap, body: &[u8]) -> String {
        let seen = self.expect(context, path, headers, body, 401).await;
        let calls = self.calls();
        assert!(calls.is_empty(), "{context}: refused, yet the handler was called: {calls:?}");
        seen.error.unwrap_or_else(|| panic!("{context}: 401 without a reason"))
    }
}

/// Serves `dispatcher` with the runtime's axum router on a free port of 127.0.0.1 and returns
/// its base URL.
async fn start<D: Deliver<Recorder>, S: ReplayStore>(dispatcher: Dispatcher<D, Recorder, S>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
    let url = format!("http://{}", listener.local_addr().expect("the bound address"));
    let router = hookwright_runtime::webhook::axum::router(dispatcher);
    tokio::spawn(async move { axum::serve(listener, router).await.expect("the test server") });
    url
}

// ---------------------------------------------------------------------------------------------
// Fixtures and what the specs say about them
// ---------------------------------------------------------------------------------------------

/// The valid fixtures of a crate (not `invalid/`), sorted.
fn fixtures(crate_name: &str) -> Vec<PathBuf> {
    let dir = repository().join("tests/fixtures").join(crate_name);
    let files = json_files(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    assert!(!files.is_empty(), "no fixtures in {}", dir.display());
    files
}

/// The file name, for assertion messages.
fn name(file: &Path) -> String {
    file.file_name().unwrap().to_string_lossy().into_owned()
}

/// The message key a fixture is named after: `IncomingSms.minimal.json` → `IncomingSms`.
fn stem(file: &Path) -> String {
    name(file).split('.').next().unwrap().to_owned()
}

/// A fixture's bytes as recorded, and its JSON.
fn load(file: &Path) -> (Vec<u8>, Value) {
    let bytes = fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let value = serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", name(file)));
    (bytes, value)
}

fn fixture(crate_name: &str, file_name: &str) -> Vec<u8> {
    load(&repository().join("tests/fixtures").join(crate_name).join(file_name)).0
}

struct SpecOperation {
    id: String,
    address: String,
    messages: Vec<String>,
}

/// What a spec says about its operations and messages.
struct Spec {
    operations: Vec<SpecOperation>,
    /// Each message's `x-dedup-key` pointers (empty without one).
    dedup: BTreeMap<String, Vec<String>>,
}

impl Spec {
    fn read(crate_name: &str) -> Spec {
        let path = repository().join("specs").join(format!("{crate_name}.asyncapi.yaml"));
        let api = hookwright::spec::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let operations = api
            .operations
            .iter()
            .map(|operation| SpecOperation {
                id: operation.id.clone(),
                address: operation.address.clone(),
                messages: operation.messages.iter().map(|m| api.messages[m.0].key.clone()).collect(),
            })
            .collect();
        let dedup = api.messages.iter().map(|m| (m.key.clone(), m.dedup_key.clone())).collect();
        Spec { operations, dedup }
    }

    /// The operations receiving message `key`.
    fn operations_of(&self, key: &str) -> Vec<&SpecOperation> {
        self.operations.iter().filter(|o| o.messages.iter().any(|m| m == key)).collect()
    }
}

/// The handler method of an operation: `receiveContactCreate` → `receive_contact_create`.
fn method_of(operation_id: &str) -> String {
    let mut method = String::new();
    for c in operation_id.chars() {
        if c.is_ascii_uppercase() {
            method.push('_');
            method.push(c.to_ascii_lowercase());
        } else {
            method.push(c);
        }
    }
    method
}

/// Whether a reported message label names `key`: the key itself, or a label for messages that
/// share a payload (`RecipientDeliveryReportSms or RecipientDeliveryReportMms`).
fn names(label: &str, key: &str) -> bool {
    label == key || label.split(" or ").any(|part| part == key)
}

/// Checks that the handler got the fixture back: equal as JSON (timestamps compared as
/// instants, since a zone-less timestamp re-encodes with `Z`), and byte for byte when `sent`
/// is the compact form and nothing was normalised. Returns whether the bytes were compared.
fn assert_same_payload(context: &str, fixture: &Value, sent: &[u8], compact: bool, call: &Call) -> bool {
    let got = call.value();
    let diffs = differences(fixture, &got);
    assert!(diffs.is_empty(), "{context}: re-encoded payload differs at {diffs:?}: {}", call.json);
    if compact && got == *fixture {
        assert_eq!(call.json, String::from_utf8_lossy(sent), "{context}: equal as JSON but not byte for byte");
        return true;
    }
    false
}

/// The fixture as recorded (pretty-printed) and re-serialized compactly, keys in order.
fn both_forms(bytes: Vec<u8>, value: &Value) -> [(&'static str, Vec<u8>, bool); 2] {
    let compact = serde_json::to_vec(value).unwrap();
    [("as recorded", bytes, false), ("compact", compact, true)]
}

fn at(unix_seconds: u64) -> impl Fn() -> SystemTime + Send + Sync + 'static {
    move || UNIX_EPOCH + Duration::from_secs(unix_seconds)
}

fn no_headers() -> HeaderMap {
    HeaderMap::new()
}

// ---------------------------------------------------------------------------------------------
// 1, 2: every fixture reaches its handler method and comes back unchanged
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn sms_fixtures_by_payload_reach_their_method_unchanged() {
    let spec = Spec::read(SMS);
    let server = serve(sms::Receiver::new(Verifier::none()), Outcome::Accept).await;
    let mut byte_for_byte = 0;
    for file in fixtures(SMS) {
        let key = stem(&file);
        let operations = spec.operations_of(&key);
        assert_eq!(operations.len(), 1, "{}: operations receiving {key}", name(&file));
        let method = method_of(&operations[0].id);
        let (bytes, value) = load(&file);
        for (form, body, compact) in both_forms(bytes, &value) {
            let context = format!("{} ({form}) POST /", name(&file));
            let seen = server.expect(&context, "/", &no_headers(), &body, 200).await;
            let call = server.single_call(&context);
            assert_eq!(call.method, method, "{context}: handler method");
            let label = seen.message.unwrap_or_else(|| panic!("{context}: decoded as unknown: {:?}", call.json));
            assert!(names(label, &key), "{context}: message {label:?} does not name {key}");
            assert_eq!(seen.operation, Some(operations[0].id.as_str()), "{context}: operation");
            byte_for_byte += usize::from(assert_same_payload(&context, &value, &body, compact, &call));
        }
    }
    assert!(byte_for_byte >= 5, "only {byte_for_byte} SMS fixtures compared byte for byte");
}

#[tokio::test(flavor = "multi_thread")]
async fn sms_fixtures_by_channel_reach_their_method_unchanged() {
    let spec = Spec::read(SMS);
    let server = serve(sms::Receiver::new(Verifier::none()), Outcome::Accept).await;
    for file in fixtures(SMS) {
        let key = stem(&file);
        let (bytes, value) = load(&file);
        for operation in spec.operations_of(&key) {
            let context = format!("{} POST {}", name(&file), operation.address);
            let seen = server.expect(&context, &operation.address, &no_headers(), &bytes, 200).await;
            let call = server.single_call(&context);
            assert_eq!(call.method, method_of(&operation.id), "{context}: handler method");
            let label = seen.message.unwrap_or_else(|| panic!("{context}: decoded as unknown: {:?}", call.json));
            assert!(names(label, &key), "{context}: message {label:?} does not name {key}");
            assert_same_payload(&context, &value, &bytes, false, &call);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn conversation_fixtures_by_channel_reach_their_operation_unchanged() {
    let spec = Spec::read(CONVERSATION);
    let server = serve(conversation::Receiver::new(Verifier::none()), Outcome::Accept).await;
    let mut posted = 0;
    let mut byte_for_byte = 0;
    for file in fixtures(CONVERSATION) {
        let key = stem(&file);
        let operations = spec.operations_of(&key);
        assert!(!operations.is_empty(), "{}: no operation of the spec receives {key}", name(&file));
        let (bytes, value) = load(&file);
        for operation in operations {
            for (form, body, compact) in both_forms(bytes.clone(), &value) {
                let context = format!("{} ({form}) POST {}", name(&file), operation.address);
                let seen = server.expect(&context, &operation.address, &no_headers(), &body, 200).await;
                let call = server.single_call(&context);
                assert_eq!(call.method, method_of(&operation.id), "{context}: handler method");
                assert_eq!(seen.message, Some(key.as_str()), "{context}: message");
                assert_eq!(seen.operation, Some(operation.id.as_str()), "{context}: operation");
                byte_for_byte += usize::from(assert_same_payload(&context, &value, &body, compact, &call));
                posted += 1;
            }
        }
    }
    assert!(posted >= 2 * 21, "only {posted} Conversation posts");
    assert!(byte_for_byte >= 21, "only {byte_for_byte} Conversation posts compared byte for byte");
}

// ---------------------------------------------------------------------------------------------
// 3, 4: HMAC signatures
// ---------------------------------------------------------------------------------------------

const SECRET: &str = "a secret of this test";
/// When the requests of [`hmac_checks`] are signed: 2023-11-14T22:13:20Z.
const SIGNED_AT: u64 = 1_700_000_000;
const NONCE: &str = "01HF7YAT00NONCEOFTHISTEST0";

/// Everything an HMAC receiver must refuse, for one crate's scheme: `body` (valid JSON with a
/// digit in it) posted to `path`.
async fn hmac_checks<D: Deliver<Recorder>>(crate_name: &str, scheme: HmacScheme, path: &str, body: &[u8]) {
    assert_eq!(D::HMAC, Some(scheme), "{crate_name}: the receiver's scheme is HMAC_AUTH");
    let nonce_header = scheme.nonce_header.expect("Sinch signs a nonce");
    let timestamp_header = scheme.timestamp_header.expect("Sinch signs a timestamp");
    let algorithm_header = scheme.algorithm_header.expect("Sinch names the algorithm");
    let signed = scheme.signed_headers(&Secret::new(SECRET), body, NONCE, SIGNED_AT as i64);
    for header in [scheme.signature_header, nonce_header, timestamp_header, algorithm_header] {
        assert!(signed.contains_key(header), "{crate_name}: signed_headers left out {header}");
    }
    let verifier = || Verifier::hmac(scheme, SECRET);
    let fresh = serve(Receiver::<D>::new(verifier().clock(at(SIGNED_AT + 30))), Outcome::Accept).await;

    let context = format!("{crate_name}: signed request to {path}");
    fresh.expect(&context, path, &signed, body, 200).await;
    fresh.single_call(&context);

    let mut tampered = body.to_vec();
    let digit = tampered.iter().position(u8::is_ascii_digit).expect("a digit to change");
    tampered[digit] = b'0' + (tampered[digit] - b'0' + 1) % 10;
    assert!(serde_json::from_slice::<Value>(&tampered).is_ok(), "the tampered body is still JSON");
    let context = format!("{crate_name}: body changed at byte {digit} after signing");
    let reason = fresh.expect_unauthorized(&context, path, &signed, &tampered).await;
    assert!(reason.contains("signature does not match"), "{context}: {reason}");

    let other = scheme.signed_headers(&Secret::new("another secret"), body, NONCE, SIGNED_AT as i64);
    let context = format!("{crate_name}: signed with another secret");
    let reason = fresh.expect_unauthorized(&context, path, &other, body).await;
    assert!(reason.contains("signature does not match"), "{context}: {reason}");

    for header in [scheme.signature_header, nonce_header, timestamp_header] {
        let mut headers = signed.clone();
        headers.remove(header);
        let context = format!("{crate_name}: without {header}");
        let reason = fresh.expect_unauthorized(&context, path, &headers, body).await;
        assert!(reason.contains(header), "{context}: the reason does not name the header: {reason}");
    }

    let mut headers = signed.clone();
    headers.insert(HeaderName::from_static(algorithm_header), HeaderValue::from_static("HmacSHA1"));
    let context = format!("{crate_name}: {algorithm_header}: HmacSHA1");
    let reason = fresh.expect_unauthorized(&context, path, &headers, body).await;
    assert!(reason.contains("HmacSHA1"), "{context}: {reason}");

    // Some senders omit the algorithm header; the runtime documents that it is then accepted.
    let mut headers = signed.clone();
    headers.remove(algorithm_header);
    let context = format!("{crate_name}: without {algorithm_header}");
    fresh.expect(&context, path, &headers, body, 200).await;
    fresh.single_call(&context);

    let later = SIGNED_AT + 10 * 60;
    let stale = serve(Receiver::<D>::new(verifier().clock(at(later))), Outcome::Accept).await;
    let context = format!("{crate_name}: received 10 minutes after signing");
    let reason = stale.expect_unauthorized(&context, path, &signed, body).await;
    assert!(reason.contains("600 seconds away"), "{context}: {reason}");

    let unlimited = serve(Receiver::<D>::new(verifier().clock(at(later)).max_age(None)), Outcome::Accept).await;
    let context = format!("{crate_name}: received 10 minutes after signing, max_age(None)");
    unlimited.expect(&context, path, &signed, body, 200).await;
    unlimited.single_call(&context);
}

#[tokio::test(flavor = "multi_thread")]
async fn hmac_on_sms() {
    let body = fixture(SMS, "IncomingSms.json");
    hmac_checks::<sms::Webhooks>(SMS, sms::HMAC_AUTH, "/", &body).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn hmac_on_conversation() {
    let body = fixture(CONVERSATION, "MessageInbound.json");
    hmac_checks::<conversation::Webhooks>(
        CONVERSATION,
        conversation::HMAC_AUTH,
        "/conversation/message-inbound",
        &body,
    )
    .await;
    hmac_checks::<conversation::Webhooks>(CONVERSATION, conversation::HMAC_AUTH, "/", &body).await;
}

// The known-good vector from Sinch's SDK tests.
const VECTOR_SECRET: &str = "foo_secret1234";
const VECTOR_NONCE: &str = "01FJA8B4A7BM43YGWSG9GBV067";
const VECTOR_TIMESTAMP: u64 = 1634579353;
const VECTOR_BODY: &str = r#"{"app_id":"","accepted_time":"2021-10-18T17:49:13.813615Z","project_id":"e2df3a34-a71b-4448-9db5-a8d2baad28e4","contact_create_notification":{"contact":{"id":"01FJA8B466Y0R2GNXD78MD9SM1","channel_identities":[{"channel":"SMS","identity":"48123456789","app_id":""}],"display_name":"New Test Contact","email":"new.contact@email.com","external_id":"","metadata":"","language":"EN_US"}},"message_metadata":""}"#;
const VECTOR_SIGNATURE: &str = "6bpJoRmFoXVjfJIVglMoJzYXxnoxRujzR4k2GOXewOE=";

#[tokio::test(flavor = "multi_thread")]
async fn known_sinch_vector_is_accepted() {
    let scheme = conversation::HMAC_AUTH;
    let mut headers = HeaderMap::new();
    for (name, value) in [
        (scheme.signature_header, VECTOR_SIGNATURE),
        (scheme.nonce_header.unwrap(), VECTOR_NONCE),
        (scheme.timestamp_header.unwrap(), &VECTOR_TIMESTAMP.to_string()),
        (scheme.algorithm_header.unwrap(), "HmacSHA256"),
    ] {
        headers.insert(HeaderName::from_static(name), HeaderValue::from_str(value).unwrap());
    }
    let secret = Secret::new(VECTOR_SECRET);
    let ours = scheme.signed_headers(&secret, VECTOR_BODY.as_bytes(), VECTOR_NONCE, VECTOR_TIMESTAMP as i64);
    assert_eq!(ours, headers, "signed_headers reproduces the vector's headers");

    let verifier = Verifier::hmac(scheme, VECTOR_SECRET).clock(at(VECTOR_TIMESTAMP));
    let server = serve(conversation::Receiver::new(verifier), Outcome::Accept).await;
    let context = "the known vector at /";
    let seen = server.expect(context, "/", &headers, VECTOR_BODY.as_bytes(), 200).await;
    let call = server.single_call(context);
    // Which method gets it is not asserted: with the seed spec, its `message_metadata` key
    // routes this contact notification to `receive_inbound_message`.
    let expected: Value = serde_json::from_str(VECTOR_BODY).unwrap();
    assert_eq!(call.value(), expected, "{context}: re-encoded by {} ({seen:?})", call.method);

    // A stale vector is refused by the default 5-minute window.
    let verifier = Verifier::hmac(scheme, VECTOR_SECRET).clock(at(VECTOR_TIMESTAMP + 301));
    let stale = serve(conversation::Receiver::new(verifier), Outcome::Accept).await;
    stale.expect_unauthorized("the known vector 301 s later", "/", &headers, VECTOR_BODY.as_bytes()).await;
}

// ---------------------------------------------------------------------------------------------
// 5: Basic authentication
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn basic_auth_on_sms() {
    let server = serve(sms::Receiver::new(Verifier::basic("user", "pass")), Outcome::Accept).await;
    let body = fixture(SMS, "IncomingSms.json");
    let authorization = |value: &'static str| {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_static(value));
        headers
    };

    // base64("user:pass")
    let context = "Basic user:pass";
    server.expect(context, "/", &authorization("Basic dXNlcjpwYXNz"), &body, 200).await;
    assert_eq!(server.single_call(context).method, "receive_incoming_sms", "{context}");

    // base64("user:wrong")
    server.expect_unauthorized("Basic user:wrong", "/", &authorization("Basic dXNlcjp3cm9uZw=="), &body).await;
    let reason = server.expect_unauthorized("no Authorization header", "/", &no_headers(), &body).await;
    assert!(reason.contains("authorization"), "no Authorization header: {reason}");
    // HMAC headers are no substitute for Basic credentials.
    let signed = sms::HMAC_AUTH.signed_headers(&Secret::new("pass"), &body, NONCE, SIGNED_AT as i64);
    server.expect_unauthorized("HMAC headers instead of Basic", "/", &signed, &body).await;
}

// ---------------------------------------------------------------------------------------------
// 6, 7: bodies refused before the handler
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn malformed_bodies_are_400_without_a_handler_call() {
    let sms = serve(sms::Receiver::new(Verifier::none()), Outcome::Accept).await;
    let conversation = serve(conversation::Receiver::new(Verifier::none()), Outcome::Accept).await;
    let bodies: [(&str, &[u8]); 3] =
        [("truncated", br#"{"type": "mo_text","#), ("not json", b"not json"), ("empty", b"")];
    for (server, paths) in [(&sms, ["/", "/sms/incoming"]), (&conversation, ["/", "/conversation/contact-create"])] {
        for path in paths {
            for (what, body) in bodies {
                let context = format!("{what} body to {path}");
                let seen = server.expect(&context, path, &no_headers(), body, 400).await;
                let calls = server.calls();
                assert!(calls.is_empty(), "{context}: the handler was called: {calls:?}");
                let error = seen.error.unwrap_or_default();
                assert!(error.contains("not valid JSON"), "{context}: reason {error:?}");
            }
        }
    }
}

/// A valid `mo_text` body of exactly `len` bytes.
fn incoming_sms_of(len: usize) -> Vec<u8> {
    let mut value: Value = serde_json::from_slice(&fixture(SMS, "IncomingSms.json")).unwrap();
    value["body"] = Value::String(String::new());
    let short = serde_json::to_vec(&value).unwrap().len();
    assert!(short <= len, "a body of {len} bytes is too short for IncomingSms");
    value["body"] = Value::String("x".repeat(len - short));
    let bytes = serde_json::to_vec(&value).unwrap();
    assert_eq!(bytes.len(), len);
    bytes
}

#[tokio::test(flavor = "multi_thread")]
async fn bodies_over_the_limit_are_413_without_a_handler_call() {
    let server = serve(sms::Receiver::new(Verifier::none()).max_body_bytes(1024), Outcome::Accept).await;

    let context = "2 KiB body, limit 1 KiB";
    let seen = server.expect(context, "/", &no_headers(), &incoming_sms_of(2048), 413).await;
    let calls = server.calls();
    assert!(calls.is_empty(), "{context}: the handler was called: {calls:?}");
    assert!(seen.error.unwrap_or_default().contains("1024"), "{context}: the reason names the limit");

    let context = "body of exactly the limit";
    server.expect(context, "/", &no_headers(), &incoming_sms_of(1024), 200).await;
    assert_eq!(server.single_call(context).method, "receive_incoming_sms", "{context}");

    let context = "one byte over the limit";
    server.expect(context, "/", &no_headers(), &incoming_sms_of(1025), 413).await;
    assert!(server.calls().is_empty(), "{context}: the handler was called");

    // The size is checked before the signature: an oversized unsigned body is 413, not 401.
    let signed =
        serve(sms::Receiver::new(Verifier::hmac(sms::HMAC_AUTH, SECRET)).max_body_bytes(1024), Outcome::Accept).await;
    signed.expect("2 KiB unsigned body, HMAC", "/", &no_headers(), &incoming_sms_of(2048), 413).await;
}

// ---------------------------------------------------------------------------------------------
// 8: callbacks that fit no message
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn unknown_events_reach_unknown_with_the_body_kept() {
    let sms = serve(sms::Receiver::new(Verifier::none()), Outcome::Accept).await;
    let conversation = serve(conversation::Receiver::new(Verifier::none()), Outcome::Accept).await;
    let cases: [(&Server, &str, &str); 5] = [
        (&sms, "/", r#"{"type":"mo_hologram","id":"x"}"#),
        (&sms, "/", "{ \"id\" : \"no type\",\n  \"n\": 1.50 }"),
        // Names a message but does not match its schema: kept whole too (runtime docs).
        (&sms, "/", r#"{"type":"mo_text","id":5}"#),
        // A trigger Sinch adds tomorrow: the envelope every callback has, and a key no spec names.
        (
            &conversation,
            "/",
            r#"{"app_id":"a","accepted_time":"2026-11-21T10:00:00Z","project_id":"p","brand_new_trigger_notification":{"x":1}}"#,
        ),
        // Two trigger keys in one callback: which one it is cannot be told, so nothing is guessed.
        (&conversation, "/", r#"{"app_id":"a","contact_create_notification":{},"contact_delete_notification":{}}"#),
    ];
    for (server, path, body) in cases {
        let context = format!("{body} to {path}");
        let seen = server.expect(&context, path, &no_headers(), body.as_bytes(), 200).await;
        assert_eq!((seen.message, seen.operation), (None, None), "{context}: reported as a message");
        let call = server.single_call(&context);
        assert_eq!(call.method, "unknown", "{context}: handler method");
        assert_eq!(call.raw.as_deref(), Some(body), "{context}: UnknownEvent::body()");
        assert_eq!(call.json, body, "{context}: an unknown event re-encodes as received");
    }
}

// ---------------------------------------------------------------------------------------------
// 9: the handler's outcome decides the status
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn handler_outcomes_map_to_statuses() {
    let sms_body = fixture(SMS, "IncomingSms.json");
    let conversation_body = fixture(CONVERSATION, "ContactEvent.json");
    let unknown_body = br#"{"type":"mo_hologram","id":"x"}"#;
    for (outcome, status) in
        [(Outcome::Accept, 200), (Outcome::RetryLater, 503), (Outcome::SlowDown, 429), (Outcome::Reject, 400)]
    {
        let sms = serve(sms::Receiver::new(Verifier::none()), outcome).await;
        let context = format!("{outcome:?}: IncomingSms.json");
        sms.expect(&context, "/", &no_headers(), &sms_body, status).await;
        assert_eq!(sms.single_call(&context).method, "receive_incoming_sms", "{context}");

        let context = format!("{outcome:?}: an unknown SMS event");
        sms.expect(&context, "/", &no_headers(), unknown_body, status).await;
        assert_eq!(sms.single_call(&context).method, "unknown", "{context}");

        let conversation = serve(conversation::Receiver::new(Verifier::none()), outcome).await;
        let context = format!("{outcome:?}: ContactEvent.json to /conversation/contact-create");
        conversation.expect(&context, "/conversation/contact-create", &no_headers(), &conversation_body, status).await;
        assert_eq!(conversation.single_call(&context).method, "receive_contact_create", "{context}");
    }
}

// ---------------------------------------------------------------------------------------------
// 10: paths and methods
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn unknown_paths_are_404_and_other_methods_405() {
    let server = serve(sms::Receiver::new(Verifier::none()), Outcome::Accept).await;
    let body = fixture(SMS, "IncomingSms.json");
    for path in ["/nope", "/sms", "/sms/incoming/extra", "/conversation/message-inbound"] {
        let context = format!("POST {path}");
        let seen = server.expect(&context, path, &no_headers(), &body, 404).await;
        assert!(server.calls().is_empty(), "{context}: the handler was called");
        assert!(seen.error.unwrap_or_default().contains(path), "{context}: the reason names the path");
    }
    // The path is checked before the credentials: 404, not 401.
    let signed = serve(sms::Receiver::new(Verifier::hmac(sms::HMAC_AUTH, SECRET)), Outcome::Accept).await;
    signed.expect("unsigned POST /nope, HMAC", "/nope", &no_headers(), &body, 404).await;

    for path in ["/", "/sms/incoming"] {
        assert_eq!(server.get(path).await, StatusCode::METHOD_NOT_ALLOWED, "GET {path}");
    }
    assert!(server.calls().is_empty(), "GET called the handler");
}

// ---------------------------------------------------------------------------------------------
// 11: a message several operations receive
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn shared_message_by_payload_has_no_operation() {
    // No Sinch spec receives one message on two channels any more; the `shared` snapshot does.
    let server = serve(shared::Receiver::new(Verifier::none()), Outcome::Accept).await;
    let body = br#"{"contact_id":"c1"}"#;
    let context = "ContactChanged to /";
    let seen = server.expect(context, "/", &no_headers(), body, 200).await;
    assert_eq!(seen.message, Some("ContactChanged"), "{context}: message");
    assert_eq!(seen.operation, None, "{context}: the payload does not tell the operation");
    assert_eq!(server.single_call(context).method, "contact_changed", "{context}: handler method");

    for (path, operation, method) in [
        ("/contact/created", "contactCreated", "contact_created"),
        ("/contact/deleted", "contactDeleted", "contact_deleted"),
    ] {
        let context = format!("ContactChanged to {path}");
        let seen = server.expect(&context, path, &no_headers(), body, 200).await;
        assert_eq!(seen.operation, Some(operation), "{context}: operation");
        assert_eq!(server.single_call(&context).method, method, "{context}: handler method");
    }
    let context = "OrderPlaced to /";
    let seen = server.expect(context, "/", &no_headers(), br#"{"order_id":"o1"}"#, 200).await;
    assert_eq!(seen.operation, Some("orderPlaced"), "{context}: operation");
}

// ---------------------------------------------------------------------------------------------
// 12: dedup keys
// ---------------------------------------------------------------------------------------------

/// The key the spec's pointers give for `payload`, as the runtime composes it.
fn expected_dedup_key(message: &str, pointers: &[String], payload: &Value) -> Option<String> {
    let parts: Vec<Option<String>> = pointers
        .iter()
        .map(|pointer| match payload.pointer(pointer)? {
            Value::String(text) => Some(text.clone()),
            Value::Null => None,
            other => Some(other.to_string()),
        })
        .collect();
    hookwright_runtime::webhook::dedup_key(message, &parts)
}

/// What `dedup_key()` must be for a callback reported as `label`: the key of the messages'
/// shared `x-dedup-key` pointers, or `None` when they have none or differ.
fn dedup_for(spec: &Spec, label: &str, payload: &Value) -> Option<String> {
    let mut pointers = label.split(" or ").map(|key| spec.dedup.get(key).cloned().unwrap_or_default());
    let first = pointers.next().unwrap_or_default();
    if first.is_empty() || pointers.any(|other| other != first) {
        return None;
    }
    expected_dedup_key(label, &first, payload)
}

#[test]
fn dedup_keys_follow_the_spec() {
    let mut checked = 0;

    let spec = Spec::read(SMS);
    let receiver = sms::Receiver::new(Verifier::none());
    for file in fixtures(SMS) {
        let (bytes, value) = load(&file);
        let event = receiver.receive(None, &no_headers(), &bytes).unwrap_or_else(|e| panic!("{}: {e}", name(&file)));
        let label = event.message().unwrap_or_else(|| panic!("{}: decoded as unknown", name(&file)));
        assert_eq!(event.dedup_key(), dedup_for(&spec, label, &value), "{}: dedup_key()", name(&file));
        checked += 1;
    }

    let spec = Spec::read(CONVERSATION);
    let receiver = conversation::Receiver::new(Verifier::none());
    for file in fixtures(CONVERSATION) {
        let key = stem(&file);
        let (bytes, value) = load(&file);
        for operation in spec.operations_of(&key) {
            let context = format!("{} on {}", name(&file), operation.address);
            let event = receiver
                .receive(Some(operation.address.as_str()), &no_headers(), &bytes)
                .unwrap_or_else(|e| panic!("{context}: {e}"));
            assert_eq!(event.message(), Some(key.as_str()), "{context}: message");
            assert_eq!(event.dedup_key(), dedup_for(&spec, &key, &value), "{context}: dedup_key()");
            checked += 1;
        }
    }

    let unknown = sms::Receiver::new(Verifier::none())
        .receive(None, &no_headers(), br#"{"type":"mo_hologram","id":"x"}"#)
        .unwrap();
    assert_eq!(unknown.dedup_key(), None, "an unknown event has no dedup key");
    assert!(checked >= 20, "only {checked} dedup keys checked");
}

#[test]
fn dedup_keys_name_the_message_and_the_values() {
    let body = fixture(SMS, "RecipientDeliveryReportSms.json");
    let payload: Value = serde_json::from_slice(&body).unwrap();
    let event = <sms::Webhooks as hookwright_runtime::webhook::Decode>::decode(&body).unwrap();
    let expected =
        format!("RecipientDeliveryReportSms:[{},{},{}]", payload["batch_id"], payload["recipient"], payload["status"]);
    assert_eq!(event.dedup_key(), Some(expected));
    let inbound =
        <sms::Webhooks as hookwright_runtime::webhook::Decode>::decode(&fixture(SMS, "IncomingSms.json")).unwrap();
    let id =
        serde_json::from_slice::<Value>(&fixture(SMS, "IncomingSms.json")).unwrap()["id"].as_str().unwrap().to_owned();
    assert_eq!(inbound.dedup_key(), Some(format!("IncomingSms:{id}")));
}

// ---------------------------------------------------------------------------------------------
// 13: replays, retries and concurrent duplicates
// ---------------------------------------------------------------------------------------------

impl Server {
    fn set_outcome(&self, outcome: Outcome) {
        *self.outcome.lock().unwrap() = outcome;
    }

    /// Every dispatcher record since the last look.
    fn all_seen(&self) -> Vec<Seen> {
        std::mem::take(&mut *self.seen.lock().unwrap())
    }
}

/// An `IncomingSms` body whose `id` (its dedup key) is `id`.
fn incoming_sms_with_id(id: &str) -> Vec<u8> {
    let mut value: Value = serde_json::from_slice(&fixture(SMS, "IncomingSms.json")).unwrap();
    value["id"] = Value::String(id.to_owned());
    serde_json::to_vec(&value).unwrap()
}

/// Headers signing `body` for the SMS scheme with `nonce`, at [`SIGNED_AT`].
fn sms_signed(body: &[u8], nonce: &str) -> HeaderMap {
    sms::HMAC_AUTH.signed_headers(&Secret::new(SECRET), body, nonce, SIGNED_AT as i64)
}

/// An SMS receiver checking signatures, its clock 30 seconds after [`SIGNED_AT`].
fn sms_hmac_receiver() -> sms::Receiver {
    sms::Receiver::new(Verifier::hmac(sms::HMAC_AUTH, SECRET).clock(at(SIGNED_AT + 30)))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_replayed_signed_request_is_answered_200_and_delivered_once() {
    let server = serve_remembering(sms_hmac_receiver(), Outcome::Accept, None).await;
    let body = incoming_sms_with_id("01REPLAYED");
    let headers = sms_signed(&body, "nonce-replayed");
    for attempt in 1..=3 {
        let context = format!("the same signed request, attempt {attempt}");
        let seen = server.expect(&context, "/", &headers, &body, 200).await;
        let expected = if attempt == 1 { Disposition::Delivered(Outcome::Accept) } else { Disposition::Duplicate };
        assert_eq!(seen.outcome, expected, "{context}");
        assert_eq!(seen.dedup_key.as_deref(), Some("IncomingSms:01REPLAYED"), "{context}: the record's dedup key");
    }
    let calls = server.calls();
    assert_eq!(calls.len(), 1, "a replayed request reached the handler again: {calls:?}");

    // The nonce alone identifies a request: a body without a dedup key, replayed.
    let unknown = br#"{"type":"mo_hologram","id":"x"}"#;
    let headers = sms_signed(unknown, "nonce-of-an-unknown-event");
    server.expect("an unknown event", "/", &headers, unknown, 200).await;
    let seen = server.expect("the unknown event replayed", "/", &headers, unknown, 200).await;
    assert_eq!(seen.outcome, Disposition::Duplicate, "the replay of an unknown event");
    assert_eq!(server.calls().len(), 1, "an unknown event replayed reached the handler again");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_dedup_key_with_another_nonce_is_not_delivered_twice() {
    let server = serve_remembering(sms_hmac_receiver(), Outcome::Accept, None).await;
    let body = incoming_sms_with_id("01RETRIED");
    server.expect("first delivery", "/", &sms_signed(&body, "nonce-1"), &body, 200).await;
    let seen = server.expect("Sinch's retry, signed anew", "/", &sms_signed(&body, "nonce-2"), &body, 200).await;
    assert_eq!(seen.outcome, Disposition::Duplicate);
    assert_eq!(server.calls().len(), 1, "the retry reached the handler");

    let other = incoming_sms_with_id("01OTHER");
    let seen = server.expect("another callback", "/", &sms_signed(&other, "nonce-3"), &other, 200).await;
    assert_eq!(seen.outcome, Disposition::Delivered(Outcome::Accept), "another dedup key is another callback");
    assert_eq!(server.calls().len(), 1);

    // Without signatures, the dedup key alone.
    let unsigned = serve_remembering(sms::Receiver::new(Verifier::none()), Outcome::Accept, None).await;
    unsigned.expect("unsigned", "/", &no_headers(), &body, 200).await;
    let seen = unsigned.expect("unsigned, again", "/", &no_headers(), &body, 200).await;
    assert_eq!(seen.outcome, Disposition::Duplicate);
    assert_eq!(unsigned.calls().len(), 1, "an unsigned duplicate reached the handler");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_callback_not_accepted_is_delivered_again_on_retry() {
    for (outcome, status) in [(Outcome::RetryLater, 503), (Outcome::SlowDown, 429), (Outcome::Reject, 400)] {
        let server = serve_remembering(sms_hmac_receiver(), outcome, None).await;
        let body = incoming_sms_with_id("01NOTYET");
        let headers = sms_signed(&body, "nonce-not-yet");
        let context = format!("{outcome:?}");
        let seen = server.expect(&context, "/", &headers, &body, status).await;
        assert_eq!(seen.outcome, Disposition::Delivered(outcome), "{context}");
        assert_eq!(server.calls().len(), 1, "{context}: delivered");

        let context = format!("{outcome:?}, retried with the same nonce");
        server.expect(&context, "/", &headers, &body, status).await;
        assert_eq!(server.calls().len(), 1, "{context}: not delivered again");

        server.set_outcome(Outcome::Accept);
        let context = format!("{outcome:?}, then retried and accepted");
        let seen = server.expect(&context, "/", &headers, &body, 200).await;
        assert_eq!(seen.outcome, Disposition::Delivered(Outcome::Accept), "{context}");
        assert_eq!(server.calls().len(), 1, "{context}: not delivered");

        let context = format!("{outcome:?}, accepted, then sent once more");
        let seen = server.expect(&context, "/", &sms_signed(&body, "another-nonce"), &body, 200).await;
        assert_eq!(seen.outcome, Disposition::Duplicate, "{context}");
        assert!(server.calls().is_empty(), "{context}: delivered again");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_identical_requests_are_delivered_once() {
    let gate = Gate::new();
    let server = Arc::new(serve_remembering(sms_hmac_receiver(), Outcome::Accept, Some(gate.clone())).await);
    let body = incoming_sms_with_id("01CONCURRENT");
    let headers = sms_signed(&body, "nonce-concurrent");

    let first = {
        let (server, headers, body) = (Arc::clone(&server), headers.clone(), body.clone());
        tokio::spawn(async move { server.post("/", &headers, &body).await })
    };
    gate.wait_for_a_call().await;

    // While the first is in the handler, 20 identical requests arrive at once.
    let mut duplicates = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let (server, headers, body) = (Arc::clone(&server), headers.clone(), body.clone());
        duplicates.spawn(async move { server.post("/", &headers, &body).await });
    }
    for status in duplicates.join_all().await {
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "a duplicate of a callback being handled");
    }
    gate.let_one_go();
    assert_eq!(first.await.unwrap(), StatusCode::OK, "the first request");
    let outcomes: Vec<Disposition> = server.all_seen().iter().map(|seen| seen.outcome).collect();
    let in_flight = outcomes.iter().filter(|&&outcome| outcome == Disposition::InFlight).count();
    assert_eq!(in_flight, 20, "each concurrent duplicate is recorded as in flight: {outcomes:?}");

    // The sender retries the 503s: now they are duplicates of an accepted callback.
    let seen = server.expect("a retry after the first was accepted", "/", &headers, &body, 200).await;
    assert_eq!(seen.outcome, Disposition::Duplicate);
    let calls = server.calls();
    assert_eq!(calls.len(), 1, "delivered more than once: {calls:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_whose_key_is_claimed_lets_go_of_its_other_key() {
    // The same callback (one dedup key) under two nonces, concurrently: the second is 503, and
    // its nonce is not kept, so when it is retried with that nonce it is a duplicate of the
    // accepted callback, not an in-flight request forever.
    let gate = Gate::new();
    let server = Arc::new(serve_remembering(sms_hmac_receiver(), Outcome::Accept, Some(gate.clone())).await);
    let body = incoming_sms_with_id("01TWONONCES");
    let first = {
        let (server, body) = (Arc::clone(&server), body.clone());
        tokio::spawn(async move { server.post("/", &sms_signed(&body, "nonce-a"), &body).await })
    };
    gate.wait_for_a_call().await;
    assert_eq!(server.post("/", &sms_signed(&body, "nonce-b"), &body).await, StatusCode::SERVICE_UNAVAILABLE);
    gate.let_one_go();
    assert_eq!(first.await.unwrap(), StatusCode::OK);
    assert_eq!(server.post("/", &sms_signed(&body, "nonce-b"), &body).await, StatusCode::OK);
    assert_eq!(server.calls().len(), 1);
}

/// A store of the user's own, as a Redis client would be written (async fns): it fails while
/// `down` is set, else keeps keys in memory.
#[derive(Default)]
struct FlakyStore {
    keys: MemoryStore,
    down: std::sync::atomic::AtomicBool,
}

impl FlakyStore {
    fn check(&self) -> Result<(), StoreError> {
        match self.down.load(std::sync::atomic::Ordering::SeqCst) {
            true => Err("connection refused".into()),
            false => Ok(()),
        }
    }
}

impl ReplayStore for FlakyStore {
    async fn claim(&self, key: &str, window: Duration) -> Result<Claim, StoreError> {
        self.check()?;
        self.keys.claim(key, window).await
    }

    async fn accept(&self, key: &str, window: Duration) -> Result<(), StoreError> {
        self.check()?;
        self.keys.accept(key, window).await
    }

    async fn release(&self, key: &str) -> Result<(), StoreError> {
        self.check()?;
        self.keys.release(key).await
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_store_answers_503_and_delivers_nothing_until_it_recovers() {
    let store = Arc::new(FlakyStore::default());
    let server = serve_with(sms_hmac_receiver(), Outcome::Accept, None, None, Arc::clone(&store)).await;
    let body = incoming_sms_with_id("01STOREDOWN");
    let headers = sms_signed(&body, "nonce-store-down");

    store.down.store(true, std::sync::atomic::Ordering::SeqCst);
    let seen = server.expect("the store is down", "/", &headers, &body, 503).await;
    assert_eq!(seen.outcome, Disposition::StoreFailed);
    assert!(seen.error.unwrap_or_default().contains("connection refused"), "the record names the store's error");
    assert!(server.calls().is_empty(), "delivered without knowing whether it is a duplicate");

    store.down.store(false, std::sync::atomic::Ordering::SeqCst);
    server.expect("the sender's retry, the store back", "/", &headers, &body, 200).await;
    assert_eq!(server.calls().len(), 1, "the retry is delivered");
    let seen = server.expect("once more", "/", &headers, &body, 200).await;
    assert_eq!(seen.outcome, Disposition::Duplicate, "and remembered in the user's store");
}

#[tokio::test(flavor = "multi_thread")]
async fn receivers_sharing_a_store_deliver_a_callback_once_between_them() {
    let store = Arc::new(MemoryStore::default());
    let first = serve_with(sms_hmac_receiver(), Outcome::Accept, None, None, Arc::clone(&store)).await;
    let second = serve_with(sms_hmac_receiver(), Outcome::Accept, None, None, Arc::clone(&store)).await;
    let body = incoming_sms_with_id("01SHARED");
    first.expect("to the first receiver", "/", &sms_signed(&body, "nonce-shared-1"), &body, 200).await;
    let seen = second.expect("retried to the second", "/", &sms_signed(&body, "nonce-shared-2"), &body, 200).await;
    assert_eq!(seen.outcome, Disposition::Duplicate);
    assert_eq!((first.calls().len(), second.calls().len()), (1, 0), "delivered once between them");
}

// ---------------------------------------------------------------------------------------------
// 14: the handler's context
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn handlers_see_the_context_of_each_callback() {
    let server = serve_remembering(sms_hmac_receiver(), Outcome::Accept, None).await;
    for (path, nonce) in [("/", "nonce-context"), ("/sms/incoming", "nonce-context-2")] {
        let body = incoming_sms_with_id(&format!("01CONTEXT{}", path.len()));
        let mut headers = sms_signed(&body, nonce);
        headers.insert(HeaderName::from_static("x-request-id"), HeaderValue::from_static("req-7"));
        server.expect(path, path, &headers, &body, 200).await;
        let context = server.single_call(path).context;
        assert_eq!(context.path, path);
        assert_eq!(context.operation, Some("receiveIncomingSms"), "{path}");
        assert_eq!(context.message, Some("IncomingSms"), "{path}");
        let expected_key = format!("IncomingSms:01CONTEXT{}", path.len());
        assert_eq!(context.dedup_key.as_deref(), Some(expected_key.as_str()), "{path}");
        assert_eq!(context.body, body, "{path}: the raw body, byte for byte");
        assert_eq!(context.headers.get("x-request-id").unwrap(), "req-7", "{path}");
        assert_eq!(context.headers.get(sms::HMAC_AUTH.nonce_header.unwrap()).unwrap(), nonce, "{path}");
        // Debug names the headers but shows no value: signatures stay out of a handler's logs.
        let signature = headers.get(sms::HMAC_AUTH.signature_header).unwrap().to_str().unwrap();
        assert!(context.debug.contains("x-request-id"), "{}", context.debug);
        assert!(!context.debug.contains(signature) && !context.debug.contains(nonce), "{}", context.debug);
    }

    // A delivery report on its channel: the report's own dedup key.
    let report = fixture(SMS, "RecipientDeliveryReportSms.json");
    let expected_key = <sms::Webhooks as hookwright_runtime::webhook::Decode>::decode(&report).unwrap().dedup_key();
    server
        .expect("a delivery report", "/sms/delivery-report", &sms_signed(&report, "nonce-report"), &report, 200)
        .await;
    let context = server.single_call("a delivery report").context;
    assert_eq!(context.operation, Some("receiveDeliveryReport"));
    assert_eq!(context.dedup_key, expected_key);
    assert!(context.dedup_key.is_some(), "the fixture has a dedup key");

    // Unknown events get the context too.
    let unknown = br#"{"type":"mo_hologram","id":"x"}"#;
    server.expect("an unknown event", "/", &sms_signed(unknown, "nonce-unknown"), unknown, 200).await;
    let call = server.single_call("an unknown event");
    assert_eq!(call.method, "unknown");
    assert_eq!((call.context.operation, call.context.message, call.context.dedup_key), (None, None, None));
    assert_eq!(call.context.body, unknown);
    assert_eq!(call.context.path, "/");
}

// ---------------------------------------------------------------------------------------------
// 15: logs
// ---------------------------------------------------------------------------------------------

/// The fields of every event the runtime logs on one thread, in order and with repeated names
/// kept: what a JSON formatter would turn into keys.
#[derive(Clone, Default)]
struct LogCapture {
    events: Arc<Mutex<Vec<LogEvent>>>,
}

/// One event's fields: name and value, in the order recorded.
type LogEvent = Vec<(String, String)>;

/// The process's `tracing` subscriber: hands each event to the [`LogCapture`] of the thread it
/// happens on, if that thread has one.
///
/// One global subscriber, installed before any receiver logs (see [`serve_with`]), rather than
/// one per test with `set_default`: a callsite first hit while another thread installs its
/// default can keep a stale "never" interest, and a test would then lose its first events.
struct ThreadCaptures;

thread_local! {
    static CAPTURE: std::cell::RefCell<Option<LogCapture>> = const { std::cell::RefCell::new(None) };
}

fn install_log_router() {
    static INSTALLED: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    INSTALLED.get_or_init(|| {
        tracing::subscriber::set_global_default(ThreadCaptures)
            .expect("no other global subscriber in this test binary");
    });
}

/// Captures the runtime's log events on this thread: use it on a current-thread runtime, where
/// the server runs on the test's thread.
fn capture_logs_on_this_thread() -> LogCapture {
    install_log_router();
    let capture = LogCapture::default();
    CAPTURE.with(|slot| *slot.borrow_mut() = Some(capture.clone()));
    capture
}

struct Fields(Vec<(String, String)>);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }

    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }
}

impl tracing::Subscriber for ThreadCaptures {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }

    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        if !event.metadata().target().starts_with("hookwright_runtime") {
            return;
        }
        let Some(capture) = CAPTURE.with(|slot| slot.borrow().clone()) else {
            return;
        };
        let mut fields = Fields(Vec::new());
        event.record(&mut fields);
        capture.events.lock().unwrap().push(fields.0);
    }

    fn enter(&self, _: &tracing::span::Id) {}

    fn exit(&self, _: &tracing::span::Id) {}
}

impl LogCapture {
    fn take(&self) -> Vec<LogEvent> {
        std::mem::take(&mut *self.events.lock().unwrap())
    }
}

fn field<'a>(event: &'a [(String, String)], name: &str) -> Option<&'a str> {
    event.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
}

/// Names `tracing` and `tracing-subscriber`'s JSON formatter use themselves, which a field of
/// the receiver's must not take (`message` is the event's text, and is there once).
const RESERVED_LOG_KEYS: [&str; 10] =
    ["timestamp", "level", "target", "fields", "span", "spans", "filename", "line_number", "threadName", "threadId"];

/// Checks one log event: every key once, none reserved, the fields every line has.
fn assert_well_formed(context: &str, event: &[(String, String)]) {
    let mut names = BTreeSet::new();
    for (name, _) in event {
        assert!(names.insert(name.as_str()), "{context}: the key {name:?} appears twice in {event:?}");
        assert!(!RESERVED_LOG_KEYS.contains(&name.as_str()), "{context}: the key {name:?} is tracing's own");
    }
    for name in ["message", "path", "status", "outcome", "duration_us"] {
        assert!(field(event, name).is_some(), "{context}: no {name} in {event:?}");
    }
    let duration = field(event, "duration_us").unwrap();
    assert!(duration.parse::<u64>().is_ok(), "{context}: duration_us {duration:?}");
}

// Current-thread runtimes: the server runs on the test's thread, where the capture is the
// default subscriber.
#[tokio::test]
async fn logs_have_one_structured_line_per_request_and_no_secrets() {
    let capture = capture_logs_on_this_thread();
    let server = serve_remembering(sms_hmac_receiver(), Outcome::Accept, None).await;
    let body = incoming_sms_with_id("01LOGGED");
    let signed = sms_signed(&body, "nonce-logged");
    let signature = signed.get(sms::HMAC_AUTH.signature_header).unwrap().to_str().unwrap().to_owned();
    let forged =
        sms::HMAC_AUTH.signed_headers(&Secret::new("a guessed secret"), &body, "nonce-forged", SIGNED_AT as i64);
    let forged_signature = forged.get(sms::HMAC_AUTH.signature_header).unwrap().to_str().unwrap().to_owned();
    let unknown = br#"{"type":"mo_hologram","id":"x"}"#;

    let cases: [(&str, &HeaderMap, &[u8], u16, &str); 4] = [
        ("accepted", &signed, &body, 200, "accept"),
        ("replayed", &signed, &body, 200, "duplicate"),
        ("forged", &forged, &body, 401, "refused"),
        ("unknown", &sms_signed(unknown, "nonce-unknown-logged"), unknown, 200, "accept"),
    ];
    for (context, headers, body, status, outcome) in cases {
        assert_eq!(server.post("/", headers, body).await.as_u16(), status, "{context}");
        let events = capture.take();
        assert_eq!(events.len(), 1, "{context}: one log line per request, got {events:?}");
        let event = &events[0];
        assert_well_formed(context, event);
        assert_eq!(field(event, "status"), Some(status.to_string().as_str()), "{context}");
        assert_eq!(field(event, "outcome"), Some(outcome), "{context}");
        let logged: String = event.iter().map(|(key, value)| format!("{key}={value} ")).collect();
        for secret in [SECRET, signature.as_str(), forged_signature.as_str(), "a guessed secret"] {
            assert!(!logged.contains(secret), "{context}: a secret or signature was logged: {logged}");
        }
    }
    server.all_seen();

    // What a known callback's line carries.
    let other = incoming_sms_with_id("01FIELDS");
    server.post("/sms/incoming", &sms_signed(&other, "nonce-fields"), &other).await;
    let event = &capture.take()[0];
    assert_eq!(field(event, "spec_message"), Some("IncomingSms"));
    assert_eq!(field(event, "operation"), Some("receiveIncomingSms"));
    assert_eq!(field(event, "dedup_key"), Some("IncomingSms:01FIELDS"));
    assert_eq!(field(event, "path"), Some("/sms/incoming"));

    // Basic credentials, wrong and right, never reach the log either.
    let basic =
        serve_remembering(sms::Receiver::new(Verifier::basic("user", "pass-word")), Outcome::Accept, None).await;
    for (value, status) in [("Basic dXNlcjpwYXNzLXdvcmQ=", 200), ("Basic dXNlcjpndWVzc2Vk", 401)] {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_static(value));
        assert_eq!(basic.post("/", &headers, &other).await.as_u16(), status, "{value}");
        let events = capture.take();
        assert_eq!(events.len(), 1, "{value}");
        assert_well_formed(value, &events[0]);
        let logged = format!("{:?}", events[0]);
        for secret in ["pass-word", "guessed", "dXNlcjpwYXNzLXdvcmQ=", "dXNlcjpndWVzc2Vk"] {
            assert!(!logged.contains(secret), "{value}: {logged}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 16: load
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn five_hundred_signed_requests_at_concurrency_50_are_each_answered_logged_and_delivered_once() {
    const REQUESTS: usize = 500;
    const CONCURRENCY: usize = 50;
    let capture = capture_logs_on_this_thread();
    let server = Arc::new(serve_remembering(sms_hmac_receiver(), Outcome::Accept, None).await);
    let slots = Arc::new(Semaphore::new(CONCURRENCY));
    let mut requests = tokio::task::JoinSet::new();
    for index in 0..REQUESTS {
        let permit = Arc::clone(&slots).acquire_owned().await.unwrap();
        let server = Arc::clone(&server);
        requests.spawn(async move {
            let body = incoming_sms_with_id(&format!("01LOAD{index:04}"));
            let status = server.post("/", &sms_signed(&body, &format!("nonce-load-{index}")), &body).await;
            drop(permit);
            (index, status)
        });
    }
    let mut answered = vec![0; REQUESTS];
    for (index, status) in requests.join_all().await {
        assert_eq!(status, StatusCode::OK, "request {index}");
        answered[index] += 1;
    }
    assert!(answered.iter().all(|&n| n == 1), "every request answered once");

    let expected: BTreeSet<String> = (0..REQUESTS).map(|index| format!("IncomingSms:01LOAD{index:04}")).collect();
    let mut delivered = BTreeMap::<String, usize>::new();
    for call in server.calls() {
        *delivered.entry(call.context.dedup_key.unwrap_or_default()).or_default() += 1;
    }
    assert_same_keys("delivered", &delivered, &expected);

    let mut logged = BTreeMap::<String, usize>::new();
    for event in capture.take() {
        assert_well_formed("under load", &event);
        assert_eq!(field(&event, "outcome"), Some("accept"), "{event:?}");
        *logged.entry(field(&event, "dedup_key").unwrap_or_default().to_owned()).or_default() += 1;
    }
    assert_same_keys("logged", &logged, &expected);
    assert_eq!(server.all_seen().len(), REQUESTS, "one record per request");
}

/// Checks that `counted` holds each expected key exactly once, naming the first few that do not.
fn assert_same_keys(what: &str, counted: &BTreeMap<String, usize>, expected: &BTreeSet<String>) {
    let missing: Vec<&String> = expected.iter().filter(|key| !counted.contains_key(*key)).take(5).collect();
    let unexpected: Vec<&String> = counted.keys().filter(|key| !expected.contains(*key)).take(5).collect();
    let twice: Vec<(&String, &usize)> = counted.iter().filter(|(_, n)| **n != 1).take(5).collect();
    assert!(
        missing.is_empty() && unexpected.is_empty() && twice.is_empty(),
        "{what}: missing {missing:?}, unexpected {unexpected:?}, not once {twice:?} (of {} keys)",
        counted.len()
    );
}

// ---------------------------------------------------------------------------------------------
// 13: OpenAPI webhooks
// ---------------------------------------------------------------------------------------------

/// The `X-Signature` the `rail` spec's `x-signature` asks for: hex HMAC-SHA256 of the body,
/// computed here without the runtime.
fn rail_signature(secret: &str, body: &[u8]) -> HeaderMap {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(body);
    let hex: String = mac.finalize().into_bytes().iter().map(|byte| format!("{byte:02x}")).collect();
    let mut headers = HeaderMap::new();
    headers.insert(HeaderName::from_static("x-signature"), HeaderValue::from_str(&hex).unwrap());
    headers
}

#[tokio::test(flavor = "multi_thread")]
async fn openapi_webhook_examples_are_received_typed_by_address_and_payload_and_verified() {
    let server = serve(rail::Receiver::new(Verifier::hmac(rail::SIGNATURE, "rail-secret")), Outcome::Accept).await;
    // The examples of the `rail` snapshot's spec (tests/snapshots.rs), each with its webhook.
    let examples = [
        ("/newBooking", "new-booking", "new_booking", r#"{"id":"b1","passenger_name":"John Doe","has_dog":true}"#),
        ("/paymentEvent", "PaymentEvent", "payment_event", r#"{"type":"payment.succeeded","amount":12.5}"#),
        ("/paymentEvent", "PaymentEvent", "payment_event", r#"{"type":"payment.failed","reason":"card declined"}"#),
    ];
    for (path, operation, method, body) in examples {
        let context = format!("{body} to {path}");
        let seen =
            server.expect(&context, path, &rail_signature("rail-secret", body.as_bytes()), body.as_bytes(), 200).await;
        assert_eq!((seen.message, seen.operation), (Some(operation), Some(operation)), "{context}");
        let call = server.single_call(&context);
        assert_eq!(call.method, method, "{context}: handler method");
        let (expected, actual): (Value, Value) =
            (serde_json::from_str(body).unwrap(), serde_json::from_str(&call.json).unwrap());
        assert_eq!(differences(&expected, &actual), Vec::<String>::new(), "{context}: re-encoded");
    }
    let booking = br#"{"id":"b2","passenger_name":"Ann"}"#;
    let seen = server.expect("a booking to /", "/", &rail_signature("rail-secret", booking), booking, 200).await;
    assert_eq!(seen.operation, Some("new-booking"), "by payload: its own keys tell the booking");
    assert_eq!(seen.dedup_key.as_deref().map(|key| key.contains("b2")), Some(true), "x-dedup-key [/id]: {seen:?}");
    assert_eq!(server.single_call("a booking to /").method, "new_booking");
    server.expect_unauthorized("unsigned", "/newBooking", &no_headers(), booking).await;
    server.expect_unauthorized("another secret", "/newBooking", &rail_signature("other", booking), booking).await;
}

/// Every signature preset on an OpenAPI webhook receiver, over HTTP, with two secrets at once
/// (a rotation, or one secret per app): a request signed with either is delivered, one
/// signed with a third secret is refused, and so is an unsigned one. The presets' public
/// vectors are checked in `runtime/src/webhook/auth/presets/`.
#[tokio::test(flavor = "multi_thread")]
async fn each_signature_preset_accepts_any_of_its_secrets_over_http() {
    let presets = [
        ("sinch", HmacScheme::SINCH, ["old-secret", "new-secret", "a-third-secret"]),
        (
            "standard-webhooks",
            HmacScheme::STANDARD_WEBHOOKS,
            ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_b2xkLXNlY3JldC1ieXRlcy1oZXJl", "whsec_dGhpcmQtc2VjcmV0"],
        ),
        ("github", HmacScheme::GITHUB, ["It's a Secret to Everybody", "a rotated secret", "a-third-secret"]),
        ("line", HmacScheme::LINE, ["channel-secret-app-1", "channel-secret-app-2", "a-third-secret"]),
    ];
    let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("after 1970").as_secs() as i64;
    for (name, scheme, [old, new, third]) in presets {
        let verifier = Verifier::hmac_any(scheme, [old, new]);
        let server = serve(rail::Receiver::new(verifier), Outcome::Accept).await;
        for (n, secret) in [old, new].into_iter().enumerate() {
            let context = format!("{name}: signed with secret {n}");
            let body = format!(r#"{{"id":"{name}-{n}","passenger_name":"Ann"}}"#);
            let headers = scheme.signed_headers(&Secret::new(secret), body.as_bytes(), &format!("msg-{name}-{n}"), now);
            let seen = server.expect(&context, "/newBooking", &headers, body.as_bytes(), 200).await;
            assert_eq!(seen.operation, Some("new-booking"), "{context}");
            assert_eq!(server.single_call(&context).method, "new_booking", "{context}");
        }
        let body = format!(r#"{{"id":"{name}-x","passenger_name":"Eve"}}"#);
        let forged = scheme.signed_headers(&Secret::new(third), body.as_bytes(), &format!("msg-{name}-x"), now);
        server.expect_unauthorized(&format!("{name}: a third secret"), "/newBooking", &forged, body.as_bytes()).await;
        server.expect_unauthorized(&format!("{name}: unsigned"), "/newBooking", &no_headers(), body.as_bytes()).await;
    }
}
