//! HTTP Basic credentials: `Authorization: Basic <base64(username:password)>`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use http::header::AUTHORIZATION;
use http::HeaderMap;
use subtle::ConstantTimeEq;

use super::error::{AuthError, NOT_BASE64_CREDENTIALS, NOT_BASIC};
use super::headers::header_text;
use crate::Secret;

/// The credentials a Basic verifier expects. Deliberately not `Debug`: it holds the password.
#[derive(Clone)]
pub(super) struct BasicCredentials {
    username: String,
    password: Secret,
}

impl BasicCredentials {
    pub(super) fn new(username: String, password: Secret) -> Self {
        Self { username, password }
    }

    /// Checks the `authorization` header; username and password are compared in constant time.
    pub(super) fn verify(&self, headers: &HeaderMap) -> Result<(), AuthError> {
        let name = AUTHORIZATION.as_str();
        let value = headers.get(AUTHORIZATION).ok_or(AuthError::MissingHeader(name))?;
        let text = header_text(value, name)?;
        let invalid = |reason| AuthError::InvalidHeader { header: name, reason };
        let (scheme, encoded) = text.split_once(' ').unwrap_or((text, ""));
        if !scheme.eq_ignore_ascii_case("Basic") {
            return Err(invalid(NOT_BASIC));
        }
        let decoded = STANDARD.decode(encoded.trim()).map_err(|_| invalid(NOT_BASE64_CREDENTIALS))?;
        // Split at the first colon: the username cannot contain one, the password may.
        let mut halves = decoded.splitn(2, |&byte| byte == b':');
        let (Some(user), Some(pass)) = (halves.next(), halves.next()) else {
            return Err(AuthError::WrongCredentials);
        };
        let user_ok = user.ct_eq(self.username.as_bytes());
        let pass_ok = pass.ct_eq(self.password.expose().as_bytes());
        if bool::from(user_ok & pass_ok) {
            Ok(())
        } else {
            Err(AuthError::WrongCredentials)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webhook::auth::vectors::{authorization, basic_credentials, basic_verifier};
    use crate::webhook::Verifier;

    #[test]
    fn basic_accepts_the_right_credentials() {
        let verifier = basic_verifier();
        assert_eq!(verifier.verify(&basic_credentials("alice:open sesame"), b""), Ok(()));
        let lowercase = authorization("basic YWxpY2U6b3BlbiBzZXNhbWU=");
        assert_eq!(verifier.verify(&lowercase, b""), Ok(()));
    }

    #[test]
    fn basic_password_may_contain_a_colon() {
        let verifier = Verifier::basic("alice", "pa:ss");
        assert_eq!(verifier.verify(&basic_credentials("alice:pa:ss"), b""), Ok(()));
        assert_eq!(verifier.verify(&basic_credentials("alice:pa"), b""), Err(AuthError::WrongCredentials));
    }

    #[test]
    fn basic_rejects_wrong_credentials() {
        let verifier = basic_verifier();
        for credentials in ["bob:open sesame", "alice:open sesam", "alice:", ":open sesame", "aliceopen sesame", ""] {
            let result = verifier.verify(&basic_credentials(credentials), b"");
            assert_eq!(result, Err(AuthError::WrongCredentials), "{credentials:?}");
        }
    }

    #[test]
    fn basic_requires_the_authorization_header() {
        let result = basic_verifier().verify(&HeaderMap::new(), b"");
        assert_eq!(result, Err(AuthError::MissingHeader("authorization")));
    }

    #[test]
    fn basic_rejects_other_schemes_and_bad_base64() {
        let invalid = |reason| Err(AuthError::InvalidHeader { header: "authorization", reason });
        let verifier = basic_verifier();
        assert_eq!(verifier.verify(&authorization("Bearer YWxpY2U6b3BlbiBzZXNhbWU="), b""), invalid(NOT_BASIC));
        assert_eq!(verifier.verify(&authorization("YWxpY2U6b3BlbiBzZXNhbWU="), b""), invalid(NOT_BASIC));
        assert_eq!(verifier.verify(&authorization("Basic not*base64"), b""), invalid(NOT_BASE64_CREDENTIALS));
    }
}
