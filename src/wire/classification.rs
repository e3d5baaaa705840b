//! Classifications as the operations receive them: by index ([`Meaning`], a classification
//! block's form 0 and `decide_at`'s numbers), or as an argument checked field by field
//! ([`read_classification`], form 1), for a classification the JS layer could not put in
//! form 0.

use super::index;
use crate::args::Arg;
use crate::bytes::malformed;
use crate::error::Error;
use crate::model::{Action, Category, Classification, ItemError, Processed, Vendor};
use alloc::string::{String, ToString};

/// The fields of a classification a decision uses, by index, as a classification block's
/// form 0 sends them (and `decide_at` takes them as numbers).
#[derive(Debug, Clone, Copy)]
pub struct Meaning {
    /// The vendor's index.
    pub vendor: u32,
    /// The HTTP status.
    pub status: u32,
    /// The category's index.
    pub category: u32,
    /// The action's index.
    pub action: u32,
    /// The processed value's index (3: absent, derived from status and category).
    pub processed: u32,
    /// The server's wait in ms (NaN or negative: none).
    pub retry_after: f64,
    /// How many item errors.
    pub items: u32,
}

impl Meaning {
    /// The classification with these fields and the given code and summary; an index out of
    /// its table is a malformed input.
    pub fn classification(
        self,
        code: Option<String>,
        summary: String,
    ) -> Result<Classification, Error> {
        let (Some(vendor), Some(category), Some(action), Ok(status)) = (
            Vendor::from_index(self.vendor),
            index(&Category::ALL, self.category),
            index(&Action::ALL, self.action),
            u16::try_from(self.status),
        ) else {
            return Err(malformed());
        };
        Ok(Classification {
            vendor,
            status,
            code,
            message: None,
            category,
            action,
            retryable: action.is_retryable(),
            processed: index(&Processed::ALL, self.processed)
                .unwrap_or_else(|| crate::classify::processed(status, category)),
            retry_after_ms: (self.retry_after >= 0.0).then_some(self.retry_after as u64),
            summary,
            remediation: None,
            parameter: None,
            request_id: None,
            documented: false,
            items: alloc::vec![ItemError::default(); (self.items as usize).min(crate::classify::MAX_ITEMS)],
            truncated: false,
        })
    }
}

/// A classification passed back as an argument (form 1), checked field by field: every
/// field of the contract by name, optional ones `null`/absent, names as their strings.
pub fn read_classification(arg: &Arg) -> Result<Classification, Error> {
    let bad = |problem: String| Error::InvalidArgument {
        name: "classification".into(),
        expected: "a Classification returned by classify()".into(),
        got: crate::cat!(arg.type_name(), " (", problem, ")"),
    };
    if !matches!(arg, Arg::Object(_)) {
        return Err(Error::InvalidArgument {
            name: "classification".into(),
            expected: "a Classification returned by classify()".into(),
            got: arg.type_name().into(),
        });
    }
    let required = |name: &str| -> Result<&Arg, Error> {
        match arg.get(name) {
            Arg::Undefined => Err(bad(crate::cat!("missing field `", name, "`"))),
            v => Ok(v),
        }
    };
    let name_of =
        |v: &Arg, what: &'static str, names: &dyn Fn(&str) -> bool| -> Result<String, Error> {
            match v {
                Arg::String(s) if names(s) => Ok((*s).to_string()),
                Arg::String(s) => Err(bad(crate::cat!(
                    "unknown ",
                    what,
                    " ",
                    crate::text::quoted(s)
                ))),
                other => Err(bad(crate::cat!(
                    what,
                    " must be a string, got ",
                    other.describe()
                ))),
            }
        };
    let opt_string = |name: &str| -> Result<Option<String>, Error> {
        match arg.get(name) {
            Arg::Undefined | Arg::Null => Ok(None),
            Arg::String(s) => Ok(Some((*s).to_string())),
            other => Err(bad(crate::cat!(
                name,
                " must be a string, got ",
                other.describe()
            ))),
        }
    };
    let status = match required("status")? {
        Arg::Number(n) if crate::num::is_integral(*n) && (0.0..=65535.0).contains(n) => *n as u16,
        other => {
            return Err(bad(crate::cat!(
                "status must be an integer, got ",
                other.describe()
            )))
        }
    };
    let vendor_name = name_of(required("vendor")?, "vendor", &|s| {
        Vendor::from_id(s).is_some()
    })?;
    let vendor = Vendor::from_id(&vendor_name).unwrap_or(Vendor::Generic);
    let category_name = name_of(required("category")?, "category", &|s| {
        Category::ALL.iter().any(|c| c.name() == s)
    })?;
    let category = Category::ALL
        .into_iter()
        .find(|c| c.name() == category_name)
        .unwrap_or_default();
    let action_name = name_of(required("action")?, "action", &|s| {
        Action::ALL.iter().any(|a| a.name() == s)
    })?;
    let action = Action::ALL
        .into_iter()
        .find(|a| a.name() == action_name)
        .unwrap_or_default();
    let processed = match arg.get("processed") {
        Arg::Undefined | Arg::Null => crate::classify::processed(status, category),
        v => {
            let name = name_of(v, "processed", &|s| {
                Processed::ALL.iter().any(|p| p.name() == s)
            })?;
            Processed::ALL
                .into_iter()
                .find(|p| p.name() == name)
                .unwrap_or_default()
        }
    };
    let retry_after_ms = match arg.get("retryAfterMs") {
        Arg::Undefined | Arg::Null => None,
        Arg::Number(n) if crate::num::is_integral(*n) && *n >= 0.0 => Some(*n as u64),
        Arg::BigInt(d) => Some(
            d.parse::<u64>()
                .map_err(|_| bad("retryAfterMs out of range".into()))?,
        ),
        other => {
            return Err(bad(crate::cat!(
                "retryAfterMs must be a non-negative integer or null, got ",
                other.describe()
            )))
        }
    };
    let summary = match required("summary")? {
        Arg::String(s) => (*s).to_string(),
        other => {
            return Err(bad(crate::cat!(
                "summary must be a string, got ",
                other.describe()
            )))
        }
    };
    let items = match required("items")? {
        Arg::Array(items) => items.len(),
        other => {
            return Err(bad(crate::cat!(
                "items must be an array, got ",
                other.describe()
            )))
        }
    };
    let flag = |name: &str| -> Result<bool, Error> {
        match required(name)? {
            Arg::Bool(b) => Ok(*b),
            other => Err(bad(crate::cat!(
                name,
                " must be true or false, got ",
                other.describe()
            ))),
        }
    };
    Ok(Classification {
        vendor,
        status,
        code: opt_string("code")?,
        message: opt_string("message")?,
        category,
        action,
        retryable: flag("retryable")?,
        processed,
        retry_after_ms,
        summary,
        remediation: opt_string("remediation")?,
        parameter: opt_string("parameter")?,
        request_id: opt_string("requestId")?,
        documented: flag("documented")?,
        items: alloc::vec![ItemError::default(); items],
        truncated: false,
    })
}
