// backup-errors/redis: `new RedisCoordinator(client, { namespace, budget })` makes the calls
// of every process that uses the same namespace (one API key, one tenant) share one server
// wait and one retry budget, kept in Redis. Pass it as the executors' and plug-ins'
// `coordinator` option.
//
// Nothing here decides. Before each attempt the coordinator reads the namespace's wait and
// the module says whether the call waits it out or is not sent (src/fleet.rs, `admit`). When
// an attempt is judged, the namespace's wait counts as the server's wait of that failure and
// the call's step runs in the module (src/call.rs) twice: once with a full bucket, which says
// how many tokens the retry takes, then, after Redis took them (or refused), with the
// namespace's numbers, so the budget's rules decide, as with a local RetryBudget. When the
// call ends, the module's finish says how many tokens a success gives back.
//
// Redis holds only numbers, under `<keyPrefix>:<namespace>:wait` (a key whose time to live
// is the wait) and `<keyPrefix>:<namespace>:budget` (the tokens left; absent means full).
// Each operation is one Lua script, run with EVALSHA (EVAL when Redis answers NOSCRIPT): it
// records a wait unless a longer one runs, takes tokens only when enough are left, or gives
// them back up to the capacity. Every Redis operation has a time limit (`timeoutMs`); when
// Redis fails or is too slow the call goes on with the local numbers (the last the
// namespace had) and the local wait, and `onCoordinatorError` hears of it once per outage.
// Supported clients, told apart by their methods: ioredis (`evalsha`, `eval` with the
// number of keys) and node-redis 4 or later (`evalSha`, `eval` with `{ keys, arguments }`).
import { run, failure } from "../core.js";
import { abortable, sleep } from "../signals.js";
import { registerFleet } from "../fleet.js";
import { sharedBreakerState, wordsOf, wordsText } from "../breaker.js";
import { pacerWordsOf, pacerWordsText, sharedPacerState } from "../pacer.js";

const clock = typeof globalThis.performance?.now === "function" ? () => globalThis.performance.now() : () => Date.now();
const noop = () => {};

/** While Redis is unavailable, how often it is asked again (other operations use the local numbers at once). */
const RETRY_REDIS_MS = 1000;

/** The SHA-1 of an ASCII text, in hex: a script's name for EVALSHA. */
function sha1(text) {
  const n = text.length;
  const words = new Uint32Array((((n + 8) >> 6) + 1) * 16);
  for (let i = 0; i < n; i++) words[i >> 2] |= text.charCodeAt(i) << (24 - (i & 3) * 8);
  words[n >> 2] |= 0x80 << (24 - (n & 3) * 8);
  words[words.length - 1] = n * 8;
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const w = new Uint32Array(80);
  for (let block = 0; block < words.length; block += 16) {
    for (let t = 0; t < 16; t++) w[t] = words[block + t];
    for (let t = 16; t < 80; t++) {
      const x = w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16];
      w[t] = (x << 1) | (x >>> 31);
    }
    let [a, b, c, d, e] = h;
    for (let t = 0; t < 80; t++) {
      const f = t < 20 ? (b & c) | (~b & d) : t < 40 || t >= 60 ? b ^ c ^ d : (b & c) | (b & d) | (c & d);
      const k = t < 20 ? 0x5a827999 : t < 40 ? 0x6ed9eba1 : t < 60 ? 0x8f1bbcdc : 0xca62c1d6;
      const next = (((a << 5) | (a >>> 27)) + f + e + k + w[t]) >>> 0;
      e = d;
      d = c;
      c = ((b << 30) | (b >>> 2)) >>> 0;
      b = a;
      a = next;
    }
    [a, b, c, d, e].forEach((v, i) => (h[i] = (h[i] + v) >>> 0));
  }
  return h.map((v) => v.toString(16).padStart(8, "0")).join("");
}

/** A Lua script with its SHA-1 and the check of its reply (a wrong reply counts as a Redis failure). */
function script(source, read) {
  return { source, sha: sha1(source), read };
}

const count = (v) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`backup-errors/redis: Redis answered ${String(v)} where a count was expected`);
  return n;
};

/**
 * KEYS[1] the wait key, ARGV[1] a server's wait in ms (0: none). Records it unless a longer
 * wait runs; returns the ms the namespace still waits: 0 once the key is gone (a key in its
 * last millisecond counts 1, so nothing is sent before Redis has let it expire). A key set
 * by another writer may live longer than JavaScript counts exactly (PEXPIREAT decades
 * ahead): its wait is answered as 2^52 ms (a power of two, which Redis' Lua numbers carry
 * exactly), still longer than any call may wait, so it is refused like any long wait and
 * never read as a failure of Redis.
 */
const WAIT = script(
  `local left = redis.call('PTTL', KEYS[1])
local wait = tonumber(ARGV[1])
if wait > 0 and wait > left then
  redis.call('SET', KEYS[1], '1', 'PX', wait)
  return wait
end
if left < 0 then return 0 end
if left > 4503599627370496 then return 4503599627370496 end
return math.max(left, 1)`,
  count,
);

/** KEYS[1] the budget key, ARGV cost, capacity, time to live. Takes `cost` tokens only when that many are left: `{1, left}`, else `{0, left}` and nothing changes. */
const TAKE = script(
  `local cost = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local left = tonumber(redis.call('GET', KEYS[1])) or capacity
if left > capacity then left = capacity end
if left < 0 then left = 0 end
if left < cost then return {0, left} end
left = left - cost
redis.call('SET', KEYS[1], left, 'PX', ARGV[3])
return {1, left}`,
  (reply) => {
    if (!Array.isArray(reply) || reply.length !== 2) throw new Error("backup-errors/redis: Redis answered the take script with something other than two counts");
    return { taken: count(reply[0]) === 1, left: count(reply[1]) };
  },
);

/** KEYS[1] the budget key, ARGV tokens, capacity, time to live. Gives tokens back, up to the capacity (a full bucket is no key); returns the tokens left. */
const REFUND = script(
  `local capacity = tonumber(ARGV[2])
local stored = tonumber(redis.call('GET', KEYS[1]))
if stored == nil then return capacity end
local left = math.max(0, stored) + tonumber(ARGV[1])
if left >= capacity then
  redis.call('DEL', KEYS[1])
  return capacity
end
redis.call('SET', KEYS[1], left, 'PX', ARGV[3])
return left`,
  count,
);

/**
 * KEYS[1] a shared state's key (the breaker's, the pacer's); ARGV the state as last read
 * ("?": only read it), the new state ("": none, no key) and the key's time to live. Writes
 * the new state only if the key still holds the one read: `{1, new}`; else `{0, current}` (""
 * for no key) and nothing changes. The rules are the module's; Redis only keeps their
 * numbers, one writer at a time.
 */
const SHARED = script(
  `local current = redis.call('GET', KEYS[1]) or ''
if ARGV[1] == '?' or current ~= ARGV[1] then return {0, current} end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
return {1, ARGV[2]}`,
  (reply) => {
    if (!Array.isArray(reply) || reply.length !== 2 || (typeof reply[1] !== "string" && !(reply[1] instanceof Uint8Array))) throw new Error("backup-errors/redis: Redis answered the shared-state script with something other than a count and the state");
    return { written: count(reply[0]) === 1, words: String(reply[1]) };
  },
);

/** How often an event of a shared state reads and writes again when other processes wrote it in between. */
const SHARED_ROUNDS = 4;

const isNoScript = (error) => /^NOSCRIPT/.test(String(error?.message ?? ""));

/** The client's two calls, told apart by its methods; `null` for anything else. */
function clientOf(client) {
  if (client === null || (typeof client !== "object" && typeof client !== "function") || typeof client.eval !== "function") return null;
  let evalsha;
  let evalScript;
  if (typeof client.evalsha === "function") {
    // ioredis: evalsha(sha, numkeys, ...keys, ...args)
    evalsha = (sha, key, args) => client.evalsha(sha, 1, key, ...args);
    evalScript = (source, key, args) => client.eval(source, 1, key, ...args);
  } else if (typeof client.evalSha === "function") {
    // node-redis 4 and later: evalSha(sha, { keys, arguments })
    evalsha = (sha, key, args) => client.evalSha(sha, { keys: [key], arguments: args });
    evalScript = (source, key, args) => client.eval(source, { keys: [key], arguments: args });
  } else {
    return null;
  }
  return async (s, key, args) => {
    const strings = args.map(String);
    try {
      return await evalsha(s.sha, key, strings);
    } catch (error) {
      if (!isNoScript(error)) throw error;
      return evalScript(s.source, key, strings); // loads the script for the next EVALSHA
    }
  };
}

/** The error a Redis operation that took longer than `timeoutMs` is reported with. */
function timeoutError(ms) {
  const error = new Error(`backup-errors/redis: Redis did not answer within timeoutMs (${ms} ms); going on with the local numbers`);
  error.name = "TimeoutError";
  error.code = "ETIMEDOUT";
  return error;
}

/** The state of one RedisCoordinator: what `Call` (executor.js) drives through fleet.js. */
class Fleet {
  #run;
  #timeoutMs;
  #ttl;
  #onError;
  #keys;
  #until = 0; // clock() time until which the namespace waits, as last known here
  #down = false; // an outage is running (reported once)
  #retryAt = 0; // while down: when Redis is asked again

  constructor(runScript, o) {
    this.#run = runScript;
    this.namespace = o.namespace;
    this.#timeoutMs = o.timeoutMs;
    this.#ttl = o.budgetTtlMs;
    this.#onError = o.onError;
    this.#keys = { wait: `${o.keyPrefix}:${o.namespace}:wait`, budget: `${o.keyPrefix}:${o.namespace}:budget`, breaker: `${o.keyPrefix}:${o.namespace}:breaker`, pacer: `${o.keyPrefix}:${o.namespace}:pacer` };
    /** The shared pacer's state as last known here (pacer.js), or null. */
    this.pacer = o.pacer;
    /** The shared breaker's state as last known here (breaker.js), or null: what a call uses while Redis is unavailable. */
    this.breaker = o.breaker;
    /** The shared budget's numbers as last known here (a RetryBudget's state, policy.js): what a call uses while Redis is unavailable. */
    this.budget = { parts: o.parts, available: o.available, freed: false };
  }

  /** Runs a script with the time limit; its checked reply, or `null` when Redis failed or was not asked (an outage is running). */
  async #redis(operation, s, key, args) {
    if (this.#down && clock() < this.#retryAt) return null;
    let timer;
    try {
      const limit = new Promise((_, reject) => {
        timer = setTimeout(() => reject(timeoutError(this.#timeoutMs)), this.#timeoutMs);
      });
      const reply = await Promise.race([Promise.resolve().then(() => this.#run(s, key, args)), limit]);
      const value = s.read(reply);
      this.#down = false;
      return value;
    } catch (error) {
      this.#retryAt = clock() + RETRY_REDIS_MS;
      if (!this.#down) {
        this.#down = true;
        this.#report(error, operation);
      }
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Tells the caller's hook that Redis failed; what the hook does (throw, reject) never reaches a call. */
  #report(error, operation) {
    if (typeof this.#onError !== "function") return;
    try {
      const result = this.#onError(error, { namespace: this.namespace, operation });
      if (result !== null && typeof result === "object" && typeof result.then === "function") result.then(noop, noop);
    } catch {
      // ignored: Redis is not a new way for a call to fail
    }
  }

  /** Records a server's wait of `ms` (0: none) for the namespace; the ms the namespace waits from now. */
  async #wait(ms) {
    if (ms > 0) this.#until = Math.max(this.#until, clock() + ms);
    const left = await this.#redis("wait", WAIT, this.#keys.wait, [ms]);
    if (left !== null) this.#until = clock() + left; // Redis has the namespace's wait
    return Math.max(0, Math.ceil(this.#until - clock()));
  }

  /**
   * Before each attempt of `call`: waits until the namespace's wait has passed, reading it
   * again after each sleep (it may have grown meanwhile). Rejects with ERR_SERVER_WAIT (its
   * `retryAfterMs` the wait) when the module says the call may not wait that long, or with
   * the abort reason. Bounded: each round sleeps, and the module refuses waits past the
   * call's deadline.
   */
  async admit(call, signal) {
    for (;;) {
      const wait = await abortable(this.#wait(0), signal);
      if (wait <= 0) return;
      let delay;
      try {
        delay = call.admission(wait);
      } catch (error) {
        if (error?.code === "ERR_SERVER_WAIT") error.namespace = this.namespace; // its retryAfterMs is the module's
        throw error;
      }
      await sleep(delay, signal);
    }
  }

  /**
   * Decides a judged attempt with the namespace's numbers. `trial(classification, available,
   * keep)` runs the call's step in the module and returns `{ decision, available }`. The
   * server's wait of the failure is recorded first; the namespace's wait, when longer, is the
   * wait the step sees. A first step with a full bucket says what the retry costs; Redis
   * takes that many tokens only if they are there, and the kept step runs with the tokens
   * Redis had, so a refusal is the budget's own stop (`budget:`).
   */
  async step(trial, classification) {
    const own = classification.retryAfterMs ?? 0;
    const wait = await this.#wait(own);
    const seen = wait > own ? { ...classification, retryAfterMs: wait } : classification;
    const capacity = this.budget.parts[0];
    const cost = capacity - trial(seen, capacity, false).available;
    let available = this.budget.available;
    if (cost > 0) {
      const taken = await this.#redis("take", TAKE, this.#keys.budget, [cost, capacity, this.#ttl]);
      if (taken !== null) available = taken.taken ? taken.left + cost : taken.left;
    }
    return trial(seen, available, true).decision;
  }

  /**
   * A breaker event on the namespace's shared breaker (`event`: 0 an admission, else a HEALTH
   * number; `probe`: the attempt was the probe). The words are read from Redis, the module
   * decides on them, and they are written back only if no other process wrote in between
   * (else it decides again on theirs). A change of state is told to `onStateChange` once it
   * is written. While Redis is unavailable the words last known here decide alone. Returns
   * whether the attempt is the probe; rejects with ERR_CIRCUIT_OPEN for a refused admission.
   */
  async breakerEvent(event, probe) {
    const b = this.breaker;
    const ttl = Math.max(this.#ttl, 2 * b.parts[1]);
    const r = await this.#shared("breaker", this.#keys.breaker, ttl, b, (text) => wordsOf(text), wordsText, () => b.step(event, probe, Date.now()));
    if (r.change !== null) b.changed(r.change);
    return r.probe;
  }

  /**
   * An event of the namespace's shared pacer (`pacer.js`): `run(state)` applied to its numbers
   * as Redis has them, written back as for the breaker. Returns what `run` returns (a turn's
   * wait); rejects with ERR_PACER_WAIT for a turn too far away.
   */
  pacerEvent(run) {
    const p = this.pacer;
    return this.#shared("pacer", this.#keys.pacer, this.#ttl, p, (text) => pacerWordsOf(text), pacerWordsText, () => run(p, Date.now()));
  }

  /**
   * Runs `apply()` on a state kept in Redis under `key`: `state.words` is set from what Redis
   * holds (`read` of its text), `apply` changes it (the module decides), and the new words
   * (`write` of them) are stored only if no other process wrote in between; else again on
   * theirs. While Redis is unavailable (or busy past the rounds) `apply` runs on the words
   * last known here. Returns `apply`'s result; what it throws (a refusal) is thrown, and
   * nothing is written.
   */
  async #shared(operation, key, ttl, state, read, write, apply) {
    let seen = await this.#redis(operation, SHARED, key, ["?", "", ttl]);
    for (let round = 0; seen !== null && round < SHARED_ROUNDS; round++) {
      state.words = read(seen.words);
      const before = write(state.words);
      const result = apply();
      const after = write(state.words);
      if (after === before) return result;
      seen = await this.#redis(operation, SHARED, key, [before, after, ttl]);
      if (seen === null || seen.written) return result;
    }
    return apply();
  }

  /**
   * The call ended. `settle(available)` runs the module's finish with a bucket holding
   * `available` tokens and returns what it holds after: from an empty bucket, the tokens this
   * call gives back. They are added here at once and sent to Redis without waiting.
   */
  finish(settle) {
    const refund = settle(0);
    this.budget.available = settle(this.budget.available);
    if (refund > 0) {
      this.#redis("refund", REFUND, this.#keys.budget, [refund, this.budget.parts[0], this.#ttl]).then((left) => {
        if (left !== null) this.budget.available = left;
      });
    }
  }
}

/**
 * One server wait and one retry budget for every process whose calls use the same
 * `namespace`, kept in Redis through `client` (an ioredis client, or a connected node-redis
 * client, version 4 or later; neither is bundled). Pass it as the `coordinator` option of
 * `fetchWithRetry`, `retry` and the client plug-ins.
 *
 * Throws a BackupErrorsError: ERR_INVALID_ARGUMENT for a client that is neither, or options
 * that are not an object; ERR_INVALID_OPTION for a missing or bad `namespace`, an unknown
 * option, a bad `budget` option (as `new RetryBudget()` checks them), `timeoutMs` outside
 * 1–60 000, `budgetTtlMs` outside 1 000 – 604 800 000, a `keyPrefix` that is not a name,
 * an `onCoordinatorError` that is not a function.
 */
export class RedisCoordinator {
  #fleet;

  /**
   * @param {object} client an ioredis or node-redis client
   * @param {import("../redis.js").RedisCoordinatorOptions} options
   */
  constructor(client, options) {
    const runScript = clientOf(client);
    if (runScript === null) {
      throw failure("argument", "client", "an ioredis client or a node-redis (4 or later) client (with evalsha() or evalSha(), and eval())", client);
    }
    // Each option is read once: into this copy, which the module checks and this reads.
    const copy = options !== null && typeof options === "object" && !Array.isArray(options) ? { ...options } : options;
    if (copy?.breaker !== null && typeof copy?.breaker === "object") copy.breaker = { ...copy.breaker };
    const r = run("coordinator", (w) => w.arg(copy));
    const namespace = r.str();
    const keyPrefix = r.str();
    const timeoutMs = r.u32();
    const budgetTtlMs = r.u64();
    const parts = [r.u32(), r.u32(), r.u32(), r.u32()];
    const available = r.u32();
    const breaker = r.u32() === 1 ? sharedBreakerState([r.u32(), r.u64(), r.u32()], copy.breaker.onStateChange, namespace) : null;
    const pacer = r.u32() === 1 ? sharedPacerState(r.u64(), namespace) : null;
    this.#fleet = new Fleet(runScript, { namespace, keyPrefix, timeoutMs, budgetTtlMs, parts, available, breaker, pacer, onError: copy.onCoordinatorError });
    registerFleet(this, this.#fleet);
  }

  /** The namespace whose wait and budget this coordinator shares. */
  get namespace() {
    return this.#fleet.namespace;
  }
}
