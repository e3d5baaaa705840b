//! The crate's own failures: bad calls, never bad responses. A bad body, header or size is
//! normal input and gives a classification; only a wrong argument gives an [`Error`].
//!
//! [`Error::message`] builds the text without `core::fmt` (the wasm module never formats);
//! `Display` shows the same text.

use crate::cat;
use alloc::borrow::Cow;
use alloc::string::String;

/// Why a call was refused. Each variant has a stable [`Error::code`] for JS callers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
// A word-sized tag: without it rustc packs a variant's `bool` next to a one-byte tag, and
// every move of a `Result<_, Error>` becomes byte and half-word copies, in every function
// that returns one (+1.0 KB gzip of the module, measured).
#[repr(u32)]
pub enum Error {
    /// `classify()` was given something other than an object.
    InputNotObject {
        /// What was passed instead.
        got: String,
    },
    /// The status is missing, not an integer, or outside 0–999.
    InvalidStatus {
        /// What was passed instead.
        got: String,
    },
    /// The vendor id is not one of the supported ones.
    UnknownVendor {
        /// The vendor id that was passed.
        got: String,
    },
    /// An argument has the wrong type.
    InvalidArgument {
        /// The argument's name.
        name: Cow<'static, str>,
        /// What it must be.
        expected: Cow<'static, str>,
        /// What was passed.
        got: String,
    },
    /// A retry option is out of range or of the wrong type.
    InvalidOption {
        /// The option's name.
        name: &'static str,
        /// What is wrong with it.
        problem: String,
    },
    /// A `RetryPolicy` or `RetryBudget` was used after its `free()`.
    Freed {
        /// What was freed (`RetryPolicy`, `RetryBudget`).
        what: Cow<'static, str>,
    },
    /// A `RedisCoordinator`'s namespace waits out a server wait longer than this call may
    /// wait (`maxRetryAfterMs`, or what is left before its deadline): the attempt was not
    /// sent (`crate::fleet`).
    ServerWait {
        /// The namespace's wait, in ms from now.
        wait_ms: u64,
        /// The attempt that was not sent.
        attempt: u32,
        /// The bound the wait exceeds: `"maxRetryAfterMs"` or `"deadlineMs"`.
        limit: &'static str,
        /// That bound in ms (for the deadline: the ms it leaves).
        limit_ms: u64,
    },
    /// A `CircuitBreaker` is open (or half-open with its probe out): the call sent nothing
    /// (`crate::breaker`).
    CircuitOpen {
        /// Ms until a call may go through.
        retry_after_ms: u64,
        /// The coordinator's namespace, for a breaker a fleet shares.
        namespace: Option<String>,
        /// The breaker is half-open: a probe is out.
        probing: bool,
    },
    /// A `Pacer` would make the attempt wait longer for its turn than the call may wait
    /// (`maxWaitMs`, or what is left before its deadline): it was not sent (`crate::pacer`).
    PacerWait {
        /// The coordinator's namespace, for a pacer a fleet shares. (First: in this order the
        /// enum keeps its size under `repr(u32)`.)
        namespace: Option<String>,
        /// The wait its turn would take, ms.
        wait_ms: u64,
        /// The bound the wait exceeds: `"maxWaitMs"` or `"deadlineMs"`.
        limit: &'static str,
        /// That bound in ms.
        limit_ms: u64,
    },
    /// Something that is not the caller's fault went wrong inside the module (the JS layer
    /// and the module disagree, or the module stopped and was restarted).
    Internal {
        /// What went wrong.
        what: &'static str,
    },
    /// A `registerVendor` definition is not valid (nothing was registered).
    InvalidVendorDefinition {
        /// The definition's id, when it has a usable one.
        vendor: Option<String>,
        /// Where in the definition (`codes[2].category`); empty for the definition itself.
        path: String,
        /// What is wrong there.
        problem: String,
    },
}

impl Error {
    /// The stable code JS callers can switch on (`err.code`).
    pub const fn code(&self) -> &'static str {
        match self {
            Error::InputNotObject { .. } => "ERR_INPUT_NOT_OBJECT",
            Error::InvalidStatus { .. } => "ERR_INVALID_STATUS",
            Error::UnknownVendor { .. } => "ERR_UNKNOWN_VENDOR",
            Error::InvalidArgument { .. } => "ERR_INVALID_ARGUMENT",
            Error::InvalidOption { .. } => "ERR_INVALID_OPTION",
            Error::Freed { .. } => "ERR_FREED",
            Error::ServerWait { .. } => "ERR_SERVER_WAIT",
            Error::CircuitOpen { .. } => "ERR_CIRCUIT_OPEN",
            Error::PacerWait { .. } => "ERR_PACER_WAIT",
            Error::Internal { .. } => "ERR_INTERNAL",
            Error::InvalidVendorDefinition { .. } => "ERR_INVALID_VENDOR_DEFINITION",
        }
    }

    /// Every code, in the order of the variants.
    pub const CODES: [&'static str; 11] = [
        "ERR_INPUT_NOT_OBJECT",
        "ERR_INVALID_STATUS",
        "ERR_UNKNOWN_VENDOR",
        "ERR_INVALID_ARGUMENT",
        "ERR_INVALID_OPTION",
        "ERR_FREED",
        "ERR_SERVER_WAIT",
        "ERR_CIRCUIT_OPEN",
        "ERR_PACER_WAIT",
        "ERR_INTERNAL",
        "ERR_INVALID_VENDOR_DEFINITION",
    ];

    /// The message, for people (switch on [`Error::code`] instead).
    pub fn message(&self) -> String {
        match self {
            Error::InputNotObject { got } => cat!(
                "classify() expects an object such as { status: 503 }, got ",
                got
            ),
            Error::InvalidStatus { got } => {
                cat!("status must be an integer from 0 to 999, got ", got)
            }
            Error::UnknownVendor { got } => cat!(
                "unknown vendor ",
                crate::text::quoted(got),
                ": expected one of atlassian, veeam, huawei, microsoft365, acronis, generic"
            ),
            Error::InvalidArgument {
                name,
                expected,
                got,
            } => cat!(name.as_ref(), " must be ", expected.as_ref(), ", got ", got),
            Error::InvalidOption { name, problem } => cat!("retry option ", name, " ", problem),
            Error::Freed { what } => cat!(
                "this ",
                what.as_ref(),
                " was freed (free() was called): create a new one"
            ),
            Error::ServerWait {
                wait_ms,
                attempt,
                limit,
                limit_ms,
            } => {
                let bound = if *limit == "deadlineMs" {
                    cat!(
                        "what is left before the call's deadline (deadlineMs): ",
                        limit_ms,
                        " ms"
                    )
                } else {
                    cat!(limit, " (", limit_ms, " ms)")
                };
                cat!(
                    "attempt ",
                    attempt,
                    " was not sent: the coordinator's namespace waits ",
                    wait_ms,
                    " ms for a server that asked to wait, more than ",
                    bound,
                    ". Come back after ",
                    wait_ms,
                    " ms."
                )
            }
            Error::CircuitOpen {
                retry_after_ms,
                namespace,
                probing,
            } => {
                let whose = whose("the circuit breaker", namespace);
                let why = if *probing {
                    " is half-open and its one probe is out"
                } else {
                    " is open: the service failed too often in a row"
                };
                cat!(
                    whose,
                    why,
                    "; nothing was sent. A call may go through in ",
                    retry_after_ms,
                    " ms."
                )
            }
            Error::PacerWait {
                wait_ms,
                limit,
                limit_ms,
                namespace,
            } => {
                let whose = whose("the pacer", namespace);
                cat!(
                    "the attempt was not sent: ",
                    whose,
                    " spaces requests after throttling, and its turn is ",
                    wait_ms,
                    " ms away, more than ",
                    limit,
                    " (",
                    limit_ms,
                    " ms). Come back after ",
                    wait_ms,
                    " ms."
                )
            }
            Error::Internal { what } => cat!("backup-errors internal error: ", what),
            Error::InvalidVendorDefinition {
                vendor,
                path,
                problem,
            } => {
                let mut m = String::from("registerVendor: ");
                if let Some(id) = vendor {
                    m = cat!(m, crate::text::quoted(id), ": ");
                }
                if !path.is_empty() {
                    m = cat!(m, path.as_str(), ": ");
                }
                cat!(m, problem.as_str())
            }
        }
    }
}

/// `what`, and the namespace of a coordinator that shares it: `the pacer of namespace "x"`.
fn whose(what: &str, namespace: &Option<String>) -> String {
    match namespace {
        Some(n) => cat!(what, " of namespace ", crate::text::quoted(n)),
        None => what.into(),
    }
}

impl Error {
    /// The values the error carries as fields of the JS error: `retryAfterMs` (and
    /// `namespace`) for a call that was not sent.
    pub fn carried(&self) -> (Option<u64>, Option<&str>) {
        match self {
            Error::ServerWait { wait_ms, .. } => (Some(*wait_ms), None),
            Error::CircuitOpen {
                retry_after_ms: w,
                namespace,
                ..
            }
            | Error::PacerWait {
                wait_ms: w,
                namespace,
                ..
            } => (Some(*w), namespace.as_deref()),
            _ => (None, None),
        }
    }
}

/// Parses a vendor id, or says which ids exist.
pub fn parse_vendor(id: &str) -> Result<crate::Vendor, Error> {
    crate::Vendor::from_id(id).ok_or_else(|| Error::UnknownVendor {
        got: crate::text::bounded(id),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn codes_are_listed_in_order_and_display_is_the_message() {
        let all = [
            Error::InputNotObject { got: "null".into() },
            Error::InvalidStatus { got: "1000".into() },
            Error::UnknownVendor { got: "x".into() },
            Error::InvalidArgument {
                name: "vendor".into(),
                expected: "a string".into(),
                got: "a number".into(),
            },
            Error::InvalidOption {
                name: "maxAttempts",
                problem: "must be an integer".into(),
            },
            Error::Freed {
                what: "RetryPolicy".into(),
            },
            Error::ServerWait {
                wait_ms: 120_000,
                attempt: 1,
                limit: "maxRetryAfterMs",
                limit_ms: 60_000,
            },
            Error::CircuitOpen {
                retry_after_ms: 1_500,
                namespace: Some("veeam-prod".into()),
                probing: false,
            },
            Error::PacerWait {
                wait_ms: 4_000,
                limit: "maxWaitMs",
                limit_ms: 3_000,
                namespace: None,
            },
            Error::Internal { what: "x" },
            Error::InvalidVendorDefinition {
                vendor: Some("rubrik".into()),
                path: "codes[2].category".into(),
                problem: "expected one of …; got \"retry\"".into(),
            },
        ];
        for (e, code) in all.iter().zip(Error::CODES) {
            assert_eq!(e.code(), code);
            assert_eq!(e.to_string(), e.message());
        }
        assert_eq!(
            all[7].message(),
            "the circuit breaker of namespace \"veeam-prod\" is open: the service failed too \
             often in a row; nothing was sent. A call may go through in 1500 ms."
        );
        assert_eq!(all[7].carried(), (Some(1_500), Some("veeam-prod")));
        assert_eq!(all[8].carried(), (Some(4_000), None));
        assert_eq!(
            all[10].message(),
            "registerVendor: \"rubrik\": codes[2].category: expected one of …; got \"retry\""
        );
        assert_eq!(
            all[2].message(),
            "unknown vendor \"x\": expected one of atlassian, veeam, huawei, microsoft365, acronis, generic"
        );
    }
}
