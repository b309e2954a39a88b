//! One API call: prepare, fetch, decode, and convert the result to JavaScript.

use std::future::Future;

use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Headers;

use super::convert::{decoded_to_js, set};
use super::errors::{metadata_to_js, Failure};
use super::fetch::{fetch, FetchError};
use crate::client::{uuid_v4, ClientConfig};
use crate::decoded::Decoded;
use crate::error::{redact_urls, Metadata, ResponseSummary, StreamError};
use crate::rate_limit::RateLimit;
use crate::requests::ApiRequest;
use crate::response::decode_response;

/// A decoded response with its transport details.
pub struct Outcome {
    /// The decoded body.
    pub body: Decoded,
    /// Status, rate limit and request ID.
    pub metadata: Metadata,
    /// The response headers.
    pub headers: Headers,
}

impl Outcome {
    /// Returns the body as a JavaScript object with `metadata` added, like the official SDK's
    /// `{ ...body, metadata }`.
    pub fn into_js(self) -> JsValue {
        let value = decoded_to_js(&self.body);
        if let Some(object) = value.dyn_ref::<Object>() {
            set(
                object,
                "metadata",
                &metadata_to_js(Some(&self.metadata), Some(&self.headers)),
            );
        }
        value
    }
}

/// The reason [`execute`] returned no [`Outcome`].
pub enum Halt<I> {
    /// The request failed.
    Failed(Failure),
    /// The interrupt future completed first.
    Interrupted {
        /// The interrupt's output.
        by: I,
        /// The `x-client-request-id` of the abandoned request.
        client_request_id: String,
    },
}

impl<I> From<StreamError> for Halt<I> {
    fn from(error: StreamError) -> Self {
        Halt::Failed(error.into())
    }
}

/// Returns 16 random bytes from `crypto.getRandomValues`, or from `Math.random` in
/// runtimes without Web Crypto (Node 18 without flags). Request IDs need to be unique, not
/// secret.
fn random_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    let crypto = Reflect::get(&js_sys::global(), &JsValue::from_str("crypto")).ok();
    let get_random_values = crypto.as_ref().and_then(|crypto| {
        let function = Reflect::get(crypto, &JsValue::from_str("getRandomValues")).ok()?;
        function
            .dyn_into::<js_sys::Function>()
            .ok()
            .map(|f| (crypto.clone(), f))
    });
    if let Some((crypto, function)) = get_random_values {
        let array = Uint8Array::new_with_length(16);
        if function.call1(&crypto, &array).is_ok() {
            array.copy_to(&mut bytes);
            return bytes;
        }
    }
    for byte in &mut bytes {
        *byte = (js_sys::Math::random() * 256.0) as u8;
    }
    bytes
}

/// Sends `request` and decodes the response, naming `label` in errors.
///
/// `interrupt` can end the wait early (`waitForTask` passes its abort signal and deadline).
pub async fn execute<I>(
    config: &ClientConfig,
    request: &ApiRequest,
    label: &'static str,
    interrupt: impl Future<Output = I>,
) -> Result<Outcome, Halt<I>> {
    let client_request_id = uuid_v4(random_bytes());
    let prepared = config
        .prepare(request, &client_request_id)
        .map_err(|e| e.with_operation(label))?;

    let timeout_ms = config.options().timeout_ms;
    let fetched = match fetch(prepared, timeout_ms, interrupt).await {
        Ok(fetched) => fetched,
        Err(FetchError::Interrupted(by)) => {
            return Err(Halt::Interrupted {
                by,
                client_request_id,
            })
        }
        Err(FetchError::Timeout) => {
            let metadata = Box::new(Metadata::request_only(&client_request_id));
            return Err(StreamError::Timeout {
                operation: label,
                timeout_ms,
                metadata,
            }
            .into());
        }
        Err(FetchError::Network { reason, cause }) => {
            let metadata = Box::new(Metadata::request_only(&client_request_id));
            let reason = redact_urls(&reason);
            let error = StreamError::Network {
                operation: label,
                reason,
                metadata,
            };
            return Err(Halt::Failed(Failure {
                error,
                headers: None,
                cause,
            }));
        }
    };

    let headers = fetched.headers;
    let rate_limit = RateLimit::from_headers(|name| headers.get(name).ok().flatten());
    let metadata = Metadata {
        client_request_id: Some(client_request_id),
        response: Some(ResponseSummary {
            status: fetched.status,
            rate_limit,
        }),
    };
    let schema = request.operation.response_schema();
    match decode_response(
        label,
        schema,
        fetched.status,
        &fetched.body,
        metadata.clone(),
    ) {
        Ok(body) => Ok(Outcome {
            body,
            metadata,
            headers,
        }),
        Err(error) => Err(Halt::Failed(Failure {
            error,
            headers: Some(headers),
            cause: None,
        })),
    }
}
