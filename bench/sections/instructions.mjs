// instructions: one section of bench/run.mjs (its header says what it measures).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { VENDOR_BODIES, itemErrors, listOfSize } from "../fixtures.mjs";
import { table } from "../lib/measure.mjs";
import { src, results } from "../lib/context.mjs";

// Instructions per operation, counted by callgrind on a native build of the same release
// profile (examples/instructions.rs of --src, default this checkout). Wall-clock time on this
// shared VM moves by ±30 %; the count does not, so it is what small changes to the hot paths
// are judged by. Per operation = (count for 2N runs − count for N runs) / N, which cancels
// start-up. Two kinds of workload: the core's functions (classify_at, RetryPolicy::decide,
// the JSON reader), and the operations the wasm module runs for the JS layer (wire::ops:
// classify from the argument encoding, decide with a policy block; since 836ea9d; decide_at
// with the policy kept in a slot, since 5000e7e), on input bytes encoded as pkg-template/
// encodes them. A checkout whose example lacks a kind (exit 3)
// gets n/a. The native build is not the wasm: the counts compare versions of the Rust code,
// not what the engine executes.
export function instructions() {
  if (spawnSync("valgrind", ["--version"], { encoding: "utf8" }).status !== 0) {
    console.log("\nInstruction counts: skipped (valgrind is not installed)");
    results.instructions = null;
    return;
  }
  const built = spawnSync("cargo", ["build", "--release", "--example", "instructions", "--quiet"], { cwd: src, stdio: "inherit" });
  if (built.status !== 0) throw new Error(`cargo build --example instructions failed in ${src}`);
  const target = process.env.CARGO_TARGET_DIR ? resolve(src, process.env.CARGO_TARGET_DIR) : join(src, "target");
  const binary = join(target, "release", "examples", "instructions");
  const workloads = {};
  const runs = {};
  const add = (name, work, n) => {
    workloads[name] = work;
    runs[name] = n;
  };
  for (const v of VENDOR_BODIES) add(`classify ${v.vendor} ${v.status}`, { kind: "classify", status: v.status, headers: Object.entries(v.headers), body: v.body }, 200);
  add("classify Graph 200, 1,000 item errors", { kind: "classify", status: 200, headers: [], body: itemErrors(1000) }, 4);
  add("JSON reader, 1 MB Graph list", { kind: "parse", body: listOfSize(1 << 20) }, 2);
  add("decide 503 (attempts 1-3)", { kind: "decide", status: 503 }, 600);
  const busy = VENDOR_BODIES[1];
  // Its own kind: an example from before it existed reads only the status for "decide".
  add("decide Veeam 520 busy (attempts 1-3)", { kind: "decide-response", status: busy.status, headers: Object.entries(busy.headers), body: busy.body }, 600);
  for (const v of VENDOR_BODIES) add(`wire classify ${v.vendor} ${v.status}`, { kind: "wire-classify", status: v.status, headers: Object.entries(v.headers), body: v.body }, 200);
  add("wire classify Graph 200, 1,000 item errors", { kind: "wire-classify", status: 200, headers: [], body: itemErrors(1000) }, 4);
  add("wire decide 503 (attempts 1-3)", { kind: "wire-decide", status: 503 }, 600);
  add("wire decide Veeam 520 busy (attempts 1-3)", { kind: "wire-decide", status: busy.status, headers: Object.entries(busy.headers), body: busy.body }, 600);
  // The route the package takes since 5000e7e (a policy kept in a slot, the numbers as
  // arguments); older checkouts' examples do not know it.
  add("wire decide_at 503 (attempts 1-3)", { kind: "wire-decide-at", status: 503 }, 600);
  add("wire decide_at Veeam 520 busy (attempts 1-3)", { kind: "wire-decide-at", status: busy.status, headers: Object.entries(busy.headers), body: busy.body }, 600);
  const file = join(mkdtempSync(join(tmpdir(), "backup-errors-ir-")), "workloads.json");
  writeFileSync(file, JSON.stringify(workloads));
  const count = (name, n) => {
    const out = join(dirname(file), "callgrind.out");
    const r = spawnSync("valgrind", ["--tool=callgrind", `--callgrind-out-file=${out}`, binary, file, name, String(n)], { encoding: "utf8" });
    if (r.status === 3 || (r.status !== 0 && /unknown kind/.test(r.stderr))) return null; // an older example
    const refs = /refs:\s+([\d,]+)/.exec(r.stderr);
    if (r.status !== 0 || !refs) throw new Error(`callgrind ${name}: ${r.stderr.slice(-400)}`);
    return Number(refs[1].replaceAll(",", ""));
  };
  const perOp = {};
  for (const [name, n] of Object.entries(runs)) {
    const once = count(name, n);
    perOp[name] = once === null ? null : (count(name, 2 * n) - once) / n;
  }
  rmSync(dirname(file), { recursive: true, force: true });
  results.instructions = { method: "callgrind instruction count of the native release build of --src's examples/instructions.rs, (2N runs − N runs) / N", src, perOp };
  table(
    `Instructions per operation (callgrind, native build of the release profile of ${src}; independent of load)`,
    ["operation", "instructions"],
    Object.entries(perOp).map(([name, ir]) => [name, ir === null ? "n/a (not in this checkout's example)" : ir >= 1e6 ? `${(ir / 1e6).toFixed(2)} M` : `${(ir / 1e3).toFixed(2)} k`]),
  );
}
