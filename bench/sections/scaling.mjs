// scaling: one section of bench/run.mjs (its header says what it measures).
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { itemErrors, listOfSize } from "../fixtures.mjs";
import { kb, median, nsPerOp, table, fmtNs } from "../lib/measure.mjs";
import { pkg, quick, results } from "../lib/context.mjs";
import { unbundled } from "../lib/unbundled.mjs";

/** Results of the timed calls, combined so no call can be optimised away. */
let sink = 0;

export async function scaling() {
  const api = await import(pathToFileURL(join(pkg, "index.node.js")).href);
  const time = (fn, ms) => {
    nsPerOp(fn, ms / 3);
    return median(Array.from({ length: quick ? 3 : 5 }, () => nsPerOp(fn, ms)));
  };
  // Call i classifies (and JSON.parses) variant i % k of each body, whose unit ids differ
  // (real traffic never repeats a body); fewer variants of the megabyte bodies.
  const variantsOf = (make, k) => Array.from({ length: k }, (_, s) => make(s + 1));
  const items = [];
  for (const n of [10, 100, 1_000, 10_000]) {
    const bodies = variantsOf((seed) => itemErrors(n, seed), n >= 10_000 ? 4 : 16);
    const inputs = bodies.map((body) => ({ status: 200, body }));
    const k = inputs.length;
    for (const input of inputs) {
      const c = api.classify(input);
      if (c.vendor !== "microsoft365" || c.items.length !== n) throw new Error(`items ${n}: got ${c.vendor} ${c.items.length}`);
    }
    const ns = time((i) => (sink ^= api.classify(inputs[i % k]).items.length), quick ? 60 : 200);
    const parse = time((i) => (sink ^= JSON.parse(bodies[i % k]).value.length), quick ? 60 : 200);
    items.push({ items: n, bodyBytes: bodies[0].length, variants: k, classifyNs: ns, nsPerItem: ns / n, jsonParseNs: parse, ratio: ns / parse });
  }
  const sizes = [];
  for (const bytes of [1 << 10, 10 << 10, 100 << 10, 1 << 20, 10 << 20]) {
    const bodies = variantsOf((seed) => listOfSize(bytes, seed), bytes >= 1 << 20 ? 3 : 16);
    const inputs = bodies.map((body) => ({ status: 200, body }));
    const k = inputs.length;
    let listed = 0;
    for (const input of inputs) {
      const c = api.classify(input);
      if (c.vendor !== "microsoft365") throw new Error(`size ${bytes}: got ${c.vendor}`);
      listed = c.items.length;
    }
    const ms = quick ? 60 : bytes >= 1 << 20 ? 600 : 200;
    const ns = time((i) => (sink ^= api.classify(inputs[i % k]).items.length), ms);
    const parse = time((i) => (sink ^= JSON.parse(bodies[i % k]).value.length), ms);
    const mb = bodies[0].length / (1 << 20);
    sizes.push({ bodyBytes: bodies[0].length, variants: k, items: listed, classifyNs: ns, msPerMB: ns / 1e6 / mb, jsonParseMsPerMB: parse / 1e6 / mb, ratio: ns / parse });
  }
  // Linear memory never shrinks: how far the largest bodies above grow it. The Node entry is
  // one bundled file that keeps its instance to itself, so the same work runs once more on
  // the package's unbundled modules (the module graph browsers load), whose instance is kept.
  const copy = await unbundled();
  for (const body of [itemErrors(10_000), listOfSize(10 << 20)]) copy.api.classify({ status: 200, body });
  const memory = copy.instance?.exports.memory;
  const wasmMemoryMB = memory instanceof WebAssembly.Memory ? memory.buffer.byteLength / 2 ** 20 : null;
  results.scaling = { method: "median of timed rounds, call i on variant i % variants of the body (unit ids differ); per item = classify time / items; per MB = classify time / body MB (MiB)", items, sizes, wasmMemoryMB };
  table(
    "Scaling: Microsoft 365 200 with N per-item errors (target: flat per item)",
    ["items", "body", "classify", "per item", "JSON.parse", "ratio"],
    items.map((r) => [r.items, kb(r.bodyBytes), fmtNs(r.classifyNs), fmtNs(r.nsPerItem), fmtNs(r.jsonParseNs), r.ratio.toFixed(2) + "×"]),
  );
  table(
    "Scaling: body size (Graph list, 1 in 100 units failed)",
    ["body", "items", "classify", "per MB", "JSON.parse per MB", "ratio"],
    sizes.map((r) => [kb(r.bodyBytes), r.items, fmtNs(r.classifyNs), `${r.msPerMB.toFixed(2)} ms`, `${r.jsonParseMsPerMB.toFixed(2)} ms`, r.ratio.toFixed(2) + "×"]),
  );
  if (wasmMemoryMB !== null) console.log(`  wasm linear memory after these (it never shrinks): ${wasmMemoryMB.toFixed(1)} MB`);
}
