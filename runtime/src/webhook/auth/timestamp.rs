//! The age check of a signed timestamp: how far it may be from the receiver's clock.
//!
//! A replayed request carries an old timestamp; a signature covering the timestamp makes the
//! check meaningful, so schemes check it only after the signature (see `Verifier::verify`).

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::error::{AuthError, NOT_UNIX_SECONDS};

/// How long a signature timestamp may be away from the receiver's clock unless configured.
pub(super) const DEFAULT_MAX_AGE: Duration = Duration::from_secs(5 * 60);

/// The tolerance for signed timestamps, and the clock they are compared with.
#[derive(Clone)]
pub(super) struct Freshness {
    /// None: timestamps are not checked.
    pub(super) max_age: Option<Duration>,
    pub(super) clock: Arc<dyn Fn() -> SystemTime + Send + Sync>,
}

impl Default for Freshness {
    fn default() -> Self {
        Self { max_age: Some(DEFAULT_MAX_AGE), clock: Arc::new(SystemTime::now) }
    }
}

impl Freshness {
    /// Whether timestamps are checked at all.
    pub(super) fn enabled(&self) -> bool {
        self.max_age.is_some()
    }

    /// Accepts `timestamp` (Unix seconds) when it is at most the max age away from the clock,
    /// in either direction, counting the clock's whole seconds.
    pub(super) fn check(&self, timestamp: i64) -> Result<(), AuthError> {
        let Some(max_age) = self.max_age else {
            return Ok(());
        };
        let now = unix_seconds((self.clock)());
        let max_age_secs = max_age.as_secs();
        if timestamp.abs_diff(now) <= max_age_secs {
            Ok(())
        } else {
            Err(AuthError::Stale { timestamp, now, max_age_secs })
        }
    }
}

/// The Unix seconds a timestamp header's text holds, as `str::parse` reads an `i64`.
pub(super) fn parse_unix_seconds(text: &str, header: &'static str) -> Result<i64, AuthError> {
    text.parse().map_err(|_| AuthError::InvalidHeader { header, reason: NOT_UNIX_SECONDS })
}

/// Seconds since the Unix epoch, negative before it (whole seconds, toward the epoch),
/// saturating far from it.
fn unix_seconds(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |secs| -secs),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked_at(now: SystemTime, max_age_secs: u64) -> Freshness {
        Freshness { max_age: Some(Duration::from_secs(max_age_secs)), clock: Arc::new(move || now) }
    }

    #[test]
    fn unix_seconds_count_whole_seconds_toward_the_epoch() {
        let half = Duration::from_millis(10_500);
        assert_eq!(unix_seconds(UNIX_EPOCH + half), 10);
        assert_eq!(unix_seconds(UNIX_EPOCH - half), -10);
        assert_eq!(unix_seconds(UNIX_EPOCH), 0);
    }

    #[test]
    fn extreme_timestamps_and_tolerances_do_not_overflow() {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert!(matches!(checked_at(now, 300).check(i64::MIN), Err(AuthError::Stale { .. })));
        assert!(matches!(checked_at(now, 300).check(i64::MAX), Err(AuthError::Stale { .. })));
        assert_eq!(checked_at(now, u64::MAX).check(i64::MIN), Ok(()));
        assert_eq!(checked_at(now, u64::MAX).check(i64::MAX), Ok(()));
    }

    #[test]
    fn no_max_age_accepts_any_timestamp() {
        let freshness = Freshness { max_age: None, ..Freshness::default() };
        assert!(!freshness.enabled());
        assert_eq!(freshness.check(i64::MIN), Ok(()));
    }

    #[test]
    fn timestamps_are_decimal_integers() {
        assert_eq!(parse_unix_seconds("1634579353", "t"), Ok(1_634_579_353));
        assert_eq!(parse_unix_seconds("+1634579353", "t"), Ok(1_634_579_353));
        assert_eq!(parse_unix_seconds("-10", "t"), Ok(-10));
        let invalid = Err(AuthError::InvalidHeader { header: "t", reason: NOT_UNIX_SECONDS });
        for text in ["1634579353.5", "99999999999999999999", " 1634579353", ""] {
            assert_eq!(parse_unix_seconds(text, "t"), invalid, "{text:?}");
        }
    }
}
