// The executors (fetchWithRetry, retry) of the packed tarball, against a real node:http
// server on 127.0.0.1 (port 0, loopback only). Delays are small and seeded so the file runs
// in a few seconds; every loop is bounded and every server is closed.
//
// No assertion bounds wall-clock time from above (a loaded machine would break it): the
// tests check order, counts, states and the delays the policy planned (`onRetry` info).
// Where time is the subject (timeouts, the spacing of attempts) setTimeout is faked with
// `fakeClock` (the executor reads globalThis.setTimeout at call time) and the clock is moved
// by the test once the server has the request. Lower bounds on a real wait stay.
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { fetchWithRetry, retry, RetryBudget, RetryPolicy, classify } from "backup-errors";
import { serve } from "./support/loopback.mjs";

const FAST = { baseDelayMs: 10, maxDelayMs: 50, seed: 1 };

function reply(res, status, headers = {}, body = "") {
  res.writeHead(status, headers);
  res.end(body);
}

/** A status per request number, the last one repeated. */
const sequence = (...statuses) => (req, res, n) => reply(res, statuses[Math.min(n, statuses.length) - 1], {}, JSON.stringify({ n }));

function recorder() {
  const calls = { retry: [], giveUp: [] };
  return { calls, onRetry: (info) => calls.retry.push(info), onGiveUp: (info) => calls.giveUp.push(info) };
}

const tag = (decision) => decision.reason.split(":")[0];
const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

/**
 * Fakes setTimeout/clearTimeout for the rest of test `t` (node:test mock timers; the real
 * ones come back when the test ends). The clock stands still until `advance(ms)`, which
 * fires the timers that fall due, synchronously. setImmediate and I/O stay real.
 *
 * clearTimeout passes only this test's fake timers to the mock: fetch (undici) clears timers
 * late, and a timer it created under an earlier test's fake clock, cleared now, would make
 * the mock remove an unrelated entry from its queue (a sleep that then never fires); a
 * real timer goes to the real clearTimeout.
 */
function fakeClock(t) {
  const realClearTimeout = globalThis.clearTimeout;
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const fakeSetTimeout = globalThis.setTimeout;
  const fakeClearTimeout = globalThis.clearTimeout;
  const ours = new WeakSet();
  globalThis.setTimeout = (...args) => {
    const timer = fakeSetTimeout(...args);
    ours.add(timer);
    return timer;
  };
  globalThis.clearTimeout = (timer) => (ours.has(timer) ? fakeClearTimeout(timer) : realClearTimeout(timer));
  let now = 0;
  return {
    now: () => now,
    advance(ms) {
      now += ms;
      t.mock.timers.tick(ms);
    },
  };
}

/** One turn of the event loop: every promise reaction queued so far has run. */
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** The global fetch, recording each attempt's signal and the fake time it was sent at. */
function recordingFetch(clock) {
  const sent = [];
  const fetchFn = (input, init) => {
    sent.push({ at: clock.now(), signal: init.signal });
    return fetch(input, init);
  };
  return { sent, fetch: fetchFn };
}

// ── fetchWithRetry ──────────────────────────────────────────────────────────────────────

test("503, 503, 200: resolves with the 200 after 3 requests, onRetry called twice", async (t) => {
  const s = await serve(t, sequence(503, 503, 200));
  const { calls, ...hooks } = recorder();
  const response = await fetchWithRetry(s.url, undefined, { ...FAST, ...hooks });
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { n: 3 });
  assert.equal(s.requests.length, 3);
  assert.equal(calls.retry.length, 2);
  assert.equal(calls.giveUp.length, 0);
  assert.deepEqual(calls.retry.map((i) => i.attempt), [1, 2]);
  for (const info of calls.retry) {
    assert.equal(info.classification.status, 503);
    assert.equal(info.decision.retry, true);
    assert.ok(info.decision.delayMs >= 0 && info.decision.delayMs <= 50, String(info.decision.delayMs));
    assert.ok(info.elapsedMs >= 0);
    assert.ok(!("error" in info));
  }
  assert.equal(timers(), 0, "no timer left behind");
});

test("a 409 is never retried: resolves with it after exactly 1 request", async (t) => {
  const s = await serve(t, (req, res) => reply(res, 409, { "content-type": "application/json" }, JSON.stringify({ errorCode: "127", errorMessage: "Backup Policy already exists" })));
  const { calls, ...hooks } = recorder();
  const response = await fetchWithRetry(s.url, { method: "POST", body: "{}" }, { ...FAST, vendor: "atlassian", ...hooks });
  assert.equal(response.status, 409);
  assert.equal((await response.json()).errorCode, "127", "the returned body is unread");
  assert.equal(s.requests.length, 1);
  assert.equal(calls.retry.length, 0);
  assert.equal(calls.giveUp.length, 1);
  assert.equal(tag(calls.giveUp[0].decision), "409-never");
  assert.equal(calls.giveUp[0].classification.code, "127");
  assert.equal(calls.giveUp[0].decision.earlierAttemptMayHaveSucceeded, false);
});

test("429 with Retry-After in seconds waits the server's second", async (t) => {
  const s = await serve(t, (req, res, n) => (n === 1 ? reply(res, 429, { "retry-after": "1" }) : reply(res, 200)));
  const { calls, ...hooks } = recorder();
  const response = await fetchWithRetry(s.url, undefined, { ...FAST, ...hooks });
  const waited = s.requests[1].at - s.requests[0].at;
  assert.equal(response.status, 200);
  assert.equal(s.requests.length, 2);
  assert.equal(calls.retry.length, 1);
  const [{ classification, decision }] = calls.retry;
  assert.equal(classification.retryAfterMs, 1000);
  // The planned wait is the server's second exactly: not FAST's backoff (≤ 50 ms), not more.
  assert.equal(tag(decision), "server-wait");
  assert.equal(decision.delayMs, 1000);
  assert.ok(waited >= 900, `waited ${waited} ms`);
});

test("429 with Retry-After as an HTTP-date waits until that date", async (t) => {
  let until = 0; // the date sent, in ms since the epoch (whole seconds: HTTP-dates have no ms)
  const s = await serve(t, (req, res, n) => {
    if (n > 1) return reply(res, 200);
    until = new Date(Date.now() + 2000).setUTCMilliseconds(0);
    reply(res, 429, { "retry-after": new Date(until).toUTCString() });
  });
  let retryWall = 0;
  const { calls, ...hooks } = recorder();
  const onRetry = (info) => {
    retryWall = Date.now();
    hooks.onRetry(info);
  };
  const response = await fetchWithRetry(s.url, undefined, { ...FAST, ...hooks, onRetry });
  const waited = s.requests[1].at - s.requests[0].at;
  assert.equal(response.status, 200);
  assert.equal(s.requests.length, 2);
  const { decision, classification } = calls.retry[0];
  assert.equal(tag(decision), "server-wait");
  assert.equal(decision.delayMs, classification.retryAfterMs);
  // The wait is the time left until the date when the client read the response: between
  // the date minus the moment the server got request 1 and the date minus the onRetry call.
  assert.ok(decision.delayMs <= until - s.requests[0].wall, `${decision.delayMs} ms planned, ${until - s.requests[0].wall} ms left when the server answered`);
  assert.ok(decision.delayMs >= until - retryWall, `${decision.delayMs} ms planned, ${until - retryWall} ms left at onRetry`);
  // …and the second request arrives once the date has passed (timers may round by a ms).
  assert.ok(s.requests[1].wall >= until - 5, `sent ${until - s.requests[1].wall} ms before the date`);
  assert.ok(waited >= 900, `waited ${waited} ms`);
});

test("429 with Retry-After: 3600 is not retried and the wait is reported unshortened", async (t) => {
  const s = await serve(t, (req, res) => reply(res, 429, { "retry-after": "3600" }));
  const { calls, ...hooks } = recorder();
  const response = await fetchWithRetry(s.url, undefined, { ...FAST, ...hooks });
  assert.equal(response.status, 429);
  assert.equal(s.requests.length, 1);
  assert.equal(calls.retry.length, 0);
  assert.equal(calls.giveUp.length, 1);
  const { decision } = calls.giveUp[0];
  assert.equal(decision.retry, false);
  assert.equal(tag(decision), "server-wait-too-long");
  assert.equal(decision.delayMs, 3_600_000);
});

test("aborting during a 60 s wait rejects with an AbortError at once", async (t) => {
  // A 200 after the wait: if the abort did not end the sleep, the call would resolve with it
  // after 60 s, after a second request.
  const s = await serve(t, (req, res, n) => (n === 1 ? reply(res, 503, { "retry-after": "60" }) : reply(res, 200)));
  const controller = new AbortController();
  const events = [];
  const onRetry = (info) => {
    events.push(`retry in ${info.decision.delayMs} ms`);
    // The executor starts its sleep right after onRetry returns; abort on the next turn.
    setImmediate(() => {
      events.push(`abort (sleep timers pending: ${timers() > 0})`);
      controller.abort();
    });
  };
  await assert.rejects(fetchWithRetry(s.url, undefined, { ...FAST, signal: controller.signal, onRetry }), (e) => {
    events.push(`rejected with ${e.name}`);
    return e.name === "AbortError";
  });
  assert.deepEqual(events, ["retry in 60000 ms", "abort (sleep timers pending: true)", "rejected with AbortError"]);
  assert.equal(s.requests.length, 1, "no second attempt");
  assert.equal(timers(), 0, "the sleep's timer is cleared");
});

test("init.signal aborts a fetch in flight with the signal's reason; an aborted signal sends nothing", async (t) => {
  const controller = new AbortController();
  const reason = new Error("user closed the page");
  const s = await serve(t, () => controller.abort(reason)); // never answers: aborts once the request is in
  await assert.rejects(fetchWithRetry(s.url, { signal: controller.signal }, FAST), (e) => e === reason);
  assert.equal(s.requests.length, 1);
  await assert.rejects(fetchWithRetry(s.url, undefined, { signal: AbortSignal.abort() }), (e) => e.name === "AbortError");
  assert.equal(s.requests.length, 1);
});

test("POST bodies (string, URLSearchParams, Blob, a Request) arrive identical on every attempt", async (t) => {
  const s = await serve(t, (req, res, n) => reply(res, n % 3 === 0 ? 201 : 503));
  const bodies = [
    ["string", "{\"policy\":\"daily\"}"],
    ["URLSearchParams", new URLSearchParams({ policy: "daily", keep: "7" })],
    ["Blob", new Blob(["binary\u0000payload"], { type: "application/octet-stream" })],
  ];
  for (const [name, body] of bodies) {
    const before = s.requests.length;
    const response = await fetchWithRetry(s.url, { method: "POST", body }, FAST);
    assert.equal(response.status, 201, name);
    const seen = s.requests.slice(before);
    assert.equal(seen.length, 3, name);
    const expected = typeof body === "string" ? body : body instanceof Blob ? await body.text() : body.toString();
    for (const r of seen) {
      assert.equal(r.method, "POST");
      assert.equal(r.body, expected, name);
    }
    assert.equal(new Set(seen.map((r) => r.headers["content-type"])).size, 1, `${name}: same content-type`);
  }
  const before = s.requests.length;
  const request = new Request(s.url, { method: "PUT", body: "from a Request", headers: { "x-trace": "1" } });
  const response = await fetchWithRetry(request, undefined, FAST);
  assert.equal(response.status, 201);
  const seen = s.requests.slice(before);
  assert.equal(seen.length, 3);
  for (const r of seen) {
    assert.equal(r.method, "PUT");
    assert.equal(r.body, "from a Request");
    assert.equal(r.headers["x-trace"], "1");
  }
  assert.equal(request.bodyUsed, false, "the caller's Request is cloned, never consumed");
});

test("401 + reauthenticate: the hook runs once and its Authorization header is sent", async (t) => {
  const s = await serve(t, (req, res) => reply(res, req.headers.authorization === "Bearer fresh" ? 200 : 401));
  let hookCalls = 0;
  const { calls, ...hooks } = recorder();
  const reauthenticate = async () => {
    hookCalls++;
    return { Authorization: "Bearer fresh" };
  };
  const response = await fetchWithRetry(s.url, { headers: { authorization: "Bearer stale", "x-keep": "yes" } }, { ...FAST, reauthenticate, ...hooks });
  assert.equal(response.status, 200);
  assert.equal(hookCalls, 1);
  assert.equal(s.requests.length, 2);
  assert.equal(s.requests[0].headers.authorization, "Bearer stale");
  assert.equal(s.requests[1].headers.authorization, "Bearer fresh");
  assert.equal(s.requests[1].headers["x-keep"], "yes", "the other headers stay");
  assert.equal(calls.retry.length, 1);
  assert.equal(calls.retry[0].decision.reauthenticate, true);
  assert.equal(calls.retry[0].decision.delayMs, 0);
});

test("401 twice: reauthenticate runs once, the second 401 stops", async (t) => {
  const s = await serve(t, (req, res) => reply(res, 401));
  let hookCalls = 0;
  const { calls, ...hooks } = recorder();
  const response = await fetchWithRetry(s.url, undefined, { ...FAST, reauthenticate: () => void hookCalls++, ...hooks });
  assert.equal(response.status, 401);
  assert.equal(hookCalls, 1);
  assert.equal(s.requests.length, 2);
  assert.equal(calls.giveUp.length, 1);
  assert.equal(calls.giveUp[0].decision.retry, false);
  assert.equal(tag(calls.giveUp[0].decision), "reauthenticate");
});

test("401 with no reauthenticate hook is not retried", async (t) => {
  const s = await serve(t, (req, res) => reply(res, 401));
  const { calls, ...hooks } = recorder();
  const response = await fetchWithRetry(s.url, undefined, { ...FAST, ...hooks });
  assert.equal(response.status, 401);
  assert.equal(s.requests.length, 1);
  assert.equal(calls.giveUp[0].classification.category, "unauthenticated");
  assert.match(calls.giveUp[0].decision.reason, /no reauthenticate hook/);
});

test("a ReadableStream body is sent once and the reason says why", async (t) => {
  const s = await serve(t, (req, res) => reply(res, 503));
  const { calls, ...hooks } = recorder();
  const body = new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode("streamed backup manifest"));
      controller.close();
    },
  });
  const budget = new RetryBudget();
  const response = await fetchWithRetry(s.url, { method: "POST", body, duplex: "half" }, { ...FAST, budget, ...hooks });
  assert.equal(response.status, 503);
  assert.equal(s.requests.length, 1);
  assert.equal(s.requests[0].body, "streamed backup manifest");
  assert.equal(calls.giveUp.length, 1);
  assert.ok(calls.giveUp[0].decision.reason.startsWith("stream-body: a ReadableStream body cannot be replayed"), calls.giveUp[0].decision.reason);
  assert.equal(calls.giveUp[0].decision.retry, false);
  assert.equal(budget.available, budget.capacity, "no token is spent on a retry that cannot happen");
});

test("a 502 then a 409 on a POST opted into retries: the earlier attempt may have succeeded", async (t) => {
  // By default the POST would not be re-sent after the 502 (retry-safety.test.mjs); opted in,
  // the 409 that follows is flagged.
  const s = await serve(t, sequence(502, 409));
  const { calls, ...hooks } = recorder();
  const response = await fetchWithRetry(s.url, { method: "POST", body: "{\"name\":\"nightly\"}" }, { ...FAST, nonIdempotent: "retry", ...hooks });
  assert.equal(response.status, 409);
  assert.equal(s.requests.length, 2);
  assert.equal(calls.giveUp.length, 1);
  assert.equal(calls.giveUp[0].decision.earlierAttemptMayHaveSucceeded, true);
  assert.equal(calls.giveUp[0].attempt, 2);
});

test("a network failure (closed port) is retried per policy, then rejects with the network error", async () => {
  const port = await new Promise((resolve) => {
    const probe = http.createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
  const { calls, ...hooks } = recorder();
  let error;
  await assert.rejects(
    fetchWithRetry(`http://127.0.0.1:${port}/`, undefined, { ...FAST, maxAttempts: 3, ...hooks }),
    (e) => {
      error = e;
      return e instanceof TypeError;
    },
  );
  assert.equal(calls.retry.length, 2);
  assert.equal(calls.giveUp.length, 1);
  for (const info of [...calls.retry, ...calls.giveUp]) {
    assert.equal(info.classification.status, 0);
    assert.equal(info.classification.category, "network");
  }
  assert.equal(calls.giveUp[0].error, error, "rejects with the last network error");
  assert.equal(tag(calls.giveUp[0].decision), "max-attempts");
});

test("timeoutMs aborts attempts that get no answer in time; they are classified timeout and retried", async (t) => {
  const clock = fakeClock(t);
  const attempts = recordingFetch(clock);
  // Requests 1 and 2 never get an answer; once the server has one, the clock moves to 1 ms
  // before its timeout (the attempt must still be open), then to the timeout (aborted).
  const open = [];
  const s = await serve(t, (req, res, n) => {
    if (n > 2) return reply(res, 200);
    const { signal } = attempts.sent[n - 1];
    clock.advance(99);
    open.push([`attempt ${n} at 99 ms`, signal.aborted]);
    clock.advance(1);
    open.push([`attempt ${n} at 100 ms`, signal.aborted]);
  });
  const { calls, ...hooks } = recorder();
  // No backoff (0 ms): the only timers are the attempts' own.
  const response = await fetchWithRetry(s.url, undefined, { baseDelayMs: 0, maxDelayMs: 0, seed: 1, timeoutMs: 100, fetch: attempts.fetch, ...hooks });
  assert.equal(response.status, 200);
  assert.equal(s.requests.length, 3);
  assert.deepEqual(open, [["attempt 1 at 99 ms", false], ["attempt 1 at 100 ms", true], ["attempt 2 at 99 ms", false], ["attempt 2 at 100 ms", true]]);
  assert.deepEqual(attempts.sent.map((a) => a.at), [0, 100, 200], "each attempt starts when the previous one timed out");
  assert.equal(calls.retry.length, 2);
  assert.deepEqual(calls.retry.map((i) => i.attempt), [1, 2]);
  for (const info of calls.retry) {
    assert.equal(info.classification.status, 0);
    assert.equal(info.classification.category, "timeout");
    assert.match(info.classification.summary, /timeoutMs \(100 ms\)/);
    assert.equal(info.error.name, "TimeoutError");
    assert.equal(info.decision.retry, true);
  }
  assert.equal(calls.giveUp.length, 0);
  // The answered attempt's timer is cleared: moving the clock far past it aborts nothing.
  clock.advance(10_000);
  assert.equal(attempts.sent[2].signal.aborted, false, "the answered attempt's timeout was cleared");
});

test("timeoutMs: when every attempt times out, rejects with the TimeoutError", async (t) => {
  const clock = fakeClock(t);
  const attempts = recordingFetch(clock);
  const s = await serve(t, () => clock.advance(50)); // never answers; times out once the request is in
  const { calls, ...hooks } = recorder();
  await assert.rejects(fetchWithRetry(s.url, undefined, { maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 0, seed: 1, timeoutMs: 50, fetch: attempts.fetch, ...hooks }), (e) => e.name === "TimeoutError");
  assert.equal(s.requests.length, 2);
  assert.deepEqual(attempts.sent.map((a) => [a.at, a.signal.aborted]), [[0, true], [50, true]]);
  assert.deepEqual(calls.retry.map((i) => i.classification.category), ["timeout"]);
  assert.equal(calls.giveUp.length, 1);
  assert.equal(calls.giveUp[0].classification.category, "timeout");
  assert.equal(calls.giveUp[0].error.name, "TimeoutError");
  assert.equal(tag(calls.giveUp[0].decision), "max-attempts");
});

test("Acronis preset: 500s get exactly 3 requests, 1-2 s apart", async (t) => {
  const s = await serve(t, (req, res) => reply(res, 500, { "content-type": "application/json" }, JSON.stringify({ error: { code: 500, message: "Internal error", domain: "PlatformError" } })));
  const clock = fakeClock(t);
  const attempts = recordingFetch(clock);
  const { calls, ...hooks } = recorder();
  // After each onRetry the executor sleeps on the fake clock: move it to 1 ms before the
  // planned delay (no new attempt may start), then to the delay (the next attempt starts).
  // Were it still asleep, the clock jumps an hour so that the call ends and the test fails.
  const started = [];
  const onRetry = (info) => {
    hooks.onRetry(info);
    setImmediate(async () => {
      const before = attempts.sent.length;
      clock.advance(info.decision.delayMs - 1);
      await turn();
      const early = attempts.sent.length > before;
      clock.advance(1);
      await turn();
      const onTime = attempts.sent.length > before;
      started.push({ early, onTime });
      if (!onTime) clock.advance(3_600_000);
    });
  };
  const response = await fetchWithRetry(s.url, undefined, { vendor: "acronis", seed: 1, fetch: attempts.fetch, ...hooks, onRetry });
  assert.equal(response.status, 500);
  assert.equal(s.requests.length, 3);
  assert.equal(calls.retry.length, 2);
  const delays = calls.retry.map((i) => i.decision.delayMs);
  for (const [i, delay] of delays.entries()) {
    assert.ok(delay >= 1000 && delay <= 2000, `delay ${i + 1}: ${delay} ms`);
    assert.match(calls.retry[i].decision.reason, /Acronis preset/);
  }
  assert.deepEqual(started, [{ early: false, onTime: true }, { early: false, onTime: true }], "each attempt starts when its delay runs out, not before");
  assert.deepEqual(attempts.sent.map((a) => a.at), [0, delays[0], delays[0] + delays[1]]);
  assert.equal(calls.giveUp.length, 1);
  assert.equal(tag(calls.giveUp[0].decision), "max-attempts");
});

test("a server that is down for 200 calls sharing one RetryBudget", async (t) => {
  const s = await serve(t, (req, res) => reply(res, 503));
  const budget = new RetryBudget();
  const calls = 200;
  const maxAttempts = 4;
  for (let i = 0; i < calls; i++) {
    const response = await fetchWithRetry(s.url, undefined, { maxAttempts, baseDelayMs: 0, maxDelayMs: 0, seed: i, budget });
    assert.equal(response.status, 503);
    await response.arrayBuffer();
  }
  const total = s.requests.length;
  console.log(`[budget] ${calls} calls to a down server, maxAttempts ${maxAttempts}: the server saw ${total} requests (without a budget: ${calls * maxAttempts}); tokens left: ${budget.available} of ${budget.capacity}`);
  assert.ok(total < (calls * maxAttempts) / 2, String(total));
  assert.equal(total, calls + budget.capacity / 5, "500 tokens at 5 per retry: 100 retries in all");
  assert.equal(budget.available, 0);
});

test("options.policy is reused and stays usable; a 2xx refunds the budget", async (t) => {
  const s = await serve(t, sequence(503, 200));
  const policy = new RetryPolicy(FAST);
  const budget = new RetryBudget({ capacity: 20 });
  assert.equal((await fetchWithRetry(s.url, undefined, { policy, budget })).status, 200);
  assert.equal(budget.available, 20, "the retry's 5 tokens come back on success");
  assert.equal((await fetchWithRetry(s.url, undefined, { policy })).status, 200);
  assert.equal(policy.schedule(classify({ status: 503 }), 2).length, 2, "not freed by the executor");
  policy.free();
});

test("a hook's exception ends the call with it", async (t) => {
  const s = await serve(t, sequence(503, 200));
  const boom = new Error("logger down");
  await assert.rejects(fetchWithRetry(s.url, undefined, { ...FAST, onRetry: () => { throw boom; } }), (e) => e === boom);
  assert.equal(s.requests.length, 1);
});

test("3xx responses (redirect: manual, a 304) are final as they are, not failures", async (t) => {
  const s = await serve(t, (req, res, n) => (n === 1 ? reply(res, 302, { location: "/elsewhere" }) : reply(res, 304)));
  const { calls, ...hooks } = recorder();
  assert.equal((await fetchWithRetry(s.url, { redirect: "manual" }, { ...FAST, ...hooks })).status, 302);
  assert.equal((await fetchWithRetry(s.url, { headers: { "if-none-match": "\"v1\"" } }, { ...FAST, ...hooks })).status, 304);
  assert.equal(s.requests.length, 2);
  assert.equal(calls.retry.length + calls.giveUp.length, 0);
});

test("options.fetch is used; a Response.error() it resolves counts as no response", async () => {
  const seen = [];
  const fakeFetch = async (input, init) => {
    seen.push([String(input), init.signal instanceof AbortSignal]);
    return seen.length === 1 ? Response.error() : new Response("done", { status: 200 });
  };
  const { calls, ...hooks } = recorder();
  const response = await fetchWithRetry("https://vspc.example/api/v3/jobs", undefined, { ...FAST, fetch: fakeFetch, ...hooks });
  assert.equal(await response.text(), "done");
  assert.deepEqual(seen, [["https://vspc.example/api/v3/jobs", true], ["https://vspc.example/api/v3/jobs", true]]);
  assert.equal(calls.retry[0].classification.category, "network");
});

test("bad arguments throw BackupErrorsError with a stable code", async () => {
  const code = async (promise) => {
    try {
      await promise;
    } catch (e) {
      assert.ok(e instanceof Error);
      assert.equal(e.name, "BackupErrorsError", e.message);
      return e.code;
    }
    assert.fail("did not reject");
  };
  const url = "http://127.0.0.1:9/";
  const cases = [
    [fetchWithRetry(url, undefined, "fast"), "ERR_INVALID_ARGUMENT"],
    [fetchWithRetry(url, undefined, { onRetry: "log" }), "ERR_INVALID_ARGUMENT"],
    [fetchWithRetry(url, undefined, { onGiveUp: 1 }), "ERR_INVALID_ARGUMENT"],
    [fetchWithRetry(url, undefined, { reauthenticate: {} }), "ERR_INVALID_ARGUMENT"],
    [fetchWithRetry(url, undefined, { fetch: "node-fetch" }), "ERR_INVALID_ARGUMENT"],
    [fetchWithRetry(url, undefined, { timeoutMs: 0 }), "ERR_INVALID_ARGUMENT"],
    [fetchWithRetry(url, undefined, { timeoutMs: -5 }), "ERR_INVALID_ARGUMENT"],
    [fetchWithRetry(url, undefined, { timeoutMs: Infinity }), "ERR_INVALID_ARGUMENT"],
    [fetchWithRetry(url, undefined, { timeoutMs: "100" }), "ERR_INVALID_ARGUMENT"],
    [fetchWithRetry(url, undefined, { budget: { capacity: 5 } }), "ERR_INVALID_ARGUMENT"],
    [fetchWithRetry(url, undefined, { policy: { maxAttempts: 2 } }), "ERR_INVALID_ARGUMENT"],
    [fetchWithRetry(url, undefined, { signal: "stop" }), "ERR_INVALID_ARGUMENT"],
    [fetchWithRetry(url, undefined, { policy: new RetryPolicy(), maxAttempts: 2 }), "ERR_INVALID_ARGUMENT"],
    [fetchWithRetry(url, undefined, { vendor: "oracle" }), "ERR_UNKNOWN_VENDOR"],
    [fetchWithRetry(url, undefined, { maxAttemps: 2 }), "ERR_INVALID_OPTION"],
    [fetchWithRetry(url, undefined, { maxAttempts: 0 }), "ERR_INVALID_OPTION"],
    [fetchWithRetry(url, "POST"), "ERR_INVALID_ARGUMENT"],
    [retry("not a function"), "ERR_INVALID_ARGUMENT"],
    [retry(async () => 1, { method: 1 }), "ERR_INVALID_ARGUMENT"],
    [retry(async () => 1, { toInput: "axios" }), "ERR_INVALID_ARGUMENT"],
    [retry(async () => 1, { timeoutMs: 100 }), "ERR_INVALID_OPTION"],
  ];
  for (const [promise, expected] of cases) assert.equal(await code(promise), expected);
});

// ── retry ───────────────────────────────────────────────────────────────────────────────

const httpError = (message, fields) => Object.assign(new Error(message), fields);

test("retry: axios-like errors are retried, then the result is returned", async () => {
  const { calls, ...hooks } = recorder();
  let n = 0;
  const result = await retry(async () => {
    n++;
    if (n < 3) throw httpError("Request failed with status code 503", { isAxiosError: true, response: { status: 503, headers: { "content-type": "application/json" }, data: { errors: [{ message: "busy", type: "transport" }] } } });
    return { data: "backup list" };
  }, { ...FAST, ...hooks });
  assert.deepEqual(result, { data: "backup list" });
  assert.equal(n, 3);
  assert.equal(calls.retry.length, 2);
  assert.equal(calls.retry[0].classification.status, 503);
  assert.equal(calls.retry[0].error.message, "Request failed with status code 503");
});

test("retry: a TypeError is a bug, not retried: fn runs once", async () => {
  const { calls, ...hooks } = recorder();
  let n = 0;
  const bug = new TypeError("Cannot read properties of undefined (reading 'id')");
  await assert.rejects(retry(async () => {
    n++;
    throw bug;
  }, { ...FAST, ...hooks }), (e) => e === bug);
  assert.equal(n, 1);
  assert.equal(calls.retry.length + calls.giveUp.length, 0);
});

test("retry: got-like 429 with retry-after 0 is retried", async () => {
  const { calls, ...hooks } = recorder();
  let n = 0;
  const result = await retry(async () => {
    if (++n === 1) throw httpError("Response code 429 (Too Many Requests)", { name: "HTTPError", response: { statusCode: 429, headers: { "retry-after": "0" }, body: "" } });
    return "ok";
  }, { ...FAST, ...hooks });
  assert.equal(result, "ok");
  assert.equal(n, 2);
  assert.equal(calls.retry[0].classification.status, 429);
  assert.equal(calls.retry[0].classification.category, "rate_limited");
  assert.equal(calls.retry[0].classification.retryAfterMs, 0);
});

test("retry: AWS SDK v3-like $metadata.httpStatusCode 500 is retried, then rejects with the last error", async () => {
  const { calls, ...hooks } = recorder();
  let n = 0;
  const errors = [];
  await assert.rejects(retry(async () => {
    n++;
    const e = httpError("InternalError", { name: "InternalError", $fault: "server", $metadata: { httpStatusCode: 500, attempts: 1 } });
    errors.push(e);
    throw e;
  }, { ...FAST, maxAttempts: 3, ...hooks }), (e) => e === errors.at(-1));
  assert.equal(n, 3);
  assert.equal(calls.giveUp.length, 1);
  assert.equal(calls.giveUp[0].classification.status, 500);
  assert.equal(tag(calls.giveUp[0].decision), "max-attempts");
});

test("retry: Node network codes classify as network and are retried", async () => {
  const { calls, ...hooks } = recorder();
  let n = 0;
  const result = await retry(async () => {
    if (++n === 1) throw new TypeError("fetch failed", { cause: Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }) });
    if (n === 2) throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    return n;
  }, { ...FAST, ...hooks });
  assert.equal(result, 3);
  assert.deepEqual(calls.retry.map((i) => i.classification.category), ["network", "network"]);
});

test("retry: ky-like HTTPError (a fetch Response) is read; an AbortError of fn's own is not retried", async () => {
  const { calls, ...hooks } = recorder();
  let n = 0;
  const result = await retry(async () => {
    if (++n === 1) throw httpError("Request failed with status code 520", { name: "HTTPError", response: new Response(JSON.stringify({ errors: [{ message: "Try again", type: "transport", code: 520 }] }), { status: 520 }) });
    return n;
  }, { ...FAST, vendor: "veeam", ...hooks });
  assert.equal(result, 2);
  assert.equal(calls.retry[0].classification.status, 520);
  assert.equal(calls.retry[0].classification.message, "Try again");

  let m = 0;
  await assert.rejects(retry(async () => {
    m++;
    const own = new AbortController();
    own.abort();
    throw own.signal.reason;
  }, FAST), (e) => e.name === "AbortError");
  assert.equal(m, 1);
});

test("retry: a custom toInput adapter", async () => {
  let n = 0;
  const seen = [];
  const result = await retry(async () => ({ ok: ++n >= 3, code: 503, n }), {
    ...FAST,
    toInput: (outcome) => {
      seen.push(outcome);
      return outcome.result && !outcome.result.ok ? { status: outcome.result.code, headers: { "retry-after": "0" } } : null;
    },
  });
  assert.deepEqual(result, { ok: true, code: 503, n: 3 });
  assert.equal(seen.length, 3);
  assert.ok(seen.every((o) => "result" in o && !("error" in o)));
});

test("retry: toInput's status follows fetchWithRetry's failure rule; a status that is none is refused", async () => {
  // 1xx, 2xx and 3xx are final: the result is returned, no hook runs.
  for (const status of [101, 204, 302]) {
    const { calls, ...hooks } = recorder();
    assert.equal(await retry(async () => "done", { ...FAST, ...hooks, toInput: () => ({ status }) }), "done", String(status));
    assert.equal(calls.retry.length + calls.giveUp.length, 0, String(status));
  }
  // Not a status at all: the module refuses it, the call rejects with that error.
  for (const status of ["503", -1, Number.NaN, undefined]) {
    await assert.rejects(retry(async () => "done", { ...FAST, toInput: () => ({ status }) }), { name: "BackupErrorsError", code: "ERR_INVALID_STATUS" }, String(status));
  }
});

test("retry: fn receives (attempt, signal) with attempt 1, 2, 3", async () => {
  const seen = [];
  await retry(async (attempt, signal) => {
    seen.push([attempt, signal instanceof AbortSignal, signal.aborted]);
    if (attempt < 3) throw httpError("down", { status: 502 });
    return attempt;
  }, FAST);
  assert.deepEqual(seen, [[1, true, false], [2, true, false], [3, true, false]]);
});

test("retry: a failed Response result is classified and returned after giving up", async () => {
  const { calls, ...hooks } = recorder();
  let n = 0;
  const response = await retry(async () => {
    n++;
    return new Response(JSON.stringify({ error: { code: "serviceNotAvailable", message: "Service unavailable" } }), { status: 503, headers: { "retry-after": "0" } });
  }, { ...FAST, maxAttempts: 2, vendor: "microsoft365", ...hooks });
  assert.equal(response.status, 503);
  assert.equal(n, 2);
  assert.equal(calls.giveUp[0].classification.code, "serviceNotAvailable");
  assert.equal((await response.json()).error.code, "serviceNotAvailable", "the returned Response is unread");
});

test("retry: aborting rejects at once, even if fn ignores the signal", async () => {
  const controller = new AbortController();
  const events = [];
  let fnDone;
  const fnSettled = new Promise((resolve) => (fnDone = resolve));
  // fn ignores its signal: it resolves one event-loop turn after the abort, whatever happens.
  const fn = () =>
    new Promise((resolve) => {
      events.push("fn started");
      setImmediate(() => {
        events.push("abort");
        controller.abort();
        setImmediate(() => {
          events.push("fn resolves");
          resolve("too late");
          fnDone();
        });
      });
    });
  const call = retry(fn, { ...FAST, signal: controller.signal }).then(
    (value) => events.push(`resolved with ${value}`),
    (e) => events.push(`rejected with ${e.name}`),
  );
  await Promise.all([call, fnSettled]);
  assert.deepEqual(events, ["fn started", "abort", "rejected with AbortError", "fn resolves"]);
});

test("retry: 401 with reauthenticate calls the hook once, then fn again", async () => {
  let hookCalls = 0;
  let token = "stale";
  const result = await retry(async (attempt) => {
    if (token !== "fresh") throw httpError("Unauthorized", { response: { status: 401, headers: {}, data: null } });
    return attempt;
  }, { ...FAST, reauthenticate: async () => {
    hookCalls++;
    token = "fresh";
  } });
  assert.equal(result, 2);
  assert.equal(hookCalls, 1);
});

test("retry: method feeds the POST rules (nonIdempotent: safe-only)", async () => {
  let n = 0;
  const { calls, ...hooks } = recorder();
  await assert.rejects(retry(async () => {
    n++;
    throw httpError("Bad Gateway", { status: 502 });
  }, { ...FAST, method: "post", nonIdempotent: "safe-only", ...hooks }));
  assert.equal(n, 1);
  assert.equal(tag(calls.giveUp[0].decision), "non-idempotent");
});
