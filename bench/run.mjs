// `npm run bench`: measures what the package costs a web console (kilobytes) and a Node
// script (milliseconds), and prints a table; the figures also go, as JSON, to
// bench/results/<timestamp>.json and bench/results/latest.json (git-ignored).
//
//   node bench/run.mjs [--only size,node,chromium,throughput,scaling,peers,instructions] [--quick]
//                      [--pkg DIR] [--src DIR]
//
// --pkg measures a copy of the package elsewhere (default: pkg/), e.g. a saved build to
// compare against, or pkg/ with another build's .wasm swapped in. Both layouts are measured:
// today's (core.js instantiates the .wasm itself, no imports) and the one before the
// one-route rewrite (836ea9d), where wasm-bindgen's JS glue (wasm/backup_errors.js) loaded it.
// To compare builds' speed on a loaded machine, bench/interleave.mjs times several in one
// process, round by round. --src is the checkout whose examples/instructions.rs the
// instructions section builds (default: this one); workloads that checkout's example does not
// know are reported as n/a.
//
// Sections, each a module of bench/sections/ (each says how it measures, in the table and in
// the JSON):
//   size        the files a bundler ships (the .wasm and the modules of index.browser.js's
//               import graph, as esbuild's metafile lists them), gzip -9 / brotli q11 each; the
//               whole API bundled by esbuild --bundle --minify, resolved both the default way
//               and with --conditions=esbuild --loader:.wasm=file (docs/bundlers.md's line); and the
//               share of the wasm that is catalog text (blank the catalog strings in the wasm
//               data segments and compress again; see catalogShare()).
//   node        cold import: median wall time of ≥ 15 fresh `node -e` processes importing the
//               package minus the median of as many processes running the same script
//               without the import; plus the in-process import time; and one cold init taken
//               apart: read, new WebAssembly.Module, new WebAssembly.Instance, the first and
//               second classify through the package's modules.
//   chromium    first classify in headless Chromium: fresh context per run, pages served by
//               scripts/serve.mjs, times from navigation start: bench/page/index.html imports
//               the package's modules unbundled, bench/page/bundled.mjs is built by esbuild.
//   throughput  classify() of real bodies against JSON.parse() of the same body, in one
//               process, each call on a variant of its own (bench/fixtures.mjs: ids, dates
//               and numbers drawn anew, reproducibly); RetryPolicy.decide() (of varied
//               responses, in varied contexts) and explain() per second; and (today's layout)
//               the same decide and classify calls replayed straight into the module's
//               exports, arguments included, which splits a call into its wasm part and its
//               JS part.
//   scaling     Microsoft 365 200 responses with 10 … 10,000 per-item errors, and 1 KB … 10 MB
//               bodies (a few variants of each, their unit ids drawn anew): time per item
//               and per MB.
//   peers       minified+gzip size of retry libraries bundled the same way (esbuild), installed
//               into a temporary folder from the npm registry at bench time.
//   instructions  instructions per operation of the Rust core and of the wire operations the
//               module exports (callgrind on a native build; skipped without valgrind):
//               load-independent, for small changes.
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { root, pkg, wanted, layout, results } from "./lib/context.mjs";
import { size } from "./sections/size.mjs";
import { nodeStartup } from "./sections/node.mjs";
import { chromiumStartup } from "./sections/chromium.mjs";
import { throughput } from "./sections/throughput.mjs";
import { scaling } from "./sections/scaling.mjs";
import { instructions } from "./sections/instructions.mjs";
import { peers } from "./sections/peers.mjs";

console.log(`[bench] ${results.date} — node ${process.version}, ${results.machine.cpus} × ${results.machine.cpu}`);
console.log(`[bench] ${layout === "glue" ? "pre-836ea9d layout (wasm-bindgen glue)" : "one-route layout (core.js instantiates the .wasm)"}: ${pkg}`);
// The machine is shared: each section says the load average (1, 5, 15 min) around it.
results.load = {};
const fmtLoad = (l) => l.map((x) => x.toFixed(2)).join(" / ");
for (const [name, fn] of [["size", size], ["node", nodeStartup], ["chromium", chromiumStartup], ["throughput", throughput], ["scaling", scaling], ["peers", peers], ["instructions", instructions]]) {
  if (!wanted(name)) continue;
  const start = loadavg();
  await fn();
  results.load[name] = { start, end: loadavg() };
  console.log(`  [${name}] load average ${fmtLoad(start)} at the start, ${fmtLoad(loadavg())} at the end`);
}

const out = join(root, "bench", "results");
mkdirSync(out, { recursive: true });
const stamp = results.date.replace(/[:.]/g, "-");
writeFileSync(join(out, `${stamp}.json`), JSON.stringify(results, null, 2) + "\n");
writeFileSync(join(out, "latest.json"), JSON.stringify(results, null, 2) + "\n");
console.log(`\n[bench] figures written to bench/results/${stamp}.json`);
