//! A test-only way to make the next call of one operation panic, compiled in only with the
//! `panic-probe` feature. The shipped package is built without it, and `scripts/build-pkg.sh
//! --panic-probe` builds a separate package for the Node test of panic recovery.

use std::cell::RefCell;

use wasm_bindgen::prelude::wasm_bindgen;

thread_local! {
    /// The operation whose next call panics, if any.
    static ARMED: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Makes the next call of `operation` (a method name such as `generateUserToken` or
/// `queryUsers`) panic: a synchronous method when it starts, a network method after its
/// first response arrives.
#[wasm_bindgen(js_name = armPanicProbe)]
pub fn arm_panic_probe(operation: String) {
    ARMED.with(|armed| *armed.borrow_mut() = Some(operation));
}

/// Panics when the probe is armed for `operation`, and disarms it.
pub fn trip(operation: &str) {
    let hit = ARMED.with(|armed| {
        let mut armed = armed.borrow_mut();
        let hit = armed.as_deref() == Some(operation);
        if hit {
            *armed = None;
        }
        hit
    });
    if hit {
        panic!("panic probe tripped in {operation}");
    }
}
