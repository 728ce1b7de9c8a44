use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDateTime, SecondsFormat, Utc};
use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

/// A `date-time` value: an instant together with the UTC offset it was written in.
///
/// Accepts RFC 3339 (`2021-10-18T17:49:13.813615Z`, `2022-08-30T10:16:08+02:00`) and also the
/// zone-less form some senders emit (`2022-08-30T08:16:08.930`), which is read as UTC.
/// Fractions of up to nine digits are kept. Encoding writes RFC 3339 with `Z` for UTC and the
/// shortest of 0, 3, 6 or 9 fractional digits that holds the value, so a re-encoded value
/// denotes the same instant as the one received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp(DateTime<FixedOffset>);

/// Why a string is not a [`Timestamp`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampError {
    input: String,
}

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid timestamp {:?}: expected RFC 3339 such as 2021-10-18T17:49:13.813615Z", self.input)
    }
}

impl std::error::Error for TimestampError {}

impl Timestamp {
    /// The instant in UTC.
    pub fn to_utc(&self) -> DateTime<Utc> {
        self.0.with_timezone(&Utc)
    }

    /// The instant with the offset it was written in.
    pub fn as_fixed_offset(&self) -> &DateTime<FixedOffset> {
        &self.0
    }
}

impl FromStr for Timestamp {
    type Err = TimestampError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Ok(with_zone) = DateTime::parse_from_rfc3339(s) {
            return Ok(Timestamp(with_zone));
        }
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
            .map(|naive| Timestamp(naive.and_utc().fixed_offset()))
            .map_err(|_| TimestampError { input: s.to_owned() })
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(instant: DateTime<Utc>) -> Self {
        Timestamp(instant.fixed_offset())
    }
}

impl From<DateTime<FixedOffset>> for Timestamp {
    fn from(instant: DateTime<FixedOffset>) -> Self {
        Timestamp(instant)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TimestampVisitor;

        impl Visitor<'_> for TimestampVisitor {
            type Value = Timestamp;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 date-time string")
            }

            fn visit_str<E: de::Error>(self, s: &str) -> Result<Timestamp, E> {
                s.parse().map_err(E::custom)
            }
        }

        deserializer.deserialize_str(TimestampVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(input: &str) -> String {
        let parsed: Timestamp = serde_json::from_str(&format!("{input:?}")).unwrap();
        serde_json::to_string(&parsed).unwrap().trim_matches('"').to_owned()
    }

    #[test]
    fn keeps_what_sinch_sends_textually_where_it_can() {
        for exact in [
            "2021-10-18T17:49:13.813615Z",
            "2020-11-17T16:05:45Z",
            "2022-08-30T08:16:08.930Z",
            "2020-11-17T16:05:45.123456789Z",
            "2022-08-30T10:16:08+02:00",
        ] {
            assert_eq!(roundtrip(exact), exact);
        }
    }

    #[test]
    fn zone_less_is_utc() {
        let naive: Timestamp = "2022-08-30T08:16:08.930".parse().unwrap();
        let utc: Timestamp = "2022-08-30T08:16:08.930Z".parse().unwrap();
        assert_eq!(naive.to_utc(), utc.to_utc());
        assert_eq!(roundtrip("2022-08-30T08:16:08.930"), "2022-08-30T08:16:08.930Z");
    }

    #[test]
    fn offsets_compare_as_instants() {
        let paris: Timestamp = "2022-08-30T10:16:08+02:00".parse().unwrap();
        let utc: Timestamp = "2022-08-30T08:16:08Z".parse().unwrap();
        assert_eq!(paris.to_utc(), utc.to_utc());
    }

    #[test]
    fn nine_fractional_digits_are_kept() {
        let t: Timestamp = "2020-11-17T16:05:45.123456789".parse().unwrap();
        assert_eq!(t.to_utc().timestamp_subsec_nanos(), 123_456_789);
    }

    #[test]
    fn garbage_is_an_error_that_shows_the_input() {
        let err = serde_json::from_str::<Timestamp>("\"yesterday at noon\"").unwrap_err();
        assert!(err.to_string().contains("invalid timestamp \"yesterday at noon\""), "{err}");
        assert!(serde_json::from_str::<Timestamp>("12").is_err());
    }
}
