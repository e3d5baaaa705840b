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
import { serve } from "./support/loopback.mjs";
import { catalog, classify, explain, fetchWithRetry, getLocale, messages, registerLocale, registerVendor, retry, RetryPolicy, setLocale } from "backup-errors";

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

/** `c`'s summary and remediation as intl-messageformat makes them from `texts` and `textParams`. */
function icuTexts(texts, tag, c) {
  const format = (id) => (id === null ? null : String(new IntlMessageFormat(texts[id], tag).format(c.textParams)));
  return [format(c.summaryId), format(c.remediationId)];
}

test("the rules' texts have ids too: a vendor's rule, the advice for an action, the failed items of a 2xx, an attempt without a response", async (t) => {
  const server = await serve(t, (req, res) => {}); // never answers
  const closed = await serve(t, () => {});
  await new Promise((resolve) => closed.server.close(resolve)); // nothing listens there now
  const cases = async () => {
    const failures = [];
    for (const [url, options] of [[server.url, { timeoutMs: 30 }], [closed.url, {}]]) {
      await fetchWithRetry(url, undefined, { maxAttempts: 1, ...options, onGiveUp: ({ classification }) => failures.push(classification) }).catch(() => {});
    }
    return [
      classify({ status: 400, body: '{"errors":[{"message":"no","type":"logical","code":987654}]}' }),
      classify({ status: 403, vendor: "microsoft365", body: '{"error":{"code":"accessDenied","message":"no"}}' }),
      classify({ status: 200, vendor: "microsoft365", body: '{"value":[{"error":{"code":"a","message":"x"}},{"error":{"code":"b","message":"y"}}]}' }),
      ...failures,
    ];
  };
  const english = await cases();
  assert.deepEqual(
    english.map((c) => [c.summaryId, c.remediationId, c.textParams]),
    [
      ["veeam.type.logical.summary", "action.fix_request.remediation", {}],
      ["microsoft365.graph.accessDenied.summary", "action.do_not_retry.remediation", {}],
      ["http.2xx-failed-items.summary", null, { failedItems: 2 }],
      ["outcome.timeout-ms.summary", null, { timeoutMs: 30 }],
      ["outcome.not-sent.summary", null, {}],
    ],
  );
  for (const c of english) assert.deepEqual(icuTexts(messages("en"), "en", c), [c.summary, c.remediation], c.summaryId);
  assert.equal(english[2].summary, "The request succeeded, but 2 item(s) failed.");
  for (const tag of TAGS) {
    await import(`backup-errors/locales/${tag}`);
    setLocale(tag);
    const texts = messages(tag);
    const translated = await cases();
    for (const [k, c] of translated.entries()) {
      assert.equal(c.summaryId, english[k].summaryId);
      assert.notEqual(c.summary, english[k].summary, `${tag} ${c.summaryId}`);
      if (c.remediation !== null) assert.notEqual(c.remediation, english[k].remediation, `${tag} ${c.remediationId}`);
      assert.deepEqual(icuTexts(texts, tag, c), [c.summary, c.remediation], `${tag} ${c.summaryId}`);
    }
    assert.ok(translated[2].summary.includes("2") && translated[3].summary.includes("30"), `${tag}: the params are in the texts`);
  }
  setLocale("en");
});

test("the words a reason says for its params (backoff, jitter, schedule) are in the pack's language", async () => {
  const policy = new RetryPolicy({ seed: 3, maxAttempts: 2 });
  const backoff = () => policy.decide(classify({ status: 503 }), { attempt: 1 });
  const acronis = () => policy.decide(classify({ status: 500, vendor: "acronis", body: "{}" }), { attempt: 1, method: "GET" });
  const last = () => policy.decide(classify({ status: 503 }), { attempt: 2 });
  const english = [backoff(), acronis(), last()];
  assert.deepEqual(english.map((d) => [d.params.source, d.params.jitter, d.params.schedule]), [["backoff", "equal", undefined], ["acronis", "equal", undefined], [undefined, undefined, "main"]]);
  assert.ok(english[0].reason.includes("(exponential backoff, equal jitter)"), english[0].reason);
  assert.ok(english[1].reason.includes("Acronis preset: 5xx is retried twice, 1-2 s apart"), english[1].reason);
  for (const tag of TAGS) {
    await import(`backup-errors/locales/${tag}`);
    setLocale(tag);
    for (const d of [backoff(), acronis(), last()]) {
      assert.doesNotMatch(d.reason, /exponential backoff|full jitter|equal jitter|Acronis preset|retried twice/, `${tag}: ${d.reason}`);
      assert.equal(d.reason, String(new IntlMessageFormat(messages(tag)[d.reasonId], tag).format(d.params)));
    }
  }
  setLocale("en");
});

test("a registered vendor brings its texts per language; registerLocale adds to a loaded pack", async () => {
  await import("backup-errors/locales/de");
  registerVendor({ id: "rubrik-de", detect: { fields: ["rubrikError"] }, code: "/rubrikError", codes: [{ code: "SnapshotMissing", status: 404, category: "not_found", action: "fix_request", summary: "The snapshot does not exist.", remediation: "Choose another snapshot." }] });
  const body = '{"rubrikError":"SnapshotMissing"}';
  const english = classify({ status: 404, body });
  assert.deepEqual([english.summaryId, english.remediationId], ["rubrik-de.SnapshotMissing.summary", "rubrik-de.SnapshotMissing.remediation"]);
  assert.equal(messages("en")[english.summaryId], "The snapshot does not exist.");
  registerLocale("de", { [english.summaryId]: "Den Snapshot gibt es nicht.", [english.remediationId]: "Wählen Sie einen anderen Snapshot." });
  setLocale("de");
  const c = classify({ status: 404, body });
  assert.deepEqual([c.summary, c.remediation], ["Den Snapshot gibt es nicht.", "Wählen Sie einen anderen Snapshot."]);
  assert.equal(messages("de")[c.summaryId], c.summary);
  // The pack's own texts are still there.
  assert.notEqual(classify({ status: 520, body: VEEAM_BUSY }).summary, messages("en")["veeam.4002.summary"]);
  setLocale("en");
  assert.equal(classify({ status: 404, body }).summary, "The snapshot does not exist.");
});
