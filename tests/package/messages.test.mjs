// The reasons' messages: each a sentence in ICU MessageFormat over a decision's params. A real
// parser reads every one; the package's own formatter (format.js) and intl-messageformat make
// the same sentence from the same params, for every message and every status branch.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { parse } from "@formatjs/icu-messageformat-parser";
import { MESSAGES, icuSentence, packageModule, placeholders } from "./support/messages.mjs";

const { formatMessage } = await packageModule("format.js");

const require = createRequire(import.meta.url);
const types = readFileSync(join(dirname(require.resolve("backup-errors/package.json")), "index.d.ts"), "utf8");
/** The literals of `export type <name> = …;` in the package's types. */
const union = (name) => [...new RegExp(`export type ${name} =([^;]*);`).exec(types)[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);


test("every message parses as ICU MessageFormat and names only the params a decision has", () => {
  const params = new Set(union("ReasonParam"));
  assert.ok(params.has("delayMs") && params.has("policyReason"), [...params].join(", "));
  assert.deepEqual(MESSAGES.map(([id]) => id), union("ReasonId"));
  const rules = new Set(union("RetryRule"));
  for (const [id, text] of MESSAGES) {
    const names = placeholders(parse(text));
    for (const name of names) assert.ok(params.has(name), `${id}: {${name}} is not a ReasonParam`);
    const rule = /^rule\.([^.]+)/.exec(id)?.[1];
    if (rule !== undefined) {
      assert.ok(rules.has(rule), `${id}: ${rule} is not a RetryRule`);
      assert.ok(text.startsWith(`${rule}: `), `${id}: ${text}`);
    } else {
      assert.ok(text.startsWith("{policyReason} "), `${id}: a refusal adds to the policy's reason`);
    }
  }
});

/** The keys of each select in `elements` (an ICU AST), by param name, `other` included. */
function selectKeys(elements, out = new Map()) {
  for (const el of elements) {
    if (el.options === undefined) continue;
    out.set(el.value, [...new Set([...(out.get(el.value) ?? []), ...Object.keys(el.options)])]);
    for (const option of Object.values(el.options)) selectKeys(option.value, out);
  }
  return out;
}

test("the package's formatter and intl-messageformat make the same sentence from every message and every branch", () => {
  let compared = 0;
  let branches = 0;
  for (const [index, [id, text]] of MESSAGES.entries()) {
    const ast = parse(text);
    const names = [...placeholders(ast)];
    const selects = selectKeys(ast);
    const variants = Math.max(4, ...[...selects.values()].map((keys) => keys.length));
    for (let v = 0; v < variants; v++) {
      const params = {};
      names.forEach((name, k) => {
        const keys = selects.get(name);
        if (keys !== undefined) {
          const key = keys[v % keys.length];
          params[name] = key === "other" ? (name === "status" ? 503 : `unlisted ${k}`) : name === "status" ? Number(key) : key;
          return;
        }
        params[name] = /Ms$|^(attempt|nextAttempt|maxAttempts|failedItems|tokensLeft|capacity|cost)$/.test(name) ? 1000 * k + 7 : `${name} wörds ${k}`;
      });
      const ours = formatMessage(index, params);
      assert.equal(ours, icuSentence(id, params), `${id} ${JSON.stringify(params)}`);
      assert.ok(!ours.includes("{") && !ours.includes("}"), `${id}: ${ours}`);
      if (names.includes("status")) {
        const status = params.status;
        const shown = id === "refusal.never-sent-again" ? (status === 409 ? "a 409" : "a 2xx") : status === 0 ? "no response" : `HTTP ${status}`;
        assert.ok(ours.includes(shown), `${id} (${status}): ${ours}`);
      }
      compared++;
    }
    branches += [...selects.values()].reduce((n, keys) => n + keys.length, 0);
  }
  assert.ok(compared >= MESSAGES.length * 4, `${compared} sentences compared`);
  // The words of jitter, source and schedule are branches too: each was formatted.
  assert.ok(branches > MESSAGES.length * 2, `${branches} branches`);
});
