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

test("the package's formatter and intl-messageformat make the same sentence from every message", () => {
  let compared = 0;
  for (const [index, [id, text]] of MESSAGES.entries()) {
    const names = [...placeholders(parse(text))];
    for (const status of [0, 200, 409, 503]) {
      const params = {};
      names.forEach((name, k) => {
        params[name] = name === "status" ? status : /Ms$|^(attempt|nextAttempt|maxAttempts|failedItems|tokensLeft|capacity|cost)$/.test(name) ? 1000 * k + 7 : `${name} wörds ${k}`;
      });
      const ours = formatMessage(index, params);
      assert.equal(ours, icuSentence(id, params), id);
      assert.ok(!ours.includes("{") && !ours.includes("}"), `${id}: ${ours}`);
      if (names.includes("status")) {
        const shown = id === "refusal.never-sent-again" ? (status === 409 ? "a 409" : "a 2xx") : status === 0 ? "no response" : `HTTP ${status}`;
        assert.ok(ours.includes(shown), `${id} (${status}): ${ours}`);
      }
      compared++;
    }
  }
  assert.equal(compared, MESSAGES.length * 4);
});
