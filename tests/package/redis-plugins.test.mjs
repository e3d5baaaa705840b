// The client plug-ins (axios, ky, got) with a RedisCoordinator: the namespace's wait holds back
// a new request and a retry, an empty shared budget stops a retry, and a wait longer than the
// call may wait ends it with ERR_SERVER_WAIT, for each client. The namespace's state is set
// the way another process would leave it, through the test's own Redis client; the
// redis-server is this file's own, stopped by its pid. Orderings and counts only.
import { test } from "node:test";
import assert from "node:assert/strict";
import { performance } from "node:perf_hooks";
import Redis from "ioredis";
import axios from "axios";
import ky from "ky";
import got from "got";
import { attach } from "backup-errors/axios";
import { kyRetry } from "backup-errors/ky";
import { gotRetry } from "backup-errors/got";
import { RedisCoordinator } from "backup-errors/redis";
import { startHttp, useRedis } from "./fleet/support.mjs";

const servers = useRedis(); // the file's redis-server, and `admin`, the test's own view of it

const fast = { baseDelayMs: 10, jitter: "none" };

/** Each client, set up as a user would: `send(url, options)` resolves `{ status }` or rejects with the client's error. */
const clients = [
  {
    name: "axios",
    async send(url, options) {
      const instance = axios.create();
      const detach = attach(instance, options);
      try {
        return { status: (await instance.get(url)).status };
      } finally {
        detach();
      }
    },
  },
  { name: "ky", send: async (url, options) => ({ status: (await ky.extend(kyRetry(options))(url)).status }) },
  { name: "got", send: async (url, options) => ({ status: (await got.extend(gotRetry(options))(url)).statusCode }) },
];

/** A coordinator in a fresh namespace on its own ioredis client, closed when the test ends. */
function coordinate(t, namespace, options = {}) {
  const client = new Redis(servers.redis.url);
  t.after(() => client.disconnect());
  return new RedisCoordinator(client, { namespace, timeoutMs: 5000, ...options });
}

async function server(t, handler) {
  const s = await startHttp(handler);
  t.after(() => s.close());
  return s;
}

for (const { name, send } of clients) {
  test(`${name}: a new request waits for the namespace's wait`, async (t) => {
    const s = await server(t, (req, res) => res.end("ok"));
    const coordinator = coordinate(t, `${name}-new`);
    const setAt = performance.now();
    await servers.admin.set(`backup-errors:${name}-new:wait`, "1", "PX", 1000); // another process's 429
    assert.equal((await send(s.url, { coordinator })).status, 200);
    assert.equal(s.arrivals.length, 1);
    assert.ok(s.arrivals[0].at >= setAt + 1000, "sent after the wait");
  });

  test(`${name}: a retry waits for a wait that appeared during the call, as the decision's server wait`, async (t) => {
    let setAt = null;
    const s = await server(t, async (req, res) => {
      if (setAt !== null) return res.end("ok");
      setAt = performance.now();
      await servers.admin.set(`backup-errors:${name}-retry:wait`, "1", "PX", 1500);
      res.writeHead(503).end(); // no wait of its own
    });
    const reasons = [];
    const options = { coordinator: coordinate(t, `${name}-retry`), ...fast, onRetry: ({ decision }) => reasons.push(decision.reason) };
    assert.equal((await send(s.url, options)).status, 200);
    assert.equal(s.arrivals.length, 2);
    assert.ok(s.arrivals[1].at >= setAt + 1500, "the retry was sent after the namespace's wait");
    assert.equal(reasons.length, 1);
    assert.match(reasons[0], /^server-wait: HTTP 503/);
  });

  test(`${name}: an empty shared budget stops a retry`, async (t) => {
    const s = await server(t, (req, res) => res.writeHead(503).end());
    await servers.admin.set(`backup-errors:${name}-budget:budget`, "0", "PX", 60_000); // the fleet spent it
    const stops = [];
    const options = { coordinator: coordinate(t, `${name}-budget`), ...fast, onGiveUp: ({ decision }) => stops.push(decision.reason) };
    const error = await send(s.url, options).then(
      () => assert.fail("resolved"),
      (e) => e,
    );
    assert.ok(/503/.test(error.message), error.message);
    assert.equal(s.arrivals.length, 1);
    assert.equal(stops.length, 1);
    assert.match(stops[0], /^budget: the client's retry budget is spent \(0 of 500 tokens left/);
  });

  test(`${name}: a wait longer than the call may wait ends it with ERR_SERVER_WAIT, unsent`, async (t) => {
    const s = await server(t, (req, res) => res.end("ok"));
    await servers.admin.set(`backup-errors:${name}-long:wait`, "1", "PX", 90_000);
    const error = await send(s.url, { coordinator: coordinate(t, `${name}-long`) }).then(
      () => assert.fail("resolved"),
      (e) => e,
    );
    // got wraps what its hooks throw in a RequestError whose cause it is.
    const cause = name === "got" ? error.cause : error;
    assert.equal(cause?.code, "ERR_SERVER_WAIT", String(error));
    assert.ok(cause.retryAfterMs > 60_000, String(cause.retryAfterMs));
    assert.equal(s.arrivals.length, 0);
  });
}
