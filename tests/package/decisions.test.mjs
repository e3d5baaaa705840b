// Decisions as data: every rule a decision can name, produced through the public API, with
// its `rule` and `params`; the `reason` sentence starts with the rule and uses the params'
// values. Programs branch on `rule`, never on the text.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import ky from "ky";
import { classify, fetchWithRetry, retry, RetryBudget, RetryPolicy } from "backup-errors";
import { kyRetry } from "backup-errors/ky";
import { serve } from "./support/loopback.mjs";
import { icuSentence } from "./support/messages.mjs";

const VEEAM_BUSY = '{"errors":[{"message":"busy","type":"retryablelogical","code":4002}]}';
const HUAWEI_NO_SYSTEM_DISK = { error_code: "CSBS.8009", error_msg: "no system disk" };
const FAST = { baseDelayMs: 1, maxDelayMs: 2, seed: 1 };

const decide = (input, context = {}, options = { seed: 1 }) =>
  new RetryPolicy(options).decide(classify(input), { attempt: 1, elapsedMs: 0, ...context });

/** The decision `retry(fn)` gave up (or retried) with, for outcomes `fn` returns in turn. */
async function lastDecision(outcomes, options) {
  let last = null;
  const record = ({ decision }) => (last = decision);
  let n = 0;
  await retry(async () => outcomes[Math.min(n++, outcomes.length - 1)](), { ...FAST, ...options, onRetry: record, onGiveUp: record }).catch(() => {});
  return last;
}

const response = (status, headers = {}, body = null) => () => new Response(body, { status, headers });

/** The rule and params of each decision, and what the sentence must contain. */
const cases = [
  ["ok", () => decide({ status: 200 }), { status: 200 }],
  ["409-never", () => decide({ status: 409 }), {}],
  ["reauthenticate", () => decide({ status: 401 }), { status: 401 }],
  ["vendor-permanent", () => decide({ status: 500, body: HUAWEI_NO_SYSTEM_DISK }), { vendor: "huawei", code: "CSBS.8009", status: 500, category: "unsupported" }],
  ["not-retryable", () => decide({ status: 400 }), { status: 400, category: "invalid_request", action: "fix_request" }],
  ["busy-after-ambiguous", () => decide({ status: 520, body: VEEAM_BUSY }, { method: "POST", earlierAmbiguousFailure: true }), { method: "POST", status: 520, category: "busy" }],
  ["non-idempotent", () => decide({ status: 500 }, { method: "POST" }), { method: "POST", status: 500, category: "server_error" }],
  ["max-attempts", () => decide({ status: 503 }, { attempt: 2 }, { seed: 1, maxAttempts: 2 }), { attempt: 2, maxAttempts: 2, schedule: "main", status: 503 }],
  ["server-wait-too-long", () => decide({ status: 429, headers: { "retry-after": "3600" } }), { serverWaitMs: 3_600_000, maxRetryAfterMs: 60_000 }],
  ["server-wait", () => decide({ status: 429, headers: { "retry-after": "3" } }), { status: 429, serverWaitMs: 3000, nextAttempt: 2 }],
  ["busy-schedule", () => decide({ status: 520, body: VEEAM_BUSY }), { status: 520, nextAttempt: 2 }],
  ["5xx-backoff", () => decide({ status: 503 }), { status: 503, delayMs: 783, source: "backoff", jitter: "equal", nextAttempt: 2, maxAttempts: 4 }],
  ["backoff", () => decide({ status: 408 }), { status: 408, category: "timeout", nextAttempt: 2 }],
  ["deadline", () => decide({ status: 503 }, { elapsedMs: 9_999 }, { seed: 1, deadlineMs: 10_000 }), { elapsedMs: 9_999, deadlineMs: 10_000 }],
  ["budget", () => lastDecision([response(503)], { budget: new RetryBudget({ capacity: 5, retryCost: 5 }) }), { tokensLeft: 0, capacity: 5, cost: 5, overruled: "5xx-backoff" }],
  ["caller-veto", () => lastDecision([response(503)], { shouldRetry: () => false }), { overruled: "5xx-backoff" }],
  ["caller-retry", () => lastDecision([response(400), () => "ok"], { shouldRetry: () => true }), { nextAttempt: 2 }],
];

/** Params that are keys: the words the English sentence says for them. */
const SAID = {
  schedule: { main: "(maxAttempts)", busy: "busy schedule", preset: "vendor preset" },
  source: { backoff: "exponential backoff" },
  jitter: { equal: "equal jitter", full: "full jitter" },
};

for (const [rule, make, params] of cases) {
  test(`rule ${rule}: the decision names it, with its params, and the reason is their sentence`, async () => {
    const d = await make();
    assert.ok(d, "a decision was made");
    assert.equal(d.rule, rule, d.reason);
    assert.ok(d.reason.startsWith(`${rule}:`), d.reason);
    for (const [name, value] of Object.entries(params)) {
      assert.equal(d.params[name], value, `params.${name} in ${JSON.stringify(d.params)}`);
      const shown = SAID[name]?.[value] ?? String(value);
      if (name !== "overruled" && name !== "status") assert.ok(d.reason.includes(shown), `the reason says ${name} ${value} as "${shown}": ${d.reason}`);
    }
    for (const value of Object.values(d.params)) assert.ok(typeof value === "number" || typeof value === "string", JSON.stringify(d.params));
    // Plain data: it survives JSON.
    assert.deepEqual(JSON.parse(JSON.stringify(d)), d);
    // The sentence is its message with its params, as a real ICU MessageFormat makes it.
    assert.equal(icuSentence(d.reasonId, d.params), d.reason);
  });
}

test("rule stream-body: a body that cannot be sent again, with the rule it overruled", async (t) => {
  const { url } = await serve(t, (req, res) => res.writeHead(503).end());
  let gaveUp = null;
  const body = (async function* () { yield "start"; })();
  await fetchWithRetry(url, { method: "POST", body, duplex: "half" }, { ...FAST, idempotent: true, onGiveUp: ({ decision }) => (gaveUp = decision) });
  assert.equal(gaveUp.rule, "stream-body");
  assert.equal(gaveUp.params.overruled, "5xx-backoff");
  assert.equal(icuSentence(gaveUp.reasonId, gaveUp.params), gaveUp.reason);
});

test("rule client-final: ky ends the call itself; the rule the policy gave is kept as overruled", async (t) => {
  const { url } = await serve(t, (req, res) => res.writeHead(503).end());
  let gaveUp = null;
  const api = ky.extend(kyRetry({ ...FAST, onGiveUp: ({ decision }) => (gaveUp = decision) }));
  const r = await api(url, { throwHttpErrors: false });
  assert.equal(r.status, 503);
  assert.equal(gaveUp.rule, "client-final");
  assert.equal(gaveUp.params.overruled, "5xx-backoff");
  assert.equal(icuSentence(gaveUp.reasonId, gaveUp.params), gaveUp.reason);
});

test("schedule() and plan() carry rule and params on every attempt", () => {
  const policy = new RetryPolicy({ seed: 1 });
  const schedule = policy.schedule(classify({ status: 503 }), 5);
  assert.deepEqual(schedule.map((d) => d.rule), ["5xx-backoff", "5xx-backoff", "5xx-backoff", "max-attempts"]);
  assert.deepEqual(schedule.map((d) => d.params.nextAttempt ?? d.params.attempt), [2, 3, 4, 4]);
  const plan = policy.plan(classify({ status: 429, headers: { "retry-after": "3" } }), 2);
  assert.deepEqual(plan.attempts.map((a) => [a.rule, a.params.serverWaitMs]), [["server-wait", 3000], ["server-wait", 3000]]);
});

test("decisions, classifications and catalog entries have exactly the fields their interfaces declare", () => {
  const require = createRequire(import.meta.url);
  const types = readFileSync(join(dirname(require.resolve("backup-errors/package.json")), "index.d.ts"), "utf8");
  /** The field names of `export interface <name> … { … }` (one level: fields are one per line). */
  const fields = (name) => {
    const body = new RegExp(`export interface ${name}\\b[^{]*\\{([\\s\\S]*?)\\n\\}`).exec(types)[1];
    return [...body.matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1]).sort();
  };
  const c = classify({ status: 520, body: VEEAM_BUSY });
  const d = new RetryPolicy({ seed: 1 }).decide(c, { attempt: 1 });
  assert.deepEqual(Object.keys(d).sort(), fields("RetryDecision"));
  assert.deepEqual(Object.keys(c).sort(), fields("Classification"));
  const item = classify({ status: 200, body: '{"value":[{"error":{"code":"QuotaExceeded","message":"full"}}]}', vendor: "microsoft365" }).items[0];
  assert.deepEqual(Object.keys(item).sort(), fields("ItemError"));
});
