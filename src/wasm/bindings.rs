//! JavaScript globals imported directly, so they work in Node, Deno, workerd and browsers
//! alike (none of them is reached through `window`).

use js_sys::Function;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `setTimeout(handler, ms)`; returns a number or, in Node, a `Timeout` object.
    #[wasm_bindgen(js_name = setTimeout)]
    pub fn set_timeout(handler: &Function, ms: u32) -> JsValue;

    /// `clearTimeout(handle)`.
    #[wasm_bindgen(js_name = clearTimeout)]
    pub fn clear_timeout(handle: &JsValue);

    /// `fetch(url, init)`, the global of every supported runtime. Calling it directly keeps
    /// the rejection value, which becomes the `cause` of network errors.
    #[wasm_bindgen(js_name = fetch)]
    pub fn fetch_with_init(url: &str, init: &js_sys::Object) -> js_sys::Promise;

    /// `JSON.parse(text)` of a JavaScript string, which is not copied into WebAssembly memory.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub fn json_parse(text: &JsValue) -> Result<JsValue, JsValue>;

    /// A promise whose callbacks are plain JavaScript functions.
    #[wasm_bindgen(js_name = Promise)]
    pub type PlainPromise;

    /// `Promise.resolve(value)`.
    #[wasm_bindgen(static_method_of = PlainPromise, js_class = Promise)]
    pub fn resolve(value: &JsValue) -> PlainPromise;

    /// `promise.then(onFulfilled)`.
    #[wasm_bindgen(method)]
    pub fn then(this: &PlainPromise, on_fulfilled: &Function) -> PlainPromise;

    /// `promise.catch(onRejected)`.
    #[wasm_bindgen(method)]
    pub fn catch(this: &PlainPromise, on_rejected: &Function) -> PlainPromise;
}
