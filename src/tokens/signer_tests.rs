//! Known-answer tests: each expected token was produced by `@stream-io/node-sdk` 0.7.64
//! (`StreamClient` with secret [`SECRET`], `Date.now` frozen at [`NOW_MS`]) for the inputs
//! shown, so equality proves byte-identical header, claims, key order and signature.

use serde_json::{json, Value};

use super::TokenSigner;
use crate::error::ErrorKind;

const SECRET: &str = "stream-edge-test-secret";
const NOW_MS: i64 = 1_900_000_000_700;

/// Parses JSON text keeping its key order, as `JSON.stringify` output reaches the core.
fn js(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn server_token_matches_official() {
    let token = TokenSigner::new(SECRET).server_token("test").unwrap();

    assert_eq!(
        token,
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzZXJ2ZXIiOnRydWV9.\
         zlsiyaS36M7iF27yggKpmyfjDmOvgjugg3y_s3FthfY"
    );
}

#[test]
fn user_token_defaults_match_official() {
    let payload = js(r#"{"user_id":"gina"}"#);

    let token = TokenSigner::new(SECRET)
        .generate_user_token(Some(&payload), NOW_MS)
        .unwrap();

    assert_eq!(
        token,
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.\
         eyJ1c2VyX2lkIjoiZ2luYSIsImlhdCI6MTg5OTk5OTk5OSwiZXhwIjoxOTAwMDAzNTk5fQ.\
         zkeyh9Xf00h5Ds_SDUsPuw_GjlkFpv9EU-JzzeWSUR4"
    );
}

#[test]
fn user_token_extra_claims_match_official() {
    // `{ user_id, validity_in_seconds, plan, tags, "2": "x" }` in JavaScript, whose
    // JSON.stringify puts the integer-like key first.
    let payload =
        js(r#"{"2":"x","user_id":"carol","validity_in_seconds":60,"plan":"pro","tags":["a","b"]}"#);

    let token = TokenSigner::new(SECRET)
        .generate_user_token(Some(&payload), NOW_MS)
        .unwrap();

    assert_eq!(
        token,
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.\
         eyIyIjoieCIsInVzZXJfaWQiOiJjYXJvbCIsInZhbGlkaXR5X2luX3NlY29uZHMiOjYwLCJwbGFuIjoicHJvIiwidGFncyI6WyJhIiwiYiJdLCJpYXQiOjE4OTk5OTk5OTksImV4cCI6MTkwMDAwMDA1OX0.\
         WKkAHiDjacqTv4_Fv4igSm_rifvx_d8DnvEAfEQFAVs"
    );
}

#[test]
fn call_token_matches_official() {
    let payload = js(
        r#"{"user_id":"dave","call_cids":["default:standup","livestream:launch"],
            "role":"admin","iat":1899999000,"exp":1900000900}"#,
    );

    let token = TokenSigner::new(SECRET)
        .generate_call_token(Some(&payload), NOW_MS)
        .unwrap();

    assert_eq!(
        token,
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.\
         eyJ1c2VyX2lkIjoiZGF2ZSIsImNhbGxfY2lkcyI6WyJkZWZhdWx0OnN0YW5kdXAiLCJsaXZlc3RyZWFtOmxhdW5jaCJdLCJyb2xlIjoiYWRtaW4iLCJpYXQiOjE4OTk5OTkwMDAsImV4cCI6MTkwMDAwMDkwMH0.\
         OfrwMa3BEJIqK1kHiZi-ZzRrEUWRWMafvM2fEFHvk_A"
    );
}

#[test]
fn create_token_defaults_match_official() {
    let token = TokenSigner::new(SECRET).create_token(Some(&json!("erin")), None, None, NOW_MS);

    assert_eq!(
        token.unwrap(),
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.\
         eyJ1c2VyX2lkIjoiZXJpbiIsImV4cCI6MTkwMDAwMzYwMSwiaWF0IjoxODk5OTk5OTk5fQ.\
         f3_GFOXUy-S_DrXGX4qm6A-0VZeuKIv7pb6H72TujGc"
    );
}

#[test]
fn create_call_token_with_role_matches_official() {
    let user = js(r#"{"user_id":"frank","role":"host"}"#);
    let cids = json!(["default:x"]);

    let token =
        TokenSigner::new(SECRET).create_call_token(Some(&user), Some(&cids), None, None, NOW_MS);

    assert_eq!(
        token.unwrap(),
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.\
         eyJleHAiOjE5MDAwMDM2MDEsImlhdCI6MTg5OTk5OTk5OSwiY2FsbF9jaWRzIjpbImRlZmF1bHQ6eCJdLCJ1c2VyX2lkIjoiZnJhbmsiLCJyb2xlIjoiaG9zdCJ9.\
         oSiswC6H0UCHBElYzbgCh5iSjKrx4_g_i4mkprg7S2Y"
    );
}

#[test]
fn create_call_token_zero_iat_matches_official() {
    let token = TokenSigner::new(SECRET).create_call_token(
        Some(&json!("frank")),
        Some(&json!(["default:x"])),
        Some(&json!(1_900_000_300)),
        Some(&json!(0)),
        NOW_MS,
    );

    assert_eq!(
        token.unwrap(),
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.\
         eyJleHAiOjE5MDAwMDAzMDAsImNhbGxfY2lkcyI6WyJkZWZhdWx0OngiXSwidXNlcl9pZCI6ImZyYW5rIn0.\
         ro54vjkF-HTQ2sUt9xtfbpd_n9_VkU0hXg3PDJLKQpU"
    );
}

#[test]
fn empty_secret_is_rejected_before_signing() {
    let signer = TokenSigner::new("");
    let payload = json!({"user_id": "a"});

    let error = signer
        .generate_user_token(Some(&payload), NOW_MS)
        .unwrap_err();

    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert_eq!(
        error.to_string(),
        "generateUserToken: secret is empty; pass the app's API secret to the StreamClient \
         constructor"
    );
    assert!(signer.server_token("upsertUsers").is_err());
}

#[test]
fn debug_output_hides_the_secret() {
    let signer = TokenSigner::new(SECRET);

    assert!(!format!("{signer:?}").contains(SECRET));
}
