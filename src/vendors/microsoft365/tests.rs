//! Unit tests of the Microsoft 365 body parser, catalog and fallback rules.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::vendors::lookup;

#[test]
fn graph_error_with_inner_error_and_details() {
    let e = parse(&json!({
        "error": {
            "code": "PolicyNotFound",
            "message": "Unable to get the Protection Policy.",
            "target": "policyId",
            "innerError": {
                "date": "2024-05-01T10:00:00",
                "request-id": "req-1",
                "client-request-id": "client-1"
            },
            "details": [
                {"code": "InvalidProtectionUnitId", "message": "bad id", "target": "unit-1"},
                "not an object",
                {"code": "DuplicateProtectionUnitInList", "message": "dup"}
            ]
        }
    }))
    .unwrap();
    assert_eq!(e.code.as_deref(), Some("PolicyNotFound"));
    assert_eq!(
        e.message.as_deref(),
        Some("Unable to get the Protection Policy.")
    );
    assert_eq!(e.parameter.as_deref(), Some("policyId"));
    assert_eq!(e.request_id.as_deref(), Some("req-1"));
    assert_eq!(e.error_type, None);
    assert_eq!(e.items.len(), 2);
    assert_eq!(e.items[0].code.as_deref(), Some("InvalidProtectionUnitId"));
    assert_eq!(e.items[0].target.as_deref(), Some("unit-1"));
    assert_eq!(e.items[0].category, C::Unknown);
    assert_eq!(e.items[1].target, None);
}

#[test]
fn lower_case_innererror_and_nested_codes() {
    let e = parse(&json!({
        "error": {
            "code": "badRequest",
            "message": "m",
            "innererror": {
                "code": "invalidRequest",
                "innerError": {
                    "request-id": "deep-id",
                    "innererror": {"code": "RestoreArtifactsLimitBreached"}
                }
            }
        }
    }))
    .unwrap();
    assert_eq!(e.code.as_deref(), Some("badRequest"));
    assert_eq!(e.request_id.as_deref(), Some("deep-id"));
    assert_eq!(
        e.error_type.as_deref(),
        Some("RestoreArtifactsLimitBreached")
    );
    // The top-level code is undocumented, so the innermost documented code decides.
    let rule = fallback(&e, 400).unwrap();
    assert_eq!((rule.category, rule.action), (C::TooLarge, A::SplitRequest));
}

#[test]
fn documented_top_level_code_wins_over_inner_code() {
    let e = parse(&json!({
        "error": {
            "code": "PolicyNotFound",
            "message": "m",
            "innerError": {"code": "UnknownError"}
        }
    }))
    .unwrap();
    assert_eq!(e.error_type.as_deref(), Some("UnknownError"));
    assert_eq!(fallback(&e, 404), None);
}

#[test]
fn inner_error_recursion_is_bounded() {
    let mut inner = json!({"code": "TooDeep", "request-id": "too-deep"});
    for i in 0..100 {
        inner = json!({"code": format!("level{i}"), "innerError": inner});
    }
    let e =
        parse(&json!({"error": {"code": "generalException", "message": "m", "innerError": inner}}))
            .unwrap();
    assert_eq!(e.request_id, None);
    assert_eq!(e.error_type.as_deref(), Some("level68"));
}

#[test]
fn bare_graph_error_is_still_parsed() {
    let e = parse(&json!({"error": {"code": "Throttled", "message": "slow down"}})).unwrap();
    assert_eq!(e.code.as_deref(), Some("Throttled"));
    assert!(e.items.is_empty());
}

#[test]
fn other_vendors_are_not_microsoft365() {
    assert_eq!(
        parse(&json!({"error": {"code": 1006, "message": "m"}})),
        None
    );
    assert_eq!(
        parse(&json!({"error": {"code": "E1", "message": "m", "domain": "d"}})),
        None
    );
    assert_eq!(
        parse(&json!({"error": {"code": "CSBS.3000", "message": "m"}})),
        None
    );
    assert_eq!(
        parse(&json!({"error_code": "CSBS.6005", "error_msg": "m"})),
        None
    );
    assert_eq!(
        parse(&json!({"errorCode": "127", "errorMessage": "m"})),
        None
    );
    assert_eq!(parse(&json!({"errors": [{"message": "m"}]})), None);
    assert_eq!(
        parse(&json!({"error": "invalid_grant", "error_description": "d"})),
        None
    );
    assert_eq!(parse(&json!({"error": {}})), None);
    assert_eq!(parse(&json!(["value"])), None);
}

#[test]
fn per_item_errors_inside_200_lists() {
    let e = parse(&json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#protectionUnits",
        "value": [
            {"id": "pu-1", "status": "protected", "error": null},
            {"id": "pu-2", "status": "unprotected",
             "error": {"code": "QuotaExceeded", "message": "over quota", "target": "t",
                       "details": [], "innerError": {"request-id": "x"}}},
            {"status": "unknown", "error": {"code": "UnknownError", "message": "m", "target": "tgt"}},
            {"id": "ra-4", "error": {"code": "DuplicateArtifactRestoreRequest", "message": "m"}}
        ]
    }))
    .unwrap();
    assert_eq!(e.code, None);
    let got: Vec<_> = e
        .items
        .iter()
        .map(|i| (i.code.as_deref(), i.target.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            (Some("QuotaExceeded"), Some("pu-2")),
            (Some("UnknownError"), Some("tgt")),
            (Some("DuplicateArtifactRestoreRequest"), Some("ra-4")),
        ]
    );
}

#[test]
fn single_entity_with_error_property() {
    let e = parse(&json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#protectionUnits/$entity",
        "id": "pu-9",
        "status": "protectRequested",
        "error": {"code": "ProtectionUnitNotFound", "message": "m"}
    }))
    .unwrap();
    assert_eq!(e.code, None);
    assert_eq!(e.items.len(), 1);
    assert_eq!(e.items[0].code.as_deref(), Some("ProtectionUnitNotFound"));
    assert_eq!(e.items[0].target.as_deref(), Some("pu-9"));
}

#[test]
fn delta_patch_modification_exceptions() {
    let e = parse(&json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#mailboxProtectionUnits/$delta",
        "value": [
            {"id": "u-1", "@Core.DataModificationException": {
                "info": {"code": "ProtectionUnitNotFound", "message": "gone"},
                "failedOperation": "remove", "responseCode": 200}},
            {"id": "u-2", "directoryObjectId": "d"}
        ]
    }))
    .unwrap();
    assert_eq!(e.items.len(), 1);
    assert_eq!(e.items[0].code.as_deref(), Some("ProtectionUnitNotFound"));
    assert_eq!(e.items[0].message.as_deref(), Some("gone"));
    assert_eq!(e.items[0].target.as_deref(), Some("u-1"));

    let single = parse(&json!({
        "id": "u-3",
        "@Core.DataModificationException": {"info": {"code": "InvalidArtifactId", "message": "m"}}
    }))
    .unwrap();
    assert_eq!(single.items[0].target.as_deref(), Some("u-3"));
}

#[test]
fn list_without_errors_is_an_empty_result() {
    let e = parse(&json!({"@odata.context": "c", "value": [{"id": "1"}]})).unwrap();
    assert!(e.items.is_empty() && e.code.is_none());
    assert!(parse(&json!({"value": []})).is_some());
    assert!(parse(&json!({"@odata.context": "c", "id": "1"})).is_some());
    assert_eq!(parse(&json!({"id": "1", "name": "n"})), None);
    assert_eq!(parse(&json!({"message": "m"})), None);
}

#[test]
fn items_are_bounded() {
    let entry = json!({"id": "i", "error": {"code": "UnknownError", "message": "m"}});
    let body = json!({"value": vec![entry; 12_000]});
    assert_eq!(parse(&body).unwrap().items.len(), MAX_ITEMS);
    let detail = json!({"code": "c", "message": "m"});
    let body = json!({"error": {"code": "x", "message": "m", "details": vec![detail; 12_000]}});
    assert_eq!(parse(&body).unwrap().items.len(), MAX_ITEMS);
}

#[test]
fn long_strings_are_bounded() {
    let long = "ü".repeat(3_000);
    let e = parse(
        &json!({"error": {"code": "x", "message": long, "innerError": {"request-id": long}}}),
    )
    .unwrap();
    assert!(e.message.unwrap().len() <= 1024);
    assert!(e.request_id.unwrap().len() <= 1024);
}

#[test]
fn fallback_general_graph_codes_and_509() {
    let err = |code: &str| VendorError {
        code: Some(code.to_string()),
        ..VendorError::default()
    };
    let denied = fallback(&err("accessDenied"), 403).unwrap();
    assert_eq!(
        (denied.category, denied.action),
        (C::Forbidden, A::DoNotRetry)
    );
    let token = fallback(&err("InvalidAuthenticationToken"), 401).unwrap();
    assert_eq!(token.action, A::Reauthenticate);
    let modified = fallback(&err("resourceModified"), 412).unwrap();
    assert_eq!(modified.action, A::RefreshAndRetry);
    assert_eq!(
        fallback(&err("somethingElse"), 509).map(|r| r.category),
        Some(C::RateLimited)
    );
    assert_eq!(fallback(&err("somethingElse"), 400), None);
    assert_eq!(fallback(&err("PolicyNotFound"), 404), None);
}

#[test]
fn judged_rows() {
    let check = |code: &str, status: u16, category: C, action: A| {
        let e = lookup(Vendor::Microsoft365, code, Some(status), None).unwrap();
        assert_eq!(
            (e.status, e.category, e.action),
            (Some(status), category, action),
            "{code}"
        );
    };
    check(
        "RestoreArtifactsLimitBreached",
        413,
        C::TooLarge,
        A::SplitRequest,
    );
    check(
        "RestoreArtifactsLimitBreached",
        400,
        C::TooLarge,
        A::SplitRequest,
    );
    check(
        "ProtectionUnitsLimitBreached",
        413,
        C::TooLarge,
        A::SplitRequest,
    );
    check(
        "InvalidRuleExpressionGroupLimitExceeded",
        413,
        C::TooLarge,
        A::SplitRequest,
    );
    check("PolicySaveFailed", 500, C::ServerError, A::Retry);
    check(
        "TooManyActiveRestoreSessions",
        500,
        C::Busy,
        A::WaitAndRetry,
    );
    check("PolicyCreationNotAllowed", 409, C::Conflict, A::DoNotRetry);
    check(
        "PolicyActionNotAllowed",
        403,
        C::InvalidState,
        A::DoNotRetry,
    );
    check(
        "DuplicateArtifactRestoreRequest",
        200,
        C::Busy,
        A::WaitAndRetry,
    );
    check("UnknownError", 200, C::ServerError, A::Retry);
    check(
        "InvalidProtectionRuleStatusForDynamicRuleEdit",
        422,
        C::InvalidState,
        A::DoNotRetry,
    );
}

#[test]
fn catalog_rows_are_concise_and_unique() {
    assert_eq!(CATALOG.len(), 58);
    for (i, e) in CATALOG.iter().enumerate() {
        assert!(
            !e.summary.is_empty() && e.summary.chars().count() <= 90,
            "{}",
            e.code
        );
        assert!(
            !e.remediation.is_empty() && e.remediation.chars().count() <= 110,
            "{}",
            e.code
        );
        assert!(e.message_hint.is_empty());
        for other in &CATALOG[i + 1..] {
            assert!(
                (e.status, e.code) != (other.status, other.code),
                "duplicate {}",
                e.code
            );
        }
    }
    for (code, ..) in GRAPH_CODES {
        assert!(
            lookup(Vendor::Microsoft365, code, None, None).is_none(),
            "{code}"
        );
    }
}
