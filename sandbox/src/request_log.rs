//! The log of the latest API requests, read through `GET /_sandbox/requests`.

use std::collections::VecDeque;
use std::sync::Mutex;

use serde_json::{json, Value};

use crate::clock::format_timestamp;

/// Number of requests kept; older ones are dropped.
pub const CAPACITY: usize = 1000;

/// One API request and its outcome.
#[derive(Debug, Clone)]
pub struct Entry {
    /// HTTP method.
    pub method: String,
    /// Request path without the query.
    pub path: String,
    /// Response status.
    pub status: u16,
    /// `x-client-request-id` of the request, or an ID the sandbox generated.
    pub request_id: String,
    /// Arrival time, in Unix nanoseconds.
    pub at: i64,
}

/// The latest [`CAPACITY`] API requests, oldest first.
#[derive(Debug, Default)]
pub struct RequestLog {
    entries: Mutex<VecDeque<Entry>>,
}

impl RequestLog {
    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Entry>> {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Appends a request, dropping the oldest when full.
    pub fn push(&self, entry: Entry) {
        let mut entries = self.lock();
        if entries.len() == CAPACITY {
            entries.pop_front();
        }
        entries.push_back(entry);
    }

    /// Removes every entry.
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// Returns the entries as JSON, oldest first.
    pub fn to_json(&self) -> Vec<Value> {
        self.lock()
            .iter()
            .map(|entry| {
                json!({
                    "method": entry.method,
                    "path": entry.path,
                    "status": entry.status,
                    "request_id": entry.request_id,
                    "at": format_timestamp(entry.at),
                })
            })
            .collect()
    }
}
