// Generated from the Rust crate (src/typegen.rs) by `UPDATE_LAYOUT=1 cargo test --test generated_types`;
// `npm test` fails when src/generated.d.ts is stale. Edit the Rust side, not these unions.

/** The built-in vendors; `generic` covers any other HTTP API. */
export type BuiltInVendor =
  | "atlassian"
  | "veeam"
  | "huawei"
  | "microsoft365"
  | "acronis"
  | "generic";

/** What went wrong. */
export type Category =
  | "invalid_request"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "busy"
  | "invalid_state"
  | "too_large"
  | "quota_exceeded"
  | "rate_limited"
  | "unsupported"
  | "server_error"
  | "timeout"
  | "too_early"
  | "canceled"
  | "network"
  | "unknown"
  | "ok";

/**
 * Whether the server processed the request, as far as the response tells: `no` (it refused
 * it first: a 4xx, throttling, a busy resource, 503, "too early", a request the vendor says
 * it did not receive, a refused connection), `maybe` (a 5xx, a timeout, a connection lost
 * after sending), `yes` (2xx). A request that is not idempotent is re-sent only after `no`.
 */
export type Processed =
  | "no"
  | "maybe"
  | "yes";

/** What the caller should do next. `retryable` is true exactly for `retry` and `wait_and_retry`. */
export type Action =
  | "retry"
  | "wait_and_retry"
  | "reauthenticate"
  | "refresh_and_retry"
  | "fix_request"
  | "split_request"
  | "do_not_retry";

/** How delays are randomised: `full` = [0, d], `equal` = [d/2, d], `decorrelated` = [base, 3×previous], `none` = d. */
export type Jitter =
  | "full"
  | "equal"
  | "decorrelated"
  | "none";

/**
 * What a request that is not idempotent gets after an ambiguous failure (`RetryOptions.nonIdempotent`):
 * `safe-only` re-sends it only when it provably was not processed, `retry` re-sends it anyway.
 */
export type NonIdempotent =
  | "retry"
  | "safe-only";

/**
 * Which schedule a classification gets (`Schedule.kind`): `main` (the options), `busy`
 * (`wait_and_retry`), or `preset` (a vendor's, under the options).
 */
export type ScheduleKind =
  | "main"
  | "busy"
  | "preset";

/**
 * Where a `CircuitBreaker` is (`breaker.state`): `closed` (calls go through), `open` (calls
 * are refused without sending), `half-open` (one probe at a time goes through).
 */
export type BreakerState =
  | "closed"
  | "open"
  | "half-open";

/** Why a `CircuitBreaker` changed state (`onStateChange`'s `reason`). */
export type BreakerChangeReason =
  | "failure-threshold"
  | "open-elapsed"
  | "probes-succeeded"
  | "probe-failed";

/** The code of a `BackupErrorsError`: stable, to switch on (`BackupErrorsError.code`). */
export type ErrorCode =
  | "ERR_INPUT_NOT_OBJECT"
  | "ERR_INVALID_STATUS"
  | "ERR_UNKNOWN_VENDOR"
  | "ERR_INVALID_ARGUMENT"
  | "ERR_INVALID_OPTION"
  | "ERR_FREED"
  | "ERR_SERVER_WAIT"
  | "ERR_CIRCUIT_OPEN"
  | "ERR_PACER_WAIT"
  | "ERR_INTERNAL"
  | "ERR_INVALID_VENDOR_DEFINITION";
