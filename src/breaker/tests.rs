//! The breaker's state machine, driven by outcomes and a clock the test moves.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::model::ErrorInput;

fn options(threshold: u32, open_ms: u64, probes: u32) -> BreakerOptions {
    BreakerOptions {
        failure_threshold: threshold,
        open_ms,
        half_open_probes: probes,
    }
}

fn health(status: u16, body: &str) -> Health {
    Health::of(&crate::classify_at(
        &ErrorInput {
            status,
            body: body.as_bytes().to_vec(),
            ..ErrorInput::default()
        },
        0,
    ))
}

#[test]
fn what_counts_as_unhealthy() {
    for status in [0, 500, 502, 503, 504, 520] {
        assert_eq!(health(status, ""), Health::Unhealthy, "{status}");
    }
    // Answers of a working service: successes, 4xx, 409, throttling, a busy resource, and
    // a 5xx its vendor documents as a refusal (Huawei CSBS.8009, no system disk).
    for (status, body) in [
        (200, ""),
        (400, ""),
        (401, ""),
        (404, ""),
        (409, ""),
        (429, ""),
        (
            520,
            r#"{"errors":[{"message":"busy","type":"retryablelogical","code":4002}]}"#,
        ),
        (
            500,
            r#"{"error_code":"CSBS.8009","error_msg":"no system disk"}"#,
        ),
        (501, ""),
    ] {
        assert_eq!(health(status, body), Health::Healthy, "{status} {body}");
    }
}

#[test]
fn opens_after_the_threshold_in_a_row_and_a_healthy_answer_resets_the_count() {
    let o = options(3, 1000, 1);
    let mut b = Breaker::default();
    for _ in 0..2 {
        assert_eq!(b.record(&o, Health::Unhealthy, false, 10), None);
    }
    assert_eq!(b.record(&o, Health::Healthy, false, 11), None);
    assert_eq!(b.count, 0);
    assert_eq!(b.record(&o, Health::Unhealthy, false, 12), None);
    assert_eq!(b.record(&o, Health::Unhealthy, false, 13), None);
    let change = b.record(&o, Health::Unhealthy, false, 14).unwrap();
    assert_eq!(
        (change.from, change.to, change.reason),
        (
            BreakerState::Closed,
            BreakerState::Open,
            ChangeReason::FailureThreshold
        )
    );
    assert_eq!(
        b.admit(&o, 500),
        (
            Admission::Refuse {
                retry_after_ms: 514
            },
            None
        )
    );
}

#[test]
fn half_opens_after_open_ms_with_one_probe_at_a_time_and_closes_after_its_probes() {
    let o = options(1, 1000, 2);
    let mut b = Breaker::default();
    b.record(&o, Health::Unhealthy, false, 0);
    let (admission, change) = b.admit(&o, 1000);
    assert_eq!(admission, Admission::Send { probe: true });
    assert_eq!(change.unwrap().to, BreakerState::HalfOpen);
    // The probe is out: others wait for it (at most openMs).
    assert_eq!(
        b.admit(&o, 1200).0,
        Admission::Refuse {
            retry_after_ms: 800
        }
    );
    assert_eq!(b.record(&o, Health::Healthy, true, 1300), None);
    assert_eq!(b.state, BreakerState::HalfOpen);
    assert_eq!(b.admit(&o, 1301).0, Admission::Send { probe: true });
    let closed = b.record(&o, Health::Healthy, true, 1400).unwrap();
    assert_eq!(
        (closed.from, closed.to),
        (BreakerState::HalfOpen, BreakerState::Closed)
    );
    assert_eq!(b, Breaker::default());
}

#[test]
fn a_failed_probe_opens_it_again_and_a_lost_probe_gives_its_turn_away() {
    let o = options(1, 1000, 1);
    let mut b = Breaker::default();
    b.record(&o, Health::Unhealthy, false, 0);
    b.admit(&o, 1000);
    let reopened = b.record(&o, Health::Unhealthy, true, 1100).unwrap();
    assert_eq!(reopened.reason, ChangeReason::ProbeFailed);
    assert_eq!(
        b.admit(&o, 1500).0,
        Admission::Refuse {
            retry_after_ms: 600
        }
    );
    // Half-open again; the probe's call is abandoned: the next call probes at once.
    b.admit(&o, 2100);
    assert_eq!(b.record(&o, Health::Unknown, true, 2150), None);
    assert_eq!(b.admit(&o, 2151).0, Admission::Send { probe: true });
    // This probe never reports: after openMs the next call gets the turn.
    assert!(matches!(b.admit(&o, 3000).0, Admission::Refuse { .. }));
    assert_eq!(b.admit(&o, 3151).0, Admission::Send { probe: true });
}

#[test]
fn late_outcomes_of_calls_sent_before_it_opened_change_nothing() {
    let o = options(1, 1000, 1);
    let mut b = Breaker::default();
    b.record(&o, Health::Unhealthy, false, 0);
    let open = b;
    assert_eq!(b.record(&o, Health::Healthy, false, 5), None);
    assert_eq!(b.record(&o, Health::Unhealthy, false, 6), None);
    assert_eq!(b, open);
}

#[test]
fn the_wire_numbers_are_the_declaration_order() {
    // The module writes states, reasons and healths as `value as u32`; JS reads them by
    // index in the lists generated from `ALL` (layout.js).
    for (i, s) in BreakerState::ALL.iter().enumerate() {
        assert_eq!(*s as usize, i);
    }
    for (i, r) in ChangeReason::ALL.iter().enumerate() {
        assert_eq!(*r as usize, i);
    }
    for (i, h) in crate::wire::layout::HEALTH.iter().enumerate() {
        assert_eq!(crate::wire::layout::health_number(*h) as usize, i + 1);
    }
}

#[test]
fn words_round_trip() {
    let o = options(1, 1000, 1);
    let mut b = Breaker::default();
    assert_eq!(Breaker::from_words(b.words()), b);
    b.record(&o, Health::Unhealthy, false, 1 << 40);
    assert_eq!(Breaker::from_words(b.words()), b);
    assert_eq!(
        Breaker::from_words([7, 0, 0, 0]).state,
        BreakerState::Closed
    );
}
