//! A workload for `npm run bench`'s instruction counts: runs one operation N times, natively,
//! so `valgrind --tool=callgrind` can count the instructions it takes. Unlike wall-clock time
//! on a shared VM, the count does not move with the machine's load, so small changes to the
//! hot paths show up.
//!
//! ```text
//! cargo run --release --example instructions -- <workloads.json> <name> <iterations>
//! ```
//!
//! `workloads.json` (written by bench/run.mjs) maps names to workloads:
//!
//! * `{ "kind": "classify", "status": 409, "headers": [["name", "value"]], "body": "…" }` —
//!   the core's `classify_at` on an `ErrorInput`;
//! * `{ "kind": "parse", "body": "…" }` — the JSON reader;
//! * `{ "kind": "decide", "status": 503 }` — the core's `RetryPolicy::decide` on that
//!   status's classification, attempts 1, 2, 3 in turn; `"decide-response"` the same with
//!   `headers` and `body` (a kind of its own: older versions of this example read only the
//!   status for `"decide"`);
//! * `{ "kind": "wire-classify", … }` and `{ "kind": "wire-decide", … }` — the same work as
//!   the wasm module does it for the JS layer: the operations of `wire::ops`, on input bytes
//!   encoded as pkg-template/ encodes them (`classify`: `Date.now()` then the input object with
//!   its five fields, the body as bytes; `decide`: the policy block, a classification block
//!   whose code and summary are "the same as last time" after the first call, attempt,
//!   elapsedMs, no method, no flags), result words included;
//! * `{ "kind": "wire-decide-at", … }` — the same decisions by the route the package takes
//!   since policies are kept in the module (`wire::ops::decide_at`): the policy stored once in
//!   a `PolicySlots`, then each call its slot, stamp and state words, the classification's
//!   fields as a `Meaning`, attempt, elapsedMs and flags as numbers, and as input bytes only
//!   the texts sent in full (code and summary on the first call, "the same as last time"
//!   after), as pkg-template/core.js `decideAt` sends them.
//!
//! An unknown kind exits with status 3, so the bench can tell "this checkout does not have
//! that operation" (an older commit) from a failure.

use backup_errors::args::Encoder;
use backup_errors::wire::out::Out;
use backup_errors::wire::slots::PolicySlots;
use backup_errors::wire::{ops, policy_words, InputWriter, Last, Meaning};
use backup_errors::{
    classify_at, Action, Category, Classification, DecisionContext, ErrorInput, Processed,
    RetryOptions, RetryPolicy, Vendor,
};
use std::hint::black_box;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [file, name, iterations] = args.as_slice() else {
        eprintln!("usage: instructions <workloads.json> <name> <iterations>");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("{file}: {e}");
            return ExitCode::from(2);
        }
    };
    let Some(work) = backup_errors::json::parse(&text).and_then(|all| all.get(name).cloned())
    else {
        eprintln!("{file}: no workload {name}");
        return ExitCode::from(2);
    };
    let n: u32 = iterations.parse().unwrap_or(0);
    let status = work["status"].as_u64().unwrap_or(0) as u16;
    let body = work["body"].as_str().unwrap_or_default();
    let headers: Vec<(String, String)> = work["headers"]
        .as_array()
        .map(|pairs| {
            pairs
                .iter()
                .filter_map(|p| {
                    let p = p.as_array()?;
                    Some((
                        p.first()?.as_str()?.to_string(),
                        p.get(1)?.as_str()?.to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let input = ErrorInput {
        status,
        headers: headers.clone(),
        body: body.as_bytes().to_vec(),
        ..Default::default()
    };
    let Ok(mut policy) = RetryPolicy::new(RetryOptions {
        seed: Some(1),
        ..Default::default()
    }) else {
        return ExitCode::from(2);
    };
    match work["kind"].as_str() {
        Some("classify") => {
            for _ in 0..n {
                black_box(classify_at(black_box(&input), 0));
            }
        }
        Some("parse") => {
            for _ in 0..n {
                black_box(backup_errors::json::parse(black_box(body)));
            }
        }
        Some("decide" | "decide-response") => {
            let c = classify_at(&input, 0);
            for i in 0..n {
                let context = DecisionContext::new(1 + i % 3, 0);
                black_box(policy.decide(black_box(&c), &context));
            }
        }
        Some("wire-classify") => {
            let bytes = classify_input(status, &headers, body);
            if let Some(code) = refused(&ops::classify(&bytes)) {
                return code;
            }
            for _ in 0..n {
                black_box(ops::classify(black_box(&bytes)));
            }
        }
        Some("wire-decide") => {
            let c = classify_at(&input, 0);
            let last = Last::new();
            // The first call sends the texts, the next ones "the same" (as a loop deciding
            // one classification does); its cost is counted once in both N and 2N runs.
            if let Some(code) = refused(&ops::decide(&decide_input(&policy, &c, 1, true), &last)) {
                return code;
            }
            let inputs: Vec<Vec<u8>> = (1..=3)
                .map(|attempt| decide_input(&policy, &c, attempt, false))
                .collect();
            for i in 0..n {
                black_box(ops::decide(black_box(&inputs[i as usize % 3]), &last));
            }
        }
        Some("wire-decide-at") => {
            let c = classify_at(&input, 0);
            let last = Last::new();
            let slots = Box::new(PolicySlots::new());
            let block = policy_words(&policy);
            let (slot, stamp) = slots.keep(&block);
            let mut state = [0; 5];
            state.copy_from_slice(&block[24..]);
            let at = |attempt: u32, texts: bool| {
                decide_at_numbers(slot, stamp, state, &c, attempt, texts)
            };
            // The first call sends the texts, the next ones "the same" (counted once in both
            // the N and 2N runs); it must decide as the old route does.
            let (bytes, first) = at(1, true);
            let Some(out) = ops::decide_at(&bytes, &first, &slots, &last) else {
                eprintln!("decide_at found no policy in the slot it was kept in");
                return ExitCode::from(2);
            };
            if let Some(code) = refused(&out) {
                return code;
            }
            let old = ops::decide(&decide_input(&policy, &c, 1, true), &Last::new());
            if out.words.get(2..8) != old.words.get(2..8) {
                eprintln!(
                    "decide_at decided otherwise than decide: {:?} / {:?}",
                    out.words.get(2..8),
                    old.words.get(2..8)
                );
                return ExitCode::from(2);
            }
            let calls: Vec<ops::DecideAt> = (1..=3).map(|attempt| at(attempt, false).1).collect();
            for i in 0..n {
                black_box(ops::decide_at(
                    &[],
                    black_box(&calls[i as usize % 3]),
                    &slots,
                    &last,
                ));
            }
        }
        _ => {
            eprintln!("{name}: unknown kind");
            return ExitCode::from(3);
        }
    }
    ExitCode::SUCCESS
}

/// An error result (status word not 0): the input is not what the module reads, and counting
/// it would count an error path.
fn refused(out: &Out) -> Option<ExitCode> {
    if out.words.get(2) == Some(&0) {
        return None;
    }
    eprintln!("the operation answered with an error: {}", out.text);
    Some(ExitCode::from(2))
}

/// The input of `classify` as pkg-template/classification.js writes it: `Date.now()`, then an
/// object of five fields — status, headers (an object of strings), vendor and method
/// (undefined), body (bytes, last).
fn classify_input(status: u16, headers: &[(String, String)], body: &str) -> Vec<u8> {
    let mut e = Encoder::default();
    e.object(5).key("status").number(f64::from(status));
    e.key("headers").object(headers.len());
    for (name, value) in headers {
        e.key(name).string(value);
    }
    e.key("vendor").undefined().key("method").undefined();
    e.key("body").bytes(body.as_bytes(), false);
    let mut w = InputWriter::default();
    w.f64(1_764_000_000_000.0).raw(&e.out);
    w.bytes
}

/// The input of `decide` as pkg-template/policy.js writes it: the policy block, the
/// classification block (form 0; its code and summary in full when `texts`, else "the same
/// as last time"), attempt, elapsedMs, no method, no flags.
fn decide_input(policy: &RetryPolicy, c: &Classification, attempt: u32, texts: bool) -> Vec<u8> {
    let at = |i: Option<usize>| i.unwrap_or(0) as u32;
    let mut w = InputWriter::default();
    w.policy(policy)
        .u32(0)
        .u32(at(Vendor::ALL.iter().position(|v| *v == c.vendor)))
        .u32(u32::from(c.status))
        .u32(at(Category::ALL.iter().position(|x| *x == c.category)))
        .u32(at(Action::ALL.iter().position(|x| *x == c.action)))
        .u32(at(Processed::ALL.iter().position(|x| *x == c.processed)))
        .f64(c.retry_after_ms.map_or(f64::NAN, |ms| ms as f64))
        .u32(c.items.len() as u32);
    match (&c.code, texts) {
        (None, _) => w.u32(0),
        (Some(code), true) => w.u32(2).text(code),
        (Some(_), false) => w.u32(1),
    };
    if texts {
        w.u32(2).text(&c.summary);
    } else {
        w.u32(1);
    }
    w.f64(f64::from(attempt))
        .f64(f64::from(attempt) * 1000.0)
        .u32(0)
        .u32(0);
    w.bytes
}

/// What pkg-template/core.js `decideAt` passes for a policy kept in `slot` under `stamp`
/// (`state`: words 24–28 of its block) and the classification `c`: the numbers, and the
/// input bytes, the code and summary in full when `texts` (flags modes 2), else nothing
/// ("the same as last time", modes 1); no method, no context flags.
fn decide_at_numbers(
    slot: u32,
    stamp: u32,
    state: [u32; 5],
    c: &Classification,
    attempt: u32,
    texts: bool,
) -> (Vec<u8>, ops::DecideAt) {
    let at = |i: Option<usize>| i.unwrap_or(0) as u32;
    let mut w = InputWriter::default();
    let code_mode = match (&c.code, texts) {
        (None, _) => 0,
        (Some(code), true) => {
            w.text(code);
            2
        }
        (Some(_), false) => 1,
    };
    let summary_mode = if texts {
        w.text(&c.summary);
        2
    } else {
        1
    };
    let numbers = ops::DecideAt {
        slot,
        stamp,
        state,
        meaning: Meaning {
            vendor: at(Vendor::ALL.iter().position(|v| *v == c.vendor)),
            status: u32::from(c.status),
            category: at(Category::ALL.iter().position(|x| *x == c.category)),
            action: at(Action::ALL.iter().position(|x| *x == c.action)),
            processed: at(Processed::ALL.iter().position(|x| *x == c.processed)),
            retry_after: c.retry_after_ms.map_or(f64::NAN, |ms| ms as f64),
            items: c.items.len() as u32,
        },
        attempt: f64::from(attempt),
        elapsed: f64::from(attempt) * 1000.0,
        flags: code_mode << 2 | summary_mode << 4,
    };
    (w.bytes, numbers)
}
