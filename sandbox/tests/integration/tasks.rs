//! Asynchronous tasks: progression, failure, bulk (de/re)activation, delete modes, restore.

use serde_json::{json, Value};

use crate::support::{Options, Sandbox};

fn start_task(sandbox: &Sandbox, path: &str, body: Value) -> String {
    let reply = sandbox.call("POST", path).json(body).send();
    assert_eq!(reply.status, 201, "{path}: {}", reply.text);
    let body = reply.json();
    assert!(body["duration"].is_string());
    body["task_id"].as_str().unwrap().to_owned()
}

fn profile(id: &str, name: &str) -> Value {
    json!({"id": id, "name": name, "image": "https://example.com/p.png",
           "custom": {"color": "green"}})
}

#[test]
fn task_moves_pending_running_completed() {
    // Each phase lasts 1.5 s, so polling every 5 ms observes every phase.
    let sandbox = Sandbox::start_with(Options {
        task_delay_ms: 1500,
        ..Default::default()
    });
    sandbox.upsert(json!([{"id": "liam"}]));

    let task_id = start_task(
        &sandbox,
        "/api/v2/users/deactivate",
        json!({"user_ids": ["liam"]}),
    );
    let (seen, task) = sandbox.wait_for_task(&task_id);

    let mut phases = seen.clone();
    phases.dedup();
    assert_eq!(phases, ["pending", "running", "completed"], "{seen:?}");
    assert_eq!(task["task_id"], task_id.as_str());
    assert!(task["created_at"].is_string());
    assert!(task["updated_at"].is_string());
    assert_ne!(task["created_at"], task["updated_at"]);
    assert_eq!(
        task["result"]["users"]["liam"]["status"], "deactivated",
        "{task}"
    );
    assert!(task.get("error").is_none());
}

#[test]
fn changes_apply_when_task_completes() {
    let sandbox = Sandbox::start_with(Options {
        task_delay_ms: 1500,
        ..Default::default()
    });
    sandbox.upsert(json!([{"id": "mo"}]));

    let task_id = start_task(
        &sandbox,
        "/api/v2/users/deactivate",
        json!({"user_ids": ["mo"]}),
    );
    let before = sandbox.query_ids(json!({"filter_conditions": {"id": "mo"}}));
    let (_, task) = sandbox.wait_for_task(&task_id);
    let after = sandbox.query_ids(json!({"filter_conditions": {"id": "mo"}}));

    assert_eq!(task["status"], "completed");
    assert_eq!(before, ["mo"]);
    assert_eq!(after, Vec::<String>::new());
}

#[test]
fn task_fails_for_unknown_users() {
    let sandbox = Sandbox::start();
    sandbox.upsert(json!([{"id": "kate"}]));

    let task_id = start_task(
        &sandbox,
        "/api/v2/users/deactivate",
        json!({"user_ids": ["kate", "ghost"]}),
    );
    let (seen, task) = sandbox.wait_for_task(&task_id);

    assert_eq!(seen.last().unwrap(), "failed");
    assert!(
        task["error"]["description"]
            .as_str()
            .unwrap()
            .contains("ghost"),
        "{task}"
    );
    assert_eq!(task["error"]["type"], "UserNotFound");
    assert_eq!(task["result"]["users"]["ghost"]["status"], "not_found");
    assert_eq!(task["result"]["users"]["kate"]["status"], "unchanged");
    assert_eq!(
        sandbox.query_ids(json!({"filter_conditions": {"id": "kate"}})),
        ["kate"]
    );
}

#[test]
fn bulk_deactivate_and_reactivate() {
    let sandbox = Sandbox::start();
    sandbox.upsert(json!([{"id": "ivy"}, {"id": "jack"}, {"id": "kim"}]));
    let ids = json!({"id": {"$in": ["ivy", "jack", "kim"]}});

    let deactivation = start_task(
        &sandbox,
        "/api/v2/users/deactivate",
        json!({
        "user_ids": ["ivy", "jack"], "mark_messages_deleted": true,
        "mark_channels_deleted": false, "created_by_id": "kim"}),
    );
    let (_, task) = sandbox.wait_for_task(&deactivation);
    assert_eq!(task["status"], "completed");
    assert_eq!(task["result"]["options"]["created_by_id"], "kim");
    assert_eq!(
        sandbox.query_ids(json!({"filter_conditions": ids})),
        ["kim"]
    );

    let reactivation = start_task(
        &sandbox,
        "/api/v2/users/reactivate",
        json!({
        "user_ids": ["ivy", "jack"], "restore_messages": true, "restore_channels": true}),
    );
    let (_, task) = sandbox.wait_for_task(&reactivation);
    assert_eq!(task["status"], "completed");
    assert_eq!(task["result"]["users"]["ivy"]["status"], "reactivated");
    assert_eq!(
        sandbox.query_ids(json!({"filter_conditions": ids})),
        ["ivy", "jack", "kim"]
    );
}

#[test]
fn delete_modes_and_restore() {
    let sandbox = Sandbox::start();
    sandbox.upsert(json!([profile("soft", "Soft"), profile("prune", "Prune"),
                          profile("hard", "Hard"), {"id": "heir"}]));
    let modes = [
        (
            "soft",
            json!({"user": "soft", "messages": "soft", "conversations": "soft",
                        "calls": "soft", "files": true, "new_channel_owner_id": "heir",
                        "new_call_owner_id": "heir"}),
        ),
        ("prune", json!({"user": "pruning", "messages": "pruning"})),
        (
            "hard",
            json!({"user": "hard", "messages": "hard", "conversations": "hard"}),
        ),
    ];

    for (id, options) in &modes {
        let mut body = options.clone();
        body["user_ids"] = json!([id]);
        let task_id = start_task(&sandbox, "/api/v2/users/delete", body);
        let (_, task) = sandbox.wait_for_task(&task_id);
        assert_eq!(task["status"], "completed", "{id}: {task}");
        assert_eq!(
            task["result"]["users"][id]["user"], options["user"],
            "{task}"
        );
        for (name, value) in options.as_object().unwrap() {
            assert_eq!(
                &task["result"]["options"][name], value,
                "{id} option {name}"
            );
        }
    }
    let all = json!({"id": {"$in": ["soft", "prune", "hard"]}});
    let hidden =
        sandbox.query_ids(json!({"filter_conditions": all, "include_deactivated_users": true}));
    assert_eq!(hidden, Vec::<String>::new());
    let soft_export = sandbox
        .call("GET", "/api/v2/users/soft/export")
        .send()
        .json();
    assert!(
        soft_export["user"]["deleted_at"].is_string(),
        "{soft_export}"
    );
    sandbox
        .call("GET", "/api/v2/users/hard/export")
        .send()
        .assert_error(404, 16);

    let restore = sandbox
        .call("POST", "/api/v2/users/restore")
        .json(json!({"user_ids": ["soft", "prune"]}))
        .send();
    assert_eq!(restore.status, 201, "{}", restore.text);
    assert!(restore.json()["duration"].is_string());

    let restored = sandbox
        .query(json!({"filter_conditions": all,
        "sort": [{"field": "id", "direction": -1}]}))
        .json();
    let users = restored["users"].as_array().unwrap();
    assert_eq!(users.len(), 2, "{restored}");
    let (soft, pruned) = (&users[0], &users[1]);
    assert_eq!(soft["id"], "soft");
    assert_eq!(soft["name"], "Soft");
    assert_eq!(soft["image"], "https://example.com/p.png");
    assert_eq!(soft["custom"], json!({"color": "green"}));
    assert!(soft.get("deleted_at").is_none());
    assert_eq!(pruned["id"], "prune");
    assert!(pruned.get("name").is_none());
    assert!(pruned.get("image").is_none());
    assert_eq!(pruned["custom"], json!({}));

    let hard = sandbox
        .call("POST", "/api/v2/users/restore")
        .json(json!({"user_ids": ["hard"]}))
        .send();
    assert!(hard.assert_error(400, 4).contains("hard"));
}

#[test]
fn delete_hides_users_at_once() {
    let sandbox = Sandbox::start_with(Options {
        task_delay_ms: 1500,
        ..Default::default()
    });
    sandbox.upsert(json!([{"id": "nia"}]));

    let task_id = start_task(
        &sandbox,
        "/api/v2/users/delete",
        json!({"user_ids": ["nia"]}),
    );
    let visible = sandbox.query_ids(json!({"filter_conditions": {"id": "nia"}}));
    let pending = sandbox
        .call("GET", &format!("/api/v2/tasks/{task_id}"))
        .send()
        .json();

    assert_eq!(pending["status"], "pending");
    assert_eq!(visible, Vec::<String>::new());
}

#[test]
fn deleted_user_cannot_be_updated() {
    let sandbox = Sandbox::start();
    sandbox.upsert(json!([{"id": "olga"}]));
    let task_id = start_task(
        &sandbox,
        "/api/v2/users/delete",
        json!({"user_ids": ["olga"]}),
    );
    sandbox.wait_for_task(&task_id);

    let upsert = sandbox
        .call("POST", "/api/v2/users")
        .json(json!({"users": {"olga": {"id": "olga"}}}))
        .send();
    let partial = sandbox
        .call("PATCH", "/api/v2/users")
        .json(json!({"users": [{"id": "olga", "set": {"name": "O"}}]}))
        .send();
    let deactivate = sandbox
        .call("POST", "/api/v2/users/olga/deactivate")
        .json(json!({}))
        .send();

    assert!(upsert.assert_error(400, 4).contains("restore"));
    assert!(partial.assert_error(400, 4).contains("restore"));
    deactivate.assert_error(404, 16);
}

#[test]
fn bulk_requests_validated() {
    let sandbox = Sandbox::start();
    let many: Vec<String> = (0..101).map(|i| format!("u{i}")).collect();
    let cases = [
        (
            "/api/v2/users/delete",
            json!({"user_ids": ["a"], "user": "medium"}),
            "\"medium\"",
        ),
        (
            "/api/v2/users/delete",
            json!({"user_ids": ["a"], "messages": "all"}),
            "messages",
        ),
        (
            "/api/v2/users/delete",
            json!({"user_ids": ["a"], "calls": "pruning"}),
            "calls",
        ),
        (
            "/api/v2/users/delete",
            json!({"user_ids": ["a"], "conversations": 1}),
            "conversations",
        ),
        (
            "/api/v2/users/delete",
            json!({"user_ids": ["a"], "files": "yes"}),
            "files",
        ),
        (
            "/api/v2/users/delete",
            json!({"user_ids": ["a"], "new_channel_owner_id": "a b"}),
            "new_channel_owner_id",
        ),
        ("/api/v2/users/delete", json!({"user_ids": []}), "1 to 100"),
        ("/api/v2/users/delete", json!({"user_ids": many}), "got 101"),
        ("/api/v2/users/delete", json!({}), "user_ids"),
        (
            "/api/v2/users/deactivate",
            json!({"user_ids": "a"}),
            "user_ids",
        ),
        (
            "/api/v2/users/deactivate",
            json!({"user_ids": ["a'; DROP TABLE users; --"]}),
            "user_ids[0]",
        ),
        (
            "/api/v2/users/deactivate",
            json!({"user_ids": ["a"], "created_by_id": 5}),
            "created_by_id",
        ),
        (
            "/api/v2/users/reactivate",
            json!({"user_ids": [5]}),
            "user_ids[0]",
        ),
        (
            "/api/v2/users/restore",
            json!({"user_ids": ["../../etc/passwd"]}),
            "user_ids[0]",
        ),
    ];

    for (path, body, expected) in cases {
        let message = sandbox
            .call("POST", path)
            .json(body.clone())
            .send()
            .assert_error(400, 4);
        assert!(message.contains(expected), "{path} {body}: {message}");
    }
}

#[test]
fn empty_delete_modes_mean_unset() {
    let sandbox = Sandbox::start();
    sandbox.upsert(json!([{"id": "pat"}]));

    let task_id = start_task(
        &sandbox,
        "/api/v2/users/delete",
        json!({
        "user_ids": ["pat"], "user": "", "messages": "", "conversations": null}),
    );
    let (_, task) = sandbox.wait_for_task(&task_id);

    assert_eq!(task["status"], "completed");
    assert_eq!(task["result"]["users"]["pat"]["user"], "soft");
}

#[test]
fn unknown_task_not_found() {
    let sandbox = Sandbox::start();

    let reply = sandbox
        .call("GET", "/api/v2/tasks/00000000-0000-0000-0000-000000000000")
        .send();

    assert!(reply.assert_error(404, 16).contains("task"));
}
