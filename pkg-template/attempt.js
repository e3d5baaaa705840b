// The attempt driver: what `fetchWithRetry`, `retry` and the axios, ky and got plug-ins do
// around a decision, written once. What a request is (its method, whether it is idempotent,
// whether its body can be sent again), what counts as a failure, and the steps after the
// module's decision (give up and tell `onGiveUp`; or tell `onRetry`, re-authenticate once,
// wait). Each executor and plug-in only adapts its client's request, response and error
// shapes to these. Nothing here decides a retry or writes a reason: the module does
// (src/call.rs, through `Call`).
import { Call, readHeadersInit } from "./call.js";
import { abortable, linkSignals, sleep } from "./signals.js";

/** Whether `v` is a non-null object. */
export const isObject = (v) => v !== null && typeof v === "object";
/** Whether `v` can be listened to like an AbortSignal. */
export const isAbortSignal = (v) => isObject(v) && typeof v.aborted === "boolean" && typeof v.addEventListener === "function";

/**
 * Whether a status is a failure to show the policy: an error status (≥ 400), or 0 (a
 * `Response.error()`, or no response at all). 1xx, 2xx, and 3xx (a 304 of a conditional GET,
 * a redirect seen with `redirect: "manual"`) are final as they are. Anything that is not a
 * status at all (a `toInput` that returned `"503"` or `-1`) goes to the module too, which
 * refuses it with ERR_INVALID_STATUS.
 */
export function isFailureStatus(status) {
  return !(typeof status === "number" && status >= 100 && status <= 399);
}

/**
 * Whether a fetch `Response` is a failure: a failure status, except the opaque responses of
 * `mode: "no-cors"`, whose status 0 means "unreadable", not "no response".
 */
export function isFailedResponse(response) {
  if (response.type === "opaque" || response.type === "opaqueredirect") return false;
  return isFailureStatus(response.status);
}

/** Whether a headers object (plain, AxiosHeaders, Headers, got's) has `name`, in any case. */
export function hasHeader(headers, name) {
  if (!isObject(headers)) return false;
  if (typeof headers.has === "function") return headers.has(name);
  const lower = name.toLowerCase();
  return Object.keys(headers).some((key) => key.toLowerCase() === lower);
}

/**
 * Whether a request may be sent twice whatever its method: the caller's `idempotent` option
 * when given, else an `Idempotency-Key` header on the request.
 */
export function isIdempotent(opts, headers) {
  return opts.idempotent ?? hasHeader(headers, "idempotency-key");
}

/**
 * Whether a request body can be read only once, so the request cannot be sent again with the
 * same content (the module then stops with the `stream-body` rule): Node streams (`pipe`),
 * web `ReadableStream`s (`getReader`), async iterables and async generators, iterators and
 * generators (`next`), and any other iterable that is not a known collection. Strings,
 * `ArrayBuffer`s and views (Buffers), arrays, `Blob`, `URLSearchParams`, `FormData` and
 * plain objects (JSON) are built anew for every attempt. When in doubt, one-shot.
 */
export function isOneShotBody(body) {
  if (body === null || typeof body !== "object") return false;
  if (typeof body.pipe === "function" || typeof body.getReader === "function") return true;
  if (typeof body[Symbol.asyncIterator] === "function" || typeof body.next === "function") return true;
  if (typeof body[Symbol.iterator] !== "function") return false;
  const replayable =
    Array.isArray(body) ||
    ArrayBuffer.isView(body) ||
    (typeof URLSearchParams === "function" && body instanceof URLSearchParams) ||
    (typeof FormData === "function" && body instanceof FormData);
  return !replayable;
}

/**
 * The call for one request: `{ method, headers, body }` as the client holds them (`method`
 * may be unknown: `undefined`; `headers` and `body` may be absent, as for `retry()`).
 */
export function beginCall(opts, { method, headers, body }) {
  return new Call(opts, { method, idempotent: isIdempotent(opts, headers), replayable: !isOneShotBody(body) });
}

/**
 * The steps after a judged attempt: settles `proposal` with the module (the hooks' info),
 * then, when the call stops, tells `onGiveUp` and returns `null`; when it retries, runs
 * `beforeRetry` (a client releasing the failed response), tells `onRetry`, re-authenticates
 * once when the decision says so (the fresh headers go to `freshHeaders(headers)`, a
 * `Headers`), waits the decision's delay, and returns the info. Every wait ends with an
 * abort of `signal`; what a hook throws ends the call.
 */
export async function afterDecision(call, proposal, opts, signal, { beforeRetry, freshHeaders } = {}) {
  const info = await call.settle(proposal, signal);
  if (!info.decision.retry) {
    opts.onGiveUp?.(info);
    return null;
  }
  beforeRetry?.();
  opts.onRetry?.(info);
  if (info.decision.reauthenticate) {
    const fresh = await abortable(opts.reauthenticate(), signal);
    if (fresh != null && freshHeaders) freshHeaders(readHeadersInit(fresh));
  }
  await sleep(info.decision.delayMs, signal);
  return info;
}

/**
 * Before an attempt: for a coordinated call (the `coordinator` option), a promise that
 * resolves once the namespace's server wait has passed (aborted by any of `signals`, the
 * AbortSignals among them), or rejects with ERR_SERVER_WAIT; `null` when the call has no
 * coordinator. A circuit breaker (the `breaker` option) that refuses the attempt throws
 * ERR_CIRCUIT_OPEN (or rejects with it).
 */
export function admit(call, signals) {
  if (!call.waits) return call.admit(undefined);
  const linked = linkSignals(signals.filter(isAbortSignal));
  return call.admit(linked.signal).finally(linked.unlink);
}
