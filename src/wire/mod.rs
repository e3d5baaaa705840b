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

pub mod layout;
pub mod ops;
pub mod out;
pub mod slots;

use crate::args::{self, Arg};
use crate::budget::RetryBudget;
use crate::bytes::{malformed, ByteReader};
use crate::call::{CallRequest, RetryCall};
use crate::error::Error;
use crate::model::{Action, Category, Classification, ItemError, Processed, Vendor};
use crate::retry::{BusySchedule, Jitter, NonIdempotent, RetryOptions, RetryPolicy};
use alloc::string::{String, ToString};
use alloc::vec::Vec;
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

/// The fields of a classification a decision uses, by index, as a classification block's
/// form 0 sends them (and `decide_at` takes them as numbers).
#[derive(Debug, Clone, Copy)]
pub struct Meaning {
    /// The vendor's index.
    pub vendor: u32,
    /// The HTTP status.
    pub status: u32,
    /// The category's index.
    pub category: u32,
    /// The action's index.
    pub action: u32,
    /// The processed value's index (3: absent, derived from status and category).
    pub processed: u32,
    /// The server's wait in ms (NaN or negative: none).
    pub retry_after: f64,
    /// How many item errors.
    pub items: u32,
}

impl Meaning {
    /// The classification with these fields and the given code and summary; an index out of
    /// its table is a malformed input.
    pub fn classification(
        self,
        code: Option<String>,
        summary: String,
    ) -> Result<Classification, Error> {
        let (Some(vendor), Some(category), Some(action), Ok(status)) = (
            Vendor::from_index(self.vendor),
            index(&Category::ALL, self.category),
            index(&Action::ALL, self.action),
            u16::try_from(self.status),
        ) else {
            return Err(malformed());
        };
        Ok(Classification {
            vendor,
            status,
            code,
            message: None,
            category,
            action,
            retryable: action.is_retryable(),
            processed: index(&Processed::ALL, self.processed)
                .unwrap_or_else(|| crate::classify::processed(status, category)),
            retry_after_ms: (self.retry_after >= 0.0).then_some(self.retry_after as u64),
            summary,
            remediation: None,
            parameter: None,
            request_id: None,
            documented: false,
            items: alloc::vec![ItemError::default(); (self.items as usize).min(crate::classify::MAX_ITEMS)],
            truncated: false,
        })
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

/// A classification passed back as an argument (form 1), checked field by field: every
/// field of the contract by name, optional ones `null`/absent, names as their strings.
pub fn read_classification(arg: &Arg) -> Result<Classification, Error> {
    let bad = |problem: String| Error::InvalidArgument {
        name: "classification".into(),
        expected: "a Classification returned by classify()".into(),
        got: crate::cat!(arg.type_name(), " (", problem, ")"),
    };
    if !matches!(arg, Arg::Object(_)) {
        return Err(Error::InvalidArgument {
            name: "classification".into(),
            expected: "a Classification returned by classify()".into(),
            got: arg.type_name().into(),
        });
    }
    let required = |name: &str| -> Result<&Arg, Error> {
        match arg.get(name) {
            Arg::Undefined => Err(bad(crate::cat!("missing field `", name, "`"))),
            v => Ok(v),
        }
    };
    let name_of =
        |v: &Arg, what: &'static str, names: &dyn Fn(&str) -> bool| -> Result<String, Error> {
            match v {
                Arg::String(s) if names(s) => Ok((*s).to_string()),
                Arg::String(s) => Err(bad(crate::cat!(
                    "unknown ",
                    what,
                    " ",
                    crate::text::quoted(s)
                ))),
                other => Err(bad(crate::cat!(
                    what,
                    " must be a string, got ",
                    other.describe()
                ))),
            }
        };
    let opt_string = |name: &str| -> Result<Option<String>, Error> {
        match arg.get(name) {
            Arg::Undefined | Arg::Null => Ok(None),
            Arg::String(s) => Ok(Some((*s).to_string())),
            other => Err(bad(crate::cat!(
                name,
                " must be a string, got ",
                other.describe()
            ))),
        }
    };
    let status = match required("status")? {
        Arg::Number(n) if crate::num::is_integral(*n) && (0.0..=65535.0).contains(n) => *n as u16,
        other => {
            return Err(bad(crate::cat!(
                "status must be an integer, got ",
                other.describe()
            )))
        }
    };
    let vendor_name = name_of(required("vendor")?, "vendor", &|s| {
        Vendor::from_id(s).is_some()
    })?;
    let vendor = Vendor::from_id(&vendor_name).unwrap_or(Vendor::Generic);
    let category_name = name_of(required("category")?, "category", &|s| {
        Category::ALL.iter().any(|c| c.name() == s)
    })?;
    let category = Category::ALL
        .into_iter()
        .find(|c| c.name() == category_name)
        .unwrap_or_default();
    let action_name = name_of(required("action")?, "action", &|s| {
        Action::ALL.iter().any(|a| a.name() == s)
    })?;
    let action = Action::ALL
        .into_iter()
        .find(|a| a.name() == action_name)
        .unwrap_or_default();
    let processed = match arg.get("processed") {
        Arg::Undefined | Arg::Null => crate::classify::processed(status, category),
        v => {
            let name = name_of(v, "processed", &|s| {
                Processed::ALL.iter().any(|p| p.name() == s)
            })?;
            Processed::ALL
                .into_iter()
                .find(|p| p.name() == name)
                .unwrap_or_default()
        }
    };
    let retry_after_ms = match arg.get("retryAfterMs") {
        Arg::Undefined | Arg::Null => None,
        Arg::Number(n) if crate::num::is_integral(*n) && *n >= 0.0 => Some(*n as u64),
        Arg::BigInt(d) => Some(
            d.parse::<u64>()
                .map_err(|_| bad("retryAfterMs out of range".into()))?,
        ),
        other => {
            return Err(bad(crate::cat!(
                "retryAfterMs must be a non-negative integer or null, got ",
                other.describe()
            )))
        }
    };
    let summary = match required("summary")? {
        Arg::String(s) => (*s).to_string(),
        other => {
            return Err(bad(crate::cat!(
                "summary must be a string, got ",
                other.describe()
            )))
        }
    };
    let items = match required("items")? {
        Arg::Array(items) => items.len(),
        other => {
            return Err(bad(crate::cat!(
                "items must be an array, got ",
                other.describe()
            )))
        }
    };
    let flag = |name: &str| -> Result<bool, Error> {
        match required(name)? {
            Arg::Bool(b) => Ok(*b),
            other => Err(bad(crate::cat!(
                name,
                " must be true or false, got ",
                other.describe()
            ))),
        }
    };
    Ok(Classification {
        vendor,
        status,
        code: opt_string("code")?,
        message: opt_string("message")?,
        category,
        action,
        retryable: flag("retryable")?,
        processed,
        retry_after_ms,
        summary,
        remediation: opt_string("remediation")?,
        parameter: opt_string("parameter")?,
        request_id: opt_string("requestId")?,
        documented: flag("documented")?,
        items: alloc::vec![ItemError::default(); items],
        truncated: false,
    })
}

/// Writes inputs as the JS layer does; for tests and benchmarks of the operations.
#[derive(Debug, Default)]
pub struct InputWriter {
    /// The bytes written so far.
    pub bytes: Vec<u8>,
}

impl InputWriter {
    /// A `u32`.
    pub fn u32(&mut self, v: u32) -> &mut Self {
        self.bytes.extend_from_slice(&v.to_le_bytes());
        self
    }

    /// A `u64` as two words.
    pub fn u64(&mut self, v: u64) -> &mut Self {
        self.u32(v as u32).u32((v >> 32) as u32)
    }

    /// An `f64`.
    pub fn f64(&mut self, v: f64) -> &mut Self {
        self.bytes.extend_from_slice(&v.to_le_bytes());
        self
    }

    /// A text.
    pub fn text(&mut self, s: &str) -> &mut Self {
        self.u32(s.len() as u32);
        self.bytes.extend_from_slice(s.as_bytes());
        self
    }

    /// Encoded argument bytes.
    pub fn raw(&mut self, bytes: &[u8]) -> &mut Self {
        self.bytes.extend_from_slice(bytes);
        self
    }

    /// A kept policy: `p` kept in `slots`, then its slot, stamp and state words.
    pub fn kept(&mut self, slots: &slots::PolicySlots, p: &RetryPolicy) -> &mut Self {
        let block = policy_words(p);
        let (slot, stamp) = slots.keep(&block);
        self.u32(slot).u32(stamp);
        for &w in &block[24..] {
            self.u32(w);
        }
        self
    }

    /// A policy block.
    pub fn policy(&mut self, p: &RetryPolicy) -> &mut Self {
        for w in policy_words(p) {
            self.u32(w);
        }
        self
    }

    /// A classification block in form 0, texts sent in full.
    pub fn classification(&mut self, c: &Classification) -> &mut Self {
        let at =
            |names: &[&str], name: &str| names.iter().position(|n| *n == name).unwrap_or(0) as u32;
        let categories: Vec<&str> = Category::ALL.iter().map(|c| c.name()).collect();
        let actions: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
        let processed: Vec<&str> = Processed::ALL.iter().map(|p| p.name()).collect();
        self.u32(0)
            .u32(c.vendor.index())
            .u32(u32::from(c.status))
            .u32(at(&categories, c.category.name()))
            .u32(at(&actions, c.action.name()))
            .u32(at(&processed, c.processed.name()))
            .f64(c.retry_after_ms.map_or(f64::NAN, |w| w as f64))
            .u32(c.items.len() as u32);
        match &c.code {
            Some(code) => self.u32(2).text(code),
            None => self.u32(0),
        };
        self.u32(2).text(&c.summary)
    }

    /// A budget block.
    pub fn budget(&mut self, b: Option<&RetryBudget>) -> &mut Self {
        match b {
            None => self.u32(0),
            Some(b) => {
                let [c, r, t, s, a] = b.parts();
                self.u32(1).u32(c).u32(r).u32(t).u32(s).u32(a)
            }
        }
    }

    /// A call block.
    pub fn call(&mut self, call: &RetryCall) -> &mut Self {
        let (words, method) = call_words(call);
        for w in words {
            self.u32(w);
        }
        match method {
            Some(m) => self.u32(2).text(m),
            None => self.u32(0),
        }
    }
}
