//! The classification pipeline: decode the body, detect the vendor, parse the vendor's
//! error, look the code up in the catalog, fall back to vendor-wide and then HTTP status
//! rules, and apply the rules no vendor can override (409 is never retried; 429 is
//! throttling; a 413 with a server wait is temporary). Each item error is classified the same
//! way, on its own status where it has one.
//!
//! Files: this one holds the pipeline; `http.rs` what a status means by itself; `memo.rs`
//! the remembered catalog lookup.

mod http;
mod memo;

pub use http::{action_advice, action_remediation, http_rule, http_rules, HttpRule, FAILED_ITEMS};
pub(crate) use memo::{clear as clear_memo, lookup};

use crate::body;
use crate::detect;
use crate::headers;
use crate::model::{
    Action, Category, Classification, ErrorInput, ItemError, Processed, Vendor, VendorError,
};
use crate::prelude::*;
use crate::texts::TextOf;
use crate::vendors::{self, generic, Rule};
use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

/// The placeholder of [`FAILED_ITEMS`]'s text.
const FAILED_ITEMS_PARAM: &str = "{failedItems}";

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
    /// See [`Classification::processed`].
    pub processed: Processed,
    /// See [`Classification::retry_after_ms`].
    pub retry_after_ms: Option<u64>,
    /// The summary: a rule's or the catalog's sentence, or a count of failed items.
    pub summary: Summary,
    /// See [`Classification::remediation`]: a fixed sentence (or a text of its own).
    pub remediation: Option<Cow<'static, str>>,
    /// See [`Classification::parameter`].
    pub parameter: Option<String>,
    /// See [`Classification::request_id`].
    pub request_id: Option<String>,
    /// See [`Classification::documented`].
    pub documented: bool,
    /// The items; a documented item's summary is in `item_summaries` (same index), not here.
    pub items: Vec<ItemError>,
    /// The catalog summary of each item's code, when documented, and its row's index in the
    /// vendor's catalog ([`crate::texts`]).
    pub item_summaries: Vec<Option<(&'static str, Option<u32>)>>,
    /// Where the summary comes from (its id: [`crate::texts`]); `None` for a text of the
    /// caller's own.
    pub summary_of: Option<TextOf>,
    /// Where the remediation comes from, likewise.
    pub remediation_of: Option<TextOf>,
    /// The value the texts use, by name (`failedItems`), if they use one.
    pub text_param: Option<(&'static str, u64)>,
    /// See [`Classification::truncated`].
    pub truncated: bool,
}

/// A classification's summary: a fixed sentence, or "… but N item(s) failed" for a 2xx.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Summary {
    /// A sentence of the catalog or the rules.
    Fixed(&'static str),
    /// A 2xx response with this many failed items.
    FailedItems(usize),
    /// A sentence written for this classification.
    Owned(String),
}

impl Summary {
    /// The summary as text.
    pub fn text(&self) -> Cow<'static, str> {
        match self {
            Summary::Fixed(s) => Cow::Borrowed(s),
            Summary::FailedItems(n) => {
                let (_, text) = http::FAILED_ITEMS;
                text.replace(FAILED_ITEMS_PARAM, &crate::cat!(*n)).into()
            }
            Summary::Owned(s) => Cow::Owned(s.clone()),
        }
    }
}

impl Parts {
    /// The public form: fixed sentences copied into `String`s.
    pub fn into_classification(self) -> Classification {
        let mut items = self.items;
        for (item, summary) in items.iter_mut().zip(self.item_summaries) {
            if let Some((summary, _)) = summary {
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
            processed: self.processed,
            retry_after_ms: self.retry_after_ms,
            summary: self.summary.text().into_owned(),
            remediation: self.remediation.map(Cow::into_owned),
            parameter: self.parameter,
            request_id: self.request_id,
            documented: self.documented,
            items,
            truncated: self.truncated,
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
    let vendor = vendor.unwrap_or_else(|| match body.json.as_ref() {
        Some(json) => detect::detect(Some(json), headers),
        None => detect::detect_text(&body.text).unwrap_or_else(|| detect::detect(None, headers)),
    });
    let mut parsed = match body.json.as_ref() {
        Some(json) => vendors::parse(vendor, json).or_else(|| generic::parse(json)),
        None => vendors::parse_text(vendor, &body.text).or_else(|| generic::parse_text(&body.text)),
    }
    .unwrap_or_default();
    sentence_is_a_message(vendor, status, &mut parsed.code, &mut parsed.message);
    for item in &mut parsed.items {
        sentence_is_a_message(vendor, status, &mut item.code, &mut item.message);
    }

    let retry_after_ms =
        headers::retry_after_ms_with_clock(headers, now_ms).or(parsed.retry_after_ms);
    let mut meaning = meaning(vendor, status, &parsed);
    meaning.apply_server_wait(status, retry_after_ms);
    let mut processed = processed(status, meaning.category);
    // A documented code that says the server refused the request (a row whose action is not
    // a retry: `CSBS.8009` "no system disk" on a 500) was not processed, like a 4xx; a bare
    // 5xx or an undocumented code stays "maybe".
    let documented_refusal = meaning.documented && !meaning.action.is_retryable();
    if processed == Processed::Maybe
        && (documented_refusal || vendors::not_received(vendor, &parsed))
    {
        processed = Processed::No;
    }
    let VendorError {
        code,
        message,
        parameter,
        request_id: body_request_id,
        mut items,
        item_headers,
        ..
    } = parsed;
    let request_id = headers::request_id(headers).or(body_request_id);
    items.truncate(MAX_ITEMS);
    let mut own_headers = item_headers.iter().peekable();
    let item_summaries = items
        .iter_mut()
        .enumerate()
        .map(|(i, item)| {
            let mut headers = None;
            while let Some((at, h)) = own_headers.next_if(|(at, _)| *at <= i) {
                if *at == i {
                    headers = Some(h.as_slice());
                }
            }
            classify_item(vendor, status, item, headers, now_ms)
        })
        .collect();
    let failed_items = meaning.category == Category::Ok && !items.is_empty();
    let (summary, summary_of, text_param) = if failed_items {
        (
            Summary::FailedItems(items.len()),
            TextOf::Rule(http::FAILED_ITEMS.0),
            Some(("failedItems", items.len() as u64)),
        )
    } else {
        (Summary::Fixed(meaning.summary), meaning.summary_of, None)
    };
    Parts {
        vendor,
        status,
        code,
        message,
        category: meaning.category,
        action: meaning.action,
        processed,
        retry_after_ms,
        summary,
        remediation: meaning.remediation.map(Cow::Borrowed),
        parameter,
        request_id,
        documented: meaning.documented,
        items,
        item_summaries,
        summary_of: Some(summary_of),
        remediation_of: meaning.remediation_of,
        text_param,
        truncated: false,
    }
}

/// A code field that holds a sentence (white space inside: no vendor's code has any) is the
/// message, not a code: it goes to `message` when that is empty, and `code` stays `None`.
/// Tokens stay codes (`invalid_grant`, `ENOTARY`, `CSBS.6005`), and so does any code the
/// vendor's catalog lists (a registered vendor may document codes with spaces).
fn sentence_is_a_message(
    vendor: Vendor,
    status: u16,
    code: &mut Option<String>,
    message: &mut Option<String>,
) {
    let Some(text) = code.as_deref() else {
        return;
    };
    let sentence = text.bytes().any(crate::text::is_space) || text.contains('\u{a0}');
    if !sentence || lookup(vendor, text, Some(status), None).is_some() {
        return;
    }
    let sentence = code.take();
    if message.as_deref().is_none_or(|m| m.trim().is_empty()) {
        *message = sentence;
    }
}

/// What a response with `status`, classified `category`, says about whether the request was
/// processed (`docs/design.md`, "Retry rules"): 2xx yes; a 4xx, a 503, throttling, a busy
/// resource or "too early" no (the server refused it before acting on it); anything else —
/// a 5xx, no response, an unusual status — maybe. Vendor knowledge can turn a "maybe" into
/// a "no" (a Veeam `transport` error: the server did not receive the request).
pub fn processed(status: u16, category: Category) -> Processed {
    match status {
        200..=299 => Processed::Yes,
        _ if matches!(
            category,
            Category::Busy | Category::RateLimited | Category::TooEarly
        ) =>
        {
            Processed::No
        }
        400..=499 | 503 => Processed::No,
        _ => Processed::Maybe,
    }
}

/// Classifies one response against the system clock.
#[cfg(not(feature = "standalone"))]
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
    /// Where the summary comes from.
    summary_of: TextOf,
    /// Where the remediation comes from, when there is one.
    remediation_of: Option<TextOf>,
}

impl Meaning {
    /// A 413 that carries a server wait is temporary (RFC 9110 §15.5.14): retried after the
    /// wait instead of split.
    fn apply_server_wait(&mut self, status: u16, retry_after_ms: Option<u64>) {
        if status == 413 && retry_after_ms.is_some() {
            let r = http::TOO_LARGE_FOR_NOW;
            self.category = r.category;
            self.action = r.action;
            self.summary = r.summary;
            self.remediation = Some(r.remediation);
            self.summary_of = TextOf::Rule(r.id);
            self.remediation_of = Some(TextOf::Rule(r.id));
        }
    }
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
            summary_of: TextOf::Rule(http.id),
            remediation_of: None,
        };
    }
    // A code that says nothing (`UnknownError`) tells no more than the status does: the
    // status's rule applies, as if the body had no code.
    let informative = parsed.code.as_deref().filter(|c| !vendors::says_nothing(c));
    let entry =
        informative.and_then(|code| lookup(vendor, code, Some(status), parsed.message.as_deref()));
    let mut m = if let Some(e) = entry {
        Meaning {
            category: e.category,
            action: e.action,
            summary: e.summary,
            remediation: Some(e.remediation).filter(|r| !r.is_empty()),
            documented: true,
            summary_of: row_of(vendor, e),
            remediation_of: Some(row_of(vendor, e)).filter(|_| !e.remediation.is_empty()),
        }
    } else if let Some(Rule {
        summary_of,
        category,
        action,
        summary,
    }) = vendors::fallback(vendor, parsed, status)
        .filter(|_| informative.is_some() || parsed.code.is_none())
    {
        let (advice, remediation) = http::action_advice(action);
        Meaning {
            category,
            action,
            summary,
            remediation: Some(remediation),
            documented: false,
            summary_of,
            remediation_of: Some(TextOf::Rule(advice)),
        }
    } else {
        Meaning {
            category: http.category,
            action: http.action,
            summary: http.summary,
            remediation: Some(http.remediation),
            documented: false,
            summary_of: TextOf::Rule(http.id),
            remediation_of: Some(TextOf::Rule(http.id)),
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

/// The texts of catalog row `e` of `vendor`.
fn row_of(vendor: Vendor, e: &'static crate::model::Entry) -> TextOf {
    TextOf::Row(crate::texts::row_index(vendor, e).unwrap_or(u32::MAX))
}

/// Fills in an item's category, action and `retryable`; returns its documented summary, if
/// any. An item with a status of its own (a Graph batch sub-response) is classified like a
/// response: its own status, code and server wait (from `headers`). Other items are looked up
/// in the catalog under the response's status; undocumented, they are `unknown`.
fn classify_item(
    vendor: Vendor,
    status: u16,
    item: &mut ItemError,
    headers: Option<&[(String, String)]>,
    now_ms: &dyn Fn() -> u64,
) -> Option<(&'static str, Option<u32>)> {
    let summary = if let Some(own) = item.status {
        let error = VendorError {
            code: item.code.clone(),
            message: item.message.clone(),
            ..VendorError::default()
        };
        let wait = headers.and_then(|h| headers::retry_after_ms_with_clock(h, now_ms));
        let mut m = meaning(vendor, own, &error);
        m.apply_server_wait(own, wait);
        item.category = m.category;
        item.action = m.action;
        item.retry_after_ms = wait;
        let row = match m.summary_of {
            TextOf::Row(row) => Some(row),
            TextOf::Rule(_) => None,
        };
        m.documented.then_some((m.summary, row))
    } else if let Some(e) = item
        .code
        .as_deref()
        .and_then(|code| lookup(vendor, code, Some(status), item.message.as_deref()))
    {
        item.category = e.category;
        item.action = e.action;
        Some((e.summary, crate::texts::row_index(vendor, e)))
    } else {
        item.category = Category::Unknown;
        item.action = Action::DoNotRetry;
        None
    };
    item.retryable = item.action.is_retryable();
    summary
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

    fn classified(status: u16, headers: &[(&str, &str)], body: &str) -> Classification {
        classify_at(
            &ErrorInput {
                status,
                headers: headers
                    .iter()
                    .map(|(n, v)| (n.to_string(), v.to_string()))
                    .collect(),
                body: body.as_bytes().to_vec(),
                ..ErrorInput::default()
            },
            0,
        )
    }

    #[test]
    fn each_failed_sub_response_of_a_graph_batch_is_an_item_classified_on_its_own() {
        let body = r#"{"responses":[
            {"id":"1","status":200,"body":{}},
            {"id":"2","status":429,"headers":{"Retry-After":"7"},"body":{"error":{"code":"TooManyRequests","message":"slow down"}}},
            {"id":"3","status":404,"body":{"error":{"code":"PolicyNotFound","message":"gone"}}},
            {"id":"4","status":503}]}"#;
        let c = classified(200, &[], body);
        assert_eq!(c.vendor, Vendor::Microsoft365);
        assert_eq!((c.category, c.processed), (Category::Ok, Processed::Yes));
        assert_eq!(c.items.len(), 3);
        let [throttled, missing, unavailable] = [&c.items[0], &c.items[1], &c.items[2]];
        assert_eq!(throttled.target.as_deref(), Some("2"));
        assert_eq!(throttled.status, Some(429));
        assert_eq!(
            (throttled.category, throttled.action),
            (Category::RateLimited, Action::Retry)
        );
        assert!(throttled.retryable);
        assert_eq!(throttled.retry_after_ms, Some(7_000));
        assert_eq!(missing.status, Some(404));
        assert_eq!(missing.category, Category::NotFound);
        assert!(!missing.retryable);
        assert!(missing.summary.is_some(), "PolicyNotFound is documented");
        assert_eq!(unavailable.code, None);
        assert_eq!(
            (unavailable.status, unavailable.retryable),
            (Some(503), true)
        );
        assert_eq!(unavailable.retry_after_ms, None);
    }

    #[test]
    fn graph_entries_fail_in_delta_collections_and_other_lists() {
        let body = r#"{"@odata.context":"x","siteProtectionUnits@delta":[
            {"id":"a"},
            {"id":"b","@Core.DataModificationException":{"info":{"code":"ProtectionUnitNotFound","message":"m"},"responseCode":404}}],
            "restoreArtifacts":[{"id":"c","error":{"code":"ArtifactNotFound","message":"n"}}]}"#;
        let c = classified(200, &[], body);
        assert_eq!(c.vendor, Vendor::Microsoft365);
        let targets: Vec<_> = c.items.iter().map(|i| i.target.as_deref()).collect();
        assert_eq!(targets, [Some("b"), Some("c")]);
        assert!(c.items.iter().all(|i| !i.retryable && i.status.is_none()));
    }

    #[test]
    fn statuses_that_say_what_they_are() {
        let c = classified(425, &[], "");
        assert_eq!((c.category, c.action), (Category::TooEarly, Action::Retry));
        for status in [501, 505] {
            let c = classified(status, &[], "");
            assert_eq!(
                (c.category, c.action),
                (Category::Unsupported, Action::DoNotRetry)
            );
        }
        let c = classified(413, &[], "");
        assert_eq!(c.action, Action::SplitRequest);
        let c = classified(413, &[("Retry-After", "5")], "");
        assert_eq!((c.category, c.action), (Category::TooLarge, Action::Retry));
        assert_eq!(c.retry_after_ms, Some(5_000));
    }

    #[test]
    fn processed_says_whether_the_request_may_have_run() {
        let cases: [(u16, &str, Processed); 8] = [
            (200, "", Processed::Yes),
            (400, "", Processed::No),
            (429, "", Processed::No),
            (503, "", Processed::No),
            (500, "", Processed::Maybe),
            (504, "", Processed::Maybe),
            (
                520,
                r#"{"errors":[{"type":"transport","code":9999,"message":"m"}]}"#,
                Processed::No,
            ),
            (
                520,
                r#"{"errors":[{"type":"unspecified","code":9999,"message":"m"}]}"#,
                Processed::Maybe,
            ),
        ];
        for (status, body, expected) in cases {
            assert_eq!(
                classified(status, &[], body).processed,
                expected,
                "{status} {body}"
            );
        }
        // A busy answer under a 5xx was not processed.
        let busy = r#"{"errors":[{"type":"retryablelogical","code":1000,"message":"m"}]}"#;
        assert_eq!(classified(520, &[], busy).processed, Processed::No);
    }
}
