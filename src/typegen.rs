//! The TypeScript literal unions of the words that cross the boundary, written from the
//! crate's own name tables: each enum's `ALL` (the order of its wire indexes) and `name()`
//! (the word the module writes, which the JS layer reads from `names()`; serde writes the same,
//! as the tests below check). [`generated_d_ts`] renders them as `src/generated.d.ts`, which
//! `scripts/build.mjs` puts into the package's `index.d.ts` beside the hand-kept object types
//! of `src/types.d.ts`; `tests/generated_types.rs` fails `cargo test` (and so `npm test`) when
//! that file is not what this module renders, and rewrites it with `UPDATE_LAYOUT=1`.
//!
//! Why a generator of its own and not `ts-rs`: docs/design.md, "Types generated from the
//! crate".

use crate::breaker::{BreakerState, ChangeReason};
use crate::error::Error;
use crate::model::{Action, Category, Processed, Vendor};
use crate::retry::{Jitter, NonIdempotent, ScheduleKind};
use alloc::string::String;
use alloc::vec::Vec;

/// One literal union of the public types.
pub struct Union {
    /// The exported type's name.
    pub name: &'static str,
    /// Its JSDoc, for JS readers; lines separated by `\n`.
    pub doc: &'static str,
    /// Its literals, in the crate's order.
    pub literals: Vec<&'static str>,
}

/// Every literal union the package exports from the crate's name tables, in the order
/// `src/generated.d.ts` declares them.
pub fn unions() -> Vec<Union> {
    let union = |name, doc, literals: &[&'static str]| Union {
        name,
        doc,
        literals: literals.to_vec(),
    };
    alloc::vec![
        union(
            "BuiltInVendor",
            "The built-in vendors; `generic` covers any other HTTP API.",
            &Vendor::ALL.map(Vendor::id),
        ),
        union("Category", "What went wrong.", &Category::ALL.map(Category::name)),
        union(
            "Processed",
            "Whether the server processed the request, as far as the response tells: `no` (it refused\n\
             it first: a 4xx, throttling, a busy resource, 503, \"too early\", a request the vendor says\n\
             it did not receive, a refused connection), `maybe` (a 5xx, a timeout, a connection lost\n\
             after sending), `yes` (2xx). A request that is not idempotent is re-sent only after `no`.",
            &Processed::ALL.map(Processed::name),
        ),
        union(
            "Action",
            "What the caller should do next. `retryable` is true exactly for `retry` and `wait_and_retry`.",
            &Action::ALL.map(Action::name),
        ),
        union(
            "Jitter",
            "How delays are randomised: `full` = [0, d], `equal` = [d/2, d], `decorrelated` = [base, 3×previous], `none` = d.",
            &Jitter::ALL.map(Jitter::name),
        ),
        union(
            "NonIdempotent",
            "What a request that is not idempotent gets after an ambiguous failure (`RetryOptions.nonIdempotent`):\n\
             `safe-only` re-sends it only when it provably was not processed, `retry` re-sends it anyway.",
            &NonIdempotent::ALL.map(NonIdempotent::name),
        ),
        union(
            "ScheduleKind",
            "Which schedule a classification gets (`Schedule.kind`): `main` (the options), `busy`\n\
             (`wait_and_retry`), or `preset` (a vendor's, under the options).",
            &ScheduleKind::ALL.map(ScheduleKind::name),
        ),
        union(
            "BreakerState",
            "Where a `CircuitBreaker` is (`breaker.state`): `closed` (calls go through), `open` (calls\n\
             are refused without sending), `half-open` (one probe at a time goes through).",
            &BreakerState::ALL.map(BreakerState::name),
        ),
        union(
            "BreakerChangeReason",
            "Why a `CircuitBreaker` changed state (`onStateChange`'s `reason`).",
            &ChangeReason::ALL.map(ChangeReason::name),
        ),
        union(
            "ErrorCode",
            "The code of a `BackupErrorsError`: stable, to switch on (`BackupErrorsError.code`).",
            &Error::CODES,
        ),
    ]
}

/// `src/generated.d.ts`: every union of [`unions`], one literal a line.
pub fn generated_d_ts() -> String {
    let mut out = String::from(concat!(
        "// Generated from the Rust crate (src/typegen.rs) by `UPDATE_LAYOUT=1 cargo test --test generated_types`;\n",
        "// `npm test` fails when src/generated.d.ts is stale. Edit the Rust side, not these unions.\n",
    ));
    for u in unions() {
        out.push('\n');
        let lines: Vec<&str> = u.doc.split('\n').collect();
        if let [line] = lines[..] {
            out.push_str("/** ");
            out.push_str(line);
            out.push_str(" */\n");
        } else {
            out.push_str("/**\n");
            for line in lines {
                out.push_str(" * ");
                out.push_str(line);
                out.push('\n');
            }
            out.push_str(" */\n");
        }
        out.push_str("export type ");
        out.push_str(u.name);
        out.push_str(" =");
        for literal in &u.literals {
            out.push_str("\n  | \"");
            out.push_str(literal);
            out.push('"');
        }
        out.push_str(";\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    /// The words serde writes for `all`, which the unions must be.
    fn serialised<T: Serialize>(all: &[T]) -> Vec<String> {
        all.iter()
            .map(|v| {
                serde_json::to_value(v)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn each_union_is_what_serde_writes() {
        let by_name = |name: &str| {
            unions()
                .into_iter()
                .find(|u| u.name == name)
                .unwrap()
                .literals
        };
        assert_eq!(by_name("BuiltInVendor"), serialised(&Vendor::ALL));
        assert_eq!(by_name("Category"), serialised(&Category::ALL));
        assert_eq!(by_name("Processed"), serialised(&Processed::ALL));
        assert_eq!(by_name("Action"), serialised(&Action::ALL));
        assert_eq!(by_name("Jitter"), serialised(&Jitter::ALL));
        assert_eq!(by_name("NonIdempotent"), serialised(&NonIdempotent::ALL));
        assert_eq!(by_name("ScheduleKind"), serialised(&ScheduleKind::ALL));
    }

    #[test]
    fn literals_are_plain_words() {
        // Written between double quotes unescaped: a word with a quote or a backslash would
        // need escaping the renderer does not do.
        for u in unions() {
            assert!(!u.literals.is_empty(), "{}", u.name);
            for l in &u.literals {
                assert!(
                    l.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'),
                    "{}: {l}",
                    u.name
                );
            }
        }
    }
}
