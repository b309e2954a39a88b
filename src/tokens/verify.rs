//! `verifyToken` and `verifyWebhook`: checks of tokens and webhook signatures against the
//! app secret, with constant-time comparisons.

use serde_json::{Map, Value};
use subtle::ConstantTimeEq;

use super::TokenSigner;
use crate::error::{StreamError, TokenRejection};
use crate::jwt::{numeric_claim, TimeError};

/// Clock difference allowed between a token's issuer and this runtime for `iat` and `nbf`,
/// in seconds. `exp` gets none, as in `jsonwebtoken`'s default.
pub const CLOCK_SKEW_SECS: i64 = 60;

/// Checks the time claims of a verified token at `now_secs`.
///
/// A token is expired from its `exp` second on. It may be issued (`iat`) or become valid
/// (`nbf`) up to [`CLOCK_SKEW_SECS`] in the future. Absent claims pass, since server tokens
/// carry none.
pub fn check_token_times(claims: &Map<String, Value>, now_secs: i64) -> Result<(), TimeError> {
    if let Some(exp) = numeric_claim(claims, "exp")? {
        if exp <= now_secs {
            return Err(TimeError::Expired { exp, now: now_secs });
        }
    }
    if let Some(nbf) = numeric_claim(claims, "nbf")? {
        if nbf > now_secs.saturating_add(CLOCK_SKEW_SECS) {
            return Err(TimeError::NotYetValid { nbf, now: now_secs });
        }
    }
    if let Some(iat) = numeric_claim(claims, "iat")? {
        if iat > now_secs.saturating_add(CLOCK_SKEW_SECS) {
            return Err(TimeError::IssuedInFuture { iat, now: now_secs });
        }
    }
    Ok(())
}

/// Returns the lowercase hex form of `bytes`.
fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        hex.push(char::from(DIGITS[usize::from(byte >> 4)]));
        hex.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    hex
}

impl TokenSigner {
    /// Verifies an HS256 token and returns its claims (`verifyToken`).
    ///
    /// Rejects malformed tokens and tokens with another algorithm (`none` included). It also
    /// rejects a signature that does not match under this secret, and time claims that make
    /// the token unusable at `now_ms` (see [`check_token_times`]).
    pub fn verify_token(
        &self,
        token: &str,
        now_ms: i64,
    ) -> Result<Map<String, Value>, StreamError> {
        const OPERATION: &str = "verifyToken";
        let key = self.key(OPERATION)?;
        // An `Authorization` header copied as is; the token itself is not quoted.
        if token
            .get(..7)
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case("bearer "))
        {
            return Err(StreamError::invalid_argument(
                OPERATION,
                "token",
                "starts with \"Bearer \"; strip that prefix of the Authorization header and \
                 pass the token alone",
            ));
        }
        let reject = |reason: TokenRejection| StreamError::InvalidToken {
            operation: OPERATION,
            source: reason,
        };

        let verified = key.verify(token).map_err(|e| reject(e.into()))?;
        check_token_times(&verified.claims, now_ms.div_euclid(1000))
            .map_err(|e| reject(e.into()))?;
        Ok(verified.claims)
    }

    /// Checks a webhook's `X-Signature` header (`verifyWebhook`): the lowercase hex
    /// HMAC-SHA256 of the raw body under the secret.
    ///
    /// The comparison takes the same time for every signature of the right length. As in
    /// `@stream-io/node-sdk` 0.7.64, which compares the two hex strings byte for byte, an
    /// uppercase or shortened signature does not match.
    pub fn verify_webhook(&self, body: &[u8], signature: &str) -> Result<bool, StreamError> {
        let key = self.key("verifyWebhook")?;
        let expected = to_hex(&key.mac_of(body));
        Ok(bool::from(expected.as_bytes().ct_eq(signature.as_bytes())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::jwt::JwtError;
    use serde_json::json;

    const NOW_MS: i64 = 1_700_000_000_000;
    const NOW_SECS: i64 = 1_700_000_000;

    // RFC 7515, Appendix A.1: an HS256 JWS with a 64-byte key (given there as a JWK) whose
    // header has a line break, so it checks verification of tokens we did not sign.
    const RFC7515_KEY_B64URL: &str =
        "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";
    const RFC7515_TOKEN: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.\
        eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.\
        dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    fn claims(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn bearer_prefix_gets_a_hint_without_the_token() {
        let signer = TokenSigner::new("secret");
        let token = signer.server_token("test").unwrap();

        for header in [format!("Bearer {token}"), format!("bearer {token}")] {
            let error = signer.verify_token(&header, NOW_MS).unwrap_err();

            assert_eq!(error.kind(), ErrorKind::InvalidArgument);
            assert_eq!(
                error.to_string(),
                "verifyToken: token starts with \"Bearer \"; strip that prefix of the \
                 Authorization header and pass the token alone"
            );
        }
        assert!(signer.verify_token("Beär", NOW_MS).is_err());
    }

    #[test]
    fn rfc7515_vector_verifies_before_expiry() {
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        use base64::Engine as _;
        let key = URL_SAFE_NO_PAD.decode(RFC7515_KEY_B64URL).unwrap();
        let signer = TokenSigner {
            key: crate::jwt::Hs256Key::new(&key).ok(),
        };

        // The vector's exp is 1300819380 (2011-03-22), so verify one second earlier.
        let verified = signer
            .verify_token(RFC7515_TOKEN, 1_300_819_379_000)
            .unwrap();

        assert_eq!(verified["iss"], json!("joe"));
        assert_eq!(verified["http://example.com/is_root"], json!(true));
        let expired = signer
            .verify_token(RFC7515_TOKEN, 1_300_819_380_000)
            .unwrap_err();
        assert!(expired.to_string().contains("expired"), "{expired}");
    }

    #[test]
    fn verify_accepts_own_tokens() {
        let signer = TokenSigner::new("secret");
        let payload = json!({"user_id": "alice"});
        let token = signer.generate_user_token(Some(&payload), NOW_MS).unwrap();

        let verified = signer.verify_token(&token, NOW_MS).unwrap();

        assert_eq!(verified["user_id"], json!("alice"));
        assert_eq!(verified["exp"], json!(NOW_SECS - 1 + 3600));
    }

    #[test]
    fn verify_rejects_wrong_secret_with_message() {
        let token = TokenSigner::new("one").server_token("test").unwrap();

        let error = TokenSigner::new("two")
            .verify_token(&token, NOW_MS)
            .unwrap_err();

        assert_eq!(error.kind(), ErrorKind::InvalidArgument);
        assert_eq!(
            error.to_string(),
            "verifyToken: token rejected: invalid token signature"
        );
        assert!(matches!(
            error,
            StreamError::InvalidToken {
                source: TokenRejection::Signature(JwtError::InvalidSignature),
                ..
            }
        ));
    }

    #[test]
    fn verify_with_empty_secret_names_secret() {
        let error = TokenSigner::new("")
            .verify_token("a.b.c", NOW_MS)
            .unwrap_err();

        assert!(error.to_string().contains("secret is empty"), "{error}");
    }

    #[test]
    fn time_checks() {
        let now = NOW_SECS;
        assert_eq!(check_token_times(&claims(json!({})), now), Ok(()));
        assert_eq!(
            check_token_times(&claims(json!({"exp": now + 1})), now),
            Ok(())
        );
        assert_eq!(
            check_token_times(&claims(json!({"exp": now})), now),
            Err(TimeError::Expired { exp: now, now })
        );
        assert_eq!(
            check_token_times(&claims(json!({"iat": now + CLOCK_SKEW_SECS})), now),
            Ok(())
        );
        assert_eq!(
            check_token_times(&claims(json!({"iat": now + 3600})), now),
            Err(TimeError::IssuedInFuture {
                iat: now + 3600,
                now
            })
        );
        assert_eq!(
            check_token_times(&claims(json!({"nbf": now + 3600})), now),
            Err(TimeError::NotYetValid {
                nbf: now + 3600,
                now
            })
        );
        assert_eq!(
            check_token_times(&claims(json!({"exp": "later"})), now),
            Err(TimeError::NotANumber("exp"))
        );
    }

    // RFC 4231, test case 2: HMAC-SHA-256 with key "Jefe".
    const RFC4231_CASE2_HEX: &str =
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

    #[test]
    fn webhook_rfc4231_vector() {
        let signer = TokenSigner::new("Jefe");
        let body = b"what do ya want for nothing?";
        let changed = b"what do ya want for nothing!";

        assert!(signer.verify_webhook(body, RFC4231_CASE2_HEX).unwrap());
        assert!(!signer.verify_webhook(changed, RFC4231_CASE2_HEX).unwrap());
    }

    #[test]
    fn webhook_rejects_case_and_length_changes() {
        let signer = TokenSigner::new("Jefe");
        let body = b"what do ya want for nothing?";

        assert!(!signer
            .verify_webhook(body, &RFC4231_CASE2_HEX.to_uppercase())
            .unwrap());
        assert!(!signer
            .verify_webhook(body, &RFC4231_CASE2_HEX[..32])
            .unwrap());
        assert!(!signer.verify_webhook(body, "").unwrap());
    }

    #[test]
    fn webhook_with_empty_secret_is_an_error() {
        let error = TokenSigner::new("")
            .verify_webhook(b"{}", "00")
            .unwrap_err();

        assert_eq!(error.operation(), "verifyWebhook");
        assert!(error.to_string().contains("secret is empty"));
    }

    #[test]
    fn hex_is_lowercase() {
        assert_eq!(to_hex(&[0x00, 0xab, 0xff]), "00abff");
    }
}
