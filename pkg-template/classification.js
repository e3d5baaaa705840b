// Classifications across the boundary: the input of `classify` as the module reads it, and
// the classification record it writes (src/wire/out.rs, `Out::classification`) as a plain
// object.
import { nameTables, currentGeneration } from "./core.js";
import { rowId, inLanguage } from "./texts.js";

const NO_PARAMS = Object.freeze({});

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
  const summaryRow = r.optional();
  const summaryRule = r.str();
  const remediationRow = r.optional();
  const remediationRule = r.str();
  const textParams = r.u32() === 0 ? NO_PARAMS : Object.freeze({ [r.str()]: r.ms() });
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
    const itemSummary = r.str();
    items[k] = { code: itemCode, message: itemMessage, target, status: itemStatus, category: itemCategory, action: itemAction, retryable, retryAfterMs: itemWait, summary: itemSummary, summaryId: r.optional() };
  }
  // The record is read: the rows' ids may now be looked up (their first lookup runs the
  // catalog operation, which would overwrite a record still being read).
  for (const item of items) {
    if (item.summaryId === null) continue;
    item.summaryId = `${rowId(vendor, item.summaryId)}.summary`;
    item.summary = inLanguage(item.summaryId, item.summary, NO_PARAMS);
  }
  const summaryId = textId(vendor, summaryRow, summaryRule, ".summary");
  const remediationId = remediation === null ? null : textId(vendor, remediationRow, remediationRule, ".remediation");
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
    summary: inLanguage(summaryId, summary, textParams),
    remediation: inLanguage(remediationId, remediation, textParams),
    summaryId,
    remediationId,
    textParams,
    parameter,
    requestId,
    documented: (flags & 2) !== 0,
    items,
    truncated: (flags & 4) !== 0,
  };
}

/** The id of a text that comes from catalog row `row` or from rule `rule` (null: neither). */
function textId(vendor, row, rule, suffix) {
  const id = row !== null ? rowId(vendor, row) : rule;
  return id === null ? null : id + suffix;
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

/** The texts the last classification block (or `decideAt`) sent, and the instance it was sent to. */
let lastCode;
let lastSummary;
let lastGeneration = -1;
/** The method `decideAt` last sent, and the instance it was sent to. */
let lastMethod;
let lastMethodGeneration = -1;

/** How a text goes: 0 none, 1 the same as the last one sent, 2 in full. */
function mode(text, last, same) {
  if (typeof text !== "string") return 0;
  return same && text === last && text.length <= 1000 ? 1 : 2;
}

/**
 * A classification's fields as the operations use them, each read once: when they fit their
 * tables (`fits`), by index — vendor, status, category | action << 8 | processed << 16, the
 * server's wait (NaN: none), the item count — with the code and the summary; otherwise the
 * fields as read (or the value itself when it is not an object), for the module to say what
 * is wrong with them.
 */
export class Meaning {
  constructor(c) {
    this.fits = false;
    this.value = c;
    this.fields = null;
    if (c === null || typeof c !== "object") return;
    const t = nameTables();
    const { vendor, status, category, action, processed, retryAfterMs, items, code, summary } = c;
    const v = t.vendorIndex.get(vendor);
    const cat = t.categoryIndex.get(category);
    const act = t.actionIndex.get(action);
    const proc = processed === undefined || processed === null ? 3 : t.processedIndex.get(processed);
    this.fits =
      v !== undefined && cat !== undefined && act !== undefined && proc !== undefined &&
      Number.isInteger(status) && status >= 0 && status <= 0xffff &&
      (retryAfterMs === undefined || retryAfterMs === null || (Number.isSafeInteger(retryAfterMs) && retryAfterMs >= 0)) &&
      Array.isArray(items) && (code === undefined || code === null || typeof code === "string") && typeof summary === "string";
    if (!this.fits) {
      const { message, retryable, remediation, parameter, requestId, documented } = c;
      this.fields = { vendor, status, category, action, processed, retryAfterMs, items, code, summary, message, retryable, remediation, parameter, requestId, documented };
      return;
    }
    this.vendor = v;
    this.status = status;
    this.meaning = cat | (act << 8) | (proc << 16);
    this.retryAfter = retryAfterMs === undefined || retryAfterMs === null ? NaN : retryAfterMs;
    this.items = items.length;
    this.code = code;
    this.summary = summary;
    this.method = undefined;
    this.generation = -1;
  }

  /**
   * For `decideAt`: the modes of the code, the summary and `method` (flags bits 2–7), and in
   * `texts` those sent in full. Until `succeeded()`, "the same" means nothing (a module error
   * must not leave it meaning a text the module never kept).
   */
  modesFor(method, texts) {
    const generation = currentGeneration();
    const same = generation === lastGeneration;
    const c = mode(this.code, lastCode, same);
    const s = mode(this.summary, lastSummary, same);
    const m = mode(method, lastMethod, generation === lastMethodGeneration);
    if (c === 2) texts.push(this.code);
    if (s === 2) texts.push(this.summary);
    if (m === 2) texts.push(method);
    this.method = method;
    this.generation = generation;
    lastGeneration = -1;
    lastMethodGeneration = -1;
    return (c << 2) | (s << 4) | (m << 6);
  }

  /** The operation that read the texts succeeded: they are the last ones sent. */
  succeeded() {
    lastCode = typeof this.code === "string" ? this.code : undefined;
    lastSummary = this.summary;
    lastMethod = this.method;
    lastGeneration = this.generation;
    lastMethodGeneration = this.generation;
  }
}

/**
 * A classification block: the fields the operations use, read once each, by index (form 0);
 * a classification whose fields do not fit goes as an argument (form 1), for the module to
 * say what is wrong with it. `c` may be a `Meaning` already read.
 */
export function writeClassification(input, c) {
  const m = c instanceof Meaning ? c : new Meaning(c);
  if (!m.fits) return input.u32(1).arg(m.fields === null ? m.value : m.fields);
  input.u32(0).u32(m.vendor).u32(m.status).u32(m.meaning & 0xff).u32((m.meaning >> 8) & 0xff).u32(m.meaning >> 16);
  input.f64(m.retryAfter).u32(m.items);
  const generation = currentGeneration();
  const same = generation === lastGeneration;
  const c0 = mode(m.code, lastCode, same);
  if (c0 === 2) input.u32(2).text(m.code);
  else input.u32(c0);
  if (mode(m.summary, lastSummary, same) === 1) input.u32(1);
  else input.u32(2).text(m.summary);
  // Forgotten until the module has read this block and the operation succeeded: a getter of
  // the caller's that throws after this point (a decide() context, plan() options), or an
  // error the module reports, must not leave "the same" meaning a text the module never kept.
  lastGeneration = -1;
  return input.afterSuccess(() => {
    lastCode = typeof m.code === "string" ? m.code : undefined;
    lastSummary = m.summary;
    lastGeneration = generation;
  });
}
