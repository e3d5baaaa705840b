//! A small JSON reader for response bodies and option objects: a strict RFC 8259 parser into
//! a [`Value`] tree that the vendor parsers walk.
//!
//! It replaces `serde_json::Value` on the read side, for the size of the wasm: serde_json's
//! deserializer, its `Value` visitor, `BTreeMap` and the `f64` parsing and formatting its
//! error messages need came to ~50 KB of the module, 21 KB gzip (docs/performance.md).
//! Strings without escapes and numbers borrow from the text they were parsed from, so a
//! large body is not copied into the tree (peak memory for a 10 MB body: 62 → 25 MB).
//!
//! What it keeps of serde_json's behaviour, checked against it by a differential property
//! test: the same texts are accepted (numbers out of `f64` range and nesting deeper than 127
//! containers are refused, as serde_json refuses them), the same values come out, and the
//! last of duplicate keys wins. What differs: an object keeps its keys in their order (serde_json
//! sorts them), and a number keeps its text, so `1.0` prints as `1.0` and a 30-digit code
//! as its 30 digits.

use alloc::borrow::Cow;
use core::fmt;

mod parse;
pub mod pointer;
use crate::prelude::*;
pub use parse::parse;
use parse::Parser;

/// How many containers may nest, as serde_json allows (its recursion limit, 128, counts the
/// container it refuses).
pub const MAX_DEPTH: usize = 127;

/// A parsed JSON value.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value<'a> {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, kept as its text.
    Number(Number<'a>),
    /// A string, escapes decoded (borrowed from the text when it has none).
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Value<'a>>),
    /// An object.
    Object(Map<'a>),
}

/// A JSON number as the text it was written with (always valid JSON number syntax, or a
/// number as JS printed it for values read from JS).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number<'a> {
    text: Cow<'a, str>,
}

/// A JSON object: its members in order. Lookups find the last member of a name, as
/// serde_json's map keeps the last of duplicate keys.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Map<'a> {
    members: Vec<(Cow<'a, str>, Value<'a>)>,
}

static NULL: Value<'static> = Value::Null;

impl<'a> Value<'a> {
    /// The member `key` of an object; `None` for a missing key or a non-object.
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        self.as_object()?.get(key)
    }

    /// The string, when this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The elements, when this is an array.
    pub fn as_array(&self) -> Option<&Vec<Value<'a>>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The members, when this is an object.
    pub fn as_object(&self) -> Option<&Map<'a>> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The boolean, when this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number as an `f64`, when this is a number.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    /// The number as a `u64`, when this is a non-negative integer that fits.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Whether this is an object.
    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }

    /// The same value owning all its text, free of the text it was parsed from.
    pub fn into_owned(self) -> Value<'static> {
        match self {
            Value::Null => Value::Null,
            Value::Bool(b) => Value::Bool(b),
            Value::Number(n) => Value::Number(Number {
                text: Cow::Owned(n.text.into_owned()),
            }),
            Value::String(s) => Value::String(Cow::Owned(s.into_owned())),
            Value::Array(a) => Value::Array(a.into_iter().map(Value::into_owned).collect()),
            Value::Object(m) => Value::Object(Map {
                members: m
                    .members
                    .into_iter()
                    .map(|(k, v)| (Cow::Owned(k.into_owned()), v.into_owned()))
                    .collect(),
            }),
        }
    }

    /// Whether this is an array.
    pub fn is_array(&self) -> bool {
        matches!(self, Value::Array(_))
    }

    /// Whether this is a string.
    pub fn is_string(&self) -> bool {
        matches!(self, Value::String(_))
    }
}

/// The value as compact JSON text (for error messages).
impl fmt::Display for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => f.write_str(if *b { "true" } else { "false" }),
            Value::Number(n) => f.write_str(&n.text),
            Value::String(s) => write_string(f, s),
            Value::Array(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    item.fmt(f)?;
                }
                f.write_str("]")
            }
            Value::Object(map) => {
                f.write_str("{")?;
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write_string(f, k)?;
                    f.write_str(":")?;
                    v.fmt(f)?;
                }
                f.write_str("}")
            }
        }
    }
}

/// `s` as a JSON string literal.
fn write_string(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_str("\"")?;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let escaped = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            c if (c as u32) < 0x20 => "",
            _ => continue,
        };
        f.write_str(s.get(start..i).unwrap_or_default())?;
        if escaped.is_empty() {
            write!(f, "\\u{:04x}", c as u32)?;
        } else {
            f.write_str(escaped)?;
        }
        start = i + c.len_utf8();
    }
    f.write_str(s.get(start..).unwrap_or_default())?;
    f.write_str("\"")
}

/// `value["key"]`: the member, or `null` when it is missing or `value` is not an object
/// (serde_json's indexing).
impl<'a> core::ops::Index<&str> for Value<'a> {
    type Output = Value<'a>;
    fn index(&self, key: &str) -> &Value<'a> {
        self.get(key).unwrap_or(&NULL)
    }
}

impl From<String> for Value<'_> {
    fn from(s: String) -> Self {
        Value::String(Cow::Owned(s))
    }
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(s: &'a str) -> Self {
        Value::String(Cow::Borrowed(s))
    }
}

impl From<u64> for Value<'_> {
    fn from(n: u64) -> Self {
        Value::Number(Number::from(n))
    }
}

impl From<i64> for Value<'_> {
    fn from(n: i64) -> Self {
        Value::Number(Number::from(n))
    }
}

impl<'a> Number<'a> {
    /// A number from its text, when the text is a JSON number in `f64` range.
    pub fn from_text(text: &'a str) -> Option<Number<'a>> {
        let mut p = Parser::new(text);
        let n = p.number().ok()?;
        (p.at == text.len()).then_some(n)
    }

    /// The number as an `f64`.
    pub fn as_f64(&self) -> Option<f64> {
        crate::text::decimal(&self.text)
    }

    /// The number as a `u64`, when it is written as a non-negative integer that fits.
    pub fn as_u64(&self) -> Option<u64> {
        self.text.parse().ok()
    }
}

impl From<u64> for Number<'_> {
    fn from(n: u64) -> Self {
        Number {
            text: Cow::Owned(n.to_string()),
        }
    }
}

impl From<i64> for Number<'_> {
    fn from(n: i64) -> Self {
        Number {
            text: Cow::Owned(n.to_string()),
        }
    }
}

impl fmt::Display for Number<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl<'a> Map<'a> {
    /// An empty object.
    pub fn new() -> Map<'a> {
        Map::default()
    }

    /// The last member named `key`.
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        self.members
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// Whether a member is named `key`.
    pub fn contains_key(&self, key: &str) -> bool {
        self.members.iter().any(|(k, _)| k == key)
    }

    /// Adds a member, replacing an existing one of the same name.
    pub fn insert(&mut self, key: impl Into<Cow<'a, str>>, value: Value<'a>) {
        let key = key.into();
        match self.members.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v = value,
            None => self.members.push((key, value)),
        }
    }

    /// The members in order (duplicate names included, each as written).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value<'a>)> {
        self.members.iter().map(|(k, v)| (&**k, v))
    }

    /// The member values in order.
    pub fn values(&self) -> impl Iterator<Item = &Value<'a>> {
        self.members.iter().map(|(_, v)| v)
    }

    /// How many members there are (duplicates counted).
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether there are no members.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }
}

impl<'m, 'a> IntoIterator for &'m Map<'a> {
    type Item = (&'m str, &'m Value<'a>);
    type IntoIter = MapIter<'m, 'a>;
    fn into_iter(self) -> MapIter<'m, 'a> {
        MapIter(self.members.iter())
    }
}

/// The members of a [`Map`] in order.
pub struct MapIter<'m, 'a>(core::slice::Iter<'m, (Cow<'a, str>, Value<'a>)>);

impl<'m, 'a> Iterator for MapIter<'m, 'a> {
    type Item = (&'m str, &'m Value<'a>);
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (&**k, v))
    }
}

#[cfg(test)]
mod tests;
