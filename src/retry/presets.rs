//! Retry schedules that vendors document themselves, applied where the caller set nothing.

use super::{Jitter, DEFAULT_MAX_ATTEMPTS};
use crate::model::{Classification, Vendor};
use serde::Serialize;

/// A retry schedule a vendor documents, applied to the fields the caller left unset.
/// Because the vendor documents retrying these failures, a request that is not idempotent is
/// retried on them too (`docs/design.md`, "Retry rules"). Serialised in camelCase.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VendorPreset {
    /// The vendor whose classifications it applies to.
    pub vendor: Vendor,
    /// Lowest HTTP status it applies to.
    pub min_status: u16,
    /// Highest HTTP status it applies to.
    pub max_status: u16,
    /// Total attempts, the first included.
    pub max_attempts: u32,
    /// First delay before jitter, ms.
    pub base_delay_ms: u64,
    /// Cap on one delay, ms.
    pub max_delay_ms: u64,
    /// Growth per attempt.
    pub multiplier: f64,
    /// Jitter.
    pub jitter: Jitter,
    /// What the vendor documents, quoted in the decision's reason (`params.source` is the
    /// vendor's id; the messages say this text for it).
    pub source: &'static str,
}

/// Every vendor preset. Add a row when a vendor documents its own retry schedule, and its
/// `source` to the select of the decisions' texts (`src/reason/messages.rs`, `source!`),
/// under its vendor's id.
///
/// Acronis: "retry the request twice with a 1–2 s interval" for 5xx (`docs/vendors.md`,
/// "Acronis Cyber Protect Cloud"):
/// three attempts; a fixed 2 s delay (multiplier 1) with equal jitter is uniform in
/// [1000, 2000] ms.
///
/// Huawei: API Gateway throttling (`APIG.0308`, HTTP 429) is to be retried "after a short
/// delay (2–5 s)": a fixed 5 s delay with equal jitter is uniform in [2500, 5000] ms.
pub const VENDOR_PRESETS: &[VendorPreset] = &[
    VendorPreset {
        vendor: Vendor::Acronis,
        min_status: 500,
        max_status: 599,
        max_attempts: 3,
        base_delay_ms: 2_000,
        max_delay_ms: 2_000,
        multiplier: 1.0,
        jitter: Jitter::Equal,
        source: "Acronis preset: 5xx is retried twice, 1-2 s apart",
    },
    VendorPreset {
        vendor: Vendor::Huawei,
        min_status: 429,
        max_status: 429,
        max_attempts: DEFAULT_MAX_ATTEMPTS,
        base_delay_ms: 5_000,
        max_delay_ms: 5_000,
        multiplier: 1.0,
        jitter: Jitter::Equal,
        source: "Huawei preset: API Gateway throttling is retried after 2-5 s",
    },
];

impl VendorPreset {
    /// Whether the preset applies to a classification: its vendor, a status in its range.
    pub fn applies_to(&self, c: &Classification) -> bool {
        self.vendor == c.vendor && (self.min_status..=self.max_status).contains(&c.status)
    }
}
