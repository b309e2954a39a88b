//! The sandbox's `filter_conditions`: parsing, matching and the SQLite ID pre-selection.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| stream_edge_fuzz::query_filter::check(data));
