// The whole test suite, as `npm test` runs it (after scripts/toolchain.sh). Builds the
// package once, then runs every suite and ends with one line: `N passed, N failed`.
//
// Suites: cargo fmt, clippy (native + wasm32), cargo test, wasm-bindgen-test in Node and
// headless Chrome, node --test on the packed tarball installed in a fresh project (ESM, CJS,
// executor, CLI), tsc type tests (files that must compile, files that must not, and what an
// editor completes), bundles built by Vite, webpack, Rollup and esbuild loaded in Chromium,
// browser tests of the plain-module page and the demo, and a time-bounded fuzz run of classify.
//
//   node scripts/test.mjs [--only name,name]   run some suites (names as printed)
//                         [--files a,b]        only these package test files (tests/package/a.test.mjs, …)
//                         [--node 22,24]       the package suites on these Node releases only (major versions)
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, dirname, basename } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const output = join(root, "test-output");
mkdirSync(output, { recursive: true });
const flag = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? new Set(process.argv[i + 1].split(",")) : null;
};
const only = flag("--only");
const onlyFiles = flag("--files");
const onlyNode = flag("--node");

const totals = { passed: 0, failed: 0 };
const failures = [];

/** Runs a command, streaming its output; returns { status, out } with stdout+stderr text. */
function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, ...opts, env: { ...process.env, ...opts.env } });
  const out = (r.stdout ?? "") + (r.stderr ?? "");
  process.stdout.write(out);
  if (r.error) process.stdout.write(String(r.error) + "\n");
  return { status: r.status ?? 1, out };
}

function record(name, passed, failed) {
  totals.passed += passed;
  totals.failed += failed;
  if (failed) failures.push(name);
  console.log(`[test] ${name}: ${passed} passed, ${failed} failed`);
}

/** A suite that counts as one check: it passes when the command exits 0. */
function check(name, cmd, args, opts) {
  if (only && !only.has(name)) return;
  console.log(`\n[test] ── ${name}`);
  const { status } = sh(cmd, args, opts);
  record(name, status === 0 ? 1 : 0, status === 0 ? 0 : 1);
}

/** Sums `test result: ok. N passed; M failed` lines of cargo's test harness. */
function cargoSuite(name, args, opts) {
  if (only && !only.has(name)) return;
  console.log(`\n[test] ── ${name}`);
  const { status, out } = sh("cargo", args, opts);
  let passed = 0, failed = 0;
  for (const m of out.matchAll(/test result: \w+\. (\d+) passed; (\d+) failed/g)) {
    passed += Number(m[1]);
    failed += Number(m[2]);
  }
  if (status !== 0 && failed === 0) failed = 1; // a build error is a failure too
  record(name, passed, failed);
}

/**
 * Runs `node --test` (TAP) over files and sums its `# pass` / `# fail` lines. `opts.node` is the
 * Node binary to run them with (default: the one running this script); `opts.label` names the
 * suite in the output where it differs from the `--only` name.
 */
function nodeSuite(name, files, { node = process.execPath, label = name, ...opts } = {}) {
  if (only && !only.has(name)) return;
  name = label;
  console.log(`\n[test] ── ${name}`);
  if (files.length === 0) {
    record(name, 0, 1);
    console.log(`[test] ${name}: no test files found`);
    return;
  }
  const { status, out } = sh(node, ["--test", "--test-reporter=tap", "--test-concurrency=1", ...files], opts);
  const count = (label) => Number(/^# (?:pass|fail)/m.test(out) ? (new RegExp(`^# ${label} (\\d+)`, "m").exec(out)?.[1] ?? 0) : 0);
  let passed = count("pass"), failed = count("fail");
  if (status !== 0 && failed === 0) failed = 1;
  record(name, passed, failed);
}

const list = (dir, pattern) => (existsSync(dir) ? readdirSync(dir).filter((f) => pattern.test(f)).sort().map((f) => join(dir, f)) : []);

// ── Static checks and native tests ──────────────────────────────────────────────────────
check("cargo-fmt", "cargo", ["fmt", "--check"]);
check("clippy", "cargo", ["clippy", "--all-targets", "--quiet", "--", "-D", "warnings"]);
check("clippy-wasm32", "cargo", ["clippy", "--target", "wasm32-unknown-unknown", "--lib", "--test", "wasm", "--quiet", "--", "-D", "warnings"]);
check("clippy-standalone", "cargo", ["clippy", "--target", "wasm32-unknown-unknown", "--lib", "--features", "standalone", "--quiet", "--", "-D", "warnings"]);
cargoSuite("cargo-test", ["test", "--quiet"]);

// ── One release build of the package, reused by every suite below ───────────────────────
if (!only || ["package", "types", "bundler", "browser"].some((s) => only.has(s))) {
  console.log("\n[test] ── build");
  const { status } = sh(process.execPath, [join(root, "scripts", "build.mjs")]);
  if (status !== 0) {
    record("build", 0, 1);
    finish();
  }
}

// ── The JS bindings inside real engines ─────────────────────────────────────────────────
const wasmEnv = { CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER: "wasm-bindgen-test-runner" };
cargoSuite("wasm-node", ["test", "--target", "wasm32-unknown-unknown", "--test", "wasm"], { env: wasmEnv });
cargoSuite("wasm-chrome", ["test", "--target", "wasm32-unknown-unknown", "--test", "wasm"], {
  env: { ...wasmEnv, WASM_BINDGEN_USE_BROWSER: "1", CHROMEDRIVER: "/usr/bin/chromedriver", WASM_BINDGEN_TEST_WEBDRIVER_JSON: join(root, "tests", "webdriver.json") },
});

// ── The packed tarball, installed into a fresh project as a user would ──────────────────
const app = mkdtempSync(join(tmpdir(), "backup-errors-app-"));
let tarball = null;
if (!only || ["package", "types", "bundler", "browser"].some((s) => only.has(s))) {
  const packed = spawnSync("npm", ["pack", join(root, "pkg"), "--pack-destination", app, "--json", "--silent"], { cwd: root, encoding: "utf8" });
  tarball = join(app, JSON.parse(packed.stdout)[0].filename);
  // The app is a committed manifest and lockfile (tests/app): `npm ci` installs exactly the
  // clients the plug-ins and backup-errors/redis are tested with (axios, ky, got; ioredis 6 and
  // 5, node-redis 6, 5 and 4 under alias names; Node's types, which got's declarations need in
  // the type tests), fetching whatever the npm cache lacks. Then the tarball, as a user adds it.
  for (const file of ["package.json", "package-lock.json"]) cpSync(join(root, "tests", "app", file), join(app, file));
  const clientsInstalled = sh("npm", ["ci", "--no-audit", "--no-fund", "--silent"], { cwd: app });
  if (clientsInstalled.status !== 0) record("install-clients", 0, 1);
  const installed = sh("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--silent", tarball], { cwd: app });
  if (installed.status !== 0) record("install-tarball", 0, 1);
  // Let test files import the repo's dev dependencies (playwright-core, the bundlers) from the app.
  const env = { BACKUP_ERRORS_REPO: root, BACKUP_ERRORS_APP: app, TEST_OUTPUT: output, NODE_PATH: join(root, "node_modules") };
  process.env.BACKUP_ERRORS_REPO = root;
  process.env.BACKUP_ERRORS_APP = app;
  process.env.TEST_OUTPUT = output;

  // node --test runs inside the app, so `import "backup-errors"` resolves to the tarball.
  const packageTests = list(join(root, "tests", "package"), /\.test\.(mjs|cjs|js)$/).filter((f) => !onlyFiles || onlyFiles.has(basename(f).replace(/\.test\.\w+$/, "")));
  const copied = packageTests.map((f) => {
    const dest = join(app, "tests", basename(f));
    mkdirSync(dirname(dest), { recursive: true });
    cpSync(f, dest);
    return dest;
  });
  for (const fixture of list(join(root, "tests", "package"), /^[^.]+$|\.(txt|http|json)$/)) cpSync(fixture, join(app, "tests", basename(fixture)), { recursive: true });
  // Once per Node release users run (tests/runtimes pins them; scripts/toolchain.sh installs
  // them). The runtime's folder leads PATH, so what the tests start by name (the CLI's
  // `#!/usr/bin/env node`, npx) runs on it too.
  for (const [release, node] of runtimes().filter(([release]) => !onlyNode || onlyNode.has(release.split(".")[0]))) {
    const path = `${dirname(node)}:${process.env.PATH}`;
    nodeSuite("package", copied, { cwd: app, env: { ...env, PATH: path }, node, label: `package (node ${release})` });
  }

  // ── Type tests: consumer files that must compile, and files that must not ─────────────
  if (!only || only.has("types")) typeTests(app);

  // ── Bundler + browser tests ──────────────────────────────────────────────────────────
  nodeSuite("bundler", list(join(root, "tests", "bundler"), /\.test\.mjs$/), { env });
}
nodeSuite("browser", list(join(root, "tests", "browser"), /\.test\.mjs$/), { env: { TEST_OUTPUT: output, BACKUP_ERRORS_APP: app } });

// ── Time-bounded fuzzing of classify (arbitrary bytes, status and headers) ──────────────
cargoSuite("fuzz", ["test", "--release", "--quiet", "--test", "fuzz_classify", "--", "--ignored", "--nocapture"], { env: { FUZZ_SECONDS: process.env.FUZZ_SECONDS ?? "20" } });

rmSync(app, { recursive: true, force: true });
finish();

function typeTests(app) {
  console.log("\n[test] ── types");
  const dir = join(root, "tests", "types");
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const work = join(app, "types");
  mkdirSync(work, { recursive: true });
  let passed = 0, failed = 0;
  // Each resolution mode a consumer may use: ESM in Node, CJS in Node, a bundler.
  const modes = [
    { module: "nodenext", moduleResolution: "nodenext", ext: ".mts" },
    { module: "nodenext", moduleResolution: "nodenext", ext: ".cts" },
    { module: "esnext", moduleResolution: "bundler", ext: ".ts" },
  ];
  const compile = (file, mode) =>
    spawnSync(process.execPath, [tsc, "--noEmit", "--strict", "--skipLibCheck", "false", "--target", "es2022", "--lib", "es2022,dom,dom.iterable", "--module", mode.module, "--moduleResolution", mode.moduleResolution, file], { cwd: app, encoding: "utf8", env: { ...process.env, NODE_PATH: join(root, "node_modules") } });
  for (const file of list(join(dir, "pass"), /\.ts$/)) {
    for (const mode of modes) {
      const dest = join(work, basename(file, ".ts") + mode.ext);
      // In a .cts file TypeScript resolves the package's `require` types (index.d.cts).
      cpSync(file, dest);
      const r = compile(dest, mode);
      const ok = r.status === 0;
      console.log(`${ok ? "ok  " : "FAIL"} compiles: ${basename(dest)}`);
      if (!ok) console.log(r.stdout + r.stderr);
      ok ? passed++ : failed++;
    }
  }
  for (const file of list(join(dir, "fail"), /\.ts$/)) {
    const expected = /expect-error:\s*(TS\d+)/.exec(readFileSync(file, "utf8"))?.[1];
    const dest = join(work, basename(file));
    cpSync(file, dest);
    const r = compile(dest, modes[2]);
    const text = r.stdout + r.stderr;
    const ok = r.status !== 0 && expected && text.includes(`error ${expected}`);
    console.log(`${ok ? "ok  " : "FAIL"} does not compile (${expected}): ${basename(file)}`);
    if (!ok) console.log(text || "(it compiled)");
    ok ? passed++ : failed++;
  }
  // What an editor offers: the TypeScript language service's completions at the `/*|*/`
  // marker of each completion/*.ts file must include the names its first line lists
  // (`// expect-completions: 4002, 1000, !CSBS.6005`; `!` = must not be offered).
  const probes = list(join(dir, "completion"), /\.ts$/).map((file) => {
    const source = readFileSync(file, "utf8");
    const dest = join(work, "completion-" + basename(file));
    const names = (/expect-completions:\s*(.*)/.exec(source)?.[1] ?? "").split(",").map((n) => n.trim()).filter(Boolean);
    return { file, dest, names, position: source.indexOf("/*|*/"), text: source.replace("/*|*/", "") };
  });
  if (probes.length) {
    const ts = createRequire(join(root, "package.json"))("typescript");
    const options = { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"] };
    const texts = new Map(probes.map((p) => [p.dest, p.text]));
    const host = {
      getScriptFileNames: () => [...texts.keys()],
      getScriptVersion: () => "1",
      getScriptSnapshot: (f) => (texts.has(f) ? ts.ScriptSnapshot.fromString(texts.get(f)) : existsSync(f) ? ts.ScriptSnapshot.fromString(readFileSync(f, "utf8")) : undefined),
      getCurrentDirectory: () => work,
      getCompilationSettings: () => options,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: (f) => texts.has(f) || ts.sys.fileExists(f),
      readFile: (f) => texts.get(f) ?? ts.sys.readFile(f),
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
      realpath: ts.sys.realpath,
    };
    const service = ts.createLanguageService(host, ts.createDocumentRegistry());
    for (const { file, dest, names, position } of probes) {
      const offered = new Set((position < 0 ? undefined : service.getCompletionsAtPosition(dest, position, {}))?.entries.map((e) => e.name) ?? []);
      const wrong = names.filter((n) => (n.startsWith("!") ? offered.has(n.slice(1)) : !offered.has(n)));
      const ok = names.length > 0 && position >= 0 && wrong.length === 0;
      console.log(`${ok ? "ok  " : "FAIL"} completes (${names.join(", ")}): ${basename(file)}`);
      if (!ok) console.log(`  offered ${offered.size}: ${[...offered].slice(0, 20).join(", ")}${position < 0 ? " (no /*|*/ marker)" : ""}`);
      ok ? passed++ : failed++;
    }
  }
  if (passed + failed === 0) failed = 1;
  record("types", passed, failed);
}

/** The pinned Node binaries of tests/runtimes, as [release, path] pairs, oldest first. */
function runtimes() {
  const manifest = JSON.parse(readFileSync(join(root, "tests", "runtimes", "package.json"), "utf8"));
  return Object.keys(manifest.dependencies).map((name) => {
    const node = join(root, "tests", "runtimes", "node_modules", name, "bin", "node");
    if (!existsSync(node)) {
      console.log(`[test] ${node} is missing: scripts/toolchain.sh installs tests/runtimes`);
      record(`package (${name})`, 0, 1);
    }
    const version = existsSync(node) ? JSON.parse(readFileSync(join(dirname(node), "..", "package.json"), "utf8")).version : name;
    return [version, node];
  }).filter(([, node]) => existsSync(node));
}

function finish() {
  console.log(`\n[test] suites failed: ${failures.length ? failures.join(", ") : "none"}`);
  console.log(`${totals.passed} passed, ${totals.failed} failed`);
  process.exit(totals.failed === 0 ? 0 : 1);
}
