//! The pacer against a simulated window rate limit, beside AIMD, the simpler rule it is
//! measured against: callers send back to back through one pacer to a server that serves
//! `limit` requests per fixed window and answers the others 429 with the seconds to the
//! window's end. Counted per run: requests served, and requests sent into the limit. The
//! figures are in `docs/performance.md` ("Pacing: CUBIC against AIMD");
//! `cargo test --lib pacer::simulation -- --nocapture` prints them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use alloc::vec::Vec;

/// How a rate is learnt.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Rule {
    /// This module's pacer: CUBIC, whole cycles for window limits.
    Cubic,
    /// Additive increase (+1 request/s per second without throttling), multiplicative decrease
    /// (halved on each throttling event); turns, the bucket and the held server wait as the
    /// pacer's, so only the rate rule differs.
    Aimd,
}

/// What a run gives.
#[derive(Debug, Default, Clone, Copy)]
struct Run {
    served: u32,
    into_the_limit: u32,
    /// Windows after the first (the first is sent before anything is learnt).
    into_the_limit_after_first: u32,
}

/// One run: `callers` back to back for `windows` windows of `window_ms`, `limit` per window,
/// `latency_ms` per answer.
fn simulate(
    rule: Rule,
    callers: usize,
    limit: u32,
    window_ms: u64,
    windows: u64,
    latency_ms: u64,
) -> Run {
    let mut pacer = Pacer::default();
    let mut aimd_rate = 0.0_f64;
    let end = window_ms * windows;
    // Each caller: when its next request is sent, or `None` while it waits for an answer.
    let mut next_send: Vec<u64> = (0..callers).map(|_| 0).collect();
    let mut answers: Vec<(u64, usize, bool, Option<u64>)> = Vec::new(); // (at, caller, throttled, wait)
    let mut served_in: Vec<u32> = alloc::vec![0; windows as usize + 1];
    let mut run = Run::default();
    let mut now = 0;
    let mut pending_turn: Vec<Option<u64>> = alloc::vec![None; callers];
    while now < end {
        // Answers arriving now.
        let (due, later): (Vec<_>, Vec<_>) = answers.iter().partition(|a| a.0 <= now);
        answers = later;
        for (_, caller, throttled, wait) in due {
            let t = now as f64;
            match rule {
                Rule::Cubic => pacer.record(throttled, wait, t),
                Rule::Aimd => {
                    let before = pacer;
                    pacer.record(throttled, wait, t); // keeps the turns' bookkeeping and the held wait
                    if throttled && t / 1000.0 >= before.paused_until {
                        aimd_rate = if aimd_rate == 0.0 {
                            pacer.fill_rate
                        } else {
                            aimd_rate * 0.5
                        };
                    } else if !throttled && pacer.enabled {
                        aimd_rate += latency_ms as f64 / 1000.0; // +1/s per second of answers
                    }
                    if pacer.enabled {
                        pacer.fill_rate = aimd_rate.max(0.5);
                        pacer.max_capacity = aimd_rate.max(1.0);
                        pacer.capacity = pacer.capacity.min(pacer.max_capacity);
                    }
                }
            }
            next_send[caller] = now;
        }
        for caller in 0..callers {
            if next_send[caller] != now {
                continue;
            }
            // A turn is taken once; when it comes, a server wait that came meanwhile holds it.
            let at = match pending_turn[caller] {
                Some(_) => now + pacer.held_ms(now as f64),
                None => now + pacer.turn(now as f64, u64::MAX).unwrap(),
            };
            if at > now {
                pending_turn[caller] = Some(at);
                next_send[caller] = at;
                continue;
            }
            pending_turn[caller] = None;
            next_send[caller] = u64::MAX;
            // The server, at the request's arrival.
            let w = (now / window_ms) as usize;
            if served_in[w] < limit {
                served_in[w] += 1;
                run.served += 1;
                answers.push((now + latency_ms, caller, false, None));
            } else {
                run.into_the_limit += 1;
                if w > 0 {
                    run.into_the_limit_after_first += 1;
                }
                let wait = (w as u64 + 1) * window_ms - now;
                answers.push((
                    now + latency_ms,
                    caller,
                    true,
                    Some(num::ceil(wait as f64 / 1000.0) as u64 * 1000),
                ));
            }
        }
        now += 1;
    }
    run
}

#[test]
fn cubic_learns_a_window_limit_better_than_aimd() {
    // 10 callers, 50 requests per 6 s window (a minute's limit at 1:10), 10 windows, 5 ms answers.
    let cubic = simulate(Rule::Cubic, 10, 50, 6_000, 10, 5);
    let aimd = simulate(Rule::Aimd, 10, 50, 6_000, 10, 5);
    std::println!("10 callers, 50 per 6 s window, 10 windows: CUBIC {cubic:?}; AIMD {aimd:?}");
    // Every window of the run is served full by CUBIC after the first, with at most one
    // request into the limit each.
    assert!(cubic.served >= 50 * 9, "{cubic:?}");
    assert!(cubic.into_the_limit_after_first <= 9, "{cubic:?}");
    assert!(
        cubic.into_the_limit_after_first <= aimd.into_the_limit_after_first
            || cubic.served > aimd.served,
        "CUBIC {cubic:?}, AIMD {aimd:?}"
    );
    // A faster limit, more callers.
    let cubic = simulate(Rule::Cubic, 25, 20, 1_000, 20, 5);
    let aimd = simulate(Rule::Aimd, 25, 20, 1_000, 20, 5);
    std::println!("25 callers, 20 per 1 s window, 20 windows: CUBIC {cubic:?}; AIMD {aimd:?}");
    assert!(cubic.served >= 20 * 18, "{cubic:?}");
    assert!(
        cubic.into_the_limit_after_first <= aimd.into_the_limit_after_first
            || cubic.served > aimd.served,
        "CUBIC {cubic:?}, AIMD {aimd:?}"
    );
}
