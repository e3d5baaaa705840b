//! The classification pipeline: decode the body, detect the vendor, parse the vendor's
//! error, look the code up in the catalog, fall back to vendor-wide and then HTTP status
//! rules, and apply the rules no vendor can override (409 is never retried; 429 is
//! throttling).

use crate::body;
use crate::detect;
use crate::headers;
use crate::model::{
    Action, Category, Classification, Entry, ErrorInput, ItemError, Vendor, VendorError,
};
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

/// The plain HTTP status rules of `docs/design.md` ("Retry rules"): 409 never retried, 5xx retried with backoff,
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
    classify_parts(
        input.status,
        &input.headers,
        &input.body,
        input.vendor,
        &|| now_ms,
    )
    .into_classification()
}

/// A [`Classification`] whose fixed sentences (summary, remediation, item summaries) are
/// still the `&'static str` of the catalog and the rules, not copies: the wasm bindings pass
/// those by address and the JS side decodes each one once. [`classify_at`] is this plus
/// [`Parts::into_classification`].
#[derive(Debug)]
pub(crate) struct Parts {
    /// See [`Classification::vendor`].
    pub vendor: Vendor,
    /// See [`Classification::status`].
    pub status: u16,
    /// See [`Classification::code`].
    pub code: Option<String>,
    /// See [`Classification::message`].
    pub message: Option<String>,
    /// See [`Classification::category`].
    pub category: Category,
    /// See [`Classification::action`].
    pub action: Action,
    /// See [`Classification::retry_after_ms`].
    pub retry_after_ms: Option<u64>,
    /// The summary: a rule's or the catalog's sentence, or a count of failed items.
    pub summary: Summary,
    /// See [`Classification::remediation`].
    pub remediation: Option<&'static str>,
    /// See [`Classification::parameter`].
    pub parameter: Option<String>,
    /// See [`Classification::request_id`].
    pub request_id: Option<String>,
    /// See [`Classification::documented`].
    pub documented: bool,
    /// The items; a documented item's summary is in `item_summaries` (same index), not here.
    pub items: Vec<ItemError>,
    /// The catalog summary of each item's code, when documented.
    pub item_summaries: Vec<Option<&'static str>>,
}

/// A classification's summary: a fixed sentence, or "… but N item(s) failed" for a 2xx.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Summary {
    /// A sentence of the catalog or the rules.
    Fixed(&'static str),
    /// A 2xx response with this many failed items.
    FailedItems(usize),
}

impl Summary {
    /// The summary as text.
    pub fn text(self) -> std::borrow::Cow<'static, str> {
        match self {
            Summary::Fixed(s) => s.into(),
            Summary::FailedItems(n) => {
                format!("The request succeeded, but {n} item(s) failed.").into()
            }
        }
    }
}

impl Parts {
    /// The public form: fixed sentences copied into `String`s.
    pub fn into_classification(self) -> Classification {
        let mut items = self.items;
        for (item, summary) in items.iter_mut().zip(self.item_summaries) {
            if let Some(summary) = summary {
                item.summary = Some(summary.to_string());
            }
        }
        Classification {
            vendor: self.vendor,
            status: self.status,
            code: self.code,
            message: self.message,
            category: self.category,
            action: self.action,
            retryable: self.action.is_retryable(),
            retry_after_ms: self.retry_after_ms,
            summary: self.summary.text().into_owned(),
            remediation: self.remediation.map(str::to_string),
            parameter: self.parameter,
            request_id: self.request_id,
            documented: self.documented,
            items,
        }
    }
}

/// [`classify_at`] on borrowed parts of an [`ErrorInput`], keeping fixed sentences borrowed;
/// `now_ms` is called only if a header holds a date or an epoch time.
pub(crate) fn classify_parts(
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
    vendor: Option<Vendor>,
    now_ms: &dyn Fn() -> u64,
) -> Parts {
    let body = body::decode(body);
    let vendor = vendor.unwrap_or_else(|| detect::detect(body.json.as_ref(), headers));
    let parsed = match body.json.as_ref() {
        Some(json) => vendors::parse(vendor, json).or_else(|| generic::parse(json)),
        None => generic::parse_text(&body.text),
    }
    .unwrap_or_default();

    let retry_after_ms =
        headers::retry_after_ms_with_clock(headers, now_ms).or(parsed.retry_after_ms);
    let meaning = meaning(vendor, status, &parsed);
    let VendorError {
        code,
        message,
        parameter,
        request_id: body_request_id,
        mut items,
        ..
    } = parsed;
    let request_id = headers::request_id(headers).or(body_request_id);
    items.truncate(MAX_ITEMS);
    let item_summaries = items
        .iter_mut()
        .map(|item| classify_item(vendor, status, item))
        .collect();
    let summary = if meaning.category == Category::Ok && !items.is_empty() {
        Summary::FailedItems(items.len())
    } else {
        Summary::Fixed(meaning.summary)
    };
    Parts {
        vendor,
        status,
        code,
        message,
        category: meaning.category,
        action: meaning.action,
        retry_after_ms,
        summary,
        remediation: meaning.remediation,
        parameter,
        request_id,
        documented: meaning.documented,
        items,
        item_summaries,
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
        .and_then(|code| lookup(vendor, code, Some(status), parsed.message.as_deref()));
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

/// [`vendors::lookup`], remembered. The catalog is static, so a lookup is a pure function of
/// its arguments; and the message only picks among rows that carry a `message_hint` (when
/// the first matching row has none, it is the answer whatever the message). So the memo
/// keeps `lookup(vendor, code, status, None)` per (vendor, code, status) and answers from it
/// unless that row has a hint, then asks `vendors::lookup` with the message. A Microsoft 365
/// 200 with 10,000 failed items looks up one code 10,000 times; this makes that one scan.
/// `memo_answers_as_lookup` (below) checks the equivalence over every catalog row.
pub(crate) fn lookup(
    vendor: Vendor,
    code: &str,
    status: Option<u16>,
    message: Option<&str>,
) -> Option<&'static Entry> {
    use std::cell::RefCell;
    const SLOTS: usize = 64;
    struct Slot {
        vendor: Vendor,
        status: Option<u16>,
        code: String,
        entry: Option<&'static Entry>,
    }
    thread_local! {
        static MEMO: RefCell<Vec<Option<Slot>>> = const { RefCell::new(Vec::new()) };
    }
    // FNV-1a over the code, mixed with the vendor and the status.
    let mut hash: u32 = 0x811c_9dc5 ^ (vendor as u32) ^ (u32::from(status.unwrap_or(0)) << 8);
    for b in code.bytes() {
        hash = (hash ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    let at = (hash as usize ^ (hash >> 16) as usize) % SLOTS;
    let remembered = MEMO.with(|memo| {
        let memo = memo.borrow();
        match memo.get(at) {
            Some(Some(slot))
                if slot.vendor == vendor && slot.status == status && slot.code == code =>
            {
                Some(slot.entry)
            }
            _ => None,
        }
    });
    let entry = remembered.unwrap_or_else(|| {
        let entry = vendors::lookup(vendor, code, status, None);
        MEMO.with(|memo| {
            let mut memo = memo.borrow_mut();
            if memo.is_empty() {
                memo.resize_with(SLOTS, || None);
            }
            memo[at] = Some(Slot {
                vendor,
                status,
                code: code.to_string(),
                entry,
            });
        });
        entry
    });
    match entry {
        Some(e) if !e.message_hint.is_empty() && message.is_some() => {
            vendors::lookup(vendor, code, status, message)
        }
        other => other,
    }
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

/// Fills in an item's category and action; returns its documented summary, if any.
fn classify_item(vendor: Vendor, status: u16, item: &mut ItemError) -> Option<&'static str> {
    let entry = item
        .code
        .as_deref()
        .and_then(|code| lookup(vendor, code, Some(status), item.message.as_deref()));
    if let Some(e) = entry {
        item.category = e.category;
        item.action = e.action;
        Some(e.summary)
    } else {
        item.category = Category::Unknown;
        item.action = Action::DoNotRetry;
        None
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

    /// The memo in [`lookup`] answers exactly as `vendors::lookup` for every catalog code (as
    /// written, in other letter cases, padded, unknown), statuses documented or not, and
    /// messages with and without each row's hint — cold and warm.
    #[test]
    fn memo_answers_as_lookup() {
        let same = |a: Option<&'static Entry>, b: Option<&'static Entry>| match (a, b) {
            (Some(a), Some(b)) => std::ptr::eq(a, b),
            (None, None) => true,
            _ => false,
        };
        for vendor in Vendor::ALL {
            let table = vendors::catalog(vendor);
            let hints: Vec<&str> = table
                .iter()
                .map(|e| e.message_hint)
                .filter(|h| !h.is_empty())
                .collect();
            for e in table {
                let codes = [
                    e.code.to_string(),
                    e.code.to_ascii_lowercase(),
                    e.code.to_ascii_uppercase(),
                    format!(" {} ", e.code),
                    format!("{}x", e.code),
                ];
                let mut statuses = vec![None, Some(200), Some(400), Some(409), Some(429)];
                statuses.extend([Some(500), Some(503), Some(520), e.status]);
                let mut messages = vec![None, Some(String::new()), Some("nothing".to_string())];
                for h in &hints {
                    messages.push(Some(format!("... {h} ...")));
                    messages.push(Some(h.to_ascii_uppercase()));
                }
                for _pass in 0..2 {
                    for code in &codes {
                        for &status in &statuses {
                            for message in &messages {
                                let m = message.as_deref();
                                assert!(
                                    same(
                                        lookup(vendor, code, status, m),
                                        vendors::lookup(vendor, code, status, m)
                                    ),
                                    "{vendor:?} {code:?} {status:?} {m:?}"
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}
