// What a benchmark run measures, from its arguments (see bench/run.mjs): the package folder,
// its layout, the checkout, --quick; the results object the sections fill; and compare(),
// whose rounds --quick shortens.
import { existsSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { median, nsPerOp } from "./measure.mjs";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? resolve(args[args.indexOf(name) + 1]) : fallback);
export const pkg = option("--pkg", join(root, "pkg"));
export const src = option("--src", root);
const only = (() => {
  const i = args.indexOf("--only");
  return i >= 0 ? new Set(args[i + 1].split(",")) : null;
})();
export const quick = args.includes("--quick");
export const wanted = (name) => !only || only.has(name);

if (!existsSync(join(pkg, "wasm", "backup_errors_bg.wasm"))) {
  console.error("[bench] pkg/ is not built: run `npm run bench` (or node scripts/build.mjs) first");
  process.exit(1);
}

// The layout of the package measured: "glue" before the one-route rewrite (836ea9d), where
// wasm-bindgen's generated JS loaded the module; "direct" since, where core.js instantiates it.
export const wasmFile = join(pkg, "wasm", "backup_errors_bg.wasm");
export const glueFile = join(pkg, "wasm", "backup_errors.js");
export const layout = existsSync(glueFile) ? "glue" : "direct";
export const url = (file) => JSON.stringify(pathToFileURL(join(pkg, file)).href);

export const results = {
  date: new Date().toISOString(),
  machine: { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? "?", loadAverage: loadavg() },
  pkg,
  layout,
};

/** Median ns/op of each function over `rounds` interleaved rounds (so drift hits all alike). */
export function compare(fns, { rounds = quick ? 3 : 7, ms = quick ? 40 : 120 } = {}) {
  for (const fn of Object.values(fns)) nsPerOp(fn, 30); // warm up (tier-up, caches)
  const samples = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) for (const [k, fn] of Object.entries(fns)) samples[k].push(nsPerOp(fn, ms));
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}
