//! The `logger` option: reports every retry to an object with a `warn(message, event)`
//! method, such as `console`.

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use super::convert::{set, thrown_message, type_name};
use crate::error::StreamError;
use crate::retry::{failure_reason, retry_message, WaitBasis};

/// The caller's logger.
pub struct Logger {
    target: JsValue,
    warn: Function,
}

/// One retry, as reported to the logger.
pub struct RetryReport<'a> {
    /// The error the failed attempt ended with.
    pub error: &'a StreamError,
    /// The same error as a JavaScript `StreamError`.
    pub js_error: JsValue,
    /// The number of the attempt that failed, 1 for the first.
    pub attempt: u32,
    /// The `maxRetries` option.
    pub max_retries: u32,
    /// The wait before the next attempt, in milliseconds.
    pub delay_ms: u32,
    /// The source of the wait.
    pub basis: WaitBasis,
    /// The `x-client-request-id` of the call.
    pub client_request_id: &'a str,
}

impl Logger {
    /// Reads the `logger` property of the constructor options: `None` when it is absent,
    /// `undefined` or `null`.
    pub fn from_options(
        operation: &'static str,
        options: &JsValue,
    ) -> Result<Option<Self>, StreamError> {
        if !options.is_object() {
            return Ok(None);
        }
        let invalid =
            |problem: String| StreamError::invalid_argument(operation, "options.logger", problem);
        let target = Reflect::get(options, &JsValue::from_str("logger"))
            .map_err(|_| invalid(String::from("cannot be read")))?;
        if target.is_undefined() || target.is_null() {
            return Ok(None);
        }
        let warn = if target.is_object() {
            Reflect::get(&target, &JsValue::from_str("warn")).ok()
        } else {
            None
        };
        match warn.and_then(|warn| warn.dyn_into::<Function>().ok()) {
            Some(warn) => Ok(Some(Self { target, warn })),
            None => Err(invalid(format!(
                "must be an object with a warn(message, event) method, such as console, got a \
                 value of type {}",
                type_name(&target)
            ))),
        }
    }

    /// Calls `logger.warn(message, event)` for one retry.
    ///
    /// An exception thrown by the logger is ignored, so logging never changes the outcome of
    /// a call.
    pub fn retry(&self, report: RetryReport<'_>) {
        let message = retry_message(
            report.error,
            report.attempt,
            report.max_retries,
            report.delay_ms,
            report.basis,
        );
        let event = Object::new();
        let text = |value: &str| JsValue::from_str(value);
        set(&event, "operation", &text(report.error.operation()));
        set(&event, "attempt", &JsValue::from(report.attempt));
        set(&event, "maxRetries", &JsValue::from(report.max_retries));
        set(&event, "reason", &text(&failure_reason(report.error)));
        if let Some(status) = report.error.status() {
            set(&event, "status", &JsValue::from(status));
        }
        set(&event, "delayMs", &JsValue::from(report.delay_ms));
        set(&event, "delaySource", &text(report.basis.as_str()));
        set(&event, "clientRequestId", &text(report.client_request_id));
        set(&event, "error", &report.js_error);

        let _ = self.warn.call2(&self.target, &text(&message), &event);
    }

    /// Calls `logger.warn(message, event)` for an exception thrown by the `onProgress`
    /// callback of a list method, or the rejection of the promise it returned. The event has
    /// `operation`, `reason` and `error` (the thrown value). An exception thrown by the
    /// logger is ignored.
    pub fn progress_error(&self, operation: &str, thrown: &JsValue) {
        let message = format!(
            "{operation}: onProgress threw {}; the call goes on and reports later progress",
            thrown_message(thrown)
        );
        let event = Object::new();
        set(&event, "operation", &JsValue::from_str(operation));
        set(&event, "reason", &JsValue::from_str("onProgress threw"));
        set(&event, "error", thrown);

        let _ = self
            .warn
            .call2(&self.target, &JsValue::from_str(&message), &event);
    }
}
