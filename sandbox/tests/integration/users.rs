//! Upsert, partial update, single-user (de/re)activation, export and guests.

use serde_json::{json, Value};
use stream_edge::jwt::Hs256Key;

use crate::support::{Sandbox, API_SECRET};

fn is_rfc3339_utc(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|text| text.ends_with('Z') && text.len() >= 20 && text.as_bytes()[10] == b'T')
}

#[test]
fn upsert_creates_users() {
    let sandbox = Sandbox::start();

    let body = sandbox.upsert(json!([
        {"id": "ada", "name": "Ada", "image": "https://example.com/a.png", "role": "admin",
         "teams": ["red"], "language": "en", "custom": {"color": "red"},
         "privacy_settings": {"read_receipts": {"enabled": false, "extra": 1}}},
        {"id": "bo", "favorite": "tea", "created_at": "2000-01-01T00:00:00Z"},
    ]));

    let ada = &body["users"]["ada"];
    assert_eq!(ada["name"], "Ada");
    assert_eq!(ada["image"], "https://example.com/a.png");
    assert_eq!(ada["role"], "admin");
    assert_eq!(ada["teams"], json!(["red"]));
    assert_eq!(ada["language"], "en");
    assert_eq!(ada["custom"], json!({"color": "red"}));
    assert_eq!(
        ada["privacy_settings"],
        json!({"read_receipts": {"enabled": false}})
    );
    assert_eq!(ada["banned"], false);
    assert_eq!(ada["online"], false);
    assert_eq!(ada["devices"], json!([]));
    assert!(is_rfc3339_utc(&ada["created_at"]), "{}", ada["created_at"]);
    assert!(ada.get("deactivated_at").is_none());
    let bo = &body["users"]["bo"];
    assert_eq!(bo["role"], "user");
    assert_eq!(bo["custom"], json!({"favorite": "tea"}));
    assert!(bo.get("favorite").is_none());
    assert_ne!(
        bo["created_at"], "2000-01-01T00:00:00Z",
        "created_at is read-only"
    );
    assert_eq!(body["membership_deletion_task_id"], "");
    assert!(body["duration"].as_str().unwrap().ends_with("ms"));
}

#[test]
fn upsert_replaces_whole_user() {
    let sandbox = Sandbox::start();
    let first = sandbox.upsert(json!([{"id": "erin", "name": "Erin", "custom": {"a": 1}}]));

    let second = sandbox.upsert(json!([{"id": "erin", "custom": {"b": 2}}]));

    let before = &first["users"]["erin"];
    let after = &second["users"]["erin"];
    assert!(after.get("name").is_none(), "{after}");
    assert_eq!(after["custom"], json!({"b": 2}));
    assert_eq!(after["created_at"], before["created_at"]);
    assert_ne!(after["updated_at"], before["updated_at"]);
    let stored = sandbox
        .query(json!({"filter_conditions": {"id": "erin"}}))
        .json();
    assert_eq!(stored["users"][0]["custom"], json!({"b": 2}));
}

#[test]
fn upsert_rejects_invalid_users() {
    let sandbox = Sandbox::start();
    let many: serde_json::Map<String, Value> = (0..101)
        .map(|i| (format!("u{i}"), json!({"id": format!("u{i}")})))
        .collect();
    let long_id = "a".repeat(256);
    let cases = [
        (json!({"users": {"bad id!": {"id": "bad id!"}}}), "bad id!"),
        (
            json!({"users": {long_id.clone(): {"id": long_id}}}),
            "longer than 255",
        ),
        (json!({"users": {"": {"id": ""}}}), "must not be empty"),
        (json!({"users": {"a": {"id": "b"}}}), "does not match"),
        (json!({"users": {"a": {"name": "no id"}}}), "users.a.id"),
        (json!({"users": many}), "1 to 100"),
        (json!({"users": {}}), "1 to 100"),
        (json!({"users": "x"}), "users"),
        (json!({"users": {"a": 5}}), "users.a"),
        (json!({}), "users"),
        (
            json!({"users": {"a": {"id": "a", "role": "emperor"}}}),
            "emperor",
        ),
        (
            json!({"users": {"a": {"id": "a", "teams": "red"}}}),
            "teams",
        ),
        (
            json!({"users": {"a": {"id": "a", "teams": [1]}}}),
            "teams[0]",
        ),
        (
            json!({"users": {"a": {"id": "a", "invisible": "yes"}}}),
            "invisible",
        ),
        (json!({"users": {"a": {"id": "a", "name": 5}}}), "name"),
        (json!({"users": {"a": {"id": "a", "custom": []}}}), "custom"),
        (
            json!({"users": {"a": {"id": "a", "teams_role": {"red": 1}}}}),
            "teams_role.red",
        ),
        (
            json!({"users": {"a": {"id": "a", "privacy_settings": {"typing_indicators": 1}}}}),
            "typing_indicators",
        ),
    ];

    for (body, expected) in cases {
        let reply = sandbox
            .call("POST", "/api/v2/users")
            .json(body.clone())
            .send();
        let message = reply.assert_error(400, 4);
        assert!(message.contains(expected), "{body}: {message}");
        assert!(
            message.starts_with("UpdateUsers failed with error:"),
            "{message}"
        );
    }
    assert_eq!(
        sandbox.query_ids(json!({"filter_conditions": {}})),
        Vec::<String>::new()
    );
}

#[test]
fn custom_role_flag_allows_role() {
    let sandbox = Sandbox::start_with(crate::support::Options {
        extra: vec![String::from("--role"), String::from("editor")],
        ..Default::default()
    });

    let body = sandbox.upsert(json!([{"id": "ed", "role": "editor"}]));

    assert_eq!(body["users"]["ed"]["role"], "editor");
}

#[test]
fn removing_teams_starts_membership_task() {
    let sandbox = Sandbox::start();
    sandbox.upsert(json!([{"id": "tess", "teams": ["red", "blue"]}]));

    let body = sandbox.upsert(json!([{"id": "tess", "teams": ["blue"]}]));

    let task_id = body["membership_deletion_task_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(!task_id.is_empty());
    let (_, task) = sandbox.wait_for_task(&task_id);
    assert_eq!(task["status"], "completed");
    assert_eq!(
        task["result"]["users"]["tess"]["removed_teams"],
        json!(["red"])
    );
}

#[test]
fn partial_update_sets_and_unsets() {
    let sandbox = Sandbox::start();
    sandbox.upsert(json!([{"id": "gina", "name": "Gina", "image": "i.png",
                           "custom": {"x": 1, "y": 2}}]));

    let reply = sandbox
        .call("PATCH", "/api/v2/users")
        .json(json!({"users": [{"id": "gina",
            "set": {"name": "Gina B.", "role": "admin", "level": 7, "custom": {"z": 3}},
            "unset": ["image", "y"]}]}))
        .send();

    assert_eq!(reply.status, 200, "{}", reply.text);
    let gina = &reply.json()["users"]["gina"];
    assert_eq!(gina["name"], "Gina B.");
    assert_eq!(gina["role"], "admin");
    assert!(gina.get("image").is_none());
    assert_eq!(gina["custom"], json!({"x": 1, "level": 7, "z": 3}));
    assert_eq!(reply.json()["membership_deletion_task_id"], "");
}

#[test]
fn partial_update_rejects_invalid_updates() {
    let sandbox = Sandbox::start();
    sandbox.upsert(json!([{"id": "dee", "name": "Dee"}]));
    let cases = [
        (
            json!({"users": [{"id": "dee", "set": {"id": "other"}}]}),
            "users[0].set.id",
        ),
        (
            json!({"users": [{"id": "dee", "unset": ["id"]}]}),
            "cannot be unset",
        ),
        (
            json!({"users": [{"id": "nobody", "set": {"name": "N"}}]}),
            "\"nobody\" does not exist",
        ),
        (
            json!({"users": [{"id": "dee", "set": {"role": "admin' --"}}]}),
            "admin' --",
        ),
        (
            json!({"users": [{"id": "dee", "set": {"name": "A"}, "unset": ["name"]}]}),
            "both set and unset",
        ),
        (json!({"users": [{"id": "dee", "set": []}]}), "users[0].set"),
        (
            json!({"users": [{"id": "dee", "unset": [5]}]}),
            "users[0].unset[0]",
        ),
        (json!({"users": [{"set": {}}]}), "users[0].id"),
        (json!({"users": {"dee": {}}}), "users"),
        (
            json!({"users": [{"id": "dee", "set": {"revoke_tokens_issued_before": "soon"}}]}),
            "soon",
        ),
    ];

    for (body, expected) in cases {
        let reply = sandbox
            .call("PATCH", "/api/v2/users")
            .json(body.clone())
            .send();
        let message = reply.assert_error(400, 4);
        assert!(message.contains(expected), "{body}: {message}");
    }
    let stored = sandbox
        .query(json!({"filter_conditions": {"id": "dee"}}))
        .json();
    assert_eq!(stored["users"][0]["name"], "Dee");
}

#[test]
fn deactivate_and_reactivate_one_user() {
    let sandbox = Sandbox::start();
    sandbox.upsert(json!([{"id": "eve", "name": "Eve"}]));

    let reply = sandbox
        .call("POST", "/api/v2/users/eve/deactivate")
        .json(json!({}))
        .send();
    assert_eq!(reply.status, 201, "{}", reply.text);
    let deactivated_at = reply.json()["user"]["deactivated_at"].clone();
    assert!(is_rfc3339_utc(&deactivated_at));
    assert_eq!(
        sandbox.query_ids(json!({"filter_conditions": {"id": "eve"}})),
        Vec::<String>::new()
    );
    let with_deactivated = sandbox
        .query(json!({"filter_conditions": {"id": "eve"}, "include_deactivated_users": true}))
        .json();
    assert_eq!(
        with_deactivated["users"][0]["deactivated_at"],
        deactivated_at
    );

    let reply = sandbox
        .call("POST", "/api/v2/users/eve/reactivate")
        .json(json!({"name": "Eve Again", "restore_messages": true}))
        .send();
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert!(reply.json()["user"].get("deactivated_at").is_none());
    assert_eq!(reply.json()["user"]["name"], "Eve Again");
    assert_eq!(
        sandbox.query_ids(json!({"filter_conditions": {"id": "eve"}})),
        ["eve"]
    );
}

#[test]
fn deactivate_accepts_empty_body() {
    let sandbox = Sandbox::start();
    sandbox.upsert(json!([{"id": "fay"}]));

    let reply = sandbox.call("POST", "/api/v2/users/fay/deactivate").send();

    assert_eq!(reply.status, 201, "{}", reply.text);
}

#[test]
fn single_user_operations_reject_bad_ids() {
    let sandbox = Sandbox::start();
    for path in [
        "/api/v2/users/ghost/deactivate",
        "/api/v2/users/ghost/reactivate",
    ] {
        let message = sandbox
            .call("POST", path)
            .json(json!({}))
            .send()
            .assert_error(404, 16);
        assert!(message.contains("ghost"), "{message}");
    }
    let message = sandbox
        .call("GET", "/api/v2/users/ghost/export")
        .send()
        .assert_error(404, 16);
    assert!(message.contains("ghost"), "{message}");

    for path in [
        "/api/v2/users/a%20b/deactivate",
        "/api/v2/users/%FF%FE/deactivate",
    ] {
        sandbox
            .call("POST", path)
            .json(json!({}))
            .send()
            .assert_error(400, 4);
    }
    let reply = sandbox
        .call("POST", "/api/v2/users/ghost/deactivate")
        .json(json!({"mark_messages_deleted": "yes"}))
        .send();
    reply.assert_error(400, 4);
}

#[test]
fn export_returns_user_data() {
    let sandbox = Sandbox::start();
    sandbox.upsert(json!([{"id": "pia", "name": "Pia", "custom": {"team": "red"}}]));

    let reply = sandbox.call("GET", "/api/v2/users/pia/export").send();

    assert_eq!(reply.status, 200, "{}", reply.text);
    let body = reply.json();
    assert_eq!(body["user"]["id"], "pia");
    assert_eq!(body["user"]["custom"]["team"], "red");
    assert_eq!(body["messages"], json!([]));
    assert_eq!(body["reactions"], json!([]));
}

#[test]
fn guest_gets_role_and_token() {
    let sandbox = Sandbox::start();

    let reply = sandbox
        .call("POST", "/api/v2/guest")
        .json(
            json!({"user": {"id": "guest-1", "name": "Visitor", "role": "admin",
                              "custom": {"from": "docs"}}}),
        )
        .send();

    assert_eq!(reply.status, 201, "{}", reply.text);
    let body = reply.json();
    assert_eq!(body["user"]["role"], "guest");
    assert_eq!(body["user"]["custom"]["from"], "docs");
    let token = body["access_token"].as_str().unwrap();
    let verified = Hs256Key::new(API_SECRET.as_bytes())
        .unwrap()
        .verify(token)
        .unwrap();
    assert_eq!(verified.claims["user_id"], "guest-1");
    let own = sandbox.query(json!({"filter_conditions": {"id": "guest-1"}}));
    assert_eq!(own.json()["users"][0]["role"], "guest");
    let read = sandbox
        .call("GET", "/api/v2/users")
        .token(token)
        .query(
            "payload",
            &json!({"filter_conditions": {"id": "guest-1"}}).to_string(),
        )
        .send();
    assert_eq!(read.status, 200, "{}", read.text);
}

#[test]
fn guest_rejects_existing_or_missing_id() {
    let sandbox = Sandbox::start();
    sandbox.upsert(json!([{"id": "taken"}]));

    let taken = sandbox
        .call("POST", "/api/v2/guest")
        .json(json!({"user": {"id": "taken"}}))
        .send();
    let missing = sandbox
        .call("POST", "/api/v2/guest")
        .json(json!({"user": {}}))
        .send();
    let no_user = sandbox.call("POST", "/api/v2/guest").json(json!({})).send();

    assert!(taken.assert_error(400, 4).contains("already exists"));
    assert!(missing.assert_error(400, 4).contains("user.id"));
    assert!(no_user.assert_error(400, 4).contains("user"));
}
