//! Timestamps: RFC 3339 in UTC everywhere mockops prints or stores them.

use chrono::{DateTime, SecondsFormat, Utc};

/// `2026-11-25T20:19:23.123Z`
pub fn format(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Parses RFC 3339 (any offset) into UTC.
pub fn parse(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

pub fn serialize<S: serde::Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format(t))
}

pub fn serialize_opt<S: serde::Serializer>(
    t: &Option<DateTime<Utc>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&format(t)),
        None => s.serialize_none(),
    }
}

/// The longest duration mockops takes anywhere (a timeout, a backoff, a debounce, a
/// `--since`): 100 years. Longer ones would overflow the clocks they are added to.
pub const MAX_DURATION: std::time::Duration = std::time::Duration::from_secs(100 * 365 * 86_400);

/// Parses a duration such as `30s`, `5m`, `1h`, `7d`, `1h30m`, or a bare number of seconds.
pub fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    let t = s.trim();
    let duration = match t.parse::<u64>() {
        Ok(secs) => std::time::Duration::from_secs(secs),
        Err(_) => humantime::parse_duration(t)
            .map_err(|e| format!("invalid duration `{s}`: {e} (use e.g. 30s, 5m, 1h)"))?,
    };
    if duration > MAX_DURATION {
        return Err(format!("duration `{s}` is longer than 100 years"));
    }
    Ok(duration)
}

/// Parses a `--since`: a duration back from `now` (`7d`, `36h`), an RFC 3339 date
/// (midnight UTC) or date-time, or `all` (`None`: no lower bound).
pub fn parse_since(given: &str, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, String> {
    since_at(given, now).map_err(|reason| {
        format!(
            "{reason} (expected a duration such as 7d or 36h, an RFC 3339 date or date-time, or \"all\")"
        )
    })
}

fn since_at(given: &str, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, String> {
    let text = given.trim();
    if text.eq_ignore_ascii_case("all") {
        return Ok(None);
    }
    if let Some(at) = parse(text) {
        return Ok(Some(at));
    }
    if let Ok(day) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let midnight = day.and_hms_opt(0, 0, 0).ok_or("not a valid day")?;
        return Ok(Some(midnight.and_utc()));
    }
    // Shaped like a date (YYYY-MM-DD…) but not one: say so rather than fail as a duration.
    let bytes = text.as_bytes();
    if bytes.len() >= 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes[..4].iter().all(u8::is_ascii_digit)
    {
        return Err(format!("`{text}` is not a valid date"));
    }
    let duration = humantime::parse_duration(text).map_err(|e| e.to_string())?;
    let back = chrono::Duration::from_std(duration).map_err(|e| e.to_string())?;
    now.checked_sub_signed(back)
        .map(Some)
        .ok_or_else(|| "reaches before the start of time".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90").unwrap().as_secs(), 90);
        assert_eq!(parse_duration("5m").unwrap().as_secs(), 300);
        assert_eq!(parse_duration("7d").unwrap().as_secs(), 7 * 86400);
        assert!(parse_duration("five").is_err());
        assert_eq!(parse_duration("36500d").unwrap(), MAX_DURATION);
        for too_long in ["36501d", "18446744073709551615s", "18446744073709551615"] {
            let err = parse_duration(too_long).unwrap_err();
            assert!(err.contains("longer than 100 years"), "{too_long}: {err}");
        }
    }

    #[test]
    fn since_takes_durations_dates_and_all() {
        let now = parse("2026-11-26T12:00:00Z").unwrap();
        let at = |given: &str| parse_since(given, now).map(|t| t.map(|t| format(&t)));
        assert_eq!(at("36h").unwrap().unwrap(), "2026-11-25T00:00:00.000Z");
        assert_eq!(
            at("2026-11-01").unwrap().unwrap(),
            "2026-11-01T00:00:00.000Z"
        );
        assert_eq!(
            at("2026-11-20T08:00:00+02:00").unwrap().unwrap(),
            "2026-11-20T06:00:00.000Z"
        );
        assert_eq!(at("ALL").unwrap(), None);
        assert!(at("99999999999d")
            .unwrap_err()
            .contains("before the start of time"));
        assert!(at("soon").is_err());
        assert!(at("2026-13-45")
            .unwrap_err()
            .starts_with("`2026-13-45` is not a valid date"));
        assert!(at("2026-02-30T08:00:00Z")
            .unwrap_err()
            .contains("not a valid date"));
    }
}
