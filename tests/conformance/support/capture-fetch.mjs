// Wraps the global fetch so every raw response body that reaches the official SDK is recorded
// and validated against the OpenAPI document before the SDK decodes it (the SDK turns timestamp
// strings into Date objects in place, so its return values cannot be validated).
import { validateResponse } from "./openapi.mjs";

/**
 * One recorded request and response: `body` is the parsed JSON (undefined when the body is not
 * JSON) and `problems` lists every schema mismatch, empty when the body is valid.
 */
function recordExchange(method, url, response, text) {
  const exchange = {
    method,
    path: url.pathname,
    query: url.searchParams,
    status: response.status,
    headers: response.headers,
    text,
    body: undefined,
    problems: [],
  };
  try {
    exchange.body = JSON.parse(text);
  } catch (error) {
    exchange.problems.push(
      `${method} ${url.pathname} ${response.status}: body is not JSON (${error.message}): ${text}`,
    );
    return exchange;
  }
  exchange.problems.push(
    ...validateResponse(method, url.pathname, response.status, exchange.body),
  );
  return exchange;
}

/**
 * Replaces `globalThis.fetch` with a recording wrapper. Only requests to `baseUrl` are recorded.
 * Returns the list of exchanges and `restore()`, which puts the original fetch back.
 */
export function captureFetch(baseUrl) {
  const original = globalThis.fetch;
  const exchanges = [];

  globalThis.fetch = async (input, init = {}) => {
    const response = await original(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (!url.href.startsWith(baseUrl)) {
      return response;
    }
    const method = (init.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    const text = await response.clone().text();
    exchanges.push(recordExchange(method, url, response, text));
    return response;
  };

  return {
    exchanges,
    restore() {
      globalThis.fetch = original;
    },
  };
}
