// One call's retry state as the executors and the client plug-ins drive it: the words of the
// module's call state machine (src/call.rs), the policy's and the budget's state, and a fleet
// coordinator's shared numbers. Each step sends them to the module, which decides.
import { run, nameTables, failure } from "./core.js";
import { OUTCOME_KIND } from "./layout.js";
import { classifyInput, readClassification, writeClassification, Meaning } from "./classification.js";
import { RetryPolicy, policyState, budgetState, writeKept, runKept, writeBudget, readPolicyState, readDecision } from "./policy.js";
import { fleetState } from "./fleet.js";
import { breakerState } from "./breaker.js";
import { HEALTH } from "./layout.js";
import { pacerState } from "./pacer.js";
import { abortable, attemptSignal, now, sleep } from "./signals.js";

const argumentError = (name, expected, value) => failure("argument", name, expected, value);

/**
 * One call's retry state, as every executor (and the client plug-ins) drives it. The state —
 * the attempt, the one re-authentication, the memory of an ambiguous failure, the last lease
 * — lives here as the words of a call block, with the policy's and the budget's state; each
 * step sends them to the module's call state machine (src/call.rs), which decides and returns
 * the new state. The loop around it only performs I/O and sleeps.
 *
 *   const call = new Call(opts, { method, idempotent, replayable });
 *   await call.admit(signal);                               // per attempt, with a coordinator
 *   const limits = call.attemptLimits(signal, timeoutMs);   // per attempt
 *   const info = call.response(input, outcome) / call.failure(kind, outcome);  // judged
 *   const final = await call.settle(info, signal) or call.settleSync(info);
 *   call.finish(succeeded);
 */
export class Call {
  #policy; // the policy's state (policy.js)
  #budget; // the budget's state, or null (with a coordinator: its local copy of the shared numbers)
  #fleet; // the coordinator's state (fleet.js), or null
  #breaker; // the circuit breaker's state (breaker.js), or null
  #shared; // the breaker is the coordinator's, shared by the fleet (its events go through Redis)
  #sent = null; // the attempt the breaker let through and has not heard of: { probe }
  #told = null; // a promise: the shared breaker hearing of the judged attempt
  #pacer; // the pacer's state (pacer.js), or null
  #sharedPacer; // the pacer is the coordinator's, shared by the fleet (through Redis)
  #learnt = null; // a promise: the shared pacer learning from the judged attempt
  #ownPolicy;
  #words; // attempt, flags, lease, vendor
  #pending = null; // the judged attempt: { classification, elapsed, deadline }
  #clientEnds = false; // the client ends the call with the attempt being judged (endsWithNextJudgement)

  /** `opts` as `readOptions` returns them; `request` is `{ method, idempotent, replayable }`. */
  constructor(opts, request) {
    this.opts = opts;
    this.method = request.method ?? null;
    this.#ownPolicy = opts.policy == null;
    const policy = this.#ownPolicy ? new RetryPolicy(opts.policyOptions) : opts.policy;
    this.#policy = policyState(policy);
    this.#fleet = opts.coordinator != null ? fleetState(opts.coordinator) : null;
    this.#budget = this.#fleet !== null ? this.#fleet.budget : opts.budget != null ? budgetState(opts.budget) : null;
    this.#shared = this.#fleet?.breaker != null;
    this.#breaker = this.#shared ? this.#fleet.breaker : opts.breaker != null ? breakerState(opts.breaker) : null;
    this.#sharedPacer = this.#fleet?.pacer != null;
    this.#pacer = this.#sharedPacer ? this.#fleet.pacer : opts.pacer != null ? pacerState(opts.pacer) : null;
    const flags = (request.replayable ? 4 : 0) | (typeof opts.reauthenticate === "function" ? 8 : 0) | (request.idempotent ? 16 : 0);
    const vendor = typeof opts.vendor === "string" ? nameTables().vendorIndex.get(opts.vendor.trim().toLowerCase()) : undefined;
    this.#words = [1, flags, NONE, vendor ?? NONE];
    this.deadlineMs = policy.resolvedOptions().deadlineMs;
    this.start = now();
  }

  /** The attempt running now (1-based). */
  get attempt() {
    return this.#words[0];
  }

  /** Milliseconds since the first attempt started. */
  elapsed() {
    return now() - this.start;
  }

  /** The running attempt's signal: the call's `signal`, `timeoutMs` and the deadline. */
  attemptLimits(signal, timeoutMs) {
    return attemptSignal(signal, timeoutMs, Math.max(0, this.deadlineMs - this.elapsed()));
  }

  /** Whether a coordinator (backup-errors/redis) shares this call's server wait and budget. */
  get coordinated() {
    return this.#fleet !== null;
  }

  /**
   * Before each attempt: with a coordinator, a promise that resolves once the namespace's
   * server wait has passed, or rejects with ERR_SERVER_WAIT when the call may not wait that
   * long (or with the abort reason); without one, `null`. Then the circuit breaker, if any,
   * lets the attempt through or refuses it with ERR_CIRCUIT_OPEN (thrown, or the promise's
   * rejection).
   */
  admit(signal) {
    if (!this.waits) {
      this.#admitBreaker();
      return null;
    }
    return this.#admitLater(signal);
  }

  /** Whether an attempt may wait before it is sent: for the namespace's wait (a coordinator) or its turn (a pacer). */
  get waits() {
    return this.#fleet !== null || this.#pacer !== null;
  }

  /** `admit` with waits: the namespace's wait, then the pacer's turn, then the breaker. */
  async #admitLater(signal) {
    if (this.#fleet !== null) await this.#fleet.admit(this, signal);
    if (this.#pacer !== null) {
      const left = this.deadlineMs - this.elapsed();
      const turn = this.#sharedPacer ? await abortable(this.#fleet.pacerEvent((p, at) => p.turn(left, at)), signal) : this.#pacer.turn(left);
      if (turn > 0) {
        await sleep(turn, signal);
        // A throttling answer may have come while this attempt waited: its wait holds it too.
        if (this.#fleet !== null) await this.#fleet.admit(this, signal);
        else await sleep(this.#pacer.held(), signal);
      }
    }
    if (this.#shared) this.#sent = { probe: await abortable(this.#fleet.breakerEvent(0, false), signal) };
    else this.#admitBreaker();
  }

  #admitBreaker() {
    if (this.#breaker === null) return;
    this.#sent = { probe: this.#breaker.event(0, false) };
  }

  /** Tells the pacer of an answer; a shared pacer learns through Redis (`#learnt`, awaited by `settle` or `finish`). */
  #learn(throttled, serverWaitMs) {
    if (!this.#sharedPacer) return this.#pacer.record(throttled, serverWaitMs);
    this.#learnt = this.#fleet.pacerEvent((p, at) => p.record(throttled, serverWaitMs, at));
    this.#learnt.catch(() => {});
  }

  /** Tells the breaker how the attempt it let through ended (a HEALTH number), once; a shared breaker hears it through Redis (`#told`). */
  #tellBreaker(health) {
    if (this.#sent === null) return;
    const { probe } = this.#sent;
    this.#sent = null;
    if (this.#shared) {
      this.#told = this.#fleet.breakerEvent(health, probe);
      this.#told.catch(() => {}); // awaited by `settle`, or by nothing once the call ended
    }
    else this.#breaker.event(health, probe);
  }

  /** The ms to wait before sending while the namespace waits `waitMs` (the module's rule, src/fleet.rs); throws ERR_SERVER_WAIT. */
  admission(waitMs) {
    const elapsed = this.elapsed();
    return runKept("admit", this.#policy, (w) => writeKept(this.#writeCall(w), this.#policy).f64(waitMs).f64(elapsed)).u64();
  }

  /** Tells a call begun without a method what its request is, once a client's error says. */
  learnRequest(method, idempotent) {
    if (this.method !== null) return;
    this.method = method;
    if (idempotent) this.#words[1] |= 16;
  }

  #writeCall(input) {
    for (const w of this.#words) input.u32(w);
    return input.optionalText(this.method ?? undefined);
  }

  /**
   * The next attempt judged is the last: the client ends the call with it whatever the
   * decision (ky's final responses). The module turns a retry it would make into a stop
   * (`client-final`), before the budget is asked; `shouldRetry` cannot overrule it.
   */
  endsWithNextJudgement() {
    this.#clientEnds = true;
  }

  /** Judges a failed response (`input` as classify() takes it): the hooks' info, with the proposal. */
  response(input, outcome = {}, truncated = false) {
    const full = { ...input, vendor: input.vendor ?? this.opts.vendor };
    const c = readClassification(run("classify", (w) => classifyInput(w, full, truncated)));
    return this.#judge(c, false, outcome);
  }

  /** Judges an attempt without a response: `kind` as `noResponseKind` names it, or "deadline". */
  failure(kind, outcome = {}) {
    const timeout = kind === "timeout" && typeof this.opts.timeoutMs === "number" ? this.opts.timeoutMs : NaN;
    const r = run("outcome", (w) => this.#writeCall(w).u32(OUTCOME_KIND[kind] ?? OUTCOME_KIND["connection-lost"]).f64(timeout).f64(Date.now()));
    return this.#judge(readClassification(r), kind === "deadline", outcome);
  }

  #judge(classification, deadline, outcome) {
    this.#pending = { classification, deadline, elapsed: this.elapsed() };
    // Without a hook the proposal is the decision: the step is kept at once (with a
    // coordinator, `settle` steps again with the namespace's numbers).
    const { decision, health, throttled } = this.#step(undefined, !this.opts.shouldRetry && this.#fleet === null);
    this.#tellBreaker(health);
    if (this.#pacer !== null) this.#learn(throttled, classification.retryAfterMs);
    const info = { attempt: decision.attempt, method: this.method, classification, decision, elapsedMs: Math.round(this.#pending.elapsed) };
    if ("error" in outcome) info.error = outcome.error;
    return info;
  }

  /**
   * Runs the module's call step on the pending attempt (as `classification`, with a budget
   * holding `available` tokens); keeps the new state when `keep`. Returns the decision, the
   * tokens the budget holds after it, and what the attempt says of the service (HEALTH).
   */
  #step(answer, keep, classification = this.#pending.classification, available = this.#budget?.available) {
    const { deadline, elapsed } = this.#pending;
    const meaning = new Meaning(classification);
    const r = runKept("step", this.#policy, (w) => {
      this.#writeCall(w);
      writeKept(w, this.#policy);
      writeBudget(w, this.#budget === null ? null : { parts: this.#budget.parts, available });
      writeClassification(w, meaning);
      w.f64(elapsed).u32(deadline ? 1 : 0).u32(this.#clientEnds ? 3 : answer === undefined ? 0 : answer ? 2 : 1);
    });
    const decision = readDecision(r);
    decision.reauthenticate = r.bool();
    const words = [r.u32(), r.u32(), r.u32(), r.u32()];
    readPolicyState(r, keep ? this.#policy : SCRATCH_POLICY);
    const left = r.u32();
    const health = r.u32();
    const throttled = r.u32() === 1;
    if (keep) {
      this.#words = words;
      if (this.#budget !== null) this.#budget.available = left;
    }
    return { decision, available: left, health, throttled };
  }

  /**
   * Settles the judged attempt: asks the caller's `shouldRetry` (awaited; it may return a
   * promise) about the proposal, lets the module apply the answer within its bounds, and
   * returns the hooks' info with the final decision.
   */
  async settle(info, signal) {
    if (!this.opts.shouldRetry && this.#fleet === null) return info;
    const answer = this.opts.shouldRetry ? checkAnswer(await abortable(this.opts.shouldRetry(info), signal)) : undefined;
    if (this.#fleet === null) return { ...info, decision: this.#step(answer, true).decision };
    if (this.#told !== null || this.#learnt !== null) {
      const told = [this.#told, this.#learnt];
      this.#told = this.#learnt = null;
      await Promise.all(told); // the fleet's breaker and pacer have the outcome before the retry is decided
    }
    const trial = (classification, available, keep) => this.#step(answer, keep, classification, available);
    return { ...info, decision: await abortable(this.#fleet.step(trial, this.#pending.classification), signal) };
  }

  /** `settle` for clients whose retry hooks are synchronous (got): a promise from `shouldRetry` is a bad call. */
  settleSync(info) {
    if (this.#fleet !== null) throw failure("argument", "coordinator", "left out for this client (its retry hooks are synchronous)", this.opts.coordinator);
    if (!this.opts.shouldRetry) return info;
    const answer = this.opts.shouldRetry(info);
    if (answer !== null && typeof answer === "object" && typeof answer.then === "function") {
      throw failure("argument", "shouldRetry() result", "true, false or undefined (this client's retry hook is synchronous)", answer);
    }
    return { ...info, decision: this.#step(checkAnswer(answer), true).decision };
  }

  /**
   * Ends the call: settles the budget (a success refunds) and tells the breaker of an attempt
   * it let through that was not judged (a success; or unknown: the call was abandoned).
   * Ending twice does nothing. Returns a promise that resolves once a shared breaker has
   * heard it (awaited by the executors, so a probe's success reaches the fleet before the
   * call resolves), else `undefined`.
   */
  finish(succeeded) {
    if (this.#words === null) return undefined;
    this.#tellBreaker(succeeded ? HEALTH.healthy : HEALTH.unknown);
    if (succeeded && this.#pacer !== null) this.#learn(false, null);
    const pending = [this.#told, this.#learnt].filter((p) => p !== null);
    const told = pending.length === 0 ? undefined : Promise.all(pending);
    this.#told = this.#learnt = null;
    if (this.#budget !== null) {
      const settle = (available) => run("finish", (w) => writeBudget(this.#writeCall(w), { parts: this.#budget.parts, available }).u32(succeeded ? 1 : 0)).u32();
      if (this.#fleet !== null) this.#fleet.finish(settle);
      else this.#budget.available = settle(this.#budget.available);
    }
    this.#words = null;
    return told;
  }
}

const NONE = 0xffffffff;
/** Where a step that is not kept reads the policy's new state to. */
const SCRATCH_POLICY = { words: new Uint32Array(32) };


function checkAnswer(answer) {
  if (answer !== undefined && typeof answer !== "boolean") throw argumentError("shouldRetry() result", "true, false or undefined", answer);
  return answer;
}

/** Headers returned by `reauthenticate()`, checked. */
export function readHeadersInit(value) {
  try {
    return new Headers(value);
  } catch {
    throw argumentError("reauthenticate() result", "a HeadersInit (object, Headers or [name, value] pairs) or nothing", value);
  }
}
