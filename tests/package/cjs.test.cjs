// The packed tarball, loaded with require() in Node with no init call.
const { test } = require("node:test");
const assert = require("node:assert/strict");
const errors = require("backup-errors");

test("require() works with no init call", () => {
  assert.equal(errors.classify({ status: 409 }).retryable, false);
  assert.equal(errors.classify({ status: 503 }).retryable, true);
  assert.equal(typeof errors.explain, "function");
  assert.equal(typeof errors.catalog, "function");
});

test("CJS and ESM entries give the same answers", async () => {
  const esm = await import("backup-errors");
  const input = { status: 400, body: { errors: [{ message: "Busy", type: "retryablelogical", code: 4002 }] } };
  assert.deepEqual(errors.classify(input), esm.classify(input));
});
