//! Finds the values of an argument that `JSON.stringify` cannot represent, before the
//! argument is converted.
//!
//! `JSON.stringify` silently drops functions and symbols, writes `NaN` and infinities
//! as `null`, and throws on `BigInt`s and cycles without naming the property. Each of these
//! would send data other than what the caller passed, so [`check_serializable`] rejects them
//! and names the property. Like `JSON.stringify`, it applies `toJSON` methods (so `Date`s are
//! fine), reads own enumerable string keys only, and accepts `undefined` properties, which
//! are left out as the official SDK leaves them out.

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use super::convert::thrown_message;
use crate::error::StreamError;

/// Deepest nesting of objects and arrays accepted. The JSON parser that reads the converted
/// argument stops at 128 levels, so deeper values could not be sent anyway.
const MAX_DEPTH: usize = 100;

/// Maximum length of any array in an argument. Every element is read one by one, so an
/// array with a huge `length` (even an empty sparse one) would block the caller for minutes.
const MAX_ARRAY_LENGTH: u32 = 1_000_000;

#[wasm_bindgen]
extern "C" {
    /// Returns `Object.keys(value)`, or what it threw (a `Proxy`'s `ownKeys` trap may throw).
    #[wasm_bindgen(js_namespace = Object, js_name = keys, catch)]
    pub fn own_keys(value: &JsValue) -> Result<Array, JsValue>;
}

/// One step of the path from the argument to a nested value. Keys stay JavaScript strings
/// until an error message needs them.
enum Segment {
    Key(JsValue),
    Index(u32),
}

/// Checks that `value`, the argument named `argument` of `operation`, converts to JSON
/// without losing or changing data.
///
/// Errors name the property, for example `users[0].custom.callback`.
pub fn check_serializable(
    operation: &'static str,
    argument: &str,
    value: &JsValue,
) -> Result<(), StreamError> {
    let mut walk = Walk {
        operation,
        argument,
        path: Vec::new(),
        ancestors: Vec::new(),
    };
    walk.visit(value.clone())
}

/// Formats a number the way JavaScript's `String(number)` formats the non-finite ones.
pub fn number_text(number: f64) -> String {
    if number.is_nan() {
        String::from("NaN")
    } else if number.is_infinite() && number > 0.0 {
        String::from("Infinity")
    } else if number.is_infinite() {
        String::from("-Infinity")
    } else {
        number.to_string()
    }
}

struct Walk<'a> {
    operation: &'static str,
    argument: &'a str,
    path: Vec<Segment>,
    /// The objects that contain the value being visited, outermost first.
    ancestors: Vec<JsValue>,
}

impl Walk<'_> {
    /// Names the value being visited as the core names arguments: a property of an object
    /// argument by its bare path (`users[0].id`), an element of an array argument after the
    /// argument's name (`users[0]`), and the argument itself by its name.
    fn path_text(&self) -> String {
        let mut text = String::new();
        match self.path.first() {
            None | Some(Segment::Index(_)) => text.push_str(self.argument),
            Some(Segment::Key(_)) => {}
        }
        for segment in &self.path {
            match segment {
                Segment::Index(index) => text.push_str(&format!("[{index}]")),
                Segment::Key(key) => {
                    if !text.is_empty() {
                        text.push('.');
                    }
                    text.push_str(&key.as_string().unwrap_or_default());
                }
            }
        }
        text
    }

    fn reject(&self, problem: String) -> StreamError {
        StreamError::invalid_argument(self.operation, self.path_text(), problem)
    }

    /// Checks `value`, found at the current path, after applying its `toJSON` method.
    ///
    /// Each check is a call into JavaScript, so the common types are tested first.
    fn visit(&mut self, value: JsValue) -> Result<(), StreamError> {
        if value.is_string() {
            return Ok(());
        }
        if let Some(number) = value.as_f64() {
            return self.check_number(number);
        }
        if !value.is_object() {
            return self.check_primitive(&value);
        }

        // `JSON.stringify` calls `toJSON` on objects only (and on BigInts, which are
        // rejected anyway), and once: its result is not converted again.
        let converted = self.apply_to_json(value)?;
        if converted.is_object() {
            self.visit_container(converted)
        } else if let Some(number) = converted.as_f64() {
            self.check_number(number)
        } else {
            self.check_primitive(&converted)
        }
    }

    fn check_number(&self, number: f64) -> Result<(), StreamError> {
        if number.is_finite() {
            return Ok(());
        }
        Err(self.reject(format!(
            "must be a finite number, got {}",
            number_text(number)
        )))
    }

    /// Checks a value that is neither an object nor a number: strings, booleans, `null` and
    /// `undefined` pass, functions, symbols and BigInts do not.
    fn check_primitive(&self, value: &JsValue) -> Result<(), StreamError> {
        if let Some(function) = value.dyn_ref::<Function>() {
            let name = function
                .name()
                .as_string()
                .filter(|name| !name.is_empty())
                .map_or_else(|| String::from("a function"), |n| format!("function {n}"));
            return Err(self.reject(format!(
                "is {name}, which JSON cannot represent; pass data only"
            )));
        }
        if value.is_symbol() {
            return Err(self.reject(String::from(
                "is a Symbol, which JSON cannot represent; pass a string instead",
            )));
        }
        if value.is_bigint() {
            let digits = value
                .dyn_ref::<js_sys::BigInt>()
                .and_then(|big| big.to_string(10).ok())
                .and_then(|text| text.as_string())
                .unwrap_or_default();
            return Err(self.reject(format!(
                "is the BigInt {digits}n, which JSON cannot represent; convert it with \
                 Number() or String()"
            )));
        }
        Ok(())
    }

    /// Calls `object.toJSON(key)` when the object has such a method, as `JSON.stringify`
    /// does. The key is the property name or array index, or `""` for the argument itself.
    fn apply_to_json(&self, object: JsValue) -> Result<JsValue, StreamError> {
        let method = Reflect::get(&object, &JsValue::from_str("toJSON")).map_err(|thrown| {
            self.reject(format!("cannot be read ({})", thrown_message(&thrown)))
        })?;
        let Some(method) = method.dyn_ref::<Function>() else {
            return Ok(object);
        };
        let key = match self.path.last() {
            None => JsValue::from_str(""),
            Some(Segment::Key(key)) => key.clone(),
            Some(Segment::Index(index)) => JsValue::from_str(&index.to_string()),
        };
        method.call1(&object, &key).map_err(|thrown| {
            self.reject(format!(
                "cannot be converted: its toJSON method threw ({})",
                thrown_message(&thrown)
            ))
        })
    }

    /// Checks the elements of an array or the own enumerable properties of an object.
    fn visit_container(&mut self, container: JsValue) -> Result<(), StreamError> {
        if self
            .ancestors
            .iter()
            .any(|outer| Object::is(outer, &container))
        {
            return Err(self.reject(String::from(
                "refers back to an object that contains it (a cycle), which JSON cannot \
                 represent",
            )));
        }
        if self.ancestors.len() >= MAX_DEPTH {
            return Err(self.reject(format!(
                "is nested more than {MAX_DEPTH} levels deep; flatten the data"
            )));
        }

        self.ancestors.push(container.clone());
        let result = if Array::is_array(&container) {
            self.visit_elements(&container)
        } else {
            self.visit_properties(&container)
        };
        self.ancestors.pop();
        result
    }

    fn visit_elements(&mut self, array: &JsValue) -> Result<(), StreamError> {
        // Read through `Reflect.get`, because a `Proxy`'s `length` getter may throw.
        let length = Reflect::get(array, &JsValue::from_str("length"))
            .map_err(|thrown| self.reject(format!("cannot be read ({})", thrown_message(&thrown))))?
            .as_f64()
            .unwrap_or(0.0);
        if length > f64::from(MAX_ARRAY_LENGTH) {
            return Err(self.reject(format!(
                "has a length of {}, more than the {MAX_ARRAY_LENGTH} elements accepted",
                number_text(length)
            )));
        }
        for index in 0..length as u32 {
            self.path.push(Segment::Index(index));
            let element = Reflect::get_u32(array, index).map_err(|thrown| {
                self.reject(format!("cannot be read ({})", thrown_message(&thrown)))
            })?;
            self.visit(element)?;
            self.path.pop();
        }
        Ok(())
    }

    fn visit_properties(&mut self, object: &JsValue) -> Result<(), StreamError> {
        let keys = own_keys(object).map_err(|thrown| {
            self.reject(format!("cannot be read ({})", thrown_message(&thrown)))
        })?;
        for key in keys.iter() {
            let property = Reflect::get(object, &key);
            self.path.push(Segment::Key(key));
            let property = property.map_err(|thrown| {
                self.reject(format!("cannot be read ({})", thrown_message(&thrown)))
            })?;
            self.visit(property)?;
            self.path.pop();
        }
        Ok(())
    }
}
