// Real response bodies, one per vendor, as the vendors send them (copied from the captures
// the package tests replay; headers trimmed to the ones the classifier reads).
export const VENDOR_BODIES = [
  {
    vendor: "atlassian",
    status: 409,
    headers: { "content-type": "application/json;charset=UTF-8", "atl-traceid": "6f1c2d0a9b8e4f37a1c2d3e4f5a6b7c8" },
    body: '{"errorCode": "127", "errorMessage": "Backup Policy already exists for the given orgId, cloudId and product."}',
    expect: { code: "127", category: "conflict" },
  },
  {
    vendor: "veeam",
    status: 520,
    headers: { "content-type": "application/json; charset=utf-8", "x-request-id": "0HN8F2K7Q3M1B:00000004" },
    body: '{"meta": null, "data": null, "errors": [{"message": "Cannot start the backup job: the job is already running.", "type": "retryablelogical", "code": 520}]}',
    expect: { category: "busy" },
  },
  {
    vendor: "huawei",
    status: 429,
    headers: { "content-type": "application/json", "x-request-id": "5b7f3c2a9d1e4f60a8b7c6d5e4f3a2b1" },
    body: '{"error_code": "APIGW.0308", "error_msg": "The throttling threshold has been reached: policy user over ratelimit,limit:20,time:1 minute", "request_id": "5b7f3c2a9d1e4f60a8b7c6d5e4f3a2b1"}',
    expect: { category: "rate_limited" },
  },
  {
    vendor: "microsoft365",
    status: 429,
    headers: { "content-type": "application/json", "retry-after": "10", "request-id": "a3f5c6d7-8e9f-4a0b-b1c2-d3e4f5a6b7c8", "client-request-id": "a3f5c6d7-8e9f-4a0b-b1c2-d3e4f5a6b7c8" },
    body: '{"error": {"code": "TooManyRequests", "message": "Too many requests are being made. Retry after some time.", "innerError": {"date": "2025-11-18T11:47:52", "request-id": "a3f5c6d7-8e9f-4a0b-b1c2-d3e4f5a6b7c8", "client-request-id": "a3f5c6d7-8e9f-4a0b-b1c2-d3e4f5a6b7c8"}}}',
    expect: { category: "rate_limited", retryAfterMs: 10000 },
  },
  {
    vendor: "acronis",
    status: 400,
    headers: { "content-type": "application/json", "x-request-id": "7c1e3f5a-2b4d-4e6f-8a0c-1d3e5f7a9b2c" },
    body: '{"error": {"code": 1001, "message": "Version mismatch", "details": {"info": "Tenant version 12 does not match the version 11 in the request."}, "context": {}, "domain": "PlatformAccountServer"}}',
    expect: { code: "1001", action: "refresh_and_retry" },
  },
  {
    vendor: "generic",
    status: 422,
    headers: { "content-type": "application/problem+json" },
    body: '{"type": "https://example.com/probs/out-of-credit", "title": "You do not have enough credit.", "status": 422, "detail": "Your current balance is 30, but that costs 50.", "instance": "/account/12345/msgs/abc"}',
    expect: {},
  },
];

/** The capture of a Graph 200 list with two per-item failures (1.3 KB). */
export const GRAPH_200_ITEMS =
  '{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#solutions/backupRestore/protectionPolicies(\'b1c2d3e4-0000-4000-8000-aabbccddeeff\')/siteProtectionUnits", "value": [{"@odata.type": "#microsoft.graph.siteProtectionUnit", "id": "89014d8c-71fe-4d00-a01a-31850bc5b32c", "policyId": "b1c2d3e4-0000-4000-8000-aabbccddeeff", "status": "protected", "createdDateTime": "2025-11-17T08:00:00Z", "siteId": "contoso.sharepoint.com,1f2e3d4c,5b6a7980", "error": null}, {"@odata.type": "#microsoft.graph.siteProtectionUnit", "id": "ab7d2a3f-7c2b-4d1e-9f10-2a3b4c5d6e7f", "policyId": "b1c2d3e4-0000-4000-8000-aabbccddeeff", "status": "unprotected", "createdDateTime": "2025-11-17T08:00:00Z", "siteId": "contoso.sharepoint.com,9a8b7c6d,4e3f2a1b", "error": {"code": "ProtectionUnitNotFound", "message": "The site could not be found.", "target": "contoso.sharepoint.com,9a8b7c6d,4e3f2a1b", "details": []}}, {"@odata.type": "#microsoft.graph.siteProtectionUnit", "id": "cd3e4f50-6172-4834-a596-a7b8c9d0e1f2", "policyId": "b1c2d3e4-0000-4000-8000-aabbccddeeff", "status": "unprotected", "createdDateTime": "2025-11-17T08:00:00Z", "siteId": "contoso.sharepoint.com,0a1b2c3d,4e5f6a7b", "error": {"code": "QuotaExceeded", "message": "The tenant\'s backup storage quota has been exceeded.", "target": "contoso.sharepoint.com,0a1b2c3d,4e5f6a7b", "details": []}}]}';

/** A Microsoft 365 200 response with `n` per-item errors, as the issue describes. */
export function itemErrors(n) {
  const items = [];
  for (let i = 0; i < n; i++) {
    const id = `${(0x10000000 + i).toString(16)}-71fe-4d00-a01a-31850bc5b32c`;
    items.push(`{"id":"${id}","error":{"code":"QuotaExceeded","message":"The tenant's backup storage quota has been exceeded for unit ${i}."}}`);
  }
  return `{"value":[${items.join(",")}]}`;
}

/**
 * A Microsoft 365 200 list of about `bytes` bytes: protection units as Graph lists them, one
 * in 100 carrying an error (so large bodies stay under the 10,000-item cap up to ~10 MB and
 * the cost per MB measures the whole pipeline, not the cap).
 */
export function listOfSize(bytes) {
  const head = '{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#solutions/backupRestore/siteProtectionUnits","value":[';
  const parts = [];
  let size = head.length + 2;
  for (let i = 0; size < bytes; i++) {
    const id = `${(0x10000000 + i).toString(16)}-71fe-4d00-a01a-31850bc5b32c`;
    const error = i % 100 === 99 ? '{"code":"QuotaExceeded","message":"The tenant\'s backup storage quota has been exceeded."}' : "null";
    const part = `{"id":"${id}","status":"${error === "null" ? "protected" : "unprotected"}","siteId":"contoso.sharepoint.com,${i}","error":${error}}`;
    parts.push(part);
    size += part.length + 1;
  }
  return head + parts.join(",") + "]}";
}
