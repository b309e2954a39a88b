//! Sending a prepared request with `fetch`, bounded by a timeout.

use gloo_net::http::{Method, RequestBuilder, Response};
use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers};

use super::bindings::fetch_request;
use super::convert::thrown_message;
use super::timer::Timer;
use crate::client::PreparedRequest;
use crate::race::{race, Either};

/// A response whose body has been read completely.
pub struct Fetched {
    /// HTTP status code.
    pub status: u16,
    /// Response headers, exposed as `metadata.responseHeaders`.
    pub headers: Headers,
    /// Body text.
    pub body: String,
}

/// The reason no complete response arrived.
pub enum FetchError {
    /// The timeout expired first.
    Timeout,
    /// The request could not be built or sent, or the body could not be read.
    Network {
        /// The error message, with the message of its `cause` when there is one.
        reason: String,
        /// The JavaScript error, when there is one.
        cause: Option<JsValue>,
    },
}

impl FetchError {
    fn network(thrown: JsValue) -> Self {
        let mut reason = thrown_message(&thrown);
        // Node's fetch reports "fetch failed" and puts the socket error in `cause`.
        let cause = Reflect::get(&thrown, &JsValue::from_str("cause")).ok();
        if let Some(cause) = cause.filter(|c| !c.is_undefined() && !c.is_null()) {
            reason = format!("{reason} ({})", thrown_message(&cause));
        }
        FetchError::Network {
            reason,
            cause: Some(thrown),
        }
    }

    fn gloo(error: gloo_net::Error) -> Self {
        FetchError::Network {
            reason: error.to_string(),
            cause: None,
        }
    }
}

fn method(name: &str) -> Method {
    match name {
        "POST" => Method::POST,
        "PATCH" => Method::PATCH,
        _ => Method::GET,
    }
}

/// Aborts its controller when dropped, so a request whose future is dropped (after a
/// timeout, or because the caller's signal fired) does not go on in the background.
/// Aborting a request that has already completed does nothing.
struct AbortOnDrop(AbortController);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Sends `request` and reads the whole body, giving up after `timeout_ms`.
///
/// A timeout, or dropping the returned future, aborts the request through an
/// `AbortController`. Either way the future stops waiting at once, even in runtimes whose
/// `fetch` ignores the abort.
pub async fn fetch(request: &PreparedRequest, timeout_ms: u32) -> Result<Fetched, FetchError> {
    let controller = AbortOnDrop(AbortController::new().map_err(FetchError::network)?);
    let mut builder = RequestBuilder::new(&request.url)
        .method(method(request.method))
        .abort_signal(Some(&controller.0.signal()));
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let built = match &request.body {
        Some(body) => builder.body(JsValue::from_str(body)),
        None => builder.build(),
    };
    let built: web_sys::Request = built.map_err(FetchError::gloo)?.into();

    let exchange = async {
        let response = JsFuture::from(fetch_request(&built))
            .await
            .map_err(FetchError::network)?;
        let response: Response = response
            .dyn_into::<web_sys::Response>()
            .map_err(|other| FetchError::Network {
                reason: String::from("fetch resolved with a value that is not a Response"),
                cause: Some(other),
            })?
            .into();
        let body = response.text().await.map_err(FetchError::gloo)?;
        Ok(Fetched {
            status: response.status(),
            headers: response.headers().into_raw(),
            body,
        })
    };

    match race(exchange, Timer::new(timeout_ms)).await {
        Either::First(result) => result,
        Either::Second(()) => Err(FetchError::Timeout),
    }
}
