//! The randomness behind the delays: a small seeded generator, the seed used when the caller
//! gives none, and the backoff maths that turns a schedule and an attempt into a jittered delay.

use core::sync::atomic::{AtomicU64, Ordering};
#[cfg(not(feature = "standalone"))]
use std::collections::hash_map::RandomState;
#[cfg(not(feature = "standalone"))]
use std::hash::{BuildHasher, Hasher};

use super::{Jitter, RetryPolicy, Schedule};

/// splitmix64 (Steele, Lea, Flood 2014): tiny, fast, and good enough for jitter.
#[derive(Debug, Clone)]
pub(super) struct SplitMix64(pub(super) u64);

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
/// addresses, the same on every page load, so the JS layer passes a seed from
/// `Math.random()` when the caller gives none.
#[cfg(not(feature = "standalone"))]
pub(super) fn entropy_seed() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let local = 0u8;
    let mut h = RandomState::new().build_hasher();
    h.write_u64(n);
    h.write_usize(core::ptr::addr_of!(local) as usize);
    h.finish()
}

/// A seed when the caller gave none, in the standalone module (which has no entropy: the JS
/// layer passes a random seed, so this is reached only by a policy built in Rust): a
/// counter, so two policies differ.
#[cfg(feature = "standalone")]
pub(super) fn entropy_seed() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0x9E37_79B9);
    COUNTER.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed)
}

impl RetryPolicy {
    /// The un-jittered delay `d = min(cap, base × multiplier^(attempt-1))` for `attempt` (≥ 1).
    fn plain_delay(schedule: &Schedule, attempt: u32) -> u64 {
        let exponent = i32::try_from(attempt.max(1) - 1)
            .unwrap_or(i32::MAX)
            .min(1_100);
        let raw = schedule.base_delay_ms as f64
            * crate::num::powi(schedule.multiplier.max(1.0), exponent);
        if raw.is_finite() && raw < schedule.max_delay_ms as f64 {
            // In range: `as` saturates, and raw < cap ≤ u64::MAX.
            (raw.max(0.0) as u64).min(schedule.max_delay_ms)
        } else {
            schedule.max_delay_ms
        }
    }

    /// The range `[lo, hi]` the jittered backoff of `attempt` on `schedule` is drawn from
    /// (decorrelated jitter: from the previous delay of this call).
    pub(super) fn delay_range(&self, schedule: &Schedule, attempt: u32) -> (u64, u64) {
        let d = Self::plain_delay(schedule, attempt);
        match schedule.jitter {
            Jitter::None => (d, d),
            Jitter::Full => (0, d),
            Jitter::Equal => (d / 2, d),
            Jitter::Decorrelated => {
                let base = schedule.base_delay_ms.min(schedule.max_delay_ms);
                let prev = if attempt <= 1 {
                    base
                } else {
                    self.prev_delay_ms.unwrap_or(base).max(base)
                };
                (
                    base,
                    prev.saturating_mul(3).min(schedule.max_delay_ms).max(base),
                )
            }
        }
    }

    /// The jittered backoff for `attempt` (≥ 1) on `schedule`, always in
    /// [`RetryPolicy::delay_range`] (so in `[0, cap]`): uniform in it, except for
    /// decorrelated jitter, which draws in `[base, previous × 3]` and then caps (as AWS and
    /// cockatiel do).
    pub(super) fn backoff(&mut self, schedule: &Schedule, attempt: u32) -> u64 {
        let (lo, hi) = self.delay_range(schedule, attempt);
        if schedule.jitter == Jitter::Decorrelated {
            let prev = if attempt <= 1 {
                lo
            } else {
                self.prev_delay_ms.unwrap_or(lo).max(lo)
            };
            return self
                .rng
                .range_inclusive(lo, prev.saturating_mul(3))
                .min(schedule.max_delay_ms);
        }
        self.rng.range_inclusive(lo, hi)
    }
}
