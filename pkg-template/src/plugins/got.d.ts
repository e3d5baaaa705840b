// backup-errors/got: got options under which got's own retry loop follows the policy.
import type { Hooks, RetryOptions as GotRetryPolicy } from "got";
import type { ExecutorOptions } from "./index.js";

/**
 * Options of {@link gotRetry}: the executors' options (every `RetryOptions` field, `vendor`,
 * `signal`, `budget`, `policy`, `idempotent`, `reauthenticate`, `onRetry`, `onGiveUp`,
 * `shouldRetry`). `signal` aborts the waits of every request made with these options; got's
 * own `signal` option aborts a request and its waits.
 */
export interface GotRetryOptions extends ExecutorOptions {}

/** What {@link gotRetry} returns: got's `retry` and `hooks` options. */
export interface GotRetryHooks {
  retry: Partial<GotRetryPolicy>;
  hooks: Partial<Hooks>;
}

/** got options that make got retry exactly when the policy says: `got.extend(gotRetry(options))`. */
export declare function gotRetry(options?: GotRetryOptions): GotRetryHooks;
