//! The dates servers write in headers: HTTP-dates (`Retry-After`) and ISO 8601
//! (`RateLimit-Reset`), read into milliseconds since the epoch without `SystemTime`.

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
pub(super) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}
