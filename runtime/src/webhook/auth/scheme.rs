//! How a spec's HMAC scheme signs a callback, and signing one (for tests and senders).

use std::borrow::Cow;
use std::fmt::Write as _;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use http::HeaderMap;
use sha2::Sha256;

use super::error::AuthError;
use super::headers::{insert_header, Found, Role, RoleHeaders, SchemeHeader};
use crate::Secret;

pub(super) type HmacSha256 = Hmac<Sha256>;

/// How a spec's HMAC scheme signs a callback. Generated crates declare one as a `const`,
/// spelled out or naming a preset: [`HmacScheme::SINCH`], [`HmacScheme::STANDARD_WEBHOOKS`],
/// [`HmacScheme::GITHUB`], [`HmacScheme::LINE`].
///
/// The digest is always HMAC-SHA256, keyed with the secret as [`SecretFormat`] says. Header
/// names are matched case-insensitively.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HmacScheme {
    /// Header carrying the signature.
    pub signature_header: &'static str,
    /// How the signature is written in `signature_header`.
    pub encoding: Encoding,
    /// Text written before each signature in its header, e.g. `sha256=` or `v1,`; may be empty.
    pub signature_prefix: &'static str,
    /// Whether `signature_header` may carry several signatures separated by spaces, of which one
    /// matching is enough (a sender rotating its secret signs with both). Entries without
    /// `signature_prefix` (another version of the scheme) are skipped.
    pub several_signatures: bool,
    /// How the secret a receiver is given becomes the HMAC key.
    pub secret: SecretFormat,
    /// Header naming the algorithm; when a request carries it, its value must equal `algorithm`
    /// (ASCII case-insensitive), else UnsupportedAlgorithm.
    ///
    /// A request without it is accepted, because some senders omit it.
    pub algorithm_header: Option<&'static str>,
    /// The algorithm name senders put in `algorithm_header`, e.g. "HmacSHA256". The digest is
    /// always HMAC-SHA256.
    pub algorithm: &'static str,
    /// Header carrying the sender's nonce, where [`HmacScheme::signed_headers`] puts it.
    ///
    /// Verification reads it only through a [`Signed::Header`] entry of `signed`.
    pub nonce_header: Option<&'static str>,
    /// Header carrying Unix seconds; checked against the verifier's max age.
    pub timestamp_header: Option<&'static str>,
    /// What is signed, in order.
    pub signed: &'static [Signed],
}

/// One part of the data an [`HmacScheme`] signs; the parts are concatenated in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signed {
    /// The raw request body, exactly as received.
    Body,
    /// Fixed text, such as a `.` separator.
    Literal(&'static str),
    /// The raw value of the named header; a request without it fails verification.
    Header(&'static str),
}

/// How the secret a receiver is given becomes the HMAC key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretFormat {
    /// The secret's UTF-8 bytes are the key.
    Utf8,
    /// As Standard Webhooks writes secrets: `whsec_` and the key in standard Base64. A secret
    /// without that prefix, or whose rest is not Base64, is used as its UTF-8 bytes, so a raw
    /// secret works too (a Base64 key must therefore keep its `whsec_` prefix).
    StandardWebhooks,
}

impl SecretFormat {
    /// The HMAC key `secret` stands for.
    fn key(self, secret: &Secret) -> Cow<'_, [u8]> {
        let text = secret.expose();
        let encoded = match self {
            Self::Utf8 => None,
            Self::StandardWebhooks => text.strip_prefix("whsec_"),
        };
        match encoded.map(|encoded| STANDARD.decode(encoded)) {
            Some(Ok(key)) => Cow::Owned(key),
            _ => Cow::Borrowed(text.as_bytes()),
        }
    }
}

/// How a signature is written in its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Standard Base64 with padding.
    Base64,
    /// Hexadecimal; verification accepts either case, signing writes lowercase.
    Hex,
}

impl HmacScheme {
    /// The signature of `body` with the given header values, as the signature header carries it
    /// (with its prefix), for tests and senders.
    ///
    /// Fails with [`AuthError::MissingHeader`] when a header that is signed is not in `headers`.
    pub fn sign(&self, secret: &Secret, body: &[u8], headers: &HeaderMap) -> Result<String, AuthError> {
        let mut mac = keyed_mac(self.secret, secret);
        let roles = RoleHeaders::new(self);
        SignedParts::new(self.signed, &roles).feed(&mut mac, body, headers, &roles.find(headers))?;
        let tag = mac.finalize().into_bytes();
        let mut signature = self.signature_prefix.to_owned();
        match self.encoding {
            Encoding::Base64 => STANDARD.encode_string(tag, &mut signature),
            Encoding::Hex => tag.iter().for_each(|byte| {
                let _ = write!(signature, "{byte:02x}");
            }),
        }
        Ok(signature)
    }

    /// Headers for a signed request: nonce, timestamp, algorithm (when the scheme names those
    /// headers) and the signature.
    ///
    /// This never panics: a header that cannot be represented (a nonce with a line break, a
    /// scheme header name that is not a valid name) is left out, and so is the signature when a
    /// part it covers is missing. Verifying such a request then reports the missing header.
    pub fn signed_headers(&self, secret: &Secret, body: &[u8], nonce: &str, timestamp: i64) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Some(name) = self.nonce_header {
            insert_header(&mut headers, name, nonce);
        }
        if let Some(name) = self.timestamp_header {
            insert_header(&mut headers, name, &timestamp.to_string());
        }
        if let Some(name) = self.algorithm_header {
            insert_header(&mut headers, name, self.algorithm);
        }
        if let Ok(signature) = self.sign(secret, body, &headers) {
            insert_header(&mut headers, self.signature_header, &signature);
        }
        headers
    }
}

/// An HMAC-SHA256 keyed with `secret`, read as `format` says.
pub(super) fn keyed_mac(format: SecretFormat, secret: &Secret) -> HmacSha256 {
    // HMAC takes keys of any length (longer ones are hashed first), so this cannot fail.
    HmacSha256::new_from_slice(&format.key(secret)).expect("HMAC accepts keys of any length")
}

/// A scheme's [`Signed`] parts with their header names parsed, ready to feed a request to a MAC.
pub(super) struct SignedParts(Vec<Part>);

enum Part {
    Body,
    Literal(&'static str),
    /// A header, and the role the scheme also names it for, whose value is then already found.
    Header(SchemeHeader, Option<Role>),
}

impl SignedParts {
    pub(super) fn new(signed: &[Signed], roles: &RoleHeaders) -> Self {
        let part = |signed: &Signed| match *signed {
            Signed::Body => Part::Body,
            Signed::Literal(text) => Part::Literal(text),
            Signed::Header(name) => {
                let header = SchemeHeader::new(name);
                let role = roles.role_of(&header);
                Part::Header(header, role)
            }
        };
        Self(signed.iter().map(part).collect())
    }

    /// Feeds the parts to `mac` in order; the body is fed as it is, never copied. A header is
    /// taken from `found` when it fills a role, else looked up in `headers`.
    pub(super) fn feed(
        &self,
        mac: &mut HmacSha256,
        body: &[u8],
        headers: &HeaderMap,
        found: &Found<'_>,
    ) -> Result<(), AuthError> {
        for part in &self.0 {
            match part {
                Part::Body => mac.update(body),
                Part::Literal(text) => mac.update(text.as_bytes()),
                Part::Header(header, role) => {
                    let value = match role {
                        Some(role) => found.get(*role),
                        None => header.get(headers),
                    };
                    mac.update(value.ok_or(AuthError::MissingHeader(header.name()))?.as_bytes());
                }
            }
        }
        Ok(())
    }
}
