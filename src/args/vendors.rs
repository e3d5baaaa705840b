//! `registerVendor(definition)`: the definitions as the JS layer sends them (every one
//! registered so far, in order, then the new one), read and checked. Each problem is an
//! [`Error::InvalidVendorDefinition`] naming the definition and the path in it
//! (`codes[2].category`); nothing is registered then.
//!
//! A definition with a new id describes a vendor: `detect.fields` (top-level body fields
//! that, all present, identify it), JSON pointers to its `code`, `message`, `requestId` and
//! `parameter`, and its `codes`. A definition with a built-in id may bring `codes` only.
//! Written with plain loops: iterator adapters over `Result`s cost the wasm module kilobytes.

use super::options::no_such_field;
use super::{Arg, Cut};
use crate::cat;
use crate::error::Error;
use crate::model::{Action, Category, Vendor};
use crate::prelude::*;
use crate::vendors::registered::{Definition, Row, MAX_CODES, MAX_TEXT_BYTES_IN_ALL, MAX_VENDORS};
use crate::write::Float;
use alloc::borrow::Cow;

/// The most `detect.fields` of one definition.
pub const MAX_FIELDS: usize = 16;

/// The longest code or detect field, in bytes.
pub const MAX_CODE_BYTES: usize = 256;

/// The longest JSON pointer, in bytes.
pub const MAX_POINTER_BYTES: usize = 1024;

/// The longest summary or remediation, in bytes.
pub const MAX_TEXT_BYTES: usize = 4096;

/// The keys of a definition.
const KEYS: [&str; 7] = [
    "id",
    "detect",
    "code",
    "message",
    "requestId",
    "parameter",
    "codes",
];

/// The keys of a row of `codes`. (No `messageHint`: the built-in rows that share a code and
/// a status are told apart by the vendor's message, but the lookup and its memo rely on every
/// such row carrying a hint, which a caller's rows could not promise.)
const ROW_KEYS: [&str; 6] = [
    "code",
    "status",
    "category",
    "action",
    "summary",
    "remediation",
];

/// Reads the list of definitions: each one checked, and a later one with the id of an earlier
/// one taking that one's place. Returns the list and the position the last definition took.
pub fn definitions<'a>(arg: &Arg<'a>) -> Result<(Vec<Definition<'a>>, u32), Error> {
    let Arg::Array(items) = arg else {
        return Err(Error::Internal {
            what: "the JS layer sent vendor definitions the module cannot read",
        });
    };
    let mut list: Vec<Definition<'a>> = Vec::new();
    let mut at = 0;
    for item in items {
        let d = definition(item)?;
        let id = d.id;
        at = match list.iter().position(|o| o.id == id) {
            Some(i) => {
                list[i] = d;
                i
            }
            None => {
                list.push(d);
                list.len() - 1
            }
        };
        if list.iter().filter(|d| d.built_in.is_none()).count() > MAX_VENDORS {
            let problem = cat!("at most ", MAX_VENDORS, " vendors can be registered");
            return Err(fail(Some(id), String::new(), problem));
        }
    }
    let mut total = 0;
    for d in &list {
        total += d.text_len();
    }
    if total > MAX_TEXT_BYTES_IN_ALL {
        let id = list.get(at).map(|d| d.id);
        let problem = cat!(
            "the registered definitions would hold ",
            total,
            " bytes of text; at most ",
            MAX_TEXT_BYTES_IN_ALL,
            " in all"
        );
        return Err(fail(id, String::new(), problem));
    }
    Ok((list, at as u32))
}

fn fail(vendor: Option<&str>, path: String, problem: String) -> Error {
    Error::InvalidVendorDefinition {
        vendor: vendor.map(ToString::to_string),
        path,
        problem,
    }
}

/// `expected <what>, got <the value>`.
fn expected(what: &str, got: &Arg) -> String {
    cat!("expected ", what, ", got ", got.describe())
}

/// Whether `id` matches `^[a-z][a-z0-9_-]{0,31}$`.
fn valid_id(id: &str) -> bool {
    let b = id.as_bytes();
    let tail = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_' || *c == b'-';
    b.len() <= 32 && b.first().is_some_and(u8::is_ascii_lowercase) && b.iter().all(tail)
}

/// The entries of an object at `path`, each key one of `known`.
fn entries<'b, 'a>(
    vendor: Option<&str>,
    path: &str,
    arg: &'b Arg<'a>,
    known: &[&str],
    example: &str,
) -> Result<&'b [(&'a str, Arg<'a>)], Error> {
    let Arg::Object(entries) = arg else {
        let problem = expected(&cat!("an object such as ", example), arg);
        return Err(fail(vendor, path.to_string(), problem));
    };
    for (key, value) in entries {
        let problem = if let Arg::Cut(Cut::TooMany) = value {
            cat!("has more than ", super::MAX_ENTRIES, " keys")
        } else if !known.contains(key) {
            no_such_field(key, known)
        } else {
            continue;
        };
        return Err(fail(vendor, path.to_string(), problem));
    }
    Ok(entries)
}

/// A string of 1 to `max` bytes, surrounding whitespace trimmed (when `trim`).
fn text<'a>(arg: &Arg<'a>, max: usize, trim: bool) -> Option<&'a str> {
    let Arg::String(s) = arg else {
        return None;
    };
    let s = if trim { crate::text::trim(s) } else { s };
    (!s.is_empty() && s.len() <= max).then_some(s)
}

fn definition<'a>(arg: &Arg<'a>) -> Result<Definition<'a>, Error> {
    let id = match arg.get("id") {
        Arg::String(s) if valid_id(s) => *s,
        _ if !matches!(arg, Arg::Object(_)) => {
            let problem = expected("a definition object such as { id, codes }", arg);
            return Err(fail(None, String::new(), problem));
        }
        other => {
            let problem = expected("a lowercase id matching ^[a-z][a-z0-9_-]{0,31}$", other);
            return Err(fail(None, "id".into(), problem));
        }
    };
    let vendor = Some(id);
    if id == "generic" || id == "auto" {
        let problem = cat!(
            "cannot be registered: \"",
            id,
            "\" stands for any other API or for detecting the vendor"
        );
        return Err(fail(vendor, "id".into(), problem));
    }
    let built_in = Vendor::ALL.into_iter().find(|v| v.id() == id);
    let mut d = Definition {
        id,
        built_in,
        fields: Vec::new(),
        code: None,
        message: None,
        request_id: None,
        parameter: None,
        codes: Vec::new(),
    };
    for (key, value) in entries(vendor, "", arg, &KEYS, "{ id, codes }")? {
        let key = *key;
        if built_in.is_some() && key != "id" && key != "codes" {
            let problem = cat!(
                "a definition for ",
                id,
                " (a built-in vendor) may only bring codes"
            );
            return Err(fail(vendor, key.into(), problem));
        }
        let pointer = || pointer(vendor, key, value);
        match key {
            "detect" => d.fields = detect(vendor, value)?,
            "code" => d.code = pointer()?,
            "message" => d.message = pointer()?,
            "requestId" => d.request_id = pointer()?,
            "parameter" => d.parameter = pointer()?,
            "codes" => d.codes = codes(vendor, value, built_in)?,
            _ => {}
        }
    }
    Ok(d)
}

/// `detect: { fields: [...] }`.
fn detect<'a>(vendor: Option<&str>, arg: &Arg<'a>) -> Result<Vec<&'a str>, Error> {
    if arg.is_nullish() {
        return Ok(Vec::new());
    }
    entries(
        vendor,
        "detect",
        arg,
        &["fields"],
        "{ fields: [\"errorType\"] }",
    )?;
    let fields = arg.get("fields");
    let items = match fields {
        Arg::Array(items) if (1..=MAX_FIELDS).contains(&items.len()) => items,
        other => {
            let what = cat!("an array of 1 to ", MAX_FIELDS, " top-level field names");
            return Err(fail(vendor, "detect.fields".into(), expected(&what, other)));
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        // Field names are matched as written: not trimmed.
        let Some(name) = text(item, MAX_CODE_BYTES, false) else {
            let what = cat!("a field name of 1 to ", MAX_CODE_BYTES, " bytes");
            return Err(fail(
                vendor,
                cat!("detect.fields[", i, "]"),
                expected(&what, item),
            ));
        };
        out.push(name);
    }
    Ok(out)
}

/// A JSON pointer (RFC 6901) at `key`, as its tokens.
fn pointer<'a>(
    vendor: Option<&str>,
    key: &str,
    arg: &Arg<'a>,
) -> Result<Option<Vec<Cow<'a, str>>>, Error> {
    let parsed = match arg {
        Arg::Undefined | Arg::Null => return Ok(None),
        Arg::String(s) if s.len() <= MAX_POINTER_BYTES => crate::json::pointer::parse(s),
        _ => None,
    };
    parsed.map(Some).ok_or_else(|| {
        let what = "a JSON pointer such as \"/errorType\" (RFC 6901)";
        fail(vendor, key.into(), expected(what, arg))
    })
}

/// `codes: [...]`.
fn codes<'a>(
    vendor: Option<&str>,
    arg: &Arg<'a>,
    built_in: Option<Vendor>,
) -> Result<Vec<Row<'a>>, Error> {
    let items = match arg {
        Arg::Undefined | Arg::Null => return Ok(Vec::new()),
        Arg::Array(items) => items,
        other => return Err(fail(vendor, "codes".into(), expected("an array", other))),
    };
    if items.len() > MAX_CODES || matches!(items.last(), Some(Arg::Cut(Cut::TooMany))) {
        let problem = cat!("more than ", MAX_CODES, " rows");
        return Err(fail(vendor, "codes".into(), problem));
    }
    let mut rows = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        rows.push(row(vendor, i, item, built_in)?);
    }
    if let Some((first, second)) = duplicate(&rows) {
        let r = &rows[second];
        let mut problem = crate::text::quoted(&r.code);
        if let Some(s) = r.status {
            problem = cat!(problem, " with status ", s);
        }
        problem = cat!(problem, " is in codes[", first, "] already");
        return Err(fail(vendor, cat!("codes[", second, "].code"), problem));
    }
    Ok(rows)
}

/// The first row with the (code in any letter case, status) of an earlier one, and that one:
/// a hash table of row indexes, not a comparison of every pair (10,000 rows).
fn duplicate(rows: &[Row]) -> Option<(usize, usize)> {
    let slots = (rows.len() * 2).next_power_of_two();
    let mut table = vec![usize::MAX; slots];
    for (i, r) in rows.iter().enumerate() {
        let mut hash = 0x811c_9dc5u32 ^ u32::from(r.status.unwrap_or(0));
        for b in r.code.bytes() {
            hash = (hash ^ u32::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0193);
        }
        let mut at = hash as usize & (slots - 1);
        loop {
            match table[at] {
                usize::MAX => {
                    table[at] = i;
                    break;
                }
                j if rows[j].status == r.status && rows[j].code.eq_ignore_ascii_case(&r.code) => {
                    return Some((j, i));
                }
                _ => at = (at + 1) & (slots - 1),
            }
        }
    }
    None
}

fn row<'a>(
    vendor: Option<&str>,
    i: usize,
    arg: &Arg<'a>,
    built_in: Option<Vendor>,
) -> Result<Row<'a>, Error> {
    let at = cat!("codes[", i, "]");
    let example = "{ code, category, action, summary }";
    entries(vendor, &at, arg, &ROW_KEYS, example)?;
    let bad = |key: &str, what: &str| {
        let value = arg.get(key);
        fail(vendor, cat!(at.as_str(), ".", key), expected(what, value))
    };

    let code = match arg.get("code") {
        Arg::Number(n)
            if crate::num::is_integral(*n)
                && n.abs() <= super::options::MAX_SAFE_INTEGER as f64 =>
        {
            Cow::Owned(cat!(Float(*n)))
        }
        other => match text(other, MAX_CODE_BYTES, true) {
            // Huawei's API Gateway codes are looked up as APIG.: a row for APIGW.0308 is one
            // for APIG.0308.
            Some(s) if built_in == Some(Vendor::Huawei) => {
                crate::vendors::huawei::canonical_code(s)
            }
            Some(s) => Cow::Borrowed(s),
            None => return Err(bad("code", "a string of 1 to 256 bytes, or an integer")),
        },
    };
    let status = match arg.get("status") {
        Arg::Undefined | Arg::Null => None,
        Arg::Number(n) if crate::num::is_integral(*n) && (100.0..=599.0).contains(n) => {
            Some(*n as u16)
        }
        _ => return Err(bad("status", "an HTTP status, an integer from 100 to 599")),
    };
    // Every category of the taxonomy but `ok` (the last): a row describes a failure.
    let categories = Category::ALL.map(Category::name);
    let categories = &categories[..categories.len() - 1];
    let Some(category) = named(arg.get("category"), categories) else {
        return Err(bad("category", &one_of(categories)));
    };
    let actions = Action::ALL.map(Action::name);
    let Some(action) = named(arg.get("action"), &actions) else {
        return Err(bad("action", &one_of(&actions)));
    };
    let sentence = "a string of 1 to 4096 bytes";
    let Some(summary) = text(arg.get("summary"), MAX_TEXT_BYTES, true) else {
        return Err(bad("summary", sentence));
    };
    let remediation = match arg.get("remediation") {
        Arg::Undefined | Arg::Null => None,
        Arg::String(s) if crate::text::trim(s).is_empty() => None,
        other => match text(other, MAX_TEXT_BYTES, true) {
            Some(s) => Some(s),
            None => return Err(bad("remediation", sentence)),
        },
    };
    Ok(Row {
        status,
        code,
        category: Category::ALL[category],
        action: Action::ALL[action],
        summary,
        remediation,
    })
}

/// The position of the string `arg` in `names`.
fn named(arg: &Arg, names: &[&str]) -> Option<usize> {
    match arg {
        Arg::String(s) => names.iter().position(|n| n == s),
        _ => None,
    }
}

/// `one of "a", "b", "c"`.
fn one_of(names: &[&str]) -> String {
    let mut out = String::from("one of ");
    for (i, n) in names.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out = cat!(out, "\"", n, "\"");
    }
    out
}
