//! `pkg-template/layout.js` and `pkg-template/messages.js` are what `src/wire/layout.rs`
//! renders: the numbers both sides of the wire agree on, and the reasons' messages, are
//! written once, in Rust. A stale file fails here (and so `npm test`);
//! `UPDATE_LAYOUT=1 cargo test --test layout` writes them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

/// Checks (or with `UPDATE_LAYOUT` writes) `pkg-template/<file>`.
fn generated(file: &str, want: String) {
    let path = format!("{}/pkg-template/{file}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("UPDATE_LAYOUT").is_some() {
        std::fs::write(&path, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "pkg-template/{file} is stale: run `UPDATE_LAYOUT=1 cargo test --test layout` and commit it.\n--- the crate renders:\n{want}"
    );
}

#[test]
fn the_js_layout_is_what_the_crate_renders() {
    generated("layout.js", backup_errors::wire::layout::layout_js());
}

#[test]
fn the_js_messages_are_what_the_crate_renders() {
    generated("messages.js", backup_errors::wire::layout::messages_js());
}
