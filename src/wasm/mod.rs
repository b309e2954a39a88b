//! The JavaScript API: the `StreamClient` class and `setStreamErrorClass`.
//!
//! This layer converts values between JavaScript and the core and performs the I/O (`fetch`,
//! timers, abort signals). All checks, request building and decoding happen in the core.
//! Rust panics are caught where JavaScript calls in ([`guard`] for synchronous methods,
//! [`executor`] for the futures behind promises) and surface as a `StreamError` of kind
//! `internal`, so one bug does not break the instance for later calls.

mod api;
mod bindings;
mod bulk;
mod client;
mod convert;
mod errors;
mod executor;
mod fetch;
mod guard;
mod json_check;
mod logger;
#[cfg(feature = "panic-probe")]
mod panic_probe;
mod signal;
mod timer;
mod tokens;
mod wait;

pub use client::StreamClient;
pub use errors::set_stream_error_class;

use wasm_bindgen::prelude::wasm_bindgen;

/// Installs the panic hook when the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    guard::install_panic_hook();
}
