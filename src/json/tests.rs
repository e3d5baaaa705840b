//! The reader against serde_json: same texts accepted, same values.
use super::*;

/// Test support: the crate's tests write bodies with `serde_json::json!` and convert them.
impl From<serde_json::Value> for Value<'static> {
    fn from(v: serde_json::Value) -> Value<'static> {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => Value::Number(Number {
                text: n.to_string().into(),
            }),
            serde_json::Value::String(s) => Value::String(s.into()),
            serde_json::Value::Array(a) => Value::Array(a.into_iter().map(Value::from).collect()),
            serde_json::Value::Object(o) => Value::Object(Map {
                members: o
                    .into_iter()
                    .map(|(k, v)| (k.into(), Value::from(v)))
                    .collect(),
            }),
        }
    }
}

/// Test support: values interpolated into `serde_json::json!`.
impl serde::Serialize for Value<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let text = self.to_string();
        serde_json::from_str::<serde_json::Value>(&text)
            .map_err(serde::ser::Error::custom)?
            .serialize(s)
    }
}

/// serde_json's value for the same text, in this module's terms, with object members
/// sorted the way serde_json's map sorts them and duplicates resolved the same way.
fn normalised(v: &Value) -> Value<'static> {
    match v {
        Value::Object(m) => {
            let mut sorted = Map::new();
            for (k, v) in m.iter() {
                sorted.insert(k.to_string(), normalised(v));
            }
            sorted.members.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(sorted)
        }
        Value::Array(a) => Value::Array(a.iter().map(normalised).collect()),
        other => other.clone().into_owned(),
    }
}

/// Equal values, numbers within 1e-12 of each other (serde_json's default float
/// parsing is not exact).
fn same(a: &Option<Value>, b: &Option<Value>) -> bool {
    fn eq(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
                (Some(x), Some(y)) => x == y || (x - y).abs() <= x.abs().max(y.abs()) * 1e-12,
                _ => false,
            },
            (Value::Array(x), Value::Array(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(x, y)| eq(x, y))
            }
            (Value::Object(x), Value::Object(y)) => {
                x.len() == y.len()
                    && x.iter()
                        .zip(y.iter())
                        .all(|((kx, vx), (ky, vy))| kx == ky && eq(vx, vy))
            }
            _ => a == b,
        }
    }
    match (a, b) {
        (Some(a), Some(b)) => eq(a, b),
        (None, None) => true,
        _ => false,
    }
}

fn reference(text: &str) -> Option<Value<'static>> {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .map(Value::from)
        .map(|v| normalised(&v))
}

#[test]
fn parses_every_kind_of_value() {
    let v = parse(r#" {"a": [1, -2.5e3, true, false, null], "b": {"c": "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"}} "#).unwrap();
    assert_eq!(v["a"].as_array().unwrap().len(), 5);
    assert_eq!(v["a"].as_array().unwrap()[1].as_f64(), Some(-2500.0));
    assert_eq!(v["b"]["c"].as_str(), Some("x\"\\/\u{8}\u{c}\n\r\té😀"));
    assert!(v["missing"]["deeper"].is_null());
}

#[test]
fn refuses_what_serde_json_refuses() {
    for bad in [
        "",
        " ",
        "{",
        "[1,]",
        "{\"a\":1,}",
        "01",
        "1.",
        ".5",
        "+1",
        "1e",
        "-",
        "[1 2]",
        "{\"a\" 1}",
        "{a:1}",
        "'a'",
        "\"\\x\"",
        "\"\\ud800\"",
        "\"\\udc00\"",
        "\"a\nb\"",
        "nul",
        "truex",
        "1e400",
        "-1e400",
        "[] []",
        "\"\\u12\"",
    ] {
        assert!(parse(bad).is_none(), "{bad:?}");
        assert!(
            serde_json::from_str::<serde_json::Value>(bad).is_err(),
            "{bad:?}"
        );
    }
}

#[test]
fn nesting_stops_where_serde_json_stops() {
    for depth in [126, 127, 128, 129] {
        let text = "[".repeat(depth) + &"]".repeat(depth);
        assert_eq!(
            parse(&text).is_some(),
            reference(&text).is_some(),
            "{depth}"
        );
    }
    assert!(parse(&("[".repeat(127) + &"]".repeat(127))).is_some());
    assert!(parse(&("[".repeat(100_000) + &"]".repeat(100_000))).is_none());
}

#[test]
fn last_duplicate_key_wins_and_numbers_keep_their_text() {
    let v = parse(r#"{"a":1,"a":2.50,"big":123456789012345678901234567890}"#).unwrap();
    assert_eq!(v["a"].as_f64(), Some(2.5));
    assert_eq!(
        v["a"].to_owned(),
        Value::Number(Number::from_text("2.50").unwrap())
    );
    let big = match &v["big"] {
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    };
    assert_eq!(big, "123456789012345678901234567890");
    assert_eq!(v["big"].as_u64(), None);
}

#[cfg(not(target_arch = "wasm32"))]
proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

    /// Random JSON-ish text: accepted exactly when serde_json accepts it, with the
    /// same value.
    #[test]
    fn agrees_with_serde_json(text in r#"[\[\]{}",:0-9.eE+\- a-c\\u/ntrfl\x00\x1f\u{e9}\u{1F600}]{0,40}"#) {
        let (ours, theirs) = (parse(&text).map(|v| normalised(&v)), reference(&text));
        proptest::prop_assert!(same(&ours, &theirs), "{:?}: {:?} {:?}", text, ours, theirs);
    }

    /// Real JSON written by serde_json: always accepted, same value.
    #[test]
    fn reads_serde_json_output(v in arbitrary_json()) {
        let text = v.to_string();
        let (ours, theirs) = (parse(&text).map(|v| normalised(&v)), reference(&text));
        proptest::prop_assert!(same(&ours, &theirs), "{}: {:?} {:?}", text, ours, theirs);
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn arbitrary_json() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
    use proptest::prelude::*;
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(serde_json::Value::from),
        (-1e300f64..1e300).prop_map(serde_json::Value::from),
        "[^\"]{0,8}|\\PC{0,8}".prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            proptest::collection::btree_map("[a-d]{0,3}", inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}
