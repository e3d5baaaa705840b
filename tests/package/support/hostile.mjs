// The harness of the hostile tests (hostile.test.mjs, hostile-round3.test.mjs): each finding
// runs in a fresh Node process in the consumer app, so `backup-errors` is the installed
// tarball. The child
//   1. performs the attack and reports what each call did (returned / threw what),
//   2. then makes the normal calls below and reports their answers,
// one JSON line per report ("@@hostile {key, value}"), as soon as it has it: a child that
// hangs or dies still tells what it got through. The parent judges the reports, collecting
// every problem of a finding before failing, so one run shows all that is wrong.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { isDeepStrictEqual } from "node:util";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const app = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

// A Veeam Service Provider Console busy error: vendor "veeam", category "busy".
export const VEEAM_BUSY = '{"errors":[{"message":"busy","type":"retryablelogical","code":4002}]}';

// ── The child process ─────────────────────────────────────────────────────────────────────

// Helpers every child script starts with (before the package is loaded).
export const PRELUDE = String.raw`
const VEEAM_BUSY = ${JSON.stringify(VEEAM_BUSY)};
/** The exception a hostile getter or Proxy trap throws: the caller's own. */
class HostileError extends Error {
  constructor(where) { super("hostile " + where); this.name = "HostileError"; }
}
/** Reports one result to the parent (one line, so a later hang loses nothing). */
function emit(key, value) {
  process.stdout.write("@@hostile " + JSON.stringify({ key, value }) + "\n");
}
/** What an exception is, as facts the parent can judge. */
function describeError(e) {
  if (e === null || typeof e !== "object") return { name: typeof e, code: null, message: String(e), wasmRuntimeError: false, hostile: false };
  return {
    name: String(e.name),
    code: e.code ?? null,
    message: String(e.message).slice(0, 400),
    wasmRuntimeError: e instanceof WebAssembly.RuntimeError,
    hostile: e instanceof HostileError,
  };
}
/** { returned: value } or { threw: facts }. */
function outcome(fn) {
  try {
    return { returned: fn() };
  } catch (e) {
    return { threw: describeError(e) };
  }
}
async function outcomeAsync(fn) {
  try {
    return { returned: await fn() };
  } catch (e) {
    return { threw: describeError(e) };
  }
}
`;

// After the package is loaded: the normal calls whose answers must be right after an attack.
export const NORMAL_CALLS = String.raw`
function normalCalls() {
  return {
    conflict: outcome(() => classify({ status: 409 }).retryable),
    retryAfter: outcome(() => classify({ status: 503, headers: { "Retry-After": "30" } }).retryAfterMs),
    veeam: outcome(() => {
      const c = classify({ status: 520, body: VEEAM_BUSY });
      return { vendor: c.vendor, category: c.category };
    }),
    decide: outcome(() => {
      const d = new RetryPolicy({ seed: 1 }).decide(classify({ status: 503 }), { attempt: 1, elapsedMs: 0 });
      return { retry: d.retry, delayMs: d.delayMs, reason: d.reason };
    }),
  };
}
`;

export const ENTRIES = ["import", "require"];

/**
 * Runs `body` in a fresh Node process through one entry of the installed package: `import`
 * (ESM) or `require` (CommonJS). `before` runs before the package is loaded. In `body`, the
 * package is `pkg`, its exports are destructured, and `await` works (an async function).
 * Returns { reports, status, signal, stderr }, `reports` keyed as the child emitted them.
 */
export function runChild(entry, body, { before = "" } = {}) {
  const load = entry === "import" ? `await import("backup-errors")` : `require("backup-errors")`;
  const script = `${PRELUDE}
(async () => {
  ${before}
  const pkg = ${load};
  const { classify, RetryPolicy, RetryBudget, fetchWithRetry } = pkg;
  ${NORMAL_CALLS}
  ${body}
})().catch((e) => {
  emit("crashed", describeError(e));
  process.exitCode = 1;
});
`;
  const r = spawnSync(process.execPath, [`--input-type=${entry === "import" ? "module" : "commonjs"}`, "-e", script], {
    cwd: app,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    // A hang guard only, not a speed check: a child that never ends is killed and the test
    // reports what it had got through. Nothing here bounds how long a call may take.
    timeout: 600_000,
  });
  const reports = {};
  for (const line of (r.stdout ?? "").split("\n")) {
    if (line.startsWith("@@hostile ")) {
      const { key, value } = JSON.parse(line.slice("@@hostile ".length));
      reports[key] = value;
    }
  }
  return { reports, status: r.status, signal: r.signal, stderr: `${r.stderr ?? ""}${r.error ? `\n${r.error}` : ""}` };
}

// ── Judging the reports ───────────────────────────────────────────────────────────────────

export const show = (e) => `${e.name}${e.code ? ` [${e.code}]` : ""}: ${e.message}`;
export const showOutcome = (o) => (o.threw ? `threw ${show(o.threw)}` : `returned ${JSON.stringify(o.returned)}`);

/** Collects a finding's problems; `done()` fails with all of them at once. */
export class Problems {
  constructor(run) {
    this.run = run;
    this.list = [];
  }
  /** The child's report `key`; a problem (and undefined) when the child never sent it. */
  report(key) {
    if (key in this.run.reports) return this.run.reports[key];
    const why = this.run.reports.crashed ? `the child script threw ${show(this.run.reports.crashed)}` : `the child ended with exit code ${this.run.status}, signal ${this.run.signal}`;
    this.add(`no report "${key}": ${why}; stderr: ${this.run.stderr.trim().slice(-1500) || "(empty)"}`);
    return undefined;
  }
  add(problem) {
    this.list.push(problem);
  }
  expect(ok, problem) {
    if (!ok) this.add(problem);
  }
  /** `o` returned exactly `expected`. */
  returned(o, expected, what) {
    if (o === undefined) return;
    this.expect(!o.threw && isDeepStrictEqual(o.returned, expected), `${what}: expected ${JSON.stringify(expected)}, ${showOutcome(o)}`);
  }
  /** `o` threw a BackupErrorsError with one of `codes`, its message matching `message`. */
  threwCode(o, codes, what, message = null) {
    if (o === undefined) return;
    const e = o.threw;
    const want = `a BackupErrorsError ${codes.join(" or ")}${message ? ` whose message matches ${message}` : ""}`;
    this.expect(e && e.name === "BackupErrorsError" && codes.includes(e.code) && (!message || message.test(e.message)), `${what}: expected ${want}, ${showOutcome(o)}`);
  }
  /** The normal calls reported as `key` gave the right answers. */
  normalCalls(key = "after") {
    const after = this.report(key);
    if (after === undefined) return;
    const label = (call) => `after the attack, ${call}`;
    this.returned(after.conflict, false, label("classify({ status: 409 }).retryable"));
    this.returned(after.retryAfter, 30_000, label(`classify({ status: 503, headers: { "Retry-After": "30" } }).retryAfterMs`));
    this.returned(after.veeam, { vendor: "veeam", category: "busy" }, label("classify(Veeam's busy body) { vendor, category }"));
    const d = after.decide;
    const decideRight = !d.threw && d.returned.retry === true && d.returned.delayMs === 783 && d.returned.reason.startsWith("5xx-backoff:");
    this.expect(decideRight, `${label("new RetryPolicy({ seed: 1 }).decide(classify({ status: 503 }), { attempt: 1, elapsedMs: 0 })")}: expected { retry: true, delayMs: 783, reason: "5xx-backoff: …" }, ${showOutcome(d)}`);
  }
  done() {
    if (this.list.length > 0) assert.fail(`${this.list.length} problem(s):\n- ${this.list.join("\n- ")}`);
  }
}

/** Runs a child and judges it: `judge(problems)` reads the reports and records problems. */
export function check(entry, body, judge, options) {
  const problems = new Problems(runChild(entry, body, options));
  judge(problems);
  problems.done();
}

/** One test per finding, with a subtest per entry (`import`, `require`). */
export function finding(title, entries, fn) {
  test(title, async (t) => {
    for (const entry of entries) await t.test(entry, () => fn(entry));
  });
}
