// The executors: `fetchWithRetry` and `retry`. A thin loop that performs I/O, sleeps,
// honours AbortSignal and calls hooks. Every decision — retry or stop, how long to wait,
// attempt counting, the 409 and 401 rules, the budget, the deadline, the busy schedule —
// is made in Rust by the per-call state machine (`policy.beginCall(…)` → `call.next(…)`).
//
// The only judgements made here are the ones only JavaScript can make, each in one place:
//   * which outcomes are failures to show the policy at all: a response with an error
//     status (4xx, 5xx, or a status-0 `Response.error()`), a rejected fetch, or what the
//     `retry()` adapter (below) turns into an ErrorInput;
//   * `stream-body`: a ReadableStream body cannot be sent twice (see `isStreamBody`);
//   * a timed-out attempt is relabelled `timeout` (see `timeoutClassification`).
//
// Hooks (`onRetry`, `onGiveUp`, `reauthenticate`, `toInput`) run inside the loop: an
// exception they throw ends the call and is what the call rejects with.
import { core } from "./core.js";

const noop = () => {};

/** setTimeout's largest delay; longer sleeps are chained. */
const MAX_TIMER_MS = 2_147_483_647;

/** Options read by the executors themselves; every other key is a policy option. */
const COMMON_KEYS = ["vendor", "signal", "onRetry", "onGiveUp", "reauthenticate", "budget", "policy"];
const FETCH_KEYS = new Set([...COMMON_KEYS, "timeoutMs", "fetch"]);
const RETRY_KEYS = new Set([...COMMON_KEYS, "toInput", "method"]);

const now = typeof globalThis.performance?.now === "function" ? () => globalThis.performance.now() : () => Date.now();

// ── Argument checks (errors made by the wasm side, so they match the bindings') ─────────

const isObject = (v) => v !== null && typeof v === "object";
const isAbortSignal = (v) => isObject(v) && typeof v.aborted === "boolean" && typeof v.addEventListener === "function" && typeof v.removeEventListener === "function";
const isResponseLike = (v) => isObject(v) && typeof v.status === "number" && typeof v.clone === "function" && isObject(v.headers);
const isRequestLike = (v) => isObject(v) && typeof v.clone === "function" && typeof v.url === "string" && typeof v.method === "string";

function checkFunction(value, name) {
  if (value != null && typeof value !== "function") throw core.argumentError(name, "a function", value);
}

/**
 * Splits `options` into what the loop needs and the policy's options, checking types.
 * Keys the executor does not read go to `new RetryPolicy(…)`, so a typo (`maxAttemps`)
 * fails there with ERR_INVALID_OPTION and a suggestion instead of being ignored.
 */
function readOptions(options, keys) {
  if (options == null) options = {};
  else if (!isObject(options) || Array.isArray(options)) throw core.argumentError("options", "an options object", options);
  const policyOptions = {};
  let policyFields = 0;
  for (const key of Object.keys(options)) {
    if (!keys.has(key) && options[key] !== undefined) {
      policyOptions[key] = options[key];
      policyFields++;
    }
  }
  for (const name of ["onRetry", "onGiveUp", "reauthenticate", "fetch", "toInput"]) {
    if (keys.has(name)) checkFunction(options[name], name);
  }
  if (options.signal != null && !isAbortSignal(options.signal)) throw core.argumentError("signal", "an AbortSignal", options.signal);
  if (options.budget != null && !(options.budget instanceof core.RetryBudget)) {
    throw core.argumentError("budget", "a RetryBudget from this package", options.budget);
  }
  if (options.policy != null) {
    if (!(options.policy instanceof core.RetryPolicy)) throw core.argumentError("policy", "a RetryPolicy from this package", options.policy);
    if (policyFields > 0) {
      const key = Object.keys(policyOptions)[0];
      throw core.argumentError(key, "left out when options.policy is given (set it on that RetryPolicy)", policyOptions[key]);
    }
  }
  const timeoutMs = options.timeoutMs;
  if (keys.has("timeoutMs") && timeoutMs != null && !(typeof timeoutMs === "number" && Number.isFinite(timeoutMs) && timeoutMs > 0 && timeoutMs <= MAX_TIMER_MS)) {
    throw core.argumentError("timeoutMs", `a positive finite number of milliseconds (at most ${MAX_TIMER_MS})`, timeoutMs);
  }
  if (keys.has("method") && options.method != null && typeof options.method !== "string") throw core.argumentError("method", "an HTTP method string", options.method);
  // The vendor is checked now rather than at the first failure: classify() raises exactly
  // the error (ERR_UNKNOWN_VENDOR, ERR_INVALID_ARGUMENT) it would raise later.
  if (options.vendor != null) core.classify({ status: 200, vendor: options.vendor });
  return { ...options, policyOptions };
}

// ── Abort, sleep ────────────────────────────────────────────────────────────────────────

/** What an abort rejects with: the signal's reason if it is an Error, else an AbortError. */
function abortError(reason) {
  if (reason instanceof Error) return reason;
  const detail = reason === undefined ? "" : `: ${String(reason)}`;
  return new DOMException(`The operation was aborted${detail}`, "AbortError");
}

/**
 * One signal for the whole call that aborts when any of `sources` aborts (AbortSignal.any
 * is not in Node 18). `unlink()` removes the listeners from the caller's signals.
 */
function linkSignals(sources) {
  const controller = new AbortController();
  const unlinks = [];
  for (const source of sources) {
    if (source.aborted) {
      controller.abort(source.reason);
      break;
    }
    const relay = () => controller.abort(source.reason);
    source.addEventListener("abort", relay, { once: true });
    unlinks.push(() => source.removeEventListener("abort", relay));
  }
  return { signal: controller.signal, unlink: () => unlinks.forEach((f) => f()) };
}

/** Waits `ms` (chained timers past setTimeout's limit); rejects at once when `signal` aborts. */
function sleep(ms, signal) {
  if (signal.aborted) return Promise.reject(abortError(signal.reason));
  if (!(ms > 0)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    let remaining = ms;
    let timer;
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal.reason));
    };
    const step = () => {
      if (remaining <= 0) {
        signal.removeEventListener("abort", onAbort);
        resolve();
        return;
      }
      const chunk = Math.min(remaining, MAX_TIMER_MS);
      remaining -= chunk;
      timer = setTimeout(step, chunk);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    step();
  });
}

/** `promise`, or a rejection as soon as `signal` aborts (the promise's own end is then ignored). */
function abortable(promise, signal) {
  if (signal.aborted) {
    Promise.resolve(promise).catch(noop);
    return Promise.reject(abortError(signal.reason));
  }
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(abortError(signal.reason));
    signal.addEventListener("abort", onAbort, { once: true });
    Promise.resolve(promise).then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

// ── Shared pieces of the loop ───────────────────────────────────────────────────────────

/**
 * Whether a response is a failure to show the policy: an error status (≥ 400), or status 0
 * of a `Response.error()` (a network error a custom fetch resolved instead of rejecting).
 * 2xx, and 3xx (only seen with `redirect: "manual"`: a 304 of a conditional GET is not a
 * failure) are final as they are; so are the opaque responses of `mode: "no-cors"`, whose
 * status 0 means "unreadable", not "no response".
 */
function isFailedResponse(response) {
  if (response.type === "opaque" || response.type === "opaqueredirect") return false;
  return response.status >= 400 || response.status === 0;
}

/** Releases a response that will not be returned, so its connection can be reused. */
function discard(response) {
  try {
    if (response && response.body && !response.bodyUsed && typeof response.body.cancel === "function") response.body.cancel().catch(noop);
  } catch {
    // a body that cannot be cancelled is left to the garbage collector
  }
}

/** A response body read from a clone, as bytes; `null` if it cannot be read. */
async function readClone(response) {
  if (response.bodyUsed) return null;
  try {
    return new Uint8Array(await response.clone().arrayBuffer());
  } catch {
    return null; // an unreadable body (aborted, timed out) is classified from status and headers
  }
}

/**
 * A timed-out attempt. The Rust side has no input for "no response because the client gave
 * up waiting": an ErrorInput only has a status, and 0 means "no response" (category
 * `network`). The attempt did end without a response, so status 0 is the honest input; only
 * the category and the summary (which would blame the connection) are corrected to say why.
 * This changes no decision: the policy judges status 0 by its action (`retry`), counts it as
 * ambiguous for the 409 rule and charges the budget's `timeoutCost` for `network` and
 * `timeout` alike. `{ status: 408 }` would be a lie: no server sent it.
 */
function timeoutClassification(vendor, method, timeoutMs) {
  const c = core.classify({ status: 0, vendor, method });
  return { ...c, category: "timeout", summary: `No response within timeoutMs (${timeoutMs} ms); the attempt was aborted.` };
}

/** `policy` or one built from the options (then freed by the caller), and the call. */
function beginCall(opts, method, useBudget) {
  const ownPolicy = opts.policy == null;
  const policy = ownPolicy ? new core.RetryPolicy(opts.policyOptions) : opts.policy;
  const canReauthenticate = typeof opts.reauthenticate === "function";
  try {
    const call = useBudget && opts.budget != null ? policy.beginCallWithBudget(method, canReauthenticate, opts.budget) : policy.beginCall(method, canReauthenticate);
    return { policy, ownPolicy, call };
  } catch (error) {
    if (ownPolicy) policy.free();
    throw error;
  }
}

function hookInfo(attempt, classification, decision, start, outcome) {
  const info = { attempt, classification, decision, elapsedMs: Math.round(now() - start) };
  if ("error" in outcome) info.error = outcome.error;
  return info;
}

/** Headers returned by `reauthenticate()`, checked. */
function readHeadersInit(value) {
  try {
    return new Headers(value);
  } catch {
    throw core.argumentError("reauthenticate() result", "a HeadersInit (object, Headers or [name, value] pairs) or nothing", value);
  }
}

// ── fetchWithRetry ──────────────────────────────────────────────────────────────────────

/**
 * Whether a request body is a stream, which fetch reads once and cannot send again: a
 * `ReadableStream`, or an async iterable (Node streams, which Node's fetch also accepts).
 * string, ArrayBuffer, typed arrays, DataView, Blob, URLSearchParams and FormData replay
 * as they are. A `Request` input is cloned per attempt (its body is tee'd), so it replays.
 */
function isStreamBody(body) {
  return isObject(body) && (typeof body.getReader === "function" || typeof body[Symbol.asyncIterator] === "function");
}

/**
 * `fetch` with retries decided by the policy. Resolves with the final `Response` — also
 * for a final 4xx/5xx, like fetch — and rejects with the last error when the last attempt
 * got no response (network failure, `timeoutMs`), with the abort reason on abort, or with
 * the exception of a hook.
 *
 * - Each failed response is classified from a clone (`{status, headers, body, vendor,
 *   method}`); 2xx/3xx responses are returned unread and unclassified.
 * - `init.signal`, `options.signal` and a `Request` input's own signal are merged: any of
 *   them aborts the fetch in flight, a body read, a `reauthenticate()` wait or a sleep at
 *   once. Once the promise has settled the signals are detached: to stop reading a
 *   returned body, call `response.body.cancel()`.
 * - `timeoutMs` bounds each attempt until its response (and, for a failed response, its
 *   error body) arrives; a timed-out attempt is classified `timeout` (see above).
 * - A stream body is sent once: a failure the policy would retry stops with a
 *   `stream-body:` reason. Such a call does not use the budget (it never retries).
 * - `onRetry(info)` before each wait (also before the re-authenticated attempt, with
 *   `info.decision.reauthenticate` true); `onGiveUp(info)` once when the call stops on a
 *   failure. Neither is called on success nor on abort.
 * - `reauthenticate()` is called at most once per call, on a 401 the policy lets through;
 *   headers it returns are set on every later attempt.
 *
 * @param {RequestInfo | URL} input
 * @param {RequestInit} [init]
 * @param {import("./index.js").FetchWithRetryOptions} [options]
 * @returns {Promise<Response>}
 */
export async function fetchWithRetry(input, init, options) {
  const opts = readOptions(options, FETCH_KEYS);
  if (init != null && !isObject(init)) throw core.argumentError("init", "a RequestInit object", init);
  const doFetch = opts.fetch ?? globalThis.fetch;
  if (typeof doFetch !== "function") throw core.argumentError("fetch", "a fetch function (there is no global fetch here)", doFetch);
  if (init?.signal != null && !isAbortSignal(init.signal)) throw core.argumentError("init.signal", "an AbortSignal", init.signal);

  const request = isRequestLike(input) ? input : null;
  const method = String(init?.method ?? request?.method ?? "GET").toUpperCase();
  const streamBody = isStreamBody(init?.body);
  const sources = [request?.signal, init?.signal, opts.signal].filter(isAbortSignal);
  const linked = linkSignals(sources);
  const signal = linked.signal;
  let extraHeaders = null; // from reauthenticate(), set on every later attempt

  /** One attempt: `{ response, body }` or `{ error }` (no response), or throws on abort. */
  async function attempt() {
    const controller = new AbortController();
    const relay = () => controller.abort(signal.reason);
    signal.addEventListener("abort", relay, { once: true });
    let timedOut = false;
    const timer =
      opts.timeoutMs != null
        ? setTimeout(() => {
            timedOut = true;
            controller.abort(new DOMException(`No response within timeoutMs (${opts.timeoutMs} ms)`, "TimeoutError"));
          }, opts.timeoutMs)
        : undefined;
    try {
      if (signal.aborted) throw abortError(signal.reason);
      const target = request ? request.clone() : input; // a used Request throws here, unretried
      const attemptInit = { ...init, signal: controller.signal };
      if (extraHeaders) {
        const headers = new Headers(init?.headers ?? request?.headers ?? undefined);
        extraHeaders.forEach((value, name) => headers.set(name, value));
        attemptInit.headers = headers;
      }
      let response;
      try {
        response = await doFetch(target, attemptInit);
      } catch (error) {
        if (signal.aborted) throw abortError(signal.reason);
        return { error, timedOut };
      }
      if (!isResponseLike(response)) throw core.argumentError("fetch() result", "a Response", response);
      if (!isFailedResponse(response)) return { response, body: null };
      const body = await readClone(response);
      if (signal.aborted) {
        discard(response);
        throw abortError(signal.reason);
      }
      return { response, body };
    } finally {
      clearTimeout(timer);
      signal.removeEventListener("abort", relay);
    }
  }

  const { policy, ownPolicy, call } = beginCall(opts, method, !streamBody);
  let succeeded = false;
  try {
    const start = now();
    // Bounded: call.next stops after maxAttempts (≤ 100) plus one re-authentication.
    for (;;) {
      const attemptNumber = call.attempt;
      const outcome = await attempt();
      if (outcome.response && !isFailedResponse(outcome.response)) {
        succeeded = true;
        return outcome.response;
      }
      const classification = outcome.response
        ? core.classify({ status: outcome.response.status, headers: outcome.response.headers, body: outcome.body, vendor: opts.vendor, method })
        : outcome.timedOut
          ? timeoutClassification(opts.vendor, method, opts.timeoutMs)
          : core.classify({ status: 0, vendor: opts.vendor, method });
      let decision = call.next(classification, now() - start);
      if (streamBody && decision.retry) {
        decision = {
          ...decision,
          retry: false,
          delayMs: 0,
          reauthenticate: false,
          reason: `stream-body: a ReadableStream body cannot be replayed, so the request is not sent again (the policy would have retried: ${decision.reason})`,
        };
      }
      const info = hookInfo(attemptNumber, classification, decision, start, outcome);
      if (!decision.retry) {
        opts.onGiveUp?.(info);
        if (outcome.response) return outcome.response;
        throw outcome.error;
      }
      discard(outcome.response);
      opts.onRetry?.(info);
      if (decision.reauthenticate) {
        const fresh = await abortable(opts.reauthenticate(), signal);
        if (fresh != null) {
          extraHeaders ??= new Headers();
          readHeadersInit(fresh).forEach((value, name) => extraHeaders.set(name, value));
        }
      }
      await sleep(decision.delayMs, signal);
    }
  } finally {
    call.finish(succeeded);
    call.free();
    if (ownPolicy) policy.free();
    linked.unlink();
  }
}

// ── retry ───────────────────────────────────────────────────────────────────────────────

/**
 * Network error codes of Node (`err.code`, also on `err.cause` of fetch's "fetch failed"),
 * got, axios and undici. Only undici codes that mean the connection failed are listed:
 * UND_ERR_INVALID_ARG, UND_ERR_NOT_SUPPORTED, UND_ERR_CLOSED… are usage errors.
 */
const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED", // also axios's timeout
  "ETIMEDOUT",
  "ESOCKETTIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "ERR_NETWORK", // axios in browsers
  "ERR_SOCKET_CONNECTION_TIMEOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_RES_CONTENT_LENGTH_MISMATCH",
]);

/** fetch's network-failure TypeErrors: undici, Chrome, Firefox, Safari (as is-network-error lists them). */
const NETWORK_MESSAGES = new Set(["fetch failed", "Failed to fetch", "NetworkError when attempting to fetch resource.", "Load failed", "Network request failed"]);

/** Whether `error` (or its `cause` chain, or an AggregateError's members) is a network failure. */
function isNetworkError(error, depth = 0) {
  if (!isObject(error) || depth > 4) return false;
  if (typeof error.code === "string" && NETWORK_CODES.has(error.code)) return true;
  if (error.name === "TimeoutError") return true; // AbortSignal.timeout(), got, AWS SDK
  if (error.name === "TypeError" && NETWORK_MESSAGES.has(error.message)) return true;
  if (Array.isArray(error.errors) && error.errors.slice(0, 8).some((e) => isNetworkError(e, depth + 1))) return true;
  return isNetworkError(error.cause, depth + 1);
}

const httpStatus = (v) => (Number.isInteger(v) && v >= 100 && v <= 999 ? v : null);
const headersOf = (v) => (isObject(v) ? v : undefined);

/** A body classify() can read: streams (unreadable without consuming them) become null. */
async function readableBody(body) {
  if (body == null) return null;
  if (typeof Blob !== "undefined" && body instanceof Blob) return body.text().catch(() => null);
  if (isObject(body) && (typeof body.getReader === "function" || typeof body.pipe === "function" || typeof body[Symbol.asyncIterator] === "function")) return null;
  return body;
}

async function responseInput(response) {
  return { status: response.status, headers: response.headers, body: await readClone(response) };
}

/**
 * The default `toInput` of `retry()`: turns an attempt's outcome into the ErrorInput of
 * classify(), or `null` when the outcome is not an API failure the policy should judge.
 * `null` settles the call with the outcome as it is: a result is returned, an error is
 * rethrown at once, unretried.
 *
 * | outcome                                                        | ErrorInput                                              |
 * |----------------------------------------------------------------|---------------------------------------------------------|
 * | result: a fetch `Response` with an error status (≥ 400, or 0)  | `{ status, headers, body: a clone's bytes }`            |
 * | result: anything else                                          | `null` → success                                        |
 * | error is a fetch `Response` (thrown)                           | as a `Response` result                                  |
 * | error.response is a fetch `Response` (ky `HTTPError`)          | `{ status, headers, body: a clone's bytes }`            |
 * | error.response.status (axios, Octokit, Azure `RestError`)      | `{ status, headers: response.headers, body: response.data ?? response.bodyAsText }` |
 * | error.response.statusCode (got `HTTPError`)                    | `{ status: statusCode, headers, body: response.body }`  |
 * | error.$metadata.httpStatusCode (AWS SDK v3)                    | `{ status, headers: error.$response?.headers }`         |
 * | error.status / error.statusCode (http-errors, undici, Azure)   | `{ status, headers: error.headers, body: error.body }`  |
 * | a network failure: code ECONNRESET, ECONNREFUSED, ECONNABORTED, ETIMEDOUT, ESOCKETTIMEDOUT, ENOTFOUND, EAI_AGAIN, EPIPE, EHOST*, ENET*, ERR_NETWORK, UND_ERR_SOCKET / _CONNECT_TIMEOUT / _HEADERS_TIMEOUT / _BODY_TIMEOUT / _RES_CONTENT_LENGTH_MISMATCH — on the error, its `cause` chain or an AggregateError's members; name `TimeoutError`; fetch's "fetch failed" / "Failed to fetch" / "NetworkError when…" / "Load failed" TypeErrors | `{ status: 0 }` (category network) |
 * | anything else: TypeError, RangeError, SyntaxError, an AbortError not from the caller's signal, non-Error values | `null` → rethrown at once |
 *
 * Statuses must be integers 100–999 to count. Bodies that are streams are not read (null);
 * a Blob is read as text. The caller's own abort never reaches the adapter: it rejects the
 * call at once with the abort reason.
 *
 * Why unknown errors are not retried: an error with no status and no network code is most
 * likely a bug (a TypeError) or a deliberate stop; retrying it only delays the report by the
 * whole backoff schedule. Mapping it to a made-up status (400, 0) would also make up a
 * category for onGiveUp. Pass a `toInput` to retry more.
 *
 * @param {{ error?: unknown, result?: unknown }} outcome
 * @returns {Promise<import("./index.js").ErrorInput | null>}
 */
async function defaultToInput(outcome) {
  if (!("error" in outcome)) {
    const result = outcome.result;
    return isResponseLike(result) && isFailedResponse(result) ? responseInput(result) : null;
  }
  const error = outcome.error;
  if (!isObject(error)) return null;
  if (isResponseLike(error)) return isFailedResponse(error) ? responseInput(error) : null;
  const response = error.response;
  if (isObject(response)) {
    if (isResponseLike(response) && typeof response.arrayBuffer === "function") return responseInput(response);
    const status = httpStatus(response.status) ?? httpStatus(response.statusCode);
    if (status !== null) {
      const body = response.data !== undefined ? response.data : response.body !== undefined ? response.body : response.bodyAsText;
      return { status, headers: headersOf(response.headers), body: await readableBody(body) };
    }
  }
  const aws = httpStatus(error.$metadata?.httpStatusCode);
  if (aws !== null) return { status: aws, headers: headersOf(error.$response?.headers), body: null };
  const status = httpStatus(error.status) ?? httpStatus(error.statusCode);
  if (status !== null) return { status, headers: headersOf(error.headers), body: await readableBody(error.body) };
  if (isNetworkError(error)) return { status: 0 };
  return null;
}

/**
 * Retries any async call: `fn(attempt, signal)` with attempt 1, 2, 3…, and `signal` aborting
 * when the caller's `options.signal` does. Each outcome goes through `options.toInput` (or
 * the default adapter above) and, when it is a failure, through classify() and the policy.
 *
 * Resolves with fn's result; after giving up on a failed `Response` result, with that
 * Response (as fetchWithRetry does). Rejects with fn's last error, with an error the adapter
 * does not recognise (at once), with the abort reason when the caller aborts (at once, even
 * if fn ignores the signal), or with the exception of a hook or of `toInput`.
 * `reauthenticate()`'s return value is ignored here: fn must read the fresh credentials.
 *
 * @template T
 * @param {(attempt: number, signal: AbortSignal) => Promise<T>} fn
 * @param {import("./index.js").RetryFnOptions<T>} [options]
 * @returns {Promise<T>}
 */
export async function retry(fn, options) {
  if (typeof fn !== "function") throw core.argumentError("fn", "a function (attempt, signal) => Promise", fn);
  const opts = readOptions(options, RETRY_KEYS);
  const toInput = opts.toInput ?? defaultToInput;
  const method = opts.method != null ? opts.method.toUpperCase() : null;
  const linked = linkSignals(opts.signal != null ? [opts.signal] : []);
  const signal = linked.signal;

  const { policy, ownPolicy, call } = beginCall(opts, method, true);
  let succeeded = false;
  try {
    const start = now();
    // Bounded: call.next stops after maxAttempts (≤ 100) plus one re-authentication.
    for (;;) {
      if (signal.aborted) throw abortError(signal.reason);
      const attemptNumber = call.attempt;
      let outcome;
      try {
        outcome = { result: await abortable(Promise.resolve().then(() => fn(attemptNumber, signal)), signal) };
      } catch (error) {
        if (signal.aborted) throw abortError(signal.reason);
        outcome = { error };
      }
      const input = await abortable(toInput(outcome), signal);
      if (input != null && !isObject(input)) throw core.argumentError("toInput() result", "an ErrorInput object or null", input);
      const classification = input == null ? null : core.classify({ ...input, vendor: input.vendor ?? opts.vendor, method: input.method ?? method });
      if (classification === null || classification.category === "ok") {
        // Not a failure the policy judges: settle with the outcome as it is.
        if ("error" in outcome) throw outcome.error;
        succeeded = true;
        return outcome.result;
      }
      const decision = call.next(classification, now() - start);
      const info = hookInfo(attemptNumber, classification, decision, start, outcome);
      if (!decision.retry) {
        opts.onGiveUp?.(info);
        if ("error" in outcome) throw outcome.error;
        return outcome.result;
      }
      if (isResponseLike(outcome.result)) discard(outcome.result);
      opts.onRetry?.(info);
      if (decision.reauthenticate) await abortable(opts.reauthenticate(), signal);
      await sleep(decision.delayMs, signal);
    }
  } finally {
    call.finish(succeeded);
    call.free();
    if (ownPolicy) policy.free();
    linked.unlink();
  }
}
