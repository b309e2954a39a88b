//! A future that completes after a delay, on the global `setTimeout`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use js_sys::Promise;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use super::bindings::{clear_timeout, set_timeout};

/// Completes `ms` milliseconds after creation. Dropping it cancels the timer, so no pending
/// timer keeps a Node process alive.
pub struct Timer {
    handle: JsValue,
    fired: JsFuture,
}

impl Timer {
    /// Starts a timer of `ms` milliseconds.
    pub fn new(ms: u32) -> Self {
        let mut handle = JsValue::UNDEFINED;
        let promise = Promise::new(&mut |resolve, _reject| handle = set_timeout(&resolve, ms));
        Self {
            handle,
            fired: JsFuture::from(promise),
        }
    }
}

impl Future for Timer {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
        Pin::new(&mut self.fired).poll(context).map(|_| ())
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        clear_timeout(&self.handle);
    }
}
