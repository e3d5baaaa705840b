// Examples for the demo: hand-written responses modelled on what each vendor documents
// (docs/vendors.md), examples generated from the package's own catalog (one per
// documented code, in the vendor's body shape), and scripted sequences for the simulation.

/** Pretty JSON, as a network panel's "Response" tab shows it. */
const json = (value) => JSON.stringify(value, null, 2);

/** Vendor ids and their display names, in the order the page lists them. */
export const VENDORS = [
  ["atlassian", "Atlassian"],
  ["veeam", "Veeam"],
  ["huawei", "Huawei Cloud"],
  ["microsoft365", "Microsoft 365"],
  ["acronis", "Acronis"],
  ["generic", "Generic HTTP"],
];
export const VENDOR_NAMES = Object.fromEntries(VENDORS);

/**
 * Featured examples. `input` is what the form shows: vendor ("auto" lets the package
 * detect it), method, status, headers as a network panel copies them, and the body text.
 */
export const FEATURED = [
  {
    id: "atlassian-140",
    group: "atlassian",
    title: "Export already in progress",
    input: {
      vendor: "auto",
      method: "POST",
      status: 400,
      headers: "content-type: application/json\natl-traceid: 5c2a9e0f4b7d1e33",
      body: json({ errorCode: "140", errorMessage: "Export Already in Progress" }),
    },
  },
  {
    id: "atlassian-128",
    group: "atlassian",
    title: "Storage name already exists",
    input: {
      vendor: "auto",
      method: "POST",
      status: 409,
      headers: "content-type: application/json\natl-traceid: 0e77d1c9a3f04b12",
      body: json({ errorCode: "128", errorMessage: "Storage with the given name already exists" }),
    },
  },
  {
    id: "veeam-520-busy",
    group: "veeam",
    title: "Agent busy, plus a second error",
    input: {
      vendor: "auto",
      method: "POST",
      status: 520,
      headers: "content-type: application/json; charset=utf-8\nx-request-id: 8d3f6a2e-51c4-4b0e-9f7a-2c1d0e9b4a13",
      body: json({
        errors: [
          { message: "The management agent is busy. Try again later.", type: "retryablelogical", code: 4002 },
          { message: "Key format is not supported.", type: "logical", code: 1205, propertyName: "publicKey" },
        ],
      }),
    },
  },
  {
    id: "veeam-429",
    group: "veeam",
    title: "Throttled, retryAfter in the body",
    input: {
      vendor: "auto",
      method: "GET",
      status: 429,
      headers: "content-type: application/json; charset=utf-8\nx-request-id: 3b9e0c71-7d2a-4f61-a8c5-90e1f4d2b6aa",
      body: json({
        errors: [{ message: "The request limit per user has been exceeded.", type: "logical", code: 429, retryAfter: 3 }],
      }),
    },
  },
  {
    id: "veeam-520-transport",
    group: "veeam",
    title: "Transport failure (any 5xx is 520)",
    input: {
      vendor: "auto",
      method: "GET",
      status: 520,
      headers: "content-type: application/json; charset=utf-8\nx-request-id: 41f0a9d2-6c3e-4b87-b1d5-7e2a9c0f3d58",
      body: json({ errors: [{ message: "The server failed to receive the request.", type: "transport", code: 500 }] }),
    },
  },
  {
    id: "huawei-429",
    group: "huawei",
    title: "API Gateway throttling",
    input: {
      vendor: "auto",
      method: "GET",
      status: 429,
      headers: "Content-Type: application/json\nX-Request-Id: 3f0e5b7c9a2d4e6f8a1b2c3d4e5f6a7b",
      body: json({
        error_code: "APIGW.0308",
        error_msg: "The throttling threshold has been reached: policy user over ratelimit,limit:20,time:1 minute",
        request_id: "3f0e5b7c9a2d4e6f8a1b2c3d4e5f6a7b",
      }),
    },
  },
  {
    id: "huawei-500",
    group: "huawei",
    title: "Backup has no system disk",
    input: {
      vendor: "auto",
      method: "POST",
      status: 500,
      headers: "Content-Type: application/json\nX-Request-Id: a71c2e94b0d35f68e1c7a4b9d2f06e53",
      body: json({ error_code: "CSBS.8009", error_msg: "The backup does not contain a system disk." }),
    },
  },
  {
    id: "m365-200-items",
    group: "microsoft365",
    title: "200 OK with failed items",
    input: {
      vendor: "auto",
      method: "GET",
      status: 200,
      headers: "content-type: application/json;odata.metadata=minimal\nrequest-id: 0b6e2f1a-9c4d-4e8b-a7f3-5d2c1b0e9f84",
      body: json({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#solutions/backupRestore/protectionUnits",
        value: [
          { id: "pu-7f3a", status: "protected" },
          {
            id: "pu-91c2",
            status: "unprotected",
            error: { code: "ProtectionUnitNotFound", message: "The protection unit was not found.", target: "pu-91c2" },
          },
          {
            id: "pu-d405",
            status: "unprotected",
            error: { code: "QuotaExceeded", message: "The tenant has reached its backup storage quota.", target: "pu-d405" },
          },
        ],
      }),
    },
  },
  {
    id: "m365-429",
    group: "microsoft365",
    title: "Throttled, Retry-After: 2",
    input: {
      vendor: "auto",
      method: "POST",
      status: 429,
      headers:
        "content-type: application/json\nretry-after: 2\nrequest-id: 7f2c1d1e-2b7a-4d2e-9a51-0c6f3e1b9a44\nclient-request-id: c3a8e2d0-14f6-47b9-8e05-6d1f2a9b7c31",
      body: json({
        error: {
          code: "TooManyRequests",
          message: "Too many requests. Retry after 2 seconds.",
          innerError: {
            date: "2025-05-12T09:14:03",
            "request-id": "7f2c1d1e-2b7a-4d2e-9a51-0c6f3e1b9a44",
            "client-request-id": "c3a8e2d0-14f6-47b9-8e05-6d1f2a9b7c31",
          },
        },
      }),
    },
  },
  {
    id: "m365-400-split",
    group: "microsoft365",
    title: "Too many resources in one bulk restore",
    input: {
      vendor: "auto",
      method: "POST",
      status: 400,
      headers: "content-type: application/json\nrequest-id: 5e81b3c7-02d9-4f4a-b6e1-93a0c7d2f815",
      body: json({
        error: {
          code: "BulkRestoreRestorationResourcesCountExceedsLimit",
          message: "The number of resources in the request exceeds the limit.",
          innerError: { date: "2025-05-12T09:20:41", "request-id": "5e81b3c7-02d9-4f4a-b6e1-93a0c7d2f815" },
        },
      }),
    },
  },
  {
    id: "acronis-1001",
    group: "acronis",
    title: "Version mismatch",
    input: {
      vendor: "auto",
      method: "PUT",
      status: 409,
      headers: "content-type: application/json",
      body: json({
        error: {
          code: 1001,
          message: "Version mismatch",
          details: { info: "Tenant version 7 is outdated; the current version is 8." },
          context: {},
          domain: "PlatformAccountServer",
        },
      }),
    },
  },
  {
    id: "acronis-503",
    group: "acronis",
    title: "Service unavailable",
    input: {
      vendor: "auto",
      method: "GET",
      status: 503,
      headers: "content-type: application/json",
      body: json({ error: { code: 503, message: "Service Unavailable", details: {}, context: {}, domain: "PlatformAccountServer" } }),
    },
  },
  {
    id: "acronis-401",
    group: "acronis",
    title: "Token expired",
    input: {
      vendor: "auto",
      method: "GET",
      status: 401,
      headers: "content-type: application/json\nwww-authenticate: Bearer error=\"invalid_token\"",
      body: json({ error: { code: 401, message: "Unauthorized", details: {}, context: {}, domain: "PlatformAccountServer" } }),
    },
  },
  {
    id: "generic-502",
    group: "generic",
    title: "HTML page from a proxy",
    input: {
      vendor: "auto",
      method: "GET",
      status: 502,
      headers: "content-type: text/html\nserver: nginx/1.24.0",
      body:
        "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n<center><h1>502 Bad Gateway</h1></center>\n<hr><center>nginx/1.24.0</center>\n</body>\n</html>",
    },
  },
  {
    id: "generic-500-post",
    group: "generic",
    title: "POST 500: may have run",
    input: {
      vendor: "auto",
      method: "POST",
      status: 500,
      headers: "content-type: application/problem+json",
      body: json({
        type: "about:blank",
        title: "Internal Server Error",
        status: 500,
        detail: "The backup job could not be confirmed.",
      }),
    },
  },
  {
    id: "generic-425",
    group: "generic",
    title: "425 Too Early (TLS early data)",
    input: {
      vendor: "auto",
      method: "GET",
      status: 425,
      headers: "content-type: text/plain",
      body: "Too Early",
    },
  },
  {
    id: "generic-503-ra",
    group: "generic",
    title: "Problem JSON, Retry-After: 120",
    input: {
      vendor: "auto",
      method: "GET",
      status: 503,
      headers: "content-type: application/problem+json\nretry-after: 120",
      body: json({
        type: "https://example.com/problems/maintenance",
        title: "Service Unavailable",
        status: 503,
        detail: "The backup service is in a maintenance window.",
      }),
    },
  },
];

/** Reason phrases, for labels only. */
export const STATUS_TEXT = {
  0: "No response", 200: "OK", 201: "Created", 202: "Accepted", 204: "No Content",
  400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden",
  404: "Not Found", 405: "Method Not Allowed", 408: "Request Timeout", 409: "Conflict",
  410: "Gone", 412: "Precondition Failed", 413: "Content Too Large", 415: "Unsupported Media Type",
  422: "Unprocessable Content", 423: "Locked", 425: "Too Early", 429: "Too Many Requests", 500: "Internal Server Error",
  501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
  505: "HTTP Version Not Supported",
  507: "Insufficient Storage", 509: "Bandwidth Limit Exceeded", 520: "Server error (Veeam)",
};

// ── Examples generated from the catalog ─────────────────────────────────────────────────

/** A status for catalog rows that document none (Veeam, Acronis), from the category. */
function statusFor(entry) {
  if (entry.status != null) return entry.status;
  if (entry.vendor === "veeam" && /^[45]\d\d$/.test(entry.code)) {
    return Number(entry.code) >= 500 ? 520 : Number(entry.code);
  }
  const serverSide = ["server_error", "timeout"].includes(entry.category) || (entry.vendor === "veeam" && entry.category === "busy");
  if (serverSide) return entry.vendor === "veeam" ? 520 : entry.category === "timeout" ? 504 : 500;
  return {
    unauthenticated: 401, forbidden: 403, not_found: 404, conflict: 409, too_large: 413,
    rate_limited: 429, too_early: 425,
  }[entry.category] ?? 400;
}

/** The Veeam error `type` that fits a catalog row. */
function veeamType(entry) {
  if (entry.category === "busy") return "retryablelogical";
  if (["unauthenticated", "forbidden"].includes(entry.category)) return "security";
  if (entry.action === "retry") return "transport";
  return "logical";
}

/** A response in the vendor's body shape carrying a documented code. */
export function exampleFromCatalog(entry) {
  const status = statusFor(entry);
  const message = entry.summary;
  const rid = "demo-" + entry.code.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  switch (entry.vendor) {
    case "atlassian":
      return { vendor: "atlassian", method: "POST", status, headers: "content-type: application/json", body: json({ errorCode: entry.code, errorMessage: message }) };
    case "veeam":
      return {
        vendor: "veeam", method: "POST", status,
        headers: `content-type: application/json; charset=utf-8\nx-request-id: ${rid}`,
        body: json({ errors: [{ message, type: veeamType(entry), code: Number(entry.code) }] }),
      };
    case "huawei":
      return {
        vendor: "huawei", method: "POST", status,
        headers: `Content-Type: application/json\nX-Request-Id: ${rid}`,
        body: json({ error_code: entry.code, error_msg: message }),
      };
    case "microsoft365":
      if (status === 200) {
        return {
          vendor: "microsoft365", method: "GET", status,
          headers: `content-type: application/json\nrequest-id: ${rid}`,
          body: json({ value: [{ id: "item-1", status: "failed", error: { code: entry.code, message, target: "item-1" } }] }),
        };
      }
      return {
        vendor: "microsoft365", method: "POST", status,
        headers: `content-type: application/json\nrequest-id: ${rid}`,
        body: json({ error: { code: entry.code, message, innerError: { date: "2025-05-12T09:14:03", "request-id": rid } } }),
      };
    case "acronis":
      return {
        vendor: "acronis", method: "POST", status,
        headers: "content-type: application/json",
        body: json({ error: { code: Number(entry.code), message, details: {}, context: {}, domain: "PlatformAccountServer" } }),
      };
    default:
      return { vendor: entry.vendor, method: "GET", status, headers: "", body: json({ message }) };
  }
}

// ── Scenarios for the simulation ────────────────────────────────────────────────────────

const r = (status, headers, body) => ({ status, headers, body: typeof body === "string" ? body : JSON.stringify(body) });
const OK = r(200, [["content-type", "application/json"]], { id: "job-42", status: "succeeded" });
const E503 = r(503, [["content-type", "application/problem+json"]], { title: "Service Unavailable", status: 503, detail: "The backup service is overloaded." });
const V520 = r(520, [["content-type", "application/json"], ["x-request-id", "41f0a9d2-6c3e"]], {
  errors: [{ message: "The server failed to receive the request.", type: "transport", code: 500 }],
});
const V520_BUSY = r(520, [["content-type", "application/json"], ["x-request-id", "8d3f6a2e-51c4"]], {
  errors: [{ message: "The management agent is busy. Try again later.", type: "retryablelogical", code: 4002 }],
});
const G429 = r(429, [["content-type", "application/json"], ["retry-after", "2"], ["request-id", "7f2c1d1e-2b7a"]], {
  error: { code: "TooManyRequests", message: "Too many requests. Retry after 2 seconds.", innerError: { "request-id": "7f2c1d1e-2b7a" } },
});
const A409 = r(409, [["content-type", "application/json"]], { errorCode: "128", errorMessage: "Storage with the given name already exists" });
/** A start-backup POST whose job did start, though the answer was a 500 (ambiguous)… */
const POST500 = r(500, [["content-type", "application/json"], ["atl-traceid", "9a1f03c7e2b45d68"]], { message: "Internal server error" });
/** …so the same POST sent again finds the job running: Atlassian's "already in progress". */
const A140 = r(400, [["content-type", "application/json"], ["atl-traceid", "b07e4d2a9c1f3e85"]], { errorCode: "140", errorMessage: "Export Already in Progress" });
const AC401 = r(401, [["content-type", "application/json"]], { error: { code: 401, message: "Unauthorized", domain: "PlatformAccountServer" } });

/**
 * Scripted fake servers. `steps` are the responses of attempts 1, 2, …; the last one repeats.
 * With `current: true` the response in the form is used for every step but the last.
 * `method` (if set) is put in the form's method field; otherwise the form's method is sent.
 * With `outage` the run is a series of calls through one CircuitBreaker (www/outage.js):
 * `steps[0]` is the answer while the outage lasts (its first `outageMs`), `steps[1]` after it;
 * a call every `everyMs` for `runMs`, `breaker` being the CircuitBreaker's options.
 */
export const SCENARIOS = [
  { id: "503-503-200", label: "503 → 503 → 200", steps: [E503, E503, OK] },
  { id: "veeam-520x2-200", label: "Veeam 520 transport ×2 → 200", steps: [V520, V520, OK] },
  { id: "graph-429-200", label: "Graph 429, Retry-After: 2 → 200", steps: [G429, OK] },
  { id: "veeam-busy-200", label: "Veeam 520 agent busy ×2 → 200 (busy schedule)", steps: [V520_BUSY, V520_BUSY, OK] },
  { id: "atlassian-409", label: "Atlassian 409 (never retried)", steps: [A409] },
  { id: "acronis-401-200", label: "Acronis 401 → sign in again → 200", steps: [AC401, OK], reauthenticate: true },
  { id: "503-forever", label: "503 every time (the policy gives up)", steps: [E503] },
  { id: "post-500-busy", label: "POST: 500, then already running", method: "POST", steps: [POST500, A140] },
  {
    id: "outage-breaker", label: "Outage: 503 for 3 s, a call every 300 ms through a CircuitBreaker", method: "GET", steps: [E503, OK],
    outage: { outageMs: 3000, everyMs: 300, runMs: 6000, breaker: { failureThreshold: 3, openMs: 1500 } },
  },
  { id: "current", label: "The response above ×2 → 200", current: true, steps: [null, null, OK] },
];
