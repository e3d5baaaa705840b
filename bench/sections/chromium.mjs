// chromium first classify: one section of bench/run.mjs (its header says what it measures).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { median, table } from "../lib/measure.mjs";
import { root, pkg, quick, wasmFile, layout, results } from "../lib/context.mjs";

// The target for the esbuild bundle: navigation start → first classification within
// this factor of the same page that only JSON.parse()s the same body.
const TARGET = 1.2;

/**
 * A page of bench/page/ bundled as an app ships it (esbuild, docs/bundlers.md's line) into a
 * temporary folder with its .html as the folder's index.html: bundled.mjs (the package's
 * classify) and json-parse-only.mjs (its baseline, JSON.parse of the same body, no import) go
 * through the same command. A build without the "esbuild" condition (before 15a8a4a) emits no
 * .wasm: for a page that imports the package, the package's is copied where its entry's
 * `new URL(…, import.meta.url)` points, next to the bundle.
 */
function bundledPage(name, { importsPackage }) {
  const dir = mkdtempSync(join(tmpdir(), "backup-errors-page-"));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(pkg, join(dir, "node_modules", "backup-errors"), "dir");
  writeFileSync(join(dir, "main.mjs"), readFileSync(join(root, "bench", "page", `${name}.mjs`)));
  const out = join(dir, "out");
  execFileSync(
    join(root, "node_modules", ".bin", "esbuild"),
    ["main.mjs", "--bundle", "--minify", "--format=esm", "--platform=browser", "--log-level=error", `--outdir=${out}`, "--entry-names=bundle", "--conditions=esbuild", "--loader:.wasm=file"],
    { cwd: dir },
  );
  writeFileSync(join(out, "index.html"), readFileSync(join(root, "bench", "page", `${name}.html`)));
  if (importsPackage && !readdirSync(out).some((f) => f.endsWith(".wasm"))) {
    writeFileSync(join(out, "backup_errors_bg.wasm"), readFileSync(wasmFile));
    mkdirSync(join(out, "wasm"));
    writeFileSync(join(out, "wasm", "backup_errors_bg.wasm"), readFileSync(wasmFile));
  }
  return { dir, out };
}

/** The response literal (status, headers, body) of a page module, to check both pages use the same. */
function responseOf(name) {
  const text = readFileSync(join(root, "bench", "page", `${name}.mjs`), "utf8");
  const m = text.match(/status: \d+,\s*headers: \{[^}]*\},\s*body: '[^']*'/);
  if (!m) throw new Error(`bench/page/${name}.mjs: no response literal found`);
  return m[0];
}

export async function chromiumStartup() {
  const { chromium } = await import("playwright-core");
  const { serve } = await import("../../scripts/serve.mjs");
  if (responseOf("bundled") !== responseOf("json-parse-only")) {
    throw new Error("bench/page/bundled.mjs and json-parse-only.mjs do not work on the same response");
  }
  const bundled = bundledPage("bundled", { importsPackage: true });
  const jsonParseOnly = bundledPage("json-parse-only", { importsPackage: false });
  const server = await serve({
    mounts: [["/pkg/", pkg], ["/bundled/", bundled.out], ["/json-parse-only/", jsonParseOnly.out], ["/", join(root, "bench", "page")]],
  });
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const runs = quick ? 5 : 11;
  const pages = { unbundled: "/index.html", bundled: "/bundled/", jsonParseOnly: "/json-parse-only/" };
  const kinds = Object.keys(pages);
  const samples = Object.fromEntries(kinds.map((k) => [k, []]));
  try {
    for (let i = 0; i < runs + 1; i++) {
      // Each round loads every page once; the order turns by one page each round, so that no
      // page always follows the same one.
      const order = kinds.map((_, j) => kinds[(i + j) % kinds.length]);
      for (const kind of order) {
        const context = await browser.newContext(); // fresh: no HTTP or code cache
        const page = await context.newPage();
        await page.goto(`${server.url}${pages[kind]}`);
        const r = await page.waitForFunction(() => window.__bench, null, { timeout: 30_000 }).then((h) => h.jsonValue());
        await context.close();
        if (!r.ok) throw new Error(`the ${kind} page's ${kind === "jsonParseOnly" ? "parse result" : "classification"} is wrong`);
        if (i > 0) samples[kind].push(r); // the first round warms the browser process
      }
    }
  } finally {
    await browser.close();
    await server.close();
    rmSync(bundled.dir, { recursive: true, force: true });
    rmSync(jsonParseOnly.dir, { recursive: true, force: true });
  }
  const summary = (list) => {
    const m = (k) => median(list.map((s) => s[k]));
    return { importMs: m("importMs"), firstClassifyMs: m("classifyMs"), sinceNavigationMs: m("sinceNavigationMs"), wasmFetchMs: m("wasmFetchMs"), requests: m("requests") };
  };
  const parseOnly = summary(samples.jsonParseOnly);
  const bundledSummary = summary(samples.bundled);
  results.chromium = {
    method: `headless Chromium (/usr/bin/chromium), fresh browser context per run, median of ${runs}, the three pages alternating (the order turning each round); times from navigation start (performance.now()). unbundled: bench/page/index.html importing /pkg/index.browser.js (one request per module); bundled: bench/page/bundled.mjs bundled by esbuild --conditions=esbuild --loader:.wasm=file (import = from the inline script before the bundle to the bundle's first line); jsonParseOnly: bench/page/json-parse-only.mjs, the same page and response with JSON.parse(body) in place of classify() and no package import, bundled by the same esbuild command (its firstClassifyMs is the parse, its sinceNavigationMs is taken when the parse is done); ratioToJsonParseOnly = bundled.sinceNavigationMs ÷ jsonParseOnly.sinceNavigationMs (medians; target ≤ ${TARGET}), ratioToJsonParseOnlyPaired = the median of the same ratio within each round`,
    runs,
    ...summary(samples.unbundled),
    bundled: bundledSummary,
    jsonParseOnly: parseOnly,
    ratioToJsonParseOnly: bundledSummary.sinceNavigationMs / parseOnly.sinceNavigationMs,
    ratioToJsonParseOnlyPaired: median(samples.bundled.map((s, i) => s.sinceNavigationMs / samples.jsonParseOnly[i].sinceNavigationMs)),
    ratioTarget: TARGET,
  };
  const u = results.chromium;
  const b = results.chromium.bundled;
  const j = results.chromium.jsonParseOnly;
  const ms = (x) => (x == null ? "—" : x.toFixed(2));
  table(
    `Chromium start-up (fresh context each run, median of ${runs})`,
    ["step", "unbundled (ms)", "esbuild bundle (ms)", "JSON.parse only, bundled (ms)"],
    [
      // Today's browser entry compiles the module at import; core.js instantiates it on the
      // first call. Before 836ea9d the glue's init did both at import. The JSON.parse page
      // imports nothing: its "import" is the fetch and compile of its bundle.
      [layout === "direct" ? "import (fetch + compile)" : "import (fetch + compile + instantiate)", ms(u.importMs), ms(b.importMs), ms(j.importMs)],
      ["  of which wasm fetch", ms(u.wasmFetchMs), ms(b.wasmFetchMs), ms(j.wasmFetchMs)],
      ["  requests (modules and the .wasm)", String(u.requests), String(b.requests), String(j.requests)],
      [layout === "direct" ? "first classify() after import (instantiates first)" : "first classify() after import", ms(u.firstClassifyMs), ms(b.firstClassifyMs), `${ms(j.firstClassifyMs)} (JSON.parse)`],
      ["navigation start → first classification (parse)", ms(u.sinceNavigationMs), ms(b.sinceNavigationMs), ms(j.sinceNavigationMs)],
      [`÷ the JSON.parse-only page (target ≤ ${TARGET}×)`, `${(u.sinceNavigationMs / j.sinceNavigationMs).toFixed(2)}×`, `${u.ratioToJsonParseOnly.toFixed(2)}× (per round: ${u.ratioToJsonParseOnlyPaired.toFixed(2)}×)`, "1.00×"],
    ],
  );
}
