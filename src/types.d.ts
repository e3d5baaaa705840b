// The object types of the data model, kept by hand. The literal unions they use (BuiltInVendor,
// Category, Processed, Action, Jitter, NonIdempotent, ScheduleKind, ErrorCode) are generated from
// the crate into src/generated.d.ts (src/typegen.rs); scripts/build.mjs joins both files and
// pkg-template/src/api.d.ts into the package's index.d.ts.

/**
 * The API a response came from: a built-in vendor, or the id of a vendor registered with
 * `registerVendor()` (any string is accepted by the type; an id that is neither throws
 * `ERR_UNKNOWN_VENDOR`). The built-in ids stay literals, for completion.
 */
export type Vendor = BuiltInVendor | (string & {});

/**
 * The codes `V` documents, as string literal types (`VeeamCode`, `HuaweiCode`, …: the
 * `VendorCodes` the build generates from the catalog); `never` for a vendor without a catalog
 * or one outside `VendorCodes`.
 */
export type VendorCode<V extends string = Vendor> = V extends keyof VendorCodes ? VendorCodes[V] : never;

/** Response headers: a plain object, a `Headers` instance, or `[name, value]` pairs. */
export type HeadersInput =
  | Record<string, string | number | readonly string[] | undefined>
  | Headers
  | Iterable<readonly [string, string]>;

/** One failed response, as `classify()` takes it. */
export interface ErrorInput {
  /** HTTP status, an integer 0–999; 0 means no response arrived. */
  status: number;
  /** Response headers, names in any letter case. */
  headers?: HeadersInput | null;
  /** The response body: text, bytes, or an already-parsed JSON value. */
  body?: string | Uint8Array | ArrayBuffer | object | null;
  /** The vendor, when known; detected from the response when omitted or `"auto"`. */
  vendor?: Vendor | "auto" | null;
  /** The request's HTTP method (`GET`, `POST`, …). */
  method?: string | null;
}

/** An error about one item inside a response (also inside 2xx responses). */
export interface ItemError {
  /** The item's error code, as the vendor wrote it. */
  code: string | null;
  /** The item's error message. */
  message: string | null;
  /** What the item refers to: an entity id, a Graph `target`, a Veeam parameter. */
  target: string | null;
  /** The item's own HTTP status (a Graph batch sub-response), or `null`. */
  status: number | null;
  /** What went wrong with the item. */
  category: Category;
  /** What to do about the item. */
  action: Action;
  /** True exactly when the item's `action` is `retry` or `wait_and_retry`. */
  retryable: boolean;
  /** The wait the item's own headers ask for (a batch sub-response's `Retry-After`), in ms, or `null`. */
  retryAfterMs: number | null;
  /** The documented meaning of the item's code, or `null` when undocumented. */
  summary: string | null;
  /** The id of `summary` (`microsoft365.QuotaExceeded.summary`), or `null`: see docs/locales.md. */
  summaryId: string | null;
}

/** What a failed (or partly failed) response means and what to do next. */
export interface Classification {
  /** The vendor, as given or detected. */
  vendor: Vendor;
  /** The HTTP status (0 = no response). */
  status: number;
  /** The vendor's error code ("127", "CSBS.6005", "PolicyNotFound", "1006"), or `null`. */
  code: string | null;
  /** The vendor's error message (at most 1 KB), or `null`. */
  message: string | null;
  /** What went wrong. */
  category: Category;
  /** What to do next. */
  action: Action;
  /** True exactly when `action` is `retry` or `wait_and_retry`. */
  retryable: boolean;
  /** Whether the server processed the request, as far as the response tells. */
  processed: Processed;
  /** The wait the server asked for, in milliseconds, or `null` if it did not ask. */
  retryAfterMs: number | null;
  /** One sentence saying what happened. */
  summary: string;
  /** How to fix it, or `null` when there is nothing to fix. */
  remediation: string | null;
  /** The id of `summary`: a catalog row's (`veeam.4002.summary`) or a rule's (`http.503.summary`, `veeam.type.logical.summary`, `http.2xx-failed-items.summary`, `outcome.timeout-ms.summary`); `null` only for a classification you built yourself: see docs/locales.md. */
  summaryId: string | null;
  /** The id of `remediation` (`veeam.4002.remediation`, `action.fix_request.remediation`), likewise; `null` when `remediation` is. */
  remediationId: string | null;
  /** The values the texts use (`{ failedItems }`, `{ timeoutMs }`, else `{}`): format `messages(tag)[summaryId]` with them. */
  textParams: Readonly<Record<string, string | number>>;
  /** The request parameter or property at fault, or `null`. */
  parameter: string | null;
  /** The server's request id, for support tickets, or `null`. */
  requestId: string | null;
  /** True when the code is in the vendor's documented catalog. */
  documented: boolean;
  /** Per-item errors: Veeam `errors[1..]`, Graph `details`, failed sub-responses of a Graph batch, M365 per-unit errors in 200s. */
  items: ItemError[];
  /** True when the body was longer than the part read (16 MiB for `classify`, `maxErrorBodyBytes` for the executor) and was classified on its first bytes. */
  truncated: boolean;
}

/** A documented error code, as `explain()` and `catalog()` return it (`V`: the vendor asked for). */
export interface CatalogEntry<V extends Vendor = Vendor> {
  /** The vendor that documents the code. */
  vendor: V;
  /**
   * The code as the vendor writes it: one of its documented codes (`VendorCode<V>`, which
   * editors complete), or a code a console added with `registerVendor`.
   */
  code: VendorCode<V> | (string & {});
  /** The HTTP status documented with the code, or `null` when the vendor gives none. */
  status: number | null;
  /** What went wrong. */
  category: Category;
  /** What to do. */
  action: Action;
  /** The documented meaning. */
  summary: string;
  /** How to fix it. */
  remediation: string;
  /** The id of `summary`: `<vendor>.<code>.summary`, with `@<status>` (and `.<n>`) when the vendor documents the code in several rows. */
  summaryId: string;
  /** The id of `remediation`, likewise. */
  remediationId: string;
}

/** The separate, longer schedule for `wait_and_retry` (an operation is already running). */
export interface BusySchedule {
  /** Total attempts for busy responses, the first included (default 6). */
  maxAttempts?: number | null;
  /** First busy delay in ms (default 5 000). */
  baseDelayMs?: number | null;
  /** Cap per busy delay in ms (default 60 000). */
  maxDelayMs?: number | null;
  /** Growth factor per busy attempt (default 2). */
  multiplier?: number | null;
}

/** Options of `RetryPolicy` (and of `fetchWithRetry` / `retry`). Unset fields take the defaults or the vendor's preset. */
export interface RetryOptions {
  /** Total attempts, the first included, 1–100 (default 4). */
  maxAttempts?: number | null;
  /** First backoff delay in ms (default 1 000). */
  baseDelayMs?: number | null;
  /** Cap per delay in ms (default 30 000); the server's own wait is never shortened. */
  maxDelayMs?: number | null;
  /** Growth factor per attempt, 1–10 (default 2). */
  multiplier?: number | null;
  /** Jitter mode (default `equal`). */
  jitter?: Jitter | null;
  /** Seed for the jitter: the same seed gives the same delays. Random when omitted. */
  seed?: number | null;
  /** The longest server wait (Retry-After) the policy will sleep, in ms (default 60 000); longer waits stop with `retry: false` and the wait in `delayMs`. */
  maxRetryAfterMs?: number | null;
  /** Overall deadline from the first attempt, in ms (default 300 000). */
  deadlineMs?: number | null;
  /** Use the vendors' documented codes (default true); false = plain HTTP status rules. */
  trustVendorCodes?: boolean | null;
  /** The schedule for `wait_and_retry`. */
  busy?: BusySchedule | null;
  /**
   * A request that is not idempotent (POST, PATCH, any method but GET, HEAD, OPTIONS, PUT,
   * DELETE, TRACE) after an ambiguous failure (a 5xx, a timeout, a connection lost after
   * sending): `safe-only` (default) re-sends it only when it provably was not processed
   * (`processed: "no"`), when a vendor preset documents the retry, or when it is marked
   * idempotent; `retry` re-sends it anyway (the reason warns).
   */
  nonIdempotent?: NonIdempotent | null;
}

/** The busy schedule with every field resolved. */
export interface ResolvedBusySchedule {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  multiplier: number;
}

/** Every option of a policy with the value it uses (`RetryPolicy.resolvedOptions()`). */
export interface ResolvedRetryOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  multiplier: number;
  jitter: Jitter;
  /** The seed given, or the one the policy drew. */
  seed: number;
  maxRetryAfterMs: number;
  deadlineMs: number;
  trustVendorCodes: boolean;
  busy: ResolvedBusySchedule;
  nonIdempotent: NonIdempotent;
}

/** A retry schedule a vendor documents, applied to the fields a caller leaves unset (`RetryPolicy.presets()`). */
export interface VendorPreset {
  vendor: Vendor;
  /** Lowest HTTP status it applies to. */
  minStatus: number;
  /** Highest HTTP status it applies to. */
  maxStatus: number;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  multiplier: number;
  jitter: Jitter;
  /** What the vendor documents, quoted in the decisions' reasons (their `params.source` is the vendor's id). */
  source: string;
}

/** The schedule a classification gets. */
export interface Schedule {
  /** `main` (the options), `busy` (`wait_and_retry`), or `preset` (a vendor's, under the options). */
  kind: ScheduleKind;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  multiplier: number;
  jitter: Jitter;
  preset: VendorPreset | null;
}

/** One attempt of a plan: its decision and the range its delay is drawn from. */
export interface PlannedAttempt extends RetryDecision {
  /** For a retry: the shortest delay the jitter can draw (server wait included); else `null`. */
  minDelayMs: number | null;
  /** For a retry: the longest delay the jitter can draw (server wait included); else `null`. */
  maxDelayMs: number | null;
}

/** What a policy does with a classification, attempt by attempt (`RetryPolicy.plan()`). */
export interface RetryPlan {
  schedule: Schedule;
  maxRetryAfterMs: number;
  deadlineMs: number;
  attempts: PlannedAttempt[];
}

/** The request a schedule or plan is for. */
export interface ScheduleOptions {
  /** Attempts to plan, 1–100 (default 10). */
  attempts?: number;
  /** The request's HTTP method (unknown: the status alone decides). */
  method?: string | null;
  /** The request is safe to send twice whatever its method (an `Idempotency-Key`). */
  idempotent?: boolean;
}

/** Where a call stands, as `RetryPolicy.decide()` takes it. */
export interface DecisionContext {
  /** The attempt that just ended, 1-based (default 1). */
  attempt?: number;
  /** Milliseconds since the first attempt started (default 0). */
  elapsedMs?: number;
  /** The request's HTTP method. */
  method?: string | null;
  /** An earlier attempt of this call ended ambiguously (a 5xx, a timeout, a lost connection): a later 409 or busy answer means it probably went through. */
  earlierAmbiguousFailure?: boolean;
  /** The request is safe to send twice whatever its method (it carries an `Idempotency-Key`). */
  idempotent?: boolean;
}

/** What to do after an attempt. */
export interface RetryDecision {
  /** Whether to try again. */
  retry: boolean;
  /** How long to wait first, in ms; with `retry: false` and a server wait above the cap, the server's wait. */
  delayMs: number;
  /** Which rule decided, as `"<rule>: explanation"` (`409-never`, `5xx-backoff`, `server-wait`, `server-wait-too-long`, `busy-schedule`, `non-idempotent`, `busy-after-ambiguous`, `vendor-permanent`, `deadline`, `max-attempts`, `budget`, `caller-veto`, `caller-retry`, `stream-body`, …): the sentence made from `rule` and `params`. Branch on `rule`, not on this text. */
  reason: string;
  /** The id of the sentence `reason` is (stable across releases, e.g. `rule.5xx-backoff.warning`): the message `reason` is made from with `params`. */
  reasonId: ReasonId;
  /** The rule that decided: the tag `reason` starts with. */
  rule: RetryRule;
  /** The values the reason's sentence uses, by name (the status, waits, attempts, limits, the method, the code, …); which ones depends on the rule. Numbers are ms, counts or statuses; words are the crate's own names (a category, `jitter` as its option `"equal"`, `schedule` as a schedule kind `"main"`, `source` as `"backoff"` or a preset's vendor id) or text from the response; the messages turn names into words in each language. */
  params: Readonly<Partial<Record<ReasonParam, number | string>>>;
  /** The attempt this decision is about (the one that just ended). */
  attempt: number;
  /** True when this outcome (a 409, or a busy answer to a non-idempotent request) follows an earlier ambiguous failure: the earlier attempt probably went through (started the job). */
  earlierAttemptMayHaveSucceeded: boolean;
}

/** Options of `RetryBudget`: a token bucket shared by one client (AWS SDK retry quota). */
export interface BudgetOptions {
  /** Tokens when full (default 500). */
  capacity?: number | null;
  /** Tokens a retry costs (default 5). */
  retryCost?: number | null;
  /** Tokens a retry after a timeout or network error costs (default 10). */
  timeoutCost?: number | null;
  /** Tokens a first-attempt success refunds (default 1). */
  successRefund?: number | null;
}
