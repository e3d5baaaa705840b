//! Reading JS values the way serde-wasm-bindgen did (it was removed for size: ~60 KB of
//! wasm), so the same inputs are accepted and refused:
//!
//! * a [`Classification`] as `decide`, `schedule` and `RetryCall.next` receive it: every
//!   field of the contract by name (`Reflect.get`, so getters and prototypes count), optional
//!   fields `null`/`undefined`/absent, integers as safe integers (or a `BigInt` for
//!   `retryAfterMs`), enums as their strings (or `{ variant: null }`), `items` as an array or
//!   any iterable; unknown fields ignored;
//! * options objects as JSON [`Value`]s: `null`/`undefined` → `null`, safe integers →
//!   integers, other numbers → floats (`NaN`/`±Infinity` → `null`, as serde_json has it),
//!   `BigInt` within 64 bits → integers, arrays, plain objects (`Object.entries`) and `Map`s;
//!   anything else (functions, symbols, bytes, other iterables) is refused.

use super::raw::{action_at, category_at, processed_at, vendor_at};
use crate::json::{Map, Number, Value};
use crate::model::{Action, Category, Classification, ItemError, Processed, Vendor};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Number, js_name = isSafeInteger)]
    fn is_safe_integer(value: &JsValue) -> bool;
    /// `String(value)`: a `BigInt`'s digits.
    #[wasm_bindgen(js_name = String)]
    fn big_int_to_string(value: &JsValue) -> String;
}

/// What was wrong, worded as serde's errors were (`invalid type: …, expected …`).
pub(super) type Problem = String;

fn describe(value: &JsValue) -> String {
    if value.is_undefined() || value.is_null() {
        "unit value".to_string()
    } else if let Some(b) = value.as_bool() {
        format!("boolean `{b}`")
    } else if let Some(n) = value.as_f64() {
        format!("floating point `{}`", super::number_text(n))
    } else if let Some(s) = value.as_string() {
        format!("string {}", crate::text::quoted(&s))
    } else {
        value.js_typeof().as_string().unwrap_or_default()
    }
}

fn invalid(value: &JsValue, expected: &str) -> Problem {
    format!("invalid type: {}, expected {expected}", describe(value))
}

/// A field by name; `None` when it is `undefined` and not `in` the object (a missing field).
fn field(object: &JsValue, name: &str) -> Option<JsValue> {
    let key = JsValue::from_str(name);
    let value = Reflect::get(object, &key).unwrap_or(JsValue::UNDEFINED);
    if value.is_undefined() && !Reflect::has(object, &key).unwrap_or(false) {
        return None;
    }
    Some(value)
}

fn required(object: &JsValue, name: &str) -> Result<JsValue, Problem> {
    field(object, name).ok_or_else(|| format!("missing field `{name}`"))
}

fn nullish(value: &JsValue) -> bool {
    value.is_undefined() || value.is_null()
}

fn string(value: &JsValue) -> Result<String, Problem> {
    value.as_string().ok_or_else(|| invalid(value, "a string"))
}

fn opt_string(object: &JsValue, name: &str) -> Result<Option<String>, Problem> {
    match field(object, name) {
        Some(v) if !nullish(&v) => string(&v).map(Some),
        _ => Ok(None),
    }
}

fn boolean(value: &JsValue) -> Result<bool, Problem> {
    value.as_bool().ok_or_else(|| invalid(value, "a boolean"))
}

/// A non-negative safe integer, as serde-wasm-bindgen reads unsigned integers.
fn unsigned(value: &JsValue, max: u64, expected: &str) -> Result<u64, Problem> {
    match value.as_f64() {
        Some(n) if is_safe_integer(value) && n >= 0.0 => {
            let n = n as u64;
            if n <= max {
                Ok(n)
            } else {
                Err(format!("invalid value: integer `{n}`, expected {expected}"))
            }
        }
        _ => Err(invalid(value, expected)),
    }
}

/// An optional status (an item's): a `u16` from a safe integer; absent or null → `None`.
fn opt_status(object: &JsValue, name: &str) -> Result<Option<u16>, Problem> {
    match field(object, name) {
        Some(v) if !nullish(&v) => unsigned(&v, u64::from(u16::MAX), "u16").map(|n| Some(n as u16)),
        _ => Ok(None),
    }
}

/// `retryAfterMs`: a `u64` from a safe integer or a `BigInt`.
fn opt_u64(object: &JsValue, name: &str) -> Result<Option<u64>, Problem> {
    let value = match field(object, name) {
        Some(v) if !nullish(&v) => v,
        _ => return Ok(None),
    };
    if value.is_bigint() {
        return big_int_to_string(&value)
            .parse::<u64>()
            .map(Some)
            .map_err(|_| {
                "Couldn't deserialize u64 from a BigInt outside u64::MIN..u64::MAX bounds"
                    .to_string()
            });
    }
    unsigned(&value, u64::MAX, "u64").map(Some)
}

/// An enum written as its string, or as `{ variant: null }`, like serde-wasm-bindgen.
fn variant<T: Copy>(
    value: &JsValue,
    at: fn(u32) -> Option<T>,
    name: fn(T) -> &'static str,
    what: &str,
) -> Result<T, Problem> {
    let tag = if let Some(s) = value.as_string() {
        s
    } else if value.is_object() {
        let entries = Object::entries(value.unchecked_ref());
        if entries.length() != 1 {
            return Err(format!("invalid length {}, expected 1", entries.length()));
        }
        let pair: Array = entries.get(0).unchecked_into();
        if !nullish(&pair.get(1)) {
            return Err(invalid(&pair.get(1), "unit variant"));
        }
        pair.get(0).as_string().unwrap_or_default()
    } else {
        return Err(invalid(value, what));
    };
    (0..)
        .map_while(at)
        .find(|&v| name(v) == tag)
        .ok_or_else(|| {
            format!(
                "unknown variant `{}`, expected {what}",
                crate::text::bounded(&tag)
            )
        })
}

fn vendor(value: &JsValue) -> Result<Vendor, Problem> {
    variant(value, vendor_at, Vendor::id, "a vendor id")
}

fn category(value: &JsValue) -> Result<Category, Problem> {
    variant(value, category_at, Category::name, "a category")
}

fn action(value: &JsValue) -> Result<Action, Problem> {
    variant(value, action_at, Action::name, "an action")
}

/// `processed`, optional (classifications from before the field existed, or built by hand):
/// when absent it is what the status and category say.
fn processed(object: &JsValue, status: u16, category: Category) -> Result<Processed, Problem> {
    match field(object, "processed") {
        Some(v) if !nullish(&v) => variant(
            &v,
            processed_at,
            Processed::name,
            "\"no\", \"maybe\" or \"yes\"",
        ),
        _ => Ok(crate::classify::processed(status, category)),
    }
}

fn item(value: &JsValue) -> Result<ItemError, Problem> {
    if !value.is_object() {
        return Err(invalid(value, "struct ItemError"));
    }
    let action = action(&required(value, "action")?)?;
    Ok(ItemError {
        code: opt_string(value, "code")?,
        message: opt_string(value, "message")?,
        target: opt_string(value, "target")?,
        status: opt_status(value, "status")?,
        category: category(&required(value, "category")?)?,
        action,
        retryable: action.is_retryable(),
        retry_after_ms: opt_u64(value, "retryAfterMs")?,
        summary: opt_string(value, "summary")?,
    })
}

fn items(value: &JsValue) -> Result<Vec<ItemError>, Problem> {
    if Array::is_array(value) {
        return Array::from(value).iter().map(|v| item(&v)).collect();
    }
    match js_sys::try_iter(value) {
        Ok(Some(iter)) => iter
            .map(|v| {
                v.map_err(|_| "the items iterator threw".to_string())
                    .and_then(|v| item(&v))
            })
            .collect(),
        _ => Err(invalid(value, "a sequence")),
    }
}

/// A [`Classification`] as returned by `classify()` (or built by hand to the same contract).
pub(super) fn classification(value: &JsValue) -> Result<Classification, Problem> {
    if !value.is_object() {
        return Err(invalid(value, "struct Classification"));
    }
    let v = value;
    let status = unsigned(&required(v, "status")?, u64::from(u16::MAX), "u16")? as u16;
    let category = category(&required(v, "category")?)?;
    Ok(Classification {
        vendor: vendor(&required(v, "vendor")?)?,
        status,
        code: opt_string(v, "code")?,
        message: opt_string(v, "message")?,
        category,
        action: action(&required(v, "action")?)?,
        retryable: boolean(&required(v, "retryable")?)?,
        processed: processed(v, status, category)?,
        retry_after_ms: opt_u64(v, "retryAfterMs")?,
        summary: string(&required(v, "summary")?)?,
        remediation: opt_string(v, "remediation")?,
        parameter: opt_string(v, "parameter")?,
        request_id: opt_string(v, "requestId")?,
        documented: boolean(&required(v, "documented")?)?,
        items: items(&required(v, "items")?)?,
    })
}

/// Any JS value as JSON, as serde-wasm-bindgen deserialised a `serde_json::Value`.
pub(super) fn json(value: &JsValue) -> Result<Value<'static>, Problem> {
    if nullish(value) {
        return Ok(Value::Null);
    }
    if let Some(b) = value.as_bool() {
        return Ok(Value::Bool(b));
    }
    if value.is_bigint() {
        let text = big_int_to_string(value);
        return text
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| text.parse::<u64>().map(Value::from))
            .map_err(|_| {
                "Couldn't deserialize i64 or u64 from a BigInt outside i64::MIN..u64::MAX bounds"
                    .to_string()
            });
    }
    if let Some(n) = value.as_f64() {
        return Ok(if is_safe_integer(value) {
            Value::from(n as i64)
        } else {
            Number::from_text(&super::number_text(n))
                .map_or(Value::Null, |n| Value::Number(n).into_owned())
        });
    }
    if let Some(s) = value.as_string() {
        return Ok(Value::from(s));
    }
    if Array::is_array(value) {
        return Array::from(value)
            .iter()
            .map(|v| json(&v))
            .collect::<Result<_, _>>()
            .map(Value::Array);
    }
    if value.is_instance_of::<js_sys::Uint8Array>() || value.is_instance_of::<js_sys::ArrayBuffer>()
    {
        return Err("invalid type: byte array, expected any valid JSON value".to_string());
    }
    let iterable = Reflect::has(value, &js_sys::Symbol::iterator()).unwrap_or(false);
    if value.is_object() && (!iterable || value.is_instance_of::<js_sys::Map>()) {
        let mut map = Map::new();
        let mut insert = |pair: JsValue| -> Result<(), Problem> {
            let pair: Array = pair.unchecked_into();
            let key = pair.get(0);
            let key = key
                .as_string()
                .ok_or_else(|| invalid(&key, "a string key"))?;
            map.insert(key, json(&pair.get(1))?);
            Ok(())
        };
        match js_sys::try_iter(value) {
            Ok(Some(iter)) => {
                for pair in iter {
                    insert(pair.map_err(|_| "the iterator threw".to_string())?)?;
                }
            }
            _ => {
                for pair in Object::entries(value.unchecked_ref()).iter() {
                    insert(pair)?;
                }
            }
        }
        return Ok(Value::Object(map));
    }
    Err(invalid(value, "any valid JSON value"))
}
