//! Per-endpoint rate limits in fixed windows (a minute unless `--rate-limit-window-secs` sets
//! another length), reported in `X-RateLimit-*` headers as Stream reports them.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::http::{HeaderMap, HeaderName, HeaderValue, Method};

/// The rate-limit state of one endpoint after a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateState {
    /// Requests allowed per window.
    pub limit: u64,
    /// Requests left in the current window.
    pub remaining: u64,
    /// When the current window ends, in Unix seconds.
    pub reset: i64,
    /// Whether this request went over the limit.
    pub exceeded: bool,
}

impl RateState {
    /// Writes `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset`.
    pub fn write_headers(&self, headers: &mut HeaderMap) {
        let pairs = [
            ("x-ratelimit-limit", self.limit.to_string()),
            ("x-ratelimit-remaining", self.remaining.to_string()),
            ("x-ratelimit-reset", self.reset.to_string()),
        ];
        for (name, value) in pairs {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(HeaderName::from_static(name), value);
            }
        }
    }
}

/// Counts requests per endpoint.
#[derive(Debug)]
pub struct RateLimiter {
    limit: u64,
    /// Length of a window, in seconds; windows start at multiples of it in Unix time.
    window_secs: i64,
    /// Endpoint key to (window start in Unix seconds, requests in that window).
    windows: Mutex<HashMap<String, (i64, u64)>>,
}

impl RateLimiter {
    /// Creates a limiter that allows `limit` requests per endpoint in each window of
    /// `window_secs` seconds (at least 1).
    pub fn new(limit: u64, window_secs: u64) -> Self {
        Self {
            limit,
            window_secs: i64::try_from(window_secs.max(1)).unwrap_or(i64::MAX),
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a request to `endpoint` at `now` (Unix seconds) and returns the new state.
    /// A request over the limit is counted too, so the window stays exhausted.
    pub fn hit(&self, endpoint: &str, now: i64) -> RateState {
        let window_start = now - now.rem_euclid(self.window_secs);
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let entry = windows
            .entry(endpoint.to_owned())
            .or_insert((window_start, 0));
        if entry.0 != window_start {
            *entry = (window_start, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        RateState {
            limit: self.limit,
            remaining: self.limit.saturating_sub(entry.1),
            reset: window_start.saturating_add(self.window_secs),
            exceeded: entry.1 > self.limit,
        }
    }

    /// Forgets every count, as a reset of the sandbox does.
    pub fn clear(&self) {
        self.windows
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clear();
    }
}

/// Returns the rate-limit key of a request: the method and the path with IDs replaced by
/// placeholders, so `POST /api/v2/users/alice/deactivate` and `.../bob/deactivate` share one.
/// Every path that is not an endpoint maps to one shared key.
pub fn endpoint_key(method: &Method, path: &str) -> String {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let template = match segments.as_slice() {
        ["api", "v2", "users" | "guest"]
        | ["api", "v2", "users", "deactivate" | "reactivate" | "delete" | "restore"] => {
            path.to_owned()
        }
        ["api", "v2", "users", _, action @ ("deactivate" | "reactivate" | "export")] => {
            format!("/api/v2/users/{{user_id}}/{action}")
        }
        ["api", "v2", "tasks", _] => String::from("/api/v2/tasks/{id}"),
        // Unknown paths share one key, so random paths cannot grow the table.
        _ => String::from("(unknown path)"),
    };
    format!("{method} {template}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hit_counts_down_and_exceeds() {
        let limiter = RateLimiter::new(2, 60);
        let first = limiter.hit("GET /a", 120);
        assert_eq!(
            (first.remaining, first.reset, first.exceeded),
            (1, 180, false)
        );
        assert!(!limiter.hit("GET /a", 130).exceeded);
        let third = limiter.hit("GET /a", 179);
        assert_eq!((third.remaining, third.exceeded), (0, true));
        assert!(!limiter.hit("GET /b", 179).exceeded);
        assert!(!limiter.hit("GET /a", 180).exceeded);
    }

    #[test]
    fn hit_uses_window_length() {
        let limiter = RateLimiter::new(1, 2);
        let first = limiter.hit("GET /a", 121);
        assert_eq!((first.reset, first.exceeded), (122, false));
        assert!(limiter.hit("GET /a", 121).exceeded);
        let next_window = limiter.hit("GET /a", 122);
        assert_eq!((next_window.reset, next_window.exceeded), (124, false));
    }

    #[test]
    fn endpoint_key_replaces_ids() {
        let post = Method::POST;
        assert_eq!(
            endpoint_key(&post, "/api/v2/users/alice/deactivate"),
            "POST /api/v2/users/{user_id}/deactivate"
        );
        assert_eq!(
            endpoint_key(&post, "/api/v2/users/delete"),
            "POST /api/v2/users/delete"
        );
        assert_eq!(
            endpoint_key(&Method::GET, "/api/v2/tasks/x"),
            "GET /api/v2/tasks/{id}"
        );
        assert_eq!(
            endpoint_key(&Method::GET, "/api/v2/a/b/c"),
            "GET (unknown path)"
        );
    }
}
