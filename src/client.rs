//! Client settings and the final form of each request: URL, method, headers and body.

use serde_json::Value;

use crate::args::{describe, Fields};
use crate::error::StreamError;
use crate::requests::ApiRequest;
use crate::retry::{RetryPolicy, DEFAULT_BASE_DELAY_MS, DEFAULT_MAX_RETRIES, MAX_RETRIES_LIMIT};
use crate::tasks::milliseconds;
use crate::tokens::TokenSigner;

/// Base URL used when the options give no `basePath`, as in `@stream-io/node-sdk`.
pub const DEFAULT_BASE_PATH: &str = "https://video.stream-io-api.com";
/// Request timeout used when the options give no `timeout`, in milliseconds.
pub const DEFAULT_TIMEOUT_MS: u32 = 3000;
/// Value of the `X-Stream-Client` header.
pub const CLIENT_HEADER: &str = concat!("stream-edge-", env!("CARGO_PKG_VERSION"));

/// The name under which constructor errors are reported.
const CONSTRUCTOR: &str = "StreamClient";

/// The constructor options `{ basePath, timeout, maxRetries, retryBaseDelayMs }`; the
/// JavaScript `logger` option stays in the `wasm` layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientOptions {
    /// Base URL of the API, without a trailing slash.
    pub base_path: String,
    /// Maximum time for one call, retries and the waits between them included, in
    /// milliseconds.
    pub timeout_ms: u32,
    /// When and how often failed requests are sent again.
    pub retry: RetryPolicy,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            base_path: String::from(DEFAULT_BASE_PATH),
            timeout_ms: DEFAULT_TIMEOUT_MS,
            retry: RetryPolicy::default(),
        }
    }
}

impl ClientOptions {
    /// Reads the options object; `None` or `null` gives the defaults.
    ///
    /// `basePath` must be an `http://` or `https://` URL; one trailing slash is removed.
    /// `timeout` must be a positive number of milliseconds, `maxRetries` a whole number from 0
    /// to [`MAX_RETRIES_LIMIT`] and `retryBaseDelayMs` a non-negative number of milliseconds.
    pub fn from_json(options: Option<&Value>) -> Result<Self, StreamError> {
        let Some(options) = options.filter(|o| !o.is_null()) else {
            return Ok(Self::default());
        };
        let fields = Fields::of(
            CONSTRUCTOR,
            "options",
            Some(options),
            "{ basePath, timeout, maxRetries, retryBaseDelayMs }",
        )?;

        let base_path = match fields.optional_string("basePath")? {
            None => String::from(DEFAULT_BASE_PATH),
            Some(url) => base_path(url)?,
        };
        let timeout_ms = milliseconds(
            CONSTRUCTOR,
            "options.timeout",
            fields.get("timeout"),
            DEFAULT_TIMEOUT_MS,
            1.0,
        )?;
        let max_retries = max_retries(fields.get("maxRetries"))?;
        let base_delay_ms = milliseconds(
            CONSTRUCTOR,
            "options.retryBaseDelayMs",
            fields.get("retryBaseDelayMs"),
            DEFAULT_BASE_DELAY_MS,
            0.0,
        )?;
        Ok(Self {
            base_path,
            timeout_ms,
            retry: RetryPolicy {
                max_retries,
                base_delay_ms,
            },
        })
    }
}

/// Reads `maxRetries`: a whole number from 0 to [`MAX_RETRIES_LIMIT`].
fn max_retries(value: Option<&Value>) -> Result<u32, StreamError> {
    let Some(value) = value else {
        return Ok(DEFAULT_MAX_RETRIES);
    };
    match value.as_u64() {
        Some(count) if count <= u64::from(MAX_RETRIES_LIMIT) => Ok(count as u32),
        _ => Err(StreamError::invalid_argument(
            CONSTRUCTOR,
            "options.maxRetries",
            format!(
                "must be a whole number from 0 to {MAX_RETRIES_LIMIT}, got {}",
                describe(Some(value))
            ),
        )),
    }
}

/// Checks a `basePath` and removes one trailing slash.
///
/// A URL with a user name or password is rejected without quoting it, since `fetch` refuses
/// such URLs and the message must not show the password.
fn base_path(url: &str) -> Result<String, StreamError> {
    let invalid =
        |problem: String| StreamError::invalid_argument(CONSTRUCTOR, "options.basePath", problem);
    let Some((_, rest)) = url.split_once("://") else {
        return Err(invalid(format!(
            "must be an http:// or https:// URL, got {}",
            quoted(url)
        )));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err(invalid(String::from(
            "must not contain a user name or password; Stream authenticates with the API key \
             and secret",
        )));
    }
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(invalid(format!(
            "must be an http:// or https:// URL, got {}",
            quoted(url)
        )));
    }
    Ok(url.strip_suffix('/').unwrap_or(url).to_owned())
}

fn quoted(url: &str) -> String {
    if url.contains('@') {
        String::from("a URL with credentials")
    } else {
        describe(Some(&Value::from(url)))
    }
}

/// A request ready for `fetch`.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedRequest {
    /// Absolute URL with the query string.
    pub url: String,
    /// HTTP method.
    pub method: &'static str,
    /// Request headers.
    pub headers: Vec<(&'static str, String)>,
    /// JSON body, if any.
    pub body: Option<String>,
}

/// An API key, a secret and options: everything needed to sign and address requests.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    api_key: String,
    options: ClientOptions,
    signer: TokenSigner,
    server_token: Option<String>,
}

impl ClientConfig {
    /// Creates the configuration and signs the server token once.
    ///
    /// An empty API key or secret is accepted here and reported by the first operation
    /// that needs it.
    pub fn new(api_key: &str, secret: &str, options: ClientOptions) -> Self {
        let signer = TokenSigner::new(secret);
        let server_token = signer.server_token(CONSTRUCTOR).ok();
        Self {
            api_key: api_key.to_owned(),
            options,
            signer,
            server_token,
        }
    }

    /// Returns the token signer.
    pub fn signer(&self) -> &TokenSigner {
        &self.signer
    }

    /// Returns the options.
    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    /// Adds the base URL, `api_key` and headers to `request`.
    ///
    /// Headers: `Authorization` with the server token, `stream-auth-type: jwt`,
    /// `X-Stream-Client`, `x-client-request-id` and `Content-Type: application/json` (sent
    /// with every request, as the official SDK does).
    pub fn prepare(
        &self,
        request: &ApiRequest,
        client_request_id: &str,
    ) -> Result<PreparedRequest, StreamError> {
        let operation = request.operation.name();
        if self.api_key.is_empty() {
            return Err(StreamError::invalid_argument(
                operation,
                "apiKey",
                "is empty; pass the app's API key to the StreamClient constructor",
            ));
        }
        let token = match &self.server_token {
            Some(token) => token.clone(),
            None => self.signer.server_token(operation)?,
        };

        Ok(PreparedRequest {
            url: format!(
                "{}{}",
                self.options.base_path,
                request.path_and_query(&self.api_key)
            ),
            method: request.method.as_str(),
            headers: vec![
                ("Authorization", token),
                ("stream-auth-type", String::from("jwt")),
                ("X-Stream-Client", String::from(CLIENT_HEADER)),
                ("x-client-request-id", client_request_id.to_owned()),
                ("Content-Type", String::from("application/json")),
            ],
            body: request.body.clone(),
        })
    }
}

/// Formats 16 random bytes as a version 4 UUID (RFC 9562), the form of `crypto.randomUUID()`.
pub fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut text = String::with_capacity(36);
    for (index, byte) in bytes.iter().enumerate() {
        if matches!(index, 4 | 6 | 8 | 10) {
            text.push('-');
        }
        text.push_str(&format!("{byte:02x}"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::requests::{get_task, query_users};
    use serde_json::json;

    fn config(options: ClientOptions) -> ClientConfig {
        ClientConfig::new("key", "secret", options)
    }

    #[test]
    fn options_defaults() {
        assert_eq!(
            ClientOptions::from_json(None).unwrap(),
            ClientOptions::default()
        );
        assert_eq!(
            ClientOptions::from_json(Some(&json!({}))).unwrap(),
            ClientOptions::default()
        );
        assert_eq!(
            ClientOptions::default().base_path,
            "https://video.stream-io-api.com"
        );
        assert_eq!(ClientOptions::default().timeout_ms, 3000);
    }

    #[test]
    fn options_values() {
        let options = json!({
            "basePath": "http://127.0.0.1:8787/",
            "timeout": 250,
            "maxRetries": 0,
            "retryBaseDelayMs": 12.5
        });

        let parsed = ClientOptions::from_json(Some(&options)).unwrap();

        assert_eq!(parsed.base_path, "http://127.0.0.1:8787");
        assert_eq!(parsed.timeout_ms, 250);
        assert_eq!(parsed.retry.max_retries, 0);
        assert_eq!(parsed.retry.base_delay_ms, 13);
    }

    #[test]
    fn retry_option_defaults() {
        let parsed = ClientOptions::from_json(Some(&json!({"timeout": 100}))).unwrap();

        assert_eq!(parsed.retry.max_retries, 3);
        assert_eq!(parsed.retry.base_delay_ms, 250);
    }

    #[test]
    fn retry_option_errors() {
        let cases = [
            (
                json!({"maxRetries": -1}),
                "options.maxRetries must be a whole number from 0 to 10, got -1",
            ),
            (
                json!({"maxRetries": 1.5}),
                "options.maxRetries must be a whole number from 0 to 10, got 1.5",
            ),
            (
                json!({"maxRetries": 11}),
                "options.maxRetries must be a whole number from 0 to 10, got 11",
            ),
            (
                json!({"maxRetries": "3"}),
                "options.maxRetries must be a whole number from 0 to 10, got \"3\"",
            ),
            (
                json!({"retryBaseDelayMs": -5}),
                "options.retryBaseDelayMs must be a non-negative number of milliseconds",
            ),
        ];

        for (options, expected) in cases {
            let error = ClientOptions::from_json(Some(&options))
                .unwrap_err()
                .to_string();
            assert!(error.contains(expected), "{options}: {error}");
        }
    }

    #[test]
    fn options_errors() {
        let path = ClientOptions::from_json(Some(&json!({"basePath": "localhost:8787"})));
        let timeout = ClientOptions::from_json(Some(&json!({"timeout": 0})));
        let shape = ClientOptions::from_json(Some(&json!("fast")));

        assert_eq!(
            path.unwrap_err().to_string(),
            "StreamClient: options.basePath must be an http:// or https:// URL, got \"localhost:8787\""
        );
        assert!(timeout
            .unwrap_err()
            .to_string()
            .contains("options.timeout must be a positive"));
        assert!(shape
            .unwrap_err()
            .to_string()
            .contains("options must be an object"));
    }

    #[test]
    fn options_reject_credentials_without_showing_them() {
        let options = json!({"basePath": "https://user:hunter2@example.com/"});

        let error = ClientOptions::from_json(Some(&options))
            .unwrap_err()
            .to_string();

        assert!(
            error.contains("must not contain a user name or password"),
            "{error}"
        );
        assert!(!error.contains("hunter2"), "{error}");
    }

    #[test]
    fn prepare_adds_url_and_headers() {
        let options = ClientOptions {
            base_path: String::from("http://h:1"),
            timeout_ms: 5,
            ..ClientOptions::default()
        };
        let request = get_task(Some(&json!({"id": "t"}))).unwrap();

        let prepared = config(options).prepare(&request, "rid").unwrap();

        assert_eq!(prepared.url, "http://h:1/api/v2/tasks/t?api_key=key");
        assert_eq!(prepared.method, "GET");
        assert_eq!(prepared.body, None);
        let header = |name: &str| {
            prepared
                .headers
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(
            header("Authorization"),
            Some(
                TokenSigner::new("secret")
                    .server_token("t")
                    .unwrap()
                    .as_str()
            )
        );
        assert_eq!(header("stream-auth-type"), Some("jwt"));
        assert_eq!(header("X-Stream-Client"), Some("stream-edge-0.1.0"));
        assert_eq!(header("x-client-request-id"), Some("rid"));
        assert_eq!(header("Content-Type"), Some("application/json"));
    }

    #[test]
    fn prepare_puts_payload_before_api_key() {
        let request = query_users(Some(&json!({"payload": {"filter_conditions": {}}}))).unwrap();

        let prepared = config(ClientOptions::default())
            .prepare(&request, "rid")
            .unwrap();

        assert_eq!(
            prepared.url,
            "https://video.stream-io-api.com/api/v2/users?payload=%7B%22filter_conditions%22%3A%7B%7D%7D&api_key=key"
        );
    }

    #[test]
    fn prepare_rejects_empty_credentials() {
        let request = get_task(Some(&json!({"id": "t"}))).unwrap();
        let no_secret = ClientConfig::new("key", "", ClientOptions::default());
        let no_key = ClientConfig::new("", "secret", ClientOptions::default());

        let secret_error = no_secret.prepare(&request, "rid").unwrap_err();
        let key_error = no_key.prepare(&request, "rid").unwrap_err();

        assert!(secret_error
            .to_string()
            .starts_with("getTask: secret is empty"));
        assert!(key_error
            .to_string()
            .starts_with("getTask: apiKey is empty"));
    }

    #[test]
    fn uuid_has_version_and_variant() {
        let id = uuid_v4([0xff; 16]);

        assert_eq!(id, "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(uuid_v4([0; 16]), "00000000-0000-4000-8000-000000000000");
    }
}
