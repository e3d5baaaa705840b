//! `registerVendor(definition)`: the definitions as the JS layer sends them (every one
//! registered so far, in order, then the new one), read and checked. Each problem is an
//! [`Error::InvalidVendorDefinition`] naming the definition and the path in it
//! (`codes[2].category`); nothing is registered then.
//!
//! A definition with a new id describes a vendor: `detect.fields` (top-level body fields
//! that, all present, identify it), JSON pointers to its `code`, `message`, `requestId` and
//! `parameter`, and its `codes`. A definition with a built-in id may bring `codes` only.

use super::{Arg, Cut};
use crate::cat;
use crate::error::Error;
use crate::model::{Action, Category, Vendor};
use crate::prelude::*;
use crate::text::quoted;
use crate::vendors::registered::{Definition, Row, MAX_CODES, MAX_VENDORS};
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

/// A checked definition, its texts borrowed from the input where they can be.
pub type Checked<'a> = Definition<Cow<'a, str>>;

/// Reads the list of definitions: each one checked, and a later one with the id of an earlier
/// one taking that one's place. Returns the list and the position the last definition took.
pub fn definitions<'a>(arg: &Arg<'a>) -> Result<(Vec<Checked<'a>>, u32), Error> {
    let Arg::Array(items) = arg else {
        return Err(Error::Internal {
            what: "the JS layer sent vendor definitions the module cannot read",
        });
    };
    let mut list: Vec<Checked<'a>> = Vec::new();
    let mut at = 0;
    for item in items {
        let d = definition(item)?;
        let id = d.id.clone();
        at = match list.iter().position(|o| o.id == d.id) {
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
            return Err(fail(
                Some(&id),
                "",
                cat!(
                    "at most ",
                    MAX_VENDORS,
                    " vendors can be registered, and as many are already"
                ),
            ));
        }
    }
    Ok((list, at as u32))
}

fn fail(vendor: Option<&str>, path: impl Into<String>, problem: String) -> Error {
    Error::InvalidVendorDefinition {
        vendor: vendor.map(ToString::to_string),
        path: path.into(),
        problem,
    }
}

/// What an `expected …, got …` problem says.
fn expected(what: &str, got: &Arg) -> String {
    cat!("expected ", what, ", got ", got.describe())
}

/// Whether `id` matches `^[a-z][a-z0-9_-]{0,31}$`.
fn valid_id(id: &str) -> bool {
    let b = id.as_bytes();
    (1..=32).contains(&b.len())
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_' || c == b'-')
}

/// The problem with an unknown key: the keys there are, and the one meant when only letter
/// case, `_` or `-` differ.
fn unknown_key(key: &str, known: &[&str]) -> String {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| *c != '_' && *c != '-')
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let mut problem = cat!("unknown key ", quoted(key));
    if let Some(k) = known.iter().find(|k| squash(k) == squash(key)) {
        problem = cat!(problem, " (did you mean ", k, "?)");
    }
    problem.push_str("; the keys are ");
    problem.push_str(&known.join(", "));
    problem
}

/// Checks the keys of an object at `path` (`""` for the definition itself).
fn check_keys(vendor: Option<&str>, path: &str, arg: &Arg, known: &[&str]) -> Result<(), Error> {
    let Arg::Object(entries) = arg else {
        return Ok(());
    };
    for (key, value) in entries {
        let at = |key: &str| {
            if path.is_empty() {
                String::from(key)
            } else {
                cat!(path, ".", key)
            }
        };
        if let Arg::Cut(Cut::TooMany) = value {
            let problem = cat!("has more than ", super::MAX_ENTRIES, " keys");
            return Err(fail(vendor, path, problem));
        }
        if !known.contains(key) {
            return Err(fail(vendor, at(key), unknown_key(key, known)));
        }
    }
    Ok(())
}

fn definition<'a>(arg: &Arg<'a>) -> Result<Checked<'a>, Error> {
    if !matches!(arg, Arg::Object(_)) {
        let what = "a definition object such as { id: \"rubrik\", codes: [...] }";
        return Err(fail(None, "", expected(what, arg)));
    }
    let id = match arg.get("id") {
        Arg::String(s) if valid_id(s) => *s,
        Arg::Undefined => {
            return Err(fail(
                None,
                "id",
                "missing: every definition has an id".into(),
            ))
        }
        other => {
            let what = "a lowercase id: a letter, then up to 31 letters, digits, _ or - \
                        (^[a-z][a-z0-9_-]{0,31}$)";
            return Err(fail(None, "id", expected(what, other)));
        }
    };
    let vendor = Some(id);
    match id {
        "generic" => {
            let problem = "\"generic\" cannot be registered: it is what every other API is \
                           classified as"
                .into();
            return Err(fail(vendor, "id", problem));
        }
        "auto" => {
            let problem =
                "\"auto\" cannot be registered: as a vendor it means \"detect it\"".into();
            return Err(fail(vendor, "id", problem));
        }
        _ => {}
    }
    let built_in = Vendor::ALL.into_iter().find(|v| v.id() == id);
    check_keys(vendor, "", arg, &KEYS)?;
    if built_in.is_some() {
        if let Some((key, _)) = arg_entries(arg)
            .iter()
            .find(|(k, _)| !matches!(*k, "id" | "codes"))
        {
            let problem = cat!(
                "a definition with a built-in vendor's id may only bring codes (rows that take \
                 precedence over ",
                id,
                "'s own rows of the same code)"
            );
            return Err(fail(vendor, *key, problem));
        }
    }
    Ok(Definition {
        id: Cow::Borrowed(id),
        built_in,
        fields: detect(vendor, arg.get("detect"))?,
        code: pointer(vendor, "code", arg.get("code"))?,
        message: pointer(vendor, "message", arg.get("message"))?,
        request_id: pointer(vendor, "requestId", arg.get("requestId"))?,
        parameter: pointer(vendor, "parameter", arg.get("parameter"))?,
        codes: codes(vendor, arg.get("codes"), built_in)?,
    })
}

fn arg_entries<'b, 'a>(arg: &'b Arg<'a>) -> &'b [(&'a str, Arg<'a>)] {
    match arg {
        Arg::Object(entries) => entries,
        _ => &[],
    }
}

/// A non-empty string of at most `max` bytes (surrounding whitespace trimmed).
fn text<'a>(arg: &Arg<'a>, max: usize) -> Option<&'a str> {
    match arg {
        Arg::String(s) => {
            let s = crate::text::trim(s);
            (!s.is_empty() && s.len() <= max).then_some(s)
        }
        _ => None,
    }
}

/// `detect: { fields: [...] }`.
fn detect<'a>(vendor: Option<&str>, arg: &Arg<'a>) -> Result<Vec<Cow<'a, str>>, Error> {
    match arg {
        Arg::Undefined | Arg::Null => return Ok(Vec::new()),
        Arg::Object(_) => {}
        other => {
            let what = "an object such as { fields: [\"errorType\"] }";
            return Err(fail(vendor, "detect", expected(what, other)));
        }
    }
    check_keys(vendor, "detect", arg, &["fields"])?;
    let fields = arg.get("fields");
    let items = match fields {
        Arg::Array(items) if (1..=MAX_FIELDS).contains(&items.len()) => items,
        other => {
            let what = cat!(
                "an array of 1 to ",
                MAX_FIELDS,
                " top-level field names, all present in the vendor's error bodies"
            );
            return Err(fail(vendor, "detect.fields", expected(&what, other)));
        }
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| match item {
            // Field names are matched as written: no trimming.
            Arg::String(s) if !s.is_empty() && s.len() <= MAX_CODE_BYTES => Ok(Cow::Borrowed(*s)),
            other => {
                let what = cat!(
                    "a non-empty field name of at most ",
                    MAX_CODE_BYTES,
                    " bytes"
                );
                Err(fail(
                    vendor,
                    cat!("detect.fields[", i, "]"),
                    expected(&what, other),
                ))
            }
        })
        .collect()
}

/// A JSON pointer (RFC 6901) at `name`, as its tokens.
fn pointer<'a>(
    vendor: Option<&str>,
    name: &str,
    arg: &Arg<'a>,
) -> Result<Option<Vec<Cow<'a, str>>>, Error> {
    let parsed = match arg {
        Arg::Undefined | Arg::Null => return Ok(None),
        Arg::String(s) if s.len() <= MAX_POINTER_BYTES => crate::json::pointer::parse(s),
        _ => None,
    };
    parsed.map(Some).ok_or_else(|| {
        let what = "a JSON pointer such as \"/errorType\" or \"/error/code\" (RFC 6901: empty \
                    for the whole body, or starting with \"/\"; ~1 and ~0 stand for / and ~)";
        fail(vendor, name, expected(what, arg))
    })
}

/// The names of `all`, quoted, joined with `, `.
fn names(all: &[&str]) -> String {
    let quoted: Vec<String> = all.iter().map(|n| quoted(n)).collect();
    cat!("one of ", quoted.join(", "))
}

/// `codes: [...]`.
fn codes<'a>(
    vendor: Option<&str>,
    arg: &Arg<'a>,
    built_in: Option<Vendor>,
) -> Result<Vec<Row<Cow<'a, str>>>, Error> {
    let items = match arg {
        Arg::Undefined | Arg::Null => return Ok(Vec::new()),
        Arg::Array(items) => items,
        other => {
            return Err(fail(
                vendor,
                "codes",
                expected("an array of code rows", other),
            ))
        }
    };
    if items.len() > MAX_CODES || matches!(items.last(), Some(Arg::Cut(Cut::TooMany))) {
        let problem = cat!(
            "more than ",
            MAX_CODES,
            " rows: at most ",
            MAX_CODES,
            " per vendor"
        );
        return Err(fail(vendor, "codes", problem));
    }
    let rows = items
        .iter()
        .enumerate()
        .map(|(i, item)| row(vendor, i, item, built_in))
        .collect::<Result<Vec<_>, Error>>()?;
    // The same (code, status) twice: found by sorting, not by comparing every pair (10,000
    // rows).
    let key = |i: usize| (rows[i].code.to_ascii_lowercase(), rows[i].status);
    let mut keys: Vec<_> = (0..rows.len()).map(|i| (key(i), i)).collect();
    keys.sort();
    for pair in keys.windows(2) {
        let [(a, first), (b, second)] = pair else {
            continue;
        };
        if a == b {
            let (first, second) = ((*first).min(*second), (*first).max(*second));
            let r = &rows[second];
            let mut problem = cat!(quoted(&r.code));
            if let Some(s) = r.status {
                problem = cat!(problem, " with status ", s);
            }
            problem = cat!(problem, " is in codes[", first, "] already");
            return Err(fail(vendor, cat!("codes[", second, "].code"), problem));
        }
    }
    Ok(rows)
}

fn row<'a>(
    vendor: Option<&str>,
    i: usize,
    arg: &Arg<'a>,
    built_in: Option<Vendor>,
) -> Result<Row<Cow<'a, str>>, Error> {
    let path = |key: &str| cat!("codes[", i, "].", key);
    if !matches!(arg, Arg::Object(_)) {
        let what = "a row such as { code: \"ObjectNotFound\", status: 404, category: \
                    \"not_found\", action: \"fix_request\", summary: \"...\" }";
        return Err(fail(vendor, cat!("codes[", i, "]"), expected(what, arg)));
    }
    check_keys(vendor, &cat!("codes[", i, "]"), arg, &ROW_KEYS)?;
    let missing = |key: &str| fail(vendor, path(key), "missing".into());

    let code = match arg.get("code") {
        Arg::Undefined => return Err(missing("code")),
        Arg::Number(n)
            if crate::num::is_integral(*n)
                && n.abs() <= super::options::MAX_SAFE_INTEGER as f64 =>
        {
            Cow::Owned(cat!(Float(*n)))
        }
        other => match text(other, MAX_CODE_BYTES) {
            Some(s) => Cow::Borrowed(s),
            None => {
                let what = cat!(
                    "a non-empty string of at most ",
                    MAX_CODE_BYTES,
                    " bytes, or an integer"
                );
                return Err(fail(vendor, path("code"), expected(&what, other)));
            }
        },
    };
    // Huawei's API Gateway codes are looked up as APIG.: a row for APIGW.0308 is one for
    // APIG.0308.
    let code = match (built_in, &code) {
        (Some(Vendor::Huawei), c) => match crate::vendors::huawei::canonical_code(c) {
            Cow::Owned(canonical) => Cow::Owned(canonical),
            Cow::Borrowed(_) => code,
        },
        _ => code,
    };

    let status = match arg.get("status") {
        Arg::Undefined | Arg::Null => None,
        Arg::Number(n) if crate::num::is_integral(*n) && (100.0..=599.0).contains(n) => {
            Some(*n as u16)
        }
        other => {
            let what = "an HTTP status, an integer from 100 to 599";
            return Err(fail(vendor, path("status"), expected(what, other)));
        }
    };

    // Every category of the taxonomy but `ok`: a row describes a failure.
    let categories: Vec<&str> = Category::ALL
        .iter()
        .filter(|c| **c != Category::Ok)
        .map(|c| c.name())
        .collect();
    let category = match arg.get("category") {
        Arg::Undefined => return Err(missing("category")),
        Arg::String(s) if categories.contains(s) => Category::ALL
            .into_iter()
            .find(|c| c.name() == *s)
            .unwrap_or_default(),
        other => {
            return Err(fail(
                vendor,
                path("category"),
                expected(&names(&categories), other),
            ))
        }
    };
    let actions = Action::ALL.map(Action::name);
    let action = match arg.get("action") {
        Arg::Undefined => return Err(missing("action")),
        Arg::String(s) if actions.contains(s) => Action::ALL
            .into_iter()
            .find(|a| a.name() == *s)
            .unwrap_or_default(),
        other => {
            return Err(fail(
                vendor,
                path("action"),
                expected(&names(&actions), other),
            ))
        }
    };

    let sentence = cat!("a non-empty string of at most ", MAX_TEXT_BYTES, " bytes");
    let summary = match arg.get("summary") {
        Arg::Undefined => return Err(missing("summary")),
        other => match text(other, MAX_TEXT_BYTES) {
            Some(s) => Cow::Borrowed(s),
            None => return Err(fail(vendor, path("summary"), expected(&sentence, other))),
        },
    };
    let remediation = match arg.get("remediation") {
        Arg::Undefined | Arg::Null => None,
        Arg::String(s) if crate::text::trim(s).is_empty() => None,
        other => match text(other, MAX_TEXT_BYTES) {
            Some(s) => Some(Cow::Borrowed(s)),
            None => {
                return Err(fail(
                    vendor,
                    path("remediation"),
                    expected(&sentence, other),
                ))
            }
        },
    };
    Ok(Row {
        status,
        code,
        category,
        action,
        summary,
        remediation,
    })
}
