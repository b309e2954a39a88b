//! Query users: filters, sort, paging and their validation.

use serde_json::json;

use crate::support::Sandbox;

fn seeded() -> Sandbox {
    let sandbox = Sandbox::start();
    sandbox.upsert(json!([
        {"id": "q-ann", "name": "Annabel Query", "teams": ["red"], "custom": {"level": 3}},
        {"id": "q-ben", "name": "Ben Query", "role": "admin", "teams": ["blue", "red"],
         "custom": {"level": 5, "tags": ["vip"]}},
        {"id": "q-cat", "name": "Query Anna", "language": "fr"},
        {"id": "q-dan", "role": "moderator", "custom": {"level": 1, "nick": "dd"}},
    ]));
    sandbox
}

#[test]
fn filters_select_users() {
    let sandbox = seeded();
    let cases = [
        (json!({"id": "q-ann"}), vec!["q-ann"]),
        (json!({"id": {"$eq": "q-ben"}}), vec!["q-ben"]),
        (
            json!({"id": {"$ne": "q-ben"}}),
            vec!["q-ann", "q-cat", "q-dan"],
        ),
        (
            json!({"id": {"$in": ["q-ann", "q-dan", "nobody"]}}),
            vec!["q-ann", "q-dan"],
        ),
        (
            json!({"id": {"$nin": ["q-ann", "q-dan"]}}),
            vec!["q-ben", "q-cat"],
        ),
        (
            json!({"id": {"$gt": "q-b"}}),
            vec!["q-ben", "q-cat", "q-dan"],
        ),
        (
            json!({"name": {"$autocomplete": "ann"}}),
            vec!["q-ann", "q-cat"],
        ),
        (json!({"name": {"$exists": false}}), vec!["q-dan"]),
        (
            json!({"name": {"$in": ["Ben Query", "Query Anna"]}}),
            vec!["q-ben", "q-cat"],
        ),
        (json!({"role": "user"}), vec!["q-ann", "q-cat"]),
        (
            json!({"role": {"$in": ["admin", "moderator"]}}),
            vec!["q-ben", "q-dan"],
        ),
        (json!({"teams": {"$in": ["red"]}}), vec!["q-ann", "q-ben"]),
        (json!({"teams": {"$eq": "blue"}}), vec!["q-ben"]),
        (
            json!({"teams": {"$contains": "red"}}),
            vec!["q-ann", "q-ben"],
        ),
        (json!({"language": "fr"}), vec!["q-cat"]),
        (json!({"level": {"$eq": 5}}), vec!["q-ben"]),
        (json!({"level": {"$gte": 3}}), vec!["q-ann", "q-ben"]),
        (json!({"level": {"$lt": 3}}), vec!["q-dan"]),
        (
            json!({"level": {"$exists": true}}),
            vec!["q-ann", "q-ben", "q-dan"],
        ),
        (json!({"tags": {"$contains": "vip"}}), vec!["q-ben"]),
        (json!({"nick": "dd"}), vec!["q-dan"]),
        (
            json!({"banned": false}),
            vec!["q-ann", "q-ben", "q-cat", "q-dan"],
        ),
        (
            json!({"$or": [{"id": "q-ann"}, {"level": 1}]}),
            vec!["q-ann", "q-dan"],
        ),
        (
            json!({"$and": [{"teams": {"$in": ["red"]}}, {"role": "admin"}]}),
            vec!["q-ben"],
        ),
        (json!({"$nor": [{"role": "user"}]}), vec!["q-ben", "q-dan"]),
        (
            json!({"created_at": {"$gt": "2000-01-01T00:00:00Z"}}),
            vec!["q-ann", "q-ben", "q-cat", "q-dan"],
        ),
        (
            json!({"created_at": {"$lt": "2000-01-01T00:00:00Z"}}),
            vec![],
        ),
        (json!({"quote'\" OR 1=1": 1}), vec![]),
    ];

    for (filter, expected) in cases {
        let payload =
            json!({"filter_conditions": filter, "sort": [{"field": "id", "direction": 1}]});
        assert_eq!(sandbox.query_ids(payload), expected, "filter {filter}");
    }
}

#[test]
fn sort_and_paging() {
    let sandbox = seeded();
    let all = json!({"id": {"$in": ["q-ann", "q-ben", "q-cat", "q-dan"]}});

    let by_level = sandbox.query_ids(json!({"filter_conditions": all,
        "sort": [{"field": "level", "direction": -1}, {"field": "id", "direction": 1}]}));
    let by_role = sandbox.query_ids(json!({"filter_conditions": all,
        "sort": [{"field": "role", "direction": 1}, {"field": "name", "direction": -1}]}));
    let page = sandbox.query_ids(json!({"filter_conditions": all,
        "sort": [{"field": "id", "direction": 1}], "limit": 2, "offset": 1}));
    let default_order = sandbox.query_ids(json!({"filter_conditions": all}));

    assert_eq!(by_level, ["q-ben", "q-ann", "q-dan", "q-cat"]);
    assert_eq!(by_role, ["q-ben", "q-dan", "q-cat", "q-ann"]);
    assert_eq!(page, ["q-ben", "q-cat"]);
    assert_eq!(default_order, ["q-ann", "q-ben", "q-cat", "q-dan"]);
}

#[test]
fn default_limit_is_thirty() {
    let sandbox = Sandbox::start();
    let users: Vec<_> = (0..40).map(|i| json!({"id": format!("u{i:02}")})).collect();
    sandbox.upsert(json!(users));

    let default_page = sandbox.query_ids(json!({"filter_conditions": {}}));
    let full_page = sandbox.query_ids(json!({"filter_conditions": {}, "limit": 100}));

    assert_eq!(default_page.len(), 30);
    assert_eq!(full_page.len(), 40);
}

#[test]
fn invalid_queries_rejected() {
    let sandbox = seeded();
    let cases = [
        (json!({"filter_conditions": {}, "limit": 101}), "limit"),
        (json!({"filter_conditions": {}, "limit": -1}), "limit"),
        (json!({"filter_conditions": {}, "limit": 1.5}), "limit"),
        (json!({"filter_conditions": {}, "limit": "10"}), "limit"),
        (json!({"filter_conditions": {}, "offset": 1001}), "offset"),
        (
            json!({"filter_conditions": {}, "include_deactivated_users": "yes"}),
            "include_deactivated_users",
        ),
        (
            json!({"filter_conditions": {}, "sort": [{"field": "name", "direction": "asc"}]}),
            "sort[0].direction",
        ),
        (
            json!({"filter_conditions": {}, "sort": vec![json!({"field": "name"}); 6]}),
            "maximum of 5",
        ),
        (
            json!({"filter_conditions": {}, "sort": {"field": "name"}}),
            "sort",
        ),
        (
            json!({"filter_conditions": {"name": {"$regex": ".*"}}}),
            "$regex",
        ),
        (json!({"filter_conditions": {"name": {"$ne": "x"}}}), "$ne"),
        (
            json!({"filter_conditions": {"id": {"$in": "q-ann"}}}),
            "$in",
        ),
        (
            json!({"filter_conditions": {"id": {"$eq": 5}}}),
            "filter_conditions.id.$eq",
        ),
        (json!({"filter_conditions": {"id": ["q-ann"]}}), "$in"),
        (json!({"filter_conditions": {"id": {}}}), "no operator"),
        (json!({"filter_conditions": {"$where": "1"}}), "$where"),
        (json!({"filter_conditions": {"$or": "x"}}), "$or"),
        (json!({"filter_conditions": {"$or": []}}), "at least one"),
        (
            json!({"filter_conditions": {"created_at": {"$gt": "yesterday"}}}),
            "yesterday",
        ),
        (
            json!({"filter_conditions": {"name": {"$exists": 1}}}),
            "$exists",
        ),
        (json!({"filter_conditions": [1, 2]}), "filter_conditions"),
        (json!({"limit": 10}), "filter_conditions"),
        (json!([]), "payload"),
    ];

    for (payload, expected) in cases {
        let message = sandbox.query(payload.clone()).assert_error(400, 4);
        assert!(message.contains(expected), "{payload}: {message}");
        assert!(
            message.starts_with("QueryUsers failed with error:"),
            "{message}"
        );
    }
}

#[test]
fn payload_parameter_required_and_json() {
    let sandbox = seeded();

    let missing = sandbox.call("GET", "/api/v2/users").send();
    let not_json = sandbox
        .call("GET", "/api/v2/users")
        .query("payload", "{")
        .send();

    assert!(missing.assert_error(400, 4).contains("payload"));
    assert!(not_json.assert_error(400, 4).contains("not valid JSON"));
}

#[test]
fn hidden_users_need_flag() {
    let sandbox = seeded();
    sandbox
        .call("POST", "/api/v2/users/q-ann/deactivate")
        .json(json!({}))
        .send();
    let reply = sandbox
        .call("POST", "/api/v2/users/delete")
        .json(json!({"user_ids": ["q-ben"]}))
        .send();
    sandbox.wait_for_task(reply.json()["task_id"].as_str().unwrap());
    let ids = json!({"id": {"$in": ["q-ann", "q-ben", "q-cat"]}});

    let active = sandbox.query_ids(json!({"filter_conditions": ids}));
    let with_deactivated =
        sandbox.query_ids(json!({"filter_conditions": ids, "include_deactivated_users": true}));

    assert_eq!(active, ["q-cat"]);
    assert_eq!(with_deactivated, ["q-ann", "q-cat"]);
}
