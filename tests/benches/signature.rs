//! What verifying an HMAC-signed callback costs, against computing the same HMAC by hand.
//!
//! `cargo bench -p spec-tests --bench signature`, then `cargo xtask bench-report`.
//!
//! Criterion ids: group `signature`, functions `raw_hmac` (the baseline), `floor` and `verifier`, the
//! body size as the parameter (64 B, 1 KiB, 64 KiB). Both do the same cryptographic work over
//! the same bytes: an HMAC-SHA256 keyed once in advance (the verifier keys when it is built)
//! over `body.nonce.timestamp`, the Base64 signature decoded, the tags compared in constant
//! time. The baseline is handed the nonce, timestamp and signature as strings; the verifier
//! finds them in a realistic `HeaderMap`, checks the algorithm header and the timestamp's age.
//!
//! Both decode the signature with the `base64` crate and compare with `Mac::verify_slice`,
//! `hmac`'s own constant-time check. What the verifier does besides is per request, not per
//! byte: finding the signature, nonce, timestamp and algorithm headers among eight (one pass
//! over the `HeaderMap`, see `RoleHeaders::find` in `runtime/src/webhook/auth/headers.rs`),
//! checking the algorithm, parsing the timestamp and reading the clock.
//!
//! A third function, `floor`, is the least any verifier reading an `http::HeaderMap` must do
//! besides the raw HMAC: one pass over the headers for the four the scheme names, the
//! algorithm check, the timestamp's text check and `str::parse`, one clock read. It is written
//! for this scheme only, with nothing general; the verifier's distance from it is what its
//! generality (roles, signed parts, secrets, encodings) costs.
//!
//! Goal (issue 16): within 1.1x of `raw_hmac` at 1 KiB and above, under 1.5x at 64 B, where
//! that per-request work weighs most. BENCHMARKS.md (`signature`) has the measured figures,
//! the floor's among them, and where the rest goes.

use std::hint::black_box;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use hmac::{Hmac, Mac};
use hookwright_runtime::webhook::{Secret, Verifier};
use http::header::{HeaderName, HeaderValue};
use http::HeaderMap;
use sha2::Sha256;
use sinch_sms_webhooks::webhooks::HMAC_AUTH;

const SECRET: &str = "a-webhook-secret-of-realistic-length";
const NONCE: &str = "01GBBXW5K9F8QZ3T2H7N4RJ6MC";
const TIMESTAMP: i64 = 1_661_350_522;
const SIZES: [(usize, &str); 3] = [(64, "64 B"), (1 << 10, "1 KiB"), (64 << 10, "64 KiB")];

/// Headers an HTTP client sends besides the signature ones.
const ORDINARY_HEADERS: [(&str, &str); 4] = [
    ("host", "callbacks.example.com"),
    ("user-agent", "sinch-webhooks/1.0"),
    ("content-type", "application/json"),
    ("accept", "*/*"),
];

/// A JSON-looking body of exactly `len` bytes.
fn body(len: usize) -> Vec<u8> {
    let mut body = br#"{"type":"mo_text","body":""#.to_vec();
    body.resize(len - 2, b'x');
    body.extend_from_slice(br#""}"#);
    body
}

fn request(body: &[u8]) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for (name, value) in ORDINARY_HEADERS {
        headers.insert(HeaderName::from_static(name), HeaderValue::from_static(value));
    }
    headers.extend(HMAC_AUTH.signed_headers(&Secret::from(SECRET), body, NONCE, TIMESTAMP));
    headers
}

/// The baseline: the HMAC over `body.nonce.timestamp`, the signature decoded from Base64 into
/// a stack buffer, and `verify_slice`'s constant-time comparison.
fn raw_hmac(keyed: &Hmac<Sha256>, body: &[u8], nonce: &[u8], timestamp: &[u8], signature: &str) -> bool {
    let mut tag = [0u8; 32];
    if !matches!(STANDARD.decode_slice(signature, &mut tag), Ok(32)) {
        return false;
    }
    let mut mac = keyed.clone();
    mac.update(body);
    mac.update(b".");
    mac.update(nonce);
    mac.update(b".");
    mac.update(timestamp);
    mac.verify_slice(&tag).is_ok()
}

/// The scheme's four header names, parsed once as the verifier parses them.
struct Names {
    signature: HeaderName,
    algorithm: HeaderName,
    timestamp: HeaderName,
    nonce: HeaderName,
}

impl Names {
    fn of_scheme() -> Self {
        let parse = |name: Option<&str>| HeaderName::from_bytes(name.expect("named").as_bytes()).expect("valid");
        Self {
            signature: parse(Some(HMAC_AUTH.signature_header)),
            algorithm: parse(HMAC_AUTH.algorithm_header),
            timestamp: parse(HMAC_AUTH.timestamp_header),
            nonce: parse(HMAC_AUTH.nonce_header),
        }
    }
}

/// The raw HMAC with the least a verifier must do around it: find the four headers in one pass,
/// check the algorithm, check and parse the timestamp, compare it with the clock.
fn floor(
    names: &Names,
    keyed: &Hmac<Sha256>,
    clock: &dyn Fn() -> SystemTime,
    headers: &HeaderMap,
    body: &[u8],
) -> bool {
    let (mut signature, mut algorithm, mut timestamp, mut nonce) = (None, None, None, None);
    for (name, value) in headers {
        let slot = if *name == names.signature {
            &mut signature
        } else if *name == names.algorithm {
            &mut algorithm
        } else if *name == names.timestamp {
            &mut timestamp
        } else if *name == names.nonce {
            &mut nonce
        } else {
            continue;
        };
        slot.get_or_insert(value);
    }
    let (Some(signature), Some(timestamp), Some(nonce)) = (signature, timestamp, nonce) else {
        return false;
    };
    if algorithm.is_some_and(|algorithm| !algorithm.as_bytes().eq_ignore_ascii_case(HMAC_AUTH.algorithm.as_bytes())) {
        return false;
    }
    let Some(seconds) = timestamp.to_str().ok().and_then(|text| text.parse::<i64>().ok()) else {
        return false;
    };
    let Ok(signature) = signature.to_str() else { return false };
    if !raw_hmac(keyed, body, nonce.as_bytes(), timestamp.as_bytes(), signature) {
        return false;
    }
    let now = clock().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_secs());
    u64::try_from(seconds).is_ok_and(|seconds| seconds.abs_diff(now) <= 300)
}

fn signature(c: &mut Criterion) {
    let now = UNIX_EPOCH + Duration::from_secs(TIMESTAMP.unsigned_abs());
    let verifier = Verifier::hmac(HMAC_AUTH, SECRET).clock(move || now);
    let clock = move || now;
    let names = Names::of_scheme();
    let keyed = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).expect("any key length");
    let timestamp = TIMESTAMP.to_string();
    let mut group = c.benchmark_group("signature");
    for (len, label) in SIZES {
        let body = body(len);
        let headers = request(&body);
        let signature = headers[HMAC_AUTH.signature_header].to_str().expect("ASCII").to_owned();
        assert!(
            raw_hmac(&keyed, &body, NONCE.as_bytes(), timestamp.as_bytes(), &signature),
            "the baseline checks the same signature"
        );
        assert!(floor(&names, &keyed, &clock, &headers, &body), "the floor accepts the request");
        verifier.verify(&headers, &body).expect("the verifier accepts the request");
        group.throughput(Throughput::Bytes(len as u64));
        group.bench_function(BenchmarkId::new("raw_hmac", label), |b| {
            b.iter(|| raw_hmac(&keyed, black_box(&body), NONCE.as_bytes(), timestamp.as_bytes(), &signature))
        });
        group.bench_function(BenchmarkId::new("floor", label), |b| {
            b.iter(|| floor(&names, &keyed, &clock, black_box(&headers), black_box(&body)))
        });
        group.bench_function(BenchmarkId::new("verifier", label), |b| {
            b.iter(|| verifier.verify(black_box(&headers), black_box(&body)))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(3));
    targets = signature
}
criterion_main!(benches);
