// The demo's simulation: fetchWithRetry against a fake server in the page, answering with the
// chosen scenario's responses, and the log of its attempts and decisions.
import { fetchWithRetry } from "/pkg/index.browser.js";
import { SCENARIOS } from "./presets.js";
import { formatMs } from "./timeline.js";
import { $, animate, el, endRun, showRejection } from "./dom.js";
import { runOutage, renderOutageLog } from "./outage.js";

/** How long the fake server takes to answer, in ms. */
export const LATENCY_MS = 120;

/** Waits `ms`, rejecting with an AbortError as soon as any of `signals` aborts. */
const sleep = (ms, signals) =>
  new Promise((resolve, reject) => {
    const live = signals.filter(Boolean);
    const abort = () => {
      clearTimeout(timer);
      for (const s of live) s.removeEventListener("abort", abort);
      reject(new DOMException("The operation was aborted.", "AbortError"));
    };
    const timer = setTimeout(() => {
      for (const s of live) s.removeEventListener("abort", abort);
      resolve();
    }, ms);
    if (live.some((s) => s.aborted)) return abort();
    for (const s of live) s.addEventListener("abort", abort);
  });

/** Header pairs as the form writes them, a `name: value` line each. */
function headersText(pairs) {
  return pairs.map(([n, v]) => `${n}: ${v}`).join("\n");
}

/** What a give-up means for the caller, when its rule says more than "stop". */
function stopAdvice(info, request) {
  if (!info) return "";
  if (info.decision.earlierAttemptMayHaveSucceeded) {
    return ` The earlier attempt probably started the job: read the job's state instead of sending the ${request.method} again.`;
  }
  if (info.decision.rule === "non-idempotent") {
    return ` The server may have run the ${request.method}: check before sending it again, or mark it idempotent (Idempotency-Key) or set nonIdempotent: "retry".`;
  }
  return "";
}

/**
 * The simulation, wired to the page: `page` gives the shared `state` and the page's own steps
 * (reading and filling the form, classifying, making the policy, drawing the timeline).
 */
export function createSimulation(page) {
  const { state, readInput, fillForm, markCurrent, runClassify, makePolicy, readRequest, draw, statusText } = page;

  /** Steps for the "response above" scenario. */
  function currentSteps() {
    const { problem, input } = readInput();
    if (problem) return { problem };
    if (!(input.status >= 200 && input.status <= 599)) return { problem: "A fake server can only answer with a status from 200 to 599." };
    const step = { status: input.status, headers: input.headers, body: input.body ?? "" };
    return { steps: [step, step, { status: 200, headers: [["content-type", "application/json"]], body: '{"status":"succeeded"}' }] };
  }

  async function simulate() {
    if (state.running) return;
    const scenario = SCENARIOS.find((s) => s.id === $("scenario").value) ?? SCENARIOS[0];
    let steps = scenario.steps;
    if (scenario.current) {
      const got = currentSteps();
      if (got.problem) {
        $("sim-status").textContent = got.problem;
        $("sim-status").className = "sim-status bad";
        return;
      }
      steps = got.steps;
    } else {
      // Show the scenario's first response above, so the plan and the run line up.
      const first = steps[0];
      let pretty = first.body;
      try {
        pretty = JSON.stringify(JSON.parse(first.body), null, 2);
      } catch { /* not JSON */ }
      fillForm({ vendor: "auto", method: scenario.method ?? $("method").value, status: first.status, headers: headersText(first.headers), body: pretty });
      markCurrent(null);
    }
    state.sim = null;
    if (!runClassify({ keepSim: false })) return;
    const made = makePolicy();
    if (made.problem) return;
    made.policy.free?.();

    // An outage scenario is a series of calls through a CircuitBreaker, not one call's attempts.
    if (scenario.outage) return runOutage({ state, scenario, request: readRequest(), draw, renderSimLog, sleep, latencyMs: LATENCY_MS });

    // The request the simulation sends: the form's method, with an Idempotency-Key header when
    // the box is ticked (fetchWithRetry finds it there and may send the request again).
    const request = readRequest();
    const headers = { Authorization: "Bearer old-token" };
    if (request.idempotent) headers["Idempotency-Key"] = `demo-${Date.now().toString(36)}`;

    const controller = new AbortController();
    const sim = { attempts: [], now: 0, running: true, outcome: null, t0: performance.now(), notes: [], request };
    state.sim = sim;
    state.running = { controller };
    $("simulate").disabled = true;
    $("sim-stop").disabled = false;
    $("sim-status").className = "sim-status running";
    $("sim-status").textContent = `Running: ${scenario.label} (${request.method}${request.idempotent ? " with an Idempotency-Key" : ""})…`;
    renderSimLog();
    const elapsed = () => performance.now() - sim.t0;

    let calls = 0;
    const fakeFetch = async (_input, init) => {
      const step = steps[Math.min(calls, steps.length - 1)];
      calls += 1;
      const attempt = { n: calls, start: elapsed(), end: null, status: step.status, ok: step.status >= 200 && step.status < 300, decision: null, auth: null, method: init?.method ?? "GET" };
      const auth = new Headers(init?.headers ?? {}).get("authorization");
      if (auth) attempt.auth = auth;
      sim.attempts.push(attempt);
      renderSimLog();
      await sleep(LATENCY_MS, [init?.signal, controller.signal]);
      attempt.end = elapsed();
      renderSimLog();
      return new Response(step.status === 204 ? null : step.body, { status: step.status, headers: step.headers });
    };
    const onDecision = (info) => {
      const a = sim.attempts[info.attempt - 1];
      if (a) {
        a.decision = info.decision;
        a.category = info.classification?.category;
        a.processed = info.classification?.processed;
      }
      renderSimLog();
    };
    const options = {
      ...made.options,
      signal: controller.signal,
      fetch: fakeFetch,
      onRetry: onDecision,
      onGiveUp: (info) => {
        sim.gaveUp = info;
        onDecision(info);
      },
    };
    if (scenario.reauthenticate) {
      options.reauthenticate = () => {
        sim.notes.push({ after: calls, text: "reauthenticate() hook: signed in again, new token" });
        renderSimLog();
        return { Authorization: "Bearer fresh-token" };
      };
    }

    animate(sim, elapsed, draw);

    const status = $("sim-status");
    try {
      const response = await fetchWithRetry("https://backup.example.test/api/v1/jobs", { method: request.method, headers }, options);
      const n = sim.attempts.length;
      const took = formatMs(elapsed());
      if (response.ok) {
        sim.outcome = "success";
        status.className = "sim-status good";
        status.textContent = `Succeeded: HTTP ${response.status} on attempt ${n}, after ${took}.`;
      } else {
        sim.outcome = "gave up";
        const tag = sim.gaveUp ? sim.gaveUp.decision.rule : "stopped";
        status.className = "sim-status bad";
        status.textContent = `Gave up after ${n} attempt${n > 1 ? "s" : ""} (${tag}): fetchWithRetry resolved with the HTTP ${response.status} response after ${took}.${stopAdvice(sim.gaveUp, request)}`;
      }
    } catch (err) {
      const n = sim.attempts.length;
      if (err?.name === "AbortError") {
        sim.outcome = "stopped";
        status.className = "sim-status stopped";
        status.textContent = `Stopped by you after ${n} attempt${n > 1 ? "s" : ""}: fetchWithRetry rejected with an AbortError.`;
      } else {
        sim.outcome = "error";
        showRejection(status, err);
      }
    } finally {
      sim.now = elapsed();
      for (const a of sim.attempts) if (a.end == null) a.end = sim.now;
      endRun(state, sim, { renderSimLog, draw });
    }
  }

  function renderSimLog() {
    const sim = state.sim;
    const log = $("sim-log");
    log.replaceChildren();
    if (!sim) return;
    if (sim.kind === "outage") return renderOutageLog(sim, log, statusText);
    for (const a of sim.attempts) {
      const parts = [el("strong", {}, `Attempt ${a.n}`), ` → `, a.end == null ? el("span", { class: "muted" }, "waiting for the response…") : `HTTP ${statusText(a.status)}`];
      if (a.category && !a.ok) parts.push(el("span", { class: "muted" }, ` · ${a.category}${a.processed ? ` · processed: ${a.processed}` : ""}`));
      if (a.auth && a.n > 1 && a.auth.includes("fresh")) parts.push(el("span", { class: "muted" }, " · sent with the new token"));
      if (a.decision) {
        const tag = a.decision.rule;
        const again = a.decision.retry || a.decision.reauthenticate;
        if (a.decision.reauthenticate) parts.push(" · sign in again, then send once more");
        else parts.push(a.decision.retry ? ` · wait ${formatMs(a.decision.delayMs)}` : " · stop");
        parts.push(el("span", { class: `rule rule-${a.decision.reauthenticate ? "reauth" : again ? "go" : "stop"}` }, tag));
      } else if (a.ok && a.end != null) {
        parts.push(el("span", { class: "rule rule-ok" }, "success"));
      }
      log.append(el("li", { class: a.ok ? "ok" : "" }, ...parts));
      if (a.decision?.earlierAttemptMayHaveSucceeded) {
        log.append(el("li", { class: "note warn" }, "The earlier attempt probably started the job: it is running, so this request is not sent again."));
      }
      for (const note of sim.notes.filter((x) => x.after === a.n)) log.append(el("li", { class: "note" }, note.text));
    }
  }

  function stopSimulation() {
    state.running?.controller.abort();
  }

  return { simulate, renderSimLog, stopSimulation };
}
