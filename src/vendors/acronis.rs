//! Acronis Cyber Protect Cloud platform API: body parser and catalog.
//!
//! Bodies:
//! - platform: `{"error":{"code":1006,"message","details","context","domain"}}`; `code` is an
//!   integer in the docs and a string in some clients, and may be an HTTP code (`404`) rather
//!   than a platform code: it is kept as it is, and HTTP rules classify what the catalog
//!   does not list;
//! - identity service, unwrapped and OAuth-style:
//!   `{"domain":"Access","reason","error":"invalid_grant","error_description"}`;
//! - notary, unwrapped: `{"domain":"Notarization","code":"ENOTARY","debug":{"message"}}`;
//! - bulk answers: `{"errors":[{"domain","code","reason","debug"}, …]}`, the first object the
//!   error and the others items.
//!
//! `error_type` is the `domain` in every shape. The documentation's own example body is not
//! valid JSON; `crate::body` salvages its fields into the platform shape.
//!
//! The catalog holds the platform codes 1000–1035 of the vendor's page
//! (`docs/vendors.md`, "Acronis Cyber Protect Cloud"), documented without an HTTP status.

use super::Rule;
use crate::json::{Map, Value};
use crate::model::{Action, Category, Entry, VendorError};
use crate::text::string_or_number;
use crate::texts::TextOf;

use Action::{DoNotRetry, FixRequest, RefreshAndRetry, Retry, WaitAndRetry};
use Category::{
    Busy, Conflict, Forbidden, InvalidRequest, InvalidState, NotFound, QuotaExceeded, ServerError,
    Unsupported,
};

/// Every documented platform error code of Acronis Cyber Protect Cloud.
#[rustfmt::skip]
pub static CATALOG: &[Entry] = &[
    Entry::new(0, "1000", ServerError, Retry,
        "The platform failed with an internal error.",
        "Retry twice, 1-2 s apart; if it still fails, try later or contact the administrator."),
    // Optimistic concurrency: the object changed since it was read.
    Entry::new(0, "1001", InvalidState, RefreshAndRetry,
        "Version mismatch: the object changed since it was read.",
        "Read the object again for its current version, re-apply the change and send it."),
    Entry::new(0, "1002", Forbidden, DoNotRetry,
        "Access to this tenant or object is denied.",
        "Use an account or API client with rights on this tenant or object."),
    Entry::new(0, "1003", InvalidState, DoNotRetry,
        "The parent tenant is disabled.",
        "Enable the parent tenant first."),
    Entry::new(0, "1004", Conflict, DoNotRetry,
        "A tenant with this name already exists.",
        "Choose another tenant name or use the existing tenant."),
    Entry::new(0, "1005", NotFound, DoNotRetry,
        "The tenant does not exist.",
        "Check the tenant id."),
    Entry::new(0, "1006", InvalidState, DoNotRetry,
        "Only a disabled tenant can be deleted.",
        "Disable the tenant (re-read it for its version), then delete it."),
    Entry::new(0, "1007", InvalidRequest, FixRequest,
        "A tenant cannot be moved under one of its own children.",
        "Choose a target parent outside the tenant's own subtree."),
    Entry::new(0, "1008", Unsupported, DoNotRetry,
        "Moving a tenant within a customer is not allowed.",
        "Such moves are not supported; choose a target parent outside the customer tenant."),
    Entry::new(0, "1009", InvalidState, DoNotRetry,
        "The storage is in use and cannot be removed.",
        "Move the tenants and data off the storage first."),
    Entry::new(0, "1010", Conflict, DoNotRetry,
        "The email is already used in Sync & Share.",
        "Use another email address or the existing Sync & Share user."),
    Entry::new(0, "1011", Busy, WaitAndRetry,
        "Deprovisioning is in progress.",
        "Wait for deprovisioning to finish, then retry."),
    Entry::new(0, "1012", InvalidState, DoNotRetry,
        "The tenant is locked against changes.",
        "Ask the tenant that locked it to unlock it first."),
    Entry::new(0, "1013", InvalidState, DoNotRetry,
        "A tenant cannot be moved under a disabled tenant.",
        "Enable the target parent tenant first, or choose another parent."),
    Entry::new(0, "1014", Unsupported, DoNotRetry,
        "Moving offering items is not available.",
        "Set up the offering items on the target tenant instead of moving them."),
    Entry::new(0, "1015", Conflict, DoNotRetry,
        "An infrastructure component conflicts with an existing one.",
        "Use the existing component or change the conflicting settings."),
    Entry::new(0, "1016", InvalidState, DoNotRetry,
        "A storage used by child tenants cannot be turned off.",
        "Move the child tenants to another storage first."),
    Entry::new(0, "1017", InvalidState, DoNotRetry,
        "The default storage cannot be turned off.",
        "Make another storage the default first."),
    Entry::new(0, "1018", InvalidState, DoNotRetry,
        "The user account is disabled.",
        "An administrator must enable the user account first."),
    // Usually a transient outage of the service; two quick retries are what Acronis advises.
    Entry::new(0, "1019", ServerError, Retry,
        "The backup service is not available.",
        "Retry shortly; if it persists, check that the backup service is enabled and running."),
    Entry::new(0, "1020", Forbidden, DoNotRetry,
        "Only a service user can register a machine.",
        "Register the machine with a service user account."),
    Entry::new(0, "1021", Unsupported, DoNotRetry,
        "The offering item is not available for this tenant.",
        "Enable the offering item on the parent tenant first, or pick an available one."),
    Entry::new(0, "1022", QuotaExceeded, DoNotRetry,
        "A hard quota is exceeded.",
        "Free up usage or raise the quota, then try again."),
    Entry::new(0, "1023", InvalidRequest, FixRequest,
        "The offering items depend on items not enabled in the request.",
        "Enable the offering items this one depends on (or disable its dependants) too."),
    Entry::new(0, "1024", InvalidRequest, FixRequest,
        "The address is on the forbidden list.",
        "Use another address."),
    Entry::new(0, "1025", InvalidRequest, FixRequest,
        "The SMTP settings are incorrect.",
        "Check the SMTP host, port, security and credentials."),
    Entry::new(0, "1026", InvalidState, DoNotRetry,
        "The service cannot be enabled.",
        "Check the service is available to the tenant (parent offering items), then enable it."),
    Entry::new(0, "1027", InvalidRequest, FixRequest,
        "The request breaks a business rule.",
        "Read the message and details for the rule, then change the request."),
    Entry::new(0, "1028", Conflict, DoNotRetry,
        "The guest user already exists.",
        "Use the existing guest user."),
    Entry::new(0, "1029", Busy, WaitAndRetry,
        "The storage is being removed: deprovisioning is in progress.",
        "Wait for the storage deprovisioning to finish, then retry."),
    Entry::new(0, "1030", QuotaExceeded, DoNotRetry,
        "The Sync & Share user count quota is exceeded.",
        "Remove Sync & Share users or raise the quota."),
    Entry::new(0, "1031", Conflict, DoNotRetry,
        "The location conflicts with an existing one.",
        "Use the existing location or change the conflicting values."),
    Entry::new(0, "1032", InvalidRequest, FixRequest,
        "The target hierarchy does not contain the tenant that locked this one.",
        "Move the tenant within the locking tenant's hierarchy, or have it unlocked first."),
    // The platform's `login` is a user account's login name, which it validates (length,
    // characters); sign-in failures come from the identity service as OAuth errors or 401.
    Entry::new(0, "1033", InvalidRequest, FixRequest,
        "The login (user name) is not valid.",
        "Use a login of 3+ allowed characters, trimmed; if signing in, check the credentials."),
    Entry::new(0, "1034", InvalidState, DoNotRetry,
        "The previous version of the legal document is unpublished.",
        "Publish the previous version of the legal document first."),
    Entry::new(0, "1035", InvalidState, DoNotRetry,
        "The offering items are legally blocked and cannot be moved.",
        "Have the legal block lifted before moving these offering items."),
];

/// Parses the platform, identity and notary shapes; `None` for any other body.
pub fn parse(json: &Value) -> Option<VendorError> {
    let top = json.as_object()?;
    match top.get("error") {
        Some(Value::Object(error)) => platform(error),
        Some(Value::String(_)) => identity(top),
        _ => unwrapped(top).or_else(|| bulk(top)),
    }
}

/// A bulk answer's `{"errors":[{"domain","code","reason","debug"}, …]}`: the first object is
/// the error, the others items (`crate::vendors::error_list`).
fn bulk(top: &Map) -> Option<VendorError> {
    let domain = top
        .get("errors")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
        .and_then(|first| string_or_number(first.get("domain")))?;
    let list = super::error_list::read(top)?;
    Some(VendorError {
        code: list.code,
        message: list.message,
        error_type: Some(domain),
        items: list.items,
        ..VendorError::default()
    })
}

/// `{"error":{"code","message","details","context","domain"}}`.
fn platform(error: &Map) -> Option<VendorError> {
    // Microsoft Graph wraps errors the same way but always with `innerError`.
    if error.contains_key("innerError") || error.contains_key("innererror") {
        return None;
    }
    let code = string_or_number(error.get("code"));
    let message = string_or_number(error.get("message")).or_else(|| {
        error
            .get("details")
            .and_then(Value::as_object)
            .and_then(|d| string_or_number(d.get("info")))
    });
    if code.is_none() && message.is_none() {
        return None;
    }
    Some(VendorError {
        code,
        message,
        error_type: string_or_number(error.get("domain")),
        ..VendorError::default()
    })
}

/// `{"domain":"Access","reason","error","error_description"}` (identity service). A bare
/// `{"error":"…"}` without `domain` or `error_description` is not Acronis' shape.
fn identity(top: &Map) -> Option<VendorError> {
    let domain = string_or_number(top.get("domain"));
    let description = string_or_number(top.get("error_description"));
    if domain.is_none() && description.is_none() {
        return None;
    }
    Some(VendorError {
        code: string_or_number(top.get("error")),
        message: description.or_else(|| string_or_number(top.get("reason"))),
        error_type: domain,
        ..VendorError::default()
    })
}

/// `{"domain","code","message"|"debug":{"message"}}` (notary and other services).
fn unwrapped(top: &Map) -> Option<VendorError> {
    let domain = string_or_number(top.get("domain"))?;
    let code = string_or_number(top.get("code"));
    let message = string_or_number(top.get("message")).or_else(|| {
        top.get("debug")
            .and_then(Value::as_object)
            .and_then(|d| string_or_number(d.get("message")))
    });
    if code.is_none() && message.is_none() {
        return None;
    }
    Some(VendorError {
        code,
        message,
        error_type: Some(domain),
        ..VendorError::default()
    })
}

const GRANT_REJECTED: Rule = Rule {
    summary_of: TextOf::Rule("acronis.oauth.invalid_grant"),
    category: Category::Unauthenticated,
    action: Action::Reauthenticate,
    summary: "The identity service rejected the grant (expired or revoked token, or bad password).",
};
const CLIENT_REJECTED: Rule = Rule {
    summary_of: TextOf::Rule("acronis.oauth.invalid_client"),
    category: Category::Unauthenticated,
    action: Action::DoNotRetry,
    summary: "The identity service rejected the API client; check its id, secret and status.",
};
const ACCESS_DENIED: Rule = Rule {
    summary_of: TextOf::Rule("acronis.oauth.access_denied"),
    category: Category::Forbidden,
    action: Action::DoNotRetry,
    summary: "The identity service denied access.",
};

/// The rules of [`fallback`], for the list of texts.
pub const RULES: &[Rule] = &[GRANT_REJECTED, CLIENT_REJECTED, ACCESS_DENIED];

/// Only the identity service's OAuth codes have vendor-wide rules (a rejected client under
/// 401 keeps the HTTP rule: sign in again once); other undocumented codes, including HTTP
/// codes in `error.code`, follow the HTTP status.
pub fn fallback(error: &VendorError, status: u16) -> Option<Rule> {
    let code = error.code.as_deref()?.trim();
    let is = |name: &str| code.eq_ignore_ascii_case(name);
    if is("invalid_grant") {
        Some(GRANT_REJECTED)
    } else if (is("invalid_client") || is("unauthorized_client")) && status != 401 {
        Some(CLIENT_REJECTED)
    } else if is("access_denied") {
        Some(ACCESS_DENIED)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use std::collections::HashSet;

    #[test]
    fn documented_example_valid_parts() {
        // The documentation's example with its unescaped inner quotes fixed.
        let body = json!({"error": {
            "code": 1006,
            "message": "It is prohibited to delete a non-disabled tenant.",
            "details": {"info": "It is prohibited to delete a non-disabled tenant \"1415032\"",
                        "addition": [{"id": "1415032"}]},
            "context": {"id": "1415032"},
            "domain": "PlatformAccountServer"
        }});
        let e = parse(&body).unwrap();
        assert_eq!(e.code.as_deref(), Some("1006"));
        assert_eq!(
            e.message.as_deref(),
            Some("It is prohibited to delete a non-disabled tenant.")
        );
        assert_eq!(e.error_type.as_deref(), Some("PlatformAccountServer"));
        assert!(e.items.is_empty());
    }

    #[test]
    fn salvaged_documented_example() {
        // What `crate::body` rebuilds from the invalid example: the fields under `error`.
        let body = json!({"error": {
            "code": 1006,
            "message": "It is prohibited to delete a non-disabled tenant.",
            "domain": "PlatformAccountServer"
        }});
        let e = parse(&body).unwrap();
        assert_eq!(e.code.as_deref(), Some("1006"));
        assert_eq!(e.error_type.as_deref(), Some("PlatformAccountServer"));
    }

    #[test]
    fn string_code_http_code_and_details_info() {
        let e = parse(&json!({"error": {"code": "1001", "message": "Version mismatch"}})).unwrap();
        assert_eq!(e.code.as_deref(), Some("1001"));
        let e =
            parse(&json!({"error": {"code": 404, "message": "Not found", "domain": "X"}})).unwrap();
        assert_eq!(e.code.as_deref(), Some("404"));
        let e = parse(&json!({"error": {"code": 1012, "details": {"info": "locked"}}})).unwrap();
        assert_eq!(e.message.as_deref(), Some("locked"));
    }

    #[test]
    fn identity_service_shape() {
        let body = json!({
            "domain": "Access",
            "reason": "bad_credentials",
            "error": "invalid_grant",
            "error_description": "The provided credentials are invalid."
        });
        let e = parse(&body).unwrap();
        assert_eq!(e.code.as_deref(), Some("invalid_grant"));
        assert_eq!(
            e.message.as_deref(),
            Some("The provided credentials are invalid.")
        );
        assert_eq!(e.error_type.as_deref(), Some("Access"));
        let rule = fallback(&e, 400).unwrap();
        assert_eq!(rule.category, Category::Unauthenticated);
        assert_eq!(rule.action, Action::Reauthenticate);
    }

    #[test]
    fn identity_without_description_uses_reason() {
        let e = parse(
            &json!({"domain": "Access", "reason": "Token expired", "error": "invalid_token"}),
        )
        .unwrap();
        assert_eq!(e.message.as_deref(), Some("Token expired"));
        assert_eq!(fallback(&e, 401), None);
    }

    #[test]
    fn rejected_client_is_not_retried_except_under_401() {
        let e = parse(
            &json!({"domain": "Access", "error": "invalid_client", "error_description": "d"}),
        )
        .unwrap();
        let rule = fallback(&e, 400).unwrap();
        assert_eq!(
            (rule.category, rule.action),
            (Category::Unauthenticated, Action::DoNotRetry)
        );
        assert_eq!(fallback(&e, 401), None);
    }

    #[test]
    fn notary_shape() {
        let body = json!({"domain": "Notarization", "code": "ENOTARY", "debug": {"message": "hash mismatch"}});
        let e = parse(&body).unwrap();
        assert_eq!(e.code.as_deref(), Some("ENOTARY"));
        assert_eq!(e.message.as_deref(), Some("hash mismatch"));
        assert_eq!(e.error_type.as_deref(), Some("Notarization"));
        let e = parse(&json!({"domain": "Notarization", "code": "ENOTARY"})).unwrap();
        assert_eq!(e.message, None);
    }

    #[test]
    fn non_scalar_fields_are_ignored_and_strings_bounded() {
        let body = json!({"error": {"code": [1], "message": "é".repeat(3000), "domain": {"a": 1}}});
        let e = parse(&body).unwrap();
        assert_eq!(e.code, None);
        assert!(e.message.unwrap().len() <= 1024);
        assert_eq!(e.error_type, None);
    }

    #[test]
    fn other_vendors_shapes_are_not_acronis() {
        let bodies = [
            json!({"errorCode": "127", "errorMessage": "m"}),
            json!({"errors": [{"message": "m", "type": "logical", "code": 400}]}),
            json!({"error_code": "CSBS.6005", "error_msg": "m"}),
            json!({"error": {"code": "itemNotFound", "message": "m", "innerError": {"request-id": "r"}}}),
            json!({"error": "Not Found"}),
            json!({"error": {}}),
            json!({"domain": "Access"}),
            json!({"message": "m"}),
            json!(null),
            json!("error"),
        ];
        for body in bodies {
            assert_eq!(parse(&body), None, "{body}");
        }
    }

    #[test]
    fn a_bulk_answer_is_a_list_of_errors_its_first_the_error() {
        let e = parse(&json!({"errors": [
            {"domain": "PolicyManagement", "code": "InvalidParameter", "reason": "Schedule is invalid", "debug": {"message": "cron"}},
            {"domain": "PolicyManagement", "code": 1006, "debug": {"message": "Quota exceeded"}}
        ]}))
        .unwrap();
        assert_eq!(e.code.as_deref(), Some("InvalidParameter"));
        assert_eq!(e.message.as_deref(), Some("Schedule is invalid"));
        assert_eq!(e.error_type.as_deref(), Some("PolicyManagement"));
        assert_eq!(e.items.len(), 1);
        assert_eq!(e.items[0].code.as_deref(), Some("1006"));
        assert_eq!(e.items[0].message.as_deref(), Some("Quota exceeded"));
    }

    #[test]
    fn platform_codes_have_no_vendor_rule() {
        let e = parse(&json!({"error": {"code": 1999, "message": "m"}})).unwrap();
        assert_eq!(fallback(&e, 400), None);
        assert_eq!(fallback(&VendorError::default(), 500), None);
    }

    #[test]
    fn catalog_rows_are_unique_and_concise() {
        let mut seen = HashSet::new();
        for e in CATALOG {
            assert!(seen.insert(e.code), "duplicate {}", e.code);
            assert_eq!(e.status, None, "{}", e.code);
            assert!(!e.summary.is_empty() && e.summary.len() <= 90, "{}", e.code);
            assert!(
                !e.remediation.is_empty() && e.remediation.len() <= 110,
                "{}",
                e.code
            );
        }
        assert_eq!(CATALOG.len(), 36);
    }
}
