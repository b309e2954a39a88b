//! Replays the checked-in seed corpus and the saved crash inputs through each target's checks.
//!
//! `fuzz/corpus/<target>/` contains the seeds libFuzzer starts from, and
//! `fuzz/regressions/<target>/` the inputs that once made a check fail, so each stays a test
//! after its fix.

use std::fs;
use std::path::{Path, PathBuf};

fn inputs(kind: &str, target: &str) -> Vec<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(kind)
        .join(target);
    let Ok(entries) = fs::read_dir(&folder) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    paths
}

fn replay(target: &str, check: fn(&[u8])) {
    let seeds = inputs("corpus", target);
    assert!(!seeds.is_empty(), "no seed corpus in fuzz/corpus/{target}");
    for path in seeds.iter().chain(inputs("regressions", target).iter()) {
        let data = fs::read(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        eprintln!("replaying {}", path.display());
        check(&data);
    }
}

#[test]
fn jwt_inputs_pass() {
    replay("jwt", stream_edge_fuzz::jwt::check);
}

#[test]
fn query_filter_inputs_pass() {
    replay("query_filter", stream_edge_fuzz::query_filter::check);
}

#[test]
fn response_inputs_pass() {
    replay("response", stream_edge_fuzz::response::check);
}
