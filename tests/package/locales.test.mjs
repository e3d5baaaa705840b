// The decisions' reasons in the console's language: the locale packs are separate entries
// (backup-errors/locales/<tag>) that load their texts when imported; setLocale chooses the
// language `reason` is made in; messages(tag) gives the ICU texts for an i18n library. Each
// pack is complete, keeps every placeholder, and its sentences are what intl-messageformat
// makes of messages(tag) and the decision's params.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { IntlMessageFormat } from "intl-messageformat";
import { parse } from "@formatjs/icu-messageformat-parser";
import { placeholders } from "./support/messages.mjs";
import { catalog, classify, explain, getLocale, messages, registerLocale, retry, RetryPolicy, setLocale } from "backup-errors";

const TAGS = ["de", "fr", "ja", "zh-CN"];
const VEEAM_BUSY = '{"errors":[{"message":"busy","type":"retryablelogical","code":4002}]}';

/** Decisions that use many messages: backoff, server wait, busy, 409, non-idempotent, too long a wait. */
function decisions() {
  const policy = new RetryPolicy({ seed: 3 });
  const at = (input, context = {}) => policy.decide(classify(input), { attempt: 1, elapsedMs: 0, ...context });
  return [
    at({ status: 503 }),
    at({ status: 429, headers: { "retry-after": "3" } }),
    at({ status: 520, body: VEEAM_BUSY }),
    at({ status: 409 }, { earlierAmbiguousFailure: true }),
    at({ status: 500 }, { method: "POST" }),
    at({ status: 429, headers: { "retry-after": "3600" } }),
    at({ status: 0 }),
  ];
}


test("a pack that is not loaded cannot be chosen; English is the default", () => {
  assert.equal(getLocale(), "en");
  assert.throws(() => setLocale("de"), (e) => e.name === "BackupErrorsError" && e.code === "ERR_INVALID_ARGUMENT" && /locales\/de/.test(e.message));
  assert.throws(() => setLocale("not a tag"), { code: "ERR_INVALID_ARGUMENT" });
  assert.throws(() => messages("fr"), { code: "ERR_INVALID_ARGUMENT" });
  assert.equal(getLocale(), "en");
});

test("each pack, once imported, makes every reason in its language, as intl-messageformat makes it", async () => {
  const english = decisions().map((d) => d.reason);
  for (const tag of TAGS) {
    const pack = (await import(`backup-errors/locales/${tag}`)).default;
    setLocale(tag);
    assert.equal(getLocale(), tag);
    const texts = messages(tag);
    const made = decisions();
    made.forEach((d, k) => {
      assert.notEqual(d.reason, english[k], `${tag}: ${d.reasonId} is translated`);
      assert.equal(d.reason, String(new IntlMessageFormat(texts[d.reasonId], tag).format(d.params)), `${tag} ${d.reasonId}`);
      assert.equal(texts[d.reasonId], pack[d.reasonId]);
      assert.ok(d.reason.startsWith(`${d.rule}: `), d.reason);
    });
    // A reason that holds the one it overruled: both in the pack's language.
    let vetoed = null;
    await assert.rejects(
      retry(async () => Promise.reject(Object.assign(new Error("down"), { status: 503 })), { baseDelayMs: 1, maxDelayMs: 2, shouldRetry: () => false, onGiveUp: ({ decision }) => (vetoed = decision) }),
    );
    assert.equal(vetoed.rule, "caller-veto");
    assert.ok(vetoed.reason.includes(vetoed.params.policyReason), vetoed.reason);
    assert.ok(vetoed.params.policyReason.startsWith("5xx-backoff: "), vetoed.params.policyReason);
    assert.ok(!vetoed.params.policyReason.includes("is a server failure"), `${tag}: the overruled reason is translated too: ${vetoed.params.policyReason}`);
    assert.ok(!vetoed.reason.includes("shouldRetry returned false; the policy"), `${tag}: ${vetoed.reason}`);
  }
  // A more specific tag finds its language; any English one is English.
  setLocale("de-AT");
  assert.equal(getLocale(), "de");
  setLocale("en-US");
  assert.equal(getLocale(), "en");
  assert.deepEqual(decisions().map((d) => d.reason), english);
});

test("each pack gives a Veeam 4002 classification's summary and remediation in its language, as intl-messageformat makes them", async () => {
  const input = { status: 520, body: VEEAM_BUSY };
  const english = classify(input);
  assert.deepEqual([english.summaryId, english.remediationId, english.textParams], ["veeam.4002.summary", "veeam.4002.remediation", {}]);
  assert.equal(messages("en")[english.summaryId], english.summary);
  for (const tag of TAGS) {
    await import(`backup-errors/locales/${tag}`);
    setLocale(tag);
    const texts = messages(tag);
    const c = classify(input);
    assert.equal(c.summaryId, english.summaryId);
    assert.notEqual(c.summary, english.summary, tag);
    assert.notEqual(c.remediation, english.remediation, tag);
    assert.equal(c.summary, String(new IntlMessageFormat(texts[c.summaryId], tag).format(c.textParams)));
    assert.equal(c.remediation, String(new IntlMessageFormat(texts[c.remediationId], tag).format(c.textParams)));
    // The same row through explain() and catalog(), and a decision on it: all in the language.
    assert.equal(explain("veeam", "4002").summary, c.summary);
    assert.equal(catalog("veeam").find((e) => e.summaryId === c.summaryId).remediation, c.remediation);
    const d = new RetryPolicy({ seed: 1 }).decide(c, { attempt: 1 });
    assert.equal(d.reason, String(new IntlMessageFormat(texts[d.reasonId], tag).format(d.params)));
    // An item's documented summary too.
    const item = classify({ status: 200, vendor: "microsoft365", body: '{"value":[{"error":{"code":"QuotaExceeded","message":"full"}}]}' }).items[0];
    assert.equal(item.summary, texts[item.summaryId]);
  }
  setLocale("en");
  assert.equal(classify(input).summary, english.summary);
});

test("every pack has every id, with the same placeholders as English; what each leaves identical is listed", async () => {
  const english = messages("en");
  const identical = {};
  for (const tag of TAGS) {
    const pack = (await import(`backup-errors/locales/${tag}`)).default;
    assert.deepEqual(Object.keys(pack), Object.keys(english), `${tag}: the same ids, in the same order`);
    identical[tag] = [];
    for (const [id, text] of Object.entries(english)) {
      const theirs = pack[id];
      assert.ok(typeof theirs === "string" && theirs.trim() !== "", `${tag} ${id}`);
      assert.deepEqual([...placeholders(parse(theirs))].sort(), [...placeholders(parse(text))].sort(), `${tag} ${id}: placeholders`);
      if (theirs === text) identical[tag].push(id);
    }
  }
  // No sentence is left in English: the rule tags, codes and names stay, the words do not.
  assert.deepEqual(identical, { de: [], fr: [], ja: [], "zh-CN": [] });
});

test("an id a language lacks, or leaves empty, falls back to English; registerLocale checks its arguments", () => {
  registerLocale("eo", { "rule.5xx-backoff": "5xx-backoff: {status, select, 0 {nothing} other {status {status}}}, again in {delayMs} ms.", "rule.server-wait": "" });
  setLocale("eo");
  const [backoff, wait] = decisions();
  assert.equal(backoff.reason, `5xx-backoff: status 503, again in ${backoff.delayMs} ms.`);
  setLocale("en");
  const [, waitEnglish] = decisions();
  assert.equal(wait.reason, waitEnglish.reason);
  assert.equal(messages("eo")["rule.server-wait"], messages("en")["rule.server-wait"]);
  for (const [tag, texts] of [["en", {}], ["", {}], [42, {}], ["de", null], ["de", []], ["de", { "rule.ok": 1 }]]) {
    assert.throws(() => registerLocale(tag, texts), (e) => e.name === "BackupErrorsError" && e.code === "ERR_INVALID_ARGUMENT", JSON.stringify([tag, texts]));
  }
  setLocale("en");
  const copy = messages();
  copy["rule.ok"] = "changed";
  assert.notEqual(messages()["rule.ok"], "changed");
});

test("require() of a pack loads it into the require() entry; tags are matched in their canonical form", () => {
  const app = join(dirname(fileURLToPath(import.meta.url)), "..");
  const script = join(app, `locale-${process.pid}.cjs`);
  writeFileSync(
    script,
    `const be = require("backup-errors");
     require("backup-errors/locales/zh-CN");
     be.setLocale("zh-cn");
     const d = new be.RetryPolicy({ seed: 1 }).decide(be.classify({ status: 409 }), { attempt: 1 });
     console.log(JSON.stringify([be.getLocale(), d.rule, d.reason === be.messages("zh-CN")["rule.409-never"], d.reason === be.messages("en")["rule.409-never"]]));`,
  );
  try {
    const r = spawnSync(process.execPath, [script], { cwd: app, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), ["zh-CN", "409-never", true, false]);
  } finally {
    rmSync(script, { force: true });
  }
});

test("the HTTP status rules' texts have ids and come in each pack's language", async () => {
  const english = classify({ status: 503 });
  assert.deepEqual([english.summaryId, english.remediationId], ["http.503.summary", "http.503.remediation"]);
  assert.equal(classify({ status: 413, headers: { "retry-after": "5" } }).summaryId, "http.413-wait.summary");
  assert.equal(classify({ status: 0 }).remediationId, null);
  for (const tag of TAGS) {
    await import(`backup-errors/locales/${tag}`);
    setLocale(tag);
    const c = classify({ status: 503 });
    assert.notEqual(c.summary, english.summary, tag);
    assert.equal(c.summary, String(new IntlMessageFormat(messages(tag)[c.summaryId], tag).format(c.textParams)));
    assert.equal(c.remediation, messages(tag)[c.remediationId]);
  }
  setLocale("en");
});
