//! Valid JSON is never refused, over real HTTP: the generated receivers' decoding behind an
//! axum route on 127.0.0.1, bodies sent with `reqwest`, and what each request decoded to kept.
//!
//! A sender does not retry a 400, so a body refused as "not JSON" is lost. These bodies are
//! JSON (RFC 8259) that serde_json's `Value`, `String` or `f64` cannot hold, or nest deeper
//! than it recurses: each is answered 200 and decodes to its message when the spec's typed
//! fields can hold it, else to an unknown event keeping the body byte for byte. Fields the
//! spec does not name re-encode exactly as received.
//!
//! The route calls `Receiver::receive` itself rather than going through a `Dispatcher` and a
//! `Handler`, so that only decoding is under test (not duplicate suppression, which would
//! hold back the same fixture sent twice). The server runs on a multi-thread tokio runtime, so
//! bodies are decoded on a worker thread with tokio's default 2 MiB stack, in the debug build
//! `cargo test` makes (where decoding uses the most stack).

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use hookwright_runtime::webhook::{Callback, Decode, Receiver, Verifier};
use http::{HeaderMap, StatusCode};
use tokio::net::TcpListener;

/// The depth to which typed fields decode, counting the body's object as the first level
/// (the runtime's documented bound: serde_json's recursion limit).
const MAX_TYPED_DEPTH: usize = 127;

/// The receivers' default body limit.
const BODY_LIMIT: usize = 1024 * 1024;

/// What a request decoded to.
#[derive(Debug, Clone, PartialEq)]
enum Call {
    /// A message of the spec (its operation id), encoded again.
    Typed { operation: &'static str, json: String },
    /// A body that fits no message: as kept, and why.
    Unknown { body: String, reason: String },
}

impl Call {
    fn of(callback: &impl Callback) -> Call {
        let json = serde_json::to_string(callback).unwrap_or_else(|e| panic!("cannot re-encode: {e}"));
        match (callback.unknown_reason(), callback.operation()) {
            (Some(reason), _) => Call::Unknown { body: json, reason: reason.to_owned() },
            (None, Some(operation)) => Call::Typed { operation, json },
            (None, None) => panic!("a known message without an operation: {json}"),
        }
    }
}

/// A receiver's decoding served on a free port of 127.0.0.1.
struct Server {
    url: String,
    client: reqwest::Client,
    calls: Arc<Mutex<Vec<Call>>>,
}

impl Server {
    async fn start<D: Decode>() -> Server {
        let receiver = Arc::new(Receiver::<D>::new(Verifier::none()));
        let calls = Arc::new(Mutex::new(Vec::new()));
        let kept = Arc::clone(&calls);
        let route = axum::routing::post(move |headers: HeaderMap, body: Bytes| async move {
            match receiver.receive(None, &headers, &body) {
                Ok(callback) => {
                    kept.lock().unwrap().push(Call::of(&callback));
                    StatusCode::OK
                }
                Err(rejection) => rejection.status(),
            }
        });
        let router = axum::Router::new().route("/", route);
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
        let url = format!("http://{}/", listener.local_addr().expect("the bound address"));
        tokio::spawn(async move { axum::serve(listener, router).await.expect("the test server") });
        let client = reqwest::Client::builder().no_proxy().build().expect("an HTTP client");
        Server { url, client, calls }
    }

    async fn sms() -> Server {
        Server::start::<sinch_sms_webhooks::webhooks::Webhooks>().await
    }

    async fn conversation() -> Server {
        Server::start::<sinch_conversation_webhooks::webhooks::Webhooks>().await
    }

    /// Posts `body` to `/` and returns the status and what it decoded to.
    async fn post(&self, body: &str) -> (StatusCode, Vec<Call>) {
        let response = self.client.post(&self.url).body(body.to_owned()).send().await;
        let status = response.unwrap_or_else(|e| panic!("POST {}: {e}", self.url)).status();
        (status, std::mem::take(&mut *self.calls.lock().unwrap()))
    }

    /// Posts `body` and returns what it decoded to, after a 200.
    async fn deliver(&self, context: &str, body: &str) -> Call {
        let (status, mut calls) = self.post(body).await;
        assert_eq!(status, StatusCode::OK, "{context}: answered {status}; calls {calls:?}");
        assert_eq!(calls.len(), 1, "{context}: expected one decoded callback, got {calls:?}");
        calls.remove(0)
    }

    /// Posts `body`, a message with `fields` added last, and checks that it decodes to
    /// `operation` and re-encodes as the message alone does, then `fields` exactly as sent.
    async fn expect_fields_kept(&self, operation: &str, message: &str, fields: &str) {
        let base = match self.deliver("the fixture alone", message).await {
            Call::Typed { json, .. } => json,
            other => panic!("the fixture alone is not typed: {other:?}"),
        };
        let body = with_fields(message, fields);
        let expected = with_fields(&base, fields);
        match self.deliver(fields, &body).await {
            Call::Typed { operation: got, json } => {
                assert_eq!(got, operation, "{fields}");
                assert_eq!(json, expected, "the unknown fields re-encode as sent");
            }
            other => panic!("{fields}: not decoded as {operation}: {other:?}"),
        }
    }

    /// Posts `body` and checks that it decodes to an unknown event holding the body exactly
    /// (without the whitespace around it), with a reason that mentions `why`.
    async fn expect_unknown(&self, context: &str, body: &str, why: &str) {
        match self.deliver(context, body).await {
            Call::Unknown { body: kept, reason } => {
                assert!(kept == body.trim(), "{context}: the unknown event does not keep the body as sent");
                assert!(reason.contains(why), "{context}: the reason does not say `{why}`: {reason}");
            }
            other => panic!("{context}: expected an unknown event, got {other:?}"),
        }
    }
}

fn fixture(krate: &str, name: &str) -> String {
    let path = spec_tests::repository().join(format!("tests/fixtures/{krate}/{name}.json"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The JSON object `object` with `fields` (`"key":value,...`) added after its last field.
fn with_fields(object: &str, fields: &str) -> String {
    let open = object.trim_end().strip_suffix('}').unwrap_or_else(|| panic!("not an object: {object}"));
    format!("{open},{fields}}}")
}

fn nested(depth: usize) -> String {
    format!("{}1{}", "[".repeat(depth), "]".repeat(depth))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn unknown_fields_re_encode_exactly_as_received() {
    let server = Server::sms().await;
    let incoming = fixture("sinch-sms-webhooks", "IncomingSms");
    for fields in [
        r#""big":18446744073709551616,"neg":-18446744073709551617"#,
        r#""thirty":123456789012345678901234567890,"decimal":0.123456789012345678901234567890123"#,
        r#""tiny":1e-400,"huge":1e400,"upper":1E2,"plus":1e+2,"frac":2.50E-3,"zero":-0,"zerof":-0.0"#,
        r#""lone":"\ud800","low":"\udc00x","reversed":"\udc00\ud800","pair":"\ud83d\ude00""#,
        r#""raw":"😀 é \u2028","escapes":"\"\\\/\b\f\n\r\t\u0000\u00E9""#,
        r#""dup":1,"dup":"two","dup":[3,{"dup":4,"dup":5}]"#,
        r#""nested":{"a":[1E2,{"b":"\ud800"}],"a":null}"#,
    ] {
        server.expect_fields_kept("receiveIncomingSms", &incoming, fields).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn an_unknown_field_nests_as_deep_as_the_body_limit_allows() {
    let server = Server::sms().await;
    let incoming = fixture("sinch-sms-webhooks", "IncomingSms");
    let depth = (BODY_LIMIT - incoming.len() - 64) / 2;
    let fields = format!(r#""deep":{}"#, nested(depth));
    assert!(with_fields(&incoming, &fields).len() <= BODY_LIMIT);
    server.expect_fields_kept("receiveIncomingSms", &incoming, &fields).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn json_a_typed_field_cannot_hold_is_kept_as_an_unknown_event() {
    let server = Server::sms().await;
    let incoming = fixture("sinch-sms-webhooks", "IncomingSms");
    let body_field = r#""body": "Yes, 10am tomorrow works for me. Thanks!""#;
    assert!(incoming.contains(body_field));
    // A sender that cuts a string inside an emoji leaves half a surrogate pair.
    let cut = incoming.replace(body_field, r#""body": "Thanks \ud83d""#);
    server.expect_unknown("a lone surrogate in a typed string", &cut, "surrogate").await;
    let report = fixture("sinch-sms-webhooks", "DeliveryReportSms");
    assert!(report.contains(r#""code": 402"#));
    let huge = report.replace(r#""code": 402"#, r#""code": 1e400"#);
    server.expect_unknown("1e400 in a typed number", &huge, "number out of range").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn typed_fields_nest_to_the_documented_depth_and_deeper_is_an_unknown_event() {
    let server = Server::conversation().await;
    let event = fixture("sinch-conversation-webhooks", "ChannelEvent");
    // `additional_data`, a free-form object, is the fourth level of the body.
    let at = r#""additional_data": {"#;
    assert!(event.contains(at));
    let deepest = event.replace(at, &format!(r#"{at}"deep": {},"#, nested(MAX_TYPED_DEPTH - 4)));
    match server.deliver("the deepest typed body", &deepest).await {
        Call::Typed { operation: "receiveChannelEvent", json } => {
            assert!(json.contains(&format!(r#""deep":{}"#, nested(MAX_TYPED_DEPTH - 4))), "{json}");
        }
        other => panic!("the deepest typed body is not a channel event: {other:?}"),
    }
    let deeper = event.replace(at, &format!(r#"{at}"deep": {},"#, nested(MAX_TYPED_DEPTH - 3)));
    server.expect_unknown("one level deeper", &deeper, "recursion limit exceeded").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn a_body_that_fits_no_message_is_kept_byte_for_byte_however_deep() {
    let server = Server::sms().await;
    let deep = nested(BODY_LIMIT / 2 - 8);
    for (context, body) in [
        ("an unknown type", r#"{"type":"hologram","n":1e400,"s":"\ud800","dup":1,"dup":2}"#.to_owned()),
        ("a lone surrogate", r#""\udfff""#.to_owned()),
        ("a number beyond f64", " -1E+400\n".to_owned()),
        ("an array as deep as the limit allows", deep),
        ("an unknown type with a deep field", format!("{{\n \"type\": \"hologram\",\n \"x\": {}\n}}", nested(100_000))),
    ] {
        assert!(body.len() <= BODY_LIMIT, "{context}");
        server.expect_unknown(context, &body, "").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn only_a_body_that_is_not_json_is_refused() {
    let server = Server::sms().await;
    for body in [r#"{"type":"mo_text","body":"\ud80"}"#, r#"{"x":1e}"#, "[[[1]]", r#"{"a":01}"#] {
        let (status, calls) = server.post(body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(calls.is_empty(), "{body}: {calls:?}");
    }
}
