//! The Standard Webhooks specification (standardwebhooks.com): `webhook-id`,
//! `webhook-timestamp` and `webhook-signature: v1,<base64>`, possibly several signatures
//! separated by spaces, over `{id}.{timestamp}.{body}`, with secrets written `whsec_<base64>`.

use crate::webhook::auth::{Encoding, HmacScheme, SecretFormat, Signed};

impl HmacScheme {
    /// The Standard Webhooks specification: `webhook-signature` holds one or more
    /// space-separated `v1,` and padded Base64 HMAC-SHA256 of the `webhook-id` header, `.`, the
    /// `webhook-timestamp` header (Unix seconds), `.` and the body; one matching is enough, and
    /// entries of other versions are skipped. The secret is `whsec_` and the Base64 key (a
    /// secret without the prefix is used as its UTF-8 bytes). `webhook-id` is the nonce the
    /// dispatcher remembers against replays.
    pub const STANDARD_WEBHOOKS: HmacScheme = HmacScheme {
        signature_header: "webhook-signature",
        encoding: Encoding::Base64,
        signature_prefix: "v1,",
        several_signatures: true,
        secret: SecretFormat::StandardWebhooks,
        algorithm_header: None,
        algorithm: "HmacSHA256",
        nonce_header: Some("webhook-id"),
        timestamp_header: Some("webhook-timestamp"),
        signed: &[
            Signed::Header("webhook-id"),
            Signed::Literal("."),
            Signed::Header("webhook-timestamp"),
            Signed::Literal("."),
            Signed::Body,
        ],
    };
}

#[cfg(test)]
mod tests {
    use http::HeaderMap;

    use crate::webhook::auth::error::NO_SIGNATURE;
    use crate::webhook::auth::vectors::*;
    use crate::webhook::auth::{AuthError, HmacScheme, Verifier};
    use crate::Secret;

    const SCHEME: HmacScheme = HmacScheme::STANDARD_WEBHOOKS;

    /// The specification's vector (spec/standard-webhooks.md of
    /// github.com/standard-webhooks/standard-webhooks, repeated by Svix's docs).
    const SPEC: Vector = Vector {
        secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
        timestamp: 1_614_265_330,
        body: r#"{"test": 2432232314}"#,
        signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    };

    /// The vector of the specification's Rust library (libraries/rust/src/lib.rs, `test_sign`).
    const RUST_LIBRARY: Vector = Vector {
        secret: "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
        id: "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
        timestamp: 1_649_367_553,
        body: r#"{"email":"test@example.com","username":"test_user"}"#,
        signature: "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=",
    };

    /// Computed for these tests (Python's `hmac`): a raw secret, used as its UTF-8 bytes.
    const RAW_SECRET: Vector = Vector {
        secret: "a-raw-secret",
        id: "msg_2",
        timestamp: 1_700_000_000,
        body: r#"{"type":"user.created"}"#,
        signature: "v1,Nng0YRE1rpqfu6n5a6hZM1gDzub/EL0lHcr2dSFtcek=",
    };

    struct Vector {
        secret: &'static str,
        id: &'static str,
        timestamp: i64,
        body: &'static str,
        signature: &'static str,
    }

    impl Vector {
        fn headers(&self, signature: &str) -> HeaderMap {
            let timestamp = self.timestamp.to_string();
            headers(&[("webhook-id", self.id), ("webhook-timestamp", &timestamp), ("webhook-signature", signature)])
        }

        fn verify(&self, signature: &str) -> Result<(), AuthError> {
            let verifier = Verifier::hmac(SCHEME, self.secret).clock(at(self.timestamp + 10));
            verifier.verify(&self.headers(signature), self.body.as_bytes())
        }
    }

    #[test]
    fn public_and_own_vectors_verify_and_are_reproduced() {
        for vector in [SPEC, RUST_LIBRARY, RAW_SECRET] {
            assert_eq!(vector.verify(vector.signature), Ok(()), "{}", vector.id);
            let signed =
                SCHEME.signed_headers(&Secret::new(vector.secret), vector.body.as_bytes(), vector.id, vector.timestamp);
            assert_eq!(signed["webhook-signature"], vector.signature, "{}", vector.id);
        }
    }

    #[test]
    fn any_of_several_signatures_may_match() {
        // From the Rust library's `test_verify_with_multiple_signatures`: signatures of other secrets.
        let others =
            ["v1,tFtCZ5RDCPxzWQRWXWPgrCgE2frDBe9gjpbWQxnVfsQ=", "v1,Mm7xgUVICxZfQ3bgf0h0Dof65L/IFx+PnZvnDWPCX6Q="];
        let several = format!("{} {} {}", others[0], SPEC.signature, others[1]);
        assert_eq!(SPEC.verify(&several), Ok(()));
        assert_eq!(SPEC.verify(&format!("v2,abc {}", SPEC.signature)), Ok(()), "other versions are skipped");
        assert_eq!(SPEC.verify(&format!("v1,!!! {}", SPEC.signature)), Ok(()), "an undecodable entry is skipped");
        assert_eq!(SPEC.verify(&others.join(" ")), Err(AuthError::SignatureMismatch));
    }

    #[test]
    fn a_header_without_a_v1_signature_is_invalid() {
        let invalid = Err(AuthError::InvalidHeader { header: "webhook-signature", reason: NO_SIGNATURE });
        let bare = SPEC.signature.trim_start_matches("v1,");
        for header in [bare, "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", "v1,", "v1,c2hvcnQ=", " "] {
            assert_eq!(SPEC.verify(header), invalid, "{header:?}");
        }
    }

    #[test]
    fn tampering_with_the_id_timestamp_or_body_is_a_mismatch() {
        let verifier = Verifier::hmac(SCHEME, SPEC.secret).max_age(None);
        let mut other_id = SPEC.headers(SPEC.signature);
        other_id.insert("webhook-id", "msg_other".parse().unwrap());
        let mut other_time = SPEC.headers(SPEC.signature);
        other_time.insert("webhook-timestamp", "1614265331".parse().unwrap());
        assert_eq!(verifier.verify(&other_id, SPEC.body.as_bytes()), Err(AuthError::SignatureMismatch));
        assert_eq!(verifier.verify(&other_time, SPEC.body.as_bytes()), Err(AuthError::SignatureMismatch));
        assert_eq!(verifier.verify(&SPEC.headers(SPEC.signature), b"{\"test\": 1}"), Err(AuthError::SignatureMismatch));
    }

    #[test]
    fn missing_headers_are_named() {
        for name in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
            let verifier = Verifier::hmac(SCHEME, SPEC.secret).clock(at(SPEC.timestamp));
            let result = verifier.verify(&without(SPEC.headers(SPEC.signature), name), SPEC.body.as_bytes());
            assert_eq!(result, Err(AuthError::MissingHeader(name)));
        }
    }

    #[test]
    fn stale_timestamps_are_refused_in_both_directions() {
        let verify_at = |now| {
            let verifier = Verifier::hmac(SCHEME, SPEC.secret).clock(at(now));
            verifier.verify(&SPEC.headers(SPEC.signature), SPEC.body.as_bytes())
        };
        assert_eq!(verify_at(SPEC.timestamp + 300), Ok(()));
        assert_eq!(verify_at(SPEC.timestamp - 300), Ok(()));
        assert!(matches!(verify_at(SPEC.timestamp + 301), Err(AuthError::Stale { .. })));
        assert!(matches!(verify_at(SPEC.timestamp - 301), Err(AuthError::Stale { .. })));
    }

    #[test]
    fn secrets_in_whsec_form_rotate() {
        let [old, new, third] = [SPEC.secret, RUST_LIBRARY.secret, "whsec_c2VjcmV0LW9mLWFub3RoZXItYXBw"];
        let verifier = Verifier::hmac_any(SCHEME, [old, new]).max_age(None);
        for (secret, expected) in [(old, Ok(())), (new, Ok(())), (third, Err(AuthError::SignatureMismatch))] {
            let headers = SCHEME.signed_headers(&Secret::new(secret), b"{}", "msg_r", 1_700_000_000);
            assert_eq!(verifier.verify(&headers, b"{}"), expected, "{secret}");
        }
        assert_rotation(SCHEME, br#"{"type":"user.created"}"#);
    }
}
