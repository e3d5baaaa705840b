// The executors (fetchWithRetry, retry) of the packed tarball, against a real node:http
// server on 127.0.0.1 (port 0, loopback only). Delays are small and seeded so the file runs
// in a few seconds; every loop is bounded and every server is closed.
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { fetchWithRetry, retry, RetryBudget, RetryPolicy, classify } from "backup-errors";

const FAST = { baseDelayMs: 10, maxDelayMs: 50, seed: 1 };

/** A loopback server; `handler(req, res, n, entry)` answers request number n (1-based). */
async function serve(t, handler) {
  const requests = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const entry = { method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: performance.now() };
      requests.push(entry);
      handler(req, res, requests.length, entry);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}/backups`;
  t.after(() => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  return { url, requests };
}

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
  const started = performance.now();
  const response = await fetchWithRetry(s.url, undefined, FAST);
  const waited = s.requests[1].at - s.requests[0].at;
  assert.equal(response.status, 200);
  assert.equal(s.requests.length, 2);
  assert.ok(waited >= 900, `waited ${waited} ms`);
  assert.ok(performance.now() - started < 3000);
});

test("429 with Retry-After as an HTTP-date waits until that date", async (t) => {
  const s = await serve(t, (req, res, n) => (n === 1 ? reply(res, 429, { "retry-after": new Date(Date.now() + 2000).toUTCString() }) : reply(res, 200)));
  const { calls, ...hooks } = recorder();
  const response = await fetchWithRetry(s.url, undefined, { ...FAST, ...hooks });
  const waited = s.requests[1].at - s.requests[0].at;
  assert.equal(response.status, 200);
  assert.equal(s.requests.length, 2);
  assert.ok(waited >= 900 && waited < 2500, `waited ${waited} ms`);
  assert.equal(tag(calls.retry[0].decision), "server-wait");
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

test("aborting during a 1 s wait rejects with an AbortError at once", async (t) => {
  const s = await serve(t, (req, res) => reply(res, 503, { "retry-after": "1" }));
  const controller = new AbortController();
  let abortedAt = 0;
  const onRetry = (info) => {
    assert.equal(info.decision.delayMs, 1000);
    setTimeout(() => {
      abortedAt = performance.now();
      controller.abort();
    }, 50);
  };
  await assert.rejects(fetchWithRetry(s.url, undefined, { ...FAST, signal: controller.signal, onRetry }), (e) => e.name === "AbortError");
  const late = performance.now() - abortedAt;
  assert.ok(late < 200, `rejected ${late} ms after the abort`);
  assert.equal(s.requests.length, 1);
  assert.equal(timers(), 0, "the sleep's timer is cleared");
});

test("init.signal aborts a fetch in flight with the signal's reason; an aborted signal sends nothing", async (t) => {
  const s = await serve(t, () => {}); // never answers
  const controller = new AbortController();
  const reason = new Error("user closed the page");
  setTimeout(() => controller.abort(reason), 50);
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

test("a 502 then a 409 on POST: the earlier attempt may have succeeded", async (t) => {
  const s = await serve(t, sequence(502, 409));
  const { calls, ...hooks } = recorder();
  const response = await fetchWithRetry(s.url, { method: "POST", body: "{\"name\":\"nightly\"}" }, { ...FAST, ...hooks });
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
  const s = await serve(t, (req, res, n) => (n <= 2 ? undefined : reply(res, 200))); // 1 and 2 never answer
  const { calls, ...hooks } = recorder();
  const started = performance.now();
  const response = await fetchWithRetry(s.url, undefined, { ...FAST, timeoutMs: 100, ...hooks });
  assert.equal(response.status, 200);
  assert.equal(s.requests.length, 3);
  assert.equal(calls.retry.length, 2);
  for (const info of calls.retry) {
    assert.equal(info.classification.status, 0);
    assert.equal(info.classification.category, "timeout");
    assert.equal(info.error.name, "TimeoutError");
  }
  assert.ok(performance.now() - started < 1000);
  assert.equal(timers(), 0, "the attempt timers are cleared");
});

test("timeoutMs: when every attempt times out, rejects with the TimeoutError", async (t) => {
  const s = await serve(t, () => {});
  await assert.rejects(fetchWithRetry(s.url, undefined, { ...FAST, maxAttempts: 2, timeoutMs: 50 }), (e) => e.name === "TimeoutError");
  assert.equal(s.requests.length, 2);
});

test("Acronis preset: 500s get exactly 3 requests, 1-2 s apart", async (t) => {
  const s = await serve(t, (req, res) => reply(res, 500, { "content-type": "application/json" }, JSON.stringify({ error: { code: 500, message: "Internal error", domain: "PlatformError" } })));
  const { calls, ...hooks } = recorder();
  const response = await fetchWithRetry(s.url, undefined, { vendor: "acronis", seed: 1, ...hooks });
  assert.equal(response.status, 500);
  assert.equal(s.requests.length, 3);
  for (let i = 1; i < 3; i++) {
    const gap = s.requests[i].at - s.requests[i - 1].at;
    assert.ok(gap >= 950 && gap <= 2300, `gap ${i}: ${gap} ms`);
  }
  assert.match(calls.retry[0].decision.reason, /Acronis preset/);
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
  let release;
  const hanging = new Promise((resolve) => (release = resolve));
  setTimeout(() => controller.abort(), 30);
  const started = performance.now();
  await assert.rejects(retry(() => hanging, { ...FAST, signal: controller.signal }), (e) => e.name === "AbortError");
  assert.ok(performance.now() - started < 500);
  release();
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
