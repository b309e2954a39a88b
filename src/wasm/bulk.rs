//! The six list methods (`upsertUsers`, `updateUsersPartial`, `deactivateUsers`,
//! `reactivateUsers`, `deleteUsers`, `restoreUsers`): runs the chunk requests that
//! [`crate::bulk`] plans, several at once, and reports progress.
//!
//! Each chunk is one [`execute`] call, so it has its own retries and timeout. When a chunk
//! fails, no further chunk starts, the chunks in flight finish, and the call rejects with a
//! `StreamError` whose `partial` property has the merged result of the chunks that succeeded
//! and the done, failed and unsent IDs. The caller's signal ends the chunks in flight at
//! once. A call of one chunk resolves and rejects exactly like a single request.

use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::rc::Rc;
use std::task::Poll;

use js_sys::{Array, Date, Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::api::{execute, Client, Halt, Outcome};
use super::convert::{check_finite, decoded_to_js, property, set, to_json, type_name};
use super::errors::{to_js_error, Failure};
use super::executor::spawn;
use super::signal::{abort_failure, AbortWatch};
use super::timer::Timer;
use crate::bulk::{self, concurrency_from_json, BulkRun, Chunk, ChunkIds, Progress, Step};
use crate::error::StreamError;
use crate::requests::{ApiRequest, Operation};
use crate::tasks::MAX_TIMER_MS;

/// The trailing `{ signal, concurrency, onProgress }` argument of a list method.
struct BulkOptions {
    signal: JsValue,
    concurrency: usize,
    on_progress: Option<Function>,
}

impl BulkOptions {
    fn read(operation: &'static str, options: &JsValue) -> Result<Self, StreamError> {
        if options.is_undefined() || options.is_null() {
            return Ok(Self {
                signal: JsValue::UNDEFINED,
                concurrency: bulk::DEFAULT_CONCURRENCY,
                on_progress: None,
            });
        }
        if !options.is_object() {
            let problem = format!(
                "must be an object {{ signal, concurrency, onProgress }}, got a value of type {}",
                type_name(options)
            );
            return Err(StreamError::invalid_argument(operation, "options", problem));
        }

        let signal = property(operation, options, "signal")?;
        let concurrency = property(operation, options, "concurrency")?;
        check_finite(operation, "options.concurrency", &concurrency)?;
        let concurrency = to_json(operation, "options.concurrency", &concurrency)?;
        let concurrency = concurrency_from_json(operation, concurrency.as_ref())?;

        let on_progress = property(operation, options, "onProgress")?;
        let on_progress = if on_progress.is_undefined() || on_progress.is_null() {
            None
        } else {
            let problem = format!(
                "must be a function, got a value of type {}",
                type_name(&on_progress)
            );
            let function = on_progress.dyn_into::<Function>().map_err(|_| {
                StreamError::invalid_argument(operation, "options.onProgress", problem)
            })?;
            Some(function)
        };
        Ok(Self {
            signal,
            concurrency,
            on_progress,
        })
    }
}

/// Runs list method `operation` with its argument (named `argument_name` in errors) and
/// returns a promise of the merged result.
pub fn call_bulk(
    client: Rc<Client>,
    operation: Operation,
    argument_name: &'static str,
    argument: JsValue,
    options: JsValue,
) -> Promise {
    let name = operation.name();
    spawn(name, async move {
        let started_ms = Date::now();
        let value = to_json(name, argument_name, &argument).map_err(Failure::from)?;
        let chunks = bulk::plan(operation, value.as_ref()).map_err(Failure::from)?;
        let options = BulkOptions::read(name, &options).map_err(Failure::from)?;
        let abort = AbortWatch::new(name, &options.signal).map_err(Failure::from)?;
        if abort.aborted() {
            return Err(abort_failure(name, None, started_ms, abort.reason()).into());
        }

        let calls = BulkCall {
            client: &client,
            operation,
            options: &options,
            started_ms,
        };
        calls.run(chunks, abort).await
    })
}

/// A chunk request in flight, which completes with its index and outcome.
type InFlight<'a> = Pin<Box<dyn Future<Output = (usize, Result<Outcome, Halt<JsValue>>)> + 'a>>;

/// The event that ended a [`wait`].
enum Event {
    /// A chunk request completed.
    Completed(usize, Result<Outcome, Halt<JsValue>>),
    /// The rate-limit wait is over.
    TimerFired,
    /// The signal fired, with its reason.
    Aborted(JsValue),
}

/// The error that stops a call, with the index of the chunk that failed, if one did.
struct Stop {
    chunk: Option<usize>,
    failure: Failure,
}

struct BulkCall<'a> {
    client: &'a Rc<Client>,
    operation: Operation,
    options: &'a BulkOptions,
    started_ms: f64,
}

impl BulkCall<'_> {
    fn name(&self) -> &'static str {
        self.operation.name()
    }

    async fn run(&self, chunks: Vec<Chunk>, mut abort: AbortWatch) -> Result<JsValue, JsValue> {
        let (requests, ids): (Vec<ApiRequest>, Vec<Vec<String>>) = chunks
            .into_iter()
            .map(|chunk| (chunk.request, chunk.ids))
            .unzip();
        let mut run = BulkRun::new(ids, self.options.concurrency);
        let mut converted = Converted::new(requests.len());
        let mut in_flight: Vec<InFlight<'_>> = Vec::new();
        let mut stop: Option<Stop> = None;
        let mut abort_reason: Option<JsValue> = None;

        loop {
            if abort_reason.is_none() && abort.aborted() {
                run.stop();
                abort_reason = Some(abort.reason());
            }
            match run.next_step(Date::now()) {
                Step::Launch(index) => {
                    let request = &requests[index];
                    let watch = AbortWatch::new(self.name(), &self.options.signal)
                        .map_err(|error| JsValue::from(Failure::from(error)))?;
                    let client = self.client.as_ref();
                    let name = self.name();
                    in_flight.push(Box::pin(async move {
                        (index, execute(client, request, name, watch).await)
                    }));
                }
                Step::Wait { until_ms } => {
                    let watch_abort = abort_reason.is_none();
                    match wait(&mut in_flight, until_ms, &mut abort, watch_abort).await {
                        Event::Completed(index, Ok(outcome)) => {
                            let rate_limit = outcome
                                .metadata
                                .response
                                .as_ref()
                                .map(|response| response.rate_limit)
                                .unwrap_or_default();
                            // Each response is converted while later ones are in flight. The
                            // core keeps the other fields, which are merged at the end.
                            let fields = bulk::without_users(&outcome.body);
                            converted.add(index, outcome.into_js());
                            let progress = run.succeed(index, fields, &rate_limit);
                            self.report(progress);
                        }
                        Event::Completed(index, Err(halt)) => {
                            run.fail(index);
                            let failure = match halt {
                                Halt::Failed(failure) => failure,
                                Halt::Interrupted {
                                    by,
                                    client_request_id,
                                } => {
                                    abort_reason.get_or_insert_with(|| by.clone());
                                    let id = Some(client_request_id.as_str());
                                    abort_failure(self.name(), id, self.started_ms, by)
                                }
                            };
                            stop.get_or_insert(Stop {
                                chunk: Some(index),
                                failure,
                            });
                        }
                        Event::TimerFired => {}
                        Event::Aborted(reason) => {
                            run.stop();
                            abort_reason = Some(reason);
                        }
                    }
                }
                Step::Finish => break,
            }
        }

        if run.all_done() {
            return Ok(self.result(&run, converted));
        }
        let stop = stop.unwrap_or_else(|| Stop {
            chunk: None,
            failure: abort_failure(
                self.name(),
                None,
                self.started_ms,
                abort_reason.unwrap_or(JsValue::UNDEFINED),
            ),
        });
        Err(self.error(&run, &converted, stop))
    }

    /// Builds the resolved value: a one-chunk call's response as is, else the merged one
    /// with the `metadata` of the response that arrived last.
    fn result(&self, run: &BulkRun, mut converted: Converted) -> JsValue {
        if run.progress().chunks_total == 1 {
            return converted.take_first();
        }
        let merged = self.merged(run, &converted);
        if let Some(object) = merged.dyn_ref::<Object>() {
            let last = run
                .last_arrived_chunk()
                .and_then(|index| converted.get(index));
            let metadata = last.map_or(Ok(JsValue::UNDEFINED), |response| {
                Reflect::get(response, &JsValue::from_str("metadata"))
            });
            set(object, "metadata", &metadata.unwrap_or(JsValue::UNDEFINED));
        }
        merged
    }

    /// Merges the responses of the chunks that succeeded: the fields that the core merges,
    /// and for the two user updates the `users` objects of every response, in chunk order.
    fn merged(&self, run: &BulkRun, converted: &Converted) -> JsValue {
        let fields = bulk::merge(self.operation, &run.bodies(), run.last_arrived_body());
        let merged = decoded_to_js(&fields);
        if !matches!(
            self.operation,
            Operation::UpsertUsers | Operation::UpdateUsersPartial
        ) {
            return merged;
        }
        if let Some(object) = merged.dyn_ref::<Object>() {
            let users = Object::new();
            for response in converted.in_chunk_order() {
                if let Ok(part) = Reflect::get(response, &JsValue::from_str("users")) {
                    if let Some(part) = part.dyn_ref::<Object>() {
                        Object::assign(&users, part);
                    }
                }
            }
            set(object, "users", &users);
        }
        merged
    }

    /// Builds the rejection: a one-chunk call's error as is, else the error wrapped with what
    /// was done and a `partial` property.
    fn error(&self, run: &BulkRun, converted: &Converted, stop: Stop) -> JsValue {
        let Stop { chunk, failure } = stop;
        if run.progress().chunks_total == 1 {
            return failure.into();
        }
        let error = run.partial_failure(self.name(), chunk, failure.error);
        let js_error = to_js_error(&error, failure.headers.as_ref(), failure.cause.as_ref());
        let partial = self.merged(run, converted);
        add_chunk_ids(&partial, run);
        // A `StreamError` is an ordinary extensible object, so this succeeds.
        let _ = Reflect::set(&js_error, &JsValue::from_str("partial"), &partial);
        js_error
    }

    /// Calls `onProgress(event)`. An exception, or the rejection of a returned promise, is
    /// reported to the logger and otherwise ignored, so the call goes on.
    fn report(&self, progress: Progress) {
        let Some(on_progress) = &self.options.on_progress else {
            return;
        };
        let event = progress_to_js(self.name(), progress);
        match on_progress.call1(&JsValue::UNDEFINED, &event) {
            Ok(returned) if is_thenable(&returned) => {
                let client = Rc::clone(self.client);
                let name = self.name();
                let settled = JsFuture::from(Promise::resolve(&returned));
                // The promise of this task always resolves, so nothing is left unhandled.
                let _ = spawn(name, async move {
                    if let Err(thrown) = settled.await {
                        report_progress_error(&client, name, &thrown);
                    }
                    Ok(JsValue::UNDEFINED)
                });
            }
            Ok(_) => {}
            Err(thrown) => report_progress_error(self.client, self.name(), &thrown),
        }
    }
}

/// Waits until a chunk in flight completes, `until_ms` (Unix milliseconds) passes, or, when
/// `watch_abort` is set, the signal fires.
async fn wait(
    in_flight: &mut Vec<InFlight<'_>>,
    until_ms: Option<f64>,
    abort: &mut AbortWatch,
    watch_abort: bool,
) -> Event {
    let mut timer = until_ms.map(|until_ms| {
        let left_ms = (until_ms - Date::now()).max(0.0).ceil();
        Timer::new(left_ms.min(f64::from(MAX_TIMER_MS)) as u32)
    });
    poll_fn(|context| {
        for position in 0..in_flight.len() {
            if let Poll::Ready((index, result)) = in_flight[position].as_mut().poll(context) {
                drop(in_flight.swap_remove(position));
                return Poll::Ready(Event::Completed(index, result));
            }
        }
        if let Some(timer) = timer.as_mut() {
            if Pin::new(timer).poll(context).is_ready() {
                return Poll::Ready(Event::TimerFired);
            }
        }
        if watch_abort {
            if let Poll::Ready(reason) = Pin::new(&mut *abort).poll(context) {
                return Poll::Ready(Event::Aborted(reason));
            }
        }
        Poll::Pending
    })
    .await
}

fn is_thenable(value: &JsValue) -> bool {
    value.is_object()
        && Reflect::get(value, &JsValue::from_str("then")).is_ok_and(|then| then.is_function())
}

fn report_progress_error(client: &Client, operation: &'static str, thrown: &JsValue) {
    if let Some(logger) = &client.logger {
        logger.progress_error(operation, thrown);
    }
}

fn progress_to_js(operation: &str, progress: Progress) -> Object {
    let event = Object::new();
    let count = |value: usize| JsValue::from_f64(value as f64);
    set(&event, "operation", &JsValue::from_str(operation));
    set(&event, "done", &count(progress.done));
    set(&event, "total", &count(progress.total));
    set(&event, "chunks_done", &count(progress.chunks_done));
    set(&event, "chunks_total", &count(progress.chunks_total));
    event
}

/// Adds `done_ids`, `failed_ids` and `unsent_ids` to `error.partial`.
fn add_chunk_ids(partial: &JsValue, run: &BulkRun) {
    let Some(object) = partial.dyn_ref::<Object>() else {
        return;
    };
    let ChunkIds {
        done,
        failed,
        unsent,
    } = run.chunk_ids();
    let strings = |ids: Vec<String>| -> JsValue {
        ids.iter()
            .map(|id| JsValue::from_str(id))
            .collect::<Array>()
            .into()
    };
    set(object, "done_ids", &strings(done));
    set(object, "failed_ids", &strings(failed));
    set(object, "unsent_ids", &strings(unsent));
}

/// The converted responses of the chunks that succeeded, by chunk index.
struct Converted {
    responses: Vec<Option<JsValue>>,
}

impl Converted {
    fn new(chunks: usize) -> Self {
        Self {
            responses: vec![None; chunks],
        }
    }

    fn add(&mut self, index: usize, response: JsValue) {
        if let Some(slot) = self.responses.get_mut(index) {
            *slot = Some(response);
        }
    }

    fn get(&self, index: usize) -> Option<&JsValue> {
        self.responses.get(index).and_then(Option::as_ref)
    }

    fn in_chunk_order(&self) -> impl Iterator<Item = &JsValue> {
        self.responses.iter().flatten()
    }

    /// Returns the response of the first chunk, `undefined` if it did not succeed.
    fn take_first(&mut self) -> JsValue {
        self.responses
            .first_mut()
            .and_then(Option::take)
            .unwrap_or(JsValue::UNDEFINED)
    }
}
