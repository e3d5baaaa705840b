// Sentences made from messages and params, in the current language (locale.js): the part of
// ICU MessageFormat the messages use (src/reason/messages.rs and the locale packs): `{param}`
// and `{param, select, key {…} other {…}}`. A value shows as `String(value)`; a param that is
// missing shows as nothing and selects `other`. intl-messageformat gives the same text for
// every message (tests/package/messages.test.mjs).
import { MESSAGES } from "./messages.js";
import { templateOf, localeVersion } from "./locale.js";

/** Each message's text in the current language, parsed once, by index. */
let parsed = [];
let parsedFor = -1;

/**
 * Parses `s` from `i` up to the `}` that closes it (when `nested`) or its end: a list of
 * texts, `{ name }` and `{ name, options }` (a select: key → list). Returns `[list, end]`.
 */
function parse(s, i, nested) {
  const list = [];
  let from = i;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 0x7d && nested) break; // }
    if (c !== 0x7b) {
      i++;
      continue;
    }
    if (i > from) list.push(s.slice(from, i));
    let j = i + 1;
    while (j < s.length && s[j] !== "," && s[j] !== "}") j++;
    const name = s.slice(i + 1, j).trim();
    if (s[j] !== ",") {
      list.push({ name, options: null });
      i = from = j + 1;
      continue;
    }
    j = s.indexOf(",", j + 1) + 1; // past "select,"
    const options = Object.create(null);
    for (;;) {
      while (s[j] === " ") j++;
      if (j >= s.length || s[j] === "}") break;
      const open = s.indexOf("{", j);
      const [branch, end] = parse(s, open + 1, true);
      options[s.slice(j, open).trim()] = branch;
      j = end + 1;
    }
    list.push({ name, options });
    i = from = j + 1;
  }
  if (i > from) list.push(s.slice(from, i));
  return [list, i];
}

function render(list, params) {
  let out = "";
  for (const part of list) {
    if (typeof part === "string") {
      out += part;
      continue;
    }
    const value = params[part.name];
    if (part.options === null) out += value === undefined ? "" : String(value);
    else out += render(part.options[String(value)] ?? part.options.other ?? [], params);
  }
  return out;
}

/** The sentence of message `index` (MESSAGES) with `params`, in the current language (locale.js). */
export function formatMessage(index, params) {
  if (parsedFor !== localeVersion()) {
    parsed = [];
    parsedFor = localeVersion();
  }
  let list = parsed[index];
  if (list === undefined) {
    list = parsed[index] = parse(templateOf(index), 0, false)[0];
  }
  return render(list, params);
}

const parsedTexts = new Map(); // text → its parse, for texts of the packs

/** `text` (ICU MessageFormat) with `params`. */
export function formatText(text, params) {
  let list = parsedTexts.get(text);
  if (list === undefined) {
    if (parsedTexts.size >= 4096) parsedTexts.clear();
    list = parse(text, 0, false)[0];
    parsedTexts.set(text, list);
  }
  return render(list, params);
}

/** The id of message `index`. */
export function messageId(index) {
  return MESSAGES[index][0];
}
