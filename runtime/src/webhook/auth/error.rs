//! Why a callback was not accepted, in words that name the header and the likely fix but never
//! a secret, a signature or a credential.

use std::fmt;

// Reasons an `AuthError::InvalidHeader` gives, completing "the `<header>` header ...".
pub(super) const NOT_VISIBLE_ASCII: &str = "is not visible ASCII text";
pub(super) const NOT_BASE64: &str = "is not valid padded Base64";
pub(super) const NOT_HEX: &str = "is not valid hex";
pub(super) const WRONG_TAG_LENGTH: &str = "does not decode to the 32 bytes of an HMAC-SHA256 signature";
pub(super) const WITHOUT_PREFIX: &str = "does not start with the text the scheme writes before the signature";
pub(super) const NO_SIGNATURE: &str = "holds no signature of this scheme's version and encoding";
pub(super) const NOT_UNIX_SECONDS: &str = "is not a whole number of Unix seconds";
pub(super) const NOT_BASIC: &str = "does not use the Basic scheme";
pub(super) const NOT_BASE64_CREDENTIALS: &str = "does not hold Base64-encoded Basic credentials";

/// Why a callback was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthError {
    /// A header the scheme requires is absent.
    MissingHeader(&'static str),
    /// A header is present but unreadable (not ASCII/UTF-8, not Base64/hex, timestamp not an
    /// integer, ...).
    InvalidHeader {
        /// The header's name.
        header: &'static str,
        /// What is wrong with it, completing "the `<header>` header ...".
        reason: &'static str,
    },
    /// The algorithm header names an algorithm other than the scheme's.
    UnsupportedAlgorithm {
        /// The algorithm header's name.
        header: &'static str,
        /// The algorithm the request names.
        value: String,
    },
    /// The timestamp is outside the tolerance.
    Stale {
        /// The signed timestamp, in Unix seconds.
        timestamp: i64,
        /// The receiver's clock, in Unix seconds.
        now: i64,
        /// The tolerance, in seconds.
        max_age_secs: u64,
    },
    /// The signature does not match the body and the secret.
    SignatureMismatch,
    /// Basic credentials are missing a colon, or do not match.
    WrongCredentials,
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingHeader(header) => write!(
                f,
                "the request has no `{header}` header; check that the sender is configured to \
                 authenticate its callbacks the way this receiver expects"
            ),
            Self::InvalidHeader { header, reason } => {
                write!(f, "the `{header}` header {reason}; check what the sender puts in it")
            }
            Self::UnsupportedAlgorithm { header, value } => write!(
                f,
                "the `{header}` header names the signature algorithm {value:?}, which this \
                 receiver does not support; check the algorithm the sender is configured to use"
            ),
            Self::Stale { timestamp, now, max_age_secs } => write!(
                f,
                "the signature timestamp {timestamp} is {} seconds away from the receiver's \
                 clock ({now}), more than the {max_age_secs} seconds allowed; the request may be \
                 a replay, or the sender's or the receiver's clock is wrong (the timestamp must \
                 be in Unix seconds)",
                timestamp.abs_diff(*now)
            ),
            Self::SignatureMismatch => f.write_str(
                "the signature does not match the request body and the shared secret; check \
                 that both sides use the same secret and that nothing (a proxy, a body parser) \
                 changed the body before it was verified",
            ),
            Self::WrongCredentials => {
                f.write_str("the Basic credentials do not match the configured username and password")
            }
        }
    }
}

impl std::error::Error for AuthError {}
