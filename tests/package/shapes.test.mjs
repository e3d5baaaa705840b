// Every body shape and header form of docs/vendors.md, classified through the
// installed tarball. Expected values come from the vendors' documents, not from the code.
import { test } from "node:test";
import assert from "node:assert/strict";
import { classify } from "backup-errors";

const ACRONIS_DOC_EXAMPLE = '{"error":{"code":1006,"message":"It is prohibited to delete a non-disabled tenant.","details":{"info":"It is prohibited to delete a non-disabled tenant "1415032"","addition":[{"id":"1415032"}]},"context":{"id":"1415032"},"domain":"PlatformAccountServer"}}';

const cases = [
  ["Atlassian 409 127: policy exists", { status: 409, body: { errorCode: "127", errorMessage: "Backup Policy already exists with orgId: 1" } }, { vendor: "atlassian", code: "127", category: "conflict", action: "do_not_retry", documented: true }],
  ["Atlassian 400 140: export already running is busy", { status: 400, body: '{"errorCode":"140","errorMessage":"Export Already in Progress"}' }, { vendor: "atlassian", code: "140", category: "busy", action: "wait_and_retry" }],
  ["Atlassian numeric errorCode", { status: 404, body: { errorCode: 129, errorMessage: "Storage Details not found" } }, { vendor: "atlassian", code: "129", category: "not_found", retryable: false }],
  ["Atlassian-host 429 with ISO 8601 X-RateLimit-Reset", { status: 429, vendor: "atlassian", headers: { "X-RateLimit-Reset": (now) => new Date(now + 30_000).toISOString() } }, { category: "rate_limited", action: "retry", retryAfterMs: { until: (now) => now + 30_000 } }],
  ["Veeam 520 retryableLogical in a meta/data envelope, second error as item", { status: 520, headers: { "x-request-id": "r1" }, body: { meta: null, data: null, errors: [{ message: "Requested operation cannot be performed at the moment.", type: "retryableLogical", code: 1000 }, { message: "bad", type: "logical", code: 400, propertyName: "name" }] } }, { vendor: "veeam", code: "1000", action: "wait_and_retry", requestId: "r1", items: [{ code: "400", target: "name", action: "fix_request" }] }],
  ["Veeam 429 with body retryAfter", { status: 429, body: { errors: [{ type: "unspecified", code: 429, retryAfter: 12 }] } }, { vendor: "veeam", category: "rate_limited", retryAfterMs: 12_000, message: null }],
  ["Veeam 400 parameterName", { status: 400, body: { errors: [{ message: "Property value must be larger or equal to 0.", type: "logical", code: 400, parameterName: "offset" }] } }, { vendor: "veeam", parameter: "offset", action: "fix_request" }],
  ["Veeam undocumented code, type transport", { status: 520, body: { errors: [{ message: "x", type: "transport", code: 9999 }] } }, { vendor: "veeam", documented: false, category: "server_error", action: "retry" }],
  ["Veeam 409 retryablelogical is still never retried", { status: 409, body: { errors: [{ type: "retryablelogical", code: 409 }] } }, { vendor: "veeam", retryable: false }],
  ["Huawei 429 APIGW.0308 with X-Request-Id", { status: 429, headers: { "X-Request-Id": "h1" }, body: { error_code: "APIGW.0308", error_msg: "The throttling threshold has been reached", request_id: "b1" } }, { vendor: "huawei", code: "APIGW.0308", category: "rate_limited", action: "retry", requestId: "h1", documented: true }],
  ["Huawei APIG.0301 auth failure is never retried blindly", { status: 401, body: { error_code: "APIG.0301", error_msg: "Incorrect IAM authentication information" } }, { vendor: "huawei", category: "unauthenticated", action: "do_not_retry" }],
  ["Huawei 500 CSBS.8009 is permanent", { status: 500, body: { error_code: "CSBS.8009", error_msg: "The backup has not system disk backup is not allowed to create image" } }, { vendor: "huawei", action: "do_not_retry", retryable: false }],
  ["Huawei nested error object", { status: 400, body: { error: { code: "CSBS.2003", message: "item in executing" } } }, { vendor: "huawei", code: "CSBS.2003", category: "busy", action: "wait_and_retry" }],
  ["Huawei CSBS.5001 replication running", { status: 500, body: { error_code: "CSBS.5001", error_msg: "copy executing" } }, { category: "busy", action: "wait_and_retry" }],
  ["Huawei CSBS.5001 policy stop failed", { status: 500, body: { error_code: "CSBS.5001", error_msg: "Scheduel operation status can't be set unable" } }, { retryable: false }],
  ["Huawei CSBS.9009 at 403 and at 400", { status: 403, body: { error_code: "CSBS.9009", error_msg: "User is unverified." } }, { category: "forbidden" }],
  ["Huawei 200 operation log error_info", { status: 200, body: { operation_logs: [{ id: "o1", error_info: { code: "BackupService.6000", message: "x" } }, { id: "o2", error_info: {} }] } }, { vendor: "huawei", category: "ok", items: [{ code: "BackupService.6000", target: "o1" }] }],
  ["Graph 429 Retry-After seconds and request-id", { status: 429, headers: { "Retry-After": "10", "request-id": "g1", "client-request-id": "c1" }, body: { error: { code: "TooManyRequests", message: "Too many requests", innerError: { date: "2026-01-01T00:00:00", "request-id": "g1", "client-request-id": "c1" } } } }, { vendor: "microsoft365", category: "rate_limited", retryAfterMs: 10_000, requestId: "g1" }],
  ["Graph request id only inside innerError", { status: 404, body: { error: { code: "PolicyNotFound", message: "x", innerError: { innerError: { "request-id": "deep" } } } } }, { vendor: "microsoft365", code: "PolicyNotFound", category: "not_found", requestId: "deep" }],
  ["Graph 413 RestoreArtifactsLimitBreached splits", { status: 413, body: { error: { code: "RestoreArtifactsLimitBreached", message: "x", innerError: {} } } }, { action: "split_request", category: "too_large" }],
  ["Graph 400 RestoreArtifactsLimitBreached (patch)", { status: 400, vendor: "microsoft365", body: { error: { code: "RestoreArtifactsLimitBreached", message: "x" } } }, { category: "too_large" }],
  ["Graph 200 with per-unit errors", { status: 200, body: { "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#x", value: [{ id: "u1", error: { code: "QuotaExceeded", message: "q" } }, { id: "u2", error: { code: "DuplicateArtifactRestoreRequest", message: "d" } }, { id: "u3" }] } }, { vendor: "microsoft365", category: "ok", retryable: false, items: [{ code: "QuotaExceeded", category: "quota_exceeded", target: "u1" }, { code: "DuplicateArtifactRestoreRequest", action: "wait_and_retry", target: "u2" }] }],
  ["Graph delta @Core.DataModificationException", { status: 200, body: { value: [{ "@Core.DataModificationException": { info: { code: "ProtectionUnitNotFound", message: "m" }, failedOperation: "remove", responseCode: "NotFound" }, id: "u9" }] } }, { vendor: "microsoft365", items: [{ code: "ProtectionUnitNotFound", category: "not_found", target: "u9" }] }],
  ["Graph details become items", { status: 400, body: { error: { code: "InvalidCreateRequest", message: "x", details: [{ code: "InvalidDisplayName", message: "y", target: "displayName" }] } } }, { vendor: "microsoft365", items: [{ code: "InvalidDisplayName", target: "displayName" }] }],
  ["Graph 503 with Retry-After", { status: 503, headers: { "Retry-After": "5" }, body: { error: { code: "serviceNotAvailable", message: "x", innerError: {} } } }, { retryable: true, retryAfterMs: 5_000 }],
  ["Graph 509 bandwidth", { status: 509, body: { error: { code: "bandwidthLimitExceeded", message: "x", innerError: {} } } }, { category: "rate_limited", retryable: true }],
  ["Acronis 1001 version mismatch", { status: 400, body: { error: { code: 1001, message: "Version mismatch", domain: "PlatformAccountServer" } } }, { vendor: "acronis", code: "1001", action: "refresh_and_retry" }],
  ["Acronis string code", { status: 404, body: { error: { code: "1005", message: "Tenant not found", context: {} } } }, { vendor: "acronis", code: "1005", category: "not_found" }],
  ["Acronis documentation example (invalid JSON)", { status: 400, body: ACRONIS_DOC_EXAMPLE }, { vendor: "acronis", code: "1006", message: "It is prohibited to delete a non-disabled tenant.", retryable: false }],
  ["Acronis 503 with HTTP code in error.code", { status: 503, body: { error: { code: 503, message: "Service Unavailable", domain: "PlatformAccountServer" } } }, { vendor: "acronis", retryable: true }],
  ["Acronis identity (Access) shape", { status: 400, body: { domain: "Access", reason: "x", error: "invalid_grant", error_description: "Token expired" } }, { vendor: "acronis", code: "invalid_grant", message: "Token expired" }],
  ["Acronis notary shape", { status: 500, body: { domain: "Notarization", code: "ENOTARY", debug: { message: "notary down" } } }, { vendor: "acronis", code: "ENOTARY", message: "notary down", retryable: true }],
  ["Acronis 401 expired token", { status: 401, body: { error: { code: 401, message: "Unauthorized", domain: "Access" } } }, { vendor: "acronis", action: "reauthenticate" }],
  ["RFC 9457 problem details", { status: 503, headers: { "content-type": "application/problem+json" }, body: { type: "about:blank", title: "Service Unavailable", status: 503, detail: "down for maintenance" } }, { vendor: "generic", message: "down for maintenance", retryable: true }],
  ["HTML 502 from a proxy", { status: 502, body: "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>" }, { vendor: "generic", message: "502 Bad Gateway", action: "retry" }],
  ["Empty 504", { status: 504 }, { vendor: "generic", category: "timeout", retryable: true }],
  ["retry-after-ms beats Retry-After", { status: 429, headers: { "retry-after-ms": "250", "Retry-After": "10" } }, { retryAfterMs: 250 }],
  ["x-ms-retry-after-ms", { status: 503, headers: [["x-ms-retry-after-ms", "1200"]] }, { retryAfterMs: 1200 }],
  ["RateLimit-Reset epoch seconds", { status: 429, headers: { "RateLimit-Reset": (now) => String(Math.floor(now / 1000) + 60) } }, { retryAfterMs: { until: (now) => (Math.floor(now / 1000) + 60) * 1000 } }],
];

// A header value that is a function is made from the clock, `now`, when the case runs; its
// expected wait is `{ until }`, the instant it names: the wait left when classify() read the
// clock, between `until - (the time after classify)` and `until - now`. No bound on how long
// classify() takes.
const resolve = (headers, now) => (headers && !Array.isArray(headers) ? Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, typeof v === "function" ? v(now) : v])) : headers);

for (const [name, input, expected] of cases) {
  test(name, () => {
    const now = Date.now();
    const c = classify({ ...input, headers: resolve(input.headers, now) });
    const after = Date.now();
    for (const [key, want] of Object.entries(expected)) {
      if (key === "items") {
        assert.equal(c.items.length, want.length, `items: ${JSON.stringify(c.items)}`);
        want.forEach((w, i) => {
          for (const [k, v] of Object.entries(w)) assert.equal(c.items[i][k], v, `items[${i}].${k}`);
        });
      } else if (typeof want?.until === "function") {
        const until = want.until(now);
        assert.ok(c[key] >= until - after && c[key] <= until - now, `${key} = ${c[key]} not in [${until - after}, ${until - now}]`);
      } else {
        assert.equal(c[key], want, `${key} (${JSON.stringify(c)})`);
      }
    }
    assert.equal(c.retryable, c.action === "retry" || c.action === "wait_and_retry");
  });
}
