//! Every (status, code) row of the Microsoft 365 Backup Storage error page resolves to a
//! catalog row. The rows are the vendors' documented codes, copied from their public error-code
//! pages into `tests/fixtures/documented-codes.json` (see `docs/vendors.md`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use backup_errors::vendors::{catalog, lookup};
use backup_errors::{Action, Category, Vendor};
use std::collections::BTreeSet;

mod common;

/// One table row of the page: status, code and the page's error message. The page repeats
/// a code in the table of each request that can return it.
struct Row {
    status: u16,
    code: String,
    message: String,
}

fn rows() -> Vec<Row> {
    common::rows(Vendor::Microsoft365)
        .into_iter()
        .map(|r| Row {
            status: r.status.expect("every Microsoft 365 row has a status"),
            message: r
                .message
                .expect("every Microsoft 365 row has its error message"),
            code: r.code,
        })
        .collect()
}

#[test]
fn seed_row_counts() {
    let rows = rows();
    assert_eq!(rows.len(), 96);
    let distinct: BTreeSet<_> = rows.iter().map(|r| (r.status, r.code.as_str())).collect();
    assert_eq!(distinct.len(), 58);
    assert_eq!(catalog(Vendor::Microsoft365).len(), 58);
}

#[test]
fn every_seed_row_resolves() {
    for row in rows() {
        let entry = common::resolves(
            Vendor::Microsoft365,
            &row.code,
            Some(row.status),
            Some(&row.message),
        );
        assert_eq!(entry.code, row.code);
        assert_eq!(entry.status, Some(row.status), "{}", row.code);
    }
}

#[test]
fn catalog_rows_are_seed_rows() {
    let rows = rows();
    for e in catalog(Vendor::Microsoft365) {
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
fn judged_rows() {
    let check = |code: &str, status: u16, category: Category, action: Action| {
        let e = lookup(Vendor::Microsoft365, code, Some(status), None).unwrap();
        assert_eq!(
            (e.category, e.action),
            (category, action),
            "{status} {code}"
        );
    };
    use Action::*;
    use Category::*;
    check("RestoreArtifactsLimitBreached", 413, TooLarge, SplitRequest);
    check("RestoreArtifactsLimitBreached", 400, TooLarge, SplitRequest);
    check("ProtectionUnitsLimitBreached", 413, TooLarge, SplitRequest);
    check(
        "InvalidRuleExpressionGroupLimitExceeded",
        413,
        TooLarge,
        SplitRequest,
    );
    check(
        "BulkRestoreRestorationResourcesCountExceedsLimit",
        400,
        TooLarge,
        SplitRequest,
    );
    check("FilterLengthExceeded", 400, TooLarge, FixRequest);
    check("PolicySaveFailed", 500, ServerError, Retry);
    check("IncompleteArtifactDeletion", 500, ServerError, Retry);
    check("TooManyActiveRestoreSessions", 500, Busy, WaitAndRetry);
    check("PolicyCreationNotAllowed", 409, Conflict, DoNotRetry);
    check("PolicyActionNotAllowed", 403, InvalidState, DoNotRetry);
    check(
        "RestoreSessionActionNotAllowed",
        403,
        InvalidState,
        DoNotRetry,
    );
    check("DuplicateArtifactRestoreRequest", 200, Busy, WaitAndRetry);
    check("UnknownError", 200, ServerError, Retry);
    check("QuotaExceeded", 200, QuotaExceeded, DoNotRetry);
    check("ProtectionUnitNotFound", 200, NotFound, DoNotRetry);
    check("ArtifactNotFound", 200, NotFound, DoNotRetry);
    check("InvalidRestoreTime", 200, InvalidRequest, FixRequest);
    check("ArtifactCannotBeRestored", 200, InvalidState, DoNotRetry);
    for code in [
        "InvalidProtectionRuleStatusForDynamicRuleEdit",
        "InvalidProtectionRuleStatusForDynamicRuleDeleteAndUnprotectAll",
        "InvalidProtectionRuleStatusForDynamicRuleDeletion",
    ] {
        check(code, 422, InvalidState, DoNotRetry);
    }
}
