
/** An `Error` thrown on a bad call (never on a bad response). */
export interface BackupErrorsError extends Error {
  name: "BackupErrorsError";
  /** Stable, switchable code: `ERR_FREED` for a RetryPolicy or RetryBudget used after `free()`, `ERR_SERVER_WAIT` for an attempt a coordinator's namespace wait held back longer than the call may wait, `ERR_CIRCUIT_OPEN` for an attempt an open circuit breaker refused (nothing was sent), `ERR_PACER_WAIT` for an attempt whose pacing turn was further away than the call may wait (nothing was sent), `ERR_INTERNAL` for a failure inside the module that is not the caller's (the call may be repeated). */
  code: ErrorCode;
  /** With `ERR_SERVER_WAIT`: the ms the namespace still waits; with `ERR_CIRCUIT_OPEN`: the ms until a call may go through; with `ERR_PACER_WAIT`: the ms to the attempt's turn (come back after them). */
  retryAfterMs?: number;
  /** With `ERR_SERVER_WAIT`, and `ERR_CIRCUIT_OPEN` of a breaker a fleet shares: the coordinator's namespace. */
  namespace?: string;
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

/**
 * The documented meaning of `code` for `vendor`, preferring the row for `status`; `null` if
 * undocumented. `code` completes the vendor's documented codes and takes any string (matched
 * trimmed, in any letter case) or number.
 */
export declare function explain<V extends Vendor>(vendor: V, code: VendorCode<V> | (string & {}) | number, status?: number | null): CatalogEntry<V> | null;

/** Every documented code of `vendor`, or of all vendors when omitted. */
export declare function catalog<V extends Vendor = Vendor>(vendor?: V | null): CatalogEntry<V>[];

/** One documented code of a registered vendor, or a row that takes precedence over a built-in vendor's rows of the same code (and status, when it gives one). */
export interface CodeDefinition {
  /** The code as the vendor writes it (matched in any letter case); an integer is taken as its decimal text. */
  code: string | number;
  /** The HTTP status it is documented with, 100–599; without one it matches under any status. */
  status?: number | null;
  /** What went wrong (any category but `ok`). */
  category: Exclude<Category, "ok">;
  /** What to do. The rules still hold: a 409 is never retried, and a request that is not idempotent is not re-sent after an ambiguous failure. */
  action: Action;
  /** What it means, one sentence. */
  summary: string;
  /** How to fix it (default: the action's general advice). */
  remediation?: string | null;
}

/**
 * A vendor of your own for {@link registerVendor}, or (with a built-in id) rows for a
 * built-in vendor's catalog: then only `id` and `codes`.
 */
export interface VendorDefinition {
  /** A new id, `^[a-z][a-z0-9_-]{0,31}$` (not `generic` or `auto`), or a built-in one. */
  id: string;
  /** Top-level body fields that, all present in a JSON object body, identify the vendor (1–16); checked before the built-in detection. Without it the vendor is used only when named. */
  detect?: { fields: readonly string[] } | null;
  /** A JSON pointer (RFC 6901) to the code, e.g. `"/errorType"`; default: where generic bodies have it. */
  code?: string | null;
  /** A JSON pointer to the message; default: where generic bodies have it. */
  message?: string | null;
  /** A JSON pointer to a request id (a header's wins); default: where generic bodies have it. */
  requestId?: string | null;
  /** A JSON pointer to the request parameter at fault. */
  parameter?: string | null;
  /** The documented codes (at most 10,000). */
  codes?: readonly CodeDefinition[] | null;
}

/**
 * Registers a vendor of your own (`classify` detects and reads it, `explain` and `catalog`
 * list its codes), or rows that take precedence over a built-in vendor's. Meant for start-up:
 * each call rebuilds the registry from every definition registered so far; registering an id
 * again replaces its definition. Throws a {@link BackupErrorsError} with code
 * `ERR_INVALID_VENDOR_DEFINITION` for a bad definition (nothing is registered then).
 */
export declare function registerVendor(definition: VendorDefinition): void;

/** Decides retries: backoff on 5xx, never on 409, the server's wait on 429/503, the busy schedule for running jobs. */
export declare class RetryPolicy {
  /** Throws a `BackupErrorsError` with code `ERR_INVALID_OPTION` on an unknown or out-of-range option. */
  constructor(options?: RetryOptions);
  /** What to do after the attempt `context.attempt` ended with `classification`. */
  decide(classification: Classification, context?: DecisionContext): RetryDecision;
  /** The decisions attempts 1…`attempts` (default 10, at most 100) would get if each ended like `classification`, stopping at the first `retry: false`, for a request with `method` (and `idempotent`). Does not disturb the policy's own jitter sequence. */
  schedule(classification: Classification, attempts?: number | ScheduleOptions): RetryDecision[];
  /** `schedule()` with the schedule the classification gets and the range each delay is drawn from. */
  plan(classification: Classification, attempts?: number | ScheduleOptions): RetryPlan;
  /** Every option with the value the policy uses: the given ones, else the defaults (vendor presets apply per classification, see `plan()`). */
  resolvedOptions(): ResolvedRetryOptions;
  /** The retry schedules vendors document, applied to the fields a caller leaves unset. */
  static presets(): VendorPreset[];
  /** Marks the policy unusable: a later call throws `ERR_FREED`. (A policy holds no wasm memory; calling it is optional.) */
  free(): void;
}

/** A token bucket shared by one client, so a vendor that is down does not multiply every call into `maxAttempts` calls. */
export declare class RetryBudget {
  constructor(options?: BudgetOptions);
  /** Tokens left now. */
  readonly available: number;
  /** Tokens when full. */
  readonly capacity: number;
  /** Marks the budget unusable: a later use throws `ERR_FREED`. (A budget holds no wasm memory; calling it is optional.) */
  free(): void;
}

/** Options of {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Unhealthy outcomes in a row (a 5xx other than a documented refusal, a timeout, no connection, a lost one) that open the breaker: 1–10 000, default 5. */
  failureThreshold?: number;
  /** How long an open breaker sends nothing before it lets one probe through, ms: 1–86 400 000, default 30 000. */
  openMs?: number;
  /** Healthy probes in a row that close a half-open breaker: 1–10 000, default 1. */
  halfOpenProbes?: number;
  /** Hears each change of state. What it throws or rejects with is ignored. */
  onStateChange?: ((change: BreakerChange) => void) | null;
}

/** What `onStateChange` hears. */
export interface BreakerChange {
  from: BreakerState;
  to: BreakerState;
  /** `failure-threshold` (closed → open), `open-elapsed` (open → half-open), `probes-succeeded` (half-open → closed), `probe-failed` (half-open → open). */
  reason: BreakerChangeReason;
  /** The coordinator's namespace, for a breaker a fleet shares. */
  namespace?: string;
}

/**
 * Fails calls fast while a service is down: after `failureThreshold` unhealthy outcomes in a
 * row, the calls given it as `breaker` send nothing and reject at once with a
 * {@link BackupErrorsError} of code `ERR_CIRCUIT_OPEN` (with `retryAfterMs`); after `openMs`
 * one probe at a time goes through, and `halfOpenProbes` healthy ones close it. 4xx, 409,
 * busy and throttling answers never count.
 */
export declare class CircuitBreaker {
  constructor(options?: CircuitBreakerOptions);
  /** Where it was when last asked or told (an open breaker whose `openMs` has passed half-opens at the next call). */
  readonly state: BreakerState;
}

/** Options of {@link Pacer}. */
export interface PacerOptions {
  /** The longest an attempt waits for its turn, ms (1–86 400 000, default 60 000); an attempt whose turn is further away is not sent (`ERR_PACER_WAIT`). */
  maxWaitMs?: number;
}

/**
 * Spaces requests once a server has throttled them: it learns a sending rate from throttling
 * answers (429, a 503 with a wait, the vendors' throttling codes), as the AWS SDKs' adaptive
 * mode does (CUBIC), and gives each attempt of the calls given it as `pacer` — first attempts
 * as well as retries — a turn at that rate, none before a server's wait ends. Without
 * throttling it adds no delay. An attempt whose turn is further away than `maxWaitMs` or the
 * call's deadline rejects with `ERR_PACER_WAIT` and `retryAfterMs`, unsent.
 */
export declare class Pacer {
  constructor(options?: PacerOptions);
  /** The rate it paces at, requests per second; `null` until throttling was seen. */
  readonly rate: number | null;
}

/**
 * A Redis client the coordinator can run its scripts with: an ioredis client (`evalsha`,
 * `eval` with the number of keys), or a connected node-redis client, version 4 or later
 * (`evalSha`, `eval` with `{ keys, arguments }`). Neither is bundled.
 */
export type RedisClientLike =
  | { evalsha: (...args: any[]) => unknown; eval: (...args: any[]) => unknown }
  | { evalSha: (...args: any[]) => unknown; eval: (...args: any[]) => unknown };

/** What `onCoordinatorError` is told besides the error. */
export interface CoordinatorErrorInfo {
  /** The coordinator's namespace. */
  namespace: string;
  /** The Redis operation that failed: reading or recording the wait, taking tokens, giving them back. */
  operation: "wait" | "take" | "refund";
}

/** Options of {@link RedisCoordinator}. */
export interface RedisCoordinatorOptions {
  /** What the fleet shares one server wait and one budget for: one API key or tenant (1–200 characters, no white space). Required. */
  namespace: string;
  /** The shared budget's options, as `new RetryBudget()` takes them (default: 500 tokens, a retry costs 5, 10 after a timeout). Every process of a namespace should give the same. */
  budget?: BudgetOptions | null;
  /** The most ms one Redis operation may take before the call goes on with the local numbers (default 250, 1–60 000). */
  timeoutMs?: number | null;
  /** How long the budget's key lives after its last change (default 600 000: ten minutes; 1 000 – 604 800 000): an idle namespace starts again with a full bucket. */
  budgetTtlMs?: number | null;
  /** The first part of the keys, `<keyPrefix>:<namespace>:wait`, `…:budget` and `…:breaker` (default `"backup-errors"`). */
  keyPrefix?: string | null;
  /** One circuit breaker for the namespace, with `CircuitBreaker`'s options: the failures of every process count together and an open breaker stops them all. */
  breaker?: CircuitBreakerOptions | null;
  /** One pacer for the namespace (`true`, or `Pacer`'s options): one sending rate learnt from every process's throttling answers, and one sequence of turns. */
  pacing?: boolean | PacerOptions | null;
  /** Told once per outage when Redis fails or is slower than `timeoutMs` (calls then go on with local numbers); what it throws is ignored. */
  onCoordinatorError?: ((error: unknown, info: CoordinatorErrorInfo) => void) | null;
}

/**
 * One server wait and one retry budget for every process whose calls use the same namespace,
 * kept in Redis (`backup-errors/redis`). Pass it as the executors' and plug-ins' `coordinator`
 * option. Throws a `BackupErrorsError`: `ERR_INVALID_ARGUMENT` for a client that is neither
 * ioredis nor node-redis, `ERR_INVALID_OPTION` for a bad or missing option.
 */
export declare class RedisCoordinator {
  constructor(client: RedisClientLike, options: RedisCoordinatorOptions);
  /** The namespace whose wait and budget this coordinator shares. */
  readonly namespace: string;
}

/** The exit code `backup-errors classify` gives a classification: 0 a 2xx, 13 a 2xx with item errors, 10 retryable, 11 retryable once credentials or state are fixed, 12 not retryable. */
export declare function exitCode(classification: Classification): 0 | 10 | 11 | 12 | 13;

/** A language the package's texts come in: `"en"` (built in) or the tag of a loaded locale pack (`"de"`, `"fr"`, `"ja"`, `"zh-CN"`, or one you registered). */
export type LocaleTag = "en" | "de" | "fr" | "ja" | "zh-CN" | (string & {});

/**
 * Makes `tag` the language `reason` is made in from now on: `"en"` or a loaded pack
 * (`import "backup-errors/locales/de"` first). Throws a `BackupErrorsError` with code
 * `ERR_INVALID_ARGUMENT` for a tag whose pack is not loaded.
 */
export declare function setLocale(tag: LocaleTag): void;

/** The language the package's texts are made in now (`"en"` until `setLocale`). */
export declare function getLocale(): LocaleTag;

/**
 * The texts of `tag` (default: the current language) as `{ [id]: ICU MessageFormat text }`:
 * every id (a decision's `reasonId`), the pack's text or English where it has none. Format one
 * with the decision's `params` (intl-messageformat, i18next-icu, FormatJS) to get its `reason`.
 */
export declare function messages(tag?: LocaleTag): Record<ReasonId, string>;

/** Loads the texts of a language of your own (ids as in `messages("en")`); the locale packs call it. Returns `messages`. */
export declare function registerLocale<M extends Readonly<Partial<Record<ReasonId, string>>>>(tag: string, messages: M): M;

/** What the executor's hooks receive. */
export interface RetryInfo {
  /** The attempt that just ended, 1-based. */
  attempt: number;
  /** The request's HTTP method, when known. */
  method: string | null;
  /** How that attempt ended (a timed-out attempt: status 0, category `timeout`; a refused connection: status 0, category `network`, processed `no`). */
  classification: Classification;
  /** What was decided (for `shouldRetry`: the policy's proposal; for `onRetry`/`onGiveUp`: the final decision), plus whether the executor calls `reauthenticate()` before the next attempt. `reason` starts with `stream-body:` when only a non-replayable body stopped a retry. */
  decision: RetryDecision & {
    /** The executor calls the caller's `reauthenticate()` hook before the next attempt. */
    reauthenticate: boolean;
  };
  /** Milliseconds since the first attempt started. */
  elapsedMs: number;
  /** The error thrown by the attempt (network failure, timeout, the error `fn` threw), if any. */
  error?: unknown;
}

/** Options of the executors: the policy's options plus what the loop needs. Any other key goes to `new RetryPolicy()`, so a misspelt option throws `ERR_INVALID_OPTION`. */
export interface ExecutorOptions extends RetryOptions {
  /** The vendor of the API called (detected per response when omitted). */
  vendor?: Vendor | "auto" | null;
  /** Aborts the call, including a wait in progress, with the signal's reason (or an `AbortError`). */
  signal?: AbortSignal | null;
  /** Called before each wait. An exception it throws ends the call with that exception. */
  onRetry?: (info: RetryInfo) => void;
  /** Called once when the executor stops on a failure (not on success, not on abort). An exception it throws ends the call with that exception. */
  onGiveUp?: (info: RetryInfo) => void;
  /**
   * The caller's say, asked after the policy decides each failed attempt: `false` vetoes a
   * retry; `true` allows one the policy refused, still within `maxAttempts`, the deadline and
   * the budget, and never after a 409 (nor with a stream body); `undefined` keeps the
   * decision. The decision's reason records the override.
   */
  shouldRetry?: (info: RetryInfo) => boolean | undefined | Promise<boolean | undefined>;
  /** The request is safe to send twice whatever its method (default: whether it carries an `Idempotency-Key` header; for `retry()`, what an axios, got or ky error says, else false). */
  idempotent?: boolean | null;
  /** Called at most once per call, on a 401 the policy lets through; may return headers to set on every later attempt of `fetchWithRetry` (`retry` ignores them: `fn` reads fresh credentials itself). */
  reauthenticate?: () => void | HeadersInit | Promise<void | HeadersInit>;
  /** A budget shared with other calls of the same client (not together with `coordinator`, whose budget the fleet shares). */
  budget?: RetryBudget | null;
  /**
   * A `RedisCoordinator` (`backup-errors/redis`): every process of its namespace shares one
   * server wait (no attempt is sent while it runs; one longer than the call may wait rejects
   * the call with `ERR_SERVER_WAIT`) and one retry budget.
   */
  coordinator?: RedisCoordinator | null;
  /** A {@link CircuitBreaker} the call asks before each attempt and tells how each ended: while it is open the call sends nothing and rejects with `ERR_CIRCUIT_OPEN`. */
  breaker?: CircuitBreaker | null;
  /** A {@link Pacer}: once a server throttled, each attempt waits for its turn (and for the server's wait); an attempt whose turn is too far away rejects with `ERR_PACER_WAIT`. */
  pacer?: Pacer | null;
  /** A policy to use instead of building one from these options (then no policy option may be given beside it). */
  policy?: RetryPolicy | null;
}

/** Options of {@link fetchWithRetry}. */
export interface FetchWithRetryOptions extends ExecutorOptions {
  /** Per-attempt timeout in ms, until the response (and a failed response's body) arrives; a timed-out attempt classifies as status 0, category `timeout`. The deadline (`deadlineMs`) bounds the running attempt too. */
  timeoutMs?: number | null;
  /** The `fetch` to call (default: the global one). */
  fetch?: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
  /** The most bytes of a failed response's body read for classification (default 1 MiB); the rest of the clone is cancelled. */
  maxErrorBodyBytes?: number | null;
}

/** Options of {@link retry}. */
export interface RetryFnOptions<T> extends ExecutorOptions {
  /**
   * Turns an attempt's outcome (`{ error }` or `{ result }`) into the input of `classify()`.
   * Return `null` when the outcome is not a failure for the policy to judge: a result is then
   * returned, an error rethrown at once (not retried). The default adapter reads fetch
   * `Response`s, axios, got, ky, Octokit, Azure and AWS SDK v3 errors and Node/undici/fetch
   * network errors (`{ status: 0 }`); any other error is rethrown unretried (see docs/retry-policy.md, "Executor").
   */
  toInput?: (outcome: { error?: unknown; result?: T }) => ErrorInput | null | Promise<ErrorInput | null>;
  /** The HTTP method `fn` sends, for the retry-safety rules of non-idempotent requests (default: what an axios, got or ky error says; unknown: the status alone decides). */
  method?: string | null;
}

/**
 * `fetch` with retries decided by the policy; resolves with the final `Response`, like `fetch`
 * (also a final 4xx/5xx). Rejects with the last error when the last attempt got no response,
 * with the abort reason on abort. A `ReadableStream` body is sent once; a `Request` input is
 * cloned per attempt.
 */
export declare function fetchWithRetry(input: RequestInfo | URL, init?: RequestInit, options?: FetchWithRetryOptions): Promise<Response>;

/** Retries any async call (axios, got, SDK clients): `fn(attempt, signal)`; resolves with its result or rejects with its last error. */
export declare function retry<T>(fn: (attempt: number, signal: AbortSignal) => Promise<T>, options?: RetryFnOptions<T>): Promise<T>;

/** For tests of the package itself: `forceTrap()` makes the WebAssembly instance trap, so a test can check that the next call gets a fresh one; `memoryBytes()` is the size of its memory. Not for applications. */
export declare const __testing: { readonly forceTrap: () => void; readonly memoryBytes: () => number };
