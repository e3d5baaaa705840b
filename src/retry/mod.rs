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
//!
//! Files: this one holds the decision rules ([`RetryPolicy`]); `options.rs` the defaults with
//! their reasons, the option types and their JSON reading and validation; `presets.rs` the
//! schedules vendors document ([`VENDOR_PRESETS`]); `jitter.rs` the generator and backoff maths.

mod jitter;
mod options;
mod presets;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::classify::http_rule;
use crate::error::Error;
use crate::model::{Action, Category, Classification};

use jitter::{entropy_seed, SplitMix64};
pub use options::{
    BusySchedule, Jitter, NonIdempotent, RetryOptions, DEFAULT_BASE_DELAY_MS,
    DEFAULT_BUSY_BASE_DELAY_MS, DEFAULT_BUSY_MAX_ATTEMPTS, DEFAULT_BUSY_MAX_DELAY_MS,
    DEFAULT_BUSY_MULTIPLIER, DEFAULT_DEADLINE_MS, DEFAULT_JITTER, DEFAULT_MAX_ATTEMPTS,
    DEFAULT_MAX_DELAY_MS, DEFAULT_MAX_RETRY_AFTER_MS, DEFAULT_MULTIPLIER, MAX_ATTEMPTS_LIMIT,
    MAX_MS, MAX_MULTIPLIER,
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
        let what = StatusText(status);

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
                 refreshes them (its `reauthenticate` hook) and sends the request once more."
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
                    category.name(),
                    c.summary
                ))
            } else {
                stop(format!(
                    "not-retryable: {what} is {} (action {}): sending it again as it is cannot \
                     succeed.",
                    category.name(),
                    action.name()
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
                category.name()
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
        // Static pieces, not formatted strings: `decide` runs on every failed attempt and a
        // quarter of its time went to `core::fmt` building the reason (bench/, README).
        let jitter = jitter_name(plan.jitter);
        let source = plan.preset.map_or("exponential backoff", |p| p.source);
        let mut reason = match c.retry_after_ms {
            Some(w) if w >= backoff => format!(
                "server-wait: {what}; the server asked to wait {w} ms: waiting exactly that \
                 before attempt {next} of {of}."
            ),
            Some(w) => format!(
                "server-wait: {what}; the server asked to wait {w} ms, our backoff ({source}, \
                 {jitter}) is longer: waiting {delay} ms before attempt {next} of {of}."
            ),
            None if plan.busy => format!(
                "busy-schedule: {what}: an operation is already running on the resource; \
                 waiting {delay} ms ({jitter}) for it to finish before attempt {next} of {of}."
            ),
            None if (500..=599).contains(&status) => format!(
                "5xx-backoff: {what} is a server failure; retrying after {delay} ms ({source}, \
                 {jitter}), attempt {next} of {of}."
            ),
            None => format!(
                "backoff: {what} ({}) is transient; retrying after {delay} ms ({source}, \
                 {jitter}), attempt {next} of {of}.",
                category.name()
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
}

/// A status as the reasons name it (`HTTP 503`, `no response`), written straight into the
/// reason rather than formatted into a string of its own first.
#[derive(Clone, Copy)]
struct StatusText(u16);

impl std::fmt::Display for StatusText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            0 => f.write_str("no response"),
            status => write!(f, "HTTP {status}"),
        }
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
        Jitter::Full => "full jitter",
        Jitter::Equal => "equal jitter",
        Jitter::Decorrelated => "decorrelated jitter",
        Jitter::None => "no jitter",
    }
}
