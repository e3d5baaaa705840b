//! The JS bindings, exercised inside a real JS engine: Node by default, headless Chrome when
//! run with `WASM_BINDGEN_USE_BROWSER=1` (see scripts/test.mjs). Checks what native tests
//! cannot: conversion of JS objects, Headers, Uint8Array and thrown Error objects.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use backup_errors::wasm::{catalog_js, classify_js, explain_js};
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o.into()
}

fn field(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).unwrap()
}

fn thrown_code(result: Result<JsValue, JsValue>) -> String {
    let error = result.expect_err("the call should throw");
    assert!(
        error.is_instance_of::<js_sys::Error>(),
        "throws an Error object, not a string"
    );
    assert_eq!(
        field(&error, "name").as_string().unwrap(),
        "BackupErrorsError"
    );
    field(&error, "code").as_string().unwrap()
}

#[wasm_bindgen_test]
fn conflict_is_not_retried_and_unavailable_is() {
    let c = classify_js(object(&[("status", 409.into())])).unwrap();
    assert_eq!(field(&c, "retryable"), JsValue::FALSE);
    assert_eq!(
        field(&c, "code"),
        JsValue::NULL,
        "absent fields are null, not undefined"
    );
    let c = classify_js(object(&[("status", 503.into())])).unwrap();
    assert_eq!(field(&c, "retryable"), JsValue::TRUE);
}

#[wasm_bindgen_test]
fn headers_arrive_as_object_pairs_or_headers_instance() {
    let plain = object(&[("Retry-After", "7".into())]);
    let pairs: JsValue = Array::of1(&Array::of2(&"retry-after".into(), &"7".into())).into();
    let init = Array::of1(&Array::of2(&"Retry-After".into(), &"7".into()));
    let headers: JsValue = web_headers(&init);
    for h in [plain, pairs, headers] {
        let c = classify_js(object(&[("status", 429.into()), ("headers", h)])).unwrap();
        assert_eq!(field(&c, "retryAfterMs").as_f64(), Some(7000.0));
    }
}

fn web_headers(init: &Array) -> JsValue {
    let ctor: js_sys::Function = Reflect::get(&js_sys::global(), &"Headers".into())
        .unwrap()
        .unchecked_into();
    Reflect::construct(&ctor, &Array::of1(init)).unwrap()
}

#[wasm_bindgen_test]
fn bodies_arrive_as_text_bytes_or_objects() {
    let text: JsValue = r#"{"errorCode":"127","errorMessage":"exists"}"#.into();
    let bytes: JsValue = Uint8Array::from(text.as_string().unwrap().as_bytes()).into();
    let parsed = js_sys::JSON::parse(&text.as_string().unwrap()).unwrap();
    for body in [text, bytes, parsed] {
        let c = classify_js(object(&[("status", 409.into()), ("body", body)])).unwrap();
        assert_eq!(field(&c, "vendor").as_string().unwrap(), "atlassian");
        assert_eq!(field(&c, "code").as_string().unwrap(), "127");
        assert_eq!(field(&c, "category").as_string().unwrap(), "conflict");
    }
}

#[wasm_bindgen_test]
fn a_cyclic_object_body_is_normal_input() {
    let body = Object::new();
    Reflect::set(&body, &"self".into(), &body).unwrap();
    let c = classify_js(object(&[("status", 500.into()), ("body", body.into())])).unwrap();
    assert_eq!(field(&c, "action").as_string().unwrap(), "retry");
}

#[wasm_bindgen_test]
fn bad_calls_throw_errors_with_stable_codes() {
    assert_eq!(
        thrown_code(classify_js(JsValue::from(5))),
        "ERR_INPUT_NOT_OBJECT"
    );
    assert_eq!(
        thrown_code(classify_js(JsValue::NULL)),
        "ERR_INPUT_NOT_OBJECT"
    );
    assert_eq!(thrown_code(classify_js(object(&[]))), "ERR_INVALID_STATUS");
    assert_eq!(
        thrown_code(classify_js(object(&[("status", 1000.into())]))),
        "ERR_INVALID_STATUS"
    );
    assert_eq!(
        thrown_code(classify_js(object(&[("status", 200.5.into())]))),
        "ERR_INVALID_STATUS"
    );
    let unknown = object(&[("status", 500.into()), ("vendor", "oracle".into())]);
    assert_eq!(thrown_code(classify_js(unknown)), "ERR_UNKNOWN_VENDOR");
    let bad_headers = object(&[("status", 500.into()), ("headers", 3.into())]);
    assert_eq!(
        thrown_code(classify_js(bad_headers)),
        "ERR_INVALID_ARGUMENT"
    );
    assert_eq!(
        thrown_code(explain_js("nope".into(), "1".into(), JsValue::NULL)),
        "ERR_UNKNOWN_VENDOR"
    );
}

#[wasm_bindgen_test]
fn explain_takes_string_or_number_codes_and_catalog_lists_rows() {
    let by_number = explain_js("acronis".into(), 1001.into(), JsValue::UNDEFINED).unwrap();
    let by_string = explain_js("acronis".into(), "1001".into(), JsValue::UNDEFINED).unwrap();
    assert_eq!(field(&by_number, "code").as_string().unwrap(), "1001");
    assert_eq!(
        field(&by_string, "action").as_string().unwrap(),
        "refresh_and_retry"
    );
    assert_eq!(
        explain_js("acronis".into(), "no-such".into(), JsValue::NULL).unwrap(),
        JsValue::NULL
    );
    let all = Array::from(&catalog_js(JsValue::UNDEFINED).unwrap());
    let acronis = Array::from(&catalog_js("acronis".into()).unwrap());
    assert!(all.length() > acronis.length() && acronis.length() > 0);
}
