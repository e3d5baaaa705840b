//! The operations the wasm module exports, one per JS API operation: each reads its input
//! (see the module docs of `crate::wire`), checks it, does the work in the core and writes its
//! result or its error ([`Out`]).

use super::out::Out;
use super::slots::PolicySlots;
use super::{call_words, policy_words, Input, Last, Meaning};
use crate::args::{self, Arg};
use crate::breaker::{Admission, Breaker, BreakerOptions, BreakerState, Health};
use crate::budget::{BudgetOptions, RetryBudget};
use crate::call::{Answer, Outcome};
use crate::classify::classify_parts;
use crate::error::Error;
use crate::fleet::{budget_parts, CoordinatorOptions};
use crate::model::{Action, Category, Processed, Vendor};
use crate::pacer::{is_throttling, Pacer, PacerOptions, PACER_WORDS};
use crate::reason::{Param, Rule};
use crate::retry::{
    DecisionContext, Jitter, NonIdempotent, RetryOptions, RetryPolicy, MAX_ATTEMPTS_LIMIT,
    VENDOR_PRESETS,
};
use crate::vendors;
use alloc::string::{String, ToString};

/// Runs `op`, turning its error into an error result.
fn run(op: impl FnOnce(&mut Out) -> Result<(), Error>) -> Out {
    let mut out = Out::ok();
    match op(&mut out) {
        Ok(()) => out,
        Err(e) => Out::error(&e),
    }
}

/// Why an operation that reads a kept policy wrote no result.
enum Failure {
    /// The caller's error.
    Error(Error),
    /// The policy's slot holds another policy now.
    NotKept,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::Error(e)
    }
}

/// [`run`] for an operation that reads a kept policy ([`Input::kept_policy`]): when the slot
/// holds another policy now, the result is [`Out::not_kept`] (the JS layer keeps the policy
/// again and runs the operation again).
fn run_kept(op: impl FnOnce(&mut Out) -> Result<(), Failure>) -> Out {
    let mut out = Out::ok();
    match op(&mut out) {
        Ok(()) => out,
        Err(Failure::Error(e)) => Out::error(&e),
        Err(Failure::NotKept) => Out::not_kept(),
    }
}

/// Milliseconds since the epoch from a JS `Date.now()`.
fn epoch_ms(now: f64) -> u64 {
    if now.is_finite() && now > 0.0 {
        now as u64
    } else {
        0
    }
}

/// The name tables, each in index order: vendors (the built-in ones, then the registered
/// ones), categories, actions, processed, jitter modes, nonIdempotent modes, schedule kinds,
/// error codes, decision rules, reason params.
pub fn names() -> Out {
    let mut out = Out::ok();
    out.names(
        &Vendor::all()
            .map(Vendor::id)
            .collect::<alloc::vec::Vec<_>>(),
    );
    out.names(&Category::ALL.map(Category::name));
    out.names(&Action::ALL.map(Action::name));
    out.names(&Processed::ALL.map(Processed::name));
    out.names(&Jitter::ALL.map(Jitter::name));
    out.names(&NonIdempotent::ALL.map(NonIdempotent::name));
    out.names(&["main", "busy", "preset"]);
    out.names(&Error::CODES);
    out.names(&Rule::ALL.map(Rule::name));
    out.names(&Param::ALL.map(Param::name));
    out
}

/// `classify(input)`: `Date.now()` as an f64, then the input object as an argument (its body
/// last, so the JS layer can write it straight into memory).
pub fn classify(bytes: &[u8]) -> Out {
    run(|out| {
        let mut input = Input::new(bytes);
        let now = epoch_ms(input.f64()?);
        let arg = input.arg()?;
        let i = args::read_input(&arg)?;
        let mut parts = classify_parts(i.status, &i.headers, i.body, i.vendor, &|| now);
        parts.truncated = i.truncated;
        out.classification(&parts);
        Ok(())
    })
}

/// `explain(vendor, code, status?)`: the three arguments as an array.
pub fn explain(bytes: &[u8]) -> Out {
    run(|out| {
        let arg = Input::new(bytes).arg()?;
        let (vendor, code, status) = args::explain_args(&arg)?;
        match crate::classify::lookup(vendor, &code, status, None) {
            Some(e) => {
                out.push(1);
                out.entry(vendor, e);
            }
            None => out.push(0),
        }
        Ok(())
    })
}

/// `catalog(vendor?)`.
pub fn catalog(bytes: &[u8]) -> Out {
    run(|out| {
        let arg = Input::new(bytes).arg()?;
        let list: alloc::vec::Vec<Vendor> = match args::vendor(&arg)? {
            Some(v) => alloc::vec![v],
            None => Vendor::all().collect(),
        };
        out.push(list.iter().map(|&v| vendors::catalog(v).len() as u32).sum());
        for &v in &list {
            for e in vendors::catalog(v) {
                out.entry(v, e);
            }
        }
        Ok(())
    })
}

/// The rules' texts (`messages()`, [`crate::texts::rule_texts`]): a count, then per text
/// its full id and its English.
pub fn texts() -> Out {
    let mut out = Out::ok();
    let texts = crate::texts::rule_texts();
    out.push(texts.len() as u32);
    for (id, text) in texts {
        out.text(&id);
        out.fixed(text);
    }
    out
}

/// `registerVendor(definition)`: the definitions as an array argument (every one registered
/// so far, in order, then the new one; or only the registered ones, when a fresh instance is
/// given them again). All are checked first; on an error nothing changed. Then the old
/// registry is dropped, `relocate` returns the input again (the standalone module moves it
/// to the bottom of its heap, where the registry is rebuilt from it), the registry is built,
/// and `keep` is called (the standalone module keeps what was allocated so far through later
/// operations). Writes the position the last definition took in the list.
pub fn vendors<'a>(
    bytes: &'a [u8],
    relocate: impl FnOnce() -> &'a [u8],
    keep: impl FnOnce(),
) -> Out {
    let checked = Input::new(bytes)
        .arg()
        .and_then(|arg| args::vendors::definitions(&arg).map(|(_, at)| at));
    if let Err(e) = checked {
        return Out::error(&e);
    }
    vendors::registered::clear();
    let built = Input::new(relocate()).arg().and_then(|arg| {
        let (definitions, at) = args::vendors::definitions(&arg)?;
        vendors::registered::build(&definitions);
        Ok(at)
    });
    keep();
    match built {
        Ok(at) => {
            let mut out = Out::ok();
            out.push(at);
            out
        }
        Err(e) => Out::error(&e),
    }
}

/// `new RetryPolicy(options)`: the options as an argument, then a random seed (an f64 in
/// [0, 2^53)) used when the options give none. Writes the policy block, then the slot it is
/// kept in and its stamp ([`PolicySlots`]).
pub fn policy(bytes: &[u8], slots: &PolicySlots) -> Out {
    run(|out| {
        let mut input = Input::new(bytes);
        let arg = input.arg()?;
        let seed = input.f64()?;
        let mut options = RetryOptions::from_arg(&arg)?;
        if options.seed.is_none() && seed.is_finite() && seed >= 0.0 {
            options.seed = Some(seed as u64);
        }
        let policy = RetryPolicy::new(options)?;
        let block = policy_words(&policy);
        block.iter().for_each(|&w| out.push(w));
        let (slot, stamp) = slots.keep(&block);
        out.push(slot);
        out.push(stamp);
        Ok(())
    })
}

/// A policy made earlier (in this instance or one it replaced) kept again: its block; writes
/// the slot and the stamp.
pub fn keep(bytes: &[u8], slots: &PolicySlots) -> Out {
    run(|out| {
        let block = Input::new(bytes).policy_block()?;
        let (slot, stamp) = slots.keep(&block);
        out.push(slot);
        out.push(stamp);
        Ok(())
    })
}

/// `policy.resolvedOptions()`: the policy block.
pub fn resolved(bytes: &[u8]) -> Out {
    run(|out| {
        let policy = Input::new(bytes).policy()?;
        out.resolved(&policy.resolved());
        Ok(())
    })
}

/// `RetryPolicy.presets()`.
pub fn presets() -> Out {
    let mut out = Out::ok();
    out.push(VENDOR_PRESETS.len() as u32);
    for p in VENDOR_PRESETS {
        out.preset(p);
    }
    out
}

/// Writes the policy's state after a decision: the generator, and the previous delay
/// (present flag, then the value).
fn policy_state(out: &mut Out, policy: &RetryPolicy) {
    let (rng, prev) = policy.state();
    out.u64(rng);
    out.push(u32::from(prev.is_some()));
    out.u64(prev.unwrap_or(0));
}

/// `policy.decide(classification, context)`: the policy block, a classification block, then
/// the context: attempt (f64), elapsedMs (f64), method (mode, text), flags (1 earlier
/// ambiguous failure, 2 idempotent). Writes the decision and the policy's new state.
pub fn decide(bytes: &[u8], last: &Last) -> Out {
    run(|out| {
        let mut input = Input::new(bytes);
        let mut policy = input.policy()?;
        let c = input.classification(last)?;
        let attempt = input.f64()?;
        let elapsed = input.f64()?;
        let method = match input.u32()? {
            0 => None,
            _ => Some(input.text()?.to_string()),
        };
        let flags = input.u32()?;
        let ctx = context(attempt, elapsed, method, flags);
        let d = policy.decide(&c, &ctx);
        out.decision(&d);
        policy_state(out, &policy);
        Ok(())
    })
}

/// The numbers `decide_at` takes besides the input: where the policy is kept, its state, the
/// classification's fields and the context.
#[derive(Debug, Clone, Copy)]
pub struct DecideAt {
    /// The policy's slot.
    pub slot: u32,
    /// The stamp it was kept under.
    pub stamp: u32,
    /// Words 24–28 of its block: the generator and the previous delay.
    pub state: [u32; 5],
    /// The classification's fields.
    pub meaning: Meaning,
    /// The attempt that ended (as `decide`'s context gives it).
    pub attempt: f64,
    /// Time since the first attempt, in ms.
    pub elapsed: f64,
    /// 1 earlier ambiguous failure, 2 idempotent; bits 2–3, 4–5 and 6–7 the modes of the
    /// code, the summary and the method (`0` none, `1` the same as last time, `2` in the input,
    /// in that order).
    pub flags: u32,
}

/// `policy.decide(classification, context)` for a policy kept in a slot and a classification
/// whose fields fit their tables: `at`'s numbers, and in `bytes` the texts whose mode is 2.
/// Writes what [`decide`] writes; `None` when the slot holds another policy now (the JS layer
/// keeps the policy again and asks again).
pub fn decide_at(bytes: &[u8], at: &DecideAt, slots: &PolicySlots, last: &Last) -> Option<Out> {
    let mut policy = slots.policy(at.slot, at.stamp, at.state)?;
    Some(run(|out| {
        let mut input = Input::new(bytes);
        let code = input.text_in_mode(at.flags >> 2 & 3, &last.code)?;
        let summary = input
            .text_in_mode(at.flags >> 4 & 3, &last.summary)?
            .unwrap_or_default();
        let method = input.text_in_mode(at.flags >> 6 & 3, &last.method)?;
        let c = at.meaning.classification(code, summary)?;
        let ctx = context(at.attempt, at.elapsed, method, at.flags);
        let d = policy.decide(&c, &ctx);
        out.decision(&d);
        policy_state(out, &policy);
        Ok(())
    }))
}

/// A decision's context from the numbers JS read: attempt (below 1 or not a number: 1),
/// elapsed ms, the method, flags (1 earlier ambiguous failure, 2 idempotent).
fn context(attempt: f64, elapsed: f64, method: Option<String>, flags: u32) -> DecisionContext {
    DecisionContext {
        attempt: if attempt.is_finite() && attempt >= 1.0 {
            attempt.min(f64::from(u32::MAX)) as u32
        } else {
            1
        },
        elapsed_ms: ms(elapsed),
        method,
        earlier_ambiguous_failure: flags & 1 != 0,
        idempotent: flags & 2 != 0,
    }
}

/// Milliseconds from a JS number: finite and positive, rounded, capped; else 0.
fn ms(n: f64) -> u64 {
    if n.is_finite() && n > 0.0 {
        (n + 0.5).min(crate::retry::MAX_MS as f64) as u64
    } else {
        0
    }
}

/// `policy.plan(classification, attempts | { attempts, method, idempotent })`: the policy
/// block, a classification block, then the second argument.
pub fn plan(bytes: &[u8], last: &Last) -> Out {
    run(|out| {
        let mut input = Input::new(bytes);
        let policy = input.policy()?;
        let c = input.classification(last)?;
        let second = input.arg()?;
        let attempts = |v: &Arg| match v {
            Arg::Number(n) if n.is_finite() && *n >= 1.0 => {
                n.min(f64::from(MAX_ATTEMPTS_LIMIT)) as u32
            }
            _ => 10,
        };
        let (n, request) = match &second {
            Arg::Object(_) => (
                attempts(second.get("attempts")),
                DecisionContext {
                    method: args::optional_string(second.get("method"), "method")?
                        .map(str::to_string),
                    idempotent: matches!(second.get("idempotent"), Arg::Bool(true)),
                    ..DecisionContext::default()
                },
            ),
            other => (attempts(other), DecisionContext::default()),
        };
        out.plan(&policy.plan(&c, n, &request));
        Ok(())
    })
}

/// `new RetryBudget(options)`: the options as an argument. Writes capacity, retryCost,
/// timeoutCost, successRefund, available.
pub fn budget(bytes: &[u8]) -> Out {
    run(|out| {
        let options = BudgetOptions::from_arg(&Input::new(bytes).arg()?)?;
        RetryBudget::new(options)?
            .parts()
            .iter()
            .for_each(|&w| out.push(w));
        Ok(())
    })
}

/// `new CircuitBreaker(options)`: the options as an argument. Writes failureThreshold,
/// openMs (2), halfOpenProbes.
pub fn breaker(bytes: &[u8]) -> Out {
    run(|out| {
        let o = BreakerOptions::from_arg(&Input::new(bytes).arg()?)?;
        out.push(o.failure_threshold);
        out.u64(o.open_ms);
        out.push(o.half_open_probes);
        Ok(())
    })
}

/// An event of a breaker ([`crate::breaker`]): its options (failureThreshold, openMs (2),
/// halfOpenProbes), its state ([`Breaker::words`]), the namespace (`0`, or `2` and a text),
/// the event (`0` an attempt asks to be sent, else the attempt's [`Health`]: `1` healthy,
/// `2` unhealthy, `3` unknown), whether that attempt is the probe, and the time (f64 ms).
/// Writes the new state (4 words), whether the attempt is the probe (for an admission), then
/// the change: `0`, or `1` and its from, to and reason (indices of `BreakerState::ALL` and
/// `ChangeReason::ALL`). An attempt refused is the error ERR_CIRCUIT_OPEN.
pub fn breaker_event(bytes: &[u8]) -> Out {
    run(|out| {
        let mut input = Input::new(bytes);
        let mut w = [0u32; 9];
        for x in &mut w {
            *x = input.u32()?;
        }
        let options = BreakerOptions {
            failure_threshold: w[0].max(1),
            open_ms: (u64::from(w[1]) | u64::from(w[2]) << 32).max(1),
            half_open_probes: w[3].max(1),
        };
        let mut state = Breaker::from_words([w[4], w[5], w[6], w[7]]);
        let namespace = match w[8] {
            0 => None,
            _ => Some(input.text()?),
        };
        let event = input.u32()?;
        let probe = input.u32()? != 0;
        let now = ms(input.f64()?);
        let (probe, change) = match event {
            0 => match state.admit(&options, now) {
                (Admission::Send { probe }, change) => (probe, change),
                (Admission::Refuse { retry_after_ms }, _) => {
                    return Err(Error::CircuitOpen {
                        retry_after_ms,
                        namespace: namespace.map(String::from),
                        probing: state.state == BreakerState::HalfOpen,
                    })
                }
            },
            _ => {
                let health = *super::layout::HEALTH
                    .get(event as usize - 1)
                    .unwrap_or(&Health::Unknown);
                (probe, state.record(&options, health, probe, now))
            }
        };
        state.words().iter().for_each(|&w| out.push(w));
        out.push(u32::from(probe));
        match change {
            Some(c) => {
                out.push(1);
                out.push(c.from as u32);
                out.push(c.to as u32);
                out.push(c.reason as u32);
            }
            None => out.push(0),
        }
        Ok(())
    })
}

/// `new Pacer(options)`: the options as an argument. Writes maxWaitMs (2).
pub fn pacer(bytes: &[u8]) -> Out {
    run(|out| {
        let o = PacerOptions::from_arg(&Input::new(bytes).arg()?)?;
        out.u64(o.max_wait_ms);
        Ok(())
    })
}

/// An event of a pacer ([`crate::pacer`]): its state ([`Pacer::words`], f64s), the time
/// (f64 ms), the namespace (`0`, or `2` and a text), then the event: `0` a turn, with the
/// pacer's maxWaitMs and what is left before the call's deadline (f64 ms each; the nearer
/// bound applies);
/// `1` an answer, whether it was throttling (u32) and the server's wait (f64 ms, NaN: none);
/// `2` a check after waiting for a turn. Writes the new state, then for a turn the ms to wait
/// (2), for a check the ms left of the server's wait (2). A turn further away than the
/// bound is the error ERR_PACER_WAIT, and nothing is reserved.
pub fn pacer_event(bytes: &[u8]) -> Out {
    run(|out| {
        let mut input = Input::new(bytes);
        let mut words = [0.0; PACER_WORDS];
        for w in &mut words {
            *w = input.f64()?;
        }
        let mut pacer = Pacer::from_words(words);
        let now = input.f64()?;
        let namespace = match input.u32()? {
            0 => None,
            _ => Some(input.text()?),
        };
        let wait = match input.u32()? {
            0 => {
                let max_wait = ms(input.f64()?);
                let left = ms(input.f64()?);
                let (limit, limit_ms) = if left < max_wait {
                    ("deadlineMs", left)
                } else {
                    ("maxWaitMs", max_wait)
                };
                match pacer.turn(now, limit_ms) {
                    Ok(wait) => Some(wait),
                    Err(wait_ms) => {
                        return Err(Error::PacerWait {
                            wait_ms,
                            limit,
                            limit_ms,
                            namespace: namespace.map(String::from),
                        })
                    }
                }
            }
            2 => Some(pacer.held_ms(now)),
            _ => {
                let throttled = input.u32()? != 0;
                let server_wait = input.f64()?;
                pacer.record(
                    throttled,
                    (server_wait.is_finite() && server_wait >= 0.0).then(|| ms(server_wait)),
                    now,
                );
                None
            }
        };
        pacer.words().iter().for_each(|&w| out.f64(w));
        if let Some(wait) = wait {
            out.u64(wait);
        }
        Ok(())
    })
}

/// The classification of an attempt without a response: a call block, the kind (0 timeout,
/// 1 not sent, 2 connection lost, 3 deadline), timeoutMs (f64, NaN when unknown), then
/// `Date.now()`.
pub fn outcome(bytes: &[u8]) -> Out {
    run(|out| {
        let mut input = Input::new(bytes);
        let call = input.call()?;
        let kind = input.u32()?;
        let timeout = input.f64()?;
        let now = epoch_ms(input.f64()?);
        let outcome = match super::layout::OUTCOME_KINDS
            .get(kind as usize)
            .map(|(name, _)| *name)
        {
            Some("timeout") => {
                Outcome::Timeout((timeout.is_finite() && timeout > 0.0).then(|| ms(timeout)))
            }
            Some("not-sent") => Outcome::NotSent,
            Some("deadline") => Outcome::DeadlinePassed,
            _ => Outcome::ConnectionLost,
        };
        out.classification(&call.classify_parts(outcome, now));
        Ok(())
    })
}

/// One step of a call ([`crate::call::RetryCall::step`]): a call block, the policy block, a
/// budget block, a classification block, elapsedMs (f64), whether the deadline passed during
/// the attempt (u32), the caller's answer (0 none, 1 false, 2 true; 3: the client ends the
/// call with this response itself: [`Answer`]). Writes the decision,
/// whether to re-authenticate first, the call's new block words (attempt, flags, lease,
/// vendor), the policy's new state, the budget's tokens left (`u32::MAX` without one) and what
/// the attempt says of the service for a circuit breaker ([`super::layout::health_number`]) and
/// whether it was throttling, for a pacer (`1`).
pub fn step(bytes: &[u8], last: &Last, slots: &PolicySlots) -> Out {
    run_kept(|out| {
        let mut input = Input::new(bytes);
        let mut call = input.call()?;
        let mut policy = input.kept_policy(slots)?.ok_or(Failure::NotKept)?;
        let mut budget = input.budget()?;
        let c = input.classification(last)?;
        let elapsed = ms(input.f64()?);
        let deadline = input.u32()? != 0;
        let answer = match input.u32()? {
            1 => Answer::Veto,
            2 => Answer::Retry,
            3 => Answer::ClientEnds,
            _ => Answer::Policy,
        };
        let d = call.step(&mut policy, budget.as_mut(), &c, elapsed, deadline, answer);
        out.decision(&d.decision);
        out.push(u32::from(d.reauthenticate));
        call_words(&call).0.iter().for_each(|&w| out.push(w));
        policy_state(out, &policy);
        out.push(budget.map_or(u32::MAX, |b| b.available()));
        out.push(super::layout::health_number(Health::of(&c)));
        out.push(u32::from(is_throttling(&c)));
        Ok(())
    })
}

/// The end of a call: a call block, a budget block, whether it succeeded (u32). Writes the
/// budget's tokens left (`u32::MAX` without one).
pub fn finish(bytes: &[u8]) -> Out {
    run(|out| {
        let mut input = Input::new(bytes);
        let mut call = input.call()?;
        let mut budget = input.budget()?;
        let succeeded = input.u32()? != 0;
        call.finish(budget.as_mut(), succeeded);
        out.push(budget.map_or(u32::MAX, |b| b.available()));
        Ok(())
    })
}

/// `new RedisCoordinator(client, options)`: the options as an argument. Writes the
/// namespace, the key prefix, timeoutMs, budgetTtlMs (u64), then the shared budget's
/// capacity, retryCost, timeoutCost, successRefund and available (a full bucket), then
/// whether the fleet shares a breaker (`0`, or `1` and its failureThreshold, openMs (2),
/// halfOpenProbes), then whether it shares a pacer (`0`, or `1` and its maxWaitMs (2)).
pub fn coordinator(bytes: &[u8]) -> Out {
    run(|out| {
        let arg = Input::new(bytes).arg()?;
        let options = CoordinatorOptions::from_arg(&arg)?;
        out.text(options.namespace);
        out.text(options.key_prefix);
        out.push(options.timeout_ms);
        out.u64(options.budget_ttl_ms);
        budget_parts(&options)?.iter().for_each(|&w| out.push(w));
        match options.breaker {
            Some(b) => {
                out.push(1);
                out.push(b.failure_threshold);
                out.u64(b.open_ms);
                out.push(b.half_open_probes);
            }
            None => out.push(0),
        }
        match options.pacing {
            Some(p) => {
                out.push(1);
                out.u64(p.max_wait_ms);
            }
            None => out.push(0),
        }
        Ok(())
    })
}

/// Before an attempt of a coordinated call ([`crate::call::RetryCall::admit`]): a call
/// block, a kept policy, the namespace's wait (f64 ms), elapsedMs (f64). Writes the ms to
/// wait before sending (u64), or the error when the call may not wait that long.
pub fn admit(bytes: &[u8], slots: &PolicySlots) -> Out {
    run_kept(|out| {
        let mut input = Input::new(bytes);
        let call = input.call()?;
        let policy = input.kept_policy(slots)?.ok_or(Failure::NotKept)?;
        let wait = ms(input.f64()?);
        let elapsed = ms(input.f64()?);
        out.u64(call.admit(&policy, wait, elapsed)?);
        Ok(())
    })
}

/// `exitCode(classification)`: a classification block.
pub fn exit_code(bytes: &[u8], last: &Last) -> Out {
    run(|out| {
        let c = Input::new(bytes).classification(last)?;
        out.push(u32::from(c.exit_code()));
        Ok(())
    })
}

/// An error the JS layer found before calling the module, made here so every error comes
/// from one place: an array `[kind, name, expected, value]` with kind `"argument"` (`name`
/// must be `expected`, got `value`), `"freed"` (`name` is the freed class) or `"internal"`.
pub fn failure(bytes: &[u8]) -> Out {
    let e = match Input::new(bytes).arg() {
        Ok(Arg::Array(items)) => {
            let text = |i: usize| match items.get(i) {
                Some(Arg::String(s)) => (*s).to_string(),
                _ => alloc::string::String::new(),
            };
            let got = items.get(3).unwrap_or(&Arg::Undefined);
            match items.first() {
                Some(Arg::String("freed")) => Error::Freed {
                    what: text(1).into(),
                },
                Some(Arg::String("argument")) => Error::InvalidArgument {
                    name: text(1).into(),
                    expected: text(2).into(),
                    got: got.type_name().into(),
                },
                _ => Error::Internal {
                    what: "the module was restarted after a failure; start the call again",
                },
            }
        }
        Ok(_) => Error::Internal {
            what: "the JS layer asked for an unknown error",
        },
        Err(e) => e,
    };
    Out::error(&e)
}

#[cfg(test)]
mod tests;
