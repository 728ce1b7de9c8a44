//! The HMAC verifier against known-good vectors, tampered, stale and malformed requests.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::header::{HeaderName, HeaderValue};
use http::HeaderMap;

use crate::webhook::auth::error::*;
use crate::webhook::auth::vectors::*;
use crate::webhook::auth::{HmacScheme, Signed, Verifier};
use crate::Secret;

fn sinch_verifier(secret: &str) -> Verifier {
    Verifier::hmac(SINCH, secret).clock(at(TEST_TIMESTAMP))
}

#[test]
fn known_vector_verifies_at_its_timestamp() {
    let result = vector_verifier().verify(&vector_headers(), VECTOR_BODY.as_bytes());
    assert_eq!(result, Ok(()));
}

#[test]
fn known_vector_is_reproduced_by_sign() {
    let signature = SINCH.sign(&Secret::new(VECTOR_SECRET), VECTOR_BODY.as_bytes(), &vector_headers());
    assert_eq!(signature.as_deref(), Ok(VECTOR_SIGNATURE));
}

#[test]
fn known_vector_is_stale_in_2026() {
    let verifier = vector_verifier().max_age(Some(Duration::from_secs(300))).clock(at(NOW_2026));
    let result = verifier.verify(&vector_headers(), VECTOR_BODY.as_bytes());
    let expected = AuthError::Stale { timestamp: VECTOR_TIMESTAMP, now: NOW_2026, max_age_secs: 300 };
    assert_eq!(result, Err(expected));
}

#[test]
fn known_vector_is_stale_by_the_system_clock() {
    let verifier = Verifier::hmac(SINCH, VECTOR_SECRET);
    let result = verifier.verify(&vector_headers(), VECTOR_BODY.as_bytes());
    assert!(matches!(result, Err(AuthError::Stale { max_age_secs: 300, .. })), "{result:?}");
}

#[test]
fn known_vector_verifies_in_2026_without_max_age() {
    let verifier = vector_verifier().clock(at(NOW_2026)).max_age(None);
    assert_eq!(verifier.verify(&vector_headers(), VECTOR_BODY.as_bytes()), Ok(()));
}

#[test]
fn timestamp_tolerance_is_inclusive_in_both_directions() {
    let max_age = Some(Duration::from_secs(300));
    let verify_at = |now| {
        let verifier = vector_verifier().max_age(max_age).clock(at(now));
        verifier.verify(&vector_headers(), VECTOR_BODY.as_bytes())
    };
    assert_eq!(verify_at(VECTOR_TIMESTAMP + 300), Ok(()));
    assert_eq!(verify_at(VECTOR_TIMESTAMP - 300), Ok(()));
    assert!(matches!(verify_at(VECTOR_TIMESTAMP + 301), Err(AuthError::Stale { .. })));
    assert!(matches!(verify_at(VECTOR_TIMESTAMP - 301), Err(AuthError::Stale { .. })));
}

#[test]
fn timestamp_tolerance_counts_whole_seconds_of_the_clock() {
    let verify_at = |now: SystemTime| {
        let verifier = vector_verifier().clock(move || now);
        verifier.verify(&vector_headers(), VECTOR_BODY.as_bytes())
    };
    let signed = UNIX_EPOCH + Duration::from_secs(VECTOR_TIMESTAMP.unsigned_abs());
    let max_age = Duration::from_secs(300);
    let stale = |now| Err(AuthError::Stale { timestamp: VECTOR_TIMESTAMP, now, max_age_secs: 300 });
    let almost_a_second = Duration::from_nanos(999_999_999);
    assert_eq!(verify_at(signed + max_age + almost_a_second), Ok(()));
    assert_eq!(verify_at(signed - max_age), Ok(()));
    assert_eq!(verify_at(signed + max_age + Duration::from_secs(1)), stale(VECTOR_TIMESTAMP + 301));
    assert_eq!(verify_at(signed - max_age - Duration::from_nanos(1)), stale(VECTOR_TIMESTAMP - 301));
    assert_eq!(verify_at(UNIX_EPOCH - Duration::from_millis(10_500)), stale(-10));
}

#[test]
fn forged_stale_request_reports_mismatch_not_stale() {
    let verifier = vector_verifier().clock(at(NOW_2026));
    let result = verifier.verify(&vector_headers(), b"{}");
    assert_eq!(result, Err(AuthError::SignatureMismatch));
}

#[test]
fn empty_body_vector() {
    let signature = "odTZzlVFatMLaWjJkfkTAVhs8XpJilNjMnjxEZ4h25Q=";
    let map = sinch_headers(signature, "nonce-empty", TEST_TIMESTAMP);
    assert_eq!(sinch_verifier("empty_body_secret").verify(&map, b""), Ok(()));
}

#[test]
fn crlf_and_lf_bodies_sign_differently() {
    let lf = (b"{\n  \"a\": 1\n}".as_slice(), "MsCwIMn8bhr5GHFkx6XuDO5en1bDnWHfs821r0Zs46E=");
    let crlf = (b"{\r\n  \"a\": 1\r\n}".as_slice(), "67qnP1lQRs+AJAJVrZDwgLnP5rwdkrd5bM7kLLRdZDU=");
    let verifier = sinch_verifier("line_secret");
    let map = |signature| sinch_headers(signature, "nonce-lines", TEST_TIMESTAMP);
    assert_eq!(verifier.verify(&map(lf.1), lf.0), Ok(()));
    assert_eq!(verifier.verify(&map(crlf.1), crlf.0), Ok(()));
    assert_eq!(verifier.verify(&map(lf.1), crlf.0), Err(AuthError::SignatureMismatch));
    assert_eq!(verifier.verify(&map(crlf.1), lf.0), Err(AuthError::SignatureMismatch));
}

#[test]
fn non_ascii_secret_is_used_as_utf8() {
    let signature = "MnbY8W5qR0ZdO3rEcwdX1SOXz9mvrPsXiTQa0bM/bp0=";
    let map = sinch_headers(signature, "nonce-utf8", TEST_TIMESTAMP);
    assert_eq!(sinch_verifier("sécret-密钥-🔑").verify(&map, br#"{"x":"y"}"#), Ok(()));
}

#[test]
fn secret_longer_than_a_block_is_hashed_first() {
    let signature = "vo9EoQq7w3Gi+9k7f6j/bRb+Iau95ZUlFzfBgCFcFoQ=";
    let map = sinch_headers(signature, "nonce-long", TEST_TIMESTAMP);
    assert_eq!(sinch_verifier(&"k".repeat(100)).verify(&map, br#"{"x":"y"}"#), Ok(()));
}

#[test]
fn hex_scheme_vector_verifies_in_either_case() {
    let signature = "5a4b5052012aacf1bc620ed02081821138af78a31f3a544a73edda91661e0995";
    let body = br#"{"event":"ping"}"#;
    let verifier = Verifier::hmac(HEX, "hex_secret").clock(at(TEST_TIMESTAMP));
    let map = |signature: &str| headers(&[("x-signature", signature), ("x-timestamp", "1700000000")]);
    assert_eq!(verifier.verify(&map(signature), body), Ok(()));
    assert_eq!(verifier.verify(&map(&signature.to_uppercase()), body), Ok(()));
    assert_eq!(verifier.verify(&map(signature), b"{}"), Err(AuthError::SignatureMismatch));
}

#[test]
fn hex_scheme_rejects_bad_hex_and_wrong_length() {
    let verifier = Verifier::hmac(HEX, "hex_secret").clock(at(TEST_TIMESTAMP));
    let verify = |signature: &str| {
        let map = headers(&[("x-signature", signature), ("x-timestamp", "1700000000")]);
        verifier.verify(&map, b"")
    };
    let invalid = |reason| Err(AuthError::InvalidHeader { header: "x-signature", reason });
    assert_eq!(verify(&"zz".repeat(32)), invalid(NOT_HEX));
    assert_eq!(verify("+a".repeat(32).as_str()), invalid(NOT_HEX));
    assert_eq!(verify("abcd"), invalid(WRONG_TAG_LENGTH));
}

#[test]
fn tampered_body_is_a_mismatch() {
    let mut body = VECTOR_BODY.as_bytes().to_vec();
    body.push(b' ');
    let result = vector_verifier().verify(&vector_headers(), &body);
    assert_eq!(result, Err(AuthError::SignatureMismatch));
}

#[test]
fn wrong_secret_is_a_mismatch() {
    let verifier = Verifier::hmac(SINCH, "foo_secret1235").clock(at(VECTOR_TIMESTAMP));
    let result = verifier.verify(&vector_headers(), VECTOR_BODY.as_bytes());
    assert_eq!(result, Err(AuthError::SignatureMismatch));
}

#[test]
fn tampered_nonce_is_a_mismatch() {
    let map = with(vector_headers(), NONCE, "01FJA8B4A7BM43YGWSG9GBV068");
    let result = vector_verifier().verify(&map, VECTOR_BODY.as_bytes());
    assert_eq!(result, Err(AuthError::SignatureMismatch));
}

#[test]
fn missing_headers_are_named() {
    for name in [SIGNATURE, NONCE, TIMESTAMP] {
        let result = vector_verifier().verify(&without(vector_headers(), name), VECTOR_BODY.as_bytes());
        let expected = AuthError::MissingHeader(name);
        assert_eq!(result, Err(expected.clone()), "without {name}");
        let unchecked = vector_verifier().max_age(None);
        let result = unchecked.verify(&without(vector_headers(), name), VECTOR_BODY.as_bytes());
        assert_eq!(result, Err(expected), "without {name}, no max age");
    }
}

#[test]
fn bad_base64_signature_is_invalid() {
    let map = with(vector_headers(), SIGNATURE, "6bpJoRmFoXVjfJIVglMoJzYXxnoxRujzR4k2GOXewO!=");
    let result = vector_verifier().verify(&map, VECTOR_BODY.as_bytes());
    let expected = AuthError::InvalidHeader { header: SIGNATURE, reason: NOT_BASE64 };
    assert_eq!(result, Err(expected));
}

#[test]
fn unpadded_base64_signature_is_invalid() {
    let map = with(vector_headers(), SIGNATURE, VECTOR_SIGNATURE.trim_end_matches('='));
    let result = vector_verifier().verify(&map, VECTOR_BODY.as_bytes());
    assert!(matches!(result, Err(AuthError::InvalidHeader { header: SIGNATURE, .. })), "{result:?}");
}

#[test]
fn signature_of_the_wrong_length_is_invalid() {
    let sha1_length = "hZxbJL4zVyn5Xx5QRCfogzdj3LU=";
    let too_long = format!("{VECTOR_SIGNATURE}AAAA");
    for signature in [sha1_length, too_long.as_str()] {
        let map = with(vector_headers(), SIGNATURE, signature);
        let result = vector_verifier().verify(&map, VECTOR_BODY.as_bytes());
        let expected = AuthError::InvalidHeader { header: SIGNATURE, reason: WRONG_TAG_LENGTH };
        assert_eq!(result, Err(expected), "{signature}");
    }
}

#[test]
fn base64_signatures_the_crate_rejects_are_still_explained() {
    let invalid = |signature: &str, reason| {
        let map = with(vector_headers(), SIGNATURE, signature);
        let expected = AuthError::InvalidHeader { header: SIGNATURE, reason };
        let result = vector_verifier().verify(&map, VECTOR_BODY.as_bytes());
        assert_eq!(result, Err(expected), "{signature}");
    };
    // 44 characters, but not 43 and one `=` with the last one's 2 unused bits zero ("E"
    // is 000100, "F" 000101), and not all Base64.
    invalid("6bpJoRmFoXVjfJIVglMoJzYXxnoxRujzR4k2GOXewOF=", NOT_BASE64);
    invalid("6bpJoRmFoXVjfJIVglMoJzYXxnoxRujzR4k2GOXew===", NOT_BASE64);
    invalid("6bpJoRmFoXVjfJIVglMoJzYXxnoxRujzR4k2GOXewO==", NOT_BASE64);
    invalid("6bpJoRmFoXVjfJIVglMoJzYXxnoxRujzR4k2GOXewA==", WRONG_TAG_LENGTH);
    invalid("6bpJoRmFoXVjfJIVglMoJzYXxnoxRujzR4k2GOXewOEA", WRONG_TAG_LENGTH);
    invalid("6bpJoRmFoXVjfJIVglMoJzYXxnoxRujzR4k2GOXew-E=", NOT_BASE64);
}

#[test]
fn non_ascii_signature_header_is_invalid() {
    let mut map = vector_headers();
    map.insert(SIGNATURE, HeaderValue::from_bytes(b"\xff\xfe").unwrap());
    let result = vector_verifier().verify(&map, VECTOR_BODY.as_bytes());
    let expected = AuthError::InvalidHeader { header: SIGNATURE, reason: NOT_VISIBLE_ASCII };
    assert_eq!(result, Err(expected));
}

#[test]
fn non_integer_timestamp_is_invalid() {
    for timestamp in ["1634579353.5", "yesterday", ""] {
        let map = with(vector_headers(), TIMESTAMP, timestamp);
        let result = vector_verifier().verify(&map, VECTOR_BODY.as_bytes());
        let expected = AuthError::InvalidHeader { header: TIMESTAMP, reason: NOT_UNIX_SECONDS };
        assert_eq!(result, Err(expected), "{timestamp:?}");
    }
}

#[test]
fn other_algorithm_is_unsupported() {
    let map = with(vector_headers(), ALGORITHM, "HmacSHA1");
    let result = vector_verifier().verify(&map, VECTOR_BODY.as_bytes());
    let expected = AuthError::UnsupportedAlgorithm { header: ALGORITHM, value: "HmacSHA1".into() };
    assert_eq!(result, Err(expected));
}

#[test]
fn absent_algorithm_header_still_verifies() {
    let map = without(vector_headers(), ALGORITHM);
    assert_eq!(vector_verifier().verify(&map, VECTOR_BODY.as_bytes()), Ok(()));
}

#[test]
fn algorithm_header_value_is_case_insensitive() {
    let map = with(vector_headers(), ALGORITHM, "HMACSHA256");
    assert_eq!(vector_verifier().verify(&map, VECTOR_BODY.as_bytes()), Ok(()));
}

#[test]
fn header_names_are_case_insensitive() {
    let mut scheme = SINCH;
    scheme.signature_header = "X-Sinch-Webhook-Signature";
    let verifier = Verifier::hmac(scheme, VECTOR_SECRET).clock(at(VECTOR_TIMESTAMP));
    assert_eq!(verifier.verify(&vector_headers(), VECTOR_BODY.as_bytes()), Ok(()));
}

#[test]
fn a_header_named_in_two_cases_fills_both_roles() {
    let signature = "5a4b5052012aacf1bc620ed02081821138af78a31f3a544a73edda91661e0995";
    let body = br#"{"event":"ping"}"#;
    let mut scheme = HEX;
    scheme.timestamp_header = Some("X-Timestamp");
    let map = |timestamp: &str| headers(&[("x-signature", signature), ("x-timestamp", timestamp)]);
    let verifier = Verifier::hmac(scheme, "hex_secret").clock(at(TEST_TIMESTAMP));
    assert_eq!(verifier.verify(&map("1700000000"), body), Ok(()));
    let late = Verifier::hmac(scheme, "hex_secret").clock(at(NOW_2026));
    assert!(matches!(late.verify(&map("1700000000"), body), Err(AuthError::Stale { .. })));
}

#[test]
fn the_first_of_repeated_headers_is_used() {
    let mut map = vector_headers();
    map.append(SIGNATURE, HeaderValue::from_static("bm90IHRoZSBzaWduYXR1cmU="));
    assert_eq!(vector_verifier().verify(&map, VECTOR_BODY.as_bytes()), Ok(()));
    let mut map = without(vector_headers(), SIGNATURE);
    map.append(SIGNATURE, HeaderValue::from_static("bm90IHRoZSBzaWduYXR1cmU="));
    map.append(SIGNATURE, HeaderValue::from_static(VECTOR_SIGNATURE));
    let expected = AuthError::InvalidHeader { header: SIGNATURE, reason: WRONG_TAG_LENGTH };
    assert_eq!(vector_verifier().verify(&map, VECTOR_BODY.as_bytes()), Err(expected));
}

#[test]
fn a_look_alike_header_name_is_not_taken_for_a_scheme_header() {
    let lookalike = "x-sinch-webhook-signaturx-timestamp";
    assert_eq!(lookalike.len(), TIMESTAMP.len());
    let mut map = headers(&[(lookalike, "0")]);
    map.extend(vector_headers());
    assert_eq!(vector_verifier().verify(&map, VECTOR_BODY.as_bytes()), Ok(()));
    let map = with(without(vector_headers(), TIMESTAMP), lookalike, "1634579353");
    let result = vector_verifier().verify(&map, VECTOR_BODY.as_bytes());
    assert_eq!(result, Err(AuthError::MissingHeader(TIMESTAMP)));
}

/// A scheme signing the body, then a timestamp, with its signature and timestamp headers
/// named as given.
fn named_scheme(signature: &'static str, timestamp: &'static str) -> HmacScheme {
    let signed = [Signed::Body, Signed::Literal("."), Signed::Header(timestamp)];
    HmacScheme {
        signature_header: signature,
        timestamp_header: Some(timestamp),
        signed: Box::leak(Box::new(signed)),
        ..HEX
    }
}

#[test]
fn request_header_names_in_any_case_are_found() {
    let mut map = HeaderMap::new();
    for (name, value) in vector_headers().iter() {
        let name = name.as_str().to_ascii_uppercase();
        map.append(HeaderName::from_bytes(name.as_bytes()).unwrap(), value.clone());
    }
    assert_eq!(vector_verifier().verify(&map, VECTOR_BODY.as_bytes()), Ok(()));
    let mut scheme = SINCH;
    scheme.signature_header = "X-SINCH-WEBHOOK-SIGNATURE";
    scheme.signed = &[
        Signed::Body,
        Signed::Literal("."),
        Signed::Header("X-Sinch-Webhook-Signature-Nonce"),
        Signed::Literal("."),
        Signed::Header("x-sinch-webhook-signature-TIMESTAMP"),
    ];
    let verifier = Verifier::hmac(scheme, VECTOR_SECRET).clock(at(VECTOR_TIMESTAMP));
    assert_eq!(verifier.verify(&map, VECTOR_BODY.as_bytes()), Ok(()));
}

#[test]
fn standard_and_same_length_header_names_fill_their_own_roles() {
    let secret = Secret::new("s");
    for (signature, timestamp) in
        [("authorization", "date"), ("x-hook-a-signature", "x-hook-b-signature"), ("x-signature", "x-timestamp")]
    {
        let scheme = named_scheme(signature, timestamp);
        let map = scheme.signed_headers(&secret, b"{}", "", TEST_TIMESTAMP);
        let verifier = Verifier::hmac(scheme, secret.clone()).clock(at(TEST_TIMESTAMP));
        assert_eq!(verifier.verify(&map, b"{}"), Ok(()), "{signature}");
        let missing = |name| Err(AuthError::MissingHeader(name));
        let result = verifier.verify(&without(map.clone(), timestamp), b"{}");
        assert_eq!(result, missing(timestamp), "{signature}");
        let result = verifier.verify(&without(map.clone(), signature), b"{}");
        assert_eq!(result, missing(signature), "{signature}");
    }
}

#[test]
fn non_ascii_header_values_are_signed_as_they_are_and_refused_where_text() {
    let secret = Secret::new(VECTOR_SECRET);
    let body = VECTOR_BODY.as_bytes();
    let mut map = vector_headers();
    map.insert(NONCE, HeaderValue::from_bytes(b"caf\xe9 \xff").unwrap());
    let signature = SINCH.sign(&secret, body, &map).unwrap();
    let map = with(map, SIGNATURE, &signature);
    assert_eq!(vector_verifier().verify(&map, body), Ok(()));
    let non_ascii = HeaderValue::from_bytes(b"1634579353\xff").unwrap();
    for (name, value) in [(TIMESTAMP, non_ascii.clone()), (ALGORITHM, non_ascii)] {
        let mut map = map.clone();
        map.insert(name, value);
        let expected = AuthError::InvalidHeader { header: name, reason: NOT_VISIBLE_ASCII };
        assert_eq!(vector_verifier().verify(&map, body), Err(expected), "{name}");
    }
}

#[test]
fn signed_headers_round_trip() {
    let secret = Secret::new("round trip secret");
    let body = b"{\"id\": 1}\r\n";
    for scheme in [SINCH, HEX] {
        let map = scheme.signed_headers(&secret, body, "a-nonce", TEST_TIMESTAMP);
        let verifier = Verifier::hmac(scheme, secret.clone()).clock(at(TEST_TIMESTAMP));
        assert_eq!(verifier.verify(&map, body), Ok(()), "{scheme:?}");
        assert_eq!(verifier.verify(&map, b"{\"id\": 2}\r\n"), Err(AuthError::SignatureMismatch));
        let signature = map.get(scheme.signature_header).unwrap().to_str().unwrap();
        assert_eq!(scheme.sign(&secret, body, &map).as_deref(), Ok(signature));
    }
}

#[test]
fn signed_headers_carry_the_scheme_headers() {
    let map = SINCH.signed_headers(&Secret::new("s"), b"", "a-nonce", TEST_TIMESTAMP);
    assert_eq!(map.get(NONCE).unwrap(), "a-nonce");
    assert_eq!(map.get(TIMESTAMP).unwrap(), "1700000000");
    assert_eq!(map.get(ALGORITHM).unwrap(), "HmacSHA256");
    assert_eq!(map.len(), 4);
}

#[test]
fn signed_headers_leave_out_an_unrepresentable_nonce() {
    let secret = Secret::new("s");
    let map = SINCH.signed_headers(&secret, b"", "line\nbreak", TEST_TIMESTAMP);
    assert!(map.get(NONCE).is_none());
    let result = Verifier::hmac(SINCH, secret).clock(at(TEST_TIMESTAMP)).verify(&map, b"");
    assert_eq!(result, Err(AuthError::MissingHeader(SIGNATURE)));
}

#[test]
fn sign_names_a_missing_signed_header() {
    let result = SINCH.sign(&Secret::new("s"), b"", &headers(&[(NONCE, "n")]));
    assert_eq!(result, Err(AuthError::MissingHeader(TIMESTAMP)));
}

#[test]
fn a_signed_header_named_for_no_role_is_looked_up_by_name() {
    let mut scheme = HEX;
    scheme.signed = &[Signed::Header("X-Request-Id"), Signed::Literal(":"), Signed::Body];
    let secret = Secret::new("s");
    let signed = headers(&[("x-request-id", "r-1"), ("x-timestamp", "1700000000")]);
    let map = with(signed.clone(), "x-signature", &scheme.sign(&secret, b"{}", &signed).unwrap());
    let verifier = Verifier::hmac(scheme, secret).clock(at(TEST_TIMESTAMP));
    assert_eq!(verifier.verify(&map, b"{}"), Ok(()));
    assert_eq!(verifier.verify(&with(map.clone(), "x-request-id", "r-2"), b"{}"), Err(AuthError::SignatureMismatch));
    let result = verifier.verify(&without(map, "x-request-id"), b"{}");
    assert_eq!(result, Err(AuthError::MissingHeader("X-Request-Id")));
}

#[test]
fn a_verifier_without_secrets_refuses_everything() {
    let verifier = Verifier::hmac_any(SINCH, Vec::<Secret>::new()).clock(at(VECTOR_TIMESTAMP));
    assert_eq!(verifier.verify(&vector_headers(), VECTOR_BODY.as_bytes()), Err(AuthError::SignatureMismatch));
}

#[test]
fn the_matching_secret_may_be_any_of_several() {
    let secrets = ["app-one-secret", VECTOR_SECRET, "app-three-secret"];
    let verifier = Verifier::hmac_any(SINCH, secrets).clock(at(VECTOR_TIMESTAMP));
    assert_eq!(verifier.verify(&vector_headers(), VECTOR_BODY.as_bytes()), Ok(()));
    let others = Verifier::hmac_any(SINCH, ["app-one-secret", "app-three-secret"]).clock(at(VECTOR_TIMESTAMP));
    assert_eq!(others.verify(&vector_headers(), VECTOR_BODY.as_bytes()), Err(AuthError::SignatureMismatch));
}
