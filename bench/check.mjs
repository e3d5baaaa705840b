// Before timing anything: the fast routes of api.js (raw exports, results read from wasm
// memory) must give exactly what the full routes of the bindings give (objects read with
// Reflect, results through JSON). Run by bench/run.mjs; also `node bench/check.mjs [--pkg DIR]`.
import { deepStrictEqual } from "node:assert";
import { readFileSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { GRAPH_200_ITEMS, VENDOR_BODIES, itemErrors, listOfSize } from "./fixtures.mjs";

/** Throws on the first difference; returns how many cases were compared. */
export async function checkRoutes(pkg) {
  const api = await import(pathToFileURL(join(pkg, "index.node.js")).href);
  // The bindings' own exports: the wasm-bindgen glue as shipped to browsers. The Node entry
  // is one bundled file with its own copy, so this module gets its own instance of the same
  // wasm.
  const core = await import(pathToFileURL(join(pkg, "wasm", "backup_errors.js")).href);
  core.initSync({ module: readFileSync(join(pkg, "wasm", "backup_errors_bg.wasm")) });
  let cases = 0;
  const same = (fast, full, what) => {
    deepStrictEqual(fast, full, what);
    cases++;
  };

  // classify: every fixture, in every body and header form, plus awkward inputs.
  const bodies = [...VENDOR_BODIES.map((v) => v.body), GRAPH_200_ITEMS, itemErrors(50), listOfSize(20_000)];
  bodies.push(
    "",
    "   ",
    "\uFEFF{\"errorCode\":\"127\"}",
    '{"error":{"code":"Ünïcödé","message":"für 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 — ok","innerError":{"request-id":"é"}}}',
    '{"error_code":"APIGW.0308","error_msg":"\\u00e9\\ud83d\\ude00 escaped"}',
    "<html><title>502</title></html>",
    "{not json",
    '{"errorCode":"__proto__","errorMessage":"x","__proto__":{"polluted":1}}',
    "x".repeat(3000),
    '{"message":"' + "é".repeat(700) + '"}',
  );
  const headerForms = [
    undefined,
    null,
    { "Retry-After": "7", "X-Request-Id": "abc", "content-type": "application/json" },
    [["retry-after", "1.5"], ["request-id", "r"], ["client-request-id", "c"]],
    new Headers({ "x-ms-retry-after-ms": "250", "x-request-id": "h" }),
    { "retry-after": "Wed, 21 Oct 2015 07:28:00 GMT", "x-correlation-id": " spaced " },
    { "RateLimit-Reset": "7", "atl-traceid": "t", "x-ms-ags-diagnostic": "{}" },
    { "retry-after": 12, "x-request-id": ["a", "b"] }, // numbers and arrays: the full route reads them
    { "x-request-id": "nul\0inside" },
    { "x-request-id": "ünï" },
  ];
  for (const status of [0, 200, 400, 401, 409, 429, 500, 503, 520]) {
    for (const body of bodies) {
      for (const headers of headerForms) {
        const input = { status, headers, body };
        same(api.classify(input), core.classify(input), `classify ${status} ${String(body).slice(0, 40)}`);
      }
      const bytes = new TextEncoder().encode(body);
      same(api.classify({ status, body: bytes }), core.classify({ status, body: bytes }), "bytes body");
      same(api.classify({ status, body: bytes.buffer }), core.classify({ status, body: bytes.buffer }), "ArrayBuffer body");
    }
    for (const vendor of [undefined, null, "veeam", "huawei", "microsoft365", "acronis", "atlassian", "generic", "Veeam", " auto "]) {
      for (const body of bodies.slice(0, 8)) {
        same(api.classify({ status, body, vendor, method: "POST" }), core.classify({ status, body, vendor, method: "POST" }), `vendor ${vendor}`);
      }
    }
    const objectBody = { errors: [{ message: "Busy", type: "retryablelogical", code: 4002 }] };
    same(api.classify({ status, body: objectBody }), core.classify({ status, body: objectBody }), "object body");
    same(api.classify({ status, body: [1, 2] }), core.classify({ status, body: [1, 2] }), "array body");
  }

  // explain and catalog.
  for (const row of api.catalog()) {
    same(api.explain(row.vendor, row.code, row.status), core.explain(row.vendor, row.code, row.status ?? null), `explain ${row.vendor} ${row.code}`);
    same(api.explain(row.vendor, row.code.toLowerCase()), core.explain(row.vendor, row.code.toLowerCase(), null), "explain lower case");
  }
  same(api.explain("acronis", 1001), core.explain("acronis", 1001, null), "explain number");
  same(api.explain("veeam", "no-such-code"), core.explain("veeam", "no-such-code", null), "explain unknown");
  for (const vendor of [undefined, null, "veeam", "huawei", "microsoft365", "acronis", "atlassian", "generic"]) {
    same(api.catalog(vendor), core.catalog(vendor ?? null), `catalog ${vendor}`);
  }

  // RetryPolicy.decide: the fast route against the bindings' own decide, reached by giving
  // the same classification with `items` as a Set (an iterable only the bindings read).
  const inputs = [...VENDOR_BODIES, { status: 200, body: GRAPH_200_ITEMS }, { status: 503, headers: { "retry-after": "2" } }, { status: 429, headers: { "retry-after": "99999" } }, { status: 401 }, { status: 0 }, { status: 500, vendor: "acronis" }, { status: 500, body: '{"error_code":"CSBS.8009","error_msg":"x"}' }];
  for (const options of [{ seed: 7 }, { seed: 7, jitter: "decorrelated" }, { seed: 3, trustVendorCodes: false, nonIdempotent: "safe-only" }]) {
    const fast = new api.RetryPolicy(options);
    const full = new api.RetryPolicy(options);
    for (const input of inputs) {
      const c = api.classify(input);
      for (const context of [{ attempt: 1, elapsedMs: 0 }, { attempt: 2, elapsedMs: 1500, method: "POST", earlierAmbiguousFailure: true }, { attempt: 9 }, undefined, { attempt: "x", elapsedMs: -1 }]) {
        same(fast.decide(c, context), full.decide({ ...c, items: new Set(c.items) }, context), `decide ${c.status} ${JSON.stringify(context)}`);
      }
    }
  }
  return cases;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..");
  const i = process.argv.indexOf("--pkg");
  const pkg = i > 0 ? resolve(process.argv[i + 1]) : join(root, "pkg");
  console.log(`[check] fast and full routes agree on ${await checkRoutes(pkg)} cases`);
}
