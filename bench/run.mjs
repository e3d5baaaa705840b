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
// Sections (each says how it measures, in the table and in the JSON):
//   size        the files a bundler ships (the .wasm and the modules of index.browser.js's
//               import graph, as esbuild's metafile lists them), gzip -9 / brotli q11 each; the
//               whole API bundled by esbuild --bundle --minify, resolved both the default way
//               and with --conditions=esbuild --loader:.wasm=file (the README's line); and the
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
//               process; RetryPolicy.decide() and explain() per second; and (today's layout)
//               the same decide and classify inputs replayed straight into the module's
//               exports, which splits a call into its wasm part and its JS part.
//   scaling     Microsoft 365 200 responses with 10 … 10,000 per-item errors, and 1 KB … 10 MB
//               bodies: time per item and per MB.
//   peers       minified+gzip size of retry libraries bundled the same way (esbuild), installed
//               into a temporary folder from the npm registry at bench time.
//   instructions  instructions per operation of the Rust core and of the wire operations the
//               module exports (callgrind on a native build; skipped without valgrind):
//               load-independent, for small changes.
import { spawnSync, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir, cpus, loadavg } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { brotliCompressSync, constants as zlib, gzipSync } from "node:zlib";
import { GRAPH_200_ITEMS, VENDOR_BODIES, itemErrors, listOfSize } from "./fixtures.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? resolve(args[args.indexOf(name) + 1]) : fallback);
const pkg = option("--pkg", join(root, "pkg"));
const src = option("--src", root);
const only = (() => {
  const i = args.indexOf("--only");
  return i >= 0 ? new Set(args[i + 1].split(",")) : null;
})();
const quick = args.includes("--quick");
const wanted = (name) => !only || only.has(name);

if (!existsSync(join(pkg, "wasm", "backup_errors_bg.wasm"))) {
  console.error("[bench] pkg/ is not built: run `npm run bench` (or node scripts/build.mjs) first");
  process.exit(1);
}

// The layout of the package measured: "glue" before the one-route rewrite (836ea9d), where
// wasm-bindgen's generated JS loaded the module; "direct" since, where core.js instantiates it.
const wasmFile = join(pkg, "wasm", "backup_errors_bg.wasm");
const glueFile = join(pkg, "wasm", "backup_errors.js");
const layout = existsSync(glueFile) ? "glue" : "direct";
const url = (file) => JSON.stringify(pathToFileURL(join(pkg, file)).href);

const results = {
  date: new Date().toISOString(),
  machine: { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? "?", loadAverage: loadavg() },
  pkg,
  layout,
};

// ── helpers ───────────────────────────────────────────────────────────────────────────
const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;
const brotli = (bytes) => brotliCompressSync(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const now = () => Number(process.hrtime.bigint()) / 1e6; // ms
let sink = 0;

/** Nanoseconds per call of `fn`, from one timed run of about `ms` milliseconds. */
function nsPerOp(fn, ms) {
  let n = 1;
  for (;;) {
    const t = now();
    for (let i = 0; i < n; i++) fn(i);
    const dt = now() - t;
    if (dt >= ms) return (dt * 1e6) / n;
    n = dt < 1 ? n * 8 : Math.ceil((n * ms * 1.1) / dt);
  }
}

/** Median ns/op of each function over `rounds` interleaved rounds (so drift hits all alike). */
function compare(fns, { rounds = quick ? 3 : 7, ms = quick ? 40 : 120 } = {}) {
  for (const fn of Object.values(fns)) nsPerOp(fn, 30); // warm up (tier-up, caches)
  const samples = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) for (const [k, fn] of Object.entries(fns)) samples[k].push(nsPerOp(fn, ms));
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}

function table(title, head, rows) {
  const all = [head, ...rows].map((r) => r.map(String));
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i]?.length ?? 0)));
  console.log(`\n${title}`);
  all.forEach((r, n) => {
    console.log("  " + r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  "));
    if (n === 0) console.log("  " + widths.map((w) => "-".repeat(w)).join("  "));
  });
}

const fmtNs = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);
const perSec = (ns) => (1e9 / ns >= 1e6 ? `${(1e9 / ns / 1e6).toFixed(2)} M/s` : `${(1e9 / ns / 1e3).toFixed(0)} k/s`);

// ── size ──────────────────────────────────────────────────────────────────────────────
/** The data segments of a wasm binary: [{ start, end }] byte ranges of their contents. */
function dataSegments(wasm) {
  let p = 8;
  const leb = () => {
    let result = 0, shift = 0, byte;
    do {
      byte = wasm[p++];
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return result;
  };
  const segments = [];
  while (p < wasm.length) {
    const id = wasm[p++];
    const size = leb();
    const end = p + size;
    if (id === 11) {
      const count = leb();
      for (let i = 0; i < count; i++) {
        const kind = leb();
        if (kind === 1) {
          // passive: bytes follow directly
        } else {
          if (kind === 2) leb(); // memory index
          // constant expression up to `end` (0x0b)
          while (wasm[p++] !== 0x0b);
        }
        const len = leb();
        segments.push({ start: p, end: p + len });
        p += len;
      }
    }
    p = end;
  }
  return segments;
}

/**
 * How much of the wasm is catalog text. Method: every string catalog() returns (codes,
 * summaries, remediations of all vendors) is looked up in the wasm's data segments; each
 * occurrence is overwritten with zero bytes, and the difference in size (raw, gzip, brotli)
 * between the real wasm and the blanked one is the catalog text's cost. The rest — code,
 * tables of enums and pointers, HTTP-rule and vendor-rule sentences, reason templates — is
 * counted as engine. (Zeroed bytes compress to almost nothing, so "engine" is a slight
 * over-estimate of a build without the text, never an under-estimate.)
 */
async function catalogShare(wasm) {
  const api = await import(pathToFileURL(join(pkg, "index.node.js")).href);
  const strings = new Set();
  for (const e of api.catalog()) for (const s of [e.summary, e.remediation, e.code]) if (s) strings.add(s);
  const blanked = Buffer.from(wasm);
  const segments = dataSegments(wasm);
  let found = 0, foundBytes = 0, missing = 0;
  // Longest first, so a code that is also a substring of a sentence is not counted twice.
  for (const s of [...strings].sort((a, b) => b.length - a.length)) {
    const needle = Buffer.from(s, "utf8");
    let hit = false;
    for (const seg of segments) {
      let at = blanked.indexOf(needle, seg.start);
      while (at >= 0 && at + needle.length <= seg.end) {
        blanked.fill(0, at, at + needle.length);
        foundBytes += needle.length;
        hit = true;
        at = blanked.indexOf(needle, at + needle.length);
      }
    }
    hit ? found++ : missing++;
  }
  const dataBytes = segments.reduce((a, s) => a + s.end - s.start, 0);
  const full = { raw: wasm.length, gzip: gzip(wasm), brotli: brotli(wasm) };
  const engine = { raw: wasm.length - foundBytes, gzip: gzip(blanked), brotli: brotli(blanked) };
  const textAlone = Buffer.from([...strings].join("\n"));
  return {
    method: "catalog() strings blanked in the wasm data segments; engine = compressed size of the blanked wasm",
    strings: strings.size,
    stringsFound: found,
    stringsNotFound: missing,
    dataSegmentBytes: dataBytes,
    catalogTextBytes: foundBytes,
    catalog: { raw: foundBytes, gzip: full.gzip - engine.gzip, brotli: full.brotli - engine.brotli },
    engine,
    catalogTextAloneGzip: gzip(textAlone),
  };
}

/**
 * esbuild --bundle --minify of `entryText` (an ES module importing "backup-errors", which
 * resolves to `pkg` through node_modules), with the extra flags. Returns the JS, the .wasm
 * files esbuild emitted beside it, and the package files the bundle was built from (its
 * metafile's inputs, relative to `pkg`).
 */
function esbuildBundle(entryText, flags) {
  const dir = mkdtempSync(join(tmpdir(), "backup-errors-size-"));
  try {
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(pkg, join(dir, "node_modules", "backup-errors"), "dir");
    writeFileSync(join(dir, "entry.mjs"), entryText);
    const out = join(dir, "out");
    execFileSync(
      join(root, "node_modules", ".bin", "esbuild"),
      ["entry.mjs", "--bundle", "--minify", "--format=esm", "--platform=browser", "--log-level=error", `--outdir=${out}`, "--entry-names=bundle", "--metafile=meta.json", ...flags],
      { cwd: dir },
    );
    const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8"));
    const real = realpathSync(pkg);
    const inputs = Object.keys(meta.inputs)
      .map((f) => relative(real, realpathSync(resolve(dir, f))))
      .filter((f) => !f.startsWith(".."));
    const wasm = readdirSync(out)
      .filter((f) => f.endsWith(".wasm"))
      .map((f) => ({ file: f, bytes: readFileSync(join(out, f)) }));
    return { js: readFileSync(join(out, "bundle.js")), wasm, inputs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function size() {
  const file = (f) => readFileSync(join(pkg, f));
  const wasm = file("wasm/backup_errors_bg.wasm");
  // What a bundler ships, file by file: the modules of the browser entry's import graph (as
  // esbuild resolves it from index.browser.js) and the .wasm, which the graph reaches through
  // `new URL(…, import.meta.url)` rather than an import.
  const graph = esbuildBundle(`export * from ${JSON.stringify(join(pkg, "index.browser.js"))};`, ["--loader:.wasm=file"]).inputs;
  const shipped = ["wasm/backup_errors_bg.wasm", ...graph.filter((f) => f !== "wasm/backup_errors_bg.wasm").sort((x, y) => (x === "index.browser.js" ? -1 : y === "index.browser.js" ? 1 : x.localeCompare(y)))];
  const files = shipped.map((f) => {
    const b = file(f);
    return { file: f, raw: b.length, gzip: gzip(b), brotli: brotli(b) };
  });
  const total = files.reduce((a, r) => ({ raw: a.raw + r.raw, gzip: a.gzip + r.gzip, brotli: a.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
  const share = await catalogShare(wasm);
  // What a production bundle ships: the whole API bundled and minified by esbuild, gzip of
  // the JS plus gzip of the wasm. Two resolutions: the default one (the "browser" entry, whose
  // `new URL(…)` esbuild does not follow, so no .wasm is emitted and the page would 404: the
  // package's .wasm is counted) and the README's line for esbuild (the "esbuild" entry imports
  // the .wasm, which the file loader emits; a build without that condition — before 15a8a4a —
  // resolves as the default one).
  const bundle = (flags, entry = 'export * from "backup-errors";') => {
    const b = esbuildBundle(entry, flags);
    const emitted = b.wasm[0]?.bytes ?? null;
    const w = emitted ?? wasm;
    return {
      flags: flags.join(" "),
      entry: b.inputs.find((f) => /^index\.[a-z]+\.js$/.test(f)) ?? null,
      wasmEmitted: b.wasm.map((x) => x.file),
      wasmEmittedIsThePackages: emitted === null ? null : Buffer.compare(emitted, wasm) === 0,
      jsMinified: b.js.length,
      jsGzip: gzip(b.js),
      jsBrotli: brotli(b.js),
      wasmGzip: gzip(w),
      totalGzip: gzip(b.js) + gzip(w),
      totalBrotli: brotli(b.js) + brotli(w),
    };
  };
  // And the API without the client plug-ins (backup-errors/axios, /ky, /got, which the main
  // entry also re-exports since 0ffcf44): the nine exports the package had before them.
  const main = ["RetryBudget", "RetryPolicy", "catalog", "classify", "classifyResponse", "exitCode", "explain", "fetchWithRetry", "retry"];
  const bundled = {
    default: bundle(["--loader:.wasm=file"]),
    esbuildCondition: bundle(["--conditions=esbuild", "--loader:.wasm=file"]),
    mainExports: bundle(["--conditions=esbuild", "--loader:.wasm=file"], `export { ${main.join(", ")} } from "backup-errors";`),
  };
  results.size = {
    wasm: { raw: wasm.length, gzip: gzip(wasm), brotli: brotli(wasm) },
    files,
    total,
    bundled,
    targetGzip: 40 * 1024,
    catalogShare: share,
  };
  table(
    `Size (gzip -9, brotli q11) — what a bundler ships: the .wasm and index.browser.js's import graph (${layout} layout)`,
    ["file", "raw", "gzip", "brotli"],
    [...files.map((r) => [r.file, kb(r.raw), kb(r.gzip), kb(r.brotli)]), ["total, file by file", kb(total.raw), kb(total.gzip), kb(total.brotli)]],
  );
  table(
    "The API bundled by esbuild --bundle --minify --format=esm --platform=browser (target: gzip ≤ 40 KB with the wasm)",
    ["resolution", "entry", ".wasm emitted", "JS min", "JS gzip", "+ wasm gzip", "total gzip", "total brotli"],
    Object.entries(bundled).map(([k, b]) => [
      { default: "export *, default (--loader:.wasm=file)", esbuildCondition: "export *, --conditions=esbuild --loader:.wasm=file", mainExports: "9 exports, no plug-ins, the same flags" }[k],
      b.entry ?? "?",
      b.wasmEmitted.length ? `${b.wasmEmitted.join(", ")}${b.wasmEmittedIsThePackages ? "" : " (differs!)"}` : "none (new URL kept: 404 unless copied)",
      kb(b.jsMinified),
      kb(b.jsGzip),
      kb(b.wasmGzip),
      kb(b.totalGzip),
      kb(b.totalBrotli),
    ]),
  );
  table(
    `wasm: catalog text vs engine (${share.stringsFound}/${share.strings} catalog strings found in the data segments; blanked and recompressed)`,
    ["part", "raw", "gzip", "brotli"],
    [
      ["catalog text", kb(share.catalog.raw), kb(share.catalog.gzip), kb(share.catalog.brotli)],
      ["engine (rest)", kb(share.engine.raw), kb(share.engine.gzip), kb(share.engine.brotli)],
      ["catalog text alone, gzip", "", kb(share.catalogTextAloneGzip), ""],
    ],
  );
}

// ── node cold import ──────────────────────────────────────────────────────────────────
function nodeStartup() {
  const runs = quick ? 9 : 21;
  const esm = pathToFileURL(join(pkg, "index.node.js")).href;
  const cjs = join(pkg, "index.cjs");
  // The same script with and without the import: the difference is the package's cost.
  const script = (body) => `const t=performance.now();${body}process.stdout.write(String(performance.now()-t));`;
  const empty = join(mkdtempSync(join(tmpdir(), "backup-errors-empty-")), "empty.mjs");
  writeFileSync(empty, "");
  const variants = {
    baseline: ["--input-type=module", "-e", script("")],
    esm: ["--input-type=module", "-e", script(`await import(${JSON.stringify(esm)});`)],
    // The floor any package pays: Node's ES module loader importing an empty file.
    emptyModule: ["--input-type=module", "-e", script(`await import(${JSON.stringify(pathToFileURL(empty).href)});`)],
    baselineCjs: ["-e", script("")],
    cjs: ["-e", script(`require(${JSON.stringify(cjs)});`)],
    // The entries load the wasm on the first call that needs it: import + that call.
    esmFirstCall: ["--input-type=module", "-e", script(`(await import(${JSON.stringify(esm)})).classify({ status: 503 });`)],
    cjsFirstCall: ["-e", script(`require(${JSON.stringify(cjs)}).classify({ status: 503 });`)],
  };
  const wall = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  const inProcess = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (let i = 0; i < runs + 2; i++) {
    for (const [k, argv] of Object.entries(variants)) {
      const t = now();
      const r = spawnSync(process.execPath, argv, { encoding: "utf8" });
      const dt = now() - t;
      if (r.status !== 0) throw new Error(`${k}: ${r.stderr}`);
      if (i < 2) continue; // the first runs warm the OS file cache
      wall[k].push(dt);
      inProcess[k].push(Number(r.stdout));
    }
  }
  rmSync(dirname(empty), { recursive: true, force: true });
  // What the import is made of, in a fresh process: read, compile, instantiate, then the
  // first and the second classify through the package's own (unbundled) modules, handed the
  // compiled module. Today's layout: core.js instantiates the module on that first call
  // (new WebAssembly.Instance(module, {}), then its name tables), so "first classify"
  // includes an instantiation of its own; the instantiation measured alone is the same call
  // on a module nobody uses. Before the rewrite: the glue's initSync({ module }) instantiated
  // it, before the first classify.
  const partsScript =
    layout === "direct"
      ? `import { readFileSync } from "node:fs";
         const core = await import(${url("core.js")});
         const api = await import(${url("api.js")});
         let t = performance.now();
         const bytes = readFileSync(${JSON.stringify(wasmFile)});
         const read = performance.now() - t; t = performance.now();
         const module = new WebAssembly.Module(bytes);
         const compile = performance.now() - t; t = performance.now();
         new WebAssembly.Instance(module, {});
         const instantiate = performance.now() - t;
         core.useModule(module); t = performance.now();
         api.classify({ status: 503 });
         const firstClassify = performance.now() - t; t = performance.now();
         api.classify({ status: 503 });
         const secondClassify = performance.now() - t;
         process.stdout.write(JSON.stringify({ read, compile, instantiate, firstClassify, secondClassify, firstClassifyIncludesInstantiate: true }));`
      : `import { readFileSync } from "node:fs";
         const glue = await import(${url("wasm/backup_errors.js")});
         const api = await import(${url("api.js")});
         let t = performance.now();
         const bytes = readFileSync(${JSON.stringify(wasmFile)});
         const read = performance.now() - t; t = performance.now();
         const module = new WebAssembly.Module(bytes);
         const compile = performance.now() - t; t = performance.now();
         glue.initSync({ module });
         const instantiate = performance.now() - t; t = performance.now();
         api.classify({ status: 503 });
         const firstClassify = performance.now() - t; t = performance.now();
         api.classify({ status: 503 });
         const secondClassify = performance.now() - t;
         process.stdout.write(JSON.stringify({ read, compile, instantiate, firstClassify, secondClassify, firstClassifyIncludesInstantiate: false }));`;
  // The alternative an ES module entry could use: asynchronous compilation (background
  // threads) behind a top-level await. Fresh process, same steps.
  const asyncScript =
    layout === "direct"
      ? `import { readFileSync } from "node:fs";
         const bytes = readFileSync(${JSON.stringify(wasmFile)});
         let t = performance.now();
         const module = await WebAssembly.compile(bytes);
         const compile = performance.now() - t; t = performance.now();
         await WebAssembly.instantiate(module, {});
         const instantiate = performance.now() - t;
         process.stdout.write(JSON.stringify({ compile, instantiate }));`
      : `import { readFileSync } from "node:fs";
         const glue = await import(${url("wasm/backup_errors.js")});
         const bytes = readFileSync(${JSON.stringify(wasmFile)});
         let t = performance.now();
         const module = await WebAssembly.compile(bytes);
         const compile = performance.now() - t; t = performance.now();
         await glue.default({ module_or_path: module });
         const instantiate = performance.now() - t;
         process.stdout.write(JSON.stringify({ compile, instantiate }));`;
  // One cold init is a few milliseconds: take the median of several fresh processes.
  const fresh = (script) => {
    const samples = [];
    for (let i = 0; i < (quick ? 3 : 9); i++) {
      const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
      if (r.status !== 0) return r.stderr;
      samples.push(JSON.parse(r.stdout));
    }
    return Object.fromEntries(Object.keys(samples[0]).map((k) => [k, typeof samples[0][k] === "number" ? median(samples.map((x) => x[k])) : samples[0][k]]));
  };
  const parts = fresh(partsScript);
  const asyncParts = fresh(asyncScript);
  const m = (k) => median(wall[k]);
  results.node = {
    method: `median wall time of ${runs} fresh node processes importing pkg/ minus the median of ${runs} running the same -e script without the import (interleaved); inProcess = performance.now() around the import inside the process`,
    runs,
    esmColdImportMs: m("esm") - m("baseline"),
    cjsColdRequireMs: m("cjs") - m("baselineCjs"),
    emptyModuleImportMs: m("emptyModule") - m("baseline"),
    esmInProcessMs: median(inProcess.esm),
    emptyModuleInProcessMs: median(inProcess.emptyModule),
    cjsInProcessMs: median(inProcess.cjs),
    esmFirstCallMs: m("esmFirstCall") - m("baseline"),
    esmFirstCallInProcessMs: median(inProcess.esmFirstCall),
    cjsFirstCallMs: m("cjsFirstCall") - m("baselineCjs"),
    cjsFirstCallInProcessMs: median(inProcess.cjsFirstCall),
    wallMedianMs: Object.fromEntries(Object.keys(wall).map((k) => [k, m(k)])),
    parts,
    asyncParts,
    partsMethod: "median of fresh processes; read = readFileSync, compile = new WebAssembly.Module, instantiate = new WebAssembly.Instance(module, {}) (before 836ea9d: the glue's initSync({ module })), first/second classify({ status: 503 }) through the package's unbundled api.js handed the compiled module (today's first one includes core.js instantiating it and reading the name tables)",
    targetMs: 5,
  };
  const n = results.node;
  table(
    `Node cold import (${runs} fresh processes each; baseline = same script, no import)`,
    ["entry", "wall − baseline", "in-process", "wall median"],
    [
      ["import (ESM, index.node.js)  target ≤ 5 ms", `${n.esmColdImportMs.toFixed(2)} ms`, `${n.esmInProcessMs.toFixed(2)} ms`, `${m("esm").toFixed(1)} ms`],
      ["require (CJS, index.cjs)", `${n.cjsColdRequireMs.toFixed(2)} ms`, `${n.cjsInProcessMs.toFixed(2)} ms`, `${m("cjs").toFixed(1)} ms`],
      ["import + first classify (loads the wasm)", `${n.esmFirstCallMs.toFixed(2)} ms`, `${n.esmFirstCallInProcessMs.toFixed(2)} ms`, `${m("esmFirstCall").toFixed(1)} ms`],
      ["require + first classify", `${n.cjsFirstCallMs.toFixed(2)} ms`, `${n.cjsFirstCallInProcessMs.toFixed(2)} ms`, `${m("cjsFirstCall").toFixed(1)} ms`],
      ["floor: import of an empty .mjs", `${n.emptyModuleImportMs.toFixed(2)} ms`, `${n.emptyModuleInProcessMs.toFixed(2)} ms`, `${m("emptyModule").toFixed(1)} ms`],
      ["baseline (ESM / CJS)", "", "", `${m("baseline").toFixed(1)} / ${m("baselineCjs").toFixed(1)} ms`],
    ],
  );
  if (typeof n.parts !== "object") console.log(`  parts of one cold init: failed: ${n.parts}`);
  else {
    const p = n.parts;
    console.log(
      `  parts of one cold init (median of fresh processes): read ${p.read.toFixed(2)} ms, compile ${p.compile.toFixed(2)} ms, instantiate ${p.instantiate.toFixed(2)} ms, ` +
        `first classify ${p.firstClassify.toFixed(2)} ms${p.firstClassifyIncludesInstantiate ? " (includes the package's own instantiate and name tables)" : " (after initSync)"}, second ${p.secondClassify.toFixed(2)} ms`,
    );
    if (typeof n.asyncParts === "object") console.log(`  alternative, async (await WebAssembly.compile + instantiate): compile ${n.asyncParts.compile.toFixed(2)} ms, instantiate ${n.asyncParts.instantiate.toFixed(2)} ms`);
  }
}

// ── chromium first classify ───────────────────────────────────────────────────────────
/**
 * bench/page/bundled.mjs bundled as an app ships it (esbuild, the README's line) into a
 * temporary folder with bundled.html as its index.html. A build without the "esbuild"
 * condition (before 15a8a4a) emits no .wasm: the package's is copied where its entry's
 * `new URL(…, import.meta.url)` points, next to the bundle.
 */
function bundledPage() {
  const dir = mkdtempSync(join(tmpdir(), "backup-errors-page-"));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(pkg, join(dir, "node_modules", "backup-errors"), "dir");
  writeFileSync(join(dir, "main.mjs"), readFileSync(join(root, "bench", "page", "bundled.mjs")));
  const out = join(dir, "out");
  execFileSync(
    join(root, "node_modules", ".bin", "esbuild"),
    ["main.mjs", "--bundle", "--minify", "--format=esm", "--platform=browser", "--log-level=error", `--outdir=${out}`, "--entry-names=bundle", "--conditions=esbuild", "--loader:.wasm=file"],
    { cwd: dir },
  );
  writeFileSync(join(out, "index.html"), readFileSync(join(root, "bench", "page", "bundled.html")));
  if (!readdirSync(out).some((f) => f.endsWith(".wasm"))) {
    writeFileSync(join(out, "backup_errors_bg.wasm"), readFileSync(wasmFile));
    mkdirSync(join(out, "wasm"));
    writeFileSync(join(out, "wasm", "backup_errors_bg.wasm"), readFileSync(wasmFile));
  }
  return { dir, out };
}

async function chromiumStartup() {
  const { chromium } = await import("playwright-core");
  const { serve } = await import("../scripts/serve.mjs");
  const bundled = bundledPage();
  const server = await serve({ mounts: [["/pkg/", pkg], ["/bundled/", bundled.out], ["/", join(root, "bench", "page")]] });
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const runs = quick ? 5 : 11;
  const pages = { unbundled: "/index.html", bundled: "/bundled/" };
  const samples = { unbundled: [], bundled: [] };
  try {
    for (let i = 0; i < runs + 1; i++) {
      for (const [kind, path] of Object.entries(pages)) {
        const context = await browser.newContext(); // fresh: no HTTP or code cache
        const page = await context.newPage();
        await page.goto(`${server.url}${path}`);
        const r = await page.waitForFunction(() => window.__bench, null, { timeout: 30_000 }).then((h) => h.jsonValue());
        await context.close();
        if (!r.ok) throw new Error(`the ${kind} page's classification is wrong`);
        if (i > 0) samples[kind].push(r); // the first run warms the browser process
      }
    }
  } finally {
    await browser.close();
    await server.close();
    rmSync(bundled.dir, { recursive: true, force: true });
  }
  const summary = (list) => {
    const m = (k) => median(list.map((s) => s[k]));
    return { importMs: m("importMs"), firstClassifyMs: m("classifyMs"), sinceNavigationMs: m("sinceNavigationMs"), wasmFetchMs: m("wasmFetchMs"), requests: m("requests") };
  };
  results.chromium = {
    method: `headless Chromium (/usr/bin/chromium), fresh browser context per run, median of ${runs}, the two pages alternating; times from navigation start (performance.now()). unbundled: bench/page/index.html importing /pkg/index.browser.js (one request per module); bundled: bench/page/bundled.mjs bundled by esbuild --conditions=esbuild --loader:.wasm=file (import = from the inline script before the bundle to the bundle's first line)`,
    runs,
    ...summary(samples.unbundled),
    bundled: summary(samples.bundled),
  };
  const u = results.chromium;
  const b = results.chromium.bundled;
  table(
    `Chromium start-up (fresh context each run, median of ${runs})`,
    ["step", "unbundled (ms)", "esbuild bundle (ms)"],
    [
      // Today's browser entry compiles the module at import; core.js instantiates it on the
      // first call. Before 836ea9d the glue's init did both at import.
      [layout === "direct" ? "import (fetch + compile)" : "import (fetch + compile + instantiate)", u.importMs.toFixed(2), b.importMs.toFixed(2)],
      ["  of which wasm fetch", u.wasmFetchMs.toFixed(2), b.wasmFetchMs.toFixed(2)],
      ["  requests (modules and the .wasm)", String(u.requests), String(b.requests)],
      [layout === "direct" ? "first classify() after import (instantiates first)" : "first classify() after import", u.firstClassifyMs.toFixed(2), b.firstClassifyMs.toFixed(2)],
      ["navigation start → first classification", u.sinceNavigationMs.toFixed(2), b.sinceNavigationMs.toFixed(2)],
    ],
  );
}

// ── throughput ────────────────────────────────────────────────────────────────────────
/**
 * The package's unbundled modules (api.js with core.js, or with the glue before 836ea9d),
 * loaded once in this process next to the bundled Node entry, with their module instance
 * kept: `instance` (its memory is what scaling reads) and, today's layout, the inputs of the
 * operations called while `capture` is on. WebAssembly.Instance is wrapped while the copy
 * instantiates; today's exports object (frozen) is handed to core.js as a plain object whose
 * operations note their input first.
 */
let unbundledCopy = null;
async function unbundled() {
  if (unbundledCopy !== null) return unbundledCopy;
  const copy = { api: null, instance: null, capture: false, captured: new Map() };
  const capturing = (ex) => {
    let at = 0;
    let size = 0;
    const wrapped = {};
    for (const [key, value] of Object.entries(ex)) {
      if (key === "begin") wrapped.begin = (n) => ((size = n), (at = value(n)));
      else if (typeof value !== "function") wrapped[key] = value;
      else
        wrapped[key] = () => {
          if (copy.capture) {
            if (!copy.captured.has(key)) copy.captured.set(key, []);
            copy.captured.get(key).push(new Uint8Array(ex.memory.buffer, at, size).slice());
          }
          return value();
        };
    }
    return wrapped;
  };
  const Instance = WebAssembly.Instance;
  WebAssembly.Instance = new Proxy(Instance, {
    construct(target, argv) {
      copy.instance = Reflect.construct(target, argv);
      return layout === "direct" ? { exports: capturing(copy.instance.exports) } : copy.instance;
    },
  });
  try {
    const module = new WebAssembly.Module(readFileSync(wasmFile));
    if (layout === "glue") (await import(pathToFileURL(glueFile).href)).initSync({ module });
    else (await import(pathToFileURL(join(pkg, "core.js")).href)).useModule(module);
    copy.api = await import(pathToFileURL(join(pkg, "api.js")).href);
    copy.api.classify({ status: 503 }); // instantiates (today's layout), under the wrapper
  } finally {
    WebAssembly.Instance = Instance;
  }
  return (unbundledCopy = copy);
}

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

async function throughput() {
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

// ── scaling ───────────────────────────────────────────────────────────────────────────
async function scaling() {
  const api = await import(pathToFileURL(join(pkg, "index.node.js")).href);
  const time = (fn, ms) => {
    nsPerOp(fn, ms / 3);
    return median(Array.from({ length: quick ? 3 : 5 }, () => nsPerOp(fn, ms)));
  };
  const items = [];
  for (const n of [10, 100, 1_000, 10_000]) {
    const body = itemErrors(n);
    const input = { status: 200, body };
    const c = api.classify(input);
    if (c.vendor !== "microsoft365" || c.items.length !== n) throw new Error(`items ${n}: got ${c.vendor} ${c.items.length}`);
    const ns = time(() => (sink ^= api.classify(input).items.length), quick ? 60 : 200);
    const parse = time(() => (sink ^= JSON.parse(body).value.length), quick ? 60 : 200);
    items.push({ items: n, bodyBytes: body.length, classifyNs: ns, nsPerItem: ns / n, jsonParseNs: parse, ratio: ns / parse });
  }
  const sizes = [];
  for (const bytes of [1 << 10, 10 << 10, 100 << 10, 1 << 20, 10 << 20]) {
    const body = listOfSize(bytes);
    const input = { status: 200, body };
    const c = api.classify(input);
    if (c.vendor !== "microsoft365") throw new Error(`size ${bytes}: got ${c.vendor}`);
    const ms = quick ? 60 : bytes >= 1 << 20 ? 600 : 200;
    const ns = time(() => (sink ^= api.classify(input).items.length), ms);
    const parse = time(() => (sink ^= JSON.parse(body).value.length), ms);
    const mb = body.length / (1 << 20);
    sizes.push({ bodyBytes: body.length, items: c.items.length, classifyNs: ns, msPerMB: ns / 1e6 / mb, jsonParseMsPerMB: parse / 1e6 / mb, ratio: ns / parse });
  }
  // Linear memory never shrinks: how far the largest bodies above grow it. The Node entry is
  // one bundled file that keeps its instance to itself, so the same work runs once more on
  // the package's unbundled modules (the module graph browsers load), whose instance is kept.
  const copy = await unbundled();
  for (const body of [itemErrors(10_000), listOfSize(10 << 20)]) copy.api.classify({ status: 200, body });
  const memory = copy.instance?.exports.memory;
  const wasmMemoryMB = memory instanceof WebAssembly.Memory ? memory.buffer.byteLength / 2 ** 20 : null;
  results.scaling = { method: "median of timed rounds; per item = classify time / items; per MB = classify time / body MB (MiB)", items, sizes, wasmMemoryMB };
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

// ── instructions ──────────────────────────────────────────────────────────────────────
// Instructions per operation, counted by callgrind on a native build of the same release
// profile (examples/instructions.rs of --src, default this checkout). Wall-clock time on this
// shared VM moves by ±30 %; the count does not, so it is what small changes to the hot paths
// are judged by. Per operation = (count for 2N runs − count for N runs) / N, which cancels
// start-up. Two kinds of workload: the core's functions (classify_at, RetryPolicy::decide,
// the JSON reader), and the operations the wasm module runs for the JS layer (wire::ops:
// classify from the argument encoding, decide with a policy block; since 836ea9d), on input
// bytes encoded as pkg-template/ encodes them. A checkout whose example lacks a kind (exit 3)
// gets n/a. The native build is not the wasm: the counts compare versions of the Rust code,
// not what the engine executes.
function instructions() {
  if (spawnSync("valgrind", ["--version"], { encoding: "utf8" }).status !== 0) {
    console.log("\nInstruction counts: skipped (valgrind is not installed)");
    results.instructions = null;
    return;
  }
  const built = spawnSync("cargo", ["build", "--release", "--example", "instructions", "--quiet"], { cwd: src, stdio: "inherit" });
  if (built.status !== 0) throw new Error(`cargo build --example instructions failed in ${src}`);
  const target = process.env.CARGO_TARGET_DIR ? resolve(src, process.env.CARGO_TARGET_DIR) : join(src, "target");
  const binary = join(target, "release", "examples", "instructions");
  const workloads = {};
  const runs = {};
  const add = (name, work, n) => {
    workloads[name] = work;
    runs[name] = n;
  };
  for (const v of VENDOR_BODIES) add(`classify ${v.vendor} ${v.status}`, { kind: "classify", status: v.status, headers: Object.entries(v.headers), body: v.body }, 200);
  add("classify Graph 200, 1,000 item errors", { kind: "classify", status: 200, headers: [], body: itemErrors(1000) }, 4);
  add("JSON reader, 1 MB Graph list", { kind: "parse", body: listOfSize(1 << 20) }, 2);
  add("decide 503 (attempts 1-3)", { kind: "decide", status: 503 }, 600);
  const busy = VENDOR_BODIES[1];
  // Its own kind: an example from before it existed reads only the status for "decide".
  add("decide Veeam 520 busy (attempts 1-3)", { kind: "decide-response", status: busy.status, headers: Object.entries(busy.headers), body: busy.body }, 600);
  for (const v of VENDOR_BODIES) add(`wire classify ${v.vendor} ${v.status}`, { kind: "wire-classify", status: v.status, headers: Object.entries(v.headers), body: v.body }, 200);
  add("wire classify Graph 200, 1,000 item errors", { kind: "wire-classify", status: 200, headers: [], body: itemErrors(1000) }, 4);
  add("wire decide 503 (attempts 1-3)", { kind: "wire-decide", status: 503 }, 600);
  add("wire decide Veeam 520 busy (attempts 1-3)", { kind: "wire-decide", status: busy.status, headers: Object.entries(busy.headers), body: busy.body }, 600);
  const file = join(mkdtempSync(join(tmpdir(), "backup-errors-ir-")), "workloads.json");
  writeFileSync(file, JSON.stringify(workloads));
  const count = (name, n) => {
    const out = join(dirname(file), "callgrind.out");
    const r = spawnSync("valgrind", ["--tool=callgrind", `--callgrind-out-file=${out}`, binary, file, name, String(n)], { encoding: "utf8" });
    if (r.status === 3 || (r.status !== 0 && /unknown kind/.test(r.stderr))) return null; // an older example
    const refs = /refs:\s+([\d,]+)/.exec(r.stderr);
    if (r.status !== 0 || !refs) throw new Error(`callgrind ${name}: ${r.stderr.slice(-400)}`);
    return Number(refs[1].replaceAll(",", ""));
  };
  const perOp = {};
  for (const [name, n] of Object.entries(runs)) {
    const once = count(name, n);
    perOp[name] = once === null ? null : (count(name, 2 * n) - once) / n;
  }
  rmSync(dirname(file), { recursive: true, force: true });
  results.instructions = { method: "callgrind instruction count of the native release build of --src's examples/instructions.rs, (2N runs − N runs) / N", src, perOp };
  table(
    `Instructions per operation (callgrind, native build of the release profile of ${src}; independent of load)`,
    ["operation", "instructions"],
    Object.entries(perOp).map(([name, ir]) => [name, ir === null ? "n/a (not in this checkout's example)" : ir >= 1e6 ? `${(ir / 1e6).toFixed(2)} M` : `${(ir / 1e3).toFixed(2)} k`]),
  );
}

// ── peers ─────────────────────────────────────────────────────────────────────────────
const PEERS = [
  { name: "ky", entry: 'import ky from "ky"; globalThis.peer = ky;' },
  { name: "p-retry", entry: 'import pRetry from "p-retry"; globalThis.peer = pRetry;' },
  { name: "cockatiel", entry: 'import { retry, handleAll, ExponentialBackoff } from "cockatiel"; globalThis.peer = retry(handleAll, { backoff: new ExponentialBackoff() });' },
  { name: "exponential-backoff", entry: 'import { backOff } from "exponential-backoff"; globalThis.peer = backOff;' },
  { name: "@smithy/util-retry", entry: 'import { StandardRetryStrategy } from "@smithy/util-retry"; globalThis.peer = StandardRetryStrategy;' },
];

function peers() {
  const dir = mkdtempSync(join(tmpdir(), "backup-errors-peers-"));
  const esbuild = join(root, "node_modules", ".bin", "esbuild");
  const rows = [];
  const out = [];
  try {
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "peers", private: true, version: "1.0.0", type: "module" }));
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--no-package-lock", "--silent", ...PEERS.map((p) => p.name)], { cwd: dir, stdio: ["ignore", "ignore", "inherit"] });
    // Ours, bundled the same way (the .wasm stays a separate asset; its gzip is added).
    mkdirSync(join(dir, "node_modules"), { recursive: true });
    symlinkSync(pkg, join(dir, "node_modules", "backup-errors"), "dir");
    const list = [...PEERS, { name: "backup-errors (this package)", entry: 'import { classify, RetryPolicy } from "backup-errors"; globalThis.peer = [classify, RetryPolicy];', ours: true }];
    for (const p of list) {
      const entry = join(dir, `entry-${out.length}.mjs`);
      writeFileSync(entry, p.entry);
      // The README's line for esbuild (the "esbuild" condition: the entry imports the .wasm);
      // the peers have no such condition, so it changes nothing for them.
      execFileSync(esbuild, [entry, "--bundle", "--minify", "--format=esm", "--platform=browser", "--log-level=error", `--outdir=${join(dir, `out-${out.length}`)}`, "--entry-names=bundle", "--conditions=esbuild", "--loader:.wasm=file"], { cwd: dir });
      const bundle = join(dir, `out-${out.length}`, "bundle.js");
      const js = readFileSync(bundle);
      let version = "";
      try {
        version = JSON.parse(readFileSync(join(dir, "node_modules", p.ours ? "backup-errors" : p.name, "package.json"), "utf8")).version;
      } catch {}
      const wasmGzip = p.ours ? gzip(readFileSync(join(pkg, "wasm", "backup_errors_bg.wasm"))) : 0;
      const r = { name: p.name, version, minified: js.length, gzip: gzip(js), wasmGzip, totalGzip: gzip(js) + wasmGzip, vendorKnowledge: !!p.ours };
      out.push(r);
      rows.push([p.name, version, kb(r.minified), kb(r.gzip), p.ours ? kb(r.wasmGzip) : "–", kb(r.totalGzip), p.ours ? "5 vendors' catalogs" : "none"]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  results.peers = { method: "esbuild --bundle --minify --format=esm --platform=browser --conditions=esbuild --loader:.wasm=file of an entry importing the package's main export; gzip -9", peers: out };
  table("Peers, bundled the same way (they carry no vendor knowledge)", ["package", "version", "min JS", "min+gzip JS", "wasm gzip", "total gzip", "vendor knowledge"], rows);
}

// ── run ───────────────────────────────────────────────────────────────────────────────
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
if (sink === 0.5) console.log(""); // keeps results observable

const out = join(root, "bench", "results");
mkdirSync(out, { recursive: true });
const stamp = results.date.replace(/[:.]/g, "-");
writeFileSync(join(out, `${stamp}.json`), JSON.stringify(results, null, 2) + "\n");
writeFileSync(join(out, "latest.json"), JSON.stringify(results, null, 2) + "\n");
console.log(`\n[bench] figures written to bench/results/${stamp}.json`);
