//! `pkg-template/layout.js` is what `src/wire/layout.rs` renders: the numbers both sides of
//! the wire agree on are written once, in Rust. A stale file fails here (and so `npm test`);
//! `UPDATE_LAYOUT=1 cargo test --test layout` writes it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[test]
fn the_js_layout_is_what_the_crate_renders() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/pkg-template/layout.js");
    let want = backup_errors::wire::layout::layout_js();
    if std::env::var_os("UPDATE_LAYOUT").is_some() {
        std::fs::write(path, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        have == want,
        "pkg-template/layout.js is stale: run `UPDATE_LAYOUT=1 cargo test --test layout` and commit it.\n--- the crate renders:\n{want}"
    );
}
