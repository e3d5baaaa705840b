// backup-errors/redis across real processes: each worker (fleet/worker.mjs) is a Node process
// with its own Redis client — ioredis 6 and 5, node-redis 6 and 4 — and RedisCoordinator, in
// one namespace, calling a loopback HTTP server; each test starts its own redis-server and
// stops it by its pid. The assertions are counts and orderings (a request's arrival against
// the moment a 429 was sent), never how long something took.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import Redis from "ioredis";
import { freePort, startHttp, startRedis } from "./fleet/support.mjs";

const workerFile = fileURLToPath(new URL("./fleet/worker.mjs", import.meta.url));

/** A worker process: `call(id, url, options)` resolves with its result message; `messages` holds all it sent. */
function startWorker(config) {
  const child = fork(workerFile, [], { execArgv: [], env: { ...process.env, FLEET_WORKER: JSON.stringify(config) }, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const messages = [];
  const waiters = new Set();
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.on("message", (m) => {
    messages.push(m);
    for (const w of waiters) {
      if (w.match(m)) {
        waiters.delete(w);
        w.resolve(m);
      }
    }
  });
  child.once("exit", (code, signal) => waiters.forEach((w) => w.reject(new Error(`worker ${config.name} exited (${code ?? signal}) before it sent what the test waits for`))));
  const waitFor = (match) => {
    const seen = messages.find(match);
    return seen ? Promise.resolve(seen) : new Promise((resolve, reject) => waiters.add({ match, resolve, reject }));
  };
  return {
    name: config.name,
    messages,
    waitFor,
    ready: waitFor((m) => m.type === "ready"),
    call(id, url, options) {
      child.send({ type: "call", id, url, options });
      return waitFor((m) => m.type === "result" && m.id === id);
    },
    load(id, url, ms, options) {
      child.send({ type: "load", id, url, ms, options });
      return waitFor((m) => m.type === "result" && m.id === id);
    },
    reports: () => messages.filter((m) => m.type === "coordinator-error"),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        if (child.connected) child.send({ type: "exit" });
        else child.kill("SIGKILL");
      }
      await exited;
    },
  };
}

/** Starts workers `[name, client]` in `namespace`; they are stopped when the test ends, also on failure. */
async function fleet(t, members, config) {
  const workers = members.map(([name, client]) => startWorker({ name, client, ...config }));
  t.after(() => Promise.all(workers.map((w) => w.stop())));
  await Promise.all(workers.map((w) => w.ready));
  return workers;
}

const fast = { baseDelayMs: 10, jitter: "none" };

test("one server wait: after one process gets 429 Retry-After: 2, no request of any process arrives inside those 2 s", { timeout: 120_000 }, async (t) => {
  const redis = await startRedis();
  t.after(() => redis.stop());
  let held = null;
  let holding;
  const bHeld = new Promise((resolve) => (holding = resolve));
  let sent429At = null;
  const server = await startHttp((req, res, arrival) => {
    if (arrival.call === "b1" && held === null) {
      // B's first request is answered only once A's wait is known to the fleet.
      held = res;
      return holding();
    }
    if (arrival.worker === "A" && sent429At === null) {
      sent429At = performance.now();
      return res.writeHead(429, { "retry-after": "2" }).end();
    }
    res.end("ok");
  });
  t.after(() => server.close());
  const [A, B, C] = await fleet(t, [["A", "ioredis"], ["B", "redis"], ["C", "ioredis-5"]], { redisUrl: redis.url, namespace: "fleet-wait", coordinator: { timeoutMs: 5000 } });

  const b = B.call("b1", server.url, fast); // B's call is in progress when the 429 comes
  await bHeld;
  const a = A.call("a1", server.url, fast);
  const aRetry = await A.waitFor((m) => m.type === "retry" && m.id === "a1"); // A has recorded the wait
  held.writeHead(503).end(); // B's attempt fails without a wait of its own
  const c = C.call("c1", server.url, fast); // C starts a new call

  const results = await Promise.all([a, b, c]);
  for (const r of results) assert.deepEqual([r.status, r.body], [200, "ok"], JSON.stringify(r));
  assert.equal(aRetry.delayMs, 2000);
  assert.match(aRetry.reason, /^server-wait:/);
  const after = server.arrivals.filter((x) => x.at > sent429At);
  const inside = after.filter((x) => x.at < sent429At + 2000);
  assert.deepEqual(inside, [], `requests arrived inside the server's wait: ${JSON.stringify(inside)}`);
  assert.deepEqual(after.map((x) => `${x.worker}:${x.call}`).sort(), ["A:a1", "B:b1", "C:c1"], "A's and B's retries and C's first request, all after the wait");
  assert.equal(B.messages.filter((m) => m.type === "retry").length, 1, "B retried its 503 once");
  for (const w of [A, B, C]) assert.deepEqual(w.reports(), [], `${w.name}: Redis answered every operation`);
});

test("one budget: 10 tokens at 5 a retry, three processes against an always-503 server make 2 retries in all", { timeout: 120_000 }, async (t) => {
  const redis = await startRedis();
  t.after(() => redis.stop());
  const server = await startHttp((req, res) => res.writeHead(503).end());
  t.after(() => server.close());
  const workers = await fleet(t, [["A", "ioredis"], ["B", "redis-4"], ["C", "redis"]], {
    redisUrl: redis.url,
    namespace: "fleet-budget",
    coordinator: { timeoutMs: 5000, budget: { capacity: 10, retryCost: 5 } },
  });

  const results = await Promise.all(workers.map((w) => w.call(`${w.name}1`, server.url, { ...fast, maxAttempts: 4 })));
  for (const r of results) assert.equal(r.status, 503, JSON.stringify(r));
  // Alone, each process's budget of 10 would allow 2 retries: 9 requests. Shared: 3 + 2.
  assert.equal(server.arrivals.length, 5, JSON.stringify(server.arrivals));
  for (const w of workers) {
    const stops = w.messages.filter((m) => m.type === "give-up");
    assert.equal(stops.length, 1, w.name);
    assert.match(stops[0].reason, /^budget: /, `${w.name} stopped because the shared budget was spent`);
    assert.deepEqual(w.reports(), [], `${w.name}: Redis answered every operation`);
  }
  const client = new Redis(redis.url);
  t.after(() => client.disconnect());
  assert.equal(await client.get("backup-errors:fleet-budget:budget"), "0");
});

/**
 * A server whose every call (x-call) fails once with a 503 asking to wait 1 s, then succeeds:
 * each call's retry waits, so a run of calls lasts long enough for the coordinator to ask an
 * unavailable Redis again (once a second), which must not report the same outage again.
 */
function failsOnceThenOk() {
  const seen = new Set();
  return startHttp((req, res, arrival) => {
    if (seen.has(arrival.call)) return res.end("ok");
    seen.add(arrival.call);
    res.writeHead(503, { "retry-after": "1" }).end();
  });
}

/** Each worker makes `n` calls one after the other (ids `<name>-<prefix><k>`) with `options`; their results. */
async function callsInTurn(workers, url, prefix, n, options = fast) {
  return Promise.all(
    workers.map(async (w) => {
      const out = [];
      for (let k = 1; k <= n; k++) out.push(await w.call(`${w.name}-${prefix}${k}`, url, options));
      return out;
    }),
  );
}

test("Redis unreachable: calls succeed with local numbers, and each process reports it once", { timeout: 120_000 }, async (t) => {
  const closed = await freePort(); // nothing listens there
  const server = await failsOnceThenOk();
  t.after(() => server.close());
  const workers = await fleet(t, [["A", "ioredis"], ["B", "redis"]], {
    redisUrl: `redis://127.0.0.1:${closed}`,
    reachable: false,
    namespace: "fleet-down",
    coordinator: { timeoutMs: 50 },
  });

  const results = (await callsInTurn(workers, server.url, "c", 3)).flat();
  assert.equal(results.length, 6);
  for (const r of results) assert.deepEqual([r.status, r.body], [200, "ok"], JSON.stringify(r));
  assert.equal(server.arrivals.length, 12, "every call: a 503, then its retry");
  for (const w of workers) {
    const reports = w.reports();
    assert.equal(reports.length, 1, `${w.name}: ${JSON.stringify(reports)}`);
    assert.equal(reports[0].operation, "wait", "the first operation, before the first attempt");
  }
});

test("Redis killed in the middle of a run: calls go on with local numbers, and each process reports it once", { timeout: 120_000 }, async (t) => {
  const redis = await startRedis();
  t.after(() => redis.stop());
  const server = await failsOnceThenOk();
  t.after(() => server.close());
  const workers = await fleet(t, [["A", "ioredis"], ["B", "redis"], ["C", "redis-5"]], { redisUrl: redis.url, namespace: "fleet-kill", coordinator: { timeoutMs: 1000 } });
  const stats = new Redis(redis.url);
  t.after(() => stats.disconnect());

  const before = (await callsInTurn(workers, server.url, "before", 2)).flat();
  for (const r of before) assert.deepEqual([r.status, r.body], [200, "ok"], JSON.stringify(r));
  for (const w of workers) assert.deepEqual(w.reports(), [], `${w.name}: no outage yet`);
  const shared = /cmdstat_evalsha:calls=(\d+)/.exec(await stats.info("commandstats"));
  assert.ok(shared && Number(shared[1]) >= 6 * 4, "the scripts ran in Redis for every call before the kill");
  stats.disconnect();

  await redis.kill(); // SIGKILL: as a crash
  const after = (await callsInTurn(workers, server.url, "after", 3)).flat();
  for (const r of after) assert.deepEqual([r.status, r.body], [200, "ok"], JSON.stringify(r));
  assert.equal(server.arrivals.length, 2 * (before.length + after.length), "every call: a 503, then its retry");
  for (const w of workers) assert.equal(w.reports().length, 1, `${w.name}: ${JSON.stringify(w.reports())}`);
});

test("one breaker: three processes share it; once the fleet's failures open it, no process sends anything", { timeout: 120_000 }, async (t) => {
  const redis = await startRedis();
  t.after(() => redis.stop());
  const server = await startHttp((req, res) => res.writeHead(503).end());
  t.after(() => server.close());
  const workers = await fleet(t, [["A", "ioredis"], ["B", "redis"], ["C", "redis-4"]], {
    redisUrl: redis.url,
    namespace: "fleet-breaker",
    coordinator: { timeoutMs: 5000, breaker: { failureThreshold: 3, openMs: 60_000 } },
  });
  const [A, B, C] = workers;
  // One failure in each process: three in a row for the fleet.
  for (const w of workers) assert.equal((await w.call(`${w.name}1`, server.url, { maxAttempts: 1 })).status, 503);
  assert.equal(server.arrivals.length, 3);
  // Every process now refuses without sending.
  const refused = await Promise.all(workers.flatMap((w) => [2, 3].map((k) => w.call(`${w.name}${k}`, server.url, { maxAttempts: 1 }))));
  for (const r of refused) {
    assert.equal(r.error?.code, "ERR_CIRCUIT_OPEN", JSON.stringify(r));
    assert.equal(r.error.namespace, "fleet-breaker");
    assert.ok(r.error.retryAfterMs > 0 && r.error.retryAfterMs <= 60_000, JSON.stringify(r));
  }
  assert.equal(server.arrivals.length, 3, "nothing was sent once the shared breaker opened");
  // The process whose failure opened it heard the change, once; the breaker is in Redis.
  const changes = workers.flatMap((w) => w.messages.filter((m) => m.type === "breaker"));
  assert.deepEqual(changes.map((c) => [c.worker, c.from, c.to, c.reason, c.namespace]), [["C", "closed", "open", "failure-threshold", "fleet-breaker"]]);
  const client = new Redis(redis.url);
  t.after(() => client.disconnect());
  assert.match(await client.get("backup-errors:fleet-breaker:breaker"), /^1,0,\d+,\d+$/);
  for (const w of [A, B, C]) assert.deepEqual(w.reports(), [], `${w.name}: Redis answered every operation`);
});

test("one breaker half-opens for the whole fleet: one probe among all processes, and its success closes it for all", { timeout: 120_000 }, async (t) => {
  const redis = await startRedis();
  t.after(() => redis.stop());
  let healthy = false;
  let release;
  const held = new Promise((resolve) => (release = resolve));
  const server = await startHttp(async (req, res) => {
    if (!healthy) return res.writeHead(503).end();
    await held; // the probe stays out until the test has seen the others refused
    res.end("ok");
  });
  t.after(() => server.close());
  const workers = await fleet(t, [["A", "ioredis"], ["B", "redis"], ["C", "ioredis-5"]], {
    redisUrl: redis.url,
    namespace: "fleet-probe",
    coordinator: { timeoutMs: 5000, breaker: { failureThreshold: 1, openMs: 300 } },
  });
  const [A, B, C] = workers;
  await A.call("a1", server.url, { maxAttempts: 1 });
  healthy = true;
  await new Promise((resolve) => setTimeout(resolve, 400)); // past openMs
  const probe = A.call("a2", server.url, { maxAttempts: 1 });
  await new Promise((resolve) => { const poll = () => (server.arrivals.length === 2 ? resolve() : setTimeout(poll, 5)); poll(); });
  const others = await Promise.all([B.call("b1", server.url, { maxAttempts: 1 }), C.call("c1", server.url, { maxAttempts: 1 })]);
  for (const r of others) assert.equal(r.error?.code, "ERR_CIRCUIT_OPEN", JSON.stringify(r));
  release();
  assert.equal((await probe).status, 200);
  const after = await Promise.all([B.call("b2", server.url, { maxAttempts: 1 }), C.call("c2", server.url, { maxAttempts: 1 })]);
  for (const r of after) assert.equal(r.status, 200, JSON.stringify(r));
  assert.equal(server.arrivals.length, 4, "the first failure, the probe, then B's and C's calls");
});

test("Redis unreachable: each process's breaker (and pacer) goes on alone with its own counts", { timeout: 120_000 }, async (t) => {
  const closed = await freePort(); // nothing listens there
  const server = await startHttp((req, res) => res.writeHead(503).end());
  t.after(() => server.close());
  const workers = await fleet(t, [["A", "ioredis"], ["B", "redis"]], {
    redisUrl: `redis://127.0.0.1:${closed}`,
    reachable: false,
    namespace: "fleet-breaker-down",
    coordinator: { timeoutMs: 50, breaker: { failureThreshold: 2, openMs: 60_000 }, pacing: true },
  });
  const results = (await callsInTurn(workers, server.url, "c", 3, { maxAttempts: 1 })).map((list) => list.map((r) => r.status ?? r.error?.code));
  // Each process counts its own failures: two each, then its own breaker is open.
  assert.deepEqual(results, [[503, 503, "ERR_CIRCUIT_OPEN"], [503, 503, "ERR_CIRCUIT_OPEN"]]);
  assert.equal(server.arrivals.length, 4);
  for (const w of workers) assert.equal(w.reports().length, 1, `${w.name}: ${JSON.stringify(w.reports())}`);
});


/** A server allowing `limit` requests per `windowMs` window, answering the others 429 with the seconds to the window's end; `counts` per window. */
async function windowLimited(limit, windowMs) {
  const t0 = performance.now();
  const windows = [];
  const server = await startHttp((req, res) => {
    const now = performance.now();
    const w = Math.floor((now - t0) / windowMs);
    const counts = (windows[w] ??= { ok: 0, throttled: 0 });
    if (counts.ok < limit) {
      counts.ok++;
      return res.end("ok");
    }
    counts.throttled++;
    res.writeHead(429, { "retry-after": String(Math.max(1, Math.ceil((t0 + (w + 1) * windowMs - now) / 1000))) }).end();
  });
  return { server, windows };
}

test("one pacer: three processes calling back to back into a window limit send fewer requests into it, and are served as much", { timeout: 120_000 }, async (t) => {
  const redis = await startRedis();
  t.after(() => redis.stop());
  const runs = {};
  for (const pacing of [false, true]) {
    const { server, windows } = await windowLimited(15, 1000);
    t.after(() => server.close());
    const workers = await fleet(t, [["A", "ioredis"], ["B", "redis"], ["C", "ioredis-5"]], {
      redisUrl: redis.url,
      namespace: `fleet-pacing-${pacing}`,
      coordinator: { timeoutMs: 5000, ...(pacing ? { pacing: true } : {}) },
    });
    await Promise.all(workers.map((w) => w.load(`${w.name}-load`, server.url, 4000)));
    const full = windows.slice(0, 4);
    runs[pacing] = { served: full.reduce((a, w) => a + (w?.ok ?? 0), 0), throttled: full.reduce((a, w) => a + (w?.throttled ?? 0), 0) };
    for (const w of workers) assert.deepEqual(w.reports(), [], `${w.name}: Redis answered every operation`);
    await Promise.all(workers.map((w) => w.stop()));
  }
  t.diagnostic(`4 windows of 15: without pacing served ${runs.false.served}, into the limit ${runs.false.throttled}; with it served ${runs.true.served}, into the limit ${runs.true.throttled}`);
  assert.ok(runs.true.throttled < runs.false.throttled, JSON.stringify(runs));
  assert.ok(runs.true.served >= runs.false.served - 15, JSON.stringify(runs));
});
