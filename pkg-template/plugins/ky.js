// backup-errors/ky: `kyRetry(options?)` returns ky options (`retry`, `hooks`) under which
// ky's own retry loop retries exactly when the policy says, waiting exactly the policy's
// delay. Written against ky 1.9's loop (distribution/core/Ky.js):
//
//   * `retry` hands every failure ky can retry to the `beforeRetry` hook at once: every
//     method ky can send (custom methods excepted), every 4xx/5xx status, no limit of ky's
//     own (the call stops first), ky's delay 0, and ky's `Retry-After` wait cut to 0
//     (`maxRetryAfter: 0`: the policy reads the server's wait itself);
//   * `beforeRetry` reports the failure to the call; when the call stops, it throws the
//     failure (ky then rejects with it: the HTTPError or the network error, as without the
//     plug-in; `ky.stop` is not needed, so ky is never imported); when the call retries, it
//     calls onRetry, reauthenticate, and waits the call's delay, abortably, before ky sends
//     the request again;
//   * `beforeRequest` begins one call per request and `afterResponse` ends it on success;
//     ky runs `beforeRequest` before every attempt, so there a coordinated call waits for
//     its namespace's server wait (an ERR_SERVER_WAIT thrown there reaches `beforeRetry`,
//     which rethrows it: ky rejects with it).
//
// Per-request state is keyed by ky's options object (`this._options`), the same object in
// every hook of every attempt of one `ky()` call and distinct between calls.
//
// What ky 1.9 does before any hook, so the plug-in cannot change it: its own `timeout`
// (TimeoutError) is never retried; a 413 without a `Retry-After`/`RateLimit-Reset` header
// and, with `throwHttpErrors: false`, every failed response are final (the plug-in still
// reports them to the call and to onGiveUp).
import { admit, afterDecision, beginCall, isFailedResponse } from "../attempt.js";
import { abortError, linkSignals } from "../signals.js";
import { isAbortSignal, judge, readPluginOptions } from "./common.js";

/** The methods ky may send again: fetch refuses CONNECT, TRACE and TRACK, and a custom method is sent once. */
const METHODS = ["get", "head", "options", "put", "delete", "post", "patch"];
/** Every status a fetch Response can have that is a failure (Response allows 200–599). */
const FAILURE_STATUSES = Array.from({ length: 200 }, (_, i) => 400 + i);
/** The headers ky 1.9 reads a wait from (and, for a 413, needs one of to call beforeRetry). */
const KY_WAIT_HEADERS = ["retry-after", "ratelimit-reset", "x-ratelimit-reset", "x-rate-limit-reset"];

/**
 * ky options that make ky's retry loop follow the policy: spread them into `ky.create()` or
 * pass them to `ky.extend()` (which merges hooks; `ky.create({ ...kyRetry(), hooks })` would
 * replace them). Its `beforeRetry` hook should come before your own.
 *
 * @param {import("../ky.js").KyRetryOptions} [options]
 * @returns {{ retry: object, hooks: object }}
 */
export function kyRetry(options) {
  const opts = readPluginOptions(options);
  /** ky options object → `{ call, unlink }` of the request in progress. */
  const calls = new WeakMap();

  function begin(request, kyOptions) {
    let entry = calls.get(kyOptions);
    if (entry !== undefined) return entry;
    if (!kyOptions.retry.methods.includes(request.method.toLowerCase())) return null; // ky sends it once
    // ky would send a tee'd copy of a stream body again; the package's one rule holds here
    // too: a body that can be read only once is not sent twice.
    const call = beginCall(opts, { method: request.method.toUpperCase(), headers: request.headers, body: kyOptions.body });
    entry = { call, unlink: () => {} };
    calls.set(kyOptions, entry);
    // ky aborts this signal on its own timeout and when the caller's signal aborts; either
    // ends the call without asking a hook.
    const signal = kyOptions.signal;
    if (isAbortSignal(signal)) {
      const onAbort = () => end(kyOptions, false);
      signal.addEventListener("abort", onAbort, { once: true });
      entry.unlink = () => signal.removeEventListener("abort", onAbort);
    }
    return entry;
  }

  function end(kyOptions, succeeded) {
    const entry = calls.get(kyOptions);
    if (entry == null) return;
    calls.delete(kyOptions);
    entry.unlink();
    return entry.call.finish(succeeded);
  }

  /** Whether ky 1.9 calls beforeRetry for this response or rejects/resolves with it at once. */
  function kyAsks(response, kyOptions) {
    if (kyOptions.throwHttpErrors === false) return false;
    if (!kyOptions.retry.statusCodes.includes(response.status)) return false;
    if (response.status !== 413) return true;
    return kyOptions.retry.afterStatusCodes.includes(413) && KY_WAIT_HEADERS.some((name) => response.headers.get(name));
  }

  async function afterResponse(request, kyOptions, response) {
    const entry = calls.get(kyOptions) ?? begin(request, kyOptions);
    if (entry == null) return;
    if (!isFailedResponse(response)) {
      await end(kyOptions, true); // a shared breaker hears of the success first
      return;
    }
    if (kyAsks(response, kyOptions)) return; // beforeRetry judges it
    // ky ends the call with this response: the call and onGiveUp still hear of it.
    const error = { response, request, options: kyOptions };
    const linked = linkSignals([opts.signal, kyOptions.signal].filter(isAbortSignal));
    try {
      entry.call.endsWithNextJudgement(); // a retry the policy would make becomes client-final
      const proposal = await judge(entry.call, error);
      if (proposal === null) return;
      const info = await entry.call.settle(proposal, linked.signal);
      opts.onGiveUp?.(info);
    } finally {
      linked.unlink();
      end(kyOptions, false);
    }
  }

  async function beforeRetry({ request, options: kyOptions, error }) {
    const entry = calls.get(kyOptions) ?? begin(request, kyOptions);
    if (entry == null) throw error;
    const linked = linkSignals([opts.signal, kyOptions.signal].filter(isAbortSignal));
    const signal = linked.signal;
    let going = false;
    try {
      if (signal.aborted) throw abortError(signal.reason);
      const proposal = await judge(entry.call, error);
      if (proposal === null) throw error; // a bug (a hook threw, a bad URL): rethrown, never retried
      const info = await afterDecision(entry.call, proposal, opts, signal, {
        // ky sends `request` (cloned) next: headers set on it stay for every later attempt.
        freshHeaders: (fresh) => fresh.forEach((value, name) => request.headers.set(name, value)),
      });
      if (info === null) throw error;
      going = true;
    } finally {
      linked.unlink();
      if (!going) end(kyOptions, false);
    }
  }

  /** Before every attempt: begins the call, and with a coordinator waits for the namespace's server wait. */
  async function beforeRequest(request, kyOptions) {
    const entry = begin(request, kyOptions);
    if (entry === null) return;
    const admitting = admit(entry.call, [opts.signal, kyOptions.signal]);
    if (admitting !== null) await admitting;
  }

  return {
    retry: {
      limit: Number.POSITIVE_INFINITY, // the call stops first (maxAttempts ≤ 100, one re-authentication)
      methods: METHODS,
      statusCodes: FAILURE_STATUSES,
      afterStatusCodes: FAILURE_STATUSES,
      maxRetryAfter: 0,
      backoffLimit: Number.POSITIVE_INFINITY,
      delay: () => 0,
    },
    hooks: {
      beforeRequest: [beforeRequest],
      afterResponse: [afterResponse],
      beforeRetry: [beforeRetry],
    },
  };
}
