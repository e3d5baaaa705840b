// Adaptive pacing: `new Pacer(options)` keeps a pacer's state; the executors ask it for a turn
// before each attempt (first attempts as well as retries) and tell it how each attempt was
// answered. Nothing here decides: the module (src/pacer) says how long an attempt waits for
// its turn, or that it may not wait that long, and what an answer teaches; this keeps its
// numbers and the clock.
import { run } from "./core.js";
import { now } from "./signals.js";

const pacers = new WeakMap(); // Pacer → its state
const WORDS = 13;

/** A pacer's state: its numbers (src/pacer `Pacer::words`), `maxWaitMs`, and the namespace a fleet shares it under (null here). */
class PacerState {
  constructor(maxWaitMs, namespace = null) {
    this.words = new Array(WORDS).fill(0);
    this.maxWaitMs = maxWaitMs;
    this.namespace = namespace;
  }

  #run(at, write) {
    const r = run("pacerEvent", (w) => {
      for (const x of this.words) w.f64(x);
      w.f64(at).optionalText(this.namespace ?? undefined);
      write(w);
    });
    this.words = Array.from({ length: WORDS }, () => r.f64());
    return r;
  }

  /**
   * The ms an attempt waits for its turn, reserved; `leftMs` is what is left before the
   * call's deadline. Throws ERR_PACER_WAIT (with `retryAfterMs`) when the turn is further
   * away than `maxWaitMs` or the deadline.
   */
  turn(leftMs, at = now()) {
    return this.#run(at, (w) => w.u32(0).f64(this.maxWaitMs).f64(Math.max(0, leftMs))).u64();
  }

  /** After waiting for a turn: the ms left of a server's wait that came meanwhile (0: send now). */
  held(at = now()) {
    return this.#run(at, (w) => w.u32(2)).u64();
  }

  /** Learns from an answer: `throttled` (the module's judgement of it) and the server's wait (ms or null). */
  record(throttled, serverWaitMs, at = now()) {
    this.#run(at, (w) => w.u32(1).u32(throttled ? 1 : 0).f64(serverWaitMs ?? NaN));
  }

  /** The rate it paces at (requests per second), or null before throttling was seen. */
  get rate() {
    return this.words[0] === 0 ? null : this.words[1];
  }
}

/** The state behind a pacer given to an executor; undefined for anything else. */
export function pacerState(pacer) {
  return pacers.get(pacer);
}

/** The `maxWaitMs` of pacer options, checked by the module. */
export function readPacerOptions(options) {
  return run("pacer", (w) => w.arg(options)).u64();
}

/** A pacer's numbers as Redis keeps them: comma-separated, or "" before anything was learnt (no key). */
export function pacerWordsText(words) {
  return words.every((w) => w === 0) ? "" : words.join(",");
}

/** The numbers of `pacerWordsText`; a text that is not its numbers reads as a fresh pacer. */
export function pacerWordsOf(text) {
  const words = typeof text === "string" && text !== "" ? text.split(",").map(Number) : [];
  return words.length === WORDS && words.every(Number.isFinite) ? words : new Array(WORDS).fill(0);
}

/** A pacer's state for a fleet's shared pacer (plugins/redis.js). */
export function sharedPacerState(maxWaitMs, namespace) {
  return new PacerState(maxWaitMs, namespace);
}

/**
 * Spaces requests once a server has throttled them: it learns a sending rate from throttling
 * answers (429, a 503 with a wait, the vendors' throttling codes) as the AWS SDKs' adaptive
 * mode does (CUBIC), and then gives each attempt of the calls given it as `pacer` — first
 * attempts as well as retries — a turn at that rate. Without throttling it adds no delay. An
 * attempt whose turn is further away than `maxWaitMs` (default 60 000) or the call's deadline
 * is not sent: the call rejects with ERR_PACER_WAIT and `retryAfterMs`. Throws
 * ERR_INVALID_OPTION for a bad option.
 */
export class Pacer {
  /** @param {import("./index.js").PacerOptions} [options] */
  constructor(options) {
    pacers.set(this, new PacerState(readPacerOptions(options)));
  }

  /** The rate it paces at, requests per second; `null` until throttling was seen. */
  get rate() {
    return pacers.get(this).rate;
  }
}
