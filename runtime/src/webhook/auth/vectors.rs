//! Schemes, known-good vectors and request builders shared by the tests of `auth`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use http::header::{HeaderName, HeaderValue};
use http::HeaderMap;

use super::{AuthError, Encoding, HmacScheme, SecretFormat, Signed, Verifier};
use crate::Secret;

pub(super) const SINCH: HmacScheme = HmacScheme::SINCH;

/// A scheme unlike Sinch's: hex, no nonce, no algorithm header, the body signed last.
pub(super) const HEX: HmacScheme = HmacScheme {
    signature_header: "x-signature",
    encoding: Encoding::Hex,
    signature_prefix: "",
    several_signatures: false,
    secret: SecretFormat::Utf8,
    algorithm_header: None,
    algorithm: "HmacSHA256",
    nonce_header: None,
    timestamp_header: Some("x-timestamp"),
    signed: &[Signed::Literal("v0:"), Signed::Header("x-timestamp"), Signed::Literal(":"), Signed::Body],
};

pub(super) const SIGNATURE: &str = "x-sinch-webhook-signature";
pub(super) const NONCE: &str = "x-sinch-webhook-signature-nonce";
pub(super) const TIMESTAMP: &str = "x-sinch-webhook-signature-timestamp";
pub(super) const ALGORITHM: &str = "x-sinch-webhook-signature-algorithm";

// The known-good vector from Sinch's SDK tests.
pub(super) const VECTOR_SECRET: &str = "foo_secret1234";
pub(super) const VECTOR_NONCE: &str = "01FJA8B4A7BM43YGWSG9GBV067";
pub(super) const VECTOR_TIMESTAMP: i64 = 1_634_579_353;
pub(super) const VECTOR_SIGNATURE: &str = "6bpJoRmFoXVjfJIVglMoJzYXxnoxRujzR4k2GOXewOE=";
pub(super) const VECTOR_BODY: &str = r#"{"app_id":"","accepted_time":"2021-10-18T17:49:13.813615Z","project_id":"e2df3a34-a71b-4448-9db5-a8d2baad28e4","contact_create_notification":{"contact":{"id":"01FJA8B466Y0R2GNXD78MD9SM1","channel_identities":[{"channel":"SMS","identity":"48123456789","app_id":""}],"display_name":"New Test Contact","email":"new.contact@email.com","external_id":"","metadata":"","language":"EN_US"}},"message_metadata":""}"#;

/// 2026-05-28T20:26:40Z.
pub(super) const NOW_2026: i64 = 1_780_000_000;
/// The timestamp of the vectors computed for these tests.
pub(super) const TEST_TIMESTAMP: i64 = 1_700_000_000;

pub(super) const PASSWORD: &str = "open sesame";

/// A clock stopped at `unix_seconds` (at or after the epoch).
pub(super) fn at(unix_seconds: i64) -> impl Fn() -> SystemTime + Send + Sync + 'static {
    let since_epoch = Duration::from_secs(unix_seconds.unsigned_abs());
    move || UNIX_EPOCH + since_epoch
}

pub(super) fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        let name = HeaderName::from_bytes(name.as_bytes()).unwrap();
        map.append(name, HeaderValue::from_str(value).unwrap());
    }
    map
}

pub(super) fn sinch_headers(signature: &str, nonce: &str, timestamp: i64) -> HeaderMap {
    headers(&[(SIGNATURE, signature), (NONCE, nonce), (TIMESTAMP, &timestamp.to_string()), (ALGORITHM, "HmacSHA256")])
}

pub(super) fn vector_headers() -> HeaderMap {
    sinch_headers(VECTOR_SIGNATURE, VECTOR_NONCE, VECTOR_TIMESTAMP)
}

pub(super) fn vector_verifier() -> Verifier {
    Verifier::hmac(SINCH, VECTOR_SECRET).clock(at(VECTOR_TIMESTAMP))
}

pub(super) fn without(mut map: HeaderMap, name: &str) -> HeaderMap {
    map.remove(name);
    map
}

pub(super) fn with(mut map: HeaderMap, name: &str, value: &str) -> HeaderMap {
    let name = HeaderName::from_bytes(name.as_bytes()).unwrap();
    map.insert(name, HeaderValue::from_str(value).unwrap());
    map
}

pub(super) fn basic_verifier() -> Verifier {
    Verifier::basic("alice", PASSWORD)
}

pub(super) fn authorization(value: &str) -> HeaderMap {
    headers(&[("authorization", value)])
}

/// An `authorization` header carrying `credentials` (`username:password`) the Basic way.
pub(super) fn basic_credentials(credentials: &str) -> HeaderMap {
    authorization(&format!("Basic {}", STANDARD.encode(credentials)))
}

/// Checks that a verifier given two secrets (a rotation, or two apps) accepts a request signed
/// with either, and refuses one signed with a third.
pub(super) fn assert_rotation(scheme: HmacScheme, body: &[u8]) {
    let [old, new, third] = ["the-old-secret", "the-new-secret", "another-apps-secret"];
    let verifier = Verifier::hmac_any(scheme, [old, new]).clock(at(TEST_TIMESTAMP));
    for (secret, expected) in [(old, Ok(())), (new, Ok(())), (third, Err(AuthError::SignatureMismatch))] {
        let headers = scheme.signed_headers(&Secret::new(secret), body, "nonce-rotation", TEST_TIMESTAMP);
        assert_eq!(verifier.verify(&headers, body), expected, "{scheme:?} signed with {secret}");
    }
}
