//! Telling the vendor from a response when the caller did not say.
//!
//! Rules, first match wins (the README lists them for users):
//! R. A registered vendor (`crate::vendors::registered`) whose `detect.fields` are all at
//!    the top of a JSON object body, in registration order.
//! 0. An RFC 9457 problem (`Content-Type: application/problem+json`, or string `type` and
//!    `title` members at the top) → generic, whatever extension members it has.
//! 1. `errorCode` / `errorMessage` at the top → Atlassian.
//! 2. An `errors` array whose first entry has Veeam's shape (`type`, `code`, `message`,
//!    `parameterName`/`propertyName`, `retryAfter`, and nothing another API puts there) →
//!    Veeam; entries that carry Acronis' `domain` → Acronis.
//! 3. `error_code` / `error_msg` at the top, or `error_info` objects (operation logs), or a
//!    nested `error.code` shaped like `SERVICE.1234` (`CSBS.`, `APIG.`, …) → Huawei.
//! 4. `@odata.context`, `@Core.DataModificationException`, a Graph JSON batch
//!    (`responses` of `{id, status}` entries), a delta collection (`…@delta` array), a
//!    `value` array whose entries carry `error` objects, or an `error` object with
//!    `innerError`/`innererror`/`details` array → Microsoft 365.
//! 5. A top-level `domain` string, or an `error` object with `domain`, `context` or an
//!    object `details` → Acronis.
//! 6. Headers: `request-id` together with `client-request-id`, or `x-ms-ags-diagnostic`
//!    → Microsoft 365.
//! 7. Otherwise → generic (the code is still extracted from common shapes).
//!
//! A body that is not JSON is told by its text ([`detect_text`]): the Atlassian backup
//! manager's too-soon refusal → Atlassian; anything else by the headers, then generic.

use crate::headers;
use crate::json::{Map, Value};
use crate::model::Vendor;
use crate::prelude::*;

/// The vendor a response most likely came from.
pub fn detect(json: Option<&Value>, headers: &[(String, String)]) -> Vendor {
    let top = json.and_then(Value::as_object);
    if let Some(vendor) = top.and_then(crate::vendors::registered::detect) {
        return vendor;
    }
    if is_problem(top, headers) {
        return Vendor::Generic;
    }
    top.and_then(from_body)
        .or_else(|| from_headers(headers))
        .unwrap_or(Vendor::Generic)
}

/// The vendor a body that is not JSON comes from, when its text says: the Atlassian backup
/// manager's too-soon refusal (`crate::vendors::atlassian::backup_frequency`).
pub fn detect_text(text: &str) -> Option<Vendor> {
    crate::vendors::atlassian::backup_frequency(text).map(|_| Vendor::Atlassian)
}

/// An RFC 9457 problem document: its media type, or string `type` and `title` members.
fn is_problem(top: Option<&Map>, headers: &[(String, String)]) -> bool {
    let media_type = headers::get(headers, "content-type").is_some_and(|t| {
        t.split(';')
            .next()
            .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/problem+json"))
    });
    media_type
        || top.is_some_and(|t| {
            t.get("type").is_some_and(Value::is_string)
                && t.get("title").is_some_and(Value::is_string)
        })
}

/// Members of a Veeam error object (`docs/vendors.md`, "Veeam Service Provider Console").
const VEEAM_MEMBERS: &[&str] = &[
    "message",
    "type",
    "code",
    "parameterName",
    "propertyName",
    "retryAfter",
];

/// The vendor an `errors` array's first entry says: Veeam for Veeam's members only (at least
/// one), Acronis for an entry that carries `domain`, else none (GraphQL, JSON:API and other
/// APIs put other members there).
fn from_errors(errors: &[Value]) -> Option<Vendor> {
    let first = errors.first()?.as_object()?;
    if first.contains_key("domain") {
        return Some(Vendor::Acronis);
    }
    let veeam = !first.is_empty() && first.iter().all(|(k, _)| VEEAM_MEMBERS.contains(&k));
    veeam.then_some(Vendor::Veeam)
}

fn from_body(top: &Map) -> Option<Vendor> {
    let has = |key: &str| top.contains_key(key);
    if has("errorCode") || has("errorMessage") {
        return Some(Vendor::Atlassian);
    }
    if let Some(Value::String(sentence)) = top.get("error") {
        if crate::vendors::atlassian::backup_frequency(sentence).is_some() {
            return Some(Vendor::Atlassian);
        }
    }
    if let Some(vendor) = top
        .get("errors")
        .and_then(Value::as_array)
        .and_then(|errors| from_errors(errors))
    {
        return Some(vendor);
    }
    if has("error_code") || has("error_msg") || has_error_info(top) {
        return Some(Vendor::Huawei);
    }
    if has("@odata.context")
        || has("@Core.DataModificationException")
        || is_graph_batch(top)
        || has_graph_entries(top)
    {
        return Some(Vendor::Microsoft365);
    }
    if top.get("domain").is_some_and(Value::is_string) {
        return Some(Vendor::Acronis);
    }
    let error = top.get("error")?.as_object()?;
    let has_in = |key: &str| error.contains_key(key);
    if has_in("innerError")
        || has_in("innererror")
        || error.get("details").is_some_and(Value::is_array)
    {
        return Some(Vendor::Microsoft365);
    }
    if has_in("domain") || has_in("context") || error.get("details").is_some_and(Value::is_object) {
        return Some(Vendor::Acronis);
    }
    if error
        .get("code")
        .and_then(Value::as_str)
        .is_some_and(crate::vendors::huawei::looks_like_huawei_code)
    {
        return Some(Vendor::Huawei);
    }
    None
}

fn has_error_info(top: &Map) -> bool {
    top.contains_key("error_info")
        || top.values().filter_map(Value::as_array).any(|items| {
            items
                .iter()
                .take(1000)
                .any(|i| i.get("error_info").is_some_and(Value::is_object))
        })
}

/// A Graph JSON batch response: `responses` whose first entry has an `id` and a numeric
/// `status`.
fn is_graph_batch(top: &Map) -> bool {
    top.get("responses")
        .and_then(Value::as_array)
        .and_then(|r| r.first())
        .and_then(Value::as_object)
        .is_some_and(|r| r.contains_key("id") && r.get("status").and_then(Value::as_f64).is_some())
}

/// Graph's per-entry results: a delta collection (a `…@delta` array), entries carrying
/// `@Core.DataModificationException` in any array, or a `value` list whose entries carry
/// `error` objects.
fn has_graph_entries(top: &Map) -> bool {
    top.iter().any(|(key, v)| {
        let Some(entries) = v.as_array() else {
            return false;
        };
        key.ends_with("@delta")
            || entries.iter().take(1000).any(|i| {
                i.get("@Core.DataModificationException").is_some()
                    || (key == "value" && i.get("error").is_some_and(Value::is_object))
            })
    })
}

fn from_headers(headers: &[(String, String)]) -> Option<Vendor> {
    let graph = (headers::get(headers, "request-id").is_some()
        && headers::get(headers, "client-request-id").is_some())
        || headers::get(headers, "x-ms-ags-diagnostic").is_some();
    graph.then_some(Vendor::Microsoft365)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(v: Value) -> Vendor {
        detect(Some(&v), &[])
    }

    #[test]
    fn each_vendor_shape() {
        assert_eq!(
            body(json!({"errorCode": "127", "errorMessage": "x"})),
            Vendor::Atlassian
        );
        assert_eq!(
            body(json!({"errors": [{"code": 400, "type": "logical"}]})),
            Vendor::Veeam
        );
        assert_eq!(
            body(json!({"meta": {}, "data": null, "errors": [{"message": "m"}]})),
            Vendor::Veeam
        );
        assert_eq!(
            body(json!({"error_code": "CSBS.6005", "error_msg": "x"})),
            Vendor::Huawei
        );
        assert_eq!(
            body(json!({"error": {"code": "APIGW.0308", "message": "x"}})),
            Vendor::Huawei
        );
        assert_eq!(
            body(
                json!({"operation_logs": [{"error_info": {"code": "BackupService.1", "message": "m"}}]})
            ),
            Vendor::Huawei
        );
        assert_eq!(
            body(
                json!({"error": {"code": "PolicyNotFound", "message": "m", "innerError": {"request-id": "r"}}})
            ),
            Vendor::Microsoft365
        );
        assert_eq!(
            body(json!({"value": [{"id": "1", "error": {"code": "QuotaExceeded"}}]})),
            Vendor::Microsoft365
        );
        assert_eq!(
            body(
                json!({"error": {"code": 1006, "message": "m", "domain": "PlatformAccountServer"}})
            ),
            Vendor::Acronis
        );
        assert_eq!(
            body(json!({"domain": "Notarization", "code": "ENOTARY"})),
            Vendor::Acronis
        );
    }

    #[test]
    fn an_errors_array_is_veeams_only_in_veeams_shape() {
        assert_eq!(
            body(
                json!({"errors": [{"message": "m", "type": "logical", "code": 400, "parameterName": "p"}]})
            ),
            Vendor::Veeam
        );
        // GraphQL and JSON:API errors are not Veeam's.
        assert_eq!(
            body(json!({"errors": [{"message": "m", "locations": [], "path": ["a"]}]})),
            Vendor::Generic
        );
        assert_eq!(
            body(json!({"errors": [{"status": "422", "title": "Invalid", "detail": "d"}]})),
            Vendor::Generic
        );
        assert_eq!(
            body(
                json!({"errors": [{"code": 1006, "message": "m", "domain": "PlatformAccountServer"}]})
            ),
            Vendor::Acronis
        );
    }

    #[test]
    fn a_problem_document_stays_generic_with_an_errors_member() {
        let problem = json!({"type": "https://example.com/probs/invalid", "title": "Invalid", "status": 400,
                             "errors": [{"code": "E1", "message": "m"}]});
        assert_eq!(body(problem), Vendor::Generic);
        let headers = vec![(
            "Content-Type".to_string(),
            "application/problem+json; charset=utf-8".to_string(),
        )];
        let v = json!({"errors": [{"code": 1, "message": "m"}]});
        assert_eq!(detect(Some(&v), &headers), Vendor::Generic);
    }

    #[test]
    fn graph_batches_and_delta_collections_are_microsoft365() {
        assert_eq!(
            body(
                json!({"responses": [{"id": "1", "status": 429, "headers": {"Retry-After": "5"}, "body": {"error": {"code": "TooManyRequests"}}}]})
            ),
            Vendor::Microsoft365
        );
        assert_eq!(
            body(json!({"siteProtectionUnits@delta": [{"id": "s1"}]})),
            Vendor::Microsoft365
        );
        assert_eq!(
            body(
                json!({"units": [{"id": "u1", "@Core.DataModificationException": {"info": {"code": "x"}}}]})
            ),
            Vendor::Microsoft365
        );
    }

    #[test]
    fn shared_shape_without_distinguishing_fields_is_generic() {
        assert_eq!(
            body(json!({"error": {"code": "Throttled", "message": "m"}})),
            Vendor::Generic
        );
        assert_eq!(body(json!({"message": "m"})), Vendor::Generic);
        assert_eq!(detect(None, &[]), Vendor::Generic);
    }

    #[test]
    fn graph_headers_identify_microsoft365() {
        let headers = vec![
            ("Request-Id".to_string(), "a".to_string()),
            ("client-request-id".to_string(), "b".to_string()),
        ];
        assert_eq!(detect(None, &headers), Vendor::Microsoft365);
        let only_x = vec![("x-request-id".to_string(), "a".to_string())];
        assert_eq!(detect(None, &only_x), Vendor::Generic);
    }
}
