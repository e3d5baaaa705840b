// peers: one section of bench/run.mjs (its header says what it measures).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzip, kb, table } from "../lib/measure.mjs";
import { root, pkg, results } from "../lib/context.mjs";

const PEERS = [
  { name: "ky", entry: 'import ky from "ky"; globalThis.peer = ky;' },
  { name: "p-retry", entry: 'import pRetry from "p-retry"; globalThis.peer = pRetry;' },
  { name: "cockatiel", entry: 'import { retry, handleAll, ExponentialBackoff } from "cockatiel"; globalThis.peer = retry(handleAll, { backoff: new ExponentialBackoff() });' },
  { name: "exponential-backoff", entry: 'import { backOff } from "exponential-backoff"; globalThis.peer = backOff;' },
  { name: "@smithy/util-retry", entry: 'import { StandardRetryStrategy } from "@smithy/util-retry"; globalThis.peer = StandardRetryStrategy;' },
];

export function peers() {
  const dir = mkdtempSync(join(tmpdir(), "backup-errors-peers-"));
  const esbuild = join(root, "node_modules", ".bin", "esbuild");
  const rows = [];
  const out = [];
  try {
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "peers", private: true, version: "1.0.0", type: "module" }));
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--no-package-lock", "--silent", ...PEERS.map((p) => p.name)], { cwd: dir, stdio: ["ignore", "ignore", "inherit"] });
    // Ours, bundled the same way (the .wasm stays a separate asset; its gzip is added).
    mkdirSync(join(dir, "node_modules"), { recursive: true });
    symlinkSync(pkg, join(dir, "node_modules", "backup-errors"), "dir");
    const list = [...PEERS, { name: "backup-errors (this package)", entry: 'import { classify, RetryPolicy } from "backup-errors"; globalThis.peer = [classify, RetryPolicy];', ours: true }];
    for (const p of list) {
      const entry = join(dir, `entry-${out.length}.mjs`);
      writeFileSync(entry, p.entry);
      // docs/bundlers.md's line for esbuild (the "esbuild" condition: the entry imports the .wasm);
      // the peers have no such condition, so it changes nothing for them.
      execFileSync(esbuild, [entry, "--bundle", "--minify", "--format=esm", "--platform=browser", "--log-level=error", `--outdir=${join(dir, `out-${out.length}`)}`, "--entry-names=bundle", "--conditions=esbuild", "--loader:.wasm=file"], { cwd: dir });
      const bundle = join(dir, `out-${out.length}`, "bundle.js");
      const js = readFileSync(bundle);
      let version = "";
      try {
        version = JSON.parse(readFileSync(join(dir, "node_modules", p.ours ? "backup-errors" : p.name, "package.json"), "utf8")).version;
      } catch {}
      const wasmGzip = p.ours ? gzip(readFileSync(join(pkg, "wasm", "backup_errors_bg.wasm"))) : 0;
      const r = { name: p.name, version, minified: js.length, gzip: gzip(js), wasmGzip, totalGzip: gzip(js) + wasmGzip, vendorKnowledge: !!p.ours };
      out.push(r);
      rows.push([p.name, version, kb(r.minified), kb(r.gzip), p.ours ? kb(r.wasmGzip) : "–", kb(r.totalGzip), p.ours ? "5 vendors' catalogs" : "none"]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  results.peers = { method: "esbuild --bundle --minify --format=esm --platform=browser --conditions=esbuild --loader:.wasm=file of an entry importing the package's main export; gzip -9", peers: out };
  table("Peers, bundled the same way (they carry no vendor knowledge)", ["package", "version", "min JS", "min+gzip JS", "wasm gzip", "total gzip", "vendor knowledge"], rows);
}
