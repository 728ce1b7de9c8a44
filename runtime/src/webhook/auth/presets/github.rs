//! GitHub's webhooks: `X-Hub-Signature-256: sha256=<hex>` over the raw body, no timestamp.

use crate::webhook::auth::{Encoding, HmacScheme, SecretFormat, Signed};

impl HmacScheme {
    /// GitHub's webhooks: `X-Hub-Signature-256` holds `sha256=` and the hex HMAC-SHA256 of the
    /// body, keyed with the UTF-8 bytes of the secret. GitHub sends no timestamp, so the
    /// verifier's max age does not apply; replays are caught by the dispatcher's dedup key only.
    pub const GITHUB: HmacScheme = HmacScheme {
        signature_header: "x-hub-signature-256",
        encoding: Encoding::Hex,
        signature_prefix: "sha256=",
        several_signatures: false,
        secret: SecretFormat::Utf8,
        algorithm_header: None,
        algorithm: "sha256",
        nonce_header: None,
        timestamp_header: None,
        signed: &[Signed::Body],
    };
}

#[cfg(test)]
mod tests {
    use crate::webhook::auth::error::{NOT_HEX, WITHOUT_PREFIX};
    use crate::webhook::auth::vectors::*;
    use crate::webhook::auth::{AuthError, HmacScheme, Verifier};

    const HEADER: &str = "X-Hub-Signature-256";

    fn verify(secret: &str, signature: &str, body: &[u8]) -> Result<(), AuthError> {
        Verifier::hmac(HmacScheme::GITHUB, secret).verify(&headers(&[(HEADER, signature)]), body)
    }

    /// GitHub's docs, "Validating webhook deliveries", section "Testing the webhook payload
    /// validation" (https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries).
    #[test]
    fn github_docs_vector() {
        let (secret, hex) =
            ("It's a Secret to Everybody", "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
        let signature = format!("sha256={hex}");
        assert_eq!(verify(secret, &signature, b"Hello, World!"), Ok(()));
        assert_eq!(verify(secret, &format!("sha256={}", hex.to_uppercase()), b"Hello, World!"), Ok(()));
        assert_eq!(verify(secret, &signature, b"Hello, World?"), Err(AuthError::SignatureMismatch));
        let signed = HmacScheme::GITHUB.sign(&secret.into(), b"Hello, World!", &http::HeaderMap::new());
        assert_eq!(signed, Ok(signature));
    }

    /// Computed for these tests (Python's `hmac`), a JSON body and a longer secret.
    #[test]
    fn own_vector_and_sign() {
        let body = br#"{"action":"opened","number":1}"#;
        let signature = "sha256=57e5c989c50d4bb643ce95f400f060cdde4fdaa5d8f7b35baba343cda884dff0";
        let computed = HmacScheme::GITHUB.sign(&"a-github-webhook-secret".into(), body, &http::HeaderMap::new());
        assert_eq!(computed.as_deref(), Ok(signature));
        assert_eq!(verify("a-github-webhook-secret", signature, body), Ok(()));
    }

    #[test]
    fn malformed_headers() {
        let hex = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        let invalid = |reason| Err(AuthError::InvalidHeader { header: "x-hub-signature-256", reason });
        assert_eq!(verify("s", hex, b""), invalid(WITHOUT_PREFIX), "the prefix is required");
        assert_eq!(verify("s", &format!("sha1={hex}"), b""), invalid(WITHOUT_PREFIX));
        assert_eq!(verify("s", &format!("sha256={}", "zz".repeat(32)), b""), invalid(NOT_HEX));
        let missing = Verifier::hmac(HmacScheme::GITHUB, "s").verify(&headers(&[]), b"");
        assert_eq!(missing, Err(AuthError::MissingHeader("x-hub-signature-256")));
    }

    #[test]
    fn no_timestamp_so_no_max_age() {
        let signature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        let verifier = Verifier::hmac(HmacScheme::GITHUB, "It's a Secret to Everybody").clock(at(NOW_2026));
        assert_eq!(verifier.verify(&headers(&[(HEADER, signature)]), b"Hello, World!"), Ok(()));
    }

    #[test]
    fn rotation() {
        assert_rotation(HmacScheme::GITHUB, br#"{"zen":"Keep it logically awesome."}"#);
    }
}
