//! Stream's server-side Users & Tokens API for edge runtimes.
//!
//! The crate has two layers. The core modules are plain Rust that builds on every target and
//! is tested natively: token signing and verification ([`tokens`], [`jwt`]), argument checks
//! ([`args`]), request building ([`requests`], [`client`]), response decoding ([`response`],
//! [`decoded`], [`timestamps`], [`rate_limit`], [`shape`]), errors ([`error`]), the retry
//! policy ([`retry`]) and task polling ([`tasks`]). Functions that depend on the time take it
//! as a parameter. On `wasm32` the `wasm` module adds the JavaScript class `StreamClient`,
//! which converts values between JavaScript and the core and sends requests with `fetch`.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod args;
pub mod bulk;
pub mod client;
pub mod constructor;
pub mod decoded;
pub mod error;
pub mod jwt;
pub mod metadata;
pub mod race;
pub mod rate_limit;
pub mod requests;
pub mod response;
pub mod retry;
pub mod shape;
pub mod tasks;
pub mod timestamps;
pub mod tokens;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use client::{ClientConfig, ClientOptions};
pub use error::{ErrorKind, StreamError};
pub use tokens::TokenSigner;
