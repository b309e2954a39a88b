//! Reading request input: query parameters and JSON bodies up to the size limit.

use std::convert::Infallible;

use axum::body::Body;
use axum::body::Bytes;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use http_body_util::BodyExt;
use serde_json::{Map, Value};

use crate::error::{code, ApiError, ApiResult};
use crate::validate::describe;

/// Maximum request body size, in bytes (1 MiB).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// Maximum number of bytes of a too-large body read before the 413 response (8 MiB).
pub const MAX_DRAINED_BYTES: usize = 8 * 1024 * 1024;

/// The raw query of a request whose query the lenient listener moved into a header.
#[derive(Debug, Clone)]
pub struct MovedQuery(pub String);

/// The raw query string of a request, as sent: from the URI, or from [`MovedQuery`].
#[derive(Debug, Clone)]
pub struct RawQuery(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for RawQuery {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let moved = parts
            .extensions
            .get::<MovedQuery>()
            .map(|query| query.0.clone());
        Ok(Self(moved.or_else(|| parts.uri.query().map(str::to_owned))))
    }
}

/// Decoded query parameters, in request order.
#[derive(Debug, Default, Clone)]
pub struct QueryParams {
    pairs: Vec<(String, String)>,
}

impl QueryParams {
    /// Decodes a raw query string. Invalid UTF-8 becomes U+FFFD, so it fails the checks
    /// on the value instead of the whole request.
    pub fn parse(raw: Option<&str>) -> Self {
        let pairs = form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
        Self { pairs }
    }

    /// Returns the first value of a parameter.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Parses JSON text into a value, turning every syntax, depth and number-range problem
/// into a 400 with code 4.
pub fn parse_json(operation: &str, what: &str, text: &[u8]) -> ApiResult<Value> {
    serde_json::from_slice(text)
        .map_err(|error| ApiError::input(operation, format!("{what} is not valid JSON: {error}")))
}

/// Reads a whole request body of at most [`MAX_BODY_BYTES`].
///
/// A body over the limit gets 413. Up to [`MAX_DRAINED_BYTES`] of it are read and dropped
/// first, because a client that is still sending when the server closes the connection
/// gets a reset instead of the response. A body announced larger than that is rejected
/// before reading.
pub async fn read_limited(headers: &HeaderMap, body: Body) -> ApiResult<Bytes> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_DRAINED_BYTES as u64) {
        return Err(ApiError::payload_too_big(MAX_BODY_BYTES));
    }

    let mut body = body;
    let mut bytes = Vec::new();
    let mut total = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|error| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                code::INPUT,
                format!("failed to read the request body: {error}"),
            )
        })?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        total = total.saturating_add(data.len());
        if total <= MAX_BODY_BYTES {
            bytes.extend_from_slice(&data);
        } else if total > MAX_DRAINED_BYTES {
            break;
        }
    }
    if total > MAX_BODY_BYTES {
        return Err(ApiError::payload_too_big(MAX_BODY_BYTES));
    }
    Ok(Bytes::from(bytes))
}

/// Reads the request body with [`read_limited`] and parses it as a JSON object. An empty
/// body reads as `{}` when `empty_is_object`, for requests whose fields are all optional.
///
/// The content type is not checked, as JSON is the only format the API reads, so a form
/// or XML body fails as invalid JSON.
pub async fn read_json_object(
    operation: &str,
    headers: &HeaderMap,
    body: Body,
    empty_is_object: bool,
) -> ApiResult<Map<String, Value>> {
    if let Some(encoding) = headers.get(header::CONTENT_ENCODING) {
        let encoding = String::from_utf8_lossy(encoding.as_bytes());
        if !encoding.eq_ignore_ascii_case("identity") {
            return Err(ApiError::input(
                operation,
                format!("Content-Encoding {encoding:?} is not supported: send plain JSON"),
            ));
        }
    }
    let bytes = read_limited(headers, body).await?;
    if bytes.is_empty() && empty_is_object {
        return Ok(Map::new());
    }
    if bytes.is_empty() {
        return Err(ApiError::input(
            operation,
            "the request body is empty: send a JSON object",
        ));
    }
    match parse_json(operation, "the request body", &bytes)? {
        Value::Object(map) => Ok(map),
        other => Err(ApiError::input(
            operation,
            format!(
                "the request body must be a JSON object, got {}",
                describe(&other)
            ),
        )),
    }
}
