//! The object types of `src/types.d.ts` are kept by hand (docs/design.md, "Types generated from
//! the crate": the JS objects are read from the wire by pkg-template/*.js, not serialised from
//! these structs, and their docs are written for JS readers). What can drift is checked here:
//! each interface has exactly the fields the Rust struct behind it serialises, apart from the
//! differences listed below, which are the JS layer's own.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};

use backup_errors::budget::BudgetOptions;
use backup_errors::retry::{BusySchedule, RetryOptions, RetryPolicy, VENDOR_PRESETS};
use backup_errors::{catalog, classify_at, DecisionContext, ErrorInput, Jitter, NonIdempotent};
use serde::Serialize;

/// The fields of each `export interface` of `src/types.d.ts`, its `extends` included.
fn interfaces() -> BTreeMap<String, BTreeSet<String>> {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/types.d.ts")).unwrap();
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut extends: Vec<(String, String)> = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("export interface ") {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            // `interface A extends B {` (not the `extends` of a type parameter, `<V extends …>`).
            if let Some(base) = rest[name.len()..].strip_prefix(" extends ") {
                let base: String = base
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                extends.push((name.clone(), base));
            }
            out.insert(name.clone(), BTreeSet::new());
            current = Some(name);
        } else if line == "}" {
            current = None;
        } else if let (Some(name), Some(field)) = (&current, line.strip_prefix("  ")) {
            let field: String = field
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            let rest = &line[2 + field.len()..];
            if !field.is_empty() && (rest.starts_with(':') || rest.starts_with("?:")) {
                out.get_mut(name).unwrap().insert(field);
            }
        }
    }
    for (name, base) in extends {
        let inherited = out[&base].clone();
        out.get_mut(&name).unwrap().extend(inherited);
    }
    out
}

/// The keys `value` serialises to.
fn keys(value: impl Serialize) -> BTreeSet<String> {
    match serde_json::to_value(value).unwrap() {
        serde_json::Value::Object(map) => map.keys().cloned().collect(),
        other => panic!("not an object: {other}"),
    }
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// The interfaces checked against a Rust struct.
const CHECKED: [&str; 14] = [
    "Classification",
    "ItemError",
    "CatalogEntry",
    "BusySchedule",
    "RetryOptions",
    "ResolvedBusySchedule",
    "ResolvedRetryOptions",
    "VendorPreset",
    "Schedule",
    "PlannedAttempt",
    "RetryPlan",
    "DecisionContext",
    "RetryDecision",
    "BudgetOptions",
];

#[test]
fn each_interface_has_the_fields_of_its_rust_struct() {
    let declared = interfaces();
    let c = classify_at(
        &ErrorInput {
            status: 503,
            headers: vec![("retry-after".into(), "2".into())],
            ..Default::default()
        },
        0,
    );
    let busy = BusySchedule {
        max_attempts: Some(6),
        base_delay_ms: Some(5_000),
        max_delay_ms: Some(60_000),
        multiplier: Some(2.0),
    };
    // Every field set: unset ones are left out of the JSON.
    let options = RetryOptions {
        max_attempts: Some(4),
        base_delay_ms: Some(1_000),
        max_delay_ms: Some(30_000),
        multiplier: Some(2.0),
        jitter: Some(Jitter::Equal),
        seed: Some(7),
        max_retry_after_ms: Some(60_000),
        deadline_ms: Some(300_000),
        trust_vendor_codes: Some(true),
        busy: Some(busy.clone()),
        non_idempotent: Some(NonIdempotent::SafeOnly),
    };
    let mut policy = RetryPolicy::new(options.clone()).unwrap();
    let resolved = policy.resolved();
    let plan = policy.plan(&c, 3, &DecisionContext::default());
    let decision = policy.decide(&c, &DecisionContext::new(1, 0));
    let budget = BudgetOptions {
        capacity: Some(500),
        retry_cost: Some(5),
        timeout_cost: Some(10),
        success_refund: Some(1),
    };
    // What a decision is in JS besides what the struct serialises: `rule`, `params` and
    // `reasonId` are read from the wire's reason record (pkg-template/policy.js); in Rust they
    // live inside `reason` (a `Reason`, serialised as its sentence).
    let js_decision_only = set(&["reasonId", "rule", "params"]);
    // The texts' ids (and a summary's params) are read from the wire's row index and the
    // catalog's ids (src/texts.rs, pkg-template/texts.js); in Rust a row is its texts.
    let js_text_ids = set(&["summaryId", "remediationId", "textParams"]);
    let rust: Vec<(&str, BTreeSet<String>, BTreeSet<String>)> = vec![
        ("Classification", keys(&c), js_text_ids.clone()),
        (
            "ItemError",
            keys(backup_errors::ItemError::default()),
            set(&["summaryId"]),
        ),
        (
            "CatalogEntry",
            keys(&catalog(None)[0]),
            set(&["summaryId", "remediationId"]),
        ),
        ("BusySchedule", keys(&busy), set(&[])),
        ("RetryOptions", keys(&options), set(&[])),
        ("ResolvedBusySchedule", keys(resolved.busy), set(&[])),
        ("ResolvedRetryOptions", keys(resolved), set(&[])),
        ("VendorPreset", keys(VENDOR_PRESETS[0]), set(&[])),
        ("Schedule", keys(plan.schedule), set(&[])),
        (
            "PlannedAttempt",
            keys(&plan.attempts[0]),
            js_decision_only.clone(),
        ),
        ("RetryPlan", keys(&plan), set(&[])),
        (
            "DecisionContext",
            keys(DecisionContext::default()),
            set(&[]),
        ),
        ("RetryDecision", keys(&decision), js_decision_only),
        ("BudgetOptions", keys(&budget), set(&[])),
    ];
    assert_eq!(rust.iter().map(|r| r.0).collect::<Vec<_>>(), CHECKED);
    for (name, fields, js_only) in rust {
        let interface = declared
            .get(name)
            .unwrap_or_else(|| panic!("src/types.d.ts has no interface {name}"));
        let want: BTreeSet<String> = fields.union(&js_only).cloned().collect();
        assert_eq!(
            interface, &want,
            "src/types.d.ts `{name}`: the fields differ from the Rust struct's (plus the JS-only {js_only:?})"
        );
    }
}

/// The interfaces the test above does not check are the ones with no Rust struct behind them
/// (`ErrorInput`, whose JS form takes headers and bodies in several shapes, and
/// `ScheduleOptions`, which Rust takes as arguments): a new interface must be added to one
/// list or the other.
#[test]
fn every_interface_is_checked_or_known_to_be_js_only() {
    let checked = set(&CHECKED);
    let js_only = set(&["ErrorInput", "ScheduleOptions"]);
    let declared: BTreeSet<String> = interfaces().into_keys().collect();
    let listed: BTreeSet<String> = checked.union(&js_only).cloned().collect();
    assert_eq!(declared, listed);
}
