//! The module's exports inside real JS engines: Node by default, headless Chrome with
//! `WASM_BINDGEN_USE_BROWSER=1` (scripts/test.mjs). Native tests check the operations
//! (src/wire); these check that the exports hand out an input buffer, run an operation and
//! leave a readable result in the module's memory, with an engine's real memory growth.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use backup_errors::args::Encoder;
use backup_errors::wasm;
use wasm_bindgen_test::wasm_bindgen_test;

/// Writes `input` into the buffer `begin` hands out, runs `op`, and returns the result's
/// first `n` words (status word first) and its text.
fn call(input: &[u8], op: fn() -> u32, n: usize) -> (Vec<u32>, String) {
    let at = wasm::begin(input.len() as u32) as usize;
    // SAFETY: `begin` handed out `input.len()` bytes at `at`.
    unsafe { core::ptr::copy_nonoverlapping(input.as_ptr(), at as *mut u8, input.len()) };
    let p = op() as usize as *const u32;
    // SAFETY: the result lives until the next operation; its first words are the text's
    // address and length, then the status and at least `n - 1` more words.
    unsafe {
        let text = core::slice::from_raw_parts(*p as usize as *const u8, *p.add(1) as usize);
        let words = (0..n).map(|i| *p.add(2 + i)).collect();
        (words, String::from_utf8(text.to_vec()).unwrap())
    }
}

fn classify_input(build: impl FnOnce(&mut Encoder)) -> Vec<u8> {
    let mut e = Encoder::default();
    build(&mut e);
    let mut input = 0f64.to_le_bytes().to_vec();
    input.extend(e.out);
    input
}

#[wasm_bindgen_test]
fn a_conflict_is_not_retryable_and_an_unavailable_service_is() {
    let input = classify_input(|e| {
        e.object(1).key("status").number(409.0);
    });
    let (w, _) = call(&input, wasm::classify, 6);
    assert_eq!(w[0], 0, "no error");
    assert_eq!(w[2], 409);
    assert_eq!(w[3], 4, "category conflict");
    assert_eq!(w[5] & 1, 0, "not retryable");
    let input = classify_input(|e| {
        e.object(1).key("status").number(503.0);
    });
    let (w, _) = call(&input, wasm::classify, 6);
    assert_eq!(w[5] & 1, 1, "retryable");
}

#[wasm_bindgen_test]
fn a_bad_call_reports_its_code_and_message() {
    let input = classify_input(|e| {
        e.number(5.0);
    });
    let (w, text) = call(&input, wasm::classify, 2);
    assert_eq!(w[0], 1, "an error");
    assert_eq!(w[1], 0, "ERR_INPUT_NOT_OBJECT is the first code");
    assert!(text.contains("expects an object"), "{text}");
}

#[wasm_bindgen_test]
fn a_large_body_grows_memory_and_the_next_call_reuses_it() {
    let mut body =
        br#"{"errors":[{"message":"busy","type":"retryablelogical","code":4002}]}"#.to_vec();
    body.resize(8 * 1024 * 1024, b' ');
    for _ in 0..3 {
        let input = classify_input(|e| {
            e.object(2)
                .key("status")
                .number(520.0)
                .key("body")
                .bytes(&body, false);
        });
        let (w, text) = call(&input, wasm::classify, 6);
        assert_eq!(w[0], 0);
        assert_eq!(w[1], 1, "vendor veeam");
        assert_eq!(w[3], 5, "category busy");
        assert!(text.contains("4002"), "the code is in the text: {text}");
    }
}

#[wasm_bindgen_test]
fn explain_finds_a_documented_code() {
    let mut e = Encoder::default();
    e.array(2).string("atlassian").string("127");
    let (w, _) = call(&e.out, wasm::explain, 4);
    assert_eq!((w[0], w[1]), (0, 1), "found");
    assert_eq!(w[3], 409, "its status");
}

#[wasm_bindgen_test]
fn a_registered_vendor_is_kept_between_operations() {
    let mut e = Encoder::default();
    e.array(1).object(4).key("id").string("rubrik");
    e.key("detect")
        .object(1)
        .key("fields")
        .array(1)
        .string("errorType");
    e.key("code").string("/errorType");
    e.key("codes").array(1).object(4);
    e.key("code")
        .string("ObjectNotFound")
        .key("category")
        .string("not_found");
    e.key("action")
        .string("fix_request")
        .key("summary")
        .string("Gone.");
    let (w, text) = call(&e.out, wasm::vendors, 2);
    assert_eq!((w[0], w[1]), (0, 0), "registered at position 0: {text}");
    let input = classify_input(|e| {
        e.object(2)
            .key("status")
            .number(404.0)
            .key("body")
            .string(r#"{"errorType":"ObjectNotFound"}"#);
    });
    let (w, _) = call(&input, wasm::classify, 6);
    assert_eq!(
        (w[0], w[1]),
        (0, 6),
        "vendor index 6: the first registered one"
    );
    assert_eq!(w[5] & 2, 2, "documented");
    // A bad definition changes nothing.
    let mut e = Encoder::default();
    e.array(1).object(1).key("id").string("Bad");
    let (w, text) = call(&e.out, wasm::vendors, 2);
    assert_eq!(w[0], 1, "an error");
    assert!(text.starts_with("registerVendor: id: "), "{text}");
    let mut e = Encoder::default();
    e.array(2).string("rubrik").string("objectnotfound");
    let (w, _) = call(&e.out, wasm::explain, 2);
    assert_eq!((w[0], w[1]), (0, 1), "still found");
}
