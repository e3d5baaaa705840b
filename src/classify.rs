//! The classification pipeline: decode the body, detect the vendor, parse the vendor's
//! error, look the code up in the catalog, fall back to vendor-wide and then HTTP status
//! rules, and apply the rules no vendor can override (409 is never retried; 429 is
//! throttling).

use crate::body;
use crate::detect;
use crate::headers;
use crate::model::{Action, Category, Classification, ErrorInput, ItemError, Vendor, VendorError};
use crate::vendors::{self, generic, Rule};

/// What a status means by HTTP alone, with the remediation shown when nothing better is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpRule {
    /// What went wrong.
    pub category: Category,
    /// What to do.
    pub action: Action,
    /// One sentence saying what the status means.
    pub summary: &'static str,
    /// What to do about it.
    pub remediation: &'static str,
}

const fn rule(
    category: Category,
    action: Action,
    summary: &'static str,
    remediation: &'static str,
) -> HttpRule {
    HttpRule {
        category,
        action,
        summary,
        remediation,
    }
}

/// The plain HTTP status rules of DESIGN.md: 409 never retried, 5xx retried with backoff,
/// 429/503 retried after the server's wait, 401 re-authenticate, other 4xx not retried.
pub fn http_rule(status: u16) -> HttpRule {
    use Action::*;
    use Category::*;
    match status {
        0 => rule(
            Network,
            Retry,
            "No response arrived (connection refused, reset or DNS failure).",
            "Retry with backoff; check connectivity if it persists.",
        ),
        200..=299 => rule(Ok, DoNotRetry, "The request succeeded.", "Nothing to do."),
        100..=199 | 300..=399 => rule(
            Unknown,
            DoNotRetry,
            "The response is not an error status.",
            "Handle the response as the API documents it.",
        ),
        401 => rule(
            Unauthenticated,
            Reauthenticate,
            "Credentials are missing, invalid or expired.",
            "Refresh the token or sign in again, then retry once.",
        ),
        402 => rule(
            QuotaExceeded,
            DoNotRetry,
            "Payment or a subscription is required.",
            "Check the account's billing and subscription.",
        ),
        403 => rule(
            Forbidden,
            DoNotRetry,
            "The caller is not allowed to do this.",
            "Grant the needed permission or use another account.",
        ),
        404 | 410 => rule(
            NotFound,
            DoNotRetry,
            "The resource or endpoint does not exist.",
            "Check the identifiers and the URL.",
        ),
        405 | 406 | 415 => rule(
            Unsupported,
            FixRequest,
            "The endpoint does not accept this method or format.",
            "Use a method and Content-Type the endpoint supports.",
        ),
        408 => rule(
            Timeout,
            Retry,
            "The server timed out waiting for the request.",
            "Retry with backoff.",
        ),
        409 => rule(
            Conflict,
            DoNotRetry,
            "The request conflicts with an existing resource.",
            "Read the current state; an earlier attempt may have succeeded.",
        ),
        412 => rule(
            InvalidState,
            RefreshAndRetry,
            "A precondition failed: the resource changed.",
            "Re-read the resource and apply the change again.",
        ),
        413 => rule(
            TooLarge,
            SplitRequest,
            "The request is larger than the server accepts.",
            "Send the work in smaller requests.",
        ),
        414 | 431 => rule(
            TooLarge,
            FixRequest,
            "The URL or headers are too long.",
            "Shorten the URL, query or headers.",
        ),
        423 => rule(
            Busy,
            WaitAndRetry,
            "The resource is locked by another operation.",
            "Wait for the other operation to finish, then retry.",
        ),
        425 => rule(
            Timeout,
            Retry,
            "The server is not ready to process the request yet.",
            "Retry with backoff.",
        ),
        429 => rule(
            RateLimited,
            Retry,
            "Too many requests: the caller is being throttled.",
            "Wait as long as the server asks, then retry.",
        ),
        400..=499 => rule(
            InvalidRequest,
            FixRequest,
            "The request is malformed or a field is invalid.",
            "Correct the request before sending it again.",
        ),
        503 => rule(
            ServerError,
            Retry,
            "The service is unavailable for now.",
            "Wait as long as the server asks, then retry.",
        ),
        504 => rule(
            Timeout,
            Retry,
            "A gateway timed out waiting for the service.",
            "Retry with backoff.",
        ),
        509 => rule(
            RateLimited,
            Retry,
            "The bandwidth limit was reached.",
            "Wait as long as the server asks, then retry.",
        ),
        500..=599 => rule(
            ServerError,
            Retry,
            "The server failed to handle the request.",
            "Retry with backoff; contact the vendor if it persists.",
        ),
        _ => rule(
            Unknown,
            DoNotRetry,
            "The status is not a standard HTTP status.",
            "Check what the API documents for this status.",
        ),
    }
}

/// The most items a classification carries; further ones are dropped.
pub const MAX_ITEMS: usize = 10_000;

/// Classifies one response, reading HTTP-dates against `now_ms` (milliseconds since the epoch).
pub fn classify_at(input: &ErrorInput, now_ms: u64) -> Classification {
    let status = input.status;
    let body = body::decode(&input.body);
    let vendor = input
        .vendor
        .unwrap_or_else(|| detect::detect(body.json.as_ref(), &input.headers));
    let parsed = match body.json.as_ref() {
        Some(json) => vendors::parse(vendor, json).or_else(|| generic::parse(json)),
        None => generic::parse_text(&body.text),
    }
    .unwrap_or_default();

    let retry_after_ms = headers::retry_after_ms(&input.headers, now_ms).or(parsed.retry_after_ms);
    let request_id = headers::request_id(&input.headers).or_else(|| parsed.request_id.clone());
    let meaning = meaning(vendor, status, &parsed);
    let mut items = parsed.items.clone();
    items.truncate(MAX_ITEMS);
    for item in &mut items {
        classify_item(vendor, status, item);
    }
    let summary = if meaning.category == Category::Ok && !items.is_empty() {
        format!("The request succeeded, but {} item(s) failed.", items.len())
    } else {
        meaning.summary.to_string()
    };
    Classification {
        vendor,
        status,
        code: parsed.code,
        message: parsed.message,
        category: meaning.category,
        action: meaning.action,
        retryable: meaning.action.is_retryable(),
        retry_after_ms,
        summary,
        remediation: meaning.remediation.map(str::to_string),
        parameter: parsed.parameter,
        request_id,
        documented: meaning.documented,
        items,
    }
}

/// Classifies one response against the system clock.
#[cfg(not(target_arch = "wasm32"))]
pub fn classify(input: &ErrorInput) -> Classification {
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    classify_at(input, now_ms)
}

struct Meaning {
    category: Category,
    action: Action,
    summary: &'static str,
    remediation: Option<&'static str>,
    documented: bool,
}

fn meaning(vendor: Vendor, status: u16, parsed: &VendorError) -> Meaning {
    let http = http_rule(status);
    if (200..=299).contains(&status) || status == 0 {
        return Meaning {
            category: http.category,
            action: http.action,
            summary: http.summary,
            remediation: None,
            documented: false,
        };
    }
    let entry = parsed
        .code
        .as_deref()
        .and_then(|code| vendors::lookup(vendor, code, Some(status), parsed.message.as_deref()));
    let mut m = if let Some(e) = entry {
        Meaning {
            category: e.category,
            action: e.action,
            summary: e.summary,
            remediation: Some(e.remediation).filter(|r| !r.is_empty()),
            documented: true,
        }
    } else if let Some(Rule {
        category,
        action,
        summary,
    }) = vendors::fallback(vendor, parsed, status)
    {
        Meaning {
            category,
            action,
            summary,
            remediation: Some(action_remediation(action)),
            documented: false,
        }
    } else {
        Meaning {
            category: http.category,
            action: http.action,
            summary: http.summary,
            remediation: Some(http.remediation),
            documented: false,
        }
    };
    // Rules no vendor code overrides.
    if status == 429 && entry.is_none_or(|e| e.status != Some(429)) {
        m.category = Category::RateLimited;
        m.action = Action::Retry;
    }
    if status == 409 {
        m.action = Action::DoNotRetry;
    }
    m
}

/// What to do, said for an action: the remediation of a vendor-wide rule, which must agree
/// with the rule's action rather than with the HTTP status it came with.
pub const fn action_remediation(action: Action) -> &'static str {
    match action {
        Action::Retry => "Retry with backoff; contact the vendor if it persists.",
        Action::WaitAndRetry => "Wait for the running operation to finish, then retry.",
        Action::Reauthenticate => "Refresh the token or sign in again, then retry once.",
        Action::RefreshAndRetry => "Re-read the resource and apply the change again.",
        Action::FixRequest => "Correct the request before sending it again.",
        Action::SplitRequest => "Send the work in smaller requests.",
        Action::DoNotRetry => "Do not retry; the message says what must change first.",
    }
}

fn classify_item(vendor: Vendor, status: u16, item: &mut ItemError) {
    let entry = item
        .code
        .as_deref()
        .and_then(|code| vendors::lookup(vendor, code, Some(status), item.message.as_deref()));
    if let Some(e) = entry {
        item.category = e.category;
        item.action = e.action;
        item.summary = Some(e.summary.to_string());
    } else {
        item.category = Category::Unknown;
        item.action = Action::DoNotRetry;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vendor_rule_brings_advice_that_matches_its_action() {
        // Acronis identity service: invalid_grant at HTTP 400 means sign in again, and the
        // remediation must say so rather than "correct the request" (the 400 default).
        let body = br#"{"domain":"Access","reason":"r","error":"invalid_grant","error_description":"expired"}"#;
        let c = classify_at(
            &ErrorInput {
                status: 400,
                body: body.to_vec(),
                ..ErrorInput::default()
            },
            0,
        );
        assert_eq!(c.action, Action::Reauthenticate);
        assert_eq!(
            c.remediation.as_deref(),
            Some(action_remediation(Action::Reauthenticate))
        );
    }

    #[test]
    fn http_rules_keep_409_and_429_whatever_the_code_says() {
        let veeam_busy_409 = br#"{"errors":[{"type":"retryablelogical","code":1000}]}"#;
        let c = classify_at(
            &ErrorInput {
                status: 409,
                body: veeam_busy_409.to_vec(),
                ..ErrorInput::default()
            },
            0,
        );
        assert_eq!(c.action, Action::DoNotRetry);
        let c = classify_at(
            &ErrorInput {
                status: 429,
                body: br#"{"errorCode":"108"}"#.to_vec(),
                ..ErrorInput::default()
            },
            0,
        );
        assert_eq!(
            (c.category, c.action),
            (Category::RateLimited, Action::Retry)
        );
    }
}
