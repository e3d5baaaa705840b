// The languages of the package's texts. English is built in (messages.js, generated from the
// crate); a locale pack (`backup-errors/locales/<tag>`) registers its texts here when it is
// imported, and `setLocale` chooses the language the decisions' `reason` is made in. Texts
// are ICU MessageFormat over the same params in every language; an id a pack lacks (or leaves
// empty) falls back to English.
import { MESSAGES } from "./messages.js";
import { failure } from "./core.js";

/** The loaded packs: canonical tag → { id: text }. */
const packs = new Map();
let current = "en";
/** Bumped whenever what a message index reads as may change (a pack loaded, the locale set). */
let version = 0;

/** `tag` in its canonical form (`zh-cn` → `zh-CN`), or null when it is no language tag. */
function canonical(tag) {
  if (typeof tag !== "string") return null;
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}

/**
 * Loads texts of language `tag` (a BCP 47 tag other than `en`): `messages` maps ids (those
 * `messages("en")` lists) to ICU MessageFormat texts. Loading a tag again adds to its texts
 * (an id given again takes the new text), so a program can bring its registered vendors'
 * texts, or its own wording, to a pack in either order. The locale packs call this.
 */
export function registerLocale(tag, messages) {
  const t = canonical(tag);
  if (t === null || t === "en") throw failure("argument", "tag", 'a BCP 47 language tag other than "en", such as "de" or "zh-CN"', tag);
  if (messages === null || typeof messages !== "object" || Array.isArray(messages)) throw failure("argument", "messages", "an object of ICU MessageFormat texts by id", messages);
  const entries = Object.entries(messages);
  for (const [id, text] of entries) {
    if (typeof text !== "string") throw failure("argument", `messages["${id}"]`, "a string", text);
  }
  let own = packs.get(t);
  if (own === undefined) packs.set(t, (own = Object.create(null)));
  for (const [id, text] of entries) own[id] = text;
  version++;
  return messages;
}

/**
 * The loaded language `tag` asks for, by BCP 47 lookup: the tag itself, else the tag with
 * its last subtags dropped (`de-AT` → `de`, `zh-Hans-CN` → `zh-Hans` → `zh`); any `en-…`
 * is English. Null when none is loaded.
 */
function lookup(t) {
  if (t === null) return null;
  for (let candidate = t; candidate !== ""; candidate = candidate.slice(0, Math.max(candidate.lastIndexOf("-"), 0))) {
    if (candidate === "en" || packs.has(candidate)) return candidate;
  }
  return null;
}

/**
 * Makes `tag` the language of the texts the package makes from now on (`reason` of each
 * decision, `summary` and `remediation` of classifications and catalog entries): `"en"` or
 * a loaded pack's tag (a more specific tag, `de-AT`, finds `de`). Throws
 * ERR_INVALID_ARGUMENT for a tag whose pack was not imported.
 */
export function setLocale(tag) {
  const t = lookup(canonical(tag));
  if (t === null) {
    const asked = canonical(tag);
    const hint = asked === null ? "" : ` (import "backup-errors/locales/${asked}" first)`;
    throw failure("argument", "locale", `"en" or the tag of a loaded locale pack${hint}`, tag);
  }
  current = t;
  version++;
}

/** The language the package's texts are made in now. */
export function getLocale() {
  return current;
}

/**
 * The texts loaded for `tag` (default: the current language): `null` for English, the pack's
 * `{ id: text }` otherwise. Throws ERR_INVALID_ARGUMENT for a tag with no pack loaded.
 */
export function packOf(tag = current) {
  const t = lookup(canonical(tag));
  if (t === null) throw failure("argument", "locale", '"en" or the tag of a loaded locale pack', tag);
  return t === "en" ? null : packs.get(t);
}

/** The current language's own text for `id` (a pack's, not empty), or undefined (English). */
export function translated(id) {
  if (current === "en") return undefined;
  return packs.get(current)[id] || undefined;
}

/** The text of message `index` in the current language, and a key that changes when it may. */
export function templateOf(index) {
  return translated(MESSAGES[index][0]) ?? MESSAGES[index][1];
}

/** A number that changes whenever `templateOf` may answer differently. */
export function localeVersion() {
  return version;
}
