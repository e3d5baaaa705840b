// registerVendor through the packed tarball: a vendor of your own (detected, read by its
// pointers, in explain and catalog), rows for a built-in vendor, bad definitions (refused,
// nothing registered), registering again, a fresh instance after a trap, the retry-safety
// rules for registered rows (RetryPolicy.decide and fetchWithRetry against a loopback
// server), the CLI's --vendors, and memory over many registrations. The tests of this file
// share one module instance and run in order: what one registers, the next ones see.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { registerVendor, classify, explain, catalog, RetryPolicy, fetchWithRetry, __testing } from "backup-errors";
import { serve } from "./support/loopback.mjs";

const RUBRIK = {
  id: "rubrik",
  detect: { fields: ["errorType"] },
  code: "/errorType",
  message: "/message",
  requestId: "/traceId",
  codes: [
    { code: "ObjectNotFound", status: 404, category: "not_found", action: "fix_request", summary: "The object does not exist.", remediation: "Check the object's id." },
    { code: "SlaDomainBusy", category: "busy", action: "wait_and_retry", summary: "The SLA domain is being changed." },
    { code: "Conflict", status: 409, category: "conflict", action: "retry", summary: "Said to be retryable, under a 409." },
    { code: "JobFailed", status: 500, category: "server_error", action: "retry", summary: "The job failed." },
  ],
};

const VEEAM_4002 = { id: "veeam", codes: [{ code: "4002", category: "server_error", action: "do_not_retry", summary: "Not retried in this console." }] };
const VEEAM_BUSY_BODY = '{"errors":[{"message":"Management agent is busy.","type":"retryablelogical","code":4002}]}';

/** The error `fn` throws, checked to be a BackupErrorsError with `code`. */
function thrown(fn, code) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof Error);
    assert.equal(e.name, "BackupErrorsError");
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail("did not throw");
}

test("a registered vendor is detected, read by its pointers, and in explain and catalog", () => {
  const rowsBefore = catalog().length;
  assert.equal(registerVendor(RUBRIK), undefined);
  const c = classify({ status: 404, headers: { "content-type": "application/json" }, body: { errorType: "objectnotfound", message: "No snapshot 7.", traceId: "t-9" } });
  assert.equal(c.vendor, "rubrik");
  assert.equal(c.code, "objectnotfound"); // matched in any letter case, as built-in codes are
  assert.equal(c.message, "No snapshot 7.");
  assert.equal(c.requestId, "t-9");
  assert.equal(c.documented, true);
  assert.equal(c.category, "not_found");
  assert.equal(c.action, "fix_request");
  assert.equal(c.summary, "The object does not exist.");
  assert.equal(c.remediation, "Check the object's id.");
  // Named explicitly, in any letter case; an unknown code follows the HTTP status rules.
  const unknown = classify({ status: 503, vendor: "Rubrik", body: '{"errorType":"Nope"}' });
  assert.deepEqual([unknown.vendor, unknown.documented, unknown.action], ["rubrik", false, "retry"]);

  assert.deepEqual(explain("rubrik", "ObjectNotFound"), {
    vendor: "rubrik", code: "ObjectNotFound", status: 404, category: "not_found", action: "fix_request",
    summary: "The object does not exist.", remediation: "Check the object's id.",
    // A registered row's texts have ids in the built-in rows' scheme (docs/locales.md).
    summaryId: "rubrik.ObjectNotFound.summary", remediationId: "rubrik.ObjectNotFound.remediation",
  });
  assert.equal(explain("rubrik", "Unknown"), null);
  const rows = catalog("rubrik");
  assert.deepEqual(rows.map((r) => r.code), ["ObjectNotFound", "SlaDomainBusy", "Conflict", "JobFailed"]);
  assert.ok(rows.every((r) => r.vendor === "rubrik"));
  // A row without a remediation gets the action's general advice.
  assert.equal(typeof rows[1].remediation, "string");
  assert.ok(rows[1].remediation.length > 0);
  const all = catalog();
  assert.equal(all.length, rowsBefore + 4);
  assert.deepEqual(all.slice(-4), rows, "registered vendors come after the built-in ones");
  // The body's shape identifies it before the built-in rules: an Atlassian-looking body with
  // errorType is rubrik's.
  assert.equal(classify({ status: 400, body: { errorType: "SlaDomainBusy", errorCode: "140" } }).vendor, "rubrik");
  assert.equal(classify({ status: 400, body: { errorCode: "140", errorMessage: "m" } }).vendor, "atlassian");
});

test("rows for a built-in vendor take precedence over its own in explain, catalog and classify", () => {
  assert.equal(explain("veeam", "4002").action, "wait_and_retry");
  assert.equal(classify({ status: 520, body: VEEAM_BUSY_BODY }).action, "wait_and_retry");
  const before = catalog("veeam").length;
  registerVendor(VEEAM_4002);
  const e = explain("veeam", 4002);
  assert.deepEqual([e.category, e.action, e.summary], ["server_error", "do_not_retry", "Not retried in this console."]);
  // The same arguments as before registering get the new row, and each answer is the caller's own.
  const again = explain("veeam", "4002");
  assert.deepEqual(again, e);
  again.action = "changed by the caller";
  assert.equal(explain("veeam", "4002").action, "do_not_retry");
  const rows = catalog("veeam");
  assert.equal(rows.length, before, "the row took the built-in one's place");
  assert.deepEqual(rows.filter((r) => r.code === "4002"), [{ ...e }]);
  const c = classify({ status: 520, body: VEEAM_BUSY_BODY });
  assert.deepEqual([c.vendor, c.documented, c.category, c.action, c.summary], ["veeam", true, "server_error", "do_not_retry", "Not retried in this console."]);
  assert.ok(!catalog().some((r) => r.vendor === "veeam" && r.code === "4002" && r.action === "wait_and_retry"));
});

test("a bad definition throws ERR_INVALID_VENDOR_DEFINITION naming where, and registers nothing", () => {
  const before = catalog();
  const cases = [
    [null, /^registerVendor: expected a definition object/],
    [{ codes: [] }, /^registerVendor: id: expected a lowercase id matching \^\[a-z\]\[a-z0-9_-\]\{0,31\}\$, got undefined$/],
    [{ id: "Oracle" }, /^registerVendor: id: expected a lowercase id/],
    [{ id: "generic", codes: [] }, /^registerVendor: "generic": id: cannot be registered/],
    [{ id: "oracle", detec: { fields: ["x"] } }, /^registerVendor: "oracle": has no field "detec"; the fields are id, detect, code, message, requestId, parameter, codes$/],
    [{ id: "oracle", code: "errorType" }, /^registerVendor: "oracle": code: expected a JSON pointer such as "\/errorType"/],
    [{ id: "oracle", detect: { fields: [] } }, /^registerVendor: "oracle": detect\.fields: expected an array of 1 to 16/],
    [{ ...RUBRIK, id: "oracle", codes: [...RUBRIK.codes.slice(0, 2), { ...RUBRIK.codes[0], code: "X", category: "retry" }] },
      /^registerVendor: "oracle": codes\[2\]\.category: expected one of "invalid_request", .*"unknown", got "retry"$/],
    [{ id: "oracle", codes: [{ code: "X", category: "busy", action: "retry", summary: "s", status: 600 }] }, /codes\[0\]\.status: expected an HTTP status, an integer from 100 to 599, got 600/],
    [{ id: "veeam", detect: { fields: ["errors"] }, codes: [] }, /^registerVendor: "veeam": detect: a definition for veeam \(a built-in vendor\) may only bring codes$/],
    [{ id: "oracle", codes: [{ code: "X", category: "busy", action: "retry", summary: "s" }, { code: "x", category: "busy", action: "retry", summary: "t" }] }, /codes\[1\]\.code: "x" is in codes\[0\] already/],
  ];
  for (const [definition, message] of cases) {
    const e = thrown(() => registerVendor(definition), "ERR_INVALID_VENDOR_DEFINITION");
    assert.match(e.message, message);
  }
  assert.deepEqual(catalog(), before);
  thrown(() => catalog("oracle"), "ERR_UNKNOWN_VENDOR");
  assert.equal(classify({ status: 404, body: { errorType: "ObjectNotFound" } }).vendor, "rubrik");
  // A getter that throws is the caller's exception; nothing is registered either.
  const hostile = { id: "oracle", get codes() { throw new RangeError("no codes today"); } };
  assert.throws(() => registerVendor(hostile), RangeError);
  thrown(() => explain("oracle", "X"), "ERR_UNKNOWN_VENDOR");
});

test("registering an id again replaces its definition, which is read once", () => {
  let reads = 0;
  const definition = {
    id: "acme",
    detect: { fields: ["acmeError"] },
    code: "/acmeError/code",
    get codes() {
      reads++;
      return [{ code: "E1", category: "quota_exceeded", action: "do_not_retry", summary: "First meaning." }];
    },
  };
  registerVendor(definition);
  assert.equal(reads, 1);
  assert.equal(explain("acme", "E1").summary, "First meaning.");
  const vendorsBefore = catalog().map((r) => r.vendor);
  registerVendor({ id: "acme", detect: { fields: ["acmeError"] }, code: "/acmeError/code", codes: [{ code: "E1", category: "invalid_request", action: "fix_request", summary: "Second meaning." }] });
  assert.equal(reads, 1, "the first definition is not read again");
  assert.equal(explain("acme", "E1").summary, "Second meaning.");
  assert.deepEqual(catalog().map((r) => r.vendor), vendorsBefore, "acme kept its place");
  const c = classify({ status: 400, body: { acmeError: { code: "e1" } } });
  assert.deepEqual([c.vendor, c.code, c.action], ["acme", "e1", "fix_request"]);
});

test("after a trap, the fresh instance knows the registered vendors", () => {
  const before = catalog();
  assert.throws(() => __testing.forceTrap());
  assert.deepEqual(catalog(), before);
  assert.equal(classify({ status: 404, body: { errorType: "ObjectNotFound" } }).vendor, "rubrik");
  assert.equal(explain("veeam", "4002").summary, "Not retried in this console.");
  assert.equal(explain("acme", "E1").summary, "Second meaning.");
  thrown(() => registerVendor({ id: "acme", codes: "none" }), "ERR_INVALID_VENDOR_DEFINITION");
  assert.throws(() => __testing.forceTrap());
  assert.equal(explain("acme", "E1").summary, "Second meaning.", "a refused definition was not kept for the next instance");
});

test("the retry rules hold for registered rows: 409 never, a POST after an ambiguous 500 not re-sent", () => {
  const policy = new RetryPolicy({ seed: 1 });
  const conflict = classify({ status: 409, body: { errorType: "Conflict" } });
  assert.deepEqual([conflict.vendor, conflict.documented, conflict.action, conflict.retryable], ["rubrik", true, "do_not_retry", false]);
  const d = policy.decide(conflict, { attempt: 1, elapsedMs: 0 });
  assert.equal(d.retry, false);
  assert.match(d.reason, /^409-never:/);
  const failed = classify({ status: 500, body: { errorType: "JobFailed" } });
  assert.deepEqual([failed.documented, failed.action, failed.processed], [true, "retry", "maybe"]);
  assert.equal(policy.decide(failed, { attempt: 1, elapsedMs: 0, method: "GET" }).retry, true);
  const post = policy.decide(failed, { attempt: 1, elapsedMs: 0, method: "POST" });
  assert.equal(post.retry, false);
  assert.match(post.reason, /^non-idempotent: POST ended in HTTP 500/);
});

/** A loopback server answering each request with `answer(req, n)` = [status, body]. */
async function serveJson(t, answer) {
  return serve(t, (req, res, n) => {
    const [status, body] = answer(req, n);
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  }, "/jobs");
}

test("fetchWithRetry: a registered 409 is not retried, a POST's registered 500 not re-sent, a GET's retried", async (t) => {
  const fast = { baseDelayMs: 5, maxDelayMs: 20, seed: 1 };
  const conflict = await serveJson(t, () => [409, { errorType: "Conflict", message: "m" }]);
  let stop;
  const r = await fetchWithRetry(conflict.url, undefined, { ...fast, onGiveUp: ({ decision, classification }) => (stop = { decision, classification }) });
  assert.equal(r.status, 409);
  assert.deepEqual(conflict.requests.map((q) => q.method), ["GET"]);
  assert.equal(stop.classification.vendor, "rubrik");
  assert.match(stop.decision.reason, /^409-never:/);

  // Every POST fails with the registered 500; the first GET too.
  let gets = 0;
  const jobs = await serveJson(t, (req) => (req.method === "POST" || ++gets === 1 ? [500, { errorType: "JobFailed" }] : [200, { ok: true }]));
  const post = await fetchWithRetry(jobs.url, { method: "POST", body: "{}" }, { ...fast, onGiveUp: ({ decision }) => (stop = { decision }) });
  assert.equal(post.status, 500);
  assert.deepEqual(jobs.requests.map((q) => q.method), ["POST"], "the POST is sent once");
  assert.match(stop.decision.reason, /^non-idempotent:/);
  const get = await fetchWithRetry(jobs.url, undefined, fast);
  assert.equal(get.status, 200);
  assert.deepEqual(jobs.requests.map((q) => q.method), ["POST", "GET", "GET"]);
});

test("the CommonJS entry exports registerVendor too", () => {
  const cjs = createRequire(import.meta.url)("backup-errors");
  assert.equal(typeof cjs.registerVendor, "function");
  cjs.registerVendor({ id: "cjs-only", codes: [{ code: "E", category: "busy", action: "retry", summary: "s" }] });
  assert.equal(cjs.explain("cjs-only", "E").vendor, "cjs-only");
});

test("registering 1,000 times does not grow memory", () => {
  // Warm up: the registry and the largest inputs have been laid out once.
  for (let i = 0; i < 3; i++) registerVendor({ ...RUBRIK, codes: RUBRIK.codes.map((c) => ({ ...c, summary: `${c.summary} (${i})` })) });
  const before = __testing.memoryBytes();
  for (let i = 0; i < 1000; i++) {
    registerVendor({ ...RUBRIK, codes: RUBRIK.codes.map((c) => ({ ...c, summary: `${c.summary} (${i % 7})` })) });
    classify({ status: 404, body: { errorType: "ObjectNotFound" } });
  }
  const after = __testing.memoryBytes();
  assert.ok(after - before <= 65_536, `memory grew from ${before} to ${after} bytes`);
  assert.equal(explain("rubrik", "ObjectNotFound").summary, "The object does not exist. (5)");
  assert.equal(classify({ status: 404, body: { errorType: "ObjectNotFound" } }).summary, "The object does not exist. (5)");
});

// ── The command line ────────────────────────────────────────────────────────────────────
const BIN = join(process.cwd(), "node_modules", ".bin", "backup-errors");

function cli(args, input) {
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  env.NO_COLOR = "1";
  const r = spawnSync(BIN, args, { input, env, encoding: "utf8", timeout: 30_000 });
  if (r.error) throw r.error;
  return r;
}

/** A failure: the exit code, nothing on stdout, one line on stderr matching `pattern`. */
function assertOneLineError(r, exitCode, pattern) {
  assert.equal(r.status, exitCode, `exit code; stderr: ${r.stderr}`);
  assert.equal(r.stdout, "");
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /^backup-errors: error: /);
  assert.doesNotMatch(r.stderr, /\n\s+at |node:internal/);
  assert.match(lines[0], pattern);
}

test("CLI: --vendors registers definitions for classify, explain and catalog; bad files fail clearly", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "backup-errors-vendors-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name, text) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const defs = file("defs.json", JSON.stringify([RUBRIK, VEEAM_4002]));
  const one = file("one.json", JSON.stringify(RUBRIK));
  const response = "HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\nx-request-id: r-1\r\n\r\n" + JSON.stringify({ errorType: "ObjectNotFound", message: "gone" });

  const r = cli(["classify", "--vendors", defs, "--json"], response);
  assert.equal(r.status, 12, r.stderr);
  const c = JSON.parse(r.stdout);
  assert.deepEqual([c.vendor, c.code, c.documented, c.category, c.requestId], ["rubrik", "ObjectNotFound", true, "not_found", "r-1"]);
  const named = cli(["classify", "--vendors", one, "--vendor", "rubrik"], "HTTP/1.1 500 Internal Server Error\r\n\r\n{\"errorType\":\"JobFailed\"}");
  assert.equal(named.status, 10, named.stderr);
  assert.match(named.stdout, /^vendor\s+rubrik$/m);
  assert.match(named.stdout, /^code\s+JobFailed \(documented\)$/m);

  const e = cli(["explain", "veeam", "4002", "--vendors", defs, "--json"]);
  assert.equal(e.status, 0, e.stderr);
  assert.equal(JSON.parse(e.stdout).summary, "Not retried in this console.");
  const listed = cli(["catalog", "rubrik", "--vendors", defs]);
  assert.equal(listed.status, 0, listed.stderr);
  assert.deepEqual(listed.stdout.trimEnd().split("\n").map((l) => l.split("\t")[2]), ["ObjectNotFound", "SlaDomainBusy", "Conflict", "JobFailed"]);
  // Without the file, rubrik is unknown: a usage error.
  assertOneLineError(cli(["catalog", "rubrik"]), 1, /unknown vendor "rubrik"/);

  assertOneLineError(cli(["catalog", "--vendors", join(dir, "missing.json")]), 2, /^backup-errors: error: catalog: cannot read --vendors '.*missing\.json': no such file$/);
  assertOneLineError(cli(["explain", "rubrik", "X", "--vendors", file("bad.json", "[{ id: rubrik }]")]), 2, /explain: --vendors '.*bad\.json' is not JSON: /);
  const refused = file("refused.json", JSON.stringify([RUBRIK, { id: "oracle", codes: [{ code: "X", category: "retry", action: "retry", summary: "s" }] }]));
  assertOneLineError(
    cli(["classify", "--vendors", refused], response),
    1,
    /^backup-errors: error: classify: --vendors '.*refused\.json' definition 2 of 2: "oracle": codes\[0\]\.category: expected one of "invalid_request", .*, got "retry" \(see 'backup-errors classify --help'\)$/,
  );
  assertOneLineError(cli(["catalog", "--vendors", file("not-a-definition.json", "3")]), 1, /catalog: --vendors '.*not-a-definition\.json': expected a definition object such as \{ id, codes \}, got 3 /);
});
