//! Every platform code (1000–1035) of Acronis' error-code page is in the catalog. The codes are
//! the vendors' documented codes, copied from their public error-code pages into
//! `tests/fixtures/documented-codes.json` (see `docs/vendors.md`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use backup_errors::vendors::lookup;
use backup_errors::{Action, Category, Vendor};
use std::collections::BTreeSet;

mod common;

/// The platform codes of the `error.code` table; the page gives them no HTTP status.
fn seed_codes() -> BTreeSet<String> {
    common::codes_without_status(Vendor::Acronis)
}

#[test]
fn every_seed_code_is_in_the_catalog() {
    let codes = seed_codes();
    assert_eq!(codes.len(), 36, "{codes:?}");
    for code in &codes {
        for status in [None, Some(400), Some(500)] {
            let entry = common::resolves(Vendor::Acronis, code, status, None);
            assert_eq!(entry.status, None, "{code}");
        }
    }
    assert_eq!(
        backup_errors::vendors::catalog(Vendor::Acronis).len(),
        codes.len()
    );
}

#[test]
fn judged_rows() {
    let row = |code: &str| {
        let e = lookup(Vendor::Acronis, code, Some(400), None).unwrap();
        (e.category, e.action)
    };
    assert_eq!(row("1000"), (Category::ServerError, Action::Retry));
    assert_eq!(
        row("1001"),
        (Category::InvalidState, Action::RefreshAndRetry)
    );
    assert_eq!(row("1002"), (Category::Forbidden, Action::DoNotRetry));
    assert_eq!(row("1004"), (Category::Conflict, Action::DoNotRetry));
    assert_eq!(row("1011"), (Category::Busy, Action::WaitAndRetry));
    assert_eq!(row("1029"), (Category::Busy, Action::WaitAndRetry));
    assert_eq!(row("1022"), (Category::QuotaExceeded, Action::DoNotRetry));
}

#[test]
fn http_codes_in_the_body_are_not_in_the_catalog() {
    assert!(lookup(Vendor::Acronis, "404", Some(404), None).is_none());
}
