//! A value that must never reach a log: passwords, tokens, webhook secrets.

use std::fmt;

use serde::de::{Deserialize, Deserializer};
use serde::ser::{Serialize, Serializer};

/// A password, token or shared secret. `Debug` prints `Secret(***)` and there is no `Display`.
///
/// Generated models type fields such as a webhook's `secret` with it, and API credentials hold
/// one, so that a `{:?}` of a request, a configuration or an error cannot leak the value into a
/// log. On the wire it is a plain JSON string. Read it with [`Secret::expose`], only where the
/// value itself is needed.
///
/// ```
/// let secret = hookwright_runtime::Secret::new("s3cr3t");
/// assert_eq!(format!("{secret:?}"), "Secret(***)");
/// assert_eq!(serde_json::to_string(&secret).unwrap(), r#""s3cr3t""#);
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value itself; call this only where the value is needed, never to log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Unknowns;

    const VALUE: &str = "zz-very-secret-7f3a";

    #[test]
    fn debug_hides_the_value() {
        let secret = Secret::new(VALUE);
        assert_eq!(format!("{secret:?}"), "Secret(***)");
        assert_eq!(format!("{:?}", Some(&secret)), "Some(Secret(***))");
        assert_eq!(format!("{secret:#?}"), "Secret(***)");
    }

    #[test]
    fn expose_and_conversions_give_the_value() {
        assert_eq!(Secret::from(VALUE).expose(), VALUE);
        assert_eq!(Secret::from(VALUE.to_owned()), Secret::new(VALUE));
        assert_ne!(Secret::new("a"), Secret::new("b"));
    }

    #[test]
    fn is_a_plain_json_string() {
        let secret: Secret = serde_json::from_str(r#""a\"b""#).unwrap();
        assert_eq!(secret.expose(), "a\"b");
        assert_eq!(serde_json::to_string(&secret).unwrap(), r#""a\"b""#);
        assert!(serde_json::from_str::<Secret>("12").is_err());
    }

    #[test]
    fn holds_no_unknowns() {
        assert!(Secret::new(VALUE).unknowns().is_empty());
    }

    #[test]
    fn can_be_a_map_key() {
        let set: std::collections::HashSet<Secret> = [Secret::new("a"), Secret::new("a")].into();
        assert_eq!(set.len(), 1);
    }
}
