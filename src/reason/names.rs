//! The names a decision's data uses: the rules that decide ([`Rule`], `RetryDecision.rule`)
//! and the params their sentences use ([`Param`], the keys of `RetryDecision.params`). The
//! wire sends both by index; the JS layer reads the names from the module's name tables.

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
    /// The sentence of the reason a later rule overruled or added to.
    PolicyReason,
    /// The sentence of the rule that refused the caller's retry.
    Refusal,
}

impl Param {
    /// Every param.
    pub const ALL: [Param; 25] = [
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
        Param::PolicyReason,
        Param::Refusal,
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
            Param::PolicyReason => "policyReason",
            Param::Refusal => "refusal",
        }
    }

    /// Its index in [`Param::ALL`] (the wire's name index).
    pub fn index(self) -> u32 {
        self as u32
    }
}
