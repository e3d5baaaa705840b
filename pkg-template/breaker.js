// The circuit breaker: `new CircuitBreaker(options)` keeps a breaker's state, the executors
// ask it before each attempt and tell it how each attempt ended. Nothing here decides: the
// module's state machine (src/breaker) says whether an attempt may be sent and what an
// outcome changes; this keeps its four words, the clock, and calls `onStateChange`.
import { run } from "./core.js";
import { BREAKER_STATES, BREAKER_CHANGES } from "./layout.js";
import { now } from "./signals.js";

const noop = () => {};
const breakers = new WeakMap(); // CircuitBreaker → its state
const NONE = 0xffffffff;

/**
 * The state of a breaker: its checked options (`parts`: failureThreshold, openMs,
 * halfOpenProbes), its words (state, count, since), the hook, and the namespace a fleet
 * shares it under (null for a breaker of this process).
 */
class BreakerState {
  constructor(parts, onStateChange, namespace = null) {
    this.parts = parts;
    this.words = [0, 0, NONE, NONE];
    this.onStateChange = onStateChange;
    this.namespace = namespace;
  }

  /** Runs a breaker event and tells `onStateChange` of the change it makes; returns whether the attempt is the probe (see `step`). */
  event(event, probe, at = now()) {
    const r = this.step(event, probe, at);
    if (r.change !== null) this.changed(r.change);
    return r.probe;
  }

  /**
   * Runs a breaker event in the module (`event`: 0 an admission, else a HEALTH number) at
   * `at` (ms) and keeps the new words: `{ probe, change }`, whether the attempt is the probe
   * and the change of state (null: none). Throws ERR_CIRCUIT_OPEN for a refused admission.
   */
  step(event, probe, at) {
    const [threshold, openMs, probes] = this.parts;
    const r = run("breakerEvent", (w) => {
      w.u32(threshold).u32(openMs % 0x100000000).u32(Math.floor(openMs / 0x100000000)).u32(probes);
      for (const word of this.words) w.u32(word);
      w.optionalText(this.namespace ?? undefined).u32(event).u32(probe ? 1 : 0).f64(at);
    });
    this.words = [r.u32(), r.u32(), r.u32(), r.u32()];
    const isProbe = r.u32() === 1;
    const change = r.u32() === 1 ? { from: BREAKER_STATES[r.u32()], to: BREAKER_STATES[r.u32()], reason: BREAKER_CHANGES[r.u32()] } : null;
    return { probe: isProbe, change };
  }

  /** Tells `onStateChange`; what the hook does (throw, reject) never reaches a call. */
  changed(change) {
    if (typeof this.onStateChange !== "function") return;
    if (this.namespace !== null) change.namespace = this.namespace;
    try {
      const result = this.onStateChange(change);
      if (result !== null && typeof result === "object" && typeof result.then === "function") result.then(noop, noop);
    } catch {
      // ignored: a listener is not a new way for a call to fail
    }
  }

  /** Where the breaker is. */
  get state() {
    return BREAKER_STATES[this.words[0]] ?? "closed";
  }
}

/** The state behind a breaker given to an executor (null for `undefined`/`null`); undefined for anything else. */
export function breakerState(breaker) {
  return breakers.get(breaker);
}

/** The options of `new CircuitBreaker(options)`, checked by the module: `[parts, onStateChange]`. */
export function readBreakerOptions(options) {
  // Each option is read once: into this copy, which the module checks and this reads.
  const copy = options !== null && typeof options === "object" && !Array.isArray(options) ? { ...options } : options;
  const r = run("breaker", (w) => w.arg(copy));
  const parts = [r.u32(), r.u64(), r.u32()];
  return [parts, copy?.onStateChange];
}

/** A breaker's state for a fleet's shared breaker (plugins/redis.js): its words are the namespace's as last read from Redis. */
export function sharedBreakerState(parts, onStateChange, namespace) {
  return new BreakerState(parts, onStateChange, namespace);
}

/** A breaker's words as Redis keeps them: "state,count,sinceLow,sinceHigh", or "" for a closed breaker with nothing counted (no key). */
export function wordsText(words) {
  return words[0] === 0 && words[1] === 0 ? "" : words.join(",");
}

/** The words of `wordsText`; a text that is not four numbers reads as a closed breaker. */
export function wordsOf(text) {
  const words = typeof text === "string" && text !== "" ? text.split(",").map(Number) : [];
  return words.length === 4 && words.every((w) => Number.isInteger(w) && w >= 0 && w <= NONE) ? words : [0, 0, NONE, NONE];
}

/**
 * Fails calls fast while a service is down. It counts the outcomes that say the service is
 * unhealthy (a 5xx other than a documented refusal, a timeout, no connection, a lost one),
 * never a 4xx, 409, busy or throttling answer. After `failureThreshold` (default 5) in a row it
 * opens: the calls given it as `breaker` send nothing and reject at once with a
 * BackupErrorsError of code ERR_CIRCUIT_OPEN carrying `retryAfterMs`. After `openMs` (default
 * 30 000) one probe at a time goes through (half-open); `halfOpenProbes` (default 1) healthy
 * probes close it, an unhealthy one opens it again. `onStateChange({ from, to, reason })`
 * hears each change. Throws ERR_INVALID_OPTION for a bad option.
 */
export class CircuitBreaker {
  /** @param {import("./index.js").CircuitBreakerOptions} [options] */
  constructor(options) {
    const [parts, onStateChange] = readBreakerOptions(options);
    breakers.set(this, new BreakerState(parts, onStateChange));
  }

  /** `"closed"`, `"open"` or `"half-open"`: where the breaker was when it was last asked or told (an open breaker whose `openMs` has passed half-opens at the next call). */
  get state() {
    return breakers.get(this).state;
  }
}

