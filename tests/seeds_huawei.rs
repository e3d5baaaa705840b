//! Every (status, code) row of the Huawei CSBS error-code page resolves to a catalog row. The
//! rows are the vendors' documented codes, copied from their public error-code pages into
//! `tests/fixtures/documented-codes.json` (see `docs/vendors.md`); each keeps the page's
//! "Error Message" wording, which tells apart the two meanings of CSBS.5001 and CSBS.8026.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use backup_errors::vendors::{catalog, lookup};
use backup_errors::{Action, Category, Vendor};
use std::collections::BTreeSet;

mod common;

/// One table row of the page: status, code and the page's error message.
struct Row {
    status: u16,
    code: String,
    message: String,
}

fn rows() -> Vec<Row> {
    common::rows(Vendor::Huawei)
        .into_iter()
        .map(|r| Row {
            status: r.status.expect("every Huawei row has a status"),
            message: r.message.expect("every Huawei row has its error message"),
            code: r.code,
        })
        .collect()
}

#[test]
fn seed_row_counts() {
    let rows = rows();
    assert_eq!(rows.len(), 66);
    let distinct: BTreeSet<_> = rows.iter().map(|r| (r.status, r.code.as_str())).collect();
    assert_eq!(distinct.len(), 64);
    // The catalog holds exactly the documented rows plus the three API Gateway rows.
    let seed_rows = catalog(Vendor::Huawei)
        .iter()
        .filter(|e| !e.code.starts_with("APIG."))
        .count();
    assert_eq!(seed_rows, 66);
}

#[test]
fn every_seed_row_resolves() {
    for row in rows() {
        let entry = common::resolves(
            Vendor::Huawei,
            &row.code,
            Some(row.status),
            Some(&row.message),
        );
        assert_eq!(entry.code, row.code);
        assert_eq!(entry.status, Some(row.status), "{}", row.code);
        if !entry.message_hint.is_empty() {
            assert!(
                row.message
                    .to_ascii_lowercase()
                    .contains(entry.message_hint),
                "{} {}: row message {:?} picked hint {:?}",
                row.status,
                row.code,
                row.message,
                entry.message_hint
            );
        }
    }
}

#[test]
fn catalog_rows_are_seed_rows() {
    let rows = rows();
    for e in catalog(Vendor::Huawei)
        .iter()
        .filter(|e| !e.code.starts_with("APIG."))
    {
        assert!(
            rows.iter()
                .any(|r| r.code == e.code && Some(r.status) == e.status),
            "{} {:?} is not a documented row",
            e.code,
            e.status
        );
    }
}

#[test]
fn two_meaning_rows_resolve_to_different_entries() {
    for code in ["CSBS.5001", "CSBS.8026"] {
        let rows: Vec<Row> = rows().into_iter().filter(|r| r.code == code).collect();
        assert_eq!(rows.len(), 2, "{code}");
        let a = lookup(
            Vendor::Huawei,
            code,
            Some(rows[0].status),
            Some(&rows[0].message),
        )
        .unwrap();
        let b = lookup(
            Vendor::Huawei,
            code,
            Some(rows[1].status),
            Some(&rows[1].message),
        )
        .unwrap();
        assert_ne!(a, b, "{code}");
    }
}

#[test]
fn judged_rows() {
    let check = |code: &str, status: u16, category: Category, action: Action| {
        let e = lookup(Vendor::Huawei, code, Some(status), None).unwrap();
        assert_eq!(
            (e.category, e.action),
            (category, action),
            "{status} {code}"
        );
    };
    use Action::*;
    use Category::*;
    check("CSBS.8009", 500, Unsupported, DoNotRetry);
    for code in ["CSBS.8022", "CSBS.8023", "CSBS.8024", "CSBS.8012"] {
        check(code, 500, Unsupported, DoNotRetry);
    }
    check("CSBS.6019", 500, InvalidRequest, DoNotRetry);
    check("CSBS.6023", 500, InvalidRequest, DoNotRetry);
    for (code, status) in [
        ("CSBS.2003", 400),
        ("CSBS.2004", 400),
        ("CSBS.1001", 500),
        ("CSBS.6030", 500),
        ("CSBS.6031", 400),
        ("CSBS.8014", 500),
        ("CSBS.1002", 500),
        ("CSBS.2001", 500),
        ("CSBS.6015", 400),
    ] {
        check(code, status, Busy, WaitAndRetry);
    }
    check("CSBS.9998", 500, ServerError, Retry);
    check("CSBS.9999", 500, ServerError, Retry);
    check("CSBS.6028", 500, ServerError, Retry);
    check("CSBS.0001", 400, QuotaExceeded, DoNotRetry);
    check("CSBS.9006", 400, QuotaExceeded, DoNotRetry);
    check("CSBS.6004", 400, Conflict, DoNotRetry);
    check("CSBS.6005", 400, InvalidState, DoNotRetry);
    check("CSBS.9009", 403, Forbidden, DoNotRetry);
    check("BackupService.4003", 400, Unsupported, DoNotRetry);
    check("BackupService.4008", 400, Unsupported, DoNotRetry);
    let copy = lookup(
        Vendor::Huawei,
        "CSBS.5001",
        Some(500),
        Some("copy executing"),
    )
    .unwrap();
    assert_eq!((copy.category, copy.action), (Busy, WaitAndRetry));
    // API Gateway rows, under both prefixes.
    let a = lookup(Vendor::Huawei, "APIGW.0308", Some(429), None).unwrap();
    assert_eq!(
        (a.code, a.category, a.action),
        ("APIG.0308", RateLimited, Retry)
    );
    let auth = lookup(Vendor::Huawei, "APIGW.0301", Some(401), None).unwrap();
    assert_eq!((auth.category, auth.action), (Unauthenticated, DoNotRetry));
}
