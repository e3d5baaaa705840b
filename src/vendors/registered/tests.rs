//! Registering vendors, natively: checking definitions, reading bodies by pointer, detection
//! order, rows that take precedence over built-in ones, lookups, and the operation the JS
//! layer calls (`wire::ops::vendors`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::args::Encoder;
use crate::error::Error;
use crate::model::{Classification, ErrorInput};
use crate::retry::{DecisionContext, RetryOptions, RetryPolicy};
use crate::wire::ops;

/// `serde_json::json!` (the crate's own `json!` makes a `crate::json::Value`).
macro_rules! sj {
    ($($t:tt)+) => {
        serde_json::json!($($t)+)
    };
}

/// Clears the registry now and when dropped: tests share threads when run with
/// `--test-threads=1`, and a registry is per thread.
struct Fresh;

impl Drop for Fresh {
    fn drop(&mut self) {
        clear();
    }
}

fn fresh() -> Fresh {
    clear();
    Fresh
}

/// Writes `v` as the JS layer writes an argument.
fn encode(v: &serde_json::Value, e: &mut Encoder) {
    match v {
        serde_json::Value::Null => e.null(),
        serde_json::Value::Bool(b) => e.bool(*b),
        serde_json::Value::Number(n) => e.number(n.as_f64().unwrap()),
        serde_json::Value::String(s) => e.string(s),
        serde_json::Value::Array(items) => {
            e.array(items.len());
            items.iter().for_each(|i| encode(i, e));
            e
        }
        serde_json::Value::Object(map) => {
            e.object(map.len());
            for (k, v) in map {
                e.key(k);
                encode(v, e);
            }
            e
        }
    };
}

/// Registers the list as the JS layer does (`ops::vendors`): the position the last
/// definition took, or the error.
fn register(list: serde_json::Value) -> Result<u32, (String, String)> {
    let mut e = Encoder::default();
    encode(&list, &mut e);
    let bytes = e.out;
    let out = ops::vendors(&bytes, || &bytes, || ());
    let (status, payload) = (out.words[2], &out.words[3..]);
    if status == 0 {
        return Ok(payload[0]);
    }
    let code = Error::CODES[payload[0] as usize].to_string();
    let text: Vec<u16> = out.text.encode_utf16().collect();
    let message = String::from_utf16(&text[payload[1] as usize..payload[2] as usize]).unwrap();
    Err((code, message))
}

/// The error message of registering `definition` alone, checking its code.
fn refused(definition: serde_json::Value) -> String {
    let (code, message) = register(sj!([definition])).unwrap_err();
    assert_eq!(code, "ERR_INVALID_VENDOR_DEFINITION", "{message}");
    message
}

fn rubrik() -> serde_json::Value {
    sj!({
        "id": "rubrik",
        "detect": { "fields": ["errorType"] },
        "code": "/errorType",
        "message": "/message",
        "requestId": "/traceId",
        "parameter": "/details/0/field",
        "codes": [
            { "code": "ObjectNotFound", "status": 404, "category": "not_found",
              "action": "fix_request", "summary": "The object does not exist.",
              "remediation": "Check the object id." },
            { "code": "SlaBusy", "category": "busy", "action": "wait_and_retry",
              "summary": "The SLA domain is being changed." },
            { "code": 7001, "status": 409, "category": "conflict", "action": "retry",
              "summary": "Said to be retryable, under a 409." },
            { "code": "JobFailed", "status": 500, "category": "server_error", "action": "retry",
              "summary": "The job failed." }
        ]
    })
}

fn classified(status: u16, body: serde_json::Value) -> Classification {
    classified_as(status, body, None)
}

fn classified_as(status: u16, body: serde_json::Value, vendor: Option<Vendor>) -> Classification {
    crate::classify_at(
        &ErrorInput {
            status,
            body: body.to_string().into_bytes(),
            vendor,
            ..ErrorInput::default()
        },
        0,
    )
}

#[test]
fn a_registered_vendor_is_detected_and_read_by_its_pointers() {
    let _f = fresh();
    assert_eq!(register(sj!([rubrik()])), Ok(0));
    let rubrik = Vendor::Registered(0);
    assert_eq!((rubrik.id(), rubrik.index()), ("rubrik", 6));
    assert_eq!(Vendor::from_id(" RUBRIK "), Some(rubrik));
    assert_eq!(Vendor::from_index(6), Some(rubrik));
    assert_eq!(Vendor::from_index(7), None);

    let c = classified(
        404,
        sj!({"errorType": "objectnotfound", "message": "No such snapshot.", "traceId": "t-1",
               "details": [{"field": "snapshotId"}]}),
    );
    assert_eq!(c.vendor, rubrik);
    assert_eq!(c.code.as_deref(), Some("objectnotfound"));
    assert_eq!(c.message.as_deref(), Some("No such snapshot."));
    assert_eq!(c.request_id.as_deref(), Some("t-1"));
    assert_eq!(c.parameter.as_deref(), Some("snapshotId"));
    // Codes match in any letter case, as built-in ones do.
    assert!(c.documented);
    assert_eq!(
        (c.category, c.action),
        (Category::NotFound, Action::FixRequest)
    );
    assert_eq!(c.summary, "The object does not exist.");
    assert_eq!(c.remediation.as_deref(), Some("Check the object id."));

    // A number code is its decimal text; a row without a remediation gets the action's advice.
    let c = classified(409, sj!({"errorType": 7001}));
    assert_eq!((c.code.as_deref(), c.documented), (Some("7001"), true));
    let c = classified(400, sj!({"errorType": "SlaBusy"}));
    assert_eq!(
        c.remediation.as_deref(),
        Some(crate::classify::action_remediation(Action::WaitAndRetry))
    );

    // An unknown code falls back to the HTTP status rules, like a generic API.
    let c = classified(404, sj!({"errorType": "Nope", "message": "m"}));
    assert_eq!((c.vendor, c.documented), (rubrik, false));
    assert_eq!(
        (c.category, c.action),
        (Category::NotFound, Action::DoNotRetry)
    );
    let c = classified(503, sj!({"errorType": "Nope"}));
    assert_eq!(
        (c.category, c.action),
        (Category::ServerError, Action::Retry)
    );
}

#[test]
fn pointers_that_find_nothing_and_bodies_of_other_shapes() {
    let _f = fresh();
    register(sj!([{
        "id": "acme",
        "code": "/error/a~1b/1",
        "codes": [{ "code": "E2", "category": "conflict", "action": "do_not_retry", "summary": "s" }]
    }]))
    .unwrap();
    let acme = Some(Vendor::Registered(0));
    // Escapes and array indexes.
    let c = classified_as(400, sj!({"error": {"a/b": ["E1", "e2"]}}), acme);
    assert_eq!((c.code.as_deref(), c.documented), (Some("e2"), true));
    // Without a message pointer, the message is where generic bodies have it.
    let c = classified_as(
        400,
        sj!({"error": {"a/b": ["E1", "E2"]}, "message": "m"}),
        acme,
    );
    assert_eq!(c.message.as_deref(), Some("m"));
    // The code pointer finds nothing: no code (the generic one is not used instead), and the
    // HTTP rules apply.
    let c = classified_as(400, sj!({"code": "E2", "message": "m"}), acme);
    assert_eq!((c.code, c.message.as_deref()), (None, Some("m")));
    // Neither the code nor a message: the body is read as a generic one.
    let c = classified_as(400, sj!({"error": {"code": "X"}}), acme);
    assert_eq!(c.code.as_deref(), Some("X"));
    // Not JSON: the generic text rules.
    let c = crate::classify_at(
        &ErrorInput {
            status: 502,
            body: b"<html><title>Bad Gateway</title></html>".to_vec(),
            vendor: acme,
            ..ErrorInput::default()
        },
        0,
    );
    assert_eq!(
        (c.vendor, c.message.as_deref()),
        (Vendor::Registered(0), Some("Bad Gateway"))
    );
    // No detect fields: never detected.
    assert_eq!(
        classified(400, sj!({"error": {"a/b": ["E1", "E2"]}})).vendor,
        Vendor::Generic
    );
}

#[test]
fn registered_vendors_are_detected_before_the_built_in_rules_and_in_order() {
    let _f = fresh();
    let vendor = |id: &str, fields: serde_json::Value| sj!({"id": id, "detect": {"fields": fields}, "code": "/errorCode"});
    register(sj!([
        vendor("first", sj!(["errorCode", "tenant"])),
        vendor("second", sj!(["errorCode"]))
    ]))
    .unwrap();
    let (first, second) = (Vendor::Registered(0), Vendor::Registered(1));
    // Atlassian's shape, but a registered vendor claims it first.
    let atlassian = sj!({"errorCode": "127", "errorMessage": "m"});
    assert_eq!(classified(409, atlassian.clone()).vendor, second);
    // Every field must be present; the first registered vendor that matches wins.
    assert_eq!(
        classified(409, sj!({"errorCode": "1", "tenant": "t"})).vendor,
        first
    );
    // Even an RFC 9457 problem document.
    assert_eq!(
        classified(
            400,
            sj!({"type": "https://x/y", "title": "t", "errorCode": "1"})
        )
        .vendor,
        second
    );
    // An explicit vendor always wins.
    assert_eq!(
        classified_as(409, atlassian, Some(Vendor::Atlassian)).vendor,
        Vendor::Atlassian
    );
    // Only object bodies.
    assert_eq!(
        classified(500, sj!([{"errorCode": "1"}])).vendor,
        Vendor::Generic
    );
    assert_eq!(
        classified(409, sj!({"errorCodes": []})).vendor,
        Vendor::Generic
    );
}

#[test]
fn rows_for_a_built_in_vendor_take_precedence_over_its_own() {
    let _f = fresh();
    let busy = crate::explain(Vendor::Veeam, "4002", None).unwrap();
    assert_eq!(busy.action, Action::WaitAndRetry);
    let built_in_rows = crate::catalog(Some(Vendor::Veeam)).len();
    // A lookup is remembered (`classify::memo`): registering must forget it.
    let body = sj!({"errors": [{"message": "Management agent is busy.", "type": "retryablelogical", "code": 4002}]});
    assert_eq!(classified(520, body.clone()).action, Action::WaitAndRetry);

    register(sj!([{"id": "veeam", "codes": [
        {"code": 4002, "category": "server_error", "action": "do_not_retry", "summary": "Not retried in this console."}
    ]}]))
    .unwrap();
    assert_eq!(count(), 0, "a built-in id is no new vendor");
    let e = crate::explain(Vendor::Veeam, "4002", None).unwrap();
    assert_eq!(
        (e.category, e.action),
        (Category::ServerError, Action::DoNotRetry)
    );
    assert_eq!(e.summary, "Not retried in this console.");
    let rows = crate::catalog(Some(Vendor::Veeam));
    assert_eq!(
        rows.len(),
        built_in_rows,
        "the row took the built-in one's place"
    );
    assert_eq!(rows.iter().filter(|r| r.code == "4002").count(), 1);
    assert_eq!(
        rows[0].summary, "Not retried in this console.",
        "registered rows come first"
    );
    let c = classified(520, body);
    assert_eq!((c.vendor, c.documented), (Vendor::Veeam, true));
    assert_eq!(
        (c.category, c.action),
        (Category::ServerError, Action::DoNotRetry)
    );

    // With a status, a row replaces only the built-in row of that status. Huawei documents
    // CSBS.9009 under two statuses.
    let statuses: Vec<_> = crate::catalog(Some(Vendor::Huawei))
        .into_iter()
        .filter(|r| r.code == "CSBS.9009")
        .map(|r| r.status.unwrap())
        .collect();
    assert_eq!(statuses.len(), 2, "{statuses:?}");
    let (replaced, kept) = (statuses[0], statuses[1]);
    let kept_summary = crate::explain(Vendor::Huawei, "CSBS.9009", Some(kept))
        .unwrap()
        .summary;
    register(sj!([{"id": "huawei", "codes": [
        {"code": "csbs.9009", "status": replaced, "category": "quota_exceeded", "action": "do_not_retry", "summary": "Ours."},
        {"code": "APIGW.0308", "status": 429, "category": "rate_limited", "action": "retry", "summary": "Throttled, ours."}
    ]}]))
    .unwrap();
    assert_eq!(
        crate::explain(Vendor::Veeam, "4002", None).unwrap().action,
        Action::WaitAndRetry,
        "veeam's rows are gone: the list was replaced"
    );
    assert_eq!(
        crate::explain(Vendor::Huawei, "CSBS.9009", Some(replaced))
            .unwrap()
            .summary,
        "Ours."
    );
    assert_eq!(
        crate::explain(Vendor::Huawei, "CSBS.9009", Some(kept))
            .unwrap()
            .summary,
        kept_summary
    );
    // API Gateway codes are one code however written.
    let e = crate::explain(Vendor::Huawei, "APIG.0308", Some(429)).unwrap();
    assert_eq!(
        (e.code.as_str(), e.summary.as_str()),
        ("APIG.0308", "Throttled, ours.")
    );
    assert_eq!(
        crate::catalog(Some(Vendor::Huawei))
            .iter()
            .filter(|r| r.code.eq_ignore_ascii_case("APIG.0308"))
            .count(),
        1
    );
}

#[test]
fn registering_again_replaces_in_place_and_errors_change_nothing() {
    let _f = fresh();
    let vendor = |id: &str, summary: &str| {
        sj!({"id": id, "detect": {"fields": [id]}, "code": crate::cat!("/", id),
               "codes": [{"code": "E", "category": "busy", "action": "wait_and_retry", "summary": summary}]})
    };
    assert_eq!(register(sj!([vendor("a", "one")])), Ok(0));
    assert_eq!(
        register(sj!([vendor("a", "one"), vendor("b", "two")])),
        Ok(1)
    );
    // The same id again: it keeps its position (its wire index).
    assert_eq!(
        register(sj!([
            vendor("a", "one"),
            vendor("b", "two"),
            vendor("a", "three")
        ])),
        Ok(0)
    );
    let ids: Vec<_> = Vendor::all().map(Vendor::id).collect();
    assert_eq!(
        ids,
        [
            "atlassian",
            "veeam",
            "huawei",
            "microsoft365",
            "acronis",
            "generic",
            "a",
            "b"
        ]
    );
    assert_eq!(
        crate::explain(Vendor::Registered(0), "e", None)
            .unwrap()
            .summary,
        "three"
    );

    // A bad definition: nothing changes.
    let (code, _) =
        register(sj!([vendor("a", "three"), vendor("b", "two"), {"id": "c", "codes": 1}]))
            .unwrap_err();
    assert_eq!(code, "ERR_INVALID_VENDOR_DEFINITION");
    assert_eq!(count(), 2);
    assert_eq!(classified(400, sj!({"b": "E"})).summary, "two");

    // At most MAX_VENDORS new vendors; rows for built-in ids do not count.
    let mut list: Vec<_> = (0..MAX_VENDORS)
        .map(|i| vendor(&crate::cat!("v", i), "x"))
        .collect();
    list.push(sj!({"id": "veeam", "codes": []}));
    assert_eq!(
        register(serde_json::Value::Array(list.clone())),
        Ok(MAX_VENDORS as u32)
    );
    list.push(vendor("one-more", "x"));
    let (_, message) = register(serde_json::Value::Array(list)).unwrap_err();
    assert_eq!(
        message,
        "registerVendor: \"one-more\": at most 64 vendors can be registered"
    );
    assert_eq!(count(), MAX_VENDORS);
}

#[test]
fn bad_definitions_name_the_definition_and_the_path() {
    let _f = fresh();
    let row = sj!({"code": "E", "category": "busy", "action": "retry", "summary": "s"});
    let with_row = |key: &str, value: serde_json::Value| {
        let mut r = row.clone();
        r[key] = value;
        sj!({"id": "rubrik", "codes": [row.clone(), r]})
    };
    let categories = Category::ALL
        .iter()
        .filter(|c| **c != Category::Ok)
        .map(|c| crate::cat!("\"", c.name(), "\""))
        .collect::<Vec<_>>()
        .join(", ");
    assert_eq!(
        refused(with_row("category", sj!("retry"))),
        crate::cat!(
            "registerVendor: \"rubrik\": codes[1].category: expected one of ",
            categories,
            ", got \"retry\""
        )
    );
    let cases: Vec<(serde_json::Value, &str)> = vec![
        (sj!(3), "registerVendor: expected a definition object such as { id, codes }, got 3"),
        (sj!({"codes": []}), "registerVendor: id: expected a lowercase id matching ^[a-z][a-z0-9_-]{0,31}$, got undefined"),
        (sj!({"id": "Rubrik"}), "registerVendor: id: expected a lowercase id matching ^[a-z][a-z0-9_-]{0,31}$, got \"Rubrik\""),
        (sj!({"id": "a".repeat(33)}), "registerVendor: id: expected a lowercase id"),
        (sj!({"id": "9lives"}), "registerVendor: id: expected a lowercase id"),
        (sj!({"id": "generic"}), "registerVendor: \"generic\": id: cannot be registered: \"generic\" stands for any other API or for detecting the vendor"),
        (sj!({"id": "auto"}), "registerVendor: \"auto\": id: cannot be registered"),
        (sj!({"id": "r", "detec": {}}), "registerVendor: \"r\": has no field \"detec\"; the fields are id, detect, code, message, requestId, parameter, codes"),
        (sj!({"id": "r", "request_id": "/a"}), "registerVendor: \"r\": has no field \"request_id\" (did you mean requestId?)"),
        (sj!({"id": "veeam", "detect": {"fields": ["x"]}, "codes": []}), "registerVendor: \"veeam\": detect: a definition for veeam (a built-in vendor) may only bring codes"),
        (sj!({"id": "veeam", "message": "/m"}), "registerVendor: \"veeam\": message: a definition for veeam (a built-in vendor) may only bring codes"),
        (sj!({"id": "r", "detect": ["x"]}), "registerVendor: \"r\": detect: expected an object such as { fields: [\"errorType\"] }, got an array"),
        (sj!({"id": "r", "detect": {"field": ["x"]}}), "registerVendor: \"r\": detect: has no field \"field\"; the fields are fields"),
        (sj!({"id": "r", "detect": {"fields": []}}), "registerVendor: \"r\": detect.fields: expected an array of 1 to 16 top-level field names, got an array"),
        (sj!({"id": "r", "detect": {"fields": vec!["f"; 17]}}), "registerVendor: \"r\": detect.fields: expected an array of 1 to 16"),
        (sj!({"id": "r", "detect": {"fields": ["a", ""]}}), "registerVendor: \"r\": detect.fields[1]: expected a field name of 1 to 256 bytes, got \"\""),
        (sj!({"id": "r", "detect": {"fields": [1]}}), "registerVendor: \"r\": detect.fields[0]: expected a field name"),
        (sj!({"id": "r", "code": "errorType"}), "registerVendor: \"r\": code: expected a JSON pointer such as \"/errorType\" (RFC 6901), got \"errorType\""),
        (sj!({"id": "r", "message": "/a~2"}), "registerVendor: \"r\": message: expected a JSON pointer"),
        (sj!({"id": "r", "requestId": 3}), "registerVendor: \"r\": requestId: expected a JSON pointer"),
        (sj!({"id": "r", "codes": {}}), "registerVendor: \"r\": codes: expected an array, got an object"),
        (sj!({"id": "r", "codes": ["E"]}), "registerVendor: \"r\": codes[0]: expected an object such as { code, category, action, summary }, got \"E\""),
        (with_row("categroy", sj!("busy")), "registerVendor: \"rubrik\": codes[1]: has no field \"categroy\"; the fields are code, status, category, action, summary, remediation"),
        (with_row("Category", sj!("busy")), "registerVendor: \"rubrik\": codes[1]: has no field \"Category\" (did you mean category?)"),
        (with_row("category", sj!("ok")), "codes[1].category: expected one of"),
        (with_row("action", sj!("wait")), "registerVendor: \"rubrik\": codes[1].action: expected one of \"retry\", \"wait_and_retry\", \"reauthenticate\", \"refresh_and_retry\", \"fix_request\", \"split_request\", \"do_not_retry\", got \"wait\""),
        (with_row("status", sj!(600)), "codes[1].status: expected an HTTP status, an integer from 100 to 599, got 600"),
        (with_row("status", sj!(404.5)), "codes[1].status: expected an HTTP status"),
        (with_row("status", sj!("404")), "codes[1].status: expected an HTTP status"),
        (with_row("code", sj!("  ")), "codes[1].code: expected a string of 1 to 256 bytes, or an integer, got \"  \""),
        (with_row("code", sj!(1.5)), "codes[1].code: expected a string of 1 to 256 bytes, or an integer, got 1.5"),
        (with_row("code", sj!(null)), "codes[1].code: expected a string"),
        (with_row("summary", sj!("")), "codes[1].summary: expected a string of 1 to 4096 bytes"),
        (with_row("summary", sj!("x".repeat(4097))), "codes[1].summary: expected a string of 1 to 4096 bytes"),
        (with_row("remediation", sj!(false)), "codes[1].remediation: expected a string of 1 to 4096 bytes, got false"),
        (with_row("messageHint", sj!("quota")), "codes[1]: has no field \"messageHint\""),
        (with_row("code", sj!("e")), "registerVendor: \"rubrik\": codes[1].code: \"e\" is in codes[0] already"),
        (sj!({"id": "r", "codes": [{"code": "E", "category": "busy", "action": "retry"}]}), "registerVendor: \"r\": codes[0].summary: expected a string of 1 to 4096 bytes, got undefined"),
    ];
    for (definition, expected) in cases {
        let message = refused(definition.clone());
        assert!(
            message.contains(expected),
            "{definition}\n  got: {message}\n want: {expected}"
        );
    }
    assert_eq!(count(), 0);
    // What a row may also be: the same code under another status.
    let mut other_status = row.clone();
    other_status["status"] = sj!(503);
    register(sj!([{"id": "rubrik", "codes": [row, other_status]}])).unwrap();
}

#[test]
fn the_retry_rules_hold_for_registered_rows() {
    let _f = fresh();
    register(sj!([rubrik()])).unwrap();
    let policy = |c: &Classification, method: Option<&str>| {
        let mut p = RetryPolicy::new(RetryOptions {
            seed: Some(1),
            ..RetryOptions::default()
        })
        .unwrap();
        let ctx = DecisionContext {
            attempt: 1,
            method: method.map(String::from),
            ..DecisionContext::default()
        };
        p.decide(c, &ctx)
    };
    // A row that says "retry" under a 409: the classifier and the policy both refuse.
    let c = classified(409, sj!({"errorType": "7001"}));
    assert!(c.documented);
    assert_eq!((c.action, c.retryable), (Action::DoNotRetry, false));
    let d = policy(&c, None);
    assert!(!d.retry);
    assert_eq!(d.reason.tag(), "409-never");
    // A documented 500 the vendor says to retry: a POST may have run, so it is not re-sent.
    let c = classified(500, sj!({"errorType": "JobFailed"}));
    assert_eq!(c.processed, crate::model::Processed::Maybe);
    assert!(policy(&c, Some("GET")).retry);
    let d = policy(&c, Some("POST"));
    assert!(!d.retry);
    assert_eq!(d.reason.tag(), "non-idempotent");
}

#[test]
fn results_send_registered_texts_as_text_not_by_address() {
    let _f = fresh();
    register(sj!([rubrik()])).unwrap();
    let mut e = Encoder::default();
    e.array(2).string("rubrik").string("ObjectNotFound");
    let out = ops::explain(&e.out);
    // status, found, vendor, status, category, action, then code (2 words): a dynamic string
    // has no FIXED bit.
    let w = &out.words[2..];
    assert_eq!((w[0], w[1], w[2], w[3]), (0, 1, 6, 404));
    let (a, b) = (w[6], w[7]);
    assert_eq!(a & (1 << 31), 0, "code by address");
    assert_eq!(&out.text[a as usize..b as usize], "ObjectNotFound");
    // The names table lists the registered id, also as text.
    let names = ops::names();
    assert!(names.text.contains("rubrik"));
    assert!(owns(get(0).unwrap().catalog[0].summary));
    assert!(!owns(Vendor::Veeam.id()));
}

#[test]
fn a_registered_vendor_serialises_to_its_id() {
    let _f = fresh();
    register(sj!([rubrik()])).unwrap();
    let v = Vendor::Registered(0);
    assert_eq!(serde_json::to_value(v).unwrap(), "rubrik");
    assert_eq!(serde_json::from_value::<Vendor>(sj!("rubrik")).unwrap(), v);
    let c = classified(404, sj!({"errorType": "ObjectNotFound"}));
    assert_eq!(serde_json::to_value(&c).unwrap()["vendor"], "rubrik");
}

#[test]
fn all_definitions_together_hold_at_most_their_text_bound() {
    let _f = fresh();
    // Rows of 4,096-byte summaries: a definition of 1,100 rows holds ~4.5 MB of text, so a
    // fourth such definition passes MAX_TEXT_BYTES_IN_ALL (16 MiB) and is refused whole.
    let summary = "s".repeat(4096);
    let big = |id: &str| {
        let rows: Vec<_> = (0..1100)
            .map(|i| sj!({"code": crate::cat!("E", i as u32), "category": "busy", "action": "retry", "summary": summary.clone()}))
            .collect();
        sj!({"id": id, "detect": {"fields": [id]}, "codes": rows})
    };
    let mut list: Vec<_> = ["a", "b", "c"].iter().map(|id| big(id)).collect();
    assert_eq!(register(serde_json::Value::Array(list.clone())), Ok(2));
    // Replacing one keeps the total where it was: still accepted.
    list.push(big("b"));
    assert_eq!(register(serde_json::Value::Array(list.clone())), Ok(1));
    list.push(big("d"));
    let (code, message) = register(serde_json::Value::Array(list.clone())).unwrap_err();
    assert_eq!(code, "ERR_INVALID_VENDOR_DEFINITION");
    assert!(
        message.starts_with("registerVendor: \"d\": the registered definitions would hold ")
            && message.ends_with(" bytes of text; at most 16777216 in all"),
        "{message}"
    );
    assert_eq!(count(), 3, "the refused definition changed nothing");
}
