//! A decision's reason, kept as data: the rule that decided ([`Rule`]), the values its
//! sentence uses ([`Param`]s: statuses, waits, attempts, limits, the method, the code), and
//! the sentence's pieces: fixed sentences of the rules, numbers, and the few words that come
//! from the response. The wasm binding sends the rule and the params by index and the
//! pieces with fixed ones by address: JavaScript decodes each fixed sentence once and joins
//! the pieces without any text crossing the boundary; native callers join them with
//! [`Reason::text`]. The words are the rules' own: `"<rule>: <explanation>"`.

use alloc::string::String;
use alloc::vec::Vec;

/// The rule that decided: the tag a reason starts with (docs/design.md, "Retry rules").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// A 2xx: nothing to retry.
    Ok,
    /// A 409 is never retried.
    Never409,
    /// The credentials were rejected: the executor re-authenticates once.
    Reauthenticate,
    /// A 5xx the vendor documents as permanent.
    VendorPermanent,
    /// An action that is not a retry.
    NotRetryable,
    /// A busy answer to a non-idempotent request after an ambiguous failure.
    BusyAfterAmbiguous,
    /// A non-idempotent request that may have been processed.
    NonIdempotent,
    /// The attempts are used up.
    MaxAttempts,
    /// The server's wait is above `maxRetryAfterMs`.
    ServerWaitTooLong,
    /// The server's wait, honoured.
    ServerWait,
    /// The busy schedule: a job is running on the resource.
    BusySchedule,
    /// Exponential backoff after a 5xx.
    Backoff5xx,
    /// Backoff after another transient failure.
    Backoff,
    /// The deadline would pass, or passed.
    Deadline,
    /// The retry budget is spent.
    Budget,
    /// The caller's `shouldRetry` vetoed a retry.
    CallerVeto,
    /// The caller's `shouldRetry` asked for a retry the policy refused.
    CallerRetry,
    /// The request body cannot be sent again.
    StreamBody,
    /// The ky plug-in: ky ends this response itself, without asking for a retry.
    ClientFinal,
}

impl Rule {
    /// Every rule, in the order of the docs.
    pub const ALL: [Rule; 19] = [
        Rule::Ok,
        Rule::Never409,
        Rule::Reauthenticate,
        Rule::VendorPermanent,
        Rule::NotRetryable,
        Rule::BusyAfterAmbiguous,
        Rule::NonIdempotent,
        Rule::MaxAttempts,
        Rule::ServerWaitTooLong,
        Rule::ServerWait,
        Rule::BusySchedule,
        Rule::Backoff5xx,
        Rule::Backoff,
        Rule::Deadline,
        Rule::Budget,
        Rule::CallerVeto,
        Rule::CallerRetry,
        Rule::StreamBody,
        Rule::ClientFinal,
    ];

    /// The tag: what the reason starts with, and `RetryDecision.rule` in JavaScript.
    pub const fn name(self) -> &'static str {
        match self {
            Rule::Ok => "ok",
            Rule::Never409 => "409-never",
            Rule::Reauthenticate => "reauthenticate",
            Rule::VendorPermanent => "vendor-permanent",
            Rule::NotRetryable => "not-retryable",
            Rule::BusyAfterAmbiguous => "busy-after-ambiguous",
            Rule::NonIdempotent => "non-idempotent",
            Rule::MaxAttempts => "max-attempts",
            Rule::ServerWaitTooLong => "server-wait-too-long",
            Rule::ServerWait => "server-wait",
            Rule::BusySchedule => "busy-schedule",
            Rule::Backoff5xx => "5xx-backoff",
            Rule::Backoff => "backoff",
            Rule::Deadline => "deadline",
            Rule::Budget => "budget",
            Rule::CallerVeto => "caller-veto",
            Rule::CallerRetry => "caller-retry",
            Rule::StreamBody => "stream-body",
            Rule::ClientFinal => "client-final",
        }
    }

    /// The rule whose tag is `tag`.
    pub fn from_tag(tag: &str) -> Option<Rule> {
        Some(match tag {
            "ok" => Rule::Ok,
            "409-never" => Rule::Never409,
            "reauthenticate" => Rule::Reauthenticate,
            "vendor-permanent" => Rule::VendorPermanent,
            "not-retryable" => Rule::NotRetryable,
            "busy-after-ambiguous" => Rule::BusyAfterAmbiguous,
            "non-idempotent" => Rule::NonIdempotent,
            "max-attempts" => Rule::MaxAttempts,
            "server-wait-too-long" => Rule::ServerWaitTooLong,
            "server-wait" => Rule::ServerWait,
            "busy-schedule" => Rule::BusySchedule,
            "5xx-backoff" => Rule::Backoff5xx,
            "backoff" => Rule::Backoff,
            "deadline" => Rule::Deadline,
            "budget" => Rule::Budget,
            "caller-veto" => Rule::CallerVeto,
            "caller-retry" => Rule::CallerRetry,
            "stream-body" => Rule::StreamBody,
            "client-final" => Rule::ClientFinal,
            _ => return None,
        })
    }

    /// Its index in [`Rule::ALL`] (the wire's name index).
    pub fn index(self) -> u32 {
        self as u32
    }
}

/// A value a reason's sentence uses, by name (`RetryDecision.params` in JavaScript).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Param {
    /// The response's HTTP status (0: no response).
    Status,
    /// How many items of a 2xx failed.
    FailedItems,
    /// The vendor id.
    Vendor,
    /// The vendor's error code.
    Code,
    /// The category the decision used.
    Category,
    /// The action the decision used.
    Action,
    /// The classification's summary.
    Summary,
    /// The request's method.
    Method,
    /// The attempt that just ended.
    Attempt,
    /// The attempt a retry would be.
    NextAttempt,
    /// The schedule's attempt limit.
    MaxAttempts,
    /// The schedule: `main`, `busy`, or the vendor preset's name.
    Schedule,
    /// The server's wait, in ms.
    ServerWaitMs,
    /// The policy's `maxRetryAfterMs`.
    MaxRetryAfterMs,
    /// The delay before the next attempt, in ms.
    DelayMs,
    /// Where the backoff comes from (exponential backoff, or a vendor's documented advice).
    Source,
    /// The jitter.
    Jitter,
    /// Time since the call's first attempt, in ms.
    ElapsedMs,
    /// The policy's `deadlineMs`.
    DeadlineMs,
    /// Tokens left in the retry budget.
    TokensLeft,
    /// The budget's capacity.
    Capacity,
    /// What this retry would cost the budget.
    Cost,
    /// The rule a later one overruled (`budget`, `stream-body`, `caller-*`).
    Overruled,
}

impl Param {
    /// Every param.
    pub const ALL: [Param; 23] = [
        Param::Status,
        Param::FailedItems,
        Param::Vendor,
        Param::Code,
        Param::Category,
        Param::Action,
        Param::Summary,
        Param::Method,
        Param::Attempt,
        Param::NextAttempt,
        Param::MaxAttempts,
        Param::Schedule,
        Param::ServerWaitMs,
        Param::MaxRetryAfterMs,
        Param::DelayMs,
        Param::Source,
        Param::Jitter,
        Param::ElapsedMs,
        Param::DeadlineMs,
        Param::TokensLeft,
        Param::Capacity,
        Param::Cost,
        Param::Overruled,
    ];

    /// Its name in JavaScript's `params`.
    pub const fn name(self) -> &'static str {
        match self {
            Param::Status => "status",
            Param::FailedItems => "failedItems",
            Param::Vendor => "vendor",
            Param::Code => "code",
            Param::Category => "category",
            Param::Action => "action",
            Param::Summary => "summary",
            Param::Method => "method",
            Param::Attempt => "attempt",
            Param::NextAttempt => "nextAttempt",
            Param::MaxAttempts => "maxAttempts",
            Param::Schedule => "schedule",
            Param::ServerWaitMs => "serverWaitMs",
            Param::MaxRetryAfterMs => "maxRetryAfterMs",
            Param::DelayMs => "delayMs",
            Param::Source => "source",
            Param::Jitter => "jitter",
            Param::ElapsedMs => "elapsedMs",
            Param::DeadlineMs => "deadlineMs",
            Param::TokensLeft => "tokensLeft",
            Param::Capacity => "capacity",
            Param::Cost => "cost",
            Param::Overruled => "overruled",
        }
    }

    /// Its index in [`Param::ALL`] (the wire's name index).
    pub fn index(self) -> u32 {
        self as u32
    }
}

/// One piece of a reason's sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// A fixed piece of a rule's sentence.
    Fixed(&'static str),
    /// A number (milliseconds, attempts, tokens, a status).
    Num(u64),
    /// Words from the response or the caller (a method, a code, a summary).
    Text(String),
}

/// A param's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A number.
    Num(u64),
    /// One of the crate's own words (a category, a jitter, a vendor id).
    Word(&'static str),
    /// Words from the response or the caller.
    Text(String),
}

/// The reason of a decision: the rule, its params, and its sentence as [`Part`]s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    rule: Rule,
    parts: Vec<Part>,
    params: Vec<(Param, Value)>,
}

impl Default for Reason {
    fn default() -> Reason {
        Reason::new("ok: ")
    }
}

impl Reason {
    /// A reason starting with `fixed`, which starts with the rule's tag and a colon (an
    /// unknown tag is a bug of this crate: the tests read every tag the sources write).
    pub fn new(fixed: &'static str) -> Reason {
        let tag = fixed.split(':').next().unwrap_or_default();
        let mut parts = Vec::with_capacity(16);
        parts.push(Part::Fixed(fixed));
        Reason {
            rule: Rule::from_tag(tag).unwrap_or(Rule::NotRetryable),
            parts,
            params: Vec::with_capacity(8),
        }
    }

    fn param(&mut self, name: Param, value: Value) {
        if !self.params.iter().any(|(p, _)| *p == name) {
            self.params.push((name, value));
        }
    }

    /// Appends a fixed piece.
    pub fn s(mut self, fixed: &'static str) -> Reason {
        self.parts.push(Part::Fixed(fixed));
        self
    }

    /// Appends one of the crate's own words (a category, a jitter), recorded as param `name`.
    pub fn w(mut self, name: Param, word: &'static str) -> Reason {
        self.parts.push(Part::Fixed(word));
        self.param(name, Value::Word(word));
        self
    }

    /// Appends a number, recorded as param `name`.
    pub fn n(mut self, name: Param, n: impl Into<u64>) -> Reason {
        let n = n.into();
        self.parts.push(Part::Num(n));
        self.param(name, Value::Num(n));
        self
    }

    /// Appends words that are not fixed, recorded as param `name`.
    pub fn t(mut self, name: Param, text: impl Into<String>) -> Reason {
        let text = text.into();
        self.param(name, Value::Text(text.clone()));
        self.parts.push(Part::Text(text));
        self
    }

    /// Appends a status as the rules name it: `HTTP 503`, or `no response` for 0 (param
    /// `status` either way).
    pub fn status(mut self, status: u16) -> Reason {
        self.param(Param::Status, Value::Num(u64::from(status)));
        match status {
            0 => self.s("no response"),
            s => {
                self.parts.push(Part::Fixed("HTTP "));
                self.parts.push(Part::Num(u64::from(s)));
                self
            }
        }
    }

    /// Appends every piece of `other`, the reason this one overrules (param `overruled`:
    /// its rule).
    pub fn then(mut self, other: Reason) -> Reason {
        self.param(Param::Overruled, Value::Word(other.rule.name()));
        self.parts.extend(other.parts);
        self
    }

    /// The rule that decided.
    pub fn rule(&self) -> Rule {
        self.rule
    }

    /// The params, in the order the sentence first uses them.
    pub fn params(&self) -> &[(Param, Value)] {
        &self.params
    }

    /// The pieces.
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// The rule's tag: the reason's text before the first colon.
    pub fn tag(&self) -> &'static str {
        self.rule.name()
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
    /// A reason read back from its text (serde, tests): one piece, its rule from its tag.
    fn from(text: &str) -> Reason {
        let tag = text.split(':').next().unwrap_or_default();
        Reason {
            rule: Rule::from_tag(tag).unwrap_or(Rule::NotRetryable),
            parts: alloc::vec![Part::Text(text.into())],
            params: Vec::new(),
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
    fn pieces_join_into_the_sentence_and_params_name_the_values() {
        let r = Reason::new("5xx-backoff: ")
            .status(503)
            .s(" is a server failure; retrying after ")
            .n(Param::DelayMs, 783u64)
            .s(" ms, method ")
            .t(Param::Method, "POST");
        assert_eq!(
            r.text(),
            "5xx-backoff: HTTP 503 is a server failure; retrying after 783 ms, method POST"
        );
        assert_eq!(r.tag(), "5xx-backoff");
        assert_eq!(r.rule(), Rule::Backoff5xx);
        assert_eq!(
            r.params(),
            [
                (Param::Status, Value::Num(503)),
                (Param::DelayMs, Value::Num(783)),
                (Param::Method, Value::Text("POST".into())),
            ]
        );
        assert_eq!(Reason::new("x: ").status(0).text(), "x: no response");
        assert!(r.contains("783 ms") && r.starts_with("5xx"));
    }

    #[test]
    fn every_tag_the_sources_write_is_a_rule() {
        let sources = [
            include_str!("retry/decide.rs"),
            include_str!("budget.rs"),
            include_str!("call/mod.rs"),
        ];
        let mut seen = 0;
        for source in sources {
            for (at, _) in source.match_indices("Reason::new(") {
                let rest = &source[at..];
                let Some(quote) = rest.find('"') else {
                    continue;
                };
                let tag: String = rest[quote + 1..]
                    .chars()
                    .take_while(|c| *c != ':')
                    .collect();
                assert!(Rule::from_tag(&tag).is_some(), "{tag} is not in Rule::ALL");
                seen += 1;
            }
        }
        assert!(seen >= 20, "{seen}");
        let mut names: Vec<_> = Rule::ALL.iter().map(|r| r.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Rule::ALL.len());
        for (i, r) in Rule::ALL.iter().enumerate() {
            assert_eq!(r.index() as usize, i);
            assert_eq!(Rule::from_tag(r.name()), Some(*r));
        }
        assert_eq!(Rule::from_tag("5xx"), None);
        for (i, p) in Param::ALL.iter().enumerate() {
            assert_eq!(p.index() as usize, i);
        }
    }
}
