// The public API shared by every entry; core.js holds the wasm module (loaded by the entry).
// Fast route: arguments checked here go to raw exports as primitives; results are u32 words in
// wasm memory (layout: src/wasm/raw.rs), fixed sentences decoded once per address. Anything
// unusual takes the full exports, which raise every error. bench/check.mjs compares the two.
import { core, glue } from "./core.js";

const NULL = 0xffffffff;
const FIXED = 0x80000000;
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
const encoder = new TextEncoder();

let names = null;
let vendorIndex = null;
let memory = null;
let u8 = null;
let u32 = null;
// The wasm input buffer: address, size (it only grows, and moves only then), view.
let inputAt = 0;
let inputSize = 0;
let inputView = null;
const fixed = new Map();

function setup() {
  const [vendors, categories, actions, processed] = JSON.parse(core.names());
  names = { vendors, categories, actions, processed };
  vendorIndex = new Map(vendors.map((v, i) => [v, i]));
  memory = core.wasmMemory();
}

// Growing the memory detaches the old buffer.
function views() {
  if (u8 === null || u8.byteLength === 0) {
    u8 = new Uint8Array(memory.buffer);
    u32 = new Uint32Array(memory.buffer);
  }
}

function inputBuffer(size) {
  if (size > inputSize) {
    inputAt = core.inputBuffer(size);
    inputSize = size;
    inputView = null;
  }
  views();
  if (inputView === null || inputView.byteLength === 0) inputView = new Uint8Array(memory.buffer, inputAt, inputSize);
  return inputView;
}

function textAt(w) {
  const len = u32[w + 1];
  return len === 0 ? "" : decoder.decode(u8.subarray(u32[w], u32[w] + len));
}

function str(text, i) {
  const a = u32[i];
  if (a === NULL) return null;
  if (a & FIXED) {
    const at = a & 0x7fffffff;
    let s = fixed.get(at);
    if (s === undefined) {
      s = decoder.decode(u8.subarray(at, at + u32[i + 1]));
      fixed.set(at, s);
    }
    return s;
  }
  return text.slice(a, u32[i + 1]);
}

const ms = (i) => (u32[i + 1] === NULL ? null : u32[i + 1] * 0x100000000 + u32[i]);

const isPlainObject = (v) => {
  if (v === null || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};
const nullish = (v) => v === undefined || v === null;

// `name \0 value \0` per header, skipping what the full route skips; null (full route) for
// numbers, arrays, a \0 inside, or iterables other than arrays and Headers.
function joinHeaders(headers) {
  if (nullish(headers)) return "";
  let out = "";
  if (isPlainObject(headers) && headers[Symbol.iterator] === undefined) {
    for (const name of Object.keys(headers)) {
      const value = headers[name];
      if (typeof value === "string") {
        if (name.includes("\0") || value.includes("\0")) return null;
        out += name + "\0" + value + "\0";
      } else if (typeof value === "number" || Array.isArray(value)) return null;
    }
    return out;
  }
  if (Array.isArray(headers) || (typeof Headers === "function" && headers instanceof Headers)) {
    for (const pair of headers) {
      if (!Array.isArray(pair) || typeof pair[0] !== "string") continue;
      const name = pair[0];
      const value = pair[1];
      if (typeof value === "string") {
        if (name.includes("\0") || value.includes("\0")) return null;
        out += name + "\0" + value + "\0";
      } else if (typeof value === "number" || Array.isArray(value)) return null;
    }
    return out;
  }
  return null;
}

function readClassification(p) {
  const w = p >>> 2;
  const text = textAt(w);
  const n = u32[w + 22];
  const items = new Array(n);
  for (let k = 0, i = w + 23; k < n; k++, i += 14) {
    const status = u32[i + 6];
    items[k] = {
      code: str(text, i),
      message: str(text, i + 2),
      target: str(text, i + 4),
      status: status === NULL ? null : status,
      category: names.categories[u32[i + 7]],
      action: names.actions[u32[i + 8]],
      retryable: u32[i + 9] !== 0,
      retryAfterMs: ms(i + 10),
      summary: str(text, i + 12),
    };
  }
  return {
    vendor: names.vendors[u32[w + 2]],
    status: u32[w + 3],
    code: str(text, w + 10),
    message: str(text, w + 12),
    category: names.categories[u32[w + 4]],
    action: names.actions[u32[w + 5]],
    retryable: (u32[w + 6] & 1) !== 0,
    processed: names.processed[u32[w + 7]],
    retryAfterMs: ms(w + 8),
    summary: str(text, w + 14),
    remediation: str(text, w + 16),
    parameter: str(text, w + 18),
    requestId: str(text, w + 20),
    documented: (u32[w + 6] & 2) !== 0,
    items,
  };
}

function readEntry(i) {
  const status = u32[i + 1];
  return {
    vendor: names.vendors[u32[i]],
    code: str("", i + 4),
    status: status === NULL ? null : status,
    category: names.categories[u32[i + 2]],
    action: names.actions[u32[i + 3]],
    summary: str("", i + 6),
    remediation: str("", i + 8),
  };
}

// 255: detect; -1: full route.
function vendorArg(vendor) {
  if (nullish(vendor)) return 255;
  if (typeof vendor !== "string") return -1;
  const i = vendorIndex.get(vendor);
  return i === undefined ? -1 : i;
}

/**
 * Says what a failed response means and what to do next.
 * @param {import("./index.js").ErrorInput} input
 * @returns {import("./index.js").Classification}
 */
export function classify(input) {
  if (names === null) setup();
  fast: if (input !== null && typeof input === "object" && !Array.isArray(input)) {
    const { status, headers, body, vendor, method } = input;
    if (typeof status !== "number" || !Number.isInteger(status) || status < 0 || status > 999) break fast;
    const v = vendorArg(vendor);
    if (v < 0 || !(nullish(method) || typeof method === "string")) break fast;
    const joined = joinHeaders(headers);
    if (joined === null) break fast;
    let text = null;
    let bytes = null;
    if (typeof body === "string") text = body;
    else if (nullish(body)) text = "";
    else if (body instanceof Uint8Array) bytes = body;
    else if (body instanceof ArrayBuffer) bytes = new Uint8Array(body);
    else if (isPlainObject(body) || Array.isArray(body)) {
      try {
        text = JSON.stringify(body);
      } catch {
        text = undefined; // a value that cannot be stringified counts as an empty body
      }
      if (typeof text !== "string") text = "";
    } else break fast;
    // Headers, then the body, encoded straight into wasm memory.
    let view = inputBuffer(joined.length * 3 + (text === null ? bytes.length : text.length));
    const h = joined.length === 0 ? 0 : encoder.encodeInto(joined, view).written;
    let b;
    if (text === null) {
      view.set(bytes, h);
      b = bytes.length;
    } else {
      const r = encoder.encodeInto(text, h === 0 ? view : view.subarray(h));
      b = r.written;
      if (r.read < text.length) {
        // Not ASCII: room for the rest at up to 3 bytes per UTF-16 unit.
        view = inputBuffer(h + b + (text.length - r.read) * 3);
        b += encoder.encodeInto(text.substring(r.read), view.subarray(h + b)).written;
      }
    }
    const p = core.classifyInput(status, v, h, b);
    views();
    return readClassification(p);
  }
  return core.classify(input);
}

/**
 * Classifies a fetch `Response` without consuming it (reads a clone of the body).
 * A body that was already read is classified from its status and headers alone.
 */
export async function classifyResponse(response, options = {}) {
  if (response === null || typeof response !== "object" || typeof response.clone !== "function") {
    throw core.argumentError("response", "a fetch Response", response);
  }
  let body = null;
  if (!response.bodyUsed) {
    try {
      body = new Uint8Array(await response.clone().arrayBuffer());
    } catch {
      body = null; // an unreadable body (aborted stream) is classified from status and headers
    }
  }
  const { vendor, method } = options ?? {};
  return classify({ status: response.status, headers: response.headers, body, vendor, method });
}

/** The documented meaning of a vendor's code, or `null`. */
export function explain(vendor, code, status) {
  if (names === null) setup();
  const v = typeof vendor === "string" ? vendorIndex.get(vendor) : undefined;
  const text = typeof code === "string" ? code : Number.isSafeInteger(code) && !Object.is(code, -0) ? String(code) : null;
  const s = nullish(status) ? NULL : Number.isInteger(status) && status >= 0 && status <= 999 ? status : -1;
  if (v === undefined || text === null || s < 0) return core.explain(vendor, code, status ?? null);
  const p = core.explainRaw(v, text, s) >>> 2;
  views();
  return u32[p + 2] === 0 ? null : readEntry(p + 3);
}

/** Every documented code of one vendor, or of all vendors. */
export function catalog(vendor) {
  if (names === null) setup();
  const v = nullish(vendor) ? NULL : typeof vendor === "string" ? vendorIndex.get(vendor) : undefined;
  if (v === undefined) return core.catalog(vendor ?? null);
  const p = core.catalogRaw(v) >>> 2;
  views();
  const n = u32[p + 2];
  const out = new Array(n);
  for (let k = 0, i = p + 3; k < n; k++, i += 10) out[k] = readEntry(i);
  return out;
}

// RetryPolicy.prototype.decide, fast route: every field checked as the bindings check it;
// only what the policy reads crosses.
const categoryIndex = () => (names.categoryIndex ??= new Map(names.categories.map((c, i) => [c, i])));
const actionIndex = () => (names.actionIndex ??= new Map(names.actions.map((a, i) => [a, i])));
const optString = (v) => nullish(v) || typeof v === "string";
const u64 = (v) => Number.isSafeInteger(v) && v >= 0;

const processedIndex = () => (names.processedIndex ??= new Map(names.processed.map((p, i) => [p, i])));

function decisionFields(c) {
  if (c === null || typeof c !== "object") return null;
  const { vendor, status, code, message, category, action, retryable, processed, retryAfterMs, summary, remediation, parameter, requestId, documented, items } = c;
  const v = typeof vendor === "string" ? vendorIndex.get(vendor) : undefined;
  const cat = typeof category === "string" ? categoryIndex().get(category) : undefined;
  const act = typeof action === "string" ? actionIndex().get(action) : undefined;
  if (v === undefined || cat === undefined || act === undefined) return null;
  if (!(Number.isSafeInteger(status) && status >= 0 && status <= 0xffff)) return null;
  if (!(optString(code) && optString(message) && optString(remediation) && optString(parameter) && optString(requestId))) return null;
  if (typeof retryable !== "boolean" || typeof documented !== "boolean" || typeof summary !== "string") return null;
  if (!(nullish(retryAfterMs) || u64(retryAfterMs)) || !Array.isArray(items)) return null;
  // 3: absent, so the status and category decide (as the full route reads it).
  const proc = nullish(processed) ? 3 : typeof processed === "string" ? processedIndex().get(processed) : undefined;
  if (proc === undefined) return null;
  for (const item of items) {
    if (item === null || typeof item !== "object") return null;
    if (!(optString(item.code) && optString(item.message) && optString(item.target) && optString(item.summary))) return null;
    if (!categoryIndex().has(item.category) || !actionIndex().has(item.action)) return null;
    if (!(nullish(item.status) || (Number.isSafeInteger(item.status) && item.status >= 0 && item.status <= 0xffff))) return null;
    if (!(nullish(item.retryAfterMs) || u64(item.retryAfterMs))) return null;
  }
  return { v, status, cat, act, proc, code: nullish(code) ? undefined : code, summary, retryAfterMs: nullish(retryAfterMs) ? -1 : retryAfterMs, items: items.length };
}

// What decideRaw holds from the last call that returned (src/wasm/retry.rs).
const unset = {};
let lastCode = unset;
let lastSummary = unset;

// Patched on the module's own class (`glue`): reaching it through `core` would load the
// module at import.
const decideFull = glue.RetryPolicy.prototype.decide;
glue.RetryPolicy.prototype.decide = function decide(classification, context) {
  if (names === null) setup();
  const f = this instanceof core.RetryPolicy ? decisionFields(classification) : null;
  if (f === null) return decideFull.call(this, classification, context);
  let attempt = NaN, elapsedMs = NaN, method, ambiguous = false, idempotent = false;
  if (context !== null && typeof context === "object") {
    const a = context.attempt, e = context.elapsedMs, m = context.method;
    attempt = typeof a === "number" ? a : NaN;
    elapsedMs = typeof e === "number" ? e : NaN;
    method = typeof m === "string" ? m : undefined;
    ambiguous = !!context.earlierAmbiguousFailure;
    idempotent = !!context.idempotent;
  }
  const codeMode = f.code === lastCode ? 0 : f.code === undefined ? 1 : 2;
  const summary = f.summary === lastSummary ? undefined : f.summary;
  lastCode = lastSummary = unset; // it may throw after storing them
  const w = core.decideRaw(this, f.status, f.v, f.cat, f.act, f.retryAfterMs, f.items, codeMode, codeMode === 2 ? f.code : undefined, summary, attempt, elapsedMs, method, ambiguous, idempotent, f.proc) >>> 2;
  lastCode = f.code;
  lastSummary = f.summary;
  views();
  const text = textAt(w);
  return {
    retry: u32[w + 2] !== 0,
    delayMs: ms(w + 3),
    reason: text,
    attempt: u32[w + 5],
    earlierAttemptMayHaveSucceeded: u32[w + 6] !== 0,
  };
};

/**
 * The exit code the `backup-errors classify` command gives a classification: 0 a 2xx, 13 a
 * 2xx with item errors, 10 retryable, 11 retryable once credentials or state are fixed
 * (`reauthenticate`, `refresh_and_retry`), 12 not retryable.
 */
export function exitCode(classification) {
  return core.exitCode(classification);
}

export { RetryPolicy, RetryBudget } from "./core.js";
export { fetchWithRetry, retry } from "./executor.js";
// The client plug-ins, re-exported by the subpath entries (backup-errors/axios, /ky, /got)
// from this module graph, so they share its state: a RetryBudget or RetryPolicy from the
// main entry is theirs too.
export { attachAxios } from "./plugins/axios.js";
export { kyRetry } from "./plugins/ky.js";
export { gotRetry } from "./plugins/got.js";
