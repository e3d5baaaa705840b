// Reliability round 3: what a hostile user found against the newer surfaces (registerVendor,
// the plug-ins, the Redis coordinator, the CLI). One test per defect, numbered as they were
// reported. Where the module's state is the subject (1, 5, 6), the attack runs in a fresh
// Node process (support/hostile.mjs) and the normal calls after it must still be right;
// the others drive the real clients, a loopback HTTP server and a redis-server of the test's
// own. No test bounds how long anything took: counts, order and states only.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import axios from "axios";
import got from "got";
import ky from "ky";
import Redis from "ioredis";
import { classify, fetchWithRetry } from "backup-errors";
import { attach } from "backup-errors/axios";
import { gotRetry } from "backup-errors/got";
import { kyRetry } from "backup-errors/ky";
import { RedisCoordinator } from "backup-errors/redis";
import { ENTRIES, check, finding, showOutcome } from "./support/hostile.mjs";
import { cutOffFirstBody, serve } from "./support/loopback.mjs";
import { useRedis } from "./fleet/support.mjs";

const FAST = { baseDelayMs: 10, maxDelayMs: 20, seed: 1 };
const tag = (decision) => decision.reason.split(":")[0];

function recorder(extra = {}) {
  const calls = { retry: [], giveUp: [] };
  return { calls, options: { onRetry: (info) => calls.retry.push(info), onGiveUp: (info) => calls.giveUp.push(info), ...extra } };
}

const servers = useRedis();

// ── 1. Large vendor definitions ─────────────────────────────────────────────────────────

finding("1. definitions at the per-field limits: each registers or is refused, and the module stays usable", ["import"], (entry) => {
  check(
    entry,
    String.raw`
    const { registerVendor, catalog, explain } = pkg;
    // 14 definitions of 10,000 rows, 256-byte codes and 4 KB texts: what poisoned the module.
    const summary = "s".repeat(4096);
    const remediation = "r".repeat(4096);
    const definition = (d) => ({
      id: "big" + d,
      detect: { fields: ["big" + d] },
      codes: Array.from({ length: 10000 }, (_, i) => ({ code: ("C" + d + "-" + i).padEnd(256, "x"), category: "server_error", action: "retry", summary, remediation })),
    });
    const outcomes = [];
    for (let d = 0; d < 14; d++) outcomes.push(outcome(() => { registerVendor(definition(d)); return "registered"; }));
    emit("registrations", outcomes);
    // Definitions that fit: three of 1,000 rows (4.35 MB of text each) register; a fourth
    // would pass 16 MiB in all and is refused, like a fifth.
    const fitting = (d) => ({
      id: "big" + d,
      detect: { fields: ["big" + d] },
      codes: Array.from({ length: 1000 }, (_, i) => ({ code: ("C" + d + "-" + i).padEnd(256, "x"), category: "server_error", action: "retry", summary })),
    });
    emit("fitting", [20, 21, 22, 23, 24].map((d) => outcome(() => { registerVendor(fitting(d)); return "registered"; })));
    emit("catalog", outcome(() => catalog().filter((e) => e.vendor === "big20").length));
    emit("explain", outcome(() => explain("big21", "C21-7".padEnd(256, "x")).category));
    emit("after", normalCalls());
    emit("memory", pkg.__testing.memoryBytes());
    // A failure inside the module is ERR_INTERNAL, whatever JS error it raised, and the next call works.
    emit("trap", outcome(() => pkg.__testing.forceTrap()));
    emit("after trap", normalCalls());
    `,
    (p) => {
      const registrations = p.report("registrations");
      if (registrations) {
        registrations.forEach((o, d) => {
          const ok = o.returned === "registered" || (o.threw?.name === "BackupErrorsError" && o.threw.code === "ERR_INVALID_VENDOR_DEFINITION");
          p.expect(ok, "registerVendor(definition " + (d + 1) + " of 14): expected to register or a BackupErrorsError ERR_INVALID_VENDOR_DEFINITION, " + showOutcome(o));
        });
        const refused = registrations.find((o) => o.threw);
        if (refused) p.expect(/at most 16777216 in all/.test(refused.threw.message), "the refusal states the total bound: " + refused.threw.message);
      }
      const fitting = p.report("fitting");
      if (fitting) {
        p.expect(fitting.slice(0, 3).every((o) => o.returned === "registered"), "three definitions of ~4 MB register: " + fitting.map(showOutcome).join("; "));
        p.threwCode(fitting[3], ["ERR_INVALID_VENDOR_DEFINITION"], "the definition that passes 16 MiB in all", /at most 16777216 in all/);
        p.threwCode(fitting[4], ["ERR_INVALID_VENDOR_DEFINITION"], "the one after it", /at most 16777216 in all/);
      }
      p.returned(p.report("catalog"), 1000, "catalog() rows of a registered vendor");
      p.returned(p.report("explain"), "server_error", "explain() of a registered row");
      p.normalCalls();
      const memory = p.report("memory");
      if (memory !== undefined) p.expect(memory <= 512 * 1024 * 1024, "the module's memory after the attack: " + memory + " bytes, expected at most 512 MiB");
      const trap = p.report("trap");
      if (trap) p.expect(trap.threw?.name === "BackupErrorsError" && trap.threw.code === "ERR_INTERNAL", "a trap: expected a BackupErrorsError ERR_INTERNAL, " + showOutcome(trap));
      p.normalCalls("after trap");
    },
  );
});

// ── 2. gotRetry applied twice ───────────────────────────────────────────────────────────

test("2. got: gotRetry applied twice (base.extend(gotRetry(…)) over a base that has one) sends at most maxAttempts requests", async (t) => {
  // Always 503; after 20 requests 200, so that an endless loop ends and is counted.
  const { url, requests } = await serve(t, (req, res, n) => {
    res.writeHead(n > 20 ? 200 : 503);
    res.end(n > 20 ? "ok" : "down");
  });
  const first = recorder({ ...FAST, maxAttempts: 3 });
  const second = recorder({ ...FAST, maxAttempts: 3 });
  const base = got.extend(gotRetry(first.options));
  const twice = base.extend(gotRetry(second.options));
  await assert.rejects(twice(url), (error) => error.response?.statusCode === 503);
  assert.equal(requests.length, 3);
  // The plug-in extended last drives the request; the other leaves it alone.
  assert.equal(second.calls.retry.length, 2);
  assert.equal(tag(second.calls.giveUp[0].decision), "max-attempts");
  assert.equal(first.calls.retry.length + first.calls.giveUp.length, 0);
  // And the base alone still retries by its own options.
  const alone = await serve(t, (req, res) => res.writeHead(503).end());
  await assert.rejects(base(alone.url));
  assert.equal(alone.requests.length, 3);
});

// ── 3. Bodies that can be read once ─────────────────────────────────────────────────────

test("3. a body that can be read only once (generator, iterator, async iterable, stream) is never re-sent: got, ky and fetchWithRetry", async (t) => {
  const { url, requests } = await serve(t, (req, res) => res.writeHead(503).end());
  const bodies = {
    generator: () => (function* () { yield "start "; yield "backup"; })(),
    "async generator": () => (async function* () { yield "start "; yield "backup"; })(),
    "an iterator": () => ["start ", "backup"][Symbol.iterator](),
    "a custom iterable": () => ({ *[Symbol.iterator]() { yield "start "; yield "backup"; } }),
  };
  for (const [name, body] of Object.entries(bodies)) {
    const before = requests.length;
    const { calls, options } = recorder({ ...FAST, maxAttempts: 3 });
    // An Idempotency-Key makes a POST safe to repeat; the body still cannot be repeated.
    const client = got.extend(gotRetry(options));
    await assert.rejects(client.post(url, { body: body(), headers: { "idempotency-key": "k-" + name } }), (error) => error.response?.statusCode === 503, name);
    assert.equal(requests.length - before, 1, `got, ${name}: requests`);
    assert.equal(requests.at(-1).body, "start backup", `got, ${name}: the one request had the whole body`);
    assert.equal(tag(calls.giveUp[0].decision), "stream-body", name);
  }
  // fetch sends async iterables (Node streams too) as a stream: once.
  const before = requests.length;
  const { calls, options } = recorder({ ...FAST, maxAttempts: 3, idempotent: true });
  const response = await fetchWithRetry(url, { method: "POST", body: bodies["async generator"](), duplex: "half" }, options);
  assert.equal(response.status, 503);
  assert.equal(requests.length - before, 1);
  assert.equal(tag(calls.giveUp[0].decision), "stream-body");
  // ky would send a tee'd copy of a stream body again: the same rule stops it.
  const viaKy = recorder({ ...FAST, maxAttempts: 3 });
  const kyStart = requests.length;
  const stream = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("start backup")); c.close(); } });
  await assert.rejects(ky.extend(kyRetry(viaKy.options)).post(url, { body: stream, headers: { "idempotency-key": "k-ky" } }), (error) => error.response?.status === 503);
  assert.equal(requests.length - kyStart, 1, "ky: requests");
  assert.equal(tag(viaKy.calls.giveUp[0].decision), "stream-body");
  // A body built anew for each attempt (a string) is still retried.
  const again = recorder({ ...FAST, maxAttempts: 3 });
  const start = requests.length;
  await assert.rejects(got.extend(gotRetry(again.options)).post(url, { body: "start backup", headers: { "idempotency-key": "k-string" } }));
  assert.equal(requests.length - start, 3);
  assert.deepEqual(requests.slice(start).map((r) => r.body), ["start backup", "start backup", "start backup"]);
});

// ── 4. A slow clock ─────────────────────────────────────────────────────────────────────

test("4. a date-valued wait is measured against the response's Date header, and the fleet records the server's wait", async (t) => {
  // The server's clock is an hour ahead of this process's (as if this clock were an hour slow).
  const HOUR = 3_600_000;
  const serverNow = () => Math.floor((Date.now() + HOUR) / 1000) * 1000;
  const at = (ms) => new Date(ms).toUTCString();
  const local = serverNow();
  const c = classify({ status: 429, headers: { date: at(local), "retry-after": at(local + 30_000) } });
  assert.equal(c.retryAfterMs, 30_000);
  const reset = classify({ status: 429, headers: { Date: at(local), "RateLimit-Reset": String((local + 30_000) / 1000) } });
  assert.equal(reset.retryAfterMs, 30_000);
  // Without a Date header the local clock is all there is: an hour and 30 s.
  const undated = classify({ status: 429, headers: { "retry-after": at(local + 30_000) } }).retryAfterMs;
  assert.ok(undated > HOUR, String(undated));

  // A process that records the wait for its namespace records the server's 3 s.
  const { url, requests } = await serve(t, (req, res) => {
    const now = serverNow();
    res.writeHead(429, { date: at(now), "retry-after": at(now + 3000) }).end();
  });
  const client = new Redis(servers.redis.url);
  t.after(() => client.disconnect());
  const namespace = "slow-clock";
  const coordinator = new RedisCoordinator(client, { namespace });
  const { calls, options } = recorder({ ...FAST, maxAttempts: 1, coordinator });
  const response = await fetchWithRetry(url, {}, options);
  assert.equal(response.status, 429);
  assert.equal(requests.length, 1);
  assert.equal(calls.giveUp[0].classification.retryAfterMs <= 3000, true, String(calls.giveUp[0].classification.retryAfterMs));
  const ttl = await servers.admin.pttl(`backup-errors:${namespace}:wait`);
  assert.ok(ttl > 0 && ttl <= 3000, `the namespace waits ${ttl} ms`);
});

// ── 5. Stale text after a throwing getter ───────────────────────────────────────────────

finding("5. a getter that throws in decide()'s context or plan()'s options leaves nothing remembered", ENTRIES, (entry) => {
  check(
    entry,
    String.raw`
    const huawei = (code) => classify({ status: 500, body: { error_code: code, error_msg: "refused" } });
    const a = huawei("CSBS.8008");
    const b = huawei("CSBS.8009");
    const ctx = { attempt: 1, elapsedMs: 0 };
    const hostile = (key) => Object.defineProperty({ attempt: 1, elapsedMs: 0 }, key, { enumerable: true, get() { throw new HostileError(key); } });
    const expected = new RetryPolicy({ seed: 1 }).decide(b, ctx).reason;
    const policy = new RetryPolicy({ seed: 1 });
    policy.decide(a, ctx);
    emit("throwing context", outcome(() => policy.decide(b, hostile("elapsedMs"))));
    emit("decide b", outcome(() => policy.decide(b, ctx).reason));
    policy.decide(a, ctx);
    emit("throwing plan options", outcome(() => policy.schedule(b, { get attempts() { throw new HostileError("attempts"); } })));
    emit("schedule b", outcome(() => policy.schedule(b, 1).map((d) => d.reason)));
    // An error the module reports after reading the classification: nothing remembered either.
    policy.decide(a, ctx);
    emit("refused context", outcome(() => policy.schedule(b, { attempts: 2, method: 5 })));
    emit("decide b again", outcome(() => policy.decide(b, ctx).reason));
    emit("expected", expected);
    emit("after", normalCalls());
    `,
    (p) => {
      const expected = p.report("expected");
      if (expected !== undefined) p.expect(expected.includes("CSBS.8009"), "the reason names the code: " + expected);
      const hostileThrew = (o, what) => o && p.expect(o.threw?.name === "HostileError", what + ": expected the caller's exception, " + showOutcome(o));
      hostileThrew(p.report("throwing context"), "decide() with a throwing context getter");
      hostileThrew(p.report("throwing plan options"), "schedule() with a throwing options getter");
      p.returned(p.report("decide b"), expected, "decide(CSBS.8009) after the throwing getter");
      p.returned(p.report("schedule b"), [expected], "schedule(CSBS.8009, 1) after the throwing getter");
      p.threwCode(p.report("refused context"), ["ERR_INVALID_ARGUMENT"], "schedule() with a method that is not a string");
      p.returned(p.report("decide b again"), expected, "decide(CSBS.8009) after the module refused a context");
      p.normalCalls();
    },
  );
});

// ── 6. Header values are bounded ────────────────────────────────────────────────────────

finding("6. header names and values are read on a bounded prefix: huge ones neither grow memory nor break the module", ENTRIES, (entry) => {
  check(
    entry,
    String.raw`
    const MiB = "v".repeat(1024 * 1024);
    const start = pkg.__testing.memoryBytes();
    const many = { "Retry-After": "30", "X-Request-Id": "r-1" };
    for (let i = 0; i < 1024; i++) many["x-big-" + i] = MiB;
    emit("1,024 values of 1 MiB", outcome(() => { const c = classify({ status: 503, headers: many }); return [c.retryAfterMs, c.requestId]; }));
    // ~2.5 GiB of values, as pairs and as a Map, and a name of 1 MiB.
    const pairs = [["retry-after", "30"]];
    for (let i = 0; i < 2600; i++) pairs.push(["x-big-" + i, MiB]);
    emit("2,600 pairs", outcome(() => classify({ status: 503, headers: pairs }).retryAfterMs));
    emit("a Map", outcome(() => classify({ status: 503, headers: new Map(pairs) }).retryAfterMs));
    emit("a long name", outcome(() => classify({ status: 503, headers: { ["x-" + MiB]: "1", "Retry-After": "30" } }).retryAfterMs));
    // A long value is read on its prefix: a request id keeps its first characters.
    emit("long request id", outcome(() => classify({ status: 503, headers: { "x-request-id": "id-" + MiB } }).requestId?.startsWith("id-vvv")));
    emit("growth", pkg.__testing.memoryBytes() - start);
    emit("after", normalCalls());
    `,
    (p) => {
      p.returned(p.report("1,024 values of 1 MiB"), [30_000, "r-1"], "classify() with 1,024 header values of 1 MiB: [retryAfterMs, requestId]");
      p.returned(p.report("2,600 pairs"), 30_000, "classify() with 2,600 pairs of 1 MiB values");
      p.returned(p.report("a Map"), 30_000, "classify() with a Map of them");
      p.returned(p.report("a long name"), 30_000, "classify() with a 1 MiB header name");
      p.returned(p.report("long request id"), true, "a 1 MiB request id is read on its prefix");
      const growth = p.report("growth");
      if (growth !== undefined) p.expect(growth <= 16 * 1024 * 1024, "the module's memory grew by " + growth + " bytes; expected at most 16 MiB");
      p.normalCalls();
    },
  );
});

// ── 7. A very long namespace wait ───────────────────────────────────────────────────────

test("7. a namespace wait longer than 2^53 ms (another writer's PEXPIREAT) is refused like any long wait, and nothing is sent", async (t) => {
  const { url, requests } = await serve(t, (req, res) => res.end("ok"));
  const client = new Redis(servers.redis.url);
  t.after(() => client.disconnect());
  const reports = [];
  const coordinator = new RedisCoordinator(client, { namespace: "forever", onCoordinatorError: (e) => reports.push(e) });
  const key = "backup-errors:forever:wait";
  await servers.admin.set(key, "1");
  await servers.admin.pexpireat(key, String(2n ** 60n));
  assert.ok(Number(await servers.admin.pttl(key)) > Number.MAX_SAFE_INTEGER);
  const error = await fetchWithRetry(url, {}, { coordinator }).then(() => assert.fail("resolved"), (e) => e);
  assert.equal(error.code, "ERR_SERVER_WAIT");
  assert.equal(error.retryAfterMs, 2 ** 52);
  assert.equal(requests.length, 0);
  assert.deepEqual(reports, [], "not taken for a failure of Redis");
  // A 10-year wait, for comparison: refused the same way.
  await servers.admin.set(key, "1", "PX", 10 * 365 * 86_400_000);
  await assert.rejects(fetchWithRetry(url, {}, { coordinator }), { code: "ERR_SERVER_WAIT" });
  assert.equal(requests.length, 0);
});

// ── 8. Namespaces with lone surrogates ──────────────────────────────────────────────────

test("8. a namespace or key prefix with a lone surrogate is refused (two of them would share one key)", () => {
  const client = { evalsha() {}, eval() {} };
  for (const options of [{ namespace: "tenant\uD800" }, { namespace: "tenant\uDFFF" }, { namespace: "n", keyPrefix: "be\uD83D" }]) {
    assert.throws(() => new RedisCoordinator(client, options), { name: "BackupErrorsError", code: "ERR_INVALID_OPTION", message: /lone surrogates/ }, JSON.stringify(options));
  }
  // Well-formed text outside ASCII, surrogate pairs included, is a namespace like any other.
  assert.equal(new RedisCoordinator(client, { namespace: "mandant-ü-\uD83D\uDE00" }).namespace, "mandant-ü-\uD83D\uDE00");
});

// ── 9. A connection lost while reading the response ─────────────────────────────────────

test("9. axios and got: a connection reset in the middle of a body is retried for a GET and never for a POST", async (t) => {
  const clients = {
    axios: (url, method, options) => {
      const instance = axios.create();
      attach(instance, options);
      return instance.request({ url, method }).then((r) => r.data);
    },
    got: (url, method, options) => got.extend(gotRetry(options))(url, { method }).then((r) => r.body),
  };
  for (const [name, send] of Object.entries(clients)) {
    const get = await serve(t, cutOffFirstBody);
    const { calls, options } = recorder(FAST);
    assert.equal(await send(get.url, "GET", options), "ok", name);
    assert.equal(get.requests.length, 2, `${name}: GET requests`);
    assert.equal(calls.retry[0].classification.category, "network", name);
    // The POST reached the server (it answered): it is not sent again.
    const post = await serve(t, cutOffFirstBody);
    const posted = recorder(FAST);
    await assert.rejects(send(post.url, "POST", posted.options));
    assert.equal(post.requests.length, 1, `${name}: POST requests`);
    assert.equal(posted.calls.giveUp[0].decision.retry, false, name);
    assert.equal(posted.calls.giveUp[0].classification.category, "network", name);
  }
});

// ── 10. The CLI and a byte order mark ───────────────────────────────────────────────────

test("10. CLI: a --vendors file that starts with a UTF-8 byte order mark is read", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "backup-errors-bom-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const definition = { id: "rubrik", detect: { fields: ["errorType"] }, code: "/errorType", codes: [{ code: "ObjectNotFound", status: 404, category: "not_found", action: "fix_request", summary: "The object does not exist." }] };
  const file = join(dir, "defs.json");
  writeFileSync(file, "\uFEFF" + JSON.stringify([definition]), "utf8");
  const bin = join(process.cwd(), "node_modules", ".bin", "backup-errors");
  const r = spawnSync(bin, ["explain", "rubrik", "ObjectNotFound", "--vendors", file, "--json"], { encoding: "utf8", timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).summary, "The object does not exist.");
  // A BOM anywhere else is still not JSON.
  writeFileSync(file, " \uFEFF" + JSON.stringify([definition]), "utf8");
  const bad = spawnSync(bin, ["explain", "rubrik", "ObjectNotFound", "--vendors", file], { encoding: "utf8", timeout: 30_000 });
  assert.equal(bad.status, 2, bad.stderr);
  assert.match(bad.stderr, /is not JSON/);
});
