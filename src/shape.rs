//! The fields each operation's successful response must have.
//!
//! [`decode_response`](crate::response::decode_response) accepts any JSON object as a
//! successful body. Callers read some fields without checking them (`users` of an upsert,
//! `task_id` of a task, `status` of `getTask`). A body without them, such as a proxy's page
//! or a response of another API version, is reported here as an unexpected response, so it
//! does not surface later as `undefined`. Fields that Stream marks as required but that nothing
//! reads, such as `duration`, are not checked.

use crate::decoded::Decoded;
use crate::error::{Metadata, StreamError};
use crate::requests::Operation;
use crate::response::excerpt;

/// The JSON type a field must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expected {
    Object,
    Array,
    String,
}

impl Expected {
    fn name(self) -> &'static str {
        match self {
            Expected::Object => "an object",
            Expected::Array => "an array",
            Expected::String => "a string",
        }
    }

    fn matches(self, value: &Decoded) -> bool {
        matches!(
            (self, value),
            (Expected::Object, Decoded::Object(_))
                | (Expected::Array, Decoded::Array(_))
                | (Expected::String, Decoded::String(_))
        )
    }
}

/// Returns the fields that a successful response of `operation` must have.
fn required_fields(operation: Operation) -> &'static [(&'static str, Expected)] {
    match operation {
        Operation::UpsertUsers | Operation::UpdateUsersPartial => &[("users", Expected::Object)],
        Operation::QueryUsers => &[("users", Expected::Array)],
        Operation::DeactivateUsers | Operation::ReactivateUsers | Operation::DeleteUsers => {
            &[("task_id", Expected::String)]
        }
        Operation::GetTask => &[("task_id", Expected::String), ("status", Expected::String)],
        Operation::CreateGuest => &[
            ("user", Expected::Object),
            ("access_token", Expected::String),
        ],
        _ => &[],
    }
}

fn type_name(value: &Decoded) -> &'static str {
    match value {
        Decoded::Null => "null",
        Decoded::Bool(_) => "a boolean",
        Decoded::Number(_) => "a number",
        Decoded::String(_) => "a string",
        Decoded::Array(_) => "an array",
        Decoded::Object(_) => "an object",
        Decoded::Timestamp(_) => "a timestamp",
    }
}

/// Checks the decoded successful `body` of `operation`, reported as `label`.
///
/// Returns [`StreamError::UnexpectedResponse`] naming the first missing or mistyped field,
/// with the HTTP `status` and an excerpt of `text`, the body as received.
pub fn check_shape(
    operation: Operation,
    label: &'static str,
    status: u16,
    text: &str,
    body: &Decoded,
    metadata: &Metadata,
) -> Result<(), StreamError> {
    for (field, expected) in required_fields(operation) {
        let problem = match body.get(field) {
            Some(value) if expected.matches(value) => continue,
            Some(value) => format!(
                "field `{field}` is {}, expected {}",
                type_name(value),
                expected.name()
            ),
            None => format!("field `{field}` is missing, expected {}", expected.name()),
        };
        return Err(StreamError::UnexpectedResponse {
            operation: label,
            status,
            problem,
            excerpt: excerpt(text),
            source: None,
            metadata: Box::new(metadata.clone()),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decoded::decode;
    use crate::error::ErrorKind;
    use serde_json::Value;

    fn check(operation: Operation, text: &str) -> Result<(), StreamError> {
        let body = decode(serde_json::from_str::<Value>(text).unwrap(), None);
        check_shape(
            operation,
            operation.name(),
            200,
            text,
            &body,
            &Metadata::request_only("req-1"),
        )
    }

    #[test]
    fn complete_bodies_pass() {
        let cases = [
            (Operation::UpsertUsers, r#"{"users":{},"duration":"1ms"}"#),
            (Operation::QueryUsers, r#"{"users":[]}"#),
            (Operation::DeleteUsers, r#"{"task_id":"t"}"#),
            (Operation::GetTask, r#"{"task_id":"t","status":"pending"}"#),
            (
                Operation::CreateGuest,
                r#"{"user":{"id":"g"},"access_token":"x"}"#,
            ),
            (Operation::RestoreUsers, r#"{}"#),
            (Operation::ExportUser, r#"{"duration":"1ms"}"#),
        ];

        for (operation, text) in cases {
            assert!(check(operation, text).is_ok(), "{operation:?}: {text}");
        }
    }

    #[test]
    fn missing_field_is_unexpected() {
        let error = check(Operation::DeactivateUsers, r#"{"duration":"1ms"}"#).unwrap_err();

        assert_eq!(error.kind(), ErrorKind::UnexpectedResponse);
        assert_eq!(error.status(), Some(200));
        assert_eq!(
            error.to_string(),
            "deactivateUsers failed: unexpected response with HTTP 200: field `task_id` is \
             missing, expected a string; the body starts with \"{\\\"duration\\\":\\\"1ms\\\"}\""
        );
        assert_eq!(
            error
                .metadata()
                .and_then(|m| m.client_request_id.as_deref()),
            Some("req-1")
        );
    }

    #[test]
    fn mistyped_field_is_unexpected() {
        let users = check(Operation::QueryUsers, r#"{"users":{"a":{}}}"#).unwrap_err();
        let status = check(Operation::GetTask, r#"{"task_id":"t","status":null}"#).unwrap_err();

        assert!(
            users
                .to_string()
                .contains("field `users` is an object, expected an array"),
            "{users}"
        );
        assert!(
            status
                .to_string()
                .contains("field `status` is null, expected a string"),
            "{status}"
        );
    }
}
