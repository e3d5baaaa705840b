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
use crate::classify::{classify_parts, Parts, Summary};
use crate::model::{Action, Category, Classification, Processed, Vendor};
use crate::prelude::*;
use crate::reason::{Message, Param, Reason};
use crate::retry::{DecisionContext, RetryDecision, RetryPolicy};
use crate::texts::TextOf;
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
    /// `deadline_passed` nothing is), the caller's [`Answer`] applied within the bounds (a
    /// 409, a stream body and a passed deadline are never overruled into a retry; a response
    /// the client ends the call with is a stop), then the budget. Counts the attempt.
    pub fn step(
        &mut self,
        policy: &mut RetryPolicy,
        budget: Option<&mut RetryBudget>,
        c: &Classification,
        elapsed_ms: u64,
        deadline_passed: bool,
        answer: impl Into<Answer>,
    ) -> CallDecision {
        let answer = answer.into();
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
                reason: Reason::of(Message::DeadlineAborted)
                    .n(Param::DeadlineMs, policy.resolved().deadline_ms)
                    .n(Param::Attempt, self.attempt),
                attempt: self.attempt,
                earlier_attempt_may_have_succeeded: false,
            }
        } else {
            policy.decide(c, &context)
        };
        let mut reauthenticate = false;
        if c.action == Action::Reauthenticate && c.status != 409 && !deadline_passed {
            if !self.request.can_reauthenticate {
                decision.reason =
                    Reason::of(Message::ReauthenticateNoHook).t(Param::Summary, c.summary.as_str());
            } else if self.reauthenticated {
                decision.reason = Reason::of(Message::ReauthenticateAgain);
            } else if self.attempt >= policy.max_attempts_for(c) {
                decision.reason =
                    Reason::of(Message::MaxAttemptsReauthenticate).n(Param::Attempt, self.attempt);
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
        match answer {
            Answer::ClientEnds if decision.retry => {
                decision = client_final(decision);
                reauthenticate = false;
            }
            Answer::Veto if decision.retry => {
                decision = policy.overrule(c, &context, decision, false);
                reauthenticate = false;
            }
            Answer::Retry if !decision.retry && !deadline_passed && self.request.replayable => {
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
        self.classify_parts(outcome, now_ms).into_classification()
    }

    /// [`RetryCall::classify`], its fixed texts kept borrowed and their ids given.
    pub(crate) fn classify_parts(&self, outcome: Outcome, now_ms: u64) -> Parts {
        let now = || now_ms;
        let (category, processed, text) = match outcome {
            Outcome::Response {
                status,
                headers,
                body,
                vendor,
            } => {
                let vendor = vendor.or(self.request.vendor);
                return classify_parts(status, headers, body, vendor, &now);
            }
            Outcome::Timeout(Some(_)) => (Category::Timeout, Processed::Maybe, OUTCOME_TEXTS[0]),
            Outcome::Timeout(None) => (Category::Timeout, Processed::Maybe, OUTCOME_TEXTS[1]),
            Outcome::NotSent => (Category::Network, Processed::No, OUTCOME_TEXTS[2]),
            Outcome::ConnectionLost => (Category::Network, Processed::Maybe, OUTCOME_TEXTS[3]),
            Outcome::DeadlinePassed => (Category::Timeout, Processed::Maybe, OUTCOME_TEXTS[4]),
        };
        let mut c = classify_parts(0, &[], &[], self.request.vendor, &now);
        c.category = category;
        c.processed = processed;
        c.summary_of = Some(TextOf::Rule(text.0));
        c.summary = match outcome {
            Outcome::Timeout(Some(ms)) => {
                c.text_param = Some((TIMEOUT_PARAM, ms));
                let placeholder = crate::cat!("{", TIMEOUT_PARAM, "}");
                Summary::Owned(text.1.replace(&placeholder, &crate::cat!(ms)))
            }
            _ => Summary::Fixed(text.1),
        };
        c
    }
}

/// The name of the attempt's time limit in [`OUTCOME_TEXTS`]' first text.
const TIMEOUT_PARAM: &str = "timeoutMs";

/// The summaries of the attempts without a response: the id of each text (without
/// `.summary`) and its English, ICU MessageFormat (the first over `timeoutMs`). In the order
/// [`RetryCall::classify_parts`] takes them: a timeout with a known limit, one without, no
/// connection, a lost connection, the call's deadline.
pub const OUTCOME_TEXTS: [(&str, &str); 5] = [
    (
        "outcome.timeout-ms",
        "No response within timeoutMs ({timeoutMs} ms); the attempt was aborted, and the server \
         may have processed the request.",
    ),
    (
        "outcome.timeout",
        "No response in time; the attempt was aborted, and the server may have processed the \
         request.",
    ),
    (
        "outcome.not-sent",
        "No connection could be made (refused, or the host was not found): the request was not \
         sent.",
    ),
    (
        "outcome.connection-lost",
        "The connection failed before a response arrived; the server may have processed the \
         request.",
    ),
    (
        "outcome.deadline",
        "The call's deadline (deadlineMs) passed during the attempt, which was aborted; the \
         server may have processed the request.",
    ),
];

/// What the caller says of a judged attempt, beside the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Nothing: no `shouldRetry` hook, or it returned `undefined`.
    Policy,
    /// `shouldRetry` returned false: a retry becomes a stop (`caller-veto`).
    Veto,
    /// `shouldRetry` returned true: a stop becomes a retry within the bounds (`caller-retry`).
    Retry,
    /// The client ends the call with this response itself (the ky plug-in: ky sends no retry
    /// for a 413 without a server wait, or with `throwHttpErrors: false`): a retry becomes a
    /// stop (`client-final`) before the budget is asked, so it takes no tokens.
    ClientEnds,
}

impl From<Option<bool>> for Answer {
    /// A `shouldRetry` answer: `None` (no hook, or `undefined`), `false` or `true`.
    fn from(should_retry: Option<bool>) -> Answer {
        match should_retry {
            None => Answer::Policy,
            Some(false) => Answer::Veto,
            Some(true) => Answer::Retry,
        }
    }
}

/// A retry the client will not send, turned into a stop.
fn client_final(decision: RetryDecision) -> RetryDecision {
    stop_overruling(decision, Message::ClientFinal)
}

/// A retry the request body cannot survive, turned into a stop.
fn not_replayable(decision: RetryDecision) -> RetryDecision {
    stop_overruling(decision, Message::StreamBody)
}

/// `decision`, a retry, turned into a stop whose reason (`message`) overrules the policy's.
fn stop_overruling(decision: RetryDecision, message: Message) -> RetryDecision {
    RetryDecision {
        retry: false,
        delay_ms: 0,
        reason: Reason::of(message).overrules(decision.reason),
        ..decision
    }
}

#[cfg(test)]
mod tests;
