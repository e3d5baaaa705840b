// expect-error: TS2741
// The coordinator option takes a RedisCoordinator, not a RetryBudget (nor a Redis client).
import { fetchWithRetry, RetryBudget } from "backup-errors";
fetchWithRetry("https://vspc.example/api/v3/jobs", {}, { coordinator: new RetryBudget() });
