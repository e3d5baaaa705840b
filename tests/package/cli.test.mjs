// The `backup-errors` bin of the packed tarball, installed in a fresh project: every command,
// stdin and file input, `curl -si` captures of every vendor, garbage input, exit codes,
// colour, JSON output that matches the API, and the retry schedule.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as be from "backup-errors";

const BIN = join(process.cwd(), "node_modules", ".bin", "backup-errors");
const CAPTURES = new URL("./captures/", import.meta.url);
const capture = (name) => fileURLToPath(new URL(name, CAPTURES));

/** The environment without colour settings, so each test sets only what it means. */
function cleanEnv(extra = {}) {
  const env = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  delete env.BACKUP_ERRORS_DEBUG;
  // The reasons' language follows these (--lang); the tests choose it themselves.
  delete env.LC_ALL;
  delete env.LC_MESSAGES;
  delete env.LANG;
  return { ...env, ...extra };
}

/** Runs the installed bin; returns { status, stdout, stderr }. */
function cli(args, { input, env } = {}) {
  const r = spawnSync(BIN, args, { input, env: cleanEnv(env), encoding: "utf8", timeout: 30_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A failure: non-zero exit, nothing on stdout, exactly one line on stderr, no stack trace. */
function assertOneLineError(r, exitCode, pattern) {
  assert.equal(r.status, exitCode, `exit code; stderr: ${r.stderr}`);
  assert.equal(r.stdout, "");
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, `one line on stderr, got:\n${r.stderr}`);
  assert.match(lines[0], /^backup-errors: error: /);
  assert.doesNotMatch(r.stderr, /\n\s+at |Error: |node:internal/);
  if (pattern) assert.match(lines[0], pattern);
}

/**
 * The test's own reading of a capture, independent of the CLI's parser: the last block that
 * starts with a status line, its headers up to the first blank line, the rest as bytes.
 */
function readCapture(name) {
  const bytes = readFileSync(capture(name));
  const text = bytes.toString("latin1"); // one char per byte: indices are byte offsets
  const starts = [...text.matchAll(/^HTTP\/[\d.]+ (\d{3})[^\n]*\n/gm)];
  const last = starts.at(-1);
  const head = last.index + last[0].length;
  const blank = /\r?\n\r?\n/.exec(text.slice(last.index));
  const end = last.index + blank.index;
  const headers = text
    .slice(head, end + 1)
    .split(/\r?\n/)
    .filter(Boolean)
    .map((line) => [line.slice(0, line.indexOf(":")).trim(), line.slice(line.indexOf(":") + 1).trim()]);
  return { status: Number(last[1]), headers, body: new Uint8Array(bytes.subarray(end + blank[0].length)) };
}

/** The value after `label` in the CLI's readable key/value output. */
function field(stdout, label) {
  const line = stdout.split("\n").find((l) => l.startsWith(label + " ") && l.slice(label.length).startsWith("  "));
  assert.ok(line !== undefined, `no '${label}' line in:\n${stdout}`);
  return line.slice(label.length).trim();
}

// What each capture means, and the exit code the CLI documents for it. `processed`: whether
// the server processed the request, as far as the response tells (a refusal: no; a 5xx other
// than the ones that say so: maybe; a 2xx: yes).
const CASES = [
  { file: "atlassian-409-127.crlf.http", vendor: "atlassian", status: 409, code: "127", category: "conflict", action: "do_not_retry", exit: 12, processed: "no" },
  { file: "atlassian-409-127.lf.http", vendor: "atlassian", status: 409, code: "127", category: "conflict", action: "do_not_retry", exit: 12, processed: "no" },
  { file: "atlassian-100-continue-400-140.http", vendor: "atlassian", status: 400, code: "140", category: "busy", action: "wait_and_retry", exit: 10, processed: "no" },
  { file: "veeam-520-retryablelogical.http", vendor: "veeam", status: 520, category: "busy", action: "wait_and_retry", exit: 10, requestId: "0HN8F2K7Q3M1B:00000004", processed: "no" },
  { file: "veeam-429-retryafter.lf.http", vendor: "veeam", status: 429, category: "rate_limited", action: "retry", exit: 10, retryAfterMs: 30_000, processed: "no" },
  { file: "huawei-429-apigw0308.h2.http", vendor: "huawei", status: 429, code: "APIGW.0308", category: "rate_limited", action: "retry", exit: 10, requestId: "5b7f3c2a9d1e4f60a8b7c6d5e4f3a2b1", processed: "no" },
  { file: "graph-429-retry-after.h2.http", vendor: "microsoft365", status: 429, category: "rate_limited", action: "retry", exit: 10, retryAfterMs: 10_000, requestId: "a3f5c6d7-8e9f-4a0b-b1c2-d3e4f5a6b7c8", processed: "no" },
  { file: "graph-200-item-errors.h2.http", vendor: "microsoft365", status: 200, category: "ok", exit: 13, items: ["ProtectionUnitNotFound", "QuotaExceeded"], processed: "yes" },
  { file: "graph-200-batch-items.h2.http", vendor: "microsoft365", status: 200, category: "ok", exit: 13, items: ["TooManyRequests", "itemNotFound"], processed: "yes" },
  { file: "acronis-400-1001.http", vendor: "acronis", status: 400, code: "1001", action: "refresh_and_retry", exit: 11, processed: "no" },
  { file: "acronis-301-then-401.http", vendor: "acronis", status: 401, category: "unauthenticated", action: "reauthenticate", exit: 11, processed: "no" },
  { file: "proxy-502-html.http", vendor: "generic", status: 502, category: "server_error", action: "retry", exit: 10, processed: "maybe" },
  // RFC 8470: the server refused early data; it did not process the request.
  { file: "proxy-425-too-early.http", vendor: "generic", status: 425, category: "too_early", action: "retry", exit: 10, processed: "no" },
  // The server does not implement what the request needs: sending it again cannot help.
  { file: "proxy-501-not-implemented.http", vendor: "generic", status: 501, category: "unsupported", action: "do_not_retry", exit: 12, processed: "maybe" },
];
const PROCESSED_TEXT = { no: /^no \(the server did not process the request\)$/, maybe: /^maybe \(the server may have processed the request\)$/, yes: /^yes$/ };

test("--version prints the installed package's version, through the bin and through npx", () => {
  const { version } = JSON.parse(readFileSync(join(process.cwd(), "node_modules", "backup-errors", "package.json"), "utf8"));
  const r = cli(["--version"]);
  assert.equal(r.status, 0);
  assert.equal(r.stdout.trim(), version);
  const npx = spawnSync("npx", ["--no-install", "backup-errors", "--version"], { cwd: process.cwd(), env: cleanEnv(), encoding: "utf8", timeout: 60_000 });
  assert.equal(npx.status, 0, npx.stderr);
  assert.equal(npx.stdout.trim(), version);
});

test("--help at the top level and on each command, exit 0", () => {
  const top = cli(["--help"]);
  assert.equal(top.status, 0);
  for (const word of ["explain", "classify", "catalog", "Exit codes", "NO_COLOR"]) assert.ok(top.stdout.includes(word), word);
  assert.equal(cli(["help"]).stdout, top.stdout);
  for (const command of ["explain", "classify", "catalog"]) {
    const r = cli([command, "--help"]);
    assert.equal(r.status, 0, command);
    assert.match(r.stdout, new RegExp(`^Usage: backup-errors ${command}`));
    assert.match(r.stdout, /Exit codes/);
    assert.equal(cli(["help", command]).stdout, r.stdout);
    assert.equal(cli([command, "-h"]).stdout, r.stdout);
  }
  const classify = cli(["classify", "--help"]).stdout;
  for (const line of [/^\s+0\s+success/m, /^\s+10\s+retryable/m, /^\s+11\s/m, /^\s+12\s+not retryable/m, /^\s+13\s/m, /^\s+1\s+usage/m, /^\s+2\s+unreadable/m]) {
    assert.match(classify, line);
  }
  for (const flag of ["--policy", "--max-attempts", "--base-delay-ms", "--jitter", "--seed", "--vendor", "--method", "--idempotent", "--non-idempotent", "--json"]) {
    assert.ok(classify.includes(flag), flag);
  }
  // What --idempotent is for, and that the schedule names the request it is for.
  assert.match(classify, /--idempotent\s+the request is safe to send twice \(it carries an\s+Idempotency-Key/);
  assert.match(classify, /method unknown/);
  assert.match(classify, /nonIdempotent: safe-only \(default\) or retry/);
  assert.doesNotMatch(classify, /POST and PATCH get the nonIdempotent rule/);
});

test("no arguments: the usage on stderr, exit 1", () => {
  const r = cli([]);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /Usage:/);
});

test("unknown commands, flags and vendors: one line on stderr, exit 1", () => {
  assertOneLineError(cli(["frobnicate"]), 1, /unknown command 'frobnicate'/);
  assertOneLineError(cli(["--frobnicate"]), 1, /unknown option '--frobnicate'/);
  assertOneLineError(cli(["catalog", "--frobnicate"]), 1, /unknown option '--frobnicate'/);
  assertOneLineError(cli(["classify", capture("proxy-502-html.http"), "--bogus"]), 1, /unknown option '--bogus'/);
  assertOneLineError(cli(["explain", "atlassian", "127", "-x"]), 1, /unknown option '-x'/);
  assertOneLineError(cli(["explain", "oracle", "1"]), 1, /unknown vendor "oracle"/);
  assertOneLineError(cli(["catalog", "oracle"]), 1, /unknown vendor "oracle"/);
  assertOneLineError(cli(["classify", capture("proxy-502-html.http"), "--vendor", "oracle"]), 1, /unknown vendor "oracle"/);
  // A usage error is reported before the input is read.
  assertOneLineError(cli(["classify", "does-not-exist.http", "--vendor", "oracle"]), 1, /unknown vendor/);
  assertOneLineError(cli(["explain", "atlassian"]), 1, /missing <code>/);
  assertOneLineError(cli(["explain", "atlassian", "127", "--status"]), 1, /--status/);
  assertOneLineError(cli(["explain", "atlassian", "127", "--status", "abc"]), 1, /--status needs an integer/);
  assertOneLineError(cli(["catalog", "atlassian", "veeam"]), 1, /unexpected argument 'veeam'/);
  assertOneLineError(cli(["classify", "a.http", "b.http"]), 1, /unexpected argument 'b.http'/);
});

test("explain: category, action, summary and remediation; --json is the CatalogEntry", () => {
  const r = cli(["explain", "atlassian", "127"]);
  assert.equal(r.status, 0, r.stderr);
  const entry = be.explain("atlassian", "127");
  assert.equal(field(r.stdout, "category"), "conflict");
  assert.match(field(r.stdout, "action"), /^do_not_retry/);
  assert.equal(field(r.stdout, "summary"), entry.summary);
  assert.equal(field(r.stdout, "remediation"), entry.remediation);
  assert.equal(field(r.stdout, "status"), "409");

  const json = cli(["explain", "acronis", "1001", "--json"]);
  assert.equal(json.status, 0);
  assert.deepEqual(JSON.parse(json.stdout), be.explain("acronis", "1001"));

  // --status picks the row of a code documented under two statuses.
  for (const status of [400, 403]) {
    const s = cli(["explain", "huawei", "CSBS.9009", "--status", String(status), "--json"]);
    assert.equal(s.status, 0, s.stderr);
    assert.deepEqual(JSON.parse(s.stdout), be.explain("huawei", "CSBS.9009", status));
  }
});

test("explain: an undocumented code is a clear message and exit 3", () => {
  assertOneLineError(cli(["explain", "atlassian", "99999"]), 3, /atlassian documents no error code '99999'/);
  assertOneLineError(cli(["explain", "veeam", "nope", "--json"]), 3);
});

test("catalog: one tab-separated line per entry, --json is the array", () => {
  const all = cli(["catalog"]);
  assert.equal(all.status, 0);
  const lines = all.stdout.trimEnd().split("\n");
  const entries = be.catalog();
  assert.equal(lines.length, entries.length);
  lines.forEach((line, i) => {
    const cols = line.split("\t");
    const e = entries[i];
    assert.equal(cols.length, 6, line);
    assert.deepEqual(cols.slice(0, 5), [e.vendor, e.status === null ? "-" : String(e.status), e.code, e.category, e.action]);
  });
  assert.ok(lines.some((l) => l.split("\t")[1] === "-"), "some entries have no status");

  const huawei = cli(["catalog", "huawei"]);
  assert.equal(huawei.status, 0);
  assert.ok(huawei.stdout.trimEnd().split("\n").every((l) => l.startsWith("huawei\t")));
  assert.ok(huawei.stdout.includes("\tAPIG.0308\t"));

  const json = cli(["catalog", "veeam", "--json"]);
  assert.deepEqual(JSON.parse(json.stdout), be.catalog("veeam"));
});

for (const c of CASES) {
  test(`classify ${c.file}: ${c.vendor} ${c.status} → exit ${c.exit}`, () => {
    const r = cli(["classify", capture(c.file)]);
    assert.equal(r.status, c.exit, r.stderr);
    assert.equal(r.stderr, "");
    assert.equal(field(r.stdout, "vendor"), c.vendor);
    assert.match(field(r.stdout, "status"), new RegExp(`^${c.status}\\b`));
    if (c.code) assert.match(field(r.stdout, "code"), new RegExp(`^${c.code.replace(".", "\\.")} `));
    if (c.category) assert.equal(field(r.stdout, "category"), c.category);
    if (c.action) assert.equal(field(r.stdout, "action"), c.action);
    assert.equal(field(r.stdout, "retryable"), c.exit === 10 ? "yes" : "no");
    assert.match(field(r.stdout, "processed"), PROCESSED_TEXT[c.processed]);
    if (c.requestId) assert.equal(field(r.stdout, "request id"), c.requestId);
    if (c.retryAfterMs) assert.match(field(r.stdout, "server wait"), new RegExp(`\\(${c.retryAfterMs} ms\\)`));
    for (const label of ["summary", "remediation", "parameter", "message", "items"]) field(r.stdout, label);
    for (const code of c.items ?? []) assert.ok(r.stdout.includes(code), code);

    // --json is exactly classify() of the same response.
    const json = cli(["classify", capture(c.file), "--json"]);
    assert.equal(json.status, c.exit);
    const got = JSON.parse(json.stdout);
    assert.deepEqual(got, be.classify(readCapture(c.file)));
    assert.equal(got.vendor, c.vendor);
    assert.equal(got.status, c.status);
    assert.equal(got.processed, c.processed);
    if (c.category) assert.equal(got.category, c.category);
    if (c.items) assert.deepEqual(got.items.map((i) => i.code), c.items);
    // The exit code is the package's exitCode(), not a copy of its rules.
    assert.equal(be.exitCode(got), c.exit);
  });
}

test("items: each failed item's own status, retryable and server wait, where the response gives them", () => {
  // A Graph JSON batch: sub-response 2 was throttled (Retry-After: 7), 3 was not found.
  const r = cli(["classify", capture("graph-200-batch-items.h2.http")]);
  assert.equal(r.status, 13, r.stderr);
  const blocks = r.stdout.split(/\n(?=  \[\d+\] )/).slice(1);
  assert.equal(blocks.length, 2, r.stdout);
  const item = (block, label) => {
    const line = block.split("\n").find((l) => l.startsWith(`      ${label}  `));
    return line === undefined ? undefined : line.slice(6 + label.length).trim();
  };
  assert.match(blocks[0], /^  \[1\] rate_limited \/ retry\n/);
  assert.equal(item(blocks[0], "status"), "429");
  assert.equal(item(blocks[0], "code"), "TooManyRequests");
  assert.equal(item(blocks[0], "target"), "2");
  assert.equal(item(blocks[0], "retryable"), "yes");
  assert.equal(item(blocks[0], "server wait"), "7 s (7000 ms)");
  assert.match(blocks[1], /^  \[2\] not_found \/ do_not_retry\n/);
  assert.equal(item(blocks[1], "status"), "404");
  assert.equal(item(blocks[1], "retryable"), "no");
  assert.equal(item(blocks[1], "server wait"), undefined, "no server wait: no row");
  // Every item's values start in the same column.
  const starts = blocks.flatMap((b) => b.split("\n").slice(1).filter(Boolean).map((l) => l.search(/(?<=\S {2,})\S/)));
  assert.equal(new Set(starts).size, 1, r.stdout);
  const json = JSON.parse(cli(["classify", capture("graph-200-batch-items.h2.http"), "--json"]).stdout);
  assert.deepEqual(
    json.items.map(({ status, retryable, retryAfterMs }) => ({ status, retryable, retryAfterMs })),
    [
      { status: 429, retryable: true, retryAfterMs: 7000 },
      { status: 404, retryable: false, retryAfterMs: null },
    ],
  );

  // Items without a status or a server wait (a listing's entity errors) show neither row.
  const list = cli(["classify", capture("graph-200-item-errors.h2.http")]);
  const listItems = list.stdout.slice(list.stdout.indexOf("  [1] "));
  assert.doesNotMatch(listItems, /^ {6}(status|server wait) /m);
  assert.equal((listItems.match(/^ {6}retryable +no$/gm) ?? []).length, 2);
});

test("classify reads stdin with '-' and with no file, the same as the file", () => {
  const file = capture("huawei-429-apigw0308.h2.http");
  const fromFile = cli(["classify", file, "--json"]);
  const input = readFileSync(file);
  for (const args of [["classify", "-", "--json"], ["classify", "--json"]]) {
    const r = cli(args, { input });
    assert.equal(r.status, 10, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), JSON.parse(fromFile.stdout));
  }
  const readable = cli(["classify"], { input });
  assert.equal(readable.status, 10);
  assert.equal(field(readable.stdout, "code"), "APIGW.0308 (documented)");
});

test("CRLF and LF captures of the same response classify the same", () => {
  const crlf = cli(["classify", capture("atlassian-409-127.crlf.http"), "--json"]);
  const lf = cli(["classify", capture("atlassian-409-127.lf.http"), "--json"]);
  assert.deepEqual(JSON.parse(lf.stdout), JSON.parse(crlf.stdout));
  // A CRLF capture turned into LF on the fly, through stdin.
  const text = readFileSync(capture("graph-429-retry-after.h2.http"), "latin1").replace(/\r\n/g, "\n");
  const r = cli(["classify", "--json"], { input: text });
  assert.deepEqual(JSON.parse(r.stdout), JSON.parse(cli(["classify", capture("graph-429-retry-after.h2.http"), "--json"]).stdout));
});

test("several header blocks: the last response is the one classified", () => {
  const cont = JSON.parse(cli(["classify", capture("atlassian-100-continue-400-140.http"), "--json"]).stdout);
  assert.equal(cont.status, 400);
  assert.equal(cont.code, "140");
  const redirect = JSON.parse(cli(["classify", capture("acronis-301-then-401.http"), "--json"]).stdout);
  assert.equal(redirect.status, 401);
  // A proxy's CONNECT reply before an HTTP/2 response.
  const input = "HTTP/1.1 200 Connection established\r\n\r\n" + readFileSync(capture("huawei-429-apigw0308.h2.http"), "latin1");
  const proxied = JSON.parse(cli(["classify", "--json"], { input }).stdout);
  assert.equal(proxied.status, 429);
  assert.equal(proxied.code, "APIGW.0308");
});

test("--vendor and --method are passed to classify()", () => {
  const body = '{"error":{"code":"1006","message":"Some error"}}';
  const input = `HTTP/1.1 500 Internal Server Error\nContent-Type: application/json\n\n${body}`;
  const r = cli(["classify", "--vendor", "acronis", "--method", "POST", "--json"], { input });
  const expected = be.classify({ status: 500, headers: [["Content-Type", "application/json"]], body, vendor: "acronis", method: "POST" });
  assert.deepEqual(JSON.parse(r.stdout), expected);
  assert.equal(expected.vendor, "acronis");
  assert.equal(expected.documented, true);
  // Acronis documents 1006 as a permanent state problem even on a 500: not retryable.
  assert.equal(expected.retryable, false);
  assert.equal(r.status, 12, r.stderr);
  const generic = cli(["classify", "--vendor", "generic", "--json"], { input });
  assert.equal(JSON.parse(generic.stdout).vendor, "generic");
  assert.equal(generic.status, 10);
});

test("unreadable input: one line on stderr, exit 2", () => {
  assertOneLineError(cli(["classify", capture("garbage.bin")]), 2, /binary data/);
  assertOneLineError(cli(["classify", capture("empty.http")]), 2, /is empty/);
  assertOneLineError(cli(["classify", capture("no-status-line.http")]), 2, /no status line/);
  assertOneLineError(cli(["classify", capture("only-100-continue.http")]), 2, /interim 100 response/);
  assertOneLineError(cli(["classify", capture("does-not-exist.http")]), 2, /cannot read .*does-not-exist\.http.*no such file/);
  assertOneLineError(cli(["classify", fileURLToPath(CAPTURES)]), 2, /directory/);
  assertOneLineError(cli(["classify"], { input: "" }), 2, /stdin is empty/);
  assertOneLineError(cli(["classify", "-"], { input: readFileSync(capture("garbage.bin")) }), 2, /stdin looks like binary data/);
  assertOneLineError(cli(["classify", "--json"], { input: '{"errorCode":"127"}' }), 2, /bare body.*curl -si/);
  assertOneLineError(cli(["classify", "--json"], { input: "\r\n\r\n   \n" }), 2);
});

test("colour: never when piped, never with NO_COLOR, on with FORCE_COLOR", () => {
  const file = capture("huawei-429-apigw0308.h2.http");
  const ESC = "\x1b[";
  assert.ok(!cli(["classify", file]).stdout.includes(ESC), "piped: no colour");
  assert.ok(!cli(["classify", file], { env: { NO_COLOR: "1" } }).stdout.includes(ESC), "NO_COLOR=1");
  assert.ok(!cli(["explain", "atlassian", "127"], { env: { NO_COLOR: "1" } }).stdout.includes(ESC));
  assert.ok(cli(["classify", file], { env: { FORCE_COLOR: "1" } }).stdout.includes(ESC), "FORCE_COLOR=1 colours");
  assert.ok(!cli(["classify", file], { env: { FORCE_COLOR: "1", NO_COLOR: "1" } }).stdout.includes(ESC), "NO_COLOR wins");
  assert.ok(!cli(["classify", file], { env: { FORCE_COLOR: "0" } }).stdout.includes(ESC), "FORCE_COLOR=0");
  assert.ok(!cli(["classify", capture("empty.http")], { env: { NO_COLOR: "1" } }).stderr.includes(ESC), "stderr too");
  // Colour changes only the looks: the text without escapes is the same.
  const coloured = cli(["classify", file], { env: { FORCE_COLOR: "1" } }).stdout.replace(/\x1b\[\d+m/g, "");
  assert.equal(coloured, cli(["classify", file]).stdout);
  // Escape sequences a server put in its message never reach the terminal.
  const hostile = 'HTTP/1.1 500 Internal Server Error\nContent-Type: application/json\n\n{"message":"boom \\u001b[2J\\u001b]0;pwned\\u0007 \\u009b31m done"}';
  const shown = cli(["classify"], { input: hostile, env: { NO_COLOR: "1" } });
  assert.equal(shown.status, 10, shown.stderr);
  assert.doesNotMatch(shown.stdout, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  assert.match(field(shown.stdout, "message"), /^boom .*done$/);
  // --json never has colour.
  assert.doesNotThrow(() => JSON.parse(cli(["classify", file, "--json"], { env: { FORCE_COLOR: "1" } }).stdout));
});

test("policy options print the retry schedule of RetryPolicy", () => {
  const file = capture("proxy-502-html.http");
  const args = ["--max-attempts", "5", "--base-delay-ms", "500", "--jitter", "none", "--seed", "1"];
  const r = cli(["classify", file, ...args]);
  assert.equal(r.status, 10, r.stderr);
  assert.match(r.stdout, /retry schedule/);
  const attempts = r.stdout.split("\n").filter((l) => /^\s+attempt\s+\d/.test(l));
  assert.equal(attempts.length, 5);
  assert.deepEqual(attempts.map((l) => /retry in (\d+) ms|stop/.exec(l)[0]), ["retry in 500 ms", "retry in 1000 ms", "retry in 2000 ms", "retry in 4000 ms", "stop"]);
  assert.match(attempts[4], /max-attempts/);

  // Without --method the status alone decides, and the header says so.
  assert.match(r.stdout, /^retry schedule, method unknown \(RetryPolicy \{"maxAttempts":5,"baseDelayMs":500,"jitter":"none","seed":1\}; /m);

  const options = { maxAttempts: 5, baseDelayMs: 500, jitter: "none", seed: 1 };
  const json = JSON.parse(cli(["classify", file, ...args, "--json"]).stdout);
  const classification = be.classify(readCapture("proxy-502-html.http"));
  assert.deepEqual(json.classification, classification);
  assert.deepEqual(json.schedule, new be.RetryPolicy(options).schedule(classification, { attempts: 100 }));
  assert.deepEqual(json.schedule.map((d) => d.delayMs), [500, 1000, 2000, 4000, 0]);
});

test("--policy alone uses the defaults; the schedule follows the response", () => {
  const conflict = cli(["classify", capture("atlassian-409-127.lf.http"), "--policy"]);
  assert.equal(conflict.status, 12);
  assert.match(conflict.stdout, /attempt\s+1\s+stop\s+409-never/);

  const busy = JSON.parse(cli(["classify", capture("veeam-520-retryablelogical.http"), "--policy", "--seed", "7", "--json"]).stdout);
  assert.ok(busy.schedule.length > 1);
  assert.ok(busy.schedule.slice(0, -1).every((d) => d.retry && d.reason.startsWith("busy-schedule")));
  assert.equal(busy.schedule.at(-1).retry, false);

  // The server's wait, and a cap below it that is not shortened.
  const graph = capture("graph-429-retry-after.h2.http");
  const wait = JSON.parse(cli(["classify", graph, "--policy", "--jitter", "none", "--json"]).stdout);
  assert.equal(wait.schedule[0].delayMs, 10_000);
  assert.match(wait.schedule[0].reason, /^server-wait/);
  const capped = cli(["classify", graph, "--max-retry-after-ms", "5000"]);
  assert.match(capped.stdout, /stop, server wait 10000 ms\s+server-wait-too-long/);

  // --method POST with nonIdempotent safe-only (the default) stops a 5xx at once.
  const post = JSON.parse(cli(["classify", capture("proxy-502-html.http"), "--method", "POST", "--non-idempotent", "safe-only", "--json"]).stdout);
  assert.equal(post.schedule.length, 1);
  assert.match(post.schedule[0].reason, /^non-idempotent/);

  // busy.* and boolean options reach the policy.
  const short = JSON.parse(cli(["classify", capture("veeam-520-retryablelogical.http"), "--busy-max-attempts", "2", "--trust-vendor-codes", "true", "--json"]).stdout);
  assert.equal(short.schedule.length, 2);
});

test("bad policy options: one line on stderr, exit 1", () => {
  const file = capture("proxy-502-html.http");
  assertOneLineError(cli(["classify", file, "--max-attempts", "0"]), 1, /maxAttempts/);
  assertOneLineError(cli(["classify", file, "--max-attempts", "five"]), 1, /--max-attempts needs an integer/);
  assertOneLineError(cli(["classify", file, "--jitter", "wobbly"]), 1, /jitter/);
  assertOneLineError(cli(["classify", file, "--trust-vendor-codes", "maybe"]), 1, /true or false/);
  assertOneLineError(cli(["classify", file, "--multiplier", "x"]), 1, /--multiplier needs a number/);
  assertOneLineError(cli(["classify", "--policy", '{"maxAttempts":5}']), 2, /--policy takes no value/);
});

test("retry safety: a POST that ended in a 502 is not sent again unless it is idempotent", () => {
  const file = capture("proxy-502-html.http");
  const classification = be.classify(readCapture("proxy-502-html.http"));
  assert.equal(classification.processed, "maybe");

  // --method POST: the default policy stops at attempt 1 with the non-idempotent rule.
  const post = cli(["classify", file, "--method", "POST", "--policy"]);
  assert.equal(post.status, 10, post.stderr); // the response's meaning is unchanged: retryable
  assert.equal(field(post.stdout, "processed"), "maybe (the server may have processed the request)");
  assert.match(post.stdout, /^retry schedule for POST \(RetryPolicy defaults; if every attempt ended like this one\)$/m);
  const attempts = post.stdout.split("\n").filter((l) => /^\s+attempt\s+\d/.test(l));
  assert.equal(attempts.length, 1, post.stdout);
  // The whole reason, tag first, never cut.
  const stop = new be.RetryPolicy({ seed: 1 }).schedule(classification, { attempts: 100, method: "POST" });
  assert.equal(stop.length, 1);
  assert.equal(attempts[0], `  attempt  1  stop  ${stop[0].reason}`);
  assert.match(attempts[0], /^  attempt  1  stop  non-idempotent: POST ended in HTTP 502 .*allows retries\.$/);

  const postJson = JSON.parse(cli(["classify", file, "--method", "POST", "--policy", "--json"]).stdout);
  assert.deepEqual(postJson.classification, be.classify({ ...readCapture("proxy-502-html.http"), method: "POST" }));
  assert.equal(postJson.classification.processed, "maybe");
  assert.deepEqual(postJson.schedule, stop);
  assert.equal(postJson.schedule[0].retry, false);
  assert.equal(postJson.schedule[0].attempt, 1);

  // The method's case does not matter to the rule (the header and reason show it as given).
  const lower = cli(["classify", file, "--method", "post", "--policy"]);
  assert.match(lower.stdout, /^retry schedule for post \(/m);
  assert.match(lower.stdout, /^  attempt  1  stop  non-idempotent: post ended in HTTP 502 /m);

  // --idempotent (an Idempotency-Key): the POST is retried like a GET; it implies --policy.
  const idem = cli(["classify", file, "--method", "POST", "--idempotent", "--seed", "1"]);
  assert.equal(idem.status, 10, idem.stderr);
  assert.match(idem.stdout, /^retry schedule for POST, marked idempotent \(RetryPolicy \{"seed":1\}; /m);
  const idemLines = idem.stdout.split("\n").filter((l) => /^\s+attempt\s+\d/.test(l));
  assert.ok(idemLines.length > 1, idem.stdout);
  assert.ok(idemLines.slice(0, -1).every((l) => /retry in \d+ ms\s+5xx-backoff: /.test(l)), idem.stdout);
  assert.match(idemLines.at(-1), /stop\s+max-attempts: /);
  const idemJson = JSON.parse(cli(["classify", file, "--method", "POST", "--idempotent", "--seed", "1", "--json"]).stdout);
  const expected = new be.RetryPolicy({ seed: 1 }).schedule(classification, { attempts: 100, method: "POST", idempotent: true });
  assert.deepEqual(idemJson.schedule, expected);
  assert.deepEqual(idemJson.schedule, new be.RetryPolicy({ seed: 1 }).schedule(classification, { attempts: 100, method: "GET" }));
  assert.match(cli(["classify", file, "--idempotent"]).stdout, /^retry schedule, method unknown, marked idempotent \(RetryPolicy defaults; /m);

  // A GET (idempotent by its method) is retried; the header names it.
  const get = cli(["classify", file, "--method", "GET", "--seed", "1"]);
  assert.match(get.stdout, /^retry schedule for GET \(/m);
  assert.ok(get.stdout.split("\n").filter((l) => /^\s+attempt\s+\d/.test(l)).length > 1);

  // nonIdempotent "retry" is the explicit opt-in: retried, each retry warns.
  const anyway = JSON.parse(cli(["classify", file, "--method", "POST", "--non-idempotent", "retry", "--seed", "1", "--json"]).stdout);
  assert.ok(anyway.schedule.length > 1);
  assert.ok(anyway.schedule.slice(0, -1).every((d) => d.retry && /Warning: POST is not idempotent/.test(d.reason)));

  // A stop by the non-idempotent rule is red like every other stop, its tag too.
  const coloured = cli(["classify", file, "--method", "POST", "--policy"], { env: { FORCE_COLOR: "1" } }).stdout;
  assert.match(coloured, /attempt  1  \x1b\[31mstop\x1b\[39m  \x1b\[31mnon-idempotent:\x1b\[39m/);
  assert.equal(coloured.replace(/\x1b\[\d+m/g, ""), post.stdout);
});

test("retry safety: a response that shows the request was not processed is retried for a POST", () => {
  // 425 Too Early: refused before processing, so even a POST is sent again.
  const early = JSON.parse(cli(["classify", capture("proxy-425-too-early.http"), "--method", "POST", "--seed", "1", "--json"]).stdout);
  assert.equal(early.classification.category, "too_early");
  assert.equal(early.classification.processed, "no");
  assert.ok(early.schedule.length > 1);
  assert.ok(early.schedule.slice(0, -1).every((d) => d.retry && d.reason.startsWith("backoff: HTTP 425 (too_early)")));
  assert.deepEqual(early.schedule, new be.RetryPolicy({ seed: 1 }).schedule(early.classification, { attempts: 100, method: "POST" }));

  // Veeam's RetryableLogical: an operation is already running, this one was not started.
  const busy = JSON.parse(cli(["classify", capture("veeam-520-retryablelogical.http"), "--method", "POST", "--seed", "7", "--json"]).stdout);
  assert.ok(busy.schedule.slice(0, -1).every((d) => d.retry && d.reason.startsWith("busy-schedule")));
  assert.ok(!busy.schedule.some((d) => /^(non-idempotent|busy-after-ambiguous)/.test(d.reason)));

  // A vendor preset that documents retrying a 5xx applies to a POST too (Acronis).
  const acronis = JSON.parse(cli(["classify", "--vendor", "acronis", "--method", "POST", "--seed", "1", "--json"], { input: "HTTP/1.1 502 Bad Gateway\n\n" }).stdout);
  assert.equal(acronis.classification.processed, "maybe");
  assert.deepEqual(acronis.schedule.map((d) => d.reason.split(":")[0]), ["5xx-backoff", "5xx-backoff", "max-attempts"]);
  assert.match(acronis.schedule[0].reason, /Acronis preset/);
});

test("501 and 505 are not retried, whatever the method", () => {
  const r = cli(["classify", capture("proxy-501-not-implemented.http"), "--method", "GET", "--policy"]);
  assert.equal(r.status, 12, r.stderr);
  assert.equal(field(r.stdout, "retryable"), "no");
  assert.match(r.stdout, /^  attempt  1  stop  not-retryable: HTTP 501 is unsupported/m);
  const v505 = cli(["classify", "--json"], { input: "HTTP/1.1 505 HTTP Version Not Supported\n\n" });
  assert.equal(v505.status, 12, v505.stderr);
  assert.equal(JSON.parse(v505.stdout).retryable, false);
});

test("--method must be an HTTP method token; --idempotent takes no value", () => {
  const file = capture("proxy-502-html.http");
  assertOneLineError(cli(["classify", file, "--method", ""]), 1, /--method needs an HTTP method/);
  assertOneLineError(cli(["classify", file, "--method", "POST /x"]), 1, /--method needs an HTTP method/);
  assertOneLineError(cli(["classify", file, "--idempotent=yes"]), 1, /--idempotent/);
});

test("--lang (or LC_ALL, LC_MESSAGES, LANG) gives the schedule's reasons in that language", async () => {
  const file = capture("veeam-520-retryablelogical.http");
  const args = ["classify", file, "--policy", "--seed", "7", "--json"];
  const classification = be.classify(readCapture("veeam-520-retryablelogical.http"));
  const english = new be.RetryPolicy({ seed: 7 }).schedule(classification, { attempts: 100 });
  await import("backup-errors/locales/de");
  await import("backup-errors/locales/fr");
  const inLanguage = (tag) => {
    be.setLocale(tag);
    try {
      return new be.RetryPolicy({ seed: 7 }).schedule(classification, { attempts: 100 });
    } finally {
      be.setLocale("en");
    }
  };
  const german = inLanguage("de");
  assert.notDeepEqual(german.map((d) => d.reason), english.map((d) => d.reason));
  assert.deepEqual(JSON.parse(cli([...args, "--lang", "de"]).stdout).schedule, german);
  assert.deepEqual(JSON.parse(cli(args, { env: { LANG: "de_DE.UTF-8" } }).stdout).schedule, german);
  assert.deepEqual(JSON.parse(cli(args, { env: { LANG: "de_DE.UTF-8", LC_ALL: "fr_FR.UTF-8" } }).stdout).schedule, inLanguage("fr"));
  // A language without a pack from the environment is English; asked for by name, a usage error.
  assert.deepEqual(JSON.parse(cli(args, { env: { LANG: "es_ES.UTF-8" } }).stdout).schedule, english);
  assert.deepEqual(JSON.parse(cli([...args, "--lang", "de"], { env: {} }).stdout).schedule[0].rule, german[0].rule);
  const bad = cli([...args, "--lang", "es"]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /--lang must be en or one of de, fr, ja, zh-CN, got 'es'/);
  // The text view shows them too.
  const text = cli(["classify", file, "--policy", "--seed", "7", "--lang", "de"], { env: { NO_COLOR: "1" } }).stdout;
  assert.ok(text.includes(german[0].reason.slice(german[0].rule.length + 2, german[0].rule.length + 40)), text);
});
