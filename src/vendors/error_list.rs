//! A body's list of error objects (`"errors": [{…}, {…}]`), whatever the vendor: the first
//! object is the error — its code is the classification's code — and every other one is an
//! item with its own code and message, classified on its own. Veeam reads its list with
//! its own members (`crate::vendors::veeam`); Acronis bulk answers and generic APIs (JSON:API,
//! GraphQL, and any other) read theirs here.

use crate::json::{Map, Value};
use crate::model::ItemError;
use crate::prelude::*;
use crate::text::string_or_number;

/// The most items one list yields.
const MAX_ITEMS: usize = 10_000;

/// The first object's code and message, and the other objects as items.
pub struct ErrorList {
    /// The first object's code.
    pub code: Option<String>,
    /// The first object's message.
    pub message: Option<String>,
    /// The other objects.
    pub items: Vec<ItemError>,
}

/// The first of `names` that holds a string or number in `o`.
fn first_of(o: &Map, names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| string_or_number(o.get(n)))
}

/// An error object's code: `code`, `error_code`, `errorCode`, or GraphQL's
/// `extensions.code`.
fn code_of(o: &Map) -> Option<String> {
    first_of(o, &["code", "error_code", "errorCode"]).or_else(|| {
        o.get("extensions")
            .and_then(Value::as_object)
            .and_then(|e| string_or_number(e.get("code")))
    })
}

/// An error object's message: `message`, `detail`, `title`, `reason`, `error_description`,
/// or Acronis' `debug.message`.
fn message_of(o: &Map) -> Option<String> {
    first_of(
        o,
        &["message", "detail", "title", "reason", "error_description"],
    )
    .or_else(|| {
        o.get("debug")
            .and_then(Value::as_object)
            .and_then(|d| string_or_number(d.get("message")))
    })
}

/// Reads the `errors` member of `top`; `None` when it is not an array with at least one
/// object that carries a code or a message.
pub fn read(top: &Map) -> Option<ErrorList> {
    let mut objects = top
        .get("errors")?
        .as_array()?
        .iter()
        .filter_map(Value::as_object);
    let first = objects.next()?;
    let (code, message) = (code_of(first), message_of(first));
    if code.is_none() && message.is_none() {
        return None;
    }
    let items = objects
        .take(MAX_ITEMS)
        .map(|o| ItemError {
            code: code_of(o),
            message: message_of(o),
            target: first_of(
                o,
                &["target", "field", "parameterName", "propertyName", "source"],
            ),
            ..ItemError::default()
        })
        .collect();
    Some(ErrorList {
        code,
        message,
        items,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn list(v: serde_json::Value) -> Option<ErrorList> {
        let json = crate::json::Value::from(v);
        read(json.as_object().unwrap())
    }

    #[test]
    fn the_first_object_is_the_error_and_the_others_are_items() {
        let l = list(serde_json::json!({"errors": [
            {"domain": "PolicyManagement", "code": "InvalidParameter", "reason": "bad schedule", "debug": {"message": "x"}},
            {"domain": "PolicyManagement", "code": 1006, "debug": {"message": "quota"}},
            {"status": "422", "title": "Invalid Attribute", "source": "name"},
            {"message": "Cannot query field", "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"}},
            "not an object"
        ]}))
        .unwrap();
        assert_eq!(l.code.as_deref(), Some("InvalidParameter"));
        assert_eq!(l.message.as_deref(), Some("bad schedule"));
        let items: Vec<_> = l
            .items
            .iter()
            .map(|i| (i.code.as_deref(), i.message.as_deref(), i.target.as_deref()))
            .collect();
        assert_eq!(
            items,
            [
                (Some("1006"), Some("quota"), None),
                (None, Some("Invalid Attribute"), Some("name")),
                (
                    Some("GRAPHQL_VALIDATION_FAILED"),
                    Some("Cannot query field"),
                    None
                ),
            ]
        );
    }

    #[test]
    fn a_list_without_error_objects_is_none() {
        assert!(list(serde_json::json!({"errors": []})).is_none());
        assert!(list(serde_json::json!({"errors": ["a"]})).is_none());
        assert!(list(serde_json::json!({"errors": [{"id": 1}]})).is_none());
        assert!(list(serde_json::json!({"errors": {"code": "X"}})).is_none());
    }
}
