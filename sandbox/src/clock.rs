//! Wall-clock time as Unix nanoseconds, and its RFC 3339 form in responses.

use std::time::{SystemTime, UNIX_EPOCH};

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Returns the current time in nanoseconds since the Unix epoch.
pub fn now_nanos() -> i64 {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since_epoch.as_nanos()).unwrap_or(i64::MAX)
}

/// Returns the current time in whole seconds since the Unix epoch.
pub fn now_secs() -> i64 {
    now_nanos().div_euclid(1_000_000_000)
}

/// Formats Unix nanoseconds as an RFC 3339 UTC timestamp, as Stream sends them.
///
/// The fraction keeps up to nine digits and drops trailing zeros, like Go's
/// `time.RFC3339Nano`: `2024-05-01T10:00:00.123456789Z`, `2024-05-01T10:00:00Z`.
pub fn format_timestamp(nanos: i64) -> String {
    let Ok(moment) = OffsetDateTime::from_unix_timestamp_nanos(i128::from(nanos)) else {
        return String::from("1970-01-01T00:00:00Z");
    };
    let mut text = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        moment.year(),
        u8::from(moment.month()),
        moment.day(),
        moment.hour(),
        moment.minute(),
        moment.second()
    );
    let fraction = moment.nanosecond();
    if fraction > 0 {
        let digits = format!("{fraction:09}");
        text.push('.');
        text.push_str(digits.trim_end_matches('0'));
    }
    text.push('Z');
    text
}

/// Parses an RFC 3339 timestamp (any offset) into Unix nanoseconds.
pub fn parse_timestamp(text: &str) -> Option<i64> {
    let moment = OffsetDateTime::parse(text, &Rfc3339).ok()?;
    i64::try_from(moment.unix_timestamp_nanos()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_trims_fraction() {
        assert_eq!(format_timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_timestamp(1_500_000_000), "1970-01-01T00:00:01.5Z");
        assert_eq!(
            format_timestamp(1_714_557_600_123_456_789),
            "2024-05-01T10:00:00.123456789Z"
        );
    }

    #[test]
    fn parse_round_trips() {
        let nanos = 1_714_557_600_123_456_000;
        assert_eq!(parse_timestamp(&format_timestamp(nanos)), Some(nanos));
        assert_eq!(
            parse_timestamp("2024-05-01T12:00:00+02:00"),
            Some(1_714_557_600_000_000_000)
        );
        assert_eq!(parse_timestamp("yesterday"), None);
    }
}
