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

/// A JSON scalar as bounded text: strings as they are, numbers and booleans printed;
/// `None` for null, objects, arrays and blank strings.
pub fn scalar(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.trim().is_empty() => Some(bounded(s.trim())),
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
}
