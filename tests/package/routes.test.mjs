// api.js reaches the wasm through fast routes (raw exports, results built in JS); the bindings
// keep full routes (objects read with Reflect, results through JSON). Both must give exactly
// the same answers, on the installed tarball, for every fixture (bench/check.mjs holds the cases).
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const { checkRoutes } = await import(pathToFileURL(join(process.env.BACKUP_ERRORS_REPO, "bench", "check.mjs")).href);

test("the fast routes of api.js agree with the bindings' full routes", async () => {
  const cases = await checkRoutes(join(process.cwd(), "node_modules", "backup-errors"));
  assert.ok(cases > 1000, `only ${cases} cases compared`);
});
