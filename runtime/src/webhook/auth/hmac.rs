//! Verifying a callback signed with an [`HmacScheme`].
//!
//! The order of the checks is part of the contract (see `Verifier::verify`): the algorithm
//! header, the signature header, the timestamp's syntax, the signature, and only then the
//! timestamp's age, so that [`AuthError::Stale`] is only reported for a timestamp the sender
//! really signed.

use base64::engine::general_purpose::STANDARD;
use base64::{DecodeSliceError, Engine as _};
use hmac::Mac;
use http::HeaderMap;

use super::error::{AuthError, NOT_BASE64, NOT_HEX, WRONG_TAG_LENGTH};
use super::headers::{header_text, Found, Role, RoleHeaders};
use super::scheme::{keyed_mac, Encoding, HmacScheme, HmacSha256, SignedParts};
use super::timestamp::{parse_unix_seconds, Freshness};
use crate::Secret;

/// Length in bytes of an HMAC-SHA256 signature.
const TAG_LEN: usize = 32;

/// What an HMAC verifier prepares once, when it is built: the keyed MAC (so the key schedule is
/// not recomputed per request) and the scheme's header names, parsed.
pub(super) struct HmacVerifier {
    /// Copied for each request.
    keyed: HmacSha256,
    encoding: Encoding,
    /// The headers that fill a role, parsed; the names below are the scheme's spellings, for errors.
    roles: RoleHeaders,
    signature_header: &'static str,
    /// The header naming the algorithm, and the name it must hold.
    algorithm: Option<(&'static str, &'static str)>,
    timestamp_header: Option<&'static str>,
    signed: SignedParts,
}

impl HmacVerifier {
    pub(super) fn new(scheme: &HmacScheme, secret: &Secret) -> Self {
        let roles = RoleHeaders::new(scheme);
        Self {
            keyed: keyed_mac(secret),
            encoding: scheme.encoding,
            signed: SignedParts::new(scheme.signed, &roles),
            roles,
            signature_header: scheme.signature_header,
            algorithm: scheme.algorithm_header.map(|name| (name, scheme.algorithm)),
            timestamp_header: scheme.timestamp_header,
        }
    }

    pub(super) fn verify(&self, headers: &HeaderMap, body: &[u8], freshness: &Freshness) -> Result<(), AuthError> {
        let found = self.roles.find(headers);
        self.check_algorithm(&found)?;
        let received = self.received_tag(&found)?;
        let timestamp = self.timestamp_to_check(&found, freshness)?;
        let mut mac = self.keyed.clone();
        self.signed.feed(&mut mac, body, headers, &found)?;
        // `verify_slice` compares in constant time (through `subtle`).
        mac.verify_slice(&received).map_err(|_| AuthError::SignatureMismatch)?;
        match timestamp {
            Some(timestamp) => freshness.check(timestamp),
            None => Ok(()),
        }
    }

    /// Rejects a request whose algorithm header names another algorithm than the scheme's; a
    /// request without the header is accepted.
    fn check_algorithm(&self, found: &Found<'_>) -> Result<(), AuthError> {
        let (Some((header, algorithm)), Some(value)) = (self.algorithm, found.get(Role::Algorithm)) else {
            return Ok(());
        };
        let value = header_text(value, header)?;
        if value.eq_ignore_ascii_case(algorithm) {
            Ok(())
        } else {
            Err(AuthError::UnsupportedAlgorithm { header, value: value.to_owned() })
        }
    }

    /// The signature the request carries, decoded.
    fn received_tag(&self, found: &Found<'_>) -> Result<[u8; TAG_LEN], AuthError> {
        let header = self.signature_header;
        let value = found.get(Role::Signature).ok_or(AuthError::MissingHeader(header))?;
        let text = header_text(value, header)?;
        let decoded = match self.encoding {
            Encoding::Base64 => decode_base64(text),
            Encoding::Hex => decode_hex(text),
        };
        decoded.map_err(|reason| AuthError::InvalidHeader { header, reason })
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

/// A signature in padded Base64, or why it is not one.
fn decode_base64(text: &str) -> Result<[u8; TAG_LEN], &'static str> {
    let mut tag = [0; TAG_LEN];
    match STANDARD.decode_slice(text, &mut tag) {
        Ok(TAG_LEN) => Ok(tag),
        Ok(_) | Err(DecodeSliceError::OutputSliceTooSmall) => Err(WRONG_TAG_LENGTH),
        Err(DecodeSliceError::DecodeError(_)) => Err(NOT_BASE64),
    }
}

/// A signature in hex of either case, or why it is not one.
fn decode_hex(text: &str) -> Result<[u8; TAG_LEN], &'static str> {
    if text.len() != 2 * TAG_LEN {
        return Err(WRONG_TAG_LENGTH);
    }
    let digit = |byte: u8| char::from(byte).to_digit(16).ok_or(NOT_HEX);
    let mut tag = [0; TAG_LEN];
    for (byte, pair) in tag.iter_mut().zip(text.as_bytes().chunks_exact(2)) {
        // Two hex digits are at most 0xff.
        *byte = (digit(pair[0])? << 4 | digit(pair[1])?) as u8;
    }
    Ok(tag)
}

#[cfg(test)]
mod tests;
