//! JSON pointers (RFC 6901), as registered vendors name where their code, message and ids
//! sit in a body (`"/errorType"`, `"/error/details/0/code"`): parsed once, when a definition
//! is registered, into unescaped reference tokens; resolved against each body's [`Value`].

use super::Value;
use alloc::borrow::Cow;
use alloc::vec::Vec;

/// Parses a pointer into its reference tokens, `~1` and `~0` unescaped (to `/` and `~`).
/// `""` is the whole document (no tokens). `None` when `text` is not a pointer: it does not
/// start with `/`, or a `~` is not followed by `0` or `1`.
pub fn parse(text: &str) -> Option<Vec<Cow<'_, str>>> {
    if text.is_empty() {
        return Some(Vec::new());
    }
    let mut tokens = Vec::new();
    for token in text.strip_prefix('/')?.split('/') {
        tokens.push(unescape(token)?);
    }
    Some(tokens)
}

/// One reference token with `~1` → `/` and `~0` → `~` (in that order of reading: `~01` is
/// `~1`, not `/`).
fn unescape(token: &str) -> Option<Cow<'_, str>> {
    if !token.contains('~') {
        return Some(Cow::Borrowed(token));
    }
    let mut out = alloc::string::String::with_capacity(token.len());
    let mut chars = token.chars();
    while let Some(c) = chars.next() {
        if c != '~' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('0') => out.push('~'),
            Some('1') => out.push('/'),
            _ => return None,
        }
    }
    Some(Cow::Owned(out))
}

/// The value `tokens` point to in `value`, if there is one. An array is indexed by a token of
/// digits without a leading zero (`0`, `12`); `-` (past the end) and anything else find
/// nothing.
pub fn resolve<'v, 'a, S: AsRef<str>>(value: &'v Value<'a>, tokens: &[S]) -> Option<&'v Value<'a>> {
    let mut at = value;
    for token in tokens {
        let token = token.as_ref();
        at = match at {
            Value::Object(map) => map.get(token)?,
            Value::Array(items) => items.get(index(token)?)?,
            _ => return None,
        };
    }
    Some(at)
}

/// An array index token: `0`, or digits not starting with `0`.
fn index(token: &str) -> Option<usize> {
    let b = token.as_bytes();
    if b.is_empty() || (b.len() > 1 && b[0] == b'0') {
        return None;
    }
    let mut n: usize = 0;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(usize::from(c - b'0'))?;
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use alloc::string::ToString;

    fn at<'v>(doc: &'v Value<'static>, pointer: &str) -> Option<&'v Value<'static>> {
        resolve(doc, &parse(pointer).unwrap())
    }

    /// The examples of RFC 6901 §5.
    #[test]
    fn the_rfc_examples() {
        let doc = json!({
            "foo": ["bar", "baz"], "": 0, "a/b": 1, "c%d": 2, "e^f": 3, "g|h": 4,
            "i\\j": 5, "k\"l": 6, " ": 7, "m~n": 8
        });
        assert_eq!(at(&doc, ""), Some(&doc));
        assert_eq!(at(&doc, "/foo").unwrap().as_array().unwrap().len(), 2);
        assert_eq!(at(&doc, "/foo/0").unwrap().as_str(), Some("bar"));
        for (pointer, n) in [
            ("/", 0),
            ("/a~1b", 1),
            ("/c%d", 2),
            ("/e^f", 3),
            ("/g|h", 4),
            ("/i\\j", 5),
            ("/k\"l", 6),
            ("/ ", 7),
            ("/m~0n", 8),
        ] {
            assert_eq!(at(&doc, pointer).unwrap().as_u64(), Some(n), "{pointer}");
        }
    }

    #[test]
    fn tokens_unescape_in_order() {
        let tokens: Vec<_> = parse("/a~01/~1~0")
            .unwrap()
            .into_iter()
            .map(|t| t.to_string())
            .collect();
        assert_eq!(tokens, ["a~1", "/~"]);
    }

    #[test]
    fn what_is_not_a_pointer() {
        for bad in ["errorType", "#/a", "/a~", "/a~2", "/~x"] {
            assert!(parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn what_points_nowhere() {
        let doc = json!({"list": [{"code": 7}], "n": 1});
        assert_eq!(at(&doc, "/list/0/code").unwrap().as_u64(), Some(7));
        for nowhere in [
            "/list/1/code",
            "/list/-",
            "/list/00",
            "/list/+0",
            "/n/x",
            "/missing",
            "/list/x",
        ] {
            assert!(at(&doc, nowhere).is_none(), "{nowhere}");
        }
    }
}
