//! Low-level exports for the hot paths of `pkg-template/api.js` (not part of the public API;
//! the package's `exports` map keeps them out of reach). Arguments are primitives that api.js
//! has already checked; results are `u32` words in linear memory at the returned address,
//! valid until the next call into the module:
//!
//! ```text
//! word 0, 1           address and byte length of this call's text (UTF-8); api.js decodes it
//!                     once and slices the dynamic strings out of it
//! a string            two words (a, b): a = 0xFFFF_FFFF → null; a & 0x8000_0000 → a fixed
//!                     sentence at address a & 0x7FFF_FFFF, b bytes long (decoded once and
//!                     cached by address); otherwise UTF-16 offsets [a, b) in the text
//! a u64 (ms)          two words: low, high; high = 0xFFFF_FFFF → null
//! vendor, category,   index into the name tables of `names()`
//! action, processed
//!
//! classification      [text 2] vendor status category action flags(1 retryable, 2 documented)
//!                     processed retryAfterMs(2) code(2) message(2) summary(2)
//!                     remediation(2) parameter(2) requestId(2) itemCount, then per item:
//!                     code(2) message(2) target(2) status(0xFFFF_FFFF → null) category
//!                     action retryable retryAfterMs(2) summary(2)
//! catalog entry       vendor status(0xFFFF_FFFF → null) category action code(2) summary(2)
//!                     remediation(2)
//! explain             [text 2] found, then one catalog entry when found
//! catalog             [text 2] count, then the entries
//! decision            [text 2] retry delayMs(2) attempt earlierAttemptMayHaveSucceeded
//!                     reason(2)
//! ```

use crate::classify::{classify_parts, Parts, Summary};
use crate::model::{Action, Category, Entry, Processed, Vendor};
use crate::retry::RetryDecision;
use crate::vendors;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

const NULL: u32 = u32::MAX;
const FIXED: u32 = 1 << 31;

/// One call's result: words and the text their dynamic strings point into.
#[derive(Default)]
pub(super) struct Out {
    words: Vec<u32>,
    text: String,
    /// Length of `text` in UTF-16 code units (JS string offsets).
    text16: u32,
}

thread_local! {
    static OUT: RefCell<Out> = RefCell::new(Out::default());
}

impl Out {
    fn push(&mut self, w: u32) {
        self.words.push(w);
    }

    fn fixed(&mut self, s: &'static str) {
        self.words.push(FIXED | s.as_ptr() as u32);
        self.words.push(s.len() as u32);
    }

    fn text(&mut self, s: &str) {
        let start = self.text16;
        self.text.push_str(s);
        self.text16 += if s.is_ascii() {
            s.len() as u32
        } else {
            s.encode_utf16().count() as u32
        };
        self.words.push(start);
        self.words.push(self.text16);
    }

    fn opt_text(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.text(s),
            None => self.words.extend([NULL, 0]),
        }
    }

    fn ms(&mut self, ms: Option<u64>) {
        match ms {
            Some(ms) => self.words.extend([ms as u32, (ms >> 32) as u32]),
            None => self.words.extend([0, NULL]),
        }
    }

    fn entry(&mut self, vendor: Vendor, e: &'static Entry) {
        self.push(vendor_index(vendor));
        self.push(e.status.map_or(NULL, u32::from));
        self.push(category_index(e.category));
        self.push(action_index(e.action));
        self.fixed(e.code);
        self.fixed(e.summary);
        self.fixed(e.remediation);
    }

    fn classification(&mut self, p: &Parts) {
        self.push(vendor_index(p.vendor));
        self.push(u32::from(p.status));
        self.push(category_index(p.category));
        self.push(action_index(p.action));
        self.push(u32::from(p.action.is_retryable()) | u32::from(p.documented) << 1);
        self.push(processed_index(p.processed));
        self.ms(p.retry_after_ms);
        self.opt_text(p.code.as_deref());
        self.opt_text(p.message.as_deref());
        match p.summary {
            Summary::Fixed(s) => self.fixed(s),
            other => self.text(&other.text()),
        }
        match p.remediation {
            Some(s) => self.fixed(s),
            None => self.opt_text(None),
        }
        self.opt_text(p.parameter.as_deref());
        self.opt_text(p.request_id.as_deref());
        self.push(p.items.len() as u32);
        for (item, summary) in p.items.iter().zip(&p.item_summaries) {
            self.opt_text(item.code.as_deref());
            self.opt_text(item.message.as_deref());
            self.opt_text(item.target.as_deref());
            self.push(item.status.map_or(NULL, u32::from));
            self.push(category_index(item.category));
            self.push(action_index(item.action));
            self.push(u32::from(item.retryable));
            self.ms(item.retry_after_ms);
            match summary {
                Some(s) => self.fixed(s),
                None => self.opt_text(item.summary.as_deref()),
            }
        }
    }

    pub(super) fn decision(&mut self, d: &RetryDecision) {
        self.push(u32::from(d.retry));
        self.ms(Some(d.delay_ms));
        self.push(d.attempt);
        self.push(u32::from(d.earlier_attempt_may_have_succeeded));
        self.text(&d.reason);
    }
}

/// Runs `write` on the cleared output buffer and returns the buffer's address, with the
/// text's address and length in words 0 and 1.
pub(super) fn with_out(write: impl FnOnce(&mut Out)) -> u32 {
    OUT.with(|cell| {
        let mut out = cell.borrow_mut();
        out.words.clear();
        out.text.clear();
        out.text16 = 0;
        out.words.extend([0, 0]);
        write(&mut out);
        let (ptr, len) = (out.text.as_ptr() as u32, out.text.len() as u32);
        out.words[0] = ptr;
        out.words[1] = len;
        out.words.as_ptr() as u32
    })
}

/// Each table lists every variant once; the index functions are exhaustive matches (a new
/// variant does not compile until it is added to both), and `names()` checks they agree.
const VENDORS: [Vendor; 6] = Vendor::ALL;
const CATEGORIES: [Category; 18] = Category::ALL;
const ACTIONS: [Action; 7] = Action::ALL;
const PROCESSED: [Processed; 3] = Processed::ALL;

pub(super) fn vendor_index(v: Vendor) -> u32 {
    match v {
        Vendor::Atlassian => 0,
        Vendor::Veeam => 1,
        Vendor::Huawei => 2,
        Vendor::Microsoft365 => 3,
        Vendor::Acronis => 4,
        Vendor::Generic => 5,
    }
}

pub(super) fn category_index(c: Category) -> u32 {
    use Category::*;
    match c {
        InvalidRequest => 0,
        Unauthenticated => 1,
        Forbidden => 2,
        NotFound => 3,
        Conflict => 4,
        Busy => 5,
        InvalidState => 6,
        TooLarge => 7,
        QuotaExceeded => 8,
        RateLimited => 9,
        Unsupported => 10,
        ServerError => 11,
        Timeout => 12,
        TooEarly => 13,
        Canceled => 14,
        Network => 15,
        Unknown => 16,
        Ok => 17,
    }
}

pub(super) fn processed_index(p: Processed) -> u32 {
    match p {
        Processed::No => 0,
        Processed::Maybe => 1,
        Processed::Yes => 2,
    }
}

pub(super) fn processed_at(i: u32) -> Option<Processed> {
    PROCESSED.get(i as usize).copied()
}

pub(super) fn action_index(a: Action) -> u32 {
    use Action::*;
    match a {
        Retry => 0,
        WaitAndRetry => 1,
        Reauthenticate => 2,
        RefreshAndRetry => 3,
        FixRequest => 4,
        SplitRequest => 5,
        DoNotRetry => 6,
    }
}

pub(super) fn vendor_at(i: u32) -> Option<Vendor> {
    VENDORS.get(i as usize).copied()
}

pub(super) fn category_at(i: u32) -> Option<Category> {
    CATEGORIES.get(i as usize).copied()
}

pub(super) fn action_at(i: u32) -> Option<Action> {
    ACTIONS.get(i as usize).copied()
}

/// The name tables, as JSON: `[vendors, categories, actions, processed]`, each in index order and
/// spelled by the types' own `Serialize` (the strings every other path returns).
#[wasm_bindgen(js_name = names, skip_typescript)]
pub fn names() -> Result<String, JsValue> {
    let agree = VENDORS
        .iter()
        .enumerate()
        .all(|(i, &v)| vendor_index(v) as usize == i)
        && CATEGORIES
            .iter()
            .enumerate()
            .all(|(i, &c)| category_index(c) as usize == i)
        && ACTIONS
            .iter()
            .enumerate()
            .all(|(i, &a)| action_index(a) as usize == i)
        && PROCESSED
            .iter()
            .enumerate()
            .all(|(i, &p)| processed_index(p) as usize == i);
    if !agree {
        return Err(JsValue::from_str("backup-errors: name tables out of order"));
    }
    serde_json::to_string(&(VENDORS, CATEGORIES, ACTIONS, PROCESSED))
        .map_err(|_| JsValue::from_str("backup-errors: name tables"))
}

/// The module's memory, for api.js to read results from.
#[wasm_bindgen(js_name = wasmMemory, skip_typescript)]
pub fn memory() -> JsValue {
    wasm_bindgen::memory()
}

thread_local! {
    /// Where api.js writes a call's input (`TextEncoder.encodeInto` / `Uint8Array.set`
    /// straight into wasm memory): the joined headers, then the body. It only grows.
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Makes the input buffer at least `bytes` long, keeping its contents; returns its address.
#[wasm_bindgen(js_name = inputBuffer, skip_typescript)]
pub fn input_buffer(bytes: u32) -> u32 {
    INPUT.with(|cell| {
        let mut input = cell.borrow_mut();
        if input.len() < bytes as usize {
            input.resize(bytes as usize, 0);
        }
        input.as_ptr() as u32
    })
}

/// Headers as api.js writes them: `name \0 value \0` for each (api.js sends no
/// header containing `\0`; it lets the full route read those).
fn split_headers(joined: &[u8]) -> Vec<(String, String)> {
    // encodeInto wrote it, so it is UTF-8; an empty list if it somehow is not.
    let joined = std::str::from_utf8(joined).unwrap_or_default();
    let mut parts = joined.split('\0');
    let mut out = Vec::new();
    while let (Some(name), Some(value)) = (parts.next(), parts.next()) {
        out.push((name.to_string(), value.to_string()));
    }
    out
}

/// `classify` of the input buffer: `headers_len` bytes of joined headers, then `body_len`
/// bytes of body. `vendor` is an index, or anything else for "detect".
#[wasm_bindgen(js_name = classifyInput, skip_typescript)]
pub fn classify_input(status: u16, vendor: u32, headers_len: u32, body_len: u32) -> u32 {
    let now = || js_sys::Date::now().max(0.0) as u64;
    let parts = INPUT.with(|cell| {
        let input = cell.borrow();
        let (h, b) = (headers_len as usize, body_len as usize);
        let headers = split_headers(input.get(..h).unwrap_or_default());
        let body = input.get(h..h + b).unwrap_or_default();
        classify_parts(status, &headers, body, vendor_at(vendor), &now)
    });
    with_out(|out| out.classification(&parts))
}

/// `explain` with a vendor index and a code as text; `status` > 999 means none.
#[wasm_bindgen(js_name = explainRaw, skip_typescript)]
pub fn explain_raw(vendor: u32, code: &str, status: u32) -> u32 {
    let vendor = vendor_at(vendor).unwrap_or(Vendor::Generic);
    let status = u16::try_from(status).ok().filter(|s| *s <= 999);
    // The lookup of `crate::explain` (through the classifier's memo of it), keeping the
    // row's fixed strings borrowed.
    let entry = crate::classify::lookup(vendor, code, status, None);
    with_out(|out| match entry {
        Some(e) => {
            out.push(1);
            out.entry(vendor, e);
        }
        None => out.push(0),
    })
}

/// `catalog` of one vendor (an index), or of all vendors (any other number).
#[wasm_bindgen(js_name = catalogRaw, skip_typescript)]
pub fn catalog_raw(vendor: u32) -> u32 {
    let one;
    let vendors: &[Vendor] = match vendor_at(vendor) {
        Some(v) => {
            one = [v];
            &one
        }
        None => &Vendor::ALL,
    };
    with_out(|out| {
        let count = vendors
            .iter()
            .map(|&v| vendors::catalog(v).len())
            .sum::<usize>();
        out.push(count as u32);
        for &v in vendors {
            for e in vendors::catalog(v) {
                out.entry(v, e);
            }
        }
    })
}
