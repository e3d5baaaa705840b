//! Property tests of the retry policy and the retry budget: the bounds of docs/design.md
//! ("Retry rules") hold for any classification, options and context.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use backup_errors::retry::{
    DEFAULT_BUSY_MAX_DELAY_MS, DEFAULT_DEADLINE_MS, DEFAULT_MAX_DELAY_MS,
    DEFAULT_MAX_RETRY_AFTER_MS, VENDOR_PRESETS,
};
use backup_errors::{
    Action, BudgetOptions, BusySchedule, Category, Classification, DecisionContext, Jitter,
    NonIdempotent, Processed, RetryBudget, RetryOptions, RetryPolicy, Vendor,
};
use proptest::prelude::*;

fn class(
    vendor: Vendor,
    status: u16,
    category: Category,
    action: Action,
    retry_after_ms: Option<u64>,
    processed: Processed,
) -> Classification {
    Classification {
        vendor,
        status,
        code: None,
        message: None,
        category,
        action,
        retryable: action.is_retryable(),
        processed,
        retry_after_ms,
        summary: "generated".to_string(),
        remediation: None,
        parameter: None,
        request_id: None,
        documented: false,
        items: Vec::new(),
        truncated: false,
    }
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        prop::sample::select(vec![
            0u16, 200, 204, 401, 408, 409, 429, 500, 502, 503, 504, 520
        ]),
        0u16..1000,
    ]
}

fn classification() -> impl Strategy<Value = Classification> {
    (
        prop::sample::select(Vendor::ALL.to_vec()),
        status(),
        prop::sample::select(Category::ALL.to_vec()),
        prop::sample::select(Action::ALL.to_vec()),
        prop::option::of(0u64..200_000),
        prop::sample::select(Processed::ALL.to_vec()),
    )
        .prop_map(|(v, s, c, a, w, p)| class(v, s, c, a, w, p))
}

/// (base, cap) pairs valid against each other and against the defaults they may fall back to.
fn base_and_cap(
    default_base: u64,
    default_cap: u64,
) -> impl Strategy<Value = (Option<u64>, Option<u64>)> {
    (
        prop::option::of(0u64..100_000),
        prop::option::of(0u64..100_000),
    )
        .prop_map(move |(b, c)| match (b, c) {
            (Some(b), Some(c)) => (Some(b.min(c)), Some(b.max(c))),
            (Some(b), None) => (Some(b.min(default_cap)), None),
            (None, Some(c)) => (None, Some(c.max(default_base))),
            (None, None) => (None, None),
        })
}

fn options() -> impl Strategy<Value = RetryOptions> {
    (
        (
            prop::option::of(1u32..12),
            base_and_cap(1_000, DEFAULT_MAX_DELAY_MS),
            prop::option::of(1.0f64..10.0),
            prop::option::of(prop::sample::select(vec![
                Jitter::Full,
                Jitter::Equal,
                Jitter::Decorrelated,
                Jitter::None,
            ])),
            any::<u64>(),
        ),
        (
            prop::option::of(0u64..150_000),
            prop::option::of(0u64..400_000),
            prop::option::of(any::<bool>()),
            prop::option::of((
                prop::option::of(1u32..12),
                base_and_cap(5_000, DEFAULT_BUSY_MAX_DELAY_MS),
                prop::option::of(1.0f64..10.0),
            )),
            prop::option::of(prop::sample::select(vec![
                NonIdempotent::Retry,
                NonIdempotent::SafeOnly,
            ])),
        ),
    )
        .prop_map(
            |(
                (max_attempts, (base, cap), multiplier, jitter, seed),
                (mra, deadline, trust, busy, ni),
            )| {
                RetryOptions {
                    max_attempts,
                    base_delay_ms: base,
                    max_delay_ms: cap,
                    multiplier,
                    jitter,
                    seed: Some(seed),
                    max_retry_after_ms: mra,
                    deadline_ms: deadline,
                    trust_vendor_codes: trust,
                    busy: busy.map(|(a, (b, c), m)| BusySchedule {
                        max_attempts: a,
                        base_delay_ms: b,
                        max_delay_ms: c,
                        multiplier: m,
                    }),
                    non_idempotent: ni,
                }
            },
        )
}

fn context() -> impl Strategy<Value = DecisionContext> {
    (
        0u32..15,
        0u64..500_000,
        prop::option::of(prop::sample::select(vec![
            "GET", "POST", "patch", "PUT", "DELETE",
        ])),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(attempt, elapsed_ms, method, ambiguous, idempotent)| DecisionContext {
                attempt,
                elapsed_ms,
                method: method.map(str::to_string),
                earlier_ambiguous_failure: ambiguous,
                idempotent,
            },
        )
}

/// The largest delay any schedule of `o` may produce, apart from the server's own wait.
fn largest_cap(o: &RetryOptions) -> u64 {
    let main = o.max_delay_ms.unwrap_or(DEFAULT_MAX_DELAY_MS);
    let busy = o
        .busy
        .as_ref()
        .and_then(|b| b.max_delay_ms)
        .unwrap_or(DEFAULT_BUSY_MAX_DELAY_MS);
    let preset = VENDOR_PRESETS
        .iter()
        .map(|p| p.max_delay_ms)
        .max()
        .unwrap_or(0);
    main.max(busy)
        .max(if o.max_delay_ms.is_none() { preset } else { 0 })
}

fn huawei_permanent_500() -> Classification {
    let mut c = class(
        Vendor::Huawei,
        500,
        Category::InvalidState,
        Action::DoNotRetry,
        None,
        Processed::Maybe,
    );
    c.code = Some("CSBS.6032".to_string());
    c
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_decision_is_bounded(o in options(), c in classification(), ctx in context()) {
        let mut p = RetryPolicy::new(o.clone()).unwrap();
        let d = p.decide(&c, &ctx);
        prop_assert_eq!(d.attempt, ctx.attempt);
        let tag = d.reason.tag().to_string();
        prop_assert!(!tag.is_empty() && !tag.contains(' '), "{}", d.reason);
        if d.retry {
            let server = c.retry_after_ms;
            prop_assert!(
                d.delay_ms <= largest_cap(&o) || Some(d.delay_ms) == server,
                "{:?} {:?}", d, o
            );
            if Some(d.delay_ms) == server && d.delay_ms > largest_cap(&o) {
                prop_assert!(d.delay_ms <= o.max_retry_after_ms.unwrap_or(DEFAULT_MAX_RETRY_AFTER_MS));
            }
            prop_assert!(d.delay_ms >= server.unwrap_or(0));
            let deadline = o.deadline_ms.unwrap_or(DEFAULT_DEADLINE_MS);
            prop_assert!(ctx.elapsed_ms + d.delay_ms <= deadline);
            prop_assert!(c.status != 409 && !(200..=299).contains(&c.status));
        } else if tag == "server-wait-too-long" {
            prop_assert_eq!(Some(d.delay_ms), c.retry_after_ms);
        } else {
            prop_assert_eq!(d.delay_ms, 0);
        }
    }

    #[test]
    fn a_409_is_never_retried(
        o in options(),
        c in classification(),
        ctx in context(),
    ) {
        let c = Classification { status: 409, ..c };
        let d = RetryPolicy::new(o).unwrap().decide(&c, &ctx);
        prop_assert!(!d.retry);
        prop_assert!(d.reason.starts_with("409-never: "));
        prop_assert_eq!(d.earlier_attempt_may_have_succeeded, ctx.earlier_ambiguous_failure);
    }

    #[test]
    fn the_same_seed_gives_the_same_delays(
        o in options(),
        calls in prop::collection::vec((classification(), context()), 1..20),
    ) {
        let mut a = RetryPolicy::new(o.clone()).unwrap();
        let mut b = RetryPolicy::new(o.clone()).unwrap();
        for (c, ctx) in &calls {
            prop_assert_eq!(a.decide(c, ctx), b.decide(c, ctx));
        }
        let c = &calls[0].0;
        let s = a.schedule(c, 10, &DecisionContext::default());
        prop_assert_eq!(&s, &a.schedule(c, 10, &DecisionContext::default()));
        prop_assert_eq!(s, b.schedule(c, 10, &DecisionContext::default()));
        let fresh = RetryPolicy::new(o.clone()).unwrap().schedule(c, 10, &DecisionContext::default());
        prop_assert_eq!(fresh, RetryPolicy::new(o).unwrap().schedule(c, 10, &DecisionContext::default()));
    }

    #[test]
    fn schedules_stay_within_the_deadline(o in options(), c in classification()) {
        let p = RetryPolicy::new(o.clone()).unwrap();
        let s = p.schedule(&c, 20, &DecisionContext::default());
        let total: u64 = s.iter().filter(|d| d.retry).map(|d| d.delay_ms).sum();
        prop_assert!(total <= o.deadline_ms.unwrap_or(DEFAULT_DEADLINE_MS));
        prop_assert!(s.iter().rev().skip(1).all(|d| d.retry));
    }

    #[test]
    fn budget_tokens_stay_between_zero_and_capacity(
        capacity in 1u32..600,
        retry_cost in 0u32..20,
        timeout_cost in 0u32..30,
        refund in 0u32..5,
        ops in prop::collection::vec((0u8..4, status()), 0..300),
    ) {
        let options = BudgetOptions {
            capacity: Some(capacity),
            retry_cost: Some(retry_cost.min(capacity)),
            timeout_cost: Some(timeout_cost.min(capacity)),
            success_refund: Some(refund.min(capacity)),
        };
        let mut b = RetryBudget::new(options).unwrap();
        let mut lease = None;
        for (op, status) in ops {
            let c = class(Vendor::Generic, status, Category::ServerError, Action::Retry, None, Processed::Maybe);
            let before = b.available();
            match op {
                0 => {
                    let cost = b.cost_of(&c);
                    lease = b.acquire(&c);
                    match &lease {
                        Some(l) => prop_assert_eq!(b.available(), before - l.cost()),
                        None => {
                            prop_assert!(before < cost);
                            prop_assert_eq!(b.available(), before);
                        }
                    }
                }
                1 => b.record_success(lease.take()),
                2 => b.record_failure(lease.take()),
                _ => b.record_success(None),
            }
            prop_assert!(b.available() <= b.capacity());
        }
    }

    #[test]
    fn the_acronis_preset_retries_a_5xx_exactly_twice_one_to_two_seconds_apart(
        status in 500u16..600,
        seed in any::<u64>(),
    ) {
        let c = class(Vendor::Acronis, status, Category::ServerError, Action::Retry, None, Processed::Maybe);
        let p = RetryPolicy::new(RetryOptions { seed: Some(seed), ..RetryOptions::default() })
            .unwrap();
        let s = p.schedule(&c, 10, &DecisionContext::default());
        prop_assert_eq!(s.len(), 3);
        for d in &s[..2] {
            prop_assert!(d.retry);
            prop_assert!((1_000..=2_000).contains(&d.delay_ms), "{:?}", d);
        }
        prop_assert!(!s[2].retry);
        prop_assert!(s[2].reason.starts_with("max-attempts: "));
    }

    #[test]
    fn explicit_options_override_the_acronis_preset(
        status in 500u16..600,
        max_attempts in 1u32..8,
        delay in 0u64..10_000,
    ) {
        let c = class(Vendor::Acronis, status, Category::ServerError, Action::Retry, None, Processed::Maybe);
        let p = RetryPolicy::new(RetryOptions {
            max_attempts: Some(max_attempts),
            base_delay_ms: Some(delay),
            max_delay_ms: Some(delay),
            jitter: Some(Jitter::None),
            ..RetryOptions::default()
        })
        .unwrap();
        let s = p.schedule(&c, 20, &DecisionContext::default());
        prop_assert_eq!(s.len() as u32, max_attempts);
        prop_assert!(s[..s.len() - 1].iter().all(|d| d.retry && d.delay_ms == delay));
    }

    #[test]
    fn distrusting_vendor_codes_makes_a_huawei_permanent_500_retryable(
        seed in any::<u64>(),
        elapsed in 0u64..1_000,
    ) {
        let c = huawei_permanent_500();
        let ctx = DecisionContext::new(1, elapsed);
        let trusting = RetryPolicy::new(RetryOptions { seed: Some(seed), ..RetryOptions::default() });
        let d = trusting.unwrap().decide(&c, &ctx);
        prop_assert!(!d.retry);
        prop_assert!(d.reason.starts_with("vendor-permanent: "));
        let distrusting = RetryPolicy::new(RetryOptions {
            seed: Some(seed),
            trust_vendor_codes: Some(false),
            ..RetryOptions::default()
        });
        let d = distrusting.unwrap().decide(&c, &ctx);
        prop_assert!(d.retry);
        prop_assert!(d.reason.starts_with("5xx-backoff: "));
    }

    #[test]
    fn a_non_idempotent_request_that_may_have_been_processed_is_not_resent_by_default(
        seed in any::<u64>(),
        c in classification(),
        ctx in context(),
    ) {
        let mut p = RetryPolicy::new(RetryOptions { seed: Some(seed), ..RetryOptions::default() }).unwrap();
        let d = p.decide(&c, &ctx);
        let preset = VENDOR_PRESETS.iter().any(|p| p.applies_to(&c));
        if d.retry && !ctx.request_is_idempotent() && !preset {
            prop_assert_eq!(c.processed, Processed::No, "{:?} {:?} {}", c, ctx, d.reason);
        }
        if !ctx.request_is_idempotent() && ctx.earlier_ambiguous_failure && c.category == Category::Busy {
            prop_assert!(!d.retry, "{}", d.reason);
        }
    }

    #[test]
    fn the_caller_never_overrules_past_the_bounds(
        o in options(),
        c in classification(),
        ctx in context(),
        answer in any::<bool>(),
    ) {
        let mut p = RetryPolicy::new(o.clone()).unwrap();
        let proposal = p.decide(&c, &ctx);
        let d = p.overrule(&c, &ctx, proposal.clone(), answer);
        prop_assert_eq!(d.attempt, ctx.attempt);
        if !answer {
            prop_assert!(!d.retry);
        }
        if d.retry && !proposal.retry {
            prop_assert!(d.reason.starts_with("caller-retry: "), "{}", d.reason);
            prop_assert!(c.status != 409 && !(200..=299).contains(&c.status));
            prop_assert!(ctx.attempt.max(1) < p.max_attempts_for(&c));
            prop_assert!(ctx.elapsed_ms + d.delay_ms <= o.deadline_ms.unwrap_or(DEFAULT_DEADLINE_MS));
            prop_assert!(d.delay_ms >= c.retry_after_ms.unwrap_or(0));
        }
    }
}
