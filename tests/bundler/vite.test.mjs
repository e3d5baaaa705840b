// A Vite 7 app that imports the packed tarball by its bare name builds, and the built page
// classifies a response in headless Chromium: the bundler path a web console takes. Nothing
// is configured for the .wasm: Vite emits `new URL("./wasm/…", import.meta.url)` as an asset.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { build, version } from "vite";
import { consumerApp, writeSource, emitted, reportSizes, page, runPage, assertClassified } from "../support/bundler.mjs";

test(`Vite ${version} builds an app importing the tarball, and it runs in Chromium`, async (t) => {
  const app = consumerApp();
  const src = writeSource(app, "vite-app");
  writeFileSync(join(src, "index.html"), page('<script type="module" src="./main.js"></script>'));
  const outDir = join(app, "vite-dist");
  const warnings = [];
  const logger = { info() {}, warn: (m) => warnings.push(m), warnOnce: (m) => warnings.push(m), error: (m) => warnings.push(m), clearScreen() {}, hasErrorLogged: () => false, hasWarned: false };
  await build({ root: src, customLogger: logger, build: { outDir, emptyOutDir: true } });
  assert.deepEqual(warnings, []);

  const sizes = emitted(outDir);
  assert.ok(sizes.wasm[0].file.startsWith("assets/"), `the .wasm is emitted as an asset: ${sizes.files}`);
  t.diagnostic(`vite ${version}: emitted ${sizes.files.join(", ")}`);
  reportSizes(t, `vite ${version}`, sizes);

  assertClassified(await runPage(outDir), sizes.wasm[0].file);
});
