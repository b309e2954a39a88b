//! JWT decoding, verification, time checks and token signing.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| stream_edge_fuzz::jwt::check(data));
