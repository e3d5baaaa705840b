// The public API shared by every entry. Each function reads its arguments once, writes them
// into the module's input (encode.js), runs the module's operation (core.js) and turns the
// result into plain objects. Every check and every error is the module's (src/args, src/wire).
import { run, runRaw, nameTables, registerDefinition, memoryBytes, failure } from "./core.js";
import { Input, MAX_BODY_BYTES } from "./encode.js";
import { classifyInput, readClassification, writeClassification } from "./classification.js";
import { readEntry, forgetRows, inLanguage } from "./texts.js";
import { readPrefix } from "./executor.js";

/**
 * Says what a failed response means and what to do next.
 * @param {import("./index.js").ErrorInput} input
 * @returns {import("./index.js").Classification}
 */
export function classify(input) {
  return readClassification(run("classify", (w) => classifyInput(w, input)));
}

/**
 * Classifies a fetch `Response` without consuming it (reads a clone of the body, at most the
 * body cap). A body that was already read is classified from its status and headers alone.
 */
export async function classifyResponse(response, options = {}) {
  if (response === null || typeof response !== "object" || typeof response.clone !== "function") {
    throw failure("argument", "response", "a fetch Response", response);
  }
  const { bytes, truncated } = (await readPrefix(response, MAX_BODY_BYTES)) ?? { bytes: null, truncated: false };
  const { vendor, method } = options ?? {};
  const input = { status: response.status, headers: response.headers, body: bytes, vendor, method };
  return readClassification(run("classify", (w) => classifyInput(w, input, truncated)));
}

/** A catalog entry in the current language (its texts from the loaded pack, if any). */
function inLanguageEntry(e) {
  return { ...e, summary: inLanguage(e.summaryId, e.summary, EMPTY), remediation: inLanguage(e.remediationId, e.remediation, EMPTY) };
}
const EMPTY = Object.freeze({});

/** The documented meaning of a vendor's code, or `null`. */
export function explain(vendor, code, status) {
  const key = explainKey(vendor, code, status);
  let entry = key === null ? undefined : explained.get(key);
  if (entry === undefined) {
    const r = run("explain", (w) => w.arg([vendor, code, status]));
    entry = r.bool() ? readEntry(r, nameTables()) : null;
    if (key !== null) {
      if (explained.size >= EXPLAINED_MAX) explained.clear();
      explained.set(key, entry);
    }
  }
  return entry === null ? null : inLanguageEntry(entry);
}

/** The answers of `explain` by their arguments (the catalog changes only with `registerVendor`). */
const explained = new Map();
const EXPLAINED_MAX = 1024;

/** The key of `explain`'s arguments when they are plain values (a string vendor, a string or number code, a number or nothing for the status), else null. */
function explainKey(vendor, code, status) {
  if (typeof vendor !== "string" || vendor.length > 64) return null;
  if (typeof code === "string") {
    if (code.length > 256) return null;
  } else if (typeof code !== "number") return null;
  if (status !== undefined && status !== null && typeof status !== "number") return null;
  return `${vendor}\u0000${typeof code}\u0000${code}\u0000${status}`;
}

/** Every documented code of one vendor, or of all vendors. */
export function catalog(vendor) {
  const r = run("catalog", (w) => w.arg(vendor));
  const t = nameTables();
  const n = r.u32();
  const out = new Array(n);
  for (let k = 0; k < n; k++) out[k] = inLanguageEntry(readEntry(r, t));
  return out;
}

/**
 * Registers a vendor of your own, or rows that take precedence over a built-in vendor's own
 * (`{ id: "veeam", codes: [...] }`). The definition is read once; the module checks it and
 * rebuilds its registry from every definition registered so far (a definition with an id
 * registered before replaces that one). Throws a BackupErrorsError
 * (`ERR_INVALID_VENDOR_DEFINITION`) for a bad definition; nothing is registered then.
 */
export function registerVendor(definition) {
  const w = new Input();
  w.arg(definition);
  registerDefinition(w.buf.slice(0, w.n));
  explained.clear();
  forgetRows();
}

/**
 * The exit code the `backup-errors classify` command gives a classification: 0 a 2xx, 13 a
 * 2xx with item errors, 10 retryable, 11 retryable once credentials or state are fixed
 * (`reauthenticate`, `refresh_and_retry`), 12 not retryable.
 */
export function exitCode(classification) {
  return run("exitCode", (w) => writeClassification(w, classification)).u32();
}

/**
 * For tests of the package itself: `forceTrap()` makes the wasm instance execute
 * `unreachable`, so a test can check that the next call gets a fresh instance;
 * `memoryBytes()` is the size of the instance's memory.
 */
export const __testing = Object.freeze({
  forceTrap() {
    runRaw("forceTrap");
  },
  /** The size of the WebAssembly memory in bytes. */
  memoryBytes,
});

export { RetryPolicy, RetryBudget } from "./policy.js";
export { CircuitBreaker } from "./breaker.js";
export { Pacer } from "./pacer.js";
export { setLocale, getLocale, registerLocale } from "./locale.js";
export { messages } from "./texts.js";
export { fetchWithRetry, retry } from "./executor.js";
// The client plug-ins, re-exported by the subpath entries (backup-errors/axios, /ky, /got)
// from this module graph, so they share its state: a RetryBudget or RetryPolicy from the
// main entry is theirs too.
export { attachAxios } from "./plugins/axios.js";
export { kyRetry } from "./plugins/ky.js";
export { gotRetry } from "./plugins/got.js";
// backup-errors/redis re-exports the fleet coordinator from here, likewise.
export { RedisCoordinator } from "./plugins/redis.js";
