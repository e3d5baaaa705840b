//! JavaScript bindings (wasm32 only): converts JS values to the core's types and back, and
//! turns the crate's [`Error`] into JS `Error` objects in exactly one place ([`js_error`]).
//! No classification logic lives here.
//!
//! Two ways across the boundary, chosen by measurement (bench/, docs/performance.md):
//!
//! * The exported `classify`, `explain`, `catalog` and the `RetryPolicy`/`RetryCall` methods
//!   read JS objects field by field (`Reflect.get`, as before) and return their result as
//!   JSON text that `JSON.parse` turns into plain objects. One string crossing and one native
//!   parse are far cheaper than building the object property by property from wasm
//!   (serde-wasm-bindgen: ~40 µs per classification, 60 KB of wasm); the JSON goes through
//!   the types' own `Serialize`, so the shape follows the model.
//! * `pkg-template/api.js` calls the low-level exports in [`raw`] on its hot paths:
//!   primitives in, a few `u32` words out (see [`raw`] for the layout), fixed sentences by
//!   address so JS decodes each one once. Anything unusual in the arguments makes api.js fall
//!   back to the exports above, so every error is still raised here.

use crate::error::{parse_vendor, Error};
use crate::model::{ErrorInput, Vendor};
use js_sys::{Array, Object, Reflect, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

mod raw;
mod read;
mod retry;
pub use retry::{JsRetryBudget, JsRetryCall, JsRetryPolicy};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("../types.d.ts");

/// The one conversion of the crate's errors into JS: an `Error` whose `name` is
/// `"BackupErrorsError"` and whose `code` is the stable [`Error::code`].
fn js_error(error: Error) -> JsValue {
    let js = js_sys::Error::new(&error.to_string());
    js.set_name("BackupErrorsError");
    // Setting a property on a fresh Error object cannot fail.
    let _ = Reflect::set(&js, &"code".into(), &error.code().into());
    js.into()
}

/// A result as plain JS objects (`None` → `null`): its JSON, parsed by `JSON.parse`.
fn to_js<T: Serialize>(value: &T) -> JsValue {
    serde_json::to_string(value)
        .ok()
        .and_then(|json| js_sys::JSON::parse(&json).ok())
        .unwrap_or(JsValue::NULL)
}

/// A number as JS prints it (`String(n)`): done by JS, because `f64`'s `Display` would add
/// about 14 KB to the wasm.
pub(crate) fn number_text(n: f64) -> String {
    js_sys::Number::from(n)
        .to_string_with_radix(10)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

fn type_name(value: &JsValue) -> String {
    if value.is_null() {
        "null".to_string()
    } else if Array::is_array(value) {
        "an array".to_string()
    } else {
        value.js_typeof().as_string().unwrap_or_default()
    }
}

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn read_status(value: &JsValue) -> Result<u16, Error> {
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && (0.0..=999.0).contains(&n) => Ok(n as u16),
        _ => Err(Error::InvalidStatus {
            got: value
                .as_f64()
                .map(number_text)
                .unwrap_or_else(|| type_name(value)),
        }),
    }
}

pub(crate) fn read_vendor(value: &JsValue) -> Result<Option<Vendor>, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    match value.as_string() {
        Some(s) if s.trim().is_empty() || s.trim().eq_ignore_ascii_case("auto") => Ok(None),
        Some(s) => parse_vendor(&s).map(Some),
        None => Err(Error::InvalidArgument {
            name: "vendor".into(),
            expected: "a vendor id string".into(),
            got: type_name(value),
        }),
    }
}

pub(crate) fn read_optional_string(
    value: &JsValue,
    name: &'static str,
) -> Result<Option<String>, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value.as_string().map(Some).ok_or(Error::InvalidArgument {
        name: name.into(),
        expected: "a string".into(),
        got: type_name(value),
    })
}

/// A header value as text: strings as they are, numbers printed, arrays (Node's
/// `IncomingHttpHeaders`) joined with `, `; anything else is skipped.
fn header_value(value: &JsValue) -> Option<String> {
    if let Some(s) = value.as_string() {
        return Some(s);
    }
    if let Some(n) = value.as_f64() {
        return Some(number_text(n));
    }
    if Array::is_array(value) {
        let parts: Vec<String> = Array::from(value)
            .iter()
            .filter_map(|v| v.as_string())
            .collect();
        return Some(parts.join(", "));
    }
    None
}

fn push_pair(out: &mut Vec<(String, String)>, pair: &JsValue) {
    if !Array::is_array(pair) {
        return;
    }
    let pair = Array::from(pair);
    if let (Some(name), Some(value)) = (pair.get(0).as_string(), header_value(&pair.get(1))) {
        out.push((name, value));
    }
}

/// Headers as a plain object, a `Headers` (or any iterable of `[name, value]`), or an array
/// of pairs. Malformed entries are skipped: bad headers are normal input.
fn read_headers(value: &JsValue) -> Result<Vec<(String, String)>, Error> {
    let mut out = Vec::new();
    if value.is_undefined() || value.is_null() {
        return Ok(out);
    }
    if !value.is_object() {
        return Err(Error::InvalidArgument {
            name: "headers".into(),
            expected: "an object, a Headers instance or an array of [name, value] pairs".into(),
            got: type_name(value),
        });
    }
    if let Ok(Some(iter)) = js_sys::try_iter(value) {
        for pair in iter.flatten() {
            push_pair(&mut out, &pair);
        }
        return Ok(out);
    }
    for pair in Object::entries(value.unchecked_ref::<Object>()).iter() {
        push_pair(&mut out, &pair);
    }
    Ok(out)
}

/// The body as bytes: strings UTF-8 encoded, `Uint8Array`/`ArrayBuffer`/views copied,
/// other values JSON-stringified (a value that cannot be stringified counts as empty).
fn read_body(value: &JsValue) -> Vec<u8> {
    if value.is_undefined() || value.is_null() {
        return Vec::new();
    }
    if let Some(s) = value.as_string() {
        return s.into_bytes();
    }
    if let Some(bytes) = value.dyn_ref::<Uint8Array>() {
        return bytes.to_vec();
    }
    if let Some(buffer) = value.dyn_ref::<js_sys::ArrayBuffer>() {
        return Uint8Array::new(buffer).to_vec();
    }
    if ArrayBufferViewLike::is_view(value) {
        let buffer = get(value, "buffer");
        let offset = get(value, "byteOffset").as_f64().unwrap_or(0.0) as u32;
        let length = get(value, "byteLength").as_f64().unwrap_or(0.0) as u32;
        if let Some(buffer) = buffer.dyn_ref::<js_sys::ArrayBuffer>() {
            return Uint8Array::new_with_byte_offset_and_length(buffer, offset, length).to_vec();
        }
    }
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .map(String::into_bytes)
        .unwrap_or_default()
}

#[wasm_bindgen]
extern "C" {
    /// `ArrayBuffer.isView`, for typed arrays other than `Uint8Array` and `DataView`.
    type ArrayBufferViewLike;
    #[wasm_bindgen(static_method_of = ArrayBufferViewLike, js_class = "ArrayBuffer", js_name = isView)]
    fn is_view(value: &JsValue) -> bool;
}

pub(crate) fn read_input(value: &JsValue) -> Result<ErrorInput, Error> {
    if !value.is_object() || Array::is_array(value) {
        return Err(Error::InputNotObject {
            got: type_name(value),
        });
    }
    Ok(ErrorInput {
        status: read_status(&get(value, "status"))?,
        headers: read_headers(&get(value, "headers"))?,
        body: read_body(&get(value, "body")),
        vendor: read_vendor(&get(value, "vendor"))?,
        method: read_optional_string(&get(value, "method"), "method")?,
    })
}

/// Says what a failed response means and what to do next. Never throws on bad bodies or
/// headers; throws a `BackupErrorsError` with a stable `code` on a bad call.
#[wasm_bindgen(js_name = classify, unchecked_return_type = "Classification")]
pub fn classify_js(
    #[wasm_bindgen(unchecked_param_type = "ErrorInput")] input: JsValue,
) -> Result<JsValue, JsValue> {
    let input = read_input(&input).map_err(js_error)?;
    let now_ms = js_sys::Date::now().max(0.0) as u64;
    Ok(to_js(&crate::classify_at(&input, now_ms)))
}

/// The vendor and code arguments of `explain`, read as the JS API documents them.
fn read_explain_args(vendor: &JsValue, code: &JsValue) -> Result<(Vendor, String), Error> {
    let parsed = read_vendor(vendor).and_then(|v| {
        v.ok_or(Error::InvalidArgument {
            name: "vendor".into(),
            expected: "a vendor id string".into(),
            got: type_name(vendor),
        })
    })?;
    let code = match (code.as_string(), code.as_f64()) {
        (Some(s), _) => s,
        (None, Some(n)) if n.is_finite() => number_text(n),
        _ => {
            return Err(Error::InvalidArgument {
                name: "code".into(),
                expected: "a string or a number".into(),
                got: type_name(code),
            })
        }
    };
    Ok((parsed, code))
}

/// The documented meaning of a vendor's code (`code` as a string or a number), preferring
/// the row documented for `status`; `null` when the vendor does not document the code.
#[wasm_bindgen(js_name = explain, unchecked_return_type = "CatalogEntry | null")]
pub fn explain_js(
    #[wasm_bindgen(unchecked_param_type = "Vendor")] vendor: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | number")] code: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number | null")] status: JsValue,
) -> Result<JsValue, JsValue> {
    let (vendor, code) = read_explain_args(&vendor, &code).map_err(js_error)?;
    let status = if status.is_undefined() || status.is_null() {
        None
    } else {
        Some(read_status(&status).map_err(js_error)?)
    };
    Ok(crate::explain(vendor, &code, status).map_or(JsValue::NULL, |e| to_js(&e)))
}

/// Every documented code of one vendor, or of all vendors when `vendor` is omitted.
#[wasm_bindgen(js_name = catalog, unchecked_return_type = "CatalogEntry[]")]
pub fn catalog_js(
    #[wasm_bindgen(unchecked_param_type = "Vendor | null")] vendor: JsValue,
) -> Result<JsValue, JsValue> {
    let vendor = read_vendor(&vendor).map_err(js_error)?;
    Ok(to_js(&crate::catalog(vendor)))
}

/// A `BackupErrorsError` for a bad argument of the JS API (`name` must be `expected`),
/// so the JS layer raises the same errors as the bindings, built in [`js_error`].
#[wasm_bindgen(js_name = argumentError, skip_typescript)]
pub fn argument_error(name: String, expected: String, got: JsValue) -> JsValue {
    js_error(Error::InvalidArgument {
        name: name.into(),
        expected: expected.into(),
        got: type_name(&got),
    })
}

/// The command line's exit code for a classification (`Classification::exit_code`), so the
/// CLI does not keep its own grouping of the actions.
#[wasm_bindgen(js_name = exitCode, skip_typescript)]
pub fn exit_code(classification: JsValue) -> Result<u8, JsValue> {
    let c = retry::read_classification(&classification).map_err(js_error)?;
    Ok(c.exit_code())
}
