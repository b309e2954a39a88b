//! HS256 JSON Web Tokens (RFC 7519) signed and verified with HMAC-SHA256.
//!
//! Stream's server API accepts only HS256 tokens signed with the app secret, so this module
//! implements exactly that algorithm and rejects every other `alg`, `none` included.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::{Map, Value};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The base64url form of `{"alg":"HS256","typ":"JWT"}`, the header of every token we sign.
pub const HS256_HEADER_B64: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

/// Errors from decoding or verifying a token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JwtError {
    /// The secret is empty, so no token could be trusted.
    #[error("the API secret is empty")]
    EmptySecret,
    /// The token is not three base64url parts holding a JSON header and a JSON object payload.
    #[error("malformed token: {0}")]
    Malformed(&'static str),
    /// The header names an algorithm other than HS256.
    #[error("unsupported token algorithm {0:?}: only HS256 is accepted")]
    UnsupportedAlgorithm(String),
    /// The signature does not match the header and payload under this secret.
    #[error("invalid token signature")]
    InvalidSignature,
}

/// A header and claims whose signature has been checked.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedToken {
    /// The decoded JOSE header.
    pub header: Map<String, Value>,
    /// The decoded claims.
    pub claims: Map<String, Value>,
}

/// An HS256 signing key with the HMAC state for the secret computed once.
///
/// Keying HMAC-SHA256 hashes the padded secret into an inner and an outer state. Cloning the
/// keyed state per token skips that work, so each token costs only the blocks of its own
/// header and payload.
#[derive(Clone)]
pub struct Hs256Key {
    mac: HmacSha256,
}

impl std::fmt::Debug for Hs256Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Hs256Key(<redacted>)")
    }
}

impl Hs256Key {
    /// Creates a key from the app secret; an empty secret is rejected.
    pub fn new(secret: &[u8]) -> Result<Self, JwtError> {
        if secret.is_empty() {
            return Err(JwtError::EmptySecret);
        }
        let mac = HmacSha256::new_from_slice(secret).map_err(|_| JwtError::EmptySecret)?;
        Ok(Self { mac })
    }

    /// Signs a JSON object given as text and returns the compact token.
    ///
    /// The caller guarantees that `claims_json` is a serialized JSON object.
    pub fn sign_json(&self, claims_json: &str) -> String {
        self.sign_json_bytes(claims_json.as_bytes())
    }

    /// Signs a JSON object given as UTF-8 bytes and returns the compact token.
    ///
    /// The caller guarantees that `claims_json` is a serialized JSON object.
    pub fn sign_json_bytes(&self, claims_json: &[u8]) -> String {
        let mut token =
            String::with_capacity(HS256_HEADER_B64.len() + 2 + claims_json.len() * 4 / 3 + 4 + 43);
        token.push_str(HS256_HEADER_B64);
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(claims_json, &mut token);

        let signature = self.mac_of(token.as_bytes());
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(signature, &mut token);
        token
    }

    /// Signs a claims object and returns the compact token.
    pub fn sign(&self, claims: &Map<String, Value>) -> String {
        // Serializing a map of `Value`s cannot fail: every key is a string.
        let json = serde_json::to_string(claims).unwrap_or_else(|_| String::from("{}"));
        self.sign_json(&json)
    }

    /// Returns the HMAC-SHA256 of `message` under this key.
    pub fn mac_of(&self, message: &[u8]) -> [u8; 32] {
        let mut mac = self.mac.clone();
        mac.update(message);
        mac.finalize().into_bytes().into()
    }

    /// Checks `expected` against the HMAC of `message` in constant time.
    pub fn verify_mac(&self, message: &[u8], expected: &[u8]) -> bool {
        let mut mac = self.mac.clone();
        mac.update(message);
        mac.verify_slice(expected).is_ok()
    }

    /// Verifies an HS256 token's signature and decodes its header and claims.
    ///
    /// Only the signature and the algorithm are checked here. Time claims are left to
    /// [`check_times`], because the server and the SDK apply different clock-skew rules.
    pub fn verify(&self, token: &str) -> Result<VerifiedToken, JwtError> {
        let (signed_part, signature_b64) = token
            .rsplit_once('.')
            .ok_or(JwtError::Malformed("expected three parts"))?;
        let (header_b64, payload_b64) = signed_part
            .split_once('.')
            .ok_or(JwtError::Malformed("expected three parts"))?;
        if payload_b64.contains('.') {
            return Err(JwtError::Malformed("expected three parts"));
        }

        let header = decode_object(header_b64, "header")?;
        match header.get("alg") {
            Some(Value::String(alg)) if alg == "HS256" => {}
            Some(Value::String(alg)) => return Err(JwtError::UnsupportedAlgorithm(alg.clone())),
            _ => return Err(JwtError::Malformed("header has no string \"alg\"")),
        }

        let signature = URL_SAFE_NO_PAD
            .decode(signature_b64)
            .map_err(|_| JwtError::Malformed("signature is not base64url"))?;
        if !self.verify_mac(signed_part.as_bytes(), &signature) {
            return Err(JwtError::InvalidSignature);
        }

        let claims = decode_object(payload_b64, "payload")?;
        Ok(VerifiedToken { header, claims })
    }
}

/// Decodes a token's parts without checking the signature, for display and diagnostics only.
pub fn decode_unverified(token: &str) -> Result<VerifiedToken, JwtError> {
    let mut parts = token.split('.');
    let (Some(header_b64), Some(payload_b64), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Malformed("expected three parts"));
    };
    Ok(VerifiedToken {
        header: decode_object(header_b64, "header")?,
        claims: decode_object(payload_b64, "payload")?,
    })
}

fn decode_object(part_b64: &str, which: &'static str) -> Result<Map<String, Value>, JwtError> {
    let bytes = URL_SAFE_NO_PAD.decode(part_b64).map_err(|_| {
        JwtError::Malformed(if which == "header" {
            "header is not base64url"
        } else {
            "payload is not base64url"
        })
    })?;
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        _ if which == "header" => Err(JwtError::Malformed("header is not a JSON object")),
        _ => Err(JwtError::Malformed("payload is not a JSON object")),
    }
}

/// A reason that a token's time claims make it unusable at a given moment.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TimeError {
    /// `exp` is at or before now.
    #[error("token expired at {exp} (now {now})")]
    Expired {
        /// The token's `exp`, in Unix seconds.
        exp: i64,
        /// The time of the check, in Unix seconds.
        now: i64,
    },
    /// `iat` is later than now plus the allowed clock skew.
    #[error("token issued in the future at {iat} (now {now})")]
    IssuedInFuture {
        /// The token's `iat`, in Unix seconds.
        iat: i64,
        /// The time of the check, in Unix seconds.
        now: i64,
    },
    /// `exp` or `iat` is present but is not a number of seconds.
    #[error("claim {0:?} is not a number")]
    NotANumber(&'static str),
    /// `nbf` (not before) is later than now plus the allowed clock skew.
    #[error("token not valid before {nbf} (now {now})")]
    NotYetValid {
        /// The token's `nbf`, in Unix seconds.
        nbf: i64,
        /// The time of the check, in Unix seconds.
        now: i64,
    },
}

/// Checks `exp` and `iat` against `now` (Unix seconds), allowing `leeway_secs` of clock skew.
///
/// Missing claims pass: Stream's server tokens carry neither.
pub fn check_times(
    claims: &Map<String, Value>,
    now: i64,
    leeway_secs: i64,
) -> Result<(), TimeError> {
    if let Some(exp) = numeric_claim(claims, "exp")? {
        // Claims beyond the i64 range read as i64::MAX, so the sum must saturate too.
        if exp.saturating_add(leeway_secs) <= now {
            return Err(TimeError::Expired { exp, now });
        }
    }
    if let Some(iat) = numeric_claim(claims, "iat")? {
        if iat > now.saturating_add(leeway_secs) {
            return Err(TimeError::IssuedInFuture { iat, now });
        }
    }
    Ok(())
}

/// Reads a numeric claim as whole seconds, truncating fractions as JWT libraries do.
pub fn numeric_claim(
    claims: &Map<String, Value>,
    name: &'static str,
) -> Result<Option<i64>, TimeError> {
    match claims.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Ok(Some(i)),
            (None, Some(f)) if f.is_finite() => Ok(Some(f.trunc() as i64)),
            _ => Err(TimeError::NotANumber(name)),
        },
        Some(_) => Err(TimeError::NotANumber(name)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    // The example token shown on jwt.io: HS256 with the secret "your-256-bit-secret".
    const JWT_IO_TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.\
        eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.\
        SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

    #[test]
    fn sign_matches_jwt_io_vector() {
        let key = Hs256Key::new(b"your-256-bit-secret").unwrap();
        let token = key.sign_json(r#"{"sub":"1234567890","name":"John Doe","iat":1516239022}"#);
        assert_eq!(token, JWT_IO_TOKEN);
    }

    #[test]
    fn verify_accepts_jwt_io_vector() {
        let key = Hs256Key::new(b"your-256-bit-secret").unwrap();
        let verified = key.verify(JWT_IO_TOKEN).unwrap();
        assert_eq!(verified.claims["name"], json!("John Doe"));
        assert_eq!(verified.header["alg"], json!("HS256"));
    }

    #[test]
    fn verify_rejects_wrong_secret() {
        let key = Hs256Key::new(b"another-secret").unwrap();
        assert_eq!(key.verify(JWT_IO_TOKEN), Err(JwtError::InvalidSignature));
    }

    #[test]
    fn verify_rejects_tampered_payload() {
        let key = Hs256Key::new(b"your-256-bit-secret").unwrap();
        let other =
            URL_SAFE_NO_PAD.encode(br#"{"sub":"1234567890","name":"Eve","iat":1516239022}"#);
        let mut parts: Vec<&str> = JWT_IO_TOKEN.split('.').collect();
        parts[1] = &other;
        assert_eq!(
            key.verify(&parts.join(".")),
            Err(JwtError::InvalidSignature)
        );
    }

    #[test]
    fn verify_rejects_alg_none() {
        let key = Hs256Key::new(b"s").unwrap();
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(br#"{"server":true}"#);
        let token = format!("{header}.{payload}.");
        assert_eq!(
            key.verify(&token),
            Err(JwtError::UnsupportedAlgorithm("none".into()))
        );
    }

    #[test]
    fn verify_rejects_wrong_part_count() {
        let key = Hs256Key::new(b"s").unwrap();
        for token in ["", "a", "a.b", "a.b.c.d"] {
            assert!(
                matches!(key.verify(token), Err(JwtError::Malformed(_))),
                "{token:?}"
            );
        }
    }

    #[test]
    fn empty_secret_rejected() {
        assert_eq!(Hs256Key::new(b"").unwrap_err(), JwtError::EmptySecret);
    }

    #[test]
    fn debug_hides_secret() {
        let key = Hs256Key::new(b"top-secret-value").unwrap();
        assert!(!format!("{key:?}").contains("top-secret"));
    }

    #[test]
    fn check_times_saturates_huge_claims() {
        let claims = json!({"exp": 1.7e23, "iat": -1.7e23});
        let claims = claims.as_object().unwrap();

        assert_eq!(check_times(claims, 100, 60), Ok(()));
        assert_eq!(numeric_claim(claims, "exp"), Ok(Some(i64::MAX)));
    }

    #[test]
    fn check_times_cases() {
        let claims = |v: Value| v.as_object().unwrap().clone();
        assert_eq!(check_times(&claims(json!({})), 100, 0), Ok(()));
        assert_eq!(
            check_times(&claims(json!({"exp": 101, "iat": 99})), 100, 0),
            Ok(())
        );
        assert_eq!(
            check_times(&claims(json!({"exp": 100})), 100, 0),
            Err(TimeError::Expired { exp: 100, now: 100 })
        );
        assert_eq!(
            check_times(&claims(json!({"iat": 106})), 100, 5),
            Err(TimeError::IssuedInFuture { iat: 106, now: 100 })
        );
        assert_eq!(check_times(&claims(json!({"iat": 105})), 100, 5), Ok(()));
        assert_eq!(
            check_times(&claims(json!({"exp": "soon"})), 100, 0),
            Err(TimeError::NotANumber("exp"))
        );
    }
}
