//! Telling the vendor from a response when the caller did not say.
//!
//! Rules, first match wins (the README lists them for users):
//! 1. `errorCode` / `errorMessage` at the top → Atlassian.
//! 2. `errors` array of objects → Veeam.
//! 3. `error_code` / `error_msg` at the top, or `error_info` objects (operation logs), or a
//!    nested `error.code` shaped like `SERVICE.1234` (`CSBS.`, `APIG.`, …) → Huawei.
//! 4. `@odata.context`, `@Core.DataModificationException`, a `value` array whose entries
//!    carry `error` objects, or an `error` object with `innerError`/`innererror`/`details`
//!    array → Microsoft 365.
//! 5. A top-level `domain` string, or an `error` object with `domain`, `context` or an
//!    object `details` → Acronis.
//! 6. Headers: `request-id` together with `client-request-id`, or `x-ms-ags-diagnostic`
//!    → Microsoft 365.
//! 7. Otherwise → generic (the code is still extracted from common shapes).

use crate::headers;
use crate::json::{Map, Value};
use crate::model::Vendor;

/// The vendor a response most likely came from.
pub fn detect(json: Option<&Value>, headers: &[(String, String)]) -> Vendor {
    json.and_then(Value::as_object)
        .and_then(from_body)
        .or_else(|| from_headers(headers))
        .unwrap_or(Vendor::Generic)
}

fn from_body(top: &Map) -> Option<Vendor> {
    let has = |key: &str| top.contains_key(key);
    if has("errorCode") || has("errorMessage") {
        return Some(Vendor::Atlassian);
    }
    if top
        .get("errors")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .is_some_and(Value::is_object)
    {
        return Some(Vendor::Veeam);
    }
    if has("error_code") || has("error_msg") || has_error_info(top) {
        return Some(Vendor::Huawei);
    }
    if has("@odata.context") || has("@Core.DataModificationException") || value_has_errors(top) {
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

fn value_has_errors(top: &Map) -> bool {
    top.get("value")
        .and_then(Value::as_array)
        .is_some_and(|items| {
            items.iter().take(1000).any(|i| {
                i.get("error").is_some_and(Value::is_object)
                    || i.get("@Core.DataModificationException").is_some()
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
