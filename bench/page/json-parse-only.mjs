// The baseline of bundled.mjs: the same page doing the same work except that it only runs
// JSON.parse() on the same body, with no backup-errors import. bench/sections/chromium.mjs
// bundles it with the same esbuild line as bundled.mjs and serves it from
// json-parse-only.html (a copy of bundled.html), alternating with the classify pages, so
// "navigation start → first classification" of the bundle can be read as a ratio to
// "navigation start → parse done" here (the target is ≤ 1.2×). The response is bundled.mjs's,
// character for character: keep the two in step.
const t1 = performance.now();
const response = {
  status: 429,
  headers: { "retry-after": "10", "request-id": "a3f5c6d7", "client-request-id": "a3f5c6d7" },
  body: '{"error": {"code": "TooManyRequests", "message": "Too many requests are being made. Retry after some time.", "innerError": {"request-id": "a3f5c6d7"}}}',
};
const parsed = JSON.parse(response.body);
const t2 = performance.now();
const resources = performance.getEntriesByType("resource");
const wasm = resources.find((e) => e.name.endsWith(".wasm"));
window.__bench = {
  moduleStart: window.__t0,
  // From the inline script before the bundle to the bundle's first line, as in bundled.mjs
  // (here: fetch and compile of a bundle with no import).
  importMs: t1 - window.__t0,
  // The JSON.parse() that stands in for the first classify().
  classifyMs: t2 - t1,
  sinceNavigationMs: t2,
  wasmFetchMs: wasm ? wasm.responseEnd - wasm.startTime : null,
  requests: resources.length,
  ok:
    parsed?.error?.code === "TooManyRequests" &&
    parsed.error.message === "Too many requests are being made. Retry after some time." &&
    parsed.error.innerError?.["request-id"] === response.headers["request-id"],
};
