//! `waitForTask`: polling `getTask` with timers and an optional `AbortSignal`.

use std::rc::Rc;

use js_sys::{Date, Promise};
use serde_json::json;
use wasm_bindgen::JsValue;

use super::api::{execute, Halt};
use super::convert::{check_finite, property, to_json};
use super::errors::Failure;
use super::executor::spawn;
use super::signal::AbortWatch;
use super::timer::Timer;
use crate::args::describe;
use crate::client::ClientConfig;
use crate::error::{Metadata, StreamError};
use crate::race::{race, Either};
use crate::requests::get_task;
use crate::tasks::{task_id, Step, WaitOptions, WaitPlan, OPERATION};

/// Starts waiting for a task; see [`crate::tasks`] for the polling rules.
pub fn wait_for_task(config: Rc<ClientConfig>, task: JsValue, options: JsValue) -> Promise {
    spawn(OPERATION, async move {
        wait(&config, &task, &options).await.map_err(JsValue::from)
    })
}

fn aborted(client_request_id: Option<&str>) -> Failure {
    let metadata = client_request_id
        .map(Metadata::request_only)
        .unwrap_or_default();
    StreamError::Abort {
        operation: OPERATION,
        metadata: Box::new(metadata),
    }
    .into()
}

/// Reads one numeric option, rejecting `NaN` and infinities.
fn number_option(options: &JsValue, name: &str) -> Result<Option<serde_json::Value>, StreamError> {
    let value = property(OPERATION, options, name)?;
    check_finite(OPERATION, name, &value)?;
    to_json(OPERATION, name, &value)
}

async fn wait(
    config: &ClientConfig,
    task: &JsValue,
    options: &JsValue,
) -> Result<JsValue, Failure> {
    let task_id = task_id(to_json(OPERATION, "taskId", task)?.as_ref())?;
    if !(options.is_undefined() || options.is_null() || options.is_object()) {
        let shown = describe(to_json(OPERATION, "options", options)?.as_ref());
        let problem = format!("must be an object {{ intervalMs, timeoutMs, signal }}, got {shown}");
        return Err(StreamError::invalid_argument(OPERATION, "options", problem).into());
    }
    let interval = number_option(options, "intervalMs")?;
    let timeout = number_option(options, "timeoutMs")?;
    let wait_options = WaitOptions::from_json(interval.as_ref(), timeout.as_ref())?;
    let mut abort = AbortWatch::new(OPERATION, &property(OPERATION, options, "signal")?)?;

    let request = get_task(Some(&json!({ "id": task_id })))?;
    let mut plan = WaitPlan::new(task_id, wait_options, Date::now());
    loop {
        if abort.aborted() {
            return Err(aborted(None));
        }

        // The request ends early when the signal fires or the deadline passes.
        let deadline = Timer::new(plan.remaining_ms(Date::now()));
        let outcome = match execute(config, &request, OPERATION, race(&mut abort, deadline)).await {
            Ok(outcome) => outcome,
            Err(Halt::Failed(failure)) => return Err(failure),
            Err(Halt::Interrupted {
                by: Either::First(()),
                client_request_id,
            }) => return Err(aborted(Some(&client_request_id))),
            Err(Halt::Interrupted {
                by: Either::Second(()),
                ..
            }) => return Err(plan.timeout_error().into()),
        };

        match plan.next(&outcome.body, &outcome.metadata, Date::now()) {
            Step::Done => return Ok(outcome.into_js()),
            Step::Stop(error) => {
                return Err(Failure {
                    error,
                    headers: Some(outcome.headers),
                    cause: None,
                })
            }
            Step::Sleep(ms) => {
                if let Either::Second(()) = race(Timer::new(ms), &mut abort).await {
                    return Err(aborted(None));
                }
            }
        }
    }
}
