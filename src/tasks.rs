//! Task states and the polling plan of `waitForTask`.
//!
//! Operations that touch many users (`deactivateUsers`, `reactivateUsers`, `deleteUsers`)
//! return a `task_id`. `waitForTask` reads the task with `getTask` until its status is
//! `completed` or `failed`, sleeping `intervalMs` between reads and giving up after
//! `timeoutMs`. The clock is a parameter, so the plan is tested with frozen times.

use serde_json::Value;

use crate::args::describe;
use crate::decoded::Decoded;
use crate::error::{Metadata, StreamError};

/// The operation name used in `waitForTask` errors.
pub const OPERATION: &str = "waitForTask";
/// Default time between two `getTask` requests, in milliseconds.
pub const DEFAULT_INTERVAL_MS: u32 = 500;
/// Shortest time between two `getTask` requests, in milliseconds. Shorter intervals, 0
/// included, would send requests back to back and use up the rate limit.
pub const MIN_INTERVAL_MS: u32 = 20;
/// Default time after which `waitForTask` gives up, in milliseconds.
pub const DEFAULT_TIMEOUT_MS: u32 = 60_000;
/// Maximum delay of a JavaScript timer (2^31 - 1 ms, about 24.8 days). Node and browsers fire
/// longer delays at once.
pub const MAX_TIMER_MS: u32 = 2_147_483_647;

/// Reads a delay option: a number of milliseconds from `min` to [`MAX_TIMER_MS`], rounded up
/// to a whole millisecond.
pub fn milliseconds(
    operation: &'static str,
    name: &str,
    value: Option<&Value>,
    default: u32,
    min: f64,
) -> Result<u32, StreamError> {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return Ok(default);
    };
    match value.as_f64() {
        Some(ms) if ms >= min && ms <= f64::from(MAX_TIMER_MS) => Ok(ms.ceil() as u32),
        _ => {
            let lower = if min > 0.0 {
                "a positive"
            } else {
                "a non-negative"
            };
            Err(StreamError::invalid_argument(
                operation,
                name,
                format!(
                    "must be {lower} number of milliseconds up to {MAX_TIMER_MS}, got {}",
                    describe(Some(value))
                ),
            ))
        }
    }
}

/// Options of `waitForTask`, without the `AbortSignal`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitOptions {
    /// Time between two `getTask` requests, in milliseconds.
    pub interval_ms: u32,
    /// Time after which waiting stops, in milliseconds.
    pub timeout_ms: u32,
}

impl WaitOptions {
    /// Reads `intervalMs` (default 500, at least [`MIN_INTERVAL_MS`]) and `timeoutMs`
    /// (default 60000, must be positive).
    pub fn from_json(
        interval: Option<&Value>,
        timeout: Option<&Value>,
    ) -> Result<Self, StreamError> {
        let interval_ms =
            milliseconds(OPERATION, "intervalMs", interval, DEFAULT_INTERVAL_MS, 0.0)?;
        if interval_ms < MIN_INTERVAL_MS {
            return Err(StreamError::invalid_argument(
                OPERATION,
                "intervalMs",
                format!(
                    "must be at least {MIN_INTERVAL_MS} ms, so that polling does not flood the \
                     API with getTask requests, got {}",
                    describe(interval)
                ),
            ));
        }
        Ok(Self {
            interval_ms,
            timeout_ms: milliseconds(OPERATION, "timeoutMs", timeout, DEFAULT_TIMEOUT_MS, 1.0)?,
        })
    }
}

/// Reads the task ID argument of `waitForTask`.
pub fn task_id(value: Option<&Value>) -> Result<String, StreamError> {
    match value {
        Some(Value::String(id)) if !id.is_empty() => Ok(id.clone()),
        other => Err(StreamError::invalid_argument(
            OPERATION,
            "taskId",
            format!(
                "must be the non-empty task_id returned by the operation that started the task, got {}",
                describe(other)
            ),
        )),
    }
}

/// The next action of `waitForTask` after reading the task once.
#[derive(Debug, Clone)]
pub enum Step {
    /// The task completed: resolve with this response.
    Done,
    /// Wait this many milliseconds, then read the task again.
    Sleep(u32),
    /// Stop with this error: the task failed, or the time is up.
    Stop(StreamError),
}

/// The state of one `waitForTask` call.
#[derive(Debug, Clone)]
pub struct WaitPlan {
    task_id: String,
    options: WaitOptions,
    deadline_ms: f64,
    last_status: String,
}

impl WaitPlan {
    /// Starts waiting for `task_id` at `now_ms` (Unix milliseconds).
    pub fn new(task_id: String, options: WaitOptions, now_ms: f64) -> Self {
        Self {
            task_id,
            options,
            deadline_ms: now_ms + f64::from(options.timeout_ms),
            last_status: String::new(),
        }
    }

    /// Returns the task ID.
    pub fn task_id(&self) -> &str {
        &self.task_id
    }

    /// Returns the milliseconds left before the deadline, at least 0.
    pub fn remaining_ms(&self, now_ms: f64) -> u32 {
        let left = (self.deadline_ms - now_ms).ceil();
        if left <= 0.0 {
            0
        } else {
            left.min(f64::from(MAX_TIMER_MS)) as u32
        }
    }

    /// Returns the error for running out of time.
    pub fn timeout_error(&self) -> StreamError {
        StreamError::TaskTimeout {
            operation: OPERATION,
            task_id: self.task_id.clone(),
            timeout_ms: self.options.timeout_ms,
            last_status: self.last_status.clone(),
        }
    }

    /// Decides the next step from a `getTask` response body read at `now_ms`.
    pub fn next(&mut self, task: &Decoded, metadata: &Metadata, now_ms: f64) -> Step {
        let status = task
            .get("status")
            .and_then(Decoded::as_str)
            .unwrap_or_default();
        self.last_status = status.to_owned();
        match status {
            "completed" => Step::Done,
            "failed" => Step::Stop(StreamError::TaskFailed {
                operation: OPERATION,
                task_id: self.task_id.clone(),
                description: failure_description(task),
                metadata: Box::new(metadata.clone()),
            }),
            _ => match self.remaining_ms(now_ms) {
                0 => Step::Stop(self.timeout_error()),
                left => Step::Sleep(self.options.interval_ms.min(left)),
            },
        }
    }
}

/// Describes a failed task from its `error` object (`ErrorResult`: `type`, `description`).
fn failure_description(task: &Decoded) -> String {
    let error = task.get("error");
    let field = |name: &str| error.and_then(|e| e.get(name)).and_then(Decoded::as_str);
    match (field("type"), field("description")) {
        (Some(kind), Some(text)) if !kind.is_empty() => format!("{kind}: {text}"),
        (_, Some(text)) => text.to_owned(),
        (Some(kind), None) => kind.to_owned(),
        (None, None) => String::from("the task reported no error details"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decoded::decode;
    use crate::error::ErrorKind;
    use serde_json::json;

    const START_MS: f64 = 1_700_000_000_000.0;

    fn task(value: Value) -> Decoded {
        decode(value, None)
    }

    fn plan(interval_ms: u32, timeout_ms: u32) -> WaitPlan {
        WaitPlan::new(
            String::from("t-1"),
            WaitOptions {
                interval_ms,
                timeout_ms,
            },
            START_MS,
        )
    }

    #[test]
    fn options_defaults_and_rounding() {
        let defaults = WaitOptions::from_json(None, None).unwrap();
        let given = WaitOptions::from_json(Some(&json!(20.2)), Some(&json!(200))).unwrap();
        let shortest = WaitOptions::from_json(Some(&json!(19.5)), None).unwrap();

        assert_eq!(
            defaults,
            WaitOptions {
                interval_ms: 500,
                timeout_ms: 60_000
            }
        );
        assert_eq!(
            given,
            WaitOptions {
                interval_ms: 21,
                timeout_ms: 200
            }
        );
        assert_eq!(shortest.interval_ms, MIN_INTERVAL_MS);
    }

    #[test]
    fn options_reject_intervals_below_the_minimum() {
        for (value, shown) in [(json!(0), "0"), (json!(19), "19"), (json!(0.5), "0.5")] {
            let error = WaitOptions::from_json(Some(&value), None).unwrap_err();

            assert_eq!(error.kind(), crate::error::ErrorKind::InvalidArgument);
            assert_eq!(
                error.to_string(),
                format!(
                    "waitForTask: intervalMs must be at least 20 ms, so that polling does not \
                     flood the API with getTask requests, got {shown}"
                )
            );
        }
    }

    #[test]
    fn options_errors_name_value() {
        let negative = WaitOptions::from_json(Some(&json!(-1)), None).unwrap_err();
        let zero_timeout = WaitOptions::from_json(None, Some(&json!(0))).unwrap_err();
        let text = WaitOptions::from_json(Some(&json!("fast")), None).unwrap_err();
        let huge = WaitOptions::from_json(None, Some(&json!(3e9))).unwrap_err();

        assert_eq!(
            negative.to_string(),
            "waitForTask: intervalMs must be a non-negative number of milliseconds up to \
             2147483647, got -1"
        );
        assert!(zero_timeout
            .to_string()
            .contains("timeoutMs must be a positive number"));
        assert!(text.to_string().contains("got \"fast\""));
        assert!(huge.to_string().contains("got 3000000000"));
    }

    #[test]
    fn task_id_checks() {
        assert_eq!(task_id(Some(&json!("abc"))).unwrap(), "abc");
        let missing = task_id(None).unwrap_err();
        assert_eq!(missing.kind(), ErrorKind::InvalidArgument);
        assert!(missing
            .to_string()
            .starts_with("waitForTask: taskId must be"));
        assert!(task_id(Some(&json!(""))).is_err());
        assert!(task_id(Some(&json!(5))).is_err());
    }

    #[test]
    fn completed_is_done() {
        let mut plan = plan(20, 200);

        let step = plan.next(
            &task(json!({"status": "completed"})),
            &Metadata::default(),
            START_MS,
        );

        assert!(matches!(step, Step::Done));
    }

    #[test]
    fn pending_sleeps_interval() {
        let mut plan = plan(20, 200);

        let step = plan.next(
            &task(json!({"status": "pending"})),
            &Metadata::default(),
            START_MS,
        );

        assert!(matches!(step, Step::Sleep(20)));
    }

    #[test]
    fn sleep_is_cut_at_deadline() {
        let mut plan = plan(500, 200);

        let step = plan.next(
            &task(json!({"status": "running"})),
            &Metadata::default(),
            START_MS + 150.0,
        );

        assert!(matches!(step, Step::Sleep(50)));
    }

    #[test]
    fn deadline_stops_with_last_status() {
        let mut plan = plan(20, 200);

        let step = plan.next(
            &task(json!({"status": "running"})),
            &Metadata::default(),
            START_MS + 200.0,
        );

        let Step::Stop(error) = step else {
            panic!("expected a stop, got {step:?}")
        };
        assert_eq!(error.kind(), ErrorKind::TaskTimeout);
        assert_eq!(
            error.to_string(),
            "waitForTask: task t-1 did not finish within 200 ms (last status \"running\"); \
             raise `timeoutMs` to wait longer"
        );
    }

    #[test]
    fn failed_task_stops_with_description() {
        let mut plan = plan(20, 200);
        let body = task(json!({
            "status": "failed",
            "error": {"type": "UserNotFound", "description": "user bob does not exist"}
        }));

        let step = plan.next(&body, &Metadata::default(), START_MS);

        let Step::Stop(error) = step else {
            panic!("expected a stop, got {step:?}")
        };
        assert_eq!(error.kind(), ErrorKind::TaskFailed);
        assert_eq!(
            error.to_string(),
            "waitForTask: task t-1 failed: UserNotFound: user bob does not exist"
        );
    }

    #[test]
    fn failure_description_fallbacks() {
        assert_eq!(
            failure_description(&task(json!({"error": {"description": "boom"}}))),
            "boom"
        );
        assert_eq!(
            failure_description(&task(json!({}))),
            "the task reported no error details"
        );
    }

    #[test]
    fn remaining_never_negative() {
        let plan = plan(20, 200);

        assert_eq!(plan.remaining_ms(START_MS + 1_000.0), 0);
        assert_eq!(plan.remaining_ms(START_MS + 0.5), 200);
    }
}
