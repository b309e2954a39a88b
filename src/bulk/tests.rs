use serde_json::{json, Value};

use super::*;
use crate::decoded::Decoded;
use crate::rate_limit::RateLimit;

fn body(request: &ApiRequest) -> Value {
    serde_json::from_str(request.body.as_deref().unwrap_or("null")).unwrap()
}

fn users(prefix: &str, count: usize) -> Vec<Value> {
    (0..count)
        .map(|i| json!({"id": format!("{prefix}-{i}"), "name": format!("User {i}")}))
        .collect()
}

fn ids(prefix: &str, count: usize) -> Vec<String> {
    (0..count).map(|i| format!("{prefix}-{i}")).collect()
}

fn sizes(chunks: &[Chunk]) -> Vec<usize> {
    chunks.iter().map(|chunk| chunk.ids.len()).collect()
}

fn text(value: &str) -> Decoded {
    Decoded::String(value.to_owned())
}

fn object(entries: &[(&str, Decoded)]) -> Decoded {
    Decoded::Object(
        entries
            .iter()
            .map(|(key, value)| ((*key).to_owned(), value.clone()))
            .collect(),
    )
}

fn limit(remaining: f64, reset_secs: f64) -> RateLimit {
    RateLimit {
        limit: Some(10.0),
        remaining: Some(remaining),
        reset_unix_secs: Some(reset_secs),
    }
}

#[test]
fn concurrency_default_and_bounds() {
    let read = |value: Option<&Value>| concurrency_from_json("upsertUsers", value).ok();

    assert_eq!(read(None), Some(DEFAULT_CONCURRENCY));
    assert_eq!(read(Some(&Value::Null)), Some(DEFAULT_CONCURRENCY));
    assert_eq!(read(Some(&json!(1))), Some(1));
    assert_eq!(read(Some(&json!(MAX_CONCURRENCY))), Some(MAX_CONCURRENCY));
}

#[test]
fn concurrency_errors_name_value() {
    for (value, shown) in [
        (json!(0), "0"),
        (json!(-2), "-2"),
        (json!(2.5), "2.5"),
        (json!(17), "17"),
        (json!("4"), "\"4\""),
    ] {
        let error = concurrency_from_json("deleteUsers", Some(&value)).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "deleteUsers: options.concurrency must be a whole number from 1 to 16, got {shown}"
            )
        );
    }
}

#[test]
fn plan_of_hundred_users_is_one_request() {
    let input = Value::Array(users("u", 100));

    let chunks = plan(Operation::UpsertUsers, Some(&input)).unwrap();

    assert_eq!(chunks.len(), 1);
    assert_eq!(
        chunks[0].request,
        requests::upsert_users(Some(&input)).unwrap()
    );
    assert_eq!(chunks[0].ids, ids("u", 100));
}

#[test]
fn plan_splits_upsert_array() {
    let input = Value::Array(users("u", 250));

    let chunks = plan(Operation::UpsertUsers, Some(&input)).unwrap();

    assert_eq!(sizes(&chunks), [100, 100, 50]);
    assert_eq!(chunks[2].ids, ids("u", 250)[200..]);
    let last = body(&chunks[2].request);
    let keys: Vec<&String> = last["users"].as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 50);
    assert_eq!(keys[0], "u-200");
    assert_eq!(
        last["users"]["u-249"],
        json!({"id": "u-249", "name": "User 249"})
    );
}

#[test]
fn plan_splits_keyed_upsert() {
    let by_id: serde_json::Map<String, Value> = users("k", 101)
        .into_iter()
        .map(|user| (user["id"].as_str().unwrap().to_owned(), user))
        .collect();
    let input = json!({ "users": by_id });

    let chunks = plan(Operation::UpsertUsers, Some(&input)).unwrap();

    assert_eq!(sizes(&chunks), [100, 1]);
    assert_eq!(chunks[1].ids, ["k-100"]);
    assert_eq!(
        body(&chunks[1].request),
        json!({"users": {"k-100": {"id": "k-100", "name": "User 100"}}})
    );
}

#[test]
fn plan_rejects_duplicate_across_chunks() {
    let mut list = users("u", 150);
    list[140] = json!({"id": "u-3"});

    let error = plan(Operation::UpsertUsers, Some(&Value::Array(list))).unwrap_err();

    assert_eq!(
        error.to_string(),
        "upsertUsers: users[140].id \"u-3\" repeats the id of users[3]; each user may appear \
         once per call, so merge the two"
    );
}

#[test]
fn plan_checks_last_chunk_first() {
    let mut list = users("u", 250);
    list[249] = json!({"id": ""});

    let error = plan(Operation::UpsertUsers, Some(&Value::Array(list))).unwrap_err();

    assert!(error.to_string().contains("users[249].id"), "{error}");
}

#[test]
fn plan_splits_partial_update() {
    let updates: Vec<Value> = (0..205)
        .map(|i| json!({"id": format!("p-{i}"), "set": {"name": "N"}}))
        .collect();
    let input = json!({ "users": updates, "ignored": true });

    let chunks = plan(Operation::UpdateUsersPartial, Some(&input)).unwrap();

    assert_eq!(sizes(&chunks), [100, 100, 5]);
    assert_eq!(chunks[1].request.method.as_str(), "PATCH");
    let last = body(&chunks[2].request);
    assert_eq!(last["users"].as_array().unwrap().len(), 5);
    assert_eq!(
        last["users"][0],
        json!({"id": "p-200", "set": {"name": "N"}})
    );
    assert_eq!(last.get("ignored"), None);
}

#[test]
fn partial_update_duplicates_only_when_split() {
    let twice = json!({"users": [{"id": "a", "set": {"x": 1}}, {"id": "a", "set": {"y": 2}}]});
    let mut many: Vec<Value> = (0..101).map(|i| json!({"id": format!("p-{i}")})).collect();
    many[100] = json!({"id": "p-0", "unset": ["name"]});

    let one_request = plan(Operation::UpdateUsersPartial, Some(&twice)).unwrap();
    let error = plan(
        Operation::UpdateUsersPartial,
        Some(&json!({ "users": many })),
    )
    .unwrap_err();

    assert_eq!(one_request.len(), 1);
    assert_eq!(
        error.to_string(),
        "updateUsersPartial: users[100].id \"p-0\" repeats the id of users[0].id; a list of \
         more than 100 is sent as concurrent requests, so each ID may appear once; merge the two"
    );
}

#[test]
fn plan_splits_ids_with_every_option() {
    let input = json!({
        "user_ids": ids("d", 201),
        "user": "hard",
        "messages": "soft",
        "new_channel_owner_id": "owner"
    });

    let chunks = plan(Operation::DeleteUsers, Some(&input)).unwrap();

    assert_eq!(sizes(&chunks), [100, 100, 1]);
    assert_eq!(chunks[0].request.path, "/api/v2/users/delete");
    assert_eq!(
        body(&chunks[2].request),
        json!({
            "user_ids": ["d-200"],
            "messages": "soft",
            "new_channel_owner_id": "owner",
            "user": "hard"
        })
    );
}

#[test]
fn plan_of_each_id_operation() {
    let input = json!({ "user_ids": ids("r", 101) });
    let cases = [
        (Operation::DeactivateUsers, "/api/v2/users/deactivate"),
        (Operation::ReactivateUsers, "/api/v2/users/reactivate"),
        (Operation::RestoreUsers, "/api/v2/users/restore"),
    ];

    for (operation, path) in cases {
        let chunks = plan(operation, Some(&input)).unwrap();
        assert_eq!(sizes(&chunks), [100, 1], "{path}");
        assert_eq!(chunks[1].request.path, path);
        assert_eq!(chunks[1].request.operation, operation);
    }
}

#[test]
fn plan_rejects_duplicate_ids_when_split() {
    let mut list = ids("r", 120);
    list[119] = String::from("r-7");

    let error = plan(Operation::RestoreUsers, Some(&json!({ "user_ids": list }))).unwrap_err();

    assert!(
        error
            .to_string()
            .starts_with("restoreUsers: user_ids[119] \"r-7\" repeats the id of user_ids[7]"),
        "{error}"
    );
}

#[test]
fn plan_keeps_single_request_errors() {
    let error = plan(Operation::DeactivateUsers, Some(&json!({"user_ids": []}))).unwrap_err();
    let other = plan(Operation::GetTask, Some(&json!({"id": "t"}))).unwrap_err();

    assert_eq!(
        error.to_string(),
        "deactivateUsers: user_ids must contain at least one user ID"
    );
    assert_eq!(other.kind().as_str(), "internal");
}

fn run_of(chunks: usize, concurrency: usize) -> BulkRun {
    BulkRun::new(
        (0..chunks).map(|i| vec![format!("c{i}")]).collect(),
        concurrency,
    )
}

#[test]
fn run_bounds_concurrency() {
    let mut run = run_of(5, 2);
    let no_limit = RateLimit::default();

    assert_eq!(run.next_step(0.0), Step::Launch(0));
    assert_eq!(run.next_step(0.0), Step::Launch(1));
    assert_eq!(run.next_step(0.0), Step::Wait { until_ms: None });
    run.succeed(1, object(&[]), &no_limit);
    assert_eq!(run.next_step(0.0), Step::Launch(2));
    assert_eq!(run.next_step(0.0), Step::Wait { until_ms: None });
}

#[test]
fn run_finishes_after_last_chunk() {
    let mut run = run_of(2, 4);
    let no_limit = RateLimit::default();
    run.next_step(0.0);
    run.next_step(0.0);

    assert_eq!(run.next_step(0.0), Step::Wait { until_ms: None });
    run.succeed(0, object(&[]), &no_limit);
    let progress = run.succeed(1, object(&[]), &no_limit);

    assert_eq!(run.next_step(0.0), Step::Finish);
    assert!(run.all_done());
    assert_eq!(
        progress,
        Progress {
            done: 2,
            total: 2,
            chunks_done: 2,
            chunks_total: 2
        }
    );
}

#[test]
fn run_waits_for_rate_limit_reset() {
    let mut run = run_of(4, 4);
    run.next_step(0.0);
    run.succeed(0, object(&[]), &limit(0.0, 60.0));

    assert_eq!(
        run.next_step(59_000.0),
        Step::Wait {
            until_ms: Some(60_000.0)
        }
    );
    assert_eq!(run.next_step(60_000.0), Step::Launch(1));
}

#[test]
fn run_counts_chunks_in_flight_against_remaining() {
    let mut run = run_of(6, 4);
    for index in 0..3 {
        assert_eq!(run.next_step(0.0), Step::Launch(index));
    }
    // Two requests left, and two chunks in flight may not be counted in that yet.
    run.succeed(0, object(&[]), &limit(2.0, 60.0));

    assert_eq!(
        run.next_step(1_000.0),
        Step::Wait {
            until_ms: Some(60_000.0)
        }
    );
    run.succeed(1, object(&[]), &limit(1.0, 60.0));
    assert_eq!(
        run.next_step(1_000.0),
        Step::Wait {
            until_ms: Some(60_000.0)
        }
    );
    run.succeed(2, object(&[]), &limit(4.0, 60.0));
    // The lower remaining of the same window counts, whatever order responses arrive in.
    assert_eq!(run.next_step(1_000.0), Step::Launch(3));
    assert_eq!(
        run.next_step(1_000.0),
        Step::Wait {
            until_ms: Some(60_000.0)
        }
    );
}

#[test]
fn run_ignores_response_of_older_window() {
    let mut run = run_of(3, 1);
    run.next_step(0.0);
    run.succeed(0, object(&[]), &limit(5.0, 120.0));
    run.next_step(0.0);
    run.succeed(1, object(&[]), &limit(0.0, 60.0));

    assert_eq!(run.next_step(61_000.0), Step::Launch(2));
}

#[test]
fn run_without_rate_headers_never_waits() {
    let mut run = run_of(2, 1);
    run.next_step(0.0);
    let unreadable = RateLimit {
        limit: Some(f64::NAN),
        remaining: Some(f64::NAN),
        reset_unix_secs: None,
    };
    run.succeed(0, object(&[]), &unreadable);

    assert_eq!(run.next_step(0.0), Step::Launch(1));
}

#[test]
fn run_stops_after_failure() {
    let mut run = BulkRun::new(vec![ids("a", 2), ids("b", 2), ids("c", 2), ids("d", 1)], 2);
    let no_limit = RateLimit::default();
    run.next_step(0.0);
    run.next_step(0.0);

    run.fail(1);
    assert_eq!(run.next_step(0.0), Step::Wait { until_ms: None });
    run.succeed(0, object(&[]), &no_limit);
    assert_eq!(run.next_step(0.0), Step::Finish);

    let sorted = run.chunk_ids();
    assert_eq!(sorted.done, ids("a", 2));
    assert_eq!(sorted.failed, ids("b", 2));
    assert_eq!(sorted.unsent, ["c-0", "c-1", "d-0"]);
    assert!(!run.all_done());
}

#[test]
fn run_stop_counts_in_flight_as_failed() {
    let mut run = run_of(3, 2);
    run.next_step(0.0);
    run.next_step(0.0);

    run.stop();

    assert_eq!(run.next_step(0.0), Step::Wait { until_ms: None });
    let sorted = run.chunk_ids();
    assert_eq!(sorted.failed, ["c0", "c1"]);
    assert_eq!(sorted.unsent, ["c2"]);
}

#[test]
fn partial_failure_names_chunk_and_keeps_source() {
    let mut run = BulkRun::new(vec![ids("a", 100), ids("b", 100), ids("c", 50)], 1);
    run.next_step(0.0);
    run.succeed(0, object(&[]), &RateLimit::default());
    run.next_step(0.0);
    run.fail(1);
    let source = StreamError::invalid_argument("upsertUsers", "x", "is wrong");

    let error = run.partial_failure("upsertUsers", Some(1), source);

    assert_eq!(
        error.to_string(),
        "upsertUsers: request 2 of 3 (IDs \"b-0\" to \"b-99\") failed; 100 of 250 user IDs were \
         done in 1 request, and error.partial lists the done, failed and unsent IDs. Cause: \
         upsertUsers: x is wrong"
    );
    assert_eq!(error.kind().as_str(), "invalid_argument");
    assert_eq!(error.operation(), "upsertUsers");
}

#[test]
fn merge_upsert_users_in_chunk_order() {
    let first = object(&[
        ("users", object(&[("a", text("A")), ("b", text("B"))])),
        ("membership_deletion_task_id", text("")),
        ("duration", text("1ms")),
    ]);
    let second = object(&[
        ("users", object(&[("c", text("C"))])),
        ("membership_deletion_task_id", text("m-2")),
        ("duration", text("2ms")),
    ]);

    let merged = merge(Operation::UpsertUsers, &[&first, &second], Some(0));

    assert_eq!(
        merged,
        object(&[
            (
                "users",
                object(&[("a", text("A")), ("b", text("B")), ("c", text("C"))])
            ),
            ("membership_deletion_task_id", text("m-2")),
            ("duration", text("1ms")),
            (
                "membership_deletion_task_ids",
                Decoded::Array(vec![text("m-2")])
            ),
        ])
    );
}

#[test]
fn merge_task_ids() {
    let bodies: Vec<Decoded> = ["t1", "t2", "t3"]
        .iter()
        .map(|id| object(&[("task_id", text(id)), ("duration", text(id))]))
        .collect();
    let refs: Vec<&Decoded> = bodies.iter().collect();

    let merged = merge(Operation::DeleteUsers, &refs, None);

    assert_eq!(
        merged,
        object(&[
            ("task_id", text("t1")),
            ("duration", text("t3")),
            (
                "task_ids",
                Decoded::Array(vec![text("t1"), text("t2"), text("t3")])
            ),
        ])
    );
}

#[test]
fn merge_without_bodies() {
    assert_eq!(
        merge(Operation::DeactivateUsers, &[], None),
        object(&[("task_ids", Decoded::Array(Vec::new()))])
    );
    assert_eq!(
        merge(Operation::UpdateUsersPartial, &[], None),
        object(&[
            ("users", object(&[])),
            ("membership_deletion_task_ids", Decoded::Array(Vec::new())),
        ])
    );
    assert_eq!(merge(Operation::RestoreUsers, &[], None), object(&[]));
}

#[test]
fn last_arrived_body_position() {
    let mut run = run_of(3, 3);
    let no_limit = RateLimit::default();
    for _ in 0..3 {
        run.next_step(0.0);
    }
    run.succeed(2, object(&[("n", text("2"))]), &no_limit);
    run.succeed(0, object(&[("n", text("0"))]), &no_limit);

    assert_eq!(run.last_arrived_body(), Some(0));
    run.succeed(1, object(&[("n", text("1"))]), &no_limit);
    assert_eq!(run.last_arrived_body(), Some(1));
    let merged = merge(
        Operation::RestoreUsers,
        &run.bodies(),
        run.last_arrived_body(),
    );
    assert_eq!(merged, object(&[("n", text("1"))]));
}

#[test]
fn without_users_keeps_other_fields() {
    let body = object(&[
        ("users", object(&[("a", text("A"))])),
        ("duration", text("1ms")),
    ]);

    assert_eq!(
        without_users(&body),
        object(&[("users", object(&[])), ("duration", text("1ms"))])
    );
    assert_eq!(without_users(&text("x")), text("x"));
}
