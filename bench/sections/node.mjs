// node cold import: one section of bench/run.mjs (its header says what it measures).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { median, now, table } from "../lib/measure.mjs";
import { pkg, quick, wasmFile, layout, url, results } from "../lib/context.mjs";

export function nodeStartup() {
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
  const direct = layout === "direct";
  const partsScript = `import { readFileSync } from "node:fs";
         const loader = await import(${url(direct ? "core.js" : "wasm/backup_errors.js")});
         const api = await import(${url("api.js")});
         let t = performance.now();
         const bytes = readFileSync(${JSON.stringify(wasmFile)});
         const read = performance.now() - t; t = performance.now();
         const module = new WebAssembly.Module(bytes);
         const compile = performance.now() - t; t = performance.now();
         ${direct ? "new WebAssembly.Instance(module, {});" : "loader.initSync({ module });"}
         const instantiate = performance.now() - t;
         ${direct ? "loader.useModule(module); " : ""}t = performance.now();
         api.classify({ status: 503 });
         const firstClassify = performance.now() - t; t = performance.now();
         api.classify({ status: 503 });
         const secondClassify = performance.now() - t;
         process.stdout.write(JSON.stringify({ read, compile, instantiate, firstClassify, secondClassify, firstClassifyIncludesInstantiate: ${direct} }));`;
  // The alternative an ES module entry could use: asynchronous compilation (background
  // threads) behind a top-level await. Fresh process, same steps.
  const asyncScript = `import { readFileSync } from "node:fs";
         ${direct ? "" : `const glue = await import(${url("wasm/backup_errors.js")});`}
         const bytes = readFileSync(${JSON.stringify(wasmFile)});
         let t = performance.now();
         const module = await WebAssembly.compile(bytes);
         const compile = performance.now() - t; t = performance.now();
         ${direct ? "await WebAssembly.instantiate(module, {});" : "await glue.default({ module_or_path: module });"}
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
