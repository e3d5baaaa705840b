#!/usr/bin/env node
// The `backup-errors` command: explain a vendor's error code, classify a raw HTTP response
// as `curl -si` prints it, list the catalog. No dependencies beyond Node (>= 18) itself.
// Every failure ends with one line on stderr and a documented exit code, never a stack trace
// (set BACKUP_ERRORS_DEBUG=1 to see one).
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { parseResponse, readInput } from "./cli/capture.js";
import { CliError, EXIT, PROG, usage } from "./cli/errors.js";
import { HELP } from "./cli/help.js";

// ── Colour ──────────────────────────────────────────────────────────────────────────────
function colourEnabled(stream) {
  const env = process.env;
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return !["0", "false"].includes(env.FORCE_COLOR.toLowerCase());
  return Boolean(stream.isTTY) && env.TERM !== "dumb";
}
function painter(stream) {
  const on = colourEnabled(stream);
  const sgr = (open, close) => (s) => (on ? `\x1b[${open}m${s}\x1b[${close}m` : String(s));
  return { on, bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), cyan: sgr(36, 39), magenta: sgr(35, 39) };
}

// ── Helpers ─────────────────────────────────────────────────────────────────────────────
let api = null;
/** The package API, loaded on first use so --help and --version never touch the wasm. */
async function loadApi() {
  if (!api) {
    try {
      api = await import("./index.node.js");
    } catch (e) {
      throw new CliError(`cannot load the backup-errors WebAssembly module: ${e?.message ?? e}`, EXIT.internal);
    }
  }
  return api;
}

/** The languages a locale pack ships for (backup-errors/locales/<tag>). */
const PACKS = ["de", "fr", "ja", "zh-CN"];

/**
 * The language of the reasons: `--lang TAG`, else the environment's (LC_ALL, LC_MESSAGES,
 * LANG as POSIX sets them: `de_DE.UTF-8` → `de`, `zh_CN` → `zh-CN`) when a pack exists for
 * it, else English. Loads the pack and selects it; an explicit tag without a pack is a usage
 * error.
 */
async function chooseLanguage(lang, command, be) {
  const match = (tag) => PACKS.find((p) => p.toLowerCase() === tag.toLowerCase()) ?? PACKS.find((p) => p === tag.split("-")[0].toLowerCase());
  let tag = null;
  if (lang !== undefined) {
    if (lang.toLowerCase() === "en" || lang.toLowerCase().startsWith("en-")) return;
    tag = match(lang.replace(/_/g, "-"));
    if (!tag) throw usage(`${command}: --lang must be en or one of ${PACKS.join(", ")}, got '${oneLine(lang)}'`, command);
  } else {
    const env = process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || "";
    const posix = env.split(/[.@]/)[0].replace(/_/g, "-");
    if (posix === "" || posix === "C" || posix === "POSIX") return;
    tag = match(posix) ?? null;
    if (!tag) return;
  }
  await import(`./locales/${tag}.node.js`);
  callApi(() => be.setLocale(tag), command);
}

/** Runs an API call; its typed errors (unknown vendor, bad option) become usage errors. */
function callApi(fn, command) {
  try {
    return fn();
  } catch (e) {
    if (e && typeof e.code === "string" && e.code.startsWith("ERR_")) throw usage(e.message, command);
    throw e;
  }
}

/**
 * Registers the definitions of `--vendors FILE` (a JSON array of registerVendor()
 * definitions, or one): a file that cannot be read or is not JSON is unreadable input, a
 * definition the module refuses a usage error naming it. A UTF-8 byte order mark at the start
 * is skipped (editors on Windows write one), as `classify` skips one before a body.
 */
async function registerVendors(file, command, be) {
  if (file === undefined) return;
  let text;
  try {
    text = new TextDecoder("utf-8").decode(await readFile(file)); // drops a leading BOM
  } catch (e) {
    const why = { ENOENT: "no such file", EISDIR: "it is a directory", EACCES: "permission denied", EPERM: "permission denied" }[e?.code] ?? e?.message ?? String(e);
    throw new CliError(`${command}: cannot read --vendors '${file}': ${why}`, EXIT.input);
  }
  let definitions;
  try {
    definitions = JSON.parse(text);
  } catch (e) {
    throw new CliError(`${command}: --vendors '${file}' is not JSON: ${oneLine(e?.message ?? e)}`, EXIT.input);
  }
  const list = Array.isArray(definitions) ? definitions : [definitions];
  list.forEach((definition, i) => {
    try {
      be.registerVendor(definition);
    } catch (e) {
      if (!(e && typeof e.code === "string" && e.code.startsWith("ERR_"))) throw e;
      const which = Array.isArray(definitions) ? ` definition ${i + 1} of ${list.length}` : "";
      throw usage(`${command}: --vendors '${file}'${which}: ${oneLine(e.message.replace(/^registerVendor: /, ""))}`, command);
    }
  });
}

function version() {
  try {
    return JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")).version;
  } catch {
    return "unknown";
  }
}

/** parseArgs with one-line, friendly errors. */
function parse(command, args, options, { min = 0, max = 0, names = [] } = {}) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { help: { type: "boolean", short: "h" }, ...options }, allowPositionals: true, strict: true });
  } catch (e) {
    const flag = /'([^']*)'/.exec(e.message)?.[1];
    switch (e.code) {
      case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
        throw usage(`${command}: unknown option '${flag ?? e.message}'`, command);
      case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
        throw usage(`${command}: ${/argument missing/.test(e.message) ? `option '${flag?.replace(/^-\w, /, "").replace(/ <value>$/, "")}' needs a value` : lowerFirst(e.message.split("\n")[0])}`, command);
      default:
        throw usage(`${command}: ${lowerFirst(e.message.split("\n")[0])}`, command);
    }
  }
  const { values, positionals } = parsed;
  if (!values.help) {
    if (positionals.length < min) throw usage(`${command}: missing <${names[positionals.length]}>`, command);
    if (positionals.length > max) throw usage(`${command}: unexpected argument '${positionals[max]}'`, command);
  }
  return { values, positionals };
}

const lowerFirst = (s) => s.charAt(0).toLowerCase() + s.slice(1);

function integer(value, flag, command, { min = -Infinity } = {}) {
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(Number(value)) || Number(value) < min) {
    throw usage(`${command}: ${flag} needs an integer${min > -Infinity ? ` >= ${min}` : ""}, got '${value}'`, command);
  }
  return Number(value);
}
function number(value, flag, command) {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n)) throw usage(`${command}: ${flag} needs a number, got '${value}'`, command);
  return n;
}

/**
 * One line of text: control characters (tabs, newlines, and the escape sequences a hostile
 * server could put in a message to drive the terminal) become spaces.
 */
const oneLine = (s) => String(s).replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ").trim();

function write(text) {
  process.stdout.write(text.endsWith("\n") ? text : text + "\n");
}
/** Writes `text` and returns the success exit code. */
function done(text) {
  write(text);
  return EXIT.ok;
}

/**
 * Key/value lines (`null` shows as "-"), indented by `indent` spaces; values are wrapped to
 * the terminal's width on a TTY, never when piped (one line per field, for grep). Values
 * start `keyWidth` columns in at least (so blocks with different keys line up).
 */
function fields(rows, p, indent = 0, keyWidth = 0) {
  const pad = " ".repeat(indent);
  const width = Math.max(keyWidth, ...rows.map(([k]) => k.length)) + 2;
  const columns = process.stdout.isTTY ? Math.max(process.stdout.columns || 80, 40) : Infinity;
  return rows
    .map(([key, value, paint = (x) => x]) => {
      const text = value === null || value === undefined || value === "" ? "-" : oneLine(value);
      const [first, ...more] = wrap(text, columns - indent - width);
      return [pad + p.dim(key.padEnd(width)) + paint(first), ...more.map((l) => pad + " ".repeat(width) + paint(l))].join("\n");
    })
    .join("\n");
}
function wrap(text, width) {
  if (!Number.isFinite(width) || text.length <= width || width < 20) return [text];
  const out = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) out.push(line);
  return out;
}

/** Colour of an action: green ok, yellow retry, cyan fix-then-retry, red stop. */
function actionPaint(action, category, p) {
  if (category === "ok") return p.green;
  if (action === "retry" || action === "wait_and_retry") return p.yellow;
  if (action === "reauthenticate" || action === "refresh_and_retry") return p.cyan;
  return p.red;
}

function duration(ms) {
  if (ms === null || ms === undefined) return null;
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  const human = s < 120 ? `${+s.toFixed(1)} s` : s < 7200 ? `${+(s / 60).toFixed(1)} min` : `${+(s / 3600).toFixed(1)} h`;
  return `${human} (${ms} ms)`;
}

// ── explain ─────────────────────────────────────────────────────────────────────────────
async function explainCommand(args) {
  const { values, positionals } = parse("explain", args, { status: { type: "string" }, json: { type: "boolean" }, vendors: { type: "string" } }, { min: 2, max: 2, names: ["vendor", "code"] });
  if (values.help) return done(HELP.explain);
  const [vendor, code] = positionals;
  const status = values.status === undefined ? null : integer(values.status, "--status", "explain", { min: 100 });
  if (status !== null && status > 999) throw usage(`explain: --status needs an HTTP status 100-999, got '${values.status}'`, "explain");
  const be = await loadApi();
  await registerVendors(values.vendors, "explain", be);
  const { explain } = be;
  const entry = callApi(() => explain(vendor, code, status), "explain");
  if (!entry) {
    throw new CliError(`${vendor} documents no error code '${oneLine(code)}'${status ? ` (with HTTP ${status} or otherwise)` : ""}`, EXIT.notFound, `see '${PROG} catalog ${vendor}'`);
  }
  if (values.json) return done(JSON.stringify(entry, null, 2));
  const p = painter(process.stdout);
  const paint = actionPaint(entry.action, entry.category, p);
  write(
    fields(
      [
        ["vendor", entry.vendor],
        ["code", entry.code, p.bold],
        ["status", entry.status === null ? null : String(entry.status)],
        ["category", entry.category, paint],
        ["action", `${entry.action} (${retryableText(entry.action)})`, paint],
        ["summary", entry.summary],
        ["remediation", entry.remediation],
      ],
      p,
    ),
  );
  return EXIT.ok;
}
const retryableText = (action) => (action === "retry" || action === "wait_and_retry" ? "retryable" : "not retryable");

// ── catalog ─────────────────────────────────────────────────────────────────────────────
async function catalogCommand(args) {
  const { values, positionals } = parse("catalog", args, { json: { type: "boolean" }, vendors: { type: "string" } }, { max: 1 });
  if (values.help) return done(HELP.catalog);
  const be = await loadApi();
  await registerVendors(values.vendors, "catalog", be);
  const { catalog } = be;
  const entries = callApi(() => catalog(positionals[0] ?? null), "catalog");
  if (values.json) return done(JSON.stringify(entries, null, 2));
  const lines = entries.map((e) => [e.vendor, e.status ?? "-", e.code, e.category, e.action, e.summary].map(oneLine).join("\t"));
  if (lines.length) write(lines.join("\n"));
  return EXIT.ok;
}

// ── classify ────────────────────────────────────────────────────────────────────────────
const POLICY_FLAGS = {
  "max-attempts": ["maxAttempts", "int"],
  "base-delay-ms": ["baseDelayMs", "int"],
  "max-delay-ms": ["maxDelayMs", "int"],
  multiplier: ["multiplier", "number"],
  jitter: ["jitter", "string"],
  seed: ["seed", "int"],
  "max-retry-after-ms": ["maxRetryAfterMs", "int"],
  "deadline-ms": ["deadlineMs", "int"],
  "trust-vendor-codes": ["trustVendorCodes", "bool"],
  "non-idempotent": ["nonIdempotent", "string"],
  "busy-max-attempts": ["busy.maxAttempts", "int"],
  "busy-base-delay-ms": ["busy.baseDelayMs", "int"],
  "busy-max-delay-ms": ["busy.maxDelayMs", "int"],
  "busy-multiplier": ["busy.multiplier", "number"],
};

/** The RetryOptions the flags ask for, or null when no policy was asked for. */
function policyOptions(values) {
  const options = {};
  let asked = Boolean(values.policy);
  for (const [flag, [field, kind]] of Object.entries(POLICY_FLAGS)) {
    const raw = values[flag];
    if (raw === undefined) continue;
    asked = true;
    let value;
    if (kind === "int") value = integer(raw, `--${flag}`, "classify", { min: 0 });
    else if (kind === "number") value = number(raw, `--${flag}`, "classify");
    else if (kind === "bool") {
      if (!/^(true|false)$/i.test(raw)) throw usage(`classify: --${flag} needs true or false, got '${raw}'`, "classify");
      value = raw.toLowerCase() === "true";
    } else value = raw;
    const [head, tail] = field.split(".");
    if (tail) (options[head] ??= {})[tail] = value;
    else options[head] = value;
  }
  return asked ? options : null;
}

/** An HTTP method is a token (RFC 9110 §9.1): GET, POST, PATCH, MKCOL, ... */
const METHOD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** What `processed` says, for a reader: whether the server ran the request. */
const PROCESSED = {
  no: "no (the server did not process the request)",
  maybe: "maybe (the server may have processed the request)",
  yes: "yes",
};

/**
 * The request a schedule is for, as its header line names it ("retry schedule for POST",
 * "retry schedule, method unknown"), so a reader knows whether the non-idempotent rule applied.
 */
function requestText(method, idempotent) {
  const what = method === undefined ? ", method unknown" : ` for ${method}`;
  return idempotent ? `${what}, marked idempotent` : what;
}

/**
 * One line of a schedule's reason: the rule (`non-idempotent`, `5xx-backoff`, ...) in the
 * decision's colour, the explanation dimmed. Never cut: on a terminal the explanation wraps
 * under itself, piped it stays on one line (for grep).
 */
function reasonText(decision, note, paint, p, column) {
  const text = oneLine(decision.reason + note);
  const tag = decision.rule;
  const rest = text.startsWith(`${tag}:`) ? text.slice(tag.length + 1).trimStart() : text;
  const columns = process.stdout.isTTY ? Math.max(process.stdout.columns || 80, 40) : Infinity;
  const first = tag ? `${tag}: ${rest}` : rest;
  const lines = wrap(first, columns - column);
  return lines
    .map((line, i) => {
      const shown = i === 0 && tag ? paint(`${tag}:`) + p.dim(line.slice(tag.length + 1)) : p.dim(line);
      return i === 0 ? shown : "\n" + " ".repeat(column) + shown;
    })
    .join("");
}

async function classifyCommand(args) {
  const options = {
    vendor: { type: "string" },
    method: { type: "string" },
    idempotent: { type: "boolean" },
    json: { type: "boolean" },
    policy: { type: "boolean" },
    vendors: { type: "string" },
    lang: { type: "string" },
  };
  for (const flag of Object.keys(POLICY_FLAGS)) options[flag] = { type: "string" };
  const { values, positionals } = parse("classify", args, options, { max: 1 });
  if (values.help) return done(HELP.classify);
  if (values.method !== undefined && !METHOD.test(values.method)) {
    throw usage(`classify: --method needs an HTTP method (GET, POST, ...), got '${oneLine(values.method)}'`, "classify");
  }
  // --idempotent changes only the retry schedule: it asks for one.
  const policy = policyOptions(values) ?? (values.idempotent ? {} : null);
  const be = await loadApi();
  // Usage errors (a bad --vendors file, unknown vendor, bad policy option) come before
  // reading any input; the vendors first, so --vendor can name one of them.
  await registerVendors(values.vendors, "classify", be);
  await chooseLanguage(values.lang, "classify", be);
  if (values.vendor !== undefined && values.vendor !== "auto") callApi(() => be.catalog(values.vendor), "classify");
  let rp = null;
  if (policy) {
    if (typeof be.RetryPolicy !== "function") throw new CliError("this build of backup-errors has no RetryPolicy", EXIT.internal);
    rp = callApi(() => new be.RetryPolicy(policy), "classify");
  }

  const { bytes, name } = await readInput(positionals[0]);
  const response = parseResponse(bytes, name === "stdin" ? "stdin" : `'${name}'`);
  const input = { status: response.status, headers: response.headers, body: response.body };
  if (values.vendor !== undefined) input.vendor = values.vendor;
  if (values.method !== undefined) input.method = values.method;
  const c = callApi(() => be.classify(input), "classify");
  const exit = be.exitCode(c);
  if (![EXIT.ok, EXIT.retryable, EXIT.reauth, EXIT.notRetryable, EXIT.itemErrors].includes(exit)) {
    throw new CliError(`this build of backup-errors gave exit code ${exit} for a classification`, EXIT.internal);
  }
  let schedule = null;
  if (rp) {
    // The decisions of attempts 1, 2, ... if each ended like `c`, up to the first stop: the
    // policy stops by its own rules (max-attempts, busy schedule, deadline, server wait,
    // non-idempotent) well before the API's limit of 100 attempts.
    const request = { attempts: 100, method: values.method, idempotent: Boolean(values.idempotent) };
    try {
      schedule = callApi(() => rp.schedule(c, request), "classify");
    } finally {
      rp.free?.();
    }
  }

  if (values.json) {
    write(JSON.stringify(schedule ? { classification: c, schedule } : c, null, 2));
    return exit;
  }

  const p = painter(process.stdout);
  const paint = actionPaint(c.action, c.category, p);
  const rows = [
    ["vendor", c.vendor],
    ["status", `${c.status}${response.reason ? " " + response.reason : ""}`, p.bold],
    ["code", c.code === null ? null : `${c.code}${c.documented ? " (documented)" : " (not in the catalog)"}`, p.bold],
    ["category", c.category, paint],
    ["action", c.action, paint],
    ["retryable", c.retryable ? "yes" : "no", paint],
    ["processed", PROCESSED[c.processed] ?? c.processed],
    ["server wait", duration(c.retryAfterMs)],
    ["request id", c.requestId],
    ["message", c.message],
    ["summary", c.summary],
    ["remediation", c.remediation],
    ["parameter", c.parameter],
    ["items", c.items.length ? `${c.items.length} failed item(s)` : "none"],
  ];
  let out = fields(rows, p);
  // status and server wait only where the response gives them (a batch's sub-response); the
  // values of every item start in the same column.
  const itemRows = c.items.map((item) => {
    const ip = actionPaint(item.action, item.category, p);
    return [
      item.status === null || item.status === undefined ? null : ["status", String(item.status), p.bold],
      ["code", item.code],
      ["target", item.target],
      ["retryable", item.retryable ? "yes" : "no", ip],
      item.retryAfterMs === null || item.retryAfterMs === undefined ? null : ["server wait", duration(item.retryAfterMs)],
      ["message", item.message],
      ["summary", item.summary],
    ].filter(Boolean);
  });
  const itemKeyWidth = Math.max(0, ...itemRows.flat().map(([k]) => k.length));
  c.items.forEach((item, i) => {
    const ip = actionPaint(item.action, item.category, p);
    out += `\n  ${p.bold(`[${i + 1}]`)} ${ip(`${item.category} / ${item.action}`)}\n`;
    out += fields(itemRows[i], p, 6, itemKeyWidth);
  });
  if (schedule) {
    const given = Object.keys(policy).length ? JSON.stringify(policy) : "defaults";
    const method = values.method === undefined ? undefined : oneLine(values.method);
    out += `\n\n${p.bold(`retry schedule${requestText(method, values.idempotent)}`)} ${p.dim(`(RetryPolicy ${given}; if every attempt ended like this one)`)}`;
    const whats = schedule.map((d) => (d.retry ? `retry in ${d.delayMs} ms` : d.delayMs > 0 ? `stop, server wait ${d.delayMs} ms` : "stop"));
    const width = Math.max(...whats.map((w) => w.length));
    schedule.forEach((d, i) => {
      // Every stop is red, whichever rule made it (max-attempts, non-idempotent, ...).
      const paint = d.retry ? p.yellow : p.red;
      const head = `  attempt ${String(d.attempt).padStart(2)}  `;
      const note = d.earlierAttemptMayHaveSucceeded ? " (an earlier attempt may have succeeded)" : "";
      const column = head.length + width + 2;
      out += `\n${head}${paint(whats[i].padEnd(width))}  ${reasonText(d, note, paint, p, column)}`;
    });
  }
  write(out);
  return exit;
}

// ── main ────────────────────────────────────────────────────────────────────────────────
const COMMANDS = { explain: explainCommand, classify: classifyCommand, catalog: catalogCommand };

async function main(argv) {
  const [first, ...rest] = argv;
  if (first === undefined) {
    process.stderr.write(HELP.top);
    return EXIT.usage;
  }
  if (first === "-h" || first === "--help") return done(HELP.top);
  if (first === "-V" || first === "-v" || first === "--version") return done(version());
  if (first === "help") {
    const topic = rest[0];
    if (topic === undefined) return done(HELP.top);
    if (!HELP[topic] || topic === "top") throw usage(`unknown command '${topic}'; the commands are explain, classify, catalog`);
    return done(HELP[topic]);
  }
  if (first.startsWith("-")) throw usage(`unknown option '${first}'`);
  const command = COMMANDS[first];
  if (!command) throw usage(`unknown command '${first}'; the commands are explain, classify, catalog`);
  return command(rest);
}

function fail(e) {
  const p = painter(process.stderr);
  if (e instanceof CliError) {
    process.stderr.write(`${p.red(`${PROG}: error:`)} ${e.message}${e.hint ? ` (${e.hint})` : ""}\n`);
    return e.exitCode;
  }
  if (e && e.code === "EPIPE") return EXIT.ok; // `| head` closed the pipe: not an error
  if (process.env.BACKUP_ERRORS_DEBUG) process.stderr.write(`${e?.stack ?? e}\n`);
  process.stderr.write(`${p.red(`${PROG}: internal error:`)} ${oneLine(e?.message ?? e)} (set BACKUP_ERRORS_DEBUG=1 for details)\n`);
  return EXIT.internal;
}

process.stdout.on("error", (e) => {
  if (e.code === "EPIPE") process.exit(EXIT.ok);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.exitCode = fail(e);
  },
);
