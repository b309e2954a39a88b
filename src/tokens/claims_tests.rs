use serde_json::{json, Value};

use super::*;
use crate::error::ErrorKind;

/// A time with a fractional second, where flooring and rounding differ.
const NOW_MS: i64 = 1_900_000_000_700;
const NOW_SECS: i64 = 1_900_000_000;

fn js(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

fn text(claims: &Map<String, Value>) -> String {
    Value::Object(claims.clone()).to_string()
}

fn message(result: Result<Map<String, Value>, StreamError>) -> String {
    let error = result.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    error.to_string()
}

#[test]
fn defaults_follow_official_rounding() {
    assert_eq!(default_iat(NOW_MS), NOW_SECS - 1);
    assert_eq!(default_legacy_exp(NOW_MS), NOW_SECS + 1 + 3600);
    assert_eq!(default_legacy_exp(1_900_000_000_499), NOW_SECS + 3600);
    assert_eq!(default_legacy_exp(1_900_000_000_500), NOW_SECS + 1 + 3600);
}

#[test]
fn user_claims_append_iat_then_exp() {
    let payload = js(r#"{"user_id":"a","validity_in_seconds":60}"#);

    let claims = user_token_claims("op", Some(&payload), NOW_MS).unwrap();

    assert_eq!(
        text(&claims),
        r#"{"user_id":"a","validity_in_seconds":60,"iat":1899999999,"exp":1900000059}"#
    );
}

#[test]
fn user_claims_keep_given_times_in_place() {
    let payload = js(r#"{"exp":1900000600,"user_id":"a","iat":1899999990}"#);

    let claims = user_token_claims("op", Some(&payload), NOW_MS).unwrap();

    assert_eq!(
        text(&claims),
        r#"{"exp":1900000600,"user_id":"a","iat":1899999990}"#
    );
}

#[test]
fn user_claims_replace_null_times_in_place() {
    let payload = js(r#"{"iat":null,"user_id":"a","exp":null}"#);

    let claims = user_token_claims("op", Some(&payload), NOW_MS).unwrap();

    assert_eq!(
        text(&claims),
        r#"{"iat":1899999999,"user_id":"a","exp":1900003599}"#
    );
}

#[test]
fn user_claims_fractional_iat_gives_fractional_exp() {
    let payload = js(r#"{"user_id":"a","iat":1899999999.5}"#);

    let claims = user_token_claims("op", Some(&payload), NOW_MS).unwrap();

    assert_eq!(claims["exp"], json!(1_900_003_599.5));
}

#[test]
fn user_claims_zero_iat_is_dropped() {
    let payload = js(r#"{"user_id":"a","iat":0,"exp":1900000600}"#);

    let claims = user_token_claims("op", Some(&payload), NOW_MS).unwrap();

    assert_eq!(text(&claims), r#"{"user_id":"a","exp":1900000600}"#);
}

#[test]
fn user_claims_input_errors() {
    let cases = [
        (r#"{}"#, "op: user_id is missing; pass the ID of the user the token is for"),
        (r#"{"user_id":42}"#, "op: user_id must be a non-empty string, got 42"),
        (
            r#"{"user_id":"a","exp":1000}"#,
            "op: exp is 1000, which is not in the future (now 1900000000); pass a later expiry time",
        ),
        (
            r#"{"user_id":"a","validity_in_seconds":-5}"#,
            "op: validity_in_seconds must be a non-negative whole number of seconds, got -5",
        ),
        (
            r#"{"user_id":"a","validity_in_seconds":1.5}"#,
            "op: validity_in_seconds must be a non-negative whole number of seconds, got 1.5",
        ),
        (
            r#"{"user_id":"a","validity_in_seconds":0}"#,
            "op: validity_in_seconds 0 with iat 1899999999 gives exp 1899999999, which is not \
             in the future (now 1900000000)",
        ),
    ];
    for (payload, expected) in cases {
        let payload = js(payload);
        assert_eq!(
            message(user_token_claims("op", Some(&payload), NOW_MS)),
            expected
        );
    }
}

#[test]
fn user_claims_millisecond_times_rejected() {
    let exp = js(r#"{"user_id":"a","exp":1900000000000}"#);
    let iat = js(r#"{"user_id":"a","iat":1700000000000}"#);

    let exp_message = message(user_token_claims("op", Some(&exp), NOW_MS));
    let iat_message = message(user_token_claims("op", Some(&iat), NOW_MS));

    assert!(exp_message.starts_with("op: exp is 1900000000000, which looks like milliseconds"));
    assert!(iat_message.starts_with("op: iat is 1700000000000, which looks like milliseconds"));
}

#[test]
fn user_claims_payload_must_be_object() {
    assert_eq!(
        message(user_token_claims("op", Some(&json!("alice")), NOW_MS)),
        "op: payload must be an object with user_id, got \"alice\""
    );
    assert_eq!(
        message(user_token_claims("op", None, NOW_MS)),
        "op: payload must be an object with user_id, got undefined"
    );
}

#[test]
fn call_claims_keep_payload_order() {
    let payload = js(r#"{"call_cids":["default:a"],"user_id":"u","role":"r"}"#);

    let claims = call_token_claims("op", Some(&payload), NOW_MS).unwrap();

    assert_eq!(
        text(&claims),
        r#"{"call_cids":["default:a"],"user_id":"u","role":"r","iat":1899999999,"exp":1900003599}"#
    );
}

#[test]
fn call_claims_input_errors() {
    let cases = [
        (r#"{"user_id":"a","call_cids":[]}"#, "call_cids is empty"),
        (r#"{"user_id":"a"}"#, "call_cids is missing"),
        (
            r#"{"user_id":"a","call_cids":["standup"]}"#,
            "call_cids[0] is \"standup\"",
        ),
        (
            r#"{"user_id":"a","call_cids":["default:a"],"role":5}"#,
            "role must be a string, got 5",
        ),
        (r#"{"call_cids":["default:a"]}"#, "user_id is missing"),
    ];
    for (payload, expected) in cases {
        let payload = js(payload);
        let text = message(call_token_claims("op", Some(&payload), NOW_MS));
        assert!(text.contains(expected), "{text}");
    }
}

#[test]
fn create_claims_order_and_defaults() {
    let claims = create_token_claims(Some(&json!("u")), None, None, NOW_MS).unwrap();

    assert_eq!(
        text(&claims),
        r#"{"user_id":"u","exp":1900003601,"iat":1899999999}"#
    );
}

#[test]
fn create_claims_given_times() {
    let exp = json!(1_900_000_300);
    let iat = json!(1_899_999_995);

    let claims = create_token_claims(Some(&json!("u")), Some(&exp), Some(&iat), NOW_MS).unwrap();

    assert_eq!(
        text(&claims),
        r#"{"user_id":"u","exp":1900000300,"iat":1899999995}"#
    );
}

#[test]
fn create_claims_input_errors() {
    let empty = message(create_token_claims(Some(&json!("")), None, None, NOW_MS));
    let past = message(create_token_claims(
        Some(&json!("u")),
        Some(&json!(5)),
        None,
        NOW_MS,
    ));

    assert_eq!(
        empty,
        "createToken: user_id must be a non-empty string, got \"\""
    );
    assert!(
        past.starts_with("createToken: exp is 5, which is not in the future"),
        "{past}"
    );
}

#[test]
fn create_call_claims_order() {
    let user = js(r#"{"user_id":"u","role":"host"}"#);
    let cids = json!(["default:x", "audio_room:y"]);

    let claims = create_call_token_claims(Some(&user), Some(&cids), None, None, NOW_MS).unwrap();

    assert_eq!(
        text(&claims),
        r#"{"exp":1900003601,"iat":1899999999,"call_cids":["default:x","audio_room:y"],"user_id":"u","role":"host"}"#
    );
}

#[test]
fn create_call_claims_skip_empty_role() {
    let user = js(r#"{"user_id":"u","role":""}"#);
    let cids = json!(["default:x"]);

    let claims = create_call_token_claims(Some(&user), Some(&cids), None, None, NOW_MS).unwrap();

    assert!(!claims.contains_key("role"));
}

#[test]
fn create_call_claims_input_errors() {
    let cids = json!(["default:x"]);
    let cases = [
        (
            Some(json!(5)),
            Some(cids.clone()),
            "userIdOrObject must be a user ID or { user_id, role }, got 5",
        ),
        (
            Some(json!({"role": "x"})),
            Some(cids.clone()),
            "user_id is missing",
        ),
        (
            Some(json!("u")),
            Some(json!(["default:"])),
            "call_cids[0] is \"default:\"",
        ),
        (Some(json!("u")), None, "call_cids is missing"),
    ];
    for (user, cids, expected) in cases {
        let result = create_call_token_claims(user.as_ref(), cids.as_ref(), None, None, NOW_MS);
        let text = message(result);
        assert!(text.starts_with("createCallToken: "), "{text}");
        assert!(text.contains(expected), "{text}");
    }
}
