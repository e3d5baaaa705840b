//! The catalog lookup the classifier uses: [`vendors::lookup`], remembered per (vendor, code,
//! status), because one response can look the same code up thousands of times.

use crate::model::{Entry, Vendor};
use crate::vendors;

/// [`vendors::lookup`], remembered. The catalog is static between registrations (rebuilding
/// the registry clears the memo: `vendors::registered::clear`), so a lookup is a pure function
/// of its arguments; and the message only picks among rows that carry a `message_hint` (when
/// the first matching row has none, it is the answer whatever the message). So the memo
/// keeps `lookup(vendor, code, status, None)` per (vendor, code, status) and answers from it
/// unless that row has a hint, then asks `vendors::lookup` with the message. A Microsoft 365
/// 200 with 10,000 failed items looks up one code 10,000 times; this makes that one scan.
/// `memo_answers_as_lookup` (below) checks the equivalence over every catalog row.
pub(crate) fn lookup(
    vendor: Vendor,
    code: &str,
    status: Option<u16>,
    message: Option<&str>,
) -> Option<&'static Entry> {
    // FNV-1a over the code, mixed with the vendor and the status.
    let mut hash: u32 = 0x811c_9dc5 ^ vendor.index() ^ (u32::from(status.unwrap_or(0)) << 8);
    for b in code.bytes() {
        hash = (hash ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    let at = (hash as usize ^ (hash >> 16) as usize) % SLOTS;
    let remembered = MEMO.with(|memo| match &memo.borrow()[at] {
        Some(slot) if slot.vendor == vendor && slot.status == status && slot.code() == code => {
            Some(slot.entry)
        }
        _ => None,
    });
    let entry = remembered.unwrap_or_else(|| {
        let entry = vendors::lookup(vendor, code, status, None);
        if code.len() <= KEY_BYTES {
            let mut key = [0u8; KEY_BYTES];
            key[..code.len()].copy_from_slice(code.as_bytes());
            MEMO.with(|memo| {
                memo.borrow_mut()[at] = Some(Slot {
                    vendor,
                    status,
                    len: code.len() as u8,
                    key,
                    entry,
                });
            });
        }
        entry
    });
    match entry {
        Some(e) if !e.message_hint.is_empty() && message.is_some() => {
            vendors::lookup(vendor, code, status, message)
        }
        other => other,
    }
}

/// Forgets every remembered lookup: the catalog changed (its entries may be gone).
pub(crate) fn clear() {
    MEMO.with(|memo| memo.borrow_mut().iter_mut().for_each(|slot| *slot = None));
}

/// Slots of the memo.
const SLOTS: usize = 64;

/// The longest code the memo keeps (inline, so the memo holds no heap memory: the standalone
/// module frees the heap between calls). Longer codes are looked up every time.
const KEY_BYTES: usize = 48;

struct Slot {
    vendor: Vendor,
    status: Option<u16>,
    len: u8,
    key: [u8; KEY_BYTES],
    entry: Option<&'static Entry>,
}

impl Slot {
    fn code(&self) -> &str {
        core::str::from_utf8(&self.key[..usize::from(self.len)]).unwrap_or_default()
    }
}

crate::local_state! {
    static MEMO: core::cell::RefCell<[Option<Slot>; SLOTS]> =
        core::cell::RefCell::new([const { None }; SLOTS]);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The memo in [`lookup`] answers exactly as `vendors::lookup` for every catalog code (as
    /// written, in other letter cases, padded, unknown), statuses documented or not, and
    /// messages with and without each row's hint — cold and warm.
    #[test]
    fn memo_answers_as_lookup() {
        let same = |a: Option<&'static Entry>, b: Option<&'static Entry>| match (a, b) {
            (Some(a), Some(b)) => std::ptr::eq(a, b),
            (None, None) => true,
            _ => false,
        };
        for vendor in Vendor::ALL {
            let table = vendors::catalog(vendor);
            let hints: Vec<&str> = table
                .iter()
                .map(|e| e.message_hint)
                .filter(|h| !h.is_empty())
                .collect();
            for e in table {
                let codes = [
                    e.code.to_string(),
                    e.code.to_ascii_lowercase(),
                    e.code.to_ascii_uppercase(),
                    format!(" {} ", e.code),
                    format!("{}x", e.code),
                ];
                let mut statuses = vec![None, Some(200), Some(400), Some(409), Some(429)];
                statuses.extend([Some(500), Some(503), Some(520), e.status]);
                let mut messages = vec![None, Some(String::new()), Some("nothing".to_string())];
                for h in &hints {
                    messages.push(Some(format!("... {h} ...")));
                    messages.push(Some(h.to_ascii_uppercase()));
                }
                for _pass in 0..2 {
                    for code in &codes {
                        for &status in &statuses {
                            for message in &messages {
                                let m = message.as_deref();
                                assert!(
                                    same(
                                        lookup(vendor, code, status, m),
                                        vendors::lookup(vendor, code, status, m)
                                    ),
                                    "{vendor:?} {code:?} {status:?} {m:?}"
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}
