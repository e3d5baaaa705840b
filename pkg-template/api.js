// The public API shared by every entry (browser, Node ESM, Node CJS). The wasm module is
// initialised by the entry before any of these functions can be called.
import * as core from "./wasm/backup_errors.js";

/**
 * Says what a failed response means and what to do next.
 * @param {import("./index.js").ErrorInput} input
 * @returns {import("./index.js").Classification}
 */
export function classify(input) {
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
  return core.classify({ status: response.status, headers: response.headers, body, vendor, method });
}

/** The documented meaning of a vendor's code, or `null`. */
export function explain(vendor, code, status) {
  return core.explain(vendor, code, status ?? null);
}

/** Every documented code of one vendor, or of all vendors. */
export function catalog(vendor) {
  return core.catalog(vendor ?? null);
}

export { RetryPolicy, RetryBudget } from "./wasm/backup_errors.js";
export { fetchWithRetry, retry } from "./executor.js";
