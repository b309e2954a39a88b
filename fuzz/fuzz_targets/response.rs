//! Response decoding: error envelopes, JSON bodies, timestamps, rate-limit headers, task status.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| stream_edge_fuzz::response::check(data));
