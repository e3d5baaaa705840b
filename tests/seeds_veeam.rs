//! Every code of Veeam's "Error Response Codes" table is in the catalog. The codes are the
//! vendors' documented codes, copied from their public error-code pages into
//! `tests/fixtures/documented-codes.json` (see `docs/vendors.md`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use backup_errors::vendors::lookup;
use backup_errors::{Action, Category, Vendor};
use std::collections::BTreeSet;

mod common;

/// The codes of the table; the page gives them no HTTP status.
fn seed_codes() -> BTreeSet<String> {
    common::codes_without_status(Vendor::Veeam)
}

#[test]
fn every_seed_code_is_in_the_catalog() {
    let codes = seed_codes();
    assert_eq!(codes.len(), 53, "{codes:?}");
    for code in &codes {
        // Documented without a status; found whatever status it arrives with (520 included).
        for status in [None, Some(400), Some(520)] {
            let entry = common::resolves(Vendor::Veeam, code, status, None);
            assert_eq!(entry.status, None, "{code}");
        }
    }
    assert_eq!(
        backup_errors::vendors::catalog(Vendor::Veeam).len(),
        codes.len()
    );
}

#[test]
fn judged_rows() {
    let row = |code: &str| {
        let e = lookup(Vendor::Veeam, code, Some(520), None).unwrap();
        (e.category, e.action)
    };
    assert_eq!(row("1301"), (Category::Busy, Action::WaitAndRetry));
    assert_eq!(row("4002"), (Category::Busy, Action::WaitAndRetry));
    assert_eq!(row("5004"), (Category::Busy, Action::WaitAndRetry));
    assert_eq!(row("1000"), (Category::Busy, Action::WaitAndRetry));
    assert_eq!(row("500"), (Category::ServerError, Action::Retry));
    assert_eq!(row("504"), (Category::Timeout, Action::Retry));
    assert_eq!(row("429"), (Category::RateLimited, Action::Retry));
    assert_eq!(
        row("401"),
        (Category::Unauthenticated, Action::Reauthenticate)
    );
    assert_eq!(row("1050"), (Category::Canceled, Action::DoNotRetry));
    assert_eq!(row("1051"), (Category::Timeout, Action::Retry));
    assert_eq!(row("3001"), (Category::Conflict, Action::DoNotRetry));
    assert_eq!(row("5001"), (Category::Conflict, Action::DoNotRetry));
    assert_eq!(row("5008"), (Category::Conflict, Action::DoNotRetry));
}
