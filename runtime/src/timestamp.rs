use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDateTime, Timelike, Utc};
use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

/// A `date-time` value: an instant, the UTC offset it was written in, and how it was written.
///
/// Accepts RFC 3339 (`2021-10-18T17:49:13.813615Z`, `2022-08-30T10:16:08+02:00`) and also the
/// zone-less form some senders emit (`2022-08-30T08:16:08.930`), which is read as UTC.
/// Encoding writes a received value as it came: the same number of fractional digits (up to
/// nine; `.000000` stays), and `Z`, an offset or no zone as received, so a callback re-encodes
/// to the text it arrived as. A value built from a `chrono` date-time is written with `Z` for
/// UTC and the shortest of 0, 3, 6 or 9 fractional digits that holds it.
///
/// Equality, ordering and hashing are the instant's: `…08:16:08Z` equals `…10:16:08+02:00`.
#[derive(Debug, Clone, Copy)]
pub struct Timestamp {
    instant: DateTime<FixedOffset>,
    written: Written,
}

/// How a timestamp's text was written, beyond its instant and offset.
#[derive(Debug, Clone, Copy)]
struct Written {
    /// Digits after the seconds' point, 0 to 9.
    fraction_digits: u8,
    zone: Zone,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Zone {
    /// `Z` (or `z`).
    Utc,
    /// `+02:00`, `+00:00`.
    Offset,
    /// `-00:00`: UTC, with the local offset unknown (RFC 3339, section 4.3).
    UnknownLocal,
    /// No zone: read as UTC.
    Absent,
}

impl Written {
    /// The shortest of 0, 3, 6 or 9 digits that holds `instant`'s fraction; `Z` when in UTC.
    fn shortest(instant: &DateTime<FixedOffset>) -> Self {
        let fraction_digits: u8 = match instant.nanosecond() % 1_000_000_000 {
            0 => 0,
            nanos if nanos % 1_000_000 == 0 => 3,
            nanos if nanos % 1_000 == 0 => 6,
            _ => 9,
        };
        let zone = if instant.offset().local_minus_utc() == 0 { Zone::Utc } else { Zone::Offset };
        Written { fraction_digits, zone }
    }

    /// How `text`, which parsed with `zone`, writes its fraction.
    fn of(text: &str, zone: Zone) -> Self {
        // The date and time hold no `.`: the first one starts the seconds' fraction, whatever
        // the year's width.
        let fraction = text.split_once('.').map_or("", |(_, rest)| rest);
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count().min(9);
        Written { fraction_digits: digits as u8, zone }
    }
}

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
        self.instant.with_timezone(&Utc)
    }

    /// The instant with the offset it was written in.
    pub fn as_fixed_offset(&self) -> &DateTime<FixedOffset> {
        &self.instant
    }
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        self.instant == other.instant
    }
}

impl Eq for Timestamp {}

impl std::hash::Hash for Timestamp {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.instant.hash(state);
    }
}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.instant.cmp(&other.instant)
    }
}

impl FromStr for Timestamp {
    type Err = TimestampError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Ok(instant) = DateTime::parse_from_rfc3339(s) {
            let zone = if s.ends_with(['Z', 'z']) {
                Zone::Utc
            } else if s.ends_with("-00:00") {
                Zone::UnknownLocal
            } else {
                Zone::Offset
            };
            return Ok(Timestamp { instant, written: Written::of(s, zone) });
        }
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
            .map(|naive| Timestamp { instant: naive.and_utc().fixed_offset(), written: Written::of(s, Zone::Absent) })
            .map_err(|_| TimestampError { input: s.to_owned() })
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Written { fraction_digits, zone } = self.written;
        write!(f, "{}", self.instant.format("%Y-%m-%dT%H:%M:%S"))?;
        if fraction_digits > 0 {
            // A leap second's nanoseconds run past 10^9; its fraction is what is left.
            let nanos = format!("{:09}", self.instant.nanosecond() % 1_000_000_000);
            write!(f, ".{}", &nanos[..usize::from(fraction_digits)])?;
        }
        match zone {
            Zone::Utc => f.write_str("Z"),
            Zone::Offset => write!(f, "{}", self.instant.format("%:z")),
            Zone::UnknownLocal => f.write_str("-00:00"),
            Zone::Absent => Ok(()),
        }
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(instant: DateTime<Utc>) -> Self {
        Timestamp::from(instant.fixed_offset())
    }
}

impl From<DateTime<FixedOffset>> for Timestamp {
    fn from(instant: DateTime<FixedOffset>) -> Self {
        Timestamp { instant, written: Written::shortest(&instant) }
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
        assert_eq!(naive, utc);
    }

    #[test]
    fn re_encodes_the_text_received() {
        for exact in [
            "2025-06-15T10:30:00.000000Z",
            "2026-08-02T06:15:00.000Z",
            "2026-08-02T06:15:00.1Z",
            "2022-08-30T08:16:08.930",
            "2022-08-30T08:16:08",
            "2022-08-30T10:16:08.50+02:00",
            "2022-08-30T08:16:08+00:00",
            "2022-08-30T08:16:08-00:00",
            "1985-04-12T23:20:50.52Z",
        ] {
            assert_eq!(roundtrip(exact), exact);
        }
    }

    #[test]
    fn built_values_take_the_shortest_fraction_and_z_for_utc() {
        let at = |nanos| Timestamp::from(DateTime::from_timestamp(1_600_000_000, nanos).unwrap()).to_string();
        assert_eq!(at(0), "2020-09-13T12:26:40Z");
        assert_eq!(at(500_000_000), "2020-09-13T12:26:40.500Z");
        assert_eq!(at(123_456_000), "2020-09-13T12:26:40.123456Z");
        assert_eq!(at(123_456_789), "2020-09-13T12:26:40.123456789Z");
    }

    #[test]
    fn the_size_the_generator_estimates() {
        // `analysis.rs` in the generator measures unions with this size to decide which
        // variants to box; change both together.
        assert_eq!((std::mem::size_of::<Timestamp>(), std::mem::align_of::<Timestamp>()), (20, 4));
    }

    #[test]
    fn equal_instants_are_equal_however_written() {
        use std::collections::HashSet;
        let written = ["2022-08-30T08:16:08Z", "2022-08-30T08:16:08.000Z", "2022-08-30T10:16:08+02:00"];
        let parsed: Vec<Timestamp> = written.iter().map(|text| text.parse().unwrap()).collect();
        assert!(parsed.windows(2).all(|pair| pair[0] == pair[1]));
        assert_eq!(parsed.iter().collect::<HashSet<_>>().len(), 1);
        assert!(parsed[0] < "2022-08-30T08:16:09Z".parse().unwrap());
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
