// The backup-errors demo: classify a failed response, draw the retry schedule the policy
// gives it, and run fetchWithRetry against a fake server in the page. Plain ES modules.
import { classify, RetryPolicy, setLocale } from "/pkg/index.browser.js";
import { FEATURED, VENDORS, VENDOR_NAMES, STATUS_TEXT, SCENARIOS } from "./presets.js";
import { renderCatalogBrowser } from "./catalog-browser.js";
import { renderTimeline, renderOutageTimeline, formatMs } from "./timeline.js";
import { $, el } from "./dom.js";
import { createSimulation, LATENCY_MS } from "./simulation.js";

// ── The taxonomy, as people read it ───────────────────────────────────────────────────────

const ICONS = {
  retry: '<path d="M19.5 12a7.5 7.5 0 1 1-2.2-5.3"/><path d="M19.5 4.5v4h-4"/>',
  wait_and_retry: '<circle cx="12" cy="12" r="8"/><path d="M12 7.5V12l3 2"/>',
  reauthenticate: '<circle cx="8" cy="15" r="4"/><path d="M11 12l8-8M16 7l3 3M14 9l2 2"/>',
  refresh_and_retry: '<path d="M4.5 11a7.5 7.5 0 0 1 13.4-4.2L19.5 8.5"/><path d="M19.5 4v4.5H15"/><path d="M19.5 13a7.5 7.5 0 0 1-13.4 4.2L4.5 15.5"/><path d="M4.5 20v-4.5H9"/>',
  fix_request: '<path d="M4 20h4L19 9l-4-4L4 16z"/><path d="M13 7l4 4"/>',
  split_request: '<path d="M12 21v-7M12 14L6.5 5.5M12 14l5.5-8.5"/><path d="M4 9V4.5h4.5M20 9V4.5h-4.5"/>',
  do_not_retry: '<circle cx="12" cy="12" r="8"/><path d="M6.5 6.5l11 11"/>',
  ok: '<path d="M5 12.5l4.5 4.5L19 7"/>',
};
const ACTIONS = {
  retry: "Retry with backoff",
  wait_and_retry: "Wait for the running job, then retry",
  reauthenticate: "Sign in again, then retry once",
  refresh_and_retry: "Re-read the resource, re-apply, send again",
  fix_request: "Fix the request",
  split_request: "Split the request",
  do_not_retry: "Stop: do not retry",
};
const icon = (name) => `<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">${ICONS[name] ?? ICONS.do_not_retry}</svg>`;
const visualAction = (c) => (c.category === "ok" ? "ok" : c.action);
const statusText = (s) => `${s}${STATUS_TEXT[s] ? ` ${STATUS_TEXT[s]}` : ""}`;
/** The classification's `processed`, in words: did the failed request run on the server? */
const PROCESSED = {
  no: "it did not run: safe to send again",
  maybe: "it may have run: sending it again could run it twice",
  yes: "it ran",
};

// ── What the package says about its own options ───────────────────────────────────────
// Asked once from the package itself (never copied here, so they cannot drift): every option
// with its default, and the vendor presets that fill the fields a caller leaves unset.
const PACKAGE_DEFAULTS = (() => {
  const policy = new RetryPolicy({});
  try {
    return policy.resolvedOptions();
  } finally {
    policy.free?.();
  }
})();
const VENDOR_PRESETS = RetryPolicy.presets();
/** What the demo starts with: short delays, so a simulation ends in a few seconds. */
const DEMO_OPTIONS = {
  maxAttempts: 4, baseDelayMs: 300, maxDelayMs: 5000, multiplier: 2, jitter: "equal", seed: 42,
  maxRetryAfterMs: "", deadlineMs: 30000, trustVendorCodes: true, nonIdempotent: "",
  "busy.maxAttempts": 4, "busy.baseDelayMs": 500, "busy.maxDelayMs": 4000, "busy.multiplier": 2,
};
/** An option's value in a resolvedOptions() object ("busy.maxAttempts" → busy.maxAttempts). */
const optionValue = (resolved, name) => name.split(".").reduce((o, k) => o?.[k], resolved);

const state = {
  classification: null,
  sim: null,
  running: null, // { controller }
  lastPlan: null,
};

// ── Input ─────────────────────────────────────────────────────────────────────────────────

/** Headers as a network panel copies them: `Name: value` lines; status lines and HTTP/2 pseudo-headers are skipped. */
function parseHeaders(text) {
  const pairs = [];
  const skipped = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const trimmed = line.trim();
    if (!trimmed) return;
    if (/^HTTP\/\d/i.test(trimmed) || trimmed.startsWith(":")) return;
    const colon = trimmed.indexOf(":");
    if (colon <= 0) {
      skipped.push(i + 1);
      return;
    }
    pairs.push([trimmed.slice(0, colon).trim(), trimmed.slice(colon + 1).trim()]);
  });
  return { pairs, skipped };
}

function readStatus() {
  const input = $("status");
  const raw = input.value.trim();
  let problem = null;
  if (input.validity.badInput) problem = "The status must be a number, such as 503.";
  else if (raw === "") problem = "Enter the HTTP status, such as 503 (0 = no response arrived).";
  else if (!Number.isInteger(Number(raw))) problem = "The status must be a whole number.";
  return { status: problem ? null : Number(raw), problem };
}

function showStatusProblem(problem) {
  const box = $("status-error");
  box.hidden = !problem;
  box.textContent = problem ?? "";
  $("status").setAttribute("aria-invalid", problem ? "true" : "false");
}

function readInput() {
  const { status, problem } = readStatus();
  const { pairs, skipped } = parseHeaders($("headers").value);
  const note = $("headers-note");
  if (skipped.length) note.textContent = `Line${skipped.length > 1 ? "s" : ""} ${skipped.join(", ")} ignored: no "Name: value".`;
  else note.textContent = pairs.length ? `${pairs.length} header${pairs.length > 1 ? "s" : ""} read.` : "";
  const body = $("body").value;
  return {
    problem,
    input: { status, headers: pairs, body: body.trim() === "" ? null : body, vendor: $("vendor").value, method: $("method").value },
  };
}

/** Fills the form; the Idempotency-Key box keeps its state unless `input.idempotent` is given. */
function fillForm(input) {
  $("vendor").value = input.vendor ?? "auto";
  $("method").value = input.method ?? "GET";
  if (input.idempotent != null) $("idempotency-key").checked = input.idempotent;
  $("status").value = String(input.status);
  $("headers").value = input.headers ?? "";
  $("body").value = input.body ?? "";
}

// ── Classification ────────────────────────────────────────────────────────────────────────

function runClassify({ announce = false, keepSim = false } = {}) {
  const { problem, input } = readInput();
  showStatusProblem(problem);
  if (problem) return null;
  let c;
  try {
    c = classify(input);
  } catch (err) {
    showStatusProblem(err?.code === "ERR_INVALID_STATUS" ? err.message : `${err?.code ?? "Error"}: ${err?.message ?? err}`);
    return null;
  }
  state.classification = c;
  $("result-stale").hidden = true;
  $("result-card").classList.remove("stale");
  if (!keepSim && !state.running) state.sim = null;
  renderResult(c, input);
  drawPlan();
  if (announce) $("announce").textContent = `${ACTIONS[c.action]}. Category ${c.category}.`;
  return c;
}

function renderResult(c) {
  const act = visualAction(c);
  $("result-card").className = `card result act-${act}`;
  const verdict = $("verdict");
  verdict.className = `verdict act-${act}`;
  verdict.querySelector(".verdict-icon").innerHTML = icon(act);
  if (act === "ok") {
    $("verdict-label").textContent = c.items.length ? `Succeeded, but ${c.items.length} item${c.items.length > 1 ? "s" : ""} failed` : "Succeeded";
    $("verdict-sub").textContent = c.items.length ? "Do not resend the request: handle the failed items below." : "Nothing to do.";
  } else {
    $("verdict-label").textContent = ACTIONS[c.action] ?? c.action;
    $("verdict-sub").textContent = `${statusText(c.status)} · ${c.retryable ? "retryable" : "not retryable"}`;
  }
  $("result-summary").textContent = c.summary;
  const detected = $("vendor").value === "auto" ? " · detected" : "";
  $("result-vendor").textContent = `${VENDOR_NAMES[c.vendor] ?? c.vendor}${detected}`;
  setCode("result-code", c.code);
  $("result-documented").textContent = c.code == null ? "" : c.documented ? "documented" : "not in the catalog";
  $("result-category").textContent = c.category;
  $("result-action").textContent = c.action;
  $("result-retryable").textContent = c.retryable ? "Yes" : "No";
  const processed = $("result-processed");
  processed.replaceChildren(el("code", { class: `processed-${c.processed}` }, c.processed ?? "—"), PROCESSED[c.processed] ? el("span", { class: "muted" }, ` ${PROCESSED[c.processed]}`) : null);
  $("result-wait").textContent = c.retryAfterMs == null ? "—" : `${formatMs(c.retryAfterMs)}${c.retryAfterMs >= 1000 ? ` (${c.retryAfterMs} ms)` : ""}`;
  setCode("result-request-id", c.requestId);
  setCode("result-parameter", c.parameter);
  $("result-remediation").textContent = c.remediation ?? "Nothing to fix.";
  $("result-message-box").hidden = !c.message;
  $("result-message").textContent = c.message ?? "";
  const items = $("result-items");
  items.replaceChildren();
  $("result-items-box").hidden = c.items.length === 0;
  $("result-items-title").textContent = c.status >= 200 && c.status < 300 ? `Items that failed inside the ${c.status} response` : "More errors in the response";
  for (const item of c.items) {
    const ia = visualAction(item);
    items.append(
      el("li", { class: `item act-${ia}` },
        el("div", { class: "item-head" },
          el("code", {}, item.code ?? "no code"),
          item.target ? el("span", { class: "muted" }, ` on ${item.target}`) : null,
          el("span", { class: "tag" }, `${item.status != null ? `${item.status} · ` : ""}${item.category} · ${item.action}`)),
        el("p", {}, item.summary ?? item.message ?? "",
          item.retryAfterMs != null ? el("span", { class: "muted" }, ` Wait ${formatMs(item.retryAfterMs)}.`) : null),
        item.summary && item.message ? el("p", { class: "muted small" }, `“${item.message}”`) : null),
    );
  }
  $("result-json").textContent = JSON.stringify(c, null, 2);
}

function setCode(id, value) {
  const node = $(id);
  node.textContent = value ?? "—";
  node.classList.toggle("none", value == null);
}

// ── Policy options ────────────────────────────────────────────────────────────────────────

const optionInputs = () => [...document.querySelectorAll("#policy [data-opt]")];

/** The options object from the form; empty fields are left out (package defaults). */
function readOptions() {
  const options = {};
  const problems = [];
  for (const input of optionInputs()) {
    const name = input.dataset.opt;
    let value;
    if (input.type === "checkbox") value = input.checked;
    else if (input.tagName === "SELECT") value = input.value || undefined;
    else if (input.validity.badInput) {
      problems.push({ name, message: `${name} must be a number.` });
      continue;
    } else if (input.value.trim() === "") value = undefined;
    else value = Number(input.value);
    if (value === undefined) continue;
    if (name.startsWith("busy.")) (options.busy ??= {})[name.slice(5)] = value;
    else options[name] = value;
  }
  return { options, problems };
}

function setOptions(values) {
  for (const input of optionInputs()) {
    const v = values[input.dataset.opt];
    if (input.type === "checkbox") input.checked = v ?? optionValue(PACKAGE_DEFAULTS, input.dataset.opt) ?? false;
    else input.value = v ?? "";
  }
}

function showOptionError(message, names) {
  const box = $("policy-error");
  box.hidden = !message;
  box.textContent = message ?? "";
  for (const input of optionInputs()) {
    const bad = names.includes(input.dataset.opt);
    input.setAttribute("aria-invalid", bad ? "true" : "false");
    if (bad) input.setAttribute("aria-describedby", "policy-error");
    else input.removeAttribute("aria-describedby");
  }
}

/** Option names a message mentions, longest first ("busy.baseDelayMs" before "baseDelayMs"). */
function namesIn(message) {
  const names = optionInputs().map((i) => i.dataset.opt).sort((a, b) => b.length - a.length);
  const found = [];
  let rest = message;
  for (const n of names) {
    if (rest.includes(n)) {
      found.push(n);
      rest = rest.split(n).join("");
    }
  }
  return found;
}

/** A policy from the form, or the reason there is none. */
function makePolicy() {
  const { options, problems } = readOptions();
  if (problems.length) return { problem: problems.map((p) => p.message).join(" "), names: problems.map((p) => p.name), options };
  try {
    return { policy: new RetryPolicy(options), options };
  } catch (err) {
    const message = err?.code === "ERR_INVALID_OPTION" ? err.message : `${err?.name ?? "Error"}: ${err?.message ?? err}`;
    return { problem: message, names: namesIn(String(message)), options };
  }
}

function optionsCode(options, request) {
  const body = Object.entries(options)
    .map(([k, v]) => `  ${k}: ${typeof v === "object" ? `{ ${Object.entries(v).map(([a, b]) => `${a}: ${JSON.stringify(b)}`).join(", ")} }` : JSON.stringify(v)},`)
    .join("\n");
  const how = `{ method: ${JSON.stringify(request.method)}${request.idempotent ? ", idempotent: true" : ""} }`;
  return `const policy = new RetryPolicy({\n${body}\n});\npolicy.plan(classify(response), ${how});`;
}

/**
 * Greys in, as placeholders, the value the policy uses for each empty field: the package's
 * own defaults (resolvedOptions()), or the vendor preset's where one applies to this response.
 */
function showDefaults(resolved, schedule) {
  const preset = schedule?.kind === "preset" ? schedule.preset : null;
  const presetFields = ["maxAttempts", "baseDelayMs", "maxDelayMs", "multiplier", "jitter"];
  for (const input of optionInputs()) {
    const name = input.dataset.opt;
    if (input.type === "checkbox" || name === "seed") continue; // an unset seed is random
    const fromPreset = preset && presetFields.includes(name);
    const value = fromPreset ? preset[name] : optionValue(resolved, name);
    const note = fromPreset ? `, ${VENDOR_NAMES[preset.vendor] ?? preset.vendor} preset` : "";
    if (input.tagName === "SELECT") {
      const first = input.querySelector('option[value=""]');
      if (first) first.textContent = `default (${value}${note})`;
    } else {
      input.placeholder = value == null ? "" : String(value);
      input.title = fromPreset ? `Empty: ${value}, from the ${VENDOR_NAMES[preset.vendor] ?? preset.vendor} preset` : "";
    }
  }
}

/** The vendor presets, as the package lists them; the one this response gets is marked. */
function renderVendorPresets(schedule) {
  const list = $("preset-list");
  list.replaceChildren();
  const active = schedule?.kind === "preset" ? schedule.preset : null;
  for (const p of VENDOR_PRESETS) {
    const on = !!active && active.vendor === p.vendor && active.minStatus === p.minStatus && active.maxStatus === p.maxStatus;
    const range = p.minStatus === p.maxStatus ? `${p.minStatus}` : `${p.minStatus}–${p.maxStatus}`;
    list.append(
      el("li", { class: on ? "active" : "" },
        el("strong", {}, `${VENDOR_NAMES[p.vendor] ?? p.vendor} ${range}`),
        on ? el("span", { class: "tag" }, "applies here") : null,
        el("span", { class: "muted" }, ` ${p.source.replace(/^[^:]*:\s*/, "")}`),
        el("code", {}, `maxAttempts ${p.maxAttempts} · baseDelayMs ${p.baseDelayMs} · maxDelayMs ${p.maxDelayMs} · multiplier ${p.multiplier} · ${p.jitter}`)),
    );
  }
}

// ── The plan: the policy's decisions, each with the range its delay is drawn from ─────────

/** The request the plan and the simulation are about: the form's method and idempotency. */
const readRequest = () => ({ method: $("method").value, idempotent: $("idempotency-key").checked });

const simulation = createSimulation({ state, readInput, fillForm, markCurrent, runClassify, makePolicy, readRequest, draw, statusText });

/**
 * The plan: `policy.plan()`'s decisions laid on a time line where each attempt takes
 * `responseMs` (the fake server's response time), so a simulated run lands on it. Each retry
 * carries [minDelayMs, maxDelayMs], the range its delay is drawn from (server wait included).
 */
function buildPlan(c, policy, request, responseMs = LATENCY_MS) {
  const plan = policy.plan(c, { attempts: 100, method: request.method, idempotent: request.idempotent });
  const rows = [];
  let t = responseMs;
  let total = 0;
  for (const d of plan.attempts) {
    rows.push({ attempt: d.attempt, t, decision: d, serverWait: d.retry ? c.retryAfterMs : null });
    if (d.retry) total += d.delayMs;
    t += d.retry ? d.delayMs + responseMs : 0;
  }
  return {
    rows, total, responseMs, request,
    schedule: plan.schedule,
    cap: plan.schedule.maxDelayMs,
    deadline: plan.deadlineMs,
    maxRetryAfter: plan.maxRetryAfterMs,
  };
}

function drawPlan() {
  const c = state.classification;
  const made = makePolicy();
  const request = readRequest();
  $("policy-code").textContent = optionsCode(made.options, request);
  const caption = $("timeline-caption");
  if (made.problem) {
    showOptionError(made.problem, made.names);
    $("timeline-card").classList.add("invalid");
    caption.classList.add("bad");
    caption.textContent = `Fix the policy options to redraw: ${made.problem}`;
    $("simulate").disabled = true;
    return; // keep the last drawing, dimmed
  }
  showOptionError(null, []);
  $("timeline-card").classList.remove("invalid");
  caption.classList.remove("bad");
  $("simulate").disabled = !!state.running;
  try {
    state.lastPlan = c ? buildPlan(c, made.policy, request) : null;
    showDefaults(made.policy.resolvedOptions(), state.lastPlan?.schedule);
  } finally {
    made.policy.free?.();
  }
  renderVendorPresets(state.lastPlan?.schedule);
  renderDecisions();
  draw();
}

const hasRange = (d) => d.retry && d.minDelayMs != null && d.maxDelayMs != null && d.maxDelayMs > d.minDelayMs;

function renderDecisions() {
  const plan = state.lastPlan;
  const list = $("decisions");
  list.replaceChildren();
  const caption = $("timeline-caption");
  const note = $("timeline-schedule");
  if (!plan) {
    $("result-processed-note").textContent = "";
    caption.textContent = "Classify a response to see the schedule its policy gives it.";
    note.hidden = true;
    return;
  }
  const c = state.classification;
  const last = plan.rows.at(-1).decision;
  const retries = plan.rows.filter((r) => r.decision.retry);
  const { schedule, request } = plan;
  const presetName = schedule.preset ? `the ${VENDOR_NAMES[schedule.preset.vendor] ?? schedule.preset.vendor} preset` : null;
  const sched = { busy: "the busy schedule", preset: presetName ?? "a vendor preset", main: "the main schedule" }[schedule.kind] ?? schedule.kind;
  const what = `${request.method}${request.idempotent ? " with an Idempotency-Key" : ""} → ${statusText(c.status)}`;
  caption.textContent =
    retries.length === 0
      ? `${what}: no retry (${last.rule}).`
      : `${what}: ${retries.length} ${retries.length === 1 ? "retry" : "retries"} on ${sched} (${schedule.jitter} jitter), waiting ${formatMs(plan.total)} in all, then ${last.retry ? "—" : `stop: ${last.rule}`}.`;
  // "What it means" says whether the request ran; this says what that means for this one.
  $("result-processed-note").textContent =
    plan.rows[0].decision.rule === "non-idempotent"
      ? `The policy does not send this ${request.method} again: see the retry timeline.`
      : "";
  note.hidden = schedule.kind !== "preset" || !schedule.preset;
  note.textContent = schedule.preset ? `${schedule.preset.source}. It fills the options you leave empty.` : "";
  for (const r of plan.rows) {
    const d = r.decision;
    const tag = d.rule;
    const kind = d.retry ? "go" : tag === "ok" ? "ok" : tag === "reauthenticate" ? "reauth" : "stop";
    const what = d.retry
      ? [`wait ${formatMs(d.delayMs)}`, hasRange(d) ? el("span", { class: "muted" }, ` (drawn from ${formatMs(d.minDelayMs)} – ${formatMs(d.maxDelayMs)})`) : null]
      : [
          {
            ok: "done",
            reauth: "sign in again (your reauthenticate hook), then one more attempt",
            stop: tag === "server-wait-too-long" ? `stop; come back after ${formatMs(d.delayMs)}` : "stop",
          }[kind],
        ];
    list.append(
      el("li", { class: `decision ${kind}` },
        el("div", { class: "decision-head" },
          el("strong", {}, `Attempt ${d.attempt}`),
          el("span", {}, " → ", ...what),
          el("span", { class: `rule rule-${kind}` }, tag)),
        el("p", { class: "reason" }, d.reason.slice(d.rule.length + 1).trimStart()),
        d.earlierAttemptMayHaveSucceeded ? el("p", { class: "reason warn" }, "An earlier attempt probably went through.") : null),
    );
  }
}

function draw() {
  const svg = $("timeline");
  const width = Math.max(280, Math.floor($("svg-box").clientWidth));
  const c = state.classification;
  // An outage run draws its calls under the breaker's states, not the plan; the caption (the
  // drawing's accessible name) says so.
  const outage = state.sim?.kind === "outage";
  const { svg: markup, height } = outage ? renderOutageTimeline({ width, sim: state.sim }) : renderTimeline({ width, plan: state.lastPlan, sim: state.sim });
  if (outage && $("timeline-caption").textContent !== state.sim.caption) $("timeline-caption").textContent = state.sim.caption;
  $("decisions").hidden = outage; // the plan's decisions are one call's, not the run's
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("width", String(width));
  svg.setAttribute("height", String(height));
  const act = `act-${c ? visualAction(c) : "none"}`;
  svg.setAttribute("class", `timeline ${act}`);
  $("timeline-main").className = `timeline-main ${act}`;
  svg.innerHTML = markup;
}

// ── Examples ──────────────────────────────────────────────────────────────────────────────

/** Marks the example chip the form holds (none once the form is edited). */
function markCurrent(chip) {
  for (const c of document.querySelectorAll(".chip[aria-current]")) c.removeAttribute("aria-current");
  chip?.setAttribute("aria-current", "true");
}

function loadExample(input, chip = null) {
  markCurrent(chip);
  fillForm(input);
  state.sim = null;
  simulation.renderSimLog();
  $("sim-status").textContent = "Not run yet.";
  $("sim-status").className = "sim-status";
  runClassify({ announce: true });
}

function renderPresets() {
  const groups = $("preset-groups");
  for (const [vendor, name] of VENDORS) {
    const presets = FEATURED.filter((p) => p.group === vendor);
    if (!presets.length) continue;
    const list = el("ul", { class: "chips" });
    for (const p of presets) {
      let act = "none";
      try {
        const { pairs } = parseHeaders(p.input.headers);
        act = visualAction(classify({ ...p.input, headers: pairs }));
      } catch { /* shown without a colour */ }
      list.append(
        el("li", {},
          el("button", { type: "button", class: `chip act-${act}`, dataset: { preset: p.id }, onclick: (e) => loadExample(p.input, e.currentTarget) },
            el("span", { class: "chip-status" }, String(p.input.status)),
            el("span", { class: "chip-text" }, p.title))),
      );
    }
    const id = `group-${vendor}`;
    groups.append(el("div", { class: "preset-group", role: "group", "aria-labelledby": id }, el("h3", { id }, name), list));
  }
}

// ── Wiring ────────────────────────────────────────────────────────────────────────────────

function init() {
  renderPresets();
  renderCatalogBrowser(loadExample);
  for (const s of SCENARIOS) $("scenario").append(el("option", { value: s.id }, s.label));

  const form = $("response-card");
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    runClassify({ announce: true });
  });
  form.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener("input", () => {
    markCurrent(null);
    if (!state.classification) return;
    $("result-stale").hidden = false;
    $("result-card").classList.add("stale");
  });
  // The method and the Idempotency-Key box are about the request, not the response: the
  // classification (it reads the method) and the plan follow them at once.
  for (const id of ["method", "idempotency-key"]) $(id).addEventListener("change", () => runClassify());
  $("clear").addEventListener("click", () => {
    fillForm({ vendor: "auto", method: "GET", idempotent: false, status: "", headers: "", body: "" });
    $("status").focus();
  });

  const policy = $("policy");
  policy.addEventListener("submit", (e) => e.preventDefault());
  policy.addEventListener("input", drawPlan);
  policy.addEventListener("change", drawPlan);
  $("policy-demo").addEventListener("click", () => {
    setOptions(DEMO_OPTIONS);
    drawPlan();
  });
  $("policy-defaults").addEventListener("click", () => {
    setOptions({ trustVendorCodes: PACKAGE_DEFAULTS.trustVendorCodes });
    drawPlan();
  });
  setOptions(DEMO_OPTIONS);

  // The reasons' language: a locale pack is loaded when first chosen (its own module), then
  // the decisions, the timeline and the plan are made again in it.
  $("lang").addEventListener("change", async () => {
    const tag = $("lang").value;
    if (tag !== "en") await import(`/pkg/locales/${tag}.browser.js`);
    setLocale(tag);
    drawPlan();
  });

  $("simulate").addEventListener("click", simulation.simulate);
  $("sim-stop").addEventListener("click", simulation.stopSimulation);

  new ResizeObserver(() => draw()).observe($("svg-box"));

  fetch("/pkg/package.json")
    .then((r) => (r.ok ? r.json() : null))
    .then((m) => {
      if (m?.version) $("pkg-version").textContent = `v${m.version}`;
    })
    .catch(() => {});

  loadExample(FEATURED.find((p) => p.id === "veeam-520-transport").input, document.querySelector('[data-preset="veeam-520-transport"]'));
  document.documentElement.dataset.ready = "true";
}

init();
