// backup-errors/axios: retries for an axios instance, decided by the policy.
import type { AxiosInstance } from "axios";
import type { ExecutorOptions } from "./index.js";

/**
 * Options of {@link attach}: the executors' options (every `RetryOptions` field, `vendor`,
 * `signal`, `budget`, `policy`, `idempotent`, `reauthenticate`, `onRetry`, `onGiveUp`,
 * `shouldRetry`). `signal` aborts every call of the instance, including a wait; a request's
 * own `config.signal` aborts that request and its waits. Headers `reauthenticate()` returns
 * are set on the request's later attempts.
 */
export interface AxiosRetryOptions extends ExecutorOptions {}

/**
 * Installs a request and a response interceptor on `instance` (an `axios.create()` instance,
 * or `axios` itself) that retry failed requests as the policy decides, and returns
 * `detach()`, which removes them.
 */
export declare function attach(instance: AxiosInstance, options?: AxiosRetryOptions): () => void;
