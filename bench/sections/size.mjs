// size: one section of bench/run.mjs (its header says what it measures).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { gzip, brotli, kb, table } from "../lib/measure.mjs";
import { root, pkg, layout, results } from "../lib/context.mjs";

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

export async function size() {
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
  // package's .wasm is counted) and docs/bundlers.md's line for esbuild (the "esbuild" entry imports
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
  // What each locale pack adds: the whole API with `import "backup-errors/locales/<tag>"`,
  // minus the whole API alone (same flags), JS gzip. A build before the packs has none.
  const packs = {};
  const plain = bundled.esbuildCondition;
  for (const tag of ["de", "fr", "ja", "zh-CN"]) {
    let withPack;
    try {
      withPack = bundle(["--conditions=esbuild", "--loader:.wasm=file"], `export * from "backup-errors";\nimport "backup-errors/locales/${tag}";`);
    } catch {
      continue;
    }
    packs[tag] = { jsMinified: withPack.jsMinified - plain.jsMinified, jsGzip: withPack.jsGzip - plain.jsGzip, jsBrotli: withPack.jsBrotli - plain.jsBrotli };
  }
  results.size = {
    wasm: { raw: wasm.length, gzip: gzip(wasm), brotli: brotli(wasm) },
    files,
    total,
    bundled,
    targetGzip: 40 * 1024,
    catalogShare: share,
    localePacks: packs,
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
  if (Object.keys(packs).length) {
    table(
      "What a locale pack adds to that bundle (export * plus import \"backup-errors/locales/<tag>\", minus export * alone)",
      ["pack", "JS min", "gzip", "brotli"],
      Object.entries(packs).map(([tag, p]) => [tag, kb(p.jsMinified), kb(p.jsGzip), kb(p.jsBrotli)]),
    );
  }
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
