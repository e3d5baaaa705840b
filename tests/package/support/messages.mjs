// The reasons' messages as the installed package ships them (messages.js, generated from the
// crate) and a real ICU MessageFormat implementation to format them with: what a console's
// i18n library would make of a decision's `reasonId` and `params`.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { IntlMessageFormat } from "intl-messageformat";
import { TYPE } from "@formatjs/icu-messageformat-parser";

const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve("backup-errors/package.json"));

/** The package's module `file` (by path: the tests read the tarball's files as installed). */
export const packageModule = (file) => import(pathToFileURL(join(packageDir, file)).href);

/** `[[id, text], …]` by index, as the package ships them. */
export const { MESSAGES } = await packageModule("messages.js");

const byId = new Map(MESSAGES.map(([id, text]) => [id, text]));

/** The sentence intl-messageformat makes from message `id` and `params`. */
export function icuSentence(id, params) {
  const text = byId.get(id);
  if (text === undefined) throw new Error(`no message ${id}`);
  return String(new IntlMessageFormat(text, "en").format(params));
}

/** The argument names of a parsed message (`parse` of @formatjs/icu-messageformat-parser), selects' branches included. */
export function placeholders(elements, out = new Set()) {
  for (const el of elements) {
    if (el.type === TYPE.argument || el.type === TYPE.select) out.add(el.value);
    if (el.type === TYPE.select) for (const option of Object.values(el.options)) placeholders(option.value, out);
  }
  return out;
}
