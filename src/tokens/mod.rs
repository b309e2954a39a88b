//! User, call and server tokens signed with the app secret (HS256), and their verification.
//!
//! [`TokenSigner`] stores the keyed HMAC state of the secret and signs the claims that
//! [`claims`] builds. Verification of tokens and webhook signatures lives in
//! [`verify`].

pub mod checks;
pub mod claims;
pub mod direct;
pub mod verify;

use serde_json::{Map, Value};

use crate::error::StreamError;
use crate::jwt::Hs256Key;
use direct::DirectClaims;

/// The claims of the server token sent in the `Authorization` header of every API request.
pub const SERVER_TOKEN_CLAIMS: &str = r#"{"server":true}"#;

/// Signs and verifies tokens with one app secret.
///
/// The raw secret is not stored: only the HMAC-SHA256 state keyed with it, which the
/// [`std::fmt::Debug`] output does not show.
#[derive(Clone, Debug)]
pub struct TokenSigner {
    key: Option<Hs256Key>,
}

impl TokenSigner {
    /// Creates a signer for `secret`. An empty secret is accepted here, and every operation
    /// that needs it then fails with an error naming the empty secret.
    pub fn new(secret: &str) -> Self {
        Self {
            key: Hs256Key::new(secret.as_bytes()).ok(),
        }
    }

    /// Returns the key, or an error naming `operation` when the secret is empty.
    pub fn key(&self, operation: &'static str) -> Result<&Hs256Key, StreamError> {
        self.key.as_ref().ok_or_else(|| {
            StreamError::invalid_argument(
                operation,
                "secret",
                "is empty; pass the app's API secret to the StreamClient constructor",
            )
        })
    }

    /// Returns the server token `{"server":true}`, signed without `iat` or `exp` like the
    /// token of `@stream-io/node-sdk`, so it never expires.
    pub fn server_token(&self, operation: &'static str) -> Result<String, StreamError> {
        Ok(self.key(operation)?.sign_json(SERVER_TOKEN_CLAIMS))
    }

    fn sign(
        &self,
        operation: &'static str,
        claims: &Map<String, Value>,
    ) -> Result<String, StreamError> {
        Ok(self.key(operation)?.sign(claims))
    }

    /// Signs a user token; see [`claims::user_token_claims`].
    pub fn generate_user_token(
        &self,
        payload: Option<&Value>,
        now_ms: i64,
    ) -> Result<String, StreamError> {
        const OPERATION: &str = "generateUserToken";
        self.key(OPERATION)?;
        let claims = claims::user_token_claims(OPERATION, payload, now_ms)?;
        self.sign(OPERATION, &claims)
    }

    /// Signs a user token whose claims have one of the fixed shapes of [`DirectClaims`],
    /// without building a JSON map. Returns `None` when the general method must handle the
    /// call, which then raises the error, if any (see [`direct::write_claims`]).
    pub fn user_token_direct(
        &self,
        shape: DirectClaims,
        user_id: &str,
        now_ms: i64,
    ) -> Option<String> {
        let key = self.key.as_ref()?;
        let mut claims = Vec::with_capacity(96);
        direct::write_claims(&mut claims, shape, user_id, now_ms)?;
        Some(key.sign_json_bytes(&claims))
    }

    /// Signs a call token; see [`claims::call_token_claims`].
    pub fn generate_call_token(
        &self,
        payload: Option<&Value>,
        now_ms: i64,
    ) -> Result<String, StreamError> {
        const OPERATION: &str = "generateCallToken";
        self.key(OPERATION)?;
        let claims = claims::call_token_claims(OPERATION, payload, now_ms)?;
        self.sign(OPERATION, &claims)
    }

    /// Signs a user token the deprecated way; see [`claims::create_token_claims`].
    pub fn create_token(
        &self,
        user_id: Option<&Value>,
        exp: Option<&Value>,
        iat: Option<&Value>,
        now_ms: i64,
    ) -> Result<String, StreamError> {
        const OPERATION: &str = "createToken";
        self.key(OPERATION)?;
        let claims = claims::create_token_claims(user_id, exp, iat, now_ms)?;
        self.sign(OPERATION, &claims)
    }

    /// Signs a call token the deprecated way; see [`claims::create_call_token_claims`].
    pub fn create_call_token(
        &self,
        user: Option<&Value>,
        call_cids: Option<&Value>,
        exp: Option<&Value>,
        iat: Option<&Value>,
        now_ms: i64,
    ) -> Result<String, StreamError> {
        const OPERATION: &str = "createCallToken";
        self.key(OPERATION)?;
        let claims = claims::create_call_token_claims(user, call_cids, exp, iat, now_ms)?;
        self.sign(OPERATION, &claims)
    }
}

#[cfg(test)]
#[path = "signer_tests.rs"]
mod tests;
