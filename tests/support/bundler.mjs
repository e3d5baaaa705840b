// Shared steps of the bundler tests (tests/bundler/*.test.mjs): the page every bundler
// builds, the list and sizes of what it emitted, and loading the built page in Chromium.
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { serve } from "../../scripts/serve.mjs";
import { launch, openPage } from "./browser.mjs";

/** The consumer app with the packed tarball installed (scripts/test.mjs sets it). */
export function consumerApp() {
  const app = process.env.BACKUP_ERRORS_APP;
  assert.ok(app, "BACKUP_ERRORS_APP must point at a project with the tarball installed");
  return app;
}

/** What the page's script does; the built page writes this line when it has classified. */
export const MAIN_JS = `import { classify, RetryPolicy } from "backup-errors";
const c = classify({ status: 409, body: { errorCode: "127", errorMessage: "Backup Policy already exists" } });
const d = classify({ status: 503 });
const s = new RetryPolicy({ seed: 1 }).schedule(d);
document.getElementById("out").textContent = [c.vendor, c.code, c.category, c.retryable, d.retryable, s.length].join(" ");
`;
export const EXPECTED = "atlassian 127 conflict false true 4";

/** A page around `script` (a `<script>` tag): `#out` says "loading" until the script ran. */
export const page = (script) =>
  `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body><pre id="out">loading</pre>${script}</body></html>`;

/** Makes `<app>/<name>` afresh with main.js (the import of the package) in it; returns it. */
export function writeSource(app, name) {
  const src = join(app, name);
  rmSync(src, { recursive: true, force: true });
  mkdirSync(src, { recursive: true });
  writeFileSync(join(src, "main.js"), MAIN_JS);
  return src;
}

/** Every file under `dir`, as paths relative to it, sorted. */
export function filesUnder(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * The emitted JavaScript and WebAssembly under `outDir` with raw and gzip -9 sizes (the
 * measure docs/bundlers.md quotes), asserting that exactly one .wasm and at least one .js were
 * emitted.
 */
export function emitted(outDir) {
  const files = filesUnder(outDir);
  const sized = (f) => {
    const bytes = readFileSync(join(outDir, f));
    return { file: f, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  };
  const js = files.filter((f) => /\.m?js$/.test(f)).map(sized);
  const wasm = files.filter((f) => f.endsWith(".wasm")).map(sized);
  assert.equal(wasm.length, 1, `one .wasm asset is emitted: ${files.join(", ")}`);
  assert.ok(js.length >= 1, `JavaScript is emitted: ${files.join(", ")}`);
  const sum = (list, key) => list.reduce((n, f) => n + f[key], 0);
  return { files, js, wasm, total: { raw: sum(js, "raw") + sum(wasm, "raw"), gzip: sum(js, "gzip") + sum(wasm, "gzip") } };
}

/** Prints what a bundler emitted as TAP diagnostics (`# …` lines) to quote in docs/bundlers.md. */
export function reportSizes(t, bundler, sizes) {
  const n = (x) => x.toLocaleString("en-US");
  const kb = (x) => (x / 1024).toFixed(1) + " KB";
  for (const f of [...sizes.js, ...sizes.wasm]) t.diagnostic(`${bundler}: ${f.file} ${n(f.raw)} B raw, ${n(f.gzip)} B gzip -9`);
  const js = sizes.js.reduce((a, f) => ({ raw: a.raw + f.raw, gzip: a.gzip + f.gzip }), { raw: 0, gzip: 0 });
  t.diagnostic(`${bundler}: total JS ${n(js.raw)} B raw / ${n(js.gzip)} B gzip; JS + wasm ${n(sizes.total.raw)} B raw / ${n(sizes.total.gzip)} B gzip -9 (${kb(sizes.total.gzip)})`);
}

/**
 * Serves `dir` on 127.0.0.1 and reads the page at `path` in it (see `readPage`).
 */
export async function runPage(dir, path = "/index.html") {
  const server = await serve({ port: 0, mounts: [["/", dir]] });
  try {
    return await readPage(server.url + path);
  } finally {
    await server.close();
  }
}

/**
 * Opens `url` in Chromium, waits until `#out` left "loading" and returns its text with the
 * console errors/warnings, page errors and failed requests (any that did not complete or
 * answered 400 or more) seen meanwhile, and the paths requested.
 */
export async function readPage(url) {
  const browser = await launch();
  try {
    const { page, problems } = await openPage(browser);
    const failed = [];
    const requested = [];
    page.on("request", (r) => requested.push(new URL(r.url()).pathname));
    page.on("requestfailed", (r) => failed.push(`${r.url()}: ${r.failure()?.errorText}`));
    page.on("response", (r) => {
      if (r.status() >= 400) failed.push(`${r.url()}: HTTP ${r.status()}`);
    });
    const thrown = new Promise((resolve, reject) => page.once("pageerror", reject));
    thrown.catch(() => {}); // also in `problems`, asserted by the caller
    await page.goto(url);
    // Ends when the page wrote its line, or at once if it throws. The limit only ends a wait
    // that would never end (a page that never loads): it is no speed check.
    await Promise.race([page.waitForFunction(() => document.getElementById("out").textContent !== "loading", null, { timeout: 120_000 }), thrown]).catch((e) => problems.push(`no result: ${e.message}`));
    return { text: await page.textContent("#out"), problems, failed, requested };
  } finally {
    await browser.close();
  }
}

/** Asserts the page classified, with no console error, page error or failed request. */
export function assertClassified(result, wasmFile) {
  assert.deepEqual(result.problems, []);
  assert.deepEqual(result.failed, []);
  assert.equal(result.text, EXPECTED);
  assert.ok(
    result.requested.some((p) => p.endsWith("/" + wasmFile.split("/").pop())),
    `the page fetched the emitted ${wasmFile}: ${result.requested.join(", ")}`,
  );
}
