// The executors: `fetchWithRetry` and `retry`. A thin loop that performs I/O, sleeps,
// honours AbortSignal and calls hooks. Every decision — retry or stop, how long to wait,
// attempt counting, the 409 and 401 rules, the safety of requests that are not idempotent,
// the caller's `shouldRetry`, the budget, the deadline, a body that cannot be sent twice —
// is made in Rust by the per-call state machine (src/call.rs), which `Call` (call.js) drives.
//
// What JavaScript alone can tell, and reports to it as facts:
//   * how an attempt ended: a response with an error status (4xx, 5xx, or a status-0
//     `Response.error()`), no connection (refused, host not found: the request was not sent),
//     a connection lost after sending, the attempt's `timeoutMs`, the call's deadline;
//   * what the request is: its method, an `Idempotency-Key` header, a stream body;
//   * a request that cannot be sent at all (a bad URL, an unsupported scheme, a GET with a
//     body, a bad header): the caller's bug, rethrown at once and never retried.
//
// Hooks (`onRetry`, `onGiveUp`, `reauthenticate`, `shouldRetry`, `toInput`) run inside the
// loop: an exception they throw ends the call and is what the call rejects with.
import { run } from "./core.js";
import { classifyInput, readClassification } from "./classification.js";
import { RetryPolicy, RetryBudget } from "./policy.js";
import { failure } from "./core.js";
import { fleetState } from "./fleet.js";
import { breakerState } from "./breaker.js";
import { pacerState } from "./pacer.js";
import { afterDecision, beginCall, isFailedResponse, isFailureStatus, isIdempotent } from "./attempt.js";
import { MAX_TIMER_MS, abortError, abortable, linkSignals } from "./signals.js";

const noop = () => {};

/** The most bytes of an error body read for classification (the rest is cancelled). */
export const DEFAULT_MAX_ERROR_BODY_BYTES = 1_048_576;

/** Options read by the executors themselves; every other key is a policy option. */
const COMMON_KEYS = ["vendor", "signal", "onRetry", "onGiveUp", "reauthenticate", "shouldRetry", "budget", "policy", "idempotent", "coordinator", "breaker", "pacer"];
const FETCH_KEYS = new Set([...COMMON_KEYS, "timeoutMs", "fetch", "maxErrorBodyBytes"]);
const RETRY_KEYS = new Set([...COMMON_KEYS, "toInput", "method"]);

// ── Argument checks (errors made by the wasm side, so they match the bindings') ─────────

const isObject = (v) => v !== null && typeof v === "object";
const isAbortSignal = (v) => isObject(v) && typeof v.aborted === "boolean" && typeof v.addEventListener === "function" && typeof v.removeEventListener === "function";
const isResponseLike = (v) => isObject(v) && typeof v.status === "number" && typeof v.clone === "function" && isObject(v.headers);
const isRequestLike = (v) => isObject(v) && typeof v.clone === "function" && typeof v.url === "string" && typeof v.method === "string";

const argumentError = (name, expected, value) => failure("argument", name, expected, value);

function checkFunction(value, name) {
  if (value != null && typeof value !== "function") throw argumentError(name, "a function", value);
}

/**
 * Splits `options` into what the loop needs and the policy's options, checking types.
 * Keys the executor does not read go to `new RetryPolicy(…)`, so a typo (`maxAttemps`)
 * fails there with ERR_INVALID_OPTION instead of being ignored.
 */
function readOptions(options, keys) {
  if (options == null) options = {};
  else if (!isObject(options) || Array.isArray(options)) throw argumentError("options", "an options object", options);
  const policyOptions = {};
  let policyFields = 0;
  for (const key of Object.keys(options)) {
    if (!keys.has(key) && options[key] !== undefined) {
      policyOptions[key] = options[key];
      policyFields++;
    }
  }
  for (const name of ["onRetry", "onGiveUp", "reauthenticate", "shouldRetry", "fetch", "toInput"]) {
    if (keys.has(name)) checkFunction(options[name], name);
  }
  if (options.signal != null && !isAbortSignal(options.signal)) throw argumentError("signal", "an AbortSignal", options.signal);
  if (options.budget != null && !(options.budget instanceof RetryBudget)) {
    throw argumentError("budget", "a RetryBudget from this package", options.budget);
  }
  if (options.pacer != null && pacerState(options.pacer) === undefined) {
    throw argumentError("pacer", "a Pacer from this package", options.pacer);
  }
  if (options.breaker != null && breakerState(options.breaker) === undefined) {
    throw argumentError("breaker", "a CircuitBreaker from this package", options.breaker);
  }
  if (options.coordinator != null) {
    const fleet = fleetState(options.coordinator); // anything but a RedisCoordinator throws ERR_INVALID_ARGUMENT
    if (fleet.pacer !== null && options.pacer != null) {
      throw argumentError("pacer", "left out when options.coordinator shares a pacer (the fleet's pacer applies: set pacing on the RedisCoordinator)", options.pacer);
    }
    if (fleet.breaker !== null && options.breaker != null) {
      throw argumentError("breaker", "left out when options.coordinator shares a breaker (the fleet's breaker applies: set its options on the RedisCoordinator)", options.breaker);
    }
    if (options.budget != null) {
      throw argumentError("budget", "left out when options.coordinator is given (the fleet shares the coordinator's budget: set its options on the RedisCoordinator)", options.budget);
    }
  }
  if (options.policy != null) {
    if (!(options.policy instanceof RetryPolicy)) throw argumentError("policy", "a RetryPolicy from this package", options.policy);
    if (policyFields > 0) {
      const key = Object.keys(policyOptions)[0];
      throw argumentError(key, "left out when options.policy is given (set it on that RetryPolicy)", policyOptions[key]);
    }
  }
  const timeoutMs = options.timeoutMs;
  if (keys.has("timeoutMs") && timeoutMs != null && !(typeof timeoutMs === "number" && Number.isFinite(timeoutMs) && timeoutMs > 0 && timeoutMs <= MAX_TIMER_MS)) {
    throw argumentError("timeoutMs", `a positive finite number of milliseconds (at most ${MAX_TIMER_MS})`, timeoutMs);
  }
  const cap = options.maxErrorBodyBytes;
  if (keys.has("maxErrorBodyBytes") && cap != null && !(Number.isSafeInteger(cap) && cap >= 0)) {
    throw argumentError("maxErrorBodyBytes", "a non-negative integer number of bytes", cap);
  }
  if (options.idempotent != null && typeof options.idempotent !== "boolean") throw argumentError("idempotent", "true or false", options.idempotent);
  if (keys.has("method") && options.method != null && typeof options.method !== "string") throw argumentError("method", "an HTTP method string", options.method);
  // The vendor is checked now rather than at the first failure: classify() raises exactly
  // the error (ERR_UNKNOWN_VENDOR, ERR_INVALID_ARGUMENT) it would raise later.
  if (options.vendor != null) run("classify", (w) => classifyInput(w, { status: 200, vendor: options.vendor }));
  return { ...options, policyOptions };
}

// ── Shared pieces of the loop ───────────────────────────────────────────────────────────

/** Releases a response that will not be returned, so its connection can be reused. */
function discard(response) {
  try {
    if (response && response.body && !response.bodyUsed && typeof response.body.cancel === "function") response.body.cancel().catch(noop);
  } catch {
    // a body that cannot be cancelled is left to the garbage collector
  }
}

/**
 * At most `cap` bytes of a response body, read from a clone (the response itself stays
 * unread for the caller): `{ bytes, truncated }`, truncated when the body went on; the rest
 * of the clone is cancelled, so an endless body cannot grow the process. `null` when it
 * cannot be read.
 */
export async function readPrefix(response, cap) {
  if (response.bodyUsed) return null;
  let clone;
  try {
    clone = response.clone();
  } catch {
    return null;
  }
  const stream = clone.body;
  if (stream == null || typeof stream.getReader !== "function") {
    try {
      const bytes = new Uint8Array(await clone.arrayBuffer());
      return bytes.length > cap ? { bytes: bytes.subarray(0, cap), truncated: true } : { bytes, truncated: false };
    } catch {
      return null;
    }
  }
  const reader = stream.getReader();
  const chunks = [];
  let total = 0;
  let done = false;
  try {
    while (total <= cap) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        break;
      }
      chunks.push(next.value);
      total += next.value.byteLength;
    }
  } catch {
    if (chunks.length === 0) return null; // an unreadable body: classified from status and headers
    done = true;
  } finally {
    reader.cancel().catch(noop);
  }
  const bytes = new Uint8Array(Math.min(total, cap));
  let at = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, bytes.length - at);
    bytes.set(part, at);
    at += part.length;
    if (at >= bytes.length) break;
  }
  return { bytes, truncated: !done || total > cap };
}

/**
 * Error codes of Node, undici, got and axios, by what they say about the request:
 * no connection was made (it was not sent), the attempt timed out, or the connection
 * failed after it may have been sent. Only undici codes that mean the connection failed are
 * listed: UND_ERR_INVALID_ARG, UND_ERR_NOT_SUPPORTED, UND_ERR_CLOSED… are usage errors.
 */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "EHOSTDOWN", "ENETUNREACH", "ENETDOWN", "UND_ERR_CONNECT_TIMEOUT", "ERR_SOCKET_CONNECTION_TIMEOUT"]);
const TIMEOUT_CODES = new Set(["ETIMEDOUT", "ESOCKETTIMEDOUT", "ECONNABORTED", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);
const LOST_CODES = new Set(["ECONNRESET", "EPIPE", "ERR_NETWORK", "UND_ERR_SOCKET", "UND_ERR_RES_CONTENT_LENGTH_MISMATCH", "ERR_STREAM_PREMATURE_CLOSE"]);

/** Browsers' fetch network-failure TypeErrors (as is-network-error lists them); they do not say more. */
const NETWORK_MESSAGES = new Set(["Failed to fetch", "NetworkError when attempting to fetch resource.", "Load failed", "Network request failed"]);

/**
 * What a thrown error says about a request that got no response: `"not-sent"`,
 * `"timeout"`, `"connection-lost"`, or `null` when it is not a network failure at all (a
 * bug, a bad argument, a usage error: rethrown, never retried). Looks at the error, its
 * `cause` chain and an AggregateError's members.
 */
export function noResponseKind(error) {
  const codes = new Set();
  let browser = false;
  const visit = (e, depth) => {
    if (!isObject(e) || depth > 4) return;
    if (typeof e.code === "string") codes.add(e.code);
    if (e.name === "TimeoutError") codes.add("ETIMEDOUT");
    if (e.name === "TypeError" && NETWORK_MESSAGES.has(e.message)) browser = true;
    if (Array.isArray(e.errors)) e.errors.slice(0, 8).forEach((m) => visit(m, depth + 1));
    visit(e.cause, depth + 1);
  };
  visit(error, 0);
  const has = (set) => [...codes].some((c) => set.has(c));
  if (has(LOST_CODES)) return "connection-lost";
  if (has(TIMEOUT_CODES)) return "timeout";
  if (has(NOT_SENT_CODES)) return "not-sent";
  return browser ? "connection-lost" : null;
}

// ── fetchWithRetry ──────────────────────────────────────────────────────────────────────

/** Whether the request's URL has a scheme a network failure can come from (http, https). */
function isHttpUrl(input, request) {
  try {
    const url = new URL(request ? request.url : String(input), globalThis.location?.href);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/**
 * `fetch` with retries decided by the policy. Resolves with the final `Response` — also
 * for a final 4xx/5xx, like fetch — and rejects with the last error when the last attempt
 * got no response (network failure, `timeoutMs`, the deadline), with the abort reason on
 * abort, with fetch's own error at once when the request cannot be sent at all, or with the
 * exception of a hook.
 *
 * - Each failed response is classified from at most `maxErrorBodyBytes` of a clone's body;
 *   2xx/3xx responses are returned unread and unclassified.
 * - `init.signal`, `options.signal` and a `Request` input's own signal are merged: any of
 *   them aborts the fetch in flight, a body read, a hook's wait or a sleep at once. Once the
 *   promise has settled the signals are detached: to stop reading a returned body, call
 *   `response.body.cancel()`.
 * - `timeoutMs` bounds each attempt until its response (and a failed response's body)
 *   arrives; the deadline (`deadlineMs`) bounds the running attempt too.
 * - A request with an `Idempotency-Key` header (or `idempotent: true`) may be sent again
 *   after an ambiguous failure whatever its method.
 *
 * @param {RequestInfo | URL} input
 * @param {RequestInit} [init]
 * @param {import("./index.js").FetchWithRetryOptions} [options]
 * @returns {Promise<Response>}
 */
export async function fetchWithRetry(input, init, options) {
  const opts = readOptions(options, FETCH_KEYS);
  if (init != null && !isObject(init)) throw argumentError("init", "a RequestInit object", init);
  const doFetch = opts.fetch ?? globalThis.fetch;
  if (typeof doFetch !== "function") throw argumentError("fetch", "a fetch function (there is no global fetch here)", doFetch);
  if (init?.signal != null && !isAbortSignal(init.signal)) throw argumentError("init.signal", "an AbortSignal", init.signal);

  const request = isRequestLike(input) ? input : null;
  const method = String(init?.method ?? request?.method ?? "GET").toUpperCase();
  // A header fetch would refuse (a newline in a value) throws here: the caller's bug.
  const requestHeaders = new Headers(init?.headers ?? request?.headers ?? undefined);
  const httpUrl = isHttpUrl(input, request);
  const cap = opts.maxErrorBodyBytes ?? DEFAULT_MAX_ERROR_BODY_BYTES;
  const sources = [request?.signal, init?.signal, opts.signal].filter(isAbortSignal);
  const linked = linkSignals(sources);
  const signal = linked.signal;
  let extraHeaders = null; // from reauthenticate(), set on every later attempt

  const call = beginCall(opts, { method, headers: requestHeaders, body: init?.body });
  let succeeded = false;

  /** One attempt: `{ response, body }`, `{ error, kind }` (no response), or throws. */
  async function attempt() {
    const limits = call.attemptLimits(signal, opts.timeoutMs);
    try {
      if (signal.aborted) throw abortError(signal.reason);
      const target = request ? request.clone() : input; // a used Request throws here, unretried
      const attemptInit = { ...init, signal: limits.signal };
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
        const kind = limits.ended() ?? (httpUrl ? noResponseKind(error) : null);
        if (kind === null) throw error; // the request cannot be sent: the caller's bug
        return { error, kind };
      }
      if (!isResponseLike(response)) throw argumentError("fetch() result", "a Response", response);
      if (!isFailedResponse(response)) return { response, body: null };
      const prefix = await readPrefix(response, cap);
      if (signal.aborted) {
        discard(response);
        throw abortError(signal.reason);
      }
      return { response, body: prefix?.bytes ?? null, truncated: prefix?.truncated ?? false };
    } finally {
      limits.clear();
    }
  }

  try {
    // Bounded: the call stops after maxAttempts (≤ 100) plus one re-authentication.
    for (;;) {
      const admitting = call.admit(signal);
      if (admitting !== null) await admitting;
      const outcome = await attempt();
      if (outcome.response && !isFailedResponse(outcome.response)) {
        succeeded = true;
        return outcome.response;
      }
      const proposal = outcome.response
        ? call.response({ status: outcome.response.status, headers: outcome.response.headers, body: outcome.body }, outcome, outcome.truncated)
        : call.failure(outcome.kind, outcome);
      const info = await afterDecision(call, proposal, opts, signal, {
        beforeRetry: () => discard(outcome.response),
        freshHeaders: (fresh) => {
          extraHeaders ??= new Headers();
          fresh.forEach((value, name) => extraHeaders.set(name, value));
        },
      });
      if (info === null) {
        if (outcome.response) return outcome.response;
        throw outcome.error;
      }
    }
  } finally {
    linked.unlink();
    await call.finish(succeeded);
  }
}

// ── retry ───────────────────────────────────────────────────────────────────────────────

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
  const prefix = await readPrefix(response, DEFAULT_MAX_ERROR_BODY_BYTES);
  return { status: response.status, headers: response.headers, body: prefix?.bytes ?? null };
}

/**
 * The request a client's error describes, where the client attaches it: axios
 * (`error.config`), got (`error.options`), ky (`error.request`). `{ method, headers }`, each
 * `undefined` when it does not say.
 */
function requestOf(error) {
  if (!isObject(error)) return {};
  const candidates = [error.config, error.options, error.request];
  for (const r of candidates) {
    if (!isObject(r) || typeof r.method !== "string") continue;
    let headers;
    try {
      headers = isObject(r.headers) ? r.headers : undefined;
    } catch {
      headers = undefined;
    }
    return { method: r.method.toUpperCase(), headers };
  }
  return {};
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
 * | a network failure (see `noResponseKind`), also one that carries a response (got's ECONNRESET in the middle of a body) | `{ status: 0 }` |
 * | error is a fetch `Response` (thrown)                           | as a `Response` result                                  |
 * | error.response is a fetch `Response` (ky `HTTPError`)          | `{ status, headers, body: a clone's bytes }`            |
 * | error.response.status (axios, Octokit, Azure `RestError`)      | `{ status, headers: response.headers, body: response.data ?? response.bodyAsText }` |
 * | error.response.statusCode (got `HTTPError`)                    | `{ status: statusCode, headers, body: response.body }`  |
 * | error.$metadata.httpStatusCode (AWS SDK v3)                    | `{ status, headers: error.$response?.headers }`         |
 * | error.status / error.statusCode (http-errors, undici, Azure)   | `{ status, headers: error.headers, body: error.body }`  |
 * | anything else: TypeError, RangeError, SyntaxError, an AbortError not from the caller's signal, non-Error values | `null` → rethrown at once |
 *
 * Statuses must be integers 100–999 to count. Bodies that are streams are not read (null);
 * a Blob is read as text. The caller's own abort never reaches the adapter: it rejects the
 * call at once with the abort reason.
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
  // A connection that failed is a failure without a response, even when the client attached
  // the response whose body it was reading.
  if (typeof error.code === "string" && noResponseKind({ code: error.code }) !== null) return { status: 0 };
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
  if (noResponseKind(error) !== null) return { status: 0 };
  return null;
}

/**
 * Retries any async call: `fn(attempt, signal)` with attempt 1, 2, 3…, and `signal` aborting
 * when the caller's `options.signal` does or the call's deadline passes. Each outcome goes
 * through `options.toInput` (or the default adapter above) and, when it is a failure,
 * through the per-call state machine.
 *
 * The request's method matters for requests that start jobs: pass `method` (and
 * `idempotent`), or let the adapter read them from an axios, got or ky error.
 *
 * Resolves with fn's result; after giving up on a failed `Response` result, with that
 * Response (as fetchWithRetry does). Rejects with fn's last error, with an error the adapter
 * does not recognise (at once), with the abort reason when the caller aborts (at once, even
 * if fn ignores the signal), with a TimeoutError when the deadline passes during an attempt,
 * or with the exception of a hook or of `toInput`. `reauthenticate()`'s return value is
 * ignored here: fn must read the fresh credentials.
 *
 * @template T
 * @param {(attempt: number, signal: AbortSignal) => Promise<T>} fn
 * @param {import("./index.js").RetryFnOptions<T>} [options]
 * @returns {Promise<T>}
 */
export async function retry(fn, options) {
  if (typeof fn !== "function") throw argumentError("fn", "a function (attempt, signal) => Promise", fn);
  const opts = readOptions(options, RETRY_KEYS);
  const toInput = opts.toInput ?? defaultToInput;
  const method = opts.method != null ? opts.method.toUpperCase() : undefined;
  const linked = linkSignals(opts.signal != null ? [opts.signal] : []);
  const signal = linked.signal;

  const call = beginCall(opts, { method });
  let succeeded = false;
  try {
    // Bounded: the call stops after maxAttempts (≤ 100) plus one re-authentication.
    for (;;) {
      if (signal.aborted) throw abortError(signal.reason);
      const admitting = call.admit(signal);
      if (admitting !== null) await admitting;
      const attemptNumber = call.attempt;
      const limits = call.attemptLimits(signal, undefined);
      let outcome;
      try {
        outcome = { result: await abortable(Promise.resolve().then(() => fn(attemptNumber, limits.signal)), limits.signal) };
      } catch (error) {
        if (signal.aborted) throw abortError(signal.reason);
        outcome = { error };
      } finally {
        limits.clear();
      }
      if ("error" in outcome) {
        const learned = requestOf(outcome.error);
        if (learned.method !== undefined) call.learnRequest(learned.method, isIdempotent(opts, learned.headers));
      }
      let proposal;
      if (limits.ended() === "deadline") {
        proposal = call.failure("deadline", outcome);
      } else {
        const input = await abortable(toInput(outcome), signal);
        if (input != null && !isObject(input)) throw argumentError("toInput() result", "an ErrorInput object or null", input);
        if (input == null || !isFailureStatus(input.status)) {
          // Not a failure the policy judges: settle with the outcome as it is.
          if ("error" in outcome) throw outcome.error;
          succeeded = true;
          return outcome.result;
        }
        const kind = input.status === 0 && "error" in outcome ? noResponseKind(outcome.error) : null;
        proposal = kind !== null ? call.failure(kind, outcome) : call.response(input, outcome);
      }
      const info = await afterDecision(call, proposal, opts, signal, {
        beforeRetry: () => isResponseLike(outcome.result) && discard(outcome.result),
      });
      if (info === null) {
        if ("error" in outcome) throw outcome.error;
        return outcome.result;
      }
    }
  } finally {
    linked.unlink();
    await call.finish(succeeded);
  }
}

// The pieces the client plug-ins (plugins/*.js) share with the executors above.
export { COMMON_KEYS, readOptions, discard, defaultToInput, requestOf };
