//! Veeam Service Provider Console REST API v3: body parser and catalog.
//!
//! Body: `{"errors":[{"message","type","code","parameterName"|"propertyName","retryAfter"?}]}`,
//! also inside a `{"meta":…,"data":…,"errors":[…]}` envelope. The first error is the main
//! one; the others become per-item errors. Client errors keep their HTTP status, but every
//! server error arrives as HTTP **520**, and the body `code` may differ from the status, so
//! every catalog row is documented without a status (the catalog is looked up by code).
//!
//! The catalog holds every code of the "Error Response Codes" table of the vendor's page
//! (`docs/vendors.md`, "Veeam Service Provider Console"). Codes the table does not list fall back to
//! the error `type` (`transport`, `retryablelogical`, `security`, `logical`), see [`fallback`].

use super::Rule;
use crate::headers::MAX_SERVER_WAIT_MS;
use crate::json::{Map, Value};
use crate::model::{Action, Category, Entry, ItemError, VendorError};
use crate::text::{bounded, string_or_number};
use crate::texts::TextOf;

use crate::prelude::*;
use Action::{DoNotRetry, FixRequest, Reauthenticate, Retry, WaitAndRetry};
use Category::{
    Busy, Canceled, Conflict, Forbidden, InvalidRequest, InvalidState, NotFound, RateLimited,
    ServerError, Timeout, Unauthenticated, Unsupported,
};

/// Every documented code of the Veeam Service Provider Console REST API (no HTTP status:
/// the body code is not the status, and server errors all come as 520).
#[rustfmt::skip]
pub static CATALOG: &[Entry] = &[
    // HTTP-like codes
    Entry::new(0, "400", InvalidRequest, FixRequest,
        "Invalid input; parameterName or propertyName names the field at fault.",
        "Correct the named parameter or property and send the request again."),
    Entry::new(0, "401", Unauthenticated, Reauthenticate,
        "Authorization is required for this operation.",
        "Sign in again (refresh the access token), then retry."),
    Entry::new(0, "403", Forbidden, DoNotRetry,
        "Access to the resource is forbidden.",
        "Use an account whose role allows this operation."),
    Entry::new(0, "404", NotFound, DoNotRetry,
        "The resource does not exist; the message names it.",
        "Check the id or name of the resource named in the message."),
    Entry::new(0, "409", Conflict, DoNotRetry,
        "The change conflicts with a resource that already exists.",
        "Use the existing resource or change the conflicting values."),
    Entry::new(0, "415", Unsupported, FixRequest,
        "The operation requires a different content type.",
        "Send the body with the Content-Type the endpoint expects (usually application/json)."),
    Entry::new(0, "429", RateLimited, Retry,
        "Too many requests: a throttling limit was exceeded.",
        "Wait for retryAfter if given, then retry with fewer parallel requests."),
    Entry::new(0, "500", ServerError, Retry,
        "The server failed for an unspecified reason.",
        "Retry with backoff; if it persists, check the server logs."),
    Entry::new(0, "504", Timeout, Retry,
        "The REST API could not reach the Service Provider Console server.",
        "Retry with backoff; if it persists, check the console server is running and reachable."),
    // General
    Entry::new(0, "1000", Busy, WaitAndRetry,
        "The operation cannot be performed right now; the message says why.",
        "Wait for the condition in the message to clear, then retry."),
    // Failure to apply a patch usually means a path or value that does not fit the resource
    // (a bad `path`, a failed `test` op); the docs do not tie it to versions, so fix it.
    Entry::new(0, "1001", InvalidRequest, FixRequest,
        "The JSON Patch could not be applied to the resource.",
        "Re-read the resource and check the patch paths, ops and values against it."),
    Entry::new(0, "1050", Canceled, DoNotRetry,
        "The task was canceled by a user.",
        "Start the task again only if the cancellation was not intended."),
    Entry::new(0, "1051", Timeout, Retry,
        "The task took too long to run.",
        "Retry later; for large scopes, run the task on fewer objects."),
    Entry::new(0, "1100", NotFound, DoNotRetry,
        "The user does not exist.",
        "Check the user id or name."),
    Entry::new(0, "1101", Forbidden, DoNotRetry,
        "The operation needs a feature the service provider has disabled.",
        "Ask the service provider to enable the feature."),
    // Identity providers, keys and sign-in
    Entry::new(0, "1200", NotFound, DoNotRetry,
        "The identity provider does not exist.",
        "Check the identity provider name or id."),
    Entry::new(0, "1201", InvalidRequest, FixRequest,
        "This user identity cannot be assigned to the user.",
        "Choose an identity that fits the user's type and organization."),
    Entry::new(0, "1202", Conflict, DoNotRetry,
        "The key is already assigned to another user.",
        "Use a different key for this user."),
    Entry::new(0, "1203", InvalidRequest, FixRequest,
        "The key is password-protected and cannot be used here.",
        "Provide a key without a password."),
    Entry::new(0, "1204", Unsupported, FixRequest,
        "Only RSA keys are supported for asymmetric authentication.",
        "Generate and upload an RSA key."),
    Entry::new(0, "1205", Unsupported, FixRequest,
        "The key format is not supported.",
        "Convert the key to a supported format and upload it again."),
    Entry::new(0, "1206", InvalidState, DoNotRetry,
        "The identity provider is disabled.",
        "Enable the identity provider first, or use another one."),
    // A one-time code never becomes valid again: the caller must supply a fresh one.
    Entry::new(0, "1207", Unauthenticated, Reauthenticate,
        "The TOTP code is invalid.",
        "Ask for a fresh one-time code and send it once; do not resend the same code."),
    Entry::new(0, "1208", Unauthenticated, Reauthenticate,
        "The MFA answer is invalid.",
        "Ask the user for a new MFA answer and send it once."),
    Entry::new(0, "1209", InvalidRequest, FixRequest,
        "This scope cannot be assigned.",
        "Choose a scope that is allowed for the user or organization."),
    Entry::new(0, "1210", InvalidRequest, FixRequest,
        "The certificate container holds no private key.",
        "Provide a container (e.g. PFX) that includes the private key."),
    Entry::new(0, "1250", Conflict, DoNotRetry,
        "An identity provider with this name already exists.",
        "Use the existing identity provider or choose another name."),
    // Maintenance mode is switched on and off by an administrator and has no announced end,
    // so a retry loop would only spend its budget: someone must end it.
    Entry::new(0, "1251", InvalidState, DoNotRetry,
        "Identity provider operations are unavailable while the portal is in maintenance mode.",
        "Try again after an administrator takes the portal out of maintenance mode."),
    Entry::new(0, "1252", Conflict, DoNotRetry,
        "An identity provider with this display name is already set up for the organization.",
        "Use the existing one or choose another display name."),
    // Fetching metadata from the IdP is an outbound call that often fails transiently.
    Entry::new(0, "1253", ServerError, Retry,
        "The console could not get metadata from the identity provider.",
        "Retry; if it persists, check the metadata URL and that the server can reach the IdP."),
    Entry::new(0, "1254", InvalidRequest, FixRequest,
        "The console could not process the identity provider's metadata.",
        "Check that the IdP metadata is valid and complete, then try again."),
    Entry::new(0, "1255", ServerError, Retry,
        "Creating or changing the identity provider failed.",
        "Retry; if it persists, check the settings and the server logs."),
    // Licensing and locations
    Entry::new(0, "1300", ServerError, Retry,
        "The license operation failed to run.",
        "Retry; if it persists, check the license and the server logs."),
    Entry::new(0, "1301", Busy, WaitAndRetry,
        "An operation on this license is already in progress.",
        "Wait for the running license operation to finish, then retry."),
    Entry::new(0, "1500", InvalidState, DoNotRetry,
        "The location cannot be deleted: a company needs at least one location.",
        "Assign another location to the company first, then delete this one."),
    // Deployment: a failed deployment has a cause on the target machine; blind re-runs repeat it.
    Entry::new(0, "3000", ServerError, DoNotRetry,
        "The deployment task failed to run.",
        "Read the deployment task log, fix the cause, then start the deployment again."),
    Entry::new(0, "3001", Conflict, DoNotRetry,
        "The deployment task this request would start already exists.",
        "Track the existing deployment task instead of starting another."),
    // Management agents
    Entry::new(0, "4000", InvalidState, DoNotRetry,
        "The management agent version is outdated.",
        "Update the management agent, then try again."),
    Entry::new(0, "4001", Unsupported, DoNotRetry,
        "The Veeam CBT driver does not support this guest OS.",
        "Do not use the CBT driver on this machine."),
    Entry::new(0, "4002", Busy, WaitAndRetry,
        "The management agent is busy.",
        "Wait for the agent's current operation to finish, then retry."),
    // Veeam backup agents
    Entry::new(0, "5000", InvalidState, DoNotRetry,
        "The Veeam backup agent version is outdated.",
        "Update the backup agent, then try again."),
    Entry::new(0, "5001", Conflict, DoNotRetry,
        "The backup agent is already up to date; there is nothing to patch or update.",
        "Nothing to do; do not repeat the update."),
    Entry::new(0, "5002", Busy, WaitAndRetry,
        "The backup agent is not found yet; a data collection session is looking for it.",
        "Wait for the data collection session to finish, then retry."),
    Entry::new(0, "5003", NotFound, DoNotRetry,
        "No Veeam backup agent was found on the computer.",
        "Install the backup agent on the computer, or check the computer id."),
    Entry::new(0, "5004", Busy, WaitAndRetry,
        "The backup agent's management mode is changing and is not managed yet.",
        "Wait until the agent is managed, then retry."),
    Entry::new(0, "5005", InvalidState, DoNotRetry,
        "The backup agent is not managed by the Service Provider Console.",
        "Put the agent under console management first."),
    Entry::new(0, "5006", Unsupported, DoNotRetry,
        "The Veeam CBT driver is not compatible with the Workstation agent mode.",
        "Use a Server agent mode, or do not install the CBT driver."),
    Entry::new(0, "5007", InvalidState, DoNotRetry,
        "The CBT driver cannot be installed: the backup agent version is outdated.",
        "Update the backup agent, then install the CBT driver."),
    Entry::new(0, "5008", Conflict, DoNotRetry,
        "The Veeam CBT driver is already installed on the computer.",
        "Nothing to do; do not repeat the installation."),
    Entry::new(0, "5009", NotFound, DoNotRetry,
        "The Veeam CBT driver is not installed, so it cannot be removed.",
        "Nothing to remove; do not repeat the request."),
    Entry::new(0, "6000", InvalidState, DoNotRetry,
        "No backup job or policy is configured for the backup agent.",
        "Assign a backup policy or create a job for the agent first."),
    // Other products
    Entry::new(0, "7000", InvalidState, DoNotRetry,
        "The Veeam ONE version is outdated.",
        "Update Veeam ONE to a version the console supports."),
    Entry::new(0, "9000", InvalidRequest, FixRequest,
        "A failover cannot be scheduled for a future date.",
        "Request the failover without a future date."),
];

/// The most per-item errors copied out of one body.
const MAX_ITEMS: usize = 100;

/// Parses `{"errors":[…]}` (also inside a `meta`/`data` envelope). `None` when `errors` is
/// missing, not an array, or holds no object.
pub fn parse(json: &Value) -> Option<VendorError> {
    let errors = json.get("errors")?.as_array()?;
    let mut objects = errors.iter().filter_map(Value::as_object);
    let main = objects.next()?;
    let items: Vec<&Map> = objects.take(MAX_ITEMS).collect();
    let retry_after_ms = core::iter::once(main)
        .chain(items.iter().copied())
        .find_map(retry_after_ms);
    Some(VendorError {
        code: string_or_number(main.get("code")),
        message: string_or_number(main.get("message")),
        parameter: parameter(main),
        error_type: main
            .get("type")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| bounded(&t.to_ascii_lowercase())),
        retry_after_ms,
        request_id: None,
        items: items
            .into_iter()
            .map(|o| ItemError {
                code: string_or_number(o.get("code")),
                message: string_or_number(o.get("message")),
                target: parameter(o),
                ..ItemError::default()
            })
            .collect(),
        item_headers: Vec::new(),
    })
}

const TRANSPORT: Rule = Rule {
    summary_of: TextOf::Rule("veeam.type.transport"),
    category: Category::ServerError,
    action: Action::Retry,
    summary: "The server failed to receive the request; sending it again fixes it.",
};
const RETRYABLE_LOGICAL: Rule = Rule {
    summary_of: TextOf::Rule("veeam.type.retryablelogical"),
    category: Category::Busy,
    action: Action::WaitAndRetry,
    summary:
        "A server-side condition blocks the request for now; sending it again later can succeed.",
};
const SECURITY_SIGN_IN: Rule = Rule {
    summary_of: TextOf::Rule("veeam.type.security-401"),
    category: Category::Unauthenticated,
    action: Action::Reauthenticate,
    summary: "Authentication failed; sign in again.",
};
const SECURITY_DENIED: Rule = Rule {
    summary_of: TextOf::Rule("veeam.type.security"),
    category: Category::Forbidden,
    action: Action::DoNotRetry,
    summary: "The request was refused for security reasons (authorization).",
};
const LOGICAL: Rule = Rule {
    summary_of: TextOf::Rule("veeam.type.logical"),
    category: Category::InvalidRequest,
    action: Action::FixRequest,
    summary: "The request breaks a business rule; change it before sending it again.",
};

/// The rules of [`fallback`], for the list of texts.
pub const RULES: &[Rule] = &[
    TRANSPORT,
    RETRYABLE_LOGICAL,
    SECURITY_SIGN_IN,
    SECURITY_DENIED,
    LOGICAL,
];

/// Whether the error's `type` is `transport`: "the server failed to receive the request;
/// sending it again fixes it" (`docs/vendors.md`, "Veeam Service Provider Console").
pub fn not_received(error: &VendorError) -> bool {
    error
        .error_type
        .as_deref()
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("transport"))
}

/// For codes the catalog does not list, the error `type` decides (case-insensitive):
/// `transport` → retry, `retryablelogical` → wait and retry, `security` → sign in again on
/// 401 and stop otherwise, `logical` → fix the request; `unspecified` or none → `None`.
pub fn fallback(error: &VendorError, status: u16) -> Option<Rule> {
    let kind = error.error_type.as_deref()?.trim();
    let is = |name: &str| kind.eq_ignore_ascii_case(name);
    if is("transport") {
        Some(TRANSPORT)
    } else if is("retryablelogical") {
        Some(RETRYABLE_LOGICAL)
    } else if is("security") {
        Some(if status == 401 {
            SECURITY_SIGN_IN
        } else {
            SECURITY_DENIED
        })
    } else if is("logical") {
        Some(LOGICAL)
    } else {
        None
    }
}

/// `parameterName`, else `propertyName`.
fn parameter(error: &Map) -> Option<String> {
    string_or_number(error.get("parameterName"))
        .or_else(|| string_or_number(error.get("propertyName")))
}

/// `retryAfter` seconds (a finite non-negative number or numeric string) in milliseconds,
/// capped at [`MAX_SERVER_WAIT_MS`].
fn retry_after_ms(error: &Map) -> Option<u64> {
    let seconds = match error.get("retryAfter")? {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => crate::text::decimal(s)?,
        _ => return None,
    };
    if !seconds.is_finite() || seconds < 0.0 {
        return None;
    }
    let ms = crate::num::ceil(seconds * 1000.0);
    Some(if ms >= MAX_SERVER_WAIT_MS as f64 {
        MAX_SERVER_WAIT_MS
    } else {
        ms as u64
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use std::collections::HashSet;

    #[test]
    fn documented_example_body() {
        let body = json!({"errors": [{
            "message": "Property value must be larger or equal to 0.",
            "type": "logical",
            "code": 400,
            "parameterName": "offset"
        }]});
        let e = parse(&body).unwrap();
        assert_eq!(e.code.as_deref(), Some("400"));
        assert_eq!(
            e.message.as_deref(),
            Some("Property value must be larger or equal to 0.")
        );
        assert_eq!(e.parameter.as_deref(), Some("offset"));
        assert_eq!(e.error_type.as_deref(), Some("logical"));
        assert_eq!(e.retry_after_ms, None);
        assert!(e.items.is_empty());
    }

    #[test]
    fn envelope_property_name_and_further_errors_as_items() {
        let body = json!({
            "meta": {"pagingInfo": null},
            "data": null,
            "errors": [
                {"message": "Name is required.", "type": "logical", "code": "400", "propertyName": "name"},
                {"message": "Port is out of range.", "type": "logical", "code": 400, "propertyName": "port"},
                {"type": "logical", "code": 1001}
            ]
        });
        let e = parse(&body).unwrap();
        assert_eq!(e.code.as_deref(), Some("400"));
        assert_eq!(e.parameter.as_deref(), Some("name"));
        assert_eq!(e.items.len(), 2);
        assert_eq!(e.items[0].code.as_deref(), Some("400"));
        assert_eq!(e.items[0].message.as_deref(), Some("Port is out of range."));
        assert_eq!(e.items[0].target.as_deref(), Some("port"));
        assert_eq!(e.items[0].category, Category::Unknown);
        assert_eq!(e.items[1].code.as_deref(), Some("1001"));
        assert_eq!(e.items[1].message, None);
        assert_eq!(e.items[1].target, None);
    }

    #[test]
    fn missing_message_and_camel_case_type() {
        let e = parse(&json!({"errors": [{"type": "retryableLogical", "code": 4002}]})).unwrap();
        assert_eq!(e.message, None);
        assert_eq!(e.code.as_deref(), Some("4002"));
        assert_eq!(e.error_type.as_deref(), Some("retryablelogical"));
    }

    #[test]
    fn retry_after_seconds_become_milliseconds() {
        let at = |v: Value| {
            parse(&json!({"errors": [{"type": "logical", "code": 429, "retryAfter": v}]}))
                .unwrap()
                .retry_after_ms
        };
        assert_eq!(at(json!(30)), Some(30_000));
        assert_eq!(at(json!(1.5)), Some(1_500));
        assert_eq!(at(json!(" 12 ")), Some(12_000));
        assert_eq!(at(json!(0)), Some(0));
        assert_eq!(at(json!(-1)), None);
        assert_eq!(at(json!("soon")), None);
        assert_eq!(at(json!("NaN")), None);
        assert_eq!(at(json!("inf")), None);
        assert_eq!(at(json!(null)), None);
        assert_eq!(at(json!(1e300)), Some(MAX_SERVER_WAIT_MS));
    }

    #[test]
    fn retry_after_on_a_later_error_is_used() {
        let body = json!({"errors": [{"code": 429}, {"code": 429, "retryAfter": 5}]});
        assert_eq!(parse(&body).unwrap().retry_after_ms, Some(5_000));
    }

    #[test]
    fn non_scalar_fields_are_ignored_and_strings_bounded() {
        let body = json!({"errors": [{
            "code": {"n": 1}, "message": "x".repeat(4000), "parameterName": ["a"], "type": 3
        }]});
        let e = parse(&body).unwrap();
        assert_eq!(e.code, None);
        assert!(e.message.unwrap().len() <= 1024);
        assert_eq!(e.parameter, None);
        assert_eq!(e.error_type, None);
    }

    #[test]
    fn items_are_capped() {
        let many: Vec<Value> = (0..500).map(|i| json!({"code": i})).collect();
        let e = parse(&json!({ "errors": many })).unwrap();
        assert_eq!(e.items.len(), MAX_ITEMS);
    }

    #[test]
    fn not_veeam_shapes() {
        let bodies = [
            json!({"errors": []}),
            json!({"errors": ["bad input"]}),
            json!({"errors": null}),
            json!({"errors": {"code": 400}}),
            json!({"meta": {}, "data": {"id": 1}}),
            json!({"errorCode": "127", "errorMessage": "m"}),
            json!({"error_code": "CSBS.6005", "error_msg": "m"}),
            json!({"error": {"code": 1006, "message": "m", "domain": "PlatformAccountServer"}}),
            json!({"error": {"code": "PolicyNotFound", "message": "m"}}),
            json!([{"errors": [{"code": 400}]}]),
        ];
        for body in bodies {
            assert_eq!(parse(&body), None, "{body}");
        }
    }

    #[test]
    fn fallback_follows_the_error_type() {
        let with = |t: &str| VendorError {
            code: Some("8123".into()),
            error_type: Some(t.into()),
            ..VendorError::default()
        };
        let rule = |t: &str, status| fallback(&with(t), status).map(|r| (r.category, r.action));
        assert_eq!(
            rule("transport", 520),
            Some((Category::ServerError, Action::Retry))
        );
        assert_eq!(
            rule("retryablelogical", 520),
            Some((Category::Busy, Action::WaitAndRetry))
        );
        assert_eq!(
            rule("RetryableLogical", 400),
            Some((Category::Busy, Action::WaitAndRetry))
        );
        assert_eq!(
            rule("security", 401),
            Some((Category::Unauthenticated, Action::Reauthenticate))
        );
        assert_eq!(
            rule("security", 403),
            Some((Category::Forbidden, Action::DoNotRetry))
        );
        assert_eq!(
            rule("logical", 400),
            Some((Category::InvalidRequest, Action::FixRequest))
        );
        assert_eq!(rule("unspecified", 520), None);
        assert_eq!(fallback(&VendorError::default(), 520), None);
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
        assert_eq!(CATALOG.len(), 53);
    }
}
