// The Node entries load the wasm on the first call that needs it, not at import. Each case
// runs in a fresh process (the first call is what is being tested), in the consumer app, so
// `backup-errors` is the installed tarball.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const app = join(dirname(fileURLToPath(import.meta.url)), "..");

function run(source, { type = "mjs", cwd = app } = {}) {
  const file = join(cwd, `first-use-${process.pid}-${Math.random().toString(36).slice(2)}.${type}`);
  writeFileSync(file, source);
  try {
    const r = spawnSync(process.execPath, [file], { cwd, encoding: "utf8" });
    return { status: r.status, out: r.stdout.trim(), err: r.stderr };
  } finally {
    rmSync(file, { force: true });
  }
}

const cases = {
  "new RetryPolicy() as the first call, instanceof and subclassing": `
    import { RetryPolicy, classify } from "backup-errors";
    const p = new RetryPolicy({ seed: 1 });
    class Mine extends RetryPolicy {}
    const m = new Mine({ seed: 1 });
    const d = p.decide(classify({ status: 503 }), { attempt: 1, elapsedMs: 0 });
    console.log(JSON.stringify([p instanceof RetryPolicy, m instanceof RetryPolicy, m instanceof Mine, p.constructor === RetryPolicy, m.constructor === Mine, d.retry, d.delayMs === m.decide(classify({ status: 503 }), { attempt: 1, elapsedMs: 0 }).delayMs]));`,
  "new RetryBudget() as the first call": `
    import { RetryBudget } from "backup-errors";
    console.log(JSON.stringify([new RetryBudget({ capacity: 10 }).available === 10]));`,
  "catalog() as the first call": `
    import { catalog } from "backup-errors";
    console.log(JSON.stringify([catalog("atlassian").length > 0]));`,
  "a bad fetchWithRetry call as the first call throws the package's error": `
    import { fetchWithRetry } from "backup-errors";
    try { await fetchWithRetry("http://127.0.0.1:9/", {}, { fetch: 5 }); console.log("[false]"); }
    catch (e) { console.log(JSON.stringify([e.name === "BackupErrorsError", e.code === "ERR_INVALID_ARGUMENT"])); }`,
};

for (const [name, source] of Object.entries(cases)) {
  test(`ESM: ${name}`, () => {
    const r = run(source);
    assert.equal(r.status, 0, r.err);
    assert.ok(JSON.parse(r.out).every((x) => x === true), r.out);
  });
}

test("CJS: new RetryPolicy() as the first call", () => {
  const r = run(`const { RetryPolicy, classify } = require("backup-errors");
    const p = new RetryPolicy({ seed: 1 });
    console.log(JSON.stringify([p instanceof RetryPolicy, p.decide(classify({ status: 409 }), { attempt: 1, elapsedMs: 0 }).retry === false]));`, { type: "cjs" });
  assert.equal(r.status, 0, r.err);
  assert.ok(JSON.parse(r.out).every((x) => x === true), r.out);
});

test("import and require do not read the wasm: without the file they succeed, the first call fails", () => {
  // A copy of the installed package whose .wasm is missing.
  const dir = mkdtempSync(join(tmpdir(), "backup-errors-lazy-"));
  try {
    const pkg = join(dir, "node_modules", "backup-errors");
    cpSync(join(app, "node_modules", "backup-errors"), pkg, { recursive: true });
    renameSync(join(pkg, "wasm", "backup_errors_bg.wasm"), join(pkg, "wasm", "moved.wasm"));
    for (const [type, load] of [["mjs", 'const m = await import("backup-errors");'], ["cjs", 'const m = require("backup-errors");']]) {
      const r = run(`${load}
        let first;
        try { m.classify({ status: 503 }); first = "no error"; } catch (e) { first = e.code; }
        console.log(JSON.stringify(["imported", first]));`, { type, cwd: dir });
      assert.equal(r.status, 0, r.err);
      assert.deepEqual(JSON.parse(r.out), ["imported", "ENOENT"], type);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
