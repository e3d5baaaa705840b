//! The sentences of the decisions, as data: one [`Message`] per sentence a decision can give,
//! each with a stable id (`RetryDecision.reasonId`), the rule it states, and its English text
//! in ICU MessageFormat over the decision's params. A reason records a message and its
//! params; its text is made from them when it is read ([`super::Reason::text`] here,
//! `pkg-template/format.js` in JavaScript, from the table `tests/layout.rs` generates).
//!
//! The texts use a small part of ICU MessageFormat, which both renderers implement and
//! `intl-messageformat` agrees with (tests/package/messages.test.mjs): `{param}`, and
//! `{param, select, key {…} other {…}}`. No apostrophe quoting: no text has `'{`, `'}` or `''`.

use super::Rule;

/// A status as the rules name it: `HTTP 503`, or `no response` for 0.
macro_rules! status {
    () => {
        "{status, select, 0 {no response} other {HTTP {status}}}"
    };
}

/// The delays' jitter, by its option name (`params.jitter`: `full`, `equal`, …).
macro_rules! jitter {
    () => {
        "{jitter, select, full {full jitter} equal {equal jitter} decorrelated {decorrelated \
         jitter} other {no jitter}}"
    };
}

/// Where the delays come from (`params.source`): `backoff`, the exponential backoff of the
/// options, or the vendor whose documented schedule (a preset) applies.
macro_rules! source {
    () => {
        "{source, select, acronis {Acronis preset: 5xx is retried twice, 1-2 s apart} huawei \
         {Huawei preset: API Gateway throttling is retried after 2-5 s} other {exponential \
         backoff}}"
    };
}

/// The schedule whose attempts are counted (`params.schedule`: `main`, `busy`, `preset`).
macro_rules! schedule {
    () => {
        "{schedule, select, busy {busy schedule} preset {vendor preset} other {maxAttempts}}"
    };
}

/// The note a decision adds when an earlier attempt ended ambiguously and this one is final.
macro_rules! ambiguous {
    () => {
        " An earlier attempt ended ambiguously: it probably went through."
    };
}

/// The note a retry of a non-idempotent request carries under `nonIdempotent: "retry"`.
macro_rules! warning {
    () => {
        " Warning: {method} is not idempotent and the first attempt may have been processed; \
         the retry may run it twice (nonIdempotent is \"retry\")."
    };
}

macro_rules! vendor_permanent {
    () => {
        concat!(
            " as permanent ({category}): {summary} Retrying cannot help; trustVendorCodes: \
             false applies the plain HTTP rules."
        )
    };
}

macro_rules! not_retryable {
    () => {
        concat!(
            "not-retryable: ",
            status!(),
            " is {category} (action {action}): sending it again as it is cannot succeed."
        )
    };
}

macro_rules! server_wait {
    () => {
        concat!(
            "server-wait: ",
            status!(),
            "; the server asked to wait {serverWaitMs} ms: waiting exactly that before attempt \
             {nextAttempt} of {maxAttempts}."
        )
    };
}

macro_rules! server_wait_backoff {
    () => {
        concat!(
            "server-wait: ",
            status!(),
            "; the server asked to wait {serverWaitMs} ms, our backoff (",
            source!(),
            ", ",
            jitter!(),
            ") is longer: waiting {delayMs} ms before attempt {nextAttempt} of {maxAttempts}."
        )
    };
}

macro_rules! busy_schedule {
    () => {
        concat!(
            "busy-schedule: ",
            status!(),
            ": an operation is already running on the resource; waiting {delayMs} ms (",
            jitter!(),
            ") for it to finish before attempt {nextAttempt} of {maxAttempts}."
        )
    };
}

macro_rules! backoff_5xx {
    () => {
        concat!(
            "5xx-backoff: ",
            status!(),
            " is a server failure; retrying after {delayMs} ms (",
            source!(),
            ", ",
            jitter!(),
            "), attempt {nextAttempt} of {maxAttempts}."
        )
    };
}

macro_rules! backoff {
    () => {
        concat!(
            "backoff: ",
            status!(),
            " ({category}) is transient; retrying after {delayMs} ms (",
            source!(),
            ", ",
            jitter!(),
            "), attempt {nextAttempt} of {maxAttempts}."
        )
    };
}

macro_rules! messages {
    ($( $(#[$doc:meta])* $name:ident = $id:literal, $rule:expr, $text:expr; )*) => {
        /// A sentence a decision can give (see the module docs).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Message {
            $( $(#[$doc])* $name, )*
        }

        impl Message {
            /// Every message, in the order of their indexes on the wire.
            pub const ALL: &'static [Message] = &[$( Message::$name, )*];

            /// Its stable id (`RetryDecision.reasonId`).
            pub const fn id(self) -> &'static str {
                match self { $( Message::$name => $id, )* }
            }

            /// The rule it states; `None` for a refusal, which states the rule of the
            /// reason it adds to (`policyReason`).
            pub const fn rule(self) -> Option<Rule> {
                match self { $( Message::$name => $rule, )* }
            }

            /// Its English text, in ICU MessageFormat.
            pub const fn en(self) -> &'static str {
                match self { $( Message::$name => $text, )* }
            }
        }
    };
}

messages! {
    /// A 2xx.
    Ok = "rule.ok", Some(Rule::Ok), concat!("ok: ", status!(), " succeeded; nothing to retry.");
    /// A 2xx with failed items.
    OkItems = "rule.ok.items", Some(Rule::Ok), concat!(
        "ok: ", status!(), " succeeded but {failedItems} item(s) failed; retrying the whole \
         request is not the fix, handle the items.");
    /// A 409.
    Never409 = "rule.409-never", Some(Rule::Never409),
        "409-never: a conflict is never retried: sending the same request again gives the same \
         conflict.";
    /// A 409 after an ambiguous failure.
    Never409Ambiguous = "rule.409-never.ambiguous", Some(Rule::Never409),
        "409-never: a conflict is never retried: sending the same request again gives the same \
         conflict. An earlier attempt ended in a 5xx, timeout or lost connection: it probably \
         went through; read the resource's current state.";
    /// Credentials rejected: the executor refreshes them.
    Reauthenticate = "rule.reauthenticate", Some(Rule::Reauthenticate), concat!(
        "reauthenticate: ", status!(), " means the credentials were rejected; the executor \
         refreshes them (its `reauthenticate` hook) and sends the request once more.");
    /// Credentials rejected and no hook to refresh them.
    ReauthenticateNoHook = "rule.reauthenticate.no-hook", Some(Rule::Reauthenticate),
        "reauthenticate: {summary} (no reauthenticate hook was given, so the call stops)";
    /// Credentials rejected again after a refresh.
    ReauthenticateAgain = "rule.reauthenticate.again", Some(Rule::Reauthenticate),
        "reauthenticate: the credentials were rejected again after refreshing them once; \
         stopping";
    /// A 5xx the vendor documents as permanent.
    VendorPermanent = "rule.vendor-permanent", Some(Rule::VendorPermanent), concat!(
        "vendor-permanent: {vendor} documents ", status!(), vendor_permanent!());
    /// The same, with its code.
    VendorPermanentCode = "rule.vendor-permanent.code", Some(Rule::VendorPermanent), concat!(
        "vendor-permanent: {vendor} documents code {code} on ", status!(), vendor_permanent!());
    /// A permanent conflict after an ambiguous failure.
    VendorPermanentAmbiguous = "rule.vendor-permanent.ambiguous", Some(Rule::VendorPermanent),
        concat!("vendor-permanent: {vendor} documents ", status!(), vendor_permanent!(),
            ambiguous!());
    /// The same, with its code.
    VendorPermanentCodeAmbiguous = "rule.vendor-permanent.code.ambiguous",
        Some(Rule::VendorPermanent), concat!("vendor-permanent: {vendor} documents code {code} \
        on ", status!(), vendor_permanent!(), ambiguous!());
    /// An action that is not a retry.
    NotRetryable = "rule.not-retryable", Some(Rule::NotRetryable), not_retryable!();
    /// A conflict that is not a retry, after an ambiguous failure.
    NotRetryableAmbiguous = "rule.not-retryable.ambiguous", Some(Rule::NotRetryable),
        concat!(not_retryable!(), ambiguous!());
    /// Busy after an ambiguous failure of a non-idempotent request.
    BusyAfterAmbiguous = "rule.busy-after-ambiguous", Some(Rule::BusyAfterAmbiguous), concat!(
        "busy-after-ambiguous: {method} got ", status!(), " ({category}: an operation is \
         already running) after an earlier attempt ended ambiguously: that attempt probably \
         started it. Not sent again; read the job's state instead.");
    /// A non-idempotent request that may have been processed.
    NonIdempotent = "rule.non-idempotent", Some(Rule::NonIdempotent), concat!(
        "non-idempotent: {method} ended in ", status!(), " ({category}); the server may have \
         processed it, and sending it again could run it twice (RFC 9110 §9.2.2). Read the \
         resource's state before sending it again; an Idempotency-Key header (or idempotent: \
         true) or nonIdempotent: \"retry\" allows retries.");
    /// The attempts are used up.
    MaxAttempts = "rule.max-attempts", Some(Rule::MaxAttempts), concat!(
        "max-attempts: attempt {attempt} of {maxAttempts} (", schedule!(), ") ended in ",
        status!(), "; no attempts left.");
    /// Credentials rejected on the last attempt.
    MaxAttemptsReauthenticate = "rule.max-attempts.reauthenticate", Some(Rule::MaxAttempts),
        "max-attempts: the credentials were rejected on the last allowed attempt ({attempt})";
    /// The caller asked for a retry after the last attempt.
    MaxAttemptsCallerRetry = "rule.max-attempts.caller-retry", Some(Rule::MaxAttempts),
        concat!("max-attempts: shouldRetry returned true, but attempt {attempt} of {maxAttempts} (",
        schedule!(), ") was the last. The policy had said: {policyReason}");
    /// The server's wait is too long.
    ServerWaitTooLong = "rule.server-wait-too-long", Some(Rule::ServerWaitTooLong),
        "server-wait-too-long: the server asked to wait {serverWaitMs} ms, more than \
         maxRetryAfterMs ({maxRetryAfterMs} ms); the wait is not shortened. Come back after \
         {serverWaitMs} ms or raise maxRetryAfterMs.";
    /// The server's wait, honoured exactly.
    ServerWait = "rule.server-wait", Some(Rule::ServerWait), server_wait!();
    /// The same, retrying a non-idempotent request.
    ServerWaitWarning = "rule.server-wait.warning", Some(Rule::ServerWait),
        concat!(server_wait!(), warning!());
    /// The server's wait, our longer backoff used.
    ServerWaitBackoff = "rule.server-wait.backoff", Some(Rule::ServerWait),
        server_wait_backoff!();
    /// The same, retrying a non-idempotent request.
    ServerWaitBackoffWarning = "rule.server-wait.backoff.warning", Some(Rule::ServerWait),
        concat!(server_wait_backoff!(), warning!());
    /// The busy schedule.
    BusySchedule = "rule.busy-schedule", Some(Rule::BusySchedule), busy_schedule!();
    /// The same, retrying a non-idempotent request.
    BusyScheduleWarning = "rule.busy-schedule.warning", Some(Rule::BusySchedule),
        concat!(busy_schedule!(), warning!());
    /// Backoff after a 5xx.
    Backoff5xx = "rule.5xx-backoff", Some(Rule::Backoff5xx), backoff_5xx!();
    /// The same, retrying a non-idempotent request.
    Backoff5xxWarning = "rule.5xx-backoff.warning", Some(Rule::Backoff5xx),
        concat!(backoff_5xx!(), warning!());
    /// Backoff after another transient failure.
    Backoff = "rule.backoff", Some(Rule::Backoff), backoff!();
    /// The same, retrying a non-idempotent request.
    BackoffWarning = "rule.backoff.warning", Some(Rule::Backoff),
        concat!(backoff!(), warning!());
    /// The wait would pass the deadline.
    Deadline = "rule.deadline", Some(Rule::Deadline), concat!(
        "deadline: waiting {delayMs} ms after {elapsedMs} ms would pass the {deadlineMs} ms \
         deadline (deadlineMs); ", status!(), " is not retried.");
    /// The deadline passed during the attempt.
    DeadlineAborted = "rule.deadline.aborted", Some(Rule::Deadline),
        "deadline: the {deadlineMs} ms deadline (deadlineMs) passed during attempt {attempt}, \
         which was aborted; not retried.";
    /// The retry budget is spent.
    Budget = "rule.budget", Some(Rule::Budget),
        "budget: the client's retry budget is spent ({tokensLeft} of {capacity} tokens left, \
         this retry costs {cost}); too many recent retries failed. Was: {policyReason}";
    /// The caller vetoed a retry.
    CallerVeto = "rule.caller-veto", Some(Rule::CallerVeto),
        "caller-veto: shouldRetry returned false; the policy would have retried \
         ({policyReason})";
    /// The caller asked for a retry, within the bounds.
    CallerRetry = "rule.caller-retry", Some(Rule::CallerRetry),
        "caller-retry: shouldRetry returned true; retrying after {delayMs} ms, attempt \
         {nextAttempt} of {maxAttempts}. The policy had said: {policyReason}";
    /// A body that cannot be sent again.
    StreamBody = "rule.stream-body", Some(Rule::StreamBody),
        "stream-body: a ReadableStream body cannot be replayed, so the request is not sent \
         again (the policy would have retried: {policyReason})";
    /// ky ends the call itself.
    ClientFinal = "rule.client-final", Some(Rule::ClientFinal),
        "client-final: ky sends no retry for this response (a 413 without a Retry-After \
         header, or throwHttpErrors: false); the policy said: {policyReason}";
    /// The caller asked for a retry of a 2xx or a 409.
    RefusedNeverSentAgain = "refusal.never-sent-again", None,
        "{policyReason} shouldRetry returned true, but a {status, select, 409 {409} other \
         {2xx}} is never sent again.";
    /// The caller asked for a retry the deadline does not leave room for.
    RefusedDeadline = "refusal.deadline", None,
        "{policyReason} shouldRetry returned true, but {refusal}";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_texts_state_their_rule_within_the_subset() {
        let mut ids: alloc::vec::Vec<_> = Message::ALL.iter().map(|m| m.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), Message::ALL.len());
        for m in Message::ALL {
            let text = m.en();
            if let Some(rule) = m.rule() {
                assert!(text.starts_with(rule.name()), "{}", m.id());
                assert!(m.id().starts_with(&alloc::format!("rule.{}", rule.name())));
            } else {
                assert!(text.starts_with('{'), "{}", m.id());
            }
            for quoted in ["'{", "'}", "''"] {
                assert!(!text.contains(quoted), "{}: {quoted}", m.id());
            }
            let open = text.matches('{').count();
            assert_eq!(open, text.matches('}').count(), "{}", m.id());
        }
    }
}
