// throughput: one section of bench/run.mjs (its header says what it measures).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { GRAPH_200_RESPONSE, VENDOR_BODIES, VARIANTS, variants, decideResponses, decideContexts } from "../fixtures.mjs";
import { median, table, fmtNs, perSec } from "../lib/measure.mjs";
import { pkg, wasmFile, layout, results, compare } from "../lib/context.mjs";
import { unbundled } from "../lib/unbundled.mjs";

/** Results of the timed calls, combined so no call can be optimised away. */
let sink = 0;

/**
 * The wasm part of a call (today's layout; null for the glue layout): the calls the package
 * makes into the module are captured from the unbundled copy of its modules, then replayed
 * into the exports of a plain instance — begin(size), copy the bytes in, call the export with
 * the arguments it was given — with none of the JS that reads the arguments and builds the
 * result object. Call time minus this is the JS part.
 *
 * Every captured call is sent to the plain instance in the order it was made, so its state
 * is the copy's: the module's memo of the last texts, and the policies kept in slots. A
 * `decideAt` (since 5000e7e; `decide` with a policy block before) names a policy by the slot
 * and stamp the copy's instance gave it: the `policy` (or `keep`) call that stored it is sent
 * here too, and the slot and stamp this instance answers are put in the arguments instead.
 * Each replayed call must answer as the package's did (status, retry, delay, attempt).
 */
async function exportReplay() {
  if (layout !== "direct") return null;
  const copy = await unbundled();
  const api = copy.api;
  const policyWords = (await import(pathToFileURL(join(pkg, "layout.js")).href)).POLICY_WORDS ?? 29;
  const raw = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasmFile)), {}).exports;
  let u8 = new Uint8Array(raw.memory.buffer);
  const words = (p, n) => new Uint32Array(raw.memory.buffer, p, n);
  // The copy's "slot:stamp" of each policy → this instance's [slot, stamp].
  const slots = new Map();
  // Where the slot and the stamp are in the result of each operation that keeps a policy:
  // after the status word, `policy` writes the block first (src/wire/ops.rs).
  const slotAt = { policy: 3 + policyWords, keep: 3 };
  /** The arguments of a captured call as this instance takes them. */
  const argsFor = (name, call) => {
    if (name !== "decideAt") return call.args;
    const here = slots.get(`${call.args[0]}:${call.args[1]}`);
    if (here === undefined) throw new Error(`replay: decideAt names policy slot ${call.args[0]} (stamp ${call.args[1]}), which no captured call kept`);
    const args = [...call.args];
    [args[0], args[1]] = here;
    return args;
  };
  /** Sends one call: its input into a buffer of the same size, then the export. */
  const send = (f, bytes, a) => {
    const at = raw.begin(bytes.length);
    if (u8.buffer !== raw.memory.buffer) u8 = new Uint8Array(raw.memory.buffer);
    u8.set(bytes, at);
    return a.length === 0 ? f() : f(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14]);
  };
  /** Sends a captured call and checks its answer against the package's. */
  const replayOnce = (name, call) => {
    if (call.words === null) return; // the copy's slot held another policy: the package kept it again, then asked again
    const p = send(raw[name], call.bytes, argsFor(name, call)) >>> 0;
    if (p === 0) throw new Error(`replay: ${name} found no policy in its slot`);
    const got = words(p, name in slotAt ? slotAt[name] + 2 : 8);
    if (got[2] !== 0) throw new Error(`replay: ${name} answered with an error (${got[2]})`);
    for (let k = 2; k < 8; k++)
      if (got[k] !== call.words[k]) throw new Error(`replay: ${name} answered word ${k} = ${got[k]}, the package's call ${call.words[k]}`);
    if (name in slotAt) {
      const k = slotAt[name];
      slots.set(`${call.words[k]}:${call.words[k + 1]}`, [got[k], got[k + 1]]);
    }
  };
  return {
    api,
    /**
     * Runs `calls(api)` on the capturing copy and returns a function replaying its last
     * `keep` calls of the first export of `names` it made, in turn (every captured call is
     * sent once first, in order). The last `keep` calls must follow each other as a loop
     * over them does (calls runs the loop twice), so "the same text as last time" holds
     * when the replay goes from the last to the first.
     */
    capture(names, calls, keep = 1) {
      copy.captured.clear();
      copy.sequence.length = 0;
      copy.capture = true;
      try {
        calls(api);
      } finally {
        copy.capture = false;
      }
      const name = names.find((n) => copy.captured.has(n) && typeof raw[n] === "function");
      if (name === undefined) throw new Error(`replay: none of ${names.join(", ")} was called`);
      for (const [op, call] of copy.sequence) replayOnce(op, call);
      const list = copy.captured.get(name).filter((call) => call.words !== null);
      if (list.length < keep) throw new Error(`replay: ${name} was called ${list.length} times`);
      const last = list.slice(-keep);
      for (const call of last) replayOnce(name, call); // the loop's wrap-around answers alike
      const f = raw[name];
      const inputs = last.map((call) => [call.bytes, argsFor(name, call)]);
      const replay = (i) => {
        const [bytes, a] = inputs[i % keep];
        return send(f, bytes, a);
      };
      replay.export = name;
      return replay;
    },
  };
}

/** Throws unless classification `c` of `v` has the fields `v.expect` gives. */
function check(v, c) {
  for (const [k, want] of Object.entries(v.expect)) if (c[k] !== want) throw new Error(`${v.vendor}: ${k} is ${c[k]}, expected ${want} (body ${v.body.slice(0, 80)}…)`);
}

export async function throughput() {
  const api = await import(pathToFileURL(join(pkg, "index.node.js")).href);
  const replay = await exportReplay();
  const rows = [];
  const perVendor = {};
  // Call i of each timed function gets variant i % VARIANTS: a body (and headers) of its own,
  // classify and JSON.parse the same ones.
  for (const v of [...VENDOR_BODIES, GRAPH_200_RESPONSE]) {
    const list = variants(v);
    const n = list.length;
    const inputs = list.map((x) => ({ status: x.status, headers: x.headers, body: x.body }));
    const bodies = list.map((x) => x.body);
    const byteInputs = list.map((x) => ({ status: x.status, headers: x.headers, body: new TextEncoder().encode(x.body) }));
    list.forEach((x, k) => {
      check(x, api.classify(inputs[k]));
      check(x, api.classify(byteInputs[k]));
    });
    const fns = {
      jsonParse: (i) => {
        sink ^= JSON.parse(bodies[i % n]) === null ? 1 : 0;
      },
      classify: (i) => {
        sink ^= api.classify(inputs[i % n]).status;
      },
      classifyBytes: (i) => {
        sink ^= api.classify(byteInputs[i % n]).status;
      },
    };
    if (replay) {
      const wasm = replay.capture(["classify"], (a) => inputs.forEach((input) => a.classify(input)), n);
      fns.wasm = (i) => {
        sink ^= wasm(i);
      };
    }
    const r = compare(fns);
    const bytes = byteInputs[0].body.length;
    perVendor[v.vendor] = { bodyBytes: bytes, variants: n, distinctBodies: new Set(bodies).size, jsonParseNs: r.jsonParse, classifyNs: r.classify, ratio: r.classify / r.jsonParse, classifyBytesNs: r.classifyBytes, wasmNs: r.wasm ?? null };
    rows.push([v.vendor, bytes, fmtNs(r.jsonParse), fmtNs(r.classify), (r.classify / r.jsonParse).toFixed(2) + "×", fmtNs(r.classifyBytes), r.wasm ? `${fmtNs(r.wasm)} (${(r.wasm / r.jsonParse).toFixed(2)}×)` : "n/a"]);
  }
  table(
    `classify() vs JSON.parse() of the same bodies, ${VARIANTS} variants per vendor, call i on variant i % ${VARIANTS} (string body; target ≤ 2×); wasm part = the same inputs replayed into the module's export`,
    ["vendor", "bytes", "JSON.parse", "classify", "ratio", "classify(Uint8Array)", "wasm part (÷ JSON.parse)"],
    rows,
  );

  // decide: a retryable classification (the executor's hot path), a documented busy one and
  // one never retried, each of responses of their own (bench/fixtures.mjs decideResponses)
  // and in contexts whose attempt and elapsedMs vary (attempts the policy still retries:
  // maxAttempts 4, busy.maxAttempts 6 by default).
  const policy = new api.RetryPolicy({ seed: 1 });
  const cases = {
    503: { classifications: decideResponses("503").map((x) => api.classify(x)), contexts: decideContexts(3) },
    busy: { classifications: decideResponses("busy").map((x) => api.classify(x)), contexts: decideContexts(5) },
    409: { classifications: decideResponses("409").map((x) => api.classify(x)), contexts: decideContexts(3) },
  };
  for (const [kind, { classifications }] of Object.entries(cases)) {
    const want = { 503: "server_error", busy: "busy", 409: "conflict" }[kind];
    for (const c of classifications) if (c.category !== want) throw new Error(`decide ${kind}: a classification is ${c.category}, expected ${want}`);
  }
  const decider = (p, { classifications, contexts }) => {
    const n = classifications.length;
    return (i) => p.decide(classifications[i % n], contexts[i % n]);
  };
  const d503 = decider(policy, cases[503]);
  const dBusy = decider(policy, cases.busy);
  const d409 = decider(policy, cases[409]);
  for (let i = 0; i < VARIANTS; i++) {
    if (!d503(i).retry || !dBusy(i).retry) throw new Error("decide: a 503 or a busy response was not retried");
    if (d409(i).retry) throw new Error("decide: a 409 was retried");
  }
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
      sink ^= d503(i).delayMs;
    },
    decideBusy: (i) => {
      sink ^= dBusy(i).delayMs;
    },
    decide409: (i) => {
      sink ^= d409(i).attempt;
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
  let decideExport = null;
  if (replay) {
    // The same decisions on the capturing copy (its own policy, the same classifications and
    // contexts), the loop run twice, as the timed loop runs it: the replay cycles through the
    // second pass, whose texts are sent as "the same as last time" where the package does.
    const decisions = (kind) => (a) => {
      const d = decider(new a.RetryPolicy({ seed: 1 }), cases[kind]);
      for (let i = 0; i < 2 * VARIANTS; i++) d(i);
    };
    const names = ["decideAt", "decide"];
    const wasm503 = replay.capture(names, decisions(503), VARIANTS);
    const wasmBusy = replay.capture(names, decisions("busy"), VARIANTS);
    const wasm409 = replay.capture(names, decisions(409), VARIANTS);
    decideExport = wasm503.export;
    fns.wasmDecide503 = (i) => {
      sink ^= wasm503(i);
    };
    fns.wasmDecideBusy = (i) => {
      sink ^= wasmBusy(i);
    };
    fns.wasmDecide409 = (i) => {
      sink ^= wasm409(i);
    };
  }
  const r = compare(fns);
  results.throughput = {
    method: `median ns/op over interleaved timed rounds in one process; call i on variant i % ${VARIANTS} of each body (bench/fixtures.mjs variants); ratio = classify ns / JSON.parse ns of the same strings; decide on ${VARIANTS} classifications of varied responses in varied contexts`,
    variants: VARIANTS,
    perVendor,
    decidePerSec: { retryable503: 1e9 / r.decide503, busy: 1e9 / r.decideBusy, conflict409: 1e9 / r.decide409 },
    decideWasmPartNs: replay ? { export: decideExport, retryable503: r.wasmDecide503, busy: r.wasmDecideBusy, conflict409: r.wasmDecide409 } : null,
    explainPerSec: 1e9 / r.explain,
    explainEveryCodePerSec: 1e9 / r.explainEvery,
    targets: { classifyRatio: 2, decidePerSec: 5e6 },
  };
  table(
    `RetryPolicy.decide() and explain() (target decide ≥ 5 M/s); decide over ${VARIANTS} varied responses and contexts`,
    ["call", "per call", "per second"],
    [
      ["decide (503 with its Retry-After, attempts 1-3)", fmtNs(r.decide503), perSec(r.decide503)],
      ["decide (Veeam busy, wait_and_retry, attempts 1-5)", fmtNs(r.decideBusy), perSec(r.decideBusy)],
      ["decide (409, never retried)", fmtNs(r.decide409), perSec(r.decide409)],
      ...(replay
        ? [
            [`  wasm part of decide (503): the calls replayed into ${decideExport}`, fmtNs(r.wasmDecide503), perSec(r.wasmDecide503)],
            ["  wasm part of decide (Veeam busy)", fmtNs(r.wasmDecideBusy), perSec(r.wasmDecideBusy)],
            ["  wasm part of decide (409)", fmtNs(r.wasmDecide409), perSec(r.wasmDecide409)],
          ]
        : []),
      ["explain (5 vendors' codes)", fmtNs(r.explain), perSec(r.explain)],
      [`explain (all ${catalogRows.length} catalog rows in turn)`, fmtNs(r.explainEvery), perSec(r.explainEvery)],
    ],
  );
}
