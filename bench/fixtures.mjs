// Real response bodies, one per vendor, as the vendors send them (copied from the captures
// the package tests replay; headers trimmed to the ones the classifier reads), and, for the
// timed benchmarks, variants of each: real traffic never repeats a body byte for byte, so a
// benchmark that classifies one string over and over measures something no client does.
//
// Each body is made by its vendor's `make(ids)` from the values that differ from one response
// to the next (request and trace ids, GUIDs, hex ids, dates, counters, the numbers of a
// message); `make(original)` is the capture itself, `variants(v)` gives VARIANTS responses with
// those values drawn by a seeded generator (the same on every run), each of the same length
// and shape as the capture, with its own `expect` (the request id it must report, etc.).

const HEX = "0123456789abcdef";

/** A reproducible generator (mulberry32) and the shapes of the values it draws. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const from = (chars, n) => {
    let s = "";
    for (let k = 0; k < n; k++) s += chars[int(0, chars.length - 1)];
    return s;
  };
  const hex = (n) => from(HEX, n);
  const two = (n) => String(n).padStart(2, "0");
  return {
    next,
    int,
    hex,
    /** A version 4 GUID, lower case. */
    guid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${"89ab"[int(0, 3)]}${hex(3)}-${hex(12)}`,
    /** An ASP.NET Core (Kestrel) request id: connection id, then the request's counter. */
    kestrel: () => `${from("0123456789ABCDEFGHIJKLMNOPQRSTUV", 13)}:${int(1, 0xff).toString(16).toUpperCase().padStart(8, "0")}`,
    /** A time of November or December 2025 as `YYYY-MM-DDTHH:MM:SS`. */
    date: () => {
      const month = int(11, 12);
      return `2025-${month}-${two(int(1, month === 11 ? 30 : 31))}T${two(int(0, 23))}:${two(int(0, 59))}:${two(int(0, 59))}`;
    },
    /** `n` decimal digits, the first not 0. */
    digits: (n) => String(int(1, 9)) + from("0123456789", n - 1),
    lower: (n) => from("abcdefghijklmnopqrstuvwxyz", n),
  };
}

/** How many variants of each body the timed benchmarks cycle through. */
export const VARIANTS = 300;

const VENDORS = [
  {
    vendor: "atlassian",
    status: 409,
    // Nothing in this body changes from one response to the next (the capture carries no id in
    // it): its variants differ in the trace id.
    original: { trace: "6f1c2d0a9b8e4f37a1c2d3e4f5a6b7c8" },
    random: (r) => ({ trace: r.hex(32) }),
    make: ({ trace }) => ({
      headers: { "content-type": "application/json;charset=UTF-8", "atl-traceid": trace },
      body: '{"errorCode": "127", "errorMessage": "Backup Policy already exists for the given orgId, cloudId and product."}',
      expect: { code: "127", category: "conflict", requestId: trace },
    }),
  },
  {
    vendor: "veeam",
    status: 520,
    // Likewise: only the request id (a header) differs.
    original: { id: "0HN8F2K7Q3M1B:00000004" },
    random: (r) => ({ id: r.kestrel() }),
    make: ({ id }) => ({
      headers: { "content-type": "application/json; charset=utf-8", "x-request-id": id },
      body: '{"meta": null, "data": null, "errors": [{"message": "Cannot start the backup job: the job is already running.", "type": "retryablelogical", "code": 520}]}',
      expect: { category: "busy", requestId: id },
    }),
  },
  {
    vendor: "huawei",
    status: 429,
    original: { id: "5b7f3c2a9d1e4f60a8b7c6d5e4f3a2b1" },
    random: (r) => ({ id: r.hex(32) }),
    make: ({ id }) => ({
      headers: { "content-type": "application/json", "x-request-id": id },
      body: `{"error_code": "APIGW.0308", "error_msg": "The throttling threshold has been reached: policy user over ratelimit,limit:20,time:1 minute", "request_id": "${id}"}`,
      expect: { code: "APIGW.0308", category: "rate_limited", requestId: id },
    }),
  },
  {
    vendor: "microsoft365",
    status: 429,
    original: { id: "a3f5c6d7-8e9f-4a0b-b1c2-d3e4f5a6b7c8", date: "2025-11-18T11:47:52", wait: 10 },
    random: (r) => ({ id: r.guid(), date: r.date(), wait: r.int(10, 99) }),
    make: ({ id, date, wait }) => ({
      headers: { "content-type": "application/json", "retry-after": String(wait), "request-id": id, "client-request-id": id },
      body: `{"error": {"code": "TooManyRequests", "message": "Too many requests are being made. Retry after some time.", "innerError": {"date": "${date}", "request-id": "${id}", "client-request-id": "${id}"}}}`,
      expect: { code: "TooManyRequests", category: "rate_limited", retryAfterMs: wait * 1000, requestId: id },
    }),
  },
  {
    vendor: "acronis",
    status: 400,
    original: { id: "7c1e3f5a-2b4d-4e6f-8a0c-1d3e5f7a9b2c", version: 12 },
    random: (r) => ({ id: r.guid(), version: r.int(11, 99) }),
    make: ({ id, version }) => ({
      headers: { "content-type": "application/json", "x-request-id": id },
      body: `{"error": {"code": 1001, "message": "Version mismatch", "details": {"info": "Tenant version ${version} does not match the version ${version - 1} in the request."}, "context": {}, "domain": "PlatformAccountServer"}}`,
      expect: { code: "1001", action: "refresh_and_retry", requestId: id },
    }),
  },
  {
    vendor: "generic",
    status: 422,
    original: { account: "12345", msg: "abc", balance: 30, cost: 50 },
    random: (r) => ({ account: r.digits(5), msg: r.lower(3), balance: r.int(10, 49), cost: r.int(50, 99) }),
    make: ({ account, msg, balance, cost }) => ({
      headers: { "content-type": "application/problem+json" },
      body: `{"type": "https://example.com/probs/out-of-credit", "title": "You do not have enough credit.", "status": 422, "detail": "Your current balance is ${balance}, but that costs ${cost}.", "instance": "/account/${account}/msgs/${msg}"}`,
      expect: { code: "https://example.com/probs/out-of-credit", requestId: `/account/${account}/msgs/${msg}` },
    }),
  },
];

/** The Graph 200 list with two per-item failures (1.3 KB) and its request id header. */
const GRAPH_200 = {
  vendor: "microsoft365 (200, 2 item errors)",
  status: 200,
  original: {
    request: "1e2d3c4b",
    policy: "b1c2d3e4-0000-4000-8000-aabbccddeeff",
    created: "2025-11-17T08:00:00",
    units: [
      ["89014d8c-71fe-4d00-a01a-31850bc5b32c", "1f2e3d4c", "5b6a7980"],
      ["ab7d2a3f-7c2b-4d1e-9f10-2a3b4c5d6e7f", "9a8b7c6d", "4e3f2a1b"],
      ["cd3e4f50-6172-4834-a596-a7b8c9d0e1f2", "0a1b2c3d", "4e5f6a7b"],
    ],
  },
  random: (r) => ({ request: r.hex(8), policy: r.guid(), created: r.date(), units: [0, 1, 2].map(() => [r.guid(), r.hex(8), r.hex(8)]) }),
  make: ({ request, policy, created, units }) => {
    const site = (u) => `contoso.sharepoint.com,${u[1]},${u[2]}`;
    const unit = (u, status, error) =>
      `{"@odata.type": "#microsoft.graph.siteProtectionUnit", "id": "${u[0]}", "policyId": "${policy}", "status": "${status}", "createdDateTime": "${created}Z", "siteId": "${site(u)}", "error": ${error}}`;
    const failed = (u, code, message) => `{"code": "${code}", "message": "${message}", "target": "${site(u)}", "details": []}`;
    return {
      headers: { "request-id": request, "client-request-id": request },
      body:
        `{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#solutions/backupRestore/protectionPolicies('${policy}')/siteProtectionUnits", "value": [` +
        [
          unit(units[0], "protected", "null"),
          unit(units[1], "unprotected", failed(units[1], "ProtectionUnitNotFound", "The site could not be found.")),
          unit(units[2], "unprotected", failed(units[2], "QuotaExceeded", "The tenant's backup storage quota has been exceeded.")),
        ].join(", ") +
        "]}",
      expect: { category: "ok", requestId: request },
    };
  },
};

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A response made from `spec` with the values `ids`. */
const response = (spec, ids) => ({ vendor: spec.vendor, status: spec.status, ...spec.make(ids) });

/** The captures as they are: `{ vendor, status, headers, body, expect }`. */
export const VENDOR_BODIES = VENDORS.map((spec) => response(spec, spec.original));

/** The capture of a Graph 200 list with two per-item failures (1.3 KB). */
export const GRAPH_200_ITEMS = response(GRAPH_200, GRAPH_200.original).body;

/** That capture as a response (its request id in the headers), for the timed benchmarks. */
export const GRAPH_200_RESPONSE = response(GRAPH_200, GRAPH_200.original);

/**
 * `n` responses like `v` (one of VENDOR_BODIES, or GRAPH_200_RESPONSE), each with its own
 * ids, dates and numbers, drawn by a generator seeded from the vendor's name and `seed`:
 * the same list on every run. Each body has the capture's length and shape. The Atlassian
 * and Veeam bodies carry nothing that varies (their ids are headers) and Acronis's only
 * its two-digit versions: their texts repeat, their headers do not.
 */
export function variants(v, n = VARIANTS, seed = 1) {
  const spec = [...VENDORS, GRAPH_200].find((s) => s.vendor === v.vendor);
  if (spec === undefined) throw new Error(`fixtures: no variants of ${v.vendor}`);
  let h = seed;
  for (const ch of spec.vendor) h = Math.imul(h ^ ch.charCodeAt(0), 0x9e3779b1);
  const r = prng(h);
  const out = [];
  for (let k = 0; k < n; k++) {
    const x = response(spec, spec.random(r));
    // A string of its own, decoded from bytes as a response's text() gives it (a body that
    // does not vary would otherwise be one interned literal shared by every variant).
    x.body = decoder.decode(encoder.encode(x.body));
    if (x.body.length !== v.body.length) throw new Error(`fixtures: a variant of ${v.vendor} is ${x.body.length} bytes, the capture ${v.body.length}`);
    out.push(x);
  }
  return out;
}

/**
 * Responses to decide on, as varied as the bodies: 503s with their own Retry-After (1-30 s)
 * and request id, the Veeam busy 520 with its own request id, the Atlassian 409 with its own
 * trace id. Each is `{ status, headers, body }`.
 */
export function decideResponses(kind, n = VARIANTS, seed = 1) {
  if (kind === "503") {
    const r = prng(0x503 ^ seed);
    return Array.from({ length: n }, () => ({ status: 503, headers: { "retry-after": String(r.int(1, 30)), "x-request-id": r.guid() } }));
  }
  const v = { busy: VENDOR_BODIES[1], 409: VENDOR_BODIES[0] }[kind];
  if (v === undefined) throw new Error(`fixtures: no responses of kind ${kind}`);
  return variants(v, n, seed + 100).map(({ status, headers, body }) => ({ status, headers, body }));
}

/**
 * Contexts of the attempts a decision is asked after, as a retry loop gives them: attempt 1
 * to `maxAttempt` (the policy's last retried attempt), elapsedMs drawn for that attempt
 * (a few hundred ms to a few seconds per attempt so far).
 */
export function decideContexts(maxAttempt, n = VARIANTS, seed = 1) {
  const r = prng(0xc0 ^ (seed * 31 + maxAttempt));
  return Array.from({ length: n }, () => {
    const attempt = r.int(1, maxAttempt);
    return { attempt, elapsedMs: r.int(200, 4000) * attempt };
  });
}

/** The id of unit `i` of a generated list: numbered, or with `r`, a GUID drawn by it (same length). */
const unitId = (r, i) => (r === null ? `${(0x10000000 + i).toString(16)}-71fe-4d00-a01a-31850bc5b32c` : r.guid());

/**
 * A Microsoft 365 200 response with `n` per-item errors, as the issue describes; with a
 * `seed` (not 0), a variant whose unit ids are GUIDs drawn from it.
 */
export function itemErrors(n, seed = 0) {
  const r = seed === 0 ? null : prng(seed);
  const items = [];
  for (let i = 0; i < n; i++) {
    const id = unitId(r, i);
    items.push(`{"id":"${id}","error":{"code":"QuotaExceeded","message":"The tenant's backup storage quota has been exceeded for unit ${i}."}}`);
  }
  return `{"value":[${items.join(",")}]}`;
}

/**
 * A Microsoft 365 200 list of about `bytes` bytes: protection units as Graph lists them, one
 * in 100 carrying an error (so large bodies stay under the 10,000-item cap up to ~10 MB and
 * the cost per MB measures the whole pipeline, not the cap); with a `seed` (not 0), a variant
 * whose unit ids are GUIDs drawn from it.
 */
export function listOfSize(bytes, seed = 0) {
  const r = seed === 0 ? null : prng(seed);
  const head = '{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#solutions/backupRestore/siteProtectionUnits","value":[';
  const parts = [];
  let size = head.length + 2;
  for (let i = 0; size < bytes; i++) {
    const id = unitId(r, i);
    const error = i % 100 === 99 ? '{"code":"QuotaExceeded","message":"The tenant\'s backup storage quota has been exceeded."}' : "null";
    const part = `{"id":"${id}","status":"${error === "null" ? "protected" : "unprotected"}","siteId":"contoso.sharepoint.com,${i}","error":${error}}`;
    parts.push(part);
    size += part.length + 1;
  }
  return head + parts.join(",") + "]}";
}
