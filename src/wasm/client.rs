//! The JavaScript class `StreamClient`.

use std::convert::Infallible;
use std::future::pending;
use std::rc::Rc;

use js_sys::{ArrayBuffer, Promise, Uint8Array};
use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::api::{execute, Halt};
use super::convert::{check_finite, check_finite_properties, json_to_js, to_json, type_name};
use super::errors::Failure;
use super::executor::spawn;
use super::guard::guard;
use super::wait::wait_for_task;
use crate::args::describe;
use crate::client::{ClientConfig, ClientOptions};
use crate::error::StreamError;
use crate::requests::{self, ApiRequest, Operation};

/// A function that builds the request of one operation from its JSON argument.
type Builder = fn(Option<&Value>) -> Result<ApiRequest, StreamError>;

/// Properties of token payloads that must be finite numbers when present.
const TOKEN_NUMBERS: [&str; 3] = ["exp", "iat", "validity_in_seconds"];

fn js_error(error: StreamError) -> JsValue {
    Failure::from(error).into()
}

/// Returns `Date.now()` in whole milliseconds.
fn now_ms() -> i64 {
    js_sys::Date::now().floor() as i64
}

/// Overwrites the secret's bytes before freeing them, so the secret stays in WebAssembly
/// memory only inside the keyed HMAC state.
fn wipe(secret: String) {
    let mut bytes = secret.into_bytes();
    bytes.fill(0);
    std::hint::black_box(&bytes);
}

/// Server-side client for Stream's Users and Tasks endpoints, with user and call tokens.
///
/// The API secret lives only inside WebAssembly memory: the object has no property that
/// contains it, so `JSON.stringify` and `util.inspect` cannot show it.
#[wasm_bindgen(js_name = StreamClient)]
pub struct StreamClient {
    config: Rc<ClientConfig>,
}

#[wasm_bindgen(js_class = StreamClient)]
impl StreamClient {
    /// `new StreamClient(apiKey, secret, { basePath, timeout })`. `basePath` defaults to
    /// `https://video.stream-io-api.com` and `timeout` (per request, in milliseconds) to 3000.
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
            check_finite_properties(OPERATION, &options, &["timeout"]).map_err(js_error)?;
            let options = to_json(OPERATION, "options", &options).map_err(js_error)?;
            let options = ClientOptions::from_json(options.as_ref()).map_err(js_error)?;

            let config = ClientConfig::new(&api_key, &secret, options);
            wipe(secret);
            Ok(StreamClient {
                config: Rc::new(config),
            })
        })
    }

    /// Runs one API operation and returns a promise of its decoded response.
    fn call(
        &self,
        operation: Operation,
        build: Builder,
        argument_name: &'static str,
        argument: JsValue,
    ) -> Promise {
        let config = Rc::clone(&self.config);
        let name = operation.name();
        spawn(name, async move {
            let value = to_json(name, argument_name, &argument).map_err(js_error)?;
            let request = build(value.as_ref()).map_err(js_error)?;
            match execute(&config, &request, name, pending::<Infallible>()).await {
                Ok(outcome) => Ok(outcome.into_js()),
                Err(Halt::Failed(failure)) => Err(failure.into()),
                Err(Halt::Interrupted { by, .. }) => match by {},
            }
        })
    }

    /// `upsertUsers(users)`: creates or replaces users. `users` is an array of users or
    /// `{ users: { [id]: user } }`.
    #[wasm_bindgen(js_name = upsertUsers)]
    pub fn upsert_users(&self, users: JsValue) -> Promise {
        self.call(
            Operation::UpsertUsers,
            requests::upsert_users,
            "users",
            users,
        )
    }

    /// `updateUsersPartial({ users: [{ id, set, unset }] })`.
    #[wasm_bindgen(js_name = updateUsersPartial)]
    pub fn update_users_partial(&self, request: JsValue) -> Promise {
        self.call(
            Operation::UpdateUsersPartial,
            requests::update_users_partial,
            "request",
            request,
        )
    }

    /// `queryUsers({ payload })`.
    #[wasm_bindgen(js_name = queryUsers)]
    pub fn query_users(&self, request: JsValue) -> Promise {
        self.call(
            Operation::QueryUsers,
            requests::query_users,
            "request",
            request,
        )
    }

    /// `deactivateUser({ user_id, mark_messages_deleted, created_by_id })`.
    #[wasm_bindgen(js_name = deactivateUser)]
    pub fn deactivate_user(&self, request: JsValue) -> Promise {
        self.call(
            Operation::DeactivateUser,
            requests::deactivate_user,
            "request",
            request,
        )
    }

    /// `reactivateUser({ user_id, restore_messages, name, created_by_id })`.
    #[wasm_bindgen(js_name = reactivateUser)]
    pub fn reactivate_user(&self, request: JsValue) -> Promise {
        self.call(
            Operation::ReactivateUser,
            requests::reactivate_user,
            "request",
            request,
        )
    }

    /// `deactivateUsers({ user_ids, mark_messages_deleted, mark_channels_deleted,
    /// created_by_id })`; resolves with a `task_id`.
    #[wasm_bindgen(js_name = deactivateUsers)]
    pub fn deactivate_users(&self, request: JsValue) -> Promise {
        self.call(
            Operation::DeactivateUsers,
            requests::deactivate_users,
            "request",
            request,
        )
    }

    /// `reactivateUsers({ user_ids, restore_messages, restore_channels, created_by_id })`;
    /// resolves with a `task_id`.
    #[wasm_bindgen(js_name = reactivateUsers)]
    pub fn reactivate_users(&self, request: JsValue) -> Promise {
        self.call(
            Operation::ReactivateUsers,
            requests::reactivate_users,
            "request",
            request,
        )
    }

    /// `deleteUsers({ user_ids, user, conversations, messages, calls, files,
    /// new_channel_owner_id, new_call_owner_id })`; resolves with a `task_id`.
    #[wasm_bindgen(js_name = deleteUsers)]
    pub fn delete_users(&self, request: JsValue) -> Promise {
        self.call(
            Operation::DeleteUsers,
            requests::delete_users,
            "request",
            request,
        )
    }

    /// `restoreUsers({ user_ids })`.
    #[wasm_bindgen(js_name = restoreUsers)]
    pub fn restore_users(&self, request: JsValue) -> Promise {
        self.call(
            Operation::RestoreUsers,
            requests::restore_users,
            "request",
            request,
        )
    }

    /// `getTask({ id })`.
    #[wasm_bindgen(js_name = getTask)]
    pub fn get_task(&self, request: JsValue) -> Promise {
        self.call(Operation::GetTask, requests::get_task, "request", request)
    }

    /// `createGuest({ user })`.
    #[wasm_bindgen(js_name = createGuest)]
    pub fn create_guest(&self, request: JsValue) -> Promise {
        self.call(
            Operation::CreateGuest,
            requests::create_guest,
            "request",
            request,
        )
    }

    /// `exportUser({ user_id })`.
    #[wasm_bindgen(js_name = exportUser)]
    pub fn export_user(&self, request: JsValue) -> Promise {
        self.call(
            Operation::ExportUser,
            requests::export_user,
            "request",
            request,
        )
    }

    /// `waitForTask(taskId, { intervalMs, timeoutMs, signal })`: polls `getTask` until the
    /// task completes (defaults: every 500 ms, for at most 60000 ms).
    #[wasm_bindgen(js_name = waitForTask)]
    pub fn wait_for_task(&self, task_id: JsValue, options: JsValue) -> Promise {
        wait_for_task(Rc::clone(&self.config), task_id, options)
    }

    /// `generateUserToken({ user_id, validity_in_seconds, exp, iat, ...claims })`.
    #[wasm_bindgen(js_name = generateUserToken)]
    pub fn generate_user_token(&self, payload: JsValue) -> Result<String, JsValue> {
        const OPERATION: &str = "generateUserToken";
        let config = Rc::clone(&self.config);
        guard(OPERATION, move || {
            check_finite_properties(OPERATION, &payload, &TOKEN_NUMBERS).map_err(js_error)?;
            let payload = to_json(OPERATION, "payload", &payload).map_err(js_error)?;
            config
                .signer()
                .generate_user_token(payload.as_ref(), now_ms())
                .map_err(js_error)
        })
    }

    /// `generateCallToken({ user_id, call_cids, role, validity_in_seconds, exp, iat })`.
    #[wasm_bindgen(js_name = generateCallToken)]
    pub fn generate_call_token(&self, payload: JsValue) -> Result<String, JsValue> {
        const OPERATION: &str = "generateCallToken";
        let config = Rc::clone(&self.config);
        guard(OPERATION, move || {
            check_finite_properties(OPERATION, &payload, &TOKEN_NUMBERS).map_err(js_error)?;
            let payload = to_json(OPERATION, "payload", &payload).map_err(js_error)?;
            config
                .signer()
                .generate_call_token(payload.as_ref(), now_ms())
                .map_err(js_error)
        })
    }

    /// `createToken(userId, exp, iat)`, deprecated in favour of `generateUserToken`.
    #[wasm_bindgen(js_name = createToken)]
    pub fn create_token(
        &self,
        user_id: JsValue,
        exp: JsValue,
        iat: JsValue,
    ) -> Result<String, JsValue> {
        const OPERATION: &str = "createToken";
        let config = Rc::clone(&self.config);
        guard(OPERATION, move || {
            check_finite(OPERATION, "exp", &exp).map_err(js_error)?;
            check_finite(OPERATION, "iat", &iat).map_err(js_error)?;
            let user_id = to_json(OPERATION, "user_id", &user_id).map_err(js_error)?;
            let exp = to_json(OPERATION, "exp", &exp).map_err(js_error)?;
            let iat = to_json(OPERATION, "iat", &iat).map_err(js_error)?;
            let signer = config.signer();
            signer
                .create_token(user_id.as_ref(), exp.as_ref(), iat.as_ref(), now_ms())
                .map_err(js_error)
        })
    }

    /// `createCallToken(userIdOrObject, call_cids, exp, iat)`, deprecated in favour of
    /// `generateCallToken`.
    #[wasm_bindgen(js_name = createCallToken)]
    pub fn create_call_token(
        &self,
        user_id_or_object: JsValue,
        call_cids: JsValue,
        exp: JsValue,
        iat: JsValue,
    ) -> Result<String, JsValue> {
        const OPERATION: &str = "createCallToken";
        let config = Rc::clone(&self.config);
        guard(OPERATION, move || {
            check_finite(OPERATION, "exp", &exp).map_err(js_error)?;
            check_finite(OPERATION, "iat", &iat).map_err(js_error)?;
            let user =
                to_json(OPERATION, "userIdOrObject", &user_id_or_object).map_err(js_error)?;
            let cids = to_json(OPERATION, "call_cids", &call_cids).map_err(js_error)?;
            let exp = to_json(OPERATION, "exp", &exp).map_err(js_error)?;
            let iat = to_json(OPERATION, "iat", &iat).map_err(js_error)?;
            config
                .signer()
                .create_call_token(
                    user.as_ref(),
                    cids.as_ref(),
                    exp.as_ref(),
                    iat.as_ref(),
                    now_ms(),
                )
                .map_err(js_error)
        })
    }

    /// `verifyToken(token)`: checks an HS256 token against the secret and returns its claims.
    #[wasm_bindgen(js_name = verifyToken)]
    pub fn verify_token(&self, token: JsValue) -> Result<JsValue, JsValue> {
        const OPERATION: &str = "verifyToken";
        let config = Rc::clone(&self.config);
        guard(OPERATION, move || {
            let Some(token) = token.as_string() else {
                let problem = format!(
                    "must be a string, got a value of type {}",
                    type_name(&token)
                );
                return Err(js_error(StreamError::invalid_argument(
                    OPERATION, "token", problem,
                )));
            };
            let claims = config
                .signer()
                .verify_token(&token, now_ms())
                .map_err(js_error)?;
            Ok(json_to_js(&Value::Object(claims)))
        })
    }

    /// `verifyWebhook(body, signature)`: checks the `X-Signature` header of a webhook, the
    /// hex HMAC-SHA256 of the raw body (a string, `Uint8Array` or `ArrayBuffer`).
    #[wasm_bindgen(js_name = verifyWebhook)]
    pub fn verify_webhook(&self, body: JsValue, signature: JsValue) -> Result<bool, JsValue> {
        const OPERATION: &str = "verifyWebhook";
        let config = Rc::clone(&self.config);
        guard(OPERATION, move || {
            let bytes = if let Some(text) = body.as_string() {
                text.into_bytes()
            } else if let Some(array) = body.dyn_ref::<Uint8Array>() {
                array.to_vec()
            } else if let Some(buffer) = body.dyn_ref::<ArrayBuffer>() {
                Uint8Array::new(buffer).to_vec()
            } else {
                let problem = format!(
                    "must be the raw request body as a string, Uint8Array or ArrayBuffer, got a \
                     value of type {}",
                    type_name(&body)
                );
                return Err(js_error(StreamError::invalid_argument(
                    OPERATION, "body", problem,
                )));
            };
            // Like the official SDK, a signature that is not a string does not match.
            let Some(signature) = signature.as_string() else {
                return Ok(false);
            };
            config
                .signer()
                .verify_webhook(&bytes, &signature)
                .map_err(js_error)
        })
    }
}
