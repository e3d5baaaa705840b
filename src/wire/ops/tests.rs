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
