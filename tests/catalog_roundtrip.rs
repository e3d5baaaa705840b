//! Every catalog row, sent back through the whole pipeline: a body in the vendor's real shape
//! carrying the row's code (and status) is classified WITHOUT naming the vendor, so detection,
//! parsing and lookup must all agree; `explain` must return the same row.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use backup_errors::{
    catalog, classify, explain, Action, CatalogEntry, Category, ErrorInput, Vendor,
};
use serde_json::{json, Value};

/// The Huawei rows whose (status, code) has two meanings, selected by the vendor's message.
fn huawei_message(e: &CatalogEntry) -> &'static str {
    match (e.code.as_str(), e.summary.to_ascii_lowercase()) {
        ("CSBS.5001", s) if s.contains("stop") => "Scheduel operation status can't be set unable",
        ("CSBS.5001", _) => "copy executing",
        ("CSBS.8026", s) if s.contains("capacity") => {
            "The project p dec used capacity is 1, dec capacity is 1."
        }
        ("CSBS.8026", _) => "volume backup is not supported replication.",
        _ => "message",
    }
}

/// A realistic body for the row, and the status it arrives with.
fn response(e: &CatalogEntry) -> (u16, Value) {
    let code_number = || {
        e.code
            .parse::<u64>()
            .map(Value::from)
            .unwrap_or_else(|_| json!(e.code))
    };
    match e.vendor {
        Vendor::Atlassian => (
            e.status.unwrap_or(400),
            json!({"errorCode": e.code, "errorMessage": "message"}),
        ),
        Vendor::Veeam => {
            let code: u16 = e.code.parse().unwrap();
            // Client errors keep their status; every server error arrives as HTTP 520.
            let status = if code < 500 { code } else { 520 };
            (
                status,
                json!({"errors": [{"message": "message", "type": "logical", "code": code_number()}]}),
            )
        }
        Vendor::Huawei => (
            e.status.unwrap_or(400),
            json!({"error_code": e.code, "error_msg": huawei_message(e)}),
        ),
        Vendor::Microsoft365 if e.status == Some(200) => (
            200,
            json!({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#x", "value": [{"id": "u1", "error": {"code": e.code, "message": "message"}}]}),
        ),
        Vendor::Microsoft365 => (
            e.status.unwrap_or(400),
            json!({"error": {"code": e.code, "message": "message", "innerError": {"request-id": "r"}}}),
        ),
        Vendor::Acronis => (
            400,
            json!({"error": {"code": code_number(), "message": "message", "domain": "PlatformAccountServer"}}),
        ),
        Vendor::Generic | Vendor::Registered(_) => {
            unreachable!("generic has no catalog, and no vendor is registered here")
        }
    }
}

#[test]
fn every_catalog_row_round_trips_through_classify_and_explain() {
    let rows = catalog(None);
    assert_eq!(
        rows.len(),
        16 + 53 + 66 + 3 + 58 + 36,
        "rows per vendor: 16, 53, 66 (+3 gateway), 58, 36"
    );
    for e in &rows {
        let (status, body) = response(e);
        let c = classify(&ErrorInput {
            status,
            body: body.to_string().into_bytes(),
            ..ErrorInput::default()
        });
        assert_eq!(c.vendor, e.vendor, "detected vendor for {e:?}");
        if status == 200 {
            let item = c
                .items
                .first()
                .unwrap_or_else(|| panic!("no item for {e:?}"));
            assert_eq!(item.code.as_deref(), Some(e.code.as_str()));
            assert_eq!(
                (item.category, item.action),
                (e.category, e.action),
                "{e:?}"
            );
            assert_eq!(c.category, Category::Ok);
            continue;
        }
        assert_eq!(c.code.as_deref(), Some(e.code.as_str()), "{e:?}");
        assert!(c.documented, "documented: {e:?}");
        assert_eq!(c.summary, e.summary, "{e:?}");
        // The two rules no vendor code overrides.
        let (category, action) = match status {
            409 => (e.category, Action::DoNotRetry),
            429 if e.status != Some(429) => (Category::RateLimited, Action::Retry),
            _ => (e.category, e.action),
        };
        assert_eq!((c.category, c.action), (category, action), "{e:?}");
        assert_eq!(c.retryable, action.is_retryable());
        let explained = explain(e.vendor, &e.code, Some(status)).unwrap();
        assert_eq!(explained.code, e.code);
        if e.status.is_some() {
            assert_eq!(explained.status, e.status);
        }
    }
}

#[test]
fn every_row_has_a_summary_and_remediation_within_bounds() {
    for e in catalog(None) {
        assert!(!e.summary.is_empty() && e.summary.len() <= 120, "{e:?}");
        assert!(
            !e.remediation.is_empty() && e.remediation.len() <= 140,
            "{e:?}"
        );
        assert!(
            !(e.status == Some(409) && e.action.is_retryable()),
            "a 409 row must not be retryable: {e:?}"
        );
    }
}
