// backup-errors/ky: ky options under which ky's own retry loop follows the policy.
import type { Hooks, RetryOptions as KyRetryPolicy } from "ky";
import type { ExecutorOptions } from "./index.js";

/**
 * Options of {@link kyRetry}: the executors' options (every `RetryOptions` field, `vendor`,
 * `signal`, `budget`, `policy`, `idempotent`, `reauthenticate`, `onRetry`, `onGiveUp`,
 * `shouldRetry`). `signal` aborts the waits of every request made with these options; a
 * request's own `signal` aborts that request and its waits.
 */
export interface KyRetryOptions extends ExecutorOptions {}

/** What {@link kyRetry} returns: ky's `retry` and `hooks` options. */
export interface KyRetryHooks {
  retry: KyRetryPolicy;
  hooks: Hooks;
}

/**
 * ky options that make ky retry exactly when the policy says, after the policy's wait:
 * `ky.extend(kyRetry(options))` or `ky.create({ ...kyRetry(options), prefixUrl })` (with
 * `ky.create`, merge your own `hooks` with these rather than replacing them).
 */
export declare function kyRetry(options?: KyRetryOptions): KyRetryHooks;
