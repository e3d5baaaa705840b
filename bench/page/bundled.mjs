// The start-up measurement of index.html for a production build: bench/run.mjs bundles this
// file with esbuild (--bundle --minify --format=esm --conditions=esbuild --loader:.wasm=file,
// docs/bundlers.md's line) and serves it from bundled.html, whose inline script notes the start
// time. One request for the JS and one for the .wasm, as an app ships them.
// json-parse-only.mjs is its baseline: the same page, bundled the same way, that only runs
// JSON.parse() on the same body; keep the response below and its copy there in step.
import { classify } from "backup-errors";

const t1 = performance.now();
const c = classify({
  status: 429,
  headers: { "retry-after": "10", "request-id": "a3f5c6d7", "client-request-id": "a3f5c6d7" },
  body: '{"error": {"code": "TooManyRequests", "message": "Too many requests are being made. Retry after some time.", "innerError": {"request-id": "a3f5c6d7"}}}',
});
const t2 = performance.now();
const resources = performance.getEntriesByType("resource");
const wasm = resources.find((e) => e.name.endsWith(".wasm"));
window.__bench = {
  moduleStart: window.__t0,
  importMs: t1 - window.__t0,
  classifyMs: t2 - t1,
  sinceNavigationMs: t2,
  wasmFetchMs: wasm ? wasm.responseEnd - wasm.startTime : null,
  requests: resources.length,
  ok: c.category === "rate_limited" && c.retryAfterMs === 10000,
};
