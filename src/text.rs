//! Small string helpers shared by the parsers: bounding echoed text and reading JSON scalars.

use serde_json::Value;

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

/// `s.trim()`, faster: ASCII whitespace is stripped byte by byte, and the Unicode-aware
/// trim runs only when an end is then a non-ASCII character (which may be Unicode
/// whitespace). Same result as `str::trim` for every input.
pub fn trim(s: &str) -> &str {
    // The ASCII characters with the Unicode White_Space property (`char::is_whitespace`).
    let space = |c: &u8| matches!(c, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ');
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
        fn trim_is_str_trim_on_any_mix(s in "[ \t\n\x0B\x0C\r\x1Cab\u{85}\u{a0}\u{2000}\u{3000}é\u{feff}]{0,12}") {
            proptest::prop_assert_eq!(trim(&s), s.trim());
        }
    }
}
