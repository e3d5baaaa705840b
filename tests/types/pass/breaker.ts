// A circuit breaker shared by the calls of a Node service: its options, its state and the
// change a listener hears, the error a refused call rejects with, and the executors' and
// plug-ins' `breaker` option.
import ky from "ky";
import { CircuitBreaker, fetchWithRetry, retry, type BackupErrorsError, type BreakerChange, type BreakerState } from "backup-errors";
import { kyRetry } from "backup-errors/ky";

const log: BreakerChange[] = [];
const breaker = new CircuitBreaker({ failureThreshold: 5, openMs: 30_000, halfOpenProbes: 1, onStateChange: (change) => log.push(change) });
const state: BreakerState = breaker.state;
const open: boolean = state === "open" || state === "half-open";

async function call(): Promise<number | null> {
  try {
    const response = await fetchWithRetry("https://vspc.example/api/v3/jobs", {}, { breaker });
    await retry(async () => "ok", { breaker });
    await ky.extend(kyRetry({ breaker }))("https://vspc.example/api/v3/jobs");
    return response.status;
  } catch (error) {
    const e = error as BackupErrorsError;
    if (e.code === "ERR_CIRCUIT_OPEN") return e.retryAfterMs ?? null;
    throw error;
  }
}
void call;
void open;
new CircuitBreaker();
new CircuitBreaker({ onStateChange: null });
const reasons: BreakerChange["reason"][] = ["failure-threshold", "open-elapsed", "probes-succeeded", "probe-failed"];
void reasons;

// A pacer beside it.
import { Pacer, type PacerOptions } from "backup-errors";
const pacing: PacerOptions = { maxWaitMs: 30_000 };
const pacer = new Pacer(pacing);
const rate: number | null = pacer.rate;
void rate;
void fetchWithRetry("https://vspc.example/api/v3/jobs", {}, { pacer, breaker });
