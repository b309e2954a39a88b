//! One API call: prepare, send with retries, decode, and convert the result to JavaScript.

use std::cell::RefCell;
use std::future::Future;

use js_sys::{Date, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Headers;

use super::bindings::json_parse;
use super::convert::{decoded_to_js, replace_timestamps, set};
use super::errors::{metadata_to_js, to_js_error, Failure};
use super::fetch::{fetch, FetchError};
use super::logger::{Logger, RetryReport};
use super::timer::Timer;
use crate::client::{uuid_v4, ClientConfig, PreparedRequest};
use crate::decoded::Decoded;
use crate::error::{redact_urls, Metadata, ResponseSummary, StreamError};
use crate::race::{race, Either};
use crate::rate_limit::RateLimit;
use crate::requests::ApiRequest;
use crate::response::decode_response;
use crate::retry::{Decision, Moment};
use crate::shape::check_shape;
use crate::tasks::MAX_TIMER_MS;

/// The configuration and the logger that every call of one `StreamClient` shares.
pub struct Client {
    /// API key, signer and options.
    pub config: ClientConfig,
    /// The `logger` option.
    pub logger: Option<Logger>,
}

/// A decoded response with its transport details.
pub struct Outcome {
    /// The decoded body.
    pub body: Decoded,
    /// The body text as a JavaScript string.
    pub body_text: JsValue,
    /// Status, rate limit and request ID.
    pub metadata: Metadata,
    /// The response headers.
    pub headers: Headers,
}

impl Outcome {
    /// Returns the body as a JavaScript object with `metadata` added, like the official SDK's
    /// `{ ...body, metadata }`.
    ///
    /// The engine's `JSON.parse` builds the object from the body text, and only the timestamp
    /// fields are then replaced with `Date`s. Building the object from [`Decoded`] one
    /// property at a time across the WebAssembly boundary was the largest single cost of a
    /// request in CPU profiles with Node 20. The value is the same, because [`Decoded`] is
    /// the parsed body with its timestamps marked.
    pub fn into_js(self) -> JsValue {
        let value = match json_parse(&self.body_text) {
            Ok(value) => {
                replace_timestamps(&value, &self.body);
                value
            }
            Err(_) => decoded_to_js(&self.body),
        };
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
        /// The `x-client-request-id` of the abandoned call.
        client_request_id: String,
    },
}

impl<I> From<StreamError> for Halt<I> {
    fn from(error: StreamError) -> Self {
        Halt::Failed(error.into())
    }
}

/// Random bytes fetched per call of `crypto.getRandomValues`: enough for 64 request IDs.
const RANDOM_POOL_LEN: usize = 1024;

thread_local! {
    /// Random bytes not handed out yet, taken from the end.
    static RANDOM_POOL: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Fills `bytes` from `crypto.getRandomValues`, or from `Math.random` in runtimes without
/// Web Crypto (Node 18 without flags).
fn fill_random(bytes: &mut [u8]) {
    let crypto = Reflect::get(&js_sys::global(), &JsValue::from_str("crypto")).ok();
    let get_random_values = crypto.as_ref().and_then(|crypto| {
        let function = Reflect::get(crypto, &JsValue::from_str("getRandomValues")).ok()?;
        function
            .dyn_into::<js_sys::Function>()
            .ok()
            .map(|f| (crypto.clone(), f))
    });
    if let Some((crypto, function)) = get_random_values {
        let array = Uint8Array::new_with_length(bytes.len() as u32);
        if function.call1(&crypto, &array).is_ok() {
            array.copy_to(bytes);
            return;
        }
    }
    for byte in bytes {
        *byte = (js_sys::Math::random() * 256.0) as u8;
    }
}

/// Returns 16 random bytes for a request ID. Request IDs need to be unique, not secret, so
/// the bytes come from a pool that is refilled with one `getRandomValues` call per
/// [`RANDOM_POOL_LEN`] bytes, which saves that call and its lookups on most requests.
fn random_bytes() -> [u8; 16] {
    RANDOM_POOL.with(|pool| {
        let mut pool = pool.borrow_mut();
        if pool.len() < 16 {
            pool.resize(RANDOM_POOL_LEN, 0);
            fill_random(&mut pool);
        }
        let start = pool.len() - 16;
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&pool[start..]);
        pool.truncate(start);
        bytes
    })
}

/// Sends `request` and decodes the response, naming `label` in errors.
///
/// Failed attempts are retried as [`crate::retry`] describes, all with the same
/// `x-client-request-id`, and the client's `timeout` bounds the whole call. `interrupt` ends
/// the call at once, during a request or a wait alike, and no request is sent after it
/// completes. Calls pass the caller's abort signal, and `waitForTask` also its deadline.
pub async fn execute<I>(
    client: &Client,
    request: &ApiRequest,
    label: &'static str,
    interrupt: impl Future<Output = I>,
) -> Result<Outcome, Halt<I>> {
    let client_request_id = uuid_v4(random_bytes());
    let prepared = client
        .config
        .prepare(request, &client_request_id)
        .map_err(|e| e.with_operation(label))?;

    let call = Call {
        client,
        request,
        prepared: &prepared,
        label,
        client_request_id: &client_request_id,
    };
    match race(call.run(), interrupt).await {
        Either::First(result) => result.map_err(Halt::Failed),
        Either::Second(by) => Err(Halt::Interrupted {
            by,
            client_request_id,
        }),
    }
}

/// One call of an operation, sent once or more.
struct Call<'a> {
    client: &'a Client,
    request: &'a ApiRequest,
    prepared: &'a PreparedRequest,
    label: &'static str,
    client_request_id: &'a str,
}

/// A failed attempt, with what the retry decision and the caller need.
struct AttemptFailure {
    failure: Failure,
    retry_after: Option<String>,
}

impl Call<'_> {
    /// Sends the request until it succeeds, fails for good, or the timeout expires.
    async fn run(&self) -> Result<Outcome, Failure> {
        let options = self.client.config.options();
        let deadline_ms = Date::now() + f64::from(options.timeout_ms);
        let mut attempt = 1;
        loop {
            let remaining_ms = (deadline_ms - Date::now()).max(0.0);
            let failed = match self.attempt(remaining_ms, attempt).await {
                Ok(outcome) => return Ok(outcome),
                Err(failed) => failed,
            };

            let now_ms = Date::now();
            let moment = Moment {
                now_unix_ms: now_ms,
                remaining_ms: deadline_ms - now_ms,
                random: js_sys::Math::random(),
            };
            let error = &failed.failure.error;
            let retry_after = failed.retry_after.as_deref();
            let Decision::Retry { delay_ms, basis } =
                options.retry.decide(error, retry_after, attempt, moment)
            else {
                return Err(failed.failure);
            };

            if let Some(logger) = &self.client.logger {
                let failure = &failed.failure;
                logger.retry(RetryReport {
                    error,
                    js_error: to_js_error(error, failure.headers.as_ref(), failure.cause.as_ref()),
                    attempt,
                    max_retries: options.retry.max_retries,
                    delay_ms,
                    basis,
                    client_request_id: self.client_request_id,
                });
            }
            sleep_until(now_ms + f64::from(delay_ms)).await;
            attempt += 1;
        }
    }

    /// Sends the request once, with `remaining_ms` left before the call's deadline.
    async fn attempt(&self, remaining_ms: f64, attempt: u32) -> Result<Outcome, AttemptFailure> {
        let failed = |error: StreamError, headers: Option<Headers>, cause: Option<JsValue>| {
            let retry_after = headers
                .as_ref()
                .and_then(|h| h.get("retry-after").ok().flatten());
            AttemptFailure {
                failure: Failure {
                    error,
                    headers,
                    cause,
                },
                retry_after,
            }
        };
        let request_only = || Box::new(Metadata::request_only(self.client_request_id));

        let timeout_ms = remaining_ms.ceil().min(f64::from(MAX_TIMER_MS)) as u32;
        let fetched = match fetch(self.prepared, timeout_ms).await {
            Ok(fetched) => fetched,
            Err(FetchError::Timeout) => {
                let error = StreamError::Timeout {
                    operation: self.label,
                    timeout_ms: self.client.config.options().timeout_ms,
                    attempts: attempt,
                    metadata: request_only(),
                };
                return Err(failed(error, None, None));
            }
            Err(FetchError::Network { reason, cause }) => {
                let error = StreamError::Network {
                    operation: self.label,
                    reason: redact_urls(&reason),
                    metadata: request_only(),
                };
                return Err(failed(error, None, cause));
            }
        };

        #[cfg(feature = "panic-probe")]
        super::panic_probe::trip(self.label);

        let headers = fetched.headers;
        let rate_limit = RateLimit::from_headers(|name| headers.get(name).ok().flatten());
        let metadata = Metadata {
            client_request_id: Some(self.client_request_id.to_owned()),
            response: Some(ResponseSummary {
                status: fetched.status,
                rate_limit,
            }),
        };
        let operation = self.request.operation;
        let decoded = decode_response(
            self.label,
            operation.response_schema(),
            fetched.status,
            &fetched.body,
            metadata.clone(),
        )
        .and_then(|body| {
            check_shape(
                operation,
                self.label,
                fetched.status,
                &fetched.body,
                &body,
                &metadata,
            )?;
            Ok(body)
        });
        match decoded {
            Ok(body) => Ok(Outcome {
                body,
                body_text: fetched.body_js,
                metadata,
                headers,
            }),
            Err(error) => Err(failed(error, Some(headers), None)),
        }
    }
}

/// Waits until `Date.now()` reaches `target_ms`.
///
/// Node's timers can fire a few milliseconds before `Date.now()` reaches the requested time
/// (they count from the event loop's cached clock), so the wait repeats until it has.
async fn sleep_until(target_ms: f64) {
    loop {
        let left_ms = target_ms - Date::now();
        if left_ms <= 0.0 {
            return;
        }
        Timer::new(left_ms.ceil().min(f64::from(MAX_TIMER_MS)) as u32).await;
    }
}
