//! Successful JSON responses, with the `duration` field every Stream response carries.

use std::time::Instant;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

tokio::task_local! {
    /// The moment the current request arrived, set around each request by the pipeline.
    pub static REQUEST_START: Instant;
}

/// Returns the time since the current request arrived in Stream's format, `"1.23ms"`.
pub fn request_duration() -> String {
    let elapsed = REQUEST_START.try_with(Instant::elapsed).unwrap_or_default();
    format!("{:.2}ms", elapsed.as_secs_f64() * 1000.0)
}

/// Serializes a JSON value into a response with the given status.
pub fn json_response(status: StatusCode, body: &Value) -> Response {
    // Serializing a `Value` cannot fail, because every map key is a string.
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut response = (status, bytes).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// A successful API response: a status and the body's fields without `duration`.
#[derive(Debug)]
pub struct Reply {
    status: StatusCode,
    body: Map<String, Value>,
}

impl Reply {
    /// Creates a 200 OK response, used by reads and by the partial update.
    pub fn ok(body: Map<String, Value>) -> Self {
        Self {
            status: StatusCode::OK,
            body,
        }
    }

    /// Creates a 201 Created response, which Stream sends for every POST.
    pub fn created(body: Map<String, Value>) -> Self {
        Self {
            status: StatusCode::CREATED,
            body,
        }
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let mut body = self.body;
        body.insert(String::from("duration"), Value::String(request_duration()));
        json_response(self.status, &Value::Object(body))
    }
}
