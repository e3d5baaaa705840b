//! The operations, called as the JS layer calls them: encoded input in, words out.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::args::Encoder;
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
    let input = |wait: f64| {
        let mut w = InputWriter::default();
        w.call(&call).policy(&policy).f64(wait).f64(0.0);
        w.bytes
    };
    let waits = admit(&input(2_000.0));
    let (status, payload) = words(&waits);
    assert_eq!((status, payload[0], payload[1]), (0, 2_000, 0));
    let refused = admit(&input(60_001.0));
    let (status, payload) = words(&refused);
    assert_eq!(status, 1);
    assert_eq!(Error::CODES[payload[0] as usize], "ERR_SERVER_WAIT");
}
