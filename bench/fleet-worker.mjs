// One process of bench/fleet.mjs, calling the rate-limited server with fetchWithRetry (with a
// RedisCoordinator when FLEET_BENCH.redisUrl is set) until the parent says "stop", then
// sending its counts. `closed`: the next call starts when the last one ended. `open`: a call
// starts every `intervalMs` (after `phaseMs`) whatever the others do, as jobs a scheduler
// starts; the calls in progress then end before the counts are sent.
//
// `breaker` (the outage runs): "local", a CircuitBreaker of this process; "shared", the
// coordinator's breaker; with `breakerOptions`. A call the breaker refuses is tried again
// after the error's retryAfterMs, as a caller would (so is a call the pacer did not send).
// `pacer` (the rate-limit runs): "local", a Pacer in this process; "shared", the
// coordinator's (pacing: true).
import { CircuitBreaker, fetchWithRetry, Pacer } from "../pkg/index.node.js";
import { RedisCoordinator } from "../pkg/redis.js";
import Redis from "ioredis";

const config = JSON.parse(process.env.FLEET_BENCH);
const client = config.redisUrl ? new Redis(config.redisUrl) : null;
const shared = { ...(config.breaker === "shared" ? { breaker: config.breakerOptions } : {}), ...(config.pacer === "shared" ? { pacing: true } : {}) };
const coordinator = client ? new RedisCoordinator(client, { namespace: config.namespace, ...shared, onCoordinatorError: (e) => counts.redisErrors.push(String(e?.message ?? e)) }) : undefined;
const breaker = config.breaker === "local" ? new CircuitBreaker(config.breakerOptions) : undefined;
const pacer = config.pacer === "local" ? new Pacer() : undefined;
const counts = { calls: 0, succeeded: 0, failed: 0, thrown: {}, redisErrors: [] };

let stopping = false;
process.on("message", (m) => {
  if (m === "stop") stopping = true;
});
process.send("ready");
await new Promise((resolve) => process.once("message", (m) => m === "go" && resolve()));

async function call() {
  try {
    const response = await fetchWithRetry(config.url, { headers: { "x-worker": config.name } }, { coordinator, breaker, pacer, ...config.policy });
    await response.arrayBuffer();
    counts.calls++;
    if (response.ok) counts.succeeded++;
    else counts.failed++;
  } catch (error) {
    counts.calls++;
    const key = error?.code ?? error?.name ?? "error";
    counts.thrown[key] = (counts.thrown[key] ?? 0) + 1;
    if (key === "ERR_CIRCUIT_OPEN" || key === "ERR_PACER_WAIT") await new Promise((resolve) => setTimeout(resolve, Math.max(1, error.retryAfterMs)));
  }
}

if (config.mode === "open") {
  const running = new Set();
  await new Promise((resolve) => setTimeout(resolve, config.phaseMs));
  while (!stopping) {
    const p = call().finally(() => running.delete(p));
    running.add(p);
    await new Promise((resolve) => setTimeout(resolve, config.intervalMs));
  }
  await Promise.all(running);
} else {
  while (!stopping) await call();
}
process.send({ counts });
client?.disconnect();
process.disconnect();
