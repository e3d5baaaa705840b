// A Vite 7 app that imports the packed tarball by its bare name builds, and the built page
// classifies a response in headless Chromium: the bundler path a web console takes. Nothing
// is configured for the .wasm: Vite emits `new URL("./wasm/…", import.meta.url)` as an asset.
// Vite's dev server needs one line: its dependency pre-bundling copies the package's modules
// into its cache without the .wasm, so the package is left out of it (optimizeDeps.exclude);
// without the line the page stops with an error that names it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build, createServer, version } from "vite";
import { consumerApp, writeSource, emitted, reportSizes, page, runPage, readPage, assertClassified } from "../support/bundler.mjs";

test(`Vite ${version} builds an app importing the tarball, and it runs in Chromium`, async (t) => {
  const app = consumerApp();
  const src = writeSource(app, "vite-app");
  writeFileSync(join(src, "index.html"), page('<script type="module" src="./main.js"></script>'));
  const outDir = join(app, "vite-dist");
  const warnings = [];
  await build({ root: src, customLogger: collectingLogger(warnings), build: { outDir, emptyOutDir: true } });
  assert.deepEqual(warnings, []);

  const sizes = emitted(outDir);
  assert.ok(sizes.wasm[0].file.startsWith("assets/"), `the .wasm is emitted as an asset: ${sizes.files}`);
  t.diagnostic(`vite ${version}: emitted ${sizes.files.join(", ")}`);
  reportSizes(t, `vite ${version}`, sizes);

  assertClassified(await runPage(outDir), sizes.wasm[0].file);
});

/** Vite's logger, collecting its warnings and errors. */
function collectingLogger(warnings) {
  return { info() {}, warn: (m) => warnings.push(m), warnOnce: (m) => warnings.push(m), error: (m) => warnings.push(m), clearScreen() {}, hasErrorLogged: () => false, hasWarned: false };
}

/** Serves the app's page (which also imports backup-errors/axios) with Vite's dev server (`config` added) and reads it in Chromium. */
async function readThroughDevServer(name, config) {
  const src = writeSource(consumerApp(), name);
  // A subpath entry too: docs/bundlers.md says the exclude line covers them.
  appendFileSync(join(src, "main.js"), 'import { attach } from "backup-errors/axios";\nif (typeof attach !== "function") throw new Error("backup-errors/axios: no attach");\n');
  writeFileSync(join(src, "index.html"), page('<script type="module" src="./main.js"></script>'));
  const warnings = [];
  const server = await createServer({
    root: src,
    cacheDir: join(src, ".vite"), // a fresh pre-bundling cache for each test
    customLogger: collectingLogger(warnings),
    server: { host: "127.0.0.1", port: 0, strictPort: false },
    ...config,
  });
  try {
    await server.listen();
    return { result: await readPage(server.resolvedUrls.local[0]), warnings };
  } finally {
    await server.close();
  }
}

test(`Vite ${version}'s dev server serves the app with optimizeDeps.exclude, docs/bundlers.md's one line, and it runs in Chromium`, async () => {
  const { result, warnings } = await readThroughDevServer("vite-dev-app", { optimizeDeps: { exclude: ["backup-errors"] } });
  assert.deepEqual(warnings, []);
  assertClassified(result, "backup_errors_bg.wasm");
  assert.ok(
    result.requested.some((p) => p.endsWith("/node_modules/backup-errors/wasm/backup_errors_bg.wasm")),
    `the .wasm is fetched from the installed package: ${result.requested.join(", ")}`,
  );
});

test(`Vite ${version}'s dev server without the line: the page stops with an error that names it (the line is needed)`, async () => {
  const { result } = await readThroughDevServer("vite-dev-app-unconfigured", {});
  assert.equal(result.text, "loading");
  assert.ok(
    result.problems.some((p) => p.includes("answered with an HTML page, not the .wasm") && p.includes('optimizeDeps: { exclude: ["backup-errors"] }')),
    result.problems.join("\n"),
  );
});
