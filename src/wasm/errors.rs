//! JavaScript `StreamError` objects built from core errors.

use std::cell::RefCell;

use js_sys::{Array, Date, Function, Object, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::Headers;

use super::convert::{json_to_js, set};
use crate::error::{Metadata, StreamError};

thread_local! {
    /// The constructor registered with `setStreamErrorClass`.
    static ERROR_CLASS: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Registers the class whose constructor, called as `new ctor(message, fields)`, builds every
/// error this package throws or rejects with.
///
/// Each entry point of the package calls this with its `StreamError` class right after
/// loading the WebAssembly module. Until then, errors are plain `Error` objects with the same
/// fields and `name` set to `"StreamError"`.
#[wasm_bindgen(js_name = setStreamErrorClass)]
pub fn set_stream_error_class(ctor: JsValue) -> Result<(), JsValue> {
    let Some(ctor) = ctor.dyn_ref::<Function>() else {
        let message = "setStreamErrorClass: ctor must be a class or constructor function";
        return Err(js_sys::TypeError::new(message).into());
    };
    ERROR_CLASS.with(|class| *class.borrow_mut() = Some(ctor.clone()));
    Ok(())
}

/// A core error with the JavaScript values that belong to it.
pub struct Failure {
    /// The error.
    pub error: StreamError,
    /// The response headers, when a response arrived.
    pub headers: Option<Headers>,
    /// The JavaScript value behind the error, exposed as `cause`.
    pub cause: Option<JsValue>,
}

impl From<StreamError> for Failure {
    fn from(error: StreamError) -> Self {
        Self {
            error,
            headers: None,
            cause: None,
        }
    }
}

impl From<Failure> for JsValue {
    fn from(failure: Failure) -> Self {
        to_js_error(
            &failure.error,
            failure.headers.as_ref(),
            failure.cause.as_ref(),
        )
    }
}

/// Builds the `metadata` object of a response or error.
///
/// It has the fields of `@stream-io/node-sdk`: `clientRequestId`, `responseHeaders`,
/// `responseCode` and `rateLimit` (`rateLimit`, `rateLimitRemaining`, `rateLimitReset` as a
/// `Date`). Errors raised before a request was built get an empty object.
pub fn metadata_to_js(metadata: Option<&Metadata>, headers: Option<&Headers>) -> Object {
    let object = Object::new();
    let Some(metadata) = metadata else {
        return object;
    };
    if let Some(id) = &metadata.client_request_id {
        set(&object, "clientRequestId", &JsValue::from_str(id));
    }
    if let Some(response) = &metadata.response {
        let headers = headers.map_or(JsValue::UNDEFINED, |h| h.clone().into());
        set(&object, "responseHeaders", &headers);
        set(&object, "responseCode", &JsValue::from(response.status));

        let rate_limit = Object::new();
        let number = |value: Option<f64>| value.map_or(JsValue::UNDEFINED, JsValue::from_f64);
        set(&rate_limit, "rateLimit", &number(response.rate_limit.limit));
        set(
            &rate_limit,
            "rateLimitRemaining",
            &number(response.rate_limit.remaining),
        );
        let reset = response.rate_limit.reset_unix_millis();
        let reset = reset.map_or(JsValue::UNDEFINED, |ms| {
            Date::new(&JsValue::from_f64(ms)).into()
        });
        set(&rate_limit, "rateLimitReset", &reset);
        set(&object, "rateLimit", &rate_limit);
    }
    object
}

/// Builds the `fields` argument of the `StreamError` constructor.
fn fields_to_js(error: &StreamError, headers: Option<&Headers>, cause: Option<&JsValue>) -> Object {
    let fields = Object::new();
    set(&fields, "operation", &JsValue::from_str(error.operation()));
    set(&fields, "kind", &JsValue::from_str(error.kind().as_str()));
    if let Some(status) = error.status() {
        set(&fields, "status", &JsValue::from(status));
    }
    set(
        &fields,
        "metadata",
        &metadata_to_js(error.metadata(), headers),
    );

    if let Some(body) = error.api_body() {
        if let Some(code) = body.code {
            // Stream's codes are small integers, which a JavaScript number represents exactly.
            set(&fields, "code", &JsValue::from_f64(code as f64));
        }
        if let Some(unrecoverable) = body.unrecoverable {
            set(&fields, "unrecoverable", &JsValue::from_bool(unrecoverable));
        }
        if let Some(exception_fields) = &body.exception_fields {
            let value = json_to_js(&serde_json::Value::Object(exception_fields.clone()));
            set(&fields, "exception_fields", &value);
        }
        if let Some(more_info) = &body.more_info {
            set(&fields, "more_info", &JsValue::from_str(more_info));
        }
    }
    if let Some(cause) = cause {
        set(&fields, "cause", cause);
    }
    fields
}

/// Builds the JavaScript error for `error` through the registered class.
///
/// Falls back to a plain `Error` carrying the same fields when no class is registered or
/// its constructor throws.
pub fn to_js_error(
    error: &StreamError,
    headers: Option<&Headers>,
    cause: Option<&JsValue>,
) -> JsValue {
    let message = JsValue::from_str(&error.to_string());
    let fields = fields_to_js(error, headers, cause);

    let class = ERROR_CLASS.with(|class| class.borrow().clone());
    if let Some(class) = class {
        let arguments = Array::of2(&message, &fields);
        if let Ok(built) = Reflect::construct(&class, &arguments) {
            return built;
        }
    }

    let plain = js_sys::Error::new(&error.to_string());
    plain.set_name("StreamError");
    let _ = Object::assign(&plain, &fields);
    plain.into()
}
