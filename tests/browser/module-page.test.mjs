// The README's browser example, run verbatim: a plain page with <script type="module">
// imports the installed tarball from node_modules, with no bundler and no init call.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { serve } from "../../scripts/serve.mjs";
import { launch, openPage } from "../support/browser.mjs";

const repo = join(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "..", "..");
const app = process.env.BACKUP_ERRORS_APP;

test("the README's <script type=module> example runs in Chromium", async () => {
  assert.ok(app, "BACKUP_ERRORS_APP must point at a project with the tarball installed");
  const readme = readFileSync(join(repo, "README.md"), "utf8");
  const html = /<!-- test: html -->\s*```html\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(html, "README has a tested html example");
  writeFileSync(join(app, "index.html"), `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body>${html}</body></html>`);
  const server = await serve({ port: 0, mounts: [["/", app]] });
  const browser = await launch();
  try {
    const { page, problems } = await openPage(browser);
    const thrown = new Promise((resolve, reject) => page.once("pageerror", reject));
    thrown.catch(() => {}); // also in `problems`, asserted below
    await page.goto(server.url + "/index.html");
    // Ends when the example has written its line (setting body.textContent removes the
    // <script>, whose source also contains the words of the line), or at once if the page
    // throws. The limit only stops a wait that would never end: it is no speed check.
    await Promise.race([page.waitForFunction(() => !document.querySelector("script"), null, { timeout: 120_000 }), thrown]);
    assert.equal((await page.textContent("body")).trim(), "huawei APIGW.0308: retry after 3000 ms");
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
