//! Reading response headers: the server's requested wait (`Retry-After` and its relatives)
//! and the request id. Header names match in any letter case; bad values are ignored.

use crate::prelude::*;
use crate::text::{is_space, trim};

/// The longest wait the crate will report, however large the server's value (one year).
pub const MAX_SERVER_WAIT_MS: u64 = 365 * 24 * 3600 * 1000;

/// Epoch values at or above this many seconds are read as timestamps, not as delays
/// (2001-09-09; no server asks a client to wait 31 years).
const EPOCH_SECONDS_FLOOR: f64 = 1_000_000_000.0;

/// The value of the first header called `name` (case-insensitive), trimmed.
pub fn get<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        // A classification compares a dozen names against every header, so: a name shorter
        // than `name` cannot match; one of the same length matches untrimmed (`name` is
        // ASCII without spaces); a longer one is trimmed only when it starts or ends with
        // whitespace or a non-ASCII character.
        .find(|(n, _)| match n.len().cmp(&name.len()) {
            core::cmp::Ordering::Less => false,
            core::cmp::Ordering::Equal => n.eq_ignore_ascii_case(name),
            core::cmp::Ordering::Greater => {
                let b = n.as_bytes();
                let may_pad = |c: Option<&u8>| c.is_some_and(|&c| !c.is_ascii() || is_space(c));
                (may_pad(b.first()) || may_pad(b.last())) && trim(n).eq_ignore_ascii_case(name)
            }
        })
        .map(|(_, v)| trim(v))
}

/// The wait the server asked for, in milliseconds, from the first of these that parses:
/// `retry-after-ms`, `x-ms-retry-after-ms` (milliseconds), `Retry-After` (seconds or an
/// HTTP-date), `RateLimit-Reset` / `X-RateLimit-Reset` (seconds, epoch seconds or
/// milliseconds, or an ISO 8601 timestamp). Dates in the past give 0; negative, non-numeric
/// and non-finite values are ignored; waits are capped at [`MAX_SERVER_WAIT_MS`].
pub fn retry_after_ms(headers: &[(String, String)], now_ms: u64) -> Option<u64> {
    retry_after_ms_with_clock(headers, &|| now_ms)
}

/// [`retry_after_ms`] reading the clock only when a value is a date or an epoch time (the
/// wasm build's clock is a call into JavaScript).
pub fn retry_after_ms_with_clock(
    headers: &[(String, String)],
    now_ms: &dyn Fn() -> u64,
) -> Option<u64> {
    let millis = ["retry-after-ms", "x-ms-retry-after-ms"]
        .into_iter()
        .find_map(|name| get(headers, name).and_then(|v| non_negative(v).map(crate::num::ceil)));
    let wait = millis
        .or_else(|| get(headers, "retry-after").and_then(|v| retry_after_value(v, now_ms)))
        .or_else(|| {
            ["ratelimit-reset", "x-ratelimit-reset"]
                .into_iter()
                .find_map(|name| get(headers, name).and_then(|v| rate_limit_reset(v, now_ms)))
        })?;
    Some(clamp_ms(wait))
}

/// The request id: `x-request-id`, `request-id`, `x-ms-request-id`, `client-request-id`,
/// `x-correlation-id`, `atl-traceid`, in that order.
pub fn request_id(headers: &[(String, String)]) -> Option<String> {
    [
        "x-request-id",
        "request-id",
        "x-ms-request-id",
        "client-request-id",
        "x-correlation-id",
        "atl-traceid",
    ]
    .into_iter()
    .find_map(|name| get(headers, name).filter(|v| !v.is_empty()))
    .map(crate::text::bounded)
}

/// `Retry-After`: delta-seconds or an HTTP-date.
fn retry_after_value(value: &str, now_ms: &dyn Fn() -> u64) -> Option<f64> {
    if let Some(seconds) = non_negative(value) {
        return Some(seconds * 1000.0);
    }
    let at_ms = http_date_epoch_ms(value)?;
    Some((at_ms - now_ms() as f64).max(0.0))
}

/// Milliseconds since the epoch of an HTTP-date (RFC 9110 §5.6.7): IMF-fixdate
/// (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete RFC 850 form (`Sunday, 06-Nov-94
/// 08:49:37 GMT`, two-digit years < 70 in the 2000s) and asctime (`Sun Nov  6 08:49:37
/// 1994`). Accepts exactly what the `httpdate` crate accepts (ASCII only, surrounding
/// whitespace ignored, years 1970–9999, the day must exist in its month and the weekday must
/// be the date's), which it replaces here at a fraction of the size (no `SystemTime`).
pub fn http_date_epoch_ms(value: &str) -> Option<f64> {
    if !value.is_ascii() {
        return None;
    }
    let s = value.trim().as_bytes();
    let d = imf_fixdate(s)
        .or_else(|| rfc850_date(s))
        .or_else(|| asctime(s))?;
    let leap = d.year % 4 == 0 && (d.year % 100 != 0 || d.year % 400 == 0);
    let month_days = match d.mon {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    let valid = d.sec < 60
        && d.min < 60
        && d.hour < 24
        && (1..=month_days).contains(&d.day)
        && (1..=12).contains(&d.mon)
        && (1970..=9999).contains(&d.year);
    if !valid {
        return None;
    }
    let days = days_from_civil(i64::from(d.year), i64::from(d.mon), i64::from(d.day));
    // 1970-01-01 was a Thursday; Monday is 1, as in the parsers below.
    if (days + 3).rem_euclid(7) + 1 != i64::from(d.wday) {
        return None;
    }
    let seconds =
        days * 86_400 + i64::from(d.hour) * 3600 + i64::from(d.min) * 60 + i64::from(d.sec);
    Some(seconds as f64 * 1000.0)
}

/// The fields of an HTTP-date as written (validated by [`http_date_epoch_ms`]).
struct HttpDate {
    sec: u8,
    min: u8,
    hour: u8,
    day: u8,
    mon: u8,
    year: u16,
    /// Monday = 1 … Sunday = 7.
    wday: u8,
}

fn two_digits(s: &[u8]) -> Option<u8> {
    let (h, l) = (s[0].wrapping_sub(b'0'), s[1].wrapping_sub(b'0'));
    (h < 10 && l < 10).then_some(h * 10 + l)
}

fn four_digits(s: &[u8]) -> Option<u16> {
    Some(u16::from(two_digits(&s[..2])?) * 100 + u16::from(two_digits(&s[2..4])?))
}

const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];
const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The month (1–12) whose three-letter name is `s` (case-sensitive).
fn month(s: &[u8]) -> Option<u8> {
    MONTHS.iter().position(|m| &m[..] == s).map(|i| i as u8 + 1)
}

/// The weekday (Monday = 1) whose three-letter abbreviation is `s` (case-sensitive).
fn weekday_abbr(s: &[u8]) -> Option<u8> {
    WEEKDAYS
        .iter()
        .position(|d| &d.as_bytes()[..3] == s)
        .map(|i| i as u8 + 1)
}

/// `Sun, 06 Nov 1994 08:49:37 GMT`
fn imf_fixdate(s: &[u8]) -> Option<HttpDate> {
    if s.len() != 29
        || &s[25..] != b" GMT"
        || s[16] != b' '
        || s[19] != b':'
        || s[22] != b':'
        || &s[3..5] != b", "
        || s[7] != b' '
        || s[11] != b' '
    {
        return None;
    }
    Some(HttpDate {
        sec: two_digits(&s[23..25])?,
        min: two_digits(&s[20..22])?,
        hour: two_digits(&s[17..19])?,
        day: two_digits(&s[5..7])?,
        mon: month(&s[8..11])?,
        year: four_digits(&s[12..16])?,
        wday: weekday_abbr(&s[..3])?,
    })
}

/// `Sunday, 06-Nov-94 08:49:37 GMT`
fn rfc850_date(s: &[u8]) -> Option<HttpDate> {
    if s.len() < 23 {
        return None;
    }
    let (wday, s) = WEEKDAYS.iter().enumerate().find_map(|(i, name)| {
        let rest = s.strip_prefix(name.as_bytes())?.strip_prefix(b", ")?;
        Some((i as u8 + 1, rest))
    })?;
    if s.len() != 22
        || s[12] != b':'
        || s[15] != b':'
        || &s[18..22] != b" GMT"
        || s[2] != b'-'
        || s[6] != b'-'
    {
        return None;
    }
    let yy = u16::from(two_digits(&s[7..9])?);
    Some(HttpDate {
        sec: two_digits(&s[16..18])?,
        min: two_digits(&s[13..15])?,
        hour: two_digits(&s[10..12])?,
        day: two_digits(&s[0..2])?,
        mon: month(&s[3..6])?,
        year: if yy < 70 { yy + 2000 } else { yy + 1900 },
        wday,
    })
}

/// `Sun Nov  6 08:49:37 1994`
fn asctime(s: &[u8]) -> Option<HttpDate> {
    if s.len() != 24
        || s[10] != b' '
        || s[13] != b':'
        || s[16] != b':'
        || s[19] != b' '
        || s[3] != b' '
        || s[7] != b' '
    {
        return None;
    }
    Some(HttpDate {
        sec: two_digits(&s[17..19])?,
        min: two_digits(&s[14..16])?,
        hour: two_digits(&s[11..13])?,
        day: if s[8] == b' ' {
            let d = s[9].wrapping_sub(b'0');
            (d < 10).then_some(d)?
        } else {
            two_digits(&s[8..10])?
        },
        mon: month(&s[4..7])?,
        year: four_digits(&s[20..24])?,
        wday: weekday_abbr(&s[..3])?,
    })
}

/// `RateLimit-Reset`: seconds from now, epoch seconds, epoch milliseconds or ISO 8601.
fn rate_limit_reset(value: &str, now_ms: &dyn Fn() -> u64) -> Option<f64> {
    let now = || now_ms() as f64;
    if let Some(n) = non_negative(value) {
        return Some(if n >= EPOCH_SECONDS_FLOOR * 1000.0 {
            (n - now()).max(0.0)
        } else if n >= EPOCH_SECONDS_FLOOR {
            (n * 1000.0 - now()).max(0.0)
        } else {
            n * 1000.0
        });
    }
    let at_ms = iso8601_epoch_ms(value)?;
    Some((at_ms - now()).max(0.0))
}

fn non_negative(value: &str) -> Option<f64> {
    let n = crate::text::decimal(value)?;
    (n.is_finite() && n >= 0.0).then_some(n)
}

fn clamp_ms(ms: f64) -> u64 {
    if ms >= MAX_SERVER_WAIT_MS as f64 {
        MAX_SERVER_WAIT_MS
    } else {
        crate::num::ceil(ms.max(0.0)) as u64
    }
}

/// Milliseconds since the epoch of `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`; `T` may be a space.
pub fn iso8601_epoch_ms(value: &str) -> Option<f64> {
    let v = value.trim().as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let digits = v.get(from..from + len)?;
        digits.iter().try_fold(0i64, |acc, d| {
            d.is_ascii_digit().then(|| acc * 10 + i64::from(d - b'0'))
        })
    };
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    if v.get(4) != Some(&b'-') || v.get(7) != Some(&b'-') {
        return None;
    }
    if !matches!(v.get(10), Some(b'T' | b't' | b' ')) || v.get(13) != Some(&b':') {
        return None;
    }
    let (hour, minute) = (num(11, 2)?, num(14, 2)?);
    let second = num(17, 2)?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    let mut i = 19;
    let mut fraction = 0.0;
    if v.get(i) == Some(&b'.') {
        let start = i + 1;
        i = start;
        while v.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        let digits = core::str::from_utf8(v.get(start..i)?).ok()?;
        fraction = crate::text::decimal(&crate::cat!("0.", digits))?;
    }
    let offset_minutes = match v.get(i) {
        Some(b'Z' | b'z') if i + 1 == v.len() => 0,
        Some(sign @ (b'+' | b'-')) if v.len() == i + 6 && v.get(i + 3) == Some(&b':') => {
            let minutes = num(i + 1, 2)? * 60 + num(i + 4, 2)?;
            if *sign == b'-' {
                -minutes
            } else {
                minutes
            }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    Some((seconds as f64 + fraction) * 1000.0)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_in_any_case_and_padding_but_not_by_prefix() {
        let headers = h(&[
            ("x", "1"),
            (" Retry-After\t", " 5 "),
            ("RETRY-AFTER-MS", "7"),
        ]);
        assert_eq!(get(&headers, "retry-after"), Some("5"));
        assert_eq!(get(&headers, "retry-after-ms"), Some("7"));
        assert_eq!(get(&headers, "retry"), None);
        assert_eq!(get(&headers, "x-ms-retry-after-ms"), None);
    }

    fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    const NOW: u64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z

    #[test]
    fn retry_after_seconds_in_any_case() {
        assert_eq!(
            retry_after_ms(&h(&[("RETRY-AFTER", "120")]), NOW),
            Some(120_000)
        );
        assert_eq!(
            retry_after_ms(&h(&[("retry-after", "1.5")]), NOW),
            Some(1_500)
        );
    }

    #[test]
    fn retry_after_http_date_is_relative_to_now() {
        let headers = h(&[("Retry-After", "Thu, 01 Jan 2026 00:00:30 GMT")]);
        assert_eq!(retry_after_ms(&headers, NOW), Some(30_000));
        let past = h(&[("Retry-After", "Wed, 31 Dec 2025 23:00:00 GMT")]);
        assert_eq!(retry_after_ms(&past, NOW), Some(0));
    }

    #[test]
    fn millisecond_headers_win_over_retry_after() {
        let headers = h(&[("Retry-After", "10"), ("x-ms-retry-after-ms", "250")]);
        assert_eq!(retry_after_ms(&headers, NOW), Some(250));
        assert_eq!(
            retry_after_ms(&h(&[("retry-after-ms", "99.2")]), NOW),
            Some(100)
        );
    }

    #[test]
    fn rate_limit_reset_forms() {
        let delta = h(&[("X-RateLimit-Reset", "7")]);
        assert_eq!(retry_after_ms(&delta, NOW), Some(7_000));
        let epoch = h(&[("RateLimit-Reset", "1767225660")]);
        assert_eq!(retry_after_ms(&epoch, NOW), Some(60_000));
        let epoch_ms = h(&[("x-ratelimit-reset", "1767225602000")]);
        assert_eq!(retry_after_ms(&epoch_ms, NOW), Some(2_000));
        let iso = h(&[("X-RateLimit-Reset", "2026-01-01T00:01:00Z")]);
        assert_eq!(retry_after_ms(&iso, NOW), Some(60_000));
        let offset = h(&[("X-RateLimit-Reset", "2026-01-01T01:00:05.5+01:00")]);
        assert_eq!(retry_after_ms(&offset, NOW), Some(5_500));
    }

    #[test]
    fn bad_values_are_ignored_and_huge_ones_capped() {
        for bad in ["-5", "soon", "NaN", "inf", "", "2026-13-01T00:00:00Z"] {
            assert_eq!(
                retry_after_ms(&h(&[("Retry-After", bad)]), NOW),
                None,
                "{bad}"
            );
        }
        let huge = h(&[("Retry-After", "99999999999999999999999")]);
        assert_eq!(retry_after_ms(&huge, NOW), Some(MAX_SERVER_WAIT_MS));
    }

    #[test]
    fn request_id_from_any_known_header() {
        assert_eq!(
            request_id(&h(&[("X-Request-Id", "abc")])).as_deref(),
            Some("abc")
        );
        assert_eq!(
            request_id(&h(&[("request-id", "g-1")])).as_deref(),
            Some("g-1")
        );
        assert_eq!(request_id(&h(&[("authorization", "Bearer x")])), None);
    }

    #[test]
    fn http_dates_in_all_three_forms() {
        let imf = http_date_epoch_ms("Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(imf, Some(784_111_777_000.0));
        assert_eq!(http_date_epoch_ms("Sunday, 06-Nov-94 08:49:37 GMT"), imf);
        assert_eq!(http_date_epoch_ms("Sun Nov  6 08:49:37 1994"), imf);
        assert_eq!(http_date_epoch_ms("  Sun, 06 Nov 1994 08:49:37 GMT\t"), imf);
        assert_eq!(
            http_date_epoch_ms("Thu, 01 Jan 1970 00:00:00 GMT"),
            Some(0.0)
        );
        assert_eq!(
            http_date_epoch_ms("Fri, 31 Dec 9999 23:59:59 GMT"),
            Some(253_402_300_799_000.0)
        );
        assert_eq!(
            http_date_epoch_ms("Thursday, 01-Jan-70 00:00:00 GMT"),
            Some(0.0)
        );
        assert_eq!(
            http_date_epoch_ms("Tuesday, 29-Feb-28 00:00:00 GMT"),
            Some(1_835_395_200_000.0)
        );
    }

    #[test]
    fn http_dates_that_do_not_exist_are_refused() {
        for bad in [
            "Mon, 06 Nov 1994 08:49:37 GMT", // wrong weekday
            "Sun, 06 Nov 1994 08:49:60 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Thu, 29 Feb 2001 00:00:00 GMT", // not a leap year
            "Wed, 31 Dec 1969 23:59:59 GMT", // before 1970
            "Sun, 06 nov 1994 08:49:37 GMT", // month names are case-sensitive
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun,\u{a0}06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-1994 08:49:37 GMT",
            "Sun Nov 06 08:49:37 94",
            "",
        ] {
            assert_eq!(http_date_epoch_ms(bad), None, "{bad}");
        }
    }

    /// The parser above replaces the `httpdate` crate: both must accept and refuse the same
    /// strings and agree on the instant. `agrees` builds inputs from HTTP-date pieces, some of
    /// them wrong (weekday, day, month, separators), so most of its cases are near misses and
    /// few are valid dates; `valid_dates_parse_to_their_instant` builds only valid dates, in
    /// all three forms, and checks the instant against a computation of its own.
    #[cfg(not(target_arch = "wasm32"))]
    mod same_as_httpdate {
        use super::super::http_date_epoch_ms;
        use proptest::prelude::*;
        use std::time::{Duration, UNIX_EPOCH};

        fn reference(s: &str) -> Option<f64> {
            let t = httpdate::parse_http_date(s).ok()?;
            Some(t.duration_since(std::time::UNIX_EPOCH).ok()?.as_millis() as f64)
        }

        const DAYS: [&str; 8] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Xyz"];
        const LONG: [&str; 8] = [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
            "Funday",
        ];
        const MONTHS: [&str; 13] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            "jan",
        ];

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(4_000))]
            #[test]
            fn agrees(
                form in 0..3usize,
                wd in 0..8usize,
                day in 0..33u32,
                mon in 0..13usize,
                year in prop_oneof![1965..2105u32, 9990..10000u32],
                hour in 0..25u32,
                min in 0..61u32,
                sec in 0..61u32,
                sep in prop_oneof![Just(" "), Just(":"), Just("-"), Just("x")],
                pad in prop_oneof![Just(""), Just(" "), Just("\t")],
            ) {
                let s = match form {
                    0 => format!("{pad}{}, {day:02} {} {year:04} {hour:02}:{min:02}{sep}{sec:02} GMT{pad}", DAYS[wd], MONTHS[mon]),
                    1 => format!("{pad}{}, {day:02}-{}-{:02} {hour:02}:{min:02}{sep}{sec:02} GMT", LONG[wd], MONTHS[mon], year % 100),
                    _ => format!("{} {} {day:>2} {hour:02}:{min:02}{sep}{sec:02} {year:04}{pad}", DAYS[wd], MONTHS[mon]),
                };
                prop_assert_eq!(http_date_epoch_ms(&s), reference(&s), "{:?}", s);
            }

            #[test]
            fn agrees_on_arbitrary_text(s in "[A-Za-z0-9 ,:-]{20,32}") {
                prop_assert_eq!(http_date_epoch_ms(&s), reference(&s), "{:?}", s);
            }
        }

        fn is_leap(year: u32) -> bool {
            year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        }

        fn days_in_month(year: u32, month: u32) -> u32 {
            match month {
                2 if is_leap(year) => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            }
        }

        /// A calendar date and time of day, every field in range.
        #[derive(Debug, Clone, Copy)]
        struct Civil {
            year: u32,
            month: u32,
            day: u32,
            hour: u32,
            min: u32,
            sec: u32,
        }

        impl Civil {
            /// Days since 1970-01-01, counted by whole years and then by months: on purpose
            /// not the parser's `days_from_civil`. `day` may run one past the month's end.
            fn days(&self) -> u64 {
                let leap_years_before =
                    |y: u32| u64::from((y - 1) / 4 - (y - 1) / 100 + (y - 1) / 400);
                let years = u64::from(self.year - 1970) * 365 + leap_years_before(self.year)
                    - leap_years_before(1970);
                let months: u64 = (1..self.month)
                    .map(|m| u64::from(days_in_month(self.year, m)))
                    .sum();
                years + months + u64::from(self.day) - 1
            }

            fn epoch_seconds(&self) -> u64 {
                self.days() * 86_400
                    + u64::from(self.hour) * 3600
                    + u64::from(self.min) * 60
                    + u64::from(self.sec)
            }

            /// Monday = 0 … Sunday = 6, shifted by `shift` days (0: the date's own). 1970-01-01
            /// was a Thursday.
            fn weekday(&self, shift: u64) -> usize {
                ((self.days() + 3 + shift) % 7) as usize
            }

            fn month_name(&self) -> &'static str {
                MONTHS[self.month as usize - 1]
            }

            fn time(&self) -> String {
                format!("{:02}:{:02}:{:02}", self.hour, self.min, self.sec)
            }

            /// `Sun, 06 Nov 1994 08:49:37 GMT`
            fn imf_fixdate(&self, shift: u64) -> String {
                let (day, mon, year) = (self.day, self.month_name(), self.year);
                format!(
                    "{}, {day:02} {mon} {year:04} {} GMT",
                    DAYS[self.weekday(shift)],
                    self.time()
                )
            }

            /// `Sunday, 06-Nov-94 08:49:37 GMT`, for the years its two digits can name.
            fn rfc850(&self, shift: u64) -> Option<String> {
                let (day, mon, yy) = (self.day, self.month_name(), self.year % 100);
                (1970..=2069).contains(&self.year).then(|| {
                    format!(
                        "{}, {day:02}-{mon}-{yy:02} {} GMT",
                        LONG[self.weekday(shift)],
                        self.time()
                    )
                })
            }

            /// `Sun Nov  6 08:49:37 1994` (or `Sun Nov 06 …` with `zero_padded`).
            fn asctime(&self, shift: u64, zero_padded: bool) -> String {
                let (mon, year, time) = (self.month_name(), self.year, self.time());
                let day = if zero_padded {
                    format!("{:02}", self.day)
                } else {
                    format!("{:>2}", self.day)
                };
                format!("{} {mon} {day} {time} {year:04}", DAYS[self.weekday(shift)])
            }

            /// Every form of this date that the parser reads.
            fn forms(&self, shift: u64, zero_padded: bool) -> Vec<String> {
                let mut forms = vec![self.imf_fixdate(shift), self.asctime(shift, zero_padded)];
                forms.extend(self.rfc850(shift));
                forms
            }
        }

        /// Years 1970–9999: half of them in RFC 850's range (1970–2069), a third of them the
        /// leap-year edge cases (2000 and 2400 leap, 2100 not, the ends of the ranges);
        /// February often; days 1 to the month's last (half of the time the last: Feb 29 of
        /// leap years); any time of day.
        fn civil() -> impl Strategy<Value = Civil> {
            let year = prop_oneof![
                3 => 1970..=2069u32,
                1 => 2070..=9999u32,
                2 => proptest::sample::select(vec![1970u32, 1972, 2000, 2024, 2069, 2070, 2100, 2400, 9996, 9999]),
            ];
            let month = prop_oneof![2 => 1..=12u32, 1 => Just(2u32)];
            (year, month)
                .prop_flat_map(|(year, month)| {
                    let last = days_in_month(year, month);
                    let day = prop_oneof![1..=last, Just(last)];
                    (Just(year), Just(month), day, 0..24u32, 0..60u32, 0..60u32)
                })
                .prop_map(|(year, month, day, hour, min, sec)| Civil {
                    year,
                    month,
                    day,
                    hour,
                    min,
                    sec,
                })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(1_000))]

            #[test]
            fn valid_dates_parse_to_their_instant(
                c in civil(),
                zero_padded in any::<bool>(),
                pad in prop_oneof![Just(""), Just(" "), Just("\t")],
            ) {
                let seconds = c.epoch_seconds();
                // The generator writes what httpdate writes for that instant (its weekday too).
                let written = httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(seconds));
                prop_assert_eq!(c.imf_fixdate(0), written);
                let expected = Some(seconds as f64 * 1000.0);
                for s in c.forms(0, zero_padded) {
                    prop_assert_eq!(http_date_epoch_ms(&s), expected, "{:?} of {:?}", s, c);
                    prop_assert_eq!(reference(&s), expected, "httpdate: {:?}", s);
                    let padded = format!("{pad}{s}{pad}");
                    prop_assert_eq!(http_date_epoch_ms(&padded), expected, "{:?}", padded);
                }
            }

            #[test]
            fn a_valid_date_with_another_weekday_is_refused(
                c in civil(),
                shift in 1..7u64,
                zero_padded in any::<bool>(),
            ) {
                for s in c.forms(shift, zero_padded) {
                    prop_assert_eq!(http_date_epoch_ms(&s), None, "{:?}", s);
                    prop_assert_eq!(reference(&s), None, "httpdate: {:?}", s);
                }
            }

            #[test]
            fn the_day_after_the_last_of_the_month_is_refused(c in civil(), zero_padded in any::<bool>()) {
                // Written with the weekday the day would have, so only the day is wrong
                // (Feb 29 of common years, Apr 31, Dec 32…).
                let past = Civil { day: days_in_month(c.year, c.month) + 1, ..c };
                for s in past.forms(0, zero_padded) {
                    prop_assert_eq!(http_date_epoch_ms(&s), None, "{:?}", s);
                    prop_assert_eq!(reference(&s), None, "httpdate: {:?}", s);
                }
            }
        }
    }

    #[test]
    fn civil_days_match_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(iso8601_epoch_ms("1970-01-01T00:00:00Z"), Some(0.0));
    }
}
