//! Arguments as JavaScript passes them, checked here: the one place that decides whether a
//! call is well formed and which error it gets.
//!
//! The JS layer reads each argument exactly once (so a caller's getters and proxies run in
//! JavaScript, before the wasm module is entered) and writes what it read into a compact
//! encoding; [`decode`] turns that into an [`Arg`] tree borrowing from the input bytes, and
//! the readers (`read.rs`, the options readers of `crate::retry` and `crate::budget`)
//! validate it. The encoding (little endian):
//!
//! | tag | value | payload |
//! |-----|-------|---------|
//! | 0 | `undefined` | — |
//! | 1 | `null` | — |
//! | 2, 3 | `false`, `true` | — |
//! | 4 | a number | f64 |
//! | 5 | a string | u32 byte length, UTF-8 |
//! | 6 | a `BigInt` | u32 byte length, its decimal digits |
//! | 7 | bytes (a body) | u32 byte length, the bytes |
//! | 8 | bytes cut at the body cap | u32 byte length, the first bytes |
//! | 9 | an array or iterable | u32 count, the items |
//! | 10 | an object (own enumerable string keys, or a `Map`) | u32 count, (string, value) pairs |
//! | 11 | something that is neither | u8 [`Kind`] |
//! | 12 | where the encoder stopped | u8 [`Cut`] |
//!
//! The JS encoder stops at [`MAX_DEPTH`] levels and [`MAX_ENTRIES`] entries per container
//! and writes a `Cut` there, so neither a deep nest nor an endless iterable costs more than
//! linear time; what a reader does with a `Cut` depends on the argument (options refuse it,
//! headers ignore what is past it).

pub mod options;
mod read;
pub mod vendors;

pub use read::{explain_args, optional_string, read_input, status, vendor, Input};

use crate::bytes::{self, ByteReader};
use crate::error::Error;
use crate::write::Float;
use alloc::string::String;
use alloc::vec::Vec;

/// The most nesting levels the JS encoder writes.
pub const MAX_DEPTH: usize = 32;

/// The most entries of one array, iterable or object the JS encoder writes.
pub const MAX_ENTRIES: usize = 10_000;

/// The most body bytes the JS layer passes; a longer body is classified on its prefix.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// The most characters of one response header name or value the JS encoder writes (a
/// longer one is read on its prefix): every header the classifier reads is far shorter.
pub const MAX_HEADER_TEXT: usize = 8192;

/// The most characters of response header names and values the JS encoder writes in all
/// (what comes after reads as empty).
pub const MAX_HEADER_TEXT_IN_ALL: usize = 1024 * 1024;

/// A JavaScript value that is neither a primitive, an array nor a plain object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A function or class.
    Function,
    /// A `Symbol`.
    Symbol,
    /// A `Date`.
    Date,
    /// A `Set`.
    Set,
    /// A `Blob` (or `File`).
    Blob,
    /// A `Promise` or another thenable.
    Promise,
    /// A `RegExp`.
    RegExp,
    /// An `Error`.
    Error,
    /// An `ArrayBuffer` whose contents were transferred away.
    DetachedBuffer,
    /// Bytes (a typed array or buffer) where no body is expected.
    Bytes,
}

impl Kind {
    /// Each kind's tag on the wire and the name the JS encoder (`KIND` of layout.js) gives it.
    pub const TAGS: [(u8, Kind, &'static str); 10] = [
        (1, Kind::Function, "function"),
        (2, Kind::Symbol, "symbol"),
        (3, Kind::Date, "date"),
        (4, Kind::Set, "set"),
        (5, Kind::Blob, "blob"),
        (6, Kind::Promise, "promise"),
        (7, Kind::RegExp, "regexp"),
        (8, Kind::Error, "error"),
        (9, Kind::DetachedBuffer, "detached"),
        (10, Kind::Bytes, "bytes"),
    ];

    fn from_tag(tag: u8) -> Kind {
        Kind::TAGS
            .iter()
            .find(|(t, _, _)| *t == tag)
            .map_or(Kind::Bytes, |(_, kind, _)| *kind)
    }

    /// How an error message names it.
    pub const fn describe(self) -> &'static str {
        match self {
            Kind::Function => "a function",
            Kind::Symbol => "a symbol",
            Kind::Date => "a Date",
            Kind::Set => "a Set",
            Kind::Blob => "a Blob",
            Kind::Promise => "a Promise",
            Kind::RegExp => "a RegExp",
            Kind::Error => "an Error",
            Kind::DetachedBuffer => "a detached ArrayBuffer",
            Kind::Bytes => "bytes",
        }
    }
}

/// Why the encoder stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// More than [`MAX_DEPTH`] levels.
    TooDeep,
    /// More than [`MAX_ENTRIES`] entries in one container.
    TooMany,
}

/// One decoded argument, borrowing strings and bytes from the input.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg<'a> {
    /// `undefined` (also a missing field).
    Undefined,
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    String(&'a str),
    /// A `BigInt`, as its decimal digits.
    BigInt(&'a str),
    /// Bytes; `truncated` when the JS layer cut them at [`MAX_BODY_BYTES`].
    Bytes {
        /// The bytes.
        bytes: &'a [u8],
        /// The value had more bytes than these.
        truncated: bool,
    },
    /// An array or iterable; a [`Cut`] as last item when the encoder stopped.
    Array(Vec<Arg<'a>>),
    /// An object's string-keyed entries, in order; a `("", Cut)` last when cut.
    Object(Vec<(&'a str, Arg<'a>)>),
    /// Something else.
    Other(Kind),
    /// Where the encoder stopped.
    Cut(Cut),
}

impl<'a> Arg<'a> {
    /// `undefined` or `null`.
    pub fn is_nullish(&self) -> bool {
        matches!(self, Arg::Undefined | Arg::Null)
    }

    /// The value of `key` in an object (`Undefined` when absent or not an object).
    pub fn get(&self, key: &str) -> &Arg<'a> {
        match self {
            Arg::Object(entries) => entries
                .iter()
                .find(|(k, _)| *k == key)
                .map_or(&Arg::Undefined, |(_, v)| v),
            _ => &Arg::Undefined,
        }
    }

    /// The value as an error message names it: `null`, `a function`, `an array`,
    /// `an object`, `3.5`, `"text"` (bounded, quoted), `NaN`.
    pub fn describe(&self) -> String {
        match self {
            Arg::Undefined => "undefined".into(),
            Arg::Null => "null".into(),
            Arg::Bool(b) => crate::cat!(b),
            Arg::Number(n) => crate::cat!(Float(*n)),
            Arg::String(s) => crate::text::quoted(s),
            Arg::BigInt(d) => crate::cat!(crate::text::bounded(d), "n"),
            Arg::Bytes { .. } => "bytes".into(),
            Arg::Array(_) => "an array".into(),
            Arg::Object(_) => "an object".into(),
            Arg::Other(kind) => kind.describe().into(),
            Arg::Cut(Cut::TooDeep) => "a value nested too deeply".into(),
            Arg::Cut(Cut::TooMany) => "a value with too many entries".into(),
        }
    }

    /// The value's type as `classify()`'s "expects an object" message names it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Arg::Undefined => "undefined",
            Arg::Null => "null",
            Arg::Bool(_) => "boolean",
            Arg::Number(_) => "number",
            Arg::String(_) => "string",
            Arg::BigInt(_) => "bigint",
            Arg::Bytes { .. } => "bytes",
            Arg::Array(_) => "an array",
            Arg::Object(_) => "object",
            Arg::Other(Kind::Function) => "function",
            Arg::Other(Kind::Symbol) => "symbol",
            Arg::Other(kind) => kind.describe(),
            Arg::Cut(_) => "a value nested too deeply",
        }
    }

    /// The first [`Cut`] anywhere in the value, if any.
    pub fn cut(&self) -> Option<Cut> {
        match self {
            Arg::Cut(c) => Some(*c),
            Arg::Array(items) => items.iter().find_map(Arg::cut),
            Arg::Object(entries) => entries.iter().find_map(|(_, v)| v.cut()),
            _ => None,
        }
    }
}

/// Decodes one value at the start of `input`; the rest is returned. Malformed input (which
/// the JS layer never writes) is an [`Error::Internal`], never a panic.
pub fn decode(input: &[u8]) -> Result<(Arg<'_>, &[u8]), Error> {
    let mut reader = ByteReader::new(input);
    let arg = decode_from(&mut reader)?;
    Ok((arg, reader.rest()))
}

/// Decodes one value from `reader`, leaving it after the value.
pub fn decode_from<'a>(reader: &mut ByteReader<'a>) -> Result<Arg<'a>, Error> {
    value(reader, 0)
}

fn value<'a>(reader: &mut ByteReader<'a>, depth: usize) -> Result<Arg<'a>, Error> {
    if depth > MAX_DEPTH + 1 {
        return Err(bytes::malformed());
    }
    Ok(match reader.u8()? {
        0 => Arg::Undefined,
        1 => Arg::Null,
        2 => Arg::Bool(false),
        3 => Arg::Bool(true),
        4 => Arg::Number(reader.f64()?),
        5 => Arg::String(reader.text()?),
        6 => Arg::BigInt(reader.text()?),
        7 => Arg::Bytes {
            bytes: reader.bytes()?,
            truncated: false,
        },
        8 => Arg::Bytes {
            bytes: reader.bytes()?,
            truncated: true,
        },
        9 => {
            let n = reader.u32()? as usize;
            let mut items = Vec::with_capacity(n.min(MAX_ENTRIES + 1));
            for _ in 0..n {
                items.push(value(reader, depth + 1)?);
            }
            Arg::Array(items)
        }
        10 => {
            let n = reader.u32()? as usize;
            let mut entries = Vec::with_capacity(n.min(MAX_ENTRIES + 1));
            for _ in 0..n {
                let key = reader.text()?;
                entries.push((key, value(reader, depth + 1)?));
            }
            Arg::Object(entries)
        }
        11 => Arg::Other(Kind::from_tag(reader.u8()?)),
        12 => Arg::Cut(if reader.u8()? == 1 {
            Cut::TooDeep
        } else {
            Cut::TooMany
        }),
        _ => return Err(bytes::malformed()),
    })
}

/// Writes the encoding of values, as the JS layer does; for tests and benchmarks of the
/// readers.
#[derive(Debug, Default)]
pub struct Encoder {
    /// The bytes written so far.
    pub out: Vec<u8>,
}

impl Encoder {
    fn len(&mut self, n: usize) {
        self.out.extend_from_slice(&(n as u32).to_le_bytes());
    }

    /// Writes `undefined`.
    pub fn undefined(&mut self) -> &mut Self {
        self.out.push(0);
        self
    }

    /// Writes `null`.
    pub fn null(&mut self) -> &mut Self {
        self.out.push(1);
        self
    }

    /// Writes a boolean.
    pub fn bool(&mut self, b: bool) -> &mut Self {
        self.out.push(if b { 3 } else { 2 });
        self
    }

    /// Writes a number.
    pub fn number(&mut self, n: f64) -> &mut Self {
        self.out.push(4);
        self.out.extend_from_slice(&n.to_le_bytes());
        self
    }

    /// Writes a string.
    pub fn string(&mut self, s: &str) -> &mut Self {
        self.out.push(5);
        self.len(s.len());
        self.out.extend_from_slice(s.as_bytes());
        self
    }

    /// Writes body bytes.
    pub fn bytes(&mut self, b: &[u8], truncated: bool) -> &mut Self {
        self.out.push(if truncated { 8 } else { 7 });
        self.len(b.len());
        self.out.extend_from_slice(b);
        self
    }

    /// Starts an array of `n` items (write them next).
    pub fn array(&mut self, n: usize) -> &mut Self {
        self.out.push(9);
        self.len(n);
        self
    }

    /// Starts an object of `n` entries (write each with [`Encoder::key`] then its value).
    pub fn object(&mut self, n: usize) -> &mut Self {
        self.out.push(10);
        self.len(n);
        self
    }

    /// Writes an object key.
    pub fn key(&mut self, k: &str) -> &mut Self {
        self.len(k.len());
        self.out.extend_from_slice(k.as_bytes());
        self
    }

    /// Writes a value that is neither a primitive, an array nor an object.
    pub fn other(&mut self, kind: Kind) -> &mut Self {
        self.out.push(11);
        self.out.push(match kind {
            Kind::Function => 1,
            Kind::Symbol => 2,
            Kind::Date => 3,
            Kind::Set => 4,
            Kind::Blob => 5,
            Kind::Promise => 6,
            Kind::RegExp => 7,
            Kind::Error => 8,
            Kind::DetachedBuffer => 9,
            Kind::Bytes => 10,
        });
        self
    }

    /// Writes where the encoder stopped.
    pub fn cut(&mut self, cut: Cut) -> &mut Self {
        self.out.push(12);
        self.out.push(if cut == Cut::TooDeep { 1 } else { 2 });
        self
    }
}

/// A `serde_json` value as the JS layer would encode it (tests write options with `json!`).
#[cfg(test)]
pub(crate) fn from_json(v: &serde_json::Value) -> Arg<'_> {
    match v {
        serde_json::Value::Null => Arg::Null,
        serde_json::Value::Bool(b) => Arg::Bool(*b),
        serde_json::Value::Number(n) => Arg::Number(n.as_f64().unwrap_or(f64::NAN)),
        serde_json::Value::String(s) => Arg::String(s),
        serde_json::Value::Array(items) => Arg::Array(items.iter().map(from_json).collect()),
        serde_json::Value::Object(map) => Arg::Object(
            map.iter()
                .map(|(k, v)| (k.as_str(), from_json(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_decode_as_encoded() {
        let mut e = Encoder::default();
        e.object(4)
            .key("status")
            .number(503.0)
            .key("vendor")
            .string("veeam");
        e.key("headers")
            .array(2)
            .array(2)
            .string("a")
            .string("b")
            .cut(Cut::TooMany);
        e.key("body").bytes(b"{}", true);
        e.null();
        let (arg, rest) = decode(&e.out).unwrap();
        assert_eq!(rest, &[1]);
        assert_eq!(arg.get("status"), &Arg::Number(503.0));
        assert_eq!(arg.get("vendor"), &Arg::String("veeam"));
        assert_eq!(arg.get("missing"), &Arg::Undefined);
        assert_eq!(
            arg.get("body"),
            &Arg::Bytes {
                bytes: b"{}",
                truncated: true
            }
        );
        assert_eq!(arg.cut(), Some(Cut::TooMany));
    }

    #[test]
    fn malformed_input_is_an_error_not_a_panic() {
        for bad in [
            &[][..],
            &[5, 9, 0, 0, 0],
            &[9, 255, 255, 255, 255],
            &[77],
            &[5, 1, 0, 0, 0, 0xff],
        ] {
            assert!(
                matches!(decode(bad), Err(Error::Internal { .. })),
                "{bad:?}"
            );
        }
        let mut deep = alloc::vec![9u8, 1, 0, 0, 0].repeat(100);
        deep.push(0);
        assert!(decode(&deep).is_err());
    }

    #[test]
    fn descriptions_name_the_value() {
        assert_eq!(Arg::Number(f64::NAN).describe(), "NaN");
        assert_eq!(Arg::Number(3.5).describe(), "3.5");
        assert_eq!(Arg::String("a\"b").describe(), "\"a\\\"b\"");
        assert_eq!(Arg::Other(Kind::Date).describe(), "a Date");
        assert_eq!(Arg::Array(Vec::new()).type_name(), "an array");
    }
}
