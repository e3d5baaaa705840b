// The ids of the texts a classification and a catalog entry show (src/texts.rs): a catalog
// row's summary and remediation are `<row id>.summary` and `<row id>.remediation`. The
// module sends a classification's row by its index in the vendor's catalog; the rows' ids come
// from the catalog operation, read once (and again after registerVendor changes a catalog).
// In another language than English, a text with an id is the loaded pack's, if it has one.
import { run, nameTables } from "./core.js";
import { translated, packOf } from "./locale.js";
import { formatText } from "./format.js";
import { MESSAGES } from "./messages.js";

/** A catalog record (src/wire/out.rs `Out::entry`), with its texts' ids. */
export function readEntry(r, t) {
  const vendor = r.name(t.vendors);
  const status = r.optional();
  const category = r.name(t.categories);
  const action = r.name(t.actions);
  const code = r.str();
  const summary = r.str();
  const remediation = r.str();
  const id = r.str();
  return { vendor, code, status, category, action, summary, remediation, summaryId: `${id}.summary`, remediationId: `${id}.remediation` };
}

let rows = null; // vendor → the ids of its catalog's rows, in order
let english = null; // every catalog and HTTP rule text by id, in English

/** The catalog's rows are read again on next use (registerVendor changed them). */
export function forgetRows() {
  rows = null;
  english = null;
}

/** Reads the catalog once: its rows' ids by vendor, and its texts and the rules' by id. */
function load() {
  const r = run("catalog", (w) => w.arg(undefined));
  const t = nameTables();
  const n = r.u32();
  rows = new Map();
  english = {};
  for (let k = 0; k < n; k++) {
    const e = readEntry(r, t);
    let list = rows.get(e.vendor);
    if (list === undefined) rows.set(e.vendor, (list = []));
    list.push(e.summaryId.slice(0, -".summary".length));
    english[e.summaryId] = e.summary;
    english[e.remediationId] = e.remediation;
  }
  const rules = run("texts");
  const count = rules.u32();
  for (let k = 0; k < count; k++) {
    const id = rules.str();
    english[id] = rules.str();
  }
}

/** The id of row `row` of `vendor`'s catalog (null for no row). */
export function rowId(vendor, row) {
  if (row === null) return null;
  if (rows === null) load();
  return rows.get(vendor)?.[row] ?? null;
}

/** Every catalog text by id, then the rules' (`http.503.summary`, `action.retry.remediation`), in English. */
export function catalogTexts() {
  if (english === null) load();
  return english;
}

/**
 * The texts of `tag` (default: the current language) as `{ [id]: ICU MessageFormat text }`,
 * every id English has (the decisions' sentences, then the catalog's texts): a pack's own
 * text, or English where the pack has none. A fresh object: merge it into an i18n library's
 * resources.
 */
export function messages(tag) {
  const pack = packOf(tag);
  const out = {};
  for (const [id, text] of MESSAGES) out[id] = pack?.[id] || text;
  for (const [id, text] of Object.entries(catalogTexts())) out[id] = pack?.[id] || text;
  return out;
}

/** `text` (English, with id `id`) in the current language: the pack's, formatted with `params`; else `text`. */
export function inLanguage(id, text, params) {
  if (id === null) return text;
  const own = translated(id);
  return own === undefined ? text : formatText(own, params);
}
