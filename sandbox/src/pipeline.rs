//! Middleware around every request: request IDs, the access log line, the URI length limit,
//! and for the Stream API also injected faults, rate limits and the request log.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{OriginalUri, Request, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use crate::auth::header_text;
use crate::clock::{now_nanos, now_secs};
use crate::error::{code, ApiError, ErrorSummary};
use crate::faults::Fault;
use crate::input::{read_limited, MovedQuery};
use crate::lenient_io::RAW_QUERY_HEADER;
use crate::rate_limit::{endpoint_key, RateState};
use crate::reply::REQUEST_START;
use crate::request_log::Entry;
use crate::state::SharedState;

/// Maximum length of a request target (path and query), in bytes. Longer targets get 414.
pub const MAX_URI_BYTES: usize = 64 * 1024;
/// Maximum length of an `x-client-request-id` used as the request ID, in bytes.
const MAX_REQUEST_ID_BYTES: usize = 128;

/// The ID of a request: the client's `x-client-request-id`, or a new UUID.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Outermost middleware: assigns the request ID, times the request, enforces the URI
/// length limit and writes one log line per request (never the query, which may be long,
/// and never a header, which may hold a token).
pub async fn front(request: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let request_id = header_text(request.headers(), "x-client-request-id")
        .filter(|id| id.len() <= MAX_REQUEST_ID_BYTES && id.chars().all(|c| c.is_ascii_graphic()))
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());

    let mut request = request;
    request
        .extensions_mut()
        .insert(RequestId(request_id.clone()));
    if let Some(query) = request.headers_mut().remove(RAW_QUERY_HEADER) {
        let query = String::from_utf8_lossy(query.as_bytes()).into_owned();
        request.extensions_mut().insert(MovedQuery(query));
    }
    let response = REQUEST_START.scope(start, checked(request, next)).await;

    // Error responses add their code and message, which never contain the secret or a
    // token, so that a rejected request explains itself in the log.
    let elapsed_ms = start.elapsed().as_secs_f64() * 1000.0;
    let error = response.extensions().get::<ErrorSummary>();
    tracing::info!(
        %method,
        path = %path,
        status = response.status().as_u16(),
        duration_ms = format_args!("{elapsed_ms:.2}"),
        request_id = %request_id,
        error_code = error.map(|summary| summary.code),
        error = error.map(|summary| summary.message.as_str()),
        "request"
    );
    response
}

/// Returns 414 for a request target over [`MAX_URI_BYTES`] and redirects `/demo` to
/// `/demo/`. Every other request passes on.
async fn checked(request: Request, next: Next) -> Response {
    let query_length = match request.extensions().get::<MovedQuery>() {
        Some(moved) => moved.0.len() + 1,
        None => request.uri().query().map_or(0, |query| query.len() + 1),
    };
    let target_length = request.uri().path().len() + query_length;
    if target_length > MAX_URI_BYTES {
        let message =
            format!("the request URI is {target_length} bytes, over the limit of {MAX_URI_BYTES}");
        return ApiError::new(StatusCode::URI_TOO_LONG, code::INPUT, message).into_response();
    }
    if request.uri().path() == "/demo" {
        return Redirect::permanent("/demo/").into_response();
    }
    next.run(request).await
}

/// Middleware of the Stream API routes: applies a matching fault, counts the request
/// against its endpoint's rate limit, adds the `X-RateLimit-*` headers and records the
/// request in the request log.
pub async fn api(State(state): State<SharedState>, request: Request, next: Next) -> Response {
    let at = now_nanos();
    let method = request.method().clone();
    // Nested routers see the path without its prefix, so read the path as received.
    let path = request.extensions().get::<OriginalUri>().map_or_else(
        || request.uri().path().to_owned(),
        |uri| uri.0.path().to_owned(),
    );
    let request_id = request
        .extensions()
        .get::<RequestId>()
        .map(|id| id.0.clone())
        .unwrap_or_default();
    let endpoint = endpoint_key(&method, &path);

    // The body is read before anything can respond early, so that the connection stays
    // usable for the client's next request.
    let (parts, body) = request.into_parts();
    let buffered = read_limited(&parts.headers, body).await;
    let request = Request::from_parts(parts, Body::from(buffered.clone().unwrap_or_default()));

    let mut fault_response = None;
    if let Some(fault) = state.faults.take(method.as_str(), &path) {
        tracing::info!(fault_id = fault.id, %method, path = %path, "applying injected fault");
        if let Some(delay_ms) = fault.delay_ms {
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(delay_ms)) => {}
                _ = state.shutting_down() => {}
            }
        }
        if let Some(status) = fault.status {
            fault_response = Some(fault_error(&state, &endpoint, &fault, status));
        }
    }

    let response = match fault_response {
        Some(response) => response,
        None => {
            let rate = state.limiter.hit(&endpoint, now_secs());
            let mut response = match buffered {
                _ if rate.exceeded => rate_limited(rate),
                Err(error) => error.into_response(),
                Ok(_) => next.run(request).await,
            };
            rate.write_headers(response.headers_mut());
            response
        }
    };

    state.requests.push(Entry {
        method: method.to_string(),
        path,
        status: response.status().as_u16(),
        request_id,
        at,
    });
    response
}

/// Returns 429 with code 9 for a request over its endpoint's limit.
fn rate_limited(rate: RateState) -> Response {
    let retry_after = (rate.reset - now_secs()).max(0);
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        code::RATE_LIMIT,
        format!(
            "Too many requests, check response headers for more information: the limit is \
             {} requests per minute for this endpoint",
            rate.limit
        ),
    )
    .with_header(header::RETRY_AFTER, HeaderValue::from(retry_after))
    .into_response()
}

/// Builds the response of a fault with a status: 429 with code 9 and the fault's reset
/// time, or a 5xx with code -1.
fn fault_error(state: &SharedState, endpoint: &str, fault: &Fault, status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let now = now_secs();
    let mut rate = state.limiter.hit(endpoint, now);
    if status != StatusCode::TOO_MANY_REQUESTS {
        let message = format!(
            "injected fault {}: the sandbox answered {} as requested",
            fault.id,
            status.as_u16()
        );
        let mut response = ApiError::new(status, code::INTERNAL, message).into_response();
        rate.write_headers(response.headers_mut());
        return response;
    }

    let reset_in = fault
        .reset_in_secs
        .unwrap_or_else(|| (rate.reset - now).max(0).unsigned_abs());
    rate.remaining = 0;
    rate.reset = now.saturating_add(i64::try_from(reset_in).unwrap_or(i64::MAX));
    let mut response = ApiError::new(
        status,
        code::RATE_LIMIT,
        format!(
            "Too many requests (injected fault {}), retry after {reset_in} s",
            fault.id
        ),
    )
    .with_header(header::RETRY_AFTER, HeaderValue::from(reset_in))
    .into_response();
    rate.write_headers(response.headers_mut());
    response
}

/// Middleware of the control routes: reads the whole body before the handler runs, as
/// [`api`] does, so that an early error response leaves the connection usable.
pub async fn buffered(request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    match read_limited(&parts.headers, body).await {
        Ok(bytes) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Err(error) => error.into_response(),
    }
}

/// Header names the browser may read from API responses.
pub fn exposed_headers() -> [HeaderName; 3] {
    [
        HeaderName::from_static("x-ratelimit-limit"),
        HeaderName::from_static("x-ratelimit-remaining"),
        HeaderName::from_static("x-ratelimit-reset"),
    ]
}
