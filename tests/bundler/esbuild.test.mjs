// esbuild builds an app importing the packed tarball with one line for the .wasm:
// `--conditions=esbuild --loader:.wasm=file`. esbuild does not follow
// `new URL("./wasm/…", import.meta.url)` (the browser entry), so the package has an entry for
// the "esbuild" export condition that imports the .wasm instead; the `file` loader emits it.
// The first test runs docs/bundlers.md's command line; the others show the API form with the
// subpath entries and a nested output layout, and what happens without the line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { build, version } from "esbuild";
import { consumerApp, writeSource, emitted, reportSizes, page, runPage, assertClassified, filesUnder, MAIN_JS } from "../support/bundler.mjs";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const esbuildBin = join(repo, "node_modules", ".bin", "esbuild");

test(`esbuild ${version} --conditions=esbuild --loader:.wasm=file builds an app importing the tarball, and it runs in Chromium`, async (t) => {
  const app = consumerApp();
  const src = writeSource(app, "esbuild-app");
  const outDir = join(app, "esbuild-dist");
  // docs/bundlers.md's line, on the command line a user types (--minify as in a production build).
  const args = ["main.js", "--bundle", "--format=esm", "--minify", `--outdir=${outDir}`, "--conditions=esbuild", "--loader:.wasm=file", "--log-level=warning"];
  const r = spawnSync(esbuildBin, args, { cwd: src, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, "", "no warning");

  const sizes = emitted(outDir);
  t.diagnostic(`esbuild ${version}: emitted ${sizes.files.join(", ")}`);
  reportSizes(t, `esbuild ${version}`, sizes);

  writeFileSync(join(outDir, "index.html"), page('<script type="module" src="./main.js"></script>'));
  assertClassified(await runPage(outDir), sizes.wasm[0].file);
});

test("esbuild's API with the same line: the subpath entries share the entry's one .wasm, and a nested output layout finds it", async () => {
  const app = consumerApp();
  const src = writeSource(app, "esbuild-app-api");
  writeFileSync(
    join(src, "main.js"),
    `import { kyRetry } from "backup-errors/ky";\nimport { attach } from "backup-errors/axios";\nif (typeof kyRetry !== "function" || typeof attach !== "function") throw new Error("no plug-in");\n` + MAIN_JS,
  );
  const outDir = join(app, "esbuild-dist-api");
  const result = await build({
    entryPoints: [join(src, "main.js")],
    bundle: true,
    format: "esm",
    outdir: outDir,
    entryNames: "js/[name]-[hash]",
    assetNames: "assets/[name]-[hash]",
    conditions: ["esbuild"],
    loader: { ".wasm": "file" },
    metafile: true,
    logLevel: "silent",
  });
  assert.deepEqual(result.warnings, []);
  const inputs = Object.keys(result.metafile.inputs).filter((f) => f.includes("backup-errors/"));
  for (const entry of ["index.esbuild.js", "ky.esbuild.js", "axios.esbuild.js", "wasm/backup_errors_bg.wasm"]) {
    assert.ok(inputs.some((f) => f.endsWith("backup-errors/" + entry)), `${entry} is bundled: ${inputs.join(", ")}`);
  }
  assert.ok(!inputs.some((f) => f.endsWith("index.browser.js")), "the browser entry is not bundled as well");

  const sizes = emitted(outDir); // exactly one .wasm
  assert.match(sizes.wasm[0].file, /^assets\/backup_errors_bg-\w+\.wasm$/);
  const js = sizes.js[0].file;
  assert.match(js, /^js\//);
  writeFileSync(join(outDir, "index.html"), page(`<script type="module" src="./${js}"></script>`));
  assertClassified(await runPage(outDir), sizes.wasm[0].file);
});

test("without the line (only --loader:.wasm=file) esbuild emits no .wasm, and the page says what to add", async () => {
  const app = consumerApp();
  const src = writeSource(app, "esbuild-app-bare");
  const outDir = join(app, "esbuild-dist-bare");
  await build({ entryPoints: [join(src, "main.js")], bundle: true, format: "esm", outdir: outDir, loader: { ".wasm": "file" }, logLevel: "silent" });
  assert.deepEqual(filesUnder(outDir).filter((f) => f.endsWith(".wasm")), []);
  writeFileSync(join(outDir, "index.html"), page('<script type="module" src="./main.js"></script>'));
  const result = await runPage(outDir);
  assert.equal(result.text, "loading");
  assert.ok(result.failed.some((f) => f.includes("/wasm/backup_errors_bg.wasm: HTTP 404")), result.failed.join("\n"));
  assert.ok(result.problems.some((p) => p.includes("--conditions=esbuild --loader:.wasm=file")), result.problems.join("\n"));
});

test("with the condition but no loader for .wasm, esbuild fails the build and names the file (no broken page)", async () => {
  const app = consumerApp();
  const src = writeSource(app, "esbuild-app-noloader");
  await assert.rejects(
    build({ entryPoints: [join(src, "main.js")], bundle: true, format: "esm", outdir: join(app, "esbuild-dist-noloader"), conditions: ["esbuild"], logLevel: "silent" }),
    (e) => e.errors.some((m) => /No loader is configured for "\.wasm" files/.test(m.text) && /backup_errors_bg\.wasm/.test(m.text)),
  );
});

test("a locale pack bundled with the same line loads into the entry the app imports: setLocale finds it, and the page shows the reason in German", async () => {
  const app = consumerApp();
  const src = writeSource(app, "esbuild-app-locale");
  writeFileSync(
    join(src, "main.js"),
    `import { classify, RetryPolicy, setLocale, messages } from "backup-errors";
import "backup-errors/locales/de";
setLocale("de");
const d = new RetryPolicy({ seed: 1 }).decide(classify({ status: 409 }), { attempt: 1 });
const c = classify({ status: 520, body: '{"errors":[{"message":"busy","type":"retryablelogical","code":4002}]}' });
document.getElementById("out").textContent = JSON.stringify([d.reason === messages("de")[d.reasonId], d.reason.startsWith("409-never: "), d.reason.includes("never retried"), c.summary === messages("de")[c.summaryId], c.summaryId]);
`,
  );
  const outDir = join(app, "esbuild-dist-locale");
  const result = await build({ entryPoints: [join(src, "main.js")], bundle: true, format: "esm", minify: true, outdir: outDir, conditions: ["esbuild"], loader: { ".wasm": "file" }, metafile: true, logLevel: "silent" });
  assert.deepEqual(result.warnings, []);
  const inputs = Object.keys(result.metafile.inputs).filter((f) => f.includes("backup-errors/"));
  assert.ok(inputs.some((f) => f.endsWith("backup-errors/locales/de.esbuild.js")), inputs.join(", "));
  assert.equal(inputs.filter((f) => /backup-errors\/index\.[a-z]+\.js$/.test(f)).length, 1, "one entry of the package, shared with the pack");
  writeFileSync(join(outDir, "index.html"), page('<script type="module" src="./main.js"></script>'));
  const shown = await runPage(outDir);
  assert.deepEqual(shown.problems, []);
  assert.deepEqual(JSON.parse(shown.text), [true, true, false, true, "veeam.4002.summary"]);
});
