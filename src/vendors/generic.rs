//! Anything that is not a known vendor: RFC 9457 `application/problem+json`, the common
//! `{"code","message"}`, `{"error":{"code","message"}}`, OAuth-style `{"error",
//! "error_description"}` and `{"message"}` bodies, lists of error objects (`{"errors": […]}`,
//! JSON:API and GraphQL among them), HTML error pages from proxies and load
//! balancers (their `<title>`), short plain-text bodies, and nothing at all.
//!
//! There is no catalog: a generic error is classified by its HTTP status.

use super::Rule;
use crate::json::Value;
use crate::model::{Entry, VendorError};
use crate::prelude::*;
use crate::text::{bounded, scalar};

/// Generic errors have no documented codes.
pub static CATALOG: &[Entry] = &[];

/// Extracts code and message from the common JSON error shapes; `None` for non-objects.
pub fn parse(json: &Value) -> Option<VendorError> {
    let top = json.as_object()?;
    let nested = top.get("error").and_then(Value::as_object);
    let field = |names: &[&str]| -> Option<String> {
        names.iter().find_map(|n| {
            nested
                .and_then(|e| scalar(e.get(n)))
                .or_else(|| scalar(top.get(n)))
        })
    };
    // RFC 9457 §3.1.1: `type` is a URI reference, and consumers must use it as the problem
    // type's primary identifier: the whole URI is the code (two APIs may end theirs in the
    // same word). "about:blank" names nothing.
    let problem_type = scalar(top.get("type"))
        .filter(|t| t != "about:blank" && (t.contains('/') || t.contains(':')));
    let code = field(&["code", "errorCode", "error_code"])
        .or(problem_type)
        .or_else(|| scalar(top.get("error")));
    let message = field(&["message", "detail", "error_description", "title", "msg"]);
    let request_id = field(&["requestId", "request_id", "traceId", "instance"]);
    // A list of error objects (JSON:API, GraphQL, …): the first is the error, the others
    // items (`crate::vendors::error_list`).
    let list = code
        .is_none()
        .then(|| super::error_list::read(top))
        .flatten();
    let (code, message, items) = match list {
        Some(l) => (l.code, message.or(l.message), l.items),
        None => (code, message, Vec::new()),
    };
    Some(VendorError {
        code,
        message,
        request_id,
        items,
        ..VendorError::default()
    })
}

/// The message of a non-JSON body: an HTML page's `<title>` (or first `<h1>`), or a short
/// single-line plain-text body; `None` otherwise.
pub fn parse_text(text: &str) -> Option<VendorError> {
    if text.is_empty() {
        return None;
    }
    let head = &text[..floor_char_boundary(text, 64 * 1024)];
    let lower = head.to_ascii_lowercase();
    let message = if lower.contains("<html") || lower.contains("<!doctype") {
        ["title", "h1"]
            .into_iter()
            .find_map(|tag| element_text(head, &lower, tag))
    } else if text.len() <= 512 && !text.contains('\n') && !text.starts_with(['{', '[']) {
        Some(bounded(text))
    } else {
        None
    }?;
    Some(VendorError {
        message: Some(message),
        ..VendorError::default()
    })
}

fn element_text(html: &str, lower: &str, tag: &str) -> Option<String> {
    let open = lower.find(&crate::cat!("<", tag))?;
    let start = open + lower[open..].find('>')? + 1;
    let end = start + lower[start..].find(&crate::cat!("</", tag))?;
    let text = html
        .get(start..end)?
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!text.is_empty()).then(|| bounded(&text))
}

fn floor_char_boundary(s: &str, max: usize) -> usize {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    end
}

/// Generic errors follow the HTTP status rules.
pub fn fallback(_error: &VendorError, _status: u16) -> Option<Rule> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_details() {
        let e = parse(&json!({
            "type": "https://example.com/probs/out-of-credit",
            "title": "You do not have enough credit.",
            "detail": "Your current balance is 30, but that costs 50.",
            "status": 403
        }))
        .unwrap();
        assert_eq!(
            e.code.as_deref(),
            Some("https://example.com/probs/out-of-credit")
        );
        assert_eq!(
            e.message.as_deref(),
            Some("Your current balance is 30, but that costs 50.")
        );
    }

    #[test]
    fn common_json_shapes() {
        let e = parse(&json!({"error": {"code": "Throttled", "message": "slow down"}})).unwrap();
        assert_eq!(
            (e.code.as_deref(), e.message.as_deref()),
            (Some("Throttled"), Some("slow down"))
        );
        let e = parse(&json!({"error": "invalid_grant", "error_description": "expired"})).unwrap();
        assert_eq!(
            (e.code.as_deref(), e.message.as_deref()),
            (Some("invalid_grant"), Some("expired"))
        );
        let e = parse(&json!({"message": "Internal server error"})).unwrap();
        assert_eq!(e.message.as_deref(), Some("Internal server error"));
        assert!(parse(&json!([1, 2])).is_none());
    }

    #[test]
    fn html_proxy_pages_give_their_title() {
        let page =
            "<html><head><title>502 Bad\n Gateway</title></head><body><h1>x</h1></body></html>";
        assert_eq!(
            parse_text(page).unwrap().message.as_deref(),
            Some("502 Bad Gateway")
        );
        let h1 = "<!DOCTYPE html><body><H1>Service Unavailable</H1></body>";
        assert_eq!(
            parse_text(h1).unwrap().message.as_deref(),
            Some("Service Unavailable")
        );
        assert_eq!(
            parse_text("upstream connect error")
                .unwrap()
                .message
                .as_deref(),
            Some("upstream connect error")
        );
        assert!(parse_text("").is_none());
    }
}
