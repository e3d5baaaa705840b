//! A circuit breaker: while a vendor is down, calls fail at once instead of each sending its
//! attempts and waiting out its backoff.
//!
//! It counts the outcomes that say the service is unhealthy ([`Health::of`]: a 5xx other than
//! a documented refusal, a timeout, no connection or a lost one) and never a 4xx, a 409, a
//! busy resource or throttling, which are answers of a working service. After
//! `failureThreshold` unhealthy outcomes in a row it opens: nothing is sent for `openMs`.
//! Then it half-opens: one call at a time goes through as a probe; `halfOpenProbes` healthy
//! probes close it, an unhealthy one opens it again. A probe that never reports (its call was
//! abandoned) gives its turn to the next call after `openMs`.
//!
//! The state is a few numbers ([`Breaker::words`]): the JS object keeps them between calls,
//! and a `RedisCoordinator` keeps them in Redis for a fleet; every change is made here.

use crate::args::options::{int_field, top_level, unknown_field};
use crate::args::{Arg, Kind};
use crate::cat;
use crate::error::Error;
use crate::model::{Category, Classification};

/// Unhealthy outcomes in a row that open the breaker: 5.
pub const DEFAULT_FAILURE_THRESHOLD: u32 = 5;
/// How long an open breaker sends nothing: 30 s.
pub const DEFAULT_OPEN_MS: u64 = 30_000;
/// Healthy probes that close a half-open breaker: 1.
pub const DEFAULT_HALF_OPEN_PROBES: u32 = 1;
/// The largest `failureThreshold` and `halfOpenProbes`.
pub const MAX_COUNT: u32 = 10_000;
/// The longest `openMs`: one day.
pub const MAX_OPEN_MS: u64 = 86_400_000;

/// The option names [`BreakerOptions::from_arg`] accepts (`onStateChange` is the JS
/// layer's; here it is only checked to be a function).
const FIELDS: &[&str] = &[
    "failureThreshold",
    "openMs",
    "halfOpenProbes",
    "onStateChange",
];

/// A breaker's options, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakerOptions {
    /// Unhealthy outcomes in a row that open it, 1–[`MAX_COUNT`].
    pub failure_threshold: u32,
    /// How long it stays open, 1–[`MAX_OPEN_MS`] ms.
    pub open_ms: u64,
    /// Healthy probes that close it, 1–[`MAX_COUNT`].
    pub half_open_probes: u32,
}

impl Default for BreakerOptions {
    fn default() -> Self {
        BreakerOptions {
            failure_threshold: DEFAULT_FAILURE_THRESHOLD,
            open_ms: DEFAULT_OPEN_MS,
            half_open_probes: DEFAULT_HALF_OPEN_PROBES,
        }
    }
}

impl BreakerOptions {
    /// Reads the options of `new CircuitBreaker(options)` (`undefined`/`null`: the
    /// defaults); an unknown field, a wrong type or a value out of range is
    /// [`Error::InvalidOption`] naming the field.
    pub fn from_arg(value: &Arg) -> Result<BreakerOptions, Error> {
        let mut o = BreakerOptions::default();
        let Some(entries) = top_level(value, "{ failureThreshold: 5, openMs: 30000 }")? else {
            return Ok(o);
        };
        for (key, v) in entries {
            match *key {
                "failureThreshold" => {
                    o.failure_threshold =
                        count(v, "failureThreshold")?.unwrap_or(o.failure_threshold)
                }
                "halfOpenProbes" => {
                    o.half_open_probes = count(v, "halfOpenProbes")?.unwrap_or(o.half_open_probes)
                }
                "openMs" => {
                    if let Some(ms) = int_field::<u64>(v, "openMs")? {
                        if !(1..=MAX_OPEN_MS).contains(&ms) {
                            return Err(out_of_range("openMs", MAX_OPEN_MS, ms));
                        }
                        o.open_ms = ms;
                    }
                }
                "onStateChange" => {
                    if !matches!(v, Arg::Undefined | Arg::Null | Arg::Other(Kind::Function)) {
                        return Err(Error::InvalidOption {
                            name: "onStateChange",
                            problem: cat!("must be a function, got ", v.describe()),
                        });
                    }
                }
                _ => return Err(unknown_field("breaker", key, FIELDS)),
            }
        }
        Ok(o)
    }
}

/// A count option, 1–[`MAX_COUNT`] (`None` when unset).
fn count(v: &Arg, name: &'static str) -> Result<Option<u32>, Error> {
    let n = int_field::<u32>(v, name)?;
    match n {
        Some(n) if !(1..=MAX_COUNT).contains(&n) => {
            Err(out_of_range(name, u64::from(MAX_COUNT), u64::from(n)))
        }
        other => Ok(other),
    }
}

fn out_of_range(name: &'static str, max: u64, got: u64) -> Error {
    Error::InvalidOption {
        name,
        problem: cat!("must be an integer from 1 to ", max, ", got ", got),
    }
}

/// Where a breaker is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BreakerState {
    /// Calls go through; unhealthy outcomes in a row are counted.
    #[default]
    Closed,
    /// Calls are refused without sending.
    Open,
    /// One call at a time goes through as a probe.
    HalfOpen,
}

impl BreakerState {
    /// Every state, in the order of their index on the wire.
    pub const ALL: [BreakerState; 3] = [
        BreakerState::Closed,
        BreakerState::Open,
        BreakerState::HalfOpen,
    ];

    /// The state's name (`breaker.state`): `closed`, `open`, `half-open`.
    pub const fn name(self) -> &'static str {
        match self {
            BreakerState::Closed => "closed",
            BreakerState::Open => "open",
            BreakerState::HalfOpen => "half-open",
        }
    }
}

/// What an outcome says of the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    /// It answered as a working service does: a success, a 4xx, a 409, busy, throttling, a
    /// documented refusal.
    Healthy,
    /// It failed: a 5xx other than a documented refusal, a timeout, no connection, a lost one.
    Unhealthy,
    /// Nothing is known: the call was abandoned before its attempt ended.
    Unknown,
}

impl Health {
    /// What a judged attempt says: unhealthy for a failure of the server or of the way to
    /// it (no response: status 0; a 5xx whose category is a server error, a timeout, a
    /// network failure or unknown, and whose action is a retry: a vendor's documented
    /// refusal is not), healthy for every other answer.
    pub fn of(c: &Classification) -> Health {
        let failed_category = matches!(
            c.category,
            Category::ServerError | Category::Timeout | Category::Network | Category::Unknown
        );
        let unhealthy = match c.status {
            0 => true,
            500..=599 => failed_category && c.action.is_retryable(),
            _ => false,
        };
        if unhealthy {
            Health::Unhealthy
        } else {
            Health::Healthy
        }
    }
}

/// Why a breaker changed state (`onStateChange`'s `reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeReason {
    /// `failureThreshold` unhealthy outcomes in a row: closed → open.
    FailureThreshold,
    /// `openMs` passed: open → half-open.
    OpenElapsed,
    /// `halfOpenProbes` healthy probes: half-open → closed.
    ProbesSucceeded,
    /// A probe was unhealthy: half-open → open.
    ProbeFailed,
}

impl ChangeReason {
    /// Every reason, in the order of their index on the wire.
    pub const ALL: [ChangeReason; 4] = [
        ChangeReason::FailureThreshold,
        ChangeReason::OpenElapsed,
        ChangeReason::ProbesSucceeded,
        ChangeReason::ProbeFailed,
    ];

    /// The reason's name: `failure-threshold`, `open-elapsed`, `probes-succeeded`,
    /// `probe-failed`.
    pub const fn name(self) -> &'static str {
        match self {
            ChangeReason::FailureThreshold => "failure-threshold",
            ChangeReason::OpenElapsed => "open-elapsed",
            ChangeReason::ProbesSucceeded => "probes-succeeded",
            ChangeReason::ProbeFailed => "probe-failed",
        }
    }
}

/// A change of state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    /// The state before.
    pub from: BreakerState,
    /// The state after.
    pub to: BreakerState,
    /// Why.
    pub reason: ChangeReason,
}

/// Whether a call may send its attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Send it; `probe` when it is the half-open breaker's probe (its outcome must be
    /// recorded as one, or released).
    Send {
        /// The attempt is the probe.
        probe: bool,
    },
    /// Send nothing: the breaker is open, or half-open with its probe out, for this long.
    Refuse {
        /// Ms until a call may go through (the breaker half-opens, or the probe's turn lapses).
        retry_after_ms: u64,
    },
}

/// A breaker's state: the numbers its owner keeps between calls ([`Breaker::words`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Breaker {
    /// Where it is.
    pub state: BreakerState,
    /// Closed: unhealthy outcomes in a row. Half-open: healthy probes so far.
    pub count: u32,
    /// Open: when it opened. Half-open: when the probe now out was sent (`None`: no probe
    /// out). Ms on the owner's clock.
    pub since_ms: Option<u64>,
}

impl Breaker {
    /// Whether a call may send an attempt at `now_ms`, and the change of state that brings.
    pub fn admit(&mut self, o: &BreakerOptions, now_ms: u64) -> (Admission, Option<Change>) {
        let until = |since: u64| since.saturating_add(o.open_ms);
        match (self.state, self.since_ms) {
            (BreakerState::Closed, _) => (Admission::Send { probe: false }, None),
            (BreakerState::Open, since) if now_ms < until(since.unwrap_or(0)) => (
                Admission::Refuse {
                    retry_after_ms: until(since.unwrap_or(0)) - now_ms,
                },
                None,
            ),
            (BreakerState::Open, _) => {
                *self = Breaker {
                    state: BreakerState::HalfOpen,
                    count: 0,
                    since_ms: Some(now_ms),
                };
                let change = Change {
                    from: BreakerState::Open,
                    to: BreakerState::HalfOpen,
                    reason: ChangeReason::OpenElapsed,
                };
                (Admission::Send { probe: true }, Some(change))
            }
            (BreakerState::HalfOpen, Some(sent)) if now_ms < until(sent) => (
                Admission::Refuse {
                    retry_after_ms: until(sent) - now_ms,
                },
                None,
            ),
            (BreakerState::HalfOpen, _) => {
                self.since_ms = Some(now_ms);
                (Admission::Send { probe: true }, None)
            }
        }
    }

    /// Records the outcome of an attempt the breaker let through (`probe`: as its probe) at
    /// `now_ms`; the change of state it brings.
    pub fn record(
        &mut self,
        o: &BreakerOptions,
        health: Health,
        probe: bool,
        now_ms: u64,
    ) -> Option<Change> {
        let open = |from, reason| {
            (
                Breaker {
                    state: BreakerState::Open,
                    count: 0,
                    since_ms: Some(now_ms),
                },
                Change {
                    from,
                    to: BreakerState::Open,
                    reason,
                },
            )
        };
        match (self.state, health) {
            (BreakerState::Closed, Health::Unhealthy) => {
                self.count = self.count.saturating_add(1);
                if self.count < o.failure_threshold {
                    return None;
                }
                let (next, change) = open(BreakerState::Closed, ChangeReason::FailureThreshold);
                *self = next;
                Some(change)
            }
            (BreakerState::Closed, Health::Healthy) => {
                self.count = 0;
                None
            }
            (BreakerState::HalfOpen, Health::Unhealthy) if probe => {
                let (next, change) = open(BreakerState::HalfOpen, ChangeReason::ProbeFailed);
                *self = next;
                Some(change)
            }
            (BreakerState::HalfOpen, Health::Healthy) if probe => {
                self.count = self.count.saturating_add(1);
                self.since_ms = None;
                if self.count < o.half_open_probes {
                    return None;
                }
                *self = Breaker::default();
                Some(Change {
                    from: BreakerState::HalfOpen,
                    to: BreakerState::Closed,
                    reason: ChangeReason::ProbesSucceeded,
                })
            }
            (BreakerState::HalfOpen, Health::Unknown) if probe => {
                self.since_ms = None; // the next call probes
                None
            }
            // An attempt sent before the breaker opened (or another process's probe) that
            // ends now says nothing about this state's question.
            _ => None,
        }
    }

    /// The state as 4 words: state, count, since (low, high; `u32::MAX` twice: none).
    pub fn words(&self) -> [u32; 4] {
        let state = self.state as u32;
        let (lo, hi) = self
            .since_ms
            .map_or((u32::MAX, u32::MAX), |ms| (ms as u32, (ms >> 32) as u32));
        [state, self.count, lo, hi]
    }

    /// The state from [`Breaker::words`]; a state index out of range reads as closed.
    pub fn from_words(w: [u32; 4]) -> Breaker {
        let since =
            (w[2] != u32::MAX || w[3] != u32::MAX).then(|| u64::from(w[2]) | u64::from(w[3]) << 32);
        Breaker {
            state: BreakerState::ALL
                .get(w[0] as usize)
                .copied()
                .unwrap_or_default(),
            count: w[1],
            since_ms: since,
        }
    }
}

#[cfg(test)]
mod tests;
