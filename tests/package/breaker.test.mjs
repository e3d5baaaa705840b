// The circuit breaker (`new CircuitBreaker`, the `breaker` option) against a real loopback
// server: it opens after its threshold of unhealthy outcomes in a row and then sends nothing,
// half-opens after openMs with one probe at a time, closes after its probes; 4xx, 409, busy
// and throttling answers never count. Every executor and plug-in takes it. The clock is the
// real one: openMs is short, and the tests wait past it (no upper bound on any time).
import { test } from "node:test";
import assert from "node:assert/strict";
import axios from "axios";
import ky from "ky";
import got from "got";
import { CircuitBreaker, fetchWithRetry, retry } from "backup-errors";
import { attach } from "backup-errors/axios";
import { kyRetry } from "backup-errors/ky";
import { gotRetry } from "backup-errors/got";
import { serve } from "./support/loopback.mjs";

const ONCE = { maxAttempts: 1 };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A server whose answer the test sets: `answer.status` (503 to start with). */
async function service(t) {
  const answer = { status: 503, headers: {}, body: "" };
  const s = await serve(t, (req, res) => res.writeHead(answer.status, answer.headers).end(answer.body));
  return { ...s, answer };
}

/** Calls `send()` and returns what it resolved with, or the error it rejected with. */
const settle = (promise) => promise.then((value) => ({ value }), (error) => ({ error }));

test("opens after failureThreshold unhealthy outcomes in a row, then rejects at once without sending", async (t) => {
  const s = await service(t);
  const changes = [];
  const breaker = new CircuitBreaker({ failureThreshold: 3, openMs: 60_000, onStateChange: (c) => changes.push(c) });
  assert.equal(breaker.state, "closed");
  for (let i = 0; i < 3; i++) assert.equal((await fetchWithRetry(s.url, undefined, { ...ONCE, breaker })).status, 503);
  assert.equal(breaker.state, "open");
  assert.deepEqual(changes, [{ from: "closed", to: "open", reason: "failure-threshold" }]);
  for (let i = 0; i < 5; i++) {
    const { error } = await settle(fetchWithRetry(s.url, undefined, { ...ONCE, breaker }));
    assert.equal(error?.name, "BackupErrorsError");
    assert.equal(error.code, "ERR_CIRCUIT_OPEN");
    assert.ok(error.retryAfterMs > 0 && error.retryAfterMs <= 60_000, String(error.retryAfterMs));
    assert.match(error.message, /nothing was sent/);
  }
  assert.equal(s.requests.length, 3, "nothing was sent while open");
  // retry() too: fn is not called.
  let called = 0;
  const { error } = await settle(retry(async () => ++called, { breaker }));
  assert.equal(error?.code, "ERR_CIRCUIT_OPEN");
  assert.equal(called, 0);
});

test("a retry the breaker refuses ends the call with ERR_CIRCUIT_OPEN: it opened during the call", async (t) => {
  const s = await service(t);
  const breaker = new CircuitBreaker({ failureThreshold: 2, openMs: 60_000 });
  const { error } = await settle(fetchWithRetry(s.url, undefined, { breaker, maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 1 }));
  assert.equal(error?.code, "ERR_CIRCUIT_OPEN");
  assert.equal(s.requests.length, 2);
});

test("half-opens after openMs: one probe at a time; its success closes it, its failure opens it again", async (t) => {
  const s = await service(t);
  const changes = [];
  const breaker = new CircuitBreaker({ failureThreshold: 1, openMs: 80, onStateChange: (c) => changes.push(`${c.from}>${c.to}:${c.reason}`) });
  await fetchWithRetry(s.url, undefined, { ...ONCE, breaker });
  assert.equal(breaker.state, "open");
  await sleep(100);
  // The probe fails: open again.
  assert.equal((await fetchWithRetry(s.url, undefined, { ...ONCE, breaker })).status, 503);
  assert.equal(breaker.state, "open");
  await sleep(100);
  // The service is back. While the probe is out, other calls are refused.
  s.answer.status = 200;
  let release;
  const held = new Promise((resolve) => (release = resolve));
  const probe = retry(async () => held, { breaker });
  const others = await Promise.all([1, 2, 3].map(() => settle(retry(async () => "sent", { breaker }))));
  assert.deepEqual(others.map((o) => o.error?.code), ["ERR_CIRCUIT_OPEN", "ERR_CIRCUIT_OPEN", "ERR_CIRCUIT_OPEN"]);
  assert.match(others[0].error.message, /half-open/);
  assert.equal(breaker.state, "half-open");
  release("ok");
  assert.equal(await probe, "ok");
  assert.equal(breaker.state, "closed");
  assert.equal((await fetchWithRetry(s.url, undefined, { ...ONCE, breaker })).status, 200);
  assert.deepEqual(changes, ["closed>open:failure-threshold", "open>half-open:open-elapsed", "half-open>open:probe-failed", "open>half-open:open-elapsed", "half-open>closed:probes-succeeded"]);
  assert.equal(s.requests.length, 3);
});

test("halfOpenProbes successes are needed to close it", async (t) => {
  const s = await service(t);
  const breaker = new CircuitBreaker({ failureThreshold: 1, openMs: 50, halfOpenProbes: 3 });
  await fetchWithRetry(s.url, undefined, { ...ONCE, breaker });
  await sleep(70);
  s.answer.status = 200;
  const states = [];
  for (let i = 0; i < 3; i++) {
    await fetchWithRetry(s.url, undefined, { ...ONCE, breaker });
    states.push(breaker.state);
  }
  assert.deepEqual(states, ["half-open", "half-open", "closed"]);
});

test("4xx, 409, throttling and a busy resource never count; a healthy answer resets the count", async (t) => {
  const s = await service(t);
  const breaker = new CircuitBreaker({ failureThreshold: 2, openMs: 60_000 });
  const answers = [
    [400, {}, ""],
    [401, {}, ""],
    [404, {}, ""],
    [409, {}, ""],
    [429, { "retry-after": "1" }, ""],
    [520, {}, '{"errors":[{"message":"busy","type":"retryablelogical","code":4002}]}'],
    [500, {}, '{"error_code":"CSBS.8009","error_msg":"The VM has no system disk."}'],
  ];
  for (const [status, headers, body] of answers) {
    for (let i = 0; i < 3; i++) {
      Object.assign(s.answer, { status, headers, body });
      await fetchWithRetry(s.url, undefined, { ...ONCE, breaker });
      assert.equal(breaker.state, "closed", `${status} ${body}`);
    }
  }
  // One unhealthy outcome, a healthy one, one unhealthy: never two in a row.
  for (const status of [503, 404, 502, 200, 500]) {
    Object.assign(s.answer, { status, headers: {}, body: "" });
    await fetchWithRetry(s.url, undefined, { ...ONCE, breaker });
  }
  assert.equal(breaker.state, "closed");
  assert.ok(s.requests.length >= answers.length * 3 + 5, "every call was sent");
});

test("timeouts and refused connections count", async (t) => {
  const silent = await serve(t, () => {}); // never answers
  const breaker = new CircuitBreaker({ failureThreshold: 2, openMs: 60_000 });
  await settle(fetchWithRetry(silent.url, undefined, { ...ONCE, breaker, timeoutMs: 20 }));
  const closed = await serve(t, () => {});
  await new Promise((resolve) => closed.server.close(resolve));
  await settle(fetchWithRetry(closed.url, undefined, { ...ONCE, breaker }));
  assert.equal(breaker.state, "open");
});

test("a probe whose call is abandoned gives its turn to the next call", async (t) => {
  const s = await service(t);
  const breaker = new CircuitBreaker({ failureThreshold: 1, openMs: 50 });
  await fetchWithRetry(s.url, undefined, { ...ONCE, breaker });
  await sleep(70);
  const controller = new AbortController();
  const probe = settle(retry(() => new Promise(() => {}), { breaker, signal: controller.signal }));
  assert.equal((await settle(retry(async () => "x", { breaker }))).error?.code, "ERR_CIRCUIT_OPEN");
  controller.abort();
  await probe;
  assert.equal(await retry(async () => "next", { breaker }), "next");
  assert.equal(breaker.state, "closed");
});

test("bad options and a breaker that is not one are bad calls", async () => {
  for (const options of [{ failureThreshold: 0 }, { openMs: -1 }, { halfOpenProbes: 1.5 }, { failureTreshold: 5 }, { onStateChange: "log" }]) {
    assert.throws(() => new CircuitBreaker(options), { name: "BackupErrorsError", code: "ERR_INVALID_OPTION" }, JSON.stringify(options));
  }
  assert.throws(() => new CircuitBreaker(5), { name: "BackupErrorsError", code: "ERR_INVALID_ARGUMENT" });
  await assert.rejects(fetchWithRetry("http://127.0.0.1:9/", undefined, { breaker: { state: "closed" } }), { code: "ERR_INVALID_ARGUMENT" });
  assert.doesNotThrow(() => new CircuitBreaker());
  assert.doesNotThrow(() => new CircuitBreaker({ failureThreshold: 5, openMs: 30_000, halfOpenProbes: 1, onStateChange: () => {} }));
});

test("a listener that throws does not break a call", async (t) => {
  const s = await service(t);
  const breaker = new CircuitBreaker({ failureThreshold: 1, onStateChange: () => { throw new Error("listener bug"); } });
  assert.equal((await fetchWithRetry(s.url, undefined, { ...ONCE, breaker })).status, 503);
  assert.equal(breaker.state, "open");
});

const clients = {
  async axios(url, breaker) {
    const instance = axios.create();
    attach(instance, { breaker, ...ONCE });
    return instance.get(url);
  },
  async ky(url, breaker) {
    return ky.extend(kyRetry({ breaker, ...ONCE }))(url);
  },
  async got(url, breaker) {
    return got.extend(gotRetry({ breaker, ...ONCE }))(url);
  },
};

for (const [name, send] of Object.entries(clients)) {
  test(`${name}: the plug-in takes a breaker; while it is open nothing is sent`, async (t) => {
    const s = await service(t);
    const breaker = new CircuitBreaker({ failureThreshold: 2, openMs: 60_000 });
    for (let i = 0; i < 2; i++) await settle(send(s.url, breaker));
    assert.equal(breaker.state, "open");
    const { error } = await settle(send(s.url, breaker));
    // got wraps what its hooks throw in a RequestError whose cause it is.
    const cause = name === "got" ? error?.cause : error;
    assert.equal(cause?.code, "ERR_CIRCUIT_OPEN", String(error));
    assert.equal(s.requests.length, 2);
  });
}
