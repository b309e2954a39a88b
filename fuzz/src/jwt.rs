//! Properties of JWT decoding, verification, time checks and token signing.
//!
//! An input is text: the first line is the app secret, the rest is a token. When the rest is
//! a JSON object it is also checked as claims and used as the payload of `generateUserToken`.

use serde_json::{Map, Value};
use stream_edge::jwt::{check_times, decode_unverified, Hs256Key, JwtError, TimeError};
use stream_edge::tokens::verify::check_token_times;
use stream_edge::TokenSigner;

/// The time of every check, in Unix seconds (2023-11-14).
pub const NOW_SECS: i64 = 1_700_000_000;

/// Clock-skew allowances passed to `check_times`: none, and one minute.
const LEEWAYS_SECS: [i64; 2] = [0, 60];

/// Payload fields that set or bound a token's lifetime.
const TIME_FIELDS: [&str; 4] = ["exp", "iat", "nbf", "validity_in_seconds"];

/// Checks every JWT property on one input and panics when one fails.
pub fn check(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (secret, token) = text.split_once('\n').unwrap_or((text.as_ref(), ""));

    let unverified = decode_unverified(token);
    if let Ok(decoded) = &unverified {
        check_claim_times(&decoded.claims);
    }
    // Plain JSON reaches the time checks without the base64 layer, which mutations rarely
    // keep valid.
    if let Ok(Value::Object(claims)) = serde_json::from_str::<Value>(token) {
        check_claim_times(&claims);
    }

    let key = match Hs256Key::new(secret.as_bytes()) {
        Ok(key) => key,
        Err(error) => {
            assert!(
                secret.is_empty(),
                "Hs256Key::new rejected a non-empty secret: {error}"
            );
            return;
        }
    };

    check_verify(&key, token, &unverified);
    if let Ok(decoded) = &unverified {
        check_resign(&key, &decoded.claims);
    }
    check_signer(secret, token);
}

/// A token that verifies must also decode unverified to the same header and claims.
fn check_verify(
    key: &Hs256Key,
    token: &str,
    unverified: &Result<stream_edge::jwt::VerifiedToken, JwtError>,
) {
    let Ok(verified) = key.verify(token) else {
        return;
    };
    assert_eq!(verified.header.get("alg"), Some(&Value::from("HS256")));
    match unverified {
        Ok(decoded) => assert_eq!(&verified, decoded),
        Err(error) => panic!("verify accepted a token that decode_unverified rejects: {error}"),
    }
}

/// Claims signed with `key` verify under it and fail under any other key.
fn check_resign(key: &Hs256Key, claims: &Map<String, Value>) {
    let token = key.sign(claims);

    let verified = match key.verify(&token) {
        Ok(verified) => verified,
        Err(error) => panic!("a freshly signed token failed verification: {error}"),
    };
    let signed_keys: Vec<&String> = claims.keys().collect();
    let verified_keys: Vec<&String> = verified.claims.keys().collect();
    assert_eq!(signed_keys, verified_keys);

    let other = Hs256Key::new(b"a different secret").expect("non-empty secret");
    if other.mac_of(b"probe") != key.mac_of(b"probe") {
        assert_eq!(other.verify(&token), Err(JwtError::InvalidSignature));
    }
}

/// Checks that the time checks return without panicking and agree with the claims' values.
fn check_claim_times(claims: &Map<String, Value>) {
    for leeway in LEEWAYS_SECS {
        match check_times(claims, NOW_SECS, leeway) {
            Ok(()) => {
                if let Ok(Some(exp)) = stream_edge::jwt::numeric_claim(claims, "exp") {
                    assert!(
                        i128::from(exp) + i128::from(leeway) > i128::from(NOW_SECS),
                        "check_times accepted exp {exp} at {NOW_SECS} with leeway {leeway}"
                    );
                }
            }
            Err(TimeError::Expired { exp, now }) => {
                assert!(i128::from(exp) + i128::from(leeway) <= i128::from(now));
            }
            Err(TimeError::IssuedInFuture { iat, now }) => {
                assert!(i128::from(iat) > i128::from(now) + i128::from(leeway));
            }
            Err(_) => {}
        }
    }
    let _ = check_token_times(claims, NOW_SECS);
}

/// Checks that `verifyToken` returns without panicking and accepts a token made by
/// `generateUserToken` with default times.
fn check_signer(secret: &str, token: &str) {
    let signer = TokenSigner::new(secret);
    let now_ms = NOW_SECS * 1000;
    let _ = signer.verify_token(token, now_ms);

    let Ok(payload @ Value::Object(_)) = serde_json::from_str::<Value>(token) else {
        return;
    };
    let Ok(user_token) = signer.generate_user_token(Some(&payload), now_ms) else {
        return;
    };
    let verdict = signer.verify_token(&user_token, now_ms);

    // A payload may set its own times, and those can make the token unusable at once (an
    // `iat` an hour ahead, say). With the default times the token must verify.
    let sets_times = TIME_FIELDS.iter().any(|name| payload.get(name).is_some());
    if let Err(error) = verdict {
        assert!(
            sets_times,
            "generateUserToken made a token verifyToken rejects: {error}"
        );
    }
}
