// chromium first classify: one section of bench/run.mjs (its header says what it measures).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { median, table } from "../lib/measure.mjs";
import { root, pkg, quick, wasmFile, layout, results } from "../lib/context.mjs";

/**
 * bench/page/bundled.mjs bundled as an app ships it (esbuild, docs/bundlers.md's line) into a
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

export async function chromiumStartup() {
  const { chromium } = await import("playwright-core");
  const { serve } = await import("../../scripts/serve.mjs");
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
