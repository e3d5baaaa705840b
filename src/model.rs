//! The public data model: the vocabulary every other module speaks.
//!
//! These types are the contract of `docs/design.md` ("Taxonomy", "JS API contract"): [`Vendor`], [`Category`] and
//! [`Action`] serialise to the exact strings of the taxonomy, [`Classification`] and
//! [`CatalogEntry`] to the camelCase objects the JS API returns.

use crate::prelude::*;
use serde::{Deserialize, Serialize};

/// The API a response came from. `Generic` covers everything else (RFC 9457 problem
/// details, `{"message": …}`, HTML proxy pages, empty bodies); `Registered` a vendor a caller
/// registered (`registerVendor`, `crate::vendors::registered`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Vendor {
    /// Atlassian Cloud backup management APIs.
    Atlassian,
    /// Veeam Service Provider Console REST API v3.
    Veeam,
    /// Huawei Cloud CSBS / CBR, including API Gateway errors.
    Huawei,
    /// Microsoft 365 Backup Storage through Microsoft Graph.
    Microsoft365,
    /// Acronis Cyber Protect Cloud platform API.
    Acronis,
    /// Any other HTTP API.
    Generic,
    /// A registered vendor: its position in the registry (its wire index is
    /// `Vendor::ALL.len()` plus this).
    Registered(u8),
}

impl Vendor {
    /// Every built-in vendor, in the order the documentation lists them (their wire indexes
    /// 0–5). [`Vendor::all`] adds the registered ones.
    pub const ALL: [Vendor; 6] = [
        Vendor::Atlassian,
        Vendor::Veeam,
        Vendor::Huawei,
        Vendor::Microsoft365,
        Vendor::Acronis,
        Vendor::Generic,
    ];

    /// Every vendor: the built-in ones, then the registered ones in registration order (the
    /// order of their wire indexes).
    pub fn all() -> impl Iterator<Item = Vendor> {
        let n = Vendor::ALL.len() + crate::vendors::registered::count();
        (0..n as u32).map(|i| Vendor::from_index(i).unwrap_or(Vendor::Generic))
    }

    /// The vendor id used in the JS API (`"microsoft365"`, a registered id, …).
    pub fn id(self) -> &'static str {
        match self {
            Vendor::Atlassian => "atlassian",
            Vendor::Veeam => "veeam",
            Vendor::Huawei => "huawei",
            Vendor::Microsoft365 => "microsoft365",
            Vendor::Acronis => "acronis",
            Vendor::Generic => "generic",
            // A registered vendor outlives no rebuild of the registry in the JS API (its
            // ids keep their positions); a stale one reads as what it falls back to.
            Vendor::Registered(i) => crate::vendors::registered::id(i).unwrap_or("generic"),
        }
    }

    /// Parses a vendor id, built-in or registered; case-insensitive, surrounding whitespace
    /// ignored.
    pub fn from_id(id: &str) -> Option<Vendor> {
        let id = id.trim();
        Vendor::ALL
            .into_iter()
            .find(|v| v.id().eq_ignore_ascii_case(id))
            .or_else(|| crate::vendors::registered::find(id))
    }

    /// Whether this is one of the six built-in vendors.
    pub const fn is_built_in(self) -> bool {
        !matches!(self, Vendor::Registered(_))
    }

    /// The index in the wire's vendor table (`names()`): 0–5 for the built-in vendors, then
    /// the registered ones.
    pub const fn index(self) -> u32 {
        match self {
            Vendor::Atlassian => 0,
            Vendor::Veeam => 1,
            Vendor::Huawei => 2,
            Vendor::Microsoft365 => 3,
            Vendor::Acronis => 4,
            Vendor::Generic => 5,
            Vendor::Registered(i) => Vendor::ALL.len() as u32 + i as u32,
        }
    }

    /// The vendor at wire index `i`, if there is one.
    pub fn from_index(i: u32) -> Option<Vendor> {
        let i = i as usize;
        match Vendor::ALL.get(i) {
            Some(v) => Some(*v),
            None => {
                let r = i - Vendor::ALL.len();
                (r < crate::vendors::registered::count()).then_some(Vendor::Registered(r as u8))
            }
        }
    }
}

/// A vendor serialises to its id (`"veeam"`, `"rubrik"`).
impl Serialize for Vendor {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

/// A vendor deserialises from its id, built-in or registered (as [`Vendor::from_id`] reads it).
impl<'de> Deserialize<'de> for Vendor {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Id;
        impl serde::de::Visitor<'_> for Id {
            type Value = Vendor;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a vendor id")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Vendor, E> {
                Vendor::from_id(s)
                    .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Str(s), &self))
            }
        }
        deserializer.deserialize_str(Id)
    }
}

/// What went wrong. Serialised in `snake_case` (`"invalid_request"`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// The request is malformed or a field is invalid.
    InvalidRequest,
    /// Credentials are missing, invalid or expired.
    Unauthenticated,
    /// The caller is known but not allowed to do this.
    Forbidden,
    /// The resource or endpoint does not exist.
    NotFound,
    /// The resource already exists (duplicate, name clash).
    Conflict,
    /// An operation is already running on the resource; it ends by itself.
    Busy,
    /// The resource is in a state that does not allow this; someone must change it.
    InvalidState,
    /// The request exceeds a per-request limit.
    TooLarge,
    /// An account or tenant quota is used up.
    QuotaExceeded,
    /// The caller is being throttled.
    RateLimited,
    /// The operation or resource type is not supported.
    Unsupported,
    /// The server failed.
    ServerError,
    /// The server or a gateway timed out.
    Timeout,
    /// The server will not process the request yet (HTTP 425, RFC 8470): sending it again
    /// later is safe.
    TooEarly,
    /// The operation was canceled.
    Canceled,
    /// No response arrived (connection refused, reset, DNS failure).
    Network,
    /// Nothing better is known.
    #[default]
    Unknown,
    /// The call succeeded (2xx); per-item errors may still be present.
    Ok,
}

impl Category {
    /// Every category, in the order of the taxonomy.
    pub const ALL: [Category; 18] = [
        Category::InvalidRequest,
        Category::Unauthenticated,
        Category::Forbidden,
        Category::NotFound,
        Category::Conflict,
        Category::Busy,
        Category::InvalidState,
        Category::TooLarge,
        Category::QuotaExceeded,
        Category::RateLimited,
        Category::Unsupported,
        Category::ServerError,
        Category::Timeout,
        Category::TooEarly,
        Category::Canceled,
        Category::Network,
        Category::Unknown,
        Category::Ok,
    ];

    /// The taxonomy's name (`"invalid_request"`, …): the string it serialises to.
    pub const fn name(self) -> &'static str {
        match self {
            Category::InvalidRequest => "invalid_request",
            Category::Unauthenticated => "unauthenticated",
            Category::Forbidden => "forbidden",
            Category::NotFound => "not_found",
            Category::Conflict => "conflict",
            Category::Busy => "busy",
            Category::InvalidState => "invalid_state",
            Category::TooLarge => "too_large",
            Category::QuotaExceeded => "quota_exceeded",
            Category::RateLimited => "rate_limited",
            Category::Unsupported => "unsupported",
            Category::ServerError => "server_error",
            Category::Timeout => "timeout",
            Category::TooEarly => "too_early",
            Category::Canceled => "canceled",
            Category::Network => "network",
            Category::Unknown => "unknown",
            Category::Ok => "ok",
        }
    }
}

/// What the caller should do next. Serialised in `snake_case`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Retry with exponential backoff.
    Retry,
    /// Wait for the running job to finish, then retry (longer delays).
    WaitAndRetry,
    /// Refresh credentials, then retry once.
    Reauthenticate,
    /// Re-read the resource and apply the change again (version mismatch).
    RefreshAndRetry,
    /// Change the request; sending it again as it is cannot succeed.
    FixRequest,
    /// Send the work in smaller requests.
    SplitRequest,
    /// Stop.
    #[default]
    DoNotRetry,
}

impl Action {
    /// Every action, in the order of the taxonomy.
    pub const ALL: [Action; 7] = [
        Action::Retry,
        Action::WaitAndRetry,
        Action::Reauthenticate,
        Action::RefreshAndRetry,
        Action::FixRequest,
        Action::SplitRequest,
        Action::DoNotRetry,
    ];

    /// The taxonomy's name (`"wait_and_retry"`, …): the string it serialises to.
    pub const fn name(self) -> &'static str {
        match self {
            Action::Retry => "retry",
            Action::WaitAndRetry => "wait_and_retry",
            Action::Reauthenticate => "reauthenticate",
            Action::RefreshAndRetry => "refresh_and_retry",
            Action::FixRequest => "fix_request",
            Action::SplitRequest => "split_request",
            Action::DoNotRetry => "do_not_retry",
        }
    }

    /// True exactly for [`Action::Retry`] and [`Action::WaitAndRetry`].
    pub const fn is_retryable(self) -> bool {
        matches!(self, Action::Retry | Action::WaitAndRetry)
    }
}

/// What a response says about whether the server processed the request: the fact behind
/// the retry-safety rules for requests that must not run twice (`docs/design.md`, "Retry
/// rules"). Serialised as `"no"`, `"maybe"`, `"yes"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Processed {
    /// The server refused the request before acting on it: a 4xx, throttling, a busy
    /// resource, 503, a request the vendor says it did not receive, a refused connection.
    /// Sending it again cannot run it twice.
    No,
    /// It may have been processed: a 5xx, a timeout, a connection lost after the request
    /// was sent, or anything else that does not say.
    #[default]
    Maybe,
    /// It was processed (2xx).
    Yes,
}

impl Processed {
    /// Every value, in the order the docs list them.
    pub const ALL: [Processed; 3] = [Processed::No, Processed::Maybe, Processed::Yes];

    /// The name it serialises to.
    pub const fn name(self) -> &'static str {
        match self {
            Processed::No => "no",
            Processed::Maybe => "maybe",
            Processed::Yes => "yes",
        }
    }
}

/// One failed response as the caller received it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorInput {
    /// HTTP status, 0–999 (0 = no response at all).
    pub status: u16,
    /// Response headers as `(name, value)` pairs, names in any letter case.
    pub headers: Vec<(String, String)>,
    /// The raw response body (may be empty, invalid JSON, HTML or non-UTF-8).
    pub body: Vec<u8>,
    /// The vendor, when the caller knows it; detected from the response otherwise.
    pub vendor: Option<Vendor>,
    /// The HTTP method of the request (`GET`, `POST`, …), when known.
    pub method: Option<String>,
}

/// An error about one item inside a response: Veeam's further `errors[]`, Graph `details`,
/// per-unit errors of Microsoft 365 `200` responses, Huawei `error_info` in operation logs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemError {
    /// The item's error code, as the vendor wrote it.
    pub code: Option<String>,
    /// The item's error message.
    pub message: Option<String>,
    /// What the item refers to: a Graph `target`, an entity `id`, a Veeam parameter name.
    pub target: Option<String>,
    /// The item's own HTTP status, where it has one (a sub-response of a Graph batch).
    pub status: Option<u16>,
    /// What went wrong with the item (from the catalog where the code is documented, else
    /// from its own status where it has one).
    pub category: Category,
    /// What to do about the item.
    pub action: Action,
    /// True exactly when `action` is `retry` or `wait_and_retry`.
    pub retryable: bool,
    /// The wait the item's own headers ask for, in milliseconds (a Graph batch
    /// sub-response's `Retry-After`).
    pub retry_after_ms: Option<u64>,
    /// The documented meaning of the item's code, if the catalog has it.
    pub summary: Option<String>,
}

/// What a vendor body parser extracts from a response body; every field optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VendorError {
    /// The vendor's error code as a string (`"127"`, `"CSBS.6005"`, `"PolicyNotFound"`).
    pub code: Option<String>,
    /// The vendor's error message.
    pub message: Option<String>,
    /// The request parameter or property at fault.
    pub parameter: Option<String>,
    /// A vendor error type or domain (Veeam `type`, Acronis `domain`).
    pub error_type: Option<String>,
    /// A wait the body asks for, in milliseconds (Veeam `retryAfter`).
    pub retry_after_ms: Option<u64>,
    /// A request id found in the body (Graph `innerError.request-id`, Huawei `request_id`).
    pub request_id: Option<String>,
    /// Per-item errors (category and action are filled in by the classifier).
    pub items: Vec<ItemError>,
    /// Headers of the items that brought their own (index into `items`, headers): a Graph
    /// batch sub-response's headers, read by the classifier for the item's server wait.
    pub item_headers: Vec<(usize, Vec<(String, String)>)>,
}

/// A documented error as it sits in a vendor's catalog table (see `src/vendors/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// The HTTP status the vendor documents with this code, if it documents one.
    pub status: Option<u16>,
    /// The code as the vendor writes it.
    pub code: &'static str,
    /// What went wrong.
    pub category: Category,
    /// What to do.
    pub action: Action,
    /// The documented meaning, in our words.
    pub summary: &'static str,
    /// How to fix it, in our words (Huawei's "Measure" column, the vendors' advice).
    pub remediation: &'static str,
    /// When one (status, code) pair has several documented meanings, a lower-case word or
    /// phrase of the vendor's message that selects this one; empty otherwise.
    pub message_hint: &'static str,
}

impl Entry {
    /// A catalog row; `status` 0 means the vendor documents no HTTP status for the code.
    pub const fn new(
        status: u16,
        code: &'static str,
        category: Category,
        action: Action,
        summary: &'static str,
        remediation: &'static str,
    ) -> Entry {
        Entry {
            status: if status == 0 { None } else { Some(status) },
            code,
            category,
            action,
            summary,
            remediation,
            message_hint: "",
        }
    }

    /// The same row, chosen only when the vendor's message contains `hint` (lower case).
    pub const fn when_message_contains(mut self, hint: &'static str) -> Entry {
        self.message_hint = hint;
        self
    }

    /// The public view of this row.
    pub fn to_catalog_entry(&self, vendor: Vendor) -> CatalogEntry {
        CatalogEntry {
            vendor,
            code: self.code.to_string(),
            status: self.status,
            category: self.category,
            action: self.action,
            summary: self.summary.to_string(),
            remediation: self.remediation.to_string(),
        }
    }
}

/// A documented error, as `explain()` and `catalog()` return it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogEntry {
    /// The vendor that documents the code.
    pub vendor: Vendor,
    /// The code as the vendor writes it.
    pub code: String,
    /// The documented HTTP status, or `null` when the vendor gives none.
    pub status: Option<u16>,
    /// What went wrong.
    pub category: Category,
    /// What to do.
    pub action: Action,
    /// The documented meaning.
    pub summary: String,
    /// How to fix it.
    pub remediation: String,
}

/// What a failed (or partly failed) response means and what to do next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Classification {
    /// The vendor, as given or detected.
    pub vendor: Vendor,
    /// The HTTP status (0 = no response).
    pub status: u16,
    /// The vendor's error code, if the body has one.
    pub code: Option<String>,
    /// The vendor's error message (bounded in length).
    pub message: Option<String>,
    /// What went wrong.
    pub category: Category,
    /// What to do next.
    pub action: Action,
    /// True exactly when `action` is `retry` or `wait_and_retry`.
    pub retryable: bool,
    /// Whether the server processed the request, as far as the response tells.
    pub processed: Processed,
    /// The wait the server asked for, in milliseconds, if it asked.
    pub retry_after_ms: Option<u64>,
    /// One sentence saying what happened.
    pub summary: String,
    /// How to fix it, when there is something to fix.
    pub remediation: Option<String>,
    /// The request parameter or property at fault.
    pub parameter: Option<String>,
    /// The server's request id, for support tickets.
    pub request_id: Option<String>,
    /// True when the code was found in the vendor's documented catalog.
    pub documented: bool,
    /// Per-item errors (also inside 2xx responses).
    pub items: Vec<ItemError>,
    /// The body was longer than the part read: it was classified on its first bytes.
    pub truncated: bool,
}

impl Classification {
    /// What the command line's `classify` exits with for this classification, grouping the
    /// actions: 0 a 2xx without item errors, 13 a 2xx with item errors, 10 retryable (`retry`,
    /// `wait_and_retry`), 11 retryable once credentials or state are fixed (`reauthenticate`,
    /// `refresh_and_retry`), 12 not retryable.
    pub fn exit_code(&self) -> u8 {
        if self.category == Category::Ok || (200..=299).contains(&self.status) {
            return if self.items.is_empty() { 0 } else { 13 };
        }
        match self.action {
            Action::Retry | Action::WaitAndRetry => 10,
            Action::Reauthenticate | Action::RefreshAndRetry => 11,
            Action::FixRequest | Action::SplitRequest | Action::DoNotRetry => 12,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_what_serde_writes() {
        for v in Vendor::ALL {
            assert_eq!(serde_json::to_value(v).unwrap(), v.id());
            assert_eq!(serde_json::from_value::<Vendor>(v.id().into()).unwrap(), v);
        }
        assert!(serde_json::from_value::<Vendor>("oracle".into()).is_err());
        for c in Category::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), c.name());
        }
        for p in Processed::ALL {
            assert_eq!(serde_json::to_value(p).unwrap(), p.name());
        }
        for a in Action::ALL {
            assert_eq!(serde_json::to_value(a).unwrap(), a.name());
        }
    }
}
