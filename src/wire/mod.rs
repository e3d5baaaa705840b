//! The bytes that cross between the JS layer and the wasm module, read and written in pure
//! Rust (so `cargo test` checks them natively; `crate::wasm` only exports [`ops`]).
//!
//! Every operation is a function of its input: JS writes the input into a buffer the module
//! hands out, calls the operation, and reads the result the operation wrote ([`out`]). No
//! operation keeps state between calls, except caches that make repeated calls cheap: the
//! catalog lookup memo, the last classification strings ([`Last`]) and the policies' checked
//! blocks ([`slots`]). A `RetryPolicy`'s state (options, jitter generator), a `RetryBudget`'s
//! tokens and a call's state live in JavaScript and travel with each call (a policy's as its
//! slot and five state words). So JavaScript objects hold no wasm memory, and a module that
//! had to be restarted loses nothing.
//!
//! Inputs are little endian: `u32` words, `f64`s (8 bytes), texts (`u32` byte length then
//! UTF-8), arguments in the encoding of [`crate::args`], and the blocks below.
//!
//! * **policy** — [`POLICY_WORDS`] `u32`s: a bit per option the caller set, the options,
//!   the jitter generator's state and the previous delay ([`policy_words`]).
//! * **kept policy** — a policy kept in the module ([`slots`]): its slot, its stamp, and
//!   words 24–28 of its block (`step` and `admit`; `decide_at` takes the same as numbers).
//! * **classification** — form `0` (its fields by index: vendor, status, category, action,
//!   processed (3 = absent), retryAfterMs as f64 (NaN = null), item count, then the code and
//!   summary texts, each as mode `0` none / `1` the same as the last call's / `2` a text), or
//!   form `1` (the classification object as an argument, checked field by field).
//! * **budget** — `0`, or `1` then capacity, retryCost, timeoutCost, successRefund,
//!   available.
//! * **call** — attempt, flags (1 re-authenticated, 2 earlier ambiguous failure, 4 the body
//!   can be sent again, 8 a re-authentication hook exists, 16 idempotent), the last lease's
//!   cost (`u32::MAX`: none), vendor index (`u32::MAX`: detect), method (mode + text).

mod classification;
pub mod layout;
pub mod ops;
pub mod out;
pub mod slots;
mod writer;

pub use classification::{read_classification, Meaning};
pub use writer::InputWriter;

use crate::args::{self, Arg};
use crate::budget::RetryBudget;
use crate::bytes::ByteReader;
use crate::call::{CallRequest, RetryCall};
use crate::error::Error;
use crate::model::{Classification, Vendor};
use crate::retry::{BusySchedule, Jitter, NonIdempotent, RetryOptions, RetryPolicy};
use alloc::string::{String, ToString};
use core::cell::RefCell;

/// Words of a policy block.
pub const POLICY_WORDS: usize = 29;

/// `u32::MAX`: no value.
const NONE: u32 = u32::MAX;

/// Reads an operation's input.
pub struct Input<'a> {
    bytes: ByteReader<'a>,
}

impl<'a> Input<'a> {
    /// A reader over `bytes`.
    pub fn new(bytes: &'a [u8]) -> Input<'a> {
        Input {
            bytes: ByteReader::new(bytes),
        }
    }

    /// A `u32`.
    #[inline(always)]
    pub fn u32(&mut self) -> Result<u32, Error> {
        self.bytes.u32()
    }

    /// A `u64` written as two words, low first.
    pub fn u64(&mut self) -> Result<u64, Error> {
        let lo = self.u32()?;
        let hi = self.u32()?;
        Ok(u64::from(lo) | u64::from(hi) << 32)
    }

    /// An `f64`.
    #[inline(always)]
    pub fn f64(&mut self) -> Result<f64, Error> {
        self.bytes.f64()
    }

    /// A text.
    pub fn text(&mut self) -> Result<&'a str, Error> {
        self.bytes.text()
    }

    /// An argument.
    pub fn arg(&mut self) -> Result<Arg<'a>, Error> {
        args::decode_from(&mut self.bytes)
    }

    /// A policy block.
    pub fn policy(&mut self) -> Result<RetryPolicy, Error> {
        Ok(policy_from_words(&self.policy_block()?))
    }

    /// A kept policy: its slot, its stamp and words 24–28 of its block (the generator and the
    /// previous delay); `None` when the slot holds another policy now.
    pub fn kept_policy(
        &mut self,
        slots: &slots::PolicySlots,
    ) -> Result<Option<RetryPolicy>, Error> {
        let slot = self.u32()?;
        let stamp = self.u32()?;
        let mut state = [0u32; 5];
        for word in &mut state {
            *word = self.u32()?;
        }
        Ok(slots.policy(slot, stamp, state))
    }

    /// A policy block's words.
    pub fn policy_block(&mut self) -> Result<[u32; POLICY_WORDS], Error> {
        let mut w = [0u32; POLICY_WORDS];
        for word in &mut w {
            *word = self.u32()?;
        }
        Ok(w)
    }

    /// A budget block.
    pub fn budget(&mut self) -> Result<Option<RetryBudget>, Error> {
        if self.u32()? == 0 {
            return Ok(None);
        }
        let mut p = [0u32; 5];
        for word in &mut p {
            *word = self.u32()?;
        }
        Ok(Some(RetryBudget::from_parts(p[0], p[1], p[2], p[3], p[4])))
    }

    /// A method (or vendor-less) text in mode form: `0` none, `2` a text.
    fn optional_text(&mut self) -> Result<Option<&'a str>, Error> {
        match self.u32()? {
            0 => Ok(None),
            _ => self.text().map(Some),
        }
    }

    /// A call block.
    pub fn call(&mut self) -> Result<RetryCall, Error> {
        let attempt = self.u32()?;
        let flags = self.u32()?;
        let lease = self.u32()?;
        let vendor = self.u32()?;
        let method = self.optional_text()?.map(str::to_string);
        Ok(RetryCall {
            attempt: attempt.max(1),
            request: CallRequest {
                method,
                idempotent: flags & 16 != 0,
                can_reauthenticate: flags & 8 != 0,
                replayable: flags & 4 != 0,
                vendor: Vendor::from_index(vendor),
            },
            reauthenticated: flags & 1 != 0,
            earlier_ambiguous_failure: flags & 2 != 0,
            lease_cost: (lease != NONE).then_some(lease),
        })
    }

    /// A classification block (see the module docs), remembering its texts in `last`.
    pub fn classification(&mut self, last: &Last) -> Result<Classification, Error> {
        if self.u32()? == 1 {
            return read_classification(&self.arg()?);
        }
        let vendor = self.u32()?;
        let status = self.u32()?;
        let category = self.u32()?;
        let action = self.u32()?;
        let processed = self.u32()?;
        let retry_after = self.f64()?;
        let items = self.u32()?;
        let code = self.mode_text(&last.code)?;
        let summary = self.mode_text(&last.summary)?.unwrap_or_default();
        let meaning = Meaning {
            vendor,
            status,
            category,
            action,
            processed,
            retry_after,
            items,
        };
        meaning.classification(code, summary)
    }

    /// A text in mode `mode` (`0` none, `1` the remembered one, `2` a text that follows, now
    /// remembered).
    pub fn text_in_mode(
        &mut self,
        mode: u32,
        slot: &RefCell<Remembered>,
    ) -> Result<Option<String>, Error> {
        match mode {
            0 => {
                slot.borrow_mut().set(None);
                Ok(None)
            }
            1 => Ok(slot.borrow().get()),
            _ => {
                let text = self.text()?;
                slot.borrow_mut().set(Some(text));
                Ok(Some(text.to_string()))
            }
        }
    }

    /// A text in mode form: the mode, then the text when it is `2`.
    fn mode_text(&mut self, slot: &RefCell<Remembered>) -> Result<Option<String>, Error> {
        let mode = self.u32()?;
        self.text_in_mode(mode, slot)
    }
}

/// The element of `all` at `i`.
fn index<T: Copy>(all: &[T], i: u32) -> Option<T> {
    all.get(i as usize).copied()
}

/// The last code and summary a classification block sent, so a caller deciding the same
/// classification again sends only "the same". Kept inline (the standalone module frees its
/// heap between calls); a text longer than [`LAST_BYTES`] is not remembered, and "the same"
/// then reads nothing (the JS layer sends long texts in full).
#[derive(Debug)]
pub struct Last {
    /// The last code.
    pub code: RefCell<Remembered>,
    /// The last summary.
    pub summary: RefCell<Remembered>,
    /// The last method `decide_at` was given.
    pub method: RefCell<Remembered>,
}

/// The longest text [`Last`] keeps.
pub const LAST_BYTES: usize = 4096;

/// One remembered text.
#[derive(Debug)]
pub struct Remembered {
    len: Option<u16>,
    bytes: [u8; LAST_BYTES],
}

impl Last {
    /// Nothing remembered.
    pub const fn new() -> Last {
        const EMPTY: Remembered = Remembered {
            len: None,
            bytes: [0; LAST_BYTES],
        };
        Last {
            code: RefCell::new(EMPTY),
            summary: RefCell::new(EMPTY),
            method: RefCell::new(EMPTY),
        }
    }
}

impl Default for Last {
    fn default() -> Last {
        Last::new()
    }
}

impl Remembered {
    fn get(&self) -> Option<String> {
        let len = usize::from(self.len?);
        core::str::from_utf8(&self.bytes[..len])
            .ok()
            .map(str::to_string)
    }

    fn set(&mut self, text: Option<&str>) {
        self.len = match text {
            Some(t) if t.len() <= LAST_BYTES => {
                self.bytes[..t.len()].copy_from_slice(t.as_bytes());
                Some(t.len() as u16)
            }
            _ => None,
        };
    }
}

/// A policy from its block.
pub fn policy_from_words(w: &[u32; POLICY_WORDS]) -> RetryPolicy {
    let set = |bit: u32| w[0] & (1 << bit) != 0;
    let u64_at = |i: usize| u64::from(w[i]) | u64::from(w[i + 1]) << 32;
    let f64_at = |i: usize| f64::from_bits(u64_at(i));
    let busy = set(9).then(|| BusySchedule {
        max_attempts: set(10).then_some(w[16]),
        base_delay_ms: set(11).then(|| u64_at(17)),
        max_delay_ms: set(12).then(|| u64_at(19)),
        multiplier: set(13).then(|| f64_at(21)),
    });
    let options = RetryOptions {
        max_attempts: set(0).then_some(w[1]),
        base_delay_ms: set(1).then(|| u64_at(2)),
        max_delay_ms: set(2).then(|| u64_at(4)),
        multiplier: set(3).then(|| f64_at(6)),
        jitter: set(4).then(|| index(&Jitter::ALL, w[8])).flatten(),
        seed: set(5).then(|| u64_at(9)),
        max_retry_after_ms: set(6).then(|| u64_at(11)),
        deadline_ms: set(7).then(|| u64_at(13)),
        trust_vendor_codes: set(8).then_some(w[15] != 0),
        busy,
        non_idempotent: set(14).then(|| index(&NonIdempotent::ALL, w[23])).flatten(),
    };
    let prev = (w[28] != 0).then(|| u64_at(26));
    RetryPolicy::restore(options, u64_at(24), prev)
}

/// A policy's block.
pub fn policy_words(p: &RetryPolicy) -> [u32; POLICY_WORDS] {
    let mut w = [0u32; POLICY_WORDS];
    let o = p.options();
    let put64 = |w: &mut [u32; POLICY_WORDS], i: usize, v: u64| {
        w[i] = v as u32;
        w[i + 1] = (v >> 32) as u32;
    };
    let mut flags = 0u32;
    let mut flag = |bit: u32, set: bool| {
        if set {
            flags |= 1 << bit;
        }
    };
    flag(0, o.max_attempts.is_some());
    w[1] = o.max_attempts.unwrap_or(0);
    flag(1, o.base_delay_ms.is_some());
    put64(&mut w, 2, o.base_delay_ms.unwrap_or(0));
    flag(2, o.max_delay_ms.is_some());
    put64(&mut w, 4, o.max_delay_ms.unwrap_or(0));
    flag(3, o.multiplier.is_some());
    put64(&mut w, 6, o.multiplier.unwrap_or(0.0).to_bits());
    flag(4, o.jitter.is_some());
    w[8] = o
        .jitter
        .and_then(|j| Jitter::ALL.iter().position(|x| *x == j))
        .unwrap_or(0) as u32;
    flag(5, true);
    put64(&mut w, 9, p.resolved().seed);
    flag(6, o.max_retry_after_ms.is_some());
    put64(&mut w, 11, o.max_retry_after_ms.unwrap_or(0));
    flag(7, o.deadline_ms.is_some());
    put64(&mut w, 13, o.deadline_ms.unwrap_or(0));
    flag(8, o.trust_vendor_codes.is_some());
    w[15] = u32::from(o.trust_vendor_codes.unwrap_or(true));
    if let Some(b) = &o.busy {
        flag(9, true);
        flag(10, b.max_attempts.is_some());
        w[16] = b.max_attempts.unwrap_or(0);
        flag(11, b.base_delay_ms.is_some());
        put64(&mut w, 17, b.base_delay_ms.unwrap_or(0));
        flag(12, b.max_delay_ms.is_some());
        put64(&mut w, 19, b.max_delay_ms.unwrap_or(0));
        flag(13, b.multiplier.is_some());
        put64(&mut w, 21, b.multiplier.unwrap_or(0.0).to_bits());
    }
    flag(14, o.non_idempotent.is_some());
    w[23] = o
        .non_idempotent
        .and_then(|n| NonIdempotent::ALL.iter().position(|x| *x == n))
        .unwrap_or(0) as u32;
    let (rng, prev) = p.state();
    put64(&mut w, 24, rng);
    put64(&mut w, 26, prev.unwrap_or(0));
    w[28] = u32::from(prev.is_some());
    w[0] = flags;
    w
}

/// A call's block (see the module docs), as words and the method.
pub fn call_words(call: &RetryCall) -> ([u32; 4], Option<&str>) {
    let r = &call.request;
    let flags = u32::from(call.reauthenticated)
        | u32::from(call.earlier_ambiguous_failure) << 1
        | u32::from(r.replayable) << 2
        | u32::from(r.can_reauthenticate) << 3
        | u32::from(r.idempotent) << 4;
    let vendor = r.vendor.map_or(NONE, Vendor::index);
    (
        [call.attempt, flags, call.lease_cost.unwrap_or(NONE), vendor],
        r.method.as_deref(),
    )
}
