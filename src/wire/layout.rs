//! The numbers both sides of the wire must agree on, written once, here: the words of a
//! policy block, the encoder's bounds, the tags of argument kinds and of attempt outcomes.
//! [`layout_js`] renders them as `pkg-template/layout.js`, the module the JS layer imports
//! them from; `tests/layout.rs` fails `cargo test` (and so `npm test`) when that file is not
//! what this module renders, and rewrites it with `UPDATE_LAYOUT=1`.

use crate::args::{
    Kind, MAX_BODY_BYTES, MAX_DEPTH, MAX_ENTRIES, MAX_HEADER_TEXT, MAX_HEADER_TEXT_IN_ALL,
};
use crate::breaker::{BreakerState, ChangeReason, Health};
use alloc::string::String;

/// How an attempt without a response ended, by its index on the wire (`outcome`): the names
/// `noResponseKind` and the executors use.
pub const OUTCOME_KINDS: [(&str, &str); 4] = [
    ("timeout", "the attempt's timeoutMs passed"),
    (
        "not-sent",
        "no connection was made: the request was not sent",
    ),
    (
        "connection-lost",
        "the connection failed after the request may have been sent",
    ),
    ("deadline", "the call's deadline passed during the attempt"),
];

/// `pkg-template/layout.js`, as the JS layer imports it.
pub fn layout_js() -> String {
    let mut out = String::from(
        "// Generated from the Rust crate (src/wire/layout.rs) by `UPDATE_LAYOUT=1 cargo test --test layout`;\n\
         // `npm test` fails when this file is stale. Edit the Rust side, not this file.\n\n",
    );
    let constant = |out: &mut String, doc: &str, name: &str, value: usize| {
        out.push_str(&crate::cat!(
            "/** ",
            doc,
            " */\nexport const ",
            name,
            " = ",
            value as u64,
            ";\n\n"
        ));
    };
    constant(
        &mut out,
        "Words of a policy block (src/wire/mod.rs).",
        "POLICY_WORDS",
        super::POLICY_WORDS,
    );
    constant(
        &mut out,
        "The most nesting levels the encoder writes.",
        "MAX_DEPTH",
        MAX_DEPTH,
    );
    constant(
        &mut out,
        "The most entries of one array, iterable or object the encoder writes.",
        "MAX_ENTRIES",
        MAX_ENTRIES,
    );
    constant(
        &mut out,
        "The most body bytes passed to the module; a longer body is classified on its prefix.",
        "MAX_BODY_BYTES",
        MAX_BODY_BYTES,
    );
    constant(
        &mut out,
        "The most characters of one header name or value written (a longer one: its prefix).",
        "MAX_HEADER_TEXT",
        MAX_HEADER_TEXT,
    );
    constant(
        &mut out,
        "The most characters of header names and values written in all (the rest reads as empty).",
        "MAX_HEADER_TEXT_IN_ALL",
        MAX_HEADER_TEXT_IN_ALL,
    );
    out.push_str("/** The tag of each kind of value that is neither a primitive, an array nor a plain object. */\nexport const KIND = Object.freeze({");
    for (i, (tag, _, name)) in Kind::TAGS.iter().enumerate() {
        out.push_str(if i == 0 { " " } else { ", " });
        out.push_str(name);
        out.push_str(": ");
        out.push_str(&crate::cat!(u32::from(*tag)));
    }
    out.push_str(" });\n\n/** How an attempt without a response ended, by its index on the wire. */\nexport const OUTCOME_KIND = Object.freeze({");
    for (i, (name, _)) in OUTCOME_KINDS.iter().enumerate() {
        out.push_str(if i == 0 { " " } else { ", " });
        out.push('"');
        out.push_str(name);
        out.push_str("\": ");
        out.push_str(&crate::cat!(i as u32));
    }
    out.push_str(" });\n");
    let names = |out: &mut String, doc: &str, name: &str, all: &[&str]| {
        out.push_str(&crate::cat!(
            "\n/** ",
            doc,
            " */\nexport const ",
            name,
            " = Object.freeze(["
        ));
        for (i, n) in all.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(&js_string(n));
        }
        out.push_str("]);\n");
    };
    let states: alloc::vec::Vec<&str> = BreakerState::ALL.iter().map(|s| s.name()).collect();
    names(
        &mut out,
        "A circuit breaker's states, by their index on the wire (src/breaker).",
        "BREAKER_STATES",
        &states,
    );
    let reasons: alloc::vec::Vec<&str> = ChangeReason::ALL.iter().map(|r| r.name()).collect();
    names(
        &mut out,
        "Why a circuit breaker changed state, by index on the wire.",
        "BREAKER_CHANGES",
        &reasons,
    );
    out.push_str(&crate::cat!(
        "\n/** What an attempt says of the service, as a breaker event (0 asks to send it). */\nexport const HEALTH = Object.freeze({ healthy: ",
        health_number(Health::Healthy),
        ", unhealthy: ",
        health_number(Health::Unhealthy),
        ", unknown: ",
        health_number(Health::Unknown),
        " });\n"
    ));
    out
}

/// A health's number in a breaker event and a step's result (`0` is an admission).
pub fn health_number(h: Health) -> u32 {
    h as u32 + 1
}

/// The healths by their number less one.
pub const HEALTH: [Health; 3] = [Health::Healthy, Health::Unhealthy, Health::Unknown];

/// `s` as a JavaScript string literal (double quotes; the texts are UTF-8 source).
fn js_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `pkg-template/messages.js`: every reason's message by its index on the wire, as its id
/// and its English text (src/reason/messages.rs).
pub fn messages_js() -> String {
    let mut out = String::from(concat!(
        "// Generated from the Rust crate (src/reason/messages.rs) by `UPDATE_LAYOUT=1 cargo test --test layout`;\n",
        "// `npm test` fails when this file is stale. Edit the Rust side, not this file.\n\n",
        "/**\n",
        " * The sentences of the decisions by their index on the wire: each its id\n",
        " * (`RetryDecision.reasonId`) and its English text in ICU MessageFormat over the\n",
        " * decision's `params`.\n",
        " */\n",
        "export const MESSAGES = Object.freeze([\n",
    ));
    for m in crate::reason::Message::ALL {
        out.push_str("  [");
        out.push_str(&js_string(m.id()));
        out.push_str(", ");
        out.push_str(&js_string(m.en()));
        out.push_str("],\n");
    }
    out.push_str("]);\n");
    out
}
