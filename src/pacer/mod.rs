//! Adaptive pacing: a client-side rate limiter that learns a sending rate from throttling
//! answers and spaces the attempts of every call (first attempts as well as retries) once
//! throttling has been seen; before that it adds no delay.
//!
//! The algorithm is the AWS SDKs' adaptive retry mode (their `ClientRateLimiter`): a token
//! bucket whose fill rate follows CUBIC — on a throttling answer the rate drops to `BETA` (0.7)
//! times the rate measured then; on other answers it grows back along a cubic curve centred
//! on the rate where the last throttling happened, and never above twice the measured rate.
//! One change for the vendors' long server waits: the time a server asked the client not to
//! send (a 429's `Retry-After`) is not counted as sending slowly, so the measured rate is the
//! rate of the time the client could send.
//!
//! A window limit (n requests, then a wait to the window's end) is learnt from whole cycles:
//! at a throttling answer with a wait, the rate is at most the answers accepted since the
//! last wait ended over that time plus the new wait. Two more, for the same reason: no turn is given before a server's wait ends (the answer
//! that carried it spoke for every request of the client), and the answers of one throttling
//! (those sent before its wait was known) cut the rate once.
//!
//! A turn is reserved when taken: concurrent calls each get the next slot, so ten calls that
//! arrive together are spaced rather than sent at once. A call whose turn is further away than
//! `maxWaitMs` (or its deadline) does not take it ([`Pacer::turn`]).

use crate::args::options::{int_field, top_level, unknown_field};
use crate::args::Arg;
use crate::cat;
use crate::error::Error;
use crate::model::{Category, Classification};
use crate::num;

/// The longest a call waits for its turn by default: 60 s (as `maxRetryAfterMs`).
pub const DEFAULT_MAX_WAIT_MS: u64 = 60_000;
/// The largest `maxWaitMs`: one day.
pub const MAX_MAX_WAIT_MS: u64 = 86_400_000;

/// The rate after a throttling answer, as a share of the rate then (CUBIC's β).
const BETA: f64 = 0.7;
/// CUBIC's scaling constant C (requests per second³).
const SCALE: f64 = 0.4;
/// The weight of the newest measurement in the measured rate.
const SMOOTH: f64 = 0.8;
/// The slowest rate, requests per second (the AWS SDKs').
const MIN_FILL_RATE: f64 = 0.5;
/// The smallest bucket: one request.
const MIN_CAPACITY: f64 = 1.0;
/// The length of a measurement bucket, s.
const BUCKET_S: f64 = 0.5;

/// A pacer's options, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PacerOptions {
    /// The longest a call waits for its turn, 1–[`MAX_MAX_WAIT_MS`] ms.
    pub max_wait_ms: u64,
}

impl Default for PacerOptions {
    fn default() -> Self {
        PacerOptions {
            max_wait_ms: DEFAULT_MAX_WAIT_MS,
        }
    }
}

impl PacerOptions {
    /// Reads the options of `new Pacer(options)` (`undefined`/`null`: the defaults); an
    /// unknown field, a wrong type or a value out of range is [`Error::InvalidOption`].
    pub fn from_arg(value: &Arg) -> Result<PacerOptions, Error> {
        let mut o = PacerOptions::default();
        let Some(entries) = top_level(value, "{ maxWaitMs: 60000 }")? else {
            return Ok(o);
        };
        for (key, v) in entries {
            match *key {
                "maxWaitMs" => {
                    if let Some(ms) = int_field::<u64>(v, "maxWaitMs")? {
                        if !(1..=MAX_MAX_WAIT_MS).contains(&ms) {
                            return Err(Error::InvalidOption {
                                name: "maxWaitMs",
                                problem: cat!(
                                    "must be an integer from 1 to ",
                                    MAX_MAX_WAIT_MS,
                                    ", got ",
                                    ms
                                ),
                            });
                        }
                        o.max_wait_ms = ms;
                    }
                }
                _ => return Err(unknown_field("pacer", key, &["maxWaitMs"])),
            }
        }
        Ok(o)
    }
}

/// Whether an answer is throttling: a rate limit (429, the vendors' throttling codes) or a
/// 503 that says how long to wait.
pub fn is_throttling(c: &Classification) -> bool {
    c.category == Category::RateLimited || (c.status == 503 && c.retry_after_ms.is_some())
}

/// A pacer's state: the numbers its owner keeps between calls ([`Pacer::words`]). Times are
/// seconds on the owner's clock, rates requests per second.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Pacer {
    /// Throttling has been seen: turns are paced.
    pub enabled: bool,
    /// The bucket's fill rate.
    pub fill_rate: f64,
    /// The bucket's size.
    pub max_capacity: f64,
    /// The tokens in the bucket (below 0: turns reserved ahead).
    pub capacity: f64,
    /// When the bucket was last filled.
    pub last_refill: f64,
    /// The measured sending rate, smoothed.
    pub measured_rate: f64,
    /// The start of the current measurement bucket.
    pub last_bucket: f64,
    /// Answers counted in the current bucket.
    pub request_count: f64,
    /// The rate when the last throttling answer came.
    pub last_max_rate: f64,
    /// When it came.
    pub last_throttle: f64,
    /// When the server's last wait ends (sending is paused until then).
    pub paused_until: f64,
    /// When the current throttling cycle began: the first answer, or the end of the last
    /// throttling's wait.
    pub cycle_start: f64,
    /// Answers that were not throttling since then.
    pub cycle_ok: f64,
}

/// The number of words of [`Pacer::words`].
pub const PACER_WORDS: usize = 13;

impl Pacer {
    /// A turn for an attempt at `now_ms`: the ms to wait before sending it, reserved; or,
    /// when that is more than `limit_ms` (`maxWaitMs`, or what is left before the call's
    /// deadline), `Err` with that wait, and nothing reserved.
    pub fn turn(&mut self, now_ms: f64, limit_ms: u64) -> Result<u64, u64> {
        if !self.enabled {
            return Ok(0);
        }
        let now = now_ms / 1000.0;
        self.refill(now);
        let after = self.capacity - 1.0;
        let turn_s = if after >= 0.0 {
            0.0
        } else {
            -after / self.fill_rate
        };
        // No turn before the server's last wait ends: the answer that carried it spoke for
        // every request of this client.
        let turn_s = turn_s.max(self.paused_until - now);
        let wait_ms = num::ceil(turn_s * 1000.0) as u64;
        if wait_ms > limit_ms {
            return Err(wait_ms);
        }
        self.capacity = after;
        Ok(wait_ms)
    }

    /// The ms left at `now_ms` of the server's last wait: an attempt that waited for its turn
    /// while a throttling answer came is held until it ends.
    pub fn held_ms(&self, now_ms: f64) -> u64 {
        let left = self.paused_until * 1000.0 - now_ms;
        if self.enabled && left > 0.0 {
            num::ceil(left) as u64
        } else {
            0
        }
    }

    /// Learns from an answer at `now_ms`: throttling (with the server's wait, if it gave one)
    /// or not.
    pub fn record(&mut self, throttled: bool, server_wait_ms: Option<u64>, now_ms: f64) {
        let now = now_ms / 1000.0;
        self.measure(now);
        if throttled && now < self.paused_until {
            // Another answer of the throttling already learnt from (sent before its wait was
            // known): the rate is not cut again, only the wait may grow.
            if let Some(ms) = server_wait_ms {
                self.paused_until = self.paused_until.max(now + ms as f64 / 1000.0);
            }
            return;
        }
        if self.cycle_start == 0.0 {
            self.cycle_start = now;
        }
        let calculated = if throttled {
            let measured = if self.enabled {
                self.measured_rate.min(self.fill_rate)
            } else {
                self.measured_rate
            };
            // CUBIC: the rate drops to β of the rate at the throttling, and the curve climbs
            // back to that rate. With a wait, what the server accepted over the whole cycle
            // (its wait included) is the rate a window limit (n requests, then a wait to the
            // window's end) allows: the curve starts there, and reaches the limit again (a
            // throttling per window) only when the cycle ends.
            let sustainable = server_wait_ms.and_then(|ms| {
                let wait = ms as f64 / 1000.0;
                let cycle = (now - self.cycle_start + wait).max(BUCKET_S);
                let accepted = self.cycle_ok;
                self.cycle_start = now + wait;
                self.cycle_ok = 0.0;
                (accepted > 0.0).then(|| (accepted / cycle).min(measured.max(accepted / cycle)))
            });
            let rate = match sustainable {
                Some(s) => {
                    self.last_max_rate = s / BETA;
                    s
                }
                None => {
                    self.last_max_rate = measured;
                    measured * BETA
                }
            };
            self.last_throttle = now;
            if let Some(ms) = server_wait_ms {
                self.paused_until = self.paused_until.max(now + ms as f64 / 1000.0);
            }
            self.enabled = true;
            rate
        } else {
            self.cycle_ok += 1.0;
            self.cubic_success(now)
        };
        let rate = calculated.min(2.0 * self.measured_rate.max(self.last_max_rate));
        self.set_rate(rate, now);
    }

    fn time_window(&self) -> f64 {
        num::cbrt(self.last_max_rate * (1.0 - BETA) / SCALE)
    }

    /// CUBIC's rate `now`: the cubic through the last throttle's rate. The time the server
    /// asked not to send is not counted.
    fn cubic_success(&self, now: f64) -> f64 {
        let paused = (self.paused_until.min(now) - self.last_throttle).max(0.0);
        let dt = now - self.last_throttle - paused;
        SCALE * num::powi(dt - self.time_window(), 3) + self.last_max_rate
    }

    fn refill(&mut self, now: f64) {
        let elapsed = (now - self.last_refill).max(0.0);
        self.capacity = (self.capacity + elapsed * self.fill_rate).min(self.max_capacity);
        self.last_refill = now;
    }

    fn set_rate(&mut self, rate: f64, now: f64) {
        self.refill(now);
        self.fill_rate = rate.max(MIN_FILL_RATE);
        self.max_capacity = rate.max(MIN_CAPACITY);
        self.capacity = self.capacity.min(self.max_capacity);
    }

    /// Counts an answer in the measured rate (per half-second bucket, smoothed). A server's
    /// wait that ended within the bucket's span is left out of it.
    fn measure(&mut self, now: f64) {
        let bucket = floor(now / BUCKET_S) * BUCKET_S;
        self.request_count += 1.0;
        if self.last_bucket == 0.0 {
            self.last_bucket = bucket; // the first answer: the first bucket starts
            return;
        }
        if bucket > self.last_bucket {
            let paused = (self.paused_until.min(bucket) - self.last_bucket).max(0.0);
            let span = (bucket - self.last_bucket - paused).max(BUCKET_S);
            let rate = self.request_count / span;
            self.measured_rate = rate * SMOOTH + self.measured_rate * (1.0 - SMOOTH);
            self.request_count = 0.0;
            self.last_bucket = bucket;
        }
    }

    /// The state as numbers: enabled (0/1) and the ten others, in field order.
    pub fn words(&self) -> [f64; PACER_WORDS] {
        [
            f64::from(u8::from(self.enabled)),
            self.fill_rate,
            self.max_capacity,
            self.capacity,
            self.last_refill,
            self.measured_rate,
            self.last_bucket,
            self.request_count,
            self.last_max_rate,
            self.last_throttle,
            self.paused_until,
            self.cycle_start,
            self.cycle_ok,
        ]
    }

    /// The state from [`Pacer::words`]; numbers that are not finite read as 0 (a fresh pacer).
    pub fn from_words(w: [f64; PACER_WORDS]) -> Pacer {
        let w = w.map(|x| if x.is_finite() { x } else { 0.0 });
        Pacer {
            enabled: w[0] != 0.0,
            fill_rate: w[1],
            max_capacity: w[2],
            capacity: w[3],
            last_refill: w[4],
            measured_rate: w[5],
            last_bucket: w[6],
            request_count: w[7],
            last_max_rate: w[8],
            last_throttle: w[9],
            paused_until: w[10],
            cycle_start: w[11],
            cycle_ok: w[12],
        }
    }
}

/// The largest whole number not above `x` (`x` ≥ 0 here: times on the owner's clock).
fn floor(x: f64) -> f64 {
    num::trunc(x)
}

#[cfg(test)]
mod simulation;
#[cfg(test)]
mod tests;
