//! The crate's own failures: bad calls, never bad responses. A bad body, header or size is
//! normal input and gives a classification; only a wrong argument gives an [`Error`].

/// Why a call was refused. Each variant has a stable [`Error::code`] for JS callers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// `classify()` was given something other than an object.
    #[error("classify() expects an object such as {{ status: 503 }}, got {got}")]
    InputNotObject {
        /// What was passed instead.
        got: String,
    },
    /// The status is missing, not an integer, or outside 0–999.
    #[error("status must be an integer from 0 to 999, got {got}")]
    InvalidStatus {
        /// What was passed instead.
        got: String,
    },
    /// The vendor id is not one of the supported ones.
    #[error(
        "unknown vendor {}: expected one of atlassian, veeam, huawei, microsoft365, acronis, generic",
        crate::text::quoted(.got)
    )]
    UnknownVendor {
        /// The vendor id that was passed.
        got: String,
    },
    /// An argument has the wrong type.
    #[error("{name} must be {expected}, got {got}")]
    InvalidArgument {
        /// The argument's name.
        name: std::borrow::Cow<'static, str>,
        /// What it must be.
        expected: std::borrow::Cow<'static, str>,
        /// What was passed.
        got: String,
    },
    /// A retry option is out of range or of the wrong type.
    #[error("retry option {name} {problem}")]
    InvalidOption {
        /// The option's name.
        name: &'static str,
        /// What is wrong with it.
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
        }
    }
}

/// Parses a vendor id, or says which ids exist.
pub fn parse_vendor(id: &str) -> Result<crate::Vendor, Error> {
    crate::Vendor::from_id(id).ok_or_else(|| Error::UnknownVendor {
        got: crate::text::bounded(id),
    })
}
