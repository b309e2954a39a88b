//! Durability across restarts, task recovery, start-up output, logging, flags and the demo
//! folder.

use std::process::{Command, Stdio};

use serde_json::json;

use crate::support::{raw_exchange, write_file, Options, Sandbox, TempDir, API_SECRET};

fn file_options(dir: &TempDir, task_delay_ms: u64) -> Options {
    Options {
        db: dir.join("sandbox.db").to_string_lossy().into_owned(),
        task_delay_ms,
        ..Default::default()
    }
}

#[test]
fn data_survives_restart() {
    let dir = TempDir::new("restart");
    let mut first = Sandbox::start_with(file_options(&dir, 20));
    first.upsert(json!([{"id": "kept", "name": "Kept", "custom": {"n": 1}}, {"id": "gone"}]));
    first
        .call("PATCH", "/api/v2/users")
        .json(json!({"users": [{"id": "kept", "set": {"n": 2}}]}))
        .send();
    let task = first
        .call("POST", "/api/v2/users/delete")
        .json(json!({"user_ids": ["gone"], "user": "hard"}))
        .send()
        .json();
    first.wait_for_task(task["task_id"].as_str().unwrap());

    let status = first.terminate();
    assert!(status.success(), "exit status {status}");
    let second = Sandbox::start_with(file_options(&dir, 20));

    let stored = second.query(json!({"filter_conditions": {}})).json();
    assert_eq!(stored["users"].as_array().unwrap().len(), 1, "{stored}");
    assert_eq!(stored["users"][0]["name"], "Kept");
    assert_eq!(stored["users"][0]["custom"]["n"], 2);
    let task_path = format!("/api/v2/tasks/{}", task["task_id"].as_str().unwrap());
    assert_eq!(
        second.call("GET", &task_path).send().json()["status"],
        "completed"
    );
}

#[test]
fn acknowledged_write_survives_kill() {
    let dir = TempDir::new("kill");
    let mut first = Sandbox::start_with(file_options(&dir, 20));
    first.upsert(json!([{"id": "acked", "name": "Acked"}]));

    first.kill();
    let second = Sandbox::start_with(file_options(&dir, 20));

    let stored = second
        .query(json!({"filter_conditions": {"id": "acked"}}))
        .json();
    assert_eq!(stored["users"][0]["name"], "Acked");
}

#[test]
fn database_uses_write_ahead_log() {
    let dir = TempDir::new("wal");
    let mut sandbox = Sandbox::start_with(file_options(&dir, 20));
    sandbox.upsert(json!([{"id": "w"}]));
    sandbox.terminate();

    let connection = rusqlite::Connection::open(dir.join("sandbox.db")).unwrap();
    let mode: String = connection
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .unwrap();
    let check: String = connection
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();

    assert_eq!(mode, "wal");
    assert_eq!(check, "ok");
}

#[test]
fn pending_task_resumes_after_restart() {
    let dir = TempDir::new("resume");
    let mut first = Sandbox::start_with(file_options(&dir, 5000));
    first.upsert(json!([{"id": "r1"}, {"id": "r2"}]));
    let task = first
        .call("POST", "/api/v2/users/deactivate")
        .json(json!({"user_ids": ["r1", "r2"]}))
        .send()
        .json();
    let task_id = task["task_id"].as_str().unwrap().to_owned();

    first.kill();
    let second = Sandbox::start_with(file_options(&dir, 20));
    let (_, finished) = second.wait_for_task(&task_id);

    assert_eq!(finished["status"], "completed");
    assert_eq!(
        second.query_ids(json!({"filter_conditions": {}})),
        Vec::<String>::new()
    );
    assert!(second
        .logs_containing("resumed_tasks=")
        .contains("resumed_tasks=1"));
}

#[test]
fn start_up_lines_and_request_log() {
    let sandbox = Sandbox::start();
    let token = sandbox.server_token();
    sandbox
        .call("POST", "/api/v2/users")
        .header("x-client-request-id", "trace-me")
        .json(json!({"users": {"a": {"id": "a"}}}))
        .send();
    let secret_as_key = sandbox
        .call("GET", "/api/v2/users")
        .without_query("api_key")
        .query("api_key", API_SECRET)
        .send();
    sandbox.control("GET", "health").send();

    let lines = sandbox.banner();
    let logs = sandbox.logs_containing("path=/_sandbox/health");

    assert!(
        regex::Regex::new(r"^stream-sandbox listening on http://127\.0\.0\.1:\d+$")
            .unwrap()
            .is_match(&lines[0])
    );
    let banner = lines.join("\n");
    assert!(banner.contains("test-key"), "{banner}");
    assert!(banner.contains("not printed"), "{banner}");
    assert!(!banner.contains(API_SECRET), "{banner}");
    assert!(banner.contains("curl '"), "{banner}");
    let line = logs
        .lines()
        .find(|line| line.contains("trace-me"))
        .expect("a log line");
    for part in [
        "method=POST",
        "path=/api/v2/users",
        "status=201",
        "duration_ms=",
    ] {
        assert!(line.contains(part), "{part} not in {line}");
    }
    assert!(!logs.contains(API_SECRET), "the log holds the secret");
    assert!(
        !secret_as_key.text.contains(API_SECRET),
        "{}",
        secret_as_key.text
    );
    assert!(logs.contains("error_code=2"), "{logs}");
    assert!(!logs.contains(&token), "the log holds a token");
}

#[test]
fn default_secret_printed_as_sandbox_only() {
    let mut command = Command::new(env!("CARGO_BIN_EXE_stream-sandbox"));
    command
        .args(["--port", "0", "--db", ":memory:"])
        .env_remove("STREAM_SANDBOX_API_KEY")
        .env_remove("STREAM_SANDBOX_API_SECRET")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());

    let sandbox = Sandbox::spawn(command);
    let banner = sandbox.banner().join("\n");

    assert!(banner.contains("sandbox-key"), "{banner}");
    assert!(banner.contains("sandbox-secret"), "{banner}");
    assert!(banner.contains("sandbox-only"), "{banner}");
}

#[test]
fn environment_sets_key_and_secret() {
    let mut command = Command::new(env!("CARGO_BIN_EXE_stream-sandbox"));
    command
        .args(["--port", "0", "--db", ":memory:"])
        .env("STREAM_SANDBOX_API_KEY", crate::support::API_KEY)
        .env("STREAM_SANDBOX_API_SECRET", API_SECRET)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let sandbox = Sandbox::spawn(command);

    let reply = sandbox.query(json!({"filter_conditions": {}}));

    assert_eq!(reply.status, 200, "{}", reply.text);
}

#[test]
fn invalid_flags_exit_with_error() {
    let cases: [&[&str]; 4] = [
        &["--rate-limit", "0"],
        &["--role", "bad role"],
        &["--api-secret", ""],
        &["--demo-dir", "/nonexistent/folder"],
    ];
    for args in cases {
        let output = Command::new(env!("CARGO_BIN_EXE_stream-sandbox"))
            .args(["--port", "0", "--db", ":memory:"])
            .args(args)
            .output()
            .unwrap();
        assert!(!output.status.success(), "{args:?} was accepted");
        assert!(output.stdout.is_empty(), "{args:?} printed a URL");
        assert!(!output.stderr.is_empty(), "{args:?} gave no reason");
    }
}

#[test]
fn demo_folder_served_without_traversal() {
    let dir = TempDir::new("demo");
    write_file(&dir.join("site/index.html"), "<h1>demo</h1>");
    write_file(&dir.join("site/app.mjs"), "export const x = 1;");
    write_file(&dir.join("outside.txt"), "outside text");
    let sandbox = Sandbox::start_with(Options {
        extra: vec![
            String::from("--demo-dir"),
            dir.join("site").to_string_lossy().into_owned(),
        ],
        ..Default::default()
    });

    let index = sandbox.call("GET", "/demo/").send();
    let script = sandbox.call("GET", "/demo/app.mjs").send();
    let bare = sandbox.call("GET", "/demo").send();

    assert_eq!(index.status, 200);
    assert!(index.text.contains("<h1>demo</h1>"));
    assert_eq!(script.status, 200);
    assert!(script
        .header("content-type")
        .unwrap()
        .contains("javascript"));
    assert_eq!(bare.status, 308);
    assert_eq!(bare.header("location").as_deref(), Some("/demo/"));
    for path in [
        "/demo/../outside.txt",
        "/demo/..%2foutside.txt",
        "/demo/%2e%2e/outside.txt",
    ] {
        let request = format!("GET {path} HTTP/1.1\r\nHost: sandbox\r\nConnection: close\r\n\r\n");
        let (status, body) = raw_exchange(&sandbox.address(), request.as_bytes());
        assert!(status < 500, "{path}: {status}");
        assert!(
            !body.contains("outside text"),
            "{path} served a file outside the folder"
        );
    }
}
