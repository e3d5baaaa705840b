// Classifications across the boundary: the input of `classify` as the module reads it, and
// the classification record it writes (src/wire/out.rs, `Out::classification`) as a plain
// object.
import { nameTables, currentGeneration } from "./core.js";

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
export function classifyInput(w, input, truncated = false) {
  w.f64(Date.now());
  if (input === null || typeof input !== "object" || Array.isArray(input)) return w.arg(input);
  const { status, headers, vendor, method, body } = input;
  w.u8(10).u32(5);
  w.text("status").arg(status);
  w.text("headers").headers(headers);
  w.text("vendor").arg(vendor);
  w.text("method").arg(method);
  w.text("body").setBody(body);
  if (truncated && w.body !== null && w.body.bytes !== undefined) w.body.truncated = true;
  return w;
}

/** The strings the last classification block sent, and the instance it was sent to. */
let lastCode;
let lastSummary;
let lastGeneration = -1;

/**
 * A classification block: the fields the operations use, read once each, by index (form 0);
 * a classification whose fields do not fit goes as an argument (form 1), for the module to
 * say what is wrong with it.
 */
export function writeClassification(input, c) {
  const t = nameTables();
  if (c === null || typeof c !== "object") return input.u32(1).arg(c);
  const { vendor, status, category, action, processed, retryAfterMs, items, code, summary } = c;
  const v = t.vendorIndex.get(vendor);
  const cat = t.categoryIndex.get(category);
  const act = t.actionIndex.get(action);
  const proc = processed === undefined || processed === null ? 3 : t.processedIndex.get(processed);
  const fits =
    v !== undefined && cat !== undefined && act !== undefined && proc !== undefined &&
    Number.isInteger(status) && status >= 0 && status <= 0xffff &&
    (retryAfterMs === undefined || retryAfterMs === null || (Number.isSafeInteger(retryAfterMs) && retryAfterMs >= 0)) &&
    Array.isArray(items) && (code === undefined || code === null || typeof code === "string") && typeof summary === "string";
  if (!fits) {
    const { message, retryable, remediation, parameter, requestId, documented } = c;
    return input.u32(1).arg({ vendor, status, category, action, processed, retryAfterMs, items, code, summary, message, retryable, remediation, parameter, requestId, documented });
  }
  input.u32(0).u32(v).u32(status).u32(cat).u32(act).u32(proc);
  input.f64(retryAfterMs === undefined || retryAfterMs === null ? NaN : retryAfterMs).u32(items.length);
  const generation = currentGeneration();
  const same = generation === lastGeneration;
  if (typeof code !== "string") input.u32(0);
  else if (same && code === lastCode && code.length <= 1000) input.u32(1);
  else input.u32(2).text(code);
  if (same && summary === lastSummary && summary.length <= 1000) input.u32(1);
  else input.u32(2).text(summary);
  // Forgotten until the module has read this block and the operation succeeded: a getter of
  // the caller's that throws after this point (a decide() context, plan() options), or an
  // error the module reports, must not leave "the same" meaning a text the module never kept.
  lastGeneration = -1;
  return input.afterSuccess(() => {
    lastCode = typeof code === "string" ? code : undefined;
    lastSummary = summary;
    lastGeneration = generation;
  });
}
