//! Finding the headers a scheme reads in a request, and writing them for a signed request.

use http::header::{HeaderName, HeaderValue};
use http::HeaderMap;

use super::error::{AuthError, NOT_VISIBLE_ASCII};
use super::scheme::HmacScheme;

/// What an [`HmacScheme`] names a header for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Signature,
    Algorithm,
    Timestamp,
    Nonce,
}

impl Role {
    const ALL: [Role; 4] = [Role::Signature, Role::Algorithm, Role::Timestamp, Role::Nonce];

    /// The header `scheme` names for this role, if it names one.
    fn name_in(self, scheme: &HmacScheme) -> Option<&'static str> {
        match self {
            Role::Signature => Some(scheme.signature_header),
            Role::Algorithm => scheme.algorithm_header,
            Role::Timestamp => scheme.timestamp_header,
            Role::Nonce => scheme.nonce_header,
        }
    }
}

/// A header a scheme reads, its name parsed once. Names match case-insensitively, as HTTP's do.
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
    pub(super) fn get<'h>(&self, headers: &'h HeaderMap) -> Option<&'h HeaderValue> {
        headers.get(self.parsed.as_ref()?)
    }
}

/// The headers a scheme names for a [`Role`], looked up together.
pub(super) struct RoleHeaders {
    /// Each role's header, by role; a name can fill several roles.
    named: [Option<HeaderName>; Role::ALL.len()],
}

impl RoleHeaders {
    pub(super) fn new(scheme: &HmacScheme) -> Self {
        let parsed = |role: Role| HeaderName::from_bytes(role.name_in(scheme)?.as_bytes()).ok();
        Self { named: Role::ALL.map(parsed) }
    }

    /// The role whose header is named `name` (as the scheme may spell it in another case).
    pub(super) fn role_of(&self, name: &SchemeHeader) -> Option<Role> {
        let parsed = name.parsed.as_ref()?;
        Role::ALL.into_iter().find(|role| self.named[*role as usize].as_ref() == Some(parsed))
    }

    /// The first value of each role's header in `headers`.
    ///
    /// Fast path, kept because the signature bench shows it (over 10% of the cost, issue 16):
    /// `HeaderMap::get` hashes a name byte by byte, and a lookup per role and signed part was
    /// 40% of verifying a 64-byte callback (3.0x the raw HMAC, against 1.5x with this pass).
    pub(super) fn find<'h>(&self, headers: &'h HeaderMap) -> Found<'h> {
        let mut found = Found([None; Role::ALL.len()]);
        for (name, value) in headers {
            for (slot, named) in found.0.iter_mut().zip(&self.named) {
                if named.as_ref() == Some(name) {
                    slot.get_or_insert(value);
                }
            }
        }
        found
    }
}

/// One request's values of the headers a scheme names for a role (the first of each).
pub(super) struct Found<'h>([Option<&'h HeaderValue>; Role::ALL.len()]);

impl<'h> Found<'h> {
    pub(super) fn get(&self, role: Role) -> Option<&'h HeaderValue> {
        self.0[role as usize]
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
