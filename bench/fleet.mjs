// `npm run bench:fleet`: how many requests a fleet sends into a server's rate limit, with and
// without backup-errors/redis. Ten worker processes (bench/fleet-worker.mjs) call a loopback
// server with fetchWithRetry; the server allows `limit` requests per fixed window and answers
// every further request of the window with 429 and `Retry-After: <seconds to the window's
// end>`. "Into the limit" counts those 429s. Two workloads, each without and with a
// RedisCoordinator (one redis-server, started on a free loopback port, stopped by its pid):
//
//   open    each process starts a call every `intervalMs`, whatever the others do (jobs a
//           scheduler starts), offering `offered` × the server's capacity;
//   closed  each process starts its next call when the last one ended, as fast as it can.
//
//   node bench/fleet.mjs [--workers 10] [--limit 50] [--window-ms 6000] [--windows 5] [--offered-pct 120]
//
// Then an outage: the server answers every request with 503 for 30 s (scaled), between
// healthy stretches, while each process calls back to back; without a breaker, with a
// CircuitBreaker in each process, and with one shared through the coordinator (default
// options scaled: failureThreshold 5, openMs 30 s; the policy's delays scaled too). Counted:
// the requests that arrived during the outage, and the time from its end to the first
// success any process got.
//
// Last, what the coordinator adds to one call (time and Redis commands), in this process.
//
//   --only rate|outage|overhead   one part (default: all three)
//
// The server's real window is 60 s; the default runs it at 1:10 time scale (a 6 s window,
// Retry-After up to 6 s, a call every 1 s per process) so the four runs take about two
// minutes. `--window-ms 60000` runs it in real time. Figures go to
// bench/results/fleet-<timestamp>.json (git-ignored) and docs/performance.md ("Fleet:
// requests sent into a rate limit").
import { fork } from "node:child_process";
import http from "node:http";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { setTimeout as delay } from "node:timers/promises";
import { startRedis } from "../tests/package/fleet/support.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  const n = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer`);
  return n;
};
const workers = arg("workers", 10);
const limit = arg("limit", 50);
const windowMs = arg("window-ms", 6000);
const windows = arg("windows", 5);
const offeredPct = arg("offered-pct", 120);
const onlyAt = process.argv.indexOf("--only");
const only = onlyAt > 0 ? process.argv[onlyAt + 1] : null;
/** The time scale: 1 for real time (a 60 s window), 0.1 by default. */
const scale = windowMs / 60_000;
const outageMs = Math.round(30_000 * scale);
const breakerOptions = { failureThreshold: 5, openMs: Math.round(30_000 * scale) };
/** The default policy's delays, scaled (1 s base, 30 s cap). */
const scaledPolicy = { baseDelayMs: Math.round(1000 * scale), maxDelayMs: Math.round(30_000 * scale) };
/** Open workload: each process's interval between call starts, for `offeredPct` % of the capacity. */
const intervalMs = Math.round((workers * windowMs * 100) / (limit * offeredPct));

if (!existsSync(join(root, "pkg", "redis.js"))) {
  console.error("[bench] pkg/ is not built: run `npm run bench:fleet` (or node scripts/build.mjs) first");
  process.exit(1);
}

/** The rate-limited server: fixed windows from `start()`; per window, its 200s and 429s. */
async function rateLimitedServer() {
  let t0 = null;
  const perWindow = [];
  const server = http.createServer((req, res) => {
    const now = performance.now();
    const w = Math.floor((now - t0) / windowMs);
    const window = (perWindow[w] ??= { ok: 0, limited: 0, workersLimited: new Set() });
    if (window.ok < limit) {
      window.ok++;
      return res.end("ok");
    }
    window.limited++;
    window.workersLimited.add(req.headers["x-worker"]);
    const seconds = Math.max(1, Math.ceil((t0 + (w + 1) * windowMs - now) / 1000));
    res.writeHead(429, { "retry-after": String(seconds) }).end();
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/api/v3/jobs`,
    start: () => (t0 = performance.now()),
    perWindow,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))),
  };
}

/** One run of the fleet: `mode` ("open", "closed"), `coordinated` or not, `paced` ("local": a Pacer in each process; "shared": the coordinator's) or not. */
async function run(mode, coordinated, redisUrl, paced = null) {
  const server = await rateLimitedServer();
  const namespace = `bench-${Date.now()}`;
  const children = Array.from({ length: workers }, (_, k) =>
    fork(join(root, "bench", "fleet-worker.mjs"), [], {
      execArgv: [],
      env: {
        ...process.env,
        FLEET_BENCH: JSON.stringify({ name: `w${k}`, mode, intervalMs, phaseMs: Math.round((k * intervalMs) / workers), url: server.url, redisUrl: coordinated ? redisUrl : null, namespace, pacer: paced }),
      },
    }),
  );
  await Promise.all(children.map((c) => new Promise((resolve) => c.once("message", resolve))));
  server.start();
  children.forEach((c) => c.send("go"));
  await delay(windows * windowMs);
  const counts = await Promise.all(
    children.map((c) => {
      const done = new Promise((resolve) => c.on("message", (m) => m?.counts && resolve(m.counts)));
      c.send("stop");
      return done;
    }),
  );
  await server.close();
  const full = server.perWindow.slice(0, windows).map((w) => ({ ok: w?.ok ?? 0, limited: w?.limited ?? 0, workersLimited: w?.workersLimited.size ?? 0 }));
  const sum = (f) => counts.reduce((a, c) => a + f(c), 0);
  return {
    mode,
    coordinated,
    paced,
    windows: full,
    intoTheLimit: full.reduce((a, w) => a + w.limited, 0),
    served: full.reduce((a, w) => a + w.ok, 0),
    calls: sum((c) => c.calls),
    callsFailed: sum((c) => c.failed),
    thrown: counts.reduce((a, c) => (Object.entries(c.thrown).forEach(([k, v]) => (a[k] = (a[k] ?? 0) + v)), a), {}),
    redisErrors: sum((c) => c.redisErrors.length),
    redisErrorMessages: counts.flatMap((c) => c.redisErrors),
  };
}

/**
 * One outage run: a server healthy for `outageMs / 3`, down (503) for `outageMs`, then
 * healthy; each process calls it back to back with `breaker` ("none", "local", "shared").
 * Returns the requests sent during the outage and the ms from its end to the first 200.
 */
async function outage(breaker, redisUrl) {
  let phase = "before";
  let endedAt = null;
  let firstSuccessAt = null;
  let duringOutage = 0;
  let total = 0;
  const server = http.createServer((req, res) => {
    total++;
    if (phase === "down") {
      duringOutage++;
      return res.writeHead(503).end();
    }
    if (phase === "after" && firstSuccessAt === null) firstSuccessAt = performance.now();
    res.end("ok");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}/api/v3/jobs`;
  const namespace = `outage-${breaker}-${Date.now()}`;
  const children = Array.from({ length: workers }, (_, k) =>
    fork(join(root, "bench", "fleet-worker.mjs"), [], {
      execArgv: [],
      env: {
        ...process.env,
        FLEET_BENCH: JSON.stringify({ name: `w${k}`, mode: "closed", url, redisUrl: breaker === "shared" ? redisUrl : null, namespace, breaker, breakerOptions, policy: scaledPolicy }),
      },
    }),
  );
  await Promise.all(children.map((c) => new Promise((resolve) => c.once("message", resolve))));
  children.forEach((c) => c.send("go"));
  await delay(Math.round(outageMs / 3));
  phase = "down";
  await delay(outageMs);
  phase = "after";
  endedAt = performance.now();
  // Until the first success, and at most two more openMs.
  for (let waited = 0; firstSuccessAt === null && waited < 2 * breakerOptions.openMs + outageMs; waited += 10) await delay(10);
  const counts = await Promise.all(
    children.map((c) => {
      const done = new Promise((resolve) => c.on("message", (m) => m?.counts && resolve(m.counts)));
      c.send("stop");
      return done;
    }),
  );
  await new Promise((resolve) => (server.closeAllConnections(), server.close(resolve)));
  return {
    breaker,
    duringOutage,
    firstSuccessAfterMs: firstSuccessAt === null ? null : Math.round(firstSuccessAt - endedAt),
    requests: total,
    refused: counts.reduce((a, c) => a + (c.thrown.ERR_CIRCUIT_OPEN ?? 0), 0),
    redisErrors: counts.reduce((a, c) => a + c.redisErrors.length, 0),
  };
}

/**
 * What the coordinator adds to one call, in this process: sequential `fetchWithRetry` calls
 * to a loopback server, without and with a RedisCoordinator (ioredis), in alternating rounds;
 * the median time per call of each, and the Redis commands a call sent (from the server's
 * INFO commandstats). Two kinds of call: a 200 at once, and a 503 with `Retry-After: 0`
 * followed by a 200 (one retry, so the budget's take and refund).
 */
async function overhead(redisUrl) {
  const { fetchWithRetry } = await import(join(root, "pkg", "index.node.js"));
  const { RedisCoordinator } = await import(join(root, "pkg", "redis.js"));
  const Redis = (await import("ioredis")).default;
  let n = 0;
  const server = http.createServer((req, res) => {
    if (req.url === "/retry" && ++n % 2 === 1) return res.writeHead(503, { "retry-after": "0" }).end();
    res.end("ok");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  const client = new Redis(redisUrl);
  const admin = new Redis(redisUrl);
  const coordinator = new RedisCoordinator(client, { namespace: `overhead-${Date.now()}` });
  const commands = async () => {
    const info = await admin.info("commandstats");
    return [...info.matchAll(/^cmdstat_([a-z]+):calls=(\d+)/gm)].reduce((a, [, name, calls]) => ((a[name] = Number(calls)), a), {});
  };
  const calls = 500;
  const rounds = 7;
  const result = {};
  for (const kind of ["ok", "retry"]) {
    const url = `${base}/${kind}`;
    const times = { without: [], with: [] };
    let perCall = null;
    for (let round = 0; round < rounds + 1; round++) {
      for (const mode of round % 2 ? ["with", "without"] : ["without", "with"]) {
        const options = mode === "with" ? { coordinator, jitter: "none", baseDelayMs: 0 } : { jitter: "none", baseDelayMs: 0 };
        const before = mode === "with" ? await commands() : null;
        const t = performance.now();
        for (let i = 0; i < calls; i++) await (await fetchWithRetry(url, undefined, options)).arrayBuffer();
        const ms = (performance.now() - t) / calls;
        if (round === 0) continue; // warm-up
        times[mode].push(ms);
        if (before && perCall === null) {
          await delay(50); // the refunds that are not awaited
          const after = await commands();
          perCall = Object.fromEntries(Object.keys(after).filter((k) => k !== "info").map((k) => [k, (after[k] - (before[k] ?? 0)) / calls]).filter(([, v]) => v > 0));
        }
      }
    }
    const median = (a) => a.sort((x, y) => x - y)[a.length >> 1];
    result[kind] = { withoutMs: median(times.without), withMs: median(times.with), redisCommandsPerCall: perCall };
  }
  client.disconnect();
  admin.disconnect();
  await new Promise((resolve) => (server.closeAllConnections(), server.close(resolve)));
  return { calls, rounds, ...result };
}

const redis = await startRedis();
const runs = [];
const outages = [];
let cost = null;
try {
  if (only === null || only === "rate") {
    for (const mode of ["open", "closed"]) {
      runs.push(await run(mode, false, null));
      runs.push(await run(mode, true, redis.url));
      runs.push(await run(mode, true, redis.url, "local"));
      runs.push(await run(mode, true, redis.url, "shared"));
    }
  }
  if (only === null || only === "outage") {
    for (const breaker of ["none", "local", "shared"]) outages.push(await outage(breaker, redis.url));
  }
  if (only === null || only === "overhead") cost = await overhead(redis.url);
} finally {
  await redis.stop();
}
const results = { date: new Date().toISOString(), machine: { node: process.version, cpus: cpus().length }, workers, limit, windowMs, windows, offeredPct, intervalMs, timeScale: `1:${60_000 / windowMs}`, runs, outage: { outageMs, breakerOptions, policy: scaledPolicy, runs: outages }, overhead: cost };

const line = (r) =>
  `${r.mode.padEnd(7)}${(r.coordinated ? { local: "coordinator + Pacer each", shared: "coordinator, pacing" }[r.paced] ?? "with RedisCoordinator" : "without").padEnd(26)} into the limit ${String(r.intoTheLimit).padStart(5)}  per window ${JSON.stringify(r.windows.map((w) => w.limited))}  ` +
  `processes limited per window ${JSON.stringify(r.windows.map((w) => w.workersLimited))}  served ${r.served}  calls ${r.calls} (ended in a 429: ${r.callsFailed}, thrown ${JSON.stringify(r.thrown)})  Redis errors ${r.redisErrors}`;
console.log(`[bench] fleet: ${workers} processes, ${limit} requests per ${windowMs} ms window (a 60 s window at ${results.timeScale}), ${windows} windows; open workload: a call every ${intervalMs} ms per process (${offeredPct} % of capacity)`);
runs.forEach((r) => console.log(line(r)));
if (outages.length) {
  console.log(`[bench] outage: ${workers} processes calling back to back, the server down (503) for ${outageMs} ms (30 s at ${results.timeScale}); breaker ${JSON.stringify(breakerOptions)}, policy delays ${JSON.stringify(scaledPolicy)}`);
  for (const o of outages) {
    const name = { none: "no breaker", local: "a breaker in each process", shared: "one shared breaker" }[o.breaker];
    console.log(`outage ${name.padEnd(27)} requests during the outage ${String(o.duringOutage).padStart(5)}  first success ${o.firstSuccessAfterMs ?? "none"} ms after it ended  calls refused ${o.refused}  Redis errors ${o.redisErrors}`);
  }
}
for (const [kind, what] of cost ? [["ok", "a 200"], ["retry", "a 503 (Retry-After: 0), then a 200"]] : []) {
  const o = cost[kind];
  const ops = Object.entries(o.redisCommandsPerCall ?? {}).map(([k, v]) => `${v} ${k}`).join(", ");
  console.log(`overhead, ${what}: ${o.withoutMs.toFixed(3)} ms a call without, ${o.withMs.toFixed(3)} ms with the coordinator (+${(o.withMs - o.withoutMs).toFixed(3)} ms; Redis commands per call: ${ops}); median of ${cost.rounds} rounds of ${cost.calls} sequential calls`);
}
const out = join(root, "bench", "results");
mkdirSync(out, { recursive: true });
writeFileSync(join(out, `fleet-${results.date.replace(/[:.]/g, "-")}.json`), JSON.stringify(results, null, 2));
