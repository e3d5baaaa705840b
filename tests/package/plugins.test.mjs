// The client plug-ins (backup-errors/axios, /ky, /got) with the real clients, installed in the
// consumer app next to the tarball (scripts/test.mjs), against a node:http server on
// 127.0.0.1. Every scenario runs for each client; the clients are driven the way a user
// would (an axios instance with attach(), ky.extend(kyRetry()), got.extend(gotRetry())).
//
// No assertion bounds wall-clock time from above as a speed limit: the tests check counts,
// order and the delays the policy planned (onRetry info). Lower bounds on a real server
// wait stay, and the abort test checks the call ended before the server's 30 s wait would
// have (a wait that was not cut short could not end sooner).
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { createRequire } from "node:module";
import axios from "axios";
import ky from "ky";
import got from "got";
import { attach } from "backup-errors/axios";
import { kyRetry } from "backup-errors/ky";
import { gotRetry } from "backup-errors/got";
import { RetryBudget, attachAxios, kyRetry as kyRetryMain, gotRetry as gotRetryMain } from "backup-errors";
import { cutOffFirstBody, serve } from "./support/loopback.mjs";

const VEEAM_BUSY = '{"errors":[{"message":"busy","type":"retryablelogical","code":4002}]}';
const FAST = { baseDelayMs: 10, maxDelayMs: 20, seed: 1 };

/** Answers request n with `steps[n - 1]` (the last one repeated): `[status, headers?, body?]`. */
const steps = (...list) => (req, res, n) => {
  const [status, headers = {}, body = ""] = list[Math.min(n, list.length) - 1];
  res.writeHead(status, headers);
  res.end(body);
};

function recorder(extra = {}) {
  const calls = { retry: [], giveUp: [] };
  return { calls, options: { onRetry: (info) => calls.retry.push(info), onGiveUp: (info) => calls.giveUp.push(info), ...extra } };
}

const tag = (decision) => decision.reason.split(":")[0];

/** Reports what happened in the TAP output (`# …`): attempts, planned waits, observed gaps, the last reason. */
function summary(t, requests, calls) {
  const planned = calls.retry.map((info) => info.decision.delayMs);
  const observed = requests.slice(1).map((r, i) => Math.round(r.at - requests[i].at));
  const last = calls.giveUp[0] ?? calls.retry.at(-1);
  t.diagnostic(`attempts ${requests.length}; planned waits ${JSON.stringify(planned)} ms; observed gaps ${JSON.stringify(observed)} ms${last ? `; ${calls.giveUp.length ? "gave up" : "last retry"}: ${tag(last.decision)}` : ""}`);
}

/**
 * Each client, as a user sets it up: `send(url, { method, headers, signal }, options)` makes
 * one request with the plug-in's `options` and resolves `{ status }` or rejects with the
 * client's own error; `status(error)` reads the HTTP status from that error.
 */
const clients = [
  {
    name: "axios",
    async send(url, { method = "GET", headers, signal, data } = {}, options) {
      const instance = axios.create();
      const detach = attach(instance, options);
      try {
        const response = await instance.request({ url, method, headers, signal, data });
        return { status: response.status, data: response.data };
      } finally {
        detach();
      }
    },
    status: (error) => error.response?.status,
  },
  {
    name: "ky",
    async send(url, { method = "GET", headers, signal, data } = {}, options) {
      const api = ky.extend(kyRetry(options));
      const response = await api(url, { method, headers, signal, body: data });
      return { status: response.status, data: await response.text() };
    },
    status: (error) => error.response?.status,
  },
  {
    name: "got",
    async send(url, { method = "GET", headers, signal, data } = {}, options) {
      const client = got.extend(gotRetry(options));
      const response = await client(url, { method, headers, signal, body: data });
      return { status: response.statusCode, data: response.body };
    },
    status: (error) => error.response?.statusCode,
  },
];

test("the subpath entries are the main entry's plug-ins (one module instance), also for require()", () => {
  assert.equal(attach, attachAxios);
  assert.equal(kyRetry, kyRetryMain);
  assert.equal(gotRetry, gotRetryMain);
  const require = createRequire(import.meta.url);
  const cjs = require("backup-errors");
  assert.equal(require("backup-errors/axios").attach, cjs.attachAxios);
  assert.equal(require("backup-errors/ky").kyRetry, cjs.kyRetry);
  assert.equal(require("backup-errors/got").gotRetry, cjs.gotRetry);
  // A budget of the require() instance is accepted by its plug-ins.
  assert.doesNotThrow(() => require("backup-errors/ky").kyRetry({ budget: new cjs.RetryBudget() }));
});

test("bad options throw when the plug-in is attached, not at the first failure", () => {
  assert.throws(() => attach(undefined), { name: "BackupErrorsError", code: "ERR_INVALID_ARGUMENT" });
  assert.throws(() => attach(axios.create(), { maxAttemps: 3 }), { name: "BackupErrorsError", code: "ERR_INVALID_OPTION" });
  assert.throws(() => kyRetry({ onRetry: 1 }), { name: "BackupErrorsError", code: "ERR_INVALID_ARGUMENT" });
  assert.throws(() => gotRetry({ jitter: "random" }), { name: "BackupErrorsError", code: "ERR_INVALID_OPTION" });
});

for (const client of clients) {
  test(`${client.name}: a 503 with Retry-After: 1 is retried after the server's wait`, async (t) => {
    const { url, requests } = await serve(t, steps([503, { "retry-after": "1" }], [200, {}, "ok"]));
    const { calls, options } = recorder({ seed: 1 });
    const result = await client.send(url, {}, options);
    assert.equal(result.status, 200);
    assert.equal(requests.length, 2);
    assert.equal(calls.retry.length, 1);
    assert.equal(calls.retry[0].decision.delayMs, 1000);
    assert.equal(tag(calls.retry[0].decision), "server-wait");
    assert.equal(calls.giveUp.length, 0);
    const gap = requests[1].at - requests[0].at;
    assert.ok(gap >= 900, `the second request came ${gap} ms after the first`);
    summary(t, requests, calls);
  });

  test(`${client.name}: a 409 is sent once`, async (t) => {
    const { url, requests } = await serve(t, steps([409, { "content-type": "application/json" }, '{"message":"exists"}'], [200]));
    const { calls, options } = recorder(FAST);
    await assert.rejects(client.send(url, { method: "PUT" }, options), (error) => client.status(error) === 409);
    assert.equal(requests.length, 1);
    assert.equal(calls.retry.length, 0);
    assert.equal(calls.giveUp.length, 1);
    assert.equal(tag(calls.giveUp[0].decision), "409-never");
    summary(t, requests, calls);
  });

  test(`${client.name}: a Veeam busy 520 is retried on the busy schedule`, async (t) => {
    const { url, requests } = await serve(t, steps([520, { "content-type": "application/json" }, VEEAM_BUSY], [200, {}, "ok"]));
    const { calls, options } = recorder({ ...FAST, busy: { baseDelayMs: 10, maxDelayMs: 20 } });
    const result = await client.send(url, {}, options);
    assert.equal(result.status, 200);
    assert.equal(requests.length, 2);
    assert.equal(calls.retry.length, 1);
    assert.equal(calls.retry[0].classification.vendor, "veeam");
    assert.equal(calls.retry[0].classification.category, "busy");
    assert.equal(tag(calls.retry[0].decision), "busy-schedule");
    assert.ok(calls.retry[0].decision.delayMs >= 5 && calls.retry[0].decision.delayMs <= 20);
    summary(t, requests, calls);
  });

  test(`${client.name}: a POST that ends in a 500 is sent once (it may have started the job)`, async (t) => {
    const { url, requests } = await serve(t, steps([500], [200]));
    const { calls, options } = recorder(FAST);
    await assert.rejects(client.send(url, { method: "POST", data: '{"job":1}' }, options), (error) => client.status(error) === 500);
    assert.equal(requests.length, 1);
    assert.equal(calls.giveUp.length, 1);
    assert.equal(tag(calls.giveUp[0].decision), "non-idempotent");
    assert.equal(calls.giveUp[0].method, "POST");
    summary(t, requests, calls);
  });

  test(`${client.name}: the same POST with an Idempotency-Key is retried`, async (t) => {
    const { url, requests } = await serve(t, steps([500], [201, {}, "created"]));
    const { calls, options } = recorder(FAST);
    const result = await client.send(url, { method: "POST", data: '{"job":1}', headers: { "Idempotency-Key": "k-1" } }, options);
    assert.equal(result.status, 201);
    assert.equal(requests.length, 2);
    assert.deepEqual(requests.map((r) => [r.method, r.body, r.headers["idempotency-key"]]), [
      ["POST", '{"job":1}', "k-1"],
      ["POST", '{"job":1}', "k-1"],
    ]);
    assert.equal(tag(calls.retry[0].decision), "5xx-backoff");
    summary(t, requests, calls);
  });

  test(`${client.name}: a 401 calls reauthenticate once and the next request carries its headers`, async (t) => {
    const { url, requests } = await serve(t, (req, res) => {
      res.writeHead(req.headers.authorization === "Bearer new" ? 200 : 401);
      res.end();
    });
    let reauthenticated = 0;
    const { calls, options } = recorder({
      ...FAST,
      reauthenticate: async () => {
        reauthenticated++;
        return { Authorization: "Bearer new" };
      },
    });
    const result = await client.send(url, { headers: { Authorization: "Bearer old" } }, options);
    assert.equal(result.status, 200);
    assert.equal(reauthenticated, 1);
    assert.deepEqual(requests.map((r) => r.headers.authorization), ["Bearer old", "Bearer new"]);
    assert.equal(calls.retry[0].decision.reauthenticate, true);
    summary(t, requests, calls);
  });

  test(`${client.name}: an abort during the server's wait ends the call at once`, async (t) => {
    const { url, requests } = await serve(t, steps([503, { "retry-after": "30" }], [200]));
    const controller = new AbortController();
    const { calls, options } = recorder();
    options.onRetry = (info) => {
      calls.retry.push(info);
      setImmediate(() => controller.abort());
    };
    const started = performance.now();
    await assert.rejects(client.send(url, { signal: controller.signal }, options), (error) => error.name === "AbortError");
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 30_000, `the call ended after ${elapsed} ms, past the 30 s wait`);
    assert.equal(calls.retry[0].decision.delayMs, 30_000);
    assert.equal(requests.length, 1);
    assert.equal(calls.giveUp.length, 0);
    t.diagnostic(`aborted ${Math.round(elapsed)} ms after the call began, during the planned 30000 ms wait`);
    summary(t, requests, calls);
  });

  test(`${client.name}: the plug-in's own signal aborts a wait too`, async (t) => {
    const { url, requests } = await serve(t, steps([503, { "retry-after": "30" }], [200]));
    const controller = new AbortController();
    const { options } = recorder({ signal: controller.signal, onRetry: () => setImmediate(() => controller.abort()) });
    const started = performance.now();
    // got wraps an exception of its calculateDelay hook: the abort is the RequestError's cause.
    await assert.rejects(client.send(url, {}, options), (error) => error.name === "AbortError" || (client.name === "got" && error.cause?.name === "AbortError"));
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 30_000, `the call ended after ${elapsed} ms, past the 30 s wait`);
    assert.equal(requests.length, 1);
    t.diagnostic(`aborted ${Math.round(elapsed)} ms after the call began, during the planned 30000 ms wait`);
  });

  test(`${client.name}: shouldRetry false vetoes the policy's retry`, async (t) => {
    const { url, requests } = await serve(t, steps([503], [200]));
    const { calls, options } = recorder({ ...FAST, shouldRetry: () => false });
    await assert.rejects(client.send(url, {}, options), (error) => client.status(error) === 503);
    assert.equal(requests.length, 1);
    assert.equal(tag(calls.giveUp[0].decision), "caller-veto");
    summary(t, requests, calls);
  });

  test(`${client.name}: a RetryBudget from the main entry is shared and enforced`, async (t) => {
    const { url, requests } = await serve(t, steps([503]));
    const budget = new RetryBudget({ capacity: 10, retryCost: 10 });
    const first = recorder({ ...FAST, maxAttempts: 2, budget });
    await assert.rejects(client.send(url, {}, first.options), (error) => client.status(error) === 503);
    assert.equal(tag(first.calls.giveUp[0].decision), "max-attempts");
    assert.equal(budget.available, 0); // its one retry spent the budget; a failure refunds nothing
    const second = recorder({ ...FAST, budget });
    await assert.rejects(client.send(url, {}, second.options), (error) => client.status(error) === 503);
    assert.equal(tag(second.calls.giveUp[0].decision), "budget");
    assert.equal(requests.length, 3);
    budget.free();
    summary(t, requests, { retry: [...first.calls.retry, ...second.calls.retry], giveUp: second.calls.giveUp });
  });

  test(`${client.name}: a success after a retry refunds the budget (the call is finished)`, async (t) => {
    const { url, requests } = await serve(t, steps([503], [200]));
    const budget = new RetryBudget({ capacity: 10, retryCost: 5 });
    const { calls, options } = recorder({ ...FAST, budget });
    assert.equal((await client.send(url, {}, options)).status, 200);
    assert.equal(requests.length, 2);
    assert.equal(calls.retry.length, 1);
    assert.equal(budget.available, 10); // 5 spent on the retry, refunded by the success
    budget.free();
    summary(t, requests, calls);
  });
}

test("axios: detach() removes the interceptors (a later 503 is not retried)", async (t) => {
  const { url, requests } = await serve(t, steps([503], [200], [503]));
  const instance = axios.create();
  const { calls, options } = recorder(FAST);
  const detach = attach(instance, options);
  assert.equal((await instance.get(url)).status, 200);
  assert.equal(requests.length, 2);
  detach();
  detach(); // twice is harmless
  await assert.rejects(instance.get(url), (error) => error.response?.status === 503);
  assert.equal(requests.length, 3);
  assert.equal(calls.retry.length, 1);
});

test("axios: response interceptors added after attach() apply once to the final response", async (t) => {
  const { url } = await serve(t, steps([503], [200, { "content-type": "application/json" }, '{"id":"job-1"}']));
  const instance = axios.create();
  attach(instance, FAST);
  instance.interceptors.response.use((response) => response.data);
  assert.deepEqual(await instance.get(url), { id: "job-1" });
});

test("got: a connection reset in the middle of a body is a lost connection, retried for a GET", async (t) => {
  const { url, requests } = await serve(t, cutOffFirstBody);
  const { calls, options } = recorder(FAST);
  const response = await got.extend(gotRetry(options))(url);
  assert.equal(response.body, "ok");
  assert.equal(requests.length, 2);
  assert.equal(calls.retry[0].classification.category, "network");
});

test("ky: what ky 1.9 ends before its retry hooks still reaches the call and onGiveUp", async (t) => {
  const { url, requests } = await serve(t, steps([413], [503], [200]));
  const { calls, options } = recorder(FAST);
  const api = ky.extend(kyRetry(options));
  // A 413 without a server wait: ky throws it at once; the policy stops there too.
  await assert.rejects(api(url, { method: "PUT" }), (error) => error.response?.status === 413);
  assert.equal(tag(calls.giveUp[0].decision), "not-retryable");
  // throwHttpErrors: false: ky returns a failed response instead of retrying it.
  const response = await api(url, { throwHttpErrors: false });
  assert.equal(response.status, 503);
  assert.equal(calls.giveUp.length, 2);
  assert.match(calls.giveUp[1].decision.reason, /^client-final: /);
  assert.equal(calls.giveUp[1].decision.retry, false);
  assert.equal(requests.length, 2);
  assert.equal(calls.retry.length, 0);
});

test("axios: a timeout (ECONNABORTED) is a timed-out attempt, retried for a GET", async (t) => {
  const { url, requests } = await serve(t, (req, res, n) => {
    if (n === 1) return; // never answers: axios' timeout ends the attempt
    res.end("ok");
  });
  const { calls, options } = recorder(FAST);
  const instance = axios.create({ timeout: 200 });
  attach(instance, options);
  const response = await instance.get(url);
  assert.equal(response.data, "ok");
  assert.equal(requests.length, 2);
  assert.equal(calls.retry[0].classification.category, "timeout");
  assert.equal(calls.retry[0].error.code, "ECONNABORTED");
});

test("each client: a refused connection is retried up to maxAttempts, then the network error is thrown", async (t) => {
  // A port that was just free: nothing listens on it.
  const probe = http.createServer();
  await new Promise((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${probe.address().port}/backups`;
  await new Promise((resolve) => probe.close(resolve));
  // got 14 on Node 24.20 or later: the second attempt's refusal reaches got as Node's
  // ERR_SOCKET_CLOSED_BEFORE_CONNECTION, which got rejects with at once, without asking its
  // retry loop (got issue #2469, from nodejs/node#64847); docs/plugins.md says so.
  const [major, minor] = process.versions.node.split(".").map(Number);
  const gotCutShort = major > 24 || (major === 24 && minor >= 20);
  for (const client of clients) {
    const { calls, options } = recorder({ ...FAST, maxAttempts: 3 });
    if (client.name === "got" && gotCutShort) {
      await assert.rejects(client.send(url, { method: "POST" }, options), { code: "ERR_SOCKET_CLOSED_BEFORE_CONNECTION" });
      assert.equal(calls.retry.length, 1, client.name);
      assert.equal(calls.retry[0].classification.processed, "no", client.name);
      continue;
    }
    await assert.rejects(client.send(url, { method: "POST" }, options));
    assert.equal(calls.retry.length, 2, client.name);
    assert.equal(calls.retry[0].classification.category, "network", client.name);
    assert.equal(calls.retry[0].classification.processed, "no", client.name); // not sent: a POST may go again
    assert.equal(tag(calls.giveUp[0].decision), "max-attempts", client.name);
  }
});
