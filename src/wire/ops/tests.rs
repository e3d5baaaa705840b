//! The operations, called as the JS layer calls them: encoded input in, words out.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::args::Encoder;
use crate::model::Classification;
use crate::wire::InputWriter;

/// The status word and the payload words of a result.
fn words(out: &Out) -> (u32, &[u32]) {
    (out.words[2], &out.words[3..])
}

#[test]
fn classify_reads_the_encoded_input() {
    let mut e = Encoder::default();
    e.object(2)
        .key("status")
        .number(409.0)
        .key("vendor")
        .string("atlassian");
    let mut w = InputWriter::default();
    w.f64(0.0).raw(&e.out);
    let out = classify(&w.bytes);
    let (status, payload) = words(&out);
    assert_eq!(status, 0);
    assert_eq!(payload[0], 0, "vendor index of atlassian");
    assert_eq!(payload[1], 409);
}

/// The end of the reason record at `at` (rule, message, params, nested reasons).
fn reason_end(payload: &[u32], at: usize) -> usize {
    let mut i = at + 2;
    if payload[at + 1] == u32::MAX {
        i += 2; // its text
    }
    let params = payload[i] as usize;
    i += 1;
    for _ in 0..params {
        let kind = payload[i + 1];
        i += 4;
        if kind == 3 {
            i = reason_end(payload, i);
        }
    }
    i
}

/// The decision record at the start of `payload`: retry, delay, attempt, flag and the
/// message's index; and the words after it (past the rule, the message and the params).
fn decision(payload: &[u32]) -> ((bool, u64, u32, bool, u32), &[u32]) {
    let d = (
        payload[0] != 0,
        u64::from(payload[1]) | u64::from(payload[2]) << 32,
        payload[3],
        payload[4] != 0,
        payload[6],
    );
    (d, &payload[reason_end(payload, 5)..])
}

/// The rule and the params' names of the decision record at the start of `payload`.
fn rule_and_params(payload: &[u32]) -> (&'static str, Vec<&'static str>) {
    use crate::reason::{Param, Rule};
    let mut names = Vec::new();
    let mut i = 8;
    for _ in 0..payload[7] as usize {
        names.push(Param::ALL[payload[i] as usize].name());
        let kind = payload[i + 1];
        i += 4;
        if kind == 3 {
            i = reason_end(payload, i);
        }
    }
    (Rule::ALL[payload[5] as usize].name(), names)
}

/// Classifications of several kinds, as the core makes them.
fn classifications() -> Vec<Classification> {
    let input = |status: u16, headers: &[(&str, &str)], body: &str, vendor: Option<Vendor>| {
        crate::classify(&crate::model::ErrorInput {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                .collect(),
            body: body.as_bytes().to_vec(),
            vendor,
            method: None,
        })
    };
    vec![
        input(503, &[("retry-after", "3")], "", None),
        input(500, &[], "", None),
        input(429, &[("retry-after", "120")], "", None),
        input(409, &[], r#"{"errorCode":4002,"message":"locked"}"#, None),
        input(
            520,
            &[],
            r#"{"errors":[{"code":"500","type":"retryableError","message":"busy"}]}"#,
            Some(Vendor::Veeam),
        ),
        input(401, &[], "", None),
        input(
            404,
            &[],
            r#"{"code":"127","message":"x"}"#,
            Some(Vendor::Atlassian),
        ),
        input(0, &[], "", None),
    ]
}

#[test]
fn decide_through_the_wire_agrees_with_the_core() {
    let last = Last::new();
    for c in classifications() {
        for method in [None, Some("GET"), Some("POST")] {
            for attempt in 1..=4u32 {
                for flags in 0..4u32 {
                    let mut core = RetryPolicy::new(RetryOptions {
                        seed: Some(7),
                        ..RetryOptions::default()
                    })
                    .unwrap();
                    let mut w = InputWriter::default();
                    w.policy(&core)
                        .classification(&c)
                        .f64(f64::from(attempt))
                        .f64(250.0);
                    match method {
                        Some(m) => w.u32(2).text(m),
                        None => w.u32(0),
                    };
                    w.u32(flags);
                    let out = decide(&w.bytes, &last);
                    let (status, payload) = words(&out);
                    assert_eq!(status, 0, "{c:?}");
                    let ctx = DecisionContext {
                        attempt,
                        elapsed_ms: 250,
                        method: method.map(str::to_string),
                        earlier_ambiguous_failure: flags & 1 != 0,
                        idempotent: flags & 2 != 0,
                    };
                    let want = core.decide(&c, &ctx);
                    let (got, state) = decision(payload);
                    let names: Vec<_> =
                        want.reason.params().iter().map(|(p, _)| p.name()).collect();
                    assert_eq!(rule_and_params(payload), (want.reason.tag(), names));
                    assert_eq!(
                        got,
                        (
                            want.retry,
                            want.delay_ms,
                            want.attempt,
                            want.earlier_attempt_may_have_succeeded,
                            want.reason.message().map_or(u32::MAX, |m| {
                                crate::reason::Message::ALL
                                    .iter()
                                    .position(|x| *x == m)
                                    .map_or(u32::MAX, |i| i as u32)
                            })
                        ),
                        "{:?} {method:?} attempt {attempt} flags {flags}: {}",
                        c.status,
                        want.reason.text()
                    );
                    let (rng, prev) = core.state();
                    assert_eq!(u64::from(state[0]) | u64::from(state[1]) << 32, rng);
                    assert_eq!(state[2] != 0, prev.is_some());
                }
            }
        }
    }
}

#[test]
fn a_classification_sent_as_the_same_again_decides_alike() {
    let last = Last::new();
    let policy = RetryPolicy::new(RetryOptions {
        seed: Some(1),
        ..RetryOptions::default()
    })
    .unwrap();
    let c = &classifications()[4];
    let mut full = InputWriter::default();
    full.policy(&policy)
        .classification(c)
        .f64(2.0)
        .f64(0.0)
        .u32(0)
        .u32(0);
    let first = decide(&full.bytes, &last);
    // The same block with code and summary as "the same as last" (mode 1).
    let mut same = InputWriter::default();
    same.policy(&policy);
    let header_end = same.bytes.len();
    same.classification(c);
    let block = same.bytes.split_off(header_end);
    // vendor status category action processed wait(f64) items = 6 words + 8 bytes + 4 bytes
    let fixed = 4 + 5 * 4 + 8 + 4;
    same.raw(&block[..fixed])
        .u32(1)
        .u32(1)
        .f64(2.0)
        .f64(0.0)
        .u32(0)
        .u32(0);
    let again = decide(&same.bytes, &last);
    assert_eq!(words(&first), words(&again));
}

#[test]
fn every_cut_of_a_valid_input_is_an_error_never_a_panic() {
    let last = Last::new();
    let policy = RetryPolicy::new(RetryOptions::default()).unwrap();
    let c = &classifications()[3];
    let mut d = InputWriter::default();
    d.policy(&policy)
        .classification(c)
        .f64(1.0)
        .f64(0.0)
        .u32(2)
        .text("POST")
        .u32(0);
    let mut e = Encoder::default();
    e.object(3)
        .key("status")
        .number(503.0)
        .key("headers")
        .object(1)
        .key("retry-after")
        .string("2")
        .key("body")
        .string(r#"{"message":"x"}"#);
    let mut k = InputWriter::default();
    k.f64(0.0).raw(&e.out);
    let mut s = InputWriter::default();
    let slots = crate::wire::slots::PolicySlots::new();
    s.call(&crate::call::RetryCall::new(
        crate::call::CallRequest::default(),
    ))
    .kept(&slots, &policy)
    .budget(Some(&RetryBudget::new(BudgetOptions::default()).unwrap()))
    .classification(c)
    .f64(10.0)
    .u32(0)
    .u32(0);
    type Op<'l> = Box<dyn Fn(&[u8]) -> Out + 'l>;
    let ops: Vec<(&str, Vec<u8>, Op)> = vec![
        ("decide", d.bytes.clone(), Box::new(|b| decide(b, &last))),
        ("classify", k.bytes.clone(), Box::new(classify)),
        (
            "step",
            s.bytes.clone(),
            Box::new(|b| step(b, &last, &slots)),
        ),
    ];
    for (name, bytes, op) in &ops {
        assert_eq!(words(&op(bytes)).0, 0, "{name}: the whole input is valid");
        for cut in 0..bytes.len() {
            let out = op(&bytes[..cut]);
            assert_eq!(words(&out).0, 1, "{name} cut at {cut} of {}", bytes.len());
        }
    }
}

#[test]
fn a_call_step_charges_and_finish_refunds_the_budget_as_the_core_does() {
    let last = Last::new();
    let policy = RetryPolicy::new(RetryOptions {
        seed: Some(3),
        ..RetryOptions::default()
    })
    .unwrap();
    let mut budget = RetryBudget::new(BudgetOptions {
        capacity: Some(20),
        retry_cost: Some(5),
        ..BudgetOptions::default()
    })
    .unwrap();
    let c = &classifications()[1]; // a 500
    let request = crate::call::CallRequest {
        method: Some("GET".to_string()),
        replayable: true,
        ..crate::call::CallRequest::default()
    };
    let call = crate::call::RetryCall::new(request);
    let slots = crate::wire::slots::PolicySlots::new();
    let mut w = InputWriter::default();
    w.call(&call)
        .kept(&slots, &policy)
        .budget(Some(&budget))
        .classification(c)
        .f64(5.0)
        .u32(0)
        .u32(0);
    let out = step(&w.bytes, &last, &slots);
    // Its slot taken by other policies, the same input is answered "not kept" (status 2).
    let other = crate::wire::policy_words(&RetryPolicy::default());
    for _ in 0..crate::wire::slots::POLICY_SLOTS {
        slots.keep(&other);
    }
    assert_eq!(words(&step(&w.bytes, &last, &slots)).0, 2);
    let (status, payload) = words(&out);
    assert_eq!(status, 0);
    let ((retry, ..), rest) = decision(payload);
    let mut core_call = call.clone();
    let mut core_policy = policy.clone();
    let want = core_call.step(&mut core_policy, Some(&mut budget), c, 5, false, None);
    assert!(retry && want.decision.retry, "a GET 500 is retried");
    // rest: reauthenticate, four call words, the policy state (five words), budget tokens.
    assert_eq!(rest[10], budget.available(), "tokens after the retry");
    assert_eq!(budget.available(), 15, "a retry costs retryCost");
    // The call succeeds: finish with the call's new words.
    let mut f = InputWriter::default();
    f.call(&core_call).budget(Some(&budget)).u32(1);
    let out = finish(&f.bytes);
    let (status, payload) = words(&out);
    assert_eq!(status, 0);
    core_call.finish(Some(&mut budget), true);
    assert_eq!(payload[0], budget.available());
}

#[test]
fn coordinator_reads_its_options_and_writes_the_shared_budget() {
    let mut e = Encoder::default();
    e.object(2)
        .key("namespace")
        .string("veeam-prod")
        .key("budget")
        .object(2)
        .key("capacity")
        .number(10.0)
        .key("retryCost")
        .number(5.0);
    let out = coordinator(&e.out);
    let (status, payload) = words(&out);
    assert_eq!(status, 0);
    // Two texts (start, end offsets), timeoutMs, budgetTtlMs (two words), the budget.
    assert_eq!(&out.text, "veeam-prodbackup-errors");
    assert_eq!(payload[4], crate::fleet::DEFAULT_TIMEOUT_MS);
    assert_eq!(&payload[7..12], &[10, 5, 10, 1, 10]);
    let mut e = Encoder::default();
    e.object(1).key("namespace").number(1.0);
    let refused = coordinator(&e.out);
    let (status, payload) = words(&refused);
    assert_eq!(status, 1);
    let code = Error::CODES[payload[0] as usize];
    assert_eq!(code, "ERR_INVALID_OPTION");
}

#[test]
fn admit_waits_the_namespace_wait_or_refuses_with_server_wait() {
    let call = crate::call::RetryCall::new(crate::call::CallRequest::default());
    let policy = RetryPolicy::new(RetryOptions::default()).unwrap();
    let slots = crate::wire::slots::PolicySlots::new();
    let input = |wait: f64| {
        let mut w = InputWriter::default();
        w.call(&call).kept(&slots, &policy).f64(wait).f64(0.0);
        w.bytes
    };
    let admit = |b: &[u8]| admit(b, &slots);
    let waits = admit(&input(2_000.0));
    let (status, payload) = words(&waits);
    assert_eq!((status, payload[0], payload[1]), (0, 2_000, 0));
    let refused = admit(&input(60_001.0));
    let (status, payload) = words(&refused);
    assert_eq!(status, 1);
    assert_eq!(Error::CODES[payload[0] as usize], "ERR_SERVER_WAIT");
}
