//! The pacer, driven by answers and a clock the test moves.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;

/// A pacer that has seen `n` answers a second for `seconds`, then one throttling answer.
fn throttled_at(rate: f64, seconds: f64) -> (Pacer, f64) {
    let mut p = Pacer::default();
    let mut t = 1000.0;
    let step = 1000.0 / rate;
    while t < 1000.0 + seconds * 1000.0 {
        assert_eq!(p.turn(t, 60_000), Ok(0), "no delay before throttling");
        p.record(false, None, t);
        t += step;
    }
    p.record(true, None, t);
    (p, t)
}

#[test]
fn adds_no_delay_until_throttling_is_seen() {
    let mut p = Pacer::default();
    for k in 0..1000 {
        assert_eq!(p.turn(f64::from(k), 1), Ok(0));
        p.record(false, None, f64::from(k));
    }
    assert!(!p.enabled);
}

#[test]
fn after_throttling_turns_are_spaced_at_beta_times_the_measured_rate() {
    let (mut p, t) = throttled_at(10.0, 5.0);
    assert!(p.enabled);
    assert!((p.fill_rate - 7.0).abs() < 0.8, "{}", p.fill_rate);
    // Twenty calls arrive at once: each gets the next slot.
    let waits: alloc::vec::Vec<u64> = (0..20).map(|_| p.turn(t, 60_000).unwrap()).collect();
    assert!(waits.windows(2).all(|w| w[1] >= w[0]), "{waits:?}");
    let spacing = (waits[19] - waits[10]) as f64 / 9.0;
    assert!(
        (spacing - 1000.0 / p.fill_rate).abs() < 2.0,
        "{spacing} {waits:?}"
    );
}

#[test]
fn a_turn_further_away_than_the_limit_is_not_taken() {
    let (mut p, t) = throttled_at(2.0, 5.0);
    let mut waits = alloc::vec::Vec::new();
    loop {
        match p.turn(t, 3_000) {
            Ok(w) => waits.push(w),
            Err(w) => {
                assert!(w > 3_000);
                break;
            }
        }
    }
    let before = p;
    assert_eq!(p.turn(t, 3_000).map_err(|w| w > 3_000), Err(true));
    assert_eq!(p, before, "a refused turn reserves nothing");
}

#[test]
fn the_rate_grows_back_after_throttling_but_not_past_twice_the_measured_rate() {
    let (mut p, mut t) = throttled_at(10.0, 5.0);
    let after_throttle = p.fill_rate;
    for _ in 0..200 {
        let wait = p.turn(t, 60_000).unwrap();
        t += wait as f64;
        p.record(false, None, t);
        t += 10.0;
    }
    assert!(
        p.fill_rate > after_throttle,
        "{} > {after_throttle}",
        p.fill_rate
    );
    assert!(p.fill_rate <= 2.0 * p.measured_rate + 1e-9);
}

#[test]
fn a_server_wait_is_not_counted_as_sending_slowly() {
    let (mut waited, t) = throttled_at(10.0, 5.0);
    let mut idle = waited;
    waited.record(true, Some(6_000), t);
    idle.record(true, None, t);
    // Nothing is sent for 6 s; then answers come at the paced rate again.
    let after = t + 6_000.0;
    waited.record(false, None, after);
    idle.record(false, None, after);
    assert!(
        waited.measured_rate > idle.measured_rate,
        "{} > {}",
        waited.measured_rate,
        idle.measured_rate
    );
}

#[test]
fn words_round_trip_and_bad_numbers_read_as_fresh() {
    let (p, _) = throttled_at(10.0, 2.0);
    assert_eq!(Pacer::from_words(p.words()), p);
    let mut w = p.words();
    w[1] = f64::NAN;
    assert_eq!(Pacer::from_words(w).fill_rate, 0.0);
}

#[test]
fn what_is_throttling() {
    let c = |status: u16, headers: &[(&str, &str)]| {
        crate::classify_at(
            &crate::model::ErrorInput {
                status,
                headers: headers
                    .iter()
                    .map(|(n, v)| (n.to_string(), v.to_string()))
                    .collect(),
                ..Default::default()
            },
            0,
        )
    };
    assert!(is_throttling(&c(429, &[])));
    assert!(is_throttling(&c(503, &[("retry-after", "2")])));
    assert!(!is_throttling(&c(503, &[])));
    assert!(!is_throttling(&c(500, &[])));
    assert!(!is_throttling(&c(409, &[])));
}

#[test]
fn no_turn_before_the_server_wait_ends_and_one_throttling_cuts_the_rate_once() {
    let (mut p, t) = throttled_at(10.0, 5.0);
    p.record(false, None, t + 2_000.0);
    p.record(true, Some(3_000), t + 2_100.0);
    let cut = p.fill_rate;
    // Answers of the same throttling, sent before its wait was known.
    p.record(true, Some(3_000), t + 2_150.0);
    p.record(true, Some(2_000), t + 2_200.0);
    assert_eq!(p.fill_rate, cut);
    assert!(
        p.turn(t + 2_300.0, 60_000).unwrap() >= 2_800,
        "the wait holds every turn"
    );
}

#[test]
fn a_window_limit_is_learnt_from_whole_cycles() {
    // 50 answers in 5 s, then a 429 that says: wait 55 s (the window is a minute).
    let mut fresh = Pacer::default();
    let mut at = 1000.0;
    for _ in 0..50 {
        fresh.record(false, None, at);
        at += 100.0;
    }
    fresh.record(true, Some(55_000), at);
    assert!(
        fresh.fill_rate < 1.0,
        "about 50 a minute: {}",
        fresh.fill_rate
    );
    assert!(fresh.fill_rate >= 0.5, "{}", fresh.fill_rate);
    // Without a wait, the cycle says nothing: the measured rate decides.
    let (p, _) = throttled_at(10.0, 5.0);
    assert!(p.fill_rate > 5.0, "{}", p.fill_rate);
}
