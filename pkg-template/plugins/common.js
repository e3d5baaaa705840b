// What the client plug-ins (axios.js, ky.js, got.js) share. Like the executors, a plug-in
// only does I/O, sleeps and calls hooks: it reports how each attempt ended to a `Call`
// (executor.js), and the core decides (src/call.rs). Nothing here judges a response.
import { RetryPolicy } from "../policy.js";
import { COMMON_KEYS, defaultToInput, noResponseKind, readOptions } from "../executor.js";
import { isFailureStatus } from "../attempt.js";

/** The options every plug-in reads itself; every other key is a policy option. */
export const PLUGIN_KEYS = new Set(COMMON_KEYS);

export { isAbortSignal, isObject } from "../attempt.js";

/**
 * Reads a plug-in's options once, when it is attached. A misspelt or out-of-range policy
 * option throws now (ERR_INVALID_OPTION), not at the first failed request: the policy is
 * built once to check them (each request's Call builds its own, as the executors do).
 */
export function readPluginOptions(options) {
  const opts = readOptions(options, PLUGIN_KEYS);
  if (opts.policy == null) new RetryPolicy(opts.policyOptions);
  return opts;
}

/**
 * Reports a client's error to the call: a network failure as its kind (`noResponseKind`),
 * a failed response as what `retry()`'s default adapter reads from axios, got and ky errors.
 * Returns the hooks' info with the proposal, or `null` when the error is not a failure the
 * policy judges (a cancellation, a bug, a parse error of a 2xx body): the caller rethrows it.
 */
export async function judge(call, error) {
  const kind = noResponseKind(error);
  if (kind !== null) return call.failure(kind, { error });
  const input = await defaultToInput({ error });
  if (input == null || !isFailureStatus(input.status)) return null;
  return call.response(input, { error });
}
