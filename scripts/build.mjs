// Builds the npm package in pkg/: cargo (release, wasm32) → wasm-bindgen (web target) →
// wasm-opt (from the npm `binaryen` package) → pkg-template/ files + a CommonJS entry
// bundled by esbuild. Prints raw and gzip sizes of what ships.
//
//   node scripts/build.mjs             always build
//   node scripts/build.mjs --if-stale  build only when a source is newer than pkg/
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync, brotliCompressSync } from "node:zlib";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = join(root, "pkg");
const template = join(root, "pkg-template");
const bin = (name) => join(root, "node_modules", ".bin", name);
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"], ...opts });

/** Newest modification time under `path` (a file or a folder). */
function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

if (process.argv.includes("--if-stale")) {
  const built = existsSync(join(pkg, "package.json")) ? statSync(join(pkg, "package.json")).mtimeMs : 0;
  const sources = Math.max(newest(join(root, "src")), newest(template), newest(join(root, "Cargo.toml")), newest(join(root, "scripts", "build.mjs")));
  if (built > sources) {
    console.log("[build] pkg/ is up to date");
    process.exit(0);
  }
}

// 1. Rust → wasm (the standalone build: no_std, the module's own allocator; Cargo.toml).
run("cargo", ["build", "--release", "--target", "wasm32-unknown-unknown", "--features", "standalone", "--quiet"]);
const rawWasm = join(root, "target", "wasm32-unknown-unknown", "release", "backup_errors.wasm");

// 2. wasm-bindgen finishes the exports. The module imports nothing and its exports take and
//    return numbers, so the package instantiates it itself (core.js): the generated JS glue
//    is not shipped.
const bindgenOut = join(root, "target", "bindgen");
rmSync(bindgenOut, { recursive: true, force: true });
run("wasm-bindgen", ["--target", "web", "--out-dir", bindgenOut, "--out-name", "backup_errors", "--no-typescript", rawWasm]);

// 3. Assemble pkg/.
rmSync(pkg, { recursive: true, force: true });
mkdirSync(join(pkg, "wasm"), { recursive: true });
for (const name of readdirSync(template)) {
  if (name === "src") continue; // sources only used to generate files below
  cpSync(join(template, name), join(pkg, name), { recursive: true });
}

// wasm-opt: size-optimise. The feature flags match what rustc enables for wasm32 by default.
const features = ["--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext", "--enable-mutable-globals", "--enable-reference-types", "--enable-multivalue"];
run(bin("wasm-opt"), ["-Oz", "--strip-debug", "--strip-producers", ...features, join(bindgenOut, "backup_errors_bg.wasm"), "-o", join(pkg, "wasm", "backup_errors_bg.wasm")]);

// The subpath entries (backup-errors/axios, /ky, /got, and /redis). Each is a re-export
// through the package's own entry for its condition, so a plug-in shares that entry's module
// instance (a RetryBudget from `import … from "backup-errors"` is one it accepts); the code
// is in plugins/*.js, bundled into the entries. Types: pkg-template/src/plugins/*.d.ts, which
// import the main types from "./index.js" (→ index.d.ts; "./index.cjs" → index.d.cts for
// require).
const plugins = [
  { name: "axios", from: "attachAxios", as: "attach" },
  { name: "ky", from: "kyRetry", as: "kyRetry" },
  { name: "got", from: "gotRetry", as: "gotRetry" },
  { name: "redis", from: "RedisCoordinator", as: "RedisCoordinator" },
];
const listed = new Set(JSON.parse(readFileSync(join(template, "package.json"), "utf8")).files);
// Every module the template ships must be in "files", or `npm pack` leaves it out and the
// installed package fails to import it.
for (const name of readdirSync(template, { recursive: true })) {
  const file = String(name).split("\\").join("/");
  if (!file.endsWith(".js") || file.startsWith("src/") || file.startsWith("locales/")) continue;
  if (!listed.has(file)) throw new Error(`pkg-template/package.json "files" does not list ${file}: npm pack would leave it out`);
}
for (const { name, from, as } of plugins) {
  const header = `// backup-errors/${name}: the plug-in in plugins/${name}.js, from the package's entry.\n`;
  const files = {
    [`${name}.js`]: `${header}export { ${from} as ${as} } from "./index.node.js";\n`,
    [`${name}.browser.js`]: `${header}export { ${from} as ${as} } from "./index.browser.js";\n`,
    [`${name}.esbuild.js`]: `${header}export { ${from} as ${as} } from "./index.esbuild.js";\n`,
    [`${name}.cjs`]: `${header}"use strict";\nmodule.exports = { ${as}: require("./index.cjs").${from} };\n`,
  };
  const dts = readFileSync(join(template, "src", "plugins", `${name}.d.ts`), "utf8");
  files[`${name}.d.ts`] = dts;
  files[`${name}.d.cts`] = dts.replace(`from "./index.js"`, `from "./index.cjs"`);
  for (const [file, text] of Object.entries(files)) {
    if (!listed.has(file)) throw new Error(`pkg-template/package.json "files" does not list ${file}`);
    writeFileSync(join(pkg, file), text);
  }
}

// The locale packs (backup-errors/locales/<tag>): each pack's texts are a data module,
// locales/<tag>.js: the reasons' texts (pkg-template/locales/<tag>.js), the catalog's
// (<tag>.catalog.json) and the HTTP rules' (<tag>.rules.json), merged here into one object. Its entries register
// them through the package's entry for their condition, as the plug-ins do, so `setLocale` of
// that same instance finds them. The require() entry carries the texts inline.
const locales = ["de", "fr", "ja", "zh-CN"];
for (const tag of locales) {
  const header = `// backup-errors/locales/${tag}: loads the texts of locales/${tag}.js into the package's entry.\n`;
  const entry = (index) => `${header}import { registerLocale } from "../${index}";\nimport messages from "./${tag}.js";\n\nexport default registerLocale(${JSON.stringify(tag)}, messages);\n`;
  const reasons = (await import(pathToFileURL(join(template, "locales", `${tag}.js`)).href)).default;
  const data = { ...reasons };
  for (const part of ["catalog", "rules"]) {
    const file = join(template, "locales", `${tag}.${part}.json`);
    if (existsSync(file)) Object.assign(data, JSON.parse(readFileSync(file, "utf8")));
    rmSync(join(pkg, "locales", `${tag}.${part}.json`), { force: true });
  }
  writeFileSync(
    join(pkg, "locales", `${tag}.js`),
    `// The texts of backup-errors in ${tag} (pkg-template/locales/: ${tag}.js, ${tag}.catalog.json, ${tag}.rules.json), by id.\nexport default ${JSON.stringify(data, null, 2)};\n`,
  );
  const dts = `// The texts of backup-errors in ${tag}: { [id]: ICU MessageFormat text }.\ndeclare const messages: Readonly<Record<string, string>>;\n`;
  const files = {
    [`locales/${tag}.node.js`]: entry("index.node.js"),
    [`locales/${tag}.browser.js`]: entry("index.browser.js"),
    [`locales/${tag}.esbuild.js`]: entry("index.esbuild.js"),
    [`locales/${tag}.cjs`]: `${header}"use strict";\nmodule.exports = require("../index.cjs").registerLocale(${JSON.stringify(tag)}, ${JSON.stringify(data, null, 2)});\n`,
    [`locales/${tag}.d.ts`]: `${dts}export default messages;\n`,
    [`locales/${tag}.d.cts`]: `${dts}export = messages;\n`,
  };
  for (const file of [`locales/${tag}.js`, ...Object.keys(files)]) {
    if (!listed.has(file)) throw new Error(`pkg-template/package.json "files" does not list ${file}`);
  }
  for (const [file, text] of Object.entries(files)) writeFileSync(join(pkg, file), text);
}

// CommonJS entry for `require()`: one bundled file that loads the wasm synchronously.
// The entry source sits in pkg/ while esbuild reads it, so its relative imports resolve there.
const cjsSource = join(pkg, ".entry.cjs.js");
cpSync(join(template, "src", "entry.cjs.js"), cjsSource);
run(bin("esbuild"), [cjsSource, "--bundle", "--format=cjs", "--platform=node", "--target=node18", "--log-level=error", `--outfile=${join(pkg, "index.cjs")}`]);
rmSync(cjsSource);

// Node ESM entry: bundled into one file as well. Node loads an ES module graph file by file
// (resolve, read, parse, link each); one file instead of five made `import` ~4 ms faster
// (bench/, docs/performance.md). Browsers and bundlers keep the separate modules.
const nodeSource = join(pkg, ".entry.node.js");
cpSync(join(template, "index.node.js"), nodeSource);
run(bin("esbuild"), [nodeSource, "--bundle", "--format=esm", "--platform=node", "--target=node18", "--log-level=error", `--outfile=${join(pkg, "index.node.js")}`, "--allow-overwrite"]);
rmSync(nodeSource);

// The public types: the literal unions generated from the crate (src/generated.d.ts, written
// by src/typegen.rs and checked by tests/generated_types.rs), the data model's object types
// (src/types.d.ts), the API (pkg-template/src/api.d.ts), then each vendor's documented codes
// as literal types, read from the catalog of the module just built, so the types and the
// tables cannot drift apart.
const types = ["src/generated.d.ts", "src/types.d.ts", "pkg-template/src/api.d.ts"].map((file) => readFileSync(join(root, file), "utf8")).join("\n");
const codeTypes = (await vendorCodeTypes(types)) + "\n" + (await decisionTypes());
writeFileSync(join(pkg, "index.d.ts"), types + "\n" + codeTypes);
writeFileSync(join(pkg, "index.d.cts"), types + "\n" + codeTypes);

// The npm README is the repository's README (its examples are tested against the tarball),
// and the package carries the licence.
cpSync(join(root, "README.md"), join(pkg, "README.md"));
cpSync(join(root, "LICENSE"), join(pkg, "LICENSE"));

// Version from the crate.
const cargoVersion = /^version\s*=\s*"([^"]+)"/m.exec(readFileSync(join(root, "Cargo.toml"), "utf8"))[1];
const manifest = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
manifest.version = cargoVersion;
writeFileSync(join(pkg, "package.json"), JSON.stringify(manifest, null, 2) + "\n");

// 4. Sizes.
const size = (file) => {
  const bytes = readFileSync(join(pkg, file));
  return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli: brotliCompressSync(bytes).length };
};
const shipped = ["wasm/backup_errors_bg.wasm", "index.browser.js", "load.js", "api.js", "core.js", "encode.js", "layout.js", "messages.js", "format.js", "locale.js", "texts.js", "classification.js", "policy.js", "executor.js", "call.js", "attempt.js", "signals.js", "fleet.js"].filter((f) => existsSync(join(pkg, f)));
const rows = shipped.map(size);
const kb = (n) => (n / 1024).toFixed(1).padStart(7) + " KB";
console.log("[build] pkg/ assembled; what a browser bundle ships:");
for (const r of rows) console.log(`  ${r.file.padEnd(30)} raw ${kb(r.raw)}  gzip ${kb(r.gzip)}  brotli ${kb(r.brotli)}`);
const total = rows.reduce((a, r) => ({ raw: a.raw + r.raw, gzip: a.gzip + r.gzip }), { raw: 0, gzip: 0 });
console.log(`  ${"total".padEnd(30)} raw ${kb(total.raw)}  gzip ${kb(total.gzip)}`);

/**
 * `RetryRule`, `ReasonParam` and `ReasonId`: the rules a decision names, the names its params
 * may have and the ids of its sentences, as literal unions, read from the name tables of the
 * module just built (src/reason/ `Rule` and `Param`) and from messages.js (generated from
 * `Message`), so the types cannot drift from the rules.
 */
async function decisionTypes() {
  const core = await import(pathToFileURL(join(pkg, "core.js")).href);
  core.useModule(new WebAssembly.Module(readFileSync(join(pkg, "wasm", "backup_errors_bg.wasm"))));
  const { rules, params } = core.nameTables();
  if (!rules?.length || !params?.length) throw new Error("the module's name tables have no rules or params");
  const { MESSAGES } = await import(pathToFileURL(join(pkg, "messages.js")).href);
  const union = (names) => names.map((n) => `  | ${JSON.stringify(n)}`).join("\n");
  return [
    "// Generated by scripts/build.mjs from the module's name tables and messages.js (src/reason/).",
    "",
    "/** The rule that decided (`RetryDecision.rule`), the tag its `reason` starts with: docs/retry-policy.md. */",
    `export type RetryRule =\n${union(rules)};`,
    "",
    "/** The names of a decision's `params`: the values its `reason` sentence uses. */",
    `export type ReasonParam =\n${union(params)};`,
    "",
    "/** The id of a decision's sentence (`RetryDecision.reasonId`): docs/retry-policy.md. */",
    `export type ReasonId =\n${union(MESSAGES.map(([id]) => id))};`,
    "",
  ].join("\n");
}

/**
 * The declarations of the documented codes: `export type VeeamCode = "400" | …;` per vendor
 * with a catalog, and `interface VendorCodes` mapping every built-in vendor to
 * its codes (`never` without a catalog). The vendors are the string literals of
 * `BuiltInVendor` in `types`; the codes come from `catalog(vendor)` of the built pkg/index.node.js. Sorted
 * (digit runs by value, the rest by UTF-16 code unit: no locale), so a build is reproducible.
 */
async function vendorCodeTypes(types) {
  const declared = /^export type BuiltInVendor\s*=([^;]*);/m.exec(types);
  if (!declared) throw new Error("src/generated.d.ts declares no `export type BuiltInVendor = …;`");
  const vendors = [...declared[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  const api = await import(pathToFileURL(join(pkg, "index.node.js")).href);
  const unknown = [...new Set(api.catalog().map((e) => e.vendor))].filter((v) => !vendors.includes(v));
  if (unknown.length) throw new Error(`catalog() has vendors the BuiltInVendor union in src/generated.d.ts lacks: ${unknown.join(", ")}`);
  const typeName = (vendor) => vendor.replace(/(^|[^A-Za-z0-9])([A-Za-z0-9])/g, (_, __, c) => c.toUpperCase()) + "Code";
  const chunks = (text) => text.split(/(\d+)/);
  const compare = (a, b) => {
    const x = chunks(a), y = chunks(b);
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      if (x[i] === y[i]) continue;
      // Odd indexes are digit runs: shorter (leading zeros aside) is smaller.
      if (i % 2 === 1) {
        const p = x[i].replace(/^0+/, ""), q = y[i].replace(/^0+/, "");
        if (p.length !== q.length) return p.length - q.length;
        if (p !== q) return p < q ? -1 : 1;
      }
      return x[i] < y[i] ? -1 : 1;
    }
    return x.length - y.length || (a < b ? -1 : a > b ? 1 : 0);
  };
  const lines = [
    "// The documented codes of each built-in vendor, generated by scripts/build.mjs from the",
    "// catalog (src/vendors/*.rs) of this build: `catalog(vendor)` returns one row per code.",
    "",
  ];
  const entries = [];
  for (const vendor of vendors) {
    const codes = [...new Set(api.catalog(vendor).map((e) => e.code))].sort(compare);
    if (codes.length === 0) {
      entries.push(`  ${vendor}: never;`);
      continue;
    }
    const name = typeName(vendor);
    entries.push(`  ${vendor}: ${name};`);
    lines.push(`/** The ${codes.length} codes \`catalog("${vendor}")\` documents, as \`explain("${vendor}", …)\` completes them. */`);
    lines.push(`export type ${name} =`);
    // Several literals a line, wrapped before 100 columns.
    let line = "";
    for (const literal of codes.map((c) => JSON.stringify(c))) {
      if (line && line.length + literal.length + 3 > 100) {
        lines.push(line);
        line = "";
      }
      line += `${line ? " " : "  "}| ${literal}`;
    }
    lines.push(line.replace(/$/, ";"));
    lines.push("");
  }
  lines.push(
    "/**",
    " * Each vendor's documented codes (`never`: a vendor without a catalog). An interface, so a",
    " * declaration can add to it.",
    " */",
    "export interface VendorCodes {",
    ...entries,
    "}",
    "",
  );
  return lines.join("\n");
}
