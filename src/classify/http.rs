//! What an HTTP status means by itself: the plain rules every classification falls back to
//! when neither the vendor's catalog nor a vendor-wide rule knows the code.

use crate::model::{Action, Category};

/// What a status means by HTTP alone, with the remediation shown when nothing better is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpRule {
    /// The id of its texts (`http.503`: `http.503.summary`, `http.503.remediation`).
    pub id: &'static str,
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
    id: &'static str,
    category: Category,
    action: Action,
    summary: &'static str,
    remediation: &'static str,
) -> HttpRule {
    HttpRule {
        id,
        category,
        action,
        summary,
        remediation,
    }
}

/// The plain HTTP status rules of `docs/design.md` ("Retry rules"): 409 never retried, 5xx
/// retried with backoff except 501 and 505 (RFC 9110 §15.6.2, §15.6.6), 429/503 retried after
/// the server's wait, 425 retried, 401 re-authenticate, other 4xx not retried.
pub fn http_rule(status: u16) -> HttpRule {
    use Action::*;
    use Category::*;
    match status {
        0 => rule(
            "http.no-response",
            Network,
            Retry,
            "No response arrived (connection refused, reset or DNS failure).",
            "Retry with backoff; check connectivity if it persists.",
        ),
        200..=299 => rule(
            "http.2xx",
            Ok,
            DoNotRetry,
            "The request succeeded.",
            "Nothing to do.",
        ),
        100..=199 | 300..=399 => rule(
            "http.not-an-error",
            Unknown,
            DoNotRetry,
            "The response is not an error status.",
            "Handle the response as the API documents it.",
        ),
        401 => rule(
            "http.401",
            Unauthenticated,
            Reauthenticate,
            "Credentials are missing, invalid or expired.",
            "Refresh the token or sign in again, then retry once.",
        ),
        402 => rule(
            "http.402",
            QuotaExceeded,
            DoNotRetry,
            "Payment or a subscription is required.",
            "Check the account's billing and subscription.",
        ),
        403 => rule(
            "http.403",
            Forbidden,
            DoNotRetry,
            "The caller is not allowed to do this.",
            "Grant the needed permission or use another account.",
        ),
        404 | 410 => rule(
            "http.404",
            NotFound,
            DoNotRetry,
            "The resource or endpoint does not exist.",
            "Check the identifiers and the URL.",
        ),
        405 | 406 | 415 => rule(
            "http.405",
            Unsupported,
            FixRequest,
            "The endpoint does not accept this method or format.",
            "Use a method and Content-Type the endpoint supports.",
        ),
        408 => rule(
            "http.408",
            Timeout,
            Retry,
            "The server timed out waiting for the request.",
            "Retry with backoff.",
        ),
        409 => rule(
            "http.409",
            Conflict,
            DoNotRetry,
            "The request conflicts with an existing resource.",
            "Read the current state; an earlier attempt may have succeeded.",
        ),
        412 => rule(
            "http.412",
            InvalidState,
            RefreshAndRetry,
            "A precondition failed: the resource changed.",
            "Re-read the resource and apply the change again.",
        ),
        413 => rule(
            "http.413",
            TooLarge,
            SplitRequest,
            "The request is larger than the server accepts.",
            "Send the work in smaller requests.",
        ),
        414 | 431 => rule(
            "http.414",
            TooLarge,
            FixRequest,
            "The URL or headers are too long.",
            "Shorten the URL, query or headers.",
        ),
        423 => rule(
            "http.423",
            Busy,
            WaitAndRetry,
            "The resource is locked by another operation.",
            "Wait for the other operation to finish, then retry.",
        ),
        425 => rule(
            "http.425",
            TooEarly,
            Retry,
            "The server will not process the request yet (too early, RFC 8470).",
            "Send it again after a short wait; it was not processed.",
        ),
        429 => rule(
            "http.429",
            RateLimited,
            Retry,
            "Too many requests: the caller is being throttled.",
            "Wait as long as the server asks, then retry.",
        ),
        400..=499 => rule(
            "http.4xx",
            InvalidRequest,
            FixRequest,
            "The request is malformed or a field is invalid.",
            "Correct the request before sending it again.",
        ),
        501 => rule(
            "http.501",
            Unsupported,
            DoNotRetry,
            "The server does not support the functionality the request needs.",
            "Use a method or endpoint the server implements; retrying cannot help.",
        ),
        505 => rule(
            "http.505",
            Unsupported,
            DoNotRetry,
            "The server does not support the request's HTTP version.",
            "Send the request with an HTTP version the server supports.",
        ),
        503 => rule(
            "http.503",
            ServerError,
            Retry,
            "The service is unavailable for now.",
            "Wait as long as the server asks, then retry.",
        ),
        504 => rule(
            "http.504",
            Timeout,
            Retry,
            "A gateway timed out waiting for the service.",
            "Retry with backoff.",
        ),
        509 => rule(
            "http.509",
            RateLimited,
            Retry,
            "The bandwidth limit was reached.",
            "Wait as long as the server asks, then retry.",
        ),
        500..=599 => rule(
            "http.5xx",
            ServerError,
            Retry,
            "The server failed to handle the request.",
            "Retry with backoff; contact the vendor if it persists.",
        ),
        _ => rule(
            "http.other",
            Unknown,
            DoNotRetry,
            "The status is not a standard HTTP status.",
            "Check what the API documents for this status.",
        ),
    }
}

/// What to do, said for an action: the remediation of a vendor-wide rule, which must agree
/// with the rule's action rather than with the HTTP status it came with.
pub const fn action_remediation(action: Action) -> &'static str {
    action_advice(action).1
}

/// [`action_remediation`] with the id of its text (`action.retry`: `action.retry.remediation`).
pub const fn action_advice(action: Action) -> (&'static str, &'static str) {
    match action {
        Action::Retry => (
            "action.retry",
            "Retry with backoff; contact the vendor if it persists.",
        ),
        Action::WaitAndRetry => (
            "action.wait_and_retry",
            "Wait for the running operation to finish, then retry.",
        ),
        Action::Reauthenticate => (
            "action.reauthenticate",
            "Refresh the token or sign in again, then retry once.",
        ),
        Action::RefreshAndRetry => (
            "action.refresh_and_retry",
            "Re-read the resource and apply the change again.",
        ),
        Action::FixRequest => (
            "action.fix_request",
            "Correct the request before sending it again.",
        ),
        Action::SplitRequest => ("action.split_request", "Send the work in smaller requests."),
        Action::DoNotRetry => (
            "action.do_not_retry",
            "Do not retry; the message says what must change first.",
        ),
    }
}

/// The summary of a 2xx response whose body lists failed items: its id (without `.summary`)
/// and its English text, ICU MessageFormat over `failedItems`.
pub const FAILED_ITEMS: (&str, &str) = (
    "http.2xx-failed-items",
    "The request succeeded, but {failedItems} item(s) failed.",
);

/// A 413 that carries a server wait (RFC 9110 §15.5.14: the condition is temporary).
pub const TOO_LARGE_FOR_NOW: HttpRule = rule(
    "http.413-wait",
    Category::TooLarge,
    Action::Retry,
    "The server refuses the request's size for now and says when to send it again.",
    "Wait as long as the server asks, then send it again.",
);

/// Every rule of [`http_rule`] once, and [`TOO_LARGE_FOR_NOW`]: the texts they show, by id.
pub fn http_rules() -> alloc::vec::Vec<HttpRule> {
    let mut out: alloc::vec::Vec<HttpRule> = alloc::vec::Vec::new();
    for status in (0..=999u16).chain(core::iter::once(TOO_LARGE_FOR_NOW_STATUS)) {
        let r = if status == TOO_LARGE_FOR_NOW_STATUS {
            TOO_LARGE_FOR_NOW
        } else {
            http_rule(status)
        };
        if !out.iter().any(|o| o.id == r.id) {
            out.push(r);
        }
    }
    out
}

/// A status no rule has, standing for [`TOO_LARGE_FOR_NOW`] in [`http_rules`].
const TOO_LARGE_FOR_NOW_STATUS: u16 = u16::MAX;

#[cfg(test)]
mod text_id_tests {
    use super::*;

    #[test]
    fn every_rule_has_an_id_of_its_own_and_the_list_holds_them_all() {
        let rules = http_rules();
        for (i, r) in rules.iter().enumerate() {
            assert!(r.id.starts_with("http."), "{}", r.id);
            assert!(rules[..i].iter().all(|o| o.id != r.id), "{} twice", r.id);
            assert!(
                !r.summary.is_empty() && !r.remediation.is_empty(),
                "{}",
                r.id
            );
        }
        for status in 0..=999 {
            let r = http_rule(status);
            let listed = rules.iter().find(|o| o.id == r.id);
            assert_eq!(
                listed.map(|o| (o.summary, o.remediation)),
                Some((r.summary, r.remediation)),
                "{status}"
            );
        }
        assert!(rules.iter().any(|r| r.id == TOO_LARGE_FOR_NOW.id));
        assert_eq!(rules.len(), 25);
    }
}
