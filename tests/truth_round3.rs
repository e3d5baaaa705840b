//! Truth, round 3: the classes of response the held-out corpus found misread, each as a rule
//! with bodies of its own (the corpus itself is `tests/real_corpus.rs`):
//! 1. the Atlassian backup manager's too-soon refusal is a rate limit with the stated wait;
//! 2. a sentence is a message, never a code;
//! 3. a code that says nothing (`UnknownError`) does not override the status;
//! 4. a list of error objects gives the first one's code, the others as items, any vendor;
//! 5. a documented refusal was not processed, and the retry-safety rules still hold.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use backup_errors::{
    classify_at, Action, Category, Classification, DecisionContext, ErrorInput, Processed,
    RetryOptions, RetryPolicy, Vendor,
};

/// 2026-01-01T00:00:00Z.
const NOW: u64 = 1_767_225_600_000;

fn classified(status: u16, headers: &[(&str, &str)], body: &str) -> Classification {
    classify_at(
        &ErrorInput {
            status,
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_string(), (*v).to_string()))
                .collect(),
            body: body.as_bytes().to_vec(),
            ..ErrorInput::default()
        },
        NOW,
    )
}

fn tag(reason: &str) -> &str {
    reason.split(':').next().unwrap()
}

fn first_decision(c: &Classification, method: &str, options: RetryOptions) -> (bool, u64, String) {
    let mut policy = RetryPolicy::new(RetryOptions {
        seed: Some(7),
        ..options
    })
    .unwrap();
    let d = policy.decide(
        c,
        &DecisionContext {
            attempt: 1,
            method: Some(method.to_string()),
            ..DecisionContext::default()
        },
    );
    (d.retry, d.delay_ms, d.reason.to_string())
}

// ── 1. Atlassian's backup manager ───────────────────────────────────────────────────────

#[test]
fn a_backup_asked_for_too_soon_is_a_rate_limit_with_the_wait_the_sentence_states() {
    let hours = |h: u64, m: u64| (h * 60 + m) * 60_000;
    let cases: [(u16, &str, u64); 5] = [
        (
            406,
            r#"{"error":"Backup frequency is limited. You can not make another backup right now. Approximate time till next allowed backup: 26h 58m"}"#,
            hours(26, 58),
        ),
        (
            412,
            "Backup frequency is limited. You cannot make another backup right now. Approximate time until next allowed backup: 1h 5m",
            hours(1, 5),
        ),
        (
            500,
            r#"{"error": "Backup frequency is limited. You can not make another backup right now. Approximate time till next allowed backup: 47h 2m"}"#,
            hours(47, 2),
        ),
        (
            406,
            "  Backup frequency is limited. You can not make another backup right now. Approximate time till next allowed backup: 2d 3h.\n",
            hours(51, 0),
        ),
        (
            500,
            "Backup frequency is limited. You can not make another backup right now. Approximate time till next allowed backup: 0h 9m",
            hours(0, 9),
        ),
    ];
    for (status, body, wait) in cases {
        let c = classified(status, &[], body);
        assert_eq!(c.vendor, Vendor::Atlassian, "{status} {body}");
        assert_eq!(
            (c.category, c.action, c.retryable),
            (Category::RateLimited, Action::Retry, true),
            "{body}"
        );
        assert_eq!(c.code, None, "{body}");
        assert!(
            c.message
                .as_deref()
                .unwrap()
                .starts_with("Backup frequency"),
            "{body}"
        );
        assert_eq!(c.retry_after_ms, Some(wait), "{body}");
        assert_eq!(c.processed, Processed::No);
        assert!(!c.summary.contains("item"));
        // The policy does not wait a day: it stops and says when to come back.
        let (retry, delay, reason) = first_decision(&c, "POST", RetryOptions::default());
        if wait > 60_000 {
            assert!(!retry);
            assert_eq!(tag(&reason), "server-wait-too-long", "{reason}");
            assert_eq!(delay, wait);
        } else {
            assert!(retry, "{reason}");
        }
    }
    // A 500 that only says something else stays a server error.
    let other = classified(500, &[], r#"{"error":"Backup could not be created"}"#);
    assert_eq!(other.category, Category::ServerError);
    // The refusal without a wait in it is still a rate limit (waited with backoff).
    let no_wait = classified(
        412,
        &[],
        "Backup frequency is limited. You can not make another backup right now.",
    );
    assert_eq!(
        (no_wait.vendor, no_wait.category, no_wait.retry_after_ms),
        (Vendor::Atlassian, Category::RateLimited, None)
    );
}

// ── 2. A sentence is a message ──────────────────────────────────────────────────────────

#[test]
fn a_sentence_in_a_code_field_is_the_message_and_tokens_stay_codes() {
    let sentence = classified(
        400,
        &[],
        r#"{"error":"The vault is locked by another operation, try later."}"#,
    );
    assert_eq!(sentence.code, None);
    assert_eq!(
        sentence.message.as_deref(),
        Some("The vault is locked by another operation, try later.")
    );
    assert_eq!(sentence.category, Category::InvalidRequest);
    // A message that is already there stays; the sentence is dropped from `code`.
    let both = classified(
        500,
        &[],
        r#"{"code":"Internal failure while reading the job","message":"job 7"}"#,
    );
    assert_eq!((both.code, both.message.as_deref()), (None, Some("job 7")));
    for (body, code) in [
        (
            r#"{"error":"invalid_grant","error_description":"Token expired"}"#,
            "invalid_grant",
        ),
        (
            r#"{"domain":"Notarization","code":"ENOTARY","debug":{"message":"m"}}"#,
            "ENOTARY",
        ),
        (
            r#"{"error_code":"CSBS.6005","error_msg":"The backup does not exist."}"#,
            "CSBS.6005",
        ),
        (
            r#"{"error":{"code":"Request_ResourceNotFound","message":"Resource 'x' does not exist."}}"#,
            "Request_ResourceNotFound",
        ),
    ] {
        assert_eq!(
            classified(400, &[], body).code.as_deref(),
            Some(code),
            "{body}"
        );
    }
    // Items likewise.
    let items = classified(
        422,
        &[],
        r#"{"errors":[{"code":"missing_field","message":"a"},{"code":"title is too long for this tracker","message":""}]}"#,
    );
    assert_eq!(items.code.as_deref(), Some("missing_field"));
    assert_eq!(items.items[0].code, None);
    assert_eq!(
        items.items[0].message.as_deref(),
        Some("title is too long for this tracker")
    );
}

// ── 3. A code that says nothing ─────────────────────────────────────────────────────────

#[test]
fn a_code_that_says_nothing_leaves_the_status_in_charge() {
    let graph = |code: &str, message: &str| {
        format!(
            r#"{{"error":{{"code":"{code}","message":"{message}","innerError":{{"date":"2026-01-01T00:00:00","request-id":"r1","client-request-id":"c1"}}}}}}"#
        )
    };
    let cases = [
        (504, graph("UnknownError", ""), Category::Timeout, true),
        (
            504,
            graph("generalException", "An unspecified error has occurred."),
            Category::Timeout,
            true,
        ),
        (503, graph("UnknownError", ""), Category::ServerError, true),
        (
            500,
            graph("generalException", ""),
            Category::ServerError,
            true,
        ),
        (
            400,
            graph("UnknownError", "Bad input"),
            Category::InvalidRequest,
            false,
        ),
        (404, graph("UnknownError", ""), Category::NotFound, false),
    ];
    for (status, body, category, retryable) in cases {
        let c = classified(status, &[], &body);
        assert_eq!(c.vendor, Vendor::Microsoft365, "{body}");
        assert_eq!(
            (c.category, c.retryable),
            (category, retryable),
            "{status} {body}"
        );
        assert!(!c.summary.contains("this item"), "{}", c.summary);
        assert!(!c.documented, "{status} {body}");
        // Same as the status alone.
        let bare = classified(status, &[], "");
        assert_eq!(
            (c.category, c.action, c.summary.as_str()),
            (bare.category, bare.action, bare.summary.as_str())
        );
    }
    // A generic API's InternalServerError on a 504 is a timeout too.
    let generic = classified(504, &[], r#"{"code":"InternalServerError","message":""}"#);
    assert_eq!(generic.category, Category::Timeout);
    // Inside a 200, an item's UnknownError keeps its documented row.
    let item = classified(
        200,
        &[],
        r#"{"@odata.context":"x","value":[{"id":"u1","error":{"code":"UnknownError","message":""}}]}"#,
    );
    assert_eq!(item.items.len(), 1);
    assert_eq!(item.items[0].category, Category::ServerError);
    assert!(item.items[0].summary.is_some());
}

// ── 4. A list of error objects ──────────────────────────────────────────────────────────

#[test]
fn a_list_of_error_objects_gives_the_first_code_and_the_others_as_items() {
    let acronis = classified(
        400,
        &[],
        r#"{"errors":[{"domain":"PolicyManagement","code":"InvalidParameter","reason":"Schedule is invalid","debug":{"message":"cron"}},{"domain":"PolicyManagement","code":"1006","reason":"Wrong state"}]}"#,
    );
    assert_eq!(acronis.vendor, Vendor::Acronis);
    assert_eq!(acronis.code.as_deref(), Some("InvalidParameter"));
    assert_eq!(acronis.message.as_deref(), Some("Schedule is invalid"));
    assert_eq!(acronis.items.len(), 1);
    assert_eq!(acronis.items[0].code.as_deref(), Some("1006"));
    assert_eq!(acronis.items[0].category, Category::InvalidState); // its own catalog row
    assert!(!acronis.items[0].retryable);

    let json_api = classified(
        422,
        &[],
        r#"{"errors":[{"status":"422","code":"invalid_schedule","title":"Invalid schedule","detail":"cron is empty","source":{"pointer":"/data/attributes/cron"}},{"status":"422","code":"too_many_targets","title":"Too many targets"}]}"#,
    );
    assert_eq!(json_api.vendor, Vendor::Generic);
    assert_eq!(json_api.code.as_deref(), Some("invalid_schedule"));
    assert_eq!(json_api.message.as_deref(), Some("cron is empty"));
    assert_eq!(json_api.items.len(), 1);
    assert_eq!(json_api.items[0].code.as_deref(), Some("too_many_targets"));

    let graphql = classified(
        400,
        &[],
        r#"{"errors":[{"message":"Variable $id is required","extensions":{"code":"BAD_USER_INPUT"}}]}"#,
    );
    assert_eq!(graphql.code.as_deref(), Some("BAD_USER_INPUT"));
    assert_eq!(graphql.message.as_deref(), Some("Variable $id is required"));

    // Veeam's list keeps its own reading.
    let veeam = classified(
        520,
        &[],
        r#"{"errors":[{"message":"Agent busy","type":"retryablelogical","code":4002},{"message":"second","type":"logical","code":1}]}"#,
    );
    assert_eq!(
        (veeam.vendor, veeam.code.as_deref(), veeam.items.len()),
        (Vendor::Veeam, Some("4002"), 1)
    );
}

// ── 5. A documented refusal was not processed ───────────────────────────────────────────

#[test]
fn a_documented_refusal_was_not_processed_and_a_post_is_still_never_resent_after_ambiguity() {
    let huawei = |code: &str| format!(r#"{{"error_code":"{code}","error_msg":"refused"}}"#);
    let refusal = classified(500, &[], &huawei("CSBS.8009"));
    assert_eq!(refusal.processed, Processed::No);
    assert!(!refusal.retryable);
    let (retry, _, reason) = first_decision(&refusal, "POST", RetryOptions::default());
    assert!(!retry);
    assert_eq!(tag(&reason), "vendor-permanent");
    // An undocumented code and a bare 5xx stay "maybe".
    assert_eq!(
        classified(500, &[], &huawei("CSBS.9999")).processed,
        Processed::Maybe
    );
    assert_eq!(classified(500, &[], "").processed, Processed::Maybe);
    assert_eq!(classified(504, &[], "").processed, Processed::Maybe);
    // A documented retryable 5xx row is not a refusal: "maybe" (the Acronis preset aside).
    let acronis_5xx = classified(
        500,
        &[],
        r#"{"error":{"code":1000,"message":"m","domain":"PlatformCore"}}"#,
    );
    assert!(acronis_5xx.retryable || acronis_5xx.processed == Processed::Maybe);
    // The retry-safety rules hold: a POST after an ambiguous 500 is not sent again…
    let (retry, _, reason) =
        first_decision(&classified(500, &[], ""), "POST", RetryOptions::default());
    assert!(!retry);
    assert_eq!(tag(&reason), "non-idempotent");
    // …and with vendor codes distrusted, the refusal's "no" is not trusted either: the POST
    // that got a 500 is not sent again.
    let (retry, _, reason) = first_decision(
        &refusal,
        "POST",
        RetryOptions {
            trust_vendor_codes: Some(false),
            ..RetryOptions::default()
        },
    );
    assert!(!retry, "{reason}");
    assert_eq!(tag(&reason), "non-idempotent");
}
