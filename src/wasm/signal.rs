//! A future that completes when an `AbortSignal` fires.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::convert::thrown_message;
use crate::error::StreamError;

/// Completes when the signal's `abort` event fires; stays pending forever without a signal.
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
}

impl Future for AbortWatch {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
        match &mut self.watched {
            Some(watched) if watched.done => Poll::Ready(()),
            Some(watched) => {
                let fired = Pin::new(&mut watched.fired).poll(context).map(|_| ());
                watched.done = fired.is_ready();
                fired
            }
            None => Poll::Pending,
        }
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
