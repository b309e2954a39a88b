//! The token methods of the JavaScript class `StreamClient`: signing user and call tokens,
//! and verifying tokens and webhooks. They are synchronous and send nothing.

use std::rc::Rc;

use js_sys::{ArrayBuffer, Uint8Array};
use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::client::{js_error, StreamClient};
use super::convert::{check_finite, check_finite_properties, json_to_js, to_json, type_name};
use super::guard::{guard, internal_error};
use crate::error::StreamError;
use crate::tokens::direct::DirectClaims;

/// Properties of token payloads that must be finite numbers when present.
const TOKEN_NUMBERS: [&str; 3] = ["exp", "iat", "validity_in_seconds"];

/// Returns `Date.now()` in whole milliseconds.
fn now_ms() -> i64 {
    js_sys::Date::now().floor() as i64
}

/// Converts the payload of `generateUserToken` or `generateCallToken` to JSON, rejecting
/// non-finite numbers among its time fields first.
fn token_payload(operation: &'static str, payload: &JsValue) -> Result<Option<Value>, JsValue> {
    check_finite_properties(operation, payload, "", &TOKEN_NUMBERS).map_err(js_error)?;
    to_json(operation, "payload", payload).map_err(js_error)
}

/// Returns the method that `signUserTokenDirect` signs for with `shape`.
fn direct_operation(shape: u32) -> &'static str {
    if shape == 2 {
        "createToken"
    } else {
        "generateUserToken"
    }
}

#[wasm_bindgen(js_class = StreamClient)]
impl StreamClient {
    /// `generateUserToken({ user_id, validity_in_seconds, exp, iat, ...claims })`.
    #[wasm_bindgen(js_name = generateUserToken)]
    pub fn generate_user_token(&self, payload: JsValue) -> Result<String, JsValue> {
        const OPERATION: &str = "generateUserToken";
        let client = Rc::clone(&self.client);
        guard(OPERATION, move || {
            let payload = token_payload(OPERATION, &payload)?;
            client
                .config
                .signer()
                .generate_user_token(payload.as_ref(), now_ms())
                .map_err(js_error)
        })
    }

    /// Signs the token of `generateUserToken({ user_id })` (`shape` 0),
    /// `generateUserToken({ user_id, validity_in_seconds })` (`shape` 1, with `validity`) or
    /// `createToken(userId)` (`shape` 2) in one call, with the arguments already read by the
    /// entry point's JavaScript. Returns an empty string when the general method must handle
    /// the call (see [`crate::tokens::direct::write_claims`]).
    ///
    /// There is no [`guard`] here, which would cost a closure per token. The entry point
    /// catches a trap and throws the error of [`Self::direct_token_failure`] instead.
    #[wasm_bindgen(js_name = signUserTokenDirect)]
    pub fn sign_user_token_direct(&self, shape: u32, user_id: &str, validity: f64) -> String {
        #[cfg(feature = "panic-probe")]
        super::panic_probe::trip(direct_operation(shape));
        let shape = match shape {
            0 => DirectClaims::UserId,
            // The entry point passes only whole numbers from 0 to 2^53.
            1 if validity >= 0.0 => DirectClaims::UserIdWithValidity(validity as u64),
            2 => DirectClaims::Legacy,
            _ => return String::new(),
        };
        self.client
            .config
            .signer()
            .user_token_direct(shape, user_id, now_ms())
            .unwrap_or_default()
    }

    /// Builds the `internal` `StreamError` for a trap in [`Self::sign_user_token_direct`]
    /// with `shape`, with the thrown `WebAssembly.RuntimeError` as its `cause`.
    #[wasm_bindgen(js_name = directTokenFailure)]
    pub fn direct_token_failure(&self, shape: u32, thrown: JsValue) -> JsValue {
        internal_error(direct_operation(shape), Some(thrown))
    }

    /// `generateCallToken({ user_id, call_cids, role, validity_in_seconds, exp, iat })`.
    #[wasm_bindgen(js_name = generateCallToken)]
    pub fn generate_call_token(&self, payload: JsValue) -> Result<String, JsValue> {
        const OPERATION: &str = "generateCallToken";
        let client = Rc::clone(&self.client);
        guard(OPERATION, move || {
            let payload = token_payload(OPERATION, &payload)?;
            client
                .config
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
        let client = Rc::clone(&self.client);
        guard(OPERATION, move || {
            check_finite(OPERATION, "exp", &exp).map_err(js_error)?;
            check_finite(OPERATION, "iat", &iat).map_err(js_error)?;
            let user_id = to_json(OPERATION, "user_id", &user_id).map_err(js_error)?;
            let exp = to_json(OPERATION, "exp", &exp).map_err(js_error)?;
            let iat = to_json(OPERATION, "iat", &iat).map_err(js_error)?;
            let signer = client.config.signer();
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
        let client = Rc::clone(&self.client);
        guard(OPERATION, move || {
            check_finite(OPERATION, "exp", &exp).map_err(js_error)?;
            check_finite(OPERATION, "iat", &iat).map_err(js_error)?;
            let user =
                to_json(OPERATION, "userIdOrObject", &user_id_or_object).map_err(js_error)?;
            let cids = to_json(OPERATION, "call_cids", &call_cids).map_err(js_error)?;
            let exp = to_json(OPERATION, "exp", &exp).map_err(js_error)?;
            let iat = to_json(OPERATION, "iat", &iat).map_err(js_error)?;
            client
                .config
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
        let client = Rc::clone(&self.client);
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
            let claims = client
                .config
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
        let client = Rc::clone(&self.client);
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
            client
                .config
                .signer()
                .verify_webhook(&bytes, &signature)
                .map_err(js_error)
        })
    }
}
