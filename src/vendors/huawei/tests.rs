//! Unit tests of the Huawei body parser, catalog and fallback rules.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::model::Vendor;
use crate::vendors::lookup;

#[test]
fn error_code_and_error_msg() {
    let e = parse(
        &json!({"error_code": "CSBS.6005", "error_msg": "Server (x) is already in service."}),
    )
    .unwrap();
    assert_eq!(e.code.as_deref(), Some("CSBS.6005"));
    assert_eq!(
        e.message.as_deref(),
        Some("Server (x) is already in service.")
    );
    assert!(e.items.is_empty());
}

#[test]
fn numeric_error_code_becomes_text() {
    let e = parse(&json!({"error_code": 6005, "error_msg": "m"})).unwrap();
    assert_eq!(e.code.as_deref(), Some("6005"));
}

#[test]
fn gateway_error_carries_request_id() {
    let e = parse(&json!({
        "error_code": "APIGW.0308",
        "error_msg": "The throttling threshold has been reached",
        "request_id": "abc123"
    }))
    .unwrap();
    assert_eq!(e.code.as_deref(), Some("APIGW.0308"));
    assert_eq!(e.request_id.as_deref(), Some("abc123"));
}

#[test]
fn top_level_code_and_message_only_with_a_huawei_code() {
    let e = parse(&json!({"code": "BackupService.6000", "message": "m"})).unwrap();
    assert_eq!(e.code.as_deref(), Some("BackupService.6000"));
    assert_eq!(parse(&json!({"code": "NotFound", "message": "m"})), None);
    assert_eq!(parse(&json!({"code": 404, "message": "m"})), None);
}

#[test]
fn nested_error_only_with_a_huawei_code() {
    let e = parse(
        &json!({"error": {"code": "CSBS.3000", "message": "plan not found", "request_id": "r1"}}),
    )
    .unwrap();
    assert_eq!(e.code.as_deref(), Some("CSBS.3000"));
    assert_eq!(e.message.as_deref(), Some("plan not found"));
    assert_eq!(e.request_id.as_deref(), Some("r1"));
    let e = parse(&json!({"error": {"error_code": "Ecs.0001", "error_msg": "m"}})).unwrap();
    assert_eq!(e.code.as_deref(), Some("Ecs.0001"));
    let e = parse(&json!({"fault": {"code": "APIG.9999", "message": "m"}})).unwrap();
    assert_eq!(e.code.as_deref(), Some("APIG.9999"));
    // Other vendors' nested shapes are not Huawei's.
    assert_eq!(
        parse(&json!({"error": {"code": "PolicyNotFound", "message": "m"}})),
        None
    );
    assert_eq!(
        parse(&json!({"error": {"code": 1006, "message": "m", "domain": "d"}})),
        None
    );
}

#[test]
fn other_vendors_are_not_huawei() {
    assert_eq!(
        parse(&json!({"errorCode": "127", "errorMessage": "m"})),
        None
    );
    assert_eq!(
        parse(&json!({"errors": [{"code": 400, "message": "m"}]})),
        None
    );
    assert_eq!(parse(&json!({"message": "m"})), None);
    assert_eq!(parse(&json!("CSBS.6005")), None);
    assert_eq!(parse(&json!([{"error_code": "CSBS.6005"}])), None);
}

#[test]
fn operation_log_errors_become_items() {
    let e = parse(&json!({
        "operation_logs": [
            {"id": "log-1", "status": "failed",
             "error_info": {"code": "BackupService.6000", "message": "disk gone"}},
            {"id": "log-2", "status": "success", "error_info": {"code": "", "message": ""}},
            {"checkpoint_id": "cp-3", "error_info": {"code": "CSBS.2003", "message": "item in executing"}},
            {"provider_id": "p-4", "error_info": {"code": 5, "message": "m"}},
            {"status": "failed", "error_info": {"message": "no code"}}
        ],
        "count": 5
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
            (Some("BackupService.6000"), Some("log-1")),
            (Some("CSBS.2003"), Some("cp-3")),
            (Some("5"), Some("p-4")),
            (None, None),
        ]
    );
    assert_eq!(e.items[0].message.as_deref(), Some("disk gone"));
    assert_eq!(e.items[0].category, C::Unknown);
}

#[test]
fn single_operation_log_and_top_level_error_info() {
    let e = parse(&json!({"operation_log": {"id": "x", "error_info": {"code": "BackupService.1", "message": "m"}}}))
        .unwrap();
    assert_eq!(e.items.len(), 1);
    assert_eq!(e.items[0].target.as_deref(), Some("x"));
    let e = parse(&json!({"id": "y", "error_info": {"code": "BackupService.2", "message": "m"}}))
        .unwrap();
    assert_eq!(e.items[0].target.as_deref(), Some("y"));
    let ok = parse(&json!({"operation_logs": [], "count": 0})).unwrap();
    assert!(ok.items.is_empty() && ok.code.is_none());
}

#[test]
fn items_are_bounded() {
    let entry = json!({"id": "i", "error_info": {"code": "CSBS.1", "message": "m"}});
    let body = json!({"a": vec![entry.clone(); 6_000], "b": vec![entry; 6_000]});
    assert_eq!(parse(&body).unwrap().items.len(), MAX_ITEMS);
}

#[test]
fn long_strings_are_bounded() {
    let long = "é".repeat(5_000);
    let e =
        parse(&json!({"error_code": "CSBS.9999", "error_msg": long, "request_id": long})).unwrap();
    assert!(e.message.unwrap().len() <= 1024);
    assert!(e.request_id.unwrap().len() <= 1024);
}

#[test]
fn apigw_and_apig_are_one_code() {
    assert_eq!(canonical_code("APIGW.0308"), "APIG.0308");
    assert_eq!(canonical_code("apigw.0308"), "APIG.0308");
    assert!(matches!(canonical_code("APIG.0308"), Cow::Borrowed(_)));
    assert!(matches!(canonical_code("CSBS.6005"), Cow::Borrowed(_)));
    assert!(matches!(canonical_code("APIGWé"), Cow::Borrowed(_)));
    let a = lookup(Vendor::Huawei, "APIGW.0308", Some(429), None).unwrap();
    let b = lookup(Vendor::Huawei, "APIG.0308", Some(429), None).unwrap();
    assert_eq!(a, b);
    assert_eq!((a.category, a.action), (C::RateLimited, A::Retry));
    let auth = lookup(Vendor::Huawei, "APIGW.0301", Some(401), None).unwrap();
    assert_eq!(
        (auth.category, auth.action),
        (C::Unauthenticated, A::DoNotRetry)
    );
    let sys = lookup(Vendor::Huawei, "APIGW.9999", Some(500), None).unwrap();
    assert_eq!(sys.action, A::Retry);
}

#[test]
fn two_meanings_picked_by_message() {
    let copy = lookup(
        Vendor::Huawei,
        "CSBS.5001",
        Some(500),
        Some("copy executing"),
    )
    .unwrap();
    assert_eq!((copy.category, copy.action), (C::Busy, A::WaitAndRetry));
    let stop = lookup(
        Vendor::Huawei,
        "CSBS.5001",
        Some(500),
        Some("Scheduel operation status can't be set unable"),
    )
    .unwrap();
    assert_eq!(
        (stop.category, stop.action),
        (C::InvalidState, A::DoNotRetry)
    );
    let quota = lookup(
        Vendor::Huawei,
        "CSBS.8026",
        Some(500),
        Some("The project p dec used capacity is 10, dec capacity is 5."),
    )
    .unwrap();
    assert_eq!(quota.category, C::QuotaExceeded);
    let vbs = lookup(
        Vendor::Huawei,
        "CSBS.8026",
        Some(500),
        Some("volume backup is not supported replication."),
    )
    .unwrap();
    assert_eq!(vbs.category, C::Unsupported);
}

#[test]
fn same_code_different_status() {
    let auth = lookup(Vendor::Huawei, "CSBS.9009", Some(403), None).unwrap();
    assert_eq!((auth.category, auth.action), (C::Forbidden, A::DoNotRetry));
    let space = lookup(Vendor::Huawei, "CSBS.9009", Some(400), None).unwrap();
    assert_eq!(space.category, C::InvalidRequest);
}

#[test]
fn fallback_covers_undocumented_gateway_codes_only() {
    let gw = |code: &str| VendorError {
        code: Some(code.to_string()),
        ..VendorError::default()
    };
    assert_eq!(
        fallback(&gw("APIGW.0999"), 429).map(|r| r.category),
        Some(C::RateLimited)
    );
    assert_eq!(
        fallback(&gw("APIG.0998"), 502).map(|r| r.action),
        Some(A::Retry)
    );
    assert_eq!(fallback(&gw("APIG.0201"), 400), None);
    assert_eq!(fallback(&gw("CSBS.4242"), 500), None);
    assert_eq!(fallback(&VendorError::default(), 500), None);
}

#[test]
fn catalog_rows_are_concise_and_unique() {
    assert_eq!(CATALOG.len(), 66 + 3);
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
        assert!(looks_like_huawei_code(e.code), "{}", e.code);
        for other in &CATALOG[i + 1..] {
            assert!(
                (e.status, e.code, e.message_hint)
                    != (other.status, other.code, other.message_hint),
                "duplicate row {} {:?}",
                e.code,
                e.status
            );
        }
    }
}

#[test]
fn looks_like_huawei_code_shapes() {
    for ok in ["CSBS.6005", "APIGW.0308", "BackupService.4003", "Ecs.0001"] {
        assert!(looks_like_huawei_code(ok), "{ok}");
    }
    for bad in [
        "PolicyNotFound",
        "1006",
        "CSBS.",
        ".6005",
        "CSBS.60a5",
        "CS BS.1",
        "a.b.1",
    ] {
        assert!(!looks_like_huawei_code(bad), "{bad}");
    }
}
