//! # backup-errors
//!
//! Reads a failed response from a backup-management REST API (Atlassian, Veeam Service
//! Provider Console, Huawei Cloud CSBS/CBR, Microsoft 365 Backup Storage, Acronis Cyber
//! Protect Cloud, or any other HTTP API) and says what it means and what to do next.
//!
//! The core is plain Rust: [`classify`] turns an [`ErrorInput`] into a [`Classification`],
//! [`explain`] and [`catalog`] expose the vendors' documented codes. The `wasm` module (on
//! `wasm32` only) converts these types to and from JavaScript and holds no logic.

pub mod model;
pub mod vendors;

pub use model::{
    Action, CatalogEntry, Category, Classification, Entry, ErrorInput, ItemError, Vendor,
    VendorError,
};
