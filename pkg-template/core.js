// The wasm module as the rest of the package uses it: one instance, replaced by a fresh one
// when it ever traps; each operation writes its input into the buffer the module hands out
// (`begin`), calls the operation's export and reads its result (layouts: src/wire/). The
// module has no imports, so it is instantiated here directly, without generated glue.
//
// Entries register how the compiled module is obtained (`useModule`): the browser entry
// compiles it at import; the Node entries read and compile it on the first call that needs
// it (docs/performance.md: a script whose calls all succeed never pays for it).

import { Input } from "./encode.js";

let compiled = null; // WebAssembly.Module
let compile = null; // () => WebAssembly.Module, run once on first use
let exports = null; // the current instance's exports
let generation = 0; // bumped with each new instance
let memory = null;
let u8 = null;
let u32 = null;
let dv = null;
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
const encoder = new TextEncoder();
const fixed = new Map(); // fixed strings by address (the same in every instance of the module)

/** Registers the compiled module, or a function that compiles it on first use. */
export function useModule(moduleOrCompile) {
  if (typeof moduleOrCompile === "function") compile = moduleOrCompile;
  else compiled = moduleOrCompile;
}

/** The current instance's exports, instantiating (again) when needed. */
function instance() {
  if (exports === null) {
    if (compiled === null) {
      if (compile === null) throw new Error("backup-errors: the WebAssembly module was not loaded");
      compiled = compile(); // if it throws, the next use tries again and throws the same error
      compile = null;
    }
    exports = new WebAssembly.Instance(compiled, {}).exports;
    memory = exports.memory;
    u8 = null;
    generation++;
    names = null;
    loadNames(); // before any other result: every error result reads them
    if (definitions.length > 0) {
      // The registered vendors, before any other operation: a fresh instance knows them too.
      try {
        run("vendors", (w) => writeDefinitions(w, null));
      } catch (e) {
        exports = null;
        throw e;
      }
      loadNames();
    }
  }
  return exports;
}

// The vendor definitions registered so far (registerVendor), in order, each as the bytes of
// its encoded argument: read once, when it was registered, and given again as they are to a
// fresh instance. The module keeps the registry it builds from them; this list is what
// survives an instance.
const definitions = [];

/** The registered definitions, then `extra` (one more, or null), as one array argument. */
function writeDefinitions(w, extra) {
  w.u8(9).u32(definitions.length + (extra === null ? 0 : 1));
  for (const d of definitions) w.bytes(d);
  if (extra !== null) w.bytes(extra);
  return w;
}

/**
 * Registers one definition (its encoded bytes): the module checks it together with the ones
 * registered before and rebuilds its registry; it takes the place of an earlier one with the
 * same id. Throws the module's error when it is not valid, and nothing changes then. The name
 * tables are read again (they list the registered vendors).
 */
export function registerDefinition(bytes) {
  const at = run("vendors", (w) => writeDefinitions(w, bytes)).u32();
  definitions[at] = bytes;
  loadNames();
}

/** The size of the current instance's memory in bytes (for tests of the package). */
export function memoryBytes() {
  instance();
  return memory.buffer.byteLength;
}

/** The generation of the current instance (a call begun in another one cannot go on). */
export function currentGeneration() {
  instance();
  return generation;
}

/** Fresh views after memory grew (growing detaches the old buffer: its views read as empty). */
function views() {
  if (u8 === null || u8.byteLength === 0) {
    u8 = new Uint8Array(memory.buffer);
    u32 = new Uint32Array(memory.buffer);
    dv = new DataView(memory.buffer);
  }
}

/**
 * Runs operation `name`: `write(input)` fills its input (an `Input` of encode.js, taken from a
 * small pool, so a caller's getter that calls the package meanwhile gets another one).
 * Returns a `Result` reader, or throws the BackupErrorsError the module reported. What
 * `write` throws (a caller's getter) goes to the caller as it is, before the module is
 * entered. Anything else that fails once the module is entered — a trap, or a `RangeError`
 * from memory the module should never have handed out — is a bug of the module: the
 * instance is dropped, so the next call gets a fresh one, and the call throws ERR_INTERNAL.
 * The input's `afterSuccess` callbacks run only when the operation succeeded.
 */
export function run(name, write) {
  const ex = instance();
  const input = write === undefined ? null : takeInput();
  try {
    if (input !== null) write(input);
    let result;
    try {
      const at = ex.begin(input === null ? 0 : input.size()) >>> 0;
      views();
      if (input !== null) input.copyTo(u8, at);
      const p = ex[name]();
      views();
      result = new Result(p >>> 0);
    } catch (e) {
      throw e instanceof ModuleError ? e.error : e === NOT_KEPT ? e : internal(e);
    }
    if (input !== null) input.succeeded();
    return result;
  } finally {
    if (input !== null) giveInput(input);
  }
}

/**
 * `policy.decide` as numbers (src/wire/ops.rs `decide_at`, src/wasm/mod.rs `decideAt`): the
 * policy's slot, stamp and state words (`state`, policy.js), the classification's fields
 * (`m`, a `Meaning`), attempt, elapsed ms and flags; `texts` are the texts whose mode is 2,
 * in order (each written as a length and its UTF-8 into the buffer `begin` hands out).
 * Returns the decision's `Result`, or `null` when the policy's slot holds another policy
 * now. Failures are handled as `run` handles them.
 */
export function decideAt(state, m, attempt, elapsedMs, flags, texts) {
  const ex = instance();
  try {
    let room = 0;
    for (let k = 0; k < texts.length; k++) room += 4 + texts[k].length * 3;
    let at = ex.begin(room) >>> 0;
    views();
    for (let k = 0; k < texts.length; k++) {
      const t = texts[k];
      const n = encoder.encodeInto(t, u8.subarray(at + 4, at + 4 + t.length * 3)).written;
      dv.setUint32(at, n, true);
      at += 4 + n;
    }
    const w = state.words;
    const p = ex.decideAt(state.slot, state.stamp, w[24], w[25], w[26], w[27], w[28], m.vendor, m.status, m.meaning, m.retryAfter, m.items, attempt, elapsedMs, flags) >>> 0;
    views();
    return p === 0 ? null : new Result(p);
  } catch (e) {
    throw e instanceof ModuleError ? e.error : internal(e);
  }
}

/**
 * What `run` throws when the operation's kept policy is not kept any more (result status 2):
 * its slot holds another policy now. policy.js `runKept` keeps it again and runs again.
 */
export const NOT_KEPT = Object.freeze({ notKept: true });

/** The BackupErrorsError the module reported, as `Result` throws it (told apart from a bug). */
class ModuleError {
  constructor(error) {
    this.error = error;
  }
}

/**
 * A failure inside the module (not the caller's): drops the instance and returns the
 * module's ERR_INTERNAL error (asked of a fresh instance), with the JavaScript error as its
 * `cause`. Should even that fail, the original error is returned as it is.
 */
function internal(cause) {
  exports = null;
  if (reporting) return cause;
  reporting = true;
  let e = cause;
  try {
    run("failure", (w) => w.arg(["internal"]));
  } catch (reported) {
    e = reported;
  } finally {
    reporting = false;
  }
  if (e !== cause) e.cause = cause;
  return e;
}
let reporting = false;

const pool = [];

function takeInput() {
  const input = pool.pop() ?? new Input();
  input.reset();
  return input;
}

function giveInput(input) {
  if (pool.length < 4 && input.buf.length <= 65_536) pool.push(input);
}

/** A BackupErrorsError the module makes for a condition found here (see src/wire/ops.rs `failure`). */
export function failure(kind, name, expected, value) {
  try {
    run("failure", (w) => w.arg([kind, name, expected, value]));
  } catch (e) {
    return e;
  }
  return new Error("backup-errors: no error was reported");
}

/** Runs an export that takes nothing and returns nothing (the trap of `__testing`). */
export function runRaw(name) {
  const ex = instance();
  try {
    return ex[name]();
  } catch (e) {
    throw internal(e);
  }
}

const NULL = 0xffffffff;
const FIXED = 0x80000000;

/** A fixed string of the module, decoded once. */
function fixedAt(addr, len) {
  let s = fixed.get(addr);
  if (s === undefined) {
    s = decoder.decode(u8.subarray(addr, addr + len));
    fixed.set(addr, s);
  }
  return s;
}

/** The result of an operation, read word by word in the order the module wrote it. */
export class Result {
  constructor(p) {
    this.w = p >>> 2;
    this.decoded = null; // the text, decoded when a dynamic string is first read
    const status = u32[this.w + 2];
    this.i = this.w + 3;
    if (status === 2) throw NOT_KEPT;
    if (status !== 0) throw new ModuleError(this.error());
  }

  /** The operation's text (read before the next operation, like every word). */
  get text() {
    if (this.decoded === null) {
      const at = u32[this.w];
      const len = u32[this.w + 1];
      this.decoded = len === 0 ? "" : decoder.decode(u8.subarray(at, at + len));
    }
    return this.decoded;
  }

  u32() {
    return u32[this.i++];
  }

  bool() {
    return u32[this.i++] !== 0;
  }

  /** A u64 (two words). */
  u64() {
    const lo = u32[this.i++];
    return u32[this.i++] * 0x100000000 + lo;
  }

  /** An optional u64: `null` when the high word is all ones. */
  ms() {
    const lo = u32[this.i++];
    const hi = u32[this.i++];
    return hi === NULL ? null : hi * 0x100000000 + lo;
  }

  /** An f64 (its bits, two words). */
  f64() {
    const v = dv.getFloat64(this.i * 4, true);
    this.i += 2;
    return v;
  }

  /** A string: null, fixed (by address) or dynamic (offsets into the text). */
  str() {
    const a = u32[this.i++];
    const b = u32[this.i++];
    if (a === NULL) return null;
    if (a & FIXED) return fixedAt(a & 0x7fffffff, b);
    return this.text.slice(a, b);
  }

  /** A name: an index into `table`. */
  name(table) {
    return table[u32[this.i++]];
  }

  /** An optional index (`u32::MAX` → null). */
  optional() {
    const v = u32[this.i++];
    return v === NULL ? null : v;
  }

  /**
   * A reason: `{ rule, message, params, text }` — the rule that decided (its tag), the index
   * of its message (messages.js; `null` with its `text` for a reason that has none), and
   * the values its sentence uses by name; a reason it overruled or adds to is one of them,
   * as a reason of the same form (policy.js makes the sentences).
   */
  reason() {
    const rule = names.rules[u32[this.i++]];
    const m = u32[this.i++];
    const text = m === NULL ? this.str() : null;
    const count = u32[this.i++];
    const params = {};
    for (let k = 0; k < count; k++) {
      const name = names.params[u32[this.i]];
      const kind = u32[this.i + 1];
      const a = u32[this.i + 2];
      const b = u32[this.i + 3];
      this.i += 4;
      if (kind === 3) {
        params[name] = this.reason();
      } else {
        params[name] = this.piece(kind, a, b);
      }
    }
    return { rule, message: m === NULL ? null : m, params, text };
  }

  /** A param's value: 0 a fixed string, 1 a number (low, high), 2 a dynamic string. */
  piece(kind, a, b) {
    if (kind === 0) return fixedAt(a & 0x7fffffff, b);
    if (kind === 1) return b === 0 ? a : b * 0x100000000 + a;
    return this.text.slice(a, b);
  }

  /** The error the module reported, as a BackupErrorsError. */
  error() {
    const code = names.codes[u32[this.i++]];
    const e = backupErrorsError(code, this.str());
    for (let n = u32[this.i++]; n > 0; n--) {
      const name = this.str();
      e[name] = u32[this.i++] === 0 ? this.ms() : this.str();
    }
    return e;
  }
}

/** The one place a BackupErrorsError is made: from the module's code and message (and its fields, `error()`). */
function backupErrorsError(code, message) {
  const e = new Error(message);
  e.name = "BackupErrorsError";
  e.code = code;
  return e;
}

let names = null;

/** The module's name tables: vendors, categories, actions, processed, jitter, nonIdempotent, schedule kinds, error codes, decision rules, reason params. */
export function nameTables() {
  instance();
  return names;
}

function loadNames() {
  {
    const r = run("names");
    const table = () => {
      const n = r.u32();
      const out = new Array(n);
      for (let k = 0; k < n; k++) out[k] = r.str();
      return out;
    };
    const [vendors, categories, actions, processed, jitters, nonIdempotent, schedules, codes, rules, params] = [table(), table(), table(), table(), table(), table(), table(), table(), table(), table()];
    names = { vendors, categories, actions, processed, jitters, nonIdempotent, schedules, codes, rules, params };
    names.vendorIndex = new Map(vendors.map((v, i) => [v, i]));
    names.categoryIndex = new Map(categories.map((v, i) => [v, i]));
    names.actionIndex = new Map(actions.map((v, i) => [v, i]));
    names.processedIndex = new Map(processed.map((v, i) => [v, i]));
  }
}
