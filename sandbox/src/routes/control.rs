//! The control API under `/_sandbox/`, which is not part of Stream's API: health, reset,
//! fault injection and the request log. Every route but `health` needs the header
//! `Authorization: Bearer <api secret>`.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::from_fn;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

use super::{method_not_allowed, unknown_endpoint};
use crate::auth::header_text;
use crate::error::{code, ApiError, ApiResult};
use crate::input::read_json_object;
use crate::pipeline;
use crate::reply::json_response;
use crate::state::SharedState;

/// Builds the control routes, nested under `/_sandbox`.
pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/health", get(health))
        .route("/reset", post(reset))
        .route(
            "/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
        .route("/requests", get(list_requests))
        .fallback(unknown_endpoint)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(from_fn(pipeline::buffered))
}

/// Checks `Authorization: Bearer <api secret>` in constant time.
fn check_secret(state: &SharedState, headers: &HeaderMap, operation: &str) -> ApiResult<()> {
    let given = header_text(headers, "authorization").unwrap_or_default();
    let given = given.strip_prefix("Bearer ").unwrap_or_default().as_bytes();
    let expected = state.config.api_secret.as_bytes();
    let mut difference = u8::from(given.len() != expected.len());
    for (index, byte) in expected.iter().enumerate() {
        difference |= byte ^ given.get(index).copied().unwrap_or(0);
    }
    if difference != 0 {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            code::API_KEY,
            format!(
                "{operation} failed: the sandbox control API needs the header \
                 Authorization: Bearer <api secret>"
            ),
        ));
    }
    Ok(())
}

/// Control responses are plain JSON, without the `duration` of Stream's responses.
fn reply(status: StatusCode, body: Value) -> Response {
    json_response(status, &body)
}

/// `GET /_sandbox/health`: `{"ok": true}` while the server runs. Needs no secret.
async fn health() -> Response {
    reply(StatusCode::OK, json!({"ok": true}))
}

/// `POST /_sandbox/reset`: removes users, tasks, faults, rate-limit counts and the log.
async fn reset(State(state): State<SharedState>, headers: HeaderMap) -> ApiResult<Response> {
    check_secret(&state, &headers, "Reset")?;
    state.db.clear().await?;
    state.faults.clear();
    state.limiter.clear();
    state.requests.clear();
    tracing::info!("sandbox reset: users, tasks, faults, rate limits and request log cleared");
    Ok(reply(StatusCode::OK, json!({"ok": true})))
}

fn faults_body(state: &SharedState) -> Value {
    let faults: Vec<Value> = state
        .faults
        .list()
        .iter()
        .map(|fault| fault.to_json())
        .collect();
    json!({ "faults": faults })
}

/// `GET /_sandbox/faults`: the pending faults.
async fn list_faults(State(state): State<SharedState>, headers: HeaderMap) -> ApiResult<Response> {
    check_secret(&state, &headers, "ListFaults")?;
    Ok(reply(StatusCode::OK, faults_body(&state)))
}

/// `POST /_sandbox/faults`: adds a fault and returns every pending one.
async fn add_fault(
    State(state): State<SharedState>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    check_secret(&state, &headers, "AddFault")?;
    let body = read_json_object("AddFault", &headers, body, false).await?;
    let fault = state.faults.add(&Value::Object(body))?;
    tracing::info!(
        fault_id = fault.id,
        method = fault.method.as_deref().unwrap_or("any"),
        path = fault.path.as_deref().unwrap_or("any"),
        count = fault.remaining,
        status = fault.status,
        delay_ms = fault.delay_ms,
        "fault added"
    );
    Ok(reply(StatusCode::CREATED, faults_body(&state)))
}

/// `DELETE /_sandbox/faults`: removes every fault.
async fn clear_faults(State(state): State<SharedState>, headers: HeaderMap) -> ApiResult<Response> {
    check_secret(&state, &headers, "ClearFaults")?;
    state.faults.clear();
    Ok(reply(StatusCode::OK, faults_body(&state)))
}

/// `GET /_sandbox/requests`: the latest API requests, oldest first.
async fn list_requests(
    State(state): State<SharedState>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    check_secret(&state, &headers, "ListRequests")?;
    Ok(reply(
        StatusCode::OK,
        json!({ "requests": state.requests.to_json() }),
    ))
}
