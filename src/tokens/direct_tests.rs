//! The directly written claims against the general path, which the known-answer tests in
//! `signer_tests.rs` tie to the official SDK.

use serde_json::Value;

use super::{write_claims, DirectClaims};
use crate::tokens::TokenSigner;

const SECRET: &str = "stream-edge-test-secret";

/// User IDs with every class of character the escaping distinguishes.
const USER_IDS: [&str; 9] = [
    "gina",
    "a\"quote",
    "back\\slash",
    "tab\there",
    "line\nbreak\r\u{8}\u{c}",
    "ctl\u{1}\u{1f}\u{7f}",
    "ünïcödé-名前-😀",
    "</script>&'",
    "x",
];

/// Clock readings: ordinary, a second boundary, and the first moments where `iat` is 1.
const NOW_MS: [i64; 5] = [
    1_900_000_000_700,
    1_900_000_000_000,
    1_899_999_999_999,
    2_000,
    2_999,
];

fn direct(shape: DirectClaims, user_id: &str, now_ms: i64) -> Option<String> {
    let mut out = Vec::new();
    write_claims(&mut out, shape, user_id, now_ms)?;
    Some(String::from_utf8(out).unwrap())
}

/// Serializes the claims of the general path, whose map keeps the payload's key order.
fn general_user(payload: &Value, now_ms: i64) -> String {
    let claims = super::super::claims::user_token_claims("test", Some(payload), now_ms).unwrap();
    serde_json::to_string(&claims).unwrap()
}

#[test]
fn user_id_claims_match_general_path() {
    for user_id in USER_IDS {
        for now_ms in NOW_MS {
            let payload = serde_json::json!({ "user_id": user_id });
            let expected = general_user(&payload, now_ms);
            let written = direct(DirectClaims::UserId, user_id, now_ms);
            assert_eq!(
                written.as_deref(),
                Some(expected.as_str()),
                "{user_id:?} {now_ms}"
            );
        }
    }
}

#[test]
fn validity_claims_match_general_path() {
    for validity in [2_u64, 59, 3600, 86_400, 1_000_000_000_000] {
        for now_ms in NOW_MS {
            let text = format!(r#"{{"user_id":"gina","validity_in_seconds":{validity}}}"#);
            let payload: Value = serde_json::from_str(&text).unwrap();
            let expected = general_user(&payload, now_ms);
            let written = direct(DirectClaims::UserIdWithValidity(validity), "gina", now_ms);
            assert_eq!(
                written.as_deref(),
                Some(expected.as_str()),
                "{validity} {now_ms}"
            );
        }
    }
}

#[test]
fn legacy_claims_match_general_path() {
    for user_id in USER_IDS {
        for now_ms in NOW_MS {
            let id = Value::from(user_id);
            let claims =
                super::super::claims::create_token_claims(Some(&id), None, None, now_ms).unwrap();
            let expected = serde_json::to_string(&claims).unwrap();
            let written = direct(DirectClaims::Legacy, user_id, now_ms);
            assert_eq!(
                written.as_deref(),
                Some(expected.as_str()),
                "{user_id:?} {now_ms}"
            );
        }
    }
}

#[test]
fn signed_tokens_match_general_path() {
    let signer = TokenSigner::new(SECRET);
    let payload = serde_json::json!({ "user_id": "gina" });
    let expected = signer
        .generate_user_token(Some(&payload), 1_900_000_000_700)
        .unwrap();

    let token = signer.user_token_direct(DirectClaims::UserId, "gina", 1_900_000_000_700);

    assert_eq!(token.as_deref(), Some(expected.as_str()));
}

#[test]
fn cases_for_the_general_path() {
    let shapes = [DirectClaims::UserId, DirectClaims::Legacy];
    for shape in shapes {
        assert_eq!(direct(shape, "", 1_900_000_000_700), None, "empty user_id");
        assert_eq!(
            direct(shape, "a\u{fffd}b", 1_900_000_000_700),
            None,
            "U+FFFD"
        );
        assert_eq!(direct(shape, "gina", 1_999), None, "iat of 0");
        assert_eq!(direct(shape, "gina", 500), None, "negative iat");
    }
    let short = DirectClaims::UserIdWithValidity(1);
    assert_eq!(
        direct(short, "gina", 1_900_000_000_700),
        None,
        "exp not in the future"
    );
    let long = DirectClaims::UserIdWithValidity(1_000_000_000_001);
    assert_eq!(
        direct(long, "gina", 1_900_000_000_700),
        None,
        "validity above the limit"
    );
}

#[test]
fn empty_secret_takes_general_path() {
    let signer = TokenSigner::new("");

    assert_eq!(
        signer.user_token_direct(DirectClaims::UserId, "gina", 1_900_000_000_700),
        None
    );
}
