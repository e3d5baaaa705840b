//! A small JSON reader for response bodies and option objects: a strict RFC 8259 parser into
//! a [`Value`] tree that the vendor parsers walk.
//!
//! It replaces `serde_json::Value` on the read side, for the size of the wasm: serde_json's
//! deserializer, its `Value` visitor, `BTreeMap` and the `f64` parsing and formatting its
//! error messages need came to ~60 KB of the module (README, "Performance"). What it keeps
//! of serde_json's behaviour, checked against it by a differential property test: the same
//! texts are accepted (numbers out of `f64` range and nesting deeper than 127 containers are
//! refused, as serde_json refuses them), the same values come out, and the last of
//! duplicate keys wins. What differs: an object keeps its keys in their order (serde_json
//! sorts them), and a number keeps its text, so `1.0` prints as `1.0` and a 30-digit code
//! as its 30 digits.

use std::borrow::Cow;
use std::fmt;

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
impl<'a> std::ops::Index<&str> for Value<'a> {
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

impl From<bool> for Value<'_> {
    fn from(b: bool) -> Self {
        Value::Bool(b)
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

    /// The number as an `i64`, when it is written as an integer that fits.
    pub fn as_i64(&self) -> Option<i64> {
        self.text.parse().ok()
    }

    /// The text the number was written with.
    pub fn as_text(&self) -> &str {
        &self.text
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
pub struct MapIter<'m, 'a>(std::slice::Iter<'m, (Cow<'a, str>, Value<'a>)>);

impl<'m, 'a> Iterator for MapIter<'m, 'a> {
    type Item = (&'m str, &'m Value<'a>);
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (&**k, v))
    }
}

/// Parses `text` as one JSON value with nothing but whitespace around it; `None` when it is
/// not valid JSON, nests deeper than [`MAX_DEPTH`] or holds a number out of `f64` range.
pub fn parse(text: &str) -> Option<Value<'_>> {
    let mut p = Parser::new(text);
    p.skip_space();
    let value = p.value(0).ok()?;
    p.skip_space();
    (p.at == text.len()).then_some(value)
}

/// The length of the run of `bytes` before the first `"`, `\\` or control character;
/// `None` when there is none. Eight bytes at a time (the classic "has a zero byte / a byte
/// less than n" tests on a `u64`), then byte by byte from the chunk that has one.
fn plain_run(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = ONES * 0x80;
    let mut i = 0;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let quote = x ^ (ONES * u64::from(b'"'));
        let backslash = x ^ (ONES * u64::from(b'\\'));
        let found = (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (x.wrapping_sub(ONES * 0x20) & !x);
        if found & HIGH != 0 {
            break;
        }
        i += 8;
    }
    let rest = bytes.get(i..)?;
    rest.iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .map(|p| i + p)
}

/// Parse failure: the details do not matter, a body that is not JSON is normal input.
struct Invalid;

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Parser<'a> {
        Parser {
            text,
            bytes: text.as_bytes(),
            at: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    fn expect(&mut self, literal: &[u8]) -> Result<(), Invalid> {
        match self.bytes.get(self.at..self.at + literal.len()) {
            Some(s) if s == literal => {
                self.at += literal.len();
                Ok(())
            }
            _ => Err(Invalid),
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value<'a>, Invalid> {
        match self.peek().ok_or(Invalid)? {
            b'{' => self.object(depth + 1),
            b'[' => self.array(depth + 1),
            b'"' => self.string().map(Value::String),
            b't' => self.expect(b"true").map(|()| Value::Bool(true)),
            b'f' => self.expect(b"false").map(|()| Value::Bool(false)),
            b'n' => self.expect(b"null").map(|()| Value::Null),
            _ => self.number().map(Value::Number),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value<'a>, Invalid> {
        if depth > MAX_DEPTH {
            return Err(Invalid);
        }
        self.at += 1; // [
        let mut items = Vec::new();
        self.skip_space();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_space();
            items.push(self.value(depth)?);
            self.skip_space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(Invalid),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value<'a>, Invalid> {
        if depth > MAX_DEPTH {
            return Err(Invalid);
        }
        self.at += 1; // {
        let mut members = Vec::new();
        self.skip_space();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Value::Object(Map { members }));
        }
        loop {
            self.skip_space();
            if self.peek() != Some(b'"') {
                return Err(Invalid);
            }
            let key = self.string()?;
            self.skip_space();
            self.expect(b":")?;
            self.skip_space();
            let value = self.value(depth)?;
            members.push((key, value));
            self.skip_space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Value::Object(Map { members }));
                }
                _ => return Err(Invalid),
            }
        }
    }

    /// A string starting at the opening quote: borrowed from the text when it has no
    /// escapes, decoded into an owned string otherwise.
    fn string(&mut self) -> Result<Cow<'a, str>, Invalid> {
        self.at += 1; // "
        let mut out = String::new();
        loop {
            let start = self.at;
            // The run up to the next quote, backslash or control character is copied as
            // it is: all three are ASCII, so the run ends on a char boundary.
            let run = self.bytes.get(start..).unwrap_or_default();
            let len = plain_run(run).ok_or(Invalid)?;
            let plain = self.text.get(start..start + len).ok_or(Invalid)?;
            self.at = start + len;
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    if out.is_empty() {
                        return Ok(Cow::Borrowed(plain));
                    }
                    out.push_str(plain);
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    out.push_str(plain);
                    self.at += 1;
                    self.escape(&mut out)?;
                }
                _ => return Err(Invalid), // a raw control character
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), Invalid> {
        let c = self.peek().ok_or(Invalid)?;
        self.at += 1;
        out.push(match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex4()?;
                let code = match first {
                    0xD800..=0xDBFF => {
                        self.expect(b"\\u")?;
                        let second = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&second) {
                            return Err(Invalid);
                        }
                        0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                    }
                    0xDC00..=0xDFFF => return Err(Invalid),
                    _ => first,
                };
                char::from_u32(code).ok_or(Invalid)?
            }
            _ => return Err(Invalid),
        });
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, Invalid> {
        let digits = self.bytes.get(self.at..self.at + 4).ok_or(Invalid)?;
        let mut n = 0;
        for &d in digits {
            n = n * 16 + char::from(d).to_digit(16).ok_or(Invalid)?;
        }
        self.at += 4;
        Ok(n)
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, in `f64` range.
    fn number(&mut self) -> Result<Number<'a>, Invalid> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(Invalid),
        }
        let mut plain = true;
        if self.peek() == Some(b'.') {
            self.at += 1;
            self.required_digits()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            plain = false;
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            self.required_digits()?;
        }
        let text = self.text.get(start..self.at).ok_or(Invalid)?;
        // Without an exponent, fewer than 300 digits cannot leave f64's range.
        if (!plain || text.len() > 300) && crate::text::decimal(text).is_none() {
            return Err(Invalid);
        }
        Ok(Number {
            text: Cow::Borrowed(text),
        })
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
    }

    fn required_digits(&mut self) -> Result<(), Invalid> {
        let start = self.at;
        self.digits();
        if self.at == start {
            return Err(Invalid);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
