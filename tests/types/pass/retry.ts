// The retry side of the public types, used the way a console or a Node script would.
import { classify, RetryPolicy, RetryBudget, fetchWithRetry, retry } from "backup-errors";
import type { RetryDecision, RetryOptions, RetryInfo, FetchWithRetryOptions, BackupErrorsError } from "backup-errors";

const options: RetryOptions = { maxAttempts: 5, jitter: "full", seed: 42, busy: { maxAttempts: 3 }, nonIdempotent: "safe-only" };
const policy = new RetryPolicy(options);
const d: RetryDecision = policy.decide(classify({ status: 503 }), { attempt: 1, elapsedMs: 0 });
const delays: number[] = policy.schedule(classify({ status: 429 }), 5).map((x) => x.delayMs);
const stop: boolean = d.retry && !d.earlierAttemptMayHaveSucceeded;
policy.free();

const budget = new RetryBudget({ capacity: 100 });
const left: number = budget.available;

const fetchOptions: FetchWithRetryOptions = {
  vendor: "veeam",
  maxAttempts: 3,
  budget,
  timeoutMs: 10_000,
  signal: new AbortController().signal,
  onRetry: (info: RetryInfo) => console.log(info.attempt, info.decision.delayMs, info.classification.category),
  onGiveUp: (info) => console.log(info.decision.reason),
  reauthenticate: async () => ({ Authorization: "Bearer new" }),
};

async function main(): Promise<void> {
  const response: Response = await fetchWithRetry("https://vspc.example/api/v3/jobs", { method: "POST", body: "{}" }, fetchOptions);
  const n: number = await retry(async (attempt: number, signal: AbortSignal) => (signal.aborted ? 0 : attempt), { maxAttempts: 2 });
  const text: string = await retry(async () => "ok", { toInput: ({ error }) => (error ? { status: 0 } : null) });
  void [response, n, text];
}

function handle(e: unknown): string | undefined {
  const err = e as BackupErrorsError;
  return err.code === "ERR_INVALID_OPTION" ? err.message : undefined;
}
void [d, delays, stop, left, main, handle];
