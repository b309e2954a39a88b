//! The one error type of the SDK and the transport details attached to it.
//!
//! Every variant names the operation (the JavaScript method name, for example `upsertUsers`)
//! and, where there is one, the rejected value or Stream's own message. No variant ever contains
//! the API secret: the secret only enters [`crate::tokens::TokenSigner::new`], which keeps a
//! keyed HMAC state and never formats it.

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::jwt::{JwtError, TimeError};
pub use crate::metadata::{Metadata, ResponseSummary};

/// The category of a failure, sent as the `kind` field of the JavaScript `StreamError`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Stream returned an error envelope.
    Api,
    /// An argument was rejected before anything was signed or sent.
    InvalidArgument,
    /// No response arrived within the client's timeout.
    Timeout,
    /// The caller's `AbortSignal` fired.
    Abort,
    /// The request could not be sent or the connection failed.
    Network,
    /// The response was not JSON or did not have the expected shape.
    UnexpectedResponse,
    /// `waitForTask` saw the task end with status `failed`.
    TaskFailed,
    /// `waitForTask` gave up after its `timeoutMs`.
    TaskTimeout,
    /// A bug inside the SDK, such as a caught Rust panic.
    Internal,
}

impl ErrorKind {
    /// Returns the value of the JavaScript `kind` field, for example `"invalid_argument"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Api => "api",
            ErrorKind::InvalidArgument => "invalid_argument",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Abort => "abort",
            ErrorKind::Network => "network",
            ErrorKind::UnexpectedResponse => "unexpected_response",
            ErrorKind::TaskFailed => "task_failed",
            ErrorKind::TaskTimeout => "task_timeout",
            ErrorKind::Internal => "internal",
        }
    }
}

/// Stream's error envelope (`APIError` in the OpenAPI spec), as sent with 4xx and 5xx responses.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ApiErrorBody {
    /// Stream's error code, for example 4 (input error) or 9 (rate limited).
    pub code: Option<i64>,
    /// Stream's message.
    pub message: String,
    /// Per-field details.
    pub exception_fields: Option<Map<String, Value>>,
    /// Link to Stream's documentation of the code.
    pub more_info: Option<String>,
    /// `true` when retrying the same request cannot succeed.
    pub unrecoverable: Option<bool>,
}

/// The reason `verifyToken` rejected a token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenRejection {
    /// The token is malformed, uses another algorithm or has a wrong signature.
    #[error(transparent)]
    Signature(#[from] JwtError),
    /// The token's time claims make it unusable now.
    #[error(transparent)]
    Time(#[from] TimeError),
}

/// An error from any SDK operation.
///
/// The message ([`std::fmt::Display`]) starts with the operation and states what failed, on
/// which value, and what to do next; the fields carry the machine-readable context.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum StreamError {
    /// An argument was rejected before anything was signed or sent.
    #[error("{operation}: {argument} {problem}")]
    InvalidArgument {
        /// The operation that rejected the argument.
        operation: &'static str,
        /// The argument, with a path into it, for example `users[1].id`.
        argument: String,
        /// The problem, including the rejected value.
        problem: String,
    },
    /// `verifyToken` rejected a token.
    #[error("{operation}: token rejected: {source}")]
    InvalidToken {
        /// The operation, `verifyToken`.
        operation: &'static str,
        /// The reason.
        #[source]
        source: TokenRejection,
    },
    /// Stream returned an error status.
    #[error("{operation} failed with HTTP {status}: {}", api_message(.body))]
    Api {
        /// The operation that sent the request.
        operation: &'static str,
        /// HTTP status code.
        status: u16,
        /// The decoded error envelope.
        body: Box<ApiErrorBody>,
        /// Transport details of the request.
        metadata: Box<Metadata>,
    },
    /// The client's timeout expired before a response arrived. The timeout bounds the whole
    /// call, retries and the waits between them included.
    #[error(
        "{operation} timed out after {timeout_ms} ms{}; \
         raise `timeout` in the StreamClient options to wait longer",
        attempts_note(*attempts)
    )]
    Timeout {
        /// The operation that sent the request.
        operation: &'static str,
        /// The timeout that expired, in milliseconds.
        timeout_ms: u32,
        /// The number of attempts made, the last one included.
        attempts: u32,
        /// Transport details of the request.
        metadata: Box<Metadata>,
    },
    /// The caller's `AbortSignal` fired.
    #[error("{operation} was aborted by its signal after {elapsed_ms} ms")]
    Abort {
        /// The operation that was aborted.
        operation: &'static str,
        /// Time from the start of the call to the abort, in milliseconds.
        elapsed_ms: u32,
        /// Transport details of the request in flight, if there was one.
        metadata: Box<Metadata>,
    },
    /// The request could not be sent or the connection failed.
    #[error("{operation} failed: network error: {reason}")]
    Network {
        /// The operation that sent the request.
        operation: &'static str,
        /// The runtime's description of the failure, with URLs removed.
        reason: String,
        /// Transport details of the request.
        metadata: Box<Metadata>,
    },
    /// The response was not JSON or did not have the expected shape.
    #[error(
        "{operation} failed: unexpected response with HTTP {status}: {problem}; \
         the body starts with {excerpt:?}"
    )]
    UnexpectedResponse {
        /// The operation that sent the request.
        operation: &'static str,
        /// HTTP status code.
        status: u16,
        /// The problem with the body.
        problem: String,
        /// The first characters of the body.
        excerpt: String,
        /// The JSON parse error, when the body is not JSON.
        #[source]
        source: Option<Arc<serde_json::Error>>,
        /// Transport details of the request.
        metadata: Box<Metadata>,
    },
    /// `waitForTask` saw the task end with status `failed`.
    #[error("{operation}: task {task_id} failed: {description}")]
    TaskFailed {
        /// The operation, `waitForTask`.
        operation: &'static str,
        /// The task's ID.
        task_id: String,
        /// The task's error description, or its whole error object as JSON.
        description: String,
        /// Transport details of the last `getTask` request.
        metadata: Box<Metadata>,
    },
    /// `waitForTask` gave up waiting.
    #[error(
        "{operation}: task {task_id} did not finish within {timeout_ms} ms \
         (last status {last_status:?}); raise `timeoutMs` to wait longer"
    )]
    TaskTimeout {
        /// The operation, `waitForTask`.
        operation: &'static str,
        /// The task's ID.
        task_id: String,
        /// The timeout that expired, in milliseconds.
        timeout_ms: u32,
        /// The status seen last, or an empty string if no `getTask` request completed.
        last_status: String,
    },
    /// A call split into several requests stopped before all of them succeeded. The kind,
    /// status, Stream error envelope and metadata are those of `source`.
    #[error("{operation}: {summary}. Cause: {source}")]
    PartialFailure {
        /// The operation that was split.
        operation: &'static str,
        /// The request that failed and how much of the call was done.
        summary: String,
        /// The error that stopped the call.
        #[source]
        source: Box<StreamError>,
    },
    /// A bug inside the SDK.
    #[error("{operation}: internal error in stream-edge ({detail}); please report it")]
    Internal {
        /// The operation that hit the bug.
        operation: &'static str,
        /// The failure, described without user data.
        detail: String,
    },
}

fn attempts_note(attempts: u32) -> String {
    if attempts > 1 {
        format!(" ({attempts} attempts)")
    } else {
        String::new()
    }
}

fn api_message(body: &ApiErrorBody) -> String {
    match body.code {
        Some(code) => format!("Stream error code {code}: {}", body.message),
        None => body.message.clone(),
    }
}

impl StreamError {
    /// Creates an [`StreamError::InvalidArgument`].
    pub fn invalid_argument(
        operation: &'static str,
        argument: impl Into<String>,
        problem: impl Into<String>,
    ) -> Self {
        StreamError::InvalidArgument {
            operation,
            argument: argument.into(),
            problem: problem.into(),
        }
    }

    /// Returns the category of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            StreamError::InvalidArgument { .. } | StreamError::InvalidToken { .. } => {
                ErrorKind::InvalidArgument
            }
            StreamError::Api { .. } => ErrorKind::Api,
            StreamError::Timeout { .. } => ErrorKind::Timeout,
            StreamError::Abort { .. } => ErrorKind::Abort,
            StreamError::Network { .. } => ErrorKind::Network,
            StreamError::UnexpectedResponse { .. } => ErrorKind::UnexpectedResponse,
            StreamError::TaskFailed { .. } => ErrorKind::TaskFailed,
            StreamError::TaskTimeout { .. } => ErrorKind::TaskTimeout,
            StreamError::Internal { .. } => ErrorKind::Internal,
            StreamError::PartialFailure { source, .. } => source.kind(),
        }
    }

    /// Returns the operation (JavaScript method name) that failed.
    pub fn operation(&self) -> &'static str {
        match self {
            StreamError::InvalidArgument { operation, .. }
            | StreamError::InvalidToken { operation, .. }
            | StreamError::Api { operation, .. }
            | StreamError::Timeout { operation, .. }
            | StreamError::Abort { operation, .. }
            | StreamError::Network { operation, .. }
            | StreamError::UnexpectedResponse { operation, .. }
            | StreamError::TaskFailed { operation, .. }
            | StreamError::TaskTimeout { operation, .. }
            | StreamError::PartialFailure { operation, .. }
            | StreamError::Internal { operation, .. } => operation,
        }
    }

    /// Returns the HTTP status code of a failed response. Errors that are not about a response
    /// (a failed task, a timeout) have none; their `metadata` may still hold the status.
    pub fn status(&self) -> Option<u16> {
        match self {
            StreamError::Api { status, .. } | StreamError::UnexpectedResponse { status, .. } => {
                Some(*status)
            }
            StreamError::PartialFailure { source, .. } => source.status(),
            _ => None,
        }
    }

    /// Returns Stream's error envelope, for [`StreamError::Api`] only.
    pub fn api_body(&self) -> Option<&ApiErrorBody> {
        match self {
            StreamError::Api { body, .. } => Some(body.as_ref()),
            StreamError::PartialFailure { source, .. } => source.api_body(),
            _ => None,
        }
    }

    /// Returns the transport details, for errors that happened during or after a request.
    pub fn metadata(&self) -> Option<&Metadata> {
        match self {
            StreamError::Api { metadata, .. }
            | StreamError::Timeout { metadata, .. }
            | StreamError::Abort { metadata, .. }
            | StreamError::Network { metadata, .. }
            | StreamError::UnexpectedResponse { metadata, .. }
            | StreamError::TaskFailed { metadata, .. } => Some(metadata),
            StreamError::PartialFailure { source, .. } => source.metadata(),
            _ => None,
        }
    }

    /// Returns a copy of this error reported under another operation name.
    ///
    /// `waitForTask` uses this so that failures of its `getTask` requests name `waitForTask`.
    pub fn with_operation(mut self, name: &'static str) -> Self {
        match &mut self {
            StreamError::InvalidArgument { operation, .. }
            | StreamError::InvalidToken { operation, .. }
            | StreamError::Api { operation, .. }
            | StreamError::Timeout { operation, .. }
            | StreamError::Abort { operation, .. }
            | StreamError::Network { operation, .. }
            | StreamError::UnexpectedResponse { operation, .. }
            | StreamError::TaskFailed { operation, .. }
            | StreamError::TaskTimeout { operation, .. }
            | StreamError::PartialFailure { operation, .. }
            | StreamError::Internal { operation, .. } => *operation = name,
        }
        self
    }
}

/// Replaces every `http://` or `https://` URL in `text` with `<url>`.
///
/// Runtimes put the request URL into some network error messages (Deno does), and that URL
/// carries the `api_key` and possibly credentials in `basePath`, so messages keep none.
pub fn redact_urls(text: &str) -> String {
    let mut redacted = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = ["http://", "https://"]
        .iter()
        .filter_map(|scheme| rest.find(scheme))
        .min()
    {
        redacted.push_str(&rest[..start]);
        redacted.push_str("<url>");
        let url_and_after = &rest[start..];
        let end = url_and_after
            .find(|c: char| c.is_whitespace() || matches!(c, ')' | '"' | '\'' | '>'))
            .unwrap_or(url_and_after.len());
        rest = &url_and_after[end..];
    }
    redacted.push_str(rest);
    redacted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_strings_match_the_js_contract() {
        let kinds = [
            (ErrorKind::Api, "api"),
            (ErrorKind::InvalidArgument, "invalid_argument"),
            (ErrorKind::Timeout, "timeout"),
            (ErrorKind::Abort, "abort"),
            (ErrorKind::Network, "network"),
            (ErrorKind::UnexpectedResponse, "unexpected_response"),
            (ErrorKind::TaskFailed, "task_failed"),
            (ErrorKind::TaskTimeout, "task_timeout"),
            (ErrorKind::Internal, "internal"),
        ];
        for (kind, text) in kinds {
            assert_eq!(kind.as_str(), text);
        }
    }

    #[test]
    fn invalid_argument_message_names_argument() {
        let error = StreamError::invalid_argument("getTask", "id", "must be a string, got 5");

        assert_eq!(error.to_string(), "getTask: id must be a string, got 5");
        assert_eq!(error.kind(), ErrorKind::InvalidArgument);
        assert!(error.metadata().is_none());
    }

    #[test]
    fn api_message_has_operation_code_and_text() {
        let error = StreamError::Api {
            operation: "upsertUsers",
            status: 400,
            body: Box::new(ApiErrorBody {
                code: Some(4),
                message: "role \"emperor\" is not defined".into(),
                ..ApiErrorBody::default()
            }),
            metadata: Box::default(),
        };

        assert_eq!(
            error.to_string(),
            "upsertUsers failed with HTTP 400: Stream error code 4: role \"emperor\" is not defined"
        );
        assert_eq!(error.status(), Some(400));
        assert_eq!(error.api_body().and_then(|b| b.code), Some(4));
    }

    #[test]
    fn timeout_message_has_milliseconds() {
        let error = StreamError::Timeout {
            operation: "queryUsers",
            timeout_ms: 250,
            attempts: 1,
            metadata: Box::new(Metadata::request_only("id-1")),
        };

        assert_eq!(
            error.to_string(),
            "queryUsers timed out after 250 ms; \
             raise `timeout` in the StreamClient options to wait longer"
        );
        assert_eq!(error.kind(), ErrorKind::Timeout);
        assert_eq!(error.status(), None);
    }

    #[test]
    fn timeout_message_counts_retries() {
        let error = StreamError::Timeout {
            operation: "getTask",
            timeout_ms: 3000,
            attempts: 3,
            metadata: Box::default(),
        };

        assert!(error
            .to_string()
            .starts_with("getTask timed out after 3000 ms (3 attempts); raise"));
    }

    #[test]
    fn with_operation_renames() {
        let error = StreamError::Abort {
            operation: "getTask",
            elapsed_ms: 12,
            metadata: Box::default(),
        };

        let renamed = error.with_operation("waitForTask");

        assert_eq!(renamed.operation(), "waitForTask");
        assert_eq!(
            renamed.to_string(),
            "waitForTask was aborted by its signal after 12 ms"
        );
    }

    #[test]
    fn redact_urls_removes_every_url() {
        let text = "error sending request for url (http://u:p@127.0.0.1:9/api?api_key=k): \
                    connection refused; see https://example.com/x";

        assert_eq!(
            redact_urls(text),
            "error sending request for url (<url>): connection refused; see <url>"
        );
        assert_eq!(redact_urls("fetch failed"), "fetch failed");
    }
}
