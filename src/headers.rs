//! Reading response headers: the server's requested wait (`Retry-After` and its relatives)
//! and the request id. Header names match in any letter case; bad values are ignored.

/// The longest wait the crate will report, however large the server's value (one year).
pub const MAX_SERVER_WAIT_MS: u64 = 365 * 24 * 3600 * 1000;

/// Epoch values at or above this many seconds are read as timestamps, not as delays
/// (2001-09-09; no server asks a client to wait 31 years).
const EPOCH_SECONDS_FLOOR: f64 = 1_000_000_000.0;

/// The value of the first header called `name` (case-insensitive), trimmed.
pub fn get<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.trim().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}

/// The wait the server asked for, in milliseconds, from the first of these that parses:
/// `retry-after-ms`, `x-ms-retry-after-ms` (milliseconds), `Retry-After` (seconds or an
/// HTTP-date), `RateLimit-Reset` / `X-RateLimit-Reset` (seconds, epoch seconds or
/// milliseconds, or an ISO 8601 timestamp). Dates in the past give 0; negative, non-numeric
/// and non-finite values are ignored; waits are capped at [`MAX_SERVER_WAIT_MS`].
pub fn retry_after_ms(headers: &[(String, String)], now_ms: u64) -> Option<u64> {
    let millis = ["retry-after-ms", "x-ms-retry-after-ms"]
        .into_iter()
        .find_map(|name| get(headers, name).and_then(|v| non_negative(v).map(|ms| ms.ceil())));
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
fn retry_after_value(value: &str, now_ms: u64) -> Option<f64> {
    if let Some(seconds) = non_negative(value) {
        return Some(seconds * 1000.0);
    }
    let at = httpdate::parse_http_date(value).ok()?;
    let at_ms = at.duration_since(std::time::UNIX_EPOCH).ok()?.as_millis() as f64;
    Some((at_ms - now_ms as f64).max(0.0))
}

/// `RateLimit-Reset`: seconds from now, epoch seconds, epoch milliseconds or ISO 8601.
fn rate_limit_reset(value: &str, now_ms: u64) -> Option<f64> {
    let now = now_ms as f64;
    if let Some(n) = non_negative(value) {
        return Some(if n >= EPOCH_SECONDS_FLOOR * 1000.0 {
            (n - now).max(0.0)
        } else if n >= EPOCH_SECONDS_FLOOR {
            (n * 1000.0 - now).max(0.0)
        } else {
            n * 1000.0
        });
    }
    let at_ms = iso8601_epoch_ms(value)?;
    Some((at_ms - now).max(0.0))
}

fn non_negative(value: &str) -> Option<f64> {
    let n: f64 = value.trim().parse().ok()?;
    (n.is_finite() && n >= 0.0).then_some(n)
}

fn clamp_ms(ms: f64) -> u64 {
    if ms >= MAX_SERVER_WAIT_MS as f64 {
        MAX_SERVER_WAIT_MS
    } else {
        ms.max(0.0).ceil() as u64
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
        let digits = std::str::from_utf8(v.get(start..i)?).ok()?;
        fraction = format!("0.{digits}").parse().ok()?;
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
    fn civil_days_match_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(iso8601_epoch_ms("1970-01-01T00:00:00Z"), Some(0.0));
    }
}
