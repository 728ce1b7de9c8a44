//! Slow, idle and lying clients against the runtime's server (`hookwright_runtime::serve`), over
//! raw TCP on 127.0.0.1: the generated SMS receiver and the Provisioning stand-in, served with
//! short limits so that each test is quick.
//!
//! What is checked: headers sent a byte at a time are cut off while another client is served;
//! an idle connection, kept alive or never used, is closed; a body sent in part is answered 408
//! and the connection closed; a declared `Content-Length` over the limit is answered 413 before
//! the body is read, and the connection closed; connections beyond the bound wait and are served
//! once slots free; a client that reads none of a large answer is cut off and its slot freed,
//! while one that reads it slowly but steadily receives all of it. The stand-in answers 408 and
//! 413 in its API's error shape.
//!
//! Outcomes are asserted, not durations: every read has a 10 s guard only so that a broken
//! server fails the test instead of hanging it.

#[allow(dead_code)] // The example's `main` and command line are not used here.
#[rustfmt::skip]
#[path = "../../generated/sinch-provisioning/examples/stand_in.rs"]
mod stand_in;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hookwright_runtime::axum::body::Bytes;
use hookwright_runtime::axum::routing::get;
use hookwright_runtime::axum::Router;
use hookwright_runtime::http::StatusCode;
use hookwright_runtime::serve::{run, Limits};
use hookwright_runtime::webhook::{Disposition, Verifier};
use serde_json::Value;
use sinch_sms_webhooks::webhooks as sms;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::time::timeout;

/// The guard against a hang: far beyond any limit the tests configure.
const GUARD: Duration = Duration::from_secs(10);
/// The timeouts the tests configure.
const SHORT: Duration = Duration::from_millis(300);
/// The size of a large answer: far more than the kernel's buffers of a connection hold (the
/// server's send buffer grows to 4 MiB at most by default on Linux, and [`narrow`] keeps the
/// client's receive buffer small).
const LARGE: usize = 16 << 20;

const BATCH: &str = r#"{"id":"01","type":"mo_text","from":"1","to":"2","body":"hi","received_at":"2024-01-01T00:00:00Z","operator_id":"x"}"#;

/// Accepts every callback.
struct Accept;

impl sms::Handler for Accept {}

/// The SMS receiver, without authentication, with a body limit of `limit` bytes.
fn receiver(limit: usize) -> Router {
    sms::router(sms::Receiver::new(Verifier::none()).max_body_bytes(limit), Accept)
}

/// The stand-in, accepting any Bearer token.
fn stand_in() -> Router {
    sinch_provisioning::operations::router(stand_in::StandIn::new().server(None, None))
}

/// A router with `GET /large`, answering [`LARGE`] bytes, and `GET /small`.
fn large_answer() -> Router {
    let large = Bytes::from(vec![b'x'; LARGE]);
    Router::new().route("/large", get(move || async move { large.clone() })).route("/small", get(|| async { "small" }))
}

/// A connection to `address` with a small receive buffer (which also turns off the kernel's
/// growing of it): the server's writes wait for this client's reads after a few MiB at most.
async fn narrow(address: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(64 << 10).unwrap();
    socket.connect(address).await.unwrap()
}

/// A request for `path` that asks for the connection to be closed after its answer.
fn get_and_close(path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
}

/// Head and body timeouts of [`SHORT`], and `connections` at once.
fn short(connections: usize) -> Limits {
    Limits::default().request_head(SHORT).request_body(SHORT).max_connections(connections)
}

/// Serves `router` within `limits` on a free port of 127.0.0.1.
async fn start(router: Router, limits: Limits) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { run(listener, router, &limits).await });
    address
}

/// Reads until the server closes the connection (a reset counts as closed): what it sent.
async fn read_until_closed(stream: &mut TcpStream) -> String {
    let mut received = Vec::new();
    let read = timeout(GUARD, async {
        let mut buffer = [0; 4096];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received.extend_from_slice(&buffer[..n]),
            }
        }
    });
    assert!(read.await.is_ok(), "the server kept the connection open past the guard");
    String::from_utf8_lossy(&received).into_owned()
}

/// Sends `request` on a new connection and reads until the server closes it.
async fn exchange(address: SocketAddr, request: &str) -> String {
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    read_until_closed(&mut stream).await
}

/// A complete callback that asks for the connection to be closed after its answer.
fn callback(connection: &str) -> String {
    format!(
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: {connection}\r\nContent-Length: {}\r\n\r\n{BATCH}",
        BATCH.len()
    )
}

fn status_line(response: &str) -> &str {
    response.lines().next().unwrap_or_default()
}

fn closes(response: &str) -> bool {
    response.to_ascii_lowercase().contains("\r\nconnection: close\r\n")
}

/// `response` has `status` and says that the server closes the connection after it.
fn assert_answered_then_closed(response: &str, status: &str) {
    assert_eq!(status_line(response), status, "{response}");
    assert!(closes(response), "{response}");
}

/// The JSON body of a response.
fn body(response: &str) -> Value {
    let (_, body) = response.split_once("\r\n\r\n").unwrap_or_default();
    serde_json::from_str(body).unwrap_or(Value::Null)
}

#[tokio::test]
async fn headers_sent_a_byte_at_a_time_are_cut_off_while_others_are_served() {
    let address = start(receiver(1 << 20), short(16)).await;
    let mut slow = TcpStream::connect(address).await.unwrap();
    // At 20 bytes a second these headers would take 20 s to arrive.
    let head = format!("POST / HTTP/1.1\r\nHost: x\r\nX-Padding: {}\r\n\r\n", "a".repeat(370));
    let mut sent = 0;
    let mut served = None;
    for byte in head.as_bytes() {
        if slow.write_all(&[*byte]).await.is_err() {
            break;
        }
        sent += 1;
        if served.is_none() {
            served = Some(exchange(address, &callback("close")).await);
        }
        let mut probe = [0; 1];
        // A closed connection reads as end of stream (or an error) at once.
        if let Ok(Ok(0) | Err(_)) = timeout(Duration::from_millis(50), slow.read(&mut probe)).await {
            break;
        }
    }
    assert!(sent < head.len(), "all {sent} bytes of the slow headers were accepted");
    assert_eq!(status_line(&served.unwrap()), "HTTP/1.1 200 OK");
}

#[tokio::test]
async fn an_idle_connection_is_closed_whether_used_before_or_not() {
    let address = start(receiver(1 << 20), short(16)).await;
    let mut silent = TcpStream::connect(address).await.unwrap();
    assert_eq!(read_until_closed(&mut silent).await, "");
    // Kept alive after its answer, then idle: the answer, then the end of the connection.
    let kept = exchange(address, &callback("keep-alive")).await;
    assert_eq!(status_line(&kept), "HTTP/1.1 200 OK");
    assert!(!closes(&kept), "{kept}");
}

#[tokio::test]
async fn a_body_sent_in_part_is_answered_408_and_the_connection_closed() {
    let records = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&records);
    let dispatcher = sms::Dispatcher::new(sms::Receiver::new(Verifier::none()), Accept)
        .inspect(move |record| seen.lock().unwrap().push((record.status, record.outcome)));
    let address = start(hookwright_runtime::webhook::axum::router(dispatcher), short(16)).await;
    let request = "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"id\":";
    let response = exchange(address, request).await;
    assert_answered_then_closed(&response, "HTTP/1.1 408 Request Timeout");
    // Like every refusal, it is one record (and one log line) of the dispatcher.
    assert_eq!(*records.lock().unwrap(), [(StatusCode::REQUEST_TIMEOUT, Disposition::Refused)]);
}

#[tokio::test]
async fn a_declared_length_over_the_limit_is_413_at_once_and_the_connection_closed() {
    // Timeouts far beyond the guard: a 413 before it cannot have waited for one of them.
    let patient = Limits::default().request_head(Duration::from_secs(60)).request_body(Duration::from_secs(60));
    let address = start(receiver(1 << 20), patient).await;
    let request = "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n{}";
    let response = exchange(address, request).await;
    assert_answered_then_closed(&response, "HTTP/1.1 413 Payload Too Large");
    // A body over the limit without a declared length is refused once the limit is passed.
    let address = start(receiver(16), short(16)).await;
    let chunked = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{BATCH}\r\n",
        BATCH.len()
    );
    let response = exchange(address, &chunked).await;
    assert_answered_then_closed(&response, "HTTP/1.1 413 Payload Too Large");
}

#[tokio::test]
async fn connections_beyond_the_bound_wait_until_a_slot_frees() {
    let patient = Limits::default().request_head(Duration::from_secs(60)).max_connections(2);
    let address = start(receiver(1 << 20), patient).await;
    let mut idle = Vec::new();
    for _ in 0..2 {
        let mut stream = TcpStream::connect(address).await.unwrap();
        // A byte of a request: the connection is surely accepted and holds its slot.
        stream.write_all(b"P").await.unwrap();
        idle.push(stream);
    }
    let mut waiting = TcpStream::connect(address).await.unwrap();
    waiting.write_all(callback("close").as_bytes()).await.unwrap();
    // Waiting a moment cannot fail a correct server (nothing arrives until a slot frees); a
    // server without the bound answers within it.
    let mut first = [0; 1];
    let early = timeout(Duration::from_millis(300), waiting.read(&mut first)).await;
    assert!(early.is_err(), "a third connection was served while two held both slots");
    drop(idle.pop());
    let response = read_until_closed(&mut waiting).await;
    assert_eq!(status_line(&response), "HTTP/1.1 200 OK");
}

#[tokio::test]
async fn idle_connections_beyond_the_bound_delay_a_client_only_until_they_time_out() {
    let address = start(receiver(1 << 20), short(2)).await;
    let mut idle = Vec::new();
    for _ in 0..6 {
        idle.push(TcpStream::connect(address).await.unwrap());
    }
    let response = exchange(address, &callback("close")).await;
    assert_eq!(status_line(&response), "HTTP/1.1 200 OK");
    for stream in &mut idle {
        assert_eq!(read_until_closed(stream).await, "");
    }
}

#[tokio::test]
async fn the_stand_in_answers_408_and_413_in_its_error_shape() {
    let address = start(stand_in(), short(16)).await;
    let head = |length: usize| {
        format!(
            "POST /v1/projects/p/webhooks HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
        )
    };
    for (length, status, name) in [
        (2_000_000, "HTTP/1.1 413 Payload Too Large", "payload_too_large"),
        (100, "HTTP/1.1 408 Request Timeout", "request_timeout"),
    ] {
        let response = exchange(address, &format!("{}{{\"target\":", head(length))).await;
        assert_answered_then_closed(&response, status);
        let error = body(&response);
        assert_eq!(error["errorCode"], name, "{response}");
        assert!(error["resolution"].as_str().is_some_and(|text| !text.is_empty()), "{response}");
    }
    // Slow headers reach the stand-in no more than the receiver.
    let mut slow = TcpStream::connect(address).await.unwrap();
    slow.write_all(b"GET /v1/projects/p/webhooks HTTP/1.1\r\n").await.unwrap();
    assert_eq!(read_until_closed(&mut slow).await, "");
}

#[tokio::test]
async fn a_client_that_reads_none_of_a_large_answer_is_cut_off_and_its_slot_freed() {
    // Only the stall timeout can free the one slot before the guard.
    let patient = Limits::default().request_head(Duration::from_secs(60)).response_stall(SHORT).max_connections(1);
    let address = start(large_answer(), patient).await;
    let mut reads_nothing = narrow(address).await;
    reads_nothing.write_all(get_and_close("/large").as_bytes()).await.unwrap();
    // Accepted only once the first connection has given back its slot.
    let served = exchange(address, &get_and_close("/small")).await;
    assert_eq!(status_line(&served), "HTTP/1.1 200 OK");
    // What the kernel still held of the answer, and then the end: never the whole body.
    let response = read_until_closed(&mut reads_nothing).await;
    assert_eq!(status_line(&response), "HTTP/1.1 200 OK");
    let (_, body) = response.split_once("\r\n\r\n").unwrap_or_default();
    assert!(body.len() < LARGE, "all {LARGE} bytes were sent to a client that read none of them");
}

#[tokio::test]
async fn a_slow_but_steady_reader_of_a_large_answer_receives_all_of_it() {
    let address = start(large_answer(), short(1)).await;
    let mut stream = narrow(address).await;
    stream.write_all(get_and_close("/large").as_bytes()).await.unwrap();
    // A pause of a sixth of the limit after each MiB: each stalls the server's writes for less
    // than the limit, and the 16 pauses add up to more than it, which a limit on the whole
    // response would not allow.
    let pause = SHORT / 6;
    let mut received = Vec::new();
    let mut buffer = vec![0; 64 << 10];
    loop {
        let read = timeout(GUARD, stream.read(&mut buffer)).await;
        let Ok(Ok(n @ 1..)) = read else { break };
        let mebibytes = received.len() >> 20;
        received.extend_from_slice(&buffer[..n]);
        if received.len() >> 20 > mebibytes {
            tokio::time::sleep(pause).await;
        }
    }
    let response = String::from_utf8_lossy(&received);
    assert_eq!(status_line(&response), "HTTP/1.1 200 OK");
    let (_, body) = response.split_once("\r\n\r\n").unwrap_or_default();
    assert_eq!(body.len(), LARGE, "the answer was cut off");
}
