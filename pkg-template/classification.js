// Classifications across the boundary: the input of `classify` as the module reads it, and
// the classification record it writes (src/wire/out.rs, `Out::classification`) as a plain
// object.
import { nameTables } from "./core.js";
import { Input } from "./encode.js";

/** A classification record (src/wire/out.rs, `Out::classification`). */
export function readClassification(r) {
  const t = nameTables();
  const vendor = r.name(t.vendors);
  const status = r.u32();
  const category = r.name(t.categories);
  const action = r.name(t.actions);
  const flags = r.u32();
  const processed = r.name(t.processed);
  const retryAfterMs = r.ms();
  const code = r.str();
  const message = r.str();
  const summary = r.str();
  const remediation = r.str();
  const parameter = r.str();
  const requestId = r.str();
  const n = r.u32();
  const items = new Array(n);
  for (let k = 0; k < n; k++) {
    const itemCode = r.str();
    const itemMessage = r.str();
    const target = r.str();
    const itemStatus = r.optional();
    const itemCategory = r.name(t.categories);
    const itemAction = r.name(t.actions);
    const retryable = r.bool();
    const itemWait = r.ms();
    items[k] = { code: itemCode, message: itemMessage, target, status: itemStatus, category: itemCategory, action: itemAction, retryable, retryAfterMs: itemWait, summary: r.str() };
  }
  return {
    vendor,
    status,
    code,
    message,
    category,
    action,
    retryable: (flags & 1) !== 0,
    processed,
    retryAfterMs,
    summary,
    remediation,
    parameter,
    requestId,
    documented: (flags & 2) !== 0,
    items,
    truncated: (flags & 4) !== 0,
  };
}

/**
 * The input of `classify` as the module reads it: `Date.now()`, then the input object — its
 * five fields read once each, the body last (written straight into the module's memory).
 * Something other than an object goes as it is, for the module to refuse.
 */
export function classifyInput(input, truncated = false) {
  const w = new Input().f64(Date.now());
  if (input === null || typeof input !== "object" || Array.isArray(input)) return w.arg(input);
  const { status, headers, vendor, method, body } = input;
  w.u8(10).u32(5);
  w.text("status").arg(status);
  w.text("headers").arg(headers);
  w.text("vendor").arg(vendor);
  w.text("method").arg(method);
  w.text("body").setBody(body);
  if (truncated && w.body !== null && w.body.bytes !== undefined) w.body.truncated = true;
  return w;
}

