//! The randomness behind the delays: a small seeded generator, the seed used when the caller
//! gives none, and the backoff maths that turns a schedule and an attempt into a jittered delay.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use super::{Jitter, Plan, RetryPolicy};

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
/// addresses, the same on every page load, so the
/// binding should pass a seed from `crypto.getRandomValues` when the caller gives none.
pub(super) fn entropy_seed() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let local = 0u8;
    let mut h = RandomState::new().build_hasher();
    h.write_u64(n);
    h.write_usize(std::ptr::addr_of!(local) as usize);
    h.finish()
}

impl RetryPolicy {
    /// The jittered backoff for `attempt` (≥ 1) on `plan`, always in `[0, plan.cap]`.
    pub(super) fn backoff(&mut self, plan: &Plan, attempt: u32) -> u64 {
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
