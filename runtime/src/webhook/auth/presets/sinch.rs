//! Sinch's Conversation API and SMS callbacks: Base64 HMAC-SHA256 of
//! `{body}.{nonce}.{timestamp}`, with the algorithm named in a header.

use crate::webhook::auth::{Encoding, HmacScheme, SecretFormat, Signed};

impl HmacScheme {
    /// Sinch's callbacks: `x-sinch-webhook-signature` holds the padded Base64 HMAC-SHA256 of
    /// the body, `.`, the `x-sinch-webhook-signature-nonce` header, `.` and the
    /// `x-sinch-webhook-signature-timestamp` header (Unix seconds), keyed with the UTF-8 bytes
    /// of the secret; `x-sinch-webhook-signature-algorithm`, when sent, says `HmacSHA256`.
    pub const SINCH: HmacScheme = HmacScheme {
        signature_header: "x-sinch-webhook-signature",
        encoding: Encoding::Base64,
        signature_prefix: "",
        several_signatures: false,
        secret: SecretFormat::Utf8,
        algorithm_header: Some("x-sinch-webhook-signature-algorithm"),
        algorithm: "HmacSHA256",
        nonce_header: Some("x-sinch-webhook-signature-nonce"),
        timestamp_header: Some("x-sinch-webhook-signature-timestamp"),
        signed: &[
            Signed::Body,
            Signed::Literal("."),
            Signed::Header("x-sinch-webhook-signature-nonce"),
            Signed::Literal("."),
            Signed::Header("x-sinch-webhook-signature-timestamp"),
        ],
    };
}

#[cfg(test)]
mod tests {
    use crate::webhook::auth::vectors::*;
    use crate::webhook::auth::{AuthError, HmacScheme, Verifier};

    // The known-good vector of Sinch's SDK tests is `vectors::VECTOR_*`; `hmac/tests.rs`
    // checks the scheme in depth. Here: the preset is that scheme.
    #[test]
    fn preset_verifies_the_sdk_vector() {
        let verifier = Verifier::hmac(HmacScheme::SINCH, VECTOR_SECRET).clock(at(VECTOR_TIMESTAMP));
        assert_eq!(verifier.verify(&vector_headers(), VECTOR_BODY.as_bytes()), Ok(()));
        let stale = Verifier::hmac(HmacScheme::SINCH, VECTOR_SECRET).clock(at(VECTOR_TIMESTAMP + 301));
        assert!(matches!(stale.verify(&vector_headers(), VECTOR_BODY.as_bytes()), Err(AuthError::Stale { .. })));
    }

    #[test]
    fn one_secret_per_app_and_rotation() {
        assert_rotation(HmacScheme::SINCH, VECTOR_BODY.as_bytes());
    }
}
