//! Every (status, code) row of the Microsoft 365 Backup Storage error page resolves to a
//! catalog row.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use backup_errors::vendors::{catalog, lookup};
use backup_errors::{Action, Category, Vendor};
use std::collections::BTreeSet;

mod common;

/// One table row of the seed page.
struct Row {
    status: u16,
    code: String,
    message: String,
}

/// Rows look like `400 | InvalidPolicyId | Error message | Description |`.
fn rows() -> Vec<Row> {
    let text = common::seed("003_41fc966073b82ffa.txt");
    let mut rows = Vec::new();
    for line in text.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 4 {
            continue;
        }
        let (Ok(status), code) = (cells[0].parse::<u16>(), cells[1]) else {
            continue;
        };
        if cells[0].len() != 3
            || code.is_empty()
            || !code.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            continue;
        }
        rows.push(Row {
            status,
            code: code.to_string(),
            message: cells[2].to_string(),
        });
    }
    rows
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
            "{} {:?} is not on the seed page",
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
