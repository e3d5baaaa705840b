// Rollup 4 with @rollup/plugin-node-resolve builds an app importing the packed tarball. Rollup
// keeps `new URL("./wasm/backup_errors_bg.wasm", import.meta.url)` as it is and emits no
// asset for it, so the one line docs/bundlers.md documents is the import.meta assets plug-in
// (`importMetaAssets()` of @web/rollup-plugin-import-meta-assets), which emits the .wasm and
// rewrites the URL. Tested: without that line the page 404s; with it the page classifies in
// headless Chromium.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { rollup, VERSION } from "rollup";
import { nodeResolve } from "@rollup/plugin-node-resolve";
import terser from "@rollup/plugin-terser";
import { importMetaAssets } from "@web/rollup-plugin-import-meta-assets";
import { consumerApp, writeSource, emitted, reportSizes, page, runPage, assertClassified, filesUnder } from "../support/bundler.mjs";

/** Builds `<src>/main.js` into `outDir` as ES modules with `plugins`; returns Rollup's warnings. */
async function build(src, outDir, plugins) {
  const warnings = [];
  const bundle = await rollup({ input: join(src, "main.js"), plugins, onwarn: (w) => warnings.push(`${w.code}: ${w.message}`) });
  try {
    await bundle.write({ dir: outDir, format: "es" });
  } finally {
    await bundle.close();
  }
  return warnings;
}

test(`Rollup ${VERSION} + node-resolve + importMetaAssets() builds an app importing the tarball, and it runs in Chromium`, async (t) => {
  const app = consumerApp();
  const src = writeSource(app, "rollup-app");
  const outDir = join(app, "rollup-dist");
  // terser() only minifies, as a production build does; it has nothing to do with the .wasm.
  const warnings = await build(src, outDir, [nodeResolve(), importMetaAssets(), terser()]);
  assert.deepEqual(warnings, []);

  const sizes = emitted(outDir);
  t.diagnostic(`rollup ${VERSION}: emitted ${sizes.files.join(", ")}`);
  reportSizes(t, `rollup ${VERSION} (+ terser)`, sizes);

  writeFileSync(join(outDir, "index.html"), page('<script type="module" src="./main.js"></script>'));
  assertClassified(await runPage(outDir), sizes.wasm[0].file);
});

test("without importMetaAssets() Rollup emits no .wasm and the page says what to add: the line is needed", async () => {
  const app = consumerApp();
  const src = writeSource(app, "rollup-app-bare");
  const outDir = join(app, "rollup-dist-bare");
  await build(src, outDir, [nodeResolve()]);
  assert.deepEqual(filesUnder(outDir).filter((f) => f.endsWith(".wasm")), []);
  assert.ok(!existsSync(join(outDir, "wasm")));
  writeFileSync(join(outDir, "index.html"), page('<script type="module" src="./main.js"></script>'));
  const result = await runPage(outDir);
  assert.equal(result.text, "loading");
  assert.ok(result.failed.some((f) => f.includes("/wasm/backup_errors_bg.wasm: HTTP 404")), result.failed.join("\n"));
  assert.ok(result.problems.some((p) => p.includes("Rollup: importMetaAssets()")), result.problems.join("\n"));
});
