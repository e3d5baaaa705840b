//! Inputs written as the JS layer writes them, for the tests and benchmarks of the operations.

use super::{call_words, policy_words, slots};
use crate::budget::RetryBudget;
use crate::call::RetryCall;
use crate::model::{Action, Category, Classification, Processed};
use crate::retry::RetryPolicy;
use alloc::vec::Vec;

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
