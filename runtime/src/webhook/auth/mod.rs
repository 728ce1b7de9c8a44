//! Authenticating webhook callbacks: an HMAC signature, HTTP Basic credentials, or nothing.
//!
//! Nothing here is specific to one sender. A generated crate describes its spec's signing
//! scheme as a [`HmacScheme`] constant (which headers carry the signature, nonce, timestamp and
//! algorithm, how the signature is encoded, and what is signed in which order) and the receiver
//! builds a [`Verifier`] from it and the shared secrets.
//!
//! One file per way of authenticating (`hmac.rs`, `basic.rs`), each a [`Method`] of the
//! verifier; the schemes senders use are presets, one file each in `presets/`. The work is done by
//! well-kept libraries: `hmac` and `sha2` for the MAC and its constant-time check, `base64` to
//! decode, `subtle` to compare credentials, `http`'s `HeaderMap` to find headers. The key
//! schedule is computed once, when the verifier is built, and the body is never copied.
//!
//! No secret, signature or credential appears in a `Debug` output or an error message.

mod basic;
mod error;
mod headers;
mod hmac;
mod presets;
mod scheme;
mod timestamp;
#[cfg(test)]
mod vectors;

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use http::HeaderMap;

use self::basic::BasicCredentials;
use self::hmac::HmacVerifier;
use self::timestamp::Freshness;
use crate::Secret;

pub use self::error::AuthError;
pub use self::scheme::{Encoding, HmacScheme, SecretFormat, Signed};

/// Checks that a callback comes from the sender: an HMAC signature, Basic credentials, or nothing.
///
/// Cloning is cheap, and a verifier can be shared between threads.
#[derive(Clone)]
pub struct Verifier {
    method: Method,
    freshness: Freshness,
}

/// What a [`Verifier`] checks.
#[derive(Clone)]
enum Method {
    None,
    /// Shared so cloning the verifier stays cheap.
    Hmac(Arc<HmacVerifier>),
    Basic(BasicCredentials),
}

impl Verifier {
    /// A verifier that accepts every request, for senders configured without authentication.
    pub fn none() -> Self {
        Self::with_method(Method::None)
    }

    /// A verifier for HMAC signatures made with `scheme` and `secret`; the timestamp (when the
    /// scheme has one) may be at most 5 minutes away from the receiver's clock.
    pub fn hmac(scheme: HmacScheme, secret: impl Into<Secret>) -> Self {
        Self::hmac_any(scheme, [secret])
    }

    /// Like [`Verifier::hmac`], accepting a signature made with any of `secrets`: the old and
    /// the new secret during a rotation, or each app's secret when one receiver serves several.
    ///
    /// Each secret costs one more HMAC over the request when the earlier ones do not match, so
    /// a request signed with the last of n secrets costs n times one signed with the first.
    /// With no secret at all, every request is refused as a mismatch.
    pub fn hmac_any<S: Into<Secret>>(scheme: HmacScheme, secrets: impl IntoIterator<Item = S>) -> Self {
        let secrets: Vec<Secret> = secrets.into_iter().map(Into::into).collect();
        Self::with_method(Method::Hmac(Arc::new(HmacVerifier::new(&scheme, &secrets))))
    }

    /// A verifier for HTTP Basic credentials in the `authorization` header.
    pub fn basic(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self::with_method(Method::Basic(BasicCredentials::new(username.into(), password.into())))
    }

    /// Tolerance for the signature timestamp, both directions (None: no check). Default
    /// Some(5 min).
    ///
    /// The check has a resolution of whole seconds. It guards against replayed requests; it
    /// applies only to HMAC schemes with a timestamp header.
    pub fn max_age(mut self, max_age: Option<Duration>) -> Self {
        self.freshness.max_age = max_age;
        self
    }

    /// The clock used for the timestamp check; default SystemTime::now. Tests pass a fixed time.
    pub fn clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.freshness.clock = Arc::new(clock);
        self
    }

    /// How long after a request is accepted the same request could pass verification again,
    /// when a signed timestamp limits it: twice the max age (a timestamp may be that far on
    /// either side of the clock) and a second for the whole-second check. `None` when nothing
    /// in the request ages (no timestamp in the scheme, or no max age).
    pub fn replay_horizon(&self) -> Option<Duration> {
        let Method::Hmac(hmac) = &self.method else { return None };
        let max_age = self.freshness.max_age.filter(|_| hmac.has_timestamp())?;
        Some(max_age.saturating_mul(2).saturating_add(Duration::from_secs(1)))
    }

    /// Whether this verifier accepts every request.
    pub fn is_none(&self) -> bool {
        matches!(self.method, Method::None)
    }

    /// Checks a request's headers and raw body, exactly as received.
    ///
    /// For an HMAC scheme the order is: the algorithm header, the signature header, the
    /// timestamp's syntax, the signature, and only then the timestamp's age. A forged or
    /// tampered request therefore reports [`AuthError::SignatureMismatch`], and
    /// [`AuthError::Stale`] is only ever reported for a timestamp the sender really signed,
    /// which points at a replay or a wrong clock rather than at a wrong secret.
    pub fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), AuthError> {
        match &self.method {
            Method::None => Ok(()),
            Method::Hmac(hmac) => hmac.verify(headers, body, &self.freshness),
            Method::Basic(credentials) => credentials.verify(headers),
        }
    }

    fn with_method(method: Method) -> Self {
        Self { method, freshness: Freshness::default() }
    }
}

/// Shows the kind of verifier and the max age; never the secret or the credentials.
impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.method {
            Method::None => "none",
            Method::Hmac(_) => "hmac",
            Method::Basic(_) => "basic",
        };
        let mut debug = f.debug_struct("Verifier");
        debug.field("kind", &kind);
        if let Method::Hmac(hmac) = &self.method {
            debug.field("secrets", &hmac.secret_count());
        }
        debug.field("max_age", &self.freshness.max_age).finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::vectors::*;
    use super::*;

    #[test]
    fn none_accepts_everything() {
        let verifier = Verifier::none();
        assert!(verifier.is_none());
        assert_eq!(verifier.verify(&HeaderMap::new(), b"anything"), Ok(()));
        assert!(!basic_verifier().is_none());
        assert!(!vector_verifier().is_none());
    }

    #[test]
    fn secrets_are_redacted_from_debug_output() {
        assert!(!format!("{:?}", Secret::new(VECTOR_SECRET)).contains(VECTOR_SECRET));
        let hmac = format!("{:?}", vector_verifier());
        assert!(!hmac.contains(VECTOR_SECRET), "{hmac}");
        assert!(hmac.contains("hmac") && hmac.contains("300s") && hmac.contains("secrets: 1"), "{hmac}");
        let basic = format!("{:?}", basic_verifier());
        assert!(!basic.contains(PASSWORD), "{basic}");
        assert!(basic.contains("basic"), "{basic}");
    }

    #[test]
    fn error_messages_leak_neither_secrets_nor_signatures() {
        let hmac = |map: HeaderMap| vector_verifier().verify(&map, VECTOR_BODY.as_bytes());
        let check_basic = |map: HeaderMap| basic_verifier().verify(&map, b"");
        let in_2026 = vector_verifier().clock(at(NOW_2026));
        let errors = [
            hmac(without(vector_headers(), SIGNATURE)),
            hmac(with(vector_headers(), SIGNATURE, "!!!!")),
            hmac(with(vector_headers(), ALGORITHM, "HmacSHA1")),
            in_2026.verify(&vector_headers(), VECTOR_BODY.as_bytes()),
            hmac(with(vector_headers(), NONCE, "other")),
            check_basic(basic_credentials("alice:open sesam")),
            check_basic(authorization("Basic !")),
        ];
        for error in errors {
            let error = error.unwrap_err();
            let message = error.to_string();
            for secret in [VECTOR_SECRET, VECTOR_SIGNATURE, PASSWORD, "open sesam"] {
                assert!(!message.contains(secret), "{message}");
            }
        }
    }

    #[test]
    fn clones_share_the_configuration() {
        let verifier = vector_verifier().max_age(None).clock(at(NOW_2026));
        let clone = verifier.clone();
        assert_eq!(clone.verify(&vector_headers(), VECTOR_BODY.as_bytes()), Ok(()));
        assert_eq!(format!("{clone:?}"), format!("{verifier:?}"));
    }

    #[test]
    fn verifier_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Verifier>();
        assert_send_sync::<AuthError>();
    }
}
