//! The decision rules: [`RetryPolicy::decide`] (the policy's own answer after an attempt) and
//! [`RetryPolicy::overrule`] (the caller's `shouldRetry` answer, applied within the bounds).

use super::{
    DecisionContext, NonIdempotent, RetryDecision, RetryPolicy, Schedule, ScheduleKind,
    DEFAULT_NON_IDEMPOTENT,
};
use crate::classify::{http_rule, processed};
use crate::model::{Action, Category, Classification, Processed};
use crate::reason::{Param as P, Reason};

impl RetryPolicy {
    /// What to do after attempt `ctx.attempt` ended with `c`. The rules, in order
    /// (`docs/design.md`, "Retry rules"):
    ///
    /// 1. 2xx → not retried (`ok`).
    /// 2. 409 → never retried (`409-never`); after an ambiguous earlier failure the decision
    ///    says the earlier attempt probably went through.
    /// 3. `reauthenticate` (401) → `retry: false`, delay 0 (`reauthenticate`). The per-call
    ///    state machine, not the policy, lets the executor refresh credentials through the
    ///    caller's hook and send the request once more; a second 401 stops. Keeping that out
    ///    of the policy keeps the "exactly once" in one place.
    /// 4. A non-retryable action: on a 5xx the vendor documents as permanent
    ///    (`vendor-permanent`, only while `trustVendorCodes`), else `not-retryable`. With
    ///    `trustVendorCodes: false` the category and action are the plain HTTP rule's.
    /// 5. A request that is not idempotent ([`DecisionContext::request_is_idempotent`]):
    ///    a busy answer after an ambiguous failure stops (`busy-after-ambiguous`, with
    ///    `earlierAttemptMayHaveSucceeded`): the earlier attempt probably started the job.
    ///    Otherwise it is sent again only when it was provably not processed
    ///    ([`Classification::processed`] is `no`), when a vendor preset applies (the vendor
    ///    documents retrying that failure), or with `nonIdempotent: "retry"` (the reason then
    ///    warns); else `non-idempotent`.
    /// 6. The schedule ([`RetryPolicy::schedule_for`]): attempts used up → `max-attempts`.
    /// 7. A server wait above `maxRetryAfterMs` → `server-wait-too-long`, `retry: false`,
    ///    `delayMs` = the server's wait, unshortened.
    /// 8. Delay = the jittered backoff, or `max(server wait, jittered backoff)`: the server's
    ///    wait is when retrying becomes useful, a floor, not a deadline; when our own backoff
    ///    has grown past it we keep the larger, jittered value, which also spreads clients
    ///    whose waits expire together. So a delay is either ≤ the cap or exactly the server's
    ///    wait (≤ `maxRetryAfterMs`).
    /// 9. `elapsedMs + delay > deadlineMs` → `deadline`.
    pub fn decide(&mut self, c: &Classification, ctx: &DecisionContext) -> RetryDecision {
        let attempt = ctx.attempt.max(1);
        if attempt == 1 {
            self.prev_delay_ms = None;
        }
        let status = c.status;
        let stop = |reason: Reason| RetryDecision {
            retry: false,
            delay_ms: 0,
            reason,
            attempt: ctx.attempt,
            earlier_attempt_may_have_succeeded: false,
        };

        if (200..=299).contains(&status) {
            let ok = Reason::new("ok: ").status(status);
            return stop(if c.items.is_empty() {
                ok.s(" succeeded; nothing to retry.")
            } else {
                ok.s(" succeeded but ").n(P::FailedItems, c.items.len() as u64).s(
                    " item(s) failed; retrying the whole request is not the fix, handle the items.",
                )
            });
        }

        if status == 409 {
            let never = Reason::new(
                "409-never: a conflict is never retried: sending the same request again gives \
                 the same conflict.",
            );
            if ctx.earlier_ambiguous_failure {
                let mut d = stop(never.s(
                    " An earlier attempt ended in a 5xx, timeout or lost connection: it probably \
                     went through; read the resource's current state.",
                ));
                d.earlier_attempt_may_have_succeeded = true;
                return d;
            }
            return stop(never);
        }

        let trust = self.options.trust_vendor_codes.unwrap_or(true);
        let (category, action) = self.effective_meaning(c);

        if action == Action::Reauthenticate {
            return stop(Reason::new("reauthenticate: ").status(status).s(
                " means the credentials were rejected; the executor refreshes them (its \
                 `reauthenticate` hook) and sends the request once more.",
            ));
        }

        if !action.is_retryable() {
            let vendor_overrides_http = http_rule(status).action.is_retryable();
            let reason =
                if trust && (500..=599).contains(&status) && vendor_overrides_http {
                    let r = Reason::new("vendor-permanent: ");
                    // A registered vendor's id is not static data (`Out::fixed`).
                    let r = if c.vendor.is_built_in() {
                        r.w(P::Vendor, c.vendor.id())
                    } else {
                        r.t(P::Vendor, c.vendor.id())
                    };
                    let mut r = r.s(" documents ");
                    if let Some(code) = c.code.as_deref() {
                        r = r.s("code ").t(P::Code, code).s(" on ");
                    }
                    r.status(status)
                    .s(" as permanent (")
                    .w(P::Category, category.name())
                    .s("): ")
                    .t(P::Summary, c.summary.as_str())
                    .s(" Retrying cannot help; trustVendorCodes: false applies the plain HTTP \
                        rules.")
                } else {
                    Reason::new("not-retryable: ")
                        .status(status)
                        .s(" is ")
                        .w(P::Category, category.name())
                        .s(" (action ")
                        .w(P::Action, action.name())
                        .s("): sending it again as it is cannot succeed.")
                };
            if category == Category::Conflict && ctx.earlier_ambiguous_failure {
                let mut d = stop(
                    reason.s(" An earlier attempt ended ambiguously: it probably went through."),
                );
                d.earlier_attempt_may_have_succeeded = true;
                return d;
            }
            return stop(reason);
        }

        let schedule = self.schedule_of(c, action);
        let mut warning = None;
        if !ctx.request_is_idempotent() {
            let method = ctx.method.as_deref().unwrap_or_default().trim();
            if category == Category::Busy && ctx.earlier_ambiguous_failure {
                let mut d = stop(
                    Reason::new("busy-after-ambiguous: ")
                        .t(P::Method, method)
                        .s(" got ")
                        .status(status)
                        .s(" (")
                        .w(P::Category, category.name())
                        .s(
                            ": an operation is already running) after an earlier attempt ended \
                             ambiguously: that attempt probably started it. Not sent again; read \
                             the job's state instead.",
                        ),
                );
                d.earlier_attempt_may_have_succeeded = true;
                return d;
            }
            let processed = if trust {
                c.processed
            } else {
                processed(status, category)
            };
            let vendor_documented = schedule.kind == ScheduleKind::Preset;
            if processed != Processed::No && !vendor_documented {
                match self
                    .options
                    .non_idempotent
                    .unwrap_or(DEFAULT_NON_IDEMPOTENT)
                {
                    NonIdempotent::SafeOnly => {
                        return stop(
                            Reason::new("non-idempotent: ")
                                .t(P::Method, method)
                                .s(" ended in ")
                                .status(status)
                                .s(" (")
                                .w(P::Category, category.name())
                                .s("); the server may have processed it, and sending it again \
                                     could run it twice (RFC 9110 §9.2.2). Read the resource's \
                                     state before sending it again; an Idempotency-Key header \
                                     (or idempotent: true) or nonIdempotent: \"retry\" allows \
                                     retries."),
                        );
                    }
                    NonIdempotent::Retry => warning = Some(method),
                }
            }
        }

        if attempt >= schedule.max_attempts {
            return stop(
                Reason::new("max-attempts: attempt ")
                    .n(P::Attempt, attempt)
                    .s(" of ")
                    .n(P::MaxAttempts, schedule.max_attempts)
                    .s(" (")
                    .w(P::Schedule, schedule_name(&schedule))
                    .s(") ended in ")
                    .status(status)
                    .s("; no attempts left."),
            );
        }

        let max_wait = self.resolved().max_retry_after_ms;
        if let Some(w) = c.retry_after_ms {
            if w > max_wait {
                let mut d = stop(
                    Reason::new("server-wait-too-long: the server asked to wait ")
                        .n(P::ServerWaitMs, w)
                        .s(" ms, more than maxRetryAfterMs (")
                        .n(P::MaxRetryAfterMs, max_wait)
                        .s(" ms); the wait is not shortened. Come back after ")
                        .n(P::ServerWaitMs, w)
                        .s(" ms or raise maxRetryAfterMs."),
                );
                d.delay_ms = w;
                return d;
            }
        }

        let (backoff, delay) = match self.next_delay(c, ctx, &schedule) {
            Ok(delays) => delays,
            Err(delay) => return stop(self.deadline_reason(c, ctx, delay)),
        };

        let next = attempt + 1;
        let of = schedule.max_attempts;
        let jitter = jitter_name(schedule.jitter);
        let source = schedule.preset.map_or("exponential backoff", |p| p.source);
        let attempt_of = |r: Reason| r.n(P::NextAttempt, next).s(" of ").n(P::MaxAttempts, of);
        let mut reason = match c.retry_after_ms {
            Some(w) if w >= backoff => attempt_of(
                Reason::new("server-wait: ")
                    .status(status)
                    .s("; the server asked to wait ")
                    .n(P::ServerWaitMs, w)
                    .s(" ms: waiting exactly that before attempt "),
            )
            .s("."),
            Some(w) => attempt_of(
                Reason::new("server-wait: ")
                    .status(status)
                    .s("; the server asked to wait ")
                    .n(P::ServerWaitMs, w)
                    .s(" ms, our backoff (")
                    .w(P::Source, source)
                    .s(", ")
                    .w(P::Jitter, jitter)
                    .s(") is longer: waiting ")
                    .n(P::DelayMs, delay)
                    .s(" ms before attempt "),
            )
            .s("."),
            None if schedule.kind == ScheduleKind::Busy => attempt_of(
                Reason::new("busy-schedule: ")
                    .status(status)
                    .s(": an operation is already running on the resource; waiting ")
                    .n(P::DelayMs, delay)
                    .s(" ms (")
                    .w(P::Jitter, jitter)
                    .s(") for it to finish before attempt "),
            )
            .s("."),
            None if (500..=599).contains(&status) => attempt_of(
                Reason::new("5xx-backoff: ")
                    .status(status)
                    .s(" is a server failure; retrying after ")
                    .n(P::DelayMs, delay)
                    .s(" ms (")
                    .w(P::Source, source)
                    .s(", ")
                    .w(P::Jitter, jitter)
                    .s("), attempt "),
            )
            .s("."),
            None => attempt_of(
                Reason::new("backoff: ")
                    .status(status)
                    .s(" (")
                    .w(P::Category, category.name())
                    .s(") is transient; retrying after ")
                    .n(P::DelayMs, delay)
                    .s(" ms (")
                    .w(P::Source, source)
                    .s(", ")
                    .w(P::Jitter, jitter)
                    .s("), attempt "),
            )
            .s("."),
        };
        if let Some(m) = warning {
            reason = reason.s(" Warning: ").t(P::Method, m).s(
                " is not idempotent and the first attempt may have been processed; the retry \
                 may run it twice (nonIdempotent is \"retry\").",
            );
        }
        RetryDecision {
            retry: true,
            delay_ms: delay,
            reason,
            attempt: ctx.attempt,
            earlier_attempt_may_have_succeeded: false,
        }
    }

    /// Applies the caller's `shouldRetry` answer to the policy's `decision` for the same
    /// attempt (`docs/design.md`, "Retry rules", the caller's say):
    ///
    /// * `false` turns a retry into a stop (`caller-veto`);
    /// * `true` turns a stop into a retry (`caller-retry`), except for a 2xx or a 409, and
    ///   only within the bounds: the schedule's attempts and the deadline (the budget is the
    ///   per-call state machine's). Its delay is the backoff of the schedule, or the server's
    ///   wait when that is longer (not capped by `maxRetryAfterMs`: the caller asked for it).
    ///   Out of bounds, the stop stands and its reason says why the request was refused.
    ///
    /// Either way the reason records the override and what the policy had said.
    pub fn overrule(
        &mut self,
        c: &Classification,
        ctx: &DecisionContext,
        decision: RetryDecision,
        should_retry: bool,
    ) -> RetryDecision {
        if decision.retry == should_retry {
            return decision;
        }
        if !should_retry {
            return RetryDecision {
                retry: false,
                delay_ms: 0,
                reason: Reason::new(
                    "caller-veto: shouldRetry returned false; the policy would have retried (",
                )
                .then(decision.reason)
                .s(")"),
                ..decision
            };
        }
        let refused = |reason: Reason| RetryDecision {
            reason,
            ..decision.clone()
        };
        let status = c.status;
        if (200..=299).contains(&status) || status == 409 {
            return refused(
                decision
                    .reason
                    .clone()
                    .s(" shouldRetry returned true, but a ")
                    .s(if status == 409 { "409" } else { "2xx" })
                    .s(" is never sent again."),
            );
        }
        let attempt = ctx.attempt.max(1);
        let (_, action) = self.effective_meaning(c);
        let schedule = self.schedule_of(c, action);
        if attempt >= schedule.max_attempts {
            return refused(
                Reason::new("max-attempts: shouldRetry returned true, but attempt ")
                    .n(P::Attempt, attempt)
                    .s(" of ")
                    .n(P::MaxAttempts, schedule.max_attempts)
                    .s(" (")
                    .w(P::Schedule, schedule_name(&schedule))
                    .s(") was the last. The policy had said: ")
                    .then(decision.reason.clone()),
            );
        }
        let delay = match self.next_delay(c, ctx, &schedule) {
            Ok((_, delay)) => delay,
            Err(delay) => {
                return refused(
                    decision
                        .reason
                        .clone()
                        .s(" shouldRetry returned true, but ")
                        .then(self.deadline_reason(c, ctx, delay)),
                )
            }
        };
        RetryDecision {
            retry: true,
            delay_ms: delay,
            reason: Reason::new("caller-retry: shouldRetry returned true; retrying after ")
                .n(P::DelayMs, delay)
                .s(" ms, attempt ")
                .n(P::NextAttempt, attempt + 1)
                .s(" of ")
                .n(P::MaxAttempts, schedule.max_attempts)
                .s(". The policy had said: ")
                .then(decision.reason),
            ..decision
        }
    }

    /// The jittered backoff and the delay (`max(server wait, backoff)`) before the next
    /// attempt; `Err(delay)` when that wait would end past the deadline. For decorrelated
    /// jitter the backoff is remembered when it is used.
    fn next_delay(
        &mut self,
        c: &Classification,
        ctx: &DecisionContext,
        schedule: &Schedule,
    ) -> Result<(u64, u64), u64> {
        let backoff = self.backoff(schedule, ctx.attempt.max(1));
        let delay = c.retry_after_ms.map_or(backoff, |w| w.max(backoff));
        if ctx.elapsed_ms.saturating_add(delay) > self.resolved().deadline_ms {
            return Err(delay);
        }
        if schedule.jitter == super::Jitter::Decorrelated {
            self.prev_delay_ms = Some(backoff);
        }
        Ok((backoff, delay))
    }

    /// The `deadline` reason for a wait of `delay` that would end past the deadline.
    fn deadline_reason(&self, c: &Classification, ctx: &DecisionContext, delay: u64) -> Reason {
        Reason::new("deadline: waiting ")
            .n(P::DelayMs, delay)
            .s(" ms after ")
            .n(P::ElapsedMs, ctx.elapsed_ms)
            .s(" ms would pass the ")
            .n(P::DeadlineMs, self.resolved().deadline_ms)
            .s(" ms deadline (deadlineMs); ")
            .status(c.status)
            .s(" is not retried.")
    }
}

fn schedule_name(schedule: &Schedule) -> &'static str {
    match schedule.kind {
        ScheduleKind::Busy => "busy schedule",
        ScheduleKind::Preset => "vendor preset",
        ScheduleKind::Main => "maxAttempts",
    }
}

fn jitter_name(j: super::Jitter) -> &'static str {
    match j {
        super::Jitter::Full => "full jitter",
        super::Jitter::Equal => "equal jitter",
        super::Jitter::Decorrelated => "decorrelated jitter",
        super::Jitter::None => "no jitter",
    }
}
