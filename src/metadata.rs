//! Transport details of a request: the `metadata` of responses and errors.

use crate::rate_limit::RateLimit;

/// The HTTP status and rate-limit headers of a response.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseSummary {
    /// HTTP status code.
    pub status: u16,
    /// Values of the `X-RateLimit-*` headers.
    pub rate_limit: RateLimit,
}

/// Transport details of one request: the `metadata` of responses and errors.
///
/// Both fields are `None` for errors raised before a request was built.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Metadata {
    /// The `x-client-request-id` header sent with the request.
    pub client_request_id: Option<String>,
    /// Status and rate limit of the response, when one arrived.
    pub response: Option<ResponseSummary>,
}

impl Metadata {
    /// Creates the metadata of a request that got no response.
    pub fn request_only(client_request_id: &str) -> Self {
        Self {
            client_request_id: Some(client_request_id.to_owned()),
            response: None,
        }
    }
}
