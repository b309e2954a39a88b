//! Response decoding: status check, Stream's error envelope, JSON body and timestamps.

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::decoded::{decode, Decoded};
use crate::error::{ApiErrorBody, Metadata, StreamError};
use crate::timestamps::Schema;

/// Maximum number of characters of an unexpected body quoted in an error message.
const EXCERPT_CHARS: usize = 120;

/// Returns the first [`EXCERPT_CHARS`] characters of `body`.
pub(crate) fn excerpt(body: &str) -> String {
    match body.char_indices().nth(EXCERPT_CHARS) {
        Some((end, _)) => format!("{}…", &body[..end]),
        None => body.to_owned(),
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Decodes a response of `operation` with HTTP `status` and text `body`.
///
/// A 2xx response must carry a JSON object, which is decoded as `schema`. Any other status
/// becomes [`StreamError::Api`] when the body is Stream's error envelope (an object with a
/// numeric `code` or a string `message`), and [`StreamError::UnexpectedResponse`] otherwise,
/// as does a 2xx body that is not a JSON object.
pub fn decode_response(
    operation: &'static str,
    schema: Option<Schema>,
    status: u16,
    body: &str,
    metadata: Metadata,
) -> Result<Decoded, StreamError> {
    let unexpected = |problem: String, source: Option<serde_json::Error>, metadata: Metadata| {
        StreamError::UnexpectedResponse {
            operation,
            status,
            problem,
            excerpt: excerpt(body),
            source: source.map(Arc::new),
            metadata: Box::new(metadata),
        }
    };

    let parsed = match serde_json::from_str::<Value>(body) {
        Ok(value) => value,
        Err(error) => {
            let problem = format!("the body is not valid JSON ({error})");
            return Err(unexpected(problem, Some(error), metadata));
        }
    };

    if !(200..300).contains(&status) {
        return match parsed {
            Value::Object(envelope) if is_error_envelope(&envelope) => Err(StreamError::Api {
                operation,
                status,
                body: Box::new(error_body(envelope)),
                metadata: Box::new(metadata),
            }),
            other => {
                let problem = format!(
                    "expected Stream's error envelope, got {}",
                    json_type(&other)
                );
                Err(unexpected(problem, None, metadata))
            }
        };
    }

    match parsed {
        object @ Value::Object(_) => Ok(decode(object, schema)),
        other => {
            let problem = format!("expected a JSON object, got {}", json_type(&other));
            Err(unexpected(problem, None, metadata))
        }
    }
}

fn is_error_envelope(envelope: &Map<String, Value>) -> bool {
    envelope.get("code").is_some_and(Value::is_number)
        || envelope.get("message").is_some_and(Value::is_string)
}

fn error_body(mut envelope: Map<String, Value>) -> ApiErrorBody {
    let message = match envelope.remove("message") {
        Some(Value::String(message)) if !message.is_empty() => message,
        _ => String::from("no message"),
    };
    ApiErrorBody {
        code: envelope.get("code").and_then(Value::as_i64),
        message,
        exception_fields: match envelope.remove("exception_fields") {
            Some(Value::Object(fields)) => Some(fields),
            _ => None,
        },
        more_info: match envelope.remove("more_info") {
            Some(Value::String(link)) if !link.is_empty() => Some(link),
            _ => None,
        },
        unrecoverable: envelope.get("unrecoverable").and_then(Value::as_bool),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ErrorKind, ResponseSummary};
    use crate::rate_limit::RateLimit;

    fn metadata(status: u16) -> Metadata {
        Metadata {
            client_request_id: Some(String::from("req-1")),
            response: Some(ResponseSummary {
                status,
                rate_limit: RateLimit::default(),
            }),
        }
    }

    #[test]
    fn success_decodes_with_schema() {
        let body = r#"{"task_id":"t","status":"pending","created_at":"2024-01-01T00:00:00Z"}"#;

        let decoded = decode_response(
            "getTask",
            Some(Schema::GetTaskResponse),
            200,
            body,
            metadata(200),
        )
        .unwrap();

        assert!(matches!(
            decoded.get("created_at"),
            Some(Decoded::Timestamp(_))
        ));
        assert_eq!(
            decoded.get("status").and_then(Decoded::as_str),
            Some("pending")
        );
    }

    #[test]
    fn error_envelope_becomes_api_error() {
        let body = r#"{"code":4,"message":"UpdateUsers failed with error: \"role emperor is not defined\"",
            "exception_fields":{"role":"emperor"},"StatusCode":400,"duration":"0.1ms",
            "more_info":"https://getstream.io/chat/docs/api_errors_response","unrecoverable":true}"#;

        let error = decode_response("upsertUsers", None, 400, body, metadata(400)).unwrap_err();

        assert_eq!(error.kind(), ErrorKind::Api);
        assert_eq!(error.status(), Some(400));
        assert_eq!(
            error.to_string(),
            "upsertUsers failed with HTTP 400: Stream error code 4: UpdateUsers failed with \
             error: \"role emperor is not defined\""
        );
        let api = error.api_body().unwrap();
        assert_eq!(api.code, Some(4));
        assert_eq!(api.unrecoverable, Some(true));
        assert_eq!(api.exception_fields.as_ref().unwrap()["role"], "emperor");
        assert_eq!(
            api.more_info.as_deref(),
            Some("https://getstream.io/chat/docs/api_errors_response")
        );
        assert_eq!(error.metadata(), Some(&metadata(400)));
    }

    #[test]
    fn non_json_error_is_unexpected_response() {
        let error =
            decode_response("getTask", None, 404, "404 page not found", metadata(404)).unwrap_err();

        assert_eq!(error.kind(), ErrorKind::UnexpectedResponse);
        assert_eq!(error.status(), Some(404));
        let text = error.to_string();
        assert!(
            text.starts_with("getTask failed: unexpected response with HTTP 404"),
            "{text}"
        );
        assert!(
            text.ends_with("the body starts with \"404 page not found\""),
            "{text}"
        );
        assert!(std::error::Error::source(&error).is_some());
    }

    #[test]
    fn truncated_body_is_unexpected_response() {
        let error = decode_response(
            "queryUsers",
            None,
            200,
            r#"{"users":[{"id":"#,
            metadata(200),
        )
        .unwrap_err();

        assert_eq!(error.kind(), ErrorKind::UnexpectedResponse);
        assert!(error.to_string().contains("not valid JSON"), "{error}");
    }

    #[test]
    fn success_must_be_an_object() {
        let error = decode_response("getTask", None, 200, "[1,2]", metadata(200)).unwrap_err();

        assert!(
            error
                .to_string()
                .contains("expected a JSON object, got an array"),
            "{error}"
        );
    }

    #[test]
    fn error_json_without_envelope_is_unexpected() {
        let error =
            decode_response("getTask", None, 502, r#"{"oops":1}"#, metadata(502)).unwrap_err();

        assert_eq!(error.kind(), ErrorKind::UnexpectedResponse);
        assert_eq!(error.status(), Some(502));
    }

    #[test]
    fn excerpt_is_short_and_char_safe() {
        let body = "é".repeat(500);

        let short = excerpt(&body);

        assert_eq!(short.chars().count(), EXCERPT_CHARS + 1);
        assert!(short.ends_with('…'));
    }
}
