//! The JavaScript class `StreamClient`.

use std::rc::Rc;

use js_sys::{Array, Date, Promise};
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;

use super::api::{execute, Client, Halt};
use super::bulk::call_bulk;
use super::convert::{check_finite_properties, property, thrown_message, to_json, type_name};
use super::errors::Failure;
use super::executor::spawn;
use super::guard::guard;
use super::json_check::own_keys;
use super::logger::Logger;
use super::signal::{abort_failure, AbortWatch};
use super::wait::wait_for_task;
use crate::args::describe;
use crate::client::{ClientConfig, ClientOptions};
use crate::constructor::{check_credentials, check_option_names};
use crate::error::StreamError;
use crate::requests::{self, ApiRequest, Operation};

/// A function that builds the request of one operation from its JSON argument.
type Builder = fn(Option<&Value>) -> Result<ApiRequest, StreamError>;

/// Constructor options read by the core; `logger` is read separately.
const CORE_OPTIONS: [&str; 4] = ["basePath", "timeout", "maxRetries", "retryBaseDelayMs"];
/// Constructor options that must be finite numbers when present.
const NUMBER_OPTIONS: [&str; 3] = ["timeout", "maxRetries", "retryBaseDelayMs"];

/// Converts a core error to the JavaScript `StreamError`.
pub(super) fn js_error(error: StreamError) -> JsValue {
    Failure::from(error).into()
}

/// Overwrites the secret's bytes before freeing them, so the secret stays in WebAssembly
/// memory only inside the keyed HMAC state.
fn wipe(secret: String) {
    let mut bytes = secret.into_bytes();
    bytes.fill(0);
    std::hint::black_box(&bytes);
}

/// Converts the constructor options that the core reads to JSON. Only the known properties
/// are read, so a `logger`, which has functions, or any other extra property is left out.
fn core_options(operation: &'static str, options: &JsValue) -> Result<Option<Value>, StreamError> {
    if !options.is_object() || Array::is_array(options) {
        // The core reports anything but an object as invalid.
        return to_json(operation, "options", options);
    }
    let mut known = Map::new();
    for name in CORE_OPTIONS {
        let value = property(operation, options, name)?;
        if let Some(json) = to_json(operation, &format!("options.{name}"), &value)? {
            known.insert(name.to_owned(), json);
        }
    }
    Ok(Some(Value::Object(known)))
}

/// Rejects unknown property names of the options object; other values are checked later.
fn check_option_names_of(options: &JsValue) -> Result<(), StreamError> {
    if !options.is_object() || Array::is_array(options) {
        return Ok(());
    }
    let keys = own_keys(options).map_err(|thrown| {
        let problem = format!("cannot be read ({})", thrown_message(&thrown));
        StreamError::invalid_argument("StreamClient", "options", problem)
    })?;
    let names: Vec<String> = keys.iter().filter_map(|name| name.as_string()).collect();
    check_option_names(names.iter().map(String::as_str))
}

/// Reads the `signal` of the trailing `{ signal }` options argument of a network method.
fn call_signal(operation: &'static str, options: &JsValue) -> Result<JsValue, StreamError> {
    if options.is_undefined() || options.is_null() {
        return Ok(JsValue::UNDEFINED);
    }
    if !options.is_object() {
        let problem = format!(
            "must be an object {{ signal }}, got a value of type {}",
            type_name(options)
        );
        return Err(StreamError::invalid_argument(operation, "options", problem));
    }
    property(operation, options, "signal")
}

/// Server-side client for Stream's Users and Tasks endpoints, with user and call tokens.
///
/// The API secret lives only inside WebAssembly memory: the object has no property that
/// contains it, so `JSON.stringify` and `util.inspect` cannot show it.
#[wasm_bindgen(js_name = StreamClient)]
pub struct StreamClient {
    pub(super) client: Rc<Client>,
}

#[wasm_bindgen(js_class = StreamClient)]
impl StreamClient {
    /// `new StreamClient(apiKey, secret, { basePath, timeout, maxRetries, retryBaseDelayMs,
    /// logger })`. `basePath` defaults to `https://video.stream-io-api.com`, `timeout` (per
    /// call, retries included, in milliseconds) to 3000, `maxRetries` to 3 and
    /// `retryBaseDelayMs` to 250; `logger.warn(message, event)` receives every retry.
    #[wasm_bindgen(constructor)]
    pub fn new(
        api_key: JsValue,
        secret: JsValue,
        options: JsValue,
    ) -> Result<StreamClient, JsValue> {
        const OPERATION: &str = "StreamClient";
        guard(OPERATION, move || {
            let Some(api_key) = api_key.as_string() else {
                let shown = describe(
                    to_json(OPERATION, "apiKey", &api_key)
                        .ok()
                        .flatten()
                        .as_ref(),
                );
                let problem = format!("must be a string, got {shown}");
                return Err(js_error(StreamError::invalid_argument(
                    OPERATION, "apiKey", problem,
                )));
            };
            // The value of a wrong secret is not shown: it may still be the secret.
            let Some(secret) = secret.as_string() else {
                let problem = format!(
                    "must be a string, got a value of type {}",
                    type_name(&secret)
                );
                return Err(js_error(StreamError::invalid_argument(
                    OPERATION, "secret", problem,
                )));
            };
            check_credentials(&api_key, &secret).map_err(js_error)?;
            check_option_names_of(&options).map_err(js_error)?;
            check_finite_properties(OPERATION, &options, "options.", &NUMBER_OPTIONS)
                .map_err(js_error)?;
            let logger = Logger::from_options(OPERATION, &options).map_err(js_error)?;
            let core = core_options(OPERATION, &options).map_err(js_error)?;
            let options = ClientOptions::from_json(core.as_ref()).map_err(js_error)?;

            let config = ClientConfig::new(&api_key, &secret, options);
            wipe(secret);
            Ok(StreamClient {
                client: Rc::new(Client { config, logger }),
            })
        })
    }

    /// Runs one API operation and returns a promise of its decoded response.
    ///
    /// `options` is the trailing `{ signal }` argument. An already aborted signal rejects
    /// before anything is sent.
    fn call(
        &self,
        operation: Operation,
        build: Builder,
        argument_name: &'static str,
        argument: JsValue,
        options: JsValue,
    ) -> Promise {
        let client = Rc::clone(&self.client);
        let name = operation.name();
        spawn(name, async move {
            let started_ms = Date::now();
            let value = to_json(name, argument_name, &argument).map_err(js_error)?;
            let request = build(value.as_ref()).map_err(js_error)?;
            let signal = call_signal(name, &options).map_err(js_error)?;
            let abort = AbortWatch::new(name, &signal).map_err(js_error)?;
            if abort.aborted() {
                return Err(abort_failure(name, None, started_ms, abort.reason()).into());
            }

            match execute(&client, &request, name, abort).await {
                Ok(outcome) => Ok(outcome.into_js()),
                Err(Halt::Failed(failure)) => Err(failure.into()),
                Err(Halt::Interrupted {
                    by: reason,
                    client_request_id,
                }) => {
                    let failure = abort_failure(name, Some(&client_request_id), started_ms, reason);
                    Err(failure.into())
                }
            }
        })
    }

    /// `upsertUsers(users)`: creates or replaces users. `users` is an array of users or
    /// `{ users: { [id]: user } }`.
    #[wasm_bindgen(js_name = upsertUsers)]
    pub fn upsert_users(&self, users: JsValue, options: JsValue) -> Promise {
        call_bulk(
            Rc::clone(&self.client),
            Operation::UpsertUsers,
            "users",
            users,
            options,
        )
    }

    /// `updateUsersPartial({ users: [{ id, set, unset }] })`.
    #[wasm_bindgen(js_name = updateUsersPartial)]
    pub fn update_users_partial(&self, request: JsValue, options: JsValue) -> Promise {
        call_bulk(
            Rc::clone(&self.client),
            Operation::UpdateUsersPartial,
            "request",
            request,
            options,
        )
    }

    /// `queryUsers({ payload })`.
    #[wasm_bindgen(js_name = queryUsers)]
    pub fn query_users(&self, request: JsValue, options: JsValue) -> Promise {
        self.call(
            Operation::QueryUsers,
            requests::query_users,
            "request",
            request,
            options,
        )
    }

    /// `deactivateUser({ user_id, mark_messages_deleted, created_by_id })`.
    #[wasm_bindgen(js_name = deactivateUser)]
    pub fn deactivate_user(&self, request: JsValue, options: JsValue) -> Promise {
        self.call(
            Operation::DeactivateUser,
            requests::deactivate_user,
            "request",
            request,
            options,
        )
    }

    /// `reactivateUser({ user_id, restore_messages, name, created_by_id })`.
    #[wasm_bindgen(js_name = reactivateUser)]
    pub fn reactivate_user(&self, request: JsValue, options: JsValue) -> Promise {
        self.call(
            Operation::ReactivateUser,
            requests::reactivate_user,
            "request",
            request,
            options,
        )
    }

    /// `deactivateUsers({ user_ids, mark_messages_deleted, mark_channels_deleted,
    /// created_by_id })`; resolves with a `task_id`.
    #[wasm_bindgen(js_name = deactivateUsers)]
    pub fn deactivate_users(&self, request: JsValue, options: JsValue) -> Promise {
        call_bulk(
            Rc::clone(&self.client),
            Operation::DeactivateUsers,
            "request",
            request,
            options,
        )
    }

    /// `reactivateUsers({ user_ids, restore_messages, restore_channels, created_by_id })`;
    /// resolves with a `task_id`.
    #[wasm_bindgen(js_name = reactivateUsers)]
    pub fn reactivate_users(&self, request: JsValue, options: JsValue) -> Promise {
        call_bulk(
            Rc::clone(&self.client),
            Operation::ReactivateUsers,
            "request",
            request,
            options,
        )
    }

    /// `deleteUsers({ user_ids, user, conversations, messages, calls, files,
    /// new_channel_owner_id, new_call_owner_id })`; resolves with a `task_id`.
    #[wasm_bindgen(js_name = deleteUsers)]
    pub fn delete_users(&self, request: JsValue, options: JsValue) -> Promise {
        call_bulk(
            Rc::clone(&self.client),
            Operation::DeleteUsers,
            "request",
            request,
            options,
        )
    }

    /// `restoreUsers({ user_ids })`.
    #[wasm_bindgen(js_name = restoreUsers)]
    pub fn restore_users(&self, request: JsValue, options: JsValue) -> Promise {
        call_bulk(
            Rc::clone(&self.client),
            Operation::RestoreUsers,
            "request",
            request,
            options,
        )
    }

    /// `getTask({ id })`.
    #[wasm_bindgen(js_name = getTask)]
    pub fn get_task(&self, request: JsValue, options: JsValue) -> Promise {
        self.call(
            Operation::GetTask,
            requests::get_task,
            "request",
            request,
            options,
        )
    }

    /// `createGuest({ user })`.
    #[wasm_bindgen(js_name = createGuest)]
    pub fn create_guest(&self, request: JsValue, options: JsValue) -> Promise {
        self.call(
            Operation::CreateGuest,
            requests::create_guest,
            "request",
            request,
            options,
        )
    }

    /// `exportUser({ user_id })`.
    #[wasm_bindgen(js_name = exportUser)]
    pub fn export_user(&self, request: JsValue, options: JsValue) -> Promise {
        self.call(
            Operation::ExportUser,
            requests::export_user,
            "request",
            request,
            options,
        )
    }

    /// `waitForTask(taskId, { intervalMs, timeoutMs, signal })`: polls `getTask` until the
    /// task completes (defaults: every 500 ms, for at most 60000 ms).
    #[wasm_bindgen(js_name = waitForTask)]
    pub fn wait_for_task(&self, task_id: JsValue, options: JsValue) -> Promise {
        wait_for_task(Rc::clone(&self.client), task_id, options)
    }
}
