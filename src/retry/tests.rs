//! Unit tests of the retry policy and its options.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::classify::processed;
use crate::model::{Category, Processed, Vendor};

fn class(vendor: Vendor, status: u16, category: Category, action: Action) -> Classification {
    Classification {
        vendor,
        status,
        code: None,
        message: None,
        category,
        action,
        retryable: action.is_retryable(),
        processed: processed(status, category),
        retry_after_ms: None,
        summary: "test".to_string(),
        remediation: None,
        parameter: None,
        request_id: None,
        documented: false,
        items: Vec::new(),
        truncated: false,
    }
}

fn http(status: u16) -> Classification {
    let r = http_rule(status);
    class(Vendor::Generic, status, r.category, r.action)
}

fn seeded(seed: u64) -> RetryPolicy {
    RetryPolicy::new(RetryOptions {
        seed: Some(seed),
        ..RetryOptions::default()
    })
    .unwrap()
}

fn tag(d: &RetryDecision) -> &str {
    d.reason.tag()
}

#[test]
fn default_503_schedule_is_equal_jitter_within_bounds_and_stops_after_four_attempts() {
    let s = seeded(1).schedule(&http(503), 10, &DecisionContext::default());
    assert_eq!(s.len(), 4);
    for (i, d) in s[..3].iter().enumerate() {
        let full = 1000u64 << i;
        assert!(d.retry, "{d:?}");
        assert!((full / 2..=full).contains(&d.delay_ms), "{d:?}");
        assert_eq!(tag(d), "5xx-backoff");
    }
    assert!(!s[3].retry);
    assert_eq!(tag(&s[3]), "max-attempts");
}

#[test]
fn two_xx_is_ok_and_409_is_never_retried() {
    let mut p = seeded(1);
    let d = p.decide(&http(204), &DecisionContext::default());
    assert!(!d.retry);
    assert_eq!(tag(&d), "ok");

    let mut c = class(Vendor::Veeam, 409, Category::Busy, Action::WaitAndRetry);
    c.retry_after_ms = Some(10);
    let ctx = DecisionContext {
        earlier_ambiguous_failure: true,
        ..DecisionContext::default()
    };
    let d = p.decide(&c, &ctx);
    assert!(!d.retry);
    assert_eq!(tag(&d), "409-never");
    assert!(d.earlier_attempt_may_have_succeeded);
    assert!(d.reason.contains("probably went through"));
    let d = p.decide(&c, &DecisionContext::default());
    assert!(!d.earlier_attempt_may_have_succeeded);
}

#[test]
fn vendor_permanent_5xx_is_not_retried_unless_vendor_codes_are_distrusted() {
    let mut c = class(
        Vendor::Huawei,
        500,
        Category::InvalidState,
        Action::DoNotRetry,
    );
    c.code = Some("CSBS.6032".to_string());
    let d = seeded(1).decide(&c, &DecisionContext::default());
    assert!(!d.retry);
    assert_eq!(tag(&d), "vendor-permanent");
    assert!(d.reason.contains("CSBS.6032"));

    let mut p = RetryPolicy::new(RetryOptions {
        trust_vendor_codes: Some(false),
        ..RetryOptions::default()
    })
    .unwrap();
    let d = p.decide(&c, &DecisionContext::default());
    assert!(d.retry);
    assert_eq!(tag(&d), "5xx-backoff");
}

#[test]
fn distrusting_vendor_codes_keeps_the_429_and_409_rules() {
    let mut p = RetryPolicy::new(RetryOptions {
        trust_vendor_codes: Some(false),
        ..RetryOptions::default()
    })
    .unwrap();
    let c = class(
        Vendor::Atlassian,
        429,
        Category::QuotaExceeded,
        Action::DoNotRetry,
    );
    assert!(p.decide(&c, &DecisionContext::default()).retry);
    let c = class(Vendor::Atlassian, 409, Category::Busy, Action::Retry);
    assert!(!p.decide(&c, &DecisionContext::default()).retry);
}

#[test]
fn server_wait_is_a_floor_and_a_too_long_wait_is_not_shortened() {
    let mut c = http(429);
    c.retry_after_ms = Some(20_000);
    let d = seeded(3).decide(&c, &DecisionContext::default());
    assert!(d.retry);
    assert_eq!(d.delay_ms, 20_000);
    assert_eq!(tag(&d), "server-wait");

    c.retry_after_ms = Some(10);
    let d = seeded(3).decide(&c, &DecisionContext::default());
    assert!((500..=1000).contains(&d.delay_ms), "{d:?}");
    assert_eq!(tag(&d), "server-wait");

    c.retry_after_ms = Some(120_000);
    let d = seeded(3).decide(&c, &DecisionContext::default());
    assert!(!d.retry);
    assert_eq!(d.delay_ms, 120_000);
    assert_eq!(tag(&d), "server-wait-too-long");
}

#[test]
fn huawei_throttling_waits_two_and_a_half_to_five_seconds() {
    let mut c = http(429);
    c.vendor = Vendor::Huawei;
    let schedule = seeded(3).schedule(&c, 10, &DecisionContext::default());
    let retries: Vec<_> = schedule.iter().filter(|d| d.retry).collect();
    assert_eq!(retries.len(), 3);
    for d in retries {
        assert!((2_500..=5_000).contains(&d.delay_ms), "{d:?}");
    }
}

#[test]
fn reauthenticate_is_left_to_the_executor() {
    let d = seeded(1).decide(&http(401), &DecisionContext::default());
    assert!(!d.retry);
    assert_eq!(d.delay_ms, 0);
    assert_eq!(tag(&d), "reauthenticate");
}

#[test]
fn other_4xx_are_not_retried() {
    for status in [400, 403, 404, 412, 413] {
        let d = seeded(1).decide(&http(status), &DecisionContext::default());
        assert!(!d.retry, "{status}");
        assert_eq!(tag(&d), "not-retryable", "{status}");
    }
}

#[test]
fn busy_uses_its_own_longer_schedule() {
    let c = class(Vendor::Huawei, 400, Category::Busy, Action::WaitAndRetry);
    let s = RetryPolicy::new(RetryOptions {
        seed: Some(9),
        deadline_ms: Some(u64::MAX >> 12),
        ..RetryOptions::default()
    })
    .unwrap()
    .schedule(&c, 10, &DecisionContext::default());
    assert_eq!(s.len(), 6);
    assert!(s[..5].iter().all(|d| d.retry && tag(d) == "busy-schedule"));
    assert!((2_500..=5_000).contains(&s[0].delay_ms));
    assert!((30_000..=60_000).contains(&s[4].delay_ms));
    assert_eq!(tag(&s[5]), "max-attempts");
}

#[test]
fn deadline_stops_a_retry_that_would_end_too_late() {
    let mut p = RetryPolicy::new(RetryOptions {
        deadline_ms: Some(10_000),
        jitter: Some(Jitter::None),
        ..RetryOptions::default()
    })
    .unwrap();
    let d = p.decide(&http(502), &DecisionContext::new(1, 9_500));
    assert!(!d.retry);
    assert_eq!(tag(&d), "deadline");
    let d = p.decide(&http(502), &DecisionContext::new(1, 9_000));
    assert!(d.retry);
    assert_eq!(d.delay_ms, 1_000);
}

#[test]
fn a_non_idempotent_request_is_not_sent_again_after_an_ambiguous_failure() {
    let post = DecisionContext {
        method: Some("post".to_string()),
        ..DecisionContext::default()
    };
    let mut p = seeded(1);
    for status in [500, 502, 504, 0] {
        let d = p.decide(&http(status), &post);
        assert!(!d.retry, "{status}");
        assert_eq!(tag(&d), "non-idempotent");
        assert!(d.reason.contains("may have processed it"), "{}", d.reason);
        assert!(d.reason.contains("RFC 9110"), "{}", d.reason);
    }
    // Provably not processed: re-sent, without a warning.
    for status in [429, 503, 408, 425] {
        let d = p.decide(&http(status), &post);
        assert!(d.retry, "{status}: {}", d.reason);
        assert!(!d.reason.contains("Warning"));
    }
    let busy = class(Vendor::Veeam, 520, Category::Busy, Action::WaitAndRetry);
    assert!(p.decide(&busy, &post).retry);
    // Veeam says the server did not receive it.
    let mut transport = class(Vendor::Veeam, 520, Category::ServerError, Action::Retry);
    transport.processed = Processed::No;
    assert!(p.decide(&transport, &post).retry);
    // Any method but the idempotent ones counts as not idempotent.
    for method in ["PATCH", "CONNECT", "PURGE"] {
        let ctx = DecisionContext {
            method: Some(method.to_string()),
            ..DecisionContext::default()
        };
        assert!(!p.decide(&http(502), &ctx).retry, "{method}");
    }
    // Idempotent methods, an unknown method, and a request the caller marks idempotent keep
    // the 5xx backoff.
    for method in ["GET", "put", " DELETE ", "HEAD", "OPTIONS", "TRACE"] {
        let ctx = DecisionContext {
            method: Some(method.to_string()),
            ..DecisionContext::default()
        };
        assert!(p.decide(&http(500), &ctx).retry, "{method}");
    }
    assert!(p.decide(&http(500), &DecisionContext::default()).retry);
    let keyed = DecisionContext {
        idempotent: true,
        ..post.clone()
    };
    let d = p.decide(&http(500), &keyed);
    assert!(d.retry && !d.reason.contains("Warning"), "{}", d.reason);
    // The explicit opt-in: retried, with a warning.
    let mut opted = RetryPolicy::new(RetryOptions {
        seed: Some(1),
        non_idempotent: Some(NonIdempotent::Retry),
        ..RetryOptions::default()
    })
    .unwrap();
    let d = opted.decide(&http(500), &post);
    assert!(d.retry);
    assert!(
        d.reason.contains("Warning: post is not idempotent"),
        "{}",
        d.reason
    );
}

#[test]
fn a_busy_answer_after_an_ambiguous_failure_stops_a_non_idempotent_request() {
    let busy = class(Vendor::Atlassian, 400, Category::Busy, Action::WaitAndRetry);
    let after = |method: &str| DecisionContext {
        attempt: 2,
        method: Some(method.to_string()),
        earlier_ambiguous_failure: true,
        ..DecisionContext::default()
    };
    let d = seeded(1).decide(&busy, &after("POST"));
    assert!(!d.retry);
    assert_eq!(tag(&d), "busy-after-ambiguous");
    assert!(d.earlier_attempt_may_have_succeeded);
    assert!(d.reason.contains("read the job's state"), "{}", d.reason);
    // An idempotent request may wait for it.
    assert!(seeded(1).decide(&busy, &after("PUT")).retry);
    // With an Idempotency-Key the server recognises the repeat.
    let keyed = DecisionContext {
        idempotent: true,
        ..after("POST")
    };
    assert!(seeded(1).decide(&busy, &keyed).retry);
}

#[test]
fn the_vendor_preset_documents_retrying_a_post() {
    let c = Classification {
        vendor: Vendor::Acronis,
        ..http(500)
    };
    let post = DecisionContext {
        method: Some("POST".to_string()),
        ..DecisionContext::default()
    };
    let d = seeded(1).decide(&c, &post);
    assert!(d.retry, "{}", d.reason);
    assert!(d.reason.contains("Acronis preset"), "{}", d.reason);
}

#[test]
fn the_caller_overrules_within_the_bounds() {
    let mut p = seeded(1);
    let post = DecisionContext {
        method: Some("POST".to_string()),
        ..DecisionContext::default()
    };
    let refused = p.decide(&http(500), &post);
    let d = p.overrule(&http(500), &post, refused.clone(), true);
    assert!(d.retry && tag(&d) == "caller-retry");
    assert!(d.reason.contains(&refused.reason.text()));
    assert!((500..=1000).contains(&d.delay_ms), "{}", d.delay_ms);
    let d = p.overrule(&http(500), &post, refused.clone(), false);
    assert_eq!(d, refused, "false keeps a stop");

    let get = DecisionContext::default();
    let retried = p.decide(&http(503), &get);
    let d = p.overrule(&http(503), &get, retried, false);
    assert!(!d.retry && tag(&d) == "caller-veto" && d.delay_ms == 0);

    // Never a 409, never past the attempts or the deadline.
    let conflict = p.decide(&http(409), &get);
    assert!(!p.overrule(&http(409), &get, conflict, true).retry);
    let last = DecisionContext::new(4, 0);
    let stop = p.decide(&http(400), &last);
    let d = p.overrule(&http(400), &last, stop, true);
    assert!(!d.retry && tag(&d) == "max-attempts");
    let late = DecisionContext::new(1, 299_900);
    let stop = p.decide(&http(400), &late);
    let d = p.overrule(&http(400), &late, stop, true);
    assert!(!d.retry && d.reason.contains("deadline:"), "{}", d.reason);

    // A too-long server wait may be accepted by the caller: the wait is not shortened.
    let mut c = http(429);
    c.retry_after_ms = Some(120_000);
    let stop = p.decide(&c, &get);
    assert_eq!(tag(&stop), "server-wait-too-long");
    let d = p.overrule(&c, &get, stop, true);
    assert!(d.retry && d.delay_ms == 120_000);
}

#[test]
fn statuses_501_505_are_permanent_413_with_a_wait_and_425_are_retried() {
    let get = DecisionContext {
        method: Some("GET".to_string()),
        ..DecisionContext::default()
    };
    for status in [501, 505] {
        let d = seeded(1).decide(&http(status), &get);
        assert!(!d.retry, "{status}");
        assert_eq!(tag(&d), "not-retryable", "{status}: {}", d.reason);
        assert!(d.reason.contains("unsupported"), "{}", d.reason);
    }
    let d = seeded(1).decide(&http(425), &get);
    assert!(d.retry && tag(&d) == "backoff", "{}", d.reason);
    assert!(d.reason.contains("too_early"), "{}", d.reason);
}

#[test]
fn acronis_preset_retries_5xx_twice_one_to_two_seconds_apart() {
    let c = http(500);
    let c = Classification {
        vendor: Vendor::Acronis,
        ..c
    };
    let s = seeded(5).schedule(&c, 10, &DecisionContext::default());
    assert_eq!(s.len(), 3);
    for d in &s[..2] {
        assert!(d.retry);
        assert!((1_000..=2_000).contains(&d.delay_ms), "{d:?}");
        assert!(d.reason.contains("Acronis preset"));
    }
    assert_eq!(tag(&s[2]), "max-attempts");

    let s = RetryPolicy::new(RetryOptions {
        max_attempts: Some(5),
        base_delay_ms: Some(100),
        jitter: Some(Jitter::None),
        ..RetryOptions::default()
    })
    .unwrap()
    .schedule(&c, 10, &DecisionContext::default());
    assert_eq!(s.len(), 5);
    assert!(s[..4].iter().all(|d| d.delay_ms == 100));
}

#[test]
fn every_jitter_stays_within_the_cap_and_the_seed_reproduces() {
    for jitter in [
        Jitter::Full,
        Jitter::Equal,
        Jitter::Decorrelated,
        Jitter::None,
    ] {
        let p = RetryPolicy::new(RetryOptions {
            seed: Some(42),
            jitter: Some(jitter),
            max_attempts: Some(30),
            max_delay_ms: Some(7_000),
            deadline_ms: Some(MAX_MS),
            ..RetryOptions::default()
        })
        .unwrap();
        let a = p.schedule(&http(502), 30, &DecisionContext::default());
        let b = p.schedule(&http(502), 30, &DecisionContext::default());
        assert_eq!(a, b);
        assert_eq!(a.len(), 30);
        assert!(a.iter().all(|d| d.delay_ms <= 7_000), "{jitter:?}");
    }
}

#[test]
fn huge_multipliers_and_attempts_do_not_overflow() {
    let mut p = RetryPolicy::new(RetryOptions {
        multiplier: Some(10.0),
        max_attempts: Some(100),
        max_delay_ms: Some(MAX_MS),
        deadline_ms: Some(MAX_MS),
        jitter: Some(Jitter::None),
        ..RetryOptions::default()
    })
    .unwrap();
    let d = p.decide(&http(500), &DecisionContext::new(99, 0));
    assert!(d.retry);
    assert_eq!(d.delay_ms, MAX_MS);
    let d = p.decide(&http(500), &DecisionContext::new(u32::MAX, 0));
    assert_eq!(tag(&d), "max-attempts");
}

#[test]
fn from_arg_reads_options_and_names_the_bad_field() {
    let read = |v: &serde_json::Value| RetryOptions::from_arg(&crate::args::from_json(v));
    let o = read(&serde_json::json!({
        "maxAttempts": 3.0, "jitter": "full", "seed": 7,
        "busy": {"maxAttempts": 2}, "nonIdempotent": "safe-only", "trustVendorCodes": false
    }))
    .unwrap();
    assert_eq!(o.max_attempts, Some(3));
    assert_eq!(o.jitter, Some(Jitter::Full));
    assert_eq!(o.busy.unwrap().max_attempts, Some(2));
    assert_eq!(o.non_idempotent, Some(NonIdempotent::SafeOnly));
    assert_eq!(
        RetryOptions::from_arg(&crate::args::Arg::Undefined).unwrap(),
        RetryOptions::default()
    );

    let cases = [
        (
            serde_json::json!({"max_attempts": 3}),
            "options",
            "did you mean maxAttempts",
        ),
        (
            serde_json::json!({"maxAttempts": "3"}),
            "maxAttempts",
            "non-negative integer",
        ),
        (
            serde_json::json!({"maxAttempts": 0}),
            "maxAttempts",
            "from 1 to 100",
        ),
        (
            serde_json::json!({"maxAttempts": 1.5}),
            "maxAttempts",
            "non-negative integer",
        ),
        (
            serde_json::json!({"jitter": "fulll"}),
            "jitter",
            "\"decorrelated\"",
        ),
        (
            serde_json::json!({"multiplier": 0.5}),
            "multiplier",
            "from 1 to 10",
        ),
        (
            serde_json::json!({"baseDelayMs": 40000}),
            "baseDelayMs",
            "the default",
        ),
        (
            serde_json::json!({"busy": {"multiplier": "x"}}),
            "busy.multiplier",
            "number",
        ),
        (serde_json::json!({"busy": {"foo": 1}}), "busy", "\"foo\""),
        (serde_json::json!({"seed": -1}), "seed", "non-negative"),
        (serde_json::json!([1]), "options", "an array"),
        (
            serde_json::json!({"multiplier": null, "maxAttempts": null}),
            "",
            "",
        ),
    ];
    for (value, field, text) in cases {
        if field.is_empty() {
            assert!(read(&value).is_ok(), "null is unset");
            continue;
        }
        match read(&value) {
            Err(Error::InvalidOption { name, problem }) => {
                assert_eq!(name, field, "{value}");
                assert!(problem.contains(text), "{value}: {problem}");
            }
            other => panic!("{value}: {other:?}"),
        }
    }
}

#[test]
fn serde_shapes_are_camel_case() {
    let o: RetryOptions =
        serde_json::from_value(serde_json::json!({"maxRetryAfterMs": 5, "jitter": "none"}))
            .unwrap();
    assert_eq!(o.max_retry_after_ms, Some(5));
    assert!(serde_json::from_value::<RetryOptions>(serde_json::json!({"bogus": 1})).is_err());
    let ctx: DecisionContext =
        serde_json::from_value(serde_json::json!({"attempt": 2, "elapsedMs": 10})).unwrap();
    assert_eq!(ctx, DecisionContext::new(2, 10));
    let ctx: DecisionContext = serde_json::from_value(serde_json::json!({})).unwrap();
    assert_eq!(ctx.attempt, 1);
    let d = seeded(1).decide(&http(409), &ctx);
    let v = serde_json::to_value(&d).unwrap();
    for key in [
        "retry",
        "delayMs",
        "reason",
        "attempt",
        "earlierAttemptMayHaveSucceeded",
    ] {
        assert!(v.get(key).is_some(), "{key}");
    }
}

#[test]
fn unseeded_policies_differ() {
    let a = RetryPolicy::default().schedule(&http(503), 4, &DecisionContext::default());
    let b = RetryPolicy::default().schedule(&http(503), 4, &DecisionContext::default());
    let delays = |s: &[RetryDecision]| s.iter().map(|d| d.delay_ms).collect::<Vec<_>>();
    assert_ne!(delays(&a), delays(&b));
}

#[test]
fn backoff_reasons_read_as_whole_sentences() {
    let d = seeded(1).decide(&http(503), &DecisionContext::new(1, 0));
    assert_eq!(
        d.reason.text(),
        format!(
            "5xx-backoff: HTTP 503 is a server failure; retrying after {} ms (exponential \
             backoff, equal jitter), attempt 2 of 4.",
            d.delay_ms
        )
    );
    let mut full = RetryPolicy::new(RetryOptions {
        seed: Some(1),
        jitter: Some(Jitter::Full),
        ..RetryOptions::default()
    })
    .unwrap();
    let d = full.decide(&http(0), &DecisionContext::new(1, 0));
    assert_eq!(
        d.reason.text(),
        format!(
            "backoff: no response (network) is transient; retrying after {} ms (exponential \
             backoff, full jitter), attempt 2 of 4.",
            d.delay_ms
        )
    );
    let busy = class(Vendor::Veeam, 520, Category::Busy, Action::WaitAndRetry);
    let d = seeded(1).decide(&busy, &DecisionContext::new(1, 0));
    assert_eq!(
        d.reason.text(),
        format!(
            "busy-schedule: HTTP 520: an operation is already running on the resource; \
             waiting {} ms (equal jitter) for it to finish before attempt 2 of 6.",
            d.delay_ms
        )
    );
}
