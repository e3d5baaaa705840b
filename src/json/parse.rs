//! The parser: text to [`Value`], strict RFC 8259, borrowing what needs no unescaping.

use super::{Map, Number, Value, MAX_DEPTH};
use crate::prelude::*;
use alloc::borrow::Cow;

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
pub(super) struct Invalid;

pub(super) struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pub(super) at: usize,
}

impl<'a> Parser<'a> {
    pub(super) fn new(text: &'a str) -> Parser<'a> {
        Parser {
            text,
            bytes: text.as_bytes(),
            at: 0,
        }
    }

    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    #[inline(always)]
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
    pub(super) fn number(&mut self) -> Result<Number<'a>, Invalid> {
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
