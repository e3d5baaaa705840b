//! Time-bounded fuzzing of `classify` over arbitrary bytes, statuses and headers, mixing
//! random noise with mutations of real vendor bodies (so the parsers' deep paths are hit).
//! Ignored by default; `npm test` runs it with `--ignored` for `FUZZ_SECONDS` (default 20)
//! and prints the executions reached. Any panic is a crash and fails the test.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use backup_errors::{classify_at, ErrorInput, Vendor};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::time::{Duration, Instant};

/// Real-looking bodies of every vendor: the mutation seeds.
const SEEDS: &[&str] = &[
    r#"{"errorCode":"127","errorMessage":"Backup Policy already exists"}"#,
    r#"{"errors":[{"message":"m","type":"retryableLogical","code":1000,"parameterName":"x","retryAfter":5},{"code":400,"propertyName":"p"}]}"#,
    r#"{"meta":{},"data":null,"errors":[{"type":"transport","code":500}]}"#,
    r#"{"error_code":"APIGW.0308","error_msg":"throttled","request_id":"r"}"#,
    r#"{"operation_logs":[{"id":"1","error_info":{"code":"BackupService.6000","message":"m"}}]}"#,
    r#"{"error":{"code":"PolicyNotFound","message":"m","innerError":{"request-id":"a","innerError":{"code":"x"}},"details":[{"code":"c","message":"m","target":"t"}]}}"#,
    r#"{"value":[{"id":"1","error":{"code":"QuotaExceeded","message":"m"}},{"@Core.DataModificationException":{"info":{"code":"ProtectionUnitNotFound","message":"m"},"responseCode":404},"id":"2"}]}"#,
    r#"{"error":{"code":1006,"message":"m","details":{"info":"x "1" y"},"context":{"id":"1"},"domain":"PlatformAccountServer"}}"#,
    r#"{"domain":"Access","reason":"r","error":"invalid_grant","error_description":"d"}"#,
    r#"{"type":"https://x/probs/y","title":"t","detail":"d","status":400}"#,
    "<html><head><title>502 Bad Gateway</title></head></html>",
    "",
];

const HEADER_NAMES: &[&str] = &[
    "Retry-After",
    "retry-after-ms",
    "x-ms-retry-after-ms",
    "RateLimit-Reset",
    "X-RateLimit-Reset",
    "x-request-id",
    "request-id",
    "client-request-id",
    "Authorization",
];

fn mutate(seed: &[u8], edits: &[(usize, u8, u8)]) -> Vec<u8> {
    let mut out = seed.to_vec();
    for &(at, kind, byte) in edits {
        let at = if out.is_empty() {
            0
        } else {
            at % (out.len() + 1)
        };
        match kind % 4 {
            0 if at < out.len() => out[at] = byte,
            1 => out.insert(at, byte),
            2 if at < out.len() => {
                out.remove(at);
            }
            _ => out.truncate(at),
        }
    }
    out
}

fn input_strategy() -> impl Strategy<Value = ErrorInput> {
    let body = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..512),
        (
            0..SEEDS.len(),
            proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 0..8)
        )
            .prop_map(|(i, edits)| mutate(SEEDS[i].as_bytes(), &edits)),
    ];
    let value = prop_oneof![
        "[0-9]{1,25}",
        "-?[0-9]{1,5}(\\.[0-9]{1,3})?",
        "(Mon|Thu), [0-9]{2} (Jan|Feb) 20[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT",
        "20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})",
        ".{0,40}",
    ];
    let headers = proptest::collection::vec((0..HEADER_NAMES.len(), value), 0..4).prop_map(|hs| {
        hs.into_iter()
            .map(|(i, v)| (HEADER_NAMES[i].to_string(), v))
            .collect()
    });
    let vendor = prop_oneof![
        Just(None),
        (0..Vendor::ALL.len()).prop_map(|i| Some(Vendor::ALL[i]))
    ];
    (0u16..1000, headers, body, vendor).prop_map(|(status, headers, body, vendor)| ErrorInput {
        status,
        headers,
        body,
        vendor,
        method: None,
    })
}

#[test]
#[ignore = "time-bounded fuzzing; run by npm test with --ignored"]
fn classify_never_panics_and_keeps_its_invariants() {
    let seconds: u64 = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let seed: [u8; 32] = std::array::from_fn(|i| (std::process::id() as u8).wrapping_add(i as u8));
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed);
    let mut runner = TestRunner::new_with_rng(
        Config {
            failure_persistence: None,
            ..Config::default()
        },
        rng,
    );
    let strategy = input_strategy();
    let mut executions: u64 = 0;
    while Instant::now() < deadline {
        for _ in 0..1000 {
            let input = strategy.new_tree(&mut runner).expect("strategy").current();
            let c = classify_at(&input, 1_767_225_600_000);
            executions += 1;
            assert_eq!(c.retryable, c.action.is_retryable(), "{input:?}");
            if input.status == 409 {
                assert!(!c.retryable, "409 retried: {input:?}");
            }
            for text in [&c.message, &c.code, &c.parameter, &c.request_id]
                .into_iter()
                .flatten()
            {
                assert!(
                    text.len() <= backup_errors::text::MAX_ECHO_BYTES,
                    "unbounded echo: {input:?}"
                );
            }
            assert!(c.items.len() <= backup_errors::classify::MAX_ITEMS);
            if let Some(ms) = c.retry_after_ms {
                assert!(ms <= backup_errors::headers::MAX_SERVER_WAIT_MS);
            }
        }
    }
    println!("fuzz: {executions} executions in {seconds} s, 0 crashes");
}

/// The hostile inputs of the issue, each classified fast and without a panic.
#[test]
fn hostile_inputs_classify() {
    let deep = "[".repeat(100_000);
    let big = format!(
        "{{\"errorCode\":\"127\",\"pad\":\"{}\"}}",
        "x".repeat(10 * 1024 * 1024)
    );
    let proto = r#"{"__proto__":{"polluted":true},"errorCode":"__proto__"}"#;
    let bom = "\u{FEFF}{\"errorCode\":\"140\",\"errorMessage\":\"Export Already in Progress\"}";
    for body in [
        deep.as_bytes(),
        big.as_bytes(),
        proto.as_bytes(),
        bom.as_bytes(),
        b"\xff\xfe\x00{" as &[u8],
    ] {
        let started = Instant::now();
        let c = classify_at(
            &ErrorInput {
                status: 400,
                body: body.to_vec(),
                ..Default::default()
            },
            0,
        );
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(c.retryable, c.action.is_retryable());
    }
    let big_c = classify_at(
        &ErrorInput {
            status: 409,
            body: big.into_bytes(),
            ..Default::default()
        },
        0,
    );
    assert_eq!(big_c.code.as_deref(), Some("127"));
    let bom_c = classify_at(
        &ErrorInput {
            status: 400,
            body: bom.as_bytes().to_vec(),
            ..Default::default()
        },
        0,
    );
    assert_eq!(bom_c.action, backup_errors::Action::WaitAndRetry);
    let secret = ErrorInput {
        status: 401,
        headers: vec![
            ("Authorization".into(), "Bearer s3cret".into()),
            ("Cookie".into(), "sid=s3cret".into()),
        ],
        body: b"{\"message\":\"denied\"}".to_vec(),
        ..Default::default()
    };
    let c = classify_at(&secret, 0);
    let json = serde_json::to_string(&c).unwrap();
    assert!(
        !json.contains("s3cret"),
        "credentials must never be echoed: {json}"
    );
    let absurd = ErrorInput {
        status: 429,
        headers: vec![("Retry-After".into(), "-30".into())],
        ..Default::default()
    };
    assert_eq!(classify_at(&absurd, 0).retry_after_ms, None);
}
