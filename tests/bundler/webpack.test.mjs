// webpack 5 builds an app importing the packed tarball by its bare name with no configuration
// for the .wasm: it emits `new URL("./wasm/backup_errors_bg.wasm", import.meta.url)` as an
// asset module on its own. The built page classifies in headless Chromium.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import webpack from "webpack";
import { consumerApp, writeSource, emitted, reportSizes, page, runPage, assertClassified } from "../support/bundler.mjs";

const version = webpack.version;

test(`webpack ${version} builds an app importing the tarball with nothing configured for the .wasm, and it runs in Chromium`, async (t) => {
  const app = consumerApp();
  const src = writeSource(app, "webpack-app");
  const outDir = join(app, "webpack-dist");
  // What `webpack --mode production ./main.js` does: no loader, rule or plug-in.
  const compiler = webpack({ mode: "production", context: src, entry: "./main.js", output: { path: outDir, clean: true } });
  const stats = await new Promise((resolve, reject) => compiler.run((err, s) => (err ? reject(err) : resolve(s))));
  await new Promise((resolve) => compiler.close(resolve));
  assert.ok(!stats.hasErrors(), stats.toString({ all: false, errors: true }));
  assert.deepEqual(stats.toJson({ all: false, warnings: true }).warnings, []);

  const sizes = emitted(outDir);
  t.diagnostic(`webpack ${version}: emitted ${sizes.files.join(", ")}`);
  reportSizes(t, `webpack ${version}`, sizes);

  // webpack's default output is a classic script; "auto" public path finds the .wasm next to it.
  writeFileSync(join(outDir, "index.html"), page('<script defer src="./main.js"></script>'));
  assertClassified(await runPage(outDir), sizes.wasm[0].file);
});
