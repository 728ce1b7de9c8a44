//! Verifying a callback signed with an [`HmacScheme`].
//!
//! The order of the checks is part of the contract (see `Verifier::verify`): the algorithm
//! header, the signature header, the timestamp's syntax, the signature, and only then the
//! timestamp's age, so that [`AuthError::Stale`] is only reported for a timestamp the sender
//! really signed.
//!
//! A verifier may hold several secrets (a rotation, or one secret per app of one receiver): the
//! request is fed to one MAC per secret, in order, until one matches a signature it carries, so
//! the cost of a request grows with the number of secrets.

use base64::engine::general_purpose::STANDARD;
use base64::{DecodeSliceError, Engine as _};
use hmac::Mac;
use http::HeaderMap;
use subtle::ConstantTimeEq;

use super::error::{AuthError, NOT_BASE64, NOT_HEX, NO_SIGNATURE, WITHOUT_PREFIX, WRONG_TAG_LENGTH};
use super::headers::{header_text, Found, Role, RoleHeaders};
use super::scheme::{keyed_mac, Encoding, HmacScheme, HmacSha256, SignedParts};
use super::timestamp::{parse_unix_seconds, Freshness};
use crate::Secret;

/// Length in bytes of an HMAC-SHA256 signature.
const TAG_LEN: usize = 32;

/// What an HMAC verifier prepares once, when it is built: a keyed MAC per secret (so the key
/// schedule is not recomputed per request) and the scheme's header names, parsed.
pub(super) struct HmacVerifier {
    /// One per secret, tried in order; each is copied for a request.
    keyed: Vec<HmacSha256>,
    encoding: Encoding,
    prefix: &'static str,
    several: bool,
    /// The headers that fill a role, parsed; the names below are the scheme's spellings, for errors.
    roles: RoleHeaders,
    signature_header: &'static str,
    /// The header naming the algorithm, and the name it must hold.
    algorithm: Option<(&'static str, &'static str)>,
    timestamp_header: Option<&'static str>,
    signed: SignedParts,
}

impl HmacVerifier {
    pub(super) fn new(scheme: &HmacScheme, secrets: &[Secret]) -> Self {
        let roles = RoleHeaders::new(scheme);
        Self {
            keyed: secrets.iter().map(|secret| keyed_mac(scheme.secret, secret)).collect(),
            encoding: scheme.encoding,
            prefix: scheme.signature_prefix,
            several: scheme.several_signatures,
            signed: SignedParts::new(scheme.signed, &roles),
            roles,
            signature_header: scheme.signature_header,
            algorithm: scheme.algorithm_header.map(|name| (name, scheme.algorithm)),
            timestamp_header: scheme.timestamp_header,
        }
    }

    /// Whether the scheme signs a timestamp, whose age is checked.
    pub(super) fn has_timestamp(&self) -> bool {
        self.timestamp_header.is_some()
    }

    /// How many secrets the verifier accepts signatures of.
    pub(super) fn secret_count(&self) -> usize {
        self.keyed.len()
    }

    pub(super) fn verify(&self, headers: &HeaderMap, body: &[u8], freshness: &Freshness) -> Result<(), AuthError> {
        let found = self.roles.find(headers);
        self.check_algorithm(&found)?;
        let received = self.received(&found)?;
        let timestamp = self.timestamp_to_check(&found, freshness)?;
        if !self.any_secret_matches(&received, body, headers, &found)? {
            return Err(AuthError::SignatureMismatch);
        }
        match timestamp {
            Some(timestamp) => freshness.check(timestamp),
            None => Ok(()),
        }
    }

    /// Whether the MAC of the request under one of the secrets is a signature it carries.
    fn any_secret_matches(
        &self,
        received: &Received,
        body: &[u8],
        headers: &HeaderMap,
        found: &Found<'_>,
    ) -> Result<bool, AuthError> {
        for keyed in &self.keyed {
            let mut mac = keyed.clone();
            self.signed.feed(&mut mac, body, headers, found)?;
            if received.contains(&mac.finalize().into_bytes()) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Rejects a request whose algorithm header names another algorithm than the scheme's; a
    /// request without the header is accepted.
    fn check_algorithm(&self, found: &Found<'_>) -> Result<(), AuthError> {
        let (Some((header, algorithm)), Some(value)) = (self.algorithm, found.get(Role::Algorithm)) else {
            return Ok(());
        };
        if value.as_bytes().eq_ignore_ascii_case(algorithm.as_bytes()) {
            return Ok(());
        }
        let value = header_text(value, header)?;
        Err(AuthError::UnsupportedAlgorithm { header, value: value.to_owned() })
    }

    /// The signatures the request carries, decoded.
    ///
    /// With several signatures allowed, entries of another version (without the prefix) or that
    /// do not decode are skipped; at least one must decode.
    fn received(&self, found: &Found<'_>) -> Result<Received, AuthError> {
        let header = self.signature_header;
        let value = found.get(Role::Signature).ok_or(AuthError::MissingHeader(header))?;
        let invalid = |reason| AuthError::InvalidHeader { header, reason };
        if !self.several {
            // Decoded from the bytes: decoding refuses whatever is not ASCII, so the text is
            // checked only to explain a failure.
            let signature = value.as_bytes().strip_prefix(self.prefix.as_bytes()).ok_or(WITHOUT_PREFIX);
            return match signature.and_then(|signature| self.decode(signature)) {
                Ok(tag) => Ok(Received::One(tag)),
                Err(reason) => {
                    header_text(value, header)?;
                    Err(invalid(reason))
                }
            };
        }
        let text = header_text(value, header)?;
        let entries = text.split(' ').filter_map(|entry| entry.strip_prefix(self.prefix));
        let tags: Vec<_> = entries.filter_map(|signature| self.decode(signature.as_bytes()).ok()).collect();
        if tags.is_empty() {
            return Err(invalid(NO_SIGNATURE));
        }
        Ok(Received::Several(tags))
    }

    fn decode(&self, signature: &[u8]) -> Result<[u8; TAG_LEN], &'static str> {
        match self.encoding {
            Encoding::Base64 => decode_base64(signature),
            Encoding::Hex => decode_hex(signature),
        }
    }

    /// The request's timestamp, when the scheme has one and timestamps are checked.
    fn timestamp_to_check(&self, found: &Found<'_>, freshness: &Freshness) -> Result<Option<i64>, AuthError> {
        let Some(header) = self.timestamp_header.filter(|_| freshness.enabled()) else {
            return Ok(None);
        };
        let value = found.get(Role::Timestamp).ok_or(AuthError::MissingHeader(header))?;
        parse_unix_seconds(header_text(value, header)?, header).map(Some)
    }
}

/// The signatures a request carries, decoded.
enum Received {
    One([u8; TAG_LEN]),
    Several(Vec<[u8; TAG_LEN]>),
}

impl Received {
    /// Whether `tag` is one of them, each compared in constant time (`subtle`).
    fn contains(&self, tag: &[u8]) -> bool {
        let received = match self {
            Received::One(one) => std::slice::from_ref(one),
            Received::Several(several) => several.as_slice(),
        };
        received.iter().any(|candidate| bool::from(candidate.as_slice().ct_eq(tag)))
    }
}

/// A signature in padded Base64, or why it is not one.
fn decode_base64(text: &[u8]) -> Result<[u8; TAG_LEN], &'static str> {
    let mut tag = [0; TAG_LEN];
    match STANDARD.decode_slice(text, &mut tag) {
        Ok(TAG_LEN) => Ok(tag),
        Ok(_) | Err(DecodeSliceError::OutputSliceTooSmall) => Err(WRONG_TAG_LENGTH),
        Err(DecodeSliceError::DecodeError(_)) => Err(NOT_BASE64),
    }
}

/// A signature in hex of either case, or why it is not one.
fn decode_hex(text: &[u8]) -> Result<[u8; TAG_LEN], &'static str> {
    if text.len() != 2 * TAG_LEN {
        return Err(WRONG_TAG_LENGTH);
    }
    let digit = |byte: u8| char::from(byte).to_digit(16).ok_or(NOT_HEX);
    let mut tag = [0; TAG_LEN];
    for (byte, pair) in tag.iter_mut().zip(text.chunks_exact(2)) {
        // Two hex digits are at most 0xff.
        *byte = (digit(pair[0])? << 4 | digit(pair[1])?) as u8;
    }
    Ok(tag)
}

#[cfg(test)]
mod tests;
