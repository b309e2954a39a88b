//! Authentication as Stream does it: the `api_key` query parameter, the header
//! `stream-auth-type: jwt` and an HS256 JWT in `Authorization`, signed with the app secret.
//!
//! A server token (`{"server": true}`) may call every endpoint. A user token
//! (`{"user_id": "..."}`) may only read, and only while its user exists, is active and has
//! not revoked tokens issued before the token's `iat`.

use axum::http::HeaderMap;
use serde_json::{Map, Value};
use stream_edge::jwt::{numeric_claim, Hs256Key, JwtError, TimeError};

use crate::clock::now_secs;
use crate::db::{users, Db};
use crate::error::{code, ApiError, ApiResult};
use crate::input::QueryParams;
use crate::validate::{describe, user_id_problem};

/// Seconds a token's `iat` or `nbf` may lie in the future, for clocks that drift apart.
pub const CLOCK_SKEW_SECS: i64 = 5;

/// The access a request needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Reading users, which user tokens may do.
    Read,
    /// Changing data or server-only reads, which need a server token.
    Server,
}

/// The sender of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// A holder of a server token.
    Server,
    /// A user, by ID.
    User(String),
}

/// Checks the API key, the auth type and the token of a request.
pub struct Authenticator {
    api_key: String,
    key: Hs256Key,
}

impl Authenticator {
    /// Creates an authenticator for one app.
    pub fn new(api_key: &str, key: Hs256Key) -> Self {
        Self {
            api_key: api_key.to_owned(),
            key,
        }
    }

    /// Returns whether `text` is the app secret, which error messages must not repeat. Equal
    /// secrets give equal HMACs of any message, so the secret itself need not be kept.
    fn is_secret(&self, text: &str) -> bool {
        const PROBE: &[u8] = b"stream-sandbox secret probe";
        Hs256Key::new(text.as_bytes()).is_ok_and(|key| key.mac_of(PROBE) == self.key.mac_of(PROBE))
    }

    /// Signs a user token `{"user_id": ...}` with the app secret, as guest creation returns.
    pub fn user_token(&self, user_id: &str) -> String {
        let mut claims = Map::new();
        claims.insert(String::from("user_id"), Value::String(user_id.to_owned()));
        self.key.sign(&claims)
    }

    /// Signs a server token `{"server": true}`, for the curl example printed at start-up.
    pub fn server_token(&self) -> String {
        let mut claims = Map::new();
        claims.insert(String::from("server"), Value::Bool(true));
        self.key.sign(&claims)
    }

    /// Authenticates a request to `operation` and checks that the caller may make it.
    pub async fn authorize(
        &self,
        db: &Db,
        operation: &'static str,
        access: Access,
        headers: &HeaderMap,
        query: &QueryParams,
    ) -> ApiResult<Caller> {
        match query.get("api_key") {
            None | Some("") => {
                return Err(ApiError::unauthorized(
                    code::API_KEY,
                    operation,
                    "api_key is missing: add the api_key query parameter",
                ))
            }
            Some(given) if self.is_secret(given) => {
                return Err(ApiError::unauthorized(
                    code::API_KEY,
                    operation,
                    "api_key is the API secret: send the API key, and keep the secret private",
                ))
            }
            Some(given) if given != self.api_key => {
                return Err(ApiError::unauthorized(
                    code::API_KEY,
                    operation,
                    format!(
                        "api_key {} is not valid for this app",
                        describe(&Value::String(given.to_owned()))
                    ),
                ))
            }
            Some(_) => {}
        }

        let auth_type = header_text(headers, "stream-auth-type");
        if !auth_type
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case("jwt"))
        {
            let problem = match auth_type {
                None => String::from("the stream-auth-type header is missing: send jwt"),
                Some(other) => format!(
                    "stream-auth-type {} is not supported: send jwt",
                    describe(&Value::String(other))
                ),
            };
            return Err(ApiError::unauthorized(
                code::AUTHENTICATION,
                operation,
                problem,
            ));
        }

        let token = header_text(headers, "authorization").ok_or_else(|| {
            ApiError::unauthorized(
                code::AUTHENTICATION,
                operation,
                "the Authorization header is missing or not text: send a JWT",
            )
        })?;
        let claims = self.verify(operation, &token)?;
        let caller = caller_of(operation, &claims)?;

        match (&caller, access) {
            (Caller::Server, _) => Ok(caller),
            (Caller::User(user_id), Access::Read) => {
                check_user_may_read(db, operation, user_id, &claims).await?;
                Ok(caller)
            }
            (Caller::User(user_id), Access::Server) => Err(ApiError::not_allowed(
                operation,
                format!(
                    "user {user_id:?} is not allowed to perform {operation}: it needs a \
                     server-side token"
                ),
            )),
        }
    }

    /// Verifies the signature and the time claims and returns the claims.
    fn verify(&self, operation: &str, token: &str) -> ApiResult<Map<String, Value>> {
        let verified = self.key.verify(token).map_err(|error| {
            let (error_code, problem) = match error {
                JwtError::InvalidSignature => (
                    code::TOKEN_SIGNATURE,
                    String::from("token signature is invalid"),
                ),
                JwtError::UnsupportedAlgorithm(alg) => (
                    code::TOKEN_SIGNATURE,
                    format!("token algorithm {alg:?} is not allowed: sign tokens with HS256"),
                ),
                other => (
                    code::AUTHENTICATION,
                    format!("token is not a valid JWT: {other}"),
                ),
            };
            ApiError::unauthorized(error_code, operation, format!("JWTAuth error: {problem}"))
        })?;

        let claims = verified.claims;
        let now = now_secs();
        let time_error = |error: TimeError| {
            ApiError::unauthorized(
                code::AUTHENTICATION,
                operation,
                format!("JWTAuth error: {error}"),
            )
        };
        if let Some(exp) = numeric_claim(&claims, "exp").map_err(time_error)? {
            if exp <= now {
                return Err(ApiError::unauthorized(
                    code::TOKEN_EXPIRED,
                    operation,
                    format!("JWTAuth error: token is expired (exp {exp}, now {now})"),
                ));
            }
        }
        if let Some(iat) = numeric_claim(&claims, "iat").map_err(time_error)? {
            if iat > now.saturating_add(CLOCK_SKEW_SECS) {
                return Err(ApiError::unauthorized(
                    code::TOKEN_BEFORE_ISSUED_AT,
                    operation,
                    format!("JWTAuth error: token used before issued at (iat {iat}, now {now})"),
                ));
            }
        }
        if let Some(nbf) = numeric_claim(&claims, "nbf").map_err(time_error)? {
            if nbf > now.saturating_add(CLOCK_SKEW_SECS) {
                return Err(ApiError::unauthorized(
                    code::TOKEN_NOT_VALID_YET,
                    operation,
                    format!("JWTAuth error: token is not valid yet (nbf {nbf}, now {now})"),
                ));
            }
        }
        Ok(claims)
    }
}

/// Returns a header's value when it is present and visible ASCII or UTF-8 text.
pub fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    let value = headers.get(name)?;
    let text = std::str::from_utf8(value.as_bytes()).ok()?.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// Reads who the token speaks for: `server: true`, or a string `user_id`.
fn caller_of(operation: &str, claims: &Map<String, Value>) -> ApiResult<Caller> {
    if claims.get("server") == Some(&Value::Bool(true)) {
        return Ok(Caller::Server);
    }
    let reject = |problem: String| {
        ApiError::unauthorized(
            code::AUTHENTICATION,
            operation,
            format!("JWTAuth error: {problem}"),
        )
    };
    match claims.get("user_id") {
        Some(Value::String(user_id)) => match user_id_problem(user_id) {
            None => Ok(Caller::User(user_id.clone())),
            Some(problem) => Err(reject(format!("the user_id claim is invalid: {problem}"))),
        },
        None | Some(Value::Null) => Err(reject(String::from(
            "the token has neither \"server\": true nor a user_id claim",
        ))),
        Some(other) => Err(reject(format!(
            "the user_id claim must be a string, got {}",
            describe(other)
        ))),
    }
}

/// Checks that a user token's user exists, is active and has not revoked the token.
async fn check_user_may_read(
    db: &Db,
    operation: &'static str,
    user_id: &str,
    claims: &Map<String, Value>,
) -> ApiResult<()> {
    let id = user_id.to_owned();
    let user = db
        .transaction(move |transaction| users::get(transaction, &id))
        .await?;
    let reject =
        |error_code: i32, problem: String| ApiError::unauthorized(error_code, operation, problem);
    let Some(user) = user else {
        return Err(reject(
            code::AUTHENTICATION,
            format!("user {user_id:?} does not exist"),
        ));
    };
    if user.is_deleted() {
        return Err(reject(
            code::AUTHENTICATION,
            format!("user {user_id:?} was deleted"),
        ));
    }
    if user.deactivated_at.is_some() {
        return Err(reject(
            code::AUTHENTICATION,
            format!("user {user_id:?} is deactivated"),
        ));
    }
    if let Some(revoked_before) = user.revoke_tokens_issued_before {
        // A token without `iat` cannot prove it was issued after the revocation.
        let issued_at = numeric_claim(claims, "iat").ok().flatten();
        let issued_nanos = issued_at.map(|secs| i128::from(secs) * 1_000_000_000);
        if issued_nanos.is_none_or(|issued| issued < i128::from(revoked_before)) {
            return Err(reject(
                code::TOKEN_EXPIRED,
                String::from("This token has been revoked, please generate a new token"),
            ));
        }
    }
    Ok(())
}
