//! A decision's reason, kept as data: the rule that decided ([`Rule`]), the sentence that
//! says why ([`Message`]), and the values the sentence uses ([`Param`]s: statuses, waits,
//! attempts, limits, the method, the code, the reason a later rule overruled). The sentence
//! is made from the message and the params only when it is read ([`Reason::text`]; in
//! JavaScript, `pkg-template/format.js`). The wasm binding sends the rule, the message and
//! the params by index, so no sentence crosses the boundary. The words are the rules' own:
//! `"<rule>: <explanation>"`.

mod messages;
mod names;

pub use messages::Message;
pub use names::{Param, Rule};

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

/// A param's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A number.
    Num(u64),
    /// One of the crate's own words (a category, a jitter, a vendor id).
    Word(&'static str),
    /// Words from the response or the caller.
    Text(String),
    /// The reason a later rule overruled or added to.
    Reason(Box<Reason>),
}

/// The reason of a decision: the rule, the message, and its params.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    rule: Rule,
    message: Option<Message>,
    params: Vec<(Param, Value)>,
    /// The text of a reason read back from its text (serde), which has no message.
    verbatim: Option<String>,
}

impl Default for Reason {
    fn default() -> Reason {
        Reason::of(Message::Ok).status(200)
    }
}

impl Reason {
    /// A reason giving `message` (a refusal, which has no rule of its own, gets its rule
    /// from the reason it adds to: [`Reason::adds_to`]).
    pub fn of(message: Message) -> Reason {
        Reason {
            rule: message.rule().unwrap_or(Rule::NotRetryable),
            message: Some(message),
            params: Vec::with_capacity(8),
            verbatim: None,
        }
    }

    fn param(mut self, name: Param, value: Value) -> Reason {
        if !self.params.iter().any(|(p, _)| *p == name) {
            self.params.push((name, value));
        }
        self
    }

    /// Records one of the crate's own words (a category, a jitter) as param `name`.
    pub fn w(self, name: Param, word: &'static str) -> Reason {
        self.param(name, Value::Word(word))
    }

    /// Records a number as param `name`.
    pub fn n(self, name: Param, n: impl Into<u64>) -> Reason {
        self.param(name, Value::Num(n.into()))
    }

    /// Records words that are not fixed as param `name`.
    pub fn t(self, name: Param, text: impl Into<String>) -> Reason {
        self.param(name, Value::Text(text.into()))
    }

    /// Records a status (0: no response) as param `status`.
    pub fn status(self, status: u16) -> Reason {
        self.n(Param::Status, status)
    }

    /// Records `other`, the reason this one overrules, as params `overruled` (its rule) and
    /// `policyReason` (its sentence).
    pub fn overrules(self, other: Reason) -> Reason {
        self.param(Param::Overruled, Value::Word(other.rule.name()))
            .param(Param::PolicyReason, Value::Reason(Box::new(other)))
    }

    /// Records `other`, the reason this refusal adds to, as param `policyReason`; the rule is
    /// `other`'s.
    pub fn adds_to(mut self, other: Reason) -> Reason {
        self.rule = other.rule;
        self.param(Param::PolicyReason, Value::Reason(Box::new(other)))
    }

    /// Records `refusal`, the reason that refused the caller's retry, as params `overruled`
    /// (its rule) and `refusal` (its sentence).
    pub fn refused_by(self, refusal: Reason) -> Reason {
        self.param(Param::Overruled, Value::Word(refusal.rule.name()))
            .param(Param::Refusal, Value::Reason(Box::new(refusal)))
    }

    /// The rule that decided.
    pub fn rule(&self) -> Rule {
        self.rule
    }

    /// The message (`None` for a reason read back from its text).
    pub fn message(&self) -> Option<Message> {
        self.message
    }

    /// The text of a reason read back from its text (which has no message).
    pub fn verbatim(&self) -> Option<&str> {
        self.verbatim.as_deref()
    }

    /// The params, in the order they were recorded.
    pub fn params(&self) -> &[(Param, Value)] {
        &self.params
    }

    /// The value of param `name`.
    pub fn get(&self, name: Param) -> Option<&Value> {
        self.params.iter().find(|(p, _)| *p == name).map(|(_, v)| v)
    }

    /// The rule's tag: the reason's text before the first colon.
    pub fn tag(&self) -> &'static str {
        self.rule.name()
    }

    /// The sentence: the message's English text with the params' values.
    pub fn text(&self) -> String {
        let mut out = String::new();
        match (&self.verbatim, self.message) {
            (Some(text), _) => out.push_str(text),
            (None, Some(m)) => render(m.en(), self, &mut out),
            (None, None) => {}
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

/// Writes `template` (the part of ICU MessageFormat the messages use: `{param}` and
/// `{param, select, key {…} other {…}}`) with the values of `reason`'s params. A param the
/// reason lacks reads as empty, and selects `other`.
fn render(template: &str, reason: &Reason, out: &mut String) {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let end = closing(after);
        let inner = &after[..end];
        rest = after.get(end + 1..).unwrap_or_default();
        let (name, options) = match inner.split_once(',') {
            Some((name, options)) => (name.trim(), Some(options)),
            None => (inner.trim(), None),
        };
        let value = Param::ALL
            .into_iter()
            .find(|p| p.name() == name)
            .and_then(|p| reason.get(p));
        match options {
            None => push_value(value, out),
            Some(options) => {
                let key = match value {
                    Some(Value::Num(n)) => {
                        let mut k = String::new();
                        crate::write::push_u128(&mut k, u128::from(*n));
                        k
                    }
                    Some(Value::Word(w)) => String::from(*w),
                    Some(Value::Text(t)) => t.clone(),
                    Some(Value::Reason(r)) => r.text(),
                    None => String::new(),
                };
                render(select(options, &key), reason, out);
            }
        }
    }
    out.push_str(rest);
}

/// A param's value as its sentence shows it.
fn push_value(value: Option<&Value>, out: &mut String) {
    match value {
        Some(Value::Num(n)) => crate::write::push_u128(out, u128::from(*n)),
        Some(Value::Word(w)) => out.push_str(w),
        Some(Value::Text(t)) => out.push_str(t),
        Some(Value::Reason(r)) => out.push_str(&r.text()),
        None => {}
    }
}

/// The position of the `}` that closes a `{` just before `s`.
fn closing(s: &str) -> usize {
    let mut depth = 0usize;
    for (i, b) in s.bytes().enumerate() {
        match b {
            b'{' => depth += 1,
            b'}' if depth == 0 => return i,
            b'}' => depth -= 1,
            _ => {}
        }
    }
    s.len()
}

/// The branch of a select's options (` select, key {…} other {…}`) for `key`.
fn select<'a>(options: &'a str, key: &str) -> &'a str {
    let Some((_, mut rest)) = options.split_once(',') else {
        return "";
    };
    let mut other = "";
    while let Some(open) = rest.find('{') {
        let k = rest[..open].trim();
        let after = &rest[open + 1..];
        let end = closing(after);
        let branch = &after[..end];
        if k == key {
            return branch;
        }
        if k == "other" {
            other = branch;
        }
        rest = after.get(end + 1..).unwrap_or_default();
    }
    other
}

impl core::fmt::Display for Reason {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.text())
    }
}

impl From<&str> for Reason {
    /// A reason read back from its text (serde, tests): its rule from its tag, no message.
    fn from(text: &str) -> Reason {
        let tag = text.split(':').next().unwrap_or_default();
        Reason {
            rule: Rule::from_tag(tag).unwrap_or(Rule::NotRetryable),
            message: None,
            params: Vec::new(),
            verbatim: Some(text.into()),
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
    fn the_sentence_is_made_from_the_message_and_the_params() {
        let r = Reason::of(Message::Backoff5xxWarning)
            .status(503)
            .n(Param::DelayMs, 783u64)
            .w(Param::Source, "backoff")
            .w(Param::Jitter, "equal")
            .n(Param::NextAttempt, 2u32)
            .n(Param::MaxAttempts, 4u32)
            .t(Param::Method, "POST");
        assert_eq!(
            r.text(),
            "5xx-backoff: HTTP 503 is a server failure; retrying after 783 ms (exponential \
             backoff, equal jitter), attempt 2 of 4. Warning: POST is not idempotent and the \
             first attempt may have been processed; the retry may run it twice (nonIdempotent \
             is \"retry\")."
        );
        assert_eq!(r.tag(), "5xx-backoff");
        // A vendor preset's delays say what the vendor documents, as its `source` does.
        for p in crate::retry::VENDOR_PRESETS {
            let r = Reason::of(Message::Backoff5xx)
                .w(Param::Source, p.vendor.id())
                .w(Param::Jitter, p.jitter.name());
            assert!(r.text().contains(p.source), "{}", p.source);
        }
        assert_eq!(r.rule(), Rule::Backoff5xx);
        assert_eq!(r.get(Param::DelayMs), Some(&Value::Num(783)));
        assert_eq!(r.get(Param::Method), Some(&Value::Text("POST".into())));
        let none = Reason::of(Message::Deadline)
            .n(Param::DelayMs, 5u32)
            .n(Param::ElapsedMs, 6u32)
            .n(Param::DeadlineMs, 7u32)
            .status(0);
        assert_eq!(
            none.text(),
            "deadline: waiting 5 ms after 6 ms would pass the 7 ms deadline (deadlineMs); no \
             response is not retried."
        );
        assert!(r.contains("783 ms") && r.starts_with("5xx"));
    }

    #[test]
    fn a_refusal_states_the_rule_of_the_reason_it_adds_to() {
        let policy = Reason::of(Message::Never409);
        let refused = Reason::of(Message::RefusedNeverSentAgain)
            .status(409)
            .adds_to(policy.clone());
        assert_eq!(refused.rule(), Rule::Never409);
        assert_eq!(
            refused.text(),
            alloc::format!(
                "{} shouldRetry returned true, but a 409 is never sent again.",
                policy.text()
            )
        );
        let ok = Reason::of(Message::RefusedNeverSentAgain)
            .status(204)
            .adds_to(Reason::of(Message::Ok).status(204));
        assert!(ok.text().ends_with("but a 2xx is never sent again."));
        let veto = Reason::of(Message::CallerVeto).overrules(refused);
        assert_eq!(veto.rule(), Rule::CallerVeto);
        assert_eq!(veto.get(Param::Overruled), Some(&Value::Word("409-never")));
        assert!(veto.text().ends_with("is never sent again.)"));
    }

    #[test]
    fn every_rule_and_param_has_its_index_and_name() {
        let mut names: Vec<_> = Rule::ALL.iter().map(|r| r.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Rule::ALL.len());
        for (i, r) in Rule::ALL.iter().enumerate() {
            assert_eq!(r.index() as usize, i);
            assert_eq!(Rule::from_tag(r.name()), Some(*r));
            assert!(
                Message::ALL.iter().any(|m| m.rule() == Some(*r)),
                "no message states {}",
                r.name()
            );
        }
        assert_eq!(Rule::from_tag("5xx"), None);
        for (i, p) in Param::ALL.iter().enumerate() {
            assert_eq!(p.index() as usize, i);
        }
        // Every placeholder of every message is a param.
        for m in Message::ALL {
            let mut rest = m.en();
            while let Some(open) = rest.find('{') {
                rest = &rest[open + 1..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                // A placeholder (`{name}`, `{name, select, …}`), not a select's branch text.
                let placeholder = matches!(rest[name.len()..].chars().next(), Some('}' | ','))
                    && !name.starts_with(|c: char| c.is_ascii_digit());
                if placeholder {
                    assert!(
                        Param::ALL.iter().any(|p| p.name() == name),
                        "{}: {name}",
                        m.id()
                    );
                }
            }
        }
    }
}
