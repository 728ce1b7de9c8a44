//! Reading the headers a scheme names, and writing them for a signed request.

use http::header::{HeaderName, HeaderValue};
use http::HeaderMap;

use super::error::{AuthError, NOT_VISIBLE_ASCII};

/// A header a scheme reads, its name parsed once (when the verifier is built) so that each
/// request's `HeaderMap::get` only hashes it. Names match case-insensitively, as HTTP's do.
pub(super) struct SchemeHeader {
    /// The name as the scheme spells it, for errors.
    name: &'static str,
    /// None when the name is not a valid header name: no request can carry it.
    parsed: Option<HeaderName>,
}

impl SchemeHeader {
    pub(super) fn new(name: &'static str) -> Self {
        Self { name, parsed: HeaderName::from_bytes(name.as_bytes()).ok() }
    }

    pub(super) fn name(&self) -> &'static str {
        self.name
    }

    /// The header's first value, if the request has it.
    pub(super) fn find<'h>(&self, headers: &'h HeaderMap) -> Option<&'h HeaderValue> {
        headers.get(self.parsed.as_ref()?)
    }

    /// The header's first value, or [`AuthError::MissingHeader`].
    pub(super) fn require<'h>(&self, headers: &'h HeaderMap) -> Result<&'h HeaderValue, AuthError> {
        self.find(headers).ok_or(AuthError::MissingHeader(self.name))
    }

    /// The header's first value as text, or why it cannot be read.
    pub(super) fn require_text<'h>(&self, headers: &'h HeaderMap) -> Result<&'h str, AuthError> {
        header_text(self.require(headers)?, self.name)
    }
}

/// A header's value as text, or [`AuthError::InvalidHeader`] naming it.
pub(super) fn header_text<'a>(value: &'a HeaderValue, name: &'static str) -> Result<&'a str, AuthError> {
    value.to_str().map_err(|_| AuthError::InvalidHeader { header: name, reason: NOT_VISIBLE_ASCII })
}

/// Inserts a header, leaving it out when the name or the value cannot be represented.
pub(super) fn insert_header(headers: &mut HeaderMap, name: &str, value: &str) {
    if let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(value)) {
        headers.insert(name, value);
    }
}
