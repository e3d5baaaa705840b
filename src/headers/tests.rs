use super::dates::days_from_civil;
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
fn dates_are_measured_against_the_response_date_when_the_local_clock_is_off() {
    // The server's clock says 00:00:00 and asks for 30 s; the local clock is an hour slow
    // (23:00:00 the day before), or an hour fast: the wait is 30 s either way.
    let slow = NOW - 3_600_000;
    let fast = NOW + 3_600_000;
    let dated = |pairs: &[(&str, &str)]| {
        let mut all = pairs.to_vec();
        all.push(("Date", "Thu, 01 Jan 2026 00:00:00 GMT"));
        h(&all)
    };
    let retry_after = dated(&[("Retry-After", "Thu, 01 Jan 2026 00:00:30 GMT")]);
    assert_eq!(retry_after_ms(&retry_after, slow), Some(30_000));
    assert_eq!(retry_after_ms(&retry_after, fast), Some(30_000));
    let epoch = dated(&[("RateLimit-Reset", "1767225630")]);
    assert_eq!(retry_after_ms(&epoch, slow), Some(30_000));
    let iso = dated(&[("X-RateLimit-Reset", "2026-01-01T00:00:30Z")]);
    assert_eq!(retry_after_ms(&iso, fast), Some(30_000));
    // Without a Date header (or with one that does not parse) the local clock is the reference.
    let undated = h(&[("Retry-After", "Thu, 01 Jan 2026 00:00:30 GMT")]);
    assert_eq!(retry_after_ms(&undated, slow), Some(3_630_000));
    let bad_date = h(&[
        ("Retry-After", "Thu, 01 Jan 2026 00:00:30 GMT"),
        ("Date", "yesterday"),
    ]);
    assert_eq!(retry_after_ms(&bad_date, NOW), Some(30_000));
    // Within the tolerance the local clock is right: it has the milliseconds Date lacks.
    let close = dated(&[("Retry-After", "Thu, 01 Jan 2026 00:00:30 GMT")]);
    assert_eq!(retry_after_ms(&close, NOW + 700), Some(29_300));
    assert_eq!(retry_after_ms(&close, NOW + 2_000), Some(28_000));
    assert_eq!(retry_after_ms(&close, NOW + 2_001), Some(30_000));
    // A delay in seconds needs no clock: the Date header changes nothing.
    assert_eq!(
        retry_after_ms(&dated(&[("Retry-After", "30")]), slow),
        Some(30_000)
    );
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

/// The parser of `dates.rs` replaces the `httpdate` crate: both must accept and refuse the same
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
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "jan",
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
            let leap_years_before = |y: u32| u64::from((y - 1) / 4 - (y - 1) / 100 + (y - 1) / 400);
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
