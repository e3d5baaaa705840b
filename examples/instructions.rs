//! A workload for `npm run bench`'s instruction counts: runs one operation of the core N
//! times, natively, so `valgrind --tool=callgrind` can count the instructions it takes. Unlike
//! wall-clock time on a shared VM, the count does not move with the machine's load, so
//! small changes to the hot paths show up.
//!
//! ```text
//! cargo run --release --example instructions -- <workloads.json> <name> <iterations>
//! ```
//!
//! `workloads.json` (written by bench/run.mjs): `{ "<name>": { "kind": "classify", "status":
//! 409, "headers": [["name", "value"]], "body": "…" } | { "kind": "parse", "body": "…" } |
//! { "kind": "decide", "status": 503 } }`.

use backup_errors::{classify_at, DecisionContext, ErrorInput, RetryOptions, RetryPolicy};
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
    match work["kind"].as_str() {
        Some("classify") => {
            let headers = work["headers"]
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
                headers,
                body: body.as_bytes().to_vec(),
                ..Default::default()
            };
            for _ in 0..n {
                black_box(classify_at(black_box(&input), 0));
            }
        }
        Some("parse") => {
            for _ in 0..n {
                black_box(backup_errors::json::parse(black_box(body)));
            }
        }
        Some("decide") => {
            let c = classify_at(
                &ErrorInput {
                    status,
                    ..Default::default()
                },
                0,
            );
            let options = RetryOptions {
                seed: Some(1),
                ..Default::default()
            };
            let Ok(mut policy) = RetryPolicy::new(options) else {
                return ExitCode::from(2);
            };
            for i in 0..n {
                let context = DecisionContext::new(1 + i % 3, 0);
                black_box(policy.decide(black_box(&c), &context));
            }
        }
        _ => {
            eprintln!("{name}: unknown kind");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
