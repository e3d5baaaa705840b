// The retry-safety side of the public types: processed, items, shouldRetry, plans.
import { classify, exitCode, fetchWithRetry, retry, RetryPolicy } from "backup-errors";
import type { Classification, Processed, RetryInfo, RetryPlan, ResolvedRetryOptions, VendorPreset, ItemError } from "backup-errors";

const c: Classification = classify({ status: 500, method: "POST" });
const processed: Processed = c.processed;
const item: ItemError | undefined = c.items[0];
const itemWait: number | null | undefined = item?.retryAfterMs;
const itemStatus: number | null | undefined = item?.status;
const itemRetryable: boolean | undefined = item?.retryable;
const code: 0 | 10 | 11 | 12 | 13 = exitCode(c);

const policy = new RetryPolicy({ nonIdempotent: "safe-only" });
const plan: RetryPlan = policy.plan(c, { attempts: 5, method: "POST", idempotent: true });
const band: [number | null, number | null] = [plan.attempts[0].minDelayMs, plan.attempts[0].maxDelayMs];
const kind: "main" | "busy" | "preset" = plan.schedule.kind;
const resolved: ResolvedRetryOptions = policy.resolvedOptions();
const deadline: number = resolved.deadlineMs;
const presets: VendorPreset[] = RetryPolicy.presets();
const schedule = policy.schedule(c, { method: "PUT" });
const decided = policy.decide(c, { attempt: 1, elapsedMs: 0, method: "POST", idempotent: true, earlierAmbiguousFailure: false });

async function main(): Promise<void> {
  const response = await fetchWithRetry("https://vspc.example/api/v3/jobs/1/start", { method: "POST", headers: { "Idempotency-Key": "k1" } }, {
    shouldRetry: (info: RetryInfo) => (info.classification.status === 503 ? true : undefined),
    maxErrorBodyBytes: 65_536,
    idempotent: true,
  });
  const n = await retry(async () => 1, { method: "POST", shouldRetry: async ({ decision, method }) => (method === "POST" ? false : decision.retry) });
  void [response, n];
}
void [processed, itemWait, itemStatus, itemRetryable, code, band, kind, deadline, presets, schedule, decided, main];
