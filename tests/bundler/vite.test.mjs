// A Vite 7 app that imports the packed tarball by its bare name builds, and the built page
// classifies a response in headless Chromium: the bundler path a web console takes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { build } from "vite";
import { serve } from "../../scripts/serve.mjs";
import { launch, openPage } from "../support/browser.mjs";

const app = process.env.BACKUP_ERRORS_APP;

test("Vite builds an app importing the tarball, and it runs in Chromium", async () => {
  assert.ok(app, "BACKUP_ERRORS_APP must point at a project with the tarball installed");
  const src = join(app, "vite-app");
  mkdirSync(src, { recursive: true });
  writeFileSync(join(src, "index.html"), '<!doctype html><html><head><link rel="icon" href="data:,"></head><body><pre id="out">loading</pre><script type="module" src="./main.js"></script></body></html>');
  writeFileSync(
    join(src, "main.js"),
    `import { classify, RetryPolicy } from "backup-errors";
const c = classify({ status: 409, body: { errorCode: "127", errorMessage: "Backup Policy already exists" } });
const d = classify({ status: 503 });
const s = new RetryPolicy({ seed: 1 }).schedule(d);
document.getElementById("out").textContent = [c.vendor, c.code, c.category, c.retryable, d.retryable, s.length].join(" ");
`,
  );
  const outDir = join(app, "vite-dist");
  await build({ root: src, logLevel: "warn", build: { outDir, emptyOutDir: true } });
  const assets = readdirSync(join(outDir, "assets"));
  assert.ok(assets.some((f) => f.endsWith(".wasm")), `the .wasm is emitted as an asset: ${assets}`);

  const server = await serve({ port: 0, mounts: [["/", outDir]] });
  const browser = await launch();
  try {
    const { page, problems } = await openPage(browser);
    await page.goto(server.url + "/");
    // The limit only ends a page that never loads; it is not a speed check.
    await page.waitForFunction(() => document.getElementById("out").textContent !== "loading", null, { timeout: 120_000 });
    assert.equal(await page.textContent("#out"), "atlassian 127 conflict false true 4");
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
