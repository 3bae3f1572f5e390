//! Calendar dates with integer arithmetic only (no floats in the browser build): from Unix seconds, and from
//! the `YYYY-MM-DD` a date field submits.

use crate::prelude::*;
use crate::text::decimal;

/// A day of the proleptic Gregorian calendar; ordering is chronological.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// The year, e.g. 2026.
    pub year: i64,
    /// 1 to 12.
    pub month: u32,
    /// 1 to 31.
    pub day: u32,
}

impl Date {
    /// The UTC day of `seconds` since the Unix epoch.
    pub fn of_unix_seconds(seconds: i64) -> Self {
        let days = seconds.div_euclid(86_400);
        // Howard Hinnant's days-to-civil algorithm.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z.rem_euclid(146_097);
        let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let month_index = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * month_index + 2) / 5 + 1;
        let month = if month_index < 10 {
            month_index + 3
        } else {
            month_index - 9
        };
        Self {
            year: year_of_era + era * 400 + i64::from(month <= 2),
            month: month as u32,
            day: day as u32,
        }
    }

    /// `YYYY-MM-DD` naming a real calendar day (what `<input type="date">` submits).
    pub fn parse(value: &str) -> Option<Self> {
        let bytes = value.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let number = |range: core::ops::Range<usize>| {
            value
                .get(range)
                .filter(|s| s.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|s| s.parse::<u32>().ok())
        };
        let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days).contains(&day).then_some(Self {
            year: i64::from(year),
            month,
            day,
        })
    }

    /// Whole years from `self` (a birth date) to `on`; `None` when `on` comes first.
    pub fn years_until(self, on: Self) -> Option<i64> {
        let before_birthday = (on.month, on.day) < (self.month, self.day);
        let years = on.year - self.year - i64::from(before_birthday);
        (self <= on).then_some(years)
    }
}

/// `YYYY-MM-DD HH:MM UTC` for `seconds` since the Unix epoch.
pub fn format_utc(seconds: i64) -> String {
    utc_text(seconds, " ", " UTC")
}

/// ISO 8601 in UTC, `YYYY-MM-DDTHH:MM:SSZ`, for `seconds` since the Unix epoch.
pub fn iso8601(seconds: i64) -> String {
    let second = seconds.rem_euclid(60);
    utc_text(seconds, "T", &concat(&[":", &two_digits(second), "Z"]))
}

fn utc_text(seconds: i64, between: &str, end: &str) -> String {
    let date = Date::of_unix_seconds(seconds);
    let second_of_day = seconds.rem_euclid(86_400);
    concat(&[
        &decimal(date.year),
        "-",
        &two_digits(date.month.into()),
        "-",
        &two_digits(date.day.into()),
        between,
        &two_digits(second_of_day / 3600),
        ":",
        &two_digits(second_of_day % 3600 / 60),
        end,
    ])
}

fn two_digits(n: i64) -> String {
    if n < 10 {
        concat(&["0", &decimal(n)])
    } else {
        decimal(n)
    }
}

#[cfg(test)]
mod tests {
    use super::{format_utc, iso8601, Date};

    #[test]
    fn known_instants() {
        assert_eq!(format_utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_utc(1_510_592_400), "2017-11-13 17:00 UTC");
        assert_eq!(format_utc(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(format_utc(-1), "1969-12-31 23:59 UTC");
        assert_eq!(iso8601(1_510_592_405), "2017-11-13T17:00:05Z");
        assert_eq!(iso8601(-1), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn parses_real_days_only() {
        let date = |year, month, day| Some(Date { year, month, day });
        assert_eq!(Date::parse("2000-02-29"), date(2000, 2, 29));
        assert_eq!(Date::parse("1990-12-31"), date(1990, 12, 31));
        for wrong in [
            "1900-02-29",
            "2023-04-31",
            "2023-13-01",
            "2023-00-10",
            "23-01-01",
            "2023/01/01",
            "２０２３-01-01",
        ] {
            assert_eq!(Date::parse(wrong), None, "{wrong}");
        }
    }

    #[test]
    fn counts_whole_years_to_the_birthday() {
        let born = Date::parse("1990-06-15").unwrap();
        assert_eq!(born.years_until(Date::parse("2026-06-14").unwrap()), Some(35));
        assert_eq!(born.years_until(Date::parse("2026-06-15").unwrap()), Some(36));
        assert_eq!(born.years_until(Date::parse("1990-06-15").unwrap()), Some(0));
        assert_eq!(born.years_until(Date::parse("1990-06-14").unwrap()), None);
    }
}
