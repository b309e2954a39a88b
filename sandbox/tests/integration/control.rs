//! The /_sandbox/ control API: health, secret check, faults, request log and reset.

use std::time::Duration;

use serde_json::json;

use crate::support::{now_secs, Sandbox, API_SECRET};

#[test]
fn health_needs_no_secret() {
    let sandbox = Sandbox::start();

    let reply = sandbox
        .control("GET", "health")
        .without_header("authorization")
        .send();

    assert_eq!(reply.status, 200);
    assert_eq!(reply.json(), json!({"ok": true}));
}

#[test]
fn control_needs_secret() {
    let sandbox = Sandbox::start();

    for path in ["reset", "faults", "requests"] {
        let method = if path == "reset" { "POST" } else { "GET" };
        let missing = sandbox
            .control(method, path)
            .without_header("authorization")
            .send();
        let wrong = sandbox
            .control(method, path)
            .header("authorization", "Bearer nope")
            .send();
        let no_bearer = sandbox
            .control(method, path)
            .header("authorization", API_SECRET)
            .send();
        for reply in [missing, wrong, no_bearer] {
            let message = reply.assert_error(401, 2);
            assert!(!message.contains(API_SECRET), "{message}");
        }
    }
}

#[test]
fn status_fault_counts_down() {
    let sandbox = Sandbox::start();
    let added = sandbox
        .control("POST", "faults")
        .json(json!({"method": "POST", "path": "/api/v2/users", "count": 2, "status": 503}))
        .send();
    assert_eq!(added.status, 201, "{}", added.text);
    assert_eq!(added.json()["faults"][0]["count"], 2);
    let upsert = || {
        sandbox
            .call("POST", "/api/v2/users")
            .json(json!({"users": {"a": {"id": "a"}}}))
            .send()
    };

    let first = upsert();
    let other_method = sandbox.query(json!({"filter_conditions": {}}));
    let pending = sandbox.control("GET", "faults").send().json();
    let second = upsert();
    let third = upsert();

    assert!(first.assert_error(503, -1).contains("injected fault"));
    assert!(first.header("x-ratelimit-limit").is_some());
    assert_eq!(first.json()["unrecoverable"], false);
    assert_eq!(other_method.status, 200);
    assert_eq!(pending["faults"][0]["count"], 1);
    second.assert_error(503, -1);
    assert_eq!(third.status, 201, "{}", third.text);
    assert_eq!(
        sandbox.control("GET", "faults").send().json(),
        json!({"faults": []})
    );
}

#[test]
fn every_fault_status_answers() {
    let sandbox = Sandbox::start();
    for (status, code) in [(500, -1), (502, -1), (503, -1), (504, -1), (429, 9)] {
        sandbox
            .control("POST", "faults")
            .json(json!({"status": status}))
            .send();

        let reply = sandbox.call("GET", "/api/v2/tasks/x").send();

        reply.assert_error(status, code);
    }
}

#[test]
fn rate_limit_fault_sets_reset() {
    let sandbox = Sandbox::start();
    sandbox
        .control("POST", "faults")
        .json(json!({"path": "/api/v2/users", "status": 429, "reset_in_secs": 7}))
        .send();
    let before = now_secs();

    let reply = sandbox.query(json!({"filter_conditions": {}}));

    reply.assert_error(429, 9);
    assert_eq!(reply.header("retry-after").as_deref(), Some("7"));
    assert_eq!(reply.header("x-ratelimit-remaining").as_deref(), Some("0"));
    let reset: i64 = reply.header("x-ratelimit-reset").unwrap().parse().unwrap();
    assert!(
        reset >= before + 7 && reset <= now_secs() + 7,
        "reset {reset}, before {before}"
    );
}

#[test]
fn delay_fault_stalls_then_handles() {
    let sandbox = Sandbox::start();
    sandbox
        .control("POST", "faults")
        .json(json!({"method": "GET", "path": "/api/v2/users", "delay_ms": 10000}))
        .send();
    let url = format!(
        "{}/api/v2/users?api_key={}&payload=%7B%22filter_conditions%22%3A%7B%7D%7D",
        sandbox.base_url,
        crate::support::API_KEY
    );
    let impatient: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_millis(300)))
        .build()
        .into();

    let stalled = impatient
        .get(&url)
        .header("stream-auth-type", "jwt")
        .header("authorization", &sandbox.server_token())
        .call();
    let next = sandbox.query(json!({"filter_conditions": {}}));

    assert!(
        matches!(stalled, Err(ureq::Error::Timeout(_))),
        "{stalled:?}"
    );
    assert_eq!(next.status, 200, "{}", next.text);
}

#[test]
fn delay_and_status_combine() {
    let sandbox = Sandbox::start();
    sandbox
        .control("POST", "faults")
        .json(json!({"path": "/api/v2/guest", "delay_ms": 50, "status": 502}))
        .send();

    let reply = sandbox
        .call("POST", "/api/v2/guest")
        .json(json!({"user": {"id": "g"}}))
        .send();

    reply.assert_error(502, -1);
}

#[test]
fn invalid_faults_rejected() {
    let sandbox = Sandbox::start();
    let cases = [
        json!({"status": 200}),
        json!({"status": "503"}),
        json!({"status": 503, "count": -1}),
        json!({"status": 503, "count": 1.5}),
        json!({"status": 503, "count": 0}),
        json!({"delay_ms": -5}),
        json!({"status": 429, "reset_in_secs": -1}),
        json!({"status": 503, "reset_in_secs": 1}),
        json!({"status": 503, "method": "FETCH"}),
        json!({"status": 503, "path": "api/v2/users"}),
        json!({"status": 503, "delay": 5}),
        json!({"count": 2}),
        json!([]),
    ];

    for fault in cases {
        let reply = sandbox.control("POST", "faults").json(fault.clone()).send();
        reply.assert_error(400, 4);
    }
    assert_eq!(
        sandbox.control("GET", "faults").send().json(),
        json!({"faults": []})
    );
}

#[test]
fn clearing_faults_removes_them() {
    let sandbox = Sandbox::start();
    sandbox
        .control("POST", "faults")
        .json(json!({"status": 500, "count": 5}))
        .send();

    let cleared = sandbox.control("DELETE", "faults").send();
    let reply = sandbox.query(json!({"filter_conditions": {}}));

    assert_eq!(cleared.json(), json!({"faults": []}));
    assert_eq!(reply.status, 200);
}

#[test]
fn request_log_records_api_requests() {
    let sandbox = Sandbox::start();
    sandbox
        .call("POST", "/api/v2/users")
        .header("x-client-request-id", "req-123")
        .json(json!({"users": {"a": {"id": "a"}}}))
        .send();
    sandbox.call("GET", "/api/v2/tasks/none").send();
    sandbox.control("GET", "faults").send();

    let log = sandbox.control("GET", "requests").send().json();

    let requests = log["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 2, "{log}");
    assert_eq!(requests[0]["method"], "POST");
    assert_eq!(requests[0]["path"], "/api/v2/users");
    assert_eq!(requests[0]["status"], 201);
    assert_eq!(requests[0]["request_id"], "req-123");
    assert!(requests[0]["at"].is_string());
    assert_eq!(requests[1]["path"], "/api/v2/tasks/none");
    assert_eq!(requests[1]["status"], 404);
    assert!(!requests[1]["request_id"].as_str().unwrap().is_empty());
}

#[test]
fn request_log_keeps_last_thousand() {
    let sandbox = Sandbox::start_with(crate::support::Options {
        extra: vec![String::from("--rate-limit"), String::from("100000")],
        ..Default::default()
    });
    for index in 0..1005 {
        sandbox
            .call("GET", &format!("/api/v2/tasks/t{index}"))
            .send();
    }

    let log = sandbox.control("GET", "requests").send().json();

    let requests = log["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 1000);
    assert_eq!(requests[0]["path"], "/api/v2/tasks/t5");
    assert_eq!(requests[999]["path"], "/api/v2/tasks/t1004");
}

#[test]
fn reset_clears_everything() {
    let sandbox = Sandbox::start_with(crate::support::Options {
        extra: vec![String::from("--rate-limit"), String::from("3")],
        ..Default::default()
    });
    sandbox.upsert(json!([{"id": "a"}]));
    sandbox.upsert(json!([{"id": "b"}]));
    let task = sandbox
        .call("POST", "/api/v2/users/deactivate")
        .json(json!({"user_ids": ["a"]}))
        .send()
        .json();
    sandbox
        .control("POST", "faults")
        .json(json!({"path": "/nowhere", "status": 500}))
        .send();

    let reset = sandbox.control("POST", "reset").send();

    assert_eq!(reset.status, 200, "{}", reset.text);
    assert_eq!(
        sandbox.control("GET", "faults").send().json(),
        json!({"faults": []})
    );
    assert_eq!(
        sandbox.control("GET", "requests").send().json(),
        json!({"requests": []})
    );
    let after = sandbox
        .call("POST", "/api/v2/users")
        .json(json!({"users": {"c": {"id": "c"}}}))
        .send();
    assert_eq!(
        after.status, 201,
        "the rate-limit count was reset: {}",
        after.text
    );
    assert_eq!(after.header("x-ratelimit-remaining").as_deref(), Some("2"));
    assert_eq!(sandbox.query_ids(json!({"filter_conditions": {}})), ["c"]);
    let task_path = format!("/api/v2/tasks/{}", task["task_id"].as_str().unwrap());
    sandbox.call("GET", &task_path).send().assert_error(404, 16);
}
