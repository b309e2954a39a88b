//! Injected faults: the next N matching API requests stall, or fail with a chosen status.

use std::sync::Mutex;

use serde_json::{json, Map, Value};

use crate::error::{ApiError, ApiResult};
use crate::validate::describe;

/// Statuses a fault may respond with.
const FAULT_STATUSES: &[u16] = &[429, 500, 502, 503, 504];
/// Methods a fault may match.
const FAULT_METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE"];
/// Fields of a fault request.
const FAULT_FIELDS: &[&str] = &[
    "method",
    "path",
    "count",
    "status",
    "delay_ms",
    "reset_in_secs",
];
/// Name of the control operation in error messages.
const OPERATION: &str = "AddFault";

/// One pending fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// Sequence number, for listing.
    pub id: u64,
    /// Method to match, or any when `None`.
    pub method: Option<String>,
    /// Exact request path (without query) to match, or any when `None`.
    pub path: Option<String>,
    /// Requests this fault still affects.
    pub remaining: u64,
    /// Status to respond with, or `None` to handle the request normally after the delay.
    pub status: Option<u16>,
    /// Stall before responding, in milliseconds.
    pub delay_ms: Option<u64>,
    /// For status 429: seconds until `X-RateLimit-Reset`, also sent as `Retry-After`.
    pub reset_in_secs: Option<u64>,
}

impl Fault {
    /// Returns the fault as JSON for the control API.
    pub fn to_json(&self) -> Value {
        let mut fault = Map::new();
        fault.insert(String::from("id"), json!(self.id));
        fault.insert(String::from("method"), json!(self.method));
        fault.insert(String::from("path"), json!(self.path));
        fault.insert(String::from("count"), json!(self.remaining));
        fault.insert(String::from("status"), json!(self.status));
        fault.insert(String::from("delay_ms"), json!(self.delay_ms));
        fault.insert(String::from("reset_in_secs"), json!(self.reset_in_secs));
        Value::Object(fault)
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.method.as_deref().is_none_or(|m| m == method)
            && self.path.as_deref().is_none_or(|p| p == path)
    }
}

/// The pending faults, in the order they were added.
#[derive(Debug, Default)]
pub struct FaultStore {
    state: Mutex<(u64, Vec<Fault>)>,
}

impl FaultStore {
    fn lock(&self) -> std::sync::MutexGuard<'_, (u64, Vec<Fault>)> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Validates a fault request body and adds the fault.
    pub fn add(&self, body: &Value) -> ApiResult<Fault> {
        let mut fault = parse_fault(body)?;
        let mut state = self.lock();
        state.0 += 1;
        fault.id = state.0;
        state.1.push(fault.clone());
        Ok(fault)
    }

    /// Returns the pending faults.
    pub fn list(&self) -> Vec<Fault> {
        self.lock().1.clone()
    }

    /// Removes every fault.
    pub fn clear(&self) {
        self.lock().1.clear();
    }

    /// Returns the first fault matching a request and counts it down, dropping it once
    /// it has affected `count` requests.
    pub fn take(&self, method: &str, path: &str) -> Option<Fault> {
        let mut state = self.lock();
        let index = state
            .1
            .iter()
            .position(|fault| fault.matches(method, path))?;
        let fault = &mut state.1[index];
        fault.remaining -= 1;
        let taken = fault.clone();
        if fault.remaining == 0 {
            state.1.remove(index);
        }
        Some(taken)
    }
}

fn reject(field: &str, problem: String) -> ApiError {
    ApiError::field(OPERATION, field, problem)
}

fn optional_count(body: &Map<String, Value>, field: &str) -> ApiResult<Option<u64>> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(number)) if number.is_u64() => Ok(number.as_u64()),
        Some(other) => Err(reject(
            field,
            format!("must be a non-negative integer, got {}", describe(other)),
        )),
    }
}

/// The longest stall a fault may inject, so a typo cannot hold a request open for good.
const MAX_FAULT_DELAY_MS: u64 = 600_000;

/// Checks a fault request: `status` (429, 500, 502, 503 or 504) and/or `delay_ms`, an
/// optional `count` of at least 1 (default 1), `method`, `path` and, with status 429,
/// `reset_in_secs`.
fn parse_fault(body: &Value) -> ApiResult<Fault> {
    let Value::Object(body) = body else {
        return Err(ApiError::input(
            OPERATION,
            format!("the body must be a JSON object, got {}", describe(body)),
        ));
    };
    if let Some(unknown) = body
        .keys()
        .find(|key| !FAULT_FIELDS.contains(&key.as_str()))
    {
        return Err(reject(
            unknown,
            format!("is not a fault field: use {}", FAULT_FIELDS.join(", ")),
        ));
    }

    let method = match body.get("method") {
        None | Some(Value::Null) => None,
        Some(Value::String(method)) if FAULT_METHODS.contains(&method.to_uppercase().as_str()) => {
            Some(method.to_uppercase())
        }
        Some(other) => {
            return Err(reject(
                "method",
                format!(
                    "{} is not one of {}",
                    describe(other),
                    FAULT_METHODS.join(", ")
                ),
            ))
        }
    };
    let path = match body.get("path") {
        None | Some(Value::Null) => None,
        Some(Value::String(path)) if path.starts_with('/') && !path.contains('?') => {
            Some(path.clone())
        }
        Some(other) => {
            return Err(reject(
                "path",
                format!("{} is not a request path starting with /", describe(other)),
            ))
        }
    };

    let count = optional_count(body, "count")?.unwrap_or(1);
    if count == 0 {
        return Err(reject("count", String::from("must be at least 1, got 0")));
    }
    let status = match body.get("status") {
        None | Some(Value::Null) => None,
        Some(Value::Number(number))
            if number
                .as_u64()
                .is_some_and(|s| FAULT_STATUSES.iter().any(|f| u64::from(*f) == s)) =>
        {
            number.as_u64().and_then(|s| u16::try_from(s).ok())
        }
        Some(other) => {
            return Err(reject(
                "status",
                format!("{} is not one of 429, 500, 502, 503, 504", describe(other)),
            ))
        }
    };
    let delay_ms = optional_count(body, "delay_ms")?;
    if let Some(delay) = delay_ms.filter(|delay| *delay > MAX_FAULT_DELAY_MS) {
        return Err(reject(
            "delay_ms",
            format!("must be at most {MAX_FAULT_DELAY_MS} (10 minutes), got {delay}"),
        ));
    }
    let reset_in_secs = optional_count(body, "reset_in_secs")?;

    if status.is_none() && delay_ms.is_none() {
        return Err(ApiError::input(
            OPERATION,
            "a fault needs a status, a delay_ms or both",
        ));
    }
    if reset_in_secs.is_some() && status != Some(429) {
        return Err(reject(
            "reset_in_secs",
            String::from("applies only to faults with status 429"),
        ));
    }
    Ok(Fault {
        id: 0,
        method,
        path,
        remaining: count,
        status,
        delay_ms,
        reset_in_secs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn take_counts_down_and_matches() {
        let store = FaultStore::default();
        store
            .add(&json!({"method": "post", "path": "/a", "count": 2, "status": 503}))
            .unwrap();

        assert_eq!(store.take("GET", "/a"), None);
        assert_eq!(store.take("POST", "/b"), None);
        assert_eq!(store.take("POST", "/a").map(|f| f.remaining), Some(1));
        assert_eq!(store.take("POST", "/a").map(|f| f.remaining), Some(0));
        assert_eq!(store.take("POST", "/a"), None);
        assert!(store.list().is_empty());
    }

    #[test]
    fn invalid_faults_rejected() {
        let store = FaultStore::default();
        for body in [
            json!({"status": 200}),
            json!({"status": "503"}),
            json!({"status": 503, "count": 0}),
            json!({"status": 503, "count": 1.5}),
            json!({"delay_ms": -5}),
            json!({"delay_ms": 600_001}),
            json!({"delay_ms": u64::MAX}),
            json!({"status": 503, "reset_in_secs": 2}),
            json!({"status": 503, "method": "FETCH"}),
            json!({"status": 503, "path": "api"}),
            json!({"status": 503, "delay": 5}),
            json!({}),
            json!([]),
        ] {
            let error = store.add(&body).unwrap_err();
            assert_eq!(error.code, 4, "{body}");
        }
        assert!(store.list().is_empty());
    }
}
