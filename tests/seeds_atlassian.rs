//! Every (status, code) row of Atlassian's error-code page is in the catalog. The rows are the
//! vendors' documented codes, copied from their public error-code pages into
//! `tests/fixtures/documented-codes.json` (see `docs/vendors.md`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use backup_errors::vendors::lookup;
use backup_errors::{Action, Category, Vendor};
use std::collections::BTreeSet;

mod common;

/// (status, code) pairs of the page's "Error codes" section: each documented `errorCode`
/// with the HTTP status the page gives it. The page lists some pairs twice; the fixture once.
fn seed_rows() -> BTreeSet<(u16, String)> {
    let rows = common::rows(Vendor::Atlassian);
    let pairs: BTreeSet<(u16, String)> = rows
        .iter()
        .map(|r| {
            (
                r.status.expect("every Atlassian code has a status"),
                r.code.clone(),
            )
        })
        .collect();
    assert_eq!(pairs.len(), rows.len(), "a row is listed twice: {rows:?}");
    pairs
}

#[test]
fn every_seed_row_is_in_the_catalog() {
    let rows = seed_rows();
    assert_eq!(rows.len(), 16, "{rows:?}");
    for (status, code) in &rows {
        let entry = common::resolves(Vendor::Atlassian, code, Some(*status), None);
        assert_eq!(entry.status, Some(*status), "{code}");
    }
    assert_eq!(
        backup_errors::vendors::catalog(Vendor::Atlassian).len(),
        rows.len()
    );
}

#[test]
fn judged_rows() {
    let row = |code: &str, status| {
        let e = lookup(Vendor::Atlassian, code, Some(status), None).unwrap();
        (e.category, e.action)
    };
    // 400 by status, busy by meaning.
    assert_eq!(row("140", 400), (Category::Busy, Action::WaitAndRetry));
    assert_eq!(row("127", 409), (Category::Conflict, Action::DoNotRetry));
    assert_eq!(row("137", 409), (Category::Conflict, Action::DoNotRetry));
    assert_eq!(
        row("108", 400),
        (Category::InvalidRequest, Action::FixRequest)
    );
    assert_eq!(row("129", 404), (Category::NotFound, Action::DoNotRetry));
}
