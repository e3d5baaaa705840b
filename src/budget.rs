//! A retry budget shared by one client: a token bucket that stops retries when too many of
//! them fail, so a fleet of consoles does not multiply an outage's load by its retry count.
//!
//! Modelled on the AWS SDK retry quota (`docs/vendors.md`, "How general-purpose retry
//! libraries behave"):
//!
//! * the bucket starts full, at `capacity` (default 500) tokens;
//! * every retry takes a [`Lease`] costing `retryCost` (5) tokens, or `timeoutCost` (10) when
//!   the failure was a timeout or no response at all (those tie up the client longest and
//!   are the surest sign of an overloaded server); with too few tokens there is no lease and
//!   no retry;
//! * when a call ends in success, [`RetryBudget::record_success`] refunds the cost of the
//!   retry that led to it (its lease), or `successRefund` (1) token when the first attempt
//!   succeeded — so a healthy client slowly refills the bucket;
//! * when a call ends without success, its leases refund nothing: those tokens stay spent.
//!
//! The balance never goes below 0 or above `capacity`. A [`Lease`] cannot be copied or made
//! outside [`RetryBudget::acquire`], and settling it consumes it, so a retry is charged once
//! and refunded at most once. Only the *last* retry's lease of a call is refunded (as in the
//! AWS SDK): the executor drops — or passes to [`RetryBudget::record_failure`] — the lease of
//! an earlier retry when it takes the next one.

use serde::{Deserialize, Serialize};

use crate::args::options::{int_field, top_level, unknown_field};
use crate::args::Arg;
use crate::cat;
use crate::error::Error;
use crate::model::{Category, Classification};
use crate::reason::{Message, Param, Reason};
use crate::retry::RetryDecision;

/// Tokens in a full bucket: 500, the AWS SDK's retry quota — 100 ordinary retries, or 50
/// after timeouts, before a client stops retrying until successes refill it.
pub const DEFAULT_CAPACITY: u32 = 500;

/// Cost of a retry after an answered failure (5xx, 429, …): 5 tokens, as in the AWS SDK.
pub const DEFAULT_RETRY_COST: u32 = 5;

/// Cost of a retry after a timeout or no response: 10 tokens, as in the AWS SDK.
pub const DEFAULT_TIMEOUT_COST: u32 = 10;

/// Tokens refunded when a call succeeds at its first attempt: 1, as in the AWS SDK.
pub const DEFAULT_SUCCESS_REFUND: u32 = 1;

/// The largest capacity an option may ask for.
pub const MAX_CAPACITY: u32 = 1_000_000;

/// The options of a [`RetryBudget`]; unset fields take the `DEFAULT_*` constants.
/// JSON: `{ capacity?, retryCost?, timeoutCost?, successRefund? }`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BudgetOptions {
    /// Tokens in a full bucket, 1–1 000 000 (default [`DEFAULT_CAPACITY`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<u32>,
    /// Cost of a retry after an answered failure, 0–capacity (default
    /// [`DEFAULT_RETRY_COST`]); 0 makes such retries free.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_cost: Option<u32>,
    /// Cost of a retry after a timeout or no response, 0–capacity (default
    /// [`DEFAULT_TIMEOUT_COST`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_cost: Option<u32>,
    /// Tokens refunded when a first attempt succeeds, 0–capacity (default
    /// [`DEFAULT_SUCCESS_REFUND`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_refund: Option<u32>,
}

impl BudgetOptions {
    /// Reads options from a JS caller's object; `undefined`/`null` give the defaults.
    /// Unknown fields, wrong types and out-of-range values give [`Error::InvalidOption`]
    /// naming the field.
    pub fn from_arg(value: &Arg) -> Result<BudgetOptions, Error> {
        let Some(entries) = top_level(value, "{ capacity: 500 }")? else {
            return Ok(BudgetOptions::default());
        };
        let mut o = BudgetOptions::default();
        for (key, v) in entries {
            let (name, slot) = match *key {
                "capacity" => ("capacity", &mut o.capacity),
                "retryCost" => ("retryCost", &mut o.retry_cost),
                "timeoutCost" => ("timeoutCost", &mut o.timeout_cost),
                "successRefund" => ("successRefund", &mut o.success_refund),
                _ => return Err(unknown_field("budget", key, BUDGET_FIELDS)),
            };
            *slot = int_field(v, name)?;
        }
        o.validate()?;
        Ok(o)
    }

    /// Checks the ranges: capacity 1–[`MAX_CAPACITY`], every cost and the refund at most
    /// the capacity (a cost above it would forbid every retry).
    pub fn validate(&self) -> Result<(), Error> {
        let capacity = self.capacity.unwrap_or(DEFAULT_CAPACITY);
        if !(1..=MAX_CAPACITY).contains(&capacity) {
            return Err(Error::InvalidOption {
                name: "capacity",
                problem: cat!(
                    "must be an integer from 1 to ",
                    MAX_CAPACITY,
                    ", got ",
                    capacity
                ),
            });
        }
        for (name, v) in [
            ("retryCost", self.retry_cost),
            ("timeoutCost", self.timeout_cost),
            ("successRefund", self.success_refund),
        ] {
            if let Some(n) = v.filter(|&n| n > capacity) {
                return Err(Error::InvalidOption {
                    name,
                    problem: cat!("must not exceed capacity (", capacity, "), got ", n),
                });
            }
        }
        Ok(())
    }
}

/// The option names `BudgetOptions::from_arg` accepts.
const BUDGET_FIELDS: &[&str] = &["capacity", "retryCost", "timeoutCost", "successRefund"];

/// The tokens one retry took. Settle it with [`RetryBudget::record_success`] or
/// [`RetryBudget::record_failure`]; dropping it is a failure (nothing refunded).
#[derive(Debug, PartialEq, Eq)]
#[must_use = "a lease is refunded only when passed to record_success"]
pub struct Lease {
    cost: u32,
}

impl Lease {
    /// The tokens this retry took.
    pub fn cost(&self) -> u32 {
        self.cost
    }

    /// The lease of a retry that took `cost` tokens, as a call's state remembered it
    /// (`crate::call::RetryCall::lease_cost`).
    pub(crate) fn restored(cost: u32) -> Lease {
        Lease { cost }
    }
}

/// A token bucket shared by the calls of one client. See the module docs for the accounting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryBudget {
    capacity: u32,
    retry_cost: u32,
    timeout_cost: u32,
    success_refund: u32,
    available: u32,
}

impl Default for RetryBudget {
    /// A full bucket with the `DEFAULT_*` constants.
    fn default() -> Self {
        RetryBudget {
            capacity: DEFAULT_CAPACITY,
            retry_cost: DEFAULT_RETRY_COST,
            timeout_cost: DEFAULT_TIMEOUT_COST,
            success_refund: DEFAULT_SUCCESS_REFUND,
            available: DEFAULT_CAPACITY,
        }
    }
}

impl RetryBudget {
    /// A full bucket with `options`, after [`BudgetOptions::validate`].
    pub fn new(options: BudgetOptions) -> Result<RetryBudget, Error> {
        options.validate()?;
        let capacity = options.capacity.unwrap_or(DEFAULT_CAPACITY);
        Ok(RetryBudget {
            capacity,
            retry_cost: options.retry_cost.unwrap_or(DEFAULT_RETRY_COST),
            timeout_cost: options.timeout_cost.unwrap_or(DEFAULT_TIMEOUT_COST),
            success_refund: options.success_refund.unwrap_or(DEFAULT_SUCCESS_REFUND),
            available: capacity,
        })
    }

    /// A bucket from its numbers (the JS layer keeps a budget's numbers and passes them to
    /// each call): capacity at least 1, the other numbers at most the capacity.
    pub fn from_parts(
        capacity: u32,
        retry_cost: u32,
        timeout_cost: u32,
        success_refund: u32,
        available: u32,
    ) -> RetryBudget {
        let capacity = capacity.clamp(1, MAX_CAPACITY);
        RetryBudget {
            capacity,
            retry_cost: retry_cost.min(capacity),
            timeout_cost: timeout_cost.min(capacity),
            success_refund: success_refund.min(capacity),
            available: available.min(capacity),
        }
    }

    /// Its numbers: capacity, retryCost, timeoutCost, successRefund, available.
    pub fn parts(&self) -> [u32; 5] {
        [
            self.capacity,
            self.retry_cost,
            self.timeout_cost,
            self.success_refund,
            self.available,
        ]
    }

    /// Tokens left.
    pub fn available(&self) -> u32 {
        self.available
    }

    /// Tokens in a full bucket.
    pub fn capacity(&self) -> u32 {
        self.capacity
    }

    /// What a retry after `c` costs: `timeoutCost` for a timeout or no response (status 0,
    /// category `timeout` or `network`), `retryCost` otherwise.
    pub fn cost_of(&self, c: &Classification) -> u32 {
        if c.status == 0 || matches!(c.category, Category::Timeout | Category::Network) {
            self.timeout_cost
        } else {
            self.retry_cost
        }
    }

    /// Takes the tokens for one retry after `c`, or `None` (and takes nothing) when too few
    /// are left.
    pub fn acquire(&mut self, c: &Classification) -> Option<Lease> {
        let cost = self.cost_of(c);
        self.available = self.available.checked_sub(cost)?;
        Some(Lease { cost })
    }

    /// A call ended in success. `last_retry` is the lease of the retry that succeeded, whose
    /// cost is refunded; `None` means the first attempt succeeded: `successRefund` tokens are
    /// added. Never above capacity.
    pub fn record_success(&mut self, last_retry: Option<Lease>) {
        let refund = last_retry.map_or(self.success_refund, |l| l.cost);
        self.available = self.available.saturating_add(refund).min(self.capacity);
    }

    /// A call ended without success: its last lease is settled and nothing is refunded.
    /// (Equivalent to dropping the lease; it states the intent.)
    pub fn record_failure(&mut self, last_retry: Option<Lease>) {
        // The lease is consumed here and its tokens stay spent.
        let _spent = last_retry;
    }

    /// Applies the budget to a policy's decision: a `retry: true` decision takes a lease; when
    /// none is left the decision becomes `retry: false`, delay 0, with a reason tagged
    /// `budget`. Other decisions pass through unchanged, without a lease.
    pub fn gate(
        &mut self,
        decision: RetryDecision,
        c: &Classification,
    ) -> (RetryDecision, Option<Lease>) {
        if !decision.retry {
            return (decision, None);
        }
        match self.acquire(c) {
            Some(lease) => (decision, Some(lease)),
            None => {
                let reason = Reason::of(Message::Budget)
                    .n(Param::TokensLeft, self.available)
                    .n(Param::Capacity, self.capacity)
                    .n(Param::Cost, self.cost_of(c))
                    .overrules(decision.reason);
                (
                    RetryDecision {
                        retry: false,
                        delay_ms: 0,
                        reason,
                        ..decision
                    },
                    None,
                )
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::model::{Action, Vendor};

    fn class(status: u16, category: Category) -> Classification {
        Classification {
            vendor: Vendor::Generic,
            status,
            code: None,
            message: None,
            category,
            action: Action::Retry,
            retryable: true,
            processed: crate::model::Processed::Maybe,
            retry_after_ms: None,
            summary: String::new(),
            remediation: None,
            parameter: None,
            request_id: None,
            documented: false,
            items: Vec::new(),
            truncated: false,
        }
    }

    #[test]
    fn retries_cost_five_or_ten_and_success_refunds_the_last_lease() {
        let mut b = RetryBudget::default();
        let l1 = b.acquire(&class(503, Category::ServerError)).unwrap();
        assert_eq!(l1.cost(), 5);
        let l2 = b.acquire(&class(0, Category::Network)).unwrap();
        assert_eq!(l2.cost(), 10);
        let l3 = b.acquire(&class(504, Category::Timeout)).unwrap();
        assert_eq!(b.available(), 475);
        b.record_failure(Some(l1));
        drop(l2);
        b.record_success(Some(l3));
        assert_eq!(b.available(), 485);
        b.record_success(None);
        assert_eq!(b.available(), 486);
    }

    #[test]
    fn never_above_capacity_nor_below_zero() {
        let mut b = RetryBudget::new(BudgetOptions {
            capacity: Some(12),
            ..BudgetOptions::default()
        })
        .unwrap();
        b.record_success(None);
        assert_eq!(b.available(), 12);
        let c = class(500, Category::ServerError);
        let a = b.acquire(&c).unwrap();
        let _b2 = b.acquire(&c).unwrap();
        assert_eq!(b.available(), 2);
        assert!(b.acquire(&c).is_none());
        assert_eq!(b.available(), 2);
        b.record_success(Some(a));
        assert_eq!(b.available(), 7);
    }

    #[test]
    fn gate_turns_a_retry_into_a_budget_stop_when_spent() {
        let mut b = RetryBudget::new(BudgetOptions {
            capacity: Some(5),
            ..BudgetOptions::default()
        })
        .unwrap();
        let c = class(503, Category::ServerError);
        let yes = RetryDecision {
            retry: true,
            delay_ms: 800,
            reason: Reason::of(Message::Backoff5xx),
            attempt: 1,
            earlier_attempt_may_have_succeeded: false,
        };
        let (d, lease) = b.gate(yes.clone(), &c);
        assert_eq!(d, yes);
        assert_eq!(lease.map(|l| l.cost()), Some(5));
        let (d, lease) = b.gate(yes.clone(), &c);
        assert!(!d.retry && d.delay_ms == 0 && lease.is_none());
        assert_eq!(d.reason.tag(), "budget");
        let no = RetryDecision {
            retry: false,
            ..yes
        };
        assert_eq!(b.gate(no.clone(), &c), (no, None));
    }

    #[test]
    fn options_are_validated_and_read_from_args() {
        let o = BudgetOptions::from_arg(&crate::args::from_json(
            &serde_json::json!({"capacity": 50.0, "retryCost": 2}),
        ))
        .unwrap();
        assert_eq!(o.capacity, Some(50));
        assert_eq!(
            BudgetOptions::from_arg(&Arg::Null).unwrap(),
            BudgetOptions::default()
        );
        let bad = [
            (serde_json::json!({"capacity": 0}), "capacity"),
            (
                serde_json::json!({"capacity": 10, "timeoutCost": 11}),
                "timeoutCost",
            ),
            (serde_json::json!({"retryCost": -1}), "retryCost"),
            (serde_json::json!({"retryCost": "5"}), "retryCost"),
            (serde_json::json!({"cap": 1}), "budget"),
        ];
        for (v, field) in bad {
            match BudgetOptions::from_arg(&crate::args::from_json(&v)) {
                Err(Error::InvalidOption { name, .. }) => assert_eq!(name, field, "{v}"),
                other => panic!("{v}: {other:?}"),
            }
        }
        let not_an_object = BudgetOptions::from_arg(&Arg::Number(5.0)).unwrap_err();
        assert_eq!(not_an_object.code(), "ERR_INVALID_ARGUMENT");
        assert!(
            serde_json::from_value::<BudgetOptions>(serde_json::json!({"successRefund": 1}))
                .is_ok()
        );
        assert!(serde_json::from_value::<BudgetOptions>(serde_json::json!({"bogus": 1})).is_err());
    }
}
