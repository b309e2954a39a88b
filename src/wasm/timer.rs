//! A future that completes after a delay, on the global `setTimeout`.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use js_sys::Function;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use super::bindings::{clear_timeout, set_timeout};

/// State shared by the `setTimeout` callback and the future.
#[derive(Default)]
struct Shared {
    fired: Cell<bool>,
    waker: RefCell<Option<Waker>>,
}

/// Completes `ms` milliseconds after creation. Dropping it cancels the timer, so no pending
/// timer keeps a Node process alive.
///
/// The callback given to `setTimeout` wakes the task itself. Every call of the client starts
/// a timer, and waiting on a promise instead would cost a promise and two more closures.
pub struct Timer {
    handle: JsValue,
    shared: Rc<Shared>,
    /// The callback, which must live until the timer has fired or been cleared.
    _callback: Closure<dyn FnMut()>,
}

impl Timer {
    /// Starts a timer of `ms` milliseconds.
    pub fn new(ms: u32) -> Self {
        let shared = Rc::new(Shared::default());
        let in_callback = Rc::clone(&shared);
        let callback = Closure::<dyn FnMut()>::new(move || {
            in_callback.fired.set(true);
            let waker = in_callback.waker.borrow_mut().take();
            if let Some(waker) = waker {
                waker.wake();
            }
        });
        let handle = set_timeout(callback.as_ref().unchecked_ref::<Function>(), ms);
        Self {
            handle,
            shared,
            _callback: callback,
        }
    }
}

impl Future for Timer {
    type Output = ();

    fn poll(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
        if self.shared.fired.get() {
            return Poll::Ready(());
        }
        *self.shared.waker.borrow_mut() = Some(context.waker().clone());
        Poll::Pending
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        // Cleared before the callback is freed, so JavaScript never calls a freed closure.
        clear_timeout(&self.handle);
    }
}
