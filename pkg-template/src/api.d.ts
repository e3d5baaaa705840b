
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
