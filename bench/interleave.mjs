// Several builds of the package timed in one process, round by round, so that the machine's
// load hits them alike: classify() of each vendor body (and JSON.parse of the same body, the
// yardstick), each call on a variant of its own, and RetryPolicy.decide(). For comparing builds on a shared VM, where two runs of
// bench/run.mjs minutes apart differ by more than the builds do (docs/performance.md).
//
//   node bench/interleave.mjs [--quick] NAME=DIR NAME=DIR …
//
// Each DIR is a built package (pkg/, or a copy with another .wasm swapped in); its Node entry
// is imported from there, so every build has its own module instance. Prints, per call, the
// best (minimum) and the median over the rounds of each build, and writes the figures as JSON
// to bench/results/interleave-<timestamp>.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { GRAPH_200_RESPONSE, VARIANTS, VENDOR_BODIES, variants, decideResponses, decideContexts } from "./fixtures.mjs";
import { median, nsPerOp } from "./lib/measure.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const builds = args
  .filter((a) => a.includes("="))
  .map((a) => {
    const [name, dir] = a.split("=");
    return { name, dir: resolve(dir) };
  });
if (builds.length === 0) {
  console.error("usage: node bench/interleave.mjs [--quick] NAME=DIR NAME=DIR …");
  process.exit(2);
}
for (const b of builds) b.api = await import(pathToFileURL(join(b.dir, "index.node.js")).href);

let sink = 0;

// The calls: JSON.parse once (it does not depend on the build), the rest once per build. Call
// i of each gets variant i % VARIANTS of its body (bench/fixtures.mjs): real traffic never
// repeats a body byte for byte. decide likewise on classifications of varied responses, in
// contexts whose attempt and elapsedMs vary.
const bodies = [...VENDOR_BODIES, GRAPH_200_RESPONSE];
const calls = {};
for (const v of bodies) {
  const list = variants(v);
  const n = list.length;
  const texts = list.map((x) => x.body);
  const inputs = list.map((x) => ({ status: x.status, headers: x.headers, body: x.body }));
  calls[`JSON.parse ${v.vendor}`] = (i) => (sink ^= JSON.parse(texts[i % n]) === null ? 1 : 0);
  for (const b of builds) {
    list.forEach((x, k) => {
      const c = b.api.classify(inputs[k]);
      for (const [f, want] of Object.entries(x.expect)) if (c[f] !== want) throw new Error(`${b.name} ${v.vendor}: ${f} is ${c[f]}, expected ${want}`);
    });
    calls[`classify ${v.vendor} @${b.name}`] = (i) => (sink ^= b.api.classify(inputs[i % n]).status);
  }
}
const decideKinds = { "decide 503": ["503", 3], "decide busy": ["busy", 5], "decide 409": ["409", 3] };
for (const b of builds) {
  const policy = new b.api.RetryPolicy({ seed: 1 });
  for (const [label, [kind, maxAttempt]] of Object.entries(decideKinds)) {
    const cs = decideResponses(kind).map((x) => b.api.classify(x));
    const ctx = decideContexts(maxAttempt);
    const n = cs.length;
    calls[`${label} @${b.name}`] = (i) => (sink ^= policy.decide(cs[i % n], ctx[i % n]).delayMs);
  }
}

const rounds = quick ? 3 : 7;
const ms = quick ? 40 : 100;
const load = [loadavg()];
for (const fn of Object.values(calls)) nsPerOp(fn, 20); // warm up
const samples = Object.fromEntries(Object.keys(calls).map((k) => [k, []]));
for (let r = 0; r < rounds; r++) for (const [k, fn] of Object.entries(calls)) samples[k].push(nsPerOp(fn, ms));
load.push(loadavg());

const best = (k) => Math.min(...samples[k]);
const fmt = (ns) => (ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);
const rows = [];
const out = { date: new Date().toISOString(), rounds, msPerSample: ms, variants: VARIANTS, loadAverage: load, builds: builds.map(({ name, dir }) => ({ name, dir })), perCall: {} };
for (const v of bodies) {
  const parse = best(`JSON.parse ${v.vendor}`);
  const row = [v.vendor, fmt(parse)];
  for (const b of builds) {
    const k = `classify ${v.vendor} @${b.name}`;
    out.perCall[k] = { bestNs: best(k), medianNs: median(samples[k]), ratioToJsonParse: best(k) / parse };
    row.push(`${fmt(best(k))} (${(best(k) / parse).toFixed(1)}×)`);
  }
  out.perCall[`JSON.parse ${v.vendor}`] = { bestNs: parse, medianNs: median(samples[`JSON.parse ${v.vendor}`]) };
  rows.push(row);
}
for (const label of Object.keys(decideKinds)) {
  const decideRow = [label, ""];
  for (const b of builds) {
    const k = `${label} @${b.name}`;
    out.perCall[k] = { bestNs: best(k), medianNs: median(samples[k]), perSecond: 1e9 / best(k) };
    decideRow.push(`${fmt(best(k))} (${(1e9 / best(k) / 1e6).toFixed(2)} M/s)`);
  }
  rows.push(decideRow);
}

const head = ["call", "JSON.parse", ...builds.map((b) => b.name)];
const widths = head.map((_, i) => Math.max(...[head, ...rows].map((r) => String(r[i] ?? "").length)));
console.log(`best of ${rounds} interleaved rounds (${ms} ms each), one process; load average ${load.map((l) => l.map((x) => x.toFixed(2)).join("/")).join(" → ")}`);
for (const [n, r] of [head, ...rows].entries()) {
  console.log("  " + r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join("  "));
  if (n === 0) console.log("  " + widths.map((w) => "-".repeat(w)).join("  "));
}
if (sink === 0.5) console.log("");
const dir = join(root, "bench", "results");
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, `interleave-${out.date.replace(/[:.]/g, "-")}.json`), JSON.stringify(out, null, 2) + "\n");
