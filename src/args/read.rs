//! The arguments of `classify`, `explain` and `catalog`, read and checked: the input object
//! (status, headers, body, vendor, method), the vendor, the code.

use super::{Arg, Cut, Kind};
use crate::error::{parse_vendor, Error};
use crate::model::Vendor;
use crate::write::Float;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// `classify()`'s input, checked. Strings and the body borrow from the encoded argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input<'a> {
    /// The HTTP status, 0–999.
    pub status: u16,
    /// Header (name, value) pairs; malformed entries are left out.
    pub headers: Vec<(String, String)>,
    /// The body bytes (possibly a prefix: see `truncated`).
    pub body: &'a [u8],
    /// The body was longer than the bytes given.
    pub truncated: bool,
    /// The vendor, when the caller named one (not `"auto"`).
    pub vendor: Option<Vendor>,
    /// The request's method, when given.
    pub method: Option<&'a str>,
}

/// Reads `classify()`'s input object.
pub fn read_input<'a>(arg: &Arg<'a>) -> Result<Input<'a>, Error> {
    if !matches!(arg, Arg::Object(_)) {
        return Err(Error::InputNotObject {
            got: arg.type_name().into(),
        });
    }
    let status = status(arg.get("status"))?;
    let headers = headers(arg.get("headers"))?;
    let (body, truncated) = body(arg.get("body"))?;
    Ok(Input {
        status,
        headers,
        body,
        truncated,
        vendor: vendor(arg.get("vendor"))?,
        method: optional_string(arg.get("method"), "method")?,
    })
}

/// A status: an integer 0–999.
pub fn status(arg: &Arg) -> Result<u16, Error> {
    match arg {
        Arg::Number(n) if crate::num::is_integral(*n) && (0.0..=999.0).contains(n) => Ok(*n as u16),
        Arg::Number(n) => Err(Error::InvalidStatus {
            got: crate::cat!(Float(*n)),
        }),
        other => Err(Error::InvalidStatus {
            got: other.type_name().into(),
        }),
    }
}

/// An optional vendor: absent, `""` or `"auto"` mean "detect it".
pub fn vendor(arg: &Arg) -> Result<Option<Vendor>, Error> {
    match arg {
        Arg::Undefined | Arg::Null => Ok(None),
        Arg::String(s) if s.trim().is_empty() || s.trim().eq_ignore_ascii_case("auto") => Ok(None),
        Arg::String(s) => parse_vendor(s).map(Some),
        other => Err(Error::InvalidArgument {
            name: "vendor".into(),
            expected: "a vendor id string".into(),
            got: other.type_name().into(),
        }),
    }
}

/// An optional string argument named `name`.
pub fn optional_string<'a>(arg: &Arg<'a>, name: &'static str) -> Result<Option<&'a str>, Error> {
    match arg {
        Arg::Undefined | Arg::Null => Ok(None),
        Arg::String(s) => Ok(Some(s)),
        other => Err(Error::InvalidArgument {
            name: name.into(),
            expected: "a string".into(),
            got: other.type_name().into(),
        }),
    }
}

/// A header value as text: strings as they are, numbers printed, arrays of strings (Node's
/// `IncomingHttpHeaders`) joined with `, `; anything else is left out.
fn header_value(arg: &Arg) -> Option<String> {
    match arg {
        Arg::String(s) => Some((*s).to_string()),
        Arg::Number(n) => Some(crate::cat!(Float(*n))),
        Arg::Array(items) => {
            let mut out = String::new();
            for s in items.iter().filter_map(|i| match i {
                Arg::String(s) => Some(*s),
                _ => None,
            }) {
                if !out.is_empty() {
                    out.push_str(", ");
                }
                out.push_str(s);
            }
            Some(out)
        }
        _ => None,
    }
}

/// Headers: a plain object, or `[name, value]` pairs (arrays, `Headers`, other iterables, which
/// the JS layer writes as arrays). Malformed entries, and entries past a [`Cut`], are left
/// out: bad headers are normal input.
fn headers(arg: &Arg) -> Result<Vec<(String, String)>, Error> {
    let mut out = Vec::new();
    match arg {
        Arg::Undefined | Arg::Null => {}
        Arg::Object(entries) => {
            for (name, value) in entries {
                if let Some(v) = header_value(value) {
                    out.push(((*name).to_string(), v));
                }
            }
        }
        Arg::Array(pairs) => {
            for pair in pairs {
                if let Arg::Array(p) = pair {
                    if let (Some(Arg::String(name)), Some(v)) =
                        (p.first(), p.get(1).and_then(header_value))
                    {
                        out.push(((*name).to_string(), v));
                    }
                }
            }
        }
        Arg::Cut(Cut::TooMany) => {}
        other => {
            return Err(Error::InvalidArgument {
                name: "headers".into(),
                expected: "an object, a Headers instance or an array of [name, value] pairs".into(),
                got: other.type_name().into(),
            })
        }
    }
    Ok(out)
}

/// The body: bytes (the JS layer turns strings, buffers and parsed JSON values into bytes),
/// nothing, or a detached buffer (empty). A `Blob` cannot be read by a synchronous call.
fn body<'a>(arg: &Arg<'a>) -> Result<(&'a [u8], bool), Error> {
    match arg {
        Arg::Bytes { bytes, truncated } => Ok((bytes, *truncated)),
        Arg::String(s) => Ok((s.as_bytes(), false)),
        Arg::Other(Kind::Blob) => Err(Error::InvalidArgument {
            name: "body".into(),
            expected: "text, bytes or a parsed JSON value (read a Blob first with await \
                       blob.arrayBuffer(), or classify a fetch Response with classifyResponse())"
                .into(),
            got: "a Blob".into(),
        }),
        _ => Ok((&[], false)),
    }
}

/// `explain(vendor, code, status?)`: a vendor id (required), a code as a string or a finite
/// number, an optional status.
pub fn explain_args(args: &Arg) -> Result<(Vendor, String, Option<u16>), Error> {
    let items: &[Arg] = match args {
        Arg::Array(items) => items,
        _ => &[],
    };
    let arg = |i: usize| items.get(i).unwrap_or(&Arg::Undefined);
    let vendor = vendor(arg(0))?.ok_or_else(|| Error::InvalidArgument {
        name: "vendor".into(),
        expected: "a vendor id string".into(),
        got: arg(0).type_name().into(),
    })?;
    let code = match arg(1) {
        Arg::String(s) => (*s).to_string(),
        Arg::Number(n) if n.is_finite() => crate::cat!(Float(*n)),
        other => {
            return Err(Error::InvalidArgument {
                name: "code".into(),
                expected: "a string or a number".into(),
                got: other.type_name().into(),
            })
        }
    };
    let status = match arg(2) {
        Arg::Undefined | Arg::Null => None,
        other => Some(status(other)?),
    };
    Ok((vendor, code, status))
}

#[cfg(test)]
mod tests {
    use super::super::{decode, Encoder};
    use super::*;

    /// Status, headers, body and the truncated flag of a read input.
    type Read = (u16, Vec<(String, String)>, Vec<u8>, bool);

    fn input(build: impl FnOnce(&mut Encoder)) -> Result<Read, Error> {
        let mut e = Encoder::default();
        build(&mut e);
        let (arg, _) = decode(&e.out)?;
        let i = read_input(&arg)?;
        Ok((i.status, i.headers, i.body.to_vec(), i.truncated))
    }

    #[test]
    fn the_input_object_is_read_and_checked() {
        let (status, headers, body, truncated) = input(|e| {
            e.object(3).key("status").number(429.0);
            e.key("headers").object(3).key("Retry-After").string("7");
            e.key("x-n").number(3.0).key("bad").null();
            e.key("body").bytes(b"{}", true);
        })
        .unwrap();
        assert_eq!(status, 429);
        assert_eq!(
            headers,
            [
                ("Retry-After".into(), "7".into()),
                ("x-n".into(), "3".into())
            ]
        );
        assert_eq!((body.as_slice(), truncated), (&b"{}"[..], true));

        let pairs = input(|e| {
            e.object(2)
                .key("status")
                .number(503.0)
                .key("headers")
                .array(3);
            e.array(2)
                .string("a")
                .string("1")
                .array(1)
                .string("lonely")
                .cut(Cut::TooMany);
        })
        .unwrap();
        assert_eq!(pairs.1, [("a".into(), "1".into())]);
    }

    #[test]
    fn bad_calls_get_their_codes() {
        let code = |build: &dyn Fn(&mut Encoder)| input(build).map(|_| ()).unwrap_err().code();
        assert_eq!(
            code(&|e| {
                e.number(3.0);
            }),
            "ERR_INPUT_NOT_OBJECT"
        );
        assert_eq!(
            code(&|e| {
                e.array(0);
            }),
            "ERR_INPUT_NOT_OBJECT"
        );
        assert_eq!(
            code(&|e| {
                e.object(1).key("status").number(3.5);
            }),
            "ERR_INVALID_STATUS"
        );
        assert_eq!(
            code(&|e| {
                e.object(0);
            }),
            "ERR_INVALID_STATUS"
        );
        assert_eq!(
            code(&|e| {
                e.object(2)
                    .key("status")
                    .number(500.0)
                    .key("vendor")
                    .string("nope");
            }),
            "ERR_UNKNOWN_VENDOR"
        );
        assert_eq!(
            code(&|e| {
                e.object(2)
                    .key("status")
                    .number(500.0)
                    .key("headers")
                    .number(1.0);
            }),
            "ERR_INVALID_ARGUMENT"
        );
        let blob = input(|e| {
            e.object(2)
                .key("status")
                .number(500.0)
                .key("body")
                .other(Kind::Blob);
        })
        .unwrap_err();
        assert!(
            blob.message().contains("arrayBuffer()"),
            "{}",
            blob.message()
        );
        let detached = input(|e| {
            e.object(2)
                .key("status")
                .number(500.0)
                .key("body")
                .other(Kind::DetachedBuffer);
        })
        .unwrap();
        assert!(detached.2.is_empty());
    }

    #[test]
    fn explain_takes_a_string_or_a_number() {
        let mut e = Encoder::default();
        e.array(2).string("acronis").number(1001.0);
        let (arg, _) = decode(&e.out).unwrap();
        assert_eq!(
            explain_args(&arg).unwrap(),
            (Vendor::Acronis, "1001".to_string(), None)
        );
        let mut e = Encoder::default();
        e.array(1).string("acronis");
        let (arg, _) = decode(&e.out).unwrap();
        assert_eq!(
            explain_args(&arg).unwrap_err().code(),
            "ERR_INVALID_ARGUMENT"
        );
    }
}
