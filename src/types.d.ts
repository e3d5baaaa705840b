/** The API a response came from; `generic` covers any other HTTP API. */
export type Vendor = "atlassian" | "veeam" | "huawei" | "microsoft365" | "acronis" | "generic";

/** What went wrong. */
export type Category =
  | "invalid_request" | "unauthenticated" | "forbidden" | "not_found" | "conflict" | "busy"
  | "invalid_state" | "too_large" | "quota_exceeded" | "rate_limited" | "unsupported"
  | "server_error" | "timeout" | "canceled" | "network" | "unknown" | "ok";

/** What the caller should do next. `retryable` is true exactly for `retry` and `wait_and_retry`. */
export type Action =
  | "retry" | "wait_and_retry" | "reauthenticate" | "refresh_and_retry" | "fix_request"
  | "split_request" | "do_not_retry";

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
  /** What went wrong with the item. */
  category: Category;
  /** What to do about the item. */
  action: Action;
  /** The documented meaning of the item's code, or `null` when undocumented. */
  summary: string | null;
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
  /** The wait the server asked for, in milliseconds, or `null` if it did not ask. */
  retryAfterMs: number | null;
  /** One sentence saying what happened. */
  summary: string;
  /** How to fix it, or `null` when there is nothing to fix. */
  remediation: string | null;
  /** The request parameter or property at fault, or `null`. */
  parameter: string | null;
  /** The server's request id, for support tickets, or `null`. */
  requestId: string | null;
  /** True when the code is in the vendor's documented catalog. */
  documented: boolean;
  /** Per-item errors: Veeam `errors[1..]`, Graph `details`, M365 per-unit errors in 200s. */
  items: ItemError[];
}

/** A documented error code, as `explain()` and `catalog()` return it. */
export interface CatalogEntry {
  /** The vendor that documents the code. */
  vendor: Vendor;
  /** The code as the vendor writes it. */
  code: string;
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
}
