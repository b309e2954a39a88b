//! A future that completes when an `AbortSignal` fires, and the error it leads to.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::convert::thrown_message;
use super::errors::Failure;
use crate::error::{Metadata, StreamError};

/// Completes with the signal's `reason` when its `abort` event fires; stays pending forever
/// without a signal.
///
/// Any object with a boolean `aborted` and `addEventListener` / `removeEventListener` works,
/// so signals of other realms and polyfills are accepted too.
pub struct AbortWatch {
    watched: Option<Watched>,
}

struct Watched {
    signal: JsValue,
    listener: Function,
    fired: JsFuture,
    /// Whether `fired` completed, which a `JsFuture` reports only once.
    done: bool,
}

fn method(signal: &JsValue, name: &str) -> Option<Function> {
    Reflect::get(signal, &JsValue::from_str(name))
        .ok()?
        .dyn_into::<Function>()
        .ok()
}

impl AbortWatch {
    /// Watches `signal`, which may be `undefined` or `null` for no signal.
    pub fn new(operation: &'static str, signal: &JsValue) -> Result<Self, StreamError> {
        if signal.is_undefined() || signal.is_null() {
            return Ok(Self { watched: None });
        }
        let invalid = |reason: String| {
            StreamError::invalid_argument(
                operation,
                "signal",
                format!("must be an AbortSignal ({reason})"),
            )
        };
        let (Some(add), Some(_)) = (
            method(signal, "addEventListener"),
            method(signal, "removeEventListener"),
        ) else {
            return Err(invalid(String::from("it has no addEventListener method")));
        };

        let mut listener = None;
        let promise = Promise::new(&mut |resolve, _reject| listener = Some(resolve));
        let Some(listener) = listener else {
            return Err(invalid(String::from("the Promise executor did not run")));
        };
        add.call2(signal, &JsValue::from_str("abort"), &listener)
            .map_err(|thrown| invalid(thrown_message(&thrown)))?;

        Ok(Self {
            watched: Some(Watched {
                signal: signal.clone(),
                listener,
                fired: JsFuture::from(promise),
                done: false,
            }),
        })
    }

    /// Returns whether the signal has already fired.
    pub fn aborted(&self) -> bool {
        let Some(watched) = &self.watched else {
            return false;
        };
        Reflect::get(&watched.signal, &JsValue::from_str("aborted"))
            .map(|aborted| aborted.is_truthy())
            .unwrap_or(false)
    }

    /// Returns the signal's `reason`, `undefined` without a signal or in runtimes whose
    /// signals have no reason.
    pub fn reason(&self) -> JsValue {
        self.watched
            .as_ref()
            .and_then(|watched| Reflect::get(&watched.signal, &JsValue::from_str("reason")).ok())
            .unwrap_or(JsValue::UNDEFINED)
    }
}

impl Future for AbortWatch {
    type Output = JsValue;

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<JsValue> {
        let fired = match &mut self.watched {
            Some(watched) if watched.done => true,
            Some(watched) => {
                watched.done = Pin::new(&mut watched.fired).poll(context).is_ready();
                watched.done
            }
            None => false,
        };
        if fired {
            Poll::Ready(self.reason())
        } else {
            Poll::Pending
        }
    }
}

/// Builds the `abort` error of `operation`, which started at `started_ms` (Unix
/// milliseconds). The signal's `reason` becomes the error's `cause`.
pub fn abort_failure(
    operation: &'static str,
    client_request_id: Option<&str>,
    started_ms: f64,
    reason: JsValue,
) -> Failure {
    let metadata = client_request_id
        .map(Metadata::request_only)
        .unwrap_or_default();
    let elapsed_ms = (js_sys::Date::now() - started_ms).max(0.0).round() as u32;
    Failure {
        error: StreamError::Abort {
            operation,
            elapsed_ms,
            metadata: Box::new(metadata),
        },
        headers: None,
        cause: (!reason.is_undefined()).then_some(reason),
    }
}

impl Drop for AbortWatch {
    fn drop(&mut self) {
        if let Some(watched) = &self.watched {
            if let Some(remove) = method(&watched.signal, "removeEventListener") {
                let _ = remove.call2(
                    &watched.signal,
                    &JsValue::from_str("abort"),
                    &watched.listener,
                );
            }
        }
    }
}
