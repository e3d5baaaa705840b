//! Vendors registered at run time (`registerVendor` in the JS API): new vendors, detected by
//! top-level body fields and read by JSON pointers, with their own catalog; and rows for a
//! built-in vendor's catalog, which take precedence over its rows of the same code.
//!
//! The JS layer keeps the definitions and sends all of them with each registration; once
//! every one is checked (`crate::args::vendors`) the registry is rebuilt from scratch
//! ([`build`]). It is the one state of the module a caller sets: per thread natively (tests
//! run on many threads), and in the standalone module in a region of the heap that the reset
//! before each operation keeps (`crate::wasm`). Its texts sit in one arena leaked to
//! `'static`, so its rows are [`Entry`]s like the built-in ones and every reader of the
//! catalog works on them unchanged; [`owns`] tells the result writer they are not the
//! module's static data (the JS layer caches static strings by address). No `'static`
//! reference into a registry may outlive the next [`clear`]: the catalog lookup memo, the
//! only place that keeps such references between operations, is cleared with it.

use crate::classify::action_remediation;
use crate::json::{pointer, Map, Value};
use crate::model::{Action, Category, Entry, Vendor, VendorError};
use crate::prelude::*;
use crate::text::string_or_number;
use alloc::borrow::Cow;
use core::cell::Cell;

/// The most vendors that may be registered (built-in ids that bring rows do not count).
pub const MAX_VENDORS: usize = 64;

/// The most bytes of text (ids, fields, pointers, codes, summaries, remediations) all the
/// registered definitions may hold together. It bounds the module's memory: the definitions
/// are sent again with each registration and copied into the registry, so without it a few
/// definitions at the per-field limits would take gigabytes.
pub const MAX_TEXT_BYTES_IN_ALL: usize = 16 * 1024 * 1024;

/// The most rows one definition may bring (the JS encoder writes at most this many entries
/// of one array).
pub const MAX_CODES: usize = crate::args::MAX_ENTRIES;

/// A JSON pointer, parsed: its reference tokens, unescaped.
pub type Pointer = &'static [&'static str];

/// A definition as `crate::args::vendors` checked it, its texts borrowed from the input
/// where they can be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition<'a> {
    /// The vendor id.
    pub id: &'a str,
    /// The built-in vendor this definition brings rows for; `None` for a new vendor.
    pub built_in: Option<Vendor>,
    /// Top-level body fields that, all present, identify the vendor (empty: never detected).
    pub fields: Vec<&'a str>,
    /// Where the code is (pointer tokens); `None`: where generic bodies have it.
    pub code: Option<Vec<Cow<'a, str>>>,
    /// Where the message is; `None`: where generic bodies have it.
    pub message: Option<Vec<Cow<'a, str>>>,
    /// Where a request id is; `None`: where generic bodies have it.
    pub request_id: Option<Vec<Cow<'a, str>>>,
    /// Where the parameter at fault is; `None`: nowhere.
    pub parameter: Option<Vec<Cow<'a, str>>>,
    /// The catalog rows.
    pub codes: Vec<Row<'a>>,
}

/// One catalog row of a definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row<'a> {
    /// The HTTP status it is documented with, if any.
    pub status: Option<u16>,
    /// The code.
    pub code: Cow<'a, str>,
    /// What went wrong.
    pub category: Category,
    /// What to do.
    pub action: Action,
    /// What it means.
    pub summary: &'a str,
    /// How to fix it; `None`: the action's general advice.
    pub remediation: Option<&'a str>,
}

impl Definition<'_> {
    /// The bytes of every text [`build`] copies into the arena.
    pub fn text_len(&self) -> usize {
        let mut n = self.id.len();
        for f in &self.fields {
            n += f.len();
        }
        for p in [&self.code, &self.message, &self.request_id, &self.parameter] {
            for t in p.iter().flatten() {
                n += t.len();
            }
        }
        for r in &self.codes {
            n += r.code.len() + r.summary.len() + r.remediation.map_or(0, str::len);
        }
        n
    }
}

/// A registered (new) vendor, as the classifier reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Registered {
    /// Its id.
    pub id: &'static str,
    /// The top-level fields that identify it (all of them present); empty: never detected.
    pub fields: &'static [&'static str],
    /// Where its code is; `None`: where generic bodies have it.
    pub code: Option<Pointer>,
    /// Where its message is; `None`: where generic bodies have it.
    pub message: Option<Pointer>,
    /// Where its request id is; `None`: where generic bodies have it.
    pub request_id: Option<Pointer>,
    /// Where the parameter at fault is; `None`: nowhere.
    pub parameter: Option<Pointer>,
    /// Its catalog.
    pub catalog: &'static [Entry],
}

crate::local_state! {
    /// The registered vendors, in registration order (`Vendor::Registered(i)` is the `i`th).
    static VENDORS: Cell<&'static [Registered]> = Cell::new(&[]);
}

crate::local_state! {
    /// The built-in vendors' catalogs with registered rows, by `Vendor::index`.
    static OVERRIDES: Cell<[Option<&'static [Entry]>; 6]> = Cell::new([None; 6]);
}

crate::local_state! {
    /// Address and length of the arena the registry's texts are in.
    static ARENA: Cell<(usize, usize)> = Cell::new((0, 0));
}

/// How many vendors are registered.
pub fn count() -> usize {
    VENDORS.with(Cell::get).len()
}

/// The registered vendor at position `i`.
pub fn get(i: u8) -> Option<&'static Registered> {
    VENDORS.with(Cell::get).get(usize::from(i))
}

/// The id of the registered vendor at position `i`.
pub fn id(i: u8) -> Option<&'static str> {
    get(i).map(|v| v.id)
}

/// The registered vendor with this id (any letter case).
pub fn find(id: &str) -> Option<Vendor> {
    VENDORS
        .with(Cell::get)
        .iter()
        .position(|v| v.id.eq_ignore_ascii_case(id))
        .map(|i| Vendor::Registered(i as u8))
}

/// A built-in vendor's catalog with its registered rows (first), when rows were registered
/// for it.
pub fn overridden(vendor: Vendor) -> Option<&'static [Entry]> {
    let i = vendor.index() as usize;
    OVERRIDES.with(Cell::get).get(i).copied().flatten()
}

/// Whether `s` is one of the registry's texts (not the module's static data).
pub fn owns(s: &str) -> bool {
    let (at, len) = ARENA.with(Cell::get);
    let p = s.as_ptr() as usize;
    len > 0 && p >= at && p <= at + len
}

/// The first registered vendor whose fields are all at the top of the body.
pub fn detect(top: &Map) -> Option<Vendor> {
    VENDORS
        .with(Cell::get)
        .iter()
        .position(|v| !v.fields.is_empty() && v.fields.iter().all(|f| top.contains_key(f)))
        .map(|i| Vendor::Registered(i as u8))
}

/// Reads a registered vendor's error from a JSON body: code, message, request id and
/// parameter by its pointers (a number becomes its decimal text), the fields it has no
/// pointer for where generic bodies have them. `None` when neither a code nor a message was
/// found (the classifier then reads the body as a generic one).
pub fn parse(vendor: &Registered, json: &Value) -> Option<VendorError> {
    let read = |p: Option<Pointer>, or: Option<String>| match p {
        Some(p) => string_or_number(pointer::resolve(json, p)),
        None => or,
    };
    let generic = match (vendor.code, vendor.message, vendor.request_id) {
        (Some(_), Some(_), Some(_)) => VendorError::default(),
        _ => super::generic::parse(json).unwrap_or_default(),
    };
    let code = read(vendor.code, generic.code);
    let message = read(vendor.message, generic.message);
    if code.is_none() && message.is_none() {
        return None;
    }
    Some(VendorError {
        code,
        message,
        request_id: read(vendor.request_id, generic.request_id),
        parameter: read(vendor.parameter, None),
        ..VendorError::default()
    })
}

/// Drops the registry (and the lookup memo, which may point into it).
pub fn clear() {
    VENDORS.with(|v| v.set(&[]));
    OVERRIDES.with(|o| o.set([None; 6]));
    ARENA.with(|a| a.set((0, 0)));
    crate::classify::clear_memo();
}

/// Replaces the registry with `definitions` (checked by `crate::args::vendors`: ids unique,
/// at most [`MAX_VENDORS`] new ones). Their texts are copied into one arena and leaked, with
/// the tables made of them: natively that memory is never freed (registration is meant for
/// start-up); the standalone module frees it at the next rebuild.
pub fn build(definitions: &[Definition]) {
    clear();
    let total = definitions.iter().map(Definition::text_len).sum();
    let mut arena: &'static mut [u8] = vec![0u8; total].leak();
    let at = arena.as_ptr() as usize;
    // Each text's bytes, from the front of what is left of the arena (`text_len` counted them).
    let mut copy = |s: &str| -> &'static str {
        let Some((head, rest)) = core::mem::take(&mut arena).split_at_mut_checked(s.len()) else {
            return "";
        };
        head.copy_from_slice(s.as_bytes());
        arena = rest;
        core::str::from_utf8(head).unwrap_or_default()
    };
    let mut vendors = Vec::new();
    let mut overrides = [None; 6];
    for d in definitions {
        let id = copy(d.id);
        let mut fields = Vec::with_capacity(d.fields.len());
        for f in &d.fields {
            fields.push(copy(f));
        }
        let mut pointers = [None; 4];
        for (slot, p) in pointers
            .iter_mut()
            .zip([&d.code, &d.message, &d.request_id, &d.parameter])
        {
            if let Some(p) = p {
                let mut tokens = Vec::with_capacity(p.len());
                for t in p {
                    tokens.push(copy(t));
                }
                *slot = Some(&*tokens.leak());
            }
        }
        let mut rows = Vec::with_capacity(d.codes.len());
        for r in &d.codes {
            rows.push(Entry {
                status: r.status,
                code: copy(&r.code),
                category: r.category,
                action: r.action,
                summary: copy(r.summary),
                remediation: match r.remediation {
                    Some(text) => copy(text),
                    None => action_remediation(r.action),
                },
                message_hint: "",
            });
        }
        match d.built_in {
            Some(v) => {
                if let Some(slot) = overrides.get_mut(v.index() as usize) {
                    *slot = Some(&*merged(v, rows).leak());
                }
            }
            None => {
                let [code, message, request_id, parameter] = pointers;
                vendors.push(Registered {
                    id,
                    fields: fields.leak(),
                    code,
                    message,
                    request_id,
                    parameter,
                    catalog: rows.leak(),
                });
            }
        }
    }
    ARENA.with(|a| a.set((at, total)));
    VENDORS.with(|v| v.set(vendors.leak()));
    OVERRIDES.with(|o| o.set(overrides));
}

/// `vendor`'s catalog with `rows` first, and without the built-in rows they take precedence
/// over: those with the same code (any letter case) and, where the row gives a status, the
/// same status.
fn merged(vendor: Vendor, mut rows: Vec<Entry>) -> Vec<Entry> {
    let given = rows.len();
    for b in super::built_in_catalog(vendor) {
        let hidden = rows[..given].iter().any(|r| {
            r.code.eq_ignore_ascii_case(b.code) && (r.status.is_none() || r.status == b.status)
        });
        if !hidden {
            rows.push(*b);
        }
    }
    rows
}

#[cfg(test)]
mod tests;
