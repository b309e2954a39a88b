//! Conversions between JavaScript values and the core's JSON and decoded values.

use js_sys::{Array, Date, Object, Reflect, JSON};
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};

use super::json_check::{check_serializable, number_text};
use crate::decoded::{Decoded, Timestamp};
use crate::error::StreamError;

/// Returns the message of a thrown JavaScript value, for error messages.
pub fn thrown_message(thrown: &JsValue) -> String {
    if let Some(error) = thrown.dyn_ref::<js_sys::Error>() {
        return format!(
            "{}: {}",
            String::from(error.name()),
            String::from(error.message())
        );
    }
    thrown
        .as_string()
        .unwrap_or_else(|| String::from("a non-Error value was thrown"))
}

/// Converts an argument to JSON the way the official SDK serializes it: with
/// `JSON.stringify`, so `undefined` properties disappear, `Date`s become ISO strings and
/// `toJSON` methods apply. Returns `None` for `undefined`.
///
/// Functions, symbols, `BigInt`s, non-finite numbers, cycles and throwing getters are
/// reported as an invalid `argument`, naming the property (see [`check_serializable`]).
/// Getters and `toJSON` methods run twice: once for that check, once for `JSON.stringify`.
pub fn to_json(
    operation: &'static str,
    argument: &str,
    value: &JsValue,
) -> Result<Option<Value>, StreamError> {
    if value.is_undefined() {
        return Ok(None);
    }
    check_serializable(operation, argument, value)?;
    let text = JSON::stringify(value).map_err(|thrown| {
        StreamError::invalid_argument(
            operation,
            argument,
            format!("cannot be converted to JSON ({})", thrown_message(&thrown)),
        )
    })?;
    let Some(text) = text.as_string() else {
        return Ok(None);
    };
    serde_json::from_str(&text).map(Some).map_err(|error| {
        StreamError::invalid_argument(
            operation,
            argument,
            format!("cannot be read as JSON ({error})"),
        )
    })
}

/// Returns property `name` of `object`, or `undefined` when `object` is not an object.
pub fn property(
    operation: &'static str,
    object: &JsValue,
    name: &str,
) -> Result<JsValue, StreamError> {
    if !object.is_object() {
        return Ok(JsValue::UNDEFINED);
    }
    Reflect::get(object, &JsValue::from_str(name)).map_err(|thrown| {
        StreamError::invalid_argument(
            operation,
            name,
            format!("cannot be read ({})", thrown_message(&thrown)),
        )
    })
}

/// Rejects `NaN` and infinities, which `JSON.stringify` would silently turn into `null`.
pub fn check_finite(
    operation: &'static str,
    name: &str,
    value: &JsValue,
) -> Result<(), StreamError> {
    match value.as_f64() {
        Some(number) if !number.is_finite() => Err(StreamError::invalid_argument(
            operation,
            name,
            format!("must be a finite number, got {}", number_text(number)),
        )),
        _ => Ok(()),
    }
}

/// Rejects non-finite numbers in the named properties of `object`.
///
/// Errors name a property as `{prefix}{name}`, so the constructor's options read
/// `options.timeout`.
pub fn check_finite_properties(
    operation: &'static str,
    object: &JsValue,
    prefix: &str,
    names: &[&str],
) -> Result<(), StreamError> {
    for name in names {
        let value = property(operation, object, name)?;
        check_finite(operation, &format!("{prefix}{name}"), &value)?;
    }
    Ok(())
}

/// Sets `object[key] = value` as `JSON.parse` does: as an own data property, even for the
/// key `__proto__`, which an assignment would treat as the prototype.
pub fn set(object: &Object, key: &str, value: &JsValue) {
    let name = JsValue::from_str(key);
    // The objects here are new plain objects, so setting fails only when a script has put a
    // throwing setter for `key` on `Object.prototype`. The property is then left out.
    let _ = if key == "__proto__" {
        let descriptor = Object::new();
        let _ = Reflect::set(&descriptor, &JsValue::from_str("value"), value);
        for flag in ["writable", "enumerable", "configurable"] {
            let _ = Reflect::set(&descriptor, &JsValue::from_str(flag), &JsValue::TRUE);
        }
        Reflect::define_property(object, &name, &descriptor)
    } else {
        Reflect::set(object, &name, value)
    };
}

/// Converts a decoded response body to JavaScript, with timestamps as `Date` objects.
pub fn decoded_to_js(value: &Decoded) -> JsValue {
    match value {
        Decoded::Null => JsValue::NULL,
        Decoded::Bool(flag) => JsValue::from_bool(*flag),
        Decoded::Number(number) => JsValue::from_f64(*number),
        Decoded::String(text) => JsValue::from_str(text),
        Decoded::Array(items) => items.iter().map(decoded_to_js).collect::<Array>().into(),
        Decoded::Object(entries) => {
            let object = Object::new();
            for (key, item) in entries {
                set(&object, key, &decoded_to_js(item));
            }
            object.into()
        }
        Decoded::Timestamp(timestamp) => timestamp_to_js(timestamp),
    }
}

/// Returns whether `value` contains a timestamp.
fn has_timestamp(value: &Decoded) -> bool {
    match value {
        Decoded::Timestamp(_) => true,
        Decoded::Array(items) => items.iter().any(has_timestamp),
        Decoded::Object(entries) => entries.iter().any(|(_, item)| has_timestamp(item)),
        _ => false,
    }
}

/// Converts a timestamp to a JavaScript `Date`.
fn timestamp_to_js(timestamp: &Timestamp) -> JsValue {
    match timestamp {
        Timestamp::Text(text) => Date::new(&JsValue::from_str(text)).into(),
        Timestamp::UnixMillis(millis) => Date::new(&JsValue::from_f64(*millis)).into(),
    }
}

/// Replaces the timestamps in `target`, the result of `JSON.parse` on the text that
/// `decoded` was decoded from, with `Date` objects. Subtrees without timestamps are not
/// visited.
pub fn replace_timestamps(target: &JsValue, decoded: &Decoded) {
    match decoded {
        Decoded::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let index = index as u32;
                if let Decoded::Timestamp(timestamp) = item {
                    let _ = Reflect::set_u32(target, index, &timestamp_to_js(timestamp));
                } else if has_timestamp(item) {
                    if let Ok(child) = Reflect::get_u32(target, index) {
                        replace_timestamps(&child, item);
                    }
                }
            }
        }
        Decoded::Object(entries) => {
            for (key, item) in entries {
                if let Decoded::Timestamp(timestamp) = item {
                    // `JSON.parse` made every key an own data property, `__proto__` included,
                    // so this assignment replaces that property.
                    let _ =
                        Reflect::set(target, &JsValue::from_str(key), &timestamp_to_js(timestamp));
                } else if has_timestamp(item) {
                    if let Ok(child) = Reflect::get(target, &JsValue::from_str(key)) {
                        replace_timestamps(&child, item);
                    }
                }
            }
        }
        _ => {}
    }
}

/// Converts JSON to JavaScript, keeping the key order.
pub fn json_to_js(value: &Value) -> JsValue {
    match value {
        Value::Null => JsValue::NULL,
        Value::Bool(flag) => JsValue::from_bool(*flag),
        Value::Number(number) => JsValue::from_f64(number.as_f64().unwrap_or(f64::NAN)),
        Value::String(text) => JsValue::from_str(text),
        Value::Array(items) => items.iter().map(json_to_js).collect::<Array>().into(),
        Value::Object(map) => {
            let object = Object::new();
            for (key, item) in map {
                set(&object, key, &json_to_js(item));
            }
            object.into()
        }
    }
}

/// Names the JavaScript type of `value`, for messages that must not show the value itself.
pub fn type_name(value: &JsValue) -> String {
    value
        .js_typeof()
        .as_string()
        .unwrap_or_else(|| String::from("unknown"))
}
