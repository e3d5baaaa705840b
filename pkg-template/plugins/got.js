// backup-errors/got: `gotRetry(options?)` returns options for `got.extend()` under which
// got's own retry loop retries exactly when the policy says. Written against got 14's loop
// (dist/source/core/index.js, `_beforeError`):
//
//   * got calls `retry.calculateDelay` after every failed attempt (with
//     `enforceRetryRules: false`, whatever its `limit`, `methods`, `statusCodes` and
//     `errorCodes` say) and awaits it; 0 means stop, anything else is a wait in ms.
//     The plug-in's calculateDelay reports the failure to the call; when the call stops it
//     returns 0 (got then rejects with its HTTPError or RequestError, as without the
//     plug-in); when the call retries it calls onRetry and reauthenticate, waits the call's
//     delay itself (abortably: the plug-in's `signal` and the request's own), and returns
//     1 — got treats 0 as stop, so got's own timer adds 1 ms to every wait.
//   * `beforeRequest` begins one call per request and `afterResponse` ends it on success;
//     got runs `beforeRequest` before every attempt, so there a coordinated call waits for
//     its namespace's server wait (an ERR_SERVER_WAIT thrown there ends the call: got
//     rejects with a RequestError whose cause it is).
//
// Per-request state: got builds a new Options object for every attempt (verified with got
// 14.6: `error.options` differs between attempts), copying `context` shallowly into it, so
// the call is kept under a symbol key of the request's `context`, which every attempt of one
// request shares and no other request sees.
//
// An exception a hook throws inside calculateDelay (onRetry, shouldRetry, reauthenticate, an
// abort of the plug-in's own signal) is wrapped by got in a RequestError whose `cause` is
// that exception. One plug-in drives a request: the one whose calculateDelay got calls (got
// keeps the last `retry.calculateDelay` extended in, and runs every plug-in's hooks), so the
// hooks of a plug-in whose calculateDelay was replaced — `base.extend(gotRetry(…))` over a
// `base` that has one — leave the request alone, and it is sent at most `maxAttempts` times.
// got's stream API is not handled (got calls calculateDelay for streams only
// when the caller listens to "retry").
import { admit, afterDecision, beginCall, isFailureStatus } from "../attempt.js";
import { abortError, linkSignals } from "../signals.js";
import { isAbortSignal, isObject, judge, readPluginOptions } from "./common.js";

const STATE = Symbol("backup-errors.got");

/**
 * got options that make got's retry loop follow the policy: `got.extend(gotRetry(options))`.
 *
 * @param {import("../got.js").GotRetryOptions} [options]
 * @returns {{ retry: object, hooks: object }}
 */
export function gotRetry(options) {
  const opts = readPluginOptions(options);
  const owner = {};

  function begin(gotOptions) {
    if (gotOptions.isStream || !isObject(gotOptions.context)) return null;
    const existing = gotOptions.context[STATE];
    if (existing?.owner === owner) return existing;
    const call = beginCall(opts, { method: String(gotOptions.method ?? "GET").toUpperCase(), headers: gotOptions.headers, body: gotOptions.body });
    const state = { owner, call, done: false, unlink: () => {} };
    gotOptions.context[STATE] = state;
    // An abort of the request's signal ends the request without asking calculateDelay.
    const signal = gotOptions.signal;
    if (isAbortSignal(signal)) {
      const onAbort = () => end(state, false);
      signal.addEventListener("abort", onAbort, { once: true });
      state.unlink = () => signal.removeEventListener("abort", onAbort);
    }
    return state;
  }

  function end(state, succeeded) {
    if (state.done) return;
    state.done = true;
    state.unlink();
    state.call.finish(succeeded);
  }

  /** Whether got calls this plug-in's calculateDelay for the request (see the top of the file). */
  const drives = (gotOptions) => gotOptions?.retry?.calculateDelay === calculateDelay;

  function afterResponse(response) {
    if (!drives(response?.request?.options)) return response;
    const state = response?.request?.options?.context?.[STATE];
    if (state?.owner === owner && !state.done && !isFailureStatus(response.statusCode)) end(state, true);
    return response;
  }

  async function calculateDelay({ error, computedValue }) {
    // got's own retry, asked for by an afterResponse hook (retryWithMergedOptions): not a failure.
    if (error?.name === "RetryError") return computedValue;
    const gotOptions = error?.options;
    const state = gotOptions?.context?.[STATE]?.owner === owner ? gotOptions.context[STATE] : begin(gotOptions ?? {});
    if (state == null || state.done) return 0;
    const linked = linkSignals([opts.signal, gotOptions.signal].filter(isAbortSignal));
    const signal = linked.signal;
    let going = false;
    try {
      if (signal.aborted) throw abortError(signal.reason);
      const proposal = await judge(state.call, error);
      if (proposal === null) return 0; // not a failure the policy judges (a parse error of a 2xx body, a bug)
      const info = await afterDecision(state.call, proposal, opts, signal, {
        // The next attempt copies these options: headers set here stay for every later attempt.
        freshHeaders: (fresh) => fresh.forEach((value, name) => (gotOptions.headers[name] = value)),
      });
      if (info === null) return 0;
      if (error.request?.destroyed) return 0; // cancelled during the wait (promise.cancel())
      going = true;
      return 1; // got treats 0 as stop; the wait has been made
    } finally {
      linked.unlink();
      if (!going) end(state, false);
    }
  }

  /** Before every attempt: begins the call, and with a coordinator waits for the namespace's server wait. */
  async function beforeRequest(gotOptions) {
    if (!drives(gotOptions)) return;
    const state = begin(gotOptions);
    if (state === null || state.done) return;
    const admitting = admit(state.call, [opts.signal, gotOptions.signal]);
    if (admitting === null) return;
    try {
      await admitting;
    } catch (error) {
      end(state, false);
      throw error;
    }
  }

  return {
    retry: { calculateDelay, enforceRetryRules: false },
    hooks: { beforeRequest: [beforeRequest], afterResponse: [afterResponse] },
  };
}
