// backup-errors/redis with both clients (ioredis, node-redis), and the coordinator option of
// the executors and the plug-ins, the way a Node service of a fleet would use them.
import { Redis } from "ioredis";
import { createClient } from "redis";
import ky from "ky";
import { fetchWithRetry, retry, type BackupErrorsError, type FetchWithRetryOptions } from "backup-errors";
import { RedisCoordinator, type CoordinatorErrorInfo, type RedisCoordinatorOptions } from "backup-errors/redis";
import { kyRetry } from "backup-errors/ky";

const options: RedisCoordinatorOptions = {
  namespace: "veeam-prod",
  budget: { capacity: 500, retryCost: 5 },
  timeoutMs: 250,
  budgetTtlMs: 600_000,
  keyPrefix: "backup-errors",
  onCoordinatorError: (error: unknown, info: CoordinatorErrorInfo) => console.warn(`${info.namespace}: ${info.operation}`, error),
};
const viaIoredis = new RedisCoordinator(new Redis("redis://127.0.0.1:6379"), options);
const viaNodeRedis = new RedisCoordinator(createClient({ url: "redis://127.0.0.1:6379" }), { namespace: "acronis-eu" });
const withBreaker = new RedisCoordinator(new Redis("redis://127.0.0.1:6379"), { namespace: "huawei-cn", breaker: { failureThreshold: 5, openMs: 30_000, onStateChange: (c) => console.log(c.namespace, c.to) } });
void withBreaker;
void new RedisCoordinator(new Redis("redis://127.0.0.1:6379"), { namespace: "veeam-eu", pacing: true });
void new RedisCoordinator(new Redis("redis://127.0.0.1:6379"), { namespace: "veeam-us", pacing: { maxWaitMs: 10_000 } });
const namespace: string = viaIoredis.namespace;

const fetchOptions: FetchWithRetryOptions = { coordinator: viaIoredis, vendor: "veeam", timeoutMs: 30_000 };

async function main(): Promise<void> {
  try {
    const response: Response = await fetchWithRetry("https://vspc.example/api/v3/jobs", {}, fetchOptions);
    const text: string = await retry(async () => "done", { coordinator: viaNodeRedis, method: "POST" });
    const api = ky.extend(kyRetry({ coordinator: viaNodeRedis }));
    void [response, text, api, namespace];
  } catch (e) {
    const error = e as BackupErrorsError;
    if (error.code === "ERR_SERVER_WAIT") console.log(`come back in ${error.retryAfterMs} ms (${error.namespace})`);
  }
}
void main;
