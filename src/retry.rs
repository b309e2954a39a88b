//! The retry policy: which failed attempts are retried, and how long to wait before the next.
//!
//! A call is retried after HTTP 429, 502, 503 or 504 and after network errors, at most
//! `maxRetries` times. Other statuses, timeouts and aborts end the call. Before each retry
//! the client waits:
//! - after a 429, until `X-RateLimit-Reset` (Unix seconds) when that lies in the future, or
//!   else for `Retry-After` (seconds or an HTTP date) when the response has it;
//! - otherwise a random time from 0 to `retryBaseDelayMs * 2^(retry - 1)` ms, capped at
//!   [`MAX_BACKOFF_MS`] (exponential backoff with full jitter).
//!
//! The client's `timeout` bounds the whole call, waits included. A wait that would reach the
//! deadline is not started, and the call fails with the error of its last attempt, so a 429
//! whose reset lies beyond the deadline is returned at once with its rate-limit metadata.
//! The clock and the random number are parameters, so the policy is tested natively.

use crate::error::StreamError;

/// Retries after the first attempt when the options give no `maxRetries`.
pub const DEFAULT_MAX_RETRIES: u32 = 3;
/// Largest accepted `maxRetries`.
pub const MAX_RETRIES_LIMIT: u32 = 10;
/// Backoff base when the options give no `retryBaseDelayMs`, in milliseconds.
pub const DEFAULT_BASE_DELAY_MS: u32 = 250;
/// Upper bound of one backoff wait, in milliseconds. Waits for a rate-limit reset are bounded
/// by the deadline only.
pub const MAX_BACKOFF_MS: u32 = 30_000;

/// HTTP statuses after which a request is sent again.
const RETRYABLE_STATUSES: [u16; 4] = [429, 502, 503, 504];

/// The `maxRetries` and `retryBaseDelayMs` options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts allowed after the first one.
    pub max_retries: u32,
    /// Upper bound of the first backoff wait, in milliseconds; it doubles with each retry.
    pub base_delay_ms: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: DEFAULT_MAX_RETRIES,
            base_delay_ms: DEFAULT_BASE_DELAY_MS,
        }
    }
}

/// The time and randomness a retry decision depends on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moment {
    /// The current time in Unix milliseconds, as `Date.now()` returns it.
    pub now_unix_ms: f64,
    /// Milliseconds left before the call's deadline.
    pub remaining_ms: f64,
    /// A random number in `[0, 1)`, as `Math.random()` returns it.
    pub random: f64,
}

/// The source of a wait before a retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitBasis {
    /// Exponential backoff with full jitter.
    Backoff,
    /// The `X-RateLimit-Reset` header of a 429 response.
    RateLimitReset,
    /// The `Retry-After` header of a 429 response.
    RetryAfter,
}

impl WaitBasis {
    /// Returns the name used in log events: `"backoff"`, `"x-ratelimit-reset"` or
    /// `"retry-after"`.
    pub fn as_str(self) -> &'static str {
        match self {
            WaitBasis::Backoff => "backoff",
            WaitBasis::RateLimitReset => "x-ratelimit-reset",
            WaitBasis::RetryAfter => "retry-after",
        }
    }
}

/// The reason a failed attempt ends the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The failure is not one that a retry can fix, such as a 400 or a timeout.
    NotRetryable,
    /// `maxRetries` retries have been made.
    RetriesExhausted,
    /// The wait would last until or past the call's deadline.
    DeadlineTooClose,
}

/// The outcome of [`RetryPolicy::decide`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Wait `delay_ms` milliseconds, then send the request again.
    Retry {
        /// The wait, in whole milliseconds.
        delay_ms: u32,
        /// The source of the wait.
        basis: WaitBasis,
    },
    /// Fail the call with the attempt's error.
    Stop(Stop),
}

/// Returns whether `error` is a failure that sending the request again may fix.
pub fn is_retryable(error: &StreamError) -> bool {
    match error {
        StreamError::Network { .. } => true,
        StreamError::Api { status, .. } | StreamError::UnexpectedResponse { status, .. } => {
            RETRYABLE_STATUSES.contains(status)
        }
        _ => false,
    }
}

impl RetryPolicy {
    /// Decides what follows attempt number `attempt` (1 for the first) that failed with
    /// `error`. `retry_after` is the response's `Retry-After` header, if any.
    pub fn decide(
        &self,
        error: &StreamError,
        retry_after: Option<&str>,
        attempt: u32,
        moment: Moment,
    ) -> Decision {
        if !is_retryable(error) {
            return Decision::Stop(Stop::NotRetryable);
        }
        if attempt > self.max_retries {
            return Decision::Stop(Stop::RetriesExhausted);
        }

        let hinted = if error.status() == Some(429) {
            rate_limit_wait(error, retry_after, moment.now_unix_ms)
        } else {
            None
        };
        let (delay_ms, basis) =
            hinted.unwrap_or_else(|| (self.backoff_ms(attempt, moment.random), WaitBasis::Backoff));

        if delay_ms >= moment.remaining_ms {
            return Decision::Stop(Stop::DeadlineTooClose);
        }
        Decision::Retry {
            // The wait is below the remaining time, which fits a JavaScript timer.
            delay_ms: delay_ms.ceil() as u32,
            basis,
        }
    }

    /// Returns the backoff before retry number `retry` (1 for the first): a random time from
    /// 0 up to `base_delay_ms * 2^(retry - 1)`, at most [`MAX_BACKOFF_MS`].
    pub fn backoff_ms(&self, retry: u32, random: f64) -> f64 {
        let exponent = retry.saturating_sub(1).min(31);
        let ceiling = (f64::from(self.base_delay_ms) * f64::from(1u32 << exponent))
            .min(f64::from(MAX_BACKOFF_MS));
        (random.clamp(0.0, 1.0) * ceiling).floor()
    }
}

/// Returns the wait that a 429 response requests: until `X-RateLimit-Reset` when it lies in
/// the future, or else the `Retry-After` delay.
fn rate_limit_wait(
    error: &StreamError,
    retry_after: Option<&str>,
    now_unix_ms: f64,
) -> Option<(f64, WaitBasis)> {
    let reset_ms = error
        .metadata()
        .and_then(|metadata| metadata.response.as_ref())
        .and_then(|response| response.rate_limit.reset_unix_millis())
        .filter(|reset_ms| reset_ms.is_finite());
    if let Some(reset_ms) = reset_ms.filter(|reset_ms| *reset_ms > now_unix_ms) {
        return Some((reset_ms - now_unix_ms, WaitBasis::RateLimitReset));
    }
    let delay_ms = retry_after_ms(retry_after?, now_unix_ms)?;
    Some((delay_ms, WaitBasis::RetryAfter))
}

/// Reads a `Retry-After` value (RFC 9110, section 10.2.3) as a delay in milliseconds: either
/// a number of seconds, or an HTTP date in the IMF-fixdate form
/// (`Sun, 06 Nov 1994 08:49:37 GMT`), which counts from `now_unix_ms` and gives 0 when past.
///
/// The obsolete RFC 850 and asctime date forms give `None`, so the caller falls back to
/// backoff.
pub fn retry_after_ms(value: &str, now_unix_ms: f64) -> Option<f64> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Summed by hand: Rust's float parser would add its tables to the wasm file. Whole
        // seconds up to 2^53 are exact.
        let seconds = value.bytes().fold(0.0, |total: f64, digit| {
            total * 10.0 + f64::from(digit - b'0')
        });
        return Some(seconds * 1000.0);
    }
    let date_secs = imf_fixdate_unix_secs(value)?;
    Some((date_secs as f64 * 1000.0 - now_unix_ms).max(0.0))
}

/// Parses `Sun, 06 Nov 1994 08:49:37 GMT` into Unix seconds.
fn imf_fixdate_unix_secs(value: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let parts: Vec<&str> = value.split(' ').collect();
    let [weekday, day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    if !weekday.ends_with(',') || day.len() != 2 || year.len() != 4 {
        return None;
    }
    let month = MONTHS.iter().position(|name| name == month)? as i64 + 1;
    let day: i64 = digits(day)?;
    let year: i64 = digits(year)?;

    let clock: Vec<&str> = time.split(':').collect();
    let [hour, minute, second] = clock.as_slice() else {
        return None;
    };
    let (hour, minute, second): (i64, i64, i64) = (digits(hour)?, digits(minute)?, digits(second)?);
    if !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(days * 86_400 + hour * 3600 + minute * 60 + second)
}

fn digits(text: &str) -> Option<i64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Returns the number of days from 1970-01-01 to the given proleptic Gregorian date
/// (Howard Hinnant's `days_from_civil` algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Returns a short reason for a failed attempt, for log events: `"HTTP 503"` (with Stream's
/// error code when there is one) or `"network error: ..."`.
pub fn failure_reason(error: &StreamError) -> String {
    match error {
        StreamError::Network { reason, .. } => format!("network error: {reason}"),
        StreamError::Api { status, body, .. } => match body.code {
            Some(code) => format!("HTTP {status}, Stream error code {code}"),
            None => format!("HTTP {status}"),
        },
        other => match other.status() {
            Some(status) => format!("HTTP {status}"),
            None => other.kind().as_str().to_owned(),
        },
    }
}

/// Returns the log message of a retry: the attempt's error, then which retry follows and
/// after how long.
pub fn retry_message(
    error: &StreamError,
    retry: u32,
    max_retries: u32,
    delay_ms: u32,
    basis: WaitBasis,
) -> String {
    let wait = match basis {
        WaitBasis::Backoff => format!("in {delay_ms} ms"),
        WaitBasis::RateLimitReset => format!("in {delay_ms} ms, at X-RateLimit-Reset"),
        WaitBasis::RetryAfter => format!("in {delay_ms} ms, as Retry-After asks"),
    };
    format!("{error}; retry {retry} of {max_retries} {wait}")
}

#[cfg(test)]
#[path = "retry_tests.rs"]
mod tests;
