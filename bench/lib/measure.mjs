// Timing, compression and printing helpers of the benchmarks (bench/run.mjs, its sections and
// bench/interleave.mjs); no state, no arguments read.
import { brotliCompressSync, gzipSync, constants as zlib } from "node:zlib";

export const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;
export const brotli = (bytes) => brotliCompressSync(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }).length;
export const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
export const now = () => Number(process.hrtime.bigint()) / 1e6; // ms

/** Nanoseconds per call of `fn`, from one timed run of about `ms` milliseconds. */
export function nsPerOp(fn, ms) {
  let n = 1;
  for (;;) {
    const t = now();
    for (let i = 0; i < n; i++) fn(i);
    const dt = now() - t;
    if (dt >= ms) return (dt * 1e6) / n;
    n = dt < 1 ? n * 8 : Math.ceil((n * ms * 1.1) / dt);
  }
}

/** Prints `rows` under `head` as an aligned table titled `title`. */
export function table(title, head, rows) {
  const all = [head, ...rows].map((r) => r.map(String));
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i]?.length ?? 0)));
  console.log(`\n${title}`);
  all.forEach((r, n) => {
    console.log("  " + r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  "));
    if (n === 0) console.log("  " + widths.map((w) => "-".repeat(w)).join("  "));
  });
}

export const fmtNs = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);
export const perSec = (ns) => (1e9 / ns >= 1e6 ? `${(1e9 / ns / 1e6).toFixed(2)} M/s` : `${(1e9 / ns / 1e3).toFixed(0)} k/s`);
