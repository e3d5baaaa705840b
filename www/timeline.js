// Draws the retry timeline as inline SVG: one row per attempt, time left to right.
// Pure drawing: it takes the plan (`RetryPolicy.plan()`'s decisions, each retry with the
// range [minDelayMs, maxDelayMs] its delay is drawn from) and the state of a simulation, and
// returns markup. No package calls here.

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
  // Axis and grid.
  const step = tickStep(extent, Math.max(2, Math.floor(plotW / (narrow ? 60 : 95))));
  const axisY = top + rows * rowH;
  out.push(`<line class="tl-axis" x1="${left}" y1="${axisY}" x2="${left + plotW}" y2="${axisY}"/>`);
  for (let t = 0; t <= extent; t += step) {
    const tx = x(t);
    out.push(`<line class="tl-grid" x1="${tx}" y1="${top - 4}" x2="${tx}" y2="${axisY}"/>`);
    out.push(`<line class="tl-axis" x1="${tx}" y1="${axisY}" x2="${tx}" y2="${axisY + 5}"/>`);
    out.push(`<text class="tl-tick" x="${tx}" y="${axisY + 18}" text-anchor="middle">${t === 0 ? "0" : formatMs(t)}</text>`);
  }

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
