// Adaptive pacing (`new Pacer`, the `pacer` option) against a real loopback server with a
// window rate limit: without throttling it adds no delay; once throttled it spaces every
// attempt (first attempts too) and holds them until the server's wait ends, cutting the
// throttled answers while serving as many requests; a turn further away than maxWaitMs is
// not taken. Counts and orderings only: no upper bound on any time.
import { test } from "node:test";
import assert from "node:assert/strict";
import { performance } from "node:perf_hooks";
import axios from "axios";
import ky from "ky";
import got from "got";
import { fetchWithRetry, Pacer, retry } from "backup-errors";
import { attach } from "backup-errors/axios";
import { kyRetry } from "backup-errors/ky";
import { gotRetry } from "backup-errors/got";
import { serve } from "./support/loopback.mjs";

/** A server that allows `limit` requests per `windowMs` window and answers the others 429 with the seconds to the window's end. */
async function limited(t, limit, windowMs) {
  const t0 = performance.now();
  const counts = { served: 0, throttled: 0, perWindow: [] };
  const s = await serve(t, (req, res) => {
    const now = performance.now();
    const w = Math.floor((now - t0) / windowMs);
    counts.perWindow[w] ??= 0;
    if (counts.perWindow[w] < limit) {
      counts.perWindow[w]++;
      counts.served++;
      return res.end("ok");
    }
    counts.throttled++;
    res.writeHead(429, { "retry-after": String(Math.max(1, Math.ceil((t0 + (w + 1) * windowMs - now) / 1000))) }).end();
  });
  return { url: s.url, counts };
}

/** `callers` loops calling `url` back to back (one attempt each) until `ms` have passed. */
async function load(url, callers, ms, options) {
  const end = performance.now() + ms;
  const thrown = [];
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (performance.now() < end) {
        try {
          await (await fetchWithRetry(url, undefined, { maxAttempts: 1, ...options })).arrayBuffer();
        } catch (error) {
          thrown.push(error);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }
    }),
  );
  return thrown;
}

test("without throttling it adds no delay and learns no rate", async (t) => {
  const s = await serve(t, (req, res) => res.end("ok"));
  const pacer = new Pacer();
  const arrivals = [];
  await Promise.all(Array.from({ length: 20 }, () => fetchWithRetry(s.url, undefined, { pacer }).then((r) => arrivals.push(r.status))));
  assert.equal(arrivals.length, 20);
  assert.equal(pacer.rate, null);
});

test("under a window rate limit it cuts the throttled answers and serves as many requests", { timeout: 60_000 }, async (t) => {
  const limit = 20;
  const windowMs = 1000;
  const alone = await limited(t, limit, windowMs);
  await load(alone.url, 5, 4 * windowMs, {});
  const paced = await limited(t, limit, windowMs);
  const pacer = new Pacer();
  const thrown = await load(paced.url, 5, 4 * windowMs, { pacer });
  t.diagnostic(`without: served ${alone.counts.served}, throttled ${alone.counts.throttled}; with a pacer: served ${paced.counts.served}, throttled ${paced.counts.throttled}, rate ${pacer.rate?.toFixed(2)}/s`);
  assert.deepEqual(thrown.map((e) => e.code), []);
  assert.ok(pacer.rate !== null && pacer.rate > 0);
  assert.ok(paced.counts.throttled * 10 < alone.counts.throttled, `throttled answers: ${paced.counts.throttled} with, ${alone.counts.throttled} without`);
  // As many served: every window it was let into, full (the first and the last may be cut by the run's edges).
  assert.ok(paced.counts.served >= alone.counts.served - 2 * limit, `served: ${paced.counts.served} with, ${alone.counts.served} without`);
});

test("once throttled, every attempt waits for the server's wait: first attempts as well as retries", async (t) => {
  let throttledAt = null;
  const arrivals = [];
  const s = await serve(t, (req, res) => {
    arrivals.push(performance.now());
    if (throttledAt === null) {
      throttledAt = performance.now();
      return res.writeHead(429, { "retry-after": "1" }).end();
    }
    res.end("ok");
  });
  const pacer = new Pacer();
  await fetchWithRetry(s.url, undefined, { pacer, maxAttempts: 1 });
  // New calls, not retries: each is held until the server's wait has passed.
  const statuses = await Promise.all([1, 2, 3].map(() => fetchWithRetry(s.url, undefined, { pacer, maxAttempts: 1 }).then((r) => r.status)));
  assert.deepEqual(statuses, [200, 200, 200]);
  assert.equal(arrivals.length, 4);
  for (const at of arrivals.slice(1)) assert.ok(at >= throttledAt + 990, `sent ${Math.round(at - throttledAt)} ms after the 429`);
});

test("a turn further away than maxWaitMs is not taken: ERR_PACER_WAIT with the wait, nothing sent", async (t) => {
  let n = 0;
  const s = await serve(t, (req, res) => (++n === 1 ? res.writeHead(429, { "retry-after": "30" }).end() : res.end("ok")));
  const pacer = new Pacer({ maxWaitMs: 1000 });
  await fetchWithRetry(s.url, undefined, { pacer, maxAttempts: 1 });
  const error = await fetchWithRetry(s.url, undefined, { pacer }).catch((e) => e);
  assert.equal(error?.code, "ERR_PACER_WAIT", String(error));
  assert.ok(error.retryAfterMs > 28_000 && error.retryAfterMs <= 30_000, String(error.retryAfterMs));
  assert.match(error.message, /maxWaitMs \(1000 ms\)/);
  // The deadline bounds it too.
  const byDeadline = await retry(async () => "sent", { pacer: new Pacer(), deadlineMs: 500 }).then(() => null, (e) => e);
  assert.equal(byDeadline, null, "a fresh pacer has nothing to wait for");
  assert.equal(n, 1);
});

test("bad options and a pacer that is not one are bad calls", async () => {
  for (const options of [{ maxWaitMs: 0 }, { maxWaitMs: 1.5 }, { maxWait: 100 }]) {
    assert.throws(() => new Pacer(options), { name: "BackupErrorsError", code: "ERR_INVALID_OPTION" }, JSON.stringify(options));
  }
  assert.throws(() => new Pacer(7), { code: "ERR_INVALID_ARGUMENT" });
  await assert.rejects(fetchWithRetry("http://127.0.0.1:9/", undefined, { pacer: {} }), { code: "ERR_INVALID_ARGUMENT" });
});

const clients = {
  async axios(url, pacer) {
    const instance = axios.create();
    attach(instance, { pacer, maxAttempts: 1 });
    return instance.get(url);
  },
  ky: (url, pacer) => ky.extend(kyRetry({ pacer, maxAttempts: 1 }))(url),
  got: (url, pacer) => got.extend(gotRetry({ pacer, maxAttempts: 1 }))(url),
};

for (const [name, send] of Object.entries(clients)) {
  test(`${name}: the plug-in takes a pacer; after a 429 with a wait the next request waits it out`, async (t) => {
    const arrivals = [];
    const s = await serve(t, (req, res) => {
      arrivals.push(performance.now());
      if (arrivals.length === 1) return res.writeHead(429, { "retry-after": "1" }).end();
      res.end("ok");
    });
    const pacer = new Pacer();
    await send(s.url, pacer).catch(() => {});
    await send(s.url, pacer);
    assert.equal(arrivals.length, 2);
    assert.ok(arrivals[1] >= arrivals[0] + 990, `${Math.round(arrivals[1] - arrivals[0])} ms apart`);
  });
}
