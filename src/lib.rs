//! # backup-errors
//!
//! Reads a failed response from a backup-management REST API (Atlassian, Veeam Service
//! Provider Console, Huawei Cloud CSBS/CBR, Microsoft 365 Backup Storage, Acronis Cyber
//! Protect Cloud, or any other HTTP API) and says what it means and what to do next.
//!
//! The core is plain Rust: [`classify_at`] turns an [`ErrorInput`] into a
//! [`Classification`], [`explain`] and [`catalog`] expose the vendors' documented codes. The
//! `wasm` module (on `wasm32` only) converts these types to and from JavaScript and holds no
//! logic.
//!
//! ```
//! use backup_errors::{classify_at, Action, ErrorInput};
//! let c = classify_at(&ErrorInput { status: 409, ..Default::default() }, 0);
//! assert_eq!(c.action, Action::DoNotRetry);
//! ```

#![cfg_attr(feature = "standalone", no_std)]

extern crate alloc;

/// Test support: a body written with `serde_json::json!`, as this crate's [`json::Value`].
#[cfg(test)]
macro_rules! json {
    ($($t:tt)+) => {
        $crate::json::Value::from(serde_json::json!($($t)+))
    };
}

pub mod args;
pub mod body;
pub mod breaker;
pub mod budget;
pub mod bytes;
pub mod call;
pub mod classify;
pub mod detect;
pub mod error;
pub mod fleet;
pub mod headers;
pub mod json;
pub mod local;
pub mod model;
pub mod num;
pub mod pacer;
pub mod prelude;
pub mod reason;
pub mod retry;
pub mod text;
pub mod texts;
// Not in the npm module's build: only tests/generated_types.rs calls it (with it, the .wasm
// comes out the same size but not byte for byte the same).
#[cfg(not(feature = "standalone"))]
pub mod typegen;
pub mod vendors;
pub mod wire;
pub mod write;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

use prelude::*;

pub use budget::{BudgetOptions, Lease, RetryBudget};
pub use call::{Answer, CallDecision, CallRequest, Outcome, RetryCall};
#[cfg(not(feature = "standalone"))]
pub use classify::classify;
pub use classify::{classify_at, http_rule};
pub use error::Error;
pub use model::{
    Action, CatalogEntry, Category, Classification, Entry, ErrorInput, ItemError, Processed,
    Vendor, VendorError,
};
pub use retry::{
    BusySchedule, DecisionContext, Jitter, NonIdempotent, RetryDecision, RetryOptions, RetryPolicy,
};

/// The documented meaning of `code` for `vendor`, preferring the row for `status`.
pub fn explain(vendor: Vendor, code: &str, status: Option<u16>) -> Option<CatalogEntry> {
    vendors::lookup(vendor, code, status, None).map(|e| e.to_catalog_entry(vendor))
}

/// Every documented code of `vendor`, or of all vendors (built-in, then registered) when
/// `None`.
pub fn catalog(vendor: Option<Vendor>) -> Vec<CatalogEntry> {
    let vendors: Vec<Vendor> = match vendor {
        Some(v) => vec![v],
        None => Vendor::all().collect(),
    };
    vendors
        .into_iter()
        .flat_map(|v| {
            vendors::catalog(v)
                .iter()
                .map(move |e| e.to_catalog_entry(v))
        })
        .collect()
}
