//! The claims of user and call tokens, equal to those `@stream-io/node-sdk` 0.7.64 signs.
//!
//! That SDK fills in defaults and hands the payload to `jsonwebtoken`, which keeps the
//! payload's key order, appends claims that were missing, and drops an `iat` of 0 (a falsy
//! `iat` turns its timestamp off). The functions here reproduce that order so that the
//! tokens are equal byte for byte, and they reject inputs the official SDK would sign into a
//! useless token.

use serde_json::{Map, Value};

use super::checks::{
    call_cids, check_expiry_in_future, number, role, unix_seconds, user_id, validity_seconds,
    DEFAULT_VALIDITY_SECS,
};
use crate::args::describe;
use crate::error::StreamError;

/// Returns the default `iat`: one second before now, to allow for clock skew between this
/// runtime and Stream's servers. This is `Math.floor((Date.now() - 1000) / 1000)`.
pub fn default_iat(now_ms: i64) -> i64 {
    (now_ms - 1000).div_euclid(1000)
}

/// Returns the default `exp` of the deprecated token methods: one hour from now, rounded as
/// `Math.round(Date.now() / 1000) + 3600` rounds it.
pub fn default_legacy_exp(now_ms: i64) -> i64 {
    (now_ms + 500).div_euclid(1000) + 3600
}

fn present(value: Option<&Value>) -> Option<&Value> {
    value.filter(|v| !v.is_null())
}

fn payload_object<'a>(
    operation: &'static str,
    payload: Option<&'a Value>,
) -> Result<&'a Map<String, Value>, StreamError> {
    match payload {
        Some(Value::Object(map)) => Ok(map),
        other => Err(StreamError::invalid_argument(
            operation,
            "payload",
            format!("must be an object with user_id, got {}", describe(other)),
        )),
    }
}

/// Builds the claims of `generateUserToken(payload)`.
///
/// `iat` defaults to one second before now and `exp` to `iat + validity_in_seconds`
/// (default 3600). Every property of the payload, `validity_in_seconds` included, stays in
/// the claims, as in the official SDK.
pub fn user_token_claims(
    operation: &'static str,
    payload: Option<&Value>,
    now_ms: i64,
) -> Result<Map<String, Value>, StreamError> {
    let payload = payload_object(operation, payload)?;
    user_id(operation, payload.get("user_id"))?;
    let now_secs = now_ms.div_euclid(1000);

    let validity = match present(payload.get("validity_in_seconds")) {
        Some(value) => validity_seconds(operation, value)?,
        None => DEFAULT_VALIDITY_SECS,
    };
    let given_iat = present(payload.get("iat"));
    let iat = match given_iat {
        Some(value) => unix_seconds(operation, "iat", value)?,
        None => default_iat(now_ms) as f64,
    };
    let given_exp = present(payload.get("exp"));
    let exp = match given_exp {
        Some(value) => {
            let exp = unix_seconds(operation, "exp", value)?;
            check_expiry_in_future(operation, exp, now_secs, None)?;
            exp
        }
        None => {
            let exp = iat + validity;
            check_expiry_in_future(operation, exp, now_secs, Some((iat, validity)))?;
            exp
        }
    };

    // Inserting over a `null` keeps its position, like a JavaScript assignment.
    let mut claims = payload.clone();
    if given_iat.is_none() {
        claims.insert(String::from("iat"), number(iat));
    }
    if given_exp.is_none() {
        claims.insert(String::from("exp"), number(exp));
    }
    if iat == 0.0 {
        claims.shift_remove("iat");
    }
    Ok(claims)
}

/// Builds the claims of `generateCallToken(payload)`: a user token whose payload also has a
/// non-empty `call_cids` and, optionally, a `role`.
pub fn call_token_claims(
    operation: &'static str,
    payload: Option<&Value>,
    now_ms: i64,
) -> Result<Map<String, Value>, StreamError> {
    let object = payload_object(operation, payload)?;
    user_id(operation, object.get("user_id"))?;
    call_cids(operation, object.get("call_cids"))?;
    role(operation, object.get("role"))?;
    user_token_claims(operation, payload, now_ms)
}

/// Reads the `exp` and `iat` arguments of the deprecated token methods, with their defaults.
fn legacy_times(
    operation: &'static str,
    exp: Option<&Value>,
    iat: Option<&Value>,
    now_ms: i64,
) -> Result<(Value, Value), StreamError> {
    let exp = match present(exp) {
        Some(value) => {
            unix_seconds(operation, "exp", value)?;
            value.clone()
        }
        None => Value::from(default_legacy_exp(now_ms)),
    };
    let exp_secs = exp.as_f64().unwrap_or(0.0);
    check_expiry_in_future(operation, exp_secs, now_ms.div_euclid(1000), None)?;

    let iat = match present(iat) {
        Some(value) => {
            unix_seconds(operation, "iat", value)?;
            value.clone()
        }
        None => Value::from(default_iat(now_ms)),
    };
    Ok((exp, iat))
}

fn is_zero(value: &Value) -> bool {
    value.as_f64() == Some(0.0)
}

/// Builds the claims of the deprecated `createToken(userId, exp, iat)`: `user_id`, `exp`
/// (default one hour from now) and `iat` (default one second before now).
pub fn create_token_claims(
    user: Option<&Value>,
    exp: Option<&Value>,
    iat: Option<&Value>,
    now_ms: i64,
) -> Result<Map<String, Value>, StreamError> {
    const OPERATION: &str = "createToken";
    let id = user_id(OPERATION, user)?;
    let (exp, iat) = legacy_times(OPERATION, exp, iat, now_ms)?;

    let mut claims = Map::new();
    claims.insert(String::from("user_id"), Value::from(id));
    claims.insert(String::from("exp"), exp);
    if !is_zero(&iat) {
        claims.insert(String::from("iat"), iat);
    }
    Ok(claims)
}

/// Builds the claims of the deprecated `createCallToken(userIdOrObject, call_cids, exp, iat)`,
/// where `userIdOrObject` is a user ID or `{ user_id, role }`. A non-empty `role` becomes a
/// claim.
pub fn create_call_token_claims(
    user: Option<&Value>,
    cids: Option<&Value>,
    exp: Option<&Value>,
    iat: Option<&Value>,
    now_ms: i64,
) -> Result<Map<String, Value>, StreamError> {
    const OPERATION: &str = "createCallToken";
    let (id, call_role) = match user {
        Some(Value::Object(object)) => (
            user_id(OPERATION, object.get("user_id"))?,
            role(OPERATION, object.get("role"))?,
        ),
        Some(Value::String(_)) | None | Some(Value::Null) => (user_id(OPERATION, user)?, None),
        other => {
            return Err(StreamError::invalid_argument(
                OPERATION,
                "userIdOrObject",
                format!(
                    "must be a user ID or {{ user_id, role }}, got {}",
                    describe(other)
                ),
            ))
        }
    };
    let cids = call_cids(OPERATION, cids)?;
    let (exp, iat) = legacy_times(OPERATION, exp, iat, now_ms)?;

    let mut claims = Map::new();
    claims.insert(String::from("exp"), exp);
    if !is_zero(&iat) {
        claims.insert(String::from("iat"), iat);
    }
    claims.insert(String::from("call_cids"), Value::Array(cids.clone()));
    claims.insert(String::from("user_id"), Value::from(id));
    if let Some(call_role) = call_role.filter(|r| !r.is_empty()) {
        claims.insert(String::from("role"), Value::from(call_role));
    }
    Ok(claims)
}

#[cfg(test)]
#[path = "claims_tests.rs"]
mod tests;
