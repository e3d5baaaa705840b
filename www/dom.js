// DOM helpers shared by the demo's modules.

/** The element with id `id`. */
export const $ = (id) => document.getElementById(id);
/** A new `tag` element with `props` (class, dataset, on… listeners, attributes) and `children`. */
export const el = (tag, props = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
};

/** Shows a run's rejection that is not the user's Stop: its name and message. */
export function showRejection(status, err) {
  status.className = "sim-status bad";
  status.textContent = `fetchWithRetry rejected: ${err?.name ?? "Error"}: ${err?.message ?? err}`;
}

/** Ends a simulation run: its clock stops at `sim.now`, the buttons come back, the log and the drawing are made again, and the status is announced. */
export function endRun(state, sim, { renderSimLog, draw }) {
  sim.running = false;
  state.running = null;
  $("sim-stop").disabled = true;
  $("simulate").disabled = false;
  renderSimLog();
  draw();
  $("announce").textContent = $("sim-status").textContent;
}

/** Redraws every frame while `sim` runs, its clock at `elapsed()`. */
export function animate(sim, elapsed, draw) {
  const tick = () => {
    if (!sim.running) return;
    sim.now = elapsed();
    draw();
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}
