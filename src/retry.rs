//! The retry policy: after each failed attempt, [`RetryPolicy::decide`] turns a
//! [`Classification`] into a [`RetryDecision`] — retry or stop, how long to wait, and which
//! rule of `DESIGN.md` ("Rules") decided it.
//!
//! The policy performs no I/O and never sleeps: the JS executor (`fetchWithRetry`, `retry`)
//! asks it what to do after each response, waits `delayMs`, honours its `AbortSignal` and
//! calls the caller's hooks. Every rule is named by a stable tag at the start of
//! [`RetryDecision::reason`]:
//!
//! | tag | when |
//! |-----|------|
//! | `ok` | 2xx: nothing to retry |
//! | `409-never` | status 409, whatever the vendor, body, headers or options say |
//! | `reauthenticate` | action `reauthenticate` (401): the executor refreshes and retries once |
//! | `vendor-permanent` | a 5xx the vendor documents as permanent (`trustVendorCodes`) |
//! | `not-retryable` | any other action that is not `retry` / `wait_and_retry` |
//! | `non-idempotent` | POST/PATCH that may have been processed, with `nonIdempotent: "safe-only"` |
//! | `max-attempts` | the schedule's attempts are used up |
//! | `server-wait-too-long` | the server's wait exceeds `maxRetryAfterMs`: not shortened, not retried |
//! | `deadline` | the wait would end past `deadlineMs` |
//! | `server-wait` | retried after the server's wait (`Retry-After` and friends) |
//! | `busy-schedule` | `wait_and_retry`: retried on the longer busy schedule |
//! | `5xx-backoff` | a 5xx retried with exponential backoff |
//! | `backoff` | another transient failure (no response, timeout, 408, 429 without a wait) |
//!
//! Delays: `d = min(cap, base × multiplier^(attempt-1))`, then jitter (see [`Jitter`]). The
//! server's own wait is a floor: the delay is `max(server wait, jittered backoff)` — see
//! [`RetryPolicy::decide`] for why.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::classify::http_rule;
use crate::error::Error;
use crate::model::{Action, Category, Classification, Vendor};

/// Total attempts, the first one included: three retries.
///
/// With the default 1 s base and ×2 growth the retries wait about 1, 2 and 4 s: long enough
/// to ride out a restart or fail-over blip of a management API, short enough that an
/// interactive console gives its user an answer within seconds. Backup APIs rate-limit per
/// minute (Atlassian: 5–10 writes per minute), so more quick retries would mostly spend quota.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 4;

/// Delay before the first retry (before jitter): 1 s, Azure's base (`vendor-facts.md`,
/// "Retry conventions"). AWS's 100 ms suits high-volume data planes; backup-management APIs
/// are control planes with per-minute limits, where a 100 ms retry mostly hits the same fault.
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

/// What to do with POST and PATCH, which may not be safe to send twice. Serialised as
/// `"retry"` and `"safe-only"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NonIdempotent {
    /// The plain rules (5xx is retried even for POST); the reason of such a retry warns that
    /// the first attempt may have been processed. The default.
    #[default]
    Retry,
    /// Retry POST/PATCH only when the request surely was not processed: status 429 or 503,
    /// or category `rate_limited`, `busy` or `unauthenticated`. A network failure is
    /// ambiguous (the request may have arrived) and is not retried.
    SafeOnly,
}

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

/// The options of a [`RetryPolicy`], as the caller gave them. Every field is optional so
/// the policy knows what was set explicitly: vendor presets fill only the unset fields.
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
    /// give the same delays. Without it the policy seeds itself (see [`RetryPolicy::new`]).
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
    /// category and action come from [`http_rule`] of the status; 409 and 429 rules still apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust_vendor_codes: Option<bool>,
    /// The schedule of `wait_and_retry`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub busy: Option<BusySchedule>,
    /// What to do with POST and PATCH (default [`NonIdempotent::Retry`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub non_idempotent: Option<NonIdempotent>,
}

/// The option names `RetryOptions::from_json` accepts, in the order the docs list them.
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
    /// Reads options from JSON (the object a JS caller passed). `null` gives the defaults.
    /// Integers may arrive as integral floats (`3.0`), as JS numbers often do. Unknown
    /// fields, wrong types and out-of-range values give [`Error::InvalidOption`] naming the
    /// field; the result is validated.
    pub fn from_json(value: &Value) -> Result<RetryOptions, Error> {
        let map = match value {
            Value::Null => return Ok(RetryOptions::default()),
            Value::Object(map) => map,
            other => {
                return Err(Error::InvalidOption {
                    name: "options",
                    problem: format!(
                        "must be an object such as {{ maxAttempts: 3 }}, got {}",
                        describe(other)
                    ),
                })
            }
        };
        let mut o = RetryOptions::default();
        for (key, v) in map {
            match key.as_str() {
                "maxAttempts" => o.max_attempts = int_field(v, "maxAttempts")?,
                "baseDelayMs" => o.base_delay_ms = int_field(v, "baseDelayMs")?,
                "maxDelayMs" => o.max_delay_ms = int_field(v, "maxDelayMs")?,
                "multiplier" => o.multiplier = number_field(v, "multiplier")?,
                "jitter" => {
                    o.jitter = typed_field(
                        v,
                        "jitter",
                        "one of \"full\", \"equal\", \"decorrelated\", \"none\"",
                    )?
                }
                "seed" => o.seed = int_field(v, "seed")?,
                "maxRetryAfterMs" => o.max_retry_after_ms = int_field(v, "maxRetryAfterMs")?,
                "deadlineMs" => o.deadline_ms = int_field(v, "deadlineMs")?,
                "trustVendorCodes" => {
                    o.trust_vendor_codes = typed_field(v, "trustVendorCodes", "true or false")?
                }
                "busy" => o.busy = BusySchedule::from_json(v)?,
                "nonIdempotent" => {
                    o.non_idempotent =
                        typed_field(v, "nonIdempotent", "\"retry\" or \"safe-only\"")?
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
    /// Reads `busy` from JSON; `null` gives `None`. Errors name the field as `busy.<name>`.
    pub fn from_json(value: &Value) -> Result<Option<BusySchedule>, Error> {
        let map: &Map<String, Value> = match value {
            Value::Null => return Ok(None),
            Value::Object(map) => map,
            other => {
                return Err(Error::InvalidOption {
                    name: "busy",
                    problem: format!(
                        "must be an object such as {{ maxAttempts: 6 }}, got {}",
                        describe(other)
                    ),
                })
            }
        };
        let mut b = BusySchedule::default();
        for (key, v) in map {
            match key.as_str() {
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

/// A value as an error message shows it (bounded).
fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("{:?}", crate::text::bounded(s)),
        Value::Array(_) => "an array".to_string(),
        Value::Object(_) => "an object".to_string(),
    }
}

/// An unknown field, with a suggestion when only case or `_` differ (`max_attempts`).
fn unknown_field(name: &'static str, key: &str, known: &[&str]) -> Error {
    let squash = |s: &str| s.replace(['_', '-'], "").to_ascii_lowercase();
    let hint = known
        .iter()
        .find(|k| squash(k) == squash(key))
        .map(|k| format!(" (did you mean {k}?)"))
        .unwrap_or_default();
    Error::InvalidOption {
        name,
        problem: format!(
            "has no field {:?}{hint}; the fields are {}",
            crate::text::bounded(key),
            known.join(", ")
        ),
    }
}

/// A non-negative integer field; integral floats (`3.0`) are accepted, `null` is unset.
fn int_field<T: TryFrom<u64>>(v: &Value, name: &'static str) -> Result<Option<T>, Error> {
    let bad = || Error::InvalidOption {
        name,
        problem: format!("must be a non-negative integer, got {}", describe(v)),
    };
    let n = match v {
        Value::Null => return Ok(None),
        Value::Number(n) => match (n.as_u64(), n.as_f64()) {
            (Some(u), _) => u,
            (None, Some(f)) if f.fract() == 0.0 && f >= 0.0 && f <= MAX_MS as f64 => f as u64,
            _ => return Err(bad()),
        },
        _ => return Err(bad()),
    };
    T::try_from(n).map(Some).map_err(|_| Error::InvalidOption {
        name,
        problem: format!("is too large: {n}"),
    })
}

/// A finite number field; `null` is unset.
fn number_field(v: &Value, name: &'static str) -> Result<Option<f64>, Error> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => Ok(n.as_f64()),
        _ => Err(Error::InvalidOption {
            name,
            problem: format!("must be a number, got {}", describe(v)),
        }),
    }
}

/// Any other field, read with serde; `null` is unset.
fn typed_field<T: DeserializeOwned>(
    v: &Value,
    name: &'static str,
    expected: &str,
) -> Result<Option<T>, Error> {
    if v.is_null() {
        return Ok(None);
    }
    serde_json::from_value(v.clone())
        .map(Some)
        .map_err(|_| Error::InvalidOption {
            name,
            problem: format!("must be {expected}, got {}", describe(v)),
        })
}

fn check_attempts(name: &'static str, v: Option<u32>) -> Result<(), Error> {
    match v {
        Some(n) if !(1..=MAX_ATTEMPTS_LIMIT).contains(&n) => Err(Error::InvalidOption {
            name,
            problem: format!("must be an integer from 1 to {MAX_ATTEMPTS_LIMIT}, got {n}"),
        }),
        _ => Ok(()),
    }
}

fn check_ms(name: &'static str, v: Option<u64>) -> Result<(), Error> {
    match v {
        Some(n) if n > MAX_MS => Err(Error::InvalidOption {
            name,
            problem: format!("must be at most {MAX_MS} ms, got {n}"),
        }),
        _ => Ok(()),
    }
}

fn check_multiplier(name: &'static str, v: Option<f64>) -> Result<(), Error> {
    match v {
        Some(m) if !(m.is_finite() && (1.0..=MAX_MULTIPLIER).contains(&m)) => {
            Err(Error::InvalidOption {
                name,
                problem: format!("must be a number from 1 to {MAX_MULTIPLIER}, got {m}"),
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
        problem: format!(
            "({b} ms{}) must not exceed {cap_name} ({c} ms{})",
            origin(base.0),
            origin(cap.0)
        ),
    })
}

/// A retry schedule a vendor documents, applied to the fields the caller left unset.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VendorPreset {
    /// The vendor whose classifications it applies to.
    pub vendor: Vendor,
    /// Lowest HTTP status it applies to.
    pub min_status: u16,
    /// Highest HTTP status it applies to.
    pub max_status: u16,
    /// Total attempts, the first included.
    pub max_attempts: u32,
    /// First delay before jitter, ms.
    pub base_delay_ms: u64,
    /// Cap on one delay, ms.
    pub max_delay_ms: u64,
    /// Growth per attempt.
    pub multiplier: f64,
    /// Jitter.
    pub jitter: Jitter,
    /// What the vendor documents, quoted in the decision's reason.
    pub source: &'static str,
}

/// Every vendor preset. Add a row when a vendor documents its own retry schedule.
///
/// Acronis: "retry the request twice with a 1–2 s interval" for 5xx (`vendor-facts.md`):
/// three attempts; a fixed 2 s delay (multiplier 1) with equal jitter is uniform in
/// [1000, 2000] ms.
///
/// Huawei: API Gateway throttling (`APIG.0308`, HTTP 429) is to be retried "after a short
/// delay (2–5 s)": a fixed 5 s delay with equal jitter is uniform in [2500, 5000] ms.
pub const VENDOR_PRESETS: &[VendorPreset] = &[
    VendorPreset {
        vendor: Vendor::Acronis,
        min_status: 500,
        max_status: 599,
        max_attempts: 3,
        base_delay_ms: 2_000,
        max_delay_ms: 2_000,
        multiplier: 1.0,
        jitter: Jitter::Equal,
        source: "Acronis preset: 5xx is retried twice, 1-2 s apart",
    },
    VendorPreset {
        vendor: Vendor::Huawei,
        min_status: 429,
        max_status: 429,
        max_attempts: DEFAULT_MAX_ATTEMPTS,
        base_delay_ms: 5_000,
        max_delay_ms: 5_000,
        multiplier: 1.0,
        jitter: Jitter::Equal,
        source: "Huawei preset: API Gateway throttling is retried after 2-5 s",
    },
];

/// What the policy knows about the attempt that just ended. In JSON only `attempt` and
/// `elapsedMs` are usually given; missing fields take their defaults (`attempt` 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DecisionContext {
    /// The attempt that just ended, 1-based (0 is read as 1).
    pub attempt: u32,
    /// Milliseconds since the first attempt of this call started.
    pub elapsed_ms: u64,
    /// The request's HTTP method, when known (for the idempotency rule).
    pub method: Option<String>,
    /// An earlier attempt of this call ended in a 5xx, a timeout or no response: it may have
    /// been processed, so a later 409 probably means it went through.
    pub earlier_ambiguous_failure: bool,
}

impl Default for DecisionContext {
    fn default() -> Self {
        DecisionContext {
            attempt: 1,
            elapsed_ms: 0,
            method: None,
            earlier_ambiguous_failure: false,
        }
    }
}

impl DecisionContext {
    /// The context of attempt `attempt`, `elapsed_ms` after the first attempt started.
    pub fn new(attempt: u32, elapsed_ms: u64) -> Self {
        DecisionContext {
            attempt,
            elapsed_ms,
            ..DecisionContext::default()
        }
    }
}

/// What to do after one attempt. Serialised in camelCase:
/// `{ retry, delayMs, reason, attempt, earlierAttemptMayHaveSucceeded }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RetryDecision {
    /// Send the request again after `delay_ms`.
    pub retry: bool,
    /// How long to wait before the next attempt. When `retry` is false it is 0, except for
    /// `server-wait-too-long`, where it is the server's wait (for a scheduler to come back).
    pub delay_ms: u64,
    /// Which rule decided, as `"<tag>: <explanation>"` (tags in the module docs).
    pub reason: String,
    /// The attempt that just ended (`DecisionContext::attempt`, as given).
    pub attempt: u32,
    /// A 409 (or a conflict) after an ambiguous failure: the earlier attempt probably went
    /// through; read the resource instead of treating this as an error.
    pub earlier_attempt_may_have_succeeded: bool,
}

/// splitmix64 (Steele, Lea, Flood 2014): tiny, fast, and good enough for jitter.
#[derive(Debug, Clone)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[lo, hi]` (multiply-shift; the bias is below 2^-40 for our ranges).
    fn range_inclusive(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        let span = u128::from(hi - lo) + 1;
        let offset = (u128::from(self.next_u64()) * span) >> 64;
        lo + offset as u64
    }
}

/// A seed when the caller gave none: std's per-process random hash keys (OS randomness on
/// native targets), a process-wide counter so two policies differ, and a stack address.
/// On `wasm32-unknown-unknown` std has no entropy source: its keys come from memory
/// addresses, the same on every page load, so the
/// binding should pass a seed from `crypto.getRandomValues` when the caller gives none.
fn entropy_seed() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let local = 0u8;
    let mut h = RandomState::new().build_hasher();
    h.write_u64(n);
    h.write_usize(std::ptr::addr_of!(local) as usize);
    h.finish()
}

/// One resolved schedule: options, then preset, then defaults.
#[derive(Debug, Clone, Copy)]
struct Plan {
    max_attempts: u32,
    base: u64,
    cap: u64,
    multiplier: f64,
    jitter: Jitter,
    busy: bool,
    preset: Option<&'static VendorPreset>,
}

/// Decides, after each failed attempt, whether and when to retry. Holds the options, the
/// jitter generator and (for decorrelated jitter) the previous delay.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    options: RetryOptions,
    rng: SplitMix64,
    prev_delay_ms: Option<u64>,
}

impl Default for RetryPolicy {
    /// The default policy (all `DEFAULT_*` constants), seeded as [`RetryPolicy::new`] says.
    fn default() -> Self {
        RetryPolicy {
            options: RetryOptions::default(),
            rng: SplitMix64(entropy_seed()),
            prev_delay_ms: None,
        }
    }
}

impl RetryPolicy {
    /// A policy with `options`, after [`RetryOptions::validate`]. Without `seed` the jitter
    /// generator seeds itself from std's random hash keys (OS randomness on native targets;
    /// the same on every load on `wasm32-unknown-unknown`, where the binding should supply
    /// a seed).
    pub fn new(options: RetryOptions) -> Result<RetryPolicy, Error> {
        options.validate()?;
        let seed = options.seed.unwrap_or_else(entropy_seed);
        Ok(RetryPolicy {
            options,
            rng: SplitMix64(seed),
            prev_delay_ms: None,
        })
    }

    /// The options as the caller gave them.
    pub fn options(&self) -> &RetryOptions {
        &self.options
    }

    /// What to do after attempt `ctx.attempt` ended with `c`. The rules, in order:
    ///
    /// 1. 2xx → not retried (`ok`).
    /// 2. 409 → never retried (`409-never`); after an ambiguous earlier failure the decision
    ///    says the earlier attempt probably went through.
    /// 3. `reauthenticate` (401) → `retry: false`, delay 0 (`reauthenticate`). The executor,
    ///    not the policy, refreshes credentials through the caller's hook and sends the
    ///    request once more; a second 401 stops. Keeping that out of the policy keeps the
    ///    "exactly once" in one place.
    /// 4. A non-retryable action: on a 5xx the vendor documents as permanent
    ///    (`vendor-permanent`, only while `trustVendorCodes`), else `not-retryable`. With
    ///    `trustVendorCodes: false` the category and action are [`http_rule`]'s (for status 0,
    ///    which has no vendor code, the classification's).
    /// 5. POST/PATCH with `nonIdempotent: "safe-only"` that may have been processed →
    ///    `non-idempotent`. With `"retry"` the reason of such a retry carries a warning.
    /// 6. The schedule: `wait_and_retry` uses the busy schedule, other retries the main one
    ///    with the vendor preset ([`VENDOR_PRESETS`]) filling unset fields. Attempts used up
    ///    → `max-attempts`.
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
        let stop = |reason: String| RetryDecision {
            retry: false,
            delay_ms: 0,
            reason,
            attempt: ctx.attempt,
            earlier_attempt_may_have_succeeded: false,
        };
        let what = describe_status(status);

        if (200..=299).contains(&status) {
            return stop(if c.items.is_empty() {
                format!("ok: {what} succeeded; nothing to retry.")
            } else {
                format!(
                    "ok: {what} succeeded but {} item(s) failed; retrying the whole request is not \
                     the fix, handle the items.",
                    c.items.len()
                )
            });
        }

        if status == 409 {
            let mut d = stop(
                "409-never: a conflict is never retried: sending the same request again gives \
                 the same conflict."
                    .to_string(),
            );
            if ctx.earlier_ambiguous_failure {
                d.earlier_attempt_may_have_succeeded = true;
                d.reason.push_str(
                    " An earlier attempt ended in a 5xx, timeout or no response: it probably \
                     went through; read the resource's current state.",
                );
            }
            return d;
        }

        let trust = self.options.trust_vendor_codes.unwrap_or(true);
        let (category, action) = if trust || status == 0 {
            (c.category, c.action)
        } else {
            let r = http_rule(status);
            (r.category, r.action)
        };

        if action == Action::Reauthenticate {
            return stop(format!(
                "reauthenticate: {what} means the credentials were rejected; the executor \
                 refreshes them (onReauthenticate hook) and sends the request once more."
            ));
        }

        if !action.is_retryable() {
            let mut d = if trust && (500..=599).contains(&status) {
                stop(format!(
                    "vendor-permanent: {} documents {}{what} as permanent ({}): {} Retrying \
                     cannot help; trustVendorCodes: false applies the plain HTTP rules.",
                    c.vendor.id(),
                    c.code
                        .as_deref()
                        .map(|code| format!("code {code} on "))
                        .unwrap_or_default(),
                    category_name(category),
                    c.summary
                ))
            } else {
                stop(format!(
                    "not-retryable: {what} is {} (action {}): sending it again as it is cannot \
                     succeed.",
                    category_name(category),
                    action_name(action)
                ))
            };
            if category == Category::Conflict && ctx.earlier_ambiguous_failure {
                d.earlier_attempt_may_have_succeeded = true;
                d.reason
                    .push_str(" An earlier attempt ended ambiguously: it probably went through.");
            }
            return d;
        }

        let method = ctx
            .method
            .as_deref()
            .filter(|m| m.eq_ignore_ascii_case("POST") || m.eq_ignore_ascii_case("PATCH"))
            .map(str::to_ascii_uppercase);
        let surely_unprocessed = matches!(status, 429 | 503)
            || matches!(
                category,
                Category::RateLimited | Category::Busy | Category::Unauthenticated
            );
        let risk = match &method {
            Some(m) if !surely_unprocessed => Some(m.clone()),
            _ => None,
        };
        let mode = self.options.non_idempotent.unwrap_or_default();
        if let (Some(m), NonIdempotent::SafeOnly) = (&risk, mode) {
            return stop(format!(
                "non-idempotent: {m} ended in {what} ({}); the server may have processed it, \
                 and nonIdempotent is \"safe-only\". Read the resource's state before sending it \
                 again.",
                category_name(category)
            ));
        }

        let plan = self.plan(c, action);
        if attempt >= plan.max_attempts {
            return stop(format!(
                "max-attempts: attempt {attempt} of {} ({}) ended in {what}; no attempts left.",
                plan.max_attempts,
                plan_name(&plan)
            ));
        }

        let max_wait = self
            .options
            .max_retry_after_ms
            .unwrap_or(DEFAULT_MAX_RETRY_AFTER_MS);
        if let Some(w) = c.retry_after_ms {
            if w > max_wait {
                let mut d = stop(format!(
                    "server-wait-too-long: the server asked to wait {w} ms, more than \
                     maxRetryAfterMs ({max_wait} ms); the wait is not shortened. Come back after \
                     {w} ms or raise maxRetryAfterMs."
                ));
                d.delay_ms = w;
                return d;
            }
        }

        let backoff = self.backoff(&plan, attempt);
        let delay = c.retry_after_ms.map_or(backoff, |w| w.max(backoff));
        let deadline = self.options.deadline_ms.unwrap_or(DEFAULT_DEADLINE_MS);
        if ctx.elapsed_ms.saturating_add(delay) > deadline {
            return stop(format!(
                "deadline: waiting {delay} ms after {} ms would pass the {deadline} ms deadline \
                 (deadlineMs); {what} is not retried.",
                ctx.elapsed_ms
            ));
        }
        if plan.jitter == Jitter::Decorrelated {
            self.prev_delay_ms = Some(backoff);
        }

        let next = attempt + 1;
        let of = plan.max_attempts;
        let jitter = format!("{} jitter", jitter_name(plan.jitter));
        let how = match plan.preset {
            Some(p) => format!("{}, {jitter}", p.source),
            None => format!("exponential backoff, {jitter}"),
        };
        let mut reason = match c.retry_after_ms {
            Some(w) if w >= backoff => format!(
                "server-wait: {what}; the server asked to wait {w} ms: waiting exactly that \
                 before attempt {next} of {of}."
            ),
            Some(w) => format!(
                "server-wait: {what}; the server asked to wait {w} ms, our backoff ({how}) is \
                 longer: waiting {delay} ms before attempt {next} of {of}."
            ),
            None if plan.busy => format!(
                "busy-schedule: {what}: an operation is already running on the resource; \
                 waiting {delay} ms ({jitter}) for it to finish before attempt {next} of {of}."
            ),
            None if (500..=599).contains(&status) => format!(
                "5xx-backoff: {what} is a server failure; retrying after {delay} ms ({how}), \
                 attempt {next} of {of}."
            ),
            None => format!(
                "backoff: {what} ({}) is transient; retrying after {delay} ms ({how}), attempt \
                 {next} of {of}.",
                category_name(category)
            ),
        };
        if let Some(m) = risk {
            reason.push_str(&format!(
                " Warning: {m} is not idempotent and the first attempt may have been processed; \
                 the retry may duplicate it (nonIdempotent: \"safe-only\" prevents this)."
            ));
        }
        RetryDecision {
            retry: true,
            delay_ms: delay,
            reason,
            attempt: ctx.attempt,
            earlier_attempt_may_have_succeeded: false,
        }
    }

    /// The decisions `c` would get on attempts 1..=`attempts` (at most 100), each wait added
    /// to the elapsed time, up to and including the first `retry: false`. Works on a copy:
    /// the policy's own generator is not advanced.
    pub fn schedule(&self, c: &Classification, attempts: u32) -> Vec<RetryDecision> {
        let mut p = self.clone();
        let mut elapsed = 0u64;
        let mut out = Vec::new();
        for attempt in 1..=attempts.min(MAX_ATTEMPTS_LIMIT) {
            let d = p.decide(c, &DecisionContext::new(attempt, elapsed));
            elapsed = elapsed.saturating_add(d.delay_ms);
            let done = !d.retry;
            out.push(d);
            if done {
                break;
            }
        }
        out
    }

    /// The total attempts the policy allows for a call ending like `c` (presets included).
    pub fn max_attempts_for(&self, c: &Classification) -> u32 {
        self.plan(c, c.action).max_attempts
    }

    /// The schedule for a retryable classification with effective `action`.
    fn plan(&self, c: &Classification, action: Action) -> Plan {
        let o = &self.options;
        let jitter = o.jitter.unwrap_or(DEFAULT_JITTER);
        if action == Action::WaitAndRetry {
            let b = o.busy.clone().unwrap_or_default();
            return Plan {
                max_attempts: b.max_attempts.unwrap_or(DEFAULT_BUSY_MAX_ATTEMPTS),
                base: b.base_delay_ms.unwrap_or(DEFAULT_BUSY_BASE_DELAY_MS),
                cap: b.max_delay_ms.unwrap_or(DEFAULT_BUSY_MAX_DELAY_MS),
                multiplier: b.multiplier.unwrap_or(DEFAULT_BUSY_MULTIPLIER),
                jitter,
                busy: true,
                preset: None,
            };
        }
        let preset = VENDOR_PRESETS
            .iter()
            .find(|p| p.vendor == c.vendor && (p.min_status..=p.max_status).contains(&c.status));
        Plan {
            max_attempts: o
                .max_attempts
                .or(preset.map(|p| p.max_attempts))
                .unwrap_or(DEFAULT_MAX_ATTEMPTS),
            base: o
                .base_delay_ms
                .or(preset.map(|p| p.base_delay_ms))
                .unwrap_or(DEFAULT_BASE_DELAY_MS),
            cap: o
                .max_delay_ms
                .or(preset.map(|p| p.max_delay_ms))
                .unwrap_or(DEFAULT_MAX_DELAY_MS),
            multiplier: o
                .multiplier
                .or(preset.map(|p| p.multiplier))
                .unwrap_or(DEFAULT_MULTIPLIER),
            jitter: o.jitter.or(preset.map(|p| p.jitter)).unwrap_or(jitter),
            busy: false,
            preset,
        }
    }

    /// The jittered backoff for `attempt` (≥ 1) on `plan`, always in `[0, plan.cap]`.
    fn backoff(&mut self, plan: &Plan, attempt: u32) -> u64 {
        let exponent = i32::try_from(attempt - 1).unwrap_or(i32::MAX).min(1_100);
        let raw = plan.base as f64 * plan.multiplier.max(1.0).powi(exponent);
        let d = if raw.is_finite() && raw < plan.cap as f64 {
            // In range: `as` saturates, and raw < cap ≤ u64::MAX.
            (raw.max(0.0) as u64).min(plan.cap)
        } else {
            plan.cap
        };
        match plan.jitter {
            Jitter::None => d,
            Jitter::Full => self.rng.range_inclusive(0, d),
            Jitter::Equal => {
                let half = d / 2;
                half + self.rng.range_inclusive(0, d - half)
            }
            Jitter::Decorrelated => {
                let base = plan.base.min(plan.cap);
                let prev = self.prev_delay_ms.unwrap_or(base).max(base);
                self.rng
                    .range_inclusive(base, prev.saturating_mul(3))
                    .min(plan.cap)
            }
        }
    }
}

fn describe_status(status: u16) -> String {
    if status == 0 {
        "no response".to_string()
    } else {
        format!("HTTP {status}")
    }
}

fn plan_name(plan: &Plan) -> &'static str {
    match (plan.busy, plan.preset) {
        (true, _) => "busy schedule",
        (false, Some(_)) => "vendor preset",
        (false, None) => "maxAttempts",
    }
}

fn jitter_name(j: Jitter) -> &'static str {
    match j {
        Jitter::Full => "full",
        Jitter::Equal => "equal",
        Jitter::Decorrelated => "decorrelated",
        Jitter::None => "no",
    }
}

/// The taxonomy name of a category (as serialised).
fn category_name(c: Category) -> &'static str {
    match c {
        Category::InvalidRequest => "invalid_request",
        Category::Unauthenticated => "unauthenticated",
        Category::Forbidden => "forbidden",
        Category::NotFound => "not_found",
        Category::Conflict => "conflict",
        Category::Busy => "busy",
        Category::InvalidState => "invalid_state",
        Category::TooLarge => "too_large",
        Category::QuotaExceeded => "quota_exceeded",
        Category::RateLimited => "rate_limited",
        Category::Unsupported => "unsupported",
        Category::ServerError => "server_error",
        Category::Timeout => "timeout",
        Category::Canceled => "canceled",
        Category::Network => "network",
        Category::Unknown => "unknown",
        Category::Ok => "ok",
    }
}

/// The taxonomy name of an action (as serialised).
fn action_name(a: Action) -> &'static str {
    match a {
        Action::Retry => "retry",
        Action::WaitAndRetry => "wait_and_retry",
        Action::Reauthenticate => "reauthenticate",
        Action::RefreshAndRetry => "refresh_and_retry",
        Action::FixRequest => "fix_request",
        Action::SplitRequest => "split_request",
        Action::DoNotRetry => "do_not_retry",
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use serde_json::json;

    fn class(vendor: Vendor, status: u16, category: Category, action: Action) -> Classification {
        Classification {
            vendor,
            status,
            code: None,
            message: None,
            category,
            action,
            retryable: action.is_retryable(),
            retry_after_ms: None,
            summary: "test".to_string(),
            remediation: None,
            parameter: None,
            request_id: None,
            documented: false,
            items: Vec::new(),
        }
    }

    fn http(status: u16) -> Classification {
        let r = http_rule(status);
        class(Vendor::Generic, status, r.category, r.action)
    }

    fn seeded(seed: u64) -> RetryPolicy {
        RetryPolicy::new(RetryOptions {
            seed: Some(seed),
            ..RetryOptions::default()
        })
        .unwrap()
    }

    fn tag(d: &RetryDecision) -> &str {
        d.reason.split(':').next().unwrap()
    }

    #[test]
    fn default_503_schedule_is_equal_jitter_within_bounds_and_stops_after_four_attempts() {
        let s = seeded(1).schedule(&http(503), 10);
        assert_eq!(s.len(), 4);
        for (i, d) in s[..3].iter().enumerate() {
            let full = 1000u64 << i;
            assert!(d.retry, "{d:?}");
            assert!((full / 2..=full).contains(&d.delay_ms), "{d:?}");
            assert_eq!(tag(d), "5xx-backoff");
        }
        assert!(!s[3].retry);
        assert_eq!(tag(&s[3]), "max-attempts");
    }

    #[test]
    fn two_xx_is_ok_and_409_is_never_retried() {
        let mut p = seeded(1);
        let d = p.decide(&http(204), &DecisionContext::default());
        assert!(!d.retry);
        assert_eq!(tag(&d), "ok");

        let mut c = class(Vendor::Veeam, 409, Category::Busy, Action::WaitAndRetry);
        c.retry_after_ms = Some(10);
        let ctx = DecisionContext {
            earlier_ambiguous_failure: true,
            ..DecisionContext::default()
        };
        let d = p.decide(&c, &ctx);
        assert!(!d.retry);
        assert_eq!(tag(&d), "409-never");
        assert!(d.earlier_attempt_may_have_succeeded);
        assert!(d.reason.contains("probably went through"));
        let d = p.decide(&c, &DecisionContext::default());
        assert!(!d.earlier_attempt_may_have_succeeded);
    }

    #[test]
    fn vendor_permanent_5xx_is_not_retried_unless_vendor_codes_are_distrusted() {
        let mut c = class(
            Vendor::Huawei,
            500,
            Category::InvalidState,
            Action::DoNotRetry,
        );
        c.code = Some("CSBS.6032".to_string());
        let d = seeded(1).decide(&c, &DecisionContext::default());
        assert!(!d.retry);
        assert_eq!(tag(&d), "vendor-permanent");
        assert!(d.reason.contains("CSBS.6032"));

        let mut p = RetryPolicy::new(RetryOptions {
            trust_vendor_codes: Some(false),
            ..RetryOptions::default()
        })
        .unwrap();
        let d = p.decide(&c, &DecisionContext::default());
        assert!(d.retry);
        assert_eq!(tag(&d), "5xx-backoff");
    }

    #[test]
    fn distrusting_vendor_codes_keeps_the_429_and_409_rules() {
        let mut p = RetryPolicy::new(RetryOptions {
            trust_vendor_codes: Some(false),
            ..RetryOptions::default()
        })
        .unwrap();
        let c = class(
            Vendor::Atlassian,
            429,
            Category::QuotaExceeded,
            Action::DoNotRetry,
        );
        assert!(p.decide(&c, &DecisionContext::default()).retry);
        let c = class(Vendor::Atlassian, 409, Category::Busy, Action::Retry);
        assert!(!p.decide(&c, &DecisionContext::default()).retry);
    }

    #[test]
    fn server_wait_is_a_floor_and_a_too_long_wait_is_not_shortened() {
        let mut c = http(429);
        c.retry_after_ms = Some(20_000);
        let d = seeded(3).decide(&c, &DecisionContext::default());
        assert!(d.retry);
        assert_eq!(d.delay_ms, 20_000);
        assert_eq!(tag(&d), "server-wait");

        c.retry_after_ms = Some(10);
        let d = seeded(3).decide(&c, &DecisionContext::default());
        assert!((500..=1000).contains(&d.delay_ms), "{d:?}");
        assert_eq!(tag(&d), "server-wait");

        c.retry_after_ms = Some(120_000);
        let d = seeded(3).decide(&c, &DecisionContext::default());
        assert!(!d.retry);
        assert_eq!(d.delay_ms, 120_000);
        assert_eq!(tag(&d), "server-wait-too-long");
    }

    #[test]
    fn huawei_throttling_waits_two_and_a_half_to_five_seconds() {
        let mut c = http(429);
        c.vendor = Vendor::Huawei;
        let schedule = seeded(3).schedule(&c, 10);
        let retries: Vec<_> = schedule.iter().filter(|d| d.retry).collect();
        assert_eq!(retries.len(), 3);
        for d in retries {
            assert!((2_500..=5_000).contains(&d.delay_ms), "{d:?}");
        }
    }

    #[test]
    fn reauthenticate_is_left_to_the_executor() {
        let d = seeded(1).decide(&http(401), &DecisionContext::default());
        assert!(!d.retry);
        assert_eq!(d.delay_ms, 0);
        assert_eq!(tag(&d), "reauthenticate");
    }

    #[test]
    fn other_4xx_are_not_retried() {
        for status in [400, 403, 404, 412, 413] {
            let d = seeded(1).decide(&http(status), &DecisionContext::default());
            assert!(!d.retry, "{status}");
            assert_eq!(tag(&d), "not-retryable", "{status}");
        }
    }

    #[test]
    fn busy_uses_its_own_longer_schedule() {
        let c = class(Vendor::Huawei, 400, Category::Busy, Action::WaitAndRetry);
        let s = RetryPolicy::new(RetryOptions {
            seed: Some(9),
            deadline_ms: Some(u64::MAX >> 12),
            ..RetryOptions::default()
        })
        .unwrap()
        .schedule(&c, 10);
        assert_eq!(s.len(), 6);
        assert!(s[..5].iter().all(|d| d.retry && tag(d) == "busy-schedule"));
        assert!((2_500..=5_000).contains(&s[0].delay_ms));
        assert!((30_000..=60_000).contains(&s[4].delay_ms));
        assert_eq!(tag(&s[5]), "max-attempts");
    }

    #[test]
    fn deadline_stops_a_retry_that_would_end_too_late() {
        let mut p = RetryPolicy::new(RetryOptions {
            deadline_ms: Some(10_000),
            jitter: Some(Jitter::None),
            ..RetryOptions::default()
        })
        .unwrap();
        let d = p.decide(&http(502), &DecisionContext::new(1, 9_500));
        assert!(!d.retry);
        assert_eq!(tag(&d), "deadline");
        let d = p.decide(&http(502), &DecisionContext::new(1, 9_000));
        assert!(d.retry);
        assert_eq!(d.delay_ms, 1_000);
    }

    #[test]
    fn post_after_5xx_is_retried_with_a_warning_or_refused_in_safe_only_mode() {
        let ctx = DecisionContext {
            method: Some("post".to_string()),
            ..DecisionContext::default()
        };
        let d = seeded(1).decide(&http(500), &ctx);
        assert!(d.retry);
        assert!(d.reason.contains("may have been processed"), "{}", d.reason);

        let mut p = RetryPolicy::new(RetryOptions {
            non_idempotent: Some(NonIdempotent::SafeOnly),
            ..RetryOptions::default()
        })
        .unwrap();
        for status in [500, 0, 504] {
            let d = p.decide(&http(status), &ctx);
            assert!(!d.retry, "{status}");
            assert_eq!(tag(&d), "non-idempotent");
        }
        for status in [429, 503] {
            let d = p.decide(&http(status), &ctx);
            assert!(d.retry, "{status}");
            assert!(!d.reason.contains("Warning"));
        }
        let busy = class(Vendor::Veeam, 520, Category::Busy, Action::WaitAndRetry);
        assert!(p.decide(&busy, &ctx).retry);
        let get = DecisionContext {
            method: Some("GET".to_string()),
            ..DecisionContext::default()
        };
        assert!(p.decide(&http(500), &get).retry);
    }

    #[test]
    fn acronis_preset_retries_5xx_twice_one_to_two_seconds_apart() {
        let c = http(500);
        let c = Classification {
            vendor: Vendor::Acronis,
            ..c
        };
        let s = seeded(5).schedule(&c, 10);
        assert_eq!(s.len(), 3);
        for d in &s[..2] {
            assert!(d.retry);
            assert!((1_000..=2_000).contains(&d.delay_ms), "{d:?}");
            assert!(d.reason.contains("Acronis preset"));
        }
        assert_eq!(tag(&s[2]), "max-attempts");

        let s = RetryPolicy::new(RetryOptions {
            max_attempts: Some(5),
            base_delay_ms: Some(100),
            jitter: Some(Jitter::None),
            ..RetryOptions::default()
        })
        .unwrap()
        .schedule(&c, 10);
        assert_eq!(s.len(), 5);
        assert!(s[..4].iter().all(|d| d.delay_ms == 100));
    }

    #[test]
    fn every_jitter_stays_within_the_cap_and_the_seed_reproduces() {
        for jitter in [
            Jitter::Full,
            Jitter::Equal,
            Jitter::Decorrelated,
            Jitter::None,
        ] {
            let p = RetryPolicy::new(RetryOptions {
                seed: Some(42),
                jitter: Some(jitter),
                max_attempts: Some(30),
                max_delay_ms: Some(7_000),
                deadline_ms: Some(MAX_MS),
                ..RetryOptions::default()
            })
            .unwrap();
            let a = p.schedule(&http(502), 30);
            let b = p.schedule(&http(502), 30);
            assert_eq!(a, b);
            assert_eq!(a.len(), 30);
            assert!(a.iter().all(|d| d.delay_ms <= 7_000), "{jitter:?}");
        }
    }

    #[test]
    fn huge_multipliers_and_attempts_do_not_overflow() {
        let mut p = RetryPolicy::new(RetryOptions {
            multiplier: Some(10.0),
            max_attempts: Some(100),
            max_delay_ms: Some(MAX_MS),
            deadline_ms: Some(MAX_MS),
            jitter: Some(Jitter::None),
            ..RetryOptions::default()
        })
        .unwrap();
        let d = p.decide(&http(500), &DecisionContext::new(99, 0));
        assert!(d.retry);
        assert_eq!(d.delay_ms, MAX_MS);
        let d = p.decide(&http(500), &DecisionContext::new(u32::MAX, 0));
        assert_eq!(tag(&d), "max-attempts");
    }

    #[test]
    fn from_json_reads_options_and_names_the_bad_field() {
        let o = RetryOptions::from_json(&json!({
            "maxAttempts": 3.0, "jitter": "full", "seed": 7,
            "busy": {"maxAttempts": 2}, "nonIdempotent": "safe-only", "trustVendorCodes": false
        }))
        .unwrap();
        assert_eq!(o.max_attempts, Some(3));
        assert_eq!(o.jitter, Some(Jitter::Full));
        assert_eq!(o.busy.unwrap().max_attempts, Some(2));
        assert_eq!(o.non_idempotent, Some(NonIdempotent::SafeOnly));
        assert_eq!(
            RetryOptions::from_json(&Value::Null).unwrap(),
            RetryOptions::default()
        );

        let cases = [
            (
                json!({"max_attempts": 3}),
                "options",
                "did you mean maxAttempts",
            ),
            (
                json!({"maxAttempts": "3"}),
                "maxAttempts",
                "non-negative integer",
            ),
            (json!({"maxAttempts": 0}), "maxAttempts", "from 1 to 100"),
            (
                json!({"maxAttempts": 1.5}),
                "maxAttempts",
                "non-negative integer",
            ),
            (json!({"jitter": "fulll"}), "jitter", "\"decorrelated\""),
            (json!({"multiplier": 0.5}), "multiplier", "from 1 to 10"),
            (json!({"baseDelayMs": 40000}), "baseDelayMs", "the default"),
            (
                json!({"busy": {"multiplier": "x"}}),
                "busy.multiplier",
                "number",
            ),
            (json!({"busy": {"foo": 1}}), "busy", "\"foo\""),
            (json!({"seed": -1}), "seed", "non-negative"),
            (json!([1]), "options", "an array"),
        ];
        for (value, field, text) in cases {
            match RetryOptions::from_json(&value) {
                Err(Error::InvalidOption { name, problem }) => {
                    assert_eq!(name, field, "{value}");
                    assert!(problem.contains(text), "{value}: {problem}");
                }
                other => panic!("{value}: {other:?}"),
            }
        }
    }

    #[test]
    fn serde_shapes_are_camel_case() {
        let o: RetryOptions =
            serde_json::from_value(json!({"maxRetryAfterMs": 5, "jitter": "none"})).unwrap();
        assert_eq!(o.max_retry_after_ms, Some(5));
        assert!(serde_json::from_value::<RetryOptions>(json!({"bogus": 1})).is_err());
        let ctx: DecisionContext =
            serde_json::from_value(json!({"attempt": 2, "elapsedMs": 10})).unwrap();
        assert_eq!(ctx, DecisionContext::new(2, 10));
        let ctx: DecisionContext = serde_json::from_value(json!({})).unwrap();
        assert_eq!(ctx.attempt, 1);
        let d = seeded(1).decide(&http(409), &ctx);
        let v = serde_json::to_value(&d).unwrap();
        for key in [
            "retry",
            "delayMs",
            "reason",
            "attempt",
            "earlierAttemptMayHaveSucceeded",
        ] {
            assert!(v.get(key).is_some(), "{key}");
        }
    }

    #[test]
    fn unseeded_policies_differ() {
        let a = RetryPolicy::default().schedule(&http(503), 4);
        let b = RetryPolicy::default().schedule(&http(503), 4);
        let delays = |s: &[RetryDecision]| s.iter().map(|d| d.delay_ms).collect::<Vec<_>>();
        assert_ne!(delays(&a), delays(&b));
    }
}
