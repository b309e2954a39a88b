//! Properties of response decoding: the status check, Stream's error envelope, JSON bodies,
//! timestamps, rate-limit headers and the task status read by `waitForTask`.
//!
//! An input is text: the first line is `STATUS OPERATION` (for example `400 upsertUsers`),
//! the rest is the response body. The body is also read as an `X-RateLimit-*` header value.

use stream_edge::decoded::Decoded;
use stream_edge::error::{Metadata, ResponseSummary};
use stream_edge::rate_limit::RateLimit;
use stream_edge::requests::Operation;
use stream_edge::response::decode_response;
use stream_edge::tasks::{Step, WaitOptions, WaitPlan};
use stream_edge::{ErrorKind, StreamError};

/// Every operation, so each response schema gets decoded.
const OPERATIONS: [Operation; 12] = [
    Operation::UpsertUsers,
    Operation::UpdateUsersPartial,
    Operation::QueryUsers,
    Operation::DeactivateUser,
    Operation::ReactivateUser,
    Operation::DeactivateUsers,
    Operation::ReactivateUsers,
    Operation::DeleteUsers,
    Operation::RestoreUsers,
    Operation::GetTask,
    Operation::CreateGuest,
    Operation::ExportUser,
];

/// Upper bound on the message of an `UnexpectedResponse` error, in characters. The excerpt
/// is capped at 121 characters and a serde_json error message is short, so a longer message
/// means the whole body leaked into it.
const MAX_UNEXPECTED_MESSAGE_CHARS: usize = 1_000;

/// The time of every `waitForTask` step, in Unix milliseconds.
const NOW_MS: f64 = 1_700_000_000_000.0;

/// Checks every response-decoding property on one input and panics when one fails.
pub fn check(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (head, body) = text.split_once('\n').unwrap_or((text.as_ref(), ""));
    let (status, operation) = parse_head(head);

    check_rate_limit(body);

    let metadata = Metadata {
        client_request_id: Some(String::from("fuzz-request")),
        response: Some(ResponseSummary {
            status,
            rate_limit: RateLimit::default(),
        }),
    };
    let name = operation.name();
    let result = decode_response(
        name,
        operation.response_schema(),
        status,
        body,
        metadata.clone(),
    );

    match result {
        Ok(decoded) => {
            assert!(
                (200..300).contains(&status),
                "decoded a body with HTTP {status}"
            );
            assert!(
                matches!(decoded, Decoded::Object(_)),
                "decoded a non-object body"
            );
            if operation == Operation::GetTask {
                check_wait_step(&decoded, &metadata);
            }
        }
        Err(error) => check_error(&error, name, status),
    }
}

/// Reads `STATUS OPERATION`. A missing or unknown part becomes `200` or `getTask`.
fn parse_head(head: &str) -> (u16, Operation) {
    let mut words = head.split_whitespace();
    let status = words.next().and_then(|w| w.parse().ok()).unwrap_or(200);
    let operation = words
        .next()
        .and_then(|w| OPERATIONS.into_iter().find(|op| op.name() == w))
        .unwrap_or(Operation::GetTask);
    (status, operation)
}

fn check_error(error: &StreamError, operation: &str, status: u16) {
    assert_eq!(error.operation(), operation);
    assert_eq!(error.status(), Some(status));
    let message = error.to_string();
    match error.kind() {
        ErrorKind::Api => {
            assert!(
                !(200..300).contains(&status),
                "an API error with HTTP {status}"
            );
            assert!(error.api_body().is_some());
        }
        ErrorKind::UnexpectedResponse => {
            let chars = message.chars().count();
            assert!(
                chars <= MAX_UNEXPECTED_MESSAGE_CHARS,
                "unexpected-response message has {chars} characters"
            );
        }
        other => panic!("decode_response returned a {} error", other.as_str()),
    }
}

/// Checks that a decoded task leads to the one next step its `status` calls for.
fn check_wait_step(task: &Decoded, metadata: &Metadata) {
    let options = WaitOptions {
        interval_ms: 500,
        timeout_ms: 60_000,
    };
    let mut plan = WaitPlan::new(String::from("fuzz-task"), options, NOW_MS);
    let status = task.get("status").and_then(Decoded::as_str);

    let step = plan.next(task, metadata, NOW_MS);

    match (status, step) {
        (Some("completed"), Step::Done) => {}
        (Some("failed"), Step::Stop(error)) => {
            assert_eq!(error.kind(), ErrorKind::TaskFailed);
            let _ = error.to_string();
        }
        (Some("completed" | "failed"), step) => panic!("task {status:?} led to {step:?}"),
        (_, Step::Sleep(ms)) => assert_eq!(ms, 500),
        (_, step) => panic!("task {status:?} led to {step:?}"),
    }
}

/// Rate-limit headers read like JavaScript's `Number(text)`: plain integers keep their value.
fn check_rate_limit(value: &str) {
    let limits = RateLimit::from_headers(|_| Some(value.to_owned()));
    let _ = limits.reset_unix_millis();

    let trimmed = value.trim();
    let plain_integer =
        !trimmed.is_empty() && trimmed.len() <= 15 && trimmed.bytes().all(|b| b.is_ascii_digit());
    if plain_integer {
        let expected: f64 = trimmed.parse().expect("digits parse as f64");
        assert_eq!(limits.limit, Some(expected));
        assert_eq!(limits.reset_unix_secs, Some(expected));
    }
}
