// Generated from the Rust crate (src/reason/messages.rs) by `UPDATE_LAYOUT=1 cargo test --test layout`;
// `npm test` fails when this file is stale. Edit the Rust side, not this file.

/**
 * The sentences of the decisions by their index on the wire: each its id
 * (`RetryDecision.reasonId`) and its English text in ICU MessageFormat over the
 * decision's `params`.
 */
export const MESSAGES = Object.freeze([
  ["rule.ok", "ok: {status, select, 0 {no response} other {HTTP {status}}} succeeded; nothing to retry."],
  ["rule.ok.items", "ok: {status, select, 0 {no response} other {HTTP {status}}} succeeded but {failedItems} item(s) failed; retrying the whole request is not the fix, handle the items."],
  ["rule.409-never", "409-never: a conflict is never retried: sending the same request again gives the same conflict."],
  ["rule.409-never.ambiguous", "409-never: a conflict is never retried: sending the same request again gives the same conflict. An earlier attempt ended in a 5xx, timeout or lost connection: it probably went through; read the resource's current state."],
  ["rule.reauthenticate", "reauthenticate: {status, select, 0 {no response} other {HTTP {status}}} means the credentials were rejected; the executor refreshes them (its `reauthenticate` hook) and sends the request once more."],
  ["rule.reauthenticate.no-hook", "reauthenticate: {summary} (no reauthenticate hook was given, so the call stops)"],
  ["rule.reauthenticate.again", "reauthenticate: the credentials were rejected again after refreshing them once; stopping"],
  ["rule.vendor-permanent", "vendor-permanent: {vendor} documents {status, select, 0 {no response} other {HTTP {status}}} as permanent ({category}): {summary} Retrying cannot help; trustVendorCodes: false applies the plain HTTP rules."],
  ["rule.vendor-permanent.code", "vendor-permanent: {vendor} documents code {code} on {status, select, 0 {no response} other {HTTP {status}}} as permanent ({category}): {summary} Retrying cannot help; trustVendorCodes: false applies the plain HTTP rules."],
  ["rule.vendor-permanent.ambiguous", "vendor-permanent: {vendor} documents {status, select, 0 {no response} other {HTTP {status}}} as permanent ({category}): {summary} Retrying cannot help; trustVendorCodes: false applies the plain HTTP rules. An earlier attempt ended ambiguously: it probably went through."],
  ["rule.vendor-permanent.code.ambiguous", "vendor-permanent: {vendor} documents code {code} on {status, select, 0 {no response} other {HTTP {status}}} as permanent ({category}): {summary} Retrying cannot help; trustVendorCodes: false applies the plain HTTP rules. An earlier attempt ended ambiguously: it probably went through."],
  ["rule.not-retryable", "not-retryable: {status, select, 0 {no response} other {HTTP {status}}} is {category} (action {action}): sending it again as it is cannot succeed."],
  ["rule.not-retryable.ambiguous", "not-retryable: {status, select, 0 {no response} other {HTTP {status}}} is {category} (action {action}): sending it again as it is cannot succeed. An earlier attempt ended ambiguously: it probably went through."],
  ["rule.busy-after-ambiguous", "busy-after-ambiguous: {method} got {status, select, 0 {no response} other {HTTP {status}}} ({category}: an operation is already running) after an earlier attempt ended ambiguously: that attempt probably started it. Not sent again; read the job's state instead."],
  ["rule.non-idempotent", "non-idempotent: {method} ended in {status, select, 0 {no response} other {HTTP {status}}} ({category}); the server may have processed it, and sending it again could run it twice (RFC 9110 §9.2.2). Read the resource's state before sending it again; an Idempotency-Key header (or idempotent: true) or nonIdempotent: \"retry\" allows retries."],
  ["rule.max-attempts", "max-attempts: attempt {attempt} of {maxAttempts} ({schedule}) ended in {status, select, 0 {no response} other {HTTP {status}}}; no attempts left."],
  ["rule.max-attempts.reauthenticate", "max-attempts: the credentials were rejected on the last allowed attempt ({attempt})"],
  ["rule.max-attempts.caller-retry", "max-attempts: shouldRetry returned true, but attempt {attempt} of {maxAttempts} ({schedule}) was the last. The policy had said: {policyReason}"],
  ["rule.server-wait-too-long", "server-wait-too-long: the server asked to wait {serverWaitMs} ms, more than maxRetryAfterMs ({maxRetryAfterMs} ms); the wait is not shortened. Come back after {serverWaitMs} ms or raise maxRetryAfterMs."],
  ["rule.server-wait", "server-wait: {status, select, 0 {no response} other {HTTP {status}}}; the server asked to wait {serverWaitMs} ms: waiting exactly that before attempt {nextAttempt} of {maxAttempts}."],
  ["rule.server-wait.warning", "server-wait: {status, select, 0 {no response} other {HTTP {status}}}; the server asked to wait {serverWaitMs} ms: waiting exactly that before attempt {nextAttempt} of {maxAttempts}. Warning: {method} is not idempotent and the first attempt may have been processed; the retry may run it twice (nonIdempotent is \"retry\")."],
  ["rule.server-wait.backoff", "server-wait: {status, select, 0 {no response} other {HTTP {status}}}; the server asked to wait {serverWaitMs} ms, our backoff ({source}, {jitter}) is longer: waiting {delayMs} ms before attempt {nextAttempt} of {maxAttempts}."],
  ["rule.server-wait.backoff.warning", "server-wait: {status, select, 0 {no response} other {HTTP {status}}}; the server asked to wait {serverWaitMs} ms, our backoff ({source}, {jitter}) is longer: waiting {delayMs} ms before attempt {nextAttempt} of {maxAttempts}. Warning: {method} is not idempotent and the first attempt may have been processed; the retry may run it twice (nonIdempotent is \"retry\")."],
  ["rule.busy-schedule", "busy-schedule: {status, select, 0 {no response} other {HTTP {status}}}: an operation is already running on the resource; waiting {delayMs} ms ({jitter}) for it to finish before attempt {nextAttempt} of {maxAttempts}."],
  ["rule.busy-schedule.warning", "busy-schedule: {status, select, 0 {no response} other {HTTP {status}}}: an operation is already running on the resource; waiting {delayMs} ms ({jitter}) for it to finish before attempt {nextAttempt} of {maxAttempts}. Warning: {method} is not idempotent and the first attempt may have been processed; the retry may run it twice (nonIdempotent is \"retry\")."],
  ["rule.5xx-backoff", "5xx-backoff: {status, select, 0 {no response} other {HTTP {status}}} is a server failure; retrying after {delayMs} ms ({source}, {jitter}), attempt {nextAttempt} of {maxAttempts}."],
  ["rule.5xx-backoff.warning", "5xx-backoff: {status, select, 0 {no response} other {HTTP {status}}} is a server failure; retrying after {delayMs} ms ({source}, {jitter}), attempt {nextAttempt} of {maxAttempts}. Warning: {method} is not idempotent and the first attempt may have been processed; the retry may run it twice (nonIdempotent is \"retry\")."],
  ["rule.backoff", "backoff: {status, select, 0 {no response} other {HTTP {status}}} ({category}) is transient; retrying after {delayMs} ms ({source}, {jitter}), attempt {nextAttempt} of {maxAttempts}."],
  ["rule.backoff.warning", "backoff: {status, select, 0 {no response} other {HTTP {status}}} ({category}) is transient; retrying after {delayMs} ms ({source}, {jitter}), attempt {nextAttempt} of {maxAttempts}. Warning: {method} is not idempotent and the first attempt may have been processed; the retry may run it twice (nonIdempotent is \"retry\")."],
  ["rule.deadline", "deadline: waiting {delayMs} ms after {elapsedMs} ms would pass the {deadlineMs} ms deadline (deadlineMs); {status, select, 0 {no response} other {HTTP {status}}} is not retried."],
  ["rule.deadline.aborted", "deadline: the {deadlineMs} ms deadline (deadlineMs) passed during attempt {attempt}, which was aborted; not retried."],
  ["rule.budget", "budget: the client's retry budget is spent ({tokensLeft} of {capacity} tokens left, this retry costs {cost}); too many recent retries failed. Was: {policyReason}"],
  ["rule.caller-veto", "caller-veto: shouldRetry returned false; the policy would have retried ({policyReason})"],
  ["rule.caller-retry", "caller-retry: shouldRetry returned true; retrying after {delayMs} ms, attempt {nextAttempt} of {maxAttempts}. The policy had said: {policyReason}"],
  ["rule.stream-body", "stream-body: a ReadableStream body cannot be replayed, so the request is not sent again (the policy would have retried: {policyReason})"],
  ["rule.client-final", "client-final: ky sends no retry for this response (a 413 without a Retry-After header, or throwHttpErrors: false); the policy said: {policyReason}"],
  ["refusal.never-sent-again", "{policyReason} shouldRetry returned true, but a {status, select, 409 {409} other {2xx}} is never sent again."],
  ["refusal.deadline", "{policyReason} shouldRetry returned true, but {refusal}"],
]);
