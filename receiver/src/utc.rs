//! Times as records show them: ISO 8601 in UTC to the second (`2026-11-28T12:46:18Z`), as ISO/IEC TS 27560
//! asks for event times, and read back from that form, a bare date, or seconds since 1970. Hand-written on
//! the core's calendar arithmetic: a date-time crate for two conversions would be most of its weight unused.

use consent_capture::minimise::date::Date;
use std::time::{SystemTime, UNIX_EPOCH};

/// The receiver's clock, in seconds since 1970 (the core takes time as an argument; here is where it comes
/// from).
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// `seconds` since 1970 as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn iso8601(seconds: i64) -> String {
    let date = Date::of_unix_seconds(seconds);
    let second_of_day = seconds.rem_euclid(86_400);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        date.year,
        date.month,
        date.day,
        second_of_day / 3600,
        second_of_day % 3600 / 60,
        second_of_day % 60
    )
}

/// Seconds since 1970 from `YYYY-MM-DDTHH:MM:SSZ`, `YYYY-MM-DD` (its first second) or a number of seconds.
pub fn parse_time(text: &str) -> Option<i64> {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok();
    }
    let date = Date::parse(text.get(..10)?)?;
    let day = days_from_civil(date) * 86_400;
    let time = &text[10..];
    if time.is_empty() {
        return Some(day);
    }
    let clock = time.strip_prefix('T')?.strip_suffix('Z')?;
    let parts: Vec<i64> = clock
        .split(':')
        .map(|part| {
            (part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit()))
                .then(|| part.parse().ok())
                .flatten()
        })
        .collect::<Option<_>>()?;
    match parts[..] {
        [hours, minutes, seconds] if hours < 24 && minutes < 60 && seconds < 60 => {
            Some(day + hours * 3600 + minutes * 60 + seconds)
        }
        _ => None,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's days-from-civil, the inverse of the core's `of_unix_seconds`).
fn days_from_civil(date: Date) -> i64 {
    let year = date.year - i64::from(date.month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month = i64::from(date.month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(date.day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_go_to_iso_8601_and_back() {
        for seconds in [0, 59, 86_399, 951_782_400, 1_795_000_000, 4_102_444_799] {
            assert_eq!(parse_time(&iso8601(seconds)), Some(seconds), "{seconds}");
        }
        assert_eq!(iso8601(1_795_000_000), "2026-11-18T11:06:40Z");
        assert_eq!(parse_time("2000-02-29"), Some(951_782_400));
        assert_eq!(parse_time("1795000000"), Some(1_795_000_000));
        for bad in [
            "",
            "2026-02-30",
            "2026-11-18T24:00:00Z",
            "2026-11-18T08:26Z",
            "2026-11-18 08:26:40",
            "x",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }
}
