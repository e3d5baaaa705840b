//! Atlassian Cloud backup management APIs: body parser and catalog.
//!
//! Body: `{"errorCode":"127","errorMessage":"…"}`; `errorCode` is a string in the docs and a
//! number in some responses, `errorMessage` may be missing.
//!
//! Atlassian Cloud's older backup manager (Jira `/rest/backup/1/export/runbackup`, Confluence
//! `/wiki/rest/obm/1.0/runbackup`), which most backup scripts still call, refuses a backup
//! asked for too soon with any non-2xx status (406, 412 and 500 are seen) and one sentence,
//! as `{"error": "<sentence>"}` or as plain text: "Backup frequency is limited. You can not
//! make another backup right now. Approximate time till next allowed backup: 26h 58m". It has
//! no code; the wait is in the sentence ([`backup_frequency`]), and the refusal is a rate
//! limit whatever the status says.
//!
//! The catalog holds every (status, code) row of the "Error codes" section of the vendor's
//! page (`docs/vendors.md`, "Atlassian"). Codes 113, 110 and 112 are documented
//! under both "Get export details" and "Get import details" with the same meaning, so each
//! is one row. Rows are judged by what the text says, not by the status: `140` "Export
//! Already in Progress" comes with 400 but is a busy condition. A backup can be taken once
//! per 7 days, so the 409 rows are never retried: after an ambiguous failure a 409 usually
//! means the first attempt got through.

use super::Rule;
use crate::json::Value;
use crate::model::{Action, Category, Entry, VendorError};
use crate::text::string_or_number;
use crate::texts::TextOf;

use Action::{DoNotRetry, FixRequest, WaitAndRetry};
use Category::{Busy, Conflict, InvalidRequest, NotFound, Unsupported};

/// Every documented (status, code) row of the Atlassian backup management APIs.
#[rustfmt::skip]
pub static CATALOG: &[Entry] = &[
    // Create backup policy
    Entry::new(409, "127", Conflict, DoNotRetry,
        "A backup policy already exists for this org, cloud site and product.",
        "Read and update the existing policy instead of creating a new one."),
    Entry::new(422, "103", NotFound, FixRequest,
        "The product is not present on the given cloud site.",
        "Check the cloud id and product; pick a product that the site actually has."),
    // Get status of backup
    Entry::new(400, "108", InvalidRequest, FixRequest,
        "The backup id is invalid or does not belong to a backup operation.",
        "Use the id returned when the backup was created."),
    // Create restore
    Entry::new(409, "137", Conflict, DoNotRetry,
        "A restore request for this product already exists.",
        "Poll the existing restore instead of creating another one."),
    // Get restore status
    Entry::new(400, "120", InvalidRequest, FixRequest,
        "The restore id is invalid or does not belong to a restore operation.",
        "Use the id returned when the restore was created."),
    // Create storage
    Entry::new(409, "128", Conflict, DoNotRetry,
        "A storage with this name already exists.",
        "Use the existing storage or choose another name."),
    Entry::new(400, "130", InvalidRequest, FixRequest,
        "The principal tag or role identifier is incorrect.",
        "Check principalTag and roleIdentifier against the role set up in your cloud account."),
    Entry::new(400, "133", Unsupported, FixRequest,
        "The storage region is not eligible for this org and cloud site.",
        "Choose a region that is allowed for the org and cloud site."),
    Entry::new(400, "142", InvalidRequest, FixRequest,
        "Storage validation failed for the bucket, base path and region given.",
        "Check the bucket exists, the base path and region are right and the role can reach it."),
    // Get storage details
    Entry::new(404, "129", NotFound, DoNotRetry,
        "No storage details exist for this storage id.",
        "Check the storage id; the storage may have been deleted."),
    // Create export
    Entry::new(404, "131", NotFound, DoNotRetry,
        "No completed export exists for this backup.",
        "Check the backup id and that its backup completed before exporting."),
    Entry::new(400, "140", Busy, WaitAndRetry,
        "An export is already in progress.",
        "Wait for the running export to finish (poll its details), then try again."),
    // Get export details and Get import details (same meaning under both)
    Entry::new(404, "113", NotFound, DoNotRetry,
        "No backup was found for this export or import id.",
        "Check the export or import id; use one returned by a create call."),
    Entry::new(404, "110", NotFound, DoNotRetry,
        "The export or import job with this id does not exist.",
        "Check the export or import id; use one returned by a create call."),
    Entry::new(404, "112", InvalidRequest, FixRequest,
        "The cloud id does not match the export or import job with this id.",
        "Use the cloud id the export or import was created for."),
    // Get post operation report
    Entry::new(404, "143", NotFound, DoNotRetry,
        "No post-operation report is available for this migration.",
        "Check the migration id; a report exists only once the operation has finished."),
];

/// The `error_type` a backup-manager refusal is parsed with.
const BACKUP_FREQUENCY: &str = "backup-frequency";

/// Parses `{"errorCode","errorMessage"}`, or the backup manager's `{"error": "<sentence>"}`
/// refusal; `None` when neither field carries a string or number.
pub fn parse(json: &Value) -> Option<VendorError> {
    let top = json.as_object()?;
    if let Some(Value::String(sentence)) = top.get("error") {
        if let Some(refusal) = backup_frequency(sentence) {
            return Some(refusal);
        }
    }
    let code = string_or_number(top.get("errorCode"));
    let message = string_or_number(top.get("errorMessage"));
    if code.is_none() && message.is_none() {
        return None;
    }
    Some(VendorError {
        code,
        message,
        ..VendorError::default()
    })
}

/// The backup manager's refusal of a backup asked for too soon (see the module docs), from
/// its sentence: the sentence as the message, no code, and the wait it states as the
/// server's wait. `None` for any other text.
pub fn backup_frequency(text: &str) -> Option<VendorError> {
    let text = crate::text::trim(text);
    if text.len() > 1024 {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    if !lower.contains("backup frequency is limited") && !lower.contains("next allowed backup") {
        return None;
    }
    let wait = lower
        .find("next allowed backup")
        .and_then(|at| lower[at..].find(':').map(|colon| at + colon + 1))
        .and_then(|at| duration_ms(&lower[at..]));
    Some(VendorError {
        message: Some(crate::text::bounded(text)),
        error_type: Some(BACKUP_FREQUENCY.into()),
        retry_after_ms: wait,
        ..VendorError::default()
    })
}

/// A duration written as `26h 58m` (days, hours, minutes, seconds: `d`, `h`, `m`, `s`, in
/// any combination, each a whole number), in ms; `None` when the text does not start with one.
fn duration_ms(text: &str) -> Option<u64> {
    let mut total: u64 = 0;
    let mut parts = 0;
    for token in text.split(|c: char| c.is_ascii() && crate::text::is_space(c as u8)) {
        let token = token.as_bytes();
        let token = match token.last() {
            Some(b'.' | b',' | b';') => &token[..token.len() - 1],
            _ => token,
        };
        if token.is_empty() {
            continue;
        }
        let digits = token.iter().take_while(|b| b.is_ascii_digit()).count();
        let unit_ms: u64 = match &token[digits..] {
            b"d" => 86_400_000,
            b"h" => 3_600_000,
            b"m" | b"min" => 60_000,
            b"s" => 1_000,
            _ => break,
        };
        if digits == 0 || digits > 12 {
            return None;
        }
        let n = token[..digits]
            .iter()
            .fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
        total = total.saturating_add(n.saturating_mul(unit_ms));
        parts += 1;
    }
    (parts > 0).then_some(total)
}

const TOO_SOON: Rule = Rule {
    summary_of: TextOf::Rule("atlassian.backup-frequency"),
    category: Category::RateLimited,
    action: Action::Retry,
    summary: "Atlassian's backup manager allows one backup per period and refused this one as \
        too soon; the next is allowed after the wait it states.",
};

/// The rules of [`fallback`], for the list of texts.
pub const RULES: &[Rule] = &[TOO_SOON];

/// The backup manager's too-soon refusal is a rate limit, whatever its status; undocumented
/// codes follow the HTTP status.
pub fn fallback(error: &VendorError, _status: u16) -> Option<Rule> {
    (error.error_type.as_deref() == Some(BACKUP_FREQUENCY)).then_some(TOO_SOON)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use std::collections::HashSet;

    #[test]
    fn documented_body_with_string_code() {
        let body = json!({
            "errorCode": "127",
            "errorMessage": "Backup Policy already exists with orgId: o cloudId: c product: JIRA"
        });
        let e = parse(&body).unwrap();
        assert_eq!(e.code.as_deref(), Some("127"));
        assert!(e
            .message
            .unwrap()
            .starts_with("Backup Policy already exists"));
        assert!(e.items.is_empty());
        assert_eq!(e.retry_after_ms, None);
    }

    #[test]
    fn numeric_code_and_missing_message() {
        let e = parse(&json!({"errorCode": 140})).unwrap();
        assert_eq!(e.code.as_deref(), Some("140"));
        assert_eq!(e.message, None);
    }

    #[test]
    fn message_only_is_still_atlassian() {
        let e = parse(&json!({"errorMessage": "Export Already in Progress"})).unwrap();
        assert_eq!(e.code, None);
        assert_eq!(e.message.as_deref(), Some("Export Already in Progress"));
    }

    #[test]
    fn odd_types_are_ignored() {
        assert_eq!(
            parse(&json!({"errorCode": {"x": 1}, "errorMessage": [1]})),
            None
        );
        let e = parse(&json!({"errorCode": true, "errorMessage": "m"})).unwrap();
        assert_eq!(e.code, None);
    }

    #[test]
    fn long_message_is_bounded() {
        let long = "ü".repeat(5000);
        let e = parse(&json!({"errorCode": "110", "errorMessage": long})).unwrap();
        assert!(e.message.unwrap().len() <= 1024);
    }

    #[test]
    fn other_vendors_shapes_are_not_atlassian() {
        let veeam = json!({"errors": [{"message": "m", "type": "logical", "code": 400}]});
        let huawei = json!({"error_code": "CSBS.6005", "error_msg": "m"});
        let acronis =
            json!({"error": {"code": 1006, "message": "m", "domain": "PlatformAccountServer"}});
        let graph = json!({"error": {"code": "PolicyNotFound", "message": "m", "innerError": {}}});
        for body in [
            veeam,
            huawei,
            acronis,
            graph,
            json!("127"),
            json!(null),
            json!([]),
        ] {
            assert_eq!(parse(&body), None, "{body}");
        }
    }

    #[test]
    fn catalog_rows_are_unique_and_concise() {
        let mut seen = HashSet::new();
        for e in CATALOG {
            assert!(
                seen.insert((e.status, e.code)),
                "duplicate {:?} {}",
                e.status,
                e.code
            );
            assert!(!e.summary.is_empty() && e.summary.len() <= 90, "{}", e.code);
            assert!(
                !e.remediation.is_empty() && e.remediation.len() <= 110,
                "{}",
                e.code
            );
            if e.status == Some(409) {
                assert_eq!(e.action, Action::DoNotRetry, "{}", e.code);
            }
        }
        assert_eq!(CATALOG.len(), 16);
    }

    #[test]
    fn no_vendor_wide_rule() {
        let e = parse(&json!({"errorCode": "999"})).unwrap();
        assert_eq!(fallback(&e, 400), None);
    }
}
