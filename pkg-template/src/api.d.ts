
/** An `Error` thrown on a bad call (never on a bad response). */
export interface BackupErrorsError extends Error {
  name: "BackupErrorsError";
  /** Stable, switchable code. */
  code:
    | "ERR_INPUT_NOT_OBJECT"
    | "ERR_INVALID_STATUS"
    | "ERR_UNKNOWN_VENDOR"
    | "ERR_INVALID_ARGUMENT"
    | "ERR_INVALID_OPTION";
}

/**
 * Says what a failed response means and what to do next. Never throws on a bad body or
 * bad headers; throws a {@link BackupErrorsError} only on a bad call.
 */
export declare function classify(input: ErrorInput): Classification;

/** Options of {@link classifyResponse}. */
export interface ClassifyResponseOptions {
  /** The vendor, when known; detected when omitted. */
  vendor?: Vendor | "auto" | null;
  /** The request's HTTP method. */
  method?: string | null;
}

/** Classifies a fetch `Response`, reading a clone of its body (the response stays unread). */
export declare function classifyResponse(response: Response, options?: ClassifyResponseOptions): Promise<Classification>;

/** The documented meaning of `code` for `vendor`, preferring the row for `status`; `null` if undocumented. */
export declare function explain(vendor: Vendor, code: string | number, status?: number | null): CatalogEntry | null;

/** Every documented code of `vendor`, or of all vendors when omitted. */
export declare function catalog(vendor?: Vendor | null): CatalogEntry[];

/** Decides retries: backoff on 5xx, never on 409, the server's wait on 429/503, the busy schedule for running jobs. */
export declare class RetryPolicy {
  /** Throws a `BackupErrorsError` with code `ERR_INVALID_OPTION` on an unknown or out-of-range option. */
  constructor(options?: RetryOptions);
  /** What to do after the attempt `context.attempt` ended with `classification`. */
  decide(classification: Classification, context?: DecisionContext): RetryDecision;
  /** The decisions attempts 1…`attempts` would get if each ended like `classification`, stopping at the first `retry: false`. Does not disturb the policy's own jitter sequence. */
  schedule(classification: Classification, attempts?: number): RetryDecision[];
  /** Releases the wasm memory now (otherwise the garbage collector does). */
  free(): void;
}

/** A token bucket shared by one client, so a vendor that is down does not multiply every call into `maxAttempts` calls. */
export declare class RetryBudget {
  constructor(options?: BudgetOptions);
  /** Tokens left now. */
  readonly available: number;
  /** Tokens when full. */
  readonly capacity: number;
  /** Releases the wasm memory now (otherwise the garbage collector does). */
  free(): void;
}

/** What the executor's hooks receive. */
export interface RetryInfo {
  /** The attempt that just ended, 1-based. */
  attempt: number;
  /** How that attempt ended. */
  classification: Classification;
  /** What the policy decided. */
  decision: RetryDecision;
  /** Milliseconds since the first attempt started. */
  elapsedMs: number;
  /** The error thrown by the attempt (network failure, timeout, the error `fn` threw), if any. */
  error?: unknown;
}

/** Options of the executors: the policy's options plus what the loop needs. */
export interface ExecutorOptions extends RetryOptions {
  /** The vendor of the API called (detected per response when omitted). */
  vendor?: Vendor | "auto" | null;
  /** Aborts the call, including a wait in progress, with an `AbortError`. */
  signal?: AbortSignal | null;
  /** Called before each wait. */
  onRetry?: (info: RetryInfo) => void;
  /** Called once when the executor stops retrying on a failure. */
  onGiveUp?: (info: RetryInfo) => void;
  /** Called once on a 401; may return headers to merge into the next attempt. */
  reauthenticate?: () => void | HeadersInit | Promise<void | HeadersInit>;
  /** A budget shared with other calls of the same client. */
  budget?: RetryBudget | null;
  /** A policy to use instead of building one from these options. */
  policy?: RetryPolicy | null;
}

/** Options of {@link fetchWithRetry}. */
export interface FetchWithRetryOptions extends ExecutorOptions {
  /** Per-attempt timeout in ms; a timed-out attempt classifies as `timeout`. */
  timeoutMs?: number | null;
  /** The `fetch` to call (default: the global one). */
  fetch?: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
}

/** Options of {@link retry}. */
export interface RetryFnOptions<T> extends ExecutorOptions {
  /** Turns an attempt's outcome into the input of `classify()`; the default adapter reads axios, got, AWS SDK, fetch and Node errors (see README). Return `null` to treat a result as success. */
  toInput?: (outcome: { error?: unknown; result?: T }) => ErrorInput | null;
}

/** `fetch` with retries decided by the policy; resolves with the final `Response`, like `fetch`. */
export declare function fetchWithRetry(input: RequestInfo | URL, init?: RequestInit, options?: FetchWithRetryOptions): Promise<Response>;

/** Retries any async call (axios, got, SDK clients): `fn(attempt, signal)`; resolves with its result or rejects with its last error. */
export declare function retry<T>(fn: (attempt: number, signal: AbortSignal) => Promise<T>, options?: RetryFnOptions<T>): Promise<T>;
