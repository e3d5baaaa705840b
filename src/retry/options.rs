//! The options of a [`RetryPolicy`](super::RetryPolicy): the default schedule as constants
//! (each with why it has that value), the option types, and reading them from a JS caller's
//! JSON with validation that names the bad field.

use serde::{Deserialize, Serialize};

use crate::args::options::{
    bool_field, choice_field, entries, int_field, number_field, top_level, unknown_field,
};
use crate::args::Arg;
use crate::cat;
use crate::error::Error;
use crate::write::Float;

/// Total attempts, the first one included: three retries.
///
/// With the default 1 s base and ×2 growth the retries wait about 1, 2 and 4 s: long enough
/// to ride out a restart or fail-over blip of a management API, short enough that an
/// interactive console gives its user an answer within seconds. Backup APIs rate-limit per
/// minute (Atlassian: 5–10 writes per minute), so more quick retries would mostly spend quota.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 4;

/// Delay before the first retry (before jitter): 1 s, Azure's base (`docs/vendors.md`, "How
/// general-purpose retry libraries behave"). AWS's 100 ms suits high-volume data planes;
/// backup-management APIs are control planes with per-minute limits, where a 100 ms retry
/// mostly hits the same fault.
pub const DEFAULT_BASE_DELAY_MS: u64 = 1_000;

/// Cap on one backoff delay: 30 s, between AWS's 20 s and Azure's 64 s caps. With the
/// default four attempts it is never reached; it bounds schedules of callers who raise
/// `maxAttempts`. The server's own wait is bounded by [`DEFAULT_MAX_RETRY_AFTER_MS`] instead.
pub const DEFAULT_MAX_DELAY_MS: u64 = 30_000;

/// Growth factor of the delay per attempt: ×2, as AWS (100 ms × 2^n) and Azure (1 s × 2^n).
pub const DEFAULT_MULTIPLIER: f64 = 2.0;

/// Equal jitter by default.
///
/// AWS uses full jitter (uniform in `[0, d]`), which is best for throughput of a large fleet
/// making many retries. We make few retries (three): full jitter regularly draws near-zero
/// waits that spend an attempt against a server that is still failing. Equal jitter
/// (`d/2 + uniform[0, d/2]`, Azure's choice) keeps a floor of half the delay and still spreads
/// a fleet of consoles over a window as wide as that floor, so they do not retry in lockstep.
pub const DEFAULT_JITTER: Jitter = Jitter::Equal;

/// The longest server-requested wait (`Retry-After`, …) the policy sleeps through: 60 s.
///
/// Backup APIs rate-limit per minute (Atlassian: 5–10 per minute per user or org; Huawei
/// advises 2–5 s), so a wait of up to a minute is the normal result of throttling. Graph's
/// SDK accepts up to 180 s, but an interactive console should not block silently for three
/// minutes: a longer wait gives `retry: false` with the server's delay in `delayMs`, so a
/// scheduler can come back later. It is never shortened (a shortened wait is just another 429).
pub const DEFAULT_MAX_RETRY_AFTER_MS: u64 = 60_000;

/// Overall deadline for one call, measured from the start of its first attempt: 5 min.
/// It bounds the busy schedule (worst case about 135 s of waiting) plus request time, and
/// leaves room for one server wait of up to [`DEFAULT_MAX_RETRY_AFTER_MS`].
pub const DEFAULT_DEADLINE_MS: u64 = 300_000;

/// Total attempts on the busy schedule (`wait_and_retry`): 6, i.e. five waits.
///
/// "An operation is already running" (Huawei: "try again after the task is complete",
/// Atlassian `140` export in progress, Veeam `retryablelogical`) ends by itself, but backup
/// jobs take minutes, not seconds: the normal 1–4 s schedule would give up long before.
pub const DEFAULT_BUSY_MAX_ATTEMPTS: u32 = 6;

/// First delay of the busy schedule: 5 s (before jitter), so waits run about 5, 10, 20, 40, 60 s.
pub const DEFAULT_BUSY_BASE_DELAY_MS: u64 = 5_000;

/// Cap on one busy-schedule delay: 60 s — polling a running job more rarely than once a
/// minute makes the caller wait long after it has finished.
pub const DEFAULT_BUSY_MAX_DELAY_MS: u64 = 60_000;

/// Growth factor of the busy schedule: ×2.
pub const DEFAULT_BUSY_MULTIPLIER: f64 = 2.0;

/// The most attempts an option may ask for.
pub const MAX_ATTEMPTS_LIMIT: u32 = 100;

/// The largest multiplier an option may ask for.
pub const MAX_MULTIPLIER: f64 = 10.0;

/// The largest millisecond value an option may hold: JavaScript's `Number.MAX_SAFE_INTEGER`,
/// so every value survives the trip through a JS number exactly.
pub const MAX_MS: u64 = 9_007_199_254_740_991;

/// How a backoff delay `d` is randomised. Serialised as `"full"`, `"equal"`,
/// `"decorrelated"`, `"none"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Jitter {
    /// Uniform in `[0, d]` (AWS).
    Full,
    /// `d/2 + uniform[0, d/2]`, i.e. uniform in `[d/2, d]` (Azure). The default.
    #[default]
    Equal,
    /// `min(cap, uniform[base, previous × 3])` (cockatiel, AWS's "decorrelated jitter").
    /// It grows by itself and ignores `multiplier`. The previous delay is kept in the
    /// policy and reset when a decision is asked for attempt 1 (a new call), so a policy
    /// using it should serve one call at a time.
    Decorrelated,
    /// Exactly `d`: reproducible without a seed, but a fleet retries in lockstep.
    None,
}

impl Jitter {
    /// Every mode, in the order the docs list them.
    pub const ALL: [Jitter; 4] = [
        Jitter::Full,
        Jitter::Equal,
        Jitter::Decorrelated,
        Jitter::None,
    ];

    /// The name it serialises to.
    pub const fn name(self) -> &'static str {
        match self {
            Jitter::Full => "full",
            Jitter::Equal => "equal",
            Jitter::Decorrelated => "decorrelated",
            Jitter::None => "none",
        }
    }
}

/// What to do with a request that is not idempotent (POST, PATCH, any method but GET, HEAD,
/// OPTIONS, PUT, DELETE, TRACE) after an ambiguous failure. Serialised as `"retry"` and
/// `"safe-only"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NonIdempotent {
    /// Send it again anyway: the plain rules of the status apply and the reason of such a
    /// retry warns that the first attempt may have been processed. An explicit opt-in.
    Retry,
    /// Send it again only when it was provably not processed (the classification's
    /// `processed` is `no`: 4xx, 503, throttling, busy, a refused connection, a Veeam
    /// `transport` error), when its vendor documents retrying the failure (a vendor preset),
    /// or when the caller marks it idempotent. The default: RFC 9110 §9.2.2 says a client
    /// should not automatically retry a non-idempotent request, and this one may start a
    /// backup job.
    #[default]
    SafeOnly,
}

impl NonIdempotent {
    /// Both modes.
    pub const ALL: [NonIdempotent; 2] = [NonIdempotent::Retry, NonIdempotent::SafeOnly];

    /// The name it serialises to.
    pub const fn name(self) -> &'static str {
        match self {
            NonIdempotent::Retry => "retry",
            NonIdempotent::SafeOnly => "safe-only",
        }
    }
}

/// What a request that is not idempotent gets after an ambiguous failure unless the caller
/// says otherwise: [`NonIdempotent::SafeOnly`].
pub const DEFAULT_NON_IDEMPOTENT: NonIdempotent = NonIdempotent::SafeOnly;

/// The longer schedule of `wait_and_retry` (an operation is already running on the
/// resource). Unset fields take the `DEFAULT_BUSY_*` constants.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BusySchedule {
    /// Total attempts, the first included (default [`DEFAULT_BUSY_MAX_ATTEMPTS`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_attempts: Option<u32>,
    /// First delay before jitter, ms (default [`DEFAULT_BUSY_BASE_DELAY_MS`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_delay_ms: Option<u64>,
    /// Cap on one delay, ms (default [`DEFAULT_BUSY_MAX_DELAY_MS`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_delay_ms: Option<u64>,
    /// Growth per attempt, 1–10 (default [`DEFAULT_BUSY_MULTIPLIER`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiplier: Option<f64>,
}

/// The options of a [`RetryPolicy`](super::RetryPolicy), as the caller gave them. Every
/// field is optional so the policy knows what was set explicitly: vendor presets fill only
/// the unset fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RetryOptions {
    /// Total attempts, the first included, 1–100 (default [`DEFAULT_MAX_ATTEMPTS`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_attempts: Option<u32>,
    /// First delay before jitter, ms (default [`DEFAULT_BASE_DELAY_MS`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_delay_ms: Option<u64>,
    /// Cap on one backoff delay, ms (default [`DEFAULT_MAX_DELAY_MS`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_delay_ms: Option<u64>,
    /// Growth per attempt, 1–10 (default [`DEFAULT_MULTIPLIER`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiplier: Option<f64>,
    /// How delays are randomised (default [`DEFAULT_JITTER`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jitter: Option<Jitter>,
    /// Seed of the jitter generator: the same seed and the same sequence of `decide` calls
    /// give the same delays. Without it the policy seeds itself (see
    /// [`RetryPolicy::new`](super::RetryPolicy::new)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// The longest server-requested wait the policy accepts, ms (default
    /// [`DEFAULT_MAX_RETRY_AFTER_MS`]); a longer one is not retried and not shortened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_retry_after_ms: Option<u64>,
    /// Overall deadline from the start of the first attempt, ms (default
    /// [`DEFAULT_DEADLINE_MS`]); no wait may end past it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_ms: Option<u64>,
    /// Whether vendor codes override the plain HTTP rules (default `true`). With `false` the
    /// category and action come from [`http_rule`](crate::classify::http_rule) of the status;
    /// 409 and 429 rules still apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust_vendor_codes: Option<bool>,
    /// The schedule of `wait_and_retry`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub busy: Option<BusySchedule>,
    /// What to do with a non-idempotent request after an ambiguous failure (default
    /// [`DEFAULT_NON_IDEMPOTENT`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub non_idempotent: Option<NonIdempotent>,
}

/// The busy schedule with every field resolved. Serialised in camelCase.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolvedBusy {
    /// Total attempts, the first included.
    pub max_attempts: u32,
    /// First delay before jitter, ms.
    pub base_delay_ms: u64,
    /// Cap on one delay, ms.
    pub max_delay_ms: u64,
    /// Growth per attempt.
    pub multiplier: f64,
}

/// Every option of a policy with the value it uses. Serialised in camelCase, the same names as
/// [`RetryOptions`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolvedOptions {
    /// See [`RetryOptions::max_attempts`].
    pub max_attempts: u32,
    /// See [`RetryOptions::base_delay_ms`].
    pub base_delay_ms: u64,
    /// See [`RetryOptions::max_delay_ms`].
    pub max_delay_ms: u64,
    /// See [`RetryOptions::multiplier`].
    pub multiplier: f64,
    /// See [`RetryOptions::jitter`].
    pub jitter: Jitter,
    /// See [`RetryOptions::seed`]: the caller's, or the one the policy drew.
    pub seed: u64,
    /// See [`RetryOptions::max_retry_after_ms`].
    pub max_retry_after_ms: u64,
    /// See [`RetryOptions::deadline_ms`].
    pub deadline_ms: u64,
    /// See [`RetryOptions::trust_vendor_codes`].
    pub trust_vendor_codes: bool,
    /// See [`RetryOptions::busy`].
    pub busy: ResolvedBusy,
    /// See [`RetryOptions::non_idempotent`].
    pub non_idempotent: NonIdempotent,
}

/// The option names `RetryOptions::from_arg` accepts, in the order the docs list them.
const OPTION_FIELDS: &[&str] = &[
    "maxAttempts",
    "baseDelayMs",
    "maxDelayMs",
    "multiplier",
    "jitter",
    "seed",
    "maxRetryAfterMs",
    "deadlineMs",
    "trustVendorCodes",
    "busy",
    "nonIdempotent",
];

/// The field names of `busy`.
const BUSY_FIELDS: &[&str] = &["maxAttempts", "baseDelayMs", "maxDelayMs", "multiplier"];

impl RetryOptions {
    /// Every field with the value a policy uses: the given one, else the default; `seed` is
    /// the seed the policy drew when none was given.
    pub fn resolve(&self, seed: u64) -> ResolvedOptions {
        let busy = self.busy.clone().unwrap_or_default();
        ResolvedOptions {
            max_attempts: self.max_attempts.unwrap_or(DEFAULT_MAX_ATTEMPTS),
            base_delay_ms: self.base_delay_ms.unwrap_or(DEFAULT_BASE_DELAY_MS),
            max_delay_ms: self.max_delay_ms.unwrap_or(DEFAULT_MAX_DELAY_MS),
            multiplier: self.multiplier.unwrap_or(DEFAULT_MULTIPLIER),
            jitter: self.jitter.unwrap_or(DEFAULT_JITTER),
            seed: self.seed.unwrap_or(seed),
            max_retry_after_ms: self
                .max_retry_after_ms
                .unwrap_or(DEFAULT_MAX_RETRY_AFTER_MS),
            deadline_ms: self.deadline_ms.unwrap_or(DEFAULT_DEADLINE_MS),
            trust_vendor_codes: self.trust_vendor_codes.unwrap_or(true),
            busy: ResolvedBusy {
                max_attempts: busy.max_attempts.unwrap_or(DEFAULT_BUSY_MAX_ATTEMPTS),
                base_delay_ms: busy.base_delay_ms.unwrap_or(DEFAULT_BUSY_BASE_DELAY_MS),
                max_delay_ms: busy.max_delay_ms.unwrap_or(DEFAULT_BUSY_MAX_DELAY_MS),
                multiplier: busy.multiplier.unwrap_or(DEFAULT_BUSY_MULTIPLIER),
            },
            non_idempotent: self.non_idempotent.unwrap_or(DEFAULT_NON_IDEMPOTENT),
        }
    }

    /// Reads options from a JS caller's object (`undefined`/`null` give the defaults).
    /// Integers may arrive as integral floats (`3.0`), as JS numbers do. Unknown fields,
    /// wrong types and out-of-range values give [`Error::InvalidOption`] naming the field;
    /// the result is validated.
    pub fn from_arg(value: &Arg) -> Result<RetryOptions, Error> {
        let Some(entries) = top_level(value, "{ maxAttempts: 3 }")? else {
            return Ok(RetryOptions::default());
        };
        let mut o = RetryOptions::default();
        for (key, v) in entries {
            match *key {
                "maxAttempts" => o.max_attempts = int_field(v, "maxAttempts")?,
                "baseDelayMs" => o.base_delay_ms = int_field(v, "baseDelayMs")?,
                "maxDelayMs" => o.max_delay_ms = int_field(v, "maxDelayMs")?,
                "multiplier" => o.multiplier = number_field(v, "multiplier")?,
                "jitter" => {
                    o.jitter = choice_field(
                        v,
                        "jitter",
                        "one of \"full\", \"equal\", \"decorrelated\", \"none\"",
                        &[
                            ("full", Jitter::Full),
                            ("equal", Jitter::Equal),
                            ("decorrelated", Jitter::Decorrelated),
                            ("none", Jitter::None),
                        ],
                    )?
                }
                "seed" => o.seed = int_field(v, "seed")?,
                "maxRetryAfterMs" => o.max_retry_after_ms = int_field(v, "maxRetryAfterMs")?,
                "deadlineMs" => o.deadline_ms = int_field(v, "deadlineMs")?,
                "trustVendorCodes" => o.trust_vendor_codes = bool_field(v, "trustVendorCodes")?,
                "busy" => o.busy = BusySchedule::from_arg(v)?,
                "nonIdempotent" => {
                    o.non_idempotent = choice_field(
                        v,
                        "nonIdempotent",
                        "\"retry\" or \"safe-only\"",
                        &[
                            ("retry", NonIdempotent::Retry),
                            ("safe-only", NonIdempotent::SafeOnly),
                        ],
                    )?
                }
                _ => return Err(unknown_field("options", key, OPTION_FIELDS)),
            }
        }
        o.validate()?;
        Ok(o)
    }

    /// Checks every range: attempts 1–100, multipliers 1–10 and finite, millisecond values
    /// at most [`MAX_MS`], and on each schedule the base delay at most the cap (unset
    /// fields counted at their defaults).
    pub fn validate(&self) -> Result<(), Error> {
        check_attempts("maxAttempts", self.max_attempts)?;
        check_ms("baseDelayMs", self.base_delay_ms)?;
        check_ms("maxDelayMs", self.max_delay_ms)?;
        check_multiplier("multiplier", self.multiplier)?;
        check_ms("maxRetryAfterMs", self.max_retry_after_ms)?;
        check_ms("deadlineMs", self.deadline_ms)?;
        check_base_le_cap(
            "baseDelayMs",
            "maxDelayMs",
            (self.base_delay_ms, DEFAULT_BASE_DELAY_MS),
            (self.max_delay_ms, DEFAULT_MAX_DELAY_MS),
        )?;
        if let Some(b) = &self.busy {
            check_attempts("busy.maxAttempts", b.max_attempts)?;
            check_ms("busy.baseDelayMs", b.base_delay_ms)?;
            check_ms("busy.maxDelayMs", b.max_delay_ms)?;
            check_multiplier("busy.multiplier", b.multiplier)?;
            check_base_le_cap(
                "busy.baseDelayMs",
                "busy.maxDelayMs",
                (b.base_delay_ms, DEFAULT_BUSY_BASE_DELAY_MS),
                (b.max_delay_ms, DEFAULT_BUSY_MAX_DELAY_MS),
            )?;
        }
        Ok(())
    }
}

impl BusySchedule {
    /// Reads `busy`; `undefined`/`null` give `None`. Errors name the field as
    /// `busy.<name>`.
    pub fn from_arg(value: &Arg) -> Result<Option<BusySchedule>, Error> {
        let Some(entries) = entries(value, "busy", "{ maxAttempts: 6 }")? else {
            return Ok(None);
        };
        let mut b = BusySchedule::default();
        for (key, v) in entries {
            match *key {
                "maxAttempts" => b.max_attempts = int_field(v, "busy.maxAttempts")?,
                "baseDelayMs" => b.base_delay_ms = int_field(v, "busy.baseDelayMs")?,
                "maxDelayMs" => b.max_delay_ms = int_field(v, "busy.maxDelayMs")?,
                "multiplier" => b.multiplier = number_field(v, "busy.multiplier")?,
                _ => return Err(unknown_field("busy", key, BUSY_FIELDS)),
            }
        }
        Ok(Some(b))
    }
}

fn check_attempts(name: &'static str, v: Option<u32>) -> Result<(), Error> {
    match v {
        Some(n) if !(1..=MAX_ATTEMPTS_LIMIT).contains(&n) => Err(Error::InvalidOption {
            name,
            problem: cat!(
                "must be an integer from 1 to ",
                MAX_ATTEMPTS_LIMIT,
                ", got ",
                n
            ),
        }),
        _ => Ok(()),
    }
}

fn check_ms(name: &'static str, v: Option<u64>) -> Result<(), Error> {
    match v {
        Some(n) if n > MAX_MS => Err(Error::InvalidOption {
            name,
            problem: cat!("must be at most ", MAX_MS, " ms, got ", n),
        }),
        _ => Ok(()),
    }
}

fn check_multiplier(name: &'static str, v: Option<f64>) -> Result<(), Error> {
    match v {
        Some(m) if !(m.is_finite() && (1.0..=MAX_MULTIPLIER).contains(&m)) => {
            Err(Error::InvalidOption {
                name,
                problem: cat!(
                    "must be a number from 1 to ",
                    MAX_MULTIPLIER as u32,
                    ", got ",
                    Float(m)
                ),
            })
        }
        _ => Ok(()),
    }
}

fn check_base_le_cap(
    base_name: &'static str,
    cap_name: &'static str,
    base: (Option<u64>, u64),
    cap: (Option<u64>, u64),
) -> Result<(), Error> {
    let (b, c) = (base.0.unwrap_or(base.1), cap.0.unwrap_or(cap.1));
    if b <= c {
        return Ok(());
    }
    let origin = |set: Option<u64>| if set.is_some() { "" } else { ", the default" };
    Err(Error::InvalidOption {
        name: base_name,
        problem: cat!(
            "(",
            b,
            " ms",
            origin(base.0),
            ") must not exceed ",
            cap_name,
            " (",
            c,
            " ms",
            origin(cap.0),
            ")"
        ),
    })
}
