//! Properties checked by the fuzz targets, kept in a library so that `cargo test` replays the
//! seed corpus and every input that once crashed without libFuzzer.
#![forbid(unsafe_code)]

pub mod jwt;
pub mod query_filter;
pub mod response;
