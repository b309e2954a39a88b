//! Building HTTP requests to the sandbox and reading its responses.

use std::io::{Read, Write};
use std::net::TcpStream;

use serde_json::{json, Value};
use ureq::http;

use super::{Sandbox, HTTP_TIMEOUT};

/// One HTTP request being built.
pub struct Call<'a> {
    pub(super) sandbox: &'a Sandbox,
    pub(super) method: String,
    pub(super) path: String,
    pub(super) query: Vec<(String, String)>,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: Option<Vec<u8>>,
}

impl Call<'_> {
    /// Adds a query parameter.
    pub fn query(mut self, name: &str, value: &str) -> Self {
        self.query.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Removes a query parameter (for example `api_key`).
    pub fn without_query(mut self, name: &str) -> Self {
        self.query.retain(|(key, _)| key != name);
        self
    }

    /// Sets a header, replacing a default one of the same name.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let name = name.to_ascii_lowercase();
        self.headers.retain(|(key, _)| *key != name);
        self.headers.push((name, value.to_owned()));
        self
    }

    /// Removes a default header.
    pub fn without_header(mut self, name: &str) -> Self {
        let name = name.to_ascii_lowercase();
        self.headers.retain(|(key, _)| *key != name);
        self
    }

    /// Authorizes with another token.
    pub fn token(self, token: &str) -> Self {
        self.header("authorization", token)
    }

    /// Sends a JSON body.
    pub fn json(self, body: Value) -> Self {
        self.raw_body(body.to_string().into_bytes())
    }

    /// Sends raw bytes with `Content-Type: application/json`.
    pub fn raw_body(mut self, bytes: Vec<u8>) -> Self {
        if !self.headers.iter().any(|(key, _)| key == "content-type") {
            self.headers.push((
                String::from("content-type"),
                String::from("application/json"),
            ));
        }
        self.body = Some(bytes);
        self
    }

    /// Sends the request and reads the whole response.
    pub fn send(self) -> Reply {
        let mut url = format!("{}{}", self.sandbox.base_url, self.path);
        if !self.query.is_empty() {
            let query: String = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(&self.query)
                .finish();
            url.push('?');
            url.push_str(&query);
        }
        let mut builder = http::Request::builder()
            .method(self.method.as_str())
            .uri(&url);
        for (name, value) in &self.headers {
            builder = builder.header(name, value);
        }
        let request = builder
            .body(self.body.unwrap_or_default())
            .expect("valid request");
        let mut response = self.sandbox.agent.run(request).expect("HTTP exchange");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response
            .body_mut()
            .read_to_string()
            .expect("read the response body");
        Reply {
            status,
            headers,
            text,
        }
    }
}

/// A response.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: http::HeaderMap,
    pub text: String,
}

impl Reply {
    /// Parses the body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|error| panic!("body is not JSON ({error}): {}", self.text))
    }

    /// Returns a header as text.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|value| value.to_str().unwrap().to_owned())
    }

    /// Asserts Stream's error envelope with this status and code, and returns the message.
    pub fn assert_error(&self, status: u16, code: i64) -> String {
        assert_eq!(self.status, status, "status of {}", self.text);
        let body = self.json();
        assert_eq!(body["code"], json!(code), "code of {}", self.text);
        assert_eq!(
            body["StatusCode"],
            json!(status),
            "StatusCode of {}",
            self.text
        );
        for field in ["message", "duration", "more_info"] {
            assert!(body[field].is_string(), "{field} of {}", self.text);
        }
        assert!(body["details"].is_array(), "details of {}", self.text);
        assert!(
            body["exception_fields"].is_object(),
            "exception_fields of {}",
            self.text
        );
        assert!(
            body["unrecoverable"].is_boolean(),
            "unrecoverable of {}",
            self.text
        );
        body["message"].as_str().unwrap().to_owned()
    }
}

/// Sends raw bytes on a new connection and returns the status and body of the response.
/// The request should contain `Connection: close`.
pub fn raw_exchange(address: &str, request: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream.set_read_timeout(Some(HTTP_TIMEOUT)).unwrap();
    stream.write_all(request).expect("send the request");
    read_raw_response(&mut stream)
}

/// Reads one response until the server closes the connection.
pub fn read_raw_response(stream: &mut TcpStream) -> (u16, String) {
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// Reads one response from a keep-alive connection, using its `Content-Length`.
pub fn read_one_response(stream: &mut TcpStream) -> (u16, String) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        stream
            .read_exact(&mut byte)
            .expect("read the response head");
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap();
    let length: usize = head
        .lines()
        .find_map(|line| {
            line.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(str::to_owned)
        })
        .map(|value| value.trim().parse().unwrap())
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    stream
        .read_exact(&mut body)
        .expect("read the response body");
    (status, String::from_utf8_lossy(&body).into_owned())
}
