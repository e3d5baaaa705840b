// The demo page (www/) in headless Chromium, served with the built package at /pkg/:
// it loads without console noise, classifies one response per vendor through the form,
// redraws the retry timeline when a policy option changes (one delay range drawn per retry,
// from RetryPolicy.plan()), runs fetchWithRetry against its fake server to the end, keeps a
// POST that may have run from being sent twice unless the page opts in, runs an outage through
// a CircuitBreaker (calls refused while it is open, its states drawn on the timeline), stops a
// run with the Stop button, and fits a 360 px screen.
// Screenshots go to $TEST_OUTPUT (demo.png, demo-post.png, demo-outage.png, demo-narrow.png).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { serve } from "../../scripts/serve.mjs";

const output = resolve(process.env.TEST_OUTPUT ?? "test-output");
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** One response per vendor, typed into the form as a person would, and what must show. */
const SAMPLES = [
  {
    name: "Atlassian 400, export already in progress",
    vendor: "atlassian", method: "POST", status: "400",
    headers: "content-type: application/json",
    body: '{"errorCode":"140","errorMessage":"Export Already in Progress"}',
    expect: { category: "busy", action: "wait_and_retry", code: "140" },
  },
  {
    name: "Veeam 520 transport (detected)",
    vendor: "auto", method: "GET", status: "520",
    headers: "content-type: application/json\nx-request-id: 41f0a9d2",
    body: '{"errors":[{"message":"The server failed to receive the request.","type":"transport","code":500}]}',
    expect: { category: "server_error", action: "retry", code: "500", vendor: /Veeam/, requestId: "41f0a9d2" },
  },
  {
    name: "Huawei 429 APIGW.0308 with X-Request-Id",
    vendor: "huawei", method: "GET", status: "429",
    headers: "Content-Type: application/json\nX-Request-Id: 3f0e5b7c9a2d4e6f",
    body: '{"error_code":"APIGW.0308","error_msg":"The throttling threshold has been reached"}',
    expect: { category: "rate_limited", action: "retry", code: "APIGW.0308", requestId: "3f0e5b7c9a2d4e6f" },
  },
  {
    name: "Microsoft 365 (Graph) 429 with Retry-After: 2",
    vendor: "auto", method: "POST", status: "429",
    headers: "content-type: application/json\nRetry-After: 2\nrequest-id: 7f2c1d1e",
    body: '{"error":{"code":"TooManyRequests","message":"Too many requests.","innerError":{"request-id":"7f2c1d1e","date":"2025-05-12T09:14:03"}}}',
    expect: { category: "rate_limited", action: "retry", code: "TooManyRequests", vendor: /Microsoft 365/, wait: /2 s/ },
  },
  {
    name: "Acronis 401, token expired",
    vendor: "acronis", method: "GET", status: "401",
    headers: "content-type: application/json",
    body: '{"error":{"code":401,"message":"Unauthorized","domain":"PlatformAccountServer"}}',
    expect: { category: "unauthenticated", action: "reauthenticate", code: "401" },
  },
  {
    name: "Generic HTML 502 from a proxy",
    vendor: "auto", method: "GET", status: "502",
    headers: "content-type: text/html\nserver: nginx",
    body: "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>",
    expect: { category: "server_error", action: "retry", code: "—", vendor: /Generic/ },
  },
  {
    name: "Atlassian 409 (never retried)",
    vendor: "auto", method: "POST", status: "409",
    headers: "content-type: application/json",
    body: '{"errorCode":"128","errorMessage":"Storage with the given name already exists"}',
    expect: { category: "conflict", action: "do_not_retry", code: "128" },
  },
];

const byTestId = (id) => `[data-testid="${id}"]`;

// Waits end on a state, not after a time: a simulation is awaited until it ends, whatever
// its outcome, and then the outcome is asserted; a redraw is awaited by rendering frames.
// WAIT_LIMIT_MS (the page's default timeout) only stops a wait that would never end (a
// broken page): it is no speed check, so it is far above what any step takes on a loaded
// machine.
const WAIT_LIMIT_MS = 120_000;

/** Waits until the simulation started last has ended (any outcome); its status class. */
async function simulationEnd(page) {
  await page.waitForSelector("#sim-status.good, #sim-status.bad, #sim-status.stopped");
  return (await page.getAttribute("#sim-status", "class")).replace("sim-status", "").trim();
}

/** Asserts that the simulation started last ends with `outcome` (good, bad or stopped). */
async function assertSimulationEnds(page, outcome) {
  assert.equal(await simulationEnd(page), outcome, await page.textContent("#sim-status"));
}

/** Two rendering frames: layout, ResizeObserver callbacks and the redraw they cause are done. */
const renderingDone = (page) => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

test("the demo page: classify, timeline, simulation, narrow screen", async (t) => {
  mkdirSync(output, { recursive: true });
  const server = await serve({ port: 0 });
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(WAIT_LIMIT_MS);
    const problems = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`requestfailed: ${r.url()}`));
    const external = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(server.url) && !r.url().startsWith("data:")) external.push(r.url());
    });

    await page.goto(server.url + "/");
    await page.waitForFunction(() => document.documentElement.dataset.ready === "true");

    await t.test("every test hook is there, and every control has a label", async () => {
      for (const id of ["vendor", "status", "headers", "body", "method", "classify", "result-category", "result-action", "result-code", "timeline", "simulate"]) {
        assert.equal(await page.locator(byTestId(id)).count(), 1, `one element with data-testid="${id}"`);
      }
      assert.equal(await page.locator(`${byTestId("timeline")}`).evaluate((n) => n.tagName.toLowerCase()), "svg");
      const unlabelled = await page.evaluate(() =>
        [...document.querySelectorAll("input, select, textarea")]
          .filter((c) => c.labels.length === 0 && !c.getAttribute("aria-label") && !c.getAttribute("aria-labelledby"))
          .map((c) => c.id || c.outerHTML.slice(0, 60)),
      );
      assert.deepEqual(unlabelled, []);
    });

    await t.test("one sample per vendor, typed into the form", async () => {
      for (const s of SAMPLES) {
        await page.selectOption(byTestId("vendor"), s.vendor);
        await page.selectOption(byTestId("method"), s.method);
        await page.fill(byTestId("status"), s.status);
        await page.fill(byTestId("headers"), s.headers);
        await page.fill(byTestId("body"), s.body);
        await page.click(byTestId("classify"));
        // Classified (the result is no longer marked stale), or the form shows a problem.
        await page.waitForSelector("#result-card:not(.stale), #status-error:not([hidden])");
        const shown = {
          category: (await page.textContent(byTestId("result-category"))).trim(),
          action: (await page.textContent(byTestId("result-action"))).trim(),
          code: (await page.textContent(byTestId("result-code"))).trim(),
        };
        assert.deepEqual(shown, { category: s.expect.category, action: s.expect.action, code: s.expect.code }, s.name);
        if (s.expect.vendor) assert.match(await page.textContent("#result-vendor"), s.expect.vendor, s.name);
        if (s.expect.requestId) assert.equal((await page.textContent("#result-request-id")).trim(), s.expect.requestId, s.name);
        if (s.expect.wait) assert.match(await page.textContent("#result-wait"), s.expect.wait, s.name);
        // The verdict says the action in words, not in colour alone.
        const verdict = await page.textContent("#verdict-label");
        assert.ok(verdict.trim().length > 3, `${s.name}: a verdict label is shown`);
      }
    });

    await t.test("the timeline follows the policy options", async () => {
      await page.click('[data-preset="veeam-520-transport"]');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="timeline"] .plan-attempt').length === 4);
      const before = await page.innerHTML(byTestId("timeline"));
      // 4 attempts by default in the demo; 6 after the change, with the decisions listed.
      await page.fill("#opt-maxAttempts", "6");
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="timeline"] .plan-attempt').length === 6);
      assert.notEqual(await page.innerHTML(byTestId("timeline")), before);
      assert.match(await page.textContent("#decisions"), /max-attempts/);
      // Jitter "none": the delays are exactly base·multiplier^(n−1), from RetryPolicy itself.
      await page.selectOption("#opt-jitter", "none");
      await page.waitForFunction(() => document.querySelector('[data-testid="timeline"]').textContent.includes("4.8 s"));
      const labels = await page.locator(`${byTestId("timeline")} .tl-delay-label`).allTextContents();
      assert.deepEqual(labels, ["300 ms", "600 ms", "1.2 s", "2.4 s", "4.8 s"]);
      // The cap shortens the last delays.
      await page.fill("#opt-maxDelayMs", "1000");
      await page.waitForFunction(() => !document.querySelector('[data-testid="timeline"]').textContent.includes("4.8 s"));
      assert.deepEqual(await page.locator(`${byTestId("timeline")} .tl-delay-label`).allTextContents(), ["300 ms", "600 ms", "1 s", "1 s", "1 s"]);
      // An invalid option shows the package's message inline; the page keeps working.
      await page.fill("#opt-multiplier", "0.5");
      await page.waitForSelector("#policy-error:not([hidden])");
      assert.match(await page.textContent("#policy-error"), /multiplier/);
      assert.equal(await page.getAttribute("#opt-multiplier", "aria-invalid"), "true");
      assert.equal(await page.isDisabled(byTestId("simulate")), true);
      // Back to the demo values.
      await page.click("#policy-demo");
      await page.waitForSelector("#policy-error", { state: "hidden" });
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="timeline"] .plan-attempt').length === 4);
      assert.equal(await page.isDisabled(byTestId("simulate")), false);
    });

    await t.test("the timeline draws one delay range per retry, from the plan", async () => {
      await page.click('[data-preset="veeam-520-transport"]');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="timeline"] .plan-attempt').length === 4);
      const retries = await page.locator("#decisions .decision.go").count();
      assert.equal(retries, 3, "the demo's 4 attempts: 3 retries, then max-attempts");
      assert.equal(await page.locator(`${byTestId("timeline")} .plan-band`).count(), retries);
      // Each band is the decision's [minDelayMs, maxDelayMs], and is listed with it.
      assert.equal(await page.locator("#decisions .decision.go", { hasText: "drawn from" }).count(), retries);
      // Jitter "none": every delay is exact, so there is no range to draw.
      await page.selectOption("#opt-jitter", "none");
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="timeline"] .plan-band').length === 0);
      assert.equal(await page.locator("#decisions .decision.go").count(), retries);
      await page.click("#policy-demo");
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="timeline"] .plan-band').length === n, retries);
    });

    await t.test("the language switch makes the decisions and the timeline's reasons in that language", async () => {
      await page.click('[data-preset="veeam-520-transport"]');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="timeline"] .plan-attempt').length === 4);
      const english = await page.textContent("#decisions");
      /** The longest run of words in a message's text after its rule tag, placeholders left out: what every sentence made from it shows. */
      const fixedPart = (text) => {
        const runs = [""];
        let depth = 0;
        for (const ch of text) {
          if (ch === "{") {
            if (depth++ === 0) runs.push("");
          } else if (ch === "}") depth--;
          else if (depth === 0) runs[runs.length - 1] += ch;
        }
        return runs.slice(1).sort((a, b) => b.length - a.length)[0].trim();
      };
      for (const tag of ["de", "ja"]) {
        await page.selectOption(byTestId("lang"), tag);
        // The page loads the pack on the change; importing it here too is the same module.
        const texts = await page.evaluate(async (t) => {
          await import(`/pkg/locales/${t}.browser.js`);
          return (await import("/pkg/index.browser.js")).messages(t);
        }, tag);
        const part = fixedPart(texts["rule.5xx-backoff"]);
        await page.waitForFunction((p) => document.querySelector("#decisions").textContent.includes(p), part);
        assert.ok(!(await page.textContent("#decisions")).includes("is a server failure"), tag);
        // The timeline's last attempt carries its reason (the attempts run out: max-attempts).
        const last = fixedPart(texts["rule.max-attempts"]);
        await page.waitForFunction((p) => [...document.querySelectorAll('[data-testid="timeline"] .plan-attempt title')].some((n) => n.textContent.includes(p)), last);
        assert.equal(await page.locator("#decisions .decision.go").count(), 3);
      }
      await page.selectOption(byTestId("lang"), "en");
      await page.waitForFunction((e) => document.querySelector("#decisions").textContent === e, english);
    });

    await t.test("empty options show the package's values: its defaults, or the vendor preset", async () => {
      const pkg = await page.evaluate(async () => {
        const { RetryPolicy } = await import("/pkg/index.browser.js");
        const policy = new RetryPolicy({});
        const resolved = policy.resolvedOptions();
        policy.free();
        return { resolved, presets: RetryPolicy.presets() };
      });
      await page.click("#policy-defaults");
      await page.click('[data-preset="veeam-520-transport"]');
      await page.waitForFunction(() => document.querySelector("#timeline-caption").textContent.includes("main schedule"));
      assert.equal(await page.getAttribute("#opt-maxAttempts", "placeholder"), String(pkg.resolved.maxAttempts));
      assert.equal(await page.getAttribute("#opt-busy-baseDelayMs", "placeholder"), String(pkg.resolved.busy.baseDelayMs));
      assert.match(await page.textContent('#opt-nonIdempotent option[value=""]'), new RegExp(pkg.resolved.nonIdempotent));
      assert.equal(await page.locator("#preset-list li").count(), pkg.presets.length);
      // Acronis 503: the Acronis preset fills the empty fields.
      const acronis = pkg.presets.find((p) => p.vendor === "acronis");
      await page.click('[data-preset="acronis-503"]');
      await page.waitForFunction(() => document.querySelector("#timeline-caption").textContent.includes("Acronis preset"));
      assert.equal(await page.getAttribute("#opt-maxAttempts", "placeholder"), String(acronis.maxAttempts));
      assert.equal(await page.locator(`${byTestId("timeline")} .plan-attempt`).count(), acronis.maxAttempts);
      assert.equal(await page.locator("#preset-list li.active").count(), 1);
      await page.click("#policy-demo");
    });

    await t.test("425 Too Early: category too_early, retried", async () => {
      await page.click('[data-preset="generic-425"]');
      await page.waitForFunction(() => document.querySelector('[data-testid="result-category"]').textContent === "too_early");
      assert.equal((await page.textContent(byTestId("result-action"))).trim(), "retry");
      assert.match(await page.textContent(byTestId("result-processed")), /^no/);
    });

    await t.test("POST: 500, then already running: sent once by default (non-idempotent)", async () => {
      await page.click("#policy-demo");
      assert.equal(await page.isChecked(byTestId("idempotency-key")), false);
      await page.selectOption("#scenario", "post-500-busy");
      await page.click(byTestId("simulate"));
      await assertSimulationEnds(page, "bad");
      assert.equal(await page.inputValue(byTestId("method")), "POST", "the scenario's request is a POST");
      assert.match(await page.textContent("#sim-status"), /Gave up after 1 attempt \(non-idempotent\)/);
      assert.equal(await page.locator(`${byTestId("timeline")} .sim-attempt`).count(), 1);
      assert.equal(await page.locator("#sim-log li").count(), 1);
      // The plan drawn for the form's POST says the same, and the 500 may have run.
      assert.equal(await page.locator(`${byTestId("timeline")} .plan-attempt`).count(), 1);
      assert.match(await page.textContent(byTestId("timeline")), /non-idempotent/);
      assert.match(await page.textContent(byTestId("result-processed")), /^maybe/);
      assert.match(await page.textContent("#result-processed-note"), /does not send this POST again/);
      assert.match(await page.textContent("#policy-code"), /method: "POST"/);
    });

    await t.test("POST: 500, then already running: nonIdempotent retry stops on busy-after-ambiguous", async () => {
      await page.selectOption("#opt-nonIdempotent", "retry");
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="timeline"] .plan-attempt').length > 1);
      await page.click(byTestId("simulate"));
      await assertSimulationEnds(page, "bad");
      const status = await page.textContent("#sim-status");
      assert.match(status, /Gave up after 2 attempts \(busy-after-ambiguous\)/);
      assert.match(status, /the earlier attempt probably started the job/i);
      assert.equal(await page.locator(`${byTestId("timeline")} .sim-attempt`).count(), 2);
      const log = await page.locator("#sim-log li").allTextContents();
      assert.match(log[0], /500.*5xx-backoff/);
      assert.match(log[1], /400.*busy-after-ambiguous/);
      assert.ok(await page.locator("#sim-log li.note.warn", { hasText: /probably started the job/ }).isVisible());
      await page.screenshot({ path: join(output, "demo-post.png"), fullPage: true });
      await page.selectOption("#opt-nonIdempotent", "");
    });

    await t.test("POST: 500, then already running: with an Idempotency-Key it is sent again", async () => {
      await page.check(byTestId("idempotency-key"));
      await page.waitForFunction(() => document.querySelector("#timeline-caption").textContent.includes("Idempotency-Key"));
      assert.ok((await page.locator(`${byTestId("timeline")} .plan-attempt`).count()) > 1, "the plan retries the 500");
      await page.click(byTestId("simulate"));
      await assertSimulationEnds(page, "bad");
      const log = await page.locator("#sim-log li:not(.note)").allTextContents();
      assert.ok(log.length > 2, `sent again, and again while the job runs (${log.length} attempts)`);
      assert.match(log[0], /500.*5xx-backoff/);
      assert.match(log[1], /400.*busy-schedule/);
      assert.doesNotMatch(await page.textContent("#sim-status"), /non-idempotent|busy-after-ambiguous/);
      await page.uncheck(byTestId("idempotency-key"));
    });

    await t.test("a 409 stops at once: 409-never", async () => {
      await page.click('[data-preset="atlassian-128"]');
      await page.waitForFunction(() => document.querySelector('[data-testid="timeline"]').textContent.includes("409-never"));
      assert.equal(await page.locator(`${byTestId("timeline")} .plan-attempt`).count(), 1);
    });

    await t.test("a simulation runs to its end: 503, 503, then 200", async () => {
      await page.selectOption("#scenario", "503-503-200");
      await page.click(byTestId("simulate"));
      await assertSimulationEnds(page, "good");
      assert.match(await page.textContent("#sim-status"), /Succeeded: HTTP 200 on attempt 3/);
      assert.equal(await page.locator(`${byTestId("timeline")} .sim-attempt`).count(), 3);
      assert.equal(await page.locator(`${byTestId("timeline")} .sim-ok`).count(), 1);
      const log = await page.locator("#sim-log li").allTextContents();
      assert.equal(log.length, 3);
      assert.match(log[0], /503.*5xx-backoff/);
      assert.match(log[2], /200/);
    });

    await t.test("a 409 is given up after one attempt", async () => {
      await page.selectOption("#scenario", "atlassian-409");
      await page.click(byTestId("simulate"));
      await assertSimulationEnds(page, "bad");
      assert.match(await page.textContent("#sim-status"), /Gave up after 1 attempt \(409-never\)/);
    });

    await t.test("an outage through a CircuitBreaker: calls refused while it is open, its states on the timeline", async () => {
      await page.selectOption("#scenario", "outage-breaker");
      await page.click(byTestId("simulate"));
      await assertSimulationEnds(page, "good");
      const calls = page.locator("#sim-log li.call");
      const made = await calls.count();
      // What reached the fake server: the calls the log shows as sent (the probes included).
      const sent = await page.locator("#sim-log li.call.sent").count();
      const refused = await page.locator("#sim-log li.call.refused").allTextContents();
      assert.ok(refused.length >= 1, "at least one call was refused by the breaker");
      for (const text of refused) assert.match(text, /refused: breaker open, retry in .* · no request sent.*ERR_CIRCUIT_OPEN/);
      assert.equal(sent + refused.length, made, "every call was either sent or refused");
      assert.ok(sent < made, `the fake server received fewer requests (${sent}) than calls were made (${made})`);
      assert.match(await page.textContent("#sim-status"), new RegExp(`The fake server received ${sent} requests?;`));
      // The probe after openMs: sent while the breaker was half-open.
      assert.ok((await page.locator("#sim-log li.call.sent.probe").count()) >= 1, "a probe was sent");
      // The breaker's changes, with the package's reasons, in the log and on the timeline.
      const changes = await page.locator("#sim-log li.breaker-change").allTextContents();
      assert.match(changes[0], /closed → open \(failure-threshold\)/);
      assert.ok(changes.some((c) => /open → half-open \(open-elapsed\)/.test(c)), changes.join("\n"));
      assert.match(changes.at(-1), /half-open → closed \(probes-succeeded\)/);
      for (const s of ["closed", "open", "half-open"]) {
        assert.ok((await page.locator(`${byTestId("timeline")} .br-seg.br-${s}`).count()) >= 1, `a ${s} segment on the timeline`);
      }
      assert.equal(await page.locator(`${byTestId("timeline")} .sim-refused`).count(), refused.length);
      assert.equal(await page.locator(`${byTestId("timeline")} .sim-attempt`).count(), sent);
      // Successes after the outage: the last calls were sent and answered 200.
      const last = calls.last();
      assert.match(await last.getAttribute("class"), /\bsent\b.*\bok\b/);
      assert.match(await last.textContent(), /HTTP 200/);
      assert.match(await page.textContent("#timeline-caption"), /CircuitBreaker/);
      await page.screenshot({ path: join(output, "demo-outage.png"), fullPage: true });
    });

    await t.test("the Stop button stops an outage run", async () => {
      await page.selectOption("#scenario", "outage-breaker");
      await page.click(byTestId("simulate"));
      await page.waitForSelector("#sim-log li.call");
      await page.click("#sim-stop");
      await assertSimulationEnds(page, "stopped");
      assert.match(await page.textContent("#sim-status"), /AbortError/);
      assert.equal(await page.isDisabled("#sim-stop"), true);
      assert.equal(await page.isDisabled(byTestId("simulate")), false);
    });

    await t.test("the Stop button aborts a run (AbortError)", async () => {
      await page.selectOption("#scenario", "503-forever");
      // Two attempts 30-60 s apart (deadline 10 min): the run is still in that wait when Stop
      // is pressed, even on a slow machine; a Stop that did not abort would let it end "bad"
      // after the wait, which the assertion reports.
      await page.fill("#opt-maxAttempts", "2");
      await page.fill("#opt-deadlineMs", "600000");
      await page.fill("#opt-maxDelayMs", "60000");
      await page.fill("#opt-baseDelayMs", "60000");
      await page.click(byTestId("simulate"));
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="timeline"] .sim-attempt').length >= 1);
      await page.click("#sim-stop");
      await assertSimulationEnds(page, "stopped");
      assert.match(await page.textContent("#sim-status"), /AbortError/);
      assert.equal(await page.isDisabled("#sim-stop"), true);
      assert.equal(await page.isDisabled(byTestId("simulate")), false);
      await page.click("#policy-demo");
    });

    await t.test("screenshots, desktop and 360 px", async () => {
      // The desktop shot shows a finished run of a GET landing on its plan.
      await page.selectOption(byTestId("method"), "GET");
      await page.selectOption("#scenario", "503-503-200");
      await page.click(byTestId("simulate"));
      await assertSimulationEnds(page, "good");
      await page.screenshot({ path: join(output, "demo.png"), fullPage: true });

      await page.setViewportSize({ width: 360, height: 780 });
      await page.click('[data-preset="atlassian-140"]');
      await renderingDone(page); // the timeline redraws on resize
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no horizontal scrolling at 360 px (overflow ${overflow} px)`);
      const svgWidth = await page.locator(byTestId("timeline")).evaluate((n) => n.getBoundingClientRect().width);
      assert.ok(svgWidth <= 340, `the timeline fits (${svgWidth} px)`);
      await page.screenshot({ path: join(output, "demo-narrow.png"), fullPage: true });
    });

    await t.test("keyboard only: a preset, then Classify with Enter", async () => {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.focus('[data-preset="generic-502"]');
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => document.querySelector('[data-testid="body"]').value.includes("502 Bad Gateway"));
      await page.focus(byTestId("status"));
      await page.keyboard.press("Control+A");
      await page.keyboard.type("404");
      await page.keyboard.press("Control+Enter");
      await page.waitForFunction(() => document.querySelector('[data-testid="result-category"]').textContent === "not_found");
      assert.equal((await page.textContent(byTestId("result-action"))).trim(), "do_not_retry");
    });

    assert.deepEqual(problems, [], "no console errors or warnings, no page errors");
    assert.deepEqual(external, [], "no request leaves the page's own server");
  } finally {
    await browser.close();
    await server.close();
  }
});
