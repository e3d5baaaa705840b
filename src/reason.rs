//! A decision's reason, kept as its pieces: fixed sentences of the rules, numbers, and the
//! few words that come from the response (a method, a code, a summary). The wasm binding
//! sends the pieces, fixed ones by address: JavaScript decodes each fixed sentence once and
//! joins the pieces without any text crossing the boundary; native callers join them with
//! [`Reason::text`]. The words are the rules'
//! own: `"<tag>: <explanation>"`, tags in `crate::retry`.

use alloc::string::String;
use alloc::vec::Vec;

/// One piece of a reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// A fixed piece of a rule's sentence.
    Fixed(&'static str),
    /// A number (milliseconds, attempts, tokens, a status).
    Num(u64),
    /// Words from the response or the caller (a method, a code, a summary).
    Text(String),
}

/// The reason of a decision: the rule's tag and explanation, as [`Part`]s.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reason {
    parts: Vec<Part>,
}

impl Reason {
    /// A reason starting with `fixed` (which starts with the rule's tag and a colon).
    pub fn new(fixed: &'static str) -> Reason {
        let mut parts = Vec::with_capacity(8);
        parts.push(Part::Fixed(fixed));
        Reason { parts }
    }

    /// Appends a fixed piece.
    pub fn s(mut self, fixed: &'static str) -> Reason {
        self.parts.push(Part::Fixed(fixed));
        self
    }

    /// Appends a number.
    pub fn n(mut self, n: impl Into<u64>) -> Reason {
        self.parts.push(Part::Num(n.into()));
        self
    }

    /// Appends words that are not fixed.
    pub fn t(mut self, text: impl Into<String>) -> Reason {
        self.parts.push(Part::Text(text.into()));
        self
    }

    /// Appends a status as the rules name it: `HTTP 503`, or `no response` for 0.
    pub fn status(self, status: u16) -> Reason {
        match status {
            0 => self.s("no response"),
            s => self.s("HTTP ").n(s),
        }
    }

    /// Appends every piece of `other`.
    pub fn then(mut self, other: Reason) -> Reason {
        self.parts.extend(other.parts);
        self
    }

    /// The pieces.
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// The rule's tag: the reason's text before the first colon.
    pub fn tag(&self) -> &'static str {
        match self.parts.first() {
            Some(Part::Fixed(s)) => s.split(':').next().unwrap_or_default(),
            _ => "",
        }
    }

    /// The sentence.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Fixed(s) => out.push_str(s),
                Part::Num(n) => crate::write::push_u128(&mut out, u128::from(*n)),
                Part::Text(t) => out.push_str(t),
            }
        }
        out
    }

    /// Whether the sentence contains `pattern`.
    pub fn contains(&self, pattern: &str) -> bool {
        self.text().contains(pattern)
    }

    /// Whether the sentence starts with `pattern`.
    pub fn starts_with(&self, pattern: &str) -> bool {
        self.text().starts_with(pattern)
    }
}

impl core::fmt::Display for Reason {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.text())
    }
}

impl From<&str> for Reason {
    /// A reason read back from its text (serde, tests): one piece.
    fn from(text: &str) -> Reason {
        Reason {
            parts: alloc::vec![Part::Text(text.into())],
        }
    }
}

impl serde::Serialize for Reason {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text())
    }
}

impl<'de> serde::Deserialize<'de> for Reason {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Reason, D::Error> {
        let text = <String as serde::Deserialize>::deserialize(deserializer)?;
        Ok(Reason::from(text.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_join_into_the_sentence() {
        let r = Reason::new("5xx-backoff: ")
            .status(503)
            .s(" is a server failure; retrying after ")
            .n(783u64)
            .s(" ms, method ")
            .t("POST");
        assert_eq!(
            r.text(),
            "5xx-backoff: HTTP 503 is a server failure; retrying after 783 ms, method POST"
        );
        assert_eq!(r.tag(), "5xx-backoff");
        assert_eq!(Reason::new("x: ").status(0).text(), "x: no response");
        assert!(r.contains("783 ms") && r.starts_with("5xx"));
    }
}
