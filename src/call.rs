//! One call's retry state: the machine the JS executors (`fetchWithRetry`, `retry`) and the
//! client plug-ins drive.
//!
//! The executor performs I/O, sleeps and calls the caller's hooks; it reports what happened
//! to each attempt — a response, or an [`Outcome`] without one: a timeout, no connection, a
//! connection lost, the deadline passing — and acts on what comes back:
//!
//! 1. [`RetryCall::classify`] says what the outcome means (a response is classified as
//!    `classify()` does; the others say what happened).
//! 2. [`RetryCall::step`] decides: it asks the [`RetryPolicy`], remembers ambiguous failures
//!    (so a later 409 or busy answer can be reported as "probably went through"), allows
//!    exactly one re-authentication, stops a retry the request body cannot survive (a stream
//!    is sent once), applies the caller's `shouldRetry` answer within the bounds
//!    ([`RetryPolicy::overrule`]), gates a retry through the shared [`RetryBudget`] and counts
//!    the attempt.
//!
//! `step` is a function of its state: to show the caller's hook what the policy would do,
//! the executor steps copies of the call, the policy and the budget without an answer, then
//! steps the originals with the hook's answer. When the call ends, [`RetryCall::finish`]
//! settles the budget lease.

use crate::budget::{Lease, RetryBudget};
use crate::classify::classify_at;
use crate::model::{Action, Category, Classification, ErrorInput, Processed, Vendor};
use crate::prelude::*;
use crate::reason::Reason;
use crate::retry::{DecisionContext, RetryDecision, RetryPolicy};
use serde::Serialize;

/// What the executor knows about the request before its first attempt.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallRequest {
    /// The request's HTTP method, when known.
    pub method: Option<String>,
    /// The caller says sending it twice is harmless (an `Idempotency-Key` header).
    pub idempotent: bool,
    /// The caller gave a hook that refreshes credentials.
    pub can_reauthenticate: bool,
    /// False when the body is a stream, which can be sent only once.
    pub replayable: bool,
    /// The API's vendor, when the caller knows it (detected per response otherwise).
    pub vendor: Option<Vendor>,
}

/// How an attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome<'a> {
    /// A response with an error status arrived (its body possibly cut at the executor's cap).
    Response {
        /// The HTTP status.
        status: u16,
        /// Its headers.
        headers: &'a [(String, String)],
        /// Its body.
        body: &'a [u8],
        /// Its vendor, when this response names one; else the call's.
        vendor: Option<Vendor>,
    },
    /// No response within the attempt's time limit (`timeoutMs`, when the executor says
    /// it): the attempt was aborted.
    Timeout(Option<u64>),
    /// No connection could be made (refused, host not found): the request was not sent.
    NotSent,
    /// The connection failed after the request may have been sent (reset, closed, or a
    /// failure that does not say).
    ConnectionLost,
    /// The call's deadline passed while the attempt was running: it was aborted.
    DeadlinePassed,
}

/// A decision plus what the executor must do before the next attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallDecision {
    /// The decision (the policy's, possibly changed by the rules of the call, the caller's
    /// `shouldRetry` or the budget).
    #[serde(flatten)]
    pub decision: RetryDecision,
    /// Call the caller's `reauthenticate` hook before the next attempt.
    pub reauthenticate: bool,
}

/// The retry state of one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryCall {
    /// The attempt running now, 1-based.
    pub attempt: u32,
    /// The request.
    pub request: CallRequest,
    /// The one re-authentication was used.
    pub reauthenticated: bool,
    /// An earlier attempt ended ambiguously (`processed: maybe`).
    pub earlier_ambiguous_failure: bool,
    /// The tokens the last retry took from the budget, refunded if the call succeeds.
    pub lease_cost: Option<u32>,
}

impl RetryCall {
    /// A call about to make its first attempt.
    pub fn new(request: CallRequest) -> RetryCall {
        RetryCall {
            attempt: 1,
            request,
            reauthenticated: false,
            earlier_ambiguous_failure: false,
            lease_cost: None,
        }
    }

    /// The attempt that is running now (1-based).
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// Tells a call begun without a method what its request is, once it is known (the
    /// executor reads it from a client's error): the method, and whether the request carries
    /// an idempotency key. A method given at the start is kept.
    pub fn learn_request(&mut self, method: String, idempotent: bool) {
        if self.request.method.is_none() {
            self.request.method = Some(method);
            self.request.idempotent |= idempotent;
        }
    }

    /// Milliseconds left before the call's deadline (`deadlineMs`), `elapsed_ms` after the
    /// first attempt started: the longest the running attempt may take.
    pub fn remaining_ms(&self, policy: &RetryPolicy, elapsed_ms: u64) -> u64 {
        policy.resolved().deadline_ms.saturating_sub(elapsed_ms)
    }

    /// What to do after the current attempt ended with `c` (from [`RetryCall::classify`]),
    /// `elapsed_ms` after the first attempt started: the policy's decision with the call's
    /// own rules (one re-authentication; a stream body is never sent twice; after
    /// `deadline_passed` nothing is), the caller's `should_retry` answer applied within the
    /// bounds (`None`: no hook, or it returned `undefined`; a 409, a stream body and a passed
    /// deadline are never overruled into a retry), then the budget. Counts the attempt.
    pub fn step(
        &mut self,
        policy: &mut RetryPolicy,
        budget: Option<&mut RetryBudget>,
        c: &Classification,
        elapsed_ms: u64,
        deadline_passed: bool,
        should_retry: Option<bool>,
    ) -> CallDecision {
        let context = DecisionContext {
            attempt: self.attempt,
            elapsed_ms,
            method: self.request.method.clone(),
            earlier_ambiguous_failure: self.earlier_ambiguous_failure,
            idempotent: self.request.idempotent,
        };
        let mut decision = if deadline_passed {
            RetryDecision {
                retry: false,
                delay_ms: 0,
                reason: Reason::new("deadline: the ")
                    .n(policy.resolved().deadline_ms)
                    .s(" ms deadline (deadlineMs) passed during attempt ")
                    .n(self.attempt)
                    .s(", which was aborted; not retried."),
                attempt: self.attempt,
                earlier_attempt_may_have_succeeded: false,
            }
        } else {
            policy.decide(c, &context)
        };
        let mut reauthenticate = false;
        if c.action == Action::Reauthenticate && c.status != 409 && !deadline_passed {
            if !self.request.can_reauthenticate {
                decision.reason = Reason::new("reauthenticate: ")
                    .t(c.summary.as_str())
                    .s(" (no reauthenticate hook was given, so the call stops)");
            } else if self.reauthenticated {
                decision.reason = Reason::new(
                    "reauthenticate: the credentials were rejected again after refreshing them \
                     once; stopping",
                );
            } else if self.attempt >= policy.max_attempts_for(c) {
                decision.reason = Reason::new(
                    "max-attempts: the credentials were rejected on the last allowed \
                                 attempt (",
                )
                .n(self.attempt)
                .s(")");
            } else {
                reauthenticate = true;
                decision.retry = true;
                decision.delay_ms = 0;
            }
        }
        if decision.retry && !self.request.replayable {
            decision = not_replayable(decision);
            reauthenticate = false;
        }
        match should_retry {
            Some(false) if decision.retry => {
                decision = policy.overrule(c, &context, decision, false);
                reauthenticate = false;
            }
            Some(true) if !decision.retry && !deadline_passed && self.request.replayable => {
                decision = policy.overrule(c, &context, decision, true);
            }
            _ => {}
        }
        if let Some(budget) = budget {
            // Re-authentication is not a retry of a failing server: it costs no tokens.
            if decision.retry && !reauthenticate {
                let (gated, lease) = budget.gate(decision, c);
                decision = gated;
                if let Some(lease) = lease {
                    // Only the lease of the last retry is refunded on success (AWS SDK rule).
                    self.lease_cost = Some(lease.cost());
                }
            }
        }
        if c.processed == Processed::Maybe {
            self.earlier_ambiguous_failure = true;
        }
        let reauthenticate = reauthenticate && decision.retry;
        if reauthenticate {
            self.reauthenticated = true;
        }
        if decision.retry {
            self.attempt = self.attempt.saturating_add(1);
        }
        CallDecision {
            decision,
            reauthenticate,
        }
    }

    /// Ends the call: a success refunds the last retry's tokens (or the first-try refund), a
    /// failure refunds nothing. Settling twice is harmless: the lease is gone after the first.
    pub fn finish(&mut self, budget: Option<&mut RetryBudget>, succeeded: bool) {
        let lease = self.lease_cost.take().map(Lease::restored);
        if let Some(budget) = budget {
            if succeeded {
                budget.record_success(lease);
            } else {
                budget.record_failure(lease);
            }
        }
    }

    /// The classification of an outcome. A response is classified as `classify()` would,
    /// with the call's vendor; the other outcomes have no response (status 0) and say what
    /// happened instead. `now_ms` reads HTTP-dates.
    pub fn classify(&self, outcome: Outcome, now_ms: u64) -> Classification {
        let input = |status, headers: &[(String, String)], body: &[u8], vendor| ErrorInput {
            status,
            headers: headers.to_vec(),
            body: body.to_vec(),
            vendor,
            method: self.request.method.clone(),
        };
        let (category, processed, summary) = match outcome {
            Outcome::Response {
                status,
                headers,
                body,
                vendor,
            } => {
                let vendor = vendor.or(self.request.vendor);
                return classify_at(&input(status, headers, body, vendor), now_ms);
            }
            Outcome::Timeout(limit) => (
                Category::Timeout,
                Processed::Maybe,
                match limit {
                    Some(ms) => crate::cat!(
                        "No response within timeoutMs (",
                        ms,
                        " ms); the attempt was aborted, and the server may have processed the \
                         request."
                    ),
                    None => "No response in time; the attempt was aborted, and the server may \
                             have processed the request."
                        .to_string(),
                },
            ),
            Outcome::NotSent => (
                Category::Network,
                Processed::No,
                "No connection could be made (refused, or the host was not found): the request \
                 was not sent."
                    .to_string(),
            ),
            Outcome::ConnectionLost => (
                Category::Network,
                Processed::Maybe,
                "The connection failed before a response arrived; the server may have processed \
                 the request."
                    .to_string(),
            ),
            Outcome::DeadlinePassed => (
                Category::Timeout,
                Processed::Maybe,
                "The call's deadline (deadlineMs) passed during the attempt, which was aborted; \
                 the server may have processed the request."
                    .to_string(),
            ),
        };
        let mut c = classify_at(&input(0, &[], &[], self.request.vendor), now_ms);
        c.category = category;
        c.processed = processed;
        c.summary = summary;
        c
    }
}

/// A retry the request body cannot survive, turned into a stop.
fn not_replayable(decision: RetryDecision) -> RetryDecision {
    RetryDecision {
        retry: false,
        delay_ms: 0,
        reason: Reason::new(
            "stream-body: a ReadableStream body cannot be replayed, so the request is not sent \
             again (the policy would have retried: ",
        )
        .then(decision.reason)
        .s(")"),
        ..decision
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::BudgetOptions;
    use crate::retry::RetryOptions;

    fn seeded() -> RetryPolicy {
        RetryPolicy::new(RetryOptions {
            seed: Some(7),
            ..RetryOptions::default()
        })
        .unwrap()
    }

    fn call(method: &str) -> RetryCall {
        RetryCall::new(CallRequest {
            method: Some(method.to_string()),
            replayable: true,
            ..CallRequest::default()
        })
    }

    fn status(status: u16) -> Outcome<'static> {
        Outcome::Response {
            status,
            headers: &[],
            body: &[],
            vendor: None,
        }
    }

    /// One attempt judged without a `shouldRetry` answer.
    fn step(call: &mut RetryCall, policy: &mut RetryPolicy, outcome: Outcome) -> CallDecision {
        answered(call, policy, None, outcome, 0, None)
    }

    /// One attempt judged, `elapsed` ms in, with the caller's answer.
    fn answered(
        call: &mut RetryCall,
        policy: &mut RetryPolicy,
        budget: Option<&mut RetryBudget>,
        outcome: Outcome,
        elapsed: u64,
        answer: Option<bool>,
    ) -> CallDecision {
        let c = call.classify(outcome, 0);
        let deadline = outcome == Outcome::DeadlinePassed;
        call.step(policy, budget, &c, elapsed, deadline, answer)
    }

    fn tag(d: &CallDecision) -> &str {
        d.decision.reason.tag()
    }

    #[test]
    fn counts_attempts_until_the_policy_stops() {
        let mut policy = seeded();
        let mut call = call("GET");
        let mut retries = 0;
        while step(&mut call, &mut policy, status(503)).decision.retry {
            retries += 1;
            assert!(retries < 10);
        }
        assert_eq!(retries, 3, "4 attempts in all by default");
        assert_eq!(call.attempt(), 4);
    }

    #[test]
    fn reauthenticates_once_with_a_hook_and_never_without() {
        let mut policy = seeded();
        let mut with_hook = RetryCall::new(CallRequest {
            can_reauthenticate: true,
            replayable: true,
            ..CallRequest::default()
        });
        let first = step(&mut with_hook, &mut policy, status(401));
        assert!(first.reauthenticate && first.decision.retry);
        assert_eq!(first.decision.delay_ms, 0);
        let second = step(&mut with_hook, &mut policy, status(401));
        assert!(!second.reauthenticate && !second.decision.retry);
        let mut without = call("GET");
        let d = step(&mut without, &mut policy, status(401));
        assert!(!d.decision.retry && tag(&d) == "reauthenticate");
    }

    #[test]
    fn a_409_after_an_ambiguous_failure_probably_went_through() {
        let mut policy = seeded();
        let mut put = call("PUT");
        assert!(step(&mut put, &mut policy, status(502)).decision.retry);
        let d = step(&mut put, &mut policy, status(409)).decision;
        assert!(!d.retry && d.earlier_attempt_may_have_succeeded);
        let mut fresh = call("PUT");
        let d = step(&mut fresh, &mut policy, status(409)).decision;
        assert!(!d.earlier_attempt_may_have_succeeded);
        // A 503 was not processed: a 409 after it is an ordinary conflict.
        let mut after_503 = call("PUT");
        assert!(
            step(&mut after_503, &mut policy, status(503))
                .decision
                .retry
        );
        let d = step(&mut after_503, &mut policy, status(409)).decision;
        assert!(!d.earlier_attempt_may_have_succeeded);
    }

    #[test]
    fn a_post_is_not_sent_again_after_an_ambiguous_failure() {
        let mut policy = seeded();
        for outcome in [
            status(500),
            status(502),
            status(504),
            Outcome::Timeout(None),
            Outcome::ConnectionLost,
        ] {
            let d = step(&mut call("POST"), &mut policy, outcome);
            assert!(!d.decision.retry, "{outcome:?}");
            assert_eq!(tag(&d), "non-idempotent", "{outcome:?}");
        }
        for outcome in [
            status(503),
            status(429),
            status(408),
            status(425),
            Outcome::NotSent,
        ] {
            let d = step(&mut call("POST"), &mut policy, outcome);
            assert!(d.decision.retry, "{outcome:?}: {}", d.decision.reason);
        }
        let mut keyed = RetryCall::new(CallRequest {
            method: Some("POST".into()),
            idempotent: true,
            replayable: true,
            ..CallRequest::default()
        });
        assert!(step(&mut keyed, &mut policy, status(500)).decision.retry);
    }

    #[test]
    fn a_busy_answer_after_an_ambiguous_failure_stops_a_post() {
        let mut policy = RetryPolicy::new(RetryOptions {
            seed: Some(7),
            non_idempotent: Some(crate::retry::NonIdempotent::Retry),
            ..RetryOptions::default()
        })
        .unwrap();
        let mut post = call("POST");
        let first = step(&mut post, &mut policy, status(500));
        assert!(first.decision.retry && first.decision.reason.contains("Warning: POST"));
        let busy = Outcome::Response {
            status: 400,
            headers: &[],
            body: br#"{"errorCode":"140","errorMessage":"Export Already in Progress"}"#,
            vendor: None,
        };
        let d = step(&mut post, &mut policy, busy);
        assert!(!d.decision.retry);
        assert_eq!(tag(&d), "busy-after-ambiguous");
        assert!(d.decision.earlier_attempt_may_have_succeeded);
        assert!(d.decision.reason.contains("read the job's state"));
        // Busy on the first attempt is an ordinary wait.
        let d = step(&mut call("POST"), &mut policy, busy);
        assert!(d.decision.retry && tag(&d) == "busy-schedule");
    }

    #[test]
    fn should_retry_vetoes_and_allows_within_the_bounds() {
        let mut policy = seeded();
        let mut get = call("GET");
        let d = answered(&mut get, &mut policy, None, status(503), 0, Some(false));
        assert!(!d.decision.retry && tag(&d) == "caller-veto");

        let mut post = call("POST");
        let proposal = post.clone().step(
            &mut policy.clone(),
            None,
            &post.classify(status(500), 0),
            0,
            false,
            None,
        );
        assert!(!proposal.decision.retry);
        let d = answered(&mut post, &mut policy, None, status(500), 0, Some(true));
        assert!(d.decision.retry && tag(&d) == "caller-retry", "{d:?}");
        assert!(d.decision.reason.contains("non-idempotent"));
        assert_eq!(post.attempt(), 2);

        let mut conflict = call("POST");
        let d = answered(&mut conflict, &mut policy, None, status(409), 0, Some(true));
        assert!(!d.decision.retry && tag(&d) == "409-never");

        let mut last = call("GET");
        for _ in 0..3 {
            assert!(!step(&mut last, &mut policy, status(400)).decision.retry);
            last.attempt += 1; // as if earlier attempts had been retried
        }
        let d = answered(&mut last, &mut policy, None, status(400), 0, Some(true));
        assert!(!d.decision.retry && tag(&d) == "max-attempts", "{d:?}");

        let mut late = call("GET");
        let d = answered(
            &mut late,
            &mut policy,
            None,
            status(400),
            299_999,
            Some(true),
        );
        assert!(
            !d.decision.retry && d.decision.reason.contains("deadline"),
            "{d:?}"
        );
    }

    #[test]
    fn a_stream_body_is_sent_once_whatever_the_caller_says() {
        let mut policy = seeded();
        let mut stream = RetryCall::new(CallRequest {
            method: Some("PUT".into()),
            ..CallRequest::default()
        });
        let proposal = stream.clone().step(
            &mut policy.clone(),
            None,
            &stream.classify(status(503), 0),
            0,
            false,
            None,
        );
        assert!(!proposal.decision.retry);
        let d = answered(&mut stream, &mut policy, None, status(503), 0, Some(true));
        assert!(!d.decision.retry && tag(&d) == "stream-body", "{d:?}");
    }

    #[test]
    fn outcomes_without_a_response_say_what_happened() {
        let mut policy = seeded();
        let mut get = call("GET");
        let c = get.classify(Outcome::Timeout(Some(100)), 0);
        let d = get.step(&mut policy, None, &c, 0, false, None);
        assert_eq!(
            (c.status, c.category, c.processed),
            (0, Category::Timeout, Processed::Maybe)
        );
        assert!(d.decision.retry);
        let c = call("GET").classify(Outcome::NotSent, 0);
        assert_eq!(
            (c.category, c.processed),
            (Category::Network, Processed::No)
        );
        let mut late = call("GET");
        let c = late.classify(Outcome::DeadlinePassed, 0);
        assert_eq!(c.category, Category::Timeout);
        let d = late.clone().step(&mut policy, None, &c, 0, true, None);
        assert!(!d.decision.retry && tag(&d) == "deadline");
        let d = late.step(&mut policy, None, &c, 0, true, Some(true));
        assert!(!d.decision.retry, "the deadline is not overruled");
    }

    #[test]
    fn the_budget_bounds_retries_and_refunds_the_last_lease_on_success() {
        let mut policy = seeded();
        let mut budget = RetryBudget::new(BudgetOptions {
            capacity: Some(10),
            ..Default::default()
        })
        .unwrap();
        let mut get = call("GET");
        for _ in 0..2 {
            assert!(
                answered(
                    &mut get,
                    &mut policy,
                    Some(&mut budget),
                    status(500),
                    0,
                    None
                )
                .decision
                .retry
            );
        }
        assert_eq!(budget.available(), 0);
        let d = answered(
            &mut get,
            &mut policy,
            Some(&mut budget),
            status(500),
            0,
            None,
        );
        assert!(!d.decision.retry && tag(&d) == "budget");
        get.finish(Some(&mut budget), true);
        assert_eq!(budget.available(), 5, "the last retry's 5 tokens come back");
        get.finish(Some(&mut budget), true);
        assert!(budget.available() <= 10);
        // An allowed override is a retry like any other: it pays.
        let before = budget.available();
        let mut post = call("POST");
        let d = answered(
            &mut post,
            &mut policy,
            Some(&mut budget),
            status(500),
            0,
            Some(true),
        );
        assert!(d.decision.retry);
        assert_eq!(budget.available(), before - 5);
    }
}
