// throughput: one section of bench/run.mjs (its header says what it measures).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { GRAPH_200_ITEMS, VENDOR_BODIES } from "../fixtures.mjs";
import { median, table, fmtNs, perSec } from "../lib/measure.mjs";
import { pkg, wasmFile, layout, results, compare } from "../lib/context.mjs";
import { unbundled } from "../lib/unbundled.mjs";

/** Results of the timed calls, combined so no call can be optimised away. */
let sink = 0;

/**
 * The wasm part of a call (today's layout; null for the glue layout): the input the package
 * writes for an operation is captured from the unbundled copy of its modules, then replayed
 * into the exports of a plain instance — begin(size), copy the bytes in, call the
 * operation — with none of the JS that reads the arguments and builds the result object.
 * Call time minus this is the JS part.
 */
async function exportReplay() {
  if (layout !== "direct") return null;
  const copy = await unbundled();
  const api = copy.api;
  const captured = copy.captured;
  const raw = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasmFile)), {}).exports;
  let u8 = new Uint8Array(raw.memory.buffer);
  const send = (name, bytes) => {
    const at = raw.begin(bytes.length);
    if (u8.buffer !== raw.memory.buffer) u8 = new Uint8Array(raw.memory.buffer);
    u8.set(bytes, at);
    return raw[name]();
  };
  return {
    api,
    /**
     * Runs `calls(api)` on the capturing copy and returns a function replaying its last
     * `keep` inputs of operation `name` in turn (earlier ones are sent once first, so the
     * module's memo of the last texts is as the package left it).
     */
    capture(name, calls, keep = 1) {
      captured.delete(name);
      copy.capture = true;
      try {
        calls(api);
      } finally {
        copy.capture = false;
      }
      const list = captured.get(name) ?? [];
      if (list.length < keep) throw new Error(`replay: ${name} was called ${list.length} times`);
      for (const bytes of list) {
        const p = send(name, bytes) >>> 0;
        const status = new Uint32Array(raw.memory.buffer)[(p >>> 2) + 2];
        if (status !== 0) throw new Error(`replay: ${name} answered with an error (${status})`);
      }
      const last = list.slice(-keep);
      return (i) => send(name, last[i % keep]);
    },
  };
}

export async function throughput() {
  const api = await import(pathToFileURL(join(pkg, "index.node.js")).href);
  const replay = await exportReplay();
  const rows = [];
  const perVendor = {};
  const inputs = [...VENDOR_BODIES, { vendor: "microsoft365 (200, 2 item errors)", status: 200, headers: { "request-id": "1e2d3c4b", "client-request-id": "1e2d3c4b" }, body: GRAPH_200_ITEMS, expect: { category: "ok" } }];
  for (const v of inputs) {
    const input = { status: v.status, headers: v.headers, body: v.body };
    const c = api.classify(input);
    for (const [k, want] of Object.entries(v.expect)) if (c[k] !== want) throw new Error(`${v.vendor}: ${k} is ${c[k]}, expected ${want}`);
    const bytes = new TextEncoder().encode(v.body);
    const fns = {
      jsonParse: () => {
        sink ^= JSON.parse(v.body) === null ? 1 : 0;
      },
      classify: () => {
        sink ^= api.classify(input).status;
      },
      classifyBytes: () => {
        sink ^= api.classify({ status: v.status, headers: v.headers, body: bytes }).status;
      },
    };
    if (replay) {
      const wasm = replay.capture("classify", (a) => a.classify(input));
      fns.wasm = (i) => {
        sink ^= wasm(i);
      };
    }
    const r = compare(fns);
    perVendor[v.vendor] = { bodyBytes: bytes.length, jsonParseNs: r.jsonParse, classifyNs: r.classify, ratio: r.classify / r.jsonParse, classifyBytesNs: r.classifyBytes, wasmNs: r.wasm ?? null };
    rows.push([v.vendor, bytes.length, fmtNs(r.jsonParse), fmtNs(r.classify), (r.classify / r.jsonParse).toFixed(2) + "×", fmtNs(r.classifyBytes), r.wasm ? `${fmtNs(r.wasm)} (${(r.wasm / r.jsonParse).toFixed(2)}×)` : "n/a"]);
  }
  table(
    "classify() vs JSON.parse() of the same body (string body; target ≤ 2×); wasm part = the same input replayed into the module's export",
    ["vendor", "bytes", "JSON.parse", "classify", "ratio", "classify(Uint8Array)", "wasm part (÷ JSON.parse)"],
    rows,
  );

  // decide: a retryable classification (the executor's hot path) and a documented busy one.
  const policy = new api.RetryPolicy({ seed: 1 });
  const c503 = api.classify({ status: 503, headers: { "retry-after": "1" } });
  const cBusy = api.classify({ status: VENDOR_BODIES[1].status, headers: VENDOR_BODIES[1].headers, body: VENDOR_BODIES[1].body });
  const c409 = api.classify({ status: VENDOR_BODIES[0].status, body: VENDOR_BODIES[0].body });
  const ctx = [1, 2, 3].map((attempt) => ({ attempt, elapsedMs: attempt * 1000 }));
  const catalogRows = api.catalog(); // every documented code in turn: more codes than any cache holds
  const explainArgs = [
    ["huawei", "CSBS.6005", 500],
    ["acronis", 1001, undefined],
    ["veeam", "4002", 400],
    ["atlassian", "127", 409],
    ["microsoft365", "QuotaExceeded", undefined],
  ];
  const fns = {
    decide503: (i) => {
      sink ^= policy.decide(c503, ctx[i % 3]).delayMs;
    },
    decideBusy: (i) => {
      sink ^= policy.decide(cBusy, ctx[i % 3]).delayMs;
    },
    decide409: (i) => {
      sink ^= policy.decide(c409, ctx[i % 3]).attempt;
    },
    explain: (i) => {
      const [vendor, code, status] = explainArgs[i % explainArgs.length];
      sink ^= api.explain(vendor, code, status) === null ? 1 : 0;
    },
    explainEvery: (i) => {
      const row = catalogRows[i % catalogRows.length];
      sink ^= api.explain(row.vendor, row.code, row.status) === null ? 1 : 0;
    },
  };
  if (replay) {
    // The same decisions on the capturing copy (its own policy, the same classifications),
    // six calls so the last three send the texts as "the same as last time", as a loop does.
    const decisions = (c) => (a) => {
      const p = new a.RetryPolicy({ seed: 1 });
      for (let k = 0; k < 6; k++) p.decide(c, ctx[k % 3]);
    };
    const wasm503 = replay.capture("decide", decisions(c503), 3);
    const wasmBusy = replay.capture("decide", decisions(cBusy), 3);
    fns.wasmDecide503 = (i) => {
      sink ^= wasm503(i);
    };
    fns.wasmDecideBusy = (i) => {
      sink ^= wasmBusy(i);
    };
  }
  const r = compare(fns);
  results.throughput = {
    method: "median ns/op over interleaved timed rounds in one process; ratio = classify ns / JSON.parse ns of the same string",
    perVendor,
    decidePerSec: { retryable503: 1e9 / r.decide503, busy: 1e9 / r.decideBusy, conflict409: 1e9 / r.decide409 },
    decideWasmPartNs: replay ? { retryable503: r.wasmDecide503, busy: r.wasmDecideBusy } : null,
    explainPerSec: 1e9 / r.explain,
    explainEveryCodePerSec: 1e9 / r.explainEvery,
    targets: { classifyRatio: 2, decidePerSec: 5e6 },
  };
  table(
    "RetryPolicy.decide() and explain() (target decide ≥ 5 M/s)",
    ["call", "per call", "per second"],
    [
      ["decide (503, retry with backoff)", fmtNs(r.decide503), perSec(r.decide503)],
      ["decide (Veeam busy, wait_and_retry)", fmtNs(r.decideBusy), perSec(r.decideBusy)],
      ["decide (409, never retried)", fmtNs(r.decide409), perSec(r.decide409)],
      ...(replay
        ? [
            ["  wasm part of decide (503): the input replayed into the export", fmtNs(r.wasmDecide503), perSec(r.wasmDecide503)],
            ["  wasm part of decide (Veeam busy)", fmtNs(r.wasmDecideBusy), perSec(r.wasmDecideBusy)],
          ]
        : []),
      ["explain (5 vendors' codes)", fmtNs(r.explain), perSec(r.explain)],
      [`explain (all ${catalogRows.length} catalog rows in turn)`, fmtNs(r.explainEvery), perSec(r.explainEvery)],
    ],
  );
}
