// Never start a backup twice: the retry-safety rules through the packed tarball, against a
// real node:http server on 127.0.0.1 that starts a "backup job" per accepted request and
// counts them. Also the caller's say (`shouldRetry`), requests that cannot be sent (the
// caller's bug, rethrown at once), endless error bodies and the deadline of a running
// attempt. No assertion bounds wall-clock time from above: the tests check counts, order and
// decisions.
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { fetchWithRetry, retry, RetryBudget } from "backup-errors";
import { serve } from "./support/loopback.mjs";

const FAST = { baseDelayMs: 5, maxDelayMs: 20, seed: 1 };
const BUSY = JSON.stringify({ errorCode: "140", errorMessage: "Export Already in Progress" });

/**
 * A backup API: `POST` starts a job unless one is running. The first job's request is
 * answered 500 although the job did start (the failure this package exists for); while a job
 * runs, another start is answered "export already in progress" (Atlassian 400, code 140);
 * a request repeating an `Idempotency-Key` gets the job it started (202), starting nothing.
 */
async function backupApi(t) {
  const jobs = [];
  const byKey = new Map();
  const s = await serve(t, (req, res) => {
    const key = req.headers["idempotency-key"];
    if (key && byKey.has(key)) return reply(res, 202, { "content-type": "application/json" }, JSON.stringify(byKey.get(key)));
    if (jobs.length > 0) return reply(res, 400, { "content-type": "application/json" }, BUSY);
    const job = { id: `job-${jobs.length + 1}` };
    jobs.push(job);
    if (key) byKey.set(key, job);
    reply(res, 500, { "content-type": "application/json" }, JSON.stringify({ errorCode: "500", errorMessage: "Internal error" }));
  });
  return { ...s, jobs };
}

function reply(res, status, headers = {}, body = "") {
  res.writeHead(status, headers);
  res.end(body);
}

function recorder() {
  const calls = { retry: [], giveUp: [] };
  return { calls, onRetry: (info) => calls.retry.push(info), onGiveUp: (info) => calls.giveUp.push(info) };
}

const tag = (decision) => decision.reason.split(":")[0];

/** A loopback port nobody listens on. */
async function closedPort() {
  const server = http.createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// ── A start-job POST that failed after starting ─────────────────────────────────────────

test("default options: a start-job POST answered 500 after starting is sent once", async (t) => {
  const api = await backupApi(t);
  const { calls, ...hooks } = recorder();
  const response = await fetchWithRetry(api.url, { method: "POST", body: "{}" }, { ...FAST, ...hooks });
  assert.equal(response.status, 500);
  assert.equal(api.requests.length, 1);
  assert.equal(api.jobs.length, 1, "one job, never a second");
  assert.equal(calls.retry.length, 0);
  const [info] = calls.giveUp;
  assert.equal(tag(info.decision), "non-idempotent");
  assert.match(info.decision.reason, /may have processed it/);
  assert.equal(info.classification.processed, "maybe");
  assert.equal(info.method, "POST");
});

test("opted into retries: the busy answer after the 500 stops with earlierAttemptMayHaveSucceeded", async (t) => {
  const api = await backupApi(t);
  const { calls, ...hooks } = recorder();
  const response = await fetchWithRetry(api.url, { method: "POST", body: "{}" }, { ...FAST, nonIdempotent: "retry", ...hooks });
  assert.equal(response.status, 400);
  assert.equal(api.requests.length, 2, "the 500 was re-sent once, as asked");
  assert.equal(api.jobs.length, 1, "the busy answer was not waited out into a second job");
  assert.match(calls.retry[0].decision.reason, /Warning: POST is not idempotent/);
  const [info] = calls.giveUp;
  assert.equal(tag(info.decision), "busy-after-ambiguous");
  assert.equal(info.decision.earlierAttemptMayHaveSucceeded, true);
  assert.match(info.decision.reason, /read the job's state/);
  assert.equal(info.classification.category, "busy");
});

test("with an Idempotency-Key the POST is retried, and the server recognises the repeat", async (t) => {
  const api = await backupApi(t);
  const { calls, ...hooks } = recorder();
  const response = await fetchWithRetry(api.url, { method: "POST", body: "{}", headers: { "Idempotency-Key": "start-42" } }, { ...FAST, ...hooks });
  assert.equal(response.status, 202);
  assert.deepEqual(await response.json(), { id: "job-1" });
  assert.equal(api.requests.length, 2);
  assert.equal(api.jobs.length, 1);
  assert.equal(calls.retry.length, 1);
  assert.equal(tag(calls.retry[0].decision), "5xx-backoff");
});

test("a PUT keeps the 5xx backoff; a POST answered 503 or 429 was not processed and is re-sent", async (t) => {
  const s = await serve(t, (req, res, n) => (n === 1 ? reply(res, 500) : n === 2 ? reply(res, 503) : n === 3 ? reply(res, 429, { "retry-after": "0" }) : reply(res, 200)));
  const put = await fetchWithRetry(s.url, { method: "PUT", body: "x" }, { ...FAST, maxAttempts: 2 });
  assert.equal(put.status, 503);
  const { calls, ...hooks } = recorder();
  const post = await fetchWithRetry(s.url, { method: "POST", body: "x" }, { ...FAST, ...hooks });
  assert.equal(post.status, 200);
  assert.deepEqual(calls.retry.map((i) => i.classification.processed), ["no"]);
  assert.equal(s.requests.length, 4);
});

// ── The caller's say ────────────────────────────────────────────────────────────────────

test("shouldRetry: false vetoes a retry the policy would make", async (t) => {
  const s = await serve(t, (req, res) => reply(res, 503));
  const asked = [];
  const { calls, ...hooks } = recorder();
  const response = await fetchWithRetry(s.url, undefined, { ...FAST, ...hooks, shouldRetry: (info) => (asked.push(info), false) });
  assert.equal(response.status, 503);
  assert.equal(s.requests.length, 1);
  assert.equal(asked.length, 1);
  assert.equal(asked[0].decision.retry, true, "the hook sees the policy's proposal");
  assert.equal(asked[0].method, "GET");
  assert.equal(tag(calls.giveUp[0].decision), "caller-veto");
});

test("shouldRetry: true allows a retry the policy refused, within maxAttempts", async (t) => {
  const s = await serve(t, (req, res) => reply(res, 500));
  const { calls, ...hooks } = recorder();
  const response = await fetchWithRetry(s.url, { method: "POST", body: "{}" }, { ...FAST, maxAttempts: 3, ...hooks, shouldRetry: () => true });
  assert.equal(response.status, 500);
  assert.equal(s.requests.length, 3);
  assert.deepEqual(calls.retry.map((i) => tag(i.decision)), ["caller-retry", "caller-retry"]);
  assert.match(calls.retry[0].decision.reason, /The policy had said: non-idempotent/);
  assert.equal(tag(calls.giveUp[0].decision), "max-attempts");
});

test("shouldRetry: true is bounded by the budget, and never re-sends a 409", async (t) => {
  const s = await serve(t, (req, res) => reply(res, 500));
  const budget = new RetryBudget({ capacity: 5, retryCost: 5 });
  const { calls, ...hooks } = recorder();
  await fetchWithRetry(s.url, { method: "POST" }, { ...FAST, budget, ...hooks, shouldRetry: () => true });
  assert.equal(s.requests.length, 2, "one override paid 5 tokens; the next found none");
  assert.equal(tag(calls.giveUp[0].decision), "budget");
  assert.equal(budget.available, 0);

  const conflict = await serve(t, (req, res) => reply(res, 409));
  const { calls: again, ...againHooks } = recorder();
  const response = await fetchWithRetry(conflict.url, { method: "POST" }, { ...FAST, ...againHooks, shouldRetry: () => true });
  assert.equal(response.status, 409);
  assert.equal(conflict.requests.length, 1);
  assert.equal(tag(again.giveUp[0].decision), "409-never");
  assert.match(again.giveUp[0].decision.reason, /shouldRetry returned true, but a 409 is never sent again/);
  budget.free();
});

test("shouldRetry returning something else than true, false or undefined is a bad call", async (t) => {
  const s = await serve(t, (req, res) => reply(res, 503));
  await assert.rejects(fetchWithRetry(s.url, undefined, { ...FAST, shouldRetry: () => "yes" }), (e) => e.name === "BackupErrorsError" && e.code === "ERR_INVALID_ARGUMENT");
  assert.equal(s.requests.length, 1);
});

// ── Requests that cannot be sent, connections that fail ─────────────────────────────────

test("a request that cannot be sent is rethrown at once, unretried and uncharged", async (t) => {
  const s = await serve(t, (req, res) => reply(res, 200));
  const budget = new RetryBudget({ capacity: 50 });
  const bad = [
    ["not a url", undefined],
    [s.url, { method: "GET", body: "x" }],
    [s.url, { headers: { "x-bad": "a\nb" } }],
    ["ftp://127.0.0.1/x", undefined],
  ];
  for (const [input, init] of bad) {
    let fetches = 0;
    const { calls, ...hooks } = recorder();
    const counted = (i, o) => (fetches++, fetch(i, o));
    await assert.rejects(fetchWithRetry(input, init, { ...FAST, budget, fetch: counted, ...hooks }), (e) => e instanceof TypeError, String(input));
    assert.ok(fetches <= 1, `${input}: fetched ${fetches} times`);
    assert.equal(calls.retry.length + calls.giveUp.length, 0, String(input));
  }
  assert.equal(s.requests.length, 0);
  assert.equal(budget.available, 50);
  budget.free();
});

test("a refused connection was not sent: a POST is retried; a reset after sending is not", async (t) => {
  const port = await closedPort();
  const { calls: refused, ...refusedHooks } = recorder();
  await assert.rejects(fetchWithRetry(`http://127.0.0.1:${port}/jobs`, { method: "POST" }, { ...FAST, maxAttempts: 2, ...refusedHooks }), (e) => e instanceof TypeError);
  assert.equal(refused.retry.length, 1);
  assert.equal(refused.retry[0].classification.processed, "no");
  assert.equal(refused.retry[0].classification.category, "network");

  const s = await serve(t, (req) => req.socket.destroy()); // the request arrived; no answer
  const { calls: lost, ...lostHooks } = recorder();
  await assert.rejects(fetchWithRetry(s.url, { method: "POST", body: "{}" }, { ...FAST, ...lostHooks }), (e) => e instanceof TypeError);
  assert.equal(s.requests.length, 1);
  assert.equal(tag(lost.giveUp[0].decision), "non-idempotent");
  assert.equal(lost.giveUp[0].classification.processed, "maybe");
  await assert.rejects(fetchWithRetry(s.url, undefined, { ...FAST, maxAttempts: 2 }));
  assert.equal(s.requests.length, 3, "a GET is retried after the same failure");
});

// ── Endless bodies and the deadline ─────────────────────────────────────────────────────

test("an endless error body is classified on its first bytes and the rest is cancelled", async (t) => {
  const closed = [];
  const s = await serve(t, (req, res, n) => {
    if (n > 1) return reply(res, 200, {}, "done");
    res.writeHead(503, { "content-type": "application/json", "retry-after": "0" });
    res.write(JSON.stringify({ errors: [{ message: "Management agent is busy.", type: "retryablelogical", code: 4002 }] }));
    const spaces = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (res.write(spaces));
    };
    res.on("drain", pump);
    res.on("close", () => closed.push(s.requests.length));
    pump();
  });
  const { calls, ...hooks } = recorder();
  const response = await fetchWithRetry(s.url, undefined, { ...FAST, maxErrorBodyBytes: 256 * 1024, ...hooks });
  assert.equal(response.status, 200);
  assert.equal(await response.text(), "done");
  assert.equal(calls.retry.length, 1);
  assert.equal(calls.retry[0].classification.vendor, "veeam", "the prefix was classified");
  assert.equal(calls.retry[0].classification.code, "4002");
  assert.deepEqual(closed.slice(0, 1), [1], "the endless response was closed before the next request");
});

test("the deadline bounds the attempt that is running", async (t) => {
  const s = await serve(t, () => {}); // never answers
  const { calls, ...hooks } = recorder();
  await assert.rejects(
    fetchWithRetry(s.url, undefined, { deadlineMs: 300, timeoutMs: 60_000, ...hooks }),
    (e) => e.name === "TimeoutError" && /deadline/.test(e.message),
  );
  assert.equal(s.requests.length, 1);
  assert.equal(tag(calls.giveUp[0].decision), "deadline");
  assert.equal(calls.giveUp[0].classification.category, "timeout");
});

// ── retry(): the method from the client's error ─────────────────────────────────────────

/** got's ReadError: the connection reset while the body of a 200 was being read. */
const gotReadError = (method) => Object.assign(new Error("read ECONNRESET"), { name: "ReadError", code: "ECONNRESET", options: { method }, response: { statusCode: 200, headers: {}, body: "" } });

test("retry(): got's ECONNRESET in the middle of a body is a lost connection, not a success", async () => {
  let calls = 0;
  const value = await retry(async (attempt) => {
    calls++;
    if (attempt === 1) throw gotReadError("GET");
    return "whole body";
  }, FAST);
  assert.equal(value, "whole body");
  assert.equal(calls, 2);

  let posts = 0;
  const giveUp = [];
  await assert.rejects(retry(async () => (posts++, Promise.reject(gotReadError("POST"))), { ...FAST, onGiveUp: (i) => giveUp.push(i) }), (e) => e.code === "ECONNRESET");
  assert.equal(posts, 1);
  assert.equal(tag(giveUp[0].decision), "non-idempotent");
  assert.equal(giveUp[0].method, "POST", "read from the got error");
});

test("retry(): an axios POST 502 is sent once; with an Idempotency-Key header it is retried", async () => {
  const axiosError = (headers) => Object.assign(new Error("Request failed with status code 502"), { isAxiosError: true, config: { method: "post", headers }, response: { status: 502, headers: {}, data: "" } });
  let n = 0;
  await assert.rejects(retry(async () => (n++, Promise.reject(axiosError({}))), FAST), /502/);
  assert.equal(n, 1);
  let keyed = 0;
  const result = await retry(async () => (++keyed < 3 ? Promise.reject(axiosError({ "Idempotency-Key": "k" })) : "started"), FAST);
  assert.equal(result, "started");
  assert.equal(keyed, 3);
});
