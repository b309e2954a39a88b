//! Catching Rust panics at the points where JavaScript calls in.
//!
//! On `wasm32-unknown-unknown` a panic aborts: the panic hook runs, then the `unreachable`
//! instruction traps and the engine throws a `WebAssembly.RuntimeError`. The trap unwinds
//! only to the nearest JavaScript frame, so [`catch_panic`] runs its work inside a JavaScript
//! call and turns a trap into a `StreamError` of kind `internal`. Rust frames outside that
//! call stay intact, and the instance keeps working for later calls. [`guard`] wraps each
//! synchronous method this way, and the executor each poll of a future.
//!
//! NOTE: memory owned by the frames that trapped is leaked, and a `RefCell` borrowed across
//! the panic stays borrowed. The code keeps no borrow open across calls that could panic.

use std::cell::RefCell;
use std::sync::Once;

use js_sys::Function;
use wasm_bindgen::closure::ScopedClosure;
use wasm_bindgen::{JsCast, JsValue};

use super::errors::to_js_error;
use crate::error::StreamError;

thread_local! {
    /// The source location of the last panic, recorded by the panic hook.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs a panic hook that records the panic's source location.
///
/// The panic message is not kept: it could quote user data.
pub fn install_panic_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let location = info.location().map_or_else(
                || String::from("an unknown location"),
                |l| format!("{}:{}", l.file(), l.line()),
            );
            LAST_PANIC.with(|last| {
                if let Ok(mut last) = last.try_borrow_mut() {
                    *last = Some(location);
                }
            });
        }));
    });
}

/// Builds the `internal` error for a trap in `operation`, with the thrown value as `cause`.
pub fn internal_error(operation: &'static str, thrown: Option<JsValue>) -> JsValue {
    let location = LAST_PANIC.with(|last| last.try_borrow_mut().ok().and_then(|mut l| l.take()));
    let detail = match location {
        Some(location) => format!("Rust panic at {location}"),
        None => String::from("the WebAssembly code trapped"),
    };
    let error = StreamError::Internal { operation, detail };
    to_js_error(&error, None, thrown.as_ref())
}

/// Runs the synchronous method `operation` and returns its result, or an `internal` error if
/// it panics.
pub fn guard<T>(
    operation: &'static str,
    work: impl FnOnce() -> Result<T, JsValue>,
) -> Result<T, JsValue> {
    catch_panic(operation, move || {
        #[cfg(feature = "panic-probe")]
        super::panic_probe::trip(operation);
        work()
    })
}

/// Runs `work` and returns its result, or an `internal` error naming `operation` if it panics.
pub fn catch_panic<T>(
    operation: &'static str,
    work: impl FnOnce() -> Result<T, JsValue>,
) -> Result<T, JsValue> {
    let mut work = Some(work);
    let mut output = None;
    let mut run = || {
        if let Some(work) = work.take() {
            output = Some(work());
        }
    };

    let thrown = {
        let closure = ScopedClosure::<dyn FnMut()>::borrow_mut_aborting(&mut run);
        let function: &Function = closure.as_ref().unchecked_ref();
        function.call0(&JsValue::UNDEFINED).err()
    };
    match (output, thrown) {
        (Some(output), None) => output,
        (_, thrown) => Err(internal_error(operation, thrown)),
    }
}
