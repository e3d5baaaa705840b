//! Vendor knowledge: one module per vendor, each holding its body parser and its catalog
//! table side by side, and the vendors a caller registered (`registered`). This module only
//! dispatches on [`Vendor`] and looks codes up.

use crate::json::Value;
use crate::model::{Action, Category, Entry, Vendor, VendorError};
use crate::texts::TextOf;

pub mod acronis;
pub mod atlassian;
pub mod error_list;
pub mod generic;
pub mod huawei;
pub mod microsoft365;
pub mod registered;
pub mod veeam;

/// A vendor-wide rule for codes the catalog does not list (e.g. Veeam's error `type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Where its summary's id comes from: the rule's own id (`veeam.type.transport`), or a
    /// catalog row whose summary it shows.
    pub summary_of: TextOf,
    /// What went wrong.
    pub category: Category,
    /// What to do.
    pub action: Action,
    /// One sentence saying why, shown as the classification's summary.
    pub summary: &'static str,
}

/// The documented catalog of `vendor` (empty for `Generic`), with the rows registered for it
/// first (`registered`).
pub fn catalog(vendor: Vendor) -> &'static [Entry] {
    match vendor {
        Vendor::Registered(i) => registered::get(i).map_or(&[], |v| v.catalog),
        Vendor::Generic => &[],
        v => registered::overridden(v).unwrap_or_else(|| built_in_catalog(v)),
    }
}

/// A built-in vendor's own catalog, without registered rows.
pub fn built_in_catalog(vendor: Vendor) -> &'static [Entry] {
    match vendor {
        Vendor::Atlassian => atlassian::CATALOG,
        Vendor::Veeam => veeam::CATALOG,
        Vendor::Huawei => huawei::CATALOG,
        Vendor::Microsoft365 => microsoft365::CATALOG,
        Vendor::Acronis => acronis::CATALOG,
        Vendor::Generic | Vendor::Registered(_) => &[],
    }
}

/// Parses a JSON body in `vendor`'s shape; `None` when the body is not in that shape.
pub fn parse(vendor: Vendor, json: &Value) -> Option<VendorError> {
    match vendor {
        Vendor::Atlassian => atlassian::parse(json),
        Vendor::Veeam => veeam::parse(json),
        Vendor::Huawei => huawei::parse(json),
        Vendor::Microsoft365 => microsoft365::parse(json),
        Vendor::Acronis => acronis::parse(json),
        Vendor::Generic => generic::parse(json),
        Vendor::Registered(i) => registered::parse(registered::get(i)?, json),
    }
}

/// Codes that say nothing more than "an error happened" (Microsoft Graph's `UnknownError`
/// and `generalException`, and their kin in other APIs), compared without letter case.
const SAYS_NOTHING: &[&str] = &[
    "UnknownError",
    "generalException",
    "UnknownFailure",
    "Unknown",
    "InternalError",
    "InternalServerError",
];

/// Whether `code` says nothing the status does not: such a code does not override the
/// status's rule for a response (an item inside a 2xx keeps its catalog row).
pub fn says_nothing(code: &str) -> bool {
    let code = code.trim();
    SAYS_NOTHING.iter().any(|c| c.eq_ignore_ascii_case(code))
}

/// Parses a body that is not JSON in `vendor`'s shape: the Atlassian backup manager's
/// plain-text refusal; `None` for every other vendor and text (the generic reader of pages
/// and short texts then applies).
pub fn parse_text(vendor: Vendor, text: &str) -> Option<VendorError> {
    match vendor {
        Vendor::Atlassian => atlassian::backup_frequency(text),
        _ => None,
    }
}

/// The vendor-wide rule for an error the catalog does not list, if the vendor has one.
pub fn fallback(vendor: Vendor, error: &VendorError, status: u16) -> Option<Rule> {
    match vendor {
        Vendor::Atlassian => atlassian::fallback(error, status),
        Vendor::Veeam => veeam::fallback(error, status),
        Vendor::Huawei => huawei::fallback(error, status),
        Vendor::Microsoft365 => microsoft365::fallback(error, status),
        Vendor::Acronis => acronis::fallback(error, status),
        // Registered vendors, like generic APIs, follow the HTTP status rules.
        Vendor::Generic | Vendor::Registered(_) => generic::fallback(error, status),
    }
}

/// Every vendor-wide rule with a text of its own, for the list of texts (`messages()`).
pub fn rules() -> impl Iterator<Item = &'static Rule> {
    [
        atlassian::RULES,
        veeam::RULES,
        huawei::RULES,
        microsoft365::RULES,
        acronis::RULES,
    ]
    .into_iter()
    .flatten()
}

/// Whether the vendor's body says the server did not receive the request (Veeam's
/// `transport` error type): sending it again cannot run it twice.
pub fn not_received(vendor: Vendor, error: &VendorError) -> bool {
    vendor == Vendor::Veeam && veeam::not_received(error)
}

/// Looks a code up in `vendor`'s catalog.
///
/// The code matches case-insensitively (Huawei `APIGW.` and `APIG.` count as one), registered
/// rows' too. Rows with the given `status` win, then rows documented without a status, then
/// any row with the code (Veeam sends body code `500` under HTTP 520). Where one (status, code) pair has several
/// meanings, the row whose `message_hint` occurs in `message` wins, else the first.
pub fn lookup(
    vendor: Vendor,
    code: &str,
    status: Option<u16>,
    message: Option<&str>,
) -> Option<&'static Entry> {
    let code = code.trim();
    let code = if vendor == Vendor::Huawei {
        huawei::canonical_code(code)
    } else {
        alloc::borrow::Cow::Borrowed(code)
    };
    let table = catalog(vendor);
    let same_code = |e: &&Entry| e.code.eq_ignore_ascii_case(&code);
    // An undocumented code (the common case for the vendors' general codes) costs one scan;
    // the passes below start at the first row with the code.
    let first = table.iter().position(|e| same_code(&e))?;
    let table = table.get(first..).unwrap_or_default();
    // Lower-cased only when a row with a hint is met.
    let lower = core::cell::OnceCell::new();
    let message = || lower.get_or_init(|| message.map(str::to_ascii_lowercase));
    let pick = |filter: &dyn Fn(&Entry) -> bool| -> Option<&'static Entry> {
        let mut rows = table.iter().filter(same_code).filter(|e| filter(e));
        let first = rows.next()?;
        if first.message_hint.is_empty() {
            return Some(first);
        }
        let hinted = core::iter::once(first)
            .chain(rows)
            .find(|e| matches!(message(), Some(m) if m.contains(e.message_hint)));
        Some(hinted.unwrap_or(first))
    };
    status
        .and_then(|s| pick(&|e| e.status == Some(s)))
        .or_else(|| pick(&|e| e.status.is_none()))
        .or_else(|| pick(&|_| true))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    /// [`lookup`] as first written: three full passes over the table, the message lowered
    /// up front. The reference for the version that stops early.
    fn reference(
        vendor: Vendor,
        code: &str,
        status: Option<u16>,
        message: Option<&str>,
    ) -> Option<&'static Entry> {
        let code = code.trim();
        let code = if vendor == Vendor::Huawei {
            huawei::canonical_code(code)
        } else {
            std::borrow::Cow::Borrowed(code)
        };
        let table = catalog(vendor);
        let message = message.map(str::to_ascii_lowercase);
        let pick = |filter: &dyn Fn(&Entry) -> bool| -> Option<&'static Entry> {
            let mut rows = table
                .iter()
                .filter(|e| e.code.eq_ignore_ascii_case(&code))
                .filter(|e| filter(e));
            let first = rows.next()?;
            if first.message_hint.is_empty() {
                return Some(first);
            }
            let hinted = std::iter::once(first)
                .chain(rows)
                .find(|e| matches!(&message, Some(m) if m.contains(e.message_hint)));
            Some(hinted.unwrap_or(first))
        };
        status
            .and_then(|s| pick(&|e| e.status == Some(s)))
            .or_else(|| pick(&|e| e.status.is_none()))
            .or_else(|| pick(&|_| true))
    }

    #[test]
    fn lookup_answers_as_the_three_pass_reference() {
        for vendor in Vendor::ALL {
            let table = catalog(vendor);
            let mut messages = vec![None, Some("nothing".to_string())];
            for e in table.iter().filter(|e| !e.message_hint.is_empty()) {
                messages.push(Some(format!(
                    "... {} ...",
                    e.message_hint.to_ascii_uppercase()
                )));
            }
            for e in table {
                for code in [
                    e.code.to_string(),
                    e.code.to_ascii_lowercase(),
                    format!(" {}x", e.code),
                ] {
                    for status in [
                        None,
                        Some(200),
                        Some(400),
                        Some(409),
                        Some(500),
                        Some(520),
                        e.status,
                    ] {
                        for m in &messages {
                            let (got, want) = (
                                lookup(vendor, &code, status, m.as_deref()),
                                reference(vendor, &code, status, m.as_deref()),
                            );
                            assert_eq!(
                                got.map(|e| e as *const Entry),
                                want.map(|e| e as *const Entry),
                                "{vendor:?} {code} {status:?} {m:?}"
                            );
                        }
                    }
                }
            }
        }
    }
}
