// The packed tarball, imported as ESM in Node with no init call.
import { test } from "node:test";
import assert from "node:assert/strict";
import { classify, classifyResponse, explain, catalog } from "backup-errors";

test("imports with no init call and applies the HTTP rules", () => {
  assert.equal(classify({ status: 409 }).retryable, false);
  assert.equal(classify({ status: 409 }).action, "do_not_retry");
  assert.equal(classify({ status: 503 }).retryable, true);
  assert.equal(classify({ status: 401 }).action, "reauthenticate");
  assert.equal(classify({ status: 500 }).action, "retry");
  assert.equal(classify({ status: 404 }).retryable, false);
  assert.equal(classify({ status: 0 }).category, "network");
  assert.equal(classify({ status: 204 }).category, "ok");
});

test("every classification has every contract field, absent ones null", () => {
  const c = classify({ status: 500 });
  for (const key of ["vendor", "status", "code", "message", "category", "action", "retryable", "retryAfterMs", "summary", "remediation", "parameter", "requestId", "documented", "items"]) {
    assert.ok(key in c, key);
  }
  assert.equal(c.code, null);
  assert.equal(c.retryAfterMs, null);
  assert.deepEqual(c.items, []);
});

test("Retry-After arrives as seconds or an HTTP-date, headers in any form", () => {
  assert.equal(classify({ status: 429, headers: { "Retry-After": "5" } }).retryAfterMs, 5000);
  assert.equal(classify({ status: 429, headers: [["retry-after", "5"]] }).retryAfterMs, 5000);
  assert.equal(classify({ status: 429, headers: new Headers({ "retry-after": "5" }) }).retryAfterMs, 5000);
  // An HTTP-date names whole seconds; the wait is what is left of it when classify() reads
  // the clock: between `until - after` and `until - before` (no bound on how long it takes).
  const before = Date.now();
  const until = new Date(before + 60_000).setUTCMilliseconds(0);
  const wait = classify({ status: 503, headers: { "retry-after": new Date(until).toUTCString() } }).retryAfterMs;
  const after = Date.now();
  assert.ok(wait >= until - after && wait <= until - before, `${wait} not in [${until - after}, ${until - before}]`);
});

test("bad calls throw Errors with stable codes; bad bodies never throw", () => {
  const code = (fn) => {
    try { fn(); } catch (e) { assert.ok(e instanceof Error); assert.equal(e.name, "BackupErrorsError"); return e.code; }
    assert.fail("did not throw");
  };
  assert.equal(code(() => classify("503")), "ERR_INPUT_NOT_OBJECT");
  assert.equal(code(() => classify({ status: "503" })), "ERR_INVALID_STATUS");
  assert.equal(code(() => classify({ status: -1 })), "ERR_INVALID_STATUS");
  assert.equal(code(() => classify({ status: 500, vendor: "oracle" })), "ERR_UNKNOWN_VENDOR");
  assert.equal(code(() => explain("oracle", "1")), "ERR_UNKNOWN_VENDOR");
  for (const body of ["{not json", "\uFEFF{}", new Uint8Array([0xff, 0xfe, 0x00]), "[".repeat(100_000), "<html><title>Bad Gateway</title></html>", { __proto__: null, a: 1 }]) {
    assert.equal(classify({ status: 502, body }).action, "retry");
  }
});

test("classifyResponse reads a clone and leaves the response unread", async () => {
  const response = new Response(JSON.stringify({ errorCode: "127", errorMessage: "Backup Policy already exists" }), { status: 409 });
  const c = await classifyResponse(response, { vendor: "atlassian" });
  assert.equal(c.code, "127");
  assert.equal(c.category, "conflict");
  assert.equal(response.bodyUsed, false);
  assert.equal((await response.json()).errorCode, "127");
  await assert.rejects(classifyResponse({}), (e) => e.code === "ERR_INVALID_ARGUMENT");
});

test("explain and catalog expose the documented codes", () => {
  const e = explain("huawei", "CSBS.8009", 500);
  assert.equal(e.action, "do_not_retry");
  assert.equal(explain("acronis", 1001).action, "refresh_and_retry");
  assert.equal(explain("veeam", "no-such-code"), null);
  const all = catalog();
  assert.ok(all.length >= 229, String(all.length));
  assert.ok(catalog("veeam").every((row) => row.vendor === "veeam"));
});

test("results are plain objects that cannot pollute prototypes", () => {
  const c = classify({ status: 400, body: '{"errorCode":"__proto__","errorMessage":"x","__proto__":{"polluted":1}}' });
  assert.equal({}.polluted, undefined);
  assert.equal(Object.getPrototypeOf(c), Object.prototype);
  assert.equal(c.code, "__proto__");
});
