// RetryPolicy and RetryBudget. Their state lives here, in JavaScript — a policy's options and
// jitter generator as the words of a policy block, a budget's token counts — and travels with
// each operation; the decisions are the module's (src/retry, src/budget). The module also
// keeps each policy's checked block in a slot (src/wire/slots.rs), so a decision crosses as
// a handful of numbers; the slot is a cache of the block kept here, which is stored again
// when the slot was reused or the module replaced. So these objects hold no wasm memory:
// nothing to free, nothing for a finalizer to do, and a module that had to be replaced loses
// nothing. `free()` is kept: it marks the object unusable.
import { run, nameTables, decideAt, currentGeneration, NOT_KEPT, failure } from "./core.js";
import { writeClassification, Meaning } from "./classification.js";
import { POLICY_WORDS } from "./layout.js";
import { formatMessage, messageId } from "./format.js";

const policies = new WeakMap(); // RetryPolicy → { words: Uint32Array, bytes, slot, stamp, generation, freed }
const budgets = new WeakMap(); // RetryBudget → { parts: [capacity, retryCost, timeoutCost, successRefund], available, freed }

/** The state of a policy, or the BackupErrorsError for a freed one or another object. */
export function policyState(p) {
  const s = policies.get(p);
  if (s === undefined) throw failure("argument", "policy", "a RetryPolicy from this package", p);
  if (s.freed) throw failure("freed", "RetryPolicy");
  return s;
}

/** The state of a budget, likewise. */
export function budgetState(b) {
  const s = budgets.get(b);
  if (s === undefined) throw failure("argument", "budget", "a RetryBudget from this package", b);
  if (s.freed) throw failure("freed", "RetryBudget");
  return s;
}

/** Stores the policy's block in a slot of the current instance (again). */
function keep(state) {
  const r = run("keep", (w) => writePolicy(w, state));
  state.slot = r.u32();
  state.stamp = r.u32();
  state.generation = currentGeneration();
}

/** Writes a kept policy: its slot, its stamp and its state words (src/wire/mod.rs). */
export function writeKept(input, state) {
  const w = state.words;
  return input.u32(state.slot).u32(state.stamp).u32(w[24]).u32(w[25]).u32(w[26]).u32(w[27]).u32(w[28]);
}

/**
 * Runs operation `name`, whose input has the kept policy of `state` (`writeKept`): kept
 * again first when the module was replaced since, and run again when its slot went to
 * another policy meanwhile. `write` may run twice: it must read nothing of the caller's.
 */
export function runKept(name, state, write) {
  if (state.generation !== currentGeneration()) keep(state);
  try {
    return run(name, write);
  } catch (e) {
    if (e !== NOT_KEPT) throw e;
    keep(state);
    return run(name, write);
  }
}

/** Writes a policy block. */
export function writePolicy(input, state) {
  return input.words(state.words, state.bytes);
}

/** Stores the policy's new state (generator, previous delay) that an operation returned. */
export function readPolicyState(r, state) {
  const w = state.words;
  w[24] = r.u32();
  w[25] = r.u32();
  w[28] = r.u32();
  w[26] = r.u32();
  w[27] = r.u32();
}

/** Writes a budget block (or its absence). */
export function writeBudget(input, state) {
  if (state === null) return input.u32(0);
  input.u32(1);
  for (const p of state.parts) input.u32(p);
  return input.u32(state.available);
}

/**
 * The sentence of message `message` with `params`, a reason it overruled or adds to (a param
 * that is a reason record, core.js) made into its own sentence first, in place.
 */
function sentence(message, params) {
  for (const name in params) {
    const v = params[name];
    if (v !== null && typeof v === "object") params[name] = v.text ?? sentence(v.message, v.params);
  }
  return formatMessage(message, params);
}

/**
 * A decision record, as a plain object: the rule, the message's id and the params as data,
 * and `reason`, the sentence made from them here (format.js; no sentence crosses from the
 * module).
 */
export function readDecision(r) {
  const retry = r.bool();
  const delayMs = r.u64();
  const attempt = r.u32();
  const earlierAttemptMayHaveSucceeded = r.bool();
  const { rule, message, params, text } = r.reason();
  return {
    retry,
    delayMs,
    reason: text ?? sentence(message, params),
    reasonId: message === null ? null : messageId(message),
    rule,
    params,
    attempt,
    earlierAttemptMayHaveSucceeded,
  };
}

function readPreset(r, t) {
  return {
    vendor: r.name(t.vendors),
    minStatus: r.u32(),
    maxStatus: r.u32(),
    maxAttempts: r.u32(),
    baseDelayMs: r.u64(),
    maxDelayMs: r.u64(),
    multiplier: r.f64(),
    jitter: r.name(t.jitters),
    source: r.str(),
  };
}

/**
 * The context a decision is asked in, each field read once: attempt and elapsedMs (NaN when
 * not numbers), the method (a string or undefined), flags (1 earlier ambiguous failure,
 * 2 idempotent).
 */
function readContext(context) {
  if (context === null || typeof context !== "object") return { attempt: NaN, elapsedMs: NaN, method: undefined, flags: 0 };
  const { attempt, elapsedMs, method, earlierAmbiguousFailure, idempotent } = context;
  return {
    attempt: typeof attempt === "number" ? attempt : NaN,
    elapsedMs: typeof elapsedMs === "number" ? elapsedMs : NaN,
    method: typeof method === "string" ? method : undefined,
    flags: (earlierAmbiguousFailure ? 1 : 0) | (idempotent ? 2 : 0),
  };
}

/** A context as `decide`'s input has it (src/wire/ops.rs `decide`). */
function writeContext(input, ctx) {
  return input.f64(ctx.attempt).f64(ctx.elapsedMs).optionalText(ctx.method).u32(ctx.flags);
}

/** The texts a `decideAt` sends in full (reused: a decision is never made inside another). */
const TEXTS = [];

/**
 * `decide` of a policy kept in a slot, for a classification whose fields fit (`m`, a
 * `Meaning`) and a context read (`ctx`): the numbers `decideAt` takes; the policy is kept
 * again when its slot is another's now.
 */
function decideKept(state, m, ctx) {
  const { attempt, elapsedMs } = ctx;
  if (state.generation !== currentGeneration()) keep(state);
  TEXTS.length = 0;
  const flags = ctx.flags | m.modesFor(ctx.method, TEXTS);
  for (let tries = 0; ; tries++) {
    const r = decideAt(state, m, attempt, elapsedMs, flags, TEXTS);
    if (r !== null) {
      m.succeeded();
      return r;
    }
    if (tries > 0) throw failure("internal");
    keep(state);
  }
}

/** Decides retries: backoff on 5xx, never on 409, the server's wait on 429/503, the busy schedule for running jobs. */
export class RetryPolicy {
  constructor(options) {
    const r = run("policy", (w) => w.arg(options).f64(Math.floor(Math.random() * 2 ** 53)));
    const words = new Uint32Array(POLICY_WORDS);
    for (let k = 0; k < POLICY_WORDS; k++) words[k] = r.u32();
    const slot = r.u32();
    const stamp = r.u32();
    policies.set(this, { words, bytes: new Uint8Array(words.buffer), slot, stamp, generation: currentGeneration(), freed: false });
  }

  /** What to do after attempt `context.attempt` ended with `classification`. */
  decide(classification, context) {
    const state = policyState(this);
    const m = new Meaning(classification);
    const ctx = readContext(context);
    const r = m.fits ? decideKept(state, m, ctx) : run("decide", (w) => writeContext(writeClassification(writePolicy(w, state), m), ctx));
    const decision = readDecision(r);
    readPolicyState(r, state);
    return decision;
  }

  /** The decisions attempts 1…n would get (second argument: n, or `{ attempts, method, idempotent }`). */
  schedule(classification, attempts) {
    return this.plan(classification, attempts).attempts.map(({ minDelayMs, maxDelayMs, ...decision }) => decision);
  }

  /** `schedule()` with the schedule used and the range each delay is drawn from. */
  plan(classification, attempts) {
    const state = policyState(this);
    const r = run("plan", (w) => writeClassification(writePolicy(w, state), classification).arg(attempts));
    const t = nameTables();
    const kind = r.name(t.schedules);
    const maxAttempts = r.u32();
    const baseDelayMs = r.u64();
    const maxDelayMs = r.u64();
    const multiplier = r.f64();
    const jitter = r.name(t.jitters);
    const preset = r.bool() ? readPreset(r, t) : null;
    const schedule = { kind, maxAttempts, baseDelayMs, maxDelayMs, multiplier, jitter, preset };
    const maxRetryAfterMs = r.u64();
    const deadlineMs = r.u64();
    const n = r.u32();
    const list = new Array(n);
    for (let k = 0; k < n; k++) {
      const min = r.ms();
      const max = r.ms();
      list[k] = { ...readDecision(r), minDelayMs: min, maxDelayMs: max };
    }
    return { schedule, maxRetryAfterMs, deadlineMs, attempts: list };
  }

  /** Every option with the value the policy uses. */
  resolvedOptions() {
    const state = policyState(this);
    const r = run("resolved", (w) => writePolicy(w, state));
    const t = nameTables();
    return {
      maxAttempts: r.u32(),
      baseDelayMs: r.u64(),
      maxDelayMs: r.u64(),
      multiplier: r.f64(),
      jitter: r.name(t.jitters),
      seed: r.u64(),
      maxRetryAfterMs: r.u64(),
      deadlineMs: r.u64(),
      trustVendorCodes: r.bool(),
      busy: { maxAttempts: r.u32(), baseDelayMs: r.u64(), maxDelayMs: r.u64(), multiplier: r.f64() },
      nonIdempotent: r.name(t.nonIdempotent),
    };
  }

  /** The retry schedules vendors document. */
  static presets() {
    const r = run("presets");
    const t = nameTables();
    const n = r.u32();
    const out = new Array(n);
    for (let k = 0; k < n; k++) out[k] = readPreset(r, t);
    return out;
  }

  /** Marks the policy unusable (it holds no wasm memory: nothing else to release). */
  free() {
    const s = policies.get(this);
    if (s !== undefined) s.freed = true;
  }
}

/** A token bucket shared by one client, so a vendor that is down does not multiply every call into `maxAttempts` calls. */
export class RetryBudget {
  constructor(options) {
    const r = run("budget", (w) => w.arg(options));
    const parts = [r.u32(), r.u32(), r.u32(), r.u32()];
    budgets.set(this, { parts, available: r.u32(), freed: false });
  }

  /** Tokens left now. */
  get available() {
    return budgetState(this).available;
  }

  /** Tokens when full. */
  get capacity() {
    return budgetState(this).parts[0];
  }

  /** Marks the budget unusable. */
  free() {
    const s = budgets.get(this);
    if (s !== undefined) s.freed = true;
  }
}
