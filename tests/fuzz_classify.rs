//! Time-bounded fuzzing of `classify` over arbitrary bytes, statuses and headers, mixing
//! random noise with mutations of real vendor bodies (so the parsers' deep paths are hit).
//! Ignored by default; `npm test` runs it with `--ignored` for `FUZZ_SECONDS` (default 20)
//! and prints the executions reached. Any panic is a crash and fails the test:
//!
//! ```text
//! FUZZ_SECONDS=20 cargo test --release --test fuzz_classify -- --ignored --nocapture
//! ```
//!
//! Seeds: the run prints its seed first (`fuzz seed: 0x…`), and a failure's message names
//! it together with the execution that failed and the input. `FUZZ_SEED` (hex with `0x`, or
//! decimal) replays a seed: the inputs are a function of the seed alone, so the same seed
//! produces the same inputs in the same order, and the failure comes back as long as the
//! run lasts long enough to reach that execution again (use the same or a larger
//! `FUZZ_SECONDS`):
//!
//! ```text
//! FUZZ_SEED=0x5eed5eed5eed5eed FUZZ_SECONDS=60 cargo test --release --test fuzz_classify -- --ignored --nocapture
//! ```
//!
//! Without `FUZZ_SEED` the seed comes from the clock and the process id, so every run
//! explores new inputs.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use backup_errors::{classify_at, ErrorInput, Vendor};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

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

/// The seed of this run: `FUZZ_SEED` (`0x…` hex or decimal) if set, else clock and pid.
fn fuzz_seed() -> u64 {
    match std::env::var("FUZZ_SEED") {
        Ok(text) => {
            let text = text.trim();
            let parsed = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => text.parse(),
            };
            parsed.unwrap_or_else(|_| {
                panic!("FUZZ_SEED={text:?} is not a seed: give 0x and hex digits, or decimal")
            })
        }
        Err(_) => {
            let nanos = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64);
            nanos ^ (u64::from(std::process::id()) << 32)
        }
    }
}

/// The 32 bytes of ChaCha state of a 64-bit seed (splitmix64, so nearby seeds differ).
fn rng_seed(seed: u64) -> [u8; 32] {
    let mut state = seed;
    let mut out = [0u8; 32];
    for chunk in out.chunks_mut(8) {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        chunk.copy_from_slice(&(z ^ (z >> 31)).to_le_bytes());
    }
    out
}

/// The properties every classification keeps; panics (with `input`) when one does not.
fn check(input: &ErrorInput) {
    let c = classify_at(input, 1_767_225_600_000);
    assert_eq!(
        c.retryable,
        c.action.is_retryable(),
        "retryable disagrees with the action"
    );
    if input.status == 409 {
        assert!(!c.retryable, "409 retried");
    }
    for text in [&c.message, &c.code, &c.parameter, &c.request_id]
        .into_iter()
        .flatten()
    {
        assert!(
            text.len() <= backup_errors::text::MAX_ECHO_BYTES,
            "unbounded echo of {} bytes",
            text.len()
        );
    }
    assert!(
        c.items.len() <= backup_errors::classify::MAX_ITEMS,
        "too many items"
    );
    if let Some(ms) = c.retry_after_ms {
        assert!(
            ms <= backup_errors::headers::MAX_SERVER_WAIT_MS,
            "server wait {ms} ms over the cap"
        );
    }
}

#[test]
#[ignore = "time-bounded fuzzing; run by npm test with --ignored"]
fn classify_never_panics_and_keeps_its_invariants() {
    let seconds: u64 = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let seed = fuzz_seed();
    println!("fuzz seed: {seed:#018x} (replay: FUZZ_SEED={seed:#018x})");
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &rng_seed(seed));
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
            executions += 1;
            // A panic in classify (a crash) or in a check: fail with what replays it.
            if let Err(payload) = catch_unwind(AssertUnwindSafe(|| check(&input))) {
                let message = payload
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| payload.downcast_ref::<&str>().copied())
                    .unwrap_or("a panic without a message");
                panic!(
                    "fuzz seed {seed:#018x}, execution {executions}: {message}\n\
                     input: {input:?}\n\
                     replay: FUZZ_SEED={seed:#018x} FUZZ_SECONDS={seconds} cargo test --release \
                     --test fuzz_classify -- --ignored --nocapture"
                );
            }
        }
    }
    println!("fuzz: {executions} executions in {seconds} s with seed {seed:#018x}, 0 crashes");
}

/// The hostile inputs of the issue, each classified without a panic. How long the largest
/// bodies take is measured by `npm run bench` (bench/run.mjs, "scaling": 1 KB … 10 MB).
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
        let c = classify_at(
            &ErrorInput {
                status: 400,
                body: body.to_vec(),
                ..Default::default()
            },
            0,
        );
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
