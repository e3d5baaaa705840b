//! `src/generated.d.ts` is what `src/typegen.rs` renders: the literal unions of the package's
//! types (`Category`, `Action`, `Jitter`, …) are written once, in Rust, from the name tables the
//! module itself uses. A stale file fails here (and so `npm test`);
//! `UPDATE_LAYOUT=1 cargo test --test generated_types` writes it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[test]
fn the_generated_types_are_what_the_crate_renders() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/generated.d.ts");
    let want = backup_errors::typegen::generated_d_ts();
    if std::env::var_os("UPDATE_LAYOUT").is_some() {
        std::fs::write(path, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        have == want,
        "src/generated.d.ts is stale: run `UPDATE_LAYOUT=1 cargo test --test generated_types` and commit it.\n--- the crate renders:\n{want}"
    );
}

/// The hand-kept declarations spell none of the generated unions again.
#[test]
fn the_hand_kept_types_do_not_declare_the_generated_unions() {
    for file in ["src/types.d.ts", "pkg-template/src/api.d.ts"] {
        let text =
            std::fs::read_to_string(format!("{}/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        for u in backup_errors::typegen::unions() {
            for declared in [
                format!("export type {} ", u.name),
                format!("export type {}=", u.name),
            ] {
                assert!(
                    !text.contains(&declared),
                    "{file} declares {}, which src/generated.d.ts generates",
                    u.name
                );
            }
        }
    }
}
