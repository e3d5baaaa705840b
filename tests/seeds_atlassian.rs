//! Every (status, code) row of Atlassian's error-code page is in the catalog.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use backup_errors::vendors::lookup;
use backup_errors::{Action, Category, Vendor};
use std::collections::BTreeSet;

mod common;

/// (status, code) pairs of the "Error codes" section: each `"errorCode": "N"` line takes the
/// status of the nearest `HTTP status code - NNN` line above it.
fn seed_rows() -> BTreeSet<(u16, String)> {
    let text = common::seed("000_496508690d47b812.txt");
    let section = common::after(&text, "\nError codes\n");
    let mut status = None;
    let mut rows = BTreeSet::new();
    for line in section.lines() {
        if let Some((_, rest)) = line.split_once("HTTP status code - ") {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            status = Some(digits.parse::<u16>().expect("a status number"));
        } else if let Some((_, rest)) = line.split_once("\"errorCode\":") {
            let code: String = rest.chars().filter(char::is_ascii_digit).collect();
            assert!(!code.is_empty(), "no code in {line:?}");
            rows.insert((status.expect("a status before the code"), code));
        }
    }
    rows
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
