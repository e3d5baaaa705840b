//! The decision rules: [`RetryPolicy::decide`] (the policy's own answer after an attempt) and
//! [`RetryPolicy::overrule`] (the caller's `shouldRetry` answer, applied within the bounds).

use super::{
    DecisionContext, NonIdempotent, RetryDecision, RetryPolicy, Schedule, ScheduleKind,
    DEFAULT_NON_IDEMPOTENT,
};
use crate::classify::{http_rule, processed};
use crate::model::{Action, Category, Classification, Processed};
use crate::reason::{Message as M, Param as P, Reason};

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
            return stop(if c.items.is_empty() {
                Reason::of(M::Ok).status(status)
            } else {
                Reason::of(M::OkItems)
                    .status(status)
                    .n(P::FailedItems, c.items.len() as u64)
            });
        }

        if status == 409 {
            if ctx.earlier_ambiguous_failure {
                let mut d = stop(Reason::of(M::Never409Ambiguous));
                d.earlier_attempt_may_have_succeeded = true;
                return d;
            }
            return stop(Reason::of(M::Never409));
        }

        let trust = self.options.trust_vendor_codes.unwrap_or(true);
        let (category, action) = self.effective_meaning(c);

        if action == Action::Reauthenticate {
            return stop(Reason::of(M::Reauthenticate).status(status));
        }

        if !action.is_retryable() {
            let vendor_overrides_http = http_rule(status).action.is_retryable();
            let ambiguous = category == Category::Conflict && ctx.earlier_ambiguous_failure;
            let reason = if trust && (500..=599).contains(&status) && vendor_overrides_http {
                let message = match (c.code.is_some(), ambiguous) {
                    (false, false) => M::VendorPermanent,
                    (true, false) => M::VendorPermanentCode,
                    (false, true) => M::VendorPermanentAmbiguous,
                    (true, true) => M::VendorPermanentCodeAmbiguous,
                };
                let r = Reason::of(message);
                // A registered vendor's id is not static data (`Out::fixed`).
                let r = if c.vendor.is_built_in() {
                    r.w(P::Vendor, c.vendor.id())
                } else {
                    r.t(P::Vendor, c.vendor.id())
                };
                let r = match c.code.as_deref() {
                    Some(code) => r.t(P::Code, code),
                    None => r,
                };
                r.status(status)
                    .w(P::Category, category.name())
                    .t(P::Summary, c.summary.as_str())
            } else {
                Reason::of(if ambiguous {
                    M::NotRetryableAmbiguous
                } else {
                    M::NotRetryable
                })
                .status(status)
                .w(P::Category, category.name())
                .w(P::Action, action.name())
            };
            let mut d = stop(reason);
            d.earlier_attempt_may_have_succeeded = ambiguous;
            return d;
        }

        let schedule = self.schedule_of(c, action);
        let mut warning = None;
        if !ctx.request_is_idempotent() {
            let method = ctx.method.as_deref().unwrap_or_default().trim();
            if category == Category::Busy && ctx.earlier_ambiguous_failure {
                let mut d = stop(
                    Reason::of(M::BusyAfterAmbiguous)
                        .t(P::Method, method)
                        .status(status)
                        .w(P::Category, category.name()),
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
                            Reason::of(M::NonIdempotent)
                                .t(P::Method, method)
                                .status(status)
                                .w(P::Category, category.name()),
                        );
                    }
                    NonIdempotent::Retry => warning = Some(method),
                }
            }
        }

        if attempt >= schedule.max_attempts {
            return stop(
                Reason::of(M::MaxAttempts)
                    .n(P::Attempt, attempt)
                    .n(P::MaxAttempts, schedule.max_attempts)
                    .w(P::Schedule, schedule.kind.name())
                    .status(status),
            );
        }

        let max_wait = self.resolved().max_retry_after_ms;
        if let Some(w) = c.retry_after_ms {
            if w > max_wait {
                let mut d = stop(
                    Reason::of(M::ServerWaitTooLong)
                        .n(P::ServerWaitMs, w)
                        .n(P::MaxRetryAfterMs, max_wait),
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
        let jitter = schedule.jitter.name();
        let source = schedule.preset.map_or(BACKOFF, |p| p.vendor.id());
        let warned = warning.is_some();
        let pick = |plain: M, warned_message: M| if warned { warned_message } else { plain };
        let reason = match c.retry_after_ms {
            Some(w) if w >= backoff => Reason::of(pick(M::ServerWait, M::ServerWaitWarning))
                .status(status)
                .n(P::ServerWaitMs, w),
            Some(w) => Reason::of(pick(M::ServerWaitBackoff, M::ServerWaitBackoffWarning))
                .status(status)
                .n(P::ServerWaitMs, w)
                .w(P::Source, source)
                .w(P::Jitter, jitter)
                .n(P::DelayMs, delay),
            None if schedule.kind == ScheduleKind::Busy => {
                Reason::of(pick(M::BusySchedule, M::BusyScheduleWarning))
                    .status(status)
                    .n(P::DelayMs, delay)
                    .w(P::Jitter, jitter)
            }
            None if (500..=599).contains(&status) => {
                Reason::of(pick(M::Backoff5xx, M::Backoff5xxWarning))
                    .status(status)
                    .n(P::DelayMs, delay)
                    .w(P::Source, source)
                    .w(P::Jitter, jitter)
            }
            None => Reason::of(pick(M::Backoff, M::BackoffWarning))
                .status(status)
                .w(P::Category, category.name())
                .n(P::DelayMs, delay)
                .w(P::Source, source)
                .w(P::Jitter, jitter),
        };
        let reason = reason.n(P::NextAttempt, next).n(P::MaxAttempts, of);
        let reason = match warning {
            Some(m) => reason.t(P::Method, m),
            None => reason,
        };
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
                reason: Reason::of(M::CallerVeto).overrules(decision.reason),
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
                Reason::of(M::RefusedNeverSentAgain)
                    .status(status)
                    .adds_to(decision.reason.clone()),
            );
        }
        let attempt = ctx.attempt.max(1);
        let (_, action) = self.effective_meaning(c);
        let schedule = self.schedule_of(c, action);
        if attempt >= schedule.max_attempts {
            return refused(
                Reason::of(M::MaxAttemptsCallerRetry)
                    .n(P::Attempt, attempt)
                    .n(P::MaxAttempts, schedule.max_attempts)
                    .w(P::Schedule, schedule.kind.name())
                    .overrules(decision.reason.clone()),
            );
        }
        let delay = match self.next_delay(c, ctx, &schedule) {
            Ok((_, delay)) => delay,
            Err(delay) => {
                return refused(
                    Reason::of(M::RefusedDeadline)
                        .adds_to(decision.reason.clone())
                        .refused_by(self.deadline_reason(c, ctx, delay)),
                )
            }
        };
        RetryDecision {
            retry: true,
            delay_ms: delay,
            reason: Reason::of(M::CallerRetry)
                .n(P::DelayMs, delay)
                .n(P::NextAttempt, attempt + 1)
                .n(P::MaxAttempts, schedule.max_attempts)
                .overrules(decision.reason),
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
        Reason::of(M::Deadline)
            .n(P::DelayMs, delay)
            .n(P::ElapsedMs, ctx.elapsed_ms)
            .n(P::DeadlineMs, self.resolved().deadline_ms)
            .status(c.status)
    }
}

/// `params.source` when the delays are the options' exponential backoff (a vendor preset's
/// are its vendor's id).
const BACKOFF: &str = "backoff";
