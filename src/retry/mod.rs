//! The retry policy: after each failed attempt, [`RetryPolicy::decide`] turns a
//! [`Classification`] into a [`RetryDecision`] — retry or stop, how long to wait, and which
//! rule of `docs/design.md` ("Retry rules") decided it.
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
//! | `busy-after-ambiguous` | a non-idempotent request answered "busy" after an ambiguous failure: the earlier attempt probably started the job |
//! | `non-idempotent` | a non-idempotent request after an ambiguous failure (it may have been processed) |
//! | `max-attempts` | the schedule's attempts are used up |
//! | `server-wait-too-long` | the server's wait exceeds `maxRetryAfterMs`: not shortened, not retried |
//! | `deadline` | the wait would end past `deadlineMs` |
//! | `server-wait` | retried after the server's wait (`Retry-After` and friends) |
//! | `busy-schedule` | `wait_and_retry`: retried on the longer busy schedule |
//! | `5xx-backoff` | a 5xx retried with exponential backoff |
//! | `backoff` | another transient failure (no response, timeout, 408, 425, 429 without a wait) |
//! | `caller-veto`, `caller-retry` | the caller's `shouldRetry` overruled the policy ([`RetryPolicy::overrule`]) |
//!
//! The per-call state machine (`crate::call`) adds `budget` (the retry budget is spent) and
//! `stream-body` (the request body cannot be sent twice).
//!
//! Delays: `d = min(cap, base × multiplier^(attempt-1))`, then jitter (see [`Jitter`]). The
//! server's own wait is a floor: the delay is `max(server wait, jittered backoff)` — see
//! [`RetryPolicy::decide`] for why.
//!
//! Files: this one holds the types and the schedules; `decide.rs` the decision rules;
//! `options.rs` the defaults with their reasons, the option types and their JSON reading and
//! validation; `presets.rs` the schedules vendors document ([`VENDOR_PRESETS`]); `jitter.rs`
//! the generator and the backoff maths.

mod decide;
mod jitter;
mod options;
mod presets;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::classify::http_rule;
use crate::error::Error;
use crate::model::{Action, Classification};
use crate::prelude::*;
use crate::reason::Reason;

use jitter::{entropy_seed, SplitMix64};
pub use options::{
    BusySchedule, Jitter, NonIdempotent, ResolvedBusy, ResolvedOptions, RetryOptions,
    DEFAULT_BASE_DELAY_MS, DEFAULT_BUSY_BASE_DELAY_MS, DEFAULT_BUSY_MAX_ATTEMPTS,
    DEFAULT_BUSY_MAX_DELAY_MS, DEFAULT_BUSY_MULTIPLIER, DEFAULT_DEADLINE_MS, DEFAULT_JITTER,
    DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_DELAY_MS, DEFAULT_MAX_RETRY_AFTER_MS, DEFAULT_MULTIPLIER,
    DEFAULT_NON_IDEMPOTENT, MAX_ATTEMPTS_LIMIT, MAX_MS, MAX_MULTIPLIER,
};
pub use presets::{VendorPreset, VENDOR_PRESETS};

/// What the policy knows about the attempt that just ended. In JSON only `attempt` and
/// `elapsedMs` are usually given; missing fields take their defaults (`attempt` 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DecisionContext {
    /// The attempt that just ended, 1-based (0 is read as 1).
    pub attempt: u32,
    /// Milliseconds since the first attempt of this call started.
    pub elapsed_ms: u64,
    /// The request's HTTP method, when known (for the idempotency rules). Unknown counts as
    /// idempotent: the plain HTTP rules of the status apply.
    pub method: Option<String>,
    /// An earlier attempt of this call ended ambiguously (a 5xx, a timeout, a connection lost
    /// after sending): it may have been processed, so a later 409 or busy answer probably
    /// means it went through.
    pub earlier_ambiguous_failure: bool,
    /// The caller says sending the request twice is harmless whatever its method (the
    /// executors set it for a request with an `Idempotency-Key` header).
    pub idempotent: bool,
}

impl Default for DecisionContext {
    fn default() -> Self {
        DecisionContext {
            attempt: 1,
            elapsed_ms: 0,
            method: None,
            earlier_ambiguous_failure: false,
            idempotent: false,
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

    /// Whether a retry of this request cannot run it twice by its nature: the caller said so
    /// (`idempotent`), or its method is idempotent (RFC 9110 §9.2.2: GET, HEAD, OPTIONS, PUT,
    /// DELETE, TRACE), or the method is unknown (the status alone decides).
    pub fn request_is_idempotent(&self) -> bool {
        self.idempotent
            || self.method.as_deref().is_none_or(|m| {
                let m = m.trim();
                ["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"]
                    .iter()
                    .any(|i| m.eq_ignore_ascii_case(i))
            })
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
    pub reason: Reason,
    /// The attempt that just ended (`DecisionContext::attempt`, as given).
    pub attempt: u32,
    /// A 409 or a busy answer after an ambiguous failure: the earlier attempt probably went
    /// through (started the job); read the resource instead of treating this as an error.
    pub earlier_attempt_may_have_succeeded: bool,
}

/// Which schedule a classification gets. Serialised as `"main"`, `"busy"`, `"preset"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ScheduleKind {
    /// The main schedule (`maxAttempts`, `baseDelayMs`, …).
    Main,
    /// The busy schedule of `wait_and_retry` (`busy`).
    Busy,
    /// A vendor's documented schedule, with the caller's options filling nothing it sets.
    Preset,
}

impl ScheduleKind {
    /// Every kind, in the order of their wire indexes.
    pub const ALL: [ScheduleKind; 3] =
        [ScheduleKind::Main, ScheduleKind::Busy, ScheduleKind::Preset];

    /// The name it serialises to.
    pub const fn name(self) -> &'static str {
        match self {
            ScheduleKind::Main => "main",
            ScheduleKind::Busy => "busy",
            ScheduleKind::Preset => "preset",
        }
    }
}

/// One resolved schedule: options, then preset, then defaults. Serialised in camelCase.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Schedule {
    /// Which schedule it is.
    pub kind: ScheduleKind,
    /// Total attempts, the first included.
    pub max_attempts: u32,
    /// First delay before jitter, ms.
    pub base_delay_ms: u64,
    /// Cap on one delay, ms.
    pub max_delay_ms: u64,
    /// Growth per attempt.
    pub multiplier: f64,
    /// How delays are randomised.
    pub jitter: Jitter,
    /// The vendor preset it comes from, if any.
    pub preset: Option<&'static VendorPreset>,
}

/// One attempt of [`RetryPolicy::plan`]: the decision, and where its delay could have fallen.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlannedAttempt {
    /// The decision after this attempt.
    #[serde(flatten)]
    pub decision: RetryDecision,
    /// For a retry: the shortest delay the jitter could have drawn (server wait included).
    pub min_delay_ms: Option<u64>,
    /// For a retry: the longest delay the jitter could have drawn (server wait included).
    pub max_delay_ms: Option<u64>,
}

/// What the policy does with a classification, attempt by attempt: the schedule it picks, and
/// each decision with the range its delay is drawn from. For drawings and explanations.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// The schedule the classification gets.
    pub schedule: Schedule,
    /// The longest server wait the policy sleeps through, ms.
    pub max_retry_after_ms: u64,
    /// The overall deadline, ms.
    pub deadline_ms: u64,
    /// The decisions of attempts 1, 2, … up to the first stop.
    pub attempts: Vec<PlannedAttempt>,
}

/// Decides, after each failed attempt, whether and when to retry. Holds the options, the
/// jitter generator and (for decorrelated jitter) the previous delay.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    options: RetryOptions,
    seed: u64,
    rng: SplitMix64,
    prev_delay_ms: Option<u64>,
}

impl Default for RetryPolicy {
    /// The default policy (all `DEFAULT_*` constants), seeded as [`RetryPolicy::new`] says.
    fn default() -> Self {
        let seed = entropy_seed();
        RetryPolicy {
            options: RetryOptions::default(),
            seed,
            rng: SplitMix64(seed),
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
            seed,
            rng: SplitMix64(seed),
            prev_delay_ms: None,
        })
    }

    /// The options as the caller gave them.
    pub fn options(&self) -> &RetryOptions {
        &self.options
    }

    /// A policy as [`RetryPolicy::state`] and [`RetryPolicy::options`] described it (the JS
    /// layer keeps a policy's state and passes it to each call). The options are taken as
    /// valid; the seed is the options' seed, else the generator's state.
    pub fn restore(options: RetryOptions, rng: u64, prev_delay_ms: Option<u64>) -> RetryPolicy {
        RetryPolicy {
            seed: options.seed.unwrap_or(rng),
            options,
            rng: SplitMix64(rng),
            prev_delay_ms,
        }
    }

    /// The jitter generator's state and the previous delay of decorrelated jitter.
    pub fn state(&self) -> (u64, Option<u64>) {
        (self.rng.0, self.prev_delay_ms)
    }

    /// Every option with the value the policy uses: the caller's, else the default (the seed
    /// it drew when none was given). Vendor presets are not folded in: they apply per
    /// classification ([`RetryPolicy::schedule_for`]).
    pub fn resolved(&self) -> ResolvedOptions {
        self.options.resolve(self.seed)
    }

    /// The decisions `c` would get on attempts 1..=`attempts` (at most 100), each wait added
    /// to the elapsed time, up to and including the first `retry: false`, for a request like
    /// `request` (its method and `idempotent`; attempt and elapsed time are ignored). Works on
    /// a copy: the policy's own generator is not advanced.
    pub fn schedule(
        &self,
        c: &Classification,
        attempts: u32,
        request: &DecisionContext,
    ) -> Vec<RetryDecision> {
        self.plan(c, attempts, request)
            .attempts
            .into_iter()
            .map(|a| a.decision)
            .collect()
    }

    /// [`RetryPolicy::schedule`] with the schedule it uses and the range each delay is drawn
    /// from.
    pub fn plan(&self, c: &Classification, attempts: u32, request: &DecisionContext) -> Plan {
        let mut p = self.clone();
        let schedule = self.schedule_for(c);
        let mut elapsed = 0u64;
        let mut out = Vec::new();
        for attempt in 1..=attempts.clamp(1, MAX_ATTEMPTS_LIMIT) {
            let ctx = DecisionContext {
                attempt,
                elapsed_ms: elapsed,
                ..request.clone()
            };
            let (lo, hi) = p.delay_range(&schedule, attempt);
            let decision = p.decide(c, &ctx);
            let range = decision.retry.then(|| {
                let wait = c.retry_after_ms.unwrap_or(0);
                (lo.max(wait), hi.max(wait))
            });
            elapsed = elapsed.saturating_add(decision.delay_ms);
            let done = !decision.retry;
            out.push(PlannedAttempt {
                decision,
                min_delay_ms: range.map(|r| r.0),
                max_delay_ms: range.map(|r| r.1),
            });
            if done {
                break;
            }
        }
        let resolved = self.resolved();
        Plan {
            schedule,
            max_retry_after_ms: resolved.max_retry_after_ms,
            deadline_ms: resolved.deadline_ms,
            attempts: out,
        }
    }

    /// The total attempts the policy allows for a call ending like `c` (presets included).
    pub fn max_attempts_for(&self, c: &Classification) -> u32 {
        self.schedule_for(c).max_attempts
    }

    /// The schedule a classification gets: the busy schedule for `wait_and_retry`, else the
    /// main one with the vendor preset ([`VENDOR_PRESETS`]) filling unset fields. With
    /// `trustVendorCodes: false` the action is [`http_rule`]'s.
    pub fn schedule_for(&self, c: &Classification) -> Schedule {
        let (_, action) = self.effective_meaning(c);
        self.schedule_of(c, action)
    }

    /// The category and action the rules apply: the classification's, or with
    /// `trustVendorCodes: false` the plain HTTP rule's (status 0 has no vendor code to
    /// distrust: the classification's).
    fn effective_meaning(&self, c: &Classification) -> (crate::model::Category, Action) {
        if self.options.trust_vendor_codes.unwrap_or(true) || c.status == 0 {
            (c.category, c.action)
        } else {
            let r = http_rule(c.status);
            (r.category, r.action)
        }
    }

    /// The schedule for a classification with effective `action`.
    fn schedule_of(&self, c: &Classification, action: Action) -> Schedule {
        let o = &self.options;
        if action == Action::WaitAndRetry {
            let b = o.busy.clone().unwrap_or_default();
            return Schedule {
                kind: ScheduleKind::Busy,
                max_attempts: b.max_attempts.unwrap_or(DEFAULT_BUSY_MAX_ATTEMPTS),
                base_delay_ms: b.base_delay_ms.unwrap_or(DEFAULT_BUSY_BASE_DELAY_MS),
                max_delay_ms: b.max_delay_ms.unwrap_or(DEFAULT_BUSY_MAX_DELAY_MS),
                multiplier: b.multiplier.unwrap_or(DEFAULT_BUSY_MULTIPLIER),
                jitter: o.jitter.unwrap_or(DEFAULT_JITTER),
                preset: None,
            };
        }
        let preset = VENDOR_PRESETS.iter().find(|p| p.applies_to(c));
        Schedule {
            kind: if preset.is_some() {
                ScheduleKind::Preset
            } else {
                ScheduleKind::Main
            },
            max_attempts: o
                .max_attempts
                .or(preset.map(|p| p.max_attempts))
                .unwrap_or(DEFAULT_MAX_ATTEMPTS),
            base_delay_ms: o
                .base_delay_ms
                .or(preset.map(|p| p.base_delay_ms))
                .unwrap_or(DEFAULT_BASE_DELAY_MS),
            max_delay_ms: o
                .max_delay_ms
                .or(preset.map(|p| p.max_delay_ms))
                .unwrap_or(DEFAULT_MAX_DELAY_MS),
            multiplier: o
                .multiplier
                .or(preset.map(|p| p.multiplier))
                .unwrap_or(DEFAULT_MULTIPLIER),
            jitter: o
                .jitter
                .or(preset.map(|p| p.jitter))
                .unwrap_or(DEFAULT_JITTER),
            preset,
        }
    }
}
