//! Authentication: API key, auth type, token checks and what user tokens may do.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::json;
use stream_edge::jwt::Hs256Key;

use crate::support::{now_secs, Sandbox, API_SECRET};

fn list_payload() -> String {
    json!({"filter_conditions": {"id": {"$in": ["alice", "bob"]}}}).to_string()
}

fn seeded() -> Sandbox {
    let sandbox = Sandbox::start();
    sandbox.upsert(json!([{"id": "alice"}, {"id": "bob"}]));
    sandbox
}

/// Builds a token with any header, signed with HMAC-SHA256 under `secret`.
fn token_with_header(header: &str, claims: &str, secret: &str) -> String {
    let signed = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(claims)
    );
    let signature = Hs256Key::new(secret.as_bytes())
        .unwrap()
        .mac_of(signed.as_bytes());
    format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature))
}

#[test]
fn api_key_checked_first() {
    let sandbox = seeded();

    let missing = sandbox
        .call("GET", "/api/v2/users")
        .without_query("api_key")
        .send();
    let wrong = sandbox
        .call("GET", "/api/v2/users")
        .without_query("api_key")
        .query("api_key", "other-key")
        .token("not even a token")
        .send();

    assert!(missing.assert_error(401, 2).contains("api_key"));
    assert!(wrong.assert_error(401, 2).contains("\"other-key\""));
}

#[test]
fn auth_type_and_header_required() {
    let sandbox = seeded();
    let query = |call: crate::support::Call<'_>| call.query("payload", &list_payload()).send();

    let no_type = query(
        sandbox
            .call("GET", "/api/v2/users")
            .without_header("stream-auth-type"),
    );
    let anonymous = query(
        sandbox
            .call("GET", "/api/v2/users")
            .header("stream-auth-type", "anonymous"),
    );
    let no_token = query(
        sandbox
            .call("GET", "/api/v2/users")
            .without_header("authorization"),
    );
    let bearer = query(
        sandbox
            .call("GET", "/api/v2/users")
            .token(&format!("Bearer {}", sandbox.server_token())),
    );

    assert!(no_type.assert_error(401, 5).contains("stream-auth-type"));
    assert!(anonymous.assert_error(401, 5).contains("anonymous"));
    assert!(no_token.assert_error(401, 5).contains("Authorization"));
    bearer.assert_error(401, 5);
}

#[test]
fn token_failures_have_their_codes() {
    let sandbox = seeded();
    let now = now_secs();
    let other = Hs256Key::new(b"another-secret").unwrap();
    let cases = [
        (
            "wrong secret",
            other.sign_json(r#"{"server":true}"#),
            43,
            "signature",
        ),
        (
            "alg none",
            format!(
                "{}.{}.",
                URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#),
                URL_SAFE_NO_PAD.encode(r#"{"server":true}"#)
            ),
            43,
            "none",
        ),
        (
            "HS512 header",
            token_with_header(
                r#"{"alg":"HS512","typ":"JWT"}"#,
                r#"{"server":true}"#,
                API_SECRET,
            ),
            43,
            "HS512",
        ),
        ("malformed", String::from("a.b"), 5, "not a valid JWT"),
        (
            "expired",
            sandbox.token(json!({"user_id": "alice", "exp": now - 10})),
            40,
            "expired",
        ),
        (
            "issued in the future",
            sandbox.token(json!({"user_id": "alice", "iat": now + 3600})),
            42,
            "issued at",
        ),
        (
            "not valid yet",
            sandbox.token(json!({"user_id": "alice", "nbf": now + 3600})),
            41,
            "not valid yet",
        ),
        (
            "exp as text",
            sandbox.token(json!({"user_id": "alice", "exp": "soon"})),
            5,
            "exp",
        ),
        (
            "user_id number",
            sandbox.token(json!({"user_id": 5})),
            5,
            "must be a string",
        ),
        (
            "user_id object",
            sandbox.token(json!({"user_id": {"$ne": null}})),
            5,
            "must be a string",
        ),
        (
            "no subject",
            sandbox.token(json!({"role": "admin"})),
            5,
            "user_id",
        ),
        (
            "server false",
            sandbox.token(json!({"server": false})),
            5,
            "user_id",
        ),
        (
            "invalid user_id",
            sandbox.token(json!({"user_id": "alice' OR '1'='1"})),
            5,
            "invalid",
        ),
        (
            "unknown user",
            sandbox.user_token("nobody"),
            5,
            "does not exist",
        ),
        (
            "expired server token",
            sandbox.token(json!({"server": true, "exp": now - 1})),
            40,
            "expired",
        ),
    ];

    for (name, token, code, expected) in cases {
        let reply = sandbox
            .call("GET", "/api/v2/users")
            .token(&token)
            .query("payload", &list_payload())
            .send();
        let message = reply.assert_error(401, code);
        assert!(message.contains(expected), "{name}: {message}");
        assert!(!message.contains(API_SECRET), "{name} leaks the secret");
    }
}

#[test]
fn user_token_may_only_read() {
    let sandbox = seeded();
    let token = sandbox.user_token("alice");

    let read = sandbox
        .call("GET", "/api/v2/users")
        .token(&token)
        .query("payload", &list_payload())
        .send();
    let write = sandbox
        .call("POST", "/api/v2/users")
        .token(&token)
        .json(json!({"users": {"alice": {"id": "alice", "role": "admin"}}}))
        .send();
    let export = sandbox
        .call("GET", "/api/v2/users/alice/export")
        .token(&token)
        .send();
    let task = sandbox
        .call("GET", "/api/v2/tasks/any")
        .token(&token)
        .send();

    assert_eq!(read.status, 200, "{}", read.text);
    assert_eq!(read.json()["users"].as_array().unwrap().len(), 2);
    assert!(write.assert_error(403, 17).contains("alice"));
    export.assert_error(403, 17);
    task.assert_error(403, 17);
    let stored = sandbox
        .query(json!({"filter_conditions": {"id": "alice"}}))
        .json();
    assert_eq!(stored["users"][0]["role"], "user");
}

#[test]
fn user_token_rejected_for_inactive_users() {
    let sandbox = seeded();
    sandbox.upsert(json!([{"id": "carol"}]));
    let bob = sandbox.user_token("bob");
    let carol = sandbox.user_token("carol");
    sandbox
        .call("POST", "/api/v2/users/bob/deactivate")
        .json(json!({}))
        .send();
    let deleted = sandbox
        .call("POST", "/api/v2/users/delete")
        .json(json!({"user_ids": ["carol"]}))
        .send();
    sandbox.wait_for_task(deleted.json()["task_id"].as_str().unwrap());

    let as_bob = sandbox
        .call("GET", "/api/v2/users")
        .token(&bob)
        .query("payload", &list_payload())
        .send();
    let as_carol = sandbox
        .call("GET", "/api/v2/users")
        .token(&carol)
        .query("payload", &list_payload())
        .send();

    assert!(as_bob.assert_error(401, 5).contains("deactivated"));
    assert!(as_carol.assert_error(401, 5).contains("deleted"));
}

#[test]
fn revoked_tokens_rejected() {
    let sandbox = seeded();
    let now = now_secs();
    let old_token = sandbox.token(json!({"user_id": "alice", "iat": now - 600}));
    let no_iat = sandbox.token(json!({"user_id": "alice"}));
    let new_token = sandbox.token(json!({"user_id": "alice", "iat": now - 1}));
    let revoke_at = time_text(now - 300);

    let update = sandbox
        .call("PATCH", "/api/v2/users")
        .json(
            json!({"users": [{"id": "alice", "set": {"revoke_tokens_issued_before": revoke_at}}]}),
        )
        .send();
    assert_eq!(update.status, 200, "{}", update.text);
    assert!(update.json()["users"]["alice"]["revoke_tokens_issued_before"].is_string());

    let query = |token: &str| {
        sandbox
            .call("GET", "/api/v2/users")
            .token(token)
            .query("payload", &list_payload())
            .send()
    };
    assert!(query(&old_token).assert_error(401, 40).contains("revoked"));
    assert!(query(&no_iat).assert_error(401, 40).contains("revoked"));
    assert_eq!(query(&new_token).status, 200);
}

/// Formats Unix seconds as an RFC 3339 UTC timestamp.
fn time_text(secs: i64) -> String {
    use time::format_description::well_known::Rfc3339;
    time::OffsetDateTime::from_unix_timestamp(secs)
        .unwrap()
        .format(&Rfc3339)
        .unwrap()
}
