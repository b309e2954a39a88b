//! `waitForTask`: polling `getTask` with timers and an optional `AbortSignal`.

use std::rc::Rc;

use js_sys::{Date, Promise};
use serde_json::json;
use wasm_bindgen::JsValue;

use super::api::{execute, Client, Halt};
use super::convert::{check_finite, property, to_json};
use super::errors::Failure;
use super::executor::spawn;
use super::signal::{abort_failure, AbortWatch};
use super::timer::Timer;
use crate::args::describe;
use crate::error::StreamError;
use crate::race::{race, Either};
use crate::requests::get_task;
use crate::tasks::{task_id, Step, WaitOptions, WaitPlan, OPERATION};

/// Starts waiting for a task; see [`crate::tasks`] for the polling rules.
pub fn wait_for_task(client: Rc<Client>, task: JsValue, options: JsValue) -> Promise {
    spawn(OPERATION, async move {
        wait(&client, &task, &options).await.map_err(JsValue::from)
    })
}

/// Reads one numeric option, rejecting `NaN` and infinities.
fn number_option(options: &JsValue, name: &str) -> Result<Option<serde_json::Value>, StreamError> {
    let value = property(OPERATION, options, name)?;
    check_finite(OPERATION, name, &value)?;
    to_json(OPERATION, name, &value)
}

async fn wait(client: &Client, task: &JsValue, options: &JsValue) -> Result<JsValue, Failure> {
    let started_ms = Date::now();
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
    let mut plan = WaitPlan::new(task_id, wait_options, started_ms);
    loop {
        if abort.aborted() {
            return Err(abort_failure(OPERATION, None, started_ms, abort.reason()));
        }

        // The request, with its retries, ends early when the signal fires or the deadline
        // passes.
        let deadline = Timer::new(plan.remaining_ms(Date::now()));
        let outcome = match execute(client, &request, OPERATION, race(&mut abort, deadline)).await {
            Ok(outcome) => outcome,
            Err(Halt::Failed(failure)) => return Err(failure),
            Err(Halt::Interrupted {
                by: Either::First(reason),
                client_request_id,
            }) => {
                let id = Some(client_request_id.as_str());
                return Err(abort_failure(OPERATION, id, started_ms, reason));
            }
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
                if let Either::Second(reason) = race(Timer::new(ms), &mut abort).await {
                    return Err(abort_failure(OPERATION, None, started_ms, reason));
                }
            }
        }
    }
}
