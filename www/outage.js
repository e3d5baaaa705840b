// The demo's outage run: a series of calls, one every `everyMs`, each a fetchWithRetry with a
// single attempt through ONE CircuitBreaker made for the run, against a fake server that
// answers the scenario's failure while the outage lasts and its success after it. The log
// lists every call (sent, sent as the probe, or refused by the breaker with nothing sent) and
// every change of the breaker's state, time-stamped with the run's clock; the timeline
// (renderOutageTimeline) draws them.
import { CircuitBreaker, fetchWithRetry } from "/pkg/index.browser.js";
import { formatMs } from "./timeline.js";
import { $, animate, el, endRun, showRejection } from "./dom.js";

const URL = "https://backup.example.test/api/v1/jobs";

/** What the timeline's caption (the drawing's accessible name) says during and after an outage run. */
function captionOf({ outageMs, everyMs, breaker }) {
  return `Outage run: the fake server fails for ${formatMs(outageMs)}; a call every ${formatMs(everyMs)} goes through one CircuitBreaker (failureThreshold ${breaker.failureThreshold}, openMs ${breaker.openMs}). The band on top is the breaker's state, one row per call.`;
}

/** "1 call", "3 calls". */
const count = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * Runs the outage scenario: the chosen `scenario` (its `outage` and `steps`) with the form's
 * `request` method. From the simulation it takes the shared `state`, `draw` and
 * `renderSimLog`, its abortable `sleep` and the fake server's response time `latencyMs`.
 */
export async function runOutage({ state, scenario, request, draw, renderSimLog, sleep, latencyMs }) {
  const { outageMs, everyMs, runMs, breaker: breakerOptions } = scenario.outage;
  const [down, up] = scenario.steps;
  const controller = new AbortController();
  const sim = {
    kind: "outage", outageMs, runMs, downStatus: down.status, upStatus: up.status, calls: [], changes: [], requests: 0,
    now: 0, running: true, outcome: null, t0: performance.now(), caption: captionOf(scenario.outage),
  };
  const elapsed = () => performance.now() - sim.t0;
  /** The call under way: the one a state change belongs to (the calls never overlap). */
  let current = null;

  const breaker = new CircuitBreaker({
    ...breakerOptions,
    // Each change as the package reports it, stamped with the run's clock.
    onStateChange: ({ from, to, reason }) => {
      // `beforeSend`: the change came as the call was admitted (the probe's open-elapsed),
      // not from its outcome.
      const change = { t: elapsed(), from, to, reason, beforeSend: current ? !current.sent : false };
      sim.changes.push(change);
      current?.changes.push(change);
      renderSimLog();
    },
  });

  // The fake server: the outage's answer for the first `outageMs` of the run, then the
  // success. It counts what it receives; a refused call never reaches it. A request sent
  // while the breaker is half-open is its probe.
  const fakeFetch = async (_input, init) => {
    const step = elapsed() < outageMs ? down : up;
    sim.requests += 1;
    Object.assign(current, { sent: true, status: step.status, ok: step.status >= 200 && step.status < 300, probe: breaker.state === "half-open" });
    renderSimLog();
    await sleep(latencyMs, [init?.signal, controller.signal]);
    current.end = elapsed();
    return new Response(step.body, { status: step.status, headers: step.headers });
  };

  state.sim = sim;
  state.running = { controller };
  $("simulate").disabled = true;
  $("sim-stop").disabled = false;
  const status = $("sim-status");
  status.className = "sim-status running";
  status.textContent = `Running: ${scenario.label} (${request.method})…`;
  renderSimLog();

  animate(sim, elapsed, draw);

  try {
    // A call every `everyMs` for `runMs`; then on until a call has succeeded through a closed
    // breaker, so the run always shows the service back (the outage ends at `outageMs`, and
    // the next probe after it closes the breaker).
    for (let i = 0; ; i++) {
      const last = sim.calls.at(-1);
      if (i * everyMs >= runMs && last?.ok && breaker.state === "closed") break;
      const wait = i * everyMs - elapsed();
      if (wait > 0) await sleep(wait, [controller.signal]);
      else controller.signal.throwIfAborted();
      current = { n: i + 1, start: elapsed(), end: null, sent: false, status: null, ok: false, probe: false, refused: null, changes: [] };
      sim.calls.push(current);
      renderSimLog();
      try {
        await fetchWithRetry(URL, { method: request.method }, { breaker, maxAttempts: 1, fetch: fakeFetch, signal: controller.signal });
      } catch (err) {
        if (err?.code !== "ERR_CIRCUIT_OPEN") throw err;
        // Refused by the breaker: nothing was sent; the error says when a call may go through.
        current.refused = { code: err.code, retryAfterMs: err.retryAfterMs, state: breaker.state };
      }
      current.end ??= elapsed();
      renderSimLog();
    }
    const refused = sim.calls.filter((c) => c.refused).length;
    const lastChange = sim.changes.at(-1);
    sim.outcome = "service back";
    status.className = "sim-status good";
    status.textContent =
      `Done: ${count(sim.calls.length, "call")} in ${formatMs(elapsed())}. The fake server received ${count(sim.requests, "request")}; ` +
      `the breaker refused ${count(refused, "call")} without sending anything. ` +
      `It is ${breaker.state} again${lastChange ? ` (${lastChange.from} → ${lastChange.to}: ${lastChange.reason})` : ""} and the last call succeeded.`;
  } catch (err) {
    if (err?.name === "AbortError") {
      sim.outcome = "stopped";
      status.className = "sim-status stopped";
      status.textContent = `Stopped by you after ${count(sim.calls.length, "call")} (${count(sim.requests, "request")} sent): the run ended with an AbortError.`;
    } else {
      sim.outcome = "error";
      showRejection(status, err);
    }
  } finally {
    sim.now = elapsed();
    for (const c of sim.calls) c.end ??= sim.now;
    endRun(state, sim, { renderSimLog, draw });
  }
}

/** The outage run's log: one item per call, and one per change of the breaker's state. */
export function renderOutageLog(sim, log, statusText) {
  for (const c of sim.calls) {
    const parts = [el("strong", {}, `Call ${c.n}`), el("span", { class: "muted" }, ` at ${formatMs(c.start)}`), " → "];
    let cls = "call";
    if (c.refused) {
      cls += " refused";
      parts.push(`refused: breaker ${c.refused.state}, retry in ${formatMs(c.refused.retryAfterMs)}`, el("span", { class: "muted" }, " · no request sent"), el("span", { class: "rule rule-stop" }, c.refused.code));
    } else if (!c.sent) {
      parts.push(el("span", { class: "muted" }, "asking the breaker…"));
    } else {
      cls += ` sent${c.probe ? " probe" : ""}${c.ok ? " ok" : ""}`;
      if (c.probe) parts.push("probe: ");
      parts.push(c.end == null ? el("span", { class: "muted" }, "waiting for the response…") : `HTTP ${statusText(c.status)}`);
      if (c.end != null && c.ok) parts.push(el("span", { class: "rule rule-ok" }, "success"));
    }
    const change = (ch) => el("li", { class: `note breaker-change to-${ch.to}` }, `Breaker: ${ch.from} → ${ch.to} (${ch.reason}) at ${formatMs(ch.t)}`);
    // A change made as the call was admitted comes before it; one its outcome made, after it.
    log.append(...c.changes.filter((ch) => ch.beforeSend).map(change), el("li", { class: cls }, ...parts), ...c.changes.filter((ch) => !ch.beforeSend).map(change));
  }
}
