use super::*;
use crate::error::{ApiErrorBody, Metadata, ResponseSummary};
use crate::rate_limit::RateLimit;

const NOW_MS: f64 = 1_700_000_000_000.0;

fn moment(random: f64) -> Moment {
    Moment {
        now_unix_ms: NOW_MS,
        remaining_ms: 60_000.0,
        random,
    }
}

fn api_error(status: u16, reset_unix_secs: Option<f64>) -> StreamError {
    StreamError::Api {
        operation: "upsertUsers",
        status,
        body: Box::new(ApiErrorBody {
            code: Some(if status == 429 { 9 } else { -1 }),
            message: String::from("injected"),
            ..ApiErrorBody::default()
        }),
        metadata: Box::new(Metadata {
            client_request_id: Some(String::from("req-1")),
            response: Some(ResponseSummary {
                status,
                rate_limit: RateLimit {
                    limit: Some(1000.0),
                    remaining: Some(0.0),
                    reset_unix_secs,
                },
            }),
        }),
    }
}

fn network_error() -> StreamError {
    StreamError::Network {
        operation: "getTask",
        reason: String::from("TypeError: fetch failed (Error: connect ECONNREFUSED)"),
        metadata: Box::default(),
    }
}

fn policy(max_retries: u32, base_delay_ms: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        base_delay_ms,
    }
}

#[test]
fn retryable_failures() {
    for status in [429, 502, 503, 504] {
        assert!(is_retryable(&api_error(status, None)), "HTTP {status}");
    }
    assert!(is_retryable(&network_error()));
    let proxy_page = StreamError::UnexpectedResponse {
        operation: "getTask",
        status: 502,
        problem: String::from("the body is not valid JSON"),
        excerpt: String::from("<html>Bad Gateway</html>"),
        source: None,
        metadata: Box::default(),
    };
    assert!(is_retryable(&proxy_page));
}

#[test]
fn other_failures_are_final() {
    for status in [400, 401, 403, 404, 409, 413, 500, 501] {
        assert!(!is_retryable(&api_error(status, None)), "HTTP {status}");
    }
    let timeout = StreamError::Timeout {
        operation: "getTask",
        timeout_ms: 100,
        attempts: 1,
        metadata: Box::default(),
    };
    let abort = StreamError::Abort {
        operation: "getTask",
        elapsed_ms: 5,
        metadata: Box::default(),
    };
    assert!(!is_retryable(&timeout));
    assert!(!is_retryable(&abort));
    assert!(!is_retryable(&StreamError::invalid_argument(
        "getTask",
        "id",
        "is missing"
    )));
}

#[test]
fn client_errors_stop_at_once() {
    let decision = policy(3, 100).decide(&api_error(400, None), None, 1, moment(0.5));

    assert_eq!(decision, Decision::Stop(Stop::NotRetryable));
}

#[test]
fn backoff_doubles_with_full_jitter() {
    let policy = policy(5, 100);

    assert_eq!(policy.backoff_ms(1, 0.999), 99.0);
    assert_eq!(policy.backoff_ms(2, 0.999), 199.0);
    assert_eq!(policy.backoff_ms(3, 0.5), 200.0);
    assert_eq!(policy.backoff_ms(4, 0.0), 0.0);
    assert_eq!(policy.backoff_ms(1, 0.25), 25.0);
}

#[test]
fn backoff_is_capped() {
    let policy = policy(10, 20_000);

    assert_eq!(policy.backoff_ms(1, 0.5), 10_000.0);
    assert_eq!(policy.backoff_ms(2, 1.0), f64::from(MAX_BACKOFF_MS));
    assert_eq!(policy.backoff_ms(40, 1.0), f64::from(MAX_BACKOFF_MS));
}

#[test]
fn server_errors_back_off() {
    let policy = policy(3, 100);

    let first = policy.decide(&api_error(503, None), None, 1, moment(0.5));
    let third = policy.decide(&network_error(), None, 3, moment(0.5));

    assert_eq!(
        first,
        Decision::Retry {
            delay_ms: 50,
            basis: WaitBasis::Backoff
        }
    );
    assert_eq!(
        third,
        Decision::Retry {
            delay_ms: 200,
            basis: WaitBasis::Backoff
        }
    );
}

#[test]
fn retries_run_out() {
    let policy = policy(2, 100);

    let last = policy.decide(&api_error(503, None), None, 3, moment(0.5));
    let none_allowed = RetryPolicy {
        max_retries: 0,
        base_delay_ms: 100,
    }
    .decide(&network_error(), None, 1, moment(0.5));

    assert_eq!(last, Decision::Stop(Stop::RetriesExhausted));
    assert_eq!(none_allowed, Decision::Stop(Stop::RetriesExhausted));
}

#[test]
fn rate_limit_waits_until_reset() {
    let reset_secs = NOW_MS / 1000.0 + 2.0;

    let decision =
        policy(3, 100).decide(&api_error(429, Some(reset_secs)), Some("7"), 1, moment(0.5));

    assert_eq!(
        decision,
        Decision::Retry {
            delay_ms: 2000,
            basis: WaitBasis::RateLimitReset
        }
    );
}

#[test]
fn rate_limit_reset_rounds_up() {
    let now_ms = NOW_MS + 250.5;
    let reset_secs = NOW_MS / 1000.0 + 1.0;

    let decision = policy(3, 100).decide(
        &api_error(429, Some(reset_secs)),
        None,
        1,
        Moment {
            now_unix_ms: now_ms,
            ..moment(0.0)
        },
    );

    assert_eq!(
        decision,
        Decision::Retry {
            delay_ms: 750,
            basis: WaitBasis::RateLimitReset
        }
    );
}

#[test]
fn past_reset_falls_back_to_retry_after() {
    let reset_secs = NOW_MS / 1000.0 - 1.0;

    let decision =
        policy(3, 100).decide(&api_error(429, Some(reset_secs)), Some("3"), 1, moment(0.5));

    assert_eq!(
        decision,
        Decision::Retry {
            delay_ms: 3000,
            basis: WaitBasis::RetryAfter
        }
    );
}

#[test]
fn rate_limit_without_hints_backs_off() {
    let decision = policy(3, 100).decide(&api_error(429, None), Some("soon"), 1, moment(0.5));

    assert_eq!(
        decision,
        Decision::Retry {
            delay_ms: 50,
            basis: WaitBasis::Backoff
        }
    );
}

#[test]
fn reset_on_server_errors_is_ignored() {
    // Stream sends X-RateLimit-Reset with every response, but only a 429 means waiting for it.
    let reset_secs = NOW_MS / 1000.0 + 50.0;

    let decision = policy(3, 100).decide(
        &api_error(503, Some(reset_secs)),
        Some("50"),
        1,
        moment(0.5),
    );

    assert_eq!(
        decision,
        Decision::Retry {
            delay_ms: 50,
            basis: WaitBasis::Backoff
        }
    );
}

#[test]
fn wait_past_deadline_stops() {
    let reset_secs = NOW_MS / 1000.0 + 5.0;
    let short = Moment {
        remaining_ms: 3000.0,
        ..moment(0.5)
    };

    let rate_limited = policy(3, 100).decide(&api_error(429, Some(reset_secs)), None, 1, short);
    let backoff = policy(3, 10_000).decide(&api_error(503, None), None, 1, short);
    let exactly = policy(3, 6000).decide(&api_error(503, None), None, 1, short);

    assert_eq!(rate_limited, Decision::Stop(Stop::DeadlineTooClose));
    assert_eq!(backoff, Decision::Stop(Stop::DeadlineTooClose));
    assert_eq!(exactly, Decision::Stop(Stop::DeadlineTooClose));
}

#[test]
fn retry_after_seconds_and_dates() {
    // 1994-11-06T08:49:37Z is Unix time 784111777.
    let date_ms = 784_111_777_000.0;

    assert_eq!(retry_after_ms("2", NOW_MS), Some(2000.0));
    assert_eq!(retry_after_ms(" 0 ", NOW_MS), Some(0.0));
    assert_eq!(
        retry_after_ms("Sun, 06 Nov 1994 08:49:37 GMT", date_ms - 1500.0),
        Some(1500.0)
    );
    assert_eq!(
        retry_after_ms("Sun, 06 Nov 1994 08:49:37 GMT", date_ms + 1.0),
        Some(0.0)
    );
}

#[test]
fn retry_after_rejects_other_forms() {
    for value in [
        "",
        "-1",
        "1.5",
        "soon",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 32 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
    ] {
        assert_eq!(retry_after_ms(value, NOW_MS), None, "{value:?}");
    }
}

#[test]
fn civil_days_match_known_dates() {
    assert_eq!(days_from_civil(1970, 1, 1), 0);
    assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    assert_eq!(days_from_civil(2024, 2, 29), 19_782);
    assert_eq!(days_from_civil(1969, 12, 31), -1);
}

#[test]
fn reasons_are_short() {
    assert_eq!(
        failure_reason(&api_error(503, None)),
        "HTTP 503, Stream error code -1"
    );
    assert_eq!(
        failure_reason(&network_error()),
        "network error: TypeError: fetch failed (Error: connect ECONNREFUSED)"
    );
}

#[test]
fn retry_message_names_error_and_wait() {
    let message = retry_message(&api_error(429, None), 1, 3, 1850, WaitBasis::RateLimitReset);

    assert_eq!(
        message,
        "upsertUsers failed with HTTP 429: Stream error code 9: injected; \
         retry 1 of 3 in 1850 ms, at X-RateLimit-Reset"
    );
}
