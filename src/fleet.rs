//! What the processes of a fleet share through a `RedisCoordinator` (`backup-errors/redis`):
//! its options ([`CoordinatorOptions`]) and what an attempt does while its namespace waits
//! out a server's wait ([`RetryCall::admit`]).
//!
//! A coordinator keeps two numbers per namespace in Redis: how long the namespace still
//! waits, and the tokens left in its [`RetryBudget`]. The rules stay in
//! this crate: the JS layer steps each call here with the namespace's numbers (the
//! namespace's wait counts as the server's wait of the failure being judged; a step and
//! [`RetryCall::finish`] say how many tokens a retry takes and a success gives back), and
//! Redis only stores the numbers, each operation one script that takes tokens only when
//! enough are left (`docs/design.md`, "Running a fleet").

use crate::args::options::{entries, int_field, top_level, unknown_field};
use crate::args::{Arg, Kind};
use crate::breaker::BreakerOptions;
use crate::budget::{BudgetOptions, RetryBudget};
use crate::call::RetryCall;
use crate::cat;
use crate::error::Error;
use crate::pacer::PacerOptions;
use crate::retry::RetryPolicy;

/// How long one Redis operation may take before the call goes on without it: 250 ms.
pub const DEFAULT_TIMEOUT_MS: u32 = 250;

/// The largest `timeoutMs`: 60 s (a Redis operation that slow is an outage).
pub const MAX_TIMEOUT_MS: u32 = 60_000;

/// How long a namespace's budget is kept after its last change: 10 minutes. A namespace
/// idle that long starts again with a full bucket, as a process that just started does.
pub const DEFAULT_BUDGET_TTL_MS: u64 = 600_000;

/// The shortest `budgetTtlMs`: 1 s.
pub const MIN_BUDGET_TTL_MS: u64 = 1_000;

/// The longest `budgetTtlMs`: one week.
pub const MAX_BUDGET_TTL_MS: u64 = 604_800_000;

/// The first part of every key: `backup-errors:<namespace>:wait`, `…:budget`.
pub const DEFAULT_KEY_PREFIX: &str = "backup-errors";

/// The most characters a namespace or key prefix may have.
pub const MAX_NAME_CHARS: usize = 200;

/// The option names [`CoordinatorOptions::from_arg`] accepts (`onCoordinatorError` is the
/// JS layer's; here it is only checked to be a function).
const FIELDS: &[&str] = &[
    "namespace",
    "budget",
    "timeoutMs",
    "budgetTtlMs",
    "keyPrefix",
    "onCoordinatorError",
    "breaker",
    "pacing",
];

/// The options of a `RedisCoordinator`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoordinatorOptions<'a> {
    /// What the fleet shares one wait and one budget for: one API key, one tenant.
    pub namespace: &'a str,
    /// The first part of the namespace's keys (default [`DEFAULT_KEY_PREFIX`]).
    pub key_prefix: &'a str,
    /// Milliseconds one Redis operation may take (default [`DEFAULT_TIMEOUT_MS`]).
    pub timeout_ms: u32,
    /// Milliseconds the budget's key lives after its last change (default
    /// [`DEFAULT_BUDGET_TTL_MS`]).
    pub budget_ttl_ms: u64,
    /// The shared budget's options, as `new RetryBudget(options)` takes them.
    pub budget: BudgetOptions,
    /// The shared circuit breaker's options, when the fleet shares one.
    pub breaker: Option<BreakerOptions>,
    /// The shared pacer's options, when the fleet shares one (`pacing`).
    pub pacing: Option<PacerOptions>,
}

impl<'a> CoordinatorOptions<'a> {
    /// Reads a caller's options object: `namespace` is required; unknown fields, wrong types
    /// and out-of-range values give [`Error::InvalidOption`] naming the field, and the budget's
    /// fields are checked as [`BudgetOptions::from_arg`] checks them.
    pub fn from_arg(value: &Arg<'a>) -> Result<CoordinatorOptions<'a>, Error> {
        let fields = top_level(value, "{ namespace: \"veeam-prod\" }")?.unwrap_or(&[]);
        let mut namespace = None;
        let mut o = CoordinatorOptions {
            namespace: "",
            key_prefix: DEFAULT_KEY_PREFIX,
            timeout_ms: DEFAULT_TIMEOUT_MS,
            budget_ttl_ms: DEFAULT_BUDGET_TTL_MS,
            budget: BudgetOptions::default(),
            breaker: None,
            pacing: None,
        };
        for (key, v) in fields {
            match *key {
                "namespace" => namespace = name_field(v, "namespace")?,
                "keyPrefix" => {
                    if let Some(prefix) = name_field(v, "keyPrefix")? {
                        o.key_prefix = prefix;
                    }
                }
                "timeoutMs" => {
                    if let Some(ms) = int_field::<u64>(v, "timeoutMs")? {
                        o.timeout_ms =
                            in_range(ms, 1, u64::from(MAX_TIMEOUT_MS), "timeoutMs")? as u32;
                    }
                }
                "budgetTtlMs" => {
                    if let Some(ms) = int_field::<u64>(v, "budgetTtlMs")? {
                        o.budget_ttl_ms =
                            in_range(ms, MIN_BUDGET_TTL_MS, MAX_BUDGET_TTL_MS, "budgetTtlMs")?;
                    }
                }
                "pacing" => {
                    o.pacing = match v {
                        Arg::Undefined | Arg::Null | Arg::Bool(false) => None,
                        Arg::Bool(true) => Some(PacerOptions::default()),
                        _ => {
                            entries(v, "pacing", "true, or { maxWaitMs: 60000 }")?;
                            Some(PacerOptions::from_arg(v)?)
                        }
                    }
                }
                "breaker" => {
                    if !matches!(v, Arg::Undefined | Arg::Null) {
                        entries(v, "breaker", "{ failureThreshold: 5, openMs: 30000 }")?;
                        o.breaker = Some(BreakerOptions::from_arg(v)?);
                    }
                }
                "budget" => {
                    entries(v, "budget", "{ capacity: 500, retryCost: 5 }")?;
                    o.budget = BudgetOptions::from_arg(v)?;
                }
                "onCoordinatorError" => match v {
                    Arg::Undefined | Arg::Null | Arg::Other(Kind::Function) => {}
                    other => {
                        return Err(Error::InvalidOption {
                            name: "onCoordinatorError",
                            problem: cat!("must be a function, got ", other.describe()),
                        })
                    }
                },
                _ => return Err(unknown_field("coordinator", key, FIELDS)),
            }
        }
        o.namespace = namespace.ok_or_else(|| Error::InvalidOption {
            name: "namespace",
            problem: "is required: the name the fleet shares one server wait and one budget \
                      under (one API key or tenant), such as \"veeam-prod\""
                .into(),
        })?;
        Ok(o)
    }
}

/// A namespace or key prefix: 1–[`MAX_NAME_CHARS`] characters, no white space or control
/// characters (they end up in Redis keys an operator reads and types), and no U+FFFD: a JS
/// string with a lone surrogate reaches the module with U+FFFD in its place, so
/// `"tenant\uD800"` and `"tenant\uDFFF"` would share one key.
fn name_field<'a>(v: &Arg<'a>, name: &'static str) -> Result<Option<&'a str>, Error> {
    let bad = || Error::InvalidOption {
        name,
        problem: cat!(
            "must be a string of 1 to ",
            MAX_NAME_CHARS,
            " characters without white space, control characters or lone surrogates, got ",
            v.describe()
        ),
    };
    match v {
        Arg::Undefined | Arg::Null => Ok(None),
        Arg::String(s)
            if !s.is_empty()
                && s.chars().count() <= MAX_NAME_CHARS
                && !s
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || c == '\u{FFFD}') =>
        {
            Ok(Some(s))
        }
        _ => Err(bad()),
    }
}

fn in_range(n: u64, min: u64, max: u64, name: &'static str) -> Result<u64, Error> {
    if (min..=max).contains(&n) {
        Ok(n)
    } else {
        Err(Error::InvalidOption {
            name,
            problem: cat!("must be from ", min, " to ", max, " ms, got ", n),
        })
    }
}

impl RetryCall {
    /// Before an attempt of a call whose namespace still waits `wait_ms` (a server asked a
    /// call of the fleet to wait, and the coordinator shares that wait): the ms to wait before
    /// sending, or [`Error::ServerWait`] when that is more than this call may wait — more than
    /// `maxRetryAfterMs` (the bound the policy puts on a server's wait: a decision would say
    /// `server-wait-too-long`), or more than is left before its deadline, `elapsed_ms` after
    /// its first attempt started. So an attempt is never sent into a wait the call knows
    /// about: it waits the whole wait, or it is not sent.
    pub fn admit(&self, policy: &RetryPolicy, wait_ms: u64, elapsed_ms: u64) -> Result<u64, Error> {
        if wait_ms == 0 {
            return Ok(0);
        }
        let r = policy.resolved();
        let refuse = |limit, limit_ms| Error::ServerWait {
            wait_ms,
            attempt: self.attempt,
            limit,
            limit_ms,
        };
        if wait_ms > r.max_retry_after_ms {
            return Err(refuse("maxRetryAfterMs", r.max_retry_after_ms));
        }
        let left = r.deadline_ms.saturating_sub(elapsed_ms);
        if wait_ms > left {
            return Err(refuse("deadlineMs", left));
        }
        Ok(wait_ms)
    }
}

/// The shared budget's numbers for `options` (a full bucket), as `RetryBudget::parts` gives
/// them.
pub fn budget_parts(options: &CoordinatorOptions) -> Result<[u32; 5], Error> {
    Ok(RetryBudget::new(options.budget.clone())?.parts())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::call::CallRequest;
    use crate::retry::RetryOptions;
    use alloc::string::ToString;

    fn read(v: serde_json::Value) -> Result<CoordinatorOptions<'static>, Error> {
        let v: &'static serde_json::Value = alloc::boxed::Box::leak(alloc::boxed::Box::new(v));
        let arg = alloc::boxed::Box::leak(alloc::boxed::Box::new(crate::args::from_json(v)));
        CoordinatorOptions::from_arg(arg)
    }

    fn field_of(e: Error) -> &'static str {
        match e {
            Error::InvalidOption { name, .. } => name,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn options_take_defaults_and_read_the_budget() {
        let o = read(serde_json::json!({"namespace": "veeam-prod"})).unwrap();
        assert_eq!(o.namespace, "veeam-prod");
        assert_eq!(o.key_prefix, DEFAULT_KEY_PREFIX);
        assert_eq!(o.timeout_ms, DEFAULT_TIMEOUT_MS);
        assert_eq!(o.budget_ttl_ms, DEFAULT_BUDGET_TTL_MS);
        assert_eq!(budget_parts(&o).unwrap(), [500, 5, 10, 1, 500]);
        let o = read(serde_json::json!({
            "namespace": "tenant:42",
            "keyPrefix": "be",
            "timeoutMs": 50,
            "budgetTtlMs": 60000,
            "budget": {"capacity": 10, "retryCost": 5},
            "onCoordinatorError": null
        }))
        .unwrap();
        assert_eq!(
            (o.key_prefix, o.timeout_ms, o.budget_ttl_ms),
            ("be", 50, 60_000)
        );
        assert_eq!(budget_parts(&o).unwrap(), [10, 5, 10, 1, 10]);
    }

    #[test]
    fn bad_options_name_their_field() {
        let cases = [
            (serde_json::json!({}), "namespace"),
            (serde_json::json!({"namespace": ""}), "namespace"),
            (serde_json::json!({"namespace": "a b"}), "namespace"),
            // What "tenant\uD800" and "tenant\uDFFF" both become on the way in.
            (
                serde_json::json!({"namespace": "tenant\u{FFFD}"}),
                "namespace",
            ),
            (
                serde_json::json!({"namespace": "n", "keyPrefix": "\u{FFFD}"}),
                "keyPrefix",
            ),
            (
                serde_json::json!({"namespace": "x".repeat(201)}),
                "namespace",
            ),
            (serde_json::json!({"namespace": 7}), "namespace"),
            (
                serde_json::json!({"namespace": "n", "keyPrefix": "a\nb"}),
                "keyPrefix",
            ),
            (
                serde_json::json!({"namespace": "n", "timeoutMs": 0}),
                "timeoutMs",
            ),
            (
                serde_json::json!({"namespace": "n", "timeoutMs": 60001}),
                "timeoutMs",
            ),
            (
                serde_json::json!({"namespace": "n", "timeoutMs": 2.5}),
                "timeoutMs",
            ),
            (
                serde_json::json!({"namespace": "n", "budgetTtlMs": 999}),
                "budgetTtlMs",
            ),
            (serde_json::json!({"namespace": "n", "budget": 5}), "budget"),
            (
                serde_json::json!({"namespace": "n", "budget": {"capacity": 0}}),
                "capacity",
            ),
            (
                serde_json::json!({"namespace": "n", "budget": {"cap": 1}}),
                "budget",
            ),
            (
                serde_json::json!({"namespace": "n", "onCoordinatorError": "log"}),
                "onCoordinatorError",
            ),
            (
                serde_json::json!({"namespace": "n", "timeout": 5}),
                "coordinator",
            ),
        ];
        for (v, field) in cases {
            assert_eq!(field_of(read(v.clone()).unwrap_err()), field, "{v}");
        }
        let typo = read(serde_json::json!({"namespace": "n", "timeout_ms": 5})).unwrap_err();
        assert!(
            typo.message().contains("did you mean timeoutMs?"),
            "{}",
            typo.message()
        );
        let not_an_object = read(serde_json::json!(5)).unwrap_err();
        assert_eq!(not_an_object.code(), "ERR_INVALID_ARGUMENT");
        assert_eq!(
            CoordinatorOptions::from_arg(&Arg::Other(Kind::Function))
                .unwrap_err()
                .code(),
            "ERR_INVALID_ARGUMENT"
        );
        let hook = Arg::Object(alloc::vec![
            ("namespace", Arg::String("n")),
            ("onCoordinatorError", Arg::Other(Kind::Function)),
        ]);
        assert!(CoordinatorOptions::from_arg(&hook).is_ok());
    }

    fn policy(max_retry_after_ms: u64, deadline_ms: u64) -> RetryPolicy {
        RetryPolicy::new(RetryOptions {
            max_retry_after_ms: Some(max_retry_after_ms),
            deadline_ms: Some(deadline_ms),
            ..RetryOptions::default()
        })
        .unwrap()
    }

    #[test]
    fn an_attempt_waits_the_whole_wait_or_is_not_sent() {
        let call = RetryCall::new(CallRequest::default());
        let p = policy(60_000, 300_000);
        assert_eq!(call.admit(&p, 0, 0).unwrap(), 0);
        assert_eq!(call.admit(&p, 2_000, 0).unwrap(), 2_000);
        assert_eq!(call.admit(&p, 60_000, 0).unwrap(), 60_000);
        let too_long = call.admit(&p, 60_001, 0).unwrap_err();
        assert_eq!(too_long.code(), "ERR_SERVER_WAIT");
        assert_eq!(
            too_long,
            Error::ServerWait {
                wait_ms: 60_001,
                attempt: 1,
                limit: "maxRetryAfterMs",
                limit_ms: 60_000
            }
        );
        assert!(too_long
            .to_string()
            .starts_with("attempt 1 was not sent: the coordinator's namespace waits 60001 ms"));
        let mut later = RetryCall::new(CallRequest::default());
        later.attempt = 3;
        let past_deadline = later
            .admit(&policy(60_000, 10_000), 5_000, 6_000)
            .unwrap_err();
        assert_eq!(
            past_deadline,
            Error::ServerWait {
                wait_ms: 5_000,
                attempt: 3,
                limit: "deadlineMs",
                limit_ms: 4_000
            }
        );
        assert!(past_deadline
            .message()
            .contains("deadline (deadlineMs): 4000 ms"));
    }
}
