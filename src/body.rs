//! Turning raw body bytes into text and JSON, whatever arrives: a BOM, non-UTF-8 bytes,
//! invalid JSON (vendors' own examples are not always valid), HTML, or nothing.

use crate::json::{Map, Value};
use crate::prelude::*;
use alloc::borrow::Cow;

/// Bodies larger than this are not parsed as JSON (their first bytes are still scanned).
pub const MAX_JSON_BYTES: usize = 16 * 1024 * 1024;

/// How many bytes of an unparseable body the lenient scanner looks at.
const SALVAGE_WINDOW: usize = 64 * 1024;

/// A decoded response body.
#[derive(Debug)]
pub struct Body<'a> {
    /// The body as text: BOM removed, invalid UTF-8 replaced, surrounding whitespace trimmed.
    pub text: Cow<'a, str>,
    /// The body as JSON, when it parses (or when its error fields could be salvaged).
    pub json: Option<Value<'a>>,
}

/// Decodes `bytes`. Never fails: the worst case is empty text and no JSON.
pub fn decode(bytes: &[u8]) -> Body<'_> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // `from_utf8` first: its check is word-at-a-time on ASCII, much faster than the lossy
    // decoder's, and gives the same text whenever the bytes are valid.
    let text = match core::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    };
    let text = match text {
        Cow::Borrowed(s) => Cow::Borrowed(crate::text::trim(s)),
        Cow::Owned(s) => Cow::Owned(crate::text::trim(&s).to_string()),
    };
    let json = if !(text.starts_with('{') || text.starts_with('[')) {
        None
    } else if let Cow::Borrowed(s) = text {
        // Strings without escapes stay borrowed from the body.
        parse_json(s)
    } else {
        // Bytes that were not UTF-8: the lossy text is owned, and so is the JSON.
        parse_json(&text).map(Value::into_owned)
    };
    Body { text, json }
}

fn parse_json(text: &str) -> Option<Value<'_>> {
    if text.len() <= MAX_JSON_BYTES {
        // The reader refuses nesting deeper than 127 levels, so hostile depth costs nothing.
        if let Some(value) = crate::json::parse(text) {
            return Some(value);
        }
    }
    salvage(text)
}

/// Error keys the lenient scanner looks for in a body that is not valid JSON.
const SALVAGED_KEYS: [&str; 10] = [
    "errorCode",
    "errorMessage",
    "error_code",
    "error_msg",
    "code",
    "message",
    "type",
    "domain",
    "request_id",
    "retryAfter",
];

/// Rebuilds the error fields of a body that is almost JSON, such as Acronis' documented
/// example (unescaped quotes inside a string). The first occurrence of each key wins; the
/// fields go under `"error"` when the text has an `"error":{` object, else at the top.
fn salvage(text: &str) -> Option<Value<'static>> {
    let mut end = text.len().min(SALVAGE_WINDOW);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let window = &text[..end];
    let mut fields = Map::new();
    for key in SALVAGED_KEYS {
        if let Some(value) = scan_value(window, key) {
            fields.insert(key.to_string(), value);
        }
    }
    if fields.is_empty() {
        return None;
    }
    let nested = window.contains("\"error\":{") || window.contains("\"error\": {");
    let mut top = Map::new();
    if nested {
        top.insert("error".to_string(), Value::Object(fields));
    } else {
        top = fields;
    }
    Some(Value::Object(top))
}

/// The value after the first `"key":` in `text`: a number, or a string up to the next
/// `"` that is followed by `,` or `}` (so unescaped inner quotes do not end it early).
fn scan_value(text: &str, key: &str) -> Option<Value<'static>> {
    let pattern = crate::cat!("\"", key, "\"");
    let start = text.find(&pattern)? + pattern.len();
    let rest = text[start..].trim_start().strip_prefix(':')?.trim_start();
    if let Some(string) = rest.strip_prefix('"') {
        let mut from = 0;
        while let Some(pos) = string[from..].find('"') {
            let at = from + pos;
            let after = string[at + 1..].trim_start();
            if after.starts_with(',') || after.starts_with('}') || after.is_empty() {
                return Some(Value::from(crate::text::bounded(&string[..at])));
            }
            from = at + 1;
        }
        return None;
    }
    let number: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '-' || *c == '.')
        .collect();
    crate::json::Number::from_text(&number).map(|n| Value::Number(n).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_bom_and_whitespace_and_parses_json() {
        let body = decode(b"\xEF\xBB\xBF  {\"a\":1} \n");
        assert_eq!(body.text, "{\"a\":1}");
        assert_eq!(body.json, Some(json!({"a": 1})));
    }

    #[test]
    fn non_utf8_bytes_are_replaced_not_rejected() {
        let body = decode(b"{\"message\":\"caf\xE9\"}");
        assert!(body.text.contains('\u{FFFD}'));
        assert_eq!(body.json, Some(json!({"message": "caf\u{FFFD}"})));
    }

    #[test]
    fn acronis_documented_example_is_salvaged() {
        let text = r#"{"error":{"code":1006,"message":"It is prohibited to delete a non-disabled tenant.","details":{"info":"It is prohibited to delete a non-disabled tenant "1415032"","addition":[{"id":"1415032"}]},"context":{"id":"1415032"},"domain":"PlatformAccountServer"}}"#;
        assert!(serde_json::from_str::<serde_json::Value>(text).is_err());
        let json = decode(text.as_bytes()).json.unwrap();
        assert_eq!(json["error"]["code"], json!(1006));
        assert_eq!(
            json["error"]["message"],
            json!("It is prohibited to delete a non-disabled tenant.")
        );
        assert_eq!(json["error"]["domain"], json!("PlatformAccountServer"));
    }

    #[test]
    fn deep_nesting_gives_no_json_and_no_crash() {
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        assert!(decode(deep.as_bytes()).json.is_none());
    }

    #[test]
    fn html_and_empty_bodies_have_no_json() {
        assert!(decode(b"<html><title>502 Bad Gateway</title></html>")
            .json
            .is_none());
        let empty = decode(b"");
        assert!(empty.json.is_none());
        assert_eq!(empty.text, "");
    }
}
