//! What an operation writes back: `u32` words, and one text the dynamic strings point into.
//!
//! ```text
//! word 0, 1    address and byte length of the call's text (UTF-8); JS decodes it once and
//!              slices the dynamic strings out of it
//! word 2       0: the result follows; 1: an error follows (code index, message string);
//!              2: the operation's kept policy is not kept any more (nothing follows)
//! a string     two words (a, b): a = 0xFFFF_FFFF → null; a & 0x8000_0000 → a fixed
//!              string at address a & 0x7FFF_FFFF, b bytes long (JS decodes it once and
//!              keeps it by address); otherwise UTF-16 offsets [a, b) into the text
//! a u64 (ms)   two words, low first; high = 0xFFFF_FFFF → null
//! an f64       two words: its bits, low first
//! a name       an index into a table of `names()`
//! a reason     the rule (an index into `names()`'s rules), the message (an index into
//!              `Message::ALL`, as pkg-template/messages.js lists them; 0xFFFF_FFFF: none,
//!              and its text follows as a string), a count of params, then per param its
//!              name (an index into `names()`'s params) and three words: 0 a fixed word
//!              (a, b as a string), 1 a number (low, high), 2 a dynamic string (a, b),
//!              3 (0, 0) a reason, which follows
//! ```
//!
//! The records of each operation are written by the functions below and read by
//! `pkg-template/api.js` in the same order.

use crate::classify::{Parts, Summary};
use crate::error::Error;
use crate::model::{Action, Category, Entry, Processed, Vendor};
use crate::reason::{Message, Reason, Value};
use crate::retry::{
    Jitter, NonIdempotent, Plan, ResolvedOptions, RetryDecision, ScheduleKind, VendorPreset,
};
use crate::texts::TextOf;
use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

const NULL: u32 = u32::MAX;
const FIXED: u32 = 1 << 31;

/// One operation's result.
#[derive(Debug, Default)]
pub struct Out {
    /// The words.
    pub words: Vec<u32>,
    /// The text the dynamic strings point into.
    pub text: String,
    /// Length of `text` in UTF-16 code units (JS string offsets).
    text16: u32,
}

/// The position of `x` in `all`.
fn position<T: PartialEq>(all: &[T], x: &T) -> u32 {
    all.iter().position(|a| a == x).map_or(NULL, |i| i as u32)
}

impl Out {
    /// A result: words 0–1 (filled by [`Out::finish`]) and the status word 0.
    pub fn ok() -> Out {
        // Room for a decision with a long reason without growing (allocation in the module is
        // a bump of the heap, but growing copies).
        let mut words = Vec::with_capacity(256);
        words.extend([0, 0, 0]);
        Out {
            words,
            ..Out::default()
        }
    }

    /// The result of an operation whose kept policy's slot holds another policy now (status
    /// word 2, nothing follows).
    pub fn not_kept() -> Out {
        let mut out = Out::default();
        out.words.extend([0, 0, 2]);
        out
    }

    /// An error result: its code, its message, then its fields ([`Error::fields`]): a
    /// count, then each one's name and kind (0 a number, 1 a string) and value.
    pub fn error(e: &Error) -> Out {
        let mut out = Out::default();
        out.words.extend([0, 0, 1]);
        out.push(position(&Error::CODES, &e.code()));
        out.text(&e.message());
        let (wait, namespace) = e.carried();
        out.push(u32::from(wait.is_some()) + u32::from(namespace.is_some()));
        if let Some(w) = wait {
            out.fixed("retryAfterMs");
            out.push(0);
            out.ms(Some(w));
        }
        if let Some(n) = namespace {
            out.fixed("namespace");
            out.push(1);
            out.text(n);
        }
        out
    }

    /// Fills words 0–1 with the text's address and length (in the memory the words live in).
    pub fn finish(&mut self) -> u32 {
        self.words[0] = self.text.as_ptr() as usize as u32;
        self.words[1] = self.text.len() as u32;
        self.words.as_ptr() as usize as u32
    }

    /// A word.
    pub fn push(&mut self, w: u32) {
        self.words.push(w);
    }

    /// A fixed string, by address; a registered vendor's text (not the module's static data:
    /// the JS layer caches fixed strings by address) goes as a dynamic one.
    pub fn fixed(&mut self, s: &'static str) {
        if crate::vendors::registered::owns(s) {
            return self.text(s);
        }
        self.words
            .extend_from_slice(&[FIXED | s.as_ptr() as usize as u32, s.len() as u32]);
    }

    /// A dynamic string, in the text.
    pub fn text(&mut self, s: &str) {
        let start = self.text16;
        self.text.push_str(s);
        self.text16 += if s.is_ascii() {
            s.len() as u32
        } else {
            s.encode_utf16().count() as u32
        };
        self.words.extend_from_slice(&[start, self.text16]);
    }

    /// An optional dynamic string.
    pub fn opt_text(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.text(s),
            None => self.words.extend([NULL, 0]),
        }
    }

    /// An optional u64.
    pub fn ms(&mut self, ms: Option<u64>) {
        match ms {
            Some(ms) => self.words.extend([ms as u32, (ms >> 32) as u32]),
            None => self.words.extend([0, NULL]),
        }
    }

    /// A u64.
    pub fn u64(&mut self, v: u64) {
        self.words.extend_from_slice(&[v as u32, (v >> 32) as u32]);
    }

    /// An f64.
    pub fn f64(&mut self, v: f64) {
        self.u64(v.to_bits());
    }

    /// A catalog row: vendor status category action code(2) summary(2) remediation(2) id(2)
    /// (its texts' id without `.summary`/`.remediation`: [`crate::texts`]).
    pub fn entry(&mut self, vendor: Vendor, e: &'static Entry) {
        self.push(vendor.index());
        self.push(e.status.map_or(NULL, u32::from));
        self.push(position(&Category::ALL, &e.category));
        self.push(position(&Action::ALL, &e.action));
        self.fixed(e.code);
        self.fixed(e.summary);
        self.fixed(e.remediation);
        let rows = crate::vendors::catalog(vendor);
        let at = crate::texts::row_index(vendor, e).map_or(usize::MAX, |i| i as usize);
        self.text(&crate::texts::row_id(vendor, rows, at));
    }

    /// A classification: vendor status category action flags(1 retryable, 2 documented,
    /// 4 truncated) processed retryAfterMs(2) code(2) message(2) summary(2) remediation(2)
    /// parameter(2) requestId(2) summaryOf(3) remediationOf(3) paramCount [name(2) value(2)]
    /// itemCount, then per item: code(2) message(2) target(2) status(0xFFFF_FFFF → null)
    /// category action retryable retryAfterMs(2) summary(2) row. A text's origin (`…Of`) is
    /// a row, the index of the catalog row it comes from (0xFFFF_FFFF: none), then the id of
    /// the rule it comes from (a string, or null): [`TextOf`].
    pub(crate) fn classification(&mut self, p: &Parts) {
        self.push(p.vendor.index());
        self.push(u32::from(p.status));
        self.push(position(&Category::ALL, &p.category));
        self.push(position(&Action::ALL, &p.action));
        self.push(
            u32::from(p.action.is_retryable())
                | u32::from(p.documented) << 1
                | u32::from(p.truncated) << 2,
        );
        self.push(position(&Processed::ALL, &p.processed));
        self.ms(p.retry_after_ms);
        self.opt_text(p.code.as_deref());
        self.opt_text(p.message.as_deref());
        match &p.summary {
            Summary::Fixed(s) => self.fixed(s),
            other => self.text(&other.text()),
        }
        match &p.remediation {
            Some(Cow::Borrowed(s)) => self.fixed(s),
            Some(Cow::Owned(s)) => self.text(s),
            None => self.opt_text(None),
        }
        self.opt_text(p.parameter.as_deref());
        self.opt_text(p.request_id.as_deref());
        self.text_of(p.summary_of);
        self.text_of(p.remediation_of);
        match p.text_param {
            Some((name, value)) => {
                self.push(1);
                self.fixed(name);
                self.ms(Some(value));
            }
            None => self.push(0),
        }
        self.push(p.items.len() as u32);
        for (item, summary) in p.items.iter().zip(&p.item_summaries) {
            self.opt_text(item.code.as_deref());
            self.opt_text(item.message.as_deref());
            self.opt_text(item.target.as_deref());
            self.push(item.status.map_or(NULL, u32::from));
            self.push(position(&Category::ALL, &item.category));
            self.push(position(&Action::ALL, &item.action));
            self.push(u32::from(item.retryable));
            self.ms(item.retry_after_ms);
            match summary {
                Some((s, _)) => self.fixed(s),
                None => self.opt_text(item.summary.as_deref()),
            }
            self.push(summary.and_then(|(_, row)| row).unwrap_or(NULL));
        }
    }

    /// Where a text comes from ([`Out::classification`]): a row (or none), a rule's id (or null).
    fn text_of(&mut self, of: Option<TextOf>) {
        match of {
            Some(TextOf::Row(row)) => {
                self.push(row);
                self.opt_text(None);
            }
            Some(TextOf::Rule(id)) => {
                self.push(NULL);
                self.fixed(id);
            }
            None => {
                self.push(NULL);
                self.opt_text(None);
            }
        }
    }

    /// A reason: its rule, its message, its params.
    pub fn reason(&mut self, r: &Reason) {
        self.push(r.rule().index());
        self.push(r.message().map_or(NULL, |m| position(Message::ALL, &m)));
        if r.message().is_none() {
            // Read back from its text (serde): the text, as a dynamic string.
            self.text(r.verbatim().unwrap_or_default());
        }
        self.push(r.params().len() as u32);
        for (name, value) in r.params() {
            self.push(name.index());
            match value {
                Value::Word(s) => self.piece_word(s),
                Value::Num(n) => self
                    .words
                    .extend_from_slice(&[1, *n as u32, (*n >> 32) as u32]),
                Value::Text(t) => {
                    self.push(2);
                    self.text(t);
                }
                Value::Reason(inner) => {
                    self.words.extend_from_slice(&[3, 0, 0]);
                    self.reason(inner);
                }
            }
        }
    }

    /// A fixed piece: by address, or as text when a registered vendor owns it (its id).
    fn piece_word(&mut self, s: &'static str) {
        if crate::vendors::registered::owns(s) {
            self.push(2);
            self.text(s);
        } else {
            self.push(0);
            self.fixed(s);
        }
    }

    /// A decision: retry delayMs(2) attempt earlierAttemptMayHaveSucceeded reason.
    pub fn decision(&mut self, d: &RetryDecision) {
        self.push(u32::from(d.retry));
        self.u64(d.delay_ms);
        self.push(d.attempt);
        self.push(u32::from(d.earlier_attempt_may_have_succeeded));
        self.reason(&d.reason);
    }

    /// A vendor preset: vendor minStatus maxStatus maxAttempts baseDelayMs(2) maxDelayMs(2)
    /// multiplier(2) jitter source(2).
    pub fn preset(&mut self, p: &'static VendorPreset) {
        self.push(p.vendor.index());
        self.push(u32::from(p.min_status));
        self.push(u32::from(p.max_status));
        self.push(p.max_attempts);
        self.u64(p.base_delay_ms);
        self.u64(p.max_delay_ms);
        self.f64(p.multiplier);
        self.push(position(&Jitter::ALL, &p.jitter));
        self.fixed(p.source);
    }

    /// Resolved options: maxAttempts baseDelayMs(2) maxDelayMs(2) multiplier(2) jitter
    /// seed(2) maxRetryAfterMs(2) deadlineMs(2) trustVendorCodes busy.maxAttempts
    /// busy.baseDelayMs(2) busy.maxDelayMs(2) busy.multiplier(2) nonIdempotent.
    pub fn resolved(&mut self, r: &ResolvedOptions) {
        self.push(r.max_attempts);
        self.u64(r.base_delay_ms);
        self.u64(r.max_delay_ms);
        self.f64(r.multiplier);
        self.push(position(&Jitter::ALL, &r.jitter));
        self.u64(r.seed);
        self.u64(r.max_retry_after_ms);
        self.u64(r.deadline_ms);
        self.push(u32::from(r.trust_vendor_codes));
        self.push(r.busy.max_attempts);
        self.u64(r.busy.base_delay_ms);
        self.u64(r.busy.max_delay_ms);
        self.f64(r.busy.multiplier);
        self.push(position(&NonIdempotent::ALL, &r.non_idempotent));
    }

    /// A plan: schedule kind, maxAttempts, baseDelayMs(2), maxDelayMs(2), multiplier(2),
    /// jitter, preset (1 + a preset, or 0), maxRetryAfterMs(2), deadlineMs(2), attempt count,
    /// then per attempt: minDelayMs(2) maxDelayMs(2) and a decision.
    pub fn plan(&mut self, p: &Plan) {
        let s = &p.schedule;
        self.push(position(
            &[ScheduleKind::Main, ScheduleKind::Busy, ScheduleKind::Preset],
            &s.kind,
        ));
        self.push(s.max_attempts);
        self.u64(s.base_delay_ms);
        self.u64(s.max_delay_ms);
        self.f64(s.multiplier);
        self.push(position(&Jitter::ALL, &s.jitter));
        match s.preset {
            Some(preset) => {
                self.push(1);
                self.preset(preset);
            }
            None => self.push(0),
        }
        self.u64(p.max_retry_after_ms);
        self.u64(p.deadline_ms);
        self.push(p.attempts.len() as u32);
        for a in &p.attempts {
            self.ms(a.min_delay_ms);
            self.ms(a.max_delay_ms);
            self.decision(&a.decision);
        }
    }

    /// A table of fixed names: a count, then each string.
    pub fn names(&mut self, names: &[&'static str]) {
        self.push(names.len() as u32);
        for n in names {
            self.fixed(n);
        }
    }
}
