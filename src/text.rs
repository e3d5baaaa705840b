//! Small string helpers shared by the parsers: bounding echoed text and reading JSON scalars.

use crate::json::Value;
use crate::prelude::*;

/// The longest string (in bytes) the crate copies out of a response into a classification.
pub const MAX_ECHO_BYTES: usize = 1024;

/// `s` cut to at most [`MAX_ECHO_BYTES`] bytes on a char boundary, with `…` when cut.
pub fn bounded(s: &str) -> String {
    if s.len() <= MAX_ECHO_BYTES {
        return s.to_string();
    }
    let mut end = MAX_ECHO_BYTES - '…'.len_utf8();
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    let mut out = String::with_capacity(end + 3);
    out.push_str(&s[..end]);
    out.push('…');
    out
}

/// Whether `c` is one of the ASCII characters with the Unicode White_Space property (those
/// `char::is_whitespace` and so `str::trim` remove).
pub fn is_space(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')
}

/// `s.trim()`, faster: ASCII whitespace is stripped byte by byte, and the Unicode-aware
/// trim runs only when an end is then a non-ASCII character (which may be Unicode
/// whitespace). Same result as `str::trim` for every input.
pub fn trim(s: &str) -> &str {
    let space = |c: &u8| is_space(*c);
    let b = s.as_bytes();
    let start = b.iter().position(|c| !space(c)).unwrap_or(b.len());
    let end = b.iter().rposition(|c| !space(c)).map_or(start, |i| i + 1);
    // Both ends are on ASCII bytes, so on char boundaries.
    let rest = s.get(start..end).unwrap_or_default();
    match (rest.as_bytes().first(), rest.as_bytes().last()) {
        (Some(a), Some(z)) if !a.is_ascii() || !z.is_ascii() => rest.trim(),
        _ => rest,
    }
}

/// A JSON scalar as bounded text: strings as they are, numbers and booleans printed;
/// `None` for null, objects, arrays and blank strings.
pub fn scalar(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !trim(s).is_empty() => Some(bounded(trim(s))),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A JSON string or number as bounded text (as [`scalar`] reads them); `None` for anything
/// else, booleans included. Vendor parsers read codes, messages and ids with it: a `true`
/// where a code belongs is not a code.
pub fn string_or_number(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(_) | Value::Number(_) => scalar(value),
        _ => None,
    }
}

/// `s` bounded and in double quotes, for error messages: `"`, `\\` and ASCII control
/// characters escaped (`\n`, `\u{1b}`), everything else as it is. The `{:?}` formatting it
/// replaces drags Unicode printability tables and the `Debug` machinery into the wasm.
pub fn quoted(s: &str) -> String {
    let s = bounded(s);
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_ascii_control() => {
                out.push_str("\\u{");
                let (n, hex) = (c as u8, b"0123456789abcdef");
                if n >= 16 {
                    out.push(char::from(hex[usize::from(n >> 4)]));
                }
                out.push(char::from(hex[usize::from(n & 15)]));
                out.push('}');
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A decimal number as headers and `retryAfter` fields spell it: an optional sign, digits
/// with an optional fraction, an optional exponent (`30`, `1.5`, `.5`, `+2`, `1e3`), after
/// trimming whitespace. `None` for anything else, `inf` and `NaN` included. Exact for
/// integers up to 2^53, and within a few ulps otherwise (the values become whole
/// milliseconds); written here because `str::parse::<f64>` costs the wasm ~9 KB of tables.
pub fn decimal(s: &str) -> Option<f64> {
    let b = trim(s).as_bytes();
    let (negative, b) = match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, b),
    };
    let mut mantissa: u64 = 0;
    let mut exponent: i64 = 0;
    let mut digits = 0usize;
    let mut i = 0;
    let mut seen_point = false;
    while let Some(&c) = b.get(i) {
        match c {
            b'0'..=b'9' => {
                digits += 1;
                if mantissa < (u64::MAX - 9) / 10 {
                    mantissa = mantissa * 10 + u64::from(c - b'0');
                    exponent -= i64::from(seen_point);
                } else {
                    exponent += i64::from(!seen_point);
                }
            }
            b'.' if !seen_point => seen_point = true,
            _ => break,
        }
        i += 1;
    }
    if digits == 0 {
        return None;
    }
    if let Some(b'e' | b'E') = b.get(i) {
        let rest = b.get(i + 1..)?;
        let (sign, rest) = match rest.split_first() {
            Some((b'-', r)) => (-1, r),
            Some((b'+', r)) => (1, r),
            _ => (1, rest),
        };
        if rest.is_empty() || !rest.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let e = rest
            .iter()
            .fold(0i64, |e, d| (e * 10 + i64::from(d - b'0')).min(100_000));
        exponent += sign * e;
    } else if i != b.len() {
        return None;
    }
    let exponent = i32::try_from(exponent.clamp(-400, 400)).ok()?;
    let magnitude = if exponent < 0 {
        mantissa as f64 / crate::num::powi(10.0, -exponent)
    } else {
        mantissa as f64 * crate::num::powi(10.0, exponent)
    };
    let value = if negative { -magnitude } else { magnitude };
    value.is_finite().then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_keeps_short_text_and_cuts_long_text_on_a_char_boundary() {
        assert_eq!(bounded("hello"), "hello");
        let long = "é".repeat(2000);
        let cut = bounded(&long);
        assert!(cut.len() <= MAX_ECHO_BYTES);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn scalar_reads_strings_and_numbers_only() {
        assert_eq!(scalar(Some(&json!(1006))).as_deref(), Some("1006"));
        assert_eq!(scalar(Some(&json!(" CSBS.1 "))).as_deref(), Some("CSBS.1"));
        assert_eq!(scalar(Some(&json!({"a": 1}))), None);
        assert_eq!(scalar(Some(&json!("  "))), None);
        assert_eq!(scalar(None), None);
        assert_eq!(string_or_number(Some(&json!(true))), None);
        assert_eq!(string_or_number(Some(&json!(5))).as_deref(), Some("5"));
    }

    #[test]
    fn quoted_escapes_quotes_backslashes_and_controls() {
        assert_eq!(quoted("ab"), "\"ab\"");
        assert_eq!(
            quoted("a\"b\\c\nd\u{1b}\u{7}é"),
            "\"a\\\"b\\\\c\\nd\\u{1b}\\u{7}é\""
        );
        assert_eq!(quoted("\u{0}\u{7f}"), "\"\\u{0}\\u{7f}\"");
        assert!(quoted(&"x".repeat(5000)).len() <= MAX_ECHO_BYTES + 2);
    }

    #[test]
    fn decimal_reads_what_headers_spell() {
        for (s, n) in [
            ("30", 30.0),
            (" 1.5 ", 1.5),
            (".5", 0.5),
            ("5.", 5.0),
            ("+2", 2.0),
            ("1e3", 1000.0),
            ("2.5E-1", 0.25),
            ("-0", 0.0),
            ("-3", -3.0),
        ] {
            assert_eq!(decimal(s), Some(n), "{s}");
        }
        for s in [
            "", ".", "-", "1e", "1e+", "1.2.3", "inf", "NaN", "12s", "0x10", "1 2", "1e999",
        ] {
            assert_eq!(decimal(s), None, "{s}");
        }
    }

    #[test]
    fn trim_is_str_trim() {
        for s in [
            "",
            " ",
            "a",
            " a ",
            "\t\n\x0B\x0C\r a b \r\n",
            "\u{a0}x\u{3000}",
            " \u{a0} x \u{2028} ",
            "\u{1c}x\u{1f}",
            "é",
            " é ",
            "\u{85}",
            "x\u{85}",
            "\u{feff}x",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn decimal_agrees_with_str_parse(s in "[+-]?[0-9]{0,22}(\\.[0-9]{0,8})?([eE][+-]?[0-9]{1,2})?") {
            let expected = s.parse::<f64>().ok().filter(|n| n.is_finite());
            match (decimal(&s), expected) {
                (Some(a), Some(b)) => proptest::prop_assert!((a - b).abs() <= b.abs() * 1e-14, "{} {} {}", s, a, b),
                (a, b) => proptest::prop_assert_eq!(a, b, "{}", s),
            }
        }

        #[test]
        fn trim_is_str_trim_on_any_mix(s in "[ \t\n\x0B\x0C\r\x1Cab\u{85}\u{a0}\u{2000}\u{3000}é\u{feff}]{0,12}") {
            proptest::prop_assert_eq!(trim(&s), s.trim());
        }
    }
}
