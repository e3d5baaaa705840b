//! Shared by the seed tests: the vendors' documented codes, copied from their public error-code
//! pages into `tests/fixtures/documented-codes.json` (the pages are listed in `docs/vendors.md`),
//! and the check that a documented row resolves to a complete catalog entry.
//!
//! The fixture is compiled into each test binary, so the tests need nothing outside the
//! repository; a vendor or a row missing from it fails the test, it never skips it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code)]

use backup_errors::vendors::lookup;
use backup_errors::{Entry, Vendor};
use serde_json::Value;
use std::collections::BTreeSet;

/// The vendors' documented codes, copied from their public error-code pages.
const FIXTURE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/documented-codes.json"
));

/// One documented row of a vendor's error-code page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Row {
    /// The HTTP status the page gives for the code; `None` where the page gives none.
    pub status: Option<u16>,
    /// The vendor's error code, as the page writes it.
    pub code: String,
    /// The page's own error-message wording, where a test needs it.
    pub message: Option<String>,
}

/// The fixture's section for `vendor`; panics when it is missing or appears twice.
fn section(vendor: Vendor) -> Value {
    let fixture: Value = serde_json::from_str(FIXTURE).expect("the fixture is valid JSON");
    let mut sections = fixture["vendors"]
        .as_array()
        .expect("the fixture has a \"vendors\" array")
        .iter()
        .filter(|s| s["vendor"] == vendor.id());
    let section = sections
        .next()
        .unwrap_or_else(|| panic!("the fixture has no rows for {}", vendor.id()))
        .clone();
    assert!(sections.next().is_none(), "{} appears twice", vendor.id());
    section
}

/// The title of the vendor's public error-code page the rows were copied from.
pub fn page(vendor: Vendor) -> String {
    let page = section(vendor)["page"]
        .as_str()
        .unwrap_or_else(|| panic!("{}: no page title", vendor.id()))
        .to_string();
    assert!(!page.trim().is_empty(), "{}: empty page title", vendor.id());
    page
}

/// Every documented row of `vendor`, in the page's order.
pub fn rows(vendor: Vendor) -> Vec<Row> {
    let section = section(vendor);
    assert!(
        section["page"]
            .as_str()
            .is_some_and(|p| !p.trim().is_empty()),
        "{}: the page title is recorded with the rows",
        vendor.id()
    );
    let rows = section["rows"]
        .as_array()
        .unwrap_or_else(|| panic!("{}: no \"rows\" array", vendor.id()));
    assert!(!rows.is_empty(), "{}: no rows", vendor.id());
    rows.iter()
        .map(|row| {
            assert_eq!(row["vendor"], vendor.id(), "{row}");
            let status = match &row["status"] {
                Value::Null => None,
                s => Some(
                    s.as_u64()
                        .and_then(|s| u16::try_from(s).ok())
                        .filter(|s| (100..=599).contains(s))
                        .unwrap_or_else(|| panic!("not an HTTP status: {row}")),
                ),
            };
            let code = row["code"]
                .as_str()
                .filter(|c| !c.is_empty() && c.trim() == *c)
                .unwrap_or_else(|| panic!("no code: {row}"))
                .to_string();
            let message = match &row["message"] {
                Value::Null => None,
                m => Some(
                    m.as_str()
                        .unwrap_or_else(|| panic!("message is not text: {row}"))
                        .to_string(),
                ),
            };
            Row {
                status,
                code,
                message,
            }
        })
        .collect()
}

/// The codes of a vendor whose page gives no HTTP status (Veeam, Acronis), each listed once.
pub fn codes_without_status(vendor: Vendor) -> BTreeSet<String> {
    let rows = rows(vendor);
    assert!(
        rows.iter().all(|r| r.status.is_none()),
        "{}: a row has a status: {rows:?}",
        vendor.id()
    );
    let codes: BTreeSet<String> = rows.iter().map(|r| r.code.clone()).collect();
    assert_eq!(codes.len(), rows.len(), "a code is listed twice: {rows:?}");
    codes
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
