use super::*;
use crate::budget::BudgetOptions;
use crate::retry::RetryOptions;

fn seeded() -> RetryPolicy {
    RetryPolicy::new(RetryOptions {
        seed: Some(7),
        ..RetryOptions::default()
    })
    .unwrap()
}

fn call(method: &str) -> RetryCall {
    RetryCall::new(CallRequest {
        method: Some(method.to_string()),
        replayable: true,
        ..CallRequest::default()
    })
}

fn status(status: u16) -> Outcome<'static> {
    Outcome::Response {
        status,
        headers: &[],
        body: &[],
        vendor: None,
    }
}

/// One attempt judged without a `shouldRetry` answer.
fn step(call: &mut RetryCall, policy: &mut RetryPolicy, outcome: Outcome) -> CallDecision {
    answered(call, policy, None, outcome, 0, None)
}

/// One attempt judged, `elapsed` ms in, with the caller's answer.
fn answered(
    call: &mut RetryCall,
    policy: &mut RetryPolicy,
    budget: Option<&mut RetryBudget>,
    outcome: Outcome,
    elapsed: u64,
    answer: Option<bool>,
) -> CallDecision {
    let c = call.classify(outcome, 0);
    let deadline = outcome == Outcome::DeadlinePassed;
    call.step(policy, budget, &c, elapsed, deadline, answer)
}

fn tag(d: &CallDecision) -> &str {
    d.decision.reason.tag()
}

#[test]
fn counts_attempts_until_the_policy_stops() {
    let mut policy = seeded();
    let mut call = call("GET");
    let mut retries = 0;
    while step(&mut call, &mut policy, status(503)).decision.retry {
        retries += 1;
        assert!(retries < 10);
    }
    assert_eq!(retries, 3, "4 attempts in all by default");
    assert_eq!(call.attempt(), 4);
}

#[test]
fn reauthenticates_once_with_a_hook_and_never_without() {
    let mut policy = seeded();
    let mut with_hook = RetryCall::new(CallRequest {
        can_reauthenticate: true,
        replayable: true,
        ..CallRequest::default()
    });
    let first = step(&mut with_hook, &mut policy, status(401));
    assert!(first.reauthenticate && first.decision.retry);
    assert_eq!(first.decision.delay_ms, 0);
    let second = step(&mut with_hook, &mut policy, status(401));
    assert!(!second.reauthenticate && !second.decision.retry);
    let mut without = call("GET");
    let d = step(&mut without, &mut policy, status(401));
    assert!(!d.decision.retry && tag(&d) == "reauthenticate");
}

#[test]
fn a_409_after_an_ambiguous_failure_probably_went_through() {
    let mut policy = seeded();
    let mut put = call("PUT");
    assert!(step(&mut put, &mut policy, status(502)).decision.retry);
    let d = step(&mut put, &mut policy, status(409)).decision;
    assert!(!d.retry && d.earlier_attempt_may_have_succeeded);
    let mut fresh = call("PUT");
    let d = step(&mut fresh, &mut policy, status(409)).decision;
    assert!(!d.earlier_attempt_may_have_succeeded);
    // A 503 was not processed: a 409 after it is an ordinary conflict.
    let mut after_503 = call("PUT");
    assert!(
        step(&mut after_503, &mut policy, status(503))
            .decision
            .retry
    );
    let d = step(&mut after_503, &mut policy, status(409)).decision;
    assert!(!d.earlier_attempt_may_have_succeeded);
}

#[test]
fn a_post_is_not_sent_again_after_an_ambiguous_failure() {
    let mut policy = seeded();
    for outcome in [
        status(500),
        status(502),
        status(504),
        Outcome::Timeout(None),
        Outcome::ConnectionLost,
    ] {
        let d = step(&mut call("POST"), &mut policy, outcome);
        assert!(!d.decision.retry, "{outcome:?}");
        assert_eq!(tag(&d), "non-idempotent", "{outcome:?}");
    }
    for outcome in [
        status(503),
        status(429),
        status(408),
        status(425),
        Outcome::NotSent,
    ] {
        let d = step(&mut call("POST"), &mut policy, outcome);
        assert!(d.decision.retry, "{outcome:?}: {}", d.decision.reason);
    }
    let mut keyed = RetryCall::new(CallRequest {
        method: Some("POST".into()),
        idempotent: true,
        replayable: true,
        ..CallRequest::default()
    });
    assert!(step(&mut keyed, &mut policy, status(500)).decision.retry);
}

#[test]
fn a_busy_answer_after_an_ambiguous_failure_stops_a_post() {
    let mut policy = RetryPolicy::new(RetryOptions {
        seed: Some(7),
        non_idempotent: Some(crate::retry::NonIdempotent::Retry),
        ..RetryOptions::default()
    })
    .unwrap();
    let mut post = call("POST");
    let first = step(&mut post, &mut policy, status(500));
    assert!(first.decision.retry && first.decision.reason.contains("Warning: POST"));
    let busy = Outcome::Response {
        status: 400,
        headers: &[],
        body: br#"{"errorCode":"140","errorMessage":"Export Already in Progress"}"#,
        vendor: None,
    };
    let d = step(&mut post, &mut policy, busy);
    assert!(!d.decision.retry);
    assert_eq!(tag(&d), "busy-after-ambiguous");
    assert!(d.decision.earlier_attempt_may_have_succeeded);
    assert!(d.decision.reason.contains("read the job's state"));
    // Busy on the first attempt is an ordinary wait.
    let d = step(&mut call("POST"), &mut policy, busy);
    assert!(d.decision.retry && tag(&d) == "busy-schedule");
}

#[test]
fn should_retry_vetoes_and_allows_within_the_bounds() {
    let mut policy = seeded();
    let mut get = call("GET");
    let d = answered(&mut get, &mut policy, None, status(503), 0, Some(false));
    assert!(!d.decision.retry && tag(&d) == "caller-veto");

    let mut post = call("POST");
    let proposal = post.clone().step(
        &mut policy.clone(),
        None,
        &post.classify(status(500), 0),
        0,
        false,
        None,
    );
    assert!(!proposal.decision.retry);
    let d = answered(&mut post, &mut policy, None, status(500), 0, Some(true));
    assert!(d.decision.retry && tag(&d) == "caller-retry", "{d:?}");
    assert!(d.decision.reason.contains("non-idempotent"));
    assert_eq!(post.attempt(), 2);

    let mut conflict = call("POST");
    let d = answered(&mut conflict, &mut policy, None, status(409), 0, Some(true));
    assert!(!d.decision.retry && tag(&d) == "409-never");

    let mut last = call("GET");
    for _ in 0..3 {
        assert!(!step(&mut last, &mut policy, status(400)).decision.retry);
        last.attempt += 1; // as if earlier attempts had been retried
    }
    let d = answered(&mut last, &mut policy, None, status(400), 0, Some(true));
    assert!(!d.decision.retry && tag(&d) == "max-attempts", "{d:?}");

    let mut late = call("GET");
    let d = answered(
        &mut late,
        &mut policy,
        None,
        status(400),
        299_999,
        Some(true),
    );
    assert!(
        !d.decision.retry && d.decision.reason.contains("deadline"),
        "{d:?}"
    );
}

#[test]
fn a_stream_body_is_sent_once_whatever_the_caller_says() {
    let mut policy = seeded();
    let mut stream = RetryCall::new(CallRequest {
        method: Some("PUT".into()),
        ..CallRequest::default()
    });
    let proposal = stream.clone().step(
        &mut policy.clone(),
        None,
        &stream.classify(status(503), 0),
        0,
        false,
        None,
    );
    assert!(!proposal.decision.retry);
    let d = answered(&mut stream, &mut policy, None, status(503), 0, Some(true));
    assert!(!d.decision.retry && tag(&d) == "stream-body", "{d:?}");
}

#[test]
fn a_response_the_client_ends_the_call_with_is_a_stop_that_takes_no_tokens() {
    let mut policy = seeded();
    let mut budget = RetryBudget::new(BudgetOptions::default()).unwrap();
    let before = budget.available();
    let mut get = call("GET");
    let c = get.classify(status(503), 0);
    let d = get.step(
        &mut policy,
        Some(&mut budget),
        &c,
        0,
        false,
        Answer::ClientEnds,
    );
    assert!(!d.decision.retry && tag(&d) == "client-final", "{d:?}");
    assert!(d.decision.reason.text().ends_with(
        "the policy said: 5xx-backoff: HTTP 503 is a server failure; retrying after 695 ms \
         (exponential backoff, equal jitter), attempt 2 of 4."
    ));
    assert_eq!(budget.available(), before, "no tokens taken");
    // A stop stays the policy's own stop.
    let mut post = call("POST");
    let c = post.classify(status(500), 0);
    let d = post.step(&mut policy, None, &c, 0, false, Answer::ClientEnds);
    assert_eq!(tag(&d), "non-idempotent");
}

#[test]
fn outcomes_without_a_response_say_what_happened() {
    let mut policy = seeded();
    let mut get = call("GET");
    let c = get.classify(Outcome::Timeout(Some(100)), 0);
    let d = get.step(&mut policy, None, &c, 0, false, None);
    assert_eq!(
        (c.status, c.category, c.processed),
        (0, Category::Timeout, Processed::Maybe)
    );
    assert!(d.decision.retry);
    let c = call("GET").classify(Outcome::NotSent, 0);
    assert_eq!(
        (c.category, c.processed),
        (Category::Network, Processed::No)
    );
    let mut late = call("GET");
    let c = late.classify(Outcome::DeadlinePassed, 0);
    assert_eq!(c.category, Category::Timeout);
    let d = late.clone().step(&mut policy, None, &c, 0, true, None);
    assert!(!d.decision.retry && tag(&d) == "deadline");
    let d = late.step(&mut policy, None, &c, 0, true, Some(true));
    assert!(!d.decision.retry, "the deadline is not overruled");
}

#[test]
fn the_budget_bounds_retries_and_refunds_the_last_lease_on_success() {
    let mut policy = seeded();
    let mut budget = RetryBudget::new(BudgetOptions {
        capacity: Some(10),
        ..Default::default()
    })
    .unwrap();
    let mut get = call("GET");
    for _ in 0..2 {
        assert!(
            answered(
                &mut get,
                &mut policy,
                Some(&mut budget),
                status(500),
                0,
                None
            )
            .decision
            .retry
        );
    }
    assert_eq!(budget.available(), 0);
    let d = answered(
        &mut get,
        &mut policy,
        Some(&mut budget),
        status(500),
        0,
        None,
    );
    assert!(!d.decision.retry && tag(&d) == "budget");
    get.finish(Some(&mut budget), true);
    assert_eq!(budget.available(), 5, "the last retry's 5 tokens come back");
    get.finish(Some(&mut budget), true);
    assert!(budget.available() <= 10);
    // An allowed override is a retry like any other: it pays.
    let before = budget.available();
    let mut post = call("POST");
    let d = answered(
        &mut post,
        &mut policy,
        Some(&mut budget),
        status(500),
        0,
        Some(true),
    );
    assert!(d.decision.retry);
    assert_eq!(budget.available(), before - 5);
}
