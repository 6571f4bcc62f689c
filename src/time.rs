//! Timestamps as the exports write them: RFC 3339 in its many spellings, the boto3
//! `str(datetime)` form, bare dates, Unix seconds, and the sentinels that mean "no value".
//!
//! Everything in deprov carries `jiff::Timestamp`; strings never travel past a source's parser.

use jiff::civil::Date;
use jiff::{tz, Timestamp};

/// What a timestamp field of an export held once sentinels are recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeField {
    /// A real point in time.
    At(Timestamp),
    /// A sentinel that says the value does not exist (`N/A`, `no_information`, `null`, `""`,
    /// `0001-01-01T00:00:00Z`, Unix `0`).
    Absent,
    /// A sentinel that says "never" for an expiry (`9999-12-31T23:59:59Z` and other far-future
    /// values written by old tooling).
    Never,
}

/// Why a timestamp text could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a timestamp deprov understands (RFC 3339, `YYYY-MM-DD HH:MM:SS+00:00`, or `YYYY-MM-DD`)")]
pub struct TimeParseError {
    pub text: String,
}

/// Values that exports use to say "there is no date here". Compared case-insensitively.
const ABSENT_SENTINELS: &[&str] = &[
    "",
    "n/a",
    "no_information",
    "not_supported",
    "null",
    "none",
    "0",
    "0001-01-01t00:00:00z",
];

/// Years from which an expiry is "never expires" in practice (GCP's 9999 sentinel, Entra's 2299
/// and 9999 values written by old tooling).
const NEVER_FROM_YEAR: i16 = 2299;

/// Parses an export's timestamp text, recognising sentinels.
pub fn parse_field(text: &str) -> Result<TimeField, TimeParseError> {
    let trimmed = text.trim();
    if ABSENT_SENTINELS
        .iter()
        .any(|s| trimmed.eq_ignore_ascii_case(s))
    {
        return Ok(TimeField::Absent);
    }
    // Far-future sentinels are beyond the range of `Timestamp` (which ends in 9999), so read the
    // year from the text first.
    if let Some(year) = trimmed.get(..4).and_then(|y| y.parse::<i16>().ok()) {
        if year >= NEVER_FROM_YEAR && trimmed.as_bytes().get(4) == Some(&b'-') {
            parse_civil_loosely(trimmed)?;
            return Ok(TimeField::Never);
        }
    }
    let ts = parse_timestamp(trimmed)?;
    let year = ts.to_zoned_datetime(tz::TimeZone::UTC).year();
    if year >= NEVER_FROM_YEAR {
        return Ok(TimeField::Never);
    }
    if year <= 1 {
        // Go's zero time (0001-01-01) in any spelling, with fractional seconds or an offset.
        return Ok(TimeField::Absent);
    }
    Ok(TimeField::At(ts))
}

/// Parses one timestamp (no sentinels): RFC 3339 with `Z` or any offset and up to nine
/// fractional digits, the boto3 space-separated form, a bare date (midnight UTC), and the
/// invalid one-digit-hour offsets (`-8:00`) of the Microsoft Graph documentation examples.
pub fn parse_timestamp(text: &str) -> Result<Timestamp, TimeParseError> {
    let err = || TimeParseError {
        text: text.to_string(),
    };
    let text = text.trim();
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(ts);
    }
    if text.len() == 10 {
        if let Ok(date) = text.parse::<Date>() {
            return date
                .to_zoned_datetime(tz::TimeZone::UTC)
                .map(|z| z.timestamp())
                .map_err(|_| err());
        }
    }
    // boto3 `str(datetime)`: `2019-12-18 19:10:08+00:00`. jiff's Timestamp parser accepts a
    // space separator, but be explicit in case a `T` is needed.
    if text.len() > 10 && text.as_bytes()[10] == b' ' {
        let mut fixed = text.to_string();
        fixed.replace_range(10..11, "T");
        if let Ok(ts) = fixed.parse::<Timestamp>() {
            return Ok(ts);
        }
    }
    if let Some(fixed) = repair_short_offset(text) {
        if let Ok(ts) = fixed.parse::<Timestamp>() {
            return Ok(ts);
        }
    }
    // A date-time without any offset is read as UTC: exports that omit it mean UTC.
    if let Ok(dt) = text.parse::<jiff::civil::DateTime>() {
        if let Ok(z) = dt.to_zoned_datetime(tz::TimeZone::UTC) {
            return Ok(z.timestamp());
        }
    }
    Err(err())
}

/// Checks that a far-future value is at least a well-formed date.
fn parse_civil_loosely(text: &str) -> Result<(), TimeParseError> {
    text.get(..10)
        .and_then(|d| d.parse::<Date>().ok())
        .map(|_| ())
        .ok_or_else(|| TimeParseError {
            text: text.to_string(),
        })
}

/// `2019-05-01T10:00:00-8:00` → `2019-05-01T10:00:00-08:00`.
fn repair_short_offset(text: &str) -> Option<String> {
    let sign_at = text.rfind(['+', '-'])?;
    if sign_at < 19 {
        return None;
    }
    let offset = &text[sign_at + 1..];
    let (hours, minutes) = offset.split_once(':')?;
    if hours.len() == 1 && hours.bytes().all(|b| b.is_ascii_digit()) && minutes.len() == 2 {
        Some(format!("{}0{}", &text[..=sign_at], offset))
    } else {
        None
    }
}

/// Unix seconds as Vault writes `creation_time` on tokens; `0` is the absent sentinel.
pub fn from_unix_seconds(seconds: i64) -> TimeField {
    if seconds <= 0 {
        return TimeField::Absent;
    }
    match Timestamp::from_second(seconds) {
        Ok(ts) => TimeField::At(ts),
        Err(_) => TimeField::Absent,
    }
}

impl TimeField {
    /// The timestamp, if the field held one.
    pub fn at(self) -> Option<Timestamp> {
        match self {
            TimeField::At(ts) => Some(ts),
            _ => None,
        }
    }
}

/// Formats a timestamp the way every output of deprov writes it: RFC 3339, UTC, whole seconds.
pub fn format_rfc3339(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The UTC day of a timestamp, as evidence and messages name dates (`2026-03-02`).
pub fn format_day(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%d").to_string()
}

/// Whole days between two instants (negative when `later` is before `earlier`).
pub fn days_between(earlier: Timestamp, later: Timestamp) -> i64 {
    (later.as_second() - earlier.as_second()).div_euclid(86_400)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        match parse_field(text) {
            Ok(TimeField::At(ts)) => ts,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn reads_every_spelling_in_the_exports() {
        let expected = at("2019-12-18T19:10:08Z");
        assert_eq!(at("2019-12-18T19:10:08+00:00"), expected);
        assert_eq!(at("2019-12-18 19:10:08+00:00"), expected);
        assert_eq!(at("2019-12-18T20:10:08+01:00"), expected);
        assert_eq!(at("2019-12-18T19:10:08.000000000Z"), expected);
        assert_eq!(at("2019-12-18T11:10:08-8:00"), expected);
        assert_eq!(at("2019-12-18T19:10:08"), expected);
        assert_eq!(format_rfc3339(at("2026-03-01")), "2026-03-01T00:00:00Z");
    }

    #[test]
    fn sentinels_are_never_dates() {
        for s in [
            "N/A",
            "no_information",
            "not_supported",
            "",
            "0001-01-01T00:00:00Z",
            "null",
        ] {
            assert_eq!(parse_field(s), Ok(TimeField::Absent), "{s}");
        }
        assert_eq!(parse_field("9999-12-31T23:59:59Z"), Ok(TimeField::Never));
        assert_eq!(parse_field("2299-12-31T00:00:00Z"), Ok(TimeField::Never));
        assert_eq!(from_unix_seconds(0), TimeField::Absent);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for s in [
            "yesterday",
            "2019-13-45",
            "2019-12-18T25:00:00Z",
            "\u{0}",
            "2019-12-18T19:10:08+",
        ] {
            assert!(parse_field(s).is_err(), "{s}");
        }
    }
}
