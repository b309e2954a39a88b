//! Stream's error envelope (`APIError`) and the error codes the sandbox uses.
//!
//! The codes and their HTTP statuses follow Stream's published table of API error codes.

use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use crate::reply::{json_response, request_duration};

/// Stream's numeric error codes.
pub mod code {
    /// Internal error (HTTP 5xx).
    pub const INTERNAL: i32 = -1;
    /// The API key is missing or unknown.
    pub const API_KEY: i32 = 2;
    /// Invalid input: a field, a parameter or the body.
    pub const INPUT: i32 = 4;
    /// Authentication failed for a reason without its own code.
    pub const AUTHENTICATION: i32 = 5;
    /// Too many requests in the current rate-limit window.
    pub const RATE_LIMIT: i32 = 9;
    /// The resource does not exist.
    pub const NOT_FOUND: i32 = 16;
    /// The caller may not perform this request.
    pub const NOT_ALLOWED: i32 = 17;
    /// The request body is larger than the limit.
    pub const PAYLOAD_TOO_BIG: i32 = 22;
    /// The token expired, or it was revoked.
    pub const TOKEN_EXPIRED: i32 = 40;
    /// The token's `nbf` (not before) lies in the future.
    pub const TOKEN_NOT_VALID_YET: i32 = 41;
    /// The token's `iat` (issued at) lies in the future.
    pub const TOKEN_BEFORE_ISSUED_AT: i32 = 42;
    /// The token's signature does not match, or the token is not HS256.
    pub const TOKEN_SIGNATURE: i32 = 43;
}

/// The `more_info` link, the same as in Stream's own errors.
const MORE_INFO: &str = "https://getstream.io/chat/docs/api_errors_response";

/// An error returned in Stream's `APIError` envelope.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// Stream's error code.
    pub code: i32,
    /// The message, `"<Operation> failed with error: \"<detail>\""` for operation errors.
    pub message: String,
    /// The parts most errors leave empty, boxed to keep `Result`s small.
    extra: Box<Extra>,
}

/// The optional parts of an [`ApiError`].
#[derive(Debug, Clone, Default)]
struct Extra {
    /// Names of the invalid fields with what is wrong with each.
    exception_fields: Map<String, Value>,
    /// Extra response headers, such as `Retry-After`.
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl ApiError {
    /// Creates an error with a complete message.
    pub fn new(status: StatusCode, code: i32, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            extra: Box::default(),
        }
    }

    /// Creates an error of an operation, worded as Stream words them.
    pub fn operation(status: StatusCode, code: i32, operation: &str, detail: &str) -> Self {
        Self::new(
            status,
            code,
            format!("{operation} failed with error: \"{detail}\""),
        )
    }

    /// Creates a 400 input error (code 4) of an operation.
    pub fn input(operation: &str, detail: impl AsRef<str>) -> Self {
        Self::operation(
            StatusCode::BAD_REQUEST,
            code::INPUT,
            operation,
            detail.as_ref(),
        )
    }

    /// Creates a 400 input error (code 4) that names the invalid field.
    pub fn field(operation: &str, field: &str, problem: impl AsRef<str>) -> Self {
        let problem = problem.as_ref();
        let mut error = Self::input(operation, format!("{field}: {problem}"));
        error
            .extra
            .exception_fields
            .insert(field.to_owned(), Value::String(problem.to_owned()));
        error
    }

    /// Creates a 404 error (code 16) for a resource that does not exist.
    pub fn not_found(operation: &str, detail: impl AsRef<str>) -> Self {
        Self::operation(
            StatusCode::NOT_FOUND,
            code::NOT_FOUND,
            operation,
            detail.as_ref(),
        )
    }

    /// Creates a 403 error (code 17) for a request the caller may not make.
    pub fn not_allowed(operation: &str, detail: impl AsRef<str>) -> Self {
        Self::operation(
            StatusCode::FORBIDDEN,
            code::NOT_ALLOWED,
            operation,
            detail.as_ref(),
        )
    }

    /// Creates a 401 authentication error with the given code.
    pub fn unauthorized(code: i32, operation: &str, detail: impl AsRef<str>) -> Self {
        Self::operation(StatusCode::UNAUTHORIZED, code, operation, detail.as_ref())
    }

    /// Creates a 500 internal error (code -1) and logs it. The detail must not contain
    /// secrets.
    pub fn internal(operation: &str, detail: impl AsRef<str>) -> Self {
        let detail = detail.as_ref();
        tracing::error!(operation, error = detail, "internal error");
        Self::operation(
            StatusCode::INTERNAL_SERVER_ERROR,
            code::INTERNAL,
            operation,
            detail,
        )
    }

    /// Creates a 413 error (code 22) for a body above the limit.
    pub fn payload_too_big(limit_bytes: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            code::PAYLOAD_TOO_BIG,
            format!("request body is larger than the limit of {limit_bytes} bytes"),
        )
    }

    /// Adds a response header.
    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.extra.headers.push((name, value));
        self
    }

    /// Returns whether retrying the same request cannot succeed: true for every 4xx except 408 and
    /// 429, false for throttling and server errors.
    pub fn unrecoverable(&self) -> bool {
        self.status.is_client_error()
            && self.status != StatusCode::TOO_MANY_REQUESTS
            && self.status != StatusCode::REQUEST_TIMEOUT
    }

    /// Returns the envelope as JSON, with the current request's duration.
    pub fn envelope(&self) -> Value {
        json!({
            "code": self.code,
            "message": self.message,
            "exception_fields": self.extra.exception_fields,
            "StatusCode": self.status.as_u16(),
            "duration": request_duration(),
            "more_info": MORE_INFO,
            "details": [],
            "unrecoverable": self.unrecoverable(),
        })
    }
}

/// The code and message of an error response, kept in the response's extensions for
/// the request log line.
#[derive(Debug, Clone)]
pub struct ErrorSummary {
    /// Stream's error code.
    pub code: i32,
    /// The error message.
    pub message: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = json_response(self.status, &self.envelope());
        for (name, value) in self.extra.headers {
            response.headers_mut().insert(name, value);
        }
        response.extensions_mut().insert(ErrorSummary {
            code: self.code,
            message: self.message,
        });
        response
    }
}

/// The result of an API handler.
pub type ApiResult<T> = Result<T, ApiError>;
