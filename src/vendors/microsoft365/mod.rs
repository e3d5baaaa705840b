//! Microsoft 365 Backup Storage through Microsoft Graph: body parser and catalog.
//!
//! # Bodies
//!
//! * The Graph error body `{"error": {"code", "message", "target"?, "innerError"?: {"date",
//!   "request-id", "client-request-id", …, "innerError"?: {…, "code"?}}, "details"?: [{"code",
//!   "message", "target"}]}}`. `innerError` may also be spelled `innererror`. `code` is the
//!   top-level code; `target` becomes the parameter; the request id is the first
//!   `request-id` found walking down the `innerError` chain (at most 32 levels); each of
//!   `details` becomes an item.
//! * The innermost `innerError.code`, when it differs from the top-level code, is kept as
//!   `error_type`. It is used only by [`fallback`], that is only when the top-level code is
//!   not in the catalog: a documented top-level code always wins over a more specific inner
//!   code, so the documented meaning of each row stays what the seed page says.
//! * Per-item errors inside **200** responses: entities of a `value` array that carry an
//!   `error` object (protection units, restore artifacts) and delta PATCH results carrying
//!   `@Core.DataModificationException` (`info{code,message}`) become items, their target the
//!   entity's `id` (else `error.target`). A single entity (`@odata.context`, `@odata.type` or
//!   `id` next to `error`) with an `error` property is read the same way: one item.
//! * Entities in any top-level array are read the same way: `value` lists, delta collections
//!   (`siteProtectionUnits@delta`, …), other lists of entities.
//! * A JSON batch response (`{"responses": [{"id", "status", "headers", "body"}]}`): each
//!   failed sub-response becomes an item with its own status and headers, classified on its
//!   own (its code, its status, its `Retry-After`).
//! * A 200 list body with no failures parses to an error with no items when it has
//!   `@odata.context` or a `value` array.
//!
//! A bare `{"error": {"code", "message"}}` with neither `innerError` nor `details` is shared
//! with other APIs; it is still parsed here (when the caller says the vendor is Microsoft 365
//! it is theirs) and vendor detection decides separately whether such a body is Graph's.
//! Bodies that are clearly another vendor's return `None`: a numeric code or a `domain`
//! (Acronis) or a `SERVICE.1234` code (Huawei). At most 10,000 items are read.
//!
//! # Catalog
//!
//! One row per documented (status, code) pair of the Backup Storage error page: 96 table rows
//! over the API sections, 58 distinct pairs. Codes that recur across sections share one row,
//! worded to cover all of them; `RestoreArtifactsLimitBreached` is 413 on create and 400 on
//! patch, two rows. Codes outside the catalog fall back to the general Graph codes
//! (`accessDenied`, `activityLimitReached`, `serviceNotAvailable`, …) and to HTTP 509
//! (bandwidth limit).

use super::huawei::looks_like_huawei_code;
use super::Rule;
use crate::json::{Map, Value};
use crate::model::{Action as A, Category as C, Entry, ItemError, Vendor, VendorError};
use crate::prelude::*;
use crate::text::{scalar, string_or_number};
use crate::texts::TextOf;

/// Every documented (status, code) pair of Microsoft 365 Backup Storage, in seed page order.
#[rustfmt::skip]
pub static CATALOG: &[Entry] = &[
    // ── Protection policies ─────────────────────────────────────────────────────────────────
    Entry::new(400, "InvalidCreateRequest", C::InvalidRequest, A::FixRequest,
        "The create request is missing, malformed or too large.",
        "Check the request body against the API reference and its size."),
    Entry::new(400, "InvalidDisplayName", C::InvalidRequest, A::FixRequest,
        "The policy display name is empty or longer than 1024 characters.",
        "Give the policy a name of 1 to 1024 characters."),
    Entry::new(400, "InvalidProtectionUnitId", C::InvalidRequest, A::FixRequest,
        "A protection unit ID in the request is invalid or empty.",
        "Send valid protection unit IDs."),
    Entry::new(413, "ProtectionUnitsLimitBreached", C::TooLarge, A::SplitRequest,
        "More than 50 protection units in one request.",
        "Send at most 50 protection units per request."),
    Entry::new(409, "PolicyCreationNotAllowed", C::Conflict, A::DoNotRetry,
        "An active protection policy already exists for this service.",
        "Update the existing policy instead of creating another one."),
    Entry::new(500, "PolicySaveFailed", C::ServerError, A::Retry,
        "A transient error in the backup service prevented saving the policy.",
        "Retry with backoff."),
    Entry::new(400, "InvalidPolicyId", C::InvalidRequest, A::FixRequest,
        "The policy ID is invalid, null or empty.",
        "Send a valid protection policy ID."),
    Entry::new(404, "PolicyNotFound", C::NotFound, A::DoNotRetry,
        "The protection policy does not exist.",
        "Check the policy ID; the policy may have been deleted."),
    Entry::new(200, "ProtectionUnitNotFound", C::NotFound, A::DoNotRetry,
        "The protection unit does not exist, was deleted or cannot be found.",
        "Check the protection unit ID; nothing to remove if it is already gone."),
    Entry::new(400, "DuplicateProtectionUnitInList", C::InvalidRequest, A::FixRequest,
        "The request lists the same protection unit more than once.",
        "Remove the duplicate protection units from the list."),
    Entry::new(400, "ProtectionUnitActionNotAllowed", C::InvalidState, A::DoNotRetry,
        "The protection unit is protected by a dynamic rule and cannot be removed by hand.",
        "Change or remove the dynamic inclusion rule that protects the unit."),
    Entry::new(403, "PolicyActionNotAllowed", C::InvalidState, A::DoNotRetry,
        "The policy is not in the state this action needs (active or inactive).",
        "Read the policy's status; delete and activate need inactive, deactivate needs active."),
    Entry::new(400, "FilterLengthExceeded", C::TooLarge, A::FixRequest,
        "The filter has too many clauses for one request.",
        "Shorten the filter, or query in several smaller requests."),
    // ── Protection units (errors inside 200 responses) ──────────────────────────────────────
    Entry::new(200, "UnknownError", C::ServerError, A::Retry,
        "An unknown or provider-side error occurred for this item.",
        "Retry; contact Microsoft support if it persists."),
    Entry::new(200, "InvalidArtifactId", C::NotFound, A::DoNotRetry,
        "The protection unit ID is invalid or the unit to remove was not found.",
        "Check the protection unit ID."),
    Entry::new(200, "QuotaExceeded", C::QuotaExceeded, A::DoNotRetry,
        "The backup size quota is used up (Exchange).",
        "Free backup quota or raise it before protecting more data."),
    // ── Restore sessions ────────────────────────────────────────────────────────────────────
    Entry::new(400, "InvalidPathType", C::InvalidRequest, A::FixRequest,
        "The restore path type (new or in-place) is missing or unknown.",
        "Set a valid restore path type for every artifact."),
    Entry::new(400, "InvalidArtifactRequest", C::InvalidRequest, A::FixRequest,
        "The restore artifact list is empty or null.",
        "Include at least one restore artifact."),
    Entry::new(400, "InvalidRestorePoint", C::InvalidRequest, A::FixRequest,
        "The restore point ID is invalid or empty.",
        "Send a valid restore point ID."),
    Entry::new(400, "DifferentRestoreDestinationType", C::InvalidRequest, A::FixRequest,
        "The artifacts in the request have different restore destination types.",
        "Use one destination type for all artifacts of a request."),
    Entry::new(413, "RestoreArtifactsLimitBreached", C::TooLarge, A::SplitRequest,
        "The request has more restore artifacts than allowed.",
        "Send the restore artifacts in smaller batches."),
    Entry::new(400, "DuplicateArtifactInList", C::Conflict, A::FixRequest,
        "A restore artifact is listed twice or is already in the session.",
        "Remove the duplicate restore artifacts from the request."),
    Entry::new(400, "InvalidRestoreSessionId", C::InvalidRequest, A::FixRequest,
        "The restore session ID is invalid, null or empty.",
        "Send a valid restore session ID."),
    Entry::new(404, "RestoreSessionNotFound", C::NotFound, A::DoNotRetry,
        "The restore session does not exist.",
        "Check the restore session ID; the session may have been deleted."),
    Entry::new(400, "InvalidPatchRequest", C::InvalidRequest, A::FixRequest,
        "The patch request is malformed or incorrect.",
        "Check the request body against the API reference."),
    Entry::new(400, "RestoreArtifactsLimitBreached", C::TooLarge, A::SplitRequest,
        "More than 50 restore artifacts in one patch request.",
        "Send at most 50 restore artifacts per request."),
    Entry::new(403, "RestoreSessionActionNotAllowed", C::InvalidState, A::DoNotRetry,
        "The restore session is not in Draft, the only state allowing patch, delete, activate.",
        "Change only draft sessions; create a new session for further changes."),
    Entry::new(500, "IncompleteArtifactDeletion", C::ServerError, A::Retry,
        "The service could not delete all requested artifacts of the session.",
        "Retry the deletion with backoff."),
    Entry::new(500, "TooManyActiveRestoreSessions", C::Busy, A::WaitAndRetry,
        "More than 25 restore sessions are active at once (temporary).",
        "Wait for active restore sessions to complete, then activate again."),
    // ── Restore artifacts (errors inside 200 responses) ─────────────────────────────────────
    Entry::new(200, "ArtifactNotFound", C::NotFound, A::DoNotRetry,
        "The restore artifact does not exist.",
        "Check the restore artifact; it was not found for restore."),
    Entry::new(200, "InvalidRestoreTime", C::InvalidRequest, A::FixRequest,
        "The restore time is invalid or outside the retention period.",
        "Choose a restore point inside the retention period."),
    Entry::new(200, "ArtifactCannotBeRestored", C::InvalidState, A::DoNotRetry,
        "The artifact's state (preservation lock, tenant divestiture) blocks the restore.",
        "Clear the blocking state of the artifact before restoring it."),
    Entry::new(200, "DuplicateArtifactRestoreRequest", C::Busy, A::WaitAndRetry,
        "A restore of the same artifact is already running.",
        "Wait for the running restore to complete, then try again."),
    // ── Inclusion rules ─────────────────────────────────────────────────────────────────────
    Entry::new(400, "InvalidInclusionRuleCreateRequest", C::InvalidRequest, A::FixRequest,
        "The inclusion rule create request is malformed or incorrect.",
        "Check the request body against the API reference."),
    Entry::new(400, "InvalidRuleExpression", C::InvalidRequest, A::FixRequest,
        "The rule expression is null or cannot be parsed.",
        "Correct the rule expression."),
    Entry::new(413, "InvalidRuleExpressionGroupLimitExceeded", C::TooLarge, A::SplitRequest,
        "The rule expression names more than 100 group IDs.",
        "Use at most 100 group IDs per rule; split the groups over several rules."),
    Entry::new(400, "InvalidProtectionRulePatchRequest", C::InvalidRequest, A::FixRequest,
        "isAutoApplyEnabled cannot be patched: static and dynamic rules cannot be converted.",
        "Drop isAutoApplyEnabled from the patch; create a new rule of the other kind."),
    Entry::new(400, "InvalidProtectionRuleStatusForUpdation", C::InvalidState, A::DoNotRetry,
        "The rule's current state does not allow updating it.",
        "Read the rule's status; update it only in a state that allows it."),
    Entry::new(400, "PatchNotAllowedForStaticRule", C::Unsupported, A::DoNotRetry,
        "Static rules cannot be patched.",
        "Create a new rule instead of patching a static one."),
    Entry::new(404, "ProtectionRuleNotFound", C::NotFound, A::DoNotRetry,
        "The protection rule does not exist or was deleted.",
        "Check the rule ID."),
    Entry::new(422, "InvalidProtectionRuleStatusForDynamicRuleEdit", C::InvalidState, A::DoNotRetry,
        "The dynamic rule cannot be patched in its current state (deleteRequested).",
        "Do not edit a rule that is being deleted; create a new rule instead."),
    Entry::new(400, "InvalidInclusionRuleId", C::InvalidRequest, A::FixRequest,
        "The rule ID is invalid, null or empty.",
        "Send a valid inclusion rule ID."),
    Entry::new(422, "InvalidProtectionRuleStatusForDynamicRuleDeleteAndUnprotectAll", C::InvalidState, A::DoNotRetry,
        "The rule's current state does not allow deleteAndUnprotect.",
        "Read the rule's status; run deleteAndUnprotect only in a state that allows it."),
    Entry::new(400, "ProtectionRuleActionNotAllowed", C::InvalidState, A::DoNotRetry,
        "The rule's current state does not allow the run action.",
        "Read the rule's status; run it only in a state that allows it."),
    Entry::new(400, "RunNotAllowedForDynamicRule", C::Unsupported, A::DoNotRetry,
        "Dynamic rules cannot be run by hand.",
        "Do not call run on dynamic rules; they apply by themselves."),
    Entry::new(400, "InvalidProtectionRuleStatusForDeletion", C::InvalidState, A::DoNotRetry,
        "The rule's current state does not allow deleting it.",
        "Read the rule's status; delete it only in a state that allows it."),
    Entry::new(422, "InvalidProtectionRuleStatusForDynamicRuleDeletion", C::InvalidState, A::DoNotRetry,
        "The dynamic rule's current state does not allow deleting it.",
        "Read the rule's status; delete it only in a state that allows it."),
    // ── Restore points ──────────────────────────────────────────────────────────────────────
    Entry::new(400, "InvalidSearchRequest", C::InvalidRequest, A::FixRequest,
        "The restore point search has an invalid time range or protection unit ID.",
        "Correct the date-time range and the protection unit ID."),
    // ── Enable service ──────────────────────────────────────────────────────────────────────
    Entry::new(403, "UnableToReadBillingProfile", C::Forbidden, A::DoNotRetry,
        "The billing profile could not be read from its provider.",
        "Check the tenant's billing setup and the app's access to it, then enable again."),
    Entry::new(402, "InvalidBillingProfile", C::InvalidState, A::DoNotRetry,
        "The billing provider returned an invalid billing profile.",
        "Set up a valid billing profile (subscription) for the tenant, then enable again."),
    Entry::new(400, "InvalidAppOwnerTenantId", C::InvalidRequest, A::FixRequest,
        "The app owner tenant ID is invalid or was not found.",
        "Send the ID of the tenant that owns the app."),
    // ── Bulk addition requests for restore artifacts ────────────────────────────────────────
    Entry::new(400, "InvalidBulkRestoreArtifactId", C::InvalidRequest, A::FixRequest,
        "The bulk restore request ID in the URI is not a valid GUID.",
        "Send a valid bulk request ID."),
    Entry::new(400, "BulkRestoreInvalidCreateRequest", C::InvalidRequest, A::FixRequest,
        "The bulk restore create request is null or invalid.",
        "Check the request body against the API reference."),
    Entry::new(400, "BulkRestoreRestorationResourcesCountExceedsLimit", C::TooLarge, A::SplitRequest,
        "The bulk restore request has too many resources.",
        "Split the resources over several bulk requests."),
    Entry::new(400, "BulkRestoreInvalidCreateRequestSiteUrl", C::InvalidRequest, A::FixRequest,
        "A site web URL is null, empty or malformed.",
        "Send valid site URLs."),
    Entry::new(400, "BulkRestoreInvalidCreateRequestUserEmail", C::InvalidRequest, A::FixRequest,
        "A user email is null, empty or malformed.",
        "Send valid email addresses."),
    Entry::new(404, "BulkRestoreArtifactsNotFound", C::NotFound, A::DoNotRetry,
        "No bulk addition request has this ID.",
        "Check the bulk request ID."),
    Entry::new(403, "InvalidStateForBulkRequestDeletion", C::InvalidState, A::DoNotRetry,
        "The bulk request cannot be deleted in its current state.",
        "Delete it once completed or completedWithErrors; session and request types must match."),
];

/// One general Graph code's rule: its text's id is `microsoft365.graph.<code>`.
macro_rules! graph {
    ($code:literal, $category:expr, $action:expr, $summary:literal) => {
        (
            $code,
            Rule {
                summary_of: TextOf::Rule(concat!("microsoft365.graph.", $code)),
                category: $category,
                action: $action,
                summary: $summary,
            },
        )
    };
}

/// The general Graph error codes, used for codes the catalog does not list.
#[rustfmt::skip]
static GRAPH_CODES: [(&str, Rule); 16] = [
    graph!("accessDenied", C::Forbidden, A::DoNotRetry, "The caller lacks permission for this Graph request."),
    graph!("Authorization_RequestDenied", C::Forbidden, A::DoNotRetry, "The caller lacks permission for this Graph request."),
    graph!("notAllowed", C::Forbidden, A::DoNotRetry, "Graph does not allow this action."),
    graph!("unauthenticated", C::Unauthenticated, A::Reauthenticate, "The caller is not authenticated."),
    graph!("InvalidAuthenticationToken", C::Unauthenticated, A::Reauthenticate, "The access token is missing, invalid or expired."),
    graph!("activityLimitReached", C::RateLimited, A::Retry, "Graph is throttling the caller."),
    graph!("TooManyRequests", C::RateLimited, A::Retry, "Graph is throttling the caller."),
    graph!("generalException", C::ServerError, A::Retry, "Graph hit an unspecified error."),
    graph!("serviceNotAvailable", C::ServerError, A::Retry, "The Graph service is unavailable for now."),
    graph!("invalidRequest", C::InvalidRequest, A::FixRequest, "Graph rejected the request as malformed or incorrect."),
    graph!("invalidRange", C::InvalidRequest, A::FixRequest, "The requested range is invalid."),
    graph!("itemNotFound", C::NotFound, A::DoNotRetry, "The Graph resource does not exist."),
    graph!("nameAlreadyExists", C::Conflict, A::DoNotRetry, "A resource with this name already exists."),
    graph!("resourceModified", C::Conflict, A::RefreshAndRetry, "The resource changed since it was read."),
    graph!("quotaLimitReached", C::QuotaExceeded, A::DoNotRetry, "A Graph quota is used up."),
    graph!("notSupported", C::Unsupported, A::DoNotRetry, "Graph does not support this request."),
];

/// Graph's bandwidth limit (509), for codes that say nothing more.
const BANDWIDTH: Rule = Rule {
    summary_of: TextOf::Rule("microsoft365.509"),
    category: C::RateLimited,
    action: A::Retry,
    summary: "The Graph bandwidth limit was reached (509).",
};

/// The rules of [`fallback`] with a text of their own, for the list of texts.
pub static RULES: &[Rule] = &{
    let mut all = [BANDWIDTH; 17];
    let mut i = 0;
    while i < GRAPH_CODES.len() {
        all[i] = GRAPH_CODES[i].1;
        i += 1;
    }
    all
};

/// The most per-item errors one body yields.
const MAX_ITEMS: usize = 10_000;
/// The deepest `innerError` chain read.
const MAX_DEPTH: usize = 32;

/// Parses a Graph error body or a 200 body with per-item errors (see the module docs);
/// `None` when the body is not in Microsoft 365's shape.
pub fn parse(json: &Value) -> Option<VendorError> {
    let top = json.as_object()?;
    let mut out = VendorError::default();
    let entity = ["@odata.context", "@odata.type", "id"]
        .iter()
        .any(|k| top.contains_key(k));
    let mut found = false;

    if let Some(error) = top.get("error").and_then(Value::as_object) {
        if entity {
            push_entity_item(top, &mut out.items);
        } else {
            let code = match error.get("code") {
                None | Some(Value::Null) => None,
                Some(text @ Value::String(_)) => scalar(Some(text)),
                Some(_) => return None, // numeric codes are Acronis'
            };
            if error.contains_key("domain") || code.as_deref().is_some_and(looks_like_huawei_code) {
                return None;
            }
            out.message = scalar(error.get("message"));
            if code.is_none() && out.message.is_none() {
                return None;
            }
            out.parameter = scalar(error.get("target"));
            let innermost = walk_inner_errors(error, &mut out.request_id);
            out.error_type = innermost.filter(|inner| {
                !code
                    .as_deref()
                    .is_some_and(|c| c.eq_ignore_ascii_case(inner))
            });
            out.code = code;
            if let Some(details) = error.get("details").and_then(Value::as_array) {
                for detail in details.iter().filter_map(Value::as_object) {
                    if out.items.len() >= MAX_ITEMS {
                        break;
                    }
                    out.items.push(ItemError {
                        code: string_or_number(detail.get("code")),
                        message: scalar(detail.get("message")),
                        target: scalar(detail.get("target")),
                        ..ItemError::default()
                    });
                }
            }
            found = true;
        }
    }
    // A delta PATCH result for a single entity.
    push_modification_item(top, &mut out.items);

    let batch = push_batch_items(top, &mut out);
    // Per-entry failures wherever Graph lists entries: `value`, delta collections
    // (`…@delta`), any other array of entities.
    for (key, list) in top.iter() {
        if key == "responses" && batch {
            continue;
        }
        let Some(list) = list.as_array() else {
            continue;
        };
        for entry in list.iter().filter_map(Value::as_object) {
            if out.items.len() >= MAX_ITEMS {
                break;
            }
            push_entity_item(entry, &mut out.items);
            push_modification_item(entry, &mut out.items);
        }
    }
    let listing = top.contains_key("value") || top.contains_key("@odata.context");
    (found || listing || batch || !out.items.is_empty()).then_some(out)
}

/// A Graph JSON batch response (`{"responses": [{"id", "status", "headers", "body"}]}`):
/// every failed sub-response (status ≥ 400) becomes an item with its own status, its code and
/// message from its Graph error body, its `id` as target, and its headers (for its own
/// `Retry-After`). Returns whether the body is a batch.
fn push_batch_items(top: &Map, out: &mut VendorError) -> bool {
    let Some(responses) = top.get("responses").and_then(Value::as_array) else {
        return false;
    };
    let mut batch = false;
    for response in responses.iter().filter_map(Value::as_object) {
        let Some(status) = response
            .get("status")
            .and_then(Value::as_u64)
            .and_then(|s| u16::try_from(s).ok())
        else {
            continue;
        };
        batch = true;
        if !(400..=999).contains(&status) || out.items.len() >= MAX_ITEMS {
            continue;
        }
        let error = response
            .get("body")
            .and_then(|b| b.get("error"))
            .and_then(Value::as_object);
        let headers: Vec<(String, String)> = response
            .get("headers")
            .and_then(Value::as_object)
            .map(|h| {
                h.iter()
                    .filter_map(|(name, v)| {
                        string_or_number(Some(v)).map(|v| (name.to_string(), v))
                    })
                    .collect()
            })
            .unwrap_or_default();
        if !headers.is_empty() {
            out.item_headers.push((out.items.len(), headers));
        }
        out.items.push(ItemError {
            code: error.and_then(|e| string_or_number(e.get("code"))),
            message: error.and_then(|e| scalar(e.get("message"))),
            target: string_or_number(response.get("id")),
            status: Some(status),
            ..ItemError::default()
        });
    }
    batch
}

/// Vendor-wide rules for codes the catalog does not list: the innermost `innerError` code
/// when the catalog documents it (kept in `error_type` by [`parse`]), then the general Graph
/// codes (top-level code first), then HTTP 509 (bandwidth limit).
pub fn fallback(error: &VendorError, status: u16) -> Option<Rule> {
    let message = error.message.as_deref();
    let documented = |code: &str| super::lookup(Vendor::Microsoft365, code, Some(status), message);
    if error.code.as_deref().and_then(documented).is_some() {
        return None; // the catalog row applies, not a fallback
    }
    if let Some(e) = error.error_type.as_deref().and_then(documented) {
        return Some(Rule {
            summary_of: TextOf::Row(
                crate::texts::row_index(Vendor::Microsoft365, e).unwrap_or(u32::MAX),
            ),
            category: e.category,
            action: e.action,
            summary: e.summary,
        });
    }
    let general = [error.code.as_deref(), error.error_type.as_deref()]
        .into_iter()
        .flatten()
        .find_map(|code| {
            GRAPH_CODES
                .iter()
                .find(|(c, _)| c.eq_ignore_ascii_case(code.trim()))
        });
    if let Some(&(_, rule)) = general {
        return Some(rule);
    }
    (status == 509).then_some(BANDWIDTH)
}

/// The `innerError` (or `innererror`) object of a Graph error object.
fn inner_of<'m, 'a>(error: &'m Map<'a>) -> Option<&'m Map<'a>> {
    error
        .get("innerError")
        .or_else(|| error.get("innererror"))
        .and_then(Value::as_object)
}

/// Walks the `innerError` chain (bounded), filling the request id with the first
/// `request-id` met; returns the innermost `code`.
fn walk_inner_errors(error: &Map, request_id: &mut Option<String>) -> Option<String> {
    let mut innermost = None;
    let mut current = inner_of(error);
    let mut depth = 0;
    while let Some(inner) = current {
        if depth >= MAX_DEPTH {
            break;
        }
        depth += 1;
        if request_id.is_none() {
            *request_id = scalar(inner.get("request-id"));
        }
        if let Some(code) = string_or_number(inner.get("code")) {
            innermost = Some(code);
        }
        current = inner_of(inner);
    }
    innermost
}

/// The entity's `id` as an item target.
fn entity_id(entity: &Map) -> Option<String> {
    string_or_number(entity.get("id"))
}

/// An entity carrying a publicError `error` property becomes one item.
fn push_entity_item(entity: &Map, items: &mut Vec<ItemError>) {
    let Some(error) = entity.get("error").and_then(Value::as_object) else {
        return;
    };
    let code = string_or_number(error.get("code"));
    let message = scalar(error.get("message"));
    if items.len() >= MAX_ITEMS || (code.is_none() && message.is_none()) {
        return;
    }
    items.push(ItemError {
        code,
        message,
        target: entity_id(entity).or_else(|| scalar(error.get("target"))),
        ..ItemError::default()
    });
}

/// A delta PATCH `@Core.DataModificationException` becomes one item.
fn push_modification_item(entity: &Map, items: &mut Vec<ItemError>) {
    let Some(exception) = entity
        .get("@Core.DataModificationException")
        .and_then(Value::as_object)
    else {
        return;
    };
    let info = exception.get("info").and_then(Value::as_object);
    let code = info.and_then(|i| string_or_number(i.get("code")));
    let message = info.and_then(|i| scalar(i.get("message")));
    if items.len() >= MAX_ITEMS {
        return;
    }
    items.push(ItemError {
        code,
        message,
        target: entity_id(entity),
        ..ItemError::default()
    });
}

#[cfg(test)]
mod tests;
