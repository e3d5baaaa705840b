//! One call's retry state: the machine the JS executors (`fetchWithRetry`, `retry`) drive.
//!
//! The executor performs I/O and sleeps; after each attempt it hands the classification to
//! [`RetryCall::next`], which counts attempts, remembers ambiguous failures (so a later 409
//! can be reported as "probably went through"), allows exactly one re-authentication, asks
//! the [`RetryPolicy`] and gates retries through the shared [`RetryBudget`]. When the call
//! ends, [`RetryCall::finish`] settles the budget lease.

use crate::budget::{Lease, RetryBudget};
use crate::model::{Action, Category, Classification};
use crate::retry::{DecisionContext, RetryDecision, RetryPolicy};
use serde::Serialize;

/// A decision plus what the executor must do before the next attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallDecision {
    /// The policy's decision (possibly turned into `retry: false` by the budget).
    #[serde(flatten)]
    pub decision: RetryDecision,
    /// Call the caller's `reauthenticate` hook before the next attempt.
    pub reauthenticate: bool,
}

/// The retry state of one call.
#[derive(Debug)]
pub struct RetryCall {
    attempt: u32,
    method: Option<String>,
    can_reauthenticate: bool,
    reauthenticated: bool,
    earlier_ambiguous_failure: bool,
    lease: Option<Lease>,
}

impl RetryCall {
    /// A call about to make its first attempt. `can_reauthenticate` says whether the caller
    /// gave a hook that refreshes credentials.
    pub fn new(method: Option<String>, can_reauthenticate: bool) -> RetryCall {
        RetryCall {
            attempt: 1,
            method,
            can_reauthenticate,
            reauthenticated: false,
            earlier_ambiguous_failure: false,
            lease: None,
        }
    }

    /// The attempt that is running now (1-based).
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// What to do after the current attempt ended with `c`, `elapsed_ms` after the first
    /// attempt started.
    pub fn next(
        &mut self,
        policy: &mut RetryPolicy,
        budget: Option<&mut RetryBudget>,
        c: &Classification,
        elapsed_ms: u64,
    ) -> CallDecision {
        let ctx = DecisionContext {
            attempt: self.attempt,
            elapsed_ms,
            method: self.method.clone(),
            earlier_ambiguous_failure: self.earlier_ambiguous_failure,
        };
        let mut decision = policy.decide(c, &ctx);
        let mut reauthenticate = false;
        if c.action == Action::Reauthenticate && c.status != 409 {
            if !self.can_reauthenticate {
                decision.reason = format!(
                    "reauthenticate: {} (no reauthenticate hook was given, so the call stops)",
                    c.summary
                );
            } else if self.reauthenticated {
                decision.reason =
                    "reauthenticate: the credentials were rejected again after refreshing them \
                     once; stopping"
                        .to_string();
            } else if self.attempt >= policy.max_attempts_for(c) {
                decision.reason = format!(
                    "max-attempts: the credentials were rejected on the last allowed attempt ({})",
                    self.attempt
                );
            } else {
                self.reauthenticated = true;
                reauthenticate = true;
                decision.retry = true;
                decision.delay_ms = 0;
            }
        }
        if let Some(budget) = budget {
            // Re-authentication is not a retry of a failing server: it costs no tokens.
            if decision.retry && !reauthenticate {
                let (gated, lease) = budget.gate(decision, c);
                decision = gated;
                if lease.is_some() {
                    // Only the lease of the last retry is refunded on success (AWS SDK rule).
                    self.lease = lease;
                }
            }
        }
        if is_ambiguous(c) {
            self.earlier_ambiguous_failure = true;
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
        let lease = self.lease.take();
        if let Some(budget) = budget {
            if succeeded {
                budget.record_success(lease);
            } else {
                budget.record_failure(lease);
            }
        }
    }
}

/// An outcome after which the server may have processed the request: 5xx, timeout, network.
fn is_ambiguous(c: &Classification) -> bool {
    c.status >= 500 || c.status == 0 || matches!(c.category, Category::Timeout | Category::Network)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{classify_at, ErrorInput, Vendor};

    fn classified(status: u16) -> Classification {
        classify_at(
            &ErrorInput {
                status,
                ..ErrorInput::default()
            },
            0,
        )
    }

    fn seeded() -> RetryPolicy {
        let options = crate::retry::RetryOptions {
            seed: Some(7),
            ..Default::default()
        };
        RetryPolicy::new(options).unwrap()
    }

    #[test]
    fn counts_attempts_until_the_policy_stops() {
        let mut policy = seeded();
        let mut call = RetryCall::new(None, false);
        let c = classified(503);
        let mut retries = 0;
        while call.next(&mut policy, None, &c, 0).decision.retry {
            retries += 1;
            assert!(retries < 10);
        }
        assert_eq!(retries, 3, "4 attempts in all by default");
        assert_eq!(call.attempt(), 4);
    }

    #[test]
    fn reauthenticates_once_with_a_hook_and_never_without() {
        let mut policy = seeded();
        let c = classified(401);
        let mut with_hook = RetryCall::new(None, true);
        let first = with_hook.next(&mut policy, None, &c, 0);
        assert!(first.reauthenticate && first.decision.retry);
        assert_eq!(first.decision.delay_ms, 0);
        let second = with_hook.next(&mut policy, None, &c, 0);
        assert!(!second.reauthenticate && !second.decision.retry);
        let mut without = RetryCall::new(None, false);
        let d = without.next(&mut policy, None, &c, 0);
        assert!(!d.decision.retry && d.decision.reason.starts_with("reauthenticate"));
    }

    #[test]
    fn a_409_after_a_5xx_probably_went_through() {
        let mut policy = seeded();
        let mut call = RetryCall::new(Some("POST".into()), false);
        assert!(
            call.next(&mut policy, None, &classified(502), 0)
                .decision
                .retry
        );
        let d = call.next(&mut policy, None, &classified(409), 10).decision;
        assert!(!d.retry);
        assert!(d.earlier_attempt_may_have_succeeded);
        let mut fresh = RetryCall::new(Some("POST".into()), false);
        assert!(
            !fresh
                .next(&mut policy, None, &classified(409), 0)
                .decision
                .earlier_attempt_may_have_succeeded
        );
    }

    #[test]
    fn the_budget_bounds_retries_and_refunds_the_last_lease_on_success() {
        let mut policy = seeded();
        let options = crate::budget::BudgetOptions {
            capacity: Some(10),
            ..Default::default()
        };
        let mut budget = RetryBudget::new(options).unwrap();
        let c = classified(500);
        let mut call = RetryCall::new(None, false);
        assert!(
            call.next(&mut policy, Some(&mut budget), &c, 0)
                .decision
                .retry
        );
        assert!(
            call.next(&mut policy, Some(&mut budget), &c, 0)
                .decision
                .retry
        );
        assert_eq!(budget.available(), 0);
        let d = call.next(&mut policy, Some(&mut budget), &c, 0).decision;
        assert!(!d.retry && d.reason.starts_with("budget"));
        call.finish(Some(&mut budget), true);
        assert_eq!(budget.available(), 5, "the last retry's 5 tokens come back");
        call.finish(Some(&mut budget), true);
        assert!(budget.available() <= 10);
        let _ = Vendor::Generic;
    }
}
