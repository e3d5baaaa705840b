//! Shared by the seed tests: reading the vendors' error-code pages in `../shared/seeds/` and
//! checking that a documented row resolves to a complete catalog entry.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code)]

use backup_errors::vendors::lookup;
use backup_errors::{Entry, Vendor};
use std::collections::BTreeSet;

/// The text of a seed page; the test fails (not skips) when the page is missing.
pub fn seed(file: &str) -> String {
    let path = format!("{}/../shared/seeds/{file}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("the seed page {path} must be present: {e}"))
}

/// The text after the first occurrence of `marker`.
pub fn after<'a>(text: &'a str, marker: &str) -> &'a str {
    text.split_once(marker)
        .map(|(_, rest)| rest)
        .unwrap_or_else(|| panic!("the seed has no {marker:?}"))
}

/// Every line of `text` that is nothing but digits (the code column of a one-cell-a-line table).
pub fn digit_lines(text: &str) -> BTreeSet<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()))
        .map(str::to_string)
        .collect()
}

/// The catalog row `lookup` finds for a documented (code, status), checked to be complete.
pub fn resolves(
    vendor: Vendor,
    code: &str,
    status: Option<u16>,
    message: Option<&str>,
) -> &'static Entry {
    let entry = lookup(vendor, code, status, message)
        .unwrap_or_else(|| panic!("{} {status:?} {code} is not in the catalog", vendor.id()));
    assert!(
        entry.code.eq_ignore_ascii_case(code),
        "{code}: found {}",
        entry.code
    );
    assert!(!entry.summary.is_empty(), "{code}: empty summary");
    assert!(!entry.remediation.is_empty(), "{code}: empty remediation");
    entry
}
