// Draws the retry timeline as inline SVG: one row per attempt, time left to right.
// Pure drawing: it takes the plan (`RetryPolicy.plan()`'s decisions, each retry with the
// range [minDelayMs, maxDelayMs] its delay is drawn from) and the state of a simulation, and
// returns markup. An outage run (www/outage.js) has its own drawing, renderOutageTimeline:
// one row per call, under the circuit breaker's states. No package calls here.

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

/** "300 ms", "1.2 s", "45 s", "2 min", "1 h 5 min". */
export function formatMs(ms) {
  if (ms == null || !Number.isFinite(ms)) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 10) return `${trim(s.toFixed(2))} s`;
  if (s < 120) return `${trim(s.toFixed(1))} s`;
  const min = s / 60;
  if (min < 120) return `${trim(min.toFixed(1))} min`;
  const h = Math.floor(min / 60);
  return `${h} h ${Math.round(min - h * 60)} min`;
}
const trim = (t) => t.replace(/\.?0+$/, "");

/** Tick step of about `target` ticks over `extent` ms: 1, 2 or 5 × 10^k. */
function tickStep(extent, target) {
  const raw = extent / Math.max(1, target);
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

/** The time axis at `axisY` under the plot, with its ticks and their grid lines up to `gridTop`. */
function axisAndGrid(out, { x, extent, narrow, left, plotW, gridTop, axisY }) {
  const step = tickStep(extent, Math.max(2, Math.floor(plotW / (narrow ? 60 : 95))));
  out.push(`<line class="tl-axis" x1="${left}" y1="${axisY}" x2="${left + plotW}" y2="${axisY}"/>`);
  for (let t = 0; t <= extent; t += step) {
    const tx = x(t);
    out.push(`<line class="tl-grid" x1="${tx}" y1="${gridTop}" x2="${tx}" y2="${axisY}"/>`);
    out.push(`<line class="tl-axis" x1="${tx}" y1="${axisY}" x2="${tx}" y2="${axisY + 5}"/>`);
    out.push(`<text class="tl-tick" x="${tx}" y="${axisY + 18}" text-anchor="middle">${t === 0 ? "0" : formatMs(t)}</text>`);
  }
}

/**
 * @param {object} model
 * @param {number} model.width              drawing width in px
 * @param {object|null} model.plan          { rows: [{ attempt, t, decision: { retry, delayMs, reason, minDelayMs, maxDelayMs, … }, serverWait }], cap, deadline, responseMs }
 * @param {object|null} model.sim           { attempts: [{ n, start, end, status, ok, decision }], now, running, outcome }
 * @returns {{ svg: string, width: number, height: number }}
 */
export function renderTimeline({ width, plan, sim }) {
  const narrow = width < 520;
  const left = narrow ? 30 : 82;
  const right = narrow ? 12 : 22;
  const top = 34;
  const rowH = narrow ? 44 : 46;
  const axisH = 30;
  const planRows = plan?.rows ?? [];
  const simRows = sim?.attempts ?? [];
  const rows = Math.max(planRows.length, simRows.length, 1);
  const height = top + rows * rowH + axisH;
  const plotW = Math.max(80, width - left - right);

  // ── Extent: everything that must be visible ────────────────────────────────────────────
  let extent = 0;
  for (const r of planRows) {
    extent = Math.max(extent, r.t);
    if (r.decision.retry) {
      extent = Math.max(extent, r.t + r.decision.delayMs, r.t + (r.decision.maxDelayMs ?? 0));
      if (r.serverWait != null) extent = Math.max(extent, r.t + r.serverWait);
    }
  }
  for (const a of simRows) extent = Math.max(extent, a.end ?? a.start, a.start);
  if (sim?.running) extent = Math.max(extent, sim.now);
  extent = Math.max(extent, 1000);
  const deadline = plan?.deadline ?? null;
  if (deadline != null && deadline <= extent * 1.6) extent = Math.max(extent, deadline);
  extent *= 1.08;
  const x = (t) => left + (Math.min(Math.max(t, 0), extent) / extent) * plotW;
  const rowY = (i) => top + i * rowH + rowH / 2;

  const out = [];
  // Rows and their labels.
  for (let i = 0; i < rows; i++) {
    const y0 = top + i * rowH;
    if (i % 2 === 0) out.push(`<rect class="tl-row" x="0" y="${y0}" width="${width}" height="${rowH}"/>`);
    out.push(`<text class="tl-rowlabel" x="${left - 10}" y="${rowY(i) + 4}" text-anchor="end">${narrow ? `#${i + 1}` : `Attempt ${i + 1}`}</text>`);
  }
  const axisY = top + rows * rowH;
  axisAndGrid(out, { x, extent, narrow, left, plotW, gridTop: top - 4, axisY });

  // Deadline.
  if (deadline != null) {
    if (deadline <= extent) {
      const dx = x(deadline);
      out.push(`<line class="tl-deadline" x1="${dx}" y1="${top - 8}" x2="${dx}" y2="${axisY}"/>`);
      out.push(`<text class="tl-deadline-label" x="${dx - 4}" y="${top - 12}" text-anchor="end">deadline ${formatMs(deadline)}</text>`);
    } else {
      out.push(`<text class="tl-deadline-label" x="${left + plotW}" y="${top - 12}" text-anchor="end">deadline ${formatMs(deadline)} →</text>`);
    }
  }

  // The plan.
  let capLabelled = false;
  const responseMs = plan?.responseMs ?? 0;
  planRows.forEach((r, i) => {
    const y = rowY(i) - 4;
    const t = r.t;
    const d = r.decision;
    if (responseMs > 0) {
      out.push(`<rect class="plan-request" x="${x(t - responseMs)}" y="${y - 2}" width="${Math.max(1, x(t) - x(t - responseMs))}" height="4" rx="2"/>`);
    }
    if (d.retry) {
      const end = t + d.delayMs;
      // The range the delay is drawn from (jitter, and the server's wait as its floor).
      const lo = d.minDelayMs;
      const hi = d.maxDelayMs;
      if (lo != null && hi != null && hi > lo) {
        out.push(`<rect class="tl-band plan-band" x="${x(t + lo)}" y="${y - 8}" width="${Math.max(1.5, x(t + hi) - x(t + lo))}" height="16" rx="3"><title>Delay drawn from ${esc(formatMs(lo))} – ${esc(formatMs(hi))}</title></rect>`);
      }
      if (plan.cap != null && t + plan.cap <= extent) {
        const cx = x(t + plan.cap);
        out.push(`<line class="tl-cap" x1="${cx}" y1="${y - 12}" x2="${cx}" y2="${y + 12}"/>`);
        if (!capLabelled) {
          out.push(`<text class="tl-small tl-cap-label" x="${cx + 3}" y="${y - 13}">cap</text>`);
          capLabelled = true;
        }
      }
      if (r.serverWait != null) {
        const sx = x(t + r.serverWait);
        out.push(`<line class="tl-server" x1="${sx}" y1="${y - 13}" x2="${sx}" y2="${y + 13}"><title>The server's wait: ${esc(formatMs(r.serverWait))}</title></line>`);
        out.push(`<path class="tl-server-flag" d="M${sx} ${y - 13} l7 3 l-7 3 z"/>`);
      }
      out.push(`<line class="tl-delay plan-delay" x1="${x(t)}" y1="${y}" x2="${x(end)}" y2="${y}"/>`);
      out.push(`<path class="tl-delay-head" d="M${x(end)} ${y} l-6 -4 v8 z"/>`);
      if (i + 1 < planRows.length) {
        out.push(`<line class="tl-link" x1="${x(end)}" y1="${y}" x2="${x(end)}" y2="${rowY(i + 1) - 4}"/>`);
      }
      const label = formatMs(d.delayMs);
      const mid = (x(t) + x(end)) / 2;
      const room = x(end) - x(t);
      const lx = room > label.length * 7 + 12 ? mid : x(end) + 6;
      const anchor = room > label.length * 7 + 12 ? "middle" : "start";
      out.push(`<text class="tl-delay-label" x="${lx}" y="${y - 11}" text-anchor="${anchor}">${esc(label)}</text>`);
      out.push(`<circle class="plan-attempt" cx="${x(t)}" cy="${y}" r="6"><title>Attempt ${r.attempt} at ${esc(formatMs(t))}: retry after ${esc(label)} (${esc(d.rule)})</title></circle>`);
    } else {
      const tag = d.rule;
      const kind = tag === "ok" ? "ok" : tag === "reauthenticate" ? "reauth" : "stop";
      if (tag === "server-wait-too-long" && d.delayMs > 0) {
        const end = t + d.delayMs;
        const ex = x(Math.min(end, extent));
        out.push(`<line class="tl-toolong" x1="${x(t)}" y1="${y}" x2="${ex}" y2="${y}"/>`);
        if (end > extent) out.push(`<path class="tl-toolong-head" d="M${ex} ${y} l-7 -5 v10 z"/>`);
      }
      out.push(`<circle class="plan-attempt plan-${kind}" cx="${x(t)}" cy="${y}" r="7"><title>Attempt ${r.attempt}: ${esc(d.reason)}</title></circle>`);
      if (kind === "stop") {
        const cx = x(t);
        out.push(`<path class="tl-stop-x" d="M${cx - 3} ${y - 3} L${cx + 3} ${y + 3} M${cx + 3} ${y - 3} L${cx - 3} ${y + 3}"/>`);
      }
      let text = kind === "ok" ? "success: nothing to retry" : kind === "reauth" ? "reauthenticate: sign in, send once more" : `stops: ${tag}`;
      if (tag === "server-wait-too-long") text = `stops: server asks ${formatMs(d.delayMs)}`;
      const tx = x(t) + 14;
      const w = text.length * 6.6 + 14;
      const fits = tx + w <= width - 2;
      const px = fits ? tx : Math.max(2, x(t) - 14 - w);
      out.push(`<g class="tl-pill pill-${kind}"><rect x="${px}" y="${y - 11}" width="${w}" height="22" rx="11"/><text x="${px + w / 2}" y="${y + 4}" text-anchor="middle">${esc(text)}</text></g>`);
    }
  });

  // The simulation: its requests and waits in a lane under the plan, and each response
  // as a dot that lands in the planned attempt's circle.
  if (sim) {
    simRows.forEach((a, i) => {
      const y = rowY(i) - 4;
      const lane = y + 13;
      const end = a.end ?? sim.now;
      out.push(`<rect class="sim-request" x="${x(a.start)}" y="${lane - 3}" width="${Math.max(2, x(end) - x(a.start))}" height="6" rx="2"/>`);
      const next = simRows[i + 1];
      if (a.end != null && (next || sim.running)) {
        const waitEnd = next ? next.start : sim.now;
        out.push(`<line class="sim-wait" x1="${x(a.end)}" y1="${lane}" x2="${x(waitEnd)}" y2="${lane}"/>`);
        if (next) out.push(`<line class="sim-link" x1="${x(waitEnd)}" y1="${lane}" x2="${x(waitEnd)}" y2="${rowY(i + 1) + 9}"/>`);
      }
      if (a.end != null) {
        const cls = a.ok ? "sim-ok" : "sim-fail";
        out.push(`<circle class="sim-attempt ${cls}" cx="${x(a.end)}" cy="${y}" r="4"><title>Simulated attempt ${a.n}: HTTP ${a.status} at ${esc(formatMs(a.end))}</title></circle>`);
        const last = i === simRows.length - 1 && !sim.running;
        const label = `${a.status}${last && sim.outcome ? ` · ${sim.outcome}` : ""}`;
        const lx = x(a.end) + 6;
        const flip = lx + label.length * 6.8 > width - 2;
        out.push(`<text class="sim-label ${cls}-text" x="${flip ? x(a.end) - 6 : lx}" y="${lane + 4}" text-anchor="${flip ? "end" : "start"}">${esc(label)}</text>`);
      }
    });
    if (sim.running) {
      const nx = x(sim.now);
      out.push(`<line class="sim-now" x1="${nx}" y1="${top - 4}" x2="${nx}" y2="${axisY}"/>`);
    }
  }

  if (!plan && !sim) {
    out.push(`<text class="tl-empty" x="${left + plotW / 2}" y="${rowY(0) + 4}" text-anchor="middle">Classify a response to see its retry schedule.</text>`);
  }
  return { svg: out.join(""), width, height };
}

/**
 * An outage run: the circuit breaker's state over time as a band of segments on top (one per
 * state it was in, from the changes its onStateChange reported, each labelled with the state
 * and the reason it entered it) shading the rows below; the fake server's outage under it;
 * then one row per call: a request and its status, or a cross for a call the breaker refused.
 * @param {object} model
 * @param {number} model.width  drawing width in px
 * @param {object} model.sim    { calls: [{ n, start, end, sent, status, ok, probe, refused }], changes: [{ t, from, to, reason }], outageMs, runMs, downStatus, upStatus, now, running }
 * @returns {{ svg: string, width: number, height: number }}
 */
export function renderOutageTimeline({ width, sim }) {
  const narrow = width < 520;
  const left = narrow ? 30 : 82;
  const right = narrow ? 12 : 22;
  const labelY = 11; // labels of segments too short to hold theirs
  const laneY = 16; // the breaker's states
  const laneH = 20;
  const serverY = 42; // the fake server: failing, then answering
  const serverH = 14;
  const top = 64;
  const rowH = narrow ? 20 : 22;
  const axisH = 30;
  const calls = sim.calls;
  const rows = Math.max(calls.length, 1);
  const axisY = top + rows * rowH;
  const height = axisY + axisH;
  const plotW = Math.max(80, width - left - right);
  let extent = Math.max(sim.runMs, sim.now);
  for (const c of calls) extent = Math.max(extent, c.end ?? c.start);
  extent *= 1.04;
  const x = (t) => left + (Math.min(Math.max(t, 0), extent) / extent) * plotW;
  const rowY = (i) => top + i * rowH + rowH / 2;
  const fits = (text, room) => text.length * 6.4 + 10 <= room;

  // The breaker's segments: the state it started in until the first change, then each
  // change's new state until the next one (or now).
  const segments = [];
  let state = sim.changes[0]?.from ?? "closed";
  let since = 0;
  let cause = null;
  for (const ch of sim.changes) {
    segments.push({ state, t0: since, t1: ch.t, cause });
    state = ch.to;
    since = ch.t;
    cause = ch;
  }
  segments.push({ state, t0: since, t1: Math.max(since, sim.now), cause });

  const out = [];
  for (let i = 0; i < rows; i++) {
    const y0 = top + i * rowH;
    if (i % 2 === 0) out.push(`<rect class="tl-row" x="0" y="${y0}" width="${width}" height="${rowH}"/>`);
    if (calls[i]) out.push(`<text class="tl-rowlabel" x="${left - 10}" y="${rowY(i) + 4}" text-anchor="end">${narrow ? `#${i + 1}` : `Call ${i + 1}`}</text>`);
  }
  for (const s of segments) {
    out.push(`<rect class="br-bg br-bg-${s.state}" x="${x(s.t0)}" y="${top}" width="${Math.max(0, x(s.t1) - x(s.t0))}" height="${rows * rowH}"/>`);
  }
  axisAndGrid(out, { x, extent, narrow, left, plotW, gridTop: laneY + laneH, axisY });

  // The breaker's band.
  if (!narrow) {
    out.push(`<text class="tl-rowlabel" x="${left - 10}" y="${laneY + laneH / 2 + 4}" text-anchor="end">Breaker</text>`);
    out.push(`<text class="tl-rowlabel" x="${left - 10}" y="${serverY + serverH / 2 + 4}" text-anchor="end">Server</text>`);
  }
  let outsideEnd = -Infinity; // where the last label drawn above the band ends
  for (const s of segments) {
    const x0 = x(s.t0);
    const w = Math.max(1.5, x(s.t1) - x0);
    const why = s.cause ? `, after ${s.cause.from} → ${s.cause.to} (${s.cause.reason}) at ${formatMs(s.cause.t)}` : "";
    out.push(`<rect class="br-seg br-${s.state}" x="${x0}" y="${laneY}" width="${w}" height="${laneH}" rx="3"><title>${esc(`Breaker ${s.state} from ${formatMs(s.t0)}${why}`)}</title></rect>`);
    const long = s.cause ? `${s.state} · ${s.cause.reason}` : s.state;
    const text = fits(long, w) ? long : s.state;
    if (fits(text, w)) {
      out.push(`<text class="br-label br-label-${s.state}" x="${x0 + w / 2}" y="${laneY + laneH / 2 + 4}" text-anchor="middle">${esc(text)}</text>`);
    } else {
      // Too short for its name: the name goes above the band, unless the one before is there.
      const half = (text.length * 6.2) / 2;
      const mid = Math.min(Math.max(x0 + w / 2, left + half), left + plotW - half);
      if (mid - half > outsideEnd + 4) {
        out.push(`<text class="tl-small br-label-out" x="${mid}" y="${labelY}" text-anchor="middle">${esc(text)}</text>`);
        outsideEnd = mid + half;
      }
    }
  }
  for (const ch of sim.changes) {
    const cx = x(ch.t);
    out.push(`<line class="br-change" x1="${cx}" y1="${laneY}" x2="${cx}" y2="${axisY}"><title>${esc(`${formatMs(ch.t)}: ${ch.from} → ${ch.to} (${ch.reason})`)}</title></line>`);
  }

  // The fake server: the outage's answer until outageMs, the success after it.
  const serverParts = [
    { cls: "srv-down", t0: 0, t1: sim.outageMs, text: `outage: ${sim.downStatus}` },
    { cls: "srv-up", t0: sim.outageMs, t1: extent, text: `back: ${sim.upStatus}` },
  ];
  for (const p of serverParts) {
    const w = Math.max(0, x(p.t1) - x(p.t0));
    out.push(`<rect class="srv ${p.cls}" x="${x(p.t0)}" y="${serverY}" width="${w}" height="${serverH}" rx="3"/>`);
    if (fits(p.text, w)) out.push(`<text class="srv-label" x="${x(p.t0) + 6}" y="${serverY + serverH - 3}">${esc(p.text)}</text>`);
  }

  // The calls.
  calls.forEach((c, i) => {
    const y = rowY(i);
    let label = null;
    let cls = "";
    let at = x(c.start);
    if (c.refused) {
      const cx = at;
      out.push(`<path class="sim-refused" d="M${cx - 4} ${y - 4} L${cx + 4} ${y + 4} M${cx + 4} ${y - 4} L${cx - 4} ${y + 4}"><title>${esc(`Call ${c.n} at ${formatMs(c.start)}: refused by the breaker (${c.refused.state}), retry in ${formatMs(c.refused.retryAfterMs)}; nothing sent`)}</title></path>`);
      label = narrow ? "refused" : `refused · retry in ${formatMs(c.refused.retryAfterMs)}`;
      cls = "sim-refused-text";
    } else if (c.sent) {
      const end = c.end ?? sim.now;
      out.push(`<rect class="sim-request" x="${at}" y="${y - 3}" width="${Math.max(2, x(end) - at)}" height="6" rx="2"/>`);
      if (c.end != null) {
        at = x(c.end);
        const dot = c.ok ? "sim-ok" : "sim-fail";
        out.push(`<circle class="sim-attempt ${dot}${c.probe ? " sim-probe" : ""}" cx="${at}" cy="${y}" r="4"><title>${esc(`Call ${c.n}${c.probe ? " (the probe)" : ""}: HTTP ${c.status} at ${formatMs(c.end)}`)}</title></circle>`);
        label = `${c.probe ? "probe · " : ""}${c.status}`;
        cls = `${dot}-text`;
      }
    }
    if (label) {
      const lx = at + 8;
      const flip = lx + label.length * 6.8 > width - 2;
      out.push(`<text class="sim-label ${cls}" x="${flip ? at - 8 : lx}" y="${y + 4}" text-anchor="${flip ? "end" : "start"}">${esc(label)}</text>`);
    }
  });
  if (sim.running) {
    const nx = x(sim.now);
    out.push(`<line class="sim-now" x1="${nx}" y1="${laneY}" x2="${nx}" y2="${axisY}"/>`);
  }
  return { svg: out.join(""), width, height };
}
