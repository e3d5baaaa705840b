// backup-errors/redis in one process: argument checks, each supported client (ioredis 6 and 5,
// node-redis 6 and 4) against a redis-server this file starts and stops by its pid, the
// scripts (EVALSHA, EVAL on NOSCRIPT), what a call does when Redis is down, slow or wrong,
// the namespace's wait against a call's bounds (ERR_SERVER_WAIT, server-wait-too-long), and
// fetchWithRetry and retry(). Two coordinators on two clients stand for two processes here;
// tests/package/fleet.test.mjs runs real ones. No assertion bounds how long anything took.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { fetchWithRetry, retry, RetryBudget, RedisCoordinator as fromMain } from "backup-errors";
import { RedisCoordinator } from "backup-errors/redis";
import { attach } from "backup-errors/axios";
import { kyRetry } from "backup-errors/ky";
import { gotRetry } from "backup-errors/got";
import { CLIENTS, freePort, startHttp, useRedis } from "./fleet/support.mjs";

const servers = useRedis(); // the file's redis-server, and `admin`, the test's own view of it

const fast = { baseDelayMs: 10, jitter: "none" };
const waitKey = (ns) => `backup-errors:${ns}:wait`;
const budgetKey = (ns) => `backup-errors:${ns}:budget`;
const sha1 = (text) => createHash("sha1").update(text).digest("hex");

/** A connected client of package `kind`, closed when the test ends. */
async function client(t, kind = "ioredis", url = servers.redis.url, options) {
  const c = await CLIENTS[kind](url, options);
  t.after(() => c.close());
  return c.client;
}

async function server(t, handler) {
  const s = await startHttp(handler);
  t.after(() => s.close());
  return s;
}

test("the subpath entry is the main entry's class, also for require()", () => {
  assert.equal(RedisCoordinator, fromMain);
  const require = createRequire(import.meta.url);
  const cjs = require("backup-errors");
  assert.equal(require("backup-errors/redis").RedisCoordinator, cjs.RedisCoordinator);
});

test("a wrong client, bad options and unknown keys throw with stable codes", () => {
  const ok = { evalsha() {}, eval() {} };
  const bad = (client, options, code) => assert.throws(() => new RedisCoordinator(client, options), { name: "BackupErrorsError", code }, JSON.stringify(options));
  for (const wrong of [undefined, null, {}, "redis://localhost", { evalsha() {} }, { eval() {} }, { evalSha: 1, eval() {} }]) {
    bad(wrong, { namespace: "n" }, "ERR_INVALID_ARGUMENT");
  }
  bad(ok, 5, "ERR_INVALID_ARGUMENT");
  bad(ok, "veeam-prod", "ERR_INVALID_ARGUMENT");
  for (const options of [
    undefined,
    {},
    { namespace: "" },
    { namespace: "veeam prod" },
    { namespace: "x".repeat(201) },
    { namespace: 42 },
    { namespace: "n", timeout: 100 },
    { namespace: "n", timeoutMs: 0 },
    { namespace: "n", timeoutMs: 60_001 },
    { namespace: "n", timeoutMs: "250" },
    { namespace: "n", budgetTtlMs: 10 },
    { namespace: "n", keyPrefix: "a b" },
    { namespace: "n", budget: 10 },
    { namespace: "n", budget: { capacity: 0 } },
    { namespace: "n", budget: { retryCost: 11, capacity: 10 } },
    { namespace: "n", budget: { maxTokens: 5 } },
    { namespace: "n", onCoordinatorError: "console.error" },
    { namespace: "n", breaker: 5 },
    { namespace: "n", breaker: { failureThreshold: 0 } },
    { namespace: "n", breaker: { openMS: 1000 } },
    { namespace: "n", pacing: "yes" },
    { namespace: "n", pacing: { maxWaitMs: 0 } },
  ]) {
    bad(ok, options, "ERR_INVALID_OPTION");
  }
  assert.throws(() => new RedisCoordinator(ok, { namespace: "n", timeout_ms: 5 }), /did you mean timeoutMs\?/);
  assert.doesNotThrow(() => new RedisCoordinator(ok, { namespace: "n", breaker: { failureThreshold: 3, onStateChange: () => {} }, pacing: true }));
  assert.doesNotThrow(() => new RedisCoordinator(ok, { namespace: "n", breaker: null, pacing: { maxWaitMs: 5000 } }));
  const c = new RedisCoordinator({ evalSha() {}, eval() {} }, { namespace: "tenant:42/veeam", keyPrefix: "be", timeoutMs: 60_000, budgetTtlMs: 1000, onCoordinatorError: null });
  assert.equal(c.namespace, "tenant:42/veeam");
});

test("the executors and plug-ins take only a RedisCoordinator as coordinator, and never with budget", async () => {
  const coordinator = new RedisCoordinator({ evalsha() {}, eval() {} }, { namespace: "n" });
  const invalid = { name: "BackupErrorsError", code: "ERR_INVALID_ARGUMENT" };
  await assert.rejects(fetchWithRetry("http://127.0.0.1:9/", {}, { coordinator: {} }), invalid);
  await assert.rejects(retry(async () => 1, { coordinator: new RetryBudget() }), invalid);
  await assert.rejects(fetchWithRetry("http://127.0.0.1:9/", {}, { coordinator, budget: new RetryBudget() }), /budget must be left out when options\.coordinator is given/);
  assert.throws(() => kyRetry({ coordinator: "redis" }), invalid);
  assert.throws(() => gotRetry({ coordinator, budget: new RetryBudget() }), invalid);
  assert.throws(() => attach({ interceptors: { request: { use() {} }, response: { use() {} } }, request() {} }, { coordinator: { namespace: "n" } }), invalid);
});

for (const kind of Object.keys(CLIENTS)) {
  test(`${kind}: one wait and one budget for two coordinators, the scripts loaded once and run by EVALSHA`, async (t) => {
    const [one, two] = [await client(t, kind), await client(t, kind)];
    const ns = `unit-${kind}`;
    await servers.admin.script("FLUSH");
    await servers.admin.config("RESETSTAT");
    const options = { namespace: ns, timeoutMs: 5000, budget: { capacity: 10, retryCost: 5 } };
    const [a, b] = [new RedisCoordinator(one, options), new RedisCoordinator(two, options)];
    let sent429At = null;
    const s = await server(t, (req, res, arrival) => {
      if (req.url === "/down") return res.writeHead(503).end();
      if (sent429At === null) {
        sent429At = performance.now();
        return res.writeHead(429, { "retry-after": "1" }).end();
      }
      res.end("ok");
    });

    // A's 429 is recorded for the namespace even though A's call stops at once.
    assert.equal((await fetchWithRetry(s.url, {}, { coordinator: a, maxAttempts: 1 })).status, 429);
    assert.ok((await servers.admin.pttl(waitKey(ns))) > 0, "the wait key lives as long as the wait");
    assert.equal((await fetchWithRetry(s.url, {}, { coordinator: b })).status, 200);
    assert.ok(s.arrivals[1].at >= sent429At + 1000, "B's new call waited for A's server wait");

    // 10 tokens at 5 a retry: A retries twice, then neither may.
    const stops = [];
    const onGiveUp = ({ decision }) => stops.push(decision.reason);
    assert.equal((await fetchWithRetry(`${s.url}down`, {}, { coordinator: a, ...fast, onGiveUp })).status, 503);
    assert.equal((await fetchWithRetry(`${s.url}down`, {}, { coordinator: b, ...fast, onGiveUp })).status, 503);
    assert.equal(s.arrivals.length, 2 + 3 + 1);
    assert.ok(stops.every((r) => r.startsWith("budget: ")), JSON.stringify(stops));
    assert.equal(await servers.admin.get(budgetKey(ns)), "0");

    const stats = await servers.admin.info("commandstats");
    const calls = (cmd) => Number(new RegExp(`cmdstat_${cmd}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
    assert.equal(calls("eval"), 3, "each of the three scripts was sent in full once, after NOSCRIPT");
    assert.ok(calls("evalsha") >= 12, stats);
  });
}

test("a fake client sees EVALSHA with the script's SHA-1, then EVAL with the script when Redis answers NOSCRIPT", async (t) => {
  const seen = [];
  const fake = {
    async evalsha(sha, keys, key, ...args) {
      seen.push({ sha, keys, key, args });
      throw new Error("NOSCRIPT No matching script. Please use EVAL.");
    },
    async eval(source, keys, key, ...args) {
      seen.push({ source, keys, key, args });
      return 0;
    },
  };
  const s = await server(t, (req, res) => res.end("ok"));
  const coordinator = new RedisCoordinator(fake, { namespace: "fake", keyPrefix: "app" });
  assert.equal((await fetchWithRetry(s.url, {}, { coordinator })).status, 200);
  const [sha, full] = seen;
  assert.equal(sha.sha, sha1(full.source));
  assert.deepEqual([sha.keys, sha.key, sha.args, full.key, full.args], [1, "app:fake:wait", ["0"], "app:fake:wait", ["0"]]);
});

test("Redis unreachable: calls go on with the local numbers; the hook hears of it once, and what it throws is ignored", async (t) => {
  const port = await freePort();
  for (const [kind, extra] of [["ioredis", {}], ["redis", { reachable: false }]]) {
    const reports = [];
    const coordinator = new RedisCoordinator(await client(t, kind, `redis://127.0.0.1:${port}`, extra), {
      namespace: `down-${kind}`,
      timeoutMs: 30,
      onCoordinatorError(error, info) {
        reports.push({ error, info });
        throw new Error("a hook with a bug");
      },
    });
    const seen = new Set();
    const s = await server(t, (req, res) => {
      if (seen.has(req.url)) return res.end("ok");
      seen.add(req.url);
      res.writeHead(503).end();
    });
    const results = await Promise.all([1, 2, 3, 4, 5].map((k) => fetchWithRetry(`${s.url}${k}`, {}, { coordinator, ...fast })));
    assert.deepEqual(results.map((r) => r.status), [200, 200, 200, 200, 200], kind);
    assert.equal(s.arrivals.length, 10, "each call retried its 503 with the local budget");
    assert.equal(reports.length, 1, `${kind}: ${reports.map((r) => r.error.message)}`);
    assert.deepEqual(reports[0].info, { namespace: `down-${kind}`, operation: "wait" });
  }
});

test("a node-redis client that was never connected, one that never answers and one that answers nonsense are outages too", async (t) => {
  const { createClient } = await import("redis");
  const never = () => new Promise(() => {});
  const cases = [
    ["never connected", createClient({ url: servers.redis.url }), /closed/i],
    ["never answers", { evalsha: never, eval: never }, /did not answer within timeoutMs \(20 ms\)/],
    ["nonsense", { evalsha: async () => "banana", eval: async () => "banana" }, /answered banana where a count was expected/],
  ];
  const s = await server(t, (req, res) => res.end("ok"));
  for (const [name, redisClient, message] of cases) {
    const reports = [];
    const coordinator = new RedisCoordinator(redisClient, { namespace: "odd", timeoutMs: 20, onCoordinatorError: (error) => reports.push(error) });
    const results = await Promise.all([1, 2, 3].map(() => fetchWithRetry(s.url, {}, { coordinator })));
    assert.deepEqual(results.map((r) => r.status), [200, 200, 200], name);
    assert.equal(reports.length, 1, name);
    assert.match(reports[0].message, message, name);
  }
});

test("a new call under a namespace wait it may not wait is not sent: ERR_SERVER_WAIT with the wait", async (t) => {
  const s = await server(t, (req, res) => res.end("ok"));
  const coordinator = new RedisCoordinator(await client(t), { namespace: "long-wait" });
  await servers.admin.set(waitKey("long-wait"), "1", "PX", 90_000);
  const error = await fetchWithRetry(s.url, {}, { coordinator }).then(
    () => assert.fail("resolved"),
    (e) => e,
  );
  assert.equal(error.name, "BackupErrorsError");
  assert.equal(error.code, "ERR_SERVER_WAIT");
  assert.equal(error.namespace, "long-wait");
  assert.ok(error.retryAfterMs > 60_000 && error.retryAfterMs <= 90_000, String(error.retryAfterMs));
  assert.match(error.message, /^attempt 1 was not sent: .* more than maxRetryAfterMs \(60000 ms\)/);
  // Within maxRetryAfterMs but past the deadline: likewise.
  await assert.rejects(retry(async () => "sent", { coordinator, maxRetryAfterMs: 120_000, deadlineMs: 30_000 }), { code: "ERR_SERVER_WAIT", message: /deadline \(deadlineMs\)/ });
  // A wait the call may wait is waited; an abort ends it at once, and nothing is sent.
  const controller = new AbortController();
  const waiting = fetchWithRetry(s.url, {}, { coordinator, maxRetryAfterMs: 120_000, signal: controller.signal });
  setTimeout(() => controller.abort(), 200);
  await assert.rejects(waiting, { name: "AbortError" });
  assert.equal(s.arrivals.length, 0);
  await servers.admin.del(waitKey("long-wait"));
  assert.equal(await retry(async () => "sent", { coordinator }), "sent");
});

test("a namespace wait that appears while a call is judged is the decision's server wait; beyond maxRetryAfterMs the call ends as it would on its own", async (t) => {
  let wait = 0;
  const s = await server(t, async (req, res) => {
    await servers.admin.set(waitKey("judged"), "1", "PX", wait); // another process got a server wait meanwhile
    res.writeHead(503).end(); // this response asks for none
  });
  const coordinator = new RedisCoordinator(await client(t), { namespace: "judged" });
  const long = { maxRetryAfterMs: 3_600_000, deadlineMs: 3_600_000, ...fast };

  wait = 600_000;
  const controller = new AbortController();
  let retried;
  const onRetry = (info) => {
    retried = info.decision;
    controller.abort();
  };
  await assert.rejects(fetchWithRetry(s.url, {}, { coordinator, ...long, signal: controller.signal, onRetry }), { name: "AbortError" });
  assert.match(retried.reason, /^server-wait: HTTP 503; the server asked to wait \d+ ms/);
  assert.ok(retried.delayMs > 300_000, String(retried.delayMs));

  await servers.admin.del(waitKey("judged"));
  wait = 90_000;
  let stop;
  const response = await fetchWithRetry(s.url, {}, { coordinator, ...fast, onGiveUp: ({ decision }) => (stop = decision) });
  assert.equal(response.status, 503, "the call ends with its last response, as a server-wait-too-long does");
  assert.match(stop.reason, /^server-wait-too-long:/);
  assert.ok(stop.delayMs > 60_000, String(stop.delayMs));
  assert.equal(s.arrivals.length, 2);
});

test("retry(): a success gives its retry's tokens back to the namespace, a failure does not", async (t) => {
  const redisClient = await client(t, "redis");
  const coordinator = new RedisCoordinator(redisClient, { namespace: "refund", budget: { capacity: 10, retryCost: 5 } });
  const unavailable = () => Object.assign(new Error("Request failed with status code 503"), { response: { status: 503, headers: {}, data: "" } });
  const failsOnce = () => {
    let n = 0;
    return async () => {
      if (++n === 1) throw unavailable();
      return "done";
    };
  };
  // Commands on one connection run in order: after this, a refund sent before it has run.
  const settled = () => redisClient.ping();
  const tokens = async () => {
    await settled();
    return servers.admin.get(budgetKey("refund"));
  };
  assert.equal(await retry(failsOnce(), { coordinator, ...fast }), "done"); // also loads the three scripts
  await assert.rejects(retry(async () => Promise.reject(unavailable()), { coordinator, ...fast, maxAttempts: 2 }), /503/);
  assert.equal(await tokens(), "5", "the failed call's retry took 5, and they stay spent");
  assert.ok((await servers.admin.pttl(budgetKey("refund"))) > 0, "the budget key expires");
  assert.equal(await retry(failsOnce(), { coordinator, ...fast }), "done");
  assert.equal(await tokens(), "5", "took 5, gave 5 back");
  assert.equal(await retry(async () => "at once", { coordinator }), "at once");
  assert.equal(await tokens(), "6", "a first-try success gives successRefund (1)");
});

test("an abort does not wait for a Redis operation in progress", async (t) => {
  const s = await server(t, (req, res) => res.end("ok"));
  const never = () => new Promise(() => {});
  const reports = [];
  const coordinator = new RedisCoordinator({ evalsha: never, eval: never }, { namespace: "stuck", timeoutMs: 5000, onCoordinatorError: (e) => reports.push(e) });
  const controller = new AbortController();
  const call = fetchWithRetry(s.url, {}, { coordinator, signal: controller.signal });
  setTimeout(() => controller.abort(), 50);
  await assert.rejects(call, { name: "AbortError" });
  assert.deepEqual(reports, [], "the call did not sit out the time limit of the Redis operation");
  assert.equal(s.arrivals.length, 0);
});
