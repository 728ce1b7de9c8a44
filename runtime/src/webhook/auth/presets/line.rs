//! LINE's Messaging API webhooks: `x-line-signature`, the Base64 HMAC-SHA256 of the body keyed
//! with the channel secret; no timestamp.

use crate::webhook::auth::{Encoding, HmacScheme, SecretFormat, Signed};

impl HmacScheme {
    /// LINE's Messaging API webhooks: `x-line-signature` holds the padded Base64 HMAC-SHA256 of
    /// the body, keyed with the UTF-8 bytes of the channel secret. LINE sends no timestamp, so
    /// the verifier's max age does not apply.
    pub const LINE: HmacScheme = HmacScheme {
        signature_header: "x-line-signature",
        encoding: Encoding::Base64,
        signature_prefix: "",
        several_signatures: false,
        secret: SecretFormat::Utf8,
        algorithm_header: None,
        algorithm: "HmacSHA256",
        nonce_header: None,
        timestamp_header: None,
        signed: &[Signed::Body],
    };
}

#[cfg(test)]
mod tests {
    use crate::webhook::auth::error::{NOT_BASE64, WRONG_TAG_LENGTH};
    use crate::webhook::auth::vectors::*;
    use crate::webhook::auth::{AuthError, HmacScheme, Verifier};

    fn verify(secret: &str, signature: &str, body: &str) -> Result<(), AuthError> {
        let verifier = Verifier::hmac(HmacScheme::LINE, secret).clock(at(NOW_2026));
        verifier.verify(&headers(&[("x-line-signature", signature)]), body.as_bytes())
    }

    /// The vector of LINE's official Node.js SDK (line/line-bot-sdk-nodejs,
    /// `test/validate-signature.spec.ts`): body `JSON.stringify({hello: "world"})`, secret
    /// `test_secret`, and the signature with two letters' case flipped, which must fail. LINE's
    /// docs ("Verify webhook signature", developers.line.biz/en/reference/messaging-api/) give
    /// the algorithm but no vector.
    #[test]
    fn line_sdk_vector() {
        assert_eq!(
            verify("test_secret", "t7Hn4ZDHqs6e+wdvI5TyQIvzie0DmMUmuXEBqyyE/tM=", r#"{"hello":"world"}"#),
            Ok(())
        );
        let flipped = verify("test_secret", "t7Hn4ZDHqs6e+wdvi5TyQivzie0DmMUmuXEBqyyE/tM=", r#"{"hello":"world"}"#);
        assert_eq!(flipped, Err(AuthError::SignatureMismatch));
    }

    /// Computed for these tests (Python's `hmac`): an ASCII body, and a body and secret in
    /// Japanese, signed as their UTF-8 bytes.
    #[test]
    fn own_vectors() {
        let ascii = ("a-line-channel-secret", r#"{"destination":"U0123","events":[]}"#);
        assert_eq!(verify(ascii.0, "gXl8ij4KVmUDwPUK0AI7wpYYyw50Q08tfgKJAI0NKts=", ascii.1), Ok(()));
        let body = r#"{"events":[{"type":"message","message":{"type":"text","text":"こんにちは"}}]}"#;
        assert_eq!(verify("チャネルシークレット", "iO63MybBm4Zw9I8EYQBtMFIOb1x6H7Rw3nHt8Y6jt3s=", body), Ok(()));
    }

    #[test]
    fn malformed_and_missing_headers() {
        let invalid = |reason| Err(AuthError::InvalidHeader { header: "x-line-signature", reason });
        assert_eq!(verify("s", "not base64!", "{}"), invalid(NOT_BASE64));
        assert_eq!(verify("s", "c2hvcnQ=", "{}"), invalid(WRONG_TAG_LENGTH));
        let missing = Verifier::hmac(HmacScheme::LINE, "s").verify(&headers(&[("x-signature", "x")]), b"{}");
        assert_eq!(missing, Err(AuthError::MissingHeader("x-line-signature")));
    }

    #[test]
    fn one_secret_per_channel_and_rotation() {
        assert_rotation(HmacScheme::LINE, br#"{"destination":"U0123","events":[]}"#);
    }
}
