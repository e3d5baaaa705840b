//! acronis: body parser and catalog (stub until the vendor work lands).

use crate::model::{Entry, VendorError};
use super::Rule;
use serde_json::Value;

/// Every documented code of acronis.
pub static CATALOG: &[Entry] = &[];

/// Parses a acronis error body.
pub fn parse(_json: &Value) -> Option<VendorError> {
    None
}

/// Vendor-wide rules for codes the catalog does not list.
pub fn fallback(_error: &VendorError, _status: u16) -> Option<Rule> {
    None
}
