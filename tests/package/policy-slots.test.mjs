// Policies kept in the module: a decision crosses as the policy's slot and a few numbers, and
// the slots are a cache of the blocks the JS objects keep. More live policies than slots, a
// module that traps and is replaced, a million policies made and dropped: every policy still
// decides as a twin made from the same options does, and memory stays bounded.
import { test } from "node:test";
import assert from "node:assert/strict";
import { classify, retry, RetryPolicy, __testing } from "backup-errors";

const c503 = classify({ status: 503 });
const c429 = classify({ status: 429, headers: { "retry-after": "2" } });
const busy = classify({ status: 520, body: '{"errors":[{"message":"busy","type":"retryablelogical","code":4002}]}' });

/** The decisions of attempts 1–3 for each classification, as data. */
function decisions(policy) {
  const out = [];
  for (const c of [c503, c429, busy]) {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const d = policy.decide(c, { attempt, elapsedMs: attempt * 100, method: attempt === 2 ? "PUT" : undefined });
      out.push([d.retry, d.delayMs, d.rule, d.reason]);
    }
  }
  return out;
}

/** Options that differ from one policy to the next (seed, attempts, delays). */
const optionsOf = (i) => ({ seed: i, maxAttempts: 2 + (i % 5), baseDelayMs: 10 + i, maxDelayMs: 10_000 + i });

test("more live policies than the module keeps each decide as a twin made from the same options does", () => {
  const n = 600; // the module keeps 256
  const policies = Array.from({ length: n }, (_, i) => new RetryPolicy(optionsOf(i)));
  // In turn, so each one's slot has been taken by others before it decides again.
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < n; i += 7) {
      const twin = new RetryPolicy(optionsOf(i));
      if (round === 1) decisions(twin); // the twin advances its generator as the policy did in round 0
      assert.deepEqual(decisions(policies[i]), decisions(twin), `policy ${i}, round ${round}`);
    }
  }
  assert.equal(policies[3].resolvedOptions().maxAttempts, optionsOf(3).maxAttempts);
});

test("after a trap the fresh instance serves every live policy, generator state included", () => {
  const a = new RetryPolicy({ seed: 42, maxAttempts: 6 });
  const twin = new RetryPolicy({ seed: 42, maxAttempts: 6 });
  assert.deepEqual(decisions(a), decisions(twin));
  assert.throws(() => __testing.forceTrap(), (e) => e.code === "ERR_INTERNAL");
  // The same next decisions as the twin, which never saw the trap's instance.
  assert.deepEqual(decisions(a), decisions(twin));
  const d = a.decide(c503, { attempt: 5, elapsedMs: 0 });
  assert.equal(d.rule, "5xx-backoff");
  assert.equal(d.params.maxAttempts, 6);
});

test("a million policies made and dropped leave the module's memory as it was", () => {
  const keep = new RetryPolicy({ seed: 7 });
  const twin = new RetryPolicy({ seed: 7 });
  keep.decide(c503, { attempt: 1, elapsedMs: 0 });
  twin.decide(c503, { attempt: 1, elapsedMs: 0 });
  const before = __testing.memoryBytes();
  let retried = 0;
  for (let i = 0; i < 1_000_000; i++) {
    const p = new RetryPolicy({ seed: i, maxAttempts: 2 + (i % 7) });
    if (i % 1000 === 0 && p.decide(c503, { attempt: 1, elapsedMs: 0 }).retry) retried++;
  }
  assert.equal(retried, 1000);
  assert.equal(__testing.memoryBytes(), before);
  // The policy made before them all still decides as its twin.
  assert.deepEqual(decisions(keep), decisions(twin));
});

test("an executor's call goes on when its policy's slot is taken between attempts", async () => {
  /** The delays `retry` waits, for a policy with `seed`, while `churn` policies are made per attempt. */
  async function delays(churn) {
    const policy = new RetryPolicy({ seed: 11, maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 });
    const seen = [];
    let n = 0;
    await assert.rejects(
      retry(
        async () => {
          for (let k = 0; k < churn; k++) new RetryPolicy({ seed: k });
          n++;
          throw Object.assign(new Error("busy"), { status: 503 });
        },
        { policy, onRetry: ({ decision }) => seen.push([decision.rule, decision.delayMs]) },
      ),
    );
    return { seen, n };
  }
  const quiet = await delays(0);
  const churned = await delays(600);
  assert.equal(quiet.n, 4);
  assert.deepEqual(churned, quiet);
  assert.deepEqual(quiet.seen.map(([rule]) => rule), ["5xx-backoff", "5xx-backoff", "5xx-backoff"]);
});
