//! Huawei Cloud CSBS / CBR, plus the API Gateway in front of them: body parser and catalog.
//!
//! # Bodies
//!
//! Parsed in the order Huawei's own SDK uses:
//! 1. `{"error_code": "CSBS.6005", "error_msg": "…"}` — CSBS, CBR (`BackupService.xxxx`) and
//!    API Gateway errors; `error_code` may be a number. Gateway errors also carry
//!    `"request_id"`.
//! 2. `{"code": "CSBS.6005", "message": "…"}` at the top level, only when the code looks like
//!    a Huawei service code (see `looks_like_huawei_code`).
//! 3. A nested object, `error` first: `{"error": {"code": "CSBS.6005", "message": "…"}}` (or
//!    `error_code`/`error_msg` inside it), again only with a Huawei-looking code — the same
//!    shape with any other code is left to the generic parser.
//!
//! Operation logs report failures inside a **200** as `error_info{code,message}`: every
//! `error_info` in the top-level object, in objects under it or in arrays under it becomes an
//! item, its target the entry's `id`, `checkpoint_id` or `provider_id` (at most 10,000 items).
//! An `operation_logs` body without failures parses to an error with no items.
//!
//! # Catalog
//!
//! One row per documented (status, code) row of the CSBS error-code page (66 rows, 64 distinct
//! pairs: `CSBS.5001` and `CSBS.8026` carry two meanings at the same status and are told apart
//! by a word of the vendor's message), plus three API Gateway rows written `APIG.` (the gateway
//! also writes `APIGW.`; [`canonical_code`] folds one into the other). The "Measure" column
//! drives the judgement: "try again after the task is complete" is `busy`, "contact technical
//! support" alone is not a retry signal, and several 500 rows describe permanent conditions.

use super::Rule;
use crate::json::{Map, Value};
use crate::model::{Action as A, Category as C, Entry, ItemError, VendorError};
use crate::prelude::*;
use crate::text::{scalar, string_or_number};
use crate::texts::TextOf;
use alloc::borrow::Cow;

/// Every documented code of Huawei CSBS (seed page order), then the API Gateway codes.
#[rustfmt::skip]
pub static CATALOG: &[Entry] = &[
    // ── Shared ──────────────────────────────────────────────────────────────────────────────
    Entry::new(400, "CSBS.0001", C::QuotaExceeded, A::DoNotRetry,
        "The account already has the maximum number of backup policies.",
        "Delete a backup policy you no longer need, then create the new one."),
    Entry::new(400, "CSBS.6000", C::NotFound, A::DoNotRetry,
        "The server does not exist.",
        "Check the server ID; the server may have been deleted."),
    Entry::new(400, "CSBS.6001", C::InvalidState, A::DoNotRetry,
        "The server is stopped.",
        "Check the server's state and start it if the operation needs it running."),
    Entry::new(400, "CSBS.6003", C::Unsupported, A::FixRequest,
        "Only cloud servers can be protected; the resource type is not supported.",
        "Add cloud servers (ECS) to the backup policy instead."),
    Entry::new(400, "CSBS.6005", C::InvalidState, A::DoNotRetry,
        "The server's current state does not allow backup.",
        "Bring the server to a state that allows the operation, then try again."),
    Entry::new(400, "CSBS.6006", C::Unsupported, A::FixRequest,
        "This type of server cannot be backed up.",
        "Choose servers of a supported type."),
    Entry::new(400, "CSBS.6007", C::InvalidState, A::DoNotRetry,
        "The server has no EVS disk attached, so it cannot be backed up.",
        "Attach an EVS disk to the server before backing it up."),
    Entry::new(400, "CSBS.6010", C::InvalidState, A::DoNotRetry,
        "The server has a shared EVS disk attached, so it cannot be backed up.",
        "Detach the shared disk, then run the backup again."),
    Entry::new(400, "CSBS.6013", C::Unsupported, A::FixRequest,
        "Only servers can be restored; the resource type is not supported.",
        "Choose a server as the restore target."),
    Entry::new(400, "CSBS.6014", C::InvalidRequest, A::FixRequest,
        "The given EVS disk is not attached to the server being restored.",
        "Choose a disk that is attached to the target server."),
    Entry::new(400, "CSBS.6015", C::Busy, A::WaitAndRetry,
        "The server is being restored.",
        "Wait for the running restore to finish, then try again."),
    Entry::new(400, "CSBS.9001", C::InvalidRequest, A::FixRequest,
        "A request parameter failed validation.",
        "Correct the parameter values and send the request again."),
    Entry::new(403, "CSBS.9009", C::Forbidden, A::DoNotRetry,
        "The account has not completed real-name authentication.",
        "Complete real-name authentication for the account, then try again."),
    Entry::new(400, "CSBS.9009", C::InvalidRequest, A::FixRequest,
        "The reduced backup or replication space would be smaller than the space in use.",
        "Request a size that stays above the space already used."),
    Entry::new(500, "CSBS.9998", C::ServerError, A::Retry,
        "The service is unavailable.",
        "Retry later with backoff; contact Huawei support if it persists."),
    Entry::new(500, "CSBS.9999", C::ServerError, A::Retry,
        "Internal system error.",
        "Retry later with backoff; contact Huawei support if it persists."),
    Entry::new(400, "CSBS.0002", C::Unsupported, A::DoNotRetry,
        "The server's volumes use different storage types (code not currently used).",
        "Use volumes of a single storage type."),
    Entry::new(400, "BackupService.4003", C::Unsupported, A::DoNotRetry,
        "The data was migrated to CBR; this CSBS API no longer serves it.",
        "Use Cloud Backup and Recovery (CBR) for backups from now on."),
    Entry::new(400, "BackupService.4008", C::Unsupported, A::DoNotRetry,
        "CSBS is open to existing users only.",
        "Use Cloud Backup and Recovery (CBR) instead."),
    // ── Backup management ───────────────────────────────────────────────────────────────────
    Entry::new(500, "CSBS.1001", C::Busy, A::WaitAndRetry,
        "A manual backup task of the policy is running, so this backup cannot start.",
        "Wait for the manual backup to finish, then run the backup again."),
    Entry::new(400, "CSBS.2003", C::Busy, A::WaitAndRetry,
        "The backup is being created, restored or deleted.",
        "Wait for the running task to finish, then try again."),
    Entry::new(400, "CSBS.2004", C::Busy, A::WaitAndRetry,
        "The policy is running a backup.",
        "Wait for the backup to finish, then try again."),
    Entry::new(404, "CSBS.3001", C::NotFound, A::DoNotRetry,
        "The backup does not exist.",
        "Check the backup ID; the backup may have been deleted."),
    Entry::new(500, "CSBS.5001", C::Busy, A::WaitAndRetry,
        "A replication is running.",
        "Wait for the replication to finish, then try again.")
        .when_message_contains("copy executing"),
    Entry::new(400, "CSBS.6027", C::Unsupported, A::DoNotRetry,
        "Backup is not supported in the server's availability zone.",
        "Ask the administrator to reconfigure the availability zone."),
    Entry::new(500, "CSBS.6030", C::Busy, A::WaitAndRetry,
        "An automatic backup task is running, so this backup cannot start.",
        "Wait for the automatic backup to finish, then run the backup again."),
    Entry::new(400, "CSBS.6031", C::Busy, A::WaitAndRetry,
        "A manual replication task is running, so this replication cannot start.",
        "Wait for the manual replication to finish, then run the replication again."),
    Entry::new(500, "CSBS.6032", C::InvalidState, A::DoNotRetry,
        "The policy has no server that can be backed up now.",
        "Bind servers to the policy, or wait until a bound server can be backed up again."),
    Entry::new(400, "CSBS.6033", C::Unsupported, A::DoNotRetry,
        "Servers with dedicated storage (DSS) disks cannot be backed up.",
        "Check whether a DSS disk is attached; leave such servers out of the backup."),
    Entry::new(400, "CSBS.6034", C::Unsupported, A::DoNotRetry,
        "Servers with dedicated enterprise storage (DESS) disks cannot be backed up.",
        "Check whether a DESS disk is attached; leave such servers out of the backup."),
    Entry::new(400, "CSBS.6061", C::Unsupported, A::FixRequest,
        "Some of the server's disks do not support backup or restore.",
        "Deselect the disks that do not support backup, then try again."),
    Entry::new(500, "CSBS.8001", C::Busy, A::WaitAndRetry,
        "The backup's current status does not allow registering it as an image.",
        "Retry once the backup is available; contact Huawei support if it persists."),
    Entry::new(400, "CSBS.8007", C::InvalidState, A::DoNotRetry,
        "An image was created from this backup, so the backup cannot be deleted.",
        "Delete the image created from the backup first, then the backup."),
    Entry::new(500, "CSBS.8008", C::InvalidState, A::DoNotRetry,
        "The backup's current status does not allow querying it.",
        "Check that the backup still exists and what state it is in."),
    Entry::new(500, "CSBS.8009", C::Unsupported, A::DoNotRetry,
        "The backup holds no system disk, so no image can be created from it.",
        "Create the image from a backup that includes the system disk."),
    Entry::new(500, "CSBS.8012", C::Unsupported, A::DoNotRetry,
        "A replica cannot be replicated again (destination region not supported).",
        "Check whether the backup is a replica; replicate the original backup."),
    Entry::new(500, "CSBS.8014", C::Busy, A::WaitAndRetry,
        "The policy is replicating to another region.",
        "Wait for the replication to finish, then try again."),
    Entry::new(500, "CSBS.8015", C::Conflict, A::DoNotRetry,
        "The backup is being or has been replicated to the destination region.",
        "Nothing to do: check the replication record for the destination region."),
    Entry::new(400, "CSBS.8017", C::Forbidden, A::DoNotRetry,
        "No permission to replicate the server's backup to this project.",
        "Check the permissions on the destination project."),
    Entry::new(400, "CSBS.8021", C::InvalidState, A::DoNotRetry,
        "The backup is not available, so it cannot be replicated.",
        "Check the backup's status; only available backups can be replicated."),
    Entry::new(500, "CSBS.8022", C::Unsupported, A::DoNotRetry,
        "This type of backup (a replica) cannot be replicated.",
        "Check whether the backup is a replica; replicate the original backup."),
    Entry::new(500, "CSBS.8023", C::Unsupported, A::DoNotRetry,
        "Only ECS backups can be replicated.",
        "Check that the backup is an ECS backup."),
    Entry::new(500, "CSBS.8024", C::Unsupported, A::DoNotRetry,
        "The backed-up server has no system disk, so the backup cannot be replicated.",
        "Check that the server being backed up has a system disk."),
    Entry::new(500, "CSBS.8025", C::InvalidState, A::DoNotRetry,
        "It cannot be determined whether the backup already exists in the destination region.",
        "Check by hand whether the backup was already replicated to that region."),
    Entry::new(500, "CSBS.8026", C::QuotaExceeded, A::DoNotRetry,
        "The dedicated backup capacity is used up.",
        "Check the dedicated backup capacity; free or add capacity first.")
        .when_message_contains("dec used capacity"),
    Entry::new(500, "CSBS.8026", C::Unsupported, A::DoNotRetry,
        "Volume (VBS) backups cannot be replicated across regions.",
        "Check whether the backup is an EVS disk backup; replicate server backups only.")
        .when_message_contains("volume backup"),
    Entry::new(400, "CSBS.9006", C::QuotaExceeded, A::DoNotRetry,
        "The backup quota is used up.",
        "Ask the administrator to raise the quota, or delete backups you no longer need."),
    Entry::new(500, "CSBS.1002", C::Busy, A::WaitAndRetry,
        "The server is being backed up (code not currently used).",
        "Wait for the backup task to finish, then try again."),
    Entry::new(500, "CSBS.2001", C::Busy, A::WaitAndRetry,
        "A task of this backup policy is running (code not currently used).",
        "Wait for the running task to finish, then try again."),
    // ── Backup policy management ────────────────────────────────────────────────────────────
    Entry::new(404, "CSBS.3000", C::NotFound, A::DoNotRetry,
        "The backup policy does not exist.",
        "Check the policy ID; the policy may have been deleted."),
    Entry::new(500, "CSBS.5001", C::InvalidState, A::DoNotRetry,
        "The policy could not be stopped.",
        "Check the backup policy's status before trying to stop it again.")
        .when_message_contains("scheduel operation"),
    Entry::new(400, "CSBS.6004", C::Conflict, A::DoNotRetry,
        "The server is already bound to a backup policy.",
        "Check which policy the server is bound to; a server can join only one."),
    Entry::new(400, "CSBS.9007", C::Conflict, A::FixRequest,
        "A backup policy with this name already exists.",
        "Choose another name and try again."),
    // ── Replication management ──────────────────────────────────────────────────────────────
    Entry::new(500, "CSBS.6028", C::ServerError, A::Retry,
        "Quota information could not be fetched (backup or replication space update failed).",
        "Retry with backoff; check the network path, contact Huawei support if it persists."),
    // ── Restoration management ──────────────────────────────────────────────────────────────
    Entry::new(400, "CSBS.4000", C::Busy, A::WaitAndRetry,
        "The backup's current status does not allow restoring it.",
        "Retry once the backup is available; contact Huawei support if it persists."),
    Entry::new(400, "CSBS.6016", C::Unsupported, A::FixRequest,
        "This type of server cannot be restored.",
        "Choose a server of a supported type."),
    Entry::new(400, "CSBS.6017", C::InvalidRequest, A::FixRequest,
        "The given disk backup is not part of the given backup.",
        "Choose disk backups that belong to the backup being restored."),
    Entry::new(400, "CSBS.6018", C::Unsupported, A::FixRequest,
        "Restoring only some disks of a backup is not supported.",
        "Restore all disk backups of the backup together."),
    Entry::new(500, "CSBS.6019", C::InvalidRequest, A::DoNotRetry,
        "The target server's type differs from the source server's.",
        "Restore to a target server of the same type as the source server."),
    Entry::new(400, "CSBS.6020", C::InvalidState, A::DoNotRetry,
        "The server has no EVS disk attached, so it cannot be restored.",
        "Attach an EVS disk to the server before restoring to it."),
    Entry::new(400, "CSBS.6021", C::Unsupported, A::FixRequest,
        "A backup cannot be restored to a shared EVS disk.",
        "Restore to a non-shared disk of the server."),
    Entry::new(500, "CSBS.6023", C::InvalidRequest, A::DoNotRetry,
        "A data-disk backup cannot be restored to a system disk.",
        "Restore the backup to a data disk of the server."),
    Entry::new(400, "CSBS.6024", C::InvalidState, A::DoNotRetry,
        "The target disk is smaller than the backed-up disk.",
        "Expand the target disk, or restore to a disk at least as large as the backup."),
    Entry::new(400, "CSBS.6025", C::Unsupported, A::DoNotRetry,
        "Restoring between the backup's AZ and the server's AZ is not supported.",
        "Ask the administrator to reconfigure the availability zones."),
    Entry::new(400, "CSBS.9008", C::InvalidState, A::DoNotRetry,
        "Only backups in the Available state can be used to create servers.",
        "Check that the backup is available before creating a server from it."),
    // ── Task management ─────────────────────────────────────────────────────────────────────
    Entry::new(404, "CSBS.6040", C::NotFound, A::DoNotRetry,
        "The backup job to delete does not exist.",
        "Check the job ID; the job may already be gone."),
    // ── API Gateway (docs/vendors.md; also written APIGW.) ──────────────────────────────────
    Entry::new(429, "APIG.0308", C::RateLimited, A::Retry,
        "The API Gateway throttling threshold was reached.",
        "Retry after a short delay (2-5 s), or send the requests one at a time."),
    Entry::new(401, "APIG.0301", C::Unauthenticated, A::DoNotRetry,
        "API Gateway authentication failed.",
        "Fix the credentials before retrying: 5 failures in a row lock the key for 5 minutes."),
    Entry::new(500, "APIG.9999", C::ServerError, A::Retry,
        "API Gateway system error.",
        "Retry with backoff."),
];

/// The most per-item errors one body yields.
const MAX_ITEMS: usize = 10_000;

/// Parses a Huawei error body (see the module docs); `None` when the body is not Huawei's.
pub fn parse(json: &Value) -> Option<VendorError> {
    let top = json.as_object()?;
    let mut error = VendorError::default();
    let mut found = false;

    // 1. `error_code` / `error_msg` at the top (CSBS, CBR, API Gateway).
    if top.contains_key("error_code") || top.contains_key("error_msg") {
        error.code = string_or_number(top.get("error_code"));
        error.message = scalar(top.get("error_msg")).or_else(|| scalar(top.get("message")));
        found = error.code.is_some() || error.message.is_some();
    }
    // 2. `code` / `message` at the top, with a Huawei service code.
    if !found {
        if let Some(code) = string_or_number(top.get("code")).filter(|c| looks_like_huawei_code(c))
        {
            error.code = Some(code);
            error.message = scalar(top.get("message"));
            found = true;
        }
    }
    // 3. A nested object, `error` first.
    let mut nested_request_id = None;
    if !found {
        let others = top
            .iter()
            .filter(|(key, _)| *key != "error")
            .map(|(_, value)| value);
        let candidates = top.get("error").into_iter().chain(others);
        if let Some((inner, code, message)) = candidates
            .filter_map(Value::as_object)
            .find_map(|inner| nested_error(inner).map(|(c, m)| (inner, c, m)))
        {
            error.code = Some(code);
            error.message = message;
            nested_request_id = scalar(inner.get("request_id"));
            found = true;
        }
    }
    error.request_id = scalar(top.get("request_id")).or(nested_request_id);

    // Operation logs: failures reported as `error_info` inside a 200.
    collect_error_info(top, &mut error.items);
    let operation_log = top.contains_key("operation_logs") || top.contains_key("operation_log");
    (found || operation_log || !error.items.is_empty()).then_some(error)
}

/// Vendor-wide rules for codes the catalog does not list: undocumented API Gateway codes at
/// 429 are throttling and at 5xx are gateway failures; everything else follows HTTP rules.
pub fn fallback(error: &VendorError, status: u16) -> Option<Rule> {
    let code = canonical_code(error.code.as_deref()?.trim());
    let gateway = code
        .get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("APIG."));
    if !gateway {
        return None;
    }
    match status {
        429 => Some(GATEWAY_THROTTLING),
        500..=599 => Some(GATEWAY_FAILED),
        _ => None,
    }
}

const GATEWAY_THROTTLING: Rule = Rule {
    summary_of: TextOf::Rule("huawei.apig.429"),
    category: C::RateLimited,
    action: A::Retry,
    summary: "The API Gateway is throttling requests; retry after a short delay.",
};
const GATEWAY_FAILED: Rule = Rule {
    summary_of: TextOf::Rule("huawei.apig.5xx"),
    category: C::ServerError,
    action: A::Retry,
    summary: "The API Gateway failed to handle the request.",
};

/// The rules of [`fallback`], for the list of texts.
pub const RULES: &[Rule] = &[GATEWAY_THROTTLING, GATEWAY_FAILED];

/// The code in catalog form: an `APIGW.` prefix (any letter case) written as `APIG.`.
pub fn canonical_code(code: &str) -> Cow<'_, str> {
    match (code.get(..6), code.get(6..)) {
        (Some(prefix), Some(rest)) if prefix.eq_ignore_ascii_case("APIGW.") => {
            Cow::Owned(crate::cat!("APIG.", rest))
        }
        _ => Cow::Borrowed(code),
    }
}

/// True for a Huawei service code: letters, one dot, digits (`CSBS.6005`, `APIGW.0308`,
/// `BackupService.4003`, `Ecs.0001`).
pub(crate) fn looks_like_huawei_code(code: &str) -> bool {
    let Some((service, number)) = code.split_once('.') else {
        return false;
    };
    code.len() <= 64
        && !service.is_empty()
        && service.bytes().all(|b| b.is_ascii_alphabetic())
        && !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// Code and message of a nested error object, when its code looks like Huawei's.
fn nested_error(inner: &Map) -> Option<(String, Option<String>)> {
    let pairs = [("error_code", "error_msg"), ("code", "message")];
    pairs.iter().find_map(|(code_key, message_key)| {
        let code = string_or_number(inner.get(code_key)).filter(|c| looks_like_huawei_code(c))?;
        Some((code, scalar(inner.get(message_key))))
    })
}

/// Every `error_info` of an operation-log body: at the top, in objects under it and in
/// arrays under it.
fn collect_error_info(top: &Map, items: &mut Vec<ItemError>) {
    push_error_info(top, items);
    for value in top.values() {
        match value {
            Value::Object(entry) => push_error_info(entry, items),
            Value::Array(list) => {
                for entry in list.iter().filter_map(Value::as_object) {
                    if items.len() >= MAX_ITEMS {
                        return;
                    }
                    push_error_info(entry, items);
                }
            }
            _ => {}
        }
    }
}

fn push_error_info(entry: &Map, items: &mut Vec<ItemError>) {
    if items.len() >= MAX_ITEMS {
        return;
    }
    let Some(info) = entry.get("error_info").and_then(Value::as_object) else {
        return;
    };
    let code = string_or_number(info.get("code"));
    let message = scalar(info.get("message"));
    if code.is_none() && message.is_none() {
        return; // successful operations carry an empty `error_info`
    }
    let target = ["id", "checkpoint_id", "provider_id"]
        .iter()
        .find_map(|key| string_or_number(entry.get(key)));
    items.push(ItemError {
        code,
        message,
        target,
        ..ItemError::default()
    });
}

#[cfg(test)]
mod tests;
